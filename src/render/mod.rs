//! Printing results, one module per output format: [`human`] (the
//! terminal; text from files made safe to print), [`json`], [`csv`], [`svg`],
//! [`trend`]'s chart, CSV and JSON, and [`export`]'s lines for other search
//! engines. Each is made from the library's
//! values (`SearchResults`, `Found`, `IndexStats`, `Trend`, `Summary`);
//! none knows how they were found. [`timeline`] groups hits by period and
//! [`fields`] cuts hits down to the chosen `--fields`.

pub mod csv;
pub mod export;
pub mod fields;
pub mod human;
pub mod json;
pub mod svg;
pub mod timeline;
pub mod trend;
