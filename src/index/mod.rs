//! The index folder on disk: creating it, opening it, and checking that it
//! is ours and of the format this dateline reads.
//!
//! Beside tantivy's files, the folder holds [`VERSION_FILE`]: the index
//! format it was made in. [`ArchiveIndex::open`] checks it before anything
//! else, so an index made by another dateline is refused with a sentence
//! that says to rebuild it, not with a failed schema lookup.
//!
//! Searching never writes to the folder, so a read-only index (`chmod -R
//! a-w`, a read-only mount, another user's index shared for reading) can be
//! searched: [`ArchiveIndex::open`] reads through [`ReadingDirectory`],
//! which takes no lock that would need a file to be made.

pub mod analyzer;
pub mod schema;
pub mod similarity;
pub mod stories;

use std::ffi::OsStr;
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle,
    WritePtr, META_LOCK,
};
use tantivy::{Index, IndexReader, ReloadPolicy, TantivyError};

use crate::error::{Error, InIndex, IndexError, Result, UserError};
use schema::Fields;
use stories::StoryMap;

/// The on-disk format this dateline reads and writes. Bump it whenever the
/// schema, the analysers or the meaning of a stored value change: an index
/// of another format is refused (and `dateline index --rebuild` makes it
/// again), never misread.
///
/// - 1: the first (an index without the file is of this format).
/// - 2: the words of headline and body as written, for prefixes.
/// - 3: authors, sources, section, tags, url and language.
/// - 4: what a body quotes kept apart: `body` indexes the own words only,
///   `quoted` the quotes, and the body as written is stored in `text`.
/// - 5: each article's MinHash signature (`minhash`), for stories.
/// - 6: `body` holds the headline before the body's own words (the whole
///   article, which plain words are ranked by), and `body_start` where the
///   body's own words start.
pub const FORMAT_VERSION: u32 = 6;

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
    /// The reader follows new commits by itself (a server's), instead of
    /// being reloaded on each use (a command's).
    watching: bool,
    /// The stories file as last read, with its size and time: read again
    /// when they change (a new indexing run wrote it).
    stories: Mutex<Option<(StoriesStamp, Arc<StoryMap>)>>,
}

/// A stories file's size and modification time, or nothing when there is
/// no file.
type StoriesStamp = Option<(u64, std::time::SystemTime)>;

impl ArchiveIndex {
    /// Opens the index in `dir`, which must exist, for reading: nothing in
    /// the folder is created or changed, so it may be read-only.
    pub fn open(dir: &Path) -> Result<ArchiveIndex> {
        Self::open_existing(dir, false)
    }

    /// Opens the index in `dir` for reading, as [`ArchiveIndex::open`],
    /// for a process that answers many searches (a server): its reader
    /// follows new commits by itself, within about a second, instead of
    /// reopening every segment on each search, so the searches share warm
    /// caches.
    pub fn open_watching(dir: &Path) -> Result<ArchiveIndex> {
        let mut index = Self::open_existing(dir, false)?;
        index.watching = true;
        Ok(index)
    }

    /// Opens the index in `dir`, which must exist: for reading only through
    /// [`ReadingDirectory`], or for writing too.
    fn open_existing(dir: &Path, writing: bool) -> Result<ArchiveIndex> {
        refuse_a_file(dir)?;
        let meta = dir.join(META_FILE);
        match std::fs::metadata(&meta) {
            Ok(found) if found.is_file() => {}
            Ok(_) => return Err(not_an_index(dir, format!("{META_FILE} is not a file"))),
            Err(err) if err.kind() == io::ErrorKind::NotFound => {
                return Err(UserError::NoIndex {
                    dir: dir.to_path_buf(),
                }
                .into())
            }
            // (The folder may not be looked into.)
            Err(err) => return Err(io_error(dir, READING, err)),
        }
        check_version(dir)?;
        // A search reads little of large files: a few pages of a term
        // dictionary, one word's postings, ten stored documents. Read
        // around each page faulted in (the kernel's default, 8 MiB on the
        // benchmark's machine) a first search after the cache is dropped
        // read 440 MB of a 1M-article index for "said" and took 0.38 s;
        // read as asked, 10 MB and 0.07 s (benches/RESULTS.md). Writing
        // (merges read whole segments) keeps the default.
        let directory = if writing {
            MmapDirectory::open(dir)
        } else {
            MmapDirectory::open_with_madvice(dir, tantivy::directory::Advice::Random)
        }
        .map_err(|e| open_error(dir, e.into()))?;
        let index = if writing {
            Index::open(directory)
        } else {
            Index::open(ReadingDirectory::new(dir, directory))
        };
        let index = index.map_err(|e| open_error(dir, e))?;
        Self::with_index(dir, index)
    }

    /// Opens the index in `dir` for indexing into, creating the folder and
    /// an empty index first when there is none. With `rebuild`, an index of
    /// another format (or another schema) is removed and made anew: only the
    /// files tantivy and dateline wrote there are removed.
    pub fn open_or_create(dir: &Path, rebuild: bool) -> Result<ArchiveIndex> {
        refuse_a_file(dir)?;
        let found = match std::fs::metadata(dir.join(META_FILE)) {
            Ok(_) => true,
            Err(err) if err.kind() == io::ErrorKind::NotFound => false,
            // (Not "no index here": making one would fail too, or worse.)
            Err(err) => return Err(io_error(dir, READING, err)),
        };
        if found {
            match Self::open_existing(dir, true) {
                Ok(index) => return Ok(index),
                Err(Error::Index(IndexError::Version { .. } | IndexError::NotAnIndex { .. }))
                    if rebuild =>
                {
                    remove_index_files(dir)?;
                }
                Err(err) => return Err(err),
            }
        }
        std::fs::create_dir_all(dir).map_err(|e| io_error(dir, WRITING, e))?;
        // The version first: a search that finds tantivy's meta.json
        // (written by `Index::create`) must find the version beside it,
        // or it takes the new index for one of format 1.
        write_version(dir)?;
        let directory = MmapDirectory::open(dir).map_err(|e| open_error(dir, e.into()))?;
        let (schema, _) = schema::build();
        let index = Index::create(directory, schema, schema::index_settings()).in_index(dir)?;
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
            watching: false,
            stories: Mutex::new(None),
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

    /// The entries of the index folder that are not the index's own (hidden
    /// ones aside), sorted: an index should have its folder to itself.
    pub fn other_files(&self) -> Vec<PathBuf> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut others: Vec<PathBuf> = entries
            .filter_map(|entry| entry.ok())
            .map(|entry| entry.file_name())
            .filter(|name| !name.to_string_lossy().starts_with('.') && !is_index_file(name))
            .map(|name| self.dir.join(name))
            .collect();
        others.sort();
        others
    }

    /// The stories the last indexing run grouped (see the `stories` module); none
    /// for an index that has no stories file. Read once, and again when
    /// the file changes.
    pub fn stories(&self) -> Result<Arc<StoryMap>> {
        let path = self.dir.join(stories::STORIES_FILE);
        let stamp: StoriesStamp = match std::fs::metadata(&path) {
            Ok(meta) => Some((
                meta.len(),
                meta.modified().map_err(|e| io_error(&path, READING, e))?,
            )),
            Err(err) if err.kind() == io::ErrorKind::NotFound => None,
            Err(err) => return Err(io_error(&path, READING, err)),
        };
        let mut cached = self.stories.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((known, map)) = cached.as_ref() {
            if *known == stamp {
                return Ok(map.clone());
            }
        }
        let map = Arc::new(StoryMap::load(&self.dir)?);
        *cached = Some((stamp, map.clone()));
        Ok(map)
    }

    /// A reader of the last commit. Searches never wait for a running
    /// indexer; they see what it last committed.
    pub fn reader(&self) -> Result<IndexReader> {
        if let Some(reader) = self.reader.get() {
            if !self.watching {
                // Catch up with commits made since (by this process or another).
                reader.reload().in_index(&self.dir)?;
            }
            return Ok(reader.clone());
        }
        let policy = if self.watching {
            ReloadPolicy::OnCommitWithDelay
        } else {
            ReloadPolicy::Manual
        };
        let reader: IndexReader = self
            .index
            .reader_builder()
            .reload_policy(policy)
            .try_into()
            .in_index(&self.dir)?;
        Ok(self.reader.get_or_init(|| reader).clone())
    }
}

/// Whether a file in an index folder is the index's own, by its name:
/// tantivy's commit, its list of files, its lock files and its segments'
/// files (`<32 hex digits>.<component>`), and [`VERSION_FILE`].
pub fn is_index_file(name: &OsStr) -> bool {
    let Some(name) = name.to_str() else {
        return false;
    };
    if [
        META_FILE,
        MANAGED_FILE,
        VERSION_FILE,
        stories::STORIES_FILE,
        crate::ingest::shard::SHARD_FILE,
    ]
    .contains(&name)
        || name.starts_with(".tantivy-")
    {
        return true;
    }
    match name.split_once('.') {
        Some((stem, rest)) => {
            stem.len() == 32 && stem.bytes().all(|b| b.is_ascii_hexdigit()) && !rest.is_empty()
        }
        None => false,
    }
}

/// Why tantivy could not open the index in `dir`: the user may not read
/// it, or it is not an index.
fn open_error(dir: &Path, err: TantivyError) -> Error {
    match crate::error::no_access(dir, &err) {
        Some(no_access) => no_access.into(),
        None => not_an_index(dir, err.to_string()),
    }
}

/// For [`io_error`]: what was being done.
const READING: bool = false;
const WRITING: bool = true;

/// An I/O error on `path`: [`IndexError::NoAccess`] when it is a matter of
/// permissions, else [`Error::Io`].
fn io_error(path: &Path, writing: bool, err: io::Error) -> Error {
    match IndexError::no_access(path, writing, &err) {
        Some(no_access) => no_access.into(),
        None => Error::Io {
            path: path.to_path_buf(),
            source: err,
        },
    }
}

/// An index is a folder: `--index` naming a file is the user's mistake,
/// said as such (not "no index here: create one" with the same path,
/// which would then fail).
fn refuse_a_file(dir: &Path) -> Result<()> {
    match std::fs::metadata(dir) {
        Ok(meta) if !meta.is_dir() => Err(Error::invalid(format!(
            "{} is a file, not an index folder: give --index (or DATELINE_INDEX) a folder",
            dir.display()
        ))),
        _ => Ok(()),
    }
}

/// The terms of `field` that a live document of the commit `searcher`
/// sees has, each as `key` makes it (a term `key` maps to `None` is
/// passed over): read from the term dictionaries, every term checked
/// against the deleted documents, which a dictionary still lists.
pub(crate) fn live_terms(
    searcher: &tantivy::Searcher,
    field: tantivy::schema::Field,
    key: impl Fn(&str) -> Option<&str>,
) -> tantivy::Result<std::collections::HashSet<String>> {
    use tantivy::DocSet;
    let mut found = std::collections::HashSet::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let alive = segment.alive_bitset();
        let mut terms = inverted.terms().stream()?;
        while terms.advance() {
            let Some(key) = std::str::from_utf8(terms.key()).ok().and_then(&key) else {
                continue;
            };
            if found.contains(key) {
                continue;
            }
            let mut postings = inverted.read_postings_from_terminfo(
                terms.value(),
                tantivy::schema::IndexRecordOption::Basic,
            )?;
            while postings.doc() != tantivy::TERMINATED {
                if alive.is_none_or(|alive| alive.is_alive(postings.doc())) {
                    found.insert(key.to_string());
                    break;
                }
                postings.advance();
            }
        }
    }
    Ok(found)
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
        Err(err) if err.kind() == io::ErrorKind::NotFound => "1".to_string(),
        Err(err) => return Err(io_error(&path, READING, err)),
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
    std::fs::write(&path, format!("{FORMAT_VERSION}\n")).map_err(|e| io_error(&path, WRITING, e))
}

/// Removes what tantivy lists as its own files in `dir`, its list, the
/// commit and the version file: the index, and nothing a user put there.
fn remove_index_files(dir: &Path) -> Result<()> {
    let managed_path = dir.join(MANAGED_FILE);
    let managed: Vec<String> = match std::fs::read(&managed_path) {
        Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_default(),
        Err(_) => Vec::new(),
    };
    let names = managed.iter().map(String::as_str).chain([
        META_FILE,
        MANAGED_FILE,
        VERSION_FILE,
        stories::STORIES_FILE,
        crate::ingest::shard::SHARD_FILE,
    ]);
    for name in names {
        // (Names from the list stay inside the folder.)
        if name.contains('/') || name.contains('\\') || name.starts_with("..") {
            continue;
        }
        let path = dir.join(name);
        match std::fs::remove_file(&path) {
            Err(err) if err.kind() != io::ErrorKind::NotFound => {
                return Err(io_error(&path, WRITING, err))
            }
            _ => {}
        }
    }
    Ok(())
}

/// tantivy's folder for searching: reads go to the [`MmapDirectory`],
/// nothing is ever written, and no lock file is made.
///
/// tantivy takes its meta lock (`.tantivy-meta.lock`) whenever a reader
/// opens the segments, so that a writer's garbage collection does not
/// delete them meanwhile; [`MmapDirectory`] takes it by opening the file
/// for writing, creating it if need be, which fails on a read-only index
/// (tantivy#557). Here the lock is taken on the file as it is, opened for
/// reading, and shared: a running `dateline index` (which made the file)
/// still cannot delete segments while a search opens them, and searches
/// do not wait for each other. Where there is no lock file, no writer can
/// be collecting garbage (it makes the file first), and the segments are
/// opened without a lock; so they are where the lock file cannot be read
/// (tantivy makes it readable by all).
#[derive(Debug, Clone)]
struct ReadingDirectory {
    dir: PathBuf,
    inner: MmapDirectory,
}

impl ReadingDirectory {
    fn new(dir: &Path, inner: MmapDirectory) -> ReadingDirectory {
        ReadingDirectory {
            dir: dir.to_path_buf(),
            inner,
        }
    }

    fn refused(path: &Path) -> io::Error {
        // (Not `PermissionDenied`: no user is refused, this is a mistake.)
        io::Error::new(
            io::ErrorKind::Unsupported,
            format!("{} is opened for searching only", path.display()),
        )
    }
}

impl Directory for ReadingDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        Err(DeleteError::IoError {
            io_error: Arc::new(Self::refused(path)),
            filepath: path.to_path_buf(),
        })
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        Err(OpenWriteError::wrap_io_error(
            Self::refused(path),
            path.to_path_buf(),
        ))
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, _data: &[u8]) -> io::Result<()> {
        Err(Self::refused(path))
    }

    fn sync_directory(&self) -> io::Result<()> {
        Ok(())
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        if lock.filepath != META_LOCK.filepath {
            // The writer's lock: never taken for searching.
            return Err(LockError::wrap_io_error(Self::refused(&lock.filepath)));
        }
        match File::open(self.dir.join(&lock.filepath)) {
            Ok(file) => match file.lock_shared() {
                // (Held until the lock is dropped, with the file.)
                Ok(()) => Ok(DirectoryLock::from(Box::new(file))),
                Err(_) => Ok(DirectoryLock::from(Box::new(()))),
            },
            Err(_) => Ok(DirectoryLock::from(Box::new(()))),
        }
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_no_index_folder_and_is_told_so() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("notes.txt");
        std::fs::write(&file, "mine").unwrap();
        for err in [
            ArchiveIndex::open(&file).err().unwrap(),
            ArchiveIndex::open_or_create(&file, true).err().unwrap(),
        ] {
            let message = err.to_string();
            assert!(
                message.contains("is a file, not an index folder"),
                "{message}"
            );
        }
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");
    }

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
    fn an_index_of_the_format_before_is_refused_too() {
        // Format 3 indexed quotes as the poster's words: its counts would
        // be wrong without a word of warning.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("index");
        ArchiveIndex::open_or_create(&path, false).unwrap();
        let before = FORMAT_VERSION - 1;
        std::fs::write(path.join(VERSION_FILE), format!("{before}\n")).unwrap();
        let err = ArchiveIndex::open(&path).err().unwrap().to_string();
        assert!(err.contains(&format!("index format {before};")), "{err}");
        assert!(err.contains("--rebuild") && !err.contains('\n'), "{err}");
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

    /// Every name in `dir` (hidden ones too) with its modification time and
    /// size, and the folder's own modification time (which making or
    /// removing a file changes).
    fn snapshot(dir: &Path) -> Vec<(String, std::time::SystemTime, u64)> {
        let mut all: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|entry| {
                let entry = entry.unwrap();
                let meta = entry.metadata().unwrap();
                let name = entry.file_name().to_string_lossy().into_owned();
                (name, meta.modified().unwrap(), meta.len())
            })
            .collect();
        all.sort();
        let meta = std::fs::metadata(dir).unwrap();
        all.push((".".into(), meta.modified().unwrap(), 0));
        all
    }

    #[cfg(unix)]
    fn set_mode(path: &Path, mode: u32) {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn opening_for_searching_creates_and_changes_nothing() {
        // Issue #13, item 9: a reader made `.tantivy-meta.lock`, which fails
        // on a read-only index ("Failed to acquire Lockfile … None").
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("index");
        let index = ArchiveIndex::open_or_create(&path, false).unwrap();
        let mut writer = index
            .tantivy()
            .writer::<tantivy::TantivyDocument>(15 << 20)
            .unwrap();
        writer
            .add_document(tantivy::TantivyDocument::default())
            .unwrap();
        writer.commit().unwrap();
        drop(writer);
        drop(index);
        // As an index copied without its lock files would be.
        for lock in [".tantivy-meta.lock", ".tantivy-writer.lock"] {
            let _ = std::fs::remove_file(path.join(lock));
        }
        for entry in std::fs::read_dir(&path).unwrap() {
            set_mode(&entry.unwrap().path(), 0o444);
        }
        set_mode(&path, 0o555);
        let before = snapshot(&path);

        let index = ArchiveIndex::open(&path).unwrap();
        assert_eq!(index.reader().unwrap().searcher().num_docs(), 1);
        // Again, through the reader kept (a reload).
        assert_eq!(index.reader().unwrap().searcher().num_docs(), 1);
        // Writing is refused, not attempted.
        assert!(index
            .tantivy()
            .writer::<tantivy::TantivyDocument>(15 << 20)
            .is_err());
        drop(index);

        assert_eq!(snapshot(&path), before);
        set_mode(&path, 0o755);
    }

    #[test]
    fn a_search_takes_the_lock_file_a_writer_made_and_waits_for_no_other_search() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("index");
        ArchiveIndex::open_or_create(&path, false)
            .unwrap()
            .reader()
            .unwrap();
        assert!(path.join(".tantivy-meta.lock").exists());
        let one = ArchiveIndex::open(&path).unwrap();
        let two = ArchiveIndex::open(&path).unwrap();
        let lock_one = one.tantivy().directory().acquire_lock(&META_LOCK).unwrap();
        // A shared lock: a second search is not kept waiting.
        let lock_two = two.tantivy().directory().acquire_lock(&META_LOCK).unwrap();
        drop((lock_one, lock_two));
    }

    #[test]
    fn index_files_are_known_by_their_names() {
        for name in [
            "meta.json",
            ".managed.json",
            "dateline-version",
            ".tantivy-meta.lock",
            ".tantivy-writer.lock",
            "20d1eb43463049c98a5d699bf6084fd0.fast",
            "20d1eb43463049c98a5d699bf6084fd0.store",
            "20d1eb43463049c98a5d699bf6084fd0.7.del",
        ] {
            assert!(is_index_file(OsStr::new(name)), "{name}");
        }
        for name in [
            "notes.txt",
            "100",
            "meta.jsonl",
            "20d1eb43463049c98a5d699bf6084fd0",
            "20d1eb43463049c98a5d699bf6084fdz.fast",
            "20d1eb43.fast",
        ] {
            assert!(!is_index_file(OsStr::new(name)), "{name}");
        }
    }

    #[test]
    fn other_files_in_the_index_folder_are_found() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("index");
        let index = ArchiveIndex::open_or_create(&path, false).unwrap();
        index.reader().unwrap();
        assert_eq!(index.other_files(), Vec::<PathBuf>::new());
        std::fs::write(path.join("notes.txt"), "mine").unwrap();
        std::fs::write(path.join(".DS_Store"), "").unwrap();
        std::fs::create_dir(path.join("2025")).unwrap();
        assert_eq!(
            index.other_files(),
            [path.join("2025"), path.join("notes.txt")]
        );
    }
}
