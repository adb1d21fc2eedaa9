//! Who carries proposals over: the open-government team.
use crate::accounts::model::CurrentUser;
use crate::error::AppResult;

pub fn carry(user: Option<&CurrentUser>) -> AppResult<&CurrentUser> {
    crate::processes::rules::manage_processes(user)
}
