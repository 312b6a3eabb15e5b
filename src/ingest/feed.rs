//! The writer's side of a run: what the parsing threads read goes into the
//! index here, one [`ReadEvent`] at a time, on one thread. A commit is made
//! only between whole files, or between whole members of an archive: a
//! commit never holds a file's articles without its record, nor a member's
//! without its member record (and so a crash loses only what a re-run reads
//! again, and a re-run does not read again what was committed).

use std::collections::{HashMap, HashSet};

use tantivy::query::{BooleanQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{IndexWriter, TantivyDocument, Term};

use super::dedup::Dedup;
use super::known_files::Status;
use super::read::ReadEvent;
use super::summary::{Progress, Summary};
use crate::error::{InIndex, Result};
use crate::index::schema::{self, DocKind, Fields};
use crate::index::ArchiveIndex;

/// A member read whole whose member record is not written yet.
struct PendingMember {
    source: String,
    member: String,
    size: u64,
    modified: i64,
}

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
    /// Archives read in part by an earlier run, resumed: their documents
    /// stay.
    resumed: &'a HashMap<String, HashSet<String>>,
    /// Sources with documents sent but no record yet, and whether they are
    /// between two members of an archive (where a commit may be made).
    open_sources: HashMap<String, bool>,
    /// Archives with member records (this run's, or a resumed one's), to be
    /// deleted when the archive is done.
    with_members: HashSet<String>,
    /// Members read whole since the last commit, of archives not yet
    /// done: their member records are written only when a commit (or a
    /// stop) comes before their archive's record, so an archive read
    /// between two commits costs no member records at all.
    pending_members: Vec<PendingMember>,
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
        resumed: &'a HashMap<String, HashSet<String>>,
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
            resumed,
            open_sources: HashMap::new(),
            with_members: resumed.keys().cloned().collect(),
            pending_members: Vec::new(),
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
                self.open_sources.insert(source.clone(), false);
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
            ReadEvent::MemberDone {
                source,
                member,
                size,
                modified,
            } => {
                self.open_source(&source);
                self.open_sources.insert(source.clone(), true);
                self.pending_members.push(PendingMember {
                    source,
                    member,
                    size,
                    modified,
                });
                self.commit_if_due()?;
            }
            ReadEvent::FileUnrecorded { source } => {
                self.open_sources.remove(&source);
                self.pending_members
                    .retain(|pending| pending.source != source);
                // Read whole next time, as before member records.
                self.delete_member_records(&source)?;
            }
            ReadEvent::FileDone { file, id, status } => {
                if self.open_sources.remove(&file.source).is_none() {
                    // A file that gave nothing this time.
                    self.delete_leftovers(&file.source);
                }
                // The archive's record stands for its members' from now.
                self.pending_members
                    .retain(|pending| pending.source != file.source);
                self.delete_member_records(&file.source)?;
                match status {
                    Status::New => self.summary.files_new += 1,
                    _ => self.summary.files_changed += 1,
                }
                self.writer
                    .add_document(schema::file_document(&self.fields, &file, &id))
                    .in_index(dir)?;
                self.commit_if_due()?;
            }
        }
        Ok(())
    }

    /// Commits when `commit_every` articles wait, but only between whole
    /// files or members: a commit must never hold a file's articles without
    /// its record, nor a member's without its member record.
    fn commit_if_due(&mut self) -> Result<()> {
        if self.since_commit >= self.commit_every && self.between_files() {
            self.record_pending_members()?;
            self.progress.committing();
            self.writer.commit().in_index(self.index.dir())?;
            self.since_commit = 0;
        }
        Ok(())
    }

    /// Writes the member records of the members read since the last
    /// commit whose archives are not done: the commit about to come holds
    /// their articles, and a later run resumes after them.
    fn record_pending_members(&mut self) -> Result<()> {
        for pending in std::mem::take(&mut self.pending_members) {
            self.writer
                .add_document(schema::member_document(
                    &self.fields,
                    &pending.source,
                    &pending.member,
                    pending.size,
                    pending.modified,
                ))
                .in_index(self.index.dir())?;
            self.with_members.insert(pending.source);
        }
        Ok(())
    }

    /// Whether every file is whole or between two members: where a commit,
    /// or a stop, may come.
    pub fn between_files(&self) -> bool {
        self.open_sources.values().all(|&between| between)
    }

    /// The first documents of a file this run: whatever an interrupted
    /// run left of it goes first.
    fn open_source(&mut self, source: &str) {
        if !self.open_sources.contains_key(source) {
            self.open_sources.insert(source.to_string(), true);
            self.delete_leftovers(source);
        }
    }

    /// Deletes an archive's member records, if it has any.
    fn delete_member_records(&mut self, source: &str) -> Result<()> {
        if !self.with_members.remove(source) {
            return Ok(());
        }
        let term = |term| -> Box<dyn tantivy::query::Query> {
            Box::new(TermQuery::new(term, IndexRecordOption::Basic))
        };
        let records = BooleanQuery::intersection(vec![
            term(Term::from_field_text(self.fields.source, source)),
            term(Term::from_field_u64(
                self.fields.kind,
                DocKind::Member.code(),
            )),
        ]);
        self.writer
            .delete_query(Box::new(records))
            .in_index(self.index.dir())?;
        Ok(())
    }

    /// Deletes the documents a file has in the last commit, unless the
    /// run deleted them already (a replaced file), there are none, or they
    /// are what a resumed archive keeps.
    fn delete_leftovers(&mut self, source: &str) {
        if !self.fresh && !self.replaced.contains(source) && !self.resumed.contains_key(source) {
            self.writer
                .delete_term(Term::from_field_text(self.fields.source, source));
        }
    }

    /// Commits what was taken and waits for merges: the run's summary.
    pub fn finish(mut self) -> Result<Summary> {
        let dir = self.index.dir();
        // (Archives left part read, by a stop.)
        self.record_pending_members()?;
        self.progress.committing();
        self.writer.commit().in_index(dir)?;
        self.writer.wait_merging_threads().in_index(dir)?;
        Ok(self.summary)
    }
}

#[cfg(test)]
mod tests {
    use tantivy::collector::Count;
    use tantivy::query::TermQuery;
    use tantivy::schema::IndexRecordOption;
    use tantivy::Searcher;

    use super::*;
    use crate::article::Article;
    use crate::index::schema::{DocKind, Fingerprint};
    use crate::ingest::formats::{Format, ParseError, Problem};
    use crate::ingest::known_files::KnownFiles;
    use crate::ingest::summary::{Silent, Skip, SkipReason};

    fn open() -> (tempfile::TempDir, ArchiveIndex) {
        let dir = tempfile::tempdir().unwrap();
        let index = ArchiveIndex::open_or_create(&dir.path().join("index"), false).unwrap();
        (dir, index)
    }

    /// What a run's feed borrows: the last commit, and what the plan said.
    struct Before {
        searcher: Searcher,
        fields: Fields,
        fresh: bool,
        replaced: HashSet<String>,
        resumed: HashMap<String, HashSet<String>>,
        orphaned: HashSet<u64>,
    }

    impl Before {
        fn of(index: &ArchiveIndex) -> Before {
            let searcher = index.reader().unwrap().searcher();
            Before {
                fresh: searcher.num_docs() == 0,
                searcher,
                fields: *index.fields(),
                replaced: HashSet::new(),
                resumed: HashMap::new(),
                orphaned: HashSet::new(),
            }
        }

        fn feed<'a>(&'a self, index: &'a ArchiveIndex, commit_every: u64) -> Feed<'a> {
            let writer = index
                .tantivy()
                .writer_with_num_threads(1, 15 << 20)
                .unwrap();
            let dedup = Dedup::new(&self.searcher, &self.fields, self.fresh, &self.orphaned);
            Feed::new(
                index,
                writer,
                self.fresh,
                &self.replaced,
                &self.resumed,
                dedup,
                &Silent,
                commit_every,
                Summary::default(),
            )
        }
    }

    fn article(id: &str, date: bool, body: &str) -> Article {
        Article {
            id: id.into(),
            path: format!("/news/{id}"),
            date: date.then_some(time::macros::date!(2025 - 03 - 17)),
            time: None,
            headline: "Ferry".into(),
            body: body.into(),
            quoted: Vec::new(),
            meta: Default::default(),
        }
    }

    fn parsed(source: &str, articles: Vec<Article>) -> ReadEvent {
        ReadEvent::Parsed {
            source: source.into(),
            shown: source.into(),
            starts_file: true,
            bytes: 100,
            format: Format::Text,
            legacy: false,
            articles,
            problems: Vec::new(),
        }
    }

    fn done(source: &str, status: Status) -> ReadEvent {
        ReadEvent::FileDone {
            file: Fingerprint {
                source: source.into(),
                size: 100,
                modified: 1,
                hash: 2,
            },
            id: source.trim_start_matches('/').into(),
            status,
        }
    }

    fn skipped(reason: SkipReason) -> ReadEvent {
        ReadEvent::Skipped(Skip {
            path: "/news/skipped.txt".into(),
            reason,
        })
    }

    /// Documents of a kind in the last commit.
    fn committed(index: &ArchiveIndex, kind: DocKind) -> usize {
        let searcher = index.reader().unwrap().searcher();
        let term = Term::from_field_u64(index.fields().kind, kind.code());
        let query = TermQuery::new(term, IndexRecordOption::Basic);
        searcher.search(&query, &Count).unwrap()
    }

    fn all_committed(index: &ArchiveIndex) -> u64 {
        index.reader().unwrap().searcher().num_docs()
    }

    /// The sources with a record in the last commit.
    fn recorded(index: &ArchiveIndex, sources: &[&str]) -> Vec<bool> {
        let searcher = index.reader().unwrap().searcher();
        let known = KnownFiles::load(&searcher, index.fields()).unwrap();
        sources.iter().map(|s| known.status_is_known(s)).collect()
    }

    /// The ids of the committed documents of a kind from a file.
    fn ids(index: &ArchiveIndex, kind: DocKind, source: &str) -> Vec<String> {
        let searcher = index.reader().unwrap().searcher();
        let fields = index.fields();
        let term = |term| -> Box<dyn tantivy::query::Query> {
            Box::new(TermQuery::new(term, IndexRecordOption::Basic))
        };
        let query = BooleanQuery::intersection(vec![
            term(Term::from_field_text(fields.source, source)),
            term(Term::from_field_u64(fields.kind, kind.code())),
        ]);
        let found = searcher
            .search(&query, &tantivy::collector::DocSetCollector)
            .unwrap();
        let mut ids: Vec<String> = found
            .into_iter()
            .map(|address| {
                let doc: TantivyDocument = searcher.doc(address).unwrap();
                schema::to_article(fields, &doc).id
            })
            .collect();
        ids.sort();
        ids
    }

    #[test]
    fn finish_commits_articles_and_records_and_a_second_copy_is_a_duplicate() {
        let (_dir, index) = open();
        let before = Before::of(&index);
        let mut feed = before.feed(&index, 1000);
        let copy = |id| article(id, true, "The ferry sank.");
        for event in [
            parsed("/news/a.txt", vec![copy("news/a.txt")]),
            done("/news/a.txt", Status::New),
            parsed(
                "/news/b.txt",
                vec![
                    copy("news/b.txt#1"),
                    article("news/b.txt#2", true, "Other."),
                ],
            ),
            done("/news/b.txt", Status::New),
        ] {
            feed.take(event).unwrap();
        }
        assert_eq!(all_committed(&index), 0, "commit_every not reached");
        let summary = feed.finish().unwrap();
        assert_eq!(committed(&index, DocKind::Article), 2);
        assert_eq!(committed(&index, DocKind::Duplicate), 1);
        assert_eq!(committed(&index, DocKind::File), 2);
        assert_eq!(recorded(&index, &["/news/a.txt", "/news/b.txt"]), [true; 2]);
        assert_eq!(ids(&index, DocKind::Article, "/news/a.txt"), ["news/a.txt"]);
        assert_eq!(
            ids(&index, DocKind::Duplicate, "/news/b.txt"),
            ["news/b.txt#1"]
        );
        assert_eq!(
            ids(&index, DocKind::Article, "/news/b.txt"),
            ["news/b.txt#2"]
        );
        assert_eq!(summary.duplicates, 1);
        assert_eq!(summary.articles_indexed, 2);
        assert_eq!((summary.files_seen, summary.files_indexed), (2, 2));
        assert_eq!((summary.files_new, summary.files_changed), (2, 0));
    }

    #[test]
    fn no_commit_while_a_file_is_half_sent_even_past_commit_every() {
        let (_dir, index) = open();
        let before = Before::of(&index);
        let mut feed = before.feed(&index, 1);
        // (event, documents committed once it is taken)
        let steps = [
            (
                parsed(
                    "/a",
                    vec![article("a#1", true, "A1"), article("a#2", true, "A2")],
                ),
                0,
            ),
            (parsed("/b", vec![article("b", true, "B")]), 0),
            // a is whole, but b is half sent.
            (done("/a", Status::New), 0),
            (done("/b", Status::New), 5),
            (parsed("/c", vec![article("c", true, "C")]), 5),
            (done("/c", Status::New), 7),
            // A record alone (a file with nothing to index) commits no
            // article, so it waits for the next.
            (done("/d", Status::New), 7),
            (parsed("/e", vec![article("e", true, "E")]), 7),
            (done("/e", Status::New), 10),
        ];
        for (at, (event, expected)) in steps.into_iter().enumerate() {
            feed.take(event).unwrap();
            assert_eq!(all_committed(&index), expected, "after event {at}");
        }
        feed.finish().unwrap();
        assert_eq!(all_committed(&index), 10);
    }

    fn member_done(source: &str, member: &str) -> ReadEvent {
        ReadEvent::MemberDone {
            source: source.into(),
            member: member.into(),
            size: 100,
            modified: 1,
        }
    }

    #[test]
    fn commits_come_between_members_and_the_archive_record_replaces_theirs() {
        let (_dir, index) = open();
        let before = Before::of(&index);
        let mut feed = before.feed(&index, 1);
        // (event, documents committed once it is taken)
        let steps = [
            (parsed("/t", vec![article("t!/a", true, "A")]), 0),
            // The member is whole: its article and record.
            (member_done("/t", "!/a"), 2),
            (parsed("/t", vec![article("t!/b", true, "B")]), 2),
            (parsed("/p", vec![article("p", true, "P")]), 2),
            // b is whole, but p is half sent.
            (member_done("/t", "!/b"), 2),
            (done("/p", Status::New), 6),
            // A member that gave nothing has a record all the same.
            (member_done("/t", "!/c"), 6),
            (parsed("/t", vec![article("t!/d", true, "D")]), 6),
            (member_done("/t", "!/d"), 9),
        ];
        for (at, (event, expected)) in steps.into_iter().enumerate() {
            feed.take(event).unwrap();
            assert_eq!(all_committed(&index), expected, "after event {at}");
        }
        assert_eq!(committed(&index, DocKind::Member), 4);
        assert_eq!(recorded(&index, &["/t", "/p"]), [false, true]);
        feed.take(done("/t", Status::New)).unwrap();
        feed.finish().unwrap();
        assert_eq!(committed(&index, DocKind::Member), 0);
        assert_eq!(recorded(&index, &["/t", "/p"]), [true, true]);
        assert_eq!(
            ids(&index, DocKind::Article, "/t"),
            ["t!/a", "t!/b", "t!/d"]
        );
    }

    #[test]
    fn a_resumed_archive_keeps_what_it_had_and_an_unrecorded_one_loses_its_member_records() {
        let (_dir, index) = open();
        let first = Before::of(&index);
        let mut feed = first.feed(&index, 1000);
        for event in [
            parsed("/t", vec![article("t!/a", true, "A")]),
            member_done("/t", "!/a"),
            parsed("/u", vec![article("u!/a", true, "UA")]),
            member_done("/u", "!/a"),
        ] {
            feed.take(event).unwrap();
        }
        feed.finish().unwrap();
        assert_eq!(committed(&index, DocKind::Member), 2);

        // t resumed after a; u read again whole (changed), but a member is
        // too large.
        let mut second = Before::of(&index);
        second.resumed = HashMap::from([("/t".to_string(), HashSet::from(["!/a".to_string()]))]);
        let mut feed = second.feed(&index, 1000);
        for event in [
            parsed("/t", vec![article("t!/b", true, "B")]),
            member_done("/t", "!/b"),
            done("/t", Status::New),
            parsed("/u", vec![article("u!/a", true, "UA now")]),
            member_done("/u", "!/a"),
            ReadEvent::FileUnrecorded {
                source: "/u".into(),
            },
        ] {
            feed.take(event).unwrap();
        }
        let summary = feed.finish().unwrap();
        assert_eq!(summary.duplicates, 0);
        assert_eq!(ids(&index, DocKind::Article, "/t"), ["t!/a", "t!/b"]);
        assert_eq!(ids(&index, DocKind::Article, "/u"), ["u!/a"]);
        assert_eq!(recorded(&index, &["/t", "/u"]), [true, false]);
        assert_eq!(
            committed(&index, DocKind::Member),
            0,
            "u is read whole next time"
        );
    }

    #[test]
    fn an_unrecorded_file_gets_no_record_and_does_not_hold_up_commits() {
        let (_dir, index) = open();
        let before = Before::of(&index);
        let mut feed = before.feed(&index, 1);
        feed.take(parsed("/a", vec![article("a", true, "A")]))
            .unwrap();
        feed.take(parsed("/b", vec![article("b", true, "B")]))
            .unwrap();
        feed.take(ReadEvent::FileUnrecorded {
            source: "/a".into(),
        })
        .unwrap();
        assert_eq!(all_committed(&index), 0, "b is half sent");
        feed.take(done("/b", Status::New)).unwrap();
        assert_eq!(all_committed(&index), 3, "a's article, b's and its record");
        let summary = feed.finish().unwrap();
        assert_eq!(recorded(&index, &["/a", "/b"]), [false, true]);
        assert_eq!(summary.files_new, 1);
        assert_eq!(summary.articles_indexed, 2);
    }

    #[test]
    fn the_summary_counts_files_skips_ignored_and_undated_articles() {
        let (_dir, index) = open();
        let before = Before::of(&index);
        let mut feed = before.feed(&index, 1000);
        let piece = |first: bool, articles| ReadEvent::Parsed {
            source: "/feed.jsonl".into(),
            shown: "/feed.jsonl".into(),
            starts_file: first,
            bytes: 1000,
            format: Format::Json,
            legacy: true,
            articles,
            problems: Vec::new(),
        };
        let events = [
            ReadEvent::Parsed {
                source: "/a.txt".into(),
                shown: "/a.txt".into(),
                starts_file: true,
                bytes: 10,
                format: Format::Text,
                legacy: false,
                articles: vec![article("a", true, "A")],
                problems: vec![Problem {
                    location: "line 2".into(),
                    reason: "odd".into(),
                }],
            },
            done("/a.txt", Status::New),
            piece(
                true,
                vec![article("f#1", true, "F1"), article("f#2", false, "F2")],
            ),
            piece(false, vec![article("f#3", false, "F3")]),
            done("/feed.jsonl", Status::Changed),
            skipped(SkipReason::Parse(ParseError::Empty)),
            skipped(SkipReason::Parse(ParseError::Empty)),
            skipped(SkipReason::Parse(ParseError::Binary)),
            skipped(SkipReason::Unreadable("denied".into())),
            skipped(SkipReason::TooLarge {
                size: Some(9),
                limit: 1,
            }),
            ReadEvent::Ignored,
            ReadEvent::Ignored,
            ReadEvent::Ignored,
        ];
        for event in events {
            feed.take(event).unwrap();
        }
        let summary = feed.finish().unwrap();
        assert_eq!(summary.files_seen, 2 + 5, "the pieces are one file");
        assert_eq!(summary.files_indexed, 2);
        assert_eq!(summary.articles_indexed, 4);
        assert_eq!(summary.undated, 2);
        assert_eq!(
            summary.articles_by_format,
            [(Format::Text, 1), (Format::Json, 3)].into()
        );
        assert_eq!(summary.bytes_indexed, 10 + 2000);
        assert_eq!(
            summary.skipped,
            [
                ("empty", 2),
                ("binary", 1),
                ("unreadable", 1),
                ("too large", 1)
            ]
            .into()
        );
        assert_eq!(summary.ignored, 3);
        assert_eq!(summary.problems, 1);
        assert_eq!(summary.legacy_encoded, 1, "once for a file in pieces");
        assert_eq!((summary.files_new, summary.files_changed), (1, 1));
        assert_eq!(summary.duplicates, 0);
        assert_eq!(committed(&index, DocKind::Article), 4);
    }

    #[test]
    fn what_an_earlier_run_left_of_a_file_goes_when_it_is_read_again() {
        let (_dir, index) = open();
        // An earlier run indexed a's and b's articles but could not record
        // the files (a member over the size limit, say).
        let first = Before::of(&index);
        let mut feed = first.feed(&index, 1000);
        for event in [
            parsed("/a", vec![article("a#old", true, "Old A")]),
            ReadEvent::FileUnrecorded {
                source: "/a".into(),
            },
            parsed("/b", vec![article("b#old", true, "Old B")]),
            ReadEvent::FileUnrecorded {
                source: "/b".into(),
            },
            parsed("/c", vec![article("c", true, "C")]),
            done("/c", Status::New),
        ] {
            feed.take(event).unwrap();
        }
        feed.finish().unwrap();
        assert_eq!(committed(&index, DocKind::Article), 3);

        // Now a gives another article, b gives nothing but its record.
        let second = Before::of(&index);
        assert!(!second.fresh);
        let mut feed = second.feed(&index, 1000);
        for event in [
            parsed("/a", vec![article("a#new", true, "New A")]),
            done("/a", Status::New),
            done("/b", Status::New),
        ] {
            feed.take(event).unwrap();
        }
        feed.finish().unwrap();
        assert_eq!(ids(&index, DocKind::Article, "/a"), ["a#new"]);
        assert!(ids(&index, DocKind::Article, "/b").is_empty());
        assert_eq!(ids(&index, DocKind::Article, "/c"), ["c"], "untouched");
        assert_eq!(recorded(&index, &["/a", "/b", "/c"]), [true; 3]);
    }
}
