//! In-app notifications (with an email copy): a person's own list, read or not.
pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;
