//! The Independent Reporting Mechanism's scales, shared by the lead agencies'
//! progress updates (monitoring) and the monitoring body's evaluations.
use serde::{Deserialize, Serialize};

/// The IRM completion scale, in its order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Progress {
    NoEvidence,
    NotStarted,
    Limited,
    Substantial,
    Complete,
}

impl Progress {
    pub const ALL: [Progress; 5] = [
        Progress::NoEvidence,
        Progress::NotStarted,
        Progress::Limited,
        Progress::Substantial,
        Progress::Complete,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Progress::NoEvidence => "no_evidence",
            Progress::NotStarted => "not_started",
            Progress::Limited => "limited",
            Progress::Substantial => "substantial",
            Progress::Complete => "complete",
        }
    }

    pub fn parse(s: &str) -> Option<Progress> {
        Progress::ALL.into_iter().find(|p| p.as_str() == s)
    }

    pub fn key(self) -> String {
        format!("progress.{}", self.as_str())
    }

    /// How far along, out of 3 (no evidence counts as nothing shown).
    pub fn score(self) -> u32 {
        match self {
            Progress::NoEvidence | Progress::NotStarted => 0,
            Progress::Limited => 1,
            Progress::Substantial => 2,
            Progress::Complete => 3,
        }
    }
}

/// IRM: the commitment's potential for results.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Potential {
    Unclear,
    Modest,
    Substantial,
}

/// IRM: did it open government?
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OpenedGovernment {
    Worsened,
    DidNotChange,
    Marginal,
    Major,
    Outstanding,
}

macro_rules! scale {
    ($t:ty, $prefix:literal, [$($v:ident => $s:literal),+]) => {
        impl $t {
            pub const ALL: &'static [$t] = &[$(<$t>::$v),+];
            pub fn as_str(self) -> &'static str {
                match self { $(<$t>::$v => $s),+ }
            }
            pub fn parse(s: &str) -> Option<$t> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s)
            }
            pub fn key(self) -> String {
                format!(concat!($prefix, ".{}"), self.as_str())
            }
        }
    };
}

scale!(Potential, "potential", [Unclear => "unclear", Modest => "modest", Substantial => "substantial"]);
scale!(OpenedGovernment, "opened", [
    Worsened => "worsened", DidNotChange => "did_not_change", Marginal => "marginal",
    Major => "major", Outstanding => "outstanding"
]);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_read_back_what_they_write() {
        for p in Potential::ALL {
            assert_eq!(Potential::parse(p.as_str()), Some(*p));
        }
        for o in OpenedGovernment::ALL {
            assert_eq!(OpenedGovernment::parse(o.as_str()), Some(*o));
        }
        assert_eq!(OpenedGovernment::parse("huge"), None);
        assert_eq!(Potential::Modest.key(), "potential.modest");
    }
}
