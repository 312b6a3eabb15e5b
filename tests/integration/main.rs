//! The integration tests, in one binary: one module per area, and `common`,
//! the helpers they share (running the real `dateline` binary against an
//! index in a temporary directory, and reading its JSON).
//!
//! `cargo test --test integration` runs them all; a filter picks a module
//! (`cargo test --test integration search::`) or a test by name.

mod common;

mod bad_files;
mod browser;
mod cluster;
mod containers;
mod errors;
mod export;
mod export_command;
mod facets;
mod formats;
mod fuzz_regressions;
mod human;
mod index;
mod metadata;
mod properties;
mod query_torture;
mod quoted;
mod ranking;
mod readme;
mod related;
mod search;
mod serve;
mod shards;
mod shared_corpora;
mod spelling;
mod stories;
mod timeline;
mod totals;
mod trend;
mod updates;
