//! Building the index: walk → read and parse in parallel (rayon) → a bounded
//! channel → tantivy's `IndexWriter` (which tokenises on its own threads).
//! The channel's bound keeps memory flat however large the archive.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use rayon::iter::{ParallelBridge, ParallelIterator};
use tantivy::directory::error::LockError;
use tantivy::{IndexWriter, TantivyDocument, TantivyError, Term};

use crate::archive::{Archive, Entry, SourceFile};
use crate::article::{Article, Origin};
use crate::error::{Error, Result};
use crate::formats::{self, ParseError};
use crate::index::ArchiveIndex;
use crate::schema;

/// Files parsed but not yet handed to the writer. Small: parsing is far
/// faster than indexing, so a deep queue would only hold memory.
const QUEUE_DEPTH: usize = 256;

/// The least memory tantivy accepts per indexing thread.
const MIN_MEMORY_MB_PER_THREAD: usize = 15;

/// How the indexer may use the machine.
#[derive(Debug, Clone, Copy)]
pub struct IndexOptions {
    /// Threads for parsing, and as many for tantivy's indexing.
    pub threads: usize,
    /// tantivy's memory budget across all indexing threads, in MiB.
    pub memory_mb: usize,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            threads: std::thread::available_parallelism().map_or(2, |n| n.get().min(8)),
            memory_mb: 256,
        }
    }
}

/// A file that gave no article, and why.
#[derive(Debug)]
pub struct Skip {
    pub path: PathBuf,
    pub reason: SkipReason,
}

#[derive(Debug, thiserror::Error)]
pub enum SkipReason {
    #[error("{0}")]
    Parse(#[from] ParseError),
    #[error("cannot read: {0}")]
    Unreadable(String),
}

impl SkipReason {
    /// A short name for the kind of problem, for the summary's counts.
    pub fn kind(&self) -> &'static str {
        match self {
            SkipReason::Parse(err) => err.kind(),
            SkipReason::Unreadable(_) => "unreadable",
        }
    }
}

/// Hears about the run as it goes: the progress bar and warnings live with
/// the caller, not here.
pub trait Progress: Sync {
    /// A file was read and its articles queued for the index.
    fn file_indexed(&self, _bytes: u64, _articles: usize) {}
    /// A file was skipped; the run goes on.
    fn file_skipped(&self, _skip: &Skip) {}
    /// Every file is read; the last commit is being written.
    fn committing(&self) {}
}

/// Progress that nobody watches.
pub struct Silent;
impl Progress for Silent {}

/// What a run did.
#[derive(Debug, Default, Clone)]
pub struct Summary {
    /// Files looked at in an article format (indexed or skipped).
    pub files_seen: u64,
    pub files_indexed: u64,
    pub articles_indexed: u64,
    /// Bytes of the files indexed.
    pub bytes_indexed: u64,
    /// Skipped files, counted by kind of problem.
    pub skipped: BTreeMap<&'static str, u64>,
    /// Files in folders that are not in an article format, passed over.
    pub ignored: u64,
    pub elapsed: Duration,
}

impl Summary {
    pub fn files_skipped(&self) -> u64 {
        self.skipped.values().sum()
    }

    /// Megabytes (10^6 bytes) of article files indexed per second.
    pub fn megabytes_per_second(&self) -> f64 {
        let seconds = self.elapsed.as_secs_f64();
        if seconds > 0.0 {
            self.bytes_indexed as f64 / 1e6 / seconds
        } else {
            0.0
        }
    }
}

/// What reading one entry came to, sent from the parsing threads to the writer.
enum Outcome {
    Parsed { bytes: u64, articles: Vec<Article> },
    Skipped(Skip),
    Ignored,
}

/// Indexes every article under the archive's roots and commits. An article
/// whose id is already in the index replaces the older copy.
pub fn run(
    index: &ArchiveIndex,
    archive: &Archive,
    options: IndexOptions,
    progress: &dyn Progress,
) -> Result<Summary> {
    let started = Instant::now();
    let threads = options.threads.max(1);
    let memory_mb = options.memory_mb;
    if memory_mb < MIN_MEMORY_MB_PER_THREAD * threads {
        return Err(Error::InvalidArgument(format!(
            "--memory-mb {memory_mb} is too small for {threads} threads: \
             give at least {} (15 per thread)",
            MIN_MEMORY_MB_PER_THREAD * threads
        )));
    }
    let mut writer: IndexWriter<TantivyDocument> = index
        .tantivy()
        .writer_with_num_threads(threads, memory_mb * 1024 * 1024)
        .map_err(|err| writer_error(index, err))?;
    // A fresh index has nothing to replace: skip the per-article deletes.
    let replace_existing = index.reader()?.searcher().num_docs() > 0;

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("dateline-parse-{i}"))
        .build()
        .map_err(|e| Error::InvalidArgument(format!("cannot start {threads} threads: {e}")))?;
    let fields = *index.fields();
    let mut summary = Summary::default();
    let (sender, receiver) = mpsc::sync_channel::<Outcome>(QUEUE_DEPTH);

    let fed: Result<()> = std::thread::scope(|scope| {
        scope.spawn(move || {
            pool.install(|| {
                // Stops early only when the writer side has hung up on an error.
                let _ = archive
                    .entries()
                    .par_bridge()
                    .try_for_each_with(sender, |sender, entry| sender.send(read(entry)));
            })
        });
        for outcome in receiver {
            match outcome {
                Outcome::Parsed { bytes, articles } => {
                    summary.files_seen += 1;
                    summary.files_indexed += 1;
                    summary.bytes_indexed += bytes;
                    summary.articles_indexed += articles.len() as u64;
                    progress.file_indexed(bytes, articles.len());
                    for article in &articles {
                        if replace_existing {
                            writer.delete_term(Term::from_field_text(fields.id, &article.id));
                        }
                        writer
                            .add_document(schema::to_document(&fields, article))
                            .map_err(|err| index.error(err))?;
                    }
                }
                Outcome::Skipped(skip) => {
                    summary.files_seen += 1;
                    *summary.skipped.entry(skip.reason.kind()).or_default() += 1;
                    progress.file_skipped(&skip);
                }
                Outcome::Ignored => summary.ignored += 1,
            }
        }
        Ok(())
    });
    fed?;

    progress.committing();
    writer.commit().map_err(|err| index.error(err))?;
    writer
        .wait_merging_threads()
        .map_err(|err| index.error(err))?;
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// Reads and parses one walked entry; runs on the parsing threads.
fn read(entry: Entry) -> Outcome {
    match entry {
        Entry::File(file) => read_file(file),
        Entry::Ignored(_) => Outcome::Ignored,
        Entry::Unreadable { path, reason } => Outcome::Skipped(Skip {
            path,
            reason: SkipReason::Unreadable(reason),
        }),
    }
}

fn read_file(file: SourceFile) -> Outcome {
    let bytes = match std::fs::read(&file.path) {
        Ok(bytes) => bytes,
        Err(err) => {
            return Outcome::Skipped(Skip {
                path: file.path,
                reason: SkipReason::Unreadable(err.to_string()),
            })
        }
    };
    let origin = Origin {
        id: file.id,
        path: file.absolute.to_string_lossy().into_owned(),
    };
    match formats::parse(&bytes, origin) {
        Ok(articles) => Outcome::Parsed {
            bytes: bytes.len() as u64,
            articles,
        },
        Err(err) => Outcome::Skipped(Skip {
            path: file.path,
            reason: err.into(),
        }),
    }
}

fn writer_error(index: &ArchiveIndex, err: TantivyError) -> Error {
    match err {
        TantivyError::LockFailure(LockError::LockBusy, _) => Error::IndexLocked {
            dir: index.dir().to_path_buf(),
            lock: index.dir().join(".tantivy-writer.lock"),
        },
        other => index.error(other),
    }
}
