//! Who wrote it, where it ran, what it is about: the metadata fields, each
//! checked against a count made here, independently of dateline, from the
//! corpora's own bytes (Reuters' category lists, Usenet headers), and on
//! small JSON files written here.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;

use crate::common::*;

/// A Reuters record's `<TOPICS>` and `<PLACES>` values.
type Lists = (Vec<String>, Vec<String>);

/// Reuters records by NEWID: their `<TOPICS>` and `<PLACES>` values, read
/// with nothing but string search over the decompressed SGML.
fn reuters_lists() -> Option<BTreeMap<String, Lists>> {
    let dir = shared_corpus("reuters21578")?;
    let mut records = BTreeMap::new();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("reuters folder")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.to_string_lossy().ends_with(".sgm.gz"))
        .collect();
    files.sort();
    for path in files {
        let mut bytes = Vec::new();
        flate2::read::GzDecoder::new(std::fs::File::open(&path).expect("open"))
            .read_to_end(&mut bytes)
            .expect("gunzip");
        let text = String::from_utf8_lossy(&bytes);
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        for record in text.split("<REUTERS ").skip(1) {
            let Some(newid) = between(record, "NEWID=\"", "\"") else {
                continue;
            };
            let list = |tag: &str| -> Vec<String> {
                between(record, &format!("<{tag}>"), &format!("</{tag}>"))
                    .map(|inner| {
                        inner
                            .split("<D>")
                            .filter_map(|d| d.split("</D>").next())
                            .map(|d| d.trim().to_string())
                            .filter(|d| !d.is_empty())
                            .collect()
                    })
                    .unwrap_or_default()
            };
            records.insert(
                format!("reuters21578/{name}#{newid}"),
                (list("TOPICS"), list("PLACES")),
            );
        }
    }
    Some(records)
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let to = text[from..].find(end)? + from;
    Some(&text[from..to])
}

/// What `query` finds must be exactly the records `expected` names, but
/// for copies: a record the index holds as a copy of another article is
/// found under that article's id. Returns how many were copies.
fn matches_but_for_copies(dl: &Dateline, query: &str, expected: &BTreeSet<String>) -> usize {
    // Every hit, however many (`place:usa` has over 10,000).
    let run = dl.run(&[
        "search",
        "--no-fold",
        "-n",
        "all",
        "--format",
        "jsonl",
        "--fields",
        "id",
        "--",
        query,
    ]);
    run.expect_code(0);
    let found: BTreeSet<String> = run
        .stdout
        .lines()
        .map(|line| {
            let hit: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
            hit["id"].as_str().expect("an id").to_string()
        })
        .collect();
    let extra: Vec<&String> = found.difference(expected).collect();
    assert!(
        extra.is_empty(),
        "{query}: matched but their records do not list it: {extra:?}"
    );
    let mut copies = 0;
    for id in expected.difference(&found) {
        let shown = dl.show(id);
        let kept = shown["id"].as_str().unwrap_or_default().to_string();
        assert_ne!(&kept, id, "{query}: {id} lists it but was not found");
        assert!(
            found.contains(&kept) || !expected.contains(&kept),
            "{query}: {id} is a copy of {kept}, which was not found"
        );
        copies += 1;
    }
    assert!(
        copies * 50 <= expected.len().max(50),
        "{query}: {copies} of {} records are copies",
        expected.len()
    );
    copies
}

#[test]
fn reuters_topics_and_places_equal_the_records_lists() {
    let Some(dl) = reuters_index() else {
        return;
    };
    let Some(records) = reuters_lists() else {
        return;
    };
    assert_eq!(records.len(), 21_578, "records in the corpus");
    let with = |pick: &dyn Fn(&Lists) -> bool| -> BTreeSet<String> {
        records
            .iter()
            .filter(|(_, lists)| pick(lists))
            .map(|(id, _)| id.clone())
            .collect()
    };
    let cocoa = with(&|(topics, _)| topics.iter().any(|t| t == "cocoa"));
    assert!(cocoa.len() > 50, "{} cocoa records", cocoa.len());
    matches_but_for_copies(dl, "topic:cocoa", &cocoa);
    // The same through the filter, and a tag of any kind.
    assert_eq!(
        dl.count(&["--tag", "topic:cocoa"]),
        dl.count(&["--", "topic:cocoa"])
    );
    let usa = with(&|(_, places)| places.iter().any(|p| p == "usa"));
    assert!(usa.len() > 10_000, "{} usa records", usa.len());
    matches_but_for_copies(dl, "place:usa", &usa);
    // Kinds are kept apart: `cocoa` is a topic, never a place.
    assert_eq!(dl.count(&["--", "place:cocoa"]), 0);
    // Combined with words and dates, as any clause.
    let march = dl.count(&["--from", "1987-03", "--to", "1987-03", "--", "topic:cocoa"]);
    assert!(march > 0 && march < cocoa.len(), "{march}");

    // show prints them; the JSON lists them with their kinds.
    let id = cocoa.iter().next().unwrap();
    let shown = dl.show(id);
    let tags: Vec<&str> = shown["tags"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t.as_str())
        .collect();
    assert!(tags.contains(&"topic:cocoa"), "{tags:?}");
    assert_eq!(shown["sources"][0], "Reuters");
}

/// 20 Newsgroups "mini" posts by member path: their `From:` and
/// `Newsgroups:` headers as written.
fn newsgroup_headers() -> Option<BTreeMap<String, (String, String)>> {
    let dir = shared_corpus("20news-mini")?;
    let file = std::fs::File::open(dir.join("mini_newsgroups.tar.gz")).expect("open");
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(file));
    let mut posts = BTreeMap::new();
    for entry in archive.entries().expect("tar") {
        let mut entry = entry.expect("entry");
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let path = entry.path().expect("path").to_string_lossy().to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).expect("read");
        let text = String::from_utf8_lossy(&bytes);
        let head = text.split("\n\n").next().unwrap_or_default();
        let header = |name: &str| -> String {
            head.lines()
                .find_map(|line| {
                    let (key, value) = line.split_once(':')?;
                    key.eq_ignore_ascii_case(name)
                        .then(|| value.trim().to_string())
                })
                .unwrap_or_default()
        };
        posts.insert(
            format!("mini_newsgroups.tar.gz::{path}"),
            (header("From"), header("Newsgroups")),
        );
    }
    Some(posts)
}

#[test]
fn newsgroup_authors_and_groups_equal_the_posts_headers() {
    let Some(posts) = newsgroup_headers() else {
        return;
    };
    let mini = shared_corpus("20news-mini").expect("checked above");
    let dl = Dateline::new();
    dl.index(&[mini.join("mini_newsgroups.tar.gz").to_str().unwrap()])
        .expect_code(0);
    let with = |pick: &dyn Fn(&(String, String)) -> bool| -> BTreeSet<String> {
        posts
            .iter()
            .filter(|(_, headers)| pick(headers))
            .map(|(id, _)| id.clone())
            .collect()
    };
    let tavares = with(&|(from, _)| from.to_lowercase().contains("tavares"));
    assert_eq!(tavares.len(), 11, "posts from Tavares");
    matches_but_for_copies(&dl, "author:tavares", &tavares);
    assert_eq!(
        dl.count(&["--author", "C. D. Tavares"]),
        dl.count(&["--", "author:tavares"])
    );
    let space = with(&|(_, groups)| groups.split(',').any(|g| g.trim() == "sci.space"));
    assert!(space.len() >= 100, "{} posts in sci.space", space.len());
    matches_but_for_copies(&dl, "source:sci.space", &space);
    assert_eq!(
        dl.count(&["--source", "sci.space"]),
        dl.count(&["--", "source:sci.space"])
    );
    // A word of the text is not an author's: `tavares` in a body is not
    // `author:tavares`.
    assert!(dl.count(&["--", "tavares"]) != dl.count(&["--", "author:tavares"]));
}

#[test]
fn json_exports_keep_bylines_sources_sections_and_tags() {
    let dl = Dateline::new();
    let dir = dl.scratch().join("feed");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("feed.jsonl"),
        concat!(
            r#"{"id":"a1","date":"2025-03-17","title":"Harbour crews ferry residents","body":"Crews carried residents to safety.","author":"Jane Doe","source":"Daily Courier","section":"Local","tags":["floods","rescue"],"url":"https://example.com/a1","language":"en"}"#,
            "\n",
            r#"{"id":"a2","date":"2025-03-18","title":"Council opens shelters","body":"Two schools became shelters.","byline":"By John Roe","publisher":"Evening Post","category":"Local","keywords":"floods","link":"https://example.com/a2"}"#,
            "\n",
            r#"{"id":"a3","date":"2025-03-19","title":"River falls slowly","body":"Levels fell overnight.","authors":[{"name":"Jane Doe"},{"name":"Ann Poe"}],"site":"Daily Courier","subjects":["weather"]}"#,
            "\n",
        ),
    )
    .unwrap();
    dl.index(&[dir.to_str().unwrap()]).expect_code(0);
    let ids = |query: &str| -> Vec<String> {
        let mut ids: Vec<String> = dl
            .search_ids(&["--", query])
            .into_iter()
            .map(|id| id.rsplit('#').next().unwrap().to_string())
            .collect();
        ids.sort();
        ids
    };
    assert_eq!(ids("author:doe"), ["a1", "a3"]);
    assert_eq!(ids("author:\"john roe\""), ["a2"]);
    assert_eq!(ids("source:\"daily courier\""), ["a1", "a3"]);
    assert_eq!(ids("section:local"), ["a1", "a2"]);
    assert_eq!(ids("tag:floods"), ["a1", "a2"]);
    assert_eq!(ids("tag:weather crews OR river"), ["a3"]);
    // Names are not stemmed: `author:does` is nobody.
    assert!(ids("author:does").is_empty());
    let run = dl.run(&[
        "search",
        "--format",
        "json",
        "--fields",
        "id,authors,sources,section,tags",
        "--",
        "author:roe",
    ]);
    run.expect_code(0);
    let json = run.json();
    let hit = &json["hits"][0];
    assert_eq!(hit["authors"][0], "John Roe");
    assert_eq!(hit["sources"][0], "Evening Post");
    assert_eq!(hit["section"], "Local");
    assert_eq!(hit["tags"][0], "floods");
    let shown = dl.show(hit["id"].as_str().unwrap());
    assert_eq!(shown["url"], "https://example.com/a2");
    let human = dl.run(&["show", hit["id"].as_str().unwrap()]);
    assert!(
        human.stdout.contains("by      John Roe"),
        "{}",
        human.stdout
    );
}
