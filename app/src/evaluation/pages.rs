//! The monitoring body's pages: a commitment's evaluation (the form for the
//! body's members), the summary shown wherever the commitment is, the team's
//! page to appoint the body, and the evaluator's desk. No JavaScript needed.
use super::api::*;
use super::model::*;
use crate::i18n::{t, use_locale};
use crate::ui::*;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// A published evaluation, as anyone reads it.
#[component]
fn EvaluationView(e: Evaluation) -> impl IntoView {
    let locale = use_locale();
    let yes_no = if e.verifiable {
        "evaluation.yes"
    } else {
        "evaluation.no"
    };
    view! {
        <dl class="evaluation">
            <dt>{t("evaluation.verifiable")}</dt><dd>{t(yes_no)}</dd>
            <dt>{t("evaluation.potential")}</dt><dd>{t(&e.potential.key())}</dd>
            <dt>{t("evaluation.completion")}</dt><dd>{t(&e.completion.key())}</dd>
            <dt>{t("evaluation.opened_government")}</dt><dd>{t(&e.opened_government.key())}</dd>
            <dt>{t("evaluation.reasoning")}</dt><dd><p class="narrative">{e.reasoning.clone()}</p></dd>
        </dl>
        <p class="meta">{match &e.published_on {
            Some(on) => locale.tf("evaluation.published_by", &[("body", &e.body), ("date", &locale.date(on))]),
            None => t("evaluation.draft"),
        }}</p>
    }
}

/// The published evaluation of the commitment in the path, if any: shown on
/// the sheet and on its monitoring page.
#[component]
pub fn EvaluationSummary() -> impl IntoView {
    let id = path_id("id");
    let evaluation = Resource::new(id, get_commitment_evaluation);
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let e = evaluation.await.ok()?;
                let published = e.evaluation.clone().filter(|v| v.published_on.is_some());
                let link = e.can_evaluate.then(|| view! {
                    <p><a href=format!("/commitments/{}/evaluation", e.commitment_id)>{t("evaluation.evaluate")}</a></p>
                });
                (published.is_some() || link.is_some()).then(|| view! {
                    <section class="independent" aria-labelledby="evaluation-h">
                        <h2 id="evaluation-h">{t("evaluation.title")}</h2>
                        {published.map(|e| view! { <EvaluationView e /> })}
                        {link}
                    </section>
                })
            })}
        </Suspense>
    }
}

#[component]
pub fn EvaluationPage() -> impl IntoView {
    let id = path_id("id");
    let save = form_action::<EvaluateCommitment>();
    let evaluation = Resource::new(
        move || (id(), save.version().get()),
        |(id, _)| get_commitment_evaluation(id),
    );
    view! {
        <Transition fallback=|| view! { <p>{t("status.loading")}</p> }>
            {move || Suspend::new(async move {
                match evaluation.await {
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                    Ok(e) => view! { <EvaluationForm e save /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn EvaluationForm(
    e: CommitmentEvaluation,
    save: ServerAction<EvaluateCommitment>,
) -> impl IntoView {
    let heading = format!("{} · {}", e.code, e.title);
    let error = action_error(save);
    let saved = action_done(save);
    let current = e.evaluation.clone();
    let pick = |v: Option<&str>| v.unwrap_or_default().to_string();
    let form = e.can_evaluate.then(|| {
        let potential = crate::ui::choices(Potential::ALL, |p| p.as_str(), |p| p.key());
        let completion = crate::ui::choices(&Progress::ALL, |p| p.as_str(), |p| p.key());
        let opened = crate::ui::choices(OpenedGovernment::ALL, |p| p.as_str(), |p| p.key());
        let verifiable = vec![
            ("yes".to_string(), t("evaluation.yes")),
            ("no".to_string(), t("evaluation.no")),
        ];
        let c = current.clone();
        view! {
            <section aria-labelledby="evaluate-h">
                <h2 id="evaluate-h">{t("evaluation.evaluate")}</h2>
                <p>{use_locale().tf("evaluation.as_body", &[("body", &e.my_body.clone().unwrap_or_default())])}</p>
                <FormMessage error />
                <Notice show=saved key="evaluation.saved" />
                <ActionForm action=save>
                    <input type="hidden" name="id" value=e.commitment_id />
                    <SelectField name="verifiable" label="evaluation.verifiable" error options=verifiable
                        value=pick(c.as_ref().map(|c| if c.verifiable { "yes" } else { "no" })) />
                    <SelectField name="potential" label="evaluation.potential" error options=potential
                        value=pick(c.as_ref().map(|c| c.potential.as_str())) />
                    <SelectField name="completion" label="evaluation.completion" error options=completion
                        value=pick(c.as_ref().map(|c| c.completion.as_str())) />
                    <SelectField name="opened_government" label="evaluation.opened_government" error options=opened
                        value=pick(c.as_ref().map(|c| c.opened_government.as_str())) />
                    <TextArea name="reasoning" label="evaluation.reasoning" hint="evaluation.reasoning_hint" required=true error rows=8
                        value=c.as_ref().map(|c| c.reasoning.clone()).unwrap_or_default() />
                    <button type="submit" name="publish" value="1">{t("evaluation.publish")}</button>
                    {c.as_ref().is_none_or(|c| c.published_on.is_none()).then(|| view! {
                        " "<button type="submit" class="secondary">{t("evaluation.save_draft")}</button>
                    })}
                </ActionForm>
            </section>
        }
    });
    view! {
        <PageTitle text=heading.clone() />
        <article>
            <p><a href=format!("/commitments/{}", e.commitment_id)>{t("evaluation.back")}</a></p>
            <h1>{heading}</h1>
            <h2>{t("evaluation.title")}</h2>
            {match current.clone().filter(|c| c.published_on.is_some() || e.can_evaluate) {
                Some(c) => view! { <EvaluationView e=c /> }.into_any(),
                None => view! { <p>{t("evaluation.none")}</p> }.into_any(),
            }}
            {form}
        </article>
    }
}

/// The team appoints a process's monitoring body.
#[component]
pub fn MonitoringBodyPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let appoint = form_action::<AppointEvaluator>();
    let remove = form_action::<RemoveEvaluator>();
    let body = Resource::new(
        move || (slug(), appoint.version().get(), remove.version().get()),
        |(slug, ..)| get_monitoring_body(slug),
    );
    view! {
        <Transition fallback=|| view! { <p>{t("status.loading")}</p> }>
            {move || Suspend::new(async move {
                match body.await {
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                    Ok(b) => view! { <BodyView b appoint remove /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn BodyView(
    b: MonitoringBody,
    appoint: ServerAction<AppointEvaluator>,
    remove: ServerAction<RemoveEvaluator>,
) -> impl IntoView {
    let error = action_error(appoint);
    let remove_error = action_error(remove);
    let slug = b.process_slug.clone();
    view! {
        <PageTitle text=t("evaluation.body_title") />
        <article>
            <p><a href=format!("/processes/{}", b.process_slug)>{b.process_title.clone()}</a></p>
            <h1>{t("evaluation.body_title")}</h1>
            <p>{t("evaluation.body_intro")}</p>
            <FormMessage error=remove_error />
            {if b.members.is_empty() {
                view! { <p>{t("evaluation.no_members")}</p> }.into_any()
            } else {
                view! { <ul class="members">{b.members.into_iter().map(|m| {
                    let slug = slug.clone();
                    view! {
                        <li>
                            {format!("{} · {}", m.name, m.body)}" "
                            <ActionForm action=remove attr:class="inline-form">
                                <input type="hidden" name="slug" value=slug />
                                <input type="hidden" name="user_id" value=m.user_id />
                                <button type="submit" class="secondary">{use_locale().tf("evaluation.remove", &[("name", &m.name)])}</button>
                            </ActionForm>
                        </li>
                    }
                }).collect_view()}</ul> }.into_any()
            }}
            <h2>{t("evaluation.appoint")}</h2>
            <FormMessage error />
            <ActionForm action=appoint>
                <input type="hidden" name="slug" value=b.process_slug.clone() />
                <TextField name="email" label="evaluation.email" kind="email" required=true error hint="evaluation.email_hint" />
                <TextField name="body" label="evaluation.body" required=true error hint="evaluation.body_hint" />
                <button type="submit">{t("evaluation.appoint")}</button>
            </ActionForm>
        </article>
    }
}

/// What a member of a monitoring body works on: each process, its download,
/// and its final commitments with the state of their evaluation.
#[component]
pub fn EvaluatorDeskPage() -> impl IntoView {
    let desk = Resource::new(|| (), |_| get_evaluator_desk());
    view! {
        <PageTitle text=t("evaluation.desk") />
        <h1>{t("evaluation.desk")}</h1>
        <Transition fallback=|| view! { <p>{t("status.loading")}</p> }>
            {move || Suspend::new(async move {
                match desk.await {
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                    Ok(d) => view! {
                        {d.processes.is_empty().then(|| view! { <p>{t("evaluation.nothing_yet")}</p> })}
                        {d.processes.into_iter().map(|p| view! {
                            <section aria-labelledby=format!("desk-{}", p.slug)>
                                <h2 id=format!("desk-{}", p.slug)>{p.title.clone()}</h2>
                                <p><a href=format!("/processes/{}/evaluation.zip", p.slug) download=format!("{}-evaluacion.zip", p.slug)>
                                    {t("evaluation.download")}</a></p>
                                <ul>{p.commitments.into_iter().map(|(id, name, published, saved)| {
                                    let state = if published { "evaluation.state.published" } else if saved { "evaluation.state.draft" } else { "evaluation.state.none" };
                                    view! {
                                        <li><a href=format!("/commitments/{id}/evaluation")>{name}</a>" "
                                            <span class="badge">{t(state)}</span></li>
                                    }
                                }).collect_view()}</ul>
                            </section>
                        }).collect_view()}
                    }.into_any(),
                }
            })}
        </Transition>
    }
}
