//! Commitment pages: the process's list (and starting a sheet from a
//! roundtable), the sheet, the team's editor with board 2's notes beside each
//! field, and the comparison of versions. All forms work without JavaScript.
use super::api::*;
use super::consultation_api::{PublishFinal, PublishForComment};
use super::consultation_pages::{CommentLink, ConsultationSummary, TeamConsultation};
use super::model::*;
use crate::i18n::{t, use_locale};
use crate::markdown::Markdown;
use crate::ui::*;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

pub fn state_key(s: SheetState) -> String {
    format!("commitment.state.{}", s.as_str())
}

#[component]
pub fn CommitmentsPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let create = form_action::<CreateCommitment>();
    let list = Resource::new(slug, list_commitments);
    view! {
        <Transition fallback=|| view! { <p>{t("status.loading")}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                    Ok(l) => view! { <CommitmentListView l create /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn CommitmentListView(l: CommitmentList, create: ServerAction<CreateCommitment>) -> impl IntoView {
    let locale = use_locale();
    let error = action_error(create);
    let title = locale.tf("commitments.title", &[("process", &l.process_title)]);
    let roundtables: Vec<(String, String)> = l
        .roundtables
        .iter()
        .map(|(id, title)| (id.to_string(), title.clone()))
        .collect();
    view! {
        <PageTitle text=title.clone() />
        <p><a href=format!("/processes/{}", l.process_slug)>{l.process_title.clone()}</a></p>
        <h1>{title}</h1>
        {l.items.is_empty().then(|| view! { <p>{t("commitments.none")}</p> })}
        <ul class="commitments">
            {l.items.iter().map(|c| view! {
                <li>
                    <a href=format!("/commitments/{}", c.id)>{format!("{} · {}", c.code, c.title)}</a>
                    " "<span class="badge">{t(&state_key(c.state))}</span>
                </li>
            }).collect_view()}
        </ul>
        {(l.can_manage && !roundtables.is_empty()).then(|| view! {
            <section aria-labelledby="new-commitment-h">
                <h2 id="new-commitment-h">{t("commitments.new")}</h2>
                <FormMessage error />
                <ActionForm action=create>
                    <input type="hidden" name="slug" value=l.process_slug.clone() />
                    <SelectField name="roundtable_id" label="commitments.from_roundtable" options=roundtables error />
                    <TextField name="code" label="commitments.code" hint="commitments.code_hint" required=true error />
                    <button type="submit">{t("commitments.create")}</button>
                </ActionForm>
            </section>
        })}
    }
    .into_any()
}

#[component]
pub fn CommitmentPage() -> impl IntoView {
    let id = path_id("id");
    let publish = form_action::<PublishForComment>();
    let finish = form_action::<PublishFinal>();
    let detail = Resource::new(
        move || (id(), publish.version().get(), finish.version().get()),
        |(id, ..)| get_commitment(id),
    );
    view! {
        <Transition fallback=|| view! { <p>{t("status.loading")}</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                    Ok(d) => view! { <SheetView d publish finish /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The sheet as published, section by section in the template's order, with
/// its consultation and a comment link beside each field and milestone.
#[component]
fn SheetView(
    d: CommitmentDetail,
    publish: ServerAction<PublishForComment>,
    finish: ServerAction<PublishFinal>,
) -> impl IntoView {
    let locale = use_locale();
    let s = d.sheet.clone();
    let heading = format!("{} · {}", d.code, s.title);
    let version = locale.tf(
        "commitment.version",
        &[("number", &locale.number(d.version))],
    );
    let team = d
        .can_edit
        .then(|| view! { <TeamConsultation d=d.clone() publish finish /> });
    let origin = view! { <OriginSection d=d.clone() /> };
    view! {
        <PageTitle text=heading.clone() />
        <article class="sheet">
            <p><a href=format!("/processes/{}/commitments", d.process_slug)>{d.process_title.clone()}</a></p>
            <h1>{heading}</h1>
            <p class="meta"><span class="badge">{t(&state_key(d.state))}</span>" · "{version}</p>
            <p>
                {d.can_edit.then(|| view! { <a href=format!("/commitments/{}/edit", d.id) class="button-link">{t("commitment.edit")}</a>" " })}
                <a href=format!("/commitments/{}/versions", d.id)>{t("commitment.versions")}</a>
                {(d.state == SheetState::Final).then(|| view! { " · "<a href=format!("/commitments/{}/monitoring", d.id)>{t("monitoring.open")}</a> })}
            </p>
            <p>
                {t("commitment.download")}" "
                <a href=format!("/commitments/{}/sheet.docx", d.id) download=format!("{}.docx", d.code)>"DOCX"</a>" · "
                <a href=format!("/commitments/{}/sheet.pdf", d.id) download=format!("{}.pdf", d.code)>"PDF"</a>" · "
                <a href=format!("/commitments/{}/sheet.md", d.id) download=format!("{}.md", d.code)>"Markdown"</a>" · "
                <a href=format!("/commitments/{}/sheet.json", d.id) download=format!("{}.json", d.code)>"JSON"</a>
            </p>
            <ConsultationSummary id=d.id c=d.consultation.clone() />
            {team}
            {sections().into_iter().map(|(section, fields)| {
                let s = s.clone();
                let c = d.consultation.clone();
                let id = d.id;
                let link = move |anchor: &str, place: String| view! {
                    <CommentLink id anchor=anchor.to_string() place count=c.count(anchor) can_comment=c.can_comment />
                };
                view! {
                    <h2>{t(section)}</h2>
                    <dl class="sheet-fields">
                        {fields.into_iter().map(|f| {
                            let text = s.text(f.name).unwrap_or("").to_string();
                            let shown = if text.is_empty() {
                                view! { <p>{t("commitment.empty")}</p> }.into_any()
                            } else if f.long {
                                view! { <Markdown text /> }.into_any()
                            } else {
                                view! { <p>{text}</p> }.into_any()
                            };
                            view! { <dt>{t(f.label)}</dt><dd>{shown}{link(f.name, t(f.label))}</dd> }
                        }).collect_view()}
                        {(section == "sheet.section.analysis").then(|| view! {
                            <dt>{t("sheet.values")}</dt>
                            <dd><p>{if s.values.is_empty() { t("commitment.empty") } else {
                                s.values.iter().map(|v| t(&format!("ogp.{v}"))).collect::<Vec<_>>().join(", ")
                            }}</p>{link("values", t("sheet.values"))}</dd>
                        })}
                    </dl>
                }.into_any()
            }).collect_view()}
            <h2>{t("sheet.milestones")}</h2>
            <MilestoneTable milestones=s.milestones.clone() id=d.id c=d.consultation.clone() />
            {origin}
        </article>
    }
    .into_any()
}

/// Where the sheet came from: its roundtable and day, the proposals presented
/// there, the topic the vote chose and board 2's notes, by column.
#[component]
fn OriginSection(d: CommitmentDetail) -> impl IntoView {
    let locale = use_locale();
    let o = d.origin.clone();
    let mut columns: Vec<(String, Vec<String>)> = Vec::new();
    for n in &o.notes {
        match columns.last_mut() {
            Some(c) if c.0 == n.column_title => c.1.push(n.body.clone()),
            _ => columns.push((n.column_title.clone(), vec![n.body.clone()])),
        }
    }
    view! {
        <section class="origin" aria-labelledby="origin-h">
            <h2 id="origin-h">{t("commitment.origin")}</h2>
            <dl>
                {d.roundtable.clone().map(|(rid, title)| view! {
                    <dt>{t("origin.roundtable")}</dt>
                    <dd><a href=format!("/roundtables/{rid}")>{title}</a>
                        {o.roundtable_on.clone().map(|on| view! { " · "{locale.date(&on)} })}</dd>
                })}
                <dt>{t("origin.proposals")}</dt>
                <dd>{if d.proposals.is_empty() {
                    view! { <p>{t("origin.no_proposals")}</p> }.into_any()
                } else {
                    view! { <ul>{d.proposals.clone().into_iter().map(|(pid, title)| view! {
                        <li><a href=format!("/proposals/{pid}")>{title}</a>" · "
                            <a href=format!("/proposals/{pid}/trajectory")>{t("trajectory.link")}</a></li>
                    }).collect_view()}</ul> }.into_any()
                }}</dd>
                {o.chosen_topic.clone().map(|topic| view! {
                    <dt>{t("origin.vote")}</dt>
                    <dd><p>{locale.tf("vote.chosen", &[("topic", &topic)])}</p></dd>
                })}
            </dl>
            {(!o.vote.is_empty() && o.vote.iter().any(|v| v.1.is_some())).then(|| view! {
                <table>
                    <caption>{t("origin.vote_results")}</caption>
                    <thead><tr><th scope="col">{t("origin.topic")}</th><th scope="col">{t("origin.dots")}</th></tr></thead>
                    <tbody>{o.vote.clone().into_iter().map(|(label, dots)| view! {
                        <tr><td>{label}</td><td>{dots.map(|n| locale.number(n)).unwrap_or_default()}</td></tr>
                    }).collect_view()}</tbody>
                </table>
            })}
            {(!columns.is_empty()).then(|| view! {
                <h3>{t("origin.board_notes")}</h3>
                {columns.into_iter().map(|(title, notes)| view! {
                    <h4>{title}</h4>
                    <ul>{notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul>
                }).collect_view()}
            })}
        </section>
    }
}

/// The milestones; on a phone each row reads as a block (see the style sheet).
#[component]
fn MilestoneTable(milestones: Vec<Milestone>, id: i64, c: Consultation) -> impl IntoView {
    if milestones.is_empty() {
        return view! { <p>{t("commitment.no_milestones")}</p> }.into_any();
    }
    view! {
        <table class="milestones">
            <thead><tr>
                <th scope="col">{t("milestone.title")}</th>
                <th scope="col">{t("milestone.output")}</th>
                <th scope="col">{t("milestone.starts_on")}</th>
                <th scope="col">{t("milestone.ends_on")}</th>
                <th scope="col">{t("milestone.responsible")}</th>
                <th scope="col">{t("consultation.comments")}</th>
            </tr></thead>
            <tbody>
                {milestones.into_iter().map(|m| {
                    let count = c.count(&m.key);
                    let row_id = format!("milestone-{}", m.key);
                    view! {
                        <tr id=row_id>
                            <td data-label=t("milestone.title")>{m.title.clone()}</td>
                            <td data-label=t("milestone.output")>{m.output}</td>
                            <td data-label=t("milestone.starts_on")>{m.starts_on}</td>
                            <td data-label=t("milestone.ends_on")>{m.ends_on}</td>
                            <td data-label=t("milestone.responsible")>{m.responsible}</td>
                            <td data-label=t("consultation.comments")><CommentLink id anchor=m.key place=m.title.clone() count can_comment=c.can_comment /></td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
pub fn EditCommitmentPage() -> impl IntoView {
    let id = path_id("id");
    let save = form_action::<SaveCommitment>();
    let milestone = form_action::<SaveMilestone>();
    let remove = form_action::<RemoveMilestone>();
    let editor = Resource::new(
        move || {
            (
                id(),
                save.version().get(),
                milestone.version().get(),
                remove.version().get(),
            )
        },
        |(id, ..)| commitment_editor(id),
    );
    view! {
        <Transition fallback=|| view! { <p>{t("status.loading")}</p> }>
            {move || Suspend::new(async move {
                match editor.await {
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                    Ok(e) => view! { <Editor e save milestone remove /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Editor(
    e: SheetEditor,
    save: ServerAction<SaveCommitment>,
    milestone: ServerAction<SaveMilestone>,
    remove: ServerAction<RemoveMilestone>,
) -> impl IntoView {
    let locale = use_locale();
    let d = e.detail.clone();
    let id = d.id;
    let base = d.version;
    let error = action_error(save);
    let stale = Signal::derive(move || {
        error
            .get()
            .is_some_and(|e| e.message_key() == "commitment.stale")
    });
    let heading = locale.tf("commitment.editing", &[("code", &d.code)]);
    let version = locale.tf("commitment.version", &[("number", &locale.number(base))]);
    let notes = e.notes.clone();
    let milestones = d.sheet.milestones.clone();
    let values = d.sheet.values.clone();
    let sheet = d.sheet.clone();
    let milestone_notes: Vec<SourceNote> = notes
        .iter()
        .filter(|n| n.column == MILESTONE_COLUMN)
        .cloned()
        .collect();
    view! {
        <PageTitle text=heading.clone() />
        <p><a href=format!("/commitments/{id}")>{format!("{} · {}", d.code, d.sheet.title)}</a></p>
        <h1>{heading}</h1>
        <p class="meta">{version}" · "<a href=format!("/commitments/{id}/versions")>{t("commitment.versions")}</a></p>
        <Notice show=action_done(save) key="commitment.saved" />
        <FormMessage error />
        {move || stale.get().then(|| view! {
            <p><a href=format!("/commitments/{id}/versions?from={base}")>{t("commitment.see_changes")}</a></p>
        })}
        <ActionForm action=save attr:class="sheet-form">
            <input type="hidden" name="id" value=id />
            <input type="hidden" name="base_version" value=base />
            {TEXT_FIELDS.into_iter().enumerate().map(|(i, f)| {
                let starts_section = i == 0 || TEXT_FIELDS[i - 1].section != f.section;
                let value = sheet.text(f.name).unwrap_or("").to_string();
                let sources: Vec<SourceNote> = super::model::source_column(f.name)
                    .map(|c| notes.iter().filter(|n| n.column == c).cloned().collect())
                    .unwrap_or_default();
                view! {
                    {starts_section.then(|| view! { <h2>{t(f.section)}</h2> })}
                    {if f.long {
                        view! { <TextArea name=f.input label=f.label value error rows=4 hint="commitment.markdown_hint" /> }.into_any()
                    } else {
                        let kind = if f.name.ends_with("_on") { "date" } else { "text" };
                        let required = f.name == "title";
                        view! { <TextField name=f.input label=f.label kind value required error /> }.into_any()
                    }}
                    {(!sources.is_empty()).then(|| view! { <SourceNotes field=f sources /> })}
                }
            }).collect_view()}
            <fieldset class="check-list">
                <legend>{t("sheet.values")}</legend>
                {OGP_VALUES.into_iter().map(|v| {
                    let input_id = format!("value-{v}");
                    let checked = values.iter().any(|x| x == v);
                    view! {
                        <div class="field-check">
                            <input type="checkbox" id=input_id.clone() name="values[]" value=v checked=checked />
                            <label for=input_id>{t(&format!("ogp.{v}"))}</label>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            {(!milestone_notes.is_empty()).then(|| view! {
                <div class="source-notes">
                    <h3>{t("commitment.milestone_notes")}</h3>
                    <ul>
                        {milestone_notes.into_iter().map(|n| view! {
                            <li>
                                {n.body.clone()}" "
                                <button type="submit" name="insert" value=format!("milestone:{}", n.id) class="secondary">
                                    {t("commitment.add_as_milestone")}
                                </button>
                            </li>
                        }).collect_view()}
                    </ul>
                </div>
            })}
            <TextField name="change_note" label="commitment.change_note" hint="commitment.change_note_hint" error />
            <button type="submit">{t("commitment.save")}</button>
        </ActionForm>
        <MilestoneEditor id base milestones milestone remove />
    }
    .into_any()
}

/// Board 2's notes beside the field they feed, each insertable with one button
/// (which also saves what was typed, as a new version).
#[component]
fn SourceNotes(field: SheetField, sources: Vec<SourceNote>) -> impl IntoView {
    let locale = use_locale();
    let label = t(field.label);
    let heading = locale.tf(
        "commitment.notes_for",
        &[("field", &label), ("column", &sources[0].column_title)],
    );
    view! {
        <div class="source-notes">
            <h3>{heading}</h3>
            <ul>
                {sources.into_iter().map(|n| view! {
                    <li>
                        {n.body.clone()}" "
                        <button type="submit" name="insert" value=format!("{}:{}", field.name, n.id) class="secondary"
                            aria-label=locale.tf("commitment.insert_into", &[("field", &label)])>
                            {t("commitment.insert")}
                        </button>
                    </li>
                }).collect_view()}
            </ul>
        </div>
    }
}

/// Milestones: each changed or removed with its own small form, and a new one.
#[component]
fn MilestoneEditor(
    id: i64,
    base: i64,
    milestones: Vec<Milestone>,
    milestone: ServerAction<SaveMilestone>,
    remove: ServerAction<RemoveMilestone>,
) -> impl IntoView {
    let error = action_error(milestone);
    let remove_error = action_error(remove);
    view! {
        <section class="milestone-editor" aria-labelledby="milestones-h">
            <h2 id="milestones-h">{t("sheet.milestones")}</h2>
            <FormMessage error />
            <FormMessage error=remove_error />
            {milestones.into_iter().map(|m| {
                let prefix = format!("{}-", m.key);
                let key = m.key.clone();
                view! {
                    <details class="milestone">
                        <summary>{m.title.clone()}</summary>
                        <ActionForm action=milestone>
                            <input type="hidden" name="id" value=id />
                            <input type="hidden" name="base_version" value=base />
                            <input type="hidden" name="key" value=m.key.clone() />
                            <MilestoneFields m=m.clone() prefix=prefix.clone() error />
                            <button type="submit">{t("milestone.save")}</button>
                        </ActionForm>
                        <ActionForm action=remove attr:class="inline-form">
                            <input type="hidden" name="id" value=id />
                            <input type="hidden" name="base_version" value=base />
                            <input type="hidden" name="key" value=key />
                            <button type="submit" class="secondary">{t("milestone.remove")}</button>
                        </ActionForm>
                    </details>
                }
            }).collect_view()}
            <h3>{t("milestone.new")}</h3>
            <ActionForm action=milestone>
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="base_version" value=base />
                <input type="hidden" name="key" value="" />
                <MilestoneFields m=Milestone::default() prefix="new-".to_string() error />
                <button type="submit">{t("milestone.add")}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn MilestoneFields(
    m: Milestone,
    prefix: String,
    error: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    view! {
        <TextField name="title" label="milestone.title" value=m.title required=true error id_prefix=prefix.clone() />
        <TextField name="output" label="milestone.output" value=m.output error id_prefix=prefix.clone() />
        <TextField name="starts_on" label="milestone.starts_on" kind="date" value=m.starts_on error id_prefix=prefix.clone() />
        <TextField name="ends_on" label="milestone.ends_on" kind="date" value=m.ends_on error id_prefix=prefix.clone() />
        <TextField name="responsible" label="milestone.responsible" value=m.responsible error id_prefix=prefix />
    }
}

#[component]
pub fn VersionsPage() -> impl IntoView {
    let id = path_id("id");
    let from = query_number("from", 0);
    let to = query_number("to", 0);
    let comparison = Resource::new(
        move || (id(), from(), to()),
        |(id, from, to)| compare_versions(id, from, to),
    );
    view! {
        <Transition fallback=|| view! { <p>{t("status.loading")}</p> }>
            {move || Suspend::new(async move {
                match comparison.await {
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                    Ok(c) => view! { <ComparisonView c /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ComparisonView(c: Comparison) -> impl IntoView {
    let locale = use_locale();
    let heading = locale.tf("commitment.versions_of", &[("code", &c.code)]);
    let option = |v: &VersionInfo, selected: i64| {
        let label = locale.tf(
            "commitment.version",
            &[("number", &locale.number(v.number))],
        );
        view! { <option value=v.number selected=v.number == selected>{label}</option> }
    };
    let compared = locale.tf(
        "commitment.compared",
        &[
            ("from", &locale.number(c.from.number)),
            ("to", &locale.number(c.to.number)),
        ],
    );
    view! {
        <PageTitle text=heading.clone() />
        <p><a href=format!("/commitments/{}", c.id)>{format!("{} · {}", c.code, c.title)}</a></p>
        <h1>{heading}</h1>
        <form method="get" class="inline-form compare-form">
            <label for="compare-from">{t("commitment.from")}</label>
            <select id="compare-from" name="from">{c.versions.iter().map(|v| option(v, c.from.number)).collect_view()}</select>
            <label for="compare-to">{t("commitment.to")}</label>
            <select id="compare-to" name="to">{c.versions.iter().map(|v| option(v, c.to.number)).collect_view()}</select>
            <button type="submit">{t("commitment.compare")}</button>
        </form>
        <h2>{compared}</h2>
        {c.fields.is_empty().then(|| view! { <p>{t("commitment.no_changes")}</p> })}
        {c.fields.iter().map(|f| view! {
            <section class="field-diff">
                <h3>{t(&f.key)}{f.name.clone().map(|n| format!(": {n}"))}</h3>
                <p class="prose diff">
                    {f.changes.iter().map(|ch| match ch {
                        Change::Same(s) => view! { <span>{s.clone()}</span> }.into_any(),
                        Change::Removed(s) => view! { <del>{s.clone()}</del> }.into_any(),
                        Change::Added(s) => view! { <ins>{s.clone()}</ins> }.into_any(),
                    }).collect_view()}
                </p>
            </section>
        }).collect_view()}
        <h2>{t("commitment.history")}</h2>
        <table class="versions">
            <thead><tr>
                <th scope="col">{t("commitment.version_number")}</th>
                <th scope="col">{t("commitment.saved_by")}</th>
                <th scope="col">{t("commitment.saved_at")}</th>
                <th scope="col">{t("commitment.change_note")}</th>
            </tr></thead>
            <tbody>
                {c.versions.iter().map(|v| view! {
                    <tr>
                        <td>{locale.number(v.number)}</td>
                        <td>{v.author.clone().unwrap_or_default()}</td>
                        <td>{v.at.clone()}</td>
                        <td>{v.note.clone()}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
