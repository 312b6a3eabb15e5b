//! Measures of ranking quality against a judged test collection: for each
//! query, the ids an engine ranked and the ids a judge called relevant.
//! The relevance benchmark (`cargo bench --bench relevance`) scores
//! dateline and SQLite FTS5 with these on the same articles and queries.
//!
//! Judgments are binary (relevant or not), as in the classic collections
//! (TIME, CACM, CRAN). Definitions follow `trec_eval`: average precision
//! divides by every relevant article, found or not; nDCG uses the gain 1
//! and the discount `log2(rank + 1)`.

use std::collections::HashSet;

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
}
