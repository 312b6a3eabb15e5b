//! The library's errors, by whose fault they are (as milli's are): the
//! user's ([`UserError`]: a query, a date, a flag, a path that is not
//! there), the disk's ([`Error::Io`], with the path), the index folder's
//! ([`IndexError`], with the folder), or ours ([`Error::Bug`]). Every
//! variant carries the input or path it is about, so the binary prints one
//! plain sentence: `dateline: <message>`.
//!
//! Problems with single input files are not errors: they are reported as
//! [`crate::Skip`]s and the run goes on.

use std::path::{Path, PathBuf};

use crate::dates::DateError;
use crate::search::query::QueryError;

/// Anything that stops a command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// What was asked cannot be done as asked: the user can fix it.
    #[error(transparent)]
    User(#[from] UserError),

    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },

    /// Writing an output file the user named failed.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },

    /// The index folder cannot be used as it is.
    #[error(transparent)]
    Index(#[from] IndexError),

    /// The machine would not do what was needed (start threads, …).
    #[error("{0}")]
    System(String),

    /// Something that cannot happen did: a mistake in dateline.
    #[error("internal error: {0} (a bug in dateline; please report it)")]
    Bug(String),
}

/// A mistake in what the user asked for or gave.
#[derive(Debug, thiserror::Error)]
pub enum UserError {
    #[error(
        "no index at {dir}: create one with `dateline index PATH --index {dir}` \
         (or set DATELINE_INDEX)"
    )]
    /// There is no index where the user said (or `index`, by default).
    NoIndex {
        /// The index folder.
        dir: PathBuf,
    },

    /// A PATH to index that is not there.
    #[error("{path}: no such file or directory")]
    MissingPath {
        /// The PATH as given.
        path: PathBuf,
    },

    /// A query that cannot be read.
    #[error("bad query: {0}")]
    Query(#[from] QueryError),

    /// A date that cannot be read.
    #[error("{0}")]
    Date(#[from] DateError),

    /// A flag's value, or flags together, that make no sense.
    #[error("{0}")]
    Invalid(String),
}

/// Why an index folder cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error(
        "{dir} is not a dateline index ({reason}); to index into it from scratch, run \
         `dateline index --rebuild PATH… --index {dir}`"
    )]
    /// The folder holds something that is not a dateline index.
    NotAnIndex {
        /// The index folder.
        dir: PathBuf,
        /// What is missing or wrong.
        reason: String,
    },

    #[error(
        "{dir} was made by another version of dateline (index format {found}; this one \
         reads format {expected}): run `dateline index --rebuild PATH… --index {dir}` \
         to make it again"
    )]
    /// The index was made in another format.
    Version {
        /// The index folder.
        dir: PathBuf,
        /// The format it records.
        found: String,
        /// The format this dateline reads.
        expected: u32,
    },

    #[error(
        "{dir} is locked by another `dateline index` run (lock file {lock}); \
         wait for it to finish"
    )]
    /// Another process is writing the index.
    Locked {
        /// The index folder.
        dir: PathBuf,
        /// The lock file.
        lock: PathBuf,
    },

    #[error("index error in {dir}: {source}")]
    /// tantivy could not read or write the index.
    Tantivy {
        /// The index folder.
        dir: PathBuf,
        /// What tantivy said.
        #[source]
        source: tantivy::TantivyError,
    },
}

/// A [`Result`](std::result::Result) with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A user error with this message.
    pub fn invalid(message: impl Into<String>) -> Error {
        Error::User(UserError::Invalid(message.into()))
    }
}

impl From<QueryError> for Error {
    fn from(err: QueryError) -> Error {
        Error::User(UserError::Query(err))
    }
}

impl From<DateError> for Error {
    fn from(err: DateError) -> Error {
        Error::User(UserError::Date(err))
    }
}

/// Names the index folder a tantivy error happened in:
/// `searcher.search(…).in_index(dir)?`.
pub trait InIndex<T> {
    /// This result, with a tantivy error turned into an [`IndexError`]
    /// naming `dir`.
    fn in_index(self, dir: &Path) -> Result<T>;
}

impl<T> InIndex<T> for tantivy::Result<T> {
    fn in_index(self, dir: &Path) -> Result<T> {
        self.map_err(|source| {
            Error::Index(IndexError::Tantivy {
                dir: dir.to_path_buf(),
                source,
            })
        })
    }
}

/// Names the file an I/O error happened on: `fs::read(path).at(path)?`.
pub trait AtPath<T> {
    /// This result, with an I/O error turned into [`Error::Io`] naming `path`.
    fn at(self, path: &Path) -> Result<T>;
}

impl<T> AtPath<T> for std::io::Result<T> {
    fn at(self, path: &Path) -> Result<T> {
        self.map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })
    }
}
