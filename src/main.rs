//! `dateline`: flags in, exit code out. Everything else is in the library.

use std::process::ExitCode;

use clap::Parser;
use dateline::cli::{self, Cli, Outcome};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return usage_error(err),
    };
    match cli::run(cli) {
        Ok(Outcome::Found) => ExitCode::SUCCESS,
        Ok(Outcome::NotFound | Outcome::Incomplete) => ExitCode::from(1),
        Ok(Outcome::Interrupted) => ExitCode::from(130),
        Err(err) => {
            eprintln!("dateline: {err}");
            ExitCode::from(2)
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
    ExitCode::from(2)
}
