//! Facets (`search --facets`), split trends (`trend --split`) and the
//! top sources of `stats`: each count checked against one made here from
//! the corpora's own bytes, and against what the facet's filter finds.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;

use serde_json::Value;

use crate::common::*;

/// A facet of a search's JSON: its values and counts, in order.
fn facet_values(json: &Value, name: &str) -> Vec<(String, u64)> {
    json["facets"][name]["values"]
        .as_array()
        .unwrap_or_else(|| panic!("no facet {name} in {json}"))
        .iter()
        .map(|v| {
            (
                v["value"].as_str().expect("a value").to_string(),
                v["count"].as_u64().expect("a count"),
            )
        })
        .collect()
}

/// Runs a search that must succeed and returns its JSON.
fn search_json(dl: &Dateline, args: &[&str]) -> Value {
    let mut all = vec!["search", "--json", "-n", "1"];
    all.extend_from_slice(args);
    let run = dl.run(&all);
    run.expect_code(0);
    run.json()
}

/// 20 Newsgroups "mini" posts, one per distinct subject and body (what
/// the index keeps of exact copies): each post's newsgroups, lowercased,
/// and its body.
fn mini_posts() -> Option<Vec<(BTreeSet<String>, String)>> {
    let dir = shared_corpus("20news-mini")?;
    let file = std::fs::File::open(dir.join("mini_newsgroups.tar.gz")).expect("open");
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(file));
    let mut posts = BTreeMap::new();
    for entry in archive.entries().expect("tar") {
        let mut entry = entry.expect("entry");
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).expect("read");
        let text = String::from_utf8_lossy(&bytes).replace("\r\n", "\n");
        let (head, body) = text.split_once("\n\n").unwrap_or((&text, ""));
        let header = |name: &str| -> String {
            head.lines()
                .find_map(|line| {
                    let (key, value) = line.split_once(':')?;
                    key.eq_ignore_ascii_case(name)
                        .then(|| value.trim().to_string())
                })
                .unwrap_or_default()
        };
        let groups: BTreeSet<String> = header("Newsgroups")
            .split(',')
            .map(|g| g.trim().to_lowercase())
            .filter(|g| !g.is_empty())
            .collect();
        let body: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
        posts
            .entry((header("Subject"), body.clone()))
            .or_insert((groups, body));
    }
    Some(posts.into_values().collect())
}

#[test]
fn newsgroup_facets_equal_the_posts_own_headers() {
    let (Some(posts), Some(dl)) = (mini_posts(), mini_index()) else {
        return;
    };
    let mut expected: BTreeMap<String, u64> = BTreeMap::new();
    for (groups, _) in &posts {
        for group in groups {
            *expected.entry(group.clone()).or_default() += 1;
        }
    }
    let json = search_json(
        dl,
        &[
            "--from",
            "1900",
            "--facets",
            "source",
            "--facet-size",
            "1000",
        ],
    );
    assert_eq!(total(&json), posts.len(), "posts, copies counted once");
    let found: BTreeMap<String, u64> = facet_values(&json, "source")
        .into_iter()
        .map(|(value, count)| (value.to_lowercase(), count))
        .collect();
    assert_eq!(found, expected);
    assert_eq!(json["facets"]["source"]["other"], 0);
    assert_eq!(json["facets"]["source"]["exact"], true);
    // Most posts first, and `stats` lists the first ten.
    let values = facet_values(&json, "source");
    assert!(values.windows(2).all(|w| w[0].1 >= w[1].1), "{values:?}");
    let stats = dl.stats();
    let top: Vec<(String, u64)> = stats["top_sources"]
        .as_array()
        .expect("top_sources")
        .iter()
        .map(|v| {
            (
                v["value"].as_str().unwrap().to_string(),
                v["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(top, values[..10]);
    let human = dl.run(&["stats"]);
    human.expect_code(0);
    assert!(human.stdout.contains("top sources"), "{}", human.stdout);
    assert!(human.stdout.contains(&values[0].0), "{}", human.stdout);
}

#[test]
fn every_facet_value_counts_what_its_filter_finds() {
    let Some(dl) = mini_index() else {
        return;
    };
    let json = search_json(
        dl,
        &[
            "--on",
            "1993-04",
            "--facets",
            "source,author,section",
            "--facet-size",
            "1000",
            "--",
            "koresh",
        ],
    );
    let total = total(&json);
    assert!(total > 10, "{total} posts on Koresh in April 1993");
    let sources = facet_values(&json, "source");
    assert!(sources.len() > 3, "{sources:?}");
    for (source, count) in &sources {
        let filtered = dl.count(&["--on", "1993-04", "--source", source, "--", "koresh"]);
        assert_eq!(filtered as u64, *count, "--source {source}");
    }
    // Each post names one author: the counts add up to the posts.
    let authors = facet_values(&json, "author");
    assert_eq!(authors.iter().map(|(_, n)| n).sum::<u64>(), total as u64);
    for (author, count) in authors.iter().take(8) {
        let filtered = dl.count(&["--on", "1993-04", "--author", author, "--", "koresh"]);
        assert_eq!(filtered as u64, *count, "--author {author}");
    }
    // Usenet has no sections: an empty facet, said so.
    assert!(facet_values(&json, "section").is_empty());
    let human = dl.run(&[
        "search",
        "--on",
        "1993-04",
        "--facets",
        "source,section",
        "-n",
        "2",
        "--",
        "koresh",
    ]);
    human.expect_code(0);
    let heading = format!("Sources of the {total} matching articles:");
    assert!(human.stdout.contains(&heading), "{}", human.stdout);
    assert!(human.stdout.contains(&sources[0].0), "{}", human.stdout);
    assert!(
        human.stdout.contains("Sections: none recorded"),
        "{}",
        human.stdout
    );
}

#[test]
fn a_whole_source_is_not_its_sub_groups() {
    let (Some(posts), Some(dl)) = (mini_posts(), mini_index()) else {
        return;
    };
    for group in ["comp.graphics", "sci.space", "rec.autos"] {
        let exact = posts
            .iter()
            .filter(|(groups, _)| groups.contains(group))
            .count();
        // Posts cross-posted to a group under it (comp.graphics.animation)
        // are not in it.
        let under = posts
            .iter()
            .filter(|(groups, _)| {
                !groups.contains(group)
                    && groups.iter().any(|g| g.starts_with(&format!("{group}.")))
            })
            .count();
        assert_eq!(dl.count(&["--source", group]), exact, "--source {group}");
        assert_eq!(
            dl.count(&["--", &format!("source={group}")]),
            exact,
            "source={group}"
        );
        // The words of a source find those too.
        assert_eq!(
            dl.count(&["--", &format!("source:{group}")]),
            exact + under,
            "source:{group}"
        );
        // A prefix of a whole value finds the groups under it as well.
        let prefixed = posts
            .iter()
            .filter(|(groups, _)| groups.iter().any(|g| g.starts_with(group)))
            .count();
        assert_eq!(
            dl.count(&["--", &format!("source={group}*")]),
            prefixed,
            "source={group}*"
        );
    }
}

/// Reuters records whose `<TOPICS>` list `topic`: their `<PLACES>` values
/// and `<DATELINE>` text, read by string search over the SGML.
fn reuters_records_of(topic: &str) -> Option<Vec<(Vec<String>, String)>> {
    let dir = shared_corpus("reuters21578")?;
    let mut records = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("reuters folder") {
        let path = entry.expect("entry").path();
        if !path.to_string_lossy().ends_with(".sgm.gz") {
            continue;
        }
        let mut bytes = Vec::new();
        flate2::read::GzDecoder::new(std::fs::File::open(&path).expect("open"))
            .read_to_end(&mut bytes)
            .expect("gunzip");
        let text = String::from_utf8_lossy(&bytes);
        for record in text.split("<REUTERS ").skip(1) {
            let inner = |tag: &str| -> String {
                let open = format!("<{tag}>");
                let close = format!("</{tag}>");
                record
                    .find(&open)
                    .and_then(|at| {
                        let rest = &record[at + open.len()..];
                        rest.find(&close).map(|end| rest[..end].to_string())
                    })
                    .unwrap_or_default()
            };
            let list = |tag: &str| -> Vec<String> {
                inner(tag)
                    .split("<D>")
                    .filter_map(|d| d.split("</D>").next())
                    .map(|d| d.trim().to_string())
                    .filter(|d| !d.is_empty())
                    .collect()
            };
            if list("TOPICS").iter().any(|t| t == topic) {
                records.push((list("PLACES"), inner("DATELINE")));
            }
        }
    }
    Some(records)
}

#[test]
fn reuters_cocoa_coverage_splits_between_the_records_places() {
    let (Some(records), Some(dl)) = (reuters_records_of("cocoa"), reuters_index()) else {
        return;
    };
    let mut expected: BTreeMap<String, u64> = BTreeMap::new();
    for (places, _) in &records {
        for place in places.iter().collect::<BTreeSet<_>>() {
            *expected.entry(place.clone()).or_default() += 1;
        }
    }
    let json = search_json(
        dl,
        &[
            "--facets",
            "place,topic",
            "--facet-size",
            "1000",
            "--",
            "topic:cocoa",
        ],
    );
    assert_eq!(total(&json), records.len(), "no cocoa record is a copy");
    let places: BTreeMap<String, u64> = facet_values(&json, "place").into_iter().collect();
    for (place, count) in &expected {
        assert_eq!(places.get(place), Some(count), "place {place}");
    }
    // The other places are the records' dateline cities.
    for (place, count) in &places {
        if expected.contains_key(place) {
            continue;
        }
        let city = place.replace('-', " ");
        let datelined = records
            .iter()
            .filter(|(_, dateline)| dateline.to_lowercase().contains(&city))
            .count() as u64;
        assert!(
            datelined >= *count,
            "{place}: {count} but {datelined} datelines"
        );
    }
    // Every cocoa article has the topic cocoa.
    let topics = facet_values(&json, "topic");
    assert_eq!(topics[0], ("cocoa".to_string(), records.len() as u64));
    // The place facet's filter is the place's.
    for (place, count) in facet_values(&json, "place").iter().take(5) {
        assert_eq!(
            dl.count(&["--tag", &format!("place:{place}"), "--", "topic:cocoa"]) as u64,
            *count,
            "{place}"
        );
    }
}

/// The counts of a trend's JSON periods, by label.
fn period_counts(periods: &Value) -> Vec<(String, u64)> {
    periods
        .as_array()
        .expect("periods")
        .iter()
        .map(|p| {
            (
                p["period"].as_str().unwrap().to_string(),
                p["count"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_split_trend_is_the_trend_of_each_top_value() {
    let Some(dl) = mini_index() else {
        return;
    };
    let args = [
        "trend", "--by", "week", "--split", "source", "--series", "3",
    ];
    let run = dl.run(&[&args[..], &["--json", "--", "koresh"]].concat());
    run.expect_code(0);
    let split = run.json();
    assert_eq!(split["split"], "source");
    let facets = search_json(dl, &["--facets", "source", "--", "koresh"]);
    let top: Vec<(String, u64)> = facet_values(&facets, "source")
        .into_iter()
        .take(3)
        .collect();
    let series = split["series"].as_array().expect("series");
    assert_eq!(series.len(), 3);
    let whole = period_counts(&split["periods"]);
    for (series, (value, count)) in series.iter().zip(&top) {
        assert_eq!(series["value"], value.as_str());
        assert_eq!(series["total"].as_u64(), Some(*count), "{value}");
        // Its periods are the whole trend's, with the counts of the trend
        // of that source alone.
        let own = dl.run(&[
            "trend", "--by", "week", "--json", "--source", value, "--", "koresh",
        ]);
        own.expect_code(0);
        let own: BTreeMap<String, u64> =
            period_counts(&own.json()["periods"]).into_iter().collect();
        let counts = period_counts(&series["periods"]);
        assert_eq!(
            counts.iter().map(|(label, _)| label).collect::<Vec<_>>(),
            whole.iter().map(|(label, _)| label).collect::<Vec<_>>()
        );
        for (label, n) in counts {
            assert_eq!(
                own.get(&label).copied().unwrap_or(0),
                n,
                "{value} in {label}"
            );
        }
    }

    // CSV: a column per series, headed by its value.
    let csv = dl.run(&[&args[..], &["--csv", "--", "koresh"]].concat());
    csv.expect_code(0);
    let mut lines = csv.stdout.lines();
    let header = format!(
        "period,start,end,count,{}",
        top.iter()
            .map(|(v, _)| v.as_str())
            .collect::<Vec<_>>()
            .join(",")
    );
    assert_eq!(lines.next(), Some(header.as_str()));
    for (line, (label, count)) in lines.zip(&whole) {
        let cells: Vec<&str> = line.split(',').collect();
        assert_eq!(cells[0], label);
        assert_eq!(cells[3], count.to_string());
        assert_eq!(cells.len(), 7, "{line}");
    }
    // JSON lines: each period with each series' count.
    let jsonl = dl.run(&[&args[..], &["--format", "jsonl", "--", "koresh"]].concat());
    jsonl.expect_code(0);
    for line in jsonl.stdout.lines() {
        let period: Value = serde_json::from_str(line).unwrap();
        let counts = period["series"].as_object().expect("series counts");
        assert_eq!(counts.len(), 3, "{line}");
        for n in counts.values() {
            assert!(
                n.as_u64().unwrap() <= period["count"].as_u64().unwrap(),
                "{line}"
            );
        }
    }
    // The terminal: a table with a column per value and a row of totals.
    let human = dl.run(&[&args[..], &["--", "koresh"]].concat());
    human.expect_code(0);
    for (value, count) in &top {
        assert!(human.stdout.contains(value.as_str()), "{}", human.stdout);
        let totals = human
            .stdout
            .lines()
            .find(|l| l.starts_with("total"))
            .unwrap();
        assert!(totals.contains(&count.to_string()), "{totals}");
    }
    // SVG: a line and a legend entry per series.
    let scratch = tempfile::tempdir().unwrap();
    let svg = scratch.path().join("split.svg");
    let drawn = dl.run(&[&args[..], &["--svg", svg.to_str().unwrap(), "--", "koresh"]].concat());
    drawn.expect_code(0);
    let svg = std::fs::read_to_string(svg).unwrap();
    assert_eq!(svg.matches("<polyline").count(), 3);
    assert!(svg.contains(r#"<g class="legend">"#), "{svg}");
    for (value, count) in &top {
        assert!(svg.contains(&format!("{value} ({count})")), "{value}");
    }
}

#[test]
fn json_lines_metadata_is_counted_whole() {
    let dl = Dateline::new();
    let dir = dl.scratch().join("feed");
    std::fs::create_dir_all(&dir).unwrap();
    // Every combination of two outlets, three sections and two tags, on
    // twelve days: the counts of each value are known by construction.
    let outlets = ["Daily Courier", "Daily Courier Weekend"];
    let sections = ["Local", "World", "local"];
    let mut lines = String::new();
    let mut expected: BTreeMap<(&str, String), u64> = BTreeMap::new();
    for i in 0..12 {
        let outlet = outlets[i % 2];
        let section = sections[i % 3];
        let tags: &[&str] = if i % 4 == 0 {
            &["floods", "rescue"]
        } else {
            &["floods"]
        };
        lines.push_str(&format!(
            r#"{{"id":"a{i}","date":"2025-03-{:02}","title":"Story {i}","body":"Water rose in district {i}.","source":"{outlet}","section":"{section}","tags":{tags:?},"author":"Reporter {}"}}"#,
            i + 1,
            i % 5
        ));
        lines.push('\n');
        *expected
            .entry(("source", outlet.to_lowercase()))
            .or_default() += 1;
        *expected
            .entry(("section", section.to_lowercase()))
            .or_default() += 1;
        for tag in tags {
            *expected.entry(("tag", tag.to_string())).or_default() += 1;
        }
    }
    std::fs::write(dir.join("feed.jsonl"), lines).unwrap();
    dl.index(&[dir.to_str().unwrap()]).expect_code(0);
    let json = search_json(&dl, &["--from", "2025", "--facets", "source,section,tag"]);
    for name in ["source", "section", "tag"] {
        for (value, count) in facet_values(&json, name) {
            assert_eq!(
                expected.get(&(name, value.to_lowercase())),
                Some(&count),
                "{name} {value}"
            );
            // The filter finds what the facet counts: the whole value, so
            // "Daily Courier" is not "Daily Courier Weekend".
            assert_eq!(
                dl.count(&[&format!("--{name}"), &value]) as u64,
                count,
                "--{name} {value}"
            );
        }
    }
    // Sections differing in case are one value.
    assert_eq!(facet_values(&json, "section").len(), 2);
    // The words of a source find both outlets; the whole value one.
    assert_eq!(dl.count(&["--", "source:\"daily courier\""]), 12);
    assert_eq!(dl.count(&["--source", "daily courier"]), 6);
    // --facet-size cuts the list, and `other` counts the rest.
    let cut = search_json(
        &dl,
        &["--from", "2025", "--facets", "author", "--facet-size", "2"],
    );
    let authors = facet_values(&cut, "author");
    assert_eq!(authors.len(), 2);
    let listed: u64 = authors.iter().map(|(_, n)| n).sum();
    assert_eq!(cut["facets"]["author"]["other"].as_u64(), Some(12 - listed));
    // Names keep their case as written.
    assert!(
        authors
            .iter()
            .all(|(name, _)| name.starts_with("Reporter ")),
        "{authors:?}"
    );
}

#[test]
fn facet_and_split_mistakes_are_one_clear_line() {
    let dl = archive_index();
    for (args, says) in [
        (
            &["search", "--facets", "places", "--", "x"][..],
            "unknown facet 'places'",
        ),
        (
            &["search", "--facets", "source", "--count", "--", "x"],
            "--facets",
        ),
        (
            &["search", "--facets", "source", "--format", "csv", "--", "x"],
            "--facets needs the human or the json output",
        ),
        (
            &["search", "--facets", "tag", "--facet-size", "0", "--", "x"],
            "facet-size",
        ),
        (
            &["trend", "--split", "nope", "--", "x"],
            "unknown facet 'nope'",
        ),
        (&["trend", "--series", "3", "--", "x"], "--split"),
        (
            &["trend", "--split", "source", "--series", "99", "--", "x"],
            "series",
        ),
    ] {
        let run = dl.run(args);
        let line = run.expect_error();
        assert!(line.contains(says), "{args:?}: {line}");
    }
    // An archive without metadata: facets are empty, said so; a split
    // trend has no series.
    let run = dl.run(&["search", "--facets", "source", "--", "ferry"]);
    run.expect_code(0);
    assert!(
        run.stdout.contains("Sources: none recorded"),
        "{}",
        run.stdout
    );
    let run = dl.run(&["trend", "--split", "source", "--json", "--", "ferry"]);
    run.expect_code(0);
    assert_eq!(run.json()["series"], serde_json::json!([]));
}

#[test]
fn bbc_sections_from_folders_count_each_folders_articles() {
    let Some(bbc) = shared_corpus("bbc") else {
        return;
    };
    let archive = bbc.join("bbc-fulltext.tar.gz");
    // The articles of each folder, an article found twice counted once
    // (in the folder met first, as the index keeps it).
    let file = std::fs::File::open(&archive).expect("open");
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(file));
    let mut seen = BTreeSet::new();
    let mut expected: BTreeMap<String, u64> = BTreeMap::new();
    for entry in tar.entries().expect("tar") {
        let mut entry = entry.expect("entry");
        let path = entry.path().expect("path").to_string_lossy().to_string();
        if !entry.header().entry_type().is_file() || !path.ends_with(".txt") {
            continue;
        }
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).expect("read");
        let text: String = String::from_utf8_lossy(&bytes)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        if seen.insert(text) {
            let folder = path.rsplit('/').nth(1).expect("a folder").to_string();
            *expected.entry(folder).or_default() += 1;
        }
    }
    assert_eq!(expected.len(), 5, "{expected:?}");
    let dl = Dateline::new();
    dl.run(&["index", "--section-from-folder", archive.to_str().unwrap()])
        .expect_code(0);
    let json = search_json(&dl, &["--facets", "section"]);
    let found: BTreeMap<String, u64> = facet_values(&json, "section").into_iter().collect();
    assert_eq!(found, expected);
    for (section, count) in &expected {
        assert_eq!(
            dl.count(&["--section", section]) as u64,
            *count,
            "{section}"
        );
    }
}
