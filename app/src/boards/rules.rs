//! Who writes on a roundtable's boards, and who runs them.
use crate::accounts::model::CurrentUser;
use crate::accounts::rules::signed_in;
use crate::error::{AppError, AppResult};

/// Registered participants, the presenting agencies' members and the team write.
pub fn write<'a>(
    user: Option<&'a CurrentUser>,
    registered: bool,
    presenting: &[i64],
) -> AppResult<&'a CurrentUser> {
    let user = signed_in(user)?;
    if registered || user.is_facilitator() || presenting.iter().any(|a| user.agency_ids.contains(a))
    {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

/// A locked board takes no notes.
pub fn open(locked: bool) -> AppResult<()> {
    if locked {
        Err(AppError::refused("board.locked"))
    } else {
        Ok(())
    }
}

/// Only the author edits or deletes a note.
pub fn own(user: &CurrentUser, author_id: i64) -> AppResult<()> {
    if user.id == author_id {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// The team runs the boards (lock, and the controls to come).
pub fn facilitate(user: Option<&CurrentUser>) -> AppResult<&CurrentUser> {
    crate::processes::rules::manage_processes(user)
}
