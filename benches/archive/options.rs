//! The command line of the benchmark.

use std::path::{Path, PathBuf};

pub const USAGE: &str = "\
usage: cargo bench --bench archive -- [--articles N] [--seed S] [--dir DIR] [--runs N] [--skip-peers]

  --articles N   archive size (default 100000)
  --seed S       gen-archive seed (default 7)
  --dir DIR      where the archive, indexes and peer files live
                 (default target/bench-archives/<articles>-<seed>)
  --runs N       timed runs of each spawned `dateline search` (default 20);
                 in-process searches run 50 times after 5 warm-ups
  --skip-peers   only measure dateline";

#[derive(Debug, Clone)]
pub struct Options {
    pub articles: u64,
    pub seed: u64,
    pub dir: PathBuf,
    pub runs: usize,
    pub skip_peers: bool,
    /// How the benchmark was started, for the report.
    pub command_line: String,
}

impl Options {
    /// Reads the options from the process arguments, or says what is wrong.
    pub fn from_args(args: impl IntoIterator<Item = String>) -> Result<Options, String> {
        let mut articles = 100_000;
        let mut seed = 7;
        let mut dir = None;
        let mut runs = 20;
        let mut skip_peers = false;
        let mut given = Vec::new();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            // `cargo bench` passes `--bench` to every bench program.
            if arg == "--bench" {
                continue;
            }
            given.push(arg.clone());
            let (flag, inline) = match arg.split_once('=') {
                Some((flag, value)) => (flag.to_string(), Some(value.to_string())),
                None => (arg.clone(), None),
            };
            let mut value = || {
                let value = inline.clone().or_else(|| args.next());
                if let Some(value) = &value {
                    if inline.is_none() {
                        given.push(value.clone());
                    }
                }
                value.ok_or_else(|| format!("{flag} needs a value"))
            };
            match flag.as_str() {
                "--articles" => articles = number(&flag, &value()?)?,
                "--seed" => seed = number(&flag, &value()?)?,
                "--dir" => dir = Some(PathBuf::from(value()?)),
                "--runs" => runs = number::<usize>(&flag, &value()?)?.max(1),
                "--skip-peers" => skip_peers = true,
                "-h" | "--help" => return Err(USAGE.to_string()),
                _ => return Err(format!("unknown argument {arg:?}\n{USAGE}")),
            }
        }
        let dir = dir.unwrap_or_else(|| default_dir(articles, seed));
        let mut command_line = String::from("cargo bench --bench archive --");
        for arg in &given {
            command_line.push(' ');
            command_line.push_str(arg);
        }
        Ok(Options {
            articles,
            seed,
            dir,
            runs,
            skip_peers,
            command_line,
        })
    }
}

fn number<T: std::str::FromStr>(flag: &str, text: &str) -> Result<T, String> {
    text.parse()
        .map_err(|_| format!("{flag} wants a whole number, not {text:?}"))
}

fn default_dir(articles: u64, seed: u64) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join("bench-archives")
        .join(format!("{articles}-{seed}"))
}
