//! Articles like a given one: tantivy's more-like-this over its headline and
//! body, with the date filter of a search, ranked and turned into the same
//! [`Hit`](crate::search::Hit)s as a search.

use std::collections::BTreeMap;
use std::time::Instant;

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
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
    let like = more_like_this(
        &searcher,
        &mlt_fields(fields, &source),
        (articles / MAX_DOC_SHARE).max(MIN_COMMON_ARTICLES),
    )
    .in_index(index.dir())?;

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
/// where it counts in the headline and in the whole article), and to the
/// body field too, which holds other articles' headlines and bodies.
///
/// Words with digits in them (figures, dates, tickers) are left out: every
/// market report is full of them, and they say nothing of what it is about.
fn mlt_fields(fields: &Fields, article: &Article) -> Vec<(Field, Vec<String>)> {
    let text = without_numbers;
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

/// The article's words as a query, as tantivy's `MoreLikeThisQuery` makes
/// it (Lucene's more-like-this): each word of each field's text, analysed as
/// the field is, weighed by its frequency there times its idf over the
/// index's documents, kept if it is in at least [`MIN_DOC_FREQUENCY`] and
/// at most `most_articles` articles; each a term query boosted by its weight
/// over the heaviest's. Every word counts: a cap (Lucene's default is 25)
/// chose among words of equal weight in hash order, so the same article
/// found different articles from one run to the next, and news stories are
/// short enough for a query of all their words. And the words are in the
/// order of their terms: tantivy orders them by weight, and words of equal
/// weight as a hash map gives them, which changes from run to run; a union
/// adds its clauses' scores in their order, so the same article scored a
/// float's last bit apart from one run to the next (and two nearly equal
/// ones could swap places).
fn more_like_this(
    searcher: &Searcher,
    text: &[(Field, Vec<String>)],
    most_articles: u64,
) -> tantivy::Result<BooleanQuery> {
    let mut frequencies: BTreeMap<Term, usize> = BTreeMap::new();
    for (field, values) in text {
        let mut analyzer = searcher.index().tokenizer_for_field(*field)?;
        for value in values {
            analyzer.token_stream(value).process(&mut |token| {
                if token.text.len() >= MIN_WORD_LENGTH {
                    *frequencies
                        .entry(Term::from_field_text(*field, &token.text))
                        .or_insert(0) += 1;
                }
            });
        }
    }
    let documents: u64 = searcher
        .segment_readers()
        .iter()
        .map(|segment| u64::from(segment.num_docs()))
        .sum();
    let mut weighed = Vec::new();
    for (term, frequency) in frequencies {
        if frequency < MIN_TERM_FREQUENCY {
            continue;
        }
        let articles = searcher.doc_freq(&term)?;
        if articles < MIN_DOC_FREQUENCY || articles > most_articles {
            continue;
        }
        let idf = (1.0 + ((documents - articles) as f32 + 0.5) / (articles as f32 + 0.5)).ln();
        weighed.push((term, frequency as f32 * idf));
    }
    let heaviest = weighed
        .iter()
        .map(|(_, weight)| *weight)
        .reduce(f32::max)
        .unwrap_or(1.0);
    Ok(BooleanQuery::new(
        weighed
            .into_iter()
            .map(|(term, weight)| {
                let query: Box<dyn Query> = Box::new(BoostQuery::new(
                    Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
                    weight / heaviest,
                ));
                (Occur::Should, query)
            })
            .collect(),
    ))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_words_of_an_article_are_asked_for_in_the_order_of_their_terms() {
        let (index, fields) = schema::in_ram();
        let mut writer: tantivy::IndexWriter =
            index.writer_with_num_threads(1, 15_000_000).unwrap();
        let bodies = [
            "Cocoa prices rose as traders watched the harvest in Ghana.",
            "Cocoa farmers in Ghana expect a smaller harvest this year.",
            "Traders said cocoa and coffee prices rose again.",
            "Coffee prices fell as the harvest in Brazil grew.",
        ];
        for (at, body) in bodies.iter().enumerate() {
            let article = Article::sample(&format!("a{at}"), body);
            writer
                .add_document(schema::article_document(&fields, &article, at as u64, "t"))
                .unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let article = Article::sample(
            "x",
            "Ghana cocoa harvest prices rose, traders said; coffee too.",
        );
        let text = mlt_fields(&fields, &article);
        let terms = |query: &BooleanQuery| -> Vec<Term> {
            let mut terms = Vec::new();
            query.query_terms(&mut |term, _| terms.push(term.clone()));
            terms
        };
        let first = more_like_this(&searcher, &text, 4).unwrap();
        let found = terms(&first);
        assert!(found.len() >= 5, "{found:?}");
        let mut sorted = found.clone();
        sorted.sort();
        assert_eq!(found, sorted);
        // Made again (tantivy's hash maps are seeded anew each time): the
        // same query, to the bit.
        for _ in 0..10 {
            let again = more_like_this(&searcher, &text, 4).unwrap();
            assert_eq!(format!("{again:?}"), format!("{first:?}"));
        }
    }
}
