//! How a word's matches are weighed: BM25, with one idf per word however
//! many fields it is searched in.
//!
//! A word searched anywhere is a union of a headline query (boosted) and a
//! body query. With each field's own statistics, a word that is common in
//! bodies but rare in headlines got a large headline idf, so one headline
//! match outweighed many body matches, and the idf was counted twice. The
//! standard answer is BM25F (one idf, the fields' term frequencies weighted
//! and saturated together); [`SharedIdf`] takes its first half: headline
//! and body give a word the idf of the one where it is more common, an
//! estimate of how many articles have the word anywhere. It works through
//! tantivy's statistics hook, so the term queries keep their block-max
//! WAND pruning.
//!
//! BM25's "documents" are articles: the index also holds a record of each
//! file it read and of each copy it found elsewhere, which have no words.
//! Counted as documents, they halved the average length of a headline and
//! a body in an archive of one article per file (TIME, BBC) and raised
//! every idf; [`Articles`] counts articles alone.

use tantivy::query::Bm25StatisticsProvider;
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

use crate::index::schema::{DocKind, Fields};

/// A searcher's statistics, its documents counted as articles: not the
/// records of files read, nor the copies of articles indexed elsewhere.
/// As tantivy's own count, it includes articles deleted but not yet
/// merged away, as the counts of words and tokens it is divided into do.
pub(crate) struct Articles<'a> {
    searcher: &'a Searcher,
    articles: u64,
}

impl<'a> Articles<'a> {
    pub(crate) fn new(searcher: &'a Searcher, fields: &Fields) -> tantivy::Result<Articles<'a>> {
        let articles =
            searcher.doc_freq(&Term::from_field_u64(fields.kind, DocKind::Article.code()))?;
        Ok(Articles { searcher, articles })
    }

    /// How many articles the searcher has.
    pub(crate) fn count(&self) -> u64 {
        self.articles
    }
}

impl Bm25StatisticsProvider for Articles<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        Bm25StatisticsProvider::total_num_tokens(self.searcher, field)
    }

    /// (At least 1: tantivy divides by it, and an index of no article
    /// scores nothing anyway.)
    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self.articles.max(1))
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        self.searcher.doc_freq(term)
    }
}

/// The searcher's statistics, with the headline's and the body's document
/// frequency of a word both replaced by the larger of the two.
pub(crate) struct SharedIdf<'a> {
    /// The statistics shared: the searcher's, or the whole archive's when
    /// it is in shards (see [`super::shards`]).
    statistics: &'a dyn Bm25StatisticsProvider,
    /// The fields whose words share an idf: those a word searched
    /// anywhere is looked for in. (Not `quoted`: a `quoted:` word keeps its
    /// own, and a search that does not name it never opens that field.)
    shared: [Field; 2],
}

impl<'a> SharedIdf<'a> {
    pub(crate) fn new(
        statistics: &'a dyn Bm25StatisticsProvider,
        fields: &Fields,
    ) -> SharedIdf<'a> {
        SharedIdf {
            statistics,
            shared: [fields.headline, fields.body],
        }
    }
}

impl Bm25StatisticsProvider for SharedIdf<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        self.statistics.total_num_tokens(field)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        self.statistics.total_num_docs()
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        if !self.shared.contains(&term.field()) {
            return self.statistics.doc_freq(term);
        }
        let mut most = 0;
        for field in &self.shared {
            let mut same = Term::from_field_text(*field, "");
            same.append_bytes(term.serialized_value_bytes());
            most = most.max(self.statistics.doc_freq(&same)?);
        }
        Ok(most)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::schema;
    use tantivy::TantivyDocument;

    #[test]
    fn a_word_has_the_idf_of_the_field_where_it_is_most_common() {
        let (schema, fields) = schema::build();
        let index = tantivy::Index::create_in_ram(schema);
        schema::register_analyzers(&index);
        let mut writer: tantivy::IndexWriter =
            index.writer_with_num_threads(1, 15_000_000).unwrap();
        // "cocoa" in one headline and three bodies; "ghana" in two
        // headlines and no body.
        for (headline, body) in [
            ("cocoa", "prices"),
            ("ghana", "cocoa crop"),
            ("ghana", "cocoa talks"),
            ("grain", "cocoa buffer"),
        ] {
            let mut doc = TantivyDocument::default();
            doc.add_text(fields.headline, headline);
            doc.add_text(fields.body, body);
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let shared = SharedIdf::new(&searcher, &fields);
        let df = |field, word| {
            shared
                .doc_freq(&Term::from_field_text(field, word))
                .unwrap()
        };
        assert_eq!(
            searcher
                .doc_freq(&Term::from_field_text(fields.headline, "cocoa"))
                .unwrap(),
            1
        );
        assert_eq!(df(fields.headline, "cocoa"), 3);
        assert_eq!(df(fields.body, "cocoa"), 3);
        assert_eq!(df(fields.body, "ghana"), 2);
        assert_eq!(df(fields.quoted, "ghana"), 0);
        // Other fields keep their own.
        assert_eq!(df(fields.author, "cocoa"), 0);
        assert_eq!(shared.total_num_docs().unwrap(), 4);
    }
}
