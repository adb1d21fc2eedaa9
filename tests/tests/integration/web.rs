//! The site as a browser without JavaScript sees it, and the security layers.
use tests::{on_both_engines, TestApp};

on_both_engines!(
    security_headers_and_nonce,
    cross_site_posts_are_refused,
    oversized_and_malformed_bodies,
    forms_work_without_javascript,
    a_form_comes_back_with_its_outcome,
    only_pages_with_islands_load_the_bundle,
    language_from_cookie_or_accept_language,
    health_reports_the_database,
    emails_never_appear_on_public_pages,
    shared_pages_carry_a_preview_and_share_links,
);

const FORM: &str = "application/x-www-form-urlencoded";

async fn security_headers_and_nonce(app: TestApp) {
    // A visitor's home page: its headers, its CSP and its HTML.
    let home = || async {
        let res = app.visitor().response("/").await;
        let h = res.headers().clone();
        let csp = h["content-security-policy"].to_str().unwrap().to_string();
        (h, csp, res.text().await.unwrap())
    };
    let (h, csp, html) = home().await;
    assert!(
        !csp.contains("'unsafe-inline'") && !csp.contains("'unsafe-eval'"),
        "{csp}"
    );
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("'wasm-unsafe-eval'"));
    assert_eq!(h.get("x-content-type-options").unwrap(), "nosniff");
    assert!(h.get("referrer-policy").is_some());
    let nonce = scripts_carry_the_nonce(&csp, &html);
    // The next visitor gets the page kept for visitors, with a nonce of its own
    // on every script.
    let (h, csp, html) = home().await;
    assert_eq!(h["x-cache"], "hit");
    let second = scripts_carry_the_nonce(&csp, &html);
    assert_ne!(second, nonce);
    // A browser takes it gzipped: compressed once when kept, each showing
    // writing its own nonce in; it inflates to the same page.
    let res = app
        .visitor()
        .client
        .get(format!("{}/", app.base))
        .header("accept-encoding", "gzip, deflate, br")
        .send()
        .await
        .unwrap();
    let h = res.headers().clone();
    assert_eq!(h["x-cache"], "hit");
    assert_eq!(h["content-encoding"], "gzip");
    assert_eq!(h["vary"], "accept-encoding");
    let csp = h["content-security-policy"].to_str().unwrap().to_string();
    let gunzipped = tests::gunzip(&res.bytes().await.unwrap());
    let third = scripts_carry_the_nonce(&csp, &gunzipped);
    assert!(third != nonce && third != second);
    assert_eq!(gunzipped.replace(&third, "N"), html.replace(&second, "N"));
}

/// The nonce the CSP names, having checked that every inline script carries it.
fn scripts_carry_the_nonce(csp: &str, html: &str) -> String {
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap();
    let scripts = html.matches("<script").count();
    assert!(scripts >= 1);
    assert_eq!(
        html.matches(&format!("nonce=\"{nonce}\"")).count(),
        scripts,
        "{html}"
    );
    nonce.to_string()
}

async fn cross_site_posts_are_refused(app: TestApp) {
    let v = app.participant("Ana", "ana@example.org").await;
    let form = "email=x%40example.org";
    for (header, value) in [
        ("origin", "https://evil.example"),
        ("sec-fetch-site", "cross-site"),
        ("referer", "https://evil.example/page"),
    ] {
        let res = v.post_raw("logout", FORM, (header, value), form).await;
        assert_eq!(res.status(), 403, "{header}: {value}");
        let body = res.text().await.unwrap();
        assert!(body.contains("otro sitio"), "{body}");
    }
    // Still signed in: the logout never ran.
    assert_eq!(v.call("whoami", &[]).await.ok()["display_name"], "Ana");
    // Same-origin posts work.
    let res = v
        .post_raw("logout", FORM, ("sec-fetch-site", "same-origin"), "")
        .await;
    assert!(res.status().is_success());
}

async fn oversized_and_malformed_bodies(app: TestApp) {
    let v = app.visitor();
    // Announce a body over the limit and send none of it: the server must answer
    // 413 from the headers alone (raw TCP, so no client can hide what it does).
    let raw = raw_request(
        app.addr,
        &format!(
            "POST /api/signup HTTP/1.1\r\nHost: {}\r\nAccept-Language: en\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
            app.addr,
            600 * 1024
        ),
    )
    .await;
    assert!(raw.starts_with("HTTP/1.1 413"), "{raw}");
    assert!(raw.contains("too large"), "{raw}");
    let res = v.post_raw("login", FORM, ("", ""), "%%%&&&==").await;
    assert_eq!(res.status(), 400);
    let res = v
        .post_raw("login", "application/json", ("", ""), "{not json")
        .await;
    assert_eq!(res.status(), 400);
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 0);
}

async fn forms_work_without_javascript(app: TestApp) {
    let v = app.visitor();
    // A failed sign-up comes back to the form with the errors and what was typed.
    let res = v
        .post_form(
            "signup",
            &[
                ("display_name", "<script>alert('x')</script>"),
                ("email", "ana@example.org"),
                ("password", "a-long-password"),
                ("password_confirm", "different-password"),
            ],
            "/signup",
        )
        .await;
    assert_eq!(res.status(), 302);
    let back = res
        .headers()
        .get("location")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(back.starts_with(&format!("{}/signup?", app.base)), "{back}");
    let page = v.follow(&back).await;
    assert!(page.contains("Las contraseñas no coinciden."), "{page}");
    assert!(page.contains("Para crear la cuenta tenés que aceptar el aviso de privacidad."));
    assert!(page.contains("value=\"ana@example.org\""));
    assert!(
        page.contains("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;")
            || page.contains("&lt;script&gt;alert('x')&lt;/script&gt;"),
        "{page}"
    );
    assert!(!page.contains("<script>alert"));
    assert!(
        !page.contains("a-long-password"),
        "passwords are never echoed"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 0);

    // A successful one signs in and goes home.
    let res = v
        .post_form(
            "signup",
            &[
                ("display_name", "Ana"),
                ("email", "ana@example.org"),
                ("password", "a-long-password"),
                ("password_confirm", "a-long-password"),
                ("accept_privacy", "on"),
            ],
            "/signup",
        )
        .await;
    assert_eq!(res.status(), 302);
    assert_eq!(res.headers().get("location").unwrap(), "/");
    let (_, home) = v.get("/").await;
    assert!(
        home.contains("class=\"nav-user\"><a href=\"/account\"") && home.contains(">Ana</a></li>"),
        "{home}"
    );
    // The navigation marks where the person is, and only there.
    let link_to = |page: &str, href: &str| {
        let start = page.find(&format!("<a href=\"{href}\"")).expect("a link");
        page[start..start + page[start..].find('>').unwrap()].to_string()
    };
    assert!(
        link_to(&home, "/").contains("aria-current=\"page\""),
        "{home}"
    );
    assert!(!link_to(&home, "/notifications").contains("aria-current"));
    let (_, notifications) = v.get("/notifications").await;
    assert!(link_to(&notifications, "/notifications").contains("aria-current=\"page\""));
    assert_eq!(notifications.matches("aria-current=\"page\"").count(), 1);
}

/// The address a form post without JavaScript is sent back to.
fn location(res: &reqwest::Response) -> String {
    res.headers()
        .get("location")
        .expect("a redirect")
        .to_str()
        .unwrap()
        .to_string()
}

async fn a_form_comes_back_with_its_outcome(app: TestApp) {
    const DONE: &str = "Gracias: el equipo va a revisar el reporte.";
    const ALREADY: &str = "Ya reportaste este contenido.";
    let (slug, axes) = app.open_process("Plan abierto", &["Ambiente"]).await;
    let ana = app.participant("Ana", "ana@example.org").await;
    let id = ana.submit_proposal(&slug, "Arbolado", axes[0], &[]).await;
    let beto = app.participant("Beto", "beto@example.org").await;
    let page = format!("/proposals/{id}?comments_page=1");
    let id = id.to_string();
    let form = [
        ("kind", "proposal"),
        ("id", id.as_str()),
        ("reason", "off_topic"),
    ];
    // Done: back to the page (its own query kept), which says so once (the
    // comments' report form on the same page stays quiet).
    let res = beto.post_form("report", &form, &page).await;
    assert_eq!(res.status(), 302);
    let back = location(&res);
    assert!(
        back.contains("comments_page=1") && back.contains("__done=%2Fapi%2Freport"),
        "{back}"
    );
    let html = beto.follow(&back).await;
    assert_eq!(html.matches(DONE).count(), 1, "{html}");
    // Refused the second time, posted from the page that said "done": only the refusal shows.
    let again = back.trim_start_matches(&app.base).to_string();
    let res = beto.post_form("report", &form, &again).await;
    let back = location(&res);
    assert!(back.contains("__err") && !back.contains("__done"), "{back}");
    let html = beto.follow(&back).await;
    assert!(html.contains(ALREADY) && !html.contains(DONE), "{html}");
    assert_eq!(app.count("SELECT COUNT(*) FROM reports").await, 1);
    // An address made up by someone else shows nothing it does not prove.
    for forged in [
        "__done=%2Fapi%2Freport&__out=%%%",
        "__done=%2Fapi%2Freport&__out=InRleHQi",
    ] {
        let (_, html) = beto.get(&format!("/proposals/{id}?{forged}")).await;
        assert!(!html.contains(DONE), "{forged}");
    }
    // A script's call is answered as before: the result itself, no redirect.
    let carla = app.participant("Carla", "carla@example.org").await;
    let reply = carla.call("report", &form).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body, serde_json::json!("Proposal"));
}

/// The WebAssembly runs the islands (live boards, similar proposals): a page
/// without one does not ask for it, and its HTML carries no data for hydration.
async fn only_pages_with_islands_load_the_bundle(app: TestApp) {
    let (slug, _) = app.open_process("Plan abierto", &["Ambiente"]).await;
    let ana = app.participant("Ana", "ana@example.org").await;
    for path in [
        "/".to_string(),
        format!("/processes/{slug}/proposals"),
        "/login".into(),
    ] {
        let (status, html) = ana.get(&path).await;
        assert_eq!(status, 200);
        assert!(
            !html.contains("_bg.wasm") && !html.contains("<leptos-island"),
            "{path}: {html}"
        );
        assert!(
            !html.contains("__RESOLVED_RESOURCES["),
            "{path}: no data for hydration"
        );
    }
    let (_, form) = ana.get(&format!("/processes/{slug}/proposals/new")).await;
    assert!(form.contains("<leptos-island"), "{form}");
    assert_eq!(
        form.matches("_bg.wasm\"").count(),
        1,
        "one script, after the island: {form}"
    );
    assert!(form.find("<leptos-island").unwrap() < form.find("_bg.wasm").unwrap());
}

async fn language_from_cookie_or_accept_language(app: TestApp) {
    let v = app.visitor();
    let en = v.page_in("/login", "en-GB,en;q=0.9").await;
    assert!(en.contains("<html lang=\"en\"") && en.contains("Log in"));
    let es = v.page_in("/login", "fr-FR").await;
    assert!(
        es.contains("<html lang=\"es-AR\"") && es.contains("Ingresar"),
        "es-AR is the default"
    );
    let res = v
        .post_site_form("/lang", &[("tag", "en"), ("back", "/privacy")])
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers().get("location").unwrap(), "/privacy");
    // The cookie wins over Accept-Language.
    let page = v.page_in("/privacy", "es").await;
    assert!(page.contains("Privacy notice"));
    // Only local paths are followed.
    let res = v
        .post_site_form("/lang", &[("tag", "es-AR"), ("back", "//evil.example")])
        .await;
    assert_eq!(res.headers().get("location").unwrap(), "/");
}

async fn health_reports_the_database(app: TestApp) {
    let res = app.visitor().response("/healthz").await;
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["database"], "ok");
    app.db.pool.close().await;
    let res = app.visitor().response("/healthz").await;
    assert_eq!(res.status(), 503);
}

async fn emails_never_appear_on_public_pages(app: TestApp) {
    let f = app
        .user_with_role("facilitator", "facilitadora.secreta@example.org")
        .await;
    f.call("create_process", &tests::process_form("Proceso", &[]))
        .await
        .ok();
    for path in ["/", "/processes/proceso", "/privacy", "/login"] {
        for v in [app.visitor(), f.clone()] {
            let (_, html) = v.get(path).await;
            assert!(
                !html.contains("facilitadora.secreta"),
                "{path} shows an email"
            );
        }
    }
    for endpoint in ["whoami", "directory"] {
        let r = f.call(endpoint, &[]).await;
        assert!(
            !r.body.to_string().contains("facilitadora.secreta"),
            "{endpoint}"
        );
    }
}

/// Sends raw bytes and reads the answer until the server has sent it all.
async fn raw_request(addr: std::net::SocketAddr, request: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let read =
            tokio::time::timeout(std::time::Duration::from_secs(5), stream.read(&mut buf)).await;
        match read {
            Ok(Ok(n)) if n > 0 => {
                answer.extend_from_slice(&buf[..n]);
                let text = String::from_utf8_lossy(&answer);
                if text.contains("</html>") {
                    break;
                }
            }
            _ => break,
        }
    }
    String::from_utf8_lossy(&answer).to_string()
}

/// Every page tells social networks its title, a description, its address and
/// a preview image (Open Graph and Twitter card), and offers links to share it;
/// a title people typed is escaped in the tags.
async fn shared_pages_carry_a_preview_and_share_links(app: TestApp) {
    let (slug, axes) = app.open_process("Plan abierto", &["Ambiente"]).await;
    let ana = app.participant("Ana", "ana@example.org").await;
    let id = ana
        .submit_proposal(&slug, "Plazas \"limpias\" <b>ya</b> & más", axes[0], &[])
        .await;
    let visitor = app.visitor();
    for (path, title) in [
        ("/".to_string(), None),
        (format!("/processes/{slug}"), Some("Plan abierto")),
        (
            format!("/proposals/{id}"),
            Some("Plazas &quot;limpias&quot; &lt;b&gt;ya&lt;/b&gt; &amp; más"),
        ),
        ("/organizations".to_string(), None),
    ] {
        let (status, html) = visitor.get(&path).await;
        assert_eq!(status, 200, "{path}");
        let head = &html[..html.find("</head>").expect("a head")];
        for tag in [
            "property=\"og:title\"",
            "property=\"og:description\"",
            "name=\"description\"",
            "name=\"twitter:card\" content=\"summary_large_image\"",
        ] {
            assert!(head.contains(tag), "{path}: {tag} in {head}");
        }
        let url = format!("property=\"og:url\" content=\"{}{path}\"", app.base);
        assert!(head.contains(&url), "{path}: {url} in {head}");
        let image = format!("property=\"og:image\" content=\"{}/pkg/", app.base);
        assert!(head.contains(&image), "{path}: {head}");
        if let Some(title) = title {
            assert!(
                head.contains(&format!("property=\"og:title\" content=\"{title}")),
                "{path}: {head}"
            );
        }
        assert!(!head.contains("<b>ya"), "{head}");
        // A proposal is described by its own problem; other pages by the site's line.
        let described =
            head.contains("property=\"og:description\" content=\"Describe el problema.\"");
        assert_eq!(described, path.starts_with("/proposals/"), "{path}: {head}");
        let encoded: String =
            form_urlencoded::byte_serialize(format!("{}{path}", app.base).as_bytes()).collect();
        assert!(
            html.contains(&format!("https://wa.me/?text={encoded}")),
            "{path}: share links"
        );
    }
}
