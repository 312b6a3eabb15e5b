//! Output for people. Styles are always written; the stream this is given
//! (an `anstream` stream) drops them when colour is off or output is piped.

use std::io::{self, Write};
use std::path::Path;

use anstyle::{AnsiColor, Style};

use dateline::{
    for_terminal as safe, thousands, Clock, Found, Highlighted, Hit, IndexStats, Iso, Period,
    RelatedResults, SearchResults, Sort, Summary,
};

use crate::render::timeline;

const MATCH: Style = AnsiColor::Red.on_default().bold();
const HEADLINE: Style = Style::new().bold();
const DATE: Style = AnsiColor::Green.on_default();
const ID: Style = AnsiColor::Magenta.on_default();
const DIM: Style = Style::new().dimmed();
const HEADING: Style = AnsiColor::Yellow.on_default().bold();

pub fn search_results(out: &mut dyn Write, results: &SearchResults) -> io::Result<()> {
    writeln!(out, "{}", header(results))?;
    if let Some(suggestion) = &results.suggestion {
        writeln!(
            out,
            "no results for '{}'; did you mean '{}' ({})?",
            safe(&results.query),
            safe(&suggestion.query),
            thousands(suggestion.total as u64)
        )?;
    }
    if let Some(operators) = &results.operators {
        writeln!(
            out,
            "did you mean '{}' ({})? Operators are upper case: AND, OR, NOT",
            safe(&operators.query),
            thousands(operators.total as u64)
        )?;
    }
    for hit in &results.hits {
        search_hit(out, hit)?;
    }
    Ok(())
}

/// A search's hits under a heading for each day or month, oldest first,
/// undated ones last: `== 1987-03 ==`.
pub fn timeline(out: &mut dyn Write, results: &SearchResults, period: Period) -> io::Result<()> {
    writeln!(out, "{}", header(results))?;
    for group in timeline::groups(&results.hits, period) {
        writeln!(out)?;
        let label = group.label.as_deref().unwrap_or("undated");
        writeln!(out, "{HEADING}== {label} =={HEADING:#}")?;
        for hit in group.hits {
            search_hit(out, hit)?;
        }
    }
    Ok(())
}

/// The articles like another, headed by that article's id and headline.
pub fn related_results(out: &mut dyn Write, related: &RelatedResults) -> io::Result<()> {
    let results = &related.results;
    let total = results.total;
    let filter = if results.filter.is_empty() {
        String::new()
    } else {
        format!(" {}", results.filter)
    };
    let what = format!(
        "{total} {} related to {} \"{}\"{filter}",
        if total == 1 { "article" } else { "articles" },
        safe(&related.source.id),
        safe(&related.source.headline),
    );
    writeln!(out, "{}", with_range(what, results))?;
    for hit in &results.hits {
        search_hit(out, hit)?;
    }
    Ok(())
}

/// One hit: rank, date, headline; id; snippet; after a blank line.
fn search_hit(out: &mut dyn Write, hit: &Hit) -> io::Result<()> {
    writeln!(out)?;
    let date = hit
        .date
        .map_or_else(|| "undated".to_string(), |d| Iso(d).to_string());
    write!(
        out,
        "{DIM}{:>3}.{DIM:#} {DATE}{date:<10}{DATE:#}  ",
        hit.rank
    )?;
    highlighted(out, &hit.headline, HEADLINE)?;
    writeln!(out)?;
    writeln!(out, "     {ID}{}{ID:#}", safe(&hit.id))?;
    if !hit.snippet.text.is_empty() {
        write!(out, "     ")?;
        highlighted(out, &hit.snippet, Style::new())?;
        writeln!(out)?;
    }
    Ok(())
}

/// `3 articles match "ceasefire" from 2025-03-01 to 2025-03-31 (showing 1–3, best first)`
fn header(results: &SearchResults) -> String {
    let noun = |n: usize| if n == 1 { "article" } else { "articles" };
    let total = results.total;
    let filter = if results.filter.is_empty() {
        String::new()
    } else {
        format!(" {}", results.filter)
    };
    let what = if results.query.trim().is_empty() {
        format!("{total} {}{filter}", noun(total))
    } else {
        let verb = if total == 1 { "matches" } else { "match" };
        format!(
            "{total} {} {verb} \"{}\"{filter}",
            noun(total),
            safe(results.query.trim())
        )
    };
    with_range(what, results)
}

/// `WHAT (showing 1–3, best first)`: which of the results are shown.
fn with_range(what: String, results: &SearchResults) -> String {
    if results.total == 0 {
        return what;
    }
    let order = match results.sort {
        Sort::Relevance => "best first",
        Sort::Newest => "newest first",
        Sort::Oldest => "oldest first",
    };
    match results.hits.len() {
        0 => format!("{what} (none shown from {})", results.offset + 1),
        shown => format!(
            "{what} (showing {}–{}, {order})",
            results.offset + 1,
            results.offset + shown
        ),
    }
}

fn highlighted(out: &mut dyn Write, text: &Highlighted, base: Style) -> io::Result<()> {
    let mut done = 0;
    write!(out, "{base}")?;
    for range in &text.ranges {
        write!(out, "{}", safe(&text.text[done..range.start]))?;
        write!(
            out,
            "{base:#}{MATCH}{}{MATCH:#}{base}",
            safe(&text.text[range.clone()])
        )?;
        done = range.end;
    }
    write!(out, "{}{base:#}", safe(&text.text[done..]))
}

pub fn stats(out: &mut dyn Write, stats: &IndexStats, dir: &Path) -> io::Result<()> {
    let day = |d: Option<time::Date>| d.map_or_else(|| "-".to_string(), |d| Iso(d).to_string());
    writeln!(out, "index     {}", dir.display())?;
    writeln!(out, "articles  {}", stats.articles)?;
    writeln!(
        out,
        "dated     {} to {}",
        day(stats.oldest),
        day(stats.newest)
    )?;
    writeln!(out, "undated   {}", stats.undated)?;
    writeln!(
        out,
        "copies    {} duplicates of indexed articles",
        stats.duplicates
    )?;
    writeln!(out, "files     {}", stats.files)?;
    writeln!(out, "size      {}", indicatif::HumanBytes(stats.size_bytes))?;
    writeln!(out, "segments  {}", stats.segments)
}

pub fn article(out: &mut dyn Write, found: &Found) -> io::Result<()> {
    let article = &found.article;
    let mut date = article
        .date
        .map_or_else(|| "undated".to_string(), |d| Iso(d).to_string());
    if let Some(time) = article.time {
        date = format!("{date} {}", Clock(time));
    }
    writeln!(
        out,
        "{DATE}{date}{DATE:#}  {HEADLINE}{}{HEADLINE:#}",
        safe(&article.headline)
    )?;
    writeln!(
        out,
        "{ID}{}{ID:#}  {DIM}{}{DIM:#}",
        safe(&article.id),
        safe(&article.path)
    )?;
    if !article.body.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", safe(&article.body))?;
    }
    if !found.copies.is_empty() {
        writeln!(out)?;
        writeln!(out, "Also found as:")?;
        for copy in &found.copies {
            writeln!(
                out,
                "  {ID}{}{ID:#}  {DIM}{}{DIM:#}",
                safe(&copy.id),
                safe(&copy.path)
            )?;
        }
    }
    Ok(())
}

/// One line: what an index run did.
pub fn index_summary(out: &mut dyn Write, summary: &Summary, dir: &Path) -> io::Result<()> {
    let plural = |n: u64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut parts = vec![format!(
        "indexed {} from {} into {} in {:.2} s ({:.1} MB/s)",
        plural(summary.articles_indexed, "article", "articles"),
        plural(summary.files_indexed, "file", "files"),
        dir.display(),
        summary.elapsed.as_secs_f64(),
        summary.megabytes_per_second(),
    )];
    if !summary.articles_by_format.is_empty() {
        let by_format: Vec<String> = summary
            .articles_by_format
            .iter()
            .map(|(format, n)| format!("{format} {n}"))
            .collect();
        parts.push(format!("by format: {}", by_format.join(", ")));
    }
    if summary.undated > 0 {
        parts.push(format!("{} undated", summary.undated));
    }
    if summary.duplicates > 0 {
        let copies = plural(summary.duplicates, "duplicate", "duplicates");
        parts.push(format!("{copies} not indexed again"));
    }
    if summary.files_changed + summary.files_unchanged + summary.files_removed > 0 {
        parts.push(format!(
            "files: {} new, {} changed, {} unchanged, {} removed",
            summary.files_new,
            summary.files_changed,
            summary.files_unchanged,
            summary.files_removed
        ));
    }
    if summary.problems > 0 {
        let problems = plural(summary.problems, "problem", "problems");
        parts.push(format!("{problems} inside files"));
    }
    if summary.legacy_encoded > 0 {
        let files = plural(summary.legacy_encoded, "file", "files");
        parts.push(format!("{files} read as Windows-1252"));
    }
    let skipped = summary.files_skipped();
    if skipped > 0 {
        let reasons: Vec<String> = summary
            .skipped
            .iter()
            .map(|(kind, n)| format!("{n} {kind}"))
            .collect();
        parts.push(format!(
            "skipped {skipped} of {} ({})",
            plural(summary.files_seen, "file", "files"),
            reasons.join(", ")
        ));
    }
    if summary.ignored > 0 {
        let others = plural(summary.ignored, "other file", "other files");
        parts.push(format!("{others} not in an article format"));
    }
    writeln!(out, "{}", parts.join("; "))?;
    if summary.interrupted {
        writeln!(
            out,
            "interrupted: what was read is committed; run the same command again to finish"
        )?;
    }
    Ok(())
}
