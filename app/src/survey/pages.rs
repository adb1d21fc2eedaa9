//! Survey pages: the team's desk (write the survey, pick organizations by
//! sector and interest, send, follow who answered), the form an invited
//! organization answers, and the team's reading of the answers. Plain forms:
//! all work without JavaScript.
use super::api::*;
use super::model::*;
use crate::error::AppError;
use crate::i18n::{t, use_locale};
use crate::stakeholders::pages::OrganizationFilter;
use crate::ui::*;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn SurveyDeskPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let save = form_action::<SaveSurvey>();
    let add = form_action::<AddSurveyQuestion>();
    let remove = form_action::<RemoveSurveyQuestion>();
    let send = form_action::<SendSurvey>();
    let (axis, page, sent_page) = (
        query_number("axis", 0),
        page_param(),
        query_number("sent", 1),
    );
    let data = Resource::new(
        move || {
            (
                params.read().get("slug").unwrap_or_default(),
                query.read().get("sector").unwrap_or_default(),
                (axis(), page(), sent_page()),
                (
                    save.version().get(),
                    add.version().get(),
                    remove.version().get(),
                    send.version().get(),
                ),
            )
        },
        |(slug, sector, (axis, page, sent), _)| survey_desk(slug, sector, axis, page, sent),
    );
    let actions = DeskActions {
        save,
        add,
        remove,
        send,
    };
    view! {
        <Transition fallback=|| view! { <p>{t("status.loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                    Ok(d) => view! { <DeskView d actions /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[derive(Clone, Copy)]
struct DeskActions {
    save: ServerAction<SaveSurvey>,
    add: ServerAction<AddSurveyQuestion>,
    remove: ServerAction<RemoveSurveyQuestion>,
    send: ServerAction<SendSurvey>,
}

#[component]
fn DeskView(d: Desk, actions: DeskActions) -> impl IntoView {
    let locale = use_locale();
    let title = locale.tf("survey.desk_title", &[("process", &d.process_title)]);
    let slug = d.process_slug.clone();
    let save_error = action_error(actions.save);
    let (intro, closes_on) = d
        .survey
        .as_ref()
        .map(|s| (s.intro.clone(), s.closes_on.clone()))
        .unwrap_or_default();
    let process_title = d.process_title.clone();
    let parts = d
        .survey
        .clone()
        .map(|s| view! { <SurveyParts d=d.clone() s actions /> });
    view! {
        <PageTitle text=title.clone() />
        <p><a href=format!("/processes/{slug}")>{process_title}</a></p>
        <h1>{title}</h1>
        <p>{t("survey.desk_intro")}</p>
        <section aria-labelledby="survey-settings-h">
            <h2 id="survey-settings-h">{t("survey.settings")}</h2>
            <Notice show=action_done(actions.save) key="survey.saved" />
            <FormMessage error=save_error />
            <ActionForm action=actions.save>
                <input type="hidden" name="slug" value=slug.clone() />
                <TextArea name="intro" label="survey.intro" rows=3 value=intro error=save_error />
                <TextField name="closes_on" label="survey.closes_on" kind="date" required=true value=closes_on error=save_error />
                <button type="submit">{t("survey.save")}</button>
            </ActionForm>
        </section>
        {parts}
    }
}

#[component]
fn SurveyParts(d: Desk, s: SurveyInfo, actions: DeskActions) -> impl IntoView {
    let locale = use_locale();
    let slug = d.process_slug.clone();
    let add_error = action_error(actions.add);
    let mut kinds = vec![];
    kinds.extend(choices(
        &QuestionKind::ALL,
        QuestionKind::as_str,
        QuestionKind::label_key,
    ));
    let state = if s.open {
        "survey.is_open"
    } else {
        "survey.is_closed"
    };
    let slug_q = slug.clone();
    let sent = d.sent;
    let question_items = d
        .questions
        .iter()
        .map(|q| {
            let label = locale.tf("survey.remove_question", &[("prompt", &q.prompt)]);
            let (slug, id) = (slug_q.clone(), q.id);
            let remove = (!sent).then(move || view! {
                <ActionForm action=actions.remove attr:class="inline-form">
                    <input type="hidden" name="slug" value=slug />
                    <input type="hidden" name="question_id" value=id />
                    <button type="submit" class="secondary" aria-label=label>{t("action.remove")}</button>
                </ActionForm>
            });
            let options = (!q.options.is_empty()).then(|| q.options.join(" · "));
            view! {
                <li>
                    {q.prompt.clone()}" "<span class="meta">"("{t(&q.kind.label_key())}
                    {q.required.then(|| view! { " · "{t("survey.required")} })}")"</span>
                    {options.map(|o| view! { <p class="meta">{o}</p> })}
                    {remove}
                </li>
            }
        })
        .collect_view();
    let (add_slug, send_desk) = (slug.clone(), d.clone());
    view! {
        <p role="status">
            {t(state)}" · "
            {locale.tf("survey.answered_count", &[("answered", &locale.number(d.answered)), ("sent", &locale.number(d.recipients.total))])}
        </p>
        <p>
            <a href=format!("/surveys/{}", s.id)>{t("survey.see_form")}</a>" · "
            <a href=format!("/surveys/{}/answers", s.id)>{t("survey.read_answers")}</a>" · "
            <a href=format!("/surveys/{}/answers.csv", s.id) download="">{t("survey.download_csv")}</a>
        </p>
        <section aria-labelledby="questions-h">
            <h2 id="questions-h">{t("survey.questions")}</h2>
            <FormMessage error=action_error(actions.remove) />
            {d.questions.is_empty().then(|| view! { <p>{t("survey.no_questions_yet")}</p> })}
            <ol>{question_items}</ol>
            {if sent {
                view! { <p>{t("survey.questions_fixed")}</p> }.into_any()
            } else {
                view! {
                    <h3>{t("survey.add_question")}</h3>
                    <Notice show=action_done(actions.add) key="survey.question_added" />
                    <FormMessage error=add_error />
                    <ActionForm action=actions.add>
                        <input type="hidden" name="slug" value=add_slug />
                        <SelectField name="kind" label="survey.kind" error=add_error options=kinds />
                        <TextField name="prompt" label="survey.prompt" required=true error=add_error />
                        <TextArea name="options" label="survey.options" hint="survey.options_hint" rows=4 error=add_error />
                        <CheckField name="required" error=add_error>{t("survey.required")}</CheckField>
                        <button type="submit">{t("survey.add_question")}</button>
                    </ActionForm>
                }.into_any()
            }}
        </section>
        <SendSection d=send_desk send=actions.send />
        <section aria-labelledby="recipients-h">
            <h2 id="recipients-h">{t("survey.recipients")}</h2>
            {d.recipients.items.is_empty().then(|| view! { <p>{t("survey.no_recipients")}</p> })}
            <ul>
                {d.recipients.items.iter().map(|r| view! {
                    <li>
                        {r.name.clone()}" · "<span class="meta">{t(&r.sector.label_key())}</span>" · "
                        <strong>{t(if r.answered { "survey.answered" } else { "survey.not_answered" })}</strong>
                    </li>
                }).collect_view()}
            </ul>
            <Pager page=d.recipients.clone() href=move |p| format!("/processes/{slug}/survey?sent={p}") />
        </section>
    }
}

/// The organizations of the directory to send the survey to: filtered by a GET
/// form, ticked in a POST form.
#[component]
fn SendSection(d: Desk, send: ServerAction<SendSurvey>) -> impl IntoView {
    let locale = use_locale();
    let none = Signal::derive(|| None);
    let slug = d.process_slug.clone();
    let sector = d.sector.map(|s| s.as_str().to_string()).unwrap_or_default();
    let axis = d.axis.map(|a| a.to_string()).unwrap_or_default();
    let (pager_sector, pager_axis) = (sector.clone(), axis.clone());
    let items: Vec<(i64, String)> = d
        .candidates
        .items
        .iter()
        .map(|o| (o.id, format!("{} · {}", o.name, t(&o.sector.label_key()))))
        .collect();
    let ticked: Vec<i64> = items.iter().map(|i| i.0).collect();
    let sent = Signal::derive(move || send.value().get().and_then(Result::ok));
    let pager_slug = slug.clone();
    view! {
        <section aria-labelledby="send-h">
            <h2 id="send-h">{t("survey.send_title")}</h2>
            <OrganizationFilter action=format!("/processes/{slug}/survey") axes=d.axes.clone() sector=d.sector axis=d.axis />
            <FormMessage error=action_error(send) />
            {move || sent.get().map(|n| view! {
                <p class="notice" role="status">{locale.tf("survey.sent_to", &[("count", &locale.number(n as i64))])}</p>
            })}
            {if items.is_empty() {
                view! { <p>{t("survey.no_candidates")}</p> }.into_any()
            } else {
                view! {
                    <ActionForm action=send>
                        <input type="hidden" name="slug" value=slug.clone() />
                        <CheckList name="organization_ids[]" legend="survey.choose" items checked=ticked error=none />
                        <button type="submit">{t("survey.send")}</button>
                    </ActionForm>
                }.into_any()
            }}
            <Pager page=d.candidates href=move |p| format!("/processes/{pager_slug}/survey?sector={pager_sector}&axis={pager_axis}&page={p}") />
        </section>
    }
}

#[component]
pub fn SurveyPage() -> impl IntoView {
    let id = path_id("id");
    let answer = form_action::<AnswerSurvey>();
    let data = Resource::new(
        move || (id(), answer.version().get()),
        |(id, _)| survey_form(id),
    );
    view! {
        <Transition fallback=|| view! { <p>{t("status.loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                    Ok(f) => view! { <FormView f answer /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn FormView(f: Questionnaire, answer: ServerAction<AnswerSurvey>) -> impl IntoView {
    let locale = use_locale();
    let title = locale.tf("survey.title", &[("process", &f.process_title)]);
    let until = locale.tf("survey.open_until", &[("date", &locale.date(&f.closes_on))]);
    let state = if f.open { until } else { t("survey.is_closed") };
    let who = if !f.signed_in {
        Some(
            view! { <p>{t("survey.sign_in")}" "<a href="/login">{t("nav.login")}</a></p> }
                .into_any(),
        )
    } else if f.organizations.is_empty() {
        Some(view! { <p>{t("survey.not_invited")}</p> }.into_any())
    } else {
        None
    };
    let error = action_error(answer);
    let forms = f
        .organizations
        .iter()
        .map(|o| view! { <OrganizationAnswer f=f.clone() o=o.clone() answer /> })
        .collect_view();
    let questions = f.organizations.is_empty().then(|| view! {
        <section aria-labelledby="questions-h">
            <h2 id="questions-h">{t("survey.questions")}</h2>
            <ol>{f.questions.iter().map(|q| view! { <li>{q.prompt.clone()}</li> }).collect_view()}</ol>
        </section>
    });
    view! {
        <PageTitle text=title.clone() description=f.intro.clone() />
        <p><a href=format!("/processes/{}", f.process_slug)>{f.process_title.clone()}</a></p>
        <h1>{title}</h1>
        {(!f.intro.is_empty()).then(|| view! { <p class="prose">{f.intro.clone()}</p> })}
        <p role="status">{state}</p>
        {f.can_manage.then(|| view! {
            <p><a href=format!("/surveys/{}/answers", f.id)>{t("survey.read_answers")}</a></p>
        })}
        {who}
        <Notice show=action_done(answer) key="survey.thanks" />
        <FormMessage error />
        {forms}
        {questions}
    }
}

/// The form one organization answers (filled with what it answered).
#[component]
fn OrganizationAnswer(
    f: Questionnaire,
    o: Answering,
    answer: ServerAction<AnswerSurvey>,
) -> impl IntoView {
    let locale = use_locale();
    let error = action_error(answer);
    let heading = format!("org-{}-h", o.organization_id);
    let labelled = heading.clone();
    let prefix = format!("o{}-", o.organization_id);
    let has_axes = f.questions.iter().any(|q| q.kind == QuestionKind::Axes);
    let saved = o
        .answered_on
        .as_ref()
        .map(|d| locale.tf("survey.answered_at", &[("date", &locale.date(d))]));
    let fields = f
        .questions
        .iter()
        .map(|q| {
            let values = o.answers.iter().find(|a| a.0 == q.id).map(|a| a.1.clone()).unwrap_or_default();
            view! { <AnswerField q=q.clone() values axes=f.axes.clone() prefix=prefix.clone() error disabled=!f.open /> }
        })
        .collect_view();
    let interests_id = format!("{prefix}update-interests");
    view! {
        <section aria-labelledby=labelled>
            <h2 id=heading>{locale.tf("survey.answer_for", &[("organization", &o.name)])}</h2>
            {saved.map(|s| view! { <p class="meta">{s}</p> })}
            <ActionForm action=answer>
                <input type="hidden" name="id" value=f.id />
                <input type="hidden" name="organization_id" value=o.organization_id />
                {fields}
                {(has_axes && f.open).then(|| view! {
                    <div class="field field-check">
                        <input type="checkbox" id=interests_id.clone() name="update_interests" value="on" checked=true />
                        <label for=interests_id>{t("survey.update_interests")}</label>
                    </div>
                })}
                {f.open.then(|| view! { <button type="submit">{t("survey.send_answers")}</button> })}
            </ActionForm>
        </section>
    }
}

/// One question's input, named `answers[q<id>][]`, with its error.
#[component]
fn AnswerField(
    q: Question,
    values: Vec<String>,
    axes: Vec<(i64, String)>,
    prefix: String,
    error: Signal<Option<AppError>>,
    disabled: bool,
) -> impl IntoView {
    let field = q.field();
    let id = format!("{prefix}{field}");
    let error_id = format!("{id}-error");
    let name = format!("answers[{field}][]");
    let invalid = {
        let field = field.clone();
        move || error.get().is_some_and(|e| e.field_key(&field).is_some())
    };
    let message = {
        let (field, error_id) = (field.clone(), error_id.clone());
        move || {
            error
                .get()
                .and_then(|e| e.field_key(&field).map(str::to_string))
                .map(|key| {
                    view! { <p class="field-error" id=error_id.clone()>{t(&key)}</p> }
                })
        }
    };
    let described = {
        let invalid = invalid.clone();
        let error_id = error_id.clone();
        move || invalid().then(|| error_id.clone())
    };
    let mark = q
        .required
        .then(|| view! { <span class="required-mark" aria-hidden="true">" *"</span> });
    let text = {
        let field = field.clone();
        let saved = values.first().cloned().unwrap_or_default();
        move || {
            error
                .get()
                .and_then(|e| e.echoed(&field).map(str::to_string))
                .unwrap_or_else(|| saved.clone())
        }
    };
    match q.kind {
        QuestionKind::ShortText => view! {
            <div class="field">
                <label for=id.clone()>{q.prompt.clone()}{mark}</label>
                <input id=id name=name type="text" value=text required=q.required disabled=disabled
                    aria-invalid=move || invalid().then_some("true") aria-describedby=described />
                {message}
            </div>
        }.into_any(),
        QuestionKind::LongText => view! {
            <div class="field">
                <label for=id.clone()>{q.prompt.clone()}{mark}</label>
                <textarea id=id name=name rows=5 required=q.required disabled=disabled
                    aria-invalid=move || invalid().then_some("true") aria-describedby=described>{text()}</textarea>
                {message}
            </div>
        }.into_any(),
        kind => {
            let options: Vec<(String, String)> = match kind {
                QuestionKind::Axes => axes.iter().map(|(a, n)| (a.to_string(), n.clone())).collect(),
                _ => q.options.iter().map(|o| (o.clone(), o.clone())).collect(),
            };
            let input_type = if kind == QuestionKind::OneChoice { "radio" } else { "checkbox" };
            view! {
                <fieldset class="check-list" aria-invalid=move || invalid().then_some("true") aria-describedby=described>
                    <legend>{q.prompt.clone()}{mark}</legend>
                    {options.into_iter().enumerate().map(|(i, (value, label))| {
                        let input_id = format!("{id}-{i}");
                        let checked = values.contains(&value);
                        view! {
                            <div class="field-check">
                                <input type=input_type id=input_id.clone() name=name.clone() value=value checked=checked disabled=disabled />
                                <label for=input_id>{label}</label>
                            </div>
                        }
                    }).collect_view()}
                    {message}
                </fieldset>
            }.into_any()
        }
    }
}

#[component]
pub fn SurveyAnswersPage() -> impl IntoView {
    let id = path_id("id");
    let page = page_param();
    let data = Resource::new(
        move || (id(), page()),
        |(id, page)| survey_answers(id, page),
    );
    view! {
        <Transition fallback=|| view! { <p>{t("status.loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                    Ok(a) => view! { <AnswersView a /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn AnswersView(a: ResponsesRead) -> impl IntoView {
    let locale = use_locale();
    let title = locale.tf("survey.answers_title", &[("process", &a.process_title)]);
    let id = a.id;
    view! {
        <PageTitle text=title.clone() />
        <p><a href=format!("/processes/{}/survey", a.process_slug)>{t("survey.back_to_desk")}</a></p>
        <h1>{title}</h1>
        <p role="status">{locale.tf("survey.responses_count", &[("count", &locale.number(a.responses.total))])}</p>
        <p><a href=format!("/surveys/{id}/answers.csv") download="">{t("survey.download_csv")}</a></p>
        {a.responses.items.iter().map(|r| view! {
            <article class="card">
                <h2 class="card-title">{r.organization.clone()}</h2>
                <p class="meta">{t(&r.sector.label_key())}" · "{locale.date(&r.answered_on)}</p>
                <dl>
                    {a.questions.iter().zip(r.answers.iter()).map(|(q, answer)| view! {
                        <dt>{q.prompt.clone()}</dt>
                        <dd class="prose">{if answer.is_empty() { t("survey.no_answer") } else { answer.clone() }}</dd>
                    }).collect_view()}
                </dl>
            </article>
        }).collect_view()}
        <Pager page=a.responses.clone() href=move |p| format!("/surveys/{id}/answers?page={p}") />
    }
}
