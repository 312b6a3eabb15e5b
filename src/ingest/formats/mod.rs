//! Input formats: each turns a file's text into [`Article`]s. A format knows
//! nothing of walking folders, of containers or of the index.
//!
//! | format | files | articles |
//! | --- | --- | --- |
//! | `text` | ` date YYYY-MM-DD Headline`, blank line, body | one per file |
//! | `headline` | first line the headline, then the body; no date | one per file |
//! | `reuters` | Reuters-21578 SGML (`.sgm`) | one per `<REUTERS>` record |
//! | `json` | JSON lines (`.jsonl`, `.ndjson`) or a JSON array/object (`.json`) | one per object |
//! | `mail` | a Usenet post or e-mail (RFC 5322), or an mbox of many | one per message |

pub mod headline;
pub mod json;
pub mod mail;
mod metadata;
pub mod quotes;
pub mod reuters;
pub mod text;

use std::borrow::Cow;
use std::fmt;

use crate::article::{Article, Origin};
use crate::dates::{self, DateError};
use crate::text::on_one_line;

/// An input format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    /// ` date YYYY-MM-DD Headline`, a blank line, the body.
    Text,
    /// The headline on the first line, then the body; no date.
    Headline,
    /// Reuters-21578 SGML.
    Reuters,
    /// JSON lines, or a JSON array or object.
    Json,
    /// An e-mail or Usenet post, or an mbox of many.
    Mail,
}

impl Format {
    /// Every format, in the order they are listed.
    pub const ALL: [Format; 5] = [
        Format::Text,
        Format::Headline,
        Format::Reuters,
        Format::Json,
        Format::Mail,
    ];

    /// The name used on the command line (`--format`) and in summaries.
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Headline => "headline",
            Format::Reuters => "reuters",
            Format::Json => "json",
            Format::Mail => "mail",
        }
    }

    /// The format with this name.
    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The format a file name's extension promises, if it promises one.
    pub fn from_extension(name: &str) -> Option<Format> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "sgm" | "sgml" => Some(Format::Reuters),
            "json" | "jsonl" | "ndjson" => Some(Format::Json),
            "eml" | "mbox" | "mbx" => Some(Format::Mail),
            _ => None,
        }
    }

    /// Whether a file with this name may hold articles: a known extension,
    /// `.txt`/`.text`, or no extension at all (Usenet spools name posts by
    /// number). Others (`.dtd`, `.jpg`, `.pdf`, …) are passed over.
    pub fn may_hold_articles(name: &str) -> bool {
        let file_name = name.rsplit('/').next().unwrap_or(name);
        let stem = file_name.split('.').next().unwrap_or(file_name);
        if ["readme", "license", "licence", "copying", "changelog"]
            .contains(&stem.to_ascii_lowercase().as_str())
        {
            return false;
        }
        match file_name.rsplit_once('.') {
            None => !file_name.is_empty(),
            Some((_, ext)) => {
                matches!(ext.to_ascii_lowercase().as_str(), "txt" | "text")
                    || Format::from_extension(file_name).is_some()
            }
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Format {
    type Err = String;

    /// A format by its name (`--format mail`).
    fn from_str(name: &str) -> Result<Format, String> {
        Format::from_name(name).ok_or_else(|| {
            let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
            format!("unknown format '{name}' (formats: {})", names.join(", "))
        })
    }
}

/// A part of an article that a JSON key can be mapped to, and the key:
/// `headline=title` (`--field`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyFor {
    /// One of [`FieldMap::PARTS`]: `id`, `date`, `headline`, `body`,
    /// `author`, `source`, `section`, `tags`, `url` or `language`.
    pub part: &'static str,
    /// The JSON key.
    pub key: String,
}

impl std::str::FromStr for KeyFor {
    type Err = String;

    fn from_str(text: &str) -> Result<KeyFor, String> {
        let (part, key) = text
            .split_once('=')
            .ok_or_else(|| format!("'{text}' should be PART=KEY, e.g. headline=title"))?;
        let part = FieldMap::PARTS
            .into_iter()
            .find(|known| *known == part.trim())
            .ok_or_else(|| {
                format!(
                    "unknown part '{}' (parts: {})",
                    part.trim(),
                    FieldMap::PARTS.join(", ")
                )
            })?;
        let key = key.trim();
        if key.is_empty() {
            return Err(format!("'{text}' names no key"));
        }
        Ok(KeyFor {
            part,
            key: key.to_string(),
        })
    }
}

/// Which JSON keys hold which part of an article, when they are not among
/// the names recognised by default (`--field headline=title`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldMap {
    /// The key of the id.
    pub id: Option<String>,
    /// The key of the date.
    pub date: Option<String>,
    /// The key of the headline.
    pub headline: Option<String>,
    /// The key of the body.
    pub body: Option<String>,
    /// The key of the authors (a byline).
    pub author: Option<String>,
    /// The key of the sources (the outlet, site or feed).
    pub source: Option<String>,
    /// The key of the section (or category).
    pub section: Option<String>,
    /// The key of the tags (keywords, subjects).
    pub tags: Option<String>,
    /// The key of the article's address.
    pub url: Option<String>,
    /// The key of the article's language.
    pub language: Option<String>,
}

impl FieldMap {
    /// The parts a key can be given for.
    pub const PARTS: [&'static str; 10] = [
        "id", "date", "headline", "body", "author", "source", "section", "tags", "url", "language",
    ];

    /// Maps a part to a key, replacing what it was mapped to.
    pub fn set(&mut self, key_for: KeyFor) {
        let slot = match key_for.part {
            "id" => &mut self.id,
            "date" => &mut self.date,
            "headline" => &mut self.headline,
            "author" => &mut self.author,
            "source" => &mut self.source,
            "section" => &mut self.section,
            "tags" => &mut self.tags,
            "url" => &mut self.url,
            "language" => &mut self.language,
            _ => &mut self.body,
        };
        *slot = Some(key_for.key);
    }

    /// Every key named for a part.
    pub fn named(&self) -> impl Iterator<Item = &str> {
        [
            &self.id,
            &self.date,
            &self.headline,
            &self.body,
            &self.author,
            &self.source,
            &self.section,
            &self.tags,
            &self.url,
            &self.language,
        ]
        .into_iter()
        .filter_map(Option::as_deref)
    }
}

/// How files are to be read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormatOptions {
    /// `--format NAME`: read every file in this format instead of detecting.
    pub forced: Option<Format>,
    /// `--field`: JSON keys for the parts of an article.
    pub fields: FieldMap,
    /// `--section-from-folder`: an article whose file names no section
    /// takes the name of the folder directly holding the file
    /// (`bbc/business/001.txt`: `business`). The formats know nothing of
    /// folders: the reader gives it (`ingest::read`).
    pub section_from_folder: bool,
}

/// What a file (or a container member) yielded.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Parsed {
    /// The articles found, in the file's order.
    pub articles: Vec<Article>,
    /// Parts of the file that could not be read (a bad JSON line, a broken
    /// record). The rest of the file is indexed all the same.
    pub problems: Vec<Problem>,
}

impl Parsed {
    /// One article, and no problems.
    pub fn one(article: Article) -> Parsed {
        Parsed {
            articles: vec![article],
            problems: Vec::new(),
        }
    }
}

/// A part of a file that was not indexed, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where in the file: `line 12`, `record NEWID=5`, `message 3`.
    pub location: String,
    /// What is wrong there.
    pub reason: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.reason)
    }
}

/// Why a whole file yielded no article. One of these skips that file, never the run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// Nothing but white space.
    #[error("empty file")]
    Empty,
    /// Bytes that are not text (a NUL).
    #[error("binary data, not text")]
    Binary,
    /// A text file without its ` date YYYY-MM-DD` line.
    #[error("no date line: the first line should be ' date YYYY-MM-DD Headline'")]
    NoDateLine,
    /// A date line whose date cannot be read.
    #[error("bad date line: {0}")]
    BadDate(DateError),
    /// The file is in a format but holds nothing readable in it.
    #[error("{0}")]
    Malformed(String),
}

impl ParseError {
    /// A short name for the kind of problem, for counting skips in a summary.
    pub fn kind(&self) -> &'static str {
        match self {
            ParseError::Empty => "empty",
            ParseError::Binary => "binary",
            ParseError::NoDateLine => "no date line",
            ParseError::BadDate(_) => "bad date",
            ParseError::Malformed(_) => "malformed",
        }
    }
}

/// Text decoded from a file's bytes.
#[derive(Debug)]
pub struct Decoded<'a> {
    /// The text.
    pub text: Cow<'a, str>,
    /// The bytes were not valid UTF-8 and were read as Windows-1252.
    pub legacy: bool,
}

/// Decodes a file's bytes: UTF-8 (a byte-order mark dropped); where bytes
/// are not UTF-8, each is read as Windows-1252, which maps every byte to a
/// character, so nothing is lost. A Latin-1 file reads right, and so does
/// the UTF-8 of a file with a stray Latin-1 byte in it. Bytes with NUL in
/// them are binary, not text.
pub fn decode(bytes: &[u8]) -> Result<Decoded<'_>, ParseError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.contains(&0) {
        return Err(ParseError::Binary);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(Decoded {
            text: Cow::Borrowed(text),
            legacy: false,
        });
    }
    let mut text = String::with_capacity(bytes.len() + bytes.len() / 8);
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        let (legacy, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(chunk.invalid());
        text.push_str(&legacy);
    }
    Ok(Decoded {
        text: Cow::Owned(text),
        legacy: true,
    })
}

/// Picks the format of a file from its name, then from its first lines.
pub fn detect(name: &str, text: &str) -> Format {
    if let Some(format) = Format::from_extension(name) {
        return format;
    }
    let first = text
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty())
        .unwrap_or("");
    if text::is_date_line(first) {
        Format::Text
    } else if reuters::looks_like(first) {
        Format::Reuters
    } else if first.starts_with('{') || first.starts_with('[') {
        Format::Json
    } else if mail::looks_like(text) {
        Format::Mail
    } else {
        Format::Headline
    }
}

/// Parses one file's text in the given format.
pub fn parse(
    format: Format,
    text: &str,
    origin: &Origin,
    options: &FormatOptions,
) -> Result<Parsed, ParseError> {
    if text.trim().is_empty() {
        return Err(ParseError::Empty);
    }
    let parsed = match format {
        Format::Text => text::parse(text, origin.clone()).map(Parsed::one),
        Format::Headline => headline::parse(text, origin),
        Format::Reuters => reuters::parse(text, origin),
        Format::Json => json::parse(text, origin, &options.fields),
        Format::Mail => mail::parse(text, origin),
    }?;
    Ok(finish(parsed))
}

/// Parses one piece of a large JSON-lines file (see
/// `container::Piece`); `seen` carries what the file's
/// earlier pieces leave to the later ones.
pub fn parse_piece(
    text: &str,
    first_line: usize,
    origin: &Origin,
    options: &FormatOptions,
    seen: &mut json::SeenKeys,
) -> Parsed {
    finish(json::parse_piece(
        text,
        first_line,
        origin,
        &options.fields,
        seen,
    ))
}

/// What every format's articles go through: see [`tidy`]; and a date the
/// index cannot hold is dropped, with a problem.
fn finish(mut parsed: Parsed) -> Parsed {
    tidy(&mut parsed);
    for article in &mut parsed.articles {
        if let Some(date) = article.date.filter(|date| !dates::INDEXABLE.contains(date)) {
            article.date = None;
            article.time = None;
            parsed.problems.push(Problem {
                location: format!("date {}", dates::Iso(date)),
                reason: format!(
                    "outside the years {} to {} the index holds; indexed without a date",
                    dates::INDEXABLE.start().year(),
                    dates::INDEXABLE.end().year()
                ),
            });
        }
    }
    parsed
}

/// The longest problem message kept, in characters.
const PROBLEM_CHARS: usize = crate::text::QUOTED_CHARS;

/// What every format's output is made to keep, whatever the file held: a
/// headline on one line; a body with line breaks and tabs but no other
/// control characters (a stray carriage return, a terminal escape);
/// metadata on one line, without blanks or repeats (see
/// [`metadata::tidy`]); problems on one line, and short.
fn tidy(parsed: &mut Parsed) {
    for article in &mut parsed.articles {
        metadata::tidy(&mut article.meta);
        if article.headline.contains(|c: char| c.is_control()) {
            article.headline = text::one_line(&article.headline.replace(char::is_control, " "));
        }
        let stray = |c: char| c.is_control() && c != '\n' && c != '\t';
        if article.body.contains(stray) {
            article.body = article.body.replace(stray, " ");
        }
    }
    for problem in &mut parsed.problems {
        problem.location = on_one_line(&problem.location, PROBLEM_CHARS);
        problem.reason = on_one_line(&problem.reason, PROBLEM_CHARS);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_byte_order_mark_is_dropped() {
        let decoded = decode(b"\xEF\xBB\xBF date 2025-03-17 Headline").unwrap();
        assert_eq!(decoded.text, " date 2025-03-17 Headline");
        assert!(!decoded.legacy);
    }

    #[test]
    fn invalid_utf8_is_read_as_windows_1252() {
        let decoded = decode(b"Caf\xE9 \x93quoted\x94").unwrap();
        assert_eq!(decoded.text, "Café “quoted”");
        assert!(decoded.legacy);
    }

    #[test]
    fn utf8_around_a_stray_byte_stays_utf8() {
        let bytes = ["Naïve café — ".as_bytes(), b"\xe9t\xe9"].concat();
        let decoded = decode(&bytes).unwrap();
        assert_eq!(decoded.text, "Naïve café — été");
        assert!(decoded.legacy);
    }

    #[test]
    fn nul_bytes_mean_binary() {
        assert_eq!(
            decode(b"PK\x03\x04\x00\x00").unwrap_err(),
            ParseError::Binary
        );
    }

    #[test]
    fn control_characters_never_reach_the_index() {
        let origin = Origin {
            id: "a.txt".into(),
            path: "/a.txt".into(),
        };
        let text = " date 2025-03-17 Talks\rresume \x1b[31mred\n\nA\x07b\tc\r\nd\x7fe";
        let parsed = parse(Format::Text, text, &origin, &FormatOptions::default()).unwrap();
        assert_eq!(parsed.articles[0].headline, "Talks resume [31mred");
        assert_eq!(parsed.articles[0].body, "A b\tc\nd e");
    }

    #[test]
    fn problems_are_quoted_on_one_line_and_short() {
        let mut parsed = Parsed {
            articles: Vec::new(),
            problems: vec![Problem {
                location: "line\n3".into(),
                reason: "x".repeat(1000),
            }],
        };
        tidy(&mut parsed);
        let shown = parsed.problems[0].to_string();
        assert!(shown.starts_with("line\\n3: xxx"), "{shown}");
        assert_eq!(
            shown.chars().count(),
            "line\\n3: ".len() + PROBLEM_CHARS + 1
        );
    }

    #[test]
    fn a_date_the_index_cannot_hold_is_dropped_with_a_problem() {
        let origin = Origin {
            id: "a.txt".into(),
            path: "/a.txt".into(),
        };
        let options = FormatOptions::default();
        let parsed = parse(
            Format::Text,
            " date 1500-01-01 Old\n\nBody",
            &origin,
            &options,
        )
        .unwrap();
        assert_eq!(parsed.articles.len(), 1);
        assert_eq!(parsed.articles[0].date, None);
        assert_eq!(parsed.articles[0].headline, "Old");
        assert_eq!(
            parsed.problems[0].to_string(),
            "date 1500-01-01: outside the years 1700 to 2199 the index holds; \
             indexed without a date"
        );
        let parsed = parse(
            Format::Text,
            " date 2199-12-31 Far\n\nBody",
            &origin,
            &options,
        )
        .unwrap();
        assert!(parsed.articles[0].date.is_some() && parsed.problems.is_empty());
    }

    #[test]
    fn formats_are_detected_by_extension_then_content() {
        assert_eq!(detect("a.sgm", ""), Format::Reuters);
        assert_eq!(detect("a.jsonl", ""), Format::Json);
        assert_eq!(
            detect("a.txt", "\n date 2025-03-17 Headline\n\nBody"),
            Format::Text
        );
        assert_eq!(
            detect("a.txt", "Ad sales boost Time Warner profit\n\nQuarterly"),
            Format::Headline
        );
        assert_eq!(
            detect("a", "<REUTERS TOPICS=\"YES\" NEWID=\"1\">"),
            Format::Reuters
        );
        assert_eq!(detect("a", "{\"headline\": \"x\"}"), Format::Json);
        // A post opening with the tail of a folded header (20news-bydate's
        // alt.atheism/51157) is mail; a date line that headers follow is text.
        assert_eq!(
            detect(
                "51157",
                " cs.utexas.edu!zazen\nSubject: Re: x\nFrom: z@b\n\nBody"
            ),
            Format::Mail
        );
        assert_eq!(
            detect(
                "a",
                " date 2025-03-17 Headline\nSubject: x\nFrom: a@b\n\nBody"
            ),
            Format::Text
        );
    }

    #[test]
    fn only_article_like_names_are_read() {
        for name in [
            "a.txt",
            "b.TXT",
            "r.sgm",
            "x.jsonl",
            "54321",
            "m.mbox",
            "news/2025/a.text",
        ] {
            assert!(Format::may_hold_articles(name), "{name}");
        }
        for name in [
            "README.TXT",
            "readme.txt",
            "LICENSE",
            "lewis.dtd",
            "pic.jpg",
            "x.pdf",
        ] {
            assert!(!Format::may_hold_articles(name), "{name}");
        }
    }
}
