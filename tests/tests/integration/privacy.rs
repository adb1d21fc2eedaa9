//! People own their data: consent kept with its version, the address confirmed
//! before any other mail, the account page, the download of one's data and the
//! deletion of the account, which leaves the public record anonymous.
use crate::boards::{add, board, column};
use crate::feasibility::{assign, fixture};
use crate::roundtables::register;
use serde_json::Value;
use std::time::Duration;
use tests::{on_both_engines, TestApp, Visitor};

on_both_engines!(
    the_address_is_confirmed_before_any_other_mail,
    the_account_page_changes_name_language_password_email_and_notices,
    my_data_holds_what_i_wrote_and_nothing_of_others,
    a_deleted_account_leaves_the_record_anonymous,
);

async fn account(who: &Visitor) -> Value {
    who.call("my_account", &[]).await.ok().clone()
}

async fn confirm(app: &TestApp, who: &Visitor, address: &str) {
    let mut token = None;
    for _ in 0..200 {
        token = app
            .smtp
            .confirmations()
            .iter()
            .rev()
            .find(|m| m.contains(address))
            .and_then(|m| tests::smtp::confirmation_token(m));
        if token.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let token = token.expect("a confirmation mail");
    // Opening the link shows a button; it changes nothing by itself.
    let (status, page) = who.get(&format!("/confirm-email?token={token}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("confirm_email"), "{page}");
    let r = who.call("confirm_email", &[("token", &token)]).await;
    r.ok();
    assert_eq!(r.headers["location"], "/account?saved=confirmed");
    let again = who.call("confirm_email", &[("token", &token)]).await;
    assert_eq!(
        again.refused_key().as_deref(),
        Some("account.confirm_unknown")
    );
}

async fn the_address_is_confirmed_before_any_other_mail(app: TestApp) {
    let f = fixture(&app, 2).await;
    let nuevo = app
        .unconfirmed_participant("Nuevo", "nuevo@example.org")
        .await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE email = 'nuevo@example.org' AND consent_at IS NOT NULL AND consent_version = '2026-12-02' AND email_confirmed_at IS NULL").await,
        1,
        "consent kept with its time and version, the address not yet confirmed"
    );
    sqlx::query("INSERT INTO agency_members (user_id, agency_id) SELECT id, $1 FROM users WHERE email = 'nuevo@example.org'")
        .bind(f.a.0.parse::<i64>().unwrap())
        .execute(&app.db.pool)
        .await
        .unwrap();
    assign(&f, &[&f.proposals[0]], &f.a.0).await;
    app.smtp.wait_for("area-a@example.org").await;
    let unread = nuevo.call("whoami", &[]).await.ok()["unread_notifications"].clone();
    assert_eq!(unread, 1, "the notice is in the app");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        !app.smtp
            .messages()
            .iter()
            .any(|m| m.contains("nuevo@example.org")),
        "mail went to an unconfirmed address"
    );
    assert_eq!(account(&nuevo).await["confirmed"], false);
    let made_up = nuevo.call("confirm_email", &[("token", "made-up")]).await;
    assert_eq!(
        made_up.refused_key().as_deref(),
        Some("account.confirm_unknown")
    );
    confirm(&app, &nuevo, "nuevo@example.org").await;
    assert_eq!(account(&nuevo).await["confirmed"], true);
    assign(&f, &[&f.proposals[1]], &f.a.0).await;
    app.smtp.wait_for("nuevo@example.org").await;
}

async fn the_account_page_changes_name_language_password_email_and_notices(app: TestApp) {
    let ana = app.participant("Ana", "ana@example.org").await;
    app.participant("Beto", "beto@example.org").await;
    let a = account(&ana).await;
    assert_eq!(a["display_name"], "Ana");
    assert_eq!(a["email"], "ana@example.org");
    assert_eq!(a["show_name_on_boards"], false, "off unless chosen");
    assert_eq!(a["consent"][1], "2026-12-02");
    let r = ana
        .call(
            "save_profile",
            &[
                ("display_name", "Ana María"),
                ("locale", "en"),
                ("show_name_on_boards", "on"),
            ],
        )
        .await;
    r.ok();
    let a = account(&ana).await;
    assert_eq!(
        (
            a["display_name"].clone(),
            a["locale"].clone(),
            a["show_name_on_boards"].clone()
        ),
        ("Ana María".into(), "en".into(), true.into())
    );
    let bad = ana
        .call("save_profile", &[("display_name", " "), ("locale", "xx")])
        .await;
    assert_eq!(
        bad.field_error("display_name").as_deref(),
        Some("validation.required")
    );
    assert_eq!(
        bad.field_error("locale").as_deref(),
        Some("validation.choice")
    );
    assert_eq!(
        account(&ana).await["display_name"],
        "Ana María",
        "nothing saved"
    );

    // The password: the current one first; other devices are signed out.
    let elsewhere = app.visitor();
    elsewhere
        .call(
            "login",
            &[
                ("email", "ana@example.org"),
                ("password", "a-long-password"),
            ],
        )
        .await
        .ok();
    let wrong = ana
        .call(
            "change_password",
            &[
                ("current_password", "not it"),
                ("password", "a new long password"),
                ("password_confirm", "a new long password"),
            ],
        )
        .await;
    assert_eq!(
        wrong.field_error("current_password").as_deref(),
        Some("account.password_wrong")
    );
    ana.call(
        "change_password",
        &[
            ("current_password", "a-long-password"),
            ("password", "a new long password"),
            ("password_confirm", "a new long password"),
        ],
    )
    .await
    .ok();
    assert!(
        elsewhere.call("whoami", &[]).await.ok().is_null(),
        "the other device is signed out"
    );
    assert!(
        !ana.call("whoami", &[]).await.ok().is_null(),
        "this one goes on"
    );

    // The address: taken, then a new one confirmed by a link sent to it.
    let taken = ana
        .call(
            "change_email",
            &[
                ("email", "beto@example.org"),
                ("current_password", "a new long password"),
            ],
        )
        .await;
    assert_eq!(
        taken.field_error("email").as_deref(),
        Some("validation.email_taken")
    );
    ana.call(
        "change_email",
        &[
            ("email", "ana.nueva@example.org"),
            ("current_password", "a new long password"),
        ],
    )
    .await
    .ok();
    let a = account(&ana).await;
    assert_eq!(a["email"], "ana@example.org", "unchanged until confirmed");
    assert_eq!(a["pending_email"], "ana.nueva@example.org");
    confirm(&app, &ana, "ana.nueva@example.org").await;
    assert_eq!(account(&ana).await["email"], "ana.nueva@example.org");
    app.visitor()
        .call(
            "login",
            &[
                ("email", "ana.nueva@example.org"),
                ("password", "a new long password"),
            ],
        )
        .await
        .ok();

    // Which notices also come by email.
    ana.call(
        "save_email_kinds",
        &[
            ("kinds[]", "answer_published"),
            ("kinds[]", "comment_answered"),
        ],
    )
    .await
    .ok();
    let kinds = account(&ana).await["email_kinds"].clone();
    assert_eq!(
        kinds,
        serde_json::json!([
            ["answer_published", true],
            ["proposals_assigned", false],
            ["comment_period_opened", false],
            ["comment_answered", true],
            ["monitoring_due", false],
            ["carried_over", false],
            ["organization_reviewed", false],
            ["roundtable_reminder", false],
            ["survey_sent", false],
            ["roundtable_rescheduled", false],
            ["roundtable_cancelled", false],
            ["axis_roundtable", false]
        ])
    );
    let bogus = ana
        .call("save_email_kinds", &[("kinds[]", "everything")])
        .await;
    assert_eq!(bogus.status, 400);
    assert_eq!(account(&ana).await["email_kinds"], kinds);
    // Only one's own account.
    assert_eq!(app.visitor().call("my_account", &[]).await.status, 401);
}

async fn my_data_holds_what_i_wrote_and_nothing_of_others(app: TestApp) {
    let rf = crate::roundtables::fixture(&app).await;
    let id = crate::roundtables::schedule(&app, &rf, "10").await;
    let rita = app.participant("Rita", "rita@example.org").await;
    register(&rita, &id).await;
    let questions = column(&board(&rita, &id).await, 1, 1);
    add(&rita, &questions, "Mi nota en la mesa").await.ok();
    rita.call("support_proposal", &[("id", &rf.presentable)])
        .await
        .ok();
    rita.call(
        "post_comment",
        &[
            ("kind", "proposal"),
            ("subject_id", &rf.presentable),
            ("body", "Mi comentario"),
        ],
    )
    .await
    .ok();
    let res = rita
        .client
        .get(format!("{}/account/data.json", rita.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store");
    assert!(res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    let text = res.text().await.unwrap();
    let data: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(data["account"]["account"]["email"], "rita@example.org");
    assert_eq!(data["comments"][0]["body"], "Mi comentario");
    assert_eq!(data["boards"]["notes"][0]["body"], "Mi nota en la mesa");
    assert_eq!(data["roundtables"][0]["status"], "registered");
    assert_eq!(data["proposals"]["supports"].as_array().unwrap().len(), 1);
    assert!(!text.contains("argon2") && !text.contains("ana@example.org"));
    assert!(
        data["proposals"]["proposals"]
            .as_array()
            .unwrap()
            .is_empty(),
        "another's proposal"
    );
    let (status, _) = app.visitor().get("/account/data.json").await;
    assert_eq!(status, 401);
}

async fn a_deleted_account_leaves_the_record_anonymous(app: TestApp) {
    let rf = crate::roundtables::fixture(&app).await;
    let id = crate::roundtables::schedule(&app, &rf, "10").await;
    let (slug, axes) = app.open_process("Plan abierto", &["Ambiente"]).await;
    let rita = app.participant("Rita Borrable", "rita@example.org").await;
    rita.call(
        "save_profile",
        &[
            ("display_name", "Rita Borrable"),
            ("locale", "es-AR"),
            ("show_name_on_boards", "on"),
        ],
    )
    .await
    .ok();
    let proposal = rita
        .submit_proposal(
            &slug,
            "Propuesta que queda",
            axes[0],
            &[("show_name", "on")],
        )
        .await
        .to_string();
    rita.call(
        "post_comment",
        &[
            ("kind", "proposal"),
            ("subject_id", &proposal),
            ("body", "Comentario que queda"),
            ("show_name", "on"),
        ],
    )
    .await
    .ok();
    register(&rita, &id).await;
    let questions = column(&board(&rita, &id).await, 1, 1);
    add(&rita, &questions, "Nota que queda").await.ok();
    let (_, page) = app.visitor().get(&format!("/proposals/{proposal}")).await;
    assert!(page.contains("Rita Borrable"), "named while she lets it");
    assert!(board(&app.visitor(), &id)
        .await
        .to_string()
        .contains("Rita Borrable"));
    let elsewhere = app.visitor();
    elsewhere
        .call(
            "login",
            &[
                ("email", "rita@example.org"),
                ("password", "a-long-password"),
            ],
        )
        .await
        .ok();

    // She joined the open call's contact base with the same address.
    rita.call("join_contact_base", &[("email", "rita@example.org")])
        .await
        .ok();
    assert_eq!(app.count("SELECT COUNT(*) FROM contacts").await, 1);
    let wrong = rita
        .call(
            "delete_account",
            &[("current_password", "not it"), ("confirm", "on")],
        )
        .await;
    assert_eq!(
        wrong.field_error("current_password").as_deref(),
        Some("account.password_wrong")
    );
    let unconfirmed = rita
        .call("delete_account", &[("current_password", "a-long-password")])
        .await;
    assert_eq!(
        unconfirmed.field_error("confirm").as_deref(),
        Some("account.delete_confirm_required")
    );
    assert!(
        !rita.call("whoami", &[]).await.ok().is_null(),
        "nothing changed"
    );

    let r = rita
        .call(
            "delete_account",
            &[("current_password", "a-long-password"), ("confirm", "on")],
        )
        .await;
    r.ok();
    assert!(r.headers["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    assert!(rita.call("whoami", &[]).await.ok().is_null());
    assert!(
        elsewhere.call("whoami", &[]).await.ok().is_null(),
        "every session ended"
    );
    let login = app
        .visitor()
        .call(
            "login",
            &[
                ("email", "rita@example.org"),
                ("password", "a-long-password"),
            ],
        )
        .await;
    assert_eq!(login.status, 400);
    assert_eq!(app.count("SELECT COUNT(*) FROM users WHERE email = 'rita@example.org' OR display_name = 'Rita Borrable'").await, 0);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.active = 0"
        )
        .await,
        0
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM contacts").await, 0);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE to_addr = 'rita@example.org'")
            .await,
        0
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM board_events WHERE payload LIKE '%Rita%'")
            .await,
        0,
        "no stored event keeps her name"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM login_attempts WHERE key LIKE '%rita%'")
            .await,
        0,
        "no login counter holds her address"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'account.delete' AND detail = ''")
            .await,
        1
    );
    // What the public record needs stays, anonymous.
    let (status, page) = app.visitor().get(&format!("/proposals/{proposal}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Propuesta que queda") && page.contains("Comentario que queda"));
    assert!(
        !page.contains("Rita"),
        "the name is gone from the proposal page"
    );
    let b = board(&app.visitor(), &id).await.to_string();
    assert!(b.contains("Nota que queda") && !b.contains("Rita"), "{b}");
    let live =
        crate::boards::sent_to(&app.visitor(), &id, &format!("/roundtables/{id}/live"), 30).await;
    assert!(
        live.contains("Nota que queda") && !live.contains("Rita"),
        "{live}"
    );
}
