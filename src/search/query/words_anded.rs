//! Words ANDed, ranked without scoring every match.
//!
//! A word searched anywhere is a union of its headline and body terms, so
//! words ANDed are an intersection of unions. tantivy skips the blocks of
//! postings that cannot reach the page (block-max pruning) only for a union
//! of terms or an intersection of terms; an intersection of unions it
//! scores whole, every match of `oil prices` in a million articles to show
//! ten. [`WordsAnded`] is that same query, searched the same way for
//! everything but the ranking of a page. There, it walks the words' postings
//! a block at a time: a stretch of documents in which every word's terms sit
//! in one block each is skipped when the sum of those blocks' best scores
//! cannot beat the page's lowest; otherwise the documents of the terms
//! needed to beat it are matched and scored one by one (see [`rank`]), with
//! the score tantivy's intersection gives (the same terms' BM25, added in the
//! same order), so a page is the one scoring every match would give, to the
//! last bit.
//!
//! A word searched in the body alone (`body:oil`) is its term in the body
//! field, which holds the headline too: that term's scores bound the
//! word's, and a candidate that beats the page with them is scored by its
//! [`OwnBody`] query (and dropped when its own body lacks the word).
//!
//! A block's best score is a bound only under the statistics it was chosen
//! with: tantivy picks, when it writes a segment, the (length, frequency)
//! pair of each block that scores best under that segment's average length,
//! and a search may weigh lengths by another (the whole archive's, or its
//! articles' alone). Under averages `a` and `b`, the BM25 of any document
//! differs by at most the ratio of the two, so the bound used is tantivy's
//! times `max(a/b, b/a)` (and a little more, for rounding): loose where the
//! two differ, never short.

use std::slice;

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::BlockSegmentPostings;
use tantivy::query::{Bm25StatisticsProvider, Bm25Weight, EnableScoring, Query, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, Score, SegmentReader, Term, TERMINATED};

use super::own_body::{OwnBody, OwnBodyWeight};
use super::ranked_apart::{PageRanking, RankedWeight};

/// A word's terms, each with its boost, in the order its union adds them.
pub type WordTerms = Vec<(Term, Score)>;

/// Words ANDed: `query` as tantivy runs it, and each word's terms, from
/// which a page is ranked.
pub struct WordsAnded {
    words: Vec<WordTerms>,
    /// For each word searched in the body alone (`body:oil`), the query
    /// that scores it there; its term in the whole field bounds it.
    own_body: Vec<Option<OwnBody>>,
    query: Box<dyn Query>,
}

impl WordsAnded {
    /// `query`, an intersection of `words`: each word a term query or a
    /// union of (boosted) term queries, in the order of `words`' terms.
    /// Three words or more must be intersections of two, nested from the
    /// first (`((a b) c) d`): an intersection of more adds its clauses in
    /// an order of its own choosing, which rounds differently.
    pub fn new(words: Vec<WordTerms>, query: Box<dyn Query>) -> WordsAnded {
        let own_body = vec![None; words.len()];
        WordsAnded {
            words,
            own_body,
            query,
        }
    }

    /// As [`WordsAnded::new`], the words with an [`OwnBody`] query (a
    /// `body:` word, its one term in the body field) scored by it: a
    /// candidate's score is its words' scores, each `body:` word's from its
    /// own body, added in order as tantivy's intersection adds them.
    pub fn with_own_body(
        words: Vec<WordTerms>,
        own_body: Vec<Option<OwnBody>>,
        query: Box<dyn Query>,
    ) -> WordsAnded {
        WordsAnded {
            words,
            own_body,
            query,
        }
    }

    /// The query tantivy runs, for what changes its clauses.
    pub fn query(&self) -> &dyn Query {
        &*self.query
    }
}

impl Clone for WordsAnded {
    fn clone(&self) -> WordsAnded {
        WordsAnded {
            words: self.words.clone(),
            own_body: self.own_body.clone(),
            query: self.query.box_clone(),
        }
    }
}

impl std::fmt::Debug for WordsAnded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WordsAnded")
            .field("query", &self.query)
            .finish()
    }
}

impl Query for WordsAnded {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let inner = self.query.weight(scoring)?;
        let words = match scoring {
            EnableScoring::Enabled {
                statistics_provider,
                ..
            } => Some(
                self.words
                    .iter()
                    .map(|terms| {
                        terms
                            .iter()
                            .map(|(term, boost)| {
                                WeightedTerm::new(statistics_provider, term, *boost)
                            })
                            .collect::<tantivy::Result<Vec<_>>>()
                    })
                    .collect::<tantivy::Result<Vec<_>>>()?,
            ),
            EnableScoring::Disabled { .. } => None,
        };
        let ranking = match words {
            Some(words) => {
                let own_body = self
                    .own_body
                    .iter()
                    .map(|own| own.as_ref().map(|own| own.own_weight(scoring)).transpose())
                    .collect::<tantivy::Result<Vec<_>>>()?;
                Some(AndedTerms { words, own_body })
            }
            None => None,
        };
        Ok(Box::new(RankedWeight { inner, ranking }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.query.query_terms(visitor);
    }
}

/// A term, its BM25 weight in this search, and the average length of its
/// field that weight assumes.
pub(super) struct WeightedTerm {
    term: Term,
    weight: Bm25Weight,
    average_length: Score,
}

impl WeightedTerm {
    /// As tantivy's term query weighs `term` under `statistics`, boosted.
    pub(super) fn new(
        statistics: &dyn Bm25StatisticsProvider,
        term: &Term,
        boost: Score,
    ) -> tantivy::Result<WeightedTerm> {
        let weight = Bm25Weight::for_terms(statistics, slice::from_ref(term))?.boost_by(boost);
        let average_length = statistics.total_num_tokens(term.field())? as Score
            / statistics.total_num_docs()? as Score;
        Ok(WeightedTerm {
            term: term.clone(),
            weight,
            average_length,
        })
    }
}

/// Each word's terms, weighted, from which a page is ranked.
struct AndedTerms {
    words: Vec<Vec<WeightedTerm>>,
    /// A `body:` word's weight, by word.
    own_body: Vec<Option<OwnBodyWeight>>,
}

impl PageRanking for AndedTerms {
    fn rank(
        &self,
        _: &dyn Weight,
        threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        let mut postings = Vec::with_capacity(self.words.len());
        for terms in &self.words {
            let mut cursors = Vec::with_capacity(terms.len());
            for term in terms {
                if let Some(cursor) = Cursor::open(reader, term)? {
                    cursors.push(cursor);
                }
            }
            if cursors.is_empty() {
                // A word this segment does not hold: nothing matches.
                return Ok(());
            }
            postings.push(WordPostings { cursors });
        }
        if self.own_body.iter().all(Option::is_none) {
            rank(&mut postings, threshold, None, callback);
            return Ok(());
        }
        let mut own_body = Vec::with_capacity(self.own_body.len());
        for weight in &self.own_body {
            own_body.push(match weight {
                Some(weight) => match weight.own_body_scorer(reader, 1.0)? {
                    Some(scorer) => Some(scorer),
                    // A `body:` word this segment does not hold.
                    None => return Ok(()),
                },
                None => None,
            });
        }
        // A candidate's words' scores, each `body:` word's in its own body
        // (at most its field term's score: the bound it was found under).
        let mut exact = |words: &[WordPostings], doc: DocId| {
            let mut total: Option<Score> = None;
            for (word, own) in words.iter().zip(&mut own_body) {
                let score = match own {
                    Some(own) => own.score_at(doc)?,
                    None => word.score(doc),
                };
                total = Some(total.map_or(score, |total| total + score));
            }
            total
        };
        rank(&mut postings, threshold, Some(&mut exact), callback);
        Ok(())
    }
}

/// One word's postings in a segment: a cursor for each of its terms.
struct WordPostings {
    cursors: Vec<Cursor>,
}

impl WordPostings {
    /// Every cursor at or past `target`; the first document there.
    fn seek(&mut self, target: DocId) -> DocId {
        let mut first = TERMINATED;
        for cursor in &mut self.cursors {
            cursor.seek(target);
            first = first.min(cursor.doc());
        }
        first
    }

    /// The word's score in `doc`, where its first document is `doc`: its
    /// terms' scores added in their order, from zero, as tantivy's union
    /// adds them.
    fn score(&self, doc: DocId) -> Score {
        let mut score: Score = 0.0;
        for cursor in &self.cursors {
            if cursor.doc() == doc {
                score += cursor.score();
            }
        }
        score
    }
}

/// A term's postings in a segment, read a block at a time.
pub(super) struct Cursor {
    postings: BlockSegmentPostings,
    fieldnorms: FieldNormReader,
    weight: Bm25Weight,
    /// What a block's best score, as tantivy reports it, is multiplied by to
    /// bound every score in the block (see the module's comment).
    widening: Score,
    /// Where in the loaded block the cursor stands.
    at: usize,
}

impl Cursor {
    pub(super) fn open(
        reader: &SegmentReader,
        term: &WeightedTerm,
    ) -> tantivy::Result<Option<Cursor>> {
        let field = term.term.field();
        let inverted = reader.inverted_index(field)?;
        let Some(postings) =
            inverted.read_block_postings(&term.term, IndexRecordOption::WithFreqs)?
        else {
            return Ok(None);
        };
        // The average length tantivy chose the segment's block maxima by.
        let written = inverted.total_num_tokens() as Score / reader.max_doc() as Score;
        let searched = term.average_length;
        let ratio = (written / searched).max(searched / written);
        let widening = if ratio.is_finite() {
            ratio * 1.001
        } else {
            Score::INFINITY
        };
        let mut cursor = Cursor {
            postings,
            fieldnorms: reader.get_fieldnorms_reader(field)?,
            weight: term.weight.clone(),
            widening,
            at: 0,
        };
        cursor.settle();
        Ok(Some(cursor))
    }

    /// The document the cursor stands on, `TERMINATED` past the last.
    pub(super) fn doc(&self) -> DocId {
        self.postings
            .docs()
            .get(self.at)
            .copied()
            .unwrap_or(TERMINATED)
    }

    /// The last document of the block the cursor stands in.
    pub(super) fn block_end(&self) -> DocId {
        self.postings.docs().last().copied().unwrap_or(TERMINATED)
    }

    /// Past a block's last document, on to the next block's first.
    fn settle(&mut self) {
        while self.at >= self.postings.docs().len() && !self.postings.docs().is_empty() {
            self.postings.advance();
            self.at = 0;
        }
    }

    /// On the first document at or after `target`.
    pub(super) fn seek(&mut self, target: DocId) {
        if self.doc() < target {
            self.at = self.postings.seek(target);
            self.settle();
        }
    }

    /// BM25 of the document the cursor stands on.
    pub(super) fn score(&self) -> Score {
        let doc = self.doc();
        let frequency = self.postings.freqs()[self.at];
        self.weight
            .score(self.fieldnorms.fieldnorm_id(doc), frequency)
    }

    /// At least the score of every document of the block the cursor is in.
    pub(super) fn bound(&mut self) -> Score {
        self.postings
            .block_max_score(&self.fieldnorms, &self.weight)
            * self.widening
    }
}

/// A candidate's score when its terms' scores only bound it (`body:`
/// words): `None` when it does not match after all.
type ExactScore<'a> = dyn FnMut(&[WordPostings], DocId) -> Option<Score> + 'a;

/// Every document in all of `words` scoring above the threshold, given to
/// `callback` (which returns the new threshold). `words` are in the query's
/// order.
///
/// The documents are taken a stretch at a time: as far as every cursor
/// stays in its present block. A stretch is skipped when its cursors'
/// blocks' best scores add up to no more than the threshold. Otherwise
/// only the documents of its *needed* cursors are candidates: leaving out
/// cursors whose bounds add up to no more than the threshold, a document
/// that none of the others holds cannot beat it (MaxScore; which cursors
/// are left out is [`needed_cursors`]' choice). A word's body term is
/// common and its headline term rare, so the body terms are left out when
/// they can be, and a stretch's candidates are then its few documents with
/// a word in the headline. A candidate whose terms' scores only bound its
/// score (a `body:` word's term is the whole field's) and beat the
/// threshold is scored by `exact`.
fn rank(
    words: &mut [WordPostings],
    mut threshold: Score,
    mut exact: Option<&mut ExactScore<'_>>,
    callback: &mut dyn FnMut(DocId, Score) -> Score,
) {
    let mut target: DocId = 0;
    let mut bounds = Vec::new();
    let mut needed = Vec::new();
    'stretches: loop {
        // Each word's first document from `target`; a match is at or after
        // the latest of them.
        let mut candidate = target;
        for word in words.iter_mut() {
            let first = word.seek(target);
            if first == TERMINATED {
                return;
            }
            candidate = candidate.max(first);
        }
        // The stretch in which every cursor stays in its present block.
        let end = words
            .iter()
            .flat_map(|word| &word.cursors)
            .filter(|cursor| cursor.doc() != TERMINATED)
            .map(Cursor::block_end)
            .min()
            .unwrap_or(TERMINATED);
        if candidate > end {
            target = candidate;
            continue;
        }
        needed_cursors(words, end, threshold, &mut bounds, &mut needed);
        if needed.is_empty() {
            target = end + 1;
            continue;
        }
        // The needed cursors' documents, one by one.
        loop {
            let mut next = TERMINATED;
            for &(word, cursor) in &needed {
                let cursor = &mut words[word].cursors[cursor];
                cursor.seek(candidate);
                next = next.min(cursor.doc());
            }
            if next > end {
                target = end + 1;
                continue 'stretches;
            }
            // In every word?
            let mut latest = next;
            for word in words.iter_mut() {
                latest = latest.max(word.seek(next));
            }
            if latest > next {
                candidate = latest;
                continue;
            }
            // The terms' scores add up to the score, or to a bound of it
            // when `exact` tells the score (`None`: not a match).
            let added = intersection_score(words, next);
            let score = match exact.as_mut() {
                None => Some(added),
                Some(exact) if added > threshold => exact(words, next),
                Some(_) => None,
            };
            if let Some(score) = score.filter(|&score| score > threshold) {
                threshold = callback(next, score);
                needed_cursors(words, end, threshold, &mut bounds, &mut needed);
                if needed.is_empty() {
                    target = end + 1;
                    continue 'stretches;
                }
            }
            candidate = next + 1;
        }
    }
}

/// Into `needed`, the cursors (word, term) whose documents up to `end` may
/// score above `threshold`: all but a set of others whose bounds add up to
/// no more than it (a document none of the needed cursors holds scores no
/// more). None when every cursor's bound together is no more. `bounds` is
/// room to sort them in.
///
/// Which cursors to leave out is a choice: MaxScore leaves out those of
/// lowest bounds, as many as fit. When a word's headline term and body term
/// bound nearly the same score, that leaves out the rare headline terms and
/// keeps a common body term, whose every document is then scored. So the
/// cursors are also tried from the one with the most documents down, and
/// the choice whose needed cursors hold fewer documents is kept.
fn needed_cursors(
    words: &mut [WordPostings],
    end: DocId,
    threshold: Score,
    bounds: &mut Vec<Bound>,
    needed: &mut Vec<(usize, usize)>,
) {
    bounds.clear();
    for (w, word) in words.iter_mut().enumerate() {
        for (c, cursor) in word.cursors.iter_mut().enumerate() {
            if cursor.doc() <= end {
                bounds.push(Bound {
                    score: cursor.bound(),
                    documents: cursor.postings.doc_freq(),
                    word: w,
                    cursor: c,
                    ..Bound::default()
                });
            }
        }
    }
    // Lowest bounds first (MaxScore): the needed are a tail of this order.
    bounds.sort_unstable_by(|a, b| a.score.total_cmp(&b.score));
    let mut unneeded: Score = 0.0;
    let mut first_needed = bounds.len();
    for (at, bound) in bounds.iter().enumerate() {
        if unneeded + bound.score > threshold {
            first_needed = at;
            break;
        }
        unneeded += bound.score;
    }
    let lowest_first: u64 = bounds[first_needed..]
        .iter()
        .map(|bound| u64::from(bound.documents))
        .sum();
    // Most documents first, each left out while the left-out bounds add up
    // to no more than the threshold; ties as MaxScore orders them.
    needed.clear();
    for bound in &mut bounds[first_needed..] {
        bound.needed = true;
    }
    bounds.sort_by_key(|bound| std::cmp::Reverse(bound.documents));
    let mut unneeded: Score = 0.0;
    let mut densest_first: u64 = 0;
    for bound in bounds.iter_mut() {
        if unneeded + bound.score <= threshold {
            unneeded += bound.score;
            bound.kept = false;
        } else {
            densest_first += u64::from(bound.documents);
            bound.kept = true;
        }
    }
    let densest = densest_first < lowest_first;
    needed.extend(
        bounds
            .iter()
            .filter(|bound| if densest { bound.kept } else { bound.needed })
            .map(|bound| (bound.word, bound.cursor)),
    );
}

/// A cursor's bound in a stretch, and what [`needed_cursors`] decides of it.
#[derive(Default)]
struct Bound {
    /// At least the score of each of its documents in the stretch.
    score: Score,
    /// How many documents its term is in (in the segment).
    documents: u32,
    word: usize,
    cursor: usize,
    /// Needed when the lowest bounds are left out.
    needed: bool,
    /// Needed when the cursors of most documents are left out.
    kept: bool,
}

/// The score of `doc`, in every word, as tantivy's intersections add it.
/// An intersection of two adds its two clauses' scores, in either order to
/// the same bits; more words are compiled as intersections of two, nested
/// (see [`WordsAnded::new`]), so the words add up from the first.
fn intersection_score(words: &[WordPostings], doc: DocId) -> Score {
    let mut scores = words.iter().map(|word| word.score(doc));
    let first = scores.next().unwrap_or(0.0);
    scores.fold(first, |sum, score| sum + score)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::schema;
    use tantivy::collector::TopDocs;
    use tantivy::query::{BooleanQuery, BoostQuery, Occur, TermQuery};
    use tantivy::{doc, Searcher};

    /// A word looked for in the headline (boosted) and the body, as the
    /// search compiles it.
    fn word(fields: &schema::Fields, text: &str) -> (WordTerms, Box<dyn Query>) {
        let headline = Term::from_field_text(fields.headline, text);
        let body = Term::from_field_text(fields.body, text);
        let query = BooleanQuery::new(vec![
            (
                Occur::Should,
                Box::new(BoostQuery::new(
                    Box::new(TermQuery::new(
                        headline.clone(),
                        IndexRecordOption::WithFreqs,
                    )),
                    schema::HEADLINE_BOOST,
                )) as Box<dyn Query>,
            ),
            (
                Occur::Should,
                Box::new(TermQuery::new(body.clone(), IndexRecordOption::WithFreqs)),
            ),
        ]);
        (
            vec![(headline, schema::HEADLINE_BOOST), (body, 1.0)],
            Box::new(query),
        )
    }

    fn anded(fields: &schema::Fields, words: &[&str]) -> (WordsAnded, BooleanQuery) {
        let (terms, queries): (Vec<_>, Vec<_>) = words.iter().map(|w| word(fields, w)).unzip();
        let intersection = queries
            .into_iter()
            .reduce(|left, right| {
                Box::new(BooleanQuery::new(vec![
                    (Occur::Must, left),
                    (Occur::Must, right),
                ]))
            })
            .unwrap();
        let intersection = intersection.downcast::<BooleanQuery>().unwrap();
        (
            WordsAnded::new(terms, Box::new((*intersection).clone())),
            *intersection,
        )
    }

    /// An index of `segments` segments of pseudo-random articles over a
    /// small vocabulary, with some deleted: words that share documents in
    /// every mix of headline and body, at every length.
    fn archive(segments: usize) -> (Searcher, schema::Fields) {
        let (index, fields) = schema::in_ram();
        let mut writer = index.writer_with_num_threads(1, 50_000_000).unwrap();
        let vocabulary: Vec<String> = (0..30).map(|n| format!("w{n}x")).collect();
        let mut next = super::super::numbers_below(0x9e37_79b9_7f4a_7c15);
        for segment in 0..segments {
            for _ in 0..[1_500, 5_000, 700][segment % 3] {
                // Skewed: the first words of the vocabulary are common.
                let mut words = |count: usize| {
                    (0..count)
                        .map(|_| vocabulary[next(30).min(next(30))].as_str())
                        .collect::<Vec<_>>()
                        .join(" ")
                };
                let headline_length = words(1).len() % 5;
                let headline = words(headline_length);
                let body_length = words(4).len() * 3 % 40;
                let body = words(body_length);
                writer
                    .add_document(doc!(
                        fields.headline => headline,
                        fields.body => body,
                        fields.kind => 0u64,
                    ))
                    .unwrap();
            }
            if segment % 2 == 1 {
                writer.delete_term(Term::from_field_text(fields.headline, "w5x"));
            }
            writer.commit().unwrap();
        }
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), segments);
        (searcher, fields)
    }

    #[test]
    fn pages_are_those_of_scoring_every_match_to_the_last_bit() {
        let (searcher, fields) = archive(3);
        let queries: [&[&str]; 8] = [
            &["w0x", "w1x"],
            &["w0x", "w9x"],
            &["w20x", "w25x"],
            &["w0x", "w1x", "w2x"],
            &["w3x", "w5x", "w7x", "w4x"],
            &["w1x", "w0x", "w2x", "w3x", "w4x"],
            &["w0x", "w0x"],
            &["w0x", "nosuchword"],
        ];
        for words in queries {
            let (pruned, exhaustive) = anded(&fields, words);
            for limit in [1, 3, 10, 50] {
                let top = TopDocs::with_limit(limit).order_by_score();
                let got = searcher.search(&pruned, &top).unwrap();
                let want = searcher.search(&exhaustive, &top).unwrap();
                let bits = |page: &[(Score, tantivy::DocAddress)]| {
                    page.iter()
                        .map(|(score, doc)| (score.to_bits(), *doc))
                        .collect::<Vec<_>>()
                };
                assert_eq!(bits(&got), bits(&want), "{words:?} top {limit}");
            }
            // Counting goes through tantivy's own intersection.
            let count = tantivy::collector::Count;
            assert_eq!(
                searcher.search(&pruned, &count).unwrap(),
                searcher.search(&exhaustive, &count).unwrap()
            );
        }
    }

    #[test]
    fn pruning_skips_most_of_a_common_conjunction() {
        let (searcher, fields) = archive(1);
        let (pruned, _) = anded(&fields, &["w0x", "w1x"]);
        let weight = pruned
            .weight(EnableScoring::enabled_from_searcher(&searcher))
            .unwrap();
        let reader = &searcher.segment_readers()[0];
        let matches = weight.count(reader).unwrap();
        let mut offered = 0;
        let mut top = Vec::new();
        weight
            .for_each_pruning(Score::MIN, reader, &mut |doc, score| {
                offered += 1;
                top.push((score, doc));
                top.sort_by(|a, b| b.0.total_cmp(&a.0));
                top.truncate(10);
                if top.len() == 10 {
                    top[9].0
                } else {
                    Score::MIN
                }
            })
            .unwrap();
        assert!(matches > 500, "{matches} matches");
        assert!(
            offered * 3 < matches,
            "{offered} of {matches} matches were offered"
        );
    }
}
