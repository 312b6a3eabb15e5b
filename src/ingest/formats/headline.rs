//! Headline-first text with no date line: the first non-blank line is the
//! headline, the rest the body (the BBC News corpus). Articles are undated.
//!
//! Nothing in such a file marks where an article ends, so any text that no
//! other format claims is one article, however it is laid out: TIME.ALL, the
//! 423 articles of a SMART collection in 1.5 MB, came out as one. Two signs
//! that a file is not one headline-first article are problems, which the
//! run prints as warnings: a headline longer than [`MAX_HEADLINE_CHARS`],
//! and a file larger than [`MAX_ARTICLE_BYTES`]. The article is indexed all
//! the same.

use indicatif::HumanBytes;

use super::text::join_paragraphs;
use super::{ParseError, Parsed, Problem};
use crate::article::Origin;

/// The longest headline taken without a warning, in characters. The longest
/// in the shared corpora is a 263-character subject of 20news-bydate (BBC's
/// longest headline is 52, Reuters-21578's longest title 138), while 61% of
/// the BBC's body paragraphs are longer than 300: a longer first line is
/// more likely a paragraph (a file with no headline, or text not broken
/// into lines) than a headline.
pub const MAX_HEADLINE_CHARS: usize = 300;

/// The largest file read as one article without a warning, in bytes of
/// text. The largest single article in the shared corpora is a 160,616-byte
/// 20news-bydate post (a FAQ); a BBC article is at most 25 KB, a TIME record
/// 31 KB, a Reuters-21578 body 13 KB. 512 KiB, over three times the largest,
/// is some 80,000 words, a book more than an article (a long transcript
/// stays under it); TIME.ALL is three times as much.
pub const MAX_ARTICLE_BYTES: usize = 512 * 1024;

/// Reads a headline-first file: the first line, then the body; no date.
pub fn parse(text: &str, origin: &Origin) -> Result<Parsed, ParseError> {
    let mut lines = text.lines().map(str::trim_end).enumerate();
    let (index, headline) = lines
        .by_ref()
        .map(|(index, line)| (index, line.trim()))
        .find(|(_, line)| !line.is_empty())
        .ok_or(ParseError::Empty)?;
    let mut problems = Vec::new();
    let chars = headline.chars().count();
    if chars > MAX_HEADLINE_CHARS {
        problems.push(Problem {
            location: format!("line {}", index + 1),
            reason: format!(
                "a headline of {chars} characters (over {MAX_HEADLINE_CHARS}): \
                 this may be a paragraph, not a headline-first article"
            ),
        });
    }
    if text.len() > MAX_ARTICLE_BYTES {
        problems.push(Problem {
            location: "whole file".to_string(),
            reason: format!(
                "{} read as one headline-first article (over {} KiB): \
                 the file may hold many articles in a format dateline does not read",
                HumanBytes(text.len() as u64),
                MAX_ARTICLE_BYTES / 1024
            ),
        });
    }
    let article = origin.article(
        origin.id.clone(),
        None,
        None,
        headline.to_string(),
        join_paragraphs(lines.map(|(_, line)| line)),
    );
    Ok(Parsed {
        articles: vec![article],
        problems,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin() -> Origin {
        Origin {
            id: "bbc/tech/001.txt".into(),
            path: "/x/bbc/tech/001.txt".into(),
        }
    }

    #[test]
    fn the_first_line_is_the_headline() {
        let parsed = parse(
            "\n  Ad sales boost Time Warner profit \n\nQuarterly profits at US media giant\nTimeWarner jumped.\n\n\nIt is good.\n",
            &origin(),
        )
        .unwrap();
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        let [article] = parsed.articles.as_slice() else {
            panic!("{parsed:?}");
        };
        assert_eq!(article.headline, "Ad sales boost Time Warner profit");
        assert_eq!(
            article.body,
            "Quarterly profits at US media giant\nTimeWarner jumped.\n\nIt is good."
        );
        assert_eq!((article.date, article.time), (None, None));
        assert_eq!(article.id, "bbc/tech/001.txt");
    }

    #[test]
    fn an_overlong_headline_is_a_problem_not_a_skip() {
        // A file with no headline: its first line is a paragraph.
        let paragraph = "Quarterly profits at US media giant TimeWarner jumped. ".repeat(6);
        let text = format!("\n\n{paragraph}\n\nThe firm said so.\n");
        let parsed = parse(&text, &origin()).unwrap();
        assert_eq!(parsed.articles[0].headline, paragraph.trim());
        assert_eq!(parsed.articles[0].body, "The firm said so.");
        assert_eq!(
            parsed.problems,
            [Problem {
                location: "line 3".into(),
                reason: "a headline of 329 characters (over 300): \
                         this may be a paragraph, not a headline-first article"
                    .into(),
            }]
        );
        // At the limit, and in characters, not bytes: no problem.
        let headline = "é".repeat(MAX_HEADLINE_CHARS);
        let parsed = parse(&format!("{headline}\n\nBody."), &origin()).unwrap();
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        let parsed = parse(&format!("{headline}é\n\nBody."), &origin()).unwrap();
        assert_eq!(parsed.problems.len(), 1);
    }

    #[test]
    fn a_file_too_large_for_one_article_is_a_problem_not_a_skip() {
        // Many SMART records in one file, as TIME.ALL holds them.
        let record = "*TEXT 017 01/04/63 PAGE 020\n\nTHE ALLIES AFTER NASSAU .\n\n";
        let text = record.repeat(MAX_ARTICLE_BYTES / record.len() + 1);
        let parsed = parse(&text, &origin()).unwrap();
        assert_eq!(parsed.articles.len(), 1);
        assert_eq!(parsed.articles[0].headline, "*TEXT 017 01/04/63 PAGE 020");
        assert_eq!(
            parsed.problems,
            [Problem {
                location: "whole file".into(),
                reason: "512.04 KiB read as one headline-first article (over 512 KiB): \
                         the file may hold many articles in a format dateline does not read"
                    .into(),
            }]
        );
        let text = &text[..MAX_ARTICLE_BYTES];
        assert!(parse(text, &origin()).unwrap().problems.is_empty());
    }
}
