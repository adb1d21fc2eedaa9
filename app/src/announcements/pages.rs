//! Open call pages: joining the contact base, confirming an address, and the
//! team's page to announce a process and follow the sending. Plain forms: all
//! work without JavaScript.
use super::api::*;
use super::model::*;
use crate::i18n::{t, use_locale};
use crate::ui::*;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// Anyone joins the contact base: announcements of new calls by mail.
#[component]
pub fn JoinCallsPage() -> impl IntoView {
    let action = form_action::<JoinContactBase>();
    let error = action_error(action);
    let done = action_done(action);
    view! {
        <PageTitle text=t("calls.title") />
        <section class="narrow">
            <h1>{t("calls.title")}</h1>
            <p>{t("calls.intro")}</p>
            <Notice show=done key="calls.check_mail" />
            <FormMessage error />
            <ActionForm action>
                <TextField name="email" label="field.email" kind="email" autocomplete="email" required=true error />
                <button type="submit">{t("calls.join")}</button>
            </ActionForm>
            <p class="meta">{t("calls.consent")}" "<a href="/privacy">{t("footer.privacy")}</a></p>
        </section>
    }
}

/// The link of the confirmation mail: a button confirms (a mail program
/// that opens links to check them confirms nothing).
#[component]
pub fn ConfirmContactPage() -> impl IntoView {
    let action = form_action::<ConfirmContact>();
    let error = action_error(action);
    let done = action_done(action);
    let token = move || use_query_map().read().get("token").unwrap_or_default();
    view! {
        <PageTitle text=t("calls.confirm_title") />
        <section class="narrow">
            <h1>{t("calls.confirm_title")}</h1>
            <Notice show=done key="calls.confirmed" />
            <FormMessage error />
            {move || (!done.get()).then(|| view! {
                <ActionForm action>
                    <input type="hidden" name="token" value=token />
                    <button type="submit">{t("calls.confirm")}</button>
                </ActionForm>
            })}
        </section>
    }
}

#[component]
pub fn AnnouncementDeskPage() -> impl IntoView {
    let params = use_params_map();
    let send = form_action::<SendAnnouncement>();
    let page = page_param();
    let data = Resource::new(
        move || {
            (
                params.read().get("slug").unwrap_or_default(),
                page(),
                send.version().get(),
            )
        },
        |(slug, page, _)| announcement_desk(slug, page),
    );
    view! {
        <Transition fallback=|| view! { <p>{t("status.loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                    Ok(d) => view! { <DeskView d send /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn DeskView(d: Desk, send: ServerAction<SendAnnouncement>) -> impl IntoView {
    let locale = use_locale();
    let title = locale.tf("announcements.desk_title", &[("process", &d.process_title)]);
    let slug = d.process_slug.clone();
    let error = action_error(send);
    let sent = Signal::derive(move || send.value().get().and_then(Result::ok));
    let mut occasions = vec![("".to_string(), t("announcements.occasion_process"))];
    occasions.extend(d.stages.iter().map(|s| {
        (
            s.as_str().to_string(),
            locale.tf(
                "announcements.occasion_stage",
                &[("stage", &t(&s.label_key()))],
            ),
        )
    }));
    let href = {
        let slug = slug.clone();
        move |p| format!("/processes/{slug}/announcements?page={p}")
    };
    let form_slug = slug.clone();
    view! {
        <PageTitle text=title.clone() />
        <p><a href=format!("/processes/{slug}")>{d.process_title.clone()}</a></p>
        <h1>{title}</h1>
        <p>{t("announcements.desk_intro")}</p>
        <p><strong>{locale.tf("announcements.subscribers", &[("count", &locale.number(d.subscribers))])}</strong></p>
        <section aria-labelledby="write-h">
            <h2 id="write-h">{t("announcements.write")}</h2>
            <FormMessage error />
            {move || sent.get().map(|n| view! {
                <p class="notice" role="status">{locale.tf("announcements.queued", &[("count", &locale.number(n))])}</p>
            })}
            <ActionForm action=send>
                <input type="hidden" name="slug" value=form_slug />
                <SelectField name="stage" label="announcements.occasion" error options=occasions />
                <TextField name="subject" label="announcements.subject" required=true value=d.draft_subject.clone() error />
                <TextArea name="body" label="announcements.body" required=true rows=8 value=d.draft_body.clone() hint="announcements.body_hint" error />
                <button type="submit">{t("announcements.send")}</button>
            </ActionForm>
        </section>
        <section aria-labelledby="sent-h">
            <h2 id="sent-h">{t("announcements.sent_list")}</h2>
            <p><a href=format!("/processes/{slug}/announcements")>{t("announcements.refresh")}</a></p>
            {d.announcements.items.is_empty().then(|| view! { <p>{t("announcements.none")}</p> })}
            {(!d.announcements.items.is_empty()).then(|| view! {
                <table>
                    <caption>{t("announcements.sent_list")}</caption>
                    <thead><tr>
                        <th scope="col">{t("announcements.subject")}</th>
                        <th scope="col">{t("announcements.occasion")}</th>
                        <th scope="col">{t("announcements.written_on")}</th>
                        <th scope="col">{t("announcements.progress")}</th>
                        <th scope="col">{t("announcements.state")}</th>
                    </tr></thead>
                    <tbody>
                        {d.announcements.items.iter().map(|a| {
                            let occasion = match a.stage {
                                Some(s) => locale.tf("announcements.occasion_stage", &[("stage", &t(&s.label_key()))]),
                                None => t("announcements.occasion_process"),
                            };
                            let progress = locale.tf("announcements.sent_of", &[
                                ("sent", &locale.number(a.sent)),
                                ("total", &locale.number(a.total)),
                            ]);
                            view! {
                                <tr>
                                    <th scope="row">{a.subject.clone()}</th>
                                    <td>{occasion}</td>
                                    <td>{locale.date(&a.created_on)}</td>
                                    <td>
                                        <progress max=a.total.max(1) value=a.sent aria-label=progress.clone()></progress>
                                        " "{progress.clone()}
                                        {(a.failed > 0).then(|| view! {
                                            <span class="meta">" · "{locale.tf("announcements.failed", &[("count", &locale.number(a.failed))])}</span>
                                        })}
                                    </td>
                                    <td>{t(if a.finished { "announcements.finished" } else { "announcements.sending" })}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            })}
            <Pager page=d.announcements.clone() href />
        </section>
    }
}
