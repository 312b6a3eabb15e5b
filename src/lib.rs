//! dateline: full-text search for news archives.
//!
//! Data flows one way. Indexing: [`Roots`] (the PATHs) → [`index_files`]
//! (walk, containers, formats, dedup) → an [`ArchiveIndex`]. Searching: a
//! [`SearchRequest`] → [`search()`] → [`Hit`]s with highlighted snippets;
//! beside it [`lookup`], [`related()`], [`trend()`], [`index_stats`] and
//! [`export()`] (every match, whole, for another search engine). The
//! `dateline` binary (the CLI) and any other front end call these and
//! print what they return.
//!
//! The modules are private; this page is the library's whole interface.
//! `ARCHITECTURE.md` maps the rooms behind it.
#![warn(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod article;
mod dates;
mod error;
mod index;
mod ingest;
mod paths;
pub mod relevance;
mod search;
mod text;

pub use article::{member as archive_member, Article, Metadata, Tag, MEMBER_SEPARATOR};
pub use dates::{Clock, DateFilter, DateSpan, Iso, Period};
pub use error::{Error, IndexError, Result, UserError};
pub use index::{ArchiveIndex, FORMAT_VERSION};
pub use ingest::formats::{FieldMap, Format, KeyFor};
pub use ingest::walk::Roots;
pub use ingest::{
    run as index_files, FormatOptions, IndexOptions, Progress, Silent, Skip, SkipReason, Summary,
    DEFAULT_COMMIT_EVERY, DEFAULT_MAX_ARTICLE_SIZE, DEFAULT_MEMORY_MB,
};
pub use ingest::{shard_of, Shard, SHARD_FILE};
pub use search::export::{export, Export, Exported};
pub use search::facets::{
    facets, search_with_facets, Facet, FacetKind, FacetValue, DEFAULT_FACET_SIZE, MAX_FACET_SIZE,
};
pub use search::lookup::{lookup, Duplicate, Found};
pub use search::query::SYNTAX_HELP;
pub use search::related::{related, RelatedRequest, RelatedResults};
pub use search::shards;
pub use search::snippet::Highlighted;
pub use search::stats::{collect as index_stats, IndexStats};
pub use search::stories::{
    differences, list_stories, ListedStory, StoriesRequest, StoriesResults, StoryMember, StoryOf,
};
pub use search::suggest::{operators_meant, Suggestion};
pub use search::trend::{
    trend, trend_fitted, Counting, PeriodCount, Series, Trend, TrendRequest, MAX_SERIES,
};
pub use search::{
    count, highlight, search, Hit, MostWords, SearchRequest, SearchResults, Sort,
    DEFAULT_SNIPPET_CHARS, EXACT_TOTAL_UP_TO,
};
pub use text::{for_terminal, on_one_line, thousands, QUOTED_CHARS};

/// The library's insides, for the fuzz targets, the property tests and
/// the benchmarks: not a stable interface.
#[doc(hidden)]
pub mod internals {
    pub use crate::article::Origin;
    pub use crate::index::{analyzer, schema};
    pub use crate::ingest::{container, formats, walk};
    pub use crate::search::{query, snippet};

    /// Dates as typed and as indexed.
    pub mod dates {
        pub use crate::dates::*;
    }

    /// Paths as stored.
    pub mod paths {
        pub use crate::paths::*;
    }
}
