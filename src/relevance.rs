//! Measures of ranking quality against a judged test collection: for each
//! query, the ids an engine ranked and the ids a judge called relevant.
//! The relevance benchmark (`cargo bench --bench relevance`) scores
//! dateline and SQLite FTS5 with these on the same articles and queries.
//!
//! Judgments are binary (relevant or not), as in the classic collections
//! (TIME, CACM, CRAN). Definitions follow `trec_eval`: average precision
//! divides by every relevant article, found or not; nDCG uses the gain 1
//! and the discount `log2(rank + 1)`.

use std::collections::{BTreeMap, HashMap, HashSet};

/// The ranking quality of one query, or the mean over many.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Scores {
    /// Average precision over the top 100.
    pub ap100: f64,
    /// Precision at 10: the share of the top 10 that is relevant.
    pub p10: f64,
    /// Normalised discounted cumulative gain over the top 10.
    pub ndcg10: f64,
}

/// The scores of one query's ranking (best first, duplicates counted once
/// at their first place) against the ids judged relevant. A query with no
/// relevant article scores 0 (and a mean should leave it out).
pub fn score<S: AsRef<str>>(ranked: &[S], relevant: &HashSet<String>) -> Scores {
    if relevant.is_empty() {
        return Scores::default();
    }
    let mut seen = HashSet::new();
    let ranked: Vec<&str> = ranked
        .iter()
        .map(AsRef::as_ref)
        .filter(|id| seen.insert(*id))
        .collect();
    let is_relevant = |id: &str| relevant.contains(id);

    let mut found = 0usize;
    let mut precision_sum = 0.0;
    for (i, id) in ranked.iter().take(100).enumerate() {
        if is_relevant(id) {
            found += 1;
            precision_sum += found as f64 / (i + 1) as f64;
        }
    }
    let ap100 = precision_sum / relevant.len() as f64;

    let top10 = ranked.iter().take(10);
    let p10 = top10.clone().filter(|id| is_relevant(id)).count() as f64 / 10.0;

    let discount = |i: usize| 1.0 / ((i + 2) as f64).log2();
    let dcg: f64 = top10
        .enumerate()
        .filter(|(_, id)| is_relevant(id))
        .map(|(i, _)| discount(i))
        .sum();
    let ideal: f64 = (0..relevant.len().min(10)).map(discount).sum();
    Scores {
        ap100,
        p10,
        ndcg10: dcg / ideal,
    }
}

/// The mean of each measure over queries.
pub fn mean(scores: &[Scores]) -> Scores {
    if scores.is_empty() {
        return Scores::default();
    }
    let n = scores.len() as f64;
    Scores {
        ap100: scores.iter().map(|s| s.ap100).sum::<f64>() / n,
        p10: scores.iter().map(|s| s.p10).sum::<f64>() / n,
        ndcg10: scores.iter().map(|s| s.ndcg10).sum::<f64>() / n,
    }
}

/// One record of a collection in the SMART format of the classic test
/// collections (`*TEXT 017 01/04/63 PAGE 020`, then its text): what
/// follows the marker on its line, and its other lines that are not blank,
/// trimmed. Records end at the next marker or at `*STOP`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmartRecord {
    /// The rest of the marker's line (`017 01/04/63 PAGE 020`).
    pub header: String,
    /// The text, a line each.
    pub lines: Vec<String>,
}

/// The records of a SMART file whose records start with `marker`
/// (`*TEXT`, `*FIND`), in order.
pub fn smart_records(text: &str, marker: &str) -> Vec<SmartRecord> {
    text.split(marker)
        .skip(1)
        .map(|record| {
            let record = record.split("*STOP").next().unwrap_or(record);
            let (header, rest) = record.split_once('\n').unwrap_or((record, ""));
            SmartRecord {
                header: header.trim().to_string(),
                lines: rest
                    .lines()
                    .map(str::trim)
                    .filter(|line| !line.is_empty())
                    .map(str::to_string)
                    .collect(),
            }
        })
        .collect()
}

/// A SMART date, `01/04/63`, as `1963-01-04` (a missing year, as in
/// TIME's `08/30 63`, is taken from what follows or else 1963).
pub fn smart_date(text: &str) -> Option<String> {
    let mut parts = text.split('/');
    let month: u32 = parts.next()?.trim().parse().ok()?;
    let day: u32 = parts.next()?.trim().parse().ok()?;
    let year: u32 = parts
        .next()
        .and_then(|y| y.trim().parse().ok())
        .unwrap_or(63);
    ((1..=12).contains(&month) && (1..=31).contains(&day))
        .then(|| format!("{}-{month:02}-{day:02}", 1900 + year))
}

/// The queries of a SMART query file (`*FIND N`, then the text): for each
/// number, its words lowercased, those in `stop_words` left out, each
/// once, in order.
pub fn smart_queries(text: &str, stop_words: &HashSet<String>) -> BTreeMap<usize, Vec<String>> {
    let mut queries = BTreeMap::new();
    for record in smart_records(text, "*FIND") {
        let Ok(number) = record.header.parse::<usize>() else {
            continue;
        };
        queries.insert(number, query_words(&record.lines.join("\n"), stop_words));
    }
    queries
}

/// A query's words: lowercased, split at what is not a letter or digit,
/// those in `stop_words` left out, each once, in order.
fn query_words(text: &str, stop_words: &HashSet<String>) -> Vec<String> {
    let mut kept: Vec<String> = Vec::new();
    for word in text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
    {
        if !stop_words.contains(&word) && !kept.contains(&word) {
            kept.push(word);
        }
    }
    kept
}

/// One record of a collection in the dotted SMART format of CACM, CISI,
/// MED, CRAN and ADI: a line `.I 17`, then fields, each a line of a dot
/// and a letter (`.T` title, `.W` text, `.A` authors, …) followed by its
/// lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DottedRecord {
    /// The number after `.I`.
    pub number: usize,
    /// Each field's letter and its lines (trimmed, blank ones left out),
    /// in the order written.
    pub fields: Vec<(char, Vec<String>)>,
}

impl DottedRecord {
    /// The lines of every field with this letter, joined by line ends.
    pub fn field(&self, letter: char) -> String {
        self.fields
            .iter()
            .filter(|(l, _)| *l == letter)
            .flat_map(|(_, lines)| lines.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// The records of a dotted SMART file, in order. Lines before the first
/// `.I` are passed over; a `.I` without a number is skipped with its
/// fields.
pub fn dotted_records(text: &str) -> Vec<DottedRecord> {
    let mut records = Vec::new();
    let mut current: Option<DottedRecord> = None;
    for line in text.lines() {
        let line = line.trim_end();
        if let Some(rest) = line.strip_prefix(".I") {
            if rest.is_empty() || rest.starts_with(char::is_whitespace) {
                records.extend(current.take());
                current = rest.trim().parse().ok().map(|number| DottedRecord {
                    number,
                    fields: Vec::new(),
                });
                continue;
            }
        }
        let Some(record) = current.as_mut() else {
            continue;
        };
        let mut chars = line.chars();
        if let (Some('.'), Some(letter), None) = (chars.next(), chars.next(), chars.next()) {
            if letter.is_ascii_uppercase() {
                record.fields.push((letter, Vec::new()));
                continue;
            }
        }
        let line = line.trim();
        if let (false, Some((_, lines))) = (line.is_empty(), record.fields.last_mut()) {
            lines.push(line.to_string());
        }
    }
    records.extend(current);
    records
}

/// The queries of a dotted SMART query file, numbered by their place in
/// it (1, 2, …), as the collections' judgments number them (CRAN's `.I`
/// numbers skip, its judgments do not): the words of their `.W` fields as
/// [`smart_queries`] takes them.
pub fn dotted_queries(text: &str, stop_words: &HashSet<String>) -> BTreeMap<usize, Vec<String>> {
    dotted_records(text)
        .iter()
        .enumerate()
        .map(|(at, record)| (at + 1, query_words(&record.field('W'), stop_words)))
        .collect()
}

/// Judgments written a pair a line (`1 17 0 0.000000`, as ADI, CACM and
/// CISI write them): a query number, then a relevant article's number,
/// what follows passed over. Lines in TREC's form (`1 0 13 1`: query,
/// `0` or `Q0`, article, grade), as MED's are, are read as such: the
/// article is relevant when its grade is above 0.
pub fn pair_judgments(text: &str) -> HashMap<usize, HashSet<String>> {
    let mut judged: HashMap<usize, HashSet<String>> = HashMap::new();
    for line in text.lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let (query, article) = match fields[..] {
            [query, "0" | "Q0", article, grade] => match grade.parse::<f64>() {
                Ok(grade) if grade > 0.0 => (query, article),
                _ => continue,
            },
            [query, article, ..] => (query, article),
            _ => continue,
        };
        if let (Ok(query), Ok(article)) = (query.parse::<usize>(), article.parse::<usize>()) {
            judged.entry(query).or_default().insert(article.to_string());
        }
    }
    judged
}

/// Judgments, a line each: a query number, then the numbers of its
/// relevant articles, each turned into an id by `id` (TIME numbers them by
/// position in an ordering two longer than its file: see the relevance
/// benchmark).
pub fn judgments(text: &str, id: impl Fn(usize) -> String) -> HashMap<usize, HashSet<String>> {
    text.lines()
        .filter_map(|line| {
            let mut numbers = line
                .split_whitespace()
                .filter_map(|n| n.parse::<usize>().ok());
            let query = numbers.next()?;
            Some((query, numbers.map(&id).collect()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(text: &str) -> HashSet<String> {
        text.split_whitespace().map(str::to_string).collect()
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn average_precision_counts_every_relevant_article_found_or_not() {
        // Relevant: a, c, x (x never ranked). Hits at ranks 1 and 3.
        let scores = score(&["a", "b", "c", "d"], &ids("a c x"));
        assert!(close(scores.ap100, (1.0 + 2.0 / 3.0) / 3.0), "{scores:?}");
        assert!(close(scores.p10, 0.2), "{scores:?}");
        // DCG: 1/log2(2) + 1/log2(4) = 1.5; ideal for three relevant:
        // 1 + 1/log2(3) + 1/log2(4).
        let ideal = 1.0 + 1.0 / 3f64.log2() + 0.5;
        assert!(close(scores.ndcg10, 1.5 / ideal), "{scores:?}");
    }

    #[test]
    fn a_perfect_ranking_scores_one_and_a_useless_one_zero() {
        let perfect = score(&["a", "b", "z"], &ids("a b"));
        assert!(close(perfect.ap100, 1.0) && close(perfect.ndcg10, 1.0));
        assert!(close(perfect.p10, 0.2));
        let useless = score(&["y", "z"], &ids("a b"));
        assert_eq!(useless, Scores::default());
        assert_eq!(score(&["a"], &HashSet::new()), Scores::default());
    }

    #[test]
    fn only_the_top_100_and_top_10_count_and_repeats_count_once() {
        let mut ranked: Vec<String> = (0..100).map(|i| format!("n{i}")).collect();
        ranked.push("a".into());
        assert_eq!(score(&ranked, &ids("a")), Scores::default());
        // A relevant article at rank 11: in AP, not in P@10 or nDCG@10.
        let mut ranked: Vec<String> = (0..10).map(|i| format!("n{i}")).collect();
        ranked.push("a".into());
        let scores = score(&ranked, &ids("a"));
        assert!(close(scores.ap100, 1.0 / 11.0), "{scores:?}");
        assert_eq!((scores.p10, scores.ndcg10), (0.0, 0.0));
        // The same id twice is one hit at its first place.
        let scores = score(&["a", "a", "b"], &ids("a b"));
        assert!(close(scores.ap100, 1.0), "{scores:?}");
    }

    #[test]
    fn the_mean_is_per_measure() {
        let one = Scores {
            ap100: 1.0,
            p10: 0.5,
            ndcg10: 0.25,
        };
        let m = mean(&[one, Scores::default()]);
        assert!(close(m.ap100, 0.5) && close(m.p10, 0.25) && close(m.ndcg10, 0.125));
        assert_eq!(mean(&[]), Scores::default());
    }

    #[test]
    fn smart_files_are_read_as_the_collections_write_them() {
        let all =
            "*TEXT 017 01/04/63 PAGE 020\n\nTHE ALLIES AFTER NASSAU\n\nPROPOSED TO HELP .\n\n\
                   *TEXT 431 08/30 63 PAGE 026\n\nA SECOND ONE\n\n*STOP\n";
        let records = smart_records(all, "*TEXT");
        assert_eq!(records.len(), 2);
        assert_eq!(records[0].header, "017 01/04/63 PAGE 020");
        assert_eq!(
            records[0].lines,
            ["THE ALLIES AFTER NASSAU", "PROPOSED TO HELP ."]
        );
        assert_eq!(records[1].lines, ["A SECOND ONE"]);
        assert_eq!(smart_date("01/04/63").as_deref(), Some("1963-01-04"));
        assert_eq!(smart_date("08/30").as_deref(), Some("1963-08-30"));
        assert_eq!(smart_date("13/40/63"), None);

        let stop: HashSet<String> = ["the", "of", "to"].map(String::from).into();
        // The last query ends without `*STOP`, as luppar's copy does.
        let queries = smart_queries(
            "*FIND      1\n\n KENNEDY PRESSURE ON THE\n\nDIEM TO STOP KENNEDY .\n\n*FIND      2\n\n VIET NAM'S TROOPS\n",
            &stop,
        );
        assert_eq!(queries[&1], ["kennedy", "pressure", "on", "diem", "stop"]);
        assert_eq!(queries[&2], ["viet", "nam", "s", "troops"]);

        let judged = judgments("1  268 288\n\n2  380\n", |n| {
            (if n >= 378 { n - 2 } else { n }).to_string()
        });
        assert_eq!(judged[&1], ids("268 288"));
        assert_eq!(judged[&2], ids("378"));
    }

    #[test]
    fn dotted_smart_files_are_read_as_the_collections_write_them() {
        let all =
            "junk before\n.I 1\n.T\nthe ibm dsd technical\n information center\n.A\nH. S. WHITE\n\
                   .W\nthe ibm data systems\n\n  division .\n.I\n.W\nno number\n.I 2\n.T\n\
                   a new structure .\n.W\nsecond .\n.X\n1 5 2\n";
        let records = dotted_records(all);
        assert_eq!(records.len(), 2, "{records:?}");
        assert_eq!(records[0].number, 1);
        assert_eq!(
            records[0].field('T'),
            "the ibm dsd technical\ninformation center"
        );
        assert_eq!(records[0].field('A'), "H. S. WHITE");
        assert_eq!(records[0].field('W'), "the ibm data systems\ndivision .");
        assert_eq!(records[1].number, 2);
        assert_eq!(records[1].field('W'), "second .");
        assert_eq!(records[1].field('X'), "1 5 2");
        assert_eq!(records[1].field('B'), "");

        // Numbered by place, as CRAN's judgments number its queries.
        let stop: HashSet<String> = ["the", "of"].map(String::from).into();
        let queries = dotted_queries(
            ".I 001\n.W\nwhat similarity laws\nof the models .\n.I 004\n.W\nmodels\n",
            &stop,
        );
        assert_eq!(queries[&1], ["what", "similarity", "laws", "models"]);
        assert_eq!(queries[&2], ["models"]);

        let judged = pair_judgments("1 17 0 0.000000\n1  46 0 0\n\n2 5\nbad line\n");
        assert_eq!(judged[&1], ids("17 46"));
        assert_eq!(judged[&2], ids("5"));
        assert_eq!(judged.len(), 2);
        let trec = pair_judgments("1 0 13 1\n1 0 14 0\n2 Q0 7 2\n");
        assert_eq!(trec[&1], ids("13"));
        assert_eq!(trec[&2], ids("7"));
    }
}
