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
    let dates = [
        (Stage::Intake, intake_start, intake_end),
        (Stage::Feasibility, feasibility_start, feasibility_end),
        (Stage::Roundtables, roundtables_start, roundtables_end),
        (Stage::Drafting, drafting_start, drafting_end),
        (Stage::Comment, comment_start, comment_end),
        (Stage::Monitoring, monitoring_start, monitoring_end),
    ];
    let mut stages = Vec::new();
    for (stage, start, end) in dates {
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
