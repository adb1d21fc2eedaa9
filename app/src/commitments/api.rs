//! Server functions for commitment sheets: list, create from a roundtable, read,
//! edit (every save a version; a stale save is refused and told what changed),
//! milestones, and comparing versions.
use super::model::*;
use crate::error::AppError;
use leptos::prelude::*;
use std::collections::HashMap;

#[cfg(feature = "ssr")]
use {
    super::{rules, store},
    crate::{accounts::model::CurrentUser, ctx, error::AppResult, validate::Form},
};

#[server(prefix = "/api", endpoint = "commitments")]
pub async fn list_commitments(slug: String) -> Result<CommitmentList, AppError> {
    let state = ctx::state()?;
    let p = crate::processes::store::require(&state, &slug).await?;
    let team = rules::draft(ctx::user().as_ref()).is_ok();
    Ok(CommitmentList {
        items: store::list(&state.db, p.id, team).await?,
        roundtables: if team {
            crate::roundtables::store::titles(&state.db, p.id).await?
        } else {
            vec![]
        },
        can_manage: team,
        process_slug: p.slug,
        process_title: p.title,
    })
}

/// Starts a sheet from a roundtable (its chosen topic, agencies and proposals).
#[server(prefix = "/api", endpoint = "create_commitment")]
pub async fn create_commitment(
    slug: String,
    roundtable_id: String,
    code: String,
) -> Result<(), AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    let user = rules::draft(user.as_ref())?;
    let p = crate::processes::store::require(&state, &slug).await?;
    let mut form = Form::new();
    let code = form.required("code", &code, CODE_MAX).to_uppercase();
    if !form.has_error("code") && !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        form.error("code", "commitment.code_invalid");
    }
    let roundtables = crate::roundtables::store::titles(&state.db, p.id).await?;
    let roundtable = roundtable_id
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|id| roundtables.iter().any(|(r, _)| r == id));
    if roundtable.is_none() {
        form.error("roundtable_id", "validation.choice");
    }
    form.check()?;
    let Some(id) =
        store::create_from_roundtable(&state.db, roundtable.unwrap_or_default(), &code, user.id)
            .await?
    else {
        return Err(form.refuse_field("code", "commitment.code_taken"));
    };
    leptos_axum::redirect(&format!("/commitments/{id}/edit"));
    Ok(())
}

/// The sheet and what the viewer may do, for someone who may read it.
#[cfg(feature = "ssr")]
pub(super) async fn readable(
    state: &ctx::AppState,
    id: i64,
    user: Option<&CurrentUser>,
) -> AppResult<CommitmentDetail> {
    let mut detail = store::detail(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    rules::read(user, detail.state, detail.process_id)?;
    detail.can_edit = rules::draft(user).is_ok() && rules::editable(detail.state).is_ok();
    Ok(detail)
}

/// The sheet with its consultation (period, tally, comments per part), for the
/// pages that show it.
#[cfg(feature = "ssr")]
pub(super) async fn readable_with_consultation(
    state: &ctx::AppState,
    id: i64,
    user: Option<&CurrentUser>,
) -> AppResult<CommitmentDetail> {
    let mut detail = readable(state, id, user).await?;
    let mut consultation =
        super::consultation_store::consultation(&state.db, id, state.settings.utc_offset_minutes)
            .await?;
    consultation.can_comment = user.is_some()
        && detail.state == SheetState::Comment
        && consultation
            .period
            .as_ref()
            .is_some_and(|p| p.status == PeriodStatus::Open);
    detail.consultation = consultation;
    Ok(detail)
}

#[server(prefix = "/api", endpoint = "commitment")]
pub async fn get_commitment(id: i64) -> Result<CommitmentDetail, AppError> {
    let state = ctx::state()?;
    let mut detail = readable_with_consultation(&state, id, ctx::user().as_ref()).await?;
    if let Some((roundtable, _)) = detail.roundtable {
        detail.origin =
            store::origin(&state.db, roundtable, state.settings.utc_offset_minutes).await?;
    }
    Ok(detail)
}

/// The team's editor: the sheet and board 2's notes beside its fields.
#[server(prefix = "/api", endpoint = "commitment_editor")]
pub async fn commitment_editor(id: i64) -> Result<SheetEditor, AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    rules::draft(user.as_ref())?;
    let detail = readable(&state, id, user.as_ref()).await?;
    let notes = match detail.roundtable {
        Some((roundtable, _)) => store::source_notes(&state.db, roundtable).await?,
        None => vec![],
    };
    Ok(SheetEditor { detail, notes })
}

/// A valid ISO date, or empty.
#[cfg(feature = "ssr")]
fn optional_date(form: &mut Form, field: &str, value: &str) -> String {
    let v = value.trim();
    if !v.is_empty() && !crate::validate::is_iso_date(v) {
        form.error(field, "validation.date");
    }
    v.to_string()
}

/// The team's check that a sheet may be changed, and the person changing it.
#[cfg(feature = "ssr")]
async fn editing(state: &ctx::AppState, id: i64) -> AppResult<(CurrentUser, store::Facts)> {
    let user = ctx::user();
    let user = rules::draft(user.as_ref())?.clone();
    let facts = store::facts(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    rules::editable(facts.state)?;
    Ok((user, facts))
}

/// Saves the new version, or says it is stale (the form echoes what was typed).
#[cfg(feature = "ssr")]
async fn save_version(
    state: &ctx::AppState,
    id: i64,
    base: i64,
    sheet: &Sheet,
    note: &str,
    author: i64,
    form: Form,
) -> AppResult<()> {
    match store::save(&state.db, id, base, sheet, note, author).await? {
        store::Saved::Version(_) => Ok(()),
        store::Saved::Stale(_) => Err(form.refuse("commitment.stale")),
    }
}

/// Saves every text field and the OGP values as a new version made from
/// `base_version`. `insert` ("field:note_id", or "milestone:note_id") also
/// puts a board-2 note into that field, or adds it as a milestone.
#[server(prefix = "/api", endpoint = "save_commitment")]
pub async fn save_commitment(
    id: i64,
    base_version: i64,
    change_note: String,
    sheet: HashMap<String, String>,
    values: Option<Vec<String>>,
    insert: Option<String>,
) -> Result<(), AppError> {
    let state = ctx::state()?;
    let (user, facts) = editing(&state, id).await?;
    let mut new = store::sheet_at(&state.db, id, facts.version.min(base_version))
        .await?
        .ok_or(AppError::BadRequest)?;
    let mut form = Form::new();
    for f in TEXT_FIELDS {
        let value = sheet.get(f.name).map(String::as_str).unwrap_or("");
        let max = if f.long { LONG_MAX } else { SHORT_MAX };
        let value = match f.name {
            "title" => form.required(f.input, value, max),
            "starts_on" | "ends_on" => optional_date(&mut form, f.input, value),
            _ => form.optional(f.input, value, max).unwrap_or_default(),
        };
        new.set_text(f.name, value);
    }
    if new.contact.contains('@') {
        form.error("sheet[contact]", "commitment.contact_no_email");
    }
    if !new.starts_on.is_empty() && !new.ends_on.is_empty() && new.ends_on < new.starts_on {
        form.error("sheet[ends_on]", "validation.end_before_start");
    }
    let values = values.unwrap_or_default();
    if values.iter().any(|v| !OGP_VALUES.contains(&v.as_str())) {
        form.error("values", "validation.choice");
    }
    new.values = OGP_VALUES
        .iter()
        .filter(|v| values.iter().any(|x| x == *v))
        .map(|v| v.to_string())
        .collect();
    let note = form
        .optional("change_note", &change_note, NOTE_MAX)
        .unwrap_or_default();
    form.check()?;
    if let Some(insert) = insert.filter(|i| !i.is_empty()) {
        let (field, note_id) = insert.split_once(':').ok_or(AppError::BadRequest)?;
        let note_id: i64 = note_id.parse().map_err(|_| AppError::BadRequest)?;
        let notes = match facts.roundtable_id {
            Some(r) => store::source_notes(&state.db, r).await?,
            None => vec![],
        };
        let source = notes
            .iter()
            .find(|n| n.id == note_id)
            .ok_or(AppError::NotFound)?;
        if field == "milestone" {
            if new.milestones.len() >= MILESTONES_MAX {
                return Err(form.refuse("commitment.milestones_full"));
            }
            let key = milestone_key(&mut new);
            new.milestones.push(Milestone {
                key,
                title: source.body.chars().take(SHORT_MAX).collect(),
                ..Default::default()
            });
        } else {
            let current = new.text(field).ok_or(AppError::BadRequest)?.to_string();
            let joined = if current.is_empty() {
                source.body.clone()
            } else {
                format!("{current}\n\n{}", source.body)
            };
            new.set_text(field, joined);
        }
    }
    save_version(&state, id, base_version, &new, &note, user.id, form).await
}

/// A key no milestone of the sheet has had yet (removed ones included).
#[cfg(feature = "ssr")]
fn milestone_key(sheet: &mut Sheet) -> String {
    let highest = sheet
        .milestones
        .iter()
        .filter_map(|m| m.key.trim_start_matches('m').parse::<u64>().ok())
        .max()
        .unwrap_or(0);
    sheet.milestone_seq = sheet.milestone_seq.max(highest) + 1;
    format!("m{}", sheet.milestone_seq)
}

/// Adds a milestone (empty `key`) or changes one, as a new version.
#[server(prefix = "/api", endpoint = "save_milestone")]
#[allow(clippy::too_many_arguments)]
pub async fn save_milestone(
    id: i64,
    base_version: i64,
    key: String,
    title: String,
    output: String,
    starts_on: String,
    ends_on: String,
    responsible: String,
) -> Result<(), AppError> {
    let state = ctx::state()?;
    let (user, facts) = editing(&state, id).await?;
    let mut sheet = store::sheet_at(&state.db, id, facts.version.min(base_version))
        .await?
        .ok_or(AppError::BadRequest)?;
    let mut form = Form::new();
    let milestone = Milestone {
        key: key.trim().to_string(),
        title: form.required("title", &title, SHORT_MAX),
        output: form
            .optional("output", &output, SHORT_MAX)
            .unwrap_or_default(),
        starts_on: optional_date(&mut form, "starts_on", &starts_on),
        ends_on: optional_date(&mut form, "ends_on", &ends_on),
        responsible: form
            .optional("responsible", &responsible, SHORT_MAX)
            .unwrap_or_default(),
    };
    if !milestone.starts_on.is_empty()
        && !milestone.ends_on.is_empty()
        && milestone.ends_on < milestone.starts_on
    {
        form.error("ends_on", "validation.end_before_start");
    }
    form.check()?;
    let note = if milestone.key.is_empty() {
        if sheet.milestones.len() >= MILESTONES_MAX {
            return Err(form.refuse("commitment.milestones_full"));
        }
        let key = milestone_key(&mut sheet);
        sheet.milestones.push(Milestone { key, ..milestone });
        "commitment.note.milestone_added"
    } else {
        let slot = sheet
            .milestones
            .iter_mut()
            .find(|m| m.key == milestone.key)
            .ok_or(AppError::NotFound)?;
        *slot = milestone;
        "commitment.note.milestone_changed"
    };
    let note = crate::i18n::Locale::EsAr.t(note);
    save_version(&state, id, base_version, &sheet, &note, user.id, form).await
}

#[server(prefix = "/api", endpoint = "remove_milestone")]
pub async fn remove_milestone(id: i64, base_version: i64, key: String) -> Result<(), AppError> {
    let state = ctx::state()?;
    let (user, facts) = editing(&state, id).await?;
    let mut sheet = store::sheet_at(&state.db, id, facts.version.min(base_version))
        .await?
        .ok_or(AppError::BadRequest)?;
    let before = sheet.milestones.len();
    sheet.milestones.retain(|m| m.key != key);
    if sheet.milestones.len() == before {
        return Err(AppError::NotFound);
    }
    let note = crate::i18n::Locale::EsAr.t("commitment.note.milestone_removed");
    save_version(
        &state,
        id,
        base_version,
        &sheet,
        &note,
        user.id,
        Form::new(),
    )
    .await
}

/// Two versions side by side, field by field (0 for `to`: the current one;
/// 0 for `from`: the one before `to`).
#[server(prefix = "/api", endpoint = "compare_versions")]
pub async fn compare_versions(id: i64, from: i64, to: i64) -> Result<Comparison, AppError> {
    let state = ctx::state()?;
    let detail = readable(&state, id, ctx::user().as_ref()).await?;
    let to = if to <= 0 { detail.version } else { to };
    let from = if from <= 0 { (to - 1).max(1) } else { from };
    let (a, from) = store::version(&state.db, id, from, state.settings.utc_offset_minutes)
        .await?
        .ok_or(AppError::NotFound)?;
    let (b, to) = store::version(&state.db, id, to, state.settings.utc_offset_minutes)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Comparison {
        id,
        code: detail.code,
        title: detail.sheet.title,
        fields: super::diff::compare(&a, &b),
        from,
        to,
        versions: store::versions(&state.db, id, state.settings.utc_offset_minutes).await?,
    })
}
