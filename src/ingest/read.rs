//! Reading on the parsing threads: each file (every member, for an
//! archive) is opened, decoded and parsed, and what it came to is sent to
//! the writer's thread as [`ReadEvent`]s, in batches.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::SyncSender;

use rayon::iter::{ParallelBridge, ParallelIterator};

use super::container::{self, Item, Member, ReadLimits};
use super::formats::{self, json, Format, FormatOptions, ParseError, Problem};
use super::known_files::{KnownFiles, Status};
use super::options::IndexOptions;
use super::plan::Plan;
use super::summary::{Skip, SkipReason};
use super::walk::{Entry, Roots, Walked};
use crate::article::{Article, Origin, MEMBER_SEPARATOR};
use crate::index::schema::Fingerprint;
use crate::paths::path_text;

/// Walked files a parsing thread takes at a time, and sends the writer in
/// one message: one file at a time, threads spent their time handing files
/// to each other (futex calls outnumbered files five to one).
const FILES_PER_BATCH: usize = 32;

/// A batch is sent early once it holds this many bytes of text, or this
/// many events (an archive of many members), so that no batch holds much
/// memory.
const BATCH_BYTES: u64 = 1 << 20;
const BATCH_EVENTS: usize = 1024;

/// What reading one file or member came to, sent from the parsing threads
/// to the writer.
pub(super) enum ReadEvent {
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
    /// Everything of one member of an archive has been sent (its articles,
    /// or why it gave none): the member's record, so that a commit after it
    /// holds the member whole and a run stopped later resumes after it.
    MemberDone {
        /// The archive's source.
        source: String,
        /// The member's stored path after the archive's (`!/inner`).
        member: String,
        /// The archive's size and modification time, as walked.
        size: u64,
        modified: i64,
    },
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

/// What the parsing threads read: the walk itself (a fresh index), or the
/// entries the plan kept, then the files outside the PATHs it added.
pub(super) enum ToRead<'a> {
    /// Walk the roots as the files are read.
    Walk(&'a Roots),
    /// Entries already walked (and compared) by the plan.
    Entries(Vec<Entry>),
}

/// A file for the parsing threads: as the walk found it (its metadata not
/// read yet), or already looked at by the plan.
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

/// The feeder was told to stop, or the writer hung up.
pub(super) struct Stopped;

/// Reads everything on `pool`'s threads and sends it to `sender`; returns
/// when all is sent, when `stop` is set, or when the writer hangs up.
/// The plan gives the files outside the PATHs to read too, and the
/// archives to resume.
pub(super) fn read_all(
    pool: rayon::ThreadPool,
    to_read: ToRead<'_>,
    plan: &Plan,
    options: &IndexOptions,
    known: &KnownFiles,
    sender: SyncSender<Vec<ReadEvent>>,
    stop: &AtomicBool,
) {
    let (outside, resumed) = (&plan.outside, &plan.resumed);
    pool.install(|| {
        let outside = outside.iter().cloned().map(Entry::File).map(Pending::Seen);
        let mut pending: Box<dyn Iterator<Item = Pending<'_>> + Send> = match to_read {
            ToRead::Entries(entries) => {
                Box::new(entries.into_iter().map(Pending::Seen).chain(outside))
            }
            ToRead::Walk(roots) => Box::new(roots.walk().map(Pending::Walked).chain(outside)),
        };
        let batches = std::iter::from_fn(move || {
            let batch: Vec<Pending<'_>> = pending.by_ref().take(FILES_PER_BATCH).collect();
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
                    read(pending.entry(), options, known, resumed, stop, &mut batch)?;
                }
                batch.flush()?;
                if stop.load(Ordering::Relaxed) {
                    return Err(Stopped);
                }
                Ok(())
            });
    });
}

/// What a parsing thread has read and not yet sent to the writer.
struct Batch<'a> {
    sender: &'a SyncSender<Vec<ReadEvent>>,
    events: Vec<ReadEvent>,
    bytes: u64,
}

impl<'a> Batch<'a> {
    fn new(sender: &'a SyncSender<Vec<ReadEvent>>) -> Batch<'a> {
        Batch {
            sender,
            events: Vec::new(),
            bytes: 0,
        }
    }

    /// Adds an event; sends the batch when it holds a lot. Fails only
    /// when the writer has hung up.
    fn send(&mut self, event: ReadEvent) -> Result<(), Stopped> {
        if let ReadEvent::Parsed { bytes, .. } = &event {
            self.bytes += bytes;
        }
        self.events.push(event);
        if self.bytes >= BATCH_BYTES || self.events.len() >= BATCH_EVENTS {
            self.flush()?;
        }
        Ok(())
    }

    /// Sends what the batch holds, if anything.
    fn flush(&mut self) -> Result<(), Stopped> {
        self.bytes = 0;
        if self.events.is_empty() {
            return Ok(());
        }
        let events = std::mem::take(&mut self.events);
        self.sender.send(events).map_err(|_| Stopped)
    }
}

/// Reads one walked entry (every member, for an archive) and sends what it
/// holds to the batch. Fails only when the writer has hung up.
///
/// An archive's members are read one at a time and each is followed by a
/// [`ReadEvent::MemberDone`]; `stop` is looked at after each, and when it
/// is set the archive is left there, without a record (the next run
/// resumes it). The members `resumed` lists for the archive (committed by
/// an earlier run) are passed over unparsed.
fn read(
    entry: Entry,
    options: &IndexOptions,
    known: &KnownFiles,
    resumed: &HashMap<String, HashSet<String>>,
    stop: &AtomicBool,
    batch: &mut Batch<'_>,
) -> Result<(), Stopped> {
    let file = match entry {
        Entry::File(file) => file,
        Entry::Ignored(_) => return batch.send(ReadEvent::Ignored),
        Entry::Unreadable { path, reason } => {
            return batch.send(ReadEvent::Skipped(Skip {
                path: path.display().to_string(),
                reason: SkipReason::Unreadable(reason),
            }))
        }
    };
    let source = path_text(&file.absolute);
    let mut sent = Ok(());
    let limit = options.max_article_size;
    let limits = ReadLimits {
        limit,
        pieces: matches!(options.formats.forced, None | Some(Format::Json)),
    };
    let mut seen_keys = json::SeenKeys::default();
    let origin = Origin {
        id: file.id.clone(),
        path: source.clone(),
    };
    let done = resumed.get(&source);
    let mut stopped = false;
    let hash = container::open(&file.path, file.len, origin, limits, &mut |item| {
        // A member of an archive: the path inside it its id names. (A
        // plain or `.gz` file, or a piece, has none.)
        let in_archive = match &item {
            Item::Member(member) => crate::article::member(&member.origin.id).map(str::to_string),
            _ => None,
        };
        let already =
            matches!((&in_archive, done), (Some(name), Some(done)) if done.contains(name));
        if !already {
            let event = match item {
                Item::Member(member) => {
                    parse_member(&source, member, &options.formats, &mut seen_keys)
                }
                Item::Ignored => ReadEvent::Ignored,
                Item::Unreadable { shown, reason } => ReadEvent::Skipped(Skip {
                    path: shown,
                    reason: SkipReason::Unreadable(reason),
                }),
                Item::TooLarge { shown, size } => ReadEvent::Skipped(Skip {
                    path: shown,
                    reason: SkipReason::TooLarge { size, limit },
                }),
            };
            sent = batch.send(event);
            if let (Ok(()), Some(member)) = (&sent, &in_archive) {
                sent = batch.send(ReadEvent::MemberDone {
                    source: source.clone(),
                    member: member.clone(),
                    size: file.len,
                    modified: file.modified,
                });
            }
        }
        if sent.is_err() {
            return false;
        }
        // Between members of an archive: Ctrl-C stops here.
        stopped = in_archive.is_some() && stop.load(Ordering::Relaxed);
        !stopped
    });
    sent?;
    if stopped {
        // Left part read: no record, and nothing more of it is sent.
        return Ok(());
    }
    let Some(hash) = hash else {
        // Unreadable, or a part too large: reported above; read it again
        // next time.
        return batch.send(ReadEvent::FileUnrecorded { source });
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
    batch.send(ReadEvent::FileDone {
        file: fingerprint,
        id: file.id,
        status,
    })
}

/// Decodes and parses one member: its articles and problems, or why it
/// gave none.
fn parse_member(
    source: &str,
    member: Member,
    options: &FormatOptions,
    seen_keys: &mut json::SeenKeys,
) -> ReadEvent {
    let skip = |reason: ParseError| {
        ReadEvent::Skipped(Skip {
            path: member.shown.clone(),
            reason: reason.into(),
        })
    };
    let decoded = match formats::decode(&member.bytes) {
        Ok(decoded) => decoded,
        Err(err) => return skip(err),
    };
    let mut problems = member.problems;
    let (format, starts_file, mut parsed) = match member.piece {
        Some(piece) => {
            let parsed = formats::parse_piece(
                &decoded.text,
                piece.first_line,
                &member.origin,
                options,
                seen_keys,
            );
            (Format::Json, piece.first_line == 1, parsed)
        }
        None => {
            let format = options
                .forced
                .unwrap_or_else(|| formats::detect(&member.name, &decoded.text));
            match formats::parse(format, &decoded.text, &member.origin, options) {
                Ok(parsed) if parsed.articles.is_empty() && parsed.problems.is_empty() => {
                    return skip(ParseError::Malformed(format!("no {format} articles found")))
                }
                Ok(parsed) => (format, true, parsed),
                Err(err) => return skip(err),
            }
        }
    };
    if options.section_from_folder {
        give_folder_section(&member.origin.id, &mut parsed.articles);
    }
    problems.append(&mut parsed.problems);
    ReadEvent::Parsed {
        source: source.to_string(),
        bytes: member.bytes.len() as u64,
        shown: member.shown,
        starts_file,
        format,
        legacy: decoded.legacy,
        articles: parsed.articles,
        problems,
    }
}

/// `--section-from-folder`: the articles of a file that name no section
/// are in the one its folder gives (see [`folder_section`]).
fn give_folder_section(file_id: &str, articles: &mut [Article]) {
    let Some(section) = folder_section(file_id) else {
        return;
    };
    for article in articles {
        if article.meta.section.is_none() {
            article.meta.section = Some(section.clone());
        }
    }
}

/// The section a file's place gives: the name of the folder directly
/// holding it, as its id says (`bbc/business/001.txt` → `business`; for a
/// member of an archive, `bbc-fulltext.tar.gz::bbc/business/001.txt`, the
/// folder inside the archive). None for a file at the top: one named on
/// the command line, a member at the root of its archive.
fn folder_section(file_id: &str) -> Option<String> {
    let path = file_id
        .split_once(MEMBER_SEPARATOR)
        .map_or(file_id, |(_, member)| member);
    let (folders, _) = path.rsplit_once('/')?;
    let folder = folders.rsplit('/').next().unwrap_or(folders);
    if matches!(folder, "" | "." | "..") {
        return None;
    }
    // A name that is not UTF-8 is stored with `\xNN` escapes: its bytes
    // are read as a file's text is (Windows-1252 where not UTF-8).
    let name = if folder.contains('\\') {
        let path = crate::paths::text_path(folder);
        match formats::decode(path.as_os_str().as_encoded_bytes()) {
            Ok(decoded) => decoded.text.into_owned(),
            Err(_) => folder.to_string(),
        }
    } else {
        folder.to_string()
    };
    // Names may hold anything but `/`, a line break too: one line, as
    // every value of an article's metadata.
    let name = formats::text::one_line(&name.replace(char::is_control, " "));
    (!name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};
    use std::sync::mpsc;

    use super::*;
    use crate::index::schema;
    use crate::ingest::container::Piece;

    fn member(name: &str, bytes: &[u8], piece: Option<Piece>) -> Member {
        Member {
            name: name.into(),
            origin: Origin {
                id: format!("news/{name}"),
                path: format!("/news/{name}"),
            },
            shown: format!("news/{name}"),
            bytes: bytes.to_vec(),
            piece,
            problems: Vec::new(),
        }
    }

    fn parse(member: Member) -> ReadEvent {
        parse_member(
            "/news/file",
            member,
            &FormatOptions::default(),
            &mut json::SeenKeys::default(),
        )
    }

    /// The reason's kind of a skip, or what else the event is.
    fn skip_kind(event: &ReadEvent) -> &'static str {
        match event {
            ReadEvent::Skipped(skip) => skip.reason.kind(),
            ReadEvent::Parsed { .. } => "parsed",
            ReadEvent::Ignored => "ignored",
            ReadEvent::MemberDone { .. } => "member done",
            ReadEvent::FileDone { .. } => "done",
            ReadEvent::FileUnrecorded { .. } => "unrecorded",
        }
    }

    #[test]
    fn a_member_that_parses_gives_its_format_and_articles() {
        let text = " date 2025-03-17 Ferry sinks\n\nThe ferry sank.\n";
        let ReadEvent::Parsed {
            source,
            shown,
            starts_file,
            bytes,
            format,
            legacy,
            articles,
            problems,
        } = parse(member("a.txt", text.as_bytes(), None))
        else {
            panic!("not parsed");
        };
        assert_eq!(
            (source.as_str(), shown.as_str()),
            ("/news/file", "news/a.txt")
        );
        assert!(starts_file);
        assert_eq!(bytes, text.len() as u64);
        assert_eq!(format, Format::Text);
        assert!(!legacy);
        assert!(problems.is_empty());
        assert_eq!(articles.len(), 1);
        assert_eq!(articles[0].id, "news/a.txt");
        assert_eq!(articles[0].headline, "Ferry sinks");
        assert_eq!(articles[0].body, "The ferry sank.");

        // Detected by the text, and not UTF-8: read as Windows-1252.
        let ReadEvent::Parsed {
            format,
            legacy,
            articles,
            ..
        } = parse(member("b", b"Caf\xE9 opens\n\nA caf\xE9.\n", None))
        else {
            panic!("not parsed");
        };
        assert_eq!(format, Format::Headline);
        assert!(legacy);
        assert_eq!(articles[0].headline, "Café opens");
    }

    #[test]
    fn a_member_that_gives_nothing_is_skipped_with_the_reason() {
        for (name, bytes, kind) in [
            ("empty.txt", &b"  \n\n"[..], "empty"),
            ("binary.txt", b"a\0b", "binary"),
            (
                "baddate.txt",
                b" date 2025-13-45 Headline\n\nBody.\n",
                "bad date",
            ),
            ("none.json", b"[]", "malformed"),
        ] {
            let event = parse(member(name, bytes, None));
            assert_eq!(skip_kind(&event), kind, "{name}");
            let ReadEvent::Skipped(skip) = event else {
                unreachable!()
            };
            assert_eq!(skip.path, format!("news/{name}"));
        }
    }

    #[test]
    fn the_section_is_the_folder_holding_the_file() {
        for (id, section) in [
            ("bbc/business/001.txt", Some("business")),
            ("business/001.txt", Some("business")),
            ("001.txt", None),
            ("bbc-fulltext.tar.gz::bbc/tech/001.txt", Some("tech")),
            ("archives/bbc.zip::politics/001.txt", Some("politics")),
            ("archives/bbc.zip::001.txt", None),
            ("a/b/./x.txt", None),
            ("news/caf\\xE9/a.txt", Some("café")),
            ("news/café/a.txt", Some("café")),
            ("news/#1/a.txt", Some("#1")),
            ("news/two\nlines/a.txt", Some("two lines")),
            ("news/\t/a.txt", None),
        ] {
            assert_eq!(folder_section(id).as_deref(), section, "{id}");
        }
    }

    #[test]
    fn the_section_comes_from_the_folder_when_asked_and_the_file_names_none() {
        let sections = |id: &str, text: &str, section_from_folder: bool| {
            let mut member = member("x", text.as_bytes(), None);
            member.name = id.rsplit('/').next().unwrap_or(id).to_string();
            member.origin.id = id.to_string();
            let options = FormatOptions {
                section_from_folder,
                ..FormatOptions::default()
            };
            let event = parse_member("/x", member, &options, &mut json::SeenKeys::default());
            let ReadEvent::Parsed { articles, .. } = event else {
                panic!("{}", skip_kind(&event));
            };
            let sections: Vec<Option<String>> =
                articles.into_iter().map(|a| a.meta.section).collect();
            sections
        };
        let bbc = "Ad sales boost Time Warner profit\n\nQuarterly profits rose.\n";
        let business = vec![Some("business".to_string())];
        assert_eq!(sections("bbc/business/001.txt", bbc, true), business);
        assert_eq!(
            sections("bbc-fulltext.tar.gz::bbc/business/001.txt", bbc, true),
            business
        );
        assert_eq!(sections("001.txt", bbc, true), [None]);
        assert_eq!(sections("bbc.tar.gz::001.txt", bbc, true), [None]);
        assert_eq!(sections("bbc/business/001.txt", bbc, false), [None]);
        // Every article of a file of many, unless it names its own (or
        // names a blank one, which is none).
        let jsonl = "{\"title\": \"A\", \"section\": \"sport\"}\n\
                     {\"title\": \"B\", \"section\": \" \"}\n{\"title\": \"C\"}\n";
        assert_eq!(
            sections("feeds/world/a.jsonl", jsonl, true),
            [
                Some("sport".to_string()),
                Some("world".to_string()),
                Some("world".to_string())
            ]
        );
        // A piece of a large JSON-lines file too.
        let options = FormatOptions {
            section_from_folder: true,
            ..FormatOptions::default()
        };
        let mut piece = member("a.jsonl", jsonl.as_bytes(), Some(Piece { first_line: 1 }));
        piece.origin.id = "feeds/world/a.jsonl".into();
        let event = parse_member("/x", piece, &options, &mut json::SeenKeys::default());
        let ReadEvent::Parsed { articles, .. } = event else {
            panic!("{}", skip_kind(&event));
        };
        assert_eq!(articles[2].meta.section.as_deref(), Some("world"));
    }

    #[test]
    fn pieces_are_json_and_only_the_first_starts_the_file() {
        let mut seen = json::SeenKeys::default();
        let options = FormatOptions::default();
        let mut read = |first_line, text: &str| {
            let piece = Some(Piece { first_line });
            // (Named .txt: a piece is JSON whatever the name says.)
            match parse_member(
                "/f",
                member("f.txt", text.as_bytes(), piece),
                &options,
                &mut seen,
            ) {
                ReadEvent::Parsed {
                    format,
                    starts_file,
                    articles,
                    problems,
                    ..
                } => (format, starts_file, articles, problems),
                other => panic!("{}", skip_kind(&other)),
            }
        };
        let line =
            |id: &str| format!("{{\"id\": \"{id}\", \"headline\": \"H\", \"body\": \"B {id}\"}}\n");
        let (format, starts, articles, problems) = read(1, &(line("7") + &line("8")));
        assert_eq!((format, starts), (Format::Json, true));
        assert_eq!(articles.len(), 2);
        assert!(problems.is_empty());
        let (format, starts, articles, problems) = read(3, &line("7"));
        assert_eq!((format, starts), (Format::Json, false));
        // The pieces share what ids the file used.
        assert_eq!(articles[0].id, "news/f.txt#7-3");
        assert_eq!(problems.len(), 1);
    }

    /// What `read` sends for an entry.
    fn read_entry(entry: Entry, options: &IndexOptions, known: &KnownFiles) -> Vec<ReadEvent> {
        let stop = AtomicBool::new(false);
        read_resumed(entry, options, known, &HashMap::new(), &stop)
    }

    /// What `read` sends for an entry, resuming archives and with a stop
    /// flag.
    fn read_resumed(
        entry: Entry,
        options: &IndexOptions,
        known: &KnownFiles,
        resumed: &HashMap<String, HashSet<String>>,
        stop: &AtomicBool,
    ) -> Vec<ReadEvent> {
        let (sender, receiver) = mpsc::sync_channel(64);
        let mut batch = Batch::new(&sender);
        assert!(read(entry, options, known, resumed, stop, &mut batch).is_ok());
        assert!(batch.flush().is_ok());
        drop(sender);
        receiver.into_iter().flatten().collect()
    }

    /// A tar of three one-article members, `a.txt` to `c.txt`.
    fn three_member_tar(path: &Path) {
        let mut tar = tar::Builder::new(std::fs::File::create(path).unwrap());
        for name in ["a.txt", "b.txt", "c.txt"] {
            let text = format!(" date 2025-03-17 Story {name}\n\nAbout {name}.\n");
            let mut header = tar::Header::new_gnu();
            header.set_size(text.len() as u64);
            header.set_mode(0o644);
            header.set_cksum();
            tar.append_data(&mut header, name, text.as_bytes()).unwrap();
        }
        tar.finish().unwrap();
    }

    /// Events in short: `parsed NAME`, `member NAME`, and the rest by kind.
    fn in_short(events: &[ReadEvent]) -> Vec<String> {
        events
            .iter()
            .map(|event| match event {
                ReadEvent::Parsed { shown, .. } => {
                    format!("parsed {}", shown.rsplit(['/', ':']).next().unwrap())
                }
                ReadEvent::MemberDone { member, .. } => {
                    format!("member {}", member.rsplit('/').next().unwrap())
                }
                other => skip_kind(other).to_string(),
            })
            .collect()
    }

    #[test]
    fn an_archive_stops_between_members_and_resumes_after_those_done() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bundle.tar");
        three_member_tar(&path);
        let source = path_text(&path);
        let meta = std::fs::metadata(&path).unwrap();
        let options = IndexOptions::default();
        let known = KnownFiles::default();
        let entry = || walked(&path, "bundle.tar");

        let read_all = read_entry(entry(), &options, &known);
        assert_eq!(
            in_short(&read_all),
            [
                "parsed a.txt",
                "member a.txt",
                "parsed b.txt",
                "member b.txt",
                "parsed c.txt",
                "member c.txt",
                "done"
            ]
        );
        let ReadEvent::MemberDone {
            source: of,
            member,
            size,
            modified,
        } = &read_all[1]
        else {
            unreachable!()
        };
        assert_eq!(of, &source);
        assert!(
            member.ends_with("a.txt") && !member.contains("bundle"),
            "{member}"
        );
        assert_eq!(
            (*size, *modified),
            (meta.len(), crate::paths::modified_nanos(&meta))
        );

        // Ctrl-C: the member in hand is sent whole, then nothing, not even
        // a record or an unrecorded file.
        let stop = AtomicBool::new(true);
        let stopped = read_resumed(entry(), &options, &known, &HashMap::new(), &stop);
        assert_eq!(in_short(&stopped), ["parsed a.txt", "member a.txt"]);

        // Resumed: the members done are passed over.
        let resumed = HashMap::from([(source.clone(), HashSet::from([member.clone()]))]);
        let rest = read_resumed(entry(), &options, &known, &resumed, &AtomicBool::new(false));
        assert_eq!(
            in_short(&rest),
            [
                "parsed b.txt",
                "member b.txt",
                "parsed c.txt",
                "member c.txt",
                "done"
            ]
        );
        // A plain file is never left part read.
        let plain = dir.path().join("plain.txt");
        std::fs::write(&plain, " date 2025-03-17 Plain\n\nPlain.\n").unwrap();
        let events = read_resumed(
            walked(&plain, "plain.txt"),
            &options,
            &known,
            &HashMap::new(),
            &stop,
        );
        assert_eq!(in_short(&events), ["parsed plain.txt", "done"]);
    }

    fn walked(path: &Path, id: &str) -> Entry {
        let (len, modified) = match std::fs::metadata(path) {
            Ok(meta) => (meta.len(), crate::paths::modified_nanos(&meta)),
            Err(_) => (0, 0),
        };
        Entry::File(super::super::walk::SourceFile {
            path: path.to_path_buf(),
            absolute: path.to_path_buf(),
            id: id.into(),
            len,
            modified,
        })
    }

    #[test]
    fn ignored_and_unreadable_entries_say_so() {
        let options = IndexOptions::default();
        let known = KnownFiles::default();
        let events = read_entry(
            Entry::Ignored(PathBuf::from("/news/a.jpg")),
            &options,
            &known,
        );
        assert_eq!(
            events.iter().map(skip_kind).collect::<Vec<_>>(),
            ["ignored"]
        );
        let unreadable = Entry::Unreadable {
            path: PathBuf::from("/news/locked"),
            reason: "permission denied".into(),
        };
        let events = read_entry(unreadable, &options, &known);
        let [ReadEvent::Skipped(skip)] = events.as_slice() else {
            panic!("{:?}", events.iter().map(skip_kind).collect::<Vec<_>>());
        };
        assert_eq!(skip.path, "/news/locked");
        assert!(
            matches!(&skip.reason, SkipReason::Unreadable(why) if why == "permission denied"),
            "{}",
            skip.reason
        );
    }

    /// KnownFiles with a record of each source.
    fn known(sources: &[&str]) -> KnownFiles {
        let (index, fields) = schema::in_ram();
        let mut writer = index.writer_with_num_threads(1, 15 << 20).unwrap();
        for source in sources {
            let file = Fingerprint {
                source: source.to_string(),
                size: 1,
                modified: 1,
                hash: 1,
            };
            writer
                .add_document(schema::file_document(&fields, &file, "id"))
                .unwrap();
        }
        writer.commit().unwrap();
        KnownFiles::load(&index.reader().unwrap().searcher(), &fields).unwrap()
    }

    #[test]
    fn a_file_read_whole_ends_with_its_fingerprint_new_or_changed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        let text = " date 2025-03-17 Ferry sinks\n\nThe ferry sank.\n";
        std::fs::write(&path, text).unwrap();
        let source = path_text(&path);
        let meta = std::fs::metadata(&path).unwrap();
        let options = IndexOptions::default();
        for (known, want) in [
            (KnownFiles::default(), Status::New),
            (known(&[&source]), Status::Changed),
        ] {
            let events = read_entry(walked(&path, "news/a.txt"), &options, &known);
            let [ReadEvent::Parsed { articles, .. }, ReadEvent::FileDone { file, id, status }] =
                events.as_slice()
            else {
                panic!("{:?}", events.iter().map(skip_kind).collect::<Vec<_>>());
            };
            assert_eq!(articles[0].id, "news/a.txt");
            assert_eq!(articles[0].path, source);
            assert_eq!(
                *file,
                Fingerprint {
                    source: source.clone(),
                    size: text.len() as u64,
                    modified: crate::paths::modified_nanos(&meta),
                    hash: xxhash_rust::xxh3::xxh3_64(text.as_bytes()),
                }
            );
            assert_eq!(id, "news/a.txt");
            assert_eq!(*status, want);
        }
    }

    #[test]
    fn a_file_not_read_whole_gets_no_record() {
        let dir = tempfile::tempdir().unwrap();
        let known = KnownFiles::default();
        // Gone since the walk.
        let gone = dir.path().join("gone.txt");
        let events = read_entry(walked(&gone, "gone.txt"), &IndexOptions::default(), &known);
        let kinds: Vec<&str> = events.iter().map(skip_kind).collect();
        assert_eq!(kinds, ["unreadable", "unrecorded"]);
        assert!(
            matches!(&events[1], ReadEvent::FileUnrecorded { source } if *source == path_text(&gone))
        );
        // Over the size limit.
        let big = dir.path().join("big.txt");
        std::fs::write(&big, " date 2025-03-17 Big\n\nA long body.\n").unwrap();
        let options = IndexOptions {
            max_article_size: 8,
            ..IndexOptions::default()
        };
        let events = read_entry(walked(&big, "big.txt"), &options, &known);
        let kinds: Vec<&str> = events.iter().map(skip_kind).collect();
        assert_eq!(kinds, ["too large", "unrecorded"]);
    }
}
