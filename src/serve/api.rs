//! The JSON API: each endpoint runs the library call its command runs and
//! writes the document that command's `--json` prints, with the same
//! renderer (so they differ in `took_ms` only).

use std::io;
use std::sync::Arc;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};

use dateline::{index_stats, lookup, related as related_to, trend as run_trend};

use super::params::{self, Params};
use super::{json_type, App, Refusal};
use crate::cli::config::SearchOutput;
use crate::render::{json, trend as chart};

type Answer = Result<Response, Refusal>;

/// A document the renderers wrote, as the answer.
fn document(write: impl FnOnce(&mut Vec<u8>) -> io::Result<()>) -> Result<Vec<u8>, Refusal> {
    let mut body = Vec::new();
    write(&mut body).map_err(|err| {
        Refusal::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("internal error: cannot write the answer: {err}"),
        )
    })?;
    Ok(body)
}

fn ok(body: Vec<u8>) -> Response {
    (StatusCode::OK, json_type(), body).into_response()
}

/// `GET /api/search`: `dateline search --json`.
pub async fn search(State(app): State<Arc<App>>, RawQuery(raw): RawQuery) -> Answer {
    let params = Params::parse(raw.as_deref())?;
    let command = params::search(&params)?;
    let body = app
        .run(move |index| {
            let results = crate::commands::search::with_facets(index, &command)?;
            document(|out| match &command.output {
                SearchOutput::Json { fields, timeline } => {
                    json::search_results_with_fields(out, &results, fields, *timeline)
                }
                _ => json::search_results(out, &results),
            })
        })
        .await?;
    Ok(ok(body))
}

/// `GET /api/trend`: `dateline trend --json`.
pub async fn trend(State(app): State<Arc<App>>, RawQuery(raw): RawQuery) -> Answer {
    let params = Params::parse(raw.as_deref())?;
    let command = params::trend(&params)?;
    let body = app
        .run(move |index| {
            let trend = run_trend(index, &command.request)?;
            document(|out| chart::json(out, &trend))
        })
        .await?;
    Ok(ok(body))
}

/// `GET /api/articles/{id}`: `dateline show --json ID`.
pub async fn article(
    State(app): State<Arc<App>>,
    path: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> Answer {
    let id = params::id(path)?;
    Params::parse(raw.as_deref())?.only(&[])?;
    let body = app
        .run(move |index| match lookup(index, &id)? {
            Some(found) => document(|out| json::article(out, &found)),
            None => Err(Refusal::no_article(&id)),
        })
        .await?;
    Ok(ok(body))
}

/// `GET /api/related/{id}`: `dateline related --json ID`.
pub async fn related(
    State(app): State<Arc<App>>,
    path: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> Answer {
    let id = params::id(path)?;
    let params = Params::parse(raw.as_deref())?;
    let request = params::related(&id, &params)?;
    let body = app
        .run(move |index| match related_to(index, &request)? {
            Some(found) => document(|out| json::search_results(out, &found.results)),
            None => Err(Refusal::no_article(&request.id)),
        })
        .await?;
    Ok(ok(body))
}

/// `GET /api/stats`: `dateline stats --json`.
pub async fn stats(State(app): State<Arc<App>>, RawQuery(raw): RawQuery) -> Answer {
    Params::parse(raw.as_deref())?.only(&[])?;
    let body = app
        .run(|index| {
            let stats = index_stats(index)?;
            document(|out| json::stats(out, &stats))
        })
        .await?;
    Ok(ok(body))
}

/// Any other `/api/…` path.
pub async fn unknown(uri: Uri) -> Refusal {
    Refusal::not_found(format!(
        "no such endpoint: {} (the API has /api/search, /api/trend, /api/articles/ID, \
         /api/related/ID and /api/stats)",
        uri.path()
    ))
}
