//! A date filter as the list of its articles, found in the date column
//! before the search: for a narrow filter, which then drives the search.
//!
//! tantivy's range over a fast field reports that it holds a tenth of the
//! archive whatever it holds, so a search of words, whose matches are
//! more, or a phrase, whose cost tantivy guesses low, walks its own
//! matches and asks the range about each. A list of the range's articles
//! has its true length: when it is the shorter, it leads, and the words'
//! and phrases' matches are sought only where the range has articles.

use std::ops::RangeInclusive;

use tantivy::query::{
    BitSetDocSet, ConstScorer, EnableScoring, Explanation, Query, Scorer, Weight,
};
use tantivy::BitSet;
use tantivy::{DateTime, DocId, DocSet, Score, SegmentReader, TantivyError};

use crate::dates::{self, DateFilter};
use crate::index::schema::{self, Fields};

/// The articles whose date is in a range (seconds, both ends included),
/// scoring 0.
#[derive(Debug, Clone)]
pub struct DateDocs {
    /// `None` when no day an index can hold is in the filter.
    range: Option<RangeInclusive<DateTime>>,
}

impl DateDocs {
    /// The articles a date filter keeps: from the first day's midnight to
    /// the last instant before the midnight after the last day. Days are
    /// taken within those an index can hold ([`dates::INDEXABLE`]); a
    /// filter outside them keeps nothing.
    pub fn of(filter: &DateFilter) -> DateDocs {
        let first = filter.from.map_or(*dates::INDEXABLE.start(), |first| {
            first.max(*dates::INDEXABLE.start())
        });
        let last = filter.to.map_or(*dates::INDEXABLE.end(), |last| {
            last.min(*dates::INDEXABLE.end())
        });
        let range = (first <= last).then(|| {
            // (The day after 2199-12-31 exists, and is stored exactly.)
            let next = last.next_day().unwrap_or(last);
            let end = schema::to_datetime(next).into_timestamp_nanos() - 1;
            schema::to_datetime(first)..=DateTime::from_timestamp_nanos(end)
        });
        DateDocs { range }
    }
}

impl Query for DateDocs {
    fn weight(&self, _scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.clone()))
    }
}

impl Weight for DateDocs {
    fn scorer(&self, reader: &SegmentReader, _boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut set = BitSet::with_max_value(reader.max_doc());
        let Some(range) = &self.range else {
            return Ok(Box::new(ConstScorer::new(BitSetDocSet::from(set), 0.0)));
        };
        let column = reader.fast_fields().date(Fields::DATE_NAME)?;
        // Within the segment's own dates: tantivy's column answers a range
        // wholly before them with every document.
        let first = (*range.start()).max(column.min_value());
        let last = (*range.end()).min(column.max_value());
        let mut docs = Vec::new();
        if column.values.num_vals() > 0 && first <= last {
            column.get_docids_for_value_range(first..=last, 0..reader.max_doc(), &mut docs);
        }
        for doc in docs {
            set.insert(doc);
        }
        Ok(Box::new(ConstScorer::new(BitSetDocSet::from(set), 0.0)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!(
                "document {doc} is not in the date range"
            )));
        }
        Ok(Explanation::new("in the date range", 0.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Article;
    use tantivy::collector::DocSetCollector;
    use tantivy::schema::Value;
    use tantivy::TantivyDocument;
    use time::macros::{date, time};

    #[test]
    fn a_filter_keeps_its_days_whole_and_nothing_else() {
        let (schema, fields) = schema::build();
        let index = tantivy::Index::create_in_ram(schema);
        schema::register_analyzers(&index);
        let mut writer: tantivy::IndexWriter =
            index.writer_with_num_threads(1, 15_000_000).unwrap();
        let dated = [
            ("before", Some((date!(2024 - 02 - 29), time!(23:59:59)))),
            ("first", Some((date!(2024 - 03 - 01), time!(00:00:00)))),
            ("last", Some((date!(2024 - 03 - 31), time!(23:59:59)))),
            ("after", Some((date!(2024 - 04 - 01), time!(00:00:00)))),
            ("undated", None),
        ];
        for (id, when) in dated {
            let mut article = Article::sample(id, "words");
            article.date = when.map(|(day, _)| day);
            article.time = when.map(|(_, at)| at);
            writer
                .add_document(schema::article_document(&fields, &article, 0, "test"))
                .unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let ids = |filter: DateFilter| {
            let mut found: Vec<String> = searcher
                .search(&DateDocs::of(&filter), &DocSetCollector)
                .unwrap()
                .into_iter()
                .map(|address| {
                    let doc: TantivyDocument = searcher.doc(address).unwrap();
                    doc.get_first(fields.id)
                        .unwrap()
                        .as_str()
                        .unwrap()
                        .to_string()
                })
                .collect();
            found.sort();
            found
        };
        let march = DateFilter {
            from: Some(date!(2024 - 03 - 01)),
            to: Some(date!(2024 - 03 - 31)),
        };
        assert_eq!(ids(march), ["first", "last"]);
        let from_march = DateFilter {
            from: Some(date!(2024 - 03 - 01)),
            to: None,
        };
        assert_eq!(ids(from_march), ["after", "first", "last"]);
        let to_march = DateFilter {
            from: None,
            to: Some(date!(2024 - 03 - 31)),
        };
        assert_eq!(ids(to_march), ["before", "first", "last"]);
        // A range wholly before or after the articles' days.
        let april = DateFilter {
            from: Some(date!(2024 - 04 - 02)),
            to: Some(date!(2024 - 04 - 30)),
        };
        assert!(ids(april).is_empty());
        let january = DateFilter {
            from: Some(date!(2024 - 01 - 01)),
            to: Some(date!(2024 - 01 - 31)),
        };
        assert!(ids(january).is_empty());
        // Days before any an index can hold: nothing, and no overflow.
        let year_one = DateFilter {
            from: None,
            to: Some(date!(0001 - 12 - 31)),
        };
        assert!(ids(year_one).is_empty());
    }
}
