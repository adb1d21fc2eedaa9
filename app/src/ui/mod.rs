//! Shared view pieces: the page frame, form fields with their errors, messages and
//! pagination. Every text comes from the catalog.
mod fields;
pub mod form_result;
pub mod island;
mod layout;
pub mod share;

pub use fields::*;
pub use form_result::form_action;
pub use island::{island_context, IslandScripts};
pub use layout::*;

use crate::error::AppError;
use crate::i18n::t;
use crate::paging::Page;
use leptos::prelude::*;

/// The page number in the address's query (`?page=3`); 1 when absent.
pub fn page_param() -> impl Fn() -> i64 + Copy + Send + Sync + 'static {
    query_number("page", 1)
}

/// A number in the query string (`?name=`), or `default`.
pub fn query_number(
    name: &'static str,
    default: i64,
) -> impl Fn() -> i64 + Copy + Send + Sync + 'static {
    let query = leptos_router::hooks::use_query_map();
    move || {
        query
            .read()
            .get(name)
            .and_then(|p| p.parse().ok())
            .unwrap_or(default)
    }
}

/// A number in the route's path (`/proposals/:id`); 0 when it is not one, which
/// the server answers with "not found".
pub fn path_id(name: &'static str) -> impl Fn() -> i64 + Copy + Send + Sync + 'static {
    let params = leptos_router::hooks::use_params_map();
    move || {
        params
            .read()
            .get(name)
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    }
}

/// The error of the last run of a server action, as a signal for fields and messages.
pub fn action_error<S>(action: ServerAction<S>) -> Signal<Option<AppError>>
where
    S: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(|r| r.err()))
}

/// Whether the last run of a server action succeeded.
pub fn action_done<S>(action: ServerAction<S>) -> Signal<bool>
where
    S: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    Signal::derive(move || matches!(action.value().get(), Some(Ok(_))))
}

/// Options for a `SelectField` from a list of values: (value, translated label).
pub fn choices<T: Copy>(
    items: &[T],
    value: impl Fn(T) -> &'static str,
    label_key: impl Fn(T) -> String,
) -> Vec<(String, String)> {
    items
        .iter()
        .map(|&item| (value(item).to_string(), t(&label_key(item))))
        .collect()
}

/// The message above a form: what went wrong, announced to screen readers.
#[component]
pub fn FormMessage(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        error.get().map(|e| {
            view! { <p class="message message-error" role="alert">{t(e.message_key())}</p> }
        })
    }
}

/// A confirmation shown after a successful action.
#[component]
pub fn Notice(#[prop(into)] show: Signal<bool>, key: &'static str) -> impl IntoView {
    move || {
        show.get()
            .then(|| view! { <p class="message message-ok" role="status">{t(key)}</p> })
    }
}

/// An error that stops a whole page from showing (not found, forbidden, ...).
#[component]
pub fn PageError(error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::from_u16(error.status()).unwrap_or_default());
    }
    let sign_in = matches!(error, AppError::Unauthenticated);
    view! {
        <PageTitle text=t(error.message_key()) />
        <section class="page-error">
            <h1>{t(error.message_key())}</h1>
            {sign_in.then(|| view! { <p><a href="/login">{t("nav.login")}</a></p> })}
        </section>
    }
}

/// Previous / next links for a paginated list; `href` builds the link of a page.
#[component]
pub fn Pager<T: Clone + Send + Sync + 'static>(
    page: Page<T>,
    href: impl Fn(i64) -> String + 'static,
) -> impl IntoView {
    let pages = page.pages();
    let current = page.page;
    let label = crate::i18n::use_locale().tf(
        "pager.position",
        &[
            ("page", &current.to_string()),
            ("pages", &pages.to_string()),
        ],
    );
    (pages > 1).then(|| {
        view! {
            <nav class="pager" aria-label=t("pager.label")>
                {(current > 1).then(|| view! { <a href=href(current - 1) rel="prev">{t("pager.previous")}</a> })}
                <span>{label}</span>
                {(current < pages).then(|| view! { <a href=href(current + 1) rel="next">{t("pager.next")}</a> })}
            </nav>
        }
    })
}

/// The document title, and on the server the tags a shared link shows
/// (`share::ShareTags`). leptos_meta writes the title into the server's HTML
/// unescaped, so text that people typed (a proposal's title) is escaped here on
/// the server; in the browser the title is set as plain text.
#[component]
pub fn PageTitle(
    #[prop(into)] text: String,
    /// The page's own text, for the preview of a shared link.
    #[prop(optional, into)]
    description: Option<String>,
) -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        let share = view! { <share::ShareTags title=text.clone() description /> };
        let text = text
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        view! { <leptos_meta::Title text />{share} }
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = description;
        view! { <leptos_meta::Title text /> }
    }
}
