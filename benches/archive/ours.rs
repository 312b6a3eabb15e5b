//! dateline itself: indexing through the real binary, searching in process
//! (the library) and as a whole process (the binary).

use std::path::{Path, PathBuf};
use std::process::Command;

use dateline::{search, ArchiveIndex, DateFilter, SearchRequest};

use crate::corpus::Corpus;
use crate::measure::{self, files_size, run_measured, Latency, Measured};
use crate::queries::QuerySpec;

/// The binary cargo built for this benchmark.
pub const DATELINE: &str = env!("CARGO_BIN_EXE_dateline");

/// Searches done in process: warm-ups, then timed runs.
const IN_PROCESS_WARMUPS: usize = 5;
const IN_PROCESS_RUNS: usize = 50;
/// What `dateline search` uses for snippets.
const SNIPPET_LEN: usize = 200;

/// How long an index took to build and what it cost.
#[derive(Debug)]
pub struct IndexRun {
    pub run: Measured,
    /// Bytes on disk of the whole index folder afterwards.
    pub index_bytes: u64,
}

pub fn index_dir(corpus: &Corpus) -> PathBuf {
    corpus.dir.join("index")
}

/// `dateline index --rebuild` into a fresh folder.
pub fn index_fresh(corpus: &Corpus) -> IndexRun {
    let index = index_dir(corpus);
    remove_dir(&index);
    index_run(corpus, &["--rebuild"], "indexing from scratch")
}

/// `dateline index` again on the same, unchanged archive.
pub fn index_unchanged(corpus: &Corpus) -> IndexRun {
    index_run(corpus, &[], "re-indexing the unchanged archive")
}

fn index_run(corpus: &Corpus, extra: &[&str], what: &str) -> IndexRun {
    let index = index_dir(corpus);
    let mut args = vec![
        "--index".to_string(),
        path_arg(&index),
        "index".to_string(),
        path_arg(&corpus.articles),
    ];
    args.extend(extra.iter().map(|arg| arg.to_string()));
    eprintln!("dateline: {what}: {DATELINE} {}", args.join(" "));
    let run = run_measured(Path::new(DATELINE), &args, None).expect_success(what);
    eprint!("dateline: {}", run.stdout);
    report_stderr("dateline", &run.stderr);
    let (index_bytes, _) = files_size(&index, None);
    IndexRun { run, index_bytes }
}

/// One query's latencies and how many articles it matched.
#[derive(Debug, Clone, Copy)]
pub struct QueryTimes {
    pub hits: usize,
    pub in_process: Latency,
    pub process: Latency,
}

/// Times every query of the mix, in process and as spawned processes.
pub fn time_queries(corpus: &Corpus, mix: &[QuerySpec], process_runs: usize) -> Vec<QueryTimes> {
    let dir = index_dir(corpus);
    let index = ArchiveIndex::open(&dir)
        .unwrap_or_else(|err| panic!("the fresh index {} should open: {err}", dir.display()));
    mix.iter()
        .map(|spec| {
            let request = request(spec);
            // Every match, as the peers count them (the timed search
            // counts up to 10,000, as `dateline search` does).
            let exact = SearchRequest {
                exact_total: true,
                ..request.clone()
            };
            let hits = search(&index, &exact)
                .unwrap_or_else(|err| panic!("search {:?} failed: {err}", spec.name))
                .total;
            if hits == 0 {
                eprintln!("dateline: warning: {:?} matches nothing here", spec.name);
            }
            let in_process = measure::sample(IN_PROCESS_WARMUPS, IN_PROCESS_RUNS, || {
                search(&index, &request).expect("a search that ran once runs again");
            });
            let process =
                measure::time_spawns(process_runs, &[0, 1], || search_command(&dir, spec));
            eprintln!(
                "dateline: {:<40} {hits:>7} hits  in process {:>8.2} ms  process {:>8.2} ms",
                spec.name,
                ms(in_process.median),
                ms(process.median)
            );
            QueryTimes {
                hits,
                in_process,
                process,
            }
        })
        .collect()
}

/// The library call behind `dateline search QUERY [filters] -n 10`.
fn request(spec: &QuerySpec) -> SearchRequest {
    let filter = DateFilter::from_flags(spec.on, spec.from, spec.to)
        .unwrap_or_else(|err| panic!("bad date filter in {:?}: {err}", spec.name));
    SearchRequest {
        query: spec.query.to_string(),
        filter,
        sort: None,
        limit: 10,
        offset: 0,
        snippet_len: SNIPPET_LEN,
        snippets: 1,
        exact_total: false,
        fold: true,
        whole_archive: None,
        keys_only: false,
    }
}

fn search_command(index: &Path, spec: &QuerySpec) -> Command {
    let mut command = Command::new(DATELINE);
    command
        .arg("--index")
        .arg(index)
        .arg("search")
        .arg("--json")
        .args(["-n", "10"])
        .args(spec.cli_args());
    command
}

fn remove_dir(dir: &Path) {
    if dir.exists() {
        std::fs::remove_dir_all(dir)
            .unwrap_or_else(|err| panic!("cannot remove {}: {err}", dir.display()));
    }
}

pub fn path_arg(path: &Path) -> String {
    path.to_str()
        .expect("the bench folder's path should be valid UTF-8")
        .to_string()
}

/// Shows the first lines of what a measured process said on stderr.
pub fn report_stderr(who: &str, stderr: &str) {
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    for line in lines.iter().take(5) {
        eprintln!("{who}: stderr: {line}");
    }
    if lines.len() > 5 {
        eprintln!("{who}: stderr: … {} more lines", lines.len() - 5);
    }
}

pub fn ms(duration: std::time::Duration) -> f64 {
    duration.as_secs_f64() * 1e3
}
