//! The unit of everything: one news article, as found in a file and as kept
//! in the index.

use time::Date;

/// One article. `id` is stable across runs (it is derived from the file's
/// path relative to the folder that was indexed); `path` is where the file
/// was found, so a reader can open the original.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    pub id: String,
    pub path: String,
    /// The day the article ran, when the source says so.
    pub date: Option<Date>,
    pub headline: String,
    pub body: String,
}

/// Where an article's bytes came from: the identity a format parser stamps on
/// what it finds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub id: String,
    pub path: String,
}
