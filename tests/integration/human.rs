//! Output for people: the header line, and colour only when asked for or on
//! a terminal (these tests capture output, so it is never a terminal).

use crate::common::*;

const ESC: char = '\x1b';

/// Whether `word` appears wrapped in escape sequences: the end of one
/// (`…m`) right before it and the start of another right after it.
fn is_coloured(output: &str, word: &str) -> bool {
    output.contains(&format!("m{word}{ESC}["))
}

#[test]
fn piped_output_has_no_colour() {
    let dl = archive_index();
    for args in [
        vec!["search", "talks"],
        vec!["search", "--on", "2025-03"],
        vec!["show", "archive/2025/03/river-rescue.txt"],
        vec!["stats"],
    ] {
        let run = dl.run(&args);
        run.expect_code(0);
        assert!(!run.stdout.is_empty());
        assert!(!run.stdout.contains(ESC), "{args:?}: {:?}", run.stdout);
        assert!(!run.stderr.contains(ESC), "{args:?}: {:?}", run.stderr);
    }
}

#[test]
fn color_always_marks_the_matched_words() {
    let dl = archive_index();
    let run = dl.run(&["search", "talks", "--color", "always", "-n", "100"]);
    run.expect_code(0);
    assert!(run.stdout.contains(ESC), "{:?}", run.stdout);
    for word in ["talks", "talk", "talking", "talked"] {
        assert!(
            is_coloured(&run.stdout, word),
            "{word} not highlighted in {:?}",
            run.stdout
        );
    }
    // Words that did not match are not marked as matches.
    assert!(!is_coloured(&run.stdout, "Geneva"), "{:?}", run.stdout);
    // Without escapes the text reads as without colour.
    let plain = dl.run(&["search", "talks", "--color", "never", "-n", "100"]);
    assert!(!plain.stdout.contains(ESC));
    assert_eq!(strip_ansi(&run.stdout), plain.stdout);
}

#[test]
fn no_color_turns_auto_colour_off() {
    let dl = archive_index();
    let mut cmd = dl.command(&["search", "talks", "--color", "auto"]);
    cmd.env("NO_COLOR", "1");
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("talks"));
    assert!(!stdout.contains(ESC), "{stdout:?}");
}

#[test]
fn the_header_line_gives_the_total() {
    let dl = archive_index();
    let run = dl.run(&["search", "talks", "-n", "2"]);
    run.expect_code(0);
    let header = run.stdout.lines().next().unwrap();
    assert!(header.starts_with("5 articles"), "{header:?}");
    assert!(header.contains("\"talks\""), "{header:?}");

    let run = dl.run(&["search", "tugboat"]);
    let header = run.stdout.lines().next().unwrap();
    assert!(header.starts_with("1 article "), "{header:?}");

    let run = dl.run(&["search", "--on", "2025-03-17"]);
    let header = run.stdout.lines().next().unwrap();
    assert!(header.starts_with("3 articles"), "{header:?}");
    assert!(header.contains("2025-03-17"), "{header:?}");

    let run = dl.run(&["search"]);
    let header = run.stdout.lines().next().unwrap();
    assert!(header.starts_with("24 articles"), "{header:?}");
}

#[test]
fn human_hits_show_date_headline_and_id() {
    let dl = archive_index();
    let run = dl.run(&["search", "peloton"]);
    run.expect_code(0);
    let (date, headline, _) = read_article(&format!("{ARCHIVE}/2024/07/mountain-stage-win.txt"));
    let line = run
        .stdout
        .lines()
        .find(|l| l.contains(&headline))
        .unwrap_or_else(|| panic!("no headline in {:?}", run.stdout));
    assert!(line.contains(&date), "{line:?}");
    assert!(run.stdout.contains(&id("2024/07/mountain-stage-win")));
    assert!(run.stdout.contains("peloton"));
}

/// Removes `ESC [ … m` sequences.
fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == ESC {
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}
