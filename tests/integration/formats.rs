//! Every input format through the binary: the fixtures we wrote for each,
//! and the real Reuters-21578 corpus.

use crate::common::*;
use serde_json::Value;

#[test]
fn each_format_is_detected_and_counted() {
    let dl = Dateline::new();
    let run = dl.index(&[FORMATS]);
    run.expect_code(0);
    assert!(
        run.stdout.starts_with("indexed 15 articles from 6 files"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("by format: reuters 4, json 5, mail 6"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("3 undated"), "{}", run.stdout);
    // The cut-off JSON line is reported with its number; its neighbours are in.
    let warnings: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    assert!(
        warnings[0].starts_with(
            "dateline: warning: tests/fixtures/formats/json/gen-archive.jsonl: line 4: "
        ),
        "{}",
        warnings[0]
    );
    assert_eq!(dl.stats()["articles"], 15);
}

#[test]
fn reuters_records_keep_their_newid_date_and_time() {
    let dl = formats_index();
    let article = dl.show("formats/reuters/sample.sgm#1");
    assert_eq!(article["headline"], "BAHIA COCOA REVIEW");
    assert_eq!(article["date"], "1987-02-26");
    assert_eq!(article["time"], "15:01:01");
    let body = article["body"].as_str().unwrap();
    assert!(
        body.starts_with("SALVADOR, Feb 26 - Showers continued"),
        "{body:?}"
    );
    assert!(!body.contains("&lt;") && !body.chars().any(|c| c.is_control() && c != '\n'));
    // A BRIEF record: a title and no body.
    let brief = dl.show("formats/reuters/sample.sgm#30");
    assert_eq!(brief["body"], "");
    // An UNPROC record: its first line is the headline.
    let unproc = dl.show("formats/reuters/sample.sgm#99");
    assert_eq!(
        unproc["headline"],
        "FEDERAL RESERVE WEEKLY REPORT 1 - FEB 26"
    );
}

#[test]
fn json_lines_use_the_record_ids_and_dates() {
    let dl = formats_index();
    let article = dl.show("formats/json/gen-archive.jsonl#0000002");
    assert_eq!(article["date"], "2023-04-25");
    assert_eq!(
        article["headline"],
        "Regional bank lifts dividend after record quarter"
    );
    assert_eq!(dl.count(&["--on", "1999"]), 2);
    assert_eq!(
        dl.search_ids(&["headline:copper"]),
        ["formats/json/gen-archive.jsonl#0000004"]
    );
}

#[test]
fn json_keys_can_be_mapped_with_field() {
    let dl = Dateline::new();
    let file = dl.scratch().join("feed.jsonl");
    std::fs::write(
        &file,
        concat!(
            r#"{"key": "x1", "created": 1742203800, "name": "Tram line opens", "story": "The new tram line opened."}"#,
            "\n",
            r#"{"key": "x2", "created": "2025-03-18T23:30:00-05:00", "name": "Late vote", "story": "Council voted late."}"#,
            "\n",
            r#"{"key": "x3", "created": "Tue, 18 Mar 2025 08:00:00 +0100", "name": "Morning", "story": "An early start."}"#,
            "\n",
        ),
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let run = dl.run(&[
        "index",
        "--field",
        "headline=name",
        "--field",
        "body=story",
        "--field",
        "date=created",
        "--field",
        "id=key",
        path,
    ]);
    run.expect_code(0);
    assert!(
        run.stdout.starts_with("indexed 3 articles"),
        "{}",
        run.stdout
    );
    let tram = dl.show("feed.jsonl#x1");
    assert_eq!(tram["headline"], "Tram line opens");
    assert_eq!(tram["body"], "The new tram line opened.");
    // Unix seconds are UTC: 1742203800 is 2025-03-17 09:30:00.
    assert_eq!(
        (tram["date"].as_str(), tram["time"].as_str()),
        (Some("2025-03-17"), Some("09:30:00"))
    );
    // An offset date stays on its local day (23:30 in UTC-5 is still the 18th).
    let late = dl.show("feed.jsonl#x2");
    assert_eq!(
        (late["date"].as_str(), late["time"].as_str()),
        (Some("2025-03-18"), Some("23:30:00"))
    );
    assert_eq!(dl.show("feed.jsonl#x3")["date"], "2025-03-18");
    assert_eq!(dl.count(&["--on", "2025-03-18"]), 2);

    // Without the mapping the records have no headline or body: each is reported.
    let plain = Dateline::new();
    let run = plain.index(&[path]);
    run.expect_code(0);
    assert_eq!(run.stderr.lines().count(), 3, "{}", run.stderr);
    assert!(
        run.stderr.contains("line 2: no headline or body"),
        "{}",
        run.stderr
    );
}

#[test]
fn usenet_posts_and_mboxes_are_read_as_mail() {
    let dl = formats_index();
    let post = dl.show("formats/mail/usenet-post");
    assert_eq!(post["headline"], "Galileo images of Gaspra released");
    assert_eq!(
        (post["date"].as_str(), post["time"].as_str()),
        (Some("1993-04-19"), Some("21:51:26"))
    );
    assert!(post["body"]
        .as_str()
        .unwrap()
        .starts_with("JPL released the first close-up images"));

    // In an mbox, a message is known by its Message-ID, or by its number.
    let first = dl.show("formats/mail/three.mbox#1993Apr19.1@jpl.nasa.gov");
    assert_eq!(first["headline"], "First message");
    let undated = dl.show("formats/mail/three.mbox#2");
    assert_eq!(undated["date"], Value::Null);
    assert_eq!(undated["headline"], "Second message, no date");
    assert_eq!(dl.count(&["message", "--on", "1993-04"]), 2);
    assert_eq!(dl.count(&["message"]), 3);

    // A single-part body is text whatever its Content-Type (`setext/plain`).
    let setext = dl.show("formats/mail/setext-post");
    assert_eq!(
        setext["headline"],
        "Reading list: fiction set in programming shops"
    );
    assert!(
        setext["body"]
            .as_str()
            .unwrap()
            .contains("_Segmentation Fault_"),
        "{setext}"
    );
    assert_eq!(
        dl.search_ids(&["segmentation", "thriller"]),
        ["formats/mail/setext-post"]
    );

    // A post opening with the tail of a folded header is mail all the same.
    let orphaned = dl.show("formats/mail/orphaned-continuation");
    assert_eq!(orphaned["headline"], "Re: Fern spores under the microscope");
    assert!(
        orphaned["body"]
            .as_str()
            .unwrap()
            .starts_with("In article <1993Apr2.101@example.org>"),
        "{orphaned}"
    );
    assert_eq!(dl.count(&["gateway"]), 0, "the Path tail is not indexed");
}

#[test]
fn a_post_opening_with_a_header_tail_is_read_when_mail_is_forced() {
    // `--format mail` skipped such posts as having no headers (#13, item 6).
    let dl = Dateline::new();
    let run = dl.run(&[
        "index",
        "--format",
        "mail",
        "tests/fixtures/formats/mail/orphaned-continuation",
    ]);
    run.expect_code(0);
    assert!(
        run.stdout.starts_with("indexed 1 article from 1 file"),
        "{}",
        run.stdout
    );
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    assert_eq!(
        dl.show("orphaned-continuation")["headline"],
        "Re: Fern spores under the microscope"
    );
}

#[test]
fn the_reuters_corpus_is_indexed_whole() {
    let Some(reuters) = shared_corpus("reuters21578") else {
        return;
    };
    let dl = Dateline::new();
    let run = dl.index(&[reuters.to_str().unwrap()]);
    run.expect_code(0);
    // 21,578 records: every one indexed or reported.
    assert!(
        run.stdout
            .starts_with("indexed 21344 articles from 22 files"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("by format: reuters 21344; 233 duplicates not indexed again"),
        "{}",
        run.stdout
    );
    let not_indexed: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("not indexed"))
        .collect();
    assert_eq!(not_indexed.len(), 1, "{}", run.stderr);
    assert!(
        not_indexed[0].contains("reut2-012.sgm.gz: record NEWID=12793"),
        "{}",
        not_indexed[0]
    );
    // The one file with Latin-1 bytes is read, with a warning.
    assert!(
        run.stderr
            .contains("reut2-017.sgm.gz: not valid UTF-8; read as Windows-1252"),
        "{}",
        run.stderr
    );
    // README.txt and lewis.dtd are not articles.
    assert!(
        run.stdout
            .contains("2 other files not in an article format"),
        "{}",
        run.stdout
    );

    let stats = dl.stats();
    // 21,578 records = 21,344 articles + 233 exact copies of them (the same
    // headline and body on the same day) + 1 with no text. A copy that ran
    // on another day is an article of that day: 53 of them, in 49 groups
    // (see `search::copies_on_different_days_count_on_each_day_on_reuters`).
    assert_eq!(stats["articles"], 21344);
    assert_eq!(stats["duplicates"], 233);
    assert_eq!(stats["undated"], 0);
    assert_eq!(stats["oldest"], "1987-02-26");
    assert_eq!(stats["newest"], "1987-10-20");

    let (code, json) = dl.search(&["cocoa", "--from", "1987-02-26", "--to", "1987-02-26"]);
    assert_eq!(code, 0);
    let first = &hits(&json)[0];
    assert_eq!(first["headline"], "BAHIA COCOA REVIEW");
    assert_eq!(first["id"], "reuters21578/reut2-000.sgm.gz#1");
    assert_eq!(first["date"], "1987-02-26");
    assert_eq!(
        highlighted_words(first, "headline", "headline_highlights"),
        ["COCOA"]
    );
    let marked = highlighted_words(first, "snippet", "highlights");
    assert!(
        !marked.is_empty() && marked.iter().all(|w| w.eq_ignore_ascii_case("cocoa")),
        "{marked:?}"
    );

    // Re-indexing the corpus replaces, never duplicates.
    dl.index(&[reuters.to_str().unwrap()]).expect_code(0);
    assert_eq!(dl.stats()["articles"], 21344);
    assert_eq!(dl.stats()["duplicates"], 233);
    assert_eq!(dl.count(&["headline:\"bahia cocoa review\""]), 1);
}
