//! The writer's side of a run: what the parsing threads read goes into the
//! index here, one [`ReadEvent`] at a time, on one thread. A commit is made
//! only between whole files, so a commit never holds a file's articles
//! without its record (and so a crash loses only what a re-run reads again).

use std::collections::HashSet;

use tantivy::{IndexWriter, TantivyDocument, Term};

use super::dedup::Dedup;
use super::known_files::Status;
use super::read::ReadEvent;
use super::summary::{Progress, Summary};
use crate::error::{InIndex, Result};
use crate::index::schema::{self, Fields};
use crate::index::ArchiveIndex;

/// The index writer and what it needs to know while it takes what was read.
pub(super) struct Feed<'a> {
    index: &'a ArchiveIndex,
    writer: IndexWriter<TantivyDocument>,
    fields: Fields,
    /// The index was empty or is rebuilt: there is nothing to replace.
    fresh: bool,
    /// Sources whose documents were deleted before the run.
    replaced: &'a HashSet<String>,
    dedup: Dedup<'a>,
    progress: &'a dyn Progress,
    commit_every: u64,
    summary: Summary,
    /// Sources with documents sent but no record yet.
    open_sources: HashSet<String>,
    /// Files warned about as read in Windows-1252 (once each, also when
    /// read in pieces).
    legacy_files: HashSet<String>,
    since_commit: u64,
}

impl<'a> Feed<'a> {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        index: &'a ArchiveIndex,
        writer: IndexWriter<TantivyDocument>,
        fresh: bool,
        replaced: &'a HashSet<String>,
        dedup: Dedup<'a>,
        progress: &'a dyn Progress,
        commit_every: u64,
        summary: Summary,
    ) -> Feed<'a> {
        Feed {
            index,
            writer,
            fields: *index.fields(),
            fresh,
            replaced,
            dedup,
            progress,
            commit_every: commit_every.max(1),
            summary,
            open_sources: HashSet::new(),
            legacy_files: HashSet::new(),
            since_commit: 0,
        }
    }

    /// Takes one event from the parsing threads.
    pub fn take(&mut self, event: ReadEvent) -> Result<()> {
        let dir = self.index.dir();
        match event {
            ReadEvent::Parsed {
                source,
                shown,
                starts_file,
                bytes,
                format,
                legacy,
                articles,
                problems,
            } => {
                self.open_source(&source);
                let summary = &mut self.summary;
                if starts_file {
                    summary.files_seen += 1;
                    summary.files_indexed += 1;
                }
                summary.bytes_indexed += bytes;
                summary.problems += problems.len() as u64;
                // (Once for a file read in pieces.)
                if legacy && self.legacy_files.insert(shown.clone()) {
                    summary.legacy_encoded += 1;
                    self.progress
                        .warning(&shown, "not valid UTF-8; read as Windows-1252");
                }
                for problem in &problems {
                    self.progress.warning(&shown, &problem.to_string());
                }
                let mut indexed = 0;
                for article in &articles {
                    let content = schema::content_hash(article);
                    let doc = if self.dedup.is_duplicate(content).in_index(dir)? {
                        self.summary.duplicates += 1;
                        schema::duplicate_document(&self.fields, article, content, &source)
                    } else {
                        indexed += 1;
                        if article.date.is_none() {
                            self.summary.undated += 1;
                        }
                        schema::article_document(&self.fields, article, content, &source)
                    };
                    self.writer.add_document(doc).in_index(dir)?;
                }
                self.summary.articles_indexed += indexed;
                self.since_commit += indexed;
                if indexed > 0 {
                    *self.summary.articles_by_format.entry(format).or_default() += indexed;
                }
                self.progress.file_indexed(bytes, articles.len());
            }
            ReadEvent::Skipped(skip) => {
                self.summary.files_seen += 1;
                *self.summary.skipped.entry(skip.reason.kind()).or_default() += 1;
                self.progress.file_skipped(&skip);
            }
            ReadEvent::Ignored => self.summary.ignored += 1,
            ReadEvent::FileUnrecorded { source } => {
                self.open_sources.remove(&source);
            }
            ReadEvent::FileDone { file, id, status } => {
                if !self.open_sources.remove(&file.source) {
                    // A file that gave nothing this time.
                    self.delete_leftovers(&file.source);
                }
                match status {
                    Status::New => self.summary.files_new += 1,
                    _ => self.summary.files_changed += 1,
                }
                self.writer
                    .add_document(schema::file_document(&self.fields, &file, &id))
                    .in_index(dir)?;
                // Only between whole files: a commit must never hold a
                // file's articles without its record.
                if self.since_commit >= self.commit_every && self.open_sources.is_empty() {
                    self.progress.committing();
                    self.writer.commit().in_index(dir)?;
                    self.since_commit = 0;
                }
            }
        }
        Ok(())
    }

    /// The first documents of a file this run: whatever an interrupted
    /// run left of it goes first.
    fn open_source(&mut self, source: &str) {
        if self.open_sources.insert(source.to_string()) {
            self.delete_leftovers(source);
        }
    }

    /// Deletes the documents a file has in the last commit, unless the
    /// run deleted them already (a replaced file) or there are none.
    fn delete_leftovers(&mut self, source: &str) {
        if !self.fresh && !self.replaced.contains(source) {
            self.writer
                .delete_term(Term::from_field_text(self.fields.source, source));
        }
    }

    /// Commits what was taken and waits for merges: the run's summary.
    pub fn finish(mut self) -> Result<Summary> {
        let dir = self.index.dir();
        self.progress.committing();
        self.writer.commit().in_index(dir)?;
        self.writer.wait_merging_threads().in_index(dir)?;
        Ok(self.summary)
    }
}
