//! Criterion benchmarks of a search with snippets (top 10, as `dateline
//! search` prints them) on a prebuilt index. `cargo bench --bench search`.
//!
//! The index is `DATELINE_BENCH_INDEX` when set (any dateline index: the
//! archive benchmark's `DIR/index`, say); otherwise a 20,000-article archive
//! made by `../shared/tools/gen-archive` into
//! `target/bench-archives/20000-7/`, indexed once and then reused. Without
//! either, the benchmark says so and measures nothing.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::AtomicBool;

use criterion::{criterion_group, Criterion};

use dateline::{
    index_files, search, ArchiveIndex, DateFilter, IndexOptions, Roots, SearchRequest, Silent,
};

const ARTICLES: u64 = 20_000;
const SEED: u64 = 7;

/// The query mix of the archive benchmark: name, query, `--on`/`--from`/`--to`.
const MIX: [(&str, &str, [Option<&str>; 3]); 6] = [
    ("common term", "said", [None; 3]),
    ("rare term", "hemophilia", [None; 3]),
    ("AND", "oil prices", [None; 3]),
    ("phrase", "\"interest rates\"", [None; 3]),
    (
        "phrase + year",
        "\"interest rates\"",
        [None, Some("2024-01-01"), Some("2024-12-31")],
    ),
    ("no words, one day", "", [Some("2024-03-15"), None, None]),
];

fn searches(c: &mut Criterion) {
    let Some(dir) = index_dir() else {
        return;
    };
    let index = ArchiveIndex::open(&dir).expect("the benchmark index should open");
    let mut group = c.benchmark_group("search, top 10 with snippets");
    for (name, query, [on, from, to]) in MIX {
        let request = SearchRequest {
            query: query.to_string(),
            filter: DateFilter::from_flags(on, from, to).expect("the mix's dates are valid"),
            sort: None,
            limit: 10,
            offset: 0,
            snippet_len: 240,
            snippets: 1,
        };
        group.bench_function(name, |b| {
            b.iter(|| search(&index, &request).expect("the mix's queries are valid"));
        });
    }
    group.finish();
}

/// The index to search, built first when it is the default one and missing.
fn index_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("DATELINE_BENCH_INDEX") {
        return Some(dir.into());
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root
        .join("target/bench-archives")
        .join(format!("{ARTICLES}-{SEED}"));
    let index = dir.join("index");
    if index.join("meta.json").is_file() {
        return Some(index);
    }
    let articles = dir.join("articles");
    if !articles.is_dir() {
        let tool = root.join("../shared/tools/gen-archive");
        if !tool.is_file() {
            eprintln!(
                "search bench: skipped: no index to search; {} is missing \
                 (set DATELINE_BENCH_INDEX to an index instead)",
                tool.display()
            );
            return None;
        }
        eprintln!(
            "search bench: generating {ARTICLES} articles into {}",
            articles.display()
        );
        let status = Command::new(&tool)
            .arg("--out")
            .arg(&articles)
            .args(["--articles", &ARTICLES.to_string()])
            .args(["--seed", &SEED.to_string(), "--jobs", "2"])
            .status()
            .unwrap_or_else(|err| panic!("cannot run {}: {err}", tool.display()));
        assert!(status.success(), "gen-archive failed ({status})");
    }
    eprintln!("search bench: indexing {}", articles.display());
    let archive = Roots::new(&[articles], false).expect("the archive should be walkable");
    let opened =
        ArchiveIndex::open_or_create(&index, false).expect("the index should be creatable");
    let options = IndexOptions {
        rebuild: true,
        ..IndexOptions::default()
    };
    index_files(
        &opened,
        &archive,
        &options,
        &Silent,
        &AtomicBool::new(false),
    )
    .expect("indexing the benchmark archive should work");
    Some(index)
}

criterion_group!(benches, searches);

/// `criterion_main!`, but for `cargo bench` only: `cargo test --all-targets`
/// runs bench programs too (without `--bench`), and this one may first
/// generate and index an archive.
fn main() {
    if !std::env::args().any(|arg| arg == "--bench") {
        eprintln!("search: a benchmark, not a test; run `cargo bench --bench search`");
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
