//! Command line and environment configuration.
use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "cocrea",
    version,
    about = "cocrea: co-creation of open government action plans"
)]
pub struct Cli {
    /// sqlite://path/to/file.db (embedded, the default) or postgres://user@host/db.
    #[arg(
        long,
        env = "COCREA_DATABASE_URL",
        default_value = "sqlite://data/cocrea.db",
        global = true
    )]
    pub database_url: String,

    /// Log as JSON lines instead of human-readable text.
    #[arg(long, env = "COCREA_LOG_JSON", global = true)]
    pub log_json: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Migrate the database and serve the site.
    Serve(ServeConfig),
    /// Apply pending migrations and exit.
    Migrate,
    /// Create an administrator account (or make an existing account one).
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// Read from COCREA_ADMIN_PASSWORD if not given.
        #[arg(long, env = "COCREA_ADMIN_PASSWORD", hide_env_values = true)]
        password: String,
    },
    /// Load the demo process (Buenos Aires 2021-2023) from seeds/.
    SeedDemo {
        #[arg(long, env = "COCREA_SEEDS_DIR", default_value = "seeds")]
        seeds_dir: PathBuf,
    },
    /// Write a consistent copy of a live SQLite database to a file.
    Backup {
        /// Destination file (must not exist).
        to: PathBuf,
    },
    /// Put a backup in place of the SQLite database (stop the server first).
    Restore {
        /// A file written by `backup`.
        from: PathBuf,
        /// Replace the database if one exists.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Args, Debug, Clone)]
pub struct ServeConfig {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, env = "COCREA_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,

    /// Public URL of the site, used in links sent by email. Defaults to http://<addr>.
    #[arg(long, env = "COCREA_BASE_URL")]
    pub base_url: Option<String>,

    /// Folder with the built browser bundle (pkg/).
    #[arg(long, env = "COCREA_SITE_ROOT", default_value = "target/site")]
    pub site_root: String,

    /// SMTP server, e.g. smtp://127.0.0.1:2525 or smtps://user:pass@mail.example.org.
    /// Without it, messages are written as files to --mail-dir.
    #[arg(long, env = "COCREA_SMTP_URL")]
    pub smtp_url: Option<String>,

    /// Where messages go when no SMTP server is configured.
    #[arg(long, env = "COCREA_MAIL_DIR", default_value = "data/mail")]
    pub mail_dir: PathBuf,

    /// Where uploaded files (evidence of progress) are kept.
    #[arg(long, env = "COCREA_FILES_DIR", default_value = "data/files")]
    pub files_dir: PathBuf,

    /// Sender address of outgoing mail.
    #[arg(
        long,
        env = "COCREA_MAIL_FROM",
        default_value = "cocrea <no-reply@cocrea.localhost>"
    )]
    pub mail_from: String,

    /// Days that sent mail is kept in the outbox before it is deleted.
    #[arg(long, env = "COCREA_MAIL_RETENTION_DAYS", default_value_t = 30)]
    pub mail_retention_days: i64,

    /// Local time of the process relative to UTC, in minutes (Buenos Aires: -180).
    #[arg(long, env = "COCREA_UTC_OFFSET_MINUTES", default_value_t = -180, allow_hyphen_values = true)]
    pub utc_offset_minutes: i32,

    /// Take the client address from X-Forwarded-For (only behind a trusted proxy).
    #[arg(long, env = "COCREA_TRUST_PROXY")]
    pub trust_proxy: bool,

    /// Load the demo data from seeds/ before serving (once; skipped if present).
    #[arg(long, env = "COCREA_SEED_DEMO")]
    pub seed_demo: bool,

    #[arg(long, env = "COCREA_SEEDS_DIR", default_value = "seeds")]
    pub seeds_dir: PathBuf,

    /// Seconds between runs of the scheduled jobs (publication of held answers
    /// when a feasibility stage closes).
    #[arg(long, env = "COCREA_SCHEDULE_SECONDS", default_value_t = 300)]
    pub schedule_seconds: u64,

    /// Announcements of the open call sent per second, at most (what the mail
    /// server accepts); 0 leaves them to another instance.
    #[arg(long, env = "COCREA_ANNOUNCE_PER_SECOND", default_value_t = 10)]
    pub announce_per_second: u32,

    /// Live board streams open at once from one client address (a roundtable
    /// behind one NAT address needs one or two per participant).
    #[arg(long, env = "COCREA_MAX_STREAMS_PER_ADDRESS", default_value_t = 150)]
    pub max_streams_per_address: usize,

    /// Live board streams open at once in all.
    #[arg(long, env = "COCREA_MAX_STREAMS", default_value_t = 4000)]
    pub max_streams: usize,

    /// Budgets of the rate limits (set in code: `limits::DEFAULT`).
    #[arg(skip = crate::limits::DEFAULT.to_vec())]
    pub rate_limits: Vec<(crate::limits::Kind, crate::limits::Budgets)>,
}

impl ServeConfig {
    /// Settings for a server on `addr` with defaults for everything else (used by tests).
    pub fn for_addr(addr: SocketAddr) -> ServeConfig {
        ServeConfig {
            addr,
            base_url: None,
            site_root: "target/site".into(),
            smtp_url: None,
            mail_dir: "data/mail".into(),
            files_dir: "data/files".into(),
            mail_from: "cocrea <no-reply@cocrea.localhost>".into(),
            mail_retention_days: 30,
            utc_offset_minutes: -180,
            trust_proxy: false,
            seed_demo: false,
            seeds_dir: "seeds".into(),
            schedule_seconds: 300,
            announce_per_second: 10,
            max_streams_per_address: 150,
            max_streams: 4000,
            rate_limits: crate::limits::DEFAULT.to_vec(),
        }
    }
}
