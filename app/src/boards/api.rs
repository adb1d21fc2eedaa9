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
    may_write(state, roundtable_id, &facts).await
}

/// `writer`, with the roundtable's facts read already.
#[cfg(feature = "ssr")]
async fn may_write(
    state: &ctx::AppState,
    roundtable_id: i64,
    facts: &crate::roundtables::store::Facts,
) -> AppResult<crate::accounts::model::CurrentUser> {
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

/// What the person asking may be sent.
#[cfg(feature = "ssr")]
pub fn viewer_of(user: Option<&crate::accounts::model::CurrentUser>) -> Viewer {
    user.map_or(Viewer::default(), |u| signed_in_viewer(u.id, u.role))
}

/// What a signed-in person of this role may be sent.
#[cfg(feature = "ssr")]
pub fn signed_in_viewer(id: i64, role: crate::accounts::model::Role) -> Viewer {
    Viewer {
        id: Some(id),
        team: role >= crate::accounts::model::Role::Facilitator,
    }
}

/// Tells the live streams of the roundtable that there is something new.
#[cfg(feature = "ssr")]
pub(super) fn changed(state: &ctx::AppState, roundtable_id: i64) {
    state.board_changes.changed(roundtable_id);
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
    let mut snapshot = store::snapshot(&state.db, roundtable_id, viewer_of(viewer.as_ref()))
        .await?
        .ok_or(AppError::NotFound)?;
    snapshot.can_write = writer(&state, roundtable_id).await.is_ok();
    snapshot.can_facilitate = rules::facilitate(viewer.as_ref()).is_ok();
    Ok(snapshot)
}

/// The key a page gives a write it may have to send again (see `outbox`):
/// 8 to 64 letters, digits or dashes.
#[cfg(feature = "ssr")]
fn client_key(key: &Option<String>) -> AppResult<Option<&str>> {
    match key.as_deref() {
        None => Ok(None),
        Some(k)
            if (8..=64).contains(&k.len())
                && k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') =>
        {
            Ok(Some(k))
        }
        Some(_) => Err(AppError::BadRequest),
    }
}

/// Adds a note; `key` makes sending it again harmless (a page that lost its
/// connection does not know whether the first one arrived).
#[server(prefix = "/api", endpoint = "add_note")]
pub async fn add_note(column_id: i64, body: String, key: Option<String>) -> Result<(), AppError> {
    let state = ctx::state()?;
    let key = client_key(&key)?;
    let place = store::column(&state.db, column_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let user = writer(&state, place.roundtable_id).await?;
    let body = note_text(&body)?;
    match store::add_note(&state.db, column_id, user.id, &body, key).await? {
        store::NoteAdded::Added(_) => changed(&state, place.roundtable_id),
        store::NoteAdded::Again => {}
        store::NoteAdded::Locked => return Err(AppError::refused("board.locked")),
    }
    Ok(())
}

/// The author of a note on an open board, as the person asking: checks who
/// writes, whose note it is and the lock. Returns the person and the roundtable.
#[cfg(feature = "ssr")]
async fn own_note(
    state: &ctx::AppState,
    note_id: i64,
) -> AppResult<(crate::accounts::model::CurrentUser, i64)> {
    let note = store::note(&state.db, note_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let user = writer(state, note.place.roundtable_id).await?;
    rules::own(&user, note.author_id)?;
    rules::open(note.place.locked)?;
    Ok((user, note.place.roundtable_id))
}

#[server(prefix = "/api", endpoint = "edit_note")]
pub async fn edit_note(note_id: i64, body: String) -> Result<(), AppError> {
    let state = ctx::state()?;
    let (user, roundtable_id) = own_note(&state, note_id).await?;
    let body = note_text(&body)?;
    store::edit_note(&state.db, note_id, user.id, &body)
        .await?
        .ok_or(AppError::refused("board.locked"))?;
    changed(&state, roundtable_id);
    Ok(())
}

#[server(prefix = "/api", endpoint = "delete_note")]
pub async fn delete_note(note_id: i64) -> Result<(), AppError> {
    let state = ctx::state()?;
    let (user, roundtable_id) = own_note(&state, note_id).await?;
    store::remove_note(&state.db, note_id, Some(user.id))
        .await?
        .ok_or(AppError::refused("board.locked"))?;
    changed(&state, roundtable_id);
    Ok(())
}

/// Hides a note from everyone but the team (moderation; also before reveal).
#[server(prefix = "/api", endpoint = "hide_note")]
pub async fn hide_note(note_id: i64) -> Result<(), AppError> {
    let state = ctx::state()?;
    rules::facilitate(ctx::user().as_ref())?;
    let note = store::note(&state.db, note_id)
        .await?
        .ok_or(AppError::NotFound)?;
    store::remove_note(&state.db, note_id, None)
        .await?
        .ok_or(AppError::NotFound)?;
    changed(&state, note.place.roundtable_id);
    Ok(())
}

/// Sets one of a board's controls: `control` is "locked", "private_writing"
/// (turning it off reveals the notes) or "anonymous"; `on` present to turn it on.
#[server(prefix = "/api", endpoint = "board_control")]
pub async fn board_control(
    board_id: i64,
    control: String,
    on: Option<String>,
) -> Result<(), AppError> {
    let state = ctx::state()?;
    rules::facilitate(ctx::user().as_ref())?;
    let control = match control.as_str() {
        "locked" => store::Control::Locked,
        "private_writing" => store::Control::PrivateWriting,
        "anonymous" => store::Control::Anonymous,
        _ => return Err(AppError::BadRequest),
    };
    let roundtable_id = store::set_control(&state.db, board_id, control, on.is_some())
        .await?
        .ok_or(AppError::NotFound)?;
    changed(&state, roundtable_id);
    Ok(())
}

/// The topic vote as the person asking may see it.
#[server(prefix = "/api", endpoint = "vote")]
pub async fn get_vote(roundtable_id: i64) -> Result<VoteView, AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    let facts = crate::roundtables::store::facts(&state.db, roundtable_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let super::vote_store::VoteRead {
        vote,
        chosen_topic,
        seq,
    } = super::vote_store::view(&state.db, roundtable_id, user.as_ref().map(|u| u.id)).await?;
    let can_manage = rules::facilitate(user.as_ref()).is_ok();
    let (cluster_choices, note_choices) = if can_manage && vote.is_none() {
        super::vote_store::candidates(&state.db, roundtable_id).await?
    } else {
        Default::default()
    };
    Ok(VoteView {
        vote,
        chosen_topic,
        seq,
        can_vote: may_write(&state, roundtable_id, &facts).await.is_ok(),
        can_manage,
        cluster_choices,
        note_choices,
    })
}

/// Opens the topic vote: candidate topics picked from board 1's clusters and
/// notes and typed one per line, dots per person, and whether results show
/// while voting.
#[server(prefix = "/api", endpoint = "open_vote")]
pub async fn open_vote(
    roundtable_id: i64,
    options: String,
    per_person: String,
    show_live: Option<String>,
    cluster_ids: Option<Vec<i64>>,
    note_ids: Option<Vec<i64>>,
) -> Result<(), AppError> {
    let state = ctx::state()?;
    rules::facilitate(ctx::user().as_ref())?;
    crate::roundtables::store::facts(&state.db, roundtable_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut form = Form::new();
    form.optional("options", &options, TOPIC_MAX * OPTIONS_MAX);
    let (clusters, notes) = super::vote_store::candidates(&state.db, roundtable_id).await?;
    let picked = |choices: Vec<(i64, String)>, ids: Option<Vec<i64>>| {
        let ids = ids.unwrap_or_default();
        choices
            .into_iter()
            .filter(move |(id, _)| ids.contains(id))
            .map(|(_, label)| label)
    };
    let mut topics: Vec<String> = picked(clusters, cluster_ids)
        .chain(picked(notes, note_ids))
        .collect();
    topics.extend(
        options
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string),
    );
    if !form.has_error("options")
        && (topics.len() < 2
            || topics.len() > OPTIONS_MAX
            || topics.iter().any(|t| t.chars().count() > TOPIC_MAX))
    {
        form.error("options", "vote.options_invalid");
    }
    form.required("per_person", &per_person, 3);
    let per_person = match per_person.trim().parse::<i64>() {
        Ok(n) if (1..=DOTS_MAX).contains(&n) => n,
        _ => {
            form.error("per_person", "validation.number");
            0
        }
    };
    form.finish()?;
    if !super::vote_store::open(
        &state.db,
        roundtable_id,
        &topics,
        per_person,
        show_live.is_some(),
    )
    .await?
    {
        return Err(AppError::refused("vote.already_open"));
    }
    changed(&state, roundtable_id);
    Ok(())
}

/// Puts one of the person's dots on a topic (`remove` to take one back).
#[server(prefix = "/api", endpoint = "cast_dot")]
pub async fn cast_dot(
    option_id: i64,
    remove: Option<String>,
    key: Option<String>,
) -> Result<(), AppError> {
    let state = ctx::state()?;
    let key = client_key(&key)?;
    let (_, roundtable_id, closed) = super::vote_store::option_vote(&state.db, option_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let user = writer(&state, roundtable_id).await?;
    if closed {
        return Err(AppError::refused("vote.closed"));
    }
    if remove.is_some() {
        if !super::vote_store::take_back(&state.db, option_id, user.id, key).await? {
            return Err(AppError::refused("vote.no_dot"));
        }
    } else {
        match super::vote_store::cast(&state.db, option_id, user.id, key).await? {
            super::vote_store::Dot::Cast => {}
            super::vote_store::Dot::Limit => return Err(AppError::refused("vote.limit")),
            super::vote_store::Dot::Closed => return Err(AppError::refused("vote.closed")),
        }
    }
    changed(&state, roundtable_id);
    Ok(())
}

/// Closes the vote; the topic with most dots is recorded on the roundtable.
#[server(prefix = "/api", endpoint = "close_vote")]
pub async fn close_vote(roundtable_id: i64) -> Result<(), AppError> {
    let state = ctx::state()?;
    rules::facilitate(ctx::user().as_ref())?;
    super::vote_store::close(&state.db, roundtable_id)
        .await?
        .ok_or(AppError::refused("vote.not_open"))?;
    changed(&state, roundtable_id);
    Ok(())
}
