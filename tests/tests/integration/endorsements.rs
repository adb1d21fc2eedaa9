//! Endorsements of the final plan: a representative endorses for their
//! organization (never someone else's), the public list shows name, role and
//! organization (never an email), and a withdrawal takes it off the list.
use crate::monitoring::final_commitment;
use crate::roundtables::fixture;
use reqwest::StatusCode;
use tests::{on_both_engines, TestApp};

on_both_engines!(representatives_endorse_the_final_plan);

async fn representatives_endorse_the_final_plan(app: TestApp) {
    let f = fixture(&app).await;
    for name in ["ACIJ", "Directorio Legislativo"] {
        sqlx::query(
            "INSERT INTO organizations (name, sector, created_at) VALUES ($1, 'civil_society', 0)",
        )
        .bind(name)
        .execute(&app.db.pool)
        .await
        .unwrap();
    }
    let acij = app
        .count("SELECT id FROM organizations WHERE name = 'ACIJ'")
        .await
        .to_string();
    let dl = app
        .count("SELECT id FROM organizations WHERE name = 'Directorio Legislativo'")
        .await
        .to_string();
    let rep = app.participant("Renata Paz", "renata@example.org").await;
    sqlx::query(
        "INSERT INTO organization_members (user_id, organization_id) SELECT u.id, o.id FROM users u, organizations o \
         WHERE u.email = 'renata@example.org' AND o.name = 'ACIJ'",
    )
    .execute(&app.db.pool)
    .await
    .unwrap();
    let endorse = |org: &str| {
        vec![
            ("slug".to_string(), f.slug.clone()),
            ("organization_id".to_string(), org.to_string()),
            ("role".to_string(), "Directora ejecutiva".to_string()),
        ]
    };
    let call = |who: &tests::Visitor, endpoint: &'static str, form: Vec<(String, String)>| {
        let who = who.clone();
        async move {
            let pairs: Vec<(&str, &str)> =
                form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            who.call(endpoint, &pairs).await
        }
    };

    // Before the plan has a final sheet, it cannot be endorsed.
    let r = call(&rep, "endorse_plan", endorse(&acij)).await;
    assert_eq!(
        r.field_error("").as_deref(),
        Some("endorsement.plan_not_final")
    );
    final_commitment(&app, &f).await;

    // Only for an organization one represents; a role is needed.
    assert_eq!(
        call(&rep, "endorse_plan", endorse(&dl)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        call(&app.visitor(), "endorse_plan", endorse(&acij))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    let mut no_role = endorse(&acij);
    no_role[2].1 = " ".into();
    let r = call(&rep, "endorse_plan", no_role).await;
    assert_eq!(
        r.field_error("role").as_deref(),
        Some("validation.required")
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM endorsements").await, 0);
    call(&rep, "endorse_plan", endorse(&acij)).await.ok();

    // The public list: organization, name and role; no email anywhere.
    let public = app.visitor();
    let list = public.call("endorsements", &[("slug", &f.slug)]).await;
    let items = list.ok()["items"].clone();
    assert_eq!(items[0]["organization"], "ACIJ");
    assert_eq!(items[0]["person"], "Renata Paz");
    assert_eq!(items[0]["role"], "Directora ejecutiva");
    let (_, page) = public
        .get(&format!("/processes/{}/endorsements", f.slug))
        .await;
    assert!(page.contains("Renata Paz") && page.contains("Directora ejecutiva"));
    // Its representative sees it endorsed; endorsing again changes nothing.
    let mine = rep.call("endorsements", &[("slug", &f.slug)]).await;
    assert_eq!(mine.ok()["mine"][0][2], true);
    call(&rep, "endorse_plan", endorse(&acij)).await.ok();
    assert_eq!(app.count("SELECT COUNT(*) FROM endorsements").await, 1);

    // Withdrawn: off the list (and only its representatives withdraw it).
    let withdraw = |org: &str| {
        vec![
            ("slug".to_string(), f.slug.clone()),
            ("organization_id".to_string(), org.to_string()),
        ]
    };
    assert_eq!(
        call(&f.team, "withdraw_endorsement", withdraw(&acij))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    call(&rep, "withdraw_endorsement", withdraw(&acij))
        .await
        .ok();
    let list = public.call("endorsements", &[("slug", &f.slug)]).await;
    assert_eq!(list.ok()["items"], serde_json::Value::Array(vec![]));
    let r = call(&rep, "withdraw_endorsement", withdraw(&acij)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

on_both_engines!(the_published_plan_takes_public_comments);

/// The plan takes comments once it has a final sheet: anyone reads them, a
/// signed-in person writes them, and a hidden one leaves the public list.
async fn the_published_plan_takes_public_comments(app: TestApp) {
    let f = fixture(&app).await;
    let process = app
        .count(&format!(
            "SELECT id FROM processes WHERE slug = '{}'",
            f.slug
        ))
        .await
        .to_string();
    let vecina = app.participant("Vecina", "vecina@example.org").await;
    let comment = |body: &'static str| {
        let process = process.clone();
        let vecina = vecina.clone();
        async move {
            vecina
                .call(
                    "post_comment",
                    &[
                        ("kind", "plan"),
                        ("subject_id", &process),
                        ("body", body),
                        ("show_name", "on"),
                    ],
                )
                .await
        }
    };
    let list = |who: tests::Visitor| {
        let process = process.clone();
        async move {
            who.call(
                "comments",
                &[("kind", "plan"), ("subject_id", &process), ("page", "1")],
            )
            .await
        }
    };
    // Not yet: the plan has no final sheet.
    assert_eq!(
        comment("Antes de tiempo").await.refused_key().as_deref(),
        Some("comment.closed")
    );
    assert_eq!(list(app.visitor()).await.status, StatusCode::NOT_FOUND);
    final_commitment(&app, &f).await;
    assert_eq!(
        app.visitor()
            .call(
                "post_comment",
                &[
                    ("kind", "plan"),
                    ("subject_id", &process),
                    ("body", "Anónimo")
                ]
            )
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    comment("Falta un compromiso sobre vivienda.").await.ok();
    comment("Spam").await.ok();
    let threads = list(app.visitor()).await.ok().to_string();
    assert!(threads.contains("Falta un compromiso sobre vivienda.") && threads.contains("Vecina"));
    let (_, page) = app
        .visitor()
        .get(&format!("/processes/{}/endorsements", f.slug))
        .await;
    assert!(page.contains("Falta un compromiso sobre vivienda."));
    // Hidden by the team: its text leaves the list and the page.
    let spam = app
        .count("SELECT id FROM comments WHERE body = 'Spam'")
        .await
        .to_string();
    f.team
        .call(
            "moderate",
            &[("kind", "comment"), ("id", &spam), ("hide", "on")],
        )
        .await
        .ok();
    assert!(!list(app.visitor()).await.ok().to_string().contains("Spam"));
    let (_, page) = app
        .visitor()
        .get(&format!("/processes/{}/endorsements", f.slug))
        .await;
    assert!(!page.contains(">Spam<"));
    // Unknown process: not found.
    assert_eq!(
        vecina
            .call(
                "post_comment",
                &[("kind", "plan"), ("subject_id", "999999"), ("body", "x")]
            )
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}
