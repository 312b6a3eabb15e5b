//! `show`: one article by its id, and the other files that hold it.

use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use crate::article::Article;
use crate::error::{InIndex, Result};
use crate::index::schema::{self, DocKind, Fields};
use crate::index::ArchiveIndex;

/// An article looked up by id, and the other places it was found.
#[derive(Debug, Clone)]
pub struct Found {
    /// The article itself.
    pub article: Article,
    /// Every other file (id and path) that holds the same article.
    pub copies: Vec<Duplicate>,
    /// Its story, when it is one of two or more near-copies: the story's
    /// id and its other articles, with what differs.
    pub story: Option<super::stories::StoryOf>,
}

/// Another file that holds an article: the id and path its copy has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    /// The copy's own id.
    pub id: String,
    /// The copy's file.
    pub path: String,
}

/// The whole stored article with this id, if there is one. The id of a
/// duplicate finds the article it duplicates; a member's id as dateline
/// wrote it before 0.2 (`archive!/member`) finds the member.
pub fn lookup(index: &ArchiveIndex, id: &str) -> Result<Option<Found>> {
    let fields = index.fields();
    let searcher = index.reader()?.searcher();
    let by_id = TermQuery::new(
        Term::from_field_text(fields.id, id),
        IndexRecordOption::Basic,
    );
    let found = searcher
        .search(&by_id, &DocSetCollector)
        .in_index(index.dir())?;
    let Some(address) = found.into_iter().next() else {
        // An id as an older dateline wrote it (`archive!/member`).
        return match crate::article::current_id(id) {
            Some(current) => lookup(index, &current),
            None => Ok(None),
        };
    };
    let fast = searcher.segment_reader(address.segment_ord).fast_fields();
    let content = fast
        .u64(Fields::CONTENT_NAME)
        .in_index(index.dir())?
        .first(address.doc_id);
    let Some(content) = content else {
        return Ok(Some(Found {
            article: stored_article(index, &searcher, address)?,
            copies: Vec::new(),
            story: None,
        }));
    };
    let same = TermQuery::new(
        Term::from_field_u64(fields.content, content),
        IndexRecordOption::Basic,
    );
    let mut article = None;
    let mut copies = Vec::new();
    for other in searcher
        .search(&same, &DocSetCollector)
        .in_index(index.dir())?
    {
        let stored = stored_article(index, &searcher, other)?;
        let kind = searcher
            .segment_reader(other.segment_ord)
            .fast_fields()
            .u64(Fields::KIND_NAME)
            .in_index(index.dir())?
            .first(other.doc_id);
        if kind == Some(DocKind::Article.code()) && article.is_none() {
            article = Some(stored);
        } else {
            copies.push(Duplicate {
                id: stored.id,
                path: stored.path,
            });
        }
    }
    copies.sort_by(|a, b| a.id.cmp(&b.id));
    match article {
        Some(article) => {
            let story = super::stories::story_of(index, &searcher, &article, content)?;
            Ok(Some(Found {
                article,
                copies,
                story,
            }))
        }
        // The article itself is gone (an interrupted update): show what is stored.
        None => Ok(Some(Found {
            article: stored_article(index, &searcher, address)?,
            copies: Vec::new(),
            story: None,
        })),
    }
}

pub(crate) fn stored_article(
    index: &ArchiveIndex,
    searcher: &Searcher,
    address: DocAddress,
) -> Result<Article> {
    let doc: TantivyDocument = searcher.doc(address).in_index(index.dir())?;
    Ok(schema::to_article(index.fields(), &doc))
}
