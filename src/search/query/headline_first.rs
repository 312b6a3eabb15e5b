//! A phrase searched anywhere, ranked from its headline matches first.
//!
//! A phrase searched anywhere is a union of the phrase in the headline
//! (boosted) and in the body. tantivy ranks a union of phrases by scoring
//! every match, reading positions for each: `"interest rates"` walks 183,000
//! candidates at 1M to show ten. Yet an article without the phrase in its
//! headline scores at most the body phrase's best possible score (its BM25
//! weight: the idf of its words, times `k1 + 1`), and the articles with it in
//! the headline, few, usually score more. So [`HeadlineFirst`] ranks a page
//! by scoring the headline's matches first (with the body's phrase added, as
//! the union adds it); when the page's lowest score is then at least the
//! body's best, no other article can enter it and the body's matches are
//! never walked. Otherwise the union's own walk goes on, skipping the
//! articles already scored. Either way the page is the exhaustive one.

use tantivy::query::{Bm25Weight, EnableScoring, PhraseQuery, Query, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

use super::ranked_apart::{PageRanking, RankedWeight};
use super::seeking_union::AskedScorer;

/// A phrase anywhere: `union` (the two below, ORed, in this order), the
/// phrase in the headline (boosted) and in the body.
pub struct HeadlineFirst {
    union: Box<dyn Query>,
    headline: Box<dyn Query>,
    body: PhraseQuery,
}

impl HeadlineFirst {
    /// `union` of `headline` then `body`, as the search compiles a phrase
    /// looked for anywhere.
    pub fn new(union: Box<dyn Query>, headline: Box<dyn Query>, body: PhraseQuery) -> Self {
        HeadlineFirst {
            union,
            headline,
            body,
        }
    }

    /// The query tantivy runs, for what changes its clauses.
    pub fn query(&self) -> &dyn Query {
        &*self.union
    }
}

impl Clone for HeadlineFirst {
    fn clone(&self) -> HeadlineFirst {
        HeadlineFirst {
            union: self.union.box_clone(),
            headline: self.headline.box_clone(),
            body: self.body.clone(),
        }
    }
}

impl std::fmt::Debug for HeadlineFirst {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HeadlineFirst")
            .field("query", &self.union)
            .finish()
    }
}

impl Query for HeadlineFirst {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let union = self.union.weight(scoring)?;
        let ranking = match scoring {
            EnableScoring::Enabled {
                statistics_provider,
                ..
            } => {
                let terms: Vec<Term> = self.body.phrase_terms();
                // What tantivy weighs the body's phrase by; no score of it
                // is more (a BM25 is the weight times a fraction).
                let body_best = Bm25Weight::for_terms(statistics_provider, &terms)?.max_score();
                Some(Ranking {
                    headline: self.headline.weight(scoring)?,
                    body: self.body.weight(scoring)?,
                    body_best,
                })
            }
            EnableScoring::Disabled { .. } => None,
        };
        Ok(Box::new(RankedWeight {
            inner: union,
            ranking,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.union.query_terms(visitor);
    }
}

/// The weights a page is ranked with.
struct Ranking {
    headline: Box<dyn Weight>,
    body: Box<dyn Weight>,
    /// At least the body's phrase's score in any article.
    body_best: Score,
}

impl PageRanking for Ranking {
    fn rank(
        &self,
        union: &dyn Weight,
        mut threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        let mut headline = self.headline.scorer(reader, 1.0)?;
        // The body is asked about each headline match alone: a phrase then
        // checks positions in that document only, where seeking it would go
        // on to the body's next match, checking positions all the way.
        let mut body = AskedScorer::new(self.body.scorer(reader, 1.0)?);
        let mut scored = Vec::new();
        let mut doc = headline.doc();
        while doc != TERMINATED {
            // As the union adds its clauses' scores: the headline's, then
            // the body's.
            let mut score: Score = 0.0;
            score += headline.score();
            if body.holds(doc).is_ok() {
                score += body.score();
            }
            if score > threshold {
                threshold = callback(doc, score);
            }
            scored.push(doc);
            doc = headline.advance();
        }
        if threshold >= self.body_best {
            // No article without the phrase in its headline can beat the
            // page.
            return Ok(());
        }
        let mut seen = scored.into_iter().peekable();
        union.for_each_pruning(threshold, reader, &mut |doc, score| {
            while seen.next_if(|&at| at < doc).is_some() {}
            if seen.next_if_eq(&doc).is_some() {
                // Offered already, with this score.
                return threshold;
            }
            threshold = callback(doc, score);
            threshold
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::schema;
    use tantivy::collector::TopDocs;
    use tantivy::query::{BooleanQuery, BoostQuery, Occur};
    use tantivy::{doc, Searcher};

    /// Three segments of articles over a small vocabulary, so that phrases
    /// of two words occur in headlines and bodies, some deleted.
    fn archive() -> (Searcher, schema::Fields) {
        let (index, fields) = schema::in_ram();
        let mut writer = index.writer_with_num_threads(1, 50_000_000).unwrap();
        let mut next = super::super::numbers_below(0x2545_f491_4f6c_dd1d);
        for segment in 0..3 {
            for _ in 0..[2_000, 5_000, 900][segment] {
                let mut words = |count: usize| {
                    (0..count)
                        .map(|_| format!("w{}x", next(8).min(next(8))))
                        .collect::<Vec<_>>()
                        .join(" ")
                };
                let headline_length = words(1).len() % 4;
                let headline = words(headline_length);
                let body_length = words(3).len() * 3 % 30;
                let body = words(body_length);
                writer
                    .add_document(doc!(
                        fields.headline => headline,
                        fields.body => body,
                        fields.kind => 0u64,
                    ))
                    .unwrap();
            }
            if segment == 1 {
                writer.delete_term(Term::from_field_text(fields.body, "w7x"));
            }
            writer.commit().unwrap();
        }
        let searcher = index.reader().unwrap().searcher();
        (searcher, fields)
    }

    fn phrase(fields: &schema::Fields, words: &[&str]) -> (HeadlineFirst, BooleanQuery) {
        let terms = |field| {
            words
                .iter()
                .map(|word| Term::from_field_text(field, word))
                .collect::<Vec<_>>()
        };
        let headline: Box<dyn Query> = Box::new(BoostQuery::new(
            Box::new(PhraseQuery::new(terms(fields.headline))),
            schema::HEADLINE_BOOST,
        ));
        let body = PhraseQuery::new(terms(fields.body));
        let union = BooleanQuery::new(vec![
            (Occur::Should, headline.box_clone()),
            (Occur::Should, Box::new(body.clone())),
        ]);
        (
            HeadlineFirst::new(Box::new(union.clone()), headline, body),
            union,
        )
    }

    #[test]
    fn pages_are_those_of_scoring_every_match_to_the_last_bit() {
        let (searcher, fields) = archive();
        let mut short_cut = 0;
        let mut walked = 0;
        for words in [
            &["w0x", "w1x"][..],
            &["w1x", "w0x"],
            &["w0x", "w0x"],
            &["w5x", "w6x"],
            &["w6x", "w7x"],
            &["w2x", "w3x", "w4x"],
            &["w0x", "nosuchword"],
        ] {
            let (ranked, union) = phrase(&fields, words);
            for limit in [1, 3, 10, 50] {
                let top = TopDocs::with_limit(limit).order_by_score();
                let got = searcher.search(&ranked, &top).unwrap();
                let want = searcher.search(&union, &top).unwrap();
                let bits = |page: &[(Score, tantivy::DocAddress)]| {
                    page.iter()
                        .map(|(score, doc)| (score.to_bits(), *doc))
                        .collect::<Vec<_>>()
                };
                assert_eq!(bits(&got), bits(&want), "{words:?} top {limit}");
                // Which way was it ranked? The page's lowest against the
                // body's best.
                let best = Bm25Weight::for_terms(&searcher, &ranked.body.phrase_terms())
                    .unwrap()
                    .max_score();
                match got.last() {
                    Some((lowest, _)) if got.len() == limit && *lowest > best => short_cut += 1,
                    Some(_) => walked += 1,
                    None => {}
                }
            }
        }
        assert!(short_cut >= 4, "{short_cut} pages without the body's walk");
        assert!(walked >= 2, "{walked} pages with it");
    }
}
