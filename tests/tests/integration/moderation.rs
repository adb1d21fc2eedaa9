//! Reports, the moderation queue, hiding and restoring, and the audit log.
use tests::{on_both_engines, TestApp, Visitor};

on_both_engines!(
    report_hide_restore_with_audit,
    hidden_proposal_shows_a_placeholder
);

async fn proposal_with_comment(app: &TestApp) -> (Visitor, String, String) {
    let (slug, axes) = app.open_process("Plan abierto", &["Ambiente"]).await;
    let ana = app.participant("Ana", "ana@example.org").await;
    let id = ana
        .submit_proposal(&slug, "Mapa", axes[0], &[])
        .await
        .to_string();
    ana.call(
        "post_comment",
        &[
            ("kind", "proposal"),
            ("subject_id", &id),
            ("body", "Comentario ofensivo XYZ"),
        ],
    )
    .await
    .ok();
    let comment = app.count("SELECT MAX(id) FROM comments").await.to_string();
    (ana, id, comment)
}

async fn report_hide_restore_with_audit(app: TestApp) {
    let (_ana, id, comment) = proposal_with_comment(&app).await;
    let beto = app.participant("Beto", "beto@example.org").await;
    let caro = app.participant("Caro", "caro@example.org").await;
    beto.call(
        "report",
        &[
            ("kind", "comment"),
            ("id", &comment),
            ("reason", "offensive"),
        ],
    )
    .await
    .ok();
    caro.call(
        "report",
        &[("kind", "comment"), ("id", &comment), ("reason", "spam")],
    )
    .await
    .ok();
    let again = beto
        .call(
            "report",
            &[("kind", "comment"), ("id", &comment), ("reason", "spam")],
        )
        .await;
    assert_eq!(again.refused_key().as_deref(), Some("report.already"));
    let bad = beto
        .call(
            "report",
            &[("kind", "comment"), ("id", &comment), ("reason", "boring")],
        )
        .await;
    assert_eq!(
        bad.field_error("reason").as_deref(),
        Some("validation.choice")
    );
    assert_eq!(
        beto.call(
            "report",
            &[("kind", "comment"), ("id", "999999"), ("reason", "spam")]
        )
        .await
        .status,
        404
    );

    let team = app.user_with_role("facilitator", "team@example.org").await;
    let queue = team.call("moderation_queue", &[("page", "1")]).await;
    let item = queue.ok()["items"][0].clone();
    assert_eq!(item["kind"], "Comment");
    assert_eq!(item["reports"], 2);
    assert_eq!(
        item["context"],
        format!("/proposals/{id}#comment-{comment}")
    );
    assert_eq!(item["reasons"].as_array().unwrap().len(), 2);

    team.call(
        "moderate",
        &[("kind", "comment"), ("id", &comment), ("hide", "1")],
    )
    .await
    .ok();
    let threads = app
        .visitor()
        .call(
            "comments",
            &[("kind", "proposal"), ("subject_id", &id), ("page", "1")],
        )
        .await;
    let shown = threads.ok()["items"][0]["comments"][0].clone();
    assert_eq!(shown["hidden"], true);
    assert_eq!(shown["body"], "", "hidden text never leaves the server");
    let (_, html) = app.visitor().get(&format!("/proposals/{id}")).await;
    assert!(!html.contains("Comentario ofensivo XYZ"));
    assert!(html.contains("Este comentario fue ocultado por moderación."));
    // Reports are resolved: the queue is empty. Replies to hidden comments are refused.
    assert_eq!(
        team.call("moderation_queue", &[("page", "1")]).await.ok()["total"],
        0
    );
    let reply = beto
        .call(
            "post_comment",
            &[
                ("kind", "proposal"),
                ("subject_id", &id),
                ("parent_id", &comment),
                ("body", "R"),
            ],
        )
        .await;
    assert_eq!(
        reply.refused_key().as_deref(),
        Some("comment.parent_hidden")
    );

    team.call("moderate", &[("kind", "comment"), ("id", &comment)])
        .await
        .ok();
    let (_, html) = app.visitor().get(&format!("/proposals/{id}")).await;
    assert!(html.contains("Comentario ofensivo XYZ"));

    // Administrators see both actions in the audit log; others may not look.
    let admin = app.user_with_role("admin", "admin@example.org").await;
    let log = admin.call("audit_log", &[("page", "1")]).await;
    let actions: Vec<String> = log.ok()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        actions[..2],
        [
            "moderation.restore".to_string(),
            "moderation.hide".to_string()
        ]
    );
    assert_eq!(log.ok()["items"][0]["actor"], "facilitator");
    assert_eq!(team.call("audit_log", &[("page", "1")]).await.status, 403);
    assert_eq!(
        beto.call(
            "moderate",
            &[("kind", "comment"), ("id", &comment), ("hide", "1")]
        )
        .await
        .status,
        403
    );
}

async fn hidden_proposal_shows_a_placeholder(app: TestApp) {
    let (ana, id, _) = proposal_with_comment(&app).await;
    let beto = app.participant("Beto", "beto@example.org").await;
    beto.call(
        "report",
        &[("kind", "proposal"), ("id", &id), ("reason", "spam")],
    )
    .await
    .ok();
    let team = app.user_with_role("facilitator", "team@example.org").await;
    team.call(
        "moderate",
        &[("kind", "proposal"), ("id", &id), ("hide", "1")],
    )
    .await
    .ok();
    let p = app.visitor().call("proposal", &[("id", &id)]).await;
    assert_eq!(p.ok()["summary"]["hidden"], true);
    assert!(!p.body.to_string().contains("Mapa"));
    let (status, html) = app.visitor().get(&format!("/proposals/{id}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Propuesta ocultada por moderación"));
    // Hidden proposals take no comments or supports, and the author cannot edit them.
    let c = beto
        .call(
            "post_comment",
            &[("kind", "proposal"), ("subject_id", &id), ("body", "Hola")],
        )
        .await;
    assert_eq!(c.refused_key().as_deref(), Some("comment.closed"));
    assert_eq!(
        beto.call("support_proposal", &[("id", &id)]).await.status,
        409
    );
    assert_eq!(
        ana.call("withdraw_proposal", &[("id", &id)]).await.status,
        409
    );
}
