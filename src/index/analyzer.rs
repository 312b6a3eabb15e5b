//! English analysis for headline and body, used alike for indexing, queries
//! and highlighting, so a snippet marks exactly the words that matched.

use std::collections::HashMap;

use rustc_hash::FxBuildHasher;

use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, Token,
    TokenFilter, TokenStream, Tokenizer,
};

/// Words remembered per analyzer. News vocabulary is Zipfian: a few
/// thousand words make most of the text, so a small cache saves most of the
/// stemming work. Past this size new words are stemmed, not remembered.
const STEM_CACHE_WORDS: usize = 100_000;

/// Split on non-alphanumerics, lowercase, fold accents to ASCII
/// (`Café` → `cafe`), stem (`talks` → `talk`).
pub fn english() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(CachedEnglishStemmer)
        .build()
}

/// [`english`] without the stemmer: words as typed, lowercased and folded.
/// For prefixes, which stemming would cut short or change.
pub fn folding() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// [`english`]'s tokens at the positions it gives them, and nothing else:
/// where each word stands (the filters after these change words, never
/// positions, nor drop any).
pub fn positions() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .build()
}

/// The Snowball English stemmer (what tantivy's `Stemmer` runs), with a
/// cache of the words it has stemmed.
#[derive(Debug, Clone, Copy, Default)]
pub struct CachedEnglishStemmer;

impl TokenFilter for CachedEnglishStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> CachedStemmerFilter<T> {
        CachedStemmerFilter {
            inner: tokenizer,
            stemmer: frostem::Stemmer::new(frostem::Algorithm::English),
            cache: HashMap::default(),
        }
    }
}

/// Stems by word, kept in the table itself: a lookup hashes and compares
/// a few machine words and follows no pointer. (With `String` keys the
/// lookups cost a fifth of all indexing time, most of it in `memcmp` and
/// cache misses.)
type StemCache = HashMap<ShortWord, ShortWord, FxBuildHasher>;

/// The token filter [`CachedEnglishStemmer`] wraps a tokenizer in.
#[derive(Clone)]
pub struct CachedStemmerFilter<T> {
    inner: T,
    stemmer: frostem::Stemmer,
    cache: StemCache,
}

impl<T: Tokenizer> Tokenizer for CachedStemmerFilter<T> {
    type TokenStream<'a> = CachedStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CachedStemmerStream {
            tail: self.inner.token_stream(text),
            stemmer: &self.stemmer,
            cache: &mut self.cache,
        }
    }
}

/// The token stream of a [`CachedStemmerFilter`].
pub struct CachedStemmerStream<'a, S> {
    tail: S,
    stemmer: &'a frostem::Stemmer,
    cache: &'a mut StemCache,
}

impl<S: TokenStream> TokenStream for CachedStemmerStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        let Some(word) = ShortWord::new(&token.text) else {
            // Too long to remember (and rare).
            token.text = self.stemmer.stem(&token.text).into_owned();
            return true;
        };
        if let Some(stem) = self.cache.get(&word) {
            token.text.clear();
            token.text.push_str(stem.as_str());
            return true;
        }
        let stem = self.stemmer.stem(&token.text).into_owned();
        if self.cache.len() < STEM_CACHE_WORDS {
            if let Some(short) = ShortWord::new(&stem) {
                self.cache.insert(word, short);
            }
        }
        token.text = stem;
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// A word of at most [`ShortWord::CAPACITY`] bytes, stored inline: its
/// length, then its bytes, zero-padded.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct ShortWord([u8; ShortWord::CAPACITY + 1]);

impl ShortWord {
    /// Longer than nearly every English word; 24 bytes in all.
    const CAPACITY: usize = 23;

    fn new(text: &str) -> Option<ShortWord> {
        let bytes = text.as_bytes();
        let len = u8::try_from(bytes.len())
            .ok()
            .filter(|&len| usize::from(len) <= Self::CAPACITY)?;
        let mut inline = [0; Self::CAPACITY + 1];
        inline[0] = len;
        inline[1..=bytes.len()].copy_from_slice(bytes);
        Some(ShortWord(inline))
    }

    fn as_str(&self) -> &str {
        let len = usize::from(self.0[0]);
        // Made from a `str` in `new`: always valid.
        std::str::from_utf8(&self.0[1..=len]).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::Stemmer;

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(token) = stream.next() {
            out.push(token.text.clone());
        }
        out
    }

    #[test]
    fn stems_fold_and_lowercase() {
        let mut analyzer = english();
        assert_eq!(
            tokens(&mut analyzer, "Talks talked TALKING, Café déjà-vu"),
            ["talk", "talk", "talk", "cafe", "deja", "vu"]
        );
    }

    #[test]
    fn the_cache_changes_nothing() {
        // The same text through tantivy's own stemmer, twice through ours
        // (cold cache, then warm), gives the same tokens.
        let text = "The coalition of the willing met; ministers were meeting \
                    again as meetings go, generously and generally, running runs. \
                    Internationalisations, internationalisations and \
                    counterrevolutionaries' electroencephalographically \
                    (too long to remember) stem as they should; so do Ærø's \
                    naïve cafés, and 東京 twice: 東京.";
        let mut plain = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .filter(Stemmer::new(tantivy::tokenizer::Language::English))
            .build();
        let mut cached = english();
        let expected = tokens(&mut plain, text);
        assert_eq!(tokens(&mut cached, text), expected);
        assert_eq!(tokens(&mut cached, text), expected);
    }
}
