//! What a run must do before it reads anything: which files it can leave
//! alone, which it reads, and which files' documents go (changed, gone, or
//! holding the duplicates of articles that go).

use std::collections::HashSet;

use rayon::iter::{ParallelBridge, ParallelIterator};
use tantivy::Searcher;

use super::known_files::{self, KnownFiles, Status};
use super::walk::{Entry, Roots, SourceFile};
use crate::index::schema::Fields;
use crate::paths::path_text;

/// The files a run reads, replaces and removes.
#[derive(Debug, Default)]
pub(super) struct Plan {
    /// What to read when the index had files already: every walked entry
    /// but the unchanged files, so that the walk (a `stat` per file) is
    /// done once. `None` for a fresh index: the files are walked as they are read.
    pub to_read: Option<Vec<Entry>>,
    /// Sources of the files left alone.
    pub unchanged: HashSet<String>,
    /// Sources whose documents are deleted before the run adds any.
    pub replaced: HashSet<String>,
    /// How many known files below the roots are gone.
    pub removed: u64,
    /// Articles whose indexed copy goes with a replaced file.
    pub orphaned: HashSet<u64>,
    /// Files outside this run's PATHs that hold copies of articles that go:
    /// read them too, so the copies take the articles' place.
    pub outside: Vec<SourceFile>,
}

/// A walked path compared with what the index knows of it.
enum Compared {
    /// The index has the file as it is: only its source is kept.
    Unchanged(String),
    Changed(String, Entry),
    /// A new file, or anything else the walk found (to be counted).
    New(Entry),
}

impl Plan {
    /// Compares the walk with the known files (none: a fresh index, and
    /// nothing to plan).
    pub fn make(
        known: &KnownFiles,
        roots: &Roots,
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
        let walked: Vec<Compared> = roots
            .walk()
            .par_bridge()
            .map(|walked| match walked.entry() {
                Entry::File(file) => {
                    let source = path_text(&file.absolute);
                    match known.status(&source, &file.path, file.len, file.modified) {
                        Status::Unchanged => Compared::Unchanged(source),
                        Status::Changed => Compared::Changed(source, Entry::File(file)),
                        Status::New => Compared::New(Entry::File(file)),
                    }
                }
                other => Compared::New(other),
            })
            .collect();
        let mut to_read = Vec::new();
        for compared in walked {
            match compared {
                Compared::Unchanged(source) => {
                    plan.unchanged.insert(source);
                }
                Compared::Changed(source, entry) => {
                    plan.replaced.insert(source);
                    to_read.push(entry);
                }
                Compared::New(entry) => to_read.push(entry),
            }
        }
        plan.to_read = Some(to_read);
        // Every known file still on disk is unchanged or replaced by now.
        let gone: Vec<String> = known
            .under(roots.absolute())
            .filter(|source| !plan.unchanged.contains(*source) && !plan.replaced.contains(*source))
            .map(str::to_string)
            .collect();
        plan.removed = gone.len() as u64;
        plan.replaced.extend(gone);
        plan.reread_holders_of_orphans(before, fields)?;
        Ok(plan)
    }

    /// An article that goes with its file must come back from one of its
    /// duplicates, if it has any left: read their files again too.
    fn reread_holders_of_orphans(
        &mut self,
        before: &Searcher,
        fields: &Fields,
    ) -> tantivy::Result<()> {
        let mut queue: Vec<String> = self.replaced.iter().cloned().collect();
        while let Some(source) = queue.pop() {
            for content in known_files::article_contents(before, fields, &source)? {
                if !self.orphaned.insert(content) {
                    continue;
                }
                for holder in known_files::duplicate_sources(before, fields, content)? {
                    if self.replaced.contains(&holder) {
                        continue; // read again (or gone) already
                    }
                    // Walked but left out of what is read (unchanged), or
                    // outside this run's PATHs: read it all the same.
                    let was_unchanged = self.unchanged.remove(&holder);
                    let file = known_files::recorded_file(before, fields, &holder)?;
                    if was_unchanged || file.is_some() {
                        self.outside.extend(file);
                        self.replaced.insert(holder.clone());
                        queue.push(holder);
                    }
                }
            }
        }
        Ok(())
    }
}
