//! Who announces: the open-government team. Anyone may join or leave the
//! contact base, with a mail that proves the address is theirs.
use crate::accounts::model::CurrentUser;
use crate::error::AppResult;

pub fn announce(user: Option<&CurrentUser>) -> AppResult<&CurrentUser> {
    crate::processes::rules::manage_processes(user)
}
