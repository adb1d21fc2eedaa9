//! The record on a roundtable's page once it is over (attendance, both boards
//! read-only, the vote, exports) and the team's attendance form.
use super::api::RoundtableAttendance;
use super::model::*;
use crate::boards::model::Board;
use crate::i18n::{t, use_locale};
use crate::ui::*;
use leptos::prelude::*;

#[component]
pub fn RecordSection(id: i64, r: RoundtableRecord) -> impl IntoView {
    let locale = use_locale();
    let attendance = locale.tf(
        "export.attendance",
        &[
            ("attended", &locale.number(r.attended)),
            ("registered", &locale.number(r.registered)),
        ],
    );
    view! {
        <section class="record" aria-labelledby="record-h">
            <h2 id="record-h">{t("record.title")}</h2>
            <p>{attendance}</p>
            <p>
                {t("record.export")}" "
                <a href=format!("/roundtables/{id}/record.csv") download="mesa.csv">"CSV"</a>" · "
                <a href=format!("/roundtables/{id}/record.json") download="mesa.json">"JSON"</a>" · "
                <a href=format!("/roundtables/{id}/record.md") download="mesa.md">"Markdown"</a>
            </p>
            <h3>{t("vote.title")}</h3>
            {r.chosen_topic.clone().map(|topic| view! { <p><strong>{locale.tf("vote.chosen", &[("topic", &topic)])}</strong></p> })}
            {r.vote.is_empty().then(|| view! { <p>{t("record.no_vote")}</p> })}
            <ul>
                {r.vote.iter().map(|(label, dots)| {
                    let dots = dots.map(|n| locale.plural("vote.dots", n));
                    view! { <li>{label.clone()}{dots.map(|d| view! { ": "<strong>{d}</strong> })}</li> }
                }).collect_view()}
            </ul>
            {r.boards.into_iter().map(|b| view! { <BoardRecord b /> }).collect_view()}
        </section>
    }
    .into_any()
}

/// One board as it was left, read-only.
#[component]
fn BoardRecord(b: Board) -> impl IntoView {
    view! {
        <h3>{t(&format!("board.number.{}", b.number))}</h3>
        {b.columns.iter().map(|c| {
            let notes: Vec<_> = b.notes.iter().filter(|n| n.column_id == c.id).cloned().collect();
            let clusters = b.clusters.clone();
            view! {
                <h4>{c.title.clone()}</h4>
                {notes.is_empty().then(|| view! { <p class="hint">{t("export.no_notes")}</p> })}
                <ul class="record-notes">
                    {notes.into_iter().map(|n| {
                        let cluster = crate::boards::facilitation_pages::cluster_label(&clusters, &n);
                        view! {
                            <li>
                                {n.body.clone()}
                                {cluster.map(|c| view! { " " <span class="badge">{c}</span> })}
                                {n.author.clone().map(|a| view! { " — " <span class="meta">{a}</span> })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }
        }).collect_view()}
    }
    .into_any()
}

/// The team ticks who attended among the registered people.
#[component]
pub fn AttendanceForm(
    id: i64,
    people: Vec<Attendee>,
    action: ServerAction<RoundtableAttendance>,
) -> impl IntoView {
    let checked: Vec<i64> = people
        .iter()
        .filter(|p| p.attended)
        .map(|p| p.user_id)
        .collect();
    let items: Vec<(i64, String)> = people.into_iter().map(|p| (p.user_id, p.name)).collect();
    let error = action_error(action);
    view! {
        <section class="attendance" aria-labelledby="attendance-h">
            <h2 id="attendance-h">{t("record.attendance")}</h2>
            <Notice show=action_done(action) key="record.attendance_saved" />
            <FormMessage error />
            {items.is_empty().then(|| view! { <p>{t("record.nobody_registered")}</p> })}
            <ActionForm action>
                <input type="hidden" name="id" value=id />
                <CheckList name="attended[]" legend="record.attended" items checked error />
                <button type="submit">{t("record.save_attendance")}</button>
            </ActionForm>
        </section>
    }
    .into_any()
}
