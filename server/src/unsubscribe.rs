//! One-click unsubscribe (RFC 8058): from a kind of notification mail, or
//! from the open call's contact base. The address in a mail's
//! `List-Unsubscribe` opens a page that asks (GET changes nothing); a POST to
//! it, from that page or from the mail program itself
//! (`List-Unsubscribe=One-Click`), stops that mail. For a kind of
//! notification, the in-app notifications go on. The token can do nothing else.
use crate::security::{escape, plain_page};
use app::ctx::{AppState, RequestInfo};
use app::i18n::Locale;
use app::notifications::model::NotificationKind;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;

fn kind_name(locale: Locale, kind: NotificationKind) -> String {
    locale.t(&format!("unsubscribe.kind.{}", kind.as_str()))
}

fn locale_of(info: Option<axum::Extension<RequestInfo>>) -> Locale {
    info.map(|i| i.0.locale).unwrap_or_default()
}

/// The page that asks `question` with a button that posts back.
fn ask_page(locale: Locale, question: &str) -> Response {
    let form = format!(
        "<p>{}</p><form method=\"post\"><button type=\"submit\">{}</button></form>",
        escape(question),
        escape(&locale.t("unsubscribe.confirm")),
    );
    plain_page(
        StatusCode::OK,
        locale,
        &locale.t("unsubscribe.title"),
        &form,
    )
}

/// What the POST answers: `done` once it is done, "unknown" for a token that
/// is not one.
fn done_page(locale: Locale, result: app::error::AppResult<bool>, done: &str) -> Response {
    match result {
        Ok(true) => plain_page(
            StatusCode::OK,
            locale,
            &locale.t("unsubscribe.title"),
            &format!("<p role=\"status\">{}</p>", escape(done)),
        ),
        Ok(false) => {
            crate::security::plain_error(StatusCode::NOT_FOUND, locale, "unsubscribe.unknown")
        }
        Err(_) => crate::security::plain_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            locale,
            "error.internal",
        ),
    }
}

pub async fn ask(
    Path((_token, kind)): Path<(String, String)>,
    info: Option<axum::Extension<RequestInfo>>,
) -> Response {
    let locale = locale_of(info);
    let Some(kind) = NotificationKind::parse(&kind) else {
        return crate::security::plain_error(StatusCode::NOT_FOUND, locale, "error.not_found");
    };
    let question = locale.tf("unsubscribe.ask", &[("kind", &kind_name(locale, kind))]);
    ask_page(locale, &question)
}

pub async fn confirm(
    state: AppState,
    Path((token, kind)): Path<(String, String)>,
    info: Option<axum::Extension<RequestInfo>>,
) -> Response {
    let locale = locale_of(info);
    let Some(kind) = NotificationKind::parse(&kind) else {
        return crate::security::plain_error(StatusCode::NOT_FOUND, locale, "error.not_found");
    };
    let result = app::accounts::store::unsubscribe(&state.db, &token, kind.as_str()).await;
    let done = locale.tf("unsubscribe.done", &[("kind", &kind_name(locale, kind))]);
    done_page(locale, result, &done)
}

pub async fn ask_calls(
    Path(_token): Path<String>,
    info: Option<axum::Extension<RequestInfo>>,
) -> Response {
    let locale = locale_of(info);
    ask_page(locale, &locale.t("unsubscribe.calls_ask"))
}

/// Takes the address out of the open call's contact base.
pub async fn leave_calls(
    state: AppState,
    Path(token): Path<String>,
    info: Option<axum::Extension<RequestInfo>>,
) -> Response {
    let locale = locale_of(info);
    let result = app::announcements::store::leave(&state.db, &token).await;
    done_page(locale, result, &locale.t("unsubscribe.calls_done"))
}
