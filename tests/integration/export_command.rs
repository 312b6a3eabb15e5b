//! `dateline export`: every matching article as a JSON line (`ndjson`) or
//! as Elasticsearch's `_bulk` body (`es-bulk`), for other search engines.
//! None of them can run here, so the format is pinned by golden files
//! (`tests/snapshots/export.ndjson`, `export.bulk`) and checked line by
//! line: JSON, RFC 3339 dates, actions paired with their documents, the
//! order, and the same articles as `search --count` counts.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use serde_json::{Map, Value};

use crate::common::*;

/// Every key a document may have, in the order it is written.
const KEYS: [&str; 12] = [
    "id", "date", "headline", "body", "path", "story", "authors", "sources", "section", "tags",
    "url", "language",
];

/// Runs `dateline export ARGS…`, which must succeed (exit 0, or 1 when
/// nothing matched, with no output) and print nothing on stderr.
#[track_caller]
fn export(dl: &Dateline, args: &[&str]) -> String {
    let mut all = vec!["export"];
    all.extend_from_slice(args);
    let run = dl.run(&all);
    assert!(run.stderr.is_empty(), "export {args:?}: {}", run.stderr);
    run.expect_code(if run.stdout.is_empty() { 1 } else { 0 });
    assert!(
        run.stdout.is_empty() || run.stdout.ends_with('\n'),
        "the last line is not ended: {:?}",
        run.stdout
    );
    run.stdout.clone()
}

/// Each line of an export as a JSON object, checked against the
/// documented keys and types (their order is the golden files').
#[track_caller]
fn documents(text: &str) -> Vec<Map<String, Value>> {
    text.lines()
        .map(|line| {
            let value: Value =
                serde_json::from_str(line).unwrap_or_else(|err| panic!("not JSON ({err}): {line}"));
            let object = value.as_object().expect("a JSON object").clone();
            check_document(&object);
            object
        })
        .collect()
}

#[track_caller]
fn check_document(document: &Map<String, Value>) {
    for key in document.keys() {
        assert!(
            KEYS.contains(&key.as_str()),
            "unknown key {key}: {document:?}"
        );
    }
    for key in ["id", "headline", "body", "path"] {
        assert!(document[key].is_string(), "{key}: {document:?}");
    }
    if let Some(date) = document.get("date") {
        let date = date.as_str().expect("a date is a string, never a number");
        assert!(is_rfc3339(date), "{date:?} is not YYYY-MM-DDTHH:MM:SSZ");
    }
    for key in ["story", "section", "url", "language"] {
        if let Some(value) = document.get(key) {
            assert!(
                value.as_str().is_some_and(|v| !v.is_empty()),
                "{key}: {value}"
            );
        }
    }
    for key in ["authors", "sources", "tags"] {
        if let Some(values) = document.get(key) {
            let values = values.as_array().expect("an array");
            assert!(!values.is_empty(), "an empty {key} is left out");
            assert!(values.iter().all(Value::is_string), "{key}: {values:?}");
        }
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ`, as RFC 3339 writes a UTC time.
fn is_rfc3339(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 20
        && is_iso_day(&text[..10])
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && b[19] == b'Z'
        && [11, 12, 14, 15, 17, 18]
            .iter()
            .all(|&i| b[i].is_ascii_digit())
}

fn text<'a>(document: &'a Map<String, Value>, key: &str) -> &'a str {
    document[key].as_str().expect("a string")
}

/// The ids of an export's documents, in order.
fn export_ids(text: &str) -> Vec<String> {
    documents(text)
        .iter()
        .map(|document| text_of(document, "id"))
        .collect()
}

fn text_of(document: &Map<String, Value>, key: &str) -> String {
    text(document, key).to_string()
}

/// Checks that documents come by date (oldest first), then id, undated
/// last.
#[track_caller]
fn check_order(documents: &[Map<String, Value>]) {
    let key = |document: &Map<String, Value>| {
        (
            document.get("date").is_none(),
            document
                .get("date")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            text_of(document, "id"),
        )
    };
    for pair in documents.windows(2) {
        assert!(
            key(&pair[0]) < key(&pair[1]),
            "out of order: {:?} then {:?}",
            key(&pair[0]),
            key(&pair[1])
        );
    }
}

/// Splits an es-bulk body into (action, document) pairs, checking that
/// they alternate, that each action indexes into `index` under its
/// document's id, and that the body ends with a line feed.
#[track_caller]
fn bulk_pairs(text: &str, index: &str) -> Vec<(Value, Map<String, Value>)> {
    assert!(text.ends_with('\n'), "_bulk needs a final line feed");
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines.len().is_multiple_of(2),
        "an action without its document"
    );
    lines
        .chunks(2)
        .map(|pair| {
            let action: Value = serde_json::from_str(pair[0]).expect("an action line");
            let document = documents(pair[1]).remove(0);
            assert_eq!(
                action,
                serde_json::json!({"index": {"_index": index, "_id": document["id"]}}),
                "the action of {}",
                pair[1]
            );
            // The action's keys in the order _bulk examples give them.
            assert!(
                pair[0].starts_with("{\"index\":{\"_index\":"),
                "{}",
                pair[0]
            );
            (action, document)
        })
        .collect()
}

/// An export as kept in a golden file: the clone's folder in paths
/// written as `/tmp/dateline`, as the documents' examples write it.
fn portable(text: &str) -> String {
    let mut text = text.to_string();
    let root = root();
    let canonical = root.canonicalize().unwrap_or_else(|_| root.clone());
    for dir in [canonical, root] {
        let json = serde_json::to_string(dir.to_str().expect("a UTF-8 clone path")).unwrap();
        text = text.replace(json.trim_matches('"'), "/tmp/dateline");
    }
    text
}

/// `export` of the fixtures, as kept in `tests/snapshots/export.ndjson`
/// and `export.bulk`, which show what Elasticsearch, OpenSearch and
/// Quickwit are given (none of them can run here to read it). To accept
/// a change of format, run the test with `DATELINE_UPDATE_SNAPSHOTS=1`
/// and commit the files it writes.
#[test]
fn the_export_of_the_fixtures_is_the_golden_files() {
    let dl = export_index();
    for (file, args) in [
        ("export.ndjson", &["--format", "ndjson"][..]),
        ("export.bulk", &["--format", "es-bulk"]),
    ] {
        let printed = portable(&export(dl, args));
        let path = root().join("tests/snapshots").join(file);
        if std::env::var("DATELINE_UPDATE_SNAPSHOTS").as_deref() == Ok("1") {
            std::fs::write(&path, &printed).expect("the golden file written");
            continue;
        }
        let kept = std::fs::read_to_string(&path).unwrap_or_default();
        if kept != printed {
            let first = kept
                .lines()
                .zip(printed.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(kept.lines().count().min(printed.lines().count()));
            panic!(
                "export {args:?} differs from tests/snapshots/{file}, first at line {}:\n  kept: {}\n  now:  {}\n\
                 (rerun with DATELINE_UPDATE_SNAPSHOTS=1 to accept it, and commit the file)",
                first + 1,
                kept.lines().nth(first).unwrap_or("(end)"),
                printed.lines().nth(first).unwrap_or("(end)")
            );
        }
    }
}

#[test]
fn every_line_is_an_article_with_its_dates_story_and_metadata() {
    let dl = export_index();
    let all = documents(&export(dl, &[]));
    assert_eq!(all.len(), 8, "every article of tests/fixtures/export");
    check_order(&all);
    let ids: Vec<String> = all.iter().map(|d| text_of(d, "id")).collect();
    // By date and time, then by id (the brief and a0 ran the same day as
    // a1, at no time of day); undated last, by id.
    assert_eq!(
        ids,
        [
            "export/wire.jsonl#moon",
            "export/brief.txt",
            "export/wire.jsonl#a0",
            "export/wire.jsonl#a1",
            "export/wire.jsonl#opec-1",
            "export/wire.jsonl#opec-2",
            "export/wire.jsonl#b-undated",
            "export/wire.jsonl#z-undated",
        ]
    );
    let by_id = |id: &str| {
        all.iter()
            .find(|d| d["id"] == format!("export/wire.jsonl#{id}"))
            .expect("the article")
    };
    // Before 1972, an RFC 3339 string like any other date (Quickwit
    // reads epoch numbers that small as another unit).
    assert_eq!(by_id("moon")["date"], "1969-07-21T02:56:15Z");
    assert_eq!(by_id("opec-1")["date"], "1987-03-02T09:30:00Z");
    assert_eq!(by_id("a1")["date"], "1987-02-26T00:00:00Z");
    assert!(by_id("z-undated").get("date").is_none());
    // The near-copies name their story, the first of them; no other does.
    assert_eq!(by_id("opec-1")["story"], "export/wire.jsonl#opec-1");
    assert_eq!(by_id("opec-2")["story"], "export/wire.jsonl#opec-1");
    let in_stories = all.iter().filter(|d| d.contains_key("story")).count();
    assert_eq!(in_stories, 2);
    // What JSON must escape comes back as it was written.
    let a1 = by_id("a1");
    assert_eq!(
        text(a1, "headline"),
        "Traders say \"no deal\" on C:\\WIRE\\cocoa quotas"
    );
    assert_eq!(
        text(a1, "body"),
        "SALVADOR, Feb 26 - Cocoa traders in Bahia said the \"buffer stock\" talks had \
         stalled.\n\nA path quoted in the telex, C:\\WIRE\\COCOA, was garbled.\tTabs too."
    );
    assert!(text(by_id("a0"), "body")
        .ends_with("Tokyo (東京) buyers waited. Naïve forecasts failed — again. 📈"));
    // The metadata, under the keys `show --json` gives them.
    assert_eq!(a1["authors"], serde_json::json!(["Jane Doe"]));
    assert_eq!(a1["sources"], serde_json::json!(["Reuters"]));
    assert_eq!(a1["section"], "commodities");
    assert_eq!(a1["tags"], serde_json::json!(["cocoa", "brazil"]));
    assert_eq!(a1["url"], "https://example.com/cocoa?a=1&b=2");
    assert_eq!(a1["language"], "en");
    assert_eq!(
        by_id("a0")["authors"],
        serde_json::json!(["Ana Lima", "Jürgen Weiß"])
    );
    // Each document holds what `show --json` holds of the article.
    for document in &all {
        let shown = dl.show(text(document, "id"));
        for key in [
            "id", "path", "headline", "body", "authors", "sources", "tags",
        ] {
            match document.get(key) {
                Some(value) => assert_eq!(value, &shown[key], "{key}"),
                None => assert_eq!(shown[key], serde_json::json!([]), "{key}"),
            }
        }
        for key in ["section", "url", "language"] {
            assert_eq!(
                document.get(key).unwrap_or(&Value::Null),
                &shown[key],
                "{key}"
            );
        }
        let day = document
            .get("date")
            .and_then(Value::as_str)
            .map(|d| &d[..10]);
        assert_eq!(day, shown["date"].as_str(), "date");
        assert!(document["path"]
            .as_str()
            .is_some_and(|p| p.starts_with('/')));
    }
}

#[test]
fn es_bulk_pairs_an_index_action_with_each_document() {
    let dl = export_index();
    let ndjson = export(dl, &[]);
    let bulk = export(dl, &["--format", "es-bulk"]);
    let pairs = bulk_pairs(&bulk, "dateline");
    assert_eq!(pairs.len(), 8);
    // The documents are the ndjson lines, in the same order.
    let documents_only: Vec<&str> = bulk.lines().skip(1).step_by(2).collect();
    assert_eq!(documents_only, ndjson.lines().collect::<Vec<_>>());
    let named = export(
        dl,
        &["cocoa", "--format", "es-bulk", "--es-index", "news-1987"],
    );
    let pairs = bulk_pairs(&named, "news-1987");
    let ids: Vec<&str> = pairs
        .iter()
        .map(|(_, document)| text(document, "id"))
        .collect();
    assert_eq!(ids, ["export/brief.txt", "export/wire.jsonl#a1"]);
}

#[test]
fn a_query_and_dates_export_what_search_counts() {
    let fixtures = export_index();
    let archive = archive_index();
    for (dl, args) in [
        (fixtures, &["opec"][..]),
        (fixtures, &["--on", "1987-02-26"]),
        (fixtures, &["cocoa", "--from", "1987-02"]),
        (fixtures, &["--from", "1960", "--to", "1986"]),
        (fixtures, &["--source", "Reuters", "-opec"]),
        (archive, &["ceasefire"]),
        (archive, &["--from", "2025-03", "--to", "2025-03"]),
        (archive, &["-cocoa", "--from", "2024-01", "--to", "2024-06"]),
        (archive, &["interest rates", "--on", "2024"]),
        (archive, &["headline:tugboat"]),
        (archive, &[]),
    ] {
        let count = dl.run(&[&["search", "--count"][..], args].concat());
        let count: usize = count.stdout.trim().parse().expect("a count");
        let exported = export(dl, args);
        let ids = export_ids(&exported);
        assert_eq!(ids.len(), count, "export {args:?}");
        let unique: BTreeSet<&String> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len(), "an article twice: {args:?}");
        // The very articles a search of every page finds, not folded.
        let found = dl.search_set(args);
        assert_eq!(unique, found.iter().collect(), "export {args:?}");
        check_order(&documents(&exported));
    }
    // Some of those restrict: fewer than all, and none that are not asked.
    let on = export_ids(&export(fixtures, &["--on", "1987-02-26"]));
    assert_eq!(on.len(), 3, "{on:?}");
    let early = export(fixtures, &["--to", "1986"]);
    assert_eq!(export_ids(&early), ["export/wire.jsonl#moon"]);
}

#[test]
fn nothing_matched_writes_nothing_and_exits_1() {
    let dl = export_index();
    for args in [
        &["zeppelin"][..],
        &["--on", "2001"],
        &["zeppelin", "--format", "es-bulk"],
    ] {
        assert_eq!(export(dl, args), "", "{args:?}");
    }
}

#[test]
fn bad_queries_dates_and_names_are_one_line_errors() {
    let dl = export_index();
    for (args, says) in [
        (&["export", "(cocoa"][..], "bad query"),
        (&["export", "--from", "1987-13"], "--from"),
        (
            &["export", "--from", "1988", "--to", "1987"],
            "is after --to",
        ),
        (&["export", "--on", "1987", "--from", "1987"], "--on"),
        (
            &["export", "--format", "xml"],
            "[possible values: ndjson, es-bulk]",
        ),
        (
            &["export", "--format", "es-bulk", "--es-index", "News"],
            "lower case",
        ),
        (
            &["export", "--format", "es-bulk", "--es-index", "a,b"],
            "','",
        ),
        (&["export", "--es-index", "news"], "needs --format es-bulk"),
    ] {
        let run = dl.run(args);
        let line = run.expect_error();
        assert!(line.contains(says), "{args:?}: {line}");
        assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
    }
    let missing = Dateline::new().run(&["export"]);
    assert!(missing.expect_error().contains("no index at"));
}

#[test]
fn export_is_listed_in_the_help() {
    let help = Dateline::bare_command().arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(
        help.lines()
            .any(|line| line.trim_start().starts_with("export ")),
        "{help}"
    );
    let help = Dateline::bare_command()
        .args(["export", "--help"])
        .output()
        .unwrap();
    assert!(help.status.success());
    let help = String::from_utf8_lossy(&help.stdout);
    for part in [
        "Usage: dateline export",
        "--format <FORMAT>",
        "es-bulk",
        "--es-index <NAME>",
        "--from <DATE>",
        "--on <DATE>",
        "--source <NAME>",
        "RFC 3339",
        "Exit status: 0",
    ] {
        assert!(help.contains(part), "export --help lacks {part:?}:\n{help}");
    }
}

#[test]
fn reuters_exports_every_article_once() {
    let Some(dl) = reuters_index() else {
        return;
    };
    let stats = dl.stats();
    let articles = stats["articles"].as_u64().expect("articles") as usize;
    let all = documents(&export(dl, &[]));
    assert_eq!(all.len(), articles);
    let ids: BTreeSet<&str> = all.iter().map(|d| text(d, "id")).collect();
    assert_eq!(ids.len(), articles, "an id twice");
    check_order(&all);
    assert_eq!(
        all.iter().filter(|d| d.contains_key("date")).count(),
        articles - stats["undated"].as_u64().expect("undated") as usize
    );
    let first = text(&all[0], "date");
    assert!(first.starts_with(stats["oldest"].as_str().expect("oldest")));
    let in_stories = all.iter().filter(|d| d.contains_key("story")).count();
    assert_eq!(
        in_stories as u64,
        stats["articles_in_stories"]
            .as_u64()
            .expect("articles_in_stories")
    );
    // Past 10,000 matches, still every one: the count of search.
    let bulk = export(dl, &["--format", "es-bulk", "--from", "1987-03"]);
    let pairs = bulk_pairs(&bulk, "dateline");
    let count = dl.run(&["search", "--count", "--from", "1987-03"]);
    assert_eq!(pairs.len().to_string(), count.stdout.trim());
    assert!(pairs.len() > 10_000);
}

/// `dateline export | head -1`: the export stops at the closed pipe,
/// with no error and the status of what matched.
#[test]
fn a_closed_pipe_ends_the_export_quietly() {
    let Some(dl) = reuters_index() else {
        return;
    };
    let mut command = Command::new(env!("CARGO_BIN_EXE_dateline"));
    command.current_dir(root());
    for var in READ_BY_DATELINE {
        command.env_remove(var);
    }
    let mut child = command
        .arg("export")
        .arg("--index")
        .arg(dl.index_dir())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start dateline export");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout piped"));
    let mut line = String::new();
    stdout.read_line(&mut line).expect("a first line");
    assert!(line.starts_with("{\"id\":"), "{line}");
    drop(stdout);
    let output = child.wait_with_output().expect("dateline export ends");
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "",
        "a closed pipe is no error"
    );
    assert_eq!(output.status.code(), Some(0));
}

/// The mappings in `doc/export/` name every key an export writes, with
/// the date read as the RFC 3339 string it is, and nothing else: a key
/// added to the export must be added to them.
#[test]
fn the_documented_mappings_name_every_key() {
    let keys: BTreeSet<&str> = KEYS.into_iter().collect();
    let elastic = std::fs::read_to_string(root().join("doc/export/elasticsearch-mapping.json"))
        .expect("doc/export/elasticsearch-mapping.json");
    let elastic: Value = serde_json::from_str(&elastic).expect("the mapping is JSON");
    let properties = elastic["mappings"]["properties"]
        .as_object()
        .expect("mappings.properties");
    let named: BTreeSet<&str> = properties.keys().map(String::as_str).collect();
    assert_eq!(named, keys, "elasticsearch-mapping.json");
    assert_eq!(properties["date"]["type"], "date");
    assert_eq!(properties["date"]["format"], "strict_date_optional_time");
    for keyword in ["id", "path", "story"] {
        assert_eq!(properties[keyword]["type"], "keyword", "{keyword}");
    }
    for text in ["headline", "body"] {
        assert_eq!(properties[text]["type"], "text", "{text}");
    }
    let quickwit = std::fs::read_to_string(root().join("doc/export/quickwit-index.yaml"))
        .expect("doc/export/quickwit-index.yaml");
    let named: BTreeSet<&str> = quickwit
        .lines()
        .filter_map(|line| line.trim().strip_prefix("- name: "))
        .collect();
    assert_eq!(named, keys, "quickwit-index.yaml");
    let date = quickwit
        .split_once("- name: date\n")
        .and_then(|(_, rest)| rest.split("- name: ").next())
        .expect("the date's mapping");
    for line in ["type: datetime", "input_formats: [rfc3339]", "fast: true"] {
        assert!(date.contains(line), "the date's mapping lacks {line:?}");
    }
    assert!(quickwit.contains("\n  timestamp_field: date\n"));
}
