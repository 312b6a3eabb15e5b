//! JSON: JSON lines (one object per line, `.jsonl`/`.ndjson`), a JSON array
//! of objects, or one JSON object; one article per object.
//!
//! ```text
//! {"id": "0001", "date": "2025-03-17", "headline": "Talks resume", "body": "First.\n\nSecond."}
//! {"title": "Rates held", "text": ["First.", "Second."], "published": "2025-03-17T09:30:00+01:00"}
//! ```
//!
//! The shape is decided by content: text starting with `[` is an array; text
//! that is one JSON value is that value (an object is one article); anything
//! else is read line by line, so that a bad line costs that line only.
//!
//! Keys are matched without regard to case, by the usual names (see
//! [`HEADLINE_KEYS`] and the others), unless `--field` names the key
//! (exactly) for a part. Dates keep the local day and time written: the
//! offset of `2025-03-17T23:30:00-05:00` is dropped, not applied, so the
//! article belongs to 17 March, the day it ran where it was published.
//!
//! The metadata comes from the usual keys of news APIs and scrapers too
//! ([`AUTHOR_KEYS`], [`SOURCE_KEYS`], [`SECTION_KEYS`], [`TAG_KEYS`],
//! [`URL_KEYS`], [`LANGUAGE_KEYS`]), whose values may be a string, an array
//! of strings, an object naming a thing (`{"name": "BBC News"}`, NYT's
//! `{"original": "By Jane Doe"}`, the Guardian's `{"webTitle": "Politics"}`:
//! see [`NAME_KEYS`]), or an array of such objects.

use std::collections::HashMap;

use serde_json::{Map, Number, Value};
use time::{Date, OffsetDateTime, Time};

use super::metadata::names_in_byline;
use super::text::{one_line, paragraphs};
use super::{FieldMap, ParseError, Parsed, Problem};
use crate::article::{Article, Metadata, Origin, Tag};
use crate::dates;

/// Keys that hold the headline, best first.
pub const HEADLINE_KEYS: &[&str] = &["headline", "title"];
/// Keys that hold the body, best first.
pub const BODY_KEYS: &[&str] = &["body", "text", "content", "article"];
/// Keys that hold the date, best first.
pub const DATE_KEYS: &[&str] = &[
    "date",
    "published",
    "published_at",
    "pubdate",
    "datetime",
    "pub_date",
    "publish_date",
    "publication_date",
    "date_published",
];
/// Keys that hold the article's own id.
pub const ID_KEYS: &[&str] = &["id"];
/// Keys that hold the authors (bylines: `By ` is dropped), best first.
pub const AUTHOR_KEYS: &[&str] = &["author", "authors", "byline", "creator", "creators"];
/// Keys that hold the sources: the outlet, site or feed, best first.
pub const SOURCE_KEYS: &[&str] = &[
    "source",
    "publisher",
    "site",
    "outlet",
    "site_name",
    "sitename",
];
/// Keys that hold the section, best first.
pub const SECTION_KEYS: &[&str] = &["section", "category", "section_name", "sectionname"];
/// Keys that hold tags (keywords, of no kind), best first.
pub const TAG_KEYS: &[&str] = &["tags", "keywords", "subjects", "topics"];
/// Keys that hold the article's address, best first.
pub const URL_KEYS: &[&str] = &["url", "link", "web_url", "weburl"];
/// Keys that hold the article's language, best first.
pub const LANGUAGE_KEYS: &[&str] = &["language", "lang"];
/// Keys of an object that name what it stands for (an author, a source, a
/// tag), best first: `value` beside `name` is the value of a pair (NYT's
/// keywords: `{"name": "subject", "value": "Elections"}`).
pub const NAME_KEYS: &[&str] = &["value", "name", "title", "webtitle", "original"];

/// A headline taken from the body's first line is cut to about this many
/// characters, at a word boundary.
const DERIVED_HEADLINE_CHARS: usize = 200;

/// How much of an unreadable value a problem quotes.
const QUOTED_CHARS: usize = 60;

/// Reads the articles of a JSON file; see the module documentation.
pub fn parse(text: &str, origin: &Origin, fields: &FieldMap) -> Result<Parsed, ParseError> {
    let reader = Reader::new(origin, fields);
    if text.trim_start().starts_with('[') {
        return match serde_json::from_str::<Vec<Value>>(text) {
            Ok(items) => reader.items(items),
            Err(err) => reader.broken_array(text, &err),
        };
    }
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<Value>();
    if let Some(Ok(value)) = stream.next() {
        if text[stream.byte_offset()..].trim().is_empty() {
            return reader.single(value, first_line_number(text));
        }
    }
    reader.json_lines(text)
}

/// Where an object was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// Line N of JSON lines.
    Line(usize),
    /// Element N of an array.
    Item(usize),
    /// The one object of the file, starting on line N.
    Whole(usize),
}

impl Place {
    fn location(self) -> String {
        match self {
            Place::Line(n) | Place::Whole(n) => format!("line {n}"),
            Place::Item(n) => format!("item {n}"),
        }
    }

    /// The key that tells this object from the file's others when it has no id.
    fn number(self) -> usize {
        match self {
            Place::Line(n) | Place::Item(n) | Place::Whole(n) => n,
        }
    }
}

struct Reader<'a> {
    origin: &'a Origin,
    fields: &'a FieldMap,
    parsed: Parsed,
    /// Id keys given so far, and where, so that no two articles share an id.
    keys: HashMap<String, Place>,
    /// Lines that held a JSON object, whether it made an article or not.
    objects: usize,
    /// Lines that held valid JSON of any kind.
    values: usize,
    /// The file's line number of the text's first line.
    first_line: usize,
}

/// What reading a JSON-lines file piece by piece keeps from one piece to
/// the next: the ids given so far, so that ids stay unique in the file.
#[derive(Debug, Default)]
pub struct SeenKeys {
    keys: HashMap<String, Place>,
}

/// Reads one piece of a JSON-lines file (whole lines, the first of which is
/// line `first_line` of the file). A piece is never refused as a whole:
/// what cannot be read is a problem of its line.
pub fn parse_piece(
    text: &str,
    first_line: usize,
    origin: &Origin,
    fields: &FieldMap,
    seen: &mut SeenKeys,
) -> Parsed {
    let mut reader = Reader::new(origin, fields);
    reader.first_line = first_line;
    reader.keys = std::mem::take(&mut seen.keys);
    reader.lines(text, false);
    seen.keys = reader.keys;
    reader.parsed
}

impl<'a> Reader<'a> {
    fn new(origin: &'a Origin, fields: &'a FieldMap) -> Reader<'a> {
        Reader {
            origin,
            fields,
            parsed: Parsed::default(),
            keys: HashMap::new(),
            objects: 0,
            values: 0,
            first_line: 1,
        }
    }

    fn problem(&mut self, place: Place, reason: String) {
        self.parsed.problems.push(Problem {
            location: place.location(),
            reason,
        });
    }

    /// A JSON array: one article per object in it.
    fn items(mut self, items: Vec<Value>) -> Result<Parsed, ParseError> {
        if items.is_empty() {
            return Err(ParseError::Malformed("an empty JSON array".into()));
        }
        for (index, item) in items.iter().enumerate() {
            let place = Place::Item(index + 1);
            match item {
                Value::Object(object) => self.add(object, place),
                other => self.problem(place, not_an_object(other)),
            }
        }
        Ok(self.parsed)
    }

    /// Text that starts like an array but is not valid JSON: often a dump cut
    /// short, with one object per line. Those lines are kept when there are
    /// any; otherwise the file is refused with the JSON error.
    fn broken_array(mut self, text: &str, err: &serde_json::Error) -> Result<Parsed, ParseError> {
        self.lines(text, true);
        if self.objects == 0 {
            return Err(ParseError::Malformed(format!("invalid JSON array: {err}")));
        }
        if self.parsed.problems.is_empty() {
            let reason = format!(
                "the JSON array is broken ({err}); the objects in it were read line by line"
            );
            self.problem(Place::Line(err.line()), reason);
        }
        Ok(self.parsed)
    }

    /// A file that is one JSON value.
    fn single(mut self, value: Value, line: usize) -> Result<Parsed, ParseError> {
        let Value::Object(object) = value else {
            return Err(ParseError::Malformed(format!(
                "expected JSON objects (one per line, in an array, or one), found {}",
                kind(&value)
            )));
        };
        match self.article(&object, Place::Whole(line)) {
            Ok(article) => {
                self.parsed.articles.push(article);
                Ok(self.parsed)
            }
            Err(reason) => match wrapped_items(object) {
                // `{"status": "ok", "articles": [{…}, {…}]}`, as news APIs answer.
                Some(items) => self.items(items),
                None => Err(ParseError::Malformed(reason)),
            },
        }
    }

    /// JSON lines. Refused as a whole only when it is plainly not JSON lines:
    /// an object spread over several lines (pretty-printed) that is broken,
    /// or text with no JSON in it at all that does not even start with `{`.
    fn json_lines(mut self, text: &str) -> Result<Parsed, ParseError> {
        self.lines(text, false);
        let first = text.trim_start();
        let spread_out = first.lines().next().is_some_and(|line| line.trim() == "{");
        let not_json = self.values == 0 && !first.starts_with('{');
        if self.objects == 0 && (spread_out || not_json) {
            return Err(ParseError::Malformed(document_error(text)));
        }
        if self.parsed.articles.is_empty() && self.parsed.problems.is_empty() {
            return Err(ParseError::Malformed("no JSON objects".into()));
        }
        Ok(self.parsed)
    }

    /// Reads one object per line. `in_array`: the lines are those of an
    /// array, so `[` and `]` around the objects and a `,` after each are
    /// dropped.
    fn lines(&mut self, text: &str, in_array: bool) {
        let mut first = true;
        for (index, line) in text.lines().enumerate() {
            let line = if in_array {
                array_line(line, first)
            } else {
                line.trim()
            };
            if line.is_empty() {
                continue;
            }
            first = false;
            let place = Place::Line(index + self.first_line);
            match serde_json::from_str::<Value>(line) {
                Ok(Value::Object(object)) => {
                    self.values += 1;
                    self.objects += 1;
                    self.add(&object, place);
                }
                Ok(other) => {
                    self.values += 1;
                    self.problem(place, not_an_object(&other));
                }
                Err(err) => self.problem(place, format!("invalid JSON: {}", line_error(&err))),
            }
        }
    }

    /// Adds the article of one of several objects, or says why there is none.
    fn add(&mut self, object: &Map<String, Value>, place: Place) {
        match self.article(object, place) {
            Ok(article) => self.parsed.articles.push(article),
            Err(reason) => self.problem(place, reason),
        }
    }

    /// The article an object holds, or why it holds none. A date that
    /// cannot be read is a problem, but the article is kept, undated.
    fn article(&mut self, object: &Map<String, Value>, place: Place) -> Result<Article, String> {
        let fields = self.fields;
        let headline = self.pick(object, fields.headline.as_deref(), HEADLINE_KEYS, text_of);
        let body = self.pick(object, fields.body.as_deref(), BODY_KEYS, text_of);
        if headline.is_none() && body.is_none() {
            return Err(format!("no headline or body ({})", key_list(object)));
        }
        let body = body.map(|body| paragraphs(&body)).unwrap_or_default();
        let headline = match headline {
            Some(headline) => one_line(&headline),
            None => headline_from(&body),
        };

        let (date, time) = match self.pick(object, fields.date.as_deref(), DATE_KEYS, present) {
            None => (None, None),
            Some(value) => match date_of(value) {
                Some((date, time)) => (Some(date), time),
                None => {
                    let reason = format!(
                        "unreadable date '{}', indexed without a date",
                        quoted(value)
                    );
                    self.problem(place, reason);
                    (None, None)
                }
            },
        };

        let id = match place {
            Place::Whole(_) => self.origin.id.clone(),
            Place::Line(_) | Place::Item(_) => {
                let key = self
                    .pick(object, fields.id.as_deref(), ID_KEYS, id_of)
                    .unwrap_or_else(|| place.number().to_string());
                let key = self.unique(key, place);
                self.origin.id_of(&key)
            }
        };
        let mut article = self.origin.article(id, date, time, headline, body);
        article.meta = self.metadata(object);
        Ok(article)
    }

    /// What an object says of its article beside its text; see the
    /// module's documentation.
    fn metadata(&self, object: &Map<String, Value>) -> Metadata {
        let fields = self.fields;
        let list = |named: &Option<String>, usual| {
            self.pick(object, named.as_deref(), usual, names_of)
                .unwrap_or_default()
        };
        let one = |named: &Option<String>, usual| {
            self.pick(object, named.as_deref(), usual, names_of)
                .and_then(|names| names.into_iter().next())
        };
        let tags = self
            .pick(object, fields.tags.as_deref(), TAG_KEYS, tag_names)
            .unwrap_or_default();
        Metadata {
            authors: list(&fields.author, AUTHOR_KEYS)
                .iter()
                .flat_map(|byline| names_in_byline(byline))
                .collect(),
            sources: list(&fields.source, SOURCE_KEYS),
            section: one(&fields.section, SECTION_KEYS),
            tags: tags.into_iter().map(Tag::keyword).collect(),
            url: one(&fields.url, URL_KEYS),
            language: one(&fields.language, LANGUAGE_KEYS),
        }
    }

    /// `key`, or when an earlier object already had it, `key-N` (N the
    /// line or item number), with a problem saying so.
    fn unique(&mut self, key: String, place: Place) -> String {
        let Some(&earlier) = self.keys.get(&key) else {
            self.keys.insert(key.clone(), place);
            return key;
        };
        let mut unique = format!("{key}-{}", place.number());
        while self.keys.contains_key(&unique) {
            unique = format!("{unique}-{}", place.number());
        }
        let reason = format!(
            "id '{key}' was already used at {}; indexed as '{}'",
            earlier.location(),
            self.origin.id_of(&unique)
        );
        self.problem(place, reason);
        self.keys.insert(unique.clone(), place);
        unique
    }

    /// The value of one part of an article: under the key `--field` names
    /// for it if it names one, else under the best of the usual keys
    /// (ignoring case) that holds a usable value. A key `--field` names for
    /// another part is not taken for this one.
    fn pick<'v, T>(
        &self,
        object: &'v Map<String, Value>,
        named: Option<&str>,
        usual: &[&str],
        read: impl Fn(&'v Value) -> Option<T>,
    ) -> Option<T> {
        if let Some(key) = named {
            return object.get(key).and_then(read);
        }
        let mut best: Option<(usize, T)> = None;
        for (key, value) in object {
            let Some(rank) = usual.iter().position(|name| key.eq_ignore_ascii_case(name)) else {
                continue;
            };
            if best.as_ref().is_some_and(|(best, _)| *best <= rank) || self.is_named(key) {
                continue;
            }
            if let Some(found) = read(value) {
                best = Some((rank, found));
            }
        }
        best.map(|(_, found)| found)
    }

    fn is_named(&self, key: &str) -> bool {
        self.fields.named().any(|named| named == key)
    }
}

/// The names a metadata value gives: a string; an object's name (the
/// string under the first of [`NAME_KEYS`] it has, in any case); or the
/// strings and objects' names in an array. Trimmed, blanks left out;
/// `None` when there are none.
fn names_of(value: &Value) -> Option<Vec<String>> {
    let mut names = Vec::new();
    match value {
        Value::Array(items) => names.extend(items.iter().filter_map(name_of)),
        value => names.extend(name_of(value)),
    }
    (!names.is_empty()).then_some(names)
}

/// Tags: as [`names_of`] gives them, but one string is a list of them
/// separated by commas, as HTML's keywords are written (`"a, b, c"`).
fn tag_names(value: &Value) -> Option<Vec<String>> {
    let Value::String(text) = value else {
        return names_of(value);
    };
    let tags: Vec<String> = text
        .split(',')
        .map(str::trim)
        .filter(|tag| !tag.is_empty())
        .map(str::to_string)
        .collect();
    (!tags.is_empty()).then_some(tags)
}

/// The name one value gives: a string, or an object's name.
fn name_of(value: &Value) -> Option<String> {
    let name = match value {
        Value::String(text) => text.as_str(),
        Value::Object(object) => NAME_KEYS.iter().find_map(|wanted| {
            object
                .iter()
                .find(|(key, value)| key.eq_ignore_ascii_case(wanted) && value.is_string())
                .and_then(|(_, value)| value.as_str())
                .filter(|name| !name.trim().is_empty())
        })?,
        _ => return None,
    };
    Some(name.trim())
        .filter(|name| !name.is_empty())
        .map(str::to_string)
}

/// Headline or body text: a string, or an array of strings (paragraphs,
/// joined with blank lines). Other values, and blank text, are no text.
fn text_of(value: &Value) -> Option<String> {
    let text = match value {
        Value::String(text) => text.trim().to_string(),
        Value::Array(parts) => {
            let mut text = String::new();
            for part in parts.iter().filter_map(Value::as_str).map(str::trim) {
                if part.is_empty() {
                    continue;
                }
                if !text.is_empty() {
                    text.push_str("\n\n");
                }
                text.push_str(part);
            }
            text
        }
        _ => return None,
    };
    (!text.is_empty()).then_some(text)
}

/// A headline for an article that has none: the first line of its body,
/// cut at a word boundary if it is long.
fn headline_from(body: &str) -> String {
    let line = body
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty())
        .unwrap_or("");
    let Some((cut, _)) = line.char_indices().nth(DERIVED_HEADLINE_CHARS) else {
        return line.to_string();
    };
    let mut head = &line[..cut];
    if !line[cut..].starts_with(char::is_whitespace) {
        if let Some(space) = head.rfind(char::is_whitespace).filter(|&at| at > 0) {
            head = &head[..space];
        }
    }
    let trimmed =
        head.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':'));
    let head = if trimmed.is_empty() { head } else { trimmed };
    format!("{head}…")
}

/// An id: a non-blank string (trimmed) or a number.
fn id_of(value: &Value) -> Option<String> {
    match value {
        Value::String(id) => Some(id.trim())
            .filter(|id| !id.is_empty())
            .map(str::to_string),
        Value::Number(id) => Some(id.to_string()),
        _ => None,
    }
}

/// A date value worth reading: anything but `null` and blank text.
fn present(value: &Value) -> Option<&Value> {
    match value {
        Value::Null => None,
        Value::String(text) if text.trim().is_empty() => None,
        value => Some(value),
    }
}

/// The local date and time a date value names, if it can be read.
fn date_of(value: &Value) -> Option<(Date, Option<Time>)> {
    match value {
        Value::String(text) => date_of_text(text.trim()),
        Value::Number(number) => unix(unix_number(number)?),
        _ => None,
    }
}

fn date_of_text(text: &str) -> Option<(Date, Option<Time>)> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        if text.len() == 8 {
            // `20250317`: a compact day, not a moment in 1970.
            if let Some(day) = compact_day(text) {
                return Some((day, None));
            }
        }
        return unix(text.parse().ok()?);
    }
    iso(text).or_else(|| super::mail::parse_date(text))
}

/// `YYYYMMDD`.
fn compact_day(text: &str) -> Option<Date> {
    let iso = format!("{}-{}-{}", text.get(..4)?, text.get(4..6)?, text.get(6..)?);
    dates::parse_day(&iso).ok()
}

/// Seconds from a JSON number; fractions of a second are dropped.
fn unix_number(number: &Number) -> Option<i64> {
    if let Some(seconds) = number.as_i64() {
        return Some(seconds);
    }
    let seconds = number.as_f64().filter(|s| s.is_finite())?;
    (seconds.abs() < 1e18).then(|| seconds.floor() as i64)
}

/// A Unix time, in UTC. Values too large to be seconds in the next
/// thousands of years are taken as milliseconds, as JavaScript writes them.
fn unix(seconds: i64) -> Option<(Date, Option<Time>)> {
    let seconds = if seconds.unsigned_abs() >= 100_000_000_000 {
        seconds.div_euclid(1000)
    } else {
        seconds
    };
    let moment = OffsetDateTime::from_unix_timestamp(seconds).ok()?;
    Some((moment.date(), Some(moment.time())))
}

/// `YYYY-MM-DD`, or that with a time: `T` or a space, `HH:MM`, optionally
/// `:SS` and a fraction, optionally an offset (`Z`, `+01:00`, `+0100`,
/// `+01`, `UTC`, `GMT`), which is checked and dropped.
fn iso(text: &str) -> Option<(Date, Option<Time>)> {
    let date = dates::parse_day(text.get(..10)?).ok()?;
    let rest = text.get(10..)?;
    if rest.is_empty() {
        return Some((date, None));
    }
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    let hour = two_digits(rest.get(..2)?)?;
    let rest = rest.get(2..)?.strip_prefix(':')?;
    let minute = two_digits(rest.get(..2)?)?;
    let mut rest = rest.get(2..)?;
    let (mut second, mut nano) = (0, 0);
    if let Some(after) = rest.strip_prefix(':') {
        second = two_digits(after.get(..2)?)?;
        rest = after.get(2..)?;
        if let Some(after) = rest.strip_prefix(['.', ',']) {
            let len = after.bytes().take_while(u8::is_ascii_digit).count();
            if len == 0 {
                return None;
            }
            nano = after[..len]
                .bytes()
                .chain(std::iter::repeat(b'0'))
                .take(9)
                .fold(0u32, |nano, digit| nano * 10 + u32::from(digit - b'0'));
            rest = &after[len..];
        }
    }
    if !is_offset(rest.trim_start()) {
        return None;
    }
    if second == 60 {
        // A leap second: the last instant of the minute will do.
        (second, nano) = (59, 999_999_999);
    }
    let time = Time::from_hms_nano(hour, minute, second, nano).ok()?;
    Some((date, Some(time)))
}

fn is_offset(text: &str) -> bool {
    if text.is_empty()
        || ["z", "utc", "gmt"]
            .iter()
            .any(|zone| text.eq_ignore_ascii_case(zone))
    {
        return true;
    }
    let Some(offset) = text.strip_prefix(['+', '-', '−']) else {
        return false;
    };
    let (hours, minutes) = match offset.len() {
        2 => (Some(offset), Some("00")),
        4 => (offset.get(..2), offset.get(2..)),
        5 if offset.as_bytes()[2] == b':' => (offset.get(..2), offset.get(3..)),
        _ => (None, None),
    };
    matches!(
        (hours.and_then(two_digits), minutes.and_then(two_digits)),
        (Some(h), Some(m)) if h <= 23 && m <= 59
    )
}

fn two_digits(text: &str) -> Option<u8> {
    match text.as_bytes() {
        [a @ b'0'..=b'9', b @ b'0'..=b'9'] => Some((a - b'0') * 10 + (b - b'0')),
        _ => None,
    }
}

/// A value, as a problem quotes it: text as it is, other values as JSON,
/// either cut short if long.
fn quoted(value: &Value) -> String {
    let text = match value {
        Value::String(text) => text.trim().to_string(),
        other => other.to_string(),
    };
    match text.char_indices().nth(QUOTED_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn not_an_object(value: &Value) -> String {
    format!("not a JSON object but {}", kind(value))
}

/// The keys an object has, to help choose `--field` when none was known.
fn key_list(object: &Map<String, Value>) -> String {
    const SHOWN: usize = 8;
    if object.is_empty() {
        return "an empty object".into();
    }
    let mut keys: Vec<&str> = object.keys().take(SHOWN).map(String::as_str).collect();
    if object.len() > SHOWN {
        keys.push("…");
    }
    format!("keys: {}", keys.join(", "))
}

/// A serde error on a single line: its message and column (the line is known).
fn line_error(err: &serde_json::Error) -> String {
    let message = err.to_string();
    let position = format!(" at line {} column {}", err.line(), err.column());
    match message.strip_suffix(&position) {
        Some(message) => format!("{message} at column {}", err.column()),
        None => message,
    }
}

/// What is wrong with a whole text read as one JSON document.
fn document_error(text: &str) -> String {
    match serde_json::from_str::<serde::de::IgnoredAny>(text) {
        Err(err) => format!("invalid JSON: {err}"),
        Ok(_) => "no JSON objects".into(),
    }
}

/// A line of an array written one object per line: the `[` opening the
/// array (on the first line), the `]` closing it and the `,` after an
/// object are dropped.
fn array_line(line: &str, first: bool) -> &str {
    let mut line = line.trim();
    if first {
        if let Some(rest) = line.strip_prefix('[').map(str::trim_start) {
            if rest.is_empty() || rest.starts_with('{') {
                line = rest;
            }
        }
    }
    if let Some(rest) = line.strip_suffix(']').map(str::trim_end) {
        if rest.is_empty() || rest.ends_with('}') {
            line = rest;
        }
    }
    line.strip_suffix(',').map_or(line, str::trim_end)
}

/// The array of articles inside an object that holds nothing else of use:
/// the one member that is an array with objects in it.
fn wrapped_items(object: Map<String, Value>) -> Option<Vec<Value>> {
    let mut arrays = object.into_iter().filter_map(|(_, value)| match value {
        Value::Array(items) if items.iter().any(Value::is_object) => Some(items),
        _ => None,
    });
    let items = arrays.next()?;
    arrays.next().is_none().then_some(items)
}

/// The 1-based line of the first non-blank character.
fn first_line_number(text: &str) -> usize {
    let blank = text.len() - text.trim_start().len();
    1 + text[..blank].matches('\n').count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, time};

    fn origin() -> Origin {
        Origin {
            id: "feed.jsonl".into(),
            path: "/data/feed.jsonl".into(),
        }
    }

    fn read(text: &str) -> Parsed {
        parse(text, &origin(), &FieldMap::default()).unwrap()
    }

    fn read_with(text: &str, fields: FieldMap) -> Parsed {
        parse(text, &origin(), &fields).unwrap()
    }

    fn ids(parsed: &Parsed) -> Vec<&str> {
        parsed.articles.iter().map(|a| a.id.as_str()).collect()
    }

    fn problems(parsed: &Parsed) -> Vec<String> {
        parsed.problems.iter().map(Problem::to_string).collect()
    }

    /// The date and time of the one article of a JSON line with this date value.
    fn dated(value: &str) -> (Option<Date>, Option<Time>, Vec<String>) {
        let parsed = read(&format!(r#"{{"headline": "h", "date": {value}}}"#));
        let article = &parsed.articles[0];
        (article.date, article.time, problems(&parsed))
    }

    #[test]
    fn reads_json_lines_by_the_usual_keys_in_any_case() {
        let parsed = read(concat!(
            r#"{"id": "a1", "date": "2025-03-17", "headline": "Talks resume", "body": "One.\n\nTwo."}"#,
            "\n\n",
            r#"{"Title": "Rates held", "TEXT": "Body.", "pubDate": "2025-03-18"}"#,
            "\n",
            r#"{"title": "Storm", "content": "Wind.", "published_at": "2025-03-19"}"#,
            "\n",
            r#"{"title": "Ignored", "headline": "Chosen", "article": "Art.", "Published": "2025-03-20"}"#,
            "\n"
        ));
        assert_eq!(parsed.problems, []);
        assert_eq!(
            ids(&parsed),
            [
                "feed.jsonl#a1",
                "feed.jsonl#3",
                "feed.jsonl#4",
                "feed.jsonl#5"
            ]
        );
        let a = &parsed.articles[0];
        assert_eq!(
            (a.headline.as_str(), a.body.as_str()),
            ("Talks resume", "One.\n\nTwo.")
        );
        assert_eq!((a.date, a.time), (Some(date!(2025 - 03 - 17)), None));
        assert_eq!(a.path, "/data/feed.jsonl");
        let b = &parsed.articles[1];
        assert_eq!(
            (b.headline.as_str(), b.body.as_str()),
            ("Rates held", "Body.")
        );
        assert_eq!(b.date, Some(date!(2025 - 03 - 18)));
        assert_eq!(parsed.articles[2].body, "Wind.");
        assert_eq!(parsed.articles[2].date, Some(date!(2025 - 03 - 19)));
        // `headline` is preferred to `title` whatever the order of the keys.
        assert_eq!(parsed.articles[3].headline, "Chosen");
        assert_eq!(parsed.articles[3].date, Some(date!(2025 - 03 - 20)));
    }

    #[test]
    fn field_names_override_the_usual_keys() {
        let fields = FieldMap {
            id: Some("guid".into()),
            date: Some("when".into()),
            headline: Some("hed".into()),
            body: Some("title".into()),
            ..FieldMap::default()
        };
        let parsed = read_with(
            concat!(
                r#"{"guid": "g-7", "when": "2025-03-17", "hed": "The hed", "title": "The body", "date": "2001-01-01", "id": "x"}"#,
                "\n",
                // `when` missing: undated, even though `date` is there.
                r#"{"hed": "Two", "title": "Body two", "date": "2001-01-01", "headline": "not this"}"#,
                "\n",
                // `hed` missing: the headline comes from the body, not from `headline`.
                r#"{"title": "Body three", "headline": "not this"}"#,
            ),
            fields,
        );
        assert_eq!(parsed.problems, []);
        assert_eq!(
            ids(&parsed),
            ["feed.jsonl#g-7", "feed.jsonl#2", "feed.jsonl#3"]
        );
        let a = &parsed.articles[0];
        assert_eq!(
            (a.headline.as_str(), a.body.as_str()),
            ("The hed", "The body")
        );
        assert_eq!(a.date, Some(date!(2025 - 03 - 17)));
        assert_eq!(parsed.articles[1].date, None);
        assert_eq!(parsed.articles[1].headline, "Two");
        assert_eq!(parsed.articles[2].headline, "Body three");
    }

    #[test]
    fn a_key_named_for_one_part_is_not_taken_for_another() {
        let fields = FieldMap {
            headline: Some("text".into()),
            ..FieldMap::default()
        };
        let parsed = read_with(
            r#"{"text": "Short title", "body": "Real body."}"#,
            fields.clone(),
        );
        let a = &parsed.articles[0];
        assert_eq!(
            (a.headline.as_str(), a.body.as_str()),
            ("Short title", "Real body.")
        );
        // Without a body key, `text` is the headline only.
        let parsed = read_with("{\"text\": \"Only\"}\n{\"text\": \"Two\"}", fields);
        assert_eq!(parsed.articles[0].headline, "Only");
        assert_eq!(parsed.articles[0].body, "");
    }

    #[test]
    fn reads_an_array_of_objects() {
        let parsed = read(
            r#"[
              {"id": 17, "title": "First", "body": "One."},
              {"title": "Second", "body": "Two."},
              "stray",
              {"title": "Fourth", "body": "Four."}
            ]"#,
        );
        assert_eq!(
            ids(&parsed),
            ["feed.jsonl#17", "feed.jsonl#2", "feed.jsonl#4"]
        );
        assert_eq!(
            problems(&parsed),
            ["item 3: not a JSON object but a string"]
        );
        assert_eq!(parsed.articles[2].headline, "Fourth");
    }

    #[test]
    fn a_single_object_is_one_article_with_the_files_id() {
        let parsed = read("\n\n{\n  \"id\": \"ignored\",\n  \"headline\": \"Alone\",\n  \"body\": \"Text.\",\n  \"date\": \"yesterday\"\n}\n");
        assert_eq!(ids(&parsed), ["feed.jsonl"]);
        assert_eq!(parsed.articles[0].headline, "Alone");
        assert_eq!(parsed.articles[0].date, None);
        // Problems point at the line the object starts on.
        assert_eq!(
            problems(&parsed),
            ["line 3: unreadable date 'yesterday', indexed without a date"]
        );
        // A one-line JSON lines file is a single object too.
        assert_eq!(ids(&read(r#"{"id": 5, "title": "t"}"#)), ["feed.jsonl"]);
    }

    #[test]
    fn a_single_object_without_text_is_refused_with_its_keys() {
        let err = parse(
            r#"{"story": "x", "hed": "y"}"#,
            &origin(),
            &FieldMap::default(),
        )
        .unwrap_err();
        let ParseError::Malformed(message) = err else {
            panic!("{err:?}")
        };
        assert!(message.starts_with("no headline or body"), "{message}");
        assert!(
            message.contains("hed") && message.contains("story"),
            "{message}"
        );
        assert!(matches!(
            parse("\"just text\"", &origin(), &FieldMap::default()),
            Err(ParseError::Malformed(m)) if m.contains("found a string")
        ));
    }

    #[test]
    fn articles_wrapped_in_an_api_answer_are_found() {
        let parsed = read(
            r#"{"status": "ok", "totalResults": 2, "articles": [
                {"title": "One", "content": "Body one.", "publishedAt": "2025-03-17T08:00:00Z"},
                {"title": "Two", "description": "no body key"}]}"#,
        );
        assert_eq!(ids(&parsed), ["feed.jsonl#1", "feed.jsonl#2"]);
        assert_eq!(parsed.articles[1].body, "");
    }

    #[test]
    fn a_bad_line_is_reported_and_the_others_indexed() {
        let parsed = read(concat!(
            "{\"title\": \"One\", \"body\": \"a\"}\n",
            "{\"title\": \"Two\", \"body\": \n",
            "\n",
            "{\"title\": \"Four\", \"body\": \"d\"}\n",
        ));
        assert_eq!(ids(&parsed), ["feed.jsonl#1", "feed.jsonl#4"]);
        assert_eq!(parsed.problems.len(), 1);
        assert_eq!(parsed.problems[0].location, "line 2");
        assert!(
            parsed.problems[0].reason.starts_with("invalid JSON: "),
            "{:?}",
            parsed.problems
        );
        assert!(
            parsed.problems[0].reason.contains("column"),
            "{:?}",
            parsed.problems
        );
    }

    #[test]
    fn a_line_that_is_not_an_object_is_reported() {
        let parsed = read("{\"title\": \"One\"}\n[1, 2]\n42\nnull\n{\"title\": \"Five\"}\n");
        assert_eq!(ids(&parsed), ["feed.jsonl#1", "feed.jsonl#5"]);
        assert_eq!(
            problems(&parsed),
            [
                "line 2: not a JSON object but an array",
                "line 3: not a JSON object but a number",
                "line 4: not a JSON object but null",
            ]
        );
    }

    #[test]
    fn a_file_whose_every_line_failed_reports_every_line() {
        let parsed = read("{\"x\": 1}\n{\"y\": 2}\n{broken\n");
        assert_eq!(parsed.articles, []);
        assert_eq!(parsed.problems.len(), 3);
        assert_eq!(parsed.problems[0].reason, "no headline or body (keys: x)");
        assert_eq!(parsed.problems[2].location, "line 3");
    }

    #[test]
    fn text_that_is_not_json_at_all_is_refused() {
        let err = parse(
            "Ad sales boost Time Warner profit\n\nQuarterly profits",
            &origin(),
            &FieldMap::default(),
        )
        .unwrap_err();
        assert!(
            matches!(&err, ParseError::Malformed(m) if m.contains("line 1 column 1")),
            "{err:?}"
        );
        // A pretty-printed object that is broken is one error, not one per line.
        let err = parse(
            "{\n  \"title\": \"x\",\n  \"body\": \"y\"\n",
            &origin(),
            &FieldMap::default(),
        )
        .unwrap_err();
        assert!(
            matches!(&err, ParseError::Malformed(m) if m.contains("line 4")),
            "{err:?}"
        );
    }

    #[test]
    fn dates_in_every_form() {
        assert_eq!(
            dated(r#""2025-03-17""#),
            (Some(date!(2025 - 03 - 17)), None, vec![])
        );
        assert_eq!(
            dated(r#""2025-03-17T09:30:00Z""#),
            (Some(date!(2025 - 03 - 17)), Some(time!(09:30)), vec![])
        );
        // The local date and time written are kept; the offset is dropped.
        assert_eq!(
            dated(r#""2025-03-17T00:30:00+01:00""#),
            (Some(date!(2025 - 03 - 17)), Some(time!(00:30)), vec![])
        );
        assert_eq!(
            dated(r#""2025-03-17T23:30:00-05:00""#),
            (Some(date!(2025 - 03 - 17)), Some(time!(23:30)), vec![])
        );
        assert_eq!(
            dated(r#""2025-03-17 09:30:15.250+0100""#),
            (
                Some(date!(2025 - 03 - 17)),
                Some(time!(09:30:15.25)),
                vec![]
            )
        );
        assert_eq!(
            dated(r#""2025-03-17 09:30""#),
            (Some(date!(2025 - 03 - 17)), Some(time!(09:30)), vec![])
        );
        assert_eq!(
            dated(r#""2025-03-17 09:30:05""#),
            (Some(date!(2025 - 03 - 17)), Some(time!(09:30:05)), vec![])
        );
        // Unix seconds, UTC: 1742203800 is 2025-03-17 09:30:00 UTC.
        let unix = (Some(date!(2025 - 03 - 17)), Some(time!(09:30)), vec![]);
        assert_eq!(dated("1742203800"), unix);
        assert_eq!(dated(r#""1742203800""#), unix);
        assert_eq!(dated("1742203800.75"), unix);
        assert_eq!(dated("1742203800123"), unix, "milliseconds");
        assert_eq!(
            dated("0"),
            (Some(date!(1970 - 01 - 01)), Some(time!(00:00)), vec![])
        );
        assert_eq!(
            dated(r#""20250317""#),
            (Some(date!(2025 - 03 - 17)), None, vec![])
        );
        // Missing: undated, quietly.
        assert_eq!(dated("null"), (None, None, vec![]));
        assert_eq!(dated(r#""  ""#), (None, None, vec![]));
        assert_eq!(read(r#"{"headline": "h"}"#).problems, []);
    }

    #[test]
    fn an_unreadable_date_leaves_the_article_undated_with_a_problem() {
        for (value, shown) in [
            (r#""17/03/2025""#, "17/03/2025"),
            (r#""2025-02-30""#, "2025-02-30"),
            (r#""2025-03-17T25:00:00Z""#, "2025-03-17T25:00:00Z"),
            (r#""soon""#, "soon"),
            ("true", "true"),
            (r#"{"$date": 1}"#, r#"{"$date":1}"#),
        ] {
            if value.starts_with('"') && super::super::mail::parse_date(shown).is_some() {
                // `mail::parse_date` is lenient; what it reads is not unreadable.
                continue;
            }
            let (date, time, problems) = dated(value);
            assert_eq!((date, time), (None, None), "{value}");
            assert_eq!(
                problems,
                [format!(
                    "line 1: unreadable date '{shown}', indexed without a date"
                )],
                "{value}"
            );
        }
    }

    #[test]
    fn rfc_2822_dates_are_read_by_the_mail_module() {
        let text = "Mon, 17 Mar 2025 09:30:00 +0100";
        let (date, time, problems) = dated(&format!("\"{text}\""));
        match super::super::mail::parse_date(text) {
            // Once `mail::parse_date` reads RFC 2822 dates:
            Some(expected) => {
                assert_eq!((date, time), (Some(expected.0), expected.1));
                assert_eq!(date, Some(date!(2025 - 03 - 17)));
                assert_eq!(problems, Vec::<String>::new());
            }
            // Until then, the article is still indexed, undated.
            None => {
                assert_eq!((date, time), (None, None));
                assert_eq!(problems.len(), 1);
            }
        }
    }

    #[test]
    fn a_missing_headline_is_the_first_line_of_the_body() {
        let parsed =
            read(r#"{"body": "\n  Markets rally as rates fall  \nSecond line.\n\nMore."}"#);
        let a = &parsed.articles[0];
        assert_eq!(a.headline, "Markets rally as rates fall");
        assert_eq!(a.body, "Markets rally as rates fall\nSecond line.\n\nMore.");

        let long = "word ".repeat(100);
        let parsed = read(&format!(r#"{{"body": "{long}"}}"#));
        let headline = &parsed.articles[0].headline;
        assert!(headline.chars().count() <= 201, "{headline}");
        assert!(headline.ends_with("word…"), "{headline}");
        let unbroken = "x".repeat(300);
        let parsed = read(&format!(r#"{{"body": "{unbroken}"}}"#));
        assert_eq!(parsed.articles[0].headline, format!("{}…", "x".repeat(200)));
    }

    #[test]
    fn an_object_without_headline_or_body_is_not_indexed() {
        let parsed = read(concat!(
            "{\"title\": \"One\"}\n",
            "{\"title\": \"  \", \"body\": [], \"summary\": \"s\"}\n",
            "{\"title\": 42, \"body\": {\"x\": 1}}\n",
            "{}\n",
        ));
        assert_eq!(ids(&parsed), ["feed.jsonl#1"]);
        assert_eq!(parsed.articles[0].body, "");
        assert_eq!(
            problems(&parsed),
            [
                "line 2: no headline or body (keys: body, summary, title)",
                "line 3: no headline or body (keys: body, title)",
                "line 4: no headline or body (an empty object)",
            ]
        );
    }

    #[test]
    fn ids_come_from_strings_numbers_or_positions() {
        let parsed = read(concat!(
            "{\"id\": \"  abc  \", \"title\": \"a\"}\n",
            "{\"ID\": 12345678901, \"title\": \"b\"}\n",
            "{\"id\": \"\", \"title\": \"c\"}\n",
            "{\"id\": null, \"title\": \"d\"}\n",
            "{\"title\": \"e\"}\n",
        ));
        assert_eq!(
            ids(&parsed),
            [
                "feed.jsonl#abc",
                "feed.jsonl#12345678901",
                "feed.jsonl#3",
                "feed.jsonl#4",
                "feed.jsonl#5"
            ]
        );
    }

    #[test]
    fn a_repeated_id_is_made_unique_and_reported() {
        let parsed = read("{\"id\": 7, \"title\": \"a\"}\n{\"id\": \"7\", \"title\": \"b\"}\n{\"id\": \"7-2\", \"title\": \"c\"}\n");
        assert_eq!(
            ids(&parsed),
            ["feed.jsonl#7", "feed.jsonl#7-2", "feed.jsonl#7-2-3"]
        );
        assert_eq!(
            problems(&parsed),
            [
                "line 2: id '7' was already used at line 1; indexed as 'feed.jsonl#7-2'",
                "line 3: id '7-2' was already used at line 2; indexed as 'feed.jsonl#7-2-3'",
            ]
        );
    }

    #[test]
    fn an_array_of_strings_is_paragraphs() {
        let parsed = read(
            r#"{"headline": ["Part one", "part two"], "body": ["First.", "", 3, "Second.\r\nSame para.  "]}"#,
        );
        let a = &parsed.articles[0];
        assert_eq!(a.body, "First.\n\nSecond.\nSame para.");
        assert_eq!(a.headline, "Part one part two");
    }

    #[test]
    fn crlf_line_ends_are_fine() {
        let parsed = read("{\"title\": \"One\", \"body\": \"a\\r\\n\\r\\nb\"}\r\n\r\n{\"title\": \"Three\", \"date\": \"2025-03-17\"}\r\n");
        assert_eq!(parsed.problems, []);
        assert_eq!(ids(&parsed), ["feed.jsonl#1", "feed.jsonl#3"]);
        assert_eq!(parsed.articles[0].body, "a\n\nb");
        assert_eq!(parsed.articles[1].date, Some(date!(2025 - 03 - 17)));
    }

    #[test]
    fn a_broken_array_is_read_line_by_line_when_it_can_be() {
        let parsed = read(concat!(
            "[\n",
            "{\"title\": \"One\", \"body\": \"a\"},\n",
            "{\"title\": \"Two\", \"body\": \"b\"},\n",
            "{\"title\": \"Thr",
        ));
        assert_eq!(ids(&parsed), ["feed.jsonl#2", "feed.jsonl#3"]);
        assert_eq!(problems(&parsed).len(), 1);
        assert_eq!(parsed.problems[0].location, "line 4");

        // Cut right after a comma: nothing lost, but the breakage is reported.
        let parsed = read("[{\"title\": \"One\"},\n{\"title\": \"Two\"},\n");
        assert_eq!(ids(&parsed), ["feed.jsonl#1", "feed.jsonl#2"]);
        assert_eq!(parsed.problems.len(), 1);
        assert!(
            parsed.problems[0].reason.contains("array is broken"),
            "{:?}",
            parsed.problems
        );

        let err = parse(
            "[\n  {\n    \"title\": \"x\"\n  },\n",
            &origin(),
            &FieldMap::default(),
        )
        .unwrap_err();
        assert!(
            matches!(&err, ParseError::Malformed(m) if m.contains("line 5 column 0")),
            "{err:?}"
        );
        assert!(matches!(
            parse("[]", &origin(), &FieldMap::default()),
            Err(ParseError::Malformed(_))
        ));
    }

    /// The metadata of the one article of a JSON object.
    fn meta_of(json: &str) -> Metadata {
        let parsed = read(json);
        assert_eq!(parsed.problems, [], "{json}");
        assert_eq!(parsed.articles.len(), 1, "{json}");
        parsed.articles[0].meta.clone()
    }

    #[test]
    fn metadata_comes_from_the_usual_keys_in_any_case() {
        let meta = meta_of(
            r#"{"title": "T", "Author": "By Jane Doe", "Source": "Example News",
                "SECTION": "business", "tags": ["markets", " ", "oil"],
                "url": "https://example.com/a", "Language": "en"}"#,
        );
        assert_eq!(
            meta,
            Metadata {
                authors: vec!["Jane Doe".into()],
                sources: vec!["Example News".into()],
                section: Some("business".into()),
                tags: vec![Tag::keyword("markets"), Tag::keyword("oil")],
                url: Some("https://example.com/a".into()),
                language: Some("en".into()),
            }
        );
        let meta = meta_of(
            r#"{"headline": "T", "creators": ["Ann Lee", "Bo Ek"], "publisher": "Daily",
                "category": "sport", "keywords": "a, b,, c", "link": "https://e.com/1",
                "lang": "fr"}"#,
        );
        assert_eq!(meta.authors, ["Ann Lee", "Bo Ek"]);
        assert_eq!(meta.sources, ["Daily"]);
        assert_eq!(meta.section.as_deref(), Some("sport"));
        assert_eq!(
            meta.tags,
            [Tag::keyword("a"), Tag::keyword("b"), Tag::keyword("c")]
        );
        assert_eq!(meta.url.as_deref(), Some("https://e.com/1"));
        assert_eq!(meta.language.as_deref(), Some("fr"));
        for (key, value) in [
            ("byline", r#""BY ANN LEE AND BO EK""#),
            ("authors", r#"["Ann Lee", {"name": "Bo Ek"}]"#),
            (
                "creator",
                r#"[{"title": "Ann Lee"}, {"Name": "Bo Ek"}, 7, null]"#,
            ),
        ] {
            let meta = meta_of(&format!(r#"{{"title": "T", "{key}": {value}}}"#));
            assert_eq!(
                meta.authors,
                ["Ann Lee", "Bo Ek"]
                    .iter()
                    .map(|name| if value.contains("ANN") {
                        name.to_uppercase()
                    } else {
                        name.to_string()
                    })
                    .collect::<Vec<_>>(),
                "{key}"
            );
        }
        for key in ["site", "outlet", "site_name", "siteName"] {
            assert_eq!(
                meta_of(&format!(r#"{{"title": "T", "{key}": "S"}}"#)).sources,
                ["S"]
            );
        }
        for key in ["section_name", "sectionName"] {
            let meta = meta_of(&format!(r#"{{"title": "T", "{key}": "World"}}"#));
            assert_eq!(meta.section.as_deref(), Some("World"));
        }
        for key in ["subjects", "topics"] {
            let meta = meta_of(&format!(r#"{{"title": "T", "{key}": ["x"]}}"#));
            assert_eq!(meta.tags, [Tag::keyword("x")]);
        }
        for key in ["web_url", "webUrl"] {
            let meta = meta_of(&format!(r#"{{"title": "T", "{key}": "https://e.com"}}"#));
            assert_eq!(meta.url.as_deref(), Some("https://e.com"));
        }
        // Nothing said, nothing kept.
        assert!(meta_of(r#"{"title": "T", "author": "", "tags": [], "url": null}"#).is_empty());
    }

    #[test]
    fn metadata_in_the_shapes_news_apis_give() {
        // NewsAPI.
        let meta = meta_of(
            r#"{"source": {"id": null, "name": "BBC News"}, "author": "BBC News",
                "title": "T", "url": "https://www.bbc.co.uk/news/1",
                "publishedAt": "2025-03-17T09:30:00Z"}"#,
        );
        assert_eq!(meta.sources, ["BBC News"]);
        assert_eq!(meta.authors, ["BBC News"]);
        // The New York Times' Article Search.
        let meta = meta_of(
            r#"{"headline": {"main": "T"}, "abstract": "x", "lead_paragraph": "x",
                "web_url": "https://nyti.ms/1", "source": "The New York Times",
                "section_name": "U.S.", "byline": {"original": "By Jane Doe and John Roe",
                "person": [{"firstname": "Jane"}]}, "body": "Text.",
                "keywords": [{"name": "subject", "value": "Elections", "rank": 1},
                             {"name": "glocations", "value": "Ohio", "rank": 2}]}"#,
        );
        assert_eq!(meta.authors, ["Jane Doe", "John Roe"]);
        assert_eq!(meta.sources, ["The New York Times"]);
        assert_eq!(meta.section.as_deref(), Some("U.S."));
        assert_eq!(meta.tags, [Tag::keyword("Elections"), Tag::keyword("Ohio")]);
        assert_eq!(meta.url.as_deref(), Some("https://nyti.ms/1"));
        // The Guardian's content API.
        let meta = meta_of(
            r#"{"webTitle": "T", "webUrl": "https://gu.com/p/1", "sectionName": "Politics",
                "body": "Text.", "tags": [{"id": "politics/labour", "type": "keyword",
                "webTitle": "Labour"}, {"id": "profile/jdoe", "webTitle": "Jane Doe"}]}"#,
        );
        assert_eq!(meta.section.as_deref(), Some("Politics"));
        assert_eq!(
            meta.tags,
            [Tag::keyword("Labour"), Tag::keyword("Jane Doe")]
        );
        assert_eq!(meta.url.as_deref(), Some("https://gu.com/p/1"));
        // HuffPost's News Category Dataset.
        let meta = meta_of(
            r#"{"link": "https://huffpost.com/1", "headline": "T", "category": "CRIME",
                "short_description": "x", "authors": "Ron Dicker, Contributor", "date": "2018-05-26"}"#,
        );
        assert_eq!(meta.authors, ["Ron Dicker, Contributor"]);
        assert_eq!(meta.section.as_deref(), Some("CRIME"));
    }

    #[test]
    fn metadata_keys_leave_headline_body_and_date_alone() {
        let parsed = read(
            r#"{"title": "T", "text": "Body.", "date": "2025-03-17", "source": "Wire", "category": "world"}"#,
        );
        let a = &parsed.articles[0];
        assert_eq!((a.headline.as_str(), a.body.as_str()), ("T", "Body."));
        assert_eq!(a.date, Some(date!(2025 - 03 - 17)));
        // An object with metadata only is still no article.
        let parsed = read("{\"author\": \"A\", \"source\": \"S\"}\n{\"title\": \"T\"}");
        assert_eq!(ids(&parsed), ["feed.jsonl#2"]);
        assert_eq!(
            problems(&parsed),
            ["line 1: no headline or body (keys: author, source)"]
        );
    }

    #[test]
    fn field_names_map_metadata_keys_too() {
        let fields = FieldMap {
            author: Some("writer".into()),
            source: Some("feed".into()),
            section: Some("desk".into()),
            tags: Some("labels".into()),
            url: Some("permalink".into()),
            language: Some("locale".into()),
            ..FieldMap::default()
        };
        let parsed = read_with(
            r#"{"title": "T", "writer": "By Jo Ng", "author": "not this", "feed": ["A", "B"],
                "desk": {"name": "Metro"}, "labels": "x, y", "tags": ["not this"],
                "permalink": "https://e.com/t", "locale": "de", "section": "not this"}"#,
            fields,
        );
        let meta = &parsed.articles[0].meta;
        assert_eq!(meta.authors, ["Jo Ng"]);
        assert_eq!(meta.sources, ["A", "B"]);
        assert_eq!(meta.section.as_deref(), Some("Metro"));
        assert_eq!(meta.tags, [Tag::keyword("x"), Tag::keyword("y")]);
        assert_eq!(meta.url.as_deref(), Some("https://e.com/t"));
        assert_eq!(meta.language.as_deref(), Some("de"));

        // A key named for a part is not taken for another by its usual name.
        let fields = FieldMap {
            headline: Some("source".into()),
            ..FieldMap::default()
        };
        let parsed = read_with(r#"{"source": "The headline", "publisher": "P"}"#, fields);
        let a = &parsed.articles[0];
        assert_eq!(a.headline, "The headline");
        assert_eq!(a.meta.sources, ["P"]);
    }

    #[test]
    fn reads_a_gen_archive_feed() {
        let parsed = read(include_str!(
            "../../../tests/fixtures/formats/json/gen-archive.jsonl"
        ));
        assert_eq!(
            ids(&parsed),
            [
                "feed.jsonl#0000000",
                "feed.jsonl#0000001",
                "feed.jsonl#0000002",
                "feed.jsonl#0000004",
                "feed.jsonl#0000005"
            ]
        );
        assert_eq!(parsed.problems.len(), 1);
        assert_eq!(parsed.problems[0].location, "line 4");
        let a = &parsed.articles[0];
        assert_eq!(a.date, Some(date!(2012 - 12 - 19)));
        assert_eq!(
            a.headline,
            "Grain exporters trim wheat forecast as dry spell lingers"
        );
        assert_eq!(a.body.split("\n\n").count(), 3);
        assert!(parsed
            .articles
            .iter()
            .all(|a| a.date.is_some() && !a.body.is_empty()));
    }
}
