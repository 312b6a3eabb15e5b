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

/// Issue #13, item 9: a read-only index, an index another user may not
/// read, and indexing into an index this user may not write.
#[cfg(unix)]
mod permissions {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    use std::path::{Path, PathBuf};
    use std::process::Command;
    use std::time::SystemTime;

    use crate::common::*;

    /// The user `nobody`, for when the tests run as root.
    const NOBODY: u32 = 65534;

    /// Modes set for a test, put back when it ends (even by a failure), so
    /// that the temporary folders can be removed.
    struct Modes(Vec<(PathBuf, u32)>);

    impl Modes {
        fn new() -> Modes {
            Modes(Vec::new())
        }

        fn set(&mut self, path: &Path, mode: u32) {
            let old = std::fs::metadata(path).unwrap().permissions().mode() & 0o7777;
            self.0.push((path.to_path_buf(), old));
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
        }

        /// `chmod -R a+rX,a-w` of an index folder (flat), and the folder
        /// above it opened to other users, as a shared index would be.
        fn read_only(&mut self, dl: &Dateline) {
            self.set(dl.scratch(), 0o755);
            for entry in std::fs::read_dir(dl.index_dir()).unwrap() {
                self.set(&entry.unwrap().path(), 0o444);
            }
            self.set(dl.index_dir(), 0o555);
        }
    }

    impl Drop for Modes {
        fn drop(&mut self) {
            for (path, mode) in self.0.iter().rev() {
                let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(*mode));
            }
        }
    }

    /// Whether file permissions stop this process (they do not stop root).
    fn permissions_bite() -> bool {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("locked");
        std::fs::write(&file, "x").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o000)).unwrap();
        std::fs::read(&file).is_err()
    }

    /// `dateline ARGS…` as a user that permissions stop: this one, or
    /// `nobody` when this one is root (if `nobody` can run the binary).
    /// `None` when there is no such user: the caller says what it skips.
    fn restricted(args: &[&str]) -> Option<Command> {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_dateline"));
        cmd.current_dir("/");
        for var in READ_BY_DATELINE {
            cmd.env_remove(var);
        }
        if !permissions_bite() {
            let mut probe = Command::new(env!("CARGO_BIN_EXE_dateline"));
            probe
                .current_dir("/")
                .arg("--version")
                .uid(NOBODY)
                .gid(NOBODY);
            if !probe.output().is_ok_and(|out| out.status.success()) {
                return None;
            }
            cmd.uid(NOBODY).gid(NOBODY);
        }
        cmd.args(args);
        Some(cmd)
    }

    /// The exit code and the one line on stderr of a run that must fail.
    #[track_caller]
    fn error_line(mut cmd: Command) -> String {
        let out = cmd.output().unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{stderr:?}");
        assert_eq!(stderr.lines().count(), 1, "{stderr:?}");
        assert!(!stderr.contains("panicked"), "{stderr:?}");
        stderr.trim_end().to_string()
    }

    /// Every name in `dir` (hidden ones too), with its modification time
    /// and size, and the folder's own modification time (which making or
    /// removing a file changes).
    fn snapshot(dir: &Path) -> Vec<(String, SystemTime, u64)> {
        let mut all: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|entry| {
                let entry = entry.unwrap();
                let meta = entry.metadata().unwrap();
                let name = entry.file_name().to_string_lossy().into_owned();
                (name, meta.modified().unwrap(), meta.len())
            })
            .collect();
        all.sort();
        all.push((
            ".".into(),
            std::fs::metadata(dir).unwrap().modified().unwrap(),
            0,
        ));
        all
    }

    #[test]
    fn searching_a_read_only_index_creates_and_changes_nothing() {
        // (On main: the first search makes `.tantivy-meta.lock`, and fails
        // with "Failed to acquire Lockfile … None" where chmod bites.)
        let dl = Dateline::with_archive();
        // As an index copied without its lock files would be.
        for lock in [".tantivy-meta.lock", ".tantivy-writer.lock"] {
            let _ = std::fs::remove_file(dl.index_dir().join(lock));
        }
        let mut modes = Modes::new();
        modes.read_only(&dl);
        let before = snapshot(dl.index_dir());

        let river = id("2025/03/river-rescue");
        for args in [
            vec!["search", "tugboat"],
            vec!["search", "--json", "--sort", "newest", "talks"],
            vec!["trend", "talks"],
            vec!["stats"],
            vec!["show", &river],
            vec!["related", &river],
        ] {
            let run = dl.run(&args);
            run.expect_code(0);
            assert_eq!(run.stderr, "", "{args:?}");
        }
        match restricted(&[
            "--index",
            dl.index_dir().to_str().unwrap(),
            "search",
            "tugboat",
        ]) {
            Some(mut search) => {
                let out = search.output().unwrap();
                let stderr = String::from_utf8_lossy(&out.stderr);
                assert_eq!(out.status.code(), Some(0), "{stderr}");
                let stdout = String::from_utf8(out.stdout).unwrap();
                assert!(stdout.starts_with("1 article matches"), "{stdout:?}");
            }
            None => eprintln!(
                "searching_a_read_only_index: not searched as a user that permissions stop \
                 (running as root, and `nobody` cannot run the binary)"
            ),
        }
        assert_eq!(
            snapshot(dl.index_dir()),
            before,
            "a search wrote to the index"
        );
    }

    #[test]
    fn an_index_this_user_may_not_read_is_permission_denied_never_rebuild() {
        // (On main: "no index at …: create one", or "… is not a dateline
        // index …; … run `dateline index --rebuild …`".)
        let dl = Dateline::with_archive();
        let index = dl.index_dir().to_str().unwrap().to_string();
        let mut modes = Modes::new();
        modes.read_only(&dl);
        let file = dl.index_dir().join("meta.json");
        for (path, mode) in [(dl.index_dir().to_path_buf(), 0o000), (file, 0o000)] {
            let mut these = Modes::new();
            if path != dl.index_dir() {
                these.set(dl.index_dir(), 0o755);
            }
            these.set(&path, mode);
            let Some(search) = restricted(&["--index", &index, "search", "tugboat"]) else {
                eprintln!(
                    "an_index_this_user_may_not_read: skipped (running as root, and `nobody` \
                     cannot run the binary); the message is tested in error.rs"
                );
                return;
            };
            let line = error_line(search);
            assert!(line.contains("permission denied"), "{line:?}");
            assert!(line.contains(path.to_str().unwrap()), "{line:?}");
            for wrong in [
                "rebuild",
                "not a dateline index",
                "no index at",
                "create one",
            ] {
                assert!(!line.contains(wrong), "{wrong}: {line:?}");
            }
        }
    }

    #[test]
    fn indexing_as_a_user_who_may_not_write_is_not_another_writer() {
        // (On main: "Failed to acquire Lockfile … there is already an
        // `IndexWriter` working on this `Directory`".)
        let dl = Dateline::with_archive();
        let mut modes = Modes::new();
        modes.read_only(&dl);
        let archive = root().join(ARCHIVE);
        let index = dl.index_dir().to_str().unwrap();
        let Some(indexing) = restricted(&["--index", index, "index", archive.to_str().unwrap()])
        else {
            eprintln!(
                "indexing_as_a_user_who_may_not_write: skipped (running as root, and `nobody` \
                 cannot run the binary); the message is tested in error.rs"
            );
            return;
        };
        let line = error_line(indexing);
        assert!(
            line.starts_with(&format!(
                "dateline: cannot write to the index: permission denied on {index}"
            )),
            "{line:?}"
        );
        for wrong in ["lock", "another", "IndexWriter", "None"] {
            assert!(!line.contains(wrong), "{wrong}: {line:?}");
        }
    }
}

/// Usage errors keep what matters on their one line: the arguments
/// missing (it said "the following required arguments were not
/// provided:" and stopped), a command for a bare `dateline` (it printed
/// the description as an error), and no tip to put an option after `--`.
#[test]
fn usage_errors_say_what_is_missing_on_one_line() {
    let dl = Dateline::new();
    let missing = dl.run(&["index"]);
    assert!(
        missing.expect_error().ends_with("<PATH>... (see --help)"),
        "{}",
        missing.stderr
    );
    let bare = Dateline::bare_command().output().expect("run dateline");
    assert_eq!(bare.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&bare.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("name a command: index, search"), "{stderr}");
    let unknown = dl.run(&["search", "ceasefire", "--idx", "x"]);
    let line = unknown.expect_error();
    assert!(!line.contains("use '--"), "{line}");
}
