//! What a run tells as it goes ([`Progress`]) and when it is done
//! ([`Summary`]), and the files it skipped ([`Skip`]).

use std::collections::BTreeMap;
use std::time::Duration;

use indicatif::HumanBytes;

use super::formats::{Format, ParseError};

/// A file (or archive member) that gave no article, and why.
#[derive(Debug)]
pub struct Skip {
    /// As given on the command line; `archive!/member` inside archives.
    pub path: String,
    /// Why it was skipped.
    pub reason: SkipReason,
}

/// Why a file or member gave no article.
#[derive(Debug, thiserror::Error)]
pub enum SkipReason {
    /// Its format could not be read.
    #[error("{0}")]
    Parse(#[from] ParseError),
    /// It could not be read at all (permissions, a broken archive).
    #[error("{0}")]
    Unreadable(String),
    /// `size` is `None` when it only showed while decompressing.
    #[error("too large: {} the {} limit (--max-article-size)",
        .size.map_or("more than".to_string(), |size| format!("{} is over", HumanBytes(size))),
        HumanBytes(*.limit))]
    TooLarge {
        /// Its size, if known before reading.
        size: Option<u64>,
        /// The limit it is over.
        limit: u64,
    },
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
    /// Files and members that gave articles (or duplicates).
    pub files_indexed: u64,
    /// Articles added to the index (duplicates not counted).
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
    /// Files read again because they changed.
    pub files_changed: u64,
    /// Files left alone because they did not change.
    pub files_unchanged: u64,
    /// Files whose articles were removed because they are gone.
    pub files_removed: u64,
    /// Articles not indexed because the same headline and body already are.
    pub duplicates: u64,
    /// Stories of two or more near-copies in the whole index after the
    /// run, and the articles in them.
    pub stories: u64,
    /// The articles in [`Summary::stories`].
    pub articles_in_stories: u64,
    /// Stopped early (Ctrl-C): what was done is committed.
    pub interrupted: bool,
    /// How long the run took.
    pub elapsed: Duration,
}

impl Summary {
    /// Files and members skipped, of every kind.
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
