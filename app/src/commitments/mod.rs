//! Stage 3: commitment sheets drafted from a roundtable's board 2, every save a
//! version (who, when, why), stale saves refused with what changed, and any two
//! versions compared field by field (`diff`); exported as Markdown, JSON, DOCX
//! and PDF (`export`, at `/commitments/:id/sheet.{md,json,docx,pdf}`). The consultation
//! (`consultation_*`): a version published for comment between two dates,
//! comments anchored to a field or milestone, a reasoned response to each, and
//! the final publication.
pub mod api;
pub mod consultation_api;
pub mod consultation_pages;
#[cfg(feature = "ssr")]
pub mod consultation_store;
pub mod diff;
#[cfg(feature = "ssr")]
pub mod export;
pub mod model;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;
