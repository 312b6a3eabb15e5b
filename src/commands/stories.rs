//! `dateline stories`: the largest stories among the matches.

use std::io::Write;
use std::path::Path;

use dateline::{list_stories, ArchiveIndex, Result, StoriesRequest};

use super::write_out;
use crate::cli::exit::ExitStatus;
use crate::render::{human, json};

pub fn run(
    dir: &Path,
    request: &StoriesRequest,
    as_json: bool,
    out: &mut dyn Write,
) -> Result<ExitStatus> {
    let index = ArchiveIndex::open(dir)?;
    let stories = list_stories(&index, request)?;
    write_out(if as_json {
        json::stories(out, &stories)
    } else {
        human::stories(out, &stories)
    })?;
    Ok(ExitStatus::found_if(stories.total as u64))
}
