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
        "{path} is damaged: run `dateline index PATH… --index {dir}` again, which groups \
         the stories anew (an update reads no file that did not change)"
    )]
    /// The stories file cannot be read as one.
    StoriesDamaged {
        /// The index folder.
        dir: PathBuf,
        /// The stories file.
        path: PathBuf,
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

    /// The user may not read (or write) the index folder or a file in it.
    /// Never [`IndexError::NotAnIndex`] or [`IndexError::Locked`]: the
    /// index is fine, only not this user's to read or change.
    #[error("{}", no_access_message(path, *writing, *read_only_fs))]
    NoAccess {
        /// The folder, or the file in it, that could not be read or written.
        path: PathBuf,
        /// Writing was refused (indexing), not reading.
        writing: bool,
        /// The refusal came from a read-only file system, not permissions.
        read_only_fs: bool,
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

impl IndexError {
    /// [`IndexError::NoAccess`] for `path`, if `err` is the system refusing
    /// access (permissions, a read-only file system); `None` for any other
    /// I/O error.
    pub fn no_access(path: &Path, writing: bool, err: &std::io::Error) -> Option<IndexError> {
        let read_only_fs = match err.kind() {
            std::io::ErrorKind::PermissionDenied => false,
            std::io::ErrorKind::ReadOnlyFilesystem => true,
            _ => return None,
        };
        Some(IndexError::NoAccess {
            path: path.to_path_buf(),
            writing,
            read_only_fs,
        })
    }
}

/// The sentence for [`IndexError::NoAccess`]: what was refused, where, and
/// what each command needs (never to rebuild or delete anything).
fn no_access_message(path: &Path, writing: bool, read_only_fs: bool) -> String {
    let path = path.display();
    match (writing, read_only_fs) {
        (_, true) => format!(
            "cannot write to the index: {path} is on a read-only file system \
             (searching it works; indexing needs a folder that can be written)"
        ),
        (false, false) => format!(
            "cannot read the index: permission denied on {path} \
             (searching needs read access to the index folder and its files)"
        ),
        (true, false) => format!(
            "cannot write to the index: permission denied on {path} \
             (indexing needs write access to the index folder; searching does not)"
        ),
    }
}

/// [`IndexError::NoAccess`] for a tantivy error in the index folder `dir`
/// that is the system refusing access; `None` for any other error. A lock
/// that could not be taken means the folder cannot be written.
pub(crate) fn no_access(dir: &Path, err: &tantivy::TantivyError) -> Option<IndexError> {
    use tantivy::directory::error::{LockError, OpenDirectoryError, OpenReadError, OpenWriteError};
    use tantivy::TantivyError;
    let (path, writing, io) = match err {
        TantivyError::LockFailure(LockError::IoError(io), _) => (dir.to_path_buf(), true, io),
        TantivyError::OpenReadError(OpenReadError::IoError { io_error, filepath }) => {
            (dir.join(filepath), false, io_error)
        }
        TantivyError::OpenWriteError(OpenWriteError::IoError { io_error, filepath }) => {
            (dir.join(filepath), true, io_error)
        }
        TantivyError::OpenDirectoryError(OpenDirectoryError::IoError {
            io_error,
            directory_path,
        }) => (directory_path.clone(), false, io_error),
        TantivyError::IoError(io) => (dir.to_path_buf(), true, io),
        _ => return None,
    };
    IndexError::no_access(&path, writing, io)
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
            Error::Index(no_access(dir, &source).unwrap_or(IndexError::Tantivy {
                dir: dir.to_path_buf(),
                source,
            }))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn io(kind: std::io::ErrorKind) -> std::io::Error {
        std::io::Error::from(kind)
    }

    #[test]
    fn a_refusal_says_permission_denied_with_the_path_and_never_to_rebuild() {
        // Issue #13, item 9: an unreadable index was "not a dateline index
        // … run --rebuild", and indexing as another user was a lock held.
        let path = Path::new("/srv/news/index");
        let denied = std::io::ErrorKind::PermissionDenied;
        let reading = IndexError::no_access(path, false, &io(denied)).unwrap();
        let writing = IndexError::no_access(path, true, &io(denied)).unwrap();
        let read_only = std::io::ErrorKind::ReadOnlyFilesystem;
        let mounted = IndexError::no_access(path, true, &io(read_only)).unwrap();
        assert_eq!(
            reading.to_string(),
            "cannot read the index: permission denied on /srv/news/index \
             (searching needs read access to the index folder and its files)"
        );
        assert_eq!(
            writing.to_string(),
            "cannot write to the index: permission denied on /srv/news/index \
             (indexing needs write access to the index folder; searching does not)"
        );
        assert!(mounted
            .to_string()
            .contains("/srv/news/index is on a read-only file system"));
        for message in [reading, writing, mounted].map(|err| err.to_string()) {
            assert!(!message.contains('\n'), "{message}");
            for wrong in ["rebuild", "delete", "lock", "not a dateline index"] {
                assert!(!message.contains(wrong), "{wrong}: {message}");
            }
        }
        // Other I/O errors are not refusals.
        assert!(IndexError::no_access(path, false, &io(std::io::ErrorKind::NotFound)).is_none());
    }

    #[test]
    fn tantivy_refusals_become_permission_denied_and_a_busy_lock_does_not() {
        use tantivy::directory::error::{LockError, OpenReadError};
        use tantivy::TantivyError;
        let dir = Path::new("index");
        let denied = || std::sync::Arc::new(io(std::io::ErrorKind::PermissionDenied));
        // A lock file that cannot be made: the folder cannot be written.
        let lock = TantivyError::LockFailure(LockError::IoError(denied()), None);
        let Err(Error::Index(IndexError::NoAccess { path, writing, .. })) =
            Err::<(), _>(lock).in_index(dir)
        else {
            panic!("not NoAccess");
        };
        assert_eq!((path.as_path(), writing), (dir, true));
        let read = TantivyError::OpenReadError(OpenReadError::IoError {
            io_error: denied(),
            filepath: ".managed.json".into(),
        });
        let message = Err::<(), _>(read).in_index(dir).unwrap_err().to_string();
        assert!(
            message.starts_with("cannot read the index: permission denied on index/.managed.json"),
            "{message}"
        );
        // Another writer's lock stays tantivy's error (`Locked` is made where
        // the writer is opened).
        let busy = TantivyError::LockFailure(LockError::LockBusy, None);
        assert!(matches!(
            Err::<(), _>(busy).in_index(dir),
            Err(Error::Index(IndexError::Tantivy { .. }))
        ));
    }
}
