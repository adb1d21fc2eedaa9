//! People own their data (Ley 25.326, Ley 1.845): the "Mi cuenta" page (name,
//! language, email with confirmation, password, which notices also come by
//! email, the name on board notes), the download of everything stored about the
//! person, and the deletion of the account. It sits above the stages: each
//! hands it its part through `personal_data` and `forget` in its store.
pub mod api;
pub mod model;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;
