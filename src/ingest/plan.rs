//! What a run must do before it reads anything: which files it can leave
//! alone, which it reads, and which files' documents go (changed, gone, or
//! holding the duplicates of articles that go).

use std::collections::{HashMap, HashSet};

use rayon::iter::{ParallelBridge, ParallelIterator};
use tantivy::collector::Count;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, Term};

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
    /// Archives a stopped or killed run read in part, unchanged since: by
    /// source, the members it committed, which are not read again. Their
    /// documents stay.
    pub resumed: HashMap<String, HashSet<String>>,
}

/// A walked path compared with what the index knows of it.
enum Compared {
    /// The index has the file as it is: only its source is kept.
    Unchanged(String),
    /// Read again, its documents replaced: a changed file, or a new one
    /// (no record) with documents that a run which could not record it
    /// left (a member over the size limit).
    Changed(String, Entry),
    /// An archive read in part by an earlier run and unchanged since: read
    /// again after the members it committed, its documents kept.
    Resumed(String, HashSet<String>, Entry),
    /// A new file, or anything else the walk found (to be counted).
    New(Entry),
}

impl Plan {
    /// Compares the walk with the known files (nothing indexed: a fresh
    /// index, and nothing to plan).
    pub fn make(
        known: &KnownFiles,
        roots: &Roots,
        before: &Searcher,
        fields: &Fields,
    ) -> tantivy::Result<Plan> {
        let mut plan = Plan::default();
        // Documents without records are planned for all the same: what a
        // run that could not record their files left.
        if known.is_empty() && before.num_docs() == 0 {
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
                    Ok(
                        match known.status(&source, &file.path, file.len, file.modified) {
                            Status::Unchanged => Compared::Unchanged(source),
                            Status::Changed => Compared::Changed(source, Entry::File(file)),
                            Status::New if known.resumable(&source, file.len, file.modified) => {
                                let done = known_files::members_done(before, fields, &source)?;
                                Compared::Resumed(source, done, Entry::File(file))
                            }
                            Status::New if has_documents(before, fields, &source)? => {
                                Compared::Changed(source, Entry::File(file))
                            }
                            Status::New => Compared::New(Entry::File(file)),
                        },
                    )
                }
                other => Ok(Compared::New(other)),
            })
            .collect::<tantivy::Result<_>>()?;
        let mut to_read = Vec::new();
        // New files' sources: with the others, every file the walk found.
        let mut new_sources = HashSet::new();
        for compared in walked {
            match compared {
                Compared::Unchanged(source) => {
                    plan.unchanged.insert(source);
                }
                Compared::Changed(source, entry) => {
                    plan.replaced.insert(source);
                    to_read.push(entry);
                }
                Compared::Resumed(source, done, entry) => {
                    plan.resumed.insert(source, done);
                    to_read.push(entry);
                }
                Compared::New(entry) => {
                    if let Entry::File(file) = &entry {
                        new_sources.insert(path_text(&file.absolute));
                    }
                    to_read.push(entry);
                }
            }
        }
        plan.to_read = Some(to_read);
        // Every known file still on disk is unchanged or replaced by now.
        let gone: Vec<String> = known
            .under(roots.absolute())
            .filter(|source| !plan.unchanged.contains(*source) && !plan.replaced.contains(*source))
            .map(str::to_string)
            .collect();
        // And archives read in part that are gone: their documents go too.
        let gone_partly_read: Vec<String> = known
            .partial_under(roots.absolute())
            .filter(|source| {
                !plan.resumed.contains_key(*source) && !plan.replaced.contains(*source)
            })
            .map(str::to_string)
            .collect();
        plan.removed = (gone.len() + gone_partly_read.len()) as u64;
        plan.replaced.extend(gone);
        plan.replaced.extend(gone_partly_read);
        // And files gone that left documents but no record (a run that
        // could not record them): their documents go too.
        let left_without_record: Vec<String> =
            known_files::sources_with_documents_under(before, fields, roots.absolute())?
                .into_iter()
                .filter(|source| {
                    !plan.unchanged.contains(source)
                        && !plan.replaced.contains(source)
                        && !plan.resumed.contains_key(source)
                        && !new_sources.contains(source)
                })
                .collect();
        plan.removed += left_without_record.len() as u64;
        plan.replaced.extend(left_without_record);
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
                    // An archive being resumed may hold the copy in a
                    // member it will not read again: read it all.
                    if self.resumed.remove(&holder).is_some() {
                        self.replaced.insert(holder.clone());
                        queue.push(holder);
                        continue;
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

/// Whether a file has documents in the commit `before` sees.
fn has_documents(before: &Searcher, fields: &Fields, source: &str) -> tantivy::Result<bool> {
    let term = Term::from_field_text(fields.source, source);
    // The term dictionary answers most: no document ever came from it.
    if before.doc_freq(&term)? == 0 {
        return Ok(false);
    }
    let query = TermQuery::new(term, IndexRecordOption::Basic);
    Ok(before.search(&query, &Count)? > 0)
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use tantivy::{Index, TantivyDocument};

    use super::*;
    use crate::article::Article;
    use crate::index::schema::{self, Fingerprint};
    use crate::paths::modified_nanos;

    /// A folder of files on disk: `news/` is the root a run is given,
    /// `elsewhere/` lies outside it.
    struct Disk {
        dir: tempfile::TempDir,
    }

    impl Disk {
        fn new() -> Disk {
            let disk = Disk {
                dir: tempfile::tempdir().unwrap(),
            };
            std::fs::create_dir_all(disk.path("news")).unwrap();
            std::fs::create_dir_all(disk.path("elsewhere")).unwrap();
            disk
        }

        fn path(&self, name: &str) -> PathBuf {
            self.dir.path().join(name)
        }

        fn write(&self, name: &str, text: &str) -> PathBuf {
            let path = self.path(name);
            std::fs::write(&path, text).unwrap();
            path
        }

        /// The source a file is stored under.
        fn source(&self, name: &str) -> String {
            path_text(&self.path(name))
        }

        fn roots(&self) -> Roots {
            Roots::new(&[self.path("news")], false).unwrap()
        }
    }

    /// The fingerprint of a file as it is on disk now.
    fn fingerprint(path: &Path) -> Fingerprint {
        let meta = std::fs::metadata(path).unwrap();
        Fingerprint {
            source: path_text(path),
            size: meta.len(),
            modified: modified_nanos(&meta),
            hash: xxhash_rust::xxh3::xxh3_64(&std::fs::read(path).unwrap()),
        }
    }

    fn article(id: &str, body: &str) -> Article {
        Article::sample(id, body)
    }

    /// An in-RAM index: the documents `make` gives, committed.
    fn index_of(make: impl FnOnce(&Fields) -> Vec<TantivyDocument>) -> (Index, Fields) {
        let (index, fields) = schema::in_ram();
        let mut writer = index.writer_with_num_threads(1, 15 << 20).unwrap();
        for doc in make(&fields) {
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
        (index, fields)
    }

    /// What a run over `roots` would plan against this index.
    fn plan(index: &Index, fields: &Fields, roots: &Roots) -> Plan {
        let searcher = index.reader().unwrap().searcher();
        let known = KnownFiles::load(&searcher, fields).unwrap();
        Plan::make(&known, roots, &searcher, fields).unwrap()
    }

    /// What the plan reads, by stored path (`ignored:` for the rest).
    fn to_read(plan: &Plan) -> Vec<String> {
        let mut names: Vec<String> = plan
            .to_read
            .as_ref()
            .expect("a plan")
            .iter()
            .map(|entry| match entry {
                Entry::File(file) => path_text(&file.absolute),
                Entry::Ignored(path) => format!("ignored: {}", path_text(path)),
                Entry::Unreadable { path, .. } => format!("unreadable: {}", path_text(path)),
            })
            .collect();
        names.sort();
        names
    }

    fn sorted(set: &HashSet<String>) -> Vec<String> {
        let mut names: Vec<String> = set.iter().cloned().collect();
        names.sort();
        names
    }

    #[test]
    fn an_index_without_file_records_plans_nothing() {
        let disk = Disk::new();
        disk.write("news/a.txt", " date 2025-03-17 Ferry\n\nThe ferry sank.\n");
        let (index, fields) = index_of(|_| Vec::new());
        let plan = plan(&index, &fields, &disk.roots());
        assert!(plan.to_read.is_none(), "the files are walked as read");
        assert!(plan.unchanged.is_empty());
        assert!(plan.replaced.is_empty());
        assert_eq!(plan.removed, 0);
        assert!(plan.orphaned.is_empty());
        assert!(plan.outside.is_empty());
    }

    #[test]
    fn unchanged_files_are_left_out_and_changed_and_gone_ones_replaced() {
        let disk = Disk::new();
        let same = disk.write("news/same.txt", "same");
        let touched = disk.write("news/touched.txt", "touched");
        let bigger = disk.write("news/bigger.txt", "bigger now");
        let edited = disk.write("news/edited.txt", "edited");
        disk.write("news/new.txt", "new");
        disk.write("news/notes.md", "not an article file");
        // Beside the root, with a name the root's is a prefix of.
        let beside = disk.write("news-old.txt", "beside");
        let (index, fields) = index_of(|fields| {
            let record = |file: Fingerprint| schema::file_document(fields, &file, "id");
            let mut touched = fingerprint(&touched);
            touched.modified -= 1_000_000_000; // a `touch`: same bytes
            let mut bigger = fingerprint(&bigger);
            bigger.size -= 4;
            let mut edited = fingerprint(&edited);
            edited.modified -= 1_000_000_000;
            edited.hash ^= 1; // same size, another time, other bytes
            let mut gone = fingerprint(&same);
            gone.source = disk.source("news/gone.txt");
            let mut gone_elsewhere = fingerprint(&same);
            gone_elsewhere.source = disk.source("elsewhere/gone.txt");
            vec![
                record(fingerprint(&same)),
                record(touched),
                record(bigger),
                record(edited),
                record(gone),
                record(gone_elsewhere),
                record(fingerprint(&beside)),
            ]
        });
        let plan = plan(&index, &fields, &disk.roots());
        assert_eq!(
            sorted(&plan.unchanged),
            [
                disk.source("news/same.txt"),
                disk.source("news/touched.txt")
            ]
        );
        assert_eq!(
            sorted(&plan.replaced),
            [
                disk.source("news/bigger.txt"),
                disk.source("news/edited.txt"),
                disk.source("news/gone.txt"),
            ]
        );
        assert_eq!(plan.removed, 1, "only the file gone from below the root");
        assert_eq!(
            to_read(&plan),
            [
                disk.source("news/bigger.txt"),
                disk.source("news/edited.txt"),
                disk.source("news/new.txt"),
                format!("ignored: {}", disk.source("news/notes.md")),
            ]
        );
        assert!(plan.orphaned.is_empty(), "no articles went");
        assert!(plan.outside.is_empty());
    }

    #[test]
    fn copies_of_articles_that_go_are_read_again_wherever_they_are() {
        let disk = Disk::new();
        // changed.txt held article X; kept.txt (unchanged) a copy of X and
        // article Y; elsewhere/copy.txt (outside the root) a copy of Y;
        // elsewhere/gone.txt a copy of X, and is gone from disk.
        let changed = disk.write("news/changed.txt", "changed");
        let kept = disk.write("news/kept.txt", "kept");
        let other = disk.write("news/other.txt", "other");
        let copy = disk.write("elsewhere/copy.txt", "copy");
        let x = article("news/changed.txt", "The ferry sank.");
        let y = article("news/kept.txt", "The ferry floated.");
        let (x_hash, y_hash) = (schema::content_hash(&x), schema::content_hash(&y));
        let (index, fields) = index_of(|fields| {
            let mut changed_now = fingerprint(&changed);
            changed_now.size += 1;
            let mut gone = fingerprint(&copy);
            gone.source = disk.source("elsewhere/gone.txt");
            let at = |name| disk.source(name);
            vec![
                schema::article_document(fields, &x, x_hash, &at("news/changed.txt")),
                schema::file_document(fields, &changed_now, "news/changed.txt"),
                schema::duplicate_document(fields, &x, x_hash, &at("news/kept.txt")),
                schema::article_document(fields, &y, y_hash, &at("news/kept.txt")),
                schema::file_document(fields, &fingerprint(&kept), "news/kept.txt"),
                schema::file_document(fields, &fingerprint(&other), "news/other.txt"),
                schema::duplicate_document(fields, &y, y_hash, &at("elsewhere/copy.txt")),
                schema::file_document(fields, &fingerprint(&copy), "elsewhere/copy.txt"),
                schema::duplicate_document(fields, &x, x_hash, &at("elsewhere/gone.txt")),
                schema::file_document(fields, &gone, "elsewhere/gone.txt"),
            ]
        });
        let plan = plan(&index, &fields, &disk.roots());
        assert_eq!(sorted(&plan.unchanged), [disk.source("news/other.txt")]);
        assert_eq!(
            sorted(&plan.replaced),
            [
                disk.source("elsewhere/copy.txt"),
                disk.source("news/changed.txt"),
                disk.source("news/kept.txt"),
            ],
            "a gone file outside the root is left alone"
        );
        assert_eq!(plan.orphaned, [x_hash, y_hash].into());
        assert_eq!(plan.removed, 0);
        assert_eq!(to_read(&plan), [disk.source("news/changed.txt")]);
        // Read again as the walk would have found them, under their ids.
        let mut outside = plan.outside.clone();
        outside.sort_by(|a, b| a.id.cmp(&b.id));
        let as_walked = |path: &Path, id: &str| {
            let meta = std::fs::metadata(path).unwrap();
            SourceFile {
                path: path.to_path_buf(),
                absolute: path.to_path_buf(),
                id: id.into(),
                len: meta.len(),
                modified: modified_nanos(&meta),
            }
        };
        assert_eq!(
            outside,
            [
                as_walked(&copy, "elsewhere/copy.txt"),
                as_walked(&kept, "news/kept.txt"),
            ]
        );
    }

    #[test]
    fn a_new_file_with_documents_an_earlier_run_left_is_replaced() {
        // An earlier run indexed left.txt's article but could not record the
        // file (a member over the size limit); purged.txt's documents were
        // deleted since. The index has no records at all.
        let disk = Disk::new();
        disk.write("news/left.txt", "left");
        disk.write("news/purged.txt", "purged");
        disk.write("news/new.txt", "new");
        let left = article("news/left.txt", "The ferry sank.");
        let purged = article("news/purged.txt", "The ferry floated.");
        let content = schema::content_hash(&left);
        let (index, fields) = index_of(|fields| {
            vec![
                schema::article_document(fields, &left, content, &disk.source("news/left.txt")),
                schema::article_document(fields, &purged, 1, &disk.source("news/purged.txt")),
            ]
        });
        let mut writer: tantivy::IndexWriter<TantivyDocument> =
            index.writer_with_num_threads(1, 15 << 20).unwrap();
        writer.delete_term(Term::from_field_text(
            fields.source,
            &disk.source("news/purged.txt"),
        ));
        writer.commit().unwrap();

        let plan = plan(&index, &fields, &disk.roots());
        assert_eq!(sorted(&plan.replaced), [disk.source("news/left.txt")]);
        assert_eq!(plan.orphaned, [content].into(), "not a copy of itself");
        assert_eq!(plan.removed, 0);
        assert!(plan.unchanged.is_empty());
        assert_eq!(
            to_read(&plan),
            [
                disk.source("news/left.txt"),
                disk.source("news/new.txt"),
                disk.source("news/purged.txt"),
            ]
        );
    }

    #[test]
    fn a_file_gone_that_left_documents_but_no_record_is_removed() {
        // An earlier run indexed gone.txt's article without recording the
        // file, and the file is gone since: its article must go too (it
        // stayed searchable). A source outside the roots is left alone.
        let disk = Disk::new();
        disk.write("news/kept.txt", "kept");
        let gone = article("news/gone.txt", "The ferry sank.");
        let outside = article("elsewhere/x.txt", "The ferry floated.");
        let content = schema::content_hash(&gone);
        let (index, fields) = index_of(|fields| {
            vec![
                schema::article_document(fields, &gone, content, &disk.source("news/gone.txt")),
                schema::article_document(fields, &outside, 1, &disk.source("elsewhere/x.txt")),
            ]
        });
        let plan = plan(&index, &fields, &disk.roots());
        assert_eq!(sorted(&plan.replaced), [disk.source("news/gone.txt")]);
        assert_eq!(plan.removed, 1);
        assert_eq!(plan.orphaned, [content].into());
        assert_eq!(to_read(&plan), [disk.source("news/kept.txt")]);
    }
}
