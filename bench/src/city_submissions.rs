//! Proposal submissions into a city-sized process, for `city`: people signed in
//! from addresses of their own (the server trusts the bench's X-Forwarded-For)
//! each submit a few proposals through the site's endpoint, `parallel` at a
//! time; afterwards every acknowledged one must be in the database.
use crate::client::Person;
use crate::server::PASSWORD;
use anyhow::{ensure, Result};
use std::sync::Arc;
use std::time::Instant;
use tokio::sync::Semaphore;

pub struct Submitted {
    pub per_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub acknowledged: usize,
    pub refused: usize,
    /// Proposals of this run found in the database afterwards.
    pub stored: i64,
}

/// The title every submission of this run starts with.
const MARK: &str = "Enviada en carga";

pub async fn run(
    base: &str,
    database_url: &str,
    slug: &str,
    axis_id: i64,
    emails: &[String],
    each: usize,
    parallel: usize,
) -> Result<Submitted> {
    let mut people = Vec::with_capacity(emails.len());
    for (i, email) in emails.iter().enumerate() {
        let person = Person::at(base, &format!("10.9.{}.{}", i / 250, i % 250 + 1))?;
        person
            .call("login", &[("email", email), ("password", PASSWORD)])
            .await?
            .ok("login")?;
        people.push(person);
    }
    let gate = Arc::new(Semaphore::new(parallel));
    let axis = axis_id.to_string();
    let mut sends = tokio::task::JoinSet::new();
    let began = Instant::now();
    for round in 0..each {
        for (i, person) in people.iter().enumerate() {
            let (person, gate, slug, axis) =
                (person.clone(), gate.clone(), slug.to_string(), axis.clone());
            sends.spawn(async move {
                let _turn = gate.acquire_owned().await?;
                let title = format!("{MARK} {round}-{i}: mapa de luminarias");
                let sent = Instant::now();
                let reply = person
                    .call(
                        "submit_proposal",
                        &[
                            ("slug", slug.as_str()),
                            ("title", title.as_str()),
                            ("problem", "Faltan luminarias en las calles del barrio."),
                            ("solution", "Un mapa abierto de luminarias con reportes."),
                            ("axis_id", axis.as_str()),
                            ("confirm_similar", "1"),
                        ],
                    )
                    .await?;
                anyhow::Ok(((200..400).contains(&reply.status), sent.elapsed()))
            });
        }
    }
    let mut times = Vec::new();
    let mut refused = 0;
    while let Some(done) = sends.join_next().await {
        let (ok, took) = done??;
        if ok {
            times.push(took.as_secs_f64() * 1000.0);
        } else {
            refused += 1;
        }
    }
    let elapsed = began.elapsed().as_secs_f64();
    ensure!(!times.is_empty(), "no submission was acknowledged");
    times.sort_by(f64::total_cmp);
    let at = |q: f64| times[((times.len() - 1) as f64 * q) as usize];
    let db = app::db::Db::connect(database_url).await?;
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM proposals WHERE title LIKE $1")
        .bind(format!("{MARK} %"))
        .fetch_one(&db.pool)
        .await?;
    db.pool.close().await;
    Ok(Submitted {
        per_second: times.len() as f64 / elapsed,
        p50_ms: at(0.5),
        p99_ms: at(0.99),
        acknowledged: times.len(),
        refused,
        stored,
    })
}
