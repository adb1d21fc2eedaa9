//! Co-creation processes, their thematic axes and stage calendar.
pub mod api;
pub mod model;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;
