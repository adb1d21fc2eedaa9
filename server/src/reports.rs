//! The co-creation report's downloads: CSV, JSON, DOCX and PDF of a process's
//! figures, in the reader's language.
use app::ctx::{AppState, RequestInfo};
use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use leptos::config::LeptosOptions;

pub fn routes(state: AppState) -> Router<LeptosOptions> {
    let zip_state = state.clone();
    let reports =
        ["csv", "json", "docx", "pdf"]
            .into_iter()
            .fold(Router::new(), |router, format| {
                let state = state.clone();
                router.route(
                    &format!("/processes/{{slug}}/report.{format}"),
                    get(move |path, info| report(state.clone(), format, path, info)),
                )
            });
    let survey_state = state.clone();
    reports
        .route(
            "/processes/{slug}/evaluation.zip",
            get(move |path, info| evaluation_zip(zip_state.clone(), path, info)),
        )
        .route(
            "/surveys/{id}/answers.csv",
            get(move |path, info| survey_csv(survey_state.clone(), path, info)),
        )
}

/// A survey's answers, for the team.
async fn survey_csv(
    state: AppState,
    Path(id): Path<String>,
    info: Option<axum::Extension<RequestInfo>>,
) -> Response {
    let info = info.map(|i| i.0);
    let locale = info.as_ref().map(|i| i.locale).unwrap_or_default();
    let user = info.and_then(|i| i.user);
    let id = id.parse::<i64>().unwrap_or(0);
    match app::survey::api::answers_csv(&state, user.as_ref(), id, locale).await {
        Ok((name, csv)) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}\""),
                ),
            ],
            csv,
        )
            .into_response(),
        Err(e) => {
            let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::FORBIDDEN);
            crate::security::plain_error(status, locale, e.message_key())
        }
    }
}

/// Everything of a process, for its monitoring body (and the team).
async fn evaluation_zip(
    state: AppState,
    Path(slug): Path<String>,
    info: Option<axum::Extension<RequestInfo>>,
) -> Response {
    let info = info.map(|i| i.0);
    let locale = info.as_ref().map(|i| i.locale).unwrap_or_default();
    let user = info.and_then(|i| i.user);
    let today = app::ctx::today(&state.settings);
    let process = match process(&state, &slug, &today).await {
        Ok(p) => p,
        Err(status) => return status.into_response(),
    };
    if let Err(e) = app::evaluation::rules::read_everything(user.as_ref(), process.id) {
        let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::FORBIDDEN);
        return crate::security::plain_error(status, locale, e.message_key());
    }
    let Ok(bytes) = crate::evaluation_zip::build(&state.db, &process, &today, locale).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    (
        [
            (header::CONTENT_TYPE, "application/zip".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}-evaluacion.zip\"", process.slug),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// The process named in the path, or the status to answer with.
async fn process(
    state: &AppState,
    slug: &str,
    today: &str,
) -> Result<app::processes::model::ProcessDetail, StatusCode> {
    match app::processes::store::by_slug(&state.db, slug, today).await {
        Ok(Some(p)) => Ok(p),
        Ok(None) => Err(StatusCode::NOT_FOUND),
        Err(e) => {
            Err(StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
        }
    }
}

async fn report(
    state: AppState,
    format: &'static str,
    Path(slug): Path<String>,
    info: Option<axum::Extension<RequestInfo>>,
) -> Response {
    use app::report::{export, store};
    let locale = info.map(|i| i.0.locale).unwrap_or_default();
    let today = app::ctx::today(&state.settings);
    let process = match process(&state, &slug, &today).await {
        Ok(p) => p,
        Err(status) => return status.into_response(),
    };
    let Ok(r) = store::report(&state.db, &process, &today).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let (body, kind): (Vec<u8>, &str) = match format {
        "csv" => (
            export::csv(&r, locale).into_bytes(),
            "text/csv; charset=utf-8",
        ),
        "json" => (export::json(&r).into_bytes(), "application/json"),
        "pdf" => match crate::pdf(export::document(&r, locale)).await {
            Some(pdf) => (pdf, "application/pdf"),
            None => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        },
        _ => (export::document(&r, locale).docx(), crate::DOCX),
    };
    let disposition = format!("attachment; filename=\"{}-informe.{format}\"", process.slug);
    (
        [
            (header::CONTENT_TYPE, kind.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response()
}
