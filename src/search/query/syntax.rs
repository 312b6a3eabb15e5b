//! The query language's syntax: text in, a [`Node`] tree out, or a
//! [`QueryError`] that says what is wrong and at which column. It knows
//! nothing of the index: `compile` turns the tree into a query.
//!
//! The grammar (`AND`, `OR`, `NOT` are upper case; anything else is a word):
//!
//! ```text
//! query       = conjunction
//! conjunction = disjunction { [ "AND" | "&&" ] disjunction }   (AND is implicit)
//! disjunction = unary { ( "OR" | "||" ) unary }
//! unary       = ( "-" | "NOT" ) unary | [ "+" ] primary
//! primary     = field ":" primary | "(" conjunction ")" | phrase | word
//! field       = "headline" | "body" | "quoted" | "author" | "by" | "source"
//!             | "section" | "tag" | "topic" | "place" | "person" | "people"
//!             | "org" | "exchange" | "company"
//! phrase      = '"' any characters but '"' '"'
//! word        = characters up to white space, '(', ')' or '"', where
//!               word "~" [ "1" | "2" ] is fuzzy and word "*" a prefix
//! ```
//!
//! So OR binds tighter than the implicit AND, as in web search:
//! `cocoa OR coffee prices` is `(cocoa OR coffee) AND prices`. Nesting
//! deeper than 64 levels is refused.

use std::fmt;

/// Deeper nesting than this is refused rather than risk the stack.
const MAX_DEPTH: usize = 64;

/// A query that could not be read: what is wrong, and where (1-based
/// character column in the query text).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} at column {column}{}", hint.map(|h| format!("; {h}")).unwrap_or_default())]
pub struct QueryError {
    /// Where (1-based, in characters).
    pub column: usize,
    /// What is wrong.
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
    /// Headline or body (its own words, not what it quotes).
    Anywhere,
    /// `headline:`
    Headline,
    /// `body:`: the body's own words.
    Body,
    /// `quoted:`: what the body quotes of others (in a reply, the `> …`
    /// lines and the `… writes:` before them), which no other scope
    /// searches.
    Quoted,
    /// `author:`: who wrote it.
    Author,
    /// `source:`: the outlet, feed, wire or newsgroup.
    Source,
    /// `section:`
    Section,
    /// `tag:`: any tag's value, whatever its kind.
    Tag,
    /// `topic:`, `place:`, `person:`, `org:`, `exchange:`, `company:`:
    /// a tag of that kind, whole (`place:usa`, `place:"west-germany"`).
    Kind(&'static str),
    /// `author=`, `source=`, `section=`, `tag=`: the whole value,
    /// case aside (`source=sci.space` is not `sci.space.shuttle`).
    Exact(Exact),
}

/// A kind of metadata matched whole by a [`Scope::Exact`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exact {
    /// `author=`
    Author,
    /// `source=`
    Source,
    /// `section=`
    Section,
    /// `tag=`: a tag as written, `kind:value` for a tag of a kind.
    Tag,
}

impl Exact {
    /// The name before the `=`.
    pub fn name(self) -> &'static str {
        match self {
            Exact::Author => "author",
            Exact::Source => "source",
            Exact::Section => "section",
            Exact::Tag => "tag",
        }
    }
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// A word, or with `phrase` a quoted phrase, as typed.
    Text {
        /// Where to look.
        scope: Scope,
        /// As typed (a phrase without its quotes).
        text: String,
        /// Quoted.
        phrase: bool,
        /// Where it starts in the query (1-based).
        column: usize,
    },
    /// A word or any word within `distance` edits of it (`word~`, `word~2`).
    Fuzzy {
        /// Where to look.
        scope: Scope,
        /// The word as typed.
        text: String,
        /// 1 or 2.
        distance: u8,
        /// Where it starts in the query (1-based).
        column: usize,
    },
    /// Any word starting with `text` (`word*`).
    Prefix {
        /// Where to look.
        scope: Scope,
        /// The prefix as typed, without its `*`.
        text: String,
        /// Where it starts in the query (1-based).
        column: usize,
    },
    /// Every one of these (written AND, or nothing).
    And(Vec<Node>),
    /// Any one of these.
    Or(Vec<Node>),
    /// Not this (`-word`, `NOT word`).
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
            Scope::Quoted => "quoted",
            Scope::Author => "author",
            Scope::Source => "source",
            Scope::Section => "section",
            Scope::Tag => "tag",
            Scope::Kind(kind) => kind,
            Scope::Exact(exact) => exact.name(),
        })
    }
}

impl Scope {
    /// The scope as a query writes it: `headline:`, `source=`.
    pub fn written(self) -> String {
        match self {
            Scope::Exact(exact) => format!("{}=", exact.name()),
            scope => format!("{scope}:"),
        }
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
            // `!word` is `-word`, as in Lucene's syntax.
            '-' | '!' if starts_term(chars.get(i + 1)) => {
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
                    if chars[i] == '=' {
                        field = exact_prefix(&chars[start..i], chars.get(i + 1));
                        if field.is_some() {
                            i += 1;
                            break;
                        }
                    }
                    i += 1;
                }
                // A whole value is taken as written, colons and all
                // (`tag=place:usa`), up to a space or a parenthesis.
                if let Some(scope @ Scope::Exact(_)) = field {
                    push(Kind::Field(scope));
                    if chars.get(i) != Some(&'"') {
                        let start = i;
                        while i < chars.len() && !is_word_end(chars[i]) {
                            i += 1;
                        }
                        let word: String = chars[start..i].iter().collect();
                        tokens.push(Token {
                            kind: word_kind(word, start + 1)?,
                            column: start + 1,
                        });
                    }
                    continue;
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
    if let Some((stem, boost)) = word.rsplit_once('^') {
        if !stem.is_empty() && boost.parse::<f32>().is_ok() {
            return Err(QueryError {
                column,
                message: format!("'{word}': boosts (word^{boost}) are not supported"),
                hint: Some("remove the '^' and the number; headline words already count double"),
            });
        }
    }
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
        "quoted" => Some(Scope::Quoted),
        "author" | "by" => Some(Scope::Author),
        "source" => Some(Scope::Source),
        "section" => Some(Scope::Section),
        "tag" => Some(Scope::Tag),
        "people" => Some(Scope::Kind("person")),
        _ => crate::article::Tag::KINDS
            .into_iter()
            .find(|kind| *kind == name)
            .map(Scope::Kind),
    }
}

/// Whether `name=` (followed by `next`) asks for a whole value:
/// `source=sci.space`, `author="Jane Doe"`. Any other `a=b` is a word.
fn exact_prefix(name: &[char], next: Option<&char>) -> Option<Scope> {
    let name: String = name.iter().collect();
    let exact = match name.as_str() {
        "author" | "by" => Exact::Author,
        "source" => Exact::Source,
        "section" => Exact::Section,
        "tag" => Exact::Tag,
        _ => return None,
    };
    next.is_some_and(|c| !c.is_whitespace() && *c != ')')
        .then_some(Scope::Exact(exact))
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
    if !is_name {
        return Ok(None);
    }
    let name: String = name.iter().collect();
    // A field's name scopes whatever term follows, symbols included
    // (`headline:<SRD>`, `body:$639m`); any other name only before what
    // is plainly a term, so `http://…` stays a word.
    let known = field_scope(&name).is_some();
    let scopes_something = next.is_some_and(|c| {
        if known {
            !c.is_whitespace() && *c != ')'
        } else {
            c.is_alphanumeric() || matches!(c, '"' | '(' | '-')
        }
    });
    if !scopes_something {
        return Ok(None);
    }
    match field_scope(&name) {
        Some(scope) => Ok(Some(scope)),
        None => Err(QueryError {
            column,
            message: format!("unknown field '{name}:'"),
            hint: Some(
                "the fields are headline:, body:, quoted:, author:, source:, section:, tag:, topic:, \
                 place:, person:, org:, exchange: and company: (put words in quotes to \
                 search them as text)",
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
                        format!(
                            "{} inside a {} scope can match nothing",
                            field.written(),
                            scope.written()
                        ),
                    );
                }
                if !self.term_follows() {
                    return error_at(
                        token.column,
                        format!("{} needs a term after it", field.written()),
                    );
                }
                self.unary(field, depth + 1)
            }
            // Callers only come here when a term follows.
            _ => error_at(token.column, "expected a term"),
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
        assert_eq!(
            parsed("koresh OR quoted:koresh"),
            Node::Or(vec![
                word("koresh", 1),
                Node::Text {
                    scope: Scope::Quoted,
                    text: "koresh".into(),
                    phrase: false,
                    column: 18
                },
            ])
        );
        assert_eq!(parsed("3:30"), word("3:30", 1));
        assert_eq!(parsed("http://x.org"), word("http://x.org", 1));
        assert_eq!(parsed("note:"), word("note:", 1));
    }

    #[test]
    fn a_field_scopes_a_word_that_starts_with_a_symbol() {
        for (query, text) in [
            ("headline:<SRD>", "<SRD>"),
            ("body:$639m", "$639m"),
            ("body:£600m", "£600m"),
        ] {
            let Node::Text {
                scope, text: word, ..
            } = parsed(query)
            else {
                panic!("{query}");
            };
            assert_ne!(scope, Scope::Anywhere, "{query}");
            assert_eq!(word, text, "{query}");
        }
        // Not a field: still a word.
        assert!(matches!(
            parsed("http://example.com"),
            Node::Text {
                scope: Scope::Anywhere,
                ..
            }
        ));
    }

    #[test]
    fn a_bang_excludes_and_a_boost_is_refused() {
        assert_eq!(parsed("cocoa !coffee"), parsed("cocoa -coffee"));
        assert_eq!(parsed("!coffee"), parsed("-coffee"));
        let err = error("cocoa^2 coffee");
        assert!(err.contains("boosts (word^2) are not supported"), "{err}");
        assert!(err.contains("column 1"), "{err}");
        // Not a boost: a caret inside a word, or alone.
        assert!(parse("a^b").is_ok());
        assert!(parse("^").is_ok());
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
        assert!(error("a title:x")
            .contains("at column 3; the fields are headline:, body:, quoted:, author:"));
        assert!(error("headline:(body:x)").contains("can match nothing"));
        assert!(error(&"(".repeat(500)).contains("nested too deeply"));
    }

    #[test]
    fn a_name_and_an_equals_sign_ask_for_a_whole_value() {
        let whole = |exact, text: &str, phrase, column| {
            Some(Node::Text {
                scope: Scope::Exact(exact),
                text: text.into(),
                phrase,
                column,
            })
        };
        assert_eq!(
            parse("source=sci.space").unwrap(),
            whole(Exact::Source, "sci.space", false, 8)
        );
        assert_eq!(
            parse("by=\"Jane Doe\"").unwrap(),
            whole(Exact::Author, "Jane Doe", true, 4)
        );
        assert_eq!(
            parse("tag=place:usa").unwrap(),
            whole(Exact::Tag, "place:usa", false, 5)
        );
        assert!(matches!(
            parse("source=comp.*").unwrap(),
            Some(Node::Prefix {
                scope: Scope::Exact(Exact::Source),
                ..
            })
        ));
        // Any other `a=b`, and a name with nothing after `=`, are words.
        for word in ["e=mc2", "x=1", "source="] {
            assert!(
                matches!(
                    parse(word).unwrap(),
                    Some(Node::Text {
                        scope: Scope::Anywhere,
                        ..
                    })
                ),
                "{word}"
            );
        }
        assert!(error("headline:(source=x)").contains("headline: scope can match nothing"));
    }
}
