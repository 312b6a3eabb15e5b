//! The markdown report, ready to paste into `benches/RESULTS.md`.

use std::fmt::Write as _;
use std::process::Command;
use std::time::Duration;

use dateline::thousands;

use crate::corpus::Corpus;
use crate::measure::gnu_time_available;
use crate::options::Options;
use crate::ours::{IndexRun, QueryTimes};
use crate::peers::{IndexRow, Peer, QueryColumn};
use crate::queries::QuerySpec;

/// Where and when the benchmark ran.
#[derive(Debug)]
pub struct Machine {
    pub cores: usize,
    pub memory: String,
    pub cpu: String,
    pub load_at_start: String,
    pub started_utc: String,
    pub revision: String,
}

impl Machine {
    pub fn now() -> Machine {
        let now = time::OffsetDateTime::now_utc();
        Machine {
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            memory: proc_field("/proc/meminfo", "MemTotal")
                .and_then(|kib| kib.trim_end_matches("kB").trim().parse::<f64>().ok())
                .map_or("unknown".to_string(), |kib| {
                    format!("{:.1} GiB", kib / 1024.0 / 1024.0)
                }),
            cpu: proc_field("/proc/cpuinfo", "model name").unwrap_or_else(|| "unknown".into()),
            load_at_start: load_average(),
            started_utc: format!("{} {:02}:{:02} UTC", now.date(), now.hour(), now.minute()),
            revision: git_revision(),
        }
    }
}

fn proc_field(file: &str, key: &str) -> Option<String> {
    let text = std::fs::read_to_string(file).ok()?;
    text.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        (name.trim() == key).then(|| value.trim().to_string())
    })
}

pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|| "unknown".to_string())
}

fn git_revision() -> String {
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .ok()
            .filter(|out| out.status.success())
            .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_string())
    };
    match git(&["rev-parse", "--short", "HEAD"]) {
        Some(hash) => {
            let dirty = git(&["status", "--porcelain", "--", "src", "Cargo.toml"])
                .is_some_and(|status| !status.is_empty());
            format!(
                "{hash}{}",
                if dirty { " + uncommitted changes" } else { "" }
            )
        }
        None => "unknown revision".to_string(),
    }
}

/// Everything measured, for [`render`].
pub struct Results<'a> {
    pub options: &'a Options,
    pub machine: &'a Machine,
    pub corpus: &'a Corpus,
    pub fresh: &'a IndexRun,
    pub unchanged: &'a IndexRun,
    pub mix: &'a [QuerySpec],
    pub ours: &'a [QueryTimes],
    pub peers: &'a [Peer],
    pub took: Duration,
}

pub fn render(r: &Results) -> String {
    let mut out = String::new();
    header(&mut out, r);
    indexing(&mut out, r);
    our_queries(&mut out, r);
    peer_queries(&mut out, r);
    matches(&mut out, r);
    notes(&mut out, r);
    out
}

fn header(out: &mut String, r: &Results) {
    let m = r.machine;
    let _ = writeln!(
        out,
        "## Archive benchmark: {} articles, {:.1} MB of text\n",
        thousands(r.corpus.files),
        mb(r.corpus.raw_bytes)
    );
    let _ = writeln!(out, "- command: `{}`", r.options.command_line);
    let _ = writeln!(
        out,
        "- date: {} (the run took {:.0} s); dateline {} at {}",
        m.started_utc,
        r.took.as_secs_f64(),
        env!("CARGO_PKG_VERSION"),
        m.revision
    );
    let _ = writeln!(
        out,
        "- machine: {} cores, {} RAM, {}; load average {} at the start, {} at the end",
        m.cores,
        m.memory,
        m.cpu,
        m.load_at_start,
        load_average()
    );
    let _ = writeln!(
        out,
        "- archive: `{}` (gen-archive seed {})\n",
        r.corpus.dir.display(),
        r.options.seed
    );
}

fn indexing(out: &mut String, r: &Results) {
    let _ = writeln!(out, "### Indexing\n");
    let ours = [
        ("dateline (`index --rebuild`)", r.fresh),
        ("dateline (again, unchanged)", r.unchanged),
    ]
    .map(|(label, run)| IndexRow {
        label: label.to_string(),
        input: ".txt files".to_string(),
        wall: run.run.wall,
        usage: run.run.usage,
        resident: run.run.resident,
        index_bytes: run.index_bytes,
    });
    let peers = r
        .peers
        .iter()
        .filter_map(|peer| peer.outcome.as_ref().ok()?.index.as_ref());
    let rows = ours
        .iter()
        .chain(peers)
        .map(|row| index_row(r, row))
        .collect();
    table(
        out,
        &[
            "tool",
            "reads",
            "wall s",
            "articles/s",
            "MB/s",
            "CPU s",
            "peak RSS MiB",
            "of it heap / mapped files MiB",
            "index MiB",
            "index / text",
            "wall / dateline fresh",
        ],
        rows,
    );
    let _ = writeln!(
        out,
        "\narticles/s and MB/s count the same {} articles and {:.1} MB of article text \
         (the .txt files) for every tool. CPU = user + sys{}.\n",
        thousands(r.corpus.files),
        mb(r.corpus.raw_bytes),
        if gnu_time_available() {
            ", from /usr/bin/time, like peak RSS; heap (`RssAnon`) and mapped files \
             (`RssFile`) are the peaks of each, sampled every 50 ms from /proc: their sum can \
             exceed the peak RSS, which is of the total"
        } else {
            "; /usr/bin/time is missing, so no CPU or RSS"
        }
    );
}

fn index_row(r: &Results, row: &IndexRow) -> Vec<String> {
    let seconds = row.wall.as_secs_f64();
    let usage = row.usage;
    let index_bytes = row.index_bytes;
    vec![
        row.label.clone(),
        row.input.clone(),
        format!("{seconds:.2}"),
        thousands((r.corpus.files as f64 / seconds) as u64),
        format!("{:.1}", mb(r.corpus.raw_bytes) / seconds),
        usage.map_or("–".into(), |u| format!("{:.1}", u.cpu().as_secs_f64())),
        usage.map_or("–".into(), |u| {
            format!("{:.0}", u.max_rss_kib as f64 / 1024.0)
        }),
        row.resident.map_or("–".into(), |r| {
            format!(
                "{:.0} / {:.0}",
                r.anon_kib as f64 / 1024.0,
                r.file_kib as f64 / 1024.0
            )
        }),
        format!("{:.1}", index_bytes as f64 / (1024.0 * 1024.0)),
        format!("{:.2}", index_bytes as f64 / r.corpus.raw_bytes as f64),
        ratio(seconds / r.fresh.run.wall.as_secs_f64()),
    ]
}

fn our_queries(out: &mut String, r: &Results) {
    let _ = writeln!(out, "### Queries: dateline, top 10 with snippets\n");
    let first = r.ours.first();
    let rows = r
        .mix
        .iter()
        .zip(r.ours)
        .map(|(spec, times)| {
            vec![
                spec.name.to_string(),
                thousands(times.hits as u64),
                millis(times.in_process.median),
                millis(times.in_process.p95),
                millis(times.process.median),
                millis(times.process.p95),
            ]
        })
        .collect();
    table(
        out,
        &[
            "query",
            "hits",
            "in process median ms",
            "p95 ms",
            "`dateline search --json` median ms",
            "p95 ms",
        ],
        rows,
    );
    if let Some(times) = first {
        let _ = writeln!(
            out,
            "\nIn process: `search::search` on an index opened once, {} runs after 5 warm-ups. \
             Process: the binary spawned {} times (opening the index each time).\n",
            times.in_process.runs, times.process.runs
        );
    }
}

fn peer_columns<'a>(r: &'a Results) -> Vec<&'a QueryColumn> {
    r.peers
        .iter()
        .filter_map(|peer| peer.outcome.as_ref().ok())
        .flat_map(|results| &results.columns)
        .collect()
}

fn peer_queries(out: &mut String, r: &Results) {
    let columns = peer_columns(r);
    if columns.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "### Queries: peers, median ms (× = peer / dateline: above 1, dateline is faster)\n"
    );
    let rows = r
        .mix
        .iter()
        .enumerate()
        .map(|(q, spec)| {
            let mut row = vec![spec.name.to_string()];
            for column in &columns {
                let ours = if column.in_process {
                    r.ours[q].in_process.median
                } else {
                    r.ours[q].process.median
                };
                row.push(match column.queries.get(q).copied().flatten() {
                    Some(peer) => format!(
                        "{} ({})",
                        millis(peer.latency.median),
                        ratio(peer.latency.median.as_secs_f64() / ours.as_secs_f64())
                    ),
                    None => "–".to_string(),
                });
            }
            row
        })
        .collect();
    let mut headers = vec!["query".to_string()];
    headers.extend(columns.iter().map(|c| c.label.clone()));
    let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
    table(out, &headers, rows);
    let _ = writeln!(
        out,
        "\n\"in process\" columns are compared with dateline in process, \"process\" columns \
         with `dateline search` spawned.\n"
    );
}

fn matches(out: &mut String, r: &Results) {
    let columns = peer_columns(r);
    if columns.is_empty() {
        return;
    }
    let _ = writeln!(out, "### Matches per tool\n");
    // One count per peer, from its first column.
    let mut headers = vec!["query".to_string(), "dateline".to_string()];
    let mut counted: Vec<&QueryColumn> = Vec::new();
    for peer in r.peers {
        if let Some(column) = peer.outcome.as_ref().ok().and_then(|o| o.columns.first()) {
            headers.push(peer.name.to_string());
            counted.push(column);
        }
    }
    let rows = r
        .mix
        .iter()
        .enumerate()
        .map(|(q, spec)| {
            let mut row = vec![spec.name.to_string(), thousands(r.ours[q].hits as u64)];
            for column in &counted {
                let hits = column
                    .queries
                    .get(q)
                    .copied()
                    .flatten()
                    .and_then(|p| p.hits);
                row.push(hits.map_or("–".to_string(), thousands));
            }
            row
        })
        .collect();
    let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
    table(out, &headers, rows);
    let _ = writeln!(
        out,
        "\nripgrep counts files with the words as typed (case-insensitive, no stemming); \
         dateline, tantivy-cli and FTS5 stem.\n"
    );
}

fn notes(out: &mut String, r: &Results) {
    let _ = writeln!(out, "### How each tool was run\n");
    let _ = writeln!(
        out,
        "- dateline: `dateline --index DIR/index index DIR/articles --rebuild` into an empty \
         folder, then the same without `--rebuild` (nothing changed); default threads and \
         memory budget. The binary is the one `cargo bench` built (release profile)."
    );
    if r.options.skip_peers {
        let _ = writeln!(out, "- peers: skipped (`--skip-peers`)");
    }
    for peer in r.peers {
        match &peer.outcome {
            Ok(results) => {
                for note in &results.notes {
                    let _ = writeln!(out, "- {note}");
                }
            }
            Err(reason) => {
                let _ = writeln!(out, "- {}: skipped: {reason}", peer.name);
            }
        }
    }
}

fn table(out: &mut String, headers: &[&str], rows: Vec<Vec<String>>) {
    let _ = writeln!(out, "| {} |", headers.join(" | "));
    let rule: Vec<&str> = headers
        .iter()
        .enumerate()
        .map(|(i, _)| if i == 0 { "---" } else { "---:" })
        .collect();
    let _ = writeln!(out, "| {} |", rule.join(" | "));
    for row in rows {
        let _ = writeln!(out, "| {} |", row.join(" | "));
    }
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

fn millis(duration: Duration) -> String {
    let ms = duration.as_secs_f64() * 1e3;
    if ms < 10.0 {
        format!("{ms:.2}")
    } else if ms < 100.0 {
        format!("{ms:.1}")
    } else {
        format!("{ms:.0}")
    }
}

fn ratio(value: f64) -> String {
    if value < 10.0 {
        format!("{value:.2}×")
    } else {
        format!("{value:.0}×")
    }
}
