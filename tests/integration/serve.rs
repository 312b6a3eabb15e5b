//! `dateline serve` through real processes: a server started on a
//! temporary index with `--addr 127.0.0.1:0`, spoken to over HTTP (ureq)
//! and over raw TCP (for what an HTTP client will not send: invalid UTF-8,
//! path tricks, requests never finished), its answers compared with what
//! the CLI prints for the same arguments.
//!
//! Nothing here asserts how long anything takes: a server that hangs fails
//! the test after [`PATIENCE`], and waiting for something to happen (a new
//! commit, a process to stop) polls until it does.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use flate2::write::GzEncoder;
use flate2::Compression;
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use serde_json::Value;

use crate::common::*;
use crate::query_torture::hostile;

// ---------------------------------------------------------------------------
// A server, and what it answers

/// Longer than anything a server should take to answer or to stop: a hang
/// fails the test instead of stalling the run.
const PATIENCE: Duration = Duration::from_secs(120);

/// The Content-Security-Policy every answer carries starts with this.
const CSP: &str = "default-src 'self'";

/// One answer: its status, its headers (names lower-cased) and its body.
#[derive(Debug)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(seen, _)| seen == name)
            .map(|(_, value)| value.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    #[track_caller]
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    /// Panics unless this is the API's refusal with `status`: a JSON
    /// object of one key, `error`, a one-line sentence. Returns it.
    #[track_caller]
    fn error(&self, status: u16) -> String {
        assert_eq!(self.status, status, "{}", self.text());
        assert_eq!(
            self.header("content-type"),
            Some("application/json"),
            "{}",
            self.text()
        );
        let json = self.json();
        let object = json.as_object().expect("an object");
        assert_eq!(object.len(), 1, "only `error`: {json}");
        let message = json["error"].as_str().expect("error is a string");
        assert!(!message.is_empty() && !message.contains('\n'), "{json}");
        message.to_string()
    }
}

/// A running `dateline serve`, killed when dropped.
struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`, without the final `/`.
    base: String,
    addr: SocketAddr,
    /// Everything the server has written to stderr so far.
    stderr: Arc<Mutex<Vec<u8>>>,
    agent: ureq::Agent,
}

/// A server that would not start: its exit code and what it said.
#[derive(Debug)]
struct NotStarted {
    code: Option<i32>,
    stderr: String,
}

impl Server {
    /// `dateline serve --index INDEX --addr 127.0.0.1:0 ARGS…` (no
    /// `--addr` added when `args` has one), once it listens.
    #[track_caller]
    fn start(index: &Path, args: &[&str]) -> Server {
        Server::try_start(index, args)
            .unwrap_or_else(|failed| panic!("dateline serve did not start: {failed:?}"))
    }

    fn try_start(index: &Path, args: &[&str]) -> Result<Server, NotStarted> {
        let mut command = Command::new(env!("CARGO_BIN_EXE_dateline"));
        command.current_dir(root());
        for var in READ_BY_DATELINE {
            command.env_remove(var);
        }
        command.arg("serve").arg("--index").arg(index);
        if !args.contains(&"--addr") {
            command.args(["--addr", "127.0.0.1:0"]);
        }
        command
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().expect("start dateline serve");
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let drain = {
            let mut pipe = child.stderr.take().expect("stderr piped");
            let sink = Arc::clone(&stderr);
            thread::spawn(move || {
                let mut buffer = [0; 4096];
                while let Ok(n @ 1..) = pipe.read(&mut buffer) {
                    sink.lock().unwrap().extend_from_slice(&buffer[..n]);
                }
            })
        };
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout piped"));
        let mut first = String::new();
        stdout.read_line(&mut first).expect("read serve's stdout");
        if first.is_empty() {
            // It exited without listening.
            let status = child.wait().expect("wait for serve");
            drain.join().expect("read serve's stderr");
            let stderr = String::from_utf8_lossy(&stderr.lock().unwrap()).into_owned();
            return Err(NotStarted {
                code: status.code(),
                stderr,
            });
        }
        thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
        // `dateline: serving DIR at http://127.0.0.1:PORT/ (Ctrl-C stops)`
        let prefix = format!("dateline: serving {} at http://", index.display());
        let address = first
            .strip_prefix(&prefix)
            .and_then(|rest| rest.strip_suffix("/ (Ctrl-C stops)\n"))
            .unwrap_or_else(|| panic!("first line: {first:?}"));
        let mut addr: SocketAddr = address.parse().expect("an address and port");
        assert_ne!(addr.port(), 0, "{first:?}");
        if addr.ip().is_unspecified() {
            addr.set_ip(Ipv4Addr::LOCALHOST.into());
        }
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(PATIENCE))
            .build()
            .into();
        Ok(Server {
            child,
            base: format!("http://{addr}"),
            addr,
            stderr,
            agent,
        })
    }

    /// `GET path` (path and query string, already encoded).
    #[track_caller]
    fn get(&self, path: &str) -> Reply {
        self.get_with(path, &[])
    }

    #[track_caller]
    fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Reply {
        let mut request = self.agent.get(format!("{}{path}", self.base));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        reply(request.call(), path)
    }

    /// `POST path` with a form body.
    #[track_caller]
    fn post_form(&self, path: &str, form: &str) -> Reply {
        let request = self
            .agent
            .post(format!("{}{path}", self.base))
            .header("Content-Type", "application/x-www-form-urlencoded");
        reply(request.send(form), path)
    }

    /// `OPTIONS path` with these headers.
    #[track_caller]
    fn options(&self, path: &str, headers: &[(&str, &str)]) -> Reply {
        let mut request = self.agent.options(format!("{}{path}", self.base));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        reply(request.call(), path)
    }

    /// Sends these bytes on a connection of their own and reads what comes
    /// back until the server closes it (a request should say `Connection:
    /// close`). `None` when it closed without answering.
    #[track_caller]
    fn raw(&self, request: &[u8]) -> Option<Reply> {
        let mut stream = TcpStream::connect(self.addr).expect("connect to the server");
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        // The server may answer and close before it has read everything
        // (a request too long): then the write fails and the answer is
        // still there to read.
        let _ = stream.write_all(request);
        let mut bytes = Vec::new();
        if let Err(err) = stream.read_to_end(&mut bytes) {
            assert!(
                !matches!(
                    err.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ),
                "no answer within {PATIENCE:?} to {:?}",
                String::from_utf8_lossy(&request[..request.len().min(200)])
            );
            // A reset after the answer: what was read is the answer.
        }
        parse_raw(&bytes)
    }

    /// Sends bytes that are not a whole request, then closes the sending
    /// side: the server answers them or closes the connection.
    #[track_caller]
    fn raw_then_close(&self, bytes: &[u8]) -> Option<Reply> {
        let mut stream = TcpStream::connect(self.addr).expect("connect to the server");
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        let _ = stream.write_all(bytes);
        let _ = stream.shutdown(std::net::Shutdown::Write);
        let mut answer = Vec::new();
        if let Err(err) = stream.read_to_end(&mut answer) {
            assert!(
                !matches!(
                    err.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ),
                "no answer within {PATIENCE:?}"
            );
        }
        parse_raw(&answer)
    }

    /// `GET target` as raw bytes, `Connection: close`.
    #[track_caller]
    fn raw_get(&self, target: &[u8]) -> Option<Reply> {
        let mut request = b"GET ".to_vec();
        request.extend_from_slice(target);
        request.extend_from_slice(b" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        self.raw(&request)
    }

    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.stderr.lock().unwrap()).into_owned()
    }

    fn is_running(&mut self) -> bool {
        self.child
            .try_wait()
            .expect("ask after the server")
            .is_none()
    }

    /// `kill -TERM`, then the exit status (which must come).
    #[track_caller]
    fn terminate(&mut self) -> ExitStatus {
        let killed = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(killed.success(), "kill -TERM failed");
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().expect("ask after the server") {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "the server did not stop within {PATIENCE:?} of SIGTERM: {}",
                self.stderr()
            );
            thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[track_caller]
fn reply(result: Result<ureq::http::Response<ureq::Body>, ureq::Error>, what: &str) -> Reply {
    let mut response = result.unwrap_or_else(|e| panic!("{what}: {e}"));
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_string(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect();
    let body = response
        .body_mut()
        .with_config()
        .limit(64 << 20)
        .read_to_vec()
        .unwrap_or_else(|e| panic!("{what}: reading the body: {e}"));
    Reply {
        status,
        headers,
        body,
    }
}

/// An answer as bytes off the wire: status line, headers, body (left as
/// sent: these answers are read for their status and what they hold).
fn parse_raw(bytes: &[u8]) -> Option<Reply> {
    if bytes.is_empty() {
        return None;
    }
    let end = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no end of head in {:?}", String::from_utf8_lossy(bytes)));
    let head = String::from_utf8_lossy(&bytes[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status = status_line
        .strip_prefix("HTTP/1.1 ")
        .and_then(|rest| rest.get(..3))
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("status line {status_line:?}"));
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_string()))
        .collect();
    Some(Reply {
        status,
        headers,
        body: bytes[end + 4..].to_vec(),
    })
}

// ---------------------------------------------------------------------------
// URLs and the command lines they stand for

/// `?name=value&…`, each pair encoded as a form encodes it; empty for no
/// pairs.
fn query(params: &[(&str, &str)]) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (name, value) in params {
        out.append_pair(name, value);
    }
    let query = out.finish();
    if query.is_empty() {
        query
    } else {
        format!("?{query}")
    }
}

/// An id as one segment of a path: `/`, `#`, `:` and all but letters and
/// digits escaped.
fn segment(id: &str) -> String {
    utf8_percent_encode(id, NON_ALPHANUMERIC).to_string()
}

/// The command line for these parameters: `--snippet-chars=40` for
/// `snippet_chars=40` (with `=`, so that a value may start with `-`), and
/// the query (`q`, or an id) last, after `--`.
fn cli_args(command: &str, params: &[(&str, &str)], last: Option<&str>) -> Vec<String> {
    let mut args = vec![command.to_string(), "--json".to_string()];
    let mut words = last.map(str::to_string);
    for (name, value) in params {
        match *name {
            "q" => words = Some(value.to_string()),
            _ => args.push(format!("--{}={value}", name.replace('_', "-"))),
        }
    }
    if let Some(words) = words {
        args.push("--".to_string());
        args.push(words);
    }
    args
}

/// A document with its `took_ms` value made 0: the one value in which the
/// API and the CLI may differ.
fn without_took(text: &str) -> String {
    const KEY: &str = "\"took_ms\":";
    let Some(at) = text.find(KEY) else {
        return text.to_string();
    };
    let start = at + KEY.len();
    let end = text[start..]
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E')))
        .map_or(text.len(), |n| start + n);
    format!("{}0{}", &text[..start], &text[end..])
}

/// Panics unless the API's answer is the CLI's document, byte for byte
/// and as JSON, apart from the value of `took_ms`.
#[track_caller]
fn assert_same_document(what: &str, api: &Reply, cli: &Run) {
    assert_eq!(api.status, 200, "{what}: {}", api.text());
    assert_eq!(api.header("content-type"), Some("application/json"));
    assert!(
        matches!(cli.code, Some(0 | 1)),
        "{what}: the CLI failed: {}",
        cli.stderr
    );
    let body = String::from_utf8(api.body.clone()).expect("the body is UTF-8");
    assert_eq!(
        body.contains("\"took_ms\":"),
        cli.stdout.contains("\"took_ms\":"),
        "{what}: took_ms in one only"
    );
    assert_eq!(
        without_took(&body),
        without_took(&cli.stdout),
        "{what}: the API's body is not the CLI's document"
    );
    let parsed = |text: &str| {
        let mut json: Value = serde_json::from_str(text).expect("JSON");
        if let Some(object) = json.as_object_mut() {
            object.remove("took_ms");
        }
        json
    };
    assert_eq!(parsed(&body), parsed(&cli.stdout), "{what}");
}

/// Asks the API and the CLI the same thing: when the CLI prints a
/// document, the API answers 200 with it; when the CLI refuses with a
/// sentence, the API answers 400 with that sentence (without the CLI's
/// pointer to `--help`). Returns the API's answer.
#[track_caller]
fn same_answer(server: &Server, dl: &Dateline, endpoint: &str, params: &[(&str, &str)]) -> Reply {
    let api = server.get(&format!("/api/{endpoint}{}", query(params)));
    let cli = dl.run(&cli_args(endpoint, params, None));
    let what = format!("/api/{endpoint} {params:?}");
    if cli.code == Some(2) {
        let line = cli.expect_error();
        let sentence = line.strip_prefix("dateline: ").expect("the CLI's prefix");
        let sentence = sentence.strip_suffix(" (see --help)").unwrap_or(sentence);
        assert_eq!(api.error(400), sentence, "{what}");
    } else {
        assert_same_document(&what, &api, &cli);
    }
    api
}

// ---------------------------------------------------------------------------
// Indexes of the tests' own

/// A headline made of markup, which every page must show as text.
const MARKUP_HEADLINE: &str = "<script>alert(1)</script> & <b>";
/// A query made to break out of an attribute.
const MARKUP_QUERY: &str = "\"><img src=x onerror=alert(1)>";

/// An index of its own: the fixture archive and, in `extra/`, an article
/// whose headline is [`MARKUP_HEADLINE`] (id `extra/markup.txt`) and a
/// `.tar.gz` whose member has the id `extra/bundle.tar.gz::news/ferry.txt`.
fn markup_index() -> Dateline {
    let dl = Dateline::new();
    let extra = dl.scratch().join("extra");
    std::fs::create_dir_all(&extra).unwrap();
    std::fs::write(
        extra.join("markup.txt"),
        format!(
            " date 2025-03-18 {MARKUP_HEADLINE}\n\nThe zanzibar ferry <i>sailed</i> at dawn & \
             docked at noon, the harbour master said on Tuesday.\n"
        ),
    )
    .unwrap();
    let member = b" date 2025-03-17 Ferry strike halts zanzibar crossings\n\n\
        Ferry crews walked out on Monday, halting crossings to the islands.\n";
    let mut bundle = tar::Builder::new(Vec::new());
    let mut header = tar::Header::new_gnu();
    header.set_size(member.len() as u64);
    header.set_mode(0o644);
    header.set_cksum();
    bundle
        .append_data(&mut header, "news/ferry.txt", &member[..])
        .unwrap();
    let mut gzip = GzEncoder::new(Vec::new(), Compression::default());
    gzip.write_all(&bundle.into_inner().unwrap()).unwrap();
    std::fs::write(extra.join("bundle.tar.gz"), gzip.finish().unwrap()).unwrap();
    dl.index(&[ARCHIVE, extra.to_str().expect("a UTF-8 path")])
        .expect_code(0);
    dl
}

/// A file of `dir` holding a token, for `--token-file`.
fn token_file(dir: &Path, token: &str) -> PathBuf {
    let path = dir.join("token");
    std::fs::write(&path, format!("{token}\n")).unwrap();
    path
}

// ---------------------------------------------------------------------------
// The API answers what the CLI prints

/// `/api/search` parameters, each a case: every parameter the API takes,
/// alone and together; phrases, fields, fuzzy words and prefixes; pages
/// inside, at the end of and past the results; no match (with and without
/// a suggestion, and with the operators meant).
const SEARCHES: &[&[(&str, &str)]] = &[
    &[("q", "cocoa")],
    // No article has every word: those with most of them answer.
    &[(
        "q",
        "why are cocoa farmers in Ghana worried about rains and chocolate makers",
    )],
    &[("q", "chip"), ("limit", "3")],
    &[("q", "chip"), ("limit", "3"), ("offset", "2")],
    &[("q", "chip"), ("limit", "1000")],
    &[("q", "talks"), ("sort", "newest")],
    &[
        ("q", "talks"),
        ("sort", "oldest"),
        ("limit", "2"),
        ("offset", "1"),
    ],
    &[("q", "talks"), ("sort", "relevance")],
    &[("q", "rate"), ("from", "2024-06"), ("to", "2025")],
    &[("q", "rate"), ("on", "2024")],
    &[("q", "ceasefire"), ("on", "2025-03-17")],
    &[("q", "prices"), ("from", "2024-W10")],
    &[("on", "2025-03")],
    &[
        ("from", "2024-02-01"),
        ("to", "2024-02-29"),
        ("sort", "oldest"),
    ],
    &[("q", "cocoa"), ("snippets", "3"), ("snippet_chars", "40")],
    &[("q", "cocoa"), ("snippet_chars", "10000")],
    &[("q", "\"chip factory\"")],
    &[("q", "ceasefire -monitors")],
    &[("q", "-talks ceasefire")],
    &[("q", "headline:chip")],
    &[("q", "negotiat*")],
    &[("q", "flod~1")],
    &[("q", "talks OR ceasefire"), ("sort", "newest")],
    &[("q", "cocoa"), ("fields", "id,date,headline")],
    &[("q", "cocoa"), ("fields", "rank,score,path,snippet,body")],
    &[("q", "chip"), ("group_by", "month")],
    &[("q", "chip"), ("group_by", "year"), ("fields", "id,group")],
    &[("q", "cocao")],
    &[("q", "talks or ceasefire")],
    &[("q", "zzyzzyx")],
    &[("q", "cocoa"), ("offset", "4")],
    &[("q", "cocoa"), ("offset", "1000000")],
    &[("q", "日本 OR 中国")],
    &[("q", "--from -russia")],
];

#[test]
fn search_answers_what_search_json_prints() {
    let dl = archive_index();
    let server = Server::start(dl.index_dir(), &[]);
    for params in SEARCHES {
        let api = same_answer(&server, dl, "search", params);
        if !params.iter().any(|(name, _)| *name == "fields") {
            check_results_schema(&api.json());
        }
    }
    // The page says when the articles with most of the words answered.
    let page = server.get("/?q=why+are+cocoa+farmers+in+Ghana+worried+about+rains");
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(html.contains("No article has all 9 words of"), "{html}");
    assert!(html.contains("showing those with most of them"), "{html}");
    assert!(html.contains("words that are not stop words"), "{html}");
    // Nothing matched, and the suggestion came with it.
    let api = server.get("/api/search?q=cocao");
    let json = api.json();
    assert_eq!(total(&json), 0);
    assert_eq!(json["suggestion"]["query"], "cocoa", "{json}");
    // An empty value is a parameter not given, as an empty form field is.
    let api = server.get("/api/search?q=cocoa&from=&to=&sort=&limit=");
    assert_same_document(
        "empty values",
        &api,
        &dl.run(&["search", "--json", "--", "cocoa"]),
    );
}

#[test]
fn search_answers_ids_with_hashes_as_the_cli_does() {
    let dl = formats_index();
    let server = Server::start(dl.index_dir(), &[]);
    for params in [
        &[("q", "cocoa")][..],
        &[("q", "nasa"), ("sort", "oldest")],
        &[("from", "1987"), ("to", "1987"), ("limit", "20")],
        &[
            ("q", "the"),
            ("limit", "5"),
            ("offset", "5"),
            ("sort", "newest"),
        ],
    ] {
        same_answer(&server, dl, "search", params);
    }
}

#[test]
fn trend_answers_what_trend_json_prints() {
    let dl = archive_index();
    let server = Server::start(dl.index_dir(), &[]);
    for params in [
        &[("q", "cocoa")][..],
        &[("q", "cocoa"), ("by", "year")],
        &[
            ("q", "chip"),
            ("by", "month"),
            ("from", "2024"),
            ("to", "2025"),
        ],
        &[("q", "talks"), ("on", "2025-03"), ("by", "day")],
        &[("q", "rate"), ("by", "week")],
        &[("from", "2024-01"), ("to", "2024-03"), ("by", "month")],
        &[("q", "zzyzzyx"), ("by", "month")],
        &[("q", "talks OR ceasefire"), ("on", "2025")],
        &[("q", "cocoa"), ("by", "fortnight")],
        &[("q", "cocoa"), ("from", "2025"), ("to", "2024")],
    ] {
        same_answer(&server, dl, "trend", params);
    }
}

#[test]
fn articles_related_and_stats_answer_what_show_related_and_stats_print() {
    let dl = markup_index();
    let server = Server::start(dl.index_dir(), &[]);
    let ids = [
        id("2024/01/cocoa-record-high"),
        "extra/markup.txt".to_string(),
        "extra/bundle.tar.gz::news/ferry.txt".to_string(),
    ];
    for id in &ids {
        let cli = dl.run(&["show", "--json", id]);
        cli.expect_code(0);
        // Every character but letters and digits escaped: `%2F`, `%3A`…
        let encoded = server.get(&format!("/api/articles/{}", segment(id)));
        assert_same_document(id, &encoded, &cli);
        // …or the slashes and colons as they are.
        let plain = server.get(&format!("/api/articles/{id}"));
        assert_same_document(id, &plain, &cli);

        let cli = dl.run(&["related", "--json", id]);
        let api = server.get(&format!("/api/related/{}", segment(id)));
        assert_same_document(id, &api, &cli);
        let params = [("limit", "2"), ("offset", "1"), ("from", "2024-06")];
        let cli = dl.run(&cli_args("related", &params, Some(id)));
        let api = server.get(&format!("/api/related/{}{}", segment(id), query(&params)));
        assert_same_document(id, &api, &cli);
    }
    let cli = dl.run(&["stats", "--json"]);
    cli.expect_code(0);
    assert_same_document("stats", &server.get("/api/stats"), &cli);

    // `#` must be escaped in a URL (it ends the path); the rest may stay.
    let formats = formats_index();
    let server = Server::start(formats.index_dir(), &[]);
    for id in [
        "formats/reuters/sample.sgm#1",
        "formats/mail/three.mbox#1993Apr19.1@jpl.nasa.gov",
    ] {
        let cli = formats.run(&["show", "--json", id]);
        cli.expect_code(0);
        let api = server.get(&format!("/api/articles/{}", segment(id)));
        assert_same_document(id, &api, &cli);
        let api = server.get(&format!("/api/articles/{}", id.replace('#', "%23")));
        assert_same_document(id, &api, &cli);
        let cli = formats.run(&["related", "--json", "-n", "3", id]);
        let api = server.get(&format!("/api/related/{}?limit=3", segment(id)));
        assert_same_document(id, &api, &cli);
    }
}

/// Paging deep into Reuters-21578 (21,000 articles): offsets thousands of
/// hits in, in each order, and past the end.
#[test]
fn deep_pages_of_reuters_answer_what_the_cli_prints() {
    let Some(dl) = reuters_index() else {
        return;
    };
    let server = Server::start(dl.index_dir(), &[]);
    for params in [
        &[("q", "oil"), ("offset", "1000"), ("limit", "20")][..],
        &[("q", "said"), ("offset", "12000"), ("limit", "5")],
        &[
            ("q", "said"),
            ("sort", "newest"),
            ("offset", "15000"),
            ("limit", "5"),
        ],
        &[
            ("q", "said"),
            ("sort", "oldest"),
            ("offset", "9990"),
            ("limit", "10"),
        ],
        &[
            ("from", "1987-03"),
            ("to", "1987-03"),
            ("offset", "5000"),
            ("limit", "10"),
        ],
        &[("q", "said"), ("offset", "1000000")],
        &[("q", "oil"), ("offset", "999990"), ("limit", "1000")],
    ] {
        same_answer(&server, dl, "search", params);
    }
    // Past 10,000 matches the API and the page say "more than", unless
    // the exact count is asked for; the hits are the same either way.
    let rough = server.get("/api/search?q=said&limit=3").json();
    assert_eq!(rough["total"], 10_000, "{rough}");
    assert_eq!(rough["total_exact"], false, "{rough}");
    let exact = server
        .get("/api/search?q=said&limit=3&exact_total=true")
        .json();
    let counted = dl.run(&["search", "--count", "said"]);
    let counted: u64 = counted.stdout.trim().parse().unwrap();
    assert!(counted > 10_000, "{counted}");
    assert_eq!(exact["total"], counted, "{exact}");
    assert_eq!(exact["total_exact"], true, "{exact}");
    assert_eq!(hit_ids(&rough), hit_ids(&exact));
    let message = server
        .get("/api/search?q=said&exact_total=maybe")
        .error(400);
    assert_eq!(message, "exact_total is true or false, not 'maybe'");
    let html = server.get("/?q=said").text();
    assert!(
        html.contains("More than <span class=\"count\">10,000</span> articles match"),
        "{html}"
    );
    assert!(html.contains("1\u{2013}10 of more than 10,000"), "{html}");

    // The page at the same depth shows the same hits.
    let api = server
        .get("/api/search?q=said&sort=oldest&offset=9990&limit=10")
        .json();
    let page = server.get("/?q=said&sort=oldest&page=1000");
    assert_eq!(page.status, 200, "{}", page.text());
    let html = page.text();
    let mut at = 0;
    for id in hit_ids(&api) {
        let found = html[at..]
            .find(&format!("<code class=\"id\">{id}</code>"))
            .unwrap_or_else(|| panic!("{id} is not on page 1000, in order"));
        at += found;
    }
}

// ---------------------------------------------------------------------------
// Refusals

#[test]
fn bad_input_gets_400_and_the_clis_own_sentence() {
    let dl = archive_index();
    let server = Server::start(dl.index_dir(), &[]);
    for params in [
        &[("q", "(unclosed")][..],
        &[("q", "\"unclosed phrase")],
        &[("q", "talks AND")],
        &[("q", "nosuchfield:x")],
        &[("q", "*")],
        &[("q", "cocoa"), ("from", "2025-13")],
        &[("q", "cocoa"), ("on", "2025-02-30")],
        &[("q", "cocoa"), ("from", "yesterday")],
        &[("q", "cocoa"), ("to", "2025/03")],
        &[("q", "cocoa"), ("from", "2025"), ("to", "2024")],
        &[("q", "cocoa"), ("on", "2025"), ("from", "2024")],
        &[("q", "cocoa"), ("sort", "bogus")],
        &[("q", "cocoa"), ("limit", "abc")],
        &[("q", "cocoa"), ("limit", "0")],
        &[("q", "cocoa"), ("offset", "-1")],
        &[("q", "cocoa"), ("offset", "1000001")],
        &[("q", "cocoa"), ("offset", "18446744073709551616")],
        &[("q", "cocoa"), ("snippets", "11")],
        &[("q", "cocoa"), ("snippet_chars", "5")],
        &[("q", "cocoa"), ("fields", "colour")],
        &[("q", "cocoa"), ("fields", "id,id")],
        &[("q", "cocoa"), ("fields", "group")],
        &[("q", "cocoa"), ("group_by", "fortnight")],
    ] {
        let api = same_answer(&server, dl, "search", params);
        assert_eq!(api.status, 400, "{params:?} was not refused");
    }
    // A query's mistake says where it is.
    let message = server.get("/api/search?q=cocoa+(prices").error(400);
    assert!(message.contains("column 7"), "{message}");

    // Unknown ids: 404, in the words of `show`.
    for id in ["nope", "archive/2024/nope.txt", "a#1", "../../etc/passwd"] {
        let cli = dl.run(&["show", "--json", id]);
        cli.expect_code(1);
        let sentence = cli.stderr.trim().strip_prefix("dateline: ").unwrap();
        assert_eq!(sentence, format!("no article with id '{id}'"));
        let api = server.get(&format!("/api/articles/{}", segment(id)));
        assert_eq!(api.error(404), sentence);
        let api = server.get(&format!("/api/related/{}", segment(id)));
        assert_eq!(api.error(404), sentence);
    }
}

#[test]
fn the_servers_limits_are_refused_with_4xx() {
    let dl = archive_index();
    let server = Server::start(dl.index_dir(), &[]);
    let refused = |path: &str, status: u16| -> String { server.get(path).error(status) };

    // Hits per request: 1,000, though the CLI takes 10,000.
    assert_eq!(server.get("/api/search?q=cocoa&limit=1000").status, 200);
    assert!(refused("/api/search?q=cocoa&limit=1001", 400).contains("at most 1,000"));
    assert!(refused("/api/search?q=cocoa&limit=all", 400).contains("at most 1,000"));
    assert!(refused(
        "/api/related/archive%2F2024%2F01%2Fcocoa-record-high.txt?limit=1001",
        400
    )
    .contains("at most 1,000"));
    // The CLI's offset cap.
    assert_eq!(server.get("/api/search?q=cocoa&offset=1000000").status, 200);
    assert!(refused("/api/search?q=cocoa&offset=1000001", 400).contains("1000001"));
    // The query: 4 KiB.
    let longest = "cocoa ".repeat(4096 / 6) + &"x".repeat(4096 % 6);
    assert_eq!(longest.len(), 4096);
    let api = server.get(&format!("/api/search{}", query(&[("q", &longest)])));
    assert_eq!(api.status, 200, "{}", api.text());
    let longer = format!("{longest}x");
    let message = refused(&format!("/api/search{}", query(&[("q", &longer)])), 400);
    assert!(
        message.contains("4,097") && message.contains("4,096"),
        "{message}"
    );
    let message = refused(&format!("/api/trend{}", query(&[("q", &longer)])), 400);
    assert!(message.contains("4,096"), "{message}");
    // The whole query string: 414.
    let huge = format!("/api/search?q=cocoa&to={}", "9".repeat(20_000));
    assert!(refused(&huge, 414).contains("bytes long"));
    // Parameters: known ones, once each, UTF-8.
    let message = refused("/api/search?q=cocoa&colour=red", 400);
    assert!(
        message.starts_with("unknown parameter 'colour'"),
        "{message}"
    );
    assert!(refused("/api/trend?q=cocoa&limit=5", 400).starts_with("unknown parameter 'limit'"));
    assert!(refused("/api/stats?verbose=1", 400).starts_with("unknown parameter 'verbose'"));
    assert!(refused("/api/articles/nope?q=x", 400).starts_with("unknown parameter 'q'"));
    assert!(refused("/api/search?q=cocoa&q=chip", 400).contains("'q' is given twice"));
    assert!(refused("/api/search?q=cocoa&from=2024&from=2025", 400).contains("twice"));
    assert!(refused("/api/search?q=%FF", 400).contains("UTF-8"));
    assert!(refused("/api/search?q=cocoa&fr%FFom=2024", 400).contains("UTF-8"));
    assert!(refused("/api/articles/%FF%FE", 400).contains("UTF-8"));
    assert!(refused("/api/related/archive%2F%C3%28", 400).contains("UTF-8"));
    // Endpoints the API does not have.
    for path in [
        "/api",
        "/api/",
        "/api/nothing",
        "/api/search/more",
        "/api/articles",
    ] {
        assert!(refused(path, 404).contains("no such endpoint"), "{path}");
    }
    // Only GET; a body is not read.
    let post = server.post_form("/api/search?q=cocoa", "q=chip");
    assert_eq!(post.status, 405, "{}", post.text());
    let big = format!("token={}", "x".repeat(64 * 1024));
    assert_eq!(server.post_form("/login", &big).status, 413);
}

// ---------------------------------------------------------------------------
// Security

#[test]
fn markup_from_articles_and_queries_is_shown_as_text() {
    let dl = markup_index();
    let server = Server::start(dl.index_dir(), &[]);
    let escaped_headline = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;";
    let pages = [
        // Results, an article, an article whose related list has it.
        "/?q=zanzibar+harbour".to_string(),
        "/?q=zanzibar&sort=newest&page=1".to_string(),
        format!("/articles/{}", segment("extra/markup.txt")),
        format!("/articles/{}?q=zanzibar", segment("extra/markup.txt")),
        format!(
            "/articles/{}",
            segment("extra/bundle.tar.gz::news/ferry.txt")
        ),
    ];
    for path in &pages {
        let page = server.get(path);
        assert_eq!(page.status, 200, "{path}: {}", page.text());
        let html = page.text();
        assert!(
            html.contains(escaped_headline),
            "{path}: the headline escaped"
        );
        assert_safe_html(path, &html);
    }
    // Queries made of markup, in the results, in an error page (where the
    // query is shown with a caret under the column), in a date's error,
    // and on an article's page.
    let hostile_queries = [
        query(&[("q", MARKUP_QUERY)]),
        query(&[("q", &format!("{MARKUP_QUERY} (unclosed"))]),
        query(&[("q", "zanzibar"), ("on", "<script>alert(1)</script>")]),
        query(&[("q", "zanzibar"), ("page", "<img src=x onerror=alert(1)>")]),
        query(&[("q", "zanzibar"), ("x<script>alert(1)</script>", "1")]),
        query(&[("q", "zanzibar"), ("sort", "\"><script>alert(1)</script>")]),
    ];
    for params in &hostile_queries {
        for path in [
            format!("/{params}"),
            format!("/articles/{}{params}", segment("extra/markup.txt")),
        ] {
            let page = server.get(&path);
            assert!(page.status == 200 || page.status == 400, "{path}");
            let html = page.text();
            assert_safe_html(&path, &html);
        }
    }
    let html = server
        .get(&format!("/{}", query(&[("q", MARKUP_QUERY)])))
        .text();
    assert!(
        html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"),
        "the query shown as text: {html}"
    );
    // The JSON carries the text as it is: JSON, not HTML.
    let json = server.get("/api/articles/extra%2Fmarkup.txt").json();
    assert_eq!(json["headline"], MARKUP_HEADLINE);
}

/// Panics if this page could run anything but the server's own script:
/// the markup of the hostile headline and queries as markup, a `<script>`
/// without `src`, or an event-handler attribute (`onerror=`) on any tag.
#[track_caller]
fn assert_safe_html(what: &str, html: &str) {
    for raw in ["<script>alert(1)", "<img src=x", "<b>", "<i>sailed"] {
        assert!(!html.contains(raw), "{what}: {raw:?} unescaped in {html}");
    }
    for tag in tags(html) {
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        for attribute in attribute_names(&tag) {
            assert!(
                !attribute.to_ascii_lowercase().starts_with("on"),
                "{what}: an event handler in <{tag}>"
            );
        }
        if name.eq_ignore_ascii_case("script") {
            assert!(tag.contains(" src=\"/assets/"), "{what}: <{tag}>");
        }
    }
}

/// The check above finds what it looks for, and not in quoted text.
#[test]
fn the_html_check_tells_markup_from_text() {
    let safe = "<p title=\"a > b onclick=x\">&lt;img src=x onerror=alert(1)&gt;</p>\
                <script src=\"/assets/keys.js\" defer></script>";
    assert_safe_html("safe", safe);
    for unsafe_html in [
        "<p onclick=\"go()\">x</p>",
        "<a href=/ ONMOUSEOVER='go()'>x</a>",
        "<svg><rect onload=go() /></svg>",
        "<script>go()</script>",
        "<p>\"><img src=x onerror=alert(1)></p>",
    ] {
        let caught = std::panic::catch_unwind(|| assert_safe_html("unsafe", unsafe_html));
        assert!(caught.is_err(), "{unsafe_html} passed");
    }
}

/// The text inside each `<…>` of a page (after the `<`), reading quoted
/// attribute values whole, so a `>` inside one does not end the tag.
fn tags(html: &str) -> Vec<String> {
    let mut tags = Vec::new();
    let mut chars = html.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '<' || !chars.peek().is_some_and(|c| c.is_ascii_alphabetic()) {
            continue;
        }
        let mut tag = String::new();
        let mut quote = None;
        for c in chars.by_ref() {
            match (quote, c) {
                (None, '>') => break,
                (None, '"' | '\'') => quote = Some(c),
                (Some(open), _) if open == c => quote = None,
                _ => {}
            }
            tag.push(c);
        }
        tags.push(tag);
    }
    tags
}

/// The attribute names of a tag's text (`a href="…" rel=prev`).
fn attribute_names(tag: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = tag.trim_start_matches(|c: char| c.is_ascii_alphanumeric());
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if rest.is_empty() {
            return names;
        }
        let end = rest
            .find(|c: char| c.is_whitespace() || c == '=' || c == '/')
            .unwrap_or(rest.len());
        names.push(rest[..end].to_string());
        rest = &rest[end..];
        if let Some(value) = rest.strip_prefix('=') {
            rest = match value.chars().next() {
                Some(quote @ ('"' | '\'')) => {
                    let inner = &value[1..];
                    inner.find(quote).map_or("", |n| &inner[n + 1..])
                }
                _ => value.find(char::is_whitespace).map_or("", |n| &value[n..]),
            };
        }
    }
}

#[test]
fn pages_show_no_file_paths_unless_asked() {
    let dl = markup_index();
    let article = dl.show("extra/markup.txt");
    let path = article["path"].as_str().expect("a path").to_string();
    assert!(path.starts_with('/'), "{path}");
    let member = dl.show("extra/bundle.tar.gz::news/ferry.txt");
    let archive = member["path"].as_str().expect("a path").to_string();
    let scratch = dl.scratch().to_str().unwrap().to_string();
    let pages = [
        "/".to_string(),
        "/?q=zanzibar".to_string(),
        "/?q=ferry&sort=oldest".to_string(),
        format!("/articles/{}", segment("extra/markup.txt")),
        format!(
            "/articles/{}",
            segment("extra/bundle.tar.gz::news/ferry.txt")
        ),
        format!("/articles/{}", segment(&id("2025/03/river-rescue"))),
    ];
    let crate_root = root().to_str().unwrap().to_string();
    let server = Server::start(dl.index_dir(), &[]);
    for page in &pages {
        let html = server.get(page).text();
        for hidden in [&path, &archive, &scratch, &crate_root] {
            assert!(!html.contains(hidden.as_str()), "{page} shows {hidden}");
        }
    }
    let server = Server::start(dl.index_dir(), &["--show-paths"]);
    let html = server
        .get(&format!("/articles/{}", segment("extra/markup.txt")))
        .text();
    assert!(html.contains(&path), "--show-paths shows the path");
    let html = server
        .get(&format!(
            "/articles/{}",
            segment("extra/bundle.tar.gz::news/ferry.txt")
        ))
        .text();
    assert!(html.contains(&archive), "--show-paths shows the archive");
}

#[test]
fn nothing_is_served_by_file_path() {
    let dl = archive_index();
    let server = Server::start(dl.index_dir(), &[]);
    let targets: &[&[u8]] = &[
        b"/assets/../Cargo.toml",
        b"/assets/%2e%2e%2fCargo.toml",
        b"/assets/%2E%2E/Cargo.toml",
        b"/assets/..%2F..%2FCargo.toml",
        b"/assets/style.css/../../Cargo.toml",
        b"/assets/Cargo.toml",
        b"/assets/",
        b"/Cargo.toml",
        b"/tests/fixtures/archive/2025/03/river-rescue.txt",
        b"/etc/passwd",
        b"//etc/passwd",
        b"/../../../../etc/passwd",
        b"/articles/..%2f..%2fetc%2fpasswd",
        b"/articles/../../etc/passwd",
        b"/articles/%2Fetc%2Fpasswd",
        b"/api/articles/..%2f..%2fCargo.toml",
        b"/api/articles/%2Fetc%2Fpasswd",
        b"/api/articles/tests%2Ffixtures%2Farchive%2F2025%2F03%2Friver-rescue.txt",
    ];
    let cargo = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    let fixture =
        std::fs::read_to_string(root().join(ARCHIVE).join("2025/03/river-rescue.txt")).unwrap();
    for target in targets {
        let what = String::from_utf8_lossy(target);
        let answer = server.raw_get(target).expect("an answer");
        assert!(
            answer.status == 404 || answer.status == 400,
            "{what}: {}",
            answer.status
        );
        let body = answer.text();
        for secret in ["[package]", "root:x:0", &cargo[..60], &fixture[20..80]] {
            assert!(!body.contains(secret), "{what} served {secret:?}");
        }
        assert!(answer.header("content-security-policy").is_some(), "{what}");
    }
    // What is served: the two files compiled in.
    for (asset, kind) in [("style.css", "text/css"), ("keys.js", "text/javascript")] {
        let answer = server.get(&format!("/assets/{asset}"));
        assert_eq!(answer.status, 200);
        assert!(answer.header("content-type").unwrap().starts_with(kind));
    }
}

#[test]
fn a_token_is_asked_of_every_request() {
    let dl = archive_index();
    let dir = tempfile::tempdir().unwrap();
    let token = "s3cret-t0ken-of-the-newsroom";
    let file = token_file(dir.path(), token);
    let server = Server::start(dl.index_dir(), &["--token-file", file.to_str().unwrap()]);

    // Without it: the API says so in JSON, the pages offer the form.
    for path in ["/api/stats", "/api/search?q=cocoa", "/api/nothing"] {
        let api = server.get(path);
        assert!(api.error(401).contains("Authorization: Bearer"), "{path}");
        assert_eq!(api.header("www-authenticate"), Some("Bearer"), "{path}");
    }
    for path in ["/", "/?q=cocoa", "/articles/archive%2F2024", "/nothing"] {
        let page = server.get(path);
        assert_eq!(page.status, 401, "{path}");
        let html = page.text();
        assert!(
            html.contains("action=\"/login\"") && html.contains("name=\"token\""),
            "{path}: the login form: {html}"
        );
        assert!(!html.contains("cocoa-record-high"), "{path}");
    }
    // The form and the assets it needs are open.
    assert_eq!(server.get("/login").status, 200);
    assert_eq!(server.get("/assets/style.css").status, 200);

    // With it.
    let bearer = format!("Bearer {token}");
    let api = server.get_with("/api/search?q=cocoa", &[("Authorization", &bearer)]);
    assert_same_document(
        "with the token",
        &api,
        &dl.run(&["search", "--json", "--", "cocoa"]),
    );
    assert_eq!(
        server
            .get_with("/?q=cocoa", &[("Authorization", &bearer)])
            .status,
        200
    );
    // A wrong token, a token almost right, another scheme.
    let basic = format!("Basic {token}");
    for wrong in [
        "Bearer s3cret-t0ken-of-the-newsroon",
        "Bearer s3cret-t0ken-of-the-newsroom-",
        "Bearer ",
        basic.as_str(),
        token,
    ] {
        let api = server.get_with("/api/stats", &[("Authorization", wrong)]);
        assert_eq!(api.status, 401, "{wrong}");
    }
    let cookie = format!("dateline_token={token}x");
    assert_eq!(
        server.get_with("/api/stats", &[("Cookie", &cookie)]).status,
        401
    );

    // The login form: a wrong token is refused and asked for again…
    let page = server.post_form("/login", "token=nope&back=%2F%3Fq%3Dcocoa");
    assert_eq!(page.status, 401);
    assert!(page.text().contains("not the right one"));
    assert!(page.header("set-cookie").is_none());
    // …the right one sets a cookie and goes back where it was asked for.
    let form = format!("token={token}&back=%2F%3Fq%3Dcocoa");
    let login = server.post_form("/login", &form);
    assert_eq!(login.status, 303, "{}", login.text());
    assert_eq!(login.header("location"), Some("/?q=cocoa"));
    let set = login.header("set-cookie").expect("a cookie");
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Strict"),
        "{set}"
    );
    let cookie = set.split(';').next().unwrap().to_string();
    let page = server.get_with("/?q=cocoa", &[("Cookie", &cookie)]);
    assert_eq!(page.status, 200);
    assert!(page.text().contains("cocoa-record-high"));
    let api = server.get_with("/api/stats", &[("Cookie", &cookie)]);
    assert_eq!(api.status, 200);
    // Never back to another site.
    for back in [
        "//evil.example/",
        "https://evil.example/",
        "javascript:alert(1)",
    ] {
        let form = format!("token={token}&back={}", segment(back));
        let login = server.post_form("/login", &form);
        assert_eq!(login.header("location"), Some("/"), "{back}");
    }
}

#[test]
fn only_loopback_is_served_without_a_token() {
    let dl = archive_index();
    let failed = Server::try_start(dl.index_dir(), &["--addr", "0.0.0.0:0"])
        .err()
        .expect("refused to start");
    assert_eq!(failed.code, Some(2), "{failed:?}");
    let lines: Vec<&str> = failed.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{failed:?}");
    assert!(
        lines[0].starts_with("dateline: refusing to serve on 0.0.0.0:0 without --token-file")
            && lines[0].contains("--public"),
        "{failed:?}"
    );

    // `--public` says it means it.
    let public = Server::start(dl.index_dir(), &["--addr", "0.0.0.0:0", "--public"]);
    assert_eq!(public.get("/api/stats").status, 200);
    let deadline = Instant::now() + PATIENCE;
    while !public.stderr().contains("anyone who can reach") {
        assert!(Instant::now() < deadline, "no warning: {}", public.stderr());
        thread::sleep(Duration::from_millis(20));
    }

    // A token is enough.
    let dir = tempfile::tempdir().unwrap();
    let file = token_file(dir.path(), "0123456789abcdef0123");
    let guarded = Server::start(
        dl.index_dir(),
        &[
            "--addr",
            "0.0.0.0:0",
            "--token-file",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(guarded.get("/api/stats").status, 401);
}

#[test]
fn cors_headers_only_with_cors() {
    let dl = archive_index();
    let origin = [("Origin", "https://newsroom.example")];
    let server = Server::start(dl.index_dir(), &[]);
    for path in ["/api/search?q=cocoa", "/api/stats", "/"] {
        let answer = server.get_with(path, &origin);
        assert_eq!(answer.status, 200);
        assert!(
            !answer
                .headers
                .iter()
                .any(|(name, _)| name.starts_with("access-control-")),
            "{path}: {:?}",
            answer.headers
        );
    }

    let server = Server::start(dl.index_dir(), &["--cors", "https://newsroom.example"]);
    let answer = server.get_with("/api/search?q=cocoa", &origin);
    assert_eq!(answer.status, 200);
    assert_eq!(
        answer.header("access-control-allow-origin"),
        Some("https://newsroom.example")
    );
    // Another origin is not named.
    let answer = server.get_with("/api/stats", &[("Origin", "https://evil.example")]);
    assert_ne!(
        answer.header("access-control-allow-origin"),
        Some("https://evil.example")
    );

    // With a token too, a browser's preflight (which never carries the
    // token) is answered, and the request itself still needs the token.
    let dir = tempfile::tempdir().unwrap();
    let file = token_file(dir.path(), "0123456789abcdef0123");
    let server = Server::start(
        dl.index_dir(),
        &[
            "--cors",
            "https://newsroom.example",
            "--token-file",
            file.to_str().unwrap(),
        ],
    );
    let preflight = server.options(
        "/api/search?q=cocoa",
        &[
            ("Origin", "https://newsroom.example"),
            ("Access-Control-Request-Method", "GET"),
            ("Access-Control-Request-Headers", "authorization"),
        ],
    );
    assert!(
        (200..300).contains(&preflight.status),
        "{} {:?}",
        preflight.status,
        preflight.headers
    );
    assert_eq!(
        preflight.header("access-control-allow-origin"),
        Some("https://newsroom.example")
    );
    assert!(preflight
        .header("access-control-allow-headers")
        .is_some_and(|h| h.to_ascii_lowercase().contains("authorization")));
    assert!(preflight.body.is_empty());
    assert_eq!(server.get_with("/api/stats", &origin).status, 401);
    let api = server.get_with(
        "/api/stats",
        &[origin[0], ("Authorization", "Bearer 0123456789abcdef0123")],
    );
    assert_eq!(api.status, 200);
    assert_eq!(
        api.header("access-control-allow-origin"),
        Some("https://newsroom.example")
    );
}

#[test]
fn every_answer_carries_the_content_security_policy() {
    let dl = archive_index();
    let dir = tempfile::tempdir().unwrap();
    let file = token_file(dir.path(), "0123456789abcdef0123");
    let open = Server::start(dl.index_dir(), &[]);
    let guarded = Server::start(dl.index_dir(), &["--token-file", file.to_str().unwrap()]);
    let paths = [
        "/",
        "/?q=cocoa",
        "/?q=(",
        "/?page=0&q=x",
        "/articles/archive%2F2024%2F01%2Fcocoa-record-high.txt",
        "/articles/nope",
        "/login",
        "/assets/style.css",
        "/assets/keys.js",
        "/nothing",
        "/api/search?q=cocoa",
        "/api/search?q=(",
        "/api/search?q=%FF",
        "/api/articles/nope",
        "/api/articles/%FF",
        "/api/trend?q=cocoa",
        "/api/stats",
        "/api/nothing",
    ];
    for server in [&open, &guarded] {
        for path in paths {
            let answer = server.get(path);
            assert!(answer.status < 500, "{path}: {}", answer.status);
            let policy = answer
                .header("content-security-policy")
                .unwrap_or_else(|| panic!("{path}: no CSP: {:?}", answer.headers));
            assert!(policy.starts_with(CSP), "{path}: {policy}");
            assert!(policy.contains("script-src 'self'"), "{path}: {policy}");
            assert_eq!(answer.header("x-content-type-options"), Some("nosniff"));
        }
        let login = server.post_form("/login", "token=x");
        assert!(login.header("content-security-policy").is_some());
    }
    let post = open.post_form("/api/stats", "");
    assert!(post.header("content-security-policy").is_some());
}

// ---------------------------------------------------------------------------
// A live index, signals, load

#[test]
fn new_commits_are_seen_while_the_server_runs() {
    let dl = Dateline::with_archive();
    let server = Server::start(dl.index_dir(), &[]);
    let before = server.get("/api/stats").json();
    assert_eq!(before["articles"], 24);

    // 120 new articles, committed 10 at a time by another process.
    let new = dl.scratch().join("new");
    for n in 0..120 {
        let dir = new.join(format!("{:02}", n % 12 + 1));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join(format!("wombat-{n}.txt")),
            format!(
                " date 2023-{:02}-{:02} Wombat census number {n}\n\n\
                 Rangers counted wombats in the valley for the {n}th time.\n",
                n % 12 + 1,
                n % 28 + 1
            ),
        )
        .unwrap();
    }
    let mut indexer = Command::new(env!("CARGO_BIN_EXE_dateline"));
    indexer.current_dir(root());
    for var in READ_BY_DATELINE {
        indexer.env_remove(var);
    }
    let mut indexer = indexer
        .arg("--index")
        .arg(dl.index_dir())
        .args(["index", "--commit-every", "10"])
        .arg(&new)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start dateline index");

    // While it runs, and once after, every request is answered, and the
    // count only grows.
    let mut seen = Vec::new();
    loop {
        let done = indexer.try_wait().unwrap().is_some();
        let search = server.get("/api/search?q=wombat&limit=1");
        assert_eq!(search.status, 200, "during the run: {}", search.text());
        seen.push(total(&search.json()));
        let stats = server.get("/api/stats");
        assert_eq!(stats.status, 200, "during the run: {}", stats.text());
        let page = server.get("/?q=wombat");
        assert_eq!(page.status, 200, "during the run: {}", page.text());
        if done {
            break;
        }
    }
    let output = indexer.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");

    // Without a restart: every new article is found.
    let deadline = Instant::now() + PATIENCE;
    loop {
        let found = total(&server.get("/api/search?q=wombat&limit=1").json());
        if found == 120 {
            break;
        }
        assert!(Instant::now() < deadline, "{found} of 120 found");
        thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(server.get("/api/stats").json()["articles"], 144);
    let api = server.get("/api/search?q=wombat+census+number+7&limit=3");
    assert_same_document(
        "after the run",
        &api,
        &dl.run(&[
            "search",
            "--json",
            "-n",
            "3",
            "--",
            "wombat census number 7",
        ]),
    );
    let id = "new/07/wombat-6.txt";
    let api = server.get(&format!("/api/articles/{}", segment(id)));
    assert_same_document(id, &api, &dl.run(&["show", "--json", id]));
}

#[test]
fn sigterm_stops_the_server_with_status_0() {
    let dl = archive_index();
    let mut server = Server::start(dl.index_dir(), &[]);
    assert_eq!(server.get("/api/stats").status, 200);
    let status = server.terminate();
    assert_eq!(status.code(), Some(0), "{}", server.stderr());
    assert!(server.stderr().contains("stopping"), "{}", server.stderr());
}

#[test]
fn sigterm_stops_the_server_though_a_client_never_finishes() {
    let dl = archive_index();
    // Stopping waits as long as a request can take: the queue's second
    // and the timeout.
    let mut server = Server::start(dl.index_dir(), &["--timeout", "1"]);
    // Connections that sent half a request and wait, and one idle.
    let mut stuck = Vec::new();
    for half in [
        &b"GET /api/search?q=coc"[..],
        b"GET / HTTP/1.1\r\nHost: localhost\r\n",
        b"",
    ] {
        let mut stream = TcpStream::connect(server.addr).unwrap();
        stream.write_all(half).unwrap();
        stuck.push(stream);
    }
    // The server has taken them: it answers after them.
    assert_eq!(server.get("/api/stats").status, 200);
    let status = server.terminate();
    assert_eq!(status.code(), Some(0), "{}", server.stderr());
    drop(stuck);
}

#[test]
fn sigterm_lets_a_request_in_flight_finish() {
    let dl = archive_index();
    let mut server = Server::start(dl.index_dir(), &[]);
    let mut stream = TcpStream::connect(server.addr).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    // The server asks for the body once the handler reads it: from then on
    // the request is in flight.
    stream
        .write_all(
            b"POST /login HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\n\
              Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 13\r\n\r\n",
        )
        .unwrap();
    let mut continued = Vec::new();
    let mut byte = [0];
    while !continued.ends_with(b"\r\n\r\n") {
        stream.read_exact(&mut byte).expect("100 Continue");
        continued.push(byte[0]);
    }
    assert!(
        continued.starts_with(b"HTTP/1.1 100"),
        "{}",
        String::from_utf8_lossy(&continued)
    );
    let killed = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    // Stopping waits for it.
    let deadline = Instant::now() + PATIENCE;
    while !server.stderr().contains("stopping") {
        assert!(Instant::now() < deadline, "no word of stopping");
        thread::sleep(Duration::from_millis(20));
    }
    assert!(server.is_running(), "stopped before answering");
    stream.write_all(b"token=x&back=").unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let answer = parse_raw(&answer).expect("an answer");
    // No token is asked for, so the form sends the browser home.
    assert_eq!(answer.status, 303, "{}", answer.text());
    let status = server.terminate();
    assert_eq!(status.code(), Some(0), "{}", server.stderr());
}

/// `--max-searches 1`: requests beyond the one running wait a second for
/// their turn, then are told the server is busy (503); none hangs.
#[test]
fn searches_beyond_the_cap_get_503_not_a_hang() {
    let dl = archive_index();
    let server = Server::start(dl.index_dir(), &["--max-searches", "1"]);
    let statuses = parallel(&server, 8, 10, |_, _| {
        "/api/search?q=talks+OR+cocoa+OR+chip&limit=1000&snippets=10".to_string()
    });
    for (status, body) in &statuses {
        match status {
            200 => {}
            503 => assert!(body.contains("the server is busy"), "{body}"),
            other => panic!("{other}: {body}"),
        }
    }
    // Afterwards it answers as before.
    assert_eq!(server.get("/api/stats").status, 200);
}

/// The same with searches that outlast the wait: on Reuters, a page of
/// 1,000 hits with ten snippets each takes a good part of a second in a
/// debug build (and tens of milliseconds optimised, at the very least), so
/// of sixteen sent at once to one search at a time, the last ones wait more
/// than a second and are turned away; and with `--timeout 0.005`, such a
/// search is answered 503 on any machine. Without Reuters this is left to
/// the test above, which cannot count on a search taking long enough.
#[test]
fn long_searches_are_turned_away_or_timed_out() {
    let Some(dl) = reuters_index() else {
        return;
    };
    let heavy =
        "/api/search?q=said+OR+oil+OR+price+OR+the&limit=1000&snippets=10&snippet_chars=2000";
    let server = Server::start(dl.index_dir(), &["--max-searches", "1"]);
    let statuses = parallel(&server, 16, 1, |_, _| heavy.to_string());
    let busy = statuses.iter().filter(|(status, _)| *status == 503).count();
    for (status, body) in &statuses {
        match status {
            200 => {}
            503 => assert!(body.contains("the server is busy (1 searches"), "{body}"),
            other => panic!("{other}: {body}"),
        }
    }
    assert!(busy > 0, "none of 16 long searches was turned away");
    assert!(busy < 16, "all 16 long searches were turned away");
    drop(server);

    let server = Server::start(dl.index_dir(), &["--timeout", "0.005"]);
    let message = server.get(heavy).error(503);
    assert!(message.contains("took longer than 0.005 s"), "{message}");
    // The server goes on answering (what needs no search: any search may
    // outlast five milliseconds in a debug build).
    assert_eq!(server.get("/assets/style.css").status, 200);
}

/// `threads` threads each make `each` requests, at once: the statuses and
/// bodies.
fn parallel(
    server: &Server,
    threads: usize,
    each: usize,
    path: impl Fn(usize, usize) -> String + Sync,
) -> Vec<(u16, String)> {
    let results = Mutex::new(Vec::new());
    thread::scope(|scope| {
        for t in 0..threads {
            let (results, path) = (&results, &path);
            scope.spawn(move || {
                for n in 0..each {
                    let answer = server.get(&path(t, n));
                    results.lock().unwrap().push((answer.status, answer.text()));
                }
            });
        }
    });
    results.into_inner().unwrap()
}

// ---------------------------------------------------------------------------
// The soak

/// xorshift64*: the soak's requests are the same on every run.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    fn bytes(&mut self, max: usize) -> Vec<u8> {
        let n = 1 + self.below(max);
        (0..n).map(|_| self.next() as u8).collect()
    }
}

/// What a request of the soak must get.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Expect {
    /// 200.
    Answer,
    /// A 4xx.
    Refusal,
    /// 200 or a 4xx.
    Either,
    /// A 4xx, or the connection closed without an answer (bytes that are
    /// not HTTP).
    Garbage,
}

/// One request of the soak.
enum Probe {
    Get(String),
    /// A request as bytes.
    Raw(Vec<u8>),
    /// Bytes, then the end of what the client sends.
    Garbage(Vec<u8>),
}

const WORDS: &[&str] = &[
    "cocoa",
    "chip",
    "talks",
    "ceasefire",
    "rate",
    "prices",
    "flood",
    "river",
    "rescue",
    "marathon",
    "geneva",
    "storm",
    "factory",
    "\"chip factory\"",
    "negotiat*",
    "flod~1",
    "headline:chip",
    "-talks",
    "cocao",
];
const GOOD_DATES: &[&str] = &[
    "2024",
    "2025",
    "2024-06",
    "2025-03",
    "2025-03-17",
    "2024-W10",
];
const BAD_DATES: &[&str] = &[
    "2025-02-30",
    "2025-13",
    "yesterday",
    "9999-12-31",
    "0001",
    "0000",
    "2025-W54",
    "2025-03-17T00:00",
    "١٩٨٧",
    "2025/03",
    " 2025 ",
    "-2025",
    "99999999999999999999",
];
const OFFSETS: &[(&str, Expect)] = &[
    ("1000000", Expect::Answer),
    ("999999", Expect::Answer),
    ("1000001", Expect::Refusal),
    ("4294967296", Expect::Refusal),
    ("18446744073709551616", Expect::Refusal),
    ("-1", Expect::Refusal),
    ("1e6", Expect::Refusal),
];
const LIMITS: &[(&str, Expect)] = &[
    ("1000", Expect::Answer),
    ("1", Expect::Answer),
    ("0", Expect::Refusal),
    ("1001", Expect::Refusal),
    ("10000", Expect::Refusal),
    ("all", Expect::Refusal),
    ("abc", Expect::Refusal),
];
const PATHS: &[&str] = &[
    "/assets/../Cargo.toml",
    "/assets/%2e%2e%2fCargo.toml",
    "/etc/passwd",
    "/articles/..%2f..%2fetc%2fpasswd",
    "/api/x",
    "/favicon.ico",
    "/assets/",
    "/assets/style.css.map",
    "/api/articles",
];

/// The `n`th request of the soak, and what it must get.
fn probe(n: usize, ids: &[String], torture: &[String]) -> (Probe, Expect) {
    let mut rng =
        Random(0x9E37_79B9_7F4A_7C15 ^ (n as u64 + 1).wrapping_mul(0xD1B5_4A32_D192_ED03));
    let word = |rng: &mut Random| rng.pick(WORDS).to_string();
    let get = |params: &[(&str, &str)], endpoint: &str| {
        Probe::Get(format!("{endpoint}{}", query(params)))
    };
    match n % 20 {
        // Searches as a program makes them.
        0..=5 => {
            let q = format!("{} {}", word(&mut rng), word(&mut rng));
            let limit = (1 + rng.below(20)).to_string();
            let offset = rng.below(30).to_string();
            let snippets = (1 + rng.below(3)).to_string();
            let sort = rng.pick(&["relevance", "newest", "oldest"]);
            let mut params = vec![
                ("q", q.as_str()),
                ("limit", limit.as_str()),
                ("offset", offset.as_str()),
                ("snippets", snippets.as_str()),
                ("sort", sort),
            ];
            if rng.below(2) == 0 {
                params.push(("from", rng.pick(GOOD_DATES)));
            }
            (get(&params, "/api/search"), Expect::Answer)
        }
        // Pages and an article as a person sees them.
        6 => {
            let page = (1 + rng.below(4)).to_string();
            let q = word(&mut rng);
            (get(&[("q", &q), ("page", &page)], "/"), Expect::Answer)
        }
        7 => {
            let id = &ids[rng.below(ids.len())];
            (
                Probe::Get(format!("/articles/{}", segment(id))),
                Expect::Answer,
            )
        }
        8 => {
            let by = rng.pick(&["day", "week", "month", "year", "fortnight", ""]);
            let q = word(&mut rng);
            (get(&[("q", &q), ("by", by)], "/api/trend"), Expect::Either)
        }
        // The query torture set, whole (mostly too long) and cut short.
        9 | 10 => {
            let whole = &torture[rng.below(torture.len())];
            let cut = if rng.below(2) == 0 {
                whole.as_str()
            } else {
                let mut end = whole.len().min(1 + rng.below(3000));
                while !whole.is_char_boundary(end) {
                    end -= 1;
                }
                &whole[..end]
            };
            let endpoint = rng.pick(&["/api/search", "/api/trend", "/"]);
            let path = format!("{endpoint}{}", query(&[("q", cut)]));
            if path.len() > 60_000 {
                // Longer than a URL an HTTP client will send.
                (Probe::Raw(raw_request(path.as_bytes())), Expect::Refusal)
            } else {
                (Probe::Get(path), Expect::Either)
            }
        }
        11 => {
            let (offset, expect) = OFFSETS[rng.below(OFFSETS.len())];
            let q = word(&mut rng);
            (get(&[("q", &q), ("offset", offset)], "/api/search"), expect)
        }
        12 => {
            let (limit, expect) = LIMITS[rng.below(LIMITS.len())];
            let q = word(&mut rng);
            (get(&[("q", &q), ("limit", limit)], "/api/search"), expect)
        }
        13 => {
            let name = rng.pick(&["on", "from", "to"]);
            let date = rng.pick(BAD_DATES);
            let endpoint = rng.pick(&["/api/search", "/api/trend", "/"]);
            (
                get(&[("q", "talks"), (name, date)], endpoint),
                Expect::Either,
            )
        }
        // Random bytes, percent-encoded, as values and names.
        14 => {
            let bytes = rng.bytes(40);
            let encoded: String = form_urlencoded::byte_serialize(&bytes).collect();
            let name = rng.pick(&["q", "from", "sort", "limit", "q", "fields"]);
            let path = if rng.below(4) == 0 {
                format!("/api/search?{encoded}=1")
            } else {
                format!("/api/search?{name}={encoded}")
            };
            (Probe::Get(path), Expect::Either)
        }
        // Ids that are not there, or not text.
        15 => {
            let bytes = rng.bytes(30);
            let encoded: String =
                percent_encoding::percent_encode(&bytes, NON_ALPHANUMERIC).collect();
            let endpoint = rng.pick(&["/api/articles/", "/api/related/", "/articles/"]);
            (Probe::Get(format!("{endpoint}{encoded}")), Expect::Refusal)
        }
        16 => {
            let params = rng.pick(&[
                "q=talks&q=talks",
                "q=talks&colour=red",
                "q=talks&offset=1&offset=2",
                "page=2&q=talks&page=3",
                "q=talks&limit=5&snippets=0",
            ]);
            let endpoint = rng.pick(&["/api/search", "/api/trend", "/"]);
            (Probe::Get(format!("{endpoint}?{params}")), Expect::Refusal)
        }
        // Invalid UTF-8 and path tricks, on the request line as sent.
        17 => {
            let mut target = rng
                .pick(&[
                    &b"/api/search?q="[..],
                    b"/articles/",
                    b"/?q=",
                    b"/api/articles/",
                ])
                .to_vec();
            for byte in rng.bytes(20) {
                // Any byte but those that would end the request line.
                target.push(if matches!(byte, b' ' | b'\r' | b'\n' | b'#') {
                    0xFF
                } else {
                    byte
                });
            }
            (Probe::Raw(raw_request(&target)), Expect::Garbage)
        }
        18 => {
            let path = rng.pick(PATHS);
            (Probe::Raw(raw_request(path.as_bytes())), Expect::Refusal)
        }
        // Bytes that are not HTTP at all.
        _ => (Probe::Garbage(rng.bytes(200)), Expect::Garbage),
    }
}

fn raw_request(target: &[u8]) -> Vec<u8> {
    let mut request = b"GET ".to_vec();
    request.extend_from_slice(target);
    request.extend_from_slice(b" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    request
}

#[test]
fn ten_thousand_hostile_requests_get_no_5xx() {
    const REQUESTS: usize = 10_000;
    const THREADS: usize = 4;
    let dl = archive_index();
    let mut server = Server::start(dl.index_dir(), &[]);
    let ids = hit_ids(&server.get("/api/search?from=1900&limit=100").json());
    assert_eq!(ids.len(), 24);
    let torture = hostile();

    // Clients that never finish their request, there throughout.
    let mut slow = Vec::new();
    for half in [
        &b"GET /api/search?q=coc"[..],
        b"GET / HTTP/1.1\r\nHost: localhost\r\n",
        b"GET /api/stats HTTP/1.1\r\nHo",
        b"POST /login HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\
          Content-Type: application/x-www-form-urlencoded\r\n\r\ntoken=ab",
        b"G",
    ] {
        let mut stream = TcpStream::connect(server.addr).unwrap();
        stream.write_all(half).unwrap();
        slow.push(stream);
    }

    let next = AtomicUsize::new(0);
    let statuses = Mutex::new(BTreeMap::<String, usize>::new());
    let failures = Mutex::new(Vec::<String>::new());
    let stop = AtomicBool::new(false);
    thread::scope(|scope| {
        for _ in 0..THREADS {
            scope.spawn(|| {
                while !stop.load(Ordering::Relaxed) {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= REQUESTS {
                        return;
                    }
                    let (probe, expect) = probe(n, &ids, &torture);
                    let (what, answer) = match probe {
                        Probe::Get(path) => (path.clone(), Some(server.get(&path))),
                        Probe::Raw(bytes) => (
                            format!(
                                "raw {:?}",
                                String::from_utf8_lossy(&bytes[..bytes.len().min(80)])
                            ),
                            server.raw(&bytes),
                        ),
                        Probe::Garbage(bytes) => {
                            (format!("garbage {bytes:?}"), server.raw_then_close(&bytes))
                        }
                    };
                    let status = answer.as_ref().map(|a| a.status);
                    let key = status.map_or("closed".to_string(), |s| s.to_string());
                    *statuses.lock().unwrap().entry(key).or_default() += 1;
                    let ok = match (expect, status) {
                        (_, Some(500..)) => false,
                        (Expect::Answer, Some(s)) => s == 200,
                        (Expect::Refusal, Some(s)) => (400..500).contains(&s),
                        (Expect::Either | Expect::Garbage, Some(s)) => {
                            s == 200 || (400..500).contains(&s)
                        }
                        (Expect::Garbage, None) => true,
                        (_, None) => false,
                    };
                    if !ok {
                        let body = answer.map(|a| a.text()).unwrap_or_default();
                        let mut failures = failures.lock().unwrap();
                        failures.push(format!(
                            "#{n} {what}: expected {expect:?}, got {status:?}: {}",
                            &body[..body.len().min(300)]
                        ));
                        if failures.len() >= 20 {
                            stop.store(true, Ordering::Relaxed);
                        }
                    }
                }
            });
        }
    });
    let statuses = statuses.into_inner().unwrap();
    let failures = failures.into_inner().unwrap();
    eprintln!("soak: {statuses:?}");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(statuses.values().sum::<usize>(), REQUESTS);
    assert!(!statuses.keys().any(|s| s.starts_with('5')), "{statuses:?}");
    // Every kind of answer came up.
    for status in ["200", "400", "404", "414"] {
        assert!(statuses.contains_key(status), "no {status}: {statuses:?}");
    }

    // Still up, still right, the slow clients still there.
    assert!(server.is_running(), "{}", server.stderr());
    let api = server.get("/api/search?q=cocoa&limit=5");
    assert_same_document(
        "after the soak",
        &api,
        &dl.run(&["search", "--json", "-n", "5", "--", "cocoa"]),
    );
    assert!(!server.stderr().contains("panicked"), "{}", server.stderr());
    // And it still stops when told to (with clients that never finish, it
    // would wait out the timeout: another test sees to that).
    drop(slow);
    let status = server.terminate();
    assert_eq!(status.code(), Some(0), "{}", server.stderr());
}

#[test]
fn facets_and_split_trends_answer_as_the_cli_and_the_page_links_them() {
    let Some(dl) = mini_index() else {
        return;
    };
    let server = Server::start(dl.index_dir(), &[]);
    for params in [
        &[
            ("q", "koresh"),
            ("on", "1993-04"),
            ("facets", "source,author"),
        ][..],
        &[("q", "koresh"), ("facets", "tag"), ("facet_size", "3")],
        &[("q", "koresh"), ("facets", "places")],
        &[
            ("q", "koresh"),
            ("source", "talk.politics.guns"),
            ("facets", "author"),
        ],
    ] {
        same_answer(&server, dl, "search", params);
    }
    for params in [
        &[
            ("q", "koresh"),
            ("split", "source"),
            ("series", "3"),
            ("by", "week"),
        ][..],
        &[("q", "koresh"), ("split", "author")],
        &[("q", "koresh"), ("series", "3")],
    ] {
        same_answer(&server, dl, "trend", params);
    }

    // The page: each facet value is a link that adds its filter, and the
    // page it leads to finds as many articles as the link said.
    let page = server.get("/?q=koresh&on=1993-04").text();
    let facets = &page[page
        .find(r#"<section class="facets""#)
        .expect("a facets section")..];
    let link_at = facets.find("<a href=\"").expect("a facet link") + "<a href=\"".len();
    let href = facets[link_at..]
        .split('"')
        .next()
        .unwrap()
        .replace("&amp;", "&");
    assert!(href.contains("source="), "{href}");
    let count: String = facets[link_at..]
        .split(r#"<span class="count">("#)
        .nth(1)
        .expect("a count")
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ',')
        .filter(char::is_ascii_digit)
        .collect();
    let narrowed = server.get(&href).text();
    assert!(
        narrowed.contains(&format!(r#"<span class="count">{count}</span>"#)),
        "{href} should find {count}: {narrowed}"
    );
    // It says which filter is set, keeps it in the form, and offers to
    // take it away.
    assert!(narrowed.contains(r#"<ul class="filters""#), "{narrowed}");
    assert!(
        narrowed.contains(r#"type="hidden" name="source""#),
        "{narrowed}"
    );
    assert!(narrowed.contains("(remove)"), "{narrowed}");
    assert_safe_html(&href, &narrowed);
}

/// An index of three hand-written reports: a harbour story, the same story
/// filed again the next day with a sentence added, and another story.
fn stories_index() -> Dateline {
    let dl = Dateline::new();
    let dir = dl.scratch().join("wires");
    std::fs::create_dir_all(&dir).unwrap();
    let story = "Harbour crews carried more than 300 residents to safety on Monday after the \
        river burst its banks in the lower part of the city following a week of heavy rain. \
        Water reached the first floor of homes in several streets near the docks, and the city \
        council opened two schools as emergency shelters.\n\nThe national weather service said \
        river levels were expected to peak overnight before falling slowly, and warned that \
        more flooding was possible downstream over the next two days.";
    let write = |name: &str, text: String| std::fs::write(dir.join(name), text).unwrap();
    write(
        "flood.txt",
        format!(" date 2025-03-17 River bursts its banks in the city\n\n{story}\n"),
    );
    write(
        "flood-again.txt",
        format!(
            " date 2025-03-18 River floods the lower city\n\n{story}\n\nThe mayor thanked the \
             harbour crews.\n"
        ),
    );
    write(
        "tram.txt",
        " date 2025-03-18 Trams return after the river flood\n\nTrams ran again on Tuesday \
         through the lower city after the river flood of Monday, the transport company said, \
         though two stops near the docks stay closed until the water has gone.\n"
            .to_string(),
    );
    dl.index(&[dir.to_str().unwrap()]).expect_code(0);
    dl
}

#[test]
fn near_copies_fold_on_the_page_and_in_the_api_as_on_the_command_line() {
    let dl = stories_index();
    let server = Server::start(dl.index_dir(), &[]);
    let folded = same_answer(&server, &dl, "search", &[("q", "river")]).json();
    assert_eq!(total(&folded), 3);
    assert_eq!(folded["stories"], 2, "{folded}");
    let similar: Vec<u64> = hits(&folded)
        .iter()
        .map(|hit| hit["similar"].as_u64().unwrap())
        .collect();
    assert_eq!(similar.iter().sum::<u64>(), 1, "{folded}");
    // (`fold=false` is the command line's `--no-fold`.)
    let all = server.get("/api/search?q=river&fold=false");
    assert_same_document(
        "fold=false",
        &all,
        &dl.run(&["search", "--json", "--no-fold", "--", "river"]),
    );
    let all = all.json();
    assert_eq!(hits(&all).len(), 3);
    assert!(all.get("stories").is_none(), "{all}");
    let bad = server.get("/api/search?q=river&fold=maybe");
    assert_eq!(bad.error(400), "fold is true or false, not 'maybe'");
    let trend = same_answer(&server, &dl, "trend", &[("q", "river"), ("by", "day")]).json();
    assert_eq!(
        (trend["count"].as_str(), trend["total"].as_u64()),
        (Some("stories"), Some(2))
    );
    let articles = same_answer(
        &server,
        &dl,
        "trend",
        &[("q", "river"), ("by", "day"), ("count", "articles")],
    )
    .json();
    assert_eq!(articles["total"], 3);

    // The page: stories counted, the fold said under its hit, and the
    // article page lists the story.
    let page = server.get("/?q=river").text();
    assert!(page.contains("2</span> stories (3 articles)"), "{page}");
    assert!(page.contains("+1 similar article<"), "{page}");
    let article = server.get("/articles/wires%2Fflood.txt").text();
    assert!(
        article.contains("Similar articles (the same story)"),
        "{article}"
    );
    assert!(article.contains("River floods the lower city"), "{article}");
    assert!(article.contains("+1 paragraph"), "{article}");
}
