//! An evaluation on the IRM's scales, and the monitoring body of a process.
pub use crate::irm::{OpenedGovernment, Potential, Progress};
use serde::{Deserialize, Serialize};

pub const BODY_MAX: usize = 200;
pub const REASONING_MAX: usize = 10_000;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    /// The monitoring body it is published under.
    pub body: String,
    pub verifiable: bool,
    pub potential: Potential,
    pub completion: Progress,
    pub opened_government: OpenedGovernment,
    pub reasoning: String,
    /// Local date it was (last) published; `None` while a draft.
    pub published_on: Option<String>,
}

/// A final commitment's evaluation as the viewer may see it: the published one
/// for everyone; for the monitoring body, its draft too and the form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommitmentEvaluation {
    pub commitment_id: i64,
    pub code: String,
    pub title: String,
    pub process_slug: String,
    pub evaluation: Option<Evaluation>,
    pub can_evaluate: bool,
    /// The body the viewer evaluates for, to fill the form.
    pub my_body: Option<String>,
}

/// A member of a process's monitoring body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evaluator {
    pub user_id: i64,
    pub name: String,
    pub body: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MonitoringBody {
    pub process_slug: String,
    pub process_title: String,
    pub members: Vec<Evaluator>,
}

/// What an evaluator works on: each process they evaluate, with its final
/// commitments and how far their evaluation of each has come.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EvaluatorDesk {
    pub processes: Vec<DeskProcess>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeskProcess {
    pub slug: String,
    pub title: String,
    /// (commitment id, code · title, evaluation published?, draft saved?)
    pub commitments: Vec<(i64, String, bool, bool)>,
}
