//! URL parameters made into the commands' own validated requests. Each
//! parameter becomes the command-line option of the same name (`from` →
//! `--from`, `snippet_chars` → `--snippet-chars`, `q` → the query words)
//! and the CLI's parser and config check them: a bad value gets the very
//! sentence the command line prints, and a good one the same request.

use axum::extract::rejection::PathRejection;
use axum::extract::Path;
use percent_encoding::percent_decode_str;

use dateline::{RelatedRequest, SearchRequest, TrendRequest};

use super::Refusal;
use crate::cli::args::Cli;
use crate::cli::config::{Command, Config, SearchCommand, TrendCommand};

/// The longest query searched for, in bytes.
pub const MAX_QUERY_BYTES: usize = 4096;
/// The most hits one request may ask for (the CLI allows 10,000 for an
/// export; a server answers many people).
pub const MAX_LIMIT: usize = 1000;
/// The longest query string taken at all.
pub const MAX_QUERY_STRING: usize = 16 * 1024;

/// The parameters `/api/search` takes.
pub const SEARCH: &[&str] = &[
    "q",
    "on",
    "from",
    "to",
    "sort",
    "limit",
    "offset",
    "snippets",
    "snippet_chars",
    "fields",
    "group_by",
    "author",
    "source",
    "section",
    "tag",
    "facets",
    "facet_size",
    "exact_total",
    "fold",
];
/// The parameters `/api/trend` takes.
pub const TREND: &[&str] = &[
    "q", "on", "from", "to", "by", "author", "source", "section", "tag", "split", "series", "count",
];
/// The parameters `/api/related/{id}` takes.
pub const RELATED: &[&str] = &["on", "from", "to", "limit", "offset"];

/// A request's parameters, decoded, in order; empty values left out (an
/// empty field of a form means "not given").
#[derive(Debug, Default, Clone)]
pub struct Params(Vec<(String, String)>);

impl Params {
    /// Decodes a query string: each name once, UTF-8 throughout.
    pub fn parse(raw: Option<&str>) -> Result<Params, Refusal> {
        let raw = raw.unwrap_or_default();
        if raw.len() > MAX_QUERY_STRING {
            return Err(Refusal::new(
                axum::http::StatusCode::URI_TOO_LONG,
                format!(
                    "the parameters are {} bytes long; at most {} are read",
                    raw.len(),
                    MAX_QUERY_STRING
                ),
            ));
        }
        let mut pairs: Vec<(String, String)> = Vec::new();
        for part in raw.split('&').filter(|part| !part.is_empty()) {
            let (name, value) = part.split_once('=').unwrap_or((part, ""));
            // `snippet-chars` as the option is spelt, or `snippet_chars`.
            let name = decode(name)?.replace('-', "_");
            let value = decode(value)?;
            if pairs.iter().any(|(seen, _)| *seen == name) {
                return Err(Refusal::bad_request(format!(
                    "the parameter '{name}' is given twice"
                )));
            }
            pairs.push((name, value));
        }
        pairs.retain(|(_, value)| !value.trim().is_empty());
        Ok(Params(pairs))
    }

    /// The value of a parameter.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(seen, _)| seen == name)
            .map(|(_, value)| value.as_str())
    }

    /// Refuses a parameter not among `allowed`.
    pub fn only(&self, allowed: &[&str]) -> Result<(), Refusal> {
        match self
            .0
            .iter()
            .find(|(name, _)| !allowed.contains(&name.as_str()))
        {
            Some((name, _)) => Err(Refusal::bad_request(format!(
                "unknown parameter '{name}' (this takes {})",
                if allowed.is_empty() {
                    "none".to_string()
                } else {
                    allowed.join(", ")
                }
            ))),
            None => Ok(()),
        }
    }

    /// These parameters with `name` set to `value` (or removed, when
    /// `None`), for a link.
    pub fn with(&self, name: &str, value: Option<&str>) -> Params {
        let mut pairs: Vec<(String, String)> = self
            .0
            .iter()
            .filter(|(seen, _)| seen != name)
            .cloned()
            .collect();
        if let Some(value) = value {
            pairs.push((name.to_string(), value.to_string()));
        }
        Params(pairs)
    }

    /// The query string of a link: `q=oil&from=1987-03`.
    pub fn to_query_string(&self) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        for (name, value) in &self.0 {
            out.append_pair(name, value);
        }
        out.finish()
    }
}

/// The id in an address (`/api/articles/{id}`), percent-decoded. axum
/// refuses an id that is not UTF-8 in a plain-text sentence of its own;
/// this says it the way every other refusal is said.
pub fn id(path: Result<Path<String>, PathRejection>) -> Result<String, Refusal> {
    path.map(|Path(id)| id)
        .map_err(|_| Refusal::bad_request("the id in the address is not UTF-8 text"))
}

/// `+` is a space; `%xx` a byte; the bytes must be UTF-8.
fn decode(text: &str) -> Result<String, Refusal> {
    let spaced = text.replace('+', " ");
    percent_decode_str(&spaced)
        .decode_utf8()
        .map(|text| text.into_owned())
        .map_err(|_| Refusal::bad_request("the parameters are not UTF-8 text"))
}

/// The command line `dateline <command> <fixed>… --<param>=<value>… --
/// <word>` for these parameters, validated by the CLI's own config.
fn command(
    name: &str,
    fixed: &[&str],
    params: &Params,
    allowed: &[&str],
    word: Option<&str>,
) -> Result<Command, Refusal> {
    params.only(allowed)?;
    let mut args: Vec<String> = vec!["dateline".into(), name.into()];
    args.extend(fixed.iter().map(|arg| arg.to_string()));
    let mut words = word.map(str::to_string);
    for (param, value) in &params.0 {
        if param == "q" {
            if value.len() > MAX_QUERY_BYTES {
                return Err(Refusal::bad_request(format!(
                    "the query is {} bytes long; at most {} are searched for",
                    dateline::thousands(value.len() as u64),
                    dateline::thousands(MAX_QUERY_BYTES as u64)
                )));
            }
            words = Some(value.clone());
        } else if param == "exact_total" || param == "fold" {
            // Switches of the command line, `true` or `false` here:
            // `--exact-total`, and `--no-fold` for `fold=false`.
            let switch = match (param.as_str(), value.as_str()) {
                ("exact_total", "true") => Some("--exact-total"),
                ("fold", "false") => Some("--no-fold"),
                (_, "true" | "false") => None,
                (_, other) => {
                    return Err(Refusal::bad_request(format!(
                        "{param} is true or false, not '{}'",
                        crate::one_line(other)
                    )))
                }
            };
            args.extend(switch.map(String::from));
        } else {
            args.push(format!("--{}={value}", param.replace('_', "-")));
        }
    }
    if let Some(words) = words {
        args.push("--".into());
        args.push(words);
    }
    let cli = Cli::parse_made_args(&args)
        .map_err(|err| Refusal::bad_request(crate::one_line(&err.render().to_string())))?;
    Ok(Config::from_args(cli)?.command)
}

/// `/api/search`: as `dateline search --json` with these options.
pub fn search(params: &Params) -> Result<SearchCommand, Refusal> {
    let Command::Search(command) = command("search", &["--json"], params, SEARCH, None)? else {
        return Err(unexpected());
    };
    check_page(command.all, command.request.limit)?;
    Ok(command)
}

/// The search a results page runs: its query and dates, `limit` hits from
/// `offset`, as `dateline search` would. `limit` and `offset` stand for the
/// page's own `page`, which the command does not take.
pub fn page_search(params: &Params, limit: usize, offset: usize) -> Result<SearchRequest, Refusal> {
    // `page` is the page's own parameter, made into the offset here.
    let paged = params
        .with("page", None)
        .with("limit", Some(&limit.to_string()))
        .with("offset", Some(&offset.to_string()));
    let Command::Search(command) = command("search", &["--json"], &paged, SEARCH, None)? else {
        return Err(unexpected());
    };
    Ok(command.request)
}

/// `/api/trend`: as `dateline trend --json`.
pub fn trend(params: &Params) -> Result<TrendCommand, Refusal> {
    match command("trend", &["--json"], params, TREND, None)? {
        Command::Trend(command) => Ok(command),
        _ => Err(unexpected()),
    }
}

/// The trend of a page's search: its query and dates, by `by`.
pub fn page_trend(params: &Params, by: &str) -> Result<TrendRequest, Refusal> {
    let mut kept = Params::default();
    for name in [
        "q", "on", "from", "to", "author", "source", "section", "tag",
    ] {
        if let Some(value) = params.get(name) {
            kept = kept.with(name, Some(value));
        }
    }
    Ok(trend(&kept.with("by", Some(by)))?.request)
}

/// `/api/related/{id}`: as `dateline related --json ID`.
pub fn related(id: &str, params: &Params) -> Result<RelatedRequest, Refusal> {
    match command("related", &["--json"], params, RELATED, Some(id))? {
        Command::Related { request, .. } => {
            check_page(false, request.limit)?;
            Ok(request)
        }
        _ => Err(unexpected()),
    }
}

fn check_page(all: bool, limit: usize) -> Result<(), Refusal> {
    if all {
        return Err(Refusal::bad_request(format!(
            "limit=all is for the command line; here a page holds at most {} hits \
             (page with offset)",
            dateline::thousands(MAX_LIMIT as u64)
        )));
    }
    if limit > MAX_LIMIT {
        return Err(Refusal::bad_request(format!(
            "limit {} is too many: the server sends at most {} hits at once (page with offset)",
            dateline::thousands(limit as u64),
            dateline::thousands(MAX_LIMIT as u64)
        )));
    }
    Ok(())
}

fn unexpected() -> Refusal {
    Refusal::new(
        axum::http::StatusCode::INTERNAL_SERVER_ERROR,
        "internal error: the parameters made another command (a bug in dateline; please report it)",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(raw: &str) -> Params {
        Params::parse(Some(raw)).unwrap()
    }

    #[test]
    fn parameters_become_the_commands_request() {
        let command = search(&params("q=oil+prices&from=1987-03&limit=5&offset=10")).unwrap();
        assert_eq!(command.request.query, "oil prices");
        assert_eq!(command.request.limit, 5);
        assert_eq!(command.request.offset, 10);
        assert!(command.request.filter.from.is_some());
    }

    #[test]
    fn names_may_be_spelt_as_the_options_are() {
        let twice = Params::parse(Some("q=oil&snippet-chars=80&snippet_chars=90"));
        assert!(twice.unwrap_err().message.contains("twice"));
        let command = search(&params("q=oil&snippet-chars=80")).unwrap();
        assert_eq!(command.request.snippet_len, 80);
    }

    #[test]
    fn a_query_that_looks_like_an_option_is_words() {
        let command = search(&params("q=--from+-russia")).unwrap();
        assert_eq!(command.request.query, "--from -russia");
    }

    #[test]
    fn bad_values_get_the_clis_sentence() {
        let err = search(&params("q=oil&from=1987-13")).unwrap_err();
        assert_eq!(err.status, axum::http::StatusCode::BAD_REQUEST);
        assert!(err.message.contains("1987-13"), "{}", err.message);
        let err = search(&params("q=oil&limit=abc")).unwrap_err();
        assert!(err.message.contains("'abc'"), "{}", err.message);
        let err = search(&params("q=oil&colour=red")).unwrap_err();
        assert!(err.message.starts_with("unknown parameter 'colour'"));
        let err = Params::parse(Some("q=oil&q=gas")).unwrap_err();
        assert!(err.message.contains("twice"));
    }

    #[test]
    fn the_servers_limits_hold() {
        assert!(search(&params("q=oil&limit=1000")).is_ok());
        assert!(search(&params("q=oil&limit=1001")).is_err());
        assert!(search(&params("q=oil&limit=all")).is_err());
        let long = format!("q={}", "a".repeat(MAX_QUERY_BYTES + 1));
        assert!(search(&params(&long)).is_err());
        assert!(Params::parse(Some("q=%FF")).is_err());
    }

    #[test]
    fn a_page_is_a_search_of_its_own_hits() {
        let request = page_search(&params("q=oil&page=3&sort=newest"), 10, 20).unwrap();
        assert_eq!((request.limit, request.offset), (10, 20));
        assert_eq!(request.sort, Some(dateline::Sort::Newest));
        let trend = page_trend(&params("q=oil&page=3&sort=newest&from=1987"), "day").unwrap();
        assert_eq!(trend.by, dateline::Period::Day);
        assert!(trend.filter.from.is_some());
    }

    #[test]
    fn empty_values_are_not_given() {
        let command = search(&params("q=oil&from=&to=&sort=")).unwrap();
        assert!(command.request.filter.is_empty());
        assert_eq!(command.request.sort, None);
    }
}
