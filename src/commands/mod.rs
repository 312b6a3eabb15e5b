//! One module per command, each a `run` from a validated config to printed
//! output and an [`ExitStatus`]. They call the library and a renderer;
//! nothing else.

mod export;
mod index;
mod related;
pub mod search;
mod show;
mod stats;
mod stories;
mod trend;

use std::io::Write;
use std::path::{Path, PathBuf};

use dateline::{Error, Result};

use crate::cli::config::{Command, Config};
use crate::cli::exit::ExitStatus;

/// Runs the command the config names, printing to stdout.
pub fn run(config: Config) -> Result<ExitStatus> {
    let mut out = anstream::AutoStream::new(std::io::stdout().lock(), config.color);
    let dir: &Path = &config.index;
    let status = match config.command {
        Command::Index(command) => index::run(dir, *command, &mut out)?,
        Command::Search(command) => search::run(dir, command, config.wrap, &mut out)?,
        Command::Show { id, json } => show::run(dir, &id, json, &mut out)?,
        Command::Stats { json } => stats::run(dir, json, &mut out)?,
        Command::Related { request, json } => {
            related::run(dir, request, json, config.wrap, &mut out)?
        }
        Command::Trend(command) => trend::run(dir, command, &mut out)?,
        Command::Stories { request, json } => stories::run(dir, &request, json, &mut out)?,
        Command::Export(command) => {
            drop(out);
            return export::run(dir, &command);
        }
        Command::Serve(command) => {
            drop(out);
            return crate::serve::run(dir, command);
        }
    };
    write_out(out.flush())?;
    Ok(status)
}

/// Output errors end the command, except a closed pipe (`| head`), which
/// just means nobody wants the rest.
fn write_out(result: std::io::Result<()>) -> Result<()> {
    match result {
        Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::Io {
            path: PathBuf::from("<stdout>"),
            source: err,
        }),
        _ => Ok(()),
    }
}
