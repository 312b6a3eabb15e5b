//! End-to-end benchmark on a generated news archive: indexing through the real
//! binary, a fixed query mix in process and as a process, and the same work
//! done by peers (ripgrep, tantivy-cli, SQLite FTS5) when they are installed.
//! Prints one markdown report on stdout; progress goes to stderr.
//!
//! ```sh
//! cargo bench --bench archive -- --articles 100000 [--dir DIR] [--seed 7] [--runs N] [--skip-peers]
//! ```
//!
//! `DIR` (default `target/bench-archives/<articles>-<seed>`) holds the archive
//! (`articles/`, `articles.jsonl`, made with `../shared/tools/gen-archive`
//! when missing) and every index built from it.
//!
//! The parts live in `benches/archive/` (one file per tool, plus measuring and
//! reporting); `#[path]` keeps this file the bench's root.

#[path = "archive/corpus.rs"]
mod corpus;
#[path = "archive/fts5.rs"]
mod fts5;
#[path = "archive/measure.rs"]
mod measure;
#[path = "archive/options.rs"]
mod options;
#[path = "archive/ours.rs"]
mod ours;
#[path = "archive/peers.rs"]
mod peers;
#[path = "archive/queries.rs"]
mod queries;
#[path = "archive/report.rs"]
mod report;
#[path = "archive/rg.rs"]
mod rg;
#[path = "archive/tantivy_cli.rs"]
mod tantivy_cli;

use std::time::Instant;

use options::Options;
use peers::Peer;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // `cargo bench` passes `--bench`; `cargo test --benches` (or
    // `--all-targets`) runs bench programs without it: do nothing then.
    if !args.iter().any(|arg| arg == "--bench") {
        eprintln!("archive: a benchmark, not a test; run `cargo bench --bench archive`");
        return;
    }
    let options = match Options::from_args(args) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{message}");
            std::process::exit(2);
        }
    };
    let started = Instant::now();
    let machine = report::Machine::now();
    let corpus = corpus::find_or_make(&options);
    let mix = queries::mix();

    let fresh = ours::index_fresh(&corpus);
    let unchanged = ours::index_unchanged(&corpus);
    let ours = ours::time_queries(&corpus, &mix, options.runs);
    let peers: Vec<Peer> = if options.skip_peers {
        Vec::new()
    } else {
        vec![
            tantivy_cli::run(&corpus, &mix),
            fts5::run(&corpus, &mix),
            rg::run(&corpus, &mix),
        ]
    };
    for peer in &peers {
        if let Err(reason) = &peer.outcome {
            eprintln!("{}: skipped: {reason}", peer.name);
        }
    }

    print!(
        "{}",
        report::render(&report::Results {
            options: &options,
            machine: &machine,
            corpus: &corpus,
            fresh: &fresh,
            unchanged: &unchanged,
            mix: &mix,
            ours: &ours,
            peers: &peers,
            took: started.elapsed(),
        })
    );
}
