//! Building the index: walk → open containers, decode and parse in parallel
//! (rayon) → a bounded channel → tantivy's `IndexWriter` (which tokenises on
//! its own threads). The channel's bound keeps memory flat however large
//! the archive.

use std::collections::BTreeMap;
use std::sync::mpsc::{self, SyncSender};
use std::time::{Duration, Instant};

use rayon::iter::{ParallelBridge, ParallelIterator};
use tantivy::directory::error::LockError;
use tantivy::{IndexWriter, TantivyDocument, TantivyError, Term};

use crate::archive::{Archive, Entry};
use crate::article::Article;
use crate::container::{self, Item, Member};
use crate::error::{Error, Result};
use crate::formats::{self, Format, FormatOptions, ParseError, Problem};
use crate::index::ArchiveIndex;
use crate::schema;

/// Files parsed but not yet handed to the writer. Small: parsing is far
/// faster than indexing, so a deep queue would only hold memory.
const QUEUE_DEPTH: usize = 256;

/// The least memory tantivy accepts per indexing thread.
const MIN_MEMORY_MB_PER_THREAD: usize = 15;

/// How the indexer may use the machine, and how it reads files.
#[derive(Debug, Clone)]
pub struct IndexOptions {
    /// Threads for parsing, and as many for tantivy's indexing.
    pub threads: usize,
    /// tantivy's memory budget across all indexing threads, in MiB.
    pub memory_mb: usize,
    pub formats: FormatOptions,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            threads: std::thread::available_parallelism().map_or(2, |n| n.get().min(8)),
            memory_mb: 256,
            formats: FormatOptions::default(),
        }
    }
}

/// A file (or archive member) that gave no article, and why.
#[derive(Debug)]
pub struct Skip {
    /// As given on the command line; `archive!/member` inside archives.
    pub path: String,
    pub reason: SkipReason,
}

#[derive(Debug, thiserror::Error)]
pub enum SkipReason {
    #[error("{0}")]
    Parse(#[from] ParseError),
    #[error("{0}")]
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
/// the caller, not here. Called from one thread, in the order things happen.
pub trait Progress: Sync {
    /// A file was read and its articles queued for the index.
    fn file_indexed(&self, _bytes: u64, _articles: usize) {}
    /// A file was skipped; the run goes on.
    fn file_skipped(&self, _skip: &Skip) {}
    /// Something in a file that was indexed all the same deserves a word.
    fn warning(&self, _path: &str, _message: &str) {}
    /// Every file is read; the last commit is being written.
    fn committing(&self) {}
}

/// Progress that nobody watches.
pub struct Silent;
impl Progress for Silent {}

/// What a run did.
#[derive(Debug, Default, Clone)]
pub struct Summary {
    /// Files and archive members looked at (indexed or skipped).
    pub files_seen: u64,
    pub files_indexed: u64,
    pub articles_indexed: u64,
    /// Articles indexed, by input format.
    pub articles_by_format: BTreeMap<Format, u64>,
    /// Articles indexed without a date.
    pub undated: u64,
    /// Bytes of the files indexed (uncompressed).
    pub bytes_indexed: u64,
    /// Skipped files, counted by kind of problem.
    pub skipped: BTreeMap<&'static str, u64>,
    /// Parts of indexed files that could not be read (a bad JSON line, …).
    pub problems: u64,
    /// Files that were not UTF-8 and were read as Windows-1252.
    pub legacy_encoded: u64,
    /// Files in folders or archives that are not in an article format.
    pub ignored: u64,
    pub elapsed: Duration,
}

impl Summary {
    pub fn files_skipped(&self) -> u64 {
        self.skipped.values().sum()
    }

    /// Megabytes (10^6 bytes) of article text indexed per second.
    pub fn megabytes_per_second(&self) -> f64 {
        let seconds = self.elapsed.as_secs_f64();
        if seconds > 0.0 {
            self.bytes_indexed as f64 / 1e6 / seconds
        } else {
            0.0
        }
    }
}

/// What reading one file or member came to, sent from the parsing threads
/// to the writer.
enum Outcome {
    Parsed {
        shown: String,
        bytes: u64,
        format: Format,
        legacy: bool,
        articles: Vec<Article>,
        problems: Vec<Problem>,
    },
    Skipped(Skip),
    Ignored,
}

/// Indexes every article under the archive's roots and commits. An article
/// whose id is already in the index replaces the older copy.
pub fn run(
    index: &ArchiveIndex,
    archive: &Archive,
    options: &IndexOptions,
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
    let formats = &options.formats;

    let fed: Result<()> = std::thread::scope(|scope| {
        scope.spawn(move || {
            pool.install(|| {
                // Stops early only when the writer side has hung up on an error.
                let _ = archive
                    .entries()
                    .par_bridge()
                    .try_for_each_with(sender, |sender, entry| read(entry, formats, sender));
            })
        });
        for outcome in receiver {
            match outcome {
                Outcome::Parsed {
                    shown,
                    bytes,
                    format,
                    legacy,
                    articles,
                    problems,
                } => {
                    summary.files_seen += 1;
                    summary.files_indexed += 1;
                    summary.bytes_indexed += bytes;
                    summary.articles_indexed += articles.len() as u64;
                    *summary.articles_by_format.entry(format).or_default() += articles.len() as u64;
                    summary.problems += problems.len() as u64;
                    if legacy {
                        summary.legacy_encoded += 1;
                        progress.warning(&shown, "not valid UTF-8; read as Windows-1252");
                    }
                    for problem in &problems {
                        progress.warning(&shown, &problem.to_string());
                    }
                    progress.file_indexed(bytes, articles.len());
                    for article in &articles {
                        if article.date.is_none() {
                            summary.undated += 1;
                        }
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

/// Reads one walked entry (every member, for an archive) and sends what it
/// holds; runs on the parsing threads. Fails only when the writer has hung up.
fn read(
    entry: Entry,
    formats: &FormatOptions,
    sender: &mut SyncSender<Outcome>,
) -> std::result::Result<(), mpsc::SendError<Outcome>> {
    let file = match entry {
        Entry::File(file) => file,
        Entry::Ignored(_) => return sender.send(Outcome::Ignored),
        Entry::Unreadable { path, reason } => {
            return sender.send(Outcome::Skipped(Skip {
                path: path.display().to_string(),
                reason: SkipReason::Unreadable(reason),
            }))
        }
    };
    let mut sent = Ok(());
    container::open(&file, &mut |item| {
        let outcome = match item {
            Item::Member(member) => parse_member(member, formats),
            Item::Ignored => Outcome::Ignored,
            Item::Unreadable { shown, reason } => Outcome::Skipped(Skip {
                path: shown,
                reason: SkipReason::Unreadable(reason),
            }),
        };
        sent = sender.send(outcome);
        sent.is_ok()
    });
    sent
}

fn parse_member(member: Member, options: &FormatOptions) -> Outcome {
    let skip = |reason: ParseError| {
        Outcome::Skipped(Skip {
            path: member.shown.clone(),
            reason: reason.into(),
        })
    };
    let decoded = match formats::decode(&member.bytes) {
        Ok(decoded) => decoded,
        Err(err) => return skip(err),
    };
    let format = options
        .forced
        .unwrap_or_else(|| formats::detect(&member.name, &decoded.text));
    match formats::parse(format, &decoded.text, &member.origin, options) {
        Ok(parsed) if parsed.articles.is_empty() && parsed.problems.is_empty() => {
            skip(ParseError::Malformed(format!("no {format} articles found")))
        }
        Ok(parsed) => Outcome::Parsed {
            bytes: member.bytes.len() as u64,
            shown: member.shown,
            format,
            legacy: decoded.legacy,
            articles: parsed.articles,
            problems: parsed.problems,
        },
        Err(err) => skip(err),
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
