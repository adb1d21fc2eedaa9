//! Open data over HTTP: the read-only API (`/api/v1`: JSON pages with ETags,
//! CORS for GET, errors as RFC 9457 problem documents, its OpenAPI 3.1
//! document), each dataset's whole CSV and JSON download (streamed a page at a
//! time) and the DCAT catalogue in JSON-LD. Every row comes from the stages'
//! public datasets (`app::opendata`), so nothing here decides what is public.
use app::ctx::{AppState, RequestInfo};
use app::dataset::{Record, Scope};
use app::i18n::Locale;
use app::opendata::rules;
use app::opendata::store as datasets;
use app::processes::model::ProcessDetail;
use axum::body::Body;
use axum::extract::{Path, RawQuery};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use futures_util::StreamExt as _;
use leptos::config::LeptosOptions;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

mod openapi;

pub fn routes(state: AppState) -> Router<LeptosOptions> {
    let s = state.clone();
    let processes = get(move |q, h, i| list_processes(s.clone(), q, h, i)).options(preflight);
    let s = state.clone();
    let process = get(move |p, h, i| one_process(s.clone(), p, h, i)).options(preflight);
    let s = state.clone();
    let rows = get(move |p, q, h, i| dataset_page(s.clone(), p, q, h, i)).options(preflight);
    let s = state.clone();
    let doc = get(move |h| openapi::document(s.clone(), h)).options(preflight);
    let s = state.clone();
    let download = get(move |p, i| download(s.clone(), p, i));
    let s = state.clone();
    let catalog = get(move |q, i| catalog(s.clone(), q, i));
    Router::new()
        .route("/api/v1/processes", processes)
        .route("/api/v1/processes/{slug}", process)
        .route("/api/v1/processes/{slug}/{dataset}", rows)
        .route("/api/v1/openapi.json", doc)
        .route("/processes/{slug}/data/{file}", download)
        .route("/data/catalog.jsonld", catalog)
        .route(
            "/api/v1/{*rest}",
            get(|info: Option<Extension<RequestInfo>>| async move { not_found(locale_of(&info)) })
                .options(preflight),
        )
}

fn locale_of(info: &Option<Extension<RequestInfo>>) -> Locale {
    info.as_ref().map(|i| i.locale).unwrap_or_default()
}

/// An RFC 9457 problem document.
pub fn problem(status: StatusCode, locale: Locale, title_key: &str, detail: &str) -> Response {
    let body = json!({
        "type": "about:blank",
        "title": locale.t(title_key),
        "status": status.as_u16(),
        "detail": detail,
    });
    let mut res = (status, body.to_string()).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    cors(h);
    res
}

fn not_found(locale: Locale) -> Response {
    problem(
        StatusCode::NOT_FOUND,
        locale,
        "api.problem.not_found",
        &locale.t("api.problem.not_found.detail"),
    )
}

fn bad_request(locale: Locale, bad: &rules::BadParam) -> Response {
    problem(
        StatusCode::BAD_REQUEST,
        locale,
        "api.problem.bad_request",
        &locale.tf(bad.reason, &[("param", &bad.param)]),
    )
}

fn server_error(locale: Locale) -> Response {
    problem(
        StatusCode::INTERNAL_SERVER_ERROR,
        locale,
        "api.problem.server",
        "",
    )
}

fn insert_all(h: &mut HeaderMap, headers: &[(header::HeaderName, &'static str)]) {
    for (name, value) in headers {
        h.insert(name.clone(), HeaderValue::from_static(value));
    }
}

/// Readable from any origin: the API is public and takes no credentials.
/// Its titles and messages are in the reader's language.
fn cors(h: &mut HeaderMap) {
    insert_all(
        h,
        &[
            (header::VARY, "Accept-Language, Cookie"),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
            (
                header::ACCESS_CONTROL_EXPOSE_HEADERS,
                "ETag, Link, Retry-After",
            ),
        ],
    );
}

async fn preflight() -> Response {
    let mut res = StatusCode::NO_CONTENT.into_response();
    cors(res.headers_mut());
    insert_all(
        res.headers_mut(),
        &[
            (header::ACCESS_CONTROL_ALLOW_METHODS, "GET, HEAD, OPTIONS"),
            (header::ACCESS_CONTROL_ALLOW_HEADERS, "If-None-Match"),
            (header::ACCESS_CONTROL_MAX_AGE, "86400"),
        ],
    );
    res
}

/// A JSON answer with its ETag (a hash of the body): `304 Not Modified` when
/// the client holds it already.
pub fn json_answer(body: &Value, request: &HeaderMap, next: Option<&str>) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    let digest = Sha256::digest(&bytes);
    // Weak: the same answer compressed or not is the same answer.
    let etag = format!(
        "W/\"{}\"",
        digest[..16]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    let fresh = request
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',').any(|t| {
                let t = t.trim();
                t == "*" || t.trim_start_matches("W/") == etag.trim_start_matches("W/")
            })
        });
    let mut res = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut res = (StatusCode::OK, bytes).into_response();
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        res
    };
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if let Some(v) = next.and_then(|n| HeaderValue::from_str(&format!("<{n}>; rel=\"next\"")).ok())
    {
        h.insert(header::LINK, v);
    }
    cors(h);
    res
}

fn pairs(query: &Option<String>) -> Vec<(String, String)> {
    url::form_urlencoded::parse(query.as_deref().unwrap_or("").as_bytes())
        .into_owned()
        .collect()
}

/// `after` and `limit`, once every parameter is known (those two or `filters`).
fn window(pairs: &[(String, String)], filters: &[&str]) -> Result<(i64, i64), rules::BadParam> {
    let allowed: Vec<&str> = ["after", "limit"]
        .into_iter()
        .chain(filters.iter().copied())
        .collect();
    rules::known(pairs.iter().map(|(k, _)| k.as_str()), &allowed)?;
    rules::window(param(pairs, "after"), param(pairs, "limit"))
}

fn param<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// The address of the page after `last`, keeping the request's filters.
fn next_link(base: &str, path: &str, pairs: &[(String, String)], last: i64, limit: i64) -> String {
    let mut q = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs.iter().filter(|(k, _)| k != "after" && k != "limit") {
        q.append_pair(k, v);
    }
    q.append_pair("limit", &limit.to_string());
    q.append_pair("after", &last.to_string());
    format!("{base}{path}?{}", q.finish())
}

/// The process named by `slug`, or the answer saying why there is none.
async fn process_or_problem(
    state: &AppState,
    slug: &str,
    locale: Locale,
) -> Result<ProcessDetail, Response> {
    match app::processes::store::require(state, slug).await {
        Ok(p) => Ok(p),
        Err(app::error::AppError::NotFound) => Err(not_found(locale)),
        Err(_) => Err(server_error(locale)),
    }
}

/// One page of `rows` (each with an `id`): `links.next` while it is full.
fn page_answer(
    base: &str,
    path: &str,
    pairs: &[(String, String)],
    rows: Vec<Value>,
    limit: i64,
    headers: &HeaderMap,
) -> Response {
    let last = rows.last().and_then(|r| r["id"].as_i64());
    let next = (rows.len() as i64 == limit)
        .then(|| last.map(|id| next_link(base, path, pairs, id, limit)))
        .flatten();
    json_answer(
        &json!({"data": rows, "links": {"next": next}}),
        headers,
        next.as_deref(),
    )
}

fn process_links(base: &str, slug: &str) -> Value {
    json!({
        "self": format!("{base}/api/v1/processes/{slug}"),
        "html": format!("{base}/processes/{slug}"),
        "data": format!("{base}/processes/{slug}/data"),
    })
}

async fn list_processes(
    state: AppState,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    info: Option<Extension<RequestInfo>>,
) -> Response {
    let locale = locale_of(&info);
    let pairs = pairs(&query);
    let (after, limit) = match window(&pairs, &[]) {
        Ok(w) => w,
        Err(bad) => return bad_request(locale, &bad),
    };
    let Ok(rows) = app::processes::store::after(&state.db, after, limit).await else {
        return server_error(locale);
    };
    let base = &state.settings.base_url;
    let data: Vec<Value> = rows
        .iter()
        .map(|(id, slug, title, description, created_at)| {
            json!({
                "id": id,
                "slug": slug,
                "title": title,
                "description": description,
                "created_at": datasets::rfc3339(*created_at),
                "links": process_links(base, slug),
            })
        })
        .collect();
    page_answer(base, "/api/v1/processes", &pairs, data, limit, &headers)
}

fn dataset_links(base: &str, slug: &str, name: &str) -> Value {
    json!({
        "api": format!("{base}/api/v1/processes/{slug}/{name}"),
        "csv": format!("{base}/processes/{slug}/data/{name}.csv"),
        "json": format!("{base}/processes/{slug}/data/{name}.json"),
    })
}

async fn one_process(
    state: AppState,
    Path(slug): Path<String>,
    headers: HeaderMap,
    info: Option<Extension<RequestInfo>>,
) -> Response {
    let locale = locale_of(&info);
    let p = match process_or_problem(&state, &slug, locale).await {
        Ok(p) => p,
        Err(answer) => return answer,
    };
    let today = app::ctx::today(&state.settings);
    let scope = Scope {
        db: &state.db,
        process: &p,
        today: &today,
    };
    let Ok(described) = datasets::described(scope).await else {
        return server_error(locale);
    };
    let base = &state.settings.base_url;
    let sets: Vec<Value> = described
        .iter()
        .map(|d| {
            json!({
                "name": d.name,
                "title": locale.t(&format!("data.{}", d.name)),
                "description": locale.t(&format!("data.{}.about", d.name)),
                "rows": d.rows,
                "modified": d.modified,
                "links": dataset_links(base, &p.slug, &d.name),
            })
        })
        .collect();
    let body = json!({
        "id": p.id,
        "slug": p.slug,
        "title": p.title,
        "description": p.description,
        "axes": p.axes.iter().map(|a| json!({"id": a.id, "name": a.name})).collect::<Vec<_>>(),
        "license": rules::LICENCE_URL,
        "datasets": sets,
        "links": process_links(base, &p.slug),
    });
    json_answer(&body, &headers, None)
}

async fn dataset_page(
    state: AppState,
    Path((slug, name)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    info: Option<Extension<RequestInfo>>,
) -> Response {
    let locale = locale_of(&info);
    let Some(d) = datasets::find(&name) else {
        return not_found(locale);
    };
    let p = match process_or_problem(&state, &slug, locale).await {
        Ok(p) => p,
        Err(answer) => return answer,
    };
    let pairs = pairs(&query);
    let filters: Vec<&str> = d.filters.iter().map(|f| f.param()).collect();
    let (after, limit) = match window(&pairs, &filters) {
        Ok(w) => w,
        Err(bad) => return bad_request(locale, &bad),
    };
    let narrow = match datasets::narrowing(d, &pairs) {
        Ok(n) => n,
        Err(bad) => return bad_request(locale, &bad),
    };
    let today = app::ctx::today(&state.settings);
    let scope = Scope {
        db: &state.db,
        process: &p,
        today: &today,
    };
    let Ok(rows) = datasets::page(scope, d, &narrow, after, limit).await else {
        return server_error(locale);
    };
    let base = &state.settings.base_url;
    let rows: Vec<Value> = rows
        .into_iter()
        .map(|r| Value::Object(absolute(r, base)))
        .collect();
    let path = format!("/api/v1/processes/{}/{}", p.slug, d.name);
    page_answer(base, &path, &pairs, rows, limit, &headers)
}

/// Addresses on this site (an evidence file's) made absolute.
fn absolute(mut r: Record, base: &str) -> Record {
    if let Some(Value::String(url)) = r.get_mut("url") {
        if url.starts_with('/') {
            *url = format!("{base}{url}");
        }
    }
    r
}

/// Rows per page of a download.
const DOWNLOAD_PAGE: i64 = 1000;

/// A dataset's whole CSV or JSON, read a page at a time as it goes out.
async fn download(
    state: AppState,
    Path((slug, file)): Path<(String, String)>,
    info: Option<Extension<RequestInfo>>,
) -> Response {
    let locale = locale_of(&info);
    let Some((name, format)) = file.rsplit_once('.') else {
        return not_found(locale);
    };
    let (Some(d), true) = (datasets::find(name), matches!(format, "csv" | "json")) else {
        return not_found(locale);
    };
    let p = match process_or_problem(&state, &slug, locale).await {
        Ok(p) => p,
        Err(answer) => return answer,
    };
    let csv = format == "csv";
    let content_type = if csv {
        "text/csv; charset=utf-8"
    } else {
        "application/json"
    };
    let disposition = format!("attachment; filename=\"{}-{}.{format}\"", p.slug, d.name);
    let first = if csv {
        app::documents::csv([d.fields.iter().map(|f| f.name).collect::<Vec<_>>()])
    } else {
        "[".to_string()
    };
    // (after, rows sent so far, done)
    let stream = futures_util::stream::unfold(
        (state, p, d, 0i64, 0usize, false),
        move |(state, p, d, after, sent, done)| async move {
            if done {
                return None;
            }
            let today = app::ctx::today(&state.settings);
            let scope = Scope {
                db: &state.db,
                process: &p,
                today: &today,
            };
            let rows = match datasets::page(scope, d, &[], after, DOWNLOAD_PAGE).await {
                Ok(rows) => rows,
                Err(e) => {
                    tracing::error!(?e, dataset = d.name, "open data download");
                    return Some((
                        Err(std::io::Error::other("download")),
                        (state, p, d, after, sent, true),
                    ));
                }
            };
            let base = state.settings.base_url.clone();
            let last = rows
                .last()
                .and_then(|r| r.get("id"))
                .and_then(Value::as_i64);
            let finished = (rows.len() as i64) < DOWNLOAD_PAGE;
            let mut chunk = if csv {
                app::documents::csv(rows.iter().map(|r| {
                    let r = absolute(r.clone(), &base);
                    d.fields
                        .iter()
                        .map(|f| datasets::cell(&r[f.name]))
                        .collect::<Vec<_>>()
                }))
            } else {
                rows.iter()
                    .enumerate()
                    .map(|(i, r)| {
                        let sep = if sent + i == 0 { "\n" } else { ",\n" };
                        format!("{sep}{}", Value::Object(absolute(r.clone(), &base)))
                    })
                    .collect()
            };
            if finished && !csv {
                chunk.push_str("\n]\n");
            }
            let sent = sent + rows.len();
            Some((
                Ok::<_, std::io::Error>(chunk),
                (state, p, d, last.unwrap_or(after), sent, finished),
            ))
        },
    );
    let body = Body::from_stream(
        futures_util::stream::once(async move { Ok::<_, std::io::Error>(first) }).chain(stream),
    );
    let mut res = (StatusCode::OK, body).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    cors(h);
    res
}

/// Processes per page of the catalogue: each costs a count per dataset.
const CATALOG_PAGE: i64 = 10;

/// The DCAT catalogue (JSON-LD) of every process's datasets, as CKAN's DCAT
/// harvester reads it; paged with Hydra when there are more processes.
async fn catalog(
    state: AppState,
    RawQuery(query): RawQuery,
    info: Option<Extension<RequestInfo>>,
) -> Response {
    let locale = locale_of(&info);
    let pairs = pairs(&query);
    if let Err(bad) = rules::known(pairs.iter().map(|(k, _)| k.as_str()), &["page"]) {
        return bad_request(locale, &bad);
    }
    let page = match param(&pairs, "page").map(|v| rules::number("page", v, 1, 1_000_000)) {
        None => 1,
        Some(Ok(n)) => n,
        Some(Err(bad)) => return bad_request(locale, &bad),
    };
    let base = state.settings.base_url.clone();
    let es = Locale::EsAr;
    let Ok((total, slugs)) =
        app::processes::store::slugs(&state.db, (page - 1) * CATALOG_PAGE, CATALOG_PAGE).await
    else {
        return server_error(locale);
    };
    let pages = ((total + CATALOG_PAGE - 1) / CATALOG_PAGE).max(1);
    if page > pages {
        return not_found(locale);
    }
    let today = app::ctx::today(&state.settings);
    let mut sets = Vec::new();
    for slug in &slugs {
        let p = match process_or_problem(&state, slug, locale).await {
            Ok(p) => p,
            Err(answer) => return answer,
        };
        let scope = Scope {
            db: &state.db,
            process: &p,
            today: &today,
        };
        let Ok(described) = datasets::described(scope).await else {
            return server_error(locale);
        };
        for d in described {
            let links = dataset_links(&base, &p.slug, &d.name);
            let distribution = |format: &str, media: &str| {
                json!({
                    "@type": "dcat:Distribution",
                    "dct:title": format!("{} ({})", es.t(&format!("data.{}", d.name)), format.to_uppercase()),
                    "dcat:downloadURL": {"@id": links[format].clone()},
                    "dcat:accessURL": {"@id": links[format].clone()},
                    "dcat:mediaType": media,
                    "dct:format": format.to_uppercase(),
                    "dct:license": {"@id": rules::LICENCE_URL},
                })
            };
            sets.push(json!({
                "@id": format!("{base}/processes/{}/data#{}", p.slug, d.name),
                "@type": "dcat:Dataset",
                "dct:identifier": format!("{}/{}", p.slug, d.name),
                "dct:title": format!("{} — {}", es.t(&format!("data.{}", d.name)), p.title),
                "dct:description": es.t(&format!("data.{}.about", d.name)),
                "dct:modified": d.modified.as_ref().map(|m| json!({"@value": m, "@type": "xsd:dateTime"})),
                "dct:language": {"@id": "http://publications.europa.eu/resource/authority/language/SPA"},
                "dct:license": {"@id": rules::LICENCE_URL},
                "dcat:landingPage": {"@id": format!("{base}/processes/{}/data", p.slug)},
                "dcat:keyword": ["gobierno abierto", "co-creación", p.title.clone()],
                "dct:publisher": {"@type": "foaf:Agent", "foaf:name": es.t("app.name")},
                "dcat:distribution": [
                    distribution("csv", "text/csv"),
                    distribution("json", "application/json"),
                ],
            }));
        }
    }
    let mut body = json!({
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "hydra": "http://www.w3.org/ns/hydra/core#",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
            "hydra:first": {"@type": "@id"},
            "hydra:last": {"@type": "@id"},
            "hydra:next": {"@type": "@id"},
            "hydra:previous": {"@type": "@id"},
        },
        "@id": format!("{base}/data/catalog.jsonld"),
        "@type": "dcat:Catalog",
        "dct:title": es.tf("data.title", &[("process", &es.t("app.name"))]),
        "dct:description": es.t("data.intro"),
        "dct:language": {"@id": "http://publications.europa.eu/resource/authority/language/SPA"},
        "dct:license": {"@id": rules::LICENCE_URL},
        "foaf:homepage": {"@id": format!("{base}/developers")},
        "dct:publisher": {"@type": "foaf:Agent", "foaf:name": es.t("app.name")},
        "dcat:dataset": sets,
    });
    if pages > 1 {
        let at = |n: i64| format!("{base}/data/catalog.jsonld?page={n}");
        let mut view = json!({
            "@id": at(page),
            "@type": "hydra:PartialCollectionView",
            "hydra:first": at(1),
            "hydra:last": at(pages),
        });
        if page < pages {
            view["hydra:next"] = json!(at(page + 1));
        }
        if page > 1 {
            view["hydra:previous"] = json!(at(page - 1));
        }
        body["hydra:view"] = view;
    }
    let mut res = (StatusCode::OK, body.to_string()).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/ld+json"),
    );
    cors(h);
    res
}
