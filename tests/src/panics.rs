//! Panics on the servers' worker threads, kept so that a test can prove none
//! happened: a panic inside a spawned task is otherwise only printed, and the
//! request it belonged to may even have been answered.
use std::sync::{Mutex, Once};

static SEEN: Mutex<Vec<String>> = Mutex::new(Vec::new());
static HOOK: Once = Once::new();

/// Starts keeping them (once per test process; the usual report still prints).
pub fn watch() {
    HOOK.call_once(|| {
        let report = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let on_worker = std::thread::current()
                .name()
                .is_some_and(|n| n.starts_with("tokio-r"));
            if on_worker {
                SEEN.lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(info.to_string());
            }
            report(info)
        }));
    });
}

/// How many were kept so far (a mark for `since`).
pub fn count() -> usize {
    SEEN.lock().unwrap_or_else(|e| e.into_inner()).len()
}

/// Those kept after `mark`.
pub fn since(mark: usize) -> Vec<String> {
    SEEN.lock().unwrap_or_else(|e| e.into_inner())[mark..].to_vec()
}
