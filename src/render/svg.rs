//! `trend --svg`: a bar chart of a [`Trend`] for a report, written by hand as
//! SVG. One `<rect class="bar">` per period (empty periods too, with no
//! height), each with a `<title>` tooltip; a title naming the query and the
//! span; a y axis with round-number gridlines; x labels thinned so they
//! never overlap.

use std::fmt::Write as _;

use dateline::{Iso, PeriodCount, Trend};

const WIDTH: f64 = 960.0;
const HEIGHT: f64 = 480.0;
/// A page's chart is a strip above the results, with no title drawn (the
/// page says what it shows).
const PAGE_HEIGHT: f64 = 240.0;
const PAGE_TOP: f64 = 16.0;
/// Room under a page's chart for the x labels only.
const PAGE_BOTTOM: f64 = 28.0;
const LEFT: f64 = 72.0;
const RIGHT: f64 = 24.0;
const TOP: f64 = 72.0;
const BOTTOM: f64 = 56.0;
/// At most this many gridlines above zero.
const MAX_TICKS: u64 = 6;
/// Width of a character of an x label (11px sans-serif digits), generously.
const LABEL_CHAR_WIDTH: f64 = 7.0;
const LABEL_GAP: f64 = 14.0;

const STYLE: &str = "\
text{font-family:'Helvetica Neue',Helvetica,Arial,sans-serif;fill:#333}\
.title{font-size:18px;font-weight:bold}\
.subtitle{font-size:13px;fill:#666}\
.axis-label{font-size:11px}\
.grid{stroke:#e3e3e3;stroke-width:1}\
.axis{stroke:#888;stroke-width:1}\
.bar{fill:#3b6ea8}\
.bar:hover{fill:#f28e2b}\
.empty{font-size:14px;fill:#999}";

/// The chart as SVG text.
pub fn render(trend: &Trend) -> String {
    let mut svg = String::new();
    // Writing to a String cannot fail.
    let _ = write_chart(&mut svg, trend, None);
    svg
}

/// Where a bar of a chart in a page leads.
pub type BarLink<'a> = &'a dyn Fn(&PeriodCount) -> String;

/// The chart for a web page: styled by the page's stylesheet (no
/// `<style>` of its own, which a strict Content-Security-Policy would
/// refuse), each bar a link to `link(period)`. The chart is hidden from
/// screen readers and from Tab (its bars are a mouse's shortcut): the
/// page gives a table of the same counts.
pub fn render_linked(trend: &Trend, link: BarLink<'_>) -> String {
    let mut svg = String::new();
    let _ = write_chart(&mut svg, trend, Some(link));
    svg
}

fn write_chart(svg: &mut String, trend: &Trend, link: Option<BarLink<'_>>) -> std::fmt::Result {
    let title = title(trend);
    let (height, top, bottom) = if link.is_some() {
        (PAGE_HEIGHT, PAGE_TOP, PAGE_BOTTOM)
    } else {
        (HEIGHT, TOP, BOTTOM)
    };
    if link.is_some() {
        writeln!(
            svg,
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" aria-hidden="true" focusable="false">"#
        )?;
    } else {
        writeln!(
            svg,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img">"#
        )?;
    }
    writeln!(svg, "<title>{}</title>", escape(&title))?;
    if link.is_none() {
        writeln!(svg, "<style>{STYLE}</style>")?;
        writeln!(
            svg,
            r##"<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>"##
        )?;
        writeln!(
            svg,
            r#"<text class="title" x="{LEFT}" y="30">{}</text>"#,
            escape(&title_within(trend, TITLE_CHARS))
        )?;
        writeln!(
            svg,
            r#"<text class="subtitle" x="{LEFT}" y="50">{}</text>"#,
            escape(&subtitle(trend))
        )?;
    }

    let plot_width = WIDTH - LEFT - RIGHT;
    let plot_height = height - top - bottom;
    let baseline = top + plot_height;
    let split = link.is_none() && !trend.series.is_empty();
    let max = if split {
        trend
            .series
            .iter()
            .flat_map(|series| series.periods.iter().map(|p| p.count))
            .max()
            .unwrap_or(0)
    } else {
        trend.max_count()
    };
    let (step, top_value) = y_scale(max);
    let y_of = |value: u64| baseline - plot_height * value as f64 / top_value as f64;

    // Gridlines and their labels, from 0 up to the top of the scale.
    let mut value = 0;
    while value <= top_value {
        let y = y_of(value);
        let class = if value == 0 { "axis" } else { "grid" };
        writeln!(
            svg,
            r#"<line class="{class}" x1="{LEFT}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}"/>"#,
            LEFT + plot_width
        )?;
        writeln!(
            svg,
            r#"<text class="axis-label" x="{:.1}" y="{:.1}" text-anchor="end">{value}</text>"#,
            LEFT - 8.0,
            y + 4.0
        )?;
        value += step;
    }
    writeln!(
        svg,
        r#"<text class="axis-label" transform="translate(18 {:.1}) rotate(-90)" text-anchor="middle">{} per {}</text>"#,
        top + plot_height / 2.0,
        trend.count.name(),
        trend.by
    )?;

    let count = trend.periods.len();
    if count == 0 {
        writeln!(
            svg,
            r#"<text class="empty" x="{:.1}" y="{:.1}" text-anchor="middle">no dated article matched</text>"#,
            LEFT + plot_width / 2.0,
            top + plot_height / 2.0
        )?;
        return writeln!(svg, "</svg>");
    }
    let slot = plot_width / count as f64;
    // A gap between bars while there is room for one.
    let gap = if slot >= 4.0 { slot * 0.2 } else { 0.0 };
    let widest_label = trend
        .periods
        .iter()
        .map(|p| p.label.chars().count())
        .max()
        .unwrap_or(0) as f64;
    let label_every = ((widest_label * LABEL_CHAR_WIDTH + LABEL_GAP) / slot)
        .ceil()
        .max(1.0) as usize;

    if split {
        write_series(svg, trend, slot, y_of)?;
    } else {
        write_bars(
            svg,
            trend,
            link,
            slot,
            gap,
            (top, plot_height, baseline),
            y_of,
        )?;
    }

    writeln!(svg, r#"<g class="x-labels">"#)?;
    for (i, period) in trend.periods.iter().enumerate().step_by(label_every) {
        let x = LEFT + slot * (i as f64 + 0.5);
        writeln!(
            svg,
            r#"<line class="axis" x1="{x:.2}" y1="{baseline:.1}" x2="{x:.2}" y2="{:.1}"/>"#,
            baseline + 4.0
        )?;
        writeln!(
            svg,
            r#"<text class="axis-label" x="{x:.2}" y="{:.1}" text-anchor="middle">{}</text>"#,
            baseline + 18.0,
            escape(&period.label)
        )?;
    }
    writeln!(svg, "</g>")?;
    writeln!(svg, "</svg>")
}

/// Colours of a split trend's series, in order (Tableau 10: told apart
/// by most people, colour-blind or not, for the first several).
const SERIES_COLOURS: [&str; 10] = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#bab0ac",
];

/// A split trend: a line per series, a dot per period (with a tooltip),
/// and a legend naming each series' value and total, top right.
fn write_series(
    svg: &mut String,
    trend: &Trend,
    slot: f64,
    y_of: impl Fn(u64) -> f64,
) -> std::fmt::Result {
    for (i, series) in trend.series.iter().enumerate() {
        let colour = SERIES_COLOURS[i % SERIES_COLOURS.len()];
        let points: Vec<String> = series
            .periods
            .iter()
            .enumerate()
            .map(|(j, p)| format!("{:.2},{:.2}", LEFT + slot * (j as f64 + 0.5), y_of(p.count)))
            .collect();
        writeln!(
            svg,
            r#"<g class="series"><title>{}</title>"#,
            escape(&series.value)
        )?;
        writeln!(
            svg,
            r#"<polyline fill="none" stroke="{colour}" stroke-width="2" points="{}"/>"#,
            points.join(" ")
        )?;
        for (j, period) in series.periods.iter().enumerate() {
            writeln!(
                svg,
                r#"<circle cx="{:.2}" cy="{:.2}" r="3" fill="{colour}"><title>{}, {}: {}</title></circle>"#,
                LEFT + slot * (j as f64 + 0.5),
                y_of(period.count),
                escape(&series.value),
                escape(&period.label),
                period.count
            )?;
        }
        writeln!(svg, "</g>")?;
    }
    // The legend, in a box over the plot's top right corner.
    let rows = trend.series.len() as f64;
    let names: Vec<String> = trend
        .series
        .iter()
        .map(|series| {
            let name: String = if series.value.chars().count() > LEGEND_CHARS {
                series
                    .value
                    .chars()
                    .take(LEGEND_CHARS - 1)
                    .chain(['…'])
                    .collect()
            } else {
                series.value.clone()
            };
            format!("{name} ({})", series.total)
        })
        .collect();
    let widest = names.iter().map(|n| n.chars().count()).max().unwrap_or(0) as f64;
    let box_width = widest * LEGEND_CHAR_WIDTH + 36.0;
    let x = WIDTH - RIGHT - box_width - 4.0;
    let y = TOP + 4.0;
    writeln!(
        svg,
        r##"<g class="legend"><rect x="{x:.1}" y="{y:.1}" width="{box_width:.1}" height="{:.1}" fill="#ffffff" fill-opacity="0.85" stroke="#cccccc"/>"##,
        rows * 18.0 + 8.0
    )?;
    for (i, name) in names.iter().enumerate() {
        let colour = SERIES_COLOURS[i % SERIES_COLOURS.len()];
        let row_y = y + 8.0 + 18.0 * i as f64;
        writeln!(
            svg,
            r#"<rect x="{:.1}" y="{:.1}" width="14" height="4" fill="{colour}"/><text class="axis-label" x="{:.1}" y="{:.1}">{}</text>"#,
            x + 8.0,
            row_y + 5.0,
            x + 28.0,
            row_y + 10.0,
            escape(name)
        )?;
    }
    writeln!(svg, "</g>")
}

/// The most characters of a value in a legend.
const LEGEND_CHARS: usize = 40;
/// Width of a character of a legend (11px sans-serif), generously.
const LEGEND_CHAR_WIDTH: f64 = 6.6;

/// A bar per period, each a link when the chart is a page's.
fn write_bars(
    svg: &mut String,
    trend: &Trend,
    link: Option<BarLink<'_>>,
    slot: f64,
    gap: f64,
    (top, plot_height, baseline): (f64, f64, f64),
    y_of: impl Fn(u64) -> f64,
) -> std::fmt::Result {
    writeln!(svg, r#"<g class="bars">"#)?;
    for (i, period) in trend.periods.iter().enumerate() {
        let x = LEFT + slot * i as f64 + gap / 2.0;
        let y = y_of(period.count);
        let range = if period.start == period.end {
            Iso(period.start).to_string()
        } else {
            format!("{} to {}", Iso(period.start), Iso(period.end))
        };
        let bar = format!(
            r#"<rect class="bar" x="{x:.2}" y="{y:.2}" width="{:.2}" height="{:.2}"><title>{}: {} ({range})</title></rect>"#,
            slot - gap,
            baseline - y,
            escape(&period.label),
            period.count
        );
        match link {
            // The whole slot is the link's, up to the top of the plot, so a
            // short bar is as easy to click as a tall one.
            Some(link) => writeln!(
                svg,
                r#"<a href="{}" tabindex="-1"><rect class="slot" x="{:.2}" y="{top:.1}" width="{slot:.2}" height="{plot_height:.1}" fill="transparent"/>{bar}</a>"#,
                escape(&link(period)),
                LEFT + slot * i as f64,
            )?,
            None => writeln!(svg, "{bar}")?,
        }
    }
    writeln!(svg, "</g>")
}

/// The most characters of the title drawn on the chart: about what 18px
/// bold text fits in the chart's width.
const TITLE_CHARS: usize = 80;

/// `"oil": articles per month, 1987-02 to 1987-10`, whole.
fn title(trend: &Trend) -> String {
    title_within(trend, usize::MAX)
}

/// The title in at most `max` characters: a long query is cut short with
/// `…`, the periods kept whole.
fn title_within(trend: &Trend, max: usize) -> String {
    let query = trend.query.trim();
    let mut span = match (trend.periods.first(), trend.periods.last()) {
        (Some(first), Some(last)) if first.label == last.label => format!(", {}", first.label),
        (Some(first), Some(last)) => format!(", {} to {}", first.label, last.label),
        _ => String::new(),
    };
    if let Some(kind) = trend.split.filter(|_| !trend.series.is_empty()) {
        let _ = write!(span, ", by {kind}");
    }
    if query.is_empty() {
        return format!("All {} per {}{span}", trend.count.name(), trend.by);
    }
    let rest = format!("\u{201d}: {} per {}{span}", trend.count.name(), trend.by);
    let room = max.saturating_sub(rest.chars().count() + 1).max(8);
    let query: String = if query.chars().count() > room {
        // Cut at a word's end where there is one.
        let cut: String = query.chars().take(room - 1).collect();
        let cut = match cut.rfind(' ') {
            Some(space) if space > 0 => &cut[..space],
            _ => cut.as_str(),
        };
        format!("{}…", cut.trim_end())
    } else {
        query.to_string()
    };
    format!("\u{201c}{query}{rest}")
}

/// `571 articles from 1987-02-26 to 1987-10-20; 3 undated, not shown`
fn subtitle(trend: &Trend) -> String {
    let noun = match (trend.count, trend.total == 1) {
        (dateline::Counting::Stories, true) => "story",
        (dateline::Counting::Stories, false) => "stories",
        (dateline::Counting::Articles, true) => "article",
        (dateline::Counting::Articles, false) => "articles",
    };
    let mut text = format!("{} {noun}", trend.total);
    if let Some((first, last)) = trend.span() {
        let _ = write!(text, " from {} to {}", Iso(first), Iso(last));
    }
    if trend.undated > 0 {
        let _ = write!(text, "; {} undated, not shown", trend.undated);
    }
    text
}

/// A round step (1, 2 or 5 times a power of ten) giving at most
/// [`MAX_TICKS`] gridlines above zero, and the top of the scale: the first
/// multiple of the step at or above `max` (at least one step).
fn y_scale(max: u64) -> (u64, u64) {
    let mut magnitude: u64 = 1;
    loop {
        for factor in [1, 2, 5] {
            let step = factor * magnitude;
            if max.div_ceil(step) <= MAX_TICKS {
                return (step, max.div_ceil(step).max(1) * step);
            }
        }
        match magnitude.checked_mul(10) {
            Some(next) => magnitude = next,
            None => return (max.max(1), max.max(1)),
        }
    }
}

fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            // Not allowed in XML 1.0 at all.
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => escaped.push('\u{fffd}'),
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trend(query: &str) -> Trend {
        use time::macros::date;
        let period = |label: &str, day| PeriodCount {
            label: label.into(),
            start: day,
            end: day,
            count: 1,
        };
        Trend {
            query: query.into(),
            filter: dateline::DateFilter::default(),
            by: dateline::Period::Month,
            count: dateline::Counting::Articles,
            total: 2,
            articles: 2,
            undated: 0,
            periods: vec![
                period("1987-02", date!(1987 - 02 - 01)),
                period("1987-10", date!(1987 - 10 - 01)),
            ],
            split: None,
            series: Vec::new(),
        }
    }

    #[test]
    fn a_long_query_is_cut_short_in_the_drawn_title_and_keeps_the_periods() {
        let long = "oil OR gold OR wheat OR cocoa OR coffee OR sugar OR copper OR \
                    tin OR zinc OR rubber OR cotton OR soybeans";
        let drawn = title_within(&trend(long), TITLE_CHARS);
        assert!(drawn.chars().count() <= TITLE_CHARS, "{drawn}");
        assert!(
            drawn.ends_with("\u{201d}: articles per month, 1987-02 to 1987-10"),
            "{drawn}"
        );
        assert!(
            drawn.starts_with("\u{201c}oil OR gold OR wheat OR cocoa OR…"),
            "{drawn}"
        );
        // The whole query stays in the SVG's own <title>.
        let svg = render(&trend(long));
        assert!(svg.contains(&format!("<title>\u{201c}{long}")), "{svg}");
        // A short one is whole.
        assert_eq!(
            title_within(&trend("oil"), TITLE_CHARS),
            "\u{201c}oil\u{201d}: articles per month, 1987-02 to 1987-10"
        );
    }

    #[test]
    fn the_scale_has_round_steps_and_covers_the_largest_count() {
        assert_eq!(y_scale(0), (1, 1));
        assert_eq!(y_scale(1), (1, 1));
        assert_eq!(y_scale(5), (1, 5));
        assert_eq!(y_scale(7), (2, 8));
        assert_eq!(y_scale(23), (5, 25));
        assert_eq!(y_scale(123), (50, 150));
        assert_eq!(y_scale(571), (100, 600));
        assert_eq!(y_scale(102), (20, 120));
        assert_eq!(y_scale(1000), (200, 1000));
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
        assert_eq!(escape("x\u{1}y"), "x\u{fffd}y");
    }
}
