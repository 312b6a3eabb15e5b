//! Facets: for every article a query matches, the most common values of
//! one kind of metadata (sources, authors, sections, tags, or tags of one
//! kind such as places) with how many of the articles have each. The
//! counts come from tantivy's terms aggregation over the keyword fields
//! (`*_key`, fast), never from a loop over hits.

use std::fmt;
use std::str::FromStr;

use tantivy::aggregation::agg_req::{Aggregation, AggregationVariants, Aggregations};
use tantivy::aggregation::agg_result::{AggregationResult, BucketResult};
use tantivy::aggregation::bucket::{IncludeExcludeParam, TermsAggregation};
use tantivy::aggregation::{AggContextParams, AggregationCollector, Key};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, TantivyDocument, Value};
use tantivy::{Searcher, Term};

use crate::article::Tag;
use crate::dates::DateFilter;
use crate::error::{Error, InIndex, Result};
use crate::index::schema::{self, Fields};
use crate::index::ArchiveIndex;

/// How many values a facet lists unless asked otherwise.
pub const DEFAULT_FACET_SIZE: usize = 10;

/// The most values a facet may list.
pub const MAX_FACET_SIZE: usize = 1000;

/// How many of a segment's values the aggregation keeps before the
/// segments are merged. A value outside one segment's top `SEGMENT_SIZE`
/// could be undercounted; with this many, only an archive of more
/// distinct values than this in one segment can be, and the result then
/// says its counts are not exact ([`Facet::exact`]).
const SEGMENT_SIZE: u32 = 50_000;

/// What a facet counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FacetKind {
    /// Outlets, feeds, wires, newsgroups.
    Source,
    /// Authors, as the source names them.
    Author,
    /// Sections.
    Section,
    /// Every tag, written `kind:value` when it has a kind.
    Tag,
    /// The tags of one kind (`place`), their values alone (`usa`).
    Kind(&'static str),
}

impl FacetKind {
    /// Every facet's name, as `--facets` and `--split` take them.
    pub fn names() -> Vec<&'static str> {
        let mut names = vec!["source", "author", "section", "tag"];
        names.extend(Tag::KINDS);
        names
    }

    /// The name, as `--facets` takes it and JSON writes it.
    pub fn name(self) -> &'static str {
        match self {
            FacetKind::Source => "source",
            FacetKind::Author => "author",
            FacetKind::Section => "section",
            FacetKind::Tag => "tag",
            FacetKind::Kind(kind) => kind,
        }
    }

    /// The keyword field holding its values.
    fn field(self, fields: &Fields) -> Field {
        match self {
            FacetKind::Source => fields.outlet_key,
            FacetKind::Author => fields.author_key,
            FacetKind::Section => fields.section_key,
            FacetKind::Tag | FacetKind::Kind(_) => fields.tag_key,
        }
    }

    /// The term of the keyword field that an article with this value
    /// has (`value` as a facet lists it).
    pub fn term(self, fields: &Fields, value: &str) -> Term {
        let value = schema::key(value);
        let key = match self {
            FacetKind::Kind(kind) => format!("{kind}:{value}"),
            _ => value,
        };
        Term::from_field_text(self.field(fields), &key)
    }

    /// The query clause that selects articles with this value whole, in
    /// the query language: `source="sci.space"`, `place:"usa"`.
    pub fn clause(self, value: &str) -> String {
        let value = value.replace('"', "");
        match self {
            FacetKind::Kind(kind) => format!("{kind}:\"{value}\""),
            other => format!("{}=\"{value}\"", other.name()),
        }
    }
}

impl fmt::Display for FacetKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for FacetKind {
    type Err = String;

    /// `source`, `author`, `section`, `tag`, or a kind of tag (`place`).
    fn from_str(name: &str) -> Result<FacetKind, String> {
        let name = name.trim().to_ascii_lowercase();
        match name.as_str() {
            "source" => Ok(FacetKind::Source),
            "author" => Ok(FacetKind::Author),
            "section" => Ok(FacetKind::Section),
            "tag" => Ok(FacetKind::Tag),
            other => Tag::KINDS
                .into_iter()
                .find(|kind| *kind == other)
                .map(FacetKind::Kind)
                .ok_or_else(|| {
                    format!(
                        "unknown facet '{name}' (facets: {})",
                        FacetKind::names().join(", ")
                    )
                }),
        }
    }
}

/// One value of a facet and how many matching articles have it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetValue {
    /// The value as an article with it writes it (`sci.space`, `C. D.
    /// Tavares <cdt@rocket.sw.stratus.com>`): values that differ only in
    /// case or spacing are counted as one.
    pub value: String,
    /// Matching articles that have it.
    pub count: u64,
}

/// The most common values of one facet among the matching articles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facet {
    /// What is counted.
    pub kind: FacetKind,
    /// The values, most articles first (ties in the values' order).
    pub values: Vec<FacetValue>,
    /// How many values of matching articles are not listed: the sum of
    /// the counts of the values beyond the top ones.
    pub other: u64,
    /// Whether every count is exact: false only when a segment holds more
    /// distinct values than the aggregation keeps of each (50,000).
    pub exact: bool,
}

/// The facets of the articles that match `query` and `filter`, each with
/// at most `size` values.
pub fn facets(
    index: &ArchiveIndex,
    query_text: &str,
    filter: &DateFilter,
    kinds: &[FacetKind],
    size: usize,
) -> Result<Vec<Facet>> {
    let query = super::matching(index, query_text, filter)?;
    let searcher = index.reader()?.searcher();
    let (_, facets) = count_with_facets(index, &searcher, &*query, kinds, size)?;
    Ok(facets)
}

/// How many articles `query` matches, and their facets: one pass over the
/// matches.
pub(crate) fn count_with_facets(
    index: &ArchiveIndex,
    searcher: &Searcher,
    query: &dyn Query,
    kinds: &[FacetKind],
    size: usize,
) -> Result<(usize, Vec<Facet>)> {
    let size = size.clamp(1, MAX_FACET_SIZE);
    let fields = index.fields();
    let schema = index.tantivy().schema();
    let mut aggregations = Aggregations::default();
    for (i, kind) in kinds.iter().enumerate() {
        let field = schema.get_field_name(kind.field(fields)).to_string();
        let include = match kind {
            FacetKind::Kind(name) => Some(IncludeExcludeParam::Regex(format!(
                "{}:.*",
                regex_escaped(name)
            ))),
            _ => None,
        };
        let terms = TermsAggregation {
            field,
            size: Some(size as u32),
            segment_size: Some(SEGMENT_SIZE.max(size as u32)),
            show_term_doc_count_error: Some(true),
            include,
            ..TermsAggregation::default()
        };
        aggregations.insert(
            agg_name(i),
            Aggregation {
                agg: AggregationVariants::Terms(terms),
                sub_aggregation: Aggregations::default(),
            },
        );
    }
    let collector = AggregationCollector::from_aggs(aggregations, AggContextParams::default());
    let (total, results) = searcher
        .search(query, &(Count, collector))
        .in_index(index.dir())?;
    let mut facets = Vec::with_capacity(kinds.len());
    for (i, kind) in kinds.iter().enumerate() {
        let Some(result) = results.0.get(&agg_name(i)) else {
            facets.push(Facet {
                kind: *kind,
                values: Vec::new(),
                other: 0,
                exact: true,
            });
            continue;
        };
        let AggregationResult::BucketResult(BucketResult::Terms {
            buckets,
            sum_other_doc_count,
            doc_count_error_upper_bound,
        }) = result
        else {
            return Err(Error::Bug(format!(
                "the index answered a terms aggregation with {result:?}"
            )));
        };
        let mut values: Vec<FacetValue> = buckets
            .iter()
            .filter(|bucket| bucket.doc_count > 0)
            .filter_map(|bucket| {
                let Key::Str(key) = &bucket.key else {
                    return None;
                };
                let value = match kind {
                    FacetKind::Kind(name) => key.strip_prefix(name)?.strip_prefix(':')?,
                    _ => key.as_str(),
                };
                Some(FacetValue {
                    value: value.to_string(),
                    count: bucket.doc_count,
                })
            })
            .collect();
        values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
        for value in &mut values {
            if let Some(written) =
                as_written(searcher, fields, *kind, &value.value).in_index(index.dir())?
            {
                value.value = written;
            }
        }
        facets.push(Facet {
            kind: *kind,
            values,
            other: *sum_other_doc_count,
            exact: doc_count_error_upper_bound.unwrap_or(0) == 0,
        });
    }
    Ok((total, facets))
}

/// A value as an article with it writes it (`C. D. Tavares
/// <cdt@sw.stratus.com>` for the keyword `c. d. tavares
/// <cdt@sw.stratus.com>`): the keyword fields hold values lowercased.
fn as_written(
    searcher: &Searcher,
    fields: &Fields,
    kind: FacetKind,
    value: &str,
) -> tantivy::Result<Option<String>> {
    let term = TermQuery::new(kind.term(fields, value), IndexRecordOption::Basic);
    let Some((_, address)) = searcher
        .search(&term, &TopDocs::with_limit(1).order_by_score())?
        .into_iter()
        .next()
    else {
        return Ok(None);
    };
    let doc: TantivyDocument = searcher.doc(address)?;
    let stored = match kind {
        FacetKind::Source => fields.outlet,
        FacetKind::Author => fields.author,
        FacetKind::Section => fields.section,
        FacetKind::Tag | FacetKind::Kind(_) => fields.tags,
    };
    let wanted = schema::key(value);
    let found = doc
        .get_all(stored)
        .filter_map(|stored| stored.as_str())
        .map(|written| match kind {
            FacetKind::Kind(name) => written
                .strip_prefix(name)
                .and_then(|rest| rest.strip_prefix(':'))
                .unwrap_or(""),
            _ => written,
        })
        .find(|written| schema::key(written) == wanted)
        .map(str::to_string);
    Ok(found)
}

/// The query `query` restricted to articles whose `kind` is `value`.
pub(crate) fn restricted(
    query: Box<dyn Query>,
    fields: &Fields,
    kind: FacetKind,
    value: &str,
) -> Box<dyn Query> {
    let term = TermQuery::new(kind.term(fields, value), IndexRecordOption::Basic);
    Box::new(BooleanQuery::new(vec![
        (Occur::Must, query),
        (Occur::Must, Box::new(term)),
    ]))
}

fn agg_name(i: usize) -> String {
    format!("facet{i}")
}

/// A kind's name in a regular expression (they are letters, but say so).
fn regex_escaped(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            let escape = !c.is_ascii_alphanumeric();
            escape.then_some('\\').into_iter().chain([c])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facets_are_named_as_the_query_language_names_scopes() {
        assert_eq!("source".parse(), Ok(FacetKind::Source));
        assert_eq!(" Author".parse(), Ok(FacetKind::Author));
        assert_eq!("place".parse(), Ok(FacetKind::Kind("place")));
        let err = "places".parse::<FacetKind>().unwrap_err();
        assert!(err.contains("unknown facet 'places'"), "{err}");
        assert!(
            err.contains("source, author, section, tag, topic, place"),
            "{err}"
        );
        for name in FacetKind::names() {
            assert_eq!(name.parse::<FacetKind>().unwrap().name(), name);
        }
    }

    #[test]
    fn a_value_is_selected_by_a_clause_of_the_query_language() {
        assert_eq!(
            FacetKind::Source.clause("sci.space"),
            "source=\"sci.space\""
        );
        assert_eq!(FacetKind::Kind("place").clause("usa"), "place:\"usa\"");
        assert_eq!(FacetKind::Tag.clause("place:usa"), "tag=\"place:usa\"");
        assert_eq!(FacetKind::Tag.clause("oil"), "tag=\"oil\"");
        assert_eq!(regex_escaped("place"), "place");
        assert_eq!(regex_escaped("a.b"), "a\\.b");
    }
}
