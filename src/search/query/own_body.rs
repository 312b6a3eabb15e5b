//! A word, a phrase or a fuzzy word in an article's own body: what `body:`
//! searches.
//!
//! [`Fields::body`] holds the whole article, the headline's words then the
//! body's, so that a word searched anywhere is ranked by the whole (see
//! [`crate::index::schema::HEADLINE_BOOST`]). `body:` asks for the body
//! alone: [`OwnBody`] walks the field's postings with their positions and
//! keeps, in each article, the matches from its [`Fields::body_start`] on.
//! An article is scored by BM25 of that count, under the field's
//! statistics, as tantivy's term and phrase queries score a count. A fuzzy
//! word (`body:tugbot~`) matches the articles with one of the words it
//! stands for in their own body, each scoring 1, as tantivy's fuzzy query
//! scores.
//!
//! A word's page is ranked without reading every match's positions: an
//! article's count in its own body is at most the field's count, so the
//! field's BM25 (and its blocks' best scores) bound the article's score.
//! Blocks that cannot reach the page are skipped, and positions are read
//! only for the articles whose bound can.

use tantivy::columnar::Column;
use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{
    BitSetDocSet, Bm25Weight, ConstScorer, EmptyScorer, EnableScoring, Explanation, Query, Scorer,
    Weight,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{BitSet, DocId, DocSet, Score, SeekDangerResult, SegmentReader, Term, TERMINATED};

use super::words_anded::{Cursor, WeightedTerm};
use crate::index::schema::Fields;
use crate::search::terms::{self, Pattern};

/// A word (one term), a phrase (terms at their positions in it) or a fuzzy
/// word of [`Fields::body`], matched in the body's own words only.
#[derive(Debug, Clone)]
pub struct OwnBody {
    /// Each term with its position in the phrase, the first at 0.
    terms: Vec<(u32, Term)>,
    /// For a fuzzy word (one term): how many edits from it.
    fuzzy: Option<u8>,
}

impl OwnBody {
    /// `terms` with the positions the analyser gave them (a word alone, or a
    /// phrase's words); none is no query.
    pub fn new(terms: Vec<(usize, Term)>) -> Option<OwnBody> {
        let first = terms.iter().map(|(position, _)| *position).min()?;
        Some(OwnBody {
            terms: terms
                .into_iter()
                .map(|(position, term)| ((position - first) as u32, term))
                .collect(),
            fuzzy: None,
        })
    }

    /// The words within `distance` edits of `term` (a transposition counts
    /// as one), as tantivy's fuzzy query finds them.
    pub fn fuzzy(term: Term, distance: u8) -> OwnBody {
        OwnBody {
            terms: vec![(0, term)],
            fuzzy: Some(distance),
        }
    }

    /// The query's weight as itself, for [`super::WordsAnded`] to score a
    /// `body:` word's candidates with.
    pub(super) fn own_weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<OwnBodyWeight> {
        let (bm25, bound) = match scoring {
            EnableScoring::Enabled { .. } if self.fuzzy.is_some() => (None, None),
            EnableScoring::Enabled {
                statistics_provider,
                ..
            } => {
                let terms: Vec<Term> = self.terms.iter().map(|(_, term)| term.clone()).collect();
                let bound = match terms.as_slice() {
                    [term] => Some(WeightedTerm::new(statistics_provider, term, 1.0)?),
                    _ => None,
                };
                (
                    Some(Bm25Weight::for_terms(statistics_provider, &terms)?),
                    bound,
                )
            }
            EnableScoring::Disabled { .. } => (None, None),
        };
        Ok(OwnBodyWeight {
            terms: self.terms.clone(),
            fuzzy: self.fuzzy,
            bm25,
            bound,
        })
    }
}

impl Query for OwnBody {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.own_weight(scoring)?))
    }

    /// (A fuzzy word's terms are not known before a segment is read, as
    /// with tantivy's fuzzy query.)
    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        if self.fuzzy.is_some() {
            return;
        }
        let phrase = self.terms.len() > 1;
        for (_, term) in &self.terms {
            visitor(term, phrase);
        }
    }
}

pub(super) struct OwnBodyWeight {
    terms: Vec<(u32, Term)>,
    fuzzy: Option<u8>,
    /// None when the search does not score, or scores matches alike.
    bm25: Option<Bm25Weight>,
    /// A word's term in the whole field, weighed as `bm25`: its score in
    /// an article bounds the article's own-body score.
    bound: Option<WeightedTerm>,
}

impl OwnBodyWeight {
    /// The articles with a word within `distance` edits of the term in their
    /// own body, scoring `boost` each.
    fn fuzzy_scorer(
        &self,
        reader: &SegmentReader,
        distance: u8,
        boost: Score,
    ) -> tantivy::Result<Box<dyn Scorer>> {
        let mut found = BitSet::with_max_value(reader.max_doc());
        let Some((_, term)) = self.terms.first() else {
            return Ok(Box::new(EmptyScorer));
        };
        let value = term.value();
        let Some(word) = value.as_str() else {
            return Ok(Box::new(EmptyScorer));
        };
        let inverted = reader.inverted_index(term.field())?;
        let body_start = reader.fast_fields().u64(Fields::BODY_START_NAME)?;
        let mut positions = Vec::new();
        terms::each_match(&inverted, word, Pattern::Fuzzy(distance), |_, info| {
            let mut postings = inverted
                .read_postings_from_terminfo(info, IndexRecordOption::WithFreqsAndPositions)?;
            while postings.doc() != TERMINATED {
                let doc = postings.doc();
                postings.positions(&mut positions);
                let start = body_start.first(doc).unwrap_or(0);
                if positions.last().is_some_and(|&at| u64::from(at) >= start) {
                    found.insert(doc);
                }
                postings.advance();
            }
            Ok(())
        })?;
        Ok(Box::new(ConstScorer::new(BitSetDocSet::from(found), boost)))
    }

    /// A scorer of the segment's own-body matches, on no document yet: to
    /// be asked about documents ([`OwnBodyScorer::score_at`]), or put on
    /// its first match to be walked ([`OwnBodyWeight::walker`]). `None`
    /// when a term is not in the segment.
    pub(super) fn own_body_scorer(
        &self,
        reader: &SegmentReader,
        boost: Score,
    ) -> tantivy::Result<Option<OwnBodyScorer>> {
        let Some((_, first)) = self.terms.first() else {
            return Ok(None);
        };
        let field = first.field();
        let inverted = reader.inverted_index(field)?;
        let mut postings = Vec::with_capacity(self.terms.len());
        for (position, term) in &self.terms {
            match inverted.read_postings(term, IndexRecordOption::WithFreqsAndPositions)? {
                Some(read) => postings.push((*position, read)),
                None => return Ok(None),
            }
        }
        let body_start = reader.fast_fields().u64(Fields::BODY_START_NAME)?;
        Ok(Some(OwnBodyScorer {
            postings,
            body_start,
            fieldnorms: reader.get_fieldnorms_reader(field)?,
            bm25: self.bm25.as_ref().map(|bm25| bm25.boost_by(boost)),
            doc: 0,
            matches: 0,
            starts: Vec::new(),
            positions: Vec::new(),
        }))
    }
}

impl OwnBodyWeight {
    /// [`OwnBodyWeight::own_body_scorer`] on its first match.
    fn walker(
        &self,
        reader: &SegmentReader,
        boost: Score,
    ) -> tantivy::Result<Option<OwnBodyScorer>> {
        Ok(self.own_body_scorer(reader, boost)?.map(|mut scorer| {
            scorer.doc = scorer.first_match_from(0);
            scorer
        }))
    }
}

impl Weight for OwnBodyWeight {
    /// A word's page: the field's postings walked a block at a time, each
    /// article's positions read only when the field's BM25 of it (at least
    /// its own-body score) beats the page's lowest.
    fn for_each_pruning(
        &self,
        mut threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        let Some(bound) = &self.bound else {
            let mut scorer = self.scorer(reader, 1.0)?;
            while scorer.doc() != TERMINATED {
                let score = scorer.score();
                if score > threshold {
                    threshold = callback(scorer.doc(), score);
                }
                scorer.advance();
            }
            return Ok(());
        };
        let (Some(mut field), Some(mut own)) = (
            Cursor::open(reader, bound)?,
            self.own_body_scorer(reader, 1.0)?,
        ) else {
            return Ok(());
        };
        loop {
            let doc = field.doc();
            if doc == TERMINATED {
                return Ok(());
            }
            if field.bound() <= threshold {
                field.seek(field.block_end().saturating_add(1));
                continue;
            }
            if field.score() > threshold {
                if let Some(score) = own.score_at(doc).filter(|&score| score > threshold) {
                    threshold = callback(doc, score);
                }
            }
            field.seek(doc + 1);
        }
    }

    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        if let Some(distance) = self.fuzzy {
            return self.fuzzy_scorer(reader, distance, boost);
        }
        Ok(match self.walker(reader, boost)? {
            Some(scorer) => Box::new(scorer),
            None => Box::new(EmptyScorer),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let not_found =
            || tantivy::TantivyError::InvalidArgument(format!("document {doc} does not match"));
        if self.fuzzy.is_some() {
            let mut scorer = self.scorer(reader, 1.0)?;
            if scorer.seek(doc) != doc {
                return Err(not_found());
            }
            return Ok(Explanation::new(
                "a fuzzy match in the body's own words",
                scorer.score(),
            ));
        }
        let mut scorer = self.walker(reader, 1.0)?.ok_or_else(not_found)?;
        if scorer.seek(doc) != doc {
            return Err(not_found());
        }
        let mut explanation = Explanation::new("matches in the body's own words", scorer.score());
        explanation.add_const("matches", scorer.matches as Score);
        Ok(explanation)
    }
}

/// The articles with a match in their own body, in order.
pub(super) struct OwnBodyScorer {
    /// Each term's position in the phrase and its postings, which all stand
    /// on `doc` when it is a match.
    postings: Vec<(u32, SegmentPostings)>,
    body_start: Column<u64>,
    fieldnorms: FieldNormReader,
    bm25: Option<Bm25Weight>,
    doc: DocId,
    /// How many times the word or phrase is in `doc`'s own body.
    matches: u32,
    /// Room for where the phrase may start in a document, and for a term's
    /// positions.
    starts: Vec<u32>,
    positions: Vec<u32>,
}

impl OwnBodyScorer {
    /// The score of `doc`, `None` when its own body does not match; `doc`
    /// at or after every document asked before. (Leaves the scorer to be
    /// asked again, not walked.)
    pub(super) fn score_at(&mut self, doc: DocId) -> Option<Score> {
        match self.seek_danger(doc) {
            SeekDangerResult::Found => Some(self.score()),
            SeekDangerResult::SeekLowerBound(_) => None,
        }
    }

    /// The first document from `target` on that has every term. (A term's
    /// postings already past `target` stay where they are: postings never
    /// seek back.)
    fn every_term_from(&mut self, mut target: DocId) -> DocId {
        'again: loop {
            for (_, postings) in &mut self.postings {
                let doc = match postings.doc() {
                    at if at >= target => at,
                    _ => postings.seek(target),
                };
                if doc == TERMINATED {
                    return TERMINATED;
                }
                if doc > target {
                    target = doc;
                    continue 'again;
                }
            }
            return target;
        }
    }

    /// The first document from `target` on with a match in its own body,
    /// `matches` set to how many it has.
    fn first_match_from(&mut self, mut target: DocId) -> DocId {
        loop {
            let doc = self.every_term_from(target);
            if doc == TERMINATED {
                return TERMINATED;
            }
            self.matches = self.count_in(doc);
            if self.matches > 0 {
                return doc;
            }
            target = doc + 1;
        }
    }

    /// How many times the word or phrase starts at or after `doc`'s body
    /// start, every postings standing on `doc`.
    fn count_in(&mut self, doc: DocId) -> u32 {
        let body_start = self.body_start.first(doc).unwrap_or(0);
        let Some((first, rest)) = self.postings.split_first_mut() else {
            return 0;
        };
        self.starts.clear();
        first.1.positions(&mut self.starts);
        // A phrase starts where each term stands at its place in it.
        self.starts.retain(|&at| at >= first.0);
        for at in &mut self.starts {
            *at -= first.0;
        }
        for (place, postings) in rest {
            if self.starts.is_empty() {
                break;
            }
            self.positions.clear();
            postings.positions(&mut self.positions);
            let positions = &self.positions;
            let place = *place;
            self.starts
                .retain(|&start| positions.binary_search(&(start + place)).is_ok());
        }
        self.starts
            .iter()
            .filter(|&&start| u64::from(start) >= body_start)
            .count() as u32
    }
}

impl DocSet for OwnBodyScorer {
    fn advance(&mut self) -> DocId {
        if self.doc != TERMINATED {
            self.doc = self.first_match_from(self.doc + 1);
        }
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc < target {
            self.doc = self.first_match_from(target);
        }
        self.doc
    }

    /// As an intersection asks: positions are read only where every term
    /// stands on `target` itself, never to look further.
    fn seek_danger(&mut self, target: DocId) -> SeekDangerResult {
        if target == TERMINATED {
            return SeekDangerResult::SeekLowerBound(TERMINATED);
        }
        let doc = self.every_term_from(target);
        if doc != target {
            return SeekDangerResult::SeekLowerBound(doc);
        }
        self.matches = self.count_in(doc);
        if self.matches == 0 {
            return SeekDangerResult::SeekLowerBound(doc + 1);
        }
        self.doc = doc;
        SeekDangerResult::Found
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.postings
            .iter()
            .map(|(_, postings)| postings.size_hint())
            .min()
            .unwrap_or(0)
    }
}

impl Scorer for OwnBodyScorer {
    fn score(&mut self) -> Score {
        match &self.bm25 {
            Some(bm25) => bm25.score(self.fieldnorms.fieldnorm_id(self.doc), self.matches),
            None => 1.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Article;
    use crate::index::schema;
    use tantivy::collector::TopDocs;
    use tantivy::{DocAddress, Searcher};

    /// Articles over a small vocabulary, in two segments, so that words and
    /// phrases stand in headlines, in bodies and in both; with the analysed
    /// words of each article's own body, by address.
    fn archive() -> (Searcher, Fields, Vec<(DocAddress, Vec<String>)>) {
        let (index, fields) = schema::in_ram();
        let mut writer = index.writer_with_num_threads(1, 50_000_000).unwrap();
        let mut next = super::super::numbers_below(0x9e37_79b9_7f4a_7c15);
        let mut analyzer = schema::english_analyzer();
        let mut bodies = Vec::new();
        for segment in 0..2u32 {
            for at in 0..[700, 400][segment as usize] {
                let mut words = |most: usize| {
                    let count = next(most);
                    (0..count)
                        .map(|_| ["oil", "Prices", "rose", "oil's", "fell", "ab"][next(6)])
                        .collect::<Vec<_>>()
                        .join(" ")
                };
                let headline = words(5);
                let body = words(12);
                let mut article = Article::sample(&format!("{segment}-{at}"), &body);
                article.headline = headline;
                writer
                    .add_document(schema::article_document(&fields, &article, 0, "t"))
                    .unwrap();
                let mut own = Vec::new();
                let mut stream = analyzer.token_stream(&body);
                while let Some(token) = stream.next() {
                    own.push(token.text.clone());
                }
                bodies.push((DocAddress::new(segment, at), own));
            }
            writer.commit().unwrap();
        }
        let reader = index.reader().unwrap();
        let searcher = reader.searcher();
        // Segments in the order they were written.
        assert_eq!(searcher.segment_readers().len(), 2);
        (searcher, fields, bodies)
    }

    fn query(fields: &Fields, words: &[&str]) -> OwnBody {
        OwnBody::new(
            words
                .iter()
                .enumerate()
                .map(|(at, word)| (at, Term::from_field_text(fields.body, word)))
                .collect(),
        )
        .unwrap()
    }

    #[test]
    fn matches_are_counted_in_the_body_alone_and_scored_as_bm25() {
        let (searcher, fields, bodies) = archive();
        for words in [
            &["oil"][..],
            &["price"],
            &["oil", "price"],
            &["price", "rose", "oil"],
            &["ab", "ab"],
            &["nosuchword"],
        ] {
            let terms: Vec<Term> = words
                .iter()
                .map(|word| Term::from_field_text(fields.body, word))
                .collect();
            let bm25 = Bm25Weight::for_terms(&searcher, &terms).unwrap();
            let mut want = Vec::new();
            for (address, own) in &bodies {
                let count = own.windows(words.len()).filter(|w| *w == words).count() as u32;
                if count > 0 {
                    let norms = searcher
                        .segment_reader(address.segment_ord)
                        .get_fieldnorms_reader(fields.body)
                        .unwrap();
                    let score = bm25.score(norms.fieldnorm_id(address.doc_id), count);
                    want.push((score.to_bits(), *address));
                }
            }
            let found = searcher
                .search(
                    &query(&fields, words),
                    &TopDocs::with_limit(2_000).order_by_score(),
                )
                .unwrap();
            let mut got: Vec<(u32, DocAddress)> = found
                .iter()
                .map(|(score, address)| (score.to_bits(), *address))
                .collect();
            got.sort_by_key(|(_, address)| *address);
            assert_eq!(got, want, "{words:?}");
            if words != ["nosuchword"] {
                assert!(!want.is_empty(), "{words:?} should be in some body");
            }
        }
    }

    #[test]
    fn a_word_s_pruned_pages_are_those_of_scoring_every_match() {
        let (searcher, fields, _) = archive();
        let mut pruned = 0;
        for word in ["oil", "price", "rose", "fell", "ab"] {
            let query = query(&fields, &[word]);
            // Every match, scored: the scorer walked.
            let weight = query
                .weight(EnableScoring::enabled_from_searcher(&searcher))
                .unwrap();
            let mut every = Vec::new();
            for (ord, reader) in searcher.segment_readers().iter().enumerate() {
                let mut scorer = weight.scorer(reader, 1.0).unwrap();
                while scorer.doc() != TERMINATED {
                    every.push((scorer.score(), DocAddress::new(ord as u32, scorer.doc())));
                    scorer.advance();
                }
            }
            every.sort_by(|a, b| b.0.total_cmp(&a.0));
            for limit in [1, 3, 10, 50, 2_000] {
                let page = searcher
                    .search(&query, &TopDocs::with_limit(limit).order_by_score())
                    .unwrap();
                let scores = |page: &[(Score, DocAddress)]| {
                    page.iter().map(|(s, _)| s.to_bits()).collect::<Vec<_>>()
                };
                let want = &every[..limit.min(every.len())];
                assert_eq!(scores(&page), scores(want), "{word} top {limit}");
                for hit in &page {
                    assert!(
                        every.contains(hit),
                        "{word}: {hit:?} is not a match so scored"
                    );
                }
                pruned += usize::from(page.len() < every.len());
            }
        }
        assert!(pruned >= 10);
    }

    #[test]
    fn words_anded_match_where_each_is_in_the_body() {
        let (searcher, fields, bodies) = archive();
        let words = ["oil", "fell"];
        let bm25 = |word| {
            Bm25Weight::for_terms(&searcher, &[Term::from_field_text(fields.body, word)]).unwrap()
        };
        let mut want = Vec::new();
        for (address, own) in &bodies {
            let counts = words.map(|word| own.iter().filter(|w| *w == word).count() as u32);
            if counts.contains(&0) {
                continue;
            }
            let norms = searcher
                .segment_reader(address.segment_ord)
                .get_fieldnorms_reader(fields.body)
                .unwrap();
            let id = norms.fieldnorm_id(address.doc_id);
            let score = bm25(words[0]).score(id, counts[0]) + bm25(words[1]).score(id, counts[1]);
            want.push((score.to_bits(), *address));
        }
        assert!(want.len() > 20);
        let anded = tantivy::query::BooleanQuery::new(
            words
                .iter()
                .map(|word| {
                    (
                        tantivy::query::Occur::Must,
                        Box::new(query(&fields, &[word])) as Box<dyn Query>,
                    )
                })
                .collect(),
        );
        let mut got: Vec<(u32, DocAddress)> = searcher
            .search(&anded, &TopDocs::with_limit(2_000).order_by_score())
            .unwrap()
            .into_iter()
            .map(|(score, address)| (score.to_bits(), address))
            .collect();
        got.sort_by_key(|(_, address)| *address);
        assert_eq!(got, want);
    }

    #[test]
    fn seeking_finds_what_walking_does() {
        let (searcher, fields, _) = archive();
        let weight = query(&fields, &["oil", "price"])
            .weight(EnableScoring::enabled_from_searcher(&searcher))
            .unwrap();
        for reader in searcher.segment_readers() {
            let mut walked = Vec::new();
            let mut scorer = weight.scorer(reader, 1.0).unwrap();
            while scorer.doc() != TERMINATED {
                walked.push(scorer.doc());
                scorer.advance();
            }
            assert!(walked.len() > 10);
            let mut scorer = weight.scorer(reader, 1.0).unwrap();
            for target in (0..reader.max_doc() + 2).step_by(7) {
                let want = walked
                    .iter()
                    .copied()
                    .find(|&doc| doc >= target.max(scorer.doc()))
                    .unwrap_or(TERMINATED);
                assert_eq!(scorer.seek(target), want, "seek({target})");
            }
        }
    }

    /// One segment of articles of these headlines and bodies, in order.
    fn one_segment(articles: &[(&str, &str)]) -> (Searcher, Fields) {
        let (index, fields) = schema::in_ram();
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for (headline, body) in articles {
            let mut article = Article::sample("a", body);
            article.headline = headline.to_string();
            writer
                .add_document(schema::article_document(&fields, &article, 0, "t"))
                .unwrap();
        }
        writer.commit().unwrap();
        (index.reader().unwrap().searcher(), fields)
    }

    #[test]
    fn a_fuzzy_word_matches_words_of_the_body_alone() {
        let (searcher, fields) = one_segment(&[
            ("Tugboat strike", "Crews walked out."),
            ("Harbour news", "The tugboats stayed in port."),
            ("Harbour news", "A tugbot, misspelt."),
            ("Tugboat", ""),
            ("Ferry", "Nothing of the kind."),
        ]);
        let docs = |query: &dyn Query| {
            let mut found: Vec<(DocId, Score)> = searcher
                .search(query, &TopDocs::with_limit(10).order_by_score())
                .unwrap()
                .into_iter()
                .map(|(score, address)| (address.doc_id, score))
                .collect();
            found.sort_by_key(|(doc, _)| *doc);
            found
        };
        let term = Term::from_field_text(fields.body, "tugbot");
        // The whole field: headlines too.
        let anywhere = tantivy::query::FuzzyTermQuery::new(term.clone(), 1, true);
        assert_eq!(docs(&anywhere), [(0, 1.0), (1, 1.0), (2, 1.0), (3, 1.0)]);
        assert_eq!(docs(&OwnBody::fuzzy(term, 1)), [(1, 1.0), (2, 1.0)]);
        let none = Term::from_field_text(fields.body, "zzzzzz");
        assert!(docs(&OwnBody::fuzzy(none, 1)).is_empty());
    }

    #[test]
    fn the_body_starts_where_its_first_word_was_indexed() {
        let long = "x".repeat(41);
        let headlines = [
            String::new(),
            "!!".into(),
            "Oil".into(),
            "Café au lait, 1987: prices-rise".into(),
            format!("{long} ends {long}"),
            format!("Two words {long}"),
        ];
        let articles: Vec<(&str, &str)> = headlines
            .iter()
            .map(|headline| (headline.as_str(), "zebra crossing"))
            .collect();
        let (searcher, fields) = one_segment(&articles);
        let reader = searcher.segment_reader(0);
        let starts = reader.fast_fields().u64(Fields::BODY_START_NAME).unwrap();
        let mut postings = reader
            .inverted_index(fields.body)
            .unwrap()
            .read_postings(
                &Term::from_field_text(fields.body, "zebra"),
                IndexRecordOption::WithFreqsAndPositions,
            )
            .unwrap()
            .unwrap();
        let mut positions = Vec::new();
        for (doc, headline) in headlines.iter().enumerate() {
            assert_eq!(postings.doc(), doc as DocId);
            postings.positions(&mut positions);
            assert_eq!(
                starts.first(doc as DocId),
                Some(u64::from(positions[0])),
                "{headline:?}"
            );
            postings.advance();
        }
    }
}
