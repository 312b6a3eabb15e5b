//! Counting and exporting: `search --count`, `--format json|jsonl|csv`,
//! `--fields`, and snippets of several passages (`--snippets`,
//! `--snippet-chars`), on the fixture archive and on Reuters-21578.

use serde_json::Value;

use crate::common::*;

const SEPARATOR: &str = " … ";
const ELLIPSIS: &str = "…";

/// `search --count ARGS…`: the number printed, checking it is one line of
/// digits and that the exit code says whether anything matched.
#[track_caller]
fn count_only(dl: &Dateline, args: &[&str]) -> usize {
    let mut all = vec!["search", "--count"];
    all.extend_from_slice(args);
    let run = dl.run(&all);
    let line = run.stdout.strip_suffix('\n').unwrap_or_else(|| {
        panic!(
            "search --count {args:?} printed {:?}; stderr {:?}",
            run.stdout, run.stderr
        );
    });
    assert!(
        !line.is_empty() && line.bytes().all(|b| b.is_ascii_digit()),
        "--count printed {:?}",
        run.stdout
    );
    let count: usize = line.parse().unwrap();
    run.expect_code(if count > 0 { 0 } else { 1 });
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    count
}

/// Runs a search that must succeed with a match, returning stdout.
#[track_caller]
fn output(dl: &Dateline, args: &[&str]) -> String {
    let mut all = vec!["search"];
    all.extend_from_slice(args);
    let run = dl.run(&all);
    run.expect_code(0);
    run.stdout.clone()
}

/// Parses CSV output: the header and the rows.
#[track_caller]
fn parse_csv(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader
        .headers()
        .expect("a header row")
        .iter()
        .map(str::to_string)
        .collect();
    let rows = reader
        .records()
        .map(|record| {
            record
                .expect("a well-formed CSV row")
                .iter()
                .map(str::to_string)
                .collect()
        })
        .collect();
    (header, rows)
}

/// Parses JSON-lines output, one hit per line.
#[track_caller]
fn parse_jsonl(text: &str) -> Vec<Value> {
    text.lines()
        .map(|line| {
            serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("line is not JSON ({e}): {line:?}"))
        })
        .collect()
}

/// The passages of a snippet: without the `…` at either end, split on ` … `.
fn passages(snippet: &str) -> Vec<&str> {
    let inner = snippet.strip_prefix(ELLIPSIS).unwrap_or(snippet);
    let inner = inner.strip_suffix(ELLIPSIS).unwrap_or(inner);
    inner.split(SEPARATOR).collect()
}

/// The byte range of each passage of a snippet within the snippet.
fn passage_ranges(snippet: &str) -> Vec<std::ops::Range<usize>> {
    let mut at = if snippet.starts_with(ELLIPSIS) {
        ELLIPSIS.len()
    } else {
        0
    };
    passages(snippet)
        .into_iter()
        .map(|passage| {
            let range = at..at + passage.len();
            at = range.end + SEPARATOR.len();
            range
        })
        .collect()
}

/// A hit's snippet, `None` for a brief: an article that is a headline
/// alone has no passage to show, and its headline has the word.
fn passages_of<'a>(hit: &'a Value, word: &str) -> Option<&'a str> {
    let snippet = hit["snippet"].as_str().unwrap();
    if snippet.is_empty() {
        let headline = hit["headline"].as_str().unwrap();
        assert!(headline.to_lowercase().contains(word), "{hit}");
        return None;
    }
    Some(snippet)
}

/// The `[start, end]` pairs of a hit's snippet highlights.
fn snippet_highlights(hit: &Value) -> Vec<(usize, usize)> {
    hit["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|pair| {
            (
                pair[0].as_u64().unwrap() as usize,
                pair[1].as_u64().unwrap() as usize,
            )
        })
        .collect()
}

#[test]
fn count_equals_the_total_of_json() {
    let dl = archive_index();
    let searches: [&[&str]; 8] = [
        &["ceasefire"],
        &["talks", "--from", "2025-01"],
        &["--on", "2025-03"],
        &["\"coalition of the willing\""],
        &["cocoa OR coffee", "--to", "2024-12"],
        &["talks -geneva"],
        &["headline:rates"],
        &["zeppelin"],
    ];
    let mut nonzero = 0;
    for args in searches {
        let count = count_only(dl, args);
        assert_eq!(count, dl.count(args), "search {args:?}");
        nonzero += usize::from(count > 0);
    }
    assert_eq!(nonzero, 7, "every search but the last finds something");
    // With no query and no filter: every article.
    assert_eq!(count_only(dl, &[]), 24);
    // Paging and sorting do not change the count.
    assert_eq!(
        count_only(
            dl,
            &["ceasefire", "-n", "1", "--offset", "2", "--sort", "oldest"]
        ),
        4
    );
}

#[test]
fn count_takes_no_output_format() {
    let dl = archive_index();
    for extra in [
        &["--json"][..],
        &["--format", "csv"],
        &["--format", "csv", "--fields", "id"],
    ] {
        let mut args = vec!["search", "ceasefire", "--count"];
        args.extend_from_slice(extra);
        let line = dl.run(&args).expect_error().to_string();
        assert!(line.contains("--count"), "{line}");
    }
}

#[test]
fn csv_has_a_header_and_a_row_per_hit() {
    let dl = archive_index();
    let (_, json) = dl.search(&["talks", "-n", "3"]);
    assert!(total(&json) > 3);
    let (header, rows) = parse_csv(&output(dl, &["talks", "-n", "3", "--format", "csv"]));
    assert_eq!(header, ["rank", "date", "id", "headline", "snippet"]);
    assert_eq!(rows.len(), 3);
    for (i, (row, hit)) in rows.iter().zip(hits(&json)).enumerate() {
        assert_eq!(row[0], (i + 1).to_string());
        assert_eq!(row[1], hit["date"].as_str().unwrap());
        assert_eq!(row[2], hit["id"].as_str().unwrap());
        assert_eq!(row[3], hit["headline"].as_str().unwrap());
        assert_eq!(row[4], hit["snippet"].as_str().unwrap());
    }

    // Paging: ranks go on from the offset; an empty page is a header alone.
    let (_, rows) = parse_csv(&output(
        dl,
        &["talks", "-n", "2", "--offset", "3", "--format", "csv"],
    ));
    let ranks: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(ranks, ["4", "5"][..rows.len()]);
    let (header, rows) = parse_csv(&output(
        dl,
        &["talks", "--offset", "100", "--format", "csv"],
    ));
    assert_eq!(header.len(), 5);
    assert!(rows.is_empty());
}

#[test]
fn csv_round_trips_commas_quotes_and_line_breaks() {
    let dl = Dateline::new();
    let dir = dl.scratch().join("tricky");
    std::fs::create_dir_all(&dir).unwrap();
    let body = "Prices rose, then fell; the minister said \"wait\".\n\n\
                A second paragraph, with \"quotes\", commas, and a tugboat.";
    std::fs::write(
        dir.join("tricky.txt"),
        format!(" date 2025-01-02 Tugboat \"Ada, Lovelace\" sails, again\n\n{body}\n"),
    )
    .unwrap();
    dl.index(&[dir.to_str().unwrap()]).expect_code(0);

    let text = output(
        &dl,
        &[
            "tugboat",
            "--format",
            "csv",
            "--fields",
            "headline,body,date,score,path",
        ],
    );
    let (header, rows) = parse_csv(&text);
    assert_eq!(header, ["headline", "body", "date", "score", "path"]);
    assert_eq!(rows.len(), 1, "{text}");
    let row = &rows[0];
    assert_eq!(row[0], "Tugboat \"Ada, Lovelace\" sails, again");
    assert_eq!(row[1], body, "the whole body, line breaks kept");
    assert_eq!(row[2], "2025-01-02");
    assert!(row[3].parse::<f32>().unwrap() > 0.0, "score {:?}", row[3]);
    assert!(row[4].ends_with("tricky.txt"), "{}", row[4]);
    // The body is the stored one, as `show` gives it.
    let shown = dl.show("tricky/tricky.txt");
    assert_eq!(row[1], shown["body"].as_str().unwrap());

    // Sorted by date there is no score: the cell is empty.
    let (_, rows) = parse_csv(&output(
        &dl,
        &[
            "tugboat", "--sort", "newest", "--format", "csv", "--fields", "score",
        ],
    ));
    assert_eq!(rows, [[""]]);
}

#[test]
fn jsonl_lines_are_the_hits_of_json() {
    let dl = archive_index();
    for extra in [&[][..], &["--fields", "score,id,snippet,rank"]] {
        let mut args = vec!["ceasefire OR rates", "-n", "5"];
        args.extend_from_slice(extra);
        let mut json_args = args.clone();
        json_args.push("--json");
        let json: Value = serde_json::from_str(&output(dl, &json_args)).unwrap();
        args.extend(["--format", "jsonl"]);
        let lines = parse_jsonl(&output(dl, &args));
        assert_eq!(lines.len(), 5);
        assert_eq!(&lines, hits(&json), "{extra:?}");
    }
    // Without --fields, each line is a whole documented hit.
    let text = output(dl, &["ceasefire", "--format", "jsonl"]);
    let lines = parse_jsonl(&text);
    assert_eq!(lines.len(), 4);
    let document = serde_json::json!({
        "query": "ceasefire", "total": 4, "total_exact": true, "offset": 0, "took_ms": 0.0,
        "hits": lines
    });
    check_results_schema(&document);
    check_highlights(&document, "ceasefire", |w| w == "ceasefire");
}

#[test]
fn fields_are_printed_in_the_order_given() {
    let dl = archive_index();
    let order = ["score", "id", "rank", "path", "date"];
    let list = order.join(",");
    let (header, rows) = parse_csv(&output(
        dl,
        &["cocoa", "--format", "csv", "--fields", &list],
    ));
    assert_eq!(header, order);
    assert_eq!(rows.len(), 3);
    assert!(rows.iter().all(|r| r.len() == order.len()));

    // JSON keys, in the same order, as printed (a parsed object would sort them).
    for line in output(dl, &["cocoa", "--format", "jsonl", "--fields", &list]).lines() {
        let at: Vec<usize> = order
            .iter()
            .map(|key| line.find(&format!("\"{key}\":")).expect(key))
            .collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{line}");
    }
    // A text brings its highlights along, right after it.
    let line = output(
        dl,
        &[
            "cocoa",
            "-n",
            "1",
            "--format",
            "jsonl",
            "--fields",
            "snippet,headline",
        ],
    );
    let keys: Vec<&str> = [
        "\"snippet\":",
        "\"highlights\":",
        "\"headline\":",
        "\"headline_highlights\":",
    ]
    .into_iter()
    .filter(|key| line.contains(key))
    .collect();
    assert_eq!(keys.len(), 4, "{line}");
    let hit: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(hit.as_object().unwrap().len(), 4, "{hit}");
    assert!(!highlighted_words(&hit, "headline", "headline_highlights").is_empty());
}

#[test]
fn json_fields_shape_the_hits_but_not_the_document() {
    let dl = archive_index();
    let json: Value =
        serde_json::from_str(&output(dl, &["cocoa", "--json", "--fields", "id,rank"])).unwrap();
    let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        ["hits", "offset", "query", "took_ms", "total", "total_exact"]
    );
    assert_eq!(total(&json), 3);
    for (i, hit) in hits(&json).iter().enumerate() {
        let object = hit.as_object().unwrap();
        assert_eq!(object.len(), 2, "{hit}");
        assert_eq!(hit["rank"], i + 1);
        assert!(hit["id"].as_str().unwrap().starts_with("archive/"));
    }
    // `--format json` is `--json`.
    let (_, plain) = dl.search(&["cocoa"]);
    let same: Value = serde_json::from_str(&output(dl, &["cocoa", "--format", "json"])).unwrap();
    assert_eq!(hits(&same), hits(&plain));
}

#[test]
fn bad_fields_and_formats_are_usage_errors() {
    let dl = archive_index();
    let line = dl
        .run(&["search", "cocoa", "--format", "csv", "--fields", "id,bogus"])
        .expect_error()
        .to_string();
    assert!(line.contains("unknown field 'bogus'"), "{line}");
    assert!(line.contains("rank, date, id"), "{line}");

    let line = dl
        .run(&["search", "cocoa", "--fields", "id"])
        .expect_error()
        .to_string();
    assert!(line.contains("--fields needs --format"), "{line}");

    let line = dl
        .run(&[
            "search",
            "cocoa",
            "--format",
            "csv",
            "--fields",
            "id,date,id",
        ])
        .expect_error()
        .to_string();
    assert!(line.contains("'id' twice"), "{line}");

    let line = dl
        .run(&["search", "cocoa", "--json", "--format", "csv"])
        .expect_error()
        .to_string();
    assert!(line.contains("--format"), "{line}");

    dl.run(&["search", "cocoa", "--format", "xml"])
        .expect_error();
    for bad in ["0", "19", "10001", "many"] {
        dl.run(&["search", "cocoa", "--snippet-chars", bad])
            .expect_error();
    }
    for bad in ["0", "11"] {
        dl.run(&["search", "cocoa", "--snippets", bad])
            .expect_error();
    }
}

#[test]
fn several_snippets_each_hold_a_highlight() {
    let dl = archive_index();
    let (_, json) = dl.search(&[
        "rates OR inflation",
        "--snippets",
        "3",
        "--snippet-chars",
        "40",
    ]);
    assert!(total(&json) >= 4);
    let mut most = 0;
    for hit in hits(&json) {
        let Some(snippet) = passages_of(hit, "oil") else {
            continue;
        };
        let ranges = passage_ranges(snippet);
        assert!((1..=3).contains(&ranges.len()), "{snippet}");
        most = most.max(ranges.len());
        let highlights = snippet_highlights(hit);
        for passage in &ranges {
            assert!(
                highlights
                    .iter()
                    .any(|&(start, end)| passage.start <= start && end <= passage.end),
                "passage {:?} of {snippet:?} has no highlight",
                &snippet[passage.clone()]
            );
        }
    }
    assert_eq!(most, 3, "some article has three passages");
    // Every marked word is a query word (stemmed), in every passage.
    let words = check_highlights(&json, "rates or inflation", |w| {
        w.starts_with("rate") || w.starts_with("inflation")
    });
    assert!(!words.is_empty());

    // One passage is the default, and the snippet of before.
    let (_, one) = dl.search(&["rates OR inflation"]);
    for hit in hits(&one) {
        assert_eq!(passages(hit["snippet"].as_str().unwrap()).len(), 1);
    }
}

#[test]
fn several_snippets_mark_only_whole_phrases() {
    let dl = archive_index();
    let (_, json) = dl.search(&[
        "\"coalition of the willing\"",
        "--snippets",
        "3",
        "--snippet-chars",
        "30",
    ]);
    assert!(total(&json) >= 1);
    for hit in hits(&json) {
        let words: Vec<String> = highlighted_words(hit, "snippet", "highlights")
            .iter()
            .map(|w| fold(w))
            .collect();
        // Whole phrases only: the words come in fours, in order.
        assert!(
            !words.is_empty() && words.len().is_multiple_of(4),
            "{words:?}"
        );
        for phrase in words.chunks(4) {
            assert_eq!(phrase, ["coalition", "of", "the", "willing"]);
        }
    }
}

#[test]
fn snippet_chars_bounds_the_snippet() {
    let dl = archive_index();
    let longest = |args: &[&str]| -> usize {
        let (_, json) = dl.search(args);
        hits(&json)
            .iter()
            .map(|hit| hit["snippet"].as_str().unwrap().len())
            .max()
            .unwrap()
    };
    let ends = 2 * ELLIPSIS.len();
    for n in [20, 50, 120, 300] {
        let chars = n.to_string();
        let one = longest(&["cocoa OR rates", "--snippet-chars", &chars]);
        assert!(one <= n + ends, "{one} bytes for --snippet-chars {n}");
        let three = longest(&[
            "cocoa OR rates",
            "--snippet-chars",
            &chars,
            "--snippets",
            "3",
        ]);
        assert!(
            three <= 3 * n + ends + 2 * SEPARATOR.len(),
            "{three} bytes for --snippet-chars {n} --snippets 3"
        );
    }
    // More room gives more text, up to the whole body.
    let short = longest(&["cocoa", "--snippet-chars", "50"]);
    let long = longest(&["cocoa", "--snippet-chars", "10000"]);
    assert!(long > 300 && short < 60, "{short} then {long}");
}

/// All Reuters checks share one index: indexing the corpus takes a while.
#[test]
fn reuters_counts_and_exports() {
    let Some(dl) = reuters_index() else {
        return;
    };

    for args in [
        &["oil", "--from", "1987-03", "--to", "1987-03"][..],
        &["oil"],
        &["cocoa"],
        &["\"crude oil\" -opec", "--on", "1987-04"],
        &["--on", "1987-04-01"],
        &["headline:coffee OR headline:cocoa"],
    ] {
        let count = count_only(dl, args);
        assert!(count > 0, "{args:?}");
        assert_eq!(count, dl.count(args), "search {args:?}");
    }
    assert_eq!(count_only(dl, &[]), 21344);

    // 50 rows of CSV, each with the whole body, parse back.
    let (header, rows) = parse_csv(&output(
        dl,
        &[
            "cocoa",
            "-n",
            "50",
            "--format",
            "csv",
            "--fields",
            "id,date,body",
        ],
    ));
    assert_eq!(header, ["id", "date", "body"]);
    assert_eq!(rows.len(), 50);
    for row in &rows {
        assert!(row[0].starts_with("reuters21578/reut2-"), "{}", row[0]);
        assert!(is_iso_day(&row[1]));
    }
    for row in &rows[..5] {
        assert_eq!(row[2], dl.show(&row[0])["body"].as_str().unwrap());
    }
    assert!(
        rows.iter().any(|row| row[2].contains('\n')),
        "line breaks kept"
    );

    // JSON lines of a month's oil news are the hits of --json.
    let args = ["oil", "--from", "1987-03", "--to", "1987-03", "-n", "200"];
    let mut json_args = args.to_vec();
    json_args.push("--json");
    let json: Value = serde_json::from_str(&output(dl, &json_args)).unwrap();
    let mut jsonl_args = args.to_vec();
    jsonl_args.extend(["--format", "jsonl"]);
    let lines = parse_jsonl(&output(dl, &jsonl_args));
    assert_eq!(lines.len(), 200);
    assert_eq!(&lines, hits(&json));

    // Several passages of long wire stories, each marking oil.
    let (_, json) = dl.search(&[
        "oil",
        "-n",
        "50",
        "--snippets",
        "3",
        "--snippet-chars",
        "80",
    ]);
    let mut several = 0;
    for hit in hits(&json) {
        let Some(snippet) = passages_of(hit, "oil") else {
            continue;
        };
        let ranges = passage_ranges(snippet);
        assert!(ranges.len() <= 3, "{snippet}");
        several += usize::from(ranges.len() > 1);
        let highlights = snippet_highlights(hit);
        for passage in &ranges {
            assert!(
                highlights
                    .iter()
                    .any(|&(start, end)| passage.start <= start && end <= passage.end),
                "passage without a highlight in {snippet:?}"
            );
        }
    }
    assert!(
        several > 10,
        "only {several} of 50 hits had several passages"
    );
    check_highlights(&json, "oil", |w| w.starts_with("oil"));
}

/// A headline a spreadsheet would run as a formula is kept as text in CSV:
/// a `'` before the `=`, `+`, `-` or `@` (20 Newsgroups has 14 such
/// subjects); JSON keeps it as it is.
#[test]
fn csv_cells_that_look_like_formulas_are_kept_as_text() {
    let dl = Dateline::new();
    let dir = dl.scratch().join("formulas");
    std::fs::create_dir_all(&dir).unwrap();
    for (name, headline) in [
        ("a", "=HYPERLINK(\"http://x\") tugboat"),
        ("b", "-- tugboat strike --"),
        ("c", "@tugboat crews"),
        ("d", "Tugboat = safe"),
    ] {
        std::fs::write(
            dir.join(format!("{name}.txt")),
            format!(
                " date 2025-01-0{} {headline}\n\nA tugboat.\n",
                name.len() + 1
            ),
        )
        .unwrap();
    }
    dl.index(&[dir.to_str().unwrap()]).expect_code(0);
    let text = output(
        &dl,
        &[
            "tugboat",
            "--format",
            "csv",
            "--fields",
            "id,headline",
            "--sort",
            "oldest",
        ],
    );
    let (_, rows) = parse_csv(&text);
    let headlines: Vec<&str> = rows.iter().map(|row| row[1].as_str()).collect();
    let mut sorted = headlines.clone();
    sorted.sort_unstable();
    assert_eq!(
        sorted,
        [
            "'-- tugboat strike --",
            "'=HYPERLINK(\"http://x\") tugboat",
            "'@tugboat crews",
            "Tugboat = safe"
        ]
    );
    let json = parse_jsonl(&output(
        &dl,
        &["tugboat", "--format", "jsonl", "--fields", "headline"],
    ));
    assert!(json
        .iter()
        .any(|hit| hit["headline"] == "=HYPERLINK(\"http://x\") tugboat"));
}

/// `-n all` exports every hit, read in pages of 10,000: on Reuters
/// (21,291 articles, three pages) every id once, in CSV and JSON lines.
#[test]
fn all_hits_export_in_pages_on_reuters() {
    let Some(dl) = reuters_index() else { return };
    let articles = dl.stats()["articles"].as_u64().expect("articles") as usize;
    let (header, rows) = parse_csv(&output(
        dl,
        &[
            "--no-fold",
            "-n",
            "all",
            "--format",
            "csv",
            "--fields",
            "id,date",
        ],
    ));
    assert_eq!(header, ["id", "date"]);
    assert_eq!(rows.len(), articles);
    let ids: std::collections::BTreeSet<&str> = rows.iter().map(|row| row[0].as_str()).collect();
    assert_eq!(ids.len(), articles, "every id once");
    // Newest first, across the pages.
    let dates: Vec<&str> = rows.iter().map(|row| row[1].as_str()).collect();
    assert!(dates.windows(2).all(|pair| pair[0] >= pair[1]));

    // Folded (the default), every story once: as many as the search
    // counts.
    let (_, counted) = dl.search(&["said", "--exact-total"]);
    let said = counted["stories"].as_u64().expect("stories counted") as usize;
    assert!(said > 10_000, "more than a page: {said}");
    let lines = parse_jsonl(&output(
        dl,
        &["said", "-n", "all", "--format", "jsonl", "--fields", "id"],
    ));
    assert_eq!(lines.len(), said);
    let unique: std::collections::BTreeSet<&str> = lines
        .iter()
        .map(|line| line["id"].as_str().unwrap())
        .collect();
    assert_eq!(unique.len(), said, "every story once");
    // And the same from an offset.
    let rest = parse_jsonl(&output(
        dl,
        &[
            "said", "-n", "all", "--offset", "10005", "--format", "jsonl", "--fields", "id",
        ],
    ));
    assert_eq!(rest.len(), said - 10_005);
    assert_eq!(rest[0], lines[10_005]);
}

/// A timeline's hits carry their `group` in JSON lines and, when asked
/// for, in CSV.
#[test]
fn timelines_carry_their_group_in_every_machine_format() {
    let dl = archive_index();
    let lines = parse_jsonl(&output(
        dl,
        &["ceasefire", "--group-by", "month", "--format", "jsonl"],
    ));
    assert!(!lines.is_empty());
    for hit in &lines {
        let date = hit["date"].as_str().expect("dated");
        assert_eq!(hit["group"].as_str(), Some(&date[..7]), "{hit}");
    }
    let (header, rows) = parse_csv(&output(
        dl,
        &[
            "ceasefire",
            "--group-by",
            "week",
            "--format",
            "csv",
            "--fields",
            "group,date",
        ],
    ));
    assert_eq!(header, ["group", "date"]);
    assert_eq!(rows.len(), lines.len());
    assert!(rows.iter().all(|row| row[0].contains("-W")), "{rows:?}");
    let trend = dl.run(&["trend", "ceasefire", "--format", "jsonl"]);
    trend.expect_code(0);
    let periods = parse_jsonl(&trend.stdout);
    let total: u64 = periods.iter().map(|p| p["count"].as_u64().unwrap()).sum();
    assert_eq!(total as usize, lines.len());
}
