//! What the formats share in reading an article's [`Metadata`]: the names
//! in a byline, and the tidying every format's metadata goes through.

use crate::article::{Metadata, Tag};

/// The names a byline gives: `By Jane Doe` → `Jane Doe`; `By Jonathan Lynn
/// and Anthony Williams` → both (so that either author finds the
/// article). Names are kept as written otherwise; blank ones are dropped.
pub fn names_in_byline(byline: &str) -> Vec<String> {
    let line = super::text::one_line(byline);
    let mut rest = line.as_str();
    if let Some(after) = rest
        .get(..2)
        .filter(|by| by.eq_ignore_ascii_case("by"))
        .map(|_| &rest[2..])
    {
        if after.is_empty() || after.starts_with([' ', ':']) {
            rest = after.trim_start_matches([' ', ':']);
        }
    }
    // ASCII lower-casing keeps every byte where it was, so offsets found
    // in `lower` cut `rest` on the same characters.
    let lower = rest.to_ascii_lowercase();
    let mut names = Vec::new();
    let mut from = 0;
    for (at, _) in lower.match_indices(" and ") {
        names.push(&rest[from..at]);
        from = at + " and ".len();
    }
    names.push(&rest[from..]);
    names
        .into_iter()
        .map(|name| name.trim_matches(|c: char| c.is_whitespace() || c == ','))
        .filter(|name| !name.is_empty())
        .map(str::to_string)
        .collect()
}

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
    fn a_byline_gives_its_names() {
        let cases: &[(&str, &[&str])] = &[
            ("By Jane Doe", &["Jane Doe"]),
            ("  by  Jane   Doe ", &["Jane Doe"]),
            ("BY TED D'AFFLISIO", &["TED D'AFFLISIO"]),
            ("By: Jane Doe", &["Jane Doe"]),
            (
                "By Jonathan Lynn and Anthony Williams",
                &["Jonathan Lynn", "Anthony Williams"],
            ),
            (
                "BY PATRICK RIZZO AND PATTI DOMM",
                &["PATRICK RIZZO", "PATTI DOMM"],
            ),
            ("Jane Doe, Contributor", &["Jane Doe, Contributor"]),
            ("Byron Hale", &["Byron Hale"]),
            ("Sandra Anderson", &["Sandra Anderson"]),
            ("By ", &[]),
            ("", &[]),
            ("By", &[]),
            ("By:", &[]),
        ];
        for (byline, names) in cases {
            assert_eq!(names_in_byline(byline), *names, "{byline:?}");
        }
        // Characters that change length when lower-cased (İ) do not move the cuts.
        assert_eq!(names_in_byline("By İlker and Ömer"), ["İlker", "Ömer"]);
    }

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
