//! Demo commitment sheets: drafted from a finished roundtable, published for
//! comment, commented on, revised, answered and (for one) published as final,
//! through the same store functions the app uses.
use anyhow::{bail, Context};
use app::comments::{model::SubjectKind, store as comments};
use app::commitments::consultation_store::{self as consultation, Finished};
use app::commitments::model::{Outcome, Sheet};
use app::commitments::store;
use app::db::Db;
use serde::Deserialize;
use sqlx::Row;
use std::collections::HashMap;

#[derive(Deserialize)]
pub struct SeedCommitment {
    /// The roundtable's title.
    roundtable: String,
    code: String,
    change_note: String,
    sheet: Sheet,
    /// Opening and closing dates (`today-5`, `today+10`), both included.
    period: [String; 2],
    #[serde(default)]
    comments: Vec<SeedSheetComment>,
    /// Saved after the comments, one version each.
    #[serde(default)]
    revisions: Vec<SeedRevision>,
    #[serde(default, rename = "final")]
    is_final: bool,
    /// Progress on a final sheet's milestones.
    #[serde(default)]
    updates: Vec<crate::seed_monitoring::SeedUpdate>,
    #[serde(default)]
    followups: Vec<crate::seed_monitoring::SeedFollowUp>,
}

#[derive(Deserialize)]
struct SeedSheetComment {
    author: String,
    /// A field name or a milestone key.
    anchor: String,
    body: String,
    #[serde(default)]
    show_name: bool,
    response: Option<SeedResponse>,
}

#[derive(Deserialize)]
struct SeedResponse {
    outcome: String,
    reason: String,
    version: Option<i64>,
}

#[derive(Deserialize)]
struct SeedRevision {
    field: String,
    text: String,
    note: String,
}

fn err(e: app::error::AppError) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}

/// Local midnight (Buenos Aires, the demo's zone) of a date spec, in UTC seconds.
fn midnight(spec: &str) -> anyhow::Result<(i64, String)> {
    let date = crate::seed::resolve_date(spec, time::OffsetDateTime::now_utc().date())?;
    let at = app::ctx::local_epoch(&date, time::Time::MIDNIGHT, -180).context("date")?;
    Ok((at, date))
}

pub async fn load(db: &Db, c: &SeedCommitment, facilitator: i64) -> anyhow::Result<()> {
    let row = sqlx::query("SELECT id, process_id FROM roundtables WHERE title = $1")
        .bind(&c.roundtable)
        .fetch_one(&db.pool)
        .await
        .with_context(|| format!("roundtable {}", c.roundtable))?;
    let Some(id) = store::create_from_roundtable(db, row.get("id"), &c.code, facilitator)
        .await
        .map_err(err)?
    else {
        return Ok(()); // already loaded
    };
    let mut version = save(db, id, 1, &c.sheet, &c.change_note, facilitator).await?;
    let (opens_at, opens_on) = midnight(&c.period[0])?;
    let (closes_at, closes_on) = midnight(&c.period[1])?;
    consultation::publish_for_comment(
        db,
        crate::seed::DEMO_BASE_URL,
        id,
        version,
        opens_at,
        closes_at + 86_400,
        (&opens_on, &closes_on),
    )
    .await
    .map_err(err)?;
    let mut people: HashMap<&str, i64> = HashMap::new();
    let mut posted = Vec::new();
    for sc in &c.comments {
        let author = match people.get(sc.author.as_str()) {
            Some(id) => *id,
            None => {
                let id: i64 = sqlx::query("SELECT id FROM users WHERE email = $1")
                    .bind(&sc.author)
                    .fetch_one(&db.pool)
                    .await
                    .with_context(|| format!("user {}", sc.author))?
                    .get("id");
                people.insert(&sc.author, id);
                id
            }
        };
        let new = comments::NewComment {
            kind: SubjectKind::Commitment,
            subject_id: id,
            parent: None,
            author_id: author,
            body: &sc.body,
            show_author_name: sc.show_name,
            anchor: Some(&sc.anchor),
            version: Some(version),
        };
        posted.push(comments::create(db, &new).await.map_err(err)?);
    }
    for r in &c.revisions {
        let mut sheet = store::sheet_at(db, id, version)
            .await
            .map_err(err)?
            .context("sheet")?;
        if !sheet.set_text(&r.field, r.text.clone()) {
            bail!("no field {}", r.field);
        }
        version = save(db, id, version, &sheet, &r.note, facilitator).await?;
    }
    for (sc, comment) in c.comments.iter().zip(posted) {
        let Some(r) = &sc.response else { continue };
        let outcome =
            Outcome::parse(&r.outcome).with_context(|| format!("outcome {}", r.outcome))?;
        let response = (outcome, r.reason.as_str(), r.version);
        consultation::respond(
            db,
            crate::seed::DEMO_BASE_URL,
            id,
            comment,
            response,
            facilitator,
        )
        .await
        .map_err(err)?;
    }
    if c.is_final {
        match consultation::publish_final(db, id, false, facilitator)
            .await
            .map_err(err)?
        {
            Finished::Published => {}
            Finished::Unanswered(n) => bail!("{}: {n} comments unanswered", c.code),
        }
        crate::seed_monitoring::load(db, id, (&c.updates, &c.followups), facilitator).await?;
    }
    Ok(())
}

async fn save(
    db: &Db,
    id: i64,
    base: i64,
    sheet: &Sheet,
    note: &str,
    by: i64,
) -> anyhow::Result<i64> {
    match store::save(db, id, base, sheet, note, by)
        .await
        .map_err(err)?
    {
        store::Saved::Version(n) => Ok(n),
        store::Saved::Stale(_) => bail!("sheet {id} changed while loading"),
    }
}
