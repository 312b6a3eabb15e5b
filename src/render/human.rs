//! Output for people. Styles are always written; the stream this is given
//! (an `anstream` stream) drops them when colour is off or output is piped.

use std::io::{self, Write};
use std::path::Path;

use anstyle::{AnsiColor, Style};

use dateline::{
    archive_member, for_terminal as safe, thousands, Clock, Facet, FacetKind, Found, Highlighted,
    Hit, IndexStats, Iso, Period, RelatedResults, SearchResults, Sort, StoriesResults, Summary,
};

use crate::render::timeline;

const MATCH: Style = AnsiColor::Red.on_default().bold();
const HEADLINE: Style = Style::new().bold();
const DATE: Style = AnsiColor::Green.on_default();
const ID: Style = AnsiColor::Magenta.on_default();
const DIM: Style = Style::new().dimmed();
const HEADING: Style = AnsiColor::Yellow.on_default().bold();

/// How hits are laid out: the columns to wrap text at (`None`: no
/// wrapping, as when the output is piped) and the margin every line of a
/// hit after the first is indented by, wide enough for the page's ranks.
#[derive(Debug, Clone, Copy)]
struct Layout {
    width: Option<usize>,
    margin: usize,
}

impl Layout {
    fn of(results: &SearchResults, width: Option<usize>) -> Layout {
        let last_rank = results.offset + results.hits.len();
        // `  1. `: the rank right-aligned in three columns, a dot, a space.
        let margin = last_rank.to_string().len().max(3) + 2;
        Layout { width, margin }
    }
}

/// Search results for people: a header, then each hit. `width` wraps the
/// headlines and snippets at that many columns, under the hit's margin.
pub fn search_results(
    out: &mut dyn Write,
    results: &SearchResults,
    width: Option<usize>,
) -> io::Result<()> {
    let layout = Layout::of(results, width);
    header_lines(out, &header(results), width)?;
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
        search_hit(out, hit, layout)?;
    }
    facets(out, &results.facets, results.total)
}

/// The facets of a search, after its hits: for each, a heading and its
/// values, most articles first, with their counts and a bar.
pub fn facets(out: &mut dyn Write, facets: &[Facet], total: usize) -> io::Result<()> {
    const BAR: usize = 20;
    for facet in facets {
        writeln!(out)?;
        let articles = if total == 1 { "article" } else { "articles" };
        if facet.values.is_empty() {
            writeln!(
                out,
                "{HEADING}{}{HEADING:#}: none recorded for the {} matching {articles}",
                facet_title(facet.kind),
                thousands(total as u64)
            )?;
            continue;
        }
        let about = if facet.exact {
            ""
        } else {
            " (counts approximate)"
        };
        writeln!(
            out,
            "{HEADING}{}{HEADING:#} of the {} matching {articles}{about}:",
            facet_title(facet.kind),
            thousands(total as u64)
        )?;
        let width = facet
            .values
            .iter()
            .map(|v| safe(&v.value).chars().count())
            .max()
            .unwrap_or(0)
            .min(48);
        let count_width = thousands(facet.values[0].count).len();
        let max = facet.values[0].count.max(1);
        for value in &facet.values {
            let name = safe(&value.value);
            let name: String = if name.chars().count() > width {
                name.chars().take(width - 1).chain(['…']).collect()
            } else {
                name.into_owned()
            };
            let bar = (value.count as usize * BAR).div_ceil(max as usize);
            writeln!(
                out,
                "  {name:<width$}  {:>count_width$}  {DIM}{}{DIM:#}",
                thousands(value.count),
                "█".repeat(bar)
            )?;
        }
        if facet.other > 0 {
            writeln!(
                out,
                "  {DIM}… other values: {}{DIM:#}",
                thousands(facet.other)
            )?;
        }
    }
    Ok(())
}

/// A facet's heading: `Sources`, `Places`.
pub fn facet_title(kind: FacetKind) -> &'static str {
    match kind.name() {
        "source" => "Sources",
        "author" => "Authors",
        "section" => "Sections",
        "tag" => "Tags",
        "topic" => "Topics",
        "place" => "Places",
        "person" => "People",
        "org" => "Organisations",
        "exchange" => "Exchanges",
        "company" => "Companies",
        _ => "Values",
    }
}

/// A search's hits under a heading for each period, oldest first,
/// undated ones last: `== 1987-03 ==`.
pub fn timeline(
    out: &mut dyn Write,
    results: &SearchResults,
    period: Period,
    width: Option<usize>,
) -> io::Result<()> {
    let layout = Layout::of(results, width);
    header_lines(out, &header(results), width)?;
    for group in timeline::groups(&results.hits, period) {
        writeln!(out)?;
        let label = group.label.as_deref().unwrap_or("undated");
        writeln!(out, "{HEADING}== {label} =={HEADING:#}")?;
        for hit in group.hits {
            search_hit(out, hit, layout)?;
        }
    }
    facets(out, &results.facets, results.total)
}

/// The articles like another, headed by that article's id and headline.
/// No total: how many articles share one telling word with it (three in
/// four of Reuters' for some) says nothing of how many are alike.
pub fn related_results(
    out: &mut dyn Write,
    related: &RelatedResults,
    width: Option<usize>,
) -> io::Result<()> {
    let results = &related.results;
    let layout = Layout::of(results, width);
    let filter = if results.filter.is_empty() {
        String::new()
    } else {
        format!(" {}", results.filter)
    };
    let none = if results.total == 0 {
        "No articles"
    } else {
        "Articles"
    };
    let what = format!(
        "{none} related to {} {}{filter}",
        safe(&related.source.id),
        quoted(&related.source.headline),
    );
    writeln!(out, "{}", with_range(what, results))?;
    for hit in &results.hits {
        search_hit(out, hit, layout)?;
    }
    Ok(())
}

/// The header, wrapped at `width` columns between words when there is a
/// width (a terminal's), its lines after the first indented by two.
fn header_lines(out: &mut dyn Write, header: &str, width: Option<usize>) -> io::Result<()> {
    let Some(width) = width else {
        return writeln!(out, "{header}");
    };
    let mut start = 0;
    for end in breaks(header, width, 0, HEADER_INDENT)
        .into_iter()
        .chain([header.len()])
    {
        let indent = if start == 0 { 0 } else { HEADER_INDENT };
        writeln!(out, "{:indent$}{}", "", &header[start..end])?;
        start = end + 1;
    }
    Ok(())
}

/// Columns a wrapped header's lines after the first are indented by.
const HEADER_INDENT: usize = 2;

/// Where an article is: its file's path, and for a member of an archive
/// the member: `/news/bbc.tar.gz (member bbc/tech/001.txt)`.
fn located(id: &str, path: &str) -> String {
    match archive_member(id) {
        Some(member) => format!("{} (member {})", safe(path), safe(member)),
        None => safe(path).into_owned(),
    }
}

/// Text in double quotes, or in single ones when it holds a double quote
/// (a phrase query): `"ceasefire"`, `'"time warner"'`.
fn quoted(text: &str) -> String {
    let text = safe(text);
    if text.contains('"') {
        format!("'{text}'")
    } else {
        format!("\"{text}\"")
    }
}

/// One hit: rank, date, headline; id; snippet; after a blank line. Lines
/// after the first start at the margin; wrapped text continues under it.
fn search_hit(out: &mut dyn Write, hit: &Hit, layout: Layout) -> io::Result<()> {
    writeln!(out)?;
    let date = hit
        .date
        .map_or_else(|| "undated".to_string(), |d| Iso(d).to_string());
    let rank = format!("{:>width$}.", hit.rank, width = layout.margin - 2);
    write!(out, "{DIM}{rank}{DIM:#} {DATE}{date:<10}{DATE:#}  ")?;
    let margin = " ".repeat(layout.margin);
    let used = layout.margin + 12;
    highlighted(out, &hit.headline, HEADLINE, layout.width, used, &margin)?;
    writeln!(out)?;
    writeln!(out, "{margin}{ID}{}{ID:#}", safe(&hit.id))?;
    if !hit.snippet.text.is_empty() {
        write!(out, "{margin}")?;
        highlighted(
            out,
            &hit.snippet,
            Style::new(),
            layout.width,
            layout.margin,
            &margin,
        )?;
        writeln!(out)?;
    }
    if !hit.similar.is_empty() {
        let n = hit.similar.len();
        let noun = if n == 1 { "article" } else { "articles" };
        writeln!(out, "{margin}{DIM}+{n} similar {noun}{DIM:#}")?;
    }
    Ok(())
}

/// Where `text` breaks into lines of at most `width` columns, the first
/// of which already has `used` columns: the byte offsets of the spaces
/// that become line breaks. A word is never split; one longer than a
/// line stands alone on it. Columns are counted in characters.
fn breaks(text: &str, width: usize, used: usize, margin: usize) -> Vec<usize> {
    let mut breaks = Vec::new();
    let mut column = used;
    let mut line_has_words = used > margin;
    let mut at = 0;
    for word in text.split(' ') {
        let length = word.chars().count();
        if at > 0 {
            if line_has_words && column + 1 + length > width {
                breaks.push(at - 1);
                column = margin + length;
            } else {
                column += 1 + length;
            }
        } else {
            column += length;
        }
        line_has_words = true;
        at += word.len() + 1;
    }
    breaks
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
    let what = if let Some(most) = results.most_words {
        let have = if total == 1 { "has" } else { "have" };
        let how_many = if most.matched == most.most {
            most.matched.to_string()
        } else {
            format!("{} or {}", most.matched, most.most)
        };
        let count = if results.total_exact {
            format!("{total} {} {have}", noun(total))
        } else {
            format!("more than {} articles have", thousands(total as u64))
        };
        format!(
            "no article has all {} words of {}{filter}; showing those with most of them: \
             {count} {how_many} of its {} words that are not stop words",
            most.typed,
            quoted(results.query.trim()),
            most.words
        )
    } else if results.query.trim().is_empty() && !results.total_exact {
        format!("more than {} articles{filter}", thousands(total as u64))
    } else if let Some(stories) = results.stories.filter(|&stories| stories != total) {
        // Folded, with near-copies among the matches: the hits are stories.
        let stories = format!(
            "{} {} ({} {})",
            thousands(stories as u64),
            if stories == 1 { "story" } else { "stories" },
            thousands(total as u64),
            noun(total)
        );
        if results.query.trim().is_empty() {
            format!("{stories}{filter}")
        } else {
            let verb = if stories.starts_with("1 ") {
                "matches"
            } else {
                "match"
            };
            format!("{stories} {verb} {}{filter}", quoted(results.query.trim()))
        }
    } else if results.query.trim().is_empty() {
        format!("{total} {}{filter}", noun(total))
    } else if !results.total_exact {
        format!(
            "more than {} articles match {}{filter}",
            thousands(total as u64),
            quoted(results.query.trim())
        )
    } else {
        let verb = if total == 1 { "matches" } else { "match" };
        format!(
            "{total} {} {verb} {}{filter}",
            noun(total),
            quoted(results.query.trim())
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

/// Writes `text` in `base` style with its highlights marked; wrapped at
/// `width` columns (the first line already holds `used`), continuing under
/// `margin`.
fn highlighted(
    out: &mut dyn Write,
    text: &Highlighted,
    base: Style,
    width: Option<usize>,
    used: usize,
    margin: &str,
) -> io::Result<()> {
    let breaks = width.map_or_else(Vec::new, |width| {
        breaks(&text.text, width, used, margin.len())
    });
    // Writes text[from..to], turning the spaces at breaks into new lines.
    let piece = |out: &mut dyn Write, from: usize, to: usize| -> io::Result<()> {
        let mut start = from;
        for &at in breaks.iter().filter(|&&at| from <= at && at < to) {
            write!(out, "{}\n{margin}", safe(&text.text[start..at]))?;
            start = at + 1;
        }
        write!(out, "{}", safe(&text.text[start..to]))
    };
    let mut done = 0;
    write!(out, "{base}")?;
    for range in &text.ranges {
        piece(out, done, range.start)?;
        write!(out, "{base:#}{MATCH}")?;
        piece(out, range.start, range.end)?;
        write!(out, "{MATCH:#}{base}")?;
        done = range.end;
    }
    piece(out, done, text.text.len())?;
    write!(out, "{base:#}")
}

pub fn stats(out: &mut dyn Write, stats: &IndexStats, dir: &Path) -> io::Result<()> {
    writeln!(out, "index     {}", dir.display())?;
    writeln!(out, "articles  {}", stats.articles)?;
    match (stats.oldest, stats.newest) {
        (Some(oldest), Some(newest)) => {
            writeln!(out, "dated     {} to {}", Iso(oldest), Iso(newest))?;
        }
        _ => writeln!(out, "dated     none")?,
    }
    writeln!(out, "undated   {}", stats.undated)?;
    writeln!(
        out,
        "copies    {} duplicates of indexed articles",
        stats.duplicates
    )?;
    if stats.stories > 0 {
        writeln!(
            out,
            "stories   {} of near-copies ({} articles)",
            thousands(stats.stories),
            thousands(stats.articles_in_stories)
        )?;
    }
    if stats.members > 0 {
        let members = thousands(stats.members);
        writeln!(out, "files     {} ({members} archive members)", stats.files)?;
    } else {
        writeln!(out, "files     {}", stats.files)?;
    }
    writeln!(out, "size      {}", indicatif::HumanBytes(stats.size_bytes))?;
    writeln!(out, "segments  {}", stats.segments)?;
    if let Some(first) = stats.top_sources.first() {
        writeln!(out, "top sources")?;
        let width = stats
            .top_sources
            .iter()
            .map(|source| safe(&source.value).chars().count())
            .max()
            .unwrap_or(0);
        let count_width = thousands(first.count).len();
        for source in &stats.top_sources {
            writeln!(
                out,
                "  {:<width$}  {:>count_width$}",
                safe(&source.value),
                thousands(source.count)
            )?;
        }
    }
    Ok(())
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
        located(&article.id, &article.path)
    )?;
    metadata(out, &article.meta)?;
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
                located(&copy.id, &copy.path)
            )?;
        }
    }
    if let Some(story) = &found.story {
        writeln!(out)?;
        let n = story.others.len();
        let noun = if n == 1 { "article" } else { "articles" };
        writeln!(out, "Story {} ({n} similar {noun}):", safe(&story.id))?;
        for other in &story.others {
            let date = other
                .date
                .map_or_else(|| "undated".to_string(), |d| Iso(d).to_string());
            writeln!(
                out,
                "  {DATE}{date:<10}{DATE:#}  {ID}{}{ID:#}",
                safe(&other.id)
            )?;
            writeln!(out, "              {}", safe(&other.headline))?;
            writeln!(
                out,
                "              {DIM}{}{DIM:#}",
                other.differences.join("; ")
            )?;
        }
    }
    Ok(())
}

/// `dateline stories`: a header line, then each story: its size, its
/// days, its first headline and id, and its articles' ids.
pub fn stories(out: &mut dyn Write, results: &StoriesResults) -> io::Result<()> {
    let total = results.total;
    let noun = if total == 1 { "story" } else { "stories" };
    let query = results.query.trim();
    let mut what = format!("{} {noun} of two or more articles", thousands(total as u64));
    if !query.is_empty() {
        what.push_str(&format!(" match {}", quoted(query)));
    }
    if !results.filter.is_empty() {
        what.push_str(&format!(" {}", results.filter));
    }
    match results.stories.len() {
        shown if shown == total => {}
        1 => what.push_str(" (showing the largest)"),
        shown => what.push_str(&format!(" (showing the {shown} largest)")),
    }
    writeln!(out, "{what}")?;
    for story in &results.stories {
        writeln!(out)?;
        let days = match story.span() {
            Some((first, last)) if first == last => Iso(first).to_string(),
            Some((first, last)) => format!("{} to {}", Iso(first), Iso(last)),
            None => "undated".to_string(),
        };
        // (The headline on a line of its own: the counts, days and ids
        // fit a narrow terminal, a headline often does not.)
        let size = story.articles.len();
        writeln!(out, "{size:>3} articles  {DATE}{days}{DATE:#}")?;
        writeln!(
            out,
            "              {HEADLINE}{}{HEADLINE:#}",
            safe(&story.headline)
        )?;
        for (id, day) in &story.articles {
            let day = day.map_or_else(|| "undated".to_string(), |d| Iso(d).to_string());
            writeln!(
                out,
                "              {DIM}{day:<10}{DIM:#}  {ID}{}{ID:#}",
                safe(id)
            )?;
        }
    }
    Ok(())
}

/// What the source said of an article besides its text, a line a part:
/// `by`, `source`, `section`, `tags`, `url`, `language`; nothing when it
/// said nothing.
fn metadata(out: &mut dyn Write, meta: &dateline::Metadata) -> io::Result<()> {
    let line = |out: &mut dyn Write, label: &str, values: &[String]| -> io::Result<()> {
        if values.is_empty() {
            return Ok(());
        }
        let values: Vec<String> = values.iter().map(|v| safe(v).into_owned()).collect();
        writeln!(out, "{DIM}{label:<8}{DIM:#}{}", values.join("; "))
    };
    line(out, "by", &meta.authors)?;
    line(out, "source", &meta.sources)?;
    line(out, "section", meta.section.as_slice())?;
    let tags: Vec<String> = meta.tags.iter().map(ToString::to_string).collect();
    line(out, "tags", &tags)?;
    line(out, "url", meta.url.as_slice())?;
    line(out, "language", meta.language.as_slice())
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
    if summary.stories > 0 {
        parts.push(format!(
            "{} of near-copies ({} articles) in the index",
            plural(summary.stories, "story", "stories"),
            summary.articles_in_stories
        ));
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

#[cfg(test)]
mod tests {
    use super::*;
    use dateline::{DateFilter, Highlighted};

    fn results(ranks: std::ops::Range<usize>, snippet: &str) -> SearchResults {
        let hits = ranks
            .map(|rank| Hit {
                rank,
                id: format!("news/{rank}.txt"),
                path: String::new(),
                date: None,
                time: None,
                score: Some(1.0),
                headline: Highlighted {
                    text: "Ferry strike halts island crossings for a third day".into(),
                    ranges: std::iter::once(0..5).collect(),
                },
                snippet: Highlighted {
                    text: snippet.into(),
                    ranges: if snippet.len() >= 9 {
                        std::iter::once(4..9).collect()
                    } else {
                        vec![]
                    },
                },
                body: String::new(),
                meta: Default::default(),
                story: None,
                similar: Vec::new(),
            })
            .collect::<Vec<_>>();
        SearchResults {
            query: "ferry".into(),
            filter: DateFilter::default(),
            sort: Sort::Relevance,
            total: 2000,
            total_exact: true,
            offset: hits.first().map_or(0, |hit| hit.rank - 1),
            took: std::time::Duration::ZERO,
            hits,
            suggestion: None,
            operators: None,
            most_words: None,
            facets: Vec::new(),
            folded: false,
            stories: None,
        }
    }

    #[test]
    fn the_header_says_when_the_articles_with_most_words_answered() {
        let mut results = results(1..3, "snippet");
        results.most_words = Some(dateline::MostWords {
            typed: 14,
            words: 8,
            matched: 6,
            most: 7,
        });
        assert_eq!(
            header(&results),
            "no article has all 14 words of \"ferry\"; showing those with most of them: 2000 \
             articles have 6 or 7 of its 8 words that are not stop words (showing 1–2, best first)"
        );
        results.most_words = Some(dateline::MostWords {
            typed: 3,
            words: 3,
            matched: 3,
            most: 3,
        });
        results.total = 1;
        assert!(header(&results).contains("most of them: 1 article has 3 of its 3 words"));
    }

    fn printed(results: &SearchResults, width: Option<usize>) -> String {
        let mut out = Vec::new();
        search_results(&mut out, results, width).unwrap();
        anstream::adapter::strip_str(&String::from_utf8(out).unwrap()).to_string()
    }

    #[test]
    fn wrapped_lines_fit_continue_under_the_margin_and_keep_words_whole() {
        let snippet = "The ferry operators said crossings would resume on Thursday if \
                       the weather allowed, though unions warned of further strikes.";
        for width in [40, 70, 200] {
            let text = printed(&results(1..3, snippet), Some(width));
            for line in text.lines() {
                assert!(line.chars().count() <= width, "{width}: {line:?}");
            }
            let words: Vec<&str> = text.split_whitespace().collect();
            for word in snippet.split(' ') {
                assert!(words.contains(&word), "{width}: {word} split in {text}");
            }
            // Every line of a hit after the first starts at the margin.
            let hits = text.split_once("\n\n").map_or("", |(_, hits)| hits);
            for line in hits.lines().filter(|l| !l.is_empty()) {
                assert!(
                    line.starts_with("     ") || line.trim_start().starts_with(char::is_numeric),
                    "{width}: {line:?}"
                );
            }
        }
        // Unwrapped when there is no width: the snippet on one line.
        assert!(printed(&results(1..2, snippet), None).contains(snippet));
    }

    #[test]
    fn a_long_header_wraps_between_words_under_an_indent() {
        let mut results = results(1..3, "The ferry ran.");
        results.query = "ferry strike island crossings".into();
        results.sort = Sort::Oldest;
        let one_line = header(&results);
        for width in [30, 45, 70] {
            let text = printed(&results, Some(width));
            let lines: Vec<&str> = text.split("\n\n").next().unwrap().lines().collect();
            assert!(lines.len() > 1, "{width}: {lines:?}");
            for (n, line) in lines.iter().enumerate() {
                assert!(line.chars().count() <= width, "{width}: {line:?}");
                assert_eq!(line.starts_with("  "), n > 0, "{width}: {line:?}");
            }
            let words: Vec<&str> = lines.iter().flat_map(|l| l.split_whitespace()).collect();
            assert_eq!(words, one_line.split_whitespace().collect::<Vec<_>>());
        }
        // Piped (no width), it stays one line however long.
        assert!(printed(&results, None).starts_with(&format!("{one_line}\n\n")));
    }

    #[test]
    fn ranks_of_four_digits_keep_the_margin() {
        let text = printed(&results(998..1002, "The ferry ran."), None);
        assert!(text.contains("\n 998. "), "{text}");
        assert!(text.contains("\n1001. "), "{text}");
        assert!(text.contains("\n      news/1001.txt"), "{text}");
    }

    #[test]
    fn a_query_with_quotes_is_echoed_in_single_ones() {
        let mut quoted_query = results(1..2, "x");
        quoted_query.query = "\"time warner\"".into();
        let text = printed(&quoted_query, None);
        assert!(
            text.starts_with("2000 articles match '\"time warner\"'"),
            "{text}"
        );
    }

    #[test]
    fn breaks_fall_on_spaces_never_inside_words() {
        assert_eq!(breaks("aaa bbb ccc", 7, 0, 0), [7]);
        assert_eq!(breaks("aaa bbb ccc", 6, 0, 0), [3, 7]);
        assert_eq!(breaks("aaa bbb ccc", 11, 0, 0), Vec::<usize>::new());
        // A word longer than the line stands alone.
        assert_eq!(breaks("a verylongword b", 6, 0, 0), [1, 14]);
        // The first line already holds some columns.
        assert_eq!(breaks("aaa bbb", 8, 5, 2), [3]);
    }
}
