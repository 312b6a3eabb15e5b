//! The `--json` documents. Their shapes are documented in the README and are
//! a contract: add fields, never rename or remove them.

use std::io::{self, Write};

use serde::Serialize;

use dateline::{
    archive_member, Clock, Facet, Found, IndexStats, Iso, Period, SearchResults, StoriesResults,
};

use crate::render::fields::{HitField, SelectedHit};

#[derive(Serialize)]
struct Results<'a> {
    query: &'a str,
    /// The exact count, or (with `total_exact` false) a lower bound: more
    /// than this many match.
    total: usize,
    total_exact: bool,
    /// Only when near-copies were folded (one hit per story): how many
    /// stories match, or null when the total is not exact. (A search of
    /// an index without near-copies, or with `--no-fold`, has no
    /// `stories`, as documents of earlier versions.)
    #[serde(skip_serializing_if = "Option::is_none")]
    stories: Option<Option<usize>>,
    offset: usize,
    took_ms: f64,
    /// Only when no article had every word and those with the most of
    /// them answered: `most_words`. (A search answered as written has no
    /// `mode`, so the documents of earlier versions keep their keys.)
    #[serde(skip_serializing_if = "Option::is_none")]
    mode: Option<&'static str>,
    /// Only with `most_words`: the query's words looked for (stop words
    /// left out), how many of them each hit has at least, and the most any
    /// article has.
    #[serde(skip_serializing_if = "Option::is_none")]
    words: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    words_matched: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    words_most: Option<usize>,
    hits: Vec<SelectedHit<'a>>,
    /// Only when nothing matched and a corrected query would.
    #[serde(skip_serializing_if = "Option::is_none")]
    suggestion: Option<Suggestion<'a>>,
    /// Only when a lower-case `or`, `and` or `not` stood between words and
    /// the query with operators finds more.
    #[serde(skip_serializing_if = "Option::is_none")]
    operators: Option<Suggestion<'a>>,
    /// Only with `--facets`: for each facet asked for, its top values.
    #[serde(skip_serializing_if = "Option::is_none")]
    facets: Option<Facets<'a>>,
}

/// The facets of a search, in the order asked, keyed by name.
struct Facets<'a>(&'a [Facet]);

impl Serialize for Facets<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for facet in self.0 {
            map.serialize_entry(
                facet.kind.name(),
                &FacetJson {
                    values: facet
                        .values
                        .iter()
                        .map(|v| FacetValueJson {
                            value: &v.value,
                            count: v.count,
                        })
                        .collect(),
                    other: facet.other,
                    exact: facet.exact,
                },
            )?;
        }
        map.end()
    }
}

#[derive(Serialize)]
struct FacetJson<'a> {
    /// Most articles first.
    values: Vec<FacetValueJson<'a>>,
    /// The sum of the counts of the values not listed.
    other: u64,
    exact: bool,
}

#[derive(Serialize)]
struct FacetValueJson<'a> {
    value: &'a str,
    count: u64,
}

#[derive(Serialize)]
struct Suggestion<'a> {
    query: &'a str,
    total: usize,
}

#[derive(Serialize)]
struct Stats<'a> {
    articles: u64,
    undated: u64,
    duplicates: u64,
    /// Stories of two or more near-copies, and the articles in them.
    stories: u64,
    articles_in_stories: u64,
    files: u64,
    members: u64,
    oldest: Option<String>,
    newest: Option<String>,
    size_bytes: u64,
    segments: usize,
    /// The sources most articles came from, most first.
    top_sources: Vec<FacetValueJson<'a>>,
}

#[derive(Serialize)]
struct Stored<'a> {
    id: &'a str,
    path: &'a str,
    /// The member of the archive at `path`, when it is one.
    member: Option<&'a str>,
    date: Option<String>,
    /// `HH:MM:SS` when the source gave a time of day.
    time: Option<String>,
    headline: &'a str,
    body: &'a str,
    /// Other files holding the same article.
    copies: Vec<StoredCopy<'a>>,
    authors: &'a [String],
    sources: &'a [String],
    section: Option<&'a str>,
    /// `kind:value`, or the value of a keyword.
    tags: Vec<String>,
    url: Option<&'a str>,
    language: Option<&'a str>,
    /// Its story, when it is one of two or more near-copies.
    story: Option<StoredStory<'a>>,
}

#[derive(Serialize)]
struct StoredStory<'a> {
    id: &'a str,
    similar: Vec<StoryMember<'a>>,
}

#[derive(Serialize)]
struct StoryMember<'a> {
    id: &'a str,
    date: Option<String>,
    headline: &'a str,
    differences: &'a [String],
}

#[derive(Serialize)]
struct StoredCopy<'a> {
    id: &'a str,
    path: &'a str,
    member: Option<&'a str>,
}

#[derive(Serialize)]
struct StoriesJson<'a> {
    query: &'a str,
    /// How many stories of two or more matching articles there are.
    total: usize,
    stories: Vec<StoryJson<'a>>,
}

#[derive(Serialize)]
struct StoryJson<'a> {
    id: &'a str,
    headline: &'a str,
    /// How many of its articles match.
    size: usize,
    /// How many articles the whole story has.
    story_size: usize,
    first: Option<String>,
    last: Option<String>,
    articles: Vec<StoryArticleJson<'a>>,
}

#[derive(Serialize)]
struct StoryArticleJson<'a> {
    id: &'a str,
    date: Option<String>,
}

/// `dateline stories --json`.
pub fn stories(out: &mut dyn Write, results: &StoriesResults) -> io::Result<()> {
    write(
        out,
        &StoriesJson {
            query: &results.query,
            total: results.total,
            stories: results
                .stories
                .iter()
                .map(|story| StoryJson {
                    id: &story.id,
                    headline: &story.headline,
                    size: story.articles.len(),
                    story_size: story.size,
                    first: iso(story.span().map(|(first, _)| first)),
                    last: iso(story.span().map(|(_, last)| last)),
                    articles: story
                        .articles
                        .iter()
                        .map(|(id, date)| StoryArticleJson {
                            id,
                            date: iso(*date),
                        })
                        .collect(),
                })
                .collect(),
        },
    )
}

fn iso(date: Option<time::Date>) -> Option<String> {
    date.map(|d| Iso(d).to_string())
}

fn write(out: &mut dyn Write, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    writeln!(out)
}

pub fn search_results(out: &mut dyn Write, results: &SearchResults) -> io::Result<()> {
    search_results_with_fields(out, results, &HitField::JSON_DEFAULT, None)
}

/// The search document with only `fields` in each hit (`--fields`); the
/// top-level keys are always all there. In a timeline each hit also
/// carries its `group`: the period heading it falls under.
pub fn search_results_with_fields(
    out: &mut dyn Write,
    results: &SearchResults,
    fields: &[HitField],
    timeline: Option<Period>,
) -> io::Result<()> {
    let hits = results
        .hits
        .iter()
        .map(|hit| SelectedHit {
            hit,
            fields,
            timeline,
        })
        .collect();
    results_json(out, results, hits)
}

fn results_json(
    out: &mut dyn Write,
    results: &SearchResults,
    hits: Vec<SelectedHit<'_>>,
) -> io::Result<()> {
    write(
        out,
        &Results {
            query: &results.query,
            total: results.total,
            total_exact: results.total_exact,
            stories: results.folded.then_some(results.stories),
            offset: results.offset,
            took_ms: results.took.as_micros() as f64 / 1000.0,
            mode: results.most_words.map(|_| "most_words"),
            words: results.most_words.map(|most| most.words),
            words_matched: results.most_words.map(|most| most.matched),
            words_most: results.most_words.map(|most| most.most),
            hits,
            suggestion: results.suggestion.as_ref().map(|s| Suggestion {
                query: &s.query,
                total: s.total,
            }),
            operators: results.operators.as_ref().map(|s| Suggestion {
                query: &s.query,
                total: s.total,
            }),
            facets: (!results.facets.is_empty()).then_some(Facets(&results.facets)),
        },
    )
}

/// `--format jsonl`: each hit on a line of its own, as in the `hits` of
/// [`search_results_with_fields`], with no document around them.
pub fn search_hit_lines(
    out: &mut dyn Write,
    results: &SearchResults,
    fields: &[HitField],
    timeline: Option<Period>,
) -> io::Result<()> {
    for hit in &results.hits {
        write(
            out,
            &SelectedHit {
                hit,
                fields,
                timeline,
            },
        )?;
    }
    Ok(())
}

pub fn stats(out: &mut dyn Write, stats: &IndexStats) -> io::Result<()> {
    write(
        out,
        &Stats {
            articles: stats.articles,
            undated: stats.undated,
            duplicates: stats.duplicates,
            stories: stats.stories,
            articles_in_stories: stats.articles_in_stories,
            files: stats.files,
            members: stats.members,
            oldest: iso(stats.oldest),
            newest: iso(stats.newest),
            size_bytes: stats.size_bytes,
            segments: stats.segments,
            top_sources: stats
                .top_sources
                .iter()
                .map(|source| FacetValueJson {
                    value: &source.value,
                    count: source.count,
                })
                .collect(),
        },
    )
}

pub fn article(out: &mut dyn Write, found: &Found) -> io::Result<()> {
    let article = &found.article;
    write(
        out,
        &Stored {
            id: &article.id,
            path: &article.path,
            member: archive_member(&article.id),
            date: iso(article.date),
            time: article.time.map(|t| Clock(t).to_string()),
            headline: &article.headline,
            body: &article.body,
            copies: found
                .copies
                .iter()
                .map(|copy| StoredCopy {
                    id: &copy.id,
                    path: &copy.path,
                    member: archive_member(&copy.id),
                })
                .collect(),
            authors: &article.meta.authors,
            sources: &article.meta.sources,
            section: article.meta.section.as_deref(),
            tags: article.meta.tags.iter().map(ToString::to_string).collect(),
            url: article.meta.url.as_deref(),
            language: article.meta.language.as_deref(),
            story: found.story.as_ref().map(|story| StoredStory {
                id: &story.id,
                similar: story
                    .others
                    .iter()
                    .map(|other| StoryMember {
                        id: &other.id,
                        date: iso(other.date),
                        headline: &other.headline,
                        differences: &other.differences,
                    })
                    .collect(),
            }),
        },
    )
}
