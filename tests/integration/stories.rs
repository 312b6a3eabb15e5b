//! Stories: near-copies grouped at index time and folded in searches,
//! checked on near-copies made of real Reuters articles (a sentence added,
//! a figure changed, the last paragraph cut, a new headline), on real
//! reports of the same kind that are not copies, through incremental runs
//! against a fresh index, and on the whole Reuters corpus.

use std::collections::{BTreeSet, HashSet};
use std::io::Read;
use std::path::Path;

use serde_json::Value;

use crate::common::{hit_ids, hits, reuters_index, shared_corpus, total, Dateline};

/// A Reuters article: its title and body, paragraphs apart.
struct Wire {
    title: String,
    body: String,
}

/// The article `NEWID` of the Reuters file `reut2-NNN.sgm.gz`, its body's
/// paragraphs (indented lines in the original) separated by blank lines.
fn wire(corpus: &Path, file: &str, newid: u32) -> Wire {
    let mut text = String::new();
    let gz = std::fs::File::open(corpus.join(file)).unwrap();
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(gz)
        .read_to_end(&mut bytes)
        .unwrap();
    text.extend(bytes.iter().map(|&b| b as char));
    let start = text
        .find(&format!("NEWID=\"{newid}\">"))
        .expect("the record");
    let record = &text[start..start + text[start..].find("</REUTERS>").unwrap()];
    let between = |open: &str, close: &str| {
        let from = record.find(open).unwrap() + open.len();
        record[from..from + record[from..].find(close).unwrap()].to_string()
    };
    let unescape = |s: &str| {
        s.replace("&lt;", "<")
            .replace("&amp;", "&")
            .replace("&#3;", "")
    };
    let body = unescape(&between("<BODY>", "</BODY>"));
    let paragraphs: Vec<String> = body
        .split("\n    ")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect();
    Wire {
        title: unescape(&between("<TITLE>", "</TITLE>")),
        body: paragraphs.join("\n\n"),
    }
}

/// Writes an article in the reference text format.
fn write(dir: &Path, name: &str, date: &str, title: &str, body: &str) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join(name), format!(" date {date} {title}\n\n{body}\n")).unwrap();
}

/// The words of a text as the signature takes them: runs of letters and
/// digits, lower case.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The exact Jaccard similarity of two texts' five-word shingles.
fn jaccard(a: &str, b: &str) -> f64 {
    let shingles = |text: &str| -> HashSet<Vec<String>> {
        words(text).windows(5).map(<[String]>::to_vec).collect()
    };
    let (a, b) = (shingles(a), shingles(b));
    let union = a.union(&b).count();
    if union == 0 {
        return 0.0;
    }
    a.intersection(&b).count() as f64 / union as f64
}

/// `search --json ARGS…` with the fields asked for (which the schema
/// check of [`Dateline::search`] does not take).
fn search_fields(dl: &Dateline, args: &[&str]) -> Value {
    let mut all = vec!["search", "--json"];
    all.extend(args);
    dl.run(&all).json()
}

/// What `stories --json` and a folded search say, for comparing indexes:
/// the hits by id (articles of equal score come in the order of the
/// index's segments, which differ between an updated index and a fresh
/// one).
fn story_view(dl: &Dateline, query: &str) -> (Value, Vec<String>) {
    let stories = dl.run(&["stories", "--json", "-n", "100", query]).json();
    let results = search_fields(dl, &[query, "-n", "50", "--fields", "id,story,similar_ids"]);
    let mut hits: Vec<String> = hits(&results).iter().map(Value::to_string).collect();
    hits.sort();
    (stories, hits)
}

/// The id of the Bahia cocoa review, the story's first article.
const BASE: &str = "wires/bahia.txt";

/// The id of the article in the file `name` of the collection.
fn id(name: &str) -> String {
    format!("wires/{name}")
}

/// Writes the constructed collection into `dir`: the Bahia cocoa review
/// (NEWID 1) and four near-copies of it, the same review a month later,
/// and real reports of the same kind that are not copies.
fn write_collection(reuters: &Path, dir: &Path) -> Wire {
    let bahia = wire(reuters, "reut2-000.sgm.gz", 1);
    write(dir, "bahia.txt", "1987-02-26", &bahia.title, &bahia.body);
    // A sentence added to the first paragraph.
    let (first, rest) = bahia.body.split_once("\n\n").unwrap();
    let added = format!(
        "{first} Traders in Ilheus said the rains came too late for much of the crop.\n\n{rest}"
    );
    write(dir, "sentence.txt", "1987-02-26", &bahia.title, &added);
    // A figure changed, a day later.
    let changed = bahia.body.replacen("155,221", "155,822", 1);
    assert_ne!(changed, bahia.body, "the review has the figure");
    write(dir, "figure.txt", "1987-02-27", &bahia.title, &changed);
    // The last paragraph cut, two days later.
    let cut = &bahia.body[..bahia.body.rfind("\n\n").unwrap()];
    write(dir, "cut.txt", "1987-02-28", &bahia.title, cut);
    // A new headline.
    write(
        dir,
        "headline.txt",
        "1987-02-26",
        "SHOWERS REVIVE BAHIA TEMPORAO COCOA HOPES",
        &bahia.body,
    );
    // The same review a month later: past the story's week.
    write(dir, "later.txt", "1987-03-30", &bahia.title, &bahia.body);
    // Two separate Ghana cocoa purchase reports, a week apart, in the same
    // words but for the figures; and another Bahia cocoa report.
    let ghana = wire(reuters, "reut2-003.sgm.gz", 3225);
    write(dir, "ghana-1.txt", "1987-03-02", &ghana.title, &ghana.body);
    let ghana_later = wire(reuters, "reut2-008.sgm.gz", 8850);
    write(
        dir,
        "ghana-2.txt",
        "1987-03-09",
        &ghana_later.title,
        &ghana_later.body,
    );
    let temporao = wire(reuters, "reut2-004.sgm.gz", 4470);
    write(
        dir,
        "temporao.txt",
        "1987-03-05",
        &temporao.title,
        &temporao.body,
    );
    bahia
}

#[test]
fn near_copies_of_a_real_article_fold_and_other_reports_do_not() {
    let Some(reuters) = shared_corpus("reuters21578") else {
        return;
    };
    let dl = Dateline::new();
    let dir = dl.scratch().join("wires");
    let bahia = write_collection(&reuters, &dir);
    let index = dl.index(&[dir.to_str().unwrap()]);
    index.expect_code(0);
    assert!(
        index
            .stdout
            .contains("1 story of near-copies (5 articles) in the index"),
        "{}",
        index.stdout
    );

    // Folded: the review and its four near-copies are one hit.
    let (_, checked) = dl.search(&["cocoa"]);
    let folded = search_fields(&dl, &["cocoa", "--fields", "id,story,similar,similar_ids"]);
    assert_eq!(hit_ids(&checked), hit_ids(&folded));
    let ids = hit_ids(&folded);
    let copies = ["sentence.txt", "figure.txt", "cut.txt", "headline.txt"].map(id);
    let story = hits(&folded)
        .iter()
        .find(|hit| hit["story"] == BASE)
        .expect("the story's hit");
    let shown = story["id"].as_str().unwrap();
    for copy in copies.iter().chain([&BASE.to_string()]) {
        assert!(
            copy == shown || !ids.contains(copy),
            "{copy} is a hit of its own: {ids:?}"
        );
    }
    assert_eq!(story["similar"], 4, "{story}");
    let similar: BTreeSet<&str> = story["similar_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| id.as_str().unwrap())
        .collect();
    let mut expected: BTreeSet<&str> = copies.iter().map(String::as_str).chain([BASE]).collect();
    expected.remove(shown);
    assert_eq!(similar, expected);
    // The other reports stand alone.
    for alone in ["later.txt", "ghana-1.txt", "ghana-2.txt", "temporao.txt"].map(id) {
        let hit = hits(&folded)
            .iter()
            .find(|hit| hit["id"] == alone.as_str())
            .unwrap_or_else(|| panic!("{alone} not a hit: {ids:?}"));
        assert!(hit["story"].is_null(), "{hit}");
    }
    assert_eq!(total(&folded), 9);
    assert_eq!(folded["stories"], 5, "{folded}");

    // Unfolded: every article.
    let (_, all) = dl.search(&["cocoa", "--no-fold"]);
    assert_eq!(hits(&all).len(), 9);
    assert!(all.get("stories").is_none(), "{all}");
    // Each still names its story; nothing is folded into it.
    let in_story = hits(&all).iter().filter(|hit| hit["story"] == BASE).count();
    assert_eq!(in_story, 5, "{all}");
    assert!(hits(&all).iter().all(|hit| hit["similar"] == 0), "{all}");

    // The Ghana reports share their words but for the figures: not copies.
    let ghana = dl.show(&id("ghana-1.txt"));
    let ghana_later = dl.show(&id("ghana-2.txt"));
    let similarity = jaccard(
        ghana["body"].as_str().unwrap(),
        ghana_later["body"].as_str().unwrap(),
    );
    assert!(similarity < 0.7, "{similarity}");

    // show lists the story with what differs.
    let shown = dl.show(BASE);
    assert_eq!(shown["story"]["id"], BASE);
    let differences = |name: &str| -> Vec<String> {
        let member = shown["story"]["similar"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["id"] == id(name).as_str())
            .unwrap_or_else(|| panic!("{name} not in {shown}"));
        serde_json::from_value(member["differences"].clone()).unwrap()
    };
    assert_eq!(differences("headline.txt"), ["headline differs"]);
    assert_eq!(differences("cut.txt"), ["-1 paragraph"]);
    assert_eq!(differences("figure.txt"), ["1 paragraph changed (1 word)"]);
    let sentence = differences("sentence.txt");
    assert!(
        sentence.len() == 1 && sentence[0].starts_with("1 paragraph changed ("),
        "{sentence:?}"
    );
    let human = dl.run(&["show", BASE]);
    assert!(
        human
            .stdout
            .contains(&format!("Story {BASE} (4 similar articles):")),
        "{}",
        human.stdout
    );

    // trend counts stories by default, and says so; articles on request.
    let trend = dl.run(&["trend", "cocoa", "--json", "--by", "day"]).json();
    assert_eq!(trend["count"], "stories");
    assert_eq!(trend["total"], 5);
    assert_eq!(trend["articles"], 9);
    let day = |trend: &Value, day: &str| {
        trend["periods"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["period"] == day)
            .map(|p| p["count"].as_u64().unwrap())
    };
    assert_eq!(
        day(&trend, "1987-02-26"),
        Some(1),
        "the story, on its first day"
    );
    assert_eq!(day(&trend, "1987-02-27"), Some(0));
    let articles = dl
        .run(&[
            "trend", "cocoa", "--json", "--by", "day", "--count", "articles",
        ])
        .json();
    assert_eq!(articles["total"], 9);
    assert_eq!(day(&articles, "1987-02-26"), Some(3));
    let chart = dl.run(&["trend", "cocoa"]);
    assert!(
        chart
            .stdout
            .starts_with("5 stories (9 articles) match \"cocoa\""),
        "{}",
        chart.stdout
    );

    // stories lists it, with its days.
    let stories = dl.run(&["stories", "--json"]).json();
    assert_eq!(stories["total"], 1);
    let story = &stories["stories"][0];
    assert_eq!(story["id"], BASE);
    assert_eq!(story["size"], 5);
    assert_eq!(story["first"], "1987-02-26");
    assert_eq!(story["last"], "1987-02-28");
    assert_eq!(story["headline"], bahia.title.as_str());
    // Only the articles a period holds count.
    let first_day = dl.run(&["stories", "--json", "--on", "1987-02-26"]).json();
    assert_eq!(first_day["stories"][0]["size"], 3);
    let none = dl.run(&["stories", "--on", "1987-03"]);
    none.expect_code(1);
}

#[test]
fn incremental_runs_keep_the_stories_a_fresh_index_gives() {
    let Some(reuters) = shared_corpus("reuters21578") else {
        return;
    };
    let dl = Dateline::new();
    let dir = dl.scratch().join("wires");
    write_collection(&reuters, &dir);
    let aside = dl.scratch().join("aside");
    std::fs::create_dir_all(&aside).unwrap();
    // Start with the review and one copy; the others come later.
    for name in ["figure.txt", "cut.txt", "headline.txt"] {
        std::fs::rename(dir.join(name), aside.join(name)).unwrap();
    }
    let root = dir.to_str().unwrap();
    let same_as_fresh = |dl: &Dateline, what: &str| {
        let fresh = Dateline::new();
        fresh.index(&[root]).expect_code(0);
        for query in ["cocoa", ""] {
            assert_eq!(story_view(dl, query), story_view(&fresh, query), "{what}");
        }
        let stories = dl.run(&["stories", "--json"]).json();
        stories["stories"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                let ids = s["articles"].as_array().unwrap().iter();
                ids.map(|a| a["id"].as_str().unwrap().to_string())
                    .collect::<Vec<_>>()
            })
            .collect::<Vec<_>>()
    };
    dl.index(&[root]).expect_code(0);
    assert_eq!(
        same_as_fresh(&dl, "first run"),
        [vec![BASE.to_string(), id("sentence.txt")]]
    );

    // Members added.
    for name in ["figure.txt", "cut.txt", "headline.txt"] {
        std::fs::rename(aside.join(name), dir.join(name)).unwrap();
    }
    dl.index(&[root]).expect_code(0);
    assert_eq!(same_as_fresh(&dl, "members added")[0].len(), 5);

    // A member changed into another article (a copy of a Ghana report
    // four days later): it leaves the story and makes one with that report.
    let ghana = std::fs::read_to_string(dir.join("ghana-1.txt")).unwrap();
    std::fs::write(
        dir.join("sentence.txt"),
        ghana.replace("1987-03-02", "1987-02-26"),
    )
    .unwrap();
    dl.index(&[root]).expect_code(0);
    let ghana_story = vec![id("sentence.txt"), id("ghana-1.txt")];
    let changed = same_as_fresh(&dl, "member changed");
    assert_eq!(changed[0].len(), 4);
    assert_eq!(changed[1], ghana_story);

    // The first article deleted: the next earliest leads the story.
    std::fs::remove_file(dir.join("bahia.txt")).unwrap();
    dl.index(&[root]).expect_code(0);
    assert_eq!(
        same_as_fresh(&dl, "first deleted"),
        [
            vec![id("headline.txt"), id("figure.txt"), id("cut.txt")],
            ghana_story.clone()
        ]
    );

    // Down to one of them: no story of the review.
    std::fs::remove_file(dir.join("figure.txt")).unwrap();
    std::fs::remove_file(dir.join("cut.txt")).unwrap();
    dl.index(&[root]).expect_code(0);
    assert_eq!(same_as_fresh(&dl, "one left"), [ghana_story]);
}

#[test]
fn reuters_opec_shows_no_two_near_identical_stories_on_its_first_page() {
    let Some(dl) = reuters_index() else {
        return;
    };
    let (_, folded) = dl.search(&["opec"]);
    let page = hits(&folded);
    assert_eq!(page.len(), 10);
    let stories = folded["stories"].as_u64().expect("stories counted");
    assert!((stories as usize) < total(&folded), "{folded}");
    let bodies: Vec<(String, String)> = page
        .iter()
        .map(|hit| {
            let id = hit["id"].as_str().unwrap();
            let shown = dl.show(id);
            let text = format!(
                "{} {}",
                shown["headline"].as_str().unwrap(),
                shown["body"].as_str().unwrap()
            );
            (id.to_string(), text)
        })
        .collect();
    for (i, (a, a_text)) in bodies.iter().enumerate() {
        for (b, b_text) in &bodies[i + 1..] {
            let similarity = jaccard(a_text, b_text);
            assert!(similarity < 0.7, "{a} and {b}: {similarity}");
        }
    }
    // What was folded is said, and is what an unfolded search shows too.
    let folding: Vec<&Value> = page.iter().filter(|hit| hit["similar"] != 0).collect();
    assert!(!folding.is_empty(), "nothing folded on the first page");
    let (_, unfolded) = dl.search(&["opec", "-n", "200", "--no-fold"]);
    let every: BTreeSet<&str> = hits(&unfolded)
        .iter()
        .map(|hit| hit["id"].as_str().unwrap())
        .collect();
    for hit in folding {
        let with_ids = search_fields(dl, &["opec", "--fields", "id,similar_ids", "-n", "10"]);
        let same = hits(&with_ids)
            .iter()
            .find(|h| h["id"] == hit["id"])
            .unwrap();
        for id in same["similar_ids"].as_array().unwrap() {
            assert!(every.contains(id.as_str().unwrap()), "{id} does not match");
        }
    }
    // The summary of the corpus's stories.
    let stats = dl.stats();
    assert!(stats["stories"].as_u64() > Some(100), "{stats}");
}
