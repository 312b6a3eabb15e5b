//! `export`: every article a query and dates match, whole, oldest first,
//! for another search engine to ingest. Not a page of hits: no ranking,
//! no snippets, no cap.
//!
//! Memory stays small however many articles match: the walk keeps a sort
//! key and an address per match (24 bytes, and 4 per document of the
//! index for the order of ids: about 30 MB at a million articles), and
//! the articles themselves are read a batch at a time, as the caller
//! takes them ([`Export`] is an iterator).

use std::sync::Arc;

use rayon::iter::{IntoParallelRefIterator, ParallelIterator};
use tantivy::columnar::Column;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocSet, Searcher, TERMINATED};

use crate::article::Article;
use crate::dates::DateFilter;
use crate::error::{InIndex, Result};
use crate::index::schema::Fields;
use crate::index::stories::StoryMap;
use crate::index::ArchiveIndex;

use super::lookup::stored_article;

/// How many articles are read (in parallel) before the caller gets the
/// first of them: enough to keep the cores busy, few enough that memory
/// does not grow with the archive.
const BATCH: usize = 256;

/// The sort key of an undated article: after every date the index can
/// hold (years 1700 to 2199).
const UNDATED: i64 = i64::MAX;

/// One article as an export writes it: the stored article whole, and its
/// story when it is one of two or more near-copies.
#[derive(Debug, Clone)]
pub struct Exported {
    /// The article, as `show` reads it.
    pub article: Article,
    /// The id of its story (the story's first article) when it is one of
    /// two or more near-copies, as [`crate::Hit::story`]; `None` when it
    /// is a story of its own.
    pub story: Option<String>,
}

/// Every article that matches, in order: by date and time (oldest first),
/// then by id; undated articles last, by id. An iterator that reads the
/// articles as it goes; see [`export`].
pub struct Export<'a> {
    index: &'a ArchiveIndex,
    searcher: Searcher,
    stories: Arc<StoryMap>,
    /// Each segment's content hashes, to find an article's story.
    contents: Vec<Column<u64>>,
    /// What is left to read, in order.
    order: std::vec::IntoIter<DocAddress>,
    /// Read, and not yet taken.
    ready: std::vec::IntoIter<Result<Exported>>,
    total: usize,
}

impl std::fmt::Debug for Export<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Export")
            .field("total", &self.total)
            .field("left", &(self.order.len() + self.ready.len()))
            .finish()
    }
}

/// Every article of the last commit that `query` and `filter` match (the
/// same articles as [`crate::count`] counts: an empty query matches every
/// article), to be read in order through the returned iterator. Fails
/// here on a bad query, before anything is read.
pub fn export<'a>(index: &'a ArchiveIndex, query: &str, filter: &DateFilter) -> Result<Export<'a>> {
    let query = super::matching(index, query, filter)?;
    let searcher = index.reader()?.searcher();
    let dir = index.dir();
    let stories = index.stories()?;
    let order = in_order(&searcher, index.fields(), &*query).in_index(dir)?;
    let contents = searcher
        .segment_readers()
        .iter()
        .map(|segment| segment.fast_fields().u64(Fields::CONTENT_NAME))
        .collect::<tantivy::Result<Vec<_>>>()
        .in_index(dir)?;
    Ok(Export {
        index,
        searcher,
        stories,
        contents,
        total: order.len(),
        order: order.into_iter(),
        ready: Vec::new().into_iter(),
    })
}

impl Export<'_> {
    /// How many articles the export holds in all (those taken included).
    pub fn total(&self) -> usize {
        self.total
    }

    /// Reads the next batch of articles, in parallel, keeping their order.
    fn read_batch(&mut self) {
        let batch: Vec<DocAddress> = self.order.by_ref().take(BATCH).collect();
        let (index, searcher) = (self.index, &self.searcher);
        let (stories, contents) = (&*self.stories, &self.contents);
        let read: Vec<Result<Exported>> = batch
            .par_iter()
            .map(|&address| {
                let article = stored_article(index, searcher, address)?;
                let story = contents
                    .get(address.segment_ord as usize)
                    .and_then(|column| column.first(address.doc_id))
                    .and_then(|content| stories.of(content))
                    .map(|(story, _)| stories.story(story).id().to_string());
                Ok(Exported { article, story })
            })
            .collect();
        self.ready = read.into_iter();
    }
}

impl Iterator for Export<'_> {
    type Item = Result<Exported>;

    fn next(&mut self) -> Option<Result<Exported>> {
        if self.ready.len() == 0 {
            self.read_batch();
        }
        self.ready.next()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.order.len() + self.ready.len();
        (left, Some(left))
    }
}

/// The addresses of every live document `query` matches, in export order:
/// by date (to the second, as the index keeps it), then by id, undated
/// last.
fn in_order(
    searcher: &Searcher,
    fields: &Fields,
    query: &dyn tantivy::query::Query,
) -> tantivy::Result<Vec<DocAddress>> {
    let weight = query.weight(tantivy::query::EnableScoring::disabled_from_searcher(
        searcher,
    ))?;
    let ranks = id_ranks(searcher, fields.id)?;
    let mut keyed: Vec<(i64, u32, DocAddress)> = Vec::new();
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let dates = segment.fast_fields().date(Fields::DATE_NAME)?;
        let alive = segment.alive_bitset();
        let mut matches = weight.scorer(segment, 1.0)?;
        let mut doc = matches.doc();
        while doc != TERMINATED {
            if alive.is_none_or(|alive| alive.is_alive(doc)) {
                let date = dates
                    .first(doc)
                    .map_or(UNDATED, |date| date.into_timestamp_secs());
                let rank = ranks[ord].get(doc as usize).copied().unwrap_or(u32::MAX);
                keyed.push((date, rank, DocAddress::new(ord as u32, doc)));
            }
            doc = matches.advance();
        }
    }
    keyed.sort_unstable();
    Ok(keyed.into_iter().map(|(_, _, address)| address).collect())
}

/// For each segment, each document's place among the ids of the whole
/// index, in byte order (which is the order of the ids' characters):
/// equal ids share a place, documents without an id come last. Read from
/// the id field's term dictionaries, merged, rather than from the stored
/// documents, so that ordering a million articles reads none of them.
fn id_ranks(searcher: &Searcher, id: Field) -> tantivy::Result<Vec<Vec<u32>>> {
    let segments = searcher.segment_readers();
    let inverted = segments
        .iter()
        .map(|segment| segment.inverted_index(id))
        .collect::<tantivy::Result<Vec<_>>>()?;
    let mut streams = inverted
        .iter()
        .map(|terms| terms.terms().stream())
        .collect::<std::io::Result<Vec<_>>>()?;
    let mut live: Vec<bool> = streams.iter_mut().map(|stream| stream.advance()).collect();
    let mut ranks: Vec<Vec<u32>> = segments
        .iter()
        .map(|segment| vec![u32::MAX; segment.max_doc() as usize])
        .collect();
    let mut least: Vec<u8> = Vec::new();
    let mut rank: u32 = 0;
    loop {
        // The least id not yet ranked, of any segment.
        let mut first: Option<usize> = None;
        for (at, stream) in streams.iter().enumerate() {
            if live[at] && first.is_none_or(|first| stream.key() < streams[first].key()) {
                first = Some(at);
            }
        }
        let Some(first) = first else { break };
        least.clear();
        least.extend_from_slice(streams[first].key());
        for (at, stream) in streams.iter_mut().enumerate() {
            if !live[at] || stream.key() != least.as_slice() {
                continue;
            }
            let mut postings = inverted[at]
                .read_postings_from_terminfo(stream.value(), IndexRecordOption::Basic)?;
            let mut doc = postings.doc();
            while doc != TERMINATED {
                if let Some(slot) = ranks[at].get_mut(doc as usize) {
                    *slot = rank;
                }
                doc = postings.advance();
            }
            live[at] = stream.advance();
        }
        rank = rank.saturating_add(1);
    }
    Ok(ranks)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::schema::{self, article_document, content_hash};
    use tantivy::query::{AllQuery, TermQuery};
    use tantivy::Term;
    use time::macros::{date, time};

    /// An article with this id, day and time (or none).
    fn article(id: &str, day: Option<time::Date>, at: Option<time::Time>) -> Article {
        let mut article = Article::sample(id, &format!("The text of {id}."));
        article.date = day;
        article.time = at;
        article
    }

    #[test]
    fn articles_come_by_date_and_time_then_id_across_segments_undated_last() {
        let (index, fields) = schema::in_ram();
        let mut writer = index.writer_with_num_threads(1, 15 << 20).unwrap();
        writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        let day = date!(1987 - 02 - 26);
        // Three commits, three segments, each with ids that sort between
        // those of the others; one article deleted.
        let commits = [
            vec![
                article("m", Some(day), None),
                article("z-undated", None, None),
                article("b", Some(day), Some(time!(10:00))),
                article("gone", Some(day), None),
            ],
            vec![
                article("a", Some(day), None),
                article("a-undated", None, None),
                article("old", Some(date!(1969 - 07 - 21)), None),
            ],
            vec![
                article("c", Some(day), None),
                article("a-later", Some(day), Some(time!(09:59:59))),
            ],
        ];
        for articles in commits {
            for article in articles {
                let content = content_hash(&article);
                let doc = article_document(&fields, &article, content, &article.path);
                writer.add_document(doc).unwrap();
            }
            writer.commit().unwrap();
        }
        writer.delete_term(Term::from_field_text(fields.id, "gone"));
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), 3);
        let ids = |query: &dyn tantivy::query::Query| -> Vec<String> {
            in_order(&searcher, &fields, query)
                .unwrap()
                .into_iter()
                .map(|address| {
                    let doc: tantivy::TantivyDocument = searcher.doc(address).unwrap();
                    schema::to_article(&fields, &doc).id
                })
                .collect()
        };
        assert_eq!(
            ids(&AllQuery),
            [
                "old",
                "a",
                "c",
                "m",
                "a-later",
                "b",
                "a-undated",
                "z-undated"
            ]
        );
        let one = TermQuery::new(
            Term::from_field_text(fields.id, "c"),
            IndexRecordOption::Basic,
        );
        assert_eq!(ids(&one), ["c"]);
        // Every id of the index has its place, in order, whatever its
        // segment: the deleted one's too (it is never matched).
        let ranks = id_ranks(&searcher, fields.id).unwrap();
        let mut placed: Vec<u32> = ranks.iter().flatten().copied().collect();
        placed.sort_unstable();
        assert_eq!(placed, (0..9).collect::<Vec<u32>>());
    }
}
