//! `dateline related ID`: the articles most like one article.

use std::io::Write;
use std::path::Path;

use dateline::{related, ArchiveIndex, RelatedRequest, Result};

use super::write_out;
use crate::cli::exit::ExitStatus;
use crate::render::{human, json};

pub fn run(
    dir: &Path,
    request: RelatedRequest,
    as_json: bool,
    wrap: Option<usize>,
    out: &mut dyn Write,
) -> Result<ExitStatus> {
    let index = ArchiveIndex::open(dir)?;
    let Some(related) = related(&index, &request)? else {
        eprintln!("dateline: no article with id '{}'", request.id);
        return Ok(ExitStatus::NotFound);
    };
    write_out(if as_json {
        json::search_results(out, &related.results)
    } else {
        human::related_results(out, &related, wrap)
    })?;
    Ok(ExitStatus::found_if(related.results.total as u64))
}
