//! The co-creation report of a process, computed from its data: proposals by
//! axis and sector, agencies and their verdicts, public meetings, who took part
//! by sector, comments on the drafts and how they were answered, milestones by
//! status. Its page answers the plan's own questions, with charts, and prints;
//! it downloads as CSV, JSON, DOCX and PDF.
pub mod api;
#[cfg(feature = "ssr")]
pub mod export;
pub mod model;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;
