//! Odd input never becomes a 5xx: every server function called with random
//! values in its fields (huge, negative, malformed, missing, extra), malformed
//! bodies, and every page with absurd numbers in its path and query, answer
//! 2xx, 3xx or 4xx, and the server goes on answering. The values are drawn
//! from a seeded generator: `COCREA_FUZZ_SEED` replays a run.
use crate::permissions::table;
use reqwest::header::{ACCEPT, CONTENT_TYPE};
use tests::{on_both_engines_with, TestApp, Visitor};

on_both_engines_with!(generous_limits; odd_input_never_becomes_a_server_error);

/// Thousands of calls from one address in seconds: not what this test is about.
fn generous_limits(cfg: &mut server::config::ServeConfig) {
    cfg.rate_limits = server::limits::scaled(1000);
}

const ODD: &[&str] = &[
    "",
    " ",
    "0",
    "1",
    "2",
    "-1",
    "9223372036854775807",
    "-9223372036854775808",
    "99999999999999999999",
    "1e100",
    "NaN",
    "0x10",
    "1.5",
    "abc",
    "on",
    "2021-02-30",
    "9999-99-99",
    "25:99",
    "<script>alert(1)</script>",
    "'; DROP TABLE users; --",
    "ñandú 👍\u{202e}\u{200b}",
    "\u{0}\u{1}\u{7f}",
    "%00%ff",
    "../../etc/passwd",
    "javascript:alert(1)",
    "a@b",
    "LONG",
];

/// xorshift64*: small, seeded, reproducible.
struct Draw(u64);

impl Draw {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn odd(&mut self) -> String {
        match ODD[self.below(ODD.len())] {
            "LONG" => "x".repeat(20_000 + self.below(50_000)),
            v => v.to_string(),
        }
    }
}

/// A form for `fields` where each value is odd, valid, left out or doubled.
fn mutate(draw: &mut Draw, fields: &[(&str, String)]) -> Vec<(String, String)> {
    let mut form = Vec::new();
    for (name, valid) in fields {
        match draw.below(6) {
            0 => {}
            1 => form.push((name.to_string(), valid.clone())),
            2 => {
                form.push((name.to_string(), draw.odd()));
                form.push((name.to_string(), draw.odd()));
            }
            _ => form.push((name.to_string(), draw.odd())),
        }
    }
    if draw.below(4) == 0 {
        form.push(("unexpected[]".to_string(), draw.odd()));
    }
    form
}

async fn post(v: &Visitor, endpoint: &str, content_type: &str, body: String) -> u16 {
    v.client
        .post(format!("{}/api/{endpoint}", v.base))
        .header(CONTENT_TYPE, content_type)
        .header(ACCEPT, "application/json")
        .header("origin", &v.base)
        .body(body)
        .send()
        .await
        .map(|r| r.status().as_u16())
        .unwrap_or(0)
}

async fn odd_input_never_becomes_a_server_error(app: TestApp) {
    let seed: u64 = std::env::var("COCREA_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x00c0_c8ea);
    let mut draw = Draw(seed.max(1));
    let (slug, axes) = app.open_process("Plan", &["Ambiente"]).await;
    let author = app.participant("Ana", "ana@example.org").await;
    author
        .submit_proposal(&slug, "Arbolado", axes[0], &[])
        .await;
    let people = [
        app.visitor(),
        author,
        app.user_with_role("admin", "admin@example.org").await,
    ];
    let mut failures = Vec::new();
    for row in table() {
        let endpoint = row.endpoint;
        let fields: Vec<(&str, String)> = row
            .form
            .iter()
            .map(|(k, v)| {
                let v = if v.contains("{slug}") {
                    slug.clone()
                } else if v.starts_with('{') {
                    "1".to_string()
                } else {
                    v.to_string()
                };
                (*k, v)
            })
            .collect();
        for round in 0..12 {
            let who = &people[round % people.len()];
            let form = mutate(&mut draw, &fields);
            let pairs: Vec<(&str, &str)> =
                form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let status = post(
                who,
                endpoint,
                "application/x-www-form-urlencoded",
                tests::serde_urlencoded(&pairs),
            )
            .await;
            if !(200..500).contains(&status) {
                let shown: Vec<_> = form
                    .iter()
                    .map(|(k, v)| (k, v.chars().take(40).collect::<String>()))
                    .collect();
                failures.push(format!("{endpoint} {status} {shown:?}"));
            }
        }
        for (content_type, body) in [
            ("application/x-www-form-urlencoded", "%%%&=&&a=%FF%FE"),
            (
                "application/x-www-form-urlencoded",
                "id[]=1&id[]=2&page[x]=1",
            ),
            ("application/json", "{\"id\": 1}"),
            ("text/plain", "\u{0}\u{ffff}"),
            ("multipart/form-data; boundary=x", "--x\r\n"),
        ] {
            let status = post(&people[2], endpoint, content_type, body.to_string()).await;
            if !(200..500).contains(&status) {
                failures.push(format!("{endpoint} {status} raw {content_type}: {body:?}"));
            }
        }
    }

    let numbers = [
        "0",
        "-1",
        "9223372036854775807",
        "99999999999999999999",
        "abc",
        "%FF",
        "1e100",
    ];
    let pages = [
        format!("/processes/{slug}/proposals?page=N&q=N&sort=N&axis=N"),
        format!("/processes/{slug}/feasibility?page=N&q=N&status=N"),
        format!("/processes/{slug}/feasibility/agencies/N"),
        "/proposals/N".into(),
        "/proposals/1?comments_page=N".into(),
        "/proposals/N/edit".into(),
        "/proposals/N/feasibility".into(),
        "/feasibility?page=N".into(),
        "/notifications?page=N".into(),
        "/moderation?page=N".into(),
        "/admin/audit?page=N".into(),
        "/admin/users?page=N&q=N".into(),
        "/roundtables/N".into(),
        "/roundtables/N/board".into(),
        "/roundtables/N/record.csv".into(),
        "/roundtables/N/calendar.ics".into(),
        "/roundtables/N/live?after=N".into(),
        "/commitments/N".into(),
        "/commitments/N/versions?from=N&to=N".into(),
        "/commitments/N/comments?anchor=N&comments_page=N".into(),
        "/commitments/N/sheet.docx".into(),
        "/commitments/N/sheet.pdf".into(),
        "/processes/N/plan.docx".into(),
        "/processes/N/plan.pdf".into(),
        "/reset-password?token=N".into(),
        "/api/v1/processes?limit=N&after=N".into(),
        format!("/api/v1/processes/{slug}/proposals?limit=N&after=N&axis=N&q=N&sector=N"),
        format!("/api/v1/processes/{slug}/answers?agency=N&verdict=N&proposal=N"),
        format!("/api/v1/processes/{slug}/milestones?commitment=N&after=N"),
        format!("/processes/{slug}/data/N.csv"),
        "/data/catalog.jsonld?page=N".into(),
    ];
    for who in &people {
        for page in &pages {
            for n in numbers {
                let path = page.replace('N', n);
                let res = who
                    .client
                    .get(format!("{}{path}", who.base))
                    .timeout(std::time::Duration::from_secs(40))
                    .send()
                    .await;
                // A live stream answers at once and stays open: its status is enough.
                let status = res.map(|r| r.status().as_u16()).unwrap_or(0);
                if !(200..500).contains(&status) {
                    failures.push(format!("GET {path} {status}"));
                }
            }
        }
    }
    let (status, _) = people[0].get("/healthz").await;
    assert_eq!(status, 200, "the server stopped answering");
    assert!(failures.is_empty(), "seed {seed}: {failures:#?}");
}
