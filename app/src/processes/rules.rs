//! Who may do what with processes.
use crate::accounts::model::CurrentUser;
use crate::accounts::rules::signed_in;
use crate::error::{AppError, AppResult};

/// Creating and running processes is the open-government team's work.
pub fn manage_processes(user: Option<&CurrentUser>) -> AppResult<&CurrentUser> {
    let user = signed_in(user)?;
    if user.is_facilitator() {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}
