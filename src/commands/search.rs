//! `dateline search`: hits for a query and dates, printed as asked. With
//! `-n all` the hits are read a page at a time: JSON lines and CSV are
//! written page by page, so an export of a whole archive holds one page.

use std::io::Write;
use std::path::Path;

use dateline::{count, search, search_with_facets, ArchiveIndex, Result, SearchResults};

use super::write_out;
use crate::cli::config::{SearchCommand, SearchOutput};
use crate::cli::exit::ExitStatus;
use crate::render::{csv, human, json};

pub fn run(
    dir: &Path,
    command: SearchCommand,
    wrap: Option<usize>,
    out: &mut dyn Write,
) -> Result<ExitStatus> {
    let index = ArchiveIndex::open(dir)?;
    let mut request = command.request.clone();
    if command.output == SearchOutput::Count {
        let total = count(&index, &request.query, &request.filter)?;
        write_out(writeln!(out, "{total}"))?;
        return Ok(ExitStatus::found_if(total as u64));
    }
    let mut results = search_with_facets(
        &index,
        &command.request,
        &command.facets,
        command.facet_size,
    )?;
    let total = results.total;
    let streams = matches!(
        command.output,
        SearchOutput::Jsonl { .. } | SearchOutput::Csv { .. }
    );
    if command.all && !streams {
        // One document (or screen) of every hit: read the rest, then print.
        while results.offset + results.hits.len() < total {
            request.offset = results.offset + results.hits.len();
            let page = search(&index, &request)?;
            if page.hits.is_empty() {
                break;
            }
            results.hits.extend(page.hits);
        }
    }
    write_page(out, &command.output, &results, true, wrap)?;
    if command.all && streams {
        let mut done = results.offset + results.hits.len();
        while done < total {
            request.offset = done;
            let page = search(&index, &request)?;
            if page.hits.is_empty() {
                break;
            }
            done += page.hits.len();
            write_page(out, &command.output, &page, false, wrap)?;
        }
    }
    Ok(ExitStatus::found_if(total as u64))
}

/// Prints a page of results; `first` says whether it is the first (CSV
/// writes its header once).
fn write_page(
    out: &mut dyn Write,
    output: &SearchOutput,
    results: &SearchResults,
    first: bool,
    wrap: Option<usize>,
) -> Result<()> {
    write_out(match output {
        SearchOutput::Count => Ok(()),
        SearchOutput::Human { timeline: None } => human::search_results(out, results, wrap),
        SearchOutput::Human {
            timeline: Some(period),
        } => human::timeline(out, results, *period, wrap),
        SearchOutput::Json { fields, timeline } => {
            json::search_results_with_fields(out, results, fields, *timeline)
        }
        SearchOutput::Jsonl { fields, timeline } => {
            json::search_hit_lines(out, results, fields, *timeline)
        }
        SearchOutput::Csv { fields, timeline } => {
            csv::search_results(out, results, fields, *timeline, first)
        }
    })
}
