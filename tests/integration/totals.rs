//! Totals counted up to 10,000: a search that matches more says "more than
//! 10,000" (`total_exact: false`) and may skip what cannot make its page,
//! but its page is always the one the exhaustive search (`--exact-total`)
//! shows, in every order, at every offset, before and after deletions.

use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::common::{hits, reuters_index, Dateline};

/// The threshold of `EXACT_TOTAL_UP_TO`.
const THRESHOLD: usize = 10_000;

/// Each hit's id and score (the score as JSON has it, or null by date).
fn page(json: &Value) -> Vec<(String, String)> {
    hits(json)
        .iter()
        .map(|hit| {
            (
                hit["id"].as_str().unwrap().to_string(),
                hit["score"].to_string(),
            )
        })
        .collect()
}

/// Runs `search ARGS` as searches run by default and with `--exact-total`,
/// and checks that both show the same page, that the exact one's total is
/// `--count`'s, and that the default one's is that total up to the
/// threshold and the threshold with `total_exact: false` past it. Returns
/// the exact total.
#[track_caller]
fn same_page_as_exhaustive(dl: &Dateline, args: &[&str]) -> usize {
    let (_, default) = dl.search(args);
    let mut exact_args = args.to_vec();
    exact_args.push("--exact-total");
    let (_, exact) = dl.search(&exact_args);
    assert_eq!(page(&default), page(&exact), "the pages of {args:?} differ");
    assert_eq!(exact["total_exact"], true, "{args:?}");
    let total = exact["total"].as_u64().unwrap() as usize;
    let mut count_args = vec!["search", "--count"];
    count_args.extend(without_paging(args));
    let counted = dl.run(&count_args);
    counted.expect_code(if total == 0 { 1 } else { 0 });
    assert_eq!(counted.stdout.trim(), total.to_string(), "{args:?}");
    if total > THRESHOLD {
        assert_eq!(default["total"], THRESHOLD, "{args:?}");
        assert_eq!(default["total_exact"], false, "{args:?}");
    } else {
        assert_eq!(default["total"], total, "{args:?}");
        assert_eq!(default["total_exact"], true, "{args:?}");
    }
    total
}

/// [`same_page_as_exhaustive`] for each query in each order (by relevance
/// only with words) at each offset, ten hits a page; how many of these
/// searches matched more than the threshold.
#[track_caller]
fn every_page_as_exhaustive(dl: &Dateline, queries: &[&[&str]], offsets: &[&str]) -> usize {
    let mut past = 0;
    for query in queries {
        for sort in ["relevance", "newest", "oldest"] {
            if sort == "relevance" && query[0].starts_with("--") {
                continue;
            }
            for offset in offsets {
                let mut args = query.to_vec();
                args.extend(["--sort", sort, "--offset", offset, "-n", "10"]);
                if same_page_as_exhaustive(dl, &args) > THRESHOLD {
                    past += 1;
                }
            }
        }
    }
    past
}

/// `args` without their order and page (`--sort`, `--offset`, `-n` and
/// their values), which a count has no use for.
fn without_paging<'a>(args: &[&'a str]) -> Vec<&'a str> {
    let mut kept = Vec::new();
    let mut skip = false;
    for arg in args {
        if skip {
            skip = false;
        } else if matches!(*arg, "--sort" | "--offset" | "-n") {
            skip = true;
        } else {
            kept.push(*arg);
        }
    }
    kept
}

/// `count` articles as JSON lines, `files` files of them: every one says
/// "report"; five in six "alpha", every third "beta", every fifth has
/// "interest rates"; dates over 1995–2014 in no order, most of them early,
/// every 97th undated.
fn write_articles(dir: &Path, count: usize, files: usize) {
    fs::create_dir_all(dir).unwrap();
    let mut lines = vec![String::new(); files];
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    for n in 0..count {
        // (xorshift: the same dates on every run.)
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let mut body = format!("The report number {n} was filed.");
        if n % 6 != 0 {
            body.push_str(" Alpha team met.");
        }
        if n % 3 == 0 {
            body.push_str(" Beta gamma delta.");
        }
        if n % 5 == 0 {
            body.push_str(" Interest rates rose again.");
        }
        let date = if n % 97 == 0 {
            String::new()
        } else {
            // Nine in ten in 1995–1996, the rest up to 2014: the latest
            // days hold few articles, the earliest many.
            let year = if state.is_multiple_of(10) {
                1997 + (state >> 24) % 18
            } else {
                1995 + (state >> 24) % 2
            };
            format!(
                r#", "date": "{year}-{:02}-{:02}""#,
                1 + (state >> 8) % 12,
                1 + (state >> 16) % 28
            )
        };
        let headline = if n % 7 == 0 { "Alpha report" } else { "Filed" };
        lines[n % files].push_str(&format!(
            "{{\"id\": \"a{n}\", \"headline\": \"{headline} {n}\", \"body\": \"{body}\"{date}}}\n"
        ));
    }
    for (k, text) in lines.iter().enumerate() {
        fs::write(dir.join(format!("part-{k}.jsonl")), text).unwrap();
    }
}

const QUERIES: &[&[&str]] = &[
    &["report"],
    &["alpha"],
    &["beta"],
    &["alpha", "beta"],
    &["alpha OR beta"],
    &["\"interest rates\""],
    &["report", "-alpha"],
    &["report", "--from", "2000", "--to", "2004"],
    &["--from", "1995", "--to", "2014"],
    &["gamma", "--on", "2003"],
];

#[test]
fn past_ten_thousand_the_page_is_the_exhaustive_searchs_in_every_order() {
    let dl = Dateline::new();
    let articles = dl.scratch().join("articles");
    write_articles(&articles, 12_600, 5);
    dl.index(&[articles.to_str().unwrap()]).expect_code(0);
    let check = |dl: &Dateline| every_page_as_exhaustive(dl, QUERIES, &["0", "10", "995", "9995"]);
    let past = check(&dl);
    assert!(past >= 40, "only {past} searches matched more than 10,000");

    // Deleted articles (a fifth of them), still in the segments until a
    // merge: "report" still matches more than 10,000, "alpha" no longer.
    fs::remove_file(articles.join("part-1.jsonl")).unwrap();
    dl.index(&[articles.to_str().unwrap()]).expect_code(0);
    assert_eq!(
        dl.run(&["search", "--count", "report"]).stdout.trim(),
        "10080"
    );
    // (In the body five in six times, in the headline every seventh.)
    let alpha = (0..12_600)
        .filter(|n| n % 5 != 1 && (n % 6 != 0 || n % 7 == 0))
        .count();
    assert_eq!(
        dl.run(&["search", "--count", "alpha"]).stdout.trim(),
        alpha.to_string()
    );
    let past = check(&dl);
    assert!(past >= 20, "only {past} searches matched more than 10,000");

    // What a person reads.
    let run = dl.run(&["search", "report", "-n", "1"]);
    run.expect_code(0);
    let first = run.stdout.lines().next().unwrap();
    assert!(
        first.starts_with("more than 10,000 articles match \"report\""),
        "{first}"
    );
    let run = dl.run(&["search", "report", "-n", "1", "--exact-total"]);
    assert!(
        run.stdout.starts_with("10080 articles match"),
        "{}",
        run.stdout
    );
}

#[test]
fn reuters_pages_are_the_exhaustive_searchs() {
    let Some(dl) = reuters_index() else { return };
    let queries: &[&[&str]] = &[
        &["said"],
        &["mln"],
        &["said", "mln"],
        &["said OR mln OR dlrs"],
        &["oil OR gold OR wheat"],
        &["\"said it\""],
        &["said", "-mln"],
        &["company", "said"],
        &["said", "--from", "1987-03-01", "--to", "1987-03-31"],
        &["--from", "1987", "--to", "1987"],
        &["cocoa"],
    ];
    let past = every_page_as_exhaustive(dl, queries, &["0", "7", "1000"]);
    assert!(
        past >= 20,
        "only {past} Reuters searches matched more than 10,000"
    );
}
