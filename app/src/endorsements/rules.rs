//! Who endorses: a representative of the organization, for it.
use crate::accounts::model::CurrentUser;
use crate::accounts::rules::signed_in;
use crate::error::{AppError, AppResult};

pub fn endorse(user: Option<&CurrentUser>, organization_id: i64) -> AppResult<&CurrentUser> {
    let user = signed_in(user)?;
    if user.organization_ids.contains(&organization_id) {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}
