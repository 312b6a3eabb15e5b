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

use std::process::ExitCode;

use cli::args::Cli;
use cli::config::Config;
use cli::exit::ERROR;

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
    if !err.use_stderr() {
        let _ = err.print();
        return ExitCode::SUCCESS;
    }
    let rendered = err.render().to_string();
    let mut lines = rendered.lines();
    let first = lines.next().unwrap_or_default();
    let mut message = first.strip_prefix("error: ").unwrap_or(first).to_string();
    // What clap says next that helps: the values allowed, a tip.
    for line in lines.map(str::trim) {
        if line.starts_with("[possible values:") {
            message.push(' ');
            message.push_str(line);
        } else if line.starts_with("tip:") {
            message.push_str("; ");
            message.push_str(line);
        }
    }
    eprintln!("dateline: {message} (see --help)");
    ExitCode::from(ERROR)
}
