//! Who may do what with an account: only its owner, signed in.
use crate::accounts::model::CurrentUser;
use crate::error::{AppError, AppResult};

pub fn own(user: Option<&CurrentUser>) -> AppResult<&CurrentUser> {
    user.ok_or(AppError::Unauthenticated)
}
