//! Usenet posts, e-mail and mbox: RFC 5322 messages with MIME bodies.
//!
//! A file is one message (a Usenet spool file, an `.eml`), or an mbox of
//! many: messages each opened by a `From ` envelope line, at the start of the
//! file or after a blank line (and followed by a header). In an mbox, body
//! lines escaped as `>From ` (`>>From `, …) lose one `>`.
//!
//! Per message: the headline is the `Subject` (RFC 2047 words decoded), or
//! the first body line when there is none; the date is the `Date` header read
//! by [`parse_date`], as the local day and time it names; the body is the
//! decoded text: a single-part body whatever its `Content-Type` says, the
//! `text/plain` parts of a multipart message (or its first `text/*` part),
//! transfer encodings undone and charsets converted. A part that decodes to
//! binary data (a NUL byte) is left out, with a problem. What the body
//! quotes of other posts (`> …` lines and the `… writes:` line before
//! them) is marked as quoted: see [`super::quotes`].
//!
//! The metadata: `From` is the author, as `Name <address>` when both are
//! given, in either form (`cdt@rocket.sw.stratus.com (C. D. Tavares)`,
//! `"C. D. Tavares" <cdt@rocket.sw.stratus.com>`), or the address alone;
//! the groups of `Newsgroups` are the sources (a cross-post has several);
//! `Organization` is an `org` tag. Header values have their RFC 2047
//! words decoded.
//!
//! Ids: a one-message file keeps the file's id; the messages of an mbox are
//! `<file id>#<Message-ID>` (angle brackets dropped) when the Message-ID is
//! unique in the file, else `<file id>#<n>`, n counting messages from 1.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;

use mailparse::body::Body;
use mailparse::{DispositionType, MailHeader, MailHeaderMap, ParsedContentType, ParsedMail};
use time::{Date, Month, Time};

use super::quotes::quoted_lines;
use super::text::{one_line, paragraphs};
use super::{ParseError, Parsed, Problem};
use crate::article::{Metadata, Origin, Tag};

/// Headers of which at least one must open a message for the text to look
/// like mail.
const KEY_HEADERS: [&str; 7] = [
    "subject",
    "from",
    "newsgroups",
    "date",
    "message-id",
    "path",
    "xref",
];

/// How many lines of a folded header whose first line was lost may come
/// before the first header (see [`headers_start`]). The posts of
/// 20news-bydate that open so (22 of them) have one; more indented lines
/// before any header are text, not a header's tail.
const MAX_ORPHANED_LINES: usize = 3;

/// Whether text starts like a mail message or an mbox: an mbox `From `
/// line (followed by a header, or carrying a time of day), or at least two
/// header lines up to the first blank line, one of them a key header
/// (`KEY_HEADERS`), after at most a few orphaned continuation lines (see
/// `headers_start`).
pub fn looks_like(text: &str) -> bool {
    let text = skip_blank_lines(text);
    if text.starts_with("From ") {
        let mut lines = text.lines();
        let first = lines.next().unwrap_or_default();
        return has_clock(first) || lines.next().is_some_and(is_header_line);
    }
    let mut lines = headers_start(text).lines();
    let Some(first) = lines.next() else {
        return false;
    };
    if !is_header_line(first) {
        return false;
    }
    let mut headers = 1;
    let mut key = is_key_header(first);
    for line in lines {
        if line.trim().is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            continue;
        }
        if !is_header_line(line) {
            return false;
        }
        headers += 1;
        key |= is_key_header(line);
    }
    headers >= 2 && key
}

/// `Name: value`, the name printable ASCII without spaces.
fn is_header_line(line: &str) -> bool {
    line.split_once(':')
        .is_some_and(|(name, _)| !name.is_empty() && name.bytes().all(|b| b.is_ascii_graphic()))
}

fn is_key_header(line: &str) -> bool {
    line.split_once(':')
        .is_some_and(|(name, _)| KEY_HEADERS.iter().any(|key| name.eq_ignore_ascii_case(key)))
}

/// Whether a line holds a time of day (`12:34`), as mbox `From ` lines do.
fn has_clock(line: &str) -> bool {
    line.as_bytes().windows(5).any(|w| {
        w[0].is_ascii_digit()
            && w[1].is_ascii_digit()
            && w[2] == b':'
            && w[3].is_ascii_digit()
            && w[4].is_ascii_digit()
    })
}

/// Reads one file: a message, or an mbox of messages.
pub fn parse(text: &str, origin: &Origin) -> Result<Parsed, ParseError> {
    let text = skip_blank_lines(text);
    if !text.starts_with("From ") {
        return match read_message(text) {
            Ok(message) => {
                let problems = message.problems(1);
                let mut article = origin.article(
                    origin.id.clone(),
                    message.date,
                    message.time,
                    message.headline,
                    message.body,
                );
                article.quoted = message.quoted;
                article.meta = message.meta;
                Ok(Parsed {
                    articles: vec![article],
                    problems,
                })
            }
            Err(reason) => Err(ParseError::Malformed(reason)),
        };
    }

    let mut read = Vec::new();
    let mut problems = Vec::new();
    for (i, chunk) in split_mbox(text).into_iter().enumerate() {
        let number = i + 1;
        match read_message(&unescape_from(chunk)) {
            Ok(message) => read.push((number, message)),
            Err(reason) => problems.push(Problem {
                location: format!("message {number}"),
                reason,
            }),
        }
    }

    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (_, message) in &read {
        if let Some(id) = &message.message_id {
            *seen.entry(id.as_str()).or_default() += 1;
        }
    }
    let unique: Vec<Option<String>> = read
        .iter()
        .map(|(_, message)| {
            message
                .message_id
                .clone()
                .filter(|id| seen.get(id.as_str()) == Some(&1))
        })
        .collect();

    let mut articles = Vec::with_capacity(read.len());
    for ((number, message), key) in read.into_iter().zip(unique) {
        problems.extend(message.problems(number));
        let key = key.unwrap_or_else(|| number.to_string());
        let mut article = origin.article(
            origin.id_of(&key),
            message.date,
            message.time,
            message.headline,
            message.body,
        );
        article.quoted = message.quoted;
        article.meta = message.meta;
        articles.push(article);
    }
    problems.sort_by_key(|problem| message_number(&problem.location));
    Ok(Parsed { articles, problems })
}

/// The n of a `message n` location, to keep problems in file order.
fn message_number(location: &str) -> usize {
    location
        .strip_prefix("message ")
        .and_then(|n| n.parse().ok())
        .unwrap_or(usize::MAX)
}

/// Where a message's headers start: after blank lines, and after up to
/// [`MAX_ORPHANED_LINES`] lines that continue a folded header whose first
/// line is missing (indented, as continuations are), when a header line
/// follows them. Some 20news-bydate posts open with the tail of a `Path:`
/// header (` cs.utexas.edu!…`, then `Subject:`); RFC 5322 readers skip such
/// lines too (Python's `email` notes a `FirstHeaderLineIsContinuationDefect`).
fn headers_start(text: &str) -> &str {
    let text = skip_blank_lines(text);
    let mut rest = text;
    for _ in 0..MAX_ORPHANED_LINES {
        match rest.split_once('\n') {
            Some((line, after)) if line.starts_with([' ', '\t']) && !line.trim().is_empty() => {
                rest = after;
            }
            _ => break,
        }
    }
    if rest.len() < text.len() && rest.lines().next().is_some_and(is_header_line) {
        rest
    } else {
        text
    }
}

fn skip_blank_lines(text: &str) -> &str {
    let mut rest = text;
    while let Some(end) = rest.find('\n') {
        if rest[..end].trim().is_empty() {
            rest = &rest[end + 1..];
        } else {
            break;
        }
    }
    rest
}

/// The messages of an mbox, each without its `From ` line. A `From ` line
/// separates messages at the start of the text, or after a blank line when
/// a header follows it (so that a body line "From the editor" after a blank
/// line in an unescaped mbox does not split a message).
fn split_mbox(text: &str) -> Vec<&str> {
    let mut separators: Vec<(usize, usize)> = Vec::new();
    let mut offset = 0;
    let mut after_blank = true;
    let mut lines = text.split_inclusive('\n').peekable();
    while let Some(line) = lines.next() {
        let content = line.trim_end_matches(['\n', '\r']);
        if content.starts_with("From ")
            && after_blank
            && (offset == 0
                || lines
                    .peek()
                    .is_some_and(|next| is_header_line(next.trim_end_matches(['\n', '\r']))))
        {
            separators.push((offset, offset + line.len()));
        }
        after_blank = content.trim().is_empty();
        offset += line.len();
    }
    separators
        .iter()
        .enumerate()
        .map(|(i, &(_, start))| {
            let end = separators.get(i + 1).map_or(text.len(), |&(next, _)| next);
            &text[start..end]
        })
        .collect()
}

/// Undoes mbox quoting: `>From ` becomes `From `, `>>From ` becomes `>From `.
fn unescape_from(chunk: &str) -> Cow<'_, str> {
    fn escaped(line: &str) -> bool {
        line.starts_with('>') && line.trim_start_matches('>').starts_with("From ")
    }
    if !chunk.split_inclusive('\n').any(escaped) {
        return Cow::Borrowed(chunk);
    }
    let mut out = String::with_capacity(chunk.len());
    for line in chunk.split_inclusive('\n') {
        out.push_str(if escaped(line) { &line[1..] } else { line });
    }
    Cow::Owned(out)
}

/// What one message yielded.
struct Message {
    message_id: Option<String>,
    date: Option<Date>,
    time: Option<Time>,
    headline: String,
    body: String,
    /// What of the body quotes others (see [`quoted_lines`]).
    quoted: Vec<Range<usize>>,
    meta: Metadata,
    /// Why parts of the message were left out (an unreadable date, …).
    notes: Vec<String>,
}

impl Message {
    fn problems(&self, number: usize) -> Vec<Problem> {
        self.notes
            .iter()
            .map(|reason| Problem {
                location: format!("message {number}"),
                reason: reason.clone(),
            })
            .collect()
    }
}

/// Reads one message (without an mbox `From ` line); `Err` says why
/// nothing of it can be indexed.
fn read_message(raw: &str) -> Result<Message, String> {
    let raw = headers_start(raw);
    let first = raw.lines().next().unwrap_or("");
    if !is_header_line(first) {
        return Err(if raw.trim().is_empty() {
            "empty message".to_string()
        } else {
            "not a mail message: no headers".to_string()
        });
    }
    let mail = mailparse::parse_mail(raw.as_bytes())
        .map_err(|err| format!("unreadable message: {err}"))?;

    let mut notes = Vec::new();
    let (mut date, mut time) = (None, None);
    if let Some(value) = mail.headers.get_first_value("Date") {
        let value = value.trim();
        if !value.is_empty() {
            match parse_date(value) {
                Some((day, clock)) => (date, time) = (Some(day), clock),
                None => notes.push(format!("unreadable date '{value}', indexed without a date")),
            }
        }
    }

    let (body, left_out) = message_body(&mail);
    if left_out.undecodable > 0 {
        notes.push(format!(
            "{} body part(s) could not be decoded and were left out",
            left_out.undecodable
        ));
    }
    if !left_out.binary.is_empty() {
        notes.push(format!(
            "{} body part(s) of binary data, not text, were left out ({})",
            left_out.binary.len(),
            left_out.binary.join(", ")
        ));
    }
    let headline = match mail.headers.get_first_value("Subject") {
        Some(subject) if !subject.trim().is_empty() => subject.trim().to_string(),
        _ => match body.lines().map(str::trim).find(|line| !line.is_empty()) {
            Some(line) => line.to_string(),
            None => return Err("no subject and no body text".to_string()),
        },
    };

    let message_id = mail
        .headers
        .get_first_value("Message-ID")
        .and_then(|value| message_id_key(&value));

    Ok(Message {
        message_id,
        date,
        time,
        headline,
        quoted: quoted_lines(&body),
        body,
        meta: metadata(&mail.headers),
        notes,
    })
}

/// What a message's headers say of it beside its subject and date: see
/// the module's documentation.
fn metadata(headers: &[MailHeader<'_>]) -> Metadata {
    let mut meta = Metadata::default();
    if let Some(from) = headers.get_first_value("From") {
        meta.authors.extend(author_of(&from));
    }
    if let Some(groups) = headers.get_first_value("Newsgroups") {
        // Commas separate the groups; white space, which no group name
        // holds, is taken for a separator too (a folded or hand-typed list).
        for group in groups.split(|c: char| c == ',' || c.is_whitespace()) {
            if !group.is_empty() && !meta.sources.iter().any(|known| known == group) {
                meta.sources.push(group.to_string());
            }
        }
    }
    if let Some(organization) = headers.get_first_value("Organization") {
        let organization = one_line(&organization);
        if !organization.is_empty() {
            meta.tags.push(Tag::of("org", organization));
        }
    }
    meta
}

/// The author a `From` header names: `Name <address>` when it gives both,
/// else what it gives. It reads the old Usenet form, `address (Name)`, and
/// RFC 5322's `Name <address>` (the name unquoted), and cares for the
/// mess of 20 Newsgroups: nested parentheses in names
/// (`MikeW@Canc.byu.edu (M.D. (Mike) Wieda)`), an address in the name
/// (`(Tom Carter <carter@…>)`), and message ids left after the author
/// when 20news-bydate dropped `References` but kept its folded lines.
fn author_of(from: &str) -> Option<String> {
    let from = one_line(from);
    let angle = from.find('<');
    let paren = from.find('(');
    let (name, address) = match (paren, angle) {
        (Some(open), _)
            if angle.is_none_or(|angle| open < angle) && !from[..open].trim().is_empty() =>
        {
            (comment_at(&from[open..]), from[..open].trim())
        }
        (_, Some(open)) => {
            let before = from[..open].trim();
            let rest = &from[open + 1..];
            let (inside, after) = match rest.find('>') {
                Some(close) => (&rest[..close], &rest[close + 1..]),
                None => (rest, ""),
            };
            if !before.starts_with('"') && before.contains('@') && !before.contains(' ') {
                // `address <message id>…`: the address is all there is.
                ("", before)
            } else if before.is_empty() {
                let name = after.find('(').map_or("", |at| comment_at(&after[at..]));
                (name, inside.trim())
            } else {
                (before, inside.trim())
            }
        }
        _ if from.starts_with('(') => {
            // `(Name) address`.
            let name = comment_at(&from);
            let after = from.get(name.len() + 2..).unwrap_or("");
            (name, after.trim())
        }
        _ => ("", from.trim()),
    };
    // A name that holds an address too (`Tom Carter <carter@…>`): the name.
    let name = match name.find('<') {
        Some(at) if !name[..at].trim().is_empty() => &name[..at],
        _ => name,
    };
    let name = unquoted(name.trim());
    let name = name.trim();
    match (name.is_empty(), address.is_empty()) {
        (false, false) if name != address => Some(format!("{name} <{address}>")),
        (_, false) => Some(address.to_string()),
        (false, true) => Some(name.to_string()),
        (true, true) => None,
    }
}

/// What the comment that `text` starts with (at its `(`) holds: up to the
/// `)` that closes it, nested ones kept; unclosed, up to the last `)` or
/// the end.
fn comment_at(text: &str) -> &str {
    let mut depth = 0usize;
    for (at, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return &text[1..at];
                }
            }
            _ => {}
        }
    }
    match text.rfind(')') {
        Some(end) if end > 0 => &text[1..end],
        _ => text.get(1..).unwrap_or(""),
    }
}

/// A quoted string's text (`"Henry Spencer"` → `Henry Spencer`, `\"`
/// → `"`); other text as it is.
fn unquoted(text: &str) -> Cow<'_, str> {
    let Some(inner) = text
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
    else {
        return Cow::Borrowed(text);
    };
    if !inner.contains('\\') {
        return Cow::Borrowed(inner);
    }
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A Message-ID as an id key: the text inside `<…>` (or the whole value).
fn message_id_key(value: &str) -> Option<String> {
    let value = value.trim();
    let inner = match (value.find('<'), value.find('>')) {
        (Some(open), Some(close)) if open < close => &value[open + 1..close],
        _ => value.trim_matches(['<', '>']),
    };
    let inner = inner.trim();
    (!inner.is_empty()).then(|| inner.to_string())
}

/// Body parts that were not indexed: how many could not be decoded, and the
/// types of those that decoded to binary data.
#[derive(Default)]
struct LeftOut {
    undecodable: usize,
    binary: Vec<String>,
}

/// The text of a message, normalised, and the parts left out.
///
/// A single-part body is text whatever its label: Usenet posts carry types
/// no reader knows (`setext/plain` in 20news-bydate's
/// `comp.graphics/38753`), and one left out for its label would be indexed
/// empty without a word. What is not text shows in its bytes instead (see
/// [`decode_part`]). Of a multipart message, the labels pick the parts.
fn message_body(mail: &ParsedMail<'_>) -> (String, LeftOut) {
    let mut parts = Vec::new();
    if mail.subparts.is_empty() {
        parts.push(mail);
    } else {
        collect_plain(mail, &mut parts);
        if parts.is_empty() {
            parts.extend(first_text(mail));
        }
    }

    let mut body = String::new();
    let mut left_out = LeftOut::default();
    for part in parts {
        match decode_part(part) {
            Ok(text) => {
                let text = paragraphs(&text);
                if !text.is_empty() {
                    if !body.is_empty() {
                        body.push_str("\n\n");
                    }
                    body.push_str(&text);
                }
            }
            Err(NotText::Undecodable) => left_out.undecodable += 1,
            Err(NotText::Binary) => left_out.binary.push(if part.ctype.mimetype.is_empty() {
                "no type".to_string()
            } else {
                part.ctype.mimetype.clone()
            }),
        }
    }
    (body, left_out)
}

fn is_attachment(part: &ParsedMail<'_>) -> bool {
    part.get_content_disposition().disposition == DispositionType::Attachment
}

/// The `text/plain` leaves under a multipart part, depth first.
fn collect_plain<'m, 'a>(mail: &'m ParsedMail<'a>, out: &mut Vec<&'m ParsedMail<'a>>) {
    for part in &mail.subparts {
        if !part.subparts.is_empty() {
            collect_plain(part, out);
        } else if part.ctype.mimetype == "text/plain" && !is_attachment(part) {
            out.push(part);
        }
    }
}

/// The first `text/*` leaf under a multipart part, depth first.
fn first_text<'m, 'a>(mail: &'m ParsedMail<'a>) -> Option<&'m ParsedMail<'a>> {
    mail.subparts.iter().find_map(|part| {
        if !part.subparts.is_empty() {
            first_text(part)
        } else if part.ctype.mimetype.starts_with("text/") && !is_attachment(part) {
            Some(part)
        } else {
            None
        }
    })
}

/// Why a part gave no text.
enum NotText {
    /// Its transfer encoding is broken.
    Undecodable,
    /// It decodes to bytes with a NUL in them, as a file of such bytes is
    /// binary (see [`super::decode`]): an image or a PDF, whatever its label.
    Binary,
}

/// A part's text: base64 and quoted-printable undone and the charset
/// converted. Unencoded bodies are taken as they stand, since the file was
/// decoded to text already (and had no NUL).
fn decode_part(part: &ParsedMail<'_>) -> Result<String, NotText> {
    match part.get_body_encoded() {
        Body::Base64(body) | Body::QuotedPrintable(body) => {
            let bytes = body.get_decoded().map_err(|_| NotText::Undecodable)?;
            if bytes.contains(&0) {
                return Err(NotText::Binary);
            }
            Ok(decode_charset(&bytes, &part.ctype))
        }
        Body::SevenBit(body) | Body::EightBit(body) => {
            Ok(String::from_utf8_lossy(body.get_raw()).into_owned())
        }
        Body::Binary(body) => Ok(String::from_utf8_lossy(body.get_raw()).into_owned()),
    }
}

/// Decoded bytes as text in the part's charset. Without a charset (or with
/// `us-ascii`, which real mail often gets wrong) UTF-8 is tried, then
/// Windows-1252, which reads any byte.
fn decode_charset(bytes: &[u8], ctype: &ParsedContentType) -> String {
    let label = ctype
        .params
        .get("charset")
        .map(|label| label.trim())
        .unwrap_or("");
    let declared = if label.is_empty()
        || label.eq_ignore_ascii_case("us-ascii")
        || label.eq_ignore_ascii_case("ascii")
    {
        None
    } else {
        encoding_rs::Encoding::for_label(label.as_bytes())
    };
    match declared {
        Some(encoding) => encoding.decode_without_bom_handling(bytes).0.into_owned(),
        None => match std::str::from_utf8(bytes) {
            Ok(text) => text.to_string(),
            Err(_) => encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
                .into_owned(),
        },
    }
}

/// Reads an RFC 2822 date with the usual real-world variants, as the local
/// date and time it names (the offset is dropped, not applied).
///
/// Accepted: an optional weekday; day and month in either order (`20 Apr`,
/// `Apr 20`, `20-Apr-93`); month names in any case, abbreviated or not;
/// years of 4, 3 (+1900) or 2 digits (00–49 → 20xx, 50–99 → 19xx), before or
/// after the time (`Tue Apr 20 12:34:56 EDT 1993`); `HH:MM` or `HH:MM:SS`
/// (fractions and `am`/`pm` too); any zone, numeric or named, or none;
/// `(comments)`, commas and extra spaces anywhere; and ISO
/// `1993-04-19 21:51:26` / `1993-04-19T21:51:26Z`. Dates that do not exist
/// (Feb 30) give `None`.
pub fn parse_date(text: &str) -> Option<(Date, Option<Time>)> {
    let cleaned = strip_comments(text);
    let mut fields = DateFields::default();
    for token in cleaned.split_whitespace() {
        fields.read(token, true)?;
    }
    let year = fields.year?;
    let month = fields.month?;
    let day = fields.day?;
    let date = Date::from_calendar_date(year, month, day).ok()?;
    let time = fields
        .time
        .map(|time| apply_meridiem(time, fields.meridiem));
    Some((date, time))
}

/// Drops `(comments)` (nested too) and turns commas into spaces.
fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            ',' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Meridiem {
    Am,
    Pm,
}

fn apply_meridiem(time: Time, meridiem: Option<Meridiem>) -> Time {
    let hour = time.hour();
    let hour = match meridiem {
        Some(Meridiem::Pm) if (1..12).contains(&hour) => hour + 12,
        Some(Meridiem::Am) if hour == 12 => 0,
        _ => hour,
    };
    time.replace_hour(hour).unwrap_or(time)
}

#[derive(Debug, Default)]
struct DateFields {
    year: Option<i32>,
    month: Option<Month>,
    day: Option<u8>,
    time: Option<Time>,
    meridiem: Option<Meridiem>,
}

impl DateFields {
    /// Takes one token in; `None` when it makes the date unreadable.
    /// `split` allows `20-Apr-93` to be split into its pieces.
    fn read(&mut self, token: &str, split: bool) -> Option<()> {
        let token = token.trim_end_matches('.');
        let bytes = token.as_bytes();
        let first = *bytes.first()?;
        if first == b'+' || first == b'-' {
            // A numeric zone: dropped.
            let rest = &bytes[1..];
            return (!rest.is_empty() && rest.iter().all(|b| b.is_ascii_digit() || *b == b':'))
                .then_some(());
        }
        if first.is_ascii_digit() {
            if bytes.len() >= 8
                && bytes[..4].iter().all(u8::is_ascii_digit)
                && matches!(bytes[4], b'-' | b'/')
            {
                return self.read_iso(token);
            }
            if token.contains(':') {
                return self.read_clock(token);
            }
            if token.contains('-') && split && bytes.iter().any(u8::is_ascii_alphabetic) {
                for piece in token.split('-') {
                    self.read(piece, false)?;
                }
                return Some(());
            }
            if bytes.iter().all(u8::is_ascii_digit) {
                return self.read_number(token);
            }
            return None;
        }
        if first.is_ascii_alphabetic() {
            let end = bytes
                .iter()
                .position(|b| !b.is_ascii_alphabetic())
                .unwrap_or(bytes.len());
            let word = token[..end].to_ascii_lowercase();
            let rest = &token[end..];
            if rest.is_empty() {
                if is_weekday(&word) {
                    return Some(());
                }
                if let Some(month) = crate::dates::month_named(&word) {
                    if self.month.is_some() {
                        return None;
                    }
                    self.month = Some(month);
                    return Some(());
                }
                if let Some(meridiem) = meridiem_named(&word) {
                    self.meridiem = Some(meridiem);
                    return Some(());
                }
            }
            // A zone (`GMT`, `EST5EDT`, `UTC+01:00`): dropped. Unknown words
            // are taken for zones only after the time of day.
            return (is_zone(&word) || self.time.is_some()).then_some(());
        }
        None
    }

    fn read_number(&mut self, digits: &str) -> Option<()> {
        let value: i32 = digits.parse().ok()?;
        match digits.len() {
            1 | 2 if self.day.is_none() => {
                self.day = Some(u8::try_from(value).ok()?);
            }
            1 | 2 if self.year.is_none() => {
                self.year = Some(if value < 50 {
                    2000 + value
                } else {
                    1900 + value
                });
            }
            3 if self.year.is_none() => self.year = Some(1900 + value),
            4 if self.year.is_none() => self.year = Some(value),
            // A zone without its sign (`1993 12:00 0500`).
            4 if self.time.is_some() => {}
            _ => return None,
        }
        Some(())
    }

    /// `HH:MM`, `HH:MM:SS`, `HH:MM:SS.fff`, with a zone or `am`/`pm`
    /// stuck on (`12:34:56-0500`, `10:00Z`, `9:30pm`).
    fn read_clock(&mut self, token: &str) -> Option<()> {
        if self.time.is_some() {
            return None;
        }
        let bytes = token.as_bytes();
        let mut fields = [0u8; 3];
        let mut count = 0;
        let mut i = 0;
        loop {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            if i == start || i - start > 2 {
                return None;
            }
            fields[count] = token[start..i].parse().ok()?;
            count += 1;
            if count < 3 && i < bytes.len() && bytes[i] == b':' {
                i += 1;
            } else {
                break;
            }
        }
        if count < 2 {
            return None;
        }
        if count == 3 && i < bytes.len() && bytes[i] == b'.' {
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
        }
        let rest = &token[i..];
        if !rest.is_empty() {
            match meridiem_named(&rest.to_ascii_lowercase()) {
                Some(meridiem) => self.meridiem = Some(meridiem),
                None => {
                    let zone_like = rest
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b':'));
                    if !zone_like {
                        return None;
                    }
                }
            }
        }
        // A leap second is read as the second before it.
        let time = Time::from_hms(fields[0], fields[1], fields[2].min(59)).ok()?;
        self.time = Some(time);
        Some(())
    }

    /// `1993-04-19`, `1993/04/19`, `1993-04-19T21:51:26Z`.
    fn read_iso(&mut self, token: &str) -> Option<()> {
        if self.year.is_some() || self.month.is_some() || self.day.is_some() {
            return None;
        }
        let (day_part, clock) = match token.find(['T', 't']) {
            Some(at) => (&token[..at], Some(&token[at + 1..])),
            None => (token, None),
        };
        let mut pieces = day_part.split(['-', '/']);
        let (year, month, day) = (pieces.next()?, pieces.next()?, pieces.next()?);
        if pieces.next().is_some()
            || year.len() != 4
            || !(1..=2).contains(&month.len())
            || !(1..=2).contains(&day.len())
        {
            return None;
        }
        if ![year, month, day]
            .iter()
            .all(|piece| piece.bytes().all(|b| b.is_ascii_digit()))
        {
            return None;
        }
        self.year = Some(year.parse().ok()?);
        self.month = Some(Month::try_from(month.parse::<u8>().ok()?).ok()?);
        self.day = Some(day.parse().ok()?);
        match clock {
            Some(clock) => self.read_clock(clock),
            None => Some(()),
        }
    }
}

fn is_weekday(word: &str) -> bool {
    const DAYS: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    word.len() >= 3 && DAYS.iter().any(|day| day.starts_with(word))
}

fn meridiem_named(word: &str) -> Option<Meridiem> {
    match word {
        "am" => Some(Meridiem::Am),
        "pm" => Some(Meridiem::Pm),
        _ => None,
    }
}

/// Named zones (and the military letters, all but `j`), lowercase.
fn is_zone(word: &str) -> bool {
    const ZONES: [&str; 34] = [
        "ut", "utc", "gmt", "z", "est", "edt", "cst", "cdt", "mst", "mdt", "pst", "pdt", "akst",
        "akdt", "hst", "ast", "adt", "nst", "ndt", "bst", "ist", "wet", "west", "cet", "cest",
        "met", "mest", "mez", "mesz", "eet", "eest", "msk", "jst", "aest",
    ];
    (word.len() == 1 && word != "j") || ZONES.contains(&word)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, time};

    fn origin() -> Origin {
        Origin {
            id: "news/post".into(),
            path: "/archive/news/post".into(),
        }
    }

    #[test]
    fn reads_real_world_dates() {
        let cases: &[(&str, Date, Option<Time>)] = &[
            (
                "Tue, 20 Apr 1993 12:34:56 -0500",
                date!(1993 - 04 - 20),
                Some(time!(12:34:56)),
            ),
            (
                "20 Apr 1993 12:34:56 +0000",
                date!(1993 - 04 - 20),
                Some(time!(12:34:56)),
            ),
            (
                "Tue, 20 Apr 93 12:34:56 GMT",
                date!(1993 - 04 - 20),
                Some(time!(12:34:56)),
            ),
            (
                "Mon, 5 Apr 1993 23:59 EST",
                date!(1993 - 04 - 05),
                Some(time!(23:59)),
            ),
            (
                "Mon, 05 APR 1993 01:02:03 EDT",
                date!(1993 - 04 - 05),
                Some(time!(01:02:03)),
            ),
            (
                "5 apr 1993 01:02:03 pdt",
                date!(1993 - 04 - 05),
                Some(time!(01:02:03)),
            ),
            (
                "Tue, 20 Apr 1993 12:34:56 -0700 (PDT)",
                date!(1993 - 04 - 20),
                Some(time!(12:34:56)),
            ),
            (
                "Tue, 20 Apr 1993 12:34:56 (PDT)",
                date!(1993 - 04 - 20),
                Some(time!(12:34:56)),
            ),
            (
                "Tue 20 Apr 1993 12:34:56 CST",
                date!(1993 - 04 - 20),
                Some(time!(12:34:56)),
            ),
            (
                "  Tue,   20  Apr   1993   12:34:56   ",
                date!(1993 - 04 - 20),
                Some(time!(12:34:56)),
            ),
            (
                "Tue,20 Apr 1993 12:34:56 UT",
                date!(1993 - 04 - 20),
                Some(time!(12:34:56)),
            ),
            (
                "20 Apr 1993 12:34:56 Z",
                date!(1993 - 04 - 20),
                Some(time!(12:34:56)),
            ),
            (
                "20 Apr 1993 12:34:56 Q",
                date!(1993 - 04 - 20),
                Some(time!(12:34:56)),
            ),
            (
                "20 Apr 1993 12:34:56 MET DST",
                date!(1993 - 04 - 20),
                Some(time!(12:34:56)),
            ),
            (
                "20 Apr 1993 12:34:56 GMT+1",
                date!(1993 - 04 - 20),
                Some(time!(12:34:56)),
            ),
            (
                "20 Apr 1993 12:34:56-0500",
                date!(1993 - 04 - 20),
                Some(time!(12:34:56)),
            ),
            ("20 Apr 1993", date!(1993 - 04 - 20), None),
            ("20 Apr 1993 GMT", date!(1993 - 04 - 20), None),
            (
                "19 Apr 93 21:51:26 GMT",
                date!(1993 - 04 - 19),
                Some(time!(21:51:26)),
            ),
            (
                "1 Jan 00 00:00:00 GMT",
                date!(2000 - 01 - 01),
                Some(time!(00:00:00)),
            ),
            (
                "1 Jan 49 00:00 GMT",
                date!(2049 - 01 - 01),
                Some(time!(00:00)),
            ),
            (
                "1 Jan 50 00:00 GMT",
                date!(1950 - 01 - 01),
                Some(time!(00:00)),
            ),
            (
                "Sat, 1 Jan 100 10:00:00 GMT",
                date!(2000 - 01 - 01),
                Some(time!(10:00)),
            ),
            (
                "Fri, 19-Mar-93 10:12:13 EST",
                date!(1993 - 03 - 19),
                Some(time!(10:12:13)),
            ),
            (
                "Tue Apr 20 12:34:56 1993",
                date!(1993 - 04 - 20),
                Some(time!(12:34:56)),
            ),
            (
                "Tue Apr 20 12:34:56 EDT 1993",
                date!(1993 - 04 - 20),
                Some(time!(12:34:56)),
            ),
            (
                "Tuesday, April 20, 1993 12:34",
                date!(1993 - 04 - 20),
                Some(time!(12:34)),
            ),
            (
                "Sept. 3, 1993 9:05 pm",
                date!(1993 - 09 - 03),
                Some(time!(21:05)),
            ),
            (
                "3 Sep 1993 12:05am",
                date!(1993 - 09 - 03),
                Some(time!(00:05)),
            ),
            (
                "1993-04-19 21:51:26",
                date!(1993 - 04 - 19),
                Some(time!(21:51:26)),
            ),
            ("1993-04-19", date!(1993 - 04 - 19), None),
            (
                "1993-04-19T21:51:26Z",
                date!(1993 - 04 - 19),
                Some(time!(21:51:26)),
            ),
            (
                "2025-03-17T10:00:00.123+01:00",
                date!(2025 - 03 - 17),
                Some(time!(10:00)),
            ),
            (
                "2024-02-29 23:59:60",
                date!(2024 - 02 - 29),
                Some(time!(23:59:59)),
            ),
            // The offset is dropped: this is the local day, not the UTC one.
            (
                "Wed, 31 Dec 1997 23:30:00 -0800",
                date!(1997 - 12 - 31),
                Some(time!(23:30)),
            ),
        ];
        for (text, day, clock) in cases {
            assert_eq!(parse_date(text), Some((*day, *clock)), "{text}");
        }
    }

    #[test]
    fn refuses_what_is_not_a_date() {
        for text in [
            "",
            "   ",
            "(just a comment)",
            "garbage",
            "sometime last week",
            "30 Feb 1993 10:00:00 GMT",
            "1993-02-30",
            "31 Apr 1993",
            "0 Apr 1993",
            "20 Apr",
            "Apr 1993",
            "20 Foo 1993 10:00",
            "20 Apr 1993 25:00",
            "20 Apr 1993 12:60",
            "20 Apr 1993 12:",
            "20 Apr 1993 1993",
            "Mar Apr 20 1993",
            "20 Apr 123456",
            "1993-13-01",
        ] {
            assert_eq!(parse_date(text), None, "{text:?}");
        }
    }

    #[test]
    fn tells_mail_from_news_text() {
        for text in [
            "From alice@example.com Tue Apr 20 12:34:56 1993\nSubject: x\n\nBody",
            "From alice@example.com\nReturn-Path: <alice@example.com>\n",
            "Newsgroups: sci.space\nPath: a!b\nSubject: Moon\n\nBody",
            "subject: lower case\nX-Other: yes\n\nBody",
            "\n\nFrom: a@b\nTo: c@d\n\nBody",
            "Subject: long\n  folded\nFrom: a@b\r\n\r\nBody",
            "Xref: news alt.test:1\nLines: 3\n",
            // The tail of a folded `Path:` whose first line was lost.
            " cs.utexas.edu!zazen\nSubject: Re: x\nFrom: z@ibm.com\n\nBody",
            "\n\t  a!b\n c!d\n e!f\r\nSubject: three\r\nLines: 1\r\n\r\nBody",
        ] {
            assert!(looks_like(text), "{text:?}");
        }
        for text in [
            "",
            "Update: talks resume\n\nBody of the article.",
            "Ad sales boost Time Warner profit\n\nQuarterly profits",
            "From Russia with love\n\nA spy story.",
            "X-One: a\nX-Two: b\n\nNo key header",
            "Subject: a\nnot a header\n\nBody",
            "Subject: alone\n\nBody",
            "Subject : spaced\nFrom : spaced\n\nBody",
            " date 2025-03-17 Headline",
            // Indented lines before headers are a lost header's tail only
            // when few, and right before a header block that looks like mail.
            "  An indented paragraph\nSubject: one header\n\nBody",
            " a\n b\n c\n d\nSubject: four lines\nFrom: a@b\n\nBody",
            " indented\n\nSubject: after a blank line\nFrom: a@b\n\nBody",
            " indented\nnot a header\nSubject: x\nFrom: a@b\n\nBody",
            "    Poem: a title\n    Line: two\n\nStanza.",
            " cs.utexas.edu!zazen\nX-One: a\nX-Two: b\n\nNo key header",
            " From alice Tue Apr 20 12:34:56 1993\nSubject: x\n\nBody",
        ] {
            assert!(!looks_like(text), "{text:?}");
        }
    }

    #[test]
    fn reads_a_usenet_post() {
        let text = include_str!("../../../tests/fixtures/formats/mail/usenet-post");
        assert!(looks_like(text));
        let parsed = parse(text, &origin()).unwrap();
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        let [article] = parsed.articles.as_slice() else {
            panic!("{parsed:?}");
        };
        assert_eq!(article.id, "news/post");
        assert_eq!(article.path, "/archive/news/post");
        assert_eq!(article.headline, "Galileo images of Gaspra released");
        assert_eq!(article.date, Some(date!(1993 - 04 - 19)));
        assert_eq!(article.time, Some(time!(21:51:26)));
        assert_eq!(
            article.body,
            "JPL released the first close-up images of the asteroid\n951 Gaspra today.\n\n\
             More pictures are expected next week.\n\n--\nRon Baalke"
        );
    }

    #[test]
    fn the_author_is_the_name_and_address_of_from() {
        for (from, author) in [
            (
                "cdt@rocket.sw.stratus.com (C. D. Tavares)",
                Some("C. D. Tavares <cdt@rocket.sw.stratus.com>"),
            ),
            (
                "\"Henry Spencer\" <henry@zoo.toronto.edu>",
                Some("Henry Spencer <henry@zoo.toronto.edu>"),
            ),
            (
                "Jason Kratz <U28037@uicvm.uic.edu>",
                Some("Jason Kratz <U28037@uicvm.uic.edu>"),
            ),
            ("hambidge@bms.com", Some("hambidge@bms.com")),
            ("<LIBRBA@BYUVM.BITNET>", Some("LIBRBA@BYUVM.BITNET")),
            ("  a@b.c  ", Some("a@b.c")),
            (
                "646379@acadvm1.uottawa.ca (\"William F. Maton\")",
                Some("William F. Maton <646379@acadvm1.uottawa.ca>"),
            ),
            (
                "MikeW@Canc.byu.edu (M.D. (Mike) Wieda)",
                Some("M.D. (Mike) Wieda <MikeW@Canc.byu.edu>"),
            ),
            (
                "carter@photon.cem.msu.edu (Tom Carter <carter@photon.cem.msu.edu>)",
                Some("Tom Carter <carter@photon.cem.msu.edu>"),
            ),
            (
                "PPORTH@hq.nasa.gov (\"Tricia Porth (202\")",
                Some("Tricia Porth (202 <PPORTH@hq.nasa.gov>"),
            ),
            (
                "blakey@ug.cs.dal.ca (Jason \"Fish\" Blakey)",
                Some("Jason \"Fish\" Blakey <blakey@ug.cs.dal.ca>"),
            ),
            // 20news-bydate: message ids of a dropped `References` after the author.
            (
                "a_rubin@dsg4.dse.beckman.com (Arthur Rubin)\n <1r0ausINNi01@senator-bedfellow.MIT.EDU> <1993@x.com>",
                Some("Arthur Rubin <a_rubin@dsg4.dse.beckman.com>"),
            ),
            (
                "REE700A@MAINE.MAINE.EDU\n <1993Apr2.003029.1962@adobe.com><1993Apr2@x.org>",
                Some("REE700A@MAINE.MAINE.EDU"),
            ),
            (
                "Yaakov Kayman <YZKCU@CUNYVM.BITNET>\n s.unm.edu> <C6yt9o.Ftt@world.std.com>",
                Some("Yaakov Kayman <YZKCU@CUNYVM.BITNET>"),
            ),
            (
                "John Doe <support@github.com> (GitHub Staff)",
                Some("John Doe <support@github.com>"),
            ),
            ("<x@y.com> (Ann Other)", Some("Ann Other <x@y.com>")),
            ("(Ann Other) x@y.com", Some("Ann Other <x@y.com>")),
            ("\"Q \\\"Quoted\\\" R\" <q@r.s>", Some("Q \"Quoted\" R <q@r.s>")),
            ("a@b.c (a@b.c)", Some("a@b.c")),
            ("Just A Name", Some("Just A Name")),
            ("(unclosed", Some("unclosed")),
            ("x@y (", Some("x@y")),
            ("<", None),
            ("()", None),
            ("", None),
        ] {
            assert_eq!(author_of(from).as_deref(), author, "{from:?}");
        }
    }

    #[test]
    fn metadata_comes_from_from_newsgroups_and_organization() {
        let text = include_str!("../../../tests/fixtures/formats/mail/usenet-post");
        let parsed = parse(text, &origin()).unwrap();
        let meta = &parsed.articles[0].meta;
        assert_eq!(meta.authors, ["Ron Baalke <baalke@kelvin.jpl.nasa.gov>"]);
        assert_eq!(meta.sources, ["sci.space", "sci.astro"]);
        assert_eq!(meta.tags, [Tag::of("org", "Jet Propulsion Laboratory")]);
        assert_eq!((meta.section.as_deref(), meta.url.as_deref()), (None, None));

        // Folded, spaced, repeated and empty groups; an encoded name; no
        // Organization.
        let text = "From: =?ISO-8859-1?Q?Ren=E9_Dupont?= <rene@example.fr>\n\
                    Newsgroups: comp.graphics, alt.graphics,,\n comp.graphics ,\n\
                    Organization:   \nSubject: x\n\nBody\n";
        let parsed = parse(text, &origin()).unwrap();
        let meta = &parsed.articles[0].meta;
        assert_eq!(meta.authors, ["René Dupont <rene@example.fr>"]);
        assert_eq!(meta.sources, ["comp.graphics", "alt.graphics"]);
        assert_eq!(meta.tags, []);

        // Each message of an mbox has its own.
        let text = "From a@b Tue Apr 20 12:34:56 1993\nFrom: a@b (A)\nSubject: one\n\nOne\n\n\
                    From c@d Tue Apr 20 12:34:56 1993\nFrom: c@d\nNewsgroups: sci.space\n\
                    Organization: Org\nSubject: two\n\nTwo\n";
        let parsed = parse(text, &origin()).unwrap();
        let metas: Vec<&Metadata> = parsed.articles.iter().map(|a| &a.meta).collect();
        assert_eq!(metas[0].authors, ["A <a@b>"]);
        assert!(metas[0].sources.is_empty() && metas[0].tags.is_empty());
        assert_eq!(metas[1].authors, ["c@d"]);
        assert_eq!(metas[1].sources, ["sci.space"]);
        assert_eq!(metas[1].tags, [Tag::of("org", "Org")]);
    }

    #[test]
    fn a_single_part_body_is_text_whatever_its_label() {
        // Modelled on 20news-bydate's comp.graphics/38753 (`setext/plain`),
        // whose 7.7 KB were indexed as an empty body.
        let text = include_str!("../../../tests/fixtures/formats/mail/setext-post");
        let parsed = parse(text, &origin()).unwrap();
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        let article = &parsed.articles[0];
        assert_eq!(
            article.headline,
            "Reading list: fiction set in programming shops"
        );
        assert!(
            article.body.starts_with(" ================ ---"),
            "{:?}",
            article.body
        );
        assert!(article.body.contains("_Segmentation Fault_"));
        assert!(article.body.ends_with("Additions are welcome by mail."));

        for label in ["application/octet-stream", "image/x-text", "x-unknown", "/"] {
            let text =
                format!("Subject: Labelled {label}\nContent-Type: {label}\n\nPlain words.\n");
            let parsed = parse(&text, &origin()).unwrap();
            assert_eq!(parsed.articles[0].body, "Plain words.", "{label}");
            assert!(parsed.problems.is_empty(), "{label}: {:?}", parsed.problems);
        }
    }

    #[test]
    fn a_body_of_binary_data_is_left_out_with_a_problem() {
        // base64 of the bytes "GIF89a\0\0\x01\0".
        let text = "Subject: A picture\n\
            Content-Type: image/gif\n\
            Content-Transfer-Encoding: base64\n\
            \n\
            R0lGODlhAAABAA==\n";
        let parsed = parse(text, &origin()).unwrap();
        assert_eq!(parsed.articles[0].headline, "A picture");
        assert_eq!(parsed.articles[0].body, "");
        assert_eq!(
            parsed.problems,
            [Problem {
                location: "message 1".into(),
                reason: "1 body part(s) of binary data, not text, were left out (image/gif)".into(),
            }]
        );
        // Text in base64 under a label that says otherwise is text.
        let text = "Subject: Notes\n\
            Content-Type: application/octet-stream\n\
            Content-Transfer-Encoding: base64\n\
            \n\
            VGhlIG1lZXRpbmcgbW92ZWQu\n";
        let parsed = parse(text, &origin()).unwrap();
        assert_eq!(parsed.articles[0].body, "The meeting moved.");
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    }

    #[test]
    fn lines_before_the_first_header_that_continue_a_lost_one_are_skipped() {
        // As 22 posts of 20news-bydate open (`alt.atheism/51157`): the tail
        // of a folded `Path:`, then the headers.
        let text = include_str!("../../../tests/fixtures/formats/mail/orphaned-continuation");
        assert!(looks_like(text));
        let parsed = parse(text, &origin()).unwrap();
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        let [article] = parsed.articles.as_slice() else {
            panic!("{parsed:?}");
        };
        assert_eq!(article.headline, "Re: Fern spores under the microscope");
        assert!(
            article
                .body
                .starts_with("In article <1993Apr2.101@example.org>"),
            "{:?}",
            article.body
        );
        assert!(
            !article.body.contains("Organization:"),
            "{:?}",
            article.body
        );

        // Read as mail when forced, the same way; more than a few indented
        // lines, or ones not followed by a header, are not skipped.
        let three = " a!b\n c!d\n e!f\nSubject: Three\n\nBody.";
        assert_eq!(
            parse(three, &origin()).unwrap().articles[0].headline,
            "Three"
        );
        for text in [
            " a\n b\n c\n d\nSubject: Four\n\nBody.",
            " a!b\n\nSubject: After a blank\n\nBody.",
            " a!b\n \t\nSubject: After white space\n\nBody.",
        ] {
            assert!(
                matches!(parse(text, &origin()), Err(ParseError::Malformed(_))),
                "{text:?}"
            );
        }
    }

    #[test]
    fn decodes_quoted_printable_and_encoded_words() {
        let text = "From: =?iso-8859-1?Q?Ren=E9?= <rene@example.fr>\r\n\
            Subject: =?iso-8859-1?Q?Caf=E9_des_sports?= \r\n\
            Date: Wed, 3 Mar 2004 09:15:00 +0100\r\n\
            MIME-Version: 1.0\r\n\
            Content-Type: text/plain; charset=iso-8859-1\r\n\
            Content-Transfer-Encoding: quoted-printable\r\n\
            \r\n\
            Le caf=E9 a rouvert ce matin, apr=E8s des mois de travaux, et la terr=\r\n\
            asse est pleine.   \r\n\
            \r\n\
            \r\n\
            \r\n\
            Fin.\r\n";
        let parsed = parse(text, &origin()).unwrap();
        let article = &parsed.articles[0];
        assert_eq!(article.headline, "Café des sports");
        assert_eq!(article.date, Some(date!(2004 - 03 - 03)));
        assert_eq!(article.time, Some(time!(09:15)));
        assert_eq!(
            article.body,
            "Le café a rouvert ce matin, après des mois de travaux, et la terrasse est pleine.\n\nFin."
        );
    }

    #[test]
    fn decodes_a_base64_part() {
        // "Grüße aus Berlin.\nZweite Zeile.\n" in UTF-8.
        let text = "From: a@example.de\n\
            Subject: Base64\n\
            Content-Type: text/plain; charset=utf-8\n\
            Content-Transfer-Encoding: base64\n\
            \n\
            R3LDvMOfZSBhdXMgQmVybGluLgpad2VpdGUgWmVpbGUuCg==\n";
        let parsed = parse(text, &origin()).unwrap();
        assert_eq!(parsed.articles[0].body, "Grüße aus Berlin.\nZweite Zeile.");
        assert_eq!(parsed.articles[0].date, None);
    }

    #[test]
    fn prefers_the_plain_part_of_an_alternative() {
        let text = "From: a@example.com\n\
            Subject: Alternative\n\
            Content-Type: multipart/alternative; boundary=\"XYZ\"\n\
            \n\
            Preamble to ignore.\n\
            --XYZ\n\
            Content-Type: text/plain; charset=utf-8\n\
            \n\
            The plain version.\n\
            --XYZ\n\
            Content-Type: text/html; charset=utf-8\n\
            \n\
            <p>The <b>HTML</b> version.</p>\n\
            --XYZ--\n\
            Epilogue to ignore.\n";
        let parsed = parse(text, &origin()).unwrap();
        assert_eq!(parsed.articles[0].body, "The plain version.");
    }

    #[test]
    fn falls_back_to_the_first_text_part() {
        let text = "Subject: Only HTML\n\
            From: a@example.com\n\
            Content-Type: multipart/alternative; boundary=b\n\
            \n\
            --b\n\
            Content-Type: text/html\n\
            \n\
            <p>Hello</p>\n\
            --b--\n";
        let parsed = parse(text, &origin()).unwrap();
        assert_eq!(parsed.articles[0].body, "<p>Hello</p>");
    }

    #[test]
    fn ignores_attachments_and_joins_nested_plain_parts() {
        let text = "From: a@example.com\n\
            Subject: With attachment\n\
            Content-Type: multipart/mixed; boundary=outer\n\
            \n\
            --outer\n\
            Content-Type: multipart/alternative; boundary=inner\n\
            \n\
            --inner\n\
            Content-Type: text/plain\n\
            \n\
            First part.\n\
            --inner\n\
            Content-Type: text/html\n\
            \n\
            <p>First part.</p>\n\
            --inner--\n\
            --outer\n\
            Content-Type: application/pdf; name=report.pdf\n\
            Content-Transfer-Encoding: base64\n\
            Content-Disposition: attachment; filename=report.pdf\n\
            \n\
            JVBERi0xLjQKJcfsj6IKNSAwIG9iago=\n\
            --outer\n\
            Content-Type: text/plain; name=notes.txt\n\
            Content-Disposition: attachment; filename=notes.txt\n\
            \n\
            An attached text file.\n\
            --outer\n\
            Content-Type: text/plain\n\
            \n\
            Second part.\n\
            --outer--\n";
        let parsed = parse(text, &origin()).unwrap();
        assert!(parsed.problems.is_empty());
        assert_eq!(parsed.articles[0].body, "First part.\n\nSecond part.");
    }

    #[test]
    fn reads_an_mbox() {
        let text = include_str!("../../../tests/fixtures/formats/mail/three.mbox");
        assert!(looks_like(text));
        let parsed = parse(text, &origin()).unwrap();
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        let ids: Vec<&str> = parsed.articles.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "news/post#1993Apr19.1@jpl.nasa.gov",
                "news/post#2",
                "news/post#3"
            ]
        );
        let [first, second, third] = parsed.articles.as_slice() else {
            panic!("{parsed:?}");
        };
        assert_eq!(first.headline, "First message");
        assert_eq!(first.date, Some(date!(1993 - 04 - 19)));
        assert_eq!(
            first.body,
            "From the start of a line, escaped.\n>From quoted, escaped twice.\n\nFrom here on, the end."
        );
        // `>From ` escapes were undone first: the line that was `>>From `
        // quotes, the one that was `>From ` is the author's.
        assert_eq!(
            first.quotes().collect::<Vec<_>>(),
            [">From quoted, escaped twice.\n"]
        );
        assert_eq!(second.headline, "Second message, no date");
        assert_eq!((second.date, second.time), (None, None));
        assert_eq!(second.body, "Undated body.");
        assert_eq!(third.headline, "Re: Third message");
        assert_eq!(third.date, Some(date!(1993 - 04 - 21)));
        assert_eq!(third.time, Some(time!(08:00)));
        assert_eq!(third.body, "Last body.");
    }

    #[test]
    fn a_reply_marks_what_it_quotes_and_other_mail_nothing() {
        let text = "From: jdoe@cs.cmu.edu (Jane Doe)\n\
            Newsgroups: talk.politics.guns\n\
            Subject: Re: Waco\n\
            \n\
            In article <1993Apr20.1@cs.cmu.edu>\n\
            roe@x.org (Richard Roe) writes:  \n\
            \n\
            >The Koreshians rubbed themselves out.\n\
            >> Nested.   \n\
            \n\
            \n\
            Koresh chose.\n";
        let parsed = parse(text, &origin()).unwrap();
        let article = &parsed.articles[0];
        // Quoted ranges are of the body as normalised (blank runs made one,
        // trailing spaces gone).
        assert_eq!(
            article.body,
            "In article <1993Apr20.1@cs.cmu.edu>\nroe@x.org (Richard Roe) writes:\n\n\
             >The Koreshians rubbed themselves out.\n>> Nested.\n\nKoresh chose."
        );
        assert_eq!(article.own_words(), "\nKoresh chose.");
        let text = "From: a@b\nSubject: Plain\n\nNo quotes: none at all.\n";
        assert!(parse(text, &origin()).unwrap().articles[0]
            .quoted
            .is_empty());
    }

    #[test]
    fn duplicate_message_ids_fall_back_to_numbers() {
        let text = "From a Tue Apr 20 12:34:56 1993\n\
            Message-ID: <same@x>\nSubject: One\n\nBody one.\n\n\
            From b Tue Apr 20 12:35:56 1993\n\
            Message-ID: <same@x>\nSubject: Two\n\nBody two.\n\n\
            From c Tue Apr 20 12:36:56 1993\n\
            Message-ID: <other@x>\nSubject: Three\n\nBody three.\n";
        let parsed = parse(text, &origin()).unwrap();
        let ids: Vec<&str> = parsed.articles.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["news/post#1", "news/post#2", "news/post#other@x"]);
    }

    #[test]
    fn a_message_without_subject_takes_its_first_line() {
        let text = "From: a@example.com\nDate: 1 May 2001 10:00 GMT\n\n\n  Storm hits coast  \nMore text.\n";
        let parsed = parse(text, &origin()).unwrap();
        let article = &parsed.articles[0];
        assert_eq!(article.headline, "Storm hits coast");
        assert_eq!(article.body, "  Storm hits coast\nMore text.");
        assert_eq!(article.date, Some(date!(2001 - 05 - 01)));
    }

    #[test]
    fn an_unreadable_date_is_a_problem_not_a_skip() {
        let text = "From: a@example.com\nSubject: Hello\nDate: sometime in spring\n\nBody.\n";
        let parsed = parse(text, &origin()).unwrap();
        assert_eq!(parsed.articles.len(), 1);
        assert_eq!(parsed.articles[0].date, None);
        assert_eq!(
            parsed.problems,
            [Problem {
                location: "message 1".into(),
                reason: "unreadable date 'sometime in spring', indexed without a date".into(),
            }]
        );
    }

    #[test]
    fn broken_messages_in_an_mbox_are_problems() {
        let text = "From a Tue Apr 20 12:34:56 1993\n\
            Just text, no headers.\n\n\
            From b Tue Apr 20 12:35:56 1993\n\
            From: a@x\nDate: Tue, 20 Apr 1993 12:34:56 GMT\n\n\n\
            From c Tue Apr 20 12:36:56 1993\n\
            Subject: Fine\nDate: 31 Feb 1993 10:00\n\nBody.\n\n\
            From d Tue Apr 20 12:37:56 1993\n\
            Subject: Also fine\n\nBody.\n";
        let parsed = parse(text, &origin()).unwrap();
        let headlines: Vec<&str> = parsed
            .articles
            .iter()
            .map(|a| a.headline.as_str())
            .collect();
        assert_eq!(headlines, ["Fine", "Also fine"]);
        let ids: Vec<&str> = parsed.articles.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["news/post#3", "news/post#4"]);
        let problems: Vec<String> = parsed.problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            problems,
            [
                "message 1: not a mail message: no headers",
                "message 2: no subject and no body text",
                "message 3: unreadable date '31 Feb 1993 10:00', indexed without a date",
            ]
        );
    }

    #[test]
    fn a_single_message_with_nothing_in_it_is_malformed() {
        assert!(matches!(
            parse("From: a@b\nTo: c@d\n\n   \n", &origin()),
            Err(ParseError::Malformed(_))
        ));
        assert!(matches!(
            parse("Just some words\n\nand more", &origin()),
            Err(ParseError::Malformed(_))
        ));
    }

    #[test]
    fn a_blank_line_and_a_from_without_headers_do_not_split() {
        let text = "From a Tue Apr 20 12:34:56 1993\n\
            Subject: One\n\nFirst paragraph.\n\nFrom the desk of the editor.\nThanks.\n";
        let parsed = parse(text, &origin()).unwrap();
        assert_eq!(parsed.articles.len(), 1);
        assert_eq!(
            parsed.articles[0].body,
            "First paragraph.\n\nFrom the desk of the editor.\nThanks."
        );
    }
}
