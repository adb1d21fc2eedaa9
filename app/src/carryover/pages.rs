//! The team's carry-over page: pick an earlier process, filter its proposals
//! not taken up (verdict, axis, unanswered), tick them and bring them into this
//! process under one of its axes. Filters are a plain GET form; carrying is a
//! POST form: both work without JavaScript.
use super::api::*;
use super::model::*;
use crate::feasibility::model::Verdict;
use crate::i18n::{t, use_locale};
use crate::ui::*;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn CarryOverPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let carry = form_action::<CarryProposalsOver>();
    let data = Resource::new(
        move || {
            let q = query.read();
            (
                params.read().get("slug").unwrap_or_default(),
                q.get("from"),
                q.get("verdict"),
                q.get("axis"),
                q.get("unanswered"),
                q.get("page").and_then(|p| p.parse::<i64>().ok()),
                carry.version().get(),
            )
        },
        |(slug, from, verdict, axis, unanswered, page, _)| {
            carry_over_candidates(slug, from, verdict, axis, unanswered, page)
        },
    );
    view! {
        <Transition fallback=|| view! { <p>{t("status.loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                    Ok(c) => view! { <CarryOverView c carry /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn CarryOverView(c: CarryOver, carry: ServerAction<CarryProposalsOver>) -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let q = |k: &str| query.read_untracked().get(k).unwrap_or_default();
    let none = Signal::derive(|| None);
    let error = action_error(carry);
    let carried = Signal::derive(move || carry.value().get().and_then(Result::ok));
    let slug = c.process_slug.clone();
    let mut sources = vec![(String::new(), t("carryover.choose_process"))];
    sources.extend(c.sources.clone());
    let mut verdicts = vec![(String::new(), t("carryover.any_verdict"))];
    verdicts.extend(choices(&Verdict::ALL, Verdict::as_str, |v| v.label_key()));
    let from_axes = c.from.as_ref().map(|(_, axes)| {
        let mut v = vec![(String::new(), t("proposals.all_axes"))];
        v.extend(axes.iter().map(|(id, n)| (id.to_string(), n.clone())));
        v
    });
    let axes: Vec<(String, String)> = c
        .axes
        .iter()
        .map(|(id, n)| (id.to_string(), n.clone()))
        .collect();
    let total = c.candidates.total;
    let filters = (q("verdict"), q("axis"), q("unanswered"));
    view! {
        <PageTitle text=t("carryover.title") />
        <p><a href=format!("/processes/{slug}")>{c.process_title.clone()}</a></p>
        <h1>{t("carryover.title")}</h1>
        <p>{t("carryover.intro")}</p>
        <form method="get" action=format!("/processes/{slug}/carry-over") class="filters" role="search" aria-label=t("carryover.filters")>
            <SelectField name="from" label="carryover.from" error=none options=sources value=q("from") />
            {from_axes.map(|axes| view! { <SelectField name="axis" label="field.axis" error=none options=axes value=q("axis") /> })}
            <SelectField name="verdict" label="carryover.verdict" error=none options=verdicts value=q("verdict") />
            <CheckField name="unanswered" error=none>{t("carryover.unanswered")}</CheckField>
            <button type="submit">{t("carryover.show")}</button>
        </form>
        {move || carried.get().map(|n| view! {
            <p class="message message-ok" role="status">{locale.tf("carryover.done", &[("count", &locale.number(n as i64))])}</p>
        })}
        <FormMessage error />
        {c.from.clone().map(|(from, _)| {
            let slug = slug.clone();
            let filters = filters.clone();
            let hidden_from = from.clone();
            let items: Vec<(i64, String)> = c.candidates.items.iter().map(|p| {
                let verdicts = p.verdicts.iter().map(|(agency, v)| format!("{agency}: {}", t(&v.label_key()))).collect::<Vec<_>>().join("; ");
                let answer = if verdicts.is_empty() { t("carryover.no_answer") } else { verdicts };
                (p.id, format!("{} · {} · {}", p.title, p.axis, answer))
            }).collect();
            view! {
                <section aria-labelledby="candidates-h">
                    <h2 id="candidates-h">{locale.tf("carryover.candidates", &[("count", &locale.number(total))])}</h2>
                    {if items.is_empty() {
                        view! { <p>{t("carryover.no_candidates")}</p> }.into_any()
                    } else {
                        view! {
                            <ActionForm action=carry>
                                <input type="hidden" name="slug" value=c.process_slug.clone() />
                                <input type="hidden" name="from" value=hidden_from />
                                <CheckList name="proposal_ids[]" legend="carryover.choose" items error />
                                <SelectField name="axis_id" label="carryover.axis" error options=axes.clone() />
                                <button type="submit">{t("carryover.carry")}</button>
                            </ActionForm>
                        }.into_any()
                    }}
                    <Pager page=c.candidates.clone() href=move |n| format!(
                        "/processes/{slug}/carry-over?from={}&verdict={}&axis={}&unanswered={}&page={n}",
                        urlencode(&from), urlencode(&filters.0), urlencode(&filters.1), urlencode(&filters.2)
                    ) />
                </section>
            }
        })}
    }
}
