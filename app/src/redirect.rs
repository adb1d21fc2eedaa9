//! (ssr) Where a request may send the browser next. A target that the request
//! names (`next`, `back`) is followed only when the URL a browser would make of
//! it is a path on this site; anything else goes to a safe page.

/// A stand-in origin: a target that keeps it is a path on this site.
pub const HERE: &str = "http://cocrea.invalid/";

/// `raw` as a path (with its query) on this site, or `None`.
pub fn local_target(raw: &str) -> Option<String> {
    // Browsers drop tabs and newlines and read `\` as `/`: refuse them, and
    // every other control character, rather than guess what they become.
    if raw.chars().any(|c| c.is_control() || c == '\\') {
        return None;
    }
    if !raw.starts_with('/') || raw.starts_with("//") {
        return None;
    }
    // Encoded slashes, backslashes and controls may be decoded once more on the way.
    let lower = raw.to_ascii_lowercase();
    if ["%2f", "%5c", "%09", "%0a", "%0d", "%00"]
        .iter()
        .any(|e| lower.contains(e))
    {
        return None;
    }
    let here = url::Url::parse(HERE).ok()?;
    let url = here.join(raw).ok()?;
    if url.origin() != here.origin() {
        return None;
    }
    let mut target = url.path().to_string();
    // Dot segments can fold into a leading `//` ("/.//host"): the browser
    // would read that as another site.
    if target.starts_with("//") {
        return None;
    }
    if let Some(query) = url.query() {
        target.push('?');
        target.push_str(query);
    }
    Some(target)
}

/// `raw` if it is a path on this site, else the home page.
pub fn safe_target(raw: Option<&str>) -> String {
    raw.and_then(local_target)
        .unwrap_or_else(|| "/".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_on_this_site_are_kept() {
        assert_eq!(local_target("/").as_deref(), Some("/"));
        assert_eq!(
            local_target("/proposals/3?page=2").as_deref(),
            Some("/proposals/3?page=2")
        );
        assert_eq!(local_target("/a/../b?x=%20").as_deref(), Some("/b?x=%20"));
    }

    #[test]
    fn anything_a_browser_would_take_elsewhere_falls_back() {
        for hostile in [
            "//evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r/evil.example",
            " //evil.example",
            "\t//evil.example",
            "https://evil.example/",
            "javascript:alert(1)",
            "http:evil.example",
            "/%2F%2Fevil.example",
            "/%2fevil.example",
            "/%5Cevil.example",
            "/%09/evil.example",
            "evil.example",
            "",
            "/\u{0}x",
            "/.//evil.example",
            "/a/..//evil.example",
        ] {
            assert_eq!(local_target(hostile), None, "{hostile:?}");
            assert_eq!(safe_target(Some(hostile)), "/", "{hostile:?}");
        }
        assert_eq!(safe_target(None), "/");
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Whatever is asked for, what is followed is a path on this site.
        #[test]
        fn a_target_is_always_a_local_path(raw in any::<String>(), tail in "[/\\\\\t\n%a-z0-9.:]{0,12}") {
            for candidate in [raw.clone(), format!("/{tail}"), format!("{tail}{raw}")] {
                let target = safe_target(Some(&candidate));
                prop_assert!(target.starts_with('/'));
                prop_assert!(!target.starts_with("//"));
                prop_assert!(!target.contains('\\'));
                prop_assert!(!target.chars().any(char::is_control));
            }
        }
    }
}
