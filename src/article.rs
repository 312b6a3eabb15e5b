//! The unit of everything: one news article, as found in a file and as kept
//! in the index.

use std::borrow::Cow;
use std::ops::Range;

use time::{Date, Time};

/// One article. `id` is stable across runs (it is derived from the file's
/// path relative to the folder that was indexed); `path` is where the file
/// was found, so a reader can open the original.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// The stable id: from the file's path below the indexed folder, and the record's key in a file of many.
    pub id: String,
    /// Where the file is (absolute); for a member of an archive, the
    /// archive (the id names the member: see [`member`]).
    pub path: String,
    /// The day the article ran, when the source says so. Sources with time
    /// zones give the day where the article was published (its local day),
    /// not the UTC day.
    pub date: Option<Date>,
    /// The time of day, when the source gives one (local, like `date`).
    pub time: Option<Time>,
    /// The headline, on one line.
    pub headline: String,
    /// The text, paragraphs separated by blank lines: all of it, as
    /// written, quotes and all.
    pub body: String,
    /// Byte ranges of `body` that quote others, not the author's own words:
    /// in a reply, the quoted lines (`> …`) and the attribution that
    /// introduces them (`In article <…> … writes:`). Whole lines, each with
    /// its line end; in order and apart. Empty unless the format knows
    /// quoting (mail); see [`Article::own_words`].
    pub quoted: Vec<Range<usize>>,
    /// Who wrote it, where it ran, what it is about, when the source says.
    pub meta: Metadata,
}

/// What a source says of an article beside its date, headline and body.
/// Every part is empty when the format carries none.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Metadata {
    /// Who wrote it, as the source names them: `C. D. Tavares
    /// <cdt@rocket.sw.stratus.com>`, `Jane Doe`.
    pub authors: Vec<String>,
    /// Where it ran: the outlet, feed, wire or newsgroups (`sci.space`).
    pub sources: Vec<String>,
    /// The section or category (`business`).
    pub section: Option<String>,
    /// What it is about: topics, places, people, organisations, keywords.
    pub tags: Vec<Tag>,
    /// Where it was published, when the source gives an address.
    pub url: Option<String>,
    /// Its language, as the source names it (`en`).
    pub language: Option<String>,
}

impl Metadata {
    /// Whether the source said nothing beside date, headline and body.
    pub fn is_empty(&self) -> bool {
        self == &Metadata::default()
    }
}

/// One thing an article is about, and what kind of thing it is when the
/// source says (`place:usa`, `topic:cocoa`); a plain keyword has no kind.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Tag {
    /// `topic`, `place`, `person`, `org`, `exchange`, `company`, or
    /// `None` for a keyword.
    pub kind: Option<String>,
    /// The value as the source writes it (`usa`, `west-germany`).
    pub value: String,
}

impl Tag {
    /// The kinds a tag may have, as the query language names them.
    pub const KINDS: [&'static str; 6] = ["topic", "place", "person", "org", "exchange", "company"];

    /// A tag of this kind.
    pub fn of(kind: &str, value: impl Into<String>) -> Tag {
        Tag {
            kind: Some(kind.to_string()),
            value: value.into(),
        }
    }

    /// A tag as [`Tag`]'s `Display` writes it: `kind:value` for a known
    /// kind, else a keyword.
    pub fn parse(text: &str) -> Tag {
        match text.split_once(':') {
            Some((kind, value)) if Tag::KINDS.contains(&kind) => Tag::of(kind, value),
            _ => Tag::keyword(text),
        }
    }

    /// A keyword, of no kind.
    pub fn keyword(value: impl Into<String>) -> Tag {
        Tag {
            kind: None,
            value: value.into(),
        }
    }
}

impl std::fmt::Display for Tag {
    /// `place:usa`, or the value alone for a keyword.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.kind {
            Some(kind) => write!(f, "{kind}:{}", self.value),
            None => f.write_str(&self.value),
        }
    }
}

impl Article {
    /// The body without what it quotes ([`Article::quoted`]): what the
    /// author wrote. A body that quotes nothing is returned as it is.
    pub fn own_words(&self) -> Cow<'_, str> {
        if self.quoted.is_empty() {
            return Cow::Borrowed(&self.body);
        }
        let mut own = String::with_capacity(self.body.len());
        let mut from = 0;
        for range in &self.quoted {
            own.push_str(self.body.get(from..range.start).unwrap_or_default());
            from = from.max(range.end);
        }
        own.push_str(self.body.get(from..).unwrap_or_default());
        Cow::Owned(own)
    }

    /// The quoted parts of the body, in order: each range of
    /// [`Article::quoted`] as text.
    pub fn quotes(&self) -> impl Iterator<Item = &str> {
        self.quoted
            .iter()
            .filter_map(|range| self.body.get(range.clone()))
    }
}

#[cfg(test)]
impl Article {
    /// An undated article headlined "Ferry", with this id (its path
    /// `/ID`) and body: for unit tests of what stores articles.
    pub(crate) fn sample(id: &str, body: &str) -> Article {
        Article {
            id: id.into(),
            path: format!("/{id}"),
            date: None,
            time: None,
            headline: "Ferry".into(),
            body: body.into(),
            quoted: Vec::new(),
            meta: Metadata::default(),
        }
    }
}

/// What separates an archive's id from the path of a member inside it:
/// `bbc-fulltext.tar.gz::bbc/tech/001.txt`.
pub const MEMBER_SEPARATOR: &str = "::";

/// The member of an archive an id names (`bbc/tech/001.txt` of
/// `bbc-fulltext.tar.gz::bbc/tech/001.txt`), without the `#key` of one
/// article of many in it; `None` for an id of a file.
pub fn member(id: &str) -> Option<&str> {
    let (_, member) = id.split_once(MEMBER_SEPARATOR)?;
    Some(member.split_once('#').map_or(member, |(member, _)| member))
}

/// Ids of members written by dateline before 0.2 (`archive!/member`),
/// which a shell could not take: the id as it is now.
pub fn current_id(id: &str) -> Option<String> {
    id.contains("!/")
        .then(|| id.replacen("!/", MEMBER_SEPARATOR, 1))
}

/// Where an article's bytes came from: the identity a format parser stamps on
/// what it finds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The id of the file (or member); articles of many in one file add `#key`.
    pub id: String,
    /// The stored path of the file.
    pub path: String,
}

impl Origin {
    /// The id of one of several articles in this file: `<file id>#<key>`,
    /// where the key is the record's own id (Reuters `NEWID`, a JSON `id`,
    /// a `Message-ID`) or its 1-based position.
    pub fn id_of(&self, key: &str) -> String {
        format!("{}#{key}", self.id)
    }

    /// An article of this origin.
    pub fn article(
        &self,
        id: String,
        date: Option<Date>,
        time: Option<Time>,
        headline: String,
        body: String,
    ) -> Article {
        Article {
            id,
            path: self.path.clone(),
            date,
            time,
            headline,
            body,
            quoted: Vec::new(),
            meta: Metadata::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_member_is_named_by_its_id() {
        assert_eq!(
            member("bbc.tar.gz::bbc/tech/001.txt"),
            Some("bbc/tech/001.txt")
        );
        assert_eq!(member("mail.zip::a.mbox#42"), Some("a.mbox"));
        assert_eq!(member("news/a.txt"), None);
        assert_eq!(member("reuters/reut2-000.sgm.gz#1"), None);
        assert_eq!(
            current_id("bbc.tar.gz!/bbc/tech/001.txt").as_deref(),
            Some("bbc.tar.gz::bbc/tech/001.txt")
        );
        assert_eq!(current_id("news/a.txt"), None);
    }

    #[test]
    fn own_words_leave_out_what_is_quoted() {
        let body =
            "In article <1@x> a@x writes:\n> Koresh will come out.\n\nHe did not.\n> Again.\nEnd.";
        let mut article = Article::sample("a", body);
        assert_eq!(article.own_words(), body, "nothing quoted");
        assert!(matches!(article.own_words(), Cow::Borrowed(_)));
        article.quoted = vec![0..53, 66..75];
        assert_eq!(
            article.quotes().collect::<Vec<_>>(),
            [
                "In article <1@x> a@x writes:\n> Koresh will come out.\n",
                "> Again.\n"
            ]
        );
        assert_eq!(article.own_words(), "\nHe did not.\nEnd.");
        // Ranges that do not fit the body (a damaged index) take nothing.
        article.quoted = std::iter::once(3..1000).collect();
        assert_eq!(article.own_words(), "In ");
        assert_eq!(article.quotes().count(), 0);
    }
}
