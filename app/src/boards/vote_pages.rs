//! The topic vote on the boards page: opening it (team), dots by keyboard-usable
//! buttons, results live or at close, and the chosen topic.
use super::api::*;
use super::model::*;
use crate::i18n::{t, use_locale};
use crate::ui::*;
use leptos::prelude::*;

#[component]
pub fn VoteSection(roundtable_id: i64, pushed: super::pages::Pushed) -> impl IntoView {
    let open = ServerAction::<OpenVote>::new();
    let dot = ServerAction::<CastDot>::new();
    let close = ServerAction::<CloseVote>::new();
    // Before the vote opens, the team's form offers board 1's clusters and notes:
    // only then does a change on the boards mean reading the vote again.
    let offers_board = RwSignal::new(false);
    let vote = Resource::new(
        move || {
            (
                pushed.vote.get(),
                offers_board.get().then(|| pushed.board.get()),
                open.version().get(),
                dot.version().get(),
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
                {move || Suspend::new(async move {
                    match vote.await {
                        Err(e) => view! { <FormMessage error=Signal::derive(move || Some(e.clone())) /> }.into_any(),
                        Ok(v) => {
                            let offers = v.can_manage && v.vote.is_none();
                            if offers_board.get_untracked() != offers {
                                offers_board.set(offers);
                            }
                            view! { <VoteBody v roundtable_id open open_error dot close /> }.into_any()
                        }
                    }
                })}
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
    dot: ServerAction<CastDot>,
    close: ServerAction<CloseVote>,
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
            <p role="status">{locale.tf("vote.left", &[("count", &locale.number(vote.left))])}</p>
        })}
        {(!vote.closed && !vote.show_live).then(|| view! { <p class="hint">{t("vote.hidden_results")}</p> })}
        <ul class="vote-options">
            {vote.options.clone().into_iter().map(|o| {
                let dots = o.dots.map(|n| locale.tf("vote.dots", &[("count", &locale.number(n))]));
                let mine = (o.mine > 0).then(|| locale.tf("vote.mine", &[("count", &locale.number(o.mine))]));
                let label = o.label.clone();
                view! {
                    <li>
                        <span class="vote-label">{o.label.clone()}</span>
                        {dots.map(|d| view! { " · "<strong>{d}</strong> })}
                        {mine.map(|m| view! { " · "{m} })}
                        {can_vote.then(|| view! {
                            <ActionForm action=dot attr:class="inline-form">
                                <input type="hidden" name="option_id" value=o.id />
                                <button type="submit" disabled=!(open_now && vote.left > 0) aria-label=format!("{}: {}", t("vote.cast"), label)>{t("vote.cast")}</button>
                            </ActionForm>
                            <ActionForm action=dot attr:class="inline-form">
                                <input type="hidden" name="option_id" value=o.id />
                                <input type="hidden" name="remove" value="1" />
                                <button type="submit" class="secondary" disabled=!(open_now && o.mine > 0) aria-label=format!("{}: {}", t("vote.take_back"), o.label)>{t("vote.take_back")}</button>
                            </ActionForm>
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
