//! What the formats share in reading an article's [`Metadata`]: the tidying
//! every format's metadata goes through.

use crate::article::{Metadata, Tag};

/// What every format's metadata is made to keep: each value on one line
/// (runs of white space and control characters become one space), blank
/// values dropped, and each author, source and tag once, in the order
/// first given.
pub fn tidy(meta: &mut Metadata) {
    if meta.is_empty() {
        return;
    }
    tidy_list(&mut meta.authors);
    tidy_list(&mut meta.sources);
    for value in [&mut meta.section, &mut meta.url, &mut meta.language] {
        *value = value.as_deref().and_then(line_of);
    }
    let mut tags: Vec<Tag> = Vec::with_capacity(meta.tags.len());
    for tag in meta.tags.drain(..) {
        let Some(value) = line_of(&tag.value) else {
            continue;
        };
        let kind = tag.kind.as_deref().and_then(line_of);
        let tag = Tag { kind, value };
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    meta.tags = tags;
}

fn tidy_list(values: &mut Vec<String>) {
    let mut kept: Vec<String> = Vec::with_capacity(values.len());
    for value in values.drain(..) {
        if let Some(value) = line_of(&value) {
            if !kept.contains(&value) {
                kept.push(value);
            }
        }
    }
    *values = kept;
}

/// A value on one line, or none when it is blank.
fn line_of(value: &str) -> Option<String> {
    let line = super::text::one_line(&value.replace(char::is_control, " "));
    (!line.is_empty()).then_some(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_is_tidied_to_single_lines_once_each() {
        let mut meta = Metadata {
            authors: vec![
                " Jane\n Doe ".into(),
                "Jane Doe".into(),
                "  ".into(),
                "Al\x1b[31m".into(),
            ],
            sources: vec!["sci.space".into(), "".into(), "sci.space".into()],
            section: Some(" \t ".into()),
            tags: vec![
                Tag::of("place", "usa"),
                Tag::of("place", " usa"),
                Tag::of("topic", "usa"),
                Tag::keyword(""),
                Tag::keyword("usa"),
            ],
            url: Some(" https://example.com/a \n".into()),
            language: Some("en".into()),
        };
        tidy(&mut meta);
        assert_eq!(meta.authors, ["Jane Doe", "Al [31m"]);
        assert_eq!(meta.sources, ["sci.space"]);
        assert_eq!(meta.section, None);
        assert_eq!(
            meta.tags,
            [
                Tag::of("place", "usa"),
                Tag::of("topic", "usa"),
                Tag::keyword("usa")
            ]
        );
        assert_eq!(meta.url.as_deref(), Some("https://example.com/a"));
        assert_eq!(meta.language.as_deref(), Some("en"));
    }
}
