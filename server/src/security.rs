//! Security layers: per-response CSP nonce and security headers, the cross-site
//! request check on state-changing requests, and friendly answers to refused bodies.
use app::ctx::RequestInfo;
use app::i18n::Locale;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Largest request body accepted.
pub const BODY_LIMIT: usize = 512 * 1024;

/// Longest time an answer may take to start.
pub const ANSWER_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// Whether the site is served over https (its public URL says so).
#[derive(Clone, Copy)]
pub struct Https(pub bool);

/// Sets the security headers; the CSP allows only scripts that carry this
/// response's nonce, plus WebAssembly compilation. Over https, browsers are told
/// to keep to it. What is not a static file is never stored by a browser or a
/// proxy when it may be personal (a signed-in person's page, any server
/// function's answer, anything that sets a cookie), and revalidated otherwise.
pub async fn headers(
    axum::extract::State(Https(https)): axum::extract::State<Https>,
    req: Request,
    next: Next,
) -> Response {
    let (nonce, signed_in) = req
        .extensions()
        .get::<RequestInfo>()
        .map(|r| (r.nonce.clone(), r.session_hash.is_some()))
        .unwrap_or_default();
    let path = req.uri().path();
    let asset = path.starts_with("/pkg/");
    // The open data API answers the same to everyone: it may be kept (and
    // revalidated with its ETag) even when the asker is signed in.
    let open_data = path.starts_with("/api/v1/");
    let personal = !open_data && (signed_in || path.starts_with("/api/"));
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    if !asset && (personal || h.contains_key(header::SET_COOKIE)) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    } else if !asset && !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
    if https {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    let csp = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    );
    if let Ok(v) = HeaderValue::from_str(&csp) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    res
}

/// Whether a request's browser-supplied headers show it came from another site.
/// Requests without any of these headers come from non-browser clients, which
/// carry no ambient cookies of a victim, so they pass.
pub fn is_cross_site(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let origin = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .and_then(|v| v.to_str().ok());
    match (origin, host) {
        (Some("null"), _) => true,
        (Some(origin), Some(host)) => authority_of(origin) != Some(host),
        (Some(_), None) => true,
        (None, _) => false,
    }
}

/// `host[:port]` of an absolute URL.
fn authority_of(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    Some(rest.split(['/', '?', '#']).next().unwrap_or(rest))
}

/// Refuses state-changing requests that another site made a browser send.
pub async fn same_origin(req: Request, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe && is_cross_site(req.headers()) {
        let locale = req
            .extensions()
            .get::<RequestInfo>()
            .map(|r| r.locale)
            .unwrap_or_default();
        tracing::warn!(path = %req.uri().path(), "cross-site request refused");
        return plain_error(StatusCode::FORBIDDEN, locale, "error.cross_site");
    }
    next.run(req).await
}

/// Replaces the bare 413 of the body limit and the 503 of the answer timeout
/// with a message in the user's language.
pub async fn explain_refusals(req: Request, next: Next) -> Response {
    let locale = req
        .extensions()
        .get::<RequestInfo>()
        .map(|r| r.locale)
        .unwrap_or_default();
    let res = next.run(req).await;
    if res.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return plain_error(StatusCode::PAYLOAD_TOO_LARGE, locale, "error.too_large");
    }
    if res.status() == StatusCode::SERVICE_UNAVAILABLE && res.headers().is_empty() {
        return plain_error(StatusCode::SERVICE_UNAVAILABLE, locale, "error.internal");
    }
    res
}

/// A small HTML page with one message, for refusals made outside the app.
pub fn plain_error(status: StatusCode, locale: Locale, key: &str) -> Response {
    plain_page(status, locale, &locale.t(key), "")
}

/// A small HTML page outside the app: a heading (escaped here), then `html`
/// (already escaped by the caller), then the way home. Its stylesheet is the
/// copy under the plain name (`.ci/build`), whatever this build's hash.
pub fn plain_page(status: StatusCode, locale: Locale, heading: &str, html: &str) -> Response {
    let title = escape(&locale.t("app.name"));
    let heading = escape(heading);
    let back = escape(&locale.t("error.go_back"));
    let body = format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title}</title>\
         <link rel=\"stylesheet\" href=\"/pkg/cocrea.css\"></head><body><main id=\"main\">\
         <h1>{heading}</h1>{html}<p><a href=\"/\">{back}</a></p></main></body></html>",
        locale.tag()
    );
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        Body::from(body),
    )
        .into_response()
}

pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut m = HeaderMap::new();
        for (k, v) in pairs {
            m.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        m
    }

    #[test]
    fn cross_site_detection() {
        assert!(!is_cross_site(&h(&[("sec-fetch-site", "same-origin")])));
        assert!(is_cross_site(&h(&[("sec-fetch-site", "cross-site")])));
        assert!(is_cross_site(&h(&[("sec-fetch-site", "same-site")])));
        assert!(!is_cross_site(&h(&[
            ("host", "a.org"),
            ("origin", "https://a.org")
        ])));
        assert!(is_cross_site(&h(&[
            ("host", "a.org"),
            ("origin", "https://evil.org")
        ])));
        assert!(is_cross_site(&h(&[
            ("host", "a.org"),
            ("referer", "https://a.org.evil.org/x")
        ])));
        assert!(is_cross_site(&h(&[("host", "a.org"), ("origin", "null")])));
        assert!(!is_cross_site(&h(&[("host", "a.org")])));
    }
}
