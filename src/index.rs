//! The index directory on disk: creating it, opening it, and checking that it
//! is ours.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use tantivy::directory::MmapDirectory;
use tantivy::{Index, IndexReader, ReloadPolicy};

use crate::error::{Error, Result};
use crate::schema::{self, Fields};

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
    /// Opens the index in `dir`, which must exist.
    pub fn open(dir: &Path) -> Result<ArchiveIndex> {
        if !dir.join("meta.json").is_file() {
            return Err(Error::NoIndex {
                dir: dir.to_path_buf(),
            });
        }
        let index = Index::open_in_dir(dir).map_err(|e| Error::NotAnIndex {
            dir: dir.to_path_buf(),
            reason: e.to_string(),
        })?;
        Self::with_index(dir, index)
    }

    /// Opens the index in `dir`, creating the folder and an empty index first
    /// when there is none.
    pub fn open_or_create(dir: &Path) -> Result<ArchiveIndex> {
        if dir.join("meta.json").is_file() {
            return Self::open(dir);
        }
        std::fs::create_dir_all(dir).map_err(|source| Error::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let directory = MmapDirectory::open(dir).map_err(|e| Error::NotAnIndex {
            dir: dir.to_path_buf(),
            reason: e.to_string(),
        })?;
        let (schema, _) = schema::build();
        let index = Index::create(directory, schema, schema::index_settings())
            .map_err(|source| tantivy_error(dir, source))?;
        Self::with_index(dir, index)
    }

    fn with_index(dir: &Path, mut index: Index) -> Result<ArchiveIndex> {
        let fields = Fields::find_in(&index.schema()).map_err(|reason| Error::NotAnIndex {
            dir: dir.to_path_buf(),
            reason,
        })?;
        index
            .tokenizers()
            .register(schema::ENGLISH, schema::english_analyzer());
        // Searches run over the segments on every core: a big query's
        // matches are scored and counted in parallel.
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        index
            .set_multithread_executor(cores)
            .map_err(|source| tantivy_error(dir, source))?;
        Ok(ArchiveIndex {
            dir: dir.to_path_buf(),
            index,
            fields,
            reader: OnceLock::new(),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn fields(&self) -> &Fields {
        &self.fields
    }

    pub fn tantivy(&self) -> &Index {
        &self.index
    }

    /// A reader of the last commit. Searches never wait for a running
    /// indexer; they see what it last committed.
    pub fn reader(&self) -> Result<IndexReader> {
        if let Some(reader) = self.reader.get() {
            // Catch up with commits made since (by this process or another).
            reader.reload().map_err(|source| self.error(source))?;
            return Ok(reader.clone());
        }
        let reader: IndexReader = self
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|source| self.error(source))?;
        Ok(self.reader.get_or_init(|| reader).clone())
    }

    /// Wraps a tantivy error with this index's directory.
    pub fn error(&self, source: tantivy::TantivyError) -> Error {
        tantivy_error(&self.dir, source)
    }
}

pub(crate) fn tantivy_error(dir: &Path, source: tantivy::TantivyError) -> Error {
    Error::Tantivy {
        dir: dir.to_path_buf(),
        source,
    }
}
