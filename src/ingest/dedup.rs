//! Duplicates: an article whose headline and body (its content hash) are
//! indexed already is recorded as a duplicate document, not indexed twice.

use std::collections::HashSet;

use tantivy::{Searcher, Term};

use super::known_files;
use crate::index::schema::{DocKind, Fields};

/// Tells articles already indexed (before this run or during it) from new
/// ones.
pub(super) struct Dedup<'a> {
    before: &'a Searcher,
    fields: &'a Fields,
    /// The index was empty (or is rebuilt): only this run's articles count.
    fresh: bool,
    /// Articles whose indexed copy goes with a replaced file: not indexed
    /// any more, whatever the commit says.
    orphaned: &'a HashSet<u64>,
    added: HashSet<u64>,
}

impl<'a> Dedup<'a> {
    pub(super) fn new(
        before: &'a Searcher,
        fields: &'a Fields,
        fresh: bool,
        orphaned: &'a HashSet<u64>,
    ) -> Dedup<'a> {
        Dedup {
            before,
            fields,
            fresh,
            orphaned,
            added: HashSet::new(),
        }
    }

    /// Whether an article with this content is indexed already; if not, it
    /// is now.
    pub(super) fn is_duplicate(&mut self, content: u64) -> tantivy::Result<bool> {
        if !self.added.insert(content) {
            return Ok(true);
        }
        if self.fresh || self.orphaned.contains(&content) {
            return Ok(false);
        }
        // The term dictionary answers most lookups: no such content at all.
        let term = Term::from_field_u64(self.fields.content, content);
        if self.before.doc_freq(&term)? == 0 {
            return Ok(false);
        }
        let indexed = known_files::docs_with(self.before, self.fields, content, DocKind::Article)?;
        if indexed.is_empty() {
            return Ok(false);
        }
        self.added.remove(&content);
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::schema;
    use crate::Article;
    use tantivy::{Index, TantivyDocument};

    fn article(id: &str, body: &str) -> Article {
        Article::sample(id, body)
    }

    /// An in-RAM index holding these articles, each from its own file.
    fn index_of(articles: &[Article]) -> (Index, Fields) {
        let (index, fields) = schema::in_ram();
        let mut writer = index.writer_with_num_threads(1, 15 << 20).unwrap();
        for article in articles {
            let content = schema::content_hash(article);
            let doc: TantivyDocument =
                schema::article_document(&fields, article, content, &article.path);
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
        (index, fields)
    }

    #[test]
    fn an_indexed_article_and_a_second_copy_in_one_run_are_duplicates() {
        let indexed = article("a", "The ferry sank.");
        let (index, fields) = index_of(std::slice::from_ref(&indexed));
        let searcher = index.reader().unwrap().searcher();
        let orphaned = HashSet::new();
        let mut dedup = Dedup::new(&searcher, &fields, false, &orphaned);
        assert!(dedup.is_duplicate(schema::content_hash(&indexed)).unwrap());
        let new = schema::content_hash(&article("b", "The ferry floated."));
        assert!(!dedup.is_duplicate(new).unwrap());
        assert!(dedup.is_duplicate(new).unwrap(), "the second copy in a run");
    }

    #[test]
    fn an_orphaned_article_is_new_again_and_a_fresh_index_knows_nothing() {
        let indexed = article("a", "The ferry sank.");
        let content = schema::content_hash(&indexed);
        let (index, fields) = index_of(&[indexed]);
        let searcher = index.reader().unwrap().searcher();
        let orphaned: HashSet<u64> = [content].into();
        assert!(!Dedup::new(&searcher, &fields, false, &orphaned)
            .is_duplicate(content)
            .unwrap());
        let none = HashSet::new();
        assert!(!Dedup::new(&searcher, &fields, true, &none)
            .is_duplicate(content)
            .unwrap());
    }
}
