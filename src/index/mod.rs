//! The index folder on disk: creating it, opening it, and checking that it
//! is ours and of the format this dateline reads.
//!
//! Beside tantivy's files, the folder holds [`VERSION_FILE`]: the index
//! format it was made in. [`ArchiveIndex::open`] checks it before anything
//! else, so an index made by another dateline is refused with a sentence
//! that says to rebuild it, not with a failed schema lookup.

pub mod analyzer;
pub mod schema;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use tantivy::directory::MmapDirectory;
use tantivy::{Index, IndexReader, ReloadPolicy};

use crate::error::{AtPath, Error, InIndex, IndexError, Result, UserError};
use schema::Fields;

/// The on-disk format this dateline reads and writes. Bump it whenever the
/// schema, the analysers or the meaning of a stored value change: an index
/// of another format is refused (and `dateline index --rebuild` makes it
/// again), never misread.
///
/// - 1: the first (an index without the file is of this format).
/// - 2: the words of headline and body as written, for prefixes.
pub const FORMAT_VERSION: u32 = 2;

/// The file in the index folder that holds its [`FORMAT_VERSION`].
pub const VERSION_FILE: &str = "dateline-version";

/// tantivy's list of the files it wrote in a folder.
const MANAGED_FILE: &str = ".managed.json";
const META_FILE: &str = "meta.json";

/// An opened dateline index.
pub struct ArchiveIndex {
    dir: PathBuf,
    index: Index,
    fields: Fields,
    /// Opened on first use and kept: opening a reader maps every segment,
    /// which costs more than most searches.
    reader: OnceLock<IndexReader>,
}

impl ArchiveIndex {
    /// Opens the index in `dir`, which must exist, for reading.
    pub fn open(dir: &Path) -> Result<ArchiveIndex> {
        if !dir.join(META_FILE).is_file() {
            return Err(UserError::NoIndex {
                dir: dir.to_path_buf(),
            }
            .into());
        }
        check_version(dir)?;
        let index = Index::open_in_dir(dir).map_err(|e| not_an_index(dir, e.to_string()))?;
        Self::with_index(dir, index)
    }

    /// Opens the index in `dir` for indexing into, creating the folder and
    /// an empty index first when there is none. With `rebuild`, an index of
    /// another format (or another schema) is removed and made anew: only the
    /// files tantivy and dateline wrote there are removed.
    pub fn open_or_create(dir: &Path, rebuild: bool) -> Result<ArchiveIndex> {
        if dir.join(META_FILE).is_file() {
            match Self::open(dir) {
                Ok(index) => return Ok(index),
                Err(Error::Index(IndexError::Version { .. } | IndexError::NotAnIndex { .. }))
                    if rebuild =>
                {
                    remove_index_files(dir)?;
                }
                Err(err) => return Err(err),
            }
        }
        std::fs::create_dir_all(dir).at(dir)?;
        let directory = MmapDirectory::open(dir).map_err(|e| not_an_index(dir, e.to_string()))?;
        let (schema, _) = schema::build();
        let index = Index::create(directory, schema, schema::index_settings()).in_index(dir)?;
        write_version(dir)?;
        Self::with_index(dir, index)
    }

    fn with_index(dir: &Path, mut index: Index) -> Result<ArchiveIndex> {
        let fields =
            Fields::find_in(&index.schema()).map_err(|reason| not_an_index(dir, reason))?;
        schema::register_analyzers(&index);
        // Searches run over the segments on every core: a big query's
        // matches are scored and counted in parallel.
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        index.set_multithread_executor(cores).in_index(dir)?;
        Ok(ArchiveIndex {
            dir: dir.to_path_buf(),
            index,
            fields,
            reader: OnceLock::new(),
        })
    }

    /// The index folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The schema's fields.
    pub fn fields(&self) -> &Fields {
        &self.fields
    }

    /// The tantivy index itself.
    pub fn tantivy(&self) -> &Index {
        &self.index
    }

    /// A reader of the last commit. Searches never wait for a running
    /// indexer; they see what it last committed.
    pub fn reader(&self) -> Result<IndexReader> {
        if let Some(reader) = self.reader.get() {
            // Catch up with commits made since (by this process or another).
            reader.reload().in_index(&self.dir)?;
            return Ok(reader.clone());
        }
        let reader: IndexReader = self
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .in_index(&self.dir)?;
        Ok(self.reader.get_or_init(|| reader).clone())
    }
}

fn not_an_index(dir: &Path, reason: String) -> Error {
    IndexError::NotAnIndex {
        dir: dir.to_path_buf(),
        reason,
    }
    .into()
}

/// Refuses an index whose recorded format is not [`FORMAT_VERSION`]. An
/// index without the file predates it: format 1.
fn check_version(dir: &Path) -> Result<()> {
    let path = dir.join(VERSION_FILE);
    let recorded = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => "1".to_string(),
        Err(err) => return Err(err).at(&path),
    };
    let recorded = recorded.trim();
    if recorded.parse::<u32>() == Ok(FORMAT_VERSION) {
        return Ok(());
    }
    Err(IndexError::Version {
        dir: dir.to_path_buf(),
        found: crate::text::on_one_line(recorded, 20),
        expected: FORMAT_VERSION,
    }
    .into())
}

fn write_version(dir: &Path) -> Result<()> {
    let path = dir.join(VERSION_FILE);
    std::fs::write(&path, format!("{FORMAT_VERSION}\n")).at(&path)
}

/// Removes what tantivy lists as its own files in `dir`, its list, the
/// commit and the version file: the index, and nothing a user put there.
fn remove_index_files(dir: &Path) -> Result<()> {
    let managed_path = dir.join(MANAGED_FILE);
    let managed: Vec<String> = match std::fs::read(&managed_path) {
        Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_default(),
        Err(_) => Vec::new(),
    };
    let names = managed
        .iter()
        .map(String::as_str)
        .chain([META_FILE, MANAGED_FILE, VERSION_FILE]);
    for name in names {
        // (Names from the list stay inside the folder.)
        if name.contains('/') || name.contains('\\') || name.starts_with("..") {
            continue;
        }
        let path = dir.join(name);
        match std::fs::remove_file(&path) {
            Err(err) if err.kind() != std::io::ErrorKind::NotFound => return Err(err).at(&path),
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_index_records_its_format_and_opens() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("index");
        ArchiveIndex::open_or_create(&path, false).unwrap();
        let recorded = std::fs::read_to_string(path.join(VERSION_FILE)).unwrap();
        assert_eq!(recorded.trim(), FORMAT_VERSION.to_string());
        ArchiveIndex::open(&path).unwrap();
    }

    #[test]
    fn another_format_is_refused_with_the_rebuild_command_and_rebuilt_on_request() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("index");
        ArchiveIndex::open_or_create(&path, false).unwrap();
        std::fs::write(path.join(VERSION_FILE), "0\n").unwrap();
        std::fs::write(path.join("notes.txt"), "mine").unwrap();
        let err = ArchiveIndex::open(&path).err().unwrap().to_string();
        assert!(err.contains("index format 0"), "{err}");
        assert!(err.contains("dateline index --rebuild"), "{err}");
        assert!(!err.contains("delete"), "{err}");
        // Without --rebuild, indexing refuses too.
        assert!(ArchiveIndex::open_or_create(&path, false).is_err());
        ArchiveIndex::open_or_create(&path, true).unwrap();
        ArchiveIndex::open(&path).unwrap();
        // What the user put there is left alone.
        assert_eq!(
            std::fs::read_to_string(path.join("notes.txt")).unwrap(),
            "mine"
        );
    }

    #[test]
    fn an_index_from_before_versions_is_of_the_first_format() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("index");
        ArchiveIndex::open_or_create(&path, false).unwrap();
        std::fs::remove_file(path.join(VERSION_FILE)).unwrap();
        let err = ArchiveIndex::open(&path).err().unwrap().to_string();
        assert!(err.contains("index format 1;"), "{err}");
        ArchiveIndex::open_or_create(&path, true).unwrap();
        assert!(path.join(VERSION_FILE).exists());
    }
}
