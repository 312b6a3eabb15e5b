//! How a run may use the machine and how it reads files, with the
//! defaults the command line shows.

use super::formats::FormatOptions;

/// The default of [`IndexOptions::max_article_size`]: 16 MiB, a hundred
/// times the longest real article we know of.
pub const DEFAULT_MAX_ARTICLE_SIZE: u64 = 16 << 20;

/// The default of [`IndexOptions::memory_mb`].
pub const DEFAULT_MEMORY_MB: usize = 256;

/// The default of [`IndexOptions::commit_every`].
pub const DEFAULT_COMMIT_EVERY: u64 = 100_000;

/// How the indexer may use the machine, and how it reads files.
#[derive(Debug, Clone)]
pub struct IndexOptions {
    /// Threads for parsing, and as many for tantivy's indexing.
    pub threads: usize,
    /// tantivy's memory budget across all indexing threads, in MiB.
    pub memory_mb: usize,
    /// How files are parsed (a forced format, JSON keys).
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
            memory_mb: DEFAULT_MEMORY_MB,
            formats: FormatOptions::default(),
            rebuild: false,
            commit_every: DEFAULT_COMMIT_EVERY,
            max_article_size: DEFAULT_MAX_ARTICLE_SIZE,
        }
    }
}
