//! (ssr) A proposal's trajectory, assembled from the stages' own store
//! functions: a fixed number of queries however long the path.
use super::model::*;
use crate::commitments::model::SheetState;
use crate::ctx::local_date;
use crate::db::Db;
use crate::error::AppResult;

/// The trajectory of a proposal as the public sees it, or `None` if there is
/// no such proposal. With `Depth::Standing` (the proposal page's summary) its
/// dated steps stay empty and the proposal's own history is not read.
pub async fn trajectory(
    db: &Db,
    proposal_id: i64,
    offset: i32,
    depth: Depth,
) -> AppResult<Option<Trajectory>> {
    let Some(p) = crate::proposals::store::heading(db, proposal_id).await? else {
        return Ok(None);
    };
    let mut t = Trajectory {
        proposal_id,
        title: String::new(),
        hidden: p.hidden,
        process_slug: p.process_slug,
        process_title: p.process_title,
        steps: vec![],
        roundtables: vec![],
        commitments: vec![],
    };
    if t.hidden {
        return Ok(Some(t));
    }
    t.title = p.title;
    let mut steps: Vec<Step> = match depth {
        Depth::Steps => crate::proposals::store::history(db, proposal_id, false, offset)
            .await?
            .into_iter()
            .map(Step::Proposal)
            .collect(),
        Depth::Standing => vec![],
    };

    t.roundtables = crate::roundtables::store::presented_at(db, proposal_id, offset).await?;
    for r in &t.roundtables {
        let roundtable = (r.id, r.title.clone());
        steps.push(Step::Presented {
            on: r.on.clone(),
            roundtable: roundtable.clone(),
        });
        if let Some(topic) = &r.chosen_topic {
            steps.push(Step::TopicChosen {
                on: r.on.clone(),
                roundtable,
                topic: topic.clone(),
            });
        }
    }

    let fed = crate::commitments::store::fed_by(db, proposal_id).await?;
    let ids: Vec<i64> = fed
        .iter()
        .filter(|f| f.0.state == SheetState::Final)
        .map(|f| f.0.id)
        .collect();
    let statuses = crate::monitoring::store::published_statuses(db, &ids).await?;
    for (c, opens, fin) in &fed {
        let commitment = (c.id, format!("{} · {}", c.code, c.sheet.title));
        if let Some(at) = opens {
            steps.push(Step::CommentPeriod {
                on: local_date(*at, offset),
                commitment: commitment.clone(),
            });
        }
        if let Some(at) = fin {
            steps.push(Step::Final {
                on: local_date(*at, offset),
                commitment: commitment.clone(),
            });
        }
        t.commitments.push(Fed {
            id: c.id,
            code: c.code.clone(),
            title: c.sheet.title.clone(),
            state: c.state,
            standing: (c.state == SheetState::Final).then(|| {
                let keys: Vec<&str> = c.sheet.milestones.iter().map(|m| m.key.as_str()).collect();
                crate::monitoring::model::standing(c.id, &keys, &statuses)
            }),
        });
    }
    if depth == Depth::Standing {
        return Ok(Some(t));
    }
    let skip = statuses.len().saturating_sub(PROGRESS_STEPS_MAX);
    for (commitment_id, key, progress, at) in statuses.into_iter().skip(skip) {
        let Some((c, ..)) = fed.iter().find(|f| f.0.id == commitment_id) else {
            continue;
        };
        let Some(milestone) = c.sheet.milestones.iter().find(|m| m.key == key) else {
            continue;
        };
        steps.push(Step::Milestone {
            on: local_date(at, offset),
            commitment: (c.id, format!("{} · {}", c.code, c.sheet.title)),
            milestone: milestone.title.clone(),
            progress,
        });
    }
    t.steps = in_order(steps);
    Ok(Some(t))
}
