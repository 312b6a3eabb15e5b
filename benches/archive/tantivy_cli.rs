//! tantivy-cli (`cargo install tantivy-cli`): the same engine, its stock
//! command line, on the JSON-lines twin of the archive.

use std::fs::{self, File};
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde_json::Value;

use crate::corpus::Corpus;
use crate::measure::{files_size, run_measured, time_spawns, Latency};
use crate::ours::{path_arg, report_stderr};
use crate::peers::{find_on_path, IndexRow, Peer, PeerQuery, PeerResults, QueryColumn};
use crate::queries::QuerySpec;

const WARMUPS: usize = 5;
const RUNS: usize = 50;
const SEARCH_RUNS: usize = 3;
const THREADS: &str = "2";

/// What `tantivy new` would write when asked for: headline and body as
/// stored TEXT with positions and the `en_stem` tokenizer, date as a stored,
/// fast date. Not an indexed one: `tantivy bench` searches every indexed
/// field and fails on `said` as a date; range queries use the fast field.
const META_JSON: &str = r#"{"index_settings":{"docstore_compression":"lz4","docstore_blocksize":16384},"segments":[],"schema":[
{"name":"headline","type":"text","options":{"indexing":{"record":"position","fieldnorms":true,"tokenizer":"en_stem"},"stored":true,"fast":false}},
{"name":"body","type":"text","options":{"indexing":{"record":"position","fieldnorms":true,"tokenizer":"en_stem"},"stored":true,"fast":false}},
{"name":"date","type":"date","options":{"indexed":false,"fieldnorms":false,"fast":true,"stored":true,"precision":"seconds"}}
],"opstamp":0}
"#;

pub fn run(corpus: &Corpus, mix: &[QuerySpec]) -> Peer {
    let name = "tantivy-cli";
    let Some(tantivy) = find_on_path("tantivy") else {
        return Peer {
            name,
            outcome: Err(
                "`tantivy` is not on the PATH (`cargo install tantivy-cli` to add it)".to_string(),
            ),
        };
    };
    eprintln!("tantivy-cli: {}", tantivy.display());
    let docs = documents(corpus);
    let index = corpus.dir.join("tantivy");
    let index_row = build_index(&tantivy, &docs, &index);
    let in_process = bench(&tantivy, &index, &corpus.dir, mix);
    let process = search_spawns(&tantivy, &index, mix, &in_process);
    Peer {
        name,
        outcome: Ok(PeerResults {
            index: Some(index_row),
            columns: vec![
                QueryColumn {
                    label: "tantivy bench (in process)".to_string(),
                    in_process: true,
                    queries: in_process,
                },
                QueryColumn {
                    label: "tantivy search (process)".to_string(),
                    in_process: false,
                    queries: process,
                },
            ],
            notes: vec![
                format!(
                    "tantivy-cli: schema written as meta.json (`tantivy new` only asks \
                     interactively): headline, body TEXT/en_stem stored with positions, date \
                     stored+fast (not indexed: `tantivy bench` would parse `said` as a \
                     date); `tantivy index -i DIR/tantivy -t {THREADS}` (default 1 GB writer \
                     budget) fed `{}`, a copy of articles.jsonl with RFC 3339 dates \
                     (made once, not timed).",
                    docs.display()
                ),
                format!(
                    "tantivy bench (in process): `tantivy bench -n {}`, first {WARMUPS} rounds \
                     dropped; per query the sum of its TopDocs(10)+Count search and fetching \
                     the 10 stored docs; no snippets. Words ORed unless `+`; the AND query is \
                     `+oil +prices`, date filters are `date:[… TO …}}` ranges; the date-only \
                     query is ranked by score, not by date.",
                    WARMUPS + RUNS
                ),
                format!(
                    "tantivy search (process): `tantivy search -i DIR/tantivy -q QUERY`, median \
                     of {SEARCH_RUNS}; it prints *every* match in full as JSON, unranked, so it \
                     is not comparable on the big queries."
                ),
            ],
        }),
    }
}

/// `DIR/tantivy-docs.jsonl`: headline, body and an RFC 3339 date, which is
/// the only date form tantivy's JSON parser takes. Made once.
fn documents(corpus: &Corpus) -> PathBuf {
    let docs = corpus.dir.join("tantivy-docs.jsonl");
    if docs.is_file() {
        eprintln!("tantivy-cli: reusing {}", docs.display());
        return docs;
    }
    eprintln!("tantivy-cli: writing {} (RFC 3339 dates)", docs.display());
    let partial = docs.with_extension("jsonl.partial");
    let input = File::open(&corpus.jsonl)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", corpus.jsonl.display()));
    let output = File::create(&partial)
        .unwrap_or_else(|err| panic!("cannot write {}: {err}", partial.display()));
    let mut output = BufWriter::new(output);
    for (number, line) in BufReader::new(input).lines().enumerate() {
        let line =
            line.unwrap_or_else(|err| panic!("cannot read {}: {err}", corpus.jsonl.display()));
        let doc = tantivy_document(&line).unwrap_or_else(|| {
            panic!(
                "{} line {}: not an article",
                corpus.jsonl.display(),
                number + 1
            )
        });
        writeln!(output, "{doc}").expect("writing the tantivy documents should work");
    }
    output
        .flush()
        .expect("writing the tantivy documents should work");
    fs::rename(&partial, &docs).expect("renaming the tantivy documents should work");
    docs
}

fn tantivy_document(line: &str) -> Option<Value> {
    let article: Value = serde_json::from_str(line).ok()?;
    let mut doc = serde_json::Map::new();
    for key in ["headline", "body"] {
        doc.insert(key.to_string(), article.get(key)?.clone());
    }
    if let Some(date) = article.get("date").and_then(Value::as_str) {
        doc.insert("date".to_string(), Value::from(format!("{date}T00:00:00Z")));
    }
    Some(Value::Object(doc))
}

fn build_index(tantivy: &Path, docs: &Path, index: &Path) -> IndexRow {
    if index.exists() {
        fs::remove_dir_all(index)
            .unwrap_or_else(|err| panic!("cannot remove {}: {err}", index.display()));
    }
    fs::create_dir_all(index)
        .unwrap_or_else(|err| panic!("cannot create {}: {err}", index.display()));
    fs::write(index.join("meta.json"), META_JSON).expect("writing meta.json should work");
    let args = ["index", "-i", &path_arg(index), "-t", THREADS].map(String::from);
    eprintln!(
        "tantivy-cli: indexing: tantivy {} < {}",
        args.join(" "),
        docs.display()
    );
    let run = run_measured(tantivy, &args, Some(docs)).expect_success("tantivy index");
    let failures = run
        .stdout
        .lines()
        .filter(|line| line.starts_with("Failed to add document"))
        .count();
    if failures > 0 {
        eprintln!("tantivy-cli: warning: {failures} documents were not added");
    }
    report_stderr("tantivy-cli", &run.stderr);
    IndexRow {
        label: format!("tantivy-cli (`index -t {THREADS}`)"),
        input: "JSONL".to_string(),
        wall: run.wall,
        usage: run.usage,
        resident: run.resident,
        index_bytes: files_size(index, None).0,
    }
}

/// `tantivy bench`: in-process search and stored-document fetch times.
fn bench(tantivy: &Path, index: &Path, dir: &Path, mix: &[QuerySpec]) -> Vec<Option<PeerQuery>> {
    let queries = dir.join("tantivy-queries.txt");
    let lines: Vec<&str> = mix.iter().map(|spec| spec.tantivy).collect();
    fs::write(&queries, lines.join("\n") + "\n").expect("writing the query file should work");
    let args = [
        "bench",
        "-i",
        &path_arg(index),
        "-q",
        &path_arg(&queries),
        "-n",
        &(WARMUPS + RUNS).to_string(),
    ]
    .map(String::from);
    eprintln!("tantivy-cli: tantivy {}", args.join(" "));
    let run = run_measured(tantivy, &args, None).expect_success("tantivy bench");
    let table = BenchOutput::parse(&run.stdout, mix.len());
    (0..mix.len())
        .map(|q| {
            let samples: Vec<Duration> = table
                .search_us
                .iter()
                .zip(&table.fetch_us)
                .skip(WARMUPS)
                .map(|(search, fetch)| Duration::from_micros(search[q] + fetch[q]))
                .collect();
            let latency = Latency::of(&samples);
            eprintln!(
                "tantivy-cli: {:<40} {:>7} hits  bench {:>8.2} ms",
                mix[q].name,
                table.hits[q],
                latency.median.as_secs_f64() * 1e3
            );
            Some(PeerQuery {
                hits: Some(table.hits[q]),
                latency,
            })
        })
        .collect()
}

/// `tantivy bench` prints, per round, one `query\thits\tmicros` line per
/// query under SEARCH, then one `query\tmicros` per query under FETCH STORE.
struct BenchOutput {
    hits: Vec<u64>,
    /// Per round, per query.
    search_us: Vec<Vec<u64>>,
    fetch_us: Vec<Vec<u64>>,
}

impl BenchOutput {
    fn parse(stdout: &str, queries: usize) -> BenchOutput {
        let mut search = Vec::new();
        let mut fetch = Vec::new();
        let mut hits = Vec::new();
        let mut in_fetch = false;
        for line in stdout.lines() {
            if line.starts_with("FETCH STORE") {
                in_fetch = true;
                continue;
            }
            let fields: Vec<&str> = line.split('\t').collect();
            let number = |field: &str| field.trim().parse::<u64>().ok();
            match (in_fetch, fields.as_slice()) {
                (false, [_, count, micros]) => {
                    if let (Some(count), Some(micros)) = (number(count), number(micros)) {
                        if hits.len() < queries {
                            hits.push(count);
                        }
                        search.push(micros);
                    }
                }
                (true, [_, micros]) => {
                    if let Some(micros) = number(micros) {
                        fetch.push(micros);
                    }
                }
                _ => {}
            }
        }
        assert!(
            !search.is_empty()
                && search.len() == fetch.len()
                && search.len().is_multiple_of(queries),
            "unexpected `tantivy bench` output:\n{stdout}"
        );
        let rounds = |flat: Vec<u64>| flat.chunks(queries).map(<[u64]>::to_vec).collect();
        BenchOutput {
            hits,
            search_us: rounds(search),
            fetch_us: rounds(fetch),
        }
    }
}

/// `tantivy search` spawned per query: it prints every match, so the big
/// queries cost what printing them all costs.
fn search_spawns(
    tantivy: &Path,
    index: &Path,
    mix: &[QuerySpec],
    hits: &[Option<PeerQuery>],
) -> Vec<Option<PeerQuery>> {
    mix.iter()
        .zip(hits)
        .map(|(spec, counted)| {
            let latency = time_spawns(SEARCH_RUNS, &[0], || {
                let mut command = Command::new(tantivy);
                command
                    .args(["search", "-i"])
                    .arg(index)
                    .args(["-q", spec.tantivy]);
                command
            });
            eprintln!(
                "tantivy-cli: {:<40} search {:>8.1} ms",
                spec.name,
                latency.median.as_secs_f64() * 1e3
            );
            Some(PeerQuery {
                hits: counted.and_then(|q| q.hits),
                latency,
            })
        })
        .collect()
}
