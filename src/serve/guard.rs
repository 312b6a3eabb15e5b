//! What stands before every route: the token check (when `--token-file`
//! is given) and the headers every answer carries: a Content-Security-
//! Policy that lets a page load only the server's own stylesheet and
//! script, and no sniffing, framing or referrers.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;

use super::page;
use super::{App, Refusal};

/// The largest request body taken (the login form's).
pub const MAX_BODY: usize = 4096;

/// The cookie the login form sets.
const COOKIE: &str = "dateline_token";

const POLICY: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; \
                      script-src 'self'; object-src 'none'; base-uri 'none'; \
                      form-action 'self'; frame-ancestors 'none'";

/// Checks the token, then adds the headers every answer carries.
pub async fn check(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    // A browser asks whether a page of another origin may call the API
    // (CORS's preflight) without the token, as the standard says it must:
    // the answer says what may be sent, never anything of the archive.
    let preflight = request.method() == Method::OPTIONS && path.starts_with("/api");
    let open = path == "/login" || path.starts_with("/assets/") || preflight;
    let mut response = match &app.token {
        Some(token) if !open && !carries(request.headers(), token) => {
            if path.starts_with("/api") {
                let mut refused = Refusal::new(
                    StatusCode::UNAUTHORIZED,
                    "this server needs a token: send the header 'Authorization: Bearer TOKEN'",
                )
                .into_response();
                refused
                    .headers_mut()
                    .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
                refused
            } else {
                let back = request
                    .uri()
                    .path_and_query()
                    .map_or("/".to_string(), |p| p.as_str().to_string());
                (StatusCode::UNAUTHORIZED, page::login(&back, false)).into_response()
            }
        }
        _ => next.run(request).await,
    };
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(POLICY),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

/// Whether the request carries the token, as a bearer token or the
/// login cookie.
fn carries(headers: &HeaderMap, token: &str) -> bool {
    let bearer = headers
        .get_all(header::AUTHORIZATION)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .filter_map(|value| value.strip_prefix("Bearer "))
        .any(|given| same(given.trim(), token));
    let cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .any(|(name, given)| name == COOKIE && same(given, token));
    bearer || cookie
}

/// Compares in time that depends on the lengths only, not on where the
/// first difference is.
fn same(given: &str, token: &str) -> bool {
    let (given, token) = (given.as_bytes(), token.as_bytes());
    if given.len() != token.len() {
        return false;
    }
    given
        .iter()
        .zip(token)
        .fold(0u8, |diff, (a, b)| diff | (a ^ b))
        == 0
}

/// `GET /login`.
pub async fn login_form(State(app): State<Arc<App>>) -> Response {
    if app.token.is_none() {
        return Redirect::to("/").into_response();
    }
    page::login("/", false).into_response()
}

/// The login form's fields.
#[derive(Deserialize)]
pub struct Login {
    token: String,
    #[serde(default)]
    back: String,
}

/// `POST /login`: sets the cookie when the token is right.
pub async fn login(State(app): State<Arc<App>>, Form(login): Form<Login>) -> Response {
    let Some(token) = &app.token else {
        return Redirect::to("/").into_response();
    };
    // Only a path of this server: never off to another site.
    let back = if login.back.starts_with('/') && !login.back.starts_with("//") {
        login.back.as_str()
    } else {
        "/"
    };
    if !same(login.token.trim(), token) {
        return (StatusCode::UNAUTHORIZED, page::login(back, true)).into_response();
    }
    let cookie = format!("{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict");
    let mut response = Redirect::to(back).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_found_in_the_header_or_the_cookie() {
        let token = "0123456789abcdef";
        let mut headers = HeaderMap::new();
        assert!(!carries(&headers, token));
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer 0123456789abcdef"),
        );
        assert!(carries(&headers, token));
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=b; dateline_token=0123456789abcdef"),
        );
        assert!(carries(&headers, token));
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("dateline_token=0123456789abcdeF"),
        );
        assert!(!carries(&headers, token));
    }
}
