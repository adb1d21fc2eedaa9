//! Sign-up, login, logout and password reset, on both engines.
use tests::smtp::body_of;
use tests::{on_both_engines, TestApp};

on_both_engines!(
    signup_login_logout,
    bad_signups_change_nothing,
    login_errors_are_generic_and_throttled,
    password_reset_by_email,
);

async fn signup_login_logout(app: TestApp) {
    let v = app.visitor();
    let r = v
        .call(
            "signup",
            &[
                ("display_name", "Ana Rodríguez"),
                ("email", "Ana@Example.org"),
                ("password", "correct horse battery"),
                ("password_confirm", "correct horse battery"),
                ("accept_privacy", "on"),
            ],
        )
        .await;
    r.ok();
    let me = v.call("whoami", &[]).await;
    assert_eq!(me.ok()["display_name"], "Ana Rodríguez");
    assert_eq!(me.ok()["role"], "Participant");
    // The session cookie is HttpOnly and SameSite=Lax.
    let cookie = r
        .headers
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );

    v.call("logout", &[]).await.ok();
    assert!(v.call("whoami", &[]).await.ok().is_null());

    // Email is matched case-insensitively.
    let again = app.visitor();
    again
        .call(
            "login",
            &[
                ("email", "ana@example.org"),
                ("password", "correct horse battery"),
            ],
        )
        .await
        .ok();
    assert_eq!(
        again.call("whoami", &[]).await.ok()["display_name"],
        "Ana Rodríguez"
    );
}

async fn bad_signups_change_nothing(app: TestApp) {
    app.participant("Existing", "taken@example.org").await;
    let before = app.count("SELECT COUNT(*) FROM users").await;
    let v = app.visitor();
    let long = "x".repeat(5000);
    let cases: Vec<(Vec<(&str, &str)>, &str, &str)> = vec![
        (
            vec![
                ("display_name", "   "),
                ("email", "a@b.org"),
                ("password", "long enough pw"),
                ("password_confirm", "long enough pw"),
                ("accept_privacy", "on"),
            ],
            "display_name",
            "validation.required",
        ),
        (
            vec![
                ("display_name", &long),
                ("email", "a@b.org"),
                ("password", "long enough pw"),
                ("password_confirm", "long enough pw"),
                ("accept_privacy", "on"),
            ],
            "display_name",
            "validation.too_long",
        ),
        (
            vec![
                ("display_name", "A"),
                ("email", "not an email"),
                ("password", "long enough pw"),
                ("password_confirm", "long enough pw"),
                ("accept_privacy", "on"),
            ],
            "email",
            "validation.email",
        ),
        (
            vec![
                ("display_name", "A"),
                ("email", "TAKEN@example.org"),
                ("password", "long enough pw"),
                ("password_confirm", "long enough pw"),
                ("accept_privacy", "on"),
            ],
            "email",
            "validation.email_taken",
        ),
        (
            vec![
                ("display_name", "A"),
                ("email", "a@b.org"),
                ("password", "short"),
                ("password_confirm", "short"),
                ("accept_privacy", "on"),
            ],
            "password",
            "validation.password_short",
        ),
        (
            vec![
                ("display_name", "A"),
                ("email", "a@b.org"),
                ("password", "long enough pw"),
                ("password_confirm", "different pw!"),
                ("accept_privacy", "on"),
            ],
            "password_confirm",
            "validation.password_mismatch",
        ),
        (
            vec![
                ("display_name", "A"),
                ("email", "a@b.org"),
                ("password", "long enough pw"),
                ("password_confirm", "long enough pw"),
            ],
            "accept_privacy",
            "validation.accept_privacy",
        ),
    ];
    for (form, field, key) in cases {
        let r = v.call("signup", &form).await;
        assert_eq!(r.status, 400, "{form:?} -> {}", r.body);
        assert_eq!(
            r.field_error(field).as_deref(),
            Some(key),
            "{form:?} -> {}",
            r.body
        );
    }
    // A body that is not a valid form is refused cleanly.
    let r = v.call("signup", &[("unexpected", "1")]).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.error_kind().as_deref(), Some("BadRequest"));
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, before);
    assert!(v.call("whoami", &[]).await.ok().is_null());
}

async fn login_errors_are_generic_and_throttled(app: TestApp) {
    app.participant("Real", "real@example.org").await;
    let v = app.visitor();
    let wrong_pw = v
        .call(
            "login",
            &[
                ("email", "real@example.org"),
                ("password", "wrong password"),
            ],
        )
        .await;
    let no_account = v
        .call(
            "login",
            &[
                ("email", "ghost@example.org"),
                ("password", "wrong password"),
            ],
        )
        .await;
    assert_eq!(wrong_pw.status, 400);
    assert_eq!(
        wrong_pw.body["Invalid"]["errors"], no_account.body["Invalid"]["errors"],
        "no account enumeration"
    );
    assert_eq!(wrong_pw.status, no_account.status);
    assert_eq!(
        wrong_pw.field_error("").as_deref(),
        Some("auth.login_failed")
    );

    // Repeated failures lock the account for a while...
    for _ in 0..8 {
        v.call(
            "login",
            &[
                ("email", "real@example.org"),
                ("password", "wrong password"),
            ],
        )
        .await;
    }
    let locked = v
        .call(
            "login",
            &[
                ("email", "real@example.org"),
                ("password", "a-long-password"),
            ],
        )
        .await;
    assert_eq!(locked.status, 429);
    assert_eq!(locked.error_kind().as_deref(), Some("RateLimited"));
    // ...but someone else behind the same address can still log in.
    app.participant("Neighbour", "neighbour@example.org").await;
    let other = app.visitor();
    other
        .call(
            "login",
            &[
                ("email", "neighbour@example.org"),
                ("password", "a-long-password"),
            ],
        )
        .await
        .ok();
}

async fn password_reset_by_email(app: TestApp) {
    app.participant("Forgetful", "forgetful@example.org").await;
    let v = app.visitor();
    v.call(
        "request_password_reset",
        &[("email", "forgetful@example.org")],
    )
    .await;
    // Unknown addresses get the same answer and no mail.
    let unknown = v
        .call("request_password_reset", &[("email", "nobody@example.org")])
        .await;
    assert!(unknown.status.is_success());

    let mail = app.smtp.wait_for("forgetful@example.org").await;
    let body = body_of(&mail);
    let token = body
        .split("token=")
        .nth(1)
        .and_then(|t| t.split_whitespace().next())
        .expect("reset link in the mail")
        .to_string();
    assert!(!app
        .smtp
        .messages()
        .iter()
        .any(|m| m.contains("nobody@example.org")));

    // Mismatched confirmation: nothing changes, the token stays usable.
    let r = v
        .call(
            "reset_password",
            &[
                ("token", &token),
                ("password", "brand new password"),
                ("password_confirm", "other"),
            ],
        )
        .await;
    assert_eq!(
        r.field_error("password_confirm").as_deref(),
        Some("validation.password_mismatch")
    );

    v.call(
        "reset_password",
        &[
            ("token", &token),
            ("password", "brand new password"),
            ("password_confirm", "brand new password"),
        ],
    )
    .await
    .ok();
    // Reused token.
    let reused = v
        .call(
            "reset_password",
            &[
                ("token", &token),
                ("password", "another new password"),
                ("password_confirm", "another new password"),
            ],
        )
        .await;
    assert_eq!(reused.refused_key().as_deref(), Some("auth.reset_used"));
    // Unknown token.
    let bogus = v
        .call(
            "reset_password",
            &[
                ("token", "bogus"),
                ("password", "another new password"),
                ("password_confirm", "another new password"),
            ],
        )
        .await;
    assert_eq!(bogus.refused_key().as_deref(), Some("auth.reset_unknown"));

    // Old password no longer works; the new one does.
    let old = app
        .visitor()
        .call(
            "login",
            &[
                ("email", "forgetful@example.org"),
                ("password", "a-long-password"),
            ],
        )
        .await;
    assert_eq!(old.field_error("").as_deref(), Some("auth.login_failed"));
    app.visitor()
        .call(
            "login",
            &[
                ("email", "forgetful@example.org"),
                ("password", "brand new password"),
            ],
        )
        .await
        .ok();

    // An expired token is refused.
    v.call(
        "request_password_reset",
        &[("email", "forgetful@example.org")],
    )
    .await;
    sqlx::query("UPDATE password_resets SET expires_at = 0, created_at = 0")
        .execute(&app.db.pool)
        .await
        .unwrap();
    // (created_at reset lifts the one-a-minute throttle)
    v.call(
        "request_password_reset",
        &[("email", "forgetful@example.org")],
    )
    .await;
    let mails = loop {
        let m: Vec<String> = app
            .smtp
            .messages()
            .into_iter()
            .filter(|m| m.contains("forgetful@example.org"))
            .collect();
        if m.len() >= 2 {
            break m;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    sqlx::query("UPDATE password_resets SET expires_at = 0")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let last = mails
        .iter()
        .map(|m| body_of(m))
        .find(|b| !b.contains(&token))
        .unwrap();
    let token2 = last
        .split("token=")
        .nth(1)
        .and_then(|t| t.split_whitespace().next())
        .unwrap();
    let expired = v
        .call(
            "reset_password",
            &[
                ("token", token2),
                ("password", "another new password"),
                ("password_confirm", "another new password"),
            ],
        )
        .await;
    assert_eq!(expired.refused_key().as_deref(), Some("auth.reset_expired"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_failures_from_one_address_are_throttled() {
    let app = tests::spawn_app(tests::Engine::Sqlite).await.unwrap();
    app.participant("Late", "late@example.org").await;
    let v = app.visitor();
    // 100 failures spread over many accounts, each under the per-account limit.
    for i in 0..100 {
        let r = v
            .call(
                "login",
                &[
                    ("email", &format!("guess{}@example.org", i % 20)),
                    ("password", "wrong password"),
                ],
            )
            .await;
        assert_eq!(r.status, 400, "attempt {i}: {}", r.body);
    }
    let r = v
        .call(
            "login",
            &[
                ("email", "late@example.org"),
                ("password", "a-long-password"),
            ],
        )
        .await;
    assert_eq!(r.status, 429, "{}", r.body);
    // Every attempt is counted, the refused one too.
    assert_eq!(
        app.count("SELECT attempts FROM login_attempts WHERE key LIKE 'address:%'")
            .await,
        101
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cookies_are_secure_behind_https_and_mail_goes_to_a_folder_without_smtp() {
    let app = tests::spawn_app_with(tests::Engine::Sqlite, |cfg| {
        cfg.base_url = Some("https://cocrea.example.org".into());
        cfg.smtp_url = None;
    })
    .await
    .unwrap();
    let v = app.visitor();
    let r = v
        .call(
            "signup",
            &[
                ("display_name", "Ana"),
                ("email", "ana@example.org"),
                ("password", "a-long-password"),
                ("password_confirm", "a-long-password"),
                ("accept_privacy", "on"),
            ],
        )
        .await;
    let cookie = r.headers.get("set-cookie").unwrap().to_str().unwrap();
    assert!(cookie.contains("; Secure"), "{cookie}");
    v.call("request_password_reset", &[("email", "ana@example.org")])
        .await
        .ok();
    let folder = app.dir().join("mail-folder");
    for _ in 0..200 {
        // The address confirmation went first; the reset follows it.
        let texts: Vec<String> = std::fs::read_dir(&folder)
            .map(|d| {
                d.flatten()
                    .filter_map(|f| std::fs::read_to_string(f.path()).ok())
                    .collect()
            })
            .unwrap_or_default();
        if let Some(text) = texts.iter().find(|t| t.contains("reset-password")) {
            assert!(text.contains("To: ana@example.org"), "{text}");
            assert!(
                text.contains("https://cocrea.example.org/reset-password?token="),
                "{text}"
            );
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no message written to {}", folder.display());
}
