//! `dateline index` and `dateline stats`: what gets in, what is skipped and
//! reported, and that re-indexing never duplicates.

use crate::common::*;

#[test]
fn indexing_the_archive_reports_24_articles() {
    let dl = Dateline::new();
    let run = dl.index(&[ARCHIVE]);
    run.expect_code(0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "one summary line: {:?}", run.stdout);
    assert!(
        lines[0].starts_with("indexed 24 articles from 24 files"),
        "{:?}",
        lines[0]
    );
    assert!(!lines[0].contains("skipped"), "{:?}", lines[0]);
    assert!(run.stderr.is_empty(), "no warnings: {:?}", run.stderr);
    assert!(dl.index_dir().join("meta.json").is_file());
}

#[test]
fn stats_of_the_archive() {
    let dl = archive_index();
    let stats = dl.stats();
    assert_eq!(stats["articles"], 24);
    assert_eq!(stats["undated"], 0);
    assert_eq!(stats["oldest"], "2024-01-15");
    assert_eq!(stats["newest"], "2025-06-03");
    assert!(stats["size_bytes"].as_u64().unwrap() > 0);
    assert!(stats["segments"].as_u64().unwrap() >= 1);

    let human = dl.run(&["stats"]);
    human.expect_code(0);
    assert!(human.stdout.contains("24"), "{}", human.stdout);
    assert!(
        human.stdout.contains("2024-01-15") && human.stdout.contains("2025-06-03"),
        "{}",
        human.stdout
    );
}

#[test]
fn messy_folder_indexes_every_readable_file_and_warns_about_the_rest() {
    let dl = Dateline::new();
    let run = dl.index(&[MESSY]);
    run.expect_code(0);

    // The summary counts what went in and what was skipped.
    let summary = run.stdout.trim_end();
    assert_eq!(summary.lines().count(), 1, "{summary:?}");
    assert!(
        summary.starts_with("indexed 5 articles from 5 files"),
        "{summary:?}"
    );
    assert!(summary.contains("skipped 2 of 7 files"), "{summary:?}");
    assert!(summary.contains("1 undated"), "{summary:?}");
    assert!(
        summary.contains("1 file read as Windows-1252"),
        "{summary:?}"
    );

    // One warning per file that was skipped or read with a fallback,
    // naming the file and why.
    let warnings: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(warnings.len(), 3, "{:?}", run.stderr);
    let expected = [
        ("bad-empty.txt", "empty"),
        ("bad-impossible-date.txt", "2025-02-30"),
        ("bad-latin1.txt", "not valid UTF-8; read as Windows-1252"),
    ];
    for (file, reason) in expected {
        let path = format!("{MESSY}/{file}");
        let matching: Vec<&&str> = warnings.iter().filter(|w| w.contains(&path)).collect();
        assert_eq!(matching.len(), 1, "one warning for {path}: {warnings:?}");
        let warning = matching[0];
        assert!(warning.starts_with("dateline: warning: "), "{warning:?}");
        assert!(
            warning.contains(reason),
            "warning for {file} should say {reason:?}: {warning:?}"
        );
    }
    assert!(
        !run.stderr.contains("good-"),
        "good files warned about: {:?}",
        run.stderr
    );

    let stats = dl.stats();
    assert_eq!(stats["articles"], 5);
    assert_eq!(stats["undated"], 1);
    assert_eq!(stats["oldest"], "2023-05-10");
    assert_eq!(stats["newest"], "2023-05-13");
}

#[test]
fn legacy_encoded_and_undated_files_are_indexed_not_lost() {
    let dl = messy_index();

    // Latin-1 bytes are read as Windows-1252: the accents survive.
    let article = dl.show("messy/bad-latin1.txt");
    assert_eq!(article["date"], "2023-05-13");
    assert_eq!(
        article["headline"],
        "Film festival opens with French première"
    );
    assert!(article["body"].as_str().unwrap().contains("café in Lyon"));
    assert_eq!(dl.search_ids(&["premiere"]), ["messy/bad-latin1.txt"]);

    // A text file without a date line is headline-first text, undated:
    // found by words, left out by any date filter.
    let article = dl.show("messy/bad-no-date.txt");
    assert_eq!(article["date"], serde_json::Value::Null);
    assert_eq!(
        article["headline"],
        "Bridge closed for repairs after inspection finds cracks"
    );
    assert_eq!(dl.search_ids(&["bridge cracks"]), ["messy/bad-no-date.txt"]);
    let (code, json) = dl.search(&["bridge cracks", "--from", "1900"]);
    assert_eq!((code, total(&json)), (1, 0));
}

#[test]
fn messy_good_files_are_searchable_and_clean() {
    let dl = messy_index();

    // CRLF + BOM + trailing spaces.
    let (code, json) = dl.search(&["strike"]);
    assert_eq!(code, 0);
    assert_eq!(hit_ids(&json), ["messy/good-crlf.txt"]);
    let hit = &hits(&json)[0];
    assert_eq!(hit["date"], "2023-05-10");
    assert_eq!(hit["headline"], "Port workers end strike after pay deal");
    let article = dl.show("messy/good-crlf.txt");
    let headline = article["headline"].as_str().unwrap();
    assert_eq!(headline, "Port workers end strike after pay deal");
    assert!(!headline.contains('\u{feff}') && !headline.contains('\r'));
    let body = article["body"].as_str().unwrap();
    assert!(
        !body.contains('\r') && !body.contains('\u{feff}'),
        "{body:?}"
    );
    assert_eq!(body.split("\n\n").count(), 3, "3 paragraphs: {body:?}");
    assert!(
        body.lines().all(|line| line == line.trim_end()),
        "trailing spaces kept: {body:?}"
    );

    // No leading space on the date line; runs of blank lines.
    let (code, json) = dl.search(&["library restoration"]);
    assert_eq!(code, 0);
    assert_eq!(hit_ids(&json), ["messy/good-no-leading-space.txt"]);
    let article = dl.show("messy/good-no-leading-space.txt");
    assert_eq!(article["date"], "2023-05-11");
    assert_eq!(
        article["headline"],
        "Library reopens after two-year restoration"
    );
    let body = article["body"].as_str().unwrap();
    assert_eq!(body.split("\n\n").count(), 3, "3 paragraphs: {body:?}");
    assert!(!body.contains("\n\n\n"), "blank runs collapse: {body:?}");

    // A headline and no body.
    let (code, json) = dl.search(&["parliament recess"]);
    assert_eq!(code, 0);
    assert_eq!(hit_ids(&json), ["messy/good-headline-only.txt"]);
    let article = dl.show("messy/good-headline-only.txt");
    assert_eq!(article["date"], "2023-05-12");
    assert_eq!(article["headline"], "Parliament adjourns for spring recess");
    assert_eq!(article["body"], "");

    // Nothing of the skipped files got in.
    let (code, json) = dl.search(&["cycle lanes"]);
    assert_eq!((code, total(&json)), (1, 0), "the skipped file was indexed");
}

#[test]
fn archive_and_messy_together_give_29_articles() {
    let dl = Dateline::new();
    let run = dl.index(&[ARCHIVE, MESSY]);
    run.expect_code(0);
    assert!(
        run.stdout.starts_with("indexed 29 articles from 29 files"),
        "{:?}",
        run.stdout
    );
    assert!(
        run.stdout.contains("skipped 2 of 31 files"),
        "{:?}",
        run.stdout
    );
    assert_eq!(run.stderr.lines().count(), 3, "{:?}", run.stderr);
    let stats = dl.stats();
    assert_eq!(stats["articles"], 29);
    assert_eq!(stats["oldest"], "2023-05-10");
    assert_eq!(stats["newest"], "2025-06-03");
    assert_eq!(dl.count(&["--on", "2023"]), 4);
    assert_eq!(dl.count(&["--from", "2024"]), 24);
}

#[test]
fn reindexing_the_same_path_does_not_duplicate() {
    let dl = Dateline::with_archive();
    let again = dl.index(&[ARCHIVE]);
    again.expect_code(0);
    // Nothing changed, so nothing is read again.
    assert!(
        again.stdout.starts_with("indexed 0 articles from 0 files"),
        "{:?}",
        again.stdout
    );
    assert!(
        again
            .stdout
            .contains("files: 0 new, 0 changed, 24 unchanged, 0 removed"),
        "{:?}",
        again.stdout
    );
    assert_eq!(dl.stats()["articles"], 24);
    assert_eq!(dl.count(&["tugboat"]), 1);
    assert_eq!(dl.count(&["--on", "2025-03-17"]), 3);
    assert_eq!(dl.count(&[] as &[&str]), 24);
}

#[test]
fn reindexing_through_other_spellings_of_the_path_does_not_duplicate() {
    let dl = Dateline::new();
    dl.index(&["tests/fixtures/archive/"]).expect_code(0);
    assert_eq!(dl.stats()["articles"], 24);
    dl.index(&["./tests/fixtures/archive"]).expect_code(0);
    assert_eq!(dl.stats()["articles"], 24);
    dl.index(&["tests/fixtures/../fixtures/archive"])
        .expect_code(0);
    assert_eq!(dl.stats()["articles"], 24);
    let absolute = root().join(ARCHIVE);
    dl.index(&[absolute.to_str().unwrap()]).expect_code(0);
    assert_eq!(dl.stats()["articles"], 24);
    assert_eq!(dl.count(&["peloton"]), 1);

    // The stored path is absolute and clean whichever spelling was used.
    let article = dl.show(&id("2024/07/mountain-stage-win"));
    let path = article["path"].as_str().unwrap();
    assert_eq!(
        std::path::Path::new(path),
        absolute.join("2024/07/mountain-stage-win.txt")
    );
}

#[test]
fn one_run_given_the_same_folder_twice_does_not_duplicate() {
    let dl = Dateline::new();
    dl.index(&[ARCHIVE, "./tests/fixtures/archive"])
        .expect_code(0);
    assert_eq!(dl.stats()["articles"], 24);
    assert_eq!(dl.count(&["tugboat"]), 1);
}

#[test]
fn a_single_file_can_be_indexed() {
    let dl = Dateline::new();
    dl.index(&["tests/fixtures/archive/2025/03/river-rescue.txt"])
        .expect_code(0);
    assert_eq!(dl.stats()["articles"], 1);
    let (code, json) = dl.search(&["tugboat"]);
    assert_eq!(code, 0);
    assert_eq!(hit_ids(&json), ["river-rescue.txt"]);
}

#[test]
fn dateline_index_env_var_is_used_instead_of_the_flag() {
    let dl = Dateline::new();
    let dir = dl.scratch().join("from-env");
    let mut index = Dateline::bare_command();
    index.env("DATELINE_INDEX", &dir).args(["index", ARCHIVE]);
    let out = index.output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(
        dir.join("meta.json").is_file(),
        "index not created in {dir:?}"
    );

    let mut search = Dateline::bare_command();
    search
        .env("DATELINE_INDEX", &dir)
        .args(["search", "--json", "tugboat"]);
    let out = search.output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(hit_ids(&json), [id("2025/03/river-rescue")]);

    let mut stats = Dateline::bare_command();
    stats.env("DATELINE_INDEX", &dir).args(["stats", "--json"]);
    let out = stats.output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["articles"], 24);

    // The flag wins over the variable: this index does not exist.
    let mut cmd = dl.command(&["stats", "--json"]);
    cmd.env("DATELINE_INDEX", &dir);
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains(dl.index_dir().to_str().unwrap()),
        "{stderr:?}"
    );
}

/// Copies the fixture archive into `dir/archive` (for tests that index it
/// from inside, or beside other files).
fn copy_archive(dir: &std::path::Path) -> std::path::PathBuf {
    fn copy(from: &std::path::Path, to: &std::path::Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), &target).unwrap();
            }
        }
    }
    let archive = dir.join("archive");
    copy(&root().join(ARCHIVE), &archive);
    archive
}

#[test]
fn two_paths_with_the_same_folder_name_give_every_article_its_own_id() {
    // Issue #13, item 7: both were `news/100`, and `show news/100` reached
    // only one. (On main: one id for two articles.)
    let dl = Dateline::new();
    let clash = dl.scratch().join("clash");
    for (side, headline) in [
        ("a", "Ferry strike halts crossings"),
        ("b", "Museum reopens whale hall"),
    ] {
        let folder = clash.join(side).join("news");
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(
            folder.join("100"),
            format!("{headline}\n\nThe story of the {side} side.\n"),
        )
        .unwrap();
    }
    let (a, b) = (clash.join("a/news"), clash.join("b/news"));
    let paths = [a.to_str().unwrap(), b.to_str().unwrap()];
    dl.index(&paths).expect_code(0);
    let all = dl.search_set(&["side"]);
    assert_eq!(
        all,
        ["a/news/100", "b/news/100"].map(String::from).into(),
        "ids must be unique"
    );
    assert_eq!(
        dl.show("a/news/100")["headline"],
        "Ferry strike halts crossings"
    );
    assert_eq!(
        dl.show("b/news/100")["headline"],
        "Museum reopens whale hall"
    );

    // The same PATHs, in any order, run after run: the same ids, nothing
    // read again.
    let again = dl.index(&[paths[1], paths[0]]);
    again.expect_code(0);
    assert!(
        again
            .stdout
            .contains("files: 0 new, 0 changed, 2 unchanged, 0 removed"),
        "{:?}",
        again.stdout
    );
    assert_eq!(dl.search_set(&["side"]), all);

    // One root alone keeps the id it always had.
    let alone = Dateline::new();
    alone.index(&[paths[0]]).expect_code(0);
    assert_eq!(alone.search_ids(&["side"]), ["news/100"]);
}

#[test]
fn indexing_the_current_folder_leaves_its_own_index_out() {
    // Issue #13, item 8: `dateline index .` read `./index/meta.json` as an
    // article (13 warnings), and counted it as changed on every run. (On
    // main: warnings, and "1 changed" on the second run.)
    let dir = tempfile::tempdir().unwrap();
    let archive = copy_archive(dir.path());
    let index_here = || {
        let mut cmd = Dateline::bare_command();
        cmd.current_dir(&archive).args(["index", "."]);
        let out = cmd.output().unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
        assert_eq!(stderr, "", "no warnings");
        stdout
    };
    let first = index_here();
    assert!(
        first.starts_with("indexed 24 articles from 24 files into index"),
        "{first:?}"
    );
    assert!(!first.contains("other file"), "{first:?}");
    assert!(archive.join("index/meta.json").is_file());
    let second = index_here();
    assert!(
        second.contains("files: 0 new, 0 changed, 24 unchanged, 0 removed"),
        "an unchanged archive re-runs clean: {second:?}"
    );
}

#[test]
fn an_index_folder_holding_other_files_is_warned_about_once_and_the_run_goes_on() {
    // Issue #13, item 8. (On main: no warning.)
    let dl = Dateline::new();
    std::fs::create_dir_all(dl.index_dir()).unwrap();
    let notes = dl.index_dir().join("notes.txt");
    std::fs::write(&notes, "mine").unwrap();
    let run = dl.index(&[ARCHIVE]);
    run.expect_code(0);
    assert!(
        run.stdout.starts_with("indexed 24 articles"),
        "{:?}",
        run.stdout
    );
    let warnings: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(warnings.len(), 1, "{:?}", run.stderr);
    let index = dl.index_dir().to_str().unwrap();
    assert!(
        warnings[0].starts_with(&format!("dateline: warning: {index}: ")),
        "{warnings:?}"
    );
    assert!(warnings[0].contains("notes.txt"), "{warnings:?}");
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), "mine");

    // An index in a folder of its own says nothing.
    let clean = Dateline::with_archive();
    let run = clean.index(&[ARCHIVE]);
    assert_eq!(run.stderr, "");
}

#[test]
fn an_index_in_the_folder_being_indexed_reads_the_articles_and_not_itself() {
    // `dateline index . --index .`: a warning, the articles, and none of
    // the index's own files read as articles.
    let dir = tempfile::tempdir().unwrap();
    let archive = copy_archive(dir.path());
    for _ in 0..2 {
        let mut cmd = Dateline::bare_command();
        cmd.current_dir(&archive)
            .args(["index", ".", "--index", "."]);
        let out = cmd.output().unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
        assert_eq!(stderr.lines().count(), 1, "one warning: {stderr:?}");
        assert!(stderr.contains("holds other files"), "{stderr:?}");
        assert!(
            !stdout.contains("skipped") && !stdout.contains("other file"),
            "{stdout:?}"
        );
    }
}
