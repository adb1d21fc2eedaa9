//! Invitations by theme (stage 0, the personalized call): the team picks
//! organizations of the directory by axis of interest and sector and invites
//! them to a process or to one of its roundtables. Each gets a mail with a
//! personal link, good for one person; the team follows every invitation from
//! sent to opened to registered, and per sector how many organizations were
//! invited and how many took part.
pub mod api;
pub mod model;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;
