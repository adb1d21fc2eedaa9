//! The monitoring stage's routes outside server functions: filing a progress
//! update (a multipart form, since it carries files), downloading evidence, and
//! the Atom feed of published updates.
use crate::security;
use app::ctx::{AppState, RequestInfo};
use app::error::AppError;
use app::monitoring::{api, model};
use axum::extract::{DefaultBodyLimit, Multipart, Path};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::Router;
use leptos::config::LeptosOptions;

/// Largest update body: its files and a little more for the text fields.
const UPLOAD_LIMIT: usize = model::FILES_MAX * model::FILE_BYTES_MAX + 256 * 1024;
/// Text fields of the form: how many, and how long each.
const TEXT_FIELDS_MAX: usize = 40;
const TEXT_BYTES_MAX: usize = 32 * 1024;

/// The route that takes updates, with a body limit of its own (every other
/// request keeps the small one).
pub fn uploads(state: AppState) -> Router<LeptosOptions> {
    Router::new()
        .route(
            "/commitments/{id}/updates",
            post(move |path, info, headers, multipart| {
                file_update(state.clone(), path, info, headers, multipart)
            }),
        )
        .layer(DefaultBodyLimit::disable())
        .layer(tower_http::limit::RequestBodyLimitLayer::new(UPLOAD_LIMIT))
}

/// Reads the form, files it, and answers a browser with the monitoring page
/// (saying it was sent, or what was wrong) and anything else with the status
/// and the error.
async fn file_update(
    state: AppState,
    Path(id): Path<i64>,
    info: Option<axum::Extension<RequestInfo>>,
    headers: HeaderMap,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let user = info.and_then(|i| i.0.user);
    let result = match multipart {
        Ok(m) => match read_form(m).await {
            Ok(form) => api::file_update(&state, user.as_ref(), id, form).await,
            Err(e) => Err(e),
        },
        Err(_) => Err(AppError::BadRequest),
    };
    let browser = headers
        .get(header::ACCEPT)
        .and_then(|a| a.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    let page = format!("/commitments/{id}/monitoring");
    match result {
        Ok(()) => Redirect::to(&format!("{page}?filed=1")).into_response(),
        Err(e) if browser && !matches!(e, AppError::NotFound | AppError::Unauthenticated) => {
            // The first thing wrong, named by its catalog key.
            let key = match &e {
                AppError::Invalid { errors, .. } if !errors.is_empty() => errors[0].key.as_str(),
                e => e.message_key(),
            };
            Redirect::to(&format!("{page}?error={key}#file-update")).into_response()
        }
        Err(e) => (
            StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST),
            axum::Json(e),
        )
            .into_response(),
    }
}

/// The update form's fields; a file larger than allowed stops the reading.
async fn read_form(mut m: Multipart) -> Result<api::UpdateForm, AppError> {
    let mut form = api::UpdateForm::default();
    let (mut link, mut file_meta) = (
        (String::new(), String::new(), String::new()),
        (String::new(), String::new()),
    );
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut texts = 0;
    while let Some(mut field) = m.next_field().await.map_err(|_| AppError::BadRequest)? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "files" {
            let file_name = field.file_name().unwrap_or_default().to_string();
            let mut bytes = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(|_| AppError::BadRequest)? {
                bytes.extend_from_slice(&chunk);
                if bytes.len() > model::FILE_BYTES_MAX {
                    return Err(too_big());
                }
            }
            // A file input left empty still sends a part without name or bytes.
            if !(file_name.is_empty() && bytes.is_empty()) {
                files.push((file_name, bytes));
            }
            if files.len() > model::FILES_MAX {
                return Err(too_many());
            }
            continue;
        }
        texts += 1;
        let mut value = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(|_| AppError::BadRequest)? {
            value.extend_from_slice(&chunk);
            if value.len() > TEXT_BYTES_MAX || texts > TEXT_FIELDS_MAX {
                return Err(AppError::BadRequest);
            }
        }
        let value = String::from_utf8(value).map_err(|_| AppError::BadRequest)?;
        match name.as_str() {
            "milestone_key" => form.milestone_key = value,
            "progress" => form.progress = value,
            "narrative" => form.narrative = value,
            "link_title" => link.0 = value,
            "link_url" => link.1 = value,
            "link_date" => link.2 = value,
            "file_title" => file_meta.0 = value,
            "file_date" => file_meta.1 = value,
            _ => {}
        }
    }
    if !link.1.trim().is_empty() {
        form.links.push(link);
    }
    form.files = files
        .into_iter()
        .map(|(name, bytes)| (file_meta.0.clone(), file_meta.1.clone(), name, bytes))
        .collect();
    Ok(form)
}

fn too_big() -> AppError {
    invalid("files", "evidence.too_big")
}

fn too_many() -> AppError {
    invalid("files", "evidence.too_many")
}

fn invalid(field: &str, key: &str) -> AppError {
    AppError::Invalid {
        errors: vec![app::error::FieldError {
            field: field.into(),
            key: key.into(),
        }],
        values: vec![],
    }
}

/// An evidence file, as a download: the type its bytes were found to be, its
/// name as sent (quoted safely), and nothing a browser would run.
pub async fn evidence(
    state: AppState,
    Path(id): Path<i64>,
    info: Option<axum::Extension<RequestInfo>>,
) -> Response {
    let info = info.map(|i| i.0);
    let locale = info.as_ref().map(|i| i.locale).unwrap_or_default();
    let user = info.and_then(|i| i.user);
    match api::evidence_file(&state, user.as_ref(), id).await {
        Ok((file, bytes)) => {
            let ascii: String = file
                .file_name
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || ".-_ ".contains(c) {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            let disposition = format!(
                "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
                app::ui::urlencode(&file.file_name)
            );
            (
                [
                    (header::CONTENT_TYPE, file.content_type),
                    (header::CONTENT_DISPOSITION, disposition),
                    (header::CONTENT_SECURITY_POLICY, "sandbox".to_string()),
                ],
                bytes,
            )
                .into_response()
        }
        Err(e) => security::plain_error(
            StatusCode::from_u16(e.status()).unwrap_or(StatusCode::NOT_FOUND),
            locale,
            e.message_key(),
        ),
    }
}

/// The Atom feed of a plan's published updates, newest first.
pub async fn feed(state: AppState, Path(slug): Path<String>) -> Response {
    use atom_syndication::{Entry, Feed, Link, Text};
    let (title, entries) = match api::feed_entries(&state, &slug).await {
        Ok(x) => x,
        Err(e) => {
            return StatusCode::from_u16(e.status())
                .unwrap_or(StatusCode::NOT_FOUND)
                .into_response()
        }
    };
    let base = &state.settings.base_url;
    let locale = app::i18n::Locale::EsAr;
    let date = |d: &str| {
        format!("{d}T00:00:00-03:00")
            .parse::<atom_syndication::FixedDateTime>()
            .unwrap_or_default()
    };
    let mut feed = Feed::default();
    feed.set_id(format!("{base}/processes/{slug}/updates.atom"));
    feed.set_title(Text::plain(
        locale.tf("panel.title", &[("process", &title)]),
    ));
    let mut link = Link::default();
    link.set_href(format!("{base}/processes/{slug}/panel"));
    feed.set_links(vec![link]);
    if let Some(newest) = entries.first().and_then(|e| e.3.published_on.clone()) {
        feed.set_updated(date(&newest));
    }
    feed.set_entries(
        entries
            .into_iter()
            .map(|(id, code, commitment_title, u)| {
                let published = u.published_on.clone().unwrap_or_default();
                let mut entry = Entry::default();
                entry.set_id(format!(
                    "{base}/commitments/{id}/monitoring#update-{}",
                    u.id
                ));
                entry.set_title(Text::plain(format!(
                    "{code} · {commitment_title}: {}",
                    locale.t(&u.progress.key())
                )));
                entry.set_updated(date(&published));
                entry.set_published(Some(date(&published)));
                let mut link = Link::default();
                link.set_href(format!("{base}/commitments/{id}/monitoring"));
                entry.set_links(vec![link]);
                entry.set_summary(Some(Text::plain(u.narrative)));
                entry
            })
            .collect::<Vec<Entry>>(),
    );
    (
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        feed.to_string(),
    )
        .into_response()
}
