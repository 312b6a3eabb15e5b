//! How often a query matched, period by period: the counts come from
//! tantivy's date-histogram aggregation over the fast `date` field, never
//! from a loop over hits.
//!
//! tantivy's date histogram has fixed intervals only (a month is not a fixed
//! number of milliseconds), so the aggregation counts matching articles per
//! UTC day and those day buckets are folded here into calendar weeks (ISO,
//! Monday to Sunday), months or years. Only days that have a match come back
//! from the index; the periods between are filled with zeros here.
//!
//! By default a trend counts stories: near-copies of an article count
//! once, on the day of the first of them that matches ([`Counting`]).

use std::collections::BTreeMap;

use tantivy::aggregation::agg_req::{Aggregation, AggregationVariants, Aggregations};
use tantivy::aggregation::agg_result::{AggregationResult, BucketEntries, BucketResult};
use tantivy::aggregation::bucket::DateHistogramAggregationReq;
use tantivy::aggregation::{AggContextParams, AggregationCollector, Key};
use tantivy::collector::Count;
use time::{Date, Duration};

use tantivy::query::Query;
use tantivy::{DateTime, Searcher};

use super::facets::{self, FacetKind};
use crate::dates::{DateFilter, Period, INDEXABLE};
use crate::error::{Error, InIndex, Result};
use crate::index::schema::{self, Fields};
use crate::index::stories::StoryMap;
use crate::index::ArchiveIndex;

/// Name of the day histogram in the aggregation request and its result.
const BY_DAY: &str = "by_day";

const MILLIS_PER_DAY: i64 = 86_400_000;

/// A trend to compute, validated.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct TrendRequest {
    /// Query text as for `search`; empty counts every article.
    pub query: String,
    /// The days counted.
    pub filter: DateFilter,
    /// The length of a period.
    pub by: Period,
    /// One series more for each of the `series` most common values of
    /// this facet among the matches ([`Trend::series`]).
    pub split: Option<FacetKind>,
    /// How many series a split has at most.
    pub series: usize,
    /// What is counted: stories (near-copies once), or articles.
    pub count: Counting,
}

/// What a trend counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum Counting {
    /// Stories: near-copies of an article (a re-filing, the same wire copy
    /// run twice) count once, on the day of the first of them that
    /// matches. Attention to a subject is stories, not copies.
    #[default]
    Stories,
    /// Every matching article.
    Articles,
}

impl Counting {
    /// The name on the command line and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Counting::Stories => "stories",
            Counting::Articles => "articles",
        }
    }
}

impl std::str::FromStr for Counting {
    type Err = String;

    fn from_str(name: &str) -> Result<Counting, String> {
        match name {
            "stories" => Ok(Counting::Stories),
            "articles" => Ok(Counting::Articles),
            _ => Err(format!(
                "unknown count '{name}' (counts: stories, articles)"
            )),
        }
    }
}

/// The most series a trend may be split into.
pub const MAX_SERIES: usize = 20;

/// The matches of one value of a split trend, period by period.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Series {
    /// The facet's value (`sci.space`, `usa`), as [`FacetValue::value`](crate::FacetValue).
    pub value: String,
    /// Matching articles with that value, dated or not.
    pub total: u64,
    /// Those of them without a date.
    pub undated: u64,
    /// The same periods as [`Trend::periods`], with this value's counts.
    pub periods: Vec<PeriodCount>,
}

/// The matches of one period.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PeriodCount {
    /// `2025-03`, `2025-W12`, … (see [`Period::label`]).
    pub label: String,
    /// The first and last day counted: the period's, cut to the date filter.
    pub start: Date,
    /// Its last day.
    pub end: Date,
    /// Matching articles in it.
    pub count: u64,
}

/// Matching articles per period.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Trend {
    /// The query as typed.
    pub query: String,
    /// The days counted.
    pub filter: DateFilter,
    /// The length of a period.
    pub by: Period,
    /// What is counted, in `total`, the periods and the series: stories
    /// when they were asked for and the index has near-copies (else the
    /// two are the same, and this says articles).
    pub count: Counting,
    /// Every matching story (or article, as counted), dated or not.
    pub total: u64,
    /// Every matching article, dated or not, whatever is counted.
    pub articles: u64,
    /// Matching articles without a date, which no period can hold.
    pub undated: u64,
    /// Every period from the first to the last (those of the date filter's
    /// ends when it has them, else those of the first and last match; never
    /// beyond the days an index holds, [`crate::dates::INDEXABLE`]), in
    /// order, empty ones with a count of 0. Empty when nothing dated matched
    /// and the filter does not give both ends, or gives days no article can
    /// have.
    pub periods: Vec<PeriodCount>,
    /// What the trend is split by, if it is.
    pub split: Option<FacetKind>,
    /// When split: a series for each of the most common values, most
    /// matches first.
    pub series: Vec<Series>,
}

impl Trend {
    /// The first and last day the periods cover.
    pub fn span(&self) -> Option<(Date, Date)> {
        Some((self.periods.first()?.start, self.periods.last()?.end))
    }

    /// The largest count of a period (0 when there are none).
    pub fn max_count(&self) -> u64 {
        self.periods.iter().map(|p| p.count).max().unwrap_or(0)
    }
}

/// Counts the articles matching the request, per period, on the last commit
/// of the index.
pub fn trend(index: &ArchiveIndex, request: &TrendRequest) -> Result<Trend> {
    let searcher = index.reader()?.searcher();
    let query = super::matching(index, &request.query, &request.filter)?;
    let counted = Counted::new(index, request.count)?;
    let (total, articles, days) = counted.days(index, &searcher, &*query)?;
    let mut trend = folded(
        request,
        counted.counting(),
        total,
        articles,
        &days,
        request.by,
    );
    if let Some(kind) = request.split {
        trend.split = Some(kind);
        trend.series = split(
            index,
            &searcher,
            &counted,
            query,
            kind,
            request.series,
            &trend,
        )?;
    }
    Ok(trend)
}

/// What a trend counts, with the stories when it counts them.
struct Counted(Option<std::sync::Arc<StoryMap>>);

impl Counted {
    fn new(index: &ArchiveIndex, count: Counting) -> Result<Counted> {
        Ok(Counted(match count {
            Counting::Stories => Some(index.stories()?).filter(|stories| !stories.is_empty()),
            Counting::Articles => None,
        }))
    }

    /// What it counts in effect: stories only when there are any.
    fn counting(&self) -> Counting {
        match self.0 {
            Some(_) => Counting::Stories,
            None => Counting::Articles,
        }
    }

    /// How many stories (or articles) and articles match, and how many
    /// stories (articles) on each day that has any: a story on the day of
    /// its first matching article.
    fn days(
        &self,
        index: &ArchiveIndex,
        searcher: &Searcher,
        query: &dyn Query,
    ) -> Result<(u64, u64, BTreeMap<Date, u64>)> {
        let (articles, mut days) = matching_days(index, searcher, query)?;
        let Some(stories) = &self.0 else {
            return Ok((articles, articles, days));
        };
        let mut total = articles;
        for story in super::stories::largest(searcher, stories, query).in_index(index.dir())? {
            // (Members in order of date: the first one is counted.)
            for member in &story.members[1..] {
                total -= 1;
                let Some(when) = member.when else { continue };
                let day = schema::from_datetime(DateTime::from_timestamp_secs(when));
                if let Some(count) = days.get_mut(&day) {
                    *count -= 1;
                    if *count == 0 {
                        days.remove(&day);
                    }
                }
            }
        }
        Ok((total, articles, days))
    }
}

/// A series for each of the `size` most common values of `kind` among
/// the articles `query` matches, over the periods of `whole`.
fn split(
    index: &ArchiveIndex,
    searcher: &Searcher,
    counted: &Counted,
    query: Box<dyn Query>,
    kind: FacetKind,
    size: usize,
    whole: &Trend,
) -> Result<Vec<Series>> {
    let size = size.clamp(1, MAX_SERIES);
    let (_, facets) = facets::count_with_facets(index, searcher, &*query, &[kind], size)?;
    let values = facets.into_iter().flat_map(|facet| facet.values);
    // The same periods as the whole trend's, cut where it is cut.
    let span = whole.span();
    let filter = DateFilter {
        from: span.map(|(first, _)| first),
        to: span.map(|(_, last)| last),
    };
    let mut series = Vec::new();
    for value in values {
        let restricted = facets::restricted(query.box_clone(), index.fields(), kind, &value.value);
        let (total, _, days) = counted.days(index, searcher, &*restricted)?;
        let dated: u64 = days.values().sum();
        let periods = if span.is_some() {
            fold(&days, whole.by, &filter)
        } else {
            Vec::new()
        };
        series.push(Series {
            value: value.value,
            total,
            undated: total.saturating_sub(dated),
            periods,
        });
    }
    Ok(series)
}

/// As [`trend`], by the shortest period that shows the span counted in at
/// most `bars` periods (see [`Period::fitting`]); `request.by` is not
/// used. For a chart whose period depends on what was found.
pub fn trend_fitted(index: &ArchiveIndex, request: &TrendRequest, bars: usize) -> Result<Trend> {
    let searcher = index.reader()?.searcher();
    let query = super::matching(index, &request.query, &request.filter)?;
    let counted = Counted::new(index, request.count)?;
    let (total, articles, days) = counted.days(index, &searcher, &*query)?;
    let first = request.filter.from.or_else(|| days.keys().next().copied());
    let last = request
        .filter
        .to
        .or_else(|| days.keys().next_back().copied());
    let by = match (first, last) {
        (Some(first), Some(last)) => Period::fitting(
            first.max(*INDEXABLE.start()),
            last.min(*INDEXABLE.end()),
            bars,
        ),
        _ => request.by,
    };
    Ok(folded(
        request,
        counted.counting(),
        total,
        articles,
        &days,
        by,
    ))
}

fn folded(
    request: &TrendRequest,
    count: Counting,
    total: u64,
    articles: u64,
    days: &BTreeMap<Date, u64>,
    by: Period,
) -> Trend {
    let dated: u64 = days.values().sum();
    Trend {
        query: request.query.clone(),
        filter: request.filter,
        by,
        count,
        total,
        articles,
        undated: total.saturating_sub(dated),
        periods: fold(days, by, &request.filter),
        split: None,
        series: Vec::new(),
    }
}

/// How many articles match, and how many of them on each day that has any.
fn matching_days(
    index: &ArchiveIndex,
    searcher: &Searcher,
    query: &dyn Query,
) -> Result<(u64, BTreeMap<Date, u64>)> {
    let histogram = DateHistogramAggregationReq {
        field: Fields::DATE_NAME.to_string(),
        fixed_interval: Some("1d".to_string()),
        // Only days with a match: a sparse archive spanning centuries would
        // otherwise need more buckets than tantivy allows. Gaps are filled
        // with zeros when the days are folded into periods.
        min_doc_count: Some(1),
        ..DateHistogramAggregationReq::default()
    };
    let mut aggregations = Aggregations::default();
    aggregations.insert(
        BY_DAY.to_string(),
        Aggregation {
            agg: AggregationVariants::DateHistogram(histogram),
            sub_aggregation: Aggregations::default(),
        },
    );
    let collector = AggregationCollector::from_aggs(aggregations, AggContextParams::default());
    let (total, results) = searcher
        .search(query, &(Count, collector))
        .in_index(index.dir())?;

    let mut days = BTreeMap::new();
    if let Some(AggregationResult::BucketResult(BucketResult::Histogram { buckets })) =
        results.0.get(BY_DAY)
    {
        let entries: Vec<_> = match buckets {
            BucketEntries::Vec(entries) => entries.iter().collect(),
            BucketEntries::HashMap(entries) => entries.values().collect(),
        };
        for entry in entries {
            if entry.doc_count == 0 {
                continue;
            }
            let day = day_of_key(&entry.key).ok_or_else(|| {
                Error::Bug(format!(
                    "the index gave a date histogram bucket that is not a day: {:?}",
                    entry.key
                ))
            })?;
            *days.entry(day).or_insert(0) += entry.doc_count;
        }
    }
    Ok((total as u64, days))
}

/// The UTC day a histogram bucket starts on: its key is milliseconds since
/// the Unix epoch.
fn day_of_key(key: &Key) -> Option<Date> {
    let millis = match *key {
        Key::F64(millis) if millis.is_finite() => millis as i64,
        Key::I64(millis) => millis,
        Key::U64(millis) => i64::try_from(millis).ok()?,
        _ => return None,
    };
    let epoch = time::macros::date!(1970 - 01 - 01);
    epoch.checked_add(Duration::days(millis.div_euclid(MILLIS_PER_DAY)))
}

/// Folds counts per day into periods `by`, from the first to the last
/// period (see [`Trend::periods`]), zero-filled.
pub fn fold(days: &BTreeMap<Date, u64>, by: Period, filter: &DateFilter) -> Vec<PeriodCount> {
    let first = filter.from.or_else(|| days.keys().next().copied());
    let last = filter.to.or_else(|| days.keys().next_back().copied());
    let (Some(first), Some(last)) = (first, last) else {
        return Vec::new();
    };
    // No article is dated outside the days an index holds, so the periods
    // stop there: `--to 9999` by day would otherwise be three million empty
    // days (minutes of work, hundreds of MB of JSON).
    let first = first.max(*INDEXABLE.start());
    let last = last.min(*INDEXABLE.end());
    let mut periods = Vec::new();
    let mut start = by.start_of(first);
    while start <= last {
        let end = by.end_of(start);
        let count = days.range(start..=end).map(|(_, count)| count).sum();
        periods.push(PeriodCount {
            label: by.label(start),
            start: filter.from.map_or(start, |from| start.max(from)),
            end: filter.to.map_or(end, |to| end.min(to)),
            count,
        });
        match end.next_day() {
            Some(next) => start = next,
            None => break,
        }
    }
    periods
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn days(list: &[(Date, u64)]) -> BTreeMap<Date, u64> {
        list.iter().copied().collect()
    }

    #[test]
    fn weeks_are_iso_weeks_from_monday() {
        // 2025-03-17 is a Monday; 2024-12-31 is in ISO week 1 of 2025.
        assert_eq!(
            Period::Week.start_of(date!(2025 - 03 - 19)),
            date!(2025 - 03 - 17)
        );
        assert_eq!(
            Period::Week.start_of(date!(2025 - 03 - 17)),
            date!(2025 - 03 - 17)
        );
        assert_eq!(
            Period::Week.start_of(date!(2025 - 03 - 23)),
            date!(2025 - 03 - 17)
        );
        assert_eq!(Period::Week.label(date!(2025 - 03 - 17)), "2025-W12");
        let monday = Period::Week.start_of(date!(2024 - 12 - 31));
        assert_eq!(monday, date!(2024 - 12 - 30));
        assert_eq!(Period::Week.label(monday), "2025-W01");
        assert_eq!(Period::Week.end_of(monday), date!(2025 - 01 - 05));
    }

    #[test]
    fn months_and_years_have_their_calendar_lengths() {
        let feb = Period::Month.start_of(date!(2024 - 02 - 29));
        assert_eq!(feb, date!(2024 - 02 - 01));
        assert_eq!(Period::Month.end_of(feb), date!(2024 - 02 - 29));
        assert_eq!(Period::Month.label(feb), "2024-02");
        let year = Period::Year.start_of(date!(1987 - 10 - 20));
        assert_eq!(year, date!(1987 - 01 - 01));
        assert_eq!(Period::Year.end_of(year), date!(1987 - 12 - 31));
        assert_eq!(Period::Year.label(year), "1987");
    }

    #[test]
    fn periods_stay_within_the_days_an_index_holds() {
        let counts = days(&[(date!(2024 - 01 - 15), 2)]);
        let whole = DateFilter {
            from: Some(date!(0001 - 01 - 01)),
            to: Some(date!(9999 - 12 - 31)),
        };
        let periods = fold(&counts, Period::Year, &whole);
        assert_eq!(periods.len(), 500);
        assert_eq!(periods[0].label, "1700");
        assert_eq!(periods[0].start, date!(1700 - 01 - 01));
        assert_eq!(periods[499].end, date!(2199 - 12 - 31));
        assert_eq!(periods.iter().map(|p| p.count).sum::<u64>(), 2);
        let up_to = DateFilter {
            from: None,
            to: Some(date!(9999 - 12 - 31)),
        };
        let by_day = fold(&counts, Period::Day, &up_to);
        assert_eq!(by_day.first().unwrap().start, date!(2024 - 01 - 15));
        assert_eq!(by_day.last().unwrap().end, date!(2199 - 12 - 31));
        let beyond = DateFilter {
            from: Some(date!(9000 - 01 - 01)),
            to: Some(date!(9999 - 12 - 31)),
        };
        assert!(fold(&counts, Period::Month, &beyond).is_empty());
    }

    #[test]
    fn gaps_are_zero_filled_between_the_first_and_last_match() {
        let counts = days(&[(date!(2024 - 01 - 15), 2), (date!(2024 - 04 - 22), 1)]);
        let periods = fold(&counts, Period::Month, &DateFilter::default());
        let rows: Vec<(&str, u64)> = periods.iter().map(|p| (&*p.label, p.count)).collect();
        assert_eq!(
            rows,
            [
                ("2024-01", 2),
                ("2024-02", 0),
                ("2024-03", 0),
                ("2024-04", 1)
            ]
        );
        assert_eq!(periods[0].start, date!(2024 - 01 - 01));
        assert_eq!(periods[3].end, date!(2024 - 04 - 30));
    }

    #[test]
    fn a_filter_sets_the_span_and_cuts_the_ends() {
        let counts = days(&[(date!(2025 - 03 - 17), 3)]);
        let filter = DateFilter {
            from: Some(date!(2025 - 02 - 10)),
            to: Some(date!(2025 - 04 - 05)),
        };
        let periods = fold(&counts, Period::Month, &filter);
        let rows: Vec<(&str, Date, Date, u64)> = periods
            .iter()
            .map(|p| (&*p.label, p.start, p.end, p.count))
            .collect();
        assert_eq!(
            rows,
            [
                ("2025-02", date!(2025 - 02 - 10), date!(2025 - 02 - 28), 0),
                ("2025-03", date!(2025 - 03 - 01), date!(2025 - 03 - 31), 3),
                ("2025-04", date!(2025 - 04 - 01), date!(2025 - 04 - 05), 0),
            ]
        );
        assert!(fold(&BTreeMap::new(), Period::Day, &DateFilter::default()).is_empty());
    }

    #[test]
    fn bucket_keys_are_days_before_and_after_1970() {
        assert_eq!(day_of_key(&Key::F64(0.0)), Some(date!(1970 - 01 - 01)));
        assert_eq!(
            day_of_key(&Key::F64(-86_400_000.0)),
            Some(date!(1969 - 12 - 31))
        );
        assert_eq!(
            day_of_key(&Key::F64(541_296_000_000.0)),
            Some(date!(1987 - 02 - 26))
        );
        assert_eq!(day_of_key(&Key::Str("x".into())), None);
    }
}
