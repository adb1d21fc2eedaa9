//! (ssr) Counts kept for a moment. A list's total at city scale means reading
//! every matching index entry; hundreds of people reading the same list need it
//! once every `FRESH`, not once each. Writes through this instance forget them
//! at once (a new proposal shows in its author's next total); another
//! instance's writes as soon as its announcement arrives (the server's
//! fan-out), and within `FRESH` should one be lost.
use super::db::Arg;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a count is used.
const FRESH: Duration = Duration::from_secs(2);
/// At most this many different counts are kept (searches make new ones).
const KEPT: usize = 1000;

#[derive(Default)]
pub struct Counts {
    generation: AtomicU64,
    kept: Mutex<HashMap<String, Kept>>,
}

struct Kept {
    generation: u64,
    at: Instant,
    n: i64,
}

/// What a count is known by: its SQL and its arguments.
pub fn key(sql: &str, args: &[Arg]) -> String {
    let mut key = sql.to_string();
    for arg in args {
        match arg {
            Arg::Int(v) => key.push_str(&format!("\u{1f}i{v}")),
            Arg::Text(v) => key.push_str(&format!("\u{1f}t{v}")),
        }
    }
    key
}

impl Counts {
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    pub fn get(&self, key: &str) -> Option<i64> {
        let kept = self.kept.lock().ok()?;
        let k = kept.get(key)?;
        (k.generation == self.generation() && k.at.elapsed() < FRESH).then_some(k.n)
    }

    /// Keeps `n`, counted when the generation was `generation` (a write since
    /// then makes it stale at once).
    pub fn put(&self, key: String, generation: u64, n: i64) {
        let Ok(mut kept) = self.kept.lock() else {
            return;
        };
        if kept.len() >= KEPT {
            kept.retain(|_, k| k.at.elapsed() < FRESH);
            if kept.len() >= KEPT {
                kept.clear();
            }
        }
        kept.insert(
            key,
            Kept {
                generation,
                at: Instant::now(),
                n,
            },
        );
    }

    pub fn touch(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_count_is_kept_until_a_write_or_its_time() {
        let counts = Counts::default();
        let key = key("SELECT COUNT(*)", &[Arg::Int(1), Arg::Text("a".into())]);
        assert_ne!(
            key,
            super::key("SELECT COUNT(*)", &[Arg::Int(1), Arg::Text("b".into())])
        );
        assert_eq!(counts.get(&key), None);
        counts.put(key.clone(), counts.generation(), 7);
        assert_eq!(counts.get(&key), Some(7));
        // A count taken before a write is not kept past it.
        let before = counts.generation();
        counts.touch();
        counts.put(key.clone(), before, 8);
        assert_eq!(counts.get(&key), None);
        for i in 0..KEPT + 5 {
            counts.put(format!("k{i}"), counts.generation(), 1);
        }
        assert!(counts.kept.lock().unwrap().len() <= KEPT);
    }
}
