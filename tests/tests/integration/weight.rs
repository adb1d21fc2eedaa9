//! What a phone downloads: static files under content-hashed names, sent
//! precompressed and kept by the browser for good; pages and answers compressed;
//! live streams never held back by compression.
use tests::Engine;

/// A site folder as `.ci/build` leaves it: hashed names in a manifest, each file
/// with its `.br` and `.gz` beside it.
fn built_site(dir: &std::path::Path) {
    let pkg = dir.join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(
        pkg.join("assets.json"),
        r#"{"bundle":"cocrea.0123456789abcdef","css":"cocrea.fedcba9876543210.css","icon":"favicon.00aa.svg","live":"board-live.0bb0.js"}"#,
    )
    .unwrap();
    for (name, body) in [
        ("cocrea.0123456789abcdef.js", "export default function(){}"),
        ("cocrea.fedcba9876543210.css", "body{margin:0}"),
        ("board-live.0bb0.js", "// live"),
        ("plain.txt", "not hashed"),
    ] {
        std::fs::write(pkg.join(name), body).unwrap();
        std::fs::write(pkg.join(format!("{name}.br")), format!("BR:{body}")).unwrap();
        std::fs::write(pkg.join(format!("{name}.gz")), format!("GZ:{body}")).unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hashed_files_are_sent_precompressed_and_kept_pages_compressed() {
    let site = tests::new_dir();
    built_site(&site.0);
    let root = site.0.display().to_string();
    let app = tests::spawn_app_with(Engine::Sqlite, |cfg| cfg.site_root = root)
        .await
        .unwrap();
    let f = crate::roundtables::fixture(&app).await;
    let roundtable = crate::roundtables::schedule(&app, &f, "10").await;
    let client = app.visitor().client;
    let get = |path: &str, encoding: &str| {
        client
            .get(format!("{}{path}", app.base))
            .header("accept-encoding", encoding)
            .send()
    };

    // Every page names the hashed styles and icon; a page with an island (the
    // live boards, for those who may write) the hashed bundle too. A visitor's
    // board is plain HTML with the small script that keeps it current.
    let html = get("/", "identity").await.unwrap().text().await.unwrap();
    assert!(html.contains("/pkg/cocrea.fedcba9876543210.css"), "{html}");
    assert!(html.contains("/pkg/favicon.00aa.svg"));
    let board = format!("/roundtables/{roundtable}/board");
    let html = get(&board, "identity").await.unwrap().text().await.unwrap();
    assert!(html.contains("/pkg/board-live.0bb0.js"), "{html}");
    assert!(html.contains(&format!("data-live=\"/roundtables/{roundtable}/live\"")));
    assert!(
        !html.contains("_bg.wasm") && !html.contains("<leptos-island"),
        "{html}"
    );
    let (status, html) = f.team.get(&board).await;
    assert_eq!(status, 200);
    assert!(html.contains("/pkg/cocrea.0123456789abcdef.js"), "{html}");
    assert!(html.contains("/pkg/cocrea.0123456789abcdef_bg.wasm"));
    assert!(html.contains("<leptos-island") && !html.contains("/pkg/board-live.0bb0.js"));

    // A hashed file: the precompressed copy the browser takes, kept for a year.
    for (accept, encoding, prefix) in [("br, gzip", "br", "BR:"), ("gzip", "gzip", "GZ:")] {
        let res = get("/pkg/cocrea.0123456789abcdef.js", accept)
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-encoding"], encoding);
        assert_eq!(
            res.headers()["cache-control"],
            "public, max-age=31536000, immutable"
        );
        assert!(res.text().await.unwrap().starts_with(prefix));
    }
    let plain = get("/pkg/cocrea.fedcba9876543210.css", "identity")
        .await
        .unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.text().await.unwrap(), "body{margin:0}");
    let live = get("/pkg/board-live.0bb0.js", "br").await.unwrap();
    assert_eq!(live.headers()["content-encoding"], "br");
    assert_eq!(
        live.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    // A file without a hash in its name is revalidated; a missing one is a 404.
    let unhashed = get("/pkg/plain.txt", "br").await.unwrap();
    assert_eq!(unhashed.headers()["cache-control"], "no-cache");
    assert_eq!(
        get("/pkg/cocrea.0000.js", "br").await.unwrap().status(),
        404
    );

    // Pages and server functions' answers go compressed, and decompress to the page.
    let res = get("/", "gzip").await.unwrap();
    assert_eq!(res.headers()["content-encoding"], "gzip");
    let page = tests::gunzip(&res.bytes().await.unwrap());
    assert!(page.contains("/pkg/cocrea.fedcba9876543210.css"));
    // Brotli is for the files compressed once at build time: compressing an
    // answer with it costs milliseconds, so a page goes as gzip.
    let res = get("/", "br, gzip").await.unwrap();
    assert_eq!(res.headers()["content-encoding"], "gzip");
    let answer = client
        .post(format!("{}/api/open_processes", app.base))
        .header("accept-encoding", "gzip")
        .header("accept", "application/json")
        .form(&[("page", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.headers()["content-encoding"], "gzip");

    // A live stream is never compressed: each event leaves at once.
    let mut live = get(&format!("/roundtables/{roundtable}/live"), "br, gzip")
        .await
        .unwrap();
    assert_eq!(live.headers()["content-type"], "text/event-stream");
    assert!(live.headers().get("content-encoding").is_none());
    let first = tokio::time::timeout(std::time::Duration::from_secs(5), live.chunk())
        .await
        .expect("the snapshot arrives at once")
        .unwrap()
        .unwrap();
    assert!(String::from_utf8_lossy(&first).contains("snapshot"));
}
