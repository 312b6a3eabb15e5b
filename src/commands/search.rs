//! `dateline search`: hits for a query and dates, printed as asked.

use std::io::Write;
use std::path::Path;

use dateline::{count, search, ArchiveIndex, Result};

use super::write_out;
use crate::cli::config::{SearchCommand, SearchOutput};
use crate::cli::exit::ExitStatus;
use crate::render::{csv, human, json};

pub fn run(dir: &Path, command: SearchCommand, out: &mut dyn Write) -> Result<ExitStatus> {
    let index = ArchiveIndex::open(dir)?;
    let request = &command.request;
    if command.output == SearchOutput::Count {
        let total = count(&index, &request.query, &request.filter)?;
        write_out(writeln!(out, "{total}"))?;
        return Ok(ExitStatus::found_if(total as u64));
    }
    let results = search(&index, request)?;
    write_out(match &command.output {
        SearchOutput::Count => Ok(()),
        SearchOutput::Human { timeline: None } => human::search_results(out, &results),
        SearchOutput::Human {
            timeline: Some(period),
        } => human::timeline(out, &results, *period),
        SearchOutput::Json {
            fields,
            timeline: None,
        } => json::search_results_with_fields(out, &results, fields),
        SearchOutput::Json {
            fields,
            timeline: Some(period),
        } => json::timeline(out, &results, *period, fields),
        // (Hits in timeline order, without headings.)
        SearchOutput::Jsonl { fields } => json::search_hit_lines(out, &results, fields),
        SearchOutput::Csv { fields } => csv::search_results(out, &results, fields),
    })?;
    Ok(ExitStatus::found_if(results.total as u64))
}
