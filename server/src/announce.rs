//! The announcement job: sends each announcement of the open call to the
//! contact base, one mail at a time at `per_second`, straight to the mail
//! server (thousands of copies do not go through the outbox). Each person is
//! claimed before their mail is sent, so no one gets an announcement twice,
//! on several instances or across a restart; a stop waits for the mail being
//! sent and leaves the rest for the next start.
use crate::mailer::Mailer;
use app::announcements::store;
use app::ctx::AppState;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::watch;

/// Recipients read at a time.
const BATCH: i64 = 50;
/// How often to look for a new announcement when there is none.
const IDLE: Duration = Duration::from_secs(2);
/// How long to wait after the mail server could not be reached.
const RETRY: Duration = Duration::from_secs(30);

/// The running job; `stop` ends it between two mails.
pub struct Announcer {
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl Announcer {
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        if tokio::time::timeout(Duration::from_secs(20), self.task)
            .await
            .is_err()
        {
            tracing::warn!("announcement job still sending after 20 s: stopped");
        }
    }
}

/// Starts the job; none when `per_second` is 0 (this instance sends none).
pub fn spawn(
    state: AppState,
    mailer: Arc<Mailer>,
    from: String,
    per_second: u32,
) -> Option<Announcer> {
    if per_second == 0 {
        return None;
    }
    let (stop, stopped) = watch::channel(false);
    let gap = Duration::from_secs(1) / per_second;
    let task = tokio::spawn(async move {
        let job = Job {
            state,
            mailer,
            from,
            gap,
            stopped,
        };
        job.run().await
    });
    Some(Announcer { stop, task })
}

struct Job {
    state: AppState,
    mailer: Arc<Mailer>,
    from: String,
    gap: Duration,
    stopped: watch::Receiver<bool>,
}

enum Outcome {
    Sent,
    Skipped,
    /// The mail server is away: wait before trying again.
    Unreachable,
}

impl Job {
    async fn run(mut self) {
        while !self.stopping() {
            let pause = match store::next_batch(&self.state.db, BATCH).await {
                Ok(Some(batch)) => self.send_batch(&batch).await,
                Ok(None) => Some(IDLE),
                Err(e) => {
                    tracing::error!(error = %e, "announcement job failed");
                    Some(RETRY)
                }
            };
            if let Some(pause) = pause {
                self.wait(pause).await;
            }
        }
    }

    fn stopping(&self) -> bool {
        *self.stopped.borrow()
    }

    /// Waits `d`, or less if told to stop.
    async fn wait(&mut self, d: Duration) {
        let _ = tokio::time::timeout(d, self.stopped.wait_for(|stop| *stop)).await;
    }

    /// Sends to the batch's people in turn; returns how long to pause after.
    async fn send_batch(&mut self, batch: &store::Batch) -> Option<Duration> {
        let slug = match app::processes::store::require_id(&self.state, batch.process_id).await {
            Ok(p) => p.slug,
            Err(e) => {
                tracing::error!(error = %e, "announcement of an unknown process");
                return Some(RETRY);
            }
        };
        for to in &batch.recipients {
            if self.stopping() {
                return None;
            }
            let started = Instant::now();
            match self.send_one(batch, &slug, to).await {
                Ok(Outcome::Sent) => self.wait(self.gap.saturating_sub(started.elapsed())).await,
                Ok(Outcome::Skipped) => {}
                Ok(Outcome::Unreachable) => return Some(RETRY),
                Err(e) => {
                    tracing::error!(error = %e, "announcement job failed");
                    return Some(RETRY);
                }
            }
        }
        None
    }

    async fn send_one(
        &self,
        batch: &store::Batch,
        slug: &str,
        to: &store::Recipient,
    ) -> app::error::AppResult<Outcome> {
        let (a, c) = (batch.announcement_id, to.contact_id);
        if !store::claim(&self.state.db, a, c).await? {
            return Ok(Outcome::Skipped);
        }
        let base = &self.state.settings.base_url;
        let (subject, body, leave) = app::announcements::api::letter(base, slug, batch, to);
        let result = self
            .mailer
            .send(&self.from, &to.email, &subject, &body, None, Some(&leave))
            .await;
        match result {
            Ok(()) => {
                store::sent(&self.state.db, a, c).await?;
                Ok(Outcome::Sent)
            }
            Err(e) if refused_for_good(&e) => {
                tracing::warn!(error = %e, contact = c, "announcement refused by the mail server");
                store::failed(&self.state.db, a, c, &e.to_string()).await?;
                Ok(Outcome::Skipped)
            }
            Err(e) => {
                tracing::warn!(error = %e, "mail server unreachable; announcements wait");
                store::release(&self.state.db, a, c).await?;
                Ok(Outcome::Unreachable)
            }
        }
    }
}

/// The mail server answered that this address will never take the mail (a
/// 5xx reply, or an address that is not one): trying again would not help.
fn refused_for_good(e: &anyhow::Error) -> bool {
    if let Some(smtp) = e.downcast_ref::<lettre::transport::smtp::Error>() {
        return smtp.is_permanent();
    }
    e.downcast_ref::<lettre::address::AddressError>().is_some()
}
