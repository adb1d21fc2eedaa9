//! (ssr) SQL for proposals, supports and their history.
use super::model::*;
use crate::db::{bind_all, now, param, Arg, Db, Row};
use crate::error::AppResult;
use crate::paging::{window, Page, PER_PAGE};
use crate::search;
use sqlx::Row as _;

pub struct ProposalFields {
    pub axis_id: i64,
    pub organization_id: Option<i64>,
    pub title: String,
    pub problem: String,
    pub solution: String,
    pub show_author_name: bool,
}

impl ProposalFields {
    fn search_text(&self) -> String {
        search::normalize(&format!(
            "{} {} {}",
            self.title, self.problem, self.solution
        ))
    }
}

/// Whether `axis_id` is one of the process's axes.
pub async fn axis_in_process(db: &Db, process_id: i64, axis_id: i64) -> AppResult<bool> {
    Ok(
        sqlx::query("SELECT id FROM process_axes WHERE id = $1 AND process_id = $2")
            .bind(axis_id)
            .bind(process_id)
            .fetch_optional(&db.pool)
            .await?
            .is_some(),
    )
}

/// The intake stage of process `{process}` that includes the day `{today}`
/// (SQL, for a query of its own or as part of another).
fn intake_stage(process: &str, today: &str) -> String {
    format!(
        "FROM process_stages st WHERE st.process_id = {process} AND st.stage = 'intake' \
         AND st.starts_on <= {today} AND st.ends_on >= {today}"
    )
}

/// Whether the process's intake stage includes `today`.
pub async fn intake_open(db: &Db, process_id: i64, today: &str) -> AppResult<bool> {
    Ok(
        sqlx::query(&format!("SELECT 1 AS open {}", intake_stage("$1", "$2")))
            .bind(process_id)
            .bind(today)
            .fetch_optional(&db.pool)
            .await?
            .is_some(),
    )
}

async fn record(
    tx: &mut crate::db::Tx,
    proposal_id: i64,
    actor: i64,
    event: &str,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO proposal_events (proposal_id, actor_id, event, at) VALUES ($1, $2, $3, $4)",
    )
    .bind(proposal_id)
    .bind(actor)
    .bind(event)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A new proposal row, written as it was sent.
async fn insert(
    tx: &mut crate::db::Tx,
    process_id: i64,
    author_id: i64,
    f: &ProposalFields,
) -> AppResult<i64> {
    Ok(sqlx::query(
        "INSERT INTO proposals (process_id, axis_id, author_id, organization_id, title, problem, solution, \
         show_author_name, search_text, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
    )
    .bind(process_id)
    .bind(f.axis_id)
    .bind(author_id)
    .bind(f.organization_id)
    .bind(&f.title)
    .bind(&f.problem)
    .bind(&f.solution)
    .bind(f.show_author_name as i64)
    .bind(f.search_text())
    .bind(now())
    .fetch_one(&mut **tx)
    .await?
    .get("id"))
}

pub async fn create(
    db: &Db,
    process_id: i64,
    author_id: i64,
    f: &ProposalFields,
) -> AppResult<i64> {
    let mut tx = db.begin_write().await?;
    let id = insert(&mut tx, process_id, author_id, f).await?;
    record(&mut tx, id, author_id, "submitted").await?;
    tx.commit().await?;
    db.touch_counts();
    Ok(id)
}

pub async fn update(db: &Db, id: i64, actor: i64, f: &ProposalFields) -> AppResult<()> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "UPDATE proposals SET axis_id = $1, organization_id = $2, title = $3, problem = $4, solution = $5, \
         show_author_name = $6, search_text = $7, updated_at = $8 WHERE id = $9",
    )
    .bind(f.axis_id)
    .bind(f.organization_id)
    .bind(&f.title)
    .bind(&f.problem)
    .bind(&f.solution)
    .bind(f.show_author_name as i64)
    .bind(f.search_text())
    .bind(now())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    record(&mut tx, id, actor, "edited").await?;
    tx.commit().await?;
    db.touch_counts();
    Ok(())
}

pub async fn withdraw(db: &Db, id: i64, actor: i64) -> AppResult<()> {
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE proposals SET state = 'withdrawn', updated_at = $1 WHERE id = $2")
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    record(&mut tx, id, actor, "withdrawn").await?;
    tx.commit().await?;
    db.touch_counts();
    Ok(())
}

/// The facts rules need about a proposal.
pub struct Ownership {
    pub process_id: i64,
    pub author_id: i64,
    pub withdrawn: bool,
    /// Hidden by moderation.
    pub hidden: bool,
}

impl Ownership {
    /// Withdrawn or hidden proposals take no supports, comments or edits.
    pub fn closed(&self) -> bool {
        self.withdrawn || self.hidden
    }
}

pub async fn ownership(db: &Db, id: i64) -> AppResult<Option<Ownership>> {
    let row =
        sqlx::query("SELECT process_id, author_id, state, hidden FROM proposals WHERE id = $1")
            .bind(id)
            .fetch_optional(&db.pool)
            .await?;
    Ok(row.map(|r| Ownership {
        process_id: r.get("process_id"),
        author_id: r.get("author_id"),
        withdrawn: r.get::<String, _>("state") == "withdrawn",
        hidden: r.get::<i64, _>("hidden") == 1,
    }))
}

/// Adds (or with `on` false, takes back) one person's support. Counted in the same
/// transaction as the support row, so concurrent clicks count once.
pub async fn set_support(db: &Db, id: i64, user_id: i64, on: bool) -> AppResult<bool> {
    let mut tx = db.begin_write().await?;
    let changed = if on {
        sqlx::query(
            "INSERT INTO proposal_supports (proposal_id, user_id, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(user_id)
        .bind(now())
        .execute(&mut *tx)
        .await?
        .rows_affected()
    } else {
        sqlx::query("DELETE FROM proposal_supports WHERE proposal_id = $1 AND user_id = $2")
            .bind(id)
            .bind(user_id)
            .execute(&mut *tx)
            .await?
            .rows_affected()
    };
    if changed == 1 {
        sqlx::query("UPDATE proposals SET supports_count = supports_count + $1 WHERE id = $2")
            .bind(if on { 1i64 } else { -1 })
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(changed == 1)
}

/// `comments_count` (visible comments only) is kept by the database's triggers
/// on the shared comments table (migration 23).
const SUMMARY_COLUMNS: &str =
    "p.id, p.title, p.hidden, p.state, p.supports_count, p.comments_count, p.created_at, \
     p.show_author_name, a.name AS axis, u.display_name AS author, o.name AS organization";
const SUMMARY_JOINED: &str = "JOIN process_axes a ON a.id = p.axis_id \
     JOIN users u ON u.id = p.author_id LEFT JOIN organizations o ON o.id = p.organization_id";

fn summary(r: &Row, offset: i32) -> ProposalSummary {
    let show_name = r.get::<i64, _>("show_author_name") == 1;
    let hidden = r.get::<i64, _>("hidden") == 1;
    ProposalSummary {
        id: r.get("id"),
        // Hidden content never leaves the server; the page shows a placeholder.
        title: if hidden {
            String::new()
        } else {
            r.get("title")
        },
        hidden,
        axis: r.get("axis"),
        credit: Credit {
            author_name: show_name.then(|| r.get("author")),
            organization: r.get("organization"),
        },
        state: ProposalState::parse(&r.get::<String, _>("state"))
            .unwrap_or(ProposalState::Published),
        supports: r.get("supports_count"),
        comments: r.get("comments_count"),
        created_on: crate::ctx::local_date(r.get("created_at"), offset),
    }
}

/// One page of a process's proposals, filtered, searched and sorted.
pub async fn list(
    db: &Db,
    process_id: i64,
    q: &ProposalQuery,
    offset_minutes: i32,
) -> AppResult<Page<ProposalSummary>> {
    let (page, offset) = window(q.page);
    let mut args = Vec::new();
    let mut conditions = vec![format!(
        "p.process_id = {}",
        param(&mut args, Arg::Int(process_id))
    )];
    let terms = search::terms(&q.q);
    if !terms.is_empty() {
        let n = param(&mut args, Arg::Text(db.text_query(&terms, false)));
        conditions.push(db.text_match("proposals", "p.id", &n));
    }
    if let Some(axis) = q.axis {
        conditions.push(format!("p.axis_id = {}", param(&mut args, Arg::Int(axis))));
    }
    if let Some(state) = &q.state {
        conditions.push(format!(
            "p.state = {}",
            param(&mut args, Arg::Text(state.clone()))
        ));
    }
    if let Some(sector) = &q.sector {
        conditions.push(format!(
            "p.organization_id IN (SELECT o.id FROM organizations o WHERE o.sector = {})",
            param(&mut args, Arg::Text(sector.clone()))
        ));
    }
    let filter = conditions.join(" AND ");
    let order = match q.sort.as_str() {
        "supported" => "p.supports_count DESC, p.id DESC",
        "commented" => "p.comments_count DESC, p.id DESC",
        _ => "p.created_at DESC, p.id DESC",
    };
    // Counting and choosing the page read the proposals' indexes alone (see
    // the migrations); only the page's rows are then joined to their axis,
    // author and organization.
    let count_sql = format!("SELECT COUNT(*) AS n FROM proposals p WHERE {filter}");
    let total = crate::db::count_recent(db, &count_sql, &args).await?;
    let list_sql = format!(
        "SELECT {SUMMARY_COLUMNS} FROM (SELECT p.id FROM proposals p WHERE {filter} \
         ORDER BY {order} LIMIT {PER_PAGE} OFFSET {offset}) page \
         JOIN proposals p ON p.id = page.id {SUMMARY_JOINED} ORDER BY {order}"
    );
    let rows = bind_all(&list_sql, &args).fetch_all(&db.pool).await?;
    let items = rows.iter().map(|r| summary(r, offset_minutes)).collect();
    Ok(Page::new(items, page, total))
}

/// Up to 5 published proposals of the process that share words with `text`.
pub async fn similar(db: &Db, process_id: i64, text: &str) -> AppResult<Vec<SimilarProposal>> {
    let terms = search::significant_terms(text);
    if terms.is_empty() {
        return Ok(vec![]);
    }
    let sql = format!(
        "SELECT p.id, p.title FROM proposals p WHERE p.process_id = $1 AND p.state = 'published' AND p.hidden = 0 AND {} \
         ORDER BY p.supports_count DESC, p.id DESC LIMIT 5",
        db.text_match("proposals", "p.id", "$2")
    );
    let rows = sqlx::query(&sql)
        .bind(process_id)
        .bind(db.text_query(&terms, true))
        .fetch_all(&db.pool)
        .await?;
    Ok(rows
        .iter()
        .map(|r| SimilarProposal {
            id: r.get("id"),
            title: r.get("title"),
        })
        .collect())
}

/// A proposal as `viewer` sees it.
pub async fn detail(
    db: &Db,
    id: i64,
    viewer: Option<i64>,
    today: &str,
    offset_minutes: i32,
) -> AppResult<Option<ProposalDetail>> {
    // Whether the viewer supports it and whether intake is open come along
    // (each found by its index) rather than in queries of their own.
    let Some(r) = sqlx::query(&format!(
        "SELECT {SUMMARY_COLUMNS}, p.problem, p.solution, p.axis_id, p.organization_id, p.author_id, \
         p.process_id, pr.slug, pr.title AS process_title, \
         (SELECT COUNT(*) FROM proposal_supports ps WHERE ps.proposal_id = p.id AND ps.user_id = $2) \
           AS supported_by_me, \
         (SELECT COUNT(*) {intake}) AS intake_open \
         FROM proposals p {SUMMARY_JOINED} \
         JOIN processes pr ON pr.id = p.process_id WHERE p.id = $1",
        intake = intake_stage("p.process_id", "$3")
    ))
    .bind(id)
    .bind(viewer)
    .bind(today)
    .fetch_optional(&db.pool)
    .await?
    else {
        return Ok(None);
    };
    let history = history(db, id, false, offset_minutes).await?;
    let hidden = r.get::<i64, _>("hidden") == 1;
    Ok(Some(ProposalDetail {
        summary: summary(&r, offset_minutes),
        process_slug: r.get("slug"),
        process_title: r.get("process_title"),
        problem: if hidden {
            String::new()
        } else {
            r.get("problem")
        },
        solution: if hidden {
            String::new()
        } else {
            r.get("solution")
        },
        axis_id: r.get("axis_id"),
        organization_id: r.get("organization_id"),
        show_author_name: r.get::<i64, _>("show_author_name") == 1,
        history,
        signed_in: viewer.is_some(),
        mine: viewer == Some(r.get::<i64, _>("author_id")),
        supported_by_me: r.get::<i64, _>("supported_by_me") > 0,
        intake_open: r.get::<i64, _>("intake_open") > 0,
        answers: crate::feasibility::store::public_answers(db, id, offset_minutes).await?,
        can_review: false,
    }))
}

/// What a proposal is called and where, as the public sees it (no title when
/// hidden), for pages about it built by other stages.
pub struct Heading {
    pub title: String,
    pub hidden: bool,
    pub process_slug: String,
    pub process_title: String,
}

pub async fn heading(db: &Db, id: i64) -> AppResult<Option<Heading>> {
    Ok(sqlx::query(
        "SELECT p.title, p.hidden, pr.slug, pr.title AS process_title FROM proposals p \
         JOIN processes pr ON pr.id = p.process_id WHERE p.id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?
    .map(|r| {
        let hidden = r.get::<i64, _>("hidden") == 1;
        Heading {
            title: if hidden {
                String::new()
            } else {
                r.get("title")
            },
            hidden,
            process_slug: r.get("slug"),
            process_title: r.get("process_title"),
        }
    }))
}

/// A proposal's history, oldest first: the public one, or with `team` every step
/// (held answers included) and who took it.
pub async fn history(
    db: &Db,
    id: i64,
    team: bool,
    offset_minutes: i32,
) -> AppResult<Vec<ProposalEvent>> {
    let only_public = if team { "" } else { "AND e.public = 1" };
    Ok(sqlx::query(&format!(
        "SELECT e.event, e.at, e.detail, g.name AS agency, u.display_name AS actor \
         FROM proposal_events e LEFT JOIN agencies g ON g.id = e.agency_id \
         LEFT JOIN users u ON u.id = e.actor_id \
         WHERE e.proposal_id = $1 {only_public} ORDER BY e.at, e.id"
    ))
    .bind(id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|e| ProposalEvent {
        event: e.get("event"),
        on: crate::ctx::local_date(e.get("at"), offset_minutes),
        agency: e.get("agency"),
        detail: e.get("detail"),
        actor: if team { e.get("actor") } else { None },
    })
    .collect())
}

/// What a carry-over needs of each candidate: (id, title, axis id, axis name).
pub async fn standing_in(db: &Db, process_id: i64) -> AppResult<Vec<(i64, String, i64, String)>> {
    Ok(sqlx::query(
        "SELECT p.id, p.title, p.axis_id, a.name FROM proposals p JOIN process_axes a ON a.id = p.axis_id \
         WHERE p.process_id = $1 AND p.state = 'published' AND p.hidden = 0 ORDER BY p.id",
    )
    .bind(process_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| (r.get("id"), r.get("title"), r.get("axis_id"), r.get("name")))
    .collect())
}

/// The proposals of `from_process` already carried into `to_process`.
pub async fn carried_into(db: &Db, from_process: i64, to_process: i64) -> AppResult<Vec<i64>> {
    Ok(sqlx::query(
        "SELECT c.from_id FROM proposal_carryovers c JOIN proposals p ON p.id = c.from_id \
         WHERE p.process_id = $1 AND c.to_process_id = $2",
    )
    .bind(from_process)
    .bind(to_process)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| r.get("from_id"))
    .collect())
}

/// Whether proposal `id` belongs to process `process_id`.
pub async fn in_process(tx: &mut crate::db::Tx, id: i64, process_id: i64) -> AppResult<bool> {
    Ok(
        sqlx::query("SELECT 1 AS yes FROM proposals WHERE id = $1 AND process_id = $2")
            .bind(id)
            .bind(process_id)
            .fetch_optional(&mut **tx)
            .await?
            .is_some(),
    )
}

/// A proposal carried into a later process.
pub struct Carried {
    pub new_id: i64,
    pub author_id: i64,
    pub title: String,
}

/// Copies a published, visible proposal of another process into
/// `to_process` under `axis_id`, keeping its author, organization and consent,
/// and links both in their public histories. `None` if it was already carried
/// there or may not be (withdrawn, hidden, same process).
pub async fn carry_into(
    tx: &mut crate::db::Tx,
    from_id: i64,
    to_process: i64,
    axis_id: i64,
    actor: i64,
) -> AppResult<Option<Carried>> {
    let Some(r) = sqlx::query(
        "SELECT p.author_id, p.organization_id, p.title, p.problem, p.solution, p.show_author_name \
         FROM proposals p WHERE p.id = $1 AND p.state = 'published' AND p.hidden = 0 \
         AND p.process_id <> $2 AND NOT EXISTS (SELECT 1 FROM proposal_carryovers c \
         WHERE c.from_id = p.id AND c.to_process_id = $2)",
    )
    .bind(from_id)
    .bind(to_process)
    .fetch_optional(&mut **tx)
    .await?
    else {
        return Ok(None);
    };
    let f = ProposalFields {
        axis_id,
        organization_id: r.get("organization_id"),
        title: r.get("title"),
        problem: r.get("problem"),
        solution: r.get("solution"),
        show_author_name: r.get::<i64, _>("show_author_name") == 1,
    };
    let author_id: i64 = r.get("author_id");
    let t = now();
    let new_id = insert(tx, to_process, author_id, &f).await?;
    sqlx::query(
        "INSERT INTO proposal_carryovers (from_id, to_process_id, to_id, carried_by, carried_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(from_id)
    .bind(to_process)
    .bind(new_id)
    .bind(actor)
    .bind(t)
    .execute(&mut **tx)
    .await?;
    for (proposal, event, other) in [
        (new_id, "carried_in", from_id),
        (from_id, "carried_over", new_id),
    ] {
        sqlx::query(
            "INSERT INTO proposal_events (proposal_id, actor_id, event, detail, at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(proposal)
        .bind(actor)
        .bind(event)
        .bind(other.to_string())
        .bind(t)
        .execute(&mut **tx)
        .await?;
    }
    Ok(Some(Carried {
        new_id,
        author_id,
        title: f.title,
    }))
}

/// A process's proposals as its co-creation report counts them (published,
/// not hidden): in all, by axis (every axis, in order) and by the sector of the
/// organization they were written for (`None`: by a person on their own).
pub struct Received {
    pub total: i64,
    pub by_axis: Vec<(String, i64)>,
    pub by_sector: Vec<(Option<String>, i64)>,
}

pub async fn received(db: &Db, process_id: i64) -> AppResult<Received> {
    const COUNTED: &str = "p.state = 'published' AND p.hidden = 0";
    let by_axis: Vec<(String, i64)> = sqlx::query(&format!(
        "SELECT a.name, COUNT(p.id) AS n FROM process_axes a \
         LEFT JOIN proposals p ON p.axis_id = a.id AND {COUNTED} \
         WHERE a.process_id = $1 GROUP BY a.id, a.name, a.position ORDER BY a.position"
    ))
    .bind(process_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| (r.get("name"), r.get("n")))
    .collect();
    let by_sector = sqlx::query(&format!(
        "SELECT o.sector, COUNT(*) AS n FROM proposals p \
         LEFT JOIN organizations o ON o.id = p.organization_id \
         WHERE p.process_id = $1 AND {COUNTED} GROUP BY o.sector ORDER BY o.sector"
    ))
    .bind(process_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| (r.get("sector"), r.get("n")))
    .collect();
    Ok(Received {
        total: by_axis.iter().map(|a| a.1).sum(),
        by_axis,
        by_sector,
    })
}

/// Who took part through proposals: the people who wrote or commented on one
/// (withdrawn and hidden ones too: they took part), and the organizations
/// proposals were written for.
pub async fn participants(db: &Db, process_id: i64) -> AppResult<(Vec<i64>, Vec<i64>)> {
    let people = sqlx::query(
        "SELECT author_id AS id FROM proposals WHERE process_id = $1 \
         UNION SELECT c.author_id FROM comments c JOIN proposals p \
         ON c.subject_kind = 'proposal' AND p.id = c.subject_id WHERE p.process_id = $1",
    )
    .bind(process_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| r.get("id"))
    .collect();
    let organizations = sqlx::query(
        "SELECT DISTINCT organization_id FROM proposals WHERE process_id = $1 \
         AND organization_id IS NOT NULL AND hidden = 0",
    )
    .bind(process_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| r.get("organization_id"))
    .collect();
    Ok((people, organizations))
}

/// (privacy) The proposals a person wrote and the ones they supported.
pub async fn personal_data(db: &Db, user_id: i64) -> AppResult<serde_json::Value> {
    let proposals = sqlx::query(
        "SELECT id, process_id, title, problem, solution, state, show_author_name, created_at, \
         updated_at FROM proposals WHERE author_id = $1 ORDER BY id",
    )
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?;
    let supports = sqlx::query(
        "SELECT proposal_id, created_at FROM proposal_supports WHERE user_id = $1 ORDER BY proposal_id",
    )
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(serde_json::json!({
        "proposals": crate::db::rows_json(&proposals),
        "supports": crate::db::rows_json(&supports),
    }))
}

/// (privacy) A deleted account's proposals stay in the public record, without
/// a name.
pub async fn forget(tx: &mut crate::db::Tx, user_id: i64) -> AppResult<()> {
    sqlx::query("UPDATE proposals SET show_author_name = 0 WHERE author_id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// (evaluation) A process's proposals for its monitoring body, `$1` the
/// process: hidden and withdrawn ones too; authors only by the name they chose
/// to show; no email.
pub const EVALUATOR_DATA: &[(&str, &str)] = &[(
    "propuestas",
    "SELECT p.id, a.name AS axis, p.title, p.problem, p.solution, p.state, p.hidden, \
     CASE WHEN p.show_author_name = 1 THEN u.display_name END AS author, o.name AS organization, \
     o.sector, p.supports_count AS supports, p.created_at FROM proposals p \
     JOIN process_axes a ON a.id = p.axis_id JOIN users u ON u.id = p.author_id \
     LEFT JOIN organizations o ON o.id = p.organization_id WHERE p.process_id = $1 ORDER BY p.id",
)];

/// (open data) The published proposals anyone may read: none hidden or
/// withdrawn, the author's name only by consent.
pub const OPEN_DATA: &[crate::dataset::Dataset] = {
    use crate::dataset::{field, one_of, optional, Dataset, Filter, Kind::*, Source};
    &[Dataset {
        name: "proposals",
        fields: &[
            field("id", Integer),
            field("axis_id", Integer),
            field("axis", Text),
            field("title", Text),
            field("problem", Text),
            field("solution", Text),
            field("supports", Integer),
            field("comments", Integer),
            optional("author", Text),
            optional("organization", Text),
            one_of("sector", &crate::accounts::model::Sector::NAMES, true),
            field("created_at", DateTime),
            field("updated_at", DateTime),
        ],
        filters: &[
            Filter::Id {
                param: "axis",
                column: "axis_id",
            },
            Filter::Value {
                param: "sector",
                column: "sector",
            },
            Filter::Words { table: "proposals" },
        ],
        modified: "updated_at",
        source: Source::Sql(
            "SELECT p.id, p.axis_id, a.name AS axis, p.title, p.problem, p.solution, \
             p.supports_count AS supports, p.comments_count AS comments, \
             CASE WHEN p.show_author_name = 1 THEN u.display_name END AS author, \
             o.name AS organization, o.sector, p.created_at, p.updated_at FROM proposals p \
             JOIN process_axes a ON a.id = p.axis_id JOIN users u ON u.id = p.author_id \
             LEFT JOIN organizations o ON o.id = p.organization_id \
             WHERE p.process_id = $1 AND p.state = 'published' AND p.hidden = 0",
        ),
    }]
};
