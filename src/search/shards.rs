//! One archive in many shards (`dateline index --shard K/N`, `dateline
//! serve --shards`): what a shard's search takes from the whole archive so
//! that its scores are the ones one index of every article would give, and
//! how the shards' answers are merged into the answer of one index.
//!
//! A search over shards runs in two rounds. First each shard reports its
//! [`Statistics`] for the query's words (how many articles have each, how
//! many articles and words it holds); the coordinator sums them. Then each
//! shard searches with the sums ([`WholeArchive`]), so a word's idf and a
//! field's average length are the whole archive's, and the merged scores
//! equal one index's. Totals, stories, facets and trends are summed.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use tantivy::query::Bm25StatisticsProvider;
use tantivy::schema::{Field, FieldType};
use tantivy::{Searcher, Term};
use time::Date;

use super::facets::{Facet, FacetValue};
use super::trend::{fold, Counting, Series, Trend, TrendRequest};
use super::{query, scoring, SearchRequest, SearchResults, Sort, EXACT_TOTAL_UP_TO};
use crate::dates::{DateFilter, Period, INDEXABLE};
use crate::error::{InIndex, Result};
use crate::index::schema;
use crate::index::ArchiveIndex;

/// What BM25 reads of an index for one query: its articles, the words of
/// each text field, and how many articles have each of the query's words.
/// Summed over the shards, the whole archive's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statistics {
    /// Articles (as tantivy counts them for BM25).
    pub docs: u64,
    /// Words indexed in each text field, by the field's number.
    pub tokens: BTreeMap<u32, u64>,
    /// Articles having each word: by the word's term, in hex.
    pub doc_freqs: BTreeMap<String, u64>,
}

impl Statistics {
    /// Adds another shard's.
    pub fn add(&mut self, other: &Statistics) {
        self.docs += other.docs;
        for (field, tokens) in &other.tokens {
            *self.tokens.entry(*field).or_default() += tokens;
        }
        for (term, docs) in &other.doc_freqs {
            *self.doc_freqs.entry(term.clone()).or_default() += docs;
        }
    }
}

/// What a shard's search takes from the whole archive (see
/// [`SearchRequest::whole_archive`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WholeArchive {
    /// The summed statistics of the query's words.
    pub statistics: Statistics,
    /// When no article has all of a long query's words: the most of them
    /// any article of the archive has (see [`super::MostWords::most`]),
    /// so every shard answers with the articles having as many.
    pub most_words: Option<usize>,
}

/// A term as [`Statistics::doc_freqs`] keys it: its field's number and
/// its value's bytes in hex (`3:6f696c`).
fn term_key(term: &Term) -> String {
    let mut key = format!("{}:", term.field().field_id());
    for byte in term.serialized_value_bytes() {
        key.push_str(&format!("{byte:02x}"));
    }
    key
}

/// This index's statistics for the words of a search's query: those of
/// every term it scores, in the headline and the body both (they share an
/// idf: see the `scoring` module).
pub fn statistics(index: &ArchiveIndex, request: &SearchRequest) -> Result<Statistics> {
    let node = query::parse(&request.query)?;
    let fields = index.fields();
    let analyzer = schema::english_analyzer();
    let compiled = query::compile(node.as_ref(), &request.filter, fields, &analyzer)?;
    let searcher = index.reader()?.searcher();
    let dir = index.dir();
    let mut terms: Vec<Term> = Vec::new();
    compiled
        .query
        .query_terms(&mut |term, _| terms.push(term.clone()));
    let shared = [fields.headline, fields.body];
    for term in terms.clone() {
        if shared.contains(&term.field()) {
            for field in shared {
                let mut twin = Term::from_field_text(field, "");
                twin.append_bytes(term.serialized_value_bytes());
                terms.push(twin);
            }
        }
    }
    let mut statistics = Statistics {
        docs: scoring::Articles::new(&searcher, fields)
            .in_index(dir)?
            .count(),
        ..Statistics::default()
    };
    for (field, entry) in searcher.schema().fields() {
        if matches!(entry.field_type(), FieldType::Str(options) if options.get_indexing_options().is_some())
        {
            let tokens =
                Bm25StatisticsProvider::total_num_tokens(&searcher, field).in_index(dir)?;
            statistics.tokens.insert(field.field_id(), tokens);
        }
    }
    for term in terms {
        let docs = searcher.doc_freq(&term).in_index(dir)?;
        statistics.doc_freqs.insert(term_key(&term), docs);
    }
    Ok(statistics)
}

/// The whole archive's statistics where it has them, this index's
/// elsewhere.
pub(crate) struct ArchiveStatistics<'a> {
    pub(crate) whole: &'a Statistics,
    pub(crate) searcher: &'a Searcher,
}

impl Bm25StatisticsProvider for ArchiveStatistics<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        match self.whole.tokens.get(&field.field_id()) {
            Some(tokens) => Ok(*tokens),
            None => Bm25StatisticsProvider::total_num_tokens(self.searcher, field),
        }
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self.whole.docs)
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        match self.whole.doc_freqs.get(&term_key(term)) {
            Some(docs) => Ok(*docs),
            None => self.searcher.doc_freq(term),
        }
    }
}

/// The order of two hits of different shards in one list: by score (or
/// date), then by path, as one index orders them. Two hits of one file are
/// in one shard, whose order between them stands.
fn before(sort: Sort, a: &super::Hit, b: &super::Hit) -> Ordering {
    let by_path = || a.path.cmp(&b.path);
    match sort {
        Sort::Relevance => {
            let a_score = a.score.unwrap_or(f32::MIN);
            let b_score = b.score.unwrap_or(f32::MIN);
            b_score.total_cmp(&a_score).then_with(by_path)
        }
        Sort::Newest | Sort::Oldest => {
            // Dated before undated, in either order; by day and time of
            // day (as the index's date column holds them), then by path.
            let dated = b.date.is_some().cmp(&a.date.is_some());
            let at = |hit: &super::Hit| (hit.date, hit.time.unwrap_or(time::Time::MIDNIGHT));
            let when = match sort {
                Sort::Newest => at(b).cmp(&at(a)),
                _ => at(a).cmp(&at(b)),
            };
            dated.then(when).then_with(by_path)
        }
    }
}

/// The answer of one index made of the shards' answers to the same
/// request (each asked for its first `offset + limit` hits from offset
/// 0). Suggestions are not merged: they take more searches (see the
/// coordinator).
pub fn merge_search(request: &SearchRequest, answers: Vec<SearchResults>) -> SearchResults {
    // A shard whose articles have all the words answers with them; one
    // that has none of them answers with those having most of the words,
    // which count only when no shard has an article with all of them.
    let primary = answers
        .iter()
        .any(|answer| answer.most_words.is_none() && answer.total > 0);
    let kept: Vec<SearchResults> = answers
        .into_iter()
        .filter(|answer| !primary || answer.most_words.is_none())
        .collect();
    let sort = kept.first().map_or(
        request
            .sort
            .unwrap_or(match request.query.trim().is_empty() {
                true => Sort::Newest,
                false => Sort::Relevance,
            }),
        |first| first.sort,
    );
    let exact_each = kept.iter().all(|answer| answer.total_exact);
    let sum: usize = kept.iter().map(|answer| answer.total).sum();
    let (total, total_exact) = if request.exact_total || (exact_each && sum <= EXACT_TOTAL_UP_TO) {
        (sum, true)
    } else {
        (EXACT_TOTAL_UP_TO, false)
    };
    let folded = kept.iter().any(|answer| answer.folded);
    let stories = match total_exact && folded {
        true => kept
            .iter()
            .map(|answer| answer.stories.or((!answer.folded).then_some(answer.total)))
            .sum(),
        false => None,
    };
    let most_words = kept.iter().find_map(|answer| answer.most_words);
    let facets = merge_facets(kept.iter().map(|answer| answer.facets.as_slice()));
    // Every shard's hits in its order, merged.
    let mut lists: Vec<std::vec::IntoIter<super::Hit>> = kept
        .into_iter()
        .map(|answer| answer.hits.into_iter())
        .collect();
    let mut heads: Vec<Option<super::Hit>> = lists.iter_mut().map(Iterator::next).collect();
    let mut hits = Vec::new();
    let wanted = request.offset + request.limit;
    while hits.len() < wanted {
        let mut best: Option<usize> = None;
        for (at, head) in heads.iter().enumerate() {
            let Some(hit) = head else { continue };
            best = match best.and_then(|b| Some((b, heads[b].as_ref()?))) {
                Some((b, best)) if before(sort, best, hit) != Ordering::Greater => Some(b),
                _ => Some(at),
            };
        }
        let Some(hit) = best.and_then(|at| heads[at].take().map(|hit| (at, hit))) else {
            break;
        };
        let (at, hit) = hit;
        heads[at] = lists[at].next();
        hits.push(hit);
    }
    let mut hits: Vec<super::Hit> = hits.into_iter().skip(request.offset).collect();
    for (i, hit) in hits.iter_mut().enumerate() {
        hit.rank = request.offset + i + 1;
    }
    SearchResults {
        query: request.query.clone(),
        filter: request.filter,
        sort,
        total,
        total_exact,
        offset: request.offset,
        took: std::time::Duration::ZERO,
        hits,
        suggestion: None,
        operators: None,
        most_words,
        facets,
        folded,
        stories,
    }
}

/// The facets of several shards, summed: each shard lists up to `size`
/// values of a facet; the sums are listed most first (ties in the
/// values' order), as many as the first shard lists at most.
pub fn merge_facets<'a>(shards: impl Iterator<Item = &'a [Facet]>) -> Vec<Facet> {
    let mut merged: Vec<(Facet, HashMap<String, u64>, u64)> = Vec::new();
    for facets in shards {
        for facet in facets {
            let at = match merged.iter().position(|(seen, ..)| seen.kind == facet.kind) {
                Some(at) => at,
                None => {
                    merged.push((
                        Facet {
                            kind: facet.kind,
                            values: Vec::new(),
                            other: 0,
                            exact: true,
                        },
                        HashMap::new(),
                        0,
                    ));
                    merged.len() - 1
                }
            };
            let (whole, counts, all) = &mut merged[at];
            whole.exact &= facet.exact;
            *all += facet.other;
            for value in &facet.values {
                *counts.entry(value.value.clone()).or_default() += value.count;
                *all += value.count;
            }
        }
    }
    merged
        .into_iter()
        .map(|(mut facet, counts, all)| {
            let mut values: Vec<FacetValue> = counts
                .into_iter()
                .map(|(value, count)| FacetValue { value, count })
                .collect();
            values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
            facet.values = values;
            facet.other = all;
            facet
        })
        .collect()
}

/// Cuts merged facets to `size` values each, the rest counted in `other`.
pub fn cut_facets(facets: &mut [Facet], size: usize) {
    for facet in facets {
        facet.values.truncate(size);
        let listed: u64 = facet.values.iter().map(|value| value.count).sum();
        facet.other = facet.other.saturating_sub(listed);
    }
}

/// A shard's trend by day, its empty days left out: what the coordinator
/// sums ([`merge_trend`]).
pub fn sparse(mut trend: Trend) -> Trend {
    trend.periods.retain(|period| period.count > 0);
    for series in &mut trend.series {
        series.periods.retain(|period| period.count > 0);
    }
    trend
}

fn days_of(periods: &[super::trend::PeriodCount]) -> BTreeMap<Date, u64> {
    let mut days = BTreeMap::new();
    for period in periods {
        *days.entry(period.start).or_default() += period.count;
    }
    days
}

/// The first and last day that the shards' trends by day (see
/// [`sparse`]) count an article on.
pub fn matching_span(answers: &[Trend]) -> Option<(Date, Date)> {
    let first = answers
        .iter()
        .filter_map(|trend| trend.periods.first())
        .map(|period| period.start)
        .min()?;
    let last = answers
        .iter()
        .filter_map(|trend| trend.periods.last())
        .map(|period| period.start)
        .max()?;
    Some((first, last))
}

/// The period a chart of `bars` bars counts in, for the shards' trends by
/// day: as [`super::trend::trend_fitted`] chooses it for one index.
pub fn fitted_period(request: &TrendRequest, answers: &[Trend], bars: usize) -> Period {
    let span = matching_span(answers);
    let first = request.filter.from.or(span.map(|(first, _)| first));
    let last = request.filter.to.or(span.map(|(_, last)| last));
    match (first, last) {
        (Some(first), Some(last)) => Period::fitting(
            first.max(*INDEXABLE.start()),
            last.min(*INDEXABLE.end()),
            bars,
        ),
        _ => request.by,
    }
}

/// The trend of one index made of the shards' trends by day (see
/// [`sparse`]), counted `by` period.
pub fn merge_trend(request: &TrendRequest, answers: Vec<Trend>, by: Period) -> Trend {
    let mut days = BTreeMap::new();
    for answer in &answers {
        for (day, count) in days_of(&answer.periods) {
            *days.entry(day).or_default() += count;
        }
    }
    let periods = fold(&days, by, &request.filter);
    let mut trend = Trend {
        query: request.query.clone(),
        filter: request.filter,
        by,
        // Stories when any shard counted them (one that has none counts
        // articles, which are its stories).
        count: answers
            .iter()
            .map(|answer| answer.count)
            .find(|count| *count == Counting::Stories)
            .unwrap_or(Counting::Articles),
        total: answers.iter().map(|answer| answer.total).sum(),
        articles: answers.iter().map(|answer| answer.articles).sum(),
        undated: answers.iter().map(|answer| answer.undated).sum(),
        periods,
        split: request.split,
        series: Vec::new(),
    };
    if request.split.is_some() {
        // The same periods as the whole trend's, cut where it is cut.
        let span = trend.span();
        let filter = DateFilter {
            from: span.map(|(first, _)| first),
            to: span.map(|(_, last)| last),
        };
        let mut values: Vec<(String, u64, u64, BTreeMap<Date, u64>)> = Vec::new();
        for series in answers.iter().flat_map(|answer| &answer.series) {
            let at = match values.iter().position(|(value, ..)| *value == series.value) {
                Some(at) => at,
                None => {
                    values.push((series.value.clone(), 0, 0, BTreeMap::new()));
                    values.len() - 1
                }
            };
            let (_, total, undated, days) = &mut values[at];
            *total += series.total;
            *undated += series.undated;
            for (day, count) in days_of(&series.periods) {
                *days.entry(day).or_default() += count;
            }
        }
        values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        values.truncate(request.series.clamp(1, super::trend::MAX_SERIES));
        trend.series = values
            .into_iter()
            .map(|(value, total, undated, days)| Series {
                value,
                total,
                undated,
                periods: match span {
                    Some(_) => fold(&days, by, &filter),
                    None => Vec::new(),
                },
            })
            .collect();
    }
    trend
}

/// The statistics of one index made of the shards': sums, the widest
/// span of dates, and the sources most articles came from.
pub fn merge_stats(answers: Vec<super::stats::IndexStats>) -> super::stats::IndexStats {
    let mut sources: HashMap<String, u64> = HashMap::new();
    let mut whole = super::stats::IndexStats {
        articles: 0,
        undated: 0,
        duplicates: 0,
        files: 0,
        members: 0,
        oldest: None,
        newest: None,
        size_bytes: 0,
        segments: 0,
        top_sources: Vec::new(),
        stories: 0,
        articles_in_stories: 0,
    };
    for answer in answers {
        whole.articles += answer.articles;
        whole.undated += answer.undated;
        whole.duplicates += answer.duplicates;
        whole.files += answer.files;
        whole.members += answer.members;
        whole.oldest = whole.oldest.into_iter().chain(answer.oldest).min();
        whole.newest = whole.newest.into_iter().chain(answer.newest).max();
        whole.size_bytes += answer.size_bytes;
        whole.segments += answer.segments;
        whole.stories += answer.stories;
        whole.articles_in_stories += answer.articles_in_stories;
        for source in answer.top_sources {
            *sources.entry(source.value).or_default() += source.count;
        }
    }
    let mut sources: Vec<FacetValue> = sources
        .into_iter()
        .map(|(value, count)| FacetValue { value, count })
        .collect();
    sources.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    sources.truncate(super::stats::TOP_SOURCES);
    whole.top_sources = sources;
    whole
}

/// The content hashes of every article of this index, sorted, once each:
/// what tells exact copies in different shards apart (see
/// [`copies_across`]).
pub fn content_hashes(index: &ArchiveIndex) -> Result<Vec<u64>> {
    let searcher = index.reader()?.searcher();
    let dir = index.dir();
    let articles = query::all_articles(index.fields());
    let weight = articles
        .weight(tantivy::query::EnableScoring::disabled_from_searcher(
            &searcher,
        ))
        .in_index(dir)?;
    let mut hashes = Vec::new();
    for segment in searcher.segment_readers() {
        let column = segment
            .fast_fields()
            .u64(schema::Fields::CONTENT_NAME)
            .in_index(dir)?;
        let alive = segment.alive_bitset();
        let mut matches = weight.scorer(segment, 1.0).in_index(dir)?;
        let mut doc = tantivy::DocSet::doc(&matches);
        while doc != tantivy::TERMINATED {
            if alive.is_none_or(|alive| alive.is_alive(doc)) {
                hashes.extend(column.first(doc));
            }
            doc = tantivy::DocSet::advance(&mut matches);
        }
    }
    hashes.sort_unstable();
    hashes.dedup();
    Ok(hashes)
}

/// How many articles are held by more than one of the shards whose
/// [`content_hashes`] these are: each copy beyond the first counts (one
/// index would keep one of them).
pub fn copies_across(shards: &[Vec<u64>]) -> u64 {
    let mut all: Vec<u64> = shards.iter().flatten().copied().collect();
    let held = all.len();
    all.sort_unstable();
    all.dedup();
    (held - all.len()) as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::facets::FacetKind;
    use crate::search::Hit;
    use time::macros::date;

    fn hit(id: &str, path: &str, score: Option<f32>, date: Option<Date>) -> Hit {
        Hit {
            rank: 0,
            id: id.into(),
            path: path.into(),
            date,
            time: None,
            score,
            headline: Default::default(),
            snippet: Default::default(),
            body: String::new(),
            meta: Default::default(),
            story: None,
            similar: Vec::new(),
        }
    }

    fn request(sort: Option<Sort>, offset: usize, limit: usize) -> SearchRequest {
        SearchRequest {
            query: "oil".into(),
            filter: DateFilter::default(),
            sort,
            limit,
            offset,
            snippet_len: 100,
            snippets: 1,
            exact_total: false,
            fold: false,
            whole_archive: None,
            keys_only: false,
        }
    }

    fn answer(sort: Sort, total: usize, hits: Vec<Hit>) -> SearchResults {
        SearchResults {
            query: "oil".into(),
            filter: DateFilter::default(),
            sort,
            total,
            total_exact: total <= EXACT_TOTAL_UP_TO,
            offset: 0,
            took: std::time::Duration::ZERO,
            hits,
            suggestion: None,
            operators: None,
            most_words: None,
            facets: Vec::new(),
            folded: false,
            stories: None,
        }
    }

    fn ids(results: &SearchResults) -> Vec<(usize, &str)> {
        results
            .hits
            .iter()
            .map(|hit| (hit.rank, hit.id.as_str()))
            .collect()
    }

    #[test]
    fn hits_merge_by_score_then_path_and_keep_each_shards_order() {
        let first = answer(
            Sort::Relevance,
            3,
            vec![
                hit("a", "/b", Some(3.0), None),
                hit("b", "/b", Some(2.0), None),
                hit("c", "/b", Some(2.0), None),
            ],
        );
        let second = answer(
            Sort::Relevance,
            2,
            vec![
                hit("x", "/a", Some(2.0), None),
                hit("y", "/c", Some(1.0), None),
            ],
        );
        let merged = merge_search(&request(None, 1, 3), vec![first, second]);
        assert_eq!(merged.total, 5);
        assert!(merged.total_exact);
        // 3.0 a; 2.0: x (/a) before b and c (/b, in their shard's order).
        assert_eq!(ids(&merged), [(2, "x"), (3, "b"), (4, "c")]);
    }

    #[test]
    fn dated_hits_merge_by_date_and_undated_come_last() {
        let first = answer(
            Sort::Newest,
            2,
            vec![
                hit("new", "/a", None, Some(date!(2025 - 03 - 02))),
                hit("none", "/a", None, None),
            ],
        );
        let second = answer(
            Sort::Newest,
            1,
            vec![hit("mid", "/b", None, Some(date!(2025 - 03 - 01)))],
        );
        let merged = merge_search(&request(Some(Sort::Newest), 0, 10), vec![first, second]);
        assert_eq!(ids(&merged), [(1, "new"), (2, "mid"), (3, "none")]);
        // One day's articles: by time of day, then by path, either way.
        let day = Some(date!(2025 - 03 - 01));
        let shard = |id: &str, path: &str, at: Option<time::Time>, sort| {
            let mut one = hit(id, path, None, day);
            one.time = at;
            answer(sort, 1, vec![one])
        };
        let noon = Some(time::macros::time!(12:00));
        for (sort, expected) in [
            (Sort::Newest, ["late", "a", "b"]),
            (Sort::Oldest, ["a", "b", "late"]),
        ] {
            let merged = merge_search(
                &request(Some(sort), 0, 10),
                vec![
                    shard("b", "/b", None, sort),
                    shard("late", "/0", noon, sort),
                    shard("a", "/a", None, sort),
                ],
            );
            let got: Vec<&str> = merged.hits.iter().map(|hit| hit.id.as_str()).collect();
            assert_eq!(got, expected, "{sort:?}");
        }
    }

    #[test]
    fn totals_past_the_threshold_are_a_lower_bound_and_fallbacks_give_way() {
        let big = answer(Sort::Relevance, 6_000, Vec::new());
        let merged = merge_search(&request(None, 0, 10), vec![big.clone(), big.clone()]);
        assert_eq!(
            (merged.total, merged.total_exact),
            (EXACT_TOTAL_UP_TO, false)
        );
        let exact = SearchRequest {
            exact_total: true,
            ..request(None, 0, 10)
        };
        let merged = merge_search(&exact, vec![big.clone(), big]);
        assert_eq!((merged.total, merged.total_exact), (12_000, true));
        // A shard with no article of every word answers with those having
        // most of them; another's articles with all of them win.
        let mut fallback = answer(Sort::Relevance, 4, vec![hit("f", "/f", Some(9.0), None)]);
        fallback.most_words = Some(crate::search::MostWords {
            typed: 4,
            words: 3,
            matched: 2,
            most: 2,
        });
        let whole = answer(Sort::Relevance, 1, vec![hit("w", "/w", Some(1.0), None)]);
        let merged = merge_search(&request(None, 0, 10), vec![fallback, whole]);
        assert_eq!(ids(&merged), [(1, "w")]);
        assert_eq!((merged.total, merged.most_words), (1, None));
        let empty = merge_search(&request(None, 0, 10), Vec::new());
        assert_eq!((empty.total, empty.hits.len()), (0, 0));
    }

    #[test]
    fn facets_sum_and_cut_with_the_rest_in_other() {
        let facet = |values: &[(&str, u64)], other| Facet {
            kind: FacetKind::Source,
            values: values
                .iter()
                .map(|(value, count)| FacetValue {
                    value: value.to_string(),
                    count: *count,
                })
                .collect(),
            other,
            exact: true,
        };
        let a = [facet(&[("reuters", 5), ("ap", 2)], 1)];
        let b = [facet(&[("ap", 4), ("afp", 1)], 0)];
        let mut merged = merge_facets([&a[..], &b[..]].into_iter());
        cut_facets(&mut merged, 2);
        let values: Vec<(&str, u64)> = merged[0]
            .values
            .iter()
            .map(|value| (value.value.as_str(), value.count))
            .collect();
        assert_eq!(values, [("ap", 6), ("reuters", 5)]);
        // afp's 1 and a's unlisted 1.
        assert_eq!(merged[0].other, 2);
    }

    #[test]
    fn trends_sum_by_day_and_fill_the_periods_between() {
        let day = |d: Date, count| super::super::trend::PeriodCount {
            label: d.to_string(),
            start: d,
            end: d,
            count,
        };
        let request = TrendRequest {
            query: "oil".into(),
            filter: DateFilter::default(),
            by: Period::Month,
            split: None,
            series: 5,
            count: Counting::Articles,
        };
        let trend = |periods, total| Trend {
            query: "oil".into(),
            filter: DateFilter::default(),
            by: Period::Day,
            count: Counting::Articles,
            total,
            articles: total,
            undated: 1,
            periods,
            split: None,
            series: Vec::new(),
        };
        let a = trend(vec![day(date!(2025 - 01 - 05), 2)], 3);
        let b = trend(vec![day(date!(2025 - 03 - 09), 4)], 5);
        let merged = merge_trend(&request, vec![a, b], Period::Month);
        let counts: Vec<(&str, u64)> = merged
            .periods
            .iter()
            .map(|period| (period.label.as_str(), period.count))
            .collect();
        assert_eq!(counts, [("2025-01", 2), ("2025-02", 0), ("2025-03", 4)]);
        assert_eq!((merged.total, merged.undated), (8, 2));
    }

    #[test]
    fn statistics_add_up_and_copies_across_shards_count_once_each() {
        let mut whole = Statistics::default();
        for docs in [3, 4] {
            whole.add(&Statistics {
                docs,
                tokens: [(1, docs * 10)].into(),
                doc_freqs: [("1:6f696c".to_string(), docs - 1)].into(),
            });
        }
        assert_eq!(whole.docs, 7);
        assert_eq!(whole.tokens[&1], 70);
        assert_eq!(whole.doc_freqs["1:6f696c"], 5);
        assert_eq!(copies_across(&[vec![1, 2, 3], vec![3, 4], vec![2, 3]]), 3);
        assert_eq!(copies_across(&[vec![1], vec![2]]), 0);
    }
}
