//! Printing results. Human and JSON output are made from the same values
//! ([`crate::search::SearchResults`], [`crate::stats::IndexStats`],
//! [`crate::Article`]); neither knows how they were found.

pub mod human;
pub mod json;
pub mod svg;
pub mod trend;
