//! One page of a longer list. Every list the app shows is paginated.
use serde::{Deserialize, Serialize};

pub const PER_PAGE: i64 = 20;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// 1-based page number.
    pub page: i64,
    pub per_page: i64,
    pub total: i64,
}

impl<T> Page<T> {
    /// Page `page` (of `PER_PAGE` items) of a list of `total` items.
    pub fn new(items: Vec<T>, page: i64, total: i64) -> Page<T> {
        Page {
            items,
            page,
            per_page: PER_PAGE,
            total,
        }
    }

    pub fn pages(&self) -> i64 {
        ((self.total + self.per_page - 1) / self.per_page).max(1)
    }
}

/// The last page number anyone may ask for: past it every list is empty anyway,
/// and the offset stays far from overflowing.
pub const MAX_PAGE: i64 = 1_000_000;

/// Clamps a requested page number and returns (page, offset).
pub fn window(page: i64) -> (i64, i64) {
    let page = page.clamp(1, MAX_PAGE);
    (page, (page - 1) * PER_PAGE)
}
