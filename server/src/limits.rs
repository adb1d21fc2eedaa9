//! Rate limits on every server function, with `governor` (GCRA): each call is
//! counted against its kind's budget per client address and, for a signed-in
//! person, per account. Reads have a wide budget; every write a narrower one.
//! Meeting actions (notes, dots) have a wide address budget, since a whole
//! roundtable may sit behind one NAT address, and a per-account one that a
//! person typing notes never reaches. The open-government team (facilitators
//! and administrators) run meetings and write sheets: their accounts have
//! `TEAM_FACTOR` times the budget. A refusal is a 429 in the person's
//! language with `Retry-After`, and nothing behind it runs.
use crate::security;
use app::ctx::RequestInfo;
use app::error::AppError;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

/// The kinds of call, each with its own budgets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Read,
    /// Sign-up, login and password reset: each may hash a password.
    Auth,
    /// What participants do during a roundtable: notes and dots.
    Meeting,
    Write,
}

/// The kind of a server function, by its endpoint. Anything not listed is a
/// write, so a new server function is limited from the start.
pub fn kind_of(endpoint: &str) -> Kind {
    match endpoint {
        "routing_board"
        | "feasibility_review"
        | "agency_queue"
        | "agency_overview"
        | "roundtables"
        | "roundtable"
        | "roundtable_form"
        | "moderation_queue"
        | "audit_log"
        | "open_processes"
        | "open_data"
        | "api_reference"
        | "process"
        | "notifications"
        | "board"
        | "vote"
        | "list_sheet_comments"
        | "commitments"
        | "commitment"
        | "commitment_editor"
        | "compare_versions"
        | "comments"
        | "proposal_form"
        | "proposals"
        | "similar_proposals"
        | "proposal"
        | "whoami"
        | "admin_users"
        | "directory"
        | "stakeholder_directory"
        | "directory_registration"
        | "directory_review"
        | "my_organizations"
        | "survey_desk"
        | "survey_form"
        | "survey_answers"
        | "invitation_desk"
        | "outreach_figures"
        | "announcement_desk"
        | "followed_axes"
        | "roundtable_settings"
        | "directory_entry"
        | "organization_invitation" => Kind::Read,
        "signup" | "login" | "request_password_reset" | "reset_password" => Kind::Auth,
        "add_note" | "edit_note" | "delete_note" | "cast_dot" => Kind::Meeting,
        _ => Kind::Write,
    }
}

/// A budget: `per_second` on average, `burst` at once.
#[derive(Clone, Copy, Debug)]
pub struct Budget {
    pub per_second: u32,
    pub burst: u32,
}

impl Budget {
    const fn new(per_second: u32, burst: u32) -> Self {
        Budget { per_second, burst }
    }

    fn quota(self) -> Quota {
        let one = NonZeroU32::MIN;
        Quota::per_second(NonZeroU32::new(self.per_second).unwrap_or(one))
            .allow_burst(NonZeroU32::new(self.burst).unwrap_or(one))
    }

    fn times(self, factor: u32) -> Budget {
        Budget::new(
            self.per_second.saturating_mul(factor),
            self.burst.saturating_mul(factor),
        )
    }
}

/// How many times a person's budget the team's accounts have.
pub const TEAM_FACTOR: u32 = 5;

/// The budgets per address and per account of one kind of call.
#[derive(Clone, Copy, Debug)]
pub struct Budgets {
    pub address: Budget,
    pub account: Budget,
}

/// The budgets of every kind. 50 people behind one address writing a note
/// every few seconds (10 a second in all) stay well inside `meeting.address`;
/// a class of 300 can sign up from one school's address.
pub const DEFAULT: [(Kind, Budgets); 4] = [
    (
        Kind::Read,
        Budgets {
            address: Budget::new(50, 1000),
            account: Budget::new(20, 300),
        },
    ),
    (
        Kind::Auth,
        Budgets {
            address: Budget::new(2, 300),
            account: Budget::new(1, 20),
        },
    ),
    (
        Kind::Meeting,
        Budgets {
            address: Budget::new(20, 400),
            account: Budget::new(2, 40),
        },
    ),
    (
        Kind::Write,
        Budgets {
            address: Budget::new(3, 150),
            account: Budget::new(1, 40),
        },
    ),
];

/// `DEFAULT` with every budget `factor` times larger (for a deployment that
/// expects more, or a test that is about something else).
pub fn scaled(factor: u32) -> Vec<(Kind, Budgets)> {
    DEFAULT
        .iter()
        .map(|(kind, b)| {
            let budgets = Budgets {
                address: b.address.times(factor),
                account: b.account.times(factor),
            };
            (*kind, budgets)
        })
        .collect()
}

struct Limiters {
    kind: Kind,
    address: DefaultKeyedRateLimiter<String>,
    account: DefaultKeyedRateLimiter<i64>,
    team_account: DefaultKeyedRateLimiter<i64>,
}

/// Every limiter of the server, shared by its requests.
#[derive(Clone)]
pub struct Limits(Arc<Vec<Limiters>>);

impl Limits {
    pub fn new(budgets: &[(Kind, Budgets)]) -> Self {
        Limits(Arc::new(
            budgets
                .iter()
                .map(|(kind, b)| Limiters {
                    kind: *kind,
                    address: DefaultKeyedRateLimiter::keyed(b.address.quota()),
                    account: DefaultKeyedRateLimiter::keyed(b.account.quota()),
                    team_account: DefaultKeyedRateLimiter::keyed(
                        b.account.times(TEAM_FACTOR).quota(),
                    ),
                })
                .collect(),
        ))
    }

    /// `None` if the call may go ahead, else how long to wait. `account` is
    /// the signed-in person and whether they are of the team.
    pub fn check(
        &self,
        kind: Kind,
        address: &str,
        account: Option<(i64, bool)>,
    ) -> Option<Duration> {
        let limiters = self.0.iter().find(|l| l.kind == kind)?;
        let now = DefaultClock::default().now();
        let wait = |refusal: governor::NotUntil<_>| refusal.wait_time_from(now);
        if let Err(refusal) = limiters.address.check_key(&address.to_string()) {
            return Some(wait(refusal));
        }
        let checked = match account {
            Some((id, true)) => limiters.team_account.check_key(&id),
            Some((id, false)) => limiters.account.check_key(&id),
            None => Ok(()),
        };
        checked.err().map(wait)
    }

    /// Forgets the keys whose budgets are full again (their state is no longer
    /// needed), so the limiters' memory follows the recent callers only.
    pub fn forget_idle(&self) {
        for l in self.0.iter() {
            l.address.retain_recent();
            l.account.retain_recent();
            l.team_account.retain_recent();
            l.address.shrink_to_fit();
            l.account.shrink_to_fit();
            l.team_account.shrink_to_fit();
        }
    }
}

/// Counts each server function call; refuses it when a budget is spent.
pub async fn limit(State(limits): State<Limits>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let form_post = req.method() == axum::http::Method::POST
        && (path == "/lang" || path.starts_with("/unsubscribe/"));
    // The open data API and the downloads (data, documents made on request)
    // are reads, each with its cost bounded.
    let open_data = path.starts_with("/api/v1/")
        || path.starts_with("/data/")
        || path.starts_with("/processes/") && path.contains("/data/");
    let document = [".pdf", ".docx", ".zip"].iter().any(|e| path.ends_with(e));
    let kind = match path.strip_prefix("/api/") {
        _ if open_data || document => Kind::Read,
        Some(endpoint) => kind_of(endpoint),
        None if form_post => Kind::Write,
        None => return next.run(req).await,
    };
    let endpoint = path.to_string();
    let (address, account, locale) = req
        .extensions()
        .get::<RequestInfo>()
        .map(|r| {
            let account = r.user.as_ref().map(|u| (u.id, u.is_facilitator()));
            (r.ip.clone(), account, r.locale)
        })
        .unwrap_or_default();
    let Some(wait) = limits.check(kind, &address, account) else {
        return next.run(req).await;
    };
    tracing::warn!(%endpoint, ?kind, %address, ?account, "rate limited");
    let wants_json = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| !a.contains("text/html"));
    let mut res = if open_data {
        crate::open_data::problem(
            StatusCode::TOO_MANY_REQUESTS,
            locale,
            "api.problem.rate_limited",
            &locale.t("api.problem.rate_limited.detail"),
        )
    } else if wants_json {
        (
            StatusCode::TOO_MANY_REQUESTS,
            axum::Json(AppError::RateLimited),
        )
            .into_response()
    } else {
        security::plain_error(StatusCode::TOO_MANY_REQUESTS, locale, "error.rate_limited")
    };
    let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    if let Ok(v) = HeaderValue::from_str(&seconds.max(1).to_string()) {
        res.headers_mut().insert(header::RETRY_AFTER, v);
    }
    res
}
