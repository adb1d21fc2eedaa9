//! Who writes and sends a survey, and who answers it.
use crate::accounts::model::CurrentUser;
use crate::accounts::rules::signed_in;
use crate::error::{AppError, AppResult};

/// The open-government team writes, sends and reads surveys.
pub fn manage(user: Option<&CurrentUser>) -> AppResult<&CurrentUser> {
    crate::processes::rules::manage_processes(user)
}

/// A member of an organization the survey was sent to answers for it, while
/// the survey is open.
pub fn answer(
    user: Option<&CurrentUser>,
    organization_id: i64,
    invited: bool,
    open: bool,
) -> AppResult<&CurrentUser> {
    let user = signed_in(user)?;
    if !invited || !user.organization_ids.contains(&organization_id) {
        return Err(AppError::Forbidden);
    }
    if !open {
        return Err(AppError::refused("survey.closed"));
    }
    Ok(user)
}
