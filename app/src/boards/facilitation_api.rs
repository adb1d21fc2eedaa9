//! Server functions the team uses to run a roundtable: columns, clusters, the
//! shared countdown and the phases. Every one checks the facilitator role.
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::api::changed,
    super::model::*,
    super::{facilitation_store as store, rules},
    crate::{ctx, error::AppResult},
};

/// The state, after checking that the person asking runs boards.
#[cfg(feature = "ssr")]
fn facilitator() -> AppResult<ctx::AppState> {
    let state = ctx::state()?;
    rules::facilitate(ctx::user().as_ref())?;
    Ok(state)
}

/// A required one-line text of at most `max` characters; these small forms
/// have one field, so the refusal says what is wrong with it (`key`).
#[cfg(feature = "ssr")]
fn text(value: &str, max: usize, key: &'static str) -> AppResult<String> {
    let value = value.trim();
    if value.is_empty() || value.chars().count() > max {
        return Err(AppError::refused(key));
    }
    Ok(value.to_string())
}

#[server(prefix = "/api", endpoint = "add_column")]
pub async fn add_column(board_id: i64, title: String) -> Result<(), AppError> {
    let state = facilitator()?;
    let roundtable_id = store::board_roundtable(&state.db, board_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let title = text(&title, COLUMN_MAX, "board.column_title_invalid")?;
    if !store::add_column(&state.db, board_id, &title).await? {
        return Err(AppError::refused("board.columns_full"));
    }
    changed(&state, roundtable_id);
    Ok(())
}

#[server(prefix = "/api", endpoint = "rename_column")]
pub async fn rename_column(column_id: i64, title: String) -> Result<(), AppError> {
    let state = facilitator()?;
    let title = text(&title, COLUMN_MAX, "board.column_title_invalid")?;
    let roundtable_id = store::rename_column(&state.db, column_id, &title)
        .await?
        .ok_or(AppError::NotFound)?;
    changed(&state, roundtable_id);
    Ok(())
}

/// Removes an empty column (a column with notes is kept: nothing written is lost).
#[server(prefix = "/api", endpoint = "remove_column")]
pub async fn remove_column(column_id: i64) -> Result<(), AppError> {
    let state = facilitator()?;
    match store::remove_column(&state.db, column_id).await? {
        store::ColumnRemoval::Removed(roundtable_id) => {
            changed(&state, roundtable_id);
            Ok(())
        }
        store::ColumnRemoval::NotEmpty => Err(AppError::refused("board.column_not_empty")),
        store::ColumnRemoval::Last => Err(AppError::refused("board.column_last")),
        store::ColumnRemoval::NotFound => Err(AppError::NotFound),
    }
}

#[server(prefix = "/api", endpoint = "add_cluster")]
pub async fn add_cluster(board_id: i64, label: String) -> Result<(), AppError> {
    let state = facilitator()?;
    let label = text(&label, CLUSTER_MAX, "board.cluster_label_invalid")?;
    let (roundtable_id, _) = store::add_cluster(&state.db, board_id, &label)
        .await?
        .ok_or(AppError::NotFound)?;
    changed(&state, roundtable_id);
    Ok(())
}

/// Puts a note in a cluster of its board; an empty `cluster_id` takes it out.
#[server(prefix = "/api", endpoint = "group_note")]
pub async fn group_note(note_id: i64, cluster_id: String) -> Result<(), AppError> {
    let state = facilitator()?;
    let note = super::store::note(&state.db, note_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let cluster = match cluster_id.trim() {
        "" => None,
        c => Some(c.parse::<i64>().map_err(|_| AppError::BadRequest)?),
    };
    if !store::group_note(&state.db, note_id, cluster).await? {
        return Err(AppError::refused("board.cluster_other_board"));
    }
    changed(&state, note.place.roundtable_id);
    Ok(())
}

/// Starts the shared countdown for `minutes`; `stop` present stops it.
#[server(prefix = "/api", endpoint = "board_timer")]
pub async fn board_timer(
    roundtable_id: i64,
    minutes: Option<String>,
    stop: Option<String>,
) -> Result<(), AppError> {
    let state = facilitator()?;
    let seconds = if stop.is_some() {
        None
    } else {
        match minutes.unwrap_or_default().trim().parse::<i64>() {
            Ok(m) if (1..=TIMER_MAX_MINUTES).contains(&m) => Some(m * 60),
            _ => return Err(AppError::refused("board.timer_invalid")),
        }
    };
    if !store::set_timer(&state.db, roundtable_id, seconds).await? {
        return Err(AppError::NotFound);
    }
    changed(&state, roundtable_id);
    Ok(())
}

/// Moves the roundtable to a phase: "part_a", "vote", "part_b" or "closed".
#[server(prefix = "/api", endpoint = "roundtable_phase")]
pub async fn roundtable_phase(roundtable_id: i64, phase: String) -> Result<(), AppError> {
    let state = facilitator()?;
    let phase = Phase::parse(&phase).ok_or(AppError::BadRequest)?;
    if !store::set_phase(&state.db, roundtable_id, phase).await? {
        return Err(AppError::NotFound);
    }
    changed(&state, roundtable_id);
    Ok(())
}
