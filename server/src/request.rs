//! Resolves what every handler needs to know about a request (signed-in person,
//! locale, client address, CSP nonce) once, into a `RequestInfo` extension.
use app::accounts::{api::SESSION_COOKIE, secrets, store};
use app::ctx::{AppState, RequestInfo};
use app::i18n::{self, Locale};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap};
use axum::middleware::Next;
use axum::response::Response;
use std::net::SocketAddr;

#[derive(Clone)]
pub struct RequestConfig {
    pub state: AppState,
    pub trust_proxy: bool,
}

pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

pub fn locale_of(headers: &HeaderMap) -> Locale {
    cookie(headers, i18n::COOKIE)
        .and_then(Locale::from_tag)
        .or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Locale::from_accept_language)
        })
        .unwrap_or_default()
}

/// The client as the limits count it: an IPv4 address, or the /64 of an IPv6
/// one (a subscriber usually holds a whole /64, and could rotate within it).
pub fn client_address(ip: std::net::IpAddr) -> String {
    match ip {
        std::net::IpAddr::V4(v4) => v4.to_string(),
        std::net::IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

pub async fn resolve(State(cfg): State<RequestConfig>, mut req: Request, next: Next) -> Response {
    let headers = req.headers();
    // Static files need no session: spare the database a lookup per asset.
    let is_asset = req.uri().path().starts_with("/pkg/");
    let session_hash = cookie(headers, SESSION_COOKIE)
        .filter(|_| !is_asset)
        .filter(|t| !t.is_empty())
        .map(secrets::token_hash);
    let user = match &session_hash {
        Some(hash) => store::user_for_session(&cfg.state.db, hash)
            .await
            .ok()
            .flatten(),
        None => None,
    };
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    // Behind a proxy, the address is the one the proxy added: the last entry.
    // Whatever precedes it was written by the client and proves nothing.
    let forwarded = cfg
        .trust_proxy
        .then(|| {
            headers
                .get_all("x-forwarded-for")
                .iter()
                .last()
                .and_then(|v| v.to_str().ok())
        })
        .flatten()
        .and_then(|v| v.rsplit(',').next())
        .and_then(|v| v.trim().parse::<std::net::IpAddr>().ok());
    let info = RequestInfo {
        user,
        session_hash,
        ip: forwarded
            .or(peer)
            .map_or_else(|| "unknown".into(), client_address),
        locale: locale_of(headers),
        nonce: secrets::new_token(),
    };
    req.extensions_mut().insert(info);
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::client_address;

    #[test]
    fn ipv6_clients_are_counted_by_their_64() {
        let a = client_address("2001:db8:1:2:aaaa::1".parse().unwrap());
        let b = client_address("2001:db8:1:2:ffff:ffff:ffff:ffff".parse().unwrap());
        assert_eq!(a, "2001:db8:1:2::/64");
        assert_eq!(a, b);
        assert_ne!(a, client_address("2001:db8:1:3::1".parse().unwrap()));
        assert_eq!(
            client_address("::ffff:192.0.2.7".parse().unwrap()),
            "192.0.2.7"
        );
        assert_eq!(client_address("192.0.2.7".parse().unwrap()), "192.0.2.7");
    }
}
