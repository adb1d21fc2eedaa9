//! Demo progress on a final commitment: updates filed by its lead agency across
//! the IRM statuses, with dated evidence; published, sent back or waiting for
//! the team, through the same store functions the app uses.
use anyhow::Context;
use app::db::Db;
use app::monitoring::{model::Progress, store};
use serde::Deserialize;
use sqlx::Row;

#[derive(Deserialize)]
pub struct SeedUpdate {
    milestone: String,
    progress: String,
    narrative: String,
    /// The member of the lead agency who files it.
    by: String,
    /// `published` (with the date), `returned` (with the reason), or waiting.
    #[serde(default)]
    published: Option<String>,
    #[serde(default)]
    returned: Option<String>,
    #[serde(default)]
    links: Vec<SeedLink>,
}

/// A follow-up meeting held on the commitment.
#[derive(Deserialize)]
pub struct SeedFollowUp {
    held_on: String,
    attendees: i64,
    organizations: String,
    minutes: String,
}

#[derive(Deserialize)]
struct SeedLink {
    title: String,
    url: String,
    dated_on: String,
}

pub async fn load(
    db: &Db,
    commitment_id: i64,
    (updates, followups): (&[SeedUpdate], &[SeedFollowUp]),
    facilitator: i64,
) -> anyhow::Result<()> {
    let today = time::OffsetDateTime::now_utc().date();
    for f in followups {
        let meeting = app::monitoring::model::FollowUp {
            id: 0,
            held_on: crate::seed::resolve_date(&f.held_on, today)?,
            attendees: f.attendees,
            organizations: f.organizations.clone(),
            minutes: f.minutes.clone(),
        };
        store::log_followup(db, commitment_id, &meeting, facilitator)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    for u in updates {
        let person = sqlx::query(
            "SELECT u.id, m.agency_id FROM users u JOIN agency_members m ON m.user_id = u.id WHERE u.email = $1",
        )
        .bind(&u.by)
        .fetch_one(&db.pool)
        .await
        .with_context(|| format!("agency member {}", u.by))?;
        let progress = Progress::parse(&u.progress).with_context(|| u.progress.clone())?;
        let evidence = u
            .links
            .iter()
            .map(|l| {
                Ok(store::NewEvidence {
                    title: l.title.clone(),
                    dated_on: crate::seed::resolve_date(&l.dated_on, today)?,
                    url: Some(l.url.clone()),
                    file: None,
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let new = store::NewUpdate {
            commitment_id,
            milestone_key: &u.milestone,
            progress,
            narrative: &u.narrative,
            agency_id: Some(person.get("agency_id")),
            author_id: person.get("id"),
        };
        let id = store::file(db, &new, &evidence)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let review = match (&u.published, &u.returned) {
            (Some(_), _) => Some((true, "")),
            (None, Some(reason)) => Some((false, reason.as_str())),
            _ => None,
        };
        if let Some((publish, reason)) = review {
            store::review(db, id, publish, reason, facilitator)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
        }
        // Back-date it, so the demo has months of history.
        if let Some(spec) = &u.published {
            let date = crate::seed::resolve_date(spec, today)?;
            let at = app::ctx::local_epoch(&date, time::Time::MIDNIGHT, -180).context("date")?
                + 12 * 3600;
            sqlx::query(
                "UPDATE milestone_updates SET created_at = $1, reviewed_at = $2, published_at = $2 WHERE id = $3",
            )
            .bind(at - 2 * 86_400)
            .bind(at)
            .bind(id)
            .execute(db.writer())
            .await?;
        }
    }
    Ok(())
}
