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
    let date = form.date("date", &date);
    form.required("time", &time, 5);
    let at = parse_time(&time);
    if at.is_none() && !form.has_error("time") {
        form.error("time", "validation.time");
    }
    let zones: Vec<String> = zone_choices().iter().map(i32::to_string).collect();
    let zones: Vec<&str> = zones.iter().map(String::as_str).collect();
    form.choice("utc_offset", &utc_offset, &zones);
    let offset: i32 = utc_offset
        .parse()
        .unwrap_or(state.settings.utc_offset_minutes);
    let start = at.and_then(|at| ctx::local_epoch(&date, at, offset));
    if let Some(s) = start {
        if s < crate::db::now() && !form.has_error("date") {
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
        &mut form,
        "duration_minutes",
        &duration_minutes,
        DURATION_MIN,
        DURATION_MAX,
    );
    let capacity = number(&mut form, "capacity", &capacity, 1, CAPACITY_MAX);
    let video_url = form.required("video_url", &video_url, URL_MAX);
    if !video_url.is_empty() && !video_url.starts_with("https://") {
        form.error("video_url", "validation.https");
    }
    let agency_ids = agency_ids.unwrap_or_default();
    let known = crate::feasibility::store::existing_agencies(&state.db, &agency_ids).await?;
    if agency_ids.is_empty() || known.len() != agency_ids.len() {
        form.error("agency_ids", "feasibility.choose_agencies");
    }
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
        starts_at: start.unwrap_or_default(),
        utc_offset_minutes: offset,
        duration_minutes: duration,
        video_url,
        capacity,
        agency_ids,
        proposal_ids,
    };
    let id = store::create(&state.db, &new, user.id).await?;
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
