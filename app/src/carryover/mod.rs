//! Carry-over to the next co-creation instance: when the team opens a later
//! process, it brings in proposals of an earlier one that were not taken up
//! (filtered by verdict and axis, never one that fed a commitment). Each new
//! proposal links to the one it continues, both histories say so, and its
//! author is told.
pub mod api;
pub mod model;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;
