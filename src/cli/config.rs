//! The command line made into a validated [`Config`]: dates parsed, paths
//! checked, flags that go together checked together, the environment
//! read. Commands take a `Config` and never see clap (as ripgrep's
//! `hiargs.rs` and fd's `config.rs` do).

use std::path::PathBuf;

use dateline::{
    DateFilter, Error, FacetKind, IndexOptions, Period, RelatedRequest, Result, Roots,
    SearchRequest, Sort, StoriesRequest, TrendRequest, DEFAULT_SNIPPET_CHARS,
};

use super::args::{
    Cli, ColorWhen, CommandArgs, DateArgs, ExportArgs, ExportFormat, IndexArgs, Limit, MetaArgs,
    OutputFormat, RelatedArgs, SearchArgs, ServeArgs, TrendArgs,
};
use crate::render::fields::HitField;

/// Everything a command needs, validated.
#[derive(Debug)]
pub struct Config {
    /// The index folder.
    pub index: PathBuf,
    pub color: anstream::ColorChoice,
    /// Columns to wrap results for people at: on a terminal, its width
    /// (or `COLUMNS`); piped, none.
    pub wrap: Option<usize>,
    pub command: Command,
}

/// A command to run.
#[derive(Debug)]
pub enum Command {
    // Boxed: its options (JSON keys for every part of an article) make it
    // several times the size of the others.
    Index(Box<IndexCommand>),
    Search(SearchCommand),
    Show { id: String, json: bool },
    Stats { json: bool },
    Related { request: RelatedRequest, json: bool },
    Stories { request: StoriesRequest, json: bool },
    Trend(TrendCommand),
    Export(ExportCommand),
    Serve(ServeCommand),
}

/// `dateline export`.
#[derive(Debug)]
pub struct ExportCommand {
    /// The query, with the clauses of `--author`, `--source`, … added.
    pub query: String,
    pub filter: DateFilter,
    pub output: ExportOutput,
}

/// What `export` writes for each article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportOutput {
    /// The document alone, on a line.
    Ndjson,
    /// An action line naming this Elasticsearch index and the article's
    /// id, then the document.
    EsBulk { index: String },
}

/// The index `--format es-bulk` names unless `--es-index` says otherwise.
pub const DEFAULT_ES_INDEX: &str = "dateline";

/// `dateline serve`.
#[derive(Debug)]
pub struct ServeCommand {
    pub addr: std::net::SocketAddr,
    /// What every request must carry, when set.
    pub token: Option<String>,
    /// An origin whose pages may call the API (CORS).
    pub cors: Option<String>,
    pub show_paths: bool,
    /// Searches run at once.
    pub max_searches: usize,
    /// The longest a request may take.
    pub timeout: std::time::Duration,
    /// `--shards`: the shard servers answered from, instead of an index.
    pub shards: Option<Vec<String>>,
    /// How long a shard has to answer a call.
    pub shard_timeout: std::time::Duration,
}

/// `dateline index`.
#[derive(Debug)]
pub struct IndexCommand {
    pub roots: Roots,
    pub options: IndexOptions,
    /// Exit 1 when anything was warned about.
    pub strict: bool,
}

/// `dateline search`.
#[derive(Debug)]
pub struct SearchCommand {
    pub request: SearchRequest,
    pub output: SearchOutput,
    /// `--facets`, each with at most `facet_size` values.
    pub facets: Vec<FacetKind>,
    pub facet_size: usize,
    /// `-n all`: every hit from the offset on, page by page.
    pub all: bool,
}

/// How search results are printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchOutput {
    /// `--count`: the number of matches only.
    Count,
    /// For people, as a list or (`--group-by`) a timeline.
    Human { timeline: Option<Period> },
    /// One JSON document with these keys per hit.
    Json {
        fields: Vec<HitField>,
        timeline: Option<Period>,
    },
    /// A JSON hit per line (with its `group` in a timeline).
    Jsonl {
        fields: Vec<HitField>,
        timeline: Option<Period>,
    },
    /// A header, then a row per hit.
    Csv {
        fields: Vec<HitField>,
        timeline: Option<Period>,
    },
}

/// `dateline trend`.
#[derive(Debug)]
pub struct TrendCommand {
    pub request: TrendRequest,
    pub output: TrendOutput,
    /// Where to write the chart as SVG too.
    pub svg: Option<PathBuf>,
    /// Columns for the terminal chart.
    pub width: usize,
}

/// How a trend is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrendOutput {
    Chart,
    Json,
    Jsonl,
    Csv,
}

impl Config {
    /// Validates what the command line says.
    pub fn from_args(cli: Cli) -> Result<Config> {
        let color = match cli.color {
            ColorWhen::Auto => anstream::ColorChoice::Auto,
            ColorWhen::Always => anstream::ColorChoice::Always,
            ColorWhen::Never => anstream::ColorChoice::Never,
        };
        let command = match cli.command {
            CommandArgs::Index(args) => Command::Index(Box::new(index(args)?)),
            CommandArgs::Search(args) => Command::Search(search(args)?),
            CommandArgs::Show(args) => Command::Show {
                id: args.id,
                json: args.json,
            },
            CommandArgs::Stats(args) => Command::Stats { json: args.json },
            CommandArgs::Related(args) => related(args)?,
            CommandArgs::Stories(args) => Command::Stories {
                request: StoriesRequest {
                    query: with_meta(args.query.join(" "), &args.meta)?,
                    filter: dates(&args.dates)?,
                    limit: args.limit as usize,
                },
                json: args.json,
            },
            CommandArgs::Trend(args) => Command::Trend(trend(args)?),
            CommandArgs::Export(args) => Command::Export(export(args)?),
            CommandArgs::Serve(args) => Command::Serve(serve(args)?),
        };
        let wrap = std::io::IsTerminal::is_terminal(&std::io::stdout()).then(terminal_width);
        Ok(Config {
            index: cli.index,
            color,
            wrap,
            command,
        })
    }
}

fn dates(args: &DateArgs) -> Result<DateFilter> {
    Ok(DateFilter::from_flags(
        args.on.as_deref(),
        args.from.as_deref(),
        args.to.as_deref(),
    )?)
}

/// The query with a clause for each `--author`, `--source`, `--section`
/// and `--tag`: `oil author:"Jane Doe" source="Reuters"`. An author is
/// the words of a name, in order (`--author "Henry Spencer"` finds
/// `Henry Spencer <henry@zoo.toronto.edu>`); a source, section or tag is
/// the whole value as a facet lists it (`--source sci.space` is not
/// `sci.space.shuttle`), case aside.
fn with_meta(query: String, meta: &MetaArgs) -> Result<String> {
    let mut clauses: Vec<String> = Vec::new();
    let mut add = |flag: &str, scope: &str, value: &str| -> Result<()> {
        let value = value.trim();
        if value.is_empty() || value.contains('"') {
            return Err(Error::invalid(format!(
                "--{flag} takes a name without double quotes, not '{value}'"
            )));
        }
        clauses.push(format!("{scope}\"{value}\""));
        Ok(())
    };
    for author in &meta.author {
        add("author", "author:", author)?;
    }
    for source in &meta.source {
        add("source", "source=", source)?;
    }
    for section in &meta.section {
        add("section", "section=", section)?;
    }
    for tag in &meta.tag {
        match tag.split_once(':') {
            Some((kind, value)) if dateline::Tag::KINDS.contains(&kind.trim()) => {
                add("tag", &format!("{}:", kind.trim()), value)?;
            }
            _ => add("tag", "tag=", tag)?,
        }
    }
    if clauses.is_empty() {
        return Ok(query);
    }
    // The query must stand on its own: `oil OR` is a mistake, not
    // `oil OR author:"…"`.
    dateline::internals::query::parse(&query)
        .map_err(|err| Error::User(dateline::UserError::Query(err)))?;
    let clauses = clauses.join(" ");
    Ok(if query.trim().is_empty() {
        clauses
    } else {
        // After the query as typed, so a mistake in it keeps its column;
        // OR binds closer than the AND between words, so `a OR b` with
        // `--source x` is (a OR b) AND x.
        format!("{query} {clauses}")
    })
}

fn index(args: IndexArgs) -> Result<IndexCommand> {
    let mut roots = Roots::new(&args.paths, args.follow_links)?;
    if let Some(shard) = args.shard {
        roots.only_shard(shard);
    }
    let mut options = IndexOptions {
        memory_mb: args.memory_mb,
        rebuild: args.rebuild,
        commit_every: args.commit_every,
        max_article_size: args.max_article_size,
        ..IndexOptions::default()
    };
    if let Some(threads) = args.threads {
        options.threads = usize::from(threads);
    }
    options.formats.forced = args.format;
    options.formats.section_from_folder = args.section_from_folder;
    for key_for in args.fields {
        options.formats.fields.set(key_for);
    }
    Ok(IndexCommand {
        roots,
        options,
        strict: args.strict,
    })
}

fn search(args: SearchArgs) -> Result<SearchCommand> {
    let filter = dates(&args.dates)?;
    let format = match args.format {
        Some(format) => format,
        None if args.json => OutputFormat::Json,
        None => OutputFormat::Human,
    };
    check_fields(&args.fields, format, args.group_by)?;
    let timeline = args.group_by;
    let mut sort = args.sort;
    if timeline.is_some() {
        // A timeline reads forward in time; any other order would scatter
        // its headings.
        if let Some(other @ (Sort::Relevance | Sort::Newest)) = sort {
            return Err(Error::invalid(format!(
                "--group-by lists hits oldest first; it cannot be used with --sort {}",
                other.name()
            )));
        }
        sort = Some(Sort::Oldest);
    }
    let chosen = |default: &[HitField]| -> Vec<HitField> {
        if args.fields.is_empty() {
            default.to_vec()
        } else {
            args.fields.clone()
        }
    };
    let output = if args.count {
        SearchOutput::Count
    } else {
        match format {
            OutputFormat::Human => SearchOutput::Human { timeline },
            OutputFormat::Json => SearchOutput::Json {
                fields: chosen(&HitField::JSON_DEFAULT),
                timeline,
            },
            OutputFormat::Jsonl => SearchOutput::Jsonl {
                fields: chosen(&HitField::JSON_DEFAULT),
                timeline,
            },
            OutputFormat::Csv => SearchOutput::Csv {
                fields: chosen(&HitField::CSV_DEFAULT),
                timeline,
            },
        }
    };
    let (limit, all) = match args.page.limit {
        Limit::Hits(n) => (n, false),
        Limit::All => (Limit::MAX_HITS, true),
    };
    let request = SearchRequest {
        query: with_meta(args.query.join(" "), &args.meta)?,
        filter,
        sort,
        limit: limit as usize,
        offset: args.page.offset as usize,
        snippet_len: args.snippet_chars as usize,
        snippets: args.snippets as usize,
        // (Every page of `-n all` is read up to the total, and facets
        // count every match anyway.)
        exact_total: args.exact_total || all || !args.facets.is_empty(),
        fold: !args.no_fold,
        whole_archive: None,
        keys_only: false,
    };
    let facets = dedup(args.facets);
    if !facets.is_empty()
        && !matches!(
            output,
            SearchOutput::Human { .. } | SearchOutput::Json { .. }
        )
    {
        return Err(Error::invalid(
            "--facets needs the human or the json output (not --count, jsonl or csv)",
        ));
    }
    Ok(SearchCommand {
        request,
        output,
        all,
        facets,
        facet_size: args.facet_size as usize,
    })
}

/// Each facet once, in the order first named.
fn dedup(kinds: Vec<FacetKind>) -> Vec<FacetKind> {
    let mut seen = Vec::new();
    for kind in kinds {
        if !seen.contains(&kind) {
            seen.push(kind);
        }
    }
    seen
}

/// `--fields` shapes the machine formats only, names each field once, and
/// names `group` only in a timeline.
fn check_fields(fields: &[HitField], format: OutputFormat, timeline: Option<Period>) -> Result<()> {
    if !fields.is_empty() && format == OutputFormat::Human {
        return Err(Error::invalid("--fields needs --format json, jsonl or csv"));
    }
    if fields.contains(&HitField::Group) && timeline.is_none() {
        return Err(Error::invalid(
            "--fields group needs --group-by (the period each hit falls in)",
        ));
    }
    for (i, field) in fields.iter().enumerate() {
        if fields[..i].contains(field) {
            return Err(Error::invalid(format!(
                "--fields names '{}' twice",
                field.name()
            )));
        }
    }
    Ok(())
}

fn related(args: RelatedArgs) -> Result<Command> {
    let filter = dates(&args.dates)?;
    let Limit::Hits(limit) = args.page.limit else {
        return Err(Error::invalid(
            "related shows at most 10,000 articles; -n all is for search",
        ));
    };
    let request = RelatedRequest {
        id: args.id,
        filter,
        limit: limit as usize,
        offset: args.page.offset as usize,
        snippet_len: DEFAULT_SNIPPET_CHARS,
    };
    Ok(Command::Related {
        request,
        json: args.json,
    })
}

fn trend(args: TrendArgs) -> Result<TrendCommand> {
    let filter = dates(&args.dates)?;
    let output = match args.format {
        Some(OutputFormat::Human) => TrendOutput::Chart,
        Some(OutputFormat::Json) => TrendOutput::Json,
        Some(OutputFormat::Jsonl) => TrendOutput::Jsonl,
        Some(OutputFormat::Csv) => TrendOutput::Csv,
        None if args.json => TrendOutput::Json,
        None if args.csv => TrendOutput::Csv,
        None => TrendOutput::Chart,
    };
    Ok(TrendCommand {
        request: TrendRequest {
            query: with_meta(args.query.join(" "), &args.meta)?,
            filter,
            by: args.by,
            split: args.split,
            series: args.series as usize,
            count: args.count,
        },
        output,
        svg: args.svg,
        width: terminal_width(),
    })
}

fn export(args: ExportArgs) -> Result<ExportCommand> {
    let filter = dates(&args.dates)?;
    let output =
        match (args.format, args.es_index) {
            (ExportFormat::Ndjson, None) => ExportOutput::Ndjson,
            (ExportFormat::Ndjson, Some(_)) => return Err(Error::invalid(
                "--es-index names the index of es-bulk's action lines: it needs --format es-bulk",
            )),
            (ExportFormat::EsBulk, name) => {
                let index = name.unwrap_or_else(|| DEFAULT_ES_INDEX.to_string());
                check_es_index(&index)?;
                ExportOutput::EsBulk { index }
            }
        };
    Ok(ExportCommand {
        query: with_meta(args.query.join(" "), &args.meta)?,
        filter,
        output,
    })
}

/// An index name Elasticsearch and OpenSearch accept: lower case, at most
/// 255 bytes, none of `\ / * ? " < > | , #`, spaces or `:`, not starting
/// with `-`, `_` or `+`, and neither `.` nor `..`. Checked here so that a
/// bad name is one sentence now, not a refusal of every line later.
fn check_es_index(name: &str) -> Result<()> {
    let bad = |why: &str| {
        Err(Error::invalid(format!(
            "--es-index '{name}' is not a name Elasticsearch accepts: {why}"
        )))
    };
    if name.is_empty() || name.len() > 255 {
        return bad("it must be 1 to 255 bytes long");
    }
    if name.chars().any(char::is_uppercase) {
        return bad("it must be lower case");
    }
    if let Some(c) = name
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || "\\/*?\"<>|,#:".contains(*c))
    {
        return bad(&format!("it may not hold {c:?}"));
    }
    if name.starts_with(['-', '_', '+']) {
        return bad("it may not start with '-', '_' or '+'");
    }
    if name == "." || name == ".." {
        return bad("it may not be '.' or '..'");
    }
    Ok(())
}

fn serve(args: ServeArgs) -> Result<ServeCommand> {
    let token = match &args.token_file {
        Some(path) => Some(read_token(path)?),
        None => None,
    };
    if !args.addr.ip().is_loopback() && token.is_none() && !args.public {
        return Err(Error::invalid(format!(
            "refusing to serve on {} without --token-file: anyone who can reach it could \
             read the whole archive (give --token-file FILE, or --public if that is meant)",
            args.addr
        )));
    }
    if let Some(origin) = &args.cors {
        check_origin(origin)?;
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    Ok(ServeCommand {
        addr: args.addr,
        token,
        cors: args.cors,
        show_paths: args.show_paths,
        max_searches: args.max_searches.map_or(cores * 2, usize::from),
        timeout: args.timeout,
        shards: args.shards.filter(|urls| !urls.is_empty()),
        shard_timeout: args.shard_timeout,
    })
}

/// The first line of a token file, which must hold one of at least 16
/// printable characters.
fn read_token(path: &std::path::Path) -> Result<String> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let token = text.lines().next().unwrap_or_default().trim();
    if token.len() < 16 || !token.chars().all(|c| c.is_ascii_graphic()) {
        return Err(Error::invalid(format!(
            "{}: the token must be one line of at least 16 printable ASCII characters, \
             no spaces",
            path.display()
        )));
    }
    Ok(token.to_string())
}

/// `--cors` takes an origin as browsers send it: `https://host[:port]`.
fn check_origin(origin: &str) -> Result<()> {
    let rest = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"));
    let ok = rest.is_some_and(|host| {
        !host.is_empty()
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
    });
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(format!(
            "--cors takes an origin such as https://newsroom.example (scheme, host and \
             port, no path), not '{origin}'"
        )))
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use dateline::Format;

    fn config(args: &[&str]) -> Result<Config> {
        let cli = Cli::parse_from_args(std::iter::once("dateline").chain(args.iter().copied()))
            .map_err(|err| Error::invalid(err.to_string()))?;
        Config::from_args(cli)
    }

    fn search_command(args: &[&str]) -> SearchCommand {
        let mut all = vec!["search"];
        all.extend_from_slice(args);
        match config(&all).unwrap().command {
            Command::Search(search) => search,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_search_is_its_words_joined_with_the_defaults() {
        let search = search_command(&["ceasefire", "talks"]);
        assert_eq!(search.request.query, "ceasefire talks");
        assert_eq!(search.request.sort, None);
        assert_eq!(search.request.limit, 10);
        assert_eq!(search.request.snippet_len, DEFAULT_SNIPPET_CHARS);
        assert_eq!(search.output, SearchOutput::Human { timeline: None });
    }

    #[test]
    fn dates_are_parsed_into_whole_spans() {
        let search = search_command(&["--from", "2025-02", "--to", "2025-03"]);
        let filter = search.request.filter;
        assert_eq!(filter.to_string(), "from 2025-02-01 to 2025-03-31");
        let err = config(&["search", "--from", "2025-04", "--to", "2025-03"]).unwrap_err();
        assert_eq!(err.to_string(), "--from 2025-04 is after --to 2025-03");
    }

    #[test]
    fn a_timeline_is_oldest_first_and_refuses_other_orders() {
        let search = search_command(&["rates", "--group-by", "week"]);
        assert_eq!(search.request.sort, Some(Sort::Oldest));
        assert_eq!(
            search.output,
            SearchOutput::Human {
                timeline: Some(Period::Week)
            }
        );
        let err = config(&["search", "rates", "--group-by", "day", "--sort", "newest"])
            .unwrap_err()
            .to_string();
        assert!(err.contains("cannot be used with --sort newest"), "{err}");
    }

    #[test]
    fn fields_need_a_machine_format_and_come_once() {
        let csv = search_command(&["--format", "csv", "--fields", "date,id"]);
        assert_eq!(
            csv.output,
            SearchOutput::Csv {
                fields: vec![HitField::Date, HitField::Id],
                timeline: None
            }
        );
        let json = search_command(&["--json"]);
        assert_eq!(
            json.output,
            SearchOutput::Json {
                fields: HitField::JSON_DEFAULT.to_vec(),
                timeline: None
            }
        );
        let human = config(&["search", "--fields", "id"])
            .unwrap_err()
            .to_string();
        assert_eq!(human, "--fields needs --format json, jsonl or csv");
        let twice = config(&["search", "--format", "csv", "--fields", "id,id"]).unwrap_err();
        assert_eq!(twice.to_string(), "--fields names 'id' twice");
        assert!(config(&["search", "--format", "csv", "--fields", "bogus"])
            .unwrap_err()
            .to_string()
            .contains("unknown field 'bogus'"));
    }

    #[test]
    fn a_query_may_start_with_a_minus_and_options_stand_anywhere() {
        for args in [
            &["-koresh", "waco", "--on", "1993-04-20", "-n", "1"][..],
            &["--on", "1993-04-20", "-koresh", "-n1", "waco"],
            &["-n", "1", "--on=1993-04-20", "--", "-koresh", "waco"],
            &["-koresh waco", "--on", "1993-04-20", "-n", "1"],
        ] {
            let search = search_command(args);
            assert_eq!(search.request.query, "-koresh waco", "{args:?}");
            assert_eq!(search.request.limit, 1, "{args:?}");
            assert_eq!(
                search.request.filter.to_string(),
                "on 1993-04-20",
                "{args:?}"
            );
        }
        // `-nato` is a word, `-n` an option.
        assert_eq!(
            search_command(&["-nato", "talks"]).request.query,
            "-nato talks"
        );
    }

    #[test]
    fn an_option_after_dashes_is_refused_not_searched_for() {
        for args in [
            &["search", "--", "-koresh", "--on", "1993-04-20"][..],
            &["trend", "--", "-koresh", "--by", "month"],
            &["search", "--", "koresh", "-n", "1"],
        ] {
            let err = config(args).unwrap_err().to_string();
            assert!(
                err.contains("after '--' would be searched for as a word"),
                "{err}"
            );
        }
        let err = config(&["search", "waco", "--form", "1993"]).unwrap_err();
        assert!(err.to_string().contains("'--form'"), "{err}");
    }

    #[test]
    fn all_hits_are_read_in_pages_for_search_only() {
        let search = search_command(&["-n", "all", "--format", "jsonl"]);
        assert!(search.all);
        assert_eq!(search.request.limit, Limit::MAX_HITS as usize);
        assert!(!search_command(&["-n", "10000"]).all);
        assert!(config(&["search", "-n", "10001"]).is_err());
        assert!(config(&["search", "-n", "0"]).is_err());
        let err = config(&["related", "x", "-n", "all"])
            .unwrap_err()
            .to_string();
        assert!(err.contains("-n all is for search"), "{err}");
    }

    #[test]
    fn group_is_a_field_of_timelines_in_every_machine_format() {
        let jsonl = search_command(&["x", "--group-by", "month", "--format", "jsonl"]);
        assert_eq!(
            jsonl.output,
            SearchOutput::Jsonl {
                fields: HitField::JSON_DEFAULT.to_vec(),
                timeline: Some(Period::Month)
            }
        );
        let csv = search_command(&[
            "x",
            "--group-by",
            "day",
            "--format",
            "csv",
            "--fields",
            "group,id",
        ]);
        assert_eq!(
            csv.output,
            SearchOutput::Csv {
                fields: vec![HitField::Group, HitField::Id],
                timeline: Some(Period::Day)
            }
        );
        let err = config(&["search", "x", "--format", "csv", "--fields", "group"]).unwrap_err();
        assert!(
            err.to_string().contains("--fields group needs --group-by"),
            "{err}"
        );
    }

    #[test]
    fn trend_takes_the_output_formats_of_search() {
        for (args, output) in [
            (&["trend", "x", "--format", "csv"][..], TrendOutput::Csv),
            (&["trend", "x", "--format", "json"], TrendOutput::Json),
            (&["trend", "x", "--format", "jsonl"], TrendOutput::Jsonl),
            (&["trend", "x", "--format", "human"], TrendOutput::Chart),
            (&["trend", "x", "--json"], TrendOutput::Json),
            (&["trend", "x", "--csv"], TrendOutput::Csv),
        ] {
            let Command::Trend(trend) = config(args).unwrap().command else {
                panic!("{args:?}");
            };
            assert_eq!(trend.output, output, "{args:?}");
        }
        assert!(config(&["trend", "x", "--csv", "--format", "json"]).is_err());
    }

    #[test]
    fn count_wins_over_the_output_format() {
        assert_eq!(
            search_command(&["x", "--count"]).output,
            SearchOutput::Count
        );
    }

    #[test]
    fn index_options_come_from_their_flags() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().to_str().unwrap();
        let command = config(&[
            "index",
            path,
            "--format",
            "json",
            "--field",
            "headline=title",
            "--field",
            "author=writer",
            "--section-from-folder",
            "--max-article-size",
            "2K",
            "--threads",
            "3",
            "--rebuild",
        ])
        .unwrap()
        .command;
        let Command::Index(index) = command else {
            panic!("{command:?}");
        };
        assert_eq!(index.options.formats.forced, Some(Format::Json));
        assert_eq!(
            index.options.formats.fields.headline.as_deref(),
            Some("title")
        );
        assert_eq!(
            index.options.formats.fields.author.as_deref(),
            Some("writer")
        );
        assert!(index.options.formats.section_from_folder);
        assert_eq!(index.options.max_article_size, 2048);
        assert_eq!(index.options.threads, 3);
        assert!(index.options.rebuild);
        let plain = config(&["index", path]).unwrap().command;
        let Command::Index(plain) = plain else {
            panic!("{plain:?}");
        };
        assert!(!plain.options.formats.section_from_folder);
        let part = config(&["index", path, "--field", "writer=author"])
            .unwrap_err()
            .to_string();
        assert!(
            part.contains("unknown part 'writer'")
                && part.contains(
                    "id, date, headline, body, author, source, section, tags, url, language"
                ),
            "{part}"
        );
        let missing = config(&["index", "no/such/dir"]).unwrap_err().to_string();
        assert_eq!(missing, "no/such/dir: no such file or directory");
    }

    #[test]
    fn sizes_take_binary_units() {
        use super::super::args::parse_size;
        assert_eq!(parse_size("4096"), Ok(4096));
        assert_eq!(parse_size("500K"), Ok(500 << 10));
        assert_eq!(parse_size("16MiB"), Ok(16 << 20));
        assert_eq!(parse_size("2gb"), Ok(2 << 30));
        assert!(parse_size("0").is_err());
        assert!(parse_size("12Q").unwrap_err().contains("unknown unit"));
        assert!(parse_size("huge").is_err());
    }

    #[test]
    fn timeouts_take_decimal_seconds() {
        use super::super::args::parse_seconds;
        use std::time::Duration;
        assert_eq!(parse_seconds("10"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_seconds("0.25"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_seconds("0.001"), Ok(Duration::from_millis(1)));
        assert!(parse_seconds("0").unwrap_err().contains("out of range"));
        assert!(parse_seconds("3601").unwrap_err().contains("out of range"));
        assert!(parse_seconds("NaN").unwrap_err().contains("out of range"));
        assert!(parse_seconds("1s").unwrap_err().contains("not a number"));
    }

    #[test]
    fn an_export_takes_the_query_dates_and_filters_of_search() {
        let export = |args: &[&str]| {
            let mut all = vec!["export"];
            all.extend_from_slice(args);
            match config(&all).map(|config| config.command) {
                Ok(Command::Export(export)) => Ok(export),
                Ok(other) => panic!("{other:?}"),
                Err(err) => Err(err.to_string()),
            }
        };
        let plain = export(&[]).unwrap();
        assert_eq!(plain.query, "");
        assert!(plain.filter.is_empty());
        assert_eq!(plain.output, ExportOutput::Ndjson);
        let asked = export(&[
            "-opec", "oil", "--from", "1987-03", "--source", "Reuters", "--format", "es-bulk",
        ])
        .unwrap();
        assert_eq!(asked.query, "-opec oil source=\"Reuters\"");
        assert_eq!(asked.filter.to_string(), "from 1987-03-01");
        assert_eq!(
            asked.output,
            ExportOutput::EsBulk {
                index: DEFAULT_ES_INDEX.into()
            }
        );
        let named = export(&["--format", "es-bulk", "--es-index", "news-1987"]).unwrap();
        assert_eq!(
            named.output,
            ExportOutput::EsBulk {
                index: "news-1987".into()
            }
        );
        let alone = export(&["--es-index", "news"]).unwrap_err();
        assert!(alone.contains("needs --format es-bulk"), "{alone}");
        assert!(export(&["--from", "1987-13"]).is_err());
    }

    #[test]
    fn es_index_names_are_those_elasticsearch_accepts() {
        for good in ["dateline", "news-1987", "a.b_c+d", "日本"] {
            assert!(check_es_index(good).is_ok(), "{good}");
        }
        for (bad, why) in [
            ("", "1 to 255 bytes"),
            ("News", "lower case"),
            ("a b", "' '"),
            ("a/b", "'/'"),
            ("a\\b", "'\\\\'"),
            ("a*", "'*'"),
            ("a:b", "':'"),
            ("-a", "may not start"),
            ("_a", "may not start"),
            ("..", "'.' or '..'"),
        ] {
            let err = check_es_index(bad).unwrap_err().to_string();
            assert!(err.contains(why), "{bad}: {err}");
        }
        assert!(check_es_index(&"a".repeat(256)).is_err());
    }

    #[test]
    fn trend_output_and_period() {
        let command = config(&["trend", "oil", "--by", "week", "--csv"])
            .unwrap()
            .command;
        let Command::Trend(trend) = command else {
            panic!("{command:?}");
        };
        assert_eq!(trend.request.by, Period::Week);
        assert_eq!(trend.output, TrendOutput::Csv);
        assert!(config(&["trend", "--by", "fortnight"]).is_err());
    }
}
