//! A person's notifications.
use super::api::*;
use super::model::*;
use crate::i18n::{t, use_locale};
use crate::ui::*;
use leptos::prelude::*;

/// The sentence of a notification, in the reader's language.
fn notification_text(n: &Notification) -> String {
    let locale = use_locale();
    let detail = n.kind.detail_text(&n.detail, locale);
    locale.tf(
        &format!("notification.{}", n.kind.as_str()),
        &[("title", &n.subject_title), ("detail", &detail)],
    )
}

#[component]
pub fn NotificationsPage() -> impl IntoView {
    view! { <Gate allowed=|_| true><Notifications /></Gate> }
}

#[component]
fn Notifications() -> impl IntoView {
    let page = page_param();
    let mark = form_action::<MarkNotificationsRead>();
    let list = Resource::new(
        move || (page(), mark.version().get()),
        |(p, _)| list_notifications(p),
    );
    let error = action_error(mark);
    view! {
        <PageTitle text=t("notifications.title") />
        <h1>{t("notifications.title")}</h1>
        <FormMessage error />
        <Transition fallback=|| view! { <p>{t("status.loading")}</p> }>
            {move || Suspend::new(async move {
                let locale = use_locale();
                match list.await {
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                    Ok(l) if l.page.items.is_empty() => view! { <p>{t("notifications.none")}</p> }.into_any(),
                    Ok(l) => view! {
                        <p role="status">{locale.tf("notifications.unread", &[("count", &locale.number(l.unread))])}</p>
                        {(l.unread > 0).then(|| view! {
                            <ActionForm action=mark attr:class="inline-form">
                                <button type="submit" class="secondary">{t("notifications.mark_read")}</button>
                            </ActionForm>
                        })}
                        <ul class="plain-list notifications">
                            {l.page.items.clone().into_iter().map(|n| {
                                let text = notification_text(&n);
                                let unread = !n.read;
                                view! {
                                    <li class:unread=unread>
                                        <a href=n.kind.href(n.subject_id)>{text}</a>
                                        <span class="meta">" · "{locale.date(&n.on)}</span>
                                        {unread.then(|| view! { " "<span class="badge">{t("notifications.new")}</span> })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        <Pager page=l.page href=|n| format!("/notifications?page={n}") />
                    }.into_any(),
                }
            })}
        </Transition>
    }
}
