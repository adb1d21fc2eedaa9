//! Server functions for the monitoring body: the team appoints and removes its
//! members; a member evaluates the final commitments of their process; anyone
//! reads a published evaluation. The whole-process download is a route of its
//! own (`/processes/:slug/evaluation.zip`).
use super::model::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{rules, store},
    crate::{commitments::model::SheetState, ctx, validate::Form},
};

/// A process's monitoring body, for the team.
#[server(prefix = "/api", endpoint = "monitoring_body")]
pub async fn get_monitoring_body(slug: String) -> Result<MonitoringBody, AppError> {
    let state = ctx::state()?;
    rules::appoint(ctx::user().as_ref())?;
    let p = crate::processes::store::require(&state, &slug).await?;
    Ok(MonitoringBody {
        members: store::members(&state.db, p.id).await?,
        process_slug: p.slug,
        process_title: p.title,
    })
}

#[server(prefix = "/api", endpoint = "appoint_evaluator")]
pub async fn appoint_evaluator(slug: String, email: String, body: String) -> Result<(), AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    let user = rules::appoint(user.as_ref())?;
    let p = crate::processes::store::require(&state, &slug).await?;
    let mut form = Form::new();
    let email = form.email("email", &email);
    let body = form.required("body", &body, BODY_MAX);
    form.check()?;
    let Some(appointed) = store::appoint(&state.db, p.id, &email, &body, user.id).await? else {
        return Err(form.refuse_field("email", "evaluation.no_account"));
    };
    crate::accounts::store::audit(
        &state.db,
        Some(user.id),
        "evaluator.appoint",
        &format!("process:{}", p.id),
        &format!("user:{appointed}"),
    )
    .await?;
    Ok(())
}

#[server(prefix = "/api", endpoint = "remove_evaluator")]
pub async fn remove_evaluator(slug: String, user_id: i64) -> Result<(), AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    let user = rules::appoint(user.as_ref())?;
    let p = crate::processes::store::require(&state, &slug).await?;
    if !store::remove(&state.db, p.id, user_id).await? {
        return Err(AppError::NotFound);
    }
    crate::accounts::store::audit(
        &state.db,
        Some(user.id),
        "evaluator.remove",
        &format!("process:{}", p.id),
        &format!("user:{user_id}"),
    )
    .await?;
    Ok(())
}

/// A final commitment's heading.
#[cfg(feature = "ssr")]
async fn final_commitment(
    state: &ctx::AppState,
    id: i64,
) -> crate::error::AppResult<crate::commitments::store::Heading> {
    crate::commitments::store::heading(&state.db, id)
        .await?
        .filter(|h| h.state == SheetState::Final)
        .ok_or(AppError::NotFound)
}

/// A final commitment's evaluation: the published one, and for the
/// monitoring body its draft and what the form needs.
#[server(prefix = "/api", endpoint = "commitment_evaluation")]
pub async fn get_commitment_evaluation(id: i64) -> Result<CommitmentEvaluation, AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    let heading = final_commitment(&state, id).await?;
    let process_id = heading.process_id;
    let evaluator = rules::evaluate(user.as_ref(), process_id).ok();
    let offset = state.settings.utc_offset_minutes;
    let evaluation = if evaluator.is_some() {
        store::of(&state.db, &[id], offset).await?
    } else {
        store::published(&state.db, &[id], offset).await?
    }
    .remove(&id);
    let my_body = match evaluator {
        Some(u) => store::body_of(&state.db, process_id, u.id).await?,
        None => None,
    };
    Ok(CommitmentEvaluation {
        commitment_id: id,
        code: heading.code,
        title: heading.title,
        process_slug: heading.process_slug,
        evaluation,
        can_evaluate: evaluator.is_some(),
        my_body,
    })
}

/// The monitoring body records (and publishes) its evaluation of a final
/// commitment of its process.
#[server(prefix = "/api", endpoint = "evaluate_commitment")]
#[allow(clippy::too_many_arguments)]
pub async fn evaluate_commitment(
    id: i64,
    verifiable: String,
    potential: String,
    completion: String,
    opened_government: String,
    reasoning: String,
    publish: Option<String>,
) -> Result<(), AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    let heading = crate::commitments::store::heading(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let process_id = heading.process_id;
    let user = rules::evaluate(user.as_ref(), process_id)?;
    if heading.state != SheetState::Final {
        return Err(AppError::NotFound);
    }
    let mut form = Form::new();
    let verifiable = match verifiable.as_str() {
        "yes" => true,
        "no" => false,
        _ => {
            form.error("verifiable", "validation.choice");
            false
        }
    };
    let mut choice = |field: &str, ok: bool| {
        if !ok {
            form.error(field, "validation.choice");
        }
    };
    let potential_v = Potential::parse(&potential);
    choice("potential", potential_v.is_some());
    let completion_v = Progress::parse(&completion);
    choice("completion", completion_v.is_some());
    let opened_v = OpenedGovernment::parse(&opened_government);
    choice("opened_government", opened_v.is_some());
    let reasoning = form.required("reasoning", &reasoning, REASONING_MAX);
    form.check()?;
    let (Some(potential), Some(completion), Some(opened_government)) =
        (potential_v, completion_v, opened_v)
    else {
        return Err(AppError::BadRequest);
    };
    let body = store::body_of(&state.db, process_id, user.id)
        .await?
        .ok_or(AppError::Forbidden)?;
    let evaluation = Evaluation {
        body,
        verifiable,
        potential,
        completion,
        opened_government,
        reasoning,
        published_on: None,
    };
    store::save(&state.db, id, user.id, &evaluation, publish.is_some()).await?;
    Ok(())
}

/// What a member of a monitoring body works on.
#[server(prefix = "/api", endpoint = "evaluator_desk")]
pub async fn get_evaluator_desk() -> Result<EvaluatorDesk, AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    let user = crate::accounts::rules::signed_in(user.as_ref())?;
    if user.evaluator_of.is_empty() {
        return Err(AppError::Forbidden);
    }
    let offset = state.settings.utc_offset_minutes;
    let mut processes = Vec::new();
    for (id, slug, title) in crate::commitments::store::monitored_processes(&state.db).await? {
        if !user.evaluates(id) {
            continue;
        }
        let finals: Vec<_> = crate::commitments::store::plan(&state.db, id)
            .await?
            .into_iter()
            .filter(|c| c.state == SheetState::Final)
            .collect();
        let ids: Vec<i64> = finals.iter().map(|c| c.id).collect();
        let evaluations = store::of(&state.db, &ids, offset).await?;
        processes.push(DeskProcess {
            slug,
            title,
            commitments: finals
                .iter()
                .map(|c| {
                    let e = evaluations.get(&c.id);
                    (
                        c.id,
                        format!("{} · {}", c.code, c.sheet.title),
                        e.is_some_and(|e| e.published_on.is_some()),
                        e.is_some(),
                    )
                })
                .collect(),
        });
    }
    Ok(EvaluatorDesk { processes })
}
