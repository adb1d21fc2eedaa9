//! The frame of every page: skip link, header with navigation, language switcher
//! and account menu, and the footer.
use crate::accounts::api::{whoami, Logout};
use crate::accounts::model::CurrentUser;
use crate::error::AppError;
use crate::i18n::{t, use_locale, Locale};
use leptos::prelude::*;
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
            <a href="/" class="brand" aria-current=current_page("/", &use_location().pathname.get_untracked())>{t("app.name")}</a>
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
                    _ => {
                        let here = use_location().pathname.get_untracked();
                        view! {
                            <ul class="nav-list">
                                <li>{nav_link("/login", &here, t("nav.login"))}</li>
                                <li>{nav_link("/signup", &here, t("nav.signup"))}</li>
                            </ul>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn SignedInMenu(user: CurrentUser) -> impl IntoView {
    // Counted up to 100 (see `notifications::store::UNREAD_COUNTED`).
    let notifications = match user.unread_notifications {
        0 => t("nav.notifications"),
        n @ 1..=99 => use_locale().tf("nav.notifications_unread", &[("count", &n.to_string())]),
        _ => use_locale().tf("nav.notifications_unread", &[("count", "99+")]),
    };
    let here = use_location().pathname.get_untracked();
    let logout = <Logout as leptos::server_fn::ServerFn>::url();
    let link =
        |href: &'static str, label: String| view! { <li>{nav_link(href, &here, label)}</li> };
    view! {
        <ul class="nav-list">
            {user.is_facilitator().then(|| link("/processes/new", t("nav.new_process")))}
            {user.is_facilitator().then(|| link("/moderation", t("nav.moderation")))}
            {user.is_admin().then(|| link("/admin/users", t("nav.admin")))}
            {user.is_agency_member().then(|| link("/feasibility", t("nav.queue")))}
            {(user.is_agency_member() || user.is_facilitator()).then(|| link("/monitoring", t("nav.monitoring")))}
            {(!user.evaluator_of.is_empty()).then(|| link("/evaluation", t("nav.evaluation")))}
            {link("/notifications", notifications)}
            <li class="nav-user"><a href="/account" title=t("nav.account") aria-current=current_page("/account", &here)>{user.display_name.clone()}</a></li>
            <li>
                // A plain form: pages run no script but their islands'.
                <form method="post" action=logout class="inline-form">
                    <button type="submit" class="link-button">{t("nav.logout")}</button>
                </form>
            </li>
        </ul>
    }
}

/// A link of a navigation (the site's, a page's tabs), marked as the current
/// page where the person is at it or under it (as `/monitoring` is for
/// `/monitoring/...`); `here` is the address's path.
pub fn nav_link(href: &'static str, here: &str, label: String) -> impl IntoView {
    view! { <a href=href aria-current=current_page(href, here)>{label}</a> }
}

fn current_page(href: &str, here: &str) -> Option<&'static str> {
    let under = |rest: &str| rest.is_empty() || rest.starts_with('/');
    (here == href || href != "/" && here.strip_prefix(href).is_some_and(under)).then_some("page")
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
    let here = use_location().pathname.get_untracked();
    view! {
        <footer class="site-footer">
            <p>{t("footer.tagline")}</p>
            <p>
                {nav_link("/organizations", &here, t("footer.directory"))}" · "
                {nav_link("/calls", &here, t("calls.footer_link"))}" · "
                {nav_link("/developers", &here, t("footer.developers"))}" · "
                {nav_link("/privacy", &here, t("footer.privacy"))}
            </p>
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

#[cfg(test)]
mod tests {
    use super::current_page;

    #[test]
    fn a_navigation_link_is_current_at_its_page_and_under_it_only() {
        assert_eq!(current_page("/monitoring", "/monitoring"), Some("page"));
        assert_eq!(current_page("/monitoring", "/monitoring/"), Some("page"));
        assert_eq!(
            current_page("/organizations", "/organizations/mine"),
            Some("page")
        );
        assert_eq!(current_page("/", "/"), Some("page"));
        // The home is not the current page everywhere; nor is a page whose
        // name starts like another's.
        assert_eq!(current_page("/", "/privacy"), None);
        assert_eq!(current_page("/account", "/accounts"), None);
        assert_eq!(current_page("/privacy", "/"), None);
    }
}
