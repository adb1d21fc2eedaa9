//! People, sessions, roles, organizations and agencies.
pub mod admin_pages;
pub mod api;
pub mod model;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod secrets;
#[cfg(feature = "ssr")]
pub mod store;
