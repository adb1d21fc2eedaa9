//! Server functions for the boards: the snapshot, notes, and locking.
use super::model::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{rules, store},
    crate::{ctx, error::AppResult, roundtables::model::RegistrationStatus, validate::Form},
};

/// May the person asking write on this roundtable's boards?
#[cfg(feature = "ssr")]
async fn writer(
    state: &ctx::AppState,
    roundtable_id: i64,
) -> AppResult<crate::accounts::model::CurrentUser> {
    let facts = crate::roundtables::store::facts(&state.db, roundtable_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let user = ctx::user();
    let registered = match &user {
        Some(u) => matches!(
            crate::roundtables::store::registration(&state.db, roundtable_id, u.id).await?,
            Some((RegistrationStatus::Registered, _))
        ),
        None => false,
    };
    rules::write(user.as_ref(), registered, &facts.presenting).cloned()
}

/// Tells the live streams of the roundtable that there is something new.
#[cfg(feature = "ssr")]
fn changed(state: &ctx::AppState, roundtable_id: i64) {
    let _ = state.board_changes.send(roundtable_id);
}

#[cfg(feature = "ssr")]
fn note_text(body: &str) -> AppResult<String> {
    let mut form = Form::new();
    let body = form.required("body", body, NOTE_MAX);
    form.finish()?;
    Ok(body)
}

/// Both boards as the person asking may see them.
#[server(prefix = "/api", endpoint = "board")]
pub async fn get_board(roundtable_id: i64) -> Result<Snapshot, AppError> {
    let state = ctx::state()?;
    let viewer = ctx::user();
    let mut snapshot = store::snapshot(&state.db, roundtable_id, viewer.as_ref().map(|u| u.id))
        .await?
        .ok_or(AppError::NotFound)?;
    snapshot.can_write = writer(&state, roundtable_id).await.is_ok();
    snapshot.can_facilitate = rules::facilitate(viewer.as_ref()).is_ok();
    Ok(snapshot)
}

#[server(prefix = "/api", endpoint = "add_note")]
pub async fn add_note(column_id: i64, body: String) -> Result<(), AppError> {
    let state = ctx::state()?;
    let place = store::column(&state.db, column_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let user = writer(&state, place.roundtable_id).await?;
    rules::open(place.locked)?;
    let body = note_text(&body)?;
    store::add_note(&state.db, column_id, user.id, &body)
        .await?
        .ok_or(AppError::refused("board.locked"))?;
    changed(&state, place.roundtable_id);
    Ok(())
}

#[server(prefix = "/api", endpoint = "edit_note")]
pub async fn edit_note(note_id: i64, body: String) -> Result<(), AppError> {
    let state = ctx::state()?;
    let note = store::note(&state.db, note_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let user = writer(&state, note.place.roundtable_id).await?;
    rules::own(&user, note.author_id)?;
    rules::open(note.place.locked)?;
    let body = note_text(&body)?;
    store::edit_note(&state.db, note_id, user.id, &body)
        .await?
        .ok_or(AppError::refused("board.locked"))?;
    changed(&state, note.place.roundtable_id);
    Ok(())
}

#[server(prefix = "/api", endpoint = "delete_note")]
pub async fn delete_note(note_id: i64) -> Result<(), AppError> {
    let state = ctx::state()?;
    let note = store::note(&state.db, note_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let user = writer(&state, note.place.roundtable_id).await?;
    rules::own(&user, note.author_id)?;
    rules::open(note.place.locked)?;
    store::delete_note(&state.db, note_id, user.id)
        .await?
        .ok_or(AppError::refused("board.locked"))?;
    changed(&state, note.place.roundtable_id);
    Ok(())
}

/// Locks a board (with `locked` present) or unlocks it.
#[server(prefix = "/api", endpoint = "lock_board")]
pub async fn lock_board(board_id: i64, locked: Option<String>) -> Result<(), AppError> {
    let state = ctx::state()?;
    rules::facilitate(ctx::user().as_ref())?;
    let (roundtable_id, _) = store::set_locked(&state.db, board_id, locked.is_some())
        .await?
        .ok_or(AppError::NotFound)?;
    changed(&state, roundtable_id);
    Ok(())
}
