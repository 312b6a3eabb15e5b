//! Walking the PATHs given to `dateline index` ([`Roots`]) into a stream of
//! article files, each with the stable id its articles get.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::error::{AtPath, Error, Result, UserError};
use crate::paths::{modified_nanos, path_text};

/// One file to read, and the id its article will have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// The path as reached from the PATH the user gave: for reading and messages.
    pub path: PathBuf,
    /// The absolute path, stored with the article so it can be found again.
    pub absolute: PathBuf,
    /// `<root folder name>/<path below the root>`, with `/` separators; for a
    /// file given directly, its file name.
    pub id: String,
    /// Its size in bytes, when walked.
    pub len: u64,
    /// Modification time, in nanoseconds since the Unix epoch.
    pub modified: i64,
}

/// What walking a root turns up.
#[derive(Debug)]
pub enum Entry {
    /// A file that may hold articles (or an archive of them).
    File(SourceFile),
    /// A file of another kind inside a folder (`.dtd`, `.jpg`, a README): passed over.
    Ignored(PathBuf),
    /// A path that could not be walked (permissions, a symlink loop, …).
    Unreadable {
        /// Where the walk failed.
        path: PathBuf,
        /// Why.
        reason: String,
    },
}

/// The folders and files to index: the PATHs of `dateline index`.
#[derive(Debug, Clone)]
pub struct Roots {
    roots: Vec<Root>,
    root_paths: Vec<PathBuf>,
    follow_links: bool,
}

#[derive(Debug, Clone)]
struct Root {
    /// As given on the command line.
    given: PathBuf,
    /// Absolute, so stored paths lead back to the file from anywhere.
    absolute: PathBuf,
    /// With links resolved: tells when two roots are the same folder.
    canonical: PathBuf,
    /// What ids of files below this root start with.
    prefix: String,
}

impl Roots {
    /// Checks that every path exists; ids are made relative to each one.
    pub fn new(paths: &[PathBuf], follow_links: bool) -> Result<Roots> {
        let roots = paths
            .iter()
            .map(|path| {
                let absolute = std::path::absolute(path).at(path)?;
                let canonical = match std::fs::canonicalize(path) {
                    Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                        return Err(Error::User(UserError::MissingPath { path: path.clone() }))
                    }
                    other => other.at(path)?,
                };
                // Named as the user named it (a link keeps its own name).
                let absolute = normalise(&absolute);
                let prefix = if canonical.is_dir() {
                    absolute
                        .file_name()
                        .or(canonical.file_name())
                        .map(|name| format!("{}/", path_text(Path::new(name))))
                        .unwrap_or_default()
                } else {
                    String::new()
                };
                Ok(Root {
                    given: path.clone(),
                    absolute,
                    canonical,
                    prefix,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        // A root given twice, or inside another root, would be walked twice:
        // keep the outermost, first given.
        let roots: Vec<Root> = roots
            .iter()
            .enumerate()
            .filter(|(i, root)| {
                !roots.iter().enumerate().any(|(j, other)| {
                    j != *i
                        && root.canonical.starts_with(&other.canonical)
                        && (root.canonical != other.canonical || j < *i)
                })
            })
            .map(|(_, root)| root.clone())
            .collect();
        let root_paths = roots.iter().map(|root| root.absolute.clone()).collect();
        Ok(Roots {
            roots,
            root_paths,
            follow_links,
        })
    }

    /// The roots, as absolute paths.
    pub fn absolute(&self) -> &[PathBuf] {
        &self.root_paths
    }

    /// Every entry under every root, in a stable order (sorted by name within
    /// each folder). Hidden files and folders (`.name`) inside a root are
    /// passed over silently; a file named as a root is always read.
    pub fn entries(&self) -> impl Iterator<Item = Entry> + Send + '_ {
        self.walk().map(Walked::entry)
    }

    /// The size of every article file under the roots, in bytes (walking
    /// them all: for a progress bar, on a thread of its own).
    pub fn total_bytes(&self) -> u64 {
        self.entries()
            .filter_map(|entry| match entry {
                Entry::File(file) => Some(file.len),
                _ => None,
            })
            .sum()
    }

    /// What [`Roots::entries`] gives, each before its file's metadata is
    /// read: the walk itself only lists folders, and the `stat` of each
    /// file ([`Walked::entry`]) can then run on any thread.
    pub fn walk(&self) -> impl Iterator<Item = Walked<'_>> + Send + '_ {
        self.roots.iter().flat_map(move |root| {
            WalkDir::new(&root.given)
                .follow_links(self.follow_links)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|entry| entry.depth() == 0 || !is_hidden(entry.file_name()))
                .filter(|entry| match entry {
                    // (A root given as a symlink to a folder is that folder.)
                    Ok(entry) => {
                        !(entry.file_type().is_dir()
                            || (entry.depth() == 0 && entry.path().is_dir()))
                    }
                    Err(_) => true,
                })
                .map(move |found| Walked { root, found })
        })
    }
}

/// A path the walk found, not yet looked at.
pub struct Walked<'a> {
    root: &'a Root,
    found: walkdir::Result<walkdir::DirEntry>,
}

impl Walked<'_> {
    /// What the path is: reads the file's metadata.
    pub fn entry(self) -> Entry {
        match self.found {
            Ok(entry) => self.root.entry(entry),
            Err(err) => Entry::Unreadable {
                path: err
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| self.root.given.clone()),
                reason: walk_error_reason(&err),
            },
        }
    }
}

impl Root {
    fn entry(&self, entry: walkdir::DirEntry) -> Entry {
        let given_directly = entry.depth() == 0;
        let path = entry.into_path();
        if !given_directly && !is_article_file(&path) {
            return Entry::Ignored(path);
        }
        let (len, modified) = match std::fs::metadata(&path) {
            Ok(meta) if meta.is_file() => (meta.len(), modified_nanos(&meta)),
            // Named on the command line, it deserves a word.
            Ok(_) if given_directly => {
                return Entry::Unreadable {
                    path,
                    reason: "not a regular file (a named pipe, socket or device)".into(),
                }
            }
            Ok(_) => return Entry::Ignored(path),
            Err(err) => {
                return Entry::Unreadable {
                    reason: err.to_string(),
                    path,
                }
            }
        };
        let below = path.strip_prefix(&self.given).unwrap_or(&path);
        // (Joining an empty path would add a trailing separator.)
        let absolute = if below.as_os_str().is_empty() {
            self.absolute.clone()
        } else {
            self.absolute.join(below)
        };
        let id = if given_directly {
            path.file_name()
                .map(|name| path_text(Path::new(name)))
                .unwrap_or_default()
        } else {
            let parts: Vec<String> = below
                .components()
                .map(|part| path_text(part.as_ref()))
                .collect();
            format!("{}{}", self.prefix, parts.join("/"))
        };
        Entry::File(SourceFile {
            path,
            absolute,
            id,
            len,
            modified,
        })
    }
}

/// Files that may hold articles, by name (see [`super::formats::Format`]
/// and [`super::container`]).
fn is_article_file(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|name| super::container::may_hold_articles(&name.to_string_lossy()))
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

/// Drops `.` and resolves `..` lexically, so ids and paths read cleanly.
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

fn walk_error_reason(err: &walkdir::Error) -> String {
    if let Some(ancestor) = err.loop_ancestor() {
        return format!("symlink loop back to {}", ancestor.display());
    }
    match err.io_error() {
        Some(io) => io.to_string(),
        None => err.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(roots: &Roots) -> Vec<SourceFile> {
        roots
            .entries()
            .filter_map(|entry| match entry {
                Entry::File(file) => Some(file),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn ids_are_relative_to_the_root_and_named_after_it() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("news");
        std::fs::create_dir_all(root.join("2025/03")).unwrap();
        std::fs::write(root.join("2025/03/b.txt"), "x").unwrap();
        std::fs::write(root.join("2025/03/a.TXT"), "x").unwrap();
        std::fs::write(root.join("2025/notes.md"), "x").unwrap();
        std::fs::write(root.join("2025/README.txt"), "x").unwrap();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::write(root.join(".git/c.txt"), "x").unwrap();

        let roots = Roots::new(std::slice::from_ref(&root), false).unwrap();
        let ids: Vec<String> = files(&roots).into_iter().map(|f| f.id).collect();
        assert_eq!(ids, ["news/2025/03/a.TXT", "news/2025/03/b.txt"]);
        let ignored = roots
            .entries()
            .filter(|e| matches!(e, Entry::Ignored(_)))
            .count();
        assert_eq!(ignored, 2);

        // The same folder reached another way gives the same ids.
        let dotted = root.join("2025/..");
        let again = Roots::new(&[dotted], false).unwrap();
        assert_eq!(files(&again)[0].id, "news/2025/03/a.TXT");
    }

    #[test]
    fn a_folder_given_twice_or_inside_another_is_walked_once() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("news");
        std::fs::create_dir_all(root.join("2025")).unwrap();
        std::fs::write(root.join("2025/a.txt"), "x").unwrap();
        let paths = [
            root.join("2025"),
            root.clone(),
            root.join("2025/../"),
            root.join("2025/a.txt"),
        ];
        let found = files(&Roots::new(&paths, false).unwrap());
        let ids: Vec<&str> = found.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["news/2025/a.txt"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_root_that_is_a_symlink_to_a_folder_is_walked_as_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        std::fs::create_dir_all(&real).unwrap();
        std::fs::write(real.join("a.txt"), "x").unwrap();
        let link = dir.path().join("news");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let roots = Roots::new(std::slice::from_ref(&link), false).unwrap();
        let entries: Vec<Entry> = roots.entries().collect();
        assert_eq!(entries.len(), 1, "{entries:?}");
        assert!(matches!(&entries[0], Entry::File(file) if file.id == "news/a.txt"));
    }

    #[test]
    fn a_file_given_directly_is_read_whatever_its_name() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("article.text");
        std::fs::write(&file, "abc").unwrap();
        let found = files(&Roots::new(std::slice::from_ref(&file), false).unwrap());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].id, "article.text");
        assert_eq!(found[0].len, 3);
        assert!(found[0].absolute.is_absolute());
        assert_eq!(found[0].path, file);
        assert_eq!(found[0].absolute, file);
    }

    #[test]
    fn a_missing_path_is_an_error_naming_it() {
        let err = Roots::new(&[PathBuf::from("no/such/dir")], false).unwrap_err();
        assert_eq!(err.to_string(), "no/such/dir: no such file or directory");
    }
}
