//! The personalized call's survey (stage 0): the team writes a short
//! questionnaire per process (short or long text, one or several choices, the
//! process's axes), sends it to chosen organizations of the directory, and
//! reads the answers, one response per organization, editable by its members
//! until the survey closes, exportable as CSV. An answer about axes can update
//! the organization's declared interests.
pub mod api;
pub mod model;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;
