//! The trajectory page of a proposal, and its summary on the proposal page:
//! where it was presented and the commitments it fed, with their progress.
use super::api::*;
use super::model::*;
use crate::i18n::{t, use_locale};
use crate::monitoring::pages::Completion;
use crate::ui::*;
use leptos::prelude::*;

#[component]
pub fn TrajectoryPage() -> impl IntoView {
    let id = path_id("id");
    let trajectory = Resource::new(id, |id| proposal_trajectory(id, Some(Depth::Steps)));
    view! {
        <Transition fallback=|| view! { <p>{t("status.loading")}</p> }>
            {move || Suspend::new(async move {
                match trajectory.await {
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                    Ok(tr) => view! { <TrajectoryView tr /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn TrajectoryView(tr: Trajectory) -> impl IntoView {
    let locale = use_locale();
    let title = if tr.hidden {
        t("proposal.hidden_title")
    } else {
        locale.tf("trajectory.title", &[("title", &tr.title)])
    };
    let process = format!("/processes/{}/proposals", tr.process_slug);
    let process_title = tr.process_title.clone();
    view! {
        <PageTitle text=title.clone() />
        <article class="trajectory">
            <p><a href=process>{process_title}</a></p>
            <h1>{title}</h1>
            {if tr.hidden {
                view! { <p class="hidden-note">{t("proposal.hidden_body")}</p> }.into_any()
            } else {
                view! {
                    <p><a href=format!("/proposals/{}", tr.proposal_id)>{t("trajectory.back")}</a></p>
                    <Standings tr=tr.clone() full=true />
                    <h2>{t("trajectory.steps")}</h2>
                    <ol class="timeline">
                        {tr.steps.into_iter().map(|s| view! { <StepItem s /> }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </article>
    }
}

#[component]
fn StepItem(s: Step) -> impl IntoView {
    let locale = use_locale();
    let on = s.on().to_string();
    let commitment_link =
        |(id, name): CommitmentRef| view! { <a href=format!("/commitments/{id}")>{name}</a> };
    let what = match s {
        Step::Proposal(e) => {
            let link = crate::feasibility::pages::event_link(&e)
                .map(|href| view! { " "<a href=href>{t("proposal.event.see")}</a> });
            view! { {crate::feasibility::pages::event_text(&e)}{link} }.into_any()
        }
        Step::Presented { roundtable: (id, title), .. } => view! {
            {t("trajectory.presented")}" "<a href=format!("/roundtables/{id}")>{title}</a>
        }.into_any(),
        Step::TopicChosen { roundtable: (id, title), topic, .. } => view! {
            {locale.tf("trajectory.topic_chosen", &[("topic", &topic)])}" · "<a href=format!("/roundtables/{id}")>{title}</a>
        }.into_any(),
        Step::CommentPeriod { commitment, .. } => view! {
            {t("trajectory.comment_period")}" "{commitment_link(commitment)}
        }.into_any(),
        Step::Final { commitment, .. } => view! {
            {t("trajectory.final")}" "{commitment_link(commitment)}
        }.into_any(),
        Step::Milestone { commitment, milestone, progress, .. } => view! {
            {locale.tf("trajectory.milestone", &[("milestone", &milestone), ("progress", &t(&progress.key()))])}
            " · "{commitment_link(commitment)}
        }.into_any(),
    };
    view! { <li><time datetime=on.clone()>{locale.date(&on)}</time>": "{what}</li> }
}

/// Where the proposal was presented and the commitments it fed, each with its
/// progress; `full` on the trajectory page itself, else with a link to it.
#[component]
fn Standings(tr: Trajectory, full: bool) -> impl IntoView {
    let locale = use_locale();
    view! {
        <section class="trail" aria-labelledby="trail-h">
            <h2 id="trail-h">{t("trajectory.where_now")}</h2>
            <h3>{t("trajectory.roundtables")}</h3>
            {if tr.roundtables.is_empty() {
                view! { <p>{t("trajectory.no_roundtables")}</p> }.into_any()
            } else {
                view! { <ul>{tr.roundtables.clone().into_iter().map(|r| view! {
                    <li><a href=format!("/roundtables/{}", r.id)>{r.title}</a>" · "{locale.date(&r.on)}
                        {r.chosen_topic.map(|topic| view! { " · "{locale.tf("vote.chosen", &[("topic", &topic)])} })}</li>
                }).collect_view()}</ul> }.into_any()
            }}
            <h3>{t("trajectory.commitments")}</h3>
            {if tr.commitments.is_empty() {
                view! { <p>{t("trajectory.no_commitments")}</p> }.into_any()
            } else {
                view! { <ul>{tr.commitments.clone().into_iter().map(|c| view! {
                    <li>
                        <a href=format!("/commitments/{}", c.id)>{format!("{} · {}", c.code, c.title)}</a>" "
                        <span class="badge">{t(&crate::commitments::pages::state_key(c.state))}</span>
                        {c.standing.map(|s| view! {
                            <Completion level=s.level percent=s.percent />
                            <a href=format!("/commitments/{}/monitoring", c.id)>{t("monitoring.open")}</a>
                        })}
                    </li>
                }).collect_view()}</ul> }.into_any()
            }}
            {(!full).then(|| view! {
                <p><a href=format!("/proposals/{}/trajectory", tr.proposal_id)>{t("trajectory.link")}</a></p>
            })}
        </section>
    }
}

/// The summary shown on the proposal page (nothing for a hidden proposal). Its
/// read is made here, where the route builds the page, not inside the
/// proposal's own suspense: a view built inside another's future could lose
/// the page's context (router, language) while it rendered on the server.
pub fn proposal_trail() -> ViewFn {
    let id = path_id("id");
    let trajectory = Resource::new(id, |id| proposal_trajectory(id, Some(Depth::Standing)));
    ViewFn::from(move || {
        view! {
            <Suspense>
                {move || Suspend::new(async move {
                    trajectory.await.ok().filter(|tr| !tr.hidden).map(|tr| view! { <Standings tr full=false /> })
                })}
            </Suspense>
        }
    })
}
