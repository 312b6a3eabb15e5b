//! `dateline show ID`: one whole article, and where else it was found.

use std::io::Write;
use std::path::Path;

use dateline::{lookup, ArchiveIndex, Result};

use super::write_out;
use crate::cli::exit::ExitStatus;
use crate::render::{human, json};

pub fn run(dir: &Path, id: &str, as_json: bool, out: &mut dyn Write) -> Result<ExitStatus> {
    let index = ArchiveIndex::open(dir)?;
    let Some(found) = lookup(&index, id)? else {
        eprintln!("dateline: no article with id '{id}'");
        return Ok(ExitStatus::NotFound);
    };
    write_out(if as_json {
        json::article(out, &found)
    } else {
        human::article(out, &found)
    })?;
    Ok(ExitStatus::Found)
}
