//! Mail keeps no secrets: a message with a token is emptied once sent, sent mail
//! is purged after its retention, and every notification mail stops its kind in
//! one click.
use crate::feasibility::{assign, fixture};
use std::time::Duration;
use tests::{on_both_engines, TestApp};

on_both_engines!(
    a_secret_is_not_kept_once_sent_and_old_mail_is_purged,
    a_notification_mail_unsubscribes_its_kind_in_one_click,
);

async fn sent(app: &TestApp, n: i64) {
    for _ in 0..200 {
        if app
            .count("SELECT COUNT(*) FROM outbox WHERE sent_at IS NOT NULL")
            .await
            >= n
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{n} mails were not sent");
}

async fn a_secret_is_not_kept_once_sent_and_old_mail_is_purged(app: TestApp) {
    app.participant("Ana", "ana@example.org").await;
    app.participant("Beto", "beto@example.org").await;
    app.visitor()
        .call("request_password_reset", &[("email", "ana@example.org")])
        .await
        .ok();
    let mail = tests::smtp::body_of(&app.smtp.wait_for("ana@example.org").await);
    assert!(mail.contains("reset-password?token="), "{mail}");
    let token = mail
        .split("token=")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    // Two address confirmations and the reset: each carries a token.
    sent(&app, 3).await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE body LIKE '%token=%'")
            .await,
        0,
        "a link with a token stayed readable in the outbox"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox").await, 3);
    // The link still works: the token itself is kept only as a hash.
    app.visitor()
        .call(
            "reset_password",
            &[
                ("token", &token),
                ("password", "another long password"),
                ("password_confirm", "another long password"),
            ],
        )
        .await
        .ok();
    // Past the retention period sent mail is deleted; newer mail stays.
    sqlx::query("UPDATE outbox SET sent_at = sent_at - 31 * 86400")
        .execute(&app.db.pool)
        .await
        .unwrap();
    app.visitor()
        .call("request_password_reset", &[("email", "beto@example.org")])
        .await
        .ok();
    server::jobs::purge_outbox(&app.state, 30).await.unwrap();
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE to_addr = 'beto@example.org'")
            .await,
        1
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox").await, 1);
}

async fn a_notification_mail_unsubscribes_its_kind_in_one_click(app: TestApp) {
    let f = fixture(&app, 3).await;
    assign(&f, &[&f.proposals[0]], &f.a.0).await;
    let mail = app.smtp.wait_for("area-a@example.org").await;
    let unsubscribe = mail
        .lines()
        .find_map(|l| l.strip_prefix("List-Unsubscribe: <"))
        .expect("List-Unsubscribe header")
        .trim_end_matches('>')
        .to_string();
    assert!(
        mail.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"),
        "{mail}"
    );
    let path = unsubscribe.strip_prefix(&app.base).unwrap().to_string();
    assert!(path.ends_with("/proposals_assigned"), "{path}");
    let reader = app.visitor();
    // Opening the link asks, and changes nothing.
    let (status, page) = reader.get(&path).await;
    assert_eq!(status, 200);
    assert!(page.contains("<form method=\"post\""), "{page}");
    assert_eq!(app.count("SELECT COUNT(*) FROM email_optouts").await, 0);
    // The mail program's one-click POST (no cookie, no Origin) stops the kind.
    let res = reqwest::Client::new()
        .post(&unsubscribe)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(app.count("SELECT COUNT(*) FROM email_optouts").await, 1);
    // The next assignment is still notified in the app, but not by email.
    let before = app.smtp.messages().len();
    assign(&f, &[&f.proposals[1]], &f.a.0).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let notices = f.a.1.call("notifications", &[("page", "1")]).await;
    assert_eq!(
        notices.ok()["page"]["items"].as_array().unwrap().len(),
        2,
        "{}",
        notices.body
    );
    assert_eq!(app.smtp.messages().len(), before);
    // A made-up token or kind changes nothing.
    let base = unsubscribe.rsplitn(3, '/').nth(2).unwrap().to_string();
    for bad in [
        format!("{base}/not-a-token/proposals_assigned"),
        unsubscribe.replace("proposals_assigned", "everything"),
    ] {
        let res = reqwest::Client::new().post(&bad).send().await.unwrap();
        assert_eq!(res.status(), 404, "{bad}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM email_optouts").await, 1);
}
