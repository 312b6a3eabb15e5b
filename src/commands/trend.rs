//! `dateline trend`: matches per period, as a chart, JSON or CSV, and
//! optionally an SVG file.

use std::io::Write;
use std::path::Path;

use dateline::{trend, ArchiveIndex, Error, Result};

use super::write_out;
use crate::cli::config::{TrendCommand, TrendOutput};
use crate::cli::exit::ExitStatus;
use crate::render::{svg, trend as chart};

pub fn run(dir: &Path, command: TrendCommand, out: &mut dyn Write) -> Result<ExitStatus> {
    let index = ArchiveIndex::open(dir)?;
    let trend = trend(&index, &command.request)?;
    if let Some(path) = &command.svg {
        std::fs::write(path, svg::render(&trend)).map_err(|source| Error::Write {
            path: path.clone(),
            source,
        })?;
    }
    write_out(match command.output {
        TrendOutput::Json => chart::json(out, &trend),
        TrendOutput::Jsonl => chart::jsonl(out, &trend),
        TrendOutput::Csv => chart::csv(out, &trend),
        TrendOutput::Chart => chart::human(out, &trend, command.width),
    })?;
    Ok(ExitStatus::found_if(trend.total))
}
