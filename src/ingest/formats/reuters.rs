//! Reuters-21578 SGML: many `<REUTERS NEWID="…">` … `</REUTERS>` records a
//! file, each one article.
//!
//! ```text
//! <REUTERS TOPICS="YES" LEWISSPLIT="TRAIN" CGISPLIT="TRAINING-SET" OLDID="5544" NEWID="1">
//! <DATE>26-FEB-1987 15:01:01.79</DATE>
//! <TOPICS><D>cocoa</D></TOPICS> … <UNKNOWN>routing noise</UNKNOWN>
//! <TEXT>&#2;
//! <TITLE>BAHIA COCOA REVIEW</TITLE>
//! <DATELINE>    SALVADOR, Feb 26 - </DATELINE><BODY>Showers continued …
//! &#3;</BODY></TEXT>
//! </REUTERS>
//! ```
//!
//! The article's id is `<file id>#<NEWID>`, its date and time come from
//! `<DATE>` (hundredths dropped), its headline from `<TITLE>`, its body from
//! what follows the title inside `<TEXT>` (`<DATELINE>` and `<BODY>`, in the
//! order written, so the dateline opens the body; `<AUTHOR>` is left out).
//! `TYPE="UNPROC"` records, with neither title nor body, give their first
//! line as headline and the rest as body; `TYPE="BRIEF"` records are a title
//! alone (the `Blah blah blah.` filler after it is dropped). Entities are
//! decoded and control characters (`&#2;`, `&#3;`, …) removed.
//!
//! The metadata: every record's source is `Reuters`; the category lists
//! give tags of their kind (`<TOPICS>` topic, `<PLACES>` place, `<PEOPLE>`
//! person, `<ORGS>` org, `<EXCHANGES>` exchange, `<COMPANIES>` company), each
//! `<D>` value as written (`el-salvador`); `<AUTHOR>` gives the authors
//! (`By Jane Doe, Reuters` → `Jane Doe`); the dateline's city is a place too,
//! written as Reuters writes places (`SALVADOR, Feb 26 -` → `salvador`,
//! `NEW YORK` → `new-york`). Everything else outside `<TEXT>` (`<UNKNOWN>`
//! routing noise) is ignored.
//!
//! A record that cannot be fully read is reported as a [`Problem`] and, when
//! it has any text, indexed all the same.

use time::{Date, Time};

use super::metadata::names_in_byline;
use super::text::{join_paragraphs, one_line};
use super::{ParseError, Parsed, Problem};
use crate::article::{Metadata, Origin, Tag};

const OPEN: &str = "<REUTERS";
const CLOSE: &str = "</REUTERS>";
/// What `TYPE="BRIEF"` records carry after their title instead of a body.
const BRIEF_FILLER: &str = "Blah blah blah.";

/// The source of every record.
const SOURCE: &str = "Reuters";

/// The category lists of a record, and the kind of tag each gives.
const CATEGORIES: [(&str, &str); 6] = [
    ("TOPICS", "topic"),
    ("PLACES", "place"),
    ("PEOPLE", "person"),
    ("ORGS", "org"),
    ("EXCHANGES", "exchange"),
    ("COMPANIES", "company"),
];

/// The longest dateline city taken for a place, in characters (the
/// longest in Reuters-21578, `DALLAS/FORT WORTH AIRPORT`, has 25).
const MAX_CITY_CHARS: usize = 40;

/// Whether a file's first non-blank line opens Reuters SGML.
pub fn looks_like(first_line: &str) -> bool {
    first_line.starts_with("<!DOCTYPE lewis") || first_line.starts_with(OPEN)
}

/// Parses a Reuters-21578 SGML file: one article per `<REUTERS>` record.
pub fn parse(text: &str, origin: &Origin) -> Result<Parsed, ParseError> {
    let mut parsed = Parsed::default();
    let mut opens = Finder::new(text, OPEN, true);
    let mut closes = Finder::new(text, CLOSE, false);
    let mut position = 0;
    let mut next = opens.next_from(0);
    while let Some(start) = next {
        position += 1;
        let following = opens.next_from(start + OPEN.len());
        let limit = following.unwrap_or(text.len());
        let attrs_start = start + OPEN.len();
        let (attrs, content_start) = match text[attrs_start..limit].find('>') {
            Some(at) => (&text[attrs_start..attrs_start + at], attrs_start + at + 1),
            None => (&text[attrs_start..limit], limit),
        };
        let (content, ending) = match closes.next_from(content_start) {
            Some(close) if close < limit => (&text[content_start..close], Ending::Closed),
            _ if following.is_some() => (&text[content_start..limit], Ending::NextRecord),
            _ => (&text[content_start..limit], Ending::CutOff),
        };
        read_record(attrs, content, ending, position, origin, &mut parsed);
        next = following;
    }
    if position == 0 {
        return Err(ParseError::Malformed("no <REUTERS> record".into()));
    }
    Ok(parsed)
}

/// How a record's text ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ending {
    /// With `</REUTERS>`.
    Closed,
    /// Without `</REUTERS>`, at the next record's start.
    NextRecord,
    /// Without `</REUTERS>`, at the end of the file.
    CutOff,
}

/// Reads one record (`attrs`: the attributes of its `<REUTERS` tag,
/// `content`: what follows the tag) into an article and problems.
fn read_record(
    attrs: &str,
    content: &str,
    ending: Ending,
    position: usize,
    origin: &Origin,
    parsed: &mut Parsed,
) {
    let newid = attribute(attrs, "NEWID")
        .map(str::trim)
        .filter(|id| !id.is_empty());
    let location = match newid {
        Some(id) => format!("record NEWID={id}"),
        None => format!("record {position}"),
    };
    let problem = |reason: &str| Problem {
        location: location.clone(),
        reason: reason.to_string(),
    };

    let (headline, body) = read_text(content);
    let has_text = !headline.is_empty() || !body.is_empty();
    if ending == Ending::CutOff && !(has_text && newid.is_some()) {
        parsed.problems.push(problem(
            "cut off at the end of the file (no </REUTERS>); not indexed",
        ));
        return;
    }
    if !has_text {
        parsed.problems.push(problem("no text; not indexed"));
        return;
    }

    match ending {
        Ending::Closed => {}
        Ending::NextRecord => parsed.problems.push(problem(
            "no </REUTERS> before the next record; indexed what it has",
        )),
        Ending::CutOff => parsed.problems.push(problem(
            "cut off at the end of the file (no </REUTERS>); indexed what it has",
        )),
    }
    let key = match newid {
        Some(id) => id.to_string(),
        None => {
            parsed.problems.push(problem(
                "no NEWID attribute; keyed by its position in the file",
            ));
            position.to_string()
        }
    };
    let (date, time) = match element(content, "DATE") {
        None => {
            parsed.problems.push(problem("no <DATE>; indexed undated"));
            (None, None)
        }
        Some(element) => match parse_date(element.inner) {
            Stamp::Full(date, time) => (Some(date), Some(time)),
            Stamp::DayOnly(date) => (Some(date), None),
            Stamp::BadTime(date) => {
                parsed.problems.push(problem(&format!(
                    "unreadable time in <DATE>{}</DATE>; indexed with the day only",
                    shown(element.inner)
                )));
                (Some(date), None)
            }
            Stamp::Unreadable => {
                parsed.problems.push(problem(&format!(
                    "unreadable <DATE>{}</DATE>; indexed undated",
                    shown(element.inner)
                )));
                (None, None)
            }
        },
    };
    let mut article = origin.article(origin.id_of(&key), date, time, headline, body);
    article.meta = read_metadata(content);
    parsed.articles.push(article);
}

/// What a record says of its article beside its text: see the module's
/// documentation.
fn read_metadata(content: &str) -> Metadata {
    let mut meta = Metadata {
        sources: vec![SOURCE.to_string()],
        ..Metadata::default()
    };
    let mut add = |tag: Tag| {
        if !meta.tags.contains(&tag) {
            meta.tags.push(tag);
        }
    };
    for (name, kind) in CATEGORIES {
        if let Some(list) = element(content, name) {
            list_values(list.inner).for_each(|value| add(Tag::of(kind, value)));
        }
    }
    if let Some(dateline) = element(content, "DATELINE") {
        if let Some(place) = dateline_place(&clean(&strip_markup(dateline.inner))) {
            add(Tag::of("place", place));
        }
    }
    if let Some(author) = element(content, "AUTHOR") {
        meta.authors = byline_authors(&clean(&strip_markup(author.inner)));
    }
    meta
}

/// The `<D>` values of a category list, entities decoded, blank ones left out.
fn list_values(list: &str) -> impl Iterator<Item = String> + '_ {
    let mut from = 0;
    std::iter::from_fn(move || loop {
        let (_, attrs_start) = find_start_tag(list, "D", from)?;
        let inner_start = match list[attrs_start..].find('>') {
            Some(at) => attrs_start + at + 1,
            None => list.len(),
        };
        let (inner, end) = match list[inner_start..].find("</D>") {
            Some(at) => (&list[inner_start..inner_start + at], inner_start + at + 4),
            None => (&list[inner_start..], list.len()),
        };
        from = end;
        let value = one_line(&clean(&strip_markup(inner)));
        if !value.is_empty() {
            return Some(value);
        }
    })
}

/// The authors of an `<AUTHOR>` byline: `    By Jane Doe, Reuters` →
/// `Jane Doe`. The wire's name at the end is dropped: after a comma in any
/// of its spellings (`Reuters`, `REUTERS`, `Reuter`, `Reuters.`, and once
/// `Reutersd`), after a space only as `Reuters` (`By Anna Reuter` is
/// someone). Two names joined by `and` are two authors.
fn byline_authors(byline: &str) -> Vec<String> {
    let byline = one_line(byline);
    let mut rest = byline.as_str();
    let (before, word) = match rest.rfind([',', ' ']) {
        Some(at) => (&rest[..at + 1], &rest[at + 1..]),
        None => ("", rest),
    };
    let word = word.trim_end_matches('.').to_ascii_lowercase();
    let after_comma = before.trim_end().ends_with(',') || before.is_empty();
    let wire = word == "reuters"
        || (after_comma && word.starts_with("reuter") && word.len() <= "reutersd".len());
    if wire {
        rest = before.trim_end_matches([',', ' ']);
    }
    names_in_byline(rest)
}

/// The place a dateline names, as Reuters writes places in `<PLACES>`
/// (lower case, words joined by `-`): the text before its first comma
/// (`    SALVADOR, Feb 26 - ` → `salvador`, `NEW YORK, March 3 -` →
/// `new-york`). None when there is no comma, or what comes before it is no
/// city: empty, long, with digits (`MAR8  --     --`, price tables), or a
/// month's name.
fn dateline_place(dateline: &str) -> Option<String> {
    let (city, _) = dateline.split_once(',')?;
    // Junk before the city: `****LONDON`, `0    LONDON`.
    let city = city
        .trim_start_matches(|c: char| !c.is_alphabetic())
        .trim_end();
    let no_city = city.is_empty()
        || city.chars().count() > MAX_CITY_CHARS
        || city.contains(|c: char| c.is_ascii_digit() || c.is_control())
        || crate::dates::month_named(city.trim_end_matches('.')).is_some();
    if no_city {
        return None;
    }
    let words: Vec<String> = city.split_whitespace().map(str::to_lowercase).collect();
    Some(words.join("-"))
}

/// The headline and body of a record; both empty when it has no text.
fn read_text(content: &str) -> (String, String) {
    let Some(text) = element(content, "TEXT") else {
        // No <TEXT>: take a title and a body if they stand on their own.
        let headline = element(content, "TITLE")
            .map(|title| one_line(&clean(&strip_markup(title.inner))))
            .unwrap_or_default();
        let mut body = String::new();
        if let Some(dateline) = element(content, "DATELINE") {
            body.push_str(&clean(&strip_markup(dateline.inner)));
        }
        if let Some(inner) = element(content, "BODY") {
            body.push_str(&clean(&strip_markup(inner.inner)));
        }
        let body = paragraphs(&body, false);
        return with_headline(headline, body, None);
    };
    let brief =
        attribute(text.attrs, "TYPE").is_some_and(|kind| kind.eq_ignore_ascii_case("BRIEF"));
    let title = element(text.inner, "TITLE");
    let body_element = element(text.inner, "BODY");
    if title.is_none() && body_element.is_none() {
        // TYPE="UNPROC": raw text, first line the headline.
        let raw = clean(&strip_markup(text.inner));
        let mut lines = raw.lines();
        let headline = lines
            .by_ref()
            .map(str::trim)
            .find(|line| !line.is_empty())
            .map(one_line)
            .unwrap_or_default();
        let body = join_paragraphs(lines.map(str::trim_end)).trim().to_string();
        return (headline, body);
    }
    let (headline, rest) = match title {
        Some(title) => (
            one_line(&clean(&strip_markup(title.inner))),
            &text.inner[title.end..],
        ),
        None => (String::new(), text.inner),
    };
    let rest = clean(&strip_markup(&remove_elements(rest, "AUTHOR")));
    let body = paragraphs(&rest, brief);
    with_headline(headline, body, body_element.map(|element| element.inner))
}

/// Fills an empty headline with the first line of the body (of `<BODY>`
/// when there is one).
fn with_headline(headline: String, body: String, body_element: Option<&str>) -> (String, String) {
    if !headline.is_empty() {
        return (headline, body);
    }
    let from_element = body_element.map(|inner| clean(&strip_markup(inner)));
    let source = from_element.as_deref().unwrap_or(&body);
    let headline = source
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty())
        .map(one_line)
        .unwrap_or_default();
    (headline, body)
}

/// Lines kept, runs of blank lines collapsed to one, trimmed; `brief` drops
/// the filler line of `TYPE="BRIEF"` records.
fn paragraphs(text: &str, brief: bool) -> String {
    let lines = text
        .lines()
        .map(str::trim_end)
        .filter(|line| !(brief && line.trim() == BRIEF_FILLER));
    join_paragraphs(lines).trim().to_string()
}

/// A date's text as shown in a problem: entities decoded, controls gone.
fn shown(raw: &str) -> String {
    clean(raw).trim().to_string()
}

/// What a `<DATE>` gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stamp {
    Full(Date, Time),
    /// A day and no time at all.
    DayOnly(Date),
    /// A day, and a time that could not be read.
    BadTime(Date),
    Unreadable,
}

/// Reads `26-FEB-1987 15:01:01.79`, tolerating white space around the parts
/// and junk after the time; hundredths are dropped.
fn parse_date(raw: &str) -> Stamp {
    let text = raw.trim_start();
    let day_len = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .unwrap_or(text.len());
    let Some(date) = parse_day(&text[..day_len]) else {
        return Stamp::Unreadable;
    };
    let rest = text[day_len..].trim_start();
    let time_len = rest
        .find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.'))
        .unwrap_or(rest.len());
    let time_text = &rest[..time_len];
    if time_text.is_empty() {
        return Stamp::DayOnly(date);
    }
    match parse_time(time_text) {
        Some(time) => Stamp::Full(date, time),
        None => Stamp::BadTime(date),
    }
}

/// `26-FEB-1987` (or `2-Jun-87`).
fn parse_day(text: &str) -> Option<Date> {
    let mut parts = text.split('-');
    let (day, month, year) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let day = small_number(day)?;
    let month = crate::dates::month_named(month)?;
    let year: i32 = match year.len() {
        4 if year.bytes().all(|b| b.is_ascii_digit()) => year.parse().ok()?,
        2 => 1900 + i32::from(small_number(year)?),
        _ => return None,
    };
    Date::from_calendar_date(year, month, day).ok()
}

/// `15:01:01.79`, `15:01:01` or `15:01`.
fn parse_time(text: &str) -> Option<Time> {
    let mut parts = text.split(':');
    let hour = small_number(parts.next()?)?;
    let minute = small_number(parts.next()?)?;
    let second = match parts.next() {
        None => 0,
        Some(seconds) => {
            let (whole, fraction) = seconds.split_once('.').unwrap_or((seconds, ""));
            if !fraction.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            small_number(whole)?
        }
    };
    if parts.next().is_some() {
        return None;
    }
    Time::from_hms(hour, minute, second).ok()
}

/// One or two ASCII digits.
fn small_number(text: &str) -> Option<u8> {
    if text.is_empty() || text.len() > 2 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// An element found in a record.
#[derive(Debug, Clone, Copy)]
struct Element<'a> {
    /// The attributes in its start tag (`TYPE="BRIEF"`).
    attrs: &'a str,
    /// Its content, up to its end tag or, without one, to the end of the text.
    inner: &'a str,
    /// Where, in the text searched, it ends (after its end tag).
    end: usize,
}

/// The first `<NAME …>` … `</NAME>` in `text`.
fn element<'a>(text: &'a str, name: &str) -> Option<Element<'a>> {
    let (_, attrs_start) = find_start_tag(text, name, 0)?;
    let (attrs, inner_start) = match text[attrs_start..].find('>') {
        Some(at) => (&text[attrs_start..attrs_start + at], attrs_start + at + 1),
        None => (&text[attrs_start..], text.len()),
    };
    let close = format!("</{name}>");
    let (inner, end) = match text[inner_start..].find(&close) {
        Some(at) => (
            &text[inner_start..inner_start + at],
            inner_start + at + close.len(),
        ),
        None => (&text[inner_start..], text.len()),
    };
    Some(Element { attrs, inner, end })
}

/// The first `<NAME` at or after `from` that is a whole tag name (followed
/// by `>`, white space or the end): its start and where its attributes start.
fn find_start_tag(text: &str, name: &str, from: usize) -> Option<(usize, usize)> {
    let mut from = from;
    loop {
        let at = from + text[from..].find('<')?;
        let after = at + 1;
        if text[after..].starts_with(name) {
            let end = after + name.len();
            match text[end..].chars().next() {
                None | Some('>') => return Some((at, end)),
                Some(c) if c.is_whitespace() => return Some((at, end)),
                _ => {}
            }
        }
        from = after;
    }
}

/// `text` with every `<NAME>` … `</NAME>` element taken out.
fn remove_elements<'a>(text: &'a str, name: &str) -> std::borrow::Cow<'a, str> {
    let Some((first, _)) = find_start_tag(text, name, 0) else {
        return std::borrow::Cow::Borrowed(text);
    };
    let close = format!("</{name}>");
    let mut kept = String::with_capacity(text.len());
    let mut from = 0;
    let mut start = Some(first);
    while let Some(at) = start {
        kept.push_str(&text[from..at]);
        from = match text[at..].find(&close) {
            Some(end) => at + end + close.len(),
            None => text.len(),
        };
        start = find_start_tag(text, name, from).map(|(at, _)| at);
    }
    kept.push_str(&text[from..]);
    std::borrow::Cow::Owned(kept)
}

/// The value of attribute `name` (any case) among a start tag's attributes:
/// `NAME="value"`, `NAME='value'` or `NAME=value`.
fn attribute<'a>(attrs: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = attrs;
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            return None;
        }
        let name_len = rest
            .find(|c: char| c.is_whitespace() || c == '=')
            .unwrap_or(rest.len());
        let (attr_name, after) = rest.split_at(name_len);
        let after = after.trim_start();
        let Some(value_text) = after.strip_prefix('=') else {
            // A bare word: no value.
            rest = after;
            if name_len == 0 {
                // Defensive: skip one character so the loop always advances.
                let mut chars = rest.chars();
                chars.next();
                rest = chars.as_str();
            }
            continue;
        };
        let value_text = value_text.trim_start();
        let (value, after_value) = match value_text.chars().next() {
            Some(quote @ ('"' | '\'')) => {
                let inner = &value_text[1..];
                match inner.find(quote) {
                    Some(end) => (&inner[..end], &inner[end + 1..]),
                    None => (inner, ""),
                }
            }
            _ => {
                let end = value_text
                    .find(char::is_whitespace)
                    .unwrap_or(value_text.len());
                value_text.split_at(end)
            }
        };
        if attr_name.eq_ignore_ascii_case(name) {
            return Some(value);
        }
        rest = after_value;
    }
}

/// `text` with its tags (`<NAME …>`, `</NAME>`) taken out; a `<` that opens
/// no tag is kept.
fn strip_markup(text: &str) -> std::borrow::Cow<'_, str> {
    /// The longest tag looked for: tags here are short and on one line.
    const LONGEST_TAG: usize = 200;
    if !text.contains('<') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut kept = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('<') {
        kept.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let opens_tag = after
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!');
        let end = opens_tag
            .then(|| {
                after
                    .bytes()
                    .take(LONGEST_TAG)
                    .take_while(|&b| b != b'\n' && b != b'<')
                    .position(|b| b == b'>')
            })
            .flatten();
        match end {
            Some(end) => rest = &after[end + 1..],
            None => {
                kept.push('<');
                rest = after;
            }
        }
    }
    kept.push_str(rest);
    std::borrow::Cow::Owned(kept)
}

/// Decodes SGML entities (`&lt;`, `&gt;`, `&amp;`, `&quot;`, `&apos;`,
/// `&#N;`, `&#xN;`) and drops control characters but `\n` and `\t`. Unknown
/// or invalid entities are kept as written.
fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        push_visible(&mut out, &rest[..at]);
        let after = &rest[at + 1..];
        match entity(after) {
            Some((c, len)) => {
                if is_kept(c) {
                    out.push(c);
                }
                rest = &after[len..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    push_visible(&mut out, rest);
    out
}

/// The character an entity stands for, and its length after the `&`.
fn entity(after: &str) -> Option<(char, usize)> {
    /// Longer than any entity name looked for (`#x10FFFF`).
    const LONGEST: usize = 12;
    let end = after.bytes().take(LONGEST).position(|b| b == b';')?;
    let name = &after[..end];
    let c = match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "quot" => '"',
        "apos" => '\'',
        _ => {
            let number = name.strip_prefix('#')?;
            let (digits, radix) = match number.strip_prefix(['x', 'X']) {
                Some(hex) => (hex, 16),
                None => (number, 10),
            };
            if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
                return None;
            }
            char::from_u32(u32::from_str_radix(digits, radix).ok()?)?
        }
    };
    Some((c, end + 1))
}

fn is_kept(c: char) -> bool {
    !c.is_control() || c == '\n' || c == '\t'
}

fn push_visible(out: &mut String, text: &str) {
    if text.chars().all(is_kept) {
        out.push_str(text);
    } else {
        out.extend(text.chars().filter(|&c| is_kept(c)));
    }
}

/// Finds a pattern's occurrences left to right, remembering the last one
/// found, so that asking again from a nearby offset does not search again:
/// every byte of the text is searched at most once.
struct Finder<'a> {
    text: &'a str,
    pattern: &'a str,
    /// Whether a match must end a tag name (be followed by `>`, white space
    /// or the end).
    whole_name: bool,
    /// The searched-from offset and what was found there.
    last: Option<(usize, Option<usize>)>,
}

impl<'a> Finder<'a> {
    fn new(text: &'a str, pattern: &'a str, whole_name: bool) -> Finder<'a> {
        Finder {
            text,
            pattern,
            whole_name,
            last: None,
        }
    }

    /// The first occurrence at or after `from`.
    fn next_from(&mut self, from: usize) -> Option<usize> {
        if let Some((searched, found)) = self.last {
            match found {
                Some(at) if searched <= from && at >= from => return Some(at),
                None if searched <= from => return None,
                _ => {}
            }
        }
        let found = self.search(from);
        self.last = Some((from, found));
        found
    }

    fn search(&self, from: usize) -> Option<usize> {
        let mut from = from.min(self.text.len());
        loop {
            let at = from + self.text[from..].find(self.pattern)?;
            let end = at + self.pattern.len();
            let whole = !self.whole_name
                || match self.text[end..].chars().next() {
                    None | Some('>') => true,
                    Some(c) => c.is_whitespace(),
                };
            if whole {
                return Some(at);
            }
            from = end;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Article;
    use time::macros::{date, time};

    fn origin() -> Origin {
        Origin {
            id: "reut2-000.sgm".into(),
            path: "/data/reut2-000.sgm".into(),
        }
    }

    fn parse_str(text: &str) -> Parsed {
        parse(text, &origin()).unwrap()
    }

    fn record(attrs: &str, date: &str, text: &str) -> String {
        format!(
            "<REUTERS {attrs}>\n<DATE>{date}</DATE>\n<TOPICS><D>cocoa</D></TOPICS>\n\
             <UNKNOWN> \n&#5;&#5;&#5;C T\n&#22;&#22;&#1;f0704&#31;reute\n</UNKNOWN>\n{text}\n</REUTERS>\n"
        )
    }

    fn only(parsed: &Parsed) -> &Article {
        assert_eq!(parsed.articles.len(), 1, "{parsed:?}");
        &parsed.articles[0]
    }

    const NORMAL: &str = "<TEXT>&#2;\n<TITLE>BAHIA COCOA &lt;BCR&gt; REVIEW</TITLE>\n\
        <AUTHOR>    by A Writer, Reuters</AUTHOR>\n\
        <DATELINE>    SALVADOR, Feb 26 - </DATELINE><BODY>Showers continued throughout the week in\n\
        the Bahia cocoa zone &amp; &quot;alleviating&quot; the drought.&#127;\n\
        \x20   The dry period means&#22; the temporao will be late.\n\n\n\
        \x20   Arrivals were 155,221 bags &#x41;&#65;.\n Reuter\n&#3;</BODY></TEXT>";

    #[test]
    fn reads_a_normal_record() {
        let text = format!(
            "<!DOCTYPE lewis SYSTEM \"lewis.dtd\">\n{}",
            record(
                "TOPICS=\"YES\" LEWISSPLIT=\"TRAIN\" OLDID=\"5544\" NEWID=\"1\"",
                "26-FEB-1987 15:01:01.79",
                NORMAL
            )
        );
        let parsed = parse_str(&text);
        assert_eq!(parsed.problems, vec![]);
        let article = only(&parsed);
        assert_eq!(article.id, "reut2-000.sgm#1");
        assert_eq!(article.path, "/data/reut2-000.sgm");
        assert_eq!(article.date, Some(date!(1987 - 02 - 26)));
        assert_eq!(article.time, Some(time!(15:01:01)));
        assert_eq!(article.headline, "BAHIA COCOA <BCR> REVIEW");
        assert_eq!(
            article.body,
            "SALVADOR, Feb 26 - Showers continued throughout the week in\n\
             the Bahia cocoa zone & \"alleviating\" the drought.\n\
             \x20   The dry period means the temporao will be late.\n\n\
             \x20   Arrivals were 155,221 bags AA.\n Reuter"
        );
        assert!(!article.body.contains("Writer"));
    }

    #[test]
    fn metadata_comes_from_every_list_the_byline_and_the_dateline() {
        let text = "<REUTERS TOPICS=\"YES\" NEWID=\"1\">\n<DATE>26-FEB-1987 15:01:01.79</DATE>\n\
            <TOPICS><D>cocoa</D><D>coffee</D></TOPICS>\n\
            <PLACES><D>el-salvador</D><D>usa</D><D>usa</D><D>  </D></PLACES>\n\
            <PEOPLE><D>james-baker</D></PEOPLE>\n<ORGS><D>ec</D></ORGS>\n\
            <EXCHANGES><D>nyse</D></EXCHANGES>\n<COMPANIES><D>at&amp;t</D></COMPANIES>\n\
            <UNKNOWN> \n&#5;&#5;&#5;C T\n</UNKNOWN>\n\
            <TEXT>&#2;\n<TITLE>BAHIA COCOA REVIEW</TITLE>\n<AUTHOR>    By Jane Doe, Reuters</AUTHOR>\n\
            <DATELINE>    SALVADOR, Feb 26 - </DATELINE><BODY>Showers continued.\n&#3;</BODY></TEXT>\n</REUTERS>\n";
        let parsed = parse_str(text);
        let meta = &only(&parsed).meta;
        assert_eq!(meta.authors, ["Jane Doe"]);
        assert_eq!(meta.sources, ["Reuters"]);
        let tags: Vec<String> = meta.tags.iter().map(Tag::to_string).collect();
        assert_eq!(
            tags,
            [
                "topic:cocoa",
                "topic:coffee",
                "place:el-salvador",
                "place:usa",
                "person:james-baker",
                "org:ec",
                "exchange:nyse",
                "company:at&t",
                "place:salvador"
            ]
        );
        assert_eq!((meta.section.as_deref(), meta.url.as_deref()), (None, None));
        assert_eq!(meta.language, None);
        // The byline stays out of the body.
        assert_eq!(only(&parsed).body, "SALVADOR, Feb 26 - Showers continued.");

        // Empty lists, no byline, a dateline city among the places already.
        let text = "<REUTERS NEWID=\"2\">\n<DATE>2-MAR-1987 10:00:00.00</DATE>\n\
            <TOPICS></TOPICS><PLACES><D>hong-kong</D></PLACES><PEOPLE></PEOPLE>\n\
            <TEXT><TITLE>T</TITLE><DATELINE>    HONG KONG, March 2 -\n</DATELINE><BODY>B</BODY></TEXT>\n</REUTERS>\n";
        let parsed = parse_str(text);
        let meta = &only(&parsed).meta;
        assert_eq!(meta.authors, Vec::<String>::new());
        assert_eq!(meta.tags, [Tag::of("place", "hong-kong")]);
    }

    #[test]
    fn bylines_in_every_form_of_the_corpus() {
        for (byline, authors) in [
            ("    By Jane Doe, Reuters", &["Jane Doe"][..]),
            ("    by Jeremy Solomons, Reuters", &["Jeremy Solomons"]),
            ("    BY TED D'AFFLISIO, REUTERS", &["TED D'AFFLISIO"]),
            ("    By Patti Domm, Reuter", &["Patti Domm"]),
            ("    By Colin Brinsden, Reuters.", &["Colin Brinsden"]),
            ("    By Cal Mankowski, Reutersd", &["Cal Mankowski"]),
            ("    By Brad Schade Reuters", &["Brad Schade"]),
            ("    By Peter Torday", &["Peter Torday"]),
            ("    By Anna Reuter", &["Anna Reuter"]),
            (
                "    By STEPHEN JUKES AND PHILIP SHEHADI, REUTERS",
                &["STEPHEN JUKES", "PHILIP SHEHADI"],
            ),
            (
                "    By Jonathan Lynn and Anthony Williams",
                &["Jonathan Lynn", "Anthony Williams"],
            ),
            ("    Reuters", &[]),
            ("   ", &[]),
        ] {
            assert_eq!(byline_authors(byline), authors, "{byline:?}");
        }
    }

    #[test]
    fn the_dateline_city_is_a_place_written_as_reuters_writes_places() {
        for (dateline, place) in [
            ("    SALVADOR, Feb 26 - ", Some("salvador")),
            ("    NEW YORK, March 3 -", Some("new-york")),
            ("    SANTA CRUZ, Calif., Feb 26 -\n", Some("santa-cruz")),
            ("    New York, June 2 - ", Some("new-york")),
            ("****RIO DE JANEIRO, April 7 - ", Some("rio-de-janeiro")),
            ("0    LONDON, March 9 - ", Some("london")),
            ("    ST. LOUIS, March 4 - ", Some("st.-louis")),
            ("    WASHINGTON - ", None),
            ("MAR8  --     --", None),
            ("    APRIL 7, 1987 - ", None),
            ("    April, 1987 - ", None),
            ("us        7.8015, - ", None),
            ("   , Feb 26 - ", None),
            ("", None),
        ] {
            assert_eq!(dateline_place(dateline).as_deref(), place, "{dateline:?}");
        }
    }

    #[test]
    fn records_come_in_file_order() {
        let text = [3, 1, 2]
            .map(|id| {
                record(
                    &format!("NEWID=\"{id}\""),
                    "2-MAR-1987 10:00:00.00",
                    &format!("<TEXT><TITLE>T{id}</TITLE><BODY>B{id}</BODY></TEXT>"),
                )
            })
            .concat();
        let parsed = parse_str(&text);
        let ids: Vec<_> = parsed.articles.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(
            ids,
            ["reut2-000.sgm#3", "reut2-000.sgm#1", "reut2-000.sgm#2"]
        );
        assert_eq!(parsed.articles[2].headline, "T2");
        assert_eq!(parsed.articles[2].body, "B2");
    }

    #[test]
    fn a_date_with_leading_space_and_single_digit_day() {
        for (raw, day, time) in [
            (
                " 2-JUN-1987 09:05:07.10",
                date!(1987 - 06 - 02),
                time!(09:05:07),
            ),
            (
                "  3-MAR-1987 00:43:42.82",
                date!(1987 - 03 - 03),
                time!(00:43:42),
            ),
            (
                "3-MAR-1987  09:15:05.40",
                date!(1987 - 03 - 03),
                time!(09:15:05),
            ),
            ("2-Jun-87 09:05", date!(1987 - 06 - 02), time!(09:05:00)),
            (
                "19-October-1987 23:59:59",
                date!(1987 - 10 - 19),
                time!(23:59:59),
            ),
        ] {
            let parsed = parse_str(&record("NEWID=\"7\"", raw, NORMAL));
            assert_eq!(parsed.problems, vec![], "{raw}");
            let article = only(&parsed);
            assert_eq!(
                (article.date, article.time),
                (Some(day), Some(time)),
                "{raw}"
            );
        }
    }

    #[test]
    fn junk_after_the_time_is_ignored() {
        for raw in [
            "27-MAR-1987 00:02:59.13&#5;&#5;&#5;RM",
            "9-APR-1987 00:00:59.00    # date added by S Finch as guesswork ",
        ] {
            let parsed = parse_str(&record("NEWID=\"8\"", raw, NORMAL));
            assert_eq!(parsed.problems, vec![], "{raw}");
            let article = only(&parsed);
            assert!(article.date.is_some_and(|d| d.year() == 1987), "{raw}");
            assert_eq!(article.time.map(|t| t.second()), Some(59), "{raw}");
        }
    }

    #[test]
    fn an_unreadable_time_keeps_the_day() {
        let parsed = parse_str(&record("NEWID=\"8\"", "27-MAR-1987 25:61:00.00", NORMAL));
        let article = only(&parsed);
        assert_eq!(
            (article.date, article.time),
            (Some(date!(1987 - 03 - 27)), None)
        );
        assert_eq!(parsed.problems.len(), 1);
        assert!(
            parsed.problems[0].reason.contains("time"),
            "{:?}",
            parsed.problems
        );
        // A day alone is no problem.
        let parsed = parse_str(&record("NEWID=\"8\"", "27-MAR-1987", NORMAL));
        assert_eq!(parsed.problems, vec![]);
        assert_eq!(only(&parsed).date, Some(date!(1987 - 03 - 27)));
    }

    #[test]
    fn an_unreadable_date_is_indexed_undated() {
        for raw in [
            "31-FEB-1987 10:00:00.00",
            "yesterday",
            "26-XYZ-1987 10:00:00",
            "",
        ] {
            let parsed = parse_str(&record("NEWID=\"9\"", raw, NORMAL));
            let article = only(&parsed);
            assert_eq!((article.date, article.time), (None, None), "{raw}");
            assert_eq!(parsed.problems.len(), 1, "{raw}");
            assert_eq!(parsed.problems[0].location, "record NEWID=9");
            assert!(parsed.problems[0].reason.contains("undated"), "{raw}");
        }
        let parsed =
            parse_str("<REUTERS NEWID=\"9\">\n<TEXT><TITLE>No date</TITLE></TEXT>\n</REUTERS>\n");
        assert_eq!(only(&parsed).date, None);
        assert_eq!(parsed.problems[0].reason, "no <DATE>; indexed undated");
    }

    #[test]
    fn unproc_records_give_their_first_line_as_headline() {
        let text = "<TEXT TYPE=\"UNPROC\">&#2;\n\nFEDERAL RESERVE WEEKLY   REPORT 1 - FEB 26\n\
                    \x20   Two weeks ended Feb 25      daily avgs-mlns\n\
                    \x20Net free reserves.............644 vs.....1,337\n\n\n Reuter\n&#3;</TEXT>";
        let parsed = parse_str(&record("NEWID=\"10\"", "26-FEB-1987 15:00:00.00", text));
        assert_eq!(parsed.problems, vec![]);
        let article = only(&parsed);
        assert_eq!(article.headline, "FEDERAL RESERVE WEEKLY REPORT 1 - FEB 26");
        assert_eq!(
            article.body,
            "Two weeks ended Feb 25      daily avgs-mlns\n \
             Net free reserves.............644 vs.....1,337\n\n Reuter"
        );
    }

    #[test]
    fn brief_records_have_a_title_and_no_body() {
        let text = "<TEXT TYPE=\"BRIEF\">&#2;\n******<TITLE>ASSETS OF MONEY MARKET MUTUAL FUNDS ROSE 720.4 MLN DLRS\n\
                    </TITLE>Blah blah blah.\n&#3;\n\n</TEXT>";
        let parsed = parse_str(&record("NEWID=\"11\"", "26-FEB-1987 15:00:00.00", text));
        assert_eq!(parsed.problems, vec![]);
        let article = only(&parsed);
        assert_eq!(
            article.headline,
            "ASSETS OF MONEY MARKET MUTUAL FUNDS ROSE 720.4 MLN DLRS"
        );
        assert_eq!(article.body, "");
    }

    #[test]
    fn a_body_without_title_gives_its_first_line() {
        let text = "<TEXT>&#2;\n<DATELINE> PARIS, March 2 - </DATELINE><BODY>First line here\nsecond line\n&#3;</BODY></TEXT>";
        let parsed = parse_str(&record("NEWID=\"12\"", "2-MAR-1987 10:00:00.00", text));
        let article = only(&parsed);
        assert_eq!(article.headline, "First line here");
        assert_eq!(
            article.body,
            "PARIS, March 2 - First line here\nsecond line"
        );
    }

    #[test]
    fn a_missing_newid_keys_by_position() {
        let text = [
            record("NEWID=\"5\"", "2-MAR-1987 10:00:00.00", NORMAL),
            record("OLDID=\"77\" NEWID=\"\"", "2-MAR-1987 10:00:00.00", NORMAL),
        ]
        .concat();
        let parsed = parse_str(&text);
        assert_eq!(parsed.articles.len(), 2);
        assert_eq!(parsed.articles[1].id, "reut2-000.sgm#2");
        assert_eq!(parsed.problems.len(), 1);
        assert_eq!(parsed.problems[0].location, "record 2");
        assert!(parsed.problems[0].reason.contains("NEWID"));
    }

    #[test]
    fn a_record_without_text_is_reported_not_indexed() {
        let text = [
            record(
                "NEWID=\"5\"",
                "2-MAR-1987 10:00:00.00",
                "<TEXT>&#2;\n&#3;</TEXT>",
            ),
            record("NEWID=\"6\"", "2-MAR-1987 10:00:00.00", ""),
        ]
        .concat();
        let parsed = parse_str(&text);
        assert_eq!(parsed.articles, vec![]);
        let locations: Vec<_> = parsed
            .problems
            .iter()
            .map(|p| p.location.as_str())
            .collect();
        assert_eq!(locations, ["record NEWID=5", "record NEWID=6"]);
        assert!(parsed
            .problems
            .iter()
            .all(|p| p.reason.contains("not indexed")));
    }

    #[test]
    fn a_truncated_last_record_is_indexed_with_a_problem() {
        let whole = record("NEWID=\"1\"", "2-MAR-1987 10:00:00.00", NORMAL);
        let text = format!(
            "{whole}<REUTERS NEWID=\"2\">\n<DATE>2-MAR-1987 10:00:00.00</DATE>\n\
             <TEXT>&#2;\n<TITLE>CUT SHORT</TITLE>\n<DATELINE> X, March 2 - </DATELINE><BODY>It was"
        );
        let parsed = parse_str(&text);
        assert_eq!(parsed.articles.len(), 2);
        assert_eq!(parsed.articles[1].headline, "CUT SHORT");
        assert_eq!(parsed.articles[1].body, "X, March 2 - It was");
        assert_eq!(parsed.problems.len(), 1);
        assert_eq!(parsed.problems[0].location, "record NEWID=2");
        assert!(parsed.problems[0]
            .reason
            .contains("cut off at the end of the file"));
        assert!(parsed.problems[0].reason.contains("indexed what it has"));

        // Without NEWID or without text, it is only reported.
        for tail in [
            "<REUTERS OLDID=\"3\">\n<TEXT><TITLE>X</TITLE>",
            "<REUTERS NEWID=\"3\">\n<DATE>2-MAR-1987",
            "<REUTERS NEWID=\"3\"",
        ] {
            let parsed = parse_str(&format!("{whole}{tail}"));
            assert_eq!(parsed.articles.len(), 1, "{tail}");
            assert_eq!(parsed.problems.len(), 1, "{tail}");
            assert!(parsed.problems[0].reason.ends_with("not indexed"), "{tail}");
        }
    }

    #[test]
    fn a_record_left_open_ends_at_the_next() {
        let text = format!(
            "<REUTERS NEWID=\"1\">\n<DATE>2-MAR-1987 10:00:00.00</DATE>\n<TEXT><TITLE>OPEN</TITLE><BODY>One</BODY></TEXT>\n{}",
            record("NEWID=\"2\"", "2-MAR-1987 10:00:00.00", NORMAL)
        );
        let parsed = parse_str(&text);
        assert_eq!(parsed.articles.len(), 2);
        assert_eq!(
            (
                parsed.articles[0].headline.as_str(),
                parsed.articles[0].body.as_str()
            ),
            ("OPEN", "One")
        );
        assert_eq!(parsed.problems.len(), 1);
        assert_eq!(parsed.problems[0].location, "record NEWID=1");
    }

    #[test]
    fn a_file_without_records_is_malformed() {
        for text in [
            "<!DOCTYPE lewis SYSTEM \"lewis.dtd\">\n",
            "<REUTERSX>\n</REUTERS>",
            "just text",
        ] {
            assert_eq!(
                parse(text, &origin()),
                Err(ParseError::Malformed("no <REUTERS> record".into()))
            );
        }
    }

    #[test]
    fn unknown_entities_and_stray_ampersands_are_kept() {
        let text =
            "<TEXT><TITLE>AT&amp;T &eacute;t&eacute; &#xZZ; &#99999999; R&D &amp;lt;</TITLE>\
                    <BODY>Q&A &nbsp;x &#x263A; &#233; a < b &amp;lt;</BODY></TEXT>";
        let parsed = parse_str(&record("NEWID=\"4\"", "2-MAR-1987 10:00:00.00", text));
        let article = only(&parsed);
        assert_eq!(
            article.headline,
            "AT&T &eacute;t&eacute; &#xZZ; &#99999999; R&D &lt;"
        );
        assert_eq!(article.body, "Q&A &nbsp;x ☺ é a < b &lt;");
    }

    #[test]
    fn text_misplaced_between_elements_is_kept_in_order() {
        let text = "<TEXT>&#2;\n<TITLE>BAHRAIN DEPOSIT RATES</TITLE>\nMT<DATELINE>H  6.12  -  5.87 </DATELINE><BODY>6.37\n REUTER\n&#3;</BODY></TEXT>";
        let parsed = parse_str(&record("NEWID=\"4\"", "7-APR-1987 10:00:00.00", text));
        assert_eq!(only(&parsed).body, "MTH  6.12  -  5.87 6.37\n REUTER");
    }

    #[test]
    fn reads_the_fixture() {
        let text = include_str!("../../../tests/fixtures/formats/reuters/sample.sgm");
        let parsed = parse_str(text);
        assert_eq!(parsed.problems, vec![]);
        let summary: Vec<_> = parsed
            .articles
            .iter()
            .map(|a| (a.id.as_str(), a.headline.as_str(), a.body.is_empty()))
            .collect();
        assert_eq!(
            summary,
            [
                ("reut2-000.sgm#1", "BAHIA COCOA REVIEW", false),
                (
                    "reut2-000.sgm#2",
                    "STANDARD OIL <SRD> TO FORM FINANCIAL UNIT",
                    false
                ),
                (
                    "reut2-000.sgm#99",
                    "FEDERAL RESERVE WEEKLY REPORT 1 - FEB 26",
                    false
                ),
                (
                    "reut2-000.sgm#30",
                    "ASSETS OF MONEY MARKET MUTUAL FUNDS ROSE 720.4 MLN DLRS IN LATEST WEEK",
                    true
                ),
            ]
        );
        assert!(parsed.articles[0]
            .body
            .starts_with("SALVADOR, Feb 26 - Showers continued"));
        assert_eq!(parsed.articles[3].date, Some(date!(1987 - 02 - 26)));
        let places: Vec<&str> = parsed.articles[0]
            .meta
            .tags
            .iter()
            .filter(|tag| tag.kind.as_deref() == Some("place"))
            .map(|tag| tag.value.as_str())
            .collect();
        assert_eq!(places, ["el-salvador", "usa", "uruguay", "salvador"]);
    }

    #[test]
    fn many_unclosed_records_are_read_in_one_pass() {
        // Were the search for `</REUTERS>` restarted at each record, this
        // would scan ~10 GB.
        let text: String = (1..=20_000)
            .map(|id| format!("<REUTERS NEWID=\"{id}\">\n<DATE>2-MAR-1987</DATE><TEXT><TITLE>T &lt; &#5;</TITLE></TEXT>\n"))
            .collect();
        let parsed = parse_str(&text);
        assert_eq!(parsed.articles.len(), 20_000);
        assert_eq!(parsed.articles[19_999].headline, "T <");
        // The last is cut off; the others run into the next record.
        assert_eq!(parsed.problems.len(), 20_000);
        assert!(parsed.problems[19_999].reason.starts_with("cut off"));
    }

    #[test]
    fn looks_like_reuters_sgml() {
        assert!(looks_like("<!DOCTYPE lewis SYSTEM \"lewis.dtd\">"));
        assert!(looks_like("<REUTERS TOPICS=\"YES\" NEWID=\"1\">"));
        assert!(!looks_like("<html>"));
    }

    /// The whole Reuters-21578 corpus, when the shared corpora are there.
    #[test]
    fn reads_the_real_corpus() {
        use std::collections::HashMap;
        use std::io::Read;

        let dir = std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/corpora/reuters21578"
        ));
        if !dir.is_dir() {
            if std::env::var("DATELINE_REQUIRE_SHARED").is_ok_and(|v| v == "1") {
                panic!("{} is missing", dir.display());
            }
            eprintln!("skipped: {} is missing", dir.display());
            return;
        }
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| {
                let name = path.file_name().unwrap().to_string_lossy();
                name.starts_with("reut2-") && name.ends_with(".sgm.gz")
            })
            .collect();
        files.sort();
        assert_eq!(files.len(), 22);

        let started = std::time::Instant::now();
        let mut parse_time = std::time::Duration::ZERO;
        let mut articles = Vec::new();
        let mut problems = Vec::new();
        let mut legacy = 0;
        for path in &files {
            let mut bytes = Vec::new();
            flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap())
                .read_to_end(&mut bytes)
                .unwrap();
            let decoded = crate::ingest::formats::decode(&bytes).unwrap();
            legacy += usize::from(decoded.legacy);
            let name = path.file_stem().unwrap().to_string_lossy().to_string();
            let origin = Origin {
                id: name.clone(),
                path: path.display().to_string(),
            };
            let parse_started = std::time::Instant::now();
            let parsed = parse(&decoded.text, &origin).unwrap();
            parse_time += parse_started.elapsed();
            articles.extend(parsed.articles);
            problems.extend(parsed.problems);
        }

        let not_indexed: Vec<_> = problems
            .iter()
            .filter(|p| p.reason.contains("not indexed"))
            .collect();
        assert_eq!(articles.len() + not_indexed.len(), 21_578);

        let mut seen: HashMap<u32, usize> = HashMap::new();
        for key in articles
            .iter()
            .map(|a| a.id.rsplit_once('#').unwrap().1)
            .chain(
                not_indexed
                    .iter()
                    .map(|p| p.location.trim_start_matches("record NEWID=")),
            )
        {
            *seen.entry(key.parse().unwrap()).or_default() += 1;
        }
        for id in 1..=21_578 {
            assert_eq!(seen.get(&id), Some(&1), "NEWID {id}");
        }
        assert_eq!(seen.len(), 21_578);

        let first = articles.iter().find(|a| a.id == "reut2-000.sgm#1").unwrap();
        assert_eq!(first.headline, "BAHIA COCOA REVIEW");
        assert_eq!(first.date, Some(date!(1987 - 02 - 26)));
        assert_eq!(first.time, Some(time!(15:01:01)));
        assert!(
            first
                .body
                .starts_with("SALVADOR, Feb 26 - Showers continued"),
            "{}",
            first.body
        );

        let dates: Vec<Date> = articles.iter().filter_map(|a| a.date).collect();
        assert!(dates.iter().all(|d| d.year() == 1987));
        let bad_char = |s: &str| s.chars().any(|c| !is_kept(c));
        for article in &articles {
            assert!(
                !bad_char(&article.headline) && !bad_char(&article.body),
                "{}",
                article.id
            );
        }

        let mut kinds: HashMap<&str, usize> = HashMap::new();
        for problem in &problems {
            let kind = problem.reason.split([';', '"', '<']).next().unwrap_or("");
            *kinds.entry(kind).or_default() += 1;
        }
        eprintln!(
            "reuters: {} files ({legacy} not UTF-8), {} articles, {} problems ({} not indexed) {kinds:?}",
            files.len(),
            articles.len(),
            problems.len(),
            not_indexed.len()
        );
        for problem in problems.iter().take(20) {
            eprintln!("reuters: problem: {problem}");
        }
        eprintln!(
            "reuters: {} undated, {} without time, {} empty bodies, {} empty headlines; dates {:?} ..= {:?}",
            articles.len() - dates.len(),
            articles.iter().filter(|a| a.time.is_none()).count(),
            articles.iter().filter(|a| a.body.is_empty()).count(),
            articles.iter().filter(|a| a.headline.is_empty()).count(),
            dates.iter().min(),
            dates.iter().max()
        );
        eprintln!(
            "reuters: parsed in {parse_time:?} (with gunzip and decoding {:?})",
            started.elapsed()
        );

        let tagged = |tag: &Tag| {
            articles
                .iter()
                .filter(|a| a.meta.tags.contains(tag))
                .count()
        };
        let bylined = articles
            .iter()
            .filter(|a| !a.meta.authors.is_empty())
            .count();
        let authors: usize = articles.iter().map(|a| a.meta.authors.len()).sum();
        let datelined = articles
            .iter()
            .filter(|a| {
                a.meta
                    .tags
                    .iter()
                    .any(|t| t.kind.as_deref() == Some("place"))
            })
            .count();
        eprintln!(
            "reuters: metadata: {bylined} bylines ({authors} authors), topic:cocoa {}, \
             place:usa {}, place:new-york {}, place:salvador {}, person:reagan {}, \
             {datelined} with a place",
            tagged(&Tag::of("topic", "cocoa")),
            tagged(&Tag::of("place", "usa")),
            tagged(&Tag::of("place", "new-york")),
            tagged(&Tag::of("place", "salvador")),
            tagged(&Tag::of("person", "reagan")),
        );
        assert!(articles.iter().all(|a| a.meta.sources == [SOURCE]));
        // Every <AUTHOR> of the corpus (875) is read; 76 records are about cocoa.
        assert_eq!(bylined, 875);
        assert_eq!(tagged(&Tag::of("topic", "cocoa")), 76);
    }
}
