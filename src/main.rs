//! `dateline`: flags in, exit code out. The command line is read
//! ([`cli::args`]), validated into a config ([`cli::config`]) and run
//! ([`commands`]), which calls the library and prints through [`render`].
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod cli;
mod commands;
mod progress;
mod render;
mod serve;

use std::process::ExitCode;

use cli::args::Cli;
use cli::config::Config;
use cli::exit::ERROR;

/// mimalloc rather than the system allocator: indexing churns through
/// short-lived buffers on several threads, and glibc's per-thread arenas
/// kept the heap growing through a run (benches/RESULTS.md, "Memory at 1M
/// and 2M").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match Cli::parse_args() {
        Ok(cli) => cli,
        Err(err) => return usage_error(err),
    };
    match Config::from_args(cli).and_then(commands::run) {
        Ok(status) => status.code(),
        Err(err) => {
            eprintln!("dateline: {err}");
            ExitCode::from(ERROR)
        }
    }
}

/// `--help` and `--version` as clap prints them; a usage error on one line,
/// like every other error, with exit status 2.
fn usage_error(err: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if !err.use_stderr() {
        let _ = err.print();
        return ExitCode::SUCCESS;
    }
    let message = match err.kind() {
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "name a command: index, search, show, stats, related, trend, stories, export or serve"
                .to_string()
        }
        _ => one_line(&err.render().to_string()),
    };
    eprintln!("dateline: {message} (see --help)");
    ExitCode::from(ERROR)
}

/// clap's message on one line: its first line, then what it lists below
/// it (the arguments missing, the values allowed) and its tips, but not
/// the tip to pass an option as a value after `--`, which would make it a
/// query word.
pub(crate) fn one_line(rendered: &str) -> String {
    let mut lines = rendered.lines();
    let first = lines.next().unwrap_or_default();
    let mut message = first.strip_prefix("error: ").unwrap_or(first).to_string();
    let mut listed: Vec<&str> = Vec::new();
    for line in lines {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with("Usage:") || trimmed.starts_with("For more") {
            continue;
        }
        if trimmed.starts_with("[possible values:") {
            message.push(' ');
            message.push_str(trimmed);
        } else if let Some(tip) = trimmed.strip_prefix("tip:") {
            if !tip.contains("use '--") {
                message.push_str("; tip:");
                message.push_str(tip);
            }
        } else if line.starts_with(' ') {
            listed.push(trimmed);
        }
    }
    if !listed.is_empty() {
        let message = message.trim_end_matches(':').to_string();
        return format!("{message}: {}", listed.join(", "));
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usage(args: &[&str]) -> String {
        let err = Cli::parse_from_args(std::iter::once("dateline").chain(args.iter().copied()))
            .unwrap_err();
        one_line(&err.render().to_string())
    }

    #[test]
    fn a_missing_argument_is_named() {
        assert_eq!(
            usage(&["index", "--index", "x"]),
            "the following required arguments were not provided: <PATH>..."
        );
    }

    #[test]
    fn no_tip_turns_an_option_into_a_word() {
        let message = usage(&["search", "ceasefire", "--idx", "x"]);
        assert_eq!(message, "unexpected argument '--idx' found");
        let typo = usage(&["search", "ceasefire", "--form", "2025"]);
        assert!(
            typo.contains("a similar argument exists: '--from'"),
            "{typo}"
        );
    }

    #[test]
    fn possible_values_stay_on_the_line() {
        let message = usage(&["search", "x", "--format", "xml"]);
        assert!(
            message.contains("[possible values: human, json, jsonl, csv]"),
            "{message}"
        );
    }
}
