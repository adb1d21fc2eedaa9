use clap::Parser;
use server::config::{Cli, Command};
use tracing_subscriber::EnvFilter;

fn main() -> anyhow::Result<()> {
    return_large_buffers();
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(run())
}

/// Password hashing (argon2) takes 19 MiB at a time on blocking threads. glibc
/// raises its mmap threshold after the first such buffer is freed, and from then
/// on keeps them in per-thread arenas that never shrink (hundreds of MiB after a
/// few sign-ups, measured by `bench/`). A fixed threshold keeps large buffers
/// mapped on their own and returned when freed.
fn return_large_buffers() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: only sets an allocator parameter, before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}

async fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    if cli.log_json {
        tracing_subscriber::fmt()
            .json()
            .with_env_filter(filter)
            .init();
    } else {
        tracing_subscriber::fmt().with_env_filter(filter).init();
    }
    let db = server::open_database(&cli.database_url).await?;
    match cli.command {
        Command::Serve(cfg) => {
            if cfg.seed_demo {
                server::seed::load_demo(&db, &cfg.seeds_dir).await?;
            }
            let running = server::start(cfg, db).await?;
            // Tests and scripts read this line to find the port.
            println!("cocrea listening on http://{}", running.addr);
            tracing::info!(addr = %running.addr, "listening");
            tokio::select! {
                _ = running.task => {}
                _ = tokio::signal::ctrl_c() => tracing::info!("shutting down"),
            }
        }
        Command::Migrate => println!("migrations applied"),
        Command::CreateAdmin {
            email,
            name,
            password,
        } => {
            let id = server::seed::create_admin(&db, &email, &name, &password).await?;
            println!("administrator {email} ready (id {id})");
        }
        Command::SeedDemo { seeds_dir } => {
            server::seed::load_demo(&db, &seeds_dir).await?;
            println!("demo data loaded");
        }
        Command::Backup { to } => {
            if to.exists() {
                anyhow::bail!("{} already exists", to.display());
            }
            db.backup_sqlite(&to.to_string_lossy()).await?;
            println!("backup written to {}", to.display());
        }
    }
    Ok(())
}
