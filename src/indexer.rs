//! Building the index: walk → open containers, decode and parse in parallel
//! (rayon) → a bounded channel → tantivy's `IndexWriter` (which tokenises on
//! its own threads). The channel's bound keeps memory flat however large
//! the archive.

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, SyncSender};
use std::time::{Duration, Instant};

use indicatif::HumanBytes;
use rayon::iter::{ParallelBridge, ParallelIterator};
use tantivy::collector::DocSetCollector;
use tantivy::directory::error::LockError;
use tantivy::indexer::LogMergePolicy;
use tantivy::query::{BooleanQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, IndexWriter, Searcher, TantivyDocument, TantivyError, Term};

use crate::archive::{path_text, Archive, Entry, SourceFile, Walked};
use crate::article::Article;
use crate::container::{self, Item, Member};
use crate::error::{Error, Result};
use crate::formats::{self, json, Format, FormatOptions, ParseError, Problem};
use crate::index::ArchiveIndex;
use crate::schema::{self, DocKind, Fields, Fingerprint};
use crate::sources::{self, KnownFiles, Status};

/// Batches of parsed files not yet handed to the writer, per parsing
/// thread. Small: parsing is far faster than indexing, so a deep queue
/// would only hold memory.
const BATCHES_QUEUED_PER_THREAD: usize = 4;

/// Walked files a parsing thread takes at a time, and sends the writer in
/// one message: one file at a time, threads spent their time handing files
/// to each other (futex calls outnumbered files five to one).
const FILES_PER_BATCH: usize = 32;

/// A batch is sent early once it holds this many bytes of text, or this
/// many outcomes (an archive of many members), so that no batch holds much
/// memory.
const BATCH_BYTES: u64 = 1 << 20;
const BATCH_OUTCOMES: usize = 1024;

/// Segments with more documents than this are never merged again.
const MERGE_SEGMENTS_UP_TO_DOCS: usize = 150_000;

/// How many segments of about the same size are merged into one.
const SEGMENTS_PER_MERGE: usize = 4;

/// The least memory tantivy accepts per indexing thread.
const MIN_MEMORY_MB_PER_THREAD: usize = 15;

/// The default of [`IndexOptions::max_article_size`]: 16 MiB, a hundred
/// times the longest real article we know of.
pub const DEFAULT_MAX_ARTICLE_SIZE: u64 = 16 << 20;

/// How the indexer may use the machine, and how it reads files.
#[derive(Debug, Clone)]
pub struct IndexOptions {
    /// Threads for parsing, and as many for tantivy's indexing.
    pub threads: usize,
    /// tantivy's memory budget across all indexing threads, in MiB.
    pub memory_mb: usize,
    pub formats: FormatOptions,
    /// Start from an empty index instead of updating.
    pub rebuild: bool,
    /// Commit after this many articles, so a crash loses little work.
    pub commit_every: u64,
    /// Files (and archive members) larger than this many bytes are skipped
    /// unread, so one file never takes more memory than this.
    pub max_article_size: u64,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            threads: std::thread::available_parallelism().map_or(2, |n| n.get().min(8)),
            memory_mb: 256,
            formats: FormatOptions::default(),
            rebuild: false,
            commit_every: 100_000,
            max_article_size: DEFAULT_MAX_ARTICLE_SIZE,
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
    /// `size` is `None` when it only showed while decompressing.
    #[error("too large: {} the {} limit (--max-article-size)",
        .size.map_or("more than".to_string(), |size| format!("{} is over", HumanBytes(size))),
        HumanBytes(*.limit))]
    TooLarge { size: Option<u64>, limit: u64 },
}

impl SkipReason {
    /// A short name for the kind of problem, for the summary's counts.
    pub fn kind(&self) -> &'static str {
        match self {
            SkipReason::Parse(err) => err.kind(),
            SkipReason::Unreadable(_) => "unreadable",
            SkipReason::TooLarge { .. } => "too large",
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
    /// Files read for the first time, read again because they changed,
    /// left alone because they did not, and forgotten because they are gone.
    pub files_new: u64,
    pub files_changed: u64,
    pub files_unchanged: u64,
    pub files_removed: u64,
    /// Articles not indexed because the same headline and body already are.
    pub duplicates: u64,
    /// Stopped early (Ctrl-C): what was done is committed.
    pub interrupted: bool,
    pub elapsed: Duration,
}

impl Summary {
    pub fn files_skipped(&self) -> u64 {
        self.skipped.values().sum()
    }

    /// Everything that was warned about: files skipped, parts of files
    /// skipped, files read as Windows-1252.
    pub fn warnings(&self) -> u64 {
        self.files_skipped() + self.problems + self.legacy_encoded
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
        source: String,
        shown: String,
        /// A file (or member) of its own, or the first piece of one; not a
        /// later piece of a file read in pieces.
        starts_file: bool,
        bytes: u64,
        format: Format,
        legacy: bool,
        articles: Vec<Article>,
        problems: Vec<Problem>,
    },
    Skipped(Skip),
    Ignored,
    /// Everything of a file has been sent: its record comes last.
    FileDone {
        file: Fingerprint,
        id: String,
        status: Status,
    },
    /// Everything of a file that could be read has been sent, but the file
    /// gets no record, so that the next run reads it again.
    FileUnrecorded {
        source: String,
    },
}

/// Brings the index in step with the files under the archive's roots and
/// commits: new files are read, changed ones read again, unchanged ones
/// left alone, and the articles of files that are gone (below the roots)
/// removed. An article whose headline and body are already indexed is
/// recorded as a duplicate, not indexed twice. `stop` (Ctrl-C) ends the run
/// early, with what was done committed.
pub fn run(
    index: &ArchiveIndex,
    archive: &Archive,
    options: &IndexOptions,
    progress: &dyn Progress,
    stop: &AtomicBool,
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
    writer.set_merge_policy(Box::new(merge_policy()));
    let fields = *index.fields();
    let before = index.reader()?.searcher();
    if options.rebuild {
        writer
            .delete_all_documents()
            .map_err(|err| index.error(err))?;
    }
    // A fresh index has nothing to replace or to be a duplicate of.
    let fresh = options.rebuild || before.num_docs() == 0;
    let known = if fresh {
        KnownFiles::default()
    } else {
        KnownFiles::load(&before, &fields).map_err(|err| index.error(err))?
    };
    let mut plan = Plan::make(&known, archive, &before, &fields).map_err(|err| index.error(err))?;
    for source in &plan.replaced {
        writer.delete_term(Term::from_field_text(fields.source, source));
    }
    let mut summary = Summary {
        files_removed: plan.removed,
        files_unchanged: plan.unchanged.len() as u64,
        ..Summary::default()
    };
    let mut dedup = Dedup {
        before: &before,
        fields: &fields,
        fresh,
        orphaned: &plan.orphaned,
        added: HashSet::new(),
    };

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("dateline-parse-{i}"))
        .build()
        .map_err(|e| Error::InvalidArgument(format!("cannot start {threads} threads: {e}")))?;
    let (sender, receiver) =
        mpsc::sync_channel::<Vec<Outcome>>(BATCHES_QUEUED_PER_THREAD * threads);
    let to_read = plan.to_read.take();
    let plan = &plan;
    let known = &known;

    let fed: Result<()> = std::thread::scope(|scope| {
        scope.spawn(move || {
            pool.install(|| {
                let outside = plan.outside.iter().cloned().map(Entry::File);
                let mut pending: Box<dyn Iterator<Item = Pending> + Send> = match to_read {
                    Some(entries) => {
                        Box::new(entries.into_iter().chain(outside).map(Pending::Seen))
                    }
                    None => Box::new(
                        archive
                            .walk()
                            .map(Pending::Walked)
                            .chain(outside.map(Pending::Seen)),
                    ),
                };
                let batches = std::iter::from_fn(move || {
                    let batch: Vec<Pending> = pending.by_ref().take(FILES_PER_BATCH).collect();
                    (!batch.is_empty()).then_some(batch)
                });
                // Stops early when asked to, or when the writer has hung up on an error.
                let _ = batches
                    .par_bridge()
                    .try_for_each_with(sender, |sender, entries| {
                        let mut batch = Batch::new(sender);
                        for pending in entries {
                            if stop.load(Ordering::Relaxed) {
                                break;
                            }
                            read(pending.entry(), options, known, &mut batch)?;
                        }
                        batch.flush()?;
                        if stop.load(Ordering::Relaxed) {
                            return Err(Stopped);
                        }
                        Ok(())
                    });
            })
        });
        // Sources with documents sent but no record yet.
        let mut open_sources: HashSet<String> = HashSet::new();
        let mut legacy_files: HashSet<String> = HashSet::new();
        let mut since_commit = 0u64;
        for outcome in receiver.into_iter().flatten() {
            match outcome {
                Outcome::Parsed {
                    source,
                    shown,
                    starts_file,
                    bytes,
                    format,
                    legacy,
                    articles,
                    problems,
                } => {
                    if open_sources.insert(source.clone())
                        && !fresh
                        && !plan.replaced.contains(&source)
                    {
                        // Left over from an interrupted run, if anything.
                        writer.delete_term(Term::from_field_text(fields.source, &source));
                    }
                    if starts_file {
                        summary.files_seen += 1;
                        summary.files_indexed += 1;
                    }
                    summary.bytes_indexed += bytes;
                    summary.problems += problems.len() as u64;
                    // (Once for a file read in pieces.)
                    if legacy && legacy_files.insert(shown.clone()) {
                        summary.legacy_encoded += 1;
                        progress.warning(&shown, "not valid UTF-8; read as Windows-1252");
                    }
                    for problem in &problems {
                        progress.warning(&shown, &problem.to_string());
                    }
                    let mut indexed = 0;
                    for article in &articles {
                        let content = schema::content_hash(article);
                        let doc = if dedup
                            .is_duplicate(content)
                            .map_err(|err| index.error(err))?
                        {
                            summary.duplicates += 1;
                            schema::duplicate_document(&fields, article, content, &source)
                        } else {
                            indexed += 1;
                            if article.date.is_none() {
                                summary.undated += 1;
                            }
                            schema::article_document(&fields, article, content, &source)
                        };
                        writer.add_document(doc).map_err(|err| index.error(err))?;
                    }
                    summary.articles_indexed += indexed;
                    since_commit += indexed;
                    if indexed > 0 {
                        *summary.articles_by_format.entry(format).or_default() += indexed;
                    }
                    progress.file_indexed(bytes, articles.len());
                }
                Outcome::Skipped(skip) => {
                    summary.files_seen += 1;
                    *summary.skipped.entry(skip.reason.kind()).or_default() += 1;
                    progress.file_skipped(&skip);
                }
                Outcome::Ignored => summary.ignored += 1,
                Outcome::FileUnrecorded { source } => {
                    open_sources.remove(&source);
                }
                Outcome::FileDone { file, id, status } => {
                    if !open_sources.remove(&file.source)
                        && !fresh
                        && !plan.replaced.contains(&file.source)
                    {
                        writer.delete_term(Term::from_field_text(fields.source, &file.source));
                    }
                    match status {
                        Status::New => summary.files_new += 1,
                        _ => summary.files_changed += 1,
                    }
                    writer
                        .add_document(schema::file_document(&fields, &file, &id))
                        .map_err(|err| index.error(err))?;
                    // Only between whole files: a commit must never hold a
                    // file's articles without its record.
                    if since_commit >= options.commit_every.max(1) && open_sources.is_empty() {
                        progress.committing();
                        writer.commit().map_err(|err| index.error(err))?;
                        since_commit = 0;
                    }
                }
            }
        }
        Ok(())
    });
    fed?;

    summary.interrupted = stop.load(Ordering::Relaxed);
    progress.committing();
    writer.commit().map_err(|err| index.error(err))?;
    writer
        .wait_merging_threads()
        .map_err(|err| index.error(err))?;
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// A file for the parsing threads: as the walk found it (its metadata not
/// read yet), or already looked at by the [`Plan`].
enum Pending<'a> {
    Walked(Walked<'a>),
    Seen(Entry),
}

impl Pending<'_> {
    fn entry(self) -> Entry {
        match self {
            Pending::Walked(walked) => walked.entry(),
            Pending::Seen(entry) => entry,
        }
    }
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

/// The feeder was told to stop, or the writer hung up.
struct Stopped;

/// What a parsing thread has read and not yet sent to the writer.
struct Batch<'a> {
    sender: &'a SyncSender<Vec<Outcome>>,
    outcomes: Vec<Outcome>,
    bytes: u64,
}

impl<'a> Batch<'a> {
    fn new(sender: &'a SyncSender<Vec<Outcome>>) -> Batch<'a> {
        Batch {
            sender,
            outcomes: Vec::new(),
            bytes: 0,
        }
    }

    /// Adds an outcome; sends the batch when it holds a lot. Fails only
    /// when the writer has hung up.
    fn send(&mut self, outcome: Outcome) -> std::result::Result<(), Stopped> {
        if let Outcome::Parsed { bytes, .. } = &outcome {
            self.bytes += bytes;
        }
        self.outcomes.push(outcome);
        if self.bytes >= BATCH_BYTES || self.outcomes.len() >= BATCH_OUTCOMES {
            self.flush()?;
        }
        Ok(())
    }

    /// Sends what the batch holds, if anything.
    fn flush(&mut self) -> std::result::Result<(), Stopped> {
        self.bytes = 0;
        if self.outcomes.is_empty() {
            return Ok(());
        }
        let outcomes = std::mem::take(&mut self.outcomes);
        self.sender.send(outcomes).map_err(|_| Stopped)
    }
}

/// What a run must do before it reads anything: which files it can leave
/// alone, and which files' documents go (changed, gone, or holding the
/// duplicates of articles that go).
#[derive(Debug, Default)]
struct Plan {
    /// What to read when the index had files already: every walked entry
    /// but the unchanged files, so that the walk (a `stat` per file) is
    /// done once. `None` for a fresh index: the files are walked as they are read.
    to_read: Option<Vec<Entry>>,
    unchanged: HashSet<String>,
    replaced: HashSet<String>,
    removed: u64,
    /// Articles whose indexed copy goes with a replaced file.
    orphaned: HashSet<u64>,
    /// Files outside this run's PATHs that hold copies of articles that go:
    /// read them too, so the copies take the articles' place.
    outside: Vec<SourceFile>,
}

impl Plan {
    fn make(
        known: &KnownFiles,
        archive: &Archive,
        before: &Searcher,
        fields: &Fields,
    ) -> tantivy::Result<Plan> {
        let mut plan = Plan::default();
        if known.is_empty() {
            return Ok(plan);
        }
        // The walk lists folders under par_bridge's lock; each file's `stat`
        // (and its hash, when only its time changed) runs in parallel.
        // Unchanged files keep only their source: at a million files, their
        // whole entries held 400 MiB.
        let walked: Vec<Looked> = archive
            .walk()
            .par_bridge()
            .map(|walked| match walked.entry() {
                Entry::File(file) => {
                    let source = path_text(&file.absolute);
                    match known.status(&source, &file.path, file.len, file.modified) {
                        Status::Unchanged => Looked::Unchanged(source),
                        Status::Changed => Looked::Changed(source, Entry::File(file)),
                        Status::New => Looked::New(Entry::File(file)),
                    }
                }
                other => Looked::New(other),
            })
            .collect();
        let mut to_read = Vec::new();
        for looked in walked {
            match looked {
                Looked::Unchanged(source) => {
                    plan.unchanged.insert(source);
                }
                Looked::Changed(source, entry) => {
                    plan.replaced.insert(source);
                    to_read.push(entry);
                }
                Looked::New(entry) => to_read.push(entry),
            }
        }
        plan.to_read = Some(to_read);
        // Every known file still on disk is unchanged or replaced by now.
        let gone: Vec<String> = known
            .under(archive.roots())
            .filter(|source| !plan.unchanged.contains(*source) && !plan.replaced.contains(*source))
            .map(str::to_string)
            .collect();
        plan.removed = gone.len() as u64;
        plan.replaced.extend(gone);
        // An article that goes with its file must come back from one of its
        // duplicates, if it has any left: read their files again too.
        let mut queue: Vec<String> = plan.replaced.iter().cloned().collect();
        while let Some(source) = queue.pop() {
            for content in article_contents(before, fields, &source)? {
                if !plan.orphaned.insert(content) {
                    continue;
                }
                for holder in duplicate_sources(before, fields, content)? {
                    if plan.replaced.contains(&holder) {
                        continue; // read again (or gone) already
                    }
                    if plan.unchanged.remove(&holder) {
                        // Walked, but left out of what is read: read it too.
                        if let Some(file) = recorded_file(before, fields, &holder)? {
                            plan.outside.push(file);
                        }
                        plan.replaced.insert(holder.clone());
                        queue.push(holder);
                    } else if let Some(file) = recorded_file(before, fields, &holder)? {
                        // Outside this run's PATHs: read it all the same.
                        plan.replaced.insert(holder.clone());
                        plan.outside.push(file);
                        queue.push(holder);
                    }
                }
            }
        }
        Ok(plan)
    }
}

/// A walked path as the plan sees it.
enum Looked {
    /// The index has the file as it is: only its source is kept.
    Unchanged(String),
    Changed(String, Entry),
    /// A new file, or anything else the walk found (to be counted).
    New(Entry),
}

/// Tells articles already indexed (before this run or during it) from new ones.
struct Dedup<'a> {
    before: &'a Searcher,
    fields: &'a Fields,
    fresh: bool,
    orphaned: &'a HashSet<u64>,
    added: HashSet<u64>,
}

impl Dedup<'_> {
    /// Whether an article with this content is indexed already; if not, it
    /// is now.
    fn is_duplicate(&mut self, content: u64) -> tantivy::Result<bool> {
        if !self.added.insert(content) {
            return Ok(true);
        }
        if self.fresh || self.orphaned.contains(&content) {
            return Ok(false);
        }
        // The term dictionary answers most lookups: no such content at all.
        let term = Term::from_field_u64(self.fields.content, content);
        if self.before.doc_freq(&term)? == 0 {
            return Ok(false);
        }
        let indexed = docs_with(self.before, self.fields, content, DocKind::Article)?;
        if indexed.is_empty() {
            return Ok(false);
        }
        self.added.remove(&content);
        Ok(true)
    }
}

/// Documents of a kind with this content hash, in a commit.
fn docs_with(
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
fn article_contents(
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
/// it is still there.
fn recorded_file(
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
    let path = PathBuf::from(source);
    let Ok(meta) = std::fs::metadata(&path) else {
        return Ok(None);
    };
    Ok(Some(SourceFile {
        absolute: path.clone(),
        path,
        id,
        len: meta.len(),
        modified: sources::modified_nanos(&meta),
    }))
}

/// The files holding duplicates of the article with this content hash.
fn duplicate_sources(
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

/// Reads one walked entry (every member, for an archive) and sends what it
/// holds to the batch; runs on the parsing threads. Fails only when the
/// writer has hung up.
fn read(
    entry: Entry,
    options: &IndexOptions,
    known: &KnownFiles,
    batch: &mut Batch,
) -> std::result::Result<(), Stopped> {
    let file = match entry {
        Entry::File(file) => file,
        Entry::Ignored(_) => return batch.send(Outcome::Ignored),
        Entry::Unreadable { path, reason } => {
            return batch.send(Outcome::Skipped(Skip {
                path: path.display().to_string(),
                reason: SkipReason::Unreadable(reason),
            }))
        }
    };
    let source = path_text(&file.absolute);
    let mut sent = Ok(());
    let limit = options.max_article_size;
    let reading = container::Reading {
        limit,
        pieces: matches!(options.formats.forced, None | Some(Format::Json)),
    };
    let mut pieces = json::Pieces::default();
    let hash = container::open(&file, reading, &mut |item| {
        let outcome = match item {
            Item::Member(member) => parse_member(&source, member, &options.formats, &mut pieces),
            Item::Ignored => Outcome::Ignored,
            Item::Unreadable { shown, reason } => Outcome::Skipped(Skip {
                path: shown,
                reason: SkipReason::Unreadable(reason),
            }),
            Item::TooLarge { shown, size } => Outcome::Skipped(Skip {
                path: shown,
                reason: SkipReason::TooLarge { size, limit },
            }),
        };
        sent = batch.send(outcome);
        sent.is_ok()
    });
    sent?;
    let Some(hash) = hash else {
        // Unreadable, or a part too large: reported above; read it again
        // next time.
        return batch.send(Outcome::FileUnrecorded { source });
    };
    let fingerprint = Fingerprint {
        source: source.clone(),
        size: file.len,
        modified: file.modified,
        hash,
    };
    let status = if known.status_is_known(&source) {
        Status::Changed
    } else {
        Status::New
    };
    batch.send(Outcome::FileDone {
        file: fingerprint,
        id: file.id,
        status,
    })
}

fn parse_member(
    source: &str,
    member: Member,
    options: &FormatOptions,
    pieces: &mut json::Pieces,
) -> Outcome {
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
    if let Some(piece) = member.piece {
        let first_line = piece.first_line;
        let mut parsed =
            formats::parse_piece(&decoded.text, first_line, &member.origin, options, pieces);
        let mut problems = member.problems;
        problems.append(&mut parsed.problems);
        return Outcome::Parsed {
            source: source.to_string(),
            bytes: member.bytes.len() as u64,
            shown: member.shown,
            starts_file: first_line == 1,
            format: Format::Json,
            legacy: decoded.legacy,
            articles: parsed.articles,
            problems,
        };
    }
    let format = options
        .forced
        .unwrap_or_else(|| formats::detect(&member.name, &decoded.text));
    match formats::parse(format, &decoded.text, &member.origin, options) {
        Ok(parsed) if parsed.articles.is_empty() && parsed.problems.is_empty() => {
            skip(ParseError::Malformed(format!("no {format} articles found")))
        }
        Ok(mut parsed) => Outcome::Parsed {
            source: source.to_string(),
            bytes: member.bytes.len() as u64,
            shown: member.shown,
            starts_file: true,
            format,
            legacy: decoded.legacy,
            articles: parsed.articles,
            problems: {
                let mut problems = member.problems;
                problems.append(&mut parsed.problems);
                problems
            },
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
