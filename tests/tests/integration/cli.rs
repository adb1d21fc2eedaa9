//! The operations CLI: create-admin, seed-demo, migrate, backup.
use tests::{cli, on_both_engines, TestApp};

on_both_engines!(create_admin_then_sign_in, seed_demo_twice_is_harmless);

async fn create_admin_then_sign_in(app: TestApp) {
    let (ok, out) = cli(&[
        "--database-url",
        &app.url,
        "create-admin",
        "--email",
        "Root@Example.org",
        "--name",
        "Raíz",
        "--password",
        "short",
    ]);
    assert!(!ok, "a short password is refused: {out}");
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 0);
    let (ok, out) = cli(&[
        "--database-url",
        &app.url,
        "create-admin",
        "--email",
        "Root@Example.org",
        "--name",
        "Raíz",
        "--password",
        "a-very-long-password",
    ]);
    assert!(ok, "{out}");
    let admin = app.visitor();
    admin
        .call(
            "login",
            &[
                ("email", "root@example.org"),
                ("password", "a-very-long-password"),
            ],
        )
        .await
        .ok();
    assert_eq!(admin.call("whoami", &[]).await.ok()["role"], "Admin");
    admin
        .call("admin_users", &[("page", "1"), ("query", "")])
        .await
        .ok();
    // Running it again for an existing participant promotes them.
    app.participant("Ana", "ana@example.org").await;
    let (ok, out) = cli(&[
        "--database-url",
        &app.url,
        "create-admin",
        "--email",
        "ana@example.org",
        "--name",
        "Ana",
        "--password",
        "another-long-password",
    ]);
    assert!(ok, "{out}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE role = 'admin'")
            .await,
        2
    );
}

async fn seed_demo_twice_is_harmless(app: TestApp) {
    for _ in 0..2 {
        let (ok, out) = cli(&["--database-url", &app.url, "seed-demo"]);
        assert!(ok, "{out}");
    }
    // The plan, and its second co-creation instance with two proposals the
    // first did not take up.
    assert_eq!(app.count("SELECT COUNT(*) FROM processes").await, 2);
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 7);
    assert_eq!(app.count("SELECT COUNT(*) FROM process_axes").await, 10);
    assert_eq!(app.count("SELECT COUNT(*) FROM proposals").await, 7);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM proposal_carryovers").await,
        2
    );
    // The monitoring body and its published evaluation of the final sheet.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM process_evaluators").await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM commitment_evaluations WHERE published_at IS NOT NULL")
            .await,
        1
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM proposal_supports").await, 7);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM comments WHERE subject_kind = 'proposal'")
            .await,
        4
    );
    // Two demo sheets: one final with every comment answered, one in its
    // comment period with comments still to answer.
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM commitments WHERE state = 'final' AND final_unanswered = 0"
        )
        .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM commitments WHERE state = 'comment'")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM comments WHERE subject_kind = 'commitment'")
            .await,
        6
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM comment_responses").await, 4);
    // The final sheet's progress: three updates published, one sent back, one waiting.
    for (state, n) in [("published", 3), ("returned", 1), ("submitted", 1)] {
        let sql = format!("SELECT COUNT(*) FROM milestone_updates WHERE state = '{state}'");
        assert_eq!(app.count(&sql).await, n, "{state}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM followup_meetings").await, 1);
    // The personalized call: a survey sent to five organizations, two answers,
    // and invitations by theme opened and registered.
    assert_eq!(app.count("SELECT COUNT(*) FROM survey_recipients").await, 5);
    assert_eq!(app.count("SELECT COUNT(*) FROM survey_responses").await, 2);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM contacts WHERE confirmed_at IS NOT NULL")
            .await,
        3
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM theme_invitations").await, 4);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM theme_invitations WHERE registered_at IS NOT NULL")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM theme_invitations WHERE opened_at IS NOT NULL")
            .await,
        2
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM endorsements").await, 3);
    assert_eq!(
        app.count("SELECT CAST(SUM(supports_count) AS BIGINT) FROM proposals")
            .await,
        7
    );
    assert!(app.count("SELECT COUNT(*) FROM agencies").await >= 6);
    // The accounts README lists can sign in, with their roles.
    let f = app.visitor();
    f.call(
        "login",
        &[
            ("email", "facilitadora@demo.cocrea.ar"),
            ("password", "demo-facilita-2021"),
        ],
    )
    .await
    .ok();
    assert_eq!(f.call("whoami", &[]).await.ok()["role"], "Facilitator");
    let a = app.visitor();
    a.call(
        "login",
        &[
            ("email", "area@demo.cocrea.ar"),
            ("password", "demo-area-2021"),
        ],
    )
    .await
    .ok();
    assert_eq!(
        a.call("whoami", &[]).await.ok()["agency_ids"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let list = app.visitor().call("open_processes", &[("page", "1")]).await;
    assert_eq!(
        list.ok()["items"][0]["timeline"]["current"]["stage"],
        "Intake"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrate_then_backup_a_live_sqlite_database() {
    let app = tests::spawn_app(tests::Engine::Sqlite).await.unwrap();
    let fresh = format!("sqlite://{}/fresh.db", app.dir().display());
    let (ok, out) = cli(&["--database-url", &fresh, "migrate"]);
    assert!(ok && out.contains("migrations applied"), "{out}");

    // Keep writing while the backup runs.
    let writer = {
        let v = app.visitor();
        tokio::spawn(async move {
            for i in 0..30 {
                v.call(
                    "signup",
                    &[
                        ("display_name", "N"),
                        ("email", &format!("w{i}@example.org")),
                        ("password", "a-long-password"),
                        ("password_confirm", "a-long-password"),
                        ("accept_privacy", "on"),
                    ],
                )
                .await;
            }
        })
    };
    let dest = app.dir().join("backup.db");
    let url = app.url.clone();
    let dest_s = dest.display().to_string();
    let (ok, out) =
        tokio::task::spawn_blocking(move || cli(&["--database-url", &url, "backup", &dest_s]))
            .await
            .unwrap();
    assert!(ok, "{out}");
    writer.await.unwrap();
    // The copy is a complete database that opens and passes an integrity check.
    let copy = app::db::Db::connect(&format!("sqlite://{}", dest.display()))
        .await
        .unwrap();
    use sqlx::Row;
    let check: String = sqlx::query("PRAGMA integrity_check")
        .fetch_one(&copy.pool)
        .await
        .unwrap()
        .get(0);
    assert_eq!(check, "ok");
    let users: i64 = sqlx::query("SELECT COUNT(*) FROM users")
        .fetch_one(&copy.pool)
        .await
        .unwrap()
        .get(0);
    assert!(users <= 30);
    // It refuses to overwrite.
    let (ok, _) = cli(&[
        "--database-url",
        &app.url,
        "backup",
        &dest.display().to_string(),
    ]);
    assert!(!ok);
}
