//! The team's controls on the boards page: phases, the shared countdown,
//! columns and clusters. All are plain forms and buttons (keyboard, no drag);
//! the forms stay mounted and only their buttons are disabled, see `vote_pages`.
use super::facilitation_api::*;
use super::model::*;
use crate::i18n::{t, use_locale};
use crate::ui::*;
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct FacilitationActions {
    pub phase: ServerAction<RoundtablePhase>,
    pub timer: ServerAction<BoardTimer>,
    pub add_column: ServerAction<AddColumn>,
    pub rename_column: ServerAction<RenameColumn>,
    pub remove_column: ServerAction<RemoveColumn>,
    pub add_cluster: ServerAction<AddCluster>,
    pub group: ServerAction<GroupNote>,
}

impl FacilitationActions {
    pub fn new() -> Self {
        FacilitationActions {
            phase: form_action(),
            timer: form_action(),
            add_column: form_action(),
            rename_column: form_action(),
            remove_column: form_action(),
            add_cluster: form_action(),
            group: form_action(),
        }
    }

    /// Changes whenever one of them completes, to read the boards again.
    pub fn version(&self) -> usize {
        self.phase.version().get()
            + self.timer.version().get()
            + self.add_column.version().get()
            + self.rename_column.version().get()
            + self.remove_column.version().get()
            + self.add_cluster.version().get()
            + self.group.version().get()
    }

    /// The latest refusal of any of them.
    pub fn errors(&self) -> impl IntoView {
        let a = *self;
        view! {
            <FormMessage error=action_error(a.phase) />
            <FormMessage error=action_error(a.timer) />
            <FormMessage error=action_error(a.add_column) />
            <FormMessage error=action_error(a.rename_column) />
            <FormMessage error=action_error(a.remove_column) />
            <FormMessage error=action_error(a.add_cluster) />
            <FormMessage error=action_error(a.group) />
        }
    }
}

impl Default for FacilitationActions {
    fn default() -> Self {
        Self::new()
    }
}

/// Where the roundtable is, and for the team the button to move it on.
#[component]
pub fn PhaseBar(
    roundtable_id: i64,
    phase: Phase,
    can_facilitate: bool,
    actions: FacilitationActions,
) -> impl IntoView {
    let locale = use_locale();
    let next = phase.next();
    view! {
        <nav class="phases" aria-label=t("phase.title")>
            <ol>
                {Phase::ALL.into_iter().map(|p| {
                    let current = p == phase;
                    view! { <li class:current=current aria-current=current.then_some("step")>{t(&p.label_key())}</li> }
                }).collect_view()}
            </ol>
        </nav>
        {can_facilitate.then(|| view! {
            <ActionForm action=actions.phase attr:class="inline-form">
                <input type="hidden" name="roundtable_id" value=roundtable_id />
                <input type="hidden" name="phase" value=next.unwrap_or(phase).as_str() />
                <button type="submit" disabled=next.is_none()>
                    {next.map(|n| locale.tf("phase.move_to", &[("phase", &t(&n.label_key()))])).unwrap_or_else(|| t("phase.over"))}
                </button>
            </ActionForm>
        })}
    }
}

/// "m:ss" for a number of seconds.
fn clock(seconds: i64) -> String {
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

/// The shared countdown: the seconds left when the boards were read, counted
/// down in the browser; read again on every change, so all screens agree.
#[component]
pub fn Countdown(
    roundtable_id: i64,
    left: Option<i64>,
    can_facilitate: bool,
    actions: FacilitationActions,
) -> impl IntoView {
    let remaining = RwSignal::new(left.unwrap_or(0));
    #[cfg(feature = "hydrate")]
    if left.is_some() {
        if let Ok(handle) = set_interval_with_handle(
            move || remaining.update(|s| *s = (*s - 1).max(0)),
            std::time::Duration::from_secs(1),
        ) {
            on_cleanup(move || handle.clear());
        }
    }
    view! {
        <section class="countdown" aria-labelledby="countdown-h">
            <h2 id="countdown-h" class="visually-hidden">{t("timer.title")}</h2>
            {match left {
                Some(_) => view! {
                    <p>
                        {t("timer.left")}" "
                        <strong role="timer">{move || clock(remaining.get())}</strong>
                    </p>
                    <p role="status">{move || (remaining.get() == 0).then(|| t("timer.done"))}</p>
                }.into_any(),
                None => view! { <p>{t("timer.none")}</p> }.into_any(),
            }}
            {can_facilitate.then(|| view! {
                <ActionForm action=actions.timer attr:class="inline-form">
                    <input type="hidden" name="roundtable_id" value=roundtable_id />
                    <label for="timer-minutes">{t("timer.minutes")}</label>
                    <input id="timer-minutes" name="minutes" type="number" min="1" max=TIMER_MAX_MINUTES required value="5" />
                    <button type="submit">{t("timer.start")}</button>
                </ActionForm>
                <ActionForm action=actions.timer attr:class="inline-form">
                    <input type="hidden" name="roundtable_id" value=roundtable_id />
                    <input type="hidden" name="stop" value="1" />
                    <button type="submit" class="secondary" disabled=left.is_none()>{t("timer.stop")}</button>
                </ActionForm>
            })}
        </section>
    }
}

/// Renaming or removing a column (team).
#[component]
pub fn ColumnEditor(c: Column, actions: FacilitationActions) -> impl IntoView {
    let field = format!("column-title-{}", c.id);
    view! {
        <details class="column-editor">
            <summary>{t("board.edit_column")}</summary>
            <ActionForm action=actions.rename_column>
                <input type="hidden" name="column_id" value=c.id />
                <label for=field.clone()>{t("board.column_title")}</label>
                <input id=field name="title" required maxlength=COLUMN_MAX value=c.title.clone() />
                <button type="submit">{t("action.save")}</button>
            </ActionForm>
            <ActionForm action=actions.remove_column attr:class="inline-form">
                <input type="hidden" name="column_id" value=c.id />
                <button type="submit" class="secondary">{t("board.remove_column")}</button>
            </ActionForm>
        </details>
    }
}

/// Adding a column and creating clusters on a board (team).
#[component]
pub fn BoardTools(b: Board, actions: FacilitationActions) -> impl IntoView {
    let column_field = format!("new-column-{}", b.id);
    let cluster_field = format!("new-cluster-{}", b.id);
    view! {
        <details class="board-tools">
            <summary>{t("board.tools")}</summary>
            <ActionForm action=actions.add_column>
                <input type="hidden" name="board_id" value=b.id />
                <label for=column_field.clone()>{t("board.new_column")}</label>
                <input id=column_field name="title" required maxlength=COLUMN_MAX />
                <button type="submit">{t("board.add_column")}</button>
            </ActionForm>
            <ActionForm action=actions.add_cluster>
                <input type="hidden" name="board_id" value=b.id />
                <label for=cluster_field.clone()>{t("board.new_cluster")}</label>
                <input id=cluster_field name="label" required maxlength=CLUSTER_MAX />
                <button type="submit">{t("board.add_cluster")}</button>
            </ActionForm>
        </details>
    }
}

/// The clusters of a board with how many notes each holds.
#[component]
pub fn ClusterList(b: Board) -> impl IntoView {
    let locale = use_locale();
    (!b.clusters.is_empty()).then(|| {
        let heading = format!("clusters-{}-h", b.id);
        let labelled = heading.clone();
        view! {
            <section class="clusters" aria-labelledby=labelled>
                <h3 id=heading>{t("board.clusters")}</h3>
                <ul>
                    {b.clusters.iter().map(|c| {
                        let n = b.notes.iter().filter(|n| n.cluster_id == Some(c.id)).count() as i64;
                        view! { <li>{c.label.clone()}" · "{locale.plural("board.cluster_notes", n)}</li> }
                    }).collect_view()}
                </ul>
            </section>
        }
    })
}

/// The cluster a note is in, if any, as a badge.
pub fn cluster_label(clusters: &[Cluster], note: &Note) -> Option<String> {
    let id = note.cluster_id?;
    clusters
        .iter()
        .find(|c| c.id == id)
        .map(|c| c.label.clone())
}

/// Putting a note in a cluster (team), by a list and a button.
#[component]
pub fn GroupForm(
    note: Note,
    clusters: Vec<Cluster>,
    actions: FacilitationActions,
) -> impl IntoView {
    let field = format!("group-{}", note.id);
    let current = note.cluster_id.map(|c| c.to_string()).unwrap_or_default();
    view! {
        <ActionForm action=actions.group attr:class="inline-form group-form">
            <input type="hidden" name="note_id" value=note.id />
            <label for=field.clone()>{t("board.cluster")}</label>
            <select id=field name="cluster_id">
                <option value="" selected=current.is_empty()>{t("board.no_cluster")}</option>
                {clusters.into_iter().map(|c| {
                    let selected = current == c.id.to_string();
                    view! { <option value=c.id selected=selected>{c.label}</option> }
                }).collect_view()}
            </select>
            <button type="submit" class="secondary">{t("board.group")}</button>
        </ActionForm>
    }
}
