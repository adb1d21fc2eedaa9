//! Stage 1b: routing proposals to the agencies responsible, their verdicts and
//! public answers, feasibility meetings, and publication of the answers.
pub mod api;
pub mod model;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;
