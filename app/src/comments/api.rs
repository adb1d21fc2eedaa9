//! Server functions for comments.
use super::model::*;
use crate::error::AppError;
use crate::paging::Page;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{rules, store},
    crate::{ctx, error::AppResult, validate::Form},
};

/// Whether the subject takes comments now (it exists: else `NotFound`). Each
/// subject's own module decides; a sheet decides where the comment is written
/// (`commitments::consultation_store::post_comment`), in the same transaction.
#[cfg(feature = "ssr")]
async fn subject_open(state: &ctx::AppState, kind: SubjectKind, id: i64) -> AppResult<bool> {
    match kind {
        SubjectKind::Proposal => {
            let owner = crate::proposals::store::ownership(&state.db, id)
                .await?
                .ok_or(AppError::NotFound)?;
            Ok(!owner.closed())
        }
        SubjectKind::Commitment => Ok(true),
        SubjectKind::Plan => plan_published(state, id).await,
    }
}

/// Whether process `id` exists (else `NotFound`) and its plan has a final sheet.
#[cfg(feature = "ssr")]
async fn plan_published(state: &ctx::AppState, id: i64) -> AppResult<bool> {
    let published = crate::commitments::store::monitored_processes(&state.db)
        .await?
        .iter()
        .any(|p| p.0 == id);
    if published || crate::processes::store::exists(&state.db, id).await? {
        Ok(published)
    } else {
        Err(AppError::NotFound)
    }
}

#[server(prefix = "/api", endpoint = "comments")]
pub async fn list_comments(
    kind: String,
    subject_id: i64,
    page: i64,
) -> Result<Page<Thread>, AppError> {
    let state = ctx::state()?;
    let kind = SubjectKind::parse(&kind).ok_or(AppError::BadRequest)?;
    if kind == SubjectKind::Commitment {
        // A sheet's comments are read through its own module, which checks
        // that the reader may see the sheet.
        return Err(AppError::NotFound);
    }
    if kind == SubjectKind::Plan {
        // A plan's comments are public once the plan is.
        if !plan_published(&state, subject_id).await? {
            return Err(AppError::NotFound);
        }
    } else {
        // A hidden proposal's comments go with it (the team still reads them).
        let proposal = crate::proposals::store::ownership(&state.db, subject_id).await?;
        let team = ctx::user().is_some_and(|u| u.is_facilitator());
        if proposal.is_none_or(|p| p.hidden && !team) {
            return Err(AppError::NotFound);
        }
    }
    store::threads(
        &state.db,
        kind,
        subject_id,
        None,
        page,
        state.settings.utc_offset_minutes,
    )
    .await
}

/// Posts a comment, or a reply to `parent_id`. On a sheet, `anchor` names the
/// field or milestone; sheets take no replies (the team's response answers).
#[server(prefix = "/api", endpoint = "post_comment")]
pub async fn post_comment(
    kind: String,
    subject_id: i64,
    parent_id: Option<i64>,
    body: String,
    show_name: Option<String>,
    anchor: Option<String>,
) -> Result<(), AppError> {
    let state = ctx::state()?;
    let kind = SubjectKind::parse(&kind).ok_or(AppError::BadRequest)?;
    let anchor = anchor.filter(|a| !a.is_empty());
    if kind == SubjectKind::Commitment && parent_id.is_some() {
        return Err(AppError::BadRequest);
    }
    let open = subject_open(&state, kind, subject_id).await?;
    let parent = match parent_id {
        Some(id) => Some(
            store::parent(&state.db, kind, subject_id, id)
                .await?
                .ok_or(AppError::NotFound)?,
        ),
        None => None,
    };
    let user = ctx::user();
    let user = rules::post(
        user.as_ref(),
        open,
        parent.map(|(depth, hidden, _)| (depth, hidden)),
    )?;
    let mut form = Form::new();
    let body = form.required("body", &body, BODY_MAX);
    form.finish()?;
    let new = store::NewComment {
        kind,
        subject_id,
        parent: parent_id
            .zip(parent)
            .map(|(id, (depth, _, thread))| (id, depth, thread)),
        author_id: user.id,
        body: &body,
        show_author_name: show_name.is_some(),
        anchor: anchor
            .as_deref()
            .filter(|_| kind == SubjectKind::Commitment),
        // A sheet's comment takes the version it is written on.
        version: None,
    };
    match kind {
        SubjectKind::Commitment => {
            crate::commitments::consultation_store::post_comment(&state.db, &new).await?
        }
        SubjectKind::Proposal | SubjectKind::Plan => store::create(&state.db, &new).await?,
    };
    Ok(())
}
