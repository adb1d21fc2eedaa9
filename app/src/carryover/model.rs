//! Carry-over candidates and the team's choice.
use crate::feasibility::model::Verdict;
use crate::paging::Page;
use serde::{Deserialize, Serialize};

/// At most this many proposals are carried in one go.
pub const CARRY_MAX: usize = 200;

/// A proposal of the earlier process that may be carried over.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    pub id: i64,
    pub title: String,
    pub axis: String,
    /// Its published verdicts: (agency, verdict).
    pub verdicts: Vec<(String, Verdict)>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CandidateFilter {
    pub verdict: Option<Verdict>,
    pub axis: Option<i64>,
    /// Only proposals with no published answer yet.
    pub unanswered: bool,
}

impl CandidateFilter {
    pub fn keeps(&self, axis: i64, verdicts: &[(String, Verdict)]) -> bool {
        self.axis.is_none_or(|a| a == axis)
            && self
                .verdict
                .is_none_or(|v| verdicts.iter().any(|(_, x)| *x == v))
            && (!self.unanswered || verdicts.is_empty())
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CarryOver {
    pub process_slug: String,
    pub process_title: String,
    /// The other processes: (slug, title).
    pub sources: Vec<(String, String)>,
    /// The chosen earlier process, its slug and axes.
    pub from: Option<(String, Vec<(i64, String)>)>,
    /// This process's axes, for the carried proposals.
    pub axes: Vec<(i64, String)>,
    pub candidates: Page<Candidate>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_pick_by_axis_verdict_and_unanswered() {
        let verdicts = vec![("Área".to_string(), Verdict::NotFeasible)];
        let all = CandidateFilter::default();
        assert!(all.keeps(1, &verdicts) && all.keeps(2, &[]));
        let f = CandidateFilter {
            axis: Some(1),
            verdict: Some(Verdict::NotFeasible),
            unanswered: false,
        };
        assert!(f.keeps(1, &verdicts));
        assert!(!f.keeps(2, &verdicts));
        assert!(!f.keeps(1, &[]));
        let unanswered = CandidateFilter {
            unanswered: true,
            ..Default::default()
        };
        assert!(unanswered.keeps(1, &[]) && !unanswered.keeps(1, &verdicts));
    }
}
