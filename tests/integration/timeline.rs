//! Timelines: `search --group-by day|month` lists hits oldest first under a
//! heading for each day or month, on the fixture archive and on Reuters.

use std::collections::BTreeSet;

use crate::common::*;
use serde_json::Value;

/// A timeline as printed: each heading with the dates and ids of the hits
/// under it, in order.
#[derive(Debug)]
struct Section {
    heading: String,
    hits: Vec<(String, String)>,
}

/// Reads the human output of a timeline: the header line, then blocks
/// after blank lines: `== P ==` headings, and hits (`  1. DATE  HEADLINE`,
/// the id, the snippet).
#[track_caller]
fn sections(stdout: &str) -> Vec<Section> {
    let mut sections: Vec<Section> = Vec::new();
    for block in stdout.split("\n\n").skip(1) {
        if let Some(heading) = block.strip_prefix("== ") {
            let heading = heading.strip_suffix(" ==").expect("a heading ends in ==");
            sections.push(Section {
                heading: heading.to_string(),
                hits: Vec::new(),
            });
            continue;
        }
        let mut lines = block.lines();
        let first = lines.next().expect("a hit's first line");
        let (rank, rest) = first.trim_start().split_once(". ").expect("  N. DATE …");
        assert!(rank.parse::<usize>().is_ok(), "{first:?}");
        let date = rest.split_whitespace().next().expect("a date");
        let id = lines.next().expect("an id under the headline").trim();
        let section = sections.last_mut().expect("a hit before any heading");
        section.hits.push((date.to_string(), id.to_string()));
    }
    sections
}

/// The period a hit's date falls in, as headings name it.
fn period(date: &str, by: &str) -> String {
    match (date, by) {
        ("undated", _) => "undated".to_string(),
        (_, "month") => date[..7].to_string(),
        _ => date.to_string(),
    }
}

/// Checks what every timeline must be: headings in ascending order (undated
/// last), each once, each hit under the heading of its own date.
#[track_caller]
fn check_timeline(sections: &[Section], by: &str) {
    let headings: Vec<&str> = sections.iter().map(|s| s.heading.as_str()).collect();
    let dated: Vec<&str> = headings
        .iter()
        .copied()
        .filter(|h| *h != "undated")
        .collect();
    assert!(
        dated.windows(2).all(|w| w[0] < w[1]),
        "headings out of order: {headings:?}"
    );
    if let Some(at) = headings.iter().position(|h| *h == "undated") {
        assert_eq!(at, headings.len() - 1, "undated is last: {headings:?}");
    }
    for section in sections {
        assert!(!section.hits.is_empty(), "empty {}", section.heading);
        for (date, id) in &section.hits {
            assert_eq!(period(date, by), section.heading, "{id} dated {date}");
        }
        let dates: Vec<&String> = section.hits.iter().map(|(d, _)| d).collect();
        assert!(dates.windows(2).all(|w| w[0] <= w[1]), "{dates:?}");
    }
}

fn all_ids(sections: &[Section]) -> Vec<String> {
    sections
        .iter()
        .flat_map(|s| s.hits.iter().map(|(_, id)| id.clone()))
        .collect()
}

#[test]
fn group_by_month_puts_every_article_under_its_month() {
    let dl = archive_index();
    let run = dl.run(&["search", "--group-by", "month", "-n", "100"]);
    run.expect_code(0);
    assert!(
        run.stdout
            .starts_with("24 articles (showing 1–24, oldest first)\n\n== 2024-01 ==\n"),
        "{}",
        run.stdout
    );
    let sections = sections(&run.stdout);
    check_timeline(&sections, "month");
    // FIXTURES.md: 16 months have articles (none in 2024-03 or 2025-02).
    let headings: Vec<&str> = sections.iter().map(|s| s.heading.as_str()).collect();
    assert_eq!(headings.len(), 16, "{headings:?}");
    assert!(!headings.contains(&"2024-03") && !headings.contains(&"2025-02"));
    let march: Vec<&str> = sections
        .iter()
        .find(|s| s.heading == "2025-03")
        .unwrap()
        .hits
        .iter()
        .map(|(date, _)| date.as_str())
        .collect();
    assert_eq!(
        march,
        [
            "2025-03-01",
            "2025-03-17",
            "2025-03-17",
            "2025-03-17",
            "2025-03-31"
        ]
    );
    // Every article once.
    let ids = all_ids(&sections);
    assert_eq!(ids.len(), 24);
    assert_eq!(
        ids.iter().collect::<BTreeSet<_>>().len(),
        24,
        "an article twice"
    );
}

#[test]
fn group_by_day_is_a_story_timeline() {
    let dl = archive_index();
    let query = "talks OR ceasefire OR truce";
    let run = dl.run(&["search", query, "--group-by", "day"]);
    run.expect_code(0);
    let sections = sections(&run.stdout);
    check_timeline(&sections, "day");
    let headings: Vec<&str> = sections.iter().map(|s| s.heading.as_str()).collect();
    assert_eq!(
        headings,
        [
            "2024-11-20",
            "2024-12-31",
            "2025-03-01",
            "2025-03-17",
            "2025-05-16"
        ]
    );
    // The same articles a search finds.
    let found: BTreeSet<String> = all_ids(&sections).into_iter().collect();
    assert_eq!(found, dl.search_set(&[query]));
}

#[test]
fn json_hits_carry_their_group() {
    let dl = archive_index();
    let (code, json) = dl.search(&["--group-by", "month", "-n", "100", "--from", "2025"]);
    assert_eq!(code, 0);
    let dates = hit_dates(&json);
    assert_eq!(dates.len(), total(&json));
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "{dates:?}");
    for hit in hits(&json) {
        let date = hit["date"].as_str().unwrap();
        assert_eq!(hit["group"], date[..7], "{hit}");
        assert!(hit["score"].is_null(), "sorted by date: {hit}");
    }
    // Only a timeline has the key.
    let (_, plain) = dl.search(&["--from", "2025"]);
    assert!(hits(&plain).iter().all(|h| h.get("group").is_none()));
    // By day, the group is the date.
    let (_, json) = dl.search(&["rates", "--group-by", "day"]);
    assert!(!hits(&json).is_empty());
    for hit in hits(&json) {
        assert_eq!(hit["group"], hit["date"]);
    }
}

/// An index of the archive and two undated articles.
fn with_undated() -> Dateline {
    let dl = Dateline::new();
    let extra = dl.scratch().join("undated");
    std::fs::create_dir_all(&extra).unwrap();
    std::fs::write(
        extra.join("cocoa-growers.txt"),
        "Cocoa growers form a union\n\nSmall cocoa growers met to form a union.\n",
    )
    .unwrap();
    std::fs::write(
        extra.join("cocoa-tasting.txt"),
        "A cocoa tasting for beginners\n\nHow to taste cocoa like a trader.\n",
    )
    .unwrap();
    dl.index(&[ARCHIVE, extra.to_str().unwrap()]).expect_code(0);
    dl
}

#[test]
fn undated_hits_come_last_under_their_own_heading() {
    let dl = with_undated();
    let run = dl.run(&["search", "cocoa", "--group-by", "month"]);
    run.expect_code(0);
    let sections = sections(&run.stdout);
    check_timeline(&sections, "month");
    let last = sections.last().unwrap();
    assert_eq!(last.heading, "undated");
    assert_eq!(last.hits.len(), 2);
    assert_eq!(sections.len(), 4, "three months, then undated");

    let (_, json) = dl.search(&["cocoa", "--group-by", "month"]);
    let groups: Vec<&Value> = hits(&json).iter().map(|h| &h["group"]).collect();
    assert_eq!(groups.len(), 5);
    assert!(groups[..3].iter().all(|g| g.is_string()), "{groups:?}");
    assert!(groups[3..].iter().all(|g| g.is_null()), "{groups:?}");
}

#[test]
fn paging_applies_to_hits_and_keeps_the_order() {
    let dl = archive_index();
    let (_, whole) = dl.search(&["--group-by", "day", "-n", "100"]);
    let (_, page) = dl.search(&["--group-by", "day", "-n", "5", "--offset", "5"]);
    assert_eq!(hit_ids(&page), hit_ids(&whole)[5..10]);
    assert_eq!(page["offset"], 5);
    let groups =
        |json: &Value| -> Vec<Value> { hits(json).iter().map(|h| h["group"].clone()).collect() };
    assert_eq!(groups(&page), groups(&whole)[5..10]);

    let run = dl.run(&["search", "--group-by", "day", "-n", "5", "--offset", "5"]);
    assert!(
        run.stdout
            .starts_with("24 articles (showing 6–10, oldest first)"),
        "{}",
        run.stdout
    );
    assert_eq!(all_ids(&sections(&run.stdout)), hit_ids(&page));
}

#[test]
fn group_by_lists_oldest_first_whatever_else_is_asked() {
    let dl = archive_index();
    for sort in ["newest", "relevance"] {
        let run = dl.run(&["search", "rates", "--group-by", "month", "--sort", sort]);
        let line = run.expect_error();
        assert!(line.contains("--group-by") && line.contains(sort), "{line}");
    }
    let oldest = dl.run(&["search", "rates", "--group-by", "month", "--sort", "oldest"]);
    let implied = dl.run(&["search", "rates", "--group-by", "month"]);
    oldest.expect_code(0);
    assert_eq!(oldest.stdout, implied.stdout);
    // Nothing found: the header alone, exit 1.
    let none = dl.run(&["search", "tugboat", "--group-by", "day", "--on", "2024"]);
    none.expect_code(1);
    assert_eq!(
        none.stdout,
        "0 articles match \"tugboat\" from 2024-01-01 to 2024-12-31\n"
    );
}

#[test]
fn reuters_cocoa_by_month() {
    let Some(dl) = reuters_index() else {
        return;
    };

    let (code, json) = dl.search(&["cocoa", "--group-by", "month", "-n", "10000", "--no-fold"]);
    assert_eq!(code, 0);
    assert_eq!(hits(&json).len(), total(&json));
    let mut months: Vec<String> = Vec::new();
    for hit in hits(&json) {
        let group = hit["group"].as_str().expect("Reuters is dated").to_string();
        assert_eq!(group, hit["date"].as_str().unwrap()[..7]);
        if months.last() != Some(&group) {
            months.push(group);
        }
    }
    // Each month once, in order: the months of 1987 the corpus has cocoa
    // news in (it holds little from May and July to September).
    assert_eq!(
        months,
        ["1987-02", "1987-03", "1987-04", "1987-06", "1987-10"]
    );
    // Each month holds exactly the month's matches.
    for month in &months {
        let in_group = hits(&json).iter().filter(|h| h["group"] == **month).count();
        assert_eq!(in_group, dl.count(&["cocoa", "--on", month]), "{month}");
    }

    let run = dl.run(&[
        "search",
        "cocoa",
        "--group-by",
        "month",
        "-n",
        "10000",
        "--no-fold",
    ]);
    run.expect_code(0);
    let sections = sections(&run.stdout);
    check_timeline(&sections, "month");
    let headings: Vec<&String> = sections.iter().map(|s| &s.heading).collect();
    assert_eq!(headings, months.iter().collect::<Vec<_>>());
    assert_eq!(all_ids(&sections), hit_ids(&json));
}
