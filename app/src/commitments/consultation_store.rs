//! (ssr) SQL for a sheet's consultation: the comment period, where a comment may
//! go, the team's reasoned responses and their tally, and the final publication.
//! Notifications are written in the transaction of the change that causes them.
use super::model::*;
use super::store::sheet_of;
use crate::comments::model::SubjectKind;
use crate::db::{id_list, now, Db};
use crate::error::{AppError, AppResult};
use crate::notifications::{model::NotificationKind, store as notifications};
use sqlx::Row as _;

const KIND: SubjectKind = SubjectKind::Commitment;

fn status(opens_at: i64, closes_at: i64) -> PeriodStatus {
    let at = now();
    if at < opens_at {
        PeriodStatus::NotYetOpen
    } else if at >= closes_at {
        PeriodStatus::Closed
    } else {
        PeriodStatus::Open
    }
}

/// Writes a comment on sheet `new.subject_id` if the sheet takes comments now
/// and `new.anchor` is one of its current fields or milestones, on the current
/// version. The sheet's row is held until the comment is written (FOR UPDATE on
/// PostgreSQL, SQLite's write lock), as the final publication holds it, so a
/// comment is either counted by that publication or refused.
pub async fn post_comment(db: &Db, new: &crate::comments::store::NewComment<'_>) -> AppResult<i64> {
    let mut tx = db.begin_write().await?;
    let r = sqlx::query(&format!(
        "SELECT c.state, c.current_version, c.comment_opens_at, c.comment_closes_at, v.sheet \
         FROM commitments c JOIN commitment_versions v ON v.commitment_id = c.id \
         AND v.number = c.current_version WHERE c.id = $1{}",
        db.for_update()
    ))
    .bind(new.subject_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    match SheetState::parse(&r.get::<String, _>("state")) {
        SheetState::Draft => return Err(AppError::NotFound),
        SheetState::Final => return Err(AppError::refused("commitment.comments_closed")),
        SheetState::Comment => {}
    }
    let opens: i64 = r.get::<Option<i64>, _>("comment_opens_at").unwrap_or(0);
    let closes: i64 = r.get::<Option<i64>, _>("comment_closes_at").unwrap_or(0);
    match status(opens, closes) {
        PeriodStatus::NotYetOpen => return Err(AppError::refused("commitment.comments_not_open")),
        PeriodStatus::Closed => return Err(AppError::refused("commitment.comments_closed")),
        PeriodStatus::Open => {}
    }
    let sheet = sheet_of(&r.get::<String, _>("sheet"));
    let known = new
        .anchor
        .is_some_and(|a| anchors(&sheet).iter().any(|(p, _, _)| p == a));
    if !known {
        return Err(AppError::refused("commitment.anchor_unknown"));
    }
    let new = crate::comments::store::NewComment {
        version: Some(r.get("current_version")),
        ..*new
    };
    let id = crate::comments::store::create_in(&mut tx, &new).await?;
    tx.commit().await?;
    Ok(id)
}

/// The comment period, the tally of responses, the comments per anchor and the
/// final publication of a sheet.
pub async fn consultation(db: &Db, id: i64, utc_offset_minutes: i32) -> AppResult<Consultation> {
    let r = sqlx::query(
        "SELECT comment_version, comment_opens_at, comment_closes_at, final_version, final_at, \
         final_unanswered FROM commitments WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let date = |at: i64| crate::ctx::local_date(at, utc_offset_minutes);
    let period = match (
        r.get::<Option<i64>, _>("comment_version"),
        r.get::<Option<i64>, _>("comment_opens_at"),
        r.get::<Option<i64>, _>("comment_closes_at"),
    ) {
        (Some(version), Some(opens), Some(closes)) => Some(Period {
            version,
            opens_on: date(opens),
            // The closing time is the start of the day after the last one.
            closes_on: date(closes - 1),
            status: status(opens, closes),
        }),
        _ => None,
    };
    let final_publication = match (
        r.get::<Option<i64>, _>("final_version"),
        r.get::<Option<i64>, _>("final_at"),
    ) {
        (Some(version), Some(at)) => Some(FinalPublication {
            version,
            on: date(at),
            unanswered: r.get::<Option<i64>, _>("final_unanswered").unwrap_or(0),
        }),
        _ => None,
    };
    Ok(Consultation {
        period,
        tally: tally(db, id).await?,
        counts: crate::comments::store::counts_by_anchor(db, KIND, id).await?,
        final_publication,
        can_comment: false,
    })
}

/// Comments received (not hidden by moderation) and how they were answered.
pub async fn tally(db: &Db, id: i64) -> AppResult<Tally> {
    tally_where(db, "c.subject_id = $1", id).await
}

/// The same over every sheet of a process, for its co-creation report.
pub async fn process_tally(db: &Db, process_id: i64) -> AppResult<Tally> {
    tally_where(
        db,
        "c.subject_id IN (SELECT id FROM commitments WHERE process_id = $1)",
        process_id,
    )
    .await
}

/// The people who commented on a process's sheets.
pub async fn commenters(db: &Db, process_id: i64) -> AppResult<Vec<i64>> {
    Ok(sqlx::query(
        "SELECT DISTINCT c.author_id FROM comments c WHERE c.subject_kind = 'commitment' \
         AND c.subject_id IN (SELECT id FROM commitments WHERE process_id = $1)",
    )
    .bind(process_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| r.get("author_id"))
    .collect())
}

async fn tally_where(db: &Db, subject: &str, param: i64) -> AppResult<Tally> {
    let rows = sqlx::query(&format!(
        "SELECT r.outcome, COUNT(*) AS n FROM comments c \
         LEFT JOIN comment_responses r ON r.comment_id = c.id \
         WHERE c.subject_kind = 'commitment' AND {subject} AND c.depth = 0 AND c.hidden = 0 \
         GROUP BY r.outcome"
    ))
    .bind(param)
    .fetch_all(&db.pool)
    .await?;
    let mut tally = Tally {
        answered: Outcome::ALL.iter().map(|o| (*o, 0)).collect(),
        ..Default::default()
    };
    for r in &rows {
        let n: i64 = r.get("n");
        tally.received += n;
        match r
            .get::<Option<String>, _>("outcome")
            .and_then(|o| Outcome::parse(&o))
        {
            Some(o) => {
                if let Some(slot) = tally.answered.iter_mut().find(|(x, _)| *x == o) {
                    slot.1 += n;
                }
            }
            None => tally.unanswered += n,
        }
    }
    Ok(tally)
}

pub enum Published {
    /// Published for the first time: how many people were notified.
    Opened(usize),
    /// The dates (or version) of an open consultation changed.
    Changed,
}

/// Publishes `version` for comment from `opens_at` to `closes_at`. The first
/// time, everyone registered for the sheet's roundtable and the authors of its
/// proposals are notified (in the app and by email), in the same transaction.
pub async fn publish_for_comment(
    db: &Db,
    base_url: &str,
    id: i64,
    version: i64,
    opens_at: i64,
    closes_at: i64,
    (opens_on, closes_on): (&str, &str),
) -> AppResult<Published> {
    let mut tx = db.begin_write().await?;
    let period_at = (version, opens_at, closes_at);
    let first = set_period(&mut tx, id, SheetState::Draft, period_at).await?;
    if !first {
        if !set_period(&mut tx, id, SheetState::Comment, period_at).await? {
            return Err(AppError::refused("commitment.final"));
        }
        tx.commit().await?;
        return Ok(Published::Changed);
    }
    let title = heading(&mut tx, id).await?;
    let period = format!("{opens_on}/{closes_on}");
    // Who took part: registered for the roundtable (not waitlisted) or author of a
    // proposal the sheet came from; each once.
    let people: Vec<i64> = sqlx::query(
        "SELECT g.user_id AS id FROM commitments c JOIN roundtable_registrations g \
         ON g.roundtable_id = c.roundtable_id AND g.status = 'registered' WHERE c.id = $1 \
         UNION SELECT p.author_id AS id FROM commitment_proposals cp \
         JOIN proposals p ON p.id = cp.proposal_id WHERE cp.commitment_id = $1 ORDER BY 1",
    )
    .bind(id)
    .fetch_all(&mut *tx)
    .await?
    .iter()
    .map(|r| r.get("id"))
    .collect();
    for user_id in &people {
        let notice = notifications::Notice {
            user_id: *user_id,
            kind: NotificationKind::CommentPeriodOpened,
            subject_id: id,
            subject_title: &title,
            detail: &period,
        };
        notifications::notify(&mut tx, base_url, &notice).await?;
    }
    tx.commit().await?;
    Ok(Published::Opened(people.len()))
}

/// Puts a sheet that is in state `from` in its comment period (version, opens,
/// closes); false if it was not in that state.
async fn set_period(
    tx: &mut crate::db::Tx,
    id: i64,
    from: SheetState,
    (version, opens_at, closes_at): (i64, i64, i64),
) -> AppResult<bool> {
    Ok(sqlx::query(
        "UPDATE commitments SET state = 'comment', comment_version = $1, comment_opens_at = $2, \
         comment_closes_at = $3 WHERE id = $4 AND state = $5",
    )
    .bind(version)
    .bind(opens_at)
    .bind(closes_at)
    .bind(id)
    .bind(from.as_str())
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 1)
}

/// "CODE · title" of the current version.
async fn heading(tx: &mut crate::db::Tx, id: i64) -> AppResult<String> {
    let r = sqlx::query(
        "SELECT c.code, v.sheet FROM commitments c JOIN commitment_versions v \
         ON v.commitment_id = c.id AND v.number = c.current_version WHERE c.id = $1",
    )
    .bind(id)
    .fetch_one(&mut **tx)
    .await?;
    Ok(format!(
        "{} · {}",
        r.get::<String, _>("code"),
        sheet_of(&r.get::<String, _>("sheet")).title
    ))
}

/// Records (or changes) the team's response to a comment on sheet `id`; the
/// commenter is notified the first time. `NotFound` if the comment is not one
/// of this sheet's.
pub async fn respond(
    db: &Db,
    base_url: &str,
    id: i64,
    comment_id: i64,
    response: (Outcome, &str, Option<i64>),
    responder: i64,
) -> AppResult<()> {
    let (outcome, reason, version) = response;
    let Some(c) = crate::comments::store::author_of(db, comment_id).await? else {
        return Err(AppError::NotFound);
    };
    if c.kind != KIND.as_str() || c.subject_id != id {
        return Err(AppError::NotFound);
    }
    if c.hidden {
        return Err(AppError::refused("response.hidden"));
    }
    // A version before the one commented on cannot have taken the comment in.
    if version.is_some_and(|v| Some(v) < c.version) {
        return Err(AppError::refused("response.version_before_comment"));
    }
    let mut tx = db.begin_write().await?;
    // The first response inserts (and tells the commenter); a later one changes it.
    let first = sqlx::query(
        "INSERT INTO comment_responses (comment_id, commitment_id, outcome, reason, version, responder_id, \
         responded_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (comment_id) DO NOTHING",
    )
    .bind(comment_id)
    .bind(id)
    .bind(outcome.as_str())
    .bind(reason)
    .bind(version)
    .bind(responder)
    .bind(now())
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if !first {
        sqlx::query(
            "UPDATE comment_responses SET outcome = $1, reason = $2, version = $3, responder_id = $4, \
             responded_at = $5 WHERE comment_id = $6",
        )
        .bind(outcome.as_str())
        .bind(reason)
        .bind(version)
        .bind(responder)
        .bind(now())
        .bind(comment_id)
        .execute(&mut *tx)
        .await?;
    }
    if first {
        let title = heading(&mut tx, id).await?;
        let notice = notifications::Notice {
            user_id: c.author_id,
            kind: NotificationKind::CommentAnswered,
            subject_id: id,
            subject_title: &title,
            detail: "",
        };
        notifications::notify(&mut tx, base_url, &notice).await?;
    }
    tx.commit().await?;
    Ok(())
}

pub enum Finished {
    Published,
    /// Comments still unanswered, and the team did not confirm.
    Unanswered(i64),
}

/// Publishes the current version as final, which also ends the comment period.
/// With unanswered comments it needs the team's confirmation, and records how
/// many there were.
pub async fn publish_final(db: &Db, id: i64, confirmed: bool, by: i64) -> AppResult<Finished> {
    let mut tx = db.begin_write().await?;
    // Lock the sheet first: no comment is written between the count and the update.
    sqlx::query(&format!(
        "SELECT id FROM commitments WHERE id = $1{}",
        db.for_update()
    ))
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let unanswered: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM comments c LEFT JOIN comment_responses r ON r.comment_id = c.id \
         WHERE c.subject_kind = 'commitment' AND c.subject_id = $1 AND c.depth = 0 AND c.hidden = 0 \
         AND r.comment_id IS NULL",
    )
    .bind(id)
    .fetch_one(&mut *tx)
    .await?
    .get("n");
    if unanswered > 0 && !confirmed {
        return Ok(Finished::Unanswered(unanswered));
    }
    let done = sqlx::query(
        "UPDATE commitments SET state = 'final', final_version = current_version, final_at = $1, \
         final_by = $2, final_unanswered = $3, \
         comment_opens_at = CASE WHEN comment_opens_at > $1 THEN $1 ELSE comment_opens_at END, \
         comment_closes_at = CASE WHEN comment_closes_at > $1 THEN $1 ELSE comment_closes_at END \
         WHERE id = $4 AND state = 'comment'",
    )
    .bind(now())
    .bind(by)
    .bind(unanswered)
    .bind(id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if done == 0 {
        return Err(AppError::refused("commitment.final_needs_comment"));
    }
    tx.commit().await?;
    Ok(Finished::Published)
}

/// One page of a sheet's comments (on one anchor, if given), each with what it
/// is about and the team's response: three queries whatever the page holds.
pub async fn comments(
    db: &Db,
    id: i64,
    current: &Sheet,
    anchor: Option<&str>,
    page: i64,
    utc_offset_minutes: i32,
) -> AppResult<crate::paging::Page<SheetComment>> {
    let threads =
        crate::comments::store::threads(db, KIND, id, anchor, page, utc_offset_minutes).await?;
    let roots: Vec<crate::comments::model::Comment> = threads
        .items
        .iter()
        .filter_map(|t| t.comments.first().cloned())
        .collect();
    let ids: Vec<i64> = roots.iter().map(|c| c.id).collect();
    let responses = if ids.is_empty() {
        vec![]
    } else {
        sqlx::query(&format!(
            "SELECT comment_id, outcome, reason, version, responded_at FROM comment_responses \
             WHERE comment_id IN ({})",
            id_list(&ids)
        ))
        .fetch_all(&db.pool)
        .await?
    };
    let places = anchors(current);
    // Milestones removed since: their title as of the version commented on.
    let mut gone: Vec<i64> = roots
        .iter()
        .filter(|c| {
            c.anchor
                .as_deref()
                .is_some_and(|a| !places.iter().any(|(p, _, _)| p == a))
        })
        .filter_map(|c| c.version)
        .collect();
    gone.sort_unstable();
    gone.dedup();
    let old_sheets: Vec<(i64, Sheet)> = if gone.is_empty() {
        vec![]
    } else {
        sqlx::query(&format!(
            "SELECT number, sheet FROM commitment_versions WHERE commitment_id = $1 AND number IN ({})",
            id_list(&gone)
        ))
        .bind(id)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| (r.get("number"), sheet_of(&r.get::<String, _>("sheet"))))
        .collect()
    };
    let items = roots
        .into_iter()
        .map(|comment| {
            let anchor = comment.anchor.clone().unwrap_or_default();
            let place = places.iter().find(|(p, _, _)| *p == anchor);
            let (field_label, milestone, removed) = match place {
                Some((_, label, false)) => (Some(label.clone()), None, false),
                Some((_, title, true)) => (None, Some(title.clone()), false),
                None => {
                    let title = old_sheets
                        .iter()
                        .find(|(n, _)| Some(*n) == comment.version)
                        .and_then(|(_, s)| s.milestones.iter().find(|m| m.key == anchor))
                        .map(|m| m.title.clone());
                    (None, Some(title.unwrap_or(anchor)), true)
                }
            };
            let response = responses
                .iter()
                .find(|r| r.get::<i64, _>("comment_id") == comment.id)
                .and_then(|r| {
                    Some(Response {
                        outcome: Outcome::parse(&r.get::<String, _>("outcome"))?,
                        reason: r.get("reason"),
                        version: r.get("version"),
                        on: crate::ctx::local_date(r.get("responded_at"), utc_offset_minutes),
                    })
                });
            SheetComment {
                comment,
                field_label,
                milestone,
                removed,
                response,
            }
        })
        .collect();
    Ok(crate::paging::Page {
        items,
        page: threads.page,
        per_page: threads.per_page,
        total: threads.total,
    })
}

/// (evaluation) Every comment on a process's sheets, hidden ones included,
/// with the team's response; authors only by the name they chose to show.
pub const EVALUATOR_DATA: &[(&str, &str)] = &[(
    "comentarios_borradores",
    "SELECT c.id, c.subject_id AS commitment_id, c.parent_id, c.anchor, c.version, c.body, c.hidden, \
     CASE WHEN c.show_author_name = 1 THEN u.display_name END AS author, c.created_at, \
     r.outcome, r.reason, r.version AS incorporated_in, r.responded_at \
     FROM comments c JOIN users u ON u.id = c.author_id \
     LEFT JOIN comment_responses r ON r.comment_id = c.id \
     WHERE c.subject_kind = 'commitment' AND c.subject_id IN \
     (SELECT id FROM commitments WHERE process_id = $1) ORDER BY c.subject_id, c.id",
)];

/// (open data) The comments on the sheets past their draft, with the reasoned
/// response each got: none hidden, the author's name only by consent.
pub const OPEN_DATA: &[crate::dataset::Dataset] = {
    use crate::dataset::{field, one_of, optional, Dataset, Filter, Kind::*, Source};
    &[Dataset {
        name: "draft_comments",
        fields: &[
            field("id", Integer),
            field("commitment_id", Integer),
            optional("parent_id", Integer),
            optional("anchor", Text),
            optional("version", Integer),
            field("body", Text),
            optional("author", Text),
            field("created_at", DateTime),
            one_of(
                "outcome",
                &["incorporated", "partly", "not_incorporated", "out_of_scope"],
                true,
            ),
            optional("reason", Text),
            optional("incorporated_in", Integer),
            optional("responded_at", DateTime),
            field("updated_at", DateTime),
        ],
        filters: &[Filter::Id {
            param: "commitment",
            column: "commitment_id",
        }],
        modified: "updated_at",
        source: Source::Sql(
            "SELECT c.id, c.subject_id AS commitment_id, c.parent_id, c.anchor, c.version, c.body, \
             CASE WHEN c.show_author_name = 1 THEN u.display_name END AS author, c.created_at, \
             r.outcome, r.reason, r.version AS incorporated_in, r.responded_at, \
             COALESCE(r.responded_at, c.created_at) AS updated_at \
             FROM comments c JOIN users u ON u.id = c.author_id \
             LEFT JOIN comment_responses r ON r.comment_id = c.id \
             WHERE c.subject_kind = 'commitment' AND c.hidden = 0 AND c.subject_id IN \
             (SELECT id FROM commitments WHERE process_id = $1 AND state <> 'draft')",
        ),
    }]
};
