//! `dateline export`: every matching article whole, a JSON document a
//! line, written as it is read.

use std::io::{BufWriter, Write};
use std::path::Path;

use dateline::{export, ArchiveIndex, Result};

use super::write_out;
use crate::cli::config::ExportCommand;
use crate::cli::exit::ExitStatus;
use crate::render;

/// Writes the export to stdout. Straight to it, buffered, not through the
/// colour stream the other commands print to: these are bytes for
/// another program, and a pipe closed early (`| head`) ends the export
/// quietly, with the status of what matched.
pub fn run(dir: &Path, command: &ExportCommand) -> Result<ExitStatus> {
    let index = ArchiveIndex::open(dir)?;
    let articles = export(&index, &command.query, &command.filter)?;
    let status = ExitStatus::found_if(articles.total() as u64);
    let mut out = BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    for exported in articles {
        let exported = exported?;
        if let Err(err) = render::export::article(&mut out, &command.output, &exported) {
            // (A closed pipe is no error: nobody wants the rest.)
            write_out(Err(err))?;
            return Ok(status);
        }
    }
    write_out(out.flush())?;
    Ok(status)
}
