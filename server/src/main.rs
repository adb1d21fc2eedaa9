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
/// mapped on their own and returned when freed. It is 1 MiB, not glibc's first
/// 128 KiB: each compressed answer's gzip encoder takes ~300 KiB, and mapping,
/// zeroing and unmapping that per answer cost more than rendering a small page
/// (bench/README.md); the trim threshold keeps such freed room for the next one.
fn return_large_buffers() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: only sets allocator parameters, before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1024 * 1024);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 2 * 1024 * 1024);
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
    if let Command::Restore { from, force } = &cli.command {
        // Before the database is opened: it is what gets replaced.
        server::backup::restore_sqlite(&cli.database_url, from, *force).await?;
        server::open_database(&cli.database_url).await?;
        println!("restored {} into {}", from.display(), cli.database_url);
        return Ok(());
    }
    let db = server::open_database(&cli.database_url).await?;
    match cli.command {
        Command::Serve(cfg) => {
            if cfg.seed_demo {
                server::seed::load_demo(&db, &cfg.seeds_dir).await?;
            }
            let mut running = server::start(cfg, db).await?;
            // Tests and scripts read this line to find the port.
            println!("cocrea listening on http://{}", running.addr);
            tracing::info!(addr = %running.addr, "listening");
            let mut terminate =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
            let stop = tokio::select! {
                _ = &mut running.task => false,
                _ = tokio::signal::ctrl_c() => true,
                _ = terminate.recv() => true,
            };
            if stop {
                tracing::info!("shutting down: finishing requests in flight and the mail outbox");
                running.stop().await;
                tracing::info!("stopped");
            }
        }
        // Done before the database was opened.
        Command::Restore { .. } => {}
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
