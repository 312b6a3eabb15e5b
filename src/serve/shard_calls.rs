//! The calls a coordinator (`dateline serve --shards`) makes of every
//! shard server: `POST /api/shard/{call}` with the library's own request
//! as JSON, answered with the library's own value as JSON (scores to the
//! last bit), so that the coordinator merges what one index would have
//! computed. Any `dateline serve` of an index answers them; they are not
//! for people (the public API is `/api/search` and its kin).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use dateline::{
    count, facets, index_stats, search_with_facets, shards, trend, DateFilter, FacetKind,
    SearchRequest, TrendRequest,
};

use super::{json_type, App, Refusal};

/// The most a call's body may hold (a query's statistics are a few KiB).
pub const MAX_CALL_BODY: usize = 1 << 20;

/// `search`: a search and, if asked, its facets.
#[derive(Debug, Serialize, Deserialize)]
pub struct SearchCall {
    pub request: SearchRequest,
    pub facets: Vec<FacetKind>,
    pub facet_size: usize,
}

/// `count`: how many articles match.
#[derive(Debug, Serialize, Deserialize)]
pub struct CountCall {
    pub query: String,
    pub filter: DateFilter,
}

/// `facets`: the facets of a query's matches.
#[derive(Debug, Serialize, Deserialize)]
pub struct FacetsCall {
    pub query: String,
    pub filter: DateFilter,
    pub kinds: Vec<FacetKind>,
    pub size: usize,
}

fn read<T: DeserializeOwned>(body: &Bytes) -> Result<T, Refusal> {
    serde_json::from_slice(body).map_err(|err| {
        Refusal::bad_request(format!("a shard call's body is not understood: {err}"))
    })
}

fn answer<T: Serialize>(value: &T) -> Result<Response, Refusal> {
    let body = serde_json::to_vec(value).map_err(|err| {
        Refusal::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("internal error: cannot write the answer: {err}"),
        )
    })?;
    Ok((StatusCode::OK, json_type(), body).into_response())
}

/// `POST /api/shard/{call}`: `statistics`, `search`, `count`, `facets`,
/// `trend` (by day, empty days left out), `stats` or `hashes` (every
/// article's content hash).
pub async fn call(
    State(app): State<Arc<App>>,
    Path(call): Path<String>,
    body: Bytes,
) -> Result<Response, Refusal> {
    match call.as_str() {
        "statistics" => {
            let request: SearchRequest = read(&body)?;
            let statistics = app
                .run_local(move |index| Ok(shards::statistics(index, &request)?))
                .await?;
            answer(&statistics)
        }
        "search" => {
            let call: SearchCall = read(&body)?;
            let results = app
                .run_local(move |index| {
                    Ok(search_with_facets(
                        index,
                        &call.request,
                        &call.facets,
                        call.facet_size,
                    )?)
                })
                .await?;
            answer(&results)
        }
        "count" => {
            let call: CountCall = read(&body)?;
            let found = app
                .run_local(move |index| Ok(count(index, &call.query, &call.filter)?))
                .await?;
            answer(&found)
        }
        "facets" => {
            let call: FacetsCall = read(&body)?;
            let found = app
                .run_local(move |index| {
                    Ok(facets(
                        index,
                        &call.query,
                        &call.filter,
                        &call.kinds,
                        call.size,
                    )?)
                })
                .await?;
            answer(&found)
        }
        "trend" => {
            let request: TrendRequest = read(&body)?;
            let found = app
                .run_local(move |index| Ok(shards::sparse(trend(index, &request)?)))
                .await?;
            answer(&found)
        }
        "stats" => {
            let found = app.run_local(|index| Ok(index_stats(index)?)).await?;
            answer(&found)
        }
        "hashes" => {
            let found = app
                .run_local(|index| Ok(shards::content_hashes(index)?))
                .await?;
            answer(&found)
        }
        other => Err(Refusal::not_found(format!(
            "no shard call '{other}' (statistics, search, count, facets, trend, stats, hashes)"
        ))),
    }
}
