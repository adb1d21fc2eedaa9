//! (ssr) SQL for comments. Threads are paginated by their top-level comment; a
//! page's threads come whole (replies too) in one query.
use super::model::*;
use crate::db::{now, Db, Row, Tx};
use crate::error::AppResult;
use crate::paging::{window, Page, PER_PAGE};
use sqlx::Row as _;

/// (depth, hidden, thread) of a comment on the given subject.
pub async fn parent(
    db: &Db,
    kind: SubjectKind,
    subject_id: i64,
    id: i64,
) -> AppResult<Option<(i64, bool, i64)>> {
    let row = sqlx::query(
        "SELECT depth, hidden, thread_id FROM comments WHERE id = $1 AND subject_kind = $2 AND subject_id = $3",
    )
    .bind(id)
    .bind(kind.as_str())
    .bind(subject_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(|r| {
        (
            r.get("depth"),
            r.get::<i64, _>("hidden") == 1,
            r.get("thread_id"),
        )
    }))
}

pub struct NewComment<'a> {
    pub kind: SubjectKind,
    pub subject_id: i64,
    /// (id, depth, thread) of the comment replied to.
    pub parent: Option<(i64, i64, i64)>,
    pub author_id: i64,
    pub body: &'a str,
    pub show_author_name: bool,
    /// On a sheet: the field or milestone key, and the version commented on.
    pub anchor: Option<&'a str>,
    pub version: Option<i64>,
}

pub async fn create(db: &Db, c: &NewComment<'_>) -> AppResult<i64> {
    let mut tx = db.begin_write().await?;
    let id = create_in(&mut tx, c).await?;
    tx.commit().await?;
    Ok(id)
}

/// Writes the comment in the caller's transaction (which may check first that
/// the subject still takes comments).
pub async fn create_in(tx: &mut Tx, c: &NewComment<'_>) -> AppResult<i64> {
    let (parent_id, depth, thread) = match c.parent {
        Some((id, depth, thread)) => (Some(id), depth + 1, Some(thread)),
        None => (None, 0, None),
    };
    let id: i64 = sqlx::query(
        "INSERT INTO comments (subject_kind, subject_id, parent_id, thread_id, depth, author_id, body, \
         show_author_name, created_at, anchor, version) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(c.kind.as_str())
    .bind(c.subject_id)
    .bind(parent_id)
    .bind(thread.unwrap_or(0))
    .bind(depth)
    .bind(c.author_id)
    .bind(c.body)
    .bind(c.show_author_name as i64)
    .bind(now())
    .bind(c.anchor)
    .bind(c.version)
    .fetch_one(&mut **tx)
    .await?
    .get("id");
    if thread.is_none() {
        // A top-level comment starts its own thread.
        sqlx::query("UPDATE comments SET thread_id = id WHERE id = $1")
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(id)
}

fn comment(r: &Row, offset: i32) -> Comment {
    let hidden = r.get::<i64, _>("hidden") == 1;
    let show_name = r.get::<i64, _>("show_author_name") == 1;
    Comment {
        id: r.get("id"),
        parent_id: r.get("parent_id"),
        depth: r.get("depth"),
        author_name: (show_name && !hidden).then(|| r.get("author")),
        body: if hidden { String::new() } else { r.get("body") },
        hidden,
        on: crate::ctx::local_date(r.get("created_at"), offset),
        anchor: r.get("anchor"),
        version: r.get("version"),
    }
}

/// One page of threads on a subject (on one anchor of it, if given), oldest
/// first, each with its replies.
pub async fn threads(
    db: &Db,
    kind: SubjectKind,
    subject_id: i64,
    anchor: Option<&str>,
    page: i64,
    offset: i32,
) -> AppResult<Page<Thread>> {
    let (page, skip) = window(page);
    const ROOTS: &str = "FROM comments WHERE subject_kind = $1 AND subject_id = $2 AND depth = 0 \
         AND ($3 = '' OR anchor = $3)";
    // The page's threads, whole, with the count of all of them: one query.
    let rows = sqlx::query(&format!(
        "SELECT c.id, c.parent_id, c.thread_id, c.depth, c.body, c.hidden, c.show_author_name, c.created_at, \
         c.anchor, c.version, u.display_name AS author, (SELECT COUNT(*) {ROOTS}) AS total \
         FROM comments c JOIN users u ON u.id = c.author_id \
         WHERE c.thread_id IN (SELECT id {ROOTS} ORDER BY id LIMIT $4 OFFSET $5) ORDER BY c.id"
    ))
    .bind(kind.as_str())
    .bind(subject_id)
    .bind(anchor.unwrap_or(""))
    .bind(PER_PAGE)
    .bind(skip)
    .fetch_all(&db.pool)
    .await?;
    let total: i64 = match rows.first() {
        Some(r) => r.get("total"),
        None if skip == 0 => 0,
        // A page past the last: how many there are, for the way back.
        None => sqlx::query(&format!("SELECT COUNT(*) AS n {ROOTS}"))
            .bind(kind.as_str())
            .bind(subject_id)
            .bind(anchor.unwrap_or(""))
            .fetch_one(&db.pool)
            .await?
            .get("n"),
    };
    // A thread is known by its root's id: in that order, as the page chose them.
    let mut roots: Vec<i64> = rows.iter().map(|r| r.get("thread_id")).collect();
    roots.sort_unstable();
    roots.dedup();
    let items = roots
        .iter()
        .map(|root| {
            let mine: Vec<&Row> = rows
                .iter()
                .filter(|r| r.get::<i64, _>("thread_id") == *root)
                .collect();
            Thread {
                comments: reading_order(&mine, offset),
            }
        })
        .collect();
    Ok(Page::new(items, page, total))
}

/// Each comment followed by its replies, depth first.
fn reading_order(rows: &[&Row], offset: i32) -> Vec<Comment> {
    let all: Vec<Comment> = rows.iter().map(|r| comment(r, offset)).collect();
    let mut out = Vec::with_capacity(all.len());
    fn visit(all: &[Comment], parent: Option<i64>, out: &mut Vec<Comment>) {
        for c in all.iter().filter(|c| c.parent_id == parent) {
            out.push(c.clone());
            visit(all, Some(c.id), out);
        }
    }
    visit(&all, None, &mut out);
    out
}

/// How many top-level comments each anchor of a subject has.
pub async fn counts_by_anchor(
    db: &Db,
    kind: SubjectKind,
    subject_id: i64,
) -> AppResult<Vec<(String, i64)>> {
    Ok(sqlx::query(
        "SELECT anchor, COUNT(*) AS n FROM comments WHERE subject_kind = $1 AND subject_id = $2 \
         AND depth = 0 AND hidden = 0 AND anchor IS NOT NULL GROUP BY anchor",
    )
    .bind(kind.as_str())
    .bind(subject_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| (r.get("anchor"), r.get("n")))
    .collect())
}

/// Who wrote a comment, on what, and on which version of a sheet.
pub struct Authorship {
    pub author_id: i64,
    pub kind: String,
    pub subject_id: i64,
    pub hidden: bool,
    pub version: Option<i64>,
}

pub async fn author_of(db: &Db, id: i64) -> AppResult<Option<Authorship>> {
    Ok(sqlx::query(
        "SELECT author_id, subject_kind, subject_id, hidden, version FROM comments WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?
    .map(|r| Authorship {
        author_id: r.get("author_id"),
        kind: r.get("subject_kind"),
        subject_id: r.get("subject_id"),
        hidden: r.get::<i64, _>("hidden") == 1,
        version: r.get("version"),
    }))
}

/// (privacy) The comments a person wrote, on proposals and sheets.
pub async fn personal_data(db: &Db, user_id: i64) -> AppResult<serde_json::Value> {
    let rows = sqlx::query(
        "SELECT id, subject_kind, subject_id, parent_id, body, hidden, show_author_name, created_at, \
         anchor, version FROM comments WHERE author_id = $1 ORDER BY id",
    )
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(serde_json::Value::Array(crate::db::rows_json(&rows)))
}

/// (privacy) A deleted account's comments stay, without a name.
pub async fn forget(tx: &mut crate::db::Tx, user_id: i64) -> AppResult<()> {
    sqlx::query("UPDATE comments SET show_author_name = 0 WHERE author_id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
