//! A hostile client: redirects off the site, bursts of writes and logins, a
//! roundtable behind one address, forged proxy headers, and retracted notes.
use crate::boards::{add, board, column, sent_to};
use crate::roundtables::{fixture, register, schedule};
use reqwest::header::{ACCEPT, CONTENT_TYPE};
use server::config::ServeConfig;
use tests::{on_both_engines, on_both_engines_with, TestApp, Visitor};

on_both_engines!(
    hidden_proposals_and_comments_reach_no_surface,
    redirect_targets_stay_on_this_site,
    writes_are_rate_limited_and_a_refusal_saves_nothing,
    a_roundtable_behind_one_address_is_never_refused,
    retracted_notes_never_come_back,
);
on_both_engines_with!(
    behind_proxy;
    login_attempts_count_per_account_and_address_atomically,
);

fn behind_proxy(cfg: &mut ServeConfig) {
    cfg.trust_proxy = true;
}

const HOSTILE_TARGETS: [&str; 10] = [
    "//evil.example/",
    "/\\evil.example",
    "/\t/evil.example",
    "\n//evil.example",
    "/\r\n/evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "/%2F%2Fevil.example",
    "/%5cevil.example",
    "evil.example",
];

/// The team closes the roundtable: its record becomes public.
async fn close(team: &Visitor, id: &str) {
    team.call(
        "roundtable_phase",
        &[("roundtable_id", id), ("phase", "closed")],
    )
    .await
    .ok();
}

async fn redirect_targets_stay_on_this_site(app: TestApp) {
    app.participant("Ana", "ana@example.org").await;
    let login = |next: &'static str| {
        let v = app.visitor();
        async move {
            let r = v
                .call(
                    "login",
                    &[
                        ("email", "ana@example.org"),
                        ("password", "a-long-password"),
                        ("next", next),
                    ],
                )
                .await;
            r.ok();
            r.headers["location"].to_str().unwrap().to_string()
        }
    };
    assert_eq!(login("/proposals?page=2").await, "/proposals?page=2");
    for next in HOSTILE_TARGETS {
        assert_eq!(login(next).await, "/", "next={next:?}");
    }

    // The language switch is a POST from this site; a link changes nothing.
    let v = app.visitor();
    for path in ["/lang/en", "/lang?tag=en&back=/"] {
        let res = v
            .client
            .get(format!("{}{path}", v.base))
            .send()
            .await
            .unwrap();
        assert!(res.status().is_client_error(), "{path}: {}", res.status());
        assert!(res.headers().get("set-cookie").is_none(), "{path}");
    }
    let res = v
        .client
        .post(format!("{}/lang", v.base))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("origin", "https://evil.example")
        .body("tag=en&back=%2F")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert!(res.headers().get("set-cookie").is_none());
    let res = v
        .post_site_form("/lang", &[("tag", "en"), ("back", "/proposals?page=2")])
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/proposals?page=2");
    assert!(res.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .starts_with("cocrea_lang=en"));
    for back in HOSTILE_TARGETS {
        let res = v
            .post_site_form("/lang", &[("tag", "es-AR"), ("back", back)])
            .await;
        assert_eq!(res.headers()["location"], "/", "back={back:?}");
    }
    let res = v.post_site_form("/lang", &[("tag", "xx")]).await;
    assert_eq!(res.status(), 400);
    assert!(res.headers().get("set-cookie").is_none());
}

async fn writes_are_rate_limited_and_a_refusal_saves_nothing(app: TestApp) {
    let (slug, axes) = app.open_process("Plan", &["Ambiente"]).await;
    let ana = app.participant("Ana", "ana@example.org").await;
    let id = ana
        .submit_proposal(&slug, "Arbolado", axes[0], &[])
        .await
        .to_string();
    let comment = |i: usize| {
        [
            ("kind", "proposal".to_string()),
            ("subject_id", id.clone()),
            ("body", format!("Comentario {i}")),
        ]
    };
    let as_pairs = |f: &[(&'static str, String); 3]| {
        f.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>()
    };
    let mut accepted = 0;
    let mut refusal = None;
    for i in 0..100 {
        let form = as_pairs(&comment(i));
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = ana.call("post_comment", &pairs).await;
        if r.status == 429 {
            refusal = Some(r);
            break;
        }
        r.ok();
        accepted += 1;
    }
    let r = refusal.expect("a burst of 100 comments is refused before its end");
    assert!(accepted >= 30, "only {accepted} accepted");
    assert_eq!(r.error_kind().as_deref(), Some("RateLimited"));
    let wait: u64 = r.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    assert_eq!(app.count("SELECT COUNT(*) FROM comments").await, accepted);
    // Without JavaScript: a page in the person's language, and nothing saved.
    let res = ana
        .post_form(
            "post_comment",
            &[("kind", "proposal"), ("subject_id", &id), ("body", "Otro")],
            &format!("/proposals/{id}"),
        )
        .await;
    assert_eq!(res.status(), 429);
    assert!(res.headers().contains_key("retry-after"));
    let html = res.text().await.unwrap();
    assert!(html.contains("Hubo demasiados intentos"), "{html}");
    assert_eq!(app.count("SELECT COUNT(*) FROM comments").await, accepted);
    // Another person at the same address has a budget of their own.
    let beto = app.participant("Beto", "beto@example.org").await;
    beto.call(
        "post_comment",
        &[("kind", "proposal"), ("subject_id", &id), ("body", "Hola")],
    )
    .await
    .ok();
    // Reads are not writes: Ana can still read.
    ana.call("proposal", &[("id", &id)]).await.ok();
}

async fn a_roundtable_behind_one_address_is_never_refused(app: TestApp) {
    let f = fixture(&app).await;
    let id = schedule(&app, &f, "60").await;
    let questions = column(&board(&f.team, &id).await, 1, 1);
    let mut people = Vec::new();
    for i in 0..50 {
        let p = app
            .participant(&format!("P{i}"), &format!("p{i}@example.org"))
            .await;
        register(&p, &id).await;
        people.push(p);
    }
    // Everyone writes three notes at once, as a facilitator's "now write" brings.
    let mut writes = tokio::task::JoinSet::new();
    for (i, p) in people.iter().enumerate() {
        for n in 0..3 {
            let (p, questions) = (p.clone(), questions.clone());
            writes.spawn(async move { add(&p, &questions, &format!("Nota {i}-{n}")).await.status });
        }
    }
    while let Some(status) = writes.join_next().await {
        assert_eq!(status.unwrap(), 200);
    }
    f.team
        .call(
            "open_vote",
            &[
                ("roundtable_id", &id),
                ("options", "Podas\nDatos\nPlazas"),
                ("per_person", "3"),
            ],
        )
        .await
        .ok();
    let options = crate::boards::option_ids(&crate::boards::vote(&people[0], &id).await);
    let mut dots = tokio::task::JoinSet::new();
    for p in &people {
        for option in &options {
            let (p, option) = (p.clone(), option.clone());
            dots.spawn(async move { p.call("cast_dot", &[("option_id", &option)]).await.status });
        }
    }
    while let Some(status) = dots.join_next().await {
        assert_eq!(status.unwrap(), 200);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM board_notes").await, 150);
    assert_eq!(app.count("SELECT COUNT(*) FROM vote_dots").await, 150);
}

/// Signs in (or tries to) as if through the proxy, whose hop is `address`;
/// `written` is what the client put in X-Forwarded-For itself.
async fn login_at(v: &Visitor, written: &str, address: &str, email: &str, password: &str) -> u16 {
    v.client
        .post(format!("{}/api/login", v.base))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(ACCEPT, "application/json")
        .header("origin", &v.base)
        .header("x-forwarded-for", format!("{written}{address}"))
        .body(tests::serde_urlencoded(&[
            ("email", email),
            ("password", password),
        ]))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn login_attempts_count_per_account_and_address_atomically(app: TestApp) {
    app.participant("Dueña", "duena@example.org").await;
    let stranger = app.visitor();
    let owner = "duena@example.org";
    for i in 0..8 {
        let status = login_at(&stranger, "", "203.0.113.1", owner, "wrong").await;
        assert_eq!(status, 400, "attempt {i}");
    }
    assert_eq!(
        login_at(&stranger, "", "203.0.113.1", owner, "a-long-password").await,
        429
    );
    // What the client writes before the proxy's hop proves nothing.
    assert_eq!(
        login_at(&stranger, "198.51.100.7, ", "203.0.113.1", owner, "wrong").await,
        429
    );
    // The owner, elsewhere, signs in.
    let status = login_at(&app.visitor(), "", "198.51.100.7", owner, "a-long-password").await;
    assert_eq!(status, 200);
    // A parallel burst from a third address passes the limit no more than a
    // sequence would.
    let mut burst = tokio::task::JoinSet::new();
    for _ in 0..30 {
        let v = app.visitor();
        burst.spawn(async move { login_at(&v, "", "192.0.2.9", owner, "wrong").await });
    }
    let mut answered = Vec::new();
    while let Some(status) = burst.join_next().await {
        answered.push(status.unwrap());
    }
    let checked = answered.iter().filter(|s| **s == 400).count();
    let refused = answered.iter().filter(|s| **s == 429).count();
    assert_eq!((checked, refused), (8, 22), "{answered:?}");
}

async fn retracted_notes_never_come_back(app: TestApp) {
    let f = fixture(&app).await;
    let id = schedule(&app, &f, "10").await;
    let path = format!("/roundtables/{id}/live");
    let rita = app.participant("Rita", "rita@example.org").await;
    let otro = app.participant("Otro", "otro@example.org").await;
    register(&rita, &id).await;
    register(&otro, &id).await;
    let questions = column(&board(&rita, &id).await, 1, 1);
    let note_id = |b: serde_json::Value, body: &str| -> String {
        b["boards"][0]["notes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["body"] == body)
            .unwrap()["id"]
            .to_string()
    };
    add(&rita, &questions, "Texto original QX-EDITADO")
        .await
        .ok();
    let edited = note_id(board(&rita, &id).await, "Texto original QX-EDITADO");
    rita.call(
        "edit_note",
        &[("note_id", &edited), ("body", "Texto corregido")],
    )
    .await
    .ok();
    add(&rita, &questions, "Nota QX-BORRADA").await.ok();
    let deleted = note_id(board(&rita, &id).await, "Nota QX-BORRADA");
    rita.call("delete_note", &[("note_id", &deleted)])
        .await
        .ok();
    add(&rita, &questions, "Nota QX-OCULTA").await.ok();
    let hidden = note_id(board(&rita, &id).await, "Nota QX-OCULTA");
    // A note never takes the number of one deleted before it.
    assert!(hidden.parse::<i64>().unwrap() > deleted.parse::<i64>().unwrap());
    f.team.call("hide_note", &[("note_id", &hidden)]).await.ok();
    add(&rita, &questions, "Después").await.ok();

    for who in [&app.visitor(), &otro, &rita] {
        let sent = sent_to(who, &id, &path, 30).await;
        for gone in ["QX-EDITADO", "QX-BORRADA", "QX-OCULTA"] {
            assert!(!sent.contains(gone), "{gone} sent again: {sent}");
        }
        assert!(sent.contains("Texto corregido"));
    }
    // The team still sees the hidden note (to restore it), never the others.
    let sent = sent_to(&f.team, &id, &path, 30).await;
    assert!(sent.contains("QX-OCULTA"));
    assert!(!sent.contains("QX-EDITADO") && !sent.contains("QX-BORRADA"));

    // The record, once over, and its exports.
    close(&f.team, &id).await;
    let reader = app.visitor();
    for path in [
        format!("/roundtables/{id}"),
        format!("/roundtables/{id}/record.csv"),
        format!("/roundtables/{id}/record.json"),
        format!("/roundtables/{id}/record.md"),
    ] {
        let (status, text) = reader.get(&path).await;
        assert_eq!(status, 200, "{path}");
        assert!(text.contains("Texto corregido"), "{path}: {text}");
        for gone in ["QX-EDITADO", "QX-BORRADA", "QX-OCULTA"] {
            assert!(!text.contains(gone), "{gone} in {path}");
        }
    }
}

/// Opens a live stream from `address` (through the pretend proxy) and returns
/// the response, whatever its status.
async fn stream_from(v: &Visitor, id: &str, address: &str) -> reqwest::Response {
    v.client
        .get(format!("{}/roundtables/{id}/live", v.base))
        .header("accept", "text/event-stream")
        .header("x-forwarded-for", address)
        .timeout(std::time::Duration::from_secs(60))
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_streams_are_capped_per_address_and_in_all() {
    let app = tests::spawn_app_with(tests::Engine::Sqlite, |cfg| {
        cfg.trust_proxy = true;
        cfg.max_streams_per_address = 3;
        cfg.max_streams = 5;
    })
    .await
    .unwrap();
    let f = fixture(&app).await;
    let id = schedule(&app, &f, "10").await;
    let v = app.visitor();
    let mut open = Vec::new();
    for _ in 0..3 {
        let res = stream_from(&v, &id, "203.0.113.1").await;
        assert_eq!(res.status(), 200);
        open.push(res);
    }
    let refused = stream_from(&v, &id, "203.0.113.1").await;
    assert_eq!(refused.status(), 429);
    assert!(refused.headers().contains_key("retry-after"));
    assert!(refused
        .text()
        .await
        .unwrap()
        .contains("demasiadas conexiones en vivo"));
    for _ in 0..2 {
        let res = stream_from(&v, &id, "203.0.113.2").await;
        assert_eq!(res.status(), 200);
        open.push(res);
    }
    assert_eq!(
        stream_from(&v, &id, "203.0.113.3").await.status(),
        429,
        "the total cap"
    );
    // A closed stream gives its place back (once the server notices the
    // connection is gone: at the latest on its next keep-alive).
    drop(open.remove(0));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(40);
    loop {
        let res = stream_from(&v, &id, "203.0.113.3").await;
        if res.status() == 200 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the place never came back"
        );
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
}

/// Whether the stream `res` is closed by the server within `seconds`.
async fn ends_within(mut res: reqwest::Response, seconds: u64) -> bool {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(seconds);
    loop {
        match tokio::time::timeout_at(deadline, res.chunk()).await {
            Err(_) => return false,
            Ok(Ok(Some(_))) => continue,
            Ok(_) => return true,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_stops_when_its_session_ends_or_its_role_changes() {
    let app = tests::spawn_app(tests::Engine::Sqlite).await.unwrap();
    let f = fixture(&app).await;
    let id = schedule(&app, &f, "10").await;
    let leaving = app
        .user_with_role("facilitator", "saliente@example.org")
        .await;
    let demoted = app
        .user_with_role("facilitator", "degradada@example.org")
        .await;
    let anonymous = stream_from(&app.visitor(), &id, "").await;
    let first = stream_from(&leaving, &id, "").await;
    let second = stream_from(&demoted, &id, "").await;
    leaving.call("logout", &[]).await.ok();
    sqlx::query("UPDATE users SET role = 'participant' WHERE email = 'degradada@example.org'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let (first, second, anonymous) = tokio::join!(
        ends_within(first, 15),
        ends_within(second, 15),
        ends_within(anonymous, 8)
    );
    assert!(first, "the signed-out stream went on");
    assert!(second, "the demoted facilitator's stream went on");
    assert!(!anonymous, "a stream with nothing to lose goes on");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn personal_answers_are_never_stored_and_https_is_kept() {
    let app = tests::spawn_app(tests::Engine::Sqlite).await.unwrap();
    let v = app.visitor();
    let res = v.client.get(format!("{}/", v.base)).send().await.unwrap();
    assert_eq!(res.headers()["cache-control"], "no-cache");
    assert!(res.headers().get("strict-transport-security").is_none());
    let whoami = v.call("whoami", &[]).await;
    assert_eq!(whoami.headers["cache-control"], "no-store");
    let ana = app.participant("Ana", "ana@example.org").await;
    for path in ["/", "/notifications", "/processes"] {
        let res = ana
            .client
            .get(format!("{}{path}", ana.base))
            .send()
            .await
            .unwrap();
        assert_eq!(res.headers()["cache-control"], "no-store", "{path}");
    }
    let https = tests::spawn_app_with(tests::Engine::Sqlite, |cfg| {
        cfg.base_url = Some("https://cocrea.example.org".into());
    })
    .await
    .unwrap();
    let res = https.visitor().response("/").await;
    assert!(res.headers()["strict-transport-security"]
        .to_str()
        .unwrap()
        .starts_with("max-age="));
}

async fn hidden_proposals_and_comments_reach_no_surface(app: TestApp) {
    let f = fixture(&app).await;
    let id = schedule(&app, &f, "10").await;
    let p = f.presentable.clone();
    let rita = app.participant("Rita", "rita@example.org").await;
    rita.call(
        "post_comment",
        &[
            ("kind", "proposal"),
            ("subject_id", &p),
            ("body", "Comentario QX-RETIRADO"),
        ],
    )
    .await
    .ok();
    let comment = app.count("SELECT MAX(id) FROM comments").await.to_string();
    // A comment nobody hid goes with the proposal it is on.
    rita.call(
        "post_comment",
        &[
            ("kind", "proposal"),
            ("subject_id", &p),
            ("body", "Visible QX-DEBAJO"),
        ],
    )
    .await
    .ok();
    for (kind, target) in [("comment", &comment), ("proposal", &p)] {
        f.team
            .call(
                "moderate",
                &[("kind", kind), ("id", target), ("hide", "on")],
            )
            .await
            .ok();
    }
    close(&f.team, &id).await;
    let gone = ["Arbolado abierto", "QX-RETIRADO", "QX-DEBAJO"];
    for who in [&app.visitor(), &rita] {
        let mut seen = Vec::new();
        for path in [
            format!("/proposals/{p}"),
            format!("/processes/{}/proposals", f.slug),
            format!("/processes/{}/proposals?q=arbolado", f.slug),
            format!("/processes/{}", f.slug),
        ] {
            let (_, text) = who.get(&path).await;
            seen.push((path, text));
        }
        for (endpoint, form) in [
            ("proposal", vec![("id", p.as_str())]),
            (
                "proposals",
                vec![
                    ("slug", f.slug.as_str()),
                    ("query[q]", "arbolado"),
                    ("query[sort]", "newest"),
                    ("query[page]", "1"),
                ],
            ),
            (
                "similar_proposals",
                vec![("slug", f.slug.as_str()), ("text", "Arbolado abierto")],
            ),
            (
                "comments",
                vec![
                    ("kind", "proposal"),
                    ("subject_id", p.as_str()),
                    ("page", "1"),
                ],
            ),
        ] {
            let reply = who.call(endpoint, &form).await;
            seen.push((endpoint.to_string(), reply.body.to_string()));
        }
        // The roundtable no longer lists it among the presented proposals (its
        // boards keep the column the team titled after it, as the team wrote it).
        let roundtable = who.call("roundtable", &[("id", id.as_str())]).await;
        seen.push((
            "roundtable's proposals".into(),
            roundtable.ok()["proposals"].to_string(),
        ));
        for (surface, text) in &seen {
            for word in gone {
                assert!(!text.contains(word), "{word} reached {surface}: {text}");
            }
        }
    }
}
