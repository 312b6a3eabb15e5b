//! The query language, from the user's text to a tantivy query:
//! [`syntax`] reads the text into a tree ([`Node`]); [`compile()`] turns the
//! tree and a date filter into what tantivy runs ([`CompiledQuery`]).
//! The syntax, as users read it, is [`SYNTAX_HELP`].

pub mod compile;
pub mod syntax;

pub use compile::{all_articles, compile, date_range, CompiledQuery, Highlight};
pub use syntax::{parse, Exact, Node, QueryError, Scope, MAX_EDITS};

/// The query syntax and date forms as `dateline search --help` shows them:
/// the one source of this text (`doc/GUIDE.md` quotes it, and a test checks
/// that it does so word for word).
pub const SYNTAX_HELP: &str = include_str!("../../../doc/query-syntax.txt");
