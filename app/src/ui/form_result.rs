//! What a form posted without a script comes back with. Outside the islands
//! every form posts to its server function, which answers by sending the
//! browser back to the page. server_fn names a failure in that address
//! (`__path`, `__err`); the server adds a success the same way (`__done`, the
//! function's path, and `__out`, its result), so the page shows what a script
//! would have: "saved", "3 proposals assigned".
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

const DONE: &str = "__done";
const OUT: &str = "__out";
/// Results longer than this are not put in the address: the page then shows
/// no outcome, as before.
pub const MAX_OUT: usize = 1024;

/// A server action for a page's form that starts with the result the address
/// carries for it, if the form was just posted with success.
pub fn form_action<S>() -> ServerAction<S>
where
    S: ServerFn<Error = crate::error::AppError> + Clone + Send + Sync + 'static,
    S::Output: serde::de::DeserializeOwned + Clone + Send + Sync + 'static,
{
    let action = ServerAction::<S>::new();
    if let Some(out) = result_in(&address_query(), S::PATH) {
        action.value().set(Some(Ok(out)));
    }
    action
}

/// The result for the function at `path` in a query string, if it names it.
fn result_in<T: serde::de::DeserializeOwned>(query: &str, path: &str) -> Option<T> {
    let (done, out) = two_values(query, DONE, OUT);
    if done.as_deref() != Some(path) {
        return None;
    }
    let bytes = URL_SAFE_NO_PAD.decode(out?).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// The values of two keys of a query string (the last of each, if repeated).
fn two_values(query: &str, a: &str, b: &str) -> (Option<String>, Option<String>) {
    let (mut first, mut second) = (None, None);
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        if key == a {
            first = Some(value.into_owned());
        } else if key == b {
            second = Some(value.into_owned());
        }
    }
    (first, second)
}

/// The query string of the page being built: the request's on the server,
/// the window's in an island.
fn address_query() -> String {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|parts| parts.uri.query().map(str::to_string))
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        window()
            .location()
            .search()
            .map(|s| s.trim_start_matches('?').to_string())
            .unwrap_or_default()
    }
}

/// (ssr) The address a form post is sent back to, without the outcome of an
/// earlier post, and with this one's when it succeeded (`result` is the
/// function's answer; `None` for a failure, which server_fn names itself).
#[cfg(feature = "ssr")]
pub fn back_with(location: &url::Url, fn_path: &str, result: Option<&[u8]>) -> url::Url {
    let mut url = location.clone();
    let kept: Vec<(String, String)> = location
        .query_pairs()
        .filter(|(k, _)| k != DONE && k != OUT)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    url.set_query(None);
    let result = result.filter(|r| r.len() <= MAX_OUT);
    if !kept.is_empty() || result.is_some() {
        let mut pairs = url.query_pairs_mut();
        pairs.extend_pairs(kept);
        if let Some(result) = result {
            pairs.append_pair(DONE, fn_path);
            pairs.append_pair(OUT, &URL_SAFE_NO_PAD.encode(result));
        }
    }
    url
}

/// (hydrate) In an island, the failure the address names for a form posted
/// without a script, as the router gives it to the server's page.
#[cfg(feature = "hydrate")]
pub fn provide_failure_in_address() {
    let (path, err) = two_values(&address_query(), "__path", "__err");
    if let (Some(path), Some(err)) = (path, err) {
        provide_context(leptos::server::ServerActionError::new(&path, &err));
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn a_success_replaces_the_last_one_and_keeps_the_page_query() {
        let page = url::Url::parse("http://h/p?page=2&__done=%2Fapi%2Fold&__out=bnVsbA").unwrap();
        let back = back_with(&page, "/api/new", Some(b"3"));
        assert_eq!(result_in::<i64>(back.query().unwrap(), "/api/new"), Some(3));
        assert_eq!(result_in::<()>(back.query().unwrap(), "/api/old"), None);
        assert!(back.query().unwrap().starts_with("page=2&"));
    }

    #[test]
    fn a_failure_or_a_long_result_leaves_no_success() {
        let page = url::Url::parse("http://h/p?__done=%2Fapi%2Fold&__out=bnVsbA").unwrap();
        assert_eq!(back_with(&page, "/api/new", None).as_str(), "http://h/p");
        let long = vec![b'1'; MAX_OUT + 1];
        assert_eq!(
            back_with(&page, "/api/new", Some(&long)).as_str(),
            "http://h/p"
        );
    }

    #[test]
    fn a_forged_result_is_ignored() {
        assert_eq!(
            result_in::<i64>("__done=%2Fapi%2Fx&__out=%%%", "/api/x"),
            None
        );
        assert_eq!(
            result_in::<i64>("__done=%2Fapi%2Fx&__out=InRleHQi", "/api/x"),
            None
        );
        assert_eq!(result_in::<i64>("__done=%2Fapi%2Fx", "/api/x"), None);
    }
}
