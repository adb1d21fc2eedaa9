//! An endorsement as the public reads it.
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Endorsement {
    pub organization: String,
    /// The representative's name and role, as they chose to publish them.
    pub person: String,
    pub role: String,
    pub on: String,
}

/// The endorsements of a plan, and what the viewer may do.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Endorsements {
    /// The process, whose published plan also takes public comments.
    pub process_id: i64,
    pub signed_in: bool,
    pub process_slug: String,
    pub process_title: String,
    /// The plan has a final commitment: it can be endorsed.
    pub plan_final: bool,
    pub items: Vec<Endorsement>,
    /// Organizations the viewer represents: (id, name, endorsed already).
    pub mine: Vec<(i64, String, bool)>,
}

pub const ROLE_MAX: usize = 120;
