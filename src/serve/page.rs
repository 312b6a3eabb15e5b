//! The search page and the article page, rendered on the server as HTML
//! that works without JavaScript. maud escapes every value it is given;
//! the only markup built by hand is the `<mark>`s around highlight ranges
//! (of escaped text) and the chart from [`crate::render::svg`], which
//! escapes its own text.
//!
//! The whole state of a search is in its URL (`/?q=oil&from=1987-03&
//! sort=newest&page=2`), so reloading, Back and a shared link show the
//! same page.

use std::ops::Range;
use std::sync::Arc;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use maud::{html, Markup, PreEscaped, DOCTYPE};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use time::Date;

use dateline::{
    archive_member, highlight, lookup, related, thousands, Facet, FacetKind, Found, Highlighted,
    IndexStats, Iso, PeriodCount, RelatedRequest, SearchResults, Sort, Suggestion, Trend,
    DEFAULT_SNIPPET_CHARS,
};

use super::api;
use super::archive::{both, Archive};
use super::coordinator::Coverage;
use super::params::{self, Params};
use super::{App, Refusal};
use crate::render::human::facet_title;
use crate::render::svg;

/// Hits on a page.
pub const PAGE_SIZE: usize = 10;
/// The CLI's cap on `--offset`, which paging cannot pass.
const MAX_OFFSET: usize = 1_000_000;
/// The most bars the histogram has: the shortest period that fits.
const MAX_BARS: usize = 60;
/// Related articles shown under an article.
const RELATED: usize = 5;
/// The parameters the search page takes.
const PAGE_PARAMS: &[&str] = &[
    "q", "on", "from", "to", "sort", "page", "author", "source", "section", "tag",
];

/// The filters a page's facet links add, each a parameter of its own and
/// the facet whose values it takes.
const FILTERS: [(&str, FacetKind); 4] = [
    ("source", FacetKind::Source),
    ("section", FacetKind::Section),
    ("author", FacetKind::Author),
    ("tag", FacetKind::Tag),
];

/// How many values each facet of a page lists.
const FACET_VALUES: usize = 5;

/// What goes into an id in a link: everything but letters, digits and
/// `-._~` is escaped, `/` too, so an id is one segment of the path that
/// no browser resolves (`..`) or cuts (`#`, `?`).
const ID_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

fn encoded(id: &str) -> String {
    if id.chars().all(|c| c == '.') {
        // `.` and `..` would be resolved away by the browser.
        return id.replace('.', "%2E");
    }
    utf8_percent_encode(id, ID_SEGMENT).to_string()
}

/// The link to an article's page, with the query whose words it marks.
fn article_link(id: &str, query: &str) -> String {
    let mut link = format!("/articles/{}", encoded(id));
    if !query.trim().is_empty() {
        link.push('?');
        link.push_str(&Params::default().with("q", Some(query)).to_query_string());
    }
    link
}

/// `/?…` for these parameters.
fn search_link(params: &Params) -> String {
    let query = params.to_query_string();
    if query.is_empty() {
        "/".to_string()
    } else {
        format!("/?{query}")
    }
}

/// The frame of every page: a skip link, the header, the main landmark,
/// the footer.
fn layout(title: &str, form: Markup, main: Markup, footer: Markup) -> Html<String> {
    Html(
        html! {
            (DOCTYPE)
            html lang="en" {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    title { (title) }
                    link rel="stylesheet" href="/assets/style.css";
                    script src="/assets/keys.js" defer {}
                }
                body {
                    a.skip href="#main" { "Skip to the results" }
                    header.site {
                        a.brand href="/" { "dateline" }
                        span.about { "Search the news archive. Press / to type a search." }
                    }
                    (form)
                    main #main tabindex="-1" { (main) }
                    footer.site { (footer) }
                }
            }
        }
        .into_string(),
    )
}

/// The search form, filled in from the URL.
fn search_form(params: &Params) -> Markup {
    let value = |name: &str| params.get(name).unwrap_or_default().to_string();
    // The order the search runs in: as asked, else relevance with words
    // and newest first without.
    let sort = match params.get("sort") {
        Some(sort) => sort.to_string(),
        None if params.get("q").is_some() => "relevance".to_string(),
        None => "newest".to_string(),
    };
    html! {
        div.site-form {
            form.search role="search" method="get" action="/" {
                div.field.query {
                    label for="q" { "Words" }
                    @for (name, _) in FILTERS {
                        @if let Some(kept) = params.get(name) {
                            input type="hidden" name=(name) value=(kept);
                        }
                    }
                    input #q type="search" name="q" value=(value("q"))
                        aria-describedby="syntax" autocomplete="off";
                }
                div.field {
                    label for="from" { "From" }
                    input #from.date type="text" name="from" value=(value("from"))
                        placeholder="1987-03" aria-describedby="dates" inputmode="numeric";
                }
                div.field {
                    label for="to" { "To" }
                    input #to.date type="text" name="to" value=(value("to"))
                        placeholder="1987-03-31" aria-describedby="dates" inputmode="numeric";
                }
                @if let Some(on) = params.get("on") {
                    input type="hidden" name="on" value=(on);
                }
                div.field {
                    label for="sort" { "Order" }
                    select #sort name="sort" {
                        option value="relevance" selected[sort == "relevance"] { "Best match" }
                        option value="newest" selected[sort == "newest"] { "Newest first" }
                        option value="oldest" selected[sort == "oldest"] { "Oldest first" }
                    }
                }
                button type="submit" { "Search" }
            }
            p.hint {
                span #syntax { "Words must all appear; use \"quotes\" for a phrase, OR for either, -word to leave out. " }
                span #dates { "Dates: a year (1987), a month (1987-03) or a day (1987-03-02); To includes the whole month or year." }
            }
        }
    }
}

/// `GET /`: the form, and the results of the search its URL describes.
pub async fn search(State(app): State<Arc<App>>, RawQuery(raw): RawQuery) -> Response {
    let params = match Params::parse(raw.as_deref()) {
        Ok(params) => params,
        Err(refusal) => return error_page(&Params::default(), refusal),
    };
    if let Err(refusal) = params.only(PAGE_PARAMS) {
        return error_page(&params, refusal);
    }
    let asked = [
        "q", "on", "from", "to", "author", "source", "section", "tag",
    ]
    .iter()
    .any(|name| params.get(name).is_some());
    if !asked {
        return match app.run(|archive| archive.stats()).await {
            Ok((stats, coverage)) => front_page(&params, &stats, coverage).into_response(),
            Err(refusal) => error_page(&params, refusal),
        };
    }
    let page = match page_number(&params) {
        Ok(page) => page,
        Err(refusal) => return error_page(&params, refusal),
    };
    let offset = (page - 1) * PAGE_SIZE;
    // "Best match" with no words to match means the default, newest first
    // (the form sends it whatever the box holds).
    let searched = if params.get("q").is_none() && params.get("sort") == Some("relevance") {
        params.with("sort", None)
    } else {
        params.clone()
    };
    let request = match params::page_search(&searched, PAGE_SIZE, offset) {
        Ok(request) => request,
        Err(refusal) => return error_page(&params, refusal),
    };
    let trend_request = match params::page_trend(&params, "day") {
        Ok(request) => request,
        Err(refusal) => return error_page(&params, refusal),
    };
    // A facet for each filter not set yet: its values narrow the search.
    let kinds: Vec<FacetKind> = FILTERS
        .iter()
        .filter(|(name, _)| params.get(name).is_none())
        .map(|(_, kind)| *kind)
        .collect();
    let found = app
        .run(move |archive| {
            let (mut results, mut coverage) = archive.search(&request, &[], 0)?;
            if results.total > 0 {
                let (found, more) =
                    archive.facets(&request.query, &request.filter, &kinds, FACET_VALUES)?;
                results.facets = found;
                coverage = both(coverage, more);
            }
            // The chart counts articles with every word: none, when the
            // articles with most of them answered.
            let chart = if results.total > 0 && results.most_words.is_none() {
                let (chart, more) = archive.trend(&trend_request, Some(MAX_BARS))?;
                coverage = both(coverage, more);
                Some(chart)
            } else {
                None
            };
            Ok((results, chart, coverage))
        })
        .await;
    match found {
        Ok((results, chart, coverage)) => {
            results_page(&params, page, &results, chart.as_ref(), coverage)
        }
        Err(refusal) => error_page(&params, refusal),
    }
}

/// The `page` parameter: 1 to as far as the CLI's offset cap reaches.
fn page_number(params: &Params) -> Result<usize, Refusal> {
    let last = MAX_OFFSET / PAGE_SIZE + 1;
    match params.get("page") {
        None => Ok(1),
        Some(text) => match text.trim().parse::<usize>() {
            Ok(page) if (1..=last).contains(&page) => Ok(page),
            _ => Err(Refusal::bad_request(format!(
                "page '{text}' is not a page number from 1 to {}",
                thousands(last as u64)
            ))),
        },
    }
}

fn front_page(params: &Params, stats: &IndexStats, coverage: Option<Coverage>) -> Html<String> {
    let main = html! {
        h1.sr-only { "Search the archive" }
        p.status role="status" {
            "The archive holds " span.count { (thousands(stats.articles)) } " articles"
            @if let (Some(oldest), Some(newest)) = (stats.oldest, stats.newest) {
                " from " (long_date(oldest)) " to " (long_date(newest))
            }
            @if stats.undated > 0 {
                " (" (thousands(stats.undated)) " undated)"
            }
            "."
        }
        (missing_shards(coverage))
    };
    layout(
        "dateline: search the archive",
        search_form(params),
        main,
        footer(None),
    )
}

/// The line that says shards did not answer, when any did not.
fn missing_shards(coverage: Option<Coverage>) -> Markup {
    html! {
        @if let Some(coverage) = coverage.filter(|coverage| coverage.failed() > 0) {
            p.status.error role="alert" {
                (coverage.failed()) " of " (coverage.total) " shards did not answer: this page \
                 leaves out their articles."
            }
        }
    }
}

fn footer(json: Option<&str>) -> Markup {
    html! {
        @if let Some(json) = json {
            a href=(json) { "This page as JSON" }
            " · "
        }
        a href="/api/stats" { "The archive's figures as JSON" }
        " · served by dateline " (env!("CARGO_PKG_VERSION"))
    }
}

/// A page that could not be made: the form as it was, and why, with the
/// query's column marked when a query was the trouble.
fn error_page(params: &Params, refusal: Refusal) -> Response {
    let query = params.get("q").unwrap_or_default();
    let main = html! {
        h1.sr-only { "Search results" }
        div.status.error role="alert" {
            p { (refusal.message) }
            @if let Some(column) = refusal.column {
                pre aria-hidden="true" {
                    (query) "\n"
                    (" ".repeat(column.saturating_sub(1))) "^"
                }
            }
        }
    };
    let status = refusal.status;
    (
        status,
        layout(
            "dateline: the search cannot be run",
            search_form(params),
            main,
            footer(None),
        ),
    )
        .into_response()
}

/// "from 2 March 1987 to 31 March 1987", for the status line.
fn span_words(from: Option<Date>, to: Option<Date>) -> String {
    match (from, to) {
        (Some(from), Some(to)) if from == to => format!(" on {}", long_date(from)),
        (Some(from), Some(to)) => format!(" from {} to {}", long_date(from), long_date(to)),
        (Some(from), None) => format!(" from {}", long_date(from)),
        (None, Some(to)) => format!(" up to {}", long_date(to)),
        (None, None) => String::new(),
    }
}

/// `2 March 1987`.
fn long_date(date: Date) -> String {
    format!("{} {} {}", date.day(), date.month(), date.year())
}

fn sort_words(sort: Sort) -> &'static str {
    match sort {
        Sort::Relevance => "best match first",
        Sort::Newest => "newest first",
        Sort::Oldest => "oldest first",
    }
}

fn results_page(
    params: &Params,
    page: usize,
    results: &SearchResults,
    chart: Option<&Trend>,
    coverage: Option<Coverage>,
) -> Response {
    let query = results.query.trim();
    let total = results.total;
    let first = results.offset + 1;
    let last = results.offset + results.hits.len();
    let noun = if total == 1 { "article" } else { "articles" };
    let verb = if total == 1 { "matches" } else { "match" };
    let dates = span_words(results.filter.from, results.filter.to);
    let json = format!(
        "/api/search?{}",
        params
            .with("page", None)
            .with(
                "offset",
                (results.offset > 0)
                    .then(|| results.offset.to_string())
                    .as_deref()
            )
            .to_query_string()
    );
    let main = html! {
        h1.sr-only { "Search results" }
        p.status role="status" {
            @if total == 0 {
                "No article matches"
                @if !query.is_empty() { " \u{201c}" (query) "\u{201d}" }
                (dates) "."
            } @else if let Some(most) = results.most_words {
                "No article has all " (most.typed) " words of \u{201c}" (query) "\u{201d}"
                (dates) "; showing those with most of them: "
                @if !results.total_exact { "more than " }
                span.count { (thousands(total as u64)) } " " (noun) " "
                (if total == 1 { "has" } else { "have" }) " " (most.matched)
                @if most.most > most.matched { " or " (most.most) }
                " of its "
                (most.words) " words that are not stop words, " (sort_words(results.sort)) "."
            } @else if let Some(stories) = results.stories.filter(|&n| n != total) {
                span.count { (thousands(stories as u64)) } " "
                (if stories == 1 { "story" } else { "stories" })
                " (" (thousands(total as u64)) " " (noun) ")"
                @if !query.is_empty() {
                    " " (if stories == 1 { "matches" } else { "match" }) " \u{201c}" (query) "\u{201d}"
                }
                (dates) ", " (sort_words(results.sort)) "."
            } @else if !results.total_exact {
                "More than " span.count { (thousands(total as u64)) } " articles"
                @if !query.is_empty() { " match \u{201c}" (query) "\u{201d}" }
                (dates) ", " (sort_words(results.sort)) "."
            } @else {
                span.count { (thousands(total as u64)) } " " (noun)
                @if !query.is_empty() { " " (verb) " \u{201c}" (query) "\u{201d}" }
                (dates) ", " (sort_words(results.sort)) "."
            }
        }
        (missing_shards(coverage))
        @if let Some(suggestion) = &results.suggestion {
            (suggestion_line(params, "Did you mean ", suggestion))
        }
        @if let Some(operators) = &results.operators {
            (suggestion_line(
                params,
                "Lower-case or, and, not are searched for as words. Did you mean ",
                operators,
            ))
        }
        (filters_line(params))
        @if let Some(chart) = chart {
            (histogram(params, chart))
        }
        (facet_links(params, &results.facets))
        @if total > 0 && results.hits.is_empty() {
            p { "This page is past the last result. "
                a href=(search_link(&params.with("page", None))) { "Back to the first page" } "." }
        }
        @if !results.hits.is_empty() {
            section #results aria-labelledby="results-heading" {
                h2 #results-heading.sr-only { "Results " (first) " to " (last) }
                ol.hits start=(first) {
                    @for hit in &results.hits {
                        li {
                            h3 {
                                a href=(article_link(&hit.id, query)) {
                                    @if hit.headline.text.trim().is_empty() {
                                        "(no headline)"
                                    } @else {
                                        (marked(&hit.headline))
                                    }
                                }
                            }
                            p.meta {
                                span.rank { (hit.rank) ". " }
                                @if let Some(date) = hit.date {
                                    time datetime=(Iso(date).to_string()) { (long_date(date)) }
                                } @else {
                                    span { "undated" }
                                }
                                " · " code.id { (hit.id) }
                            }
                            @if !hit.snippet.text.is_empty() {
                                p.snippet { (marked(&hit.snippet)) }
                            }
                            @if !hit.similar.is_empty() {
                                p.similar {
                                    a href=(article_link(&hit.id, query)) {
                                        "+" (hit.similar.len()) " similar "
                                        (if hit.similar.len() == 1 { "article" } else { "articles" })
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if results.stories.unwrap_or(total) > PAGE_SIZE {
            (pages(params, page, results))
        }
    };
    let title = if query.is_empty() {
        format!("{} articles{dates} · dateline", thousands(total as u64))
    } else {
        format!("{query} · {} found · dateline", thousands(total as u64))
    };
    layout(&title, search_form(params), main, footer(Some(&json))).into_response()
}

/// The filters set, each with a link that takes it away.
fn filters_line(params: &Params) -> Markup {
    let set: Vec<(&str, &str)> = FILTERS
        .iter()
        .filter_map(|(name, _)| Some((*name, params.get(name)?)))
        .collect();
    html! {
        @if !set.is_empty() {
            ul.filters aria-label="Filters" {
                @for (name, value) in set {
                    li {
                        (name) ": " strong { (value) } " "
                        a href=(search_link(&params.with(name, None).with("page", None)))
                            aria-label=(format!("remove the {name} filter")) { "(remove)" }
                    }
                }
            }
        }
    }
}

/// The facets of the matches: each value a link that adds its filter.
fn facet_links(params: &Params, facets: &[Facet]) -> Markup {
    let shown: Vec<&Facet> = facets.iter().filter(|f| !f.values.is_empty()).collect();
    html! {
        @if !shown.is_empty() {
            section.facets aria-labelledby="facets-heading" {
                h2 #facets-heading { "Narrow the search" }
                @for facet in shown {
                    @let name = facet.kind.name();
                    div.facet {
                        h3 { (facet_title(facet.kind)) }
                        ul {
                            @for value in &facet.values {
                                li {
                                    a href=(search_link(&params.with(name, Some(&value.value)).with("page", None))) {
                                        (value.value)
                                    }
                                    " " span.count { "(" (thousands(value.count)) ")" }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// `lead`, the other query as a link to its first page, and what it finds:
/// "Did you mean cocoa? (129 articles)".
fn suggestion_line(params: &Params, lead: &str, suggestion: &Suggestion) -> Markup {
    let total = suggestion.total as u64;
    html! {
        p.suggestion {
            (lead)
            a href=(search_link(&params.with("q", Some(&suggestion.query)).with("page", None))) {
                (suggestion.query)
            }
            "? (" (thousands(total)) " " (if total == 1 { "article" } else { "articles" }) ")"
        }
    }
}

/// Escaped text with `<mark>` around each range.
fn marked(text: &Highlighted) -> Markup {
    let mut out = String::new();
    let mut at = 0;
    for Range { start, end } in &text.ranges {
        let (Some(before), Some(word)) = (text.text.get(at..*start), text.text.get(*start..*end))
        else {
            continue;
        };
        out.push_str(&maud::html! { (before) }.into_string());
        out.push_str("<mark>");
        out.push_str(&maud::html! { (word) }.into_string());
        out.push_str("</mark>");
        at = *end;
    }
    out.push_str(&maud::html! { (text.text.get(at..).unwrap_or_default()) }.into_string());
    PreEscaped(out)
}

/// The matches over time, above the list: a bar chart whose bars narrow
/// the dates to their period, and the same counts as a table for screen
/// readers.
fn histogram(params: &Params, chart: &Trend) -> Markup {
    let narrow = |period: &PeriodCount| -> String {
        search_link(
            &params
                .with("on", None)
                .with("page", None)
                .with("from", Some(&Iso(period.start).to_string()))
                .with("to", Some(&Iso(period.end).to_string())),
        )
    };
    let svg = svg::render_linked(chart, &narrow);
    let per = chart.by.name();
    // (Stories, by default, on an index with near-copies.)
    let (counted, heading) = match chart.count {
        dateline::Counting::Stories => ("stories", "Stories"),
        dateline::Counting::Articles => ("articles", "Articles"),
    };
    html! {
        section.histogram aria-labelledby="histogram-heading" {
            h2 #histogram-heading.sr-only { "Matches per " (per) }
            figure.histogram {
                (PreEscaped(svg))
                figcaption {
                    "Matching " (counted) " per " (per)
                    @if let Some((first, last)) = chart.span() {
                        ", " (long_date(first)) " to " (long_date(last))
                    }
                    ". Choose a bar to see its " (per) "."
                    @if chart.undated > 0 {
                        " " (thousands(chart.undated)) " undated, not shown."
                    }
                }
            }
            table.counts.sr-only {
                caption { "Matching " (counted) " per " (per) }
                thead { tr { th scope="col" { (per) } th scope="col" { (heading) } } }
                tbody {
                    @for period in chart.periods.iter().filter(|p| p.count > 0) {
                        tr {
                            th scope="row" { a href=(narrow(period)) tabindex="-1" { (period.label) } }
                            td { (period.count) }
                        }
                    }
                    @if chart.undated > 0 {
                        tr { th scope="row" { "undated" } td { (chart.undated) } }
                    }
                }
            }
        }
    }
}

/// Previous, numbered pages around this one, next; and where this is.
fn pages(params: &Params, page: usize, results: &SearchResults) -> Markup {
    // (Folded, the hits are stories.)
    let total = results.stories.unwrap_or(results.total);
    // Past the exact count's threshold, more match than `total`: at least
    // one more, and one more than this page shows.
    let known = if results.total_exact {
        total
    } else {
        (total + 1).max(results.offset + results.hits.len() + 1)
    };
    let last_page = known.div_ceil(PAGE_SIZE).min(MAX_OFFSET / PAGE_SIZE + 1);
    let link =
        |n: usize| search_link(&params.with("page", (n > 1).then(|| n.to_string()).as_deref()));
    let first = results.offset + 1;
    let shown_last = results.offset + results.hits.len();
    let around: Vec<usize> = {
        let low = page.saturating_sub(2).max(1);
        let high = (page + 2).min(last_page);
        let mut numbers = vec![1];
        numbers.extend(low..=high);
        numbers.push(last_page);
        numbers.sort_unstable();
        numbers.dedup();
        numbers
    };
    html! {
        nav.pages aria-label="Pages of results" {
            p.position {
                @if results.hits.is_empty() {
                    "Page " (page) " of " (thousands(last_page as u64))
                } @else {
                    (thousands(first as u64)) "\u{2013}" (thousands(shown_last as u64))
                    " of " @if !results.total_exact { "more than " } (thousands(total as u64))
                }
            }
            ul {
                @if page > 1 {
                    li { a href=(link(page - 1)) rel="prev" { "\u{2190} Previous" } }
                }
                @for n in &around {
                    li {
                        @if *n == page {
                            span.current aria-current="page" { (n) }
                        } @else {
                            a href=(link(*n)) aria-label={ "Page " (n) } { (n) }
                        }
                    }
                }
                @if page < last_page {
                    li { a href=(link(page + 1)) rel="next" { "Next \u{2192}" } }
                }
            }
        }
    }
}

/// `GET /articles/{id}`: one article whole, the query's words marked, its
/// copies and related articles.
pub async fn article(
    State(app): State<Arc<App>>,
    path: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> Response {
    let id = match params::id(path) {
        Ok(id) => id,
        Err(refusal) => return error_page(&Params::default(), refusal),
    };
    let params = match Params::parse(raw.as_deref()).and_then(|p| p.only(&["q"]).map(|()| p)) {
        Ok(params) => params,
        Err(refusal) => return error_page(&Params::default(), refusal),
    };
    let query = params.get("q").unwrap_or_default().to_string();
    let show_paths = app.show_paths;
    let wanted = id.clone();
    if let Archive::Shards(_) = &app.archive {
        // The page of the shard that holds the article, as it serves it.
        let asked = format!(
            "/articles/{}?{}",
            api::encoded(&id),
            params.to_query_string()
        );
        let passed = app
            .run(move |archive| match archive {
                Archive::Shards(shards) => Ok(shards.pass(&asked).0),
                Archive::Index(_) => Ok(None),
            })
            .await;
        return match passed {
            Ok(Some(passed)) => (
                passed.status,
                [(
                    axum::http::header::CONTENT_TYPE,
                    axum::http::HeaderValue::from_str(&passed.content_type)
                        .unwrap_or(axum::http::HeaderValue::from_static("text/html")),
                )],
                passed.body,
            )
                .into_response(),
            Ok(None) => error_page(&params, Refusal::no_article(&id)),
            Err(refusal) => error_page(&params, refusal),
        };
    }
    let found = app
        .run(move |archive| {
            let Archive::Index(index) = archive else {
                return Ok(None);
            };
            let Some(found) = lookup(index, &wanted)? else {
                return Ok(None);
            };
            let marks = if query.trim().is_empty() {
                None
            } else {
                // A query that cannot be read marks nothing; the article
                // is still shown.
                highlight(index, &query, &found.article).ok()
            };
            let similar = related(
                index,
                &RelatedRequest {
                    id: found.article.id.clone(),
                    filter: dateline::DateFilter::default(),
                    limit: RELATED,
                    offset: 0,
                    snippet_len: DEFAULT_SNIPPET_CHARS,
                },
            )?
            .map(|related| related.results);
            Ok(Some((found, marks, similar, query)))
        })
        .await;
    match found {
        Ok(Some((found, marks, similar, query))) => {
            article_page(&found, marks, similar.as_ref(), &query, show_paths)
        }
        Ok(None) => {
            let refusal = Refusal::no_article(&id);
            let main = html! {
                h1 { "No such article" }
                p role="alert" { (refusal.message) ". " a href="/" { "Search the archive" } "." }
            };
            (
                StatusCode::NOT_FOUND,
                layout(
                    "No such article · dateline",
                    search_form(&Params::default()),
                    main,
                    footer(None),
                ),
            )
                .into_response()
        }
        Err(refusal) => error_page(&params, refusal),
    }
}

fn article_page(
    found: &Found,
    marks: Option<(Highlighted, Highlighted)>,
    similar: Option<&SearchResults>,
    query: &str,
    show_paths: bool,
) -> Response {
    let article = &found.article;
    let (headline, body) = marks.unwrap_or_else(|| {
        (
            Highlighted {
                text: article.headline.clone(),
                ranges: Vec::new(),
            },
            Highlighted {
                text: article.body.clone(),
                ranges: Vec::new(),
            },
        )
    });
    let back = Params::default().with("q", Some(query).filter(|q| !q.trim().is_empty()));
    let json = format!("/api/articles/{}", encoded(&article.id));
    let main = html! {
        article.whole {
            h1 {
                @if headline.text.trim().is_empty() { "(no headline)" } @else { (marked(&headline)) }
            }
            p.meta {
                @if let Some(date) = article.date {
                    time datetime=(Iso(date).to_string()) { (long_date(date)) }
                } @else {
                    span { "undated" }
                }
                " · " code.id { (article.id) }
                @if show_paths {
                    " · " code.path { (article.path) }
                }
            }
            div.body { (marked(&body)) }
        }
        @if !found.copies.is_empty() {
            section.more aria-labelledby="copies-heading" {
                h2 #copies-heading { "Also found as" }
                ul {
                    @for copy in &found.copies {
                        li {
                            code { (copy.id) }
                            @if let Some(member) = archive_member(&copy.id) {
                                " (in an archive, as " code { (member) } ")"
                            }
                            @if show_paths { " · " code { (copy.path) } }
                        }
                    }
                }
            }
        }
        @if let Some(story) = &found.story {
            section.more aria-labelledby="story-heading" {
                h2 #story-heading { "Similar articles (the same story)" }
                ul {
                    @for other in &story.others {
                        li {
                            a href=(article_link(&other.id, "")) {
                                @if other.headline.trim().is_empty() { "(no headline)" } @else { (other.headline) }
                            }
                            @if let Some(date) = other.date {
                                " · " time datetime=(Iso(date).to_string()) { (long_date(date)) }
                            }
                            " · " (other.differences.join("; "))
                        }
                    }
                }
            }
        }
        @if let Some(similar) = similar {
            @if !similar.hits.is_empty() {
                section.more aria-labelledby="related-heading" {
                    h2 #related-heading { "Related articles" }
                    ul {
                        @for hit in &similar.hits {
                            li {
                                a href=(article_link(&hit.id, "")) {
                                    @if hit.headline.text.trim().is_empty() { "(no headline)" } @else { (hit.headline.text) }
                                }
                                @if let Some(date) = hit.date {
                                    " · " time datetime=(Iso(date).to_string()) { (long_date(date)) }
                                }
                            }
                        }
                    }
                }
            }
        }
        p { a href=(search_link(&back)) { "\u{2190} Back to the search" } }
    };
    let title = format!(
        "{} · dateline",
        if article.headline.trim().is_empty() {
            "(no headline)"
        } else {
            article.headline.as_str()
        }
    );
    layout(&title, search_form(&back), main, footer(Some(&json))).into_response()
}

/// The login form (`--token-file`): `back` is where to go once in.
pub fn login(back: &str, failed: bool) -> Html<String> {
    let main = html! {
        h1 { "This archive needs a token" }
        @if failed {
            p.error role="alert" { "That token is not the right one." }
        }
        form.search method="post" action="/login" {
            input type="hidden" name="back" value=(back);
            div.field.query {
                label for="token" { "Token" }
                input #token type="password" name="token" autocomplete="current-password" required;
            }
            button type="submit" { "Enter" }
        }
    };
    layout("Token needed · dateline", html! {}, main, footer(None))
}

/// Anything else: 404, as a page (or JSON under `/api`, which has its own
/// fallback).
pub async fn not_found() -> Response {
    let main = html! {
        h1 { "Nothing here" }
        p { "There is no page at this address. " a href="/" { "Search the archive" } "." }
    };
    (
        StatusCode::NOT_FOUND,
        layout(
            "Not found · dateline",
            search_form(&Params::default()),
            main,
            footer(None),
        ),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_go_around_escaped_words() {
        let text = Highlighted {
            text: "<b>oil</b> & gas".into(),
            ranges: vec![3..6, 13..16],
        };
        assert_eq!(
            marked(&text).into_string(),
            "&lt;b&gt;<mark>oil</mark>&lt;/b&gt; &amp; <mark>gas</mark>"
        );
    }

    #[test]
    fn an_id_is_one_path_segment() {
        assert_eq!(encoded("a/../b#1?x"), "a%2F..%2Fb%231%3Fx");
        assert_eq!(encoded(".."), "%2E%2E");
    }
}
