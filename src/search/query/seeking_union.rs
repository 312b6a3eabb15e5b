//! A union that seeks each of its clauses directly, for a search whose
//! date filter keeps a small part of the archive.
//!
//! A word searched anywhere is a union of its headline and body queries
//! (a phrase too). tantivy's union, asked to seek, fills a window of the
//! next 4,096 documents from every clause, which for a phrase means
//! checking positions across the whole window. When a narrow date range
//! drives a search, it seeks far ahead each time, and the windows cost as
//! much as walking every match. Seeking each clause to the target instead
//! visits only the candidates the range lets through. Better still, when
//! tantivy's intersection only asks whether a document matches
//! (`seek_danger`), each clause is asked about that document alone: a
//! phrase then checks positions there only, where a seek would walk on to
//! its next match. Scores are the sum of the clauses' that match, added in
//! the clauses' order, as tantivy's union adds them.

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{
    DocId, DocSet, Score, SeekDangerResult, SegmentReader, TantivyError, Term, TERMINATED,
};

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
        let clauses = self
            .weights
            .iter()
            .map(|weight| Ok(AskedScorer::new(weight.scorer(reader, boost)?)))
            .collect::<tantivy::Result<Vec<_>>>()?;
        let doc = clauses
            .iter()
            .map(|clause| clause.scorer.doc())
            .min()
            .unwrap_or(TERMINATED);
        Ok(Box::new(SeekingUnionScorer { clauses, doc }))
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

/// A scorer that may be asked about one document at a time (tantivy's
/// `seek_danger`) and still be sought, walked and scored: it keeps where
/// such a question left it. A clause of [`SeekingUnion`]; the body's phrase
/// of [`super::HeadlineFirst`].
pub(super) struct AskedScorer {
    scorer: Box<dyn Scorer>,
    /// `Some(from)` when the clause was last asked about one document
    /// (tantivy's `seek_danger`) and does not hold it: it may then stand
    /// anywhere, and holds nothing before `from`. `None` when it stands on
    /// its `doc()`, as after `seek` or `advance`.
    past: Option<DocId>,
}

impl AskedScorer {
    pub(super) fn new(scorer: Box<dyn Scorer>) -> AskedScorer {
        AskedScorer { scorer, past: None }
    }

    /// The clause's first document at or after `target`, standing on it.
    fn seek(&mut self, target: DocId) -> DocId {
        match self.past.take() {
            None if self.scorer.doc() >= target => self.scorer.doc(),
            None => self.scorer.seek(target),
            // Out of the state `seek_danger` may leave, only by asking
            // about documents one by one from where it said to.
            Some(mut from) => loop {
                from = from.max(target);
                if from == TERMINATED {
                    // (As tantivy's own docsets do, back to a state in
                    // which it stands past its last document.)
                    return self.scorer.seek(TERMINATED);
                }
                match self.scorer.seek_danger(from) {
                    SeekDangerResult::Found => return from,
                    SeekDangerResult::SeekLowerBound(next) => from = next,
                }
            },
        }
    }

    /// Whether the clause holds `target`, later than any document it was
    /// asked about before; if not, the first document it might hold.
    pub(super) fn holds(&mut self, target: DocId) -> Result<(), DocId> {
        let from = match self.past {
            None if self.scorer.doc() >= target => {
                let doc = self.scorer.doc();
                return if doc == target { Ok(()) } else { Err(doc) };
            }
            None => target,
            Some(from) => from,
        };
        if from > target {
            return Err(from);
        }
        match self.scorer.seek_danger(target) {
            SeekDangerResult::Found => {
                self.past = None;
                Ok(())
            }
            SeekDangerResult::SeekLowerBound(next) => {
                self.past = Some(next);
                Err(next)
            }
        }
    }

    /// Whether the clause stands on `doc` (and holds it).
    fn on(&self, doc: DocId) -> bool {
        self.past.is_none() && self.scorer.doc() == doc
    }

    /// The score of the document it stands on, which it holds.
    pub(super) fn score(&mut self) -> Score {
        self.scorer.score()
    }
}

struct SeekingUnionScorer {
    clauses: Vec<AskedScorer>,
    doc: DocId,
}

impl DocSet for SeekingUnionScorer {
    fn advance(&mut self) -> DocId {
        let current = self.doc;
        let mut next = TERMINATED;
        for clause in &mut self.clauses {
            let doc = if clause.on(current) {
                clause.scorer.advance()
            } else {
                clause.seek(current.saturating_add(1))
            };
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
        for clause in &mut self.clauses {
            next = next.min(clause.seek(target));
        }
        self.doc = next;
        next
    }

    /// Whether any clause holds `target`, each asked about that document
    /// alone: a phrase then checks positions there only, where seeking it
    /// would walk on to its next match, checking positions all the way.
    fn seek_danger(&mut self, target: DocId) -> SeekDangerResult {
        if target == TERMINATED {
            return SeekDangerResult::SeekLowerBound(TERMINATED);
        }
        let mut found = false;
        let mut next = TERMINATED;
        for clause in &mut self.clauses {
            match clause.holds(target) {
                Ok(()) => found = true,
                Err(from) => next = next.min(from),
            }
        }
        if found {
            self.doc = target;
            SeekDangerResult::Found
        } else {
            SeekDangerResult::SeekLowerBound(next)
        }
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.clauses
            .iter()
            .map(|clause| clause.scorer.size_hint())
            .fold(0u32, u32::saturating_add)
    }

    fn cost(&self) -> u64 {
        self.clauses.iter().map(|clause| clause.scorer.cost()).sum()
    }
}

impl Scorer for SeekingUnionScorer {
    fn score(&mut self) -> Score {
        let doc = self.doc;
        let mut total = 0.0;
        for clause in &mut self.clauses {
            if clause.on(doc) {
                total += clause.scorer.score();
            }
        }
        total
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::EnableScoring;
    use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, TermQuery};
    use tantivy::schema::{Field, IndexRecordOption, Schema, TEXT};
    use tantivy::{doc, Index, IndexWriter};

    /// An index in memory of a `head` and a `body` field, and its writer.
    fn head_and_body() -> (Index, Field, Field, IndexWriter) {
        let mut builder = Schema::builder();
        let head = builder.add_text_field("head", TEXT);
        let body = builder.add_text_field("body", TEXT);
        let index = Index::create_in_ram(builder.build());
        let writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        (index, head, body, writer)
    }

    fn term(field: Field, word: &str) -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, word),
            IndexRecordOption::WithFreqs,
        ))
    }

    /// The phrase "oil prices" in `field`.
    fn phrase(field: Field) -> Box<dyn Query> {
        Box::new(PhraseQuery::new(vec![
            Term::from_field_text(field, "oil"),
            Term::from_field_text(field, "prices"),
        ]))
    }

    /// A union's clauses as the search makes them, the headline's boosted:
    /// for `"word"`, `oil` in the headline and `body_word` in the body; for
    /// `"phrase"`, "oil prices" in each.
    fn clauses(kind: &str, head: Field, body: Field, body_word: &str) -> Vec<Box<dyn Query>> {
        match kind {
            "word" => vec![
                Box::new(BoostQuery::new(term(head, "oil"), 2.0)),
                term(body, body_word),
            ],
            _ => vec![Box::new(BoostQuery::new(phrase(head), 2.0)), phrase(body)],
        }
    }

    #[test]
    fn it_matches_and_scores_as_tantivys_union_when_walked_and_when_sought() {
        let (index, head, body, mut writer) = head_and_body();
        // 3,000 documents, so that seeks jump over tantivy's windows.
        for n in 0..3000u32 {
            let words = |k: u32| if n % k == 0 { "oil prices" } else { "grain" };
            writer
                .add_document(doc!(
                    head => words(7),
                    body => format!(
                        "{} {} {} {}",
                        words(5),
                        words(11),
                        // Both words, not side by side: a phrase's
                        // positions rule these out.
                        if n % 3 == 0 { "prices grain oil" } else { "y" },
                        if n % 97 == 0 { "rare" } else { "x" }
                    ),
                ))
                .unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let clauses = |kind: &str| clauses(kind, head, body, "oil");
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

    /// Any mix of `seek_danger`, `seek` and `advance`, as tantivy's
    /// intersections make them, lands where tantivy's union says and scores
    /// what it scores, to the bit; `seek_danger` finds exactly the union's
    /// documents and otherwise names a next candidate no later than the
    /// union's next document.
    #[test]
    fn asked_about_documents_one_by_one_it_agrees_with_tantivys_union() {
        let (index, head, body, mut writer) = head_and_body();
        for n in 0..6000u32 {
            let text = match n % 7 {
                0 => "oil prices rose",
                1 | 4 => "prices of oil",
                2 => "grain",
                _ if n % 5 == 0 => "the oil prices",
                _ => "oil and gold",
            };
            let headline = if n % 13 == 0 { "oil prices" } else { "news" };
            writer
                .add_document(doc!(head => headline, body => text))
                .unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let reader = searcher.segment_reader(0);
        let mut below = super::super::numbers_below(0x9e37_79b9_7f4a_7c15);
        let mut next = move |n: u32| below(n as usize) as u32;
        for kind in ["word", "phrase"] {
            let clauses = || clauses(kind, head, body, "prices");
            let scoring = EnableScoring::enabled_from_searcher(&searcher);
            // The truth: tantivy's union walked, every document and score.
            let theirs =
                BooleanQuery::new(clauses().into_iter().map(|c| (Occur::Should, c)).collect());
            let mut truth = Vec::new();
            let mut walked = theirs.weight(scoring).unwrap().scorer(reader, 1.0).unwrap();
            while walked.doc() != TERMINATED {
                truth.push((walked.doc(), walked.score().to_bits()));
                walked.advance();
            }
            assert!(
                truth.len() > 1000 && truth.len() < 5000,
                "{kind}: {}",
                truth.len()
            );
            let first_from = |target: DocId| {
                truth
                    .iter()
                    .find(|(doc, _)| *doc >= target)
                    .map_or(TERMINATED, |(doc, _)| *doc)
            };
            let score_of = |doc: DocId| truth.iter().find(|(d, _)| *d == doc).unwrap().1;
            let ours = SeekingUnion::new(clauses());
            for round in 0..20 {
                let mut scorer = ours.weight(scoring).unwrap().scorer(reader, 1.0).unwrap();
                // Where the scorer stands, when it stands anywhere.
                let mut valid = Some(scorer.doc());
                let mut floor: DocId = 0;
                let mut asked = 0;
                loop {
                    let op = next(3);
                    match valid {
                        Some(TERMINATED) => break,
                        Some(doc) if op == 0 || round == 0 => {
                            let found = scorer.advance();
                            assert_eq!(found, first_from(doc + 1), "{kind}: advance from {doc}");
                            valid = Some(found);
                        }
                        Some(doc) if op == 1 => {
                            let target = doc + 1 + next(40);
                            let found = scorer.seek(target);
                            assert_eq!(found, first_from(target), "{kind}: seek {target}");
                            valid = Some(found);
                        }
                        _ => {
                            let target = valid.map_or(floor, |doc| doc + 1) + next(40);
                            asked += 1;
                            match scorer.seek_danger(target) {
                                SeekDangerResult::Found => {
                                    assert_eq!(first_from(target), target, "{kind}: {target}");
                                    valid = Some(target);
                                }
                                SeekDangerResult::SeekLowerBound(bound) => {
                                    let then = first_from(target);
                                    assert_ne!(then, target, "{kind}: missed {target}");
                                    assert!(
                                        bound > target && (bound <= then || bound == TERMINATED),
                                        "{kind}: {target} -> {bound}, next {then}"
                                    );
                                    if bound == TERMINATED {
                                        break;
                                    }
                                    valid = None;
                                    floor = bound;
                                }
                            }
                        }
                    }
                    if let Some(doc) = valid.filter(|&doc| doc != TERMINATED) {
                        assert_eq!(scorer.doc(), doc);
                        assert_eq!(scorer.score().to_bits(), score_of(doc), "{kind}: {doc}");
                    }
                }
                assert!(round == 0 || asked > 20, "{kind}: {asked}");
            }
        }
    }
}
