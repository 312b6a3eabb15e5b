//! The index's own words: what a fuzzy word or a prefix stands for, and the
//! likeliest correction of a word that is not there. Read from the term
//! dictionaries with Levenshtein automata, as tantivy's fuzzy query does.

use std::collections::HashMap;
use std::sync::OnceLock;

use levenshtein_automata::{Distance, LevenshteinAutomatonBuilder, DFA, SINK_STATE};
use tantivy::postings::TermInfo;
use tantivy::schema::Field;
use tantivy::{InvertedIndexReader, Searcher};
use tantivy_fst::Automaton;

/// A fuzzy word or prefix marks at most this many of the words it stands
/// for in snippets: the commonest.
pub const MAX_EXPANSIONS: usize = 64;

/// What an analysed word stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pattern {
    /// Words within this many edits (a transposition counts as one).
    Fuzzy(u8),
    /// Words starting with it.
    Prefix,
}

/// The indexed words of `field` that `word` stands for, with how many
/// documents hold each, commonest first, at most `limit` of them.
pub fn expand(
    searcher: &Searcher,
    field: Field,
    word: &str,
    pattern: Pattern,
    limit: usize,
) -> tantivy::Result<Vec<(String, u64)>> {
    let mut found: HashMap<String, u64> = HashMap::new();
    for segment in searcher.segment_readers() {
        let index = segment.inverted_index(field)?;
        each_match(&index, word, pattern, |key, info| {
            if let Ok(text) = std::str::from_utf8(key) {
                *found.entry(text.to_string()).or_default() += u64::from(info.doc_freq);
            }
            Ok(())
        })?;
    }
    let mut found: Vec<(String, u64)> = found.into_iter().collect();
    found.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    found.truncate(limit);
    Ok(found)
}

/// Each word of a segment's field (`index`) that `word` stands for, as
/// stored, with where its postings are, given to `each`.
pub(crate) fn each_match(
    index: &InvertedIndexReader,
    word: &str,
    pattern: Pattern,
    mut each: impl FnMut(&[u8], &TermInfo) -> tantivy::Result<()>,
) -> tantivy::Result<()> {
    let dfa = match pattern {
        Pattern::Fuzzy(distance) => builder(distance).build_dfa(word),
        Pattern::Prefix => builder(0).build_prefix_dfa(word),
    };
    let mut stream = index.terms().search(Matcher(&dfa)).into_stream()?;
    while stream.advance() {
        each(stream.key(), stream.value())?;
    }
    Ok(())
}

/// The likeliest word `word` is a misspelling of: among the indexed words
/// of `fields` one edit away (two for longer words), the one in the most
/// documents. `None` when `word` is indexed itself or nothing is near.
pub fn correction(
    searcher: &Searcher,
    fields: &[Field],
    word: &str,
) -> tantivy::Result<Option<(String, u64)>> {
    let distance = if word.chars().count() >= 6 { 2 } else { 1 };
    let mut best: Option<(String, u64, u8)> = None;
    for &field in fields {
        for (candidate, docs) in
            expand(searcher, field, word, Pattern::Fuzzy(distance), usize::MAX)?
        {
            if candidate == word {
                return Ok(None);
            }
            let edits = edits(word, &candidate);
            // Fewer edits first, then more documents.
            let better = best.as_ref().is_none_or(|(_, best_docs, best_edits)| {
                (edits, std::cmp::Reverse(docs)) < (*best_edits, std::cmp::Reverse(*best_docs))
            });
            if better {
                best = Some((candidate, docs, edits));
            }
        }
    }
    Ok(best.map(|(word, docs, _)| (word, docs)))
}

/// Edits (insert, delete, substitute, transpose two neighbours) from `a`
/// to `b`: the optimal string alignment distance.
fn edits(a: &str, b: &str) -> u8 {
    u8::try_from(strsim::osa_distance(a, b)).unwrap_or(u8::MAX)
}

/// The automaton builders, one per distance, built once: a builder
/// precomputes its Levenshtein tables, which costs more than the search it
/// serves (tantivy and milli keep theirs in statics too).
fn builder(distance: u8) -> &'static LevenshteinAutomatonBuilder {
    static BUILDERS: [OnceLock<LevenshteinAutomatonBuilder>; 3] =
        [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    let distance = distance.min(2);
    BUILDERS[usize::from(distance)].get_or_init(|| LevenshteinAutomatonBuilder::new(distance, true))
}

/// A Levenshtein DFA as an automaton over the term dictionary.
struct Matcher<'a>(&'a DFA);

impl Automaton for Matcher<'_> {
    type State = u32;

    fn start(&self) -> u32 {
        self.0.initial_state()
    }

    fn is_match(&self, state: &u32) -> bool {
        matches!(self.0.distance(*state), Distance::Exact(_))
    }

    fn can_match(&self, state: &u32) -> bool {
        *state != SINK_STATE
    }

    fn accept(&self, state: &u32, byte: u8) -> u32 {
        self.0.transition(*state, byte)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_count_a_transposition_as_one() {
        assert_eq!(edits("ceasefire", "ceasefire"), 0);
        assert_eq!(edits("ceasfire", "ceasefire"), 1);
        assert_eq!(edits("ceasefrie", "ceasefire"), 1);
        assert_eq!(edits("zelenskyy", "zelenskiy"), 1);
        assert_eq!(edits("", "abc"), 3);
    }
}
