//! Threaded comments on proposals.
use tests::{on_both_engines, TestApp, Visitor};

on_both_engines!(
    threads_replies_and_depth,
    pages_of_threads,
    comments_refused_where_they_do_not_belong
);

async fn proposal(app: &TestApp) -> (Visitor, String) {
    let (slug, axes) = app.open_process("Plan abierto", &["Ambiente"]).await;
    let ana = app.participant("Ana", "ana@example.org").await;
    let id = ana.submit_proposal(&slug, "Mapa", axes[0], &[]).await;
    (ana, id.to_string())
}

async fn post(v: &Visitor, id: &str, parent: Option<&str>, body: &str) -> tests::Reply {
    let mut form = vec![("kind", "proposal"), ("subject_id", id), ("body", body)];
    if let Some(p) = parent {
        form.push(("parent_id", p));
    }
    v.call("post_comment", &form).await
}

async fn threads(v: &Visitor, id: &str, page: &str) -> serde_json::Value {
    v.call(
        "comments",
        &[("kind", "proposal"), ("subject_id", id), ("page", page)],
    )
    .await
    .ok()
    .clone()
}

async fn threads_replies_and_depth(app: TestApp) {
    let (ana, id) = proposal(&app).await;
    let beto = app.participant("Beto", "beto@example.org").await;
    post(&ana, &id, None, "Primer comentario").await.ok();
    post(&beto, &id, None, "Segundo comentario <b>negrita</b>")
        .await
        .ok();
    let first = app.count("SELECT MIN(id) FROM comments").await.to_string();
    post(&beto, &id, Some(&first), "Respuesta").await.ok();
    let reply = app.count("SELECT MAX(id) FROM comments").await.to_string();
    post(&ana, &id, Some(&reply), "Respuesta a la respuesta")
        .await
        .ok();
    let deepest = app.count("SELECT MAX(id) FROM comments").await.to_string();
    // A fourth level is refused.
    let r = post(&beto, &id, Some(&deepest), "Demasiado hondo").await;
    assert_eq!(r.refused_key().as_deref(), Some("comment.too_deep"));

    let page = threads(&app.visitor(), &id, "1").await;
    assert_eq!(page["total"], 2);
    let first_thread: Vec<(i64, String)> = page["items"][0]["comments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["depth"].as_i64().unwrap(),
                c["body"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        first_thread,
        [
            (0, "Primer comentario".into()),
            (1, "Respuesta".into()),
            (2, "Respuesta a la respuesta".into())
        ]
    );
    assert!(
        page["items"][0]["comments"][0]["author_name"].is_null(),
        "names only with consent"
    );
    // Shown as text on the proposal page.
    let (_, html) = app.visitor().get(&format!("/proposals/{id}")).await;
    assert!(
        html.contains("Segundo comentario &lt;b&gt;negrita&lt;/b&gt;"),
        "{html}"
    );
    assert!(html.contains("Respuesta a la respuesta"));
    assert_eq!(app.count("SELECT COUNT(*) FROM comments").await, 4);
}

async fn pages_of_threads(app: TestApp) {
    let (ana, id) = proposal(&app).await;
    for i in 0..23 {
        post(&ana, &id, None, &format!("Comentario {i:02}"))
            .await
            .ok();
    }
    let first = app.count("SELECT MIN(id) FROM comments").await.to_string();
    post(&ana, &id, Some(&first), "Respuesta al primero")
        .await
        .ok();
    let p1 = threads(&app.visitor(), &id, "1").await;
    let p2 = threads(&app.visitor(), &id, "2").await;
    assert_eq!(p1["total"], 23);
    assert_eq!(p1["items"].as_array().unwrap().len(), 20);
    assert_eq!(p2["items"].as_array().unwrap().len(), 3);
    assert_eq!(p1["items"][0]["comments"].as_array().unwrap().len(), 2);
    assert_eq!(p2["items"][0]["comments"][0]["body"], "Comentario 20");
    // The reply came last, yet its thread keeps its place: first, once.
    let roots: Vec<&str> = p1["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["comments"][0]["body"].as_str().unwrap())
        .collect();
    assert_eq!(roots.first(), Some(&"Comentario 00"));
    assert_eq!(roots.iter().filter(|b| **b == "Comentario 00").count(), 1);
    // A page past the last is empty but still knows how many there are.
    let p3 = threads(&app.visitor(), &id, "3").await;
    assert_eq!(p3["items"].as_array().unwrap().len(), 0);
    assert_eq!(p3["total"], 23);
    let (_, html) = app
        .visitor()
        .get(&format!("/proposals/{id}?comments_page=2"))
        .await;
    assert!(html.contains("Comentario 22") && !html.contains("Comentario 05"));
}

async fn comments_refused_where_they_do_not_belong(app: TestApp) {
    let (ana, id) = proposal(&app).await;
    // Anonymous visitors cannot comment.
    assert_eq!(post(&app.visitor(), &id, None, "Hola").await.status, 401);
    // Empty and over-long bodies.
    let r = post(&ana, &id, None, "   ").await;
    assert_eq!(
        r.field_error("body").as_deref(),
        Some("validation.required")
    );
    let r = post(&ana, &id, None, &"x".repeat(3001)).await;
    assert_eq!(
        r.field_error("body").as_deref(),
        Some("validation.too_long")
    );
    // Replies must belong to the same proposal; unknown subjects do not exist.
    post(&ana, &id, None, "Raíz").await.ok();
    let root = app.count("SELECT MIN(id) FROM comments").await.to_string();
    let (slug, axes) = app.open_process("Otro plan", &["Eje"]).await;
    let other = ana
        .submit_proposal(&slug, "Otra", axes[0], &[])
        .await
        .to_string();
    assert_eq!(post(&ana, &other, Some(&root), "Cruzada").await.status, 404);
    assert_eq!(post(&ana, "999999", None, "Nada").await.status, 404);
    // A withdrawn proposal takes no more comments.
    ana.call("withdraw_proposal", &[("id", &id)]).await.ok();
    let r = post(&ana, &id, None, "Tarde").await;
    assert_eq!(r.refused_key().as_deref(), Some("comment.closed"));
    assert_eq!(app.count("SELECT COUNT(*) FROM comments").await, 1);
}
