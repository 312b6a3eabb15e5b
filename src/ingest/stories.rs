//! Grouping the articles of a committed index into stories, at the end of
//! every indexing run: from every article's signature, whatever run
//! indexed it, so an incremental run and a rebuild of the same files give
//! the same stories.
//!
//! 1. **Candidates.** Two articles whose signatures agree on every byte of
//!    one of the [`BANDS`] bands, and whose dates are at most
//!    [`STORY_DAYS`] apart (undated articles with undated ones).
//! 2. **Pairs.** Candidates whose estimated similarity is at least
//!    [`SIMILAR`].
//! 3. **Stories.** Articles in order of date (undated last), then id: an
//!    article joins the story of the member it is most similar to, if that
//!    story's first article is at most [`STORY_DAYS`] earlier; otherwise it
//!    starts a story. A story is thus a run of revisions and copies of one
//!    first article, within a week of it.

use std::collections::HashMap;

use tantivy::columnar::Column;
use tantivy::schema::Value;
use tantivy::{DocAddress, Searcher, TantivyDocument};

use crate::error::{InIndex, Result};
use crate::index::schema::{DocKind, Fields};
use crate::index::similarity::{estimate, Signature, BANDS, BAND_ROWS, SIGNATURE_WORDS};
use crate::index::stories::{commit_key, Member, Story, StoryMap};
use crate::index::ArchiveIndex;

/// The estimated Jaccard similarity of their 5-word shingles from which two
/// articles are near-copies.
pub const SIMILAR: f64 = 0.7;

/// How many days a story may span, from its first article.
pub const STORY_DAYS: i64 = 7;

const STORY_SECONDS: i64 = STORY_DAYS * 24 * 60 * 60;

/// How many of the articles after it (by date) in a band's bucket an
/// article is compared with.
const NEIGHBOURS: usize = 32;

/// An article with a signature: where it is and when it ran. Its
/// signature stays in the index's columns ([`Signatures`]), read again
/// when needed: a million articles' would be 64 MB more of memory at the
/// end of a run that has just used the most.
struct Entry {
    address: DocAddress,
    when: Option<i64>,
}

/// The signature columns of every segment.
struct Signatures(Vec<Vec<Column<u64>>>);

impl Signatures {
    fn of(searcher: &Searcher) -> tantivy::Result<Signatures> {
        let mut segments = Vec::new();
        for segment in searcher.segment_readers() {
            let fast = segment.fast_fields();
            let columns = Fields::MINHASH_NAMES
                .iter()
                .map(|name| fast.u64(name))
                .collect::<tantivy::Result<Vec<_>>>()?;
            segments.push(columns);
        }
        Ok(Signatures(segments))
    }

    /// Word `word` of the signature of the document at `address`.
    fn word(&self, address: DocAddress, word: usize) -> Option<u64> {
        self.0[address.segment_ord as usize][word].first(address.doc_id)
    }

    /// The signature of the document at `address`, if it has one.
    fn get(&self, address: DocAddress) -> Option<Signature> {
        let mut words = [0u64; SIGNATURE_WORDS];
        for (at, word) in words.iter_mut().enumerate() {
            *word = self.word(address, at)?;
        }
        Some(Signature::from_words(words))
    }

    /// The key of band `band` of the signature at `address`: its bytes.
    fn band(&self, address: DocAddress, band: usize) -> u32 {
        let per_word = 8 / BAND_ROWS;
        let word = self.word(address, band / per_word).unwrap_or_default();
        let bytes = word.to_le_bytes();
        let from = (band % per_word) * BAND_ROWS;
        bytes[from..from + BAND_ROWS]
            .iter()
            .fold(0u32, |key, &row| (key << 8) | u32::from(row))
    }
}

/// Groups the articles of the index's last commit into stories.
pub fn group(index: &ArchiveIndex) -> Result<StoryMap> {
    let dir = index.dir();
    let searcher = index.reader()?.searcher();
    let signatures = Signatures::of(&searcher).in_index(dir)?;
    let entries = entries(&searcher, &signatures).in_index(dir)?;
    let pairs = similar_pairs(&entries, &signatures);
    let stories = stories(&searcher, index.fields(), &entries, &pairs).in_index(dir)?;
    Ok(StoryMap::new(commit_key(&searcher), stories))
}

/// Every live article that has a signature.
fn entries(searcher: &Searcher, signatures: &Signatures) -> tantivy::Result<Vec<Entry>> {
    let mut entries = Vec::new();
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let fast = segment.fast_fields();
        let kind = fast.u64(Fields::KIND_NAME)?;
        let date = fast.date(Fields::DATE_NAME)?;
        let alive = segment.alive_bitset();
        for doc in 0..segment.max_doc() {
            let address = DocAddress::new(ord as u32, doc);
            if alive.is_some_and(|alive| !alive.is_alive(doc))
                || kind.first(doc) != Some(DocKind::Article.code())
                || signatures.word(address, 0).is_none()
            {
                continue;
            }
            entries.push(Entry {
                address,
                when: date.first(doc).map(|d| d.into_timestamp_secs()),
            });
        }
    }
    Ok(entries)
}

/// Whether articles of these dates may be in one story.
fn close_in_time(a: Option<i64>, b: Option<i64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() <= STORY_SECONDS,
        (None, None) => true,
        _ => false,
    }
}

/// The pairs of entries (by position) estimated at least [`SIMILAR`], close
/// in time, each once, with their similarity.
fn similar_pairs(entries: &[Entry], signatures: &Signatures) -> Vec<(u32, u32, f64)> {
    let mut candidates: Vec<(u32, u32)> = Vec::new();
    let mut keys: Vec<(u32, Option<i64>, u32)> = Vec::with_capacity(entries.len());
    for band in 0..BANDS {
        keys.clear();
        keys.extend(entries.iter().enumerate().map(|(at, entry)| {
            // Within a key, by date (undated last), so that only those close
            // in time are compared.
            (signatures.band(entry.address, band), entry.when, at as u32)
        }));
        keys.sort_unstable_by_key(|&(key, when, at)| (key, when.is_none(), when, at));
        for run in keys.chunk_by(|a, b| a.0 == b.0) {
            for (i, &(_, when, a)) in run.iter().enumerate() {
                // Each with the next few of its key only: a thousand
                // copies of one text (a feed that repeats itself) would
                // otherwise be half a million pairs in every band. Their
                // neighbours chain them into one story all the same.
                let next = &run[i + 1..run.len().min(i + 1 + NEIGHBOURS)];
                for &(_, other, b) in next {
                    if !close_in_time(when, other) {
                        if when.is_some() && other.is_some() {
                            break; // (later ones are later still)
                        }
                        continue;
                    }
                    candidates.push((a.min(b), a.max(b)));
                }
            }
        }
    }
    candidates.sort_unstable();
    candidates.dedup();
    candidates
        .into_iter()
        .filter_map(|(a, b)| {
            let a_signature = signatures.get(entries[a as usize].address)?;
            let b_signature = signatures.get(entries[b as usize].address)?;
            let similarity = estimate(&a_signature, &b_signature);
            (similarity >= SIMILAR).then_some((a, b, similarity))
        })
        .collect()
}

/// The stories of two or more articles that the pairs make (see the
/// module's documentation).
fn stories(
    searcher: &Searcher,
    fields: &Fields,
    entries: &[Entry],
    pairs: &[(u32, u32, f64)],
) -> tantivy::Result<Vec<Story>> {
    let mut neighbours: HashMap<u32, Vec<(u32, f64)>> = HashMap::new();
    for &(a, b, similarity) in pairs {
        neighbours.entry(a).or_default().push((b, similarity));
        neighbours.entry(b).or_default().push((a, similarity));
    }
    // Only articles with a near-copy can be in a story: their ids, for the
    // order and for people.
    let mut involved: Vec<(u32, String)> = Vec::with_capacity(neighbours.len());
    for &at in neighbours.keys() {
        let doc: TantivyDocument = searcher.doc(entries[at as usize].address)?;
        let id = doc
            .get_first(fields.id)
            .and_then(|value| value.as_str())
            .unwrap_or_default()
            .to_string();
        involved.push((at, id));
    }
    involved.sort_by(|(a, a_id), (b, b_id)| {
        let (a_when, b_when) = (entries[*a as usize].when, entries[*b as usize].when);
        (a_when.is_none(), a_when, a_id).cmp(&(b_when.is_none(), b_when, b_id))
    });
    let mut story_of: HashMap<u32, usize> = HashMap::new();
    let mut groups: Vec<Vec<(u32, String)>> = Vec::new();
    for (at, id) in involved {
        let when = entries[at as usize].when;
        let mut best: Option<(f64, usize)> = None;
        for &(other, similarity) in &neighbours[&at] {
            let Some(&story) = story_of.get(&other) else {
                continue; // (not yet placed: later in the order)
            };
            let first = entries[groups[story][0].0 as usize].when;
            if !close_in_time(first, when) {
                continue;
            }
            let better = match best {
                None => true,
                Some((best_similarity, best_story)) => {
                    similarity > best_similarity
                        || (similarity == best_similarity && story < best_story)
                }
            };
            if better {
                best = Some((similarity, story));
            }
        }
        let story = match best {
            Some((_, story)) => story,
            None => {
                groups.push(Vec::new());
                groups.len() - 1
            }
        };
        story_of.insert(at, story);
        groups[story].push((at, id));
    }
    let contents = searcher
        .segment_readers()
        .iter()
        .map(|segment| segment.fast_fields().u64(Fields::CONTENT_NAME))
        .collect::<tantivy::Result<Vec<_>>>()?;
    Ok(groups
        .into_iter()
        .filter(|members| members.len() > 1)
        .map(|members| Story {
            members: members
                .into_iter()
                .map(|(at, id)| {
                    let entry = &entries[at as usize];
                    let address = entry.address;
                    Member {
                        id,
                        content: contents[address.segment_ord as usize]
                            .first(address.doc_id)
                            .unwrap_or_default(),
                        when: entry.when,
                    }
                })
                .collect(),
        })
        .collect())
}
