//! The public home page (open processes), a process's page, and the forms that create one and change it.
use super::api::{
    followed_axes, get_process, open_processes, CreateProcess, EditProcess, FollowAxes,
};
use super::model::*;
use crate::accounts::model::CurrentUser;
use crate::i18n::{t, use_locale};
use crate::ui::*;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// "Now: intake, until 31 March 2021" and "Next: feasibility, from 1 April 2021".
#[component]
fn TimelineBadges(timeline: Timeline) -> impl IntoView {
    let locale = use_locale();
    let current = match &timeline.current {
        Some(s) => locale.tf(
            "process.now",
            &[
                ("stage", &t(&s.stage.label_key())),
                ("date", &locale.date(&s.ends_on)),
            ],
        ),
        None => t("process.no_stage_now"),
    };
    let next = timeline.next.as_ref().map(|s| {
        locale.tf(
            "process.next",
            &[
                ("stage", &t(&s.stage.label_key())),
                ("date", &locale.date(&s.starts_on)),
            ],
        )
    });
    view! {
        <p class="stage-now"><span class="badge">{current}</span></p>
        {next.map(|n| view! { <p class="stage-next">{n}</p> })}
    }
}

#[component]
pub fn HomePage() -> impl IntoView {
    let page = page_param();
    let list = Resource::new(page, open_processes);
    let query = leptos_router::hooks::use_query_map();
    let deleted =
        Signal::derive(move || query.read().get("account").is_some_and(|v| v == "deleted"));
    view! {
        <PageTitle text=t("app.name") />
        <Notice show=deleted key="account.deleted" />
        <section class="hero">
            <h1>{t("home.title")}</h1>
            <p>{t("home.intro")}</p>
        </section>
        <h2>{t("home.open_processes")}</h2>
        <Transition fallback=|| view! { <p>{t("status.loading")}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                    Ok(p) if p.items.is_empty() => view! { <p>{t("home.none_open")}</p> }.into_any(),
                    Ok(p) => view! {
                        <ul class="cards">
                            {p.items.clone().into_iter().map(|s| view! {
                                <li class="card">
                                    <h3><a href=format!("/processes/{}", s.slug)>{s.title}</a></h3>
                                    <TimelineBadges timeline=s.timeline />
                                </li>
                            }).collect_view()}
                        </ul>
                        <Pager page=p href=|n| format!("/?page={n}") />
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
pub fn ProcessPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let detail = Resource::new(slug, get_process);
    view! {
        <Transition fallback=|| view! { <p>{t("status.loading")}</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                    Ok(p) => view! { <ProcessView p /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ProcessView(p: ProcessDetail) -> impl IntoView {
    let locale = use_locale();
    let current = p.timeline.current.as_ref().map(|s| s.stage);
    view! {
        <PageTitle text=p.title.clone() description=p.description.clone() />
        <article class="process">
            <h1>{p.title.clone()}</h1>
            <TimelineBadges timeline=p.timeline.clone() />
            <p class="prose">{p.description.clone()}</p>
            <p><a href=format!("/processes/{}/proposals", p.slug) class="button-link">{t("process.see_proposals")}</a></p>
            <p><a href=format!("/processes/{}/roundtables", p.slug)>{t("roundtables.link")}</a></p>
            <p><a href=format!("/processes/{}/commitments", p.slug)>{t("commitments.link")}</a></p>
            <p><a href=format!("/processes/{}/panel", p.slug)>{t("panel.open")}</a></p>
            <p><a href=format!("/processes/{}/endorsements", p.slug)>{t("endorsement.open")}</a></p>
            {p.can_route.then(|| view! {
                <p><a href=format!("/processes/{}/feasibility", p.slug)>{t("feasibility.routing_link")}</a></p>
                <p><a href=format!("/processes/{}/monitoring-body", p.slug)>{t("evaluation.open_body")}</a></p>
                <p><a href=format!("/processes/{}/carry-over", p.slug)>{t("carryover.title")}</a></p>
                <p><a href=format!("/processes/{}/survey", p.slug)>{t("survey.link")}</a></p>
                <p><a href=format!("/processes/{}/invitations", p.slug)>{t("invitations.link")}</a></p>
                <p><a href=format!("/processes/{}/announcements", p.slug)>{t("announcements.link")}</a></p>
                <p><a href=format!("/processes/{}/edit", p.slug)>{t("process.edit")}</a></p>
            })}
            <ProcessFiguresView f=p.figures.clone() slug=p.slug.clone() />
            <PlanView slug=p.slug.clone() plan=p.plan.clone() />
            <h2>{t("process.axes")}</h2>
            <ul class="chips">
                {p.axes.iter().map(|a| view! { <li>{a.name.clone()}</li> }).collect_view()}
            </ul>
            <FollowAxesForm slug=p.slug.clone() />
            <h2>{t("process.calendar")}</h2>
            <ol class="stages">
                {p.stages.iter().map(|s| {
                    let is_current = Some(s.stage) == current;
                    view! {
                        <li class:current=is_current aria-current=is_current.then_some("step")>
                            <strong>{t(&s.stage.label_key())}</strong>
                            " "
                            {locale.tf("process.range", &[("from", &locale.date(&s.starts_on)), ("to", &locale.date(&s.ends_on))])}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </article>
    }
}

/// The process in numbers.
#[component]
fn ProcessFiguresView(f: ProcessFigures, slug: String) -> impl IntoView {
    let locale = use_locale();
    let figure = move |value: i64, key: &'static str| {
        view! { <div><dt>{t(key)}</dt><dd>{locale.number(value)}</dd></div> }
    };
    view! {
        <section aria-labelledby="figures-h">
            <h2 id="figures-h">{t("process.figures")}</h2>
            <dl class="figures">
                {figure(f.proposals, "process.figures.proposals")}
                {figure(f.answered, "process.figures.answered")}
                {figure(f.public_meetings, "process.figures.public_meetings")}
                {figure(f.attendees, "process.figures.attendees")}
            </dl>
            <p><a href=format!("/processes/{slug}/report")>{t("cocreation.open")}</a>" · "<a href=format!("/processes/{slug}/data")>{t("data.open")}</a></p>
        </section>
    }
}

/// Axes a signed-in person follows, to be told of roundtables on them.
#[component]
fn FollowAxesForm(slug: String) -> impl IntoView {
    let follow = form_action::<FollowAxes>();
    let error = action_error(follow);
    let slug = StoredValue::new(slug);
    let data = Resource::new(
        move || (slug.get_value(), follow.version().get()),
        |(slug, _)| followed_axes(slug),
    );
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(f) if f.signed_in => {
                        let items: Vec<(i64, String)> = f.axes.iter().map(|a| (a.id, a.name.clone())).collect();
                        view! {
                            <Notice show=action_done(follow) key="process.following_saved" />
                            <FormMessage error />
                            <ActionForm action=follow attr:class="follow-axes">
                                <input type="hidden" name="slug" value=slug.get_value() />
                                <CheckList name="axis_ids[]" legend="process.follow_legend" items checked=f.followed.clone() id_prefix="follow-" error />
                                <button type="submit" class="secondary">{t("process.follow")}</button>
                            </ActionForm>
                        }.into_any()
                    }
                    Ok(_) => view! { <p class="meta"><a href="/login">{t("process.follow_sign_in")}</a></p> }.into_any(),
                    Err(_) => ().into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
pub fn NewProcessPage() -> impl IntoView {
    view! { <Gate allowed=CurrentUser::is_facilitator><NewProcessForm /></Gate> }
}

#[component]
fn NewProcessForm() -> impl IntoView {
    let action = form_action::<CreateProcess>();
    let error = action_error(action);
    view! {
        <PageTitle text=t("process.new") />
        <section class="narrow">
            <h1>{t("process.new")}</h1>
            <FormMessage error />
            <ActionForm action>
                <TextField name="title" label="field.title" required=true error />
                <TextField name="slug" label="field.slug" hint="process.slug_hint" error />
                <TextArea name="description" label="field.description" required=true error />
                <TextArea name="axes" label="field.axes" required=true hint="process.axes_hint" error />
                <fieldset>
                    <legend>{t("process.calendar")}</legend>
                    {Stage::ALL.into_iter().map(|stage| view! { <StageDatesFields stage error /> }).collect_view()}
                </fieldset>
                <button type="submit">{t("action.create")}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn StageDatesFields(
    stage: Stage,
    error: Signal<Option<crate::error::AppError>>,
    /// The dates it has now, when it is being changed.
    #[prop(optional)]
    dates: Option<StageDates>,
) -> impl IntoView {
    // Field names are fixed strings so that the server function's arguments match.
    let (start, end): (&'static str, &'static str) = match stage {
        Stage::Intake => ("intake_start", "intake_end"),
        Stage::Feasibility => ("feasibility_start", "feasibility_end"),
        Stage::Roundtables => ("roundtables_start", "roundtables_end"),
        Stage::Drafting => ("drafting_start", "drafting_end"),
        Stage::Comment => ("comment_start", "comment_end"),
        Stage::Monitoring => ("monitoring_start", "monitoring_end"),
    };
    view! {
        <fieldset class="stage-dates">
            <legend>{t(&stage.label_key())}</legend>
            <TextField name=start label="field.starts_on" kind="date" required=true value=dates.as_ref().map(|d| d.starts_on.clone()).unwrap_or_default() error />
            <TextField name=end label="field.ends_on" kind="date" required=true value=dates.map(|d| d.ends_on).unwrap_or_default() error />
        </fieldset>
    }
}

#[component]
pub fn EditProcessPage() -> impl IntoView {
    view! { <Gate allowed=CurrentUser::is_facilitator><EditProcessForm /></Gate> }
}

#[component]
fn EditProcessForm() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || params.read().get("slug").unwrap_or_default(),
        get_process,
    );
    view! {
        <Transition fallback=|| view! { <p>{t("status.loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                    Ok(p) => view! { <ProcessChangeForm p /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The process as it is, to change: each axis in a field of its own (blank
/// removes it), new axes one per line, and the stage dates.
#[component]
fn ProcessChangeForm(p: ProcessDetail) -> impl IntoView {
    let action = form_action::<EditProcess>();
    let error = action_error(action);
    let locale = use_locale();
    let title = locale.tf("process.edit_title", &[("title", &p.title)]);
    let ProcessDetail {
        slug,
        title: process_title,
        description,
        axes,
        stages,
        ..
    } = p;
    let axis_fields = axes
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let id = format!("axis-{}", a.id);
            view! {
                <p>
                    <input type="hidden" name="axis_ids[]" value=a.id.to_string() />
                    <label for=id.clone()>{locale.tf("process.axis_n", &[("n", &(i + 1).to_string())])}</label>
                    <input id=id type="text" name="axis_names[]" value=a.name.clone() maxlength="120" />
                </p>
            }
        })
        .collect_view();
    let stage_fields = Stage::ALL
        .into_iter()
        .map(|stage| {
            let dates = stages
                .iter()
                .find(|s| s.stage == stage)
                .cloned()
                .unwrap_or(StageDates {
                    stage,
                    starts_on: String::new(),
                    ends_on: String::new(),
                });
            view! { <StageDatesFields stage error dates /> }
        })
        .collect_view();
    let back_title = process_title.clone();
    let back = view! { <p><a href=format!("/processes/{slug}")>{back_title}</a></p> };
    view! {
        <PageTitle text=title.clone() />
        <section class="narrow">
            {back}
            <h1>{title}</h1>
            <p>{t("process.edit_intro")}</p>
            <FormMessage error />
            <ActionForm action>
                <input type="hidden" name="slug" value=slug />
                <TextField name="title" label="field.title" required=true value=process_title error />
                <TextArea name="description" label="field.description" required=true value=description error />
                <fieldset>
                    <legend>{t("field.axes")}</legend>
                    <p class="hint">{t("process.axes_edit_hint")}</p>
                    <FieldError id="axes".to_string() name="axes" error />
                    {axis_fields}
                    <TextArea name="new_axes" label="process.new_axes" hint="process.axes_hint" rows=3 error />
                </fieldset>
                <fieldset>
                    <legend>{t("process.calendar")}</legend>
                    {stage_fields}
                </fieldset>
                <button type="submit">{t("action.save")}</button>
            </ActionForm>
        </section>
    }
}

/// The action plan: every commitment past its draft, and the whole plan as one
/// document.
#[component]
fn PlanView(
    slug: String,
    plan: Vec<crate::commitments::model::CommitmentSummary>,
) -> impl IntoView {
    view! {
        <section aria-labelledby="plan-h">
            <h2 id="plan-h">{t("plan.title")}</h2>
            {if plan.is_empty() {
                view! { <p>{t("plan.none")}</p> }.into_any()
            } else {
                view! {
                    <ul class="commitments">
                        {plan.into_iter().map(|c| view! {
                            <li>
                                <a href=format!("/commitments/{}", c.id)>{format!("{} · {}", c.code, c.title)}</a>
                                " "<span class="badge">{t(&format!("commitment.state.{}", c.state.as_str()))}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                    <p>
                        {t("plan.download")}" "
                        <a href=format!("/processes/{slug}/plan.docx") download=format!("{slug}-plan.docx")>"DOCX"</a>" · "
                        <a href=format!("/processes/{slug}/plan.pdf") download=format!("{slug}-plan.pdf")>"PDF"</a>
                    </p>
                }.into_any()
            }}
        </section>
    }
}
