//! The relevance benchmark: ranking quality on a judged test collection,
//! dateline beside SQLite FTS5. `cargo bench --bench relevance [-- DIR]`.
//!
//! DIR is the TIME collection in SMART format (`TIME.ALL[.gz]`, `TIME.QUE`,
//! `TIME.REL`, `TIME.STP`; default `../shared/corpora/time`). Each article
//! becomes a file of the reference format dated by its issue, laid out two
//! ways in turn, since TIME has no headlines: all its text in the body
//! (how the figures in the ranking issue were taken), then its first line as
//! the headline (a collection of short headlines); dateline indexes them through the
//! library, and `benches/relevance_fts5.py` puts the same headlines and
//! bodies in an FTS5 table (porter tokenizer). Each query is run by both as
//! an OR of its words that are not in `TIME.STP`; the top 100 are scored
//! with `dateline::relevance` (MAP@100, P@10, nDCG@10).
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
}

impl Layout {
    fn describe(self) -> &'static str {
        match self {
            Layout::AllBody => "all text in the body",
            Layout::FirstLineHeadline => "first line as the headline",
            Layout::ShortBody => "first line as the headline, 4 lines of body",
        }
    }
}

/// One article of the collection: its position (1-based) and text.
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
    if !dir.join("TIME.QUE").is_file() {
        eprintln!(
            "relevance: skipped: no TIME collection in {} (give its folder)",
            dir.display()
        );
        return;
    }
    let queries = read_queries(&dir);
    let judged = read_judgments(&dir);
    eprintln!(
        "relevance: {} queries, {} judgments",
        queries.len(),
        judged.values().map(HashSet::len).sum::<usize>()
    );
    println!(
        "TIME: {} queries, each the top 100 of an OR of its words\n",
        queries.len()
    );
    println!("| layout | engine | MAP@100 | P@10 | nDCG@10 |");
    println!("| --- | --- | --- | --- | --- |");
    for layout in [
        Layout::AllBody,
        Layout::FirstLineHeadline,
        Layout::ShortBody,
    ] {
        let articles = read_articles(&dir, layout);
        let work = tempfile::tempdir().expect("a temporary folder");
        let files = work.path().join("articles");
        fs::create_dir(&files).expect("a folder for the articles");
        let mut jsonl = String::new();
        for article in &articles {
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
        let ours = scored(&dateline_rankings(work.path(), &files, &queries), &judged);
        print_row(layout, "dateline", ours);
        if let Some(fts5) = fts5_rankings(root, work.path(), &jsonl, &queries) {
            let fts5 = scored(&fts5, &judged);
            print_row(layout, "SQLite FTS5 (porter, bm25)", fts5);
            println!(
                "| {} | dateline / FTS5 | {:.3}× | {:.3}× | {:.3}× |",
                layout.describe(),
                ours.ap100 / fts5.ap100,
                ours.p10 / fts5.p10,
                ours.ndcg10 / fts5.ndcg10
            );
        }
    }
}

fn print_row(layout: Layout, name: &str, scores: Scores) {
    println!(
        "| {} | {name} | {:.3} | {:.3} | {:.3} |",
        layout.describe(),
        scores.ap100,
        scores.p10,
        scores.ndcg10
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

/// A file of the collection as text (`NAME` or `NAME.gz`).
fn read_text(dir: &Path, name: &str) -> String {
    let plain = dir.join(name);
    if plain.is_file() {
        return fs::read_to_string(&plain).expect("a readable file");
    }
    let gz = dir.join(format!("{name}.gz"));
    let mut text = String::new();
    flate2::read::GzDecoder::new(fs::File::open(&gz).expect("a readable file"))
        .read_to_string(&mut text)
        .expect("a gzip of text");
    text
}

/// `TIME.ALL`: `*TEXT 017 01/04/63 PAGE 020`, then the text, to `*STOP`.
fn read_articles(dir: &Path, layout: Layout) -> Vec<Article> {
    relevance::smart_records(&read_text(dir, "TIME.ALL"), "*TEXT")
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
                Layout::FirstLineHeadline => (
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

/// `TIME.QUE`, with the words of `TIME.STP` left out.
fn read_queries(dir: &Path) -> BTreeMap<usize, Vec<String>> {
    let stop: HashSet<String> = read_text(dir, "TIME.STP")
        .split_whitespace()
        .map(str::to_lowercase)
        .collect();
    relevance::smart_queries(&read_text(dir, "TIME.QUE"), &stop)
}

/// `TIME.REL`, its numbers as positions in `TIME.ALL`.
fn read_judgments(dir: &Path) -> HashMap<usize, HashSet<String>> {
    relevance::judgments(&read_text(dir, "TIME.REL"), |id| {
        if id >= 378 { id - 2 } else { id }.to_string()
    })
}
