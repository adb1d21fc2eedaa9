//! What the open data and the API allow: the licence, page sizes, and how a
//! request's parameters are read (anything else is refused, said why).

/// Every dataset is published under this licence.
pub const LICENCE_NAME: &str = "Creative Commons Atribución 4.0 (CC BY 4.0)";
pub const LICENCE_URL: &str = "https://creativecommons.org/licenses/by/4.0/";

/// Rows per page when a request names none, and the most it may ask for.
pub const DEFAULT_LIMIT: i64 = 100;
pub const MAX_LIMIT: i64 = 1000;
/// Search words: longer text is refused.
pub const MAX_QUERY: usize = 200;

/// A parameter the request got wrong: its name and the catalog key saying why.
#[derive(Clone, Debug, PartialEq)]
pub struct BadParam {
    pub param: String,
    pub reason: &'static str,
}

fn bad(param: &str, reason: &'static str) -> BadParam {
    BadParam {
        param: param.to_string(),
        reason,
    }
}

/// A whole number in `min..=max` written as digits alone.
pub fn number(param: &str, v: &str, min: i64, max: i64) -> Result<i64, BadParam> {
    if v.is_empty() || v.len() > 19 || !v.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad(param, "api.error.not_a_number"));
    }
    match v.parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(bad(param, "api.error.out_of_range")),
    }
}

/// Every parameter is one the address takes: a misspelt filter is refused
/// rather than silently ignored (which would answer every row).
pub fn known<'a>(
    pairs: impl IntoIterator<Item = &'a str>,
    allowed: &[&str],
) -> Result<(), BadParam> {
    match pairs.into_iter().find(|k| !allowed.contains(k)) {
        Some(k) => Err(bad(k, "api.error.unknown_param")),
        None => Ok(()),
    }
}

/// Where a page starts and how long it is, from `after` and `limit`.
pub fn window(after: Option<&str>, limit: Option<&str>) -> Result<(i64, i64), BadParam> {
    let after = after.map_or(Ok(0), |v| number("after", v, 0, i64::MAX))?;
    let limit = limit.map_or(Ok(DEFAULT_LIMIT), |v| number("limit", v, 1, MAX_LIMIT))?;
    Ok((after, limit))
}

/// One of `values`.
pub fn one_of(param: &str, v: &str, values: &[&str]) -> Result<String, BadParam> {
    if values.contains(&v) {
        Ok(v.to_string())
    } else {
        Err(bad(param, "api.error.not_a_value"))
    }
}

/// Search text: at most `MAX_QUERY` characters.
pub fn words(v: &str) -> Result<String, BadParam> {
    if v.chars().count() > MAX_QUERY {
        Err(bad("q", "api.error.too_long"))
    } else {
        Ok(v.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_take_digits_in_range_only() {
        assert_eq!(window(None, None), Ok((0, DEFAULT_LIMIT)));
        assert_eq!(window(Some("15"), Some("1000")), Ok((15, 1000)));
        for (after, limit) in [
            (Some("-1"), None),
            (Some("1e3"), None),
            (None, Some("0")),
            (None, Some("1001")),
            (None, Some(" 5")),
            (Some("99999999999999999999"), None),
            (None, Some("")),
        ] {
            assert!(window(after, limit).is_err(), "{after:?} {limit:?}");
        }
    }
}
