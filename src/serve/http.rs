//! The preview server: axum over the last good site, held in memory like `hugo
//! server` does, so a rebuild swaps the whole site at once and a failed rebuild keeps
//! serving the previous one. HTML responses get the live-reload script; the built site
//! on disk never contains it.

use super::hosts::HostPolicy;
use super::messages::{Messages, messages};
use super::{Shared, Snapshot};
use axum::Router;
use axum::extract::{Request, State};
use axum::http::Uri;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use bytes::Bytes;
use std::convert::Infallible;
use std::sync::Arc;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

/// Where the live-reload script and its event stream live (outside any base path).
pub(super) const SCRIPT_PATH: &str = "/__partnerpress/live.js";
pub(super) const EVENTS_PATH: &str = "/__partnerpress/events";

const LIVE_JS: &str = include_str!("live.js");

/// Every route, the event stream included, behind the host check.
pub(super) fn router(shared: Arc<Shared>, hosts: HostPolicy) -> Router {
    Router::new()
        .route(SCRIPT_PATH, get(live_js))
        .route(EVENTS_PATH, get(events))
        .route("/", get(page))
        .route("/{*path}", get(page))
        .with_state(shared)
        .layer(middleware::from_fn_with_state(hosts, only_local))
}

/// Refuses requests for other host names and from other sites' pages with 403 and a
/// plain-text reason.
async fn only_local(State(hosts): State<HostPolicy>, request: Request, next: Next) -> Response {
    match hosts.check(request.headers(), request.uri()) {
        Ok(()) => next.run(request).await,
        Err(refusal) => (
            StatusCode::FORBIDDEN,
            [
                (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            refusal.to_string(),
        )
            .into_response(),
    }
}

async fn live_js() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        LIVE_JS,
    )
        .into_response()
}

/// Server-sent events: `reload` (with the new generation) after a good rebuild,
/// `failed` (with the diagnostics as JSON) after a bad one; a new connection first
/// learns the current state, so a page that loaded just before a rebuild catches up.
async fn events(State(shared): State<Arc<Shared>>) -> impl IntoResponse {
    let current = shared.snapshot();
    let first = match current.failure_json() {
        Some(json) => Event::default().event("failed").data(json),
        None => Event::default()
            .event("current")
            .data(current.generation.to_string()),
    };
    let first = Some(Ok::<_, Infallible>(first));
    let updates = BroadcastStream::new(shared.events.subscribe()).filter_map(|message| {
        let message = message.ok()?;
        Some(Ok(Event::default().event(message.name).data(message.data)))
    });
    Sse::new(tokio_stream::iter(first).chain(updates)).keep_alive(KeepAlive::default())
}

/// A page or file of the site; GET and HEAD only (axum answers 405 to the rest).
async fn page(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    let snapshot = shared.snapshot();
    let Some(path) = decode_path(uri.path()) else {
        return (StatusCode::BAD_REQUEST, "bad request path").into_response();
    };
    if snapshot.files.is_empty() {
        return build_failed_page(&snapshot);
    }
    let base = snapshot.base_path.as_str();
    let Some(rel) = path
        .strip_prefix(base)
        .or_else(|| (path.clone() + "/" == base).then_some(""))
    else {
        if path == "/" {
            return Redirect::temporary(base).into_response();
        }
        return not_found(&snapshot);
    };
    let file = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_owned()
    };
    if let Some(cached) = snapshot.on_disk.get(&file) {
        // Gone from the cache (another build pruned it): like any missing file.
        let cached = cached.clone();
        return match tokio::task::spawn_blocking(move || std::fs::read(cached)).await {
            Ok(Ok(bytes)) => file_response(StatusCode::OK, &file, bytes.into(), &snapshot),
            _ => not_found(&snapshot),
        };
    }
    match snapshot.files.get(&file) {
        Some(bytes) => file_response(StatusCode::OK, &file, bytes.clone(), &snapshot),
        None if snapshot.files.contains_key(&format!("{rel}/index.html")) => {
            Redirect::permanent(&format!("{}/", uri.path())).into_response()
        }
        None => not_found(&snapshot),
    }
}

/// The 404 page with the preview's note on what it hides (after `<main …>`), so a
/// writer who opens a draft's address learns why it is missing.
fn with_hidden_note(page: &Bytes, snapshot: &Snapshot) -> Bytes {
    let Some(note) = &snapshot.hidden else {
        return page.clone();
    };
    let preview = messages(&snapshot.lang).preview;
    let html = String::from_utf8_lossy(page);
    let Some(at) = html
        .find("<main")
        .and_then(|m| html[m..].find('>').map(|e| m + e + 1))
    else {
        return page.clone();
    };
    let note = format!("<p class=\"preview-note\" role=\"note\">{preview}: {note}.</p>");
    Bytes::from(format!("{}{note}{}", &html[..at], &html[at..]))
}

/// The percent-decoded path, or `None` for anything that could climb out of the site
/// (`..` in any spelling, backslashes, NUL) or is not UTF-8.
fn decode_path(raw: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .ok()?;
    let escapes =
        decoded.split(['/', '\\']).any(|segment| segment == "..") || decoded.contains(['\\', '\0']);
    (!escapes).then(|| decoded.into_owned())
}

fn not_found(snapshot: &Snapshot) -> Response {
    match snapshot.files.get("404.html") {
        Some(bytes) => file_response(
            StatusCode::NOT_FOUND,
            "404.html",
            with_hidden_note(bytes, snapshot),
            snapshot,
        ),
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

fn file_response(status: StatusCode, file: &str, bytes: Bytes, snapshot: &Snapshot) -> Response {
    let mime = mime_guess::from_path(file).first_or_octet_stream();
    let is_html = mime.essence_str() == "text/html";
    let body = if is_html {
        inject_script(&bytes, snapshot.generation, messages(&snapshot.lang))
    } else {
        bytes
    };
    let content_type = if is_html || mime.type_() == "text" {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.essence_str().to_owned()
    };
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Adds the live-reload script, tagged with the site generation the page comes from,
/// before `</body>` (or at the end).
pub(crate) fn inject_script(html: &[u8], generation: u64, words: &Messages) -> Bytes {
    let tag = format!(
        "<script src=\"{SCRIPT_PATH}\" data-generation=\"{generation}\" data-lang=\"{}\" data-failed=\"{}\" data-overlay=\"{}\" defer></script>",
        words.lang, words.failed, words.overlay
    );
    let text = String::from_utf8_lossy(html);
    let out = match text.rfind("</body>") {
        Some(i) => format!("{}{tag}{}", &text[..i], &text[i..]),
        None => format!("{text}{tag}"),
    };
    Bytes::from(out)
}

/// Shown while there has never been a good build: the errors, and the script that
/// reloads once they are fixed.
fn build_failed_page(snapshot: &Snapshot) -> Response {
    let mut list = String::new();
    for text in &snapshot.errors {
        list.push_str(&escape(text));
        list.push('\n');
    }
    let words = messages(&snapshot.lang);
    let html = format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title></head>\
         <body><main><h1>{}</h1><pre>{list}</pre>\
         <p>{}</p></main></body></html>",
        words.lang, words.failed, words.never_built, words.reloads
    );
    let mut response = (
        StatusCode::SERVICE_UNAVAILABLE,
        inject_script(html.as_bytes(), snapshot.generation, words),
    )
        .into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_climb_out_are_refused_in_every_spelling() {
        for raw in [
            "/../etc/passwd",
            "/a/%2e%2e/b",
            "/..%2fetc",
            "/%2e%2e%2f%2e%2e/x",
            "/a\\..\\b",
            "/x%00",
        ] {
            assert_eq!(decode_path(raw), None, "{raw}");
        }
        assert_eq!(decode_path("/news/a%20b/").as_deref(), Some("/news/a b/"));
        assert_eq!(decode_path("/news/..x/").as_deref(), Some("/news/..x/"));
    }

    #[test]
    fn script_goes_before_the_closing_body_tag() {
        let out = inject_script(b"<html><body><p>x</p></body></html>", 7, messages("en"));
        assert!(String::from_utf8_lossy(&out).ends_with(
            "<script src=\"/__partnerpress/live.js\" data-generation=\"7\" data-lang=\"en\" data-failed=\"Build failed\" data-overlay=\"Build failed — the last good version is shown underneath\" defer></script></body></html>"
        ));
        let german = inject_script(b"<body></body>", 1, messages("de"));
        assert!(String::from_utf8_lossy(&german).contains("data-failed=\"Build fehlgeschlagen\""));
    }
}
