//! The frame of every page: skip link, header with navigation, language switcher
//! and account menu, and the footer.
use super::form_action;
use crate::accounts::api::{whoami, Logout};
use crate::accounts::model::CurrentUser;
use crate::error::AppError;
use crate::i18n::{t, use_locale, Locale};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

/// The signed-in person, read once for the page.
#[derive(Clone, Copy)]
pub struct UserResource(pub Resource<Result<Option<CurrentUser>, AppError>>);

/// Every page is built by the server for its request (only islands run in the
/// browser), so the person is read once per page.
pub fn provide_session() {
    provide_context(UserResource(Resource::new(|| (), |_| whoami())));
}

#[component]
pub fn Header() -> impl IntoView {
    view! {
        <a class="skip-link" href="#main">{t("nav.skip")}</a>
        <header class="site-header">
            <A href="/" attr:class="brand">{t("app.name")}</A>
            <nav aria-label=t("nav.label")>
                <AccountMenu />
            </nav>
            <LanguageSwitcher />
        </header>
    }
}

#[component]
fn AccountMenu() -> impl IntoView {
    let user = expect_context::<UserResource>().0;
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(u)) => view! { <SignedInMenu user=u /> }.into_any(),
                    _ => view! {
                        <ul class="nav-list">
                            <li><A href="/login">{t("nav.login")}</A></li>
                            <li><A href="/signup">{t("nav.signup")}</A></li>
                        </ul>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn SignedInMenu(user: CurrentUser) -> impl IntoView {
    let logout = form_action::<Logout>();
    // Counted up to 100 (see `notifications::store::UNREAD_COUNTED`).
    let notifications = match user.unread_notifications {
        0 => t("nav.notifications"),
        n @ 1..=99 => use_locale().tf("nav.notifications_unread", &[("count", &n.to_string())]),
        _ => use_locale().tf("nav.notifications_unread", &[("count", "99+")]),
    };
    view! {
        <ul class="nav-list">
            {user.is_facilitator().then(|| view! { <li><A href="/processes/new">{t("nav.new_process")}</A></li> })}
            {user.is_facilitator().then(|| view! { <li><A href="/moderation">{t("nav.moderation")}</A></li> })}
            {user.is_admin().then(|| view! { <li><A href="/admin/users">{t("nav.admin")}</A></li> })}
            {user.is_agency_member().then(|| view! { <li><A href="/feasibility">{t("nav.queue")}</A></li> })}
            {(user.is_agency_member() || user.is_facilitator()).then(|| view! { <li><A href="/monitoring">{t("nav.monitoring")}</A></li> })}
            {(!user.evaluator_of.is_empty()).then(|| view! { <li><A href="/evaluation">{t("nav.evaluation")}</A></li> })}
            <li><A href="/notifications">{notifications}</A></li>
            <li class="nav-user"><A href="/account" attr:title=t("nav.account")>{user.display_name.clone()}</A></li>
            <li>
                <ActionForm action=logout attr:class="inline-form">
                    <button type="submit" class="link-button">{t("nav.logout")}</button>
                </ActionForm>
            </li>
        </ul>
    }
}

/// A small form posted to `/lang`, which sets the cookie and comes back: works
/// without JavaScript, and a link cannot change anyone's language.
#[component]
fn LanguageSwitcher() -> impl IntoView {
    let here = use_locale();
    let location = use_location();
    let back = move || {
        let mut path = location.pathname.get();
        let search = location.search.get();
        if !search.is_empty() {
            path.push('?');
            path.push_str(&search);
        }
        path
    };
    view! {
        <nav class="lang-switcher" aria-label=t("nav.language")>
            <form method="post" action="/lang" class="nav-list">
                <input type="hidden" name="back" value=back />
                {Locale::ALL
                    .into_iter()
                    .map(|l| {
                        let name = l.t("locale.name");
                        if l == here {
                            view! { <span aria-current="true" lang=l.tag()>{name}</span> }.into_any()
                        } else {
                            view! {
                                <button type="submit" name="tag" value=l.tag() class="link-button" lang=l.tag()>
                                    {name}
                                </button>
                            }
                                .into_any()
                        }
                    })
                    .collect_view()}
            </form>
        </nav>
    }
}

/// Percent-encodes a string for use as one query value.
pub fn urlencode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <p>{t("footer.tagline")}</p>
            <p><A href="/organizations">{t("footer.directory")}</A>" · "<A href="/calls">{t("calls.footer_link")}</A>" · "<A href="/developers">{t("footer.developers")}</A>" · "<A href="/privacy">{t("footer.privacy")}</A></p>
            <super::share::ShareLinks />
        </footer>
    }
}

/// Shows `children` only to a signed-in person who passes `allowed`; the server
/// checks again in every server function.
#[component]
pub fn Gate(allowed: fn(&CurrentUser) -> bool, children: ChildrenFn) -> impl IntoView {
    let user = expect_context::<UserResource>().0;
    let children = StoredValue::new(children);
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(u)) if allowed(&u) => children.with_value(|c| c()).into_any(),
                    Ok(Some(_)) => view! { <crate::ui::PageError error=AppError::Forbidden /> }.into_any(),
                    _ => view! { <crate::ui::PageError error=AppError::Unauthenticated /> }.into_any(),
                }
            })}
        </Transition>
    }
}
