//! Reports, the moderation queue, hiding and restoring, and the audit log.
pub mod api;
pub mod model;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;
