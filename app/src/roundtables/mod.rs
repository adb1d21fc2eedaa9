//! Stage 2: thematic roundtables: scheduling, the proposals and agencies they
//! present, registration with a waitlist, and the calendar file.
pub mod api;
#[cfg(feature = "ssr")]
pub mod calendar;
pub mod model;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;
