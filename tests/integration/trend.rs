//! `dateline trend`: counts per period agree with `search`, gaps are zeros,
//! every output format says the same, and the SVG chart is well formed; on
//! the fixture archive and on Reuters-21578.

use crate::common::*;
use serde_json::Value;

/// `trend --json ARGS…`: the exit code and the document, checked against
/// the README's shape.
#[track_caller]
fn trend(dl: &Dateline, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["trend", "--json"];
    all.extend(args);
    let run = dl.run(&all);
    let code = run.code.expect("exit code");
    assert!(
        code == 0 || code == 1,
        "trend {args:?} failed: {}",
        run.stderr
    );
    let json = run.json();
    check_trend_schema(&json);
    (code, json)
}

#[track_caller]
fn check_trend_schema(json: &Value) {
    let keys: Vec<&str> = json
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    let mut keys = keys;
    keys.sort_unstable();
    // Counting stories (on an index with near-copies): what is counted,
    // and every matching article beside the stories.
    if json.get("count").is_some() {
        assert_eq!(json["count"], "stories", "{json}");
        assert!(
            json["articles"].as_u64() >= json["total"].as_u64(),
            "{json}"
        );
        keys.retain(|key| *key != "count" && *key != "articles");
    }
    assert_eq!(
        keys,
        ["by", "from", "periods", "query", "to", "total", "undated"]
    );
    let periods = periods(json);
    let dated: u64 = periods.iter().map(|p| p["count"].as_u64().unwrap()).sum();
    assert_eq!(
        dated + json["undated"].as_u64().unwrap(),
        json["total"].as_u64().unwrap(),
        "periods and undated add up to the total: {json}"
    );
    for period in periods {
        let start = period["start"].as_str().unwrap();
        let end = period["end"].as_str().unwrap();
        assert!(
            is_iso_day(start) && is_iso_day(end) && start <= end,
            "{period}"
        );
        assert!(period["period"].is_string());
    }
    if let (Some(first), Some(last)) = (periods.first(), periods.last()) {
        assert_eq!(json["from"], first["start"]);
        assert_eq!(json["to"], last["end"]);
    } else {
        assert!(json["from"].is_null() && json["to"].is_null());
    }
}

fn periods(json: &Value) -> &Vec<Value> {
    json["periods"].as_array().expect("periods is an array")
}

/// `(period, count)` for each period.
fn rows(json: &Value) -> Vec<(String, u64)> {
    periods(json)
        .iter()
        .map(|p| {
            (
                p["period"].as_str().unwrap().to_string(),
                p["count"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn owned(rows: &[(&str, u64)]) -> Vec<(String, u64)> {
    rows.iter().map(|(p, c)| (p.to_string(), *c)).collect()
}

/// Checks that each period's count is what `search QUERY --from START --to
/// END` finds.
#[track_caller]
fn check_against_search(dl: &Dateline, query: &str, json: &Value) {
    for period in periods(json) {
        let start = period["start"].as_str().unwrap();
        let end = period["end"].as_str().unwrap();
        let mut args = vec!["--from", start, "--to", end];
        if !query.is_empty() {
            args.push(query);
        }
        assert_eq!(
            period["count"].as_u64().unwrap() as usize,
            dl.count(&args),
            "{query:?} in {}",
            period["period"]
        );
    }
}

#[test]
fn monthly_counts_equal_searches_of_each_month() {
    let dl = archive_index();
    for query in [
        "cocoa",
        "talks",
        "interest rates",
        "chip OR semiconductor",
        "",
    ] {
        let (code, json) = trend(dl, &[query]);
        assert_eq!(code, 0, "{query}");
        assert_eq!(json["by"], "month");
        assert_eq!(json["query"], query);
        assert_eq!(json["undated"], 0);
        let total = json["total"].as_u64().unwrap() as usize;
        let everything: &[&str] = if query.is_empty() { &[] } else { &[query] };
        assert_eq!(total, dl.count(everything), "{query}");
        check_against_search(dl, query, &json);
        // The span runs from the first to the last month with a match.
        let rows = rows(&json);
        assert!(rows.first().unwrap().1 > 0 && rows.last().unwrap().1 > 0);
    }
}

#[test]
fn empty_months_inside_the_span_are_zeros() {
    let dl = archive_index();
    let (_, json) = trend(dl, &[]);
    assert_eq!(
        rows(&json),
        owned(&[
            ("2024-01", 2),
            ("2024-02", 2),
            ("2024-03", 0),
            ("2024-04", 1),
            ("2024-05", 1),
            ("2024-06", 1),
            ("2024-07", 1),
            ("2024-08", 1),
            ("2024-09", 1),
            ("2024-10", 1),
            ("2024-11", 1),
            ("2024-12", 1),
            ("2025-01", 2),
            ("2025-02", 0),
            ("2025-03", 5),
            ("2025-04", 1),
            ("2025-05", 1),
            ("2025-06", 2),
        ])
    );
    assert_eq!(json["total"], 24);
    assert_eq!(json["from"], "2024-01-01");
    assert_eq!(json["to"], "2025-06-30");

    // cocoa: January 2024, April 2024 and March 2025, with zeros between.
    let (_, json) = trend(dl, &["cocoa"]);
    let rows = rows(&json);
    assert_eq!(rows.len(), 15, "{rows:?}");
    assert_eq!(rows[0], ("2024-01".to_string(), 1));
    assert_eq!(rows[3], ("2024-04".to_string(), 1));
    assert_eq!(rows[14], ("2025-03".to_string(), 1));
    assert_eq!(rows.iter().filter(|(_, count)| *count == 0).count(), 12);
}

#[test]
fn from_and_to_set_the_span_even_where_nothing_matched() {
    let dl = archive_index();
    let (code, json) = trend(dl, &["cocoa", "--from", "2023-11", "--to", "2024-02"]);
    assert_eq!(code, 0);
    assert_eq!(
        rows(&json),
        owned(&[
            ("2023-11", 0),
            ("2023-12", 0),
            ("2024-01", 1),
            ("2024-02", 0)
        ])
    );
    assert_eq!(json["from"], "2023-11-01");
    assert_eq!(json["to"], "2024-02-29");

    // A span cut inside months: the first and last periods count only
    // their days inside it, and say so.
    let (_, json) = trend(dl, &["--from", "2025-03-17", "--to", "2025-04-20"]);
    let first = &periods(&json)[0];
    assert_eq!(first["period"], "2025-03");
    assert_eq!(first["start"], "2025-03-17");
    assert_eq!(first["count"], 4);
    assert_eq!(periods(&json)[1]["end"], "2025-04-20");
    check_against_search(dl, "", &json);

    // Nothing in the span: zeros, and exit 1.
    let (code, json) = trend(dl, &["cocoa", "--on", "2024-03"]);
    assert_eq!(code, 1);
    assert_eq!(rows(&json), owned(&[("2024-03", 0)]));
}

#[test]
fn years_weeks_and_days() {
    let dl = archive_index();
    let (_, json) = trend(dl, &["--by", "year"]);
    assert_eq!(json["by"], "year");
    assert_eq!(rows(&json), owned(&[("2024", 13), ("2025", 11)]));
    assert_eq!(periods(&json)[0]["start"], "2024-01-01");
    assert_eq!(periods(&json)[1]["end"], "2025-12-31");

    // ISO weeks, Monday to Sunday; 2025-03-01 is a Saturday in week 9.
    let (_, json) = trend(dl, &["--by", "week", "--on", "2025-03"]);
    assert_eq!(
        rows(&json),
        owned(&[
            ("2025-W09", 1),
            ("2025-W10", 0),
            ("2025-W11", 0),
            ("2025-W12", 3),
            ("2025-W13", 0),
            ("2025-W14", 1),
        ])
    );
    let weeks = periods(&json);
    assert_eq!(weeks[1]["start"], "2025-03-03");
    assert_eq!(weeks[1]["end"], "2025-03-09");
    check_against_search(dl, "", &json);

    // New Year's Eve 2024 is in ISO week 1 of 2025.
    let (_, json) = trend(
        dl,
        &["--by", "week", "--from", "2024-12-30", "--to", "2025-01-05"],
    );
    assert_eq!(rows(&json), owned(&[("2025-W01", 2)]));

    let (_, json) = trend(dl, &["--by", "day", "--on", "2025-03"]);
    let days = rows(&json);
    assert_eq!(days.len(), 31);
    assert_eq!(days[0], ("2025-03-01".to_string(), 1));
    assert_eq!(days[16], ("2025-03-17".to_string(), 3));
    assert_eq!(days[30], ("2025-03-31".to_string(), 1));
    assert_eq!(days.iter().map(|(_, c)| c).sum::<u64>(), 5);
    let (_, json) = trend(dl, &["--by", "day", "--on", "2024-02"]);
    assert_eq!(periods(&json).len(), 29, "a leap February");
}

#[test]
fn human_csv_and_json_say_the_same() {
    let dl = archive_index();
    let (_, json) = trend(dl, &["talks OR ceasefire", "--by", "month"]);
    let expected = rows(&json);

    let human = dl
        .command(&["trend", "talks OR ceasefire"])
        .env("COLUMNS", "60")
        .output()
        .unwrap();
    assert_eq!(human.status.code(), Some(0));
    let text = String::from_utf8(human.stdout).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let total = json["total"].as_u64().unwrap();
    assert_eq!(
        header,
        format!(
            "{total} articles match \"talks OR ceasefire\" from {} to {}, by month",
            json["from"].as_str().unwrap(),
            json["to"].as_str().unwrap()
        )
    );
    let body: Vec<&str> = lines.collect();
    let shown: Vec<(String, u64)> = body
        .iter()
        .map(|line| {
            let mut words = line.split_whitespace();
            let period = words.next().unwrap().to_string();
            (period, words.next().unwrap().parse().unwrap())
        })
        .collect();
    assert_eq!(shown, expected);
    // The largest count's bar fills the 60 columns; others are shorter;
    // empty periods have no bar.
    let max = expected.iter().map(|(_, c)| *c).max().unwrap();
    for (line, (_, count)) in body.iter().zip(&expected) {
        let width = line.chars().count();
        if *count == max {
            assert_eq!(width, 60, "{line:?}");
        } else {
            assert!(width < 60, "{line:?}");
        }
        assert_eq!(
            line.contains('█') || line.contains('▏'),
            *count > 0,
            "{line:?}"
        );
    }

    let csv = dl.run(&["trend", "talks OR ceasefire", "--csv"]);
    csv.expect_code(0);
    let mut lines = csv.stdout.lines();
    assert_eq!(lines.next(), Some("period,start,end,count"));
    let from_csv: Vec<(String, u64)> = lines
        .map(|line| {
            let cells: Vec<&str> = line.split(',').collect();
            assert_eq!(cells.len(), 4, "{line}");
            (cells[0].to_string(), cells[3].parse().unwrap())
        })
        .collect();
    assert_eq!(from_csv, expected);
}

#[test]
fn undated_matches_are_counted_apart_and_old_dates_are_placed() {
    let dl = Dateline::new();
    let extra = dl.scratch().join("extra");
    std::fs::create_dir(&extra).unwrap();
    let write = |name: &str, text: &str| std::fs::write(extra.join(name), text).unwrap();
    write(
        "undated.txt",
        "Cocoa growers fear another poor harvest\n\nGrowers said cocoa pods were small.\n",
    );
    write(
        "old.txt",
        " date 1969-12-31 Cocoa shipments end the decade high\n\nCocoa left the port.\n",
    );
    dl.index(&[ARCHIVE, extra.to_str().unwrap()]).expect_code(0);

    let (code, json) = trend(&dl, &["cocoa", "--by", "year"]);
    assert_eq!(code, 0);
    assert_eq!(json["undated"], 1);
    assert_eq!(json["total"], 5);
    let rows = rows(&json);
    assert_eq!(rows.len(), 2025 - 1969 + 1);
    assert_eq!(rows[0], ("1969".to_string(), 1));
    assert_eq!(rows[1], ("1970".to_string(), 0));
    assert_eq!(rows[55], ("2024".to_string(), 2));
    assert_eq!(rows[56], ("2025".to_string(), 1));

    let human = dl.run(&["trend", "cocoa", "--by", "year"]);
    human.expect_code(0);
    assert_eq!(
        human.stdout.lines().last(),
        Some("1 matching article is not shown: it has no date")
    );

    // An undated match alone: found (exit 0), but no period to put it in.
    let (code, json) = trend(&dl, &["pods"]);
    assert_eq!(code, 0);
    assert_eq!(json["total"], 1);
    assert_eq!(json["undated"], 1);
    assert!(periods(&json).is_empty());
}

#[test]
fn nothing_found_exits_1_and_errors_exit_2() {
    let dl = archive_index();
    let (code, json) = trend(dl, &["zebraquartz"]);
    assert_eq!(code, 1);
    assert_eq!(json["total"], 0);
    assert!(periods(&json).is_empty());
    let run = dl.run(&["trend", "zebraquartz"]);
    run.expect_code(1);
    assert_eq!(run.stdout, "0 articles match \"zebraquartz\"\n");
    let run = dl.run(&["trend", "zebraquartz", "--csv"]);
    run.expect_code(1);
    assert_eq!(run.stdout, "period,start,end,count\n");

    let line = dl
        .run(&["trend", "--by", "fortnight"])
        .expect_error()
        .to_string();
    assert!(line.contains("fortnight"), "{line}");
    let line = dl
        .run(&["trend", "--from", "2025-13"])
        .expect_error()
        .to_string();
    assert!(
        line.contains("--from") && line.contains("2025-13"),
        "{line}"
    );
    let line = dl
        .run(&["trend", "--from", "2025", "--to", "2024"])
        .expect_error()
        .to_string();
    assert!(line.contains("after"), "{line}");
    let line = dl.run(&["trend", "\"unclosed"]).expect_error().to_string();
    assert!(line.contains("bad query"), "{line}");
    dl.run(&["trend", "x", "--json", "--csv"]).expect_error();
    let scratch = tempfile::tempdir().unwrap();
    let missing = scratch.path().join("no/such/dir/chart.svg");
    let line = dl
        .run(&["trend", "cocoa", "--svg", missing.to_str().unwrap()])
        .expect_error()
        .to_string();
    assert!(line.contains("chart.svg"), "{line}");
    let nowhere = Dateline::new();
    nowhere.run(&["trend", "cocoa"]).expect_error();
}

/// The chart's bars (`rect.bar`): each one's tooltip text and height.
#[track_caller]
/// The text of an element's `<title>` child.
fn title_of(node: roxmltree::Node) -> Option<String> {
    node.children()
        .find(|n| n.has_tag_name("title"))
        .and_then(|n| n.text())
        .map(str::to_string)
}

fn svg_bars(svg: &str) -> (String, Vec<(String, f64)>) {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("not XML ({e}): {svg}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2000/svg")
    );
    let title = title_of(root).expect("a <title>");
    let bars = doc
        .descendants()
        .filter(|n| n.has_tag_name("rect") && n.attribute("class") == Some("bar"))
        .map(|rect| {
            let tip = title_of(rect).expect("a tooltip");
            let height: f64 = rect.attribute("height").unwrap().parse().unwrap();
            assert!(height >= 0.0);
            (tip, height)
        })
        .collect();
    (title, bars)
}

#[test]
fn the_svg_chart_has_a_bar_per_period() {
    let dl = archive_index();
    let scratch = tempfile::tempdir().unwrap();
    let file = scratch.path().join("chart.svg");
    let run = dl.run(&[
        "trend",
        "zebraquartz & <pangolin>",
        "--svg",
        file.to_str().unwrap(),
    ]);
    run.expect_code(1);
    let svg = std::fs::read_to_string(&file).unwrap();
    let (title, bars) = svg_bars(&svg);
    assert!(title.contains("zebraquartz & <pangolin>"), "{title}");
    assert!(bars.is_empty());

    let run = dl.run(&["trend", "interest", "--svg", file.to_str().unwrap()]);
    run.expect_code(0);
    // The terminal chart is printed too.
    assert!(run.stdout.starts_with("4 articles match \"interest\""));
    let (_, json) = trend(dl, &["interest"]);
    let svg = std::fs::read_to_string(&file).unwrap();
    let (title, bars) = svg_bars(&svg);
    assert!(title.contains("interest"), "{title}");
    assert!(title.contains("2024-01 to 2025-03"), "{title}");
    assert_eq!(bars.len(), periods(&json).len());
    for ((tip, height), (period, count)) in bars.iter().zip(rows(&json)) {
        assert!(tip.starts_with(&format!("{period}: {count} ")), "{tip}");
        assert_eq!(*height > 0.0, count > 0, "{tip}");
    }
}

#[test]
fn reuters_oil_by_month_equals_monthly_searches() {
    let Some(dl) = reuters_index() else {
        return;
    };

    let (code, json) = trend(dl, &["oil", "--by", "month", "--count", "articles"]);
    assert_eq!(code, 0);
    let months: Vec<String> = rows(&json).into_iter().map(|(p, _)| p).collect();
    assert_eq!(
        months,
        [
            "1987-02", "1987-03", "1987-04", "1987-05", "1987-06", "1987-07", "1987-08", "1987-09",
            "1987-10"
        ]
    );
    // As the issue puts it: each row equals `search oil --from M --to M --count`.
    for (month, count) in rows(&json) {
        let counted = dl.run(&["search", "oil", "--from", &month, "--to", &month, "--count"]);
        let counted: u64 = counted.stdout.trim().parse().expect("a count");
        assert_eq!(count, counted, "oil in {month}");
    }
    assert_eq!(json["total"].as_u64().unwrap() as usize, dl.count(&["oil"]));

    // Every article, by day: each day's count is that day's search.
    let (_, json) = trend(
        dl,
        &[
            "--by",
            "day",
            "--from",
            "1987-03-01",
            "--to",
            "1987-03-14",
            "--count",
            "articles",
        ],
    );
    assert_eq!(periods(&json).len(), 14);
    check_against_search(dl, "", &json);

    let scratch = tempfile::tempdir().unwrap();
    let file = scratch.path().join("oil.svg");
    dl.run(&[
        "trend",
        "oil",
        "--by",
        "week",
        "--svg",
        file.to_str().unwrap(),
    ])
    .expect_code(0);
    let (_, weekly) = trend(dl, &["oil", "--by", "week"]);
    let (title, bars) = svg_bars(&std::fs::read_to_string(&file).unwrap());
    assert!(title.contains("oil"), "{title}");
    assert_eq!(bars.len(), periods(&weekly).len());
    assert!(bars.len() > 30);
}
