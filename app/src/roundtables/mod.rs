//! Stage 2: thematic roundtables: scheduling, the proposals and agencies they
//! present, registration with a waitlist, the calendar file, and the record
//! kept once it is over (attendance, boards, vote; exported by `record`);
//! the team changes or cancels one that has not happened (`setup_pages`).
pub mod api;
#[cfg(feature = "ssr")]
pub mod calendar;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod record;
pub mod record_pages;
pub mod rules;
pub mod setup_pages;
#[cfg(feature = "ssr")]
pub mod store;
