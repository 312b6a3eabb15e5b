//! The index schema, defined once: field names, how each is analysed and
//! stored, and the conversions between [`Article`] and tantivy documents.

use tantivy::schema::{
    DateOptions, DateTimePrecision, Field, IndexRecordOption, Schema, TantivyDocument,
    TextFieldIndexing, TextOptions, Value, STORED, STRING,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    TextAnalyzer,
};
use tantivy::DateTime;
use time::{Date, Time};

use crate::article::Article;

/// Name under which [`english_analyzer`] is registered with each index.
pub const ENGLISH: &str = "dateline_en";

/// How much more a word in the headline counts than one in the body.
pub const HEADLINE_BOOST: f32 = 2.0;

const ID: &str = "id";
const PATH: &str = "path";
const DATE: &str = "date";
const HEADLINE: &str = "headline";
const BODY: &str = "body";

/// The fields of the schema, by role.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Stable article id; raw (untokenised) so it can be looked up and replaced.
    pub id: Field,
    /// Where the article's file is; raw, for lookups by path.
    pub path: Field,
    /// The day the article ran: indexed for range filters, fast for sorting.
    pub date: Field,
    pub headline: Field,
    pub body: Field,
}

impl Fields {
    /// The date field's name, for APIs that take fast fields by name.
    pub const DATE_NAME: &'static str = DATE;

    /// The searchable text fields and their names as users type them in
    /// field-scoped queries (`headline:word`).
    pub fn text_fields(&self) -> [(&'static str, Field); 2] {
        [(HEADLINE, self.headline), (BODY, self.body)]
    }

    /// Finds the fields in an existing index's schema.
    pub fn find_in(schema: &Schema) -> Result<Fields, String> {
        let field = |name: &str| {
            schema
                .get_field(name)
                .map_err(|_| format!("its schema has no '{name}' field"))
        };
        Ok(Fields {
            id: field(ID)?,
            path: field(PATH)?,
            date: field(DATE)?,
            headline: field(HEADLINE)?,
            body: field(BODY)?,
        })
    }
}

/// Builds the schema of a new index.
pub fn build() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let text = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(ENGLISH)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
        .set_stored();
    let date = DateOptions::default()
        .set_indexed()
        .set_fast()
        .set_stored()
        .set_precision(DateTimePrecision::Seconds);
    let fields = Fields {
        id: builder.add_text_field(ID, STRING | STORED),
        path: builder.add_text_field(PATH, STRING | STORED),
        date: builder.add_date_field(DATE, date),
        headline: builder.add_text_field(HEADLINE, text.clone()),
        body: builder.add_text_field(BODY, text),
    };
    (builder.build(), fields)
}

/// English analysis for headline and body: split on non-alphanumerics,
/// lowercase, fold accents to ASCII (`Café` → `cafe`), stem (`talks` → `talk`).
/// Queries and highlighting go through the same analyzer, so a snippet marks
/// exactly the words that matched.
pub fn english_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// The index document for an article.
pub fn to_document(fields: &Fields, article: &Article) -> TantivyDocument {
    let mut doc = TantivyDocument::new();
    doc.add_text(fields.id, &article.id);
    doc.add_text(fields.path, &article.path);
    if let Some(date) = article.date {
        let time = article.time.unwrap_or(Time::MIDNIGHT);
        doc.add_date(
            fields.date,
            DateTime::from_utc(date.with_time(time).assume_utc()),
        );
    }
    doc.add_text(fields.headline, &article.headline);
    doc.add_text(fields.body, &article.body);
    doc
}

/// The article stored in an index document.
pub fn to_article(fields: &Fields, doc: &TantivyDocument) -> Article {
    let text = |field: Field| {
        doc.get_first(field)
            .and_then(|value| value.as_str().map(str::to_string))
            .unwrap_or_default()
    };
    let stored = doc
        .get_first(fields.date)
        .and_then(|value| value.as_datetime())
        .map(|at| at.into_primitive());
    Article {
        id: text(fields.id),
        path: text(fields.path),
        date: stored.map(|at| at.date()),
        time: stored
            .map(|at| at.time())
            .filter(|time| *time != Time::MIDNIGHT),
        headline: text(fields.headline),
        body: text(fields.body),
    }
}

/// Midnight UTC of a day, as the index stores dates.
pub fn to_datetime(date: Date) -> DateTime {
    DateTime::from_utc(date.midnight().assume_utc())
}

pub fn from_datetime(datetime: DateTime) -> Date {
    datetime.into_utc().date()
}
