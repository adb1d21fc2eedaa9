//! Who drafts commitment sheets, and who reads them.
use super::model::SheetState;
use crate::accounts::model::CurrentUser;
use crate::error::{AppError, AppResult};

/// The open-government team drafts and publishes the sheets.
pub fn draft(user: Option<&CurrentUser>) -> AppResult<&CurrentUser> {
    crate::processes::rules::manage_processes(user)
}

/// A draft is the team's (and, read-only, the process's monitoring body's)
/// until it is published for comment; then it is public.
pub fn read(user: Option<&CurrentUser>, state: SheetState, process_id: i64) -> AppResult<()> {
    if state != SheetState::Draft || user.is_some_and(|u| u.evaluates(process_id)) {
        Ok(())
    } else {
        draft(user).map(|_| ())
    }
}

/// A final sheet is no longer edited.
pub fn editable(state: SheetState) -> AppResult<()> {
    if state == SheetState::Final {
        Err(AppError::refused("commitment.final"))
    } else {
        Ok(())
    }
}
