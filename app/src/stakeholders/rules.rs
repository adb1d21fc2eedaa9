//! Who registers an organization, and who decides on it.
use crate::accounts::model::CurrentUser;
use crate::accounts::rules::signed_in;
use crate::error::AppResult;

/// Anyone signed in registers an organization (and becomes its representative
/// once the team approves it).
pub fn register(user: Option<&CurrentUser>) -> AppResult<&CurrentUser> {
    signed_in(user)
}

/// The open-government team approves or turns down registrations and reads
/// their contacts.
pub fn review(user: Option<&CurrentUser>) -> AppResult<&CurrentUser> {
    crate::processes::rules::manage_processes(user)
}

/// A representative (a member) of the organization acts for it.
pub fn represent(user: Option<&CurrentUser>, organization_id: i64) -> AppResult<&CurrentUser> {
    let user = signed_in(user)?;
    if user.organization_ids.contains(&organization_id) {
        Ok(user)
    } else {
        Err(crate::error::AppError::Forbidden)
    }
}
