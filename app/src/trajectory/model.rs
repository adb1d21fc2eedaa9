//! A proposal's trajectory: dated steps and where it stands now.
use crate::commitments::model::SheetState;
use crate::monitoring::model::{Progress, Standing};
use crate::proposals::model::ProposalEvent;
use crate::roundtables::model::PresentedAt;
use serde::{Deserialize, Serialize};

/// At most this many milestone updates are listed on one trajectory (the
/// newest); the commitment's monitoring page has them all.
pub const PROGRESS_STEPS_MAX: usize = 30;

/// How much of a trajectory to read: where the proposal stands now (the
/// summary on its page), or that with every dated step (its own page).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Depth {
    Standing,
    Steps,
}

/// A commitment named on a trajectory: (id, "CODE · title").
pub type CommitmentRef = (i64, String);

/// One dated step on the path. `on` is a local date, `YYYY-MM-DD`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Step {
    /// Submitted, routed, answered…: the proposal's own public history.
    Proposal(ProposalEvent),
    Presented {
        on: String,
        roundtable: (i64, String),
    },
    TopicChosen {
        on: String,
        roundtable: (i64, String),
        topic: String,
    },
    CommentPeriod {
        on: String,
        commitment: CommitmentRef,
    },
    Final {
        on: String,
        commitment: CommitmentRef,
    },
    Milestone {
        on: String,
        commitment: CommitmentRef,
        milestone: String,
        progress: Progress,
    },
}

impl Step {
    pub fn on(&self) -> &str {
        match self {
            Step::Proposal(e) => &e.on,
            Step::Presented { on, .. }
            | Step::TopicChosen { on, .. }
            | Step::CommentPeriod { on, .. }
            | Step::Final { on, .. }
            | Step::Milestone { on, .. } => on,
        }
    }
}

/// A commitment the proposal fed, and where it stands once final.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fed {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub state: SheetState,
    pub standing: Option<Standing>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Trajectory {
    pub proposal_id: i64,
    /// Empty when the proposal is hidden by moderation (then nothing else is).
    pub title: String,
    pub hidden: bool,
    pub process_slug: String,
    pub process_title: String,
    /// Oldest first.
    pub steps: Vec<Step>,
    pub roundtables: Vec<PresentedAt>,
    pub commitments: Vec<Fed>,
}

/// Steps in date order; steps of one day keep the order they were given in
/// (the proposal's history, then roundtables, then commitments).
pub fn in_order(mut steps: Vec<Step>) -> Vec<Step> {
    steps.sort_by(|a, b| a.on().cmp(b.on()));
    steps
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(on: &str, event: &str) -> Step {
        Step::Proposal(ProposalEvent {
            event: event.into(),
            on: on.into(),
            agency: None,
            detail: String::new(),
            actor: None,
        })
    }

    #[test]
    fn steps_run_by_date_and_keep_their_order_within_a_day() {
        let presented = Step::Presented {
            on: "2021-05-10".into(),
            roundtable: (1, "Mesa".into()),
        };
        let chosen = Step::TopicChosen {
            on: "2021-05-10".into(),
            roundtable: (1, "Mesa".into()),
            topic: "Datos".into(),
        };
        let steps = in_order(vec![
            event("2021-04-01", "submitted"),
            presented.clone(),
            chosen.clone(),
            event("2021-04-20", "answer_published"),
        ]);
        assert_eq!(steps[1], event("2021-04-20", "answer_published"));
        assert_eq!(steps[2], presented);
        assert_eq!(steps[3], chosen);
    }
}
