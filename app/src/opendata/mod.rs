//! Open data: every public dataset of a process (each stage declares its own,
//! see `crate::dataset`) as CSV and JSON downloads, described on a "Datos
//! abiertos" page and in a DCAT catalogue, and read page by page through the
//! read-only API (`/api/v1`, served by the server's `open_data`).
pub mod api;
pub mod model;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;
