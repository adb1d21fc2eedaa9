//! Form validation shared by every server function: collects per-field errors and
//! echoes what was typed so a form re-rendered without JavaScript keeps it.
use crate::error::{AppError, AppResult, FieldError};

#[derive(Default)]
pub struct Form {
    errors: Vec<FieldError>,
    values: Vec<(String, String)>,
}

impl Form {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn error(&mut self, field: &str, key: &str) {
        if !self.errors.iter().any(|e| e.field == field) {
            self.errors.push(FieldError {
                field: field.to_string(),
                key: key.to_string(),
            });
        }
    }

    fn echo(&mut self, field: &str, value: &str) {
        // Cap the echo: it travels back in a URL when JavaScript is off.
        let capped: String = value.chars().take(2000).collect();
        self.values.push((field.to_string(), capped));
    }

    /// A required text: trimmed, non-empty, at most `max` characters.
    pub fn required(&mut self, field: &str, value: &str, max: usize) -> String {
        self.echo(field, value);
        let v = value.trim();
        if v.is_empty() {
            self.error(field, "validation.required");
        } else if v.chars().count() > max {
            self.error(field, "validation.too_long");
        }
        v.to_string()
    }

    /// An optional text: trimmed, at most `max` characters; `None` when blank.
    pub fn optional(&mut self, field: &str, value: &str, max: usize) -> Option<String> {
        self.echo(field, value);
        let v = value.trim();
        if v.chars().count() > max {
            self.error(field, "validation.too_long");
        }
        (!v.is_empty()).then(|| v.to_string())
    }

    /// An email address, lower-cased.
    pub fn email(&mut self, field: &str, value: &str) -> String {
        let v = self.required(field, value, 254).to_lowercase();
        if !v.is_empty() && !looks_like_email(&v) {
            self.error(field, "validation.email");
        }
        v
    }

    /// A password: never echoed back.
    pub fn password(&mut self, field: &str, value: &str) -> String {
        let n = value.chars().count();
        if value.trim().is_empty() {
            self.error(field, "validation.required");
        } else if n < 10 {
            self.error(field, "validation.password_short");
        } else if n > 128 {
            self.error(field, "validation.too_long");
        }
        value.to_string()
    }

    /// A calendar date `YYYY-MM-DD`.
    pub fn date(&mut self, field: &str, value: &str) -> String {
        let v = self.required(field, value, 10);
        if !v.is_empty() && !is_iso_date(&v) {
            self.error(field, "validation.date");
        }
        v
    }

    /// One of the allowed values.
    pub fn choice(&mut self, field: &str, value: &str, allowed: &[&str]) -> String {
        self.echo(field, value);
        if !allowed.contains(&value) {
            self.error(field, "validation.choice");
        }
        value.to_string()
    }

    /// Refuses the whole form with `key`, keeping what was typed.
    pub fn refuse(self, key: &str) -> AppError {
        self.refuse_field("", key)
    }

    /// Refuses one field after a check that only the store can make (a name
    /// taken meanwhile), keeping what was typed.
    pub fn refuse_field(mut self, field: &str, key: &str) -> AppError {
        self.error(field, key);
        AppError::Invalid {
            errors: self.errors,
            values: self.values,
        }
    }

    pub fn has_error(&self, field: &str) -> bool {
        self.errors.iter().any(|e| e.field == field)
    }

    /// Like `finish`, but keeps the form for a later `refuse`.
    pub fn check(&self) -> AppResult<()> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(AppError::Invalid {
                errors: self.errors.clone(),
                values: self.values.clone(),
            })
        }
    }

    pub fn finish(self) -> AppResult<()> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(AppError::Invalid {
                errors: self.errors,
                values: self.values,
            })
        }
    }
}

fn looks_like_email(v: &str) -> bool {
    let Some((local, domain)) = v.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !v
            .chars()
            .any(|c| c.is_whitespace() || c == '<' || c == '>' || c == ',')
        && !domain.contains('@')
}

/// `YYYY-MM-DD` with a real month and day (leap years included).
pub fn is_iso_date(v: &str) -> bool {
    let b = v.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let (Ok(y), Ok(m), Ok(d)) = (
        v[0..4].parse::<u32>(),
        v[5..7].parse::<u32>(),
        v[8..10].parse::<u32>(),
    ) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d) && y >= 1900
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_only_is_missing_and_long_is_refused() {
        let mut f = Form::new();
        f.required("a", "   ", 10);
        f.required("b", &"x".repeat(11), 10);
        let err = f.finish().unwrap_err();
        assert_eq!(err.field_key("a"), Some("validation.required"));
        assert_eq!(err.field_key("b"), Some("validation.too_long"));
    }

    #[test]
    fn dates_are_checked() {
        assert!(is_iso_date("2024-02-29"));
        assert!(!is_iso_date("2023-02-29"));
        assert!(!is_iso_date("2023-13-01"));
        assert!(!is_iso_date("01/02/2023"));
    }

    #[test]
    fn passwords_are_never_echoed() {
        let mut f = Form::new();
        f.email("email", "not-an-email");
        f.password("password", "short");
        let err = f.finish().unwrap_err();
        assert_eq!(err.echoed("email"), Some("not-an-email"));
        assert_eq!(err.echoed("password"), None);
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Validators take any text without panicking, keep to their limits,
        /// and never echo a password.
        #[test]
        fn validators_take_anything(value in any::<String>(), max in 0usize..300) {
            let mut form = Form::new();
            let required = form.required("a", &value, max);
            prop_assert!(form.has_error("a") || (required.chars().count() <= max && !required.is_empty()));
            let _ = form.optional("b", &value, max);
            let _ = form.email("c", &value);
            let _ = form.date("d", &value);
            let _ = form.choice("e", &value, &["x", "y"]);
            let _ = form.password("f", &value);
            if let Err(AppError::Invalid { values, .. }) = form.finish() {
                prop_assert!(values.iter().all(|(field, v)| field != "f" && v.chars().count() <= 2000));
            }
        }

        /// Any page number gives a page within bounds and an offset that fits.
        #[test]
        fn any_page_number_gives_a_bounded_window(page in any::<i64>()) {
            let (page, offset) = crate::paging::window(page);
            prop_assert!((1..=crate::paging::MAX_PAGE).contains(&page));
            prop_assert!(offset >= 0 && offset < crate::paging::MAX_PAGE * crate::paging::PER_PAGE);
        }
    }
}
