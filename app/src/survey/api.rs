//! Server functions for surveys: the team's desk (write, send, follow), the
//! form an invited organization answers, and the team's reading of answers.
use super::model::*;
use crate::error::AppError;
use leptos::prelude::*;
use std::collections::HashMap;

#[cfg(feature = "ssr")]
use {
    super::{rules, store},
    crate::{accounts::model::Sector, ctx, error::AppResult, paging::Page, validate::Form},
};

/// The team's page for the survey of process `slug`: the survey, its
/// recipients (page `sent_page`), and organizations of the directory to send
/// it to, of a sector (`""` for all) and interested in an axis (0 for any).
#[server(prefix = "/api", endpoint = "survey_desk")]
pub async fn survey_desk(
    slug: String,
    sector: String,
    axis: i64,
    page: i64,
    sent_page: i64,
) -> Result<Desk, AppError> {
    let state = ctx::state()?;
    rules::manage(ctx::user().as_ref())?;
    let p = crate::processes::store::require(&state, &slug).await?;
    let sector = Sector::parse(&sector);
    let axis = (axis > 0).then_some(axis);
    let survey = store::of_process(&state.db, p.id).await?;
    let today = ctx::today(&state.settings);
    let (questions, recipients, answered) = match &survey {
        Some(s) => {
            let (recipients, answered) = store::recipients(&state.db, s.id, sent_page).await?;
            (
                store::questions(&state.db, s.id).await?,
                recipients,
                answered,
            )
        }
        None => (vec![], Page::new(vec![], 1, 0), 0),
    };
    Ok(Desk {
        process_slug: p.slug,
        process_title: p.title,
        sent: recipients.total > 0,
        survey: survey.map(|s| SurveyInfo {
            id: s.id,
            open: today <= s.closes_on,
            intro: s.intro,
            closes_on: s.closes_on,
        }),
        questions,
        recipients,
        answered,
        candidates: crate::stakeholders::store::list(&state.db, sector, axis, page).await?,
        sector,
        axis,
        axes: p.axes.iter().map(|a| (a.id, a.name.clone())).collect(),
    })
}

/// Writes the survey's introduction and closing day (creating it the first time).
#[server(prefix = "/api", endpoint = "save_survey")]
pub async fn save_survey(slug: String, intro: String, closes_on: String) -> Result<(), AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    let user = rules::manage(user.as_ref())?;
    let p = crate::processes::store::require(&state, &slug).await?;
    let mut form = Form::new();
    let intro = form
        .optional("intro", &intro, INTRO_MAX)
        .unwrap_or_default();
    let closes_on = form.date("closes_on", &closes_on);
    form.finish()?;
    store::save(&state.db, p.id, &intro, &closes_on, user.id).await?;
    Ok(())
}

/// The survey of `slug`, or a refusal when the team has not written one.
#[cfg(feature = "ssr")]
async fn require_survey(state: &ctx::AppState, slug: &str) -> AppResult<(store::Survey, String)> {
    let p = crate::processes::store::require(state, slug).await?;
    let s = store::of_process(&state.db, p.id)
        .await?
        .ok_or_else(|| AppError::refused("survey.write_first"))?;
    Ok((s, p.title))
}

#[cfg(feature = "ssr")]
fn change_result(change: store::QuestionChange) -> Result<(), AppError> {
    match change {
        store::QuestionChange::Done => Ok(()),
        store::QuestionChange::AlreadySent => Err(AppError::refused("survey.already_sent")),
        store::QuestionChange::TooMany => Err(AppError::refused("survey.too_many_questions")),
        store::QuestionChange::Unknown => Err(AppError::NotFound),
    }
}

/// Adds a question (before the survey is sent). The choices of a one- or
/// several-choice question come one per line.
#[server(prefix = "/api", endpoint = "add_survey_question")]
pub async fn add_survey_question(
    slug: String,
    kind: String,
    prompt: String,
    options: String,
    required: Option<String>,
) -> Result<(), AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    let user = rules::manage(user.as_ref())?;
    let (survey, _) = require_survey(&state, &slug).await?;
    let mut form = Form::new();
    let kinds = QuestionKind::ALL.map(QuestionKind::as_str);
    let kind = QuestionKind::parse(&form.choice("kind", &kind, &kinds));
    let prompt = form.required("prompt", &prompt, PROMPT_MAX);
    let options_text = form.optional("options", &options, OPTIONS_MAX * (OPTION_MAX + 2));
    let mut choices: Vec<String> = vec![];
    for line in options_text.as_deref().unwrap_or("").lines() {
        let line = line.trim();
        if !line.is_empty() && !choices.iter().any(|c| c == line) {
            choices.push(line.to_string());
        }
    }
    let kind = kind.unwrap_or(QuestionKind::ShortText);
    if kind.has_options() && choices.len() < 2 {
        form.error("options", "survey.options_needed");
    } else if choices.len() > OPTIONS_MAX || choices.iter().any(|c| c.chars().count() > OPTION_MAX)
    {
        form.error("options", "validation.too_long");
    }
    form.finish()?;
    if !kind.has_options() {
        choices.clear();
    }
    let required = required.is_some_and(|r| !r.is_empty());
    change_result(
        store::add_question(
            &state.db, survey.id, kind, &prompt, &choices, required, user.id,
        )
        .await?,
    )
}

#[server(prefix = "/api", endpoint = "remove_survey_question")]
pub async fn remove_survey_question(slug: String, question_id: i64) -> Result<(), AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    let user = rules::manage(user.as_ref())?;
    let (survey, _) = require_survey(&state, &slug).await?;
    change_result(store::remove_question(&state.db, survey.id, question_id, user.id).await?)
}

/// Sends the survey to the chosen organizations of the directory (those it
/// already went to are skipped). Returns how many it went to now.
#[server(prefix = "/api", endpoint = "send_survey")]
pub async fn send_survey(
    slug: String,
    organization_ids: Option<Vec<i64>>,
) -> Result<usize, AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    let user = rules::manage(user.as_ref())?;
    let (survey, title) = require_survey(&state, &slug).await?;
    let mut ids = organization_ids.unwrap_or_default();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Err(AppError::refused("survey.choose_organizations"));
    }
    if ids.len() > SEND_MAX {
        return Err(AppError::refused("survey.too_many_organizations"));
    }
    if store::questions(&state.db, survey.id).await?.is_empty() {
        return Err(AppError::refused("survey.no_questions"));
    }
    let locale = ctx::request_info().map(|r| r.locale).unwrap_or_default();
    let link = format!("{}/surveys/{}", state.settings.base_url, survey.id);
    let closes = locale.date(&survey.closes_on);
    let mail = |organization: &str| {
        let args = [
            ("organization", organization),
            ("process", title.as_str()),
            ("closes", closes.as_str()),
            ("link", link.as_str()),
        ];
        (
            locale.tf("mail.survey.subject", &args),
            locale.tf("mail.survey.body", &args),
        )
    };
    let base = state.settings.base_url.clone();
    let n = store::send(&state.db, &base, survey.id, &title, &ids, user.id, mail).await?;
    state.mail_queued();
    Ok(n)
}

/// The survey as an organization answers it: its questions, and for each
/// organization of the viewer's it was sent to, what it answered.
#[server(prefix = "/api", endpoint = "survey_form")]
pub async fn survey_form(id: i64) -> Result<Questionnaire, AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    let survey = store::by_id(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (process, axes) = process_of(&state, survey.process_id).await?;
    let mine = user
        .as_ref()
        .map(|u| u.organization_ids.clone())
        .unwrap_or_default();
    let invited = store::invited(&state.db, id, &mine).await?;
    let mut responses = store::responses_of(&state.db, id, &invited).await?;
    let names = crate::accounts::store::organizations_by_id(&state.db, &invited).await?;
    let offset = state.settings.utc_offset_minutes;
    let organizations = invited
        .iter()
        .filter_map(|org| {
            let name = names.get(org)?.name.clone();
            let response = responses
                .iter()
                .position(|r| r.0 == *org)
                .map(|i| responses.swap_remove(i));
            Some(Answering {
                organization_id: *org,
                name,
                answered_on: response.as_ref().map(|r| ctx::local_date(r.1, offset)),
                answers: response
                    .map(|r| r.2.into_iter().collect())
                    .unwrap_or_default(),
            })
        })
        .collect();
    Ok(Questionnaire {
        id,
        process_slug: process.slug,
        process_title: process.title,
        open: ctx::today(&state.settings) <= survey.closes_on,
        intro: survey.intro,
        closes_on: survey.closes_on,
        questions: store::questions(&state.db, id).await?,
        axes,
        signed_in: user.is_some(),
        organizations,
        can_manage: rules::manage(user.as_ref()).is_ok(),
    })
}

#[cfg(feature = "ssr")]
async fn process_of(
    state: &ctx::AppState,
    process_id: i64,
) -> AppResult<(crate::processes::model::ProcessDetail, Vec<(i64, String)>)> {
    let p = crate::processes::store::require_id(state, process_id).await?;
    let axes = p.axes.iter().map(|a| (a.id, a.name.clone())).collect();
    Ok((p, axes))
}

/// An invited organization's member answers for it (again, while the survey
/// is open: the new answers replace the old). `answers` maps `q<id>` to the
/// values given; with `update_interests`, the axes chosen are added to the
/// organization's interests in the directory.
#[server(prefix = "/api", endpoint = "answer_survey")]
pub async fn answer_survey(
    id: i64,
    organization_id: i64,
    answers: Option<HashMap<String, Vec<String>>>,
    update_interests: Option<String>,
) -> Result<(), AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    let survey = store::by_id(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let invited = !store::invited(&state.db, id, &[organization_id])
        .await?
        .is_empty();
    let open = ctx::today(&state.settings) <= survey.closes_on;
    let user = rules::answer(user.as_ref(), organization_id, invited, open)?;
    let (_, axes) = process_of(&state, survey.process_id).await?;
    let questions = store::questions(&state.db, id).await?;
    let mut raw = answers.unwrap_or_default();
    let mut form = Form::new();
    let checked: Vec<(i64, Vec<String>)> = questions
        .iter()
        .map(|q| {
            (
                q.id,
                check_answer(
                    &mut form,
                    q,
                    &axes,
                    raw.remove(&q.field()).unwrap_or_default(),
                ),
            )
        })
        .collect();
    form.finish()?;
    let interests: Vec<i64> = if update_interests.is_some_and(|u| !u.is_empty()) {
        questions
            .iter()
            .filter(|q| q.kind == QuestionKind::Axes)
            .flat_map(|q| {
                checked
                    .iter()
                    .filter(|c| c.0 == q.id)
                    .flat_map(|c| c.1.iter())
            })
            .filter_map(|v| v.parse().ok())
            .collect()
    } else {
        vec![]
    };
    store::answer(
        &state.db,
        id,
        organization_id,
        Some(user.id),
        &checked,
        &interests,
    )
    .await
}

/// One answer, validated against its question: text within its length, choices
/// among the question's (axes among the process's), the required ones given.
#[cfg(feature = "ssr")]
fn check_answer(
    form: &mut Form,
    q: &Question,
    axes: &[(i64, String)],
    values: Vec<String>,
) -> Vec<String> {
    let field = q.field();
    let values: Vec<String> = values
        .into_iter()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .take(OPTIONS_MAX.max(axes.len()) + 1)
        .collect();
    match q.kind {
        QuestionKind::ShortText | QuestionKind::LongText => {
            let text = values.join("\n");
            if q.required {
                form.required(&field, &text, q.kind.max_chars());
            } else {
                form.optional(&field, &text, q.kind.max_chars());
            }
            // One line for a short answer; a long one keeps its lines.
            if text.is_empty() {
                vec![]
            } else if q.kind == QuestionKind::ShortText {
                vec![text.replace('\n', " ")]
            } else {
                vec![text]
            }
        }
        QuestionKind::OneChoice | QuestionKind::SeveralChoices | QuestionKind::Axes => {
            let allowed: Vec<String> = if q.kind == QuestionKind::Axes {
                axes.iter().map(|a| a.0.to_string()).collect()
            } else {
                q.options.clone()
            };
            let mut chosen: Vec<String> = vec![];
            for v in values {
                if !allowed.contains(&v) {
                    form.error(&field, "validation.choice");
                } else if !chosen.contains(&v) {
                    chosen.push(v);
                }
            }
            if q.kind == QuestionKind::OneChoice && chosen.len() > 1 {
                form.error(&field, "validation.choice");
            }
            if q.required && chosen.is_empty() {
                form.error(&field, "validation.required");
            }
            chosen
        }
    }
}

/// The responses as the team reads them.
#[server(prefix = "/api", endpoint = "survey_answers")]
pub async fn survey_answers(id: i64, page: i64) -> Result<ResponsesRead, AppError> {
    let state = ctx::state()?;
    rules::manage(ctx::user().as_ref())?;
    let survey = store::by_id(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (process, axes) = process_of(&state, survey.process_id).await?;
    let questions = store::questions(&state.db, id).await?;
    let names: HashMap<i64, String> = axes.into_iter().collect();
    let offset = state.settings.utc_offset_minutes;
    let responses =
        store::responses(&state.db, id, &questions, &names, page.max(1), offset).await?;
    Ok(ResponsesRead {
        id,
        process_slug: process.slug,
        process_title: process.title,
        questions,
        responses,
    })
}

/// (download) Every response as CSV rows, a header first, for the team.
#[cfg(feature = "ssr")]
pub async fn answers_csv(
    state: &ctx::AppState,
    user: Option<&crate::accounts::model::CurrentUser>,
    id: i64,
    locale: crate::i18n::Locale,
) -> AppResult<(String, String)> {
    rules::manage(user)?;
    let survey = store::by_id(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (process, axes) = process_of(state, survey.process_id).await?;
    let questions = store::questions(&state.db, id).await?;
    let names: HashMap<i64, String> = axes.into_iter().collect();
    let offset = state.settings.utc_offset_minutes;
    let all = store::responses(&state.db, id, &questions, &names, 0, offset).await?;
    let mut header = vec![
        locale.t("directory.name"),
        locale.t("field.sector"),
        locale.t("survey.answered_on"),
    ];
    header.extend(questions.iter().map(|q| q.prompt.clone()));
    let rows = std::iter::once(header).chain(all.items.into_iter().map(|r| {
        let mut row = vec![
            r.organization,
            locale.t(&r.sector.label_key()),
            r.answered_on,
        ];
        row.extend(r.answers);
        row
    }));
    Ok((
        format!("{}-encuesta.csv", process.slug),
        crate::documents::csv(rows),
    ))
}
