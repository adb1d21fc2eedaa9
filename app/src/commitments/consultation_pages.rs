//! The consultation on the sheet's page (period, tally, a comment link beside
//! each field and milestone, the team's publishing forms) and the comments page:
//! comment on a field or milestone, read every comment with the version it was
//! made on and the team's reasoned response, and (team) answer each. All forms
//! work without JavaScript.
use super::consultation_api::*;
use super::model::*;
use crate::comments::api::PostComment;
use crate::i18n::{t, use_locale};
use crate::moderation::{api::ReportContent, model::TargetKind, pages::ReportForm};
use crate::ui::*;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// "Open for comment from … to …" (or not yet open, or closed).
#[component]
fn PeriodLine(period: Option<Period>) -> impl IntoView {
    let locale = use_locale();
    period.map(|p| {
        let key = match p.status {
            PeriodStatus::NotYetOpen => "consultation.not_yet_open",
            PeriodStatus::Open => "consultation.open",
            PeriodStatus::Closed => "consultation.closed",
        };
        let text = locale.tf(
            key,
            &[
                ("from", &locale.date(&p.opens_on)),
                ("to", &locale.date(&p.closes_on)),
                ("version", &locale.number(p.version)),
            ],
        );
        view! { <p class="period"><strong>{text}</strong></p> }
    })
}

/// How many comments were received and how each was answered.
#[component]
fn TallyView(tally: Tally) -> impl IntoView {
    let locale = use_locale();
    let received = locale.tf(
        "consultation.received",
        &[("count", &locale.number(tally.received))],
    );
    view! {
        <p>{received}</p>
        {(tally.received > 0).then(|| view! {
            <ul class="tally">
                {tally.answered.iter().map(|(o, n)| view! {
                    <li>{t(&o.label_key())}": "{locale.number(*n)}</li>
                }).collect_view()}
                <li>{t("consultation.unanswered")}": "{locale.number(tally.unanswered)}</li>
            </ul>
        })}
    }
}

/// The consultation's state on the sheet page, with the way to the comments.
#[component]
pub fn ConsultationSummary(id: i64, c: Consultation) -> impl IntoView {
    let locale = use_locale();
    let published = c.final_publication.clone().map(|f| {
        let text = locale.tf(
            "consultation.final_published",
            &[
                ("date", &locale.date(&f.on)),
                ("version", &locale.number(f.version)),
            ],
        );
        let unanswered = (f.unanswered > 0).then(|| {
            locale.tf(
                "consultation.final_unanswered",
                &[("count", &locale.number(f.unanswered))],
            )
        });
        view! { <p><strong>{text}</strong></p>{unanswered.map(|u| view! { <p>{u}</p> })} }
    });
    let shown = c.period.is_some() || c.final_publication.is_some();
    shown.then(|| {
        view! {
            <section class="consultation" aria-labelledby="consultation-h">
                <h2 id="consultation-h">{t("consultation.title")}</h2>
                <PeriodLine period=c.period.clone() />
                {published}
                <TallyView tally=c.tally.clone() />
                <p><a href=format!("/commitments/{id}/comments") class="button-link">{t(if c.can_comment { "consultation.read_and_comment" } else { "consultation.read" })}</a></p>
            </section>
        }
    })
}

/// Beside a field or milestone (`place`, named for screen readers): how many
/// comments it has, and a link to comment on it while the period is open.
#[component]
pub fn CommentLink(
    id: i64,
    anchor: String,
    place: String,
    count: i64,
    can_comment: bool,
) -> impl IntoView {
    let locale = use_locale();
    let href = format!("/commitments/{id}/comments?anchor={}", urlencode(&anchor));
    let key = if can_comment {
        "consultation.comment_here"
    } else {
        "consultation.comments_here"
    };
    let label = locale.tf(key, &[("count", &locale.number(count))]);
    (can_comment || count > 0).then(|| {
        view! {
            <p class="comment-link">
                <a href=href>{label}<span class="visually-hidden">{format!(" — {place}")}</span></a>
            </p>
        }
    })
}

/// The team's forms: publish a version for comment (or change its dates), and
/// publish the final sheet.
#[component]
pub fn TeamConsultation(
    d: CommitmentDetail,
    publish: ServerAction<PublishForComment>,
    finish: ServerAction<PublishFinal>,
) -> impl IntoView {
    let locale = use_locale();
    let publish_error = action_error(publish);
    let finish_error = action_error(finish);
    let publishes = locale.tf(
        "consultation.publishes_current",
        &[("version", &locale.number(d.version))],
    );
    let period = d.consultation.period.clone();
    let unanswered = d.consultation.tally.unanswered;
    let in_comment = d.state == SheetState::Comment;
    let confirm = locale.tf(
        "consultation.confirm_unanswered",
        &[("count", &locale.number(unanswered))],
    );
    view! {
        <section class="team-consultation" aria-labelledby="team-consultation-h">
            <h2 id="team-consultation-h">{t("consultation.team")}</h2>
            <h3>{t(if in_comment { "consultation.change_period" } else { "consultation.publish" })}</h3>
            <Notice show=action_done(publish) key="consultation.published" />
            <FormMessage error=publish_error />
            <ActionForm action=publish>
                <input type="hidden" name="id" value=d.id />
                <p>{publishes}</p>
                <TextField name="opens_on" label="consultation.opens_on" kind="date" required=true value=period.as_ref().map(|p| p.opens_on.clone()).unwrap_or_default() error=publish_error />
                <TextField name="closes_on" label="consultation.closes_on" kind="date" required=true value=period.as_ref().map(|p| p.closes_on.clone()).unwrap_or_default() error=publish_error />
                <button type="submit">{t(if in_comment { "consultation.save_period" } else { "consultation.publish_button" })}</button>
            </ActionForm>
            {in_comment.then(|| view! {
                <h3>{t("consultation.finish")}</h3>
                <p>{t("consultation.finish_hint")}</p>
                <FormMessage error=finish_error />
                <ActionForm action=finish>
                    <input type="hidden" name="id" value=d.id />
                    {(unanswered > 0).then(|| view! {
                        <div class="field field-check">
                            <input type="checkbox" id="confirm-unanswered" name="confirm_unanswered" value="on" />
                            <label for="confirm-unanswered">{confirm.clone()}</label>
                        </div>
                    })}
                    <button type="submit">{t("consultation.finish_button")}</button>
                </ActionForm>
            })}
        </section>
    }
}

#[component]
pub fn SheetCommentsPage() -> impl IntoView {
    let id = path_id("id");
    let query = use_query_map();
    let anchor = move || query.read().get("anchor").filter(|a| !a.is_empty());
    let page = page_param();
    let post = form_action::<PostComment>();
    let respond = form_action::<RespondToComment>();
    let report = form_action::<ReportContent>();
    let actions = Actions {
        post,
        respond,
        report,
    };
    let comments = Resource::new(
        move || {
            (
                id(),
                anchor(),
                page(),
                post.version().get(),
                respond.version().get(),
            )
        },
        |(id, anchor, page, ..)| list_sheet_comments(id, anchor, page),
    );
    view! {
        <Transition fallback=|| view! { <p>{t("status.loading")}</p> }>
            {move || Suspend::new(async move {
                match comments.await {
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                    Ok(c) => view! { <CommentsView c actions /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// What a comment is about, as shown to readers.
fn place(c: &SheetComment) -> String {
    let locale = use_locale();
    match (&c.field_label, &c.milestone) {
        (Some(label), _) => t(label),
        (None, Some(title)) if c.removed => {
            locale.tf("consultation.removed_milestone", &[("title", title)])
        }
        (None, Some(title)) => locale.tf("consultation.milestone", &[("title", title)]),
        _ => String::new(),
    }
}

/// The comments page's forms: comment, respond (team), report (signed in).
#[derive(Clone, Copy)]
struct Actions {
    post: ServerAction<PostComment>,
    respond: ServerAction<RespondToComment>,
    report: ServerAction<ReportContent>,
}

#[component]
fn CommentsView(c: SheetComments, actions: Actions) -> impl IntoView {
    let Actions {
        post,
        respond,
        report,
    } = actions;
    let locale = use_locale();
    let heading = locale.tf("consultation.comments_on", &[("code", &c.code)]);
    let post_error = action_error(post);
    let respond_error = action_error(respond);
    let anchor_options: Vec<(String, String)> = c
        .anchors
        .iter()
        .map(|(a, label, milestone)| {
            let text = if *milestone {
                locale.tf("consultation.milestone", &[("title", label)])
            } else {
                t(label)
            };
            (a.clone(), text)
        })
        .collect();
    let chosen = c.anchor.clone().unwrap_or_default();
    let (form_options, form_chosen) = (anchor_options.clone(), chosen.clone());
    let id = c.id;
    let period_open = c
        .consultation
        .period
        .as_ref()
        .is_some_and(|p| p.status == PeriodStatus::Open);
    let filter_href = move |n: i64| {
        let anchor = c
            .anchor
            .as_deref()
            .map(|a| format!("anchor={}&", urlencode(a)))
            .unwrap_or_default();
        format!("?{anchor}page={n}")
    };
    let total = locale.tf(
        "consultation.shown",
        &[("count", &locale.number(c.page.total))],
    );
    view! {
        <PageTitle text=heading.clone() />
        <p><a href=format!("/commitments/{id}")>{format!("{} · {}", c.code, c.title)}</a></p>
        <h1>{heading}</h1>
        <PeriodLine period=c.consultation.period.clone() />
        <TallyView tally=c.consultation.tally.clone() />
        {if c.consultation.can_comment {
            view! {
                <section class="new-sheet-comment" aria-labelledby="new-comment-h">
                    <h2 id="new-comment-h">{t("consultation.new")}</h2>
                    <p>{locale.tf("consultation.on_version", &[("version", &locale.number(c.version))])}</p>
                    <Notice show=action_done(post) key="consultation.comment_saved" />
                    <FormMessage error=post_error />
                    <ActionForm action=post attr:id="new-comment">
                        <input type="hidden" name="kind" value="commitment" />
                        <input type="hidden" name="subject_id" value=id />
                        <SelectField name="anchor" label="consultation.about" options=form_options value=form_chosen error=post_error />
                        <TextArea name="body" label="consultation.your_comment" required=true rows=4 error=post_error />
                        <crate::comments::pages::NameConsent id="sheet-comment" />
                        <button type="submit">{t("consultation.publish_comment")}</button>
                    </ActionForm>
                </section>
            }.into_any()
        } else if period_open && !c.signed_in {
            view! { <p><a href="/login">{t("consultation.sign_in")}</a></p> }.into_any()
        } else {
            ().into_any()
        }}
        <h2>{t("consultation.list")}</h2>
        <form method="get" class="filter-form">
            <label for="filter-anchor">{t("consultation.filter")}</label>
            <select id="filter-anchor" name="anchor">
                <option value="" selected=chosen.is_empty()>{t("consultation.all")}</option>
                {anchor_options.iter().map(|(a, text)| view! {
                    <option value=a.clone() selected=*a == chosen>{text.clone()}</option>
                }).collect_view()}
            </select>
            <button type="submit" class="secondary">{t("consultation.filter_button")}</button>
        </form>
        <p>{total}</p>
        <Notice show=action_done(respond) key="response.saved" />
        // Errors that name a comment are shown at its form instead.
        <FormMessage error=Signal::derive(move || respond_error.get().filter(|e| e.echoed("comment_id").is_none())) />
        <Notice show=action_done(report) key="report.done" />
        <FormMessage error=action_error(report) />
        {c.page.items.is_empty().then(|| view! { <p>{t("consultation.none")}</p> })}
        <ol class="sheet-comments">
            {c.page.items.iter().map(|sc| view! {
                <li><SheetCommentView sc=sc.clone() id can_respond=c.can_respond can_report=c.signed_in versions=c.versions.clone() respond report /></li>
            }).collect_view()}
        </ol>
        <Pager page=c.page.clone() href=filter_href />
    }
    .into_any()
}

#[component]
fn SheetCommentView(
    sc: SheetComment,
    id: i64,
    can_respond: bool,
    can_report: bool,
    versions: Vec<i64>,
    respond: ServerAction<RespondToComment>,
    report: ServerAction<ReportContent>,
) -> impl IntoView {
    let locale = use_locale();
    let c = sc.comment.clone();
    let made_on = locale.tf(
        "consultation.made_on",
        &[("version", &locale.number(c.version.unwrap_or(0)))],
    );
    let about = locale.tf("consultation.about_place", &[("place", &place(&sc))]);
    let response = sc.response.clone();
    let prefix = format!("r{}-", c.id);
    let outcomes = choices(&Outcome::ALL, |o| o.as_str(), |o| o.label_key());
    let version_options: Vec<(String, String)> =
        std::iter::once((String::new(), t("response.no_version")))
            .chain(versions.iter().map(|n| {
                (
                    n.to_string(),
                    locale.tf("commitment.version", &[("number", &locale.number(*n))]),
                )
            }))
            .collect();
    // The last response's error, if it was this comment's (its form echoes the id).
    let mine = {
        let me = c.id.to_string();
        let error = action_error(respond);
        Signal::derive(move || {
            error
                .get()
                .filter(|e| e.echoed("comment_id") == Some(me.as_str()))
        })
    };
    view! {
        <article class="sheet-comment" id=format!("comment-{}", c.id)>
            <p class="meta"><strong>{about}</strong>" · "{made_on}</p>
            {sc.removed.then(|| view! { <p class="removed">{t("consultation.removed_note")}</p> })}
            <crate::comments::pages::CommentBody c=c.clone() />
            {match response.clone() {
                Some(r) => {
                    let incorporated = r.version.map(|v| locale.tf("response.in_version", &[("version", &locale.number(v))]));
                    view! {
                        <div class="response">
                            <p><span class="badge">{t(&r.outcome.label_key())}</span>{incorporated.map(|i| view! { " · "{i} })}" · "{locale.date(&r.on)}</p>
                            <p class="prose">{r.reason.clone()}</p>
                        </div>
                    }.into_any()
                }
                None => view! { <p class="unanswered">{t("response.none_yet")}</p> }.into_any(),
            }}
            {(can_report && !c.hidden).then(|| view! {
                <ReportForm kind=TargetKind::Comment id=c.id action=report />
            })}
            {(can_respond && !c.hidden).then(|| view! {
                <details open=move || mine.get().is_some()>
                    <summary>{t(if response.is_some() { "response.change" } else { "response.give" })}</summary>
                    <FormMessage error=mine />
                    <ActionForm action=respond>
                        <input type="hidden" name="id" value=id />
                        <input type="hidden" name="comment_id" value=c.id />
                        <SelectField name="outcome" label="response.outcome_label" options=outcomes.clone() value=response.as_ref().map(|r| r.outcome.as_str().to_string()).unwrap_or_default() error=mine id_prefix=prefix.clone() />
                        <TextArea name="reason" label="response.reason" required=true rows=3 value=response.as_ref().map(|r| r.reason.clone()).unwrap_or_default() error=mine id_prefix=prefix.clone() />
                        <SelectField name="version" label="response.version" options=version_options.clone() value=response.as_ref().and_then(|r| r.version).map(|v| v.to_string()).unwrap_or_default() error=mine id_prefix=prefix.clone() />
                        <button type="submit">{t("response.save")}</button>
                    </ActionForm>
                </details>
            })}
        </article>
    }
}
