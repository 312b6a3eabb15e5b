//! The search page in a real browser: headless Chromium driven over
//! WebDriver by Debian's chromedriver (packages `chromium` and
//! `chromium-driver`; nothing is downloaded at run time). Each test starts
//! `dateline serve` on an index and a browser of its own, and does what a
//! reader does: searches, follows a bar of the chart, turns a page and
//! comes Back, presses `/` and types, opens an article. What the page shows
//! must be what the JSON API says; a hostile headline or query must stay
//! text; and axe-core must find no serious or critical WCAG A/AA violation.
//!
//! Without chromedriver (or Chromium) the tests skip with a message, and
//! without axe-core (`npm ci --prefix tests/browser`) the accessibility
//! checks do; with `DATELINE_REQUIRE_BROWSER=1`, as CI sets, either fails
//! instead. Other binaries: `DATELINE_CHROMEDRIVER`, `DATELINE_CHROMIUM`,
//! `DATELINE_AXE_JS` (a path each). `DATELINE_SCREENSHOT=FILE.png` keeps a
//! screenshot of the Reuters results page (the README's).

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::future::Future;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::error::CmdError;
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use percent_encoding::percent_decode_str;
use serde::Deserialize;
use serde_json::{json, Value};
use tempfile::TempDir;

use crate::common::{
    archive_index, fold, highlighted_words, hit_ids, hits, id as archive_id, ids, reuters_index,
    root, total, Dateline, READ_BY_DATELINE,
};

/// The longest a step may wait for the browser or a server: generous, for
/// a loaded machine; a step that is merely slow never fails.
const PATIENCE: Duration = Duration::from_secs(120);

/// The flags Chromium needs to run headless in a container, as root, with
/// nothing going out to the network on its own.
const CHROMIUM_FLAGS: [&str; 9] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    // A container's /dev/shm may be tiny; Chromium then crashes on big pages.
    "--disable-dev-shm-usage",
    // Wide enough for the chart and the form on one line (the screenshot).
    "--window-size=1200,1000",
];

// ---------------------------------------------------------------------------
// The tests

/// The fixture archive, as a reader goes through it: a query URL, a bar of
/// the chart, the pages and Back, `/` and typing, an article.
#[test]
fn a_reader_searches_narrows_pages_and_reads_an_article() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let axe = Axe::load();
    let server = Server::start(archive_index().index_dir());

    // A query URL: the count, the hits and their marks are the JSON's.
    browser.open(&server.url("/?q=cocoa"));
    let page = ResultsPage::read(&browser);
    let json = server.json("/api/search?q=cocoa&limit=10");
    page.assert_shows(&json, "cocoa");
    assert_eq!(
        hit_ids(&json).into_iter().collect::<BTreeSet<_>>(),
        ids(&[
            "2024/01/cocoa-record-high",
            "2024/04/chocolate-bars-shrink",
            "2025/03/cocoa-prices-slump",
        ])
    );
    assert_eq!(
        page.status_text(),
        "3 articles match \u{201c}cocoa\u{201d}, best match first."
    );
    assert_eq!(page.position, None, "3 hits need no pages");
    axe.check(&browser, "the results of ?q=cocoa");

    // The chart: a bar a month from the first match to the last, each a
    // link out of the tab order (the table under it is for screen readers).
    let labels: Vec<&str> = page.bars.iter().map(|bar| bar.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06", "2024-07", "2024-08",
            "2024-09", "2024-10", "2024-11", "2024-12", "2025-01", "2025-02", "2025-03"
        ]
    );
    assert_eq!(page.bars.iter().map(|bar| bar.count).sum::<usize>(), 3);
    for bar in &page.bars {
        assert_eq!(bar.tabindex, "-1", "{bar:?}");
        assert_eq!(
            url_params(&bar.href),
            params(&[("q", "cocoa"), ("from", &bar.from), ("to", &bar.to)]),
            "{bar:?}"
        );
    }
    assert_eq!(page.table_rows, 3, "one row a month with a match");

    // Choosing March 2025 narrows the dates to it, keeping the words.
    let march = page
        .bars
        .iter()
        .position(|bar| bar.label == "2025-03")
        .expect("a bar");
    assert_eq!(page.bars[march].count, 1);
    browser.click_nth("figure.histogram svg a", march);
    let url = browser.wait_for_page("the page of March 2025", |url| {
        url_params(url).get("from").map(String::as_str) == Some("2025-03-01")
    });
    assert_eq!(
        url_params(&url),
        params(&[("q", "cocoa"), ("from", "2025-03-01"), ("to", "2025-03-31")])
    );
    let page = ResultsPage::read(&browser);
    let json = server.json("/api/search?q=cocoa&from=2025-03-01&to=2025-03-31&limit=10");
    page.assert_shows(&json, "cocoa");
    assert_eq!(hit_ids(&json), [archive_id("2025/03/cocoa-prices-slump")]);
    assert_eq!(browser.value("#from"), "2025-03-01");
    assert_eq!(browser.value("#to"), "2025-03-31");

    // Pages: the 13 articles of 2024, oldest first, ten a page.
    browser.open(&server.url("/?from=2024&to=2024&sort=oldest"));
    let first = ResultsPage::read(&browser);
    first.assert_shows(
        &server.json("/api/search?from=2024&to=2024&sort=oldest&limit=10"),
        "",
    );
    assert_eq!(first.position.as_deref(), Some("1\u{2013}10 of 13"));
    assert!(first.prev.is_none(), "no page before the first");
    assert!(first.next.is_some(), "a next page");
    browser.click_nth("nav.pages a[rel=next]", 0);
    let url = browser.wait_for_page("page 2", |url| {
        url_params(url).get("page").map(String::as_str) == Some("2")
    });
    assert_eq!(
        url_params(&url),
        params(&[
            ("from", "2024"),
            ("to", "2024"),
            ("sort", "oldest"),
            ("page", "2")
        ])
    );
    let second = ResultsPage::read(&browser);
    second.assert_shows(
        &server.json("/api/search?from=2024&to=2024&sort=oldest&limit=10&offset=10"),
        "",
    );
    assert_eq!(second.position.as_deref(), Some("11\u{2013}13 of 13"));
    assert!(second.next.is_none(), "no page after the last");
    assert!(second.prev.is_some(), "a previous page");
    let both: Vec<&ShownHit> = first.hits.iter().chain(&second.hits).collect();
    let dates: Vec<&str> = both
        .iter()
        .map(|hit| hit.date.as_deref().unwrap_or(""))
        .collect();
    assert!(
        dates.iter().all(|date| date.starts_with("2024-")),
        "{dates:?}"
    );
    assert!(
        dates.windows(2).all(|pair| pair[0] <= pair[1]),
        "oldest first: {dates:?}"
    );
    let mut seen: Vec<&str> = both.iter().map(|hit| hit.id.as_str()).collect();
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(seen.len(), 13, "every article of 2024, once");
    axe.check(&browser, "page 2 of ?from=2024&to=2024&sort=oldest");

    // Back shows the first page again.
    browser.back();
    browser.wait_for_page("Back to page 1", |url| {
        !url_params(url).contains_key("page")
    });
    assert_eq!(ResultsPage::read(&browser).hits, first.hits);

    // `/` puts the cursor in the search box without typing itself there;
    // typing and Enter search with the dates and order the form holds.
    assert_ne!(browser.focused_id(), "q");
    browser.type_keys("/");
    assert_eq!(browser.focused_id(), "q", "/ focuses the search box");
    assert_eq!(browser.value("#q"), "", "the / is not typed into the box");
    browser.type_keys(&format!("cocoa{}", char::from(Key::Enter)));
    let url = browser.wait_for_page("the search typed", |url| {
        url_params(url).get("q").map(String::as_str) == Some("cocoa")
    });
    let given = url_params(&url);
    assert_eq!(given.get("from").map(String::as_str), Some("2024"), "{url}");
    assert_eq!(given.get("to").map(String::as_str), Some("2024"), "{url}");
    assert_eq!(
        given.get("sort").map(String::as_str),
        Some("oldest"),
        "{url}"
    );
    let page = ResultsPage::read(&browser);
    let json = server.json("/api/search?q=cocoa&from=2024&to=2024&sort=oldest&limit=10");
    page.assert_shows(&json, "cocoa");
    assert_eq!(
        hit_ids(&json),
        [
            archive_id("2024/01/cocoa-record-high"),
            archive_id("2024/04/chocolate-bars-shrink")
        ]
    );

    // An article: its headline and text, the query's words marked in both,
    // related articles, its JSON, the way back.
    browser.click_nth("ol.hits > li h3 > a", 0);
    browser.wait_for_page("the article", |url| url_path(url).starts_with("/articles/"));
    let shown = ArticlePage::read(&browser);
    let id = archive_id("2024/01/cocoa-record-high");
    let article = server.json(&format!("/api/articles/{}", encode_segment(&id)));
    shown.assert_shows(&article, "cocoa");
    assert_eq!(shown.headline_marks, ["Cocoa"]);
    assert!(!shown.body_marks.is_empty(), "the body says cocoa");
    assert!(!shown.related.is_empty(), "related articles are listed");
    assert_eq!(
        browser.value("#q"),
        "cocoa",
        "the search box keeps the query"
    );
    assert_eq!(shown.back.as_deref(), Some("/?q=cocoa"));
    axe.check(&browser, "the article page");
    browser.assert_inert("the article page");
}

/// A headline and a query written to be HTML are shown as text: no element
/// and no dialog comes of them, in a list of hits, on an error page, in
/// links, in an article and in a list of related articles.
#[test]
fn a_hostile_headline_and_query_stay_text() {
    const HEADLINE: &str = "<script>alert(1)</script> & <b>";
    const QUERY: &str = "\"><img src=x onerror=alert(1)>";
    let body = "A hostile body: <script>alert(2)</script> & <b>bold</b> \
                <img src=x onerror=alert(3)> about cocoa prices and alert markets.";
    let Some(browser) = Browser::start() else {
        return;
    };
    let dl = Dateline::new();
    let news = dl.scratch().join("news");
    std::fs::create_dir(&news).expect("a folder for the articles");
    std::fs::write(
        news.join("hostile.txt"),
        format!(" date 2025-05-01 {HEADLINE}\n\n{body}\n"),
    )
    .expect("write an article");
    std::fs::write(
        news.join("plain.txt"),
        " date 2025-05-02 Cocoa prices and alert markets again\n\n\
         A plain article about cocoa prices and alert markets, related to the other one.\n",
    )
    .expect("write an article");
    let news_path = news.to_str().expect("a UTF-8 path");
    dl.index(&[news_path]).expect_code(0);
    // A second run finds a copy of it, a duplicate ("Also found as").
    std::fs::copy(news.join("hostile.txt"), news.join("hostile-copy.txt")).expect("a copy");
    dl.index(&[news_path]).expect_code(0);
    let server = Server::start(dl.index_dir());

    // In a list of hits, the headline is its own text.
    browser.open(&server.url("/?q=alert"));
    let page = ResultsPage::read(&browser);
    page.assert_shows(&server.json("/api/search?q=alert&limit=10"), "alert");
    let hostile = page
        .hits
        .iter()
        .find(|hit| hit.id == "news/hostile.txt")
        .expect("a hit");
    assert_eq!(hostile.headline, HEADLINE);
    assert_eq!(hostile.headline_marks, ["alert"]);
    browser.assert_inert("hits with a hostile headline");

    // The query as typed cannot be read (the quote is not closed): the
    // error page shows it, in the box and under the message, as text.
    browser.open(&server.url(&format!("/?q={}", encode_param(QUERY))));
    assert_eq!(browser.value("#q"), QUERY);
    let shown = browser.js(
        "const pre = document.querySelector('main [role=alert] pre');\
         return pre ? pre.textContent : null;",
    );
    assert_eq!(
        shown.as_str().and_then(|text| text.lines().next()),
        Some(QUERY),
        "the query, with a caret under the column at fault"
    );
    browser.assert_inert("the error page of a hostile query");

    // Quoted, it can: in the status line and in every article link.
    let query = format!("alert -{QUERY}\"");
    browser.open(&server.url(&format!("/?q={}", encode_param(&query))));
    let page = ResultsPage::read(&browser);
    page.assert_shows(
        &server.json(&format!("/api/search?q={}&limit=10", encode_param(&query))),
        &query,
    );
    assert_eq!(page.hits.len(), 2);
    assert!(
        page.status_text()
            .contains(&format!("\u{201c}{query}\u{201d}")),
        "{}",
        page.status
    );
    assert_eq!(browser.value("#q"), query);
    browser.assert_inert("hits of a hostile query");

    // The hostile article, reached with the hostile query.
    let at = page
        .hits
        .iter()
        .position(|hit| hit.id == "news/hostile.txt")
        .expect("a hit");
    browser.click_nth("ol.hits > li h3 > a", at);
    browser.wait_for_page("the hostile article", |url| {
        url_path(url).starts_with("/articles/")
    });
    let shown = ArticlePage::read(&browser);
    shown.assert_shows(&server.json("/api/articles/news%2Fhostile.txt"), &query);
    assert_eq!(shown.headline, HEADLINE);
    assert_eq!(shown.title, format!("{HEADLINE} \u{b7} dateline"));
    assert_eq!(shown.copies, ["news/hostile-copy.txt"]);
    assert_eq!(browser.value("#q"), query);
    browser.assert_inert("the hostile article");

    // The other article lists it among related articles, as text.
    browser.open(&server.url("/articles/news%2Fplain.txt"));
    let shown = ArticlePage::read(&browser);
    assert_eq!(shown.related, [HEADLINE]);
    browser.assert_inert("an article related to the hostile one");
}

/// Reuters-21578 (../shared), a search with many pages and a long chart;
/// the screenshot in the README is of this page.
#[test]
fn reuters_cocoa_pages_and_chart() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let Some(dl) = reuters_index() else { return };
    let axe = Axe::load();
    let server = Server::start(dl.index_dir());

    browser.open(&server.url("/?q=cocoa"));
    let first = ResultsPage::read(&browser);
    let json = server.json("/api/search?q=cocoa&limit=10");
    first.assert_shows(&json, "cocoa");
    // (Near-copies folded: the page counts, pages and charts stories.)
    let matched = json["stories"]
        .as_u64()
        .map_or(total(&json), |stories| stories as usize);
    assert!(matched > 20, "cocoa is in {matched} Reuters stories");
    assert_eq!(
        first.position.as_deref(),
        Some(format!("1\u{2013}10 of {matched}").as_str())
    );
    // Each bar counts the matches of its period, and all of them are there
    // (Reuters articles all have dates).
    assert!(
        first.bars.len() > 1 && first.bars.len() <= 60,
        "{}",
        first.bars.len()
    );
    assert_eq!(
        first.bars.iter().map(|bar| bar.count).sum::<usize>(),
        matched
    );
    if let Some(path) = std::env::var_os("DATELINE_SCREENSHOT") {
        let png = browser.screenshot();
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG");
        std::fs::write(&path, png).expect("write the screenshot");
        eprintln!("the results page is in {}", Path::new(&path).display());
    }
    axe.check(&browser, "Reuters results for cocoa");

    // Next and Back.
    browser.click_nth("nav.pages a[rel=next]", 0);
    browser.wait_for_page("page 2", |url| {
        url_params(url).get("page").map(String::as_str) == Some("2")
    });
    let second = ResultsPage::read(&browser);
    second.assert_shows(
        &server.json("/api/search?q=cocoa&limit=10&offset=10"),
        "cocoa",
    );
    assert_eq!(
        second.position.as_deref(),
        Some(format!("11\u{2013}20 of {matched}").as_str())
    );
    browser.back();
    browser.wait_for_page("Back to page 1", |url| {
        !url_params(url).contains_key("page")
    });
    assert_eq!(ResultsPage::read(&browser).hits, first.hits);

    // The tallest bar narrows the search to its period, with its count.
    let tallest = (0..first.bars.len())
        .max_by_key(|&i| (first.bars[i].count, std::cmp::Reverse(i)))
        .expect("a bar");
    let bar = &first.bars[tallest];
    browser.click_nth("figure.histogram svg a", tallest);
    let url = browser.wait_for_page("the tallest bar's period", |url| {
        url_params(url).get("from") == Some(&bar.from)
    });
    assert_eq!(
        url_params(&url),
        params(&[("q", "cocoa"), ("from", &bar.from), ("to", &bar.to)])
    );
    let narrowed = ResultsPage::read(&browser);
    narrowed.assert_shows(
        &server.json(&format!(
            "/api/search?q=cocoa&from={}&to={}&limit=10",
            bar.from, bar.to
        )),
        "cocoa",
    );
    assert_eq!(narrowed.count, Some(bar.count), "the bar's count");
    for hit in &narrowed.hits {
        let date = hit.date.as_deref().expect("a date");
        assert!(
            bar.from.as_str() <= date && date <= bar.to.as_str(),
            "{date} in {bar:?}"
        );
    }
}

// ---------------------------------------------------------------------------
// What the pages show, read from the DOM

/// A results page as the browser has it.
#[derive(Debug, Deserialize)]
struct ResultsPage {
    status: String,
    /// The number in the status line.
    count: Option<usize>,
    /// `start` of the list: the rank of its first hit.
    start: Option<usize>,
    hits: Vec<ShownHit>,
    /// "11–20 of 345" under the list.
    position: Option<String>,
    next: Option<String>,
    prev: Option<String>,
    bars: Vec<Bar>,
    /// Rows of the chart's table for screen readers.
    table_rows: usize,
}

/// One hit in the list.
#[derive(Debug, PartialEq, Deserialize)]
struct ShownHit {
    id: String,
    href: String,
    headline: String,
    headline_marks: Vec<String>,
    date: Option<String>,
    snippet: String,
    snippet_marks: Vec<String>,
}

/// A bar of the chart: its link and its `<title>` ("1987-03: 12 (1987-03-01
/// to 1987-03-31)").
#[derive(Debug, Deserialize)]
struct Bar {
    href: String,
    tabindex: String,
    label: String,
    count: usize,
    from: String,
    to: String,
}

const READ_RESULTS: &str = r#"
const text = (el) => (el ? el.textContent : null);
const marks = (el) => (el ? Array.from(el.querySelectorAll("mark"), (m) => m.textContent) : []);
const attr = (selector, name) => {
  const el = document.querySelector(selector);
  return el ? el.getAttribute(name) : null;
};
const count = text(document.querySelector("main p.status[role=status] .count"));
return {
  status: text(document.querySelector("main p.status[role=status]")) || "",
  count: count === null ? null : Number(count.replace(/,/g, "")),
  start: document.querySelector("ol.hits") ? Number(attr("ol.hits", "start")) : null,
  hits: Array.from(document.querySelectorAll("ol.hits > li"), (li) => {
    const link = li.querySelector("h3 > a");
    const snippet = li.querySelector("p.snippet");
    const time = li.querySelector("p.meta time");
    return {
      id: text(li.querySelector("p.meta code.id")),
      href: link.getAttribute("href"),
      headline: link.textContent,
      headline_marks: marks(link),
      date: time ? time.getAttribute("datetime") : null,
      snippet: snippet ? snippet.textContent : "",
      snippet_marks: marks(snippet),
    };
  }),
  position: text(document.querySelector("nav.pages p.position")),
  next: attr("nav.pages a[rel=next]", "href"),
  prev: attr("nav.pages a[rel=prev]", "href"),
  bars: Array.from(document.querySelectorAll("figure.histogram svg a"), (a) => {
    const title = text(a.querySelector("rect.bar title")) || "";
    const parts = /^(.*): (\d+) \((\S+)(?: to (\S+))?\)$/.exec(title);
    if (!parts) {
      throw new Error("a bar's title is not LABEL: COUNT (RANGE): " + title);
    }
    return {
      href: a.getAttribute("href"),
      tabindex: a.getAttribute("tabindex") || "",
      label: parts[1],
      count: Number(parts[2]),
      from: parts[3],
      to: parts[4] || parts[3],
    };
  }),
  table_rows: document.querySelectorAll("table.counts tbody tr").length,
};
"#;

impl ResultsPage {
    #[track_caller]
    fn read(browser: &Browser) -> ResultsPage {
        serde_json::from_value(browser.js(READ_RESULTS)).expect("the results page as read")
    }

    /// The status line with its runs of white space made one space.
    fn status_text(&self) -> String {
        self.status.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// Panics unless the page shows what the JSON API answers for the same
    /// search: the total, each hit in order with its headline, date,
    /// snippet and link, and `<mark>`s around exactly the highlighted
    /// ranges. Each headline links to its article with `query`.
    #[track_caller]
    fn assert_shows(&self, json: &Value, query: &str) {
        // (Stories, when near-copies were folded.)
        let total = json["stories"]
            .as_u64()
            .map_or(total(json), |stories| stories as usize);
        assert_eq!(self.count, Some(total), "the count in {:?}", self.status);
        let offset = json["offset"].as_u64().expect("offset") as usize;
        if total > 0 {
            assert_eq!(self.start, Some(offset + 1), "the list starts at its rank");
        }
        assert_eq!(self.hits.len(), hits(json).len(), "hits shown");
        for (shown, hit) in self.hits.iter().zip(hits(json)) {
            let id = hit["id"].as_str().expect("an id");
            assert_eq!(shown.id, id);
            let headline = hit["headline"].as_str().expect("a headline");
            if headline.trim().is_empty() {
                assert_eq!(shown.headline, "(no headline)");
            } else {
                assert_eq!(shown.headline, headline, "{id}'s headline");
                assert_eq!(
                    shown.headline_marks,
                    highlighted_words(hit, "headline", "headline_highlights"),
                    "the marks in {id}'s headline"
                );
            }
            assert_eq!(shown.date.as_deref(), hit["date"].as_str(), "{id}'s date");
            assert_eq!(shown.snippet, hit["snippet"].as_str().expect("a snippet"));
            assert_eq!(
                shown.snippet_marks,
                highlighted_words(hit, "snippet", "highlights"),
                "the marks in {id}'s snippet"
            );
            let (linked, with) = article_href(&shown.href);
            assert_eq!(linked, id, "{id}'s link: {}", shown.href);
            let query = query.trim();
            let expected = (!query.is_empty()).then(|| query.to_string());
            assert_eq!(with, expected, "the query in {id}'s link: {}", shown.href);
        }
    }
}

/// An article page as the browser has it.
#[derive(Debug, Deserialize)]
struct ArticlePage {
    title: String,
    headline: String,
    headline_marks: Vec<String>,
    date: Option<String>,
    body: String,
    body_marks: Vec<String>,
    /// The headlines of the related articles listed.
    related: Vec<String>,
    /// Their links.
    related_links: Vec<String>,
    /// The ids under "Also found as".
    copies: Vec<String>,
    /// The link to the article's JSON.
    json: Option<String>,
    /// The link back to the search.
    back: Option<String>,
}

const READ_ARTICLE: &str = r##"
const text = (el) => (el ? el.textContent : null);
const marks = (el) => (el ? Array.from(el.querySelectorAll("mark"), (m) => m.textContent) : []);
const h1 = document.querySelector("main article.whole h1");
const body = document.querySelector("main article.whole div.body");
const time = document.querySelector("main article.whole p.meta time");
const related = document.querySelector("#related-heading");
const links = related ? Array.from(related.parentElement.querySelectorAll("li > a")) : [];
const copies = document.querySelector("#copies-heading");
const json = Array.from(document.querySelectorAll("footer a")).find((a) => a.textContent === "This page as JSON");
const back = Array.from(document.querySelectorAll("main p > a")).find((a) => a.textContent.includes("Back to the search"));
return {
  title: document.title,
  headline: text(h1),
  headline_marks: marks(h1),
  date: time ? time.getAttribute("datetime") : null,
  body: text(body),
  body_marks: marks(body),
  related: links.map((a) => a.textContent),
  related_links: links.map((a) => a.getAttribute("href")),
  copies: copies
    ? Array.from(copies.parentElement.querySelectorAll("li > code:first-child"), (c) => c.textContent)
    : [],
  json: json ? json.getAttribute("href") : null,
  back: back ? back.getAttribute("href") : null,
};
"##;

impl ArticlePage {
    #[track_caller]
    fn read(browser: &Browser) -> ArticlePage {
        serde_json::from_value(browser.js(READ_ARTICLE)).expect("the article page as read")
    }

    /// Panics unless the page shows the article `/api/articles/ID` gives,
    /// whole, with its copies and its JSON link, every mark one of
    /// `query`'s words, and links to related articles.
    #[track_caller]
    fn assert_shows(&self, article: &Value, query: &str) {
        let id = article["id"].as_str().expect("an id");
        assert_eq!(
            self.headline,
            article["headline"].as_str().expect("a headline")
        );
        assert_eq!(self.date.as_deref(), article["date"].as_str());
        assert_eq!(self.body, article["body"].as_str().expect("a body"));
        let copies: Vec<&str> = article["copies"]
            .as_array()
            .expect("copies")
            .iter()
            .map(|copy| copy["id"].as_str().expect("a copy's id"))
            .collect();
        assert_eq!(self.copies, copies, "Also found as");
        assert_eq!(
            self.json.as_deref(),
            Some(format!("/api/articles/{}", encode_segment(id)).as_str())
        );
        let words: Vec<String> = query
            .split(|c: char| !c.is_alphanumeric())
            .filter(|word| !word.is_empty())
            .map(fold)
            .collect();
        for mark in self.headline_marks.iter().chain(&self.body_marks) {
            let folded = fold(mark);
            assert!(
                words.iter().any(|word| folded.starts_with(word.as_str())),
                "{mark:?} is marked, which is none of {query:?}'s words"
            );
        }
        for link in &self.related_links {
            let (related, with) = article_href(link);
            assert_ne!(related, id, "an article is not related to itself");
            assert_eq!(with, None, "a related article's link carries no query");
        }
    }
}

// ---------------------------------------------------------------------------
// URLs

/// An id as one segment of a path: everything but `A-Za-z0-9-._~` escaped.
fn encode_segment(id: &str) -> String {
    percent_encoding::utf8_percent_encode(id, SEGMENT).to_string()
}

const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A parameter's value as a form would send it.
fn encode_param(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// The path of a URL (`http://host/path?query`).
fn url_path(url: &str) -> &str {
    let after_host = url
        .split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|at| &rest[at..]))
        .unwrap_or(url);
    after_host.split(['?', '#']).next().unwrap_or_default()
}

/// The non-empty parameters of a URL (a form sends empty fields too, and
/// the server takes those as not given).
fn url_params(url: &str) -> BTreeMap<String, String> {
    let query = url.split_once('?').map_or("", |(_, query)| query);
    let query = query.split('#').next().unwrap_or_default();
    form_urlencoded::parse(query.as_bytes())
        .filter(|(_, value)| !value.is_empty())
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect()
}

fn params(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect()
}

/// The id an article link points at, and the query it carries: the id
/// must be one segment of the path.
#[track_caller]
fn article_href(href: &str) -> (String, Option<String>) {
    let rest = href
        .strip_prefix("/articles/")
        .unwrap_or_else(|| panic!("not an article link: {href}"));
    let (segment, query) = rest.split_once('?').unwrap_or((rest, ""));
    assert!(!segment.contains('/'), "the id is one segment: {href}");
    let id = percent_decode_str(segment)
        .decode_utf8()
        .expect("an id in UTF-8")
        .into_owned();
    let with = form_urlencoded::parse(query.as_bytes())
        .find(|(name, _)| name == "q")
        .map(|(_, value)| value.into_owned());
    (id, with)
}

// ---------------------------------------------------------------------------
// The server

/// `dateline serve` on a port the system chooses, stopped on drop.
struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`, without the last `/`.
    base: String,
    /// Kept open: the server's stdout goes on existing.
    _stdout: BufReader<ChildStdout>,
    agent: ureq::Agent,
}

impl Server {
    /// Starts `dateline --index INDEX serve --addr 127.0.0.1:0` and reads
    /// where it listens from the first line it prints.
    #[track_caller]
    fn start(index: &Path) -> Server {
        let mut command = Command::new(env!("CARGO_BIN_EXE_dateline"));
        command
            .current_dir(root())
            .arg("--index")
            .arg(index)
            .args(["serve", "--addr", "127.0.0.1:0"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for var in READ_BY_DATELINE {
            command.env_remove(var);
        }
        let mut child = command.spawn().expect("start dateline serve");
        let mut stdout = BufReader::new(child.stdout.take().expect("its stdout"));
        let mut line = String::new();
        let read = stdout.read_line(&mut line);
        let base = line
            .rfind(" at http://")
            .and_then(|at| line[at + 4..].split_whitespace().next())
            .map(|url| url.trim_end_matches('/').to_string());
        let Some(base) = base.filter(|_| read.is_ok()) else {
            let _ = child.kill();
            let _ = child.wait();
            let mut stderr = String::new();
            if let Some(mut pipe) = child.stderr.take() {
                let _ = pipe.read_to_string(&mut stderr);
            }
            panic!("dateline serve did not say where it listens: {line:?}\nstderr: {stderr}");
        };
        let agent = ureq::Agent::config_builder()
            .proxy(None)
            .timeout_global(Some(PATIENCE))
            .build()
            .new_agent();
        Server {
            child,
            base,
            _stdout: stdout,
            agent,
        }
    }

    /// The address of `path` (which starts with `/`).
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// `GET path`, which must answer 200 with JSON.
    #[track_caller]
    fn json(&self, path: &str) -> Value {
        let url = self.url(path);
        let mut response = self
            .agent
            .get(&url)
            .call()
            .unwrap_or_else(|e| panic!("GET {url}: {e}"));
        let text = response
            .body_mut()
            .read_to_string()
            .unwrap_or_else(|e| panic!("GET {url}: {e}"));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("GET {url}: not JSON ({e}): {text}"))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ---------------------------------------------------------------------------
// The browser

/// Whether a missing browser or axe-core fails the tests instead of
/// skipping them (CI sets it).
fn required() -> bool {
    std::env::var("DATELINE_REQUIRE_BROWSER").as_deref() == Ok("1")
}

/// Says why a test or a check skips, or fails with it when the browser
/// tests are required.
#[track_caller]
fn missing(what: &str) {
    assert!(
        !required(),
        "{what}, but DATELINE_REQUIRE_BROWSER=1 requires the browser tests"
    );
    eprintln!("skipping: {what}; set DATELINE_REQUIRE_BROWSER=1 to make this a failure");
}

/// A program named by `var`, or else found on PATH as `name`.
fn program(var: &str, name: &str) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(var) {
        let path = PathBuf::from(path);
        return path.is_file().then_some(path);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// Headless Chromium under a chromedriver of its own, with a fresh
/// profile; both stop on drop. Its methods wait for what they do and
/// panic, saying what, when the browser fails.
struct Browser {
    runtime: tokio::runtime::Runtime,
    client: Option<Client>,
    driver: Child,
    /// The profile and chromedriver's stderr.
    scratch: TempDir,
}

impl Browser {
    /// The browser, or `None` (having said why) when chromedriver or
    /// Chromium is not installed and the tests are not required.
    #[track_caller]
    fn start() -> Option<Browser> {
        let Some(chromedriver) = program("DATELINE_CHROMEDRIVER", "chromedriver") else {
            missing(
                "chromedriver not found (Debian: apt-get install chromium chromium-driver; \
                 or set DATELINE_CHROMEDRIVER)",
            );
            return None;
        };
        let Some(chromium) = program("DATELINE_CHROMIUM", "chromium") else {
            missing(
                "Chromium not found (Debian: apt-get install chromium chromium-driver; \
                 or set DATELINE_CHROMIUM)",
            );
            return None;
        };
        let scratch = tempfile::tempdir().expect("a temporary folder");
        let profile = scratch.path().join("profile");
        let log = scratch.path().join("chromedriver.stderr");

        // Port 0: chromedriver takes a free port and says which.
        let mut driver = Command::new(&chromedriver)
            .arg("--port=0")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(File::create(&log).expect("a log file"))
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", chromedriver.display()));
        let stdout = driver.stdout.take().expect("chromedriver's stdout");
        let (lines, said) = mpsc::channel();
        std::thread::spawn(move || {
            // Reads to the end, so chromedriver never blocks on a full pipe.
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                let _ = lines.send(line);
            }
        });
        let port = loop {
            match said.recv_timeout(PATIENCE) {
                Ok(line) => {
                    if let Some(port) = line
                        .split_once("started successfully on port ")
                        .and_then(|(_, rest)| rest.trim_end_matches('.').parse::<u16>().ok())
                    {
                        break port;
                    }
                }
                Err(_) => {
                    let _ = driver.kill();
                    let _ = driver.wait();
                    panic!(
                        "chromedriver did not say on which port it listens; its stderr: {}",
                        std::fs::read_to_string(&log).unwrap_or_default()
                    );
                }
            }
        };

        let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(|f| f.to_string()).collect();
        args.push(format!("--user-data-dir={}", profile.display()));
        let capabilities = json!({
            "browserName": "chrome",
            // A dialog stays open, so that a test can see it.
            "unhandledPromptBehavior": "ignore",
            "timeouts": {
                "pageLoad": PATIENCE.as_millis() as u64,
                "script": PATIENCE.as_millis() as u64,
            },
            "goog:chromeOptions": { "binary": chromium, "args": args },
        });
        let Value::Object(capabilities) = capabilities else {
            unreachable!("an object")
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime");
        let mut browser = Browser {
            runtime,
            client: None,
            driver,
            scratch,
        };
        let mut builder = ClientBuilder::new(HttpConnector::new());
        builder.capabilities(capabilities);
        let address = format!("http://127.0.0.1:{port}");
        let connect = builder.connect(&address);
        let client = match browser
            .runtime
            .block_on(async { tokio::time::timeout(PATIENCE, connect).await })
        {
            Ok(Ok(client)) => client,
            Ok(Err(e)) => panic!("chromedriver cannot start Chromium: {e}{}", browser.log()),
            Err(_) => panic!("Chromium did not start{}", browser.log()),
        };
        browser.client = Some(client);
        Some(browser)
    }

    fn log(&self) -> String {
        let log = std::fs::read_to_string(self.scratch.path().join("chromedriver.stderr"))
            .unwrap_or_default();
        if log.trim().is_empty() {
            String::new()
        } else {
            format!("\nchromedriver's stderr:\n{log}")
        }
    }

    fn client(&self) -> &Client {
        self.client.as_ref().expect("a session")
    }

    /// Runs one WebDriver command to its end.
    #[track_caller]
    fn run<T>(&self, what: &str, command: impl Future<Output = Result<T, CmdError>>) -> T {
        match self.runtime.block_on(command) {
            Ok(value) => value,
            Err(e) => panic!("{what}: {e}"),
        }
    }

    /// Goes to `url` and waits for the page to load.
    #[track_caller]
    fn open(&self, url: &str) {
        // Navigation returns once the page has loaded.
        self.run(&format!("open {url}"), self.client().goto(url));
    }

    fn current_url(&self) -> String {
        self.run("read the URL", self.client().current_url())
            .to_string()
    }

    /// Waits until the URL is one `wanted` accepts and its page has loaded,
    /// then returns the URL.
    #[track_caller]
    fn wait_for_page(&self, what: &str, wanted: impl Fn(&str) -> bool) -> String {
        let started = Instant::now();
        loop {
            let url = self.current_url();
            if wanted(&url) && self.js("return document.readyState;") == "complete" {
                return url;
            }
            assert!(
                started.elapsed() < PATIENCE,
                "waited {} s for {what}; the browser is at {url}",
                PATIENCE.as_secs()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The value `script` returns (the body of a function).
    #[track_caller]
    fn js(&self, script: &str) -> Value {
        self.run("run a script", self.client().execute(script, Vec::new()))
    }

    /// Clicks the `n`th element `css` selects.
    #[track_caller]
    fn click_nth(&self, css: &str, n: usize) {
        let found = self.run(
            &format!("find {css}"),
            self.client().find_all(Locator::Css(css)),
        );
        let element = found
            .get(n)
            .unwrap_or_else(|| panic!("{css}: {} found, not {}", found.len(), n + 1));
        self.run(&format!("click {css} #{n}"), element.click());
    }

    /// Types `keys` into whatever has the focus, as a keyboard would.
    #[track_caller]
    fn type_keys(&self, keys: &str) {
        let mut actions = KeyActions::new("keyboard".to_string());
        for key in keys.chars() {
            actions = actions
                .then(KeyAction::Down { value: key })
                .then(KeyAction::Up { value: key });
        }
        self.run(
            &format!("type {keys:?}"),
            self.client().perform_actions(actions),
        );
    }

    /// Back in the history.
    #[track_caller]
    fn back(&self) {
        self.run("go back", self.client().back());
    }

    /// The id of the element with the focus ("" for none).
    #[track_caller]
    fn focused_id(&self) -> String {
        self.js("const el = document.activeElement; return el && el.id ? el.id : '';")
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// The value of the form field `css` selects.
    #[track_caller]
    fn value(&self, css: &str) -> String {
        let script = format!(
            "const el = document.querySelector({}); return el ? el.value : null;",
            json!(css)
        );
        match self.js(&script) {
            Value::String(value) => value,
            other => panic!("no field {css}: {other}"),
        }
    }

    fn screenshot(&self) -> Vec<u8> {
        self.run("take a screenshot", self.client().screenshot())
    }

    /// Panics if the page put up a dialog or holds an element that text
    /// from an article or a query could have made: every script is the
    /// page's own, and there is no image, no `<b>` and no event handler
    /// attribute.
    #[track_caller]
    fn assert_inert(&self, what: &str) {
        match self.runtime.block_on(self.client().get_alert_text()) {
            Err(e) if e.is_no_such_alert() => {}
            Ok(text) => panic!("{what}: a dialog is open: {text:?}"),
            Err(e) => panic!("{what}: is a dialog open? {e}"),
        }
        let found = self.js(r#"
            const handlers = Array.from(document.querySelectorAll("*")).filter((el) =>
              Array.from(el.attributes).some((a) => a.name.startsWith("on")));
            return {
              scripts: Array.from(document.scripts, (s) => s.getAttribute("src")),
              images: document.images.length,
              bold: document.querySelectorAll("b").length,
              handlers: handlers.map((el) => el.outerHTML),
            };"#);
        assert_eq!(
            found,
            json!({
                "scripts": ["/assets/keys.js"],
                "images": 0,
                "bold": 0,
                "handlers": [],
            }),
            "{what}: an element came from text"
        );
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Ends the session, which stops Chromium; then chromedriver.
        if let Some(client) = self.client.take() {
            let _ = self
                .runtime
                .block_on(async { tokio::time::timeout(PATIENCE, client.close()).await });
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

// ---------------------------------------------------------------------------
// axe-core

/// axe-core's script (`npm ci --prefix tests/browser`, or the file
/// `DATELINE_AXE_JS` names), or `None` when it is not installed.
struct Axe(Option<String>);

impl Axe {
    #[track_caller]
    fn load() -> Axe {
        let path = std::env::var_os("DATELINE_AXE_JS").map_or_else(
            || root().join("tests/browser/node_modules/axe-core/axe.min.js"),
            PathBuf::from,
        );
        match std::fs::read_to_string(&path) {
            Ok(source) => Axe(Some(source)),
            Err(e) => {
                missing(&format!(
                    "no accessibility checks: axe-core is not at {} ({e}); \
                     run npm ci --prefix tests/browser",
                    path.display()
                ));
                Axe(None)
            }
        }
    }

    /// Runs axe-core's WCAG 2.0 and 2.1 A and AA rules on the page the
    /// browser shows, and panics listing every serious or critical
    /// violation.
    #[track_caller]
    fn check(&self, browser: &Browser, what: &str) {
        let Some(source) = &self.0 else { return };
        // Scripts from WebDriver are not held to the page's
        // Content-Security-Policy.
        browser.js(source);
        let result = browser.run(
            &format!("run axe-core on {what}"),
            browser.client().execute_async(
                r#"
                const done = arguments[arguments.length - 1];
                axe.run(document, {
                  runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
                  resultTypes: ["violations"],
                }).then(
                  (results) => done({ violations: results.violations }),
                  (error) => done({ error: String(error) }),
                );"#,
                Vec::new(),
            ),
        );
        assert!(
            result["error"].is_null(),
            "axe-core on {what}: {}",
            result["error"]
        );
        let violations = result["violations"].as_array().expect("violations");
        let serious: Vec<String> = violations
            .iter()
            .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
            .map(|v| {
                let nodes: Vec<String> = v["nodes"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|node| format!("    {} {}", node["target"], node["failureSummary"]))
                    .collect();
                format!(
                    "{} ({}): {}\n{}",
                    v["id"].as_str().unwrap_or("?"),
                    v["impact"].as_str().unwrap_or("?"),
                    v["help"].as_str().unwrap_or("?"),
                    nodes.join("\n")
                )
            })
            .collect();
        assert!(
            serious.is_empty(),
            "axe-core finds serious WCAG A/AA violations on {what}:\n{}",
            serious.join("\n")
        );
    }
}
