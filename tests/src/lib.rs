//! Test harness in the manner of Zero To Production's `spawn_app()`: every test
//! starts the real server on a random port with a fresh database of its own, on
//! SQLite or PostgreSQL, and talks to it over HTTP like a browser or client would.
pub mod panics;
pub mod smtp;

use app::db::Db;
use reqwest::header::{ACCEPT, CONTENT_TYPE};
use reqwest::{Client, StatusCode};
use serde_json::Value;
use server::config::ServeConfig;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// PostgreSQL server for the PostgreSQL pass (a database is created per test).
pub const POSTGRES_ENV: &str = "COCREA_TEST_POSTGRES_URL";
/// When set, a missing PostgreSQL fails the pass instead of skipping it.
pub const REQUIRE_POSTGRES_ENV: &str = "COCREA_TEST_REQUIRE_POSTGRES";

pub struct TestApp {
    pub addr: SocketAddr,
    /// The database URL, for running the CLI against the same database.
    pub url: String,
    pub base: String,
    pub db: Db,
    pub smtp: smtp::SmtpServer,
    pub engine: Engine,
    /// The running server's state, for running its jobs at once.
    pub state: app::ctx::AppState,
    _dir: TempDir,
}

/// A folder removed when the test ends.
pub struct TempDir(pub PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn unique() -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!(
        "{}_{}_{}",
        std::process::id(),
        t % 1_000_000_000,
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// A new empty database's URL (`dir` holds a SQLite file); `None` when the
/// engine is not available here.
pub async fn fresh_database(engine: Engine, dir: &std::path::Path) -> Option<String> {
    match engine {
        Engine::Sqlite => Some(format!("sqlite://{}/cocrea.db", dir.display())),
        Engine::Postgres => {
            let Ok(admin_url) = std::env::var(POSTGRES_ENV) else {
                if std::env::var(REQUIRE_POSTGRES_ENV).is_ok() {
                    panic!("{POSTGRES_ENV} is not set but the PostgreSQL pass is required");
                }
                eprintln!("SKIPPED: PostgreSQL pass ({POSTGRES_ENV} not set)");
                return None;
            };
            sqlx::any::install_default_drivers();
            let name = format!("cocrea_t_{}", unique());
            let mut conn =
                match <sqlx::AnyConnection as sqlx::Connection>::connect(&admin_url).await {
                    Ok(c) => c,
                    Err(e) => panic!("cannot reach PostgreSQL at {admin_url}: {e}"),
                };
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut conn)
                .await
                .expect("create test database");
            let base = admin_url
                .rsplit_once('/')
                .map(|(b, _)| b)
                .unwrap_or(&admin_url);
            Some(format!("{base}/{name}"))
        }
    }
}

/// Starts the server with a fresh database and an SMTP server; `None` when the
/// engine is not available here (PostgreSQL without configuration).
pub async fn spawn_app(engine: Engine) -> Option<TestApp> {
    spawn_app_with(engine, |_| {}).await
}

/// `spawn_app` with changes to the server's configuration.
pub async fn spawn_app_with(
    engine: Engine,
    configure: impl FnOnce(&mut ServeConfig),
) -> Option<TestApp> {
    let dir = new_dir();
    let url = fresh_database(engine, &dir.0).await?;
    Some(serve_on(engine, url, dir, configure).await)
}

/// A new empty folder, removed when the returned value is dropped.
pub fn new_dir() -> TempDir {
    let dir = std::env::temp_dir().join(format!("cocrea-test-{}", unique()));
    std::fs::create_dir_all(&dir).unwrap();
    TempDir(dir)
}

/// Starts a server on `url` (migrated on start), with an SMTP server of its own.
async fn serve_on(
    engine: Engine,
    url: String,
    dir: TempDir,
    configure: impl FnOnce(&mut ServeConfig),
) -> TestApp {
    panics::watch();
    let db = server::open_database(&url).await.expect("open database");
    let smtp = smtp::SmtpServer::start(&dir.0.join("mail")).await;
    let mut cfg = ServeConfig::for_addr("127.0.0.1:0".parse().unwrap());
    cfg.smtp_url = Some(format!("smtp://127.0.0.1:{}", smtp.port));
    cfg.mail_dir = dir.0.join("mail-folder");
    cfg.files_dir = dir.0.join("files");
    // Scheduled jobs run every second, so tests see them without waiting long.
    cfg.schedule_seconds = 1;
    configure(&mut cfg);
    let running = server::start(cfg, db.clone()).await.expect("start server");
    TestApp {
        url,
        addr: running.addr,
        base: format!("http://{}", running.addr),
        db,
        smtp,
        engine,
        state: running.state,
        _dir: dir,
    }
}

impl TestApp {
    /// A second server on this one's database, as behind a load balancer.
    pub async fn another_instance(&self) -> TestApp {
        serve_on(self.engine, self.url.clone(), new_dir(), |_| {}).await
    }
}

/// The date `n` days from today in Buenos Aires (the servers' default zone), `YYYY-MM-DD`.
pub fn day(n: i64) -> String {
    let offset = time::UtcOffset::from_hms(-3, 0, 0).unwrap();
    let today = time::OffsetDateTime::now_utc().to_offset(offset).date();
    app::ctx::iso_date(today + time::Duration::days(n))
}

/// Runs a test body against SQLite and against PostgreSQL.
#[macro_export]
macro_rules! on_both_engines {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    let app = $crate::spawn_app($crate::Engine::Sqlite).await.unwrap();
                    super::$name(app).await;
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if let Some(app) = $crate::spawn_app($crate::Engine::Postgres).await {
                        super::$name(app).await;
                    }
                }
            }
        )*
    };
}

/// What a server function answered.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub body: Value,
    pub headers: reqwest::header::HeaderMap,
}

impl Reply {
    /// The error variant's name (e.g. "Forbidden", "Invalid"), if it is an error.
    pub fn error_kind(&self) -> Option<String> {
        match &self.body {
            Value::String(s) if !self.status.is_success() => Some(s.clone()),
            Value::Object(m) if !self.status.is_success() => m.keys().next().cloned(),
            _ => None,
        }
    }

    /// The catalog key of the error of one field.
    pub fn field_error(&self, field: &str) -> Option<String> {
        self.body["Invalid"]["errors"]
            .as_array()?
            .iter()
            .find(|e| e["field"] == field)
            .and_then(|e| e["key"].as_str().map(str::to_string))
    }

    pub fn refused_key(&self) -> Option<String> {
        self.body["Refused"].as_str().map(str::to_string)
    }

    #[track_caller]
    pub fn ok(&self) -> &Value {
        assert!(
            self.status.is_success(),
            "expected success, got {} {}",
            self.status,
            self.body
        );
        &self.body
    }
}

/// A person using the site: a cookie jar and helpers.
#[derive(Clone)]
pub struct Visitor {
    pub client: Client,
    pub base: String,
}

impl TestApp {
    pub fn visitor(&self) -> Visitor {
        Visitor {
            client: Client::builder()
                .cookie_store(true)
                // A hung request fails its test instead of stalling the whole run.
                .timeout(std::time::Duration::from_secs(30))
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            base: self.base.clone(),
        }
    }

    /// Signs up a new participant and returns them signed in, their address
    /// confirmed (as they would by opening the link of the confirmation mail,
    /// which `privacy.rs` follows for real).
    pub async fn participant(&self, name: &str, email: &str) -> Visitor {
        let v = self.unconfirmed_participant(name, email).await;
        sqlx::query("UPDATE users SET email_confirmed_at = created_at WHERE email = $1")
            .bind(email)
            .execute(&self.db.pool)
            .await
            .unwrap();
        v
    }

    /// Signs up a new participant, who has not confirmed the address yet.
    pub async fn unconfirmed_participant(&self, name: &str, email: &str) -> Visitor {
        let v = self.visitor();
        v.call(
            "signup",
            &[
                ("display_name", name),
                ("email", email),
                ("password", "a-long-password"),
                ("password_confirm", "a-long-password"),
                ("accept_privacy", "on"),
            ],
        )
        .await
        .ok();
        v
    }

    /// A signed-in person with `role` ("participant", "facilitator", "admin").
    pub async fn user_with_role(&self, role: &str, email: &str) -> Visitor {
        let v = self.participant(role, email).await;
        sqlx::query("UPDATE users SET role = $1 WHERE email = $2")
            .bind(role)
            .bind(email)
            .execute(&self.db.pool)
            .await
            .unwrap();
        v
    }

    /// Creates (as a facilitator) a process whose proposal intake is open today,
    /// and returns its slug and the ids of its axes.
    pub async fn open_process(&self, title: &str, axes: &[&str]) -> (String, Vec<i64>) {
        let (start, end, later, last) = (day(-3), day(10), day(11), day(400));
        let axes = axes.join("\n");
        let form = process_form(
            title,
            &[
                ("axes", &axes),
                ("intake_start", &start),
                ("intake_end", &end),
                ("feasibility_start", &later),
                ("feasibility_end", &later),
                ("roundtables_start", &later),
                ("roundtables_end", &later),
                ("drafting_start", &later),
                ("drafting_end", &later),
                ("comment_start", &later),
                ("comment_end", &later),
                ("monitoring_start", &later),
                ("monitoring_end", &last),
            ],
        );
        let facilitator = self
            .user_with_role("facilitator", &format!("team-{}@example.org", unique()))
            .await;
        facilitator.call("create_process", &form).await.ok();
        let slug = app::processes::model::slugify(title);
        let detail = facilitator.call("process", &[("slug", &slug)]).await;
        let ids = detail.ok()["axes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["id"].as_i64().unwrap())
            .collect();
        (slug, ids)
    }

    /// The `cocrea` binary serving the test's database (as a second instance
    /// beside the test's own), behind a pretend proxy so that each writer has an
    /// address of its own. Returns the process and its base URL.
    pub async fn serve_process(&self, extra: &[&str]) -> (tokio::process::Child, String) {
        use tokio::io::{AsyncBufReadExt, BufReader};
        let bin = format!("{}/../target/debug/cocrea", env!("CARGO_MANIFEST_DIR"));
        let mut child = tokio::process::Command::new(bin)
            .args([
                "--database-url",
                &self.url,
                "serve",
                "--addr",
                "127.0.0.1:0",
            ])
            .args(["--trust-proxy", "--site-root", "target/site"])
            .arg("--mail-dir")
            .arg(self.dir().join("process-mail"))
            .args(extra)
            .current_dir(format!("{}/..", env!("CARGO_MANIFEST_DIR")))
            .env("RUST_LOG", "warn")
            .stdout(std::process::Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("run target/debug/cocrea (built by .ci/build)");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let base = tokio::time::timeout(std::time::Duration::from_secs(60), async {
            while let Some(line) = lines.next_line().await.unwrap() {
                if let Some(url) = line.strip_prefix("cocrea listening on ") {
                    return url.trim().to_string();
                }
            }
            panic!("the server exited before listening");
        })
        .await
        .expect("the server did not start");
        // Keep reading what it prints, or its log lines would meet a closed pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        (child, base)
    }

    /// Sends SIGTERM to a process from `serve_process` (as systemd stops the
    /// service) and waits up to 40 s for it to exit with success.
    pub async fn terminate(child: &mut tokio::process::Child) {
        let pid = child.id().expect("still running").to_string();
        assert!(std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success());
        let status = tokio::time::timeout(std::time::Duration::from_secs(40), child.wait())
            .await
            .expect("the server did not stop")
            .unwrap();
        assert!(status.success(), "{status:?}");
    }

    /// A folder of this test's own, removed with it.
    pub fn dir(&self) -> &std::path::Path {
        &self._dir.0
    }

    pub async fn count(&self, sql: &str) -> i64 {
        use sqlx::Row;
        sqlx::query(sql)
            .fetch_one(&self.db.pool)
            .await
            .unwrap()
            .get::<i64, _>(0)
    }
}

/// Where an email address may be shown: the administrators' people list, and
/// the person's own account page and data download.
const EMAILS_SHOWN_IN: &[&str] = &[
    "/api/admin_users",
    "/admin/users",
    "/api/my_account",
    "/account",
    "/account/data.json",
    // Registrations' contacts, for the team that reviews them.
    "/api/directory_review",
    "/organizations/review",
    "/api/directory_entry",
    "/organizations/edit",
    // Invitations waiting, for the representatives who sent them.
    "/api/my_organizations",
    "/organizations/mine",
];

/// The email addresses in `text`: a run of local-part characters, `@`, and a
/// dotted domain.
pub fn emails_in(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let local = |b: u8| b.is_ascii_alphanumeric() || b"._%+-".contains(&b);
    let domain = |b: u8| b.is_ascii_alphanumeric() || b".-".contains(&b);
    let mut found = Vec::new();
    for (at, _) in text.match_indices('@') {
        let start = (0..at).rev().take_while(|&i| local(bytes[i])).last();
        let end = (at + 1..bytes.len())
            .take_while(|&i| domain(bytes[i]))
            .last();
        if let (Some(start), Some(end)) = (start, end) {
            let host = text[at + 1..=end].trim_end_matches('.');
            if host.contains('.') && !host.starts_with('.') {
                found.push(format!("{}@{host}", &text[start..at]));
            }
        }
    }
    found
}

/// Fails the test if a response shows an email address where none may be
/// (anything the request itself carried, such as a form echoed back to the
/// person who typed it, is theirs). Every response `Visitor` reads goes here.
#[track_caller]
pub fn scan_for_emails(path: &str, request: &str, body: &str) {
    let path = path.split('?').next().unwrap_or(path);
    if EMAILS_SHOWN_IN.contains(&path) {
        return;
    }
    // A calendar event's UID is written like an address (RFC 5545), and is none.
    let body: String = body
        .lines()
        .filter(|l| !(path.ends_with(".ics") && l.starts_with("UID:")))
        .collect::<Vec<_>>()
        .join("\n");
    let leaked: Vec<String> = emails_in(&body)
        .into_iter()
        .filter(|e| !request.contains(e.as_str()) && !request.contains(&encode(e)))
        .collect();
    assert!(
        leaked.is_empty(),
        "email address(es) {leaked:?} shown by {path}: {}",
        body.chars().take(2000).collect::<String>()
    );
}

impl Visitor {
    /// Calls a server function the way a browser with JavaScript does.
    #[track_caller]
    pub fn call<'a>(
        &'a self,
        endpoint: &'a str,
        form: &'a [(&'a str, &'a str)],
    ) -> impl std::future::Future<Output = Reply> + 'a {
        let caller = std::panic::Location::caller();
        async move {
            let reply = self.call_unscanned(endpoint, form).await;
            let request = serde_urlencoded(form);
            let body = reply.body.to_string();
            let path = format!("/api/{endpoint}");
            if let Err(e) = std::panic::catch_unwind(|| scan_for_emails(&path, &request, &body)) {
                panic!(
                    "at {caller}: {}",
                    e.downcast_ref::<String>().cloned().unwrap_or_default()
                );
            }
            reply
        }
    }

    async fn call_unscanned(&self, endpoint: &str, form: &[(&str, &str)]) -> Reply {
        let res = self
            .client
            .post(format!("{}/api/{endpoint}", self.base))
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(ACCEPT, "application/json")
            .header("origin", &self.base)
            .body(serde_urlencoded(form))
            .send()
            .await
            .expect("request");
        let status = res.status();
        let headers = res.headers().clone();
        let text = res.text().await.unwrap_or_default();
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Reply {
            status,
            body,
            headers,
        }
    }

    /// Posts `body` to a server function exactly as given: one content type and
    /// one extra header, nothing else (no Origin, no Accept).
    pub async fn post_raw(
        &self,
        endpoint: &str,
        content_type: &str,
        header: (&str, &str),
        body: &str,
    ) -> reqwest::Response {
        let mut request = self
            .client
            .post(format!("{}/api/{endpoint}", self.base))
            .header(CONTENT_TYPE, content_type)
            .body(body.to_string());
        if !header.0.is_empty() {
            request = request.header(header.0, header.1);
        }
        request.send().await.expect("request")
    }

    /// The page a redirect sends the browser to (`location`, a full address).
    /// Not scanned for addresses: a refused form may echo the visitor's own.
    pub async fn follow(&self, location: &str) -> String {
        let res = self.client.get(location).send().await.expect("request");
        res.text().await.unwrap_or_default()
    }

    /// Posts a form the way a browser without JavaScript does.
    pub async fn post_form(
        &self,
        endpoint: &str,
        form: &[(&str, &str)],
        referer: &str,
    ) -> reqwest::Response {
        self.client
            .post(format!("{}/api/{endpoint}", self.base))
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(ACCEPT, "text/html,application/xhtml+xml")
            .header("origin", &self.base)
            .header("referer", format!("{}{referer}", self.base))
            .body(serde_urlencoded(form))
            .send()
            .await
            .expect("request")
    }

    /// Posts a multipart form (with files) to a path of the site, as a script
    /// does (`Accept: application/json`) or as a browser does (`text/html`).
    pub async fn post_multipart(
        &self,
        path: &str,
        form: reqwest::multipart::Form,
        browser: bool,
    ) -> (StatusCode, reqwest::header::HeaderMap, String) {
        let res = self
            .client
            .post(format!("{}{path}", self.base))
            .header(
                ACCEPT,
                if browser {
                    "text/html,application/xhtml+xml"
                } else {
                    "application/json"
                },
            )
            .header("origin", &self.base)
            .multipart(form)
            .send()
            .await
            .expect("request");
        let status = res.status();
        let headers = res.headers().clone();
        let text = res.text().await.unwrap_or_default();
        scan_for_emails(path, "multipart", &text);
        (status, headers, text)
    }

    /// The HTML of a page asked for with an Accept-Language header.
    pub async fn page_in(&self, path: &str, accept_language: &str) -> String {
        let res = self
            .client
            .get(format!("{}{path}", self.base))
            .header("accept-language", accept_language)
            .send();
        let text = res.await.expect("request").text().await.unwrap_or_default();
        scan_for_emails(path, path, &text);
        text
    }

    /// Submits a proposal (confirming past similar ones) and returns its id.
    /// `extra` adds fields or replaces the defaults (problem, solution, ...).
    pub async fn submit_proposal(
        &self,
        slug: &str,
        title: &str,
        axis: i64,
        extra: &[(&str, &str)],
    ) -> i64 {
        let axis = axis.to_string();
        let mut form = vec![
            ("slug", slug),
            ("title", title),
            ("problem", "Describe el problema."),
            ("solution", "Describe la solución."),
            ("axis_id", axis.as_str()),
            ("confirm_similar", "on"),
        ];
        for (k, v) in extra {
            match form.iter_mut().find(|(name, _)| name == k) {
                Some(slot) => slot.1 = v,
                None => form.push((k, v)),
            }
        }
        let reply = self.call("submit_proposal", &form).await;
        reply.ok();
        let location = reply
            .headers
            .get("location")
            .expect("redirect to the proposal");
        let location = location.to_str().unwrap();
        location.trim_start_matches("/proposals/").parse().unwrap()
    }

    /// The status a GET answers with.
    pub async fn get_status(&self, path: &str) -> StatusCode {
        self.response(path).await.status()
    }

    /// The whole answer to a GET (headers included; its body not yet read nor scanned).
    pub async fn response(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("request")
    }

    /// A download's bytes (not scanned: a binary document).
    pub async fn bytes(&self, path: &str) -> Vec<u8> {
        let res = self.response(path).await;
        assert!(res.status().is_success(), "{path}: {}", res.status());
        res.bytes().await.expect("body").to_vec()
    }

    pub async fn get(&self, path: &str) -> (StatusCode, String) {
        let res = self.response(path).await;
        let status = res.status();
        let text = res.text().await.unwrap_or_default();
        scan_for_emails(path, path, &text);
        (status, text)
    }
}

pub fn serde_urlencoded(form: &[(&str, &str)]) -> String {
    form.iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Runs the `cocrea` binary (built by `.ci/build`) and returns (success, stdout+stderr).
pub fn cli(args: &[&str]) -> (bool, String) {
    let bin = std::env::var("COCREA_BIN")
        .unwrap_or_else(|_| format!("{}/../target/debug/cocrea", env!("CARGO_MANIFEST_DIR")));
    let out = std::process::Command::new(&bin)
        .args(args)
        .current_dir(format!("{}/..", env!("CARGO_MANIFEST_DIR")))
        .env("RUST_LOG", "warn")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {bin} (build it with .ci/build): {e}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// A valid `create_process` form (stages in 2030), with some fields changed.
pub fn process_form<'a>(
    title: &'a str,
    overrides: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("title", title),
        ("description", "Cocreación del plan."),
        ("axes", "Datos abiertos\nAmbiente\n\n"),
        ("intake_start", "2030-01-01"),
        ("intake_end", "2030-01-31"),
        ("feasibility_start", "2030-02-01"),
        ("feasibility_end", "2030-02-28"),
        ("roundtables_start", "2030-03-01"),
        ("roundtables_end", "2030-03-31"),
        ("drafting_start", "2030-04-01"),
        ("drafting_end", "2030-04-30"),
        ("comment_start", "2030-05-01"),
        ("comment_end", "2030-05-31"),
        ("monitoring_start", "2030-06-01"),
        ("monitoring_end", "2031-06-30"),
    ];
    for (k, v) in overrides {
        if let Some(slot) = form.iter_mut().find(|(name, _)| name == k) {
            slot.1 = v;
        } else {
            form.push((k, v));
        }
    }
    form
}

/// `on_both_engines!` for a server configured by `$configure` (a
/// `fn(&mut ServeConfig)` beside the tests), e.g. behind a proxy.
#[macro_export]
macro_rules! on_both_engines_with {
    ($configure:ident; $($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    let app = $crate::spawn_app_with($crate::Engine::Sqlite, super::$configure).await.unwrap();
                    super::$name(app).await;
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if let Some(app) = $crate::spawn_app_with($crate::Engine::Postgres, super::$configure).await {
                        super::$name(app).await;
                    }
                }
            }
        )*
    };
}

impl Visitor {
    /// Posts a plain HTML form (not a server function) to `path` from this site.
    pub async fn post_site_form(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.client
            .post(format!("{}{path}", self.base))
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("origin", &self.base)
            .body(serde_urlencoded(form))
            .send()
            .await
            .expect("request")
    }
}

/// A gzip answer's text (panics if it is not a valid gzip stream).
pub fn gunzip(bytes: &[u8]) -> String {
    let mut text = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(bytes), &mut text)
        .expect("a valid gzip stream");
    text
}

#[cfg(test)]
mod tests {
    #[test]
    fn finds_email_addresses_in_text() {
        assert_eq!(
            super::emails_in("<a>ana.m+x@example.org</a>, b@c.d. @import x@y"),
            ["ana.m+x@example.org", "b@c.d"]
        );
        assert!(super::emails_in("@media, user@localhost, a@.b").is_empty());
    }
}
