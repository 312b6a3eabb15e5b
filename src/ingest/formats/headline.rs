//! Headline-first text with no date line: the first non-blank line is the
//! headline, the rest the body (the BBC News corpus). Articles are undated.

use super::text::join_paragraphs;
use super::ParseError;
use crate::article::{Article, Origin};

/// Reads a headline-first file: the first line, then the body; no date.
pub fn parse(text: &str, origin: &Origin) -> Result<Article, ParseError> {
    let mut lines = text.lines().map(str::trim_end);
    let headline = lines
        .by_ref()
        .map(str::trim)
        .find(|line| !line.is_empty())
        .ok_or(ParseError::Empty)?;
    Ok(origin.article(
        origin.id.clone(),
        None,
        None,
        headline.to_string(),
        join_paragraphs(lines),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_line_is_the_headline() {
        let origin = Origin {
            id: "bbc/tech/001.txt".into(),
            path: "/x/bbc/tech/001.txt".into(),
        };
        let article = parse(
            "\n  Ad sales boost Time Warner profit \n\nQuarterly profits at US media giant\nTimeWarner jumped.\n\n\nIt is good.\n",
            &origin,
        )
        .unwrap();
        assert_eq!(article.headline, "Ad sales boost Time Warner profit");
        assert_eq!(
            article.body,
            "Quarterly profits at US media giant\nTimeWarner jumped.\n\nIt is good."
        );
        assert_eq!((article.date, article.time), (None, None));
        assert_eq!(article.id, "bbc/tech/001.txt");
    }
}
