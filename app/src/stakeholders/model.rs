//! The directory as its readers see it. Shared by server and browser.
use crate::accounts::model::Sector;
use crate::paging::Page;
use serde::{Deserialize, Serialize};

/// An approved organization as the public reads it: never its contact.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Listed {
    pub id: i64,
    pub name: String,
    pub sector: Sector,
    pub territory: String,
    pub website: String,
    pub description: String,
    /// The axes it works on, by name.
    pub interests: Vec<String>,
}

/// A thematic axis one can pick as an interest, named with its process.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AxisChoice {
    pub id: i64,
    pub label: String,
}

/// One page of the public directory, as filtered.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Directory {
    pub listed: Page<Listed>,
    pub sector: Option<Sector>,
    pub axis: Option<i64>,
    pub axes: Vec<AxisChoice>,
    /// How many approved organizations there are in each sector.
    pub by_sector: Vec<(Sector, i64)>,
    pub can_review: bool,
    pub signed_in: bool,
    /// The organizations the viewer represents, and those they asked to join.
    pub member_of: Vec<i64>,
    pub requested: Vec<i64>,
}

/// Where a registration stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    Pending,
    Approved,
    Rejected,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Approved => "approved",
            Status::Rejected => "rejected",
        }
    }

    /// What a decision leaves.
    pub fn decided(approve: bool) -> Status {
        if approve {
            Status::Approved
        } else {
            Status::Rejected
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        [Status::Pending, Status::Approved, Status::Rejected]
            .into_iter()
            .find(|x| x.as_str() == s)
    }
}

/// A registration the person made, as they follow it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Mine {
    pub name: String,
    pub status: Status,
    pub reason: String,
}

/// An organization of the directory as the team changes it: what it told,
/// with the contact only the team reads, and the axes one may pick.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EntrySheet {
    pub organization_id: i64,
    pub name: String,
    pub sector: Sector,
    pub territory: String,
    pub website: String,
    pub description: String,
    pub contact_email: String,
    pub axis_ids: Vec<i64>,
    pub axes: Vec<AxisChoice>,
}

/// What the registration page needs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RegistrationForm {
    pub signed_in: bool,
    pub axes: Vec<AxisChoice>,
    pub mine: Vec<Mine>,
}

/// A registration waiting for the team, with the contact only the team reads.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pending {
    pub listed: Listed,
    pub contact_email: String,
    pub registered_by: String,
    pub registered_on: String,
}

pub const NAME_MAX: usize = 160;
pub const TERRITORY_MAX: usize = 120;
pub const WEBSITE_MAX: usize = 300;
pub const DESCRIPTION_MAX: usize = 2000;
pub const REASON_MAX: usize = 1000;
/// More interests than this say nothing about an organization.
pub const INTERESTS_MAX: usize = 50;

/// A request to join, as the organization's representatives see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JoinRequest {
    pub id: i64,
    pub person: String,
    pub on: String,
}

/// An invitation a representative sent, and what became of it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SentInvitation {
    /// The address while it waits; the person's name once taken up.
    pub to: String,
    pub status: Status,
    pub on: String,
}

/// An organization the viewer represents: who asks to join, whom it invited.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Represented {
    pub id: i64,
    pub name: String,
    pub requests: Vec<JoinRequest>,
    pub invitations: Vec<SentInvitation>,
}

/// An invitation as the one who got the link sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Invitation {
    pub organization: String,
    pub signed_in: bool,
}

/// The most requests or invitations shown per organization (newest first).
pub const JOINS_SHOWN: i64 = 100;
