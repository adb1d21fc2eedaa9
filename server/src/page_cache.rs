//! Pages kept for a moment for visitors who are not signed in. Such a visitor's
//! page depends only on its address and language, and hundreds of them reading
//! the same list or proposal need it rendered once, not once each. A kept page
//! is shown only while nothing was written since it was rendered (any write
//! through any instance moves `PageChanges`), and for at most `FRESH` (what a
//! page shows by the date, such as the open stage, catches up within it). A
//! signed-in person's page, a server function's answer, a stream or a file is
//! never kept. Each showing gets its own CSP nonce, gzipped for browsers
//! from one compression (`kept_gzip`). When a page is not kept,
//! one request renders it and the others asking for it meanwhile wait for that
//! one (a kept page expiring under load is rendered once, not once each).
use crate::kept_gzip::Holed;
use crate::limits::{kind_of, Kind};
use app::ctx::{PageChanges, RequestInfo};
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a page is shown at most.
const FRESH: Duration = Duration::from_secs(2);
/// At most this many pages are kept (each address and language is one).
const KEPT: usize = 500;
/// A larger page is not kept.
const LARGEST: usize = 512 * 1024;

/// Whether the answer came from the kept pages (`hit`) or was rendered (`miss`).
pub const HEADER: &str = "x-cache";

/// The longest a request waits for another's render of the same page before
/// rendering it itself.
const WAIT: Duration = Duration::from_secs(10);

#[derive(Clone)]
pub struct PageCache {
    changes: Arc<PageChanges>,
    kept: Arc<Mutex<HashMap<String, Kept>>>,
    /// Pages being rendered; a request for one waits until its sender is gone.
    rendering: Arc<Mutex<HashMap<String, tokio::sync::watch::Receiver<()>>>>,
}

/// The render of one page under way: when it ends (kept or not, or dropped),
/// the requests waiting for it look again.
struct Render {
    cache: PageCache,
    key: String,
    _done: tokio::sync::watch::Sender<()>,
}

impl Drop for Render {
    fn drop(&mut self) {
        if let Ok(mut rendering) = self.cache.rendering.lock() {
            rendering.remove(&self.key);
        }
    }
}

struct Kept {
    count: u64,
    at: Instant,
    headers: HeaderMap,
    body: KeptBody,
}

/// A page is kept cut around its render's nonce, as text and gzipped (checked
/// and compressed once, when kept), so that each showing only writes its own
/// nonce in; a body that is not text is kept as it is.
#[derive(Clone)]
enum KeptBody {
    Plain(Bytes),
    Holed(Arc<Holed>),
}

impl PageCache {
    pub fn new(changes: Arc<PageChanges>) -> PageCache {
        PageCache {
            changes,
            kept: Default::default(),
            rendering: Default::default(),
        }
    }

    /// This request's render of `key`, or (if another is rendering it) the
    /// wait for that one.
    fn render_or_wait(&self, key: &str) -> Result<Render, tokio::sync::watch::Receiver<()>> {
        let mut rendering = self.rendering.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(other) = rendering.get(key) {
            return Err(other.clone());
        }
        let (done, waiting) = tokio::sync::watch::channel(());
        rendering.insert(key.to_string(), waiting);
        Ok(Render {
            cache: self.clone(),
            key: key.to_string(),
            _done: done,
        })
    }

    /// The kept page `key` with `nonce`, gzipped if the browser `takes_gzip`.
    fn shown(&self, key: &str, nonce: &str, takes_gzip: bool) -> Option<Response> {
        // Copied out (cheaply) so that the nonce is written outside the lock.
        let (mut headers, body) = {
            let kept = self.kept.lock().ok()?;
            let page = kept.get(key)?;
            if page.count != self.changes.count() || page.at.elapsed() >= FRESH {
                return None;
            }
            (page.headers.clone(), page.body.clone())
        };
        let body = match body {
            KeptBody::Holed(page) if takes_gzip => {
                headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
                if !headers.contains_key(header::VARY) {
                    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
                }
                headers.remove(header::CONTENT_LENGTH);
                Bytes::from(page.gzipped(nonce))
            }
            KeptBody::Holed(page) => page.plain(nonce),
            KeptBody::Plain(bytes) => bytes,
        };
        let mut res = Response::new(Body::from(body));
        *res.headers_mut() = headers;
        res.headers_mut()
            .insert(HEADER, HeaderValue::from_static("hit"));
        Some(res)
    }

    /// Keeps a page rendered when the count was `count`: if something was
    /// written since, the count has moved and the page is never shown.
    fn keep(&self, key: String, count: u64, headers: HeaderMap, body: Bytes, nonce: &str) {
        // Cut and compressed before taking the lock, which every visitor's
        // request needs.
        let holed = std::str::from_utf8(&body)
            .ok()
            .and_then(|text| Holed::new(text, nonce));
        let body = match holed {
            Some(page) => KeptBody::Holed(Arc::new(page)),
            None => KeptBody::Plain(body),
        };
        let Ok(mut kept) = self.kept.lock() else {
            return;
        };
        if kept.len() >= KEPT {
            let now = self.changes.count();
            kept.retain(|_, p| p.count == now && p.at.elapsed() < FRESH);
            if kept.len() >= KEPT {
                kept.clear();
            }
        }
        kept.insert(
            key,
            Kept {
                count,
                at: Instant::now(),
                headers,
                body,
            },
        );
    }
}

/// A request that may write moves the count once it is answered (whatever the
/// answer: a refused write changed nothing, and forgetting is always safe).
fn may_write(req: &Request) -> bool {
    if req.method() == Method::GET || req.method() == Method::HEAD {
        return false;
    }
    match req.uri().path().strip_prefix("/api/") {
        Some(endpoint) => kind_of(endpoint) != Kind::Read,
        None => true,
    }
}

pub async fn serve(State(cache): State<PageCache>, req: Request, next: Next) -> Response {
    if may_write(&req) {
        let res = next.run(req).await;
        cache.changes.changed();
        return res;
    }
    let visitor = req
        .extensions()
        .get::<RequestInfo>()
        .filter(|info| info.session_hash.is_none())
        .map(|info| (info.locale.tag(), info.nonce.clone()));
    let path = req.uri().path();
    let (Some((locale, nonce)), true) = (
        visitor,
        req.method() == Method::GET && !path.starts_with("/pkg/") && !path.starts_with("/api/"),
    ) else {
        return next.run(req).await;
    };
    let key = format!("{locale} {}", req.uri());
    let takes_gzip = takes_gzip(req.headers());
    if let Some(res) = cache.shown(&key, &nonce, takes_gzip) {
        return res;
    }
    let render = match cache.render_or_wait(&key) {
        Ok(render) => Some(render),
        Err(mut other) => {
            // Ends when the other render is over (its sender dropped).
            let _ = tokio::time::timeout(WAIT, other.changed()).await;
            if let Some(res) = cache.shown(&key, &nonce, takes_gzip) {
                return res;
            }
            None
        }
    };
    let count = cache.changes.count();
    let res = next.run(req).await;
    if !keepable(&res) {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(body) = axum::body::to_bytes(body, usize::MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if body.len() <= LARGEST {
        cache.keep(key, count, parts.headers.clone(), body.clone(), &nonce);
    }
    drop(render);
    parts
        .headers
        .insert(HEADER, HeaderValue::from_static("miss"));
    Response::from_parts(parts, Body::from(body))
}

/// Whether `Accept-Encoding` names gzip (or `*`) without refusing it (`q=0`).
fn takes_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|coding| {
            let mut parts = coding.split(';').map(str::trim);
            let name = parts.next().unwrap_or_default();
            let refused = parts.any(|p| {
                p.strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
        })
}

/// A whole HTML page that sets nothing and says nothing against keeping it.
fn keepable(res: &Response) -> bool {
    let h = res.headers();
    res.status() == StatusCode::OK
        && h.get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("text/html"))
        && !h.contains_key(header::SET_COOKIE)
        && !h
            .get(header::CACHE_CONTROL)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("no-store") || v.contains("private"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(body: &str) -> Bytes {
        Bytes::from(body.to_string())
    }

    #[tokio::test]
    async fn a_page_is_shown_until_something_is_written_and_gets_its_own_nonce() {
        let changes = Arc::new(PageChanges::new(false));
        let cache = PageCache::new(changes.clone());
        let body = page("<script nonce=\"abc\">x</script>");
        cache.keep(
            "es-AR /".into(),
            changes.count(),
            HeaderMap::new(),
            body,
            "abc",
        );
        let shown = cache.shown("es-AR /", "xyz", false).expect("kept");
        assert_eq!(shown.headers()[HEADER], "hit");
        let body = axum::body::to_bytes(shown.into_body(), 1000).await.unwrap();
        assert_eq!(&body[..], b"<script nonce=\"xyz\">x</script>");
        assert!(cache.shown("en /", "xyz", false).is_none());
        changes.changed();
        assert!(cache.shown("es-AR /", "xyz", true).is_none());
    }

    #[tokio::test]
    async fn a_kept_page_goes_gzipped_once_with_each_showings_nonce() {
        let changes = Arc::new(PageChanges::new(false));
        let cache = PageCache::new(changes.clone());
        let page = "<script nonce=\"abc\">x</script>".repeat(20);
        cache.keep(
            "es-AR /".into(),
            changes.count(),
            HeaderMap::new(),
            Bytes::from(page.clone()),
            "abc",
        );
        let shown = cache.shown("es-AR /", "xyz", true).expect("kept");
        assert_eq!(shown.headers()[header::CONTENT_ENCODING], "gzip");
        assert_eq!(shown.headers()[header::VARY], "accept-encoding");
        let body = axum::body::to_bytes(shown.into_body(), 10_000)
            .await
            .unwrap();
        assert_eq!(
            crate::kept_gzip::tests::gunzip(&body),
            page.replace("abc", "xyz")
        );
    }

    #[test]
    fn gzip_is_taken_unless_refused() {
        let with = |v: &'static str| {
            let mut h = HeaderMap::new();
            h.insert(header::ACCEPT_ENCODING, HeaderValue::from_static(v));
            takes_gzip(&h)
        };
        assert!(with("gzip, deflate, br, zstd"));
        assert!(with("br;q=1.0, GZIP;q=0.5"));
        assert!(with("*"));
        assert!(!with("gzip;q=0, br"));
        assert!(!with("br, deflate"));
        assert!(!takes_gzip(&HeaderMap::new()));
    }

    #[tokio::test]
    async fn one_render_at_a_time_and_the_others_wait_for_it() {
        let cache = PageCache::new(Arc::new(PageChanges::new(false)));
        let first = cache.render_or_wait("es-AR /").ok().expect("renders");
        let mut waiting = cache.render_or_wait("es-AR /").err().expect("waits");
        assert!(cache.render_or_wait("en /").is_ok());
        let waited = tokio::spawn(async move { waiting.changed().await.is_err() });
        drop(first);
        assert!(waited.await.unwrap(), "the render ended");
        assert!(cache.render_or_wait("es-AR /").is_ok());
    }

    #[test]
    fn a_page_rendered_before_a_write_is_never_shown() {
        let changes = Arc::new(PageChanges::new(false));
        let cache = PageCache::new(changes.clone());
        let before = changes.count();
        changes.changed();
        cache.keep("es-AR /".into(), before, HeaderMap::new(), page("old"), "n");
        assert!(cache.shown("es-AR /", "m", false).is_none());
    }
}
