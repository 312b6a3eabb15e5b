//! A union that seeks each of its clauses directly, for a search whose
//! date filter keeps a small part of the archive.
//!
//! A word searched anywhere is a union of its headline and body queries
//! (a phrase too). tantivy's union, asked to seek, fills a window of the
//! next 4,096 documents from every clause, which for a phrase means
//! checking positions across the whole window. When a narrow date range
//! drives a search, it seeks far ahead each time, and the windows cost as
//! much as walking every match. Seeking each clause to the target instead
//! visits only the candidates the range lets through. Scores are the sum
//! of the clauses' that match, added in the clauses' order, as tantivy's
//! union adds them.

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, TantivyError, Term, TERMINATED};

/// The union of `clauses`, each sought on its own.
#[derive(Debug)]
pub struct SeekingUnion {
    clauses: Vec<Box<dyn Query>>,
}

impl SeekingUnion {
    /// The union of `clauses`.
    pub fn new(clauses: Vec<Box<dyn Query>>) -> SeekingUnion {
        SeekingUnion { clauses }
    }
}

impl Clone for SeekingUnion {
    fn clone(&self) -> SeekingUnion {
        SeekingUnion {
            clauses: self
                .clauses
                .iter()
                .map(|clause| clause.box_clone())
                .collect(),
        }
    }
}

impl Query for SeekingUnion {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let weights = self
            .clauses
            .iter()
            .map(|clause| clause.weight(scoring))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Box::new(SeekingUnionWeight { weights }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for clause in &self.clauses {
            clause.query_terms(visitor);
        }
    }
}

struct SeekingUnionWeight {
    weights: Vec<Box<dyn Weight>>,
}

impl Weight for SeekingUnionWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let scorers = self
            .weights
            .iter()
            .map(|weight| weight.scorer(reader, boost))
            .collect::<tantivy::Result<Vec<_>>>()?;
        let doc = scorers
            .iter()
            .map(|scorer| scorer.doc())
            .min()
            .unwrap_or(TERMINATED);
        Ok(Box::new(SeekingUnionScorer { scorers, doc }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        }
        Ok(Explanation::new("union of its clauses", scorer.score()))
    }
}

struct SeekingUnionScorer {
    scorers: Vec<Box<dyn Scorer>>,
    doc: DocId,
}

impl DocSet for SeekingUnionScorer {
    fn advance(&mut self) -> DocId {
        let current = self.doc;
        let mut next = TERMINATED;
        for scorer in &mut self.scorers {
            let mut doc = scorer.doc();
            if doc == current {
                doc = scorer.advance();
            }
            next = next.min(doc);
        }
        self.doc = next;
        next
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        let mut next = TERMINATED;
        for scorer in &mut self.scorers {
            let mut doc = scorer.doc();
            if doc < target {
                doc = scorer.seek(target);
            }
            next = next.min(doc);
        }
        self.doc = next;
        next
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.scorers
            .iter()
            .map(|scorer| scorer.size_hint())
            .fold(0u32, u32::saturating_add)
    }

    fn cost(&self) -> u64 {
        self.scorers.iter().map(|scorer| scorer.cost()).sum()
    }
}

impl Scorer for SeekingUnionScorer {
    fn score(&mut self) -> Score {
        let doc = self.doc;
        let mut total = 0.0;
        for scorer in &mut self.scorers {
            if scorer.doc() == doc {
                total += scorer.score();
            }
        }
        total
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, TermQuery};
    use tantivy::schema::{IndexRecordOption, Schema, TEXT};
    use tantivy::{doc, Index, IndexWriter};

    #[test]
    fn it_matches_and_scores_as_tantivys_union_when_walked_and_when_sought() {
        let mut builder = Schema::builder();
        let head = builder.add_text_field("head", TEXT);
        let body = builder.add_text_field("body", TEXT);
        let index = Index::create_in_ram(builder.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        // 3,000 documents, so that seeks jump over tantivy's windows.
        for n in 0..3000u32 {
            let words = |k: u32| if n % k == 0 { "oil prices" } else { "grain" };
            writer
                .add_document(doc!(
                    head => words(7),
                    body => format!("{} {} {}", words(5), words(11), if n % 97 == 0 { "rare" } else { "x" }),
                ))
                .unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let term = |field, word| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, word),
                IndexRecordOption::WithFreqs,
            ))
        };
        let phrase = |field| -> Box<dyn Query> {
            Box::new(PhraseQuery::new(vec![
                Term::from_field_text(field, "oil"),
                Term::from_field_text(field, "prices"),
            ]))
        };
        let clauses = |kind: &str| -> Vec<Box<dyn Query>> {
            match kind {
                "word" => vec![
                    Box::new(BoostQuery::new(term(head, "oil"), 2.0)),
                    term(body, "oil"),
                ],
                _ => vec![Box::new(BoostQuery::new(phrase(head), 2.0)), phrase(body)],
            }
        };
        for kind in ["word", "phrase"] {
            let theirs: Box<dyn Query> = Box::new(BooleanQuery::new(
                clauses(kind)
                    .into_iter()
                    .map(|c| (Occur::Should, c))
                    .collect(),
            ));
            let ours: Box<dyn Query> = Box::new(SeekingUnion::new(clauses(kind)));
            // Walked alone, and sought by a rare word that drives.
            for driven in [false, true] {
                let run = |union: Box<dyn Query>| {
                    let query: Box<dyn Query> = if driven {
                        Box::new(BooleanQuery::new(vec![
                            (Occur::Must, union),
                            (Occur::Must, term(body, "rare")),
                        ]))
                    } else {
                        union
                    };
                    let count = searcher.search(&query, &Count).unwrap();
                    let top = searcher
                        .search(&query, &TopDocs::with_limit(5000).order_by_score())
                        .unwrap();
                    (count, top)
                };
                let (count, top) = run(theirs.box_clone());
                assert!(
                    count > if driven { 5 } else { 500 },
                    "{kind} {driven}: {count}"
                );
                assert_eq!((count, top), run(ours.box_clone()), "{kind} {driven}");
            }
        }
    }
}
