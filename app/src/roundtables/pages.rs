//! Roundtable pages: a process's list, the scheduling form and the public page of
//! one roundtable with registration. All of them work without JavaScript.
use super::api::*;
use super::model::*;
use crate::accounts::model::CurrentUser;
use crate::i18n::{t, use_locale, Locale};
use crate::ui::*;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// "12/05/2021, 18:00 (UTC−03:00) · 90 min"
fn when_text(locale: Locale, w: &MeetingTime) -> String {
    locale.tf(
        "roundtable.when",
        &[
            ("date", &locale.date(&w.date)),
            ("time", &w.time),
            ("zone", &w.zone),
            ("minutes", &w.duration_minutes.to_string()),
        ],
    )
}

fn seats_text(locale: Locale, s: &RoundtableSummary) -> String {
    locale.tf(
        "roundtable.seats",
        &[
            ("taken", &locale.number(s.seats_taken)),
            ("capacity", &locale.number(s.capacity)),
            ("waitlist", &locale.number(s.waitlist)),
        ],
    )
}

#[component]
pub fn RoundtablesPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let page = page_param();
    let list = Resource::new(move || (slug(), page()), |(s, p)| list_roundtables(s, p));
    view! {
        <Transition fallback=|| view! { <p>{t("status.loading")}</p> }>
            {move || Suspend::new(async move {
                let locale = use_locale();
                match list.await {
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                    Ok(l) => {
                        let slug = l.process_slug.clone();
                        let pager_slug = slug.clone();
                        let title = locale.tf("roundtables.title", &[("process", &l.process_title)]);
                        view! {
                            <PageTitle text=title.clone() />
                            <p><a href=format!("/processes/{slug}")>{l.process_title.clone()}</a></p>
                            <h1>{title}</h1>
                            {l.can_manage.then(|| view! {
                                <p><a href=format!("/processes/{slug}/roundtables/new") class="button-link">{t("roundtable.new")}</a></p>
                            })}
                            {l.page.items.is_empty().then(|| view! { <p>{t("roundtables.none")}</p> })}
                            <ul class="cards">
                                {l.page.items.clone().into_iter().map(|r| {
                                    let seats = seats_text(locale, &r);
                                    let when = when_text(locale, &r.when);
                                    view! {
                                    <li class="card">
                                        <h2 class="card-title"><a href=format!("/roundtables/{}", r.id)>{r.title.clone()}</a></h2>
                                        <p class="meta">
                                            {r.axis.clone().map(|a| format!("{a} · "))}
                                            {when}
                                            {r.past.then(|| view! { " · "<strong>{t("roundtable.past")}</strong> })}
                                        </p>
                                        <p class="meta">{seats}</p>
                                    </li>
                                }}).collect_view()}
                            </ul>
                            <Pager page=l.page href=move |n| format!("/processes/{pager_slug}/roundtables?page={n}") />
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
pub fn NewRoundtablePage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let context = Resource::new(slug, roundtable_form);
    view! {
        <Gate allowed=CurrentUser::is_facilitator>
            <Transition fallback=|| view! { <p>{t("status.loading")}</p> }>
                {move || Suspend::new(async move {
                    match context.await {
                        Err(e) => view! { <PageError error=e /> }.into_any(),
                        Ok(c) => view! { <ScheduleForm c /> }.into_any(),
                    }
                })}
            </Transition>
        </Gate>
    }
}

#[component]
fn ScheduleForm(c: RoundtableFormContext) -> impl IntoView {
    let action = form_action::<CreateRoundtable>();
    let error = action_error(action);
    let axes: Vec<(String, String)> = std::iter::once((String::new(), t("roundtable.no_axis")))
        .chain(c.axes.iter().map(|(id, n)| (id.to_string(), n.clone())))
        .collect();
    let zones: Vec<(String, String)> = zone_choices()
        .into_iter()
        .map(|z| (z.to_string(), zone_label(z)))
        .collect();
    let eligible: Vec<(i64, String)> = c
        .eligible
        .iter()
        .map(|e| (e.id, format!("{} ({})", e.title, e.agency)))
        .collect();
    let slug = c.process_slug.clone();
    view! {
        <PageTitle text=t("roundtable.new") />
        <section class="narrow">
            <p><a href=format!("/processes/{slug}/roundtables")>{c.process_title.clone()}</a></p>
            <h1>{t("roundtable.new")}</h1>
            <FormMessage error />
            <ActionForm action>
                <input type="hidden" name="slug" value=slug.clone() />
                <TextField name="title" label="field.title" required=true error />
                <SelectField name="axis_id" label="field.axis" options=axes error />
                <TextArea name="description" label="field.description" error />
                <TextField name="date" label="roundtable.date" kind="date" required=true error />
                <TextField name="time" label="roundtable.time" kind="time" required=true hint="roundtable.time_hint" error />
                <SelectField name="utc_offset" label="roundtable.zone" options=zones value=c.utc_offset_minutes.to_string() error />
                <TextField name="duration_minutes" label="roundtable.duration" kind="number" required=true value="90" error />
                <TextField name="video_url" label="roundtable.video_url" kind="url" required=true hint="roundtable.video_url_hint" error />
                <TextField name="capacity" label="roundtable.capacity" kind="number" required=true value="30" error />
                <CheckList name="agency_ids[]" legend="roundtable.agencies" items=c.agencies.clone() error />
                {if eligible.is_empty() {
                    view! { <p class="hint">{t("roundtable.no_eligible")}</p> }.into_any()
                } else {
                    view! { <CheckList name="proposal_ids[]" legend="roundtable.proposals" items=eligible error /> }.into_any()
                }}
                <button type="submit">{t("action.create")}</button>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn RoundtablePage() -> impl IntoView {
    let id = path_id("id");
    let register = form_action::<RegisterRoundtable>();
    let cancel = form_action::<CancelRegistration>();
    let attendance = form_action::<RoundtableAttendance>();
    let detail = Resource::new(
        move || {
            (
                id(),
                register.version().get(),
                cancel.version().get(),
                attendance.version().get(),
            )
        },
        |(id, ..)| get_roundtable(id),
    );
    let register_error = action_error(register);
    let cancel_error = action_error(cancel);
    view! {
        <FormMessage error=register_error />
        <FormMessage error=cancel_error />
        <Transition fallback=|| view! { <p>{t("status.loading")}</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                    Ok(d) => view! { <RoundtableView d register cancel attendance /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn RoundtableView(
    d: RoundtableDetail,
    register: ServerAction<RegisterRoundtable>,
    cancel: ServerAction<CancelRegistration>,
    attendance: ServerAction<RoundtableAttendance>,
) -> impl IntoView {
    let locale = use_locale();
    let s = d.summary.clone();
    let id = s.id;
    let status = match (d.my_status, d.my_place) {
        (Some(RegistrationStatus::Registered), _) => Some(t("roundtable.you_are_registered")),
        (Some(RegistrationStatus::Waitlisted), Some(place)) => Some(locale.tf(
            "roundtable.you_are_waitlisted",
            &[("place", &locale.number(place))],
        )),
        _ => None,
    };
    let enrolled = matches!(
        d.my_status,
        Some(RegistrationStatus::Registered | RegistrationStatus::Waitlisted)
    );
    view! {
        <PageTitle text=s.title.clone() />
        <article class="roundtable">
            <p><a href=format!("/processes/{}/roundtables", d.process_slug)>{d.process_title.clone()}</a></p>
            <h1>{s.title.clone()}</h1>
            <p class="meta">
                {s.axis.clone().map(|a| format!("{a} · "))}
                {when_text(locale, &s.when)}
                {s.past.then(|| view! { " · "<strong>{t("roundtable.past")}</strong> })}
                " · "{t(&d.phase.label_key())}
            </p>
            {s.cancelled.clone().map(|reason| view! {
                <p class="message message-error" role="status">{locale.tf("roundtable.cancelled", &[("reason", &reason)])}</p>
            })}
            {(d.attendance.is_some() && !s.past).then(|| view! {
                <p><a href=format!("/roundtables/{id}/edit")>{t("roundtable.edit")}</a></p>
            })}
            {(!d.description.is_empty()).then(|| view! { <p class="prose">{d.description.clone()}</p> })}
            <h2>{t("roundtable.agencies")}</h2>
            <ul>{d.agencies.clone().into_iter().map(|a| view! { <li>{a}</li> }).collect_view()}</ul>
            <h2>{t("roundtable.proposals")}</h2>
            {d.proposals.is_empty().then(|| view! { <p>{t("roundtable.no_proposals")}</p> })}
            <ul>
                {d.proposals.clone().into_iter().map(|(pid, title)| view! { <li><a href=format!("/proposals/{pid}")>{title}</a></li> }).collect_view()}
            </ul>
            <p><a href=format!("/roundtables/{id}/board") class="button-link">{t("board.open")}</a></p>
            <section class="registration" aria-labelledby="registration-h">
                <h2 id="registration-h">{t("roundtable.registration")}</h2>
                <p>{seats_text(locale, &s)}</p>
                {status.map(|text| view! { <p class="message message-ok" role="status">{text}</p> })}
                {d.video_url.clone().map(|url| view! {
                    <p>
                        <strong>{t("roundtable.video_url")}": "</strong><a href=url.clone() rel="noopener">{url.clone()}</a>
                        " · "<a href=format!("/roundtables/{id}/calendar.ics") rel="external" download="mesa.ics">{t("roundtable.calendar")}</a>
                    </p>
                })}
                {(!s.past && !d.signed_in).then(|| view! {
                    <p><a href="/login">{t("roundtable.login_to_register")}</a></p>
                })}
                {(!s.past && d.signed_in && !enrolled).then(|| view! {
                    <ActionForm action=register attr:class="inline-form">
                        <input type="hidden" name="id" value=id />
                        <button type="submit">{t("roundtable.register")}</button>
                    </ActionForm>
                })}
                {(!s.past && enrolled).then(|| view! {
                    <ActionForm action=cancel attr:class="inline-form">
                        <input type="hidden" name="id" value=id />
                        <button type="submit" class="secondary">{t("roundtable.cancel")}</button>
                    </ActionForm>
                })}
            </section>
            {d.record.clone().map(|r| view! { <super::record_pages::RecordSection id r /> })}
            {d.attendance.clone().map(|people| view! { <super::record_pages::AttendanceForm id people action=attendance /> })}
        </article>
    }
    .into_any()
}
