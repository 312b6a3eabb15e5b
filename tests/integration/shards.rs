//! An archive in shards: `dateline index --shard K/N` and `dateline serve
//! --shards`. Shard servers and a coordinator are started as real
//! processes on loopback; the coordinator's answers are compared with
//! those of a server of one index of the same files, key by key.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::*;

/// A `dateline serve` process, stopped when dropped.
struct Served {
    child: Child,
    /// `http://127.0.0.1:PORT`
    base: String,
}

impl Served {
    /// `dateline serve ARGS… --addr ADDR`, once it listens.
    #[track_caller]
    fn start(args: &[&str], addr: &str) -> Served {
        let mut command = Command::new(env!("CARGO_BIN_EXE_dateline"));
        command.current_dir(root());
        for var in READ_BY_DATELINE {
            command.env_remove(var);
        }
        let mut child = command
            .arg("serve")
            .args(args)
            .args(["--addr", addr])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start dateline serve");
        let mut first = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut first)
            .expect("read serve's first line");
        if first.is_empty() {
            let mut stderr = String::new();
            let _ = child
                .stderr
                .take()
                .expect("stderr")
                .read_to_string(&mut stderr);
            panic!("dateline serve {args:?} did not start: {stderr}");
        }
        let base = first
            .split(" at ")
            .nth(1)
            .and_then(|rest| rest.split('/').nth(2))
            .map(|host| format!("http://{host}"))
            .unwrap_or_else(|| panic!("first line: {first:?}"));
        Served { child, base }
    }

    fn index(index: &Path) -> Served {
        Served::start(&["--index", index.to_str().expect("UTF-8")], "127.0.0.1:0")
    }

    fn port(&self) -> &str {
        self.base.rsplit(':').next().expect("a port")
    }

    /// `GET path`: the status and the body as JSON (or a string).
    fn get(&self, path: &str) -> (u16, Value) {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        let mut response = agent
            .get(format!("{}{path}", self.base))
            .call()
            .unwrap_or_else(|err| panic!("GET {path}: {err}"));
        let status = response.status().as_u16();
        let text = response.body_mut().read_to_string().expect("a body");
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, body)
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An index of `paths` (`--shard K/N` when given).
fn indexed(paths: &[&str], shard: Option<&str>) -> Dateline {
    let dl = Dateline::new();
    let mut args = vec!["index"];
    if let Some(shard) = shard {
        args.extend(["--shard", shard]);
    }
    args.extend(paths);
    dl.run(&args).expect_code(0);
    dl
}

/// The queries compared: every kind of query, sort, page and snippet.
fn query_mix() -> Vec<String> {
    let mut mix = Vec::new();
    for (query, extra) in [
        ("cocoa", ""),
        ("central bank", ""),
        ("\"interest rates\"", ""),
        ("cocoa -chocolate", ""),
        ("headline:cocoa", ""),
        ("cocao~1", ""),
        ("cocoa OR coffee OR semiconductor", ""),
        ("talks", "&sort=newest"),
        ("talks", "&sort=oldest"),
        ("the", "&offset=10"),
        ("the", "&offset=1&limit=3"),
        ("as", "&snippets=3"),
        ("talks", "&from=2025-01&to=2025-12"),
        ("", "&from=2024-01-01&to=2025-12-31&sort=oldest"),
        (
            "what did the central bank say about interest rates in march",
            "",
        ),
        ("the", "&facets=source,place"),
    ] {
        let q: String =
            percent_encoding::utf8_percent_encode(query, percent_encoding::NON_ALPHANUMERIC)
                .to_string();
        mix.push(format!("/api/search?q={q}&fold=false{extra}"));
        mix.push(format!("/api/search?q={q}{extra}"));
    }
    for by in ["day", "month"] {
        mix.push(format!("/api/trend?q=the&by={by}"));
    }
    mix.push("/api/trend?q=the&by=month&split=source".into());
    mix
}

/// The answer without what may differ: the time taken and the shards'
/// report; scores apart, to be compared to 1e-6 (relative).
fn comparable(mut answer: Value) -> (Value, Vec<Option<f64>>) {
    let object = answer.as_object_mut().expect("a JSON object");
    object.remove("took_ms");
    object.remove("shards");
    let mut scores = Vec::new();
    if let Some(hits) = object.get_mut("hits").and_then(Value::as_array_mut) {
        for hit in hits {
            if let Some(score) = hit.as_object_mut().and_then(|hit| hit.remove("score")) {
                scores.push(score.as_f64());
            }
        }
    }
    (answer, scores)
}

#[track_caller]
fn assert_same_answers(one: &Served, coordinator: &Served, asked: &[String]) {
    let mut found = 0;
    for path in asked {
        let (status, single) = one.get(path);
        let (merged_status, merged) = coordinator.get(path);
        assert_eq!((status, merged_status), (200, 200), "{path}");
        assert_eq!(
            merged["shards"]["failed"], 0,
            "{path}: every shard answers: {merged}"
        );
        found += usize::from(single["total"].as_u64().unwrap_or(0) > 0);
        let (single, scores) = comparable(single);
        let (merged, merged_scores) = comparable(merged);
        assert_eq!(single, merged, "{path}");
        assert_eq!(scores.len(), merged_scores.len(), "{path}");
        for (a, b) in scores.iter().zip(&merged_scores) {
            let close = match (a, b) {
                (Some(a), Some(b)) => (a - b).abs() <= 1e-6 * a.abs().max(1e-9),
                (a, b) => a == b,
            };
            assert!(close, "{path}: score {a:?} of one index, {b:?} over shards");
        }
    }
    // (Not a comparison of empty answers.)
    assert!(
        found * 4 >= asked.len() * 3,
        "{found} of {} found anything",
        asked.len()
    );
}

#[test]
fn shards_hold_every_file_once_and_refuse_to_change_shard() {
    let shards: Vec<Dateline> = ["1/2", "2/2"]
        .iter()
        .map(|shard| indexed(&[ARCHIVE], Some(shard)))
        .collect();
    let whole = archive_index();
    let files = |dl: &Dateline| dl.stats()["files"].as_u64().expect("files");
    let articles = |dl: &Dateline| dl.stats()["articles"].as_u64().expect("articles");
    assert_eq!(shards.iter().map(files).sum::<u64>(), files(whole));
    assert_eq!(shards.iter().map(articles).sum::<u64>(), articles(whole));
    assert!(
        shards.iter().all(|shard| articles(shard) > 0),
        "both shards hold articles"
    );
    // The same files again: nothing changes; another shard's run, or a
    // whole archive's, over a shard would delete its files: refused.
    let before = articles(&shards[0]);
    let again = shards[0].run(&["index", "--shard", "1/2", ARCHIVE]);
    again.expect_code(0);
    assert!(
        again.stdout.contains("0 new, 0 changed"),
        "{}",
        again.stdout
    );
    for args in [
        vec!["index", "--shard", "2/2", ARCHIVE],
        vec!["index", ARCHIVE],
    ] {
        let refused = shards[0].run(&args);
        assert_eq!(refused.code, Some(2), "{args:?}");
        assert!(
            refused.stderr.contains("is shard 1/2"),
            "{}",
            refused.stderr
        );
    }
    assert_eq!(articles(&shards[0]), before);
    let bad = Dateline::new().run(&["index", "--shard", "3/2", ARCHIVE]);
    assert_eq!(bad.code, Some(2));
    assert!(
        bad.stderr.contains("numbered from 1 to 2"),
        "{}",
        bad.stderr
    );
}

#[test]
fn the_coordinator_answers_as_one_index_and_says_when_a_shard_is_missing() {
    let shards: Vec<Dateline> = ["1/2", "2/2"]
        .iter()
        .map(|shard| indexed(&[ARCHIVE], Some(shard)))
        .collect();
    let whole = Served::index(archive_index().index_dir());
    let first = Served::index(shards[0].index_dir());
    let second = Served::index(shards[1].index_dir());
    let urls = format!("{},{}", first.base, second.base);
    let coordinator = Served::start(&["--shards", &urls, "--shard-timeout", "2"], "127.0.0.1:0");
    assert_same_answers(&whole, &coordinator, &query_mix());
    let (_, stats) = coordinator.get("/api/stats");
    let (_, single) = whole.get("/api/stats");
    assert_eq!(stats["articles"], single["articles"]);
    assert_eq!(stats["shards"]["total"], 2);
    // An article and the page of one are the shard's that holds it.
    let id = archive_index().search_ids(&["tugboat"])[0].clone();
    let path = format!("/api/articles/{}", id.replace('#', "%23"));
    assert_eq!(coordinator.get(&path), whole.get(&path));
    assert_eq!(coordinator.get("/api/articles/nothing-here").0, 404);
    // A bad query is refused as one index refuses it.
    let bad = "/api/search?q=oil+AND";
    assert_eq!(coordinator.get(bad), whole.get(bad));

    // One shard gone: the answer comes, says it is partial, and has the
    // other shard's hits.
    let port = second.port().to_string();
    drop(second);
    let started = Instant::now();
    let (status, partial) = coordinator.get("/api/search?q=the&fold=false");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(status, 200, "{partial}");
    assert_eq!(partial["shards"]["failed"], 1, "{partial}");
    let (_, from_first) = first.get("/api/search?q=the&fold=false");
    assert!(total(&from_first) > 0);
    assert_eq!(partial["total"], from_first["total"]);
    let (status, page) = coordinator.get("/?q=the");
    assert_eq!(status, 200);
    assert!(
        page.as_str()
            .unwrap_or_default()
            .contains("1 of 2 shards did not answer"),
        "{page}"
    );
    let (status, front) = coordinator.get("/");
    assert_eq!(status, 200);
    assert!(
        front
            .as_str()
            .unwrap_or_default()
            .contains("1 of 2 shards did not answer"),
        "{front}"
    );
    // Back on its address: the answers are whole again.
    let _second = Served::start(
        &["--index", shards[1].index_dir().to_str().expect("UTF-8")],
        &format!("127.0.0.1:{port}"),
    );
    assert_same_answers(&whole, &coordinator, &query_mix()[..4]);
}

#[test]
fn a_coordinator_needs_shard_urls_it_can_read() {
    for bad in [
        "localhost:7700",
        "http://host",
        "https://a:1",
        "http://a:1/x",
    ] {
        let run = Dateline::new().run(&["serve", "--shards", bad]);
        assert_eq!(run.code, Some(2), "{bad}");
        assert!(
            run.stderr.contains("http://HOST:PORT"),
            "{bad}: {}",
            run.stderr
        );
    }
}

/// Reuters in two shards against one index: with its few exact copies in
/// different files (each shard keeps its own), totals may differ by those
/// copies, and everything sorted by date must match.
#[test]
fn reuters_over_two_shards_answers_as_one_index() {
    let Some(reuters) = shared_corpus("reuters21578") else {
        return;
    };
    let Some(whole) = reuters_index() else {
        return;
    };
    let reuters = reuters.to_str().expect("UTF-8");
    let shards: Vec<Dateline> = ["1/2", "2/2"]
        .iter()
        .map(|shard| indexed(&[reuters], Some(shard)))
        .collect();
    let copies = shards
        .iter()
        .map(|shard| shard.stats()["articles"].as_u64().unwrap_or(0))
        .sum::<u64>()
        - whole.stats()["articles"].as_u64().unwrap_or(0);
    assert!(copies < 10, "{copies} exact copies across the shards");
    let one = Served::index(whole.index_dir());
    let first = Served::index(shards[0].index_dir());
    let second = Served::index(shards[1].index_dir());
    let urls = format!("{},{}", first.base, second.base);
    let coordinator = Served::start(&["--shards", &urls], "127.0.0.1:0");
    // The coordinator counts the copies from the shards' content hashes.
    let (status, survey) = coordinator.get("/api/shards");
    assert_eq!(status, 200, "{survey}");
    assert_eq!(survey["copies_across_shards"], copies, "{survey}");
    assert_eq!(survey["servers"][1]["answered"], true, "{survey}");
    for path in [
        "/api/search?q=cocoa&sort=newest&fold=false",
        "/api/search?q=cocoa&sort=oldest&fold=false&offset=10",
        "/api/search?on=1987-03-02&fold=false",
        "/api/search?q=%22crude+oil%22&from=1987-04&to=1987-04&sort=oldest&fold=false",
        "/api/trend?q=cocoa&by=month&count=articles",
    ] {
        let (_, single) = one.get(path);
        let (_, merged) = coordinator.get(path);
        assert_eq!(comparable(single).0, comparable(merged).0, "{path}");
    }
    // A coordinator of one shard, the whole index, answers exactly as it
    // does: deep pages (found in two steps), stories and all.
    let alone = Served::start(&["--shards", &one.base], "127.0.0.1:0");
    let mut deep = Vec::new();
    for sort in ["relevance", "newest", "oldest"] {
        for (offset, fold) in [(150, "true"), (1000, "false"), (990, "true")] {
            deep.push(format!(
                "/api/search?q=oil+prices&sort={sort}&offset={offset}&limit=15&fold={fold}"
            ));
        }
    }
    assert_same_answers(&one, &alone, &deep);
    // By relevance: the same hits, in the same order, wherever no copy
    // across shards moves a score (here, none of the first twenty).
    for path in [
        "/api/search?q=cocoa+buffer+stock&fold=false&limit=20",
        "/api/search?q=%22interest+rates%22+bundesbank&fold=false&limit=20",
    ] {
        let (_, single) = one.get(path);
        let (_, merged) = coordinator.get(path);
        assert_eq!(hit_ids(&single), hit_ids(&merged), "{path}");
        let total = |v: &Value| v["total"].as_u64().unwrap_or(0);
        assert!(total(&merged) >= total(&single) && total(&merged) <= total(&single) + copies);
    }
}
