//! Pages kept for visitors who are not signed in: shown again while nothing
//! was written, never to a signed-in person, and forgotten by any write (a
//! hidden proposal is gone at once). Each showing's own nonce: `web.rs`.
use tests::{on_both_engines, TestApp, Visitor};

on_both_engines!(a_kept_page_is_shown_until_a_write_and_never_to_someone_signed_in,);

/// A visitor's GET: whether it was kept, and the page.
pub async fn page(v: &Visitor, path: &str, language: &str) -> (Option<String>, String) {
    let res = v
        .client
        .get(format!("{}{path}", v.base))
        .header("accept-language", language)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{path}");
    let kept = res
        .headers()
        .get("x-cache")
        .map(|h| h.to_str().unwrap().to_string());
    (kept, res.text().await.unwrap())
}

async fn a_kept_page_is_shown_until_a_write_and_never_to_someone_signed_in(app: TestApp) {
    let (slug, axes) = app.open_process("Plan abierto", &["Ambiente"]).await;
    let ana = app.participant("Ana", "ana@example.org").await;
    let id = ana
        .submit_proposal(&slug, "Mapa de arbolado", axes[0], &[])
        .await;
    let path = format!("/proposals/{id}");
    let visitor = app.visitor();

    let (first, html) = page(&visitor, &path, "es-AR").await;
    assert_eq!(first.as_deref(), Some("miss"));
    assert!(html.contains("Mapa de arbolado"));
    let (second, again) = page(&app.visitor(), &path, "es-AR").await;
    assert_eq!(second.as_deref(), Some("hit"));
    assert!(again.contains("Mapa de arbolado"));
    // Another language is another page.
    let (english, html) = page(&visitor, &path, "en").await;
    assert_eq!(english.as_deref(), Some("miss"));
    assert!(html.contains("lang=\"en\""));

    // A signed-in person's page is theirs: never kept, never shown to others.
    let (kept, mine) = page(&ana, &path, "es-AR").await;
    assert_eq!(kept, None);
    assert!(mine.contains("/api/logout"));
    let (_, public) = page(&visitor, &path, "es-AR").await;
    assert!(
        !public.contains("/api/logout"),
        "a signed-in page was shown"
    );

    // A search hint reads and writes nothing: the page stays kept.
    visitor
        .call(
            "similar_proposals",
            &[("slug", &slug), ("text", "arbolado")],
        )
        .await
        .ok();
    assert_eq!(
        page(&visitor, &path, "es-AR").await.0.as_deref(),
        Some("hit")
    );

    // A support changes the page: the next visitor sees it at once.
    let beto = app.participant("Beto", "beto@example.org").await;
    beto.call("support_proposal", &[("id", &id.to_string())])
        .await
        .ok();
    let (kept, _) = page(&visitor, &path, "es-AR").await;
    assert_eq!(kept.as_deref(), Some("miss"));

    // Hidden by moderation: gone for every visitor at once, kept page or not.
    assert_eq!(
        page(&visitor, &path, "es-AR").await.0.as_deref(),
        Some("hit")
    );
    let team = app.user_with_role("facilitator", "team@example.org").await;
    team.call(
        "moderate",
        &[("kind", "proposal"), ("id", &id.to_string()), ("hide", "1")],
    )
    .await
    .ok();
    let (_, html) = page(&visitor, &path, "es-AR").await;
    assert!(!html.contains("Mapa de arbolado"));
    assert!(html.contains("Propuesta ocultada por moderación"));
    let list = format!("/processes/{slug}/proposals");
    assert!(!page(&visitor, &list, "es-AR")
        .await
        .1
        .contains("Mapa de arbolado"));
}
