//! Who may do what with proposals, and when.
use crate::accounts::model::CurrentUser;
use crate::accounts::rules::signed_in;
use crate::error::{AppError, AppResult};

/// Submitting needs a signed-in person and an open intake stage.
pub fn submit(user: Option<&CurrentUser>, intake_open: bool) -> AppResult<&CurrentUser> {
    let user = signed_in(user)?;
    if !intake_open {
        return Err(AppError::refused("proposal.intake_closed"));
    }
    Ok(user)
}

/// Only the author edits or withdraws, while intake is open and the proposal stands.
pub fn change(
    user: Option<&CurrentUser>,
    author_id: i64,
    intake_open: bool,
    withdrawn: bool,
) -> AppResult<&CurrentUser> {
    let user = signed_in(user)?;
    if user.id != author_id {
        return Err(AppError::Forbidden);
    }
    if withdrawn {
        return Err(AppError::refused("proposal.withdrawn"));
    }
    if !intake_open {
        return Err(AppError::refused("proposal.intake_closed"));
    }
    Ok(user)
}

/// Any signed-in person supports a proposal that has not been withdrawn.
pub fn support(user: Option<&CurrentUser>, withdrawn: bool) -> AppResult<&CurrentUser> {
    let user = signed_in(user)?;
    if withdrawn {
        return Err(AppError::refused("proposal.withdrawn"));
    }
    Ok(user)
}

/// A proposal may be credited to an organization only by one of its representatives.
pub fn represent(user: &CurrentUser, organization_id: Option<i64>) -> AppResult<()> {
    match organization_id {
        Some(id) if !user.organization_ids.contains(&id) => Err(AppError::Forbidden),
        _ => Ok(()),
    }
}
