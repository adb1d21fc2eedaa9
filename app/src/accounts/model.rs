//! Accounts: people, their roles, the organizations they represent and the agencies
//! (government areas) they belong to. Shared by server and browser.
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Role {
    Participant,
    Facilitator,
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Participant, Role::Facilitator, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Participant => "participant",
            Role::Facilitator => "facilitator",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label_key(self) -> String {
        format!("role.{}", self.as_str())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Sector {
    CivilSociety,
    Academia,
    PrivateSector,
    PublicSector,
    Multilateral,
}

impl Sector {
    pub const ALL: [Sector; 5] = [
        Sector::CivilSociety,
        Sector::Academia,
        Sector::PrivateSector,
        Sector::PublicSector,
        Sector::Multilateral,
    ];

    /// Every sector's name as stored, in `ALL`'s order.
    pub const NAMES: [&'static str; 5] = [
        "civil_society",
        "academia",
        "private_sector",
        "public_sector",
        "multilateral",
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Sector::CivilSociety => "civil_society",
            Sector::Academia => "academia",
            Sector::PrivateSector => "private_sector",
            Sector::PublicSector => "public_sector",
            Sector::Multilateral => "multilateral",
        }
    }

    pub fn parse(s: &str) -> Option<Sector> {
        Sector::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label_key(self) -> String {
        format!("sector.{}", self.as_str())
    }
}

/// The two kinds of group a person can belong to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum GroupKind {
    /// A civil-society, academic, private, public or multilateral organization.
    Organization,
    /// A government agency (área de gobierno).
    Agency,
}

impl GroupKind {
    pub fn as_str(self) -> &'static str {
        match self {
            GroupKind::Organization => "organization",
            GroupKind::Agency => "agency",
        }
    }

    pub fn parse(s: &str) -> Option<GroupKind> {
        [GroupKind::Organization, GroupKind::Agency]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// The person making a request, as the server knows them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i64,
    pub display_name: String,
    pub role: Role,
    /// Agencies this person is a member of: an agency member acts for these only.
    pub agency_ids: Vec<i64>,
    /// Organizations this person may represent.
    pub organization_ids: Vec<i64>,
    /// Processes whose independent monitoring body this person is part of.
    #[serde(default)]
    pub evaluator_of: Vec<i64>,
    /// For the account menu: counted up to `notifications::store::UNREAD_COUNTED`.
    #[serde(default)]
    pub unread_notifications: i64,
}

impl CurrentUser {
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    /// Facilitators are the open-government team; administrators can do all they do.
    pub fn is_facilitator(&self) -> bool {
        self.role >= Role::Facilitator
    }

    /// Part of the independent monitoring body of `process_id`.
    pub fn evaluates(&self, process_id: i64) -> bool {
        self.evaluator_of.contains(&process_id)
    }

    pub fn is_agency_member(&self) -> bool {
        !self.agency_ids.is_empty()
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Organization {
    pub id: i64,
    pub name: String,
    pub sector: Sector,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Agency {
    pub id: i64,
    pub name: String,
    pub description: String,
}

/// A row of the administrators' user list. Emails appear only here, to administrators.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UserAdminRow {
    pub id: i64,
    pub display_name: String,
    pub email: String,
    pub role: Role,
    pub agencies: Vec<(i64, String)>,
    pub organizations: Vec<(i64, String)>,
}

/// Everything the administration pages need besides the user list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Directory {
    pub organizations: Vec<Organization>,
    pub agencies: Vec<Agency>,
}

pub const NAME_MAX: usize = 120;

/// The version of the privacy notice that sign-ups consent to now. Change it
/// when the notice (`privacy.*` in the catalogs) changes.
pub const PRIVACY_VERSION: &str = "2026-12-02";
pub const ORG_NAME_MAX: usize = 200;
pub const DESCRIPTION_MAX: usize = 2000;
