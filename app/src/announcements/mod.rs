//! The open call (stage 0): people opt in to the team's contact base (a
//! consent of its own, confirmed by mail, separate from any account), and the
//! team announces a process or a stage opening to all of them. The server's
//! announcement job sends each one at a rate the mail server accepts, each
//! person at most once per announcement, and picks up where it stopped after
//! a restart. Every mail carries a one-click unsubscribe.
pub mod api;
pub mod model;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;
