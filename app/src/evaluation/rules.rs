//! Who appoints the monitoring body (the team), who evaluates (its members,
//! for their process only: the team never writes an evaluation), and who
//! reads everything of a process (the team and its monitoring body).
use crate::accounts::model::CurrentUser;
use crate::accounts::rules::signed_in;
use crate::error::{AppError, AppResult};

pub fn appoint(user: Option<&CurrentUser>) -> AppResult<&CurrentUser> {
    crate::processes::rules::manage_processes(user)
}

pub fn evaluate(user: Option<&CurrentUser>, process_id: i64) -> AppResult<&CurrentUser> {
    let user = signed_in(user)?;
    if user.evaluates(process_id) {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

pub fn read_everything(user: Option<&CurrentUser>, process_id: i64) -> AppResult<&CurrentUser> {
    let user = signed_in(user)?;
    if user.is_facilitator() || user.evaluates(process_id) {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}
