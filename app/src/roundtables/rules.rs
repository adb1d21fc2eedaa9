//! Who schedules roundtables, who registers, who gets the video-call link.
use crate::accounts::model::CurrentUser;
use crate::accounts::rules::signed_in;
use crate::error::{AppError, AppResult};

/// Scheduling is the open-government team's work.
pub fn schedule(user: Option<&CurrentUser>) -> AppResult<&CurrentUser> {
    crate::processes::rules::manage_processes(user)
}

/// Anyone signed in registers, until the roundtable has ended.
pub fn register(user: Option<&CurrentUser>, past: bool) -> AppResult<&CurrentUser> {
    let user = signed_in(user)?;
    if past {
        return Err(AppError::refused("roundtable.finished"));
    }
    Ok(user)
}

/// The link goes to registered people, the presenting agencies and the team.
pub fn join(user: Option<&CurrentUser>, registered: bool, presenting: &[i64]) -> bool {
    user.is_some_and(|u| {
        registered || u.is_facilitator() || presenting.iter().any(|a| u.agency_ids.contains(a))
    })
}
