//! What every fuzz target checks, one function per target. The fuzz targets
//! in `fuzz_targets/` call these; `tests/integration/fuzz_regressions.rs` in the main
//! crate includes this file and runs every saved input in `regressions/`
//! through the same function, so a crash found once stays fixed.
//!
//! Beyond "no panic", each check asserts what the rest of dateline relies
//! on: headlines and metadata on one line, spans in order, highlights on
//! character boundaries, error messages on one line.

use std::path::PathBuf;
use std::sync::OnceLock;

use dateline::internals::container::{self, Item};
use dateline::internals::dates::{self, DateFilter, DateSpan, Iso};
use dateline::internals::formats::{self, Format, FormatOptions, Parsed};
use dateline::internals::query;
use dateline::internals::schema::{self, Fields};
use dateline::internals::snippet::{Highlighted, Highlighter};
use dateline::internals::Origin;

/// The largest input a check reads (libFuzzer's default `-max_len` is 4 KiB;
/// saved regressions may be larger).
const MAX_INPUT: usize = 1 << 20;

fn origin() -> Origin {
    Origin {
        id: "fuzz/input.txt".to_string(),
        path: "/fuzz/input.txt".to_string(),
    }
}

/// Parses `data` in one format, as the indexer would after decoding.
fn parse_as(format: Format, data: &[u8]) {
    if data.len() > MAX_INPUT {
        return;
    }
    let Ok(decoded) = formats::decode(data) else {
        return;
    };
    if let Ok(parsed) = formats::parse(format, &decoded.text, &origin(), &FormatOptions::default())
    {
        check_parsed(&parsed);
    }
}

/// What the index and the renderers rely on of every parsed article.
fn check_parsed(parsed: &Parsed) {
    let origin = origin();
    for article in &parsed.articles {
        assert!(
            article.id == origin.id || article.id.starts_with(&format!("{}#", origin.id)),
            "id {:?} is not of the file {:?}",
            article.id,
            origin.id
        );
        assert!(
            !article.headline.contains(['\n', '\r']),
            "headline not on one line: {:?}",
            article.headline
        );
        // What is quoted is whole lines of the body, in order and apart.
        let body = &article.body;
        let mut after = None;
        for range in &article.quoted {
            assert!(
                range.start < range.end
                    && range.end <= body.len()
                    && body.is_char_boundary(range.start)
                    && body.is_char_boundary(range.end),
                "quoted range {range:?} not of the body ({} bytes)",
                body.len()
            );
            assert!(
                (range.start == 0 || body.as_bytes()[range.start - 1] == b'\n')
                    && (range.end == body.len() || body.as_bytes()[range.end - 1] == b'\n'),
                "quoted range {range:?} not whole lines of {body:?}"
            );
            assert!(
                after.is_none_or(|end| end < range.start),
                "quoted ranges out of order or touching: {:?}",
                article.quoted
            );
            after = Some(range.end);
        }
        let meta = &article.meta;
        let values = meta
            .authors
            .iter()
            .chain(&meta.sources)
            .chain(meta.tags.iter().map(|tag| &tag.value))
            .chain(meta.tags.iter().filter_map(|tag| tag.kind.as_ref()))
            .chain(&meta.section)
            .chain(&meta.url)
            .chain(&meta.language);
        for value in values {
            assert!(
                !value.is_empty() && value.trim() == value && !value.contains(char::is_control),
                "metadata not one trimmed line: {value:?}"
            );
        }
    }
    for problem in &parsed.problems {
        let shown = problem.to_string();
        assert!(!shown.contains('\n'), "problem not on one line: {shown:?}");
    }
}

pub fn text(data: &[u8]) {
    parse_as(Format::Text, data);
}

pub fn headline(data: &[u8]) {
    parse_as(Format::Headline, data);
}

pub fn reuters(data: &[u8]) {
    parse_as(Format::Reuters, data);
}

pub fn json(data: &[u8]) {
    parse_as(Format::Json, data);
}

pub fn mail(data: &[u8]) {
    parse_as(Format::Mail, data);
}

/// File names that steer detection, picked by the first byte.
const NAMES: [&str; 8] = [
    "a.txt", "a.sgm", "a.jsonl", "a.json", "a.eml", "a.mbox", "12345", "a.text",
];

/// The indexer's path for a file: decode, detect the format by name and
/// content, parse.
pub fn detect(data: &[u8]) {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    if rest.len() > MAX_INPUT {
        return;
    }
    let name = NAMES[usize::from(first) % NAMES.len()];
    let Ok(decoded) = formats::decode(rest) else {
        return;
    };
    let format = formats::detect(name, &decoded.text);
    if let Ok(parsed) = formats::parse(format, &decoded.text, &origin(), &FormatOptions::default())
    {
        check_parsed(&parsed);
    }
}

/// `--on`, `--from` and `--to` as typed: up to three lines of input.
pub fn dates(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(3, '\n');
    let (on, from, to) = (parts.next(), parts.next(), parts.next());
    for part in [on, from, to].into_iter().flatten() {
        if let Ok(span) = DateSpan::parse(part) {
            assert!(span.first <= span.last, "{part:?} gave {span:?}");
        }
        if let Ok(day) = dates::parse_day(part) {
            let shown = Iso(day).to_string();
            assert_eq!(dates::parse_day(&shown).ok(), Some(day), "{part:?}");
            assert_eq!(
                DateSpan::parse(&shown).ok(),
                Some(DateSpan {
                    first: day,
                    last: day
                })
            );
        }
    }
    // Every way of combining the flags: an error, or a filter in order.
    for mask in 0..8u8 {
        let result = DateFilter::from_flags(
            on.filter(|_| mask & 1 != 0),
            from.filter(|_| mask & 2 != 0),
            to.filter(|_| mask & 4 != 0),
        );
        match result {
            Ok(DateFilter {
                from: Some(first),
                to: Some(last),
            }) => assert!(first <= last),
            Ok(_) => {}
            Err(err) => assert!(!err.to_string().contains('\n'), "{err}"),
        }
    }
}

/// The schema's fields, made once.
fn fields() -> &'static Fields {
    static FIELDS: OnceLock<Fields> = OnceLock::new();
    FIELDS.get_or_init(|| schema::build().1)
}

/// A query as typed on the command line: parsed, then compiled for tantivy.
pub fn query(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match query::parse(text) {
        Ok(node) => {
            let compiled = query::compile(
                node.as_ref(),
                &DateFilter::default(),
                fields(),
                &schema::english_analyzer(),
            );
            if let Err(err) = compiled {
                assert!(!err.to_string().contains('\n'), "{err}");
            }
        }
        Err(err) => assert!(!err.to_string().contains('\n'), "{err}"),
    }
}

/// An empty index to weigh words against, made once.
fn searcher() -> &'static tantivy::Searcher {
    static SEARCHER: OnceLock<tantivy::Searcher> = OnceLock::new();
    SEARCHER.get_or_init(|| {
        let (schema, _) = schema::build();
        let index = tantivy::Index::create_in_ram(schema);
        let reader = index.reader().expect("a reader of an empty index");
        reader.searcher()
    })
}

/// A query (the first line) highlighted in a text (the rest): whole, and
/// cut to a snippet of a length taken from the first byte.
pub fn snippet(data: &[u8]) {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let Ok(input) = std::str::from_utf8(rest) else {
        return;
    };
    let (query_text, text) = input.split_once('\n').unwrap_or((input, ""));
    let Ok(Some(node)) = query::parse(query_text) else {
        return;
    };
    let analyzer = schema::english_analyzer();
    let Ok(compiled) = query::compile(Some(&node), &DateFilter::default(), fields(), &analyzer)
    else {
        return;
    };
    let highlighter = Highlighter::new(
        searcher(),
        searcher(),
        analyzer,
        fields().body,
        &compiled.highlights,
    )
    .expect("weighing words against an empty index");
    check_highlighted(&highlighter.whole(text));
    let max_len = usize::from(first) * 4;
    let snippet = highlighter.snippet(text, max_len);
    check_highlighted(&snippet);
}

/// Highlights lie inside the text, on character boundaries, in order and
/// apart; the text is on one line.
fn check_highlighted(shown: &Highlighted) {
    assert!(!shown.text.contains('\n'), "{:?}", shown.text);
    let mut end = 0;
    for range in &shown.ranges {
        assert!(
            range.start >= end,
            "{:?} overlap or out of order",
            shown.ranges
        );
        assert!(range.start < range.end, "empty highlight {range:?}");
        assert!(range.end <= shown.text.len(), "{range:?} past the text");
        assert!(shown.text.is_char_boundary(range.start));
        assert!(shown.text.is_char_boundary(range.end));
        end = range.end;
    }
}

/// Container kinds, picked by the first byte (and the size limit by what
/// is left of it).
const CONTAINERS: [&str; 5] = ["a.jsonl", "a.jsonl.gz", "a.tar", "a.tar.gz", "a.zip"];

/// A file as found in a folder: opened as a container (gzip, tar, zip)
/// and every member parsed.
pub fn container(data: &[u8]) {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let name = CONTAINERS[usize::from(first) % CONTAINERS.len()];
    let dir = scratch_dir();
    let path = dir.join(name);
    if std::fs::write(&path, rest).is_err() {
        return;
    }
    let origin = Origin {
        id: "fuzz/input.txt".to_string(),
        path: path.display().to_string(),
    };
    // Small limits, so that JSON lines come in pieces and a gzip bomb is
    // cut off early.
    let limits = container::ReadLimits {
        limit: 64 + u64::from(first / 5) * 64,
        pieces: true,
    };
    let mut seen_keys = formats::json::SeenKeys::default();
    let mut ids = std::collections::HashSet::new();
    container::open(&path, rest.len() as u64, origin, limits, &mut |item| {
        match item {
            Item::Member(member) if member.piece.is_some() => {
                if let (Ok(decoded), Some(piece)) = (formats::decode(&member.bytes), member.piece) {
                    let options = FormatOptions::default();
                    let parsed = formats::parse_piece(
                        &decoded.text,
                        piece.first_line,
                        &member.origin,
                        &options,
                        &mut seen_keys,
                    );
                    check_parsed(&parsed);
                    for article in parsed.articles {
                        assert!(ids.insert(article.id.clone()), "id {} twice", article.id);
                    }
                }
            }
            Item::Member(member) => {
                if let Ok(decoded) = formats::decode(&member.bytes) {
                    let format = formats::detect(&member.name, &decoded.text);
                    let _ = formats::parse(
                        format,
                        &decoded.text,
                        &member.origin,
                        &FormatOptions::default(),
                    );
                }
            }
            Item::Unreadable { reason, .. } => assert!(!reason.contains('\n'), "{reason:?}"),
            Item::TooLarge { .. } | Item::Ignored => {}
        }
        true
    });
}

/// The folder of this process's own for container inputs, once made.
static DIR: OnceLock<PathBuf> = OnceLock::new();

/// Removes the scratch folder, if one was made: for the regression tests,
/// which should leave nothing in the temporary folder. (A fuzzer keeps
/// it for the millions of inputs it runs.)
pub fn remove_scratch_dir() {
    if let Some(dir) = DIR.get() {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// A folder of this process's own for container inputs.
fn scratch_dir() -> &'static PathBuf {
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("dateline-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a scratch folder");
        dir
    })
}
