//! The command line: clap definitions, turned once into the library's
//! validated requests, and the dispatch of each command.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::archive::Archive;
use crate::dates::DateFilter;
use crate::error::{Error, Result};
use crate::formats::Format;
use crate::index::ArchiveIndex;
use crate::indexer::{self, IndexOptions};
use crate::progress::TerminalProgress;
use crate::related::{self, RelatedRequest};
use crate::render::fields::HitField;
use crate::render::{self, csv, human, json, svg};
use crate::search::{self, SearchRequest, Sort};
use crate::stats;
use crate::timeline;
use crate::trend::{self, TrendRequest};

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
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Add the articles in folders and files to the index.
    #[command(
        after_help = "Re-indexing a path replaces its articles (same id), never duplicates them.\n\
        Files that are not articles are reported and skipped; the run goes on."
    )]
    Index(IndexArgs),
    /// Find articles by words and dates.
    #[command(after_help = QUERY_HELP)]
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
}

const RELATED_HELP: &str = "Examples:
  dateline related archive/2024/01/cocoa-record-high.txt
  dateline related 'reuters21578/reut2-000.sgm.gz#1' -n 5 --from 1987-03

Likeness is tantivy's more-like-this: the article's most telling words
(frequent in it, rare in the index; headline words count twice) are looked
for in the headlines and bodies of every other article. The article itself
and its copies are never shown.

Exit status: 0 if a related article was found, 1 if none was or no article
has that id, 2 on error.";

const QUERY_HELP: &str = "Query syntax:
  ceasefire talks              both words (AND is the default)
  ceasefire OR truce           either word
  ceasefire -russia            exclude a word (also: NOT russia)
  \"coalition of the willing\"   a phrase
  headline:putin  body:cocoa   a word in one field
  (rates OR inflation) bank    grouping
  zelensky~  zelensky~2        spelt within 1 (or 2) edits
  negotiat*                    words starting so
Words are stemmed: talks finds talk and talked. A query that finds nothing
suggests a correction of its misspelt words, if one finds something.

Dates are YYYY, YYYY-MM or YYYY-MM-DD and cover the whole year, month or day:
  --on 2025-03-17   --from 2025-01 --to 2025-03   (both ends inclusive)
Without a query, a date filter lists that period's articles, newest first.

Exit status: 0 if an article matched, 1 if none did, 2 on error.";

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
    #[arg(long, value_name = "N", default_value_t = 256)]
    pub memory_mb: usize,

    /// Start from an empty index instead of updating this one.
    #[arg(long)]
    pub rebuild: bool,

    /// Commit after this many articles, so an interrupted run keeps its work.
    #[arg(long, value_name = "N", default_value_t = 100_000,
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
    #[arg(long, value_name = "NAME", value_parser = parse_format)]
    pub format: Option<Format>,

    /// Which JSON key holds a part of an article, e.g. `--field headline=title
    /// --field date=created` (parts: id, date, headline, body).
    #[arg(long = "field", value_name = "PART=KEY", value_parser = parse_field)]
    pub fields: Vec<(FieldPart, String)>,
}

/// A part of an article a JSON key can be mapped to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldPart {
    Id,
    Date,
    Headline,
    Body,
}

fn parse_format(name: &str) -> std::result::Result<Format, String> {
    Format::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
        format!("unknown format '{name}' (formats: {})", names.join(", "))
    })
}

/// `4096`, `500K`, `16M`, `16MiB`, `2G`, `2GB`: K, M and G are powers of 1024.
fn parse_size(text: &str) -> std::result::Result<u64, String> {
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

fn parse_field(text: &str) -> std::result::Result<(FieldPart, String), String> {
    let (part, key) = text
        .split_once('=')
        .ok_or_else(|| format!("'{text}' should be PART=KEY, e.g. headline=title"))?;
    let part = match part.trim() {
        "id" => FieldPart::Id,
        "date" => FieldPart::Date,
        "headline" => FieldPart::Headline,
        "body" => FieldPart::Body,
        other => {
            return Err(format!(
                "unknown part '{other}' (parts: id, date, headline, body)"
            ))
        }
    };
    let key = key.trim();
    if key.is_empty() {
        return Err(format!("'{text}' names no key"));
    }
    Ok((part, key.to_string()))
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

impl DateArgs {
    /// The filter the flags ask for.
    pub fn filter(&self) -> Result<DateFilter> {
        Ok(DateFilter::from_flags(
            self.on.as_deref(),
            self.from.as_deref(),
            self.to.as_deref(),
        )?)
    }
}

/// `-n` and `--offset`: which page of hits `search` and `related` show.
#[derive(Debug, Args)]
pub struct PageArgs {
    /// How many hits to show.
    #[arg(short = 'n', long, default_value_t = 10, value_name = "N",
          value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub limit: u32,

    /// Skip this many hits first (for paging; at most 1,000,000).
    #[arg(long, default_value_t = 0, value_name = "N",
          value_parser = clap::value_parser!(u32).range(0..=1_000_000))]
    pub offset: u32,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Words to look for (see the syntax below); empty with a date filter
    /// to list a period. Quote a query that starts with '-', or put `--` before it.
    #[arg(value_name = "QUERY")]
    pub query: Vec<String>,

    #[command(flatten)]
    pub dates: DateArgs,

    /// Order of hits [default: relevance with a query, newest without].
    #[arg(long, value_enum, value_name = "ORDER")]
    pub sort: Option<SortArg>,

    #[command(flatten)]
    pub page: PageArgs,

    /// Print one JSON document (schema in the README); the same as
    /// `--format json`.
    #[arg(long, conflicts_with = "format")]
    pub json: bool,

    /// Print only the number of matching articles.
    #[arg(long, conflicts_with_all = ["json", "format", "fields"])]
    pub count: bool,

    /// Output: human, json (one document), jsonl (one hit per line) or csv
    /// (a header row, then one row per hit).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<OutputFormat>,

    /// Which parts of each hit to print, in this order, for json, jsonl and
    /// csv: rank, date, id, headline, path, score, snippet, body
    /// [default: rank,date,id,headline,snippet for csv; the whole hit for json].
    #[arg(long, value_name = "LIST", value_delimiter = ',', value_parser = parse_hit_field)]
    pub fields: Vec<HitField>,

    /// Length of each snippet passage, in bytes of text.
    #[arg(long, value_name = "N", default_value_t = SNIPPET_LEN as u32,
          value_parser = clap::value_parser!(u32).range(20..=10_000))]
    pub snippet_chars: u32,

    /// Up to K best passages of each body, joined with " … ".
    #[arg(long, value_name = "K", default_value_t = 1,
          value_parser = clap::value_parser!(u32).range(1..=10))]
    pub snippets: u32,

    /// A timeline: hits oldest first, under a heading for each day or month
    /// (with --json, a "group" key on each hit).
    #[arg(long, value_enum, value_name = "PERIOD")]
    pub group_by: Option<GroupByArg>,
}

/// How `search` prints its results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Human,
    Json,
    Jsonl,
    Csv,
}

fn parse_hit_field(name: &str) -> std::result::Result<HitField, String> {
    HitField::from_name(name.trim()).ok_or_else(|| {
        let names: Vec<&str> = HitField::ALL.iter().map(|f| f.name()).collect();
        format!("unknown field '{name}' (fields: {})", names.join(", "))
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GroupByArg {
    Day,
    Month,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortArg {
    Relevance,
    Newest,
    Oldest,
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

#[derive(Debug, Args)]
pub struct TrendArgs {
    /// Words to look for, as in `search`; none counts every article. Quote
    /// a query that starts with '-', or put `--` before it.
    #[arg(value_name = "QUERY")]
    pub query: Vec<String>,

    /// The length of a period.
    #[arg(long, value_enum, default_value_t = PeriodArg::Month, value_name = "PERIOD")]
    pub by: PeriodArg,

    #[command(flatten)]
    pub dates: DateArgs,

    /// Print one JSON document (schema in the README).
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,

    /// Print CSV: period,start,end,count.
    #[arg(long)]
    pub csv: bool,

    /// Also write the chart as SVG to this file.
    #[arg(long, value_name = "FILE")]
    pub svg: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PeriodArg {
    Day,
    Week,
    Month,
    Year,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The article's id, as printed by `search`.
    pub id: String,

    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

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

/// Length of body snippets, in bytes of text.
const SNIPPET_LEN: usize = 200;

/// How a command ended when it did not fail: grep's convention.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Something matched (or the command did its job).
    Found,
    /// Nothing matched.
    NotFound,
    /// Stopped by Ctrl-C, work so far kept.
    Interrupted,
    /// `index --strict` had warnings; what could be read is indexed.
    Incomplete,
}

/// Runs the command line.
pub fn run(cli: Cli) -> Result<Outcome> {
    let color = match cli.color {
        ColorWhen::Auto => anstream::ColorChoice::Auto,
        ColorWhen::Always => anstream::ColorChoice::Always,
        ColorWhen::Never => anstream::ColorChoice::Never,
    };
    let mut out = anstream::AutoStream::new(std::io::stdout().lock(), color);
    let outcome = match cli.command {
        Command::Index(args) => index(&cli.index, args, &mut out)?,
        Command::Search(args) => run_search(&cli.index, args, &mut out)?,
        Command::Trend(args) => run_trend(&cli.index, args, &mut out)?,
        Command::Stats(args) => {
            let index = ArchiveIndex::open(&cli.index)?;
            let stats = stats::collect(&index)?;
            write_out(if args.json {
                json::stats(&mut out, &stats)
            } else {
                human::stats(&mut out, &stats, index.dir())
            })?;
            Outcome::Found
        }
        Command::Show(args) => {
            let index = ArchiveIndex::open(&cli.index)?;
            match search::lookup(&index, &args.id)? {
                Some(found) => {
                    write_out(if args.json {
                        json::article(&mut out, &found)
                    } else {
                        human::article(&mut out, &found)
                    })?;
                    Outcome::Found
                }
                None => {
                    eprintln!("dateline: no article with id '{}'", args.id);
                    Outcome::NotFound
                }
            }
        }
        Command::Related(args) => run_related(&cli.index, args, &mut out)?,
    };
    write_out(out.flush())?;
    Ok(outcome)
}

fn index(dir: &Path, args: IndexArgs, out: &mut dyn Write) -> Result<Outcome> {
    let archive = Archive::new(&args.paths, args.follow_links)?;
    let mut options = IndexOptions {
        memory_mb: args.memory_mb,
        ..IndexOptions::default()
    };
    if let Some(threads) = args.threads {
        options.threads = usize::from(threads);
    }
    options.formats.forced = args.format;
    options.rebuild = args.rebuild;
    options.commit_every = args.commit_every;
    options.max_article_size = args.max_article_size;
    for (part, key) in args.fields {
        let slot = match part {
            FieldPart::Id => &mut options.formats.fields.id,
            FieldPart::Date => &mut options.formats.fields.date,
            FieldPart::Headline => &mut options.formats.fields.headline,
            FieldPart::Body => &mut options.formats.fields.body,
        };
        *slot = Some(key);
    }
    let index = ArchiveIndex::open_or_create(dir)?;
    // Ctrl-C stops the walk; what was read is committed, then we exit 130.
    let stop = Arc::new(AtomicBool::new(false));
    let on_signal = Arc::clone(&stop);
    // If a handler cannot be set (one already is), Ctrl-C kills as usual:
    // the last commit is still intact.
    let _ = ctrlc::set_handler(move || on_signal.store(true, Ordering::Relaxed));
    let progress = TerminalProgress::start(&archive);
    let summary = indexer::run(&index, &archive, &options, &progress, &stop);
    progress.finish();
    let summary = summary?;
    write_out(human::index_summary(out, &summary, index.dir()))?;
    Ok(if summary.interrupted {
        Outcome::Interrupted
    } else if args.strict && summary.warnings() > 0 {
        let warnings = summary.warnings();
        let noun = if warnings == 1 { "warning" } else { "warnings" };
        eprintln!("dateline: --strict: {warnings} {noun}; what could be read is indexed");
        Outcome::Incomplete
    } else {
        Outcome::Found
    })
}

fn run_search(dir: &Path, args: SearchArgs, out: &mut dyn Write) -> Result<Outcome> {
    let filter = args.dates.filter()?;
    let format = match args.format {
        Some(format) => format,
        None if args.json => OutputFormat::Json,
        None => OutputFormat::Human,
    };
    check_fields(&args.fields, format)?;
    if args.count {
        let index = ArchiveIndex::open(dir)?;
        let total = search::count(&index, &args.query.join(" "), &filter)?;
        write_out(writeln!(out, "{total}"))?;
        return Ok(if total > 0 {
            Outcome::Found
        } else {
            Outcome::NotFound
        });
    }
    let period = args.group_by.map(|period| match period {
        GroupByArg::Day => timeline::Period::Day,
        GroupByArg::Month => timeline::Period::Month,
    });
    let mut sort = args.sort.map(|sort| match sort {
        SortArg::Relevance => Sort::Relevance,
        SortArg::Newest => Sort::Newest,
        SortArg::Oldest => Sort::Oldest,
    });
    if period.is_some() {
        // A timeline reads forward in time; any other order would scatter
        // its headings.
        if let Some(other @ (Sort::Relevance | Sort::Newest)) = sort {
            let name = if other == Sort::Newest {
                "newest"
            } else {
                "relevance"
            };
            return Err(Error::InvalidArgument(format!(
                "--group-by lists hits oldest first; it cannot be used with --sort {name}"
            )));
        }
        sort = Some(Sort::Oldest);
    }
    let request = SearchRequest {
        query: args.query.join(" "),
        filter,
        sort,
        limit: args.page.limit as usize,
        offset: args.page.offset as usize,
        snippet_len: args.snippet_chars as usize,
        snippets: args.snippets as usize,
    };
    let index = ArchiveIndex::open(dir)?;
    let results = search::search(&index, &request)?;
    let chosen = |default: &'static [HitField]| -> &[HitField] {
        if args.fields.is_empty() {
            default
        } else {
            &args.fields
        }
    };
    let json_fields = chosen(&HitField::JSON_DEFAULT);
    write_out(match (format, period) {
        (OutputFormat::Human, None) => human::search_results(out, &results),
        (OutputFormat::Human, Some(period)) => human::timeline(out, &results, period),
        (OutputFormat::Json, None) => json::search_results_with_fields(out, &results, json_fields),
        (OutputFormat::Json, Some(period)) => json::timeline(out, &results, period, json_fields),
        // (Hits in timeline order, without headings.)
        (OutputFormat::Jsonl, _) => json::search_hit_lines(out, &results, json_fields),
        (OutputFormat::Csv, _) => {
            csv::search_results(out, &results, chosen(&HitField::CSV_DEFAULT))
        }
    })?;
    Ok(if results.total > 0 {
        Outcome::Found
    } else {
        Outcome::NotFound
    })
}

/// `--fields` shapes the machine formats only, and names each field once.
fn check_fields(fields: &[HitField], format: OutputFormat) -> Result<()> {
    if !fields.is_empty() && format == OutputFormat::Human {
        return Err(Error::InvalidArgument(
            "--fields needs --format json, jsonl or csv".to_string(),
        ));
    }
    for (i, field) in fields.iter().enumerate() {
        if fields[..i].contains(field) {
            return Err(Error::InvalidArgument(format!(
                "--fields names '{}' twice",
                field.name()
            )));
        }
    }
    Ok(())
}

fn run_related(dir: &Path, args: RelatedArgs, out: &mut dyn Write) -> Result<Outcome> {
    let filter = args.dates.filter()?;
    let request = RelatedRequest {
        id: args.id,
        filter,
        limit: args.page.limit as usize,
        offset: args.page.offset as usize,
        snippet_len: SNIPPET_LEN,
    };
    let index = ArchiveIndex::open(dir)?;
    let Some(related) = related::related(&index, &request)? else {
        eprintln!("dateline: no article with id '{}'", request.id);
        return Ok(Outcome::NotFound);
    };
    write_out(if args.json {
        json::search_results(out, &related.results)
    } else {
        human::related_results(out, &related)
    })?;
    Ok(if related.results.total > 0 {
        Outcome::Found
    } else {
        Outcome::NotFound
    })
}

fn run_trend(dir: &Path, args: TrendArgs, out: &mut dyn Write) -> Result<Outcome> {
    let filter = args.dates.filter()?;
    let request = TrendRequest {
        query: args.query.join(" "),
        filter,
        by: match args.by {
            PeriodArg::Day => trend::Period::Day,
            PeriodArg::Week => trend::Period::Week,
            PeriodArg::Month => trend::Period::Month,
            PeriodArg::Year => trend::Period::Year,
        },
    };
    let index = ArchiveIndex::open(dir)?;
    let trend = trend::trend(&index, &request)?;
    if let Some(path) = &args.svg {
        std::fs::write(path, svg::render(&trend)).map_err(|source| Error::Write {
            path: path.clone(),
            source,
        })?;
    }
    write_out(if args.json {
        render::trend::json(out, &trend)
    } else if args.csv {
        render::trend::csv(out, &trend)
    } else {
        render::trend::human(out, &trend, terminal_width())
    })?;
    Ok(if trend.total > 0 {
        Outcome::Found
    } else {
        Outcome::NotFound
    })
}

/// Columns for a terminal chart: `COLUMNS` when set, else the terminal's
/// width, else (piped) 80.
fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|columns| columns.trim().parse::<usize>().ok())
        .filter(|&columns| columns > 0)
        .or_else(|| {
            terminal_size::terminal_size_of(std::io::stdout())
                .map(|(terminal_size::Width(width), _)| usize::from(width))
        })
        .unwrap_or(80)
}

/// Output errors end the command, except a closed pipe (`| head`), which
/// just means nobody wants the rest.
fn write_out(result: std::io::Result<()>) -> Result<()> {
    match result {
        Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::Io {
            path: PathBuf::from("<stdout>"),
            source: err,
        }),
        _ => Ok(()),
    }
}
