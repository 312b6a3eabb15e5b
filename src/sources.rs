//! What the index knows of the files it was built from, and how a walk
//! compares with it: the basis of incremental indexing.
//!
//! Every file that was read has one record document in the index (its
//! [`Fingerprint`](crate::schema::Fingerprint)), added after the file's articles, so the record and the
//! articles are committed together or not at all.

use std::collections::HashMap;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, Term};

use crate::schema::{DocKind, Fields};

/// Size, modification time and hash of every file the index was built from.
#[derive(Debug, Default)]
pub struct KnownFiles {
    /// By source: the rest of its [`Fingerprint`](crate::schema::Fingerprint).
    files: HashMap<String, Recorded>,
}

/// A [`Fingerprint`](crate::schema::Fingerprint) without its source, which is the key it is kept under
/// (a million files' paths are worth holding once).
#[derive(Debug, Clone, Copy)]
struct Recorded {
    size: u64,
    modified: i64,
    hash: u64,
}

/// How a file on disk compares with what the index knows of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    New,
    Unchanged,
    Changed,
}

impl KnownFiles {
    /// Reads the file records of the commit `searcher` sees.
    pub fn load(searcher: &Searcher, fields: &Fields) -> tantivy::Result<KnownFiles> {
        let records = TermQuery::new(
            Term::from_field_u64(fields.kind, DocKind::File.code()),
            IndexRecordOption::Basic,
        );
        let found = searcher.search(&records, &DocSetCollector)?;
        let mut columns = Vec::new();
        for segment in searcher.segment_readers() {
            let fast = segment.fast_fields();
            let sources = fast.str(Fields::SOURCE_NAME)?;
            columns.push((
                source_names(sources.as_ref())?,
                sources,
                fast.u64(Fields::SOURCE_SIZE_NAME)?,
                fast.i64(Fields::SOURCE_MODIFIED_NAME)?,
                fast.u64(Fields::SOURCE_HASH_NAME)?,
            ));
        }
        let mut files = HashMap::with_capacity(found.len());
        for address in found {
            let Some((names, Some(sources), sizes, modified, hashes)) =
                columns.get(address.segment_ord as usize)
            else {
                continue;
            };
            let doc = address.doc_id;
            let ord = sources.term_ords(doc).next();
            let Some(source) = ord.and_then(|ord| names.get(ord as usize)) else {
                continue;
            };
            let recorded = Recorded {
                size: sizes.first(doc).unwrap_or_default(),
                modified: modified.first(doc).unwrap_or_default(),
                hash: hashes.first(doc).unwrap_or_default(),
            };
            files.insert(source.clone(), recorded);
        }
        Ok(KnownFiles { files })
    }

    /// Whether the index has a record of this file.
    pub fn status_is_known(&self, source: &str) -> bool {
        self.files.contains_key(source)
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Compares a file on disk, of the given size and modification time,
    /// with its record. Size and time decide, unless only the time differs:
    /// then the content's hash does (a copy, a `touch`).
    pub fn status(&self, source: &str, path: &Path, size: u64, modified: i64) -> Status {
        let Some(known) = self.files.get(source) else {
            return Status::New;
        };
        if known.size != size {
            return Status::Changed;
        }
        if known.modified == modified {
            return Status::Unchanged;
        }
        match hash_file(path) {
            Ok(hash) if hash == known.hash => Status::Unchanged,
            _ => Status::Changed,
        }
    }

    /// The known files at or below any of `roots` (absolute paths).
    pub fn under<'a>(&'a self, roots: &'a [PathBuf]) -> impl Iterator<Item = &'a str> + 'a {
        self.files.keys().map(String::as_str).filter(move |source| {
            roots.iter().any(|root| {
                let root = crate::archive::path_text(root);
                source.strip_prefix(root.as_str()).is_some_and(|rest| {
                    rest.is_empty() || rest.starts_with('/') || root.ends_with('/')
                })
            })
        })
    }
}

/// Every source name of a segment, by ordinal. Read in one pass: looking
/// names up one by one decompresses a dictionary block each time.
fn source_names(column: Option<&tantivy::columnar::StrColumn>) -> tantivy::Result<Vec<String>> {
    let Some(column) = column else {
        return Ok(Vec::new());
    };
    let mut names = Vec::with_capacity(column.num_terms());
    let mut stream = column.dictionary().stream()?;
    while stream.advance() {
        names.push(String::from_utf8_lossy(stream.key()).into_owned());
    }
    Ok(names)
}

/// A file's modification time in nanoseconds since the Unix epoch (0 when
/// the file system does not say).
pub fn modified_nanos(meta: &std::fs::Metadata) -> i64 {
    meta.modified()
        .ok()
        .and_then(|time| time.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |since| {
            i64::try_from(since.as_nanos()).unwrap_or(i64::MAX)
        })
}

/// xxh3 of a file's bytes, read in blocks.
pub fn hash_file(path: &Path) -> io::Result<u64> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let mut block = vec![0u8; 1 << 16];
    loop {
        let read = file.read(&mut block)?;
        if read == 0 {
            return Ok(hasher.digest());
        }
        hasher.update(&block[..read]);
    }
}
