//! Facets: for every article a query matches, the most common values of
//! one kind of metadata (sources, authors, sections, tags, or tags of one
//! kind such as places) with how many of the articles have each. The
//! counts come from the keyword fields' fast columns (`*_key`), read by a
//! collector of our own: tantivy's terms aggregation gave the same counts
//! at up to four times the cost for common words (`benches/RESULTS.md`,
//! "Facets at a million articles").

use std::fmt;
use std::str::FromStr;

use std::collections::HashMap;
use std::sync::Arc;

use tantivy::collector::{Collector, Count, SegmentCollector, TopDocs};
use tantivy::columnar::StrColumn;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, TantivyDocument, Value};
use tantivy::{DocId, InvertedIndexReader, Score, Searcher, SegmentOrdinal, SegmentReader, Term};

use crate::article::Tag;
use crate::dates::DateFilter;
use crate::error::{InIndex, Result};
use crate::index::schema::{self, Fields};
use crate::index::ArchiveIndex;

/// How many values a facet lists unless asked otherwise.
pub const DEFAULT_FACET_SIZE: usize = 10;

/// The most values a facet may list.
pub const MAX_FACET_SIZE: usize = 1000;

/// How many of a segment's values are kept before the segments are
/// merged. A value outside one segment's top `SEGMENT_SIZE`
/// could be undercounted; with this many, only an archive of more
/// distinct values than this in one segment can be, and the result then
/// says its counts are not exact ([`Facet::exact`]).
const SEGMENT_SIZE: usize = 50_000;

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

/// Written as its name (`source`, `place`).
impl serde::Serialize for FacetKind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> serde::Deserialize<'de> for FacetKind {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<FacetKind, D::Error> {
        let name = String::deserialize(deserializer)?;
        name.parse().map_err(serde::de::Error::custom)
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
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FacetValue {
    /// The value as an article with it writes it (`sci.space`, `C. D.
    /// Tavares <cdt@rocket.sw.stratus.com>`): values that differ only in
    /// case or spacing are counted as one.
    pub value: String,
    /// Matching articles that have it.
    pub count: u64,
}

/// The most common values of one facet among the matching articles.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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

/// A search, with the facets of all its matches when `kinds` names any
/// (its time counting both): what `dateline search --facets` prints and
/// what a shard answers a coordinator.
pub fn search_with_facets(
    index: &ArchiveIndex,
    request: &super::SearchRequest,
    kinds: &[FacetKind],
    size: usize,
) -> Result<super::SearchResults> {
    let started = std::time::Instant::now();
    let mut results = super::search(index, request)?;
    if !kinds.is_empty() {
        results.facets = facets(index, &request.query, &request.filter, kinds, size)?;
        results.took = started.elapsed();
    }
    Ok(results)
}

/// The facets of the articles that match `query` and `filter` (those with
/// most of its words when none has all, as a search answers), each with at
/// most `size` values.
pub fn facets(
    index: &ArchiveIndex,
    query_text: &str,
    filter: &DateFilter,
    kinds: &[FacetKind],
    size: usize,
) -> Result<Vec<Facet>> {
    let searcher = index.reader()?.searcher();
    let query = super::matching(index, query_text, filter)?;
    let (total, facets) = count_with_facets(index, &searcher, &*query, kinds, size)?;
    if total > 0 {
        return Ok(facets);
    }
    // As a search answers when no article has every word: those with most
    // of them.
    match super::most_words_query(index, &searcher, query_text, filter)? {
        Some(query) => Ok(count_with_facets(index, &searcher, &*query, kinds, size)?.1),
        None => Ok(facets),
    }
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
    // A column is counted once however many facets read it (`tag` and
    // `place` both read the tags).
    let mut columns: Vec<(Field, String)> = Vec::new();
    let mut column_of = Vec::with_capacity(kinds.len());
    for kind in kinds {
        let field = kind.field(fields);
        let at = match columns.iter().position(|(column, _)| *column == field) {
            Some(at) => at,
            None => {
                columns.push((field, schema.get_field_name(field).to_string()));
                columns.len() - 1
            }
        };
        column_of.push(at);
    }
    let counter = ValueCounter {
        columns,
        keep: SEGMENT_SIZE.max(size),
    };
    let (total, counted) = searcher
        .search(query, &(Count, counter))
        .in_index(index.dir())?;
    let mut facets = Vec::with_capacity(kinds.len());
    for (kind, column) in kinds.iter().zip(column_of) {
        let counts = &counted.columns[column];
        let mut values: Vec<FacetValue> = counts
            .iter()
            .filter_map(|(key, &count)| {
                let value = match kind {
                    FacetKind::Kind(name) => key.strip_prefix(name)?.strip_prefix(':')?,
                    _ => key.as_str(),
                };
                Some(FacetValue {
                    value: value.to_string(),
                    count,
                })
            })
            .collect();
        values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
        let other = values.iter().skip(size).map(|value| value.count).sum();
        values.truncate(size);
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
            other,
            exact: counted.exact[column],
        });
    }
    Ok((total, facets))
}

/// Counts how many matching articles have each value of some keyword
/// columns. Each segment notes its matches in a bit set and then counts
/// into an array indexed by the column's value numbers (its dictionary's
/// ordinals), turning only the values it saw into text: no map lookup per
/// match. When most of a segment matches (a common word), it counts the
/// values of the articles that do *not* match and takes them from how many
/// articles have each value at all (the keyword's document frequency), so
/// "said" over a million articles reads a few hundred articles' values,
/// not a million.
struct ValueCounter {
    /// The keyword fields.
    columns: Vec<(Field, String)>,
    /// How many of a segment's values are kept, most common first, when
    /// it saw more (the rest are dropped and the counts marked inexact).
    keep: usize,
}

/// The values counted, per column: text to count.
struct CountedValues {
    columns: Vec<HashMap<String, u64>>,
    /// Per column, whether no segment dropped values.
    exact: Vec<bool>,
}

/// One segment's counting.
struct SegmentValueCounter {
    /// Per column, its value numbers and, in a segment without deleted
    /// articles, the keyword's postings (a segment without the column has
    /// neither).
    columns: Vec<Option<(StrColumn, Option<Arc<InvertedIndexReader>>)>>,
    /// The matching articles, a bit each.
    matched: Vec<u64>,
    max_doc: DocId,
    keep: usize,
}

impl Collector for ValueCounter {
    type Fruit = CountedValues;
    type Child = SegmentValueCounter;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentValueCounter> {
        let fast = reader.fast_fields();
        let mut columns = Vec::with_capacity(self.columns.len());
        for (field, name) in &self.columns {
            let column = match fast.str(name)? {
                Some(column) => {
                    // Document frequencies count deleted articles too.
                    let postings = if reader.has_deletes() {
                        None
                    } else {
                        Some(reader.inverted_index(*field)?)
                    };
                    Some((column, postings))
                }
                None => None,
            };
            columns.push(column);
        }
        let max_doc = reader.max_doc();
        Ok(SegmentValueCounter {
            columns,
            matched: vec![0; (max_doc as usize).div_ceil(64)],
            max_doc,
            keep: self.keep,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<SegmentValues>) -> tantivy::Result<CountedValues> {
        let mut merged = CountedValues {
            columns: vec![HashMap::new(); self.columns.len()],
            exact: vec![true; self.columns.len()],
        };
        for segment in segments {
            for (i, (values, exact)) in segment.into_iter().enumerate() {
                merged.exact[i] &= exact;
                for (value, count) in values {
                    *merged.columns[i].entry(value).or_default() += u64::from(count);
                }
            }
        }
        Ok(merged)
    }
}

/// Per column, a segment's values with their counts, and whether none was
/// dropped.
type SegmentValues = Vec<(Vec<(String, u32)>, bool)>;

impl SegmentCollector for SegmentValueCounter {
    type Fruit = SegmentValues;

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.matched[doc as usize / 64] |= 1 << (doc % 64);
    }

    fn harvest(self) -> SegmentValues {
        let count: u64 = self
            .matched
            .iter()
            .map(|bits| u64::from(bits.count_ones()))
            .sum();
        let most = count * 2 > u64::from(self.max_doc);
        self.columns
            .iter()
            .map(|column| {
                let Some((column, postings)) = column else {
                    return (Vec::new(), true);
                };
                let everyone = postings
                    .as_deref()
                    .filter(|_| most)
                    .and_then(|postings| articles_per_value(column, postings));
                let counts = match everyone {
                    Some(mut counts) => {
                        for_each_value(column, self.docs(false), |ord| {
                            counts[ord] = counts[ord].saturating_sub(1);
                        });
                        counts
                    }
                    None => {
                        let mut counts = vec![0u32; column.num_terms()];
                        for_each_value(column, self.docs(true), |ord| counts[ord] += 1);
                        counts
                    }
                };
                seen_values(column, &counts, self.keep)
            })
            .collect()
    }
}

impl SegmentValueCounter {
    /// The segment's articles that match (or, with `false`, that do not).
    fn docs(&self, matching: bool) -> impl Iterator<Item = DocId> + '_ {
        let max_doc = self.max_doc;
        self.matched
            .iter()
            .enumerate()
            .flat_map(move |(at, &word)| {
                let mut bits = if matching { word } else { !word };
                std::iter::from_fn(move || {
                    if bits == 0 {
                        return None;
                    }
                    let bit = bits.trailing_zeros();
                    bits &= bits - 1;
                    Some(at as DocId * 64 + bit)
                })
                .take_while(move |&doc| doc < max_doc)
            })
    }
}

/// Calls `each` with the value number of every value of `docs` (in
/// ascending order), reading the column a block of articles at a time.
fn for_each_value(
    column: &StrColumn,
    docs: impl Iterator<Item = DocId>,
    mut each: impl FnMut(usize),
) {
    const BLOCK: usize = 512;
    let ords = column.ords();
    let mut block = Vec::with_capacity(BLOCK);
    let (mut rows_docs, mut rows) = (Vec::new(), Vec::new());
    let mut values = Vec::new();
    let mut docs = docs.peekable();
    while docs.peek().is_some() {
        block.clear();
        block.extend(docs.by_ref().take(BLOCK));
        rows_docs.clear();
        rows.clear();
        ords.row_ids_for_docs(&block, &mut rows_docs, &mut rows);
        values.resize(rows.len(), 0);
        ords.values.get_vals(&rows, &mut values);
        for &ord in &values {
            each(ord as usize);
        }
    }
}

/// How many of a segment's articles have each value, by value number: the
/// document frequencies of the keyword's terms, which are the column's
/// values in the same order (each article has a value once). `None` if
/// the two do not line up (or cannot be read).
fn articles_per_value(column: &StrColumn, postings: &InvertedIndexReader) -> Option<Vec<u32>> {
    let mut counts = Vec::with_capacity(column.num_terms());
    let mut values = column.dictionary().stream().ok()?;
    let mut terms = postings.terms().stream().ok()?;
    while values.advance() {
        if !terms.advance() || terms.key() != values.key() {
            return None;
        }
        counts.push(terms.value().doc_freq);
    }
    (!terms.advance()).then_some(counts)
}

/// The values a segment counted, as text with their counts: at most `keep`
/// of them, the most common, and whether none was dropped.
fn seen_values(column: &StrColumn, counts: &[u32], keep: usize) -> (Vec<(String, u32)>, bool) {
    let mut seen: Vec<(u64, u32)> = counts
        .iter()
        .enumerate()
        .filter(|(_, &count)| count > 0)
        .map(|(ord, &count)| (ord as u64, count))
        .collect();
    let exact = seen.len() <= keep;
    if !exact {
        seen.select_nth_unstable_by(keep, |a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        seen.truncate(keep);
        seen.sort_unstable();
    }
    let mut values = Vec::with_capacity(seen.len());
    let mut counts = seen.iter().map(|&(_, count)| count);
    let ords: Vec<u64> = seen.iter().map(|&(ord, _)| ord).collect();
    // A value the dictionary cannot read (a damaged segment) is left out;
    // the counts of the others stand.
    let _ = column.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
        let count = counts.next().unwrap_or(0);
        values.push((String::from_utf8_lossy(bytes).into_owned(), count));
    });
    (values, exact)
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
    }

    const DOCS: [&[&str]; 7] = [
        &["oil", "place:usa"],
        &["oil"],
        &[],
        &["gold", "place:usa"],
        &["oil", "gold"],
        &["place:uk"],
        &["oil", "place:uk"],
    ];

    /// An index of one keyword column, one document per list of values, in
    /// two segments; documents with `deleted` are then deleted.
    fn keyword_index(deleted: Option<&str>) -> tantivy::Index {
        use tantivy::schema::{Schema, FAST, STRING};
        let mut builder = Schema::builder();
        let field = builder.add_text_field("key", STRING | FAST);
        let index = tantivy::Index::create_in_ram(builder.build());
        let mut writer: tantivy::IndexWriter =
            index.writer_with_num_threads(1, 15_000_000).unwrap();
        for (i, values) in DOCS.iter().enumerate() {
            let mut doc = TantivyDocument::default();
            for value in *values {
                doc.add_text(field, value);
            }
            writer.add_document(doc).unwrap();
            if i == DOCS.len() / 2 {
                writer.commit().unwrap();
            }
        }
        writer.commit().unwrap();
        if let Some(value) = deleted {
            writer.delete_term(Term::from_field_text(field, value));
            writer.commit().unwrap();
        }
        index
    }

    /// The values counted over the documents `query` matches, and whether
    /// the counts are exact.
    fn counted(
        index: &tantivy::Index,
        query: &dyn Query,
        keep: usize,
    ) -> (Vec<(String, u64)>, bool) {
        let searcher = index.reader().unwrap().searcher();
        let field = index.schema().get_field("key").unwrap();
        let counter = ValueCounter {
            columns: vec![(field, "key".to_string())],
            keep,
        };
        let counted = searcher.search(query, &counter).unwrap();
        let mut values: Vec<(String, u64)> = counted.columns[0].clone().into_iter().collect();
        values.sort();
        (values, counted.exact[0])
    }

    /// The same counted one document at a time.
    fn brute_force(wanted: impl Fn(&[&str]) -> bool) -> Vec<(String, u64)> {
        let mut counts: std::collections::BTreeMap<String, u64> = Default::default();
        for values in DOCS.iter().filter(|values| wanted(values)) {
            for value in *values {
                *counts.entry(value.to_string()).or_default() += 1;
            }
        }
        counts.into_iter().collect()
    }

    #[test]
    fn values_are_counted_once_per_matching_document() {
        use tantivy::query::AllQuery;
        let key = |index: &tantivy::Index, value: &str| {
            let field = index.schema().get_field("key").unwrap();
            TermQuery::new(
                Term::from_field_text(field, value),
                IndexRecordOption::Basic,
            )
        };
        let not = |query: TermQuery| {
            BooleanQuery::new(vec![
                (Occur::Must, Box::new(AllQuery) as Box<dyn Query>),
                (Occur::MustNot, Box::new(query)),
            ])
        };
        for deleted in [None, Some("gold")] {
            let index = keyword_index(deleted);
            assert_eq!(index.searchable_segment_ids().unwrap().len(), 2);
            let alive = |values: &[&str]| deleted.is_none_or(|gone| !values.contains(&gone));
            // All, most (counted from the ones left out), few.
            assert_eq!(
                counted(&index, &AllQuery, 100),
                (brute_force(alive), true),
                "{deleted:?}"
            );
            for value in ["oil", "place:uk", "gold", "none"] {
                let has = |values: &[&str]| alive(values) && values.contains(&value);
                let lacks = |values: &[&str]| alive(values) && !values.contains(&value);
                assert_eq!(
                    counted(&index, &key(&index, value), 100).0,
                    brute_force(has),
                    "{value}, {deleted:?}"
                );
                assert_eq!(
                    counted(&index, &not(key(&index, value)), 100).0,
                    brute_force(lacks),
                    "not {value}, {deleted:?}"
                );
            }
            // A segment of more values than it may keep keeps its most
            // common ones and says the counts are not exact.
            let (values, exact) = counted(&index, &AllQuery, 1);
            assert!(!exact);
            assert!(values.len() <= 2, "{values:?}");
        }
    }
}
