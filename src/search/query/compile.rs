//! From a parsed query ([`Node`]) and a date filter to a tantivy query,
//! with what a snippet should mark. Words are analysed like the indexed
//! text (lowercased, accents folded, stemmed), so `talks` finds `talk`. A
//! word that the analyser splits in several (`covid-19`, `U.S.`) is
//! searched as a phrase.

use std::ops::Bound;

use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, PhraseQuery, Query,
    RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::Term;
use time::Duration;

use super::headline_first::HeadlineFirst;
use super::own_body::OwnBody;
use super::syntax::{Exact, Node, QueryError, Scope};
use super::words_anded::{WordTerms, WordsAnded};
use crate::dates::{self, DateFilter};
use crate::index::schema::{self, DocKind, Fields, HEADLINE_BOOST};

/// A query ready to run, and what a snippet should mark.
pub struct CompiledQuery {
    /// What tantivy runs.
    pub query: Box<dyn Query>,
    /// Every word and phrase that must or may match (never excluded ones),
    /// analysed, on the field it was looked for in.
    pub highlights: Vec<Highlight>,
    /// The query is one word, words ORed, words ANDed or a phrase looked
    /// for anywhere, with no date filter. Such a query's best hits are
    /// ranked without scoring every match (tantivy's block-max WAND;
    /// [`super::WordsAnded`]; [`super::HeadlineFirst`]), so counting
    /// the matches apart is cheaper than doing both in one pass; for
    /// anything else one pass is cheaper.
    pub ranks_without_scoring_all: bool,
}

/// Something a hit's text is marked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Highlight {
    /// One analysed word: every occurrence is marked.
    Term(Term),
    /// Analysed words at relative positions: only whole occurrences are marked.
    Phrase(Vec<(usize, Term)>),
    /// Every word within `distance` edits of an analysed word.
    Fuzzy {
        /// The analysed word.
        term: Term,
        /// 1 or 2.
        distance: u8,
    },
    /// Every word whose written form (lowercased, accents folded) starts
    /// with a prefix.
    Prefix {
        /// The prefix, on the text field whose words are marked.
        term: Term,
        /// The field of that text's words as written.
        written: Field,
    },
}

impl Highlight {
    /// The field the marked words are in.
    pub fn field(&self) -> Option<Field> {
        match self {
            Highlight::Term(term)
            | Highlight::Prefix { term, .. }
            | Highlight::Fuzzy { term, .. } => Some(term.field()),
            Highlight::Phrase(terms) => terms.first().map(|(_, term)| term.field()),
        }
    }
}

/// How a word matches more than itself.
#[derive(Debug, Clone, Copy)]
enum Pattern {
    Fuzzy(u8),
    Prefix,
}

/// Turns a parsed query and a date filter into a tantivy query. `None`
/// (an empty query) matches every article in the date filter.
pub fn compile(
    node: Option<&Node>,
    filter: &DateFilter,
    fields: &Fields,
    analyzer: &TextAnalyzer,
) -> Result<CompiledQuery, QueryError> {
    let mut compiler = Compiler {
        fields,
        analyzer: analyzer.clone(),
        highlights: Vec::new(),
    };
    let text_query = match node {
        None => None,
        Some(node) => Some(compiler.node(node, false).ok_or_else(|| QueryError {
            column: 1,
            message: "no words to search for".into(),
            hint: Some("words are made of letters and digits"),
        })?),
    };
    let date_query = date_range(fields.date, filter);
    let mut ranks_without_scoring_all = date_query.is_none()
        && node.is_some_and(|node| words_ored(node, analyzer) || body_word(node, analyzer));
    // Words ANDed rank a page by skipping what cannot reach it, when nothing
    // else (a date range) has to be matched with them.
    let anded = match (node, &date_query) {
        (Some(node), None) => compiler.anded_words(node),
        _ => None,
    };
    let text_query = match (text_query, anded) {
        (Some(query), Some(words)) => {
            ranks_without_scoring_all = true;
            let (words, own_body) = words.into_iter().unzip();
            Some(Box::new(WordsAnded::with_own_body(words, own_body, query)) as Box<dyn Query>)
        }
        (query, _) => query,
    };
    // So does a phrase looked for anywhere, from its headline matches.
    let text_query = match (text_query, node, &date_query) {
        (
            Some(query),
            Some(Node::Text {
                scope: Scope::Anywhere,
                ..
            }),
            None,
        ) => match headline_first(&*query) {
            Some(ranked) => {
                ranks_without_scoring_all = true;
                Some(ranked)
            }
            None => Some(query),
        },
        (query, _, _) => query,
    };
    let query: Box<dyn Query> = match (text_query, date_query) {
        (None, None) => all_articles(fields),
        (Some(text), None) => text,
        (None, Some(dates)) => dates,
        (Some(text), Some(dates)) => Box::new(BooleanQuery::new(vec![
            (Occur::Must, text),
            (Occur::Must, dates),
        ])),
    };
    Ok(CompiledQuery {
        query,
        highlights: compiler.highlights,
        ranks_without_scoring_all,
    })
}

/// Whether a query is one word of the body alone (`body:said`): an
/// [`OwnBody`] word, which ranks a page from the field's postings.
fn body_word(node: &Node, analyzer: &TextAnalyzer) -> bool {
    matches!(node, Node::Text { scope: Scope::Body, text, .. }
        if analysed_words(&mut analyzer.clone(), text).len() == 1)
}

/// Whether a query is a word (one after analysis) or words ORed: what
/// compiles to a union of term queries.
fn words_ored(node: &Node, analyzer: &TextAnalyzer) -> bool {
    match node {
        // (`body:` is not a term query: see `OwnBody`.)
        Node::Text { scope, text, .. } => {
            *scope != Scope::Body && analysed_words(&mut analyzer.clone(), text).len() == 1
        }
        Node::Or(items) => items.iter().all(|item| words_ored(item, analyzer)),
        _ => false,
    }
}

/// The queries of which any one matching makes `query` match: its clauses
/// when it is itself such a union (a word looked for in the headline and
/// the body), else `query`. An OR of words made one flat union of term
/// queries scores the same (a union sums its clauses) and lets tantivy
/// rank it without scoring every match (block-max WAND), which it does
/// only for a union of term queries, not for a union of unions.
fn alternatives(query: Box<dyn Query>) -> Vec<Box<dyn Query>> {
    match query.downcast_ref::<BooleanQuery>() {
        Some(union)
            if union.get_minimum_number_should_match() <= 1
                && union
                    .clauses()
                    .iter()
                    .all(|(occur, _)| *occur == Occur::Should) =>
        {
            union
                .clauses()
                .iter()
                .map(|(_, clause)| clause.box_clone())
                .collect()
        }
        _ => vec![query],
    }
}

/// Every article, and nothing of the index's bookkeeping (duplicates' and
/// files' records).
pub fn all_articles(fields: &Fields) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(
        Box::new(TermQuery::new(
            Term::from_field_u64(fields.kind, DocKind::Article.code()),
            IndexRecordOption::Basic,
        )),
        0.0,
    ))
}

/// Articles dated inside the filter, scoring 0 so dates never sway relevance.
pub fn date_range(field: Field, filter: &DateFilter) -> Option<Box<dyn Query>> {
    if filter.is_empty() {
        return None;
    }
    let lower = filter.from.map_or(Bound::Unbounded, |first| {
        Bound::Included(Term::from_field_date_for_search(
            field,
            schema::to_datetime(first),
        ))
    });
    let upper = filter.to.map_or(Bound::Unbounded, |last| {
        // No article is dated after the last day an index holds, so a later
        // end is that day: the day after it always exists, where the day
        // after `--to 9999-12-31` does not, and a range with neither bound
        // is one tantivy panics on.
        let last = last.min(*dates::INDEXABLE.end());
        // Everything before the next midnight, whatever time of day it has.
        match last.checked_add(Duration::days(1)) {
            Some(next) => Bound::Excluded(Term::from_field_date_for_search(
                field,
                schema::to_datetime(next),
            )),
            None => Bound::Unbounded,
        }
    });
    Some(Box::new(ConstScoreQuery::new(
        Box::new(RangeQuery::new(lower, upper)),
        0.0,
    )))
}

/// A phrase's union of its headline (boosted, or not) and body queries, ranked
/// headline first ([`HeadlineFirst`]); `None` for anything else.
fn headline_first(query: &dyn Query) -> Option<Box<dyn Query>> {
    let union = query.downcast_ref::<BooleanQuery>()?;
    let [(Occur::Should, headline), (Occur::Should, body)] = union.clauses() else {
        return None;
    };
    if !(headline.is::<BoostQuery>() || headline.is::<PhraseQuery>()) {
        return None;
    }
    let body = body.downcast_ref::<PhraseQuery>()?;
    Some(Box::new(HeadlineFirst::new(
        query.box_clone(),
        headline.box_clone(),
        body.clone(),
    )))
}

/// The words the analyser makes of `text`.
fn analysed_words(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(token) = stream.next() {
        words.push(token.text.clone());
    }
    words
}

/// The most words ANDed that are compiled as nested intersections of two
/// and ranked by [`WordsAnded`]: nested deeper, building and walking the
/// query would use the stack up (a pasted text of thousands of words).
/// More are one flat intersection, every match scored.
const MOST_WORDS_ANDED: usize = 64;

struct Compiler<'a> {
    fields: &'a Fields,
    analyzer: TextAnalyzer,
    highlights: Vec<Highlight>,
}

impl Compiler<'_> {
    /// Each word's terms when `node` is words ANDed (no phrase, pattern or
    /// exclusion), at most [`MOST_WORDS_ANDED`] of them: the terms
    /// [`Compiler::text`] makes a word's union of, in its order; and for a
    /// `body:` word, the [`OwnBody`] query it is.
    fn anded_words(&self, node: &Node) -> Option<Vec<(WordTerms, Option<OwnBody>)>> {
        let Node::And(items) = node else {
            return None;
        };
        if items.len() > MOST_WORDS_ANDED {
            return None;
        }
        items
            .iter()
            .map(|item| match item {
                Node::Text { scope, text, .. }
                    if !matches!(scope, Scope::Kind(_) | Scope::Exact(_)) =>
                {
                    let words = analysed_words(&mut self.analyzer_for(*scope), text);
                    let [word] = words.as_slice() else {
                        return None;
                    };
                    let terms: WordTerms = self
                        .scoped_fields(*scope)
                        .into_iter()
                        .map(|(field, boost)| (Term::from_field_text(field, word), boost))
                        .collect();
                    let own_body = match (scope, terms.as_slice()) {
                        (Scope::Body, [(term, _)]) => Some(OwnBody::new(vec![(0, term.clone())])?),
                        _ => None,
                    };
                    Some((terms, own_body))
                }
                _ => None,
            })
            .collect()
    }

    /// `None` when the node has no searchable word in it (`-`, `!!!`).
    fn node(&mut self, node: &Node, negated: bool) -> Option<Box<dyn Query>> {
        match node {
            Node::Text { scope, text, .. } => self.text(*scope, text, negated),
            Node::Fuzzy {
                scope,
                text,
                distance,
                ..
            } => self.pattern(*scope, text, Pattern::Fuzzy(*distance), negated),
            Node::Prefix { scope, text, .. } => {
                self.pattern(*scope, text, Pattern::Prefix, negated)
            }
            Node::And(items) => {
                let mut clauses = Vec::new();
                for item in items {
                    match item {
                        Node::Not(inner) => {
                            if let Some(query) = self.node(inner, !negated) {
                                clauses.push((Occur::MustNot, query));
                            }
                        }
                        _ => {
                            if let Some(query) = self.node(item, negated) {
                                clauses.push((Occur::Must, query));
                            }
                        }
                    }
                }
                if clauses.is_empty() {
                    return None;
                }
                if clauses.iter().all(|(occur, _)| *occur == Occur::MustNot) {
                    clauses.push((Occur::Must, all_articles(self.fields)));
                }
                if clauses.len() > 2 && self.anded_words(node).is_some() {
                    // Intersections of two, nested, add the words' scores
                    // in their order: what `WordsAnded` ranks by.
                    return clauses
                        .into_iter()
                        .map(|(_, query)| query)
                        .reduce(|left, right| {
                            Box::new(BooleanQuery::new(vec![
                                (Occur::Must, left),
                                (Occur::Must, right),
                            ]))
                        });
                }
                Some(Box::new(BooleanQuery::new(clauses)))
            }
            Node::Or(items) => {
                let clauses: Vec<_> = items
                    .iter()
                    .filter_map(|item| self.node(item, negated))
                    .flat_map(alternatives)
                    .map(|query| (Occur::Should, query))
                    .collect();
                (!clauses.is_empty()).then(|| Box::new(BooleanQuery::new(clauses)) as _)
            }
            Node::Not(inner) => {
                let excluded = self.node(inner, !negated)?;
                Some(Box::new(BooleanQuery::new(vec![
                    (Occur::Must, all_articles(self.fields)),
                    (Occur::MustNot, excluded),
                ])))
            }
        }
    }

    fn text(&mut self, scope: Scope, text: &str, negated: bool) -> Option<Box<dyn Query>> {
        if let Scope::Kind(kind) = scope {
            return self.tagged(kind, text, false);
        }
        if let Scope::Exact(exact) = scope {
            return self.whole(exact, text, false);
        }
        let mut analyzer = self.analyzer_for(scope);
        let mut tokens = Vec::new();
        {
            let mut stream = analyzer.token_stream(text);
            while let Some(token) = stream.next() {
                tokens.push((token.position, token.text.clone()));
            }
        }
        if tokens.is_empty() {
            return None;
        }
        let mut per_field = Vec::new();
        for (field, boost) in self.scoped_fields(scope) {
            let terms: Vec<(usize, Term)> = tokens
                .iter()
                .map(|(position, text)| (*position, Term::from_field_text(field, text)))
                .collect();
            if !negated && is_text(scope) {
                self.highlights.push(match terms.as_slice() {
                    [(_, term)] => Highlight::Term(term.clone()),
                    _ => Highlight::Phrase(terms.clone()),
                });
            }
            let query: Box<dyn Query> = if scope == Scope::Body {
                // The body field holds the headline too: `body:` asks for
                // the body's own words.
                Box::new(OwnBody::new(terms)?)
            } else if let [(_, term)] = terms.as_slice() {
                Box::new(TermQuery::new(term.clone(), IndexRecordOption::WithFreqs))
            } else {
                Box::new(PhraseQuery::new_with_offset(terms))
            };
            per_field.push(if boost == 1.0 {
                query
            } else {
                Box::new(BoostQuery::new(query, boost))
            });
        }
        if per_field.len() == 1 {
            return per_field.pop();
        }
        Some(Box::new(BooleanQuery::new(
            per_field
                .into_iter()
                .map(|query| (Occur::Should, query))
                .collect(),
        )))
    }

    /// A fuzzy word or a prefix. Fuzzy words are compared after analysis
    /// (stemmed, as indexed). A prefix is compared with the words as
    /// written (lowercased, accents folded: [`Fields::headline_words`]),
    /// never with stems, which can be shorter than the word (`negotiations`
    /// is indexed as `negoti`) or stand for words that do not start with
    /// it (`stock` for `stocks*`). A "word" the analyser splits
    /// (`covid-19~`) is searched as typed.
    fn pattern(
        &mut self,
        scope: Scope,
        text: &str,
        pattern: Pattern,
        negated: bool,
    ) -> Option<Box<dyn Query>> {
        if let Scope::Kind(kind) = scope {
            return self.tagged(kind, text, matches!(pattern, Pattern::Prefix));
        }
        if let Scope::Exact(exact) = scope {
            return self.whole(exact, text, matches!(pattern, Pattern::Prefix));
        }
        let analysed = analysed_words(&mut self.analyzer_for(scope), text);
        let words: Vec<String> = match pattern {
            Pattern::Fuzzy(_) if analysed.len() != 1 => return self.text(scope, text, negated),
            Pattern::Fuzzy(_) => analysed,
            Pattern::Prefix => {
                let words = analysed_words(&mut schema::folding_analyzer(), text);
                if words.len() != 1 {
                    return self.text(scope, text, negated);
                }
                words
            }
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (field, boost) in self.scoped_fields(scope) {
            for word in &words {
                let term = Term::from_field_text(field, word);
                let (query, highlight): (Box<dyn Query>, _) = match pattern {
                    // (The body field holds the headline too.)
                    Pattern::Fuzzy(distance) if scope == Scope::Body => (
                        Box::new(OwnBody::fuzzy(term.clone(), distance)),
                        Highlight::Fuzzy { term, distance },
                    ),
                    Pattern::Fuzzy(distance) => (
                        Box::new(FuzzyTermQuery::new(term.clone(), distance, true)),
                        Highlight::Fuzzy { term, distance },
                    ),
                    Pattern::Prefix => {
                        let written = self.written_words(field);
                        let prefix = Term::from_field_text(written, word);
                        (
                            Box::new(FuzzyTermQuery::new_prefix(prefix, 0, true)),
                            Highlight::Prefix { term, written },
                        )
                    }
                };
                if !negated && is_text(scope) {
                    self.highlights.push(highlight);
                }
                clauses.push((Occur::Should, Box::new(BoostQuery::new(query, boost))));
            }
        }
        Some(Box::new(BooleanQuery::new(clauses)))
    }

    /// The field of the words as written of a text field (the fields of
    /// names hold their words as written already).
    fn written_words(&self, field: Field) -> Field {
        if field == self.fields.headline {
            self.fields.headline_words
        } else if field == self.fields.body {
            self.fields.body_words
        } else if field == self.fields.quoted {
            self.fields.quoted_words
        } else {
            field
        }
    }

    /// Headline, body and quotes are stemmed; names, sources, sections and tags
    /// are matched as written (lowercased, accents folded): `author:
    /// spencer` must not find Spence.
    fn analyzer_for(&self, scope: Scope) -> TextAnalyzer {
        if is_text(scope) {
            self.analyzer.clone()
        } else {
            schema::folding_analyzer()
        }
    }

    /// A tag of `kind`, whole (`place:usa`), or every tag of that kind
    /// starting with `text` (`place:west*`).
    fn tagged(&self, kind: &str, text: &str, prefix: bool) -> Option<Box<dyn Query>> {
        let value = schema::key(text);
        if value.is_empty() {
            return None;
        }
        let term = Term::from_field_text(self.fields.tag_key, &format!("{kind}:{value}"));
        Some(if prefix {
            Box::new(FuzzyTermQuery::new_prefix(term, 0, true))
        } else {
            Box::new(TermQuery::new(term, IndexRecordOption::Basic))
        })
    }

    /// A whole value (`source=sci.space`), or every value starting with
    /// `text` (`source=comp.*`). A fuzzy value (`source=sci.spce~`) is
    /// looked for whole: its keyword is not a word to misspell.
    fn whole(&self, exact: Exact, text: &str, prefix: bool) -> Option<Box<dyn Query>> {
        let value = schema::key(text);
        if value.is_empty() {
            return None;
        }
        let field = match exact {
            Exact::Author => self.fields.author_key,
            Exact::Source => self.fields.outlet_key,
            Exact::Section => self.fields.section_key,
            Exact::Tag => self.fields.tag_key,
        };
        let term = Term::from_field_text(field, &value);
        Some(if prefix {
            Box::new(FuzzyTermQuery::new_prefix(term, 0, true))
        } else {
            Box::new(TermQuery::new(term, IndexRecordOption::Basic))
        })
    }

    fn scoped_fields(&self, scope: Scope) -> Vec<(Field, f32)> {
        match scope {
            Scope::Anywhere => vec![
                (self.fields.headline, HEADLINE_BOOST),
                (self.fields.body, 1.0),
            ],
            Scope::Headline => vec![(self.fields.headline, 1.0)],
            Scope::Body => vec![(self.fields.body, 1.0)],
            Scope::Quoted => vec![(self.fields.quoted, 1.0)],
            Scope::Author => vec![(self.fields.author, 1.0)],
            Scope::Source => vec![(self.fields.outlet, 1.0)],
            Scope::Section => vec![(self.fields.section, 1.0)],
            Scope::Tag => vec![(self.fields.tag, 1.0)],
            // (Compiled by `tagged` and `whole`.)
            Scope::Kind(_) | Scope::Exact(_) => Vec::new(),
        }
    }
}

/// Whether a scope is the article's text (headline, body, what it quotes),
/// whose words are stemmed and marked in hits.
fn is_text(scope: Scope) -> bool {
    matches!(
        scope,
        Scope::Anywhere | Scope::Headline | Scope::Body | Scope::Quoted
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::query::syntax::parse;

    fn parsed(text: &str) -> Node {
        parse(text).unwrap().unwrap()
    }

    #[test]
    fn only_words_ored_or_anded_without_dates_rank_apart_from_counting() {
        let (_, fields) = schema::build();
        let analyzer = schema::english_analyzer();
        let ranks_apart = |text: &str, filter: &DateFilter| {
            let node = parse(text).unwrap();
            compile(node.as_ref(), filter, &fields, &analyzer)
                .unwrap()
                .ranks_without_scoring_all
        };
        let anytime = DateFilter::default();
        for text in [
            "oil",
            "oil OR gas",
            "headline:oil OR (gas OR coal)",
            "\"Oil\"",
            "oil gas",
            "oil AND gas headline:coal",
            "oil AND gas body:coal",
            "body:coal",
            "\"oil prices\"",
            "covid-19",
        ] {
            assert!(ranks_apart(text, &anytime), "{text}");
        }
        for text in [
            "",
            "headline:\"oil prices\"",
            "oil \"gas prices\"",
            "oil (gas OR coal)",
            "oil gas~",
            "oil place:usa",
            "oil -gas",
            "oil~",
            "oil*",
            "oil OR body:coal",
        ] {
            assert!(!ranks_apart(text, &anytime), "{text}");
        }
        let year = DateFilter {
            from: Some(dates::parse_day("2024-01-01").unwrap()),
            to: None,
        };
        assert!(!ranks_apart("oil", &year));
        assert!(!ranks_apart("oil gas", &year));
        let words = |n: usize| vec!["oil"; n].join(" ");
        assert!(ranks_apart(&words(MOST_WORDS_ANDED), &anytime));
        assert!(!ranks_apart(&words(MOST_WORDS_ANDED + 1), &anytime));
    }

    #[test]
    fn compiling_marks_only_wanted_terms() {
        let (_, fields) = schema::build();
        let analyzer = schema::english_analyzer();
        let node = parsed("Talks -russia \"Café prices\"");
        let compiled = compile(Some(&node), &DateFilter::default(), &fields, &analyzer).unwrap();
        let text = |term: &Term| term.value().as_str().unwrap_or_default().to_string();
        let body: Vec<Vec<String>> = compiled
            .highlights
            .iter()
            .filter(|h| h.field() == Some(fields.body))
            .map(|h| match h {
                Highlight::Term(term) => vec![text(term)],
                Highlight::Phrase(terms) => terms.iter().map(|(_, t)| text(t)).collect(),
                Highlight::Fuzzy { term, distance } => vec![format!("{}~{distance}", text(term))],
                Highlight::Prefix { term, .. } => vec![format!("{}*", text(term))],
            })
            .collect();
        assert_eq!(body, [vec!["talk"], vec!["cafe", "price"]]);
        // A prefix is marked as typed (never stemmed: `negoti*` would mark
        // words that do not start with `negotiations`); a fuzzy word, stemmed.
        let node = parsed("negotiations* talks~2 -rates*");
        let compiled = compile(Some(&node), &DateFilter::default(), &fields, &analyzer).unwrap();
        let body: Vec<String> = compiled
            .highlights
            .iter()
            .filter(|h| h.field() == Some(fields.body))
            .map(|h| match h {
                Highlight::Fuzzy { term, distance } => format!("{}~{distance}", text(term)),
                Highlight::Prefix { term, .. } => format!("{}*", text(term)),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(body, ["negotiations*", "talk~2"]);
    }

    #[test]
    fn quoted_text_is_searched_only_when_asked_for() {
        let (_, fields) = schema::build();
        let analyzer = schema::english_analyzer();
        let fields_of = |text: &str| -> Vec<Field> {
            let node = parsed(text);
            compile(Some(&node), &DateFilter::default(), &fields, &analyzer)
                .unwrap()
                .highlights
                .iter()
                .filter_map(Highlight::field)
                .collect()
        };
        assert_eq!(fields_of("koreshians"), [fields.headline, fields.body]);
        assert_eq!(fields_of("body:koresh"), [fields.body]);
        assert_eq!(fields_of("quoted:koreshians"), [fields.quoted]);
        assert_eq!(
            fields_of("koresh OR quoted:koresh"),
            [fields.headline, fields.body, fields.quoted]
        );
        // Stemmed as the body is; a prefix against the quoted words as
        // written.
        let node = parsed("quoted:Koreshians quoted:davidi*");
        let compiled = compile(Some(&node), &DateFilter::default(), &fields, &analyzer).unwrap();
        let [Highlight::Term(term), Highlight::Prefix { written, .. }] =
            compiled.highlights.as_slice()
        else {
            panic!("{:?}", compiled.highlights);
        };
        assert_eq!(term.value().as_str(), Some("koreshian"));
        assert_eq!(*written, fields.quoted_words);
    }

    #[test]
    fn no_query_text_makes_the_parser_panic() {
        // A deterministic stream of hostile queries: operators, quotes,
        // parentheses, field prefixes, unicode, in random order.
        let pieces = [
            "(",
            ")",
            "\"",
            "-",
            "+",
            "OR",
            "AND",
            "NOT",
            "headline:",
            "body:",
            "title:",
            ":",
            "*",
            "~",
            "a",
            "talks",
            "é",
            "日本",
            "\u{0}",
            " ",
            "  ",
            "\t",
            "\n",
            "((",
            "))",
            "-(",
            "\"\"",
            "http://x",
            "3:30",
            "covid-19",
            "!!!",
        ];
        let (_, fields) = schema::build();
        let analyzer = schema::english_analyzer();
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            let mut query = String::new();
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let length = (state % 12) as usize;
            for step in 0..length {
                let pick = (state >> (step * 5 % 60)) as usize % pieces.len();
                query.push_str(pieces[pick]);
            }
            if let Ok(node) = parse(&query) {
                let compiled = compile(node.as_ref(), &DateFilter::default(), &fields, &analyzer);
                if let Err(err) = compiled {
                    assert!(!err.message.is_empty(), "{query:?}");
                }
            }
        }
    }

    #[test]
    fn a_query_of_punctuation_is_refused() {
        let (_, fields) = schema::build();
        let node = parsed("!!! -");
        let result = compile(
            Some(&node),
            &DateFilter::default(),
            &fields,
            &schema::english_analyzer(),
        );
        assert_eq!(result.err().unwrap().message, "no words to search for");
    }

    #[test]
    fn dates_to_the_last_day_there_is_are_searched() {
        // `--to 9999-12-31`: no day after it, and without a start the
        // range had no bound at all, which tantivy panics on.
        let (index, fields) = schema::in_ram();
        let searcher = index.reader().unwrap().searcher();
        let last = time::macros::date!(9999 - 12 - 31);
        for filter in [
            DateFilter {
                from: None,
                to: Some(last),
            },
            DateFilter {
                from: Some(last),
                to: Some(last),
            },
        ] {
            for text in ["oil", ""] {
                let node = parse(text).unwrap();
                let compiled =
                    compile(node.as_ref(), &filter, &fields, &schema::english_analyzer()).unwrap();
                let count = searcher
                    .search(&compiled.query, &tantivy::collector::Count)
                    .unwrap();
                assert_eq!(count, 0, "{text:?} {filter:?}");
            }
        }
    }
}
