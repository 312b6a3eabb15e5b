//! `dateline`: flags in, exit code out. Everything else is in the library.

use std::process::ExitCode;

use clap::Parser;
use dateline::cli::{self, Cli, Outcome};

fn main() -> ExitCode {
    match cli::run(Cli::parse()) {
        Ok(Outcome::Found) => ExitCode::SUCCESS,
        Ok(Outcome::NotFound | Outcome::Incomplete) => ExitCode::from(1),
        Ok(Outcome::Interrupted) => ExitCode::from(130),
        Err(err) => {
            eprintln!("dateline: {err}");
            ExitCode::from(2)
        }
    }
}
