//! Server functions for moderation.
use super::model::*;
use crate::error::AppError;
use crate::paging::Page;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{rules, store},
    crate::{ctx, validate::Form},
};

/// Reports a proposal or a comment (once per person); answers with what was
/// reported, so a page with both kinds of report form thanks the right one.
#[server(prefix = "/api", endpoint = "report")]
pub async fn report_content(kind: String, id: i64, reason: String) -> Result<TargetKind, AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    let user = rules::report(user.as_ref())?;
    let kind = TargetKind::parse(&kind).ok_or(AppError::BadRequest)?;
    let mut form = Form::new();
    form.choice("reason", &reason, &REASONS);
    form.finish()?;
    if !store::exists(&state.db, kind, id).await? {
        return Err(AppError::NotFound);
    }
    if !store::report(&state.db, kind, id, user.id, &reason).await? {
        return Err(AppError::refused("report.already"));
    }
    Ok(kind)
}

#[server(prefix = "/api", endpoint = "moderation_queue")]
pub async fn moderation_queue(page: i64) -> Result<Page<QueueItem>, AppError> {
    let state = ctx::state()?;
    rules::moderate(ctx::user().as_ref())?;
    store::queue(&state.db, page).await
}

/// Hides content (with `hide`) or restores it.
#[server(prefix = "/api", endpoint = "moderate")]
pub async fn moderate(kind: String, id: i64, hide: Option<String>) -> Result<(), AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    let user = rules::moderate(user.as_ref())?;
    let kind = TargetKind::parse(&kind).ok_or(AppError::BadRequest)?;
    if !store::set_hidden(&state.db, kind, id, hide.is_some(), user.id).await? {
        return Err(AppError::NotFound);
    }
    Ok(())
}

#[server(prefix = "/api", endpoint = "audit_log")]
pub async fn audit_log(page: i64) -> Result<Page<AuditEntry>, AppError> {
    let state = ctx::state()?;
    rules::read_audit(ctx::user().as_ref())?;
    store::audit(&state.db, page, state.settings.utc_offset_minutes).await
}
