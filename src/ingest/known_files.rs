//! What the index knows of the files it was built from, and how a walk
//! compares with it: the basis of incremental indexing.
//!
//! Every file that was read has one record document in the index (its
//! [`Fingerprint`](schema::Fingerprint)), added after the file's articles, so the record and the
//! articles are committed together or not at all. The lookups at the end
//! find which files hold an article and its duplicates.

use std::collections::{HashMap, HashSet};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use super::walk::SourceFile;
use crate::index::schema::{self, DocKind, Fields};
use crate::paths::{modified_nanos, path_text, text_path};

/// Size, modification time and hash of every file the index was built from.
#[derive(Debug, Default)]
pub struct KnownFiles {
    /// By source: the rest of its [`Fingerprint`](schema::Fingerprint).
    files: HashMap<String, Recorded>,
    /// Archives without a record but with [`DocKind::Member`] records (a
    /// run stopped inside them), by source: what the archive was then
    /// (its hash is not known before the end).
    partial: HashMap<String, Recorded>,
}

/// A [`Fingerprint`](schema::Fingerprint) without its source, which is the key it is kept under
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
    /// Reads the file records (and the archives read in part) of the
    /// commit `searcher` sees.
    pub fn load(searcher: &Searcher, fields: &Fields) -> tantivy::Result<KnownFiles> {
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
        let records_of = |kind: DocKind| -> tantivy::Result<HashMap<String, Recorded>> {
            let records = TermQuery::new(
                Term::from_field_u64(fields.kind, kind.code()),
                IndexRecordOption::Basic,
            );
            let found = searcher.search(&records, &DocSetCollector)?;
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
            Ok(files)
        };
        let files = records_of(DocKind::File)?;
        let mut partial = records_of(DocKind::Member)?;
        // (An archive's record goes in after its member records are
        // deleted; this only guards against an index that has both.)
        partial.retain(|source, _| !files.contains_key(source));
        Ok(KnownFiles { files, partial })
    }

    /// Whether a run stopped inside this archive, as it is now (`size`
    /// bytes, modified at `modified`), can be resumed: it has member
    /// records, made when the archive was as it is.
    pub fn resumable(&self, source: &str, size: u64, modified: i64) -> bool {
        self.partial
            .get(source)
            .is_some_and(|then| then.size == size && then.modified == modified)
    }

    /// The archives read in part at or below any of `roots`.
    pub fn partial_under<'a>(&'a self, roots: &'a [PathBuf]) -> impl Iterator<Item = &'a str> + 'a {
        self.partial
            .keys()
            .map(String::as_str)
            .filter(move |source| is_under(source, roots))
    }

    /// Whether the index has a record of this file.
    pub fn status_is_known(&self, source: &str) -> bool {
        self.files.contains_key(source)
    }

    /// Whether the index has no file records.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
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
        self.files
            .keys()
            .map(String::as_str)
            .filter(move |source| is_under(source, roots))
    }
}

/// Whether a source is at or below any of `roots` (absolute paths).
pub(super) fn is_under(source: &str, roots: &[PathBuf]) -> bool {
    roots.iter().any(|root| {
        let root = path_text(root);
        source
            .strip_prefix(root.as_str())
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/') || root.ends_with('/'))
    })
}

/// Every source below `roots` that has a live document in the commit
/// `searcher` sees.
pub(super) fn sources_with_documents_under(
    searcher: &Searcher,
    fields: &Fields,
    roots: &[PathBuf],
) -> tantivy::Result<HashSet<String>> {
    crate::index::live_terms(searcher, fields.source, |source| {
        is_under(source, roots).then_some(source)
    })
}

/// The members of an archive that have a [`DocKind::Member`] record in the
/// commit `searcher` sees: read whole and committed, not to be read again.
pub(super) fn members_done(
    searcher: &Searcher,
    fields: &Fields,
    source: &str,
) -> tantivy::Result<HashSet<String>> {
    let query = BooleanQuery::intersection(vec![
        Box::new(TermQuery::new(
            Term::from_field_text(fields.source, source),
            IndexRecordOption::Basic,
        )),
        Box::new(TermQuery::new(
            Term::from_field_u64(fields.kind, DocKind::Member.code()),
            IndexRecordOption::Basic,
        )),
    ]);
    let mut done = HashSet::new();
    for address in searcher.search(&query, &DocSetCollector)? {
        let record: TantivyDocument = searcher.doc(address)?;
        done.extend(schema::file_id(fields, &record));
    }
    Ok(done)
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

/// xxh3 of a file's bytes, read in blocks.
fn hash_file(path: &Path) -> io::Result<u64> {
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

/// Documents of a kind with this content hash, in a commit.
pub(super) fn docs_with(
    searcher: &Searcher,
    fields: &Fields,
    content: u64,
    kind: DocKind,
) -> tantivy::Result<Vec<DocAddress>> {
    let query = BooleanQuery::intersection(vec![
        Box::new(TermQuery::new(
            Term::from_field_u64(fields.content, content),
            IndexRecordOption::Basic,
        )),
        Box::new(TermQuery::new(
            Term::from_field_u64(fields.kind, kind.code()),
            IndexRecordOption::Basic,
        )),
    ]);
    Ok(searcher
        .search(&query, &DocSetCollector)?
        .into_iter()
        .collect())
}

/// The content hashes of the articles a file gave.
pub(super) fn article_contents(
    searcher: &Searcher,
    fields: &Fields,
    source: &str,
) -> tantivy::Result<Vec<u64>> {
    let query = TermQuery::new(
        Term::from_field_text(fields.source, source),
        IndexRecordOption::Basic,
    );
    let mut contents = Vec::new();
    for address in searcher.search(&query, &DocSetCollector)? {
        let segment = searcher.segment_reader(address.segment_ord);
        let fast = segment.fast_fields();
        let kind = fast.u64(Fields::KIND_NAME)?.first(address.doc_id);
        if kind == Some(DocKind::Article.code()) {
            if let Some(content) = fast.u64(Fields::CONTENT_NAME)?.first(address.doc_id) {
                contents.push(content);
            }
        }
    }
    Ok(contents)
}

/// A file the index has a record of, as the walker would have found it, if
/// it is still there. The source is the path as [`path_text`] wrote it:
/// [`text_path`] gives the path back, also when its name is not UTF-8.
pub(super) fn recorded_file(
    searcher: &Searcher,
    fields: &Fields,
    source: &str,
) -> tantivy::Result<Option<SourceFile>> {
    let query = BooleanQuery::intersection(vec![
        Box::new(TermQuery::new(
            Term::from_field_text(fields.source, source),
            IndexRecordOption::Basic,
        )),
        Box::new(TermQuery::new(
            Term::from_field_u64(fields.kind, DocKind::File.code()),
            IndexRecordOption::Basic,
        )),
    ]);
    let Some(address) = searcher
        .search(&query, &DocSetCollector)?
        .into_iter()
        .next()
    else {
        return Ok(None);
    };
    let record: TantivyDocument = searcher.doc(address)?;
    let Some(id) = schema::file_id(fields, &record) else {
        return Ok(None);
    };
    let path = text_path(source);
    let Ok(meta) = std::fs::metadata(&path) else {
        return Ok(None);
    };
    Ok(Some(SourceFile {
        absolute: path.clone(),
        path,
        id,
        len: meta.len(),
        modified: modified_nanos(&meta),
    }))
}

/// The files holding duplicates of the article with this content hash.
pub(super) fn duplicate_sources(
    searcher: &Searcher,
    fields: &Fields,
    content: u64,
) -> tantivy::Result<Vec<String>> {
    let mut sources = Vec::new();
    for address in docs_with(searcher, fields, content, DocKind::Duplicate)? {
        let segment = searcher.segment_reader(address.segment_ord);
        let Some(column) = segment.fast_fields().str(Fields::SOURCE_NAME)? else {
            continue;
        };
        let mut source = String::new();
        let ord = column.term_ords(address.doc_id).next();
        if let Some(ord) = ord {
            if matches!(column.ord_to_str(ord, &mut source), Ok(true)) {
                sources.push(source);
            }
        }
    }
    Ok(sources)
}
