//! The reference format: one article per file.
//!
//! ```text
//!  date 2025-03-17 Headline words
//!
//! First paragraph.
//!
//! Second paragraph.
//! ```
//!
//! Tolerated: a missing or longer leading indent, CRLF line ends, trailing
//! spaces, blank lines before the date line and several between paragraphs.

use super::ParseError;
use crate::article::{Article, Origin};
use crate::dates;

/// Parses one article in the reference format.
pub fn parse(text: &str, origin: Origin) -> Result<Article, ParseError> {
    let mut lines = text.lines().map(|line| line.trim_end());
    let first = loop {
        match lines.next() {
            Some("") => continue,
            Some(line) => break line.trim_start(),
            None => return Err(ParseError::Empty),
        }
    };

    let rest = first.strip_prefix("date").ok_or(ParseError::NoDateLine)?;
    // (Blank files never get here: `formats::parse` refuses them first.)
    if !rest.starts_with(char::is_whitespace) {
        return Err(ParseError::NoDateLine);
    }
    let rest = rest.trim_start();
    let (date_text, headline) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    let date = dates::parse_day(date_text).map_err(ParseError::BadDate)?;

    Ok(Article {
        id: origin.id,
        path: origin.path,
        date: Some(date),
        time: None,
        headline: headline.trim().to_string(),
        body: join_paragraphs(lines),
        quoted: Vec::new(),
        meta: Default::default(),
    })
}

/// Whether a (trimmed) line is a reference-format date line: `date` and a
/// digit after white space.
pub fn is_date_line(line: &str) -> bool {
    line.strip_prefix("date")
        .filter(|rest| rest.starts_with(char::is_whitespace))
        .is_some_and(|rest| rest.trim_start().starts_with(|c: char| c.is_ascii_digit()))
}

/// Joins lines into paragraphs separated by one blank line; runs of blank
/// lines collapse, lines inside a paragraph keep their line breaks. Shared
/// by the formats whose bodies are plain text.
pub fn join_paragraphs<'a>(lines: impl Iterator<Item = &'a str>) -> String {
    let mut body = String::new();
    let mut blank_run = false;
    for line in lines {
        if line.trim().is_empty() {
            blank_run = true;
            continue;
        }
        if !body.is_empty() {
            body.push_str(if blank_run { "\n\n" } else { "\n" });
        }
        body.push_str(line);
        blank_run = false;
    }
    body
}

/// Text as paragraphs: trailing spaces trimmed, runs of blank lines made one.
pub fn paragraphs(text: &str) -> String {
    join_paragraphs(text.lines().map(str::trim_end))
}

/// Text on one line, every run of white space made one space.
pub fn one_line(text: &str) -> String {
    let mut line = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn parse_str(text: &str) -> Result<Article, ParseError> {
        parse(
            text,
            Origin {
                id: "id".into(),
                path: "path".into(),
            },
        )
    }

    #[test]
    fn reads_the_reference_format() {
        let article = parse_str(
            " date 2025-03-17 Trump to speak with Putin\n\nFirst paragraph.\n\nSecond one.\n",
        )
        .unwrap();
        assert_eq!(article.date, Some(date!(2025 - 03 - 17)));
        assert_eq!(article.headline, "Trump to speak with Putin");
        assert_eq!(article.body, "First paragraph.\n\nSecond one.");
        assert_eq!((article.id.as_str(), article.path.as_str()), ("id", "path"));
    }

    #[test]
    fn tolerates_crlf_trailing_spaces_and_blank_runs() {
        let article = parse_str(
            "\r\n\r\n   date   2024-02-29   Leap  day  \r\n\r\n\r\nOne.  \r\nStill one. \r\n\r\n\r\n\r\nTwo.\r\n\r\n",
        )
        .unwrap();
        assert_eq!(article.date, Some(date!(2024 - 02 - 29)));
        assert_eq!(article.headline, "Leap  day");
        assert_eq!(article.body, "One.\nStill one.\n\nTwo.");
    }

    #[test]
    fn no_leading_space_and_no_body_are_fine() {
        let article = parse_str("date 2023-05-12 Only a headline").unwrap();
        assert_eq!(article.headline, "Only a headline");
        assert_eq!(article.body, "");
    }

    #[test]
    fn a_date_line_without_headline_gives_an_empty_headline() {
        let article = parse_str(" date 2023-05-12\n\nBody.").unwrap();
        assert_eq!(article.headline, "");
        assert_eq!(article.body, "Body.");
    }

    #[test]
    fn refuses_what_is_not_an_article() {
        assert_eq!(parse_str(""), Err(ParseError::Empty));
        assert_eq!(parse_str(" \n\t\n  \r\n"), Err(ParseError::Empty));
        assert_eq!(parse_str("Headline\n\nBody"), Err(ParseError::NoDateLine));
        assert_eq!(parse_str("dated 2025-03-17 x"), Err(ParseError::NoDateLine));
        assert_eq!(parse_str(" date"), Err(ParseError::NoDateLine));
        assert!(matches!(
            parse_str(" date 2025-02-30 Impossible"),
            Err(ParseError::BadDate(_))
        ));
        assert!(matches!(
            parse_str(" date 17/03/2025 Wrong order"),
            Err(ParseError::BadDate(_))
        ));
        assert!(matches!(
            parse_str(" date 2025-03 Month only"),
            Err(ParseError::BadDate(_))
        ));
    }
}
