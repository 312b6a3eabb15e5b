//! Stories: articles that are near-copies of each other (a wire story and
//! its revisions, the same agency copy run by several papers), grouped at
//! the end of every indexing run and kept in one file of the index folder,
//! [`STORIES_FILE`]. Only stories of two or more articles are written: an
//! article in none is a story of its own.
//!
//! Members are known by their content hash (the `content` fast field), so
//! a search can tell which story a match belongs to from a fast column,
//! and by their ids, for people. The first member of a story is its
//! representative: the earliest, then the smallest id; its id is the
//! story's id.
//!
//! The file is mapped into memory and read as it lies, without parsing or
//! checking it whole: a search opens it on every run of `dateline search`,
//! and an archive of a million articles can have a hundred thousand
//! near-copies (reading and checking 6 MB cost a search 4 ms). A damaged
//! file gives no story for what it cannot answer, never a crash.
//! Little-endian throughout:
//!
//! ```text
//! "DLSTORY2"                     magic
//! u32 length, bytes              the commit the stories were grouped from
//! u64 members, u64 stories
//! 2^20 bits (when members > 0)   a bit per slot of the top 20 bits of each member's content hash
//! members × (u64 content, u32 story, u32 position)   sorted by content
//! (stories + 1) × u32            where each story's members start
//! members × (u64 content, i64 when (i64::MIN: undated), u32 id start, u32 id length)
//! the ids, UTF-8, one after another
//! ```

use std::io;
use std::path::Path;

use crate::error::{Error, IndexError, Result};

/// The file in the index folder that holds the stories.
pub const STORIES_FILE: &str = "dateline-stories";

const MAGIC: &[u8; 8] = b"DLSTORY2";
const LOOKUP_ROW: usize = 16;
const MEMBER_ROW: usize = 24;
const UNDATED: i64 = i64::MIN;

/// One article of a story, as grouping makes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The article's id.
    pub id: String,
    /// Its content hash, as the `content` field holds it.
    pub content: u64,
    /// When it ran (seconds since the epoch, as the `date` field holds
    /// it), if known.
    pub when: Option<i64>,
}

/// Articles that are near-copies of each other, as grouping makes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Story {
    /// The members in order of date (undated last), then of id: the first
    /// is the representative.
    pub members: Vec<Member>,
}

/// One article of a story, as the stories file holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemberView<'a> {
    /// The article's id.
    pub id: &'a str,
    /// Its content hash.
    pub content: u64,
    /// When it ran (seconds since the epoch), if known.
    pub when: Option<i64>,
}

/// A story of the stories file.
#[derive(Debug, Clone, Copy)]
pub struct StoryView<'a> {
    map: &'a StoryMap,
    first: usize,
    end: usize,
}

impl<'a> StoryView<'a> {
    /// The story's id: its representative's.
    pub fn id(&self) -> &'a str {
        self.member(0).id
    }

    /// How many articles it has.
    pub fn len(&self) -> usize {
        self.end - self.first
    }

    /// Whether it has none (never, in a file grouping wrote).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Its member at `at` (0: the representative).
    pub fn member(&self, at: usize) -> MemberView<'a> {
        self.map.member(self.first + at)
    }

    /// Its members, in order of date.
    pub fn members(&self) -> impl Iterator<Item = MemberView<'a>> + 'a {
        let map = self.map;
        (self.first..self.end).map(move |row| map.member(row))
    }
}

/// The bytes of a stories file: made here, or mapped from the file.
#[derive(Debug)]
enum Bytes {
    Owned(Vec<u8>),
    Mapped(tantivy::directory::OwnedBytes),
}

impl Default for Bytes {
    fn default() -> Bytes {
        Bytes::Owned(Vec::new())
    }
}

impl std::ops::Deref for Bytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            Bytes::Owned(bytes) => bytes,
            Bytes::Mapped(map) => map.as_slice(),
        }
    }
}

/// The stories of an index, as the last indexing run grouped them.
#[derive(Debug, Default)]
pub struct StoryMap {
    bytes: Bytes,
    commit: String,
    members: usize,
    stories: usize,
    lookup_at: usize,
    starts_at: usize,
    members_at: usize,
    ids_at: usize,
    /// Where the filter is: a bit per slot of [`FILTER_BITS`], set for
    /// the slot of each member's content hash. Most matches of a search
    /// are in no story, and a bit tells them so without a binary search.
    /// (Written with the file: made when a search first needed it, it cost
    /// a one-shot search half a millisecond at 100,000 members.)
    filter_at: usize,
}

/// The bits of [`StoryMap::of`]'s filter: 2^20 (128 KiB), a tenth set at
/// a hundred thousand members.
const FILTER_BITS: u32 = 20;

/// The bytes of the filter.
const FILTER_BYTES: usize = (1 << FILTER_BITS) / 8;

/// The filter's slot of a content hash: its top bits.
fn slot(content: u64) -> usize {
    (content >> (64 - FILTER_BITS)) as usize
}

impl StoryMap {
    /// The map of these stories, grouped for `commit`: numbered largest
    /// first, then by id.
    pub fn new(commit: String, mut stories: Vec<Story>) -> StoryMap {
        stories.retain(|story| !story.members.is_empty());
        stories.sort_by(|a, b| {
            b.members
                .len()
                .cmp(&a.members.len())
                .then_with(|| a.members[0].id.cmp(&b.members[0].id))
        });
        let members: usize = stories.iter().map(|story| story.members.len()).sum();
        let mut bytes = Vec::new();
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&(commit.len() as u32).to_le_bytes());
        bytes.extend_from_slice(commit.as_bytes());
        bytes.extend_from_slice(&(members as u64).to_le_bytes());
        bytes.extend_from_slice(&(stories.len() as u64).to_le_bytes());
        if members > 0 {
            let mut filter = vec![0u8; FILTER_BYTES];
            for member in stories.iter().flat_map(|story| &story.members) {
                let slot = slot(member.content);
                filter[slot / 8] |= 1 << (slot % 8);
            }
            bytes.extend_from_slice(&filter);
        }
        let mut lookup: Vec<(u64, u32, u32)> = Vec::with_capacity(members);
        for (story, s) in stories.iter().enumerate() {
            for (at, member) in s.members.iter().enumerate() {
                lookup.push((member.content, story as u32, at as u32));
            }
        }
        lookup.sort_unstable();
        for (content, story, at) in lookup {
            bytes.extend_from_slice(&content.to_le_bytes());
            bytes.extend_from_slice(&story.to_le_bytes());
            bytes.extend_from_slice(&at.to_le_bytes());
        }
        let mut start = 0u32;
        for story in &stories {
            bytes.extend_from_slice(&start.to_le_bytes());
            start += story.members.len() as u32;
        }
        bytes.extend_from_slice(&start.to_le_bytes());
        let mut id_start = 0u32;
        for member in stories.iter().flat_map(|story| &story.members) {
            bytes.extend_from_slice(&member.content.to_le_bytes());
            bytes.extend_from_slice(&member.when.unwrap_or(UNDATED).to_le_bytes());
            bytes.extend_from_slice(&id_start.to_le_bytes());
            bytes.extend_from_slice(&(member.id.len() as u32).to_le_bytes());
            id_start += member.id.len() as u32;
        }
        for member in stories.iter().flat_map(|story| &story.members) {
            bytes.extend_from_slice(member.id.as_bytes());
        }
        StoryMap::from_bytes(Bytes::Owned(bytes)).unwrap_or_default()
    }

    /// Reads the layout of a stories file; `None` when it is not one. Only
    /// the header is checked: a row that points outside the file reads as
    /// no story (see [`StoryMap::of`]).
    fn from_bytes(bytes: Bytes) -> Option<StoryMap> {
        let u32_at = |at: usize| -> Option<usize> {
            Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?) as usize)
        };
        let u64_at = |at: usize| -> Option<usize> {
            usize::try_from(u64::from_le_bytes(bytes.get(at..at + 8)?.try_into().ok()?)).ok()
        };
        if bytes.get(..8)? != MAGIC {
            return None;
        }
        let commit_len = u32_at(8)?;
        let commit = std::str::from_utf8(bytes.get(12..12 + commit_len)?).ok()?;
        let counts = 12 + commit_len;
        let members = u64_at(counts)?;
        let stories = u64_at(counts + 8)?;
        let filter_at = counts + 16;
        let lookup_at = filter_at + if members > 0 { FILTER_BYTES } else { 0 };
        let starts_at = lookup_at.checked_add(members.checked_mul(LOOKUP_ROW)?)?;
        let members_at = starts_at.checked_add(stories.checked_add(1)?.checked_mul(4)?)?;
        let ids_at = members_at.checked_add(members.checked_mul(MEMBER_ROW)?)?;
        if ids_at > bytes.len() || u32_at(members_at - 4)? != members {
            return None;
        }
        Some(StoryMap {
            commit: commit.to_string(),
            bytes,
            members,
            stories,
            lookup_at,
            starts_at,
            members_at,
            ids_at,
            filter_at,
        })
    }

    /// The u32 at `at` (0 outside the file: only a damaged one).
    fn u32_at(&self, at: usize) -> usize {
        let mut word = [0u8; 4];
        if let Some(bytes) = self.bytes.get(at..at + 4) {
            word.copy_from_slice(bytes);
        }
        u32::from_le_bytes(word) as usize
    }

    /// The u64 at `at` (0 outside the file).
    fn u64_at(&self, at: usize) -> u64 {
        let mut word = [0u8; 8];
        if let Some(bytes) = self.bytes.get(at..at + 8) {
            word.copy_from_slice(bytes);
        }
        u64::from_le_bytes(word)
    }

    fn member(&self, row: usize) -> MemberView<'_> {
        let at = self.members_at + row * MEMBER_ROW;
        let when = self.u64_at(at + 8) as i64;
        let start = self.ids_at.saturating_add(self.u32_at(at + 16));
        let id = self
            .bytes
            .get(start..start.saturating_add(self.u32_at(at + 20)))
            .and_then(|id| std::str::from_utf8(id).ok())
            .unwrap_or_default();
        MemberView {
            id,
            content: self.u64_at(at),
            when: (when != UNDATED).then_some(when),
        }
    }

    /// The stories in the folder `dir`: none when it has no stories file
    /// (an index that was never grouped, or one with no near-copies).
    pub fn load(dir: &Path) -> Result<StoryMap> {
        use tantivy::directory::error::OpenReadError;
        use tantivy::directory::{Directory, MmapDirectory};
        let path = dir.join(STORIES_FILE);
        // Mapped by tantivy, as the index's own files are, through a
        // directory of its own: a directory keeps what it mapped by name,
        // and the file is replaced (renamed over) by every indexing run.
        // (It is never changed in place, so a mapping stays whole.)
        let directory = MmapDirectory::open(dir)
            .map_err(|err| super::open_error(dir, tantivy::TantivyError::from(err)))?;
        let bytes = match directory.open_read(Path::new(STORIES_FILE)) {
            Ok(slice) => slice
                .read_bytes()
                .map_err(|err| super::io_error(&path, super::READING, err))?,
            Err(OpenReadError::FileDoesNotExist(_)) => return Ok(StoryMap::default()),
            Err(OpenReadError::IoError { io_error, .. }) => {
                return Err(super::io_error(
                    &path,
                    super::READING,
                    io::Error::new(io_error.kind(), io_error.to_string()),
                ))
            }
            Err(other) => {
                return Err(super::io_error(
                    &path,
                    super::READING,
                    io::Error::other(other.to_string()),
                ))
            }
        };
        StoryMap::from_bytes(Bytes::Mapped(bytes)).ok_or_else(|| {
            Error::Index(IndexError::StoriesDamaged {
                dir: dir.to_path_buf(),
                path,
            })
        })
    }

    /// Writes the stories to the folder `dir`, whole or not at all (a new
    /// file renamed over the old).
    pub fn save(&self, dir: &Path) -> Result<()> {
        let path = dir.join(STORIES_FILE);
        let new = dir.join(format!(".{STORIES_FILE}.new"));
        let empty;
        let bytes: &[u8] = if self.bytes.is_empty() {
            empty = StoryMap::new(self.commit.clone(), Vec::new());
            &empty.bytes
        } else {
            &self.bytes
        };
        std::fs::write(&new, bytes).map_err(|err| super::io_error(&new, super::WRITING, err))?;
        std::fs::rename(&new, &path).map_err(|err| super::io_error(&path, super::WRITING, err))
    }

    /// The commit they were grouped for (see [`commit_key`]).
    pub fn commit(&self) -> &str {
        &self.commit
    }

    /// How many stories of two or more articles there are.
    pub fn len(&self) -> usize {
        self.stories
    }

    /// Whether no story has two articles.
    pub fn is_empty(&self) -> bool {
        self.stories == 0
    }

    /// How many articles are in stories of two or more.
    pub fn members(&self) -> usize {
        self.members
    }

    /// The story of the article with this content hash, and its place in
    /// it; `None` for an article that is a story of its own.
    pub fn of(&self, content: u64) -> Option<(usize, usize)> {
        if self.members == 0 {
            return None;
        }
        let slot = slot(content);
        let byte = self
            .bytes
            .get(self.filter_at + slot / 8)
            .copied()
            .unwrap_or(0);
        if byte & (1 << (slot % 8)) == 0 {
            return None;
        }
        let (mut low, mut high) = (0, self.members);
        while low < high {
            let middle = (low + high) / 2;
            let at = self.lookup_at + middle * LOOKUP_ROW;
            match self.u64_at(at).cmp(&content) {
                std::cmp::Ordering::Less => low = middle + 1,
                std::cmp::Ordering::Greater => high = middle,
                std::cmp::Ordering::Equal => {
                    let (story, place) = (self.u32_at(at + 8), self.u32_at(at + 12));
                    // (Rows that point nowhere are a damaged file's.)
                    return (story < self.stories && place < self.story(story).len())
                        .then_some((story, place));
                }
            }
        }
        None
    }

    /// The story numbered `story` by [`StoryMap::of`] (stories are
    /// numbered from 0, largest first).
    pub fn story(&self, story: usize) -> StoryView<'_> {
        if story >= self.stories {
            return StoryView {
                map: self,
                first: 0,
                end: 0,
            };
        }
        let first = self.u32_at(self.starts_at + 4 * story).min(self.members);
        let end = self
            .u32_at(self.starts_at + 4 * (story + 1))
            .min(self.members);
        StoryView {
            map: self,
            first,
            end: end.max(first),
        }
    }
}

/// What identifies a commit's articles for the stories grouped from them:
/// its segments and the deletions in each, which change with every commit
/// that adds or removes an article.
pub fn commit_key(searcher: &tantivy::Searcher) -> String {
    let mut parts: Vec<String> = searcher
        .segment_readers()
        .iter()
        .map(|segment| {
            format!(
                "{}:{}",
                segment.segment_id().uuid_string(),
                segment.num_deleted_docs()
            )
        })
        .collect();
    parts.sort();
    parts.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(id: &str, content: u64, when: Option<i64>) -> Member {
        Member {
            id: id.into(),
            content,
            when,
        }
    }

    #[test]
    fn stories_are_saved_whole_and_found_by_content() {
        let dir = tempfile::tempdir().unwrap();
        assert!(StoryMap::load(dir.path()).unwrap().is_empty());
        let small = Story {
            members: vec![member("b", 10, Some(5)), member("c", 2, None)],
        };
        let large = Story {
            members: vec![
                member("x", 3, Some(-7)),
                member("y", 4, Some(0)),
                member("zé", 5, None),
            ],
        };
        let map = StoryMap::new("k".into(), vec![small, large]);
        map.save(dir.path()).unwrap();
        let loaded = StoryMap::load(dir.path()).unwrap();
        assert_eq!(loaded.commit(), "k");
        assert_eq!((loaded.len(), loaded.members()), (2, 5));
        assert_eq!(loaded.story(0).id(), "x", "largest first");
        assert_eq!(loaded.of(4), Some((0, 1)));
        assert_eq!(loaded.of(2), Some((1, 1)));
        assert_eq!(loaded.of(9), None);
        assert_eq!(loaded.of(11), None);
        let members: Vec<MemberView> = loaded.story(0).members().collect();
        assert_eq!(
            members[2],
            MemberView {
                id: "zé",
                content: 5,
                when: None
            }
        );
        assert_eq!(members[0].when, Some(-7));
        assert_eq!(loaded.story(1).member(0).when, Some(5));
    }

    #[test]
    fn no_stories_is_a_file_too_and_a_damaged_file_is_said_to_be() {
        let dir = tempfile::tempdir().unwrap();
        StoryMap::new("k".into(), Vec::new())
            .save(dir.path())
            .unwrap();
        let empty = StoryMap::load(dir.path()).unwrap();
        assert!(empty.is_empty());
        assert_eq!(empty.of(1), None);
        let map = StoryMap::new(
            "k".into(),
            vec![Story {
                members: vec![member("a", 1, None), member("b", 2, None)],
            }],
        );
        map.save(dir.path()).unwrap();
        let path = dir.path().join(STORIES_FILE);
        let mut bytes = std::fs::read(&path).unwrap();
        for cut in [0, 8, 20, bytes.len() - 20] {
            std::fs::write(&path, &bytes[..cut]).unwrap();
            let err = StoryMap::load(dir.path()).unwrap_err().to_string();
            assert!(
                err.contains("dateline-stories is damaged: run `dateline index"),
                "{cut}: {err}"
            );
        }
        // The ids cut short: the header holds, and what is lost reads as
        // nothing rather than as garbage or a crash.
        std::fs::write(&path, &bytes[..bytes.len() - 1]).unwrap();
        let cut = StoryMap::load(dir.path()).unwrap();
        assert_eq!(cut.story(0).member(0).id, "a");
        assert_eq!(cut.story(0).member(1).id, "");
        assert_eq!(cut.story(7).len(), 0);
        bytes[0] = b'X';
        std::fs::write(&path, &bytes).unwrap();
        assert!(StoryMap::load(dir.path()).is_err());
    }
}
