//! `dateline stats`: what the index holds.

use std::io::Write;
use std::path::Path;

use dateline::{index_stats, ArchiveIndex, Result};

use super::write_out;
use crate::cli::exit::ExitStatus;
use crate::render::{human, json};

pub fn run(dir: &Path, as_json: bool, out: &mut dyn Write) -> Result<ExitStatus> {
    let index = ArchiveIndex::open(dir)?;
    let stats = index_stats(&index)?;
    write_out(if as_json {
        json::stats(out, &stats)
    } else {
        human::stats(out, &stats, index.dir())
    })?;
    Ok(ExitStatus::Found)
}
