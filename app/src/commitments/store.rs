//! (ssr) SQL for commitment sheets and their versions. A save names the version
//! it was made from; the current number is raised only if it is still that one,
//! so of two saves from the same version the later is told, never lost silently.
use super::model::*;
use crate::db::{now, Db, Row, Tx};
use crate::error::{AppError, AppResult};
use sqlx::Row as _;

pub(super) fn sheet_of(json: &str) -> Sheet {
    serde_json::from_str(json).unwrap_or_default()
}

fn to_json(sheet: &Sheet) -> AppResult<String> {
    serde_json::to_string(sheet).map_err(|_| AppError::Internal)
}

async fn add_version(
    tx: &mut Tx,
    id: i64,
    number: i64,
    sheet: &Sheet,
    note: &str,
    author: i64,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO commitment_versions (commitment_id, number, sheet, change_note, author_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(number)
    .bind(to_json(sheet)?)
    .bind(note)
    .bind(author)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A new sheet for a roundtable's process: title from the chosen topic (or the
/// roundtable's title), its agencies, linked to the proposals it presented;
/// version 1. `None` if the code is taken in the process.
pub async fn create_from_roundtable(
    db: &Db,
    roundtable_id: i64,
    code: &str,
    author: i64,
) -> AppResult<Option<i64>> {
    let facts = crate::roundtables::store::facts(db, roundtable_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (detail, _) = crate::roundtables::store::detail(db, roundtable_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let chosen_topic = crate::boards::vote_store::view(db, roundtable_id, None)
        .await?
        .chosen_topic;
    let sheet = Sheet {
        title: chosen_topic.unwrap_or(detail.summary.title),
        lead_agency: detail.agencies.join(", "),
        ..Default::default()
    };
    let mut tx = db.begin_write().await?;
    let taken: i64 =
        sqlx::query("SELECT COUNT(*) AS n FROM commitments WHERE process_id = $1 AND code = $2")
            .bind(facts.process_id)
            .bind(code)
            .fetch_one(&mut *tx)
            .await?
            .get("n");
    if taken > 0 {
        return Ok(None);
    }
    let id: i64 = sqlx::query(
        "INSERT INTO commitments (process_id, roundtable_id, code, current_version, created_by, created_at) \
         VALUES ($1, $2, $3, 1, $4, $5) RETURNING id",
    )
    .bind(facts.process_id)
    .bind(roundtable_id)
    .bind(code)
    .bind(author)
    .bind(now())
    .fetch_one(&mut *tx)
    .await?
    .get("id");
    for (proposal, _) in &detail.proposals {
        sqlx::query(
            "INSERT INTO commitment_proposals (commitment_id, proposal_id) VALUES ($1, $2)",
        )
        .bind(id)
        .bind(proposal)
        .execute(&mut *tx)
        .await?;
    }
    add_version(&mut tx, id, 1, &sheet, "", author).await?;
    tx.commit().await?;
    Ok(Some(id))
}

pub enum Saved {
    Version(i64),
    /// Someone saved since `base`: the current number.
    Stale(i64),
}

/// Saves `sheet` as the next version, if `base` is still the current one.
pub async fn save(
    db: &Db,
    id: i64,
    base: i64,
    sheet: &Sheet,
    note: &str,
    author: i64,
) -> AppResult<Saved> {
    let mut tx = db.begin_write().await?;
    let raised = sqlx::query(
        "UPDATE commitments SET current_version = current_version + 1 \
         WHERE id = $1 AND current_version = $2 RETURNING current_version",
    )
    .bind(id)
    .bind(base)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(r) = raised else {
        let current: i64 = sqlx::query("SELECT current_version FROM commitments WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(AppError::NotFound)?
            .get("current_version");
        return Ok(Saved::Stale(current));
    };
    let number: i64 = r.get("current_version");
    add_version(&mut tx, id, number, sheet, note, author).await?;
    tx.commit().await?;
    Ok(Saved::Version(number))
}

/// Where a sheet stands: its process, roundtable, state and current version.
pub struct Facts {
    pub process_id: i64,
    pub roundtable_id: Option<i64>,
    pub state: SheetState,
    pub version: i64,
}

pub async fn facts(db: &Db, id: i64) -> AppResult<Option<Facts>> {
    let row = sqlx::query(
        "SELECT process_id, roundtable_id, state, current_version FROM commitments WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(|r| Facts {
        process_id: r.get("process_id"),
        roundtable_id: r.get("roundtable_id"),
        state: SheetState::parse(&r.get::<String, _>("state")),
        version: r.get("current_version"),
    }))
}

/// The sheet as saved in a version, or `None`.
pub async fn sheet_at(db: &Db, id: i64, number: i64) -> AppResult<Option<Sheet>> {
    Ok(sqlx::query(
        "SELECT sheet FROM commitment_versions WHERE commitment_id = $1 AND number = $2",
    )
    .bind(id)
    .bind(number)
    .fetch_optional(&db.pool)
    .await?
    .map(|r| sheet_of(&r.get::<String, _>("sheet"))))
}

/// A version of a sheet, or `None`.
pub async fn version(
    db: &Db,
    id: i64,
    number: i64,
    utc_offset_minutes: i32,
) -> AppResult<Option<(Sheet, VersionInfo)>> {
    let row = sqlx::query(&format!(
        "SELECT {VERSION_COLUMNS}, v.sheet FROM commitment_versions v \
         LEFT JOIN users u ON u.id = v.author_id WHERE v.commitment_id = $1 AND v.number = $2"
    ))
    .bind(id)
    .bind(number)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(|r| {
        (
            sheet_of(&r.get::<String, _>("sheet")),
            version_info(&r, utc_offset_minutes),
        )
    }))
}

const VERSION_COLUMNS: &str = "v.number, v.change_note, v.created_at, u.display_name";

fn version_info(r: &Row, utc_offset_minutes: i32) -> VersionInfo {
    let when = crate::roundtables::store::meeting_time(r.get("created_at"), utc_offset_minutes, 0);
    VersionInfo {
        number: r.get("number"),
        author: r.get("display_name"),
        at: format!("{} {}", when.date, when.time),
        note: r.get("change_note"),
    }
}

/// Every version of a sheet, newest first.
pub async fn versions(db: &Db, id: i64, utc_offset_minutes: i32) -> AppResult<Vec<VersionInfo>> {
    Ok(sqlx::query(&format!(
        "SELECT {VERSION_COLUMNS} FROM commitment_versions v LEFT JOIN users u ON u.id = v.author_id \
         WHERE v.commitment_id = $1 ORDER BY v.number DESC"
    ))
    .bind(id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| version_info(r, utc_offset_minutes))
    .collect())
}

/// The sheet as it is now, with where it came from.
pub async fn detail(db: &Db, id: i64) -> AppResult<Option<CommitmentDetail>> {
    Ok(details(db, "c.id = $1", id).await?.pop())
}

/// Every sheet of a process past its draft, in code order: the action plan.
pub async fn plan(db: &Db, process_id: i64) -> AppResult<Vec<CommitmentDetail>> {
    details(db, "c.process_id = $1 AND c.state <> 'draft'", process_id).await
}

/// The sheets past their draft that a proposal fed, each with when it was
/// published for comment and made final (UTC seconds).
pub async fn fed_by(
    db: &Db,
    proposal_id: i64,
) -> AppResult<Vec<(CommitmentDetail, Option<i64>, Option<i64>)>> {
    let details = details(
        db,
        "c.state <> 'draft' AND c.id IN \
         (SELECT commitment_id FROM commitment_proposals WHERE proposal_id = $1)",
        proposal_id,
    )
    .await?;
    if details.is_empty() {
        return Ok(vec![]);
    }
    let ids: Vec<i64> = details.iter().map(|d| d.id).collect();
    let dates = sqlx::query(&format!(
        "SELECT id, comment_opens_at, final_at FROM commitments WHERE id IN ({})",
        crate::db::id_list(&ids)
    ))
    .fetch_all(&db.pool)
    .await?;
    Ok(details
        .into_iter()
        .map(|d| {
            let row = dates.iter().find(|r| r.get::<i64, _>("id") == d.id);
            let opens = row.and_then(|r| r.get::<Option<i64>, _>("comment_opens_at"));
            let fin = row.and_then(|r| r.get::<Option<i64>, _>("final_at"));
            (d, opens, fin)
        })
        .collect())
}

/// The proposals of a process that fed any of its sheets (drafts included:
/// the team took them up).
pub async fn taken_up(db: &Db, process_id: i64) -> AppResult<Vec<i64>> {
    Ok(sqlx::query(
        "SELECT DISTINCT cp.proposal_id FROM commitment_proposals cp \
         JOIN commitments c ON c.id = cp.commitment_id WHERE c.process_id = $1",
    )
    .bind(process_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| r.get("proposal_id"))
    .collect())
}

/// The processes with a final sheet, whose plans are being monitored:
/// (id, slug, title).
pub async fn monitored_processes(db: &Db) -> AppResult<Vec<(i64, String, String)>> {
    Ok(sqlx::query(
        "SELECT p.id, p.slug, p.title FROM processes p WHERE p.id IN \
         (SELECT process_id FROM commitments WHERE state = 'final') ORDER BY p.id LIMIT 500",
    )
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| (r.get("id"), r.get("slug"), r.get("title")))
    .collect())
}

/// Sheets matching `filter` (on `c`, with one parameter), each with its
/// proposals: two queries however many sheets.
async fn details(db: &Db, filter: &str, param: i64) -> AppResult<Vec<CommitmentDetail>> {
    let rows = sqlx::query(&format!(
        "SELECT c.id, c.process_id, c.code, c.state, c.current_version, c.roundtable_id, r.title AS roundtable, \
         p.slug, p.title AS process_title, v.sheet FROM commitments c \
         JOIN processes p ON p.id = c.process_id \
         JOIN commitment_versions v ON v.commitment_id = c.id AND v.number = c.current_version \
         LEFT JOIN roundtables r ON r.id = c.roundtable_id WHERE {filter} ORDER BY c.code LIMIT 500"
    ))
    .bind(param)
    .fetch_all(&db.pool)
    .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.get("id")).collect();
    let proposals = if ids.is_empty() {
        vec![]
    } else {
        sqlx::query(&format!(
            "SELECT cp.commitment_id, p.id, p.title FROM commitment_proposals cp \
             JOIN proposals p ON p.id = cp.proposal_id WHERE cp.commitment_id IN ({}) ORDER BY p.id",
            crate::db::id_list(&ids)
        ))
        .fetch_all(&db.pool)
        .await?
    };
    Ok(rows
        .iter()
        .map(|r| {
            let id: i64 = r.get("id");
            let roundtable = r.get::<Option<i64>, _>("roundtable_id").map(|rid| {
                (
                    rid,
                    r.get::<Option<String>, _>("roundtable").unwrap_or_default(),
                )
            });
            CommitmentDetail {
                id,
                process_id: r.get("process_id"),
                code: r.get("code"),
                process_slug: r.get("slug"),
                process_title: r.get("process_title"),
                roundtable,
                proposals: proposals
                    .iter()
                    .filter(|p| p.get::<i64, _>("commitment_id") == id)
                    .map(|p| (p.get("id"), p.get("title")))
                    .collect(),
                state: SheetState::parse(&r.get::<String, _>("state")),
                version: r.get("current_version"),
                sheet: sheet_of(&r.get::<String, _>("sheet")),
                can_edit: false,
                consultation: Consultation::default(),
                origin: Origin::default(),
            }
        })
        .collect())
}

/// Board 2's notes of a roundtable as anyone may read them (nothing private or
/// hidden), with the position and title of their column.
pub async fn source_notes(db: &Db, roundtable_id: i64) -> AppResult<Vec<SourceNote>> {
    Ok(crate::boards::store::public_notes(db, roundtable_id, 2)
        .await?
        .into_iter()
        .map(|n| SourceNote {
            id: n.id,
            column: n.column,
            column_title: n.column_title,
            body: n.body,
        })
        .collect())
}

/// What a sheet at `roundtable_id` came from: the day, the vote, board 2.
pub async fn origin(db: &Db, roundtable_id: i64, utc_offset_minutes: i32) -> AppResult<Origin> {
    let crate::boards::vote_store::VoteRead {
        vote, chosen_topic, ..
    } = crate::boards::vote_store::view(db, roundtable_id, None).await?;
    Ok(Origin {
        roundtable_on: crate::roundtables::store::starts_at(db, roundtable_id)
            .await?
            .map(|at| crate::ctx::local_date(at, utc_offset_minutes)),
        chosen_topic,
        vote: vote
            .map(|v| v.options.into_iter().map(|o| (o.label, o.dots)).collect())
            .unwrap_or_default(),
        notes: source_notes(db, roundtable_id).await?,
    })
}

/// What names a sheet, in one query: its process, code, title and state.
pub struct Heading {
    pub process_id: i64,
    pub process_slug: String,
    pub code: String,
    pub title: String,
    pub state: SheetState,
}

pub async fn heading(db: &Db, id: i64) -> AppResult<Option<Heading>> {
    let row = sqlx::query(
        "SELECT c.process_id, c.code, c.state, p.slug, v.sheet FROM commitments c \
         JOIN processes p ON p.id = c.process_id \
         JOIN commitment_versions v ON v.commitment_id = c.id AND v.number = c.current_version \
         WHERE c.id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(|r| Heading {
        process_id: r.get("process_id"),
        process_slug: r.get("slug"),
        code: r.get("code"),
        title: sheet_of(&r.get::<String, _>("sheet")).title,
        state: SheetState::parse(&r.get::<String, _>("state")),
    }))
}

/// A process's sheets, in code order.
pub async fn list(db: &Db, process_id: i64, drafts: bool) -> AppResult<Vec<CommitmentSummary>> {
    Ok(sqlx::query(
        "SELECT c.id, c.code, c.state, c.current_version, v.sheet FROM commitments c \
         JOIN commitment_versions v ON v.commitment_id = c.id AND v.number = c.current_version \
         WHERE c.process_id = $1 AND ($2 = 1 OR c.state <> 'draft') ORDER BY c.code LIMIT 500",
    )
    .bind(process_id)
    .bind(drafts as i64)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| CommitmentSummary {
        id: r.get("id"),
        code: r.get("code"),
        title: sheet_of(&r.get::<String, _>("sheet")).title,
        state: SheetState::parse(&r.get::<String, _>("state")),
        version: r.get("current_version"),
    })
    .collect())
}

/// (evaluation) Every sheet of a process, drafts included, with each version
/// (the whole sheet as JSON) and the proposals it came from.
pub const EVALUATOR_DATA: &[(&str, &str)] = &[
    (
        "compromisos",
        "SELECT c.id, c.code, c.state, c.roundtable_id, c.current_version, c.comment_opens_at, \
         c.comment_closes_at, c.final_version, c.final_at FROM commitments c \
         WHERE c.process_id = $1 ORDER BY c.code",
    ),
    (
        "compromisos_versiones",
        "SELECT v.commitment_id, v.number, v.change_note, v.created_at, v.sheet \
         FROM commitment_versions v JOIN commitments c ON c.id = v.commitment_id \
         WHERE c.process_id = $1 ORDER BY v.commitment_id, v.number",
    ),
    (
        "compromisos_propuestas",
        "SELECT cp.commitment_id, cp.proposal_id FROM commitment_proposals cp \
         JOIN commitments c ON c.id = cp.commitment_id WHERE c.process_id = $1 \
         ORDER BY cp.commitment_id, cp.proposal_id",
    ),
];

/// (open data) The sheets past their draft, as their pages show them (the
/// current version), with the proposals each came from (none hidden or withdrawn).
pub const OPEN_DATA: &[crate::dataset::Dataset] = {
    use crate::dataset::{field, one_of, optional, Dataset, Filter, Kind::*, Source};
    &[Dataset {
        name: "commitments",
        fields: &[
            field("id", Integer),
            field("code", Text),
            field("title", Text),
            one_of("state", &["comment", "final"], false),
            field("version", Integer),
            field("version_at", DateTime),
            optional("roundtable_id", Integer),
            field("lead_agency", Text),
            field("contact", Text),
            field("starts_on", Text),
            field("ends_on", Text),
            field("problem", Text),
            field("causes", Text),
            field("status_quo", Text),
            field("done_so_far", Text),
            field("solution", Text),
            field("expected_results", Text),
            field("values", Texts),
            field("transparency", Text),
            field("participation", Text),
            field("accountability", Text),
            field("actors_government", Text),
            field("actors_civil_society", Text),
            field("actors_private_sector", Text),
            field("actors_multilaterals", Text),
            field("policy_area", Text),
            field("sector", Text),
            field("sdgs", Text),
            field("milestones", Integer),
            field("proposal_ids", Ids),
            optional("comment_opens_at", DateTime),
            optional("comment_closes_at", DateTime),
            optional("final_at", DateTime),
            field("updated_at", DateTime),
        ],
        filters: &[Filter::Value {
            param: "state",
            column: "state",
        }],
        modified: "updated_at",
        source: Source::Built(open_commitments),
    }]
};

fn open_commitments(s: crate::dataset::Scope<'_>) -> crate::dataset::Rows<'_> {
    let (db, process_id) = (s.db, s.process.id);
    Box::pin(async move {
        let mut rows = crate::db::json_rows(
            db,
            "SELECT c.id, c.code, c.state, c.current_version AS version, v.created_at AS version_at, \
             c.roundtable_id, c.comment_opens_at, c.comment_closes_at, c.final_at, v.sheet, \
             CASE WHEN c.final_at > v.created_at THEN c.final_at ELSE v.created_at END AS updated_at \
             FROM commitments c JOIN commitment_versions v ON v.commitment_id = c.id \
             AND v.number = c.current_version WHERE c.process_id = $1 AND c.state <> 'draft' \
             ORDER BY c.id LIMIT 10000",
            process_id,
        )
        .await?;
        for row in &mut rows {
            let sheet = sheet_of(
                row.remove("sheet")
                    .as_ref()
                    .and_then(|v| v.as_str())
                    .unwrap_or(""),
            );
            let text = |v: &str| serde_json::Value::from(v);
            for (name, value) in [
                ("title", &sheet.title),
                ("lead_agency", &sheet.lead_agency),
                ("contact", &sheet.contact),
                ("starts_on", &sheet.starts_on),
                ("ends_on", &sheet.ends_on),
                ("problem", &sheet.problem),
                ("causes", &sheet.causes),
                ("status_quo", &sheet.status_quo),
                ("done_so_far", &sheet.done_so_far),
                ("solution", &sheet.solution),
                ("expected_results", &sheet.expected_results),
                ("transparency", &sheet.transparency),
                ("participation", &sheet.participation),
                ("accountability", &sheet.accountability),
                ("actors_government", &sheet.actors_government),
                ("actors_civil_society", &sheet.actors_civil_society),
                ("actors_private_sector", &sheet.actors_private_sector),
                ("actors_multilaterals", &sheet.actors_multilaterals),
                ("policy_area", &sheet.policy_area),
                ("sector", &sheet.sector),
                ("sdgs", &sheet.sdgs),
            ] {
                row.insert(name.into(), text(value));
            }
            row.insert("values".into(), sheet.values.clone().into());
            row.insert("milestones".into(), sheet.milestones.len().into());
        }
        crate::dataset::attach_ids(
            db,
            &mut rows,
            "proposal_ids",
            "SELECT cp.commitment_id, cp.proposal_id FROM commitment_proposals cp \
             JOIN commitments c ON c.id = cp.commitment_id JOIN proposals p ON p.id = cp.proposal_id \
             WHERE c.process_id = $1 AND p.state = 'published' AND p.hidden = 0 \
             ORDER BY cp.commitment_id, cp.proposal_id LIMIT 1000000",
            process_id,
        )
        .await?;
        Ok(rows)
    })
}
