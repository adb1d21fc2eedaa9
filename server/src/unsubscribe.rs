//! One-click unsubscribe from a kind of notification mail (RFC 8058). The
//! address in a mail's `List-Unsubscribe` opens a page that asks (GET changes
//! nothing); a POST to it, from that page or from the mail program itself
//! (`List-Unsubscribe=One-Click`), stops that kind of mail. The in-app
//! notifications go on. The token can do nothing else.
use crate::security::{escape, plain_page};
use app::ctx::{AppState, RequestInfo};
use app::notifications::model::NotificationKind;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;

fn kind_name(locale: app::i18n::Locale, kind: NotificationKind) -> String {
    locale.t(&format!("unsubscribe.kind.{}", kind.as_str()))
}

pub async fn ask(
    Path((_token, kind)): Path<(String, String)>,
    info: Option<axum::Extension<RequestInfo>>,
) -> Response {
    let locale = info.map(|i| i.0.locale).unwrap_or_default();
    let Some(kind) = NotificationKind::parse(&kind) else {
        return crate::security::plain_error(StatusCode::NOT_FOUND, locale, "error.not_found");
    };
    let form = format!(
        "<p>{}</p><form method=\"post\"><button type=\"submit\">{}</button></form>",
        escape(&locale.tf("unsubscribe.ask", &[("kind", &kind_name(locale, kind))])),
        escape(&locale.t("unsubscribe.confirm")),
    );
    plain_page(
        StatusCode::OK,
        locale,
        &locale.t("unsubscribe.title"),
        &form,
    )
}

pub async fn confirm(
    state: AppState,
    Path((token, kind)): Path<(String, String)>,
    info: Option<axum::Extension<RequestInfo>>,
) -> Response {
    let locale = info.map(|i| i.0.locale).unwrap_or_default();
    let Some(kind) = NotificationKind::parse(&kind) else {
        return crate::security::plain_error(StatusCode::NOT_FOUND, locale, "error.not_found");
    };
    match app::accounts::store::unsubscribe(&state.db, &token, kind.as_str()).await {
        Ok(true) => {
            let done = locale.tf("unsubscribe.done", &[("kind", &kind_name(locale, kind))]);
            plain_page(
                StatusCode::OK,
                locale,
                &locale.t("unsubscribe.title"),
                &format!("<p role=\"status\">{}</p>", escape(&done)),
            )
        }
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
