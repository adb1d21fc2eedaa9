//! The co-creation report page: the plan's own questions answered first, then
//! each section with a chart drawn on the server and its table (the text
//! alternative). It reads as a document and prints as one.
use super::api::*;
use super::model::*;
use crate::i18n::{t, use_locale};
use crate::ui::*;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ReportPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let report = Resource::new(slug, cocreation_report);
    view! {
        <Transition fallback=|| view! { <p>{t("status.loading")}</p> }>
            {move || Suspend::new(async move {
                match report.await {
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                    Ok(r) => view! { <ReportView r /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ReportView(r: Report) -> impl IntoView {
    let locale = use_locale();
    let title = locale.tf("cocreation.title", &[("process", &r.process_title)]);
    let base = format!("/processes/{}/report", r.process_slug);
    let n = move |v: i64| locale.number(v);
    let sides = |rows: &[(Side, i64)]| {
        rows.iter()
            .map(|(s, c)| (t(&s.key()), *c))
            .collect::<Vec<_>>()
    };
    let groups = r.groups_by_sector();
    let (slug, process_title) = (r.process_slug.clone(), r.process_title.clone());
    let (group_count, meetings) = (r.groups.len() as i64, r.public_meetings());
    view! {
        <PageTitle text=title.clone() />
        <article class="report">
            <p><a href=format!("/processes/{slug}")>{process_title}</a></p>
            <h1>{title}</h1>
            <p class="meta">{locale.tf("cocreation.computed_on", &[("date", &locale.date(&r.computed_on))])}</p>
            <p class="downloads">
                {t("cocreation.download")}" "
                <a href=format!("{base}.csv") download=format!("{}-informe.csv", r.process_slug)>"CSV"</a>" · "
                <a href=format!("{base}.json") download=format!("{}-informe.json", r.process_slug)>"JSON"</a>" · "
                <a href=format!("{base}.docx") download=format!("{}-informe.docx", r.process_slug)>"DOCX"</a>" · "
                <a href=format!("{base}.pdf") download=format!("{}-informe.pdf", r.process_slug)>"PDF"</a>
            </p>

            <section aria-labelledby="questions-h">
                <h2 id="questions-h">{t("cocreation.questions")}</h2>
                <dl class="figures">
                    <div><dt>{t("cocreation.q.groups")}</dt><dd>{n(group_count)}</dd></div>
                    <div><dt>{t("cocreation.q.meetings")}</dt><dd>{n(meetings)}</dd></div>
                    <div><dt>{t("cocreation.q.people")}</dt><dd>{n(r.people)}</dd></div>
                </dl>
                <h3>{t("cocreation.q.who")}</h3>
                {if groups.is_empty() {
                    view! { <p>{t("cocreation.no_groups")}</p> }.into_any()
                } else {
                    view! { <dl>{groups.into_iter().map(|(sector, gs)| view! {
                        <dt>{t(&sector.label_key())}</dt>
                        <dd>{gs.join(", ")}</dd>
                    }).collect_view()}</dl> }.into_any()
                }}
                <BarChart id="people-side" caption=t("cocreation.people_by_side") rows=sides(&r.people_by_side) />
            </section>

            <section aria-labelledby="proposals-h">
                <h2 id="proposals-h">{t("cocreation.proposals")}</h2>
                <dl class="figures">
                    <div><dt>{t("cocreation.proposals_received")}</dt><dd>{n(r.proposals)}</dd></div>
                    <div><dt>{t("cocreation.proposals_answered")}</dt><dd>{n(r.answered)}</dd></div>
                </dl>
                <BarChart id="by-axis" caption=t("cocreation.by_axis") rows=r.proposals_by_axis.clone() />
                <BarChart id="by-side" caption=t("cocreation.by_side") rows=sides(&r.proposals_by_side) />
            </section>

            <section aria-labelledby="agencies-h">
                <h2 id="agencies-h">{t("cocreation.agencies")}</h2>
                {if r.agencies.is_empty() {
                    view! { <p>{t("cocreation.no_agencies")}</p> }.into_any()
                } else {
                    view! {
                        <div class="table-scroll">
                        <table>
                            <caption>{t("cocreation.agencies_table")}</caption>
                            <thead><tr>
                                <th scope="col">{t("cocreation.agency")}</th>
                                <th scope="col">{t("cocreation.assigned")}</th>
                                {crate::feasibility::model::Verdict::ALL.iter().map(|v| view! { <th scope="col">{t(&v.label_key())}</th> }).collect_view()}
                            </tr></thead>
                            <tbody>{r.agencies.clone().into_iter().map(|a| view! {
                                <tr>
                                    <th scope="row">{a.agency}</th>
                                    <td>{n(a.assigned)}</td>
                                    {a.verdicts.into_iter().map(|(_, c)| view! { <td>{n(c)}</td> }).collect_view()}
                                </tr>
                            }).collect_view()}</tbody>
                        </table>
                        </div>
                    }.into_any()
                }}
            </section>

            <section aria-labelledby="meetings-h">
                <h2 id="meetings-h">{t("cocreation.meetings")}</h2>
                <dl class="figures">
                    <div><dt>{t("cocreation.roundtables_held")}</dt><dd>{n(r.roundtables_held)}</dd></div>
                    <div><dt>{t("cocreation.followup_meetings")}</dt><dd>{n(r.followup_meetings)}</dd></div>
                    <div><dt>{t("cocreation.attendees")}</dt><dd>{n(r.attendees)}</dd></div>
                </dl>
            </section>

            <section aria-labelledby="comments-h">
                <h2 id="comments-h">{t("cocreation.draft_comments")}</h2>
                <dl class="figures">
                    <div><dt>{t("cocreation.comments_received")}</dt><dd>{n(r.draft_comments)}</dd></div>
                    <div><dt>{t("cocreation.unanswered")}</dt><dd>{n(r.draft_comments_unanswered)}</dd></div>
                </dl>
                <BarChart id="outcomes" caption=t("cocreation.outcomes")
                    rows=r.draft_comments_by_outcome.iter().map(|(o, c)| (t(&format!("outcome.{}", o.as_str())), *c)).collect() />
            </section>

            <section aria-labelledby="milestones-h">
                <h2 id="milestones-h">{t("cocreation.milestones")}</h2>
                <dl class="figures">
                    <div><dt>{t("cocreation.commitments_final")}</dt><dd>{n(r.commitments)}</dd></div>
                </dl>
                <BarChart id="milestones" caption=t("cocreation.milestones_by_status")
                    rows=r.milestones_by_status.iter().map(|(p, c)| (t(&p.key()), *c)).collect() />
                <p><a href=format!("/processes/{}/panel", r.process_slug)>{t("panel.open")}</a></p>
            </section>
        </article>
    }
}

/// Horizontal bars drawn on the server, hidden from assistive technology, and
/// the same figures in a table: the chart's text alternative.
#[component]
fn BarChart(id: &'static str, caption: String, rows: Vec<(String, i64)>) -> impl IntoView {
    let locale = use_locale();
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    let (bar, gap, width) = (18i64, 6i64, 300i64);
    let height = rows.len() as i64 * (bar + gap) + gap;
    let bars = rows
        .iter()
        .enumerate()
        .map(|(i, (_, count))| {
            let w = width * count / max;
            view! {
                <rect x="0" y=(gap + i as i64 * (bar + gap)).to_string() width=w.to_string()
                    height=bar.to_string() class="chart-bar" />
            }
        })
        .collect_view();
    view! {
        <figure class="bar-chart" aria-labelledby=format!("{id}-caption")>
            <svg class="chart" aria-hidden="true" focusable="false" viewBox=format!("0 0 {width} {height}")
                width=width.to_string() height=height.to_string()>
                {bars}
            </svg>
            <table>
                <caption id=format!("{id}-caption")>{caption}</caption>
                <tbody>{rows.into_iter().map(|(label, count)| view! {
                    <tr><th scope="row">{label}</th><td>{locale.number(count)}</td></tr>
                }).collect_view()}</tbody>
            </table>
        </figure>
    }
}
