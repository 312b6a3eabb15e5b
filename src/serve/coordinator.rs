//! The coordinator of `dateline serve --shards URL,…`: the same API and
//! page as a server of one index, answered by asking the shard servers
//! (each a `dateline serve` of one shard: see [`super::shard_calls`]) and
//! merging what they answer (see [`dateline::shards`]).
//!
//! A search takes two rounds: the query's statistics from every shard,
//! summed, then the search on every shard with the sums, so scores are
//! those of one index of the whole archive. A shard that fails, or does
//! not answer within `--shard-timeout`, is left out of the answer and
//! counted (`"shards": {"total": N, "failed": 1}`): the answer is partial,
//! never an error and never late. A shard's refusal of the request (a bad
//! query) is the answer's refusal.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use axum::http::StatusCode;
use serde::de::DeserializeOwned;
use serde::Serialize;

use dateline::shards::{self, Statistics, WholeArchive};
use dateline::{
    DateFilter, Facet, FacetKind, IndexStats, Period, SearchRequest, SearchResults, Suggestion,
    Trend, TrendRequest, MAX_FACET_SIZE, MAX_SERIES,
};

use super::shard_calls::{CountCall, FacetsCall, SearchCall};
use super::Refusal;

/// From this offset on, a search over shards looks for its page in two
/// steps (see [`Shards::search`]): below it, each shard sends its first
/// `offset + limit` hits whole at once, which costs less than a second
/// search.
const DEEP: usize = 100;

/// How far into the hits a search over shards may page: each shard sends
/// its first `offset + limit` hits whole.
pub const MAX_DEPTH: usize = 10_000;

/// The shard servers, by URL.
pub struct Shards {
    urls: Vec<String>,
    agent: ureq::Agent,
}

/// How many shards an answer was asked of, and which of them did not
/// answer (it is partial when any did not).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Coverage {
    /// The shards.
    pub total: usize,
    /// Those that failed or did not answer in time, by their place in
    /// `--shards`.
    failed: BTreeSet<usize>,
}

impl Coverage {
    /// Of `total` shards, those at the places `failed`.
    pub fn new(total: usize, failed: impl IntoIterator<Item = usize>) -> Coverage {
        Coverage {
            total,
            failed: failed.into_iter().collect(),
        }
    }

    /// How many shards failed or did not answer in time.
    pub fn failed(&self) -> usize {
        self.failed.len()
    }

    /// Both answers' shards: those that failed in either (a page's search
    /// and its chart may each miss another shard).
    pub fn and(mut self, other: Coverage) -> Coverage {
        self.total = self.total.max(other.total);
        self.failed.extend(other.failed);
        self
    }
}

/// What one shard answered to a call.
enum Reply<T> {
    /// Its answer.
    Answer(T),
    /// It refused the request, as the coordinator must (a bad query).
    Refused(StatusCode, String),
    /// It failed, or did not answer in time.
    Failed,
}

/// One request's calls to the shards: those still asked, and those that
/// failed in an earlier round.
struct Rounds<'a> {
    shards: &'a Shards,
    failed: BTreeSet<usize>,
}

impl Rounds<'_> {
    /// Asks every shard that has not failed yet; their answers, in the
    /// shards' order.
    fn ask<B, T>(&mut self, call: &str, body: &B) -> Result<Vec<T>, Refusal>
    where
        B: Serialize + Sync,
        T: DeserializeOwned + Send,
    {
        let answers = self.ask_indexed(call, body)?;
        Ok(answers.into_iter().map(|(_, answer)| answer).collect())
    }

    /// As [`Rounds::ask`], each answer with its shard's number.
    fn ask_indexed<B, T>(&mut self, call: &str, body: &B) -> Result<Vec<(usize, T)>, Refusal>
    where
        B: Serialize + Sync,
        T: DeserializeOwned + Send,
    {
        let body = call_body(body)?;
        let calls = (0..self.shards.urls.len())
            .filter(|at| !self.failed.contains(at))
            .map(|at| (at, body.clone()))
            .collect();
        self.ask_each(call, calls)
    }

    /// Asks each of some shards its own question (a body written by
    /// [`call_body`]).
    fn ask_each<T>(
        &mut self,
        call: &str,
        calls: Vec<(usize, Vec<u8>)>,
    ) -> Result<Vec<(usize, T)>, Refusal>
    where
        T: DeserializeOwned + Send,
    {
        let asked: Vec<usize> = calls.iter().map(|(at, _)| *at).collect();
        let replies = self.shards.each(&asked, |i, url| {
            let response = self
                .shards
                .agent
                .post(&format!("{url}/api/shard/{call}"))
                .header("content-type", "application/json")
                .send(&calls[i].1[..]);
            read_reply(response)
        });
        let mut answers = Vec::new();
        for (at, reply) in asked.into_iter().zip(replies) {
            match reply.unwrap_or(Reply::Failed) {
                Reply::Answer(answer) => answers.push((at, answer)),
                Reply::Refused(status, message) => return Err(Refusal::new(status, message)),
                Reply::Failed => {
                    self.failed.insert(at);
                }
            }
        }
        Ok(answers)
    }

    fn coverage(&self) -> Coverage {
        Coverage::new(self.shards.urls.len(), self.failed.iter().copied())
    }
}

/// A shard call's body: the library's request as JSON.
fn call_body<B: Serialize>(body: &B) -> Result<Vec<u8>, Refusal> {
    serde_json::to_vec(body).map_err(|err| {
        Refusal::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("internal error: cannot write a shard call: {err}"),
        )
    })
}

fn read_reply<T: DeserializeOwned>(
    response: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
) -> Reply<T> {
    let Ok(mut response) = response else {
        return Reply::Failed;
    };
    let status = response.status();
    let Ok(bytes) = response
        .body_mut()
        .with_config()
        .limit(256 << 20)
        .read_to_vec()
    else {
        return Reply::Failed;
    };
    if status.is_success() {
        return match serde_json::from_slice(&bytes) {
            Ok(answer) => Reply::Answer(answer),
            Err(_) => Reply::Failed,
        };
    }
    // A refusal of the request itself, as the shard words it; a busy or
    // broken shard is a failed one.
    if status.is_client_error() && status != StatusCode::TOO_MANY_REQUESTS {
        let message = serde_json::from_slice::<serde_json::Value>(&bytes)
            .ok()
            .and_then(|error| error.get("error")?.as_str().map(str::to_string))
            .unwrap_or_else(|| format!("a shard refused the request ({status})"));
        return Reply::Refused(status, message);
    }
    Reply::Failed
}

/// Each shard's URL and articles (`None`: it did not answer), the exact
/// copies held by more than one shard, and how many answered.
pub type Survey = (Vec<(String, Option<u64>)>, u64, Coverage);

/// A page or document a shard serves whole: status, content type, body.
pub struct Passed {
    pub status: StatusCode,
    pub content_type: String,
    pub body: Vec<u8>,
}

impl Shards {
    /// The shards at these URLs (`http://host:port`), each given
    /// `timeout` to answer a call.
    pub fn new(urls: Vec<String>, timeout: Duration) -> Shards {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .http_status_as_error(false)
            .build()
            .new_agent();
        Shards {
            urls: urls
                .into_iter()
                .map(|url| url.trim_end_matches('/').to_string())
                .collect(),
            agent,
        }
    }

    /// The shards' URLs.
    pub fn urls(&self) -> &[String] {
        &self.urls
    }

    /// Runs `ask` for each shard of `which` at once, with its place in
    /// `which` and its URL; the replies in order (`None` for a call that
    /// panicked).
    fn each<T: Send>(
        &self,
        which: &[usize],
        ask: impl Fn(usize, &str) -> T + Sync,
    ) -> Vec<Option<T>> {
        std::thread::scope(|scope| {
            let asking: Vec<_> = which
                .iter()
                .enumerate()
                .map(|(i, &at)| {
                    let url = &self.urls[at];
                    let ask = &ask;
                    scope.spawn(move || ask(i, url))
                })
                .collect();
            asking.into_iter().map(|asked| asked.join().ok()).collect()
        })
    }

    fn rounds(&self) -> Rounds<'_> {
        Rounds {
            shards: self,
            failed: BTreeSet::new(),
        }
    }

    /// A search, as one index of every shard's articles answers it.
    pub fn search(&self, request: &SearchRequest) -> Result<(SearchResults, Coverage), Refusal> {
        if request.offset + request.limit > MAX_DEPTH {
            return Err(Refusal::bad_request(format!(
                "over shards, a search pages through its first {} hits at most; narrow the \
                 query or the dates",
                dateline::thousands(MAX_DEPTH as u64)
            )));
        }
        let mut rounds = self.rounds();
        let mut statistics = Statistics::default();
        for answer in rounds.ask::<_, Statistics>("statistics", request)? {
            statistics.add(&answer);
        }
        let mut whole = WholeArchive {
            statistics,
            most_words: None,
        };
        // A deep page is looked for in two steps: what orders each
        // shard's first `offset + limit` hits, then the page's hits whole
        // from the shards that hold them.
        let deep = request.offset >= DEEP;
        let ask = |rounds: &mut Rounds, whole: &WholeArchive| {
            let call = SearchCall {
                request: SearchRequest {
                    offset: 0,
                    limit: request.offset + request.limit,
                    whole_archive: Some(std::sync::Arc::new(whole.clone())),
                    keys_only: deep,
                    ..request.clone()
                },
                facets: Vec::new(),
                facet_size: 0,
            };
            rounds.ask_indexed::<_, SearchResults>("search", &call)
        };
        let mut answers = ask(&mut rounds, &whole)?;
        // No article has all the words: each shard answered with those
        // having most of them, as many as its own articles have at most;
        // they are asked again for as many as any article has.
        let primary = answers
            .iter()
            .any(|(_, answer)| answer.most_words.is_none() && answer.total > 0);
        let most = answers
            .iter()
            .filter_map(|(_, answer)| answer.most_words.map(|words| words.most))
            .max();
        if let (false, Some(most)) = (primary, most) {
            let differ = answers
                .iter()
                .any(|(_, answer)| answer.most_words.map(|words| words.most) != Some(most));
            if differ {
                whole.most_words = Some(most);
                answers = ask(&mut rounds, &whole)?;
            }
        }
        let suggestions: Vec<Suggestion> = answers
            .iter()
            .filter_map(|(_, answer)| answer.suggestion.clone())
            .collect();
        // A key's id is its place in its shard's list: with the shard's
        // number, where to ask for the hit whole.
        let answers = answers
            .into_iter()
            .map(|(shard, mut answer)| {
                if deep {
                    for hit in &mut answer.hits {
                        hit.id = format!("{shard}:{}", hit.id);
                    }
                }
                answer
            })
            .collect();
        let mut results = shards::merge_search(request, answers);
        if deep {
            self.whole_hits(&mut rounds, request, &whole, &mut results)?;
        }
        if results.total == 0 {
            results.suggestion = self.best_of(&mut rounds, suggestions, &request.filter)?;
        }
        if let Some(meant) = dateline::operators_meant(&request.query) {
            let more = self.count(&mut rounds, &meant, &request.filter)?;
            let more_than_asked = more > results.total
                && (results.total_exact
                    || more > self.count(&mut rounds, &request.query, &request.filter)?);
            if more_than_asked {
                results.operators = Some(Suggestion {
                    query: meant,
                    total: more,
                });
            }
        }
        Ok((results, rounds.coverage()))
    }

    /// The second step of a deep page: the page's hits, whole, from the
    /// shards that hold them. Each shard's hits on the page are a run of
    /// its list (each key's id is `shard:place`), asked for by offset and
    /// limit. A hit its shard does not give again (it failed, or a commit
    /// came between the steps) is left out.
    fn whole_hits(
        &self,
        rounds: &mut Rounds,
        request: &SearchRequest,
        whole: &WholeArchive,
        results: &mut SearchResults,
    ) -> Result<(), Refusal> {
        let place = |id: &str| -> Option<(usize, usize)> {
            let (shard, at) = id.split_once(':')?;
            Some((shard.parse().ok()?, at.parse().ok()?))
        };
        let mut runs: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
        for (shard, at) in results.hits.iter().filter_map(|hit| place(&hit.id)) {
            let run = runs.entry(shard).or_insert((at, at));
            run.0 = run.0.min(at);
            run.1 = run.1.max(at);
        }
        let calls = runs
            .iter()
            .map(|(&shard, &(first, last))| {
                let call = SearchCall {
                    request: SearchRequest {
                        offset: first,
                        limit: last - first + 1,
                        whole_archive: Some(std::sync::Arc::new(whole.clone())),
                        keys_only: false,
                        ..request.clone()
                    },
                    facets: Vec::new(),
                    facet_size: 0,
                };
                Ok((shard, call_body(&call)?))
            })
            .collect::<Result<Vec<_>, Refusal>>()?;
        let pages: Vec<(usize, SearchResults)> = rounds.ask_each("search", calls)?;
        let mut found: std::collections::HashMap<(usize, usize), dateline::Hit> = pages
            .into_iter()
            .flat_map(|(shard, page)| {
                let first = runs.get(&shard).map_or(0, |run| run.0);
                page.hits
                    .into_iter()
                    .enumerate()
                    .map(move |(i, hit)| ((shard, first + i), hit))
            })
            .collect();
        let keys = std::mem::take(&mut results.hits);
        results.hits = keys
            .into_iter()
            .filter_map(|key| {
                let whole = found.remove(&place(&key.id)?)?;
                Some(dateline::Hit {
                    rank: key.rank,
                    ..whole
                })
            })
            .collect();
        Ok(())
    }

    /// How many articles of every shard match.
    fn count(
        &self,
        rounds: &mut Rounds,
        query: &str,
        filter: &DateFilter,
    ) -> Result<usize, Refusal> {
        let call = CountCall {
            query: query.to_string(),
            filter: *filter,
        };
        Ok(rounds.ask::<_, usize>("count", &call)?.into_iter().sum())
    }

    /// Of the corrections the shards suggest, the one that finds the most
    /// articles in the whole archive; of two that find as many (`oil` and
    /// `oils` find the same stem), the one the shards that suggest it found
    /// most articles with, as one index would choose the more common form.
    fn best_of(
        &self,
        rounds: &mut Rounds,
        suggestions: Vec<Suggestion>,
        filter: &DateFilter,
    ) -> Result<Option<Suggestion>, Refusal> {
        let mut support: BTreeMap<String, usize> = BTreeMap::new();
        for suggestion in suggestions {
            *support.entry(suggestion.query).or_default() += suggestion.total;
        }
        let mut best: Option<(usize, usize, String)> = None;
        for (query, support) in support {
            let total = self.count(rounds, &query, filter)?;
            let better = best
                .as_ref()
                .is_none_or(|(most, backed, _)| (total, support) > (*most, *backed));
            if total > 0 && better {
                best = Some((total, support, query));
            }
        }
        Ok(best.map(|(total, _, query)| Suggestion { query, total }))
    }

    /// The facets of a query's matches over every shard.
    pub fn facets(
        &self,
        query: &str,
        filter: &DateFilter,
        kinds: &[FacetKind],
        size: usize,
    ) -> Result<(Vec<Facet>, Coverage), Refusal> {
        let mut rounds = self.rounds();
        let call = FacetsCall {
            query: query.to_string(),
            filter: *filter,
            kinds: kinds.to_vec(),
            size: MAX_FACET_SIZE,
        };
        let answers: Vec<Vec<Facet>> = rounds.ask("facets", &call)?;
        let mut facets = shards::merge_facets(answers.iter().map(Vec::as_slice));
        // In the order asked, as one index lists them.
        facets.sort_by_key(|facet| kinds.iter().position(|kind| *kind == facet.kind));
        shards::cut_facets(&mut facets, size);
        Ok((facets, rounds.coverage()))
    }

    /// A trend over every shard, by `request.by` or (`bars`) by the
    /// period that fits the span in that many bars.
    pub fn trend(
        &self,
        request: &TrendRequest,
        bars: Option<usize>,
    ) -> Result<(Trend, Coverage), Refusal> {
        let mut rounds = self.rounds();
        let by_day = TrendRequest {
            by: Period::Day,
            series: MAX_SERIES,
            ..request.clone()
        };
        let answers: Vec<Trend> = rounds.ask("trend", &by_day)?;
        let by = match bars {
            Some(bars) => shards::fitted_period(request, &answers, bars),
            None => request.by,
        };
        Ok((shards::merge_trend(request, answers, by), rounds.coverage()))
    }

    /// The statistics of every shard, summed.
    pub fn stats(&self) -> Result<(IndexStats, Coverage), Refusal> {
        let mut rounds = self.rounds();
        let answers: Vec<IndexStats> = rounds.ask("stats", &())?;
        Ok((shards::merge_stats(answers), rounds.coverage()))
    }

    /// Each shard: its URL and articles (`None` when it did not answer),
    /// and how many articles are held by more than one shard (exact copies
    /// in files of different shards, which one index would keep once).
    pub fn survey(&self) -> Result<Survey, Refusal> {
        let all: Vec<usize> = (0..self.urls.len()).collect();
        let replies = self.each(&all, |_, url| {
            let ask = |call: &str| {
                let response = self
                    .agent
                    .post(&format!("{url}/api/shard/{call}"))
                    .header("content-type", "application/json")
                    .send(&b"null"[..]);
                response
            };
            let stats: Reply<IndexStats> = read_reply(ask("stats"));
            let hashes: Reply<Vec<u64>> = read_reply(ask("hashes"));
            match (stats, hashes) {
                (Reply::Answer(stats), Reply::Answer(hashes)) => Some((stats.articles, hashes)),
                _ => None,
            }
        });
        let mut shards = Vec::new();
        let mut hashes = Vec::new();
        for (url, reply) in self.urls.iter().zip(replies) {
            match reply.flatten() {
                Some((articles, held)) => {
                    shards.push((url.clone(), Some(articles)));
                    hashes.push(held);
                }
                None => shards.push((url.clone(), None)),
            }
        }
        let failed = shards
            .iter()
            .enumerate()
            .filter(|(_, (_, articles))| articles.is_none())
            .map(|(at, _)| at);
        let coverage = Coverage::new(self.urls.len(), failed);
        Ok((shards, shards::copies_across(&hashes), coverage))
    }

    /// What the shard holding an article serves at `path` (an article's
    /// page or document, its related articles): the first shard's answer
    /// that is not "not found", else a not found.
    pub fn pass(&self, path_and_query: &str) -> (Option<Passed>, Coverage) {
        let all: Vec<usize> = (0..self.urls.len()).collect();
        let replies: Vec<Option<Passed>> = self
            .each(&all, |_, url| {
                let response = self.agent.get(&format!("{url}{path_and_query}")).call();
                let mut response = response.ok()?;
                let status = response.status();
                let content_type = response
                    .headers()
                    .get("content-type")
                    .and_then(|value| value.to_str().ok())
                    .unwrap_or("application/octet-stream")
                    .to_string();
                let body = response
                    .body_mut()
                    .with_config()
                    .limit(64 << 20)
                    .read_to_vec()
                    .ok()?;
                Some(Passed {
                    status,
                    content_type,
                    body,
                })
            })
            .into_iter()
            .map(Option::flatten)
            .collect();
        let failed = replies
            .iter()
            .enumerate()
            .filter(|(_, reply)| {
                reply
                    .as_ref()
                    .is_none_or(|passed| passed.status.is_server_error())
            })
            .map(|(at, _)| at);
        let coverage = Coverage::new(self.urls.len(), failed);
        let mut not_found = None;
        for passed in replies.into_iter().flatten() {
            if passed.status == StatusCode::NOT_FOUND {
                not_found.get_or_insert(passed);
            } else if !passed.status.is_server_error() {
                return (Some(passed), coverage);
            }
        }
        (not_found, coverage)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_misses_every_shard_any_of_its_calls_missed() {
        let search = Coverage::new(3, [0]);
        let chart = Coverage::new(3, [2]);
        assert_eq!(search.clone().and(chart).failed(), 2);
        // The same shard missing twice is one shard.
        assert_eq!(search.clone().and(Coverage::new(3, [0])).failed(), 1);
        assert_eq!(search.and(Coverage::new(3, [])).failed(), 1);
        assert_eq!(Coverage::new(2, []).failed(), 0);
    }
}
