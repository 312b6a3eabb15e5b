//! Running a search: the query and date filter in, ranked and highlighted
//! [`Hit`]s out. Knows nothing of how hits are printed.

use std::time::{Duration, Instant};

use rayon::iter::{IndexedParallelIterator, IntoParallelIterator, ParallelIterator};

use tantivy::collector::sort_key::{SortByStaticFastValue, SortByString};
use tantivy::collector::{Count, DocSetCollector, TopDocs};
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{DateTime, DocAddress, Order, Searcher, TantivyDocument, Term};
use time::Date;

use crate::article::Article;
use crate::dates::DateFilter;
use crate::error::Result;
use crate::index::ArchiveIndex;
use crate::query::{self, Highlight};
use crate::schema::{self, DocKind, Fields};
use crate::snippet::{Highlighted, Highlighter};
use crate::suggest::{self, Suggestion};

/// How hits are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    /// Best match first (BM25 over headline and body).
    Relevance,
    /// Latest date first.
    Newest,
    /// Earliest date first.
    Oldest,
}

/// A search, validated: the query is text still, parsed in [`search`].
#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub query: String,
    pub filter: DateFilter,
    /// `None`: relevance with a query, newest first without.
    pub sort: Option<Sort>,
    pub limit: usize,
    pub offset: usize,
    /// Room for a body snippet, in bytes of text.
    pub snippet_len: usize,
    /// How many passages a body snippet may have (at least one).
    pub snippets: usize,
}

/// One matching article, ready to print.
#[derive(Debug, Clone)]
pub struct Hit {
    /// 1-based position in the whole result list.
    pub rank: usize,
    pub id: String,
    pub path: String,
    pub date: Option<Date>,
    /// BM25 score; `None` when sorted by date.
    pub score: Option<f32>,
    pub headline: Highlighted,
    pub snippet: Highlighted,
    /// The whole stored body, as indexed.
    pub body: String,
}

#[derive(Debug, Clone)]
pub struct SearchResults {
    pub query: String,
    pub filter: DateFilter,
    pub sort: Sort,
    /// Every matching article, not only those shown.
    pub total: usize,
    pub offset: usize,
    pub took: Duration,
    pub hits: Vec<Hit>,
    /// When nothing matched: a corrected query that finds something.
    pub suggestion: Option<Suggestion>,
}

/// Runs a search on the last commit of the index.
pub fn search(index: &ArchiveIndex, request: &SearchRequest) -> Result<SearchResults> {
    let started = Instant::now();
    let node = query::parse(&request.query)?;
    let fields = index.fields();
    let analyzer = schema::english_analyzer();
    let compiled = query::compile(node.as_ref(), &request.filter, fields, &analyzer)?;
    let sort = request.sort.unwrap_or(if node.is_some() {
        Sort::Relevance
    } else {
        Sort::Newest
    });

    let searcher = index.reader()?.searcher();
    let top = TopDocs::with_limit(request.limit.max(1)).and_offset(request.offset);
    let (total, found): (usize, Vec<(Option<f32>, DocAddress)>) = match sort {
        Sort::Relevance => {
            let ranked = top.order_by_score();
            let (total, docs) = if compiled.ranks_without_scoring_all {
                searcher
                    .search(&compiled.query, &Count)
                    .and_then(|total| Ok((total, searcher.search(&compiled.query, &ranked)?)))
            } else {
                searcher.search(&compiled.query, &(Count, ranked))
            }
            .map_err(|err| index.error(err))?;
            (total, docs.into_iter().map(|(s, a)| (Some(s), a)).collect())
        }
        Sort::Newest | Sort::Oldest => {
            let order = if sort == Sort::Newest {
                Order::Desc
            } else {
                Order::Asc
            };
            // Articles of the same moment in the order of their files'
            // paths (then of their contents, for articles of one file): the
            // same from one page to the next and in every index of the same
            // files. Undated ones come last.
            let by_date = top.order_by((
                (
                    SortByStaticFastValue::<DateTime>::for_field(Fields::DATE_NAME),
                    order,
                ),
                (
                    (SortByString::for_field(Fields::SOURCE_NAME), Order::Asc),
                    (
                        SortByStaticFastValue::<u64>::for_field(Fields::CONTENT_NAME),
                        Order::Asc,
                    ),
                ),
            ));
            let (total, docs) = searcher
                .search(&compiled.query, &(Count, by_date))
                .map_err(|err| index.error(err))?;
            (total, docs.into_iter().map(|(_, a)| (None, a)).collect())
        }
    };

    let hits = to_hits(
        index,
        &searcher,
        found,
        &compiled.highlights,
        request.offset,
        request.snippet_len,
        request.snippets,
    )?;
    let suggestion = match &node {
        Some(node) if total == 0 => {
            suggest::suggest(&searcher, fields, &request.query, node, &request.filter)
                .map_err(|err| index.error(err))?
        }
        _ => None,
    };

    Ok(SearchResults {
        query: request.query.clone(),
        filter: request.filter,
        sort,
        total,
        offset: request.offset,
        took: started.elapsed(),
        hits,
        suggestion,
    })
}

/// How many articles match a query and date filter: the count alone, with
/// no ranking, stored documents or snippets.
pub fn count(index: &ArchiveIndex, query: &str, filter: &DateFilter) -> Result<usize> {
    let node = query::parse(query)?;
    let compiled = query::compile(
        node.as_ref(),
        filter,
        index.fields(),
        &schema::english_analyzer(),
    )?;
    let searcher = index.reader()?.searcher();
    searcher
        .search(&compiled.query, &Count)
        .map_err(|err| index.error(err))
}

/// Turns found documents into [`Hit`]s: their stored text, the headline and
/// a body snippet marked with `highlights`. `offset` is how many hits came
/// before these, for their ranks. Shared by every command that lists hits.
pub(crate) fn to_hits(
    index: &ArchiveIndex,
    searcher: &Searcher,
    found: Vec<(Option<f32>, DocAddress)>,
    highlights: &[Highlight],
    offset: usize,
    snippet_len: usize,
    snippets: usize,
) -> Result<Vec<Hit>> {
    let fields = index.fields();
    let analyzer = schema::english_analyzer();
    let headlines = Highlighter::new(searcher, analyzer.clone(), fields.headline, highlights)
        .map_err(|err| index.error(err))?;
    let bodies = Highlighter::new(searcher, analyzer, fields.body, highlights)
        .map_err(|err| index.error(err))?;
    // Reading and highlighting ten long articles takes longer than finding
    // them: spread over the cores, each with highlighters of its own.
    found
        .into_par_iter()
        .enumerate()
        .map_init(
            || (headlines.clone(), bodies.clone()),
            |(headlines, bodies), (i, (score, address))| {
                let article = stored_article(index, searcher, address)?;
                Ok(Hit {
                    rank: offset + i + 1,
                    headline: headlines.whole(&article.headline),
                    snippet: bodies.snippets(&article.body, snippet_len, snippets),
                    body: article.body,
                    id: article.id,
                    path: article.path,
                    date: article.date,
                    score,
                })
            },
        )
        .collect()
}

/// An article looked up by id, and the other places it was found.
#[derive(Debug, Clone)]
pub struct Found {
    pub article: Article,
    /// Every other file (id and path) that holds the same article.
    pub copies: Vec<Copy>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copy {
    pub id: String,
    pub path: String,
}

/// The whole stored article with this id, if there is one. The id of a
/// duplicate finds the article it duplicates.
pub fn lookup(index: &ArchiveIndex, id: &str) -> Result<Option<Found>> {
    let fields = index.fields();
    let searcher = index.reader()?.searcher();
    let by_id = TermQuery::new(
        Term::from_field_text(fields.id, id),
        IndexRecordOption::Basic,
    );
    let found = searcher
        .search(&by_id, &DocSetCollector)
        .map_err(|err| index.error(err))?;
    let Some(address) = found.into_iter().next() else {
        return Ok(None);
    };
    let fast = searcher.segment_reader(address.segment_ord).fast_fields();
    let content = fast
        .u64(Fields::CONTENT_NAME)
        .map_err(|err| index.error(err))?
        .first(address.doc_id);
    let Some(content) = content else {
        return Ok(Some(Found {
            article: stored_article(index, &searcher, address)?,
            copies: Vec::new(),
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
        .map_err(|err| index.error(err))?
    {
        let stored = stored_article(index, &searcher, other)?;
        let kind = searcher
            .segment_reader(other.segment_ord)
            .fast_fields()
            .u64(Fields::KIND_NAME)
            .map_err(|err| index.error(err))?
            .first(other.doc_id);
        if kind == Some(DocKind::Article.code()) && article.is_none() {
            article = Some(stored);
        } else {
            copies.push(Copy {
                id: stored.id,
                path: stored.path,
            });
        }
    }
    copies.sort_by(|a, b| a.id.cmp(&b.id));
    match article {
        Some(article) => Ok(Some(Found { article, copies })),
        // The article itself is gone (an interrupted update): show what is stored.
        None => Ok(Some(Found {
            article: stored_article(index, &searcher, address)?,
            copies: Vec::new(),
        })),
    }
}

fn stored_article(
    index: &ArchiveIndex,
    searcher: &Searcher,
    address: DocAddress,
) -> Result<Article> {
    let doc: TantivyDocument = searcher.doc(address).map_err(|err| index.error(err))?;
    Ok(schema::to_article(index.fields(), &doc))
}
