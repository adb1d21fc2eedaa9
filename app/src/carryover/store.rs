//! (ssr) Carry-over, from the stages' store functions: the candidates of an
//! earlier process and the carrying itself, with the authors told.
use super::model::*;
use crate::db::Db;
use crate::error::AppResult;
use crate::notifications::model::NotificationKind;
use crate::notifications::store::{notify, Notice};
use crate::paging::{window, Page, PER_PAGE};
use std::collections::HashSet;

/// The proposals of `from` not taken up (in no sheet) nor carried into `to`
/// yet, that `filter` keeps: page `page`.
pub async fn candidates(
    db: &Db,
    from: i64,
    to: i64,
    filter: &CandidateFilter,
    page: i64,
) -> AppResult<Page<Candidate>> {
    let taken: HashSet<i64> = crate::commitments::store::taken_up(db, from)
        .await?
        .into_iter()
        .chain(crate::proposals::store::carried_into(db, from, to).await?)
        .collect();
    let verdicts = crate::feasibility::store::published_verdicts(db, from).await?;
    let all: Vec<Candidate> = crate::proposals::store::standing_in(db, from)
        .await?
        .into_iter()
        .filter(|(id, ..)| !taken.contains(id))
        .filter_map(|(id, title, axis_id, axis)| {
            let mine: Vec<_> = verdicts
                .iter()
                .filter(|v| v.0 == id)
                .map(|v| (v.1.clone(), v.2))
                .collect();
            filter.keeps(axis_id, &mine).then_some(Candidate {
                id,
                title,
                axis,
                verdicts: mine,
            })
        })
        .collect();
    let (page, offset) = window(page);
    let total = all.len() as i64;
    let items = all
        .into_iter()
        .skip(offset as usize)
        .take(PER_PAGE as usize)
        .collect();
    Ok(Page::new(items, page, total))
}

/// Carries `ids` (proposals of `from`, not taken up) into process `to` under
/// `axis_id`, in one transaction, telling each author; returns how many.
pub async fn carry(
    db: &Db,
    base_url: &str,
    (from, to, to_title): (i64, i64, &str),
    ids: &[i64],
    axis_id: i64,
    actor: i64,
) -> AppResult<usize> {
    let taken: HashSet<i64> = crate::commitments::store::taken_up(db, from)
        .await?
        .into_iter()
        .collect();
    let mut tx = db.begin_write().await?;
    let mut carried = 0;
    for id in ids.iter().filter(|id| !taken.contains(id)) {
        if !crate::proposals::store::in_process(&mut tx, *id, from).await? {
            continue;
        }
        let Some(c) = crate::proposals::store::carry_into(&mut tx, *id, to, axis_id, actor).await?
        else {
            continue;
        };
        notify(
            &mut tx,
            base_url,
            &Notice {
                user_id: c.author_id,
                kind: NotificationKind::CarriedOver,
                subject_id: c.new_id,
                subject_title: &c.title,
                detail: to_title,
            },
        )
        .await?;
        carried += 1;
    }
    tx.commit().await?;
    db.touch_counts();
    Ok(carried)
}
