//! Indexing: the PATHs in, a committed index out. Data flows one way:
//!
//! 1. [`walk`] lists the files under the PATHs ([`Roots`]);
//! 2. [`plan`] compares them with what the index knows of its files
//!    ([`known_files`]): what to read, what to replace, what is gone;
//! 3. [`read`] opens each file ([`container`]: `.gz`, tar and zip members),
//!    decodes and parses it ([`formats`]) on a pool of parsing threads;
//! 4. a bounded channel carries what was read to [`feed`], which adds the
//!    articles (or, for copies, [`dedup`]'s duplicate records) and each
//!    file's record to tantivy's writer, committing between whole files;
//! 5. [`summary`] tells what the run did.
//!
//! The channel's bound keeps memory flat however large the archive.

pub mod container;
mod dedup;
mod feed;
pub mod formats;
mod known_files;
mod options;
mod plan;
mod read;
mod summary;
pub mod walk;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Instant;

use tantivy::directory::error::LockError;
use tantivy::indexer::LogMergePolicy;
use tantivy::{IndexWriter, TantivyDocument, TantivyError, Term};

use crate::error::{Error, InIndex, IndexError, Result};
use crate::index::ArchiveIndex;
use dedup::Dedup;
use feed::Feed;
pub use formats::FormatOptions;
use known_files::KnownFiles;
pub use options::{
    IndexOptions, DEFAULT_COMMIT_EVERY, DEFAULT_MAX_ARTICLE_SIZE, DEFAULT_MEMORY_MB,
};
use plan::Plan;
use read::ToRead;
pub use summary::{Progress, Silent, Skip, SkipReason, Summary};
pub use walk::Roots;

/// Batches of parsed files not yet handed to the writer, per parsing
/// thread. Small: parsing is far faster than indexing, so a deep queue
/// would only hold memory.
const BATCHES_QUEUED_PER_THREAD: usize = 4;

/// Segments with more documents than this are never merged again.
const MERGE_SEGMENTS_UP_TO_DOCS: usize = 150_000;

/// How many segments of about the same size are merged into one.
const SEGMENTS_PER_MERGE: usize = 4;

/// The least memory tantivy accepts per indexing thread.
const MIN_MEMORY_MB_PER_THREAD: usize = 15;

/// Brings the index in step with the files under `roots` and commits: new
/// files are read, changed ones read again, unchanged ones left alone, and
/// the articles of files that are gone (below the roots) removed. An
/// article whose headline and body are already indexed is recorded as a
/// duplicate, not indexed twice. `stop` (Ctrl-C) ends the run early, with
/// what was done committed.
pub fn run(
    index: &ArchiveIndex,
    roots: &Roots,
    options: &IndexOptions,
    progress: &dyn Progress,
    stop: &AtomicBool,
) -> Result<Summary> {
    let started = Instant::now();
    let dir = index.dir();
    let threads = options.threads.max(1);
    let writer = open_writer(index, threads, options.memory_mb)?;
    let fields = *index.fields();
    let before = index.reader()?.searcher();
    if options.rebuild {
        writer.delete_all_documents().in_index(dir)?;
    }
    // A fresh index has nothing to replace or to be a duplicate of.
    let fresh = options.rebuild || before.num_docs() == 0;
    let known = match fresh {
        true => KnownFiles::default(),
        false => KnownFiles::load(&before, &fields).in_index(dir)?,
    };
    let mut plan = Plan::make(&known, roots, &before, &fields).in_index(dir)?;
    for source in &plan.replaced {
        writer.delete_term(Term::from_field_text(fields.source, source));
    }
    let to_read = match plan.to_read.take() {
        Some(entries) => ToRead::Entries(entries),
        None => ToRead::Walk(roots),
    };
    let summary = Summary {
        files_removed: plan.removed,
        files_unchanged: plan.unchanged.len() as u64,
        ..Summary::default()
    };
    let dedup = Dedup::new(&before, &fields, fresh, &plan.orphaned);
    let mut feed = Feed::new(
        index,
        writer,
        fresh,
        &plan.replaced,
        dedup,
        progress,
        options.commit_every,
        summary,
    );
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("dateline-parse-{i}"))
        .build()
        .map_err(|e| Error::System(format!("cannot start {threads} threads: {e}")))?;
    let (sender, receiver) = mpsc::sync_channel(BATCHES_QUEUED_PER_THREAD * threads);
    std::thread::scope(|scope| {
        let outside = &plan.outside;
        let known = &known;
        scope.spawn(move || read::read_all(pool, to_read, outside, options, known, sender, stop));
        // (Dropping the receiver on an error hangs up on the readers.)
        receiver
            .into_iter()
            .flatten()
            .try_for_each(|event| feed.take(event))
    })?;
    let mut summary = feed.finish()?;
    summary.interrupted = stop.load(Ordering::Relaxed);
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// tantivy's writer, with the merge policy below; a writer that another
/// process holds is [`IndexError::Locked`].
fn open_writer(
    index: &ArchiveIndex,
    threads: usize,
    memory_mb: usize,
) -> Result<IndexWriter<TantivyDocument>> {
    if memory_mb < MIN_MEMORY_MB_PER_THREAD * threads {
        return Err(Error::invalid(format!(
            "--memory-mb {memory_mb} is too small for {threads} threads: \
             give at least {} (15 per thread)",
            MIN_MEMORY_MB_PER_THREAD * threads
        )));
    }
    let dir = index.dir();
    let writer = match index
        .tantivy()
        .writer_with_num_threads(threads, memory_mb * 1024 * 1024)
    {
        Err(TantivyError::LockFailure(LockError::LockBusy, _)) => {
            return Err(IndexError::Locked {
                dir: dir.to_path_buf(),
                lock: dir.join(".tantivy-writer.lock"),
            }
            .into())
        }
        other => other.in_index(dir)?,
    };
    writer.set_merge_policy(Box::new(merge_policy()));
    Ok(writer)
}

/// tantivy's log merge policy, capped. A merge maps its segments into
/// memory and reads them through: with the default policy (merge 8, up to
/// 10M documents), merges at 1M articles read 1.1 GiB of segments at once,
/// which showed as resident memory growing with the archive. Merging 4
/// flushed segments at a time, and nothing above 150,000 documents again,
/// keeps a merge to a few hundred MiB whatever the archive's size; a
/// million articles end in about ten segments, which a search reads in
/// parallel anyway.
fn merge_policy() -> LogMergePolicy {
    let mut policy = LogMergePolicy::default();
    policy.set_max_docs_before_merge(MERGE_SEGMENTS_UP_TO_DOCS);
    policy.set_min_num_segments(SEGMENTS_PER_MERGE);
    policy
}
