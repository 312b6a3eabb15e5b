#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
//! dateline: full-text search for news archives.
//!
//! Data flows one way: [`archive`] walks the PATHs, [`formats`] parse files
//! into [`Article`]s, [`indexer`] feeds them to the index defined in
//! [`schema`]; a search goes [`query`] → [`search`] → [`snippet`] →
//! [`render`]; a trend goes [`query`] → [`trend`] → [`render`].

pub mod analyzer;
pub mod archive;
pub mod article;
pub mod dates;
pub mod error;
pub mod formats;
pub mod index;
pub mod indexer;
pub mod query;
pub mod related;
pub mod schema;

pub use article::Article;
pub use error::{Error, Result};
pub mod cli;
pub mod container;
pub mod progress;
pub mod render;
pub mod search;
pub mod snippet;
pub mod sources;
pub mod stats;
pub mod suggest;
pub mod terms;
pub mod timeline;
pub mod trend;
