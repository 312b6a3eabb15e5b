//! Thousands of random and hostile queries and date flags, each through a
//! whole `dateline search` process: every one must end in a result (exit 0
//! or 1, JSON on stdout) or a one-line error (exit 2), never a panic
//! (exit 101) or a signal.

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::common::archive_index;

/// Pieces random queries are made of: operators, quotes, brackets, fields
/// real and not, wildcards, unicode and white space of every kind.
const PIECES: &[&str] = &[
    "(",
    ")",
    "\"",
    "-",
    "+",
    "OR",
    "AND",
    "NOT",
    "or",
    "headline:",
    "body:",
    "title:",
    "date:",
    ":",
    "*",
    "~",
    "~2",
    "^",
    "\\",
    "'",
    "a",
    "talks",
    "ceasefire",
    "cocoa",
    "é",
    "日本",
    "ß",
    "\u{1}",
    "\u{7f}",
    "\u{200b}",
    "\u{feff}",
    "🙂",
    " ",
    "  ",
    "\t",
    "\n",
    "\r",
    "((",
    "))",
    "-(",
    "\"\"",
    "http://x",
    "3:30",
    "covid-19",
    "!!!",
    "%",
    "$",
    "{",
    "}",
    "[",
    "]",
];

/// Queries a fuzzer would not think of first.
fn adversarial() -> Vec<String> {
    let mut queries: Vec<String> = [
        "",
        " ",
        "*",
        "**",
        "-",
        "--",
        "\"",
        "\"\"",
        "(",
        ")",
        "()",
        "((()))",
        "NOT",
        "OR",
        "AND",
        "a OR",
        "OR a",
        "NOT NOT a",
        "- - a",
        "-a",
        "-\"a b\"",
        "headline:",
        "headline:\"",
        "body:(",
        "nosuchfield:x",
        "HEADLINE:x",
        ":x",
        "x:",
        "\"unclosed phrase",
        "unopened)",
        "(unclosed",
        "a\"b\"c",
        "\"a\" \"b\" OR \"c\"",
        "talks~",
        "talks~99",
        "tal*",
        "*alks",
        "t*s",
        "日本 OR 中国",
        "ceasefire\u{0301}",
        "\u{202e}reversed",
    ]
    .iter()
    .map(|q| q.to_string())
    .collect();
    queries.push("(".repeat(10_000));
    queries.push(format!("{}a{}", "(".repeat(5_000), ")".repeat(5_000)));
    queries.push("a ".repeat(30_000));
    queries.push("\"".repeat(60_001));
    queries.push("a OR ".repeat(10_000));
    queries.push("NOT ".repeat(20_000) + "a");
    queries.push("-".repeat(100_000));
    queries.push("x".repeat(100_000));
    queries.push("headline:".repeat(10_000));
    queries
}

/// Deterministic random queries from `PIECES` (xorshift).
fn random_queries(count: usize) -> Vec<String> {
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..count)
        .map(|_| {
            let length = (next() % 16) as usize;
            (0..length)
                .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
                .collect()
        })
        .collect()
}

/// Date flags right and wrong, to go with some of the queries.
const DATES: &[&[&str]] = &[
    &[],
    &["--on", "2025-03-17"],
    &["--from", "2025", "--to", "2024"],
    &["--on", "2025-02-30"],
    &["--from", "9999-12-31"],
    &["--to", "0001"],
    &["--on", "2025-13"],
    &["--from", "yesterday"],
    &["--on", "2025-03-17", "--from", "2025"],
    &["--sort", "oldest", "--offset", "5"],
    &["--sort", "newest", "-n", "1"],
];

#[test]
fn no_query_crashes_search() {
    let dl = archive_index();
    let mut cases: Vec<(String, &[&str])> = Vec::new();
    for (i, query) in adversarial()
        .into_iter()
        .chain(random_queries(1_500))
        .enumerate()
    {
        cases.push((query, DATES[i % DATES.len()]));
    }
    let errors = AtomicUsize::new(0);
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some((query, dates)) = cases.get(i) else {
                    return;
                };
                let mut args: Vec<&str> = vec!["search", "--json"];
                args.extend(dates.iter());
                // `--` so that a query starting with `-` is a query.
                args.extend(["--", query]);
                let run = dl.run(&args);
                match run.code {
                    Some(0 | 1) => {
                        let json = run.json();
                        assert!(json["hits"].is_array(), "{query:?}: {}", run.stdout);
                    }
                    Some(2) => {
                        run.expect_error();
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                    other => panic!(
                        "{query:?} {dates:?}: exit {other:?}\n{}",
                        &run.stderr[..run.stderr.len().min(2_000)]
                    ),
                }
            });
        }
    });
    // Both kinds of outcome were exercised: the generator is not all errors.
    let errors = errors.into_inner();
    assert!(
        errors > 100 && errors < cases.len() - 100,
        "{errors} errors"
    );
}
