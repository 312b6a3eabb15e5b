//! Hostile input: the bad-file matrix. Each case builds its bad input at
//! test time in a temporary folder `news/`, next to a good reference-format
//! article (`news/good.txt`), runs `dateline index` on the folder and checks
//! that the good article is indexed, that the bad file is warned about by
//! path and reason (`dateline: warning: <path>: <reason>`), that the summary
//! line counts right, and the exit status (0 with warnings; 1 with `--strict`).
//!
//! | case | input | what `dateline index` does |
//! | --- | --- | --- |
//! | 1 | empty file | skipped: `empty file` |
//! | 2 | only a date line (with and without a headline) | indexed, empty body |
//! | 3 | binary garbage with NUL bytes | skipped: `binary data, not text` |
//! | 4 | a text file with one NUL byte in the middle | skipped: `binary data, not text` |
//! | 5 | a 200 MB `.txt`; 2 MiB files and members against `--max-article-size` | skipped: `too large`, in bounded memory |
//! | 6 | 100,000-line first paragraph / body, a 100,000-word headline | indexed |
//! | 7 | invalid UTF-8 in a UTF-8 file | indexed, `read as Windows-1252` |
//! | 8 | a symlink loop, without and with `-L` | ignored / `symlink loop` |
//! | 9 | an unreadable folder and file (run as `nobody` when root) | `Permission denied` |
//! | 10 | a file deleted between walk and read (library level) | `No such file` |
//! | 11 | a non-UTF-8 file name | indexed under a lossy id |
//! | 12 | 10,000 files in one folder | all indexed |
//! | 13 | a folder nested 200 deep | indexed |
//! | 14 | a FIFO named `x.txt` (in a folder, and given directly) | ignored (warned when given), no hang |
//!
//! Plus: `--strict` (exit 1 after any skip or warning, everything good still
//! committed), a dangling symlink, and files whose lossy names collide.

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufWriter, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::common::*;

// Library internals, for case 10, which cannot be driven through the binary.
// These follow the library's module paths.
use dateline::internals::container::{self, Item};
use dateline::internals::walk::{Entry, Roots};
use dateline::internals::Origin;
use dateline::DEFAULT_MAX_ARTICLE_SIZE;

/// The good article every case puts next to its bad input.
const GOOD: &str = " date 2025-03-17 Good headline\n\nBody paragraph.\n";

/// No run here should take anywhere near this long; a hang fails instead.
const TIMEOUT: Duration = Duration::from_secs(120);

/// An index in a temporary directory and the folder `news/` beside it,
/// holding the good article.
struct Case {
    dl: Dateline,
    news: PathBuf,
}

impl Case {
    fn new() -> Case {
        let dl = Dateline::new();
        let news = dl.scratch().join("news");
        fs::create_dir(&news).unwrap();
        fs::write(news.join("good.txt"), GOOD).unwrap();
        Case { dl, news }
    }

    /// `news/<name>`.
    fn path(&self, name: &str) -> PathBuf {
        self.news.join(name)
    }

    /// Writes `news/<name>`.
    fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(name);
        fs::write(&path, bytes).unwrap();
        path
    }

    /// `dateline index [FLAGS…] news`.
    fn index(&self, flags: &[&str]) -> Run {
        let mut args: Vec<String> = vec!["index".into()];
        args.extend(flags.iter().map(|f| f.to_string()));
        args.push(self.news.to_str().unwrap().to_string());
        run_timed(self.dl.command(&args).timeout(TIMEOUT))
    }

    /// The good article is in the index, once, whole.
    #[track_caller]
    fn expect_good_indexed(&self) {
        let ids = self.dl.search_ids(&["good headline body paragraph"]);
        assert_eq!(ids, ["news/good.txt"], "the good article is not found");
        let article = self.dl.show("news/good.txt");
        assert_eq!(article["date"], "2025-03-17");
        assert_eq!(article["headline"], "Good headline");
        assert_eq!(article["body"], "Body paragraph.");
    }

    /// `stats --json`'s article count.
    fn articles(&self) -> u64 {
        self.dl.stats()["articles"].as_u64().unwrap()
    }
}

/// The good article is in this index, found by its words.
#[track_caller]
fn good_is_indexed_in(dl: &Dateline) {
    assert_eq!(
        dl.search_ids(&["good headline body paragraph"]),
        ["news/good.txt"]
    );
}

/// Runs a command (with its timeout) and collects what it did.
#[track_caller]
fn run_timed(cmd: &mut assert_cmd::Command) -> Run {
    let started = Instant::now();
    let output = cmd.output().expect("run dateline");
    let run = Run {
        code: output.status.code(),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    };
    assert!(
        run.code.is_some(),
        "killed by a signal after {:.1} s (timed out or crashed): {run:?}",
        started.elapsed().as_secs_f64()
    );
    for bad in ["panicked", "RUST_BACKTRACE", "overflowed its stack"] {
        assert!(!run.stderr.contains(bad), "{bad} on stderr: {}", run.stderr);
    }
    run
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Checks the one summary line on stdout: `indexed A articles from F files`,
/// the `skipped S of F+S files (N kind, …)` part (absent when nothing was
/// skipped) and `N other files not in an article format` (absent for 0).
#[track_caller]
fn expect_summary(run: &Run, articles: u64, files: u64, skipped: &[(&str, u64)], others: u64) {
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "one summary line: {:?}", run.stdout);
    let summary = lines[0];
    let head = format!(
        "indexed {} from {} into ",
        plural(articles, "article", "articles"),
        plural(files, "file", "files")
    );
    assert!(
        summary.starts_with(&head),
        "want {head:?}…, got {summary:?}"
    );
    let skipped: BTreeMap<&str, u64> = skipped.iter().copied().collect();
    let total: u64 = skipped.values().sum();
    if total == 0 {
        assert!(!summary.contains("skipped"), "{summary:?}");
    } else {
        let reasons: Vec<String> = skipped.iter().map(|(k, n)| format!("{n} {k}")).collect();
        let part = format!(
            "; skipped {total} of {} ({})",
            plural(files + total, "file", "files"),
            reasons.join(", ")
        );
        assert!(summary.contains(&part), "want {part:?} in {summary:?}");
    }
    if others == 0 {
        assert!(!summary.contains("not in an article format"), "{summary:?}");
    } else {
        let part = format!(
            "; {} not in an article format",
            plural(others, "other file", "other files")
        );
        assert!(summary.contains(&part), "want {part:?} in {summary:?}");
    }
}

/// Checks stderr holds exactly these warnings, one line each, in any order:
/// `dateline: warning: <path>: …<reason>…`.
#[track_caller]
fn expect_warnings(run: &Run, expected: &[(&Path, &str)]) {
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(
        lines.len(),
        expected.len(),
        "want {} warnings, got: {:?}",
        expected.len(),
        run.stderr
    );
    for line in &lines {
        assert!(line.starts_with("dateline: warning: "), "{line:?}");
    }
    for (path, reason) in expected {
        let prefix = format!("dateline: warning: {}: ", path.display());
        let matching: Vec<&&str> = lines.iter().filter(|l| l.starts_with(&prefix)).collect();
        assert_eq!(matching.len(), 1, "one warning for {prefix:?}: {lines:?}");
        assert!(
            matching[0].contains(reason),
            "warning for {} should say {reason:?}: {:?}",
            path.display(),
            matching[0]
        );
    }
}

/// A `--strict` run that failed ends stderr with one line of its own after
/// the warnings (`dateline: --strict: …`): checks it and returns the run
/// without it, for [`expect_warnings`].
#[track_caller]
fn without_strict_note(run: &Run) -> Run {
    let lines: Vec<&str> = run.stderr.lines().collect();
    let (last, warnings) = lines.split_last().expect("stderr is not empty");
    assert!(
        last.starts_with("dateline: ") && last.contains("--strict"),
        "want a last line about --strict: {:?}",
        run.stderr
    );
    Run {
        code: run.code,
        stdout: run.stdout.clone(),
        stderr: warnings.iter().map(|l| format!("{l}\n")).collect(),
    }
}

/// Deterministic pseudo-random bytes (xorshift), with NUL bytes among them.
fn garbage(len: usize) -> Vec<u8> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut bytes: Vec<u8> = (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect();
    bytes[len / 2] = 0;
    bytes
}

// 1. An empty file.
#[test]
fn empty_file_is_skipped_with_a_warning() {
    let case = Case::new();
    let empty = case.write("empty.txt", "");
    let run = case.index(&[]);
    run.expect_code(0);
    expect_warnings(&run, &[(&empty, "empty file")]);
    expect_summary(&run, 1, 1, &[("empty", 1)], 0);
    assert_eq!(case.articles(), 1);
    case.expect_good_indexed();
}

// 2. Only a date line. The reference format allows an article with no body
// (tests/fixtures/messy/good-headline-only.txt), so this is an article.
// Without a headline either, it is still indexed: an article with no text.
#[test]
fn a_file_with_only_a_date_line_is_an_article_with_an_empty_body() {
    let case = Case::new();
    case.write("date-only.txt", " date 2025-03-17 Headline");
    case.write("date-no-headline.txt", " date 2025-03-18\n");
    let run = case.index(&[]);
    run.expect_code(0);
    expect_warnings(&run, &[]);
    expect_summary(&run, 3, 3, &[], 0);
    assert_eq!(case.articles(), 3);
    case.expect_good_indexed();

    let article = case.dl.show("news/date-only.txt");
    assert_eq!(article["date"], "2025-03-17");
    assert_eq!(article["headline"], "Headline");
    assert_eq!(article["body"], "");

    // Nothing to search for, but it is there (and listed by date).
    let article = case.dl.show("news/date-no-headline.txt");
    assert_eq!(article["date"], "2025-03-18");
    assert_eq!(article["headline"], "");
    assert_eq!(article["body"], "");
    assert_eq!(
        case.dl.search_ids(&["--on", "2025-03-18"]),
        ["news/date-no-headline.txt"]
    );
}

// 3. Binary garbage.
#[test]
fn binary_garbage_is_skipped_as_binary() {
    let case = Case::new();
    let bin = case.write("garbage.txt", garbage(64 * 1024));
    // Without an extension it is read too (Usenet spools): same outcome.
    let bare = case.write("garbage", garbage(4096));
    let run = case.index(&[]);
    run.expect_code(0);
    expect_warnings(
        &run,
        &[
            (&bin, "binary data, not text"),
            (&bare, "binary data, not text"),
        ],
    );
    expect_summary(&run, 1, 1, &[("binary", 2)], 0);
    assert_eq!(case.articles(), 1);
    case.expect_good_indexed();
}

// 4. One NUL byte in an otherwise good article: the whole file is binary
// (as the README documents).
#[test]
fn a_single_nul_byte_makes_a_text_file_binary() {
    let case = Case::new();
    let nul = case.write(
        "nul.txt",
        b" date 2025-03-17 Lighthouse keeper retires\n\nAfter forty\0 years.\n",
    );
    let run = case.index(&[]);
    run.expect_code(0);
    expect_warnings(&run, &[(&nul, "binary data, not text")]);
    expect_summary(&run, 1, 1, &[("binary", 1)], 0);
    assert_eq!(case.articles(), 1);
    assert_eq!(case.dl.count(&["lighthouse"]), 0);
    case.expect_good_indexed();
}

/// Writes a reference-format article of at least `size` bytes: a date line,
/// then paragraphs of text, written 64 KiB at a time.
fn write_big_article(path: &Path, size: usize) {
    let mut chunk = String::with_capacity(64 * 1024);
    let line = "The committee heard evidence for another long day of testimony.\n";
    while chunk.len() + line.len() + 1 < 64 * 1024 {
        chunk.push_str(line);
    }
    chunk.push('\n');
    let mut out = BufWriter::with_capacity(1 << 20, fs::File::create(path).unwrap());
    out.write_all(b" date 2025-03-17 Inquiry hears marathon testimony\n\n")
        .unwrap();
    let mut written = 0;
    while written < size {
        out.write_all(chunk.as_bytes()).unwrap();
        written += chunk.len();
    }
    out.flush().unwrap();
}

/// Runs the binary, watching its peak resident memory (`VmHWM`) in
/// `/proc`: returns what it did and the highest peak seen, in KiB.
fn run_watching_memory(args: &[String]) -> (Run, u64) {
    let out_dir = tempfile::tempdir().unwrap();
    let stdout = out_dir.path().join("stdout");
    let stderr = out_dir.path().join("stderr");
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_dateline"));
    cmd.current_dir(root())
        .args(args)
        .stdout(fs::File::create(&stdout).unwrap())
        .stderr(fs::File::create(&stderr).unwrap());
    for var in READ_BY_DATELINE {
        cmd.env_remove(var);
    }
    let started = Instant::now();
    let mut child = cmd.spawn().unwrap();
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kib = 0;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > TIMEOUT {
            child.kill().unwrap();
            panic!("dateline {args:?} still running after {TIMEOUT:?}");
        }
        // (Gone, or a zombie without memory lines, once it has exited.)
        let hwm = fs::read_to_string(&status_file).ok().and_then(|text| {
            text.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        });
        peak_kib = peak_kib.max(hwm.unwrap_or(0));
        std::thread::sleep(Duration::from_millis(5));
    };
    let run = Run {
        code: status.code(),
        stdout: fs::read_to_string(stdout).unwrap(),
        stderr: fs::read_to_string(stderr).unwrap(),
    };
    (run, peak_kib)
}

// 5. A 200 MB article: over the default --max-article-size (16 MiB), so it
// is skipped with a warning, without ever being held in memory whole.
#[test]
fn a_200_mb_file_is_skipped_as_too_large_in_bounded_memory() {
    let case = Case::new();
    let huge = case.path("huge.txt");
    write_big_article(&huge, 200 * 1000 * 1000);
    let args: Vec<String> = vec![
        "--index".into(),
        case.dl.index_dir().to_str().unwrap().into(),
        "index".into(),
        case.news.to_str().unwrap().into(),
    ];
    let (run, peak_kib) = run_watching_memory(&args);
    run.expect_code(0);
    expect_warnings(&run, &[(&huge, "too large: ")]);
    let warning = run.stderr.lines().next().unwrap();
    assert!(
        warning.contains(" is over the ") && warning.ends_with(" limit (--max-article-size)"),
        "the warning says which flag sets the limit: {warning:?}"
    );
    expect_summary(&run, 1, 1, &[("too large", 1)], 0);
    assert_eq!(case.articles(), 1);
    assert_eq!(case.dl.count(&["testimony"]), 0);
    case.expect_good_indexed();
    // Reading the file whole would take 200 MB at least.
    eprintln!("peak resident memory: {} MiB", peak_kib / 1024);
    assert!(
        peak_kib > 0 && peak_kib < 120 * 1024,
        "peak resident memory {} MiB while skipping a 200 MB file",
        peak_kib / 1024
    );
}

// 5b. The limit is a flag: a 2 MiB article is skipped under 1M, read under 4M.
#[test]
fn max_article_size_skips_or_admits_a_2_mib_file() {
    let case = Case::new();
    let big = case.path("big.txt");
    write_big_article(&big, 2 * 1024 * 1024);

    for limit in ["1M", "2000K", "1MiB"] {
        let dl = Dateline::new();
        let mut args = vec!["index", "--max-article-size", limit];
        args.push(case.news.to_str().unwrap());
        let run = run_timed(dl.command(&args).timeout(TIMEOUT));
        run.expect_code(0);
        expect_warnings(&run, &[(&big, "too large: ")]);
        assert!(
            run.stderr.contains("(--max-article-size)"),
            "{limit}: {:?}",
            run.stderr
        );
        expect_summary(&run, 1, 1, &[("too large", 1)], 0);
        assert_eq!(dl.count(&["testimony"]), 0, "{limit}");
        good_is_indexed_in(&dl);
    }

    // (Once: a debug build takes seconds to index 2 MiB.)
    let dl = Dateline::new();
    let mut args = vec!["index", "--max-article-size", "4M"];
    args.push(case.news.to_str().unwrap());
    let run = run_timed(dl.command(&args).timeout(TIMEOUT));
    run.expect_code(0);
    expect_warnings(&run, &[]);
    expect_summary(&run, 2, 2, &[], 0);
    assert_eq!(dl.search_ids(&["testimony"]), ["news/big.txt"]);
    assert_eq!(dl.count(&["good headline"]), 1);

    // The limit is inclusive, to the byte: the good article is exactly
    // GOOD.len() bytes.
    let good = case.path("good.txt");
    for (limit, skipped) in [(GOOD.len(), false), (GOOD.len() - 1, true)] {
        let dl = Dateline::new();
        let limit = limit.to_string();
        let mut args = vec!["index", "--max-article-size", &limit];
        args.push(case.news.to_str().unwrap());
        let run = run_timed(dl.command(&args).timeout(TIMEOUT));
        run.expect_code(0);
        if skipped {
            expect_warnings(&run, &[(&big, "too large: "), (&good, "too large: ")]);
            expect_summary(&run, 0, 0, &[("too large", 2)], 0);
        } else {
            expect_warnings(&run, &[(&big, "too large: ")]);
            expect_summary(&run, 1, 1, &[("too large", 1)], 0);
            good_is_indexed_in(&dl);
        }
    }

    // A size that is not one is an error, before anything is read.
    let dl = Dateline::new();
    let mut args = vec!["index", "--max-article-size", "lots"];
    args.push(case.news.to_str().unwrap());
    let run = run_timed(dl.command(&args).timeout(TIMEOUT));
    run.expect_code(2);
    assert!(
        run.stderr.contains("--max-article-size"),
        "{:?}",
        run.stderr
    );
    assert!(!dl.index_dir().join("meta.json").exists());
}

// 5c. A file skipped as too large is read once the limit is raised, on the
// same index: the skip must not be remembered as "indexed, unchanged".
#[test]
fn a_file_skipped_as_too_large_is_read_when_the_limit_is_raised() {
    let case = Case::new();
    let big = case.path("big.txt");
    write_big_article(&big, 2 * 1024 * 1024);
    let run1 = case.index(&["--max-article-size", "1M"]);
    run1.expect_code(0);
    expect_warnings(&run1, &[(&big, "too large: ")]);
    assert_eq!(case.articles(), 1);

    let run2 = case.index(&["--max-article-size", "4M"]);
    run2.expect_code(0);
    expect_warnings(&run2, &[]);
    expect_summary(&run2, 1, 1, &[], 0);
    assert!(
        run2.stdout
            .contains("files: 1 new, 0 changed, 1 unchanged, 0 removed"),
        "{:?}",
        run2.stdout
    );
    assert_eq!(
        case.dl.search_ids(&["testimony"]),
        ["news/big.txt"],
        "after raising the limit: {}",
        run2.stdout
    );
    assert_eq!(case.articles(), 2);
    case.expect_good_indexed();
}

// 5d. The limit holds for what a container holds, not what it weighs: a
// small .gz that inflates to 4 MiB, and a 4 MiB member of a .tar.gz.
#[test]
fn max_article_size_applies_to_gzip_contents_and_archive_members() {
    let case = Case::new();
    let big = case.path("big.txt");
    write_big_article(&big, 4 * 1024 * 1024);
    let text = fs::read(&big).unwrap();
    fs::remove_file(&big).unwrap();

    let gz = case.path("bomb.txt.gz");
    let mut encoder =
        flate2::write::GzEncoder::new(fs::File::create(&gz).unwrap(), flate2::Compression::fast());
    encoder.write_all(&text).unwrap();
    encoder.finish().unwrap();
    assert!(fs::metadata(&gz).unwrap().len() < 1024 * 1024);

    let tgz = case.path("bundle.tar.gz");
    let encoder =
        flate2::write::GzEncoder::new(fs::File::create(&tgz).unwrap(), flate2::Compression::fast());
    let mut tar = tar::Builder::new(encoder);
    for (name, bytes) in [
        ("bundle/huge.txt", text.as_slice()),
        (
            "bundle/small.txt",
            b" date 2025-03-18 Small member stays\n\nTiny body.\n".as_slice(),
        ),
    ] {
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        tar.append_data(&mut header, name, bytes).unwrap();
    }
    tar.into_inner().unwrap().finish().unwrap();

    let run = case.index(&["--max-article-size", "1M"]);
    run.expect_code(0);
    let member = PathBuf::from(format!("{}::bundle/huge.txt", tgz.display()));
    expect_warnings(&run, &[(&gz, "too large: "), (&member, "too large: ")]);
    expect_summary(&run, 2, 2, &[("too large", 2)], 0);
    assert_eq!(case.dl.count(&["testimony"]), 0);
    assert_eq!(
        case.dl.search_ids(&["small member"]),
        ["news/bundle.tar.gz::bundle/small.txt"]
    );
    case.expect_good_indexed();
}

// 6. A 100,000-line "headline": an undated headline-first file whose first
// paragraph is 100,000 lines, a date line followed by 100,000 lines with no
// blank line, and a headline of 100,000 words on the date line itself.
#[test]
fn a_100000_line_headline_is_indexed_not_a_crash() {
    let case = Case::new();
    let lines = |last: &str| {
        let mut text = String::new();
        for i in 0..100_000 {
            // Short lines of few distinct words: the count is the point,
            // and debug builds index new words slowly.
            text.push_str(&format!("w{}\n", i % 1000));
        }
        text.push_str(last);
        text.push('\n');
        text
    };
    case.write("undated-long.txt", lines("zebraquartz"));
    case.write(
        "dated-long.txt",
        format!(" date 2025-03-19 Endless\n{}", lines("ocelotmarble")),
    );
    let mut long_headline = String::from(" date 2025-03-20");
    for i in 0..100_000 {
        long_headline.push_str(&format!(" w{}", i % 1000));
    }
    long_headline.push_str(" pangolinviolet\n\nShort body.\n");
    case.write("one-line-headline.txt", &long_headline);

    let run = case.index(&[]);
    run.expect_code(0);
    expect_warnings(&run, &[]);
    expect_summary(&run, 4, 4, &[], 0);
    assert!(run.stdout.contains("1 undated"), "{:?}", run.stdout);
    assert_eq!(case.articles(), 4);
    case.expect_good_indexed();

    // The first line is the headline; the rest is body, all of it.
    let article = case.dl.show("news/undated-long.txt");
    assert_eq!(article["headline"], "w0");
    assert_eq!(article["body"].as_str().unwrap().lines().count(), 100_000);
    assert_eq!(article["date"], serde_json::Value::Null);
    assert_eq!(
        case.dl.search_ids(&["body:zebraquartz"]),
        ["news/undated-long.txt"]
    );
    let article = case.dl.show("news/dated-long.txt");
    assert_eq!(article["headline"], "Endless");
    assert_eq!(article["body"].as_str().unwrap().lines().count(), 100_001);
    assert_eq!(
        case.dl.search_ids(&["body:ocelotmarble"]),
        ["news/dated-long.txt"]
    );
    assert_eq!(
        case.dl.search_ids(&["headline:pangolinviolet"]),
        ["news/one-line-headline.txt"]
    );
    let article = case.dl.show("news/one-line-headline.txt");
    let headline = article["headline"].as_str().unwrap();
    assert_eq!(headline.split(' ').count(), 100_001);
    assert_eq!(article["body"], "Short body.");
}

// 7. One invalid byte in a UTF-8 file.
#[test]
fn invalid_utf8_in_the_middle_is_read_as_windows_1252() {
    let case = Case::new();
    let mut bytes = " date 2025-03-17 Harbour ferry resumes service — naïve\n\n"
        .as_bytes()
        .to_vec();
    bytes.extend_from_slice("Crews cleared the slipway early.\n\n".as_bytes());
    bytes.extend_from_slice(b"The caf\xe9 on the quay reopened too.\n");
    let latin = case.write("latin.txt", &bytes);
    let run = case.index(&[]);
    run.expect_code(0);
    expect_warnings(&run, &[(&latin, "not valid UTF-8; read as Windows-1252")]);
    expect_summary(&run, 2, 2, &[], 0);
    assert!(
        run.stdout.contains("; 1 file read as Windows-1252"),
        "{:?}",
        run.stdout
    );
    assert_eq!(case.dl.search_ids(&["harbour ferry"]), ["news/latin.txt"]);
    assert_eq!(case.dl.search_ids(&["café"]), ["news/latin.txt"]);
    let body = case.dl.show("news/latin.txt")["body"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(body.contains("The café on the quay"), "{body:?}");
    // The UTF-8 in the same file is read as UTF-8, not as Windows-1252.
    assert_eq!(
        case.dl.show("news/latin.txt")["headline"],
        "Harbour ferry resumes service — naïve"
    );
    case.expect_good_indexed();
}

// 8a. A symlink loop, links not followed: the link is not a file, and is
// passed over silently like any other non-article entry.
#[test]
fn a_symlink_loop_is_passed_over_without_follow_links() {
    let case = Case::new();
    std::os::unix::fs::symlink(&case.news, case.path("loop")).unwrap();
    let run = case.index(&[]);
    run.expect_code(0);
    expect_warnings(&run, &[]);
    expect_summary(&run, 1, 1, &[], 1);
    assert_eq!(case.articles(), 1);
    case.expect_good_indexed();
}

// 8b. A symlink loop with -L / --follow-links: reported, not walked forever.
#[test]
fn a_symlink_loop_is_reported_with_follow_links() {
    for flag in ["-L", "--follow-links"] {
        let case = Case::new();
        let link = case.path("loop");
        std::os::unix::fs::symlink(&case.news, &link).unwrap();
        let run = case.index(&[flag]);
        run.expect_code(0);
        expect_warnings(&run, &[(&link, "symlink loop")]);
        expect_summary(&run, 1, 1, &[("unreadable", 1)], 0);
        assert_eq!(case.articles(), 1, "{flag}");
        case.expect_good_indexed();
    }
}

// A link to nothing, like a file deleted after it was listed: reported.
#[test]
fn a_dangling_symlink_is_reported() {
    let case = Case::new();
    let link = case.path("gone.txt");
    std::os::unix::fs::symlink(case.path("never-there.txt"), &link).unwrap();
    let run = case.index(&[]);
    run.expect_code(0);
    expect_warnings(&run, &[(&link, "No such file or directory")]);
    expect_summary(&run, 1, 1, &[("unreadable", 1)], 0);
    case.expect_good_indexed();
}

/// The effective user id, from `/proc/self/status`.
fn effective_uid() -> u32 {
    let status = fs::read_to_string("/proc/self/status").unwrap();
    let uids = status
        .lines()
        .find_map(|line| line.strip_prefix("Uid:"))
        .expect("a Uid line");
    uids.split_whitespace().nth(1).unwrap().parse().unwrap()
}

fn chmod(path: &Path, mode: u32) {
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

// 9. A folder and a file without read permission. Root reads through
// chmod 000, so as root the binary runs as nobody (uid 65534) via setpriv.
#[test]
fn unreadable_folder_and_file_are_reported_and_the_rest_indexed() {
    let case = Case::new();
    let secret = case.write("secret.txt", " date 2025-03-17 Secret memo\n\nHidden.\n");
    let locked = case.path("locked");
    fs::create_dir(&locked).unwrap();
    fs::write(
        locked.join("inner.txt"),
        " date 2025-03-17 Locked away\n\nInside.\n",
    )
    .unwrap();

    let mut cmd = if effective_uid() == 0 {
        let Some(setpriv) = ["/usr/bin/setpriv", "/bin/setpriv"]
            .into_iter()
            .map(Path::new)
            .find(|p| p.exists())
        else {
            eprintln!(
                "skipping: running as root, where chmod 000 does not stop reads, \
                 and setpriv (to run as nobody) is not installed"
            );
            return;
        };
        let as_nobody = |args: &[&str]| {
            let mut cmd = assert_cmd::Command::new(setpriv);
            cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                .arg(env!("CARGO_BIN_EXE_dateline"))
                .args(args)
                .current_dir(root())
                .timeout(TIMEOUT);
            for var in READ_BY_DATELINE {
                cmd.env_remove(var);
            }
            cmd
        };
        let probe = as_nobody(&["--version"]).output().unwrap();
        if !probe.status.success() {
            eprintln!(
                "skipping: running as root and the binary cannot be run as nobody \
                 (is the target folder private?): {}",
                String::from_utf8_lossy(&probe.stderr)
            );
            return;
        }
        // nobody must reach the folder and create the index beside it.
        chmod(case.dl.scratch(), 0o777);
        chmod(&case.news, 0o755);
        chmod(&case.path("good.txt"), 0o644);
        let index = case.dl.index_dir().to_str().unwrap();
        as_nobody(&["--index", index, "index", case.news.to_str().unwrap()])
    } else {
        let mut args = vec!["index".to_string()];
        args.push(case.news.to_str().unwrap().to_string());
        case.dl.command(&args)
    };
    chmod(&secret, 0o000);
    chmod(&locked, 0o000);
    let run = run_timed(cmd.timeout(TIMEOUT));
    // Let the temporary folder be removed, whoever we are.
    chmod(&locked, 0o755);
    chmod(&secret, 0o644);

    run.expect_code(0);
    expect_warnings(
        &run,
        &[
            (&locked, "Permission denied"),
            (&secret, "Permission denied"),
        ],
    );
    expect_summary(&run, 1, 1, &[("unreadable", 2)], 0);
    assert_eq!(case.articles(), 1);
    assert_eq!(case.dl.count(&["secret OR locked"]), 0);
    case.expect_good_indexed();
}

// 10. A file deleted between the walk and the read. That cannot be timed
// from outside the process, so this drives the library: walk, delete, open.
#[test]
fn a_file_deleted_between_walk_and_read_is_unreadable_not_a_crash() {
    const READING: container::ReadLimits = container::ReadLimits {
        limit: DEFAULT_MAX_ARTICLE_SIZE,
        pieces: true,
    };

    let case = Case::new();
    let doomed = case.write("doomed.txt", " date 2025-03-17 Soon gone\n\nBody.\n");
    let archive = Roots::new(std::slice::from_ref(&case.news), false).unwrap();
    let files: Vec<_> = archive
        .entries()
        .map(|entry| match entry {
            Entry::File(file) => file,
            other => panic!("unexpected entry {other:?}"),
        })
        .collect();
    let ids: Vec<&str> = files.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, ["news/doomed.txt", "news/good.txt"]);

    fs::remove_file(&doomed).unwrap();
    let mut items = Vec::new();
    let origin = Origin {
        id: files[0].id.clone(),
        path: files[0].absolute.display().to_string(),
    };
    let hash = container::open(&files[0].path, files[0].len, origin, READING, &mut |item| {
        items.push(item);
        true
    });
    assert_eq!(hash, None, "no fingerprint for a file that was not read");
    assert_eq!(items.len(), 1, "{items:?}");
    match &items[0] {
        Item::Unreadable { shown, reason } => {
            assert_eq!(shown, &doomed.display().to_string());
            assert!(reason.contains("No such file"), "{reason:?}");
        }
        other => panic!("want Item::Unreadable, got {other:?}"),
    }

    // The other file opens as usual.
    let mut items = Vec::new();
    let origin = Origin {
        id: files[1].id.clone(),
        path: files[1].absolute.display().to_string(),
    };
    let hash = container::open(&files[1].path, files[1].len, origin, READING, &mut |item| {
        items.push(item);
        true
    });
    assert!(hash.is_some());
    assert!(
        matches!(&items[..], [Item::Member(m)] if m.bytes == GOOD.as_bytes()),
        "{items:?}"
    );
}

// 11. A file name that is not UTF-8: indexed under an id with the byte
// that is not UTF-8 written `\xE9`.
#[test]
fn a_non_utf8_file_name_is_indexed_under_an_escaped_id() {
    let case = Case::new();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.txt");
    fs::write(
        case.news.join(name),
        " date 2025-03-17 Espresso machine breaks down\n\nQueues.\n",
    )
    .unwrap();
    let run = case.index(&[]);
    run.expect_code(0);
    expect_warnings(&run, &[]);
    expect_summary(&run, 2, 2, &[], 0);
    let id = r"news/caf\xE9.txt";
    assert_eq!(case.dl.search_ids(&["espresso"]), [id]);
    let article = case.dl.show(id);
    assert_eq!(article["headline"], "Espresso machine breaks down");
    case.expect_good_indexed();

    // Indexing again finds nothing changed.
    let again = case.index(&[]);
    again.expect_code(0);
    assert!(
        again
            .stdout
            .contains("files: 0 new, 0 changed, 2 unchanged, 0 removed"),
        "{:?}",
        again.stdout
    );
    assert_eq!(case.articles(), 2);
}

/// Two files whose names differ only in a byte that is not UTF-8, so that
/// they read the same when made lossy (`caf\u{FFFD}.txt`).
fn colliding_names() -> Case {
    let case = Case::new();
    fs::write(
        case.news.join(std::ffi::OsStr::from_bytes(b"caf\xe9.txt")),
        " date 2025-03-17 Espresso machine breaks down\n\nQueues.\n",
    )
    .unwrap();
    fs::write(
        case.news.join(std::ffi::OsStr::from_bytes(b"caf\xe8.txt")),
        " date 2025-03-18 Croissant shortage hits bakery\n\nLonger queues still.\n",
    )
    .unwrap();
    case
}

// Both articles are indexed, and indexing again (nothing changed) must not
// lose them.
#[test]
fn non_utf8_names_that_collide_when_lossy_keep_both_articles_on_a_rerun() {
    let case = colliding_names();
    let run = case.index(&[]);
    run.expect_code(0);
    expect_summary(&run, 3, 3, &[], 0);
    assert_eq!(case.articles(), 3);
    assert_eq!(case.dl.count(&["espresso"]), 1);
    assert_eq!(case.dl.count(&["croissant"]), 1);

    let again = case.index(&[]);
    again.expect_code(0);
    assert_eq!(
        case.articles(),
        3,
        "articles lost by indexing unchanged files again: {}",
        again.stdout
    );
    assert_eq!(case.dl.count(&["espresso"]), 1, "{}", again.stdout);
    assert_eq!(case.dl.count(&["croissant"]), 1, "{}", again.stdout);
}

// Ids are stable names for articles: two files must not share one.
#[test]
fn non_utf8_names_that_collide_when_lossy_get_distinct_ids() {
    let case = colliding_names();
    case.index(&[]).expect_code(0);
    let espresso = case.dl.search_ids(&["espresso"]);
    let croissant = case.dl.search_ids(&["croissant"]);
    assert_eq!((espresso.len(), croissant.len()), (1, 1));
    assert_eq!(espresso, [r"news/caf\xE9.txt"]);
    assert_eq!(croissant, [r"news/caf\xE8.txt"]);
}

// 12. 10,000 files in one folder.
#[test]
fn ten_thousand_files_in_one_folder_are_all_indexed() {
    let case = Case::new();
    for i in 0..10_000 {
        fs::write(
            case.path(&format!("story-{i:05}.txt")),
            format!(" date 2025-03-17 Dispatch number {i}\n\nCorrespondent filed story {i}.\n"),
        )
        .unwrap();
    }
    let run = case.index(&["--threads", "2"]);
    run.expect_code(0);
    expect_warnings(&run, &[]);
    expect_summary(&run, 10_001, 10_001, &[], 0);
    assert_eq!(case.articles(), 10_001);
    assert_eq!(case.dl.count(&["correspondent"]), 10_000);
    assert_eq!(
        case.dl.search_ids(&["headline:9999"]),
        ["news/story-09999.txt"]
    );
    case.expect_good_indexed();
}

// 13. A folder nested 200 deep, with an article at the bottom.
#[test]
fn a_folder_nested_200_deep_is_walked_to_the_bottom() {
    let case = Case::new();
    let mut deep = case.news.clone();
    for _ in 0..200 {
        deep.push("d");
    }
    fs::create_dir_all(&deep).unwrap();
    fs::write(
        deep.join("bottom.txt"),
        " date 2025-03-17 Cave divers reach the bottom\n\nAt last.\n",
    )
    .unwrap();
    let run = case.index(&[]);
    run.expect_code(0);
    expect_warnings(&run, &[]);
    expect_summary(&run, 2, 2, &[], 0);
    let id = format!("news/{}bottom.txt", "d/".repeat(200));
    assert_eq!(case.dl.search_ids(&["cave divers"]), [id]);
    case.expect_good_indexed();
}

// 14. A named pipe called x.txt: opening it would block forever.
#[test]
fn a_fifo_named_like_an_article_is_ignored_without_hanging() {
    let case = Case::new();
    let fifo = case.path("x.txt");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());

    let mut args = vec!["index".to_string()];
    args.push(case.news.to_str().unwrap().to_string());
    let run = run_timed(case.dl.command(&args).timeout(Duration::from_secs(60)));
    run.expect_code(0);
    expect_warnings(&run, &[]);
    expect_summary(&run, 1, 1, &[], 1);
    assert_eq!(case.articles(), 1);
    case.expect_good_indexed();

    // Given directly, too: not read, no hang, and said why.
    let dl = Dateline::new();
    let direct = vec!["index".to_string(), fifo.to_str().unwrap().to_string()];
    let run = run_timed(dl.command(&direct).timeout(Duration::from_secs(60)));
    run.expect_code(0);
    expect_summary(&run, 0, 0, &[("unreadable", 1)], 0);
    expect_warnings(&run, &[(&fifo, "not a regular file")]);
}

/// A folder with a little of everything bad, and one good article.
fn messy_case() -> (Case, Vec<PathBuf>) {
    let case = Case::new();
    let empty = case.write("empty.txt", "");
    let binary = case.write("garbage.txt", garbage(1024));
    let latin = case.write("latin.txt", b" date 2025-03-18 Caf\xe9 opens\n\nYes.\n");
    (case, vec![empty, binary, latin])
}

#[test]
fn strict_exits_1_after_skips_and_warnings_but_keeps_the_good_articles() {
    let (case, bad) = messy_case();
    let run = case.index(&["--strict"]);
    run.expect_code(1);
    expect_warnings(
        &without_strict_note(&run),
        &[
            (&bad[0], "empty file"),
            (&bad[1], "binary data, not text"),
            (&bad[2], "read as Windows-1252"),
        ],
    );
    expect_summary(&run, 2, 2, &[("binary", 1), ("empty", 1)], 0);
    // Committed all the same.
    assert_eq!(case.articles(), 2);
    assert_eq!(case.dl.search_ids(&["café"]), ["news/latin.txt"]);
    case.expect_good_indexed();

    // Without --strict the same folder exits 0, with the same warnings.
    let (plain, _) = messy_case();
    let run = plain.index(&[]);
    run.expect_code(0);
    assert_eq!(run.stderr.lines().count(), 3, "{:?}", run.stderr);
    assert_eq!(plain.articles(), 2);
}

#[test]
fn strict_exits_1_after_a_warning_alone() {
    let case = Case::new();
    let latin = case.write("latin.txt", b" date 2025-03-18 Caf\xe9 opens\n\nYes.\n");
    let run = case.index(&["--strict"]);
    run.expect_code(1);
    expect_warnings(
        &without_strict_note(&run),
        &[(&latin, "read as Windows-1252")],
    );
    expect_summary(&run, 2, 2, &[], 0);
    assert_eq!(case.articles(), 2);
    case.expect_good_indexed();
}

#[test]
fn strict_exits_0_on_a_clean_folder() {
    let case = Case::new();
    case.write(
        "second.txt",
        " date 2025-03-18 Second story\n\nAnother body.\n",
    );
    // A file that is not in an article format is passed over, not a warning.
    case.write("notes.md", "# notes\n");
    let run = case.index(&["--strict"]);
    run.expect_code(0);
    expect_warnings(&run, &[]);
    expect_summary(&run, 2, 2, &[], 1);
    assert_eq!(case.articles(), 2);
    case.expect_good_indexed();
}

// Limits, JSON lines: a JSON-lines file holds many articles, so the limit is
// on each line, not on the file, which is read a piece (of whole lines) at
// a time. Line numbers, ids and problems come out as if it were read whole.
#[test]
fn a_json_lines_file_over_the_limit_is_read_in_pieces() {
    let case = Case::new();
    let padding = "word ".repeat(40);
    let mut text = String::new();
    let lines = 30_000;
    for line in 1..=lines {
        let object = match line {
            // The same id key in the first piece and in a later one.
            10 | 25_000 => format!(r#"{{"id": "dup", "headline": "Twin {line}", "body": "b"}}"#),
            // A line far over the limit, and a broken one, in later pieces.
            20_000 => format!(
                r#"{{"headline": "Huge", "body": "{}"}}"#,
                "x".repeat(1_500_000)
            ),
            22_222 => "{not json".to_string(),
            _ => format!(
                r#"{{"date": "2025-03-17", "headline": "Dispatch {line}", "body": "{padding}"}}"#
            ),
        };
        text.push_str(&object);
        text.push('\n');
    }
    assert!(text.len() > 8 << 20, "several pieces of 1 MiB");
    let feed = case.write("feed.jsonl", &text);

    let run = case.index(&["--max-article-size", "1M"]);
    run.expect_code(0);
    // Every line but the huge and the broken one; the good file besides.
    expect_summary(&run, lines - 2 + 1, 2, &[], 0);
    case.expect_good_indexed();
    assert_eq!(case.articles(), lines - 2 + 1);

    // Ids by line number, right in every piece.
    let last = case.dl.show("news/feed.jsonl#30000");
    assert_eq!(last["headline"], "Dispatch 30000");
    assert_eq!(
        case.dl.search_ids(&["headline:dispatch", "headline:29999"]),
        ["news/feed.jsonl#29999"]
    );
    // Ids stay unique across pieces.
    assert_eq!(case.dl.show("news/feed.jsonl#dup")["headline"], "Twin 10");
    assert_eq!(
        case.dl.show("news/feed.jsonl#dup-25000")["headline"],
        "Twin 25000"
    );
    // One warning per problem, naming the file and the line.
    let prefix = format!("dateline: warning: {}: ", feed.display());
    let warnings: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(warnings.len(), 3, "{warnings:?}");
    assert!(
        warnings.iter().all(|w| w.starts_with(&prefix)),
        "{warnings:?}"
    );
    for (line, reason) in [
        (
            20_000,
            "longer than the 1.00 MiB limit (--max-article-size); left out",
        ),
        (22_222, "invalid JSON"),
        (25_000, "id 'dup' was already used at line 10"),
    ] {
        let want = format!("{prefix}line {line}: {reason}");
        assert!(
            warnings.iter().any(|w| w.starts_with(&want)),
            "want {want:?} in {warnings:?}"
        );
    }

    // Unchanged, it is left alone; the same read from a .gz gives the same.
    let again = case.index(&["--max-article-size", "1M"]);
    again.expect_code(0);
    assert!(again.stdout.contains("2 unchanged"), "{}", again.stdout);
    fs::remove_file(&feed).unwrap();
    let mut gz = flate2::write::GzEncoder::new(
        fs::File::create(case.path("feed.jsonl.gz")).unwrap(),
        flate2::Compression::fast(),
    );
    gz.write_all(text.as_bytes()).unwrap();
    gz.finish().unwrap();
    let run = case.index(&["--max-article-size", "1M"]);
    run.expect_code(0);
    assert_eq!(case.articles(), lines - 2 + 1);
    assert_eq!(
        case.dl.show("news/feed.jsonl.gz#30000")["headline"],
        "Dispatch 30000"
    );
}

// A file name with a newline and an escape in it: its warning is still one
// line, and nothing the file's name holds reaches the terminal raw.
#[test]
fn a_warning_about_a_strange_name_is_one_line() {
    let case = Case::new();
    case.write("bad\nname\u{1b}[31m.txt", "");
    let run = case.index(&[]);
    run.expect_code(0);
    let warnings: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(warnings.len(), 1, "{:?}", run.stderr);
    assert!(
        warnings[0].ends_with(r"bad\nname\u{1b}[31m.txt: empty file"),
        "{warnings:?}"
    );
    expect_summary(&run, 1, 1, &[("empty", 1)], 0);
    case.expect_good_indexed();
}
