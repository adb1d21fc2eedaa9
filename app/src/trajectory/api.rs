//! Server function for a proposal's trajectory.
use super::model::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{rules, store},
    crate::ctx,
};

/// The path of a proposal as the public sees it: where it stands, with every
/// dated step unless `depth` asks for the standing alone.
#[server(prefix = "/api", endpoint = "proposal_trajectory")]
pub async fn proposal_trajectory(id: i64, depth: Option<Depth>) -> Result<Trajectory, AppError> {
    let state = ctx::state()?;
    let id = rules::proposal_id(id)?;
    let depth = depth.unwrap_or(Depth::Steps);
    store::trajectory(&state.db, id, state.settings.utc_offset_minutes, depth)
        .await?
        .ok_or(AppError::NotFound)
}
