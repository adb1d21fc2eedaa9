//! Who invites organizations: the open-government team. Taking up an
//! invitation needs only its link and an account.
use crate::accounts::model::CurrentUser;
use crate::error::AppResult;

pub fn invite(user: Option<&CurrentUser>) -> AppResult<&CurrentUser> {
    crate::processes::rules::manage_processes(user)
}

pub fn take_up(user: Option<&CurrentUser>) -> AppResult<&CurrentUser> {
    crate::accounts::rules::signed_in(user)
}
