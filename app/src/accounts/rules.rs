//! Who may do what with accounts. One function per action; server functions call
//! these before touching the store.
use super::model::CurrentUser;
use crate::error::{AppError, AppResult};

/// Any signed-in person.
pub fn signed_in(user: Option<&CurrentUser>) -> AppResult<&CurrentUser> {
    user.ok_or(AppError::Unauthenticated)
}

/// Managing users, roles, organizations and agencies is for administrators.
pub fn manage_accounts(user: Option<&CurrentUser>) -> AppResult<&CurrentUser> {
    let user = signed_in(user)?;
    if user.is_admin() {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

/// An administrator may not demote themself: there must always be one left.
pub fn change_role(actor: &CurrentUser, target_id: i64) -> AppResult<()> {
    if actor.id == target_id {
        return Err(AppError::refused("admin.cannot_change_own_role"));
    }
    Ok(())
}
