//! The topic vote on the boards page: opening it (team), dots by keyboard-usable
//! buttons, results live or at close, and the chosen topic.
use super::api::*;
use super::model::*;
use super::outbox::{Outbox, Write};
use crate::i18n::{t, use_locale};
use crate::ui::*;
use leptos::prelude::*;

#[component]
pub fn VoteSection(
    roundtable_id: i64,
    pushed: super::pages::Pushed,
    outbox: Outbox,
) -> impl IntoView {
    let open = form_action::<OpenVote>();
    // Only for a plain form post's refusal: with JavaScript dots go through the outbox.
    let dot = form_action::<CastDot>();
    let close = form_action::<CloseVote>();
    // Before the vote opens, the team's form offers board 1's clusters and notes:
    // only then does a change on the boards mean reading the vote again.
    let offers_board = RwSignal::new(false);
    let vote = Resource::new(
        move || {
            (
                pushed.vote.get(),
                offers_board.get().then(|| pushed.board.get()),
                open.version().get(),
                outbox.dots_sent.get(),
                close.version().get(),
            )
        },
        move |_| get_vote(roundtable_id),
    );
    let open_error = action_error(open);
    view! {
        <section class="vote" aria-labelledby="vote-h">
            <h2 id="vote-h">{t("vote.title")}</h2>
            <FormMessage error=action_error(dot) />
            <FormMessage error=action_error(close) />
            <Transition fallback=|| ()>
                {move || {
                    // The vote pushed live covers an older read.
                    let pushed_vote = pushed.public_vote.get();
                    Suspend::new(async move {
                        match vote.await {
                            Err(e) => view! { <FormMessage error=Signal::derive(move || Some(e.clone())) /> }.into_any(),
                            Ok(v) => {
                                let v = v.with_pushed(pushed_vote.as_ref());
                                let offers = v.can_manage && v.vote.is_none();
                                if offers_board.get_untracked() != offers {
                                    offers_board.set(offers);
                                }
                                view! { <VoteBody v roundtable_id open open_error outbox close tally=pushed.tally /> }.into_any()
                            }
                        }
                    })
                }}
            </Transition>
        </section>
    }
}

#[component]
fn VoteBody(
    v: VoteView,
    roundtable_id: i64,
    open: ServerAction<OpenVote>,
    open_error: Signal<Option<crate::error::AppError>>,
    outbox: Outbox,
    close: ServerAction<CloseVote>,
    tally: RwSignal<Option<(i64, Vec<OptionDots>)>>,
) -> impl IntoView {
    let locale = use_locale();
    let chosen = v
        .chosen_topic
        .clone()
        .map(|topic| view! { <p class="message message-ok" role="status">{locale.tf("vote.chosen", &[("topic", &topic)])}</p> });
    let Some(vote) = v.vote.clone() else {
        return view! {
            <p>{t("vote.none")}</p>
            {v.can_manage.then(|| view! {
                <FormMessage error=open_error />
                <ActionForm action=open>
                    <input type="hidden" name="roundtable_id" value=roundtable_id />
                    {(!v.cluster_choices.is_empty()).then(|| view! {
                        <CheckList name="cluster_ids[]" legend="vote.from_clusters" items=v.cluster_choices.clone() error=open_error />
                    })}
                    {(!v.note_choices.is_empty()).then(|| view! {
                        <CheckList name="note_ids[]" legend="vote.from_notes" items=v.note_choices.clone() error=open_error />
                    })}
                    <TextArea name="options" label="vote.options" hint="vote.options_hint" error=open_error />
                    <TextField name="per_person" label="vote.per_person" kind="number" required=true value="3" error=open_error />
                    <div class="field field-check">
                        <input type="checkbox" id="f-show_live" name="show_live" value="on" />
                        <label for="f-show_live">{t("vote.show_live")}</label>
                    </div>
                    <button type="submit">{t("vote.open")}</button>
                </ActionForm>
            })}
        }
        .into_any();
    };
    // The forms stay in place and only their buttons are disabled: removing a
    // hydrated form while the view is rebuilt trips an unmount error in the
    // browser (the same one seen with the account menu).
    let can_vote = v.can_vote;
    let open_now = !vote.closed;
    view! {
        {chosen}
        {(!vote.closed && v.can_vote).then(|| view! {
            <p role="status">{locale.plural("vote.left", vote.left)}</p>
        })}
        {(!vote.closed && !vote.show_live).then(|| view! { <p class="hint">{t("vote.hidden_results")}</p> })}
        <ul class="vote-options">
            {vote.options.clone().into_iter().map(|o| {
                let dots = {
                    let (vote, o) = (vote.clone(), o.clone());
                    move || tally.with(|t| vote.dots_of(&o, t.as_ref()))
                        .map(|n| view! { " · "<strong>{locale.plural("vote.dots", n)}</strong> })
                };
                let mine = (o.mine > 0).then(|| locale.plural("vote.mine", o.mine));
                let label = o.label.clone();
                let option_id = o.id;
                view! {
                    <li>
                        <span class="vote-label">{o.label.clone()}</span>
                        {dots}
                        {mine.map(|m| view! { " · "{m} })}
                        {move || {
                            let n = outbox.dots_for(option_id);
                            (n > 0).then(|| view! { " · "<span class="badge">{locale.tf("vote.waiting", &[("count", &locale.number(n as i64))])}</span> })
                        }}
                        {can_vote.then(|| view! {
                            <DotForm option_id remove=false outbox disabled=!(open_now && vote.left > 0) label=format!("{}: {}", t("vote.cast"), label) />
                            <DotForm option_id remove=true outbox disabled=!(open_now && o.mine > 0) label=format!("{}: {}", t("vote.take_back"), o.label) />
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
        {v.can_manage.then(|| view! {
            <ActionForm action=close attr:class="inline-form">
                <input type="hidden" name="roundtable_id" value=roundtable_id />
                <button type="submit" disabled=vote.closed>{t("vote.close")}</button>
            </ActionForm>
        })}
    }
    .into_any()
}

/// A dot cast on (or taken back from) an option: with JavaScript through the
/// page's outbox (kept while the connection is down); without, a plain form post.
#[component]
fn DotForm(
    option_id: i64,
    remove: bool,
    outbox: Outbox,
    disabled: bool,
    label: String,
) -> impl IntoView {
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        outbox.push(Write::Dot { option_id, remove });
    };
    let url = <CastDot as leptos::server_fn::ServerFn>::url();
    view! {
        <form method="post" action=url class="inline-form" on:submit=submit>
            <input type="hidden" name="option_id" value=option_id />
            {remove.then(|| view! { <input type="hidden" name="remove" value="1" /> })}
            <button type="submit" class:secondary=remove disabled=disabled aria-label=label>
                {t(if remove { "vote.take_back" } else { "vote.cast" })}
            </button>
        </form>
    }
}
