//! Traceability: the whole path of a proposal, with dates — its agencies'
//! answers, the roundtables where it was presented and the topic they chose,
//! the commitments it fed, their consultation and final publication, and the
//! progress published on their milestones. It sits above every stage and reads
//! them through their store functions; the proposal page shows its summary.
pub mod api;
pub mod model;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;
