//! `--format csv`: a header row, then one row per hit, quoted as RFC 4180
//! says, so commas, quotes and line breaks in a headline or body survive.
//! Texts are plain: highlights have no place in a cell.

use std::io::{self, Write};

use crate::render::fields::HitField;
use dateline::{Period, SearchResults};

/// The header row and a row per hit; with `header` false, the rows only
/// (the later pages of an export).
pub fn search_results(
    out: &mut dyn Write,
    results: &SearchResults,
    fields: &[HitField],
    timeline: Option<Period>,
    header: bool,
) -> io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    if header {
        writer
            .write_record(fields.iter().map(|field| field.name()))
            .map_err(io_error)?;
    }
    for hit in &results.hits {
        writer
            .write_record(
                fields
                    .iter()
                    .map(|field| guarded(field.cell(hit, timeline))),
            )
            .map_err(io_error)?;
    }
    writer.flush()
}

/// A cell a spreadsheet would read as a formula (it starts with `=`, `+`,
/// `-`, `@`, a tab or a carriage return) gets a `'` before it, as OWASP
/// advises against CSV injection: a headline like `=HYPERLINK(…)` stays
/// text. Everything else is written as it is.
pub(crate) fn guarded(cell: String) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_kept_as_text() {
        for cell in ["=1+2", "+44 20", "-3", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(guarded(cell.to_string()), format!("'{cell}"));
        }
        for cell in ["2025-03-17", "Ceasefire = talks", "", "a-b"] {
            assert_eq!(guarded(cell.to_string()), cell);
        }
    }
}
