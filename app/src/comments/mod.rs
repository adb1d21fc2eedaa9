//! Threaded comments shared by proposals (and later commitment sheets).
pub mod api;
pub mod model;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;
