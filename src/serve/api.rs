//! The JSON API: each endpoint runs the library call its command runs and
//! writes the document that command's `--json` prints, with the same
//! renderer (so they differ in `took_ms` only).

use std::io;
use std::sync::Arc;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};

use dateline::{lookup, related as related_to};

use super::archive::Archive;
use super::coordinator::{Coverage, Shards};
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
        .run(move |archive| {
            let (results, coverage) =
                archive.search(&command.request, &command.facets, command.facet_size)?;
            let body = document(|out| match &command.output {
                SearchOutput::Json { fields, timeline } => {
                    json::search_results_with_fields(out, &results, fields, *timeline)
                }
                _ => json::search_results(out, &results),
            })?;
            Ok(with_shards(body, coverage))
        })
        .await?;
    Ok(ok(body))
}

/// `GET /api/trend`: `dateline trend --json`.
pub async fn trend(State(app): State<Arc<App>>, RawQuery(raw): RawQuery) -> Answer {
    let params = Params::parse(raw.as_deref())?;
    let command = params::trend(&params)?;
    let body = app
        .run(move |archive| {
            let (trend, coverage) = archive.trend(&command.request, None)?;
            let body = document(|out| chart::json(out, &trend))?;
            Ok(with_shards(body, coverage))
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
    let wanted = id.clone();
    app.run(move |archive| match archive {
        Archive::Index(index) => match lookup(index, &id)? {
            Some(found) => Ok(ok(document(|out| json::article(out, &found))?)),
            None => Err(Refusal::no_article(&id)),
        },
        Archive::Shards(shards) => {
            passed(shards, &format!("/api/articles/{}", encoded(&wanted)), &id)
        }
    })
    .await
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
    let asked = format!("/api/related/{}?{}", encoded(&id), params.to_query_string());
    app.run(move |archive| match archive {
        Archive::Index(index) => match related_to(index, &request)? {
            Some(found) => Ok(ok(document(|out| {
                json::search_results(out, &found.results)
            })?)),
            None => Err(Refusal::no_article(&request.id)),
        },
        // (The article's own shard finds its related articles among its
        // own: a limit of a cluster, said in the README.)
        Archive::Shards(shards) => passed(shards, &asked, &request.id),
    })
    .await
}

/// `GET /api/stats`: `dateline stats --json`.
pub async fn stats(State(app): State<Arc<App>>, RawQuery(raw): RawQuery) -> Answer {
    Params::parse(raw.as_deref())?.only(&[])?;
    let body = app
        .run(|archive| {
            let (stats, coverage) = archive.stats()?;
            let body = document(|out| json::stats(out, &stats))?;
            Ok(with_shards(body, coverage))
        })
        .await?;
    Ok(ok(body))
}

/// A document with, for an archive in shards, how many answered:
/// `"shards": {"total": 2, "failed": 0}` after the document's own keys.
fn with_shards(mut body: Vec<u8>, coverage: Option<Coverage>) -> Vec<u8> {
    let Some(coverage) = coverage else {
        return body;
    };
    let Some(end) = body.iter().rposition(|&byte| byte == b'}') else {
        return body;
    };
    let empty = body[..end]
        .iter()
        .rev()
        .find(|byte| !byte.is_ascii_whitespace())
        == Some(&b'{');
    let key = format!(
        "{}\"shards\":{{\"total\":{},\"failed\":{}}}",
        if empty { "" } else { "," },
        coverage.total,
        coverage.failed()
    );
    body.splice(end..end, key.bytes());
    body
}

/// An id as one segment of a path: every byte but letters, digits and
/// `-._~/` escaped.
pub fn encoded(id: &str) -> String {
    const KEEP: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~')
        .remove(b'/');
    percent_encoding::utf8_percent_encode(id, KEEP).to_string()
}

/// The document of the shard that holds article `id`, as it serves it.
fn passed(shards: &Shards, path: &str, id: &str) -> Answer {
    let (found, coverage) = shards.pass(path);
    match found {
        Some(found) if found.status != StatusCode::NOT_FOUND => Ok((
            found.status,
            [(
                axum::http::header::CONTENT_TYPE,
                axum::http::HeaderValue::from_str(&found.content_type)
                    .unwrap_or(axum::http::HeaderValue::from_static("application/json")),
            )],
            found.body,
        )
            .into_response()),
        _ if coverage.failed() > 0 => Err(Refusal::not_found(format!(
            "no article with id '{id}' in the shards that answered ({} of {} did not)",
            coverage.failed(),
            coverage.total
        ))),
        _ => Err(Refusal::no_article(id)),
    }
}

/// `GET /api/shards`, on a coordinator: each shard, whether it answered
/// and its articles, and the exact copies held by more than one shard.
pub async fn shards(State(app): State<Arc<App>>, RawQuery(raw): RawQuery) -> Answer {
    Params::parse(raw.as_deref())?.only(&[])?;
    let body = app
        .run(|archive| match archive {
            Archive::Shards(shards) => {
                let (each, copies, coverage) = shards.survey()?;
                let each: Vec<serde_json::Value> = each
                    .into_iter()
                    .map(|(url, articles)| {
                        serde_json::json!({
                            "url": url,
                            "answered": articles.is_some(),
                            "articles": articles,
                        })
                    })
                    .collect();
                let mut body = serde_json::json!({
                    "servers": each,
                    "copies_across_shards": copies,
                })
                .to_string()
                .into_bytes();
                body.push(b'\n');
                Ok(with_shards(body, Some(coverage)))
            }
            Archive::Index(_) => Err(Refusal::not_found(
                "this server answers from one index, not from shards (see `serve --shards`)",
            )),
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
