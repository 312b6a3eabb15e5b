//! `dateline serve`: the index over HTTP, read-only. A search page for
//! people ([`page`]) and a JSON API for programs ([`api`]), both made from
//! the library's values by the renderers the CLI prints with, so a URL's
//! answer is the document the command prints for the same options
//! ([`params`] turns parameters into those options).
//!
//! Every search runs on a blocking thread, at most `--max-searches` at
//! once; a request waits a second for its turn, then gets 503, and one
//! that takes longer than `--timeout` gets 503 too. Requests carry no
//! body; anything else a client sends is refused with a 4xx and the
//! sentence the CLI would print. Ctrl-C or SIGTERM stops taking requests
//! and answers those in flight (for as long as one can take), then exits.

mod api;
mod archive;
mod assets;
mod coordinator;
mod guard;
mod page;
mod params;
mod shard_calls;

use std::io::Write as _;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tokio::sync::Semaphore;

use dateline::{ArchiveIndex, Error, Result};

use crate::cli::config::ServeCommand;
use crate::cli::exit::ExitStatus;
use archive::Archive;

/// How long a request waits for a free search before it is told the
/// server is busy.
const QUEUE_WAIT: Duration = Duration::from_secs(1);
/// How long a client has to send a request's headers (and how long an
/// idle kept-alive connection stays open): a client that never finishes
/// is cut off instead of holding a connection for ever.
const HEADER_WAIT: Duration = Duration::from_secs(10);
/// Connections open at once; more wait in the system's backlog.
const MAX_CONNECTIONS: usize = 512;

/// What every request shares: the archive and the limits.
pub struct App {
    archive: Archive,
    searches: Arc<Semaphore>,
    max_searches: usize,
    timeout: Duration,
    token: Option<String>,
    show_paths: bool,
}

/// A request refused or failed: its status and the one sentence that says
/// why (the CLI's, where the CLI has one).
#[derive(Debug)]
pub struct Refusal {
    status: StatusCode,
    message: String,
    /// Where in the query the mistake is (1-based, in characters).
    column: Option<usize>,
}

impl Refusal {
    fn new(status: StatusCode, message: impl Into<String>) -> Refusal {
        Refusal {
            status,
            message: message.into(),
            column: None,
        }
    }

    fn bad_request(message: impl Into<String>) -> Refusal {
        Refusal::new(StatusCode::BAD_REQUEST, message)
    }

    fn not_found(message: impl Into<String>) -> Refusal {
        Refusal::new(StatusCode::NOT_FOUND, message)
    }

    fn no_article(id: &str) -> Refusal {
        Refusal::not_found(format!("no article with id '{id}'"))
    }
}

impl From<Error> for Refusal {
    fn from(err: Error) -> Refusal {
        let (status, column) = match &err {
            Error::User(dateline::UserError::Query(query)) => {
                (StatusCode::BAD_REQUEST, Some(query.column))
            }
            Error::User(_) => (StatusCode::BAD_REQUEST, None),
            _ => (StatusCode::INTERNAL_SERVER_ERROR, None),
        };
        Refusal {
            column,
            ..Refusal::new(status, err.to_string())
        }
    }
}

/// The API's refusals: `{"error": "…"}`.
impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let mut body = serde_json::json!({ "error": self.message }).to_string();
        body.push('\n');
        (self.status, json_type(), body).into_response()
    }
}

fn json_type() -> [(header::HeaderName, HeaderValue); 1] {
    [(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    )]
}

impl App {
    /// Runs `work` on the index of this server, for a shard call: a
    /// coordinator has none.
    async fn run_local<T, F>(self: &Arc<Self>, work: F) -> std::result::Result<T, Refusal>
    where
        T: Send + 'static,
        F: FnOnce(&ArchiveIndex) -> std::result::Result<T, Refusal> + Send + 'static,
    {
        self.run(|archive| match archive {
            Archive::Index(index) => work(index),
            Archive::Shards(_) => Err(Refusal::not_found(
                "this server is a coordinator of shards: shard calls go to the shards",
            )),
        })
        .await
    }

    /// Runs `work` on the archive on a blocking thread, when a search is
    /// free and within the timeout.
    async fn run<T, F>(self: &Arc<Self>, work: F) -> std::result::Result<T, Refusal>
    where
        T: Send + 'static,
        F: FnOnce(&Archive) -> std::result::Result<T, Refusal> + Send + 'static,
    {
        let Ok(Ok(permit)) =
            tokio::time::timeout(QUEUE_WAIT, self.searches.clone().acquire_owned()).await
        else {
            return Err(Refusal::new(
                StatusCode::SERVICE_UNAVAILABLE,
                format!(
                    "the server is busy ({} searches are running); try again in a moment",
                    self.max_searches
                ),
            ));
        };
        let app = Arc::clone(self);
        let task = tokio::task::spawn_blocking(move || {
            // The search is counted until it ends, even when its client
            // was told it took too long.
            let _permit = permit;
            work(&app.archive)
        });
        match tokio::time::timeout(self.timeout, task).await {
            Ok(Ok(result)) => result,
            Ok(Err(_)) => Err(Refusal::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal error: the search stopped (a bug in dateline; please report it)",
            )),
            Err(_) => Err(Refusal::new(
                StatusCode::SERVICE_UNAVAILABLE,
                format!(
                    "the request took longer than {} s; narrow the query or the dates",
                    self.timeout.as_secs_f64()
                ),
            )),
        }
    }
}

/// Serves the index in `dir` (or, with `--shards`, the shards' indexes)
/// until Ctrl-C or SIGTERM.
pub fn run(dir: &Path, command: ServeCommand) -> Result<ExitStatus> {
    let archive = match &command.shards {
        Some(urls) => Archive::Shards(coordinator::Shards::new(
            urls.clone(),
            command.shard_timeout,
        )),
        None => {
            let index = ArchiveIndex::open_watching(dir)?;
            // A broken index is refused now, not at the first request.
            index.reader()?;
            Archive::Index(Box::new(index))
        }
    };
    let served = match &archive {
        Archive::Index(_) => dir.display().to_string(),
        Archive::Shards(shards) => format!("{} shards", shards.urls().len()),
    };
    let app = Arc::new(App {
        archive,
        searches: Arc::new(Semaphore::new(command.max_searches)),
        max_searches: command.max_searches,
        timeout: command.timeout,
        token: command.token.clone(),
        show_paths: command.show_paths,
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|err| Error::System(format!("cannot start the server's threads: {err}")))?;
    let served = runtime.block_on(serve(app, &command, &served));
    // A search that outlived its request's timeout is not waited for.
    runtime.shutdown_timeout(Duration::from_millis(100));
    served?;
    Ok(ExitStatus::Found)
}

async fn serve(app: Arc<App>, command: &ServeCommand, served: &str) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(command.addr)
        .await
        .map_err(|err| Error::System(format!("cannot listen on {}: {err}", command.addr)))?;
    let addr: SocketAddr = listener
        .local_addr()
        .map_err(|err| Error::System(format!("cannot listen on {}: {err}", command.addr)))?;
    {
        // The first line says where: with port 0, the one chosen.
        let mut out = std::io::stdout().lock();
        let _ = writeln!(
            out,
            "dateline: serving {served} at http://{addr}/ (Ctrl-C stops)"
        );
        let _ = out.flush();
    }
    if !addr.ip().is_loopback() && app.token.is_none() {
        eprintln!("dateline: --public: anyone who can reach {addr} can read the whole archive");
    }
    // A request in flight is answered within the wait for a search and the
    // timeout; a connection that has not sent a whole request by then never
    // will, and must not keep the server from stopping.
    let grace = QUEUE_WAIT + app.timeout + Duration::from_secs(1);
    let router = router(app, command.cors.as_deref());
    accept(listener, router, grace).await;
    Ok(())
}

/// Takes connections until Ctrl-C or SIGTERM, each served by hyper with a
/// deadline for its headers, at most [`MAX_CONNECTIONS`] at once; then
/// waits for the requests in flight, `grace` at most.
async fn accept(listener: tokio::net::TcpListener, router: Router, grace: Duration) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::server::graceful::GracefulShutdown;
    use hyper_util::service::TowerToHyperService;

    let graceful = GracefulShutdown::new();
    let connections = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let stop = stop_signal();
    tokio::pin!(stop);
    loop {
        let permit = tokio::select! {
            permit = Arc::clone(&connections).acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
            () = &mut stop => break,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file descriptors, or a connection reset before it
                // was taken: wait a little rather than spin.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let _ = stream.set_nodelay(true);
        let service = TowerToHyperService::new(router.clone());
        let connection = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(HEADER_WAIT)
            .serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            let _ = connection.await;
            drop(permit);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(grace) => {
            eprintln!(
                "dateline: stopped; connections with no whole request after {} s were closed",
                grace.as_secs()
            );
        }
    }
}

/// The routes, behind the token check and the headers every answer has.
fn router(app: Arc<App>, cors: Option<&str>) -> Router {
    let mut api = Router::new()
        .route("/api/search", get(api::search))
        .route("/api/trend", get(api::trend))
        .route("/api/stats", get(api::stats))
        .route("/api/articles/{*id}", get(api::article))
        .route("/api/related/{*id}", get(api::related))
        .route(
            "/api/shard/{call}",
            axum::routing::post(shard_calls::call).layer(axum::extract::DefaultBodyLimit::max(
                shard_calls::MAX_CALL_BODY,
            )),
        )
        .route("/api", get(api::unknown))
        .route("/api/", get(api::unknown))
        .route("/api/{*rest}", get(api::unknown));
    if let Some(origin) = cors.and_then(|origin| HeaderValue::from_str(origin).ok()) {
        api = api.layer(
            tower_http::cors::CorsLayer::new()
                .allow_origin(origin)
                .allow_methods([axum::http::Method::GET])
                .allow_headers([header::AUTHORIZATION]),
        );
    }
    Router::new()
        .route("/", get(page::search))
        .route("/articles/{*id}", get(page::article))
        .route("/login", get(guard::login_form).post(guard::login))
        .route("/assets/{name}", get(assets::serve))
        .merge(api)
        .fallback(page::not_found)
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&app),
            guard::check,
        ))
        .layer(axum::extract::DefaultBodyLimit::max(guard::MAX_BODY))
        .with_state(app)
}

/// Resolves on Ctrl-C or SIGTERM: the server then stops taking requests
/// and finishes those in flight.
async fn stop_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    eprintln!("dateline: stopping once the requests in flight are answered");
}
