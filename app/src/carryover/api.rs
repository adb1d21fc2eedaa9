//! Server functions for carrying proposals over to a later co-creation
//! instance: the candidates of an earlier process, and carrying them.
use super::model::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{rules, store},
    crate::{ctx, feasibility::model::Verdict},
};

/// The carry-over page of `slug`: the other processes, and for the chosen
/// one (`from`) its proposals not taken up, filtered.
#[server(prefix = "/api", endpoint = "carry_over_candidates")]
pub async fn carry_over_candidates(
    slug: String,
    from: Option<String>,
    verdict: Option<String>,
    axis: Option<String>,
    unanswered: Option<String>,
    page: Option<i64>,
) -> Result<CarryOver, AppError> {
    let state = ctx::state()?;
    rules::carry(ctx::user().as_ref())?;
    let p = crate::processes::store::require(&state, &slug).await?;
    let sources: Vec<(String, String)> = crate::processes::store::all_titles(&state.db)
        .await?
        .into_iter()
        .filter(|(id, ..)| *id != p.id)
        .map(|(_, slug, title)| (slug, title))
        .collect();
    let filter = CandidateFilter {
        verdict: verdict.as_deref().and_then(Verdict::parse),
        axis: axis.and_then(|a| a.trim().parse().ok()),
        unanswered: unanswered.is_some_and(|u| !u.is_empty()),
    };
    let source = match from.filter(|f| sources.iter().any(|s| s.0 == *f)) {
        Some(from) => Some(crate::processes::store::require(&state, &from).await?),
        None => None,
    };
    let candidates = match &source {
        Some(s) => store::candidates(&state.db, s.id, p.id, &filter, page.unwrap_or(1)).await?,
        None => crate::paging::Page::new(vec![], 1, 0),
    };
    Ok(CarryOver {
        process_slug: p.slug,
        process_title: p.title,
        sources,
        from: source.map(|s| {
            (
                s.slug,
                s.axes.iter().map(|a| (a.id, a.name.clone())).collect(),
            )
        }),
        axes: p.axes.iter().map(|a| (a.id, a.name.clone())).collect(),
        candidates,
    })
}

/// Carries the chosen proposals of `from` into this process, under `axis_id`.
#[server(prefix = "/api", endpoint = "carry_over")]
pub async fn carry_proposals_over(
    slug: String,
    from: String,
    proposal_ids: Option<Vec<i64>>,
    axis_id: String,
) -> Result<usize, AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    let user = rules::carry(user.as_ref())?;
    let p = crate::processes::store::require(&state, &slug).await?;
    let source = crate::processes::store::require(&state, &from).await?;
    let proposal_ids = proposal_ids.unwrap_or_default();
    let mut form = crate::validate::Form::new();
    let axis_id = axis_id
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|a| p.axes.iter().any(|x| x.id == *a));
    if axis_id.is_none() {
        form.error("axis_id", "validation.choice");
    }
    if proposal_ids.is_empty() {
        form.error("proposal_ids", "carryover.none_chosen");
    }
    if proposal_ids.len() > CARRY_MAX || source.id == p.id {
        form.error("proposal_ids", "validation.choice");
    }
    form.check()?;
    let carried = store::carry(
        &state.db,
        &state.settings.base_url,
        (source.id, p.id, &p.title),
        &proposal_ids,
        axis_id.unwrap_or_default(),
        user.id,
    )
    .await?;
    crate::accounts::store::audit(
        &state.db,
        Some(user.id),
        "carried.proposals",
        &format!("process:{}", p.id),
        &format!("from:{} count:{carried}", source.id),
    )
    .await?;
    Ok(carried)
}
