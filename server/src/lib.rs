//! The cocrea server: configuration, router, security layers, mail and jobs.
mod announce;
mod assets;
pub mod backup;
pub mod config;
mod evaluation_zip;
mod fanout;
mod form_result;
pub mod jobs;
mod kept_gzip;
pub mod limits;
pub mod live;
pub mod mailer;
mod monitoring;
mod open_data;
mod page_cache;
mod reports;
pub mod request;
pub mod security;
pub mod seed;
mod seed_call;
mod seed_commitments;
mod seed_directory;
mod seed_monitoring;
mod seed_next;
mod seed_session;
mod to_the_end;
mod unsubscribe;

use app::ctx::{AppState, Settings};
use app::db::Db;
use app::error::AppError;
use app::{shell, App};
use axum::body::Body;
use axum::extract::{Path, Request};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use config::ServeConfig;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::net::SocketAddr;
use std::sync::Arc;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::trace::TraceLayer;

/// The file of a `sqlite:` database URL.
pub fn sqlite_file(url: &str) -> Option<&str> {
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    path.split('?').next()
}

/// Connects to the database and applies pending migrations (creating a SQLite
/// file and its folder if needed).
pub async fn open_database(url: &str) -> anyhow::Result<Db> {
    if let Some(file) = sqlite_file(url) {
        if let Some(dir) = std::path::Path::new(file).parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir)?;
            }
        }
    }
    let db = Db::connect(url).await?;
    db.migrate().await?;
    Ok(db)
}

/// A server that is listening.
pub struct Running {
    pub addr: SocketAddr,
    pub state: AppState,
    pub task: tokio::task::JoinHandle<()>,
    shutdown: Arc<tokio::sync::Notify>,
    mailer: Arc<mailer::Mailer>,
    mail_from: String,
    announcer: Option<announce::Announcer>,
}

impl Running {
    /// Stops gracefully: takes no new connections, lets the requests in flight
    /// finish (live streams, which never finish, are cut after a few seconds),
    /// then sends what the outbox still holds. An announcement being sent
    /// stops after the mail in hand; the rest goes on the next start.
    pub async fn stop(self) {
        self.shutdown.notify_one();
        if let Some(announcer) = self.announcer {
            announcer.stop().await;
        }
        if tokio::time::timeout(std::time::Duration::from_secs(10), self.task)
            .await
            .is_err()
        {
            tracing::warn!("connections still open after 10 s: closing them");
        }
        let flush = jobs::deliver_pending(&self.state, &self.mailer, &self.mail_from);
        match tokio::time::timeout(std::time::Duration::from_secs(20), flush).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::error!(error = %e, "mail not flushed"),
            Err(_) => {
                tracing::warn!("mail still pending after 20 s; it goes out on the next start")
            }
        }
    }
}

/// Binds, starts the background jobs and serves in a spawned task.
pub async fn start(cfg: ServeConfig, db: Db) -> anyhow::Result<Running> {
    let listener = tokio::net::TcpListener::bind(cfg.addr).await?;
    let addr = listener.local_addr()?;
    let base_url = cfg
        .base_url
        .clone()
        .unwrap_or_else(|| format!("http://{addr}"))
        .trim_end_matches('/')
        .to_string();
    let fans_out = db.engine == app::db::Engine::Postgres;
    let state = AppState {
        db,
        settings: Arc::new(Settings {
            secure_cookies: base_url.starts_with("https://"),
            base_url,
            utc_offset_minutes: cfg.utc_offset_minutes,
            files_dir: cfg.files_dir.clone(),
        }),
        outbox_wakeup: Arc::new(tokio::sync::Notify::new()),
        board_changes: Arc::new(app::ctx::BoardChanges::new(fans_out)),
        page_changes: Arc::new(app::ctx::PageChanges::new(fans_out)),
    };
    let mailer = Arc::new(mailer::Mailer::from_config(
        cfg.smtp_url.as_deref(),
        cfg.mail_dir.clone(),
    )?);
    jobs::spawn(
        state.clone(),
        mailer.clone(),
        cfg.mail_from.clone(),
        cfg.mail_retention_days,
    );
    jobs::spawn_schedule(state.clone(), cfg.schedule_seconds);
    let announcer = announce::spawn(
        state.clone(),
        mailer.clone(),
        cfg.mail_from.clone(),
        cfg.announce_per_second,
    );
    if fans_out {
        fanout::start(state.clone()).await?;
    }
    let router = router(state.clone(), &cfg);
    let shutdown = Arc::new(tokio::sync::Notify::new());
    let signal = shutdown.clone();
    let task = tokio::spawn(async move {
        let service = router.into_make_service_with_connect_info::<SocketAddr>();
        let serving = axum::serve(listener, service)
            .with_graceful_shutdown(async move { signal.notified().await });
        if let Err(e) = serving.await {
            tracing::error!(error = %e, "server stopped");
        }
    });
    Ok(Running {
        addr,
        state,
        task,
        shutdown,
        mailer,
        mail_from: cfg.mail_from.clone(),
        announcer,
    })
}

/// The app's routes, listed once per process. Listing them renders the app with
/// resource loading suppressed by a process-wide flag, which would stall a page
/// being rendered at that moment by another server in the same process (tests
/// run several), so it must happen before any server serves.
static ROUTES: std::sync::LazyLock<Vec<leptos_axum::AxumRouteListing>> =
    std::sync::LazyLock::new(|| generate_route_list(App));

pub fn router(state: AppState, cfg: &ServeConfig) -> Router {
    let assets = Arc::new(assets::load(&cfg.site_root));
    let options = LeptosOptions::builder()
        .output_name(assets.bundle.clone())
        .site_root(cfg.site_root.clone())
        .site_pkg_dir("pkg")
        .build();
    let routes = ROUTES.clone();
    let context = {
        let state = state.clone();
        move || {
            provide_context(state.clone());
            if let Some(info) = app::ctx::request_info() {
                provide_context(info.locale);
                provide_context(leptos::nonce::Nonce::from_value(info.nonce));
            }
        }
    };
    let fallback = leptos_axum::render_app_async_with_context(context.clone(), {
        let (options, assets) = (options.clone(), assets.clone());
        move || shell(options.clone(), &assets)
    });
    let health_state = state.clone();
    let lang_state = state.clone();
    let calendar_state = state.clone();
    let live_state = state.clone();
    let plan_state = state.clone();
    let unsubscribe_state = state.clone();
    let leave_calls_state = state.clone();
    let export_state = state.clone();
    let evidence_state = state.clone();
    let feed_state = state.clone();
    let uploads = monitoring::uploads(state.clone());
    let report_routes = reports::routes(state.clone());
    let open_data_routes = open_data::routes(state.clone());
    let streams = live::Streams::start(
        state.db.clone(),
        cfg.max_streams_per_address,
        cfg.max_streams,
    );
    let record_routes = ["csv", "json", "md"]
        .into_iter()
        .fold(Router::new(), |router, format| {
            let state = state.clone();
            router.route(
                &format!("/roundtables/{{id}}/record.{format}"),
                get(move |path, info| roundtable_record(state.clone(), format, path, info)),
            )
        });
    let sheet_routes =
        ["md", "json", "docx", "pdf"]
            .into_iter()
            .fold(Router::new(), |router, format| {
                let state = state.clone();
                router.route(
                    &format!("/commitments/{{id}}/sheet.{format}"),
                    get(move |path, info| commitment_sheet(state.clone(), format, path, info)),
                )
            });
    let plan_routes = ["docx", "pdf"]
        .into_iter()
        .fold(Router::new(), |router, format| {
            let state = plan_state.clone();
            router.route(
                &format!("/processes/{{slug}}/plan.{format}"),
                get(move |path| action_plan(state.clone(), format, path)),
            )
        });
    let state_https = state.settings.secure_cookies;
    let limits = limits::Limits::new(&cfg.rate_limits);
    jobs::spawn_forget_idle(limits.clone());
    let page_cache = page_cache::PageCache::new(state.page_changes.clone());
    let request_cfg = request::RequestConfig {
        state,
        trust_proxy: cfg.trust_proxy,
    };
    Router::new()
        .route("/healthz", get(move || healthz(health_state.clone())))
        .route(
            "/lang",
            axum::routing::post(move |info, form| set_language(lang_state.clone(), info, form)),
        )
        .route(
            "/roundtables/{id}/calendar.ics",
            get(move |path, info| roundtable_calendar(calendar_state.clone(), path, info)),
        )
        .route(
            "/roundtables/{id}/live",
            get(move |path, query, headers, info| {
                live::board_stream(
                    live_state.clone(),
                    streams.clone(),
                    path,
                    query,
                    headers,
                    info,
                )
            }),
        )
        .route(
            "/unsubscribe/calls/{token}",
            get(unsubscribe::ask_calls).post(move |path, info| {
                unsubscribe::leave_calls(leave_calls_state.clone(), path, info)
            }),
        )
        .route(
            "/unsubscribe/{token}/{kind}",
            get(unsubscribe::ask).post(move |path, info| {
                unsubscribe::confirm(unsubscribe_state.clone(), path, info)
            }),
        )
        .route(
            "/account/data.json",
            get(move |info| my_data(export_state.clone(), info)),
        )
        .route(
            "/evidence/{id}",
            get(move |path, info| monitoring::evidence(evidence_state.clone(), path, info)),
        )
        .route(
            "/processes/{slug}/updates.atom",
            get(move |path| monitoring::feed(feed_state.clone(), path)),
        )
        .merge(record_routes)
        .merge(sheet_routes)
        .merge(plan_routes)
        .merge(report_routes)
        .merge(open_data_routes)
        .leptos_routes_with_context(&options, routes, context, {
            let (options, assets) = (options.clone(), assets.clone());
            move || shell(options.clone(), &assets)
        })
        .nest("/pkg", assets::service(&cfg.site_root, &assets))
        .fallback(fallback)
        .layer(middleware::from_fn(api_error_status))
        .layer(middleware::from_fn(form_result::carry))
        .layer(RequestBodyLimitLayer::new(security::BODY_LIMIT))
        // Updates carry files: their route has a limit of its own.
        .merge(uploads)
        // No answer takes longer than this to start (a live stream starts at
        // once): a request stuck on a bug is ended, not left to hold the server.
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            security::ANSWER_TIMEOUT,
        ))
        // Made in a task of its own, to its end, whether or not its client
        // stays (the time limit above still ends one that never does).
        .layer(middleware::from_fn(to_the_end::run))
        .layer(middleware::from_fn(security::explain_refusals))
        .layer(middleware::from_fn(security::same_origin))
        .layer(middleware::from_fn_with_state(
            page_cache,
            page_cache::serve,
        ))
        .layer(middleware::from_fn_with_state(
            limits.clone(),
            limits::limit,
        ))
        .layer(middleware::from_fn_with_state(
            security::Https(state_https),
            security::headers,
        ))
        .layer(middleware::from_fn_with_state(
            request_cfg,
            request::resolve,
        ))
        // Pages and answers go compressed (gzip) to browsers that take it;
        // never a live stream, nor what is compressed already. Not brotli: a
        // brotli encoder costs ~1.6 ms to set up whatever the page (600 pages/s
        // against 5,300 with gzip; bench/README.md); the files under /pkg are
        // brotli, compressed once at build time, and the pages kept for
        // visitors are gzipped once, when kept (kept_gzip.rs). Level 2, not 6:
        // 14-36% less time compressing a page (4-6% of a signed-in page's CPU)
        // for 4-8% more bytes; level 1 (zlib-rs's quick strategy) adds 25-37%.
        .layer(
            tower_http::compression::CompressionLayer::new()
                .no_br()
                .quality(tower_http::CompressionLevel::Precise(2))
                .compress_when(
                    DefaultPredicate::new()
                        .and(NotForContentType::const_new("application/zip"))
                        // Its streams are deflated already.
                        .and(NotForContentType::const_new("application/pdf"))
                        .and(NotForContentType::const_new(
                            "application/vnd.openxmlformats-officedocument",
                        )),
                ),
        )
        .layer(TraceLayer::new_for_http())
        // A bug in one handler answers 500 instead of dropping the connection.
        .layer(tower_http::catch_panic::CatchPanicLayer::new())
        .with_state(options)
}

async fn healthz(state: AppState) -> Response {
    if state.db.ping().await {
        (
            StatusCode::OK,
            axum::Json(serde_json::json!({"status": "ok", "database": "ok"})),
        )
            .into_response()
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            axum::Json(serde_json::json!({"status": "degraded", "database": "unreachable"})),
        )
            .into_response()
    }
}

/// A roundtable's calendar file, for the people who may join it (it holds the link).
async fn roundtable_calendar(
    state: AppState,
    Path(id): Path<i64>,
    info: Option<axum::Extension<app::ctx::RequestInfo>>,
) -> Response {
    use app::roundtables::{model::RegistrationStatus, rules, store};
    let user = info.and_then(|i| i.0.user);
    let Some(person) = &user else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let facts = match store::facts(&state.db, id).await {
        Ok(Some(f)) => f,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let registered = matches!(
        store::registration(&state.db, id, person.id).await,
        Ok(Some((RegistrationStatus::Registered, _)))
    );
    if !rules::join(user.as_ref(), registered, &facts.presenting) {
        return StatusCode::FORBIDDEN.into_response();
    }
    match store::calendar(&state.db, id, &state.settings.base_url).await {
        Ok(file) => (
            [
                (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"mesa.ics\"",
                ),
            ],
            file,
        )
            .into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// A roundtable's record as CSV, JSON or Markdown: public, as anyone may read it.
async fn roundtable_record(
    state: AppState,
    format: &'static str,
    Path(id): Path<i64>,
    info: Option<axum::Extension<app::ctx::RequestInfo>>,
) -> Response {
    use app::roundtables::{record, store};
    let locale = info.map(|i| i.0.locale).unwrap_or_default();
    let loaded = match store::detail(&state.db, id).await {
        Ok(Some((detail, _))) => record::record(&state.db, id).await.map(|r| (detail, r)),
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(e) => Err(e),
    };
    let Ok((detail, r)) = loaded else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let (body, kind) = match format {
        "csv" => (record::csv(&r, locale), "text/csv; charset=utf-8"),
        "json" => (record::json(&detail, &r), "application/json"),
        _ => (
            record::markdown(&detail, &r, locale),
            "text/markdown; charset=utf-8",
        ),
    };
    let disposition = format!("attachment; filename=\"mesa-{id}.{format}\"");
    (
        [
            (header::CONTENT_TYPE, kind.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response()
}

/// A commitment sheet as Markdown, JSON, DOCX or PDF, for whoever may read it
/// (a draft is the team's).
async fn commitment_sheet(
    state: AppState,
    format: &'static str,
    Path(id): Path<i64>,
    info: Option<axum::Extension<app::ctx::RequestInfo>>,
) -> Response {
    use app::commitments::{export, rules, store};
    let user = info.and_then(|i| i.0.user);
    let detail = match store::detail(&state.db, id).await {
        Ok(Some(d)) => d,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    if let Err(e) = rules::read(user.as_ref(), detail.state, detail.process_id) {
        return StatusCode::from_u16(e.status())
            .unwrap_or(StatusCode::FORBIDDEN)
            .into_response();
    }
    let (body, kind): (Vec<u8>, &str) = match format {
        "md" => (
            export::markdown(&detail).into_bytes(),
            "text/markdown; charset=utf-8",
        ),
        "json" => (export::json(&detail).into_bytes(), "application/json"),
        "pdf" => match pdf(export::document(&detail)).await {
            Some(pdf) => (pdf, "application/pdf"),
            None => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        },
        _ => (export::document(&detail).docx(), DOCX),
    };
    let disposition = format!("attachment; filename=\"{}.{format}\"", detail.code);
    (
        [
            (header::CONTENT_TYPE, kind.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response()
}

/// The Content-Type of a Word document.
pub(crate) const DOCX: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// A document as PDF, laid out away from the threads that answer requests
/// (a whole plan is many pages); `None` if the PDF library failed (logged).
pub(crate) async fn pdf(doc: app::documents::Doc) -> Option<Vec<u8>> {
    let written = tokio::task::spawn_blocking(move || doc.pdf())
        .await
        .map_err(|e| e.to_string())
        .and_then(|pdf| pdf);
    written
        .inspect_err(|e| tracing::error!(error = %e, "PDF not written"))
        .ok()
}

/// The whole action plan of a process as one DOCX or PDF: every sheet
/// published for comment or final (drafts are the team's and stay out).
async fn action_plan(state: AppState, format: &'static str, Path(slug): Path<String>) -> Response {
    use app::commitments::{export, store};
    let process =
        match app::processes::store::by_slug(&state.db, &slug, &app::ctx::today(&state.settings))
            .await
        {
            Ok(Some(p)) => p,
            Ok(None) => return StatusCode::NOT_FOUND.into_response(),
            Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        };
    let Ok(sheets) = store::plan(&state.db, process.id).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let plan = export::plan_document(&process.title, &sheets);
    let (body, kind) = match format {
        "pdf" => match pdf(plan).await {
            Some(pdf) => (pdf, "application/pdf"),
            None => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        },
        _ => (plan.docx(), DOCX),
    };
    let disposition = format!("attachment; filename=\"{}-plan.{format}\"", process.slug);
    (
        [
            (header::CONTENT_TYPE, kind.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response()
}

/// Everything stored about the signed-in person, as a JSON download.
async fn my_data(
    state: AppState,
    info: Option<axum::Extension<app::ctx::RequestInfo>>,
) -> Response {
    let info = info.map(|i| i.0);
    let Some(user) = info.as_ref().and_then(|i| i.user.clone()) else {
        let locale = info.map(|i| i.locale).unwrap_or_default();
        return security::plain_error(StatusCode::UNAUTHORIZED, locale, "error.unauthenticated");
    };
    let locale = info.map(|i| i.locale).unwrap_or_default();
    let disposition = format!(
        "attachment; filename=\"{}\"",
        locale.t("account.download_file")
    );
    match app::privacy::store::export(&state.db, user.id).await {
        Ok(data) => (
            [
                (header::CONTENT_TYPE, "application/json".to_string()),
                (header::CONTENT_DISPOSITION, disposition),
            ],
            serde_json::to_string_pretty(&data).unwrap_or_default(),
        )
            .into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

#[derive(serde::Deserialize)]
struct LanguageChoice {
    tag: String,
    back: Option<String>,
}

/// Remembers the chosen language in a cookie (and, for a signed-in person, as the
/// language of their emails) and returns to the page. A POST from this site's
/// own form: a link elsewhere cannot change anyone's language.
async fn set_language(
    state: AppState,
    info: Option<axum::Extension<app::ctx::RequestInfo>>,
    form: Result<axum::Form<LanguageChoice>, axum::extract::rejection::FormRejection>,
) -> Response {
    let here = info.as_ref().map(|i| i.0.locale).unwrap_or_default();
    let Some((locale, choice)) = form
        .ok()
        .and_then(|f| Some((app::i18n::Locale::from_tag(&f.0.tag)?, f.0)))
    else {
        return security::plain_error(StatusCode::BAD_REQUEST, here, "error.bad_request");
    };
    if let Some(user) = info.and_then(|i| i.0.user) {
        if let Err(e) = app::accounts::store::set_locale(&state.db, user.id, locale).await {
            tracing::warn!(error = %e, "language not saved");
        }
    }
    let back = app::redirect::safe_target(choice.back.as_deref());
    let cookie = format!(
        "{}={}; Path=/; Max-Age=31536000; SameSite=Lax",
        app::i18n::COOKIE,
        locale.tag()
    );
    let mut res = (StatusCode::SEE_OTHER, [(header::LOCATION, back)]).into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    res
}

/// Server functions answer errors with 500 by default; give each the status its
/// kind deserves (400, 401, 403, 404, 409, 429).
async fn api_error_status(req: Request, next: Next) -> Response {
    let is_api = req.uri().path().starts_with("/api/");
    let res = next.run(req).await;
    if !is_api || res.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Ok(err) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status =
            StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    }
    Response::from_parts(parts, Body::from(bytes))
}
