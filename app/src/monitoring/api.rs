//! Server functions for monitoring: a final commitment's progress page, the
//! team's review of updates, and the public tracking panel. Filing an update
//! carries files, so it comes as a multipart form to a route of its own
//! (`/commitments/:id/updates`, see `file_update`), as do evidence downloads and
//! the Atom feed.
use super::model::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{rules, store},
    crate::{
        accounts::model::CurrentUser,
        commitments::model::{CommitmentDetail, SheetState},
        ctx,
        error::AppResult,
        validate::Form,
    },
    std::collections::HashMap,
};

/// A final commitment, with its lead agencies (id, name) and axis.
#[cfg(feature = "ssr")]
struct Monitored {
    detail: CommitmentDetail,
    axis: Option<i64>,
    agencies: Vec<(i64, String)>,
}

/// The final commitments among `details`, with their lead agencies and axes:
/// the rest (drafts, sheets in consultation) are not monitored yet.
#[cfg(feature = "ssr")]
async fn monitored(
    state: &ctx::AppState,
    details: Vec<CommitmentDetail>,
) -> AppResult<Vec<Monitored>> {
    let details: Vec<CommitmentDetail> = details
        .into_iter()
        .filter(|d| d.state == SheetState::Final)
        .collect();
    let roundtables: Vec<i64> = details
        .iter()
        .filter_map(|d| d.roundtable.as_ref().map(|r| r.0))
        .collect();
    let mut presenters = crate::roundtables::store::presenters(&state.db, &roundtables).await?;
    Ok(details
        .into_iter()
        .map(|detail| {
            let (axis, agencies) = detail
                .roundtable
                .as_ref()
                .and_then(|r| presenters.remove(&r.0))
                .unwrap_or_default();
            Monitored {
                detail,
                axis,
                agencies,
            }
        })
        .collect())
}

#[cfg(feature = "ssr")]
async fn monitored_one(state: &ctx::AppState, id: i64) -> AppResult<Monitored> {
    let detail = crate::commitments::store::detail(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    monitored(state, vec![detail])
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

/// Each milestone's last published status, from updates newest first.
#[cfg(feature = "ssr")]
fn last_status(
    milestones: &[crate::commitments::model::Milestone],
    published: &[&MilestoneUpdate],
) -> Vec<Option<Progress>> {
    milestones
        .iter()
        .map(|m| {
            published
                .iter()
                .find(|u| u.milestone_key == m.key)
                .map(|u| u.progress)
        })
        .collect()
}

/// A final commitment's monitoring: each milestone with its public history;
/// for the team and its lead agencies, the updates not yet published too.
#[server(prefix = "/api", endpoint = "monitoring")]
pub async fn get_monitoring(id: i64) -> Result<Monitoring, AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    let m = monitored_one(&state, id).await?;
    let lead: Vec<i64> = m.agencies.iter().map(|a| a.0).collect();
    let can_file = rules::file(user.as_ref(), &lead).is_ok();
    let can_review = rules::review(user.as_ref()).is_ok();
    let offset = state.settings.utc_offset_minutes;
    let all = store::updates(&state.db, &[id], !can_file, offset).await?;
    let (published, pending): (Vec<MilestoneUpdate>, Vec<MilestoneUpdate>) = all
        .into_iter()
        .map(|(_, u)| u)
        .partition(|u| u.state == UpdateState::Published);
    let published_refs: Vec<&MilestoneUpdate> = published.iter().collect();
    let sheet = &m.detail.sheet;
    let (completion, percent) = completion(&last_status(&sheet.milestones, &published_refs));
    let milestones = sheet
        .milestones
        .iter()
        .map(|ms| {
            let history: Vec<MilestoneUpdate> = published
                .iter()
                .filter(|u| u.milestone_key == ms.key)
                .cloned()
                .collect();
            MilestoneProgress {
                key: ms.key.clone(),
                title: ms.title.clone(),
                ends_on: ms.ends_on.clone(),
                progress: history.first().map(|u| u.progress),
                history,
            }
        })
        .collect();
    Ok(Monitoring {
        id,
        code: m.detail.code.clone(),
        title: sheet.title.clone(),
        process_slug: m.detail.process_slug.clone(),
        process_title: m.detail.process_title.clone(),
        agencies: m.agencies.into_iter().map(|a| a.1).collect(),
        completion,
        percent,
        milestones,
        pending,
        followups: store::followups(&state.db, id).await?,
        can_file,
        can_review,
    })
}

/// The team logs a follow-up meeting held with the participants on a final
/// commitment: it joins the commitment's page and the process's figures.
#[server(prefix = "/api", endpoint = "log_followup")]
pub async fn log_followup(
    id: i64,
    held_on: String,
    attendees: String,
    organizations: String,
    minutes: String,
) -> Result<(), AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    let user = rules::review(user.as_ref())?;
    monitored_one(&state, id).await?;
    let mut form = Form::new();
    let held_on = form.date("held_on", &held_on);
    if !form.has_error("held_on") && held_on > ctx::today(&state.settings) {
        form.error("held_on", "followup.not_yet");
    }
    let attendees = match attendees.trim().parse::<i64>() {
        Ok(n) if (0..=100_000).contains(&n) => n,
        _ => {
            form.error("attendees", "validation.number");
            0
        }
    };
    let organizations = form
        .optional("organizations", &organizations, ORGANIZATIONS_MAX)
        .unwrap_or_default();
    let minutes = form.required("minutes", &minutes, MINUTES_MAX);
    form.finish()?;
    let meeting = FollowUp {
        id: 0,
        held_on,
        attendees,
        organizations,
        minutes,
    };
    store::log_followup(&state.db, id, &meeting, user.id).await
}

/// What an update's form holds, read from its multipart body by the route.
#[derive(Clone, Debug, Default)]
pub struct UpdateForm {
    pub milestone_key: String,
    pub progress: String,
    pub narrative: String,
    /// Links: (title, url, date).
    pub links: Vec<(String, String, String)>,
    /// Files: (title, date, name as sent, bytes).
    pub files: Vec<(String, String, String, Vec<u8>)>,
}

/// Files an update on a milestone of a final commitment, for the lead agency
/// the person belongs to (or the team). Files are judged by their bytes and
/// written under the files folder before the update is, so a saved update
/// never points at a missing file.
#[cfg(feature = "ssr")]
pub async fn file_update(
    state: &ctx::AppState,
    user: Option<&CurrentUser>,
    id: i64,
    f: UpdateForm,
) -> AppResult<()> {
    let m = monitored_one(state, id).await?;
    let lead: Vec<i64> = m.agencies.iter().map(|a| a.0).collect();
    let (user, agency) = rules::file(user, &lead)?;
    let mut form = Form::new();
    let keys: Vec<&str> = m
        .detail
        .sheet
        .milestones
        .iter()
        .map(|m| m.key.as_str())
        .collect();
    let key = form.choice("milestone_key", &f.milestone_key, &keys);
    let allowed: Vec<&str> = Progress::ALL.iter().map(|p| p.as_str()).collect();
    let progress = Progress::parse(&form.choice("progress", &f.progress, &allowed));
    let narrative = form.required("narrative", &f.narrative, NARRATIVE_MAX);
    if f.links.len() + f.files.len() > 2 * FILES_MAX {
        form.error("evidence", "evidence.too_many");
    }
    if f.files.len() > FILES_MAX {
        form.error("files", "evidence.too_many");
    }
    let today = ctx::today(&state.settings);
    let mut evidence = Vec::new();
    for (title, url, date) in &f.links {
        let url = url.trim();
        let ok = url.len() <= URL_MAX
            && url::Url::parse(url).is_ok_and(|u| matches!(u.scheme(), "http" | "https"));
        if !ok {
            form.error("links", "validation.url");
        }
        evidence.push(store::NewEvidence {
            title: evidence_title(&mut form, title, url),
            dated_on: evidence_date(&mut form, date, &today),
            url: Some(url.to_string()),
            file: None,
        });
    }
    // Everything is checked before any file is written.
    let mut kinds = Vec::new();
    for (title, date, name, bytes) in &f.files {
        match rules::evidence_type(name, bytes) {
            Ok(kind) => kinds.push((
                kind,
                evidence_title(&mut form, title, name.trim()),
                evidence_date(&mut form, date, &today),
            )),
            Err(key) => form.error("files", key),
        }
    }
    form.check()?;
    let progress = progress.ok_or(AppError::BadRequest)?;
    let folder = state.settings.files_dir.clone();
    if !kinds.is_empty() {
        tokio::fs::create_dir_all(&folder).await.map_err(|e| {
            tracing::error!(error = %e, "files folder");
            AppError::Internal
        })?;
    }
    for ((_, _, name, bytes), (kind, title, dated_on)) in f.files.iter().zip(kinds) {
        let stored = crate::accounts::secrets::new_token();
        tokio::fs::write(folder.join(&stored), bytes)
            .await
            .map_err(|e| {
                tracing::error!(error = %e, "evidence file not written");
                AppError::Internal
            })?;
        evidence.push(store::NewEvidence {
            title,
            dated_on,
            url: None,
            file: Some((
                name.trim().to_string(),
                kind.to_string(),
                bytes.len() as i64,
                stored,
            )),
        });
    }
    store::file(
        &state.db,
        &store::NewUpdate {
            commitment_id: id,
            milestone_key: &key,
            progress,
            narrative: &narrative,
            agency_id: agency,
            author_id: user.id,
        },
        &evidence,
    )
    .await?;
    Ok(())
}

/// An evidence's title, or what it is (the link or the file's name).
#[cfg(feature = "ssr")]
fn evidence_title(form: &mut Form, title: &str, fallback: &str) -> String {
    form.optional("evidence_title", title, EVIDENCE_TITLE_MAX)
        .unwrap_or_else(|| fallback.chars().take(EVIDENCE_TITLE_MAX).collect())
}

/// An evidence's date: a real date, today when left blank.
#[cfg(feature = "ssr")]
fn evidence_date(form: &mut Form, date: &str, today: &str) -> String {
    if date.trim().is_empty() {
        today.to_string()
    } else {
        form.date("evidence_date", date)
    }
}

/// The team publishes a submitted update (it joins the milestone's public
/// history for good) or sends it back to its agency with a reason.
#[server(prefix = "/api", endpoint = "review_update")]
pub async fn review_update(id: i64, decision: String, reason: String) -> Result<(), AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    let user = rules::review(user.as_ref())?;
    let mut form = Form::new();
    let decision = form.choice("decision", &decision, &["publish", "return"]);
    let publish = decision == "publish";
    let reason = if publish {
        form.optional("reason", &reason, REASON_MAX)
            .unwrap_or_default()
    } else {
        form.required("reason", &reason, REASON_MAX)
    };
    form.check()?;
    match store::review(&state.db, id, publish, &reason, user.id).await? {
        store::Reviewed::Done(commitment) => {
            leptos_axum::redirect(&format!("/commitments/{commitment}/monitoring"));
            Ok(())
        }
        store::Reviewed::NotFound => Err(AppError::NotFound),
        store::Reviewed::AlreadyReviewed => Err(form.refuse("monitoring.already_reviewed")),
    }
}

/// A kept evidence file, for someone who may see its update: anyone once it is
/// published, else the team and the lead agencies.
#[cfg(feature = "ssr")]
pub async fn evidence_file(
    state: &ctx::AppState,
    user: Option<&CurrentUser>,
    evidence_id: i64,
) -> AppResult<(store::StoredFile, Vec<u8>)> {
    let file = store::stored_file(&state.db, evidence_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if file.state != UpdateState::Published {
        let m = monitored_one(state, file.commitment_id).await?;
        let lead: Vec<i64> = m.agencies.iter().map(|a| a.0).collect();
        // Not found rather than forbidden: nobody learns it exists.
        rules::file(user, &lead).map_err(|_| AppError::NotFound)?;
    }
    let bytes = tokio::fs::read(state.settings.files_dir.join(&file.stored_as))
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "evidence file missing");
            AppError::NotFound
        })?;
    Ok((file, bytes))
}

/// The public tracking panel of a process: every final commitment as a card
/// in the column of its completion, filtered by axis, agency and status.
#[server(prefix = "/api", endpoint = "tracking_panel")]
pub async fn tracking_panel(
    slug: String,
    axis: Option<String>,
    agency: Option<String>,
    status: Option<String>,
) -> Result<Panel, AppError> {
    let state = ctx::state()?;
    let number = |v: Option<String>| v.and_then(|v| v.trim().parse::<i64>().ok());
    let filter = PanelFilter {
        axis: number(axis),
        agency: number(agency),
        status,
    };
    let p = crate::processes::store::require(&state, &slug).await?;
    let plan = crate::commitments::store::plan(&state.db, p.id).await?;
    let all = monitored(&state, plan).await?;
    let ids: Vec<i64> = all.iter().map(|m| m.detail.id).collect();
    let offset = state.settings.utc_offset_minutes;
    let statuses = store::published_statuses(&state.db, &ids).await?;
    let evaluations = crate::evaluation::store::published(&state.db, &ids, offset).await?;
    let mut agencies: Vec<(i64, String)> = all.iter().flat_map(|m| m.agencies.clone()).collect();
    agencies.sort_by(|a, b| a.1.cmp(&b.1));
    agencies.dedup();
    let axis_names: HashMap<i64, String> = p.axes.iter().map(|a| (a.id, a.name.clone())).collect();
    let wanted_status = filter.status.as_deref().and_then(Progress::parse);
    let mut columns: Vec<(Progress, Vec<PanelCard>)> =
        Progress::ALL.iter().rev().map(|p| (*p, vec![])).collect();
    for m in &all {
        let keys: Vec<&str> = m
            .detail
            .sheet
            .milestones
            .iter()
            .map(|ms| ms.key.as_str())
            .collect();
        let standing = standing(m.detail.id, &keys, &statuses);
        let level = standing.level;
        let keep = filter.axis.is_none_or(|a| m.axis == Some(a))
            && filter
                .agency
                .is_none_or(|a| m.agencies.iter().any(|g| g.0 == a))
            && wanted_status.is_none_or(|s| s == level);
        if !keep {
            continue;
        }
        let card = PanelCard {
            id: m.detail.id,
            code: m.detail.code.clone(),
            title: m.detail.sheet.title.clone(),
            axis: m
                .axis
                .and_then(|a| axis_names.get(&a).cloned())
                .unwrap_or_default(),
            agencies: m.agencies.iter().map(|a| a.1.clone()).collect(),
            completion: level,
            percent: standing.percent,
            milestones_reported: standing.reported,
            milestones: standing.milestones,
            last_update: standing.last_at.map(|at| ctx::local_date(at, offset)),
            evaluation: evaluations
                .get(&m.detail.id)
                .map(|e| (e.completion, e.opened_government, e.body.clone())),
        };
        if let Some(column) = columns.iter_mut().find(|c| c.0 == level) {
            column.1.push(card);
        }
    }
    Ok(Panel {
        process_slug: p.slug,
        process_title: p.title,
        columns,
        axes: p.axes.iter().map(|a| (a.id, a.name.clone())).collect(),
        agencies,
        over_time: over_time(&all, &statuses, offset),
    })
}

/// The plan's completion at the end of each month in which an update was
/// published, replaying the published statuses in order.
#[cfg(feature = "ssr")]
fn over_time(
    all: &[Monitored],
    statuses: &[(i64, String, Progress, i64)],
    utc_offset_minutes: i32,
) -> Vec<(String, u32)> {
    let mut current: HashMap<(i64, &str), Progress> = HashMap::new();
    let mut out: Vec<(String, u32)> = Vec::new();
    let total: Vec<(i64, &str)> = all
        .iter()
        .flat_map(|m| {
            m.detail
                .sheet
                .milestones
                .iter()
                .map(move |ms| (m.detail.id, ms.key.as_str()))
        })
        .collect();
    for (commitment, key, progress, at) in statuses {
        let key = (*commitment, key.as_str());
        if total.contains(&key) {
            current.insert(key, *progress);
        }
        let month: String = ctx::local_date(*at, utc_offset_minutes)
            .chars()
            .take(7)
            .collect();
        let levels: Vec<Option<Progress>> = total.iter().map(|k| current.get(k).copied()).collect();
        let (_, percent) = completion(&levels);
        match out.last_mut() {
            Some(last) if last.0 == month => last.1 = percent,
            _ => out.push((month, percent)),
        }
    }
    out
}

/// The newest published updates of a process's plan, for its Atom feed:
/// (commitment id, code, commitment title, update).
#[cfg(feature = "ssr")]
pub async fn feed_entries(
    state: &ctx::AppState,
    slug: &str,
) -> AppResult<(String, Vec<(i64, String, String, MilestoneUpdate)>)> {
    let p = crate::processes::store::require(state, slug).await?;
    let plan = crate::commitments::store::plan(&state.db, p.id).await?;
    let all = monitored(state, plan).await?;
    let ids: Vec<i64> = all.iter().map(|m| m.detail.id).collect();
    let updates = store::updates(&state.db, &ids, true, state.settings.utc_offset_minutes).await?;
    let entries = updates
        .into_iter()
        .take(50)
        .filter_map(|(cid, u)| {
            let m = all.iter().find(|m| m.detail.id == cid)?;
            Some((cid, m.detail.code.clone(), m.detail.sheet.title.clone(), u))
        })
        .collect();
    Ok((p.title, entries))
}

/// `iso` moved by `days`.
#[cfg(feature = "ssr")]
fn shift(iso: &str, days: i64) -> String {
    let at = ctx::local_epoch(iso, time::Time::MIDNIGHT, 0).unwrap_or(0);
    ctx::local_date(at + days * 86_400, 0)
}

/// What needs attention in one process: each milestone that does, with the
/// ids of its lead agencies, and the date of each lead agency's last published
/// update. Two queries however many commitments.
#[cfg(feature = "ssr")]
async fn attention_in(
    state: &ctx::AppState,
    process_id: i64,
    cadence_days: i64,
) -> AppResult<(
    Vec<(Vec<i64>, AttentionItem)>,
    HashMap<i64, (String, Option<String>)>,
)> {
    let plan = crate::commitments::store::plan(&state.db, process_id).await?;
    let all = monitored(state, plan).await?;
    let ids: Vec<i64> = all.iter().map(|m| m.detail.id).collect();
    let offset = state.settings.utc_offset_minutes;
    let statuses = store::published_statuses(&state.db, &ids).await?;
    let today = ctx::today(&state.settings);
    let (due_before, stale_before) = (shift(&today, DUE_WITHIN_DAYS), shift(&today, -cadence_days));
    let mut items = Vec::new();
    let mut agencies: HashMap<i64, (String, Option<String>)> = HashMap::new();
    for m in &all {
        // The last published status of each milestone (statuses come oldest first).
        let mut last: HashMap<&str, (Progress, String)> = HashMap::new();
        for s in statuses.iter().filter(|s| s.0 == m.detail.id) {
            last.insert(s.1.as_str(), (s.2, ctx::local_date(s.3, offset)));
        }
        let newest = last.values().map(|l| l.1.clone()).max();
        for (id, name) in &m.agencies {
            let entry = agencies.entry(*id).or_insert((name.clone(), None));
            entry.1 = entry.1.clone().max(newest.clone());
        }
        for ms in &m.detail.sheet.milestones {
            let l = last.get(ms.key.as_str());
            let Some(attention) = attention(
                &ms.ends_on,
                l.map(|(p, on)| (*p, on.as_str())),
                &today,
                &due_before,
                &stale_before,
            ) else {
                continue;
            };
            items.push((
                m.agencies.iter().map(|a| a.0).collect(),
                AttentionItem {
                    commitment_id: m.detail.id,
                    code: m.detail.code.clone(),
                    milestone: ms.title.clone(),
                    ends_on: ms.ends_on.clone(),
                    agencies: m.agencies.iter().map(|a| a.1.clone()).collect(),
                    attention,
                    last_update: l.map(|(_, on)| on.clone()),
                },
            ));
        }
    }
    agencies.retain(|_, (_, last)| last.as_ref().is_none_or(|on| *on < stale_before));
    Ok((items, agencies))
}

/// What needs attention: for an agency member, the milestones their agencies
/// lead; for the team, every one, the agencies that have not reported, and
/// each process's reminder cadence.
#[server(prefix = "/api", endpoint = "monitoring_overview")]
pub async fn monitoring_overview() -> Result<Overview, AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    let user = crate::accounts::rules::signed_in(user.as_ref())?;
    let is_team = rules::review(Some(user)).is_ok();
    if !is_team && user.agency_ids.is_empty() {
        return Err(AppError::Forbidden);
    }
    let processes = crate::commitments::store::monitored_processes(&state.db).await?;
    let ids: Vec<i64> = processes.iter().map(|p| p.0).collect();
    let cadences = store::cadences(&state.db, &ids).await?;
    let mine = |agencies: &[i64]| is_team || agencies.iter().any(|a| user.agency_ids.contains(a));
    let mut overview = Overview {
        items: vec![],
        silent_agencies: vec![],
        cadences: vec![],
        is_team,
    };
    for (id, slug, title) in processes {
        let cadence = cadences.get(&id).copied().unwrap_or(DEFAULT_CADENCE_DAYS);
        let (items, silent) = attention_in(&state, id, cadence).await?;
        overview
            .items
            .extend(items.into_iter().filter(|(a, _)| mine(a)).map(|(_, i)| i));
        overview.silent_agencies.extend(
            silent
                .into_iter()
                .filter(|(a, _)| mine(&[*a]))
                .map(|(_, named)| named),
        );
        if is_team {
            overview.cadences.push((slug, title, cadence));
        }
    }
    overview.items.sort_by(|a, b| {
        (a.attention as u8, &a.ends_on, &a.code).cmp(&(b.attention as u8, &b.ends_on, &b.code))
    });
    Ok(overview)
}

/// The team sets how often a process's lead agencies are reminded (days).
#[server(prefix = "/api", endpoint = "set_reminder_cadence")]
pub async fn set_reminder_cadence(slug: String, days: String) -> Result<(), AppError> {
    let state = ctx::state()?;
    rules::review(ctx::user().as_ref())?;
    let p = crate::processes::store::require(&state, &slug).await?;
    let mut form = Form::new();
    let days = match days.trim().parse::<i64>() {
        Ok(d) if (1..=365).contains(&d) => d,
        _ => {
            form.error("days", "validation.number");
            0
        }
    };
    form.finish()?;
    store::set_cadence(&state.db, p.id, days).await?;
    Ok(())
}

/// (the scheduled job) Writes to each lead agency whose milestones need
/// attention, once per period of its process's cadence. How many agencies were
/// written to.
#[cfg(feature = "ssr")]
pub async fn send_reminders(state: &ctx::AppState) -> AppResult<usize> {
    let processes = crate::commitments::store::monitored_processes(&state.db).await?;
    let ids: Vec<i64> = processes.iter().map(|p| p.0).collect();
    let cadences = store::cadences(&state.db, &ids).await?;
    let today = ctx::today(&state.settings);
    let day_number = ctx::local_epoch(&today, time::Time::MIDNIGHT, 0).unwrap_or(0) / 86_400;
    let mut sent = 0;
    for (id, _, title) in processes {
        let cadence = cadences.get(&id).copied().unwrap_or(DEFAULT_CADENCE_DAYS);
        let (items, _) = attention_in(state, id, cadence).await?;
        let mut counts: HashMap<i64, [usize; 3]> = HashMap::new();
        for (agencies, item) in &items {
            for a in agencies {
                counts.entry(*a).or_default()[item.attention as usize] += 1;
            }
        }
        for (agency, [overdue, due, stale]) in counts {
            let members = crate::accounts::store::agency_member_ids(&state.db, agency).await?;
            let detail = format!("{overdue}/{due}/{stale}");
            let period = day_number / cadence;
            if store::remind(
                &state.db,
                &state.settings.base_url,
                (id, &title),
                agency,
                period,
                &members,
                &detail,
            )
            .await?
            {
                sent += 1;
            }
        }
    }
    if sent > 0 {
        state.mail_queued();
    }
    Ok(sent)
}
