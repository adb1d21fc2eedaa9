use clap::Parser;
use server::config::{Cli, Command};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
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
