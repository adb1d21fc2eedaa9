//! Who may route, answer and read feasibility work.
use crate::accounts::model::CurrentUser;
use crate::accounts::rules::signed_in;
use crate::error::{AppError, AppResult};

/// Routing, meetings and publication are for the open-government team.
pub fn route(user: Option<&CurrentUser>) -> AppResult<&CurrentUser> {
    crate::processes::rules::manage_processes(user)
}

/// Only members of the agency answer for it.
pub fn answer(user: Option<&CurrentUser>, agency_id: i64) -> AppResult<&CurrentUser> {
    let user = signed_in(user)?;
    if user.agency_ids.contains(&agency_id) {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

/// A proposal's review (with private notes) is for the team and the agencies it
/// was ever assigned to.
pub fn review<'a>(user: Option<&'a CurrentUser>, involved: &[i64]) -> AppResult<&'a CurrentUser> {
    let user = signed_in(user)?;
    if user.is_facilitator() || involved.iter().any(|a| user.agency_ids.contains(a)) {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

/// The queue is for agency members.
pub fn queue(user: Option<&CurrentUser>) -> AppResult<&CurrentUser> {
    let user = signed_in(user)?;
    if user.is_agency_member() {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

/// An agency's page: the team, and the agency's own members.
pub fn agency_page(user: Option<&CurrentUser>, agency_id: i64) -> AppResult<&CurrentUser> {
    review(user, &[agency_id])
}
