//! Server functions for proposals: submit, edit, withdraw, list, read, support.
use super::model::*;
use crate::error::AppError;
use crate::paging::Page;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    super::{rules, store},
    crate::{ctx, error::AppResult, validate::Form},
};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProposalList {
    pub context: ProposalFormContext,
    pub page: Page<ProposalSummary>,
}

/// The process, its axes, and the organizations the person may submit for.
#[cfg(feature = "ssr")]
/// `with_organizations`: only the submission and edit forms need them.
async fn form_context(
    state: &ctx::AppState,
    slug: &str,
    with_organizations: bool,
) -> AppResult<ProposalFormContext> {
    let today = ctx::today(&state.settings);
    let process = crate::processes::store::by_slug(&state.db, slug, &today)
        .await?
        .ok_or(AppError::NotFound)?;
    let organizations = match ctx::user().filter(|_| with_organizations) {
        Some(user) => crate::accounts::store::organizations_of(&state.db, user.id).await?,
        None => vec![],
    };
    Ok(ProposalFormContext {
        process_id: process.id,
        process_slug: process.slug,
        process_title: process.title,
        axes: process.axes.into_iter().map(|a| (a.id, a.name)).collect(),
        organizations,
        intake_open: process
            .timeline
            .current
            .is_some_and(|s| s.stage == crate::processes::model::Stage::Intake),
    })
}

#[server(prefix = "/api", endpoint = "proposal_form")]
pub async fn proposal_form(slug: String) -> Result<ProposalFormContext, AppError> {
    form_context(&ctx::state()?, &slug, true).await
}

#[server(prefix = "/api", endpoint = "proposals")]
pub async fn list_proposals(slug: String, query: ProposalQuery) -> Result<ProposalList, AppError> {
    let state = ctx::state()?;
    let context = form_context(&state, &slug, false).await?;
    let offset = state.settings.utc_offset_minutes;
    let page = store::list(&state.db, context.process_id, &query, offset).await?;
    Ok(ProposalList { context, page })
}

#[server(prefix = "/api", endpoint = "similar_proposals")]
pub async fn similar_proposals(
    slug: String,
    text: String,
) -> Result<Vec<SimilarProposal>, AppError> {
    let state = ctx::state()?;
    let context = form_context(&state, &slug, false).await?;
    let text: String = text.chars().take(2000).collect();
    store::similar(&state.db, context.process_id, &text).await
}

#[server(prefix = "/api", endpoint = "proposal")]
pub async fn get_proposal(id: i64) -> Result<ProposalDetail, AppError> {
    let state = ctx::state()?;
    let today = ctx::today(&state.settings);
    let user = ctx::user();
    let mut detail = store::detail(
        &state.db,
        id,
        user.as_ref().map(|u| u.id),
        &today,
        state.settings.utc_offset_minutes,
    )
    .await?
    .ok_or(AppError::NotFound)?;
    detail.can_review = match &user {
        Some(u) if u.is_facilitator() => true,
        Some(u) if u.is_agency_member() => {
            let involved = crate::feasibility::store::agencies_involved(&state.db, id).await?;
            crate::feasibility::rules::review(Some(u), &involved).is_ok()
        }
        _ => false,
    };
    Ok(detail)
}

/// Validates the proposal form against the process it belongs to.
#[cfg(feature = "ssr")]
#[allow(clippy::too_many_arguments)]
async fn validate(
    state: &ctx::AppState,
    user: &crate::accounts::model::CurrentUser,
    process_id: i64,
    title: &str,
    problem: &str,
    solution: &str,
    axis_id: &str,
    organization_id: Option<&str>,
    show_name: bool,
) -> AppResult<store::ProposalFields> {
    let mut form = Form::new();
    let title = form.required("title", title, TITLE_MAX);
    let problem = form.required("problem", problem, TEXT_MAX);
    let solution = form.required("solution", solution, TEXT_MAX);
    form.optional("axis_id", axis_id, 20);
    let axis_id = axis_id.trim().parse::<i64>().ok();
    match axis_id {
        None => form.error("axis_id", "validation.choice"),
        Some(id) if !store::axis_in_process(&state.db, process_id, id).await? => {
            form.error("axis_id", "validation.choice")
        }
        _ => {}
    }
    let organization_id = match organization_id.map(str::trim).filter(|o| !o.is_empty()) {
        None => None,
        Some(o) => match o.parse::<i64>() {
            Ok(id) if user.organization_ids.contains(&id) => Some(id),
            _ => {
                form.error("organization_id", "validation.choice");
                None
            }
        },
    };
    form.finish()?;
    rules::represent(user, organization_id)?;
    Ok(store::ProposalFields {
        axis_id: axis_id.unwrap_or_default(),
        organization_id,
        title,
        problem,
        solution,
        show_author_name: show_name,
    })
}

#[server(prefix = "/api", endpoint = "submit_proposal")]
#[allow(clippy::too_many_arguments)]
pub async fn submit_proposal(
    slug: String,
    title: String,
    problem: String,
    solution: String,
    axis_id: String,
    organization_id: Option<String>,
    show_name: Option<String>,
    confirm_similar: Option<String>,
) -> Result<(), AppError> {
    let state = ctx::state()?;
    let context = form_context(&state, &slug, false).await?;
    let user = ctx::user();
    let user = rules::submit(user.as_ref(), context.intake_open)?;
    let fields = validate(
        &state,
        user,
        context.process_id,
        &title,
        &problem,
        &solution,
        &axis_id,
        organization_id.as_deref(),
        show_name.is_some(),
    )
    .await?;
    // Before a first submission, point out proposals that look alike.
    if confirm_similar.is_none() {
        let text = format!("{} {}", fields.title, fields.problem);
        if !store::similar(&state.db, context.process_id, &text)
            .await?
            .is_empty()
        {
            let mut form = Form::new();
            for (name, value) in [
                ("title", title.as_str()),
                ("problem", problem.as_str()),
                ("solution", solution.as_str()),
                ("axis_id", axis_id.as_str()),
                ("organization_id", organization_id.as_deref().unwrap_or("")),
            ] {
                form.optional(name, value, usize::MAX);
            }
            return Err(form.refuse("proposal.similar_found"));
        }
    }
    let id = store::create(&state.db, context.process_id, user.id, &fields).await?;
    leptos_axum::redirect(&format!("/proposals/{id}"));
    Ok(())
}

#[server(prefix = "/api", endpoint = "edit_proposal")]
#[allow(clippy::too_many_arguments)]
pub async fn edit_proposal(
    id: i64,
    title: String,
    problem: String,
    solution: String,
    axis_id: String,
    organization_id: Option<String>,
    show_name: Option<String>,
) -> Result<(), AppError> {
    let state = ctx::state()?;
    let owner = store::ownership(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let open =
        store::intake_open(&state.db, owner.process_id, &ctx::today(&state.settings)).await?;
    let user = ctx::user();
    let user = rules::change(user.as_ref(), owner.author_id, open, owner.closed())?;
    let fields = validate(
        &state,
        user,
        owner.process_id,
        &title,
        &problem,
        &solution,
        &axis_id,
        organization_id.as_deref(),
        show_name.is_some(),
    )
    .await?;
    store::update(&state.db, id, user.id, &fields).await?;
    leptos_axum::redirect(&format!("/proposals/{id}"));
    Ok(())
}

#[server(prefix = "/api", endpoint = "withdraw_proposal")]
pub async fn withdraw_proposal(id: i64) -> Result<(), AppError> {
    let state = ctx::state()?;
    let owner = store::ownership(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let open =
        store::intake_open(&state.db, owner.process_id, &ctx::today(&state.settings)).await?;
    let user = ctx::user();
    let user = rules::change(user.as_ref(), owner.author_id, open, owner.closed())?;
    store::withdraw(&state.db, id, user.id).await?;
    leptos_axum::redirect(&format!("/proposals/{id}"));
    Ok(())
}

/// Supports a proposal, or takes the support back with `remove`.
#[server(prefix = "/api", endpoint = "support_proposal")]
pub async fn support_proposal(id: i64, remove: Option<String>) -> Result<(), AppError> {
    let state = ctx::state()?;
    let owner = store::ownership(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let user = ctx::user();
    let user = rules::support(user.as_ref(), owner.closed())?;
    let on = remove.is_none();
    if !store::set_support(&state.db, id, user.id, on).await? && on {
        return Err(AppError::refused("proposal.already_supported"));
    }
    Ok(())
}
