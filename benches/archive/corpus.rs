//! The archive under test: found in the bench folder, or generated there.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::measure::files_size;
use crate::options::Options;

/// An archive of article files and its JSON-lines twin.
#[derive(Debug, Clone)]
pub struct Corpus {
    /// The bench folder: archive, indexes and peer files.
    pub dir: PathBuf,
    /// `DIR/articles`: one `.txt` per article, `YYYY/MM/<id>.txt`.
    pub articles: PathBuf,
    /// `DIR/articles.jsonl`: the same articles, `{id,date,headline,body}`.
    pub jsonl: PathBuf,
    /// How many `.txt` files `articles` holds.
    pub files: u64,
    /// Their total size in bytes.
    pub raw_bytes: u64,
}

/// Reuses `DIR/articles` and `DIR/articles.jsonl` when they exist, generating
/// what is missing with `../shared/tools/gen-archive`.
pub fn find_or_make(options: &Options) -> Corpus {
    let dir = options.dir.clone();
    let articles = dir.join("articles");
    let jsonl = dir.join("articles.jsonl");
    std::fs::create_dir_all(&dir)
        .unwrap_or_else(|err| panic!("cannot create {}: {err}", dir.display()));
    match (articles.exists(), jsonl.exists()) {
        (true, true) => eprintln!(
            "archive: reusing {} and {}",
            articles.display(),
            jsonl.display()
        ),
        (false, _) => generate(
            options,
            &["--out", path(&articles), "--jsonl", path(&jsonl)],
        ),
        (true, false) => generate(options, &["--jsonl-only", path(&jsonl)]),
    }
    let (raw_bytes, files) = files_size(&articles, Some(".txt"));
    eprintln!(
        "archive: {files} .txt files, {:.1} MB of raw text",
        raw_bytes as f64 / 1e6
    );
    if files != options.articles {
        eprintln!(
            "archive: warning: {} holds {files} articles, not the {} asked for",
            articles.display(),
            options.articles
        );
    }
    Corpus {
        dir,
        articles,
        jsonl,
        files,
        raw_bytes,
    }
}

fn generate(options: &Options, outputs: &[&str]) {
    let tool = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/gen-archive");
    assert!(
        tool.is_file(),
        "the archive generator {} is missing; give --dir an existing archive instead",
        tool.display()
    );
    let mut command = Command::new(&tool);
    command
        .args(outputs)
        .args(["--articles", &options.articles.to_string()])
        .args(["--seed", &options.seed.to_string()])
        .args(["--jobs", "2"])
        // Keep stdout for the report: the generator's chatter goes to stderr.
        .stdout(stderr_for_child())
        .stderr(Stdio::inherit());
    eprintln!("archive: generating with {command:?}");
    let started = Instant::now();
    let status = command
        .status()
        .unwrap_or_else(|err| panic!("cannot run {}: {err}", tool.display()));
    assert!(status.success(), "gen-archive failed ({status})");
    eprintln!(
        "archive: generated in {:.0} s",
        started.elapsed().as_secs_f64()
    );
}

fn path(path: &Path) -> &str {
    path.to_str()
        .expect("the bench folder's path should be valid UTF-8")
}

/// Our stderr, handed to a child as its stdout.
fn stderr_for_child() -> Stdio {
    use std::os::fd::AsFd;
    let fd = std::io::stderr()
        .as_fd()
        .try_clone_to_owned()
        .expect("stderr should be duplicable");
    Stdio::from(fd)
}
