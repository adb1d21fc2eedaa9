//! The open call: people join the contact base and confirm by mail; the
//! team announces a process to everyone in it; the announcement job sends
//! each address exactly one copy through the SMTP server, skips those who
//! left, and picks up after a restart without sending anyone a second copy.
use server::config::ServeConfig;
use sqlx::Row as _;
use std::collections::HashMap;
use std::time::Duration;
use tests::{on_both_engines, on_both_engines_with, TestApp, Visitor};

on_both_engines!(
    people_join_confirm_and_leave_the_contact_base,
    the_team_announces_to_everyone_in_the_base_once
);
on_both_engines_with!(sends_nothing_itself; an_announcement_resumes_after_a_restart_without_duplicates);

/// The test's own server leaves announcements to the `cocrea` process.
fn sends_nothing_itself(cfg: &mut ServeConfig) {
    cfg.announce_per_second = 0;
}

/// The confirmation link's token in the last mail to `email`.
async fn confirmation_token(app: &TestApp, email: &str) -> String {
    let mail = tests::smtp::body_of(&app.smtp.wait_for(email).await);
    mail.split("/calls/confirm?token=")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .expect("a confirmation link")
        .to_string()
}

/// Someone who joined with `email` and confirmed from the mail.
async fn subscriber(app: &TestApp, email: &str) {
    let v = app.visitor();
    v.call("join_contact_base", &[("email", email)]).await.ok();
    let token = confirmation_token(app, email).await;
    v.call("confirm_contact", &[("token", &token)]).await.ok();
}

/// The address in a mail's `List-Unsubscribe` header.
fn unsubscribe_link(mail: &str) -> String {
    mail.lines()
        .find_map(|l| l.strip_prefix("List-Unsubscribe: <"))
        .expect("List-Unsubscribe header")
        .trim_end_matches('>')
        .to_string()
}

/// What a mail program does with `List-Unsubscribe=One-Click`: a POST with
/// no cookie and no Origin.
async fn one_click(link: &str) -> u16 {
    reqwest::Client::new()
        .post(link)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// How many mails with `subject` each address received.
fn received(app: &TestApp, subject: &str) -> HashMap<String, usize> {
    let mut by_address = HashMap::new();
    for m in app.smtp.all_messages() {
        if !m.lines().any(|l| l == format!("Subject: {subject}")) {
            continue;
        }
        let to = m
            .lines()
            .find_map(|l| l.strip_prefix("To: "))
            .unwrap_or_default()
            .to_string();
        *by_address.entry(to).or_insert(0) += 1;
    }
    by_address
}

async fn announce(team: &Visitor, slug: &str, stage: &str, subject: &str) -> tests::Reply {
    team.call(
        "send_announcement",
        &[
            ("slug", slug),
            ("stage", stage),
            ("subject", subject),
            ("body", "Sumate a la co-creación del plan."),
        ],
    )
    .await
}

/// Waits until every announcement is sent (or 30 s).
async fn all_finished(app: &TestApp) {
    for _ in 0..300 {
        let left = app
            .count("SELECT COUNT(*) FROM announcements WHERE finished_at IS NULL")
            .await;
        if left == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("announcements still being sent after 30 s");
}

async fn people_join_confirm_and_leave_the_contact_base(app: TestApp) {
    let v = app.visitor();
    let (status, page) = v.get("/calls").await;
    assert_eq!(status, 200);
    assert!(page.contains("name=\"email\""), "{page}");
    // Not an address: a clear error, nothing kept.
    let bad = v
        .call("join_contact_base", &[("email", "not-an-address")])
        .await;
    assert_eq!(
        bad.field_error("email").as_deref(),
        Some("validation.email")
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM contacts").await, 0);

    v.call("join_contact_base", &[("email", "Ana@Example.org")])
        .await
        .ok();
    let token = confirmation_token(&app, "ana@example.org").await;
    // Not in the base until the link is followed.
    let confirmed = "SELECT COUNT(*) FROM contacts WHERE confirmed_at IS NOT NULL";
    assert_eq!(app.count(confirmed).await, 0);
    // Asking again at once sends no second mail, and says the same.
    v.call("join_contact_base", &[("email", "ana@example.org")])
        .await
        .ok();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let to_ana = app
        .smtp
        .messages()
        .iter()
        .filter(|m| m.contains("ana@example.org"))
        .count();
    assert_eq!(to_ana, 1);

    // Opening the link changes nothing; its button confirms.
    let (status, page) = v.get(&format!("/calls/confirm?token={token}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("<form"), "{page}");
    assert_eq!(app.count(confirmed).await, 0);
    let wrong = v.call("confirm_contact", &[("token", "made-up")]).await;
    assert_eq!(wrong.refused_key().as_deref(), Some("calls.unknown_link"));
    v.call("confirm_contact", &[("token", &token)]).await.ok();
    assert_eq!(app.count(confirmed).await, 1);

    // The unsubscribe page asks; its POST takes the address out of the base.
    let leave = format!("/unsubscribe/calls/{token}");
    let (status, page) = v.get(&leave).await;
    assert_eq!(status, 200);
    assert!(page.contains("<form method=\"post\""), "{page}");
    let left = "SELECT COUNT(*) FROM contacts WHERE unsubscribed_at IS NOT NULL";
    assert_eq!(app.count(left).await, 0);
    assert_eq!(one_click(&format!("{}{leave}", app.base)).await, 200);
    assert_eq!(app.count(left).await, 1);
    assert_eq!(
        one_click(&format!("{}/unsubscribe/calls/made-up", app.base)).await,
        404
    );
    // Joining again takes a new confirmation (after the hour between mails).
    sqlx::query("UPDATE contacts SET asked_at = asked_at - 7200")
        .execute(&app.db.pool)
        .await
        .unwrap();
    v.call("join_contact_base", &[("email", "ana@example.org")])
        .await
        .ok();
    for _ in 0..100 {
        let to_ana = app
            .smtp
            .messages()
            .iter()
            .filter(|m| m.contains("ana@example.org"))
            .count();
        if to_ana == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(app.count(left).await, 1);
    v.call("confirm_contact", &[("token", &token)]).await.ok();
    assert_eq!(app.count(left).await, 0);
}

async fn the_team_announces_to_everyone_in_the_base_once(app: TestApp) {
    let (slug, _) = app.open_process("Plan abierto", &["Ambiente"]).await;
    let team = app
        .user_with_role("facilitator", "equipo@example.org")
        .await;
    subscriber(&app, "ana@example.org").await;
    subscriber(&app, "beto@example.org").await;
    subscriber(&app, "dani@example.org").await;
    // Carla never confirms; Dani leaves before the announcement.
    app.visitor()
        .call("join_contact_base", &[("email", "carla@example.org")])
        .await
        .ok();
    let dani: String = sqlx::query("SELECT token FROM contacts WHERE email = 'dani@example.org'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
        .get("token");
    let base = app.base.clone();
    assert_eq!(
        one_click(&format!("{base}/unsubscribe/calls/{dani}")).await,
        200
    );

    // Only the team announces.
    let resident = app.participant("Rita", "rita@example.org").await;
    assert_eq!(
        announce(&resident, &slug, "", "Convocatoria").await.status,
        403
    );
    assert_eq!(
        announce(&app.visitor(), &slug, "", "Convocatoria")
            .await
            .status,
        401
    );
    let desk = |who: Visitor| {
        let slug = slug.clone();
        async move {
            who.call("announcement_desk", &[("slug", &slug), ("page", "1")])
                .await
        }
    };
    assert_eq!(desk(resident.clone()).await.status, 403);
    let d = desk(team.clone()).await;
    assert_eq!(d.ok()["subscribers"], 2);
    assert!(d.ok()["draft_subject"]
        .as_str()
        .unwrap()
        .contains("Plan abierto"));
    // Hostile input: a clear error, nothing written.
    let bad = announce(&team, &slug, "bogus", "").await;
    assert_eq!(
        bad.field_error("subject").as_deref(),
        Some("validation.required")
    );
    assert!(bad.field_error("stage").is_some(), "{:?}", bad.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM announcements").await, 0);

    let sent = announce(&team, &slug, "intake", "Convocatoria abierta").await;
    assert_eq!(sent.ok(), 2);
    all_finished(&app).await;
    let got = received(&app, "Convocatoria abierta");
    assert_eq!(
        got,
        HashMap::from([
            ("ana@example.org".to_string(), 1),
            ("beto@example.org".to_string(), 1)
        ])
    );
    let mail = app.smtp.wait_for("ana@example.org").await;
    let mail = app
        .smtp
        .all_messages()
        .into_iter()
        .find(|m| m.contains("Subject: Convocatoria abierta") && m.contains("To: ana@"))
        .unwrap_or(mail);
    assert!(
        mail.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"),
        "{mail}"
    );
    assert!(tests::smtp::body_of(&mail).contains(&format!("/processes/{slug}")));
    let d = desk(team.clone()).await;
    let first = &d.ok()["announcements"]["items"][0];
    assert_eq!(first["total"], 2);
    assert_eq!(first["sent"], 2);
    assert_eq!(first["finished"], true);
    assert_eq!(first["stage"], "Intake");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'announcement.create'")
            .await,
        1
    );

    // Ana leaves with one click from the mail: the next one skips her.
    assert_eq!(one_click(&unsubscribe_link(&mail)).await, 200);
    assert_eq!(announce(&team, &slug, "", "Mesas de trabajo").await.ok(), 1);
    all_finished(&app).await;
    assert_eq!(
        received(&app, "Mesas de trabajo"),
        HashMap::from([("beto@example.org".to_string(), 1)])
    );
    assert_eq!(received(&app, "Convocatoria abierta").len(), 2);
}

/// Adds `n` confirmed subscribers straight to the base (as many as a city's
/// contact list, without a mail round trip each).
async fn many_subscribers(app: &TestApp, n: usize) {
    for i in 0..n {
        sqlx::query(
            "INSERT INTO contacts (email, locale, token, created_at, asked_at, confirmed_at) \
             VALUES ($1, 'es-AR', $2, 1, 1, 1)",
        )
        .bind(format!("vecino{i:03}@example.org"))
        .bind(format!("token-{i:03}"))
        .execute(&app.db.pool)
        .await
        .unwrap();
    }
}

async fn an_announcement_resumes_after_a_restart_without_duplicates(app: TestApp) {
    let (slug, _) = app.open_process("Plan de la ciudad", &["Ambiente"]).await;
    let team = app
        .user_with_role("facilitator", "equipo@example.org")
        .await;
    many_subscribers(&app, 30).await;
    let subject = "Se abre la convocatoria";
    assert_eq!(announce(&team, &slug, "", subject).await.ok(), 30);
    // Sent twice by mistake while it is going out: refused.
    assert_eq!(
        announce(&team, &slug, "", subject)
            .await
            .refused_key()
            .as_deref(),
        Some("announcements.already_sending")
    );
    // The job sends 10 a second; it is stopped (SIGTERM) after a few.
    let smtp = format!("smtp://127.0.0.1:{}", app.smtp.port);
    let args = ["--smtp-url", smtp.as_str(), "--announce-per-second", "10"];
    let (mut child, _) = app.serve_process(&args).await;
    for _ in 0..200 {
        if received(&app, subject).len() >= 5 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    TestApp::terminate(&mut child).await;
    let before = received(&app, subject);
    assert!(
        (5..30).contains(&before.len()),
        "{} sent before the stop",
        before.len()
    );
    let recorded = "SELECT COUNT(*) FROM announcement_deliveries WHERE sent_at IS NOT NULL";
    assert_eq!(app.count(recorded).await, before.len() as i64);
    // The last in the list leaves while it waits: it is skipped.
    assert_eq!(
        one_click(&format!("{}/unsubscribe/calls/token-029", app.base)).await,
        200
    );

    let (mut again, _) = app.serve_process(&args).await;
    all_finished(&app).await;
    again.start_kill().unwrap();
    again.wait().await.unwrap();
    let after = received(&app, subject);
    assert_eq!(after.len(), 29, "{after:?}");
    assert!(after.values().all(|n| *n == 1), "a second copy: {after:?}");
    assert!(!after.contains_key("vecino029@example.org"));
    let d = team
        .call("announcement_desk", &[("slug", &slug), ("page", "1")])
        .await;
    let a = &d.ok()["announcements"]["items"][0];
    assert_eq!(
        (a["sent"].clone(), a["total"].clone()),
        (29.into(), 30.into())
    );
}
