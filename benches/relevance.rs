//! The relevance benchmark: ranking quality on a judged test collection,
//! dateline beside SQLite FTS5. `cargo bench --bench relevance [-- DIR]`.
//!
//! DIR is a test collection in one of the two SMART formats (default
//! `../shared/corpora/time`):
//! - TIME (`TIME.ALL[.gz]`, `TIME.QUE`, `TIME.REL`, `TIME.STP`). Each article
//!   becomes a file of the reference format dated by its issue, laid out
//!   three ways in turn, since TIME has no headlines: all its text in the
//!   body (how the figures in the ranking issue were taken), its first line
//!   as the headline (a collection of short headlines), and its first line
//!   as the headline with four lines of body, then the same with every
//!   odd-numbered article's body left out (a headline alone, as a brief).
//! - A dotted collection (ADI, CACM, CISI, MED, CRAN: records `.I N` with
//!   fields `.T`, `.W`, …): a file whose name has `.ALL` in it (`ADI.ALL`,
//!   `cacm.all`, `cran.all.1400`), one with `.QRY`, `.QUE` or `query` (the
//!   queries' `.W`), one with `.REL` or `qrel` (judgments a pair a line,
//!   or in TREC's form). Each article's title (`.T`) is its headline and
//!   its text (`.W`) its body: short headlines and short bodies; then
//!   again with the odd-numbered articles' bodies left out. Its stop
//!   words are a `*.STP` file beside it, else TIME's (SMART's list).
//!
//! dateline indexes the articles through the library, and
//! `benches/relevance_fts5.py` puts the same headlines and bodies in an FTS5
//! table (porter tokenizer). Each query is run by both as an OR of its
//! words that are not stop words; the top 100 are scored with
//! `dateline::relevance` (MAP@100, P@10, nDCG@10).
//!
//! TIME's judgments number articles by position in a 425-article ordering
//! of which this `TIME.ALL` has 423: ids up to 370 are positions as they
//! are, ids from 378 on are 2 more than the position (see the corpora's
//! README).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::AtomicBool;

use dateline::relevance::{self, Scores};
use dateline::{
    index_files, search, ArchiveIndex, DateFilter, IndexOptions, Roots, SearchRequest, Silent,
};

/// How an article of TIME, which has no headline, is laid out.
#[derive(Clone, Copy)]
enum Layout {
    /// All its text in the body; the headline is its TEXT number (`#017`).
    AllBody,
    /// Its first line as the headline (the section and title words run
    /// into it: "THE ALLIES AFTER NASSAU IN DECEMBER 1960, THE U.S . FIRST"),
    /// the rest as the body: a collection of short headlines.
    FirstLineHeadline,
    /// Its first line as the headline and the next four (about 40 words)
    /// as the body: short headlines and short bodies, as a wire feed's
    /// briefs. The judgments are of whole articles, so the measures are
    /// lower than on the others; both engines see the same text.
    ShortBody,
    /// A dotted collection's title as the headline, its text as the body.
    Titled,
}

impl Layout {
    fn describe(self) -> &'static str {
        match self {
            Layout::AllBody => "all text in the body",
            Layout::FirstLineHeadline => "first line as the headline",
            Layout::ShortBody => "first line as the headline, 4 lines of body",
            Layout::Titled => "titles as headlines, texts as bodies",
        }
    }
}

/// One article of the collection: its position (1-based) and text.
#[derive(Clone)]
struct Article {
    position: usize,
    date: String,
    headline: String,
    body: String,
}

fn main() {
    if !std::env::args().any(|arg| arg == "--bench") {
        eprintln!("relevance: a benchmark, not a test; run `cargo bench --bench relevance`");
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::args()
        .skip(1)
        .find(|arg| !arg.starts_with("--"))
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/corpora/time"));
    let Some(collection) = Collection::in_folder(&dir, root) else {
        eprintln!(
            "relevance: skipped: no TIME collection and no dotted SMART collection \
             (*.ALL, *.QRY, *.REL) in {} (give its folder)",
            dir.display()
        );
        return;
    };
    let queries = collection.queries();
    let judged = collection.judgments();
    eprintln!(
        "relevance: {} queries, {} judgments",
        queries.len(),
        judged.values().map(HashSet::len).sum::<usize>()
    );
    println!(
        "{}: {} queries, each the top 100 of an OR of its words\n",
        collection.name(),
        queries.len()
    );
    println!("| layout | engine | MAP@100 | P@10 | nDCG@10 |");
    println!("| --- | --- | --- | --- | --- |");
    for &layout in collection.layouts() {
        // Short bodies again, with every other article a headline alone, as
        // wire briefs are (and CACM's titles without abstracts).
        let bodiless = matches!(layout, Layout::ShortBody | Layout::Titled);
        let read = collection.articles(layout);
        for headline_alone in [false, true].into_iter().take(1 + usize::from(bodiless)) {
            let mut articles = read.clone();
            let mut layout = layout.describe().to_string();
            if headline_alone {
                for article in articles.iter_mut().filter(|a| a.position % 2 == 1) {
                    article.body.clear();
                }
                layout.push_str(", odd-numbered articles a headline alone");
            }
            run_layout(root, &layout, &articles, &queries, &judged);
        }
    }
}

/// Indexes one layout of the articles with dateline and FTS5, runs the
/// queries through both and prints their scores.
fn run_layout(
    root: &Path,
    layout: &str,
    articles: &[Article],
    queries: &BTreeMap<usize, Vec<String>>,
    judged: &HashMap<usize, HashSet<String>>,
) {
    let work = tempfile::tempdir().expect("a temporary folder");
    let files = work.path().join("articles");
    fs::create_dir(&files).expect("a folder for the articles");
    let mut jsonl = String::new();
    for article in articles {
        let text = format!(
            " date {} {}\n\n{}\n",
            article.date, article.headline, article.body
        );
        fs::write(files.join(format!("{:03}.txt", article.position)), text)
            .expect("an article file");
        jsonl.push_str(
            &serde_json::json!({
                "id": article.position.to_string(),
                "headline": article.headline,
                "body": article.body,
            })
            .to_string(),
        );
        jsonl.push('\n');
    }
    let ours = scored(&dateline_rankings(work.path(), &files, queries), judged);
    print_row(layout, "dateline", ours);
    if let Some(fts5) = fts5_rankings(root, work.path(), &jsonl, queries) {
        let fts5 = scored(&fts5, judged);
        print_row(layout, "SQLite FTS5 (porter, bm25)", fts5);
        println!(
            "| {layout} | dateline / FTS5 | {:.3}× | {:.3}× | {:.3}× |",
            ours.ap100 / fts5.ap100,
            ours.p10 / fts5.p10,
            ours.ndcg10 / fts5.ndcg10
        );
    }
}

fn print_row(layout: &str, name: &str, scores: Scores) {
    println!(
        "| {layout} | {name} | {:.3} | {:.3} | {:.3} |",
        scores.ap100, scores.p10, scores.ndcg10
    );
}

/// The mean scores of rankings (query number → positions, best first).
fn scored(
    rankings: &BTreeMap<usize, Vec<String>>,
    judged: &HashMap<usize, HashSet<String>>,
) -> Scores {
    let per_query: Vec<Scores> = judged
        .iter()
        .map(|(query, relevant)| {
            let ranked = rankings.get(query).map(Vec::as_slice).unwrap_or(&[]);
            relevance::score(ranked, relevant)
        })
        .collect();
    relevance::mean(&per_query)
}

/// Indexes the files with dateline and runs each query: query number →
/// article positions, best first.
fn dateline_rankings(
    work: &Path,
    files: &Path,
    queries: &BTreeMap<usize, Vec<String>>,
) -> BTreeMap<usize, Vec<String>> {
    let index_dir = work.join("index");
    let index = ArchiveIndex::open_or_create(&index_dir, false).expect("a new index");
    let roots = Roots::new(&[files.to_path_buf()], false).expect("the articles' folder");
    index_files(
        &index,
        &roots,
        &IndexOptions::default(),
        &Silent,
        &AtomicBool::new(false),
    )
    .expect("indexing the collection");
    queries
        .iter()
        .map(|(number, words)| {
            let request = SearchRequest {
                query: words.join(" OR "),
                filter: DateFilter::default(),
                sort: None,
                limit: 100,
                offset: 0,
                snippet_len: 0,
                snippets: 1,
                exact_total: false,
                // Every judged article ranks on its own: folding near-copies
                // would drop judged ones from the ranking.
                fold: false,
                whole_archive: None,
                keys_only: false,
            };
            let results = search(&index, &request)
                .unwrap_or_else(|err| panic!("query {number} ({}): {err}", request.query));
            let positions = results
                .hits
                .iter()
                .map(|hit| position_of(&hit.path))
                .collect();
            (*number, positions)
        })
        .collect()
}

/// The position an article file's name gives (`…/017.txt` → `17`).
fn position_of(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    let number = name.trim_end_matches(".txt").trim_start_matches('0');
    number.to_string()
}

/// The same queries through SQLite FTS5, if python3 has it.
fn fts5_rankings(
    root: &Path,
    work: &Path,
    jsonl: &str,
    queries: &BTreeMap<usize, Vec<String>>,
) -> Option<BTreeMap<usize, Vec<String>>> {
    let articles = work.join("articles.jsonl");
    fs::write(&articles, jsonl).expect("the articles as JSON lines");
    let query_file = work.join("queries.json");
    let as_json: BTreeMap<String, &Vec<String>> = queries
        .iter()
        .map(|(n, words)| (n.to_string(), words))
        .collect();
    fs::write(&query_file, serde_json::to_string(&as_json).expect("JSON"))
        .expect("the queries file");
    let output = Command::new("python3")
        .arg(root.join("benches/relevance_fts5.py"))
        .arg(&articles)
        .arg(&query_file)
        .output();
    let output = match output {
        Ok(output) if output.status.success() => output,
        Ok(output) => {
            eprintln!(
                "relevance: FTS5 skipped: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            );
            return None;
        }
        Err(err) => {
            eprintln!("relevance: FTS5 skipped: cannot run python3: {err}");
            return None;
        }
    };
    let rankings: BTreeMap<String, Vec<String>> =
        serde_json::from_slice(&output.stdout).expect("the FTS5 script's JSON");
    Some(
        rankings
            .into_iter()
            .map(|(n, ranked)| (n.parse().expect("a query number"), ranked))
            .collect(),
    )
}

/// A judged collection, in one of the two SMART formats.
enum Collection {
    /// TIME, in its folder.
    Time(PathBuf),
    /// A dotted collection's files, and its stop words.
    Dotted {
        name: String,
        articles: PathBuf,
        queries: PathBuf,
        judgments: PathBuf,
        stop_words: PathBuf,
    },
}

impl Collection {
    /// The collection in `dir`: TIME if `TIME.QUE` is there, else a dotted
    /// one if its three files are.
    fn in_folder(dir: &Path, root: &Path) -> Option<Collection> {
        if dir.join("TIME.QUE").is_file() {
            return Some(Collection::Time(dir.to_path_buf()));
        }
        let mut names: Vec<PathBuf> = fs::read_dir(dir)
            .ok()?
            .filter_map(|entry| entry.ok().map(|entry| entry.path()))
            .filter(|path| path.is_file())
            .collect();
        names.sort();
        let named = |parts: &[&str]| {
            names
                .iter()
                .find(|path| {
                    let name = path
                        .file_name()
                        .map(|n| n.to_string_lossy().to_lowercase())
                        .unwrap_or_default();
                    parts.iter().any(|part| name.contains(part))
                })
                .cloned()
        };
        let articles = named(&[".all"])?;
        Some(Collection::Dotted {
            name: articles
                .file_name()
                .map(|n| {
                    n.to_string_lossy()
                        .split('.')
                        .next()
                        .unwrap_or("")
                        .to_uppercase()
                })
                .unwrap_or_default(),
            queries: named(&[".qry", ".que", "query"])?,
            judgments: named(&[".rel", "qrel"])?,
            stop_words: named(&[".stp"])
                .unwrap_or_else(|| root.join("../shared/corpora/time/TIME.STP")),
            articles,
        })
    }

    fn name(&self) -> String {
        match self {
            Collection::Time(_) => "TIME".to_string(),
            Collection::Dotted { name, .. } => name.clone(),
        }
    }

    fn layouts(&self) -> &'static [Layout] {
        match self {
            Collection::Time(_) => &[
                Layout::AllBody,
                Layout::FirstLineHeadline,
                Layout::ShortBody,
            ],
            Collection::Dotted { .. } => &[Layout::Titled],
        }
    }

    fn articles(&self, layout: Layout) -> Vec<Article> {
        match self {
            Collection::Time(dir) => read_time_articles(dir, layout),
            Collection::Dotted { articles, .. } => {
                relevance::dotted_records(&read_text(articles))
                    .into_iter()
                    .map(|record| Article {
                        position: record.number,
                        // The collections' dates are not all written the
                        // same way; ranking does not read them.
                        date: "1970-01-01".to_string(),
                        headline: record.field('T').replace('\n', " "),
                        body: record.field('W'),
                    })
                    .collect()
            }
        }
    }

    /// The queries, with the stop words left out.
    fn queries(&self) -> BTreeMap<usize, Vec<String>> {
        let (stop_words, queries) = match self {
            Collection::Time(dir) => (dir.join("TIME.STP"), dir.join("TIME.QUE")),
            Collection::Dotted {
                stop_words,
                queries,
                ..
            } => (stop_words.clone(), queries.clone()),
        };
        let stop: HashSet<String> = if stop_words.is_file() || gz(&stop_words).is_file() {
            read_text(&stop_words)
                .split_whitespace()
                .map(str::to_lowercase)
                .collect()
        } else {
            eprintln!(
                "relevance: no stop words ({} is missing)",
                stop_words.display()
            );
            HashSet::new()
        };
        match self {
            Collection::Time(_) => relevance::smart_queries(&read_text(&queries), &stop),
            Collection::Dotted { .. } => relevance::dotted_queries(&read_text(&queries), &stop),
        }
    }

    /// The judgments, their numbers as article positions.
    fn judgments(&self) -> HashMap<usize, HashSet<String>> {
        match self {
            // TIME's numbers are positions in an ordering two longer.
            Collection::Time(dir) => {
                relevance::judgments(&read_text(&dir.join("TIME.REL")), |id| {
                    if id >= 378 { id - 2 } else { id }.to_string()
                })
            }
            Collection::Dotted { judgments, .. } => {
                relevance::pair_judgments(&read_text(judgments))
            }
        }
    }
}

/// `PATH.gz`.
fn gz(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".gz");
    PathBuf::from(name)
}

/// A file of the collection as text (`PATH`, or else `PATH.gz`).
fn read_text(path: &Path) -> String {
    if path.is_file() {
        // (Latin-1 here and there in the old collections: read lossily.)
        let bytes = fs::read(path).expect("a readable file");
        return String::from_utf8_lossy(&bytes).into_owned();
    }
    let mut text = String::new();
    flate2::read::GzDecoder::new(fs::File::open(gz(path)).expect("a readable file"))
        .read_to_string(&mut text)
        .expect("a gzip of text");
    text
}

/// `TIME.ALL`: `*TEXT 017 01/04/63 PAGE 020`, then the text, to `*STOP`.
fn read_time_articles(dir: &Path, layout: Layout) -> Vec<Article> {
    relevance::smart_records(&read_text(&dir.join("TIME.ALL")), "*TEXT")
        .into_iter()
        .enumerate()
        .map(|(at, record)| {
            let mut header = record.header.split_whitespace();
            let number = header.next().unwrap_or_default().to_string();
            let date = header
                .next()
                .and_then(relevance::smart_date)
                .unwrap_or_else(|| "1963-01-01".to_string());
            let (headline, body) = match layout {
                Layout::AllBody => (format!("#{number}"), record.lines.join("\n")),
                // (TIME has no titles: its first line stands for one.)
                Layout::FirstLineHeadline | Layout::Titled => (
                    record.lines.first().cloned().unwrap_or_default(),
                    record.lines.get(1..).unwrap_or_default().join("\n"),
                ),
                Layout::ShortBody => (
                    record.lines.first().cloned().unwrap_or_default(),
                    record
                        .lines
                        .iter()
                        .skip(1)
                        .take(4)
                        .cloned()
                        .collect::<Vec<_>>()
                        .join("\n"),
                ),
            };
            Article {
                position: at + 1,
                date,
                headline,
                body,
            }
        })
        .collect()
}
