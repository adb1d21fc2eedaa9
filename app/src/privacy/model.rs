//! What the account page shows.
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Account {
    pub display_name: String,
    pub email: String,
    /// A new address waiting for its confirmation.
    pub pending_email: Option<String>,
    pub confirmed: bool,
    pub locale: String,
    pub show_name_on_boards: bool,
    /// Kinds of notification (`NotificationKind::as_str`) and whether each is also emailed.
    pub email_kinds: Vec<(String, bool)>,
    /// When and to which version of the privacy notice the person consented.
    pub consent: Option<(String, String)>,
}
