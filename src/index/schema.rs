//! The index schema, defined once: field names, how each is analysed and
//! stored, and the conversions between [`Article`] and tantivy documents.

use std::ops::Range;

use tantivy::schema::{
    DateOptions, DateTimePrecision, Field, IndexRecordOption, Schema, TantivyDocument,
    TextFieldIndexing, TextOptions, Value, FAST, INDEXED, STORED, STRING,
};
use tantivy::store::{Compressor, ZstdCompressor};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DateTime, IndexSettings};
use time::{Date, Time};

use super::similarity::{Signature, SIGNATURE_WORDS};
use crate::article::{Article, Metadata, Tag};

/// Name under which [`english_analyzer`] is registered with each index.
pub const ENGLISH: &str = "dateline_en";

/// Name under which [`folding_analyzer`] is registered with each index.
pub const FOLDING: &str = "dateline_fold";

/// How much more a word in the headline counts than one in the body, on top
/// of counting in the whole article ([`Fields::body`] holds the headline
/// too): a headline word is counted twice, once in each.
pub const HEADLINE_BOOST: f32 = 1.0;

const ID: &str = "id";
/// The [`Signature`]'s eight words, one fast field each.
const MINHASH: [&str; SIGNATURE_WORDS] = [
    "minhash0", "minhash1", "minhash2", "minhash3", "minhash4", "minhash5", "minhash6", "minhash7",
];
const PATH: &str = "path";
const DATE: &str = "date";
const HEADLINE: &str = "headline";
const BODY: &str = "body";
const HEADLINE_WORDS: &str = "headline_words";
const BODY_WORDS: &str = "body_words";
const BODY_START: &str = "body_start";
const TEXT: &str = "text";
const QUOTED: &str = "quoted";
const QUOTED_WORDS: &str = "quoted_words";
const QUOTED_SPANS: &str = "quoted_spans";
const KIND: &str = "kind";
const CONTENT: &str = "content";
const SOURCE: &str = "source";
const SOURCE_SIZE: &str = "source_size";
const SOURCE_MODIFIED: &str = "source_modified";
const SOURCE_HASH: &str = "source_hash";
const FILE_ID: &str = "file_id";
const AUTHOR: &str = "author";
const OUTLET: &str = "outlet";
const SECTION: &str = "section";
const TAG: &str = "tag";
const TAGS: &str = "tags";
const AUTHOR_KEY: &str = "author_key";
const OUTLET_KEY: &str = "outlet_key";
const SECTION_KEY: &str = "section_key";
const TAG_KEY: &str = "tag_key";
const URL: &str = "url";
const LANGUAGE: &str = "language";

/// What an index document stands for. Only articles are searched; the others
/// are bookkeeping that must be committed together with the articles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    /// An article, searchable.
    Article = 0,
    /// Another copy of an article indexed elsewhere (same headline and body):
    /// its id and path, no text.
    Duplicate = 1,
    /// The record of a file that was read: its fingerprint. Added after all
    /// the file's other documents, so a file with a record in a commit has
    /// all its documents in that commit.
    File = 2,
    /// A member of an archive read whole while the archive itself is not
    /// yet: committed with the member's articles, so that a run stopped
    /// (or killed) inside a large archive is resumed after the members it
    /// committed. Its `source` is the archive's, its `file_id` the
    /// member's name after it, and `source_size`/`source_modified` what
    /// the archive was when the member was read. Deleted when the
    /// archive's record is written.
    Member = 3,
}

impl DocKind {
    /// The number stored in the `kind` field.
    pub fn code(self) -> u64 {
        self as u64
    }
}

/// What a file was when it was indexed: how the next run tells whether it
/// changed. Kept in the file's [`DocKind::File`] record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    /// The file's absolute path (an archive's, for its members).
    pub source: String,
    /// The file's size in bytes.
    pub size: u64,
    /// Modification time, in nanoseconds since the Unix epoch.
    pub modified: i64,
    /// xxh3 hash of the file's bytes.
    pub hash: u64,
}

/// The fields of the schema, by role.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Stable article id; raw (untokenised) so it can be looked up and replaced.
    pub id: Field,
    /// Where the article's file is; raw, for lookups by path.
    pub path: Field,
    /// The day the article ran: indexed for range filters, fast for sorting.
    pub date: Field,
    /// The headline: English analysis, positions, stored.
    pub headline: Field,
    /// The whole article: its headline, then the body's own words
    /// ([`Article::own_words`]: without what it quotes), as two values (a
    /// phrase cannot run from one into the other); English analysis,
    /// positions, not stored (the body is stored whole in
    /// [`Fields::text`]). Plain words are ranked by it and the headline;
    /// `body:` searches its positions from [`Fields::body_start`] on.
    pub body: Field,
    /// The position in [`Fields::body`] where the body's own words start,
    /// past the headline's: fast, for `body:` searches.
    pub body_start: Field,
    /// The headline's words as written (lowercased, accents folded, not
    /// stemmed), documents only: what a prefix (`negotiat*`) is matched
    /// against, since a stem can be shorter than the word (`negoti`) or
    /// stand for words that do not start with the prefix (`stock` for
    /// `stocks*`).
    pub headline_words: Field,
    /// The body's own words as written, as [`Fields::headline_words`].
    pub body_words: Field,
    /// The body as written, quotes and all: stored only. What an article
    /// shows, and what its snippets are cut from.
    pub text: Field,
    /// What the body quotes ([`Article::quoted`]), each quote a value:
    /// English analysis, positions, not stored. What `quoted:` searches.
    pub quoted: Field,
    /// The quoted words as written, as [`Fields::headline_words`].
    pub quoted_words: Field,
    /// Where the quotes are in [`Fields::text`]: the start and end (bytes)
    /// of each range of [`Article::quoted`], in order, stored.
    pub quoted_spans: Field,
    /// A [`DocKind`] code; indexed and fast.
    pub kind: Field,
    /// Hash of an article's normalised headline and body: finds duplicates.
    pub content: Field,
    /// The file a document came from (its absolute path): every document
    /// has one, so a file's documents can be deleted together.
    pub source: Field,
    /// The rest of a [`Fingerprint`], on the file's record only.
    pub source_size: Field,
    /// The file's modification time, on its record.
    pub source_modified: Field,
    /// The xxh3 hash of the file's bytes, on its record.
    pub source_hash: Field,
    /// On a file's record: the id it was walked under (ids of its articles
    /// derive from it), so it can be read again from outside its root.
    pub file_id: Field,
    /// Who wrote it, one value each: words as written (lowercased, accents
    /// folded), positions, stored (`author:`).
    pub author: Field,
    /// Where it ran (outlets, newsgroups), as [`Fields::author`]
    /// (`source:`; `source` names the file already).
    pub outlet: Field,
    /// The section, as [`Fields::author`] (`section:`).
    pub section: Field,
    /// The tags' values, words as written, not stored (`tag:`).
    pub tag: Field,
    /// The tags as the source writes them (`place:usa`), stored only.
    pub tags: Field,
    /// Each author whole, lowercased: fast, for facets and filters.
    pub author_key: Field,
    /// Each source whole, lowercased, as [`Fields::author_key`].
    pub outlet_key: Field,
    /// The section whole, lowercased, as [`Fields::author_key`].
    pub section_key: Field,
    /// Each tag whole, lowercased, with its kind (`place:usa`, or the
    /// value of a keyword): `place:` and the other kinds match these.
    pub tag_key: Field,
    /// Where it was published, stored.
    pub url: Field,
    /// Its language, raw, stored.
    pub language: Field,
    /// The article's MinHash signature (64 bytes) as eight u64 fast fields:
    /// what stories are grouped by. Absent on short articles. (Eight
    /// columns of numbers, not a bytes column: a bytes column is a
    /// dictionary of distinct values, which every merge sorts and remaps,
    /// and every signature is distinct.)
    pub minhash: [Field; SIGNATURE_WORDS],
}

impl Fields {
    /// Fast field names, for APIs that take them by name.
    pub const DATE_NAME: &'static str = DATE;
    /// The names of [`Fields::minhash`].
    pub const MINHASH_NAMES: [&'static str; SIGNATURE_WORDS] = MINHASH;
    /// The name of [`Fields::kind`].
    pub const KIND_NAME: &'static str = KIND;
    /// The name of [`Fields::content`].
    pub const CONTENT_NAME: &'static str = CONTENT;
    /// The name of [`Fields::source`].
    pub const SOURCE_NAME: &'static str = SOURCE;
    /// The name of [`Fields::source_size`].
    pub const SOURCE_SIZE_NAME: &'static str = SOURCE_SIZE;
    /// The name of [`Fields::source_modified`].
    pub const SOURCE_MODIFIED_NAME: &'static str = SOURCE_MODIFIED;
    /// The name of [`Fields::source_hash`].
    pub const SOURCE_HASH_NAME: &'static str = SOURCE_HASH;
    /// The name of [`Fields::body_start`].
    pub const BODY_START_NAME: &'static str = BODY_START;

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
            headline_words: field(HEADLINE_WORDS)?,
            body_words: field(BODY_WORDS)?,
            body_start: field(BODY_START)?,
            text: field(TEXT)?,
            quoted: field(QUOTED)?,
            quoted_words: field(QUOTED_WORDS)?,
            quoted_spans: field(QUOTED_SPANS)?,
            kind: field(KIND)?,
            content: field(CONTENT)?,
            source: field(SOURCE)?,
            source_size: field(SOURCE_SIZE)?,
            source_modified: field(SOURCE_MODIFIED)?,
            source_hash: field(SOURCE_HASH)?,
            file_id: field(FILE_ID)?,
            author: field(AUTHOR)?,
            outlet: field(OUTLET)?,
            section: field(SECTION)?,
            tag: field(TAG)?,
            tags: field(TAGS)?,
            author_key: field(AUTHOR_KEY)?,
            outlet_key: field(OUTLET_KEY)?,
            section_key: field(SECTION_KEY)?,
            tag_key: field(TAG_KEY)?,
            url: field(URL)?,
            language: field(LANGUAGE)?,
            minhash: {
                let mut fields = [Field::from_field_id(0); SIGNATURE_WORDS];
                for (field, name) in fields.iter_mut().zip(MINHASH) {
                    *field = field_of(schema, name)?;
                }
                fields
            },
        })
    }
}

fn field_of(schema: &Schema, name: &str) -> Result<Field, String> {
    schema
        .get_field(name)
        .map_err(|_| format!("its schema has no '{name}' field"))
}

/// How a new index stores documents. News text compresses about three to
/// one with zstd against well under two with tantivy's default lz4, and the
/// stored text is most of an index: this keeps an index smaller than the
/// archive it was made from. Blocks of 32 KiB compress better than the
/// default 16 KiB and still decompress in microseconds for a snippet.
pub fn index_settings() -> IndexSettings {
    IndexSettings {
        docstore_compression: Compressor::Zstd(ZstdCompressor {
            compression_level: Some(3),
        }),
        docstore_blocksize: 32 * 1024,
        ..IndexSettings::default()
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
    let searched = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(ENGLISH)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let words = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(FOLDING)
            .set_index_option(IndexRecordOption::Basic),
    );
    let named = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(FOLDING)
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
        headline: builder.add_text_field(HEADLINE, text),
        body: builder.add_text_field(BODY, searched.clone()),
        headline_words: builder.add_text_field(HEADLINE_WORDS, words.clone()),
        body_words: builder.add_text_field(BODY_WORDS, words.clone()),
        body_start: builder.add_u64_field(BODY_START, FAST),
        text: builder.add_text_field(TEXT, STORED),
        quoted: builder.add_text_field(QUOTED, searched),
        quoted_words: builder.add_text_field(QUOTED_WORDS, words),
        quoted_spans: builder.add_u64_field(QUOTED_SPANS, STORED),
        kind: builder.add_u64_field(KIND, INDEXED | FAST),
        content: builder.add_u64_field(CONTENT, INDEXED | FAST),
        source: builder.add_text_field(SOURCE, STRING | FAST),
        source_size: builder.add_u64_field(SOURCE_SIZE, FAST),
        source_modified: builder.add_i64_field(SOURCE_MODIFIED, FAST),
        source_hash: builder.add_u64_field(SOURCE_HASH, FAST),
        file_id: builder.add_text_field(FILE_ID, STORED),
        author: builder.add_text_field(AUTHOR, named.clone()),
        outlet: builder.add_text_field(OUTLET, named.clone()),
        section: builder.add_text_field(SECTION, named.clone()),
        tag: builder.add_text_field(
            TAG,
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(FOLDING)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            ),
        ),
        tags: builder.add_text_field(TAGS, STORED),
        author_key: builder.add_text_field(AUTHOR_KEY, STRING | FAST),
        outlet_key: builder.add_text_field(OUTLET_KEY, STRING | FAST),
        section_key: builder.add_text_field(SECTION_KEY, STRING | FAST),
        tag_key: builder.add_text_field(TAG_KEY, STRING | FAST),
        url: builder.add_text_field(URL, STORED),
        language: builder.add_text_field(LANGUAGE, STRING | STORED),
        minhash: MINHASH.map(|name| builder.add_u64_field(name, FAST)),
    };
    (builder.build(), fields)
}

/// Where the second value of [`Fields::body`] starts when its first is
/// `headline`: tantivy places a value's words one position past the end of
/// the one before (its last word's position, plus one), so the body's
/// first word stands at the headline's last position plus 2, or at 1 when
/// the headline has no word. The positions are the tokenizer's, which
/// stemming and folding do not change ([`crate::index::analyzer::positions`]).
pub fn body_start(headline: &str) -> u64 {
    let mut positions = crate::index::analyzer::positions();
    let mut stream = positions.token_stream(headline);
    let mut last = None;
    while let Some(token) = stream.next() {
        last = Some(token.position as u64);
    }
    last.map_or(1, |position| position + 2)
}

/// English analysis for headline and body (see [`crate::index::analyzer`]).
pub fn english_analyzer() -> TextAnalyzer {
    crate::index::analyzer::english()
}

/// The analyser for prefixes: as [`english_analyzer`], without stemming.
pub fn folding_analyzer() -> TextAnalyzer {
    crate::index::analyzer::folding()
}

/// Registers the analysers the schema's fields name with `index`.
pub fn register_analyzers(index: &tantivy::Index) {
    let tokenizers = index.tokenizers();
    tokenizers.register(ENGLISH, english_analyzer());
    tokenizers.register(FOLDING, folding_analyzer());
}

/// An empty index of this schema in memory, its analysers registered: for
/// unit tests of what reads and writes documents.
#[cfg(test)]
pub fn in_ram() -> (tantivy::Index, Fields) {
    let (schema, fields) = build();
    let index = tantivy::Index::create_in_ram(schema);
    register_analyzers(&index);
    (index, fields)
}

/// A document of `kind` from the file `source`.
fn document(fields: &Fields, kind: DocKind, source: &str) -> TantivyDocument {
    let mut doc = TantivyDocument::new();
    doc.add_u64(fields.kind, kind.code());
    doc.add_text(fields.source, source);
    doc
}

/// The record of a file that was read, whatever it held; `id` is the id the
/// walk gave the file.
pub fn file_document(fields: &Fields, file: &Fingerprint, id: &str) -> TantivyDocument {
    let mut doc = document(fields, DocKind::File, &file.source);
    doc.add_text(fields.file_id, id);
    doc.add_u64(fields.source_size, file.size);
    doc.add_i64(fields.source_modified, file.modified);
    doc.add_u64(fields.source_hash, file.hash);
    doc
}

/// The record of a member of an archive read whole (see
/// [`DocKind::Member`]): `member` is what its stored path has after the
/// archive's; `size` and `modified` are the archive's.
pub fn member_document(
    fields: &Fields,
    source: &str,
    member: &str,
    size: u64,
    modified: i64,
) -> TantivyDocument {
    let mut doc = document(fields, DocKind::Member, source);
    doc.add_text(fields.file_id, member);
    doc.add_u64(fields.source_size, size);
    doc.add_i64(fields.source_modified, modified);
    doc
}

/// The record of a copy of an article that is indexed under another id.
pub fn duplicate_document(
    fields: &Fields,
    article: &Article,
    content: u64,
    source: &str,
) -> TantivyDocument {
    let mut doc = document(fields, DocKind::Duplicate, source);
    doc.add_text(fields.id, &article.id);
    doc.add_text(fields.path, &article.path);
    doc.add_u64(fields.content, content);
    doc
}

/// The index document for an article.
pub fn article_document(
    fields: &Fields,
    article: &Article,
    content: u64,
    source: &str,
) -> TantivyDocument {
    let mut doc = document(fields, DocKind::Article, source);
    doc.add_u64(fields.content, content);
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
    doc.add_text(fields.headline_words, &article.headline);
    let own = article.own_words();
    doc.add_text(fields.body, &article.headline);
    doc.add_text(fields.body, &own);
    doc.add_u64(fields.body_start, body_start(&article.headline));
    doc.add_text(fields.body_words, &own);
    doc.add_text(fields.text, &article.body);
    if let Some(signature) = Signature::of(&article.headline, &own) {
        for (field, word) in fields.minhash.iter().zip(signature.words()) {
            doc.add_u64(*field, word);
        }
    }
    for quote in article.quotes() {
        doc.add_text(fields.quoted, quote);
        doc.add_text(fields.quoted_words, quote);
    }
    for range in &article.quoted {
        doc.add_u64(fields.quoted_spans, range.start as u64);
        doc.add_u64(fields.quoted_spans, range.end as u64);
    }
    let meta = &article.meta;
    // Each keyword once per article, so a facet counts an article once
    // for a value its source lists twice (`Sci.Space, sci.space`).
    let mut keys: Vec<(Field, String)> = Vec::new();
    let mut add_key = |doc: &mut TantivyDocument, field: Field, value: &str| {
        let value = key(value);
        if !keys.iter().any(|(f, v)| *f == field && *v == value) {
            doc.add_text(field, &value);
            keys.push((field, value));
        }
    };
    for author in &meta.authors {
        doc.add_text(fields.author, author);
        add_key(&mut doc, fields.author_key, author);
    }
    for outlet in &meta.sources {
        doc.add_text(fields.outlet, outlet);
        add_key(&mut doc, fields.outlet_key, outlet);
    }
    if let Some(section) = &meta.section {
        doc.add_text(fields.section, section);
        add_key(&mut doc, fields.section_key, section);
    }
    for tag in &meta.tags {
        doc.add_text(fields.tag, &tag.value);
        doc.add_text(fields.tags, tag.to_string());
        add_key(&mut doc, fields.tag_key, &tag.to_string());
    }
    if let Some(url) = &meta.url {
        doc.add_text(fields.url, url);
    }
    if let Some(language) = &meta.language {
        doc.add_text(fields.language, key(language));
    }
    doc
}

/// A value as its keyword field holds it: lowercased, runs of white
/// space made one space. Filters and `place:`-style queries compare
/// with this.
pub fn key(value: &str) -> String {
    value
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The id stored on a file's record.
pub fn file_id(fields: &Fields, record: &TantivyDocument) -> Option<String> {
    record
        .get_first(fields.file_id)
        .and_then(|value| value.as_str().map(str::to_string))
}

/// The article stored in an index document.
pub fn to_article(fields: &Fields, doc: &TantivyDocument) -> Article {
    let text = |field: Field| {
        doc.get_first(field)
            .and_then(|value| value.as_str().map(str::to_string))
            .unwrap_or_default()
    };
    let all = |field: Field| -> Vec<String> {
        doc.get_all(field)
            .filter_map(|value| value.as_str().map(str::to_string))
            .collect()
    };
    let meta = Metadata {
        authors: all(fields.author),
        sources: all(fields.outlet),
        section: all(fields.section).into_iter().next(),
        tags: all(fields.tags).iter().map(|tag| Tag::parse(tag)).collect(),
        url: all(fields.url).into_iter().next(),
        language: all(fields.language).into_iter().next(),
    };
    let stored = doc
        .get_first(fields.date)
        .and_then(|value| value.as_datetime())
        .map(|at| at.into_primitive());
    let body = text(fields.text);
    let spans: Vec<u64> = doc
        .get_all(fields.quoted_spans)
        .filter_map(|value| value.as_u64())
        .collect();
    Article {
        id: text(fields.id),
        path: text(fields.path),
        date: stored.map(|at| at.date()),
        time: stored
            .map(|at| at.time())
            .filter(|time| *time != Time::MIDNIGHT),
        headline: text(fields.headline),
        quoted: quoted_ranges(&body, &spans),
        body,
        meta,
    }
}

/// The quoted ranges of `body` from their stored starts and ends; ranges
/// that do not fit the body (in order, apart, on its characters' edges)
/// are left out, so a damaged document can never cut a character in two.
fn quoted_ranges(body: &str, spans: &[u64]) -> Vec<Range<usize>> {
    let mut ranges: Vec<Range<usize>> = Vec::with_capacity(spans.len() / 2);
    for pair in spans.chunks_exact(2) {
        let (Ok(start), Ok(end)) = (usize::try_from(pair[0]), usize::try_from(pair[1])) else {
            continue;
        };
        let fits = start < end
            && end <= body.len()
            && body.is_char_boundary(start)
            && body.is_char_boundary(end)
            && ranges.last().is_none_or(|last| last.end <= start);
        if fits {
            ranges.push(start..end);
        }
    }
    ranges
}

/// The hash that tells two articles apart: of the headline and body with
/// case and runs of white space ignored.
pub fn content_hash(article: &Article) -> u64 {
    let mut normal = String::with_capacity(article.headline.len() + article.body.len() + 2);
    for text in [&article.headline, &article.body] {
        for word in text.split_whitespace() {
            if word.is_ascii() {
                let start = normal.len();
                normal.push_str(word);
                normal[start..].make_ascii_lowercase();
            } else {
                normal.extend(word.chars().flat_map(char::to_lowercase));
            }
            normal.push(' ');
        }
        normal.push('\n');
    }
    // The day it ran is part of what an article is: a brief that ran on
    // four days is four articles, each counted on its own day (the time
    // of day is not: a re-filing the same day is a copy).
    if let Some(date) = article.date {
        normal.push_str(&crate::dates::Iso(date).to_string());
    }
    xxhash_rust::xxh3::xxh3_64(normal.as_bytes())
}

/// Midnight UTC of a day, as the index stores dates.
pub fn to_datetime(date: Date) -> DateTime {
    DateTime::from_utc(date.midnight().assume_utc())
}

/// The (UTC) day of an indexed date.
pub fn from_datetime(datetime: DateTime) -> Date {
    datetime.into_utc().date()
}

#[cfg(test)]
// Byte ranges of text, one to a list, are the values these tests compare.
#[allow(clippy::single_range_in_vec_init)]
mod tests {
    use super::*;
    use tantivy::collector::Count;
    use tantivy::query::TermQuery;
    use tantivy::Term;

    #[test]
    fn an_article_keeps_its_quotes_apart_and_comes_back_whole() {
        let body = "In article <1@x> jdoe@x (Jane Doe) writes:\n>Koresh will come out.\n\nHe did not; Waco burned.";
        let mut article = Article::sample("news/reply", body);
        article.quoted = vec![0..66];
        assert_eq!(article.quotes().collect::<Vec<_>>(), [&body[..66]]);
        let (index, fields) = in_ram();
        let mut writer = index.writer_with_num_threads(1, 15 << 20).unwrap();
        let content = content_hash(&article);
        writer
            .add_document(article_document(&fields, &article, content, "/news/reply"))
            .unwrap();
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let count = |field: Field, word: &str| {
            let term = Term::from_field_text(field, word);
            searcher
                .search(&TermQuery::new(term, IndexRecordOption::Basic), &Count)
                .unwrap()
        };
        // Own words in `body`, quoted ones in `quoted`, stemmed; as
        // written in the `_words` fields.
        assert_eq!(
            (count(fields.body, "waco"), count(fields.body, "koresh")),
            (1, 0)
        );
        assert_eq!(
            (count(fields.quoted, "koresh"), count(fields.quoted, "waco")),
            (1, 0)
        );
        assert_eq!(
            count(fields.quoted, "articl"),
            1,
            "the attribution is quoted"
        );
        assert_eq!(
            (
                count(fields.body_words, "burned"),
                count(fields.body_words, "will")
            ),
            (1, 0)
        );
        assert_eq!(count(fields.quoted_words, "will"), 1);

        let address = searcher
            .search(&all_articles(&fields), &tantivy::collector::DocSetCollector)
            .unwrap()
            .into_iter()
            .next()
            .unwrap();
        let doc: TantivyDocument = searcher.doc(address).unwrap();
        assert_eq!(to_article(&fields, &doc), article);
    }

    fn all_articles(fields: &Fields) -> TermQuery {
        TermQuery::new(
            Term::from_field_u64(fields.kind, DocKind::Article.code()),
            IndexRecordOption::Basic,
        )
    }

    #[test]
    fn stored_spans_that_do_not_fit_the_body_are_left_out() {
        let body = "> Café\nMine.";
        assert_eq!(quoted_ranges(body, &[0, 8]), [0..8]);
        // Out of order, overlapping, empty, past the end, inside `é`, odd.
        assert_eq!(quoted_ranges(body, &[8, 13, 0, 8]), [8..13]);
        assert_eq!(quoted_ranges(body, &[0, 8, 4, 10]), [0..8]);
        assert!(quoted_ranges(body, &[3, 3, 0, 99, 0, 6, 0]).is_empty());
        assert!(quoted_ranges("", &[0, 1]).is_empty());
    }
}
