//! Server functions for roundtables: list, read, schedule, register, cancel.
use super::model::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{rules, store},
    crate::{ctx, validate::Form},
};

#[server(prefix = "/api", endpoint = "roundtables")]
pub async fn list_roundtables(slug: String, page: i64) -> Result<RoundtableList, AppError> {
    let state = ctx::state()?;
    let p = crate::processes::store::require(&state, &slug).await?;
    Ok(RoundtableList {
        can_manage: rules::schedule(ctx::user().as_ref()).is_ok(),
        page: store::list(&state.db, p.id, page).await?,
        process_slug: p.slug,
        process_title: p.title,
    })
}

#[server(prefix = "/api", endpoint = "roundtable")]
pub async fn get_roundtable(id: i64) -> Result<RoundtableDetail, AppError> {
    let state = ctx::state()?;
    let facts = store::facts(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (mut detail, video_url) = store::detail(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let user = ctx::user();
    if let Some(u) = &user {
        detail.signed_in = true;
        if let Some((status, place)) = store::registration(&state.db, id, u.id).await? {
            detail.my_status = Some(status);
            detail.my_place = place;
        }
    }
    let registered = detail.my_status == Some(RegistrationStatus::Registered);
    if rules::join(user.as_ref(), registered, &facts.presenting) {
        detail.video_url = Some(video_url);
    }
    if detail.finished {
        detail.record = Some(super::record::record(&state.db, id).await?);
    }
    if rules::schedule(user.as_ref()).is_ok() {
        detail.attendance = Some(store::attendance(&state.db, id).await?);
    }
    Ok(detail)
}

/// Records who of the registered people attended (the team, once it has met).
#[server(prefix = "/api", endpoint = "roundtable_attendance")]
pub async fn roundtable_attendance(id: i64, attended: Option<Vec<i64>>) -> Result<(), AppError> {
    let state = ctx::state()?;
    rules::schedule(ctx::user().as_ref())?;
    store::facts(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    store::set_attendance(&state.db, id, &attended.unwrap_or_default()).await?;
    Ok(())
}

#[server(prefix = "/api", endpoint = "roundtable_form")]
pub async fn roundtable_form(slug: String) -> Result<RoundtableFormContext, AppError> {
    let state = ctx::state()?;
    rules::schedule(ctx::user().as_ref())?;
    let p = crate::processes::store::require(&state, &slug).await?;
    let directory = crate::accounts::store::directory(&state.db).await?;
    Ok(RoundtableFormContext {
        eligible: store::eligible(&state.db, p.id).await?,
        axes: p.axes.into_iter().map(|a| (a.id, a.name)).collect(),
        agencies: directory
            .agencies
            .into_iter()
            .map(|a| (a.id, a.name))
            .collect(),
        process_slug: p.slug,
        process_title: p.title,
        utc_offset_minutes: state.settings.utc_offset_minutes,
    })
}

/// The fields of a roundtable's time and room, as typed.
#[cfg(feature = "ssr")]
struct Schedule {
    date: String,
    time: String,
    utc_offset: String,
    duration_minutes: String,
    capacity: String,
    video_url: String,
}

/// The same, checked: a time not in the past, a known time zone, numbers in
/// range, an `https://` video link.
#[cfg(feature = "ssr")]
struct Scheduled {
    starts_at: i64,
    utc_offset_minutes: i32,
    duration_minutes: i64,
    capacity: i64,
    video_url: String,
}

#[cfg(feature = "ssr")]
fn schedule_fields(form: &mut Form, default_offset: i32, s: Schedule) -> Scheduled {
    let date = form.date("date", &s.date);
    form.required("time", &s.time, 5);
    let at = parse_time(&s.time);
    if at.is_none() && !form.has_error("time") {
        form.error("time", "validation.time");
    }
    let zones: Vec<String> = zone_choices().iter().map(i32::to_string).collect();
    let zones: Vec<&str> = zones.iter().map(String::as_str).collect();
    form.choice("utc_offset", &s.utc_offset, &zones);
    let offset: i32 = s.utc_offset.parse().unwrap_or(default_offset);
    let start = at.and_then(|at| ctx::local_epoch(&date, at, offset));
    if let Some(t) = start {
        if t < crate::db::now() && !form.has_error("date") {
            form.error("date", "validation.date_past");
        }
    }
    let number = |form: &mut Form, field: &str, value: &str, min: i64, max: i64| {
        form.required(field, value, 6);
        match value.trim().parse::<i64>() {
            Ok(n) if (min..=max).contains(&n) => n,
            _ => {
                form.error(field, "validation.number");
                0
            }
        }
    };
    let duration = number(
        form,
        "duration_minutes",
        &s.duration_minutes,
        DURATION_MIN,
        DURATION_MAX,
    );
    let capacity = number(form, "capacity", &s.capacity, 1, CAPACITY_MAX);
    let video_url = form.required("video_url", &s.video_url, URL_MAX);
    if !video_url.is_empty() && !video_url.starts_with("https://") {
        form.error("video_url", "validation.https");
    }
    Scheduled {
        starts_at: start.unwrap_or_default(),
        utc_offset_minutes: offset,
        duration_minutes: duration,
        capacity,
        video_url,
    }
}

/// The presenting agencies: at least one, each known.
#[cfg(feature = "ssr")]
async fn presenting(
    form: &mut Form,
    state: &ctx::AppState,
    agency_ids: Option<Vec<i64>>,
) -> Result<Vec<i64>, AppError> {
    let mut agency_ids = agency_ids.unwrap_or_default();
    agency_ids.sort_unstable();
    agency_ids.dedup();
    let known = crate::feasibility::store::existing_agencies(&state.db, &agency_ids).await?;
    if agency_ids.is_empty() || known.len() != agency_ids.len() {
        form.error("agency_ids", "feasibility.choose_agencies");
    }
    Ok(agency_ids)
}

/// A roundtable as the team changes it (one that is over cannot change).
#[server(prefix = "/api", endpoint = "roundtable_settings")]
pub async fn roundtable_settings(id: i64) -> Result<RoundtableSetup, AppError> {
    let state = ctx::state()?;
    rules::schedule(ctx::user().as_ref())?;
    let mut settings = store::settings(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    settings.agencies = crate::accounts::store::directory(&state.db)
        .await?
        .agencies
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect();
    Ok(settings)
}

/// Changes a roundtable that has not happened: title, description, date and
/// time, duration, video link, capacity (never below the seats taken; more
/// seats go to the waitlist) and presenting agencies. A new time is told to
/// everyone with a seat or on the waitlist. Audited.
#[server(prefix = "/api", endpoint = "edit_roundtable")]
#[allow(clippy::too_many_arguments)]
pub async fn edit_roundtable(
    id: i64,
    title: String,
    description: String,
    date: String,
    time: String,
    utc_offset: String,
    duration_minutes: String,
    video_url: String,
    capacity: String,
    agency_ids: Option<Vec<i64>>,
) -> Result<(), AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    let user = rules::schedule(user.as_ref())?;
    let before = store::settings(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if before.past {
        return Err(AppError::refused("roundtable.over_no_change"));
    }
    let mut form = Form::new();
    let title = form.required("title", &title, TITLE_MAX);
    let description = form
        .optional("description", &description, DESCRIPTION_MAX)
        .unwrap_or_default();
    let when = schedule_fields(
        &mut form,
        before.utc_offset_minutes,
        Schedule {
            date,
            time,
            utc_offset,
            duration_minutes,
            capacity,
            video_url,
        },
    );
    let agency_ids = presenting(&mut form, &state, agency_ids).await?;
    if !form.has_error("capacity") && when.capacity < before.registered {
        form.error("capacity", "roundtable.capacity_below_seats");
    }
    form.finish()?;
    let mut changed: Vec<&str> = [
        ("title", title != before.title),
        ("description", description != before.description),
        ("video", when.video_url != before.video_url),
    ]
    .into_iter()
    .filter_map(|(name, differs)| differs.then_some(name))
    .collect();
    let moved =
        before.starts_at != when.starts_at || before.utc_offset_minutes != when.utc_offset_minutes;
    if moved {
        changed.push("time");
    }
    if when.duration_minutes != before.duration_minutes {
        changed.push("duration");
    }
    if when.capacity != before.capacity {
        changed.push("capacity");
    }
    if agency_ids != before.agency_ids {
        changed.push("agencies");
    }
    let change = store::RoundtableChange {
        title,
        description,
        starts_at: when.starts_at,
        utc_offset_minutes: when.utc_offset_minutes,
        duration_minutes: when.duration_minutes,
        video_url: when.video_url,
        capacity: when.capacity,
        agency_ids,
    };
    let base = state.settings.base_url.clone();
    if !store::change(&state.db, &base, id, &change, user.id, &changed.join(", ")).await? {
        return Err(Form::new().refuse_field("capacity", "roundtable.capacity_below_seats"));
    }
    state.mail_queued();
    leptos_axum::redirect(&format!("/roundtables/{id}"));
    Ok(())
}

/// Cancels a roundtable that has not happened, with a reason everyone with a
/// seat or on the waitlist is told. Audited.
#[server(prefix = "/api", endpoint = "cancel_roundtable")]
pub async fn cancel_roundtable(id: i64, reason: String) -> Result<(), AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    let user = rules::schedule(user.as_ref())?;
    let facts = store::facts(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if facts.past() {
        return Err(AppError::refused("roundtable.over_no_change"));
    }
    let mut form = Form::new();
    let reason = form.required("reason", &reason, CANCEL_REASON_MAX);
    form.finish()?;
    let base = state.settings.base_url.clone();
    if !store::cancel_roundtable(&state.db, &base, id, &reason, user.id).await? {
        return Err(AppError::refused("roundtable.over_no_change"));
    }
    state.mail_queued();
    leptos_axum::redirect(&format!("/roundtables/{id}"));
    Ok(())
}

/// `HH:MM` on a 24-hour clock.
#[cfg(feature = "ssr")]
fn parse_time(v: &str) -> Option<time::Time> {
    let (h, m) = v.trim().split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    time::Time::from_hms(h.parse().ok()?, m.parse().ok()?, 0).ok()
}

#[server(prefix = "/api", endpoint = "create_roundtable")]
#[allow(clippy::too_many_arguments)]
pub async fn create_roundtable(
    slug: String,
    title: String,
    axis_id: String,
    description: String,
    date: String,
    time: String,
    utc_offset: String,
    duration_minutes: String,
    video_url: String,
    capacity: String,
    agency_ids: Option<Vec<i64>>,
    proposal_ids: Option<Vec<i64>>,
) -> Result<(), AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    let user = rules::schedule(user.as_ref())?;
    let p = crate::processes::store::require(&state, &slug).await?;
    let mut form = Form::new();
    let title = form.required("title", &title, TITLE_MAX);
    let description = form
        .optional("description", &description, DESCRIPTION_MAX)
        .unwrap_or_default();
    form.optional("axis_id", &axis_id, 20);
    let axis_id = match axis_id.trim() {
        "" => None,
        a => match a.parse::<i64>() {
            Ok(a) if p.axes.iter().any(|x| x.id == a) => Some(a),
            _ => {
                form.error("axis_id", "validation.choice");
                None
            }
        },
    };
    let when = schedule_fields(
        &mut form,
        state.settings.utc_offset_minutes,
        Schedule {
            date,
            time,
            utc_offset,
            duration_minutes,
            capacity,
            video_url,
        },
    );
    let agency_ids = presenting(&mut form, &state, agency_ids).await?;
    let proposal_ids = proposal_ids.unwrap_or_default();
    let eligible = store::eligible(&state.db, p.id).await?;
    let presentable = |id: &i64| {
        eligible
            .iter()
            .any(|e| e.id == *id && agency_ids.contains(&e.agency_id))
    };
    if !proposal_ids.iter().all(presentable) {
        form.error("proposal_ids", "roundtable.not_presentable");
    }
    form.finish()?;
    let new = store::NewRoundtable {
        process_id: p.id,
        axis_id,
        title,
        description,
        starts_at: when.starts_at,
        utc_offset_minutes: when.utc_offset_minutes,
        duration_minutes: when.duration_minutes,
        video_url: when.video_url,
        capacity: when.capacity,
        agency_ids,
        proposal_ids,
    };
    let id = store::create(&state.db, &state.settings.base_url, &new, user.id).await?;
    state.mail_queued();
    leptos_axum::redirect(&format!("/roundtables/{id}"));
    Ok(())
}

/// Registers the person asking; past capacity, on the waitlist.
#[server(prefix = "/api", endpoint = "register_roundtable")]
pub async fn register_roundtable(id: i64) -> Result<RegistrationStatus, AppError> {
    let state = ctx::state()?;
    let facts = store::facts(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let user = ctx::user();
    let user = rules::register(user.as_ref(), facts.past())?;
    let status = store::register(&state.db, &state.settings.base_url, id, user.id).await?;
    state.mail_queued();
    Ok(status)
}

#[server(prefix = "/api", endpoint = "cancel_registration")]
pub async fn cancel_registration(id: i64) -> Result<(), AppError> {
    let state = ctx::state()?;
    let facts = store::facts(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let user = ctx::user();
    let user = rules::register(user.as_ref(), facts.past())?;
    if !store::cancel(&state.db, &state.settings.base_url, id, user.id).await? {
        return Err(AppError::refused("roundtable.not_registered"));
    }
    state.mail_queued();
    Ok(())
}
