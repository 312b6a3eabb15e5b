//! Snippets and highlights: which words of a headline or body matched, and
//! the best short passage of a body to show.
//!
//! The text is analysed with the field's own analyzer and compared with the
//! query's analysed terms, so `talks` in a query marks `talked` in the text,
//! and every word of a phrase is marked.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Mutex;

use tantivy::schema::Field;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Searcher, Term};

use crate::search::query::Highlight;
use crate::search::terms;

/// Text with the byte ranges of its highlighted words.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Highlighted {
    /// The text.
    pub text: String,
    /// Byte ranges of `text` to mark, in order, apart.
    pub ranges: Vec<Range<usize>>,
}

const ELLIPSIS: &str = "…";
/// Between two passages of one snippet.
pub const FRAGMENT_SEPARATOR: &str = " … ";

/// Finds a query's words and phrases in one field's text. Made once per
/// query and field, used for every hit; a thread of its own needs a clone
/// (the analyzer is locked while a text is analysed).
pub struct Highlighter {
    analyzer: Mutex<TextAnalyzer>,
    /// Analysed word → weight and a key of its own; rarer words weigh more,
    /// so a snippet prefers the passage with the most telling words.
    words: HashMap<String, (f32, usize)>,
    /// Analysed words at relative positions, and the phrase's weight.
    phrases: Vec<(Vec<(usize, String)>, f32)>,
    /// Prefixes of words as written (lowercased, accents folded), each with
    /// a weight and a key; matched against the text's unstemmed words.
    prefixes: Vec<(String, f32, usize)>,
}

/// Adds the indexed words a fuzzy word or prefix stands for, weighed as
/// plain words are.
fn expand_into(
    words: &mut HashMap<String, (f32, usize)>,
    searcher: &Searcher,
    term: &Term,
    pattern: terms::Pattern,
) -> tantivy::Result<()> {
    let value = term.value();
    let word = value.as_str().unwrap_or_default();
    for (found, docs) in
        terms::expand(searcher, term.field(), word, pattern, terms::MAX_EXPANSIONS)?
    {
        let key = words.len();
        words
            .entry(found)
            .or_insert((1.0 / (1.0 + docs as f32), key));
    }
    Ok(())
}

impl Clone for Highlighter {
    fn clone(&self) -> Highlighter {
        let analyzer = self
            .analyzer
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone();
        Highlighter {
            analyzer: Mutex::new(analyzer),
            words: self.words.clone(),
            phrases: self.phrases.clone(),
            prefixes: self.prefixes.clone(),
        }
    }
}

/// One occurrence of a query word or of a whole phrase.
#[derive(Debug, Clone)]
struct Match {
    /// From the first word's start to the last word's end.
    span: Range<usize>,
    /// Each word to mark.
    words: Vec<Range<usize>>,
    weight: f32,
    /// Tells occurrences of the same word or phrase apart from others.
    key: usize,
}

impl Highlighter {
    /// A highlighter of `field` for these highlights; expands fuzzy words
    /// and prefixes over the terms of the searcher's index, and weighs
    /// words by how many articles `statistics` says have them.
    pub fn new(
        searcher: &Searcher,
        statistics: &dyn tantivy::query::Bm25StatisticsProvider,
        analyzer: TextAnalyzer,
        field: Field,
        highlights: &[Highlight],
    ) -> tantivy::Result<Highlighter> {
        let weight = |term: &Term| -> tantivy::Result<f32> {
            Ok(1.0 / (1.0 + statistics.doc_freq(term)? as f32))
        };
        let text = |term: &Term| term.value().as_str().unwrap_or_default().to_string();
        let mut words = HashMap::new();
        let mut phrases = Vec::new();
        let mut prefixes = Vec::new();
        for highlight in highlights.iter().filter(|h| h.field() == Some(field)) {
            match highlight {
                Highlight::Term(term) => {
                    let key = words.len();
                    words.insert(text(term), (weight(term)?, key));
                }
                Highlight::Phrase(terms) => {
                    let first = terms.iter().map(|(at, _)| *at).min().unwrap_or(0);
                    let mut total = 0.0;
                    for (_, term) in terms {
                        total += weight(term)?;
                    }
                    let words = terms.iter().map(|(at, t)| (at - first, text(t))).collect();
                    phrases.push((words, total));
                }
                Highlight::Fuzzy { term, distance } => {
                    let pattern = terms::Pattern::Fuzzy(*distance);
                    expand_into(&mut words, searcher, term, pattern)?;
                }
                Highlight::Prefix { term, written } => {
                    // Weighed as the commonest word it stands for.
                    let prefix = text(term);
                    let commonest =
                        terms::expand(searcher, *written, &prefix, terms::Pattern::Prefix, 1)?
                            .first()
                            .map_or(0, |(_, docs)| *docs);
                    let key = usize::MAX / 2 - prefixes.len();
                    prefixes.push((prefix, 1.0 / (1.0 + commonest as f32), key));
                }
            }
        }
        Ok(Highlighter {
            analyzer: Mutex::new(analyzer),
            words,
            phrases,
            prefixes,
        })
    }

    /// Whether it has nothing to mark (the query looks for no word in its
    /// field).
    pub fn is_empty(&self) -> bool {
        self.words.is_empty() && self.phrases.is_empty() && self.prefixes.is_empty()
    }

    /// Every occurrence of a query word or whole phrase in `text`, in order.
    fn matches(&self, text: &str) -> Vec<Match> {
        if self.is_empty() {
            return Vec::new();
        }
        // One analyzer for every hit, so its stem cache stays warm. (A
        // panic elsewhere cannot leave it half-changed: use it as it is.)
        let mut analyzer = self
            .analyzer
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut stream = analyzer.token_stream(text);
        let mut found = Vec::new();
        // Tokens are kept only when phrases are to be found among them.
        let mut tokens = Vec::new();
        while let Some(token) = stream.next() {
            let range = token.offset_from..token.offset_to;
            if let Some(&(weight, key)) = self.words.get(&token.text) {
                found.push(Match {
                    span: range.clone(),
                    words: vec![range.clone()],
                    weight,
                    key,
                });
            }
            if !self.phrases.is_empty() {
                tokens.push((token.position, token.text.clone(), range));
            }
        }
        for (index, (phrase, weight)) in self.phrases.iter().enumerate() {
            for start in 0..tokens.len() {
                if let Some(words) = phrase_at(&tokens, start, phrase) {
                    found.push(Match {
                        span: words[0].start..words[words.len() - 1].end,
                        words,
                        weight: *weight,
                        key: usize::MAX - index,
                    });
                }
            }
        }
        if !self.prefixes.is_empty() {
            let mut folding = crate::index::schema::folding_analyzer();
            let mut stream = folding.token_stream(text);
            while let Some(token) = stream.next() {
                let prefix = self
                    .prefixes
                    .iter()
                    .find(|(prefix, ..)| token.text.starts_with(prefix.as_str()));
                if let Some(&(_, weight, key)) = prefix {
                    let range = token.offset_from..token.offset_to;
                    if !found.iter().any(|m: &Match| m.span == range) {
                        found.push(Match {
                            span: range.clone(),
                            words: vec![range],
                            weight,
                            key,
                        });
                    }
                }
            }
        }
        found.sort_by_key(|m| (m.span.start, m.span.end));
        found
    }

    /// All of `text` on one line, every matching word marked.
    pub fn whole(&self, text: &str) -> Highlighted {
        compact(text, &marked_words(&self.matches(text)), "", "")
    }

    /// `text` as written, line ends and all, every matching word marked
    /// (for showing an article whole, paragraphs kept).
    pub fn as_written(&self, text: &str) -> Highlighted {
        Highlighted {
            ranges: marked_words(&self.matches(text)),
            text: text.to_string(),
        }
    }

    /// About `max_len` bytes of `text` around its best cluster of matches (or
    /// its start, when nothing matches), cut on word boundaries, on one line,
    /// with `…` where text was left out.
    pub fn snippet(&self, text: &str, max_len: usize) -> Highlighted {
        self.snippets(text, max_len, 1)
    }

    /// Up to `count` passages of about `max_len` bytes each around the best
    /// clusters of matches, none overlapping another, in text order and
    /// joined with ` … `; `…` at either end where text was left out. A
    /// whole phrase match is never cut by a passage's edge. Passages that
    /// touch are shown as one. With no match, the start of the text.
    pub fn snippets(&self, text: &str, max_len: usize, count: usize) -> Highlighted {
        let matches = self.matches(text);
        // One window of the text, not the numbers in a range.
        #[allow(clippy::single_range_in_vec_init)]
        let windows = if text.len() <= max_len {
            vec![0..text.len()]
        } else if matches.is_empty() {
            vec![0..word_end_before(text, max_len, 0)]
        } else {
            best_windows(text, &matches, max_len, count.max(1))
        };
        let mut joined = Highlighted::default();
        for (i, window) in windows.iter().enumerate() {
            let lead = if i > 0 {
                FRAGMENT_SEPARATOR
            } else if text[..window.start].trim().is_empty() {
                ""
            } else {
                ELLIPSIS
            };
            let trail = if i + 1 < windows.len() || text[window.end..].trim().is_empty() {
                ""
            } else {
                ELLIPSIS
            };
            let inside: Vec<Match> = matches
                .iter()
                .filter(|m| m.span.start >= window.start && m.span.end <= window.end)
                .cloned()
                .collect();
            let ranges: Vec<_> = marked_words(&inside)
                .into_iter()
                .map(|range| range.start - window.start..range.end - window.start)
                .collect();
            let fragment = compact(&text[window.clone()], &ranges, lead, trail);
            let shift = joined.text.len();
            joined.text.push_str(&fragment.text);
            joined.ranges.extend(
                fragment
                    .ranges
                    .into_iter()
                    .map(|range| range.start + shift..range.end + shift),
            );
        }
        joined
    }
}

/// Up to `count` windows of about `max_len` bytes of `text`, best first
/// chosen, returned in text order with touching ones merged. Each next
/// window is the best cluster of the matches lying wholly in a stretch of
/// text no window covers yet, and stays inside that stretch.
fn best_windows(text: &str, matches: &[Match], max_len: usize, count: usize) -> Vec<Range<usize>> {
    let mut windows: Vec<Range<usize>> = Vec::with_capacity(count);
    while windows.len() < count {
        let mut best: Option<((f32, usize), Range<usize>)> = None;
        for gap in gaps(&windows, text.len()) {
            let free: Vec<Match> = matches
                .iter()
                .filter(|m| m.span.start >= gap.start && m.span.end <= gap.end)
                .cloned()
                .collect();
            if free.is_empty() {
                continue;
            }
            let (cluster, score) = best_cluster(&free, max_len);
            if best.as_ref().is_none_or(|(top, _)| better(score, *top)) {
                best = Some((score, window_around(text, &free[cluster], max_len, gap)));
            }
        }
        let Some((_, window)) = best else { break };
        windows.push(window);
        windows.sort_by_key(|w| w.start);
    }
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(windows.len());
    for window in windows {
        match merged.last_mut() {
            Some(last) if text[last.end..window.start].trim().is_empty() => last.end = window.end,
            _ => merged.push(window),
        }
    }
    merged
}

/// The stretches of `0..len` that no window (sorted, disjoint) covers.
fn gaps(windows: &[Range<usize>], len: usize) -> Vec<Range<usize>> {
    let mut gaps = Vec::with_capacity(windows.len() + 1);
    let mut from = 0;
    for window in windows {
        if window.start > from {
            gaps.push(from..window.start);
        }
        from = window.end;
    }
    if len > from {
        gaps.push(from..len);
    }
    gaps
}

/// About `max_len` bytes around a cluster of matches, cut on word
/// boundaries, inside `bounds`: some context before the first match, the
/// rest of the room after.
fn window_around(
    text: &str,
    cluster: &[Match],
    max_len: usize,
    bounds: Range<usize>,
) -> Range<usize> {
    let first = cluster.first().map_or(bounds.start, |m| m.span.start);
    let last = cluster.iter().map(|m| m.span.end).max().unwrap_or(first);
    let room = max_len.saturating_sub(last - first);
    let begin = word_start_after(
        text,
        first.saturating_sub(room / 3).max(bounds.start),
        first,
    );
    // A match longer than the room is shown whole, never cut.
    let end = word_end_before(text, (begin + max_len).max(last).min(bounds.end), last);
    begin..end
}

/// The word ranges of a phrase occurring at token `start`, if it does.
fn phrase_at(
    tokens: &[(usize, String, Range<usize>)],
    start: usize,
    phrase: &[(usize, String)],
) -> Option<Vec<Range<usize>>> {
    let base = tokens[start].0;
    let mut words = Vec::with_capacity(phrase.len());
    let mut cursor = start;
    for (offset, word) in phrase {
        let wanted = base + offset;
        while cursor < tokens.len() && tokens[cursor].0 < wanted {
            cursor += 1;
        }
        let (position, text, range) = tokens.get(cursor)?;
        if *position != wanted || text != word {
            return None;
        }
        words.push(range.clone());
    }
    Some(words)
}

/// The words to mark, in order, each once.
fn marked_words(matches: &[Match]) -> Vec<Range<usize>> {
    let mut words: Vec<Range<usize>> = matches.iter().flat_map(|m| m.words.clone()).collect();
    words.sort_by_key(|r| (r.start, r.end));
    words.dedup_by(|later, earlier| later.start < earlier.end);
    words
}

/// The run of consecutive matches that fits in `max_len` bytes and has the
/// greatest weight of distinct words and phrases (then the most matches,
/// then the earliest).
fn best_cluster(matches: &[Match], max_len: usize) -> (Range<usize>, (f32, usize)) {
    let mut best = 0..1;
    let mut best_score = (f32::MIN, 0);
    for start in 0..matches.len() {
        let mut end = start + 1;
        while end < matches.len() && matches[end].span.end - matches[start].span.start <= max_len {
            end += 1;
        }
        let mut seen: Vec<usize> = Vec::new();
        let mut weight = 0.0;
        for found in &matches[start..end] {
            if !seen.contains(&found.key) {
                seen.push(found.key);
                weight += found.weight;
            }
        }
        let score = (weight, end - start);
        if better(score, best_score) {
            best = start..end;
            best_score = score;
        }
    }
    (best, best_score)
}

/// Whether a cluster's (weight, matches) beats another's; on a tie the
/// earlier one, found first, stays.
fn better(score: (f32, usize), than: (f32, usize)) -> bool {
    score.0 > than.0 || (score.0 == than.0 && score.1 > than.1)
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
    use crate::index::schema::english_analyzer;

    fn highlighter(words: &[&str]) -> Highlighter {
        Highlighter {
            analyzer: Mutex::new(english_analyzer()),
            words: words
                .iter()
                .enumerate()
                .map(|(key, w)| (w.to_string(), (1.0, key)))
                .collect(),
            phrases: Vec::new(),
            prefixes: Vec::new(),
        }
    }

    fn phrase_highlighter(phrase: &[&str]) -> Highlighter {
        let words = phrase
            .iter()
            .enumerate()
            .map(|(i, w)| (i, w.to_string()))
            .collect();
        Highlighter {
            analyzer: Mutex::new(english_analyzer()),
            words: HashMap::new(),
            phrases: vec![(words, 1.0)],
            prefixes: Vec::new(),
        }
    }

    #[test]
    fn a_prefix_marks_the_words_written_so_and_no_other() {
        let h = Highlighter {
            analyzer: Mutex::new(english_analyzer()),
            words: HashMap::new(),
            phrases: Vec::new(),
            prefixes: vec![("stocks".to_string(), 1.0, 0)],
        };
        let text = "Stocks fell; stock markets and STOCKSWAP, not restocks.";
        assert_eq!(marked(&h.whole(text)), ["Stocks", "STOCKSWAP"]);
        let h = Highlighter {
            prefixes: vec![("cafe".to_string(), 1.0, 0)],
            ..h
        };
        assert_eq!(marked(&h.whole("Le Café, les cafés")), ["Café", "cafés"]);
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
    fn text_as_written_keeps_its_paragraphs() {
        let text = "Envoys talked at a Zürich  Café.\n\nThen more talks.";
        let h = highlighter(&["talk", "cafe"]).as_written(text);
        assert_eq!(h.text, text);
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
    fn only_whole_phrases_are_marked() {
        let h = phrase_highlighter(&["coalit", "of", "the", "will"])
            .whole("The will of the people: a coalition of the willing, a coalition of the few");
        assert_eq!(marked(&h), ["coalition", "of", "the", "willing"]);
    }

    #[test]
    fn a_phrase_is_never_cut_by_the_snippet() {
        // Stray words of the phrase early on must not pull the window away
        // from, or cut into, the one whole occurrence.
        let filler = "the will of the people ".repeat(12);
        let body = format!("{filler}and the coalition of the willing met again today");
        let h = phrase_highlighter(&["coalit", "of", "the", "will"]).snippet(&body, 60);
        assert_eq!(
            marked(&h),
            ["coalition", "of", "the", "willing"],
            "{}",
            h.text
        );
    }

    #[test]
    fn multibyte_text_is_cut_on_char_boundaries() {
        let body = "é".repeat(300);
        let h = highlighter(&[]).snippet(&body, 101);
        assert!(h.text.ends_with('…'));
    }

    fn fragments(h: &Highlighted) -> Vec<&str> {
        h.text
            .trim_start_matches(ELLIPSIS)
            .trim_end_matches(ELLIPSIS)
            .split(FRAGMENT_SEPARATOR)
            .collect()
    }

    #[test]
    fn several_passages_come_in_text_order_each_with_its_match() {
        let filler = "lorem ipsum dolor sit amet ".repeat(10);
        let body =
            format!("{filler}rates rose {filler}inflation fell {filler}ceasefire held {filler}");
        let h = highlighter(&["rate", "inflat", "ceasefir"]).snippets(&body, 60, 3);
        assert!(
            h.text.starts_with(ELLIPSIS) && h.text.ends_with(ELLIPSIS),
            "{}",
            h.text
        );
        let parts = fragments(&h);
        assert_eq!(parts.len(), 3, "{}", h.text);
        for (part, word) in parts.iter().zip(["rates", "inflation", "ceasefire"]) {
            assert!(part.contains(word), "{part:?} lacks {word}");
            assert!(part.len() <= 60, "{part:?} is {} bytes", part.len());
        }
        assert_eq!(marked(&h), ["rates", "inflation", "ceasefire"]);
    }

    #[test]
    fn fewer_passages_when_fewer_clusters_match() {
        let filler = "lorem ipsum dolor sit amet ".repeat(10);
        let body = format!("{filler}rates rose {filler}");
        let h = highlighter(&["rate"]).snippets(&body, 60, 3);
        assert_eq!(fragments(&h).len(), 1, "{}", h.text);
        assert_eq!(marked(&h), ["rates"]);
        // One passage is exactly what `snippet` gives.
        assert_eq!(h, highlighter(&["rate"]).snippet(&body, 60));
    }

    #[test]
    fn passages_that_touch_are_shown_as_one() {
        // Matches close together: the windows meet, and no ` … ` may claim
        // that text was left out between them.
        let body = format!("rates {}rates {}", "x ".repeat(30), "y ".repeat(200));
        let h = highlighter(&["rate"]).snippets(&body, 60, 3);
        assert_eq!(fragments(&h).len(), 1, "{}", h.text);
        let joined = h.text.trim_end_matches(ELLIPSIS);
        assert!(
            body.starts_with(joined),
            "{joined:?} is not the start of the body"
        );
        assert_eq!(marked(&h), ["rates", "rates"]);
    }

    #[test]
    fn no_passage_cuts_a_phrase() {
        let filler = "the will of the people ".repeat(8);
        let body = format!(
            "{filler}a coalition of the willing met {filler}and a coalition of the willing \
             spoke {filler}"
        );
        let h = phrase_highlighter(&["coalit", "of", "the", "will"]).snippets(&body, 40, 3);
        assert_eq!(fragments(&h).len(), 2, "{}", h.text);
        assert_eq!(
            marked(&h),
            [
                "coalition",
                "of",
                "the",
                "willing",
                "coalition",
                "of",
                "the",
                "willing"
            ]
        );
    }

    #[test]
    fn a_match_longer_than_the_room_is_shown_whole() {
        let filler = "word ".repeat(50);
        let body = format!("{filler}the coalition of the willing met {filler}");
        let h = phrase_highlighter(&["coalit", "of", "the", "will"]).snippets(&body, 20, 2);
        assert_eq!(
            marked(&h),
            ["coalition", "of", "the", "willing"],
            "{}",
            h.text
        );
    }
}
