//! Shared helpers for the integration tests: run the real `dateline` binary
//! against an index in a temporary directory, and read its JSON.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::{Mutex, Once, OnceLock};

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

/// The crate root: commands run from here, so relative fixture paths work.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `tests/fixtures/archive`, relative to the crate root (commands run there).
pub const ARCHIVE: &str = "tests/fixtures/archive";
/// `tests/fixtures/messy`, relative to the crate root.
pub const MESSY: &str = "tests/fixtures/messy";
/// `tests/fixtures/formats`, relative to the crate root.
pub const FORMATS: &str = "tests/fixtures/formats";
/// `tests/fixtures/export`, relative to the crate root.
pub const EXPORT: &str = "tests/fixtures/export";

/// The id `dateline` gives an archive article: `id("2025/03/river-rescue")`
/// is `archive/2025/03/river-rescue.txt`.
pub fn id(short: &str) -> String {
    format!("archive/{short}.txt")
}

/// A set of ids from short archive names, for comparing with search results.
pub fn ids(shorts: &[&str]) -> BTreeSet<String> {
    shorts.iter().map(|s| id(s)).collect()
}

/// Environment variables that change what `dateline` does: cleared for
/// every run, so the tests see the defaults whatever the caller's shell has.
pub const READ_BY_DATELINE: [&str; 5] = [
    "DATELINE_INDEX",
    "NO_COLOR",
    "CLICOLOR",
    "CLICOLOR_FORCE",
    "DATELINE_REQUIRE_SHARED",
];

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    /// The exit code (`None` if killed by a signal).
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from_output(output: Output) -> Run {
        Run {
            code: output.status.code(),
            stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
        }
    }

    /// Panics (showing everything) unless the exit code is `code`.
    #[track_caller]
    pub fn expect_code(&self, code: i32) -> &Run {
        assert_eq!(
            self.code,
            Some(code),
            "expected exit code {code}\n--- stdout:\n{}\n--- stderr:\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    /// Panics unless the run failed the way every error should: exit 2, one
    /// line on stderr starting with `dateline:`, no panic and no backtrace.
    /// Returns that line.
    #[track_caller]
    pub fn expect_error(&self) -> &str {
        self.expect_code(2);
        let lines: Vec<&str> = self.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "want one line on stderr: {:?}", self.stderr);
        let line = lines[0];
        assert!(line.starts_with("dateline: "), "{line:?}");
        for bad in ["panicked", "backtrace", "RUST_BACKTRACE"] {
            assert!(!self.stderr.contains(bad), "{bad} in {:?}", self.stderr);
        }
        line
    }

    /// Parses stdout as one JSON document.
    #[track_caller]
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {:?}", self.stdout))
    }
}

// ---------------------------------------------------------------------------
// Indexes built once per run and shared by the tests that only read them

/// An index of the fixture archive (`tests/fixtures/archive`, 24 articles),
/// built on first use and shared by every test that only reads it: one build
/// per run of the test binary, not one per test. A test that indexes into
/// it, or writes files beside it, makes its own ([`Dateline::with_archive`]).
#[track_caller]
pub fn archive_index() -> &'static Dateline {
    static INDEX: SharedIndex = SharedIndex::new();
    INDEX.get(&[ARCHIVE])
}

/// `tests/fixtures/messy` indexed (5 articles, and warnings), shared like
/// [`archive_index`].
#[track_caller]
pub fn messy_index() -> &'static Dateline {
    static INDEX: SharedIndex = SharedIndex::new();
    INDEX.get(&[MESSY])
}

/// `tests/fixtures/formats` indexed (15 articles, one warning), shared like
/// [`archive_index`].
#[track_caller]
pub fn formats_index() -> &'static Dateline {
    static INDEX: SharedIndex = SharedIndex::new();
    INDEX.get(&[FORMATS])
}

/// `tests/fixtures/export` indexed (8 articles: two undated, one story of
/// two near-copies, metadata, text that JSON must escape), shared like
/// [`archive_index`].
#[track_caller]
pub fn export_index() -> &'static Dateline {
    static INDEX: SharedIndex = SharedIndex::new();
    INDEX.get(&[EXPORT])
}

/// An index built by the first test that asks for it, while any others that
/// ask at the same time wait; removed when the test binary exits.
struct SharedIndex(OnceLock<(Dateline, String)>);

impl SharedIndex {
    const fn new() -> SharedIndex {
        SharedIndex(OnceLock::new())
    }

    /// The index of `paths`, built on first use. Every later call checks that
    /// no test has committed to it since (its `meta.json` is unchanged).
    #[track_caller]
    fn get(&'static self, paths: &[&str]) -> &'static Dateline {
        let (dl, built) = self.0.get_or_init(|| {
            let mut dl = Dateline::new();
            dl.shared = true;
            remove_at_exit(dl.dir.path());
            dl.index(paths).expect_code(0);
            let meta = read_meta(&dl);
            (dl, meta)
        });
        assert!(
            read_meta(dl) == *built,
            "the shared index of {paths:?} changed after it was built: \
             a test that writes to an index must make its own"
        );
        dl
    }
}

fn read_meta(dl: &Dateline) -> String {
    std::fs::read_to_string(dl.index_dir().join("meta.json")).expect("a shared index's meta.json")
}

/// Directories to remove when the test binary exits.
static REMOVE_AT_EXIT: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Removes `dir` when the process exits. The shared indexes live in statics,
/// which are never dropped, so their `TempDir`s would be left behind;
/// instead the C library's `atexit` removes them (the test harness returns
/// from `main` or calls `exit`, both of which run it).
#[allow(unsafe_code)] // The one unsafe call of the project: see SAFETY below.
fn remove_at_exit(dir: &Path) {
    static REGISTER: Once = Once::new();
    extern "C" fn remove_all() {
        let dirs = REMOVE_AT_EXIT.lock().unwrap_or_else(|e| e.into_inner());
        for dir in dirs.iter() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
    unsafe extern "C" {
        fn atexit(callback: extern "C" fn()) -> std::ffi::c_int;
    }
    REGISTER.call_once(|| {
        // SAFETY: `atexit` is given what it expects, a function of the C ABI
        // with no arguments and no result, which lives as long as the
        // process; `remove_all` cannot unwind into C (it ignores errors and
        // a poisoned lock).
        let status = unsafe { atexit(remove_all) };
        assert_eq!(status, 0, "atexit failed");
    });
    REMOVE_AT_EXIT
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(dir.to_path_buf());
}

// ---------------------------------------------------------------------------
// Running the binary

/// A `dateline` with its own index in a temporary directory.
pub struct Dateline {
    /// Owns the directory, which is removed when this is dropped.
    dir: TempDir,
    index: PathBuf,
    /// Whether this is one of the indexes tests share (see
    /// [`archive_index`]), which no test may write to or beside.
    shared: bool,
}

impl Default for Dateline {
    fn default() -> Self {
        Self::new()
    }
}

impl Dateline {
    /// An empty index location (nothing is created until `index` runs).
    pub fn new() -> Dateline {
        let dir = tempfile::tempdir().expect("temp dir");
        let index = dir.path().join("index");
        Dateline {
            dir,
            index,
            shared: false,
        }
    }

    /// An index of the fixture archive (24 articles) of its own, for a test
    /// that changes it; a test that only reads it uses [`archive_index`].
    pub fn with_archive() -> Dateline {
        let dl = Dateline::new();
        dl.index(&[ARCHIVE]).expect_code(0);
        dl
    }

    /// The index directory given with `--index`.
    pub fn index_dir(&self) -> &Path {
        &self.index
    }

    /// The temporary directory holding the index, for other scratch files.
    /// A shared index has none: a test reading one makes its own directory.
    #[track_caller]
    pub fn scratch(&self) -> &Path {
        assert!(
            !self.shared,
            "no scratch files beside a shared index: use a tempfile::tempdir() of the test's own"
        );
        self.dir.path()
    }

    /// The binary, run from the crate root, with a clean environment for
    /// what `dateline` reads and no `--index` yet.
    pub fn bare_command() -> Command {
        let mut cmd = Command::cargo_bin("dateline").expect("the dateline binary");
        cmd.current_dir(root());
        for var in READ_BY_DATELINE {
            cmd.env_remove(var);
        }
        cmd
    }

    /// The binary with `--index <tempdir>` and `args` after it.
    pub fn command<S: AsRef<str>>(&self, args: &[S]) -> Command {
        let mut cmd = Self::bare_command();
        cmd.arg("--index").arg(&self.index);
        cmd.args(args.iter().map(|a| a.as_ref()));
        cmd
    }

    /// Runs `dateline --index <tempdir> ARGS…`.
    pub fn run<S: AsRef<str>>(&self, args: &[S]) -> Run {
        Run::from_output(self.command(args).output().expect("run dateline"))
    }

    /// Runs `dateline index PATHS…`.
    pub fn index<S: AsRef<str>>(&self, paths: &[S]) -> Run {
        let mut args = vec!["index".to_string()];
        args.extend(paths.iter().map(|p| p.as_ref().to_string()));
        self.run(&args)
    }

    /// Runs `dateline search --json ARGS…`: the exit code and the parsed JSON
    /// (checked against the documented schema).
    #[track_caller]
    pub fn search<S: AsRef<str>>(&self, args: &[S]) -> (i32, Value) {
        let mut all = vec!["search".to_string(), "--json".to_string()];
        all.extend(args.iter().map(|a| a.as_ref().to_string()));
        let run = self.run(&all);
        let code = run.code.expect("exit code");
        assert!(
            code == 0 || code == 1,
            "search {args:?} failed: {}",
            run.stderr,
            args = all
        );
        let json = run.json();
        check_results_schema(&json);
        (code, json)
    }

    /// The ids of every article a search matches (all pages, near-copies
    /// not folded: `--no-fold`), in order.
    #[track_caller]
    pub fn search_ids<S: AsRef<str>>(&self, args: &[S]) -> Vec<String> {
        // Before the caller's arguments, which may end in `-- QUERY`.
        let mut all = vec![
            "-n".to_string(),
            "10000".to_string(),
            "--no-fold".to_string(),
        ];
        all.extend(args.iter().map(|a| a.as_ref().to_string()));
        let (_, json) = self.search(&all);
        let ids = hit_ids(&json);
        assert_eq!(ids.len(), total(&json), "all hits fit in one page");
        ids
    }

    /// The set of ids every hit of a search has.
    #[track_caller]
    pub fn search_set<S: AsRef<str>>(&self, args: &[S]) -> BTreeSet<String> {
        self.search_ids(args).into_iter().collect()
    }

    /// `total` of a search, counted exactly (`--exact-total`).
    #[track_caller]
    pub fn count<S: AsRef<str>>(&self, args: &[S]) -> usize {
        // (First: the query may follow a `--`.)
        let mut exact = vec!["--exact-total"];
        exact.extend(args.iter().map(AsRef::as_ref));
        let json = self.search(&exact).1;
        assert_eq!(json["total_exact"], true, "{json}");
        total(&json)
    }

    /// `show ID --json`, which must succeed.
    #[track_caller]
    pub fn show(&self, id: &str) -> Value {
        let run = self.run(&["show", id, "--json"]);
        run.expect_code(0);
        run.json()
    }

    /// `stats --json`, which must succeed.
    #[track_caller]
    pub fn stats(&self) -> Value {
        let run = self.run(&["stats", "--json"]);
        run.expect_code(0);
        run.json()
    }
}

/// `total` of a search result.
pub fn total(json: &Value) -> usize {
    json["total"].as_u64().expect("total is a number") as usize
}

/// The hits of a search result.
pub fn hits(json: &Value) -> &Vec<Value> {
    json["hits"].as_array().expect("hits is an array")
}

/// The ids of the hits of a search result, in order.
pub fn hit_ids(json: &Value) -> Vec<String> {
    hits(json)
        .iter()
        .map(|h| h["id"].as_str().expect("id is a string").to_string())
        .collect()
}

/// The dates of the hits of a search result, in order (`undated` for null).
pub fn hit_dates(json: &Value) -> Vec<String> {
    hits(json)
        .iter()
        .map(|h| h["date"].as_str().unwrap_or("undated").to_string())
        .collect()
}

/// Whether `text` is a `YYYY-MM-DD` date.
pub fn is_iso_day(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// Checks a `search --json` document against the README's schema: the exact
/// top-level keys, the fields of every hit, and that every highlight range
/// is a non-empty `[start, end]` on char boundaries of its string.
#[track_caller]
pub fn check_results_schema(json: &Value) {
    let object = json.as_object().expect("a JSON object");
    let mut keys: BTreeSet<&str> = object.keys().map(String::as_str).collect();
    // A suggestion comes only with no hits, and is a query and its total.
    if keys.remove("suggestion") {
        assert_eq!(json["total"], 0, "a suggestion though something matched");
        assert!(json["suggestion"]["query"].is_string(), "{json}");
        assert!(json["suggestion"]["total"].as_u64() > Some(0), "{json}");
    }
    // Operators meant, only when they find more than the query did.
    if keys.remove("operators") {
        assert!(json["operators"]["query"].is_string(), "{json}");
        assert!(
            json["operators"]["total"].as_u64() > json["total"].as_u64(),
            "{json}"
        );
    }
    // When no article had every word, how many of them the hits have.
    match json["mode"].as_str() {
        None => assert!(json.get("mode").is_none(), "{json}"),
        Some("most_words") => {
            let words = json["words"].as_u64().expect("words");
            let matched = json["words_matched"].as_u64().expect("words_matched");
            let most = json["words_most"].as_u64().expect("words_most");
            assert!(0 < matched && matched <= most && most <= words, "{json}");
            assert!(total(json) > 0, "{json}");
            keys.remove("mode");
            keys.remove("words");
            keys.remove("words_matched");
            keys.remove("words_most");
        }
        other => panic!("mode {other:?}: {json}"),
    }
    // Only when near-copies were folded: how many stories match (null
    // past the exact count's threshold), never more than articles.
    if keys.remove("stories") {
        match json["stories"].as_u64() {
            Some(stories) => assert!(stories as usize <= total(json), "{json}"),
            None => assert!(json["stories"].is_null(), "{json}"),
        }
    }
    assert_eq!(
        keys,
        BTreeSet::from(["query", "total", "total_exact", "offset", "took_ms", "hits"]),
        "top-level keys"
    );
    assert!(json["query"].is_string());
    assert!(json["total"].is_u64());
    // Past the threshold, the total is the threshold, and more match.
    match json["total_exact"].as_bool() {
        Some(true) => {}
        Some(false) => assert_eq!(json["total"], 10_000, "{json}"),
        None => panic!("total_exact is not true or false: {json}"),
    }
    assert!(json["offset"].is_u64());
    assert!(json["took_ms"].is_number());
    assert!(hits(json).len() <= total(json));
    for hit in hits(json) {
        for key in [
            "id",
            "path",
            "date",
            "score",
            "headline",
            "headline_highlights",
            "snippet",
            "highlights",
        ] {
            assert!(hit.get(key).is_some(), "hit without {key}: {hit}");
        }
        for key in ["id", "path", "headline", "snippet"] {
            assert!(hit[key].is_string(), "{key} is not a string: {hit}");
        }
        // A date is YYYY-MM-DD, or null for an undated article.
        if let Some(date) = hit["date"].as_str() {
            assert!(is_iso_day(date), "date {date:?} is not YYYY-MM-DD");
        } else {
            assert!(
                hit["date"].is_null(),
                "date is neither a string nor null: {hit}"
            );
        }
        assert!(
            hit["score"].is_null() || hit["score"].is_number(),
            "score: {hit}"
        );
        highlighted_words(hit, "headline", "headline_highlights");
        highlighted_words(hit, "snippet", "highlights");
        // Its story, when it is one of near-copies, and how many of them
        // were folded into it.
        if let Some(story) = hit.get("story") {
            assert!(story.is_null() || story.is_string(), "story: {hit}");
        }
        if let Some(similar) = hit.get("similar") {
            assert!(similar.is_u64(), "similar: {hit}");
            if similar.as_u64() > Some(0) {
                assert!(hit["story"].is_string(), "folded into no story: {hit}");
            }
        }
    }
}

/// The words a hit marks in `text_key` (headline or snippet), checking that
/// each range is `[start, end]`, in order, non-overlapping, non-empty, inside
/// the string and on char boundaries.
#[track_caller]
pub fn highlighted_words(hit: &Value, text_key: &str, ranges_key: &str) -> Vec<String> {
    let text = hit[text_key].as_str().expect("text is a string");
    let ranges = hit[ranges_key].as_array().expect("ranges are an array");
    let mut words = Vec::new();
    let mut previous_end = 0;
    for range in ranges {
        let pair = range.as_array().expect("a range is an array");
        assert_eq!(pair.len(), 2, "a range is [start, end]: {range}");
        let start = pair[0].as_u64().expect("start") as usize;
        let end = pair[1].as_u64().expect("end") as usize;
        assert!(
            previous_end <= start && start < end && end <= text.len(),
            "bad range {start}..{end} (after {previous_end}) in {text_key} {text:?}"
        );
        assert!(
            text.is_char_boundary(start) && text.is_char_boundary(end),
            "range {start}..{end} not on char boundaries of {text:?}"
        );
        words.push(text[start..end].to_string());
        previous_end = end;
    }
    words
}

/// Every word a hit marks, in its headline and its snippet.
#[track_caller]
pub fn all_highlighted_words(hit: &Value) -> Vec<String> {
    let mut words = highlighted_words(hit, "headline", "headline_highlights");
    words.extend(highlighted_words(hit, "snippet", "highlights"));
    words
}

/// Lowercases and folds the accented letters that occur in the fixtures to
/// ASCII, as the index's analyzer does.
pub fn fold(word: &str) -> String {
    word.to_lowercase()
        .chars()
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => 'a',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'ö' | 'õ' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            'ñ' => 'n',
            other => other,
        })
        .collect()
}

/// Panics unless every highlighted word of every hit, folded, satisfies
/// `ok`; returns all of them (folded) for further checks.
#[track_caller]
pub fn check_highlights(json: &Value, what: &str, ok: impl Fn(&str) -> bool) -> Vec<String> {
    let mut all = Vec::new();
    for hit in hits(json) {
        for word in all_highlighted_words(hit) {
            let folded = fold(&word);
            assert!(
                ok(&folded),
                "{} highlights {word:?}, which is not {what}",
                hit["id"]
            );
            all.push(folded);
        }
    }
    all
}

/// The article text of an archive file as `show` should give it: the
/// headline after the date, and the paragraphs after the blank line.
pub fn read_article(relative: &str) -> (String, String, String) {
    let text = std::fs::read_to_string(root().join(relative)).expect("read fixture");
    let (first, rest) = text.split_once('\n').expect("a date line");
    let mut parts = first.trim().splitn(3, ' ');
    assert_eq!(parts.next(), Some("date"));
    let date = parts.next().expect("a date").to_string();
    let headline = parts.next().unwrap_or("").trim().to_string();
    (date, headline, rest.trim().to_string())
}

/// The folder of one of the shared corpora (`../shared/corpora/NAME`), or
/// `None` when it is not there: then the caller should skip its test, which
/// this reports on stderr. With `DATELINE_REQUIRE_SHARED=1` a missing folder
/// fails the test instead.
#[track_caller]
pub fn shared_corpus(name: &str) -> Option<PathBuf> {
    let dir = root().join("../shared/corpora").join(name);
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("DATELINE_REQUIRE_SHARED").as_deref() == Ok("1") {
        panic!(
            "../shared/corpora/{name} not found at {} but DATELINE_REQUIRE_SHARED=1 \
             requires the shared corpora",
            dir.display()
        );
    }
    eprintln!(
        "skipping: ../shared/corpora not found ({} is missing); \
         set DATELINE_REQUIRE_SHARED=1 to make this a failure",
        dir.display()
    );
    None
}

/// The Reuters-21578 corpus indexed (21,291 articles), built once and shared
/// like [`archive_index`], or `None` when `../shared` is missing (see
/// [`shared_corpus`]).
#[track_caller]
pub fn reuters_index() -> Option<&'static Dateline> {
    static INDEX: SharedIndex = SharedIndex::new();
    let reuters = shared_corpus("reuters21578")?;
    Some(INDEX.get(&[reuters.to_str().expect("a UTF-8 path")]))
}

/// The 20 Newsgroups "mini" corpus indexed (1,991 posts), built once and
/// shared like [`archive_index`], or `None` when `../shared` is missing
/// (see [`shared_corpus`]).
#[track_caller]
pub fn mini_index() -> Option<&'static Dateline> {
    static INDEX: SharedIndex = SharedIndex::new();
    let mini = shared_corpus("20news-mini")?;
    let archive = mini.join("mini_newsgroups.tar.gz");
    Some(INDEX.get(&[archive.to_str().expect("a UTF-8 path")]))
}

/// Whether a highlighted word (folded) is one of `coalition of the willing`
/// once stemmed: `willing` stems to `will`, so a plain `will` is the same
/// term to the index and may be marked too.
pub fn is_phrase_word(word: &str) -> bool {
    ["coalition", "of", "the"].contains(&word) || word == "willing" || word == "will"
}
