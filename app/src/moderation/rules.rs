//! Who moderates.
use crate::accounts::model::CurrentUser;
use crate::accounts::rules::signed_in;
use crate::error::{AppError, AppResult};

/// Anyone signed in may report.
pub fn report(user: Option<&CurrentUser>) -> AppResult<&CurrentUser> {
    signed_in(user)
}

/// The open-government team moderates.
pub fn moderate(user: Option<&CurrentUser>) -> AppResult<&CurrentUser> {
    crate::processes::rules::manage_processes(user)
}

/// Administrators read the audit log.
pub fn read_audit(user: Option<&CurrentUser>) -> AppResult<&CurrentUser> {
    let user = signed_in(user)?;
    if user.is_admin() {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}
