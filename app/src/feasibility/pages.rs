//! Feasibility pages: the team's routing page of a process, an agency's page with
//! its meetings, the review page of one proposal (verdicts, re-routing, history)
//! and an agency member's queue. All of them work without JavaScript.
use super::api::*;
use super::model::*;
use crate::accounts::model::CurrentUser;
use crate::i18n::{t, use_locale};
use crate::proposals::model::ProposalEvent;
use crate::ui::*;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

fn routing_query() -> Memo<RoutingQuery> {
    let query = use_query_map();
    Memo::new(move |_| {
        let q = query.read();
        let number = |k: &str| q.get(k).and_then(|v| v.parse().ok());
        RoutingQuery {
            q: q.get("q").unwrap_or_default(),
            axis: number("axis"),
            agency: number("agency"),
            status: q
                .get("status")
                .filter(|s| ROUTING_FILTERS.contains(&s.as_str()))
                .unwrap_or_else(|| "all".into()),
            page: number("page").unwrap_or(1),
        }
    })
}

fn routing_href(slug: &str, q: &RoutingQuery, page: i64) -> String {
    let mut href = format!(
        "/processes/{slug}/feasibility?status={}&q={}",
        q.status,
        urlencode(&q.q)
    );
    if let Some(a) = q.axis {
        href.push_str(&format!("&axis={a}"));
    }
    if let Some(a) = q.agency {
        href.push_str(&format!("&agency={a}"));
    }
    href.push_str(&format!("&page={page}"));
    href
}

/// "Vencida", "Pendiente", "Factible"...: an assignment's state in a few words.
fn state_text(status: AssignmentStatus, verdict: Option<Verdict>, overdue: bool) -> String {
    match (verdict, overdue) {
        (Some(v), _) => t(&v.label_key()),
        (None, true) => t("assignment.overdue"),
        (None, false) => t(&status.label_key()),
    }
}

#[component]
pub fn RoutingPage() -> impl IntoView {
    view! { <Gate allowed=CurrentUser::is_facilitator><Routing /></Gate> }
}

#[component]
fn Routing() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let query = routing_query();
    let assign = form_action::<AssignProposals>();
    let publish = form_action::<PublishAnswers>();
    let held = form_action::<SetAnswerPublication>();
    let board = Resource::new(
        move || {
            (
                slug(),
                query.get(),
                assign.version().get(),
                publish.version().get(),
                held.version().get(),
            )
        },
        |(slug, q, ..)| get_routing_board(slug, q),
    );
    let error = action_error(assign);
    let publish_error = action_error(publish);
    let held_error = action_error(held);
    let assigned = Signal::derive(move || assign.value().get().and_then(|r| r.ok()));
    view! {
        <FormMessage error=publish_error />
        <FormMessage error=held_error />
        <Transition fallback=|| view! { <p>{t("status.loading")}</p> }>
            {move || Suspend::new(async move {
                match board.await {
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                    Ok(b) => view! { <Board b query=query.get_untracked() assign publish held error assigned /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Board(
    b: RoutingBoard,
    query: RoutingQuery,
    assign: ServerAction<AssignProposals>,
    publish: ServerAction<PublishAnswers>,
    held: ServerAction<SetAnswerPublication>,
    error: Signal<Option<crate::error::AppError>>,
    assigned: Signal<Option<i64>>,
) -> impl IntoView {
    let locale = use_locale();
    let slug = b.slug.clone();
    let title = locale.tf("feasibility.routing_title", &[("process", &b.title)]);
    let none = Signal::derive(|| None);
    let with_all = |all: &str, items: &[(i64, String)]| {
        std::iter::once((String::new(), t(all)))
            .chain(items.iter().map(|(id, n)| (id.to_string(), n.clone())))
            .collect::<Vec<_>>()
    };
    let statuses: Vec<(String, String)> = ROUTING_FILTERS
        .iter()
        .map(|s| (s.to_string(), t(&format!("feasibility.filter.{s}"))))
        .collect();
    let publication = match (&b.feasibility, b.answers_held) {
        (Some(stage), true) => locale.tf(
            "feasibility.held_until",
            &[("date", &locale.date(&stage.ends_on))],
        ),
        (None, true) => t("feasibility.held_manual"),
        (_, false) => t("feasibility.published_at_once"),
    };
    let pager_slug = slug.clone();
    let pager_query = query.clone();
    let publish_slug = slug.clone();
    let held_slug = slug.clone();
    let assign_slug = slug.clone();
    let rows = b.page.items.clone();
    let pager = b.page.clone();
    let l_slug = slug.clone();
    let unanswered = locale.plural("feasibility.unanswered", b.unanswered);
    let count = locale.plural("proposals.count", b.page.total);
    view! {
        <PageTitle text=title.clone() />
        <p><a href=format!("/processes/{slug}")>{b.title.clone()}</a></p>
        <h1>{title}</h1>
        <section aria-labelledby="publication-h">
            <h2 id="publication-h">{t("feasibility.publication")}</h2>
            <p>{publication}</p>
            <ActionForm action=held attr:class="inline-form">
                <input type="hidden" name="slug" value=held_slug />
                {(!b.answers_held).then(|| view! { <input type="hidden" name="held" value="1" /> })}
                <button type="submit" class="secondary">
                    {t(if b.answers_held { "feasibility.release" } else { "feasibility.hold" })}
                </button>
            </ActionForm>
            {(b.held > 0).then(|| view! {
                <ActionForm action=publish attr:class="inline-form">
                    <input type="hidden" name="slug" value=publish_slug />
                    <button type="submit">{locale.plural("feasibility.publish_held", b.held)}</button>
                </ActionForm>
            })}
            <p><a href=format!("/processes/{slug}/feasibility?status=unpublished")>{unanswered}</a></p>
        </section>
        <table class="data-table">
            <caption>{t("feasibility.load_caption")}</caption>
            <thead><tr>
                <th scope="col">{t("feasibility.agency")}</th>
                <th scope="col">{t("assignment.status.pending")}</th>
                <th scope="col">{t("assignment.overdue")}</th>
                <th scope="col">{t("assignment.status.answered")}</th>
                <th scope="col">{t("assignment.status.returned")}</th>
            </tr></thead>
            <tbody>
                {b.load.clone().into_iter().map(|l| view! {
                    <tr>
                        <th scope="row"><a href=format!("/processes/{}/feasibility/agencies/{}", l_slug.clone(), l.agency_id)>{l.agency.clone()}</a></th>
                        <td>{locale.number(l.pending)}</td>
                        <td>{locale.number(l.overdue)}</td>
                        <td>{locale.number(l.answered)}</td>
                        <td>{locale.number(l.returned)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        <h2>{t("feasibility.proposals")}</h2>
        <form method="get" action=format!("/processes/{slug}/feasibility") class="filters" role="search">
            <div class="field">
                <label for="f-q">{t("proposals.search")}</label>
                <input id="f-q" type="search" name="q" value=query.q.clone() />
            </div>
            <SelectField name="status" label="field.state" error=none options=statuses value=query.status.clone() />
            <SelectField name="axis" label="field.axis" error=none options=with_all("proposals.all_axes", &b.axes) value=query.axis.map(|a| a.to_string()).unwrap_or_default() />
            <SelectField name="agency" label="feasibility.agency" error=none options=with_all("feasibility.all_agencies", &b.agencies) value=query.agency.map(|a| a.to_string()).unwrap_or_default() />
            <button type="submit">{t("action.search")}</button>
        </form>
        <p role="status">{count}</p>
        <Notice show=Signal::derive(move || assigned.get().is_some()) key="feasibility.assigned" />
        <FormMessage error />
        <ActionForm action=assign attr:class="routing-form">
            <input type="hidden" name="slug" value=assign_slug />
            <table class="data-table">
                <caption>{t("feasibility.select_caption")}</caption>
                <thead><tr>
                    <th scope="col">{t("feasibility.select")}</th>
                    <th scope="col">{t("feasibility.proposal")}</th>
                    <th scope="col">{t("field.axis")}</th>
                    <th scope="col">{t("feasibility.assigned_to")}</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|row| {
                        let check = format!("pick-{}", row.proposal_id);
                        view! {
                            <tr>
                                <td>
                                    <input type="checkbox" id=check.clone() name="proposal_ids[]" value=row.proposal_id />
                                    <label for=check class="visually-hidden">{format!("{}: {}", t("feasibility.select"), row.title)}</label>
                                </td>
                                <td><a href=format!("/proposals/{}/feasibility", row.proposal_id)>{row.title.clone()}</a></td>
                                <td>{row.axis.clone()}</td>
                                <td>
                                    <ul class="plain-list">
                                        {row.assignments.into_iter().map(|a| view! {
                                            <li>
                                                {a.agency.clone()}": "
                                                <span class="badge" class:overdue=a.overdue>{state_text(a.status, a.verdict, a.overdue)}</span>
                                                " "{locale.tf("feasibility.due", &[("date", &locale.date(&a.due_on))])}
                                                {(a.verdict.is_some() && !a.published).then(|| view! { " · "{t("feasibility.held")} })}
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <FieldError id="f-proposal_ids".to_string() name="proposal_ids" error />
            <fieldset>
                <legend>{t("feasibility.assign_selected")}</legend>
                <CheckList name="agency_ids[]" legend="feasibility.agencies" items=b.agencies.clone() error />
                <TextField name="due_on" label="feasibility.due_on" kind="date" required=true error />
                <TextArea name="note" label="feasibility.note" rows=2 error />
                <button type="submit">{t("feasibility.assign")}</button>
            </fieldset>
        </ActionForm>
        <Pager page=pager href=move |n| routing_href(&pager_slug, &pager_query, n) />
    }
}

#[component]
pub fn ReviewPage() -> impl IntoView {
    let id = path_id("id");
    let answer = form_action::<AnswerProposal>();
    let reassign = form_action::<ReassignProposal>();
    let review = Resource::new(
        move || (id(), answer.version().get(), reassign.version().get()),
        |(id, ..)| feasibility_review(id),
    );
    let comments =
        crate::comments::pages::Comments::new(crate::comments::model::SubjectKind::Proposal, id);
    view! {
        <Gate allowed=|_| true>
            <Transition fallback=|| view! { <p>{t("status.loading")}</p> }>
                {move || Suspend::new(async move {
                    match review.await {
                        Err(e) => view! { <PageError error=e /> }.into_any(),
                        Ok(r) => view! { <ReviewView r answer reassign comments /> }.into_any(),
                    }
                })}
            </Transition>
        </Gate>
    }
}

#[component]
fn ReviewView(
    r: Review,
    answer: ServerAction<AnswerProposal>,
    reassign: ServerAction<ReassignProposal>,
    comments: crate::comments::pages::Comments,
) -> impl IntoView {
    let locale = use_locale();
    let title = locale.tf("feasibility.review_title", &[("title", &r.title)]);
    let answer_error = action_error(answer);
    let reassign_error = action_error(reassign);
    let answered = action_done(answer);
    let reassigned = action_done(reassign);
    let id = r.proposal_id;
    let agencies = r.agencies.clone();
    let can_route = r.can_route;
    view! {
        <PageTitle text=title.clone() />
        <article class="proposal">
            <p>
                <a href=format!("/processes/{}/proposals", r.process_slug)>{r.process_title.clone()}</a>
                {can_route.then(|| view! { " · "<a href=format!("/processes/{}/feasibility", r.process_slug)>{t("feasibility.routing_link")}</a> })}
            </p>
            <h1>{title}</h1>
            <p class="meta">{r.axis.clone()}" · "<a href=format!("/proposals/{id}")>{t("feasibility.public_page")}</a></p>
            <h2>{t("field.problem")}</h2>
            <p class="prose">{r.problem.clone()}</p>
            <h2>{t("field.solution")}</h2>
            <p class="prose">{r.solution.clone()}</p>
            <h2>{t("feasibility.assignments")}</h2>
            <FormMessage error=answer_error />
            <Notice show=answered key="feasibility.answer_saved" />
            <FormMessage error=reassign_error />
            <Notice show=reassigned key="feasibility.reassigned" />
            {r.assignments.is_empty().then(|| view! { <p>{t("feasibility.not_routed")}</p> })}
            {r.assignments.iter().map(|a| view! {
                <AssignmentCard a=a.clone() proposal_id=id answer reassign can_route agencies=agencies.clone() />
            }).collect_view()}
            <h2>{t("proposal.history")}</h2>
            <History events=r.history.clone() />
            <crate::comments::pages::CommentsSection
                comments
                subject_id=id
                open=!r.withdrawn
                signed_in=true
            />
        </article>
    }
}

#[component]
fn AssignmentCard(
    a: AssignmentDetail,
    proposal_id: i64,
    answer: ServerAction<AnswerProposal>,
    reassign: ServerAction<ReassignProposal>,
    can_route: bool,
    agencies: Vec<(i64, String)>,
) -> impl IntoView {
    let locale = use_locale();
    let prefix = format!("a{}-", a.id);
    let heading = format!("{prefix}h");
    let heading_ref = heading.clone();
    let p1 = prefix.clone();
    let p2 = format!("{prefix}r-");
    let answer_error = action_error(answer);
    let reassign_error = action_error(reassign);
    let movable = matches!(
        a.status,
        AssignmentStatus::Pending | AssignmentStatus::Returned
    );
    let verdicts = choices(&Verdict::ALL, Verdict::as_str, Verdict::label_key);
    let verdicts: Vec<(String, String)> =
        std::iter::once((String::new(), t("feasibility.choose_verdict")))
            .chain(verdicts)
            .collect();
    let willing = vec![
        (String::new(), t("feasibility.choose_willing")),
        ("yes".to_string(), t("feasibility.willing_yes")),
        ("no".to_string(), t("feasibility.willing_no")),
    ];
    let other_agencies: Vec<(String, String)> =
        std::iter::once((String::new(), t("feasibility.choose_agency")))
            .chain(
                agencies
                    .iter()
                    .filter(|(id, _)| *id != a.agency_id)
                    .map(|(id, n)| (id.to_string(), n.clone())),
            )
            .collect();
    view! {
        <section class="card assignment" aria-labelledby=heading_ref>
            <h3 id=heading>{a.agency.clone()}</h3>
            <p class="meta">
                <span class="badge">{state_text(a.status, a.verdict, a.overdue)}</span>" "
                {(a.status == AssignmentStatus::Reassigned).then(|| view! { {t("assignment.status.reassigned")}" · " })}
                {locale.tf("feasibility.due", &[("date", &locale.date(&a.due_on))])}
            </p>
            {(!a.note.is_empty()).then(|| view! { <p><strong>{t("feasibility.note")}": "</strong>{a.note.clone()}</p> })}
            {a.verdict.map(|v| view! {
                <dl class="answer">
                    <dt>{t("feasibility.verdict")}</dt><dd>{t(&v.label_key())}</dd>
                    <dt>{t("feasibility.willing")}</dt>
                    <dd>{t(if a.willing == Some(true) { "feasibility.willing_yes" } else { "feasibility.willing_no" })}</dd>
                    <dt>{t("feasibility.public_answer")}</dt><dd class="prose">{a.public_answer.clone()}</dd>
                    <dt>{t("feasibility.private_notes")}</dt><dd class="prose">{a.private_notes.clone()}</dd>
                    <dt>{t("feasibility.answered_by")}</dt>
                    <dd>{a.answered_by.clone().unwrap_or_default()}" · "{a.answered_on.as_deref().map(|d| locale.date(d)).unwrap_or_default()}</dd>
                    <dt>{t("feasibility.publication")}</dt>
                    <dd>{match &a.published_on {
                        Some(d) => locale.tf("feasibility.published_on", &[("date", &locale.date(d))]),
                        None => t("feasibility.held"),
                    }}</dd>
                </dl>
            })}
            {a.can_answer.then(|| view! {
                <ActionForm action=answer attr:class="answer-form">
                    <input type="hidden" name="proposal_id" value=proposal_id />
                    <input type="hidden" name="agency_id" value=a.agency_id />
                    <input type="hidden" name="version" value=a.version />
                    <SelectField name="verdict" label="feasibility.verdict" options=verdicts value=a.verdict.map(|v| v.as_str().to_string()).unwrap_or_default() error=answer_error id_prefix=p1.clone() />
                    <SelectField name="willing" label="feasibility.willing" options=willing value=a.willing.map(|w| if w { "yes" } else { "no" }.to_string()).unwrap_or_default() error=answer_error id_prefix=p1.clone() />
                    <TextArea name="public_answer" label="feasibility.public_answer" hint="feasibility.public_answer_hint" required=true value=a.public_answer.clone() error=answer_error id_prefix=p1.clone() />
                    <TextArea name="private_notes" label="feasibility.private_notes" hint="feasibility.private_notes_hint" rows=3 value=a.private_notes.clone() error=answer_error id_prefix=p1.clone() />
                    <button type="submit">{t("feasibility.save_answer")}</button>
                </ActionForm>
            })}
            {(can_route && movable).then(|| view! {
                <details class="reassign">
                    <summary>{t("feasibility.reassign")}</summary>
                    <ActionForm action=reassign>
                        <input type="hidden" name="assignment_id" value=a.id />
                        <SelectField name="agency_id" label="feasibility.agency" options=other_agencies error=reassign_error id_prefix=p2.clone() />
                        <TextField name="due_on" label="feasibility.due_on" kind="date" required=true error=reassign_error id_prefix=p2.clone() />
                        <TextArea name="note" label="feasibility.note" rows=2 error=reassign_error id_prefix=p2.clone() />
                        <button type="submit">{t("feasibility.reassign")}</button>
                    </ActionForm>
                </details>
            })}
        </section>
    }
}

/// A proposal's history; with actors in the team's view.
#[component]
pub fn History(events: Vec<ProposalEvent>) -> impl IntoView {
    let locale = use_locale();
    view! {
        <ol class="history">
            {events.into_iter().map(|e| view! {
                <li>{locale.date(&e.on)}": "{event_text(&e)}
                    {event_link(&e).map(|href| view! { " "<a href=href>{t("proposal.event.see")}</a> })}</li>
            }).collect_view()}
        </ol>
    }
}

/// What a step of a proposal's history says: the event, its agency, the
/// verdict and (for the team) who took it.
pub fn event_text(e: &ProposalEvent) -> String {
    let mut text = t(&format!("proposal.event.{}", e.event));
    if let Some(agency) = &e.agency {
        text = format!("{text}: {agency}");
    }
    if let Some(v) = Verdict::parse(&e.detail) {
        text = format!("{text} ({})", t(&v.label_key()));
    }
    if let Some(actor) = &e.actor {
        text = format!("{text} · {actor}");
    }
    text
}

/// Where a step that names another proposal leads (carried in from, or over
/// to): that proposal's page.
pub fn event_link(e: &ProposalEvent) -> Option<String> {
    matches!(e.event.as_str(), "carried_in" | "carried_over")
        .then(|| e.detail.parse::<i64>().ok())
        .flatten()
        .map(|id| format!("/proposals/{id}"))
}

/// The published answers on a proposal's public page.
#[component]
pub fn PublicAnswers(answers: Vec<PublicAnswer>) -> impl IntoView {
    let locale = use_locale();
    view! {
        <section class="answers" aria-labelledby="answers-h">
            <h2 id="answers-h">{t("feasibility.answers")}</h2>
            {answers.is_empty().then(|| view! { <p>{t("feasibility.no_answer_yet")}</p> })}
            {answers.into_iter().map(|a| view! {
                <article class="card">
                    <h3>{a.agency.clone()}</h3>
                    <p class="meta">
                        <span class="badge">{t(&a.verdict.label_key())}</span>" · "
                        {t(if a.willing { "feasibility.joins_roundtable" } else { "feasibility.not_joining_roundtable" })}" · "
                        {locale.date(&a.on)}
                    </p>
                    <p class="prose">{a.answer.clone()}</p>
                </article>
            }).collect_view()}
        </section>
    }
}

#[component]
pub fn QueuePage() -> impl IntoView {
    view! { <Gate allowed=CurrentUser::is_agency_member><Queue /></Gate> }
}

#[component]
fn Queue() -> impl IntoView {
    let query = use_query_map();
    let page = page_param();
    let status = move || {
        query
            .read()
            .get("status")
            .filter(|s| QUEUE_FILTERS.contains(&s.as_str()))
            .unwrap_or_else(|| "pending".into())
    };
    let rows = Resource::new(
        move || QueueQuery {
            status: status(),
            page: page(),
        },
        agency_queue,
    );
    view! {
        <PageTitle text=t("queue.title") />
        <h1>{t("queue.title")}</h1>
        <nav class="tabs" aria-label=t("queue.filters")>
            {QUEUE_FILTERS.iter().map(|f| {
                let current = move || (status() == *f).then_some("page");
                view! { <a href=format!("/feasibility?status={f}") aria-current=current>{t(&format!("feasibility.filter.{f}"))}</a> }
            }).collect_view()}
        </nav>
        <Transition fallback=|| view! { <p>{t("status.loading")}</p> }>
            {move || Suspend::new(async move {
                let locale = use_locale();
                match rows.await {
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                    Ok(p) if p.items.is_empty() => view! { <p>{t("queue.empty")}</p> }.into_any(),
                    Ok(p) => {
                        let filter = status();
                        view! {
                            <table class="data-table">
                                <caption>{locale.plural("queue.caption", p.total)}</caption>
                                <thead><tr>
                                    <th scope="col">{t("feasibility.proposal")}</th>
                                    <th scope="col">{t("queue.process")}</th>
                                    <th scope="col">{t("feasibility.agency")}</th>
                                    <th scope="col">{t("feasibility.due_on")}</th>
                                    <th scope="col">{t("field.state")}</th>
                                </tr></thead>
                                <tbody>
                                    {p.items.clone().into_iter().map(|row| view! {
                                        <tr>
                                            <td><a href=format!("/proposals/{}/feasibility", row.proposal_id)>{row.title.clone()}</a></td>
                                            <td>{row.process_title.clone()}</td>
                                            <td>{row.agency.clone()}</td>
                                            <td>{locale.date(&row.due_on)}</td>
                                            <td><span class="badge">{state_text(row.status, row.verdict, row.overdue)}</span></td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <Pager page=p href=move |n| format!("/feasibility?status={filter}&page={n}") />
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
pub fn AgencyPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let agency = path_id("agency_id");
    let page = page_param();
    let log = form_action::<LogMeeting>();
    let overview = Resource::new(
        move || (slug(), agency(), page(), log.version().get()),
        |(slug, agency, page, _)| get_agency_overview(slug, agency, page),
    );
    view! {
        <Gate allowed=|_| true>
            <Transition fallback=|| view! { <p>{t("status.loading")}</p> }>
                {move || Suspend::new(async move {
                    match overview.await {
                        Err(e) => view! { <PageError error=e /> }.into_any(),
                        Ok(o) => view! { <AgencyView o log /> }.into_any(),
                    }
                })}
            </Transition>
        </Gate>
    }
}

#[component]
fn AgencyView(o: AgencyOverview, log: ServerAction<LogMeeting>) -> impl IntoView {
    let locale = use_locale();
    let error = action_error(log);
    let logged = action_done(log);
    let slug = o.slug.clone();
    let agency_id = o.agency_id;
    let l = o.load.clone();
    let stats = [
        ("assignment.status.pending", l.pending),
        ("assignment.overdue", l.overdue),
        ("assignment.status.answered", l.answered),
        ("assignment.status.returned", l.returned),
    ];
    view! {
        <PageTitle text=o.agency.clone() />
        <p><a href=format!("/processes/{slug}/feasibility?agency={agency_id}")>{o.process_title.clone()}</a></p>
        <h1>{o.agency.clone()}</h1>
        <dl class="stats">
            {stats.into_iter().map(|(key, n)| view! { <div><dt>{t(key)}</dt><dd>{locale.number(n)}</dd></div> }).collect_view()}
        </dl>
        <h2>{t("meeting.title")}</h2>
        {o.meetings.items.is_empty().then(|| view! { <p>{t("meeting.none")}</p> })}
        <ul class="plain-list">
            {o.meetings.items.clone().into_iter().map(|m| view! {
                <li class="card">
                    <h3>{locale.date(&m.held_on)}</h3>
                    <p><strong>{t("meeting.attendees")}": "</strong>{m.attendees.clone()}</p>
                    <p class="prose">{m.minutes.clone()}</p>
                    {(!m.proposals.is_empty()).then(|| view! {
                        <p><strong>{t("meeting.proposals")}": "</strong></p>
                        <ul>
                            {m.proposals.clone().into_iter().map(|(id, title)| view! { <li><a href=format!("/proposals/{id}/feasibility")>{title}</a></li> }).collect_view()}
                        </ul>
                    })}
                    <p class="meta">{locale.tf("meeting.logged_by", &[("name", m.logged_by.as_deref().unwrap_or(""))])}</p>
                </li>
            }).collect_view()}
        </ul>
        <Pager page=o.meetings.clone() href=move |n| format!("/processes/{}/feasibility/agencies/{agency_id}?page={n}", o.slug) />
        {o.can_log.then(|| view! {
            <section class="narrow" aria-labelledby="log-h">
                <h2 id="log-h">{t("meeting.log")}</h2>
                <FormMessage error />
                <Notice show=logged key="meeting.logged" />
                <ActionForm action=log>
                    <input type="hidden" name="slug" value=slug.clone() />
                    <input type="hidden" name="agency_id" value=agency_id />
                    <TextField name="held_on" label="meeting.held_on" kind="date" required=true value=o.today.clone() error />
                    <TextArea name="attendees" label="meeting.attendees" rows=2 required=true error />
                    <TextArea name="minutes" label="meeting.minutes" rows=6 required=true error />
                    {(!o.assigned.is_empty()).then(|| view! {
                        <CheckList name="proposal_ids[]" legend="meeting.proposals" items=o.assigned.clone() error />
                    })}
                    <button type="submit">{t("meeting.save")}</button>
                </ActionForm>
            </section>
        })}
    }
}
