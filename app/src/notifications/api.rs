//! Server functions for a person's own notifications.
use super::model::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {super::store, crate::accounts::rules::signed_in, crate::ctx};

#[server(prefix = "/api", endpoint = "notifications")]
pub async fn list_notifications(page: i64) -> Result<NotificationList, AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    let user = signed_in(user.as_ref())?;
    store::list(&state.db, user.id, page, state.settings.utc_offset_minutes).await
}

#[server(prefix = "/api", endpoint = "mark_notifications_read")]
pub async fn mark_notifications_read() -> Result<(), AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    let user = signed_in(user.as_ref())?;
    store::mark_read(&state.db, user.id).await
}
