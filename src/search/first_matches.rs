//! A query that stops after its first matches in each segment: how a
//! search sorted by date finds out, in one short walk, whether it matches
//! few articles (then the walk found them all, and its page and count are
//! exact) or many (then it looks among the latest days instead: see
//! `latest_days` in the parent module).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED};

/// `query`'s matches, at most `limit` in each segment (deleted ones
/// included); [`FirstMatches::stopped`] says whether any were left out.
#[derive(Debug)]
pub struct FirstMatches {
    query: Box<dyn Query>,
    limit: u32,
    stopped: Arc<AtomicBool>,
}

impl FirstMatches {
    pub fn new(query: Box<dyn Query>, limit: usize) -> FirstMatches {
        FirstMatches {
            query,
            limit: u32::try_from(limit).unwrap_or(u32::MAX).max(1),
            stopped: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Whether a search with this query stopped short of some match.
    pub fn stopped(&self) -> bool {
        self.stopped.load(Ordering::Relaxed)
    }
}

impl Clone for FirstMatches {
    fn clone(&self) -> FirstMatches {
        FirstMatches {
            query: self.query.box_clone(),
            limit: self.limit,
            stopped: Arc::clone(&self.stopped),
        }
    }
}

impl Query for FirstMatches {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(FirstMatchesWeight {
            inner: self.query.weight(enable_scoring)?,
            limit: self.limit,
            stopped: Arc::clone(&self.stopped),
        }))
    }
}

struct FirstMatchesWeight {
    inner: Box<dyn Weight>,
    limit: u32,
    stopped: Arc<AtomicBool>,
}

impl Weight for FirstMatchesWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(FirstMatchesScorer {
            inner: self.inner.scorer(reader, boost)?,
            left: self.limit - 1,
            done: false,
            stopped: Arc::clone(&self.stopped),
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.inner.explain(reader, doc)
    }
}

struct FirstMatchesScorer {
    inner: Box<dyn Scorer>,
    /// How many more matches may follow the current one.
    left: u32,
    done: bool,
    stopped: Arc<AtomicBool>,
}

impl DocSet for FirstMatchesScorer {
    fn advance(&mut self) -> DocId {
        if self.done {
            return TERMINATED;
        }
        let next = self.inner.advance();
        if next == TERMINATED {
            self.done = true;
        } else if self.left == 0 {
            self.done = true;
            self.stopped.store(true, Ordering::Relaxed);
            return TERMINATED;
        } else {
            self.left -= 1;
        }
        next
    }

    fn doc(&self) -> DocId {
        if self.done {
            TERMINATED
        } else {
            self.inner.doc()
        }
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint().min(self.left + 1)
    }
}

impl Scorer for FirstMatchesScorer {
    fn score(&mut self) -> Score {
        self.inner.score()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::Count;
    use tantivy::query::AllQuery;
    use tantivy::schema::{Schema, STRING};
    use tantivy::{doc, Index};

    #[test]
    fn stops_after_the_limit_in_each_segment_and_says_so() {
        let mut schema = Schema::builder();
        let id = schema.add_text_field("id", STRING);
        let index = Index::create_in_ram(schema.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for segment in [5, 3] {
            for n in 0..segment {
                writer.add_document(doc!(id => n.to_string())).unwrap();
            }
            writer.commit().unwrap();
        }
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), 2);
        for (limit, count, stopped) in [(1, 2, true), (3, 6, true), (4, 7, true), (5, 8, false)] {
            let query = FirstMatches::new(Box::new(AllQuery), limit);
            assert_eq!(searcher.search(&query, &Count).unwrap(), count, "{limit}");
            assert_eq!(query.stopped(), stopped, "{limit}");
        }
    }
}
