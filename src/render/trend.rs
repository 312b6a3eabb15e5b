//! `dateline trend` output: a terminal bar chart, JSON and CSV, all from the
//! same [`Trend`]. The SVG chart is in [`super::svg`].

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use serde::Serialize;

use dateline::{Iso, Trend};

const DATE: Style = AnsiColor::Green.on_default();
const BAR: Style = AnsiColor::Cyan.on_default();
const DIM: Style = Style::new().dimmed();

/// Bars narrower than this are not worth drawing: a row then wraps instead.
const MIN_BAR_WIDTH: usize = 10;

/// Eighths of a cell, for bar ends finer than a whole `█`.
const EIGHTHS: [char; 8] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/// `571 articles match "oil" from 1987-02-01 to 1987-10-31, by month`
pub fn header(trend: &Trend) -> String {
    let total = trend.total;
    let noun = if total == 1 { "article" } else { "articles" };
    let query = trend.query.trim();
    let what = if query.is_empty() {
        format!("{total} {noun}")
    } else {
        let verb = if total == 1 { "matches" } else { "match" };
        format!("{total} {noun} {verb} \"{query}\"")
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
pub fn human(out: &mut dyn Write, trend: &Trend, width: usize) -> io::Result<()> {
    writeln!(out, "{}", header(trend))?;
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
    if trend.undated > 0 {
        let (noun, verb) = if trend.undated == 1 {
            ("article is", "it has")
        } else {
            ("articles are", "they have")
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
    undated: u64,
    periods: Vec<PeriodJson<'a>>,
}

#[derive(Serialize)]
struct PeriodJson<'a> {
    period: &'a str,
    start: String,
    end: String,
    count: u64,
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
        undated: trend.undated,
        periods: trend
            .periods
            .iter()
            .map(|p| PeriodJson {
                period: &p.label,
                start: Iso(p.start).to_string(),
                end: Iso(p.end).to_string(),
                count: p.count,
            })
            .collect(),
    };
    serde_json::to_writer(&mut *out, &document)?;
    writeln!(out)
}

/// `--format jsonl`: one JSON object per period, as in the document's
/// `periods`.
pub fn jsonl(out: &mut dyn Write, trend: &Trend) -> io::Result<()> {
    for p in &trend.periods {
        let line = PeriodJson {
            period: &p.label,
            start: Iso(p.start).to_string(),
            end: Iso(p.end).to_string(),
            count: p.count,
        };
        serde_json::to_writer(&mut *out, &line)?;
        writeln!(out)?;
    }
    Ok(())
}

/// `period,start,end,count` and a row per period. Every value is a date, a
/// label of digits, `-` and `W`, or a number: nothing needs quoting.
pub fn csv(out: &mut dyn Write, trend: &Trend) -> io::Result<()> {
    writeln!(out, "period,start,end,count")?;
    for p in &trend.periods {
        writeln!(
            out,
            "{},{},{},{}",
            p.label,
            Iso(p.start),
            Iso(p.end),
            p.count
        )?;
    }
    Ok(())
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
