//! Who may comment, and where.
use super::model::MAX_DEPTH;
use crate::accounts::model::CurrentUser;
use crate::accounts::rules::signed_in;
use crate::error::{AppError, AppResult};

/// A signed-in person comments on an open subject; replies go at most three levels deep
/// and never under hidden comments.
pub fn post(
    user: Option<&CurrentUser>,
    subject_open: bool,
    parent: Option<(i64, bool)>,
) -> AppResult<&CurrentUser> {
    let user = signed_in(user)?;
    if !subject_open {
        return Err(AppError::refused("comment.closed"));
    }
    match parent {
        Some((depth, _)) if depth >= MAX_DEPTH => Err(AppError::refused("comment.too_deep")),
        Some((_, true)) => Err(AppError::refused("comment.parent_hidden")),
        _ => Ok(user),
    }
}
