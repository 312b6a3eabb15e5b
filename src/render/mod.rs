//! Printing results. Human, JSON and CSV output are made from the same values
//! ([`crate::search::SearchResults`], [`crate::stats::IndexStats`],
//! [`crate::Article`]); none knows how they were found.

pub mod csv;
pub mod fields;
pub mod human;
pub mod json;
pub mod svg;
pub mod trend;
