//! Server functions for endorsements: the public list of a plan, endorsing for
//! an organization one represents, and withdrawing.
use super::model::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{rules, store},
    crate::{ctx, validate::Form},
};

#[server(prefix = "/api", endpoint = "endorsements")]
pub async fn list_endorsements(slug: String) -> Result<Endorsements, AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    let p = crate::processes::store::require(&state, &slug).await?;
    let plan_final = plan_is_final(&state, p.id).await?;
    let listed = store::list(&state.db, p.id, state.settings.utc_offset_minutes).await?;
    let mine = match &user {
        Some(u) if !u.organization_ids.is_empty() => crate::accounts::store::directory(&state.db)
            .await?
            .organizations
            .into_iter()
            .filter(|o| u.organization_ids.contains(&o.id))
            .map(|o| (o.id, o.name, listed.iter().any(|(id, _)| *id == o.id)))
            .collect(),
        _ => vec![],
    };
    Ok(Endorsements {
        process_id: p.id,
        signed_in: user.is_some(),
        process_slug: p.slug,
        process_title: p.title,
        plan_final,
        items: listed.into_iter().map(|(_, e)| e).collect(),
        mine,
    })
}

#[cfg(feature = "ssr")]
async fn plan_is_final(state: &ctx::AppState, process_id: i64) -> crate::error::AppResult<bool> {
    Ok(crate::commitments::store::monitored_processes(&state.db)
        .await?
        .iter()
        .any(|p| p.0 == process_id))
}

/// A representative endorses the final plan for their organization, with
/// their name (as shown on their account) and the role they give.
#[server(prefix = "/api", endpoint = "endorse_plan")]
pub async fn endorse_plan(
    slug: String,
    organization_id: i64,
    role: String,
) -> Result<(), AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    let user = rules::endorse(user.as_ref(), organization_id)?;
    let p = crate::processes::store::require(&state, &slug).await?;
    let mut form = Form::new();
    let role = form.required("role", &role, ROLE_MAX);
    form.check()?;
    if !plan_is_final(&state, p.id).await? {
        return Err(form.refuse("endorsement.plan_not_final"));
    }
    store::endorse(
        &state.db,
        p.id,
        organization_id,
        Some(user.id),
        &user.display_name,
        &role,
    )
    .await
}

#[server(prefix = "/api", endpoint = "withdraw_endorsement")]
pub async fn withdraw_endorsement(slug: String, organization_id: i64) -> Result<(), AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    rules::endorse(user.as_ref(), organization_id)?;
    let p = crate::processes::store::require(&state, &slug).await?;
    if !store::withdraw(&state.db, p.id, organization_id).await? {
        return Err(AppError::NotFound);
    }
    Ok(())
}
