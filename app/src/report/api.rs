//! Server function for a process's co-creation report.
use super::model::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {super::store, crate::ctx};

#[server(prefix = "/api", endpoint = "cocreation_report")]
pub async fn cocreation_report(slug: String) -> Result<Report, AppError> {
    let state = ctx::state()?;
    let p = crate::processes::store::require(&state, &slug).await?;
    store::report(&state.db, &p, &ctx::today(&state.settings)).await
}
