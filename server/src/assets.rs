//! The static files under `/pkg/`: the browser bundle, styles, icon, the
//! visitors' live-board script and the preview image of shared links. The build names them after a hash of their
//! content and compresses each ahead of time (`.br`, `.gz`); the server sends
//! the smallest the browser accepts and lets it keep a hashed file for a year,
//! since a new build means new names.
use app::Assets;
use axum::http::{header, HeaderValue};
use axum::Router;
use std::collections::HashSet;
use std::sync::Arc;
use tower_http::services::ServeDir;

/// Where the build lists the hashed names.
const MANIFEST: &str = "pkg/assets.json";

/// The names the build gave the files, or the plain names of a build that did
/// not hash them (the files are then revalidated on each visit).
pub fn load(site_root: &str) -> Assets {
    let path = std::path::Path::new(site_root).join(MANIFEST);
    match std::fs::read_to_string(&path) {
        Ok(text) => serde_json::from_str(&text).unwrap_or_else(|e| {
            tracing::warn!(error = %e, path = %path.display(), "asset manifest unreadable");
            Assets::default()
        }),
        Err(_) => Assets::default(),
    }
}

/// `/pkg/`: precompressed files, hashed ones cached for good.
pub fn service<S: Clone + Send + Sync + 'static>(site_root: &str, assets: &Assets) -> Router<S> {
    let hashed: Arc<HashSet<String>> = Arc::new(if assets.bundle == Assets::default().bundle {
        HashSet::new()
    } else {
        [
            format!("/{}.js", assets.bundle),
            format!("/{}_bg.wasm", assets.bundle),
            format!("/{}", assets.css),
            format!("/{}", assets.icon),
            format!("/{}", assets.live),
            format!("/{}", assets.preview),
        ]
        .into()
    });
    let files = ServeDir::new(format!("{site_root}/pkg"))
        .precompressed_br()
        .precompressed_gzip();
    Router::new()
        .fallback_service(files)
        .layer(axum::middleware::map_response(
            move |uri: axum::http::Uri, mut res: axum::response::Response| {
                let hashed = hashed.clone();
                async move {
                    let forever = hashed.contains(uri.path()) && res.status().is_success();
                    res.headers_mut().insert(
                        header::CACHE_CONTROL,
                        HeaderValue::from_static(if forever {
                            "public, max-age=31536000, immutable"
                        } else {
                            "no-cache"
                        }),
                    );
                    res
                }
            },
        ))
}
