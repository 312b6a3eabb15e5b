//! "Did you mean": when a query finds nothing, the same query with its
//! misspelt words replaced by the likeliest words the index holds, and
//! words found only in what articles quote searched there (`quoted:word`),
//! if that finds something.

use tantivy::collector::{Count, TopDocs};
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, TantivyDocument, Term};

use crate::dates::DateFilter;
use crate::index::schema::{self, Fields};
use crate::search::query::syntax::Scope;
use crate::search::query::{self, Node};
use crate::search::terms;

/// A query that finds what the one asked did not.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Suggestion {
    /// The query as typed, with corrected words.
    pub query: String,
    /// How many articles it finds (with the same date filter).
    pub total: usize,
}

/// The query with its lower-case `and`, `or` and `not` between two words
/// (outside quotes) written as the operators, if it has any: what the user
/// most likely meant by `cocoa or coffee`. Columns stay where they are.
pub fn operators_meant(text: &str) -> Option<String> {
    let mut words: Vec<(usize, &str)> = Vec::new();
    let mut quoted = false;
    let mut start = None;
    for (at, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        if c == '"' {
            quoted = !quoted;
        }
        if c.is_whitespace() || c == '"' {
            if let Some(from) = start.take() {
                if !quoted || c == '"' {
                    words.push((from, &text[from..at]));
                }
            }
        } else if start.is_none() && !quoted {
            start = Some(at);
        }
    }
    let mut meant = text.to_string();
    let mut changed = false;
    for (i, &(at, word)) in words.iter().enumerate() {
        let between = i > 0 && i + 1 < words.len();
        if between && matches!(word, "and" | "or" | "not") {
            meant.replace_range(at..at + word.len(), &word.to_ascii_uppercase());
            changed = true;
        }
    }
    changed.then_some(meant)
}

/// A corrected query for one that found nothing, if its words can be
/// corrected into one that finds something. Only plain words are corrected
/// (not phrases, fuzzy words or prefixes, nor excluded words).
pub fn suggest(
    searcher: &Searcher,
    fields: &Fields,
    text: &str,
    node: &Node,
    filter: &DateFilter,
) -> tantivy::Result<Option<Suggestion>> {
    let mut words = Vec::new();
    plain_words(node, false, &mut words);
    let mut analyzer = schema::english_analyzer();
    let mut chars: Vec<char> = text.chars().collect();
    let mut changed = false;
    // From the end, so that earlier columns stay where they are.
    words.sort_by_key(|(column, ..)| std::cmp::Reverse(*column));
    for (column, scope, word) in words {
        let analysed = {
            let mut stream = analyzer.token_stream(&word);
            let mut tokens = Vec::new();
            while let Some(token) = stream.next() {
                tokens.push(token.text.clone());
            }
            tokens
        };
        let [stem] = analysed.as_slice() else {
            continue;
        };
        let indexed = [fields.headline, fields.body]
            .iter()
            .map(|&field| searcher.doc_freq(&Term::from_field_text(field, stem)))
            .sum::<tantivy::Result<u64>>()?;
        if indexed > 0 {
            continue;
        }
        // Spelt right, but only quoted: `koresh` in a reply's `> …` lines
        // is no word of its author's, and a correction would be wrong.
        let quoted = scope == Scope::Anywhere
            && searcher.doc_freq(&Term::from_field_text(fields.quoted, stem))? > 0;
        let replacement = if quoted {
            format!("quoted:{word}")
        } else {
            let Some((correction, _)) =
                terms::correction(searcher, &[fields.headline, fields.body], stem)?
            else {
                continue;
            };
            let Some(surface) = surface_word(searcher, fields, &correction)? else {
                continue;
            };
            surface
        };
        let start = column.saturating_sub(1);
        let end = start + word.chars().count();
        if end <= chars.len() {
            chars.splice(start..end, replacement.chars());
            changed = true;
        }
    }
    if !changed {
        return Ok(None);
    }
    let corrected: String = chars.into_iter().collect();
    let Ok(Some(node)) = query::parse(&corrected) else {
        return Ok(None);
    };
    let analyzer = schema::english_analyzer();
    let Ok(compiled) = query::compile(Some(&node), filter, fields, &analyzer) else {
        return Ok(None);
    };
    let total = searcher.search(&compiled.query, &Count)?;
    Ok((total > 0).then_some(Suggestion {
        query: corrected,
        total,
    }))
}

/// The plain words of a query that are looked for (not excluded), with
/// their columns and scopes.
fn plain_words(node: &Node, negated: bool, words: &mut Vec<(usize, Scope, String)>) {
    match node {
        // (Only words of the text: a name or a tag is not spelt as a
        // headline's words are.)
        Node::Text {
            scope: scope @ (Scope::Anywhere | Scope::Headline | Scope::Body),
            text,
            phrase: false,
            column,
        } if !negated => words.push((*column, *scope, text.clone())),
        Node::And(items) | Node::Or(items) => {
            for item in items {
                plain_words(item, negated, words);
            }
        }
        Node::Not(inner) => plain_words(inner, !negated, words),
        _ => {}
    }
}

/// A word as written in an article that the analyser makes into `stem`
/// (the index holds stems: `ceasefir` is written `ceasefire`), lowercased.
fn surface_word(
    searcher: &Searcher,
    fields: &Fields,
    stem: &str,
) -> tantivy::Result<Option<String>> {
    let mut analyzer = schema::english_analyzer();
    for field in [fields.headline, fields.body] {
        let query = TermQuery::new(Term::from_field_text(field, stem), IndexRecordOption::Basic);
        let top = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
        let Some((_, address)) = top.first() else {
            continue;
        };
        let doc: TantivyDocument = searcher.doc(*address)?;
        let article = schema::to_article(fields, &doc);
        let text = if field == fields.headline {
            article.headline
        } else {
            article.body
        };
        let mut stream = analyzer.token_stream(&text);
        while let Some(token) = stream.next() {
            if token.text == stem {
                return Ok(text
                    .get(token.offset_from..token.offset_to)
                    .map(str::to_lowercase));
            }
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::operators_meant;

    #[test]
    fn lower_case_operators_between_words_are_meant() {
        assert_eq!(
            operators_meant("cocoa or coffee").as_deref(),
            Some("cocoa OR coffee")
        );
        assert_eq!(
            operators_meant("cocoa not coffee").as_deref(),
            Some("cocoa NOT coffee")
        );
        assert_eq!(
            operators_meant("a and b or c").as_deref(),
            Some("a AND b OR c")
        );
        // Not between words, inside quotes, or already upper case: nothing.
        assert_eq!(operators_meant("or coffee"), None);
        assert_eq!(operators_meant("cocoa or"), None);
        assert_eq!(operators_meant("\"war and peace\""), None);
        assert_eq!(operators_meant("cocoa OR coffee"), None);
        assert_eq!(operators_meant("cocoa oregano"), None);
    }
}
