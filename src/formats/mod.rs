//! Input formats: each turns a file's bytes into [`Article`]s. A format knows
//! nothing of walking folders or of the index.

pub mod text;

use crate::article::{Article, Origin};
use crate::dates::DateError;

/// Why a file yielded no article. One of these skips that file, never the run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("empty file")]
    Empty,
    #[error("not valid UTF-8 (first bad byte at offset {offset})")]
    NotUtf8 { offset: usize },
    #[error("no date line: the first line should be ' date YYYY-MM-DD Headline'")]
    NoDateLine,
    #[error("bad date line: {0}")]
    BadDate(DateError),
}

impl ParseError {
    /// A short name for the kind of problem, for counting skips in a summary.
    pub fn kind(&self) -> &'static str {
        match self {
            ParseError::Empty => "empty",
            ParseError::NotUtf8 { .. } => "not UTF-8",
            ParseError::NoDateLine => "no date line",
            ParseError::BadDate(_) => "bad date",
        }
    }
}

/// Parses one file's bytes. Today every file is in the reference text format.
pub fn parse(bytes: &[u8], origin: Origin) -> Result<Vec<Article>, ParseError> {
    let text = decode_utf8(bytes)?;
    text::parse(text, origin).map(|article| vec![article])
}

/// Reads bytes as UTF-8, dropping a byte-order mark.
fn decode_utf8(bytes: &[u8]) -> Result<&str, ParseError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| ParseError::NotUtf8 {
        offset: e.valid_up_to(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin() -> Origin {
        Origin {
            id: "a.txt".into(),
            path: "/x/a.txt".into(),
        }
    }

    #[test]
    fn a_byte_order_mark_is_dropped() {
        let articles = parse(b"\xEF\xBB\xBF date 2025-03-17 Headline\n\nBody.", origin()).unwrap();
        assert_eq!(articles[0].headline, "Headline");
    }

    #[test]
    fn invalid_utf8_is_reported_with_its_offset() {
        let err = parse(b" date 2025-03-17 Caf\xE9\n", origin()).unwrap_err();
        assert_eq!(err, ParseError::NotUtf8 { offset: 20 });
        assert!(err.to_string().contains("offset 20"));
    }
}
