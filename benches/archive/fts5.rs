//! SQLite FTS5 through python3's sqlite3, driven by `benches/fts5.py`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde_json::{json, Value};

use crate::corpus::Corpus;
use crate::measure::{file_size, run_measured, Latency};
use crate::ours::{path_arg, report_stderr};
use crate::peers::{find_on_path, IndexRow, Peer, PeerQuery, PeerResults, QueryColumn};
use crate::queries::QuerySpec;

const WARMUPS: usize = 5;
const RUNS: usize = 50;

pub fn run(corpus: &Corpus, mix: &[QuerySpec]) -> Peer {
    let name = "SQLite FTS5";
    let python = match python_with_fts5() {
        Ok(python) => python,
        Err(reason) => {
            return Peer {
                name,
                outcome: Err(reason),
            }
        }
    };
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/fts5.py");
    let db = corpus.dir.join("fts5.db");
    let index = build(&python, &script, corpus, &db);
    let queries = time_queries(&python, &script, corpus, &db, mix);
    Peer {
        name,
        outcome: Ok(PeerResults {
            index: Some(index),
            columns: vec![QueryColumn {
                label: "FTS5 (in process)".to_string(),
                in_process: true,
                queries,
            }],
            notes: vec![format!(
                "SQLite FTS5 {}: `benches/fts5.py` (python3 sqlite3) builds \
                 fts5(headline, body, tokenize='porter') plus a table of dates with an index, \
                 from articles.jsonl, in one transaction; queries take the top 10 by \
                 bm25(fts, 2.0, 1.0) with snippet() of the body and highlight() of the \
                 headline, timed inside python ({WARMUPS} warm-ups, median of {RUNS}); the \
                 match count is a separate, untimed query.",
                sqlite_version(&python)
            )],
        }),
    }
}

fn python_with_fts5() -> Result<PathBuf, String> {
    let python = find_on_path("python3").ok_or("`python3` is not on the PATH")?;
    let probe = "import sqlite3; sqlite3.connect(':memory:').execute('create virtual table t using fts5(x)')";
    let works = Command::new(&python)
        .args(["-c", probe])
        .output()
        .is_ok_and(|out| out.status.success());
    if works {
        Ok(python)
    } else {
        Err("python3's sqlite3 has no FTS5".to_string())
    }
}

fn build(python: &Path, script: &Path, corpus: &Corpus, db: &Path) -> IndexRow {
    let args = vec![
        path_arg(script),
        "build".to_string(),
        "--jsonl".to_string(),
        path_arg(&corpus.jsonl),
        "--db".to_string(),
        path_arg(db),
    ];
    eprintln!("fts5: building: python3 {}", args.join(" "));
    let run = run_measured(python, &args, None).expect_success("the FTS5 build");
    report_stderr("fts5", &run.stderr);
    let result: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|err| panic!("fts5.py build printed no JSON ({err}):\n{}", run.stdout));
    eprintln!("fts5: built: {result}");
    IndexRow {
        label: "SQLite FTS5 (python3)".to_string(),
        input: "JSONL".to_string(),
        wall: run.wall,
        usage: run.usage,
        resident: run.resident,
        index_bytes: file_size(db),
    }
}

fn time_queries(
    python: &Path,
    script: &Path,
    corpus: &Corpus,
    db: &Path,
    mix: &[QuerySpec],
) -> Vec<Option<PeerQuery>> {
    let spec: Vec<Value> = mix
        .iter()
        .map(|q| {
            json!({
                "name": q.name,
                "match": q.fts5,
                "from": q.fts5_days.map(|(from, _)| from),
                "to": q.fts5_days.map(|(_, to)| to),
            })
        })
        .collect();
    let queries = corpus.dir.join("fts5-queries.json");
    std::fs::write(&queries, Value::from(spec).to_string())
        .expect("writing the FTS5 query file should work");
    let args = [
        path_arg(script),
        "query".to_string(),
        "--db".to_string(),
        path_arg(db),
        "--queries".to_string(),
        path_arg(&queries),
        "--runs".to_string(),
        RUNS.to_string(),
        "--warmup".to_string(),
        WARMUPS.to_string(),
    ];
    eprintln!("fts5: querying: python3 {}", args.join(" "));
    let run = run_measured(python, &args, None).expect_success("the FTS5 queries");
    let result: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|err| panic!("fts5.py query printed no JSON ({err}):\n{}", run.stdout));
    let rows = result["queries"]
        .as_array()
        .expect("fts5.py query should print {\"queries\": [...]}");
    mix.iter()
        .zip(rows)
        .map(|(spec, row)| {
            let ms = |key: &str| {
                let value = row[key]
                    .as_f64()
                    .unwrap_or_else(|| panic!("fts5.py gave no {key} for {:?}", spec.name));
                Duration::from_secs_f64(value / 1e3)
            };
            let latency = Latency {
                median: ms("median_ms"),
                p95: ms("p95_ms"),
                runs: RUNS,
            };
            let hits = row["hits"].as_u64();
            eprintln!(
                "fts5: {:<40} {:>7} hits  {:>8.2} ms",
                spec.name,
                hits.unwrap_or(0),
                latency.median.as_secs_f64() * 1e3
            );
            Some(PeerQuery { hits, latency })
        })
        .collect()
}

fn sqlite_version(python: &Path) -> String {
    Command::new(python)
        .args(["-c", "import sqlite3; print(sqlite3.sqlite_version)"])
        .output()
        .ok()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_string())
        .unwrap_or_else(|| "(version unknown)".to_string())
}
