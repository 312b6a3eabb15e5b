//! Searching: the query and date filter in, ranked and highlighted [`Hit`]s
//! out ([`search`], [`count`]); and what else reads the index for the
//! commands: [`lookup`] (show), [`related`], [`trend`], [`stats`],
//! [`export`] (every match, whole). Knows nothing of how results are
//! printed.
//!
//! A search goes [`query`] (syntax → compile) → tantivy → [`snippet`]
//! (with [`terms`] expanding fuzzy words and prefixes) → [`Hit`]s; when
//! nothing matched, [`suggest`] proposes a spelling that does.

pub mod export;
pub mod facets;
mod fallback;
mod first_matches;
pub mod lookup;
pub mod query;
pub mod related;
mod scoring;
pub mod shards;
pub mod snippet;
pub mod stats;
pub mod stories;
pub mod suggest;
pub mod terms;
pub mod trend;

use std::ops::Range;
use std::time::{Duration, Instant};

use rayon::iter::{IndexedParallelIterator, IntoParallelIterator, ParallelIterator};

use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue, SortByString};
use tantivy::collector::{Count, TopDocs};
use tantivy::{DateTime, DocAddress, Order, Searcher};
use time::Date;

use crate::article::{Article, Metadata};
use crate::dates::DateFilter;
use crate::error::{InIndex, Result};
use crate::index::schema::{self, Fields};
use crate::index::ArchiveIndex;
use first_matches::FirstMatches;
use lookup::stored_article;
use query::Highlight;
use snippet::{Highlighted, Highlighter};
use suggest::Suggestion;

pub use fallback::MostWords;

/// The room for a body snippet unless asked otherwise, in bytes of text:
/// the default of [`SearchRequest::snippet_len`], for every command that
/// shows snippets.
pub const DEFAULT_SNIPPET_CHARS: usize = 200;

/// A search counts its matches exactly up to this many; past it, it says
/// only that more match ([`SearchResults::total_exact`] is false), unless
/// asked for the exact count ([`SearchRequest::exact_total`]). Not counting
/// what nobody reads is what lets a search skip the matches that cannot
/// make its page: the best ones by relevance (block-max WAND) or by date
/// (the newest days first). As Elasticsearch's `track_total_hits`.
pub const EXACT_TOTAL_UP_TO: usize = 10_000;

/// How hits are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Sort {
    /// Best match first (BM25 over headline and body).
    Relevance,
    /// Latest date first.
    Newest,
    /// Earliest date first.
    Oldest,
}

impl Sort {
    /// Every order, as named on the command line.
    pub const ALL: [Sort; 3] = [Sort::Relevance, Sort::Newest, Sort::Oldest];

    /// The name used on the command line and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Sort::Relevance => "relevance",
            Sort::Newest => "newest",
            Sort::Oldest => "oldest",
        }
    }
}

impl std::str::FromStr for Sort {
    type Err = String;

    /// `relevance`, `newest` or `oldest`.
    fn from_str(name: &str) -> Result<Sort, String> {
        Sort::ALL
            .into_iter()
            .find(|sort| sort.name() == name)
            .ok_or_else(|| format!("unknown order '{name}' (orders: relevance, newest, oldest)"))
    }
}

/// A search, validated: the query is text still, parsed in [`search`].
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct SearchRequest {
    /// The query as typed.
    pub query: String,
    /// The days searched.
    pub filter: DateFilter,
    /// `None`: relevance with a query, newest first without.
    pub sort: Option<Sort>,
    /// How many hits to return.
    pub limit: usize,
    /// How many hits to skip first.
    pub offset: usize,
    /// Room for a body snippet, in bytes of text.
    pub snippet_len: usize,
    /// How many passages a body snippet may have (at least one).
    pub snippets: usize,
    /// Count every match, however many: otherwise the count stops past
    /// [`EXACT_TOTAL_UP_TO`].
    pub exact_total: bool,
    /// One hit per story: near-copies of a hit shown are folded into it
    /// (see [`Hit::similar`]), and paging counts stories. Otherwise every
    /// matching article is a hit of its own.
    pub fold: bool,
    /// When the index is one shard of an archive: the whole archive's
    /// statistics, so that scores are those one index of it would give
    /// (see [`shards`]). `None` for an index searched alone.
    #[serde(default)]
    pub whole_archive: Option<std::sync::Arc<shards::WholeArchive>>,
    /// Only what orders the hits (id, path, date and time, score): no
    /// headline, snippet, body or stories. A coordinator's first look at
    /// a deep page over shards, which then asks each shard for the hits of
    /// the page alone (see [`shards`]).
    #[serde(default)]
    pub keys_only: bool,
}

/// One matching article, ready to print.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Hit {
    /// 1-based position in the whole result list.
    pub rank: usize,
    /// The article's id.
    pub id: String,
    /// The article's file.
    pub path: String,
    /// The day it ran, if known.
    pub date: Option<Date>,
    /// The time of day it ran, when the source gives one: with the day,
    /// what orders hits by date.
    #[serde(default)]
    pub time: Option<time::Time>,
    /// BM25 score; `None` when sorted by date.
    pub score: Option<f32>,
    /// The headline, with the query's words marked.
    pub headline: Highlighted,
    /// The best passages of the body, with the query's words marked: of
    /// the author's own words, unless only what the body quotes matched
    /// (`quoted:`) or it is all quotes (see [`crate::Article::quoted`]).
    pub snippet: Highlighted,
    /// The whole body as written, quotes and all.
    pub body: String,
    /// Who wrote it, where it ran, what it is about.
    pub meta: Metadata,
    /// The id of its story (the story's first article) when it is one of
    /// two or more near-copies, folded or not; `None` when it is a story
    /// of its own.
    pub story: Option<String>,
    /// When folding: the ids of the other articles of its story that match
    /// the search too, folded into this hit (in order of date).
    pub similar: Vec<String>,
}

/// What a search found: a page of hits and the whole count.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct SearchResults {
    /// The query as typed.
    pub query: String,
    /// The days searched.
    pub filter: DateFilter,
    /// The order of the hits.
    pub sort: Sort,
    /// How many articles match, not only those shown: exactly, or, when
    /// [`SearchResults::total_exact`] is false, a lower bound (more than
    /// this many match).
    pub total: usize,
    /// Whether [`SearchResults::total`] is the exact count: false when
    /// more than [`EXACT_TOTAL_UP_TO`] match and the exact count was not
    /// asked for; `total` is then that threshold.
    pub total_exact: bool,
    /// How many hits were skipped before these.
    pub offset: usize,
    /// How long the search took.
    pub took: Duration,
    /// The page of hits.
    pub hits: Vec<Hit>,
    /// When nothing matched: a corrected query that finds something.
    pub suggestion: Option<Suggestion>,
    /// When the query has a lower-case `or`, `and` or `not` between words
    /// (searched for as words): the query with them as operators, if it
    /// finds more (`cocoa or coffee` → `cocoa OR coffee`).
    pub operators: Option<Suggestion>,
    /// When no article has all the query's words: how many of them the
    /// articles shown have instead (see [`MostWords`]).
    pub most_words: Option<MostWords>,
    /// The facets asked for, of every matching article (empty unless
    /// the caller adds them: see [`facets::facets`]).
    pub facets: Vec<facets::Facet>,
    /// Whether near-copies were folded into one hit per story: asked for
    /// ([`SearchRequest::fold`]), and the index has stories.
    pub folded: bool,
    /// When folded and the count is exact: how many stories the matching
    /// articles make (each article in no story is one). Hits and paging
    /// count stories then.
    pub stories: Option<usize>,
}

/// The hits of a page: each one's score (when ranked by relevance) and
/// where it is.
type Found = Vec<(Option<f32>, DocAddress)>;

/// The hits of a page, each with its story (when folding, and it is in
/// one).
type StoryFound = Vec<(Option<f32>, DocAddress, Option<usize>)>;

/// Runs a search on the last commit of the index.
pub fn search(index: &ArchiveIndex, request: &SearchRequest) -> Result<SearchResults> {
    let started = Instant::now();
    let node = query::parse(&request.query)?;
    let fields = index.fields();
    let analyzer = schema::english_analyzer();
    let compiled = query::compile(node.as_ref(), &request.filter, fields, &analyzer)?;
    let sort = request.sort.unwrap_or(if node.is_some() {
        Sort::Relevance
    } else {
        Sort::Newest
    });

    let searcher = index.reader()?.searcher();
    // A shard's search weighs words by the whole archive's statistics.
    let whole = request
        .whole_archive
        .as_ref()
        .map(|whole| shards::ArchiveStatistics {
            whole: &whole.statistics,
            searcher: &searcher,
        });
    let dir = index.dir();
    let mut compiled = compiled;
    if node.is_some() && narrow_filter(&searcher, &request.filter).in_index(dir)? {
        // The filter's articles lead, and the words are sought among them.
        let words = query::compile(node.as_ref(), &DateFilter::default(), fields, &analyzer)?;
        compiled.query = Box::new(tantivy::query::BooleanQuery::new(vec![
            (
                tantivy::query::Occur::Must,
                query::with_seeking_unions(words.query),
            ),
            (
                tantivy::query::Occur::Must,
                Box::new(query::DateDocs::of(&request.filter)),
            ),
        ]));
    }
    let articles;
    let own: &dyn tantivy::query::Bm25StatisticsProvider = match &whole {
        Some(whole) => whole,
        None => {
            articles = scoring::Articles::new(&searcher, fields).in_index(dir)?;
            &articles
        }
    };
    let story_map = index.stories()?;
    let folding = request.fold && !story_map.is_empty();
    // Folding, the stories of every match are counted in the search's own
    // walk of them (see `stories::Tally`) when the count will be shown
    // (`--exact-total`) or the matches are a date range's alone, which a
    // second walk would find again by reading the date column of every
    // segment. Words find their matches again cheaply from their postings:
    // a search of words counts stories after, and only when at most 10,000
    // match (in the walk, the lookups of the first 10,000 cost a search of
    // many more matches a tenth of its time, for a count it does not show).
    let up_to = match request.exact_total {
        true => usize::MAX,
        false => EXACT_TOTAL_UP_TO,
    };
    let tally_in_walk = folding && (node.is_none() || request.exact_total);
    let tally = || tally_in_walk.then(|| stories::Tally::new(story_map.clone(), up_to));
    let tallied: std::cell::RefCell<Option<stories::Counted>> = std::cell::RefCell::new(None);
    let top = |page: &SearchRequest| TopDocs::with_limit(page.limit.max(1)).and_offset(page.offset);
    // Articles of the same moment in the order of their files' paths (then
    // of their contents, for articles of one file): the same from one page
    // to the next and in every index of the same files. Undated ones come
    // last.
    let by_date = |order: Order, page: &SearchRequest| {
        top(page).order_by((
            (
                SortByStaticFastValue::<DateTime>::for_field(Fields::DATE_NAME),
                order,
            ),
            (
                (SortByString::for_field(Fields::SOURCE_NAME), Order::Asc),
                (
                    SortByStaticFastValue::<u64>::for_field(Fields::CONTENT_NAME),
                    Order::Asc,
                ),
            ),
        ))
    };
    let run = |compiled: &query::CompiledQuery,
               page: &SearchRequest|
     -> Result<(usize, bool, Found)> {
        let query = &*compiled.query;
        match sort {
            Sort::Relevance => {
                // The page and a hit on either side: whether scores tie
                // across its edges (see `settle_ties`).
                let window = SearchRequest {
                    offset: page.offset.saturating_sub(1),
                    limit: page.limit.max(1) + 1 + usize::from(page.offset > 0),
                    ..page.clone()
                };
                let ranked = top(&window).order_by_score();
                let statistics = scoring::SharedIdf::new(own, fields);
                let (total, exact, docs) = if compiled.ranks_without_scoring_all {
                    // tantivy skips the matches that cannot make the page
                    // only when it collects the page alone.
                    let (total, exact) = if request.exact_total {
                        (searcher.search(query, &Count).in_index(dir)?, true)
                    } else {
                        count_up_to(&searcher, query, EXACT_TOTAL_UP_TO).in_index(dir)?
                    };
                    let docs = searcher
                        .search_with_statistics_provider(query, &ranked, &statistics)
                        .in_index(dir)?;
                    (total, exact, docs)
                } else {
                    let (total, docs, counted) = searcher
                        .search_with_statistics_provider(
                            query,
                            &(Count, ranked, tally()),
                            &statistics,
                        )
                        .in_index(dir)?;
                    *tallied.borrow_mut() = counted;
                    let (total, exact) = capped(total, request.exact_total);
                    (total, exact, docs)
                };
                let docs = settle_ties(&searcher, docs, page, || {
                    searcher.search_with_statistics_provider(
                        query,
                        &top(page).order_by((
                            (SortBySimilarityScore, Order::Desc),
                            (
                                (SortByString::for_field(Fields::SOURCE_NAME), Order::Asc),
                                (
                                    SortByStaticFastValue::<u64>::for_field(Fields::CONTENT_NAME),
                                    Order::Asc,
                                ),
                            ),
                        )),
                        &statistics,
                    )
                })
                .in_index(dir)?;
                let found = docs.into_iter().map(|(s, a)| (Some(s), a)).collect();
                Ok((total, exact, found))
            }
            Sort::Newest | Sort::Oldest => {
                let order = if sort == Sort::Newest {
                    Order::Desc
                } else {
                    Order::Asc
                };
                let ((total, exact, docs), counted) =
                    date_sorted(&searcher, query, order, page, &tally, || {
                        by_date(order, page)
                    })
                    .in_index(dir)?;
                *tallied.borrow_mut() = counted;
                let found = docs.into_iter().map(|(_, a)| (None, a)).collect();
                Ok((total, exact, found))
            }
        }
    };
    // Folded, a page of stories is looked for among the first hits,
    // more of them until enough stories (or every hit) are in.
    let run_folded = |compiled: &query::CompiledQuery| -> Result<(usize, bool, StoryFound)> {
        if !folding {
            let (total, exact, found) = run(compiled, request)?;
            let found = found.into_iter().map(|(s, a)| (s, a, None)).collect();
            return Ok((total, exact, found));
        }
        let wanted = request.offset + request.limit.max(1);
        // A few more than the page: near-copies are a small share of most
        // archives (a page of Reuters folds one or two), and every hit
        // more widens a date-sorted search's span of days.
        let mut window = wanted + wanted / 4 + 4;
        loop {
            let page = SearchRequest {
                offset: 0,
                limit: window,
                ..request.clone()
            };
            let (total, exact, found) = run(compiled, &page)?;
            let complete = found.len() < window;
            let kept = stories::fold(&searcher, &story_map, found).in_index(dir)?;
            if kept.len() >= wanted || complete {
                let page = kept
                    .into_iter()
                    .skip(request.offset)
                    .take(request.limit)
                    .collect();
                return Ok((total, exact, page));
            }
            window = window.saturating_mul(4);
        }
    };
    tallied.borrow_mut().take();
    let (mut total, mut total_exact, mut found) = run_folded(&compiled)?;
    let mut compiled = compiled;
    let mut most_words = None;
    if let (0, Some(node)) = (total, &node) {
        let most = request
            .whole_archive
            .as_ref()
            .and_then(|whole| whole.most_words);
        if let Some((fallback, words)) = fallback::most_words(
            index,
            &searcher,
            &analyzer,
            &request.query,
            node,
            &request.filter,
            most,
        )? {
            tallied.borrow_mut().take();
            (total, total_exact, found) = run_folded(&fallback)?;
            compiled = fallback;
            most_words = Some(words);
        }
    }

    let in_story: Vec<Option<usize>> = found.iter().map(|(_, _, story)| *story).collect();
    let addresses: Vec<DocAddress> = found.iter().map(|(_, address, _)| *address).collect();
    let found: Vec<(Option<f32>, DocAddress)> = found.into_iter().map(|(s, a, _)| (s, a)).collect();
    let mut hits = match request.keys_only {
        true => key_hits(&searcher, found, request.offset).in_index(dir)?,
        false => to_hits(
            index,
            &searcher,
            own,
            found,
            &compiled.highlights,
            Layout {
                offset: request.offset,
                snippet_len: request.snippet_len,
                snippets: request.snippets,
            },
        )?,
    };
    let unscored = tantivy::query::EnableScoring::disabled_from_searcher(&searcher);
    let weight = match story_map.is_empty() {
        true => None,
        false => Some(compiled.query.weight(unscored).in_index(dir)?),
    };
    // Folded and counted exactly: the stories over every match, and which
    // members of each match (so a hit's near-copies need no search of
    // their own).
    let counted = match (folding && total_exact, tallied.into_inner()) {
        (true, Some(counted)) => Some(counted),
        (true, None) => {
            Some(stories::count(&searcher, &story_map, &*compiled.query).in_index(dir)?)
        }
        (false, _) => None,
    };
    if let Some(weight) = weight.as_ref().filter(|_| !request.keys_only) {
        // What folded into each hit: the other members of its story that
        // match. (Unfolded, each hit still names its story.)
        for ((hit, story), address) in hits.iter_mut().zip(in_story).zip(addresses) {
            let story = match (folding, story) {
                (true, story) => story,
                (false, _) => stories::story_at(&searcher, &story_map, address).in_index(dir)?,
            };
            let Some(story) = story else { continue };
            hit.story = Some(story_map.story(story).id().to_string());
            if !folding {
                continue;
            }
            hit.similar = match &counted {
                Some(counted) => {
                    let whole = story_map.story(story);
                    let at = counted.matching.get(&story).map_or(&[][..], Vec::as_slice);
                    at.iter()
                        .map(|&at| whole.member(at))
                        .filter(|member| member.id != hit.id)
                        .map(|member| member.id.to_string())
                        .collect()
                }
                None => stories::matching_members(
                    &searcher,
                    fields,
                    &story_map,
                    story,
                    address,
                    weight.as_ref(),
                )
                .in_index(dir)?
                .into_iter()
                .map(|member| member.id.to_string())
                .collect(),
            };
        }
    }
    let story_count = counted.map(|counted| counted.stories);
    let suggestion = match &node {
        Some(node) if total == 0 => {
            suggest::suggest(&searcher, fields, &request.query, node, &request.filter)
                .in_index(index.dir())?
        }
        _ => None,
    };
    let operators = match suggest::operators_meant(&request.query) {
        Some(meant) => match count(index, &meant, &request.filter) {
            Ok(more)
                if more > total
                    && (total_exact || more > count(index, &request.query, &request.filter)?) =>
            {
                Some(Suggestion {
                    query: meant,
                    total: more,
                })
            }
            _ => None,
        },
        None => None,
    };

    Ok(SearchResults {
        query: request.query.clone(),
        filter: request.filter,
        sort,
        total,
        total_exact,
        offset: request.offset,
        took: started.elapsed(),
        hits,
        suggestion,
        operators,
        most_words,
        facets: Vec::new(),
        folded: folding,
        stories: story_count,
    })
}

/// The page of a search by relevance in a stable order: equal scores in
/// the order of their files' paths, then of their contents, as a search
/// by date orders a day's articles. So the same search finds the same
/// page in every index of the same files, however its documents were
/// laid out (one index, or shards: see [`shards`]). `window` is the page
/// as tantivy ranked it (ties in the order of its documents), with the
/// hit before it (when it has an offset) and the hit after it. When no
/// score of the page ties with a hit outside it, the page holds the right
/// hits and only its order is settled; otherwise `in_order` collects the
/// page again by score and key, visiting every match. (Gathering only the
/// matches scoring at least the page's lowest score, with tantivy's
/// pruning, was tried: its block maxima are bounds chosen at index time,
/// which can fall short of a score by a little, so a hit tied at the
/// edge could be skipped.)
fn settle_ties<K>(
    searcher: &Searcher,
    window: Vec<(f32, DocAddress)>,
    page: &SearchRequest,
    in_order: impl FnOnce() -> tantivy::Result<Vec<(K, DocAddress)>>,
) -> tantivy::Result<Vec<(f32, DocAddress)>>
where
    K: Into<(f32, (Option<String>, Option<u64>))>,
{
    let skip = usize::from(page.offset > 0);
    let lead = window
        .first()
        .filter(|_| skip == 1)
        .map(|(score, _)| *score);
    let inside: Vec<(f32, DocAddress)> = window
        .iter()
        .skip(skip)
        .take(page.limit.max(1))
        .copied()
        .collect();
    let after = window
        .get(skip + page.limit.max(1))
        .map(|(score, _)| *score);
    let first = inside.first().map(|(score, _)| *score);
    let last = inside.last().map(|(score, _)| *score);
    let tied = (lead.is_some() && lead == first) || (after.is_some() && after == last);
    if tied {
        return Ok(in_order()?
            .into_iter()
            .map(|(key, address)| (key.into().0, address))
            .take(page.limit)
            .collect());
    }
    let mut keyed = Vec::with_capacity(inside.len());
    for (score, address) in inside {
        keyed.push((score, order_key(searcher, address)?, address));
    }
    keyed.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    Ok(keyed
        .into_iter()
        .map(|(score, _, address)| (score, address))
        .take(page.limit)
        .collect())
}

/// The first and the last day of the articles a searcher holds (from each
/// segment's date column), or `None` if none is dated.
fn days_held(searcher: &Searcher) -> tantivy::Result<Option<(Date, Date)>> {
    let mut days: Option<(Date, Date)> = None;
    for segment in searcher.segment_readers() {
        let column = segment.fast_fields().date(Fields::DATE_NAME)?;
        if column.values.num_vals() == 0 {
            continue;
        }
        let first = schema::from_datetime(column.min_value());
        let last = schema::from_datetime(column.max_value());
        days = Some(match days {
            None => (first, last),
            Some((a, b)) => (a.min(first), b.max(last)),
        });
    }
    Ok(days)
}

/// Whether a date filter keeps at most a fifth of the days between the
/// first and the last day the index holds. Such a range drives a search
/// that it filters, seeking far ahead each time, which tantivy's unions do
/// slowly (see [`query::SeekingUnion`]).
fn narrow_filter(searcher: &Searcher, filter: &DateFilter) -> tantivy::Result<bool> {
    if filter.is_empty() {
        return Ok(false);
    }
    let Some((first, last)) = days_held(searcher)? else {
        return Ok(false);
    };
    let from = filter.from.map_or(first, |from| from.max(first));
    let to = filter.to.map_or(last, |to| to.min(last));
    let span = (last - first).whole_days() + 1;
    let kept = ((to - from).whole_days() + 1).max(0);
    Ok(kept * 5 <= span)
}

/// What orders two articles of the same score or date: their file's path,
/// then their content's hash.
fn order_key(
    searcher: &Searcher,
    address: DocAddress,
) -> tantivy::Result<(Option<String>, Option<u64>)> {
    let columns = OrderColumns::open(searcher.segment_reader(address.segment_ord))?;
    Ok((
        columns.source(address.doc_id)?,
        columns.content(address.doc_id),
    ))
}

/// The columns of a segment that order hits: the file's path, the
/// content's hash, the day and time.
struct OrderColumns {
    source: Option<tantivy::columnar::StrColumn>,
    content: Option<tantivy::columnar::Column<u64>>,
    date: Option<tantivy::columnar::Column<DateTime>>,
}

impl OrderColumns {
    fn open(segment: &tantivy::SegmentReader) -> tantivy::Result<OrderColumns> {
        let fast = segment.fast_fields();
        Ok(OrderColumns {
            source: fast.str(Fields::SOURCE_NAME)?,
            content: fast.u64(Fields::CONTENT_NAME).ok(),
            date: fast.date(Fields::DATE_NAME).ok(),
        })
    }

    fn source(&self, doc: tantivy::DocId) -> tantivy::Result<Option<String>> {
        let Some(column) = &self.source else {
            return Ok(None);
        };
        let Some(ord) = column.term_ords(doc).next() else {
            return Ok(None);
        };
        let mut text = String::new();
        column.ord_to_str(ord, &mut text)?;
        Ok(Some(text))
    }

    fn content(&self, doc: tantivy::DocId) -> Option<u64> {
        self.content.as_ref()?.first(doc)
    }

    fn at(&self, doc: tantivy::DocId) -> Option<time::PrimitiveDateTime> {
        Some(self.date.as_ref()?.first(doc)?.into_primitive())
    }
}

/// How many match (exactly, or the threshold and `false`), and a page.
type Counted<T> = (usize, bool, T);

/// A search sorted by date: the count (exact, or the threshold and
/// `false`) and the page of `by_date`, a top-k by date, as collected over
/// every match. Unless the exact count is asked for, one walk of at most
/// the threshold's worth of matches (shared among the segments) finds a
/// small match set whole; a larger one it stops short of, and the page is
/// looked for among the latest (earliest) days ([`latest_days`]).
fn date_sorted<C, K>(
    searcher: &Searcher,
    query: &dyn tantivy::query::Query,
    order: Order,
    request: &SearchRequest,
    tally: &impl Fn() -> Option<stories::Tally>,
    by_date: impl Fn() -> C,
) -> tantivy::Result<DateSorted<K>>
where
    C: tantivy::collector::Collector<Fruit = Vec<(K, DocAddress)>>,
    K: Send + 'static,
{
    // (With a date filter of its own, a search's matches lie in a range of
    // dates that each walk must read the date column for: narrowing it by
    // spans of days cost more walks than it saved, 15 against 11 ms for a
    // year's 27,807 matches at 1M. It walks them all, once.)
    if !request.exact_total && request.filter.is_empty() {
        let segments = searcher.segment_readers().len().max(1);
        let first = FirstMatches::new(
            query.box_clone(),
            (EXACT_TOTAL_UP_TO + 1).div_ceil(segments),
        );
        let (seen, docs, counted) = searcher.search(&first, &(Count, by_date(), tally()))?;
        if !first.stopped() {
            let (total, exact) = capped(seen, false);
            return Ok(((total, exact, docs), counted));
        }
        // (It stopped counting deleted articles too.)
        let (total, exact) = if seen > EXACT_TOTAL_UP_TO {
            (EXACT_TOTAL_UP_TO, false)
        } else {
            count_up_to(searcher, query, EXACT_TOTAL_UP_TO)?
        };
        if !exact {
            let wanted = request.offset + request.limit.max(1);
            let latest = latest_days(searcher, query, order, wanted, &by_date)?;
            if let Some(docs) = latest {
                return Ok(((total, exact, docs), None));
            }
        }
    }
    let (total, docs, counted) = searcher.search(query, &(Count, by_date(), tally()))?;
    let (total, exact) = capped(total, request.exact_total);
    Ok(((total, exact, docs), counted))
}

/// A date-sorted search's count and page, and the stories of its matches
/// when it walked them all (and was asked to count them).
type DateSorted<K> = (Counted<Vec<(K, DocAddress)>>, Option<stories::Counted>);

/// A count of `total` matches as a search reports it: exact, or the
/// threshold and `false` past [`EXACT_TOTAL_UP_TO`] unless `exact` is asked.
fn capped(total: usize, exact: bool) -> (usize, bool) {
    if exact || total <= EXACT_TOTAL_UP_TO {
        (total, true)
    } else {
        (EXACT_TOTAL_UP_TO, false)
    }
}

/// How many articles match `query`, counted only up to `limit`: `(count,
/// true)`, or `(limit, false)` when more match. Walks at most about `limit
/// + 1` matches, unscored, the segments counted at once on the search's
/// threads: each adds what it has found to a shared tally every
/// [`COUNT_STRIDE`] matches, and all stop once the tally is past `limit`.
fn count_up_to(
    searcher: &Searcher,
    query: &dyn tantivy::query::Query,
    limit: usize,
) -> tantivy::Result<(usize, bool)> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let weight = query.weight(tantivy::query::EnableScoring::disabled_from_searcher(
        searcher,
    ))?;
    let tally = AtomicUsize::new(0);
    let over = |found: usize| tally.fetch_add(found, Ordering::Relaxed) + found > limit;
    searcher.index().search_executor().map(
        |segment: &tantivy::SegmentReader| -> tantivy::Result<()> {
            if tally.load(Ordering::Relaxed) > limit {
                // The segments counted so far hold more than enough.
                return Ok(());
            }
            let alive = segment.alive_bitset();
            let mut matches = weight.scorer(segment, 1.0)?;
            let mut doc = matches.doc();
            let mut found = 0;
            while doc != tantivy::TERMINATED {
                if alive.is_none_or(|alive| alive.is_alive(doc)) {
                    found += 1;
                    if found == COUNT_STRIDE {
                        if over(found) {
                            return Ok(());
                        }
                        found = 0;
                    }
                }
                doc = matches.advance();
            }
            over(found);
            Ok(())
        },
        searcher.segment_readers().iter(),
    )?;
    let found = tally.into_inner();
    Ok(match found > limit {
        true => (limit, false),
        false => (found, true),
    })
}

/// How many matches a segment counts before it adds them to the others'
/// (see [`count_up_to`]): small against the threshold, large against the
/// cost of an atomic addition.
const COUNT_STRIDE: usize = 256;

/// For a search sorted by date that matches many articles: its first
/// `wanted` hits by `by_date`, found among the fewest latest days
/// (earliest, for `Order::Asc`) of the index that hold at least `wanted`
/// of its matches. Every match outside those days is older (newer) than
/// every one inside, so they are the search's; and collecting them walks
/// the matches of those days only. The span starts where `wanted` of more
/// than [`EXACT_TOTAL_UP_TO`] matches spread evenly would be, four times
/// over, and doubles until it holds enough, one walk a try. `None` when
/// the span would have to cover every day (the undated articles come
/// after the dated ones): then the search is run over all of them.
fn latest_days<C, K>(
    searcher: &Searcher,
    query: &dyn tantivy::query::Query,
    order: Order,
    wanted: usize,
    by_date: &impl Fn() -> C,
) -> tantivy::Result<Option<Vec<(K, DocAddress)>>>
where
    C: tantivy::collector::Collector<Fruit = Vec<(K, DocAddress)>>,
    K: Send + 'static,
{
    use tantivy::query::{BooleanQuery, Occur};
    let Some((first, last)) = days_held(searcher)? else {
        return Ok(None);
    };
    let span = (last - first).whole_days() + 1;
    let share = (4 * wanted) as f64 / (EXACT_TOTAL_UP_TO + 1) as f64;
    let mut width = ((span as f64 * share).ceil() as i64).max(1);
    while width < span {
        let within = if order == Order::Desc {
            DateFilter {
                from: last.checked_sub(time::Duration::days(width - 1)),
                to: Some(last),
            }
        } else {
            DateFilter {
                from: Some(first),
                to: first.checked_add(time::Duration::days(width - 1)),
            }
        };
        // The span's articles lead, found in the date column, and the
        // words are sought among them (as for a narrow filter of the
        // search's own, see `narrow_filter`).
        let window = BooleanQuery::new(vec![
            (Occur::Must, query::with_seeking_unions(query.box_clone())),
            (Occur::Must, Box::new(query::DateDocs::of(&within))),
        ]);
        let (found, docs) = searcher.search(&window, &(Count, by_date()))?;
        if found >= wanted {
            return Ok(Some(docs));
        }
        width = width.saturating_mul(2);
    }
    Ok(None)
}

/// How many articles match a query and date filter: the count alone, with
/// no ranking, stored documents or snippets.
pub fn count(index: &ArchiveIndex, query: &str, filter: &DateFilter) -> Result<usize> {
    let query = matching(index, query, filter)?;
    let searcher = index.reader()?.searcher();
    searcher.search(&*query, &Count).in_index(index.dir())
}

/// The query `search` runs for this text and filter, without what it
/// marks in hits: it matches articles only, never the index's
/// bookkeeping records. For what counts matches (count, facets, trend).
pub(crate) fn matching(
    index: &ArchiveIndex,
    query_text: &str,
    filter: &DateFilter,
) -> Result<Box<dyn tantivy::query::Query>> {
    let node = query::parse(query_text)?;
    let analyzer = schema::english_analyzer();
    Ok(query::compile(node.as_ref(), filter, index.fields(), &analyzer)?.query)
}

/// When no article has every word of this query, the query of the
/// articles with most of them, as [`search`] answers it (see [`fallback`]);
/// `None` when the query is not one that is answered so.
pub(crate) fn most_words_query(
    index: &ArchiveIndex,
    searcher: &Searcher,
    query_text: &str,
    filter: &DateFilter,
) -> Result<Option<Box<dyn tantivy::query::Query>>> {
    let Some(node) = query::parse(query_text)? else {
        return Ok(None);
    };
    let analyzer = schema::english_analyzer();
    let found = fallback::most_words(index, searcher, &analyzer, query_text, &node, filter, None)?;
    Ok(found.map(|(compiled, _)| compiled.query))
}

/// An article's headline and whole body with a query's words marked, as
/// a search's hits mark them (for showing a found article whole): the text
/// as stored, paragraphs and quotes and all, not made one line as in a
/// hit. In the body, words the query looks for in the body are marked
/// where the author wrote them, and `quoted:` words where the body quotes.
pub fn highlight(
    index: &ArchiveIndex,
    query: &str,
    article: &Article,
) -> Result<(Highlighted, Highlighted)> {
    let node = query::parse(query)?;
    let fields = index.fields();
    let analyzer = schema::english_analyzer();
    let compiled = query::compile(node.as_ref(), &DateFilter::default(), fields, &analyzer)?;
    let searcher = index.reader()?.searcher();
    let headlines = Highlighter::new(
        &searcher,
        &searcher,
        analyzer.clone(),
        fields.headline,
        &compiled.highlights,
    )
    .in_index(index.dir())?;
    let bodies = Highlighter::new(
        &searcher,
        &searcher,
        analyzer.clone(),
        fields.body,
        &compiled.highlights,
    )
    .in_index(index.dir())?;
    let quotes = Highlighter::new(
        &searcher,
        &searcher,
        analyzer,
        fields.quoted,
        &compiled.highlights,
    )
    .in_index(index.dir())?;
    Ok((
        headlines.as_written(&article.headline),
        marked_body(&bodies, &quotes, article),
    ))
}

/// The whole body as written, marked: `bodies`' words outside what it
/// quotes, `quotes`' words inside.
fn marked_body(bodies: &Highlighter, quotes: &Highlighter, article: &Article) -> Highlighted {
    let own = bodies.as_written(&article.body);
    if article.quoted.is_empty() {
        return own;
    }
    let quoted = |range: &Range<usize>| {
        article
            .quoted
            .iter()
            .any(|quote| quote.start <= range.start && range.end <= quote.end)
    };
    let mut ranges: Vec<Range<usize>> = own.ranges.into_iter().filter(|r| !quoted(r)).collect();
    if !quotes.is_empty() {
        ranges.extend(
            quotes
                .as_written(&article.body)
                .ranges
                .into_iter()
                .filter(|r| quoted(r)),
        );
        ranges.sort_by_key(|range| range.start);
    }
    Highlighted {
        text: own.text,
        ranges,
    }
}

/// A hit's body snippet: from the author's own words, so a reply's `…
/// writes:` line or what it quotes never stands for what it says. From
/// the whole body when only quoted words matched (`quoted:`), or when it
/// is all quotes; with no word matched (a hit by its headline), the
/// start of the own words.
fn body_snippet(
    bodies: &Highlighter,
    quotes: &Highlighter,
    article: &Article,
    len: usize,
    count: usize,
) -> Highlighted {
    let own = article.own_words();
    if own.trim().is_empty() {
        return quotes.snippets(&article.body, len, count);
    }
    let snippet = bodies.snippets(&own, len, count);
    if !snippet.ranges.is_empty() || quotes.is_empty() {
        return snippet;
    }
    let quoted = quotes.snippets(&article.body, len, count);
    if quoted.ranges.is_empty() {
        snippet
    } else {
        quoted
    }
}

/// Hits with only what orders them, read from the index's columns, not
/// from the stored articles (see [`SearchRequest::keys_only`]): the score,
/// the day and time, the file's path (its archive's, for a member) and,
/// as the id, the hit's place in the list (`3` for the fourth).
fn key_hits(
    searcher: &Searcher,
    found: Vec<(Option<f32>, DocAddress)>,
    offset: usize,
) -> tantivy::Result<Vec<Hit>> {
    // Each segment's columns, opened once.
    let mut opened: Vec<Option<OrderColumns>> = Vec::new();
    opened.resize_with(searcher.segment_readers().len(), || None);
    let mut hits = Vec::with_capacity(found.len());
    for (i, (score, address)) in found.into_iter().enumerate() {
        let columns = match &mut opened[address.segment_ord as usize] {
            Some(columns) => columns,
            none => none.insert(OrderColumns::open(
                searcher.segment_reader(address.segment_ord),
            )?),
        };
        let source = columns.source(address.doc_id)?;
        let at = columns.at(address.doc_id);
        hits.push(Hit {
            rank: offset + i + 1,
            id: (offset + i).to_string(),
            path: source.unwrap_or_default(),
            date: at.map(|at| at.date()),
            time: at.map(|at| at.time()),
            score,
            headline: Highlighted::default(),
            snippet: Highlighted::default(),
            body: String::new(),
            meta: Metadata::default(),
            story: None,
            similar: Vec::new(),
        });
    }
    Ok(hits)
}

/// How hits are laid out: how many came before them (for their ranks),
/// and their body snippets' room (bytes) and passages.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Layout {
    pub(crate) offset: usize,
    pub(crate) snippet_len: usize,
    pub(crate) snippets: usize,
}

/// Turns found documents into [`Hit`]s: their stored text, the headline and
/// a body snippet marked with `highlights` (words weighed by
/// `statistics`). Shared by every command that lists hits.
pub(crate) fn to_hits(
    index: &ArchiveIndex,
    searcher: &Searcher,
    statistics: &dyn tantivy::query::Bm25StatisticsProvider,
    found: Vec<(Option<f32>, DocAddress)>,
    highlights: &[Highlight],
    layout: Layout,
) -> Result<Vec<Hit>> {
    let Layout {
        offset,
        snippet_len,
        snippets,
    } = layout;
    let fields = index.fields();
    let analyzer = schema::english_analyzer();
    let new = |analyzer, field| {
        Highlighter::new(searcher, statistics, analyzer, field, highlights).in_index(index.dir())
    };
    let headlines = new(analyzer.clone(), fields.headline)?;
    let bodies = new(analyzer.clone(), fields.body)?;
    let quotes = new(analyzer, fields.quoted)?;
    // Reading and highlighting ten long articles takes longer than finding
    // them: spread over the cores, each with highlighters of its own.
    found
        .into_par_iter()
        .enumerate()
        .map_init(
            || (headlines.clone(), bodies.clone(), quotes.clone()),
            |(headlines, bodies, quotes), (i, (score, address))| {
                let article = stored_article(index, searcher, address)?;
                Ok(Hit {
                    rank: offset + i + 1,
                    headline: headlines.whole(&article.headline),
                    snippet: body_snippet(bodies, quotes, &article, snippet_len, snippets),
                    body: article.body,
                    meta: article.meta,
                    id: article.id,
                    path: article.path,
                    date: article.date,
                    time: article.time,
                    score,
                    story: None,
                    similar: Vec::new(),
                })
            },
        )
        .collect()
}

#[cfg(test)]
// Byte ranges of text, one to a list, are the values these tests compare.
#[allow(clippy::single_range_in_vec_init)]
mod tests {
    use super::*;

    /// The body and quote highlighters of `query`, over an empty index.
    fn highlighters(query: &str) -> (Highlighter, Highlighter) {
        let (index, fields) = schema::in_ram();
        let searcher = index.reader().unwrap().searcher();
        let analyzer = schema::english_analyzer();
        let node = query::parse(query).unwrap();
        let compiled =
            query::compile(node.as_ref(), &DateFilter::default(), &fields, &analyzer).unwrap();
        let highlighter = |field| {
            Highlighter::new(
                &searcher,
                &searcher,
                analyzer.clone(),
                field,
                &compiled.highlights,
            )
            .unwrap()
        };
        (highlighter(fields.body), highlighter(fields.quoted))
    }

    /// The snippet of `article` for `query`, and the words it marks.
    fn snippet(article: &Article, query: &str) -> (String, Vec<String>) {
        let (bodies, quotes) = highlighters(query);
        let found = body_snippet(&bodies, &quotes, article, DEFAULT_SNIPPET_CHARS, 1);
        marked(found)
    }

    fn marked(found: Highlighted) -> (String, Vec<String>) {
        let words = found
            .ranges
            .iter()
            .map(|range| found.text[range.clone()].to_string())
            .collect();
        (found.text, words)
    }

    fn reply(body: &str, quoted: Range<usize>) -> Article {
        let mut article = Article::sample("reply", body);
        article.quoted = vec![quoted];
        article
    }

    #[test]
    fn a_snippet_is_of_the_authors_own_words() {
        let article = reply(
            "In article <1@x> jdoe@x (Jane Doe) writes:\n>Koresh will come out.\n\nHe did not; \
             Waco burned.",
            0..66,
        );
        // A hit by its headline: the own words' start, not the attribution.
        assert_eq!(
            snippet(&article, "headline:ferry"),
            ("He did not; Waco burned.".into(), vec![])
        );
        assert_eq!(
            snippet(&article, "waco koresh"),
            ("He did not; Waco burned.".into(), vec!["Waco".into()])
        );
        // Only quoted words matched: the quote is the snippet.
        for query in ["quoted:koresh", "koresh OR quoted:koresh"] {
            let (text, words) = snippet(&article, query);
            assert!(text.starts_with("In article <1@x>"), "{query}: {text}");
            assert_eq!(words, ["Koresh"], "{query}");
        }
        // All quotes: the body as it is.
        let body = "Jane writes:\n> Koresh lied.";
        let article = reply(body, 0..body.len());
        assert_eq!(
            snippet(&article, "headline:ferry"),
            ("Jane writes: > Koresh lied.".into(), vec![])
        );
        // Nothing quoted: as ever.
        let article = Article::sample("plain", "In article 5, Waco.");
        assert_eq!(
            snippet(&article, "waco"),
            ("In article 5, Waco.".into(), vec!["Waco".into()])
        );
    }

    #[test]
    fn counting_up_to_a_limit_is_exact_to_it_and_stops_past_it() {
        use tantivy::query::TermQuery;
        use tantivy::schema::IndexRecordOption;
        let (mut index, fields) = schema::in_ram();
        index.set_multithread_executor(2).unwrap();
        let mut writer: tantivy::IndexWriter =
            index.writer_with_num_threads(1, 15_000_000).unwrap();
        writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        // Four segments of 700, 300, 1 and 0 living matches (the last
        // segment's are deleted, and so are some of the first's), with
        // other articles between them.
        for (segment, matches) in [700, 300, 1, 90].into_iter().enumerate() {
            for n in 0..matches + 40 {
                let mut doc = tantivy::TantivyDocument::new();
                let word = if n < matches { "oil" } else { "gold" };
                doc.add_text(fields.body, word);
                let gone = n < matches && (segment == 3 || (segment == 0 && n % 100 == 0));
                doc.add_text(fields.id, if gone { "gone" } else { "kept" });
                writer.add_document(doc).unwrap();
            }
            writer.commit().unwrap();
        }
        writer.delete_term(tantivy::Term::from_field_text(fields.id, "gone"));
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), 4);
        let query = TermQuery::new(
            tantivy::Term::from_field_text(fields.body, "oil"),
            IndexRecordOption::Basic,
        );
        let living = 700 - 7 + 300 + 1;
        assert_eq!(searcher.search(&query, &Count).unwrap(), living);
        for limit in [
            0,
            1,
            255,
            256,
            257,
            600,
            living - 1,
            living,
            living + 1,
            10_000,
        ] {
            let expected = match living > limit {
                true => (limit, false),
                false => (living, true),
            };
            assert_eq!(
                count_up_to(&searcher, &query, limit).unwrap(),
                expected,
                "{limit}"
            );
        }
    }

    #[test]
    fn a_whole_article_marks_each_word_where_it_matched() {
        let article = reply("Jane writes:\n> Koresh lied.\n\nKoresh did not.", 0..28);
        let whole = |query: &str| {
            let (bodies, quotes) = highlighters(query);
            let found = marked_body(&bodies, &quotes, &article);
            assert_eq!(found.text, article.body);
            found.ranges
        };
        assert_eq!(whole("koresh"), [29..35]);
        assert_eq!(whole("quoted:koresh"), [15..21]);
        assert_eq!(whole("koresh OR quoted:koresh"), [15..21, 29..35]);
        assert!(whole("headline:koresh").is_empty());
    }
}
