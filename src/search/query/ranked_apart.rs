//! A weight that searches as its inner query does, but ranks a page its
//! own way: what [`super::WordsAnded`] and [`super::HeadlineFirst`] share.

use tantivy::query::{Explanation, Scorer, Weight};
use tantivy::{DocId, Score, SegmentReader};

/// How a query ranks a page of one segment without scoring every match:
/// as [`Weight::for_each_pruning`], given the query's own weight to fall
/// back on.
pub(super) trait PageRanking: Send + Sync + 'static {
    fn rank(
        &self,
        inner: &dyn Weight,
        threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()>;
}

/// `inner` for everything but ranking a page, which `ranking` does (when
/// the search scores).
pub(super) struct RankedWeight<R> {
    pub(super) inner: Box<dyn Weight>,
    pub(super) ranking: Option<R>,
}

impl<R: PageRanking> Weight for RankedWeight<R> {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        self.inner.scorer(reader, boost)
    }

    fn scorer_danger(
        &self,
        reader: &SegmentReader,
        target: DocId,
        boost: Score,
    ) -> tantivy::Result<(tantivy::SeekDangerResult, Box<dyn Scorer>)> {
        self.inner.scorer_danger(reader, target, boost)
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.inner.explain(reader, doc)
    }

    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        self.inner.count(reader)
    }

    fn for_each(
        &self,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score),
    ) -> tantivy::Result<()> {
        self.inner.for_each(reader, callback)
    }

    fn for_each_no_score(
        &self,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(&[DocId]),
    ) -> tantivy::Result<()> {
        self.inner.for_each_no_score(reader, callback)
    }

    fn for_each_pruning(
        &self,
        threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        match &self.ranking {
            Some(ranking) => ranking.rank(&*self.inner, threshold, reader, callback),
            None => self.inner.for_each_pruning(threshold, reader, callback),
        }
    }
}
