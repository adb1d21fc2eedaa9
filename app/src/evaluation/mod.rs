//! The independent monitoring body of a process (the reference plan's
//! university): people the team appoints read everything of that process —
//! private notes, held answers, drafts — and download it whole; they record and
//! publish an evaluation of each final commitment on the IRM's scales, shown on
//! the commitment, its monitoring page and the tracking panel.
pub mod api;
pub mod model;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;
