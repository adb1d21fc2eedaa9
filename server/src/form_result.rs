//! A form posted without a script to a server function comes back to its page
//! with the outcome in the address (see `app::ui::form_result`): server_fn
//! writes a failure there; this adds a success, so the page can say so.
use app::redirect::HERE;
use app::ui::form_result::{back_with, MAX_OUT};
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub async fn carry(req: Request, next: Next) -> Response {
    let fn_path = req.uri().path().to_string();
    let accepts_html = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    if req.method() != Method::POST || !fn_path.starts_with("/api/") || !accepts_html {
        return next.run(req).await;
    }
    let referer = req
        .headers()
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| url::Url::parse(r).ok());
    let res = next.run(req).await;
    if !res.status().is_redirection() {
        return res;
    }
    let base = url::Url::parse(HERE).expect("a valid stand-in");
    let Some(location) = res
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|l| base.join(l).ok())
    else {
        return res;
    };
    let failed = location.query_pairs().any(|(k, _)| k == "__err");
    // Only a post sent back to the page it came from reports there.
    let back_home = referer.is_some_and(|r| r.path() == location.path());
    let (mut parts, body) = res.into_parts();
    let (body, result) = if back_home && !failed {
        // A result longer than an address should carry is left out (the
        // body of a redirect is not read by browsers).
        match axum::body::to_bytes(body, MAX_OUT).await {
            Ok(b) => (Body::from(b.clone()), Some(b)),
            Err(_) => (Body::empty(), None),
        }
    } else {
        (body, None)
    };
    let back = back_with(&location, &fn_path, result.as_deref());
    let value = back
        .as_str()
        .strip_prefix(HERE.trim_end_matches('/'))
        .unwrap_or(back.as_str());
    match value.parse() {
        Ok(v) => {
            parts.headers.insert(header::LOCATION, v);
        }
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
    Response::from_parts(parts, body)
}
