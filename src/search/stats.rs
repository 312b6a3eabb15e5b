//! What is in an index: how many articles, which dates, how big.

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{ExistsQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::Term;
use tantivy::{DateTime, Order};
use time::Date;

use crate::error::{InIndex, Result};
use crate::index::schema::{self, DocKind, Fields};
use crate::index::ArchiveIndex;
use crate::search::facets::{self, FacetKind, FacetValue};
use crate::search::query;

/// What an index holds.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct IndexStats {
    /// Articles (copies not counted).
    pub articles: u64,
    /// Articles without a date.
    pub undated: u64,
    /// Copies of indexed articles found in other files (not indexed again).
    pub duplicates: u64,
    /// Files the index was built from (an archive counts once).
    pub files: u64,
    /// Members of archives (`.tar`, `.zip`) that hold articles or copies:
    /// what `files` counts as one archive.
    pub members: u64,
    /// The earliest date.
    pub oldest: Option<Date>,
    /// The latest date.
    pub newest: Option<Date>,
    /// Bytes of every file in the index directory.
    pub size_bytes: u64,
    /// tantivy segments in the last commit.
    pub segments: usize,
    /// The sources most articles came from, most first (at most
    /// ten); empty when no article names its source.
    pub top_sources: Vec<FacetValue>,
    /// Stories of two or more near-copies, as the last indexing run
    /// grouped them.
    pub stories: u64,
    /// The articles in those stories.
    pub articles_in_stories: u64,
}

/// How many sources [`IndexStats::top_sources`] lists.
pub const TOP_SOURCES: usize = 10;

/// Counts what the index's last commit holds.
pub fn collect(index: &ArchiveIndex) -> Result<IndexStats> {
    let searcher = index.reader()?.searcher();
    let has_date = ExistsQuery::new(Fields::DATE_NAME.to_string(), false);
    let dated = searcher.search(&has_date, &Count).in_index(index.dir())?;
    let end = |order| -> Result<Option<Date>> {
        let top = TopDocs::with_limit(1).order_by_fast_field::<DateTime>(Fields::DATE_NAME, order);
        let found = searcher.search(&has_date, &top).in_index(index.dir())?;
        Ok(found
            .first()
            .and_then(|(date, _)| *date)
            .map(schema::from_datetime))
    };
    let (articles, sources) = facets::count_with_facets(
        index,
        &searcher,
        &*query::all_articles(index.fields()),
        &[FacetKind::Source],
        TOP_SOURCES,
    )?;
    let articles = articles as u64;
    let stories = index.stories()?;
    let count_kind = |kind: DocKind| -> Result<u64> {
        let query = TermQuery::new(
            Term::from_field_u64(index.fields().kind, kind.code()),
            IndexRecordOption::Basic,
        );
        Ok(searcher.search(&query, &Count).in_index(index.dir())? as u64)
    };
    Ok(IndexStats {
        articles,
        undated: articles.saturating_sub(dated as u64),
        duplicates: count_kind(DocKind::Duplicate)?,
        files: count_kind(DocKind::File)?,
        members: archive_members(&searcher, index.fields()).in_index(index.dir())?,
        oldest: end(Order::Asc)?,
        newest: end(Order::Desc)?,
        size_bytes: dir_size(index.dir()),
        segments: searcher.segment_readers().len(),
        top_sources: sources.into_iter().flat_map(|facet| facet.values).collect(),
        stories: stories.len() as u64,
        articles_in_stories: stories.members() as u64,
    })
}

/// Distinct archive members (ids with `::`, cut before a `#key`) that
/// have a live article or copy.
fn archive_members(searcher: &tantivy::Searcher, fields: &Fields) -> tantivy::Result<u64> {
    let members = crate::index::live_terms(searcher, fields.id, |id| {
        crate::article::member(id)?;
        Some(id.split_once('#').map_or(id, |(member, _)| member))
    })?;
    Ok(members.len() as u64)
}

fn dir_size(dir: &std::path::Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|entry| entry.ok()?.metadata().ok())
        .filter(|meta| meta.is_file())
        .map(|meta| meta.len())
        .sum()
}
