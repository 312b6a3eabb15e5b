//! `dateline search`: the query language, date filters, sorting, paging,
//! the JSON document and its highlights, and exit codes. Expected articles
//! come from tests/fixtures/FIXTURES.md.

use std::collections::BTreeSet;

use crate::common::*;
use serde_json::Value;

fn intersection(a: &BTreeSet<String>, b: &BTreeSet<String>) -> BTreeSet<String> {
    a.intersection(b).cloned().collect()
}

fn union(a: &BTreeSet<String>, b: &BTreeSet<String>) -> BTreeSet<String> {
    a.union(b).cloned().collect()
}

fn difference(a: &BTreeSet<String>, b: &BTreeSet<String>) -> BTreeSet<String> {
    a.difference(b).cloned().collect()
}

// ---------------------------------------------------------------- words

#[test]
fn single_words_find_the_fixture_articles() {
    let dl = archive_index();
    assert_eq!(
        dl.search_set(&["peloton"]),
        ids(&["2024/07/mountain-stage-win"])
    );
    assert_eq!(
        dl.search_set(&["analysts"]),
        ids(&[
            "2024/01/cocoa-record-high",
            "2024/01/rates-held-steady",
            "2025/03/cocoa-prices-slump",
        ])
    );
    assert_eq!(
        dl.search_set(&["ceasefire"]),
        ids(&[
            "2024/12/envoys-talk-new-year",
            "2025/03/ceasefire-monitors-named",
            "2024/11/geneva-talks-agreed",
            "2025/05/istanbul-direct-talks",
        ])
    );
    assert_eq!(
        dl.search_set(&["cocoa"]),
        ids(&[
            "2024/01/cocoa-record-high",
            "2024/04/chocolate-bars-shrink",
            "2025/03/cocoa-prices-slump",
        ])
    );
    assert_eq!(
        dl.search_set(&["coffee"]),
        ids(&["2024/09/zurich-cafe-prices", "2025/03/cocoa-prices-slump"])
    );
    // Case does not matter.
    assert_eq!(dl.search_set(&["PELOTON"]), dl.search_set(&["peloton"]));
}

#[test]
fn words_are_anded_by_default() {
    let dl = archive_index();
    let cocoa = dl.search_set(&["cocoa"]);
    let coffee = dl.search_set(&["coffee"]);
    let both = dl.search_set(&["cocoa coffee"]);
    assert_eq!(both, ids(&["2025/03/cocoa-prices-slump"]));
    assert_eq!(both, intersection(&cocoa, &coffee));
    assert!(both.len() < cocoa.len() && both.len() < coffee.len());
    // Written AND is the same.
    assert_eq!(dl.search_set(&["cocoa AND coffee"]), both);
    // Words given as separate arguments are one query too.
    assert_eq!(dl.search_set(&["cocoa", "coffee"]), both);

    // (word, word, the stem every form of each word starts with)
    for (a, b, stems) in [
        ("inflation", "mortgages", ["inflation", "mortgage"]),
        ("semiconductor", "Dresden", ["semiconductor", "dresden"]),
    ] {
        let expected = intersection(&dl.search_set(&[a]), &dl.search_set(&[b]));
        assert!(!expected.is_empty(), "{a} {b}");
        let found = dl.search_set(&[format!("{a} {b}")]);
        assert_eq!(found, expected, "{a} {b}");
        // Every hit really holds both words.
        for id in &found {
            let article = dl.show(id);
            let text = format!("{} {}", article["headline"], article["body"]).to_lowercase();
            for stem in stems {
                assert!(text.contains(stem), "{id} lacks {stem}");
            }
        }
    }
}

#[test]
fn or_finds_either_word() {
    let dl = archive_index();
    let cocoa = dl.search_set(&["cocoa"]);
    let coffee = dl.search_set(&["coffee"]);
    let (code, json) = dl.search(&["cocoa OR coffee"]);
    assert_eq!(code, 0);
    assert_eq!(total(&json), 4);
    assert_eq!(dl.search_set(&["cocoa OR coffee"]), union(&cocoa, &coffee));

    let either = dl.search_set(&["truce OR peloton"]);
    assert_eq!(
        either,
        ids(&[
            "2025/03/london-summit-truce-force",
            "2025/05/istanbul-direct-talks",
            "2024/07/mountain-stage-win",
        ])
    );
    // Lower-case `or` is just a word, ANDed.
    assert_eq!(dl.count(&["truce or peloton"]), 0);
}

#[test]
fn minus_and_not_exclude_a_word() {
    let dl = archive_index();
    let ceasefire = dl.search_set(&["ceasefire"]);
    let truce = dl.search_set(&["truce"]);
    let expected = ids(&[
        "2024/12/envoys-talk-new-year",
        "2025/03/ceasefire-monitors-named",
        "2024/11/geneva-talks-agreed",
    ]);
    assert_eq!(difference(&ceasefire, &truce), expected);
    assert_eq!(dl.search_set(&["ceasefire -truce"]), expected);
    assert_eq!(dl.search_set(&["ceasefire NOT truce"]), expected);

    // An exclusion alone lists everything else (`--` lets it start with '-').
    assert_eq!(dl.count(&["--", "-truce"]), 22);
    assert_eq!(dl.count(&["NOT truce"]), 22);
}

/// A query may start with `-` and options may follow it; an option after
/// `--` is refused rather than searched for as a word (it was: `search --
/// -truce --on 2025` looked for the words "--on" and "2025").
#[test]
fn a_query_starting_with_minus_keeps_the_options_after_it() {
    let dl = archive_index();
    let all = dl.stats()["articles"].as_u64().expect("articles") as usize;
    let in_2025 = dl.count(&["--on", "2025"]);
    let truce_2025 = dl.count(&["truce", "--on", "2025"]);
    assert!(truce_2025 > 0 && truce_2025 < in_2025);
    assert_eq!(dl.count(&["-truce", "--on", "2025"]), in_2025 - truce_2025);
    assert_eq!(dl.count(&["-truce"]), all - dl.count(&["truce"]));
    let trend = dl.run(&["trend", "-truce", "--by", "year", "--json"]);
    trend.expect_code(0);
    assert_eq!(
        trend.json()["total"].as_u64(),
        Some((all - dl.count(&["truce"])) as u64)
    );
    for args in [
        &["search", "--", "-truce", "--on", "2025"][..],
        &["trend", "--", "-truce", "--by", "month"],
    ] {
        let refused = dl.run(args);
        let message = refused.expect_error();
        assert!(message.contains("'--"), "{message}");
        assert!(message.contains("after '--'"), "{message}");
    }
}

#[test]
fn a_quoted_phrase_needs_the_words_in_order() {
    let dl = archive_index();
    let phrase = dl.search_set(&["\"coalition of the willing\""]);
    assert_eq!(
        phrase,
        ids(&[
            "2025/03/london-summit-truce-force",
            "2025/03/ceasefire-monitors-named",
        ])
    );
    // istanbul has both words but not the phrase.
    let words = dl.search_set(&["coalition willing"]);
    assert!(words.contains(&id("2025/05/istanbul-direct-talks")));
    assert!(words.is_superset(&phrase) && words.len() > phrase.len());

    assert_eq!(
        dl.search_set(&["\"interest rates\""]),
        ids(&[
            "2024/01/rates-held-steady",
            "2024/06/first-rate-cut",
            "2025/01/new-year-mortgage-outlook",
            "2025/03/rate-setters-meet",
        ])
    );
}

#[test]
fn fields_limit_a_word_to_the_headline_or_the_body() {
    let dl = archive_index();
    let river = ids(&["2025/03/river-rescue"]);
    assert_eq!(dl.search_set(&["Tugboat"]), river);
    assert_eq!(dl.search_set(&["headline:tugboat"]), river);
    // The body's own words, phrases and fuzzy words alike: the headline
    // is not the body.
    for query in ["body:tugboat", "body:tugbot~", "body:\"tugboat crews\""] {
        let (code, json) = dl.search(&[query]);
        assert_eq!((code, total(&json)), (1, 0), "{query}");
    }
    assert_eq!(dl.search_set(&["tugbot~"]), river);
    assert_eq!(dl.search_set(&["\"tugboat crews\""]), river);

    let analysts = dl.search_set(&["analysts"]);
    assert_eq!(analysts.len(), 3);
    assert_eq!(dl.search_set(&["body:analysts"]), analysts);
    assert_eq!(dl.count(&["headline:analysts"]), 0);

    // ceasefire: in two headlines, in four bodies.
    assert_eq!(
        dl.search_set(&["headline:ceasefire"]),
        ids(&[
            "2024/12/envoys-talk-new-year",
            "2025/03/ceasefire-monitors-named",
        ])
    );
    assert_eq!(dl.count(&["body:ceasefire"]), 4);
    // A scope over a group.
    assert_eq!(
        dl.search_set(&["headline:(cocoa OR coffee)"]),
        union(
            &dl.search_set(&["headline:cocoa"]),
            &dl.search_set(&["headline:coffee"])
        )
    );
    assert!(dl
        .search_set(&["headline:(cocoa OR coffee)"])
        .contains(&id("2024/09/zurich-cafe-prices")));
}

#[test]
fn parentheses_group() {
    let dl = archive_index();
    let cocoa = dl.search_set(&["cocoa"]);
    let coffee_or_analysts = union(&dl.search_set(&["coffee"]), &dl.search_set(&["analysts"]));
    let grouped = dl.search_set(&["cocoa (coffee OR analysts)"]);
    assert_eq!(grouped, intersection(&cocoa, &coffee_or_analysts));
    assert_eq!(
        grouped,
        ids(&["2024/01/cocoa-record-high", "2025/03/cocoa-prices-slump"])
    );

    // NOT applies to the whole group: 24 minus truce ∪ ceasefire (5).
    assert_eq!(dl.count(&["NOT (truce OR ceasefire)"]), 19);
    // Without the group NOT binds to truce only: everything but london
    // (truce without ceasefire).
    assert_eq!(dl.count(&["NOT truce OR ceasefire"]), 23);
}

#[test]
fn words_are_stemmed() {
    let dl = archive_index();
    let all_forms = ids(&[
        "2024/11/geneva-talks-agreed",
        "2025/05/istanbul-direct-talks",
        "2024/12/envoys-talk-new-year",
        "2025/03/ceasefire-monitors-named",
        "2025/03/london-summit-truce-force",
    ]);
    // london has only `talked`, ceasefire-monitors only `talking`.
    for query in ["talks", "talk", "talked", "talking"] {
        assert_eq!(dl.search_set(&[query]), all_forms, "{query}");
    }
    assert_eq!(
        dl.search_set(&["floods"]),
        ids(&[
            "2024/02/leap-day-storm",
            "2024/10/flash-floods-valley",
            "2025/03/river-rescue",
            "2025/06/flood-defence-funding",
        ])
    );
}

#[test]
fn accents_are_folded() {
    let dl = archive_index();
    let zurich = ids(&["2024/09/zurich-cafe-prices"]);
    for query in ["cafe", "café", "CAFE", "zurich", "Zürich"] {
        assert_eq!(dl.search_set(&[query]), zurich, "{query}");
    }
    let (_, json) = dl.search(&["cafe"]);
    assert_eq!(
        highlighted_words(&hits(&json)[0], "headline", "headline_highlights"),
        ["café"]
    );
    let (_, json) = dl.search(&["zurich"]);
    assert_eq!(
        highlighted_words(&hits(&json)[0], "headline", "headline_highlights"),
        ["Zürich"]
    );
}

// ---------------------------------------------------------------- dates

#[test]
fn on_a_day_a_month_a_year() {
    let dl = archive_index();
    assert_eq!(
        dl.search_set(&["--on", "2025-03-17"]),
        ids(&[
            "2025/03/ceasefire-monitors-named",
            "2025/03/rate-setters-meet",
            "2025/03/river-rescue",
        ])
    );
    assert_eq!(dl.count(&["--on", "2025-03"]), 5);
    assert_eq!(dl.count(&["--on", "2025"]), 11);
    assert_eq!(dl.count(&["--on", "2024"]), 13);
    assert_eq!(
        dl.search_set(&["--on", "2024-02-29"]),
        ids(&["2024/02/leap-day-storm"])
    );
    assert_eq!(dl.count(&["--on", "2024-02"]), 2);
    assert_eq!(dl.count(&["--on", "2024-01-15"]), 2);
    assert_eq!(dl.count(&["--on", "2025-06-03"]), 2);

    // With words, both must hold.
    assert_eq!(
        dl.search_set(&["ceasefire", "--on", "2025-03-17"]),
        ids(&["2025/03/ceasefire-monitors-named"])
    );
}

#[test]
fn empty_months_match_nothing() {
    let dl = archive_index();
    for month in ["2024-03", "2025-02"] {
        let (code, json) = dl.search(&["--on", month]);
        assert_eq!((code, total(&json)), (1, 0), "{month}");
        assert!(hits(&json).is_empty());
    }
}

#[test]
fn from_and_to_include_both_edges() {
    let dl = archive_index();
    let march = dl.search_set(&["--from", "2025-03-01", "--to", "2025-03-31"]);
    assert_eq!(march.len(), 5);
    assert!(march.contains(&id("2025/03/london-summit-truce-force")));
    assert!(march.contains(&id("2025/03/cocoa-prices-slump")));
    assert_eq!(march, dl.search_set(&["--on", "2025-03"]));

    // A month as --to runs to its last day.
    let to_month = dl.search_set(&["--from", "2025-03-17", "--to", "2025-03"]);
    assert_eq!(to_month.len(), 4);
    assert!(to_month.contains(&id("2025/03/cocoa-prices-slump")));
    assert_eq!(dl.count(&["--from", "2025-03", "--to", "2025-03"]), 5);

    // Across the new year: exactly the two edge articles.
    assert_eq!(
        dl.search_set(&["--from", "2024-12-31", "--to", "2025-01-01"]),
        ids(&[
            "2024/12/envoys-talk-new-year",
            "2025/01/new-year-mortgage-outlook",
        ])
    );
    // The leap day as both ends.
    assert_eq!(
        dl.search_set(&["--from", "2024-02-29", "--to", "2024-02-29"]),
        ids(&["2024/02/leap-day-storm"])
    );
    assert_eq!(
        dl.search_set(&["--from", "2024-02-13", "--to", "2024-03-31"]),
        ids(&["2024/02/leap-day-storm"])
    );

    // Open-ended ranges.
    assert_eq!(dl.count(&["--from", "2025-06-03"]), 2);
    assert_eq!(dl.count(&["--from", "2025-06-04"]), 0);
    assert_eq!(dl.count(&["--to", "2024-01-15"]), 2);
    assert_eq!(dl.count(&["--to", "2024-01-14"]), 0);
    assert_eq!(dl.count(&["--from", "2025"]), 11);
    assert_eq!(dl.count(&["--to", "2024"]), 13);
}

#[test]
fn a_date_filter_without_words_lists_that_period() {
    let dl = archive_index();
    for (args, first, last, count) in [
        (vec!["--on", "2025-03"], "2025-03-01", "2025-03-31", 5),
        (
            vec!["--from", "2024-06", "--to", "2024-11"],
            "2024-06-01",
            "2024-11-30",
            6,
        ),
        (vec!["--on", "2024"], "2024-01-01", "2024-12-31", 13),
    ] {
        let mut all = args.clone();
        all.extend(["-n", "100"]);
        let (code, json) = dl.search(&all);
        assert_eq!(code, 0);
        assert_eq!(total(&json), count, "{args:?}");
        assert_eq!(hits(&json).len(), count);
        for date in hit_dates(&json) {
            assert!(
                first <= date.as_str() && date.as_str() <= last,
                "{date} outside {args:?}"
            );
        }
        // Listed newest first, without scores.
        let dates = hit_dates(&json);
        assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
        assert!(hits(&json).iter().all(|h| h["score"].is_null()));
    }
}

// ---------------------------------------------------------------- sorting

fn is_non_increasing(values: &[f64]) -> bool {
    values.windows(2).all(|w| w[0] >= w[1])
}

fn scores(json: &Value) -> Vec<f64> {
    hits(json)
        .iter()
        .map(|h| h["score"].as_f64().expect("a numeric score"))
        .collect()
}

#[test]
fn sort_by_date() {
    let dl = archive_index();
    let (_, newest) = dl.search(&["--sort", "newest", "-n", "100"]);
    let dates = hit_dates(&newest);
    assert_eq!(dates.len(), 24);
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
    assert_eq!(dates[0], "2025-06-03");
    assert_eq!(dates[23], "2024-01-15");

    let (_, oldest) = dl.search(&["--sort", "oldest", "-n", "100"]);
    let dates = hit_dates(&oldest);
    assert_eq!(dates.len(), 24);
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "{dates:?}");
    assert_eq!(dates[0], "2024-01-15");

    // With words too; then there is no score.
    for order in ["newest", "oldest"] {
        let (_, json) = dl.search(&["talks", "--sort", order]);
        assert_eq!(total(&json), 5);
        let dates = hit_dates(&json);
        let sorted = if order == "newest" {
            dates.windows(2).all(|w| w[0] >= w[1])
        } else {
            dates.windows(2).all(|w| w[0] <= w[1])
        };
        assert!(sorted, "{order}: {dates:?}");
        assert!(
            hits(&json).iter().all(|h| h["score"].is_null()),
            "{order}: scores"
        );
    }
}

#[test]
fn default_order_is_newest_without_words_and_relevance_with() {
    let dl = archive_index();
    let (_, all) = dl.search(&["-n", "100"]);
    assert_eq!(total(&all), 24);
    let (_, newest) = dl.search(&["--sort", "newest", "-n", "100"]);
    assert_eq!(hit_dates(&all), hit_dates(&newest));
    assert!(hits(&all).iter().all(|h| h["score"].is_null()));

    for query in [
        "talks",
        "ceasefire OR cocoa",
        "\"interest rates\" inflation",
    ] {
        let (_, json) = dl.search(&[query, "-n", "100"]);
        assert!(total(&json) > 1, "{query}");
        let s = scores(&json);
        assert!(s.iter().all(|s| *s > 0.0), "{query}: {s:?}");
        assert!(is_non_increasing(&s), "{query}: {s:?}");
        let (_, explicit) = dl.search(&[query, "-n", "100", "--sort", "relevance"]);
        assert_eq!(hit_ids(&json), hit_ids(&explicit), "{query}");
    }
}

#[test]
fn headline_matches_rank_above_body_only_matches() {
    // ceasefire: headline+body in two articles, body only in two.
    let dl = archive_index();
    let ranked = dl.search_ids(&["ceasefire"]);
    let top: BTreeSet<String> = ranked[..2].iter().cloned().collect();
    assert_eq!(
        top,
        ids(&[
            "2024/12/envoys-talk-new-year",
            "2025/03/ceasefire-monitors-named",
        ])
    );
}

// ---------------------------------------------------------------- paging

#[test]
fn pages_are_disjoint_and_make_up_the_whole_list() {
    let dl = archive_index();
    for (args, page) in [
        (vec!["--sort", "oldest"], 5),
        (vec!["--sort", "newest"], 2),
        (vec!["talks OR cocoa OR floods"], 3),
    ] {
        let full = dl.search_ids(&args);
        assert!(full.len() > page, "{args:?}");
        let mut paged = Vec::new();
        let mut offset = 0;
        while offset < full.len() {
            let mut all = args.clone();
            let (n, off) = (page.to_string(), offset.to_string());
            all.extend(["-n", &n, "--offset", &off]);
            let (code, json) = dl.search(&all);
            assert_eq!(code, 0);
            assert_eq!(total(&json), full.len(), "total changes with paging");
            assert_eq!(json["offset"], offset);
            let ids = hit_ids(&json);
            assert_eq!(ids.len(), page.min(full.len() - offset));
            paged.extend(ids);
            offset += page;
        }
        assert_eq!(paged, full, "{args:?}");
        let unique: BTreeSet<&String> = paged.iter().collect();
        assert_eq!(unique.len(), paged.len(), "a hit on two pages");
    }
}

#[test]
fn limit_caps_the_hits_not_the_total() {
    let dl = archive_index();
    let (_, json) = dl.search(&["-n", "3"]);
    assert_eq!((total(&json), hits(&json).len()), (24, 3));
    let (_, json) = dl.search(&["--limit", "7"]);
    assert_eq!((total(&json), hits(&json).len()), (24, 7));
    // Ten by default.
    let (_, json) = dl.search(&[] as &[&str]);
    assert_eq!((total(&json), hits(&json).len()), (24, 10));
}

#[test]
fn an_offset_past_the_end_shows_nothing_but_still_matched() {
    let dl = archive_index();
    let (code, json) = dl.search(&["talks", "--offset", "50"]);
    // Something matched, so exit 0, even though no hit is on this page.
    assert_eq!(code, 0);
    assert_eq!(total(&json), 5);
    assert_eq!(json["offset"], 50);
    assert!(hits(&json).is_empty());
}

// ---------------------------------------------------------------- JSON

#[test]
fn json_document_has_the_documented_shape() {
    let dl = archive_index();
    let (code, json) = dl.search(&["ceasefire", "-n", "2", "--offset", "1"]);
    assert_eq!(code, 0);
    // check_results_schema (run by every search) checked the keys and ranges.
    assert_eq!(json["query"], "ceasefire");
    assert_eq!(json["offset"], 1);
    assert_eq!(total(&json), 4);
    assert!(json["took_ms"].as_f64().unwrap() >= 0.0);
    assert_eq!(hits(&json).len(), 2);
    for hit in hits(&json) {
        let id = hit["id"].as_str().unwrap();
        let short = id.strip_prefix("archive/").expect("id under archive/");
        let path = std::path::Path::new(hit["path"].as_str().unwrap());
        assert!(path.is_absolute(), "{path:?}");
        assert_eq!(path, root().join(ARCHIVE).join(short));
        assert!(path.is_file());
        let (date, headline, _) = read_article(&format!("{ARCHIVE}/{short}"));
        assert_eq!(hit["date"], date.as_str());
        assert_eq!(hit["headline"], headline.as_str());
        assert!(hit["score"].as_f64().unwrap() > 0.0);
        assert!(!hit["snippet"].as_str().unwrap().is_empty());
        assert!(!hit["highlights"].as_array().unwrap().is_empty());
    }
}

#[test]
fn highlights_mark_stemmed_forms_of_the_query_word() {
    let dl = archive_index();
    let (_, json) = dl.search(&["talks", "-n", "100"]);
    assert_eq!(total(&json), 5);
    let words = check_highlights(&json, "a form of talk", |w| w.starts_with("talk"));
    for form in ["talks", "talk", "talked", "talking"] {
        assert!(words.iter().any(|w| w == form), "{form} not in {words:?}");
    }
    // Every hit shows where it matched.
    for hit in hits(&json) {
        assert!(!all_highlighted_words(hit).is_empty(), "{}", hit["id"]);
    }
    // london's only form is `talked`, in its body: the snippet shows it.
    let london = hits(&json)
        .iter()
        .find(|h| h["id"] == id("2025/03/london-summit-truce-force"))
        .unwrap();
    assert!(highlighted_words(london, "snippet", "highlights")
        .iter()
        .any(|w| w == "talked"));
}

#[test]
fn highlights_mark_only_query_words() {
    let dl = archive_index();
    let cases: [(&str, &[&str]); 5] = [
        ("inflation", &["inflat"]),
        ("floods", &["flood"]),
        ("cocoa OR coffee", &["cocoa", "coffee"]),
        ("ceasefire -truce", &["ceasefire"]),
        ("headline:semiconductor", &["semiconductor"]),
    ];
    for (query, stems) in cases {
        let (_, json) = dl.search(&[query, "-n", "100"]);
        assert!(total(&json) > 0, "{query}");
        let words = check_highlights(&json, &format!("a form of {stems:?}"), |w| {
            stems.iter().any(|stem| w.starts_with(stem))
        });
        assert!(!words.is_empty(), "{query}: nothing highlighted");
    }
    // Excluded words are never marked.
    let (_, json) = dl.search(&["ceasefire -truce", "-n", "100"]);
    check_highlights(&json, "not truce", |w| w != "truce");
    // A body: scope marks nothing in the headline.
    let (_, json) = dl.search(&["body:ceasefire", "-n", "100"]);
    for hit in hits(&json) {
        assert!(
            highlighted_words(hit, "headline", "headline_highlights").is_empty(),
            "{}",
            hit["id"]
        );
    }
}

#[test]
fn a_phrase_highlights_its_words() {
    let dl = archive_index();
    let (_, json) = dl.search(&["\"coalition of the willing\""]);
    assert_eq!(total(&json), 2);
    let phrase = ["coalition", "of", "the", "willing"];
    check_highlights(&json, "a word of the phrase", is_phrase_word);
    for hit in hits(&json) {
        let snippet = hit["snippet"].as_str().unwrap();
        assert!(
            snippet.to_lowercase().contains("coalition of the willing"),
            "{snippet:?}"
        );
        let marked: Vec<String> = highlighted_words(hit, "snippet", "highlights")
            .iter()
            .map(|w| fold(w))
            .collect();
        for word in phrase {
            assert!(
                marked.iter().any(|m| m == word),
                "{}: {word} not marked in {snippet:?}",
                hit["id"]
            );
        }
    }
}

#[test]
fn a_date_only_search_highlights_nothing() {
    let dl = archive_index();
    let (_, json) = dl.search(&["--on", "2025-03"]);
    for hit in hits(&json) {
        assert!(all_highlighted_words(hit).is_empty(), "{hit}");
    }
}

// ---------------------------------------------------------------- exit codes

#[test]
fn exit_codes_say_whether_anything_matched() {
    let dl = archive_index();
    assert_eq!(dl.search(&["tugboat"]).0, 0);
    let (code, json) = dl.search(&["xylophone"]);
    assert_eq!((code, total(&json)), (1, 0));
    assert!(hits(&json).is_empty());
    assert_eq!(dl.search(&["tugboat peloton"]).0, 1);
    assert_eq!(dl.search(&["--on", "2025-02"]).0, 1);

    // Human output the same.
    dl.run(&["search", "tugboat"]).expect_code(0);
    let none = dl.run(&["search", "xylophone"]);
    none.expect_code(1);
    assert!(none.stderr.is_empty(), "{:?}", none.stderr);
    assert!(none.stdout.starts_with("0 articles"), "{:?}", none.stdout);
}

// ---------------------------------------------------------------- show

#[test]
fn show_json_returns_the_whole_stored_article() {
    let dl = archive_index();
    for short in [
        "2025/03/ceasefire-monitors-named",
        "2024/09/zurich-cafe-prices",
        "2024/02/leap-day-storm",
    ] {
        let article = dl.show(&id(short));
        let keys: BTreeSet<&str> = article
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        for key in ["id", "path", "date", "headline", "body"] {
            assert!(keys.contains(key), "{key} missing: {article}");
        }
        let (date, headline, body) = read_article(&format!("{ARCHIVE}/{short}.txt"));
        assert_eq!(article["id"], id(short));
        assert_eq!(article["date"], date.as_str());
        assert_eq!(article["headline"], headline.as_str());
        assert_eq!(article["body"], body.as_str(), "{short}");
        assert_eq!(
            std::path::Path::new(article["path"].as_str().unwrap()),
            root().join(format!("{ARCHIVE}/{short}.txt"))
        );
    }
}

#[test]
fn show_prints_the_article_for_people() {
    let dl = archive_index();
    let run = dl.run(&["show", &id("2025/03/river-rescue")]);
    run.expect_code(0);
    let (date, headline, body) = read_article(&format!("{ARCHIVE}/2025/03/river-rescue.txt"));
    let first = run.stdout.lines().next().unwrap();
    assert!(first.contains(&headline), "{first:?}");
    assert!(first.contains(&date), "{first:?}");
    assert!(run.stdout.contains(&id("2025/03/river-rescue")));
    let first_paragraph = body.split("\n\n").next().unwrap();
    assert!(run.stdout.contains(first_paragraph));
    assert!(!run.stdout.contains('\x1b'), "colour when piped");
}

#[test]
fn show_of_an_unknown_id_says_so_and_exits_1() {
    let dl = archive_index();
    for json in [false, true] {
        let mut args = vec!["show", "archive/2025/03/no-such-article.txt"];
        if json {
            args.push("--json");
        }
        let run = dl.run(&args);
        // Like a search that finds nothing: exit 1, not an error.
        run.expect_code(1);
        assert!(run.stdout.is_empty(), "{:?}", run.stdout);
        assert_eq!(run.stderr.lines().count(), 1, "{:?}", run.stderr);
        assert!(run.stderr.starts_with("dateline: "), "{:?}", run.stderr);
        assert!(
            run.stderr.contains("archive/2025/03/no-such-article.txt"),
            "{:?}",
            run.stderr
        );
    }
}

#[test]
fn articles_of_the_same_day_are_listed_by_id_in_either_order() {
    let dl = archive_index();
    for sort in ["newest", "oldest"] {
        let ids = dl.search_ids(&["--on", "2025-03-17", "--sort", sort]);
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(ids.len(), 3);
        assert_eq!(ids, sorted, "--sort {sort}");
    }
}

// Found by the query torture test (query_torture.rs): excluding a phrase
// no article has, under a date filter, tripped a debug assertion in tantivy
// (see Cargo.toml).
#[test]
fn excluding_a_phrase_under_a_date_filter_excludes_only_that_phrase() {
    let dl = archive_index();
    let all = dl.search_set(&["--on", "2025-03-17", "--", "ceasefire"]);
    assert!(!all.is_empty());
    let without = dl.search_set(&["--on", "2025-03-17", "--", "ceasefire -\"3 30\""]);
    assert_eq!(without, all);
    let none = dl.search_set(&["--on", "2025-03-17", "--", "-\"3 30\""]);
    assert_eq!(none.len(), 3, "{none:?}");
}

/// Every (id, headline, body) of an index, read page by page from
/// `search --format jsonl` (the stored text, not the index's terms).
fn stored_articles(dl: &Dateline) -> Vec<(String, String, String)> {
    let mut articles = Vec::new();
    loop {
        let offset = articles.len().to_string();
        let run = dl.run(&[
            "search",
            "--format",
            "jsonl",
            "--fields",
            "id,headline,body",
            "--no-fold",
            "-n",
            "10000",
            "--offset",
            &offset,
        ]);
        let before = articles.len();
        for line in run.stdout.lines() {
            let hit: Value = serde_json::from_str(line).expect("a JSON line");
            let text = |key: &str| hit[key].as_str().expect(key).to_string();
            articles.push((text("id"), text("headline"), text("body")));
        }
        if articles.len() == before {
            return articles;
        }
    }
}

/// A prefix finds exactly the articles with a written word that starts
/// with it: counted independently from the stored text, split into words
/// as the analyser splits them (runs of letters and digits), lowercased
/// and folded. The index used to match prefixes against stems: on Reuters
/// `negotiat*` found 2 articles (the stem of negotiations is `negoti`),
/// `economi*` 979, and `stocks*` 3,462 (every `stock`).
#[test]
fn a_prefix_finds_the_articles_with_a_word_written_so_on_reuters() {
    let Some(dl) = reuters_index() else { return };
    let articles = stored_articles(dl);
    assert_eq!(articles.len(), 21_344);
    let written_words = |text: &str| -> Vec<String> {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|word| !word.is_empty() && word.len() < 40)
            .map(fold)
            .collect()
    };
    let words: Vec<(String, Vec<String>, Vec<String>)> = articles
        .iter()
        .map(|(id, headline, body)| (id.clone(), written_words(headline), written_words(body)))
        .collect();
    // The issue's independent counts (a Python scan), for the first four.
    let expected = [
        ("negotiat", Some(820)),
        ("economi", Some(1_489)),
        ("japanes", Some(796)),
        ("stocks", Some(484)),
        ("nakas", None),
    ];
    for (prefix, issue_count) in expected {
        let has = |words: &[String]| words.iter().any(|word| word.starts_with(prefix));
        let counted: BTreeSet<String> = words
            .iter()
            .filter(|(_, headline, body)| has(headline) || has(body))
            .map(|(id, ..)| id.clone())
            .collect();
        if let Some(count) = issue_count {
            // The issue counted with copies collapsed whatever their day.
            // (Copies are the same text but for case and white space.)
            let normal = |text: &str| {
                text.to_lowercase()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let contents: BTreeSet<(String, String)> = articles
                .iter()
                .zip(&words)
                .filter(|(_, (_, headline, body))| has(headline) || has(body))
                .map(|((_, headline, body), _)| (normal(headline), normal(body)))
                .collect();
            assert_eq!(contents.len(), count, "{prefix}*: the independent count");
        }
        let query = format!("{prefix}*");
        let found: BTreeSet<String> = dl.search_ids(&[query.as_str()]).into_iter().collect();
        assert_eq!(found, counted, "{prefix}*");
        // Scoped to the headline, only headline words count.
        let in_headline = words
            .iter()
            .filter(|(_, headline, _)| has(headline))
            .count();
        assert_eq!(
            dl.count(&[format!("headline:{prefix}*").as_str()]),
            in_headline,
            "{prefix}*"
        );
    }
    // Nakamura, Nakayama and the rest do not start with "nakas".
    let nakas = dl.search(&["nakas*", "-n", "100"]).1;
    for word in all_highlighted_words_of(&nakas) {
        assert!(fold(&word).starts_with("nakas"), "nakas* marked {word:?}");
    }
}

/// Every highlighted word of every hit.
fn all_highlighted_words_of(json: &Value) -> Vec<String> {
    hits(json).iter().flat_map(all_highlighted_words).collect()
}

/// A field scope before a symbol scopes the word (it was read as the
/// phrase "headline srd" and found nothing).
#[test]
fn a_field_scope_before_a_symbol_applies_on_reuters() {
    let Some(dl) = reuters_index() else { return };
    let plain = dl.count(&["headline:SRD"]);
    assert!(plain > 0);
    assert_eq!(dl.count(&["headline:<SRD>"]), plain);
    assert_eq!(dl.count(&["headline:(<SRD>)"]), plain);
    assert!(dl.count(&["body:<SRD>"]) <= dl.count(&["<SRD>"]));
}

/// A lower-case `or`/`not` between words is searched for as a word, and
/// the results say what the operator would find; `!word` excludes like
/// `-word`; a boost (`word^2`) is refused, not silently read as a word.
#[test]
fn operators_written_in_lower_case_get_a_hint_on_reuters() {
    let Some(dl) = reuters_index() else { return };
    let (_, json) = dl.search(&["cocoa or coffee"]);
    let either = dl.count(&["cocoa OR coffee"]);
    assert!(total(&json) < either);
    assert_eq!(json["operators"]["query"], "cocoa OR coffee");
    assert_eq!(json["operators"]["total"].as_u64(), Some(either as u64));
    let (_, json) = dl.search(&["cocoa not coffee"]);
    assert_eq!(json["operators"]["query"], "cocoa NOT coffee");
    assert_eq!(
        json["operators"]["total"].as_u64(),
        Some(dl.count(&["cocoa -coffee"]) as u64)
    );
    let human = dl.run(&["search", "cocoa", "or", "coffee", "-n", "1"]);
    assert!(
        human.stdout.contains("did you mean 'cocoa OR coffee'"),
        "{}",
        human.stdout
    );
    let (_, json) = dl.search(&["cocoa OR coffee"]);
    assert!(json.get("operators").is_none(), "{json}");

    assert_eq!(dl.count(&["cocoa !coffee"]), dl.count(&["cocoa -coffee"]));
    let boost = dl.run(&["search", "cocoa^2"]);
    let message = boost.expect_error();
    assert!(
        message.contains("boosts (word^2) are not supported"),
        "{message}"
    );
}

/// A copy that ran on another day is an article of that day: every
/// (headline, body, day) is one article, and no two articles share all
/// three; the Fed's routine brief ran twice on 1987-03-30 and counts twice
/// there (it counted once: the copy key ignored the date). `show` on a
/// copy's id gives the copy's own date.
#[test]
fn copies_on_different_days_count_on_each_day_on_reuters() {
    let Some(dl) = reuters_index() else { return };
    let run = dl.run(&[
        "search",
        "--no-fold",
        "-n",
        "all",
        "--format",
        "jsonl",
        "--fields",
        "id,date,headline,body",
    ]);
    run.expect_code(0);
    let mut days: std::collections::HashMap<(String, String), Vec<(String, String)>> =
        std::collections::HashMap::new();
    for line in run.stdout.lines() {
        let hit: Value = serde_json::from_str(line).expect("a JSON line");
        let text = |key: &str| hit[key].as_str().unwrap_or_default().to_string();
        let normal = |key: &str| {
            text(key)
                .to_lowercase()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        };
        days.entry((normal("headline"), normal("body")))
            .or_default()
            .push((text("date"), text("id")));
    }
    let mut groups_over_days = 0;
    let mut extra = 0;
    for copies in days.values() {
        let distinct: BTreeSet<&str> = copies.iter().map(|(day, _)| day.as_str()).collect();
        assert_eq!(
            distinct.len(),
            copies.len(),
            "one article per day: {copies:?}"
        );
        if copies.len() > 1 {
            groups_over_days += 1;
            extra += copies.len() - 1;
            for (day, id) in copies {
                assert_eq!(&dl.show(id)["date"], day, "show {id}");
            }
        }
    }
    assert_eq!((groups_over_days, extra), (49, 53));
    let trend = dl.run(&[
        "trend",
        "\"customer repurchase\"",
        "--by",
        "day",
        "--on",
        "1987-03-30",
        "--csv",
    ]);
    trend.expect_code(0);
    assert!(
        trend
            .stdout
            .contains("\n1987-03-30,1987-03-30,1987-03-30,2\n"),
        "{}",
        trend.stdout
    );
}
