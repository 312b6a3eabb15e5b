//! The query language, from the user's text to a tantivy query.
//!
//! ```text
//! ceasefire talks              both words (AND is the default)
//! ceasefire OR truce           either word
//! ceasefire -russia            NOT russia; also `NOT russia`
//! "coalition of the willing"   a phrase
//! headline:putin               a word in one field (headline or body)
//! headline:(cocoa OR coffee)   a scope over a group
//! (rates OR inflation) bank    parentheses
//! zelensky~  zelensky~2        a word spelt within 1 (or 2) edits
//! negotiat*                    a word starting so
//! ```
//!
//! OR binds tighter than the implicit AND, as in web search:
//! `cocoa OR coffee prices` is `(cocoa OR coffee) AND prices`.
//! Words are analysed like the indexed text (lowercased, accents folded,
//! stemmed), so `talks` finds `talk`. A word that the analyser splits in
//! several (`covid-19`, `U.S.`) is searched as a phrase.

use std::fmt;
use std::ops::Bound;

use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, PhraseQuery, Query,
    RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::Term;
use time::Duration;

use crate::dates::DateFilter;
use crate::schema::{self, DocKind, Fields, HEADLINE_BOOST};

/// Deeper nesting than this is refused rather than risk the stack.
const MAX_DEPTH: usize = 64;

/// A query that could not be read: what is wrong, and where (1-based
/// character column in the query text).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} at column {column}{}", hint.map(|h| format!("; {h}")).unwrap_or_default())]
pub struct QueryError {
    pub column: usize,
    pub message: String,
    /// What to do about it, when that is not obvious.
    pub hint: Option<&'static str>,
}

fn error_at<T>(column: usize, message: impl Into<String>) -> Result<T, QueryError> {
    Err(QueryError {
        column,
        message: message.into(),
        hint: None,
    })
}

/// Which text fields a term is looked for in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Anywhere,
    Headline,
    Body,
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// A word, or with `phrase` a quoted phrase, as typed.
    Text {
        scope: Scope,
        text: String,
        phrase: bool,
        column: usize,
    },
    /// A word or any word within `distance` edits of it (`word~`, `word~2`).
    Fuzzy {
        scope: Scope,
        text: String,
        distance: u8,
        column: usize,
    },
    /// Any word starting with `text` (`word*`).
    Prefix {
        scope: Scope,
        text: String,
        column: usize,
    },
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
}

/// The most edits `word~N` may ask for: more finds mostly noise.
pub const MAX_EDITS: u8 = 2;

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Scope::Anywhere => "anywhere",
            Scope::Headline => "headline",
            Scope::Body => "body",
        })
    }
}

/// Parses query text. An empty (or all-blank) query gives `None`: match all.
pub fn parse(text: &str) -> Result<Option<Node>, QueryError> {
    let tokens = lex(text)?;
    if tokens.is_empty() {
        return Ok(None);
    }
    let mut parser = Parser { tokens, next: 0 };
    let node = parser.conjunction(Scope::Anywhere, 0)?;
    if let Some(token) = parser.peek() {
        // The only token a conjunction stops at is a ')'.
        return error_at(token.column, "unmatched ')'");
    }
    Ok(Some(node))
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Word(String),
    Fuzzy(String, u8),
    Prefix(String),
    Phrase(String),
    Field(Scope),
    Open,
    Close,
    And,
    Or,
    Not,
    Minus,
}

#[derive(Debug, Clone)]
struct Token {
    kind: Kind,
    column: usize,
}

fn lex(text: &str) -> Result<Vec<Token>, QueryError> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    let starts_term = |c: Option<&char>| c.is_some_and(|c| !c.is_whitespace() && *c != ')');
    while i < chars.len() {
        let column = i + 1;
        let c = chars[i];
        let mut push = |kind| tokens.push(Token { kind, column });
        match c {
            c if c.is_whitespace() => i += 1,
            '(' => {
                push(Kind::Open);
                i += 1;
            }
            ')' => {
                push(Kind::Close);
                i += 1;
            }
            '"' => {
                let Some(length) = chars[i + 1..].iter().position(|&c| c == '"') else {
                    return error_at(column, "unclosed quote");
                };
                push(Kind::Phrase(chars[i + 1..i + 1 + length].iter().collect()));
                i += length + 2;
            }
            '-' if starts_term(chars.get(i + 1)) => {
                push(Kind::Minus);
                i += 1;
            }
            // `+word` means what `word` already means.
            '+' if starts_term(chars.get(i + 1)) => i += 1,
            _ => {
                let start = i;
                let mut field = None;
                while i < chars.len() && !is_word_end(chars[i]) {
                    if chars[i] == ':' {
                        field = field_prefix(&chars[start..i], chars.get(i + 1), column)?;
                        if field.is_some() {
                            i += 1;
                            break;
                        }
                    }
                    i += 1;
                }
                let kind = match field {
                    Some(scope) => Kind::Field(scope),
                    None => {
                        let word: String = chars[start..i].iter().collect();
                        match word.as_str() {
                            "AND" | "&&" => Kind::And,
                            "OR" | "||" => Kind::Or,
                            "NOT" => Kind::Not,
                            _ => word_kind(word, column)?,
                        }
                    }
                };
                push(kind);
            }
        }
    }
    Ok(tokens)
}

/// A word as typed: plain, fuzzy (`word~`, `word~2`) or a prefix (`word*`).
fn word_kind(word: String, column: usize) -> Result<Kind, QueryError> {
    if let Some((stem, edits)) = word.rsplit_once('~') {
        if !stem.is_empty() && !stem.contains('~') {
            let distance = match edits {
                "" => 1,
                _ => match edits.parse::<u8>() {
                    Ok(n) if (1..=MAX_EDITS).contains(&n) => n,
                    _ => {
                        return Err(QueryError {
                            column,
                            message: format!("'{word}': after '~' comes 1 or 2, the edits allowed"),
                            hint: Some("write word~ for one edit, word~2 for two"),
                        })
                    }
                },
            };
            return Ok(Kind::Fuzzy(stem.to_string(), distance));
        }
    }
    if let Some(stem) = word.strip_suffix('*') {
        if !stem.is_empty() && !stem.contains('*') {
            return Ok(Kind::Prefix(stem.to_string()));
        }
    }
    Ok(Kind::Word(word))
}

fn is_word_end(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | ')' | '"')
}

fn field_scope(name: &str) -> Option<Scope> {
    match name {
        "headline" => Some(Scope::Headline),
        "body" => Some(Scope::Body),
        _ => None,
    }
}

/// Whether `name:` (followed by `next`) scopes a field: `headline:putin`,
/// `body:"a phrase"`, `headline:(a OR b)`. `3:30` and `http://…` are words;
/// an unknown name followed by a term is an error, not a silent word.
fn field_prefix(
    name: &[char],
    next: Option<&char>,
    column: usize,
) -> Result<Option<Scope>, QueryError> {
    let is_name = !name.is_empty() && name.iter().all(|c| c.is_ascii_alphabetic() || *c == '_');
    let scopes_something =
        next.is_some_and(|c| c.is_alphanumeric() || matches!(c, '"' | '(' | '-'));
    if !is_name || !scopes_something {
        return Ok(None);
    }
    let name: String = name.iter().collect();
    match field_scope(&name) {
        Some(scope) => Ok(Some(scope)),
        None => Err(QueryError {
            column,
            message: format!("unknown field '{name}:'"),
            hint: Some(
                "the fields are headline: and body: (put words in quotes to search them as text)",
            ),
        }),
    }
}

struct Parser {
    tokens: Vec<Token>,
    next: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.next)
    }

    fn peek_kind(&self) -> Option<&Kind> {
        self.peek().map(|t| &t.kind)
    }

    fn bump(&mut self) -> Token {
        let token = self.tokens[self.next].clone();
        self.next += 1;
        token
    }

    /// True when the next token can begin a term.
    fn term_follows(&self) -> bool {
        matches!(
            self.peek_kind(),
            Some(
                Kind::Word(_)
                    | Kind::Fuzzy(..)
                    | Kind::Prefix(_)
                    | Kind::Phrase(_)
                    | Kind::Field(_)
                    | Kind::Open
                    | Kind::Not
                    | Kind::Minus
            )
        )
    }

    fn end_column(&self) -> usize {
        self.peek().map_or_else(
            || self.tokens.last().map_or(1, |t| t.column + 1),
            |t| t.column,
        )
    }

    /// Terms joined by AND (written or implied), up to a ')' or the end.
    fn conjunction(&mut self, scope: Scope, depth: usize) -> Result<Node, QueryError> {
        let mut items = Vec::new();
        loop {
            match self.peek_kind() {
                None | Some(Kind::Close) => break,
                Some(Kind::And) => {
                    let and = self.bump();
                    if items.is_empty() {
                        return error_at(and.column, "AND needs a term before it");
                    }
                    if !self.term_follows() {
                        return error_at(and.column, "AND needs a term after it");
                    }
                }
                Some(Kind::Or) => {
                    let column = self.bump().column;
                    return error_at(column, "OR needs a term before it");
                }
                Some(_) => items.push(self.disjunction(scope, depth)?),
            }
        }
        match items.len() {
            0 => error_at(self.end_column(), "expected a term"),
            1 => Ok(items.remove(0)),
            _ => Ok(Node::And(items)),
        }
    }

    /// Terms joined by OR.
    fn disjunction(&mut self, scope: Scope, depth: usize) -> Result<Node, QueryError> {
        let mut items = vec![self.unary(scope, depth)?];
        while let Some(Kind::Or) = self.peek_kind() {
            let or = self.bump();
            if !self.term_follows() {
                return error_at(or.column, "OR needs a term after it");
            }
            items.push(self.unary(scope, depth)?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Node::Or(items)
        })
    }

    fn unary(&mut self, scope: Scope, depth: usize) -> Result<Node, QueryError> {
        if depth > MAX_DEPTH {
            return error_at(self.end_column(), "query nested too deeply");
        }
        match self.peek_kind() {
            Some(Kind::Not | Kind::Minus) => {
                let not = self.bump();
                if !self.term_follows() {
                    let what = if not.kind == Kind::Not { "NOT" } else { "'-'" };
                    return error_at(not.column, format!("{what} needs a term after it"));
                }
                Ok(Node::Not(Box::new(self.unary(scope, depth + 1)?)))
            }
            _ => self.primary(scope, depth),
        }
    }

    fn primary(&mut self, scope: Scope, depth: usize) -> Result<Node, QueryError> {
        let token = self.bump();
        match token.kind {
            Kind::Word(text) => Ok(Node::Text {
                scope,
                text,
                phrase: false,
                column: token.column,
            }),
            Kind::Phrase(text) => Ok(Node::Text {
                scope,
                text,
                phrase: true,
                column: token.column,
            }),
            Kind::Fuzzy(text, distance) => Ok(Node::Fuzzy {
                scope,
                text,
                distance,
                column: token.column,
            }),
            Kind::Prefix(text) => Ok(Node::Prefix {
                scope,
                text,
                column: token.column,
            }),
            Kind::Open => {
                if let Some(Kind::Close) = self.peek_kind() {
                    return error_at(token.column, "empty parentheses");
                }
                let inner = self.conjunction(scope, depth + 1)?;
                match self.peek_kind() {
                    Some(Kind::Close) => {
                        self.bump();
                        Ok(inner)
                    }
                    _ => error_at(token.column, "this '(' is never closed"),
                }
            }
            Kind::Field(field) => {
                if scope != Scope::Anywhere && scope != field {
                    return error_at(
                        token.column,
                        format!("{field}: inside a {scope}: scope can match nothing"),
                    );
                }
                if !self.term_follows() {
                    return error_at(token.column, format!("{field}: needs a term after it"));
                }
                self.unary(field, depth + 1)
            }
            // Callers only come here when a term follows.
            _ => error_at(token.column, "expected a term"),
        }
    }
}

/// A query ready to run, and what a snippet should mark.
pub struct CompiledQuery {
    pub query: Box<dyn Query>,
    /// Every word and phrase that must or may match (never excluded ones),
    /// analysed, on the field it was looked for in.
    pub highlights: Vec<Highlight>,
    /// The query is one word or words ORed, with no date filter. tantivy
    /// ranks such a query's best hits without scoring every match (block-max
    /// WAND), so counting the matches apart is cheaper than doing both in
    /// one pass; for anything else one pass is cheaper.
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
    Fuzzy { term: Term, distance: u8 },
    /// Every word starting with an analysed prefix.
    Prefix(Term),
}

impl Highlight {
    pub fn field(&self) -> Option<Field> {
        match self {
            Highlight::Term(term) | Highlight::Prefix(term) | Highlight::Fuzzy { term, .. } => {
                Some(term.field())
            }
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
    let ranks_without_scoring_all =
        date_query.is_none() && node.is_some_and(|node| words_ored(node, analyzer));
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

/// Whether a query is a word (one after analysis) or words ORed: what
/// compiles to a union of term queries.
fn words_ored(node: &Node, analyzer: &TextAnalyzer) -> bool {
    match node {
        Node::Text { text, .. } => analysed_words(&mut analyzer.clone(), text).len() == 1,
        Node::Or(items) => items.iter().all(|item| words_ored(item, analyzer)),
        _ => false,
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
fn date_range(field: Field, filter: &DateFilter) -> Option<Box<dyn Query>> {
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

/// The words the analyser makes of `text`.
fn analysed_words(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(token) = stream.next() {
        words.push(token.text.clone());
    }
    words
}

struct Compiler<'a> {
    fields: &'a Fields,
    analyzer: TextAnalyzer,
    highlights: Vec<Highlight>,
}

impl Compiler<'_> {
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
                Some(Box::new(BooleanQuery::new(clauses)))
            }
            Node::Or(items) => {
                let clauses: Vec<_> = items
                    .iter()
                    .filter_map(|item| self.node(item, negated))
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
        let mut tokens = Vec::new();
        {
            let mut stream = self.analyzer.token_stream(text);
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
            if !negated {
                self.highlights.push(match terms.as_slice() {
                    [(_, term)] => Highlight::Term(term.clone()),
                    _ => Highlight::Phrase(terms.clone()),
                });
            }
            let query: Box<dyn Query> = if let [(_, term)] = terms.as_slice() {
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
    /// (stemmed, as indexed); a prefix both as typed (lowercased, accents
    /// folded) and stemmed, since the index holds stems, which can be
    /// shorter than the word (`negotiations` is indexed as `negoti`). A
    /// fuzzy "word" the analyser splits (`covid-19~`) is searched as typed.
    fn pattern(
        &mut self,
        scope: Scope,
        text: &str,
        pattern: Pattern,
        negated: bool,
    ) -> Option<Box<dyn Query>> {
        let analysed = analysed_words(&mut self.analyzer, text);
        let words: Vec<String> = match pattern {
            Pattern::Fuzzy(_) if analysed.len() != 1 => return self.text(scope, text, negated),
            Pattern::Fuzzy(_) => analysed,
            Pattern::Prefix => {
                let mut words = analysed_words(&mut schema::folding_analyzer(), text);
                if words.len() != 1 {
                    return self.text(scope, text, negated);
                }
                words.extend(analysed);
                words.dedup();
                words
            }
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (field, boost) in self.scoped_fields(scope) {
            for word in &words {
                let term = Term::from_field_text(field, word);
                let (query, highlight): (Box<dyn Query>, _) = match pattern {
                    Pattern::Fuzzy(distance) => (
                        Box::new(FuzzyTermQuery::new(term.clone(), distance, true)),
                        Highlight::Fuzzy { term, distance },
                    ),
                    Pattern::Prefix => (
                        Box::new(FuzzyTermQuery::new_prefix(term.clone(), 0, true)),
                        Highlight::Prefix(term),
                    ),
                };
                if !negated {
                    self.highlights.push(highlight);
                }
                clauses.push((Occur::Should, Box::new(BoostQuery::new(query, boost))));
            }
        }
        Some(Box::new(BooleanQuery::new(clauses)))
    }

    fn scoped_fields(&self, scope: Scope) -> Vec<(Field, f32)> {
        match scope {
            Scope::Anywhere => vec![
                (self.fields.headline, HEADLINE_BOOST),
                (self.fields.body, 1.0),
            ],
            Scope::Headline => vec![(self.fields.headline, 1.0)],
            Scope::Body => vec![(self.fields.body, 1.0)],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tildes_and_stars_make_fuzzy_words_and_prefixes() {
        let fuzzy = |text: &str, distance, column| Node::Fuzzy {
            scope: Scope::Anywhere,
            text: text.into(),
            distance,
            column,
        };
        assert_eq!(parse("zelensky~").unwrap(), Some(fuzzy("zelensky", 1, 1)));
        assert_eq!(
            parse("a zelensky~2").unwrap(),
            Some(Node::And(vec![word("a", 1), fuzzy("zelensky", 2, 3)]))
        );
        assert_eq!(
            parse("headline:negotiat*").unwrap(),
            Some(Node::Prefix {
                scope: Scope::Headline,
                text: "negotiat".into(),
                column: 10,
            })
        );
        // Alone, doubled or inside a word, they are no operators.
        for text in ["~", "*", "a~~", "a**", "a*b", "~2"] {
            assert!(
                matches!(parse(text).unwrap(), Some(Node::Text { .. })),
                "{text}"
            );
        }
        let err = parse("cocoa~3").unwrap_err();
        assert_eq!(err.column, 1);
        assert!(err.to_string().contains("1 or 2"), "{err}");
    }

    fn word(text: &str, column: usize) -> Node {
        Node::Text {
            scope: Scope::Anywhere,
            text: text.into(),
            phrase: false,
            column,
        }
    }

    fn parsed(text: &str) -> Node {
        parse(text).unwrap().unwrap()
    }

    fn error(text: &str) -> String {
        parse(text).unwrap_err().to_string()
    }

    #[test]
    fn words_are_anded() {
        assert_eq!(parsed("a b"), Node::And(vec![word("a", 1), word("b", 3)]));
        assert_eq!(
            parsed("a AND b"),
            Node::And(vec![word("a", 1), word("b", 7)])
        );
    }

    #[test]
    fn or_binds_tighter_than_and() {
        assert_eq!(
            parsed("a OR b c"),
            Node::And(vec![
                Node::Or(vec![word("a", 1), word("b", 6)]),
                word("c", 8)
            ])
        );
        // Lower-case "or" is just a word.
        assert_eq!(
            parsed("a or b"),
            Node::And(vec![word("a", 1), word("or", 3), word("b", 6)])
        );
    }

    #[test]
    fn minus_and_not_exclude() {
        assert_eq!(
            parsed("a -b"),
            Node::And(vec![word("a", 1), Node::Not(Box::new(word("b", 4)))])
        );
        assert_eq!(
            parsed("a NOT b"),
            Node::And(vec![word("a", 1), Node::Not(Box::new(word("b", 7)))])
        );
        // A hyphen inside a word, or alone, is not an exclusion.
        assert_eq!(parsed("covid-19"), word("covid-19", 1));
        assert_eq!(
            parsed("a - b"),
            Node::And(vec![word("a", 1), word("-", 3), word("b", 5)])
        );
    }

    #[test]
    fn phrases_fields_and_groups() {
        assert_eq!(
            parsed("headline:\"peace talks\""),
            Node::Text {
                scope: Scope::Headline,
                text: "peace talks".into(),
                phrase: true,
                column: 10,
            }
        );
        assert_eq!(
            parsed("body:(a OR b)"),
            Node::Or(vec![
                Node::Text {
                    scope: Scope::Body,
                    text: "a".into(),
                    phrase: false,
                    column: 7
                },
                Node::Text {
                    scope: Scope::Body,
                    text: "b".into(),
                    phrase: false,
                    column: 12
                },
            ])
        );
        assert_eq!(parsed("3:30"), word("3:30", 1));
        assert_eq!(parsed("http://x.org"), word("http://x.org", 1));
        assert_eq!(parsed("note:"), word("note:", 1));
    }

    #[test]
    fn blank_queries_match_everything() {
        assert_eq!(parse("").unwrap(), None);
        assert_eq!(parse("  \t ").unwrap(), None);
    }

    #[test]
    fn errors_say_what_and_where() {
        assert_eq!(error("\"open phrase"), "unclosed quote at column 1");
        assert_eq!(error("a (b c"), "this '(' is never closed at column 3");
        assert_eq!(error("a b)"), "unmatched ')' at column 4");
        assert_eq!(error("a OR"), "OR needs a term after it at column 3");
        assert_eq!(error("OR a"), "OR needs a term before it at column 1");
        assert_eq!(error("a AND"), "AND needs a term after it at column 3");
        assert_eq!(error("AND a"), "AND needs a term before it at column 1");
        assert_eq!(error("a NOT"), "NOT needs a term after it at column 3");
        assert_eq!(error("()"), "empty parentheses at column 1");
        assert!(error("title:x").starts_with("unknown field 'title:'"));
        assert!(error("a title:x").contains("at column 3; the fields are headline: and body:"));
        assert!(error("headline:(body:x)").contains("can match nothing"));
        assert!(error(&"(".repeat(500)).contains("nested too deeply"));
    }

    #[test]
    fn only_words_ored_without_dates_rank_apart_from_counting() {
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
        ] {
            assert!(ranks_apart(text, &anytime), "{text}");
        }
        for text in [
            "",
            "oil gas",
            "\"oil prices\"",
            "oil -gas",
            "oil~",
            "oil*",
            "covid-19",
        ] {
            assert!(!ranks_apart(text, &anytime), "{text}");
        }
        let year = DateFilter {
            from: Some(crate::dates::parse_day("2024-01-01").unwrap()),
            to: None,
        };
        assert!(!ranks_apart("oil", &year));
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
                Highlight::Prefix(term) => vec![format!("{}*", text(term))],
            })
            .collect();
        assert_eq!(body, [vec!["talk"], vec!["cafe", "price"]]);
        // A prefix is marked as typed and stemmed; a fuzzy word, stemmed.
        let node = parsed("negotiations* talks~2 -rates*");
        let compiled = compile(Some(&node), &DateFilter::default(), &fields, &analyzer).unwrap();
        let body: Vec<String> = compiled
            .highlights
            .iter()
            .filter(|h| h.field() == Some(fields.body))
            .map(|h| match h {
                Highlight::Fuzzy { term, distance } => format!("{}~{distance}", text(term)),
                Highlight::Prefix(term) => format!("{}*", text(term)),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(body, ["negotiations*", "negoti*", "talk~2"]);
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
}
