//! Containers: a `.gz` file is read through to what it holds; `.tar`,
//! `.tar.gz`/`.tgz` and `.zip` archives are walked as if they were folders.
//!
//! A member of an archive is named `<archive>::<path inside>` in ids and
//! messages: `bbc-fulltext.tar.gz::bbc/tech/001.txt` (a separator a shell
//! leaves alone when the id is pasted; `!` is history expansion in bash).
//! Its articles' stored path is the archive's, a path that can be opened;
//! the member is named by the id.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use flate2::read::MultiGzDecoder;

use super::formats::{Format, Problem};
use super::options::IndexOptions;
use crate::article::{Origin, MEMBER_SEPARATOR};
use crate::paths::path_text;
use crate::text::{on_one_line, QUOTED_CHARS};

/// The bytes of one file, or of one member of an archive.
#[derive(Debug)]
pub struct Member {
    /// The name the format is detected by: the file's or member's name, with
    /// a `.gz` suffix taken off.
    pub name: String,
    /// The id and stored path its articles get.
    pub origin: Origin,
    /// How messages name it: the path as given, `::member` for members.
    pub shown: String,
    /// The bytes, decompressed.
    pub bytes: Vec<u8>,
    /// Set when `bytes` are one piece of a large JSON-lines file.
    pub piece: Option<Piece>,
    /// Parts left out while reading (a line over the size limit).
    pub problems: Vec<Problem>,
}

/// One of the pieces a large JSON-lines file is read in: whole lines, about
/// [`PIECE_BYTES`] of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece {
    /// The file's line number (from 1) of the piece's first line.
    pub first_line: usize,
}

/// How much of a JSON-lines file is read at a time (when the size limit is
/// not lower): a file of any size takes about this much memory.
pub const PIECE_BYTES: u64 = 4 << 20;

/// How much of a file is read at once.
#[derive(Debug, Clone, Copy)]
pub struct ReadLimits {
    /// Members larger than this many bytes are skipped unread.
    pub limit: u64,
    /// Read JSON-lines files (`.jsonl`, `.ndjson`) larger than a piece in
    /// pieces of whole lines, each line then no larger than `limit`.
    pub pieces: bool,
}

impl ReadLimits {
    /// The limits a run with `options` reads files with.
    pub fn of(options: &IndexOptions) -> ReadLimits {
        ReadLimits {
            limit: options.max_article_size,
            pieces: matches!(options.formats.forced, None | Some(Format::Json)),
        }
    }
}

/// What opening a file turns up, one item at a time.
#[derive(Debug)]
pub enum Item {
    /// A file or member to parse.
    Member(Member),
    /// A member that is not in an article format (or a folder): passed over.
    Ignored,
    /// A file or member that could not be read; `shown` names it.
    Unreadable {
        /// The file, or `archive::member`.
        shown: String,
        /// Why it could not be read.
        reason: String,
    },
    /// A file or member over the size limit, left unread. `size` is known
    /// from the file system or the archive's header; `None` when it only
    /// showed while decompressing.
    TooLarge {
        /// The file, or `archive::member`.
        shown: String,
        /// Its size, if known before reading.
        size: Option<u64>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Plain,
    Gzip,
    Tar,
    TarGzip,
    Zip,
}

impl Kind {
    fn of(name: &str) -> Kind {
        let name = name.to_ascii_lowercase();
        if name.ends_with(".tar.gz") || name.ends_with(".tgz") {
            Kind::TarGzip
        } else if name.ends_with(".tar") {
            Kind::Tar
        } else if name.ends_with(".zip") {
            Kind::Zip
        } else if name.ends_with(".gz") {
            Kind::Gzip
        } else {
            Kind::Plain
        }
    }
}

/// Whether a file in a folder may hold articles, directly or inside it.
pub fn may_hold_articles(name: &str) -> bool {
    match Kind::of(name) {
        Kind::Plain => Format::may_hold_articles(name),
        Kind::Gzip => Format::may_hold_articles(strip_gz(name)),
        _ => true,
    }
}

/// Opens the file at `path` (of `len` bytes, as walked; its articles get
/// `origin`) and hands each member to `visit`, which returns `false` to
/// stop early. Members are read one at a time and none past `limit` bytes,
/// so a file of any size takes at most `limit` bytes of memory. Also
/// returns the xxh3 hash of the file's bytes, read along the way: `None`
/// if it could not be read, if a member was too large (so that the file
/// is read again next time, when the limit may be higher), or if `visit`
/// stopped it (the rest is left unread).
pub fn open(
    path: &Path,
    len: u64,
    origin: Origin,
    limits: ReadLimits,
    visit: &mut dyn FnMut(Item) -> bool,
) -> Option<u64> {
    let mut whole = true;
    let hash = open_members(path, len, &origin, limits, &mut |item| {
        let item = match item {
            Item::TooLarge { .. } => {
                whole = false;
                item
            }
            // Reasons quote what the archive holds (a broken tar header's
            // bytes): on one line, always.
            Item::Unreadable { shown, reason } => Item::Unreadable {
                shown,
                reason: on_one_line(&reason, QUOTED_CHARS),
            },
            other => other,
        };
        visit(item)
    });
    hash.filter(|_| whole)
}

fn open_members(
    path: &Path,
    len: u64,
    origin: &Origin,
    limits: ReadLimits,
    visit: &mut dyn FnMut(Item) -> bool,
) -> Option<u64> {
    // Told to stop (Ctrl-C between members, or the writer hung up): the
    // rest is not read, not even to be hashed.
    let mut stopped = false;
    let visit = &mut |item| {
        let go = visit(item);
        stopped |= !go;
        go
    };
    let limit = limits.limit;
    let shown = path.display().to_string();
    let file_name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let unreadable = |reason: String| Item::Unreadable {
        shown: shown.clone(),
        reason,
    };
    let opened = match File::open(path) {
        Ok(opened) => opened,
        Err(err) => {
            visit(unreadable(format!("cannot read: {err}")));
            return None;
        }
    };
    let kind = Kind::of(&file_name);
    let json_lines = limits.pieces && is_json_lines(strip_gz(&file_name));
    if kind == Kind::Plain && len > limit && !json_lines {
        visit(Item::TooLarge {
            shown,
            size: Some(len),
        });
        return None;
    }
    let mut hashed = Hashed::new(opened);
    match kind {
        Kind::Plain | Kind::Gzip if json_lines => {
            let name = strip_gz(&file_name).to_string();
            let plain = BufReader::new(&mut hashed);
            let read = if kind == Kind::Gzip {
                let inflated = BufReader::new(MultiGzDecoder::new(plain));
                read_in_pieces(inflated, name, origin, &shown, limit, visit)
            } else {
                read_in_pieces(plain, name, origin, &shown, limit, visit)
            };
            if let Err(err) = read {
                visit(unreadable(format!("cannot read: {err}")));
            }
        }
        Kind::Plain => {
            let item = match read_limited(&mut hashed, limit, len) {
                Ok(Some(bytes)) => Item::Member(Member {
                    name: file_name,
                    origin: origin.clone(),
                    shown,
                    bytes,
                    piece: None,
                    problems: Vec::new(),
                }),
                // It grew since it was walked.
                Ok(None) => Item::TooLarge { shown, size: None },
                Err(err) => unreadable(format!("cannot read: {err}")),
            };
            visit(item);
        }
        Kind::Gzip => {
            let gzip = MultiGzDecoder::new(BufReader::new(&mut hashed));
            let inflated = read_limited(gzip, limit, 0);
            let item = match inflated {
                Ok(Some(bytes)) => Item::Member(Member {
                    name: strip_gz(&file_name).to_string(),
                    origin: origin.clone(),
                    shown,
                    bytes,
                    piece: None,
                    problems: Vec::new(),
                }),
                Ok(None) => Item::TooLarge { shown, size: None },
                Err(err) => unreadable(format!("corrupt or truncated gzip: {err}")),
            };
            visit(item);
        }
        Kind::Tar => walk_tar(BufReader::new(&mut hashed), origin, &shown, limit, visit),
        Kind::TarGzip => walk_tar(
            MultiGzDecoder::new(BufReader::new(&mut hashed)),
            origin,
            &shown,
            limit,
            visit,
        ),
        // Zip reads its directory at the end first: hash the file on its own.
        Kind::Zip => {
            walk_zip(File::open(path).ok()?, origin, &shown, limit, visit);
        }
    }
    if stopped {
        return None;
    }
    hashed.finish().ok()
}

/// How many bytes reading the file at `path` (`len` bytes on disk) will
/// hand on to be parsed: the sizes of the members it reads, decompressed;
/// what a run counts as it goes, for a progress bar's total. Taken from
/// what the container records where it can: a `.gz` file's trailer (the
/// size modulo 4 GiB), a tar's headers (skipped past the data; a `.tar.gz`
/// is decompressed to reach them), a zip's central directory. Members
/// passed over or over the size limit count for nothing. Never fails: a
/// file that cannot be read counts for what could be, or its size.
pub fn content_size(path: &Path, len: u64, limits: ReadLimits) -> u64 {
    let file_name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let json_lines = limits.pieces && is_json_lines(strip_gz(&file_name));
    let within = |size: u64| {
        if size <= limits.limit || json_lines {
            size
        } else {
            0
        }
    };
    let Ok(file) = File::open(path) else {
        return 0;
    };
    match Kind::of(&file_name) {
        Kind::Plain => within(len),
        Kind::Gzip => within(gzip_size(file, len).unwrap_or(len)),
        Kind::Tar => {
            let mut archive = tar::Archive::new(BufReader::new(file));
            match archive.entries_with_seek() {
                Ok(entries) => tar_members_size(entries, limits.limit),
                Err(_) => 0,
            }
        }
        Kind::TarGzip => {
            let mut archive = tar::Archive::new(MultiGzDecoder::new(BufReader::new(file)));
            match archive.entries() {
                Ok(entries) => tar_members_size(entries, limits.limit),
                Err(_) => 0,
            }
        }
        Kind::Zip => zip_members_size(file, limits.limit),
    }
}

/// The size a gzip file of `len` bytes inflates to, from its trailer: the
/// last 4 bytes hold it modulo 4 GiB (of the last member, if there are
/// several). `None` when there is no trailer.
fn gzip_size(mut file: File, len: u64) -> Option<u64> {
    // The least a gzip file holds: a header and a trailer.
    const LEAST: u64 = 18;
    if len < LEAST {
        return None;
    }
    file.seek(SeekFrom::End(-4)).ok()?;
    let mut trailer = [0; 4];
    file.read_exact(&mut trailer).ok()?;
    Some(inflated_size(u32::from_le_bytes(trailer), len))
}

/// Which of the sizes that are `isize` modulo 4 GiB a gzip file of `len`
/// bytes inflates to. Deflate never makes data much larger, so it is at
/// least about half the file (less its header, which may hold a name);
/// of the sizes left, the one nearest three times the file, as news text
/// compresses about three to one. Below 4 GiB, `isize` itself. Never more
/// than deflate can give (1,032 times the file): a trailer that says more
/// is not one (the file is not gzip, or cut off).
fn inflated_size(isize: u32, len: u64) -> u64 {
    const WRAP: u64 = 1 << 32;
    const MOST_PER_BYTE: u64 = 1032;
    let least = len.saturating_sub(1 << 16) / 2;
    let first = u64::from(isize) + least.saturating_sub(u64::from(isize)).div_ceil(WRAP) * WRAP;
    let guess = len.saturating_mul(3);
    let wraps = (guess.saturating_sub(first) + WRAP / 2) / WRAP;
    let size = first.saturating_add(wraps.saturating_mul(WRAP));
    if size > len.saturating_mul(MOST_PER_BYTE) {
        len
    } else {
        size
    }
}

/// The sizes, in their headers, of the members of a tar that are read: see
/// [`walk_tar`]. Stops at the first broken header, as reading does. (A
/// `.gz` member is read through for its own.)
fn tar_members_size<R: Read>(entries: tar::Entries<'_, R>, limit: u64) -> u64 {
    let mut total: u64 = 0;
    for entry in entries {
        let Ok(entry) = entry else {
            break;
        };
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let Ok(inner) = entry.path() else {
            continue;
        };
        let inner = path_text(&inner).trim_start_matches("./").to_string();
        let size = entry.size();
        total = total.saturating_add(member_size(&inner, size, limit, entry));
    }
    total
}

/// What reading a member of an archive named `inner`, of `size` bytes in
/// the archive, hands on: nothing when it is passed over or over the
/// limit; for a `.gz` member, read through, its trailer's size.
fn member_size(inner: &str, size: u64, limit: u64, member: impl Read) -> u64 {
    if !wanted_member(inner) || size > limit {
        return 0;
    }
    if Kind::of(inner) != Kind::Gzip {
        return size;
    }
    let inflated = last_four(member).map_or(size, |isize| inflated_size(isize, size));
    if inflated <= limit {
        inflated
    } else {
        0
    }
}

/// The last 4 bytes of what `reader` holds, as a little-endian number.
fn last_four(mut reader: impl Read) -> Option<u32> {
    let mut buffer = [0; 8192];
    let mut last = [0; 4];
    let mut seen = 0u64;
    loop {
        let read = match reader.read(&mut buffer) {
            Ok(0) => break,
            Ok(read) => read,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(_) => return None,
        };
        let read = &buffer[..read];
        if read.len() >= 4 {
            last.copy_from_slice(&read[read.len() - 4..]);
        } else {
            last.rotate_left(read.len());
            last[4 - read.len()..].copy_from_slice(read);
        }
        seen += read.len() as u64;
    }
    (seen >= 4).then(|| u32::from_le_bytes(last))
}

/// The sizes, in the central directory, of the members of a zip that are
/// read: see [`walk_zip`]. (A `.gz` member is read through for its own.)
fn zip_members_size(file: File, limit: u64) -> u64 {
    let Ok(mut archive) = zip::ZipArchive::new(BufReader::new(file)) else {
        return 0;
    };
    let mut total: u64 = 0;
    for index in 0..archive.len() {
        let Ok(entry) = archive.by_index(index) else {
            continue;
        };
        if entry.is_dir() {
            continue;
        }
        let Ok(inner) = entry.name().map(|name| name.into_owned()) else {
            continue;
        };
        let size = entry.size();
        // (Only a `.gz` member is read, for its trailer.)
        total = total.saturating_add(member_size(&inner, size, limit, entry));
    }
    total
}

/// Reads through to the end, hashing every byte on the way, so a file is
/// read once to be parsed and fingerprinted.
struct Hashed<R> {
    inner: R,
    hasher: xxhash_rust::xxh3::Xxh3,
    /// The end was seen: nothing is left to hash.
    ended: bool,
}

impl<R: Read> Hashed<R> {
    fn new(inner: R) -> Self {
        Hashed {
            inner,
            hasher: xxhash_rust::xxh3::Xxh3::new(),
            ended: false,
        }
    }

    /// Hashes whatever the parser left unread (a tar's padding, an early
    /// stop) and returns the hash of the whole file.
    fn finish(mut self) -> io::Result<u64> {
        if !self.ended {
            io::copy(&mut self, &mut io::sink())?;
        }
        Ok(self.hasher.digest())
    }
}

impl<R: Read> Read for Hashed<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let read = self.inner.read(buf)?;
        self.hasher.update(&buf[..read]);
        self.ended = read == 0 && !buf.is_empty();
        Ok(read)
    }
}

/// Reads to the end, unless there are more than `limit` bytes: then `None`,
/// having read no more than one byte past the limit. `expected` is how many
/// bytes there should be (0 when unknown): room for them all, and one more to
/// see the end, lets a small file be read in one call, not a dozen.
fn read_limited(reader: impl Read, limit: u64, expected: u64) -> io::Result<Option<Vec<u8>>> {
    let room = expected.min(limit).saturating_add(1);
    let mut bytes = Vec::with_capacity(usize::try_from(room).unwrap_or(0));
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= limit).then_some(bytes))
}

fn strip_gz(name: &str) -> &str {
    let cut = name.len().saturating_sub(3);
    if name.is_char_boundary(cut) && name[cut..].eq_ignore_ascii_case(".gz") {
        &name[..cut]
    } else {
        name
    }
}

/// The member of an archive at `inner` (a path inside it).
fn member(origin: &Origin, shown: &str, inner: &str, bytes: Vec<u8>, limit: u64) -> Item {
    let (name, bytes) = if Kind::of(inner) == Kind::Gzip {
        match read_limited(MultiGzDecoder::new(bytes.as_slice()), limit, 0) {
            Ok(Some(inflated)) => (strip_gz(inner).to_string(), inflated),
            Ok(None) => {
                return Item::TooLarge {
                    shown: format!("{shown}{MEMBER_SEPARATOR}{inner}"),
                    size: None,
                }
            }
            Err(err) => {
                return Item::Unreadable {
                    shown: format!("{shown}{MEMBER_SEPARATOR}{inner}"),
                    reason: format!("corrupt or truncated gzip: {err}"),
                }
            }
        }
    } else {
        (inner.to_string(), bytes)
    };
    Item::Member(Member {
        name,
        origin: Origin {
            id: format!("{}{MEMBER_SEPARATOR}{inner}", origin.id),
            path: origin.path.clone(),
        },
        shown: format!("{shown}{MEMBER_SEPARATOR}{inner}"),
        bytes,
        piece: None,
        problems: Vec::new(),
    })
}

fn is_json_lines(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.ends_with(".jsonl") || name.ends_with(".ndjson")
}

/// Reads JSON lines: when they fit in one piece, as one member, as any file;
/// otherwise piece by piece, each piece whole lines. A line longer than
/// `limit` is left out, with a problem saying so.
fn read_in_pieces(
    mut reader: impl BufRead,
    name: String,
    origin: &Origin,
    shown: &str,
    limit: u64,
    visit: &mut dyn FnMut(Item) -> bool,
) -> io::Result<()> {
    let mut lines = LineReader {
        reader: &mut reader,
        limit,
        piece_bytes: PIECE_BYTES.min(limit),
        lines_read: 0,
        problems: Vec::new(),
    };
    let (mut bytes, mut ended) = lines.next_piece()?;
    let mut piece = (!ended).then_some(Piece { first_line: 1 });
    loop {
        let member = Member {
            name: name.clone(),
            origin: origin.clone(),
            shown: shown.to_string(),
            bytes,
            piece,
            problems: std::mem::take(&mut lines.problems),
        };
        if !visit(Item::Member(member)) || ended {
            return Ok(());
        }
        piece = Some(Piece {
            first_line: lines.lines_read + 1,
        });
        (bytes, ended) = lines.next_piece()?;
        if bytes.is_empty() && lines.problems.is_empty() {
            return Ok(());
        }
    }
}

/// Whole lines, a piece at a time, none longer than the limit.
struct LineReader<'r, R> {
    reader: &'r mut R,
    limit: u64,
    piece_bytes: u64,
    lines_read: usize,
    problems: Vec<Problem>,
}

impl<R: BufRead> LineReader<'_, R> {
    /// The next lines, up to about `piece_bytes`, and whether the file ended.
    fn next_piece(&mut self) -> io::Result<(Vec<u8>, bool)> {
        let mut bytes = Vec::new();
        loop {
            let start = bytes.len();
            let read = (&mut *self.reader)
                .take(self.limit.saturating_add(1))
                .read_until(b'\n', &mut bytes)?;
            if read == 0 {
                return Ok((bytes, true));
            }
            self.lines_read += 1;
            if read as u64 > self.limit && bytes.last() != Some(&b'\n') {
                // Too long: left out, its number kept by an empty line.
                bytes.truncate(start);
                bytes.push(b'\n');
                self.reader.skip_until(b'\n')?;
                self.problems.push(Problem {
                    location: format!("line {}", self.lines_read),
                    reason: format!(
                        "longer than the {} limit (--max-article-size); left out",
                        indicatif::HumanBytes(self.limit)
                    ),
                });
            }
            if bytes.len() as u64 >= self.piece_bytes {
                return Ok((bytes, false));
            }
        }
    }
}

/// Whether a path inside an archive is worth reading.
fn wanted_member(inner: &str) -> bool {
    let hidden = inner
        .split('/')
        .any(|part| part.starts_with('.') || part == "__MACOSX");
    !hidden && !is_nested_archive(inner) && may_hold_articles(inner)
}

/// Archives inside archives are not opened (a `.gz` member is read through).
fn is_nested_archive(inner: &str) -> bool {
    matches!(Kind::of(inner), Kind::Tar | Kind::TarGzip | Kind::Zip)
}

fn walk_tar(
    reader: impl Read,
    origin: &Origin,
    shown: &str,
    limit: u64,
    visit: &mut dyn FnMut(Item) -> bool,
) {
    let mut archive = tar::Archive::new(reader);
    let entries = match archive.entries() {
        Ok(entries) => entries,
        Err(err) => {
            visit(Item::Unreadable {
                shown: shown.to_string(),
                reason: format!("not a readable tar archive: {err}"),
            });
            return;
        }
    };
    for entry in entries {
        let mut entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                // The stream is broken: nothing after this point can be read.
                visit(Item::Unreadable {
                    shown: shown.to_string(),
                    reason: format!("archive is corrupt or cut off here: {err}"),
                });
                return;
            }
        };
        if !entry.header().entry_type().is_file() {
            continue; // folders, links: nothing to read
        }
        let inner = match entry.path() {
            Ok(path) => path_text(&path).trim_start_matches("./").to_string(),
            Err(err) => {
                let keep_going = visit(Item::Unreadable {
                    shown: shown.to_string(),
                    reason: format!("a member has an unreadable name: {err}"),
                });
                if !keep_going {
                    return;
                }
                continue;
            }
        };
        let size = entry.size();
        let item = if !wanted_member(&inner) {
            Item::Ignored
        } else if size > limit {
            // Left unread: the archive skips past it.
            Item::TooLarge {
                shown: format!("{shown}{MEMBER_SEPARATOR}{inner}"),
                size: Some(size),
            }
        } else {
            match read_limited(&mut entry, limit, size) {
                Ok(Some(bytes)) => member(origin, shown, &inner, bytes, limit),
                Ok(None) => Item::TooLarge {
                    shown: format!("{shown}{MEMBER_SEPARATOR}{inner}"),
                    size: None,
                },
                Err(err) => {
                    visit(Item::Unreadable {
                        shown: format!("{shown}{MEMBER_SEPARATOR}{inner}"),
                        reason: format!("archive is corrupt or cut off here: {err}"),
                    });
                    return;
                }
            }
        };
        if !visit(item) {
            return;
        }
    }
}

fn walk_zip(
    file: File,
    origin: &Origin,
    shown: &str,
    limit: u64,
    visit: &mut dyn FnMut(Item) -> bool,
) {
    let mut archive = match zip::ZipArchive::new(BufReader::new(file)) {
        Ok(archive) => archive,
        Err(err) => {
            visit(Item::Unreadable {
                shown: shown.to_string(),
                reason: format!("not a readable zip archive: {err}"),
            });
            return;
        }
    };
    for index in 0..archive.len() {
        let item = match archive.by_index(index) {
            Err(err) => Item::Unreadable {
                shown: format!("{shown}{MEMBER_SEPARATOR}#{}", index + 1),
                reason: format!("cannot read zip member: {err}"),
            },
            Ok(entry) if entry.is_dir() => continue,
            Ok(mut entry) => {
                let inner = match entry.name() {
                    Ok(name) => name.into_owned(),
                    Err(_) => format!("#{}", index + 1),
                };
                if !wanted_member(&inner) {
                    Item::Ignored
                } else if entry.size() > limit {
                    Item::TooLarge {
                        shown: format!("{shown}{MEMBER_SEPARATOR}{inner}"),
                        size: Some(entry.size()),
                    }
                } else {
                    // (The size in a zip's directory may lie: read no more than the limit.)
                    let size = entry.size();
                    match read_limited(&mut entry, limit, size) {
                        Ok(Some(bytes)) => member(origin, shown, &inner, bytes, limit),
                        Ok(None) => Item::TooLarge {
                            shown: format!("{shown}{MEMBER_SEPARATOR}{inner}"),
                            size: None,
                        },
                        Err(err) => Item::Unreadable {
                            shown: format!("{shown}{MEMBER_SEPARATOR}{inner}"),
                            reason: format!("cannot read zip member: {err}"),
                        },
                    }
                }
            }
        };
        if !visit(item) {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What reading `text` as JSON lines with this limit gives: each
    /// member's first line (`None`: the whole file), text and problems.
    fn pieces(text: &str, limit: u64) -> Vec<(Option<usize>, String, Vec<String>)> {
        let origin = Origin {
            id: "a.jsonl".into(),
            path: "/a.jsonl".into(),
        };
        let mut members = Vec::new();
        read_in_pieces(
            text.as_bytes(),
            "a.jsonl".into(),
            &origin,
            "a.jsonl",
            limit,
            &mut |item| {
                let Item::Member(member) = item else {
                    panic!("{item:?}");
                };
                members.push((
                    member.piece.map(|piece| piece.first_line),
                    String::from_utf8(member.bytes).unwrap(),
                    member.problems.iter().map(Problem::to_string).collect(),
                ));
                true
            },
        )
        .unwrap();
        members
    }

    #[test]
    fn json_lines_that_fit_in_a_piece_are_one_member() {
        assert_eq!(pieces("a\nbb\n", 100), [(None, "a\nbb\n".into(), vec![])]);
        assert_eq!(pieces("", 100), [(None, String::new(), vec![])]);
    }

    #[test]
    fn longer_json_lines_come_in_pieces_of_whole_lines() {
        assert_eq!(
            pieces("a\nbb\nccc\nd", 4),
            [
                (Some(1), "a\nbb\n".into(), vec![]),
                (Some(3), "ccc\n".into(), vec![]),
                (Some(4), "d".into(), vec![]),
            ]
        );
    }

    #[test]
    fn a_line_over_the_limit_is_left_out_and_its_number_kept() {
        let got = pieces("a\nxxxxxxxx\nb\nyyyyy", 4);
        let problem = "longer than the 4 B limit (--max-article-size); left out";
        assert_eq!(
            got,
            [
                (
                    Some(1),
                    "a\n\nb\n".into(),
                    vec![format!("line 2: {problem}")]
                ),
                (Some(4), "\n".into(), vec![format!("line 4: {problem}")]),
            ]
        );
        // A line of exactly the limit is kept.
        assert_eq!(pieces("abcd\n", 4), [(Some(1), "abcd\n".into(), vec![])]);
    }

    mod sizes {
        use std::io::Write;

        use super::*;

        fn gzip(bytes: &[u8]) -> Vec<u8> {
            let mut encoder =
                flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            encoder.write_all(bytes).unwrap();
            encoder.finish().unwrap()
        }

        fn tar(members: &[(&str, &[u8])]) -> Vec<u8> {
            let mut builder = tar::Builder::new(Vec::new());
            for (name, bytes) in members {
                let mut header = tar::Header::new_gnu();
                header.set_size(bytes.len() as u64);
                header.set_mode(0o644);
                header.set_cksum();
                builder.append_data(&mut header, name, *bytes).unwrap();
            }
            builder.into_inner().unwrap()
        }

        fn zip(members: &[(&str, &[u8])]) -> Vec<u8> {
            let mut writer = zip::ZipWriter::new(io::Cursor::new(Vec::new()));
            for (name, bytes) in members {
                let options = zip::write::SimpleFileOptions::default();
                writer.start_file(*name, options).unwrap();
                writer.write_all(bytes).unwrap();
            }
            writer.finish().unwrap().into_inner()
        }

        /// What reading the file hands on to be parsed, in bytes: what a
        /// run counts as it goes.
        fn bytes_read(path: &Path, limits: ReadLimits) -> u64 {
            let len = std::fs::metadata(path).unwrap().len();
            let origin = Origin {
                id: "x".into(),
                path: "/x".into(),
            };
            let mut total = 0;
            open(path, len, origin, limits, &mut |item| {
                if let Item::Member(member) = item {
                    total += member.bytes.len() as u64;
                }
                true
            });
            total
        }

        #[test]
        fn the_total_is_what_reading_hands_on_not_the_compressed_size() {
            // Issue #13, item 11: the bar's total was the files' sizes on
            // disk, 40% of the work on compressed input.
            let text = "Ferry strike halts island crossings\n\n".repeat(2000);
            let big = "x".repeat(5000);
            let members: &[(&str, &[u8])] = &[
                ("news/a.txt", text.as_bytes()),
                ("news/b.txt", &text.as_bytes()[..1000]),
                ("news/lewis.dtd", text.as_bytes()), // not an article: passed over
                ("news/.hidden.txt", text.as_bytes()), // hidden: passed over
                ("news/too-big.txt", big.as_bytes()), // over the limit: left unread
                ("news/c.txt.gz", &gzip(text.as_bytes())), // read through
            ];
            let dir = tempfile::tempdir().unwrap();
            let limits = ReadLimits {
                limit: 4096 * 32,
                pieces: true,
            };
            let small = ReadLimits {
                limit: 4096,
                pieces: true,
            };
            let files = [
                ("plain.txt", text.as_bytes().to_vec()),
                ("one.txt.gz", gzip(text.as_bytes())),
                ("lines.jsonl.gz", gzip(text.as_bytes())),
                ("all.tar", tar(members)),
                ("all.tar.gz", gzip(&tar(members))),
                ("all.tgz", gzip(&tar(members))),
                ("all.zip", zip(members)),
            ];
            for (name, bytes) in files {
                let path = dir.path().join(name);
                std::fs::write(&path, &bytes).unwrap();
                let len = bytes.len() as u64;
                for limits in [limits, small] {
                    let total = content_size(&path, len, limits);
                    let read = bytes_read(&path, limits);
                    assert_eq!(total, read, "{name}, limit {}", limits.limit);
                }
            }
            // A broken file is read for nothing, and counts for no more than
            // its size: never a total that cannot be reached by far.
            for (name, bytes) in [
                ("broken.gz", &b"not gzip at all, but long enough"[..]),
                ("broken.zip", b"not a zip"),
                ("broken.tar.gz", b"not a tar.gz"),
            ] {
                let path = dir.path().join(name);
                std::fs::write(&path, bytes).unwrap();
                assert_eq!(bytes_read(&path, limits), 0);
                assert!(content_size(&path, bytes.len() as u64, limits) <= bytes.len() as u64);
            }
            let gz = dir.path().join("one.txt.gz");
            let len = std::fs::metadata(&gz).unwrap().len();
            assert!(len * 10 < text.len() as u64);
            assert_eq!(content_size(&gz, len, limits), text.len() as u64);
            // Over the limit, a file is not read: it counts for nothing.
            assert_eq!(content_size(&gz, len, small), 0);
            assert_eq!(content_size(&dir.path().join("gone.txt"), 10, limits), 0);
        }

        #[test]
        fn a_gzip_trailer_is_its_size_modulo_4_gib() {
            const GIB: u64 = 1 << 30;
            assert_eq!(inflated_size(1000, 300), 1000);
            // A tiny file with a long name in its header holds less than itself.
            assert_eq!(inflated_size(20, 90), 20);
            // Incompressible: a little less than the file.
            assert_eq!(inflated_size(990_000, 1_000_000), 990_000);
            // Over 4 GiB: news text, about three to one.
            let size = 15 * GIB;
            let isize = (size % (4 * GIB)) as u32;
            assert_eq!(inflated_size(isize, 5 * GIB), size);
            let size = 5 * GIB;
            let isize = (size % (4 * GIB)) as u32;
            assert_eq!(inflated_size(isize, 2 * GIB), size);
            // Not a trailer: more than deflate can give.
            assert_eq!(inflated_size(u32::from_le_bytes(*b"ough"), 32), 32);
        }
    }
}
