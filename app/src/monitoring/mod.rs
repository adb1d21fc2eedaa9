//! Stage 5: monitoring the plan once its sheets are final. The lead agencies
//! (and the team) file progress updates on each milestone, on the IRM
//! completion scale with dated evidence (links and files judged by their
//! bytes); the team publishes them or sends them back; published updates are
//! the milestone's public history. The tracking panel shows every commitment
//! by completion, with a chart over time and an Atom feed.
pub mod api;
pub mod model;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;
