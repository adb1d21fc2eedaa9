//! The comments section shown under a subject: threads, replies and the forms.
use super::api::{list_comments, PostComment};
use super::model::*;
use crate::i18n::{t, use_locale};
use crate::ui::*;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// A subject's comments and the actions that add to them, made by the page
/// component itself (never inside a `Transition`'s content): the server renders
/// such content more than once, and a resource made there would take another
/// number on the server than in the browser, which fails hydration.
#[derive(Clone, Copy)]
pub struct Comments {
    kind: SubjectKind,
    threads: Resource<Result<crate::paging::Page<Thread>, crate::error::AppError>>,
    post: ServerAction<PostComment>,
    reply: ServerAction<PostComment>,
}

impl Comments {
    pub fn new(kind: SubjectKind, subject_id: impl Fn() -> i64 + Send + Sync + 'static) -> Self {
        let query = use_query_map();
        let page = move || {
            query
                .read()
                .get("comments_page")
                .and_then(|p| p.parse().ok())
                .unwrap_or(1i64)
        };
        let post = form_action::<PostComment>();
        let reply = form_action::<PostComment>();
        let threads = Resource::new(
            move || {
                (
                    subject_id(),
                    page(),
                    post.version().get(),
                    reply.version().get(),
                )
            },
            move |(subject_id, page, _, _)| {
                list_comments(kind.as_str().to_string(), subject_id, page)
            },
        );
        Comments {
            kind,
            threads,
            post,
            reply,
        }
    }
}

#[component]
pub fn CommentsSection(
    comments: Comments,
    subject_id: i64,
    open: bool,
    signed_in: bool,
) -> impl IntoView {
    let Comments {
        kind,
        threads,
        post,
        reply,
    } = comments;
    let report = form_action::<crate::moderation::api::ReportContent>();
    let report_error = action_error(report);
    let reported =
        crate::moderation::pages::reported(report, crate::moderation::model::TargetKind::Comment);
    let post_error = action_error(post);
    let reply_error = action_error(reply);
    view! {
        <section class="comments" aria-labelledby="comments-title">
            <h2 id="comments-title">{t("comments.title")}</h2>
            {match (open, signed_in) {
                (false, _) => view! { <p>{t("comment.closed")}</p> }.into_any(),
                (true, false) => view! { <p><a href="/login">{t("comments.sign_in")}</a></p> }.into_any(),
                (true, true) => view! {
                    <FormMessage error=post_error />
                    <ActionForm action=post>
                        <input type="hidden" name="kind" value=kind.as_str() />
                        <input type="hidden" name="subject_id" value=subject_id />
                        <TextArea name="body" label="comments.new" required=true rows=3 error=post_error />
                        <NameConsent id="new-comment" />
                        <button type="submit">{t("comments.publish")}</button>
                    </ActionForm>
                }.into_any(),
            }}
            <FormMessage error=reply_error />
            <FormMessage error=report_error />
            <Notice show=reported key="report.done" />
            <Transition fallback=|| view! { <p>{t("status.loading")}</p> }>
                {move || Suspend::new(async move {
                    match threads.await {
                        Err(e) => view! { <PageError error=e /> }.into_any(),
                        Ok(p) if p.items.is_empty() => view! { <p>{t("comments.none")}</p> }.into_any(),
                        Ok(p) => {
                            let can_reply = open && signed_in;
                            view! {
                                <ol class="threads">
                                    {p.items.clone().into_iter().map(|thread| view! {
                                        <li>
                                            {thread.comments.into_iter().map(|c| view! {
                                                <CommentView c kind subject_id can_reply reply report />
                                            }).collect_view()}
                                        </li>
                                    }).collect_view()}
                                </ol>
                                <Pager page=p href=move |n| format!("?comments_page={n}#comments-title") />
                            }.into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

/// "Show my name with the comment" (off by default).
#[component]
pub fn NameConsent(id: &'static str) -> impl IntoView {
    let input_id = format!("{id}-show-name");
    view! {
        <div class="field field-check">
            <input type="checkbox" id=input_id.clone() name="show_name" value="on" />
            <label for=input_id>{t("comments.show_name")}</label>
        </div>
    }
}

#[component]
fn CommentView(
    c: Comment,
    kind: SubjectKind,
    subject_id: i64,
    can_reply: bool,
    reply: ServerAction<PostComment>,
    report: ServerAction<crate::moderation::api::ReportContent>,
) -> impl IntoView {
    // Signed-in people (those who may reply) may report what is shown.
    let reportable = can_reply && !c.hidden;
    let replyable = can_reply && !c.hidden && c.depth < MAX_DEPTH;
    let prefix = format!("c{}-", c.id);
    view! {
        <article class=format!("comment depth-{}", c.depth) id=format!("comment-{}", c.id)>
            <CommentBody c=c.clone() />
            {reportable.then(|| view! {
                <crate::moderation::pages::ReportForm kind=crate::moderation::model::TargetKind::Comment id=c.id action=report />
            })}
            {replyable.then(|| view! {
                <details>
                    <summary>{t("comments.reply")}</summary>
                    <ActionForm action=reply>
                        <input type="hidden" name="kind" value=kind.as_str() />
                        <input type="hidden" name="subject_id" value=subject_id />
                        <input type="hidden" name="parent_id" value=c.id />
                        <TextArea name="body" label="comments.your_reply" required=true rows=2 error=Signal::derive(|| None) id_prefix=prefix />
                        <button type="submit">{t("comments.publish_reply")}</button>
                    </ActionForm>
                </details>
            })}
        </article>
    }
}

/// A comment's author (or "a resident"), date and text; a placeholder once
/// moderation hid it.
#[component]
pub fn CommentBody(c: Comment) -> impl IntoView {
    if c.hidden {
        return view! { <p class="hidden-note">{t("comments.hidden")}</p> }.into_any();
    }
    let locale = use_locale();
    let author = c
        .author_name
        .clone()
        .unwrap_or_else(|| t("proposal.by_resident"));
    view! {
        <p class="meta">{author}" · "{locale.date(&c.on)}</p>
        <p class="prose">{c.body.clone()}</p>
    }
    .into_any()
}
