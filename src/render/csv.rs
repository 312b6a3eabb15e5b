//! `--format csv`: a header row, then one row per hit, quoted as RFC 4180
//! says, so commas, quotes and line breaks in a headline or body survive.
//! Texts are plain: highlights have no place in a cell.

use std::io::{self, Write};

use crate::render::fields::HitField;
use dateline::SearchResults;

pub fn search_results(
    out: &mut dyn Write,
    results: &SearchResults,
    fields: &[HitField],
) -> io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer
        .write_record(fields.iter().map(|field| field.name()))
        .map_err(io_error)?;
    for hit in &results.hits {
        writer
            .write_record(fields.iter().map(|field| field.cell(hit)))
            .map_err(io_error)?;
    }
    writer.flush()
}

/// The writer's own I/O error as it was, so a closed pipe is still known as one.
fn io_error(err: csv::Error) -> io::Error {
    if !err.is_io_error() {
        // Writing string records has no other failure; keep it just in case.
        return io::Error::other(err);
    }
    match err.into_kind() {
        csv::ErrorKind::Io(err) => err,
        other => io::Error::other(format!("{other:?}")),
    }
}
