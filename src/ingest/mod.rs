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
mod merges;
mod options;
mod plan;
mod read;
pub mod shard;
mod stories;
mod summary;
pub mod walk;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Instant;

use tantivy::directory::error::LockError;
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
pub use shard::{shard_of, Shard, SHARD_FILE};
pub use summary::{Progress, Silent, Skip, SkipReason, Summary};
pub use walk::Roots;

/// Batches of parsed files not yet handed to the writer, per parsing
/// thread. Small: parsing is far faster than indexing, so a deep queue
/// would only hold memory.
const BATCHES_QUEUED_PER_THREAD: usize = 4;

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
    // A fresh index has nothing to replace or to be a duplicate of: its
    // files are walked as they are read. (A rebuild compares with nothing:
    // `before` is what it throws away.)
    let fresh = options.rebuild || before.num_docs() == 0;
    let (known, mut plan) = match fresh {
        true => (KnownFiles::default(), Plan::default()),
        false => {
            let known = KnownFiles::load(&before, &fields).in_index(dir)?;
            let plan = Plan::make(&known, roots, &before, &fields).in_index(dir)?;
            (known, plan)
        }
    };
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
        &plan.resumed,
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
        let (plan, known) = (&plan, &known);
        scope.spawn(move || read::read_all(pool, to_read, plan, options, known, sender, stop));
        // (Dropping the receiver, on an error or a stop, hangs up on the
        // readers.) Once stopped, what is queued is left at the first point
        // between files or members: its files are read again next time, so
        // Ctrl-C does not wait for the queue.
        for event in receiver.into_iter().flatten() {
            if stop.load(Ordering::Relaxed) && feed.between_files() {
                break;
            }
            feed.take(event)?;
        }
        Ok::<(), Error>(())
    })?;
    let mut summary = feed.finish()?;
    // (After the last commit and its merges: the stories of every article,
    // whichever run indexed it.)
    let stories = stories::group(index)?;
    stories.save(dir)?;
    summary.stories = stories.len() as u64;
    summary.articles_in_stories = stories.members() as u64;
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
    writer.set_merge_policy(Box::new(merges::CappedMerges::new()));
    Ok(writer)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use tantivy::collector::Count;
    use tantivy::query::TermQuery;
    use tantivy::schema::IndexRecordOption;

    use super::*;
    use crate::index::schema::DocKind;

    /// A tar of these members.
    fn write_tar(path: &Path, members: &[(&str, &str)]) {
        let mut tar = tar::Builder::new(std::fs::File::create(path).unwrap());
        for (name, text) in members {
            let mut header = tar::Header::new_gnu();
            header.set_size(text.len() as u64);
            header.set_mode(0o644);
            header.set_cksum();
            tar.append_data(&mut header, name, text.as_bytes()).unwrap();
        }
        tar.finish().unwrap();
    }

    fn index_once(index: &ArchiveIndex, root: &Path) -> Summary {
        index_with(index, &[root], false)
    }

    fn index_with(index: &ArchiveIndex, paths: &[&Path], rebuild: bool) -> Summary {
        let paths: Vec<_> = paths.iter().map(|path| path.to_path_buf()).collect();
        let roots = Roots::new(&paths, false).unwrap();
        let options = IndexOptions {
            threads: 1,
            memory_mb: MIN_MEMORY_MB_PER_THREAD,
            max_article_size: 1000,
            rebuild,
            ..IndexOptions::default()
        };
        run(index, &roots, &options, &Silent, &AtomicBool::new(false)).unwrap()
    }

    /// Committed documents of a kind.
    fn count(index: &ArchiveIndex, kind: DocKind) -> usize {
        let term = Term::from_field_u64(index.fields().kind, kind.code());
        let query = TermQuery::new(term, IndexRecordOption::Basic);
        let searcher = index.reader().unwrap().searcher();
        searcher.search(&query, &Count).unwrap()
    }

    #[test]
    fn a_file_left_without_a_record_keeps_its_articles_when_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("news");
        std::fs::create_dir_all(&root).unwrap();
        let tar = root.join("bundle.tar");
        let huge = format!(" date 2025-03-18 Huge\n\n{}\n", "word ".repeat(400));
        let small = " date 2025-03-17 Small\n\nThe ferry sank.\n";
        // A member over the size limit: the tar gets no record.
        write_tar(&tar, &[("huge.txt", &huge), ("small.txt", small)]);
        let index = ArchiveIndex::open_or_create(&dir.path().join("index"), false).unwrap();
        let articles = |index| {
            (
                count(index, DocKind::Article),
                count(index, DocKind::Duplicate),
            )
        };

        let first = index_once(&index, &root);
        assert_eq!((first.articles_indexed, first.duplicates), (1, 0));
        assert_eq!(count(&index, DocKind::File), 0);

        // Read again (the index has no record at all), the member's article
        // must not be taken for a copy of what the last run left of it.
        let second = index_once(&index, &root);
        assert_eq!((second.articles_indexed, second.duplicates), (1, 0));
        assert_eq!(articles(&index), (1, 0));

        // The same with a recorded file beside it.
        std::fs::write(
            root.join("plain.txt"),
            " date 2025-03-19 Plain\n\nA plain story.\n",
        )
        .unwrap();
        let third = index_once(&index, &root);
        assert_eq!((third.articles_indexed, third.duplicates), (2, 0));
        assert_eq!(articles(&index), (2, 0));

        // An article the tar no longer holds goes, though the tar still
        // gets no record.
        write_tar(&tar, &[("huge.txt", &huge)]);
        index_once(&index, &root);
        assert_eq!(articles(&index), (1, 0));
        assert_eq!(count(&index, DocKind::File), 1);
    }

    /// Members of a generated archive: one that does not parse (a bad
    /// date) first, then `count` one-article members.
    fn archive_members(count: usize) -> Vec<(String, String)> {
        let mut members = vec![(
            "a-bad.txt".to_string(),
            " date 2025-13-45 Bad\n\nNo such day.\n".to_string(),
        )];
        members.extend((0..count).map(|n| {
            (
                format!("m{n:05}.txt"),
                format!(" date 2025-03-17 Story {n}\n\nThe story numbered {n}.\n"),
            )
        }));
        members
    }

    /// An archive of these members, as a `.tar.gz` or a `.zip`.
    fn write_archive(path: &Path, members: &[(String, String)]) {
        use std::io::Write;
        let file = std::fs::File::create(path).unwrap();
        if path.extension().is_some_and(|ext| ext == "zip") {
            let mut zip = zip::ZipWriter::new(file);
            for (name, text) in members {
                let options = zip::write::SimpleFileOptions::default();
                zip.start_file(name.as_str(), options).unwrap();
                zip.write_all(text.as_bytes()).unwrap();
            }
            zip.finish().unwrap();
        } else {
            let gzip = flate2::write::GzEncoder::new(file, flate2::Compression::fast());
            let mut tar = tar::Builder::new(gzip);
            for (name, text) in members {
                let mut header = tar::Header::new_gnu();
                header.set_size(text.len() as u64);
                header.set_mode(0o644);
                header.set_cksum();
                tar.append_data(&mut header, name, text.as_bytes()).unwrap();
            }
            tar.into_inner().unwrap().finish().unwrap();
        }
    }

    /// Sets the stop flag (Ctrl-C) at the run's first commit.
    struct StopAtFirstCommit<'a>(&'a AtomicBool);

    impl Progress for StopAtFirstCommit<'_> {
        fn committing(&self) {
            self.0.store(true, Ordering::Relaxed);
        }
    }

    /// A run over `root` committing after every article, stopped by
    /// Ctrl-C at its first commit.
    fn index_stopped(index: &ArchiveIndex, root: &Path) -> Summary {
        let roots = Roots::new(&[root.to_path_buf()], false).unwrap();
        let options = IndexOptions {
            threads: 1,
            memory_mb: MIN_MEMORY_MB_PER_THREAD,
            commit_every: 1,
            ..IndexOptions::default()
        };
        let stop = AtomicBool::new(false);
        run(index, &roots, &options, &StopAtFirstCommit(&stop), &stop).unwrap()
    }

    /// The ids of the committed articles, sorted.
    fn article_ids(index: &ArchiveIndex) -> Vec<String> {
        let fields = index.fields();
        let term = Term::from_field_u64(fields.kind, DocKind::Article.code());
        let query = TermQuery::new(term, IndexRecordOption::Basic);
        let searcher = index.reader().unwrap().searcher();
        let found = searcher
            .search(&query, &tantivy::collector::DocSetCollector)
            .unwrap();
        let mut ids: Vec<String> = found
            .into_iter()
            .map(|address| {
                let doc: TantivyDocument = searcher.doc(address).unwrap();
                crate::index::schema::to_article(fields, &doc).id
            })
            .collect();
        ids.sort();
        ids
    }

    /// More members than the parsing thread can read ahead of the writer
    /// (the channel holds a few batches of 1,024 events): a run stopped at
    /// its first commit is stopped inside the archive.
    const MEMBERS: usize = 4000;

    #[test]
    fn a_run_stopped_inside_an_archive_commits_its_members_and_the_next_resumes() {
        for name in ["bundle.tar.gz", "bundle.zip"] {
            let dir = tempfile::tempdir().unwrap();
            let root = dir.path().join("news");
            std::fs::create_dir_all(&root).unwrap();
            write_archive(&root.join(name), &archive_members(MEMBERS));
            let index = ArchiveIndex::open_or_create(&dir.path().join("index"), false).unwrap();

            // Stopped partway: what was read is committed and searchable,
            // each member read with a member record, the archive without
            // its record.
            let first = index_stopped(&index, &root);
            assert!(first.interrupted, "{name}");
            let read = first.articles_indexed;
            assert!(read > 0 && read < MEMBERS as u64, "{name}: {read} read");
            assert_eq!(first.skipped, [("bad date", 1)].into(), "{name}");
            assert_eq!(count(&index, DocKind::Article), read as usize, "{name}");
            assert_eq!(count(&index, DocKind::File), 0, "{name}");
            assert_eq!(count(&index, DocKind::Member), read as usize + 1, "{name}");

            // The next run reads the rest only: the member that did not
            // parse is not reported again.
            let second = index_once(&index, &root);
            assert!(!second.interrupted);
            assert_eq!(second.articles_indexed, MEMBERS as u64 - read, "{name}");
            assert!(second.skipped.is_empty(), "{name}: {:?}", second.skipped);
            assert_eq!((second.files_new, second.duplicates), (1, 0), "{name}");
            assert_eq!(count(&index, DocKind::File), 1, "{name}");
            assert_eq!(count(&index, DocKind::Member), 0, "{name}");
            assert_eq!(count(&index, DocKind::Duplicate), 0, "{name}");

            // The same index as a fresh run gives.
            let fresh = ArchiveIndex::open_or_create(&dir.path().join("fresh"), false).unwrap();
            let whole = index_once(&fresh, &root);
            assert_eq!(whole.articles_indexed, MEMBERS as u64);
            assert_eq!(article_ids(&index), article_ids(&fresh), "{name}");
            assert_eq!(article_ids(&index).len(), MEMBERS);

            // And the index is settled.
            let third = index_once(&index, &root);
            assert_eq!((third.articles_indexed, third.files_unchanged), (0, 1));
        }
    }

    #[test]
    fn an_archive_read_in_part_that_changes_is_read_whole_and_one_that_goes_goes() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("news");
        std::fs::create_dir_all(&root).unwrap();
        let path = root.join("bundle.tar.gz");
        write_archive(&path, &archive_members(MEMBERS));
        let index = ArchiveIndex::open_or_create(&dir.path().join("index"), false).unwrap();
        let first = index_stopped(&index, &root);
        assert!(first.articles_indexed < MEMBERS as u64);

        // Changed (one member fewer): read whole, nothing of the last run
        // kept, the bad member reported again.
        std::fs::write(
            root.join("zz-plain.txt"),
            " date 2025-03-19 Plain\n\nA plain story.\n",
        )
        .unwrap();
        let fewer = MEMBERS - 1;
        write_archive(&path, &archive_members(fewer));
        let changed = index_once(&index, &root);
        assert_eq!(changed.articles_indexed, fewer as u64 + 1);
        assert_eq!(changed.skipped, [("bad date", 1)].into());
        assert_eq!(changed.files_new + changed.files_changed, 2);
        assert_eq!(count(&index, DocKind::Article), fewer + 1);
        assert_eq!(count(&index, DocKind::Member), 0);
        assert_eq!(count(&index, DocKind::File), 2);

        // Changed again and read in part, then gone: its articles and
        // member records go, and it counts as removed.
        write_archive(&path, &archive_members(MEMBERS));
        let stopped = index_stopped(&index, &root);
        assert!(stopped.articles_indexed < MEMBERS as u64);
        assert!(count(&index, DocKind::Member) > 0);
        assert_eq!(count(&index, DocKind::File), 1);
        std::fs::remove_file(&path).unwrap();
        let gone = index_once(&index, &root);
        assert_eq!(gone.files_removed, 1);
        assert_eq!(count(&index, DocKind::Article), 1, "the plain file's");
        assert_eq!(count(&index, DocKind::Member), 0);
        assert_eq!(count(&index, DocKind::File), 1);
    }

    #[test]
    fn a_rebuild_reads_only_its_paths() {
        let dir = tempfile::tempdir().unwrap();
        let (news, elsewhere) = (dir.path().join("news"), dir.path().join("elsewhere"));
        let story = " date 2025-03-17 Ferry\n\nThe ferry sank.\n";
        for folder in [&news, &elsewhere] {
            std::fs::create_dir_all(folder).unwrap();
            std::fs::write(folder.join("a.txt"), story).unwrap();
        }
        let index = ArchiveIndex::open_or_create(&dir.path().join("index"), false).unwrap();
        let first = index_with(&index, &[&news, &elsewhere], false);
        assert_eq!((first.articles_indexed, first.duplicates), (1, 1));

        // A fresh index of news/ alone: the copy elsewhere is not read
        // again to stand in for news/a.txt's article.
        let rebuilt = index_with(&index, &[&news], true);
        assert_eq!((rebuilt.articles_indexed, rebuilt.duplicates), (1, 0));
        assert_eq!(rebuilt.files_new + rebuilt.files_changed, 1);
        assert_eq!(count(&index, DocKind::File), 1);
        assert_eq!(count(&index, DocKind::Duplicate), 0);
    }
}
