//! (hydrate) Follows a roundtable's live stream. A change to the boards (a note,
//! the phase, the countdown, controls, columns, a cluster) is handed to the page
//! as it came (`pushed.notes`, applied by `Snapshot::apply`, which asks for a read
//! when it cannot take it); a live tally of the vote's dots goes to `pushed.tally`
//! as it came, and so does the vote opening or closing (`pushed.public_vote`,
//! the same for everyone: the page keeps its own dots). Anything the page must
//! read again bumps a counter once for changes that come together: a bump waits
//! `COALESCE` for more. `EventSource` reconnects by itself after
//! an error, sending the last event number it saw; it does not notice a phone's
//! connection that died silently, nor the network coming back. So: the stream is
//! closed when the browser goes offline and reopened when it is back online, and
//! a watchdog reopens it when nothing came for 40 s (the server pings every 15 s).
//! A reopened stream asks for the events `?after=` the last number seen, and the
//! server replays exactly those.
use super::model::{BoardEvent, Sequenced};
use super::pages::Pushed;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use std::time::Duration;
use wasm_bindgen::{closure::Closure, JsCast};

/// Watchdog ticks (5 s each) without any message before the stream is reopened.
const SILENT_TICKS: u32 = 8;
/// How long a change waits for others before the page reads it.
const COALESCE: Duration = Duration::from_millis(120);

struct Follower {
    url: String,
    pushed: Pushed,
    /// Bumps waiting for `COALESCE` to pass: (board, vote).
    pending: Cell<(bool, bool)>,
    last_id: RefCell<Option<String>>,
    silent: Cell<u32>,
    source: RefCell<Option<web_sys::EventSource>>,
    on_message: RefCell<Option<Closure<dyn FnMut(web_sys::MessageEvent)>>>,
}

impl Follower {
    fn close(&self) {
        if let Some(source) = self.source.borrow_mut().take() {
            source.close();
        }
    }

    fn open(&self) {
        self.close();
        self.silent.set(0);
        let url = match &*self.last_id.borrow() {
            Some(id) => format!("{}?after={id}", self.url),
            None => self.url.clone(),
        };
        let Ok(source) = web_sys::EventSource::new(&url) else {
            return;
        };
        if let Some(on_message) = &*self.on_message.borrow() {
            for kind in ["snapshot", "change", "ping"] {
                let _ = source
                    .add_event_listener_with_callback(kind, on_message.as_ref().unchecked_ref());
            }
        }
        *self.source.borrow_mut() = Some(source);
    }

    /// Which parts a message asks to read again: (board, vote). A change to the
    /// boards needs no read: it goes to `pushed.notes` as it is.
    fn parts(&self, e: &web_sys::MessageEvent) -> (bool, bool) {
        match e.type_().as_str() {
            "ping" => (false, false),
            // The first connection: what was read before it may be older.
            "snapshot" => (true, true),
            _ => {
                let data = e.data().as_string().unwrap_or_default();
                match serde_json::from_str::<Sequenced>(&data) {
                    // The vote opened or closed: on screen as it came, the
                    // latest winning (read again if the event is from before
                    // events carried it).
                    Ok(Sequenced {
                        event:
                            BoardEvent::Vote {
                                public: Some(public),
                            },
                        ..
                    }) => {
                        self.pushed.public_vote.update(|v| {
                            if v.as_ref()
                                .is_none_or(|last| last.vote.seq < public.vote.seq)
                            {
                                *v = Some(public);
                            }
                        });
                        (false, false)
                    }
                    Ok(Sequenced {
                        event: BoardEvent::Vote { public: None },
                        ..
                    }) => (false, true),
                    // Dots are put on screen as they come; the latest wins.
                    Ok(Sequenced {
                        seq,
                        event: BoardEvent::Tally { options },
                    }) => {
                        self.pushed.tally.update(|t| {
                            if t.as_ref().is_none_or(|(last, _)| *last < seq) {
                                *t = Some((seq, options));
                            }
                        });
                        (false, false)
                    }
                    // Anything else goes to the page as it came
                    // (`Snapshot::apply`, which asks for a read if it cannot take it).
                    Ok(change) => {
                        self.pushed.notes.update(|q| q.push(change));
                        (false, false)
                    }
                    Err(_) => (true, false),
                }
            }
        }
    }

    fn heard(self: &Rc<Self>, e: &web_sys::MessageEvent) {
        self.silent.set(0);
        let id = e.last_event_id();
        if !id.is_empty() {
            *self.last_id.borrow_mut() = Some(id);
        }
        let (board, vote) = self.parts(e);
        if !board && !vote {
            return;
        }
        let (was_board, was_vote) = self.pending.get();
        self.pending.set((was_board || board, was_vote || vote));
        if was_board || was_vote {
            return; // a read is already on its way
        }
        let weak = Rc::downgrade(self);
        set_timeout(
            move || {
                if let Some(f) = weak.upgrade() {
                    let (board, vote) = f.pending.replace((false, false));
                    if board {
                        f.pushed.board.update(|n| *n += 1);
                    }
                    if vote {
                        f.pushed.vote.update(|n| *n += 1);
                    }
                }
            },
            COALESCE,
        );
    }
}

/// Keeps `follower` up to date with the browser's network and the watchdog.
fn watch(follower: &Rc<Follower>) -> impl FnOnce() {
    let weak: Weak<Follower> = Rc::downgrade(follower);
    let on_message = {
        let weak = weak.clone();
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            if let Some(f) = weak.upgrade() {
                f.heard(&e);
            }
        })
    };
    *follower.on_message.borrow_mut() = Some(on_message);
    let online = {
        let weak = weak.clone();
        Closure::<dyn FnMut()>::new(move || {
            if let Some(f) = weak.upgrade() {
                f.open();
            }
        })
    };
    let offline = {
        let weak = weak.clone();
        Closure::<dyn FnMut()>::new(move || {
            if let Some(f) = weak.upgrade() {
                f.close();
            }
        })
    };
    let window = web_sys::window();
    if let Some(w) = &window {
        let _ = w.add_event_listener_with_callback("online", online.as_ref().unchecked_ref());
        let _ = w.add_event_listener_with_callback("offline", offline.as_ref().unchecked_ref());
    }
    let watchdog = set_interval_with_handle(
        move || {
            if let Some(f) = weak.upgrade() {
                f.silent.set(f.silent.get() + 1);
                if f.silent.get() >= SILENT_TICKS && f.source.borrow().is_some() {
                    f.open();
                }
            }
        },
        Duration::from_secs(5),
    )
    .ok();
    move || {
        if let Some(w) = &window {
            let _ =
                w.remove_event_listener_with_callback("online", online.as_ref().unchecked_ref());
            let _ =
                w.remove_event_listener_with_callback("offline", offline.as_ref().unchecked_ref());
        }
        if let Some(handle) = watchdog {
            handle.clear();
        }
    }
}

/// Follows `/roundtables/{id}/live` while the calling component lives.
pub fn follow(id: i64, pushed: Pushed) {
    let follower = Rc::new(Follower {
        url: format!("/roundtables/{id}/live"),
        pushed,
        pending: Cell::new((false, false)),
        last_id: RefCell::new(None),
        silent: Cell::new(0),
        source: RefCell::new(None),
        on_message: RefCell::new(None),
    });
    let stop = watch(&follower);
    follower.open();
    let held = SendWrapper::new((follower, stop));
    on_cleanup(move || {
        let (follower, stop) = held.take();
        follower.close();
        stop();
    });
}
