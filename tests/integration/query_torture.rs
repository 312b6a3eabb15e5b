//! A handful of hostile queries and date flags, each through a whole
//! `dateline search` process: every one must end in a result (exit 0 or 1,
//! JSON on stdout) or a one-line error (exit 2), never a panic (exit 101)
//! or a signal.
//!
//! The parser itself is tortured in-process, with thousands of generated
//! queries, by the property tests (`properties.rs`, "Queries") and the fuzz
//! target (`fuzz/fuzz_targets/query.rs`). What only a process shows is kept
//! here: one of each kind of hostile query, and the huge ones, whose depth
//! or length could overflow a stack or take forever.

use crate::common::archive_index;

/// One query of each kind: an empty one, unclosed and unopened groups and
/// phrases, operators with nothing to apply to, fields real and not,
/// wildcards and fuzziness out of range, unicode, controls and invisibles.
/// (`serve.rs` sends them to the server too, in its soak.)
pub(crate) fn hostile() -> Vec<String> {
    let mut queries: Vec<String> = [
        "",
        "\"unclosed phrase",
        "(unclosed",
        "unopened)",
        "a OR",
        "NOT NOT a",
        "-\"a b\"",
        "headline:\"",
        "nosuchfield:x",
        "talks~99",
        "*alks",
        "日本 OR 中国",
        "ceasefire\u{0301}",
        "\u{202e}reversed",
        "\u{1}\u{7f}\u{200b}\u{feff}🙂",
    ]
    .iter()
    .map(|q| q.to_string())
    .collect();
    // Deep, long and wide: no recursion may overflow, nothing may take forever.
    queries.push("(".repeat(10_000));
    queries.push(format!("{}a{}", "(".repeat(5_000), ")".repeat(5_000)));
    queries.push("a ".repeat(30_000));
    queries.push("NOT ".repeat(20_000) + "a");
    queries.push("a OR ".repeat(10_000));
    queries.push("\"".repeat(60_001));
    queries.push("-".repeat(100_000));
    queries.push("x".repeat(100_000));
    queries.push("headline:".repeat(10_000));
    queries
}

/// Date flags right and wrong: each is given with one of the queries, and
/// every query is also given alone, so that none is refused for its flags
/// before it is parsed.
const DATES: &[&[&str]] = &[
    &["--on", "2025-03-17"],
    &["--from", "2025", "--to", "2024"],
    &["--on", "2025-02-30"],
    &["--from", "9999-12-31"],
    &["--to", "0001"],
    // The last day there is: the day after it cannot be reckoned.
    &["--to", "9999-12-31"],
    &["--on", "2025-13"],
    &["--from", "yesterday"],
    &["--on", "2025-03-17", "--from", "2025"],
    &["--sort", "oldest", "--offset", "5"],
    &["--sort", "newest", "-n", "1"],
];

#[test]
fn no_query_crashes_search() {
    let dl = archive_index();
    let queries = hostile();
    let alone = queries.iter().map(|query| (query, &[][..]));
    let with_dates = DATES
        .iter()
        .enumerate()
        .map(|(i, dates)| (&queries[i % queries.len()], *dates));
    let (mut results, mut errors) = (0, 0);
    for (query, dates) in alone.chain(with_dates) {
        let mut args: Vec<&str> = vec!["search", "--json"];
        args.extend(dates.iter());
        // `--` so that a query starting with `-` is a query.
        args.extend(["--", query]);
        let run = dl.run(&args);
        match run.code {
            Some(0 | 1) => {
                let json = run.json();
                assert!(json["hits"].is_array(), "{query:?}: {}", run.stdout);
                results += 1;
            }
            Some(2) => {
                run.expect_error();
                errors += 1;
            }
            other => panic!(
                "{query:?} {dates:?}: exit {other:?}\n{}",
                &run.stderr[..run.stderr.len().min(2_000)]
            ),
        }
    }
    // Both kinds of outcome were exercised: the list is not all errors.
    assert!(
        results > 0 && errors > 0,
        "{results} results, {errors} errors"
    );
}
