//! Nothing acknowledged is lost: the real server process killed with SIGKILL in
//! the middle of a burst of submissions restarts with every acknowledged one; a
//! SIGTERM lets requests in flight finish and sends the outbox; a backup taken
//! under load restores with every row written before it began.
use reqwest::header::{ACCEPT, CONTENT_TYPE};
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tests::{on_both_engines, TestApp, Visitor};

on_both_engines!(acknowledged_writes_survive_a_kill);

/// `who` posting to the process at `base` from `address`.
async fn post(
    who: &Visitor,
    base: &str,
    address: &str,
    endpoint: &str,
    form: &[(&str, &str)],
) -> Option<u16> {
    who.client
        .post(format!("{base}/api/{endpoint}"))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(ACCEPT, "application/json")
        .header("origin", base)
        .header("x-forwarded-for", address)
        .body(tests::serde_urlencoded(form))
        .timeout(Duration::from_secs(20))
        .send()
        .await
        .ok()
        .map(|r| r.status().as_u16())
}

/// People submitting proposals and comments as fast as they can, each from
/// their own address, until the server stops answering. What the server
/// acknowledged (2xx) is collected in `acked`.
async fn writers(
    app: &TestApp,
    base: &str,
    people: usize,
    acked: Arc<Mutex<Vec<String>>>,
) -> tokio::task::JoinSet<()> {
    let (slug, axes) = app.open_process("Plan bajo carga", &["Ambiente"]).await;
    let author = app.participant("Autora", "autora@example.org").await;
    let proposal = author
        .submit_proposal(&slug, "Propuesta comentada", axes[0], &[])
        .await
        .to_string();
    let axis = axes[0].to_string();
    let mut set = tokio::task::JoinSet::new();
    for i in 0..people {
        let who = app
            .participant(&format!("P{i}"), &format!("w{i}@example.org"))
            .await;
        let (base, acked) = (base.to_string(), acked.clone());
        let (slug, axis, proposal) = (slug.clone(), axis.clone(), proposal.clone());
        set.spawn(async move {
            let address = format!("10.66.0.{}", i + 1);
            for k in 0.. {
                let text = format!("escrito-{i}-{k}");
                let status = if k % 4 == 0 {
                    let form = [
                        ("slug", slug.as_str()),
                        ("title", text.as_str()),
                        ("problem", "Un problema."),
                        ("solution", "Una solución."),
                        ("axis_id", axis.as_str()),
                        ("confirm_similar", "on"),
                    ];
                    post(&who, &base, &address, "submit_proposal", &form).await
                } else {
                    let form = [
                        ("kind", "proposal"),
                        ("subject_id", proposal.as_str()),
                        ("body", text.as_str()),
                    ];
                    post(&who, &base, &address, "post_comment", &form).await
                };
                match status {
                    Some(s) if (200..300).contains(&s) => acked.lock().unwrap().push(text),
                    Some(429) => tokio::time::sleep(Duration::from_millis(100)).await,
                    Some(_) => {}
                    None => return, // the server is gone
                }
            }
        });
    }
    set
}

/// Everything written: proposal titles and comment bodies.
async fn written(db: &app::db::Db) -> HashSet<String> {
    use sqlx::Row;
    let rows = sqlx::query("SELECT title AS t FROM proposals UNION ALL SELECT body FROM comments")
        .fetch_all(&db.pool)
        .await
        .unwrap();
    rows.iter().map(|r| r.get::<String, _>(0)).collect()
}

async fn acknowledged_writes_survive_a_kill(app: TestApp) {
    let (mut child, base) = app.serve_process(&[]).await;
    let acked = Arc::new(Mutex::new(Vec::new()));
    let mut load = writers(&app, &base, 30, acked.clone()).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    child.start_kill().unwrap(); // SIGKILL: no chance to finish anything
    child.wait().await.unwrap();
    while load.join_next().await.is_some() {}
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() >= 100,
        "only {} writes acknowledged",
        acked.len()
    );
    eprintln!(
        "{} writes acknowledged in 1.5 s before the kill",
        acked.len()
    );
    // A new process on the same database finds every one of them.
    let (mut again, base) = app.serve_process(&[]).await;
    let (status, _) = app.visitor().get("/healthz").await;
    assert_eq!(status, 200);
    let res = reqwest::get(format!("{base}/healthz")).await.unwrap();
    assert_eq!(res.status(), 200);
    let present = written(&app.db).await;
    let lost: Vec<&String> = acked.iter().filter(|t| !present.contains(*t)).collect();
    assert!(
        lost.is_empty(),
        "{} of {} acknowledged writes lost: {lost:?}",
        lost.len(),
        acked.len()
    );
    again.start_kill().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_graceful_stop_finishes_requests_in_flight_and_sends_the_outbox() {
    let app = tests::spawn_app(tests::Engine::Sqlite).await.unwrap();
    let smtp = format!("smtp://127.0.0.1:{}", app.smtp.port);
    let (mut child, base) = app.serve_process(&["--smtp-url", &smtp]).await;
    app.participant("Ana", "ana@example.org").await;
    // Sign-ups hash passwords a few at a time: some are still waiting when the
    // stop comes.
    let mut flight = tokio::task::JoinSet::new();
    for i in 0..12 {
        let (v, base) = (app.visitor(), base.clone());
        flight.spawn(async move {
            let email = format!("s{i}@example.org");
            let form = [
                ("display_name", "S"),
                ("email", email.as_str()),
                ("password", "a-long-password"),
                ("password_confirm", "a-long-password"),
                ("accept_privacy", "on"),
            ];
            post(&v, &base, "10.1.1.1", "signup", &form).await
        });
    }
    let reset = post(
        &app.visitor(),
        &base,
        "10.1.1.2",
        "request_password_reset",
        &[("email", "ana@example.org")],
    )
    .await;
    assert_eq!(reset, Some(200));
    tokio::time::sleep(Duration::from_millis(100)).await;
    tokio::join!(TestApp::terminate(&mut child), async {
        while let Some(answer) = flight.join_next().await {
            assert_eq!(answer.unwrap(), Some(200), "a request in flight was cut");
        }
    });
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 13);
    app.smtp.wait_for("ana@example.org").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_under_load_restores_every_row() {
    let app = tests::spawn_app(tests::Engine::Sqlite).await.unwrap();
    let (mut child, base) = app.serve_process(&[]).await;
    let acked = Arc::new(Mutex::new(Vec::new()));
    let mut load = writers(&app, &base, 10, acked.clone()).await;
    tokio::time::sleep(Duration::from_millis(700)).await;
    let before: Vec<String> = acked.lock().unwrap().clone();
    let file = app.dir().join("under-load.db");
    let (url, file_s) = (app.url.clone(), file.display().to_string());
    let (ok, out) = tokio::task::spawn_blocking(move || {
        tests::cli(&["--database-url", &url, "backup", &file_s])
    })
    .await
    .unwrap();
    assert!(ok, "{out}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    child.start_kill().unwrap();
    child.wait().await.unwrap();
    while load.join_next().await.is_some() {}
    assert!(
        before.len() >= 20,
        "only {} writes before the backup",
        before.len()
    );

    let restored = format!("sqlite://{}/restored.db", app.dir().display());
    let file_s = file.display().to_string();
    let (ok, out) = tests::cli(&["--database-url", &restored, "restore", &file_s]);
    assert!(ok, "{out}");
    let db = app::db::Db::connect(&restored).await.unwrap();
    let present = written(&db).await;
    let lost: Vec<&String> = before.iter().filter(|t| !present.contains(*t)).collect();
    assert!(
        lost.is_empty(),
        "{} rows written before the backup are missing: {lost:?}",
        lost.len()
    );
    // It never replaces a database unasked, nor with something that is not a backup.
    let (ok, out) = tests::cli(&["--database-url", &restored, "restore", &file_s]);
    assert!(!ok && out.contains("--force"), "{out}");
    let junk = app.dir().join("junk.db");
    std::fs::write(&junk, "not a database").unwrap();
    let junk_s = junk.display().to_string();
    let (ok, _) = tests::cli(&["--database-url", &restored, "restore", "--force", &junk_s]);
    assert!(!ok);
    assert_eq!(
        written(&db).await,
        present,
        "a refused restore changed the database"
    );
}
