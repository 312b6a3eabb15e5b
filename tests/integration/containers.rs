//! Archives as users download them: `.gz`, `.tar`, `.tar.gz`, `.zip`, read
//! in place, with damaged ones reported and skipped, never fatal.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::common::*;
use flate2::write::GzEncoder;
use flate2::Compression;

const DATED: &str = " date 2025-03-17 Ferry strike halts island crossings\n\n\
    Ferry crews walked out on Monday, halting crossings to the islands.\n";
const UNDATED: &str = "Museum reopens its whale hall\n\nThe museum reopened its whale hall \
    after a two-year renovation.\n";

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

fn tar(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for (name, bytes) in members {
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        builder.append_data(&mut header, name, *bytes).unwrap();
    }
    builder.into_inner().unwrap()
}

fn zip(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in members {
        let options = zip::write::SimpleFileOptions::default();
        writer.start_file(*name, options).unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn a_tar_gz_is_walked_like_a_folder() {
    let dl = Dateline::new();
    let bundle = tar(&[
        ("news/2025/ferry.txt", DATED.as_bytes()),
        ("news/museum.txt", UNDATED.as_bytes()),
        ("news/README.txt", b"About this archive\n\nNot an article."),
        ("news/photo.jpg", b"\xFF\xD8\xFF\xE0 not text"),
        ("news/.hidden.txt", DATED.as_bytes()),
    ]);
    let path = write(dl.scratch(), "in/bundle.tar.gz", &gzip(&bundle));

    let run = dl.index(&[path.to_str().unwrap()]);
    run.expect_code(0);
    assert!(
        run.stdout.starts_with("indexed 2 articles from 2 files"),
        "{}",
        run.stdout
    );
    assert!(run.stderr.is_empty(), "{}", run.stderr);

    let dated = dl.show("bundle.tar.gz::news/2025/ferry.txt");
    assert_eq!(dated["date"], "2025-03-17");
    assert_eq!(dated["headline"], "Ferry strike halts island crossings");
    // The path is the archive, a file that can be opened; the member is named apart.
    assert!(dated["path"]
        .as_str()
        .unwrap()
        .ends_with("in/bundle.tar.gz"));
    assert_eq!(dated["member"], "news/2025/ferry.txt");
    let undated = dl.show("bundle.tar.gz::news/museum.txt");
    assert_eq!(undated["date"], serde_json::Value::Null);
    assert_eq!(undated["headline"], "Museum reopens its whale hall");

    // Re-indexing the archive replaces its articles.
    dl.index(&[path.to_str().unwrap()]).expect_code(0);
    assert_eq!(dl.stats()["articles"], 2);
}

#[test]
fn plain_tar_and_gz_files_are_read_too() {
    let dl = Dateline::new();
    let dir = dl.scratch().join("in");
    write(&dir, "one.tar", &tar(&[("ferry.txt", DATED.as_bytes())]));
    write(&dir, "museum.txt.gz", &gzip(UNDATED.as_bytes()));
    dl.index(&[dir.to_str().unwrap()]).expect_code(0);
    assert_eq!(dl.search_ids(&["ferry"]), ["in/one.tar::ferry.txt"]);
    assert_eq!(dl.search_ids(&["whale"]), ["in/museum.txt.gz"]);
}

#[test]
fn a_zip_member_that_is_not_text_is_skipped_with_a_warning() {
    let dl = Dateline::new();
    let bundle = zip(&[
        ("ferry.txt", DATED.as_bytes()),
        ("scan.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        ("folder/museum.txt", UNDATED.as_bytes()),
    ]);
    let path = write(dl.scratch(), "bundle.zip", &bundle);
    let run = dl.index(&[path.to_str().unwrap()]);
    run.expect_code(0);
    assert!(
        run.stdout.starts_with("indexed 2 articles from 2 files"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("skipped 1 of 3 files (1 binary)"),
        "{}",
        run.stdout
    );
    let warnings: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    assert!(
        warnings[0].contains("bundle.zip::scan.txt: binary data, not text"),
        "{}",
        warnings[0]
    );
    assert_eq!(dl.search_ids(&["whale"]), ["bundle.zip::folder/museum.txt"]);
}

#[test]
fn a_truncated_gzip_is_reported_and_the_rest_indexed() {
    let dl = Dateline::new();
    let dir = dl.scratch().join("in");
    let whole = gzip(DATED.repeat(50).as_bytes());
    write(&dir, "cut.txt.gz", &whole[..whole.len() / 2]);
    write(&dir, "museum.txt.gz", &gzip(UNDATED.as_bytes()));
    write(&dir, "not-gzip.txt.gz", b"plain text pretending");

    let run = dl.index(&[dir.to_str().unwrap()]);
    run.expect_code(0);
    assert!(
        run.stdout.starts_with("indexed 1 article from 1 file"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("skipped 2 of 3 files (2 unreadable)"),
        "{}",
        run.stdout
    );
    for name in ["cut.txt.gz", "not-gzip.txt.gz"] {
        assert!(
            run.stderr
                .lines()
                .any(|l| l.contains(name) && l.contains("corrupt or truncated gzip")),
            "{name}: {}",
            run.stderr
        );
    }
    assert_eq!(dl.search_ids(&["whale"]), ["in/museum.txt.gz"]);
}

#[test]
fn a_tar_gz_cut_off_keeps_the_members_before_the_cut() {
    let dl = Dateline::new();
    let filler = "word ".repeat(4000);
    let big = format!("Long feature\n\n{filler}");
    let bundle = gzip(&tar(&[
        ("a/ferry.txt", DATED.as_bytes()),
        ("a/museum.txt", UNDATED.as_bytes()),
        ("a/long.txt", big.as_bytes()),
    ]));
    let path = write(dl.scratch(), "cut.tar.gz", &bundle[..bundle.len() - 60]);
    let run = dl.index(&[path.to_str().unwrap()]);
    run.expect_code(0);
    assert!(
        run.stdout.starts_with("indexed 2 articles from 2 files"),
        "{}",
        run.stdout
    );
    assert!(run.stderr.contains("cut.tar.gz"), "{}", run.stderr);
    assert!(run.stderr.contains("corrupt or cut off"), "{}", run.stderr);
    assert_eq!(dl.stats()["articles"], 2);
}

#[test]
fn format_can_be_forced_and_a_bad_name_is_an_error() {
    let dl = Dateline::new();
    // Forced to the reference format, a headline-first file has no date line.
    let run = dl.run(&[
        "index",
        "--format",
        "text",
        "tests/fixtures/messy/bad-no-date.txt",
    ]);
    run.expect_code(0);
    assert!(run.stderr.contains("no date line"), "{}", run.stderr);
    let run = dl.run(&[
        "index",
        "--format",
        "headline",
        "tests/fixtures/messy/good-crlf.txt",
    ]);
    run.expect_code(0);
    // Read as headline-first, the date line is the headline.
    assert_eq!(
        dl.show("good-crlf.txt")["headline"],
        "date 2023-05-10 Port workers end strike after pay deal"
    );

    let run = dl.run(&["index", "--format", "pdf", "tests/fixtures/archive"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("unknown format 'pdf'"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("text, headline, reuters, json, mail"),
        "{}",
        run.stderr
    );
    let run = dl.run(&["index", "--field", "title", "tests/fixtures/archive"]);
    run.expect_code(2);
    assert!(run.stderr.contains("PART=KEY"), "{}", run.stderr);
}

#[test]
fn the_bbc_archive_is_indexed_undated_straight_from_its_tar_gz() {
    let Some(bbc) = shared_corpus("bbc") else {
        return;
    };
    let dl = Dateline::new();
    let tarball = bbc.join("bbc-fulltext.tar.gz");
    let run = dl.index(&[tarball.to_str().unwrap()]);
    run.expect_code(0);
    assert!(
        run.stdout
            .starts_with("indexed 2124 articles from 2225 files"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("by format: headline 2124; 2124 undated; 101 duplicates not indexed again"),
        "{}",
        run.stdout
    );
    // The one file that is not UTF-8 is read, not dropped.
    assert!(
        run.stdout.contains("1 file read as Windows-1252"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("skipped"), "{}", run.stdout);

    let stats = dl.stats();
    // The BBC corpus holds 101 articles twice: each is indexed once, and
    // 2,124 + 101 = 2,225 files.
    assert_eq!(stats["articles"], 2124);
    assert_eq!(stats["duplicates"], 101);
    assert_eq!(stats["files"], 1);
    assert_eq!(stats["undated"], 2124);
    assert_eq!(stats["oldest"], serde_json::Value::Null);
    // The one file is an archive of 2,225 members (it said `files 1`).
    assert_eq!(stats["members"], 2225);
    let human = dl.run(&["stats"]);
    human.expect_code(0);
    assert!(
        human
            .stdout
            .contains("files     1 (2,225 archive members)\n"),
        "{}",
        human.stdout
    );
    // Nothing is dated: no `dated - to -`.
    assert!(
        human.stdout.contains("dated     none\n"),
        "{}",
        human.stdout
    );

    // Found by words, with highlights; ids name the member.
    let (code, json) = dl.search(&["headline:\"time warner\""]);
    assert_eq!(code, 0);
    let first = &hits(&json)[0];
    assert_eq!(first["id"], "bbc-fulltext.tar.gz::bbc/business/001.txt");
    assert_eq!(first["headline"], "Ad sales boost Time Warner profit");
    assert_eq!(first["date"], serde_json::Value::Null);
    assert_eq!(
        highlighted_words(first, "headline", "headline_highlights"),
        ["Time", "Warner"]
    );
    // Undated articles are left out by any date filter.
    let (code, json) = dl.search(&["profit", "--from", "1900", "--to", "2100"]);
    assert_eq!((code, total(&json)), (1, 0));
    let article = dl.show("bbc-fulltext.tar.gz::bbc/business/001.txt");
    // No `!` in an id: bash would expand it even inside double quotes.
    let (_, every) = dl.search(&["-n", "all"]);
    assert!(hits(&every)
        .iter()
        .all(|hit| !hit["id"].as_str().unwrap().contains('!')));
    // An id as dateline wrote it before (`archive!/member`) still finds it.
    assert_eq!(
        dl.show("bbc-fulltext.tar.gz!/bbc/business/001.txt"),
        article
    );
    assert!(article["body"]
        .as_str()
        .unwrap()
        .starts_with("Quarterly profits at US media giant TimeWarner"));
}
