//! Server function for a proposal's trajectory.
use super::model::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{rules, store},
    crate::ctx,
};

/// The whole path of a proposal with dates, as the public sees it.
#[server(prefix = "/api", endpoint = "proposal_trajectory")]
pub async fn proposal_trajectory(id: i64) -> Result<Trajectory, AppError> {
    let state = ctx::state()?;
    let id = rules::proposal_id(id)?;
    store::trajectory(&state.db, id, state.settings.utc_offset_minutes)
        .await?
        .ok_or(AppError::NotFound)
}
