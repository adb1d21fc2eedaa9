//! The integration suite, as one test binary (one link instead of one per file).
mod abuse;
mod accounts;
mod admin;
mod boards;
mod cli;
mod comments;
mod commitments;
mod consultation;
mod facilitation;
mod feasibility;
mod fuzz;
mod moderation;
mod permissions;
mod processes;
mod proposals;
mod roundtables;
mod web;
