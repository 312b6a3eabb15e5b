//! Quoted text in mail (issue #15): what a reply quotes (`> …` lines and
//! the `… writes:` before them) is no word of its author's. Plain words
//! and `body:` do not find it, `quoted:` does, and a hit's snippet is cut
//! from the author's own words. On posts written here, and on 20news-mini.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::Path;

use crate::common::*;

/// Four Usenet posts of a thread: Koresh named in the poster's own words
/// (`own`), only in a quote (`reply`), only in a Subject (`headline`), and
/// in a body that is all quotes (`forward`).
const THREAD: [(&str, &str); 4] = [
    (
        "own",
        "From: a@example.org (Ann Able)\nNewsgroups: talk.politics.guns\n\
         Subject: Waco\nDate: Mon, 19 Apr 1993 10:00:00 GMT\n\n\
         Koresh said he would come out after Passover.\n",
    ),
    (
        "reply",
        "From: b@example.org (Bob Baker)\nNewsgroups: talk.politics.guns\n\
         Subject: Re: Waco\nDate: Mon, 19 Apr 1993 12:00:00 GMT\n\n\
         In article <1@example.org> a@example.org (Ann Able) writes:\n\
         >Koresh said he would surrender after Passover.\n\n\
         I doubt it.\n",
    ),
    (
        "headline",
        "From: c@example.org (Cy Cole)\nNewsgroups: talk.politics.guns\n\
         Subject: Re: Koresh\nDate: Tue, 20 Apr 1993 09:00:00 GMT\n\n\
         In article <2@example.org> b@example.org (Bob Baker)\nwrites:\n\
         > I doubt it.\n\n\
         The siege goes on.\n",
    ),
    (
        "forward",
        "From: d@example.org (Di Dodd)\nNewsgroups: talk.politics.guns\n\
         Subject: Fwd: what was said\nDate: Tue, 20 Apr 1993 11:00:00 GMT\n\n\
         Ann Able writes:\n> Koresh said he would come out.\n",
    ),
];

/// An index of [`THREAD`], the posts in `news/` (ids `news/own`, …).
fn thread_index() -> Dateline {
    let dl = Dateline::new();
    let dir = dl.scratch().join("news");
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text) in THREAD {
        std::fs::write(dir.join(name), text).unwrap();
    }
    dl.index(&[dir.to_str().unwrap()]).expect_code(0);
    dl
}

/// The posts of [`THREAD`] a query finds, by name.
#[track_caller]
fn found(dl: &Dateline, query: &str) -> BTreeSet<String> {
    dl.search_set(&["--", query])
        .into_iter()
        .map(|id| id.trim_start_matches("news/").to_string())
        .collect()
}

fn names(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|name| name.to_string()).collect()
}

/// What `search --count QUERY` prints, as a number.
#[track_caller]
fn count(dl: &Dateline, query: &str) -> usize {
    let run = dl.run(&["search", "--count", "--", query]);
    let line = run.stdout.trim_end();
    line.parse()
        .unwrap_or_else(|_| panic!("--count {query:?} printed {:?}", run.stdout))
}

#[test]
fn quoted_words_are_found_only_by_asking_for_them() {
    let dl = thread_index();
    assert_eq!(count(&dl, "koresh"), 2);
    assert_eq!(found(&dl, "koresh"), names(&["own", "headline"]));
    assert_eq!(found(&dl, "body:koresh"), names(&["own"]));
    assert_eq!(found(&dl, "quoted:koresh"), names(&["reply", "forward"]));
    assert_eq!(count(&dl, "koresh OR quoted:koresh"), 4);
    // Stemmed, phrased and prefixed like the body.
    assert_eq!(found(&dl, "quoted:surrendered"), names(&["reply"]));
    assert_eq!(found(&dl, "quoted:\"would surrender\""), names(&["reply"]));
    assert_eq!(found(&dl, "quoted:surr*"), names(&["reply"]));
    assert!(found(&dl, "surr*").is_empty());
    // The attribution is quoted too: `article`, `able` and the address are
    // in the replies only as whom they answer.
    assert_eq!(found(&dl, "able"), BTreeSet::new());
    assert_eq!(found(&dl, "quoted:able"), names(&["reply", "forward"]));
    assert_eq!(found(&dl, "doubt"), names(&["reply"]));
    assert_eq!(found(&dl, "quoted:doubt"), names(&["headline"]));
    // No scope inside another.
    let run = dl.run(&["search", "body:(quoted:koresh)"]);
    assert!(
        run.expect_error().contains("can match nothing"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_word_only_quoted_suggests_searching_the_quotes() {
    let dl = thread_index();
    let (code, json) = dl.search(&["surrender"]);
    assert_eq!((code, total(&json)), (1, 0));
    assert_eq!(json["suggestion"]["query"], "quoted:surrender");
    assert_eq!(json["suggestion"]["total"], 1);
    let run = dl.run(&["search", "surrender", "doubt"]);
    assert!(
        run.stdout
            .contains("did you mean 'quoted:surrender doubt' (1)?"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_snippet_is_what_the_author_wrote() {
    let dl = thread_index();
    let snippet = |query: &str, name: &str| -> (String, Vec<String>) {
        let (_, json) = dl.search(&["--", query]);
        let hit = hits(&json)
            .iter()
            .find(|hit| hit["id"] == format!("news/{name}"))
            .unwrap_or_else(|| panic!("{query}: no {name} in {json}"));
        (
            hit["snippet"].as_str().unwrap().to_string(),
            highlighted_words(hit, "snippet", "highlights"),
        )
    };
    // Found by its headline: its own words, not 'In article <…> writes:'.
    assert_eq!(
        snippet("koresh", "headline"),
        ("The siege goes on.".to_string(), vec![])
    );
    assert_eq!(
        snippet("doubt", "reply"),
        ("I doubt it.".to_string(), vec!["doubt".to_string()])
    );
    // Found by a quote: the quote, marked.
    let (text, marked) = snippet("quoted:koresh", "reply");
    assert!(text.starts_with("In article <1@example.org>"), "{text}");
    assert_eq!(marked, ["Koresh"]);
    let (text, marked) = snippet("koresh OR quoted:koresh", "forward");
    assert_eq!(text, "Ann Able writes: > Koresh said he would come out.");
    assert_eq!(marked, ["Koresh"]);

    // The article itself is shown whole, as written, in `show` and in the
    // JSON of hits.
    let reply = dl.show("news/reply");
    let body = reply["body"].as_str().unwrap();
    assert!(
        body.starts_with("In article <1@example.org>") && body.ends_with("I doubt it."),
        "{body}"
    );
    let run = dl.run(&["search", "--format", "json", "--fields", "id,body", "doubt"]);
    run.expect_code(0);
    assert_eq!(run.json()["hits"][0]["body"], reply["body"]);
}

// ---------------------------------------------------------------------------
// 20news-mini

/// A post of 20news-mini as read apart from dateline: its Subject, its
/// body lines, and whether each line quotes (`>` after optional spaces,
/// or `|` then `>`; attributions are not needed here, as none of the
/// corpus's holds the word counted).
struct Post {
    subject: String,
    lines: Vec<(String, bool)>,
    /// The Subject and body, lowercased, white space made one space: two
    /// posts alike so are one article to dateline (a copy is recorded,
    /// not indexed).
    text: String,
}

/// The posts of 20news-mini by id, read from the tarball.
fn newsgroup_posts(tarball: &Path) -> BTreeMap<String, Post> {
    let file = std::fs::File::open(tarball).expect("open");
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(file));
    let mut posts = BTreeMap::new();
    for entry in archive.entries().expect("tar") {
        let mut entry = entry.expect("entry");
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let path = entry.path().expect("path").to_string_lossy().to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).expect("read");
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(err) => encoding_rs::WINDOWS_1252
                .decode(err.as_bytes())
                .0
                .into_owned(),
        };
        let text = text.replace("\r\n", "\n");
        let (head, body) = text.split_once("\n\n").unwrap_or((&text, ""));
        let mut subject = String::new();
        let mut in_subject = false;
        for line in head.lines() {
            if line.starts_with([' ', '\t']) {
                if in_subject {
                    subject.push_str(line);
                }
                continue;
            }
            in_subject = false;
            if let Some((name, value)) = line.split_once(':') {
                if name.eq_ignore_ascii_case("subject") {
                    subject = value.to_string();
                    in_subject = true;
                }
            }
        }
        let quotes = |line: &str| {
            let rest = line.trim_start();
            rest.starts_with('>')
                || rest
                    .strip_prefix('|')
                    .is_some_and(|rest| rest.trim_start().starts_with('>'))
        };
        let lines = body
            .lines()
            .map(|line| (line.to_string(), quotes(line)))
            .collect();
        let normal = |text: &str| {
            text.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        };
        posts.insert(
            format!("mini_newsgroups.tar.gz::{path}"),
            Post {
                text: format!("{}\n{}", normal(&subject), normal(body)),
                subject,
                lines,
            },
        );
    }
    posts
}

/// Whether `text` has `word` (lowercase) as a word: a run of letters and
/// digits, lowercased, as the index splits text.
fn has_word(text: &str, word: &str) -> bool {
    text.split(|c: char| !c.is_alphanumeric())
        .any(|piece| piece.to_lowercase() == word)
}

/// The ids of the posts `pick` takes, each once: of posts alike in
/// Subject and body, the first (in the tarball's order, which dateline
/// reads in).
fn once_each(posts: &BTreeMap<String, Post>, pick: impl Fn(&Post) -> bool) -> BTreeSet<&str> {
    let mut seen = BTreeSet::new();
    posts
        .iter()
        .filter(|(_, post)| seen.insert(post.text.as_str()))
        .filter(|(_, post)| pick(post))
        .map(|(id, _)| id.as_str())
        .collect()
}

/// Every id a query finds, all pages.
#[track_caller]
fn every_hit(dl: &Dateline, query: &str) -> BTreeSet<String> {
    let run = dl.run(&[
        "search", "-n", "all", "--format", "jsonl", "--fields", "id", "--", query,
    ]);
    jsonl(&run)
        .iter()
        .map(|hit| hit["id"].as_str().expect("an id").to_string())
        .collect()
}

/// The JSON lines a successful run printed.
#[track_caller]
fn jsonl(run: &Run) -> Vec<serde_json::Value> {
    run.expect_code(0);
    run.stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON line"))
        .collect()
}

#[test]
fn newsgroups_mini_counts_koresh_in_the_posters_own_words() {
    let Some(mini) = shared_corpus("20news-mini") else {
        return;
    };
    let tarball = mini.join("mini_newsgroups.tar.gz");
    let posts = newsgroup_posts(&tarball);
    assert_eq!(posts.len(), 2000);
    let own = once_each(&posts, |post| {
        has_word(&post.subject, "koresh")
            || post
                .lines
                .iter()
                .any(|(line, quoted)| !quoted && has_word(line, "koresh"))
    });
    let quoted = once_each(&posts, |post| {
        post.lines
            .iter()
            .any(|(line, quoted)| *quoted && has_word(line, "koresh"))
    });
    let anywhere = once_each(&posts, |post| {
        has_word(&post.subject, "koresh")
            || post.lines.iter().any(|(line, _)| has_word(line, "koresh"))
    });
    // The truth of the data: 39 posts name Koresh as a word in their
    // Subject or body (43 hold the letters, with `Koreshians` and
    // `dkoresh@…`; two more only in a header, `From: koresh@…` and an
    // `Organization`), two of them copies of others: 37 articles. 24 name
    // him in their own words (3 of them in the Subject), 23 quote someone
    // who did, 13 only quote.
    assert_eq!(
        (own.len(), quoted.len(), anywhere.len()),
        (24, 23, 37),
        "own words, quotes, anywhere"
    );
    assert_eq!(anywhere.difference(&own).count(), 13);

    let dl = Dateline::new();
    dl.index(&[tarball.to_str().unwrap()]).expect_code(0);
    let strings = |set: &BTreeSet<&str>| -> BTreeSet<String> {
        set.iter().map(|id| id.to_string()).collect()
    };
    assert_eq!(every_hit(&dl, "koresh"), strings(&own));
    assert_eq!(count(&dl, "koresh"), 24);
    assert_eq!(every_hit(&dl, "quoted:koresh"), strings(&quoted));
    assert_eq!(
        every_hit(&dl, "koresh OR quoted:koresh"),
        strings(&anywhere)
    );

    // Listed without a query (so matching nothing), a post shows its own
    // words first: 742 posts have a body that opens `In article <…>`, 4
    // snippets of the 1,991 articles still do. Two glue the first quoted
    // line to the attribution (`writes:|> …`, `writes:>Between …`), one
    // opens `In article: <…>` and never says who wrote, and one is all
    // quotes.
    let opening = posts
        .iter()
        .filter(|(_, post)| {
            post.lines
                .iter()
                .find(|(line, _)| !line.trim().is_empty())
                .is_some_and(|(line, _)| line.trim_start().starts_with("In article"))
        })
        .count();
    assert_eq!(opening, 742, "posts whose body opens 'In article'");
    let run = dl.run(&[
        "search",
        "-n",
        "all",
        "--format",
        "jsonl",
        "--fields",
        "id,snippet",
        "--on",
        "1993",
    ]);
    let listed = jsonl(&run);
    assert_eq!(listed.len(), 1991);
    let still: BTreeSet<&str> = listed
        .iter()
        .filter(|hit| hit["snippet"].as_str().unwrap().starts_with("In article"))
        .map(|hit| {
            let id = hit["id"].as_str().unwrap();
            id.rsplit("mini_newsgroups/").next().unwrap()
        })
        .collect();
    assert_eq!(
        still,
        BTreeSet::from([
            "soc.religion.christian/21342",
            "soc.religion.christian/21544",
            "sci.electronics/53653",
            "talk.politics.mideast/77250",
        ])
    );
}
