//! Server functions for co-creation processes.
use super::model::*;
use crate::error::AppError;
use crate::paging::Page;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{rules, store},
    crate::{ctx, validate::Form},
};

#[server(prefix = "/api", endpoint = "open_processes")]
pub async fn open_processes(page: i64) -> Result<Page<ProcessSummary>, AppError> {
    let state = ctx::state()?;
    let today = ctx::today(&state.settings);
    store::list_open(&state.db, &today, page).await
}

#[server(prefix = "/api", endpoint = "process")]
pub async fn get_process(slug: String) -> Result<ProcessDetail, AppError> {
    let state = ctx::state()?;
    let today = ctx::today(&state.settings);
    let mut process = store::by_slug(&state.db, &slug, &today)
        .await?
        .ok_or(AppError::NotFound)?;
    process.can_route = rules::manage_processes(ctx::user().as_ref()).is_ok();
    process.figures = store::figures(&state.db, process.id).await?;
    process.plan = crate::commitments::store::list(&state.db, process.id, false).await?;
    Ok(process)
}

/// The axes of process `slug` and which of them the person asking follows.
#[server(prefix = "/api", endpoint = "followed_axes")]
pub async fn followed_axes(slug: String) -> Result<AxisFollowing, AppError> {
    let state = ctx::state()?;
    let p = store::require(&state, &slug).await?;
    let user = ctx::user();
    let followed = match &user {
        Some(u) => store::followed(&state.db, u.id, p.id).await?,
        None => vec![],
    };
    Ok(AxisFollowing {
        signed_in: user.is_some(),
        axes: p.axes,
        followed,
    })
}

/// The person asking follows exactly `axis_ids` among the axes of `slug`.
#[server(prefix = "/api", endpoint = "follow_axes")]
pub async fn follow_axes(slug: String, axis_ids: Option<Vec<i64>>) -> Result<(), AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    let user = crate::accounts::rules::signed_in(user.as_ref())?;
    let p = store::require(&state, &slug).await?;
    let mut ids = axis_ids.unwrap_or_default();
    ids.sort_unstable();
    ids.dedup();
    if ids.iter().any(|id| !p.axes.iter().any(|a| a.id == *id)) {
        return Err(Form::new().refuse_field("axis_ids", "validation.choice"));
    }
    store::set_followed(&state.db, user.id, p.id, &ids).await
}

/// Creates a process. Stage dates come as `<stage>_start` / `<stage>_end` fields.
#[server(prefix = "/api", endpoint = "create_process")]
#[allow(clippy::too_many_arguments)]
pub async fn create_process(
    title: String,
    slug: Option<String>,
    description: String,
    axes: String,
    intake_start: String,
    intake_end: String,
    feasibility_start: String,
    feasibility_end: String,
    roundtables_start: String,
    roundtables_end: String,
    drafting_start: String,
    drafting_end: String,
    comment_start: String,
    comment_end: String,
    monitoring_start: String,
    monitoring_end: String,
) -> Result<(), AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    let actor = rules::manage_processes(user.as_ref())?;
    let mut form = Form::new();
    let title = form.required("title", &title, TITLE_MAX);
    let slug_typed = form.optional("slug", slug.as_deref().unwrap_or(""), 60);
    let description = form.required("description", &description, DESCRIPTION_MAX);
    form.optional("axes", &axes, AXES_MAX * (AXIS_MAX + 1));
    let axis_names = parse_axes(&mut form, &axes);
    let stages = stage_dates(
        &mut form,
        [
            (intake_start, intake_end),
            (feasibility_start, feasibility_end),
            (roundtables_start, roundtables_end),
            (drafting_start, drafting_end),
            (comment_start, comment_end),
            (monitoring_start, monitoring_end),
        ],
    );
    let slug = slug_typed
        .map(|s| slugify(&s))
        .unwrap_or_else(|| slugify(&title));
    if !form.has_error("title") && slug.is_empty() {
        form.error("slug", "validation.slug");
    }
    if !slug.is_empty() && store::slug_taken(&state.db, &slug).await? {
        form.error("slug", "validation.slug_taken");
    }
    form.finish()?;
    let new = store::NewProcess {
        slug: slug.clone(),
        title,
        description,
        axes: axis_names,
        stages,
    };
    if store::create(&state.db, &new, Some(actor.id))
        .await?
        .is_none()
    {
        return Err(AppError::refused("validation.slug_taken"));
    }
    leptos_axum::redirect(&format!("/processes/{slug}"));
    Ok(())
}

/// The dates of each stage, in `Stage::ALL` order, from the form's
/// `<stage>_start` / `<stage>_end` fields.
#[cfg(feature = "ssr")]
fn stage_dates(form: &mut Form, dates: [(String, String); 6]) -> Vec<StageDates> {
    let mut stages = Vec::new();
    for (stage, (start, end)) in Stage::ALL.into_iter().zip(dates) {
        let start_field = format!("{}_start", stage.as_str());
        let end_field = format!("{}_end", stage.as_str());
        let start = form.date(&start_field, &start);
        let end = form.date(&end_field, &end);
        if !form.has_error(&start_field) && !form.has_error(&end_field) && end < start {
            form.error(&end_field, "validation.end_before_start");
        }
        stages.push(StageDates {
            stage,
            starts_on: start,
            ends_on: end,
        });
    }
    stages
}

/// Changes a process the team set up: title, description, axes (renamed,
/// added, or removed when nothing uses them) and stage dates. A date that has
/// passed stays as it is (work was done on that calendar: proposals came in,
/// answers were published) and a new date cannot be in the past; refusals
/// change nothing. Audited.
#[server(prefix = "/api", endpoint = "edit_process")]
#[allow(clippy::too_many_arguments)]
pub async fn edit_process(
    slug: String,
    title: String,
    description: String,
    axis_ids: Option<Vec<i64>>,
    axis_names: Option<Vec<String>>,
    new_axes: String,
    intake_start: String,
    intake_end: String,
    feasibility_start: String,
    feasibility_end: String,
    roundtables_start: String,
    roundtables_end: String,
    drafting_start: String,
    drafting_end: String,
    comment_start: String,
    comment_end: String,
    monitoring_start: String,
    monitoring_end: String,
) -> Result<(), AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    let actor = rules::manage_processes(user.as_ref())?;
    let p = store::require(&state, &slug).await?;
    let mut form = Form::new();
    let title = form.required("title", &title, TITLE_MAX);
    let description = form.required("description", &description, DESCRIPTION_MAX);
    // Existing axes: renamed in place, removed when left blank.
    let (ids, names) = (axis_ids.unwrap_or_default(), axis_names.unwrap_or_default());
    if ids.len() != names.len() || ids.iter().any(|id| !p.axes.iter().any(|a| a.id == *id)) {
        return Err(AppError::BadRequest);
    }
    let mut kept: Vec<(i64, String)> = vec![];
    for (id, name) in ids.iter().zip(&names) {
        let name = name.trim();
        if name.chars().count() > AXIS_MAX {
            form.error("axes", "validation.axis_too_long");
        } else if !name.is_empty() {
            kept.push((*id, name.to_string()));
        }
    }
    let removed: Vec<i64> = p
        .axes
        .iter()
        .map(|a| a.id)
        .filter(|id| !kept.iter().any(|k| k.0 == *id))
        .collect();
    form.optional("new_axes", &new_axes, AXES_MAX * (AXIS_MAX + 1));
    let added: Vec<String> = if new_axes.trim().is_empty() {
        vec![]
    } else {
        parse_axes(&mut form, &new_axes)
    };
    let mut all: Vec<String> = kept.iter().map(|k| k.1.to_lowercase()).collect();
    all.extend(added.iter().map(|a| a.to_lowercase()));
    let distinct: std::collections::HashSet<&String> = all.iter().collect();
    if distinct.len() != all.len() {
        form.error("axes", "validation.axis_duplicate");
    } else if all.is_empty() {
        form.error("axes", "validation.required");
    } else if all.len() > AXES_MAX {
        form.error("axes", "validation.too_many_axes");
    }
    let stages = stage_dates(
        &mut form,
        [
            (intake_start, intake_end),
            (feasibility_start, feasibility_end),
            (roundtables_start, roundtables_end),
            (drafting_start, drafting_end),
            (comment_start, comment_end),
            (monitoring_start, monitoring_end),
        ],
    );
    let today = ctx::today(&state.settings);
    let mut moved = vec![];
    for new in &stages {
        let Some(old) = p.stages.iter().find(|s| s.stage == new.stage) else {
            continue;
        };
        for (field, was, now) in [
            ("start", &old.starts_on, &new.starts_on),
            ("end", &old.ends_on, &new.ends_on),
        ] {
            let field = format!("{}_{field}", new.stage.as_str());
            if was == now || form.has_error(&field) {
                continue;
            }
            if *was < today {
                form.error(&field, "process.date_passed");
            } else if *now < today {
                form.error(&field, "process.date_before_today");
            } else {
                moved.push(format!("{field} {was}>{now}"));
            }
        }
    }
    form.finish()?;
    let change = store::ProcessChange {
        id: p.id,
        title: &title,
        description: &description,
        renamed: &kept,
        removed: &removed,
        added: &added,
        stages: &stages,
    };
    let mut changed = vec![];
    if title != p.title {
        changed.push("title".to_string());
    }
    if description != p.description {
        changed.push("description".to_string());
    }
    let renamed = kept
        .iter()
        .filter(|(id, name)| p.axes.iter().any(|a| a.id == *id && a.name != *name))
        .count();
    if renamed + removed.len() + added.len() > 0 {
        changed.push(format!(
            "axes +{} -{} renamed {renamed}",
            added.len(),
            removed.len()
        ));
    }
    changed.extend(moved);
    if !store::update(&state.db, &change, actor.id, &changed.join("; ")).await? {
        return Err(Form::new().refuse_field("axes", "process.axis_in_use"));
    }
    leptos_axum::redirect(&format!("/processes/{}", p.slug));
    Ok(())
}

/// One axis per line; blank lines ignored; duplicates refused.
#[cfg(feature = "ssr")]
fn parse_axes(form: &mut Form, text: &str) -> Vec<String> {
    let mut axes: Vec<String> = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if line.chars().count() > AXIS_MAX {
            form.error("axes", "validation.axis_too_long");
        } else if axes.iter().any(|a| a.to_lowercase() == line.to_lowercase()) {
            form.error("axes", "validation.axis_duplicate");
        } else {
            axes.push(line.to_string());
        }
    }
    if axes.is_empty() {
        form.error("axes", "validation.required");
    } else if axes.len() > AXES_MAX {
        form.error("axes", "validation.too_many_axes");
    }
    axes
}
