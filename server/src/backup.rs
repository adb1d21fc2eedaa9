//! Restoring a backup made by `cocrea backup` (SQLite's `VACUUM INTO`). The copy
//! is checked before anything is replaced: it must open, pass SQLite's integrity
//! check and be a cocrea database; then it takes the database's place in one
//! rename, and the next start migrates it forward if it is older. PostgreSQL
//! has its own tools (pg_dump, pg_restore).
use anyhow::{bail, Context};
use std::path::Path;

/// Replaces the SQLite database at `database_url` with the backup `from`. The
/// server must be stopped; an existing database is replaced only with `force`.
pub async fn restore_sqlite(database_url: &str, from: &Path, force: bool) -> anyhow::Result<()> {
    let Some(target) = crate::sqlite_file(database_url) else {
        bail!("restore is for SQLite; restore PostgreSQL with pg_restore");
    };
    let target = Path::new(target);
    if target.exists() && !force {
        bail!(
            "{} exists: stop the server, then restore with --force to replace it",
            target.display()
        );
    }
    if !from.is_file() {
        bail!("{} is not a file", from.display());
    }
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    // Check a copy next to the target, so that the final step is one rename.
    let staged = target.with_extension("restoring");
    std::fs::copy(from, &staged).with_context(|| format!("copying {}", from.display()))?;
    let checked = check(&staged).await;
    if let Err(e) = checked {
        let _ = std::fs::remove_file(&staged);
        return Err(e);
    }
    for side in ["-wal", "-shm"] {
        let mut name = target.as_os_str().to_owned();
        name.push(side);
        let _ = std::fs::remove_file(&name);
    }
    std::fs::rename(&staged, target)?;
    Ok(())
}

async fn check(file: &Path) -> anyhow::Result<()> {
    use sqlx::Row;
    let db = app::db::Db::connect(&format!("sqlite://{}", file.display()))
        .await
        .context("the backup does not open as a SQLite database")?;
    let integrity: String = sqlx::query("PRAGMA integrity_check")
        .fetch_one(&db.pool)
        .await
        .context("the backup does not open as a SQLite database")?
        .get(0);
    if integrity != "ok" {
        bail!("the backup is damaged: {integrity}");
    }
    let migrations: i64 = sqlx::query("SELECT COUNT(*) FROM _sqlx_migrations WHERE success = 1")
        .fetch_one(&db.pool)
        .await
        .context("the backup is not a cocrea database")?
        .get(0);
    if migrations == 0 {
        bail!("the backup is not a cocrea database");
    }
    db.pool.close().await;
    Ok(())
}
