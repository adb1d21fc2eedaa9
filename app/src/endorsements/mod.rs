//! Endorsements of the final plan by non-governmental stakeholders (the
//! reference plan's "Respaldo de partes interesadas no gubernamentales"): a
//! representative endorses for their organization, with their name and role as
//! published, and can withdraw it.
pub mod api;
pub mod model;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;
