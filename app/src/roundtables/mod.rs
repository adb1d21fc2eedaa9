//! Stage 2: thematic roundtables: scheduling, the proposals and agencies they
//! present, registration with a waitlist, the calendar file, and the record
//! kept once it is over (attendance, boards, vote; exported by `record`).
pub mod api;
#[cfg(feature = "ssr")]
pub mod calendar;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod record;
pub mod record_pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;
