//! The boards page of a roundtable: both boards, a column at a time in reading
//! order, with a plain form per column to add a note (works without JavaScript).
use super::api::*;
use super::facilitation_pages::*;
use super::model::*;
use super::outbox::{Outbox, OutboxStatus, Write};
use crate::error::AppError;
use crate::i18n::t;
use crate::ui::*;
use leptos::prelude::*;

#[component]
pub fn BoardPage() -> impl IntoView {
    let id = path_id("id")();
    // Only those who may write (signed in) download the island: a visitor's
    // board is plain HTML kept current by a small script (`live_page.js`).
    // Known at once from the request: an island inside a `Suspense` would be
    // written without the marks its hydration needs.
    #[cfg(feature = "ssr")]
    let signed_in = crate::ctx::user().is_some();
    #[cfg(not(feature = "ssr"))]
    let signed_in = false;
    if signed_in {
        view! { <LiveBoards id /><IslandScripts /> }.into_any()
    } else {
        view! { <VisitorBoards id /> }.into_any()
    }
}

/// Both boards and the topic vote, kept current by the live stream: the part
/// of the page that runs in the browser.
#[island]
fn LiveBoards(id: i64) -> impl IntoView {
    island_context();
    boards_and_vote(id)
}

/// A visitor's boards: the same view, read only, written by the server; the
/// script reads the page again when the live stream tells of a change and puts
/// in place what changed (`#live-board`).
#[component]
fn VisitorBoards(id: i64) -> impl IntoView {
    let assets = use_context::<crate::Assets>().unwrap_or_default();
    let script = format!("/pkg/{}", assets.live);
    let stream = format!("/roundtables/{id}/live");
    view! {
        <div id="live-board" data-live=stream>{boards_and_vote(id)}</div>
        <script type="module" src=script nonce=leptos::nonce::use_nonce()></script>
    }
}

/// The boards and the vote, in the island or the visitor's page.
fn boards_and_vote(id: i64) -> impl IntoView {
    let id = move || id;
    let add = form_action::<AddNote>();
    let edit = form_action::<EditNote>();
    let delete = form_action::<DeleteNote>();
    let control = form_action::<BoardControl>();
    let hide = form_action::<HideNote>();
    let run = FacilitationActions::new();
    let outbox = Outbox::new();
    // Bumped by the live stream whenever someone changes the boards or the vote.
    let pushed = Pushed::new();
    follow_live(id, pushed);
    let snapshot = Resource::new(
        move || {
            (
                id(),
                pushed.board.get(),
                outbox.notes_sent.get(),
                edit.version().get(),
                delete.version().get(),
                control.version().get(),
                hide.version().get(),
                run.version(),
            )
        },
        |(id, ..)| get_board(id),
    );
    apply_live_notes(snapshot, pushed);
    let actions = BoardActions {
        outbox,
        edit,
        delete,
        control,
        hide,
        run,
    };
    view! {
        {run.errors()}
        <OutboxStatus outbox />
        // Without JavaScript a note is a plain form post, its refusal shown here.
        <FormMessage error=action_error(add) />
        <FormMessage error=action_error(edit) />
        <FormMessage error=action_error(delete) />
        <FormMessage error=action_error(control) />
        <FormMessage error=action_error(hide) />
        <Transition fallback=|| view! { <p>{t("status.loading")}</p> }>
            {move || Suspend::new(async move {
                match snapshot.await {
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                    Ok(s) => view! { <Boards s actions /> }.into_any(),
                }
            })}
        </Transition>
        // Outside the boards' transition, so it is not rebuilt on every change.
        <super::vote_pages::VoteSection roundtable_id=id() pushed outbox />
    }
}

/// In the browser: follows the roundtable's live stream (see `live_client`).
fn follow_live(id: impl Fn() -> i64 + Send + Sync + 'static, pushed: Pushed) {
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| super::live_client::follow(id(), pushed));
    #[cfg(not(feature = "hydrate"))]
    let _ = (id, pushed);
}

/// What the live stream tells the page: changes to apply as they are (notes,
/// phase, countdown, controls, columns, clusters), and counters to read the
/// boards or the topic vote again on.
#[derive(Clone, Copy)]
pub struct Pushed {
    pub notes: RwSignal<Vec<Sequenced>>,
    pub board: RwSignal<u32>,
    pub vote: RwSignal<u32>,
    /// The latest live tally of the vote, with its event number.
    pub tally: RwSignal<Option<(i64, Vec<OptionDots>)>>,
    /// The vote as it last opened or closed, as everyone sees it.
    pub public_vote: RwSignal<Option<PublicVote>>,
}

impl Pushed {
    fn new() -> Self {
        Pushed {
            notes: RwSignal::new(Vec::new()),
            board: RwSignal::new(0),
            vote: RwSignal::new(0),
            tally: RwSignal::new(None),
            public_vote: RwSignal::new(None),
        }
    }
}

/// How many applied notes are kept to apply again over a board read meanwhile.
const RECENT_NOTES: usize = 500;

/// Applies the notes pushed live to the boards as last read (the view then
/// updates in place, keeping what is being typed); for the team (who also see
/// hidden notes, which a removal does not tell apart) and for any change a
/// snapshot cannot take, reads the boards again instead. A read that was on its
/// way while notes were applied may arrive older than them: they are applied
/// again over it (`Snapshot::apply` skips what it already has).
fn apply_live_notes(snapshot: Resource<Result<Snapshot, AppError>>, pushed: Pushed) {
    let recent = StoredValue::new(Vec::<Sequenced>::new());
    Effect::new(move |_| {
        pushed.notes.track();
        let mut changes = Vec::new();
        pushed.notes.update_untracked(|q| changes.append(q));
        if changes.is_empty() {
            return;
        }
        let applies = snapshot
            .with_untracked(|v| matches!(v, Some(Ok(s)) if !s.can_facilitate))
            .then(|| {
                let mut applied = true;
                snapshot.update(|v| {
                    if let Some(Ok(s)) = v {
                        applied = changes.iter().all(|c| s.apply(c));
                    }
                });
                applied
            });
        if applies == Some(true) {
            recent.update_value(|r| {
                r.extend(changes);
                let extra = r.len().saturating_sub(RECENT_NOTES);
                r.drain(..extra);
            });
        } else {
            pushed.board.update(|n| *n += 1);
        }
    });
    Effect::new(move |_| {
        let behind = snapshot.with(|v| match v {
            Some(Ok(s)) => recent.with_value(|r| r.iter().any(|c| c.seq > s.seq)),
            _ => false,
        });
        if behind {
            snapshot.update(|v| {
                if let Some(Ok(s)) = v {
                    recent.with_value(|r| {
                        r.iter().for_each(|c| {
                            s.apply(c);
                        })
                    });
                }
            });
        }
    });
}

#[derive(Clone, Copy)]
struct BoardActions {
    outbox: Outbox,
    edit: ServerAction<EditNote>,
    delete: ServerAction<DeleteNote>,
    control: ServerAction<BoardControl>,
    hide: ServerAction<HideNote>,
    run: FacilitationActions,
}

/// A button that turns one of a board's controls on or off.
#[component]
fn ControlButton(
    board_id: i64,
    control: &'static str,
    on: bool,
    label: &'static str,
    actions: BoardActions,
) -> impl IntoView {
    view! {
        <ActionForm action=actions.control attr:class="inline-form">
            <input type="hidden" name="board_id" value=board_id />
            <input type="hidden" name="control" value=control />
            {on.then(|| view! { <input type="hidden" name="on" value="1" /> })}
            <button type="submit" class="secondary">{t(label)}</button>
        </ActionForm>
    }
}

#[component]
fn Boards(s: Snapshot, actions: BoardActions) -> impl IntoView {
    let title = crate::i18n::use_locale().tf("board.title", &[("title", &s.title)]);
    let id = s.roundtable_id;
    view! {
        <PageTitle text=title.clone() />
        <p><a href=format!("/roundtables/{id}")>{s.title.clone()}</a></p>
        <h1>{title}</h1>
        <PhaseBar roundtable_id=id phase=s.phase can_facilitate=s.can_facilitate actions=actions.run />
        <Countdown roundtable_id=id left=s.timer_left can_facilitate=s.can_facilitate actions=actions.run />
        {s.boards.clone().into_iter().map(|b| view! {
            <BoardView b can_write=s.can_write can_facilitate=s.can_facilitate actions />
        }).collect_view()}
    }
}

#[component]
fn BoardView(
    b: Board,
    can_write: bool,
    can_facilitate: bool,
    actions: BoardActions,
) -> impl IntoView {
    let heading = format!("board-{}-h", b.id);
    let labelled = heading.clone();
    let writable = can_write && !b.locked;
    view! {
        <section class="board" aria-labelledby=labelled>
            <h2 id=heading>{t(&format!("board.number.{}", b.number))}</h2>
            {b.locked.then(|| view! { <p class="message" role="status">{t("board.locked")}</p> })}
            {b.private_writing.then(|| view! { <p class="message" role="status">{t("board.private_writing_on")}</p> })}
            {b.anonymous.then(|| view! { <p class="message" role="status">{t("board.anonymous_on")}</p> })}
            {can_facilitate.then(|| view! {
                <div class="board-controls">
                    <ControlButton board_id=b.id control="locked" on=!b.locked label=if b.locked { "board.unlock" } else { "board.lock" } actions />
                    <ControlButton board_id=b.id control="private_writing" on=!b.private_writing label=if b.private_writing { "board.reveal" } else { "board.private_writing" } actions />
                    <ControlButton board_id=b.id control="anonymous" on=!b.anonymous label=if b.anonymous { "board.named" } else { "board.anonymous" } actions />
                </div>
                <BoardTools b=b.clone() actions=actions.run />
            })}
            <ClusterList b=b.clone() />
            <div class="board-columns">
                {b.columns.clone().into_iter().map(|c| {
                    let notes: Vec<Note> = b.notes.iter().filter(|n| n.column_id == c.id).cloned().collect();
                    view! { <ColumnView c notes clusters=b.clusters.clone() writable can_facilitate actions /> }
                }).collect_view()}
            </div>
        </section>
    }
    .into_any()
}

#[component]
fn ColumnView(
    c: Column,
    notes: Vec<Note>,
    clusters: Vec<Cluster>,
    writable: bool,
    can_facilitate: bool,
    actions: BoardActions,
) -> impl IntoView {
    let heading = format!("column-{}-h", c.id);
    let labelled = heading.clone();
    let column_id = c.id;
    view! {
        <section class="board-column" aria-labelledby=labelled>
            <h3 id=heading>{c.title.clone()}</h3>
            {can_facilitate.then(|| view! { <ColumnEditor c=c.clone() actions=actions.run /> })}
            <ul class="notes" aria-live="polite">
                {notes.into_iter().map(|n| view! { <NoteView n clusters=clusters.clone() writable can_facilitate actions /> }).collect_view()}
                {move || actions.outbox.notes_for(column_id).into_iter().map(|body| view! {
                    <li class="note mine waiting">
                        <p class="prose">{body}</p>
                        <p class="meta"><span class="badge">{t("board.note_waiting")}</span></p>
                    </li>
                }).collect_view()}
            </ul>
            {writable.then(|| view! { <NoteForm column_id=c.id outbox=actions.outbox /> })}
        </section>
    }
    .into_any()
}

#[component]
fn NoteView(
    n: Note,
    clusters: Vec<Cluster>,
    writable: bool,
    can_facilitate: bool,
    actions: BoardActions,
) -> impl IntoView {
    let field = format!("edit-{}", n.id);
    let cluster = cluster_label(&clusters, &n);
    let own = writable && n.mine && !n.hidden;
    view! {
        <li class="note" class:mine=n.mine>
            <p class="prose">{n.body.clone()}</p>
            {n.author.clone().map(|a| view! { <p class="meta">{a}</p> })}
            {n.private.then(|| view! { <p class="meta"><span class="badge">{t("board.note_private")}</span></p> })}
            {n.hidden.then(|| view! { <p class="meta"><span class="badge">{t("board.note_hidden")}</span></p> })}
            {cluster.map(|c| view! { <p class="meta"><span class="badge">{t("board.cluster")}": "{c}</span></p> })}
            {(can_facilitate && !clusters.is_empty()).then(|| view! { <GroupForm note=n.clone() clusters=clusters.clone() actions=actions.run /> })}
            {(can_facilitate && !n.hidden).then(|| view! {
                <ActionForm action=actions.hide attr:class="inline-form">
                    <input type="hidden" name="note_id" value=n.id />
                    <button type="submit" class="link-button">{t("board.hide")}</button>
                </ActionForm>
            })}
            {own.then(|| view! {
                <details>
                    <summary>{t("board.edit")}</summary>
                    <ActionForm action=actions.edit>
                        <input type="hidden" name="note_id" value=n.id />
                        <label for=field.clone()>{t("board.note_text")}</label>
                        <textarea id=field name="body" rows="2" required maxlength="1000">{n.body.clone()}</textarea>
                        <button type="submit">{t("action.save")}</button>
                    </ActionForm>
                </details>
                <ActionForm action=actions.delete attr:class="inline-form">
                    <input type="hidden" name="note_id" value=n.id />
                    <button type="submit" class="link-button">{t("board.delete")}</button>
                </ActionForm>
            })}
        </li>
    }
    .into_any()
}

/// A new note for a column: with JavaScript it goes through the page's outbox
/// (kept while the connection is down); without, it is a plain form post.
#[component]
fn NoteForm(column_id: i64, outbox: Outbox) -> impl IntoView {
    let field = format!("note-{column_id}");
    let body = NodeRef::<leptos::html::Textarea>::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        let Some(area) = body.get() else {
            return;
        };
        ev.prevent_default();
        let text = area.value();
        area.set_value("");
        outbox.push(Write::Note {
            column_id,
            body: text,
        });
    };
    let url = <AddNote as leptos::server_fn::ServerFn>::url();
    view! {
        <form method="post" action=url class="note-form" on:submit=submit>
            <input type="hidden" name="column_id" value=column_id />
            <label for=field.clone()>{t("board.new_note")}</label>
            <textarea id=field name="body" rows="2" required maxlength="1000" node_ref=body></textarea>
            <button type="submit">{t("board.add")}</button>
        </form>
    }
}
