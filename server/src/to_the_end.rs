//! Every answer is made to its end, even when its client goes away first.
//!
//! hyper drops a request's future when its connection closes. Dropped in the
//! middle of a page's render, the page's reactive owner goes with it while a
//! suspense boundary's effect, spawned on another worker, may still be walking
//! the page: it then reads an action, a context or a router that no longer
//! exists and panics, or drops the page's last owner while reading a context
//! from it and deadlocks that worker thread for good (the cut-off test in
//! `tests/`: 8-10 panics in 7,200 cut-offs, and one run of three hung). So each
//! answer is made in a task of its own, and a page is read to its last byte
//! there, where leptos disposes of the page's owner once the render is over.
//! A server function cut off likewise finishes what it began.
use axum::{
    body::Body,
    extract::Request,
    http::{header, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

/// A page larger than this is a bug; it is refused rather than held.
const PAGE_LIMIT: usize = 16 << 20;

pub async fn run(req: Request, next: Next) -> Response {
    let answer = tokio::spawn(async move {
        let res = next.run(req).await;
        if !is_page(&res) {
            return res;
        }
        let (parts, body) = res.into_parts();
        match axum::body::to_bytes(body, PAGE_LIMIT).await {
            Ok(bytes) => Response::from_parts(parts, Body::from(bytes)),
            Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        }
    });
    // A panic in the task is answered as CatchPanicLayer answers one.
    answer
        .await
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

/// A page rendered by leptos (never a live stream nor a file).
fn is_page(res: &Response) -> bool {
    res.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"))
}
