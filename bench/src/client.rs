//! One person's browser: a cookie jar and the server-function calls, and the
//! setup of the roundtable through the same endpoints the site uses.
use crate::server::{ADMIN_EMAIL, PASSWORD};
use anyhow::{bail, Context, Result};
use reqwest::header::{ACCEPT, CONTENT_TYPE};
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;

#[derive(Clone)]
pub struct Person {
    pub http: reqwest::Client,
    pub base: String,
}

/// What a server function answered.
pub struct Reply {
    pub status: u16,
    pub body: Value,
    pub location: Option<String>,
}

impl Reply {
    pub fn ok(self, what: &str) -> Result<Value> {
        if !(200..300).contains(&self.status) {
            bail!("{what}: {} {}", self.status, self.body);
        }
        Ok(self.body)
    }
}

impl Person {
    pub fn new(base: &str) -> Result<Person> {
        Person::at(base, "127.0.0.1")
    }

    /// A person at `address`: the server runs behind a (pretend) proxy, which
    /// says so in X-Forwarded-For, so that each participant has an address of
    /// their own as in a real meeting (the rate limits and stream caps are per
    /// address). Nothing is ever sent to that address.
    pub fn at(base: &str, address: &str) -> Result<Person> {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("x-forwarded-for", address.parse()?);
        Ok(Person {
            // No client-wide timeout: it would also cut the live stream.
            http: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .default_headers(headers)
                .build()?,
            base: base.to_string(),
        })
    }

    /// Calls a server function as the site's JavaScript does; the Origin header
    /// passes the cross-site check.
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)]) -> Result<Reply> {
        let res = self.send(endpoint, form).await?;
        let status = res.status().as_u16();
        let location = res
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let text = res.text().await?;
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Ok(Reply {
            status,
            body,
            location,
        })
    }

    /// The status and raw body, for answers too big to parse on every change.
    pub async fn call_raw(&self, endpoint: &str, form: &[(&str, &str)]) -> Result<(u16, Vec<u8>)> {
        let res = self.send(endpoint, form).await?;
        Ok((res.status().as_u16(), res.bytes().await?.to_vec()))
    }

    async fn send(&self, endpoint: &str, form: &[(&str, &str)]) -> Result<reqwest::Response> {
        Ok(self
            .http
            .post(format!("{}/api/{endpoint}", self.base))
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(ACCEPT, "application/json")
            .header("origin", &self.base)
            .body(encode_form(form))
            .timeout(Duration::from_secs(120))
            .send()
            .await?)
    }
}

/// The roundtable under load and the people on it.
pub struct Setup {
    pub roundtable_id: i64,
    /// The number of its first participant among every board's (`email_of`).
    pub first: usize,
    pub facilitator: Person,
    pub participants: Vec<Person>,
    /// Columns of board 1, where participants write.
    pub columns: Vec<i64>,
}

pub fn email_of(i: usize) -> String {
    format!("p{i}@bench.example.org")
}

/// Agency, process and roundtable (capacity `n`) made by the facilitator, then
/// `n` participants who sign up and register, `parallel` at a time.
pub async fn setup(base: &str, n: usize, parallel: usize) -> Result<Setup> {
    let mut one = setup_boards(base, 1, n, parallel).await?;
    Ok(one.remove(0))
}

/// Agency and process made by the facilitator, then `boards` roundtables of
/// `n` participants each (`setup`), people numbered on from one to the next.
pub async fn setup_boards(
    base: &str,
    boards: usize,
    n: usize,
    parallel: usize,
) -> Result<Vec<Setup>> {
    let team = Person::new(base)?;
    team.call("login", &[("email", ADMIN_EMAIL), ("password", PASSWORD)])
        .await?
        .ok("login")?;
    let form = [
        ("kind", "agency"),
        ("name", "Agencia de prueba"),
        ("detail", ""),
    ];
    team.call("admin_save_group", &form).await?.ok("agency")?;
    let mut process: Vec<(String, String)> = [
        ("title", "Plan de prueba de carga"),
        ("slug", "bench"),
        ("description", "Benchmark."),
        ("axes", "Ambiente"),
    ]
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .into();
    // Consecutive stages in 2030, as the tests use; roundtables do not depend on them.
    let stages = [
        "intake",
        "feasibility",
        "roundtables",
        "drafting",
        "comment",
        "monitoring",
    ];
    for (month, stage) in (1..).zip(stages) {
        process.push((format!("{stage}_start"), format!("2030-{month:02}-01")));
        process.push((format!("{stage}_end"), format!("2030-{month:02}-28")));
    }
    let process: Vec<(&str, &str)> = process
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    team.call("create_process", &process)
        .await?
        .ok("create_process")?;
    let ctx = team
        .call("roundtable_form", &[("slug", "bench")])
        .await?
        .ok("form")?;
    let agency = ctx["agencies"][0][0].to_string();
    let mut setups = Vec::with_capacity(boards);
    for board in 0..boards {
        setups.push(roundtable(base, &team, &agency, board * n, n, parallel).await?);
    }
    Ok(setups)
}

/// A roundtable (capacity `n`) and its `n` participants, numbered from `first`.
async fn roundtable(
    base: &str,
    team: &Person,
    agency: &str,
    first: usize,
    n: usize,
    parallel: usize,
) -> Result<Setup> {
    let title = format!("Mesa de carga {}", first / n.max(1) + 1);
    let capacity = n.max(1).to_string();
    let date = in_days(3);
    let r = team
        .call(
            "create_roundtable",
            &[
                ("slug", "bench"),
                ("title", title.as_str()),
                ("axis_id", ""),
                ("description", ""),
                ("date", &date),
                ("time", "18:00"),
                ("utc_offset", "-180"),
                ("duration_minutes", "90"),
                ("video_url", "https://meet.example.org/bench"),
                ("capacity", &capacity),
                ("agency_ids[]", agency),
            ],
        )
        .await?;
    let location = r
        .location
        .clone()
        .context("no redirect to the roundtable")?;
    r.ok("create_roundtable")?;
    let roundtable_id: i64 = location.trim_start_matches("/roundtables/").parse()?;

    let gate = Arc::new(tokio::sync::Semaphore::new(parallel.max(1)));
    let mut joins = tokio::task::JoinSet::new();
    for i in 0..n {
        let (gate, base) = (gate.clone(), base.to_string());
        joins.spawn(async move {
            let _permit = gate.acquire().await?;
            let at = first + i;
            let p = Person::at(&base, &format!("10.77.{}.{}", at / 250, at % 250 + 1))?;
            let name = format!("Participante {at}");
            let email = email_of(at);
            let form = [
                ("display_name", name.as_str()),
                ("email", email.as_str()),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
                ("accept_privacy", "on"),
            ];
            p.call("signup", &form).await?.ok("signup")?;
            let id = roundtable_id.to_string();
            let status = p
                .call("register_roundtable", &[("id", &id)])
                .await?
                .ok("register")?;
            if !status
                .as_str()
                .is_some_and(|s| s.eq_ignore_ascii_case("registered"))
            {
                bail!("participant {i} is {status}, not registered");
            }
            anyhow::Ok((i, p))
        });
    }
    let mut participants: Vec<Option<Person>> = vec![None; n];
    while let Some(done) = joins.join_next().await {
        let (i, p) = done??;
        participants[i] = Some(p);
    }
    let board = team
        .call("board", &[("roundtable_id", &roundtable_id.to_string())])
        .await?
        .ok("board")?;
    let columns = board["boards"][0]["columns"]
        .as_array()
        .context("board 1 columns")?
        .iter()
        .filter_map(|c| c["id"].as_i64())
        .collect();
    Ok(Setup {
        roundtable_id,
        first,
        facilitator: team.clone(),
        participants: participants.into_iter().flatten().collect(),
        columns,
    })
}

/// `YYYY-MM-DD` of `days` from today in UTC (civil-from-days, H. Hinnant).
fn in_days(days: i64) -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs() as i64;
    let z = secs / 86_400 + days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

pub fn encode_form(form: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for (i, (k, v)) in form.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        encode(k, &mut out);
        out.push('=');
        encode(v, &mut out);
    }
    out
}

fn encode(s: &str, out: &mut String) {
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
}
