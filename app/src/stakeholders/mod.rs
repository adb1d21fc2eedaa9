//! The stakeholder directory (stage 0, the personalized call): organizations
//! register themselves with their sector, territory, web site, the thematic
//! axes they work on and a contact only the team reads; the team approves them;
//! the public directory lists the approved ones by sector and interest; people
//! join an organization by a request its representatives accept, or by an
//! invitation sent to their address. The team may change what an organization
//! says about itself (`edit_pages`).
pub mod api;
pub mod edit_pages;
#[cfg(feature = "ssr")]
pub mod joins;
pub mod joins_api;
pub mod joins_pages;
pub mod model;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;
