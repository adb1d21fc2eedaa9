//! The `cocrea` server as a child process with a database of its own, and its
//! memory as the kernel reports it.
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

pub const ADMIN_EMAIL: &str = "facilitator@bench.example.org";
pub const PASSWORD: &str = "a-long-password";

pub struct Server {
    pub base: String,
    pub pid: u32,
    pub database_url: String,
    /// From starting the process to its first listening line.
    pub started_in: Duration,
    child: Child,
}

impl Server {
    /// Creates the facilitator with the CLI (which also migrates), then serves on
    /// a free port chosen by the kernel and reads it from the line the server prints.
    pub async fn start(bin: &Path, dir: &Path) -> Result<Server> {
        Server::start_on(bin, dir, format!("sqlite://{}/cocrea.db", dir.display())).await
    }

    /// `start`, with its memory sampled from then on and what it is set up for
    /// said on stderr (the board runs).
    pub async fn start_watched(
        bin: &Path,
        dir: &Path,
        setting_up: &str,
    ) -> Result<(Server, MemoryLog)> {
        let srv = Server::start(bin, dir).await?;
        let memory = MemoryLog::spawn(srv.pid);
        eprintln!(
            "server pid {} at {}; setting up {setting_up}",
            srv.pid, srv.base
        );
        Ok((srv, memory))
    }

    /// The same on the database at `database_url` (SQLite or PostgreSQL).
    pub async fn start_on(bin: &Path, dir: &Path, database_url: String) -> Result<Server> {
        // The server runs in `dir`: a relative path to the binary must not move with it.
        let bin = &std::fs::canonicalize(bin)
            .with_context(|| format!("cannot find {} (build it first)", bin.display()))?;
        let out = Command::new(bin)
            .args(["--database-url", &database_url, "create-admin"])
            .args([
                "--email",
                ADMIN_EMAIL,
                "--name",
                "Facilitator",
                "--password",
                PASSWORD,
            ])
            .env("RUST_LOG", "warn")
            .output()
            .await
            .with_context(|| format!("cannot run {} (build it first)", bin.display()))?;
        if !out.status.success() {
            bail!(
                "create-admin failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let log = std::fs::File::create(dir.join("server.log"))?;
        let spawned = Instant::now();
        let mail_dir = dir.join("mail");
        let mut child = Command::new(bin)
            .args([
                "--database-url",
                &database_url,
                "serve",
                "--addr",
                "127.0.0.1:0",
                "--trust-proxy",
            ])
            .arg("--mail-dir")
            .arg(&mail_dir)
            .current_dir(dir)
            // Request logging at info would put the bench's own log volume in the figures.
            .env(
                "RUST_LOG",
                std::env::var("BENCH_SERVER_LOG").unwrap_or("warn".into()),
            )
            .stdout(Stdio::piped())
            .stderr(log)
            .kill_on_drop(true)
            .spawn()?;
        let pid = child.id().context("server pid")?;
        let mut lines = BufReader::new(child.stdout.take().context("stdout")?).lines();
        let base = tokio::time::timeout(Duration::from_secs(60), async {
            while let Some(line) = lines.next_line().await? {
                if let Some(url) = line.strip_prefix("cocrea listening on ") {
                    return anyhow::Ok(url.trim().to_string());
                }
            }
            bail!(
                "server exited before listening (see {}/server.log)",
                dir.display()
            )
        })
        .await
        .context("server did not start in 60 s")??;
        // Keep draining stdout so the server never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Ok(Server {
            base,
            pid,
            database_url,
            started_in: spawned.elapsed(),
            child,
        })
    }

    pub async fn stop(mut self) {
        let _ = self.child.kill().await;
    }
}

/// VmRSS and VmHWM (peak RSS) of a process, in KiB.
pub fn memory(pid: u32) -> Option<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

/// User + system CPU seconds a process (`"self"` or a pid) has used so far.
/// Assumes the usual 100 clock ticks per second (no libc to ask sysconf).
pub fn cpu_seconds(pid: &str) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks = |i: usize| rest.get(i)?.parse::<f64>().ok();
    Some((ticks(11)? + ticks(12)?) / 100.0)
}

/// Samples the server's RSS every 100 ms while the bench runs.
#[derive(Clone, Default)]
pub struct MemoryLog(Arc<Mutex<Vec<(Instant, u64)>>>);

impl MemoryLog {
    pub fn spawn(pid: u32) -> MemoryLog {
        let log = MemoryLog::default();
        let samples = log.0.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_millis(100));
            loop {
                tick.tick().await;
                let Some((rss, _)) = memory(pid) else { break };
                samples.lock().unwrap().push((Instant::now(), rss));
            }
        });
        log
    }

    /// Highest RSS sampled since `from`.
    pub fn peak_since(&self, from: Instant) -> u64 {
        let samples = self.0.lock().unwrap();
        samples
            .iter()
            .filter(|(t, _)| *t >= from)
            .map(|(_, kb)| *kb)
            .max()
            .unwrap_or(0)
    }
}

/// A fresh folder for the database, mail files and the server log.
pub fn temp_dir() -> Result<PathBuf> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_nanos();
    let dir = std::env::temp_dir().join(format!("cocrea-bench-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
