//! Who reads a trajectory: anyone, as they read the proposal. What the public
//! may not see (held answers, drafts, unpublished progress, a hidden
//! proposal's text) never enters it: the stages' store functions used to build
//! it return only what is public.
use crate::error::{AppError, AppResult};

/// A proposal id that could name one (the route takes any number).
pub fn proposal_id(id: i64) -> AppResult<i64> {
    if id > 0 {
        Ok(id)
    } else {
        Err(AppError::NotFound)
    }
}
