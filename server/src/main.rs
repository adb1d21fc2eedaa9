use clap::Parser;
use server::config::{Cli, Command};
use tracing_subscriber::EnvFilter;

/// mimalloc, not glibc's malloc: a page's render is thousands of small
/// allocations, and glibc's malloc and free were a quarter of a signed-in
/// page's server time (bench/README.md, "mimalloc").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> anyhow::Result<()> {
    no_huge_pages();
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(run())
}

/// mimalloc asks for transparent huge pages on its memory: each 4 KiB page
/// touched could then hold 2 MiB, which took the server 25-30 MiB past what it
/// uses (142-146 MiB at the city run's peak, 115 without; target 128 MiB).
fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: a flag of this process's memory; no pointer is passed.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
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
