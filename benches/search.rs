//! Criterion benchmarks of a search with snippets (top 10, as `dateline
//! search` prints them) on a prebuilt index, for every class of query, as
//! searches run by default (the total counted up to 10,000) and with the
//! exact total. `cargo bench --bench search`; `cargo bench --bench search
//! -- --table` prints p50 and p99 of each in process instead, and the
//! whole process of the release build (`cargo build --release` first).
//!
//! The index is `DATELINE_BENCH_INDEX` when set (any dateline index: the
//! archive benchmark's `DIR/index`, say); otherwise a 20,000-article archive
//! made by `../shared/tools/gen-archive` into
//! `target/bench-archives/20000-7/`, indexed once and then reused. Without
//! either, the benchmark says so and measures nothing.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use criterion::{criterion_group, Criterion};

use dateline::{
    index_files, search, ArchiveIndex, DateFilter, IndexOptions, Roots, SearchRequest, Silent,
    Sort, DEFAULT_SNIPPET_CHARS,
};

// The archive benchmark's timing of spawned processes (the rest of the
// module serves that benchmark).
#[allow(dead_code)]
#[path = "archive/measure.rs"]
mod measure;

const ARTICLES: u64 = 20_000;
const SEED: u64 = 7;

/// One search of the mix: its name, query, date flags and order.
struct Class {
    name: &'static str,
    query: &'static str,
    /// `--on`, `--from`, `--to`.
    dates: [Option<&'static str>; 3],
    sort: Option<Sort>,
}

const fn class(name: &'static str, query: &'static str) -> Class {
    Class {
        name,
        query,
        dates: [None; 3],
        sort: None,
    }
}

/// Every class of issue #17's targets: a term (common and rare), AND of
/// two and three words, a phrase, OR, each with a date filter, sorted by
/// date both ways, and no words over a day and a month. The dates are in
/// both the default archive and the 1M one of RESULTS.md.
const MIX: [Class; 12] = [
    class("common term", "said"),
    class("rare term", "hemophilia"),
    class("AND", "oil prices"),
    class("AND of 3", "bank interest rates"),
    class("phrase", "\"interest rates\""),
    class("OR", "oil OR gold OR wheat"),
    Class {
        dates: [None, Some("2024-01-01"), Some("2024-12-31")],
        ..class("phrase + year", "\"interest rates\"")
    },
    Class {
        dates: [None, Some("2024-01-01"), Some("2024-12-31")],
        ..class("term + year", "said")
    },
    Class {
        sort: Some(Sort::Newest),
        ..class("term, newest first", "said")
    },
    Class {
        sort: Some(Sort::Oldest),
        ..class("AND, oldest first", "oil prices")
    },
    Class {
        dates: [Some("2024-03-15"), None, None],
        ..class("no words, one day", "")
    },
    Class {
        dates: [Some("2024-03"), None, None],
        ..class("no words, one month", "")
    },
];

fn request(class: &Class, exact_total: bool) -> SearchRequest {
    let [on, from, to] = class.dates;
    SearchRequest {
        query: class.query.to_string(),
        filter: DateFilter::from_flags(on, from, to).expect("the mix's dates are valid"),
        sort: class.sort,
        limit: 10,
        offset: 0,
        snippet_len: DEFAULT_SNIPPET_CHARS,
        snippets: 1,
        exact_total,
        // (As `dateline search`: one hit per story.)
        fold: true,
        whole_archive: None,
        keys_only: false,
    }
}

/// Each class twice: as `dateline search` runs it (the total counted up to
/// 10,000) and with `--exact-total`.
fn searches(c: &mut Criterion) {
    let Some(dir) = index_dir() else {
        return;
    };
    let index = ArchiveIndex::open(&dir).expect("the benchmark index should open");
    let mut group = c.benchmark_group("search, top 10 with snippets");
    for class in &MIX {
        for (path, exact) in [("", false), (", exact total", true)] {
            let request = request(class, exact);
            group.bench_function(format!("{}{path}", class.name), |b| {
                b.iter(|| search(&index, &request).expect("the mix's queries are valid"));
            });
        }
    }
    group.finish();
}

/// `--table`: p50 and p99 of each class in process (the index opened once,
/// as a server has it), both paths, and the median whole `dateline search`
/// process of the release build beside the floor (a bare date listing).
fn table(runs: usize) {
    let Some(dir) = index_dir() else {
        return;
    };
    let index = ArchiveIndex::open(&dir).expect("the benchmark index should open");
    let binary = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/dateline");
    println!(
        "{} runs a class, in process after 3 warm-ups; whole process: median of {}",
        runs,
        runs.min(31)
    );
    println!("| class | total | p50 | p99 | exact total: p50 | p99 | whole process |");
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    for class in &MIX {
        let mut row = vec![class.name.to_string()];
        for exact in [false, true] {
            let request = request(class, exact);
            let mut times = Vec::with_capacity(runs);
            let mut total = String::new();
            for run in 0..runs + 3 {
                let started = Instant::now();
                let results = search(&index, &request).expect("the mix's queries are valid");
                if run >= 3 {
                    times.push(started.elapsed());
                }
                total = if results.total_exact {
                    results.total.to_string()
                } else {
                    format!("> {}", results.total)
                };
            }
            times.sort();
            let at = |q: f64| times[((times.len() as f64 * q).ceil() as usize).saturating_sub(1)];
            if !exact {
                row.push(total);
            }
            row.push(format!("{:.1} ms", ms(at(0.5))));
            row.push(format!("{:.1} ms", ms(at(0.99))));
        }
        row.push(match whole_process(&binary, &dir, class, runs.min(31)) {
            Some(median) => format!("{median:.1} ms"),
            None => "(no release build)".into(),
        });
        println!("| {} |", row.join(" | "));
    }
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e3
}

/// The median wall time of `dateline search` for a class, as typed.
fn whole_process(binary: &Path, index: &Path, class: &Class, runs: usize) -> Option<f64> {
    if !binary.is_file() {
        return None;
    }
    let mut args: Vec<String> = vec!["--index".into(), index.display().to_string()];
    args.push("search".into());
    for (flag, value) in ["--on", "--from", "--to"].iter().zip(class.dates) {
        if let Some(value) = value {
            args.extend([flag.to_string(), value.to_string()]);
        }
    }
    if let Some(sort) = class.sort {
        args.extend(["--sort".into(), sort.name().to_string()]);
    }
    if !class.query.is_empty() {
        args.extend(["--".into(), class.query.to_string()]);
    }
    let spawned = measure::time_spawns(runs, &[0, 1], || {
        let mut command = Command::new(binary);
        command.args(&args);
        command
    });
    Some(ms(spawned.median))
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
    if std::env::args().any(|arg| arg == "--table") {
        table(200);
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
