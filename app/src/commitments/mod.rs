//! Stage 3: commitment sheets drafted from a roundtable's board 2, every save a
//! version (who, when, why), stale saves refused with what changed, and any two
//! versions compared field by field (`diff`); exported as Markdown, JSON and
//! DOCX (`export`, at `/commitments/:id/sheet.{md,json,docx}`).
pub mod api;
pub mod diff;
#[cfg(feature = "ssr")]
pub mod export;
pub mod model;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;
