//! `dateline trend` output: a terminal bar chart, JSON and CSV, all from the
//! same [`Trend`]. The SVG chart is in [`super::svg`].

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use serde::Serialize;

use dateline::{for_terminal, Counting, FacetKind, Iso, PeriodCount, Trend};

const DATE: Style = AnsiColor::Green.on_default();
const BAR: Style = AnsiColor::Cyan.on_default();
const DIM: Style = Style::new().dimmed();

/// Bars narrower than this are not worth drawing: a row then wraps instead.
const MIN_BAR_WIDTH: usize = 10;

/// Eighths of a cell, for bar ends finer than a whole `█`.
const EIGHTHS: [char; 8] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/// `571 articles match "oil" from 1987-02-01 to 1987-10-31, by month`,
/// or, counting stories, `540 stories (571 articles) match "oil" …`
pub fn header(trend: &Trend) -> String {
    let total = trend.total;
    let noun = match (trend.count, total == 1) {
        (Counting::Stories, true) => "story",
        (Counting::Stories, false) => "stories",
        (Counting::Articles, true) => "article",
        (Counting::Articles, false) => "articles",
    };
    let counted = match trend.count {
        Counting::Stories => format!(
            "{total} {noun} ({} {})",
            trend.articles,
            if trend.articles == 1 {
                "article"
            } else {
                "articles"
            }
        ),
        Counting::Articles => format!("{total} {noun}"),
    };
    let query = trend.query.trim();
    let what = if query.is_empty() {
        counted
    } else {
        let verb = if total == 1 { "matches" } else { "match" };
        format!("{counted} {verb} \"{query}\"")
    };
    match trend.span() {
        Some((first, last)) => format!(
            "{what} from {} to {}, by {}",
            Iso(first),
            Iso(last),
            trend.by
        ),
        None if trend.filter.is_empty() => what,
        None => format!("{what} {}", trend.filter),
    }
}

/// The header, one row per period (label, count, a bar scaled so the
/// largest count fills `width` columns), and a line about undated matches.
/// A split trend is a table instead: a column per series.
pub fn human(out: &mut dyn Write, trend: &Trend, width: usize) -> io::Result<()> {
    writeln!(out, "{}", header(trend))?;
    if let Some(kind) = trend.split {
        return split_table(out, trend, kind);
    }
    let label_width = trend
        .periods
        .iter()
        .map(|p| p.label.chars().count())
        .max()
        .unwrap_or(0);
    let max = trend.max_count();
    let count_width = max.to_string().len();
    // label, space, count, space, bar
    let bar_width = width
        .saturating_sub(label_width + count_width + 2)
        .max(MIN_BAR_WIDTH);
    for period in &trend.periods {
        write!(
            out,
            "{DATE}{:<label_width$}{DATE:#} {:>count_width$}",
            period.label, period.count
        )?;
        let bar = bar(period.count, max, bar_width);
        if bar.is_empty() {
            writeln!(out)?;
        } else {
            writeln!(out, " {BAR}{bar}{BAR:#}")?;
        }
    }
    undated_line(out, trend)
}

/// The most characters of a series' value heading its column.
const COLUMN_CHARS: usize = 24;

/// A split trend for people: a row per period, its count in all, then a
/// column per series; a row of totals; undated matches.
fn split_table(out: &mut dyn Write, trend: &Trend, kind: FacetKind) -> io::Result<()> {
    if trend.series.is_empty() {
        writeln!(
            out,
            "{DIM}no matching article has a {kind}: nothing to split{DIM:#}"
        )?;
        return undated_line(out, trend);
    }
    let label_width = trend
        .periods
        .iter()
        .map(|p| p.label.chars().count())
        .chain(["total".len()])
        .max()
        .unwrap_or(0);
    let names: Vec<String> = std::iter::once("all".to_string())
        .chain(trend.series.iter().map(|series| {
            let value = for_terminal(&series.value);
            if value.chars().count() > COLUMN_CHARS {
                value.chars().take(COLUMN_CHARS - 1).chain(['…']).collect()
            } else {
                value.into_owned()
            }
        }))
        .collect();
    let totals: Vec<u64> = std::iter::once(trend.total)
        .chain(trend.series.iter().map(|series| series.total))
        .collect();
    let widths: Vec<usize> = names
        .iter()
        .zip(&totals)
        .map(|(name, total)| name.chars().count().max(total.to_string().len()))
        .collect();
    write!(out, "{:label_width$}", "")?;
    for (name, width) in names.iter().zip(&widths) {
        write!(out, "  {:>width$}", name)?;
    }
    writeln!(out)?;
    for (i, period) in trend.periods.iter().enumerate() {
        write!(out, "{DATE}{:<label_width$}{DATE:#}", period.label)?;
        let counts = std::iter::once(period.count)
            .chain(trend.series.iter().map(|series| series.periods[i].count));
        for (count, width) in counts.zip(&widths) {
            if count == 0 {
                write!(out, "  {DIM}{:>width$}{DIM:#}", count)?;
            } else {
                write!(out, "  {:>width$}", count)?;
            }
        }
        writeln!(out)?;
    }
    write!(out, "{:<label_width$}", "total")?;
    for (total, width) in totals.iter().zip(&widths) {
        write!(out, "  {:>width$}", total)?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "{DIM}(an article of several {kind} values counts in each of their columns){DIM:#}"
    )?;
    undated_line(out, trend)
}

fn undated_line(out: &mut dyn Write, trend: &Trend) -> io::Result<()> {
    if trend.undated > 0 {
        let (noun, verb) = match (trend.count, trend.undated == 1) {
            (Counting::Stories, true) => ("story is", "it has"),
            (Counting::Stories, false) => ("stories are", "they have"),
            (Counting::Articles, true) => ("article is", "it has"),
            (Counting::Articles, false) => ("articles are", "they have"),
        };
        writeln!(
            out,
            "{DIM}{} matching {noun} not shown: {verb} no date{DIM:#}",
            trend.undated
        )?;
    }
    Ok(())
}

/// A bar `count / max` of `width` cells, in eighths of a cell; at least a
/// sliver for any count above zero, so no match is invisible.
fn bar(count: u64, max: u64, width: usize) -> String {
    if count == 0 || max == 0 {
        return String::new();
    }
    let eighths = (u128::from(count) * (width as u128) * 8).div_ceil(u128::from(max));
    let eighths = usize::try_from(eighths).unwrap_or(width * 8).max(1);
    let mut bar = "█".repeat(eighths / 8);
    if eighths % 8 > 0 {
        bar.push(EIGHTHS[eighths % 8]);
    }
    bar
}

#[derive(Serialize)]
struct TrendJson<'a> {
    query: &'a str,
    by: &'static str,
    from: Option<String>,
    to: Option<String>,
    total: u64,
    /// Only when counting stories (the default, on an index with
    /// near-copies): `stories`; `total`, the periods and the series count
    /// them. Absent when articles are counted, as in earlier versions.
    #[serde(skip_serializing_if = "Option::is_none")]
    count: Option<&'static str>,
    /// Only when counting stories: every matching article.
    #[serde(skip_serializing_if = "Option::is_none")]
    articles: Option<u64>,
    undated: u64,
    periods: Vec<PeriodJson<'a>>,
    /// Only when split: the facet.
    #[serde(skip_serializing_if = "Option::is_none")]
    split: Option<&'static str>,
    /// Only when split: a series per top value, most matches first.
    #[serde(skip_serializing_if = "Option::is_none")]
    series: Option<Vec<SeriesJson<'a>>>,
}

#[derive(Serialize)]
struct SeriesJson<'a> {
    value: &'a str,
    total: u64,
    undated: u64,
    periods: Vec<PeriodJson<'a>>,
}

fn periods_json(periods: &[PeriodCount]) -> Vec<PeriodJson<'_>> {
    periods
        .iter()
        .map(|p| PeriodJson {
            period: &p.label,
            start: Iso(p.start).to_string(),
            end: Iso(p.end).to_string(),
            count: p.count,
            series: None,
        })
        .collect()
}

#[derive(Serialize)]
struct PeriodJson<'a> {
    period: &'a str,
    start: String,
    end: String,
    count: u64,
    /// jsonl of a split trend: each series' count, by value.
    #[serde(skip_serializing_if = "Option::is_none")]
    series: Option<SeriesCounts<'a>>,
}

/// `{"usa": 3, "uk": 2}`, in the series' order.
struct SeriesCounts<'a>(Vec<(&'a str, u64)>);

impl Serialize for SeriesCounts<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (value, count) in &self.0 {
            map.serialize_entry(value, count)?;
        }
        map.end()
    }
}

/// One JSON document (shape in the README).
pub fn json(out: &mut dyn Write, trend: &Trend) -> io::Result<()> {
    let span = trend.span();
    let document = TrendJson {
        query: &trend.query,
        by: trend.by.name(),
        from: span.map(|(first, _)| Iso(first).to_string()),
        to: span.map(|(_, last)| Iso(last).to_string()),
        total: trend.total,
        count: (trend.count == Counting::Stories).then_some(trend.count.name()),
        articles: (trend.count == Counting::Stories).then_some(trend.articles),
        undated: trend.undated,
        periods: periods_json(&trend.periods),
        split: trend.split.map(FacetKind::name),
        series: trend.split.map(|_| {
            trend
                .series
                .iter()
                .map(|series| SeriesJson {
                    value: &series.value,
                    total: series.total,
                    undated: series.undated,
                    periods: periods_json(&series.periods),
                })
                .collect()
        }),
    };
    serde_json::to_writer(&mut *out, &document)?;
    writeln!(out)
}

/// `--format jsonl`: one JSON object per period, as in the document's
/// `periods`; when split, with a `series` object of each value's count.
pub fn jsonl(out: &mut dyn Write, trend: &Trend) -> io::Result<()> {
    for (i, p) in trend.periods.iter().enumerate() {
        let line = PeriodJson {
            period: &p.label,
            start: Iso(p.start).to_string(),
            end: Iso(p.end).to_string(),
            count: p.count,
            series: trend.split.map(|_| {
                SeriesCounts(
                    trend
                        .series
                        .iter()
                        .map(|series| (series.value.as_str(), series.periods[i].count))
                        .collect(),
                )
            }),
        };
        serde_json::to_writer(&mut *out, &line)?;
        writeln!(out)?;
    }
    Ok(())
}

/// `period,start,end,count` and a row per period; when split, a column
/// more per series, headed by its value. Every other value is a date, a
/// label of digits, `-` and `W`, or a number: only the values heading
/// the series' columns may need quoting.
pub fn csv(out: &mut dyn Write, trend: &Trend) -> io::Result<()> {
    write!(out, "period,start,end,count")?;
    for series in &trend.series {
        write!(out, ",{}", csv_quoted(&series.value))?;
    }
    writeln!(out)?;
    for (i, p) in trend.periods.iter().enumerate() {
        write!(
            out,
            "{},{},{},{}",
            p.label,
            Iso(p.start),
            Iso(p.end),
            p.count
        )?;
        for series in &trend.series {
            write!(out, ",{}", series.periods[i].count)?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// A CSV field: guarded against reading as a formula
/// ([`super::csv::guarded`]), and quoted when it holds a comma, a quote
/// or a line break.
fn csv_quoted(value: &str) -> String {
    let value = super::csv::guarded(value.to_string());
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_largest_count_fills_the_width() {
        assert_eq!(bar(10, 10, 20).chars().count(), 20);
        assert!(bar(10, 10, 20).chars().all(|c| c == '█'));
        assert_eq!(bar(5, 10, 20), "█".repeat(10));
        assert_eq!(bar(0, 10, 20), "");
        // A count far below the largest still shows.
        assert_eq!(bar(1, 1_000_000, 20), "▏");
        assert_eq!(bar(1, 16, 1), "▏");
    }
}
