//! Demo data after the plan: its independent monitoring body and published
//! evaluation, and a second co-creation instance with the proposals the first
//! did not take up — through the same store functions the app uses.
use anyhow::Context;
use app::db::Db;
use app::evaluation::model::{Evaluation, OpenedGovernment, Potential, Progress};
use serde::Deserialize;
use sqlx::Row;

#[derive(Deserialize)]
pub struct SeedEvaluator {
    process: String,
    email: String,
    body: String,
}

#[derive(Deserialize)]
pub struct SeedEvaluation {
    code: String,
    by: String,
    verifiable: bool,
    potential: String,
    completion: String,
    opened_government: String,
    reasoning: String,
    published: bool,
}

#[derive(Deserialize)]
pub struct SeedCarryOver {
    from: String,
    to: String,
    /// Titles; each goes to the axis of the same name in the later process.
    proposals: Vec<String>,
}

fn err(e: app::error::AppError) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}

async fn id_of(db: &Db, sql: &str, value: &str) -> anyhow::Result<i64> {
    Ok(sqlx::query(sql)
        .bind(value)
        .fetch_one(&db.pool)
        .await
        .with_context(|| format!("{sql} {value}"))?
        .get("id"))
}

pub async fn load(
    db: &Db,
    (body, evaluations, carry): (&[SeedEvaluator], &[SeedEvaluation], &[SeedCarryOver]),
    facilitator: i64,
) -> anyhow::Result<()> {
    let process = |slug: &str| {
        let slug = slug.to_string();
        async move { id_of(db, "SELECT id FROM processes WHERE slug = $1", &slug).await }
    };
    for e in body {
        app::evaluation::store::appoint(
            db,
            process(&e.process).await?,
            &e.email,
            &e.body,
            facilitator,
        )
        .await
        .map_err(err)?
        .context("demo evaluator account")?;
    }
    for e in evaluations {
        let commitment = id_of(db, "SELECT id FROM commitments WHERE code = $1", &e.code).await?;
        let process_id = id_of(
            db,
            "SELECT process_id AS id FROM commitments WHERE code = $1",
            &e.code,
        )
        .await?;
        let evaluator = id_of(db, "SELECT id FROM users WHERE email = $1", &e.by).await?;
        let body = app::evaluation::store::body_of(db, process_id, evaluator)
            .await
            .map_err(err)?
            .context("the evaluator is in the process's monitoring body")?;
        let evaluation = Evaluation {
            body,
            verifiable: e.verifiable,
            potential: Potential::parse(&e.potential).context("potential")?,
            completion: Progress::parse(&e.completion).context("completion")?,
            opened_government: OpenedGovernment::parse(&e.opened_government)
                .context("opened_government")?,
            reasoning: e.reasoning.clone(),
            published_on: None,
        };
        app::evaluation::store::save(db, commitment, evaluator, &evaluation, e.published)
            .await
            .map_err(err)?;
    }
    for c in carry {
        let (from, to) = (process(&c.from).await?, process(&c.to).await?);
        let to_title: String = sqlx::query("SELECT title FROM processes WHERE id = $1")
            .bind(to)
            .fetch_one(&db.pool)
            .await?
            .get("title");
        for title in &c.proposals {
            let row = sqlx::query(
                "SELECT p.id, a2.id AS axis FROM proposals p JOIN process_axes a ON a.id = p.axis_id \
                 JOIN process_axes a2 ON a2.name = a.name AND a2.process_id = $3 \
                 WHERE p.process_id = $1 AND p.title = $2",
            )
            .bind(from)
            .bind(title)
            .bind(to)
            .fetch_one(&db.pool)
            .await
            .with_context(|| format!("carrying {title}"))?;
            app::carryover::store::carry(
                db,
                crate::seed::DEMO_BASE_URL,
                (from, to, &to_title),
                &[row.get::<i64, _>("id")],
                row.get("axis"),
                facilitator,
            )
            .await
            .map_err(err)?;
        }
    }
    Ok(())
}
