//! What a server answers from: one index on this machine, or the shards
//! of an archive on others (`--shards`), behind the same calls. Each call
//! answers as the library does for one index, and says, for shards, how
//! many of them answered.

use std::time::Instant;

use dateline::{
    facets, index_stats, search, trend, trend_fitted, ArchiveIndex, DateFilter, Facet, FacetKind,
    IndexStats, SearchRequest, SearchResults, Trend, TrendRequest,
};

use super::coordinator::{Coverage, Shards};
use super::Refusal;

/// The archive a server answers from.
pub enum Archive {
    /// An index of its own.
    Index(Box<ArchiveIndex>),
    /// Shard servers, whose answers it merges.
    Shards(Shards),
}

/// An answer, and for shards how many answered (`None` for one index).
pub type Answer<T> = Result<(T, Option<Coverage>), Refusal>;

impl Archive {
    /// As [`dateline::search`], with the facets of `kinds` when any are
    /// asked for (counting the time they take).
    pub fn search(
        &self,
        request: &SearchRequest,
        kinds: &[FacetKind],
        size: usize,
    ) -> Answer<SearchResults> {
        let started = Instant::now();
        let (mut results, coverage) = match self {
            Archive::Index(index) => (search(index, request)?, None),
            Archive::Shards(shards) => {
                let (results, coverage) = shards.search(request)?;
                (results, Some(coverage))
            }
        };
        let mut coverage = coverage;
        if !kinds.is_empty() {
            let (found, more) = self.facets(&request.query, &request.filter, kinds, size)?;
            results.facets = found;
            coverage = both(coverage, more);
        }
        results.took = started.elapsed();
        Ok((results, coverage))
    }

    /// As [`dateline::facets`].
    pub fn facets(
        &self,
        query: &str,
        filter: &DateFilter,
        kinds: &[FacetKind],
        size: usize,
    ) -> Answer<Vec<Facet>> {
        match self {
            Archive::Index(index) => Ok((facets(index, query, filter, kinds, size)?, None)),
            Archive::Shards(shards) => {
                let (found, coverage) = shards.facets(query, filter, kinds, size)?;
                Ok((found, Some(coverage)))
            }
        }
    }

    /// As [`dateline::trend`] or, with `bars`, [`dateline::trend_fitted`].
    pub fn trend(&self, request: &TrendRequest, bars: Option<usize>) -> Answer<Trend> {
        match self {
            Archive::Index(index) => Ok((
                match bars {
                    Some(bars) => trend_fitted(index, request, bars)?,
                    None => trend(index, request)?,
                },
                None,
            )),
            Archive::Shards(shards) => {
                let (found, coverage) = shards.trend(request, bars)?;
                Ok((found, Some(coverage)))
            }
        }
    }

    /// As [`dateline::index_stats`].
    pub fn stats(&self) -> Answer<IndexStats> {
        match self {
            Archive::Index(index) => Ok((index_stats(index)?, None)),
            Archive::Shards(shards) => {
                let (found, coverage) = shards.stats()?;
                Ok((found, Some(coverage)))
            }
        }
    }
}

/// The shards of two answers of one request: those that failed in either.
pub fn both(a: Option<Coverage>, b: Option<Coverage>) -> Option<Coverage> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.and(b)),
        (a, b) => a.or(b),
    }
}
