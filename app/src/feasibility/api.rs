//! Server functions for feasibility: routing, the agencies' queue and verdicts,
//! meetings, and publication of the answers.
use super::model::*;
use crate::error::AppError;
use crate::paging::Page;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{rules, store},
    crate::{ctx, processes::model::Stage, validate::Form},
};

/// A due date: a real date, not before today.
#[cfg(feature = "ssr")]
fn due_date(form: &mut Form, value: &str, today: &str) -> String {
    let due = form.date("due_on", value);
    if !form.has_error("due_on") && due.as_str() < today {
        form.error("due_on", "validation.date_past");
    }
    due
}

#[server(prefix = "/api", endpoint = "routing_board")]
pub async fn get_routing_board(
    slug: String,
    query: RoutingQuery,
) -> Result<RoutingBoard, AppError> {
    let state = ctx::state()?;
    rules::route(ctx::user().as_ref())?;
    let p = crate::processes::store::require(&state, &slug).await?;
    let today = ctx::today(&state.settings);
    let db = &state.db;
    let (unanswered, held) = store::publication_counts(db, p.id).await?;
    let load = store::load(db, p.id, &today, None).await?;
    Ok(RoutingBoard {
        process_id: p.id,
        answers_held: store::answers_held(db, p.id).await?,
        feasibility: p
            .stages
            .iter()
            .find(|s| s.stage == Stage::Feasibility)
            .cloned(),
        agencies: load
            .iter()
            .map(|l| (l.agency_id, l.agency.clone()))
            .collect(),
        load,
        axes: p.axes.into_iter().map(|a| (a.id, a.name)).collect(),
        page: store::routing_page(db, p.id, &query, &today).await?,
        unanswered,
        held,
        today,
        slug: p.slug,
        title: p.title,
    })
}

/// Assigns the chosen proposals to the chosen agencies, with a due date and a note.
#[server(prefix = "/api", endpoint = "assign_proposals")]
pub async fn assign_proposals(
    slug: String,
    proposal_ids: Option<Vec<i64>>,
    agency_ids: Option<Vec<i64>>,
    due_on: String,
    note: String,
) -> Result<i64, AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    let user = rules::route(user.as_ref())?;
    let p = crate::processes::store::require(&state, &slug).await?;
    let today = ctx::today(&state.settings);
    let mut form = Form::new();
    let due_on = due_date(&mut form, &due_on, &today);
    let note = form.optional("note", &note, NOTE_MAX).unwrap_or_default();
    let proposal_ids = proposal_ids.unwrap_or_default();
    let agency_ids = agency_ids.unwrap_or_default();
    if proposal_ids.is_empty() {
        form.error("proposal_ids", "feasibility.choose_proposals");
    }
    let agencies = store::existing_agencies(&state.db, &agency_ids).await?;
    if agencies.is_empty() || agencies.len() != agency_ids.len() {
        form.error("agency_ids", "feasibility.choose_agencies");
    }
    form.finish()?;
    let standing = store::standing_in_process(&state.db, p.id, &proposal_ids).await?;
    if standing.len() != proposal_ids.len() {
        return Err(AppError::refused("feasibility.not_standing"));
    }
    let routing = store::Routing {
        due_on: &due_on,
        note: &note,
        actor: user.id,
    };
    let made = store::assign(
        &state.db,
        &state.settings.base_url,
        (p.id, &p.title),
        &standing,
        &agencies,
        &routing,
    )
    .await?;
    state.mail_queued();
    Ok(made)
}

/// Moves a pending or returned assignment to another agency.
#[server(prefix = "/api", endpoint = "reassign_proposal")]
pub async fn reassign_proposal(
    assignment_id: i64,
    agency_id: String,
    due_on: String,
    note: String,
) -> Result<(), AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    let user = rules::route(user.as_ref())?;
    let today = ctx::today(&state.settings);
    let mut form = Form::new();
    let due_on = due_date(&mut form, &due_on, &today);
    let note = form.optional("note", &note, NOTE_MAX).unwrap_or_default();
    form.optional("agency_id", &agency_id, 20);
    let agency = agency_id.trim().parse::<i64>().ok();
    let agency = match agency {
        Some(a) if store::existing_agencies(&state.db, &[a]).await?.len() == 1 => a,
        _ => {
            form.error("agency_id", "validation.choice");
            0
        }
    };
    form.finish()?;
    let routing = store::Routing {
        due_on: &due_on,
        note: &note,
        actor: user.id,
    };
    let outcome = store::reassign(
        &state.db,
        &state.settings.base_url,
        assignment_id,
        agency,
        &routing,
    )
    .await?;
    state.mail_queued();
    match outcome {
        store::Reassigned::Done => Ok(()),
        store::Reassigned::NotFound => Err(AppError::NotFound),
        store::Reassigned::NotReassignable => {
            Err(AppError::refused("feasibility.not_reassignable"))
        }
        store::Reassigned::SameAgency => Err(AppError::refused("feasibility.same_agency")),
        store::Reassigned::AlreadyAssigned => {
            Err(AppError::refused("feasibility.already_assigned"))
        }
    }
}

/// An agency member's verdict. `version` is the one the form was loaded with: if
/// someone changed the answer since, nothing is overwritten.
#[server(prefix = "/api", endpoint = "answer_proposal")]
#[allow(clippy::too_many_arguments)]
pub async fn answer_proposal(
    proposal_id: i64,
    agency_id: i64,
    verdict: String,
    willing: String,
    public_answer: String,
    private_notes: String,
    version: i64,
) -> Result<(), AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    let user = rules::answer(user.as_ref(), agency_id)?;
    let mut form = Form::new();
    let all: Vec<&str> = Verdict::ALL.iter().map(|v| v.as_str()).collect();
    form.choice("verdict", &verdict, &all);
    form.choice("willing", &willing, &["yes", "no"]);
    let public_answer = form.required("public_answer", &public_answer, ANSWER_MAX);
    let private_notes = form
        .optional("private_notes", &private_notes, ANSWER_MAX)
        .unwrap_or_default();
    form.check()?;
    let answer = store::Answer {
        verdict: Verdict::parse(&verdict).ok_or(AppError::BadRequest)?,
        willing: willing == "yes",
        public_answer,
        private_notes,
    };
    let outcome = store::answer(
        &state.db,
        &state.settings.base_url,
        proposal_id,
        agency_id,
        version,
        &answer,
        user.id,
        &ctx::today(&state.settings),
    )
    .await?;
    match outcome {
        store::Answered::Saved { .. } => {
            state.mail_queued();
            Ok(())
        }
        store::Answered::NotAssigned => Err(AppError::refused("feasibility.not_assigned")),
        // What was typed comes back with the refusal; the page shows the answer
        // recorded meanwhile.
        store::Answered::Stale => Err(form.refuse("feasibility.stale")),
    }
}

/// Holds answers until the feasibility stage closes (`held` present), or
/// publishes them at once (releasing any held ones).
#[server(prefix = "/api", endpoint = "set_answer_publication")]
pub async fn set_answer_publication(slug: String, held: Option<String>) -> Result<(), AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    let user = rules::route(user.as_ref())?;
    let p = crate::processes::store::require(&state, &slug).await?;
    store::set_held(
        &state.db,
        &state.settings.base_url,
        p.id,
        held.is_some(),
        user.id,
    )
    .await?;
    state.mail_queued();
    Ok(())
}

/// Publishes every held answer of the process now; returns how many.
#[server(prefix = "/api", endpoint = "publish_answers")]
pub async fn publish_answers(slug: String) -> Result<i64, AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    let user = rules::route(user.as_ref())?;
    let p = crate::processes::store::require(&state, &slug).await?;
    let n = store::publish_held(&state.db, &state.settings.base_url, p.id, Some(user.id)).await?;
    state.mail_queued();
    Ok(n)
}

#[server(prefix = "/api", endpoint = "feasibility_review")]
pub async fn feasibility_review(proposal_id: i64) -> Result<Review, AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    let db = &state.db;
    let involved = store::agencies_involved(db, proposal_id).await?;
    let user = rules::review(user.as_ref(), &involved)?;
    let today = ctx::today(&state.settings);
    let offset = state.settings.utc_offset_minutes;
    let p = crate::proposals::store::detail(db, proposal_id, Some(user.id), &today, offset)
        .await?
        .ok_or(AppError::NotFound)?;
    let can_route = user.is_facilitator();
    let agencies = if can_route {
        crate::accounts::store::directory(db)
            .await?
            .agencies
            .into_iter()
            .map(|a| (a.id, a.name))
            .collect()
    } else {
        vec![]
    };
    Ok(Review {
        proposal_id,
        title: p.summary.title,
        problem: p.problem,
        solution: p.solution,
        axis: p.summary.axis,
        withdrawn: p.summary.state == crate::proposals::model::ProposalState::Withdrawn,
        process_slug: p.process_slug,
        process_title: p.process_title,
        assignments: store::assignments(db, proposal_id, &user.agency_ids, &today, offset).await?,
        history: crate::proposals::store::history(db, proposal_id, true, offset).await?,
        can_route,
        agencies,
        today,
    })
}

/// The proposals assigned to the agencies of the person asking.
#[server(prefix = "/api", endpoint = "agency_queue")]
pub async fn agency_queue(query: QueueQuery) -> Result<Page<QueueRow>, AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    let user = rules::queue(user.as_ref())?;
    let today = ctx::today(&state.settings);
    store::queue(&state.db, &user.agency_ids, &query, &today).await
}

#[server(prefix = "/api", endpoint = "agency_overview")]
pub async fn get_agency_overview(
    slug: String,
    agency_id: i64,
    page: i64,
) -> Result<AgencyOverview, AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    let user = rules::agency_page(user.as_ref(), agency_id)?;
    let p = crate::processes::store::require(&state, &slug).await?;
    let today = ctx::today(&state.settings);
    let db = &state.db;
    let load = store::load(db, p.id, &today, Some(agency_id))
        .await?
        .into_iter()
        .next()
        .ok_or(AppError::NotFound)?;
    let can_log = user.is_facilitator();
    Ok(AgencyOverview {
        slug: p.slug,
        process_title: p.title,
        agency_id,
        agency: load.agency.clone(),
        load,
        meetings: store::meetings(db, p.id, agency_id, page).await?,
        assigned: if can_log {
            store::assigned_to(db, p.id, agency_id).await?
        } else {
            vec![]
        },
        can_log,
        today,
    })
}

/// Logs a feasibility meeting between the team and an agency.
#[server(prefix = "/api", endpoint = "log_meeting")]
pub async fn log_meeting(
    slug: String,
    agency_id: i64,
    held_on: String,
    attendees: String,
    minutes: String,
    proposal_ids: Option<Vec<i64>>,
) -> Result<(), AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    let user = rules::route(user.as_ref())?;
    let p = crate::processes::store::require(&state, &slug).await?;
    if store::existing_agencies(&state.db, &[agency_id])
        .await?
        .is_empty()
    {
        return Err(AppError::NotFound);
    }
    let mut form = Form::new();
    let held_on = form.date("held_on", &held_on);
    let attendees = form.required("attendees", &attendees, ATTENDEES_MAX);
    let minutes = form.required("minutes", &minutes, MINUTES_MAX);
    form.finish()?;
    let proposal_ids = proposal_ids.unwrap_or_default();
    let standing = store::standing_in_process(&state.db, p.id, &proposal_ids).await?;
    if standing.len() != proposal_ids.len() {
        return Err(AppError::refused("feasibility.not_standing"));
    }
    let meeting = store::NewMeeting {
        held_on,
        attendees,
        minutes,
        proposal_ids: standing,
    };
    store::log_meeting(&state.db, p.id, agency_id, &meeting, user.id).await?;
    Ok(())
}
