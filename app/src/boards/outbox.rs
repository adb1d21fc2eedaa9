//! Notes and dots made on a phone whose connection dropped: the page keeps them
//! (shown as waiting), in order, and sends them when the connection returns —
//! on the browser's `online` event and every few seconds while any wait. Each
//! carries a key of its own, so that one sent again after an answer was lost
//! is done once (see `store::first_receipt`). Without JavaScript the same forms
//! post as plain forms.
use super::api::{add_note, cast_dot};
use crate::error::AppError;
use leptos::prelude::*;

/// A write the page has still to get through.
#[derive(Clone, Debug, PartialEq)]
pub enum Write {
    Note { column_id: i64, body: String },
    Dot { option_id: i64, remove: bool },
}

#[derive(Clone, Debug, PartialEq)]
struct Waiting {
    key: String,
    write: Write,
}

/// The page's writes on their way, and what came of them.
#[derive(Clone, Copy)]
pub struct Outbox {
    waiting: RwSignal<Vec<Waiting>>,
    /// Bumped when a note got through (the boards are read again).
    pub notes_sent: RwSignal<u32>,
    /// Bumped when a dot got through (the vote is read again).
    pub dots_sent: RwSignal<u32>,
    /// The last write the server refused (it is not sent again).
    pub refused: RwSignal<Option<AppError>>,
    /// Whether the last try could not get through.
    stalled: RwSignal<bool>,
    sending: StoredValue<bool>,
}

impl Outbox {
    pub fn new() -> Self {
        let outbox = Outbox {
            waiting: RwSignal::new(Vec::new()),
            notes_sent: RwSignal::new(0),
            dots_sent: RwSignal::new(0),
            refused: RwSignal::new(None),
            stalled: RwSignal::new(false),
            sending: StoredValue::new(false),
        };
        #[cfg(feature = "hydrate")]
        {
            let online = window_event_listener(leptos::ev::online, move |_| outbox.send());
            let retry =
                set_interval_with_handle(move || outbox.send(), std::time::Duration::from_secs(5))
                    .ok();
            on_cleanup(move || {
                online.remove();
                if let Some(retry) = retry {
                    retry.clear();
                }
            });
        }
        outbox
    }

    /// Keeps `write` and tries to send it (and anything waiting before it).
    pub fn push(self, write: Write) {
        self.refused.set(None);
        self.waiting.update(|w| {
            w.push(Waiting {
                key: new_key(),
                write,
            })
        });
        self.send();
    }

    /// How many writes wait for a connection that dropped.
    pub fn stalled_count(self) -> usize {
        if self.stalled.get() {
            self.waiting.with(Vec::len)
        } else {
            0
        }
    }

    /// The texts of the notes waiting for a column, oldest first.
    pub fn notes_for(self, column_id: i64) -> Vec<String> {
        self.waiting.with(|w| {
            w.iter()
                .filter_map(|x| match &x.write {
                    Write::Note { column_id: c, body } if *c == column_id => Some(body.clone()),
                    _ => None,
                })
                .collect()
        })
    }

    /// How many dots (cast or taken back) wait for an option.
    pub fn dots_for(self, option_id: i64) -> usize {
        self.waiting.with(|w| {
            w.iter()
                .filter(|x| matches!(x.write, Write::Dot { option_id: o, .. } if o == option_id))
                .count()
        })
    }

    /// Sends what waits, in order, one at a time; stops at the first that
    /// cannot get through yet.
    fn send(self) {
        if self.sending.get_value() || self.waiting.with_untracked(Vec::is_empty) {
            return;
        }
        self.sending.set_value(true);
        leptos::task::spawn_local(async move {
            while let Some(next) = self.waiting.with_untracked(|w| w.first().cloned()) {
                let result = match &next.write {
                    Write::Note { column_id, body } => {
                        add_note(*column_id, body.clone(), Some(next.key.clone())).await
                    }
                    Write::Dot { option_id, remove } => {
                        cast_dot(
                            *option_id,
                            remove.then(|| "1".into()),
                            Some(next.key.clone()),
                        )
                        .await
                    }
                };
                match result {
                    Err(AppError::Unreachable | AppError::RateLimited) => {
                        self.stalled.set(true);
                        break;
                    }
                    Err(e) => self.refused.set(Some(e)),
                    Ok(()) => match next.write {
                        Write::Note { .. } => self.notes_sent.update(|n| *n += 1),
                        Write::Dot { .. } => self.dots_sent.update(|n| *n += 1),
                    },
                }
                self.stalled.set(false);
                self.waiting.update(|w| w.retain(|x| x.key != next.key));
            }
            self.sending.set_value(false);
        });
    }
}

impl Default for Outbox {
    fn default() -> Self {
        Self::new()
    }
}

/// A key no other write of this person is likely to have.
fn new_key() -> String {
    #[cfg(feature = "hydrate")]
    let (a, b) = (
        (js_sys::Math::random() * 9_007_199_254_740_992.0) as u64,
        js_sys::Date::now() as u64,
    );
    #[cfg(not(feature = "hydrate"))]
    let (a, b) = (0u64, 0u64);
    format!("{a:014x}-{b:x}")
}

/// Says how many writes wait for the connection, while any do.
#[component]
pub fn OutboxStatus(outbox: Outbox) -> impl IntoView {
    let locale = crate::i18n::use_locale();
    view! {
        <div role="status">
            {move || {
                let n = outbox.stalled_count();
                (n > 0).then(|| view! {
                    <p class="message">{locale.plural("board.outbox_waiting", n as i64)}</p>
                })
            }}
        </div>
        <crate::ui::FormMessage error=outbox.refused />
    }
}
