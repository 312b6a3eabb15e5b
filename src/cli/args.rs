//! What the command line says, as clap reads it: flags and their help.
//! Nothing here is validated beyond what clap checks one flag at a time;
//! [`super::config`] turns it into a [`super::config::Config`].

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use dateline::{
    Counting, FacetKind, Format, KeyFor, Period, Sort, DEFAULT_COMMIT_EVERY, DEFAULT_FACET_SIZE,
    DEFAULT_MEMORY_MB, DEFAULT_SNIPPET_CHARS, MAX_FACET_SIZE, MAX_SERIES, SYNTAX_HELP,
};

use crate::render::fields::HitField;

/// Full-text search for news archives.
#[derive(Debug, Parser)]
#[command(
    name = "dateline",
    version,
    about,
    after_help = "Examples:\n  \
        dateline index ~/news\n  \
        dateline search \"ceasefire talks\" --from 2025-03\n  \
        dateline search --on 2025-03-17\n  \
        dateline search cocoa --group-by month\n  \
        dateline related archive/2024/01/cocoa-record-high.txt\n  \
        dateline trend cocoa --by month --svg cocoa.svg\n  \
        dateline export --format es-bulk > dateline.bulk\n  \
        dateline stats"
)]
pub struct Cli {
    /// Where the index lives.
    #[arg(
        long,
        global = true,
        env = "DATELINE_INDEX",
        default_value = "index",
        value_name = "DIR"
    )]
    pub index: PathBuf,

    /// When to colour output: auto colours a terminal unless NO_COLOR is set.
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    pub color: ColorWhen,

    #[command(subcommand)]
    pub command: CommandArgs,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

/// The subcommands, as typed.
#[derive(Debug, Subcommand)]
pub enum CommandArgs {
    /// Add the articles in folders and files to the index.
    #[command(
        after_help = "Re-indexing a path replaces its articles (same id), never duplicates them.\n\
        Files that are not articles are reported and skipped; the run goes on."
    )]
    Index(IndexArgs),
    /// Find articles by words and dates.
    Search(SearchArgs),
    /// Show what the index holds: articles, dates, size.
    Stats(StatsArgs),
    /// Print one whole article by its id.
    Show(ShowArgs),
    /// Find the articles most like one article.
    #[command(after_help = RELATED_HELP)]
    Related(RelatedArgs),
    /// Count matching articles per day, week, month or year.
    #[command(after_help = TREND_HELP)]
    Trend(TrendArgs),
    /// List the largest stories: near-copies of one article (re-filings,
    /// the same wire copy run twice) among the matches.
    #[command(after_help = STORIES_HELP)]
    Stories(StoriesArgs),
    /// Write every matching article whole, one JSON document a line, for
    /// Elasticsearch, OpenSearch or Quickwit to ingest.
    #[command(after_help = EXPORT_HELP)]
    Export(ExportArgs),
    /// Serve the index over HTTP: a search page and a JSON API (read-only).
    #[command(after_help = SERVE_HELP)]
    Serve(ServeArgs),
}

const RELATED_HELP: &str = "Examples:
  dateline related archive/2024/01/cocoa-record-high.txt
  dateline related 'reuters21578/reut2-000.sgm.gz#1' -n 5 --from 1987-03

Likeness is tantivy's more-like-this: the article's most telling words
(frequent in it, rare in the index; headline words count twice) are looked
for in the headlines and bodies of every other article. The article itself,
its copies and its near-copies (its story) are never shown.

Exit status: 0 if a related article was found, 1 if none was or no article
has that id, 2 on error.";

/// What `search --help` ends with: the query syntax (its one source is
/// `doc/query-syntax.txt`, which the library includes), then the exit
/// statuses.
fn search_help() -> String {
    format!("{SYNTAX_HELP}\nExit status: 0 if an article matched, 1 if none did, 2 on error.")
}

impl Cli {
    /// Reads the command line (or prints help, the version, a usage error).
    pub fn parse_args() -> Result<Cli, clap::Error> {
        Cli::parse_from_args(std::env::args_os())
    }

    /// Reads these arguments, the program's name first.
    pub fn parse_from_args<I, T>(args: I) -> Result<Cli, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<OsString> + Clone,
    {
        let command = <Cli as clap::CommandFactory>::command()
            .mut_subcommand("search", |search| search.after_help(search_help()));
        let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
        let args = query_last(&command, args)?;
        let mut matches = command.try_get_matches_from(args)?;
        <Cli as clap::FromArgMatches>::from_arg_matches_mut(&mut matches)
    }

    /// Reads arguments made by a program, not typed: as
    /// [`Cli::parse_from_args`] but with no query words moved, so the
    /// caller puts them after a `--` itself and they are never options.
    /// The server turns its URL parameters into these.
    pub fn parse_made_args(args: &[String]) -> Result<Cli, clap::Error> {
        let command = <Cli as clap::CommandFactory>::command();
        let mut matches = command.try_get_matches_from(args)?;
        <Cli as clap::FromArgMatches>::from_arg_matches_mut(&mut matches)
    }
}

/// The commands whose positional arguments are query words.
const QUERY_COMMANDS: [&str; 3] = ["search", "trend", "export"];

/// Puts the query words of `search` and `trend` after every option and a
/// `--`, so that a query word may start with `-` (`-koresh`, an exclusion)
/// wherever it stands, and options may stand anywhere: `search -koresh
/// waco --on 1993-04`. A word is an option when it is one of the
/// command's (`--on`, `--on=1993`, `-n`, `-n5`) or starts with `--`
/// (an unknown `--form` stays an error, never a word); any other word
/// is the query's. After a `--` every word is the query's, and an option
/// there is refused: it would silently have become a word.
fn query_last(command: &clap::Command, args: Vec<OsString>) -> Result<Vec<OsString>, clap::Error> {
    let Some(at) = subcommand_at(command, &args) else {
        return Ok(args);
    };
    let Some(sub) = args[at]
        .to_str()
        .and_then(|name| command.find_subcommand(name))
    else {
        return Ok(args);
    };
    let options: Vec<&clap::Arg> = sub
        .get_arguments()
        .chain(command.get_arguments().filter(|arg| arg.is_global_set()))
        .filter(|arg| !arg.is_positional())
        .collect();
    let mut kept: Vec<OsString> = args[..=at].to_vec();
    let mut words: Vec<OsString> = Vec::new();
    let mut rest = args[at + 1..].iter();
    let mut after_dashes = false;
    while let Some(arg) = rest.next() {
        let Some(text) = arg.to_str() else {
            words.push(arg.clone());
            continue;
        };
        if after_dashes {
            if let Some(option) = known_option(&options, text) {
                return Err(clap::Error::raw(
                    clap::error::ErrorKind::ArgumentConflict,
                    format!(
                        "'{text}' after '--' would be searched for as a word: put {} before \
                         the query (everything after '--' is query words)",
                        option_name(option)
                    ),
                ));
            }
            words.push(arg.clone());
        } else if text == "--" {
            after_dashes = true;
        } else if let Some(option) = known_option(&options, text) {
            kept.push(arg.clone());
            let inline = text.contains('=') || (!text.starts_with("--") && text.len() > 2);
            if option.get_action().takes_values() && !inline {
                kept.extend(rest.next().cloned());
            }
        } else if text.starts_with("--") {
            kept.push(arg.clone()); // clap says what is wrong with it
        } else {
            words.push(arg.clone());
        }
    }
    if !words.is_empty() {
        kept.push(OsString::from("--"));
        kept.extend(words);
    }
    Ok(kept)
}

/// Where the subcommand is, if it is one that takes a query: the first
/// word that is not a global option or its value.
fn subcommand_at(command: &clap::Command, args: &[OsString]) -> Option<usize> {
    let mut i = 1;
    while let Some(arg) = args.get(i) {
        let text = arg.to_str()?;
        if QUERY_COMMANDS.contains(&text) {
            return Some(i);
        }
        let global = command
            .get_arguments()
            .find(|option| matches!(option.get_long(), Some(long) if text == format!("--{long}")));
        match global {
            Some(option) if option.get_action().takes_values() => i += 2,
            _ if text.starts_with('-') => i += 1,
            _ => return None,
        }
    }
    None
}

/// The option `text` names: `--long`, `--long=value`, `-s`, or `-s` with
/// a value of digits attached (`-n5`).
fn known_option<'a>(options: &[&'a clap::Arg], text: &str) -> Option<&'a clap::Arg> {
    if let Some(long) = text.strip_prefix("--") {
        let name = long.split_once('=').map_or(long, |(name, _)| name);
        return options
            .iter()
            .find(|option| option.get_long() == Some(name))
            .copied();
    }
    let mut chars = text.strip_prefix('-')?.chars();
    let short = chars.next()?;
    let attached: String = chars.collect();
    options
        .iter()
        .find(|option| option.get_short() == Some(short))
        .filter(|option| {
            attached.is_empty()
                || (option.get_action().takes_values()
                    && attached.chars().all(|c| c.is_ascii_digit()))
        })
        .copied()
}

/// `--on` or `-n`, as the user would type it.
fn option_name(option: &clap::Arg) -> String {
    match (option.get_long(), option.get_short()) {
        (Some(long), _) => format!("--{long}"),
        (None, Some(short)) => format!("-{short}"),
        _ => option.get_id().to_string(),
    }
}

const TREND_HELP: &str = "Examples:
  dateline trend ceasefire                 per month, first to last match
  dateline trend oil --by week --from 1987-03 --to 1987-04
  dateline trend --by year                 every article
  dateline trend cocoa --csv > cocoa.csv   for a spreadsheet
  dateline trend cocoa --svg cocoa.svg     a bar chart for a report

The query and dates work as in `dateline search` (see its --help). Every
period from the first to the last is shown, empty ones as 0; with --from and
--to, the periods of that span. Weeks are ISO weeks, Monday to Sunday,
labelled 2025-W12. Matching articles without a date are counted apart.

Exit status: 0 if an article matched, 1 if none did, 2 on error.";

/// `dateline index`.
#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Folders (walked recursively), article files and archives (.gz, .tar,
    /// .tar.gz, .tgz, .zip).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Threads for parsing and for indexing.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
    pub threads: Option<u16>,

    /// Memory for the index writer, in MiB (at least 15 per thread).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MEMORY_MB)]
    pub memory_mb: usize,

    /// Start from an empty index instead of updating this one (also makes
    /// again an index of another dateline's format).
    #[arg(long)]
    pub rebuild: bool,

    /// Index only shard K of N (numbered from 1): the files whose stable
    /// id hashes to K. Each shard is an index of its own, for `dateline
    /// serve`, and `dateline serve --shards` answers over them all.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<dateline::Shard>,

    /// Commit after this many articles, so an interrupted run keeps its work.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_COMMIT_EVERY,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub commit_every: u64,

    /// Follow symbolic links while walking folders.
    #[arg(long, short = 'L')]
    pub follow_links: bool,

    /// Skip files (and archive members) larger than this: bytes, or with a
    /// K, M or G suffix (powers of 1024). No file takes more memory.
    #[arg(long, value_name = "SIZE", default_value = "16M", value_parser = parse_size)]
    pub max_article_size: u64,

    /// Exit with status 1 if any file or part of one was skipped or read
    /// with a warning (everything readable is still indexed).
    #[arg(long)]
    pub strict: bool,

    /// Read every file in this format instead of detecting it
    /// (text, headline, reuters, json, mail).
    #[arg(long, value_name = "NAME")]
    pub format: Option<Format>,

    /// Which JSON key holds a part of an article, e.g. `--field headline=title
    /// --field date=created` (parts: id, date, headline, body, author, source,
    /// section, tags, url, language).
    #[arg(long = "field", value_name = "PART=KEY")]
    pub fields: Vec<KeyFor>,

    /// Take each article's section from the folder its file is in
    /// (bbc/business/001.txt → business), when the file does not name one.
    #[arg(long)]
    pub section_from_folder: bool,
}

/// `4096`, `500K`, `16M`, `16MiB`, `2G`, `2GB`: K, M and G are powers of 1024.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let trimmed = text.trim();
    let digits = trimmed.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let number: u64 = digits
        .trim()
        .parse()
        .map_err(|_| format!("'{text}' is not a size, e.g. 16M"))?;
    let unit = trimmed[digits.len()..].to_ascii_lowercase();
    let shift = match unit.as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        _ => return Err(format!("unknown unit '{unit}' (use K, M or G)")),
    };
    match number.checked_mul(1 << shift) {
        Some(0) | None => Err(format!("'{text}' is not a size between 1 byte and 16 EiB")),
        Some(bytes) => Ok(bytes),
    }
}

/// `--author`, `--source`, `--section` and `--tag`, as `search` and
/// `trend` take them: each is a clause of the query.
#[derive(Debug, Args)]
pub struct MetaArgs {
    /// Only articles by this author (words of the name, in order):
    /// the same as `author:"NAME"` in the query.
    #[arg(long, value_name = "NAME")]
    pub author: Vec<String>,

    /// Only articles from this source: outlet, wire or newsgroup
    /// (`source:"NAME"`).
    #[arg(long, value_name = "NAME")]
    pub source: Vec<String>,

    /// Only articles of this section (`section:"NAME"`).
    #[arg(long, value_name = "NAME")]
    pub section: Vec<String>,

    /// Only articles with this tag: `place:usa` for a tag of a kind (topic,
    /// place, person, org, exchange, company), else any tag's words.
    #[arg(long, value_name = "TAG")]
    pub tag: Vec<String>,
}

/// `--from`, `--to` and `--on`, as `search`, `trend` and `related` take them.
#[derive(Debug, Args)]
pub struct DateArgs {
    /// Only articles on or after this date.
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,

    /// Only articles on or before this date (the whole month or year if given).
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,

    /// Only articles of this day, month or year.
    #[arg(long, value_name = "DATE", conflicts_with_all = ["from", "to"])]
    pub on: Option<String>,
}

/// `-n` and `--offset`: which page of hits `search` and `related` show.
#[derive(Debug, Args)]
pub struct PageArgs {
    /// How many hits to show (at most 10,000), or `all` (search only:
    /// every hit, read page by page, for an export with --format jsonl
    /// or csv).
    #[arg(short = 'n', long, default_value_t = Limit::Hits(10), value_name = "N")]
    pub limit: Limit,

    /// Skip this many hits first (for paging; at most 1,000,000).
    #[arg(long, default_value_t = 0, value_name = "N",
          value_parser = clap::value_parser!(u32).range(0..=1_000_000))]
    pub offset: u32,
}

/// `-n`: a number of hits, or all of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// At most this many (1 to [`Limit::MAX_HITS`]).
    Hits(u32),
    /// Every hit.
    All,
}

impl Limit {
    /// The most hits one page may hold.
    pub const MAX_HITS: u32 = 10_000;
}

impl std::str::FromStr for Limit {
    type Err = String;

    fn from_str(text: &str) -> Result<Limit, String> {
        if text.trim().eq_ignore_ascii_case("all") {
            return Ok(Limit::All);
        }
        match text.trim().parse::<u32>() {
            Ok(n) if (1..=Limit::MAX_HITS).contains(&n) => Ok(Limit::Hits(n)),
            _ => Err(format!(
                "'{text}' is not a number of hits from 1 to 10,000, nor 'all'"
            )),
        }
    }
}

impl std::fmt::Display for Limit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Limit::Hits(n) => write!(f, "{n}"),
            Limit::All => f.write_str("all"),
        }
    }
}

/// `dateline search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Words to look for (see the syntax below); empty with a date filter
    /// to list a period. Options may stand before, between or after the
    /// words; a word may start with '-' (`-russia` excludes russia).
    #[arg(value_name = "QUERY")]
    pub query: Vec<String>,

    #[command(flatten)]
    pub dates: DateArgs,

    #[command(flatten)]
    pub meta: MetaArgs,

    /// Order of hits: relevance, newest or oldest [default: relevance with
    /// a query, newest without].
    #[arg(long, value_name = "ORDER")]
    pub sort: Option<Sort>,

    #[command(flatten)]
    pub page: PageArgs,

    /// Print one JSON document (schema in doc/OUTPUT.md); the same as
    /// `--format json`.
    #[arg(long, conflicts_with = "format")]
    pub json: bool,

    /// Print only the number of matching articles.
    #[arg(long, conflicts_with_all = ["json", "format", "fields"])]
    pub count: bool,

    /// Count every match exactly: a search otherwise counts up to 10,000
    /// and then says only "more than 10,000" (JSON: "total_exact": false),
    /// which lets it skip the matches that cannot make its page. --count,
    /// -n all, --facets and trend always count exactly.
    #[arg(long)]
    pub exact_total: bool,

    /// Show every matching article: near-copies too (a story re-filed,
    /// the same wire copy run twice), which are otherwise folded into one
    /// hit per story ("+2 similar articles").
    #[arg(long, visible_alias = "all-copies")]
    pub no_fold: bool,

    /// Output: human, json (one document), jsonl (one hit per line) or csv
    /// (a header row, then one row per hit).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<OutputFormat>,

    /// Which parts of each hit to print, in this order, for json, jsonl and
    /// csv: rank, date, id, headline, path, score, snippet, body
    /// [default: rank,date,id,headline,snippet for csv; the whole hit for json].
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    pub fields: Vec<HitField>,

    /// Length of each snippet passage, in bytes of text.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_SNIPPET_CHARS as u32,
          value_parser = clap::value_parser!(u32).range(20..=10_000))]
    pub snippet_chars: u32,

    /// Up to K best passages of each body, joined with " … ".
    #[arg(long, value_name = "K", default_value_t = 1,
          value_parser = clap::value_parser!(u32).range(1..=10))]
    pub snippets: u32,

    /// A timeline: hits oldest first, under a heading for each day, week,
    /// month or year (with --json, a "group" key on each hit).
    #[arg(long, value_name = "PERIOD")]
    pub group_by: Option<Period>,

    /// Of every match, not only those shown: the most common values of
    /// each of these, with counts (source, author, section, tag, or a kind
    /// of tag: topic, place, person, org, exchange, company).
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    pub facets: Vec<FacetKind>,

    /// How many values each facet lists.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_FACET_SIZE as u32,
          value_parser = clap::value_parser!(u32).range(1..=MAX_FACET_SIZE as i64))]
    pub facet_size: u32,
}

/// How `search` prints its results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Human,
    Json,
    Jsonl,
    Csv,
}

/// `dateline trend`.
#[derive(Debug, Args)]
pub struct TrendArgs {
    /// Words to look for, as in `search`; none counts every article.
    /// Options may stand anywhere; a word may start with '-'.
    #[arg(value_name = "QUERY")]
    pub query: Vec<String>,

    /// The length of a period: day, week, month or year.
    #[arg(long, default_value_t = Period::Month, value_name = "PERIOD")]
    pub by: Period,

    /// One series for each of the most common values of this facet among
    /// the matches (source, author, section, tag, or a kind of tag: topic,
    /// place, person, org, exchange, company).
    #[arg(long, value_name = "FACET")]
    pub split: Option<FacetKind>,

    /// What to count: stories (near-copies of an article, such as a
    /// re-filing or the same wire copy run twice, count once) or articles.
    #[arg(long, value_name = "WHAT", default_value = "stories")]
    pub count: Counting,

    /// How many series --split draws.
    #[arg(long, value_name = "N", default_value_t = 5, requires = "split",
          value_parser = clap::value_parser!(u32).range(1..=MAX_SERIES as i64))]
    pub series: u32,

    #[command(flatten)]
    pub dates: DateArgs,

    #[command(flatten)]
    pub meta: MetaArgs,

    /// Print one JSON document (schema in doc/OUTPUT.md); the same as
    /// `--format json`.
    #[arg(long, conflicts_with_all = ["csv", "format"])]
    pub json: bool,

    /// Print CSV: period,start,end,count; the same as `--format csv`.
    #[arg(long, conflicts_with = "format")]
    pub csv: bool,

    /// Output: human (a chart), json (one document), jsonl (one period per
    /// line) or csv, as for `search`.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<OutputFormat>,

    /// Also write the chart as SVG to this file.
    #[arg(long, value_name = "FILE")]
    pub svg: Option<PathBuf>,
}

const SERVE_HELP: &str = "Examples:
  dateline serve                          http://127.0.0.1:7700/
  dateline serve --addr 127.0.0.1:0       a port the system chooses (printed)
  dateline serve --addr 0.0.0.0:7700 --token-file token.txt

The page is at /, an article at /articles/ID; the JSON API at /api/search,
/api/trend, /api/articles/ID, /api/related/ID and /api/stats takes the
options of the commands as parameters (/api/search?q=oil&from=1987-03) and
answers with the documents their --json prints. The server never writes the
index: run `dateline index` beside it and it answers from each new commit.
Ctrl-C (or SIGTERM) lets the requests in flight finish, then exits 0.";

/// `dateline serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address and port to listen on; port 0 lets the system choose.
    /// Anything but loopback needs --token-file (or --public).
    #[arg(long, default_value = "127.0.0.1:7700", value_name = "ADDR:PORT")]
    pub addr: std::net::SocketAddr,

    /// Ask every request for this token (the file's first line):
    /// `Authorization: Bearer TOKEN`, or the cookie the page's login form
    /// sets.
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,

    /// Serve on a non-loopback address without a token: anyone who can
    /// reach it can read the whole archive.
    #[arg(long)]
    pub public: bool,

    /// Let pages of this origin call the API from a browser
    /// (`https://newsroom.example`); without it no CORS header is sent.
    #[arg(long, value_name = "ORIGIN")]
    pub cors: Option<String>,

    /// Show each article's file path on the pages (it tells how the
    /// server's disk is laid out).
    #[arg(long)]
    pub show_paths: bool,

    /// Searches run at once; more wait up to a second, then get 503.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    pub max_searches: Option<u16>,

    /// A request that takes longer than this many seconds gets 503
    /// (a decimal, such as 0.5, from 0.001 to 3600).
    #[arg(long, value_name = "SECONDS", default_value = "10", value_parser = parse_seconds)]
    pub timeout: std::time::Duration,

    /// Answer from these shard servers (each a `dateline serve` of one
    /// shard: `http://10.0.0.2:7700,http://10.0.0.3:7700`) instead of an
    /// index: the same API and page, merged as one index would answer.
    #[arg(long, value_name = "URL,URL,…", value_delimiter = ',', value_parser = parse_shard_url)]
    pub shards: Option<Vec<String>>,

    /// With --shards: a shard that has not answered a call within this
    /// many seconds is left out of the answer, which says so.
    #[arg(long, value_name = "SECONDS", default_value = "3", value_parser = parse_seconds)]
    pub shard_timeout: std::time::Duration,
}

/// A shard server's address: `http://host:port`, nothing after.
pub fn parse_shard_url(text: &str) -> Result<String, String> {
    let url = text.trim().trim_end_matches('/');
    let rest = url.strip_prefix("http://").ok_or_else(|| {
        format!("'{text}' is not a shard server's address: write http://HOST:PORT")
    })?;
    let (host, port) = rest
        .rsplit_once(':')
        .ok_or_else(|| format!("'{text}' has no port: write http://HOST:PORT"))?;
    if host.is_empty() || host.contains(['/', '?', '#', '@']) || port.parse::<u16>().is_err() {
        return Err(format!(
            "'{text}' is not a shard server's address: write http://HOST:PORT"
        ));
    }
    Ok(url.to_string())
}

/// A number of seconds from a millisecond to an hour, decimals allowed.
pub fn parse_seconds(text: &str) -> Result<std::time::Duration, String> {
    let seconds: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("'{text}' is not a number of seconds (such as 10 or 0.5)"))?;
    if !(0.001..=3600.0).contains(&seconds) {
        return Err(format!(
            "{text} s is out of range: give 0.001 to 3600 seconds"
        ));
    }
    Ok(std::time::Duration::from_secs_f64(seconds))
}

const EXPORT_HELP: &str = "Examples:
  dateline export > dateline.ndjson                 every article
  dateline export --format es-bulk > dateline.bulk  for Elasticsearch _bulk
  dateline export opec --from 1987-03 --to 1987-04 --format es-bulk --es-index reuters

Every matching article (not a page: all of them), oldest first, then by
id; undated ones last. The query and dates work as in `dateline search`
(see its --help); no query exports every article. Each line is a JSON
object: id, date (RFC 3339, such as 1987-02-26T00:00:00Z; absent when
undated), headline, body, path, story (when the article is one of
near-copies), and authors, sources, section, tags, url and language when
known. The keys, and mappings for Elasticsearch, OpenSearch and Quickwit,
are in doc/OUTPUT.md and doc/export/.

Exit status: 0 if an article was written, 1 if none matched, 2 on error.";

/// `dateline export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Words to look for, as in `search`; none exports every article.
    /// Options may stand anywhere; a word may start with '-'.
    #[arg(value_name = "QUERY")]
    pub query: Vec<String>,

    #[command(flatten)]
    pub dates: DateArgs,

    #[command(flatten)]
    pub meta: MetaArgs,

    /// The lines to write.
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = ExportFormat::Ndjson)]
    pub format: ExportFormat,

    /// The index each es-bulk action line names [default: dateline].
    #[arg(long, value_name = "NAME")]
    pub es_index: Option<String>,
}

/// What `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// One JSON document a line (Quickwit's ingest, jq).
    Ndjson,
    /// An `index` action line before each document (Elasticsearch's and
    /// OpenSearch's _bulk).
    EsBulk,
}

/// `dateline stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// `dateline show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The article's id, as printed by `search`.
    pub id: String,

    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

const STORIES_HELP: &str = "Examples:
  dateline stories --on 1987-03            what ran most in March 1987
  dateline stories opec -n 20 --json

A story is an article and its near-copies: articles whose texts share at
least 70% of their five-word runs (estimated) and that ran within 7 days of
the story's first article. Stories are grouped at the end of every
`dateline index` run. Sizes count the articles that match.

Exit status: 0 if a story of two or more articles was found, 1 if none
was, 2 on error.";

/// `dateline stories`.
#[derive(Debug, Args)]
pub struct StoriesArgs {
    /// Words to look for, as in `search`; none lists the stories of every
    /// article.
    #[arg(value_name = "QUERY")]
    pub query: Vec<String>,

    #[command(flatten)]
    pub dates: DateArgs,

    #[command(flatten)]
    pub meta: MetaArgs,

    /// How many stories to list.
    #[arg(short = 'n', long = "limit", value_name = "N", default_value_t = 10,
          value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub limit: u32,

    /// Print one JSON document (schema in doc/OUTPUT.md).
    #[arg(long)]
    pub json: bool,
}

/// `dateline related`.
#[derive(Debug, Args)]
pub struct RelatedArgs {
    /// The article's id, as printed by `search`.
    pub id: String,

    #[command(flatten)]
    pub dates: DateArgs,

    #[command(flatten)]
    pub page: PageArgs,

    /// Print one JSON document (the same as `search --json`).
    #[arg(long)]
    pub json: bool,
}
