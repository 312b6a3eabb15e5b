//! Articles like a given one: tantivy's more-like-this over its headline and
//! body, with the date filter of a search, ranked and turned into the same
//! [`Hit`](crate::search::Hit)s as a search.

use std::time::Instant;

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, MoreLikeThisQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, OwnedValue};
use tantivy::{Searcher, Term};

use crate::article::Article;
use crate::dates::DateFilter;
use crate::error::{InIndex, Result};
use crate::index::schema::{self, DocKind, Fields};
use crate::index::ArchiveIndex;
use crate::search::query;
use crate::search::{self, SearchResults, Sort};

/// A request for the articles most like one article, validated.
#[derive(Debug, Clone)]
pub struct RelatedRequest {
    /// The article's id, as `search` prints it (a copy's id finds the
    /// article it copies).
    pub id: String,
    /// The days to look in.
    pub filter: DateFilter,
    /// How many related articles to return.
    pub limit: usize,
    /// How many to skip first.
    pub offset: usize,
    /// Room for a body snippet, in bytes of text.
    pub snippet_len: usize,
}

/// The articles found like one article.
#[derive(Debug, Clone)]
pub struct RelatedResults {
    /// The article they are like.
    pub source: Article,
    /// Ranked most similar first; `query` is the id as given. No words are
    /// marked: the terms more-like-this picks stay inside tantivy.
    pub results: SearchResults,
}

/// Words in fewer articles than this say nothing about likeness: every
/// article has its own words, and a word of its own (found only in it) can
/// find nothing else.
const MIN_DOC_FREQUENCY: u64 = 2;

/// Words in more than this share of the articles (`said`, `the`, `year`)
/// are noise to likeness; in a small index, at least
/// [`MIN_COMMON_ARTICLES`] of them.
const MAX_DOC_SHARE: u64 = 10;
const MIN_COMMON_ARTICLES: u64 = 5;

/// Once is enough: news stories are short, and a word used once in 150
/// (a place, a crop, a company) often says what the story is about. Common
/// words are kept out by their document frequency instead.
const MIN_TERM_FREQUENCY: usize = 1;

/// No cap on the words the similarity query is made of: every word that
/// passes the filters above counts, weighted by its term frequency × idf.
/// A cap (Lucene's default is 25) makes more-like-this choose among words
/// of equal weight in hash order, so the same article found different
/// articles from one run to the next; news stories are short, and a query
/// of a few hundred words takes milliseconds.
const MAX_QUERY_TERMS: usize = usize::MAX;

/// Shorter words (the `s` of `U.S.`) are dropped.
const MIN_WORD_LENGTH: usize = 2;

/// The articles most like the one with `request.id`, or `None` when no
/// article has that id.
pub fn related(index: &ArchiveIndex, request: &RelatedRequest) -> Result<Option<RelatedResults>> {
    let started = Instant::now();
    let Some(found) = search::lookup::lookup(index, &request.id)? else {
        return Ok(None);
    };
    let source = found.article;
    let fields = index.fields();
    let searcher = index.reader()?.searcher();

    let articles = searcher
        .doc_freq(&Term::from_field_u64(fields.kind, DocKind::Article.code()))
        .in_index(index.dir())?;
    let like = MoreLikeThisQuery::builder()
        .with_min_doc_frequency(MIN_DOC_FREQUENCY)
        .with_max_doc_frequency((articles / MAX_DOC_SHARE).max(MIN_COMMON_ARTICLES))
        .with_min_term_frequency(MIN_TERM_FREQUENCY)
        .with_max_query_terms(MAX_QUERY_TERMS)
        .with_min_word_length(MIN_WORD_LENGTH)
        .with_document_fields(mlt_fields(fields, &source));

    let analyzer = schema::english_analyzer();
    // The date filter as a search compiles it (every article when empty).
    let dates = query::compile(None, &request.filter, fields, &analyzer)?.query;
    let content = schema::content_hash(&source);
    let mut clauses = vec![
        (Occur::Must, Box::new(like) as Box<dyn Query>),
        (Occur::Must, query::all_articles(fields)),
        (Occur::Must, dates),
        // Never the article itself, nor another article with the same text.
        (
            Occur::MustNot,
            term(Term::from_field_text(fields.id, &source.id)),
        ),
        (
            Occur::MustNot,
            term(Term::from_field_u64(fields.content, content)),
        ),
    ];
    // Nor its near-copies: they are the same story, not related ones.
    let stories = index.stories()?;
    if let Some((story, _)) = stories.of(content) {
        for member in stories.story(story).members() {
            clauses.push((
                Occur::MustNot,
                term(Term::from_field_u64(fields.content, member.content)),
            ));
        }
    }
    let query = BooleanQuery::new(clauses);

    let (total, found) = ranked(index, &searcher, &query, request)?;
    let hits = search::to_hits(
        index,
        &searcher,
        &searcher,
        found,
        &[],
        search::Layout {
            offset: request.offset,
            snippet_len: request.snippet_len,
            snippets: 1,
        },
    )?;
    Ok(Some(RelatedResults {
        source,
        results: SearchResults {
            most_words: None,
            query: request.id.clone(),
            filter: request.filter,
            sort: Sort::Relevance,
            total,
            total_exact: true,
            offset: request.offset,
            took: started.elapsed(),
            hits,
            suggestion: None,
            operators: None,
            facets: Vec::new(),
            folded: false,
            stories: None,
        },
    }))
}

/// The text more-like-this picks its words from: the headline and the
/// body's own words (not what it quotes, which the body field of other
/// articles does not hold either). Each field's words are
/// looked for in the same field of other articles. The headline is given
/// twice, so a headline word weighs like two body words (as in a search,
/// [`schema::HEADLINE_BOOST`]), and to the body field too, so its words are
/// also found in the bodies of other articles.
///
/// Words with digits in them (figures, dates, tickers) are left out: every
/// market report is full of them, and they say nothing of what it is about.
fn mlt_fields(fields: &Fields, article: &Article) -> Vec<(Field, Vec<OwnedValue>)> {
    let text = |s: &str| OwnedValue::Str(without_numbers(s));
    vec![
        (
            fields.headline,
            vec![text(&article.headline), text(&article.headline)],
        ),
        (
            fields.body,
            vec![
                text(&article.headline),
                text(&article.headline),
                text(&article.own_words()),
            ],
        ),
    ]
}

fn without_numbers(text: &str) -> String {
    text.split_whitespace()
        .filter(|word| !word.bytes().any(|b| b.is_ascii_digit()))
        .collect::<Vec<_>>()
        .join(" ")
}

fn term(term: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(term, IndexRecordOption::Basic))
}

type Ranked = (usize, Vec<(Option<f32>, tantivy::DocAddress)>);

/// How many articles match, and the requested page of them, best first.
fn ranked(
    index: &ArchiveIndex,
    searcher: &Searcher,
    query: &dyn Query,
    request: &RelatedRequest,
) -> Result<Ranked> {
    let top = TopDocs::with_limit(request.limit.max(1))
        .and_offset(request.offset)
        .order_by_score();
    let (total, docs) = searcher
        .search(query, &(Count, top))
        .in_index(index.dir())?;
    Ok((total, docs.into_iter().map(|(s, a)| (Some(s), a)).collect()))
}
