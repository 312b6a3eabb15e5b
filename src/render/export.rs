//! `dateline export`'s lines: each article as one JSON document, for
//! another search engine to ingest; with `es-bulk`, each after the action
//! line of Elasticsearch's and OpenSearch's `_bulk` API. The keys are a
//! contract (doc/OUTPUT.md), and so are the mappings that read them
//! (doc/export/): add keys, never rename or remove them.

use std::io::{self, Write};

use serde::Serialize;
use time::{Date, Time};

use dateline::{Exported, Iso};

use crate::cli::config::ExportOutput;

/// One article: a key with no value (no date, no story, no authors) is
/// left out rather than written as `null` or `[]`.
#[derive(Serialize)]
struct Document<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<String>,
    headline: &'a str,
    body: &'a str,
    path: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    story: Option<&'a str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    authors: &'a [String],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    sources: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    section: Option<&'a str>,
    /// `kind:value`, or the value of a keyword.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'a str>,
}

/// `{"index":{"_index":"NAME","_id":"ID"}}`: index (create or replace)
/// this document under the article's id, so that exporting again updates
/// rather than duplicates.
#[derive(Serialize)]
struct Action<'a> {
    index: Target<'a>,
}

#[derive(Serialize)]
struct Target<'a> {
    #[serde(rename = "_index")]
    index: &'a str,
    #[serde(rename = "_id")]
    id: &'a str,
}

/// Writes one article as `output` asks: its document on a line, after
/// its action line for `es-bulk`. Every line ends with `\n`, the last
/// one too, as `_bulk` requires.
pub fn article(out: &mut dyn Write, output: &ExportOutput, exported: &Exported) -> io::Result<()> {
    let article = &exported.article;
    if let ExportOutput::EsBulk { index } = output {
        let action = Action {
            index: Target {
                index,
                id: &article.id,
            },
        };
        serde_json::to_writer(&mut *out, &action)?;
        out.write_all(b"\n")?;
    }
    let meta = &article.meta;
    let document = Document {
        id: &article.id,
        date: article.date.map(|date| rfc3339(date, article.time)),
        headline: &article.headline,
        body: &article.body,
        path: &article.path,
        story: exported.story.as_deref(),
        authors: &meta.authors,
        sources: &meta.sources,
        section: meta.section.as_deref(),
        tags: meta.tags.iter().map(ToString::to_string).collect(),
        url: meta.url.as_deref(),
        language: meta.language.as_deref(),
    };
    serde_json::to_writer(&mut *out, &document)?;
    out.write_all(b"\n")
}

/// A day and time of day as RFC 3339, midnight when there is no time:
/// `1987-02-26T00:00:00Z`. Never a number of seconds since 1970: Quickwit
/// refuses those before 1972 (it reads small numbers as another unit),
/// and a news archive goes back further. The `Z` is the index's: a time
/// is kept as the source gave it, its offset dropped (FORMATS.md, "Dates
/// and time zones"), and stored as UTC.
fn rfc3339(date: Date, time: Option<Time>) -> String {
    let time = time.unwrap_or(Time::MIDNIGHT);
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        Iso(date),
        time.hour(),
        time.minute(),
        time.second()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use dateline::{Article, Metadata, Tag};
    use time::macros::{date, time};

    fn exported() -> Exported {
        Exported {
            article: Article {
                id: "wire.jsonl#a\"1".into(),
                path: "/news/wire.jsonl".into(),
                date: Some(date!(1987 - 02 - 26)),
                time: None,
                headline: "Quote \" backslash \\ tab\t".into(),
                body: "Zürich\n\nsecond".into(),
                quoted: Vec::new(),
                meta: Metadata {
                    tags: vec![Tag::of("place", "usa"), Tag::keyword("oil")],
                    ..Metadata::default()
                },
            },
            story: Some("wire.jsonl#first".into()),
        }
    }

    fn lines(output: &ExportOutput, exported: &Exported) -> String {
        let mut out = Vec::new();
        article(&mut out, output, exported).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_document_is_one_line_with_only_the_keys_that_have_values() {
        let text = lines(&ExportOutput::Ndjson, &exported());
        assert_eq!(
            text,
            "{\"id\":\"wire.jsonl#a\\\"1\",\"date\":\"1987-02-26T00:00:00Z\",\
             \"headline\":\"Quote \\\" backslash \\\\ tab\\t\",\"body\":\"Zürich\\n\\nsecond\",\
             \"path\":\"/news/wire.jsonl\",\"story\":\"wire.jsonl#first\",\
             \"tags\":[\"place:usa\",\"oil\"]}\n"
        );
        let mut undated = exported();
        undated.article.date = None;
        undated.story = None;
        let text = lines(&ExportOutput::Ndjson, &undated);
        assert!(
            !text.contains("\"date\"") && !text.contains("\"story\""),
            "{text}"
        );
    }

    #[test]
    fn a_bulk_document_follows_its_action() {
        let output = ExportOutput::EsBulk {
            index: "news".into(),
        };
        let text = lines(&output, &exported());
        let (action, document) = text.split_once('\n').unwrap();
        assert_eq!(
            action,
            "{\"index\":{\"_index\":\"news\",\"_id\":\"wire.jsonl#a\\\"1\"}}"
        );
        assert_eq!(document, lines(&ExportOutput::Ndjson, &exported()));
        assert!(text.ends_with("}\n"));
    }

    #[test]
    fn dates_are_rfc3339_with_their_time_of_day() {
        assert_eq!(rfc3339(date!(1700 - 01 - 01), None), "1700-01-01T00:00:00Z");
        assert_eq!(
            rfc3339(date!(1987 - 10 - 19), Some(time!(9:05:07))),
            "1987-10-19T09:05:07Z"
        );
    }
}
