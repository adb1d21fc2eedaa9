//! The database: one pool over SQLite or PostgreSQL. This is the one place where the
//! two engines differ at run time; everything else writes portable SQL with `$n`
//! placeholders, integer flags and ISO-8601 text dates.
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Executor, Transaction};
use std::time::Duration;

pub use crate::db_pool::Pool;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub struct Db {
    /// Where reads (and PostgreSQL's single-statement writes) run.
    pub pool: Pool,
    pub engine: Engine,
    /// SQLite's one writer: write transactions queue here for its single
    /// connection (in order, without sleeping) instead of in SQLite's busy
    /// handler, which sleeps 1, 2, 5, 10... ms between tries. PostgreSQL
    /// writes through `pool`.
    writer: Option<AnyPool>,
    /// What it was opened with (PostgreSQL's notifications need a connection of
    /// their own). Holds any password: never shown.
    pub url: String,
    counts: std::sync::Arc<crate::db_counts::Counts>,
}

pub type Tx = Transaction<'static, sqlx::Any>;
pub type Row = AnyRow;

/// The longest a statement waits for a connection.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(30);

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

impl Engine {
    pub fn of_url(url: &str) -> Option<Engine> {
        if url.starts_with("sqlite:") {
            Some(Engine::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Some(Engine::Postgres)
        } else {
            None
        }
    }
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db").field("engine", &self.engine).finish()
    }
}

impl Db {
    /// Connects (creating a SQLite file if missing) without migrating.
    pub async fn connect(url: &str) -> Result<Db, sqlx::Error> {
        sqlx::any::install_default_drivers();
        let engine = Engine::of_url(url)
            .ok_or_else(|| sqlx::Error::Configuration("unsupported database URL".into()))?;
        let (pool, writer) = match engine {
            Engine::Sqlite => {
                let url = if url.contains('?') {
                    url.to_string()
                } else {
                    format!("{url}?mode=rwc")
                };
                let open = |connections| {
                    AnyPoolOptions::new()
                        .max_connections(connections)
                        .acquire_timeout(ACQUIRE_TIMEOUT)
                        // Pinging before each use doubles a query's trips to
                        // SQLite's worker thread; a local file does not hang up.
                        .test_before_acquire(false)
                        .after_connect(|conn, _| {
                            Box::pin(async move {
                                conn.execute(
                                    "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; \
                                     PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL;",
                                )
                                .await?;
                                Ok(())
                            })
                        })
                        .connect(&url)
                };
                // 8 for statements, 4 more for read transactions.
                let pool = Pool::new(open(12).await?, 8, ACQUIRE_TIMEOUT);
                (pool, Some(open(1).await?))
            }
            Engine::Postgres => {
                // 12 for statements, 8 more for transactions.
                let pool = AnyPoolOptions::new()
                    .max_connections(20)
                    .acquire_timeout(ACQUIRE_TIMEOUT)
                    // A ping before each use doubles a query's round trips; a
                    // connection the server dropped fails one query and is closed.
                    .test_before_acquire(false)
                    .connect(url)
                    .await?;
                (Pool::new(pool, 12, ACQUIRE_TIMEOUT), None)
            }
        };
        Ok(Db {
            pool,
            engine,
            writer,
            url: url.to_string(),
            counts: Default::default(),
        })
    }

    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        match self.engine {
            Engine::Sqlite => SQLITE_MIGRATIONS.run(self.writer()).await,
            Engine::Postgres => POSTGRES_MIGRATIONS.run(self.pool.sqlx()).await,
        }
    }

    /// A transaction that will write. SQLite's is on the one writer connection
    /// and takes the write lock up front, so it never fails with SQLITE_BUSY
    /// mid-way (another process, such as a backup, is waited for on busy_timeout).
    pub async fn begin_write(&self) -> Result<Tx, sqlx::Error> {
        match &self.writer {
            Some(writer) => writer.begin_with("BEGIN IMMEDIATE").await,
            None => self.pool.begin().await,
        }
    }

    /// Where a single statement that writes goes: SQLite's one writer, or the pool.
    pub fn writer(&self) -> &AnyPool {
        self.writer.as_ref().unwrap_or(self.pool.sqlx())
    }

    /// Appended to a SELECT in a write transaction to hold the rows read until it
    /// ends: PostgreSQL needs the row lock; SQLite's `BEGIN IMMEDIATE` already
    /// holds the whole database.
    pub fn for_update(&self) -> &'static str {
        match self.engine {
            Engine::Sqlite => "",
            Engine::Postgres => " FOR UPDATE",
        }
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }

    /// A consistent copy of a live SQLite database (for `cocrea backup`).
    pub async fn backup_sqlite(&self, dest: &str) -> Result<(), sqlx::Error> {
        if self.engine != Engine::Sqlite {
            return Err(sqlx::Error::Configuration(
                "backup is for SQLite; use pg_dump for PostgreSQL".into(),
            ));
        }
        // VACUUM INTO takes its own read snapshot: writers may go on meanwhile.
        sqlx::query("VACUUM INTO $1")
            .bind(dest)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

/// Seconds since the Unix epoch: every timestamp is stored like this.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Rows as JSON objects, column by column (integers, texts or null), for a
/// person's download of their data.
pub fn rows_json(rows: &[Row]) -> Vec<serde_json::Value> {
    use sqlx::{Column, Row as _};
    rows.iter()
        .map(|r| {
            let fields = r.columns().iter().map(|c| {
                let i = c.ordinal();
                let value = match r.try_get::<Option<i64>, _>(i) {
                    Ok(Some(n)) => serde_json::Value::from(n),
                    Ok(None) => serde_json::Value::Null,
                    Err(_) => r
                        .try_get::<Option<String>, _>(i)
                        .ok()
                        .flatten()
                        .map_or(serde_json::Value::Null, serde_json::Value::from),
                };
                (c.name().to_string(), value)
            });
            serde_json::Value::Object(fields.collect())
        })
        .collect()
}

/// The rows whose `column` equals `value`, in their order (rows of a query that
/// returned several kinds of row at once, told apart by that column).
pub fn rows_where<'r>(
    rows: &'r [Row],
    column: &'r str,
    value: &'r str,
) -> impl Iterator<Item = &'r Row> + 'r {
    use sqlx::Row as _;
    rows.iter()
        .filter(move |r| r.get::<String, _>(column) == value)
}

/// The `id_column` of the rows whose `column` equals `value`.
pub fn ids_where(rows: &[Row], column: &str, value: &str, id_column: &str) -> Vec<i64> {
    use sqlx::Row as _;
    rows_where(rows, column, value)
        .map(|r| r.get(id_column))
        .collect()
}

/// A comma-separated list of ids for an `IN (...)` clause. Only for integers the
/// code itself holds: they cannot carry SQL.
pub fn id_list(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// A query parameter whose position is decided as the query is built.
pub enum Arg {
    Int(i64),
    Text(String),
}

/// Adds a parameter and returns its `$n`.
pub fn param(args: &mut Vec<Arg>, arg: Arg) -> String {
    args.push(arg);
    format!("${}", args.len())
}

pub fn bind_all<'a>(
    sql: &'a str,
    args: &'a [Arg],
) -> sqlx::query::Query<'a, sqlx::Any, sqlx::any::AnyArguments<'a>> {
    args.iter().fold(sqlx::query(sql), |query, arg| match arg {
        Arg::Int(v) => query.bind(*v),
        Arg::Text(v) => query.bind(v.as_str()),
    })
}

/// The `n` of a `SELECT COUNT(*) AS n ...` built with `param`.
pub async fn count(db: &Db, sql: &str, args: &[Arg]) -> Result<i64, sqlx::Error> {
    use sqlx::Row as _;
    Ok(bind_all(sql, args).fetch_one(&db.pool).await?.get("n"))
}

/// The same count, kept for a moment (see `db_counts`): for the totals of
/// lists that many people read, which would otherwise count every matching row
/// on every request. `touch_counts` forgets them after this instance's writes.
pub async fn count_recent(db: &Db, sql: &str, args: &[Arg]) -> Result<i64, sqlx::Error> {
    let key = crate::db_counts::key(sql, args);
    if let Some(n) = db.counts.get(&key) {
        return Ok(n);
    }
    let generation = db.counts.generation();
    let n = count(db, sql, args).await?;
    db.counts.put(key, generation, n);
    Ok(n)
}

impl Db {
    /// Forgets the kept counts: something they count changed.
    pub fn touch_counts(&self) {
        self.counts.touch();
    }
}

impl Db {
    /// A condition that row id `id_column` matches the terms bound as `param`
    /// (`$n`), in the full-text index of `table` (see `text_query` for its value).
    pub fn text_match(&self, table: &str, id_column: &str, param: &str) -> String {
        match self.engine {
            Engine::Sqlite => format!(
                "{id_column} IN (SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH {param})"
            ),
            Engine::Postgres => format!(
                "{id_column} IN (SELECT id FROM {table} \
                 WHERE to_tsvector('simple', search_text) @@ to_tsquery('simple', {param}))"
            ),
        }
    }

    /// The full-text query for normalised `terms` (letters and digits only), each
    /// matching as a prefix; all of them must match, or any with `any`.
    pub fn text_query(&self, terms: &[String], any: bool) -> String {
        match self.engine {
            Engine::Sqlite => terms
                .iter()
                .map(|t| format!("\"{t}\"*"))
                .collect::<Vec<_>>()
                .join(if any { " OR " } else { " " }),
            Engine::Postgres => terms
                .iter()
                .map(|t| format!("{t}:*"))
                .collect::<Vec<_>>()
                .join(if any { " | " } else { " & " }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::Row as _;

    /// A fresh SQLite database migrated up to (not including) `version`, and
    /// its folder.
    async fn migrated_before(name: &str, version: i64) -> (Db, std::path::PathBuf) {
        let dir = std::env::temp_dir().join(format!("{name}-{}-{}", std::process::id(), now()));
        std::fs::create_dir_all(&dir).unwrap();
        let db = Db::connect(&format!("sqlite://{}/t.db", dir.display()))
            .await
            .unwrap();
        let before = sqlx::migrate::Migrator {
            migrations: std::borrow::Cow::Owned(
                SQLITE_MIGRATIONS
                    .migrations
                    .iter()
                    .filter(|m| m.version < version)
                    .cloned()
                    .collect(),
            ),
            ..sqlx::migrate::Migrator::DEFAULT
        };
        before.run(db.pool.sqlx()).await.unwrap();
        (db, dir)
    }

    /// The plan-comments migration rebuilds `comments` again: the team's
    /// responses to sheet comments (which reference it and would cascade away)
    /// and every comment survive, and the plan is a subject.
    #[tokio::test]
    async fn the_sqlite_plan_comments_rebuild_keeps_the_responses() {
        let (db, dir) = migrated_before("cocrea-rebuild2", 20261203000022).await;
        for sql in [
            "INSERT INTO users (email, password_hash, display_name, created_at) VALUES ('a@x.org', 'x', 'A', 0)",
            "INSERT INTO processes (slug, title, description, created_at) VALUES ('p', 'P', '', 0)",
            "INSERT INTO commitments (process_id, code, created_at) VALUES (1, 'C1', 0)",
            "INSERT INTO comments (subject_kind, subject_id, parent_id, thread_id, depth, author_id, body, created_at) \
             VALUES ('commitment', 1, NULL, 1, 0, 1, 'a la ficha', 0)",
            "INSERT INTO comments (subject_kind, subject_id, parent_id, thread_id, depth, author_id, body, created_at) \
             VALUES ('proposal', 1, NULL, 2, 0, 1, 'a la propuesta', 0)",
            "INSERT INTO comment_responses (comment_id, commitment_id, outcome, reason, responded_at) \
             VALUES (1, 1, 'incorporated', 'Se sumó', 0)",
        ] {
            sqlx::query(sql).execute(&db.pool).await.unwrap();
        }
        db.migrate().await.unwrap();
        let reason: String =
            sqlx::query("SELECT reason FROM comment_responses WHERE comment_id = 1")
                .fetch_one(&db.pool)
                .await
                .unwrap()
                .get("reason");
        assert_eq!(reason, "Se sumó");
        sqlx::query(
            "INSERT INTO comments (subject_kind, subject_id, parent_id, thread_id, depth, author_id, body, created_at) \
             VALUES ('plan', 1, NULL, 0, 0, 1, 'al plan', 0)",
        )
        .execute(&db.pool)
        .await
        .unwrap();
        let bodies: Vec<String> = sqlx::query("SELECT body FROM comments ORDER BY id")
            .fetch_all(&db.pool)
            .await
            .unwrap()
            .iter()
            .map(|r| r.get("body"))
            .collect();
        assert_eq!(bodies, ["a la ficha", "a la propuesta", "al plan"]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// SQLite cannot change a CHECK, so the comment-period migration rebuilds
    /// `comments`: every row, reply link and the cascade to replies survive it.
    #[tokio::test]
    async fn the_sqlite_comments_rebuild_keeps_every_row() {
        let (db, dir) = migrated_before("cocrea-rebuild", 20261127000012).await;
        for sql in [
            "INSERT INTO users (email, password_hash, display_name, created_at) VALUES ('a@x.org', 'x', 'A', 0)",
            "INSERT INTO comments (subject_kind, subject_id, parent_id, thread_id, depth, author_id, body, created_at) \
             VALUES ('proposal', 1, NULL, 1, 0, 1, 'raíz', 0)",
            "INSERT INTO comments (subject_kind, subject_id, parent_id, thread_id, depth, author_id, body, created_at) \
             VALUES ('proposal', 1, 1, 1, 1, 1, 'respuesta', 0)",
        ] {
            sqlx::query(sql).execute(&db.pool).await.unwrap();
        }
        db.migrate().await.unwrap();
        let rows: Vec<(i64, Option<i64>, String)> =
            sqlx::query("SELECT id, parent_id, body FROM comments ORDER BY id")
                .fetch_all(&db.pool)
                .await
                .unwrap()
                .iter()
                .map(|r| (r.get("id"), r.get("parent_id"), r.get("body")))
                .collect();
        assert_eq!(
            rows,
            vec![
                (1, None, "raíz".to_string()),
                (2, Some(1), "respuesta".to_string())
            ]
        );
        let schema: String =
            sqlx::query("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'comments'")
                .fetch_one(&db.pool)
                .await
                .unwrap()
                .get("sql");
        assert!(schema.contains("'commitment'"), "{schema}");
        assert!(!schema.contains("comments_rebuilt"), "{schema}");
        // Removing a comment still removes its replies.
        sqlx::query("DELETE FROM comments WHERE id = 1")
            .execute(&db.pool)
            .await
            .unwrap();
        let left: i64 = sqlx::query("SELECT COUNT(*) AS n FROM comments")
            .fetch_one(&db.pool)
            .await
            .unwrap()
            .get("n");
        assert_eq!(left, 0);
        db.pool.close().await;
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// The rows of `sql` (with `param` as `$1`) as JSON objects, column by column:
/// integers, text or nothing. For data downloads whose shape is their query.
pub async fn json_rows(
    db: &Db,
    sql: &str,
    param: i64,
) -> crate::error::AppResult<Vec<serde_json::Map<String, serde_json::Value>>> {
    json_rows_with(db, sql, &[Arg::Int(param)]).await
}

/// `json_rows` of a query with any parameters.
pub async fn json_rows_with(
    db: &Db,
    sql: &str,
    args: &[Arg],
) -> crate::error::AppResult<Vec<serde_json::Map<String, serde_json::Value>>> {
    use sqlx::{Column as _, Row as _};
    let rows = bind_all(sql, args).fetch_all(&db.pool).await?;
    Ok(rows
        .iter()
        .map(|r| {
            r.columns()
                .iter()
                .map(|c| {
                    let i = c.ordinal();
                    let value = if let Ok(v) = r.try_get::<Option<i64>, _>(i) {
                        v.map(serde_json::Value::from)
                    } else if let Ok(v) = r.try_get::<Option<i32>, _>(i) {
                        v.map(serde_json::Value::from)
                    } else if let Ok(v) = r.try_get::<Option<String>, _>(i) {
                        v.map(serde_json::Value::from)
                    } else {
                        r.try_get::<Option<f64>, _>(i)
                            .ok()
                            .flatten()
                            .map(serde_json::Value::from)
                    };
                    (
                        c.name().to_string(),
                        value.unwrap_or(serde_json::Value::Null),
                    )
                })
                .collect()
        })
        .collect())
}
