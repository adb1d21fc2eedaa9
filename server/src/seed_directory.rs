//! Demo data for the stakeholder directory: the reference plan's organizations
//! with their territory, web site and the axes they work on, and registrations
//! waiting for the team.
use anyhow::Context as _;
use app::db::Db;
use app::stakeholders::model::Status;
use app::stakeholders::store::{seed_entry, Entry};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct SeedEntry {
    organization: String,
    #[serde(default)]
    territory: String,
    #[serde(default)]
    website: String,
    #[serde(default)]
    description: String,
    contact_email: String,
    /// Axes of the first process, by name.
    #[serde(default)]
    interests: Vec<String>,
    status: String,
    /// The demo account that registered it (by email).
    registered_by: Option<String>,
}

/// `process_title` names the process whose axes the interests are.
pub async fn load(db: &Db, entries: &[SeedEntry], process_title: &str) -> anyhow::Result<()> {
    let axes = app::processes::store::axis_choices(db)
        .await
        .map_err(crate::seed::err)?;
    for e in entries {
        let org = crate::seed::id_by_name(db, "organizations", &e.organization).await?;
        let axis_ids = e
            .interests
            .iter()
            .map(|name| {
                axes.iter()
                    .find(|(_, axis, process)| axis == name && process == process_title)
                    .map(|a| a.0)
                    .with_context(|| format!("axis {name}"))
            })
            .collect::<anyhow::Result<Vec<i64>>>()?;
        let registered_by = match &e.registered_by {
            Some(email) => app::accounts::store::credentials(db, email)
                .await
                .map_err(crate::seed::err)?
                .map(|c| c.id),
            None => None,
        };
        let status = Status::parse(&e.status).with_context(|| format!("status {}", e.status))?;
        let r = Entry {
            territory: &e.territory,
            website: &e.website,
            description: &e.description,
            contact_email: &e.contact_email,
            axis_ids: &axis_ids,
        };
        seed_entry(db, org, &r, status, registered_by)
            .await
            .map_err(crate::seed::err)?;
    }
    Ok(())
}
