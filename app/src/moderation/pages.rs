//! The report form shown beside content, the facilitators' queue and the
//! administrators' audit log.
use super::api::*;
use super::model::*;
use crate::accounts::model::CurrentUser;
use crate::i18n::{t, use_locale};
use crate::ui::*;
use leptos::prelude::*;

/// Whether `action` just reported something of this kind.
pub fn reported(action: ServerAction<ReportContent>, kind: TargetKind) -> Signal<bool> {
    Signal::derive(move || matches!(action.value().get(), Some(Ok(k)) if k == kind))
}

/// "Report" disclosure with a reason and a button; works without JavaScript.
#[component]
pub fn ReportForm(kind: TargetKind, id: i64, action: ServerAction<ReportContent>) -> impl IntoView {
    let reasons: Vec<(String, String)> = REASONS
        .iter()
        .map(|r| (r.to_string(), t(&format!("report.reason.{r}"))))
        .collect();
    let prefix = format!("r-{}-{id}-", kind.as_str());
    view! {
        <details class="report">
            <summary>{t("report.open")}</summary>
            <ActionForm action attr:class="inline-form">
                <input type="hidden" name="kind" value=kind.as_str() />
                <input type="hidden" name="id" value=id />
                <SelectField name="reason" label="report.reason" error=Signal::derive(|| None) options=reasons id_prefix=prefix />
                <button type="submit" class="secondary">{t("report.send")}</button>
            </ActionForm>
        </details>
    }
}

#[component]
pub fn ModerationPage() -> impl IntoView {
    view! { <Gate allowed=CurrentUser::is_facilitator><Queue /></Gate> }
}

#[component]
fn Queue() -> impl IntoView {
    let page = page_param();
    let moderate = form_action::<Moderate>();
    let queue = Resource::new(
        move || (page(), moderate.version().get()),
        |(p, _)| moderation_queue(p),
    );
    let error = action_error(moderate);
    let done = action_done(moderate);
    view! {
        <PageTitle text=t("moderation.title") />
        <h1>{t("moderation.title")}</h1>
        <FormMessage error />
        <Notice show=done key="moderation.done" />
        <Transition fallback=|| view! { <p>{t("status.loading")}</p> }>
            {move || Suspend::new(async move {
                match queue.await {
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                    Ok(p) if p.items.is_empty() => view! { <p>{t("moderation.empty")}</p> }.into_any(),
                    Ok(p) => view! {
                        <ul class="plain-list">
                            {p.items.clone().into_iter().map(|item| view! { <QueueRow item moderate /> }).collect_view()}
                        </ul>
                        <Pager page=p href=|n| format!("/moderation?page={n}") />
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn QueueRow(item: QueueItem, moderate: ServerAction<Moderate>) -> impl IntoView {
    let locale = use_locale();
    let reasons = item
        .reasons
        .iter()
        .map(|r| t(&format!("report.reason.{r}")))
        .collect::<Vec<_>>()
        .join(", ");
    let kind_label = t(&format!("moderation.kind.{}", item.kind.as_str()));
    view! {
        <li>
            <p class="meta">
                {kind_label}" · "
                {locale.plural("moderation.reports", item.reports)}" · "{reasons}
                {item.hidden.then(|| view! { " · "<strong>{t("moderation.hidden")}</strong> })}
            </p>
            <blockquote>{item.excerpt.clone()}</blockquote>
            <a href=item.context.clone()>{t("moderation.see_in_context")}</a>
            <ActionForm action=moderate attr:class="inline-form">
                <input type="hidden" name="kind" value=item.kind.as_str() />
                <input type="hidden" name="id" value=item.id />
                {(!item.hidden).then(|| view! { <input type="hidden" name="hide" value="1" /> })}
                <button type="submit">{t(if item.hidden { "moderation.restore" } else { "moderation.hide" })}</button>
            </ActionForm>
        </li>
    }
}

#[component]
pub fn AuditPage() -> impl IntoView {
    view! { <Gate allowed=CurrentUser::is_admin><Audit /></Gate> }
}

#[component]
fn Audit() -> impl IntoView {
    let page = page_param();
    let entries = Resource::new(page, audit_log);
    view! {
        <PageTitle text=t("audit.title") />
        <h1>{t("audit.title")}</h1>
        <Transition fallback=|| view! { <p>{t("status.loading")}</p> }>
            {move || Suspend::new(async move {
                let locale = use_locale();
                match entries.await {
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                    Ok(p) => view! {
                        <table class="data-table">
                            <caption>{t("audit.caption")}</caption>
                            <thead><tr>
                                <th scope="col">{t("audit.date")}</th>
                                <th scope="col">{t("audit.actor")}</th>
                                <th scope="col">{t("audit.action")}</th>
                                <th scope="col">{t("audit.subject")}</th>
                            </tr></thead>
                            <tbody>
                                {p.items.clone().into_iter().map(|e| view! {
                                    <tr>
                                        <td>{locale.date(&e.on)}</td>
                                        <td>{e.actor.clone().unwrap_or_default()}</td>
                                        <td>{e.action.clone()}</td>
                                        <td>{e.subject.clone()}" "{e.detail.clone()}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        <Pager page=p href=|n| format!("/admin/audit?page={n}") />
                    }.into_any(),
                }
            })}
        </Transition>
    }
}
