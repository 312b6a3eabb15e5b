//! Keeping an archive's index in step with its files: incremental runs give
//! what a fresh index would, unchanged files are not read again, removals
//! stay within the PATHs given, duplicates are stored once and come back
//! when their indexed copy goes, and neither `kill -9`, Ctrl-C, searches
//! during a run nor a second writer break the index.

use std::collections::BTreeSet;
use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::common::*;
use serde_json::Value;
use tempfile::TempDir;

// ---------------------------------------------------------------------------
// Generated archives

/// Words the generated articles are made of.
const WORDS: &[&str] = &[
    "harbour",
    "council",
    "strike",
    "ferry",
    "river",
    "bridge",
    "election",
    "budget",
    "school",
    "hospital",
    "market",
    "festival",
    "museum",
    "storm",
    "flood",
    "rescue",
    "train",
    "airport",
    "farmers",
    "court",
    "police",
    "minister",
    "trade",
    "wind",
    "solar",
    "coast",
    "village",
    "mayor",
    "union",
    "teachers",
    "nurses",
    "library",
    "orchestra",
    "glacier",
    "vineyard",
    "lighthouse",
    "tramway",
    "refinery",
    "quarry",
    "cathedral",
];

/// A small deterministic generator (64-bit LCG), so archives are the same
/// on every run.
struct Words(u64);

impl Words {
    fn new(seed: u64) -> Words {
        Words(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03)
    }

    fn word(&mut self) -> &'static str {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        WORDS[((self.0 >> 33) % WORDS.len() as u64) as usize]
    }

    fn words(&mut self, n: usize) -> String {
        (0..n).map(|_| self.word()).collect::<Vec<_>>().join(" ")
    }
}

/// Article `n`'s date: a different day for every `n` below 33,600, so
/// date-sorted lists have no ties.
fn day(n: usize) -> (usize, usize, usize) {
    (2000 + n / 336, 1 + (n / 28) % 12, 1 + n % 28)
}

/// Where article `n` lives below the root: `YYYY/MM/NNNNN.txt`.
fn relative(n: usize) -> String {
    let (y, m, _) = day(n);
    format!("{y}/{m:02}/{n:05}.txt")
}

/// The id `dateline` gives article `n` of a root folder named `news`.
fn news_id(n: usize) -> String {
    format!("news/{}", relative(n))
}

/// Article `n` in the reference format. Every article is distinct (its
/// headline ends in `itemNNNNN`); `rev` is one digit in the body, so
/// revisions 0–9 of an article have the same size; `extra` adds a
/// paragraph with the word `correction`.
fn article_text(n: usize, rev: u8, extra: bool) -> String {
    assert!(rev < 10);
    let (y, m, d) = day(n);
    let mut words = Words::new(n as u64);
    let mut text = format!(
        " date {y}-{m:02}-{d:02} {} item{n:05}\n\n{}\n\n{} rev{rev}\n",
        words.words(5),
        words.words(30),
        words.words(30)
    );
    if extra {
        text.push_str("\nA correction was added to this report later.\n");
    }
    text
}

/// Writes article `n` below `root`; returns its path.
fn write_article(root: &Path, n: usize, rev: u8, extra: bool) -> PathBuf {
    let path = root.join(relative(n));
    write_file(&path, article_text(n, rev, extra).as_bytes());
    path
}

fn write_file(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// Sets a file's modification time, as `touch -d` would.
fn set_mtime(path: &Path, time: SystemTime) {
    OpenOptions::new()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(time)
        .unwrap();
}

/// A folder `news` in a temporary directory, with articles `0..count`.
struct Tree {
    dir: TempDir,
    root: PathBuf,
}

impl Tree {
    fn new(count: usize) -> Tree {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("news");
        std::fs::create_dir_all(&root).unwrap();
        for n in 0..count {
            write_article(&root, n, 0, false);
        }
        Tree { dir, root }
    }

    fn root_str(&self) -> &str {
        self.root.to_str().unwrap()
    }

    fn path(&self, n: usize) -> PathBuf {
        self.root.join(relative(n))
    }

    /// Another folder next to `news`, for small extra trees.
    fn sibling(&self, name: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::create_dir_all(&path).unwrap();
        path
    }
}

// ---------------------------------------------------------------------------
// Summaries, stats and searches

/// The four numbers of the summary's `files: X new, Y changed, Z unchanged,
/// W removed`, which the summary leaves out on a fresh index.
fn file_counts(stdout: &str) -> Option<[u64; 4]> {
    let line = stdout.lines().next().unwrap_or("");
    let part = line.split("; ").find_map(|p| p.strip_prefix("files: "))?;
    let numbers: Vec<u64> = part
        .split(", ")
        .zip(["new", "changed", "unchanged", "removed"])
        .map(|(item, name)| {
            let (n, word) = item.split_once(' ').expect("N word");
            assert_eq!(word, name, "in {line:?}");
            n.parse().expect("a number")
        })
        .collect();
    assert_eq!(numbers.len(), 4, "{line:?}");
    Some([numbers[0], numbers[1], numbers[2], numbers[3]])
}

/// `indexed N articles from M files`: (N, M).
fn indexed_counts(stdout: &str) -> (u64, u64) {
    let line = stdout.lines().next().unwrap_or("");
    let words: Vec<&str> = line.split(' ').collect();
    assert!(
        words.len() > 5 && words[0] == "indexed" && words[3] == "from",
        "not a summary: {stdout:?}"
    );
    (words[1].parse().unwrap(), words[4].parse().unwrap())
}

#[track_caller]
fn expect_file_counts(run: &Run, new: u64, changed: u64, unchanged: u64, removed: u64) {
    assert_eq!(
        file_counts(&run.stdout),
        Some([new, changed, unchanged, removed]),
        "files: new, changed, unchanged, removed in {:?}",
        run.stdout
    );
}

/// `stats --json`, or `None` when there is no index yet (exit 2, `no index`).
#[track_caller]
fn stats_if_any(dl: &Dateline) -> Option<Value> {
    let run = dl.run(&["stats", "--json"]);
    if run.code == Some(2) && run.stderr.starts_with("dateline: no index at ") {
        return None;
    }
    run.expect_code(0);
    Some(run.json())
}

fn number(json: &Value, key: &str) -> u64 {
    json[key]
        .as_u64()
        .unwrap_or_else(|| panic!("{key} is not a number: {json}"))
}

/// Every article id, oldest first.
#[track_caller]
fn all_ids(dl: &Dateline) -> Vec<String> {
    dl.search_ids(&["--sort", "oldest"])
}

/// What a comparison of two indexes looks at in `stats`.
fn stats_summary(stats: &Value) -> Vec<(String, Value)> {
    [
        "articles",
        "undated",
        "duplicates",
        "files",
        "oldest",
        "newest",
    ]
    .iter()
    .map(|key| (key.to_string(), stats[*key].clone()))
    .collect()
}

/// Panics unless two indexes hold the same: stats, ids, and the results of
/// some queries (date-sorted lists exactly; relevance as sets, since deleted
/// documents still weigh in BM25 statistics until segments merge).
#[track_caller]
fn assert_same_index(updated: &Dateline, fresh: &Dateline, queries: &[&str]) {
    assert_eq!(
        stats_summary(&updated.stats()),
        stats_summary(&fresh.stats()),
        "stats of the updated index (left) and a fresh one (right)"
    );
    let ids = all_ids(updated);
    assert_eq!(
        one_name_per_story(&ids),
        one_name_per_story(&all_ids(fresh)),
        "ids, oldest first"
    );
    let unique: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "an id twice: {ids:?}");
    for query in queries {
        let by_date = ["--sort", "oldest", "--", query];
        let got = updated.search_ids(&by_date);
        assert_eq!(
            one_name_per_story(&got),
            one_name_per_story(&fresh.search_ids(&by_date)),
            "{query:?} oldest first"
        );
        assert!(!got.is_empty(), "{query:?} should find something");
        let by_relevance = ["--", query];
        let set = |dl: &Dateline| {
            let ids: Vec<String> = dl.search_set(&by_relevance).into_iter().collect();
            one_name_per_story(&ids)
                .into_iter()
                .collect::<BTreeSet<String>>()
        };
        assert_eq!(set(updated), set(fresh), "{query:?} by relevance");
    }
}

/// Ids with the two copies of the ferry story (`wires/ferry.txt` and
/// `wires/ferry-2.txt`, same text) named alike: which copy a run indexes and
/// which it records as the duplicate depends on which of the two parsing
/// threads gets there first, so two runs over the same files may differ.
fn one_name_per_story(ids: &[String]) -> Vec<String> {
    ids.iter()
        .map(|id| id.replace("wires/ferry-2.txt", "wires/ferry.txt"))
        .collect()
}

/// Runs `dateline show ID --json` and expects `no article` (exit 1).
#[track_caller]
fn expect_no_article(dl: &Dateline, id: &str) {
    let run = dl.run(&["show", id, "--json"]);
    run.expect_code(1);
    assert!(run.stderr.contains("no article with id"), "{}", run.stderr);
}

// ---------------------------------------------------------------------------
// Runs in the background

/// A `dateline` started in the background, its output going to files.
/// Dropping it kills and reaps the process, so a failing test leaves no
/// indexer behind.
struct Running {
    child: Child,
    out: PathBuf,
    err: PathBuf,
    started: Instant,
    _dir: TempDir,
}

impl Running {
    fn start(dl: &Dateline, args: &[&str]) -> Running {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("stdout");
        let err = dir.path().join("stderr");
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_dateline"));
        cmd.current_dir(root());
        for var in READ_BY_DATELINE {
            cmd.env_remove(var);
        }
        cmd.arg("--index")
            .arg(dl.index_dir())
            .args(args)
            .stdin(Stdio::null())
            .stdout(File::create(&out).unwrap())
            .stderr(File::create(&err).unwrap());
        let child = cmd.spawn().expect("start dateline");
        Running {
            child,
            out,
            err,
            started: Instant::now(),
            _dir: dir,
        }
    }

    fn is_running(&mut self) -> bool {
        self.child.try_wait().expect("try_wait").is_none()
    }

    /// Sends SIGKILL (if still running) and reaps it.
    fn kill(&mut self) {
        if self.is_running() {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }

    /// Sends SIGINT, as Ctrl-C does.
    fn interrupt(&mut self) {
        let status = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -INT failed");
    }

    /// Sleeps until `delay` after the start.
    fn sleep_until(&self, delay: Duration) {
        if let Some(left) = delay.checked_sub(self.started.elapsed()) {
            std::thread::sleep(left);
        }
    }

    /// Waits for the process to end (failing after `timeout`) and returns
    /// what it did; a process killed by a signal has no code.
    #[track_caller]
    fn finish(&mut self, timeout: Duration) -> Run {
        let deadline = Instant::now() + timeout;
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                break status;
            }
            assert!(
                Instant::now() < deadline,
                "dateline still running after {timeout:?}"
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        Run {
            code: status.code(),
            stdout: std::fs::read_to_string(&self.out).unwrap(),
            stderr: std::fs::read_to_string(&self.err).unwrap(),
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Generous: a debug build on a loaded machine.
const PATIENCE: Duration = Duration::from_secs(180);

/// Polls `check` until it gives something, failing after [`PATIENCE`].
#[track_caller]
fn eventually<T>(what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + PATIENCE;
    loop {
        if let Some(found) = check() {
            return found;
        }
        assert!(Instant::now() < deadline, "gave up waiting for {what}");
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// Waits until a running indexer has committed more than `before` articles;
/// `false` if it ended first.
#[track_caller]
fn wait_for_commit(dl: &Dateline, run: &mut Running, before: u64) -> bool {
    eventually("a commit of the running indexer", || {
        if !run.is_running() {
            return Some(false);
        }
        match stats_if_any(dl) {
            Some(stats) if number(&stats, "articles") > before => Some(true),
            _ => None,
        }
    })
}

/// The size of the archive for the tests of running indexers: several
/// seconds of work for a debug build, committed every 100 articles.
const BIG: usize = 3000;
const BIG_RUN: [&str; 4] = ["--commit-every", "100", "--threads", "2"];

fn index_args<'a>(root: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["index", root];
    args.extend_from_slice(extra);
    args
}

// ---------------------------------------------------------------------------
// 1–2. Incremental runs

#[test]
fn an_updated_index_equals_a_fresh_index_of_the_same_files() {
    let tree = Tree::new(40);
    let root = tree.root_str();
    let dl = Dateline::new();
    let first = dl.index(&[root]);
    first.expect_code(0);
    assert_eq!(indexed_counts(&first.stdout), (40, 40));
    assert_eq!(file_counts(&first.stdout), None, "{:?}", first.stdout);

    // Three new files.
    for n in 40..43 {
        write_article(&tree.root, n, 0, false);
    }
    // Two changed files, larger now (one with a new headline too).
    write_article(&tree.root, 3, 0, true);
    let headline_changed = tree.path(4);
    let text = article_text(4, 0, false);
    let (first_line, rest) = text.split_once('\n').unwrap();
    write_file(
        &headline_changed,
        format!("{first_line} revised\n{rest}").as_bytes(),
    );
    // One changed file of the same size, with its time set apart so the
    // change cannot hide in the clock's granularity.
    let same_size = write_article(&tree.root, 5, 1, false);
    assert_eq!(
        std::fs::metadata(&same_size).unwrap().len(),
        article_text(5, 0, false).len() as u64
    );
    set_mtime(&same_size, UNIX_EPOCH + Duration::from_secs(1_600_000_000));
    // One file written again with the same bytes and a new time: unchanged.
    let touched = write_article(&tree.root, 6, 0, false);
    set_mtime(&touched, UNIX_EPOCH + Duration::from_secs(1_500_000_000));
    // Two deleted files.
    std::fs::remove_file(tree.path(7)).unwrap();
    std::fs::remove_file(tree.path(8)).unwrap();
    // One renamed file: one new, one removed.
    let renamed = tree.root.join("renamed/nine.txt");
    std::fs::create_dir_all(renamed.parent().unwrap()).unwrap();
    std::fs::rename(tree.path(9), &renamed).unwrap();

    let update = dl.index(&[root]);
    update.expect_code(0);
    // Read: 3 new + 1 renamed + 3 changed.
    assert_eq!(
        indexed_counts(&update.stdout),
        (7, 7),
        "{:?}",
        update.stdout
    );
    expect_file_counts(&update, 4, 3, 34, 3);
    assert!(!update.stdout.contains("duplicate"), "{:?}", update.stdout);

    let fresh = Dateline::new();
    fresh.index(&[root]).expect_code(0);
    assert_same_index(
        &dl,
        &fresh,
        &[
            "harbour",
            "correction",
            "rev1",
            "revised",
            "item00009",
            "ferry OR glacier",
            "council -strike",
        ],
    );

    // And the particular changes are as they should be.
    assert_eq!(number(&dl.stats(), "articles"), 40 + 3 - 2);
    assert_eq!(
        dl.search_ids(&["correction"]),
        [news_id(3)],
        "the longer article 3"
    );
    assert_eq!(dl.search_ids(&["rev1"]), [news_id(5)], "same-size change");
    assert_eq!(dl.count(&["rev0", "item00005"]), 0, "old text of article 5");
    assert!(dl.show(&news_id(4))["headline"]
        .as_str()
        .unwrap()
        .ends_with("item00004 revised"));
    for gone in [7, 8, 9] {
        expect_no_article(&dl, &news_id(gone));
    }
    assert_eq!(dl.search_ids(&["item00009"]), ["news/renamed/nine.txt"]);
    assert_eq!(dl.search_ids(&["item00006"]), [news_id(6)]);

    // Nothing changed since: nothing is read, the touched file included.
    let again = dl.index(&[root]);
    again.expect_code(0);
    assert_eq!(indexed_counts(&again.stdout), (0, 0), "{:?}", again.stdout);
    expect_file_counts(&again, 0, 0, 41, 0);
}

#[test]
fn an_unchanged_rerun_parses_nothing() {
    let tree = Tree::new(25);
    let dl = Dateline::new();
    dl.index(&[tree.root_str()]).expect_code(0);
    let before = dl.stats();
    let ids = all_ids(&dl);
    assert_eq!(ids.len(), 25);

    for _ in 0..2 {
        let again = dl.index(&[tree.root_str()]);
        again.expect_code(0);
        assert!(
            again.stdout.starts_with("indexed 0 articles from 0 files"),
            "{:?}",
            again.stdout
        );
        expect_file_counts(&again, 0, 0, 25, 0);
        assert!(again.stderr.is_empty(), "{:?}", again.stderr);
    }
    assert_eq!(stats_summary(&dl.stats()), stats_summary(&before));
    assert_eq!(all_ids(&dl), ids);
}

// ---------------------------------------------------------------------------
// 3. Removal only below the PATHs of the run

#[test]
fn files_are_forgotten_only_below_the_paths_given() {
    let tree = Tree::new(0);
    let a = tree.sibling("a");
    let b = tree.sibling("b");
    // A sibling whose name starts with `a`: not below `a`.
    let a_old = tree.sibling("a-old");
    for n in 0..4 {
        write_article(&a, n, 0, false);
    }
    for n in 10..13 {
        write_article(&b, n, 0, false);
    }
    write_article(&a_old, 20, 0, false);
    let (a_str, b_str, a_old_str) = (
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        a_old.to_str().unwrap(),
    );

    let dl = Dateline::new();
    dl.index(&[a_str, b_str]).expect_code(0);
    dl.index(&[a_old_str]).expect_code(0);
    assert_eq!(number(&dl.stats(), "articles"), 8);

    // A file of b goes; re-indexing a (spelt with a trailing slash) keeps it.
    std::fs::remove_file(b.join(relative(11))).unwrap();
    std::fs::remove_file(a_old.join(relative(20))).unwrap();
    let only_a = dl.index(&[&format!("{a_str}/")]);
    only_a.expect_code(0);
    expect_file_counts(&only_a, 0, 0, 4, 0);
    assert_eq!(number(&dl.stats(), "articles"), 8);
    assert_eq!(
        dl.search_ids(&["item00011"]),
        ["b/".to_string() + &relative(11)]
    );
    assert_eq!(dl.count(&["item00020"]), 1, "a-old is not below a");

    // Re-indexing b forgets it, and only it.
    let only_b = dl.index(&[b_str]);
    only_b.expect_code(0);
    expect_file_counts(&only_b, 0, 0, 2, 1);
    assert_eq!(dl.count(&["item00011"]), 0);
    expect_no_article(&dl, &format!("b/{}", relative(11)));
    assert_eq!(number(&dl.stats(), "articles"), 7);
    assert_eq!(number(&dl.stats(), "files"), 7);

    // And a-old when it is given.
    let only_a_old = dl.index(&[a_old_str]);
    only_a_old.expect_code(0);
    expect_file_counts(&only_a_old, 0, 0, 0, 1);
    assert_eq!(number(&dl.stats(), "articles"), 6);
    assert_eq!(dl.count(&["item00020"]), 0);
    assert_eq!(dl.count(&["item00000 OR item00010"]), 2);
}

// ---------------------------------------------------------------------------
// 4. Duplicates

const STORY: &str = " date 2025-03-17 Ferry strike halts island crossings\n\n\
    Ferry crews walked out on Monday, halting crossings to the islands.\n\n\
    The union said talks would resume on Thursday.\n";
/// The same story: other white space, other case.
const STORY_AGAIN: &str = "date 2025-03-17   Ferry Strike halts  ISLAND crossings\n\n\n\
    Ferry crews walked  out on Monday,\nhalting crossings to the islands.\n\n\
    The Union said talks would resume on Thursday.   \n";

/// `show ID --json` as (id, [(copy id, copy path)]).
#[track_caller]
fn shown(dl: &Dateline, id: &str) -> (String, Vec<(String, String)>) {
    let article = dl.show(id);
    let copies = article["copies"]
        .as_array()
        .expect("copies is an array")
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_string(),
                c["path"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (article["id"].as_str().unwrap().to_string(), copies)
}

#[test]
fn a_duplicate_is_stored_once_and_takes_over_when_its_original_goes() {
    let tree = Tree::new(5);
    let one = tree.root.join("wires/one/ferry.txt");
    let two = tree.root.join("wires/two/ferry-copy.txt");
    write_file(&one, STORY.as_bytes());
    write_file(&two, STORY_AGAIN.as_bytes());
    let (one_id, two_id) = ("news/wires/one/ferry.txt", "news/wires/two/ferry-copy.txt");

    let dl = Dateline::new();
    let run = dl.index(&[tree.root_str()]);
    run.expect_code(0);
    assert!(
        run.stdout.starts_with("indexed 6 articles from 7 files"),
        "{:?}",
        run.stdout
    );
    assert!(
        run.stdout.contains("; 1 duplicate not indexed again"),
        "{:?}",
        run.stdout
    );
    let stats = dl.stats();
    assert_eq!(number(&stats, "articles"), 6);
    assert_eq!(number(&stats, "duplicates"), 1);
    assert_eq!(number(&stats, "files"), 7);

    // Either file may have been read first: one holds the article.
    let hits = dl.search_ids(&["island crossings"]);
    assert_eq!(hits.len(), 1, "{hits:?}");
    let (kept, copy, copy_path) = if hits[0] == one_id {
        (one_id, two_id, &two)
    } else {
        assert_eq!(hits[0], two_id);
        (two_id, one_id, &one)
    };
    // Whichever id is asked for, `show` gives the indexed article and
    // names the copy.
    let expected = (
        kept.to_string(),
        vec![(copy.to_string(), copy_path.to_str().unwrap().to_string())],
    );
    assert_eq!(shown(&dl, kept), expected);
    assert_eq!(shown(&dl, copy), expected);

    // A re-run changes nothing.
    let again = dl.index(&[tree.root_str()]);
    expect_file_counts(&again, 0, 0, 7, 0);
    assert_eq!(number(&dl.stats(), "duplicates"), 1);

    // The file holding the indexed article goes: the copy takes its place.
    let kept_path = if kept == one_id { &one } else { &two };
    std::fs::remove_file(kept_path).unwrap();
    let update = dl.index(&[tree.root_str()]);
    update.expect_code(0);
    expect_file_counts(&update, 0, 1, 5, 1);
    let stats = dl.stats();
    assert_eq!(number(&stats, "articles"), 6);
    assert_eq!(number(&stats, "duplicates"), 0);
    assert_eq!(number(&stats, "files"), 6);
    assert_eq!(dl.search_ids(&["island crossings"]), [copy]);
    assert_eq!(shown(&dl, copy), (copy.to_string(), vec![]));
    expect_no_article(&dl, kept);

    // Same as a fresh index of what is left.
    let fresh = Dateline::new();
    fresh.index(&[tree.root_str()]).expect_code(0);
    assert_same_index(&dl, &fresh, &["ferry", "harbour"]);
}

#[test]
fn changing_the_indexed_copy_brings_its_duplicate_in() {
    let tree = Tree::new(0);
    let a = tree.sibling("a");
    let b = tree.sibling("b");
    write_file(&a.join("ferry.txt"), STORY.as_bytes());
    write_file(&b.join("ferry.txt"), STORY_AGAIN.as_bytes());
    let dl = Dateline::new();
    // Two runs: a's copy is indexed, b's is the duplicate.
    dl.index(&[a.to_str().unwrap()]).expect_code(0);
    let second = dl.index(&[b.to_str().unwrap()]);
    second.expect_code(0);
    assert!(
        second.stdout.starts_with("indexed 0 articles from 1 file ")
            && second.stdout.contains("1 duplicate not indexed again"),
        "{:?}",
        second.stdout
    );
    assert_eq!(dl.search_ids(&["ferry"]), ["a/ferry.txt"]);

    // a's article becomes another story: b's copy is the ferry story now.
    write_file(
        &a.join("ferry.txt"),
        b" date 2025-03-18 Glacier museum opens\n\nThe glacier museum opened.\n",
    );
    let update = dl.index(&[a.to_str().unwrap(), b.to_str().unwrap()]);
    update.expect_code(0);
    let stats = dl.stats();
    assert_eq!(number(&stats, "articles"), 2, "{:?}", update.stdout);
    assert_eq!(number(&stats, "duplicates"), 0);
    assert_eq!(dl.search_ids(&["ferry"]), ["b/ferry.txt"]);
    assert_eq!(dl.search_ids(&["glacier"]), ["a/ferry.txt"]);
    assert_eq!(shown(&dl, "b/ferry.txt").1, vec![]);
}

#[test]
fn a_duplicate_outside_the_paths_given_takes_over_too() {
    // Reproduction:
    //   mkdir -p t/a t/b && cd t
    //   printf ' date 2025-03-17 Ferry strike\n\nCrews walked out.\n' > a/x.txt
    //   cp a/x.txt b/y.txt
    //   dateline --index idx index a && dateline --index idx index b
    //   rm a/x.txt && dateline --index idx index a
    //   dateline --index idx search ferry    # 0 articles; stats: articles 0, duplicates 1
    //   dateline --index idx index b         # b/y.txt unchanged: still 0 articles
    //   dateline --index idx show b/y.txt    # exit 0, an empty undated article
    let tree = Tree::new(0);
    let a = tree.sibling("a");
    let b = tree.sibling("b");
    write_file(&a.join("ferry.txt"), STORY.as_bytes());
    write_file(&b.join("ferry.txt"), STORY_AGAIN.as_bytes());
    let dl = Dateline::new();
    dl.index(&[a.to_str().unwrap()]).expect_code(0);
    dl.index(&[b.to_str().unwrap()]).expect_code(0);
    assert_eq!(dl.search_ids(&["ferry"]), ["a/ferry.txt"]);

    std::fs::remove_file(a.join("ferry.txt")).unwrap();
    let run = dl.index(&[a.to_str().unwrap()]);
    // The copy's file, outside the PATH given, is read again (and counted
    // as changed) so that its copy takes the article's place.
    expect_file_counts(&run, 0, 1, 0, 1);
    // b/ferry.txt is still indexed as a copy of this article: it must be
    // found, now or at the latest once b is indexed again.
    let found_now = dl.count(&["ferry"]);
    dl.index(&[b.to_str().unwrap()]).expect_code(0);
    let stats = dl.stats();
    assert_eq!(
        (
            found_now,
            number(&stats, "articles"),
            number(&stats, "duplicates")
        ),
        (1, 1, 0),
        "(hits after re-indexing a, articles and duplicates after re-indexing b)"
    );
    assert_eq!(dl.search_ids(&["ferry"]), ["b/ferry.txt"]);
}

#[test]
fn duplicates_inside_one_file_and_inside_an_archive() {
    let tree = Tree::new(0);
    let feeds = tree.sibling("feeds");
    // Two lines of one JSON lines file with the same story.
    let feed = feeds.join("feed.jsonl");
    write_file(
        &feed,
        concat!(
            r#"{"id": "x1", "date": "2025-03-17", "headline": "Tram line opens", "body": "The new tram line opened today."}"#,
            "\n",
            r#"{"id": "x2", "date": "2025-03-17", "headline": "TRAM line  opens", "body": "The new tram\nline opened today."}"#,
            "\n",
            r#"{"id": "x3", "date": "2025-03-18", "headline": "Quarry closes", "body": "The quarry closed."}"#,
            "\n"
        )
        .as_bytes(),
    );
    // The ferry story as a .txt and inside a .tar.gz.
    write_file(&feeds.join("ferry.txt"), STORY.as_bytes());
    let mut tar = tar::Builder::new(Vec::new());
    let mut header = tar::Header::new_gnu();
    header.set_size(STORY_AGAIN.len() as u64);
    header.set_mode(0o644);
    header.set_cksum();
    tar.append_data(&mut header, "wire/ferry.txt", STORY_AGAIN.as_bytes())
        .unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gz, &tar.into_inner().unwrap()).unwrap();
    write_file(&feeds.join("wire.tar.gz"), &gz.finish().unwrap());

    let dl = Dateline::new();
    let run = dl.index(&[feeds.to_str().unwrap()]);
    run.expect_code(0);
    assert!(
        run.stdout.contains("; 2 duplicates not indexed again"),
        "{:?}",
        run.stdout
    );
    let stats = dl.stats();
    assert_eq!(number(&stats, "articles"), 3);
    assert_eq!(number(&stats, "duplicates"), 2);
    assert_eq!(number(&stats, "files"), 3);

    // Within one file the first line is read first.
    assert_eq!(dl.search_ids(&["tram"]), ["feeds/feed.jsonl#x1"]);
    let (id, copies) = shown(&dl, "feeds/feed.jsonl#x2");
    assert_eq!(id, "feeds/feed.jsonl#x1");
    let copy_ids: Vec<&str> = copies.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(copy_ids, ["feeds/feed.jsonl#x2"]);

    let ferry_ids = BTreeSet::from([
        "feeds/ferry.txt".to_string(),
        "feeds/wire.tar.gz::wire/ferry.txt".to_string(),
    ]);
    let hits = dl.search_ids(&["ferry"]);
    assert_eq!(hits.len(), 1);
    assert!(ferry_ids.contains(&hits[0]), "{hits:?}");
    let (id, copies) = shown(&dl, &hits[0]);
    assert_eq!(id, hits[0]);
    let mut both: BTreeSet<String> = copies.into_iter().map(|(id, _)| id).collect();
    both.insert(id);
    assert_eq!(both, ferry_ids);

    // The indexed ferry goes: the other copy comes in, wherever it is.
    let holder = if hits[0] == "feeds/ferry.txt" {
        feeds.join("ferry.txt")
    } else {
        feeds.join("wire.tar.gz")
    };
    std::fs::remove_file(holder).unwrap();
    dl.index(&[feeds.to_str().unwrap()]).expect_code(0);
    let remaining: Vec<String> = ferry_ids.into_iter().filter(|id| *id != hits[0]).collect();
    assert_eq!(dl.search_ids(&["ferry"]), remaining);
    let stats = dl.stats();
    assert_eq!(number(&stats, "articles"), 3);
    assert_eq!(number(&stats, "duplicates"), 1, "the tram copy is left");
}

// ---------------------------------------------------------------------------
// 5. --rebuild

#[test]
fn rebuild_gives_what_a_fresh_index_gives() {
    let tree = Tree::new(30);
    let root = tree.root_str();
    write_file(&tree.root.join("wires/ferry.txt"), STORY.as_bytes());
    write_file(&tree.root.join("wires/ferry-2.txt"), STORY_AGAIN.as_bytes());
    let dl = Dateline::new();
    dl.index(&[root]).expect_code(0);
    assert_eq!(number(&dl.stats(), "duplicates"), 1);

    // Edits of every kind, and a file from elsewhere that a rebuild of the
    // tree alone drops.
    write_article(&tree.root, 2, 3, true);
    std::fs::remove_file(tree.path(4)).unwrap();
    std::fs::rename(tree.path(5), tree.root.join("five.txt")).unwrap();
    write_article(&tree.root, 30, 0, false);
    let elsewhere = tree.sibling("elsewhere");
    write_article(&elsewhere, 100, 0, false);
    dl.index(&[elsewhere.to_str().unwrap()]).expect_code(0);
    assert_eq!(dl.count(&["item00100"]), 1);

    let rebuild = dl.index(&[root, "--rebuild"]);
    rebuild.expect_code(0);
    // Everything is read again: 31 files and 2 copies of one story.
    assert_eq!(
        indexed_counts(&rebuild.stdout),
        (31, 32),
        "{:?}",
        rebuild.stdout
    );
    assert!(
        rebuild.stdout.contains("1 duplicate not indexed again"),
        "{:?}",
        rebuild.stdout
    );
    assert_eq!(dl.count(&["item00100"]), 0, "a rebuild starts empty");

    let fresh = Dateline::new();
    fresh.index(&[root]).expect_code(0);
    assert_same_index(&dl, &fresh, &["correction", "rev3", "harbour OR museum"]);
    assert_eq!(number(&dl.stats(), "articles"), 31);

    // And a rebuilt index updates like any other.
    let again = dl.index(&[root]);
    expect_file_counts(&again, 0, 0, 32, 0);
}

// ---------------------------------------------------------------------------
// 6. kill -9

/// When to kill a run.
#[derive(Debug, Clone, Copy)]
enum KillAt {
    /// This long after it started (maybe before any commit).
    After(Duration),
    /// As soon as it has committed articles the index did not have.
    Commit,
}

/// What a series of killed runs and a last complete one came to.
struct Crashed {
    dl: Dateline,
    /// Runs killed (not finished before the kill).
    killed: usize,
    /// The last run's summary.
    last: Run,
}

/// Indexes `tree` with one run per kill point, each killed with SIGKILL at
/// its point; checks after each kill that the index opens and answers; then
/// runs to completion.
fn crash_and_resume(tree: &Tree, kills: &[KillAt]) -> Crashed {
    let dl = Dateline::new();
    let args = index_args(tree.root_str(), &BIG_RUN);
    let mut ever_opened = false;
    let mut killed = 0;
    for &kill in kills {
        let before = stats_if_any(&dl).map_or(0, |s| number(&s, "articles"));
        let mut run = Running::start(&dl, &args);
        match kill {
            KillAt::After(delay) => run.sleep_until(delay),
            KillAt::Commit => {
                wait_for_commit(&dl, &mut run, before);
            }
        }
        if !run.is_running() {
            // Finished before the kill: nothing left to interrupt.
            run.finish(PATIENCE).expect_code(0);
            break;
        }
        run.kill();
        killed += 1;

        // The index is as of the last commit: it opens, and searches work.
        let Some(stats) = stats_if_any(&dl) else {
            assert!(
                !ever_opened,
                "the index opened before, but not after a kill at {kill:?}"
            );
            continue;
        };
        ever_opened = true;
        let articles = number(&stats, "articles") as usize;
        assert!(articles <= BIG, "{stats}");
        assert_eq!(
            dl.count(&[] as &[&str]),
            articles,
            "after a kill at {kill:?}"
        );
        dl.search(&["harbour", "--from", "2001"]);
    }

    let last = dl.run(&args);
    last.expect_code(0);
    assert!(!last.stdout.contains("skipped"), "{:?}", last.stdout);
    assert!(!last.stdout.contains("other file"), "{:?}", last.stdout);
    Crashed { dl, killed, last }
}

/// Kill points: before a commit is likely, at commits, and between.
const KILLS: [KillAt; 6] = [
    KillAt::After(Duration::from_millis(50)),
    KillAt::Commit,
    KillAt::After(Duration::from_millis(300)),
    KillAt::Commit,
    KillAt::After(Duration::from_millis(1000)),
    KillAt::Commit,
];

#[test]
fn an_index_killed_at_any_moment_opens_and_a_rerun_completes_it() {
    let tree = Tree::new(BIG);
    let crashed = crash_and_resume(&tree, &KILLS);
    let dl = &crashed.dl;
    assert!(
        crashed.killed >= 3,
        "too few runs were killed: {}",
        crashed.killed
    );

    // Every file is known once, every article is in once, as article or
    // (see the ignored test below) as a copy.
    let stats = dl.stats();
    assert_eq!(number(&stats, "files"), BIG as u64, "{stats}");
    assert_eq!(
        number(&stats, "articles") + number(&stats, "duplicates"),
        BIG as u64,
        "{stats}"
    );
    let ids = all_ids(dl);
    let unique: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "an id twice");
    assert_eq!(ids.len() as u64, number(&stats, "articles"));

    // And the index is settled: a further run reads nothing.
    let again = dl.run(&index_args(tree.root_str(), &BIG_RUN));
    again.expect_code(0);
    assert_eq!(indexed_counts(&again.stdout), (0, 0), "{:?}", again.stdout);
    expect_file_counts(&again, 0, 0, BIG as u64, 0);
}

#[test]
fn after_kill_9_a_rerun_converges_to_the_exact_article_count() {
    // Reproduction (debug build, 3000 one-article files in news/):
    //   for t in 1 2.5 4; do
    //     rm -rf idx
    //     dateline --index idx index news --commit-every 100 --threads 2 & p=$!
    //     sleep $t; kill -9 $p; wait $p
    //     dateline --index idx index news --commit-every 100 --threads 2
    //     dateline --index idx stats --json   # often "articles":2999,"duplicates":1
    //   done
    // A commit at one file's record can hold the articles of another file
    // whose record comes later (the parsing threads interleave). The re-run
    // deletes such leftovers, but first finds the leftover article in the
    // old commit and records the file's article as a duplicate of it.
    let tree = Tree::new(BIG);
    let crashed = crash_and_resume(&tree, &KILLS);
    let dl = &crashed.dl;
    let stats = dl.stats();
    assert_eq!(
        (number(&stats, "articles"), number(&stats, "duplicates")),
        (BIG as u64, 0),
        "articles and duplicates after {} kills; last run: {:?}",
        crashed.killed,
        crashed.last.stdout
    );
    let ids: BTreeSet<String> = all_ids(dl).into_iter().collect();
    let expected: BTreeSet<String> = (0..BIG).map(news_id).collect();
    assert_eq!(ids, expected);
}

// ---------------------------------------------------------------------------
// 7. Ctrl-C

#[test]
fn ctrl_c_commits_what_was_read_exits_130_and_a_rerun_finishes() {
    let tree = Tree::new(BIG);
    let args = index_args(tree.root_str(), &BIG_RUN);
    // The signal must reach a run in progress; one that ended first (the
    // signal racing its last commit) is tried again with a new index.
    for attempt in 1..=3 {
        let dl = Dateline::new();
        let mut run = Running::start(&dl, &args);
        wait_for_commit(&dl, &mut run, 0);
        assert!(
            run.is_running(),
            "the run ended before its first commit was seen"
        );
        run.interrupt();
        let interrupted = run.finish(PATIENCE);
        if interrupted.code == Some(0) {
            eprintln!("attempt {attempt}: the run finished before Ctrl-C reached it");
            continue;
        }
        interrupted.expect_code(130);
        let lines: Vec<&str> = interrupted.stdout.lines().collect();
        assert_eq!(lines.len(), 2, "{:?}", interrupted.stdout);
        let (read, files) = indexed_counts(lines[0]);
        assert!(read < BIG as u64 && files < BIG as u64, "{:?}", lines[0]);
        assert!(lines[1].starts_with("interrupted: "), "{:?}", lines[1]);

        // What was read is committed, whole files only.
        let stats = dl.stats();
        assert_eq!(number(&stats, "articles"), read, "{stats}");
        assert_eq!(number(&stats, "files"), files, "{stats}");
        assert_eq!(number(&stats, "duplicates"), 0, "{stats}");
        assert_eq!(dl.count(&[] as &[&str]), read as usize);

        // The same command again finishes the job.
        let rest = dl.run(&args);
        rest.expect_code(0);
        assert_eq!(
            indexed_counts(&rest.stdout),
            (BIG as u64 - read, BIG as u64 - files),
            "{:?}",
            rest.stdout
        );
        expect_file_counts(&rest, BIG as u64 - files, 0, files, 0);
        let stats = dl.stats();
        assert_eq!(
            (number(&stats, "articles"), number(&stats, "duplicates")),
            (BIG as u64, 0),
            "{stats}"
        );
        let ids: BTreeSet<String> = all_ids(&dl).into_iter().collect();
        assert_eq!(ids, (0..BIG).map(news_id).collect::<BTreeSet<_>>());
        return;
    }
    panic!("three runs finished before Ctrl-C reached them");
}

// ---------------------------------------------------------------------------
// 8–9. Readers and a second writer during a run

#[test]
fn searches_during_a_run_see_its_commits_and_never_fail() {
    let tree = Tree::new(BIG);
    let seed = tree.sibling("seed");
    for n in 5000..5005 {
        write_article(&seed, n, 0, false);
    }
    let dl = Dateline::new();
    dl.index(&[seed.to_str().unwrap()]).expect_code(0);

    let mut run = Running::start(&dl, &index_args(tree.root_str(), &BIG_RUN));
    let mut totals = vec![];
    let mut harbour = 0;
    let mut articles = 0;
    // Until three commits of the run have been seen, or it ends.
    while run.is_running() && totals.iter().collect::<BTreeSet<_>>().len() < 4 {
        let (code, json) = dl.search(&["-n", "3"]);
        assert_eq!(code, 0, "the seed articles are always there");
        let now_total = total(&json);
        assert!(
            totals.last().is_none_or(|last| *last <= now_total),
            "total went down: {totals:?} then {now_total}"
        );
        totals.push(now_total);

        let (_, json) = dl.search(&["harbour", "--sort", "oldest", "-n", "5"]);
        assert!(total(&json) >= harbour, "harbour hits went down");
        harbour = total(&json);

        let stats = dl.stats();
        let now = number(&stats, "articles") as usize;
        assert!(now >= articles && now >= 5, "articles went down: {stats}");
        assert_eq!(number(&stats, "duplicates"), 0);
        articles = now;
        assert_eq!(
            dl.search_ids(&["item05003"]),
            [format!("seed/{}", relative(5003))]
        );
        assert!(
            run.started.elapsed() < PATIENCE,
            "the run took too long: {totals:?}"
        );
    }
    let distinct: BTreeSet<usize> = totals.iter().copied().collect();
    assert!(
        distinct.len() >= 3,
        "searches saw too few of the run's commits: {totals:?}"
    );
    assert!(totals[0] >= 5, "{totals:?}");
    run.kill();
    // Killed mid-run: the index still answers.
    assert!(number(&dl.stats(), "articles") >= *distinct.last().unwrap() as u64);
}

#[test]
fn a_second_writer_fails_at_once_naming_the_lock() {
    let tree = Tree::new(BIG);
    let small = tree.sibling("small");
    write_article(&small, 9000, 0, false);
    let small = small.to_str().unwrap();
    let dl = Dateline::new();
    let lock = dl.index_dir().join(".tantivy-writer.lock");

    let mut first = Running::start(&dl, &index_args(tree.root_str(), &BIG_RUN));
    assert!(
        wait_for_commit(&dl, &mut first, 0),
        "the first run ended before a commit was seen"
    );
    for second_args in [vec!["index", small], vec!["index", small, "--rebuild"]] {
        let before = number(&dl.stats(), "articles");
        assert!(first.is_running(), "the first run ended too soon to test");
        let mut second = Running::start(&dl, &second_args);
        let failed = second.finish(Duration::from_secs(60));
        let line = failed.expect_error();
        assert!(
            line.contains("locked by another `dateline index` run"),
            "{line}"
        );
        assert!(line.contains(".tantivy-writer.lock"), "{line}");
        assert!(line.contains(lock.to_str().unwrap()), "{line}");
        assert!(failed.stdout.is_empty(), "{:?}", failed.stdout);
        // It did nothing: not even --rebuild emptied the index.
        assert!(number(&dl.stats(), "articles") >= before);
        assert_eq!(dl.count(&["item09000"]), 0);
    }
    // The first run was not disturbed.
    assert!(
        first.is_running() || first.finish(PATIENCE).code == Some(0),
        "the first run failed"
    );
    first.kill();
    // With the first gone the lock is free (kill -9 leaves its file behind).
    let after = dl.index(&[small]);
    after.expect_code(0);
    assert_eq!(dl.count(&["item09000"]), 1);
}

/// A duplicate's file whose name is not UTF-8 is found again by its stored
/// path (`caf\xE9.txt`), so when the indexed copy's file changes, the
/// duplicate takes its place. Before paths round-tripped, its record was
/// deleted and the file not read again: "ferry" found nothing until the
/// next run.
#[cfg(unix)]
#[test]
fn a_duplicate_in_a_file_whose_name_is_not_utf8_takes_over_too() {
    use std::os::unix::ffi::OsStrExt;
    let tree = Tree::new(0);
    let news = tree.sibling("news");
    write_file(&news.join("a.txt"), STORY.as_bytes());
    let latin1 = news.join(std::ffi::OsStr::from_bytes(b"caf\xE9.txt"));
    write_file(&latin1, STORY_AGAIN.as_bytes());
    let dl = Dateline::new();
    dl.index(&[news.to_str().unwrap()]).expect_code(0);
    assert_eq!(number(&dl.stats(), "duplicates"), 1);
    let ferry = dl.search_ids(&["ferry"]);
    assert_eq!(ferry.len(), 1, "{ferry:?}");

    // The indexed copy becomes another story: the other file's copy is
    // the ferry story now, whichever of the two was indexed.
    let indexed = if ferry[0] == "news/a.txt" {
        news.join("a.txt")
    } else {
        latin1.clone()
    };
    write_file(
        &indexed,
        b" date 2025-03-18 Glacier museum opens\n\nThe glacier museum opened.\n",
    );
    dl.index(&[news.to_str().unwrap()]).expect_code(0);
    let stats = dl.stats();
    assert_eq!(number(&stats, "articles"), 2);
    assert_eq!(number(&stats, "duplicates"), 0);
    assert_eq!(dl.search_ids(&["ferry"]).len(), 1);
}

// ---------------------------------------------------------------------------
// 10. Inside a big archive

/// `tree`'s articles as the members of one `.tar.gz` beside it, named as
/// the files are.
fn tar_gz_of(tree: &Tree, count: usize) -> PathBuf {
    let folder = tree.sibling("archive");
    let path = folder.join("news.tar.gz");
    let gzip = flate2::write::GzEncoder::new(File::create(&path).unwrap(), Default::default());
    let mut tar = tar::Builder::new(gzip);
    for n in 0..count {
        let text = article_text(n, 0, false);
        let mut header = tar::Header::new_gnu();
        header.set_size(text.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        tar.append_data(&mut header, relative(n), text.as_bytes())
            .unwrap();
    }
    tar.into_inner().unwrap().finish().unwrap();
    folder
}

#[test]
fn ctrl_c_inside_a_tar_gz_commits_its_members_and_a_rerun_reads_only_the_rest() {
    // More members than the parsing threads read ahead of the writer (the
    // channel holds 8 batches of 1,024 events, two per member), so that
    // Ctrl-C finds the archive half read.
    const MEMBERS: usize = 3 * BIG;
    let tree = Tree::new(0);
    let folder = tar_gz_of(&tree, MEMBERS);
    let folder = folder.to_str().unwrap();
    let args = index_args(folder, &BIG_RUN);
    let fresh = Dateline::new();
    fresh.run(&args).expect_code(0);
    for attempt in 1..=3 {
        let dl = Dateline::new();
        let mut run = Running::start(&dl, &args);
        // Commits come inside the archive, and searches see them.
        assert!(
            wait_for_commit(&dl, &mut run, 0),
            "no commit inside the archive before the run ended"
        );
        run.interrupt();
        let interrupted = run.finish(PATIENCE);
        if interrupted.code == Some(0) {
            eprintln!("attempt {attempt}: the run finished before Ctrl-C reached it");
            continue;
        }
        interrupted.expect_code(130);
        let (read, _) = indexed_counts(&interrupted.stdout);
        assert!(
            read > 0 && read < MEMBERS as u64,
            "{:?}",
            interrupted.stdout
        );

        // What was read is committed; the archive has no record yet.
        let stats = dl.stats();
        assert_eq!(number(&stats, "articles"), read, "{stats}");
        assert_eq!(number(&stats, "files"), 0, "{stats}");
        assert_eq!(dl.count(&[] as &[&str]), read as usize);

        // The same command reads the rest, and only the rest.
        let rest = dl.run(&args);
        rest.expect_code(0);
        assert_eq!(
            indexed_counts(&rest.stdout).0,
            MEMBERS as u64 - read,
            "{:?}",
            rest.stdout
        );
        let stats = dl.stats();
        assert_eq!(
            (number(&stats, "articles"), number(&stats, "duplicates")),
            (MEMBERS as u64, 0),
            "{stats}"
        );
        assert_eq!(number(&stats, "files"), 1, "{stats}");
        assert_eq!(all_ids(&dl), all_ids(&fresh));
        return;
    }
    panic!("three runs finished before Ctrl-C reached them");
}

#[test]
fn kill_9_inside_a_tar_gz_keeps_its_committed_members_for_the_rerun() {
    let tree = Tree::new(0);
    let folder = tar_gz_of(&tree, BIG);
    let args = index_args(folder.to_str().unwrap(), &BIG_RUN);
    let dl = Dateline::new();
    let mut run = Running::start(&dl, &args);
    assert!(
        wait_for_commit(&dl, &mut run, 0),
        "no commit inside the archive"
    );
    if !run.is_running() {
        eprintln!("the run finished before the kill");
        return;
    }
    run.kill();
    let stats = dl.stats();
    let kept = number(&stats, "articles");
    assert!(kept > 0, "{stats}");
    assert_eq!(number(&stats, "files"), 0, "{stats}");
    let rest = dl.run(&args);
    rest.expect_code(0);
    assert_eq!(
        indexed_counts(&rest.stdout).0,
        BIG as u64 - kept,
        "{:?}",
        rest.stdout
    );
    let ids: BTreeSet<String> = all_ids(&dl).into_iter().collect();
    assert_eq!(ids.len(), BIG);
    assert_eq!(number(&dl.stats(), "duplicates"), 0);
}
