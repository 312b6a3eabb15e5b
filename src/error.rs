//! The library's error type. Every variant carries the input or path it is
//! about, so the binary can print one plain sentence: `dateline: <message>`.

use std::path::PathBuf;

use crate::dates::DateError;
use crate::query::QueryError;

/// Anything that stops a command. Problems with single input files are not
/// errors: they are reported as [`crate::indexer::Skip`]s and the run goes on.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "no index at {dir}: create one with `dateline index PATH --index {dir}` \
         (or set DATELINE_INDEX)"
    )]
    NoIndex { dir: PathBuf },

    #[error(
        "{dir} is not a dateline index ({reason}); if an older dateline made it, \
         delete the folder and index again"
    )]
    NotAnIndex { dir: PathBuf, reason: String },

    #[error(
        "{dir} is locked by another `dateline index` run (lock file {lock}); \
         wait for it to finish"
    )]
    IndexLocked { dir: PathBuf, lock: PathBuf },

    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("{path}: no such file or directory")]
    MissingPath { path: PathBuf },

    #[error("bad query: {0}")]
    Query(#[from] QueryError),

    #[error("{0}")]
    Date(#[from] DateError),

    #[error("{0}")]
    InvalidArgument(String),

    #[error("index error in {dir}: {source}")]
    Tantivy {
        dir: PathBuf,
        #[source]
        source: tantivy::TantivyError,
    },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// How much of a file's own text a message quotes, in characters.
pub const QUOTED_CHARS: usize = 300;

/// Text quoted in a message, made safe to print on one line: control
/// characters (a newline, a terminal escape) escaped, and cut to `max`
/// characters with `…`. Files put anything in the messages that quote them.
pub fn on_one_line(text: &str, max: usize) -> String {
    let mut line = String::with_capacity(text.len().min(max));
    for (count, c) in text.chars().enumerate() {
        if count == max {
            line.push('…');
            break;
        }
        if c.is_control() {
            line.extend(c.escape_default());
        } else {
            line.push(c);
        }
    }
    line
}
