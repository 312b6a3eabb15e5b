//! What goes wrong is said in one line on stderr, `dateline: …`, with exit
//! status 2: never a panic or a backtrace.

use crate::common::*;

#[test]
fn searching_without_an_index_says_how_to_make_one() {
    let dl = Dateline::new();
    let dir = dl.index_dir().to_str().unwrap().to_string();
    for args in [
        vec!["search", "talks"],
        vec!["search", "--json", "talks"],
        vec!["stats"],
        vec!["show", "archive/2025/03/river-rescue.txt"],
    ] {
        let run = dl.run(&args);
        let line = run.expect_error();
        assert!(line.contains(&dir), "{args:?}: {line:?}");
        assert!(line.contains("dateline index"), "{args:?}: {line:?}");
        assert!(run.stdout.is_empty(), "{args:?}: {:?}", run.stdout);
    }
    // Nothing was created by trying.
    assert!(!dl.index_dir().exists());
}

#[test]
fn malformed_queries_say_what_and_at_which_column() {
    let dl = archive_index();
    for (query, column, says) in [
        ("\"coalition of", 1, "quote"),
        ("talks \"coalition of", 7, "quote"),
        ("a (b c", 3, "("),
        ("a b)", 4, ")"),
        ("OR", 1, "OR"),
        ("ceasefire OR", 11, "OR"),
        ("title:x", 1, "title:"),
        ("ceasefire title:x", 11, "title:"),
        ("()", 1, "parenthes"),
    ] {
        for json in [false, true] {
            let mut args = vec!["search"];
            if json {
                args.push("--json");
            }
            args.push(query);
            let run = dl.run(&args);
            let line = run.expect_error();
            assert!(
                line.contains(&format!("column {column}")),
                "{query:?}: {line:?}"
            );
            assert!(line.contains(says), "{query:?}: {line:?}");
            assert!(run.stdout.is_empty(), "{query:?}: {:?}", run.stdout);
        }
    }
}

#[test]
fn an_unknown_field_names_the_fields_there_are() {
    let dl = archive_index();
    let run = dl.run(&["search", "title:ceasefire"]);
    let line = run.expect_error();
    assert!(
        line.contains("headline:") && line.contains("body:"),
        "{line:?}"
    );
}

#[test]
fn bad_dates_name_the_flag_and_the_accepted_forms() {
    let dl = archive_index();
    for (flag, value) in [
        ("--from", "2025-02-30"),
        ("--on", "2025-13"),
        ("--to", "yesterday"),
        ("--on", "2023-02-29"),
        ("--from", "2025/03/17"),
        ("--to", "25"),
        ("--on", "2025-3"),
    ] {
        let run = dl.run(&["search", "talks", flag, value]);
        let line = run.expect_error();
        assert!(line.contains(flag), "{flag} {value}: {line:?}");
        assert!(line.contains(value), "{flag} {value}: {line:?}");
        assert!(line.contains("YYYY-MM-DD"), "{flag} {value}: {line:?}");
        assert!(run.stdout.is_empty());
    }
    // The reason, when there is one to give.
    let line = dl
        .run(&["search", "--from", "2025-02-30"])
        .expect_error()
        .to_string();
    assert!(line.contains("28 days"), "{line:?}");
}

#[test]
fn from_after_to_is_an_error() {
    let dl = archive_index();
    for (from, to) in [("2025-04", "2025-03"), ("2025-03-18", "2025-03-17")] {
        let run = dl.run(&["search", "--from", from, "--to", to]);
        let line = run.expect_error();
        assert!(line.contains("--from") && line.contains("--to"), "{line:?}");
        assert!(line.contains(from) && line.contains(to), "{line:?}");
    }
    // The same day (or month) at both ends is fine.
    assert_eq!(
        dl.search(&["--from", "2025-03-17", "--to", "2025-03-17"]).0,
        0
    );
}

#[test]
fn on_cannot_be_combined_with_from_or_to() {
    let dl = archive_index();
    // A usage error, reported by the argument parser: still exit 2.
    let run = dl.run(&["search", "--on", "2025-03", "--from", "2025-01"]);
    let line = run.expect_error();
    assert!(line.contains("--on") && line.contains("--from"), "{line:?}");
}

#[test]
fn usage_errors_are_one_line_and_help_is_not_an_error() {
    let dl = archive_index();
    for args in [
        &["search", "--no-such-flag"][..],
        &["index"],
        &["index", ".", "--max-article-size", "lots"],
        &["search", "-n", "0", "x"],
        &["frobnicate"],
    ] {
        dl.run(args).expect_error();
    }
    let help = dl.run(&["search", "--help"]);
    help.expect_code(0);
    assert!(
        help.stdout.contains("Usage: dateline search"),
        "{}",
        help.stdout
    );
}

#[test]
fn indexing_a_path_that_does_not_exist() {
    let dl = Dateline::new();
    let run = dl.index(&["tests/fixtures/no-such-folder"]);
    let line = run.expect_error();
    assert!(line.contains("tests/fixtures/no-such-folder"), "{line:?}");
    assert!(line.contains("no such file"), "{line:?}");
    // Nothing was created for it.
    assert!(!dl.index_dir().exists());

    // One missing path among good ones stops the run before anything is indexed.
    let run = dl.index(&[ARCHIVE, "tests/fixtures/no-such-folder"]);
    run.expect_error();
    assert!(!dl.index_dir().join("meta.json").exists());
}

#[test]
fn a_query_with_no_words_is_an_error() {
    let dl = archive_index();
    let run = dl.run(&["search", "!!!"]);
    let line = run.expect_error();
    assert!(line.contains("column 1"), "{line:?}");
}

#[test]
fn errors_print_no_backtrace_even_when_asked() {
    let dl = Dateline::new();
    let mut cmd = dl.command(&["search", "talks"]);
    cmd.env("RUST_BACKTRACE", "1");
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr:?}");
    assert!(stderr.starts_with("dateline: "), "{stderr:?}");
    assert!(!stderr.contains("backtrace"), "{stderr:?}");
}

#[test]
fn an_absurd_offset_or_limit_is_refused_not_a_crash() {
    let dl = archive_index();
    for args in [
        vec!["search", "talks", "--offset", "18446744073709551615"],
        vec!["search", "talks", "--offset", "1000001"],
        vec!["search", "talks", "--limit", "0"],
    ] {
        let run = dl.run(&args);
        run.expect_code(2);
        assert!(
            !run.stderr.contains("panicked"),
            "{args:?}: {:?}",
            run.stderr
        );
        assert!(
            run.stderr.contains("--offset") || run.stderr.contains("--limit"),
            "{args:?}: {:?}",
            run.stderr
        );
    }
    // The largest offset allowed is answered: nothing on that page.
    let (code, json) = dl.search(&["talks", "--offset", "1000000"]);
    assert_eq!((code, json["hits"].as_array().map(Vec::len)), (0, Some(0)));
}
