//! `--abuse`: what one hostile address can do to the server. (1) 300 sign-up,
//! login and password-reset requests at once from one address; (2) 2,000 idle
//! live streams opened from one address. Meanwhile another address loads the
//! home page and /healthz every 100 ms. Reports the server's memory above its
//! idle level, how the requests were answered, and the latency of the normal
//! page before and during each attack (as ratios measured in the same run).
use crate::server::{memory, MemoryLog, Server};
use anyhow::Result;
use std::fmt::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const HOSTILE: &str = "203.0.113.66";
const NORMAL: &str = "198.51.100.10";

fn client(address: &str) -> Result<reqwest::Client> {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-forwarded-for", address.parse()?);
    Ok(reqwest::Client::builder()
        .default_headers(headers)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(120))
        .build()?)
}

/// Latencies (ms) of the home page and /healthz, sampled every 100 ms until `stop`.
async fn probe(
    base: String,
    stop: Arc<std::sync::atomic::AtomicBool>,
) -> Result<(Vec<f64>, Vec<f64>)> {
    let c = client(NORMAL)?;
    let (mut page, mut health) = (Vec::new(), Vec::new());
    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
        for (path, into) in [("/", &mut page), ("/healthz", &mut health)] {
            let t = Instant::now();
            let ok = c
                .get(format!("{base}{path}"))
                .send()
                .await?
                .status()
                .is_success();
            if ok {
                into.push(t.elapsed().as_secs_f64() * 1000.0);
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok((page, health))
}

fn pct(v: &mut [f64], p: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    v[((v.len() - 1) as f64 * p).round() as usize]
}

/// Runs `attack` while probing; returns its report line and the probes.
async fn under<F>(base: &str, attack: F) -> Result<(Vec<f64>, Vec<f64>, String)>
where
    F: std::future::Future<Output = Result<String>>,
{
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let probing = tokio::spawn(probe(base.to_string(), stop.clone()));
    let what = attack.await?;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let (page, health) = probing.await??;
    Ok((page, health, what))
}

pub async fn run(bin: &std::path::Path, dir: &std::path::Path) -> Result<String> {
    let srv = Server::start(bin, dir).await?;
    let log = MemoryLog::spawn(srv.pid);
    let s = crate::client::setup(&srv.base, 2, 2).await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let (idle_kb, _) = memory(srv.pid).unwrap_or_default();
    let mut out = String::new();
    let base = srv.base.clone();

    // Normal latency first, with nothing else going on.
    let (mut quiet_page, mut quiet_health, _) = under(&base, async {
        tokio::time::sleep(Duration::from_secs(3)).await;
        Ok(String::new())
    })
    .await?;

    // (1) 300 requests that would each hash a password, at once, one address.
    let began = Instant::now();
    let (mut page, mut health, answered) = under(&base, async {
        let c = client(HOSTILE)?;
        let statuses = Arc::new(Mutex::new(std::collections::BTreeMap::<u16, usize>::new()));
        let mut set = tokio::task::JoinSet::new();
        for i in 0..300 {
            let (c, base, statuses) = (c.clone(), base.clone(), statuses.clone());
            set.spawn(async move {
                let email = format!("burst{i}@bench.example.org");
                let (endpoint, form): (&str, Vec<(&str, &str)>) = match i % 3 {
                    0 => (
                        "signup",
                        vec![
                            ("display_name", "B"),
                            ("email", &email),
                            ("password", "a-long-password"),
                            ("password_confirm", "a-long-password"),
                            ("accept_privacy", "on"),
                        ],
                    ),
                    1 => (
                        "login",
                        vec![
                            ("email", crate::server::ADMIN_EMAIL),
                            ("password", "a wrong password"),
                        ],
                    ),
                    _ => (
                        "reset_password",
                        vec![
                            ("token", "made-up"),
                            ("password", "a-long-password"),
                            ("password_confirm", "a-long-password"),
                        ],
                    ),
                };
                let body = crate::client::encode_form(&form);
                let status = c
                    .post(format!("{base}/api/{endpoint}"))
                    .header("content-type", "application/x-www-form-urlencoded")
                    .header("accept", "application/json")
                    .header("origin", &base)
                    .body(body)
                    .send()
                    .await
                    .map(|r| r.status().as_u16())
                    .unwrap_or(0);
                *statuses.lock().unwrap().entry(status).or_default() += 1;
            });
        }
        while set.join_next().await.is_some() {}
        let statuses = statuses.lock().unwrap().clone();
        Ok(format!("{statuses:?}"))
    })
    .await?;
    let took = began.elapsed();
    let peak = log.peak_since(began);
    writeln!(out, "## 300 hashing requests at once from one address")?;
    writeln!(
        out,
        "answered (status: count): {answered}, all within {:.1} s",
        took.as_secs_f64()
    )?;
    writeln!(
        out,
        "server RSS idle {:.1} MiB, peak {:.1} MiB (+{:.1} MiB)",
        idle_kb as f64 / 1024.0,
        peak as f64 / 1024.0,
        (peak.saturating_sub(idle_kb)) as f64 / 1024.0
    )?;
    writeln!(
        out,
        "home page ms p50/max: quiet {:.1}/{:.1}, during {:.1}/{:.1}; /healthz ms p50/max: quiet {:.1}/{:.1}, during {:.1}/{:.1}",
        pct(&mut quiet_page, 0.5), pct(&mut quiet_page, 1.0), pct(&mut page, 0.5), pct(&mut page, 1.0),
        pct(&mut quiet_health, 0.5), pct(&mut quiet_health, 1.0), pct(&mut health, 0.5), pct(&mut health, 1.0),
    )?;

    // (2) 2,000 idle live streams from one address.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (before_kb, _) = memory(srv.pid).unwrap_or_default();
    let began = Instant::now();
    let held = Arc::new(Mutex::new(Vec::new()));
    let (mut page, _, answered) = under(&base, {
        let (held, base) = (held.clone(), base.clone());
        async move {
            let c = client(HOSTILE)?;
            let (mut open, mut refused, mut failed) = (0, 0, 0);
            for _ in 0..2000 {
                match c
                    .get(format!("{base}/roundtables/{}/live", s.roundtable_id))
                    .header("accept", "text/event-stream")
                    .send()
                    .await
                {
                    Ok(r) if r.status().is_success() => {
                        open += 1;
                        held.lock().unwrap().push(r);
                    }
                    Ok(r) if r.status().as_u16() == 429 => refused += 1,
                    _ => failed += 1,
                }
            }
            // Held open a while, idle, as an attacker would.
            tokio::time::sleep(Duration::from_secs(5)).await;
            Ok(format!(
                "{open} opened, {refused} refused (429), {failed} failed"
            ))
        }
    })
    .await?;
    let peak = log.peak_since(began);
    drop(held);
    writeln!(out, "\n## 2,000 idle live streams from one address")?;
    writeln!(out, "{answered}")?;
    writeln!(
        out,
        "server RSS before {:.1} MiB, peak {:.1} MiB",
        before_kb as f64 / 1024.0,
        peak as f64 / 1024.0
    )?;
    writeln!(
        out,
        "home page ms p50/max: quiet {:.1}/{:.1}, during {:.1}/{:.1} (ratio of p50s {:.2})",
        pct(&mut quiet_page, 0.5),
        pct(&mut quiet_page, 1.0),
        pct(&mut page, 0.5),
        pct(&mut page, 1.0),
        pct(&mut page, 0.5) / pct(&mut quiet_page, 0.5),
    )?;
    srv.stop().await;
    Ok(out)
}
