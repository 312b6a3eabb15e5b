//! When no article has all the words: long queries typed as sentences
//! ("what did the central bank say about interest rates in March") find
//! nothing when every word must match. Such a query is answered instead by
//! the articles that have the most of its words, and says so.

use tantivy::query::{BooleanQuery, EnableScoring, Occur, Query};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::Searcher;
use tantivy::{DocSet, TERMINATED};

use super::query::{self, CompiledQuery, Node, Scope};
use crate::dates::DateFilter;
use crate::error::{InIndex, Result};
use crate::index::ArchiveIndex;

/// How a search was answered when not every word could match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MostWords {
    /// The query's words as typed, stop words and all (a phrase, an
    /// exclusion or a field counts as one).
    pub typed: usize,
    /// The query's words looked for (stop words left out).
    pub words: usize,
    /// How many of them every article shown has at least: one fewer than
    /// the most any article has, or half of them (rounded up), whichever is
    /// more.
    pub matched: usize,
    /// The most of them any article has (all of them, when only stop words
    /// were missing).
    pub most: usize,
}

/// The fewest words (stop words left out) for which a query that finds
/// nothing is answered by the articles with most of them: a query of two
/// words that finds nothing is more likely misspelt, and gets a
/// suggestion instead.
const MIN_WORDS: usize = 3;

/// English words too common to say what an article is about (the
/// Snowball project's English list without its contracted forms such as
/// `don't`, which the query language splits anyway), left out of the words
/// counted.
#[rustfmt::skip]
const STOP_WORDS: [&str; 124] = [
    "a", "about", "above", "after", "again", "against", "all", "am", "an", "and", "any", "are",
    "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but",
    "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "few", "for",
    "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "herself",
    "him", "himself", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself", "just",
    "me", "more", "most", "my", "myself", "no", "nor", "not", "now", "of", "off", "on", "once",
    "only", "or", "other", "our", "ours", "ourselves", "out", "over", "own", "same", "she",
    "should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them", "themselves",
    "then", "there", "these", "they", "this", "those", "through", "to", "too", "under", "until",
    "up", "very", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom",
    "why", "will", "with", "would", "you", "your", "yours",
];

/// The query that answers `node` with the articles having the most of its
/// words, if it is words typed one after another (with perhaps phrases,
/// fields or exclusions, which keep their meaning) of at least three that
/// are not stop words, and some article has any of them: the query, and
/// how many of the words its articles have. Quoted phrases, field scopes,
/// patterns and `-exclusions` must still match as written; an explicit
/// `OR` or `AND` between words is taken at its word.
pub(crate) fn most_words(
    index: &ArchiveIndex,
    searcher: &Searcher,
    analyzer: &TextAnalyzer,
    query_text: &str,
    node: &Node,
    filter: &DateFilter,
    most: Option<usize>,
) -> Result<Option<(CompiledQuery, MostWords)>> {
    let Node::And(items) = node else {
        return Ok(None);
    };
    if query_text.split_whitespace().any(|word| word == "AND") {
        return Ok(None);
    }
    let (words, kept): (Vec<&Node>, Vec<&Node>) = items.iter().partition(|item| {
        matches!(
            item,
            Node::Text {
                scope: Scope::Anywhere,
                phrase: false,
                ..
            }
        )
    });
    let words: Vec<&Node> = words
        .into_iter()
        .filter(|word| match word {
            Node::Text { text, .. } => !STOP_WORDS.contains(&text.to_lowercase().as_str()),
            _ => false,
        })
        .collect();
    if words.len() < MIN_WORDS {
        return Ok(None);
    }
    let fields = index.fields();
    let compile = |node: Option<&Node>, filter: &DateFilter| -> Result<CompiledQuery> {
        Ok(query::compile(node, filter, fields, analyzer)?)
    };
    let mut highlights = Vec::new();
    let mut should = Vec::with_capacity(words.len());
    for word in &words {
        let compiled = compile(Some(word), &DateFilter::default())?;
        highlights.extend(compiled.highlights);
        should.push(compiled.query);
    }
    let mut must = vec![compile(None, filter)?.query];
    if !kept.is_empty() {
        let rest = Node::And(kept.into_iter().cloned().collect());
        let compiled = compile(Some(&rest), &DateFilter::default())?;
        highlights.extend(compiled.highlights);
        must.push(compiled.query);
    }
    // The most words any article has: one walk over each word's matches
    // (or, for a shard, as many as any article of the archive has).
    let low = match most {
        Some(most) => most.min(words.len()),
        None => most_words_any_has(searcher, &should, &must).in_index(index.dir())?,
    };
    if low == 0 {
        return Ok(None);
    }
    // Those with one word fewer than the most come too, so that a rarer
    // word can outrank a common one: an article with seven words of eight
    // that leaves out "Indonesia" is not more to the point than one with
    // six that has it. BM25 ranks them (more words, and rarer words, score
    // more). Never fewer than half the words.
    let at_least = (low - 1).max(words.len().div_ceil(2)).min(low);
    let clauses = should
        .into_iter()
        .map(|query| (Occur::Should, query))
        .chain(must.into_iter().map(|query| (Occur::Must, query)))
        .collect();
    Ok(Some((
        CompiledQuery {
            query: Box::new(BooleanQuery::with_minimum_required_clauses(
                clauses, at_least,
            )),
            highlights,
            ranks_without_scoring_all: false,
        },
        MostWords {
            typed: items.len(),
            words: words.len(),
            matched: at_least,
            most: low,
        },
    )))
}

/// The most of the `words` that any article matching every query of
/// `must` has: each word's matches are counted per article in one walk of
/// its postings, then read for the articles `must` lets through.
fn most_words_any_has(
    searcher: &Searcher,
    words: &[Box<dyn Query>],
    must: &[Box<dyn Query>],
) -> tantivy::Result<usize> {
    let scoring = EnableScoring::disabled_from_searcher(searcher);
    let required: Box<dyn Query> = Box::new(BooleanQuery::new(
        must.iter()
            .map(|query| (Occur::Must, query.box_clone()))
            .collect(),
    ));
    let required = required.weight(scoring)?;
    let mut weights = Vec::with_capacity(words.len());
    for word in words {
        weights.push(word.weight(scoring)?);
    }
    let mut most = 0;
    for reader in searcher.segment_readers() {
        let mut counts = vec![0u8; reader.max_doc() as usize];
        for weight in &weights {
            let mut matches = weight.scorer(reader, 1.0)?;
            let mut doc = matches.doc();
            while doc != TERMINATED {
                counts[doc as usize] = counts[doc as usize].saturating_add(1);
                doc = matches.advance();
            }
        }
        let alive = reader.alive_bitset();
        let mut allowed = required.scorer(reader, 1.0)?;
        let mut doc = allowed.doc();
        while doc != TERMINATED {
            if alive.is_none_or(|alive| alive.is_alive(doc)) {
                most = most.max(usize::from(counts[doc as usize]));
            }
            doc = allowed.advance();
        }
    }
    Ok(most.min(words.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stop_words_are_lower_case_and_distinct() {
        let mut sorted = STOP_WORDS.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), STOP_WORDS.len());
        assert!(STOP_WORDS.iter().all(|w| *w == w.to_lowercase()));
    }
}
