//! Stage 1: proposals to a process's open call, their supports and history.
pub mod api;
pub mod model;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;
