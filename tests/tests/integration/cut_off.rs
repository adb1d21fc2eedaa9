//! Clients that go away in the middle of a page (a phone losing its signal, a
//! tab closed, a load tester stopping): the server makes each page to its end
//! and never panics, and the pages still come whole to those who stay.
use crate::commitments::sheet;
use crate::roundtables::fixture;
use reqwest::StatusCode;
use std::time::Duration;
use tests::{day, panics, Engine};

/// Rounds of cut-off requests, each this many at once: before pages were made
/// in a task of their own (server/src/to_the_end.rs), 8-10 of these 7,200
/// panicked, and one run of three hung on a deadlocked worker.
const ROUNDS: u64 = 150;
const AT_ONCE: u64 = 48;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_cut_off_mid_render_never_panic_the_server() {
    let app = tests::spawn_app(Engine::Sqlite).await.unwrap();
    let f = fixture(&app).await;
    let (id, _) = sheet(&app, &f).await;
    let r = f
        .team
        .call(
            "publish_for_comment",
            &[("id", &id), ("opens_on", &day(-1)), ("closes_on", &day(9))],
        )
        .await;
    assert!(r.status.is_success(), "{r:?}");
    // Signed-in pages with comments, report and reply forms, router links and
    // a trajectory: the pages whose renders panicked when cut off.
    let member = f.member;
    for body in ["Falta el censo.", "¿Y los datos de 2019?"] {
        let form = [
            ("kind", "commitment"),
            ("subject_id", id.as_str()),
            ("body", body),
            ("anchor", "problem"),
        ];
        assert!(member.call("post_comment", &form).await.status.is_success());
        let form = [
            ("kind", "proposal"),
            ("subject_id", f.presentable.as_str()),
            ("body", body),
        ];
        assert!(member.call("post_comment", &form).await.status.is_success());
    }
    let pages = [
        format!("/commitments/{id}/comments"),
        format!("/proposals/{}", f.presentable),
        format!("/commitments/{id}"),
        format!("/processes/{}/proposals", f.slug),
    ];
    let mark = panics::count();
    for round in 0..ROUNDS {
        let cut_offs: Vec<_> = (0..AT_ONCE)
            .map(|n| {
                let i = round * AT_ONCE + n;
                let url = format!("{}{}", member.base, pages[(i % 4) as usize]);
                let client = member.client.clone();
                // 0-30 ms, spread evenly: before, during and after a render.
                let wait = Duration::from_micros(i.wrapping_mul(7_919) % 30_000);
                tokio::spawn(async move {
                    let _ = tokio::time::timeout(wait, client.get(url).send()).await;
                })
            })
            .collect();
        for c in cut_offs {
            c.await.unwrap();
        }
    }
    // Those who stay get their pages whole.
    for page in &pages {
        let (status, body) = member.get(page).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert!(body.contains("</footer></body></html>"), "{page}");
    }
    // Renders cut off at the end may still be finishing.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let seen = panics::since(mark);
    assert!(seen.is_empty(), "{} panics, first: {}", seen.len(), seen[0]);
}
