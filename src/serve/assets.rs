//! The page's stylesheet and script, compiled into the binary: no file is
//! ever served by its path, and the page needs no other site.

use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

const STYLE: &str = include_str!("assets/style.css");
const KEYS: &str = include_str!("assets/keys.js");

/// `GET /assets/{name}`: one of the two, by name.
pub async fn serve(Path(name): Path<String>) -> Response {
    let (body, kind) = match name.as_str() {
        "style.css" => (STYLE, "text/css; charset=utf-8"),
        "keys.js" => (KEYS, "text/javascript; charset=utf-8"),
        _ => return super::page::not_found().await,
    };
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(kind)),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            ),
        ],
        body,
    )
        .into_response()
}
