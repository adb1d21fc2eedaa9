//! (ssr) SQL for surveys. Organizations (names, members, contacts, interests)
//! are read and changed through the accounts and stakeholders stores.
use super::model::*;
use crate::db::{now, Db, Tx};
use crate::error::AppResult;
use crate::notifications::model::NotificationKind;
use crate::notifications::store::{notify, Notice};
use crate::paging::{window, Page, PER_PAGE};
use sqlx::Row as _;
use std::collections::HashMap;

/// A survey's row.
pub struct Survey {
    pub id: i64,
    pub process_id: i64,
    pub intro: String,
    pub closes_on: String,
}

fn survey(r: &sqlx::any::AnyRow) -> Survey {
    Survey {
        id: r.get("id"),
        process_id: r.get("process_id"),
        intro: r.get("intro"),
        closes_on: r.get("closes_on"),
    }
}

pub async fn of_process(db: &Db, process_id: i64) -> AppResult<Option<Survey>> {
    Ok(
        sqlx::query("SELECT id, process_id, intro, closes_on FROM surveys WHERE process_id = $1")
            .bind(process_id)
            .fetch_optional(&db.pool)
            .await?
            .as_ref()
            .map(survey),
    )
}

pub async fn by_id(db: &Db, id: i64) -> AppResult<Option<Survey>> {
    Ok(
        sqlx::query("SELECT id, process_id, intro, closes_on FROM surveys WHERE id = $1")
            .bind(id)
            .fetch_optional(&db.pool)
            .await?
            .as_ref()
            .map(survey),
    )
}

/// Writes a process's survey (its introduction and closing day), creating it
/// the first time. Audited. Returns its id.
pub async fn save(
    db: &Db,
    process_id: i64,
    intro: &str,
    closes_on: &str,
    actor: i64,
) -> AppResult<i64> {
    let mut tx = db.begin_write().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO surveys (process_id, intro, closes_on, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (process_id) DO UPDATE SET intro = $2, closes_on = $3 RETURNING id",
    )
    .bind(process_id)
    .bind(intro)
    .bind(closes_on)
    .bind(actor)
    .bind(now())
    .fetch_one(&mut *tx)
    .await?
    .get("id");
    audit(&mut tx, actor, "survey.save", id, closes_on).await?;
    tx.commit().await?;
    Ok(id)
}

async fn audit(tx: &mut Tx, actor: i64, action: &str, id: i64, detail: &str) -> AppResult<()> {
    crate::accounts::store::audit_with(
        &mut **tx,
        Some(actor),
        action,
        &format!("survey:{id}"),
        detail,
    )
    .await
}

pub async fn questions(db: &Db, survey_id: i64) -> AppResult<Vec<Question>> {
    Ok(sqlx::query(
        "SELECT id, kind, prompt, options, required FROM survey_questions \
         WHERE survey_id = $1 ORDER BY position, id",
    )
    .bind(survey_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| Question {
        id: r.get("id"),
        kind: QuestionKind::parse(&r.get::<String, _>("kind")).unwrap_or(QuestionKind::ShortText),
        prompt: r.get("prompt"),
        options: r
            .get::<String, _>("options")
            .lines()
            .map(str::to_string)
            .collect(),
        required: r.get::<i64, _>("required") != 0,
    })
    .collect())
}

/// Whether the survey went to anyone (its questions are fixed then).
async fn sent_in(tx: &mut Tx, survey_id: i64) -> AppResult<bool> {
    Ok(
        sqlx::query("SELECT 1 FROM survey_recipients WHERE survey_id = $1 LIMIT 1")
            .bind(survey_id)
            .fetch_optional(&mut **tx)
            .await?
            .is_some(),
    )
}

/// Why a question could not be added or removed.
pub enum QuestionChange {
    Done,
    AlreadySent,
    TooMany,
    Unknown,
}

pub async fn add_question(
    db: &Db,
    survey_id: i64,
    kind: QuestionKind,
    prompt: &str,
    options: &[String],
    required: bool,
    actor: i64,
) -> AppResult<QuestionChange> {
    let mut tx = db.begin_write().await?;
    if sent_in(&mut tx, survey_id).await? {
        return Ok(QuestionChange::AlreadySent);
    }
    let row = sqlx::query(
        "SELECT COUNT(*) AS n, COALESCE(MAX(position), 0) AS last FROM survey_questions WHERE survey_id = $1",
    )
    .bind(survey_id)
    .fetch_one(&mut *tx)
    .await?;
    if row.get::<i64, _>("n") >= QUESTIONS_MAX {
        return Ok(QuestionChange::TooMany);
    }
    sqlx::query(
        "INSERT INTO survey_questions (survey_id, position, kind, prompt, options, required) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(survey_id)
    .bind(row.get::<i64, _>("last") + 1)
    .bind(kind.as_str())
    .bind(prompt)
    .bind(options.join("\n"))
    .bind(required as i64)
    .execute(&mut *tx)
    .await?;
    audit(&mut tx, actor, "survey.question_add", survey_id, prompt).await?;
    tx.commit().await?;
    Ok(QuestionChange::Done)
}

pub async fn remove_question(
    db: &Db,
    survey_id: i64,
    question_id: i64,
    actor: i64,
) -> AppResult<QuestionChange> {
    let mut tx = db.begin_write().await?;
    if sent_in(&mut tx, survey_id).await? {
        return Ok(QuestionChange::AlreadySent);
    }
    let gone = sqlx::query("DELETE FROM survey_questions WHERE id = $1 AND survey_id = $2")
        .bind(question_id)
        .bind(survey_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if gone != 1 {
        return Ok(QuestionChange::Unknown);
    }
    audit(
        &mut tx,
        actor,
        "survey.question_remove",
        survey_id,
        &question_id.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(QuestionChange::Done)
}

/// Sends the survey to the listed organizations among `organization_ids` it
/// did not go to yet: their representatives are notified, and their contact
/// gets a mail (`mail` writes it for the organization's name). Returns how
/// many organizations it went to.
pub async fn send(
    db: &Db,
    base_url: &str,
    survey_id: i64,
    process_title: &str,
    organization_ids: &[i64],
    actor: i64,
    mail: impl Fn(&str) -> (String, String),
) -> AppResult<usize> {
    let mut tx = db.begin_write().await?;
    let contacts = crate::stakeholders::store::contacts(&mut tx, organization_ids).await?;
    let mut reached = vec![];
    for (id, name, contact) in &contacts {
        let added = sqlx::query(
            "INSERT INTO survey_recipients (survey_id, organization_id, sent_by, sent_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        )
        .bind(survey_id)
        .bind(id)
        .bind(actor)
        .bind(now())
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if added {
            reached.push(*id);
            if !contact.is_empty() {
                let (subject, body) = mail(name);
                crate::mail::queue(&mut tx, contact, &subject, &body).await?;
            }
        }
    }
    for (_, user_id) in crate::accounts::store::members_of(&mut tx, &reached).await? {
        let notice = Notice {
            user_id,
            kind: NotificationKind::SurveySent,
            subject_id: survey_id,
            subject_title: process_title,
            detail: "",
        };
        notify(&mut tx, base_url, &notice).await?;
    }
    let detail = crate::db::id_list(&reached);
    audit(&mut tx, actor, "survey.send", survey_id, &detail).await?;
    tx.commit().await?;
    Ok(reached.len())
}

/// Which of `organization_ids` the survey was sent to.
pub async fn invited(db: &Db, survey_id: i64, organization_ids: &[i64]) -> AppResult<Vec<i64>> {
    if organization_ids.is_empty() {
        return Ok(vec![]);
    }
    let sql = format!(
        "SELECT organization_id FROM survey_recipients WHERE survey_id = $1 \
         AND organization_id IN ({}) ORDER BY organization_id",
        crate::db::id_list(organization_ids)
    );
    Ok(sqlx::query(&sql)
        .bind(survey_id)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| r.get("organization_id"))
        .collect())
}

/// One page of the organizations the survey went to, by name, with whether
/// each answered; and how many answered in all.
pub async fn recipients(db: &Db, survey_id: i64, page: i64) -> AppResult<(Page<Recipient>, i64)> {
    let (page, offset) = window(page);
    let counts = sqlx::query(
        "SELECT COUNT(*) AS n, \
         (SELECT COUNT(*) FROM survey_responses WHERE survey_id = $1) AS answered \
         FROM survey_recipients WHERE survey_id = $1",
    )
    .bind(survey_id)
    .fetch_one(&db.pool)
    .await?;
    let rows = sqlx::query(
        "SELECT r.organization_id, s.id AS response_id FROM survey_recipients r \
         LEFT JOIN survey_responses s ON s.survey_id = r.survey_id AND s.organization_id = r.organization_id \
         WHERE r.survey_id = $1 ORDER BY r.sent_at, r.organization_id LIMIT $2 OFFSET $3",
    )
    .bind(survey_id)
    .bind(PER_PAGE)
    .bind(offset)
    .fetch_all(&db.pool)
    .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.get("organization_id")).collect();
    let orgs = crate::accounts::store::organizations_by_id(db, &ids).await?;
    let items = rows
        .iter()
        .filter_map(|r| {
            let id: i64 = r.get("organization_id");
            let o = orgs.get(&id)?;
            Some(Recipient {
                organization_id: id,
                name: o.name.clone(),
                sector: o.sector,
                answered: r.get::<Option<i64>, _>("response_id").is_some(),
            })
        })
        .collect();
    Ok((
        Page::new(items, page, counts.get("n")),
        counts.get("answered"),
    ))
}

/// A response's answers by question.
type Answers = HashMap<i64, Vec<String>>;

/// The answers of the responses `ids`, by response (one query).
async fn answers_of(db: &Db, ids: &[i64]) -> AppResult<HashMap<i64, Answers>> {
    let mut out: HashMap<i64, Answers> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let sql = format!(
        "SELECT response_id, question_id, value FROM survey_answers WHERE response_id IN ({})",
        crate::db::id_list(ids)
    );
    for r in sqlx::query(&sql).fetch_all(&db.pool).await? {
        let value: String = r.get("value");
        out.entry(r.get("response_id")).or_default().insert(
            r.get("question_id"),
            value.lines().map(str::to_string).collect(),
        );
    }
    Ok(out)
}

/// What the organizations `organization_ids` answered: (organization, when
/// (epoch), answers).
pub async fn responses_of(
    db: &Db,
    survey_id: i64,
    organization_ids: &[i64],
) -> AppResult<Vec<(i64, i64, Answers)>> {
    if organization_ids.is_empty() {
        return Ok(vec![]);
    }
    let sql = format!(
        "SELECT id, organization_id, updated_at FROM survey_responses WHERE survey_id = $1 \
         AND organization_id IN ({})",
        crate::db::id_list(organization_ids)
    );
    let rows = sqlx::query(&sql)
        .bind(survey_id)
        .fetch_all(&db.pool)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.get("id")).collect();
    let mut answers = answers_of(db, &ids).await?;
    Ok(rows
        .iter()
        .map(|r| {
            let id: i64 = r.get("id");
            (
                r.get("organization_id"),
                r.get("updated_at"),
                answers.remove(&id).unwrap_or_default(),
            )
        })
        .collect())
}

/// Records an organization's response, replacing an earlier one; the axes it
/// chose are added to its interests when `interests` holds them.
pub async fn answer(
    db: &Db,
    survey_id: i64,
    organization_id: i64,
    user_id: Option<i64>,
    answers: &[(i64, Vec<String>)],
    interests: &[i64],
) -> AppResult<()> {
    let mut tx = db.begin_write().await?;
    let t = now();
    let response: i64 = sqlx::query(
        "INSERT INTO survey_responses (survey_id, organization_id, answered_by, answered_at, updated_at) \
         VALUES ($1, $2, $3, $4, $4) ON CONFLICT (survey_id, organization_id) \
         DO UPDATE SET answered_by = $3, updated_at = $4 RETURNING id",
    )
    .bind(survey_id)
    .bind(organization_id)
    .bind(user_id)
    .bind(t)
    .fetch_one(&mut *tx)
    .await?
    .get("id");
    sqlx::query("DELETE FROM survey_answers WHERE response_id = $1")
        .bind(response)
        .execute(&mut *tx)
        .await?;
    for (question, values) in answers.iter().filter(|a| !a.1.is_empty()) {
        sqlx::query(
            "INSERT INTO survey_answers (response_id, question_id, value) VALUES ($1, $2, $3)",
        )
        .bind(response)
        .bind(question)
        .bind(values.join("\n"))
        .execute(&mut *tx)
        .await?;
    }
    crate::stakeholders::store::add_interests(&mut tx, organization_id, interests).await?;
    tx.commit().await?;
    Ok(())
}

/// Responses as the team reads them, by organization name: a page of them,
/// or all of them (`page` 0, for the CSV; at most a recipient list's worth).
pub async fn responses(
    db: &Db,
    survey_id: i64,
    questions: &[Question],
    axes: &HashMap<i64, String>,
    page: i64,
    utc_offset_minutes: i32,
) -> AppResult<Page<Response>> {
    let total: i64 = sqlx::query("SELECT COUNT(*) AS n FROM survey_responses WHERE survey_id = $1")
        .bind(survey_id)
        .fetch_one(&db.pool)
        .await?
        .get("n");
    let (page, offset, limit) = if page == 0 {
        (1, 0, 100_000)
    } else {
        let (p, o) = window(page);
        (p, o, PER_PAGE)
    };
    let rows = sqlx::query(
        "SELECT id, organization_id, updated_at FROM survey_responses WHERE survey_id = $1 \
         ORDER BY updated_at, id LIMIT $2 OFFSET $3",
    )
    .bind(survey_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(&db.pool)
    .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.get("id")).collect();
    let org_ids: Vec<i64> = rows.iter().map(|r| r.get("organization_id")).collect();
    let mut answers = answers_of(db, &ids).await?;
    let orgs = crate::accounts::store::organizations_by_id(db, &org_ids).await?;
    let items = rows
        .iter()
        .filter_map(|r| {
            let o = orgs.get(&r.get::<i64, _>("organization_id"))?;
            let mut mine = answers.remove(&r.get::<i64, _>("id")).unwrap_or_default();
            Some(Response {
                organization: o.name.clone(),
                sector: o.sector,
                answered_on: crate::ctx::local_date(r.get("updated_at"), utc_offset_minutes),
                answers: questions
                    .iter()
                    .map(|q| as_text(q, mine.remove(&q.id).unwrap_or_default(), axes))
                    .collect(),
            })
        })
        .collect();
    Ok(Page::new(items, page, total))
}

/// An answer as text: choices joined, axes by name.
fn as_text(q: &Question, values: Vec<String>, axes: &HashMap<i64, String>) -> String {
    let values: Vec<String> = match q.kind {
        QuestionKind::Axes => values
            .iter()
            .filter_map(|v| v.parse::<i64>().ok().and_then(|id| axes.get(&id).cloned()))
            .collect(),
        _ => values,
    };
    values.join("; ")
}

/// Per sector, how many organizations the process's survey went to and how
/// many answered.
pub async fn by_sector(db: &Db, process_id: i64) -> AppResult<(Vec<i64>, Vec<i64>)> {
    let rows = sqlx::query(
        "SELECT r.organization_id, s.id AS response_id FROM surveys v \
         JOIN survey_recipients r ON r.survey_id = v.id \
         LEFT JOIN survey_responses s ON s.survey_id = v.id AND s.organization_id = r.organization_id \
         WHERE v.process_id = $1 LIMIT 100000",
    )
    .bind(process_id)
    .fetch_all(&db.pool)
    .await?;
    let sent: Vec<i64> = rows.iter().map(|r| r.get("organization_id")).collect();
    let answered = rows
        .iter()
        .filter(|r| r.get::<Option<i64>, _>("response_id").is_some())
        .map(|r| r.get("organization_id"))
        .collect();
    Ok((sent, answered))
}

/// (privacy) The responses a person wrote for their organizations.
pub async fn personal_data(db: &Db, user_id: i64) -> AppResult<serde_json::Value> {
    let rows = sqlx::query(
        "SELECT survey_id, organization_id, updated_at FROM survey_responses \
         WHERE answered_by = $1 ORDER BY updated_at LIMIT 1000",
    )
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| {
            serde_json::json!({
                "survey": r.get::<i64, _>("survey_id"),
                "organization": r.get::<i64, _>("organization_id"),
                "answered_at": r.get::<i64, _>("updated_at"),
            })
        })
        .collect())
}

/// (privacy) Responses stay with their organizations, without the person.
pub async fn forget(tx: &mut Tx, user_id: i64) -> AppResult<()> {
    sqlx::query("UPDATE survey_responses SET answered_by = NULL WHERE answered_by = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
