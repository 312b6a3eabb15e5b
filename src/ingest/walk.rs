//! Walking the PATHs given to `dateline index` ([`Roots`]) into a stream of
//! article files, each with the stable id its articles get.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::error::{AtPath, Error, Result, UserError};
use crate::paths::{modified_nanos, path_text};

use super::shard::Shard;

/// One file to read, and the id its article will have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// The path as reached from the PATH the user gave: for reading and messages.
    pub path: PathBuf,
    /// The absolute path, stored with the article so it can be found again.
    pub absolute: PathBuf,
    /// `<root folder name>/<path below the root>`, with `/` separators; for a
    /// file given directly, its file name. When two PATHs have the same
    /// name, each is named by as many of its parent folders as tell them
    /// apart (`a/news/100`, `b/news/100`): see [`Roots::new`].
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
    /// The index folder, left out of the walk: see [`Roots::leave_out_index`].
    index: Option<IndexFolder>,
    /// Only the files of this shard are walked: see [`Roots::only_shard`].
    shard: Option<Shard>,
}

/// The index folder, as the walk recognises it.
#[derive(Debug, Clone)]
struct IndexFolder {
    /// With links resolved: what a folder found by the walk is compared with.
    canonical: PathBuf,
    /// Its name: only a folder of this name (or a link) is resolved and compared.
    name: std::ffi::OsString,
}

#[derive(Debug, Clone)]
struct Root {
    /// As given on the command line.
    given: PathBuf,
    /// Absolute, so stored paths lead back to the file from anywhere.
    absolute: PathBuf,
    /// With links resolved: tells when two roots are the same folder.
    canonical: PathBuf,
    /// A folder (not a file given directly).
    is_dir: bool,
    /// What names the root in ids: the last components of `absolute` (one,
    /// unless another root has the same name). Ids of files below a folder
    /// are `<label>/<path below>`; a file given directly has its label.
    label: Vec<String>,
}

impl Roots {
    /// Checks that every path exists; ids are made relative to each one.
    ///
    /// A root is named in ids by its own name (`news/2025/a.txt`). When two
    /// roots have the same name (`clash/a/news` and `clash/b/news`), or
    /// one's ids could be another's (`x` holding a folder `news`, and
    /// `y/x/news`), each of them is named by as many of its parent folders
    /// as it takes to tell them apart: `a/news/100`, `b/news/100`. The ids
    /// depend only on the PATHs given, not on their order, so the same
    /// PATHs give the same ids run after run.
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
                let is_dir = canonical.is_dir();
                Ok(Root {
                    given: path.clone(),
                    absolute,
                    canonical,
                    is_dir,
                    label: Vec::new(),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        // A root given twice, or inside another root, would be walked twice:
        // keep the outermost, first given.
        let mut roots: Vec<Root> = roots
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
        label_roots(&mut roots)?;
        let root_paths = roots.iter().map(|root| root.absolute.clone()).collect();
        Ok(Roots {
            roots,
            root_paths,
            follow_links,
            index: None,
            shard: None,
        })
    }

    /// Leaves the index folder `dir` out of the walk, wherever it is below
    /// the roots (`dateline index .` with the index in `./index`): its
    /// files are not articles, and they change on every run. Folders are
    /// compared with links resolved. When a root is the index folder itself
    /// (`--index .`), the index's own files in it are left out.
    pub fn leave_out_index(&mut self, dir: &Path) {
        let Ok(canonical) = std::fs::canonicalize(dir) else {
            return;
        };
        let Some(name) = canonical.file_name().map(ToOwned::to_owned) else {
            return;
        };
        self.index = Some(IndexFolder { canonical, name });
    }

    /// Walks only the files of `shard` (by their stable ids): the others
    /// are passed over unread, and an incremental run leaves them out as
    /// if they were not there.
    pub fn only_shard(&mut self, shard: Shard) {
        self.shard = Some(shard);
    }

    /// The shard walked, if the walk is of one.
    pub fn shard(&self) -> Option<Shard> {
        self.shard
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

    /// How many bytes a run will read under the roots, for a progress bar
    /// (walking them all, and reading the sizes containers record: on a
    /// thread of its own). Bytes are counted as the run counts them, after
    /// decompression: see [`super::container::content_size`].
    pub fn total_bytes(&self, options: &super::IndexOptions) -> u64 {
        let limits = super::container::ReadLimits::of(options);
        self.entries()
            .map(|entry| match entry {
                Entry::File(file) => super::container::content_size(&file.path, file.len, limits),
                _ => 0,
            })
            .fold(0, u64::saturating_add)
    }

    /// What [`Roots::entries`] gives, each before its file's metadata is
    /// read: the walk itself only lists folders, and the `stat` of each
    /// file ([`Walked::entry`]) can then run on any thread.
    pub fn walk(&self) -> impl Iterator<Item = Walked<'_>> + Send + '_ {
        self.roots.iter().flat_map(move |root| {
            // The root is the index folder itself: leave out its own files.
            let in_index = self
                .index
                .as_ref()
                .is_some_and(|index| index.canonical == root.canonical && root.is_dir);
            WalkDir::new(&root.given)
                .follow_links(self.follow_links)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(move |entry| {
                    entry.depth() == 0
                        || !(is_hidden(entry.file_name())
                            || self.is_index(entry)
                            || (in_index
                                && entry.depth() == 1
                                && crate::index::is_index_file(entry.file_name())))
                })
                .filter(|entry| match entry {
                    // (A root given as a symlink to a folder is that folder.)
                    Ok(entry) => {
                        !(entry.file_type().is_dir()
                            || (entry.depth() == 0 && entry.path().is_dir()))
                    }
                    Err(_) => true,
                })
                // Another shard's files are not this run's: passed over
                // unread, as if they were not there.
                .filter(move |entry| match (self.shard, entry) {
                    (Some(shard), Ok(entry)) => {
                        shard.holds(&root.id_of(entry.path(), entry.depth() == 0))
                    }
                    _ => true,
                })
                .map(move |found| Walked { root, found })
        })
    }
}

impl Roots {
    /// Whether the walk found the index folder (below a root, not the root).
    fn is_index(&self, entry: &walkdir::DirEntry) -> bool {
        let Some(index) = &self.index else {
            return false;
        };
        // Only a folder of the index's name, or a link (which may lead to
        // it under any name), is worth resolving.
        let worth_a_look = (entry.file_type().is_dir() && entry.file_name() == index.name)
            || entry.path_is_symlink();
        worth_a_look
            && std::fs::canonicalize(entry.path()).is_ok_and(|path| path == index.canonical)
    }
}

/// Names each root in ids: see [`Roots::new`]. Starts with each root's
/// last component and lengthens the labels of roots whose ids could meet
/// until none can. A label is lengthened only from the path's own folders,
/// so the result depends on the set of roots alone.
fn label_roots(roots: &mut [Root]) -> Result<()> {
    let components: Vec<Vec<String>> = roots
        .iter()
        .map(|root| {
            let parts: Vec<String> = root
                .absolute
                .components()
                .filter_map(|part| match part {
                    std::path::Component::Normal(name) => Some(path_text(Path::new(name))),
                    _ => None,
                })
                .collect();
            if parts.is_empty() {
                // The file system's root: named after where it leads.
                root.canonical
                    .file_name()
                    .map(|name| vec![path_text(Path::new(name))])
                    .unwrap_or_default()
            } else {
                parts
            }
        })
        .collect();
    let mut lengths: Vec<usize> = components.iter().map(|parts| parts.len().min(1)).collect();
    // The last `length` components.
    fn tail(parts: &[String], length: usize) -> &[String] {
        &parts[parts.len() - length..]
    }
    loop {
        let can_grow = |i: usize| lengths[i] < components[i].len();
        // Roots by label, and by each folder their label starts with.
        let mut named: HashMap<&[String], Vec<usize>> = HashMap::new();
        let mut below: HashMap<&[String], Vec<usize>> = HashMap::new();
        for i in 0..roots.len() {
            let own = tail(&components[i], lengths[i]);
            named.entry(own).or_default().push(i);
            for end in 1..own.len() {
                below.entry(&own[..end]).or_default().push(i);
            }
        }
        let mut grow = vec![false; roots.len()];
        let mut clash = None;
        for i in 0..roots.len() {
            let own = tail(&components[i], lengths[i]);
            // The same label: each says more, as far as it can.
            for &j in named[own].iter().filter(|&&j| j != i) {
                if can_grow(i) {
                    grow[i] = true;
                } else if !can_grow(j) {
                    clash.get_or_insert((i, j));
                }
            }
            // A folder's ids (`own/…`) may be those of a root whose label
            // starts with it: the shorter says more, or else the longer.
            if !roots[i].is_dir {
                continue;
            }
            for &j in below.get(own).into_iter().flatten() {
                if can_grow(i) {
                    grow[i] = true;
                } else if can_grow(j) {
                    grow[j] = true;
                } else {
                    clash.get_or_insert((i, j));
                }
            }
        }
        if !grow.contains(&true) {
            if let Some((i, j)) = clash {
                return Err(Error::invalid(format!(
                    "{} and {} would give their articles the same ids: index their \
                     common folder instead",
                    roots[i].given.display(),
                    roots[j].given.display()
                )));
            }
            break;
        }
        for (length, grows) in lengths.iter_mut().zip(grow) {
            *length += usize::from(grows);
        }
    }
    for (i, root) in roots.iter_mut().enumerate() {
        root.label = tail(&components[i], lengths[i]).to_vec();
    }
    Ok(())
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
        let id = self.id_of(&path, given_directly);
        Entry::File(SourceFile {
            path,
            absolute,
            id,
            len,
            modified,
        })
    }
}

impl Root {
    /// The stable id of a file found under this root: see [`SourceFile::id`].
    fn id_of(&self, path: &Path, given_directly: bool) -> String {
        if given_directly {
            return self.label.join("/");
        }
        let below = path.strip_prefix(&self.given).unwrap_or(path);
        let parts = self.label.iter().cloned().chain(
            below
                .components()
                .map(|part| path_text(Path::new(part.as_os_str()))),
        );
        parts.collect::<Vec<String>>().join("/")
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

    fn ids_of(paths: &[PathBuf]) -> Vec<String> {
        files(&Roots::new(paths, false).unwrap())
            .into_iter()
            .map(|f| f.id)
            .collect()
    }

    fn write(path: &Path) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "x").unwrap();
    }

    #[test]
    fn roots_of_the_same_name_are_told_apart_by_their_parents() {
        // Issue #13, item 7: both were `news/100`.
        let dir = tempfile::tempdir().unwrap();
        let clash = dir.path().join("clash");
        write(&clash.join("a/news/100"));
        write(&clash.join("b/news/100"));
        let a = clash.join("a/news");
        let b = clash.join("b/news");
        assert_eq!(
            ids_of(&[a.clone(), b.clone()]),
            ["a/news/100", "b/news/100"]
        );
        // Whatever the order: the same PATHs give the same ids.
        assert_eq!(ids_of(&[b, a.clone()]), ["b/news/100", "a/news/100"]);
        // One of them alone keeps the id it always had.
        assert_eq!(ids_of(&[a]), ["news/100"]);

        // As many parents as it takes, and only for the roots that clash.
        write(&dir.path().join("x/a/news/100"));
        write(&dir.path().join("y/a/news/100"));
        write(&dir.path().join("z/other/1"));
        let paths = [
            dir.path().join("x/a/news"),
            dir.path().join("y/a/news"),
            dir.path().join("z/other"),
        ];
        assert_eq!(ids_of(&paths), ["x/a/news/100", "y/a/news/100", "other/1"]);
    }

    #[test]
    fn files_given_directly_with_the_same_name_are_told_apart() {
        let dir = tempfile::tempdir().unwrap();
        write(&dir.path().join("a/100.txt"));
        write(&dir.path().join("b/100.txt"));
        let paths = [dir.path().join("a/100.txt"), dir.path().join("b/100.txt")];
        assert_eq!(ids_of(&paths), ["a/100.txt", "b/100.txt"]);
        assert_eq!(ids_of(&paths[..1]), ["100.txt"]);
    }

    #[test]
    fn a_root_whose_ids_could_be_another_roots_says_more() {
        // `p/news` and `q/x/news` clash, and become `p/news` and `x/news`;
        // then `x` (`p/x`), which holds `news/1`, would give it the id
        // `x/news/1`, as `q/x/news` gives its `1`: `p/x` says more.
        let dir = tempfile::tempdir().unwrap();
        write(&dir.path().join("p/x/news/1"));
        write(&dir.path().join("p/news/1"));
        write(&dir.path().join("q/x/news/1"));
        let paths = [
            dir.path().join("p/x"),
            dir.path().join("p/news"),
            dir.path().join("q/x/news"),
        ];
        let ids = ids_of(&paths);
        assert_eq!(ids, ["p/x/news/1", "p/news/1", "x/news/1"]);
    }

    #[test]
    fn the_index_folder_is_left_out_of_the_walk() {
        // Issue #13, item 8: `dateline index .` read `./index/meta.json`.
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("news");
        write(&root.join("a.txt"));
        write(&root.join("index/meta.json"));
        write(&root.join("index/dateline-version"));
        write(&root.join("sub/index/b.txt")); // another folder of that name
        let mut roots = Roots::new(std::slice::from_ref(&root), false).unwrap();
        roots.leave_out_index(&root.join("./index"));
        let ids: Vec<String> = files(&roots).into_iter().map(|f| f.id).collect();
        assert_eq!(ids, ["news/a.txt", "news/sub/index/b.txt"]);
        assert!(roots.entries().all(|e| match e {
            Entry::Ignored(path) | Entry::Unreadable { path, .. } =>
                !path.starts_with(root.join("index")),
            Entry::File(_) => true,
        }));
    }

    #[cfg(unix)]
    #[test]
    fn the_index_folder_is_left_out_under_another_name_too() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("news");
        write(&root.join("a.txt"));
        write(&dir.path().join("index/meta.json"));
        std::os::unix::fs::symlink(dir.path().join("index"), root.join("link")).unwrap();
        let mut roots = Roots::new(std::slice::from_ref(&root), true).unwrap();
        roots.leave_out_index(&dir.path().join("index"));
        let ids: Vec<String> = files(&roots).into_iter().map(|f| f.id).collect();
        assert_eq!(ids, ["news/a.txt"]);
    }

    #[test]
    fn a_root_that_is_the_index_folder_loses_only_the_index_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("news");
        for name in [
            "a.txt",
            "meta.json",
            "dateline-version",
            "0123456789abcdef0123456789abcdef.store",
            "sub/meta.json",
        ] {
            write(&root.join(name));
        }
        let mut roots = Roots::new(std::slice::from_ref(&root), false).unwrap();
        roots.leave_out_index(&root);
        let ids: Vec<String> = files(&roots).into_iter().map(|f| f.id).collect();
        assert_eq!(ids, ["news/a.txt", "news/sub/meta.json"]);
        assert_eq!(roots.entries().count(), 2);
    }
}
