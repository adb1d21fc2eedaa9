//! Server functions for a sheet's consultation: publishing a version for
//! comment with its dates, reading the comments, the team's reasoned responses,
//! and publishing the final sheet. Comments themselves are posted through the
//! shared comments module (`comments::api::post_comment`, kind `commitment`).
use super::model::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{api::readable_with_consultation, consultation_store as store, rules},
    crate::{ctx, validate::Form},
};

/// Publishes the current version for comment from `opens_on` to `closes_on`
/// (local dates, both included), or changes the dates of an open consultation.
/// The public then reads the current version, and comments name the version
/// they were made on.
#[server(prefix = "/api", endpoint = "publish_for_comment")]
pub async fn publish_for_comment(
    id: i64,
    opens_on: String,
    closes_on: String,
) -> Result<(), AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    rules::draft(user.as_ref())?;
    let facts = super::store::facts(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    rules::editable(facts.state)?;
    let mut form = Form::new();
    let opens_on = form.date("opens_on", &opens_on);
    let closes_on = form.date("closes_on", &closes_on);
    if !form.has_error("closes_on") && !form.has_error("opens_on") {
        if closes_on < opens_on {
            form.error("closes_on", "validation.end_before_start");
        } else if closes_on < ctx::today(&state.settings) {
            form.error("closes_on", "commitment.closes_in_past");
        }
    }
    form.check()?;
    let offset = state.settings.utc_offset_minutes;
    let midnight = time::Time::MIDNIGHT;
    let (Some(opens_at), Some(closes_at)) = (
        ctx::local_epoch(&opens_on, midnight, offset),
        ctx::local_epoch(&closes_on, midnight, offset),
    ) else {
        return Err(form.refuse_field("opens_on", "validation.date"));
    };
    let published = store::publish_for_comment(
        &state.db,
        &state.settings.base_url,
        id,
        facts.version,
        opens_at,
        closes_at + 86_400,
        (&opens_on, &closes_on),
    )
    .await?;
    if let store::Published::Opened(n) = published {
        if n > 0 {
            state.mail_queued();
        }
    }
    Ok(())
}

/// One page of a sheet's comments (on one field or milestone, if `anchor`).
#[server(prefix = "/api", endpoint = "list_sheet_comments")]
pub async fn list_sheet_comments(
    id: i64,
    anchor: Option<String>,
    page: i64,
) -> Result<SheetComments, AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    let detail = readable_with_consultation(&state, id, user.as_ref()).await?;
    let anchor = anchor.filter(|a| !a.is_empty() && a.len() <= 40);
    let offset = state.settings.utc_offset_minutes;
    let page = store::comments(
        &state.db,
        id,
        &detail.sheet,
        anchor.as_deref(),
        page,
        offset,
    )
    .await?;
    let versions = super::store::versions(&state.db, id, offset)
        .await?
        .iter()
        .map(|v| v.number)
        .collect();
    Ok(SheetComments {
        id,
        code: detail.code,
        title: detail.sheet.title.clone(),
        version: detail.version,
        anchor,
        anchors: anchors(&detail.sheet),
        page,
        can_respond: rules::draft(user.as_ref()).is_ok() && detail.state == SheetState::Comment,
        consultation: detail.consultation,
        versions,
        signed_in: user.is_some(),
    })
}

/// The team's reasoned response to a comment: the outcome, a public reason,
/// and (incorporated, fully or partly) the version that did it.
#[server(prefix = "/api", endpoint = "respond_to_comment")]
pub async fn respond_to_comment(
    id: i64,
    comment_id: i64,
    outcome: String,
    reason: String,
    version: Option<String>,
) -> Result<(), AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    let user = rules::draft(user.as_ref())?;
    let facts = super::store::facts(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if facts.state != SheetState::Comment {
        return Err(AppError::refused("response.closed"));
    }
    // Errors name the comment (echoed), so the page shows them at its form.
    let mut form = Form::new();
    form.optional("comment_id", &comment_id.to_string(), 20);
    let allowed: Vec<&str> = Outcome::ALL.iter().map(|o| o.as_str()).collect();
    let outcome = Outcome::parse(&form.choice("outcome", &outcome, &allowed));
    let reason = form.required("reason", &reason, REASON_MAX);
    let version = match outcome {
        Some(o) if o.needs_version() => {
            let v = version
                .as_deref()
                .and_then(|v| v.trim().parse::<i64>().ok())
                .filter(|v| (1..=facts.version).contains(v));
            if v.is_none() {
                form.error("version", "response.version_required");
            }
            v
        }
        _ => None,
    };
    form.check()?;
    let outcome = outcome.ok_or(AppError::BadRequest)?;
    store::respond(
        &state.db,
        &state.settings.base_url,
        id,
        comment_id,
        (outcome, &reason, version),
        user.id,
    )
    .await
    .map_err(|e| match e {
        AppError::Refused(key) if key == "response.version_before_comment" => {
            form.refuse_field("version", &key)
        }
        AppError::Refused(key) => form.refuse(&key),
        e => e,
    })?;
    state.mail_queued();
    Ok(())
}

/// Publishes the current version as the final sheet. With comments still
/// unanswered the team must confirm (`confirm_unanswered`); the count is kept.
#[server(prefix = "/api", endpoint = "publish_final")]
pub async fn publish_final(id: i64, confirm_unanswered: Option<String>) -> Result<(), AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    let user = rules::draft(user.as_ref())?;
    super::store::facts(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    match store::publish_final(&state.db, id, confirm_unanswered.is_some(), user.id).await? {
        store::Finished::Published => Ok(()),
        store::Finished::Unanswered(_) => Err(AppError::refused("commitment.unanswered")),
    }
}
