//! Several instances behind a load balancer on one PostgreSQL database: what one
//! writes reaches the live streams of the others through LISTEN/NOTIFY, and a
//! session opened on one is good on the others.
use crate::boards::{add, board, column, Stream};
use crate::roundtables::{fixture, register, schedule};
use std::time::{Duration, Instant};
use tests::Visitor;

/// The same person (the same cookies) through another instance.
fn through(who: &Visitor, other: &tests::TestApp) -> Visitor {
    Visitor {
        client: who.client.clone(),
        base: other.base.clone(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_note_posted_through_one_instance_reaches_viewers_of_the_other_within_a_second() {
    let Some(first) = tests::spawn_app(tests::Engine::Postgres).await else {
        return;
    };
    let second = first.another_instance().await;
    let f = fixture(&first).await;
    let id = schedule(&first, &f, "10").await;
    let path = format!("/roundtables/{id}/live");
    let rita = first.participant("Rita", "rita@example.org").await;
    register(&rita, &id).await;
    let questions = column(&board(&rita, &id).await, 1, 1);

    // A resident watches through the second instance; the agency writes through the first.
    let mut on_second = Stream::open(&second.visitor(), &path, None).await;
    let start = on_second.next().await.unwrap().id;
    let mut on_first = Stream::open(&first.visitor(), &path, None).await;
    assert_eq!(on_first.next().await.unwrap().id, start);
    for i in 1..=3 {
        let sent = Instant::now();
        add(&f.member, &questions, &format!("Cruza {i}")).await.ok();
        let e = tokio::time::timeout(Duration::from_secs(1), on_second.next())
            .await
            .expect("the note reached the other instance within a second")
            .unwrap();
        assert!(sent.elapsed() < Duration::from_secs(1));
        assert_eq!(e.id, start + i);
        assert_eq!(e.data["event"]["note"]["body"], format!("Cruza {i}"));
        assert_eq!(on_first.next().await.unwrap().id, start + i);
    }

    // Rita's session, opened on the first instance, is good on the second: she
    // writes through it, and the first instance's viewers see it at once.
    let rita_there = through(&rita, &second);
    assert_eq!(
        rita_there.call("whoami", &[]).await.ok()["display_name"],
        "Rita"
    );
    add(&rita_there, &questions, "Desde la segunda").await.ok();
    let e = tokio::time::timeout(Duration::from_secs(1), on_first.next())
        .await
        .expect("the note reached the first instance within a second")
        .unwrap();
    assert_eq!(e.id, start + 4);
    assert_eq!(e.data["event"]["note"]["body"], "Desde la segunda");
    assert_eq!(on_second.next().await.unwrap().id, start + 4);
}

/// Instances started together on a new database all migrate it (PostgreSQL's
/// advisory lock lets one apply each migration while the others wait).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instances_started_at_once_migrate_one_database_safely() {
    let dir = std::env::temp_dir();
    let Some(url) = tests::fresh_database(tests::Engine::Postgres, &dir).await else {
        return;
    };
    let opened = open_together(&url).await;
    assert!(opened.iter().all(Result::is_ok), "{opened:?}");
    let db = server::open_database(&url).await.unwrap();
    let applied: i64 = sqlx::Row::get(
        &sqlx::query("SELECT COUNT(*) AS n FROM _sqlx_migrations WHERE success")
            .fetch_one(&db.pool)
            .await
            .unwrap(),
        "n",
    );
    let files = std::fs::read_dir("../migrations/postgres").unwrap().count() as i64;
    assert_eq!(applied, files);
}

async fn open_together(url: &str) -> Vec<Result<(), String>> {
    let tasks: Vec<_> = (0..3)
        .map(|_| {
            let url = url.to_string();
            tokio::spawn(async move {
                server::open_database(&url)
                    .await
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            })
        })
        .collect();
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.unwrap());
    }
    out
}

/// A page kept by one instance for visitors is not shown once another instance
/// has written: a proposal hidden through the first is gone from the second's
/// pages within a second.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_through_one_instance_ends_the_pages_the_other_kept() {
    let Some(first) = tests::spawn_app(tests::Engine::Postgres).await else {
        return;
    };
    let second = first.another_instance().await;
    let (slug, axes) = first.open_process("Plan abierto", &["Ambiente"]).await;
    let ana = first.participant("Ana", "ana@example.org").await;
    let id = ana
        .submit_proposal(&slug, "Mapa de arbolado", axes[0], &[])
        .await;
    let path = format!("/proposals/{id}");
    let visitor = second.visitor();
    // The first instance's writes above may still be arriving: the second
    // keeps the page once they have.
    let waited = Instant::now();
    loop {
        let (kept, html) = crate::page_cache::page(&visitor, &path, "es-AR").await;
        assert!(html.contains("Mapa de arbolado"));
        if kept.as_deref() == Some("hit") {
            break;
        }
        assert!(waited.elapsed() < Duration::from_secs(1), "never kept");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    let team = first
        .user_with_role("facilitator", "team@example.org")
        .await;
    team.call(
        "moderate",
        &[("kind", "proposal"), ("id", &id.to_string()), ("hide", "1")],
    )
    .await
    .ok();
    let hidden = Instant::now();
    loop {
        let (_, html) = crate::page_cache::page(&visitor, &path, "es-AR").await;
        if !html.contains("Mapa de arbolado") {
            break;
        }
        assert!(
            hidden.elapsed() < Duration::from_secs(1),
            "the other instance still showed the hidden proposal after a second"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // The list totals the second instance keeps are forgotten too: a proposal
    // sent through the first counts there at once.
    let total = || async {
        second
            .visitor()
            .call(
                "proposals",
                &[
                    ("slug", slug.as_str()),
                    ("query[q]", ""),
                    ("query[sort]", "newest"),
                    ("query[page]", "1"),
                ],
            )
            .await
            .ok()["page"]["total"]
            .as_i64()
            .unwrap()
    };
    let before = total().await;
    ana.submit_proposal(&slug, "Bancos en la plaza", axes[0], &[])
        .await;
    let sent = Instant::now();
    while total().await != before + 1 {
        assert!(sent.elapsed() < Duration::from_secs(1), "the total stayed");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
