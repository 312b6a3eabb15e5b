//! `dateline related ID`: the articles most like one article, on the
//! fixture archive (whose story clusters FIXTURES.md lists) and on
//! Reuters-21578.

use std::collections::BTreeSet;

use crate::common::*;
use serde_json::Value;

/// `related ID --json ARGS…`: the exit code and the parsed document, which
/// must follow the same schema as `search --json`.
#[track_caller]
fn related(dl: &Dateline, id: &str, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["related", id, "--json"];
    all.extend(args);
    let run = dl.run(&all);
    let code = run.code.expect("exit code");
    assert!(code == 0 || code == 1, "related {all:?}: {}", run.stderr);
    let json = run.json();
    check_results_schema(&json);
    assert_eq!(json["query"], id);
    (code, json)
}

/// The ids of the first `n` articles related to `id`.
#[track_caller]
fn top(dl: &Dateline, id: &str, n: usize) -> Vec<String> {
    let (code, json) = related(dl, id, &["-n", &n.to_string()]);
    assert_eq!(code, 0);
    hit_ids(&json)
}

#[track_caller]
fn set(ids: &[String]) -> BTreeSet<String> {
    ids.iter().cloned().collect()
}

#[test]
fn a_cocoa_article_finds_the_other_cocoa_articles_first() {
    let dl = archive_index();
    let cocoa = top(dl, &id("2024/01/cocoa-record-high"), 3);
    assert_eq!(
        set(&cocoa[..2]),
        ids(&[
            "2025/03/cocoa-prices-slump",
            "2024/04/chocolate-bars-shrink"
        ]),
        "{cocoa:?}"
    );
    // Then coffee, the rest of the commodity cluster.
    assert_eq!(cocoa[2], id("2024/09/zurich-cafe-prices"));

    assert_eq!(
        set(&top(dl, &id("2024/04/chocolate-bars-shrink"), 2)),
        ids(&["2024/01/cocoa-record-high", "2025/03/cocoa-prices-slump"]),
    );
}

#[test]
fn other_stories_find_their_own_clusters_first() {
    let dl = archive_index();
    let clusters: [(&str, &[&str]); 4] = [
        (
            "2024/11/geneva-talks-agreed",
            &[
                "2024/12/envoys-talk-new-year",
                "2025/03/london-summit-truce-force",
                "2025/03/ceasefire-monitors-named",
                "2025/05/istanbul-direct-talks",
            ],
        ),
        (
            "2025/01/chip-export-rules",
            &[
                "2024/02/chip-plant-approved",
                "2024/08/chip-factory-groundbreaking",
                "2025/06/chip-factory-first-wafers",
            ],
        ),
        (
            "2024/06/first-rate-cut",
            &[
                "2024/01/rates-held-steady",
                "2025/01/new-year-mortgage-outlook",
                "2025/03/rate-setters-meet",
            ],
        ),
        (
            "2024/07/mountain-stage-win",
            &[
                "2024/05/cup-final-extra-time",
                "2025/04/marathon-course-record",
            ],
        ),
    ];
    for (article, cluster) in clusters {
        let found = top(dl, &id(article), cluster.len());
        assert_eq!(set(&found), ids(cluster), "related to {article}");
    }
}

#[test]
fn an_article_is_never_related_to_itself() {
    let dl = archive_index();
    let all = dl.search_ids(&["--sort", "oldest"]);
    assert_eq!(all.len(), 24);
    for article in &all {
        let (code, json) = related(dl, article, &["-n", "100"]);
        assert_eq!(code, 0, "nothing related to {article}");
        let found = hit_ids(&json);
        assert_eq!(found.len(), total(&json), "all hits on one page");
        assert!(!found.contains(article), "{article} is related to itself");
        assert_eq!(set(&found).len(), found.len(), "a hit twice: {found:?}");
        // Scores are in order, best first.
        let scores: Vec<f64> = hits(&json)
            .iter()
            .map(|h| h["score"].as_f64().expect("a score"))
            .collect();
        assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    }
}

#[test]
fn the_date_filter_applies() {
    let dl = archive_index();
    let cocoa = id("2024/01/cocoa-record-high");

    let (code, json) = related(dl, &cocoa, &["--from", "2025", "-n", "100"]);
    assert_eq!(code, 0);
    assert_eq!(hit_ids(&json)[0], id("2025/03/cocoa-prices-slump"));
    assert!(hit_dates(&json).iter().all(|d| d.as_str() >= "2025-01-01"));
    let (_, unfiltered) = related(dl, &cocoa, &["-n", "100"]);
    assert!(total(&json) < total(&unfiltered));

    let (_, json) = related(dl, &cocoa, &["--to", "2024-06", "-n", "100"]);
    assert_eq!(hit_ids(&json)[0], id("2024/04/chocolate-bars-shrink"));
    assert!(hit_dates(&json).iter().all(|d| d.as_str() <= "2024-06-30"));

    // The article's own day holds one other article, about rates.
    let (_, json) = related(dl, &cocoa, &["--on", "2024-01-15"]);
    assert_eq!(hit_ids(&json), [id("2024/01/rates-held-steady")]);

    // A day with nothing on it: nothing related, exit 1.
    let (code, json) = related(dl, &cocoa, &["--on", "2024-03"]);
    assert_eq!((code, total(&json)), (1, 0));
    assert!(hits(&json).is_empty());
}

#[test]
fn limit_and_offset_page_through_the_ranking() {
    let dl = archive_index();
    let cocoa = id("2024/01/cocoa-record-high");
    let first_four = top(dl, &cocoa, 4);
    assert_eq!(first_four.len(), 4);

    let (_, json) = related(dl, &cocoa, &["-n", "2"]);
    assert_eq!(hit_ids(&json), first_four[..2]);
    assert!(total(&json) > 2);
    let (_, json) = related(dl, &cocoa, &["-n", "2", "--offset", "2"]);
    assert_eq!(hit_ids(&json), first_four[2..]);
    assert_eq!(json["offset"], 2);
}

#[test]
fn an_unknown_id_exits_1_with_one_line() {
    let dl = archive_index();
    let run = dl.run(&["related", "archive/no-such-article.txt"]);
    run.expect_code(1);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert_eq!(
        run.stderr,
        "dateline: no article with id 'archive/no-such-article.txt'\n"
    );
    // Dates are checked like search's.
    let run = dl.run(&[
        "related",
        &id("2024/01/cocoa-record-high"),
        "--on",
        "2025-02-30",
    ]);
    run.expect_error();
}

#[test]
fn hits_are_printed_exactly_as_search_prints_them() {
    let dl = archive_index();
    let cocoa = id("2024/01/cocoa-record-high");
    let run = dl.run(&["related", &cocoa, "-n", "1"]);
    run.expect_code(0);
    let (header, hit) = run.stdout.split_once("\n\n").expect("a header and a hit");
    // No count: how many articles share a telling word says nothing.
    assert_eq!(
        header,
        "Articles related to archive/2024/01/cocoa-record-high.txt \
         \"Cocoa futures hit record as West African crop falters\" (showing 1–1, best first)"
    );
    // The same article listed by search, where nothing is marked either:
    // the same block of lines.
    let listed = dl.run(&["search", "--on", "2025-03-31"]);
    listed.expect_code(0);
    let (_, listed_hit) = listed.stdout.split_once("\n\n").expect("a hit");
    assert_eq!(hit, listed_hit);
    assert!(
        hit.starts_with("  1. 2025-03-31  Cocoa prices slump"),
        "{hit}"
    );
}

/// Two files with the same story, one like it and one about nothing else.
fn archive_with_copies(dl: &Dateline) -> String {
    let story = " date 2025-05-02 Ferry strike halts island crossings\n\n\
        Ferry crews walked out on Friday, halting crossings to the islands. \
        The union said the ferry strike would last until the operator improved pay.\n";
    let like = " date 2025-05-09 Ferry crossings resume as strike ends\n\n\
        Ferry crossings to the islands resumed on Friday after crews ended their strike \
        over pay with a deal the union called fair.\n";
    let other = " date 2025-05-03 Orchid show draws gardeners\n\n\
        Gardeners queued for orchids, bromeliads and ferns at a horticultural exhibition.\n";
    let root = dl.scratch().join("news");
    std::fs::create_dir_all(&root).unwrap();
    for (name, text) in [
        ("a-strike.txt", story),
        ("b-strike-copy.txt", story),
        ("c-strike-ends.txt", like),
        ("d-orchids.txt", other),
    ] {
        std::fs::write(root.join(name), text).unwrap();
    }
    let run = dl.index(&[root.to_str().unwrap()]);
    run.expect_code(0);
    assert!(
        run.stdout.contains("1 duplicate not indexed again"),
        "{}",
        run.stdout
    );
    root.to_str().unwrap().to_string()
}

#[test]
fn copies_of_the_article_are_never_related_to_it() {
    let dl = Dateline::new();
    archive_with_copies(&dl);
    let original = dl.show("news/a-strike.txt");
    let copies = original["copies"].as_array().unwrap();
    assert_eq!(copies.len(), 1, "{original}");
    for given in ["news/a-strike.txt", "news/b-strike-copy.txt"] {
        let (code, json) = related(&dl, given, &[]);
        assert_eq!(code, 0, "related {given}");
        assert_eq!(
            hit_ids(&json),
            ["news/c-strike-ends.txt"],
            "related {given}"
        );
    }
    // The story is like its like once, not once per copy.
    let (_, json) = related(&dl, "news/c-strike-ends.txt", &[]);
    let found = hit_ids(&json);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0] == "news/a-strike.txt" || found[0] == "news/b-strike-copy.txt",
        "{found:?}"
    );
}

#[test]
fn an_article_like_no_other_exits_1() {
    let dl = Dateline::new();
    archive_with_copies(&dl);
    let run = dl.run(&["related", "news/d-orchids.txt"]);
    run.expect_code(1);
    assert!(
        run.stdout
            .starts_with("No articles related to news/d-orchids.txt"),
        "{}",
        run.stdout
    );
    assert!(run.stderr.is_empty(), "{}", run.stderr);
}

#[test]
fn reuters_cocoa_review_finds_cocoa_news_first() {
    let Some(dl) = reuters_index() else {
        return;
    };
    let review = "reuters21578/reut2-000.sgm.gz#1";
    assert_eq!(dl.show(review)["headline"], "BAHIA COCOA REVIEW");

    let is_cocoa = |id: &str| {
        let article = dl.show(id);
        let text = format!("{} {}", article["headline"], article["body"]).to_lowercase();
        text.contains("cocoa")
    };
    let (code, json) = related(dl, review, &["-n", "5"]);
    assert_eq!(code, 0);
    let found = hit_ids(&json);
    assert_eq!(found.len(), 5);
    assert!(!found.contains(&review.to_string()));
    let cocoa = found.iter().filter(|id| is_cocoa(id)).count();
    assert!(cocoa >= 4, "only {cocoa} of {found:?} are about cocoa");
    // Many articles share some word with it; the ranking is what matters.
    assert!(total(&json) > 100, "{}", total(&json));

    // Later in the year: still cocoa first, and only from then on.
    let (code, json) = related(dl, review, &["--from", "1987-06", "-n", "5"]);
    assert_eq!(code, 0);
    assert!(hit_dates(&json).iter().all(|d| d.as_str() >= "1987-06-01"));
    let found = hit_ids(&json);
    let cocoa = found.iter().filter(|id| is_cocoa(id)).count();
    assert!(cocoa >= 4, "only {cocoa} of {found:?} are about cocoa");
}
