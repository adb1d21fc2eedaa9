//! The first administrator and the demo data in `seeds/demo.json`. Loading goes
//! through the same store functions as the app, so passwords are hashed the same
//! way and the data obeys the same rules.
use anyhow::{bail, Context};
use app::accounts::model::{GroupKind, Role, Sector};
use app::accounts::{secrets, store as accounts};
use app::db::Db;
use app::feasibility::model::Verdict;
use app::feasibility::store as feasibility;
use app::processes::model::{Stage, StageDates};
use app::processes::store as processes;
use app::proposals::store as proposals;
use app::roundtables::store as roundtables;
use serde::Deserialize;
use sqlx::Row;
use std::collections::HashMap;
use std::path::Path;

/// Creates an administrator, or promotes the existing account with that email.
pub async fn create_admin(db: &Db, email: &str, name: &str, password: &str) -> anyhow::Result<i64> {
    let mut form = app::validate::Form::new();
    let email = form.email("email", email);
    let name = form.required("name", name, app::accounts::model::NAME_MAX);
    form.password("password", password);
    if let Err(e) = form.finish() {
        bail!("invalid administrator: {e:?}");
    }
    let hash = secrets::hash_password(password.to_string()).await;
    if let Some(id) = accounts::create_user(db, &email, &name, &hash, Role::Admin, None)
        .await
        .map_err(err)?
    {
        return Ok(id);
    }
    let id = accounts::credentials(db, &email)
        .await
        .map_err(err)?
        .context("account vanished")?
        .id;
    accounts::set_role(db, id, Role::Admin).await.map_err(err)?;
    accounts::set_password(db, id, &hash).await.map_err(err)?;
    Ok(id)
}

pub(crate) fn err(e: app::error::AppError) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}

#[derive(Deserialize)]
struct Demo {
    organizations: Vec<SeedOrganization>,
    agencies: Vec<SeedAgency>,
    accounts: Vec<SeedAccount>,
    processes: Vec<SeedProcess>,
    #[serde(default)]
    proposals: Vec<SeedProposal>,
    #[serde(default)]
    meetings: Vec<SeedMeeting>,
    #[serde(default)]
    roundtables: Vec<SeedRoundtable>,
    #[serde(default)]
    commitments: Vec<crate::seed_commitments::SeedCommitment>,
    /// Endorsements of the first process's plan by organizations.
    #[serde(default)]
    endorsements: Vec<SeedEndorsement>,
    /// The stakeholder directory's entries (organizations listed above).
    #[serde(default)]
    directory: Vec<crate::seed_directory::SeedEntry>,
    #[serde(default)]
    monitoring_body: Vec<crate::seed_next::SeedEvaluator>,
    #[serde(default)]
    evaluations: Vec<crate::seed_next::SeedEvaluation>,
    #[serde(default)]
    carry_over: Vec<crate::seed_next::SeedCarryOver>,
    /// The first process's survey and invitations by theme.
    call: Option<crate::seed_call::SeedCall>,
}

#[derive(Deserialize)]
struct SeedRoundtable {
    process: String,
    title: String,
    axis: Option<String>,
    #[serde(default)]
    description: String,
    date: String,
    /// `HH:MM` in the server's time zone.
    time: String,
    duration_minutes: i64,
    video_url: String,
    capacity: i64,
    agencies: Vec<String>,
    /// Titles.
    #[serde(default)]
    proposals: Vec<String>,
    /// Emails of the people registered.
    #[serde(default)]
    registrations: Vec<String>,
    /// For a roundtable that has met: its boards, vote and attendance.
    session: Option<crate::seed_session::SeedSession>,
}

/// A proposal's routing to an agency, and the agency's answer if it gave one.
#[derive(Deserialize)]
struct SeedRouting {
    agency: String,
    due: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    verdict: Option<String>,
    #[serde(default)]
    willing: bool,
    #[serde(default)]
    answer: String,
    #[serde(default)]
    notes: String,
    /// Who recorded the answer.
    #[serde(default)]
    by: Option<String>,
}

#[derive(Deserialize)]
struct SeedMeeting {
    process: String,
    agency: String,
    held_on: String,
    attendees: String,
    minutes: String,
    /// Titles of the proposals discussed.
    #[serde(default)]
    proposals: Vec<String>,
}

/// Links in the notification emails the demo data causes: the demo's own address.
pub(crate) const DEMO_BASE_URL: &str = "http://127.0.0.1:3000";

#[derive(Deserialize)]
struct SeedProposal {
    process: String,
    axis: String,
    author: String,
    #[serde(default)]
    organization: Option<String>,
    #[serde(default)]
    show_name: bool,
    title: String,
    problem: String,
    solution: String,
    #[serde(default)]
    supporters: Vec<String>,
    #[serde(default)]
    comments: Vec<SeedComment>,
    #[serde(default)]
    routing: Vec<SeedRouting>,
}

#[derive(Deserialize)]
struct SeedComment {
    author: String,
    body: String,
    #[serde(default)]
    replies: Vec<SeedComment>,
}

#[derive(Deserialize)]
struct SeedOrganization {
    name: String,
    sector: String,
}

#[derive(Deserialize)]
struct SeedAgency {
    name: String,
    #[serde(default)]
    description: String,
}

#[derive(Deserialize)]
struct SeedAccount {
    email: String,
    name: String,
    password: String,
    role: String,
    #[serde(default)]
    agencies: Vec<String>,
    #[serde(default)]
    organizations: Vec<String>,
}

#[derive(Deserialize)]
struct SeedProcess {
    slug: String,
    title: String,
    description: String,
    axes: Vec<String>,
    /// Stage name → [start, end]; each an ISO date or `today+N` / `today-N` days,
    /// so the demo is always live.
    stages: HashMap<String, [String; 2]>,
}

/// Loads `seeds/demo.json`. Safe to run twice: what exists is left alone.
pub async fn load_demo(db: &Db, seeds_dir: &Path) -> anyhow::Result<()> {
    let path = seeds_dir.join("demo.json");
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let demo: Demo =
        serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    let mut org_ids = HashMap::new();
    for o in &demo.organizations {
        let sector = Sector::parse(&o.sector).with_context(|| format!("sector {}", o.sector))?;
        accounts::save_group(db, GroupKind::Organization, None, &o.name, sector.as_str())
            .await
            .map_err(err)?;
        org_ids.insert(
            o.name.clone(),
            id_by_name(db, "organizations", &o.name).await?,
        );
    }
    let mut agency_ids = HashMap::new();
    for a in &demo.agencies {
        accounts::save_group(db, GroupKind::Agency, None, &a.name, &a.description)
            .await
            .map_err(err)?;
        agency_ids.insert(a.name.clone(), id_by_name(db, "agencies", &a.name).await?);
    }
    let mut facilitator = None;
    for a in &demo.accounts {
        let role = Role::parse(&a.role).with_context(|| format!("role {}", a.role))?;
        let id = match accounts::credentials(db, &a.email).await.map_err(err)? {
            Some(c) => c.id,
            None => {
                let hash = secrets::hash_password(a.password.clone()).await;
                accounts::create_user(db, &a.email, &a.name, &hash, role, None)
                    .await
                    .map_err(err)?
                    .context("creating demo account")?
            }
        };
        if role >= Role::Facilitator && facilitator.is_none() {
            facilitator = Some(id);
        }
        for name in &a.agencies {
            let gid = *agency_ids
                .get(name)
                .with_context(|| format!("agency {name}"))?;
            accounts::add_member(db, GroupKind::Agency, id, gid)
                .await
                .map_err(err)?;
        }
        for name in &a.organizations {
            let gid = *org_ids
                .get(name)
                .with_context(|| format!("organization {name}"))?;
            accounts::add_member(db, GroupKind::Organization, id, gid)
                .await
                .map_err(err)?;
        }
    }
    let today = time::OffsetDateTime::now_utc().date();
    for p in &demo.processes {
        if processes::slug_taken(db, &p.slug).await.map_err(err)? {
            continue;
        }
        let mut stages = Vec::new();
        for stage in Stage::ALL {
            let [start, end] = p
                .stages
                .get(stage.as_str())
                .with_context(|| format!("process {} lacks stage {}", p.slug, stage.as_str()))?;
            stages.push(StageDates {
                stage,
                starts_on: resolve_date(start, today)?,
                ends_on: resolve_date(end, today)?,
            });
        }
        let new = processes::NewProcess {
            slug: p.slug.clone(),
            title: p.title.clone(),
            description: p.description.clone(),
            axes: p.axes.clone(),
            stages,
        };
        processes::create(db, &new, facilitator)
            .await
            .map_err(err)?;
    }
    let facilitator = facilitator.context("the demo needs a facilitator account")?;
    for p in &demo.proposals {
        load_proposal(db, p, &org_ids, &agency_ids, facilitator).await?;
    }
    for m in &demo.meetings {
        load_meeting(db, m, &agency_ids, facilitator).await?;
    }
    for r in &demo.roundtables {
        load_roundtable(db, r, &agency_ids, facilitator).await?;
    }
    for c in &demo.commitments {
        crate::seed_commitments::load(db, c, facilitator).await?;
    }
    if let Some(p) = demo.processes.first() {
        let process = sqlx::query("SELECT id FROM processes WHERE slug = $1")
            .bind(&p.slug)
            .fetch_one(&db.pool)
            .await?
            .get::<i64, _>("id");
        for e in &demo.endorsements {
            let org = id_by_name(db, "organizations", &e.organization).await?;
            app::endorsements::store::endorse(db, process, org, None, &e.person, &e.role)
                .await
                .map_err(err)?;
        }
        crate::seed_directory::load(db, &demo.directory, &p.title).await?;
        if let Some(call) = &demo.call {
            crate::seed_call::load(db, call, process, facilitator).await?;
        }
    }
    crate::seed_next::load(
        db,
        (&demo.monitoring_body, &demo.evaluations, &demo.carry_over),
        facilitator,
    )
    .await?;
    tracing::info!("demo data loaded from {}", path.display());
    Ok(())
}

#[derive(Deserialize)]
struct SeedEndorsement {
    organization: String,
    person: String,
    role: String,
}

pub(crate) async fn id_by_name(db: &Db, table: &str, name: &str) -> anyhow::Result<i64> {
    let row = sqlx::query(&format!("SELECT id FROM {table} WHERE name = $1"))
        .bind(name)
        .fetch_one(&db.pool)
        .await?;
    Ok(row.get("id"))
}

pub(crate) fn resolve_date(spec: &str, today: time::Date) -> anyhow::Result<String> {
    let date = if let Some(rest) = spec.strip_prefix("today") {
        let days: i64 = if rest.is_empty() {
            0
        } else {
            rest.trim_start_matches('+').parse()?
        };
        today + time::Duration::days(days)
    } else if app::validate::is_iso_date(spec) {
        return Ok(spec.to_string());
    } else {
        bail!("bad date {spec}");
    };
    Ok(format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    ))
}

/// One demo proposal with its supports; skipped if its title is already there.
async fn load_proposal(
    db: &Db,
    p: &SeedProposal,
    org_ids: &HashMap<String, i64>,
    agency_ids: &HashMap<String, i64>,
    facilitator: i64,
) -> anyhow::Result<()> {
    let row = sqlx::query(
        "SELECT pr.id AS process_id, pr.title AS process_title, a.id AS axis_id, \
         (SELECT COUNT(*) FROM proposals x WHERE x.process_id = pr.id AND x.title = $3) AS existing \
         FROM processes pr JOIN process_axes a ON a.process_id = pr.id WHERE pr.slug = $1 AND a.name = $2",
    )
    .bind(&p.process)
    .bind(&p.axis)
    .bind(&p.title)
    .fetch_optional(&db.pool)
    .await?
    .with_context(|| format!("process {} with axis {}", p.process, p.axis))?;
    if row.get::<i64, _>("existing") > 0 {
        return Ok(());
    }
    let user_id = |email: &str| {
        let email = email.to_string();
        async move {
            accounts::credentials(db, &email)
                .await
                .map_err(err)?
                .map(|c| c.id)
                .with_context(|| format!("account {email}"))
        }
    };
    let fields = proposals::ProposalFields {
        axis_id: row.get("axis_id"),
        organization_id: match &p.organization {
            Some(name) => Some(
                *org_ids
                    .get(name)
                    .with_context(|| format!("organization {name}"))?,
            ),
            None => None,
        },
        title: p.title.clone(),
        problem: p.problem.clone(),
        solution: p.solution.clone(),
        show_author_name: p.show_name,
    };
    let id = proposals::create(
        db,
        row.get("process_id"),
        user_id(&p.author).await?,
        &fields,
    )
    .await
    .map_err(err)?;
    for email in &p.supporters {
        proposals::set_support(db, id, user_id(email).await?, true)
            .await
            .map_err(err)?;
    }
    for c in &p.comments {
        let root = post_comment(db, id, None, user_id(&c.author).await?, &c.body).await?;
        for r in &c.replies {
            let parent = Some((root, 0, root));
            post_comment(db, id, parent, user_id(&r.author).await?, &r.body).await?;
        }
    }
    let process_title: String = row.get("process_title");
    let process = (row.get::<i64, _>("process_id"), process_title.as_str());
    let today = time::OffsetDateTime::now_utc().date();
    for r in &p.routing {
        let agency = *agency_ids
            .get(&r.agency)
            .with_context(|| format!("agency {}", r.agency))?;
        let due_on = resolve_date(&r.due, today)?;
        let routing = feasibility::Routing {
            due_on: &due_on,
            note: &r.note,
            actor: facilitator,
        };
        feasibility::assign(db, DEMO_BASE_URL, process, &[id], &[agency], &routing)
            .await
            .map_err(err)?;
        let Some(verdict) = &r.verdict else { continue };
        let answer = feasibility::Answer {
            verdict: Verdict::parse(verdict).with_context(|| format!("verdict {verdict}"))?,
            willing: r.willing,
            public_answer: r.answer.clone(),
            private_notes: r.notes.clone(),
        };
        let by = match &r.by {
            Some(email) => user_id(email).await?,
            None => facilitator,
        };
        let today = resolve_date("today", today)?;
        feasibility::answer(db, DEMO_BASE_URL, id, agency, 0, &answer, by, &today)
            .await
            .map_err(err)?;
    }
    Ok(())
}

/// A feasibility meeting; skipped if one with that agency on that date exists.
async fn load_meeting(
    db: &Db,
    m: &SeedMeeting,
    agency_ids: &HashMap<String, i64>,
    facilitator: i64,
) -> anyhow::Result<()> {
    let agency = *agency_ids
        .get(&m.agency)
        .with_context(|| format!("agency {}", m.agency))?;
    let held_on = resolve_date(&m.held_on, time::OffsetDateTime::now_utc().date())?;
    let process: i64 = sqlx::query("SELECT id FROM processes WHERE slug = $1")
        .bind(&m.process)
        .fetch_one(&db.pool)
        .await?
        .get("id");
    let existing: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM feasibility_meetings WHERE process_id = $1 AND agency_id = $2 AND held_on = $3",
    )
    .bind(process)
    .bind(agency)
    .bind(&held_on)
    .fetch_one(&db.pool)
    .await?
    .get("n");
    if existing > 0 {
        return Ok(());
    }
    let mut proposal_ids = Vec::new();
    for title in &m.proposals {
        let id: i64 = sqlx::query("SELECT id FROM proposals WHERE process_id = $1 AND title = $2")
            .bind(process)
            .bind(title)
            .fetch_one(&db.pool)
            .await
            .with_context(|| format!("proposal {title}"))?
            .get("id");
        proposal_ids.push(id);
    }
    let meeting = feasibility::NewMeeting {
        held_on,
        attendees: m.attendees.clone(),
        minutes: m.minutes.clone(),
        proposal_ids,
    };
    feasibility::log_meeting(db, process, agency, &meeting, facilitator)
        .await
        .map_err(err)?;
    Ok(())
}

async fn post_comment(
    db: &Db,
    proposal_id: i64,
    parent: Option<(i64, i64, i64)>,
    author_id: i64,
    body: &str,
) -> anyhow::Result<i64> {
    let new = app::comments::store::NewComment {
        kind: app::comments::model::SubjectKind::Proposal,
        subject_id: proposal_id,
        parent,
        author_id,
        body,
        show_author_name: true,
        anchor: None,
        version: None,
    };
    app::comments::store::create(db, &new).await.map_err(err)
}

/// A roundtable and its registrations; skipped if one with that title exists.
async fn load_roundtable(
    db: &Db,
    r: &SeedRoundtable,
    agency_ids: &HashMap<String, i64>,
    facilitator: i64,
) -> anyhow::Result<()> {
    let process: i64 = sqlx::query("SELECT id FROM processes WHERE slug = $1")
        .bind(&r.process)
        .fetch_one(&db.pool)
        .await?
        .get("id");
    let existing: i64 =
        sqlx::query("SELECT COUNT(*) AS n FROM roundtables WHERE process_id = $1 AND title = $2")
            .bind(process)
            .bind(&r.title)
            .fetch_one(&db.pool)
            .await?
            .get("n");
    if existing > 0 {
        return Ok(());
    }
    let axis_id = match &r.axis {
        Some(name) => Some(
            sqlx::query("SELECT id FROM process_axes WHERE process_id = $1 AND name = $2")
                .bind(process)
                .bind(name)
                .fetch_one(&db.pool)
                .await
                .with_context(|| format!("axis {name}"))?
                .get::<i64, _>("id"),
        ),
        None => None,
    };
    let offset = -180;
    let date = resolve_date(&r.date, time::OffsetDateTime::now_utc().date())?;
    let (h, m) = r.time.split_once(':').context("time HH:MM")?;
    let day = time::Date::parse(
        &date,
        &time::macros::format_description!("[year]-[month]-[day]"),
    )?;
    let at = time::Time::from_hms(h.parse()?, m.parse()?, 0)?;
    let starts_at = time::PrimitiveDateTime::new(day, at)
        .assume_offset(time::UtcOffset::from_whole_seconds(offset * 60)?)
        .unix_timestamp();
    let mut agencies = Vec::new();
    for name in &r.agencies {
        agencies.push(
            *agency_ids
                .get(name)
                .with_context(|| format!("agency {name}"))?,
        );
    }
    let mut proposal_ids = Vec::new();
    for title in &r.proposals {
        proposal_ids.push(
            sqlx::query("SELECT id FROM proposals WHERE process_id = $1 AND title = $2")
                .bind(process)
                .bind(title)
                .fetch_one(&db.pool)
                .await
                .with_context(|| format!("proposal {title}"))?
                .get::<i64, _>("id"),
        );
    }
    let new = roundtables::NewRoundtable {
        process_id: process,
        axis_id,
        title: r.title.clone(),
        description: r.description.clone(),
        starts_at,
        utc_offset_minutes: offset,
        duration_minutes: r.duration_minutes,
        video_url: r.video_url.clone(),
        capacity: r.capacity,
        agency_ids: agencies,
        proposal_ids,
    };
    // No one follows an axis of demo data being loaded: no links to write.
    let id = roundtables::create(db, "", &new, facilitator)
        .await
        .map_err(err)?;
    for email in &r.registrations {
        let user = accounts::credentials(db, email)
            .await
            .map_err(err)?
            .with_context(|| format!("account {email}"))?;
        roundtables::register(db, DEMO_BASE_URL, id, user.id)
            .await
            .map_err(err)?;
    }
    if let Some(session) = &r.session {
        crate::seed_session::load(db, id, session).await?;
    }
    Ok(())
}
