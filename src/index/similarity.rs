//! How alike two articles' texts are, from a small signature of each:
//! MinHash over shingles of five words (Broder, 1997), by one permutation
//! cut into [`HASHES`] bins (Li, Owen and Zhang, 2012), each bin's minimum
//! kept to its lowest byte ("b-bit" MinHash, Li and König, 2010), so a
//! signature is 64 bytes, stored with the article.
//!
//! The share of equal bytes in two signatures estimates the Jaccard
//! similarity of the two articles' shingle sets ([`estimate`]); bands of
//! [`BAND_ROWS`] bytes ([`bands`]) find the pairs worth estimating without
//! comparing every article with every other (locality-sensitive hashing).
//! What the numbers were chosen by is in `benches/RESULTS.md` ("Stories").

/// How many hash functions a signature has: one byte each.
pub const HASHES: usize = 64;

/// How many words a shingle has.
pub const SHINGLE_WORDS: usize = 5;

/// A signature as eight u64 words, as the index stores it.
pub const SIGNATURE_WORDS: usize = HASHES / 8;

/// How many bytes of a signature make one band: two articles whose
/// signatures agree on every byte of some band are compared.
pub const BAND_ROWS: usize = 4;

/// How many bands a signature has.
pub const BANDS: usize = HASHES / BAND_ROWS;

/// Articles whose body has fewer words than this get no signature: they
/// are too short to tell a copy from a notice in the same words (two
/// companies' dividends, a daily brief that is all headline), so they are
/// never part of a story.
pub const MIN_WORDS: usize = 10;

/// An article's MinHash signature: the lowest byte of the least hash of
/// its shingles in each of [`HASHES`] bins.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Signature(pub [u8; HASHES]);

impl Signature {
    /// The signature of a headline and body: of the words of both, lower
    /// case, split at anything not a letter or a digit. `None` when the
    /// body has fewer than [`MIN_WORDS`] words.
    pub fn of(headline: &str, body: &str) -> Option<Signature> {
        let mut words: Vec<u64> = Vec::with_capacity(body.len() / 5 + 16);
        word_hashes(headline, &mut words);
        let in_headline = words.len();
        word_hashes(body, &mut words);
        if words.len() - in_headline < MIN_WORDS {
            return None;
        }
        // One permutation, cut into HASHES bins (Li, Owen and Zhang, 2012):
        // a shingle's hash picks its bin by its top bits, and each bin keeps
        // its least hash. One hash per shingle instead of one per shingle
        // and function: 64 times less work, the same estimate.
        let mut minimums = [u64::MAX; HASHES];
        for shingle in words.windows(SHINGLE_WORDS) {
            let mut hash = 0x9E37_79B9_7F4A_7C15u64;
            for &word in shingle {
                hash = mix(hash ^ word);
            }
            let bin = (hash >> (64 - BIN_BITS)) as usize;
            let value = hash & (u64::MAX >> BIN_BITS);
            if value < minimums[bin] {
                minimums[bin] = value;
            }
        }
        // A short text leaves bins empty: each takes the value of a bin
        // that is not, chosen by a fixed sequence of bins for it ("optimal
        // densification", Shrivastava, 2017), so two texts agree on it as
        // often as on the bins they fill.
        let filled = minimums;
        if filled.iter().all(|&value| value == u64::MAX) {
            return None; // (no shingle: cannot be, with MIN_WORDS words)
        }
        for (bin, minimum) in minimums.iter_mut().enumerate() {
            let mut attempt = 0u64;
            while *minimum == u64::MAX {
                attempt += 1;
                let donor = (mix(((bin as u64) << 32) | attempt) % HASHES as u64) as usize;
                if filled[donor] != u64::MAX {
                    *minimum = mix(filled[donor] ^ bin as u64);
                }
            }
        }
        let mut bytes = [0u8; HASHES];
        for (byte, minimum) in bytes.iter_mut().zip(minimums) {
            *byte = minimum as u8;
        }
        Some(Signature(bytes))
    }

    /// The signature as the index stores it: eight words of its bytes
    /// (little-endian).
    pub fn words(&self) -> [u64; SIGNATURE_WORDS] {
        let mut words = [0u64; SIGNATURE_WORDS];
        for (word, bytes) in words.iter_mut().zip(self.0.chunks_exact(8)) {
            let mut eight = [0u8; 8];
            eight.copy_from_slice(bytes);
            *word = u64::from_le_bytes(eight);
        }
        words
    }

    /// The signature of the words [`Signature::words`] gave.
    pub fn from_words(words: [u64; SIGNATURE_WORDS]) -> Signature {
        let mut bytes = [0u8; HASHES];
        for (chunk, word) in bytes.chunks_exact_mut(8).zip(words) {
            chunk.copy_from_slice(&word.to_le_bytes());
        }
        Signature(bytes)
    }
}

/// The estimated Jaccard similarity of the shingle sets two signatures
/// were made from, in 0..=1: the share of equal bytes, less the share two
/// unrelated texts' bytes agree by chance (1 in 256).
pub fn estimate(a: &Signature, b: &Signature) -> f64 {
    let equal = a.0.iter().zip(&b.0).filter(|(x, y)| x == y).count();
    let share = equal as f64 / HASHES as f64;
    let chance = 1.0 / 256.0;
    ((share - chance) / (1.0 - chance)).clamp(0.0, 1.0)
}

/// Appends the hash of each word of `text`: runs of letters and digits,
/// lower case.
fn word_hashes(text: &str, words: &mut Vec<u64>) {
    let mut hash: Option<u64> = None;
    for c in text.chars() {
        if c.is_alphanumeric() {
            let mut h = hash.unwrap_or(0xCBF2_9CE4_8422_2325);
            if c.is_ascii() {
                h = (h ^ u64::from(c.to_ascii_lowercase() as u8)).wrapping_mul(0x100_0000_01B3);
            } else {
                for lower in c.to_lowercase() {
                    h = (h ^ u64::from(u32::from(lower))).wrapping_mul(0x100_0000_01B3);
                }
            }
            hash = Some(h);
        } else if let Some(h) = hash.take() {
            words.push(mix(h));
        }
    }
    if let Some(h) = hash {
        words.push(mix(h));
    }
}

/// SplitMix64's finaliser: a fast 64-bit mix in which every input bit
/// changes about half the output bits.
const fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// The bits of a shingle's hash that pick its bin: `2^BIN_BITS` is
/// [`HASHES`].
const BIN_BITS: u32 = HASHES.trailing_zeros();

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "Cocoa prices rose sharply in London on Monday as traders \
        reacted to reports of dry weather in the Ivory Coast, the world's largest \
        producer, and to a smaller than expected mid crop in Ghana. Dealers said \
        the market could rise further if the rains stay away for another week, \
        though stocks in consuming countries remain large.";

    #[test]
    fn the_same_words_give_the_same_signature_whatever_case_and_punctuation() {
        let a = Signature::of("Cocoa rises", STORY).unwrap();
        let b = Signature::of("COCOA RISES", &STORY.to_uppercase().replace(',', " ;")).unwrap();
        assert_eq!(a, b);
        assert_eq!(estimate(&a, &b), 1.0);
    }

    #[test]
    fn a_near_copy_is_estimated_close_and_another_text_far() {
        let a = Signature::of("Cocoa rises", STORY).unwrap();
        let revised = format!("{STORY} The International Cocoa Organization meets next month.");
        let b = Signature::of("Cocoa rises on weather", &revised).unwrap();
        let other = Signature::of(
            "Gold steady",
            "Gold was steady in quiet trading in Zurich and London, with dealers \
             waiting for the dollar to settle after last week's falls against the \
             yen and the mark, and for news from the Federal Reserve meeting.",
        )
        .unwrap();
        assert!(estimate(&a, &b) > 0.6, "{}", estimate(&a, &b));
        assert!(estimate(&a, &other) < 0.2, "{}", estimate(&a, &other));
    }

    #[test]
    fn short_texts_have_no_signature() {
        assert_eq!(Signature::of("Dividend", "Qtly div 10 cts vs 10 cts"), None);
        let headline = "Fed says it sets 1.5 billion dlrs of customer repurchase agreements";
        assert_eq!(Signature::of(headline, ""), None);
        assert_eq!(Signature::of("", ""), None);
    }

    #[test]
    fn signatures_round_trip() {
        let a = Signature::of("Cocoa rises", STORY).unwrap();
        assert_eq!(Signature::from_words(a.words()), a);
    }
}
