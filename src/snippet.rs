//! Snippets and highlights: which words of a headline or body matched, and
//! the best short passage of a body to show.
//!
//! The text is analysed with the field's own analyzer and compared with the
//! query's analysed terms, so `talks` in a query marks `talked` in the text,
//! and every word of a phrase is marked.

use std::collections::HashMap;
use std::ops::Range;

use tantivy::schema::Field;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Searcher, Term};

/// Text with the byte ranges of its highlighted words.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Highlighted {
    pub text: String,
    pub ranges: Vec<Range<usize>>,
}

const ELLIPSIS: &str = "…";

/// Finds a query's words in one field's text. Made once per query and field,
/// used for every hit.
pub struct Highlighter {
    analyzer: TextAnalyzer,
    /// Analysed term → weight; rarer terms weigh more, so a snippet prefers
    /// the passage with the most telling words.
    weights: HashMap<String, f32>,
}

impl Highlighter {
    pub fn new(
        searcher: &Searcher,
        analyzer: TextAnalyzer,
        field: Field,
        terms: &[Term],
    ) -> tantivy::Result<Highlighter> {
        let mut weights = HashMap::new();
        for term in terms.iter().filter(|term| term.field() == field) {
            if let Some(text) = term.value().as_str() {
                let doc_freq = searcher.doc_freq(term)?;
                weights.insert(text.to_string(), 1.0 / (1.0 + doc_freq as f32));
            }
        }
        Ok(Highlighter { analyzer, weights })
    }

    /// Byte ranges of the words in `text` that match, in order, with their terms.
    fn matches(&self, text: &str) -> Vec<(Range<usize>, f32, String)> {
        if self.weights.is_empty() {
            return Vec::new();
        }
        let mut analyzer = self.analyzer.clone();
        let mut stream = analyzer.token_stream(text);
        let mut found = Vec::new();
        while let Some(token) = stream.next() {
            if let Some(&weight) = self.weights.get(&token.text) {
                found.push((
                    token.offset_from..token.offset_to,
                    weight,
                    token.text.clone(),
                ));
            }
        }
        found
    }

    /// All of `text` on one line, every matching word marked.
    pub fn whole(&self, text: &str) -> Highlighted {
        let ranges: Vec<_> = self.matches(text).into_iter().map(|m| m.0).collect();
        compact(text, &ranges, "", "")
    }

    /// About `max_len` bytes of `text` around its best cluster of matches (or
    /// its start, when nothing matches), cut on word boundaries, on one line,
    /// with `…` where text was left out.
    pub fn snippet(&self, text: &str, max_len: usize) -> Highlighted {
        let matches = self.matches(text);
        let window = if text.len() <= max_len {
            0..text.len()
        } else if matches.is_empty() {
            0..word_end_before(text, max_len, 0)
        } else {
            let cluster = best_cluster(&matches, max_len);
            let first = matches[cluster.start].0.start;
            let last = matches[cluster.end - 1].0.end;
            // Some context before the first match; the rest of the room after.
            let room = max_len.saturating_sub(last - first);
            let begin = word_start_after(text, first.saturating_sub(room / 3), first);
            let end = word_end_before(text, (begin + max_len).min(text.len()), last);
            begin..end
        };
        let ranges: Vec<_> = matches
            .into_iter()
            .map(|m| m.0)
            .filter(|range| range.start >= window.start && range.end <= window.end)
            .map(|range| range.start - window.start..range.end - window.start)
            .collect();
        let lead = if text[..window.start].trim().is_empty() {
            ""
        } else {
            ELLIPSIS
        };
        let trail = if text[window.end..].trim().is_empty() {
            ""
        } else {
            ELLIPSIS
        };
        compact(&text[window], &ranges, lead, trail)
    }
}

/// The run of consecutive matches that fits in `max_len` bytes and has the
/// greatest weight of distinct terms (then the most matches, then the earliest).
fn best_cluster(matches: &[(Range<usize>, f32, String)], max_len: usize) -> Range<usize> {
    let mut best = 0..1;
    let mut best_score = (f32::MIN, 0);
    for start in 0..matches.len() {
        let mut end = start + 1;
        while end < matches.len() && matches[end].0.end - matches[start].0.start <= max_len {
            end += 1;
        }
        let mut seen: Vec<&str> = Vec::new();
        let mut weight = 0.0;
        for (_, term_weight, term) in &matches[start..end] {
            if !seen.contains(&term.as_str()) {
                seen.push(term);
                weight += term_weight;
            }
        }
        let score = (weight, end - start);
        if score.0 > best_score.0 || (score.0 == best_score.0 && score.1 > best_score.1) {
            best = start..end;
            best_score = score;
        }
    }
    best
}

/// The first word start at or after `at` (but not after `limit`).
fn word_start_after(text: &str, at: usize, limit: usize) -> usize {
    if at == 0 {
        return 0;
    }
    let mut at = at;
    while !text.is_char_boundary(at) {
        at += 1;
    }
    if text[..at].ends_with(char::is_whitespace) {
        return at;
    }
    match text[at..limit].find(char::is_whitespace) {
        Some(space) => at + space,
        None => limit,
    }
}

/// The last word end at or before `at` (but not before `floor`).
fn word_end_before(text: &str, at: usize, floor: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    if at == text.len() || text[at..].starts_with(char::is_whitespace) {
        return at;
    }
    match text[floor..at].rfind(char::is_whitespace) {
        Some(space) => floor + space,
        // One word longer than the whole room: cut inside it.
        None if floor == 0 => at,
        None => floor,
    }
}

/// Puts `text` on one line (every run of white space becomes one space, none
/// at either end) between `lead` and `trail`, moving `ranges` along with it.
fn compact(text: &str, ranges: &[Range<usize>], lead: &str, trail: &str) -> Highlighted {
    let mut out = String::with_capacity(lead.len() + text.len() + trail.len());
    out.push_str(lead);
    let mut out_ranges = Vec::with_capacity(ranges.len());
    let mut space_pending = false;
    let mut push = |out: &mut String, piece: &str| {
        for c in piece.chars() {
            if c.is_whitespace() {
                space_pending = true;
                continue;
            }
            if space_pending && out.len() > lead.len() {
                out.push(' ');
            }
            space_pending = false;
            out.push(c);
        }
    };
    let mut done = 0;
    for range in ranges {
        if range.start < done {
            continue;
        }
        push(&mut out, &text[done..range.start]);
        push(&mut out, &text[range.clone()]);
        // A highlighted word has no spaces, so it starts after any pending one.
        let word = &text[range.clone()];
        out_ranges.push(out.len() - word.len()..out.len());
        done = range.end;
    }
    push(&mut out, &text[done..]);
    out.push_str(trail);
    Highlighted {
        text: out,
        ranges: out_ranges,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::english_analyzer;

    fn highlighter(words: &[&str]) -> Highlighter {
        Highlighter {
            analyzer: english_analyzer(),
            weights: words.iter().map(|w| (w.to_string(), 1.0)).collect(),
        }
    }

    fn marked(h: &Highlighted) -> Vec<&str> {
        h.ranges.iter().map(|r| &h.text[r.clone()]).collect()
    }

    #[test]
    fn stemmed_and_folded_words_are_marked() {
        let h =
            highlighter(&["talk", "cafe"]).whole("Envoys talked at a Zürich  Café\nabout talks");
        assert_eq!(h.text, "Envoys talked at a Zürich Café about talks");
        assert_eq!(marked(&h), ["talked", "Café", "talks"]);
    }

    #[test]
    fn a_short_body_is_shown_whole() {
        let h = highlighter(&["rate"]).snippet("Rates rose.\n\nThen fell.", 200);
        assert_eq!(h.text, "Rates rose. Then fell.");
        assert_eq!(marked(&h), ["Rates"]);
    }

    #[test]
    fn a_long_body_is_cut_on_word_boundaries_around_the_match() {
        let filler = "lorem ipsum dolor sit amet ".repeat(20);
        let body = format!("{filler}the ceasefire talks began {filler}");
        let h = highlighter(&["ceasefir", "talk"]).snippet(&body, 120);
        assert!(
            h.text.starts_with('…') && h.text.ends_with('…'),
            "{}",
            h.text
        );
        assert!(h.text.len() <= 120 + 2 * ELLIPSIS.len(), "{}", h.text.len());
        assert_eq!(marked(&h), ["ceasefire", "talks"]);
        let inner = h.text.trim_matches('…');
        for word in inner.split(' ') {
            assert!(
                [
                    "lorem",
                    "ipsum",
                    "dolor",
                    "sit",
                    "amet",
                    "the",
                    "ceasefire",
                    "talks",
                    "began"
                ]
                .contains(&word),
                "cut inside a word: {word:?} in {inner:?}"
            );
        }
    }

    #[test]
    fn without_a_match_the_body_starts_the_snippet() {
        let body = "word ".repeat(100);
        let h = highlighter(&["absent"]).snippet(&body, 50);
        assert!(h.text.starts_with("word word"));
        assert!(h.text.ends_with("word…"), "{}", h.text);
        assert!(h.ranges.is_empty());
    }

    #[test]
    fn the_densest_passage_wins() {
        let filler = "x ".repeat(200);
        let body = format!("rates {filler} rates inflation {filler}");
        let h = highlighter(&["rate", "inflat"]).snippet(&body, 60);
        assert_eq!(marked(&h), ["rates", "inflation"]);
    }

    #[test]
    fn multibyte_text_is_cut_on_char_boundaries() {
        let body = "é".repeat(300);
        let h = highlighter(&[]).snippet(&body, 101);
        assert!(h.text.ends_with('…'));
    }
}
