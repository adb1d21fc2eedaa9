//! (ssr) The connections single statements run on. sqlx's pool pings every
//! connection given back to it, from a task of its own: a second trip to the
//! database (SQLite's worker thread, or PostgreSQL over the network) for every
//! query, about a third of what a signed-in page costs the server. Here a
//! connection whose statement ended is kept for the next one without a ping.
//! One whose statement was cut off (its request went away) or failed goes back
//! to sqlx, which pings it and closes it if it is broken; a kept connection
//! goes back to sqlx after `KEEP`, so that its lifetime and idle limits apply.
//! Transactions and migrations use sqlx's pool (`sqlx()`), which has room for
//! them beyond what is kept here.
use futures_util::{StreamExt, TryStreamExt};
use sqlx::any::{Any, AnyQueryResult, AnyRow, AnyStatement, AnyTypeInfo};
use sqlx::pool::PoolConnection;
use sqlx::{AnyPool, Describe, Either, Error, Execute, Executor};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{Semaphore, SemaphorePermit};

/// How long a connection is kept here before sqlx sees it again.
const KEEP: Duration = Duration::from_secs(60);

#[derive(Clone)]
pub struct Pool {
    inner: Arc<Inner>,
}

struct Inner {
    sqlx: AnyPool,
    /// One per statement running here: at most this many of sqlx's
    /// connections are out for them (running or kept).
    running: Semaphore,
    kept: Mutex<Vec<(PoolConnection<Any>, Instant)>>,
    acquire_timeout: Duration,
}

impl std::fmt::Debug for Pool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pool")
            .field("size", &self.inner.sqlx.size())
            .finish()
    }
}

/// A connection out for one statement.
struct Out<'p> {
    pool: &'p Inner,
    conn: Option<(PoolConnection<Any>, Instant)>,
    /// Set once the statement ran to its end without failing.
    ended: bool,
    _permit: SemaphorePermit<'p>,
}

impl Drop for Out<'_> {
    fn drop(&mut self) {
        let Some((conn, since)) = self.conn.take() else {
            return;
        };
        if self.ended && since.elapsed() < KEEP && !self.pool.sqlx.is_closed() {
            if let Ok(mut kept) = self.pool.kept.lock() {
                kept.push((conn, since));
            }
        }
        // Otherwise dropping it hands it back to sqlx (its ping decides).
    }
}

impl Pool {
    /// Over `sqlx`, which must allow more connections than `running` so that
    /// transactions always find one.
    pub fn new(sqlx: AnyPool, running: usize, acquire_timeout: Duration) -> Pool {
        Pool {
            inner: Arc::new(Inner {
                sqlx,
                running: Semaphore::new(running),
                kept: Mutex::new(Vec::new()),
                acquire_timeout,
            }),
        }
    }

    /// sqlx's pool, for transactions and migrations.
    pub fn sqlx(&self) -> &AnyPool {
        &self.inner.sqlx
    }

    pub async fn begin(&self) -> Result<sqlx::Transaction<'static, Any>, Error> {
        self.inner.sqlx.begin().await
    }

    pub async fn close(&self) {
        self.inner.running.close();
        if let Ok(mut kept) = self.inner.kept.lock() {
            kept.clear();
        }
        self.inner.sqlx.close().await;
    }

    async fn out(&self) -> Result<Out<'_>, Error> {
        let inner = &*self.inner;
        let permit = tokio::time::timeout(inner.acquire_timeout, inner.running.acquire())
            .await
            .map_err(|_| Error::PoolTimedOut)?
            .map_err(|_| Error::PoolClosed)?;
        let kept = inner.kept.lock().ok().and_then(|mut kept| kept.pop());
        let conn = match kept {
            Some(conn) => conn,
            None => (inner.sqlx.acquire().await?, Instant::now()),
        };
        Ok(Out {
            pool: inner,
            conn: Some(conn),
            ended: false,
            _permit: permit,
        })
    }
}

impl Out<'_> {
    fn conn(&mut self) -> &mut PoolConnection<Any> {
        &mut self.conn.as_mut().expect("taken only on drop").0
    }
}

impl<'p> Executor<'p> for &'_ Pool {
    type Database = Any;

    /// Every result at once: the connection is free again before the caller
    /// reads them (nothing here streams a result larger than a page).
    fn fetch_many<'e, 'q: 'e, E>(
        self,
        query: E,
    ) -> futures_util::stream::BoxStream<'e, Result<Either<AnyQueryResult, AnyRow>, Error>>
    where
        'p: 'e,
        E: 'q + Execute<'q, Any>,
    {
        let pool = self.clone();
        let all = async move {
            let mut out = pool.out().await?;
            let all: Vec<_> = out.conn().fetch_many(query).try_collect().await?;
            out.ended = true;
            Ok::<_, Error>(all)
        };
        futures_util::stream::once(all)
            .map(|all| match all {
                Ok(all) => futures_util::stream::iter(all.into_iter().map(Ok)).left_stream(),
                Err(e) => futures_util::stream::iter([Err(e)]).right_stream(),
            })
            .flatten()
            .boxed()
    }

    fn fetch_optional<'e, 'q: 'e, E>(
        self,
        query: E,
    ) -> futures_util::future::BoxFuture<'e, Result<Option<AnyRow>, Error>>
    where
        'p: 'e,
        E: 'q + Execute<'q, Any>,
    {
        let pool = self.clone();
        Box::pin(async move {
            let mut out = pool.out().await?;
            let row = out.conn().fetch_optional(query).await?;
            out.ended = true;
            Ok(row)
        })
    }

    fn prepare_with<'e, 'q: 'e>(
        self,
        sql: &'q str,
        parameters: &'e [AnyTypeInfo],
    ) -> futures_util::future::BoxFuture<'e, Result<AnyStatement<'q>, Error>>
    where
        'p: 'e,
    {
        let pool = self.inner.sqlx.clone();
        Box::pin(async move { pool.acquire().await?.prepare_with(sql, parameters).await })
    }

    fn describe<'e, 'q: 'e>(
        self,
        sql: &'q str,
    ) -> futures_util::future::BoxFuture<'e, Result<Describe<Any>, Error>>
    where
        'p: 'e,
    {
        let pool = self.inner.sqlx.clone();
        Box::pin(async move { pool.acquire().await?.describe(sql).await })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::any::AnyPoolOptions;
    use sqlx::Row as _;

    impl Pool {
        fn kept(&self) -> usize {
            self.inner.kept.lock().unwrap().len()
        }
    }

    /// A pool of `running` over sqlx's of `running + spare`, on a new file.
    async fn pool(name: &str, running: usize, spare: u32) -> (Pool, std::path::PathBuf) {
        sqlx::any::install_default_drivers();
        let dir = std::env::temp_dir().join(format!(
            "{name}-{}-{}",
            std::process::id(),
            crate::db::now()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let sqlx = AnyPoolOptions::new()
            .max_connections(running as u32 + spare)
            .acquire_timeout(Duration::from_secs(5))
            .connect(&format!("sqlite://{}/t.db?mode=rwc", dir.display()))
            .await
            .unwrap();
        (Pool::new(sqlx, running, Duration::from_secs(5)), dir)
    }

    #[tokio::test]
    async fn a_connection_whose_statement_ended_serves_the_next_without_another() {
        let (pool, dir) = pool("pool-keeps", 4, 2).await;
        for i in 0..20i64 {
            let n: i64 = sqlx::query("SELECT $1 + 1 AS n")
                .bind(i)
                .fetch_one(&pool)
                .await
                .unwrap()
                .get("n");
            assert_eq!(n, i + 1);
            let all = sqlx::query("SELECT 1 AS n UNION ALL SELECT 2")
                .fetch_all(&pool)
                .await
                .unwrap();
            assert_eq!(all.len(), 2);
        }
        assert_eq!((pool.kept(), pool.sqlx().size()), (1, 1));
        pool.close().await;
        let _ = std::fs::remove_dir_all(dir);
    }

    #[tokio::test]
    async fn a_failed_statement_gives_its_connection_back_to_sqlx() {
        let (pool, dir) = pool("pool-fails", 4, 2).await;
        sqlx::query("SELECT 1").execute(&pool).await.unwrap();
        assert_eq!(pool.kept(), 1);
        assert!(sqlx::query("SELECT * FROM nowhere")
            .fetch_all(&pool)
            .await
            .is_err());
        assert_eq!(pool.kept(), 0);
        sqlx::query("SELECT 1").execute(&pool).await.unwrap();
        assert_eq!(pool.kept(), 1);
        pool.close().await;
        let _ = std::fs::remove_dir_all(dir);
    }

    #[tokio::test]
    async fn a_statement_cut_off_does_not_leave_its_connection_kept() {
        let (pool, dir) = pool("pool-cut", 2, 1).await;
        let slow =
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000000) \
                    SELECT COUNT(*) FROM n";
        let cut = tokio::time::timeout(
            Duration::from_millis(50),
            sqlx::query(slow).fetch_one(&pool),
        )
        .await;
        assert!(cut.is_err(), "the statement should still be running");
        assert_eq!(pool.kept(), 0);
        // Its permit is free again: two statements still run at once.
        let (a, b) = tokio::join!(
            sqlx::query("SELECT 1").execute(&pool),
            sqlx::query("SELECT 2").execute(&pool)
        );
        a.unwrap();
        b.unwrap();
        pool.close().await;
        let _ = std::fs::remove_dir_all(dir);
    }

    #[tokio::test]
    async fn transactions_find_a_connection_while_every_statement_one_is_kept() {
        let (pool, dir) = pool("pool-spare", 3, 2).await;
        let three = [1, 2, 3].map(|_| sqlx::query("SELECT 1").execute(&pool));
        for done in futures_util::future::join_all(three).await {
            done.unwrap();
        }
        assert!(pool.kept() >= 1);
        let mut one = pool.begin().await.unwrap();
        let mut two = pool.begin().await.unwrap();
        sqlx::query("SELECT 1").execute(&mut *one).await.unwrap();
        sqlx::query("SELECT 1").execute(&mut *two).await.unwrap();
        // Statements still run beside them.
        sqlx::query("SELECT 1").execute(&pool).await.unwrap();
        one.commit().await.unwrap();
        two.commit().await.unwrap();
        pool.close().await;
        let _ = std::fs::remove_dir_all(dir);
    }
}
