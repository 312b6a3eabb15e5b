//! The query language, from the user's text to a tantivy query:
//! [`syntax`] reads the text into a tree ([`Node`]); [`compile()`] turns the
//! tree and a date filter into what tantivy runs ([`CompiledQuery`]).
//! The syntax, as users read it, is [`SYNTAX_HELP`].

pub mod compile;
mod date_docs;
mod headline_first;
mod own_body;
mod ranked_apart;
mod seeking_union;
pub mod syntax;
mod words_anded;

pub use compile::{all_articles, compile, date_range, CompiledQuery, Highlight};
pub use date_docs::DateDocs;
pub use headline_first::HeadlineFirst;
pub use own_body::OwnBody;
pub use seeking_union::SeekingUnion;
pub use syntax::{parse, Exact, Node, QueryError, Scope, MAX_EDITS};
pub use words_anded::WordsAnded;

/// The query syntax and date forms as `dateline search --help` shows them:
/// the one source of this text (`doc/GUIDE.md` quotes it, and a test checks
/// that it does so word for word).
pub const SYNTAX_HELP: &str = include_str!("../../../doc/query-syntax.txt");

/// `query` with each union (a word's headline and body queries, words
/// ORed) made a [`SeekingUnion`]: for a search a narrow date range drives.
/// Everything else, unions that need several clauses to match included,
/// is kept as it is.
pub fn with_seeking_unions(
    query: Box<dyn tantivy::query::Query>,
) -> Box<dyn tantivy::query::Query> {
    use tantivy::query::{BooleanQuery, Occur};
    if let Some(anded) = query.downcast_ref::<WordsAnded>() {
        return with_seeking_unions(anded.query().box_clone());
    }
    if let Some(phrase) = query.downcast_ref::<HeadlineFirst>() {
        return with_seeking_unions(phrase.query().box_clone());
    }
    let Some(boolean) = query.downcast_ref::<BooleanQuery>() else {
        return query;
    };
    let clauses: Vec<(Occur, Box<dyn tantivy::query::Query>)> = boolean
        .clauses()
        .iter()
        .map(|(occur, clause)| (*occur, with_seeking_unions(clause.box_clone())))
        .collect();
    let minimum = boolean.get_minimum_number_should_match();
    if minimum <= 1 && clauses.iter().all(|(occur, _)| *occur == Occur::Should) {
        return Box::new(SeekingUnion::new(
            clauses.into_iter().map(|(_, clause)| clause).collect(),
        ));
    }
    Box::new(BooleanQuery::with_minimum_required_clauses(
        clauses, minimum,
    ))
}

/// For tests: numbers below the one asked for, from a xorshift generator
/// seeded with `seed`, the same for the same seed on every run.
#[cfg(test)]
fn numbers_below(mut seed: u64) -> impl FnMut(usize) -> usize {
    move |below| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % below as u64) as usize
    }
}
