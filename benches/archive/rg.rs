//! ripgrep over the article files: no index, every matching file listed.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::corpus::Corpus;
use crate::measure::time_spawns;
use crate::peers::{find_on_path, Peer, PeerQuery, PeerResults, QueryColumn};
use crate::queries::{QuerySpec, RgPlan};

const RUNS: usize = 3;
/// rg exits 1 when nothing matched; xargs exits 123 when one of its rg did.
const OK_CODES: &[i32] = &[0, 1, 123];

pub fn run(corpus: &Corpus, mix: &[QuerySpec]) -> Peer {
    let name = "ripgrep";
    let Some(rg) = find_on_path("rg") else {
        return Peer {
            name,
            outcome: Err("`rg` is not on the PATH".to_string()),
        };
    };
    eprintln!("ripgrep: {} ({RUNS} runs per query)", rg.display());
    let queries = mix
        .iter()
        .map(|spec| {
            let make = || command(&rg, &corpus.articles, spec.rg);
            // The counting run is also the warm-up.
            let hits = count_files(make());
            let latency = time_spawns(RUNS, OK_CODES, make);
            eprintln!(
                "ripgrep: {:<40} {hits:>7} files  {:>8.1} ms",
                spec.name,
                latency.median.as_secs_f64() * 1e3
            );
            Some(PeerQuery {
                hits: Some(hits),
                latency,
            })
        })
        .collect();
    Peer {
        name,
        outcome: Ok(PeerResults {
            index: None,
            columns: vec![QueryColumn {
                label: "rg (process)".to_string(),
                in_process: false,
                queries,
            }],
            notes: vec![format!(
                "ripgrep {}: `rg -l -i -w` over the .txt files, listing every matching file \
                 (no ranking, no stemming, no snippets); median of {RUNS} runs after one warm-up. \
                 AND is `rg -l -i -w oil DIR | xargs -d '\\n' rg -l -i -w prices` (timed as the \
                 whole pipeline); the phrase is the regex `interest rates` (found only within a \
                 line); the year filter searches `DIR/articles/2024` (the YYYY/MM layout), the \
                 day filter is `rg -l -m1 '^\\s*date 2024-03-15\\b'` over `DIR/articles/2024/03`.",
                version(&rg)
            )],
        }),
    }
}

fn command(rg: &Path, articles: &Path, plan: RgPlan) -> Command {
    match plan {
        RgPlan::Words { pattern, subdir } => {
            let mut command = Command::new(rg);
            let folder = subdir.map_or(articles.to_path_buf(), |sub| articles.join(sub));
            command.args(["-l", "-i", "-w", "--", pattern]).arg(folder);
            command
        }
        RgPlan::Both { first, second } => {
            let mut command = Command::new("sh");
            command
                .arg("-c")
                .arg(r#""$0" -l -i -w -- "$1" "$3" | xargs -d '\n' -r "$0" -l -i -w -- "$2""#)
                .arg(rg)
                .args([first, second])
                .arg(articles);
            command
        }
        RgPlan::DateLine { day } => {
            let mut command = Command::new(rg);
            let month = articles.join(&day[..4]).join(&day[5..7]);
            command
                .args(["-l", "-m1", "--"])
                .arg(format!(r"^\s*date {day}\b"))
                .arg(month);
            command
        }
    }
}

fn count_files(mut command: Command) -> u64 {
    let output = command
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .unwrap_or_else(|err| panic!("cannot run {command:?}: {err}"));
    output
        .stdout
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .count() as u64
}

fn version(rg: &Path) -> String {
    Command::new(rg)
        .arg("--version")
        .output()
        .ok()
        .and_then(|out| {
            String::from_utf8_lossy(&out.stdout)
                .split_whitespace()
                .nth(1)
                .map(str::to_string)
        })
        .unwrap_or_else(|| "(version unknown)".to_string())
}
