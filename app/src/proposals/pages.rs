//! Proposal pages: the searchable list of a process, the submission and edit
//! forms, and the public page of one proposal.
use super::api::*;
use super::model::*;
use crate::accounts::model::Sector;
use crate::error::AppError;
use crate::i18n::{t, use_locale};
use crate::ui::*;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// "Ana Rodríguez", "Democracia en Red", or "a resident".
fn credit_text(credit: &Credit) -> String {
    match (&credit.author_name, &credit.organization) {
        (Some(name), Some(org)) => format!("{name} ({org})"),
        (Some(name), None) => name.clone(),
        (None, Some(org)) => org.clone(),
        (None, None) => t("proposal.by_resident"),
    }
}

fn query_from_url() -> Memo<ProposalQuery> {
    let query = use_query_map();
    Memo::new(move |_| {
        let q = query.read();
        let text = |k: &str| q.get(k).filter(|v| !v.is_empty());
        ProposalQuery {
            q: q.get("q").unwrap_or_default(),
            axis: text("axis").and_then(|v| v.parse().ok()),
            state: text("state").filter(|s| ProposalState::parse(s).is_some()),
            sector: text("sector").filter(|s| Sector::parse(s).is_some()),
            sort: text("sort").unwrap_or_else(|| "newest".into()),
            page: text("page").and_then(|p| p.parse().ok()).unwrap_or(1),
        }
    })
}

fn list_href(slug: &str, q: &ProposalQuery, page: i64) -> String {
    let mut href = format!(
        "/processes/{slug}/proposals?q={}&sort={}",
        urlencode(&q.q),
        urlencode(&q.sort)
    );
    if let Some(a) = q.axis {
        href.push_str(&format!("&axis={a}"));
    }
    if let Some(s) = &q.state {
        href.push_str(&format!("&state={s}"));
    }
    if let Some(s) = &q.sector {
        href.push_str(&format!("&sector={s}"));
    }
    href.push_str(&format!("&page={page}"));
    href
}

#[component]
pub fn ProposalsPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let query = query_from_url();
    let list = Resource::new(
        move || (slug(), query.get()),
        |(slug, q)| list_proposals(slug, q),
    );
    view! {
        <Transition fallback=|| view! { <p>{t("status.loading")}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                    Ok(list) => view! { <ProposalList list query=query.get_untracked() /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ProposalList(list: ProposalList, query: ProposalQuery) -> impl IntoView {
    let locale = use_locale();
    let ctx = list.context.clone();
    let slug = ctx.process_slug.clone();
    let title = locale.tf("proposals.title", &[("process", &ctx.process_title)]);
    let count = locale.plural("proposals.count", list.page.total);
    let options = |pairs: Vec<(String, String)>, all: &str| {
        let mut v = vec![(String::new(), t(all))];
        v.extend(pairs);
        v
    };
    let axes = options(
        ctx.axes
            .iter()
            .map(|(id, n)| (id.to_string(), n.clone()))
            .collect(),
        "proposals.all_axes",
    );
    let states = options(
        choices(
            &ProposalState::ALL,
            ProposalState::as_str,
            ProposalState::label_key,
        ),
        "proposals.all_states",
    );
    let sectors = options(
        choices(&Sector::ALL, Sector::as_str, Sector::label_key),
        "proposals.all_sectors",
    );
    let sorts = vec![
        ("newest".to_string(), t("proposals.sort_newest")),
        ("supported".to_string(), t("proposals.sort_supported")),
        ("commented".to_string(), t("proposals.sort_commented")),
    ];
    let none = Signal::derive(|| None);
    let pager_query = query.clone();
    let pager_slug = slug.clone();
    view! {
        <PageTitle text=title.clone() />
        <p><a href=format!("/processes/{slug}")>{ctx.process_title.clone()}</a></p>
        <h1>{title}</h1>
        {ctx.intake_open.then(|| view! {
            <p><a href=format!("/processes/{slug}/proposals/new") class="button-link">{t("proposals.submit")}</a></p>
        })}
        <form method="get" action=format!("/processes/{slug}/proposals") class="filters" role="search">
            <div class="field">
                <label for="f-q">{t("proposals.search")}</label>
                <input id="f-q" type="search" name="q" value=query.q.clone() />
            </div>
            <SelectField name="axis" label="field.axis" error=none options=axes value=query.axis.map(|a| a.to_string()).unwrap_or_default() />
            <SelectField name="state" label="field.state" error=none options=states value=query.state.clone().unwrap_or_default() />
            <SelectField name="sector" label="field.sector" error=none options=sectors value=query.sector.clone().unwrap_or_default() />
            <SelectField name="sort" label="field.sort" error=none options=sorts value=query.sort.clone() />
            <button type="submit">{t("action.search")}</button>
        </form>
        <p role="status">{count}</p>
        <ul class="proposal-list">
            {list.page.items.clone().into_iter().map(|p| view! {
                <li class="card">
                    <h2 class="card-title"><a href=format!("/proposals/{}", p.id)>{if p.hidden { t("proposal.hidden_title") } else { p.title.clone() }}</a></h2>
                    <p class="meta">
                        {p.axis.clone()}" · "{credit_text(&p.credit)}" · "{locale.date(&p.created_on)}
                        {(p.state == ProposalState::Withdrawn).then(|| view! { " · "<strong>{t("proposal.state.withdrawn")}</strong> })}
                    </p>
                    <p class="meta">
                        {locale.plural("proposal.supports", p.supports)}" · "
                        {locale.plural("proposal.comments", p.comments)}
                    </p>
                </li>
            }).collect_view()}
        </ul>
        <Pager page=list.page href=move |n| list_href(&pager_slug, &pager_query, n) />
    }
}

#[component]
pub fn NewProposalPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let context = Resource::new(slug, proposal_form);
    let action = form_action::<SubmitProposal>();
    view! {
        <Gate allowed=|_| true>
            <Transition fallback=|| view! { <p>{t("status.loading")}</p> }>
                {move || Suspend::new(async move {
                    match context.await {
                        Err(e) => view! { <PageError error=e /> }.into_any(),
                        Ok(c) if !c.intake_open => view! { <PageError error=AppError::refused("proposal.intake_closed") /> }.into_any(),
                        Ok(c) => view! { <SubmitForm context=c action /> }.into_any(),
                    }
                })}
            </Transition>
        </Gate>
    }
}

#[component]
fn SubmitForm(context: ProposalFormContext, action: ServerAction<SubmitProposal>) -> impl IntoView {
    let error = action_error(action);
    let title = context.process_title.clone();
    let slug = context.process_slug.clone();
    view! {
        <PageTitle text=t("proposal.new") />
        <section class="narrow">
            <p><a href=format!("/processes/{slug}")>{title}</a></p>
            <h1>{t("proposal.new")}</h1>
            <p>{t("proposal.new_intro")}</p>
            <FormMessage error />
            <ActionForm action>
                <input type="hidden" name="slug" value=slug.clone() />
                <ProposalFields context error initial=None />
                <button type="submit">{t("proposal.submit")}</button>
            </ActionForm>
        </section>
    }
}

/// The fields shared by the submission and edit forms, and the list of similar
/// proposals that updates while the title is typed.
#[component]
fn ProposalFields(
    context: ProposalFormContext,
    error: Signal<Option<AppError>>,
    initial: Option<ProposalDetail>,
) -> impl IntoView {
    let axes: Vec<(String, String)> = std::iter::once((String::new(), t("proposal.choose_axis")))
        .chain(
            context
                .axes
                .iter()
                .map(|(id, n)| (id.to_string(), n.clone())),
        )
        .collect();
    let mut orgs = vec![(String::new(), t("proposal.as_resident"))];
    orgs.extend(
        context
            .organizations
            .iter()
            .map(|(id, n)| (id.to_string(), n.clone())),
    );
    let has_orgs = !context.organizations.is_empty();
    let init = initial.clone();
    let value = move |f: fn(&ProposalDetail) -> String| init.as_ref().map(f).unwrap_or_default();
    let similar_found = move || {
        error
            .get()
            .is_some_and(|e| e.message_key() == "proposal.similar_found")
    };
    let own_id = initial.as_ref().map(|p| p.summary.id);
    // After a refused submit without JavaScript the form comes back with what
    // was sent: the server lists the proposals similar to it at once.
    let echoed = |field: &str| {
        error
            .get_untracked()
            .and_then(|e| e.echoed(field).map(str::to_string))
            .unwrap_or_default()
    };
    let show_name = initial.as_ref().is_some_and(|p| p.show_author_name);
    let typed_title = value(|p| p.summary.title.clone());
    let typed_problem = value(|p| p.problem.clone());
    view! {
        <TextField name="title" label="field.title" required=true value=typed_title error />
        <SimilarProposals slug=context.process_slug.clone() title=echoed("title") problem=echoed("problem") own_id />
        <IslandScripts />
        <TextArea name="problem" label="field.problem" required=true hint="proposal.problem_hint" value=typed_problem error />
        <TextArea name="solution" label="field.solution" required=true hint="proposal.solution_hint" value=value(|p| p.solution.clone()) error />
        <SelectField name="axis_id" label="field.axis" options=axes value=value(|p| p.axis_id.to_string()) error />
        {has_orgs.then(|| view! {
            <SelectField name="organization_id" label="field.on_behalf_of" options=orgs value=value(|p| p.organization_id.map(|o| o.to_string()).unwrap_or_default()) error />
        })}
        <div class="field field-check">
            <input type="checkbox" id="f-show_name" name="show_name" value="on" checked=show_name />
            <label for="f-show_name">{t("proposal.show_name")}</label>
        </div>
        <p class="hint">{t("proposal.privacy_hint")}" "<a href="/privacy">{t("footer.privacy")}</a></p>
        {move || similar_found().then(|| view! {
            <div class="field field-check">
                <input type="checkbox" id="f-confirm_similar" name="confirm_similar" value="on" />
                <label for="f-confirm_similar">{t("proposal.confirm_different")}</label>
            </div>
        })}
    }
}

/// The proposals in the process similar to what is typed in the title and the
/// problem, read again as either changes: the one part of the proposal forms
/// that runs in the browser (it listens to the fields the server wrote).
#[island]
fn SimilarProposals(
    slug: String,
    title: String,
    problem: String,
    own_id: Option<i64>,
) -> impl IntoView {
    island_context();
    let title = RwSignal::new(title);
    let problem = RwSignal::new(problem);
    let found = Resource::new(
        move || format!("{} {}", title.get(), problem.get()),
        move |text| {
            let slug = slug.clone();
            async move {
                if text.trim().chars().count() < 4 {
                    Ok(vec![])
                } else {
                    similar_proposals(slug, text).await
                }
            }
        },
    );
    #[cfg(feature = "hydrate")]
    {
        let typing = window_event_listener(leptos::ev::input, move |ev| match typed_field(&ev) {
            Some((name, value)) if name == "title" => title.set(value),
            Some((name, value)) if name == "problem" => problem.set(value),
            _ => {}
        });
        on_cleanup(move || typing.remove());
    }
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let found: Vec<SimilarProposal> = found.await.unwrap_or_default().into_iter().filter(|s| Some(s.id) != own_id).collect();
                (!found.is_empty()).then(|| view! {
                    <aside class="similar" aria-live="polite">
                        <h2>{t("proposal.similar")}</h2>
                        <ul>{found.into_iter().map(|s| view! { <li><a href=format!("/proposals/{}", s.id) target="_blank">{s.title}</a></li> }).collect_view()}</ul>
                    </aside>
                })
            })}
        </Transition>
    }
}

/// (name, value) of the title input or problem textarea an input event came from.
#[cfg(feature = "hydrate")]
fn typed_field(ev: &leptos::ev::Event) -> Option<(String, String)> {
    use wasm_bindgen::JsCast;
    let target = ev.target()?;
    if let Some(input) = target.dyn_ref::<web_sys::HtmlInputElement>() {
        return Some((input.name(), input.value()));
    }
    let area = target.dyn_ref::<web_sys::HtmlTextAreaElement>()?;
    Some((area.name(), area.value()))
}

/// A proposal's page. `trail` is what later stages show of its path (see
/// `trajectory::pages::proposal_trail`), handed in by the router so this module
/// does not depend on them.
#[component]
pub fn ProposalPage(#[prop(optional, into)] trail: Option<ViewFn>) -> impl IntoView {
    let id = path_id("id");
    let support = form_action::<SupportProposal>();
    let withdraw = form_action::<WithdrawProposal>();
    let proposal = Resource::new(
        move || (id(), support.version().get(), withdraw.version().get()),
        |(id, _, _)| get_proposal(id),
    );
    let comments =
        crate::comments::pages::Comments::new(crate::comments::model::SubjectKind::Proposal, id);
    let support_error = action_error(support);
    let withdraw_error = action_error(withdraw);
    view! {
        <FormMessage error=support_error />
        <FormMessage error=withdraw_error />
        <Transition fallback=|| view! { <p>{t("status.loading")}</p> }>
            {move || {
                let trail = trail.clone();
                Suspend::new(async move {
                match proposal.await {
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                    Ok(p) => view! { <ProposalView p support withdraw comments trail /> }.into_any(),
                }
            })
            }}
        </Transition>
    }
}

#[component]
fn ProposalView(
    p: ProposalDetail,
    support: ServerAction<SupportProposal>,
    withdraw: ServerAction<WithdrawProposal>,
    comments: crate::comments::pages::Comments,
    trail: Option<ViewFn>,
) -> impl IntoView {
    let locale = use_locale();
    let s = p.summary.clone();
    if s.hidden {
        return view! {
            <PageTitle text=t("proposal.hidden_title") />
            <article class="proposal">
                <p><a href=format!("/processes/{}/proposals", p.process_slug)>{p.process_title.clone()}</a></p>
                <h1>{t("proposal.hidden_title")}</h1>
                <p class="hidden-note">{t("proposal.hidden_body")}</p>
            </article>
        }
        .into_any();
    }
    let withdrawn = s.state == ProposalState::Withdrawn;
    let report = form_action::<crate::moderation::api::ReportContent>();
    let report_error = action_error(report);
    let reported =
        crate::moderation::pages::reported(report, crate::moderation::model::TargetKind::Proposal);
    // Who is looking comes with the proposal, so nothing here changes while the
    // account menu reloads on navigation.
    let signed_in = p.signed_in;
    let can_change = p.mine && p.intake_open && !withdrawn;
    view! {
        <PageTitle text=s.title.clone() description=p.problem.clone() />
        <article class="proposal">
            <p><a href=format!("/processes/{}/proposals", p.process_slug)>{p.process_title.clone()}</a></p>
            <h1>{s.title.clone()}</h1>
            <p class="meta">
                <span class="badge">{t(&s.state.label_key())}</span>" "
                {s.axis.clone()}" · "{credit_text(&s.credit)}" · "{locale.date(&s.created_on)}
            </p>
            <h2>{t("field.problem")}</h2>
            <p class="prose">{p.problem.clone()}</p>
            <h2>{t("field.solution")}</h2>
            <p class="prose">{p.solution.clone()}</p>
            {p.can_review.then(|| view! {
                <p><a href=format!("/proposals/{}/feasibility", s.id)>{t("feasibility.review_link")}</a></p>
            })}
            <crate::feasibility::pages::PublicAnswers answers=p.answers.clone() />
            {trail.map(|trail| trail.run())}
            <section class="supports" aria-label=t("proposal.supports_label")>
                <p>{locale.plural("proposal.supports", s.supports)}</p>
                {(signed_in && !withdrawn).then(|| {
                    let supported = p.supported_by_me;
                    view! {
                        <ActionForm action=support attr:class="inline-form">
                            <input type="hidden" name="id" value=s.id />
                            {supported.then(|| view! { <input type="hidden" name="remove" value="1" /> })}
                            <button type="submit" aria-pressed=if supported { "true" } else { "false" }>
                                {t(if supported { "proposal.unsupport" } else { "proposal.support" })}
                            </button>
                        </ActionForm>
                    }
                })}
            </section>
            {(signed_in && !p.mine).then(|| view! {
                <FormMessage error=report_error />
                <Notice show=reported key="report.done" />
                <crate::moderation::pages::ReportForm kind=crate::moderation::model::TargetKind::Proposal id=s.id action=report />
            })}
            {can_change.then(|| view! {
                <section class="author-actions">
                    <a href=format!("/proposals/{}/edit", s.id)>{t("proposal.edit")}</a>
                    <ActionForm action=withdraw attr:class="inline-form">
                        <input type="hidden" name="id" value=s.id />
                        <button type="submit" class="secondary">{t("proposal.withdraw")}</button>
                    </ActionForm>
                </section>
            })}
            <crate::comments::pages::CommentsSection
                comments
                subject_id=s.id
                open=!withdrawn
                signed_in
            />
            <h2>{t("proposal.history")}</h2>
            <crate::feasibility::pages::History events=p.history.clone() />
        </article>
    }
    .into_any()
}

#[component]
pub fn EditProposalPage() -> impl IntoView {
    let id = path_id("id");
    let data = Resource::new(id, |id| async move {
        let p = get_proposal(id).await?;
        let context = proposal_form(p.process_slug.clone()).await?;
        Ok::<_, AppError>((p, context))
    });
    let action = form_action::<EditProposal>();
    view! {
        <Gate allowed=|_| true>
            <Transition fallback=|| view! { <p>{t("status.loading")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <PageError error=e /> }.into_any(),
                        Ok((p, _)) if !p.mine => view! { <PageError error=AppError::Forbidden /> }.into_any(),
                        Ok((p, c)) => view! { <EditForm p context=c action /> }.into_any(),
                    }
                })}
            </Transition>
        </Gate>
    }
}

#[component]
fn EditForm(
    p: ProposalDetail,
    context: ProposalFormContext,
    action: ServerAction<EditProposal>,
) -> impl IntoView {
    let error = action_error(action);
    let id = p.summary.id;
    view! {
        <PageTitle text=t("proposal.edit") />
        <section class="narrow">
            <h1>{t("proposal.edit")}</h1>
            <FormMessage error />
            <ActionForm action>
                <input type="hidden" name="id" value=id />
                <ProposalFields context error initial=Some(p) />
                <button type="submit">{t("action.save")}</button>
            </ActionForm>
            <p><a href=format!("/proposals/{id}")>{t("action.cancel")}</a></p>
        </section>
    }
}
