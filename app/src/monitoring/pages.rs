//! Monitoring pages: a final commitment's progress (milestones with their public
//! history, the agency's update form, the team's review) and the public
//! tracking panel of a plan. Every form works without JavaScript; the update
//! form is a plain multipart form, since it carries files.
use super::api::*;
use super::model::*;
use crate::i18n::{t, use_locale};
use crate::ui::*;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// Catalog keys the update route may name in `?error=` (anything else shows
/// the generic message, so no text can be put on the page through the link).
const UPDATE_ERRORS: &[&str] = &[
    "validation.required",
    "validation.too_long",
    "validation.choice",
    "validation.date",
    "validation.url",
    "evidence.empty",
    "evidence.too_big",
    "evidence.bad_name",
    "evidence.bad_type",
    "evidence.too_many",
];

#[component]
pub fn MonitoringPage() -> impl IntoView {
    let id = path_id("id");
    let review = form_action::<ReviewUpdate>();
    let log = form_action::<LogFollowup>();
    let data = Resource::new(
        move || (id(), review.version().get(), log.version().get()),
        |(id, ..)| get_monitoring(id),
    );
    view! {
        <Transition fallback=|| view! { <p>{t("status.loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                    Ok(m) => view! { <MonitoringView m review log /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
pub fn Completion(level: Progress, percent: u32) -> impl IntoView {
    let label = use_locale().tf(
        "monitoring.completion",
        &[("percent", &percent.to_string())],
    );
    view! {
        <p class="completion">
            <span class=format!("badge progress-{}", level.as_str())>{t(&level.key())}</span>" "
            <progress max="100" value=percent aria-label=label.clone()>{label.clone()}</progress>
            " "<span>{label.clone()}</span>
        </p>
    }
}

#[component]
fn MonitoringView(
    m: Monitoring,
    review: ServerAction<ReviewUpdate>,
    log: ServerAction<LogFollowup>,
) -> impl IntoView {
    let heading = format!("{} · {}", m.code, m.title);
    let query = use_query_map();
    let filed = move || query.read().get("filed").is_some();
    let upload_error = move || {
        query.read().get("error").map(|key| {
            let key = if UPDATE_ERRORS.contains(&key.as_str()) {
                key
            } else {
                "error.invalid".to_string()
            };
            view! { <p class="message message-error" role="alert">{t(&key)}</p> }
        })
    };
    let agencies = m.agencies.join(", ");
    let milestones = m.milestones.clone();
    let titles: Vec<(String, String)> = m
        .milestones
        .iter()
        .map(|ms| (ms.key.clone(), ms.title.clone()))
        .collect();
    view! {
        <PageTitle text=heading.clone() />
        <p>
            <a href=format!("/processes/{}/panel", m.process_slug)>{t("panel.title_short")}</a>" · "
            <a href=format!("/commitments/{}", m.id)>{t("monitoring.sheet")}</a>
        </p>
        <h1>{heading}</h1>
        <p class="meta">{t("monitoring.lead")}" "{agencies}</p>
        <Completion level=m.completion percent=m.percent />
        {move || filed().then(|| view! { <p class="message message-ok" role="status">{t("monitoring.filed")}</p> })}
        {upload_error}
        {milestones.into_iter().map(|ms| view! { <MilestoneSection ms /> }.into_any()).collect_view()}
        {(m.can_file && !m.pending.is_empty()).then(|| {
            let pending = m.pending.clone();
            let titles = titles.clone();
            view! { <PendingUpdates pending titles can_review=m.can_review review /> }.into_any()
        })}
        {m.can_file.then(|| view! { <UpdateForm id=m.id milestones=titles.clone() /> }.into_any())}
        <FollowUps id=m.id meetings=m.followups.clone() can_log=m.can_review log />
        <crate::evaluation::pages::EvaluationSummary />
    }
}

#[component]
fn MilestoneSection(ms: MilestoneProgress) -> impl IntoView {
    let locale = use_locale();
    let heading_id = format!("milestone-{}", ms.key);
    let labelled_by = heading_id.clone();
    let status = ms
        .progress
        .map(|p| t(&p.key()))
        .unwrap_or_else(|| t("monitoring.no_update"));
    view! {
        <section class="milestone" aria-labelledby=labelled_by>
            <h2 id=heading_id>{ms.title.clone()}</h2>
            <p class="meta">
                <span class="badge">{status}</span>
                {(!ms.ends_on.is_empty()).then(|| view! { " · "{t("monitoring.due")}" "{locale.date(&ms.ends_on)} })}
            </p>
            {(!ms.history.is_empty()).then(|| view! {
                <ol class="history">
                    {ms.history.into_iter().map(|u| view! { <li><UpdateItem u /></li> }).collect_view()}
                </ol>
            })}
        </section>
    }
}

#[component]
fn UpdateItem(u: MilestoneUpdate) -> impl IntoView {
    let locale = use_locale();
    let date = u.published_on.clone().unwrap_or_else(|| u.filed_on.clone());
    view! {
        <div class="update" id=format!("update-{}", u.id)>
            <p class="meta">
                <strong>{t(&u.progress.key())}</strong>" · "{locale.date(&date)}
                {(!u.filed_by.is_empty()).then(|| view! { " · "{u.filed_by.clone()} })}
            </p>
            <p class="narrative">{u.narrative.clone()}</p>
            {(!u.evidence.is_empty()).then(|| view! {
                <ul class="evidence">
                    {u.evidence.iter().map(|e| {
                        let when = locale.date(&e.dated_on);
                        match (&e.url, &e.file) {
                            (Some(url), _) => view! {
                                <li><a href=url.clone() rel="nofollow noopener" target="_blank">{e.title.clone()}</a>" · "{when}</li>
                            }.into_any(),
                            (None, Some((name, size))) => view! {
                                <li>
                                    <a href=format!("/evidence/{}", e.id) download=name.clone()>{e.title.clone()}</a>
                                    " · "{when}" · "{format!("{} KB", (size + 1023) / 1024)}
                                </li>
                            }.into_any(),
                            _ => view! { <li>{e.title.clone()}</li> }.into_any(),
                        }
                    }).collect_view()}
                </ul>
            })}
        </div>
    }
}

#[component]
fn PendingUpdates(
    pending: Vec<MilestoneUpdate>,
    titles: Vec<(String, String)>,
    can_review: bool,
    review: ServerAction<ReviewUpdate>,
) -> impl IntoView {
    let error = action_error(review);
    view! {
        <section class="pending" aria-labelledby="pending-h">
            <h2 id="pending-h">{t("monitoring.pending")}</h2>
            <FormMessage error />
            <ul class="updates">
                {pending.into_iter().map(|u| {
                    let milestone = titles.iter().find(|(k, _)| *k == u.milestone_key).map(|(_, t)| t.clone()).unwrap_or_default();
                    let state = format!("monitoring.state.{}", u.state.as_str());
                    let prefix = format!("u{}-", u.id);
                    let returned = (u.state == UpdateState::Returned).then(|| view! {
                        <p>{t("monitoring.returned_because")}" "{u.return_reason.clone()}</p>
                    });
                    let forms = (can_review && u.state == UpdateState::Submitted).then(|| view! {
                        <ActionForm action=review>
                            <input type="hidden" name="id" value=u.id />
                            <input type="hidden" name="decision" value="publish" />
                            <input type="hidden" name="reason" value="" />
                            <button type="submit">{t("monitoring.publish")}</button>
                        </ActionForm>
                        <ActionForm action=review>
                            <input type="hidden" name="id" value=u.id />
                            <input type="hidden" name="decision" value="return" />
                            <TextField name="reason" label="monitoring.return_reason" error id_prefix=prefix.clone() />
                            <button type="submit">{t("monitoring.return")}</button>
                        </ActionForm>
                    });
                    view! {
                        <li class="card">
                            <h3>{milestone}</h3>
                            <p class="meta"><span class="badge">{t(&state)}</span></p>
                            {returned}
                            <UpdateItem u />
                            {forms}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn UpdateForm(id: i64, milestones: Vec<(String, String)>) -> impl IntoView {
    let none = Signal::derive(|| None);
    let progress = choices(&Progress::ALL, Progress::as_str, |p| p.key());
    view! {
        <section aria-labelledby="file-update-h" id="file-update">
            <h2 id="file-update-h">{t("monitoring.file_update")}</h2>
            <form method="post" action=format!("/commitments/{id}/updates") enctype="multipart/form-data">
                <SelectField name="milestone_key" label="monitoring.milestone" error=none options=milestones />
                <SelectField name="progress" label="monitoring.progress" error=none options=progress />
                <TextArea name="narrative" label="monitoring.narrative" hint="monitoring.narrative_hint" required=true error=none />
                <fieldset>
                    <legend>{t("monitoring.link")}</legend>
                    <TextField name="link_title" label="monitoring.evidence_title" error=none />
                    <TextField name="link_url" label="monitoring.link_url" kind="url" error=none />
                    <TextField name="link_date" label="monitoring.evidence_date" kind="date" error=none />
                </fieldset>
                <fieldset>
                    <legend>{t("monitoring.files")}</legend>
                    <p class="hint" id="f-files-hint">{t("monitoring.files_hint")}</p>
                    <div class="field">
                        <label for="f-files">{t("monitoring.files_label")}</label>
                        <input id="f-files" type="file" name="files" multiple aria-describedby="f-files-hint"
                            accept=".pdf,.png,.jpg,.jpeg,.gif,.webp,.docx,.xlsx,.pptx,.odt,.ods,.odp,.doc,.xls,.ppt" />
                    </div>
                    <TextField name="file_title" label="monitoring.evidence_title" error=none id_prefix="file-" />
                    <TextField name="file_date" label="monitoring.evidence_date" kind="date" error=none id_prefix="file-" />
                </fieldset>
                <button type="submit">{t("monitoring.send")}</button>
            </form>
        </section>
    }
}

fn filter_from_url() -> Memo<PanelFilter> {
    let query = use_query_map();
    Memo::new(move |_| {
        let q = query.read();
        let number = |k: &str| q.get(k).and_then(|v| v.parse().ok());
        PanelFilter {
            axis: number("axis"),
            agency: number("agency"),
            status: q.get("status").filter(|s| Progress::parse(s).is_some()),
        }
    })
}

#[component]
pub fn PanelPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let filter = filter_from_url();
    let panel = Resource::new(
        move || (slug(), filter.get()),
        |(slug, f)| {
            tracking_panel(
                slug,
                f.axis.map(|a| a.to_string()),
                f.agency.map(|a| a.to_string()),
                f.status,
            )
        },
    );
    view! {
        <Transition fallback=|| view! { <p>{t("status.loading")}</p> }>
            {move || Suspend::new(async move {
                match panel.await {
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                    Ok(p) => view! { <PanelView p filter=filter.get_untracked() /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn PanelView(p: Panel, filter: PanelFilter) -> impl IntoView {
    let locale = use_locale();
    let title = locale.tf("panel.title", &[("process", &p.process_title)]);
    let none = Signal::derive(|| None);
    let with_all = |all: &str, items: Vec<(String, String)>| {
        let mut v = vec![(String::new(), t(all))];
        v.extend(items);
        v
    };
    let axes = with_all(
        "proposals.all_axes",
        p.axes
            .iter()
            .map(|(id, n)| (id.to_string(), n.clone()))
            .collect(),
    );
    let agencies = with_all(
        "panel.all_agencies",
        p.agencies
            .iter()
            .map(|(id, n)| (id.to_string(), n.clone()))
            .collect(),
    );
    let statuses = with_all(
        "panel.all_statuses",
        choices(&Progress::ALL, Progress::as_str, |p| p.key()),
    );
    let slug = p.process_slug.clone();
    view! {
        <PageTitle text=title.clone() />
        <p><a href=format!("/processes/{slug}")>{p.process_title.clone()}</a></p>
        <h1>{title}</h1>
        <p><a href=format!("/processes/{slug}/updates.atom")>{t("panel.feed")}</a></p>
        <form method="get" action=format!("/processes/{slug}/panel") class="filters" role="search" aria-label=t("panel.filters")>
            <SelectField name="axis" label="field.axis" error=none options=axes value=filter.axis.map(|a| a.to_string()).unwrap_or_default() />
            <SelectField name="agency" label="panel.agency" error=none options=agencies value=filter.agency.map(|a| a.to_string()).unwrap_or_default() />
            <SelectField name="status" label="panel.status" error=none options=statuses value=filter.status.clone().unwrap_or_default() />
            <button type="submit">{t("panel.filter")}</button>
        </form>
        <div class="panel-columns">
            {p.columns.into_iter().map(|(level, cards)| {
                let heading_id = format!("col-{}", level.as_str());
                let labelled_by = heading_id.clone();
                let count = locale.plural("panel.count", cards.len() as i64);
                view! {
                    <section class="panel-column" aria-labelledby=labelled_by>
                        <h2 id=heading_id>{t(&level.key())}" "<span class="meta">{format!("({count})")}</span></h2>
                        <ul>
                            {cards.into_iter().map(|c| view! { <PanelCardView c /> }).collect_view()}
                        </ul>
                    </section>
                }
            }).collect_view()}
        </div>
        <ProgressChart points=p.over_time />
    }
}

#[component]
fn PanelCardView(c: PanelCard) -> impl IntoView {
    let locale = use_locale();
    let reported = locale.tf(
        "panel.reported",
        &[
            ("reported", &locale.number(c.milestones_reported as i64)),
            ("total", &locale.number(c.milestones as i64)),
        ],
    );
    view! {
        <li class="card">
            <h3 class="card-title"><a href=format!("/commitments/{}/monitoring", c.id)>{format!("{} · {}", c.code, c.title)}</a></h3>
            <p class="meta">{c.axis.clone()}{(!c.agencies.is_empty()).then(|| format!(" · {}", c.agencies.join(", ")))}</p>
            <Completion level=c.completion percent=c.percent />
            <p class="meta">
                {reported}
                {c.last_update.map(|d| view! { " · "{t("panel.last_update")}" "{locale.date(&d)} })}
            </p>
            {c.evaluation.map(|(completion, opened, body)| view! {
                <p class="meta">{locale.tf("panel.evaluation", &[
                    ("body", &body),
                    ("completion", &t(&completion.key())),
                    ("opened", &t(&opened.key())),
                ])}</p>
            })}
        </li>
    }
}

/// The plan's completion month by month: bars drawn on the server, and the
/// same figures in a table for those who do not see the chart.
#[component]
fn ProgressChart(points: Vec<(String, u32)>) -> impl IntoView {
    if points.is_empty() {
        return view! { <p>{t("panel.no_updates")}</p> }.into_any();
    }
    let (bar, gap, height) = (28u32, 8u32, 120u32);
    let width = points.len() as u32 * (bar + gap) + gap;
    let bars = points
        .iter()
        .enumerate()
        .map(|(i, (_, percent))| {
            let h = height * percent / 100;
            view! {
                <rect x=(gap + i as u32 * (bar + gap)).to_string() y=(height - h).to_string()
                    width=bar.to_string() height=h.to_string() class="chart-bar" />
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="chart-h">
            <h2 id="chart-h">{t("panel.over_time")}</h2>
            <svg class="chart" role="img" aria-labelledby="chart-h" viewBox=format!("0 0 {width} {height}")
                width=width.to_string() height=height.to_string()>
                <line x1="0" y1=height.to_string() x2=width.to_string() y2=height.to_string() class="chart-axis" />
                {bars}
            </svg>
            <table>
                <caption>{t("panel.over_time_table")}</caption>
                <thead><tr><th scope="col">{t("panel.month")}</th><th scope="col">{t("panel.percent")}</th></tr></thead>
                <tbody>
                    {points.into_iter().map(|(month, percent)| view! {
                        <tr><td>{month}</td><td>{format!("{percent} %")}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
    .into_any()
}

/// What needs attention, for the team and the lead agencies: milestones overdue,
/// due soon or without progress, the agencies that have not reported, and (for
/// the team) how often each process's agencies are reminded.
#[component]
pub fn MonitoringOverviewPage() -> impl IntoView {
    let cadence = form_action::<SetReminderCadence>();
    let overview = Resource::new(move || cadence.version().get(), |_| monitoring_overview());
    view! {
        <Transition fallback=|| view! { <p>{t("status.loading")}</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                    Ok(o) => view! { <OverviewView o cadence /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn OverviewView(o: Overview, cadence: ServerAction<SetReminderCadence>) -> impl IntoView {
    let locale = use_locale();
    let error = action_error(cadence);
    let saved = action_done(cadence);
    let sections = [Attention::Overdue, Attention::Due, Attention::Stale].map(|a| {
        let items: Vec<AttentionItem> = o.items.iter().filter(|i| i.attention == a).cloned().collect();
        let heading_id = format!("attention-{}", a.as_str());
        let labelled_by = heading_id.clone();
        view! {
            <section aria-labelledby=labelled_by>
                <h2 id=heading_id>{t(&format!("attention.{}", a.as_str()))}" "<span class="meta">{format!("({})", items.len())}</span></h2>
                {items.is_empty().then(|| view! { <p>{t("attention.none")}</p> })}
                <ul>
                    {items.into_iter().map(|i| view! {
                        <li>
                            <a href=format!("/commitments/{}/monitoring", i.commitment_id)>{format!("{} · {}", i.code, i.milestone)}</a>
                            <span class="meta">
                                {(!i.ends_on.is_empty()).then(|| format!(" · {} {}", t("monitoring.due"), locale.date(&i.ends_on)))}
                                {format!(" · {}", i.agencies.join(", "))}
                                {i.last_update.map(|d| format!(" · {} {}", t("panel.last_update"), locale.date(&d)))}
                            </span>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        }
        .into_any()
    });
    view! {
        <PageTitle text=t("attention.title") />
        <h1>{t("attention.title")}</h1>
        {sections.into_iter().collect_view()}
        <section aria-labelledby="silent-h">
            <h2 id="silent-h">{t("attention.silent")}</h2>
            {o.silent_agencies.is_empty().then(|| view! { <p>{t("attention.none")}</p> })}
            <ul>
                {o.silent_agencies.into_iter().map(|(agency, last)| view! {
                    <li>{agency}" · "{last.map(|d| format!("{} {}", t("panel.last_update"), locale.date(&d))).unwrap_or_else(|| t("monitoring.no_update"))}</li>
                }).collect_view()}
            </ul>
        </section>
        {o.is_team.then(|| view! {
            <section aria-labelledby="cadence-h">
                <h2 id="cadence-h">{t("attention.cadence")}</h2>
                <FormMessage error />
                <Notice show=saved key="attention.cadence_saved" />
                {o.cadences.into_iter().map(|(slug, title, days)| {
                    let prefix = format!("{slug}-");
                    view! {
                        <ActionForm action=cadence>
                            <h3>{title}</h3>
                            <input type="hidden" name="slug" value=slug.clone() />
                            <TextField name="days" label="attention.cadence_days" kind="number" value=days.to_string() error id_prefix=prefix />
                            <button type="submit">{t("action.save")}</button>
                        </ActionForm>
                    }
                }).collect_view()}
            </section>
        }.into_any())}
    }
}

/// The follow-up meetings held on the commitment, and the team's form to log one.
#[component]
fn FollowUps(
    id: i64,
    meetings: Vec<FollowUp>,
    can_log: bool,
    log: ServerAction<LogFollowup>,
) -> impl IntoView {
    let locale = use_locale();
    let error = action_error(log);
    let saved = action_done(log);
    view! {
        <section aria-labelledby="followups-h">
            <h2 id="followups-h">{t("followup.title")}</h2>
            {meetings.is_empty().then(|| view! { <p>{t("followup.none")}</p> })}
            <ul class="followups">
                {meetings.into_iter().map(|f| view! {
                    <li class="card">
                        <h3>{locale.date(&f.held_on)}</h3>
                        <p class="meta">
                            {locale.plural("followup.attendees_count", f.attendees)}
                            {(!f.organizations.is_empty()).then(|| format!(" · {}", f.organizations))}
                        </p>
                        <p class="narrative">{f.minutes}</p>
                    </li>
                }).collect_view()}
            </ul>
            {can_log.then(|| view! {
                <h3>{t("followup.log")}</h3>
                <FormMessage error />
                <Notice show=saved key="followup.logged" />
                <ActionForm action=log>
                    <input type="hidden" name="id" value=id />
                    <TextField name="held_on" label="followup.held_on" kind="date" required=true error />
                    <TextField name="attendees" label="followup.attendees" kind="number" required=true error />
                    <TextField name="organizations" label="followup.organizations" hint="followup.organizations_hint" error />
                    <TextArea name="minutes" label="followup.minutes" required=true error />
                    <button type="submit">{t("followup.save")}</button>
                </ActionForm>
            }.into_any())}
        </section>
    }
}
