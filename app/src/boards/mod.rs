//! Stage 2: the two boards of a roundtable. Notes are written through server
//! functions; every change is a numbered event that browsers receive pushed
//! (`/roundtables/:id/live`) and replay after a reconnect, from a snapshot.
//! The team runs the meeting (columns, clusters, countdown, phases) through
//! the `facilitation_*` files, and the topic vote through the `vote_*` files.
pub mod api;
pub mod facilitation_api;
pub mod facilitation_pages;
#[cfg(feature = "ssr")]
pub mod facilitation_store;
#[cfg(feature = "hydrate")]
mod live_client;
pub mod model;
pub mod outbox;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;
pub mod vote_pages;
#[cfg(feature = "ssr")]
pub mod vote_store;
