//! Ranking: long queries that no article answers whole are answered by the
//! articles with most of their words, and say so; operators and quotes keep
//! their meaning.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::common::*;

/// A sentence whose words that are not stop words (these eight) no article
/// has all of, though some have seven: those with six or seven answer.
const SENTENCE: &str =
    "what did the central bank of Indonesia say about interest rates for farmers in March";
const WORDS: [&str; 8] = [
    "central",
    "bank",
    "indonesia",
    "say",
    "interest",
    "rates",
    "farmers",
    "march",
];

/// `search --count`, as printed.
fn strict_count(dl: &Dateline, query: &str) -> usize {
    let run = dl.run(&["search", "--count", "--", query]);
    run.stdout.trim().parse().expect("a count")
}

#[test]
fn a_sentence_no_article_answers_whole_is_answered_by_those_with_most_of_its_words() {
    let Some(dl) = reuters_index() else {
        return;
    };
    // No article has every word: the count (which never falls back) says so.
    assert_eq!(strict_count(dl, SENTENCE), 0);
    assert_eq!(strict_count(dl, &WORDS.join(" ")), 0);
    let (code, json) = dl.search(&["-n", "10000", "--no-fold", "--", SENTENCE]);
    assert_eq!(code, 0);
    assert_eq!(json["mode"], "most_words", "{}", json["mode"]);
    assert_eq!(json["words"], 8);
    assert_eq!(json["words_most"], 7);
    assert_eq!(json["words_matched"], 6);
    // An independent count: the articles with six of the eight words or
    // more are those that have every word of some six-word subset.
    let expected = with_all_of_some(dl, &WORDS, 6);
    let seven = with_all_of_some(dl, &WORDS, 7);
    assert!(!seven.is_empty() && seven.len() < expected.len());
    let ids = hit_ids(&json);
    assert_eq!(total(&json), expected.len());
    assert_eq!(ids.iter().cloned().collect::<BTreeSet<_>>(), expected);
    // Ranked: scores never rise down the list, the same on every run.
    let scores: Vec<f64> = hits(&json)
        .iter()
        .map(|hit| hit["score"].as_f64().expect("a score"))
        .collect();
    assert!(
        scores.windows(2).all(|pair| pair[0] >= pair[1]),
        "{scores:?}"
    );
    let (_, again) = dl.search(&["-n", "10000", "--no-fold", "--", SENTENCE]);
    assert_eq!(hit_ids(&again), ids);
    // The first line says what happened.
    let run = dl.run(&["search", "-n", "1", "--", SENTENCE]);
    run.expect_code(0);
    let first = run.stdout.lines().next().unwrap_or_default();
    let noun = if expected.len() == 1 {
        "article has"
    } else {
        "articles have"
    };
    assert!(
        first.starts_with(&format!(
            "no article has all 15 words of \"{SENTENCE}\"; showing those with most of them: \
             {} {noun} 6 or 7 of its 8 words that are not stop words",
            expected.len()
        )),
        "{first}"
    );
    // Facets count the same articles as the hits.
    let run = dl.run(&[
        "search", "--json", "-n", "1", "--facets", "source", "--", SENTENCE,
    ]);
    run.expect_code(0);
    let faceted = run.json();
    let counts: u64 = faceted["facets"]["source"]["values"]
        .as_array()
        .expect("source values")
        .iter()
        .map(|v| v["count"].as_u64().expect("a count"))
        .sum();
    assert_eq!(counts, expected.len() as u64);
}

#[test]
fn when_only_stop_words_are_missing_the_articles_with_every_other_word_answer() {
    let Some(dl) = reuters_index() else {
        return;
    };
    let sentence = "what did the central bank say about interest rates in March";
    assert_eq!(strict_count(dl, sentence), 0);
    let (_, json) = dl.search(&["-n", "10000", "--no-fold", "--", sentence]);
    assert_eq!(json["mode"], "most_words");
    assert_eq!(json["words"], 6);
    assert_eq!(json["words_most"], 6);
    assert_eq!(json["words_matched"], 5);
    let words = ["central", "bank", "say", "interest", "rates", "march"];
    let every = with_all_of_some(dl, &words, 6);
    let found: BTreeSet<String> = hit_ids(&json).into_iter().collect();
    assert!(!every.is_empty() && every.is_subset(&found));
    assert_eq!(found, with_all_of_some(dl, &words, 5));
}

/// The articles with every word of at least one `size`-word subset of
/// `words`, each subset searched with `AND`.
fn with_all_of_some(dl: &Dateline, words: &[&str], size: usize) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for mask in 0u32..1 << words.len() {
        if mask.count_ones() as usize == size {
            let subset: Vec<&str> = (0..words.len())
                .filter(|i| mask & (1 << i) != 0)
                .map(|i| words[i])
                .collect();
            found.extend(dl.search_set(&["--", &subset.join(" AND ")]));
        }
    }
    found
}

#[test]
fn quotes_operators_and_short_queries_keep_their_meaning() {
    let Some(dl) = reuters_index() else {
        return;
    };
    // A quoted phrase must still match whole: every hit has it.
    let (_, json) = dl.search(&[
        "-n",
        "10000",
        "--",
        "\"interest rates\" central bank say march zzyzxq",
    ]);
    assert_eq!(json["mode"], "most_words");
    assert!(total(&json) > 0);
    for hit in hits(&json) {
        let text = format!("{} {}", hit["headline"], hit_text(dl, hit)).to_lowercase();
        // As the analyser reads it: `interest-rate` is two words.
        let letters: String = text
            .chars()
            .map(|c| if c.is_alphanumeric() { c } else { ' ' })
            .collect();
        let words = letters.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(words.contains("interest rate"), "{}", hit["id"]);
    }
    // An exclusion too.
    let (_, json) = dl.search(&["-n", "10000", "--", "central bank say march zzyzxq -rates"]);
    assert_eq!(json["mode"], "most_words");
    for hit in hits(&json) {
        let text = format!("{} {}", hit["headline"], hit_text(dl, hit)).to_lowercase();
        let mut words = text.split(|c: char| !c.is_alphanumeric());
        assert!(
            !words.any(|word| word == "rates" || word == "rate"),
            "{}",
            hit["id"]
        );
    }
    // Written operators are taken at their word.
    let (code, json) = dl.search(&["--", "central AND bank AND say AND march AND zzyzxq"]);
    assert_eq!((code, total(&json)), (1, 0));
    assert!(json.get("mode").is_none(), "{json}");
    // Two words that find nothing get a suggestion, not a fallback.
    let (code, json) = dl.search(&["--", "cocoa zzyzxq"]);
    assert_eq!((code, total(&json)), (1, 0));
    assert!(json.get("mode").is_none(), "{json}");
    // A query every word of which matches is answered as before.
    let (_, json) = dl.search(&["--", "central bank interest rates"]);
    assert!(json.get("mode").is_none(), "{json}");
    assert!(json.get("words").is_none());
}

/// A hit's whole body, from `show`.
fn hit_text(dl: &Dateline, hit: &Value) -> String {
    let shown = dl.show(hit["id"].as_str().expect("an id"));
    shown["body"].as_str().unwrap_or_default().to_string()
}

#[test]
fn the_fixture_archive_answers_a_sentence_with_the_articles_having_most_of_its_words() {
    let dl = archive_index();
    let sentence = "why are cocoa farmers in Ghana worried about rains and chocolate makers";
    let words = [
        "cocoa",
        "farmers",
        "ghana",
        "worried",
        "rains",
        "chocolate",
        "makers",
    ];
    assert_eq!(strict_count(dl, sentence), 0);
    let (code, json) = dl.search(&["-n", "100", "--", sentence]);
    assert_eq!(code, 0);
    assert_eq!(json["mode"], "most_words");
    assert_eq!(json["words"], 7);
    let most = json["words_most"].as_u64().expect("words_most") as usize;
    let matched = json["words_matched"].as_u64().expect("words_matched") as usize;
    assert!(with_all_of_some(dl, &words, most + 1).is_empty());
    assert!(!with_all_of_some(dl, &words, most).is_empty());
    assert_eq!(matched, (most - 1).max(4));
    let found: BTreeSet<String> = hit_ids(&json).into_iter().collect();
    assert_eq!(found, with_all_of_some(dl, &words, matched));
}

/// Queries whose Reuters top 10 is kept in `tests/snapshots/reuters-top10.txt`.
const SNAPSHOT_QUERIES: [&str; 7] = [
    "cocoa",
    "opec oil prices",
    "interest rates",
    "\"buffer stock\"",
    "gold OR silver",
    "bank of japan -yen",
    "what did the central bank of Indonesia say about interest rates for farmers in March",
];

/// The top 10 of a few Reuters queries, kept in the repository so that a
/// change of ranking shows in review as a diff of this file. To accept a
/// change, run the test with `DATELINE_UPDATE_SNAPSHOTS=1` and commit the
/// file it writes.
#[test]
fn reuters_top_tens_are_as_the_snapshot_says() {
    let Some(dl) = reuters_index() else {
        return;
    };
    let mut snapshot = String::from(
        "# The top 10 of each query on Reuters-21578: rank, id, date, headline.\n\
         # Written by `DATELINE_UPDATE_SNAPSHOTS=1 cargo test --test integration \
         ranking::reuters_top_tens`.\n",
    );
    for query in SNAPSHOT_QUERIES {
        let (_, json) = dl.search(&["-n", "11", "--", query]);
        snapshot.push_str(&format!("\n## {query} ({} articles)\n", total(&json)));
        // Articles of equal score may come in any order (it depends on how
        // the index's segments fell): in the order of their ids here, and
        // none whose score the 11th shares, which could be left out.
        let score = |hit: &Value| hit["score"].as_f64().expect("a score");
        let mut top: Vec<&Value> = hits(&json).iter().collect();
        let eleventh = (top.len() == 11).then(|| score(top[10]));
        top.truncate(10);
        top.retain(|hit| Some(score(hit)) != eleventh);
        top.sort_by(|a, b| {
            score(b)
                .total_cmp(&score(a))
                .then_with(|| a["id"].as_str().cmp(&b["id"].as_str()))
        });
        for (rank, hit) in top.iter().enumerate() {
            snapshot.push_str(&format!(
                "{:>2}  {}  {}  {}\n",
                rank + 1,
                hit["id"].as_str().unwrap_or_default(),
                hit["date"].as_str().unwrap_or("undated"),
                hit["headline"].as_str().unwrap_or_default()
            ));
        }
    }
    let path = root().join("tests/snapshots/reuters-top10.txt");
    if std::env::var("DATELINE_UPDATE_SNAPSHOTS").as_deref() == Ok("1") {
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("the snapshot folder");
        std::fs::write(&path, &snapshot).expect("the snapshot written");
        return;
    }
    let kept = std::fs::read_to_string(&path).unwrap_or_default();
    if kept != snapshot {
        let first = kept
            .lines()
            .zip(snapshot.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(kept.lines().count().min(snapshot.lines().count()));
        panic!(
            "the ranking changed from tests/snapshots/reuters-top10.txt, first at line {}:\n  kept: {}\n  now:  {}\n\
             (rerun with DATELINE_UPDATE_SNAPSHOTS=1 to accept it, and commit the file)",
            first + 1,
            kept.lines().nth(first).unwrap_or("(end)"),
            snapshot.lines().nth(first).unwrap_or("(end)")
        );
    }
}

/// The relevance harness end to end on a collection made here, whose
/// ranking is plain: SMART files → articles → the index → each query's
/// ranked ids → the measures, which must be the ones worked out by hand.
#[test]
fn a_tiny_judged_collection_scores_as_worked_out_by_hand() {
    use dateline::relevance;
    let all = "*TEXT 001 01/04/63 PAGE 001\n\nCOCOA COCOA COCOA HARVEST IN GHANA\n\n\
               *TEXT 002 01/04/63 PAGE 002\n\nA LONG REPORT ON SHIPPING RATES AND PORTS AND \
               WEATHER AND GRAIN AND ONE MENTION OF COCOA AT THE END OF IT\n\n\
               *TEXT 003 01/11/63 PAGE 003\n\nELECTIONS IN ITALY\n\n\
               *TEXT 004 01/11/63 PAGE 004\n\nGHANA ELECTIONS AND COCOA FARMERS\n\n*STOP\n";
    let queries = "*FIND 1\n\n COCOA IN GHANA .\n\n*FIND 2\n\n ITALY\n\n*STOP\n";
    let stop = ["in"].map(String::from).into();
    let dl = Dateline::new();
    let dir = dl.scratch().join("collection");
    std::fs::create_dir_all(&dir).unwrap();
    for (at, record) in relevance::smart_records(all, "*TEXT").iter().enumerate() {
        let date = relevance::smart_date(record.header.split_whitespace().nth(1).unwrap()).unwrap();
        let text = format!(" date {date} #{}\n\n{}\n", at + 1, record.lines.join("\n"));
        std::fs::write(dir.join(format!("{}.txt", at + 1)), text).unwrap();
    }
    dl.index(&[dir.to_str().unwrap()]).expect_code(0);
    let queries = relevance::smart_queries(queries, &stop);
    assert_eq!(queries[&1], ["cocoa", "ghana"]);
    // Query 1: articles 1 and 4 are relevant, and so is 7, which no index
    // holds; query 2: article 3.
    let judged = relevance::judgments("1 1 4 7\n2 3\n", |n| n.to_string());
    let mut scores = Vec::new();
    for (number, words) in &queries {
        let ranked = ranked_files(&dl, words);
        if *number == 1 {
            // Both words, or the word three times, come before one
            // mention in a long text.
            assert_eq!(ranked.len(), 3, "{ranked:?}");
            assert!(
                ranked[..2].contains(&"1".to_string()) && ranked[..2].contains(&"4".to_string())
            );
            assert_eq!(ranked[2], "2");
        }
        scores.push(relevance::score(&ranked, &judged[number]));
    }
    two_queries_score_as_worked_out_by_hand(&scores);
}

/// The files a search for an OR of `words` ranks, by name (`…/4.txt` →
/// `4`), best first.
fn ranked_files(dl: &Dateline, words: &[String]) -> Vec<String> {
    let (_, json) = dl.search(&["-n", "100", "--", &words.join(" OR ")]);
    hit_ids(&json)
        .iter()
        .map(|id| {
            id.rsplit('/')
                .next()
                .unwrap()
                .trim_end_matches(".txt")
                .to_string()
        })
        .collect()
}

/// The mean measures of two queries: the first with relevant articles at
/// ranks 1 and 2 of its 3 relevant (AP (1 + 1) / 3, P@10 0.2, nDCG@10
/// (1 + 1/log2 3) / (1 + 1/log2 3 + 1/2)), the second with its one relevant
/// article first (all 1, P@10 0.1).
fn two_queries_score_as_worked_out_by_hand(scores: &[dateline::relevance::Scores]) {
    let mean = dateline::relevance::mean(scores);
    let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
    let dcg = 1.0 + 1.0 / 3f64.log2();
    assert!(close(mean.ap100, (2.0 / 3.0 + 1.0) / 2.0), "{mean:?}");
    assert!(close(mean.p10, (0.2 + 0.1) / 2.0), "{mean:?}");
    assert!(
        close(mean.ndcg10, (dcg / (dcg + 0.5) + 1.0) / 2.0),
        "{mean:?}"
    );
}

/// The same, for a collection in the dotted SMART format (ADI, CACM, CISI):
/// titles become headlines, texts bodies, and an article may be a title
/// alone; queries are numbered by place, judgments written a pair a line.
#[test]
fn a_tiny_dotted_collection_scores_as_worked_out_by_hand() {
    use dateline::relevance;
    let all = ".I 1\r\n.T\r\ncocoa harvest in ghana\r\n.A\r\nA. WRITER\r\n.W\r\nthe cocoa crop was large .\r\n\
               .I 2\r\n.T\r\nshipping rates\r\n.W\r\na long report on shipping rates and ports and\r\n\
               weather and grain and one mention of cocoa at the end of it\r\n\
               .I 3\r\n.T\r\nelections in italy\r\n.W\r\nvoters went to the polls .\r\n\
               .I 4\r\n.T\r\nghana farmers\r\n";
    let queries = ".I 1\n.W\ncocoa in ghana .\n.I 3\n.W\nitaly\n";
    let dl = Dateline::new();
    let dir = dl.scratch().join("dotted");
    std::fs::create_dir_all(&dir).unwrap();
    let records = relevance::dotted_records(all);
    assert_eq!(records.len(), 4);
    for record in &records {
        let text = format!(
            " date 1970-01-01 {}\n\n{}\n",
            record.field('T').replace('\n', " "),
            record.field('W')
        );
        std::fs::write(dir.join(format!("{}.txt", record.number)), text).unwrap();
    }
    assert_eq!(records[3].field('W'), "");
    dl.index(&[dir.to_str().unwrap()]).expect_code(0);
    let stop = ["in"].map(String::from).into();
    let queries = relevance::dotted_queries(queries, &stop);
    assert_eq!(queries.keys().copied().collect::<Vec<_>>(), [1, 2]);
    // Query 1: articles 1 and 4 (a title alone) are relevant, and so is 7,
    // which no index holds; query 2: article 3.
    let judged = relevance::pair_judgments("1 1 0 0.000000\n1  4 0 0\n1 7 0 0\n2 3 0 0\n");
    let mut scores = Vec::new();
    for (number, words) in &queries {
        let ranked = ranked_files(&dl, words);
        if *number == 1 {
            // Both words, then a short title with one of them, before one
            // mention at the end of a long text.
            assert_eq!(ranked, ["1", "4", "2"]);
        }
        scores.push(relevance::score(&ranked, &judged[number]));
    }
    two_queries_score_as_worked_out_by_hand(&scores);
}

/// Scores are BM25 over articles: with one article a file, the index also
/// holds a record of each file read, which must count neither as a
/// document (the idf's N) nor in a field's average length. Worked out by
/// hand: k1 = 1.2, b = 0.75; a word scores a BM25 of the headline plus a
/// BM25 of the whole article (headline and body as one text), with one
/// document frequency, the whole article's.
#[test]
fn scores_are_bm25_over_articles_not_the_records_of_files() {
    let dl = Dateline::new();
    let dir = dl.scratch().join("four");
    std::fs::create_dir_all(&dir).unwrap();
    // Headlines of 2, 1, 1, 1 words (average 1.25); bodies of 3, 6, 3, 6,
    // so whole articles of 5, 7, 4, 7 (average 5.75).
    for (name, headline, body) in [
        ("a", "Cocoa prices", "Ghana harvest rises."),
        ("b", "Weather", "Rain in Ghana and cocoa farms."),
        ("c", "Markets", "Stocks fell today."),
        ("d", "Sport", "A match was played here today."),
    ] {
        let text = format!(" date 2020-01-01 {headline}\n\n{body}\n");
        std::fs::write(dir.join(format!("{name}.txt")), text).unwrap();
    }
    dl.index(&[dir.to_str().unwrap()]).expect_code(0);
    let bm25 = |docs_with_word: f64, tf: f64, length: f64, average: f64| {
        let idf = (1.0 + (4.0 - docs_with_word + 0.5) / (docs_with_word + 0.5)).ln();
        idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * length / average))
    };
    let scores = |query: &str| -> Vec<(String, f64)> {
        let (_, json) = dl.search(&["--", query]);
        hits(&json)
            .iter()
            .map(|hit| {
                let path = hit["path"].as_str().unwrap();
                let name = path.rsplit('/').next().unwrap().trim_end_matches(".txt");
                (name.to_string(), hit["score"].as_f64().unwrap())
            })
            .collect()
    };
    let expect = |query: &str, expected: &[(&str, f64)]| {
        let found = scores(query);
        assert_eq!(found.len(), expected.len(), "{query}: {found:?}");
        for ((name, score), (want_name, want)) in found.iter().zip(expected) {
            assert_eq!(name, want_name, "{query}: {found:?}");
            assert!(
                (score - want).abs() < 1e-4,
                "{query}: {name} scored {score}, BM25 over the 4 articles says {want}"
            );
        }
    };
    // In two bodies.
    expect(
        "ghana",
        &[
            ("a", bm25(2.0, 1.0, 5.0, 5.75)),
            ("b", bm25(2.0, 1.0, 7.0, 5.75)),
        ],
    );
    // In a headline (so in the whole article too) and in a body: one
    // article each.
    expect(
        "cocoa",
        &[
            ("a", bm25(2.0, 1.0, 2.0, 1.25) + bm25(2.0, 1.0, 5.0, 5.75)),
            ("b", bm25(2.0, 1.0, 7.0, 5.75)),
        ],
    );
}

/// A search of words ORed is ranked with block-max WAND, and words ANDed
/// by `WordsAnded`: both skip blocks of postings by bounds tantivy chose at
/// index time with its own statistics (every document counted), while the
/// search counts articles alone (see the previous test). The pruned ranking
/// must still be the exhaustive one: the same query with an exclusion that
/// removes nothing is ranked by scoring every match. On BBC, an archive of
/// one article a file, the two statistics differ most; on Reuters, 22 files
/// of 1,000 articles, they nearly agree, so the bounds are tight and most
/// blocks are skipped.
#[test]
fn pruned_rankings_equal_exhaustive_ones() {
    for corpus in ["bbc", "reuters21578"] {
        let Some(archive) = shared_corpus(corpus) else {
            return;
        };
        let dl = Dateline::new();
        dl.index(&[archive.to_str().unwrap()]).expect_code(0);
        pruned_rankings_equal_exhaustive_ones_in(&dl, corpus);
    }
}

fn pruned_rankings_equal_exhaustive_ones_in(dl: &Dateline, corpus: &str) {
    let (_, listing) = dl.search(&["-n", "400", "--no-fold", "--", "the OR of OR to OR in"]);
    let headlines: Vec<Vec<String>> = hits(&listing)
        .iter()
        .map(|hit| {
            let mut words: Vec<String> = hit["headline"]
                .as_str()
                .unwrap()
                .split(|c: char| !c.is_ascii_alphabetic())
                .filter(|word| word.len() >= 4)
                .map(str::to_lowercase)
                .collect();
            words.dedup();
            words
        })
        .collect();
    let mut words: Vec<String> = headlines.iter().flatten().cloned().collect();
    words.sort();
    words.dedup();
    assert!(words.len() > 200, "{corpus}: {} words", words.len());
    let ranked = |query: &str| -> Vec<(String, f64)> {
        let (_, json) = dl.search(&["-n", "10", "--no-fold", "--", query]);
        hits(&json)
            .iter()
            .map(|hit| {
                let id = hit["id"].as_str().unwrap().to_string();
                (id, hit["score"].as_f64().unwrap())
            })
            .collect()
    };
    // The same articles in the same order, with the same scores but for
    // the last bits of a float: a pruned union adds its words' scores in
    // the order its walk has them in, not always the query's.
    let same = |pruned: &[(String, f64)], exhaustive: &[(String, f64)], query: &str| {
        let ids =
            |page: &[(String, f64)]| page.iter().map(|(id, _)| id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(pruned), ids(exhaustive), "{corpus}: {query}");
        for ((_, a), (_, b)) in pruned.iter().zip(exhaustive) {
            assert!(
                (a - b).abs() <= 1e-5 * b.abs(),
                "{corpus}: {query}: {a} against {b}"
            );
        }
    };
    // Words picked by a fixed walk through the list: ones, twos, threes,
    // ORed; and two, three or four words of one headline, ANDed (so that
    // some article has them all), with a common word or not (when an
    // article has them all: else the fallback answers).
    let mut at = 7usize;
    let mut anded = 0;
    let mut in_bodies = 0;
    let mut phrases = 0;
    for n in 0..45 {
        let mut picked = Vec::new();
        for _ in 0..=(n % 3) {
            at = (at * 31 + 17) % words.len();
            picked.push(words[at].clone());
        }
        let query = picked.join(" OR ");
        let pruned = ranked(&query);
        assert!(!pruned.is_empty(), "{corpus}: {query}");
        let exhaustive = ranked(&format!("({query}) -zzqqxxnotaword"));
        same(&pruned, &exhaustive, &query);

        let headline = &headlines[(n * 37 + 11) % headlines.len()];
        let mut picked: Vec<&str> = headline
            .iter()
            .map(String::as_str)
            .take(2 + n % 3)
            .collect();
        if n % 2 == 0 {
            picked.push("said");
        }
        if picked.len() < 2 {
            continue;
        }
        let query = picked.join(" ");
        let exhaustive = ranked(&format!("({query}) -zzqqxxnotaword"));
        if exhaustive.is_empty() {
            continue;
        }
        same(&ranked(&query), &exhaustive, &query);
        anded += 1;

        // The first word, and `said`, in the body alone (`OwnBody`: ranked
        // from the whole field's bounds, then scored in the body), with the
        // others and alone.
        let in_body: Vec<String> = picked
            .iter()
            .enumerate()
            .map(|(at, word)| match at == 0 || *word == "said" {
                true => format!("body:{word}"),
                false => word.to_string(),
            })
            .collect();
        for query in [in_body.join(" "), in_body[0].clone()] {
            let exhaustive = ranked(&format!("({query}) -zzqqxxnotaword"));
            if exhaustive.is_empty() {
                // (The fallback answers.)
                continue;
            }
            same(&ranked(&query), &exhaustive, &query);
            in_bodies += 1;
        }

        // Two words of a headline, one after the other, as a phrase: ranked
        // from the headline matches first.
        if let [first, second, ..] = &headline[n % 2.min(headline.len())..] {
            let query = format!("\"{first} {second}\"");
            let exhaustive = ranked(&format!("{query} -zzqqxxnotaword"));
            same(&ranked(&query), &exhaustive, &query);
            phrases += usize::from(!exhaustive.is_empty());
        }
    }
    assert!(anded > 30, "{corpus}: {anded} searches of words ANDed");
    assert!(in_bodies > 30, "{corpus}: {in_bodies} searches in bodies");
    assert!(phrases > 15, "{corpus}: {phrases} phrases found");
}
