//! Stage 1: submitting, editing, withdrawing, finding and supporting proposals.
use tests::{on_both_engines, TestApp, Visitor};

on_both_engines!(
    similar_proposals_are_pointed_out_before_submitting,
    submit_edit_withdraw,
    refused_outside_the_intake_window,
    search_ignores_accents_and_case,
    filters_sorting_and_pages,
    supports_count_once_under_concurrency,
    bad_input_changes_nothing,
    credit_respects_consent,
);

async fn detail(v: &Visitor, id: i64) -> serde_json::Value {
    v.call("proposal", &[("id", &id.to_string())])
        .await
        .ok()
        .clone()
}

async fn submit_edit_withdraw(app: TestApp) {
    let (slug, axes) = app
        .open_process("Plan abierto", &["Ambiente", "Datos"])
        .await;
    let ana = app.participant("Ana", "ana@example.org").await;
    let id = ana
        .submit_proposal(&slug, "Mapa del arbolado", axes[0], &[])
        .await;
    let p = detail(&ana, id).await;
    assert_eq!(p["summary"]["title"], "Mapa del arbolado");
    assert_eq!(p["summary"]["axis"], "Ambiente");
    assert_eq!(p["mine"], true);
    assert_eq!(p["intake_open"], true);

    let id_s = id.to_string();
    let axis1 = axes[1].to_string();
    ana.call(
        "edit_proposal",
        &[
            ("id", &id_s),
            ("title", "Mapa abierto del arbolado"),
            ("problem", "P"),
            ("solution", "S"),
            ("axis_id", &axis1),
        ],
    )
    .await
    .ok();
    let p = detail(&ana, id).await;
    assert_eq!(p["summary"]["title"], "Mapa abierto del arbolado");
    assert_eq!(p["summary"]["axis"], "Datos");

    // Someone else may neither edit nor withdraw it.
    let other = app.participant("Beto", "beto@example.org").await;
    let r = other
        .call(
            "edit_proposal",
            &[
                ("id", &id_s),
                ("title", "X"),
                ("problem", "P"),
                ("solution", "S"),
                ("axis_id", &axis1),
            ],
        )
        .await;
    assert_eq!(r.status, 403);
    assert_eq!(
        other
            .call("withdraw_proposal", &[("id", &id_s)])
            .await
            .status,
        403
    );

    ana.call("withdraw_proposal", &[("id", &id_s)]).await.ok();
    let p = detail(&app.visitor(), id).await;
    assert_eq!(p["summary"]["state"], "Withdrawn");
    let events: Vec<&str> = p["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(events, ["submitted", "edited", "withdrawn"]);
    // A withdrawn proposal can no longer be changed or supported.
    let r = ana
        .call(
            "edit_proposal",
            &[
                ("id", &id_s),
                ("title", "X"),
                ("problem", "P"),
                ("solution", "S"),
                ("axis_id", &axis1),
            ],
        )
        .await;
    assert_eq!(r.refused_key().as_deref(), Some("proposal.withdrawn"));
    let r = other.call("support_proposal", &[("id", &id_s)]).await;
    assert_eq!(r.refused_key().as_deref(), Some("proposal.withdrawn"));
    assert_eq!(
        detail(&ana, id).await["summary"]["title"],
        "Mapa abierto del arbolado"
    );
}

async fn refused_outside_the_intake_window(app: TestApp) {
    let (slug, axes) = app.open_process("Plan abierto", &["Ambiente"]).await;
    let ana = app.participant("Ana", "ana@example.org").await;
    let id = ana
        .submit_proposal(&slug, "Antes del cierre", axes[0], &[])
        .await;
    // The intake closes.
    sqlx::query("UPDATE process_stages SET starts_on = '2001-01-01', ends_on = '2001-01-31' WHERE stage = 'intake'")
        .execute(&app.db.pool).await.unwrap();
    let axis = axes[0].to_string();
    let r = ana
        .call(
            "submit_proposal",
            &[
                ("slug", &slug),
                ("title", "Tarde"),
                ("problem", "P"),
                ("solution", "S"),
                ("axis_id", &axis),
            ],
        )
        .await;
    assert_eq!(r.refused_key().as_deref(), Some("proposal.intake_closed"));
    let r = ana
        .call(
            "edit_proposal",
            &[
                ("id", &id.to_string()),
                ("title", "Tarde"),
                ("problem", "P"),
                ("solution", "S"),
                ("axis_id", &axis),
            ],
        )
        .await;
    assert_eq!(r.refused_key().as_deref(), Some("proposal.intake_closed"));
    assert_eq!(app.count("SELECT COUNT(*) FROM proposals").await, 1);
    assert_eq!(
        detail(&ana, id).await["summary"]["title"],
        "Antes del cierre"
    );
    // The form page says it is closed, in plain words.
    let (_, html) = ana.get(&format!("/processes/{slug}/proposals/new")).await;
    assert!(
        html.contains("La recepción de propuestas de este proceso está cerrada."),
        "{html}"
    );
}

async fn list(v: &Visitor, slug: &str, query: &[(&str, &str)]) -> serde_json::Value {
    let mut form: Vec<(String, String)> = vec![("slug".into(), slug.into())];
    let mut has_page = false;
    for (k, val) in query {
        has_page |= *k == "page";
        form.push((format!("query[{k}]"), val.to_string()));
    }
    for (k, default) in [("q", ""), ("sort", "newest"), ("page", "1")] {
        if !query.iter().any(|(q, _)| *q == k) && !(k == "page" && has_page) {
            form.push((format!("query[{k}]"), default.into()));
        }
    }
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    v.call("proposals", &pairs).await.ok()["page"].clone()
}

fn titles(page: &serde_json::Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["title"].as_str().unwrap().to_string())
        .collect()
}

async fn search_ignores_accents_and_case(app: TestApp) {
    let (slug, axes) = app.open_process("Plan abierto", &["Datos"]).await;
    let ana = app.participant("Ana", "ana@example.org").await;
    ana.submit_proposal(&slug, "Información pública de los barrios", axes[0], &[])
        .await;
    ana.submit_proposal(&slug, "Bicisendas seguras", axes[0], &[])
        .await;
    let v = app.visitor();
    for q in [
        "informacion",
        "INFORMACIÓN",
        "Informacion publica",
        "barr",
        "PÚBLICA",
    ] {
        assert_eq!(
            titles(&list(&v, &slug, &[("q", q)]).await),
            ["Información pública de los barrios"],
            "{q}"
        );
    }
    assert!(titles(&list(&v, &slug, &[("q", "tranvía")]).await).is_empty());
    // Punctuation and operators are words, not syntax.
    assert!(titles(&list(&v, &slug, &[("q", "\" OR 1=1 -- *")]).await).is_empty());
    let similar = v
        .call(
            "similar_proposals",
            &[("slug", &slug), ("text", "informacion sobre barrios")],
        )
        .await;
    assert_eq!(
        similar.ok()[0]["title"],
        "Información pública de los barrios"
    );
    // The list page finds it too, as a browser without JavaScript would ask.
    let (_, html) = v
        .get(&format!("/processes/{slug}/proposals?q=informacion"))
        .await;
    assert!(html.contains("Información pública de los barrios") && !html.contains("Bicisendas"));
}

async fn filters_sorting_and_pages(app: TestApp) {
    let (slug, axes) = app
        .open_process("Plan abierto", &["Ambiente", "Datos"])
        .await;
    sqlx::query(
        "INSERT INTO organizations (name, sector, created_at) VALUES ('ACIJ', 'civil_society', 0)",
    )
    .execute(&app.db.pool)
    .await
    .unwrap();
    let org = app.count("SELECT id FROM organizations").await.to_string();
    let ana = app.participant("Ana", "ana@example.org").await;
    sqlx::query("INSERT INTO organization_members (user_id, organization_id) SELECT id, $1 FROM users WHERE email = 'ana@example.org'")
        .bind(org.parse::<i64>().unwrap()).execute(&app.db.pool).await.unwrap();
    let mut ids = Vec::new();
    for i in 0..25 {
        let axis = axes[i % 2];
        let extra: Vec<(&str, &str)> = if i < 5 {
            vec![("organization_id", org.as_str())]
        } else {
            vec![]
        };
        ids.push(
            ana.submit_proposal(&slug, &format!("Propuesta {i:02}"), axis, &extra)
                .await,
        );
    }
    ana.call("withdraw_proposal", &[("id", &ids[24].to_string())])
        .await
        .ok();
    let supporter = app.participant("Beto", "beto@example.org").await;
    supporter
        .call("support_proposal", &[("id", &ids[3].to_string())])
        .await
        .ok();

    let v = app.visitor();
    let all = list(&v, &slug, &[]).await;
    assert_eq!(all["total"], 25);
    assert_eq!(all["items"].as_array().unwrap().len(), 20);
    assert_eq!(all["items"][0]["title"], "Propuesta 24", "newest first");
    let page2 = list(&v, &slug, &[("page", "2")]).await;
    assert_eq!(page2["items"].as_array().unwrap().len(), 5);
    let a0 = axes[0].to_string();
    assert_eq!(list(&v, &slug, &[("axis", &a0)]).await["total"], 13);
    assert_eq!(list(&v, &slug, &[("state", "withdrawn")]).await["total"], 1);
    assert_eq!(
        list(&v, &slug, &[("sector", "civil_society")]).await["total"],
        5
    );
    assert_eq!(list(&v, &slug, &[("sector", "academia")]).await["total"], 0);
    let combined = list(
        &v,
        &slug,
        &[
            ("axis", &a0),
            ("sector", "civil_society"),
            ("q", "propuesta"),
        ],
    )
    .await;
    assert_eq!(combined["total"], 3);
    for body in ["Uno", "Dos"] {
        supporter
            .call(
                "post_comment",
                &[
                    ("kind", "proposal"),
                    ("subject_id", &ids[7].to_string()),
                    ("body", body),
                ],
            )
            .await
            .ok();
    }
    let commented = list(&v, &slug, &[("sort", "commented")]).await;
    assert_eq!(commented["items"][0]["title"], "Propuesta 07");
    assert_eq!(commented["items"][0]["comments"], 2);
    // The count follows moderation: a hidden comment stops counting, and counts
    // again when shown; the database agrees with a count of the comments.
    supporter
        .call(
            "post_comment",
            &[
                ("kind", "proposal"),
                ("subject_id", &ids[9].to_string()),
                ("body", "Tres"),
            ],
        )
        .await
        .ok();
    let hidden = app
        .count(&format!(
            "SELECT MAX(id) FROM comments WHERE subject_id = {}",
            ids[7]
        ))
        .await
        .to_string();
    let team = app.user_with_role("facilitator", "team@example.org").await;
    let top = |hide: bool| {
        let (team, v, slug, hidden) = (&team, &v, &slug, &hidden);
        async move {
            let mut form = vec![("kind", "comment"), ("id", hidden.as_str())];
            if hide {
                form.push(("hide", "1"));
            }
            team.call("moderate", &form).await.ok();
            let l = list(v, slug, &[("sort", "commented")]).await;
            (
                l["items"][0]["title"].clone(),
                l["items"][0]["comments"].clone(),
            )
        }
    };
    // A tie of one comment each: the newer proposal first.
    assert_eq!(top(true).await, ("Propuesta 09".into(), 1.into()));
    assert_eq!(top(false).await, ("Propuesta 07".into(), 2.into()));
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM proposals p WHERE p.comments_count <> (SELECT COUNT(*) \
             FROM comments c WHERE c.subject_kind = 'proposal' AND c.subject_id = p.id \
             AND c.hidden = 0)"
        )
        .await,
        0
    );
    let supported = list(&v, &slug, &[("sort", "supported")]).await;
    assert_eq!(supported["items"][0]["title"], "Propuesta 03");
    // The filter state lives in the URL: the page renders the same list.
    let (_, html) = v
        .get(&format!("/processes/{slug}/proposals?state=withdrawn"))
        .await;
    assert!(html.contains("Propuesta 24") && !html.contains("Propuesta 23"));
    let (_, html) = v.get(&format!("/processes/{slug}/proposals?page=2")).await;
    assert!(html.contains("Propuesta 00") && !html.contains("Propuesta 24"));
}

async fn supports_count_once_under_concurrency(app: TestApp) {
    let (slug, axes) = app.open_process("Plan abierto", &["Ambiente"]).await;
    let ana = app.participant("Ana", "ana@example.org").await;
    let id = ana
        .submit_proposal(&slug, "Apoyame", axes[0], &[])
        .await
        .to_string();
    let beto = app.participant("Beto", "beto@example.org").await;
    let clicks: Vec<_> = (0..50)
        .map(|_| {
            let (beto, id) = (beto.clone(), id.clone());
            tokio::spawn(async move { beto.call("support_proposal", &[("id", &id)]).await.status })
        })
        .collect();
    let mut ok = 0;
    for c in clicks {
        let status = c.await.unwrap();
        // Refused as already counted, or by the rate limit before that.
        assert!(status == 200 || status == 409 || status == 429, "{status}");
        ok += (status == 200) as i32;
    }
    assert_eq!(ok, 1, "exactly one support counted");
    assert_eq!(
        detail(&beto, id.parse().unwrap()).await["summary"]["supports"],
        1
    );
    assert_eq!(
        detail(&beto, id.parse().unwrap()).await["supported_by_me"],
        true
    );
    // Once the burst's budget has come back, a click is refused for what it is.
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    let again = beto.call("support_proposal", &[("id", &id)]).await;
    assert_eq!(
        again.refused_key().as_deref(),
        Some("proposal.already_supported")
    );

    let mut people = Vec::new();
    for i in 0..10 {
        people.push(app.participant("P", &format!("p{i}@example.org")).await);
    }
    let clicks: Vec<_> = people
        .iter()
        .map(|p| {
            let (p, id) = (p.clone(), id.clone());
            tokio::spawn(async move { p.call("support_proposal", &[("id", &id)]).await.status })
        })
        .collect();
    for c in clicks {
        assert_eq!(c.await.unwrap(), 200);
    }
    beto.call("support_proposal", &[("id", &id), ("remove", "1")])
        .await
        .ok();
    assert_eq!(
        detail(&beto, id.parse().unwrap()).await["summary"]["supports"],
        10
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM proposal_supports").await,
        10
    );
    assert_eq!(
        app.visitor()
            .call("support_proposal", &[("id", &id)])
            .await
            .status,
        401
    );
}

async fn bad_input_changes_nothing(app: TestApp) {
    let (slug, axes) = app.open_process("Plan abierto", &["Ambiente"]).await;
    let (_, other_axes) = app.open_process("Otro plan", &["Otro eje"]).await;
    let ana = app.participant("Ana", "ana@example.org").await;
    let axis = axes[0].to_string();
    let long = "x".repeat(10_000);
    let foreign = other_axes[0].to_string();
    let cases: Vec<(Vec<(&str, &str)>, &str, &str)> = vec![
        (
            vec![
                ("title", &long),
                ("problem", "P"),
                ("solution", "S"),
                ("axis_id", &axis),
            ],
            "title",
            "validation.too_long",
        ),
        (
            vec![
                ("title", "  "),
                ("problem", "P"),
                ("solution", "S"),
                ("axis_id", &axis),
            ],
            "title",
            "validation.required",
        ),
        (
            vec![
                ("title", "T"),
                ("problem", ""),
                ("solution", "S"),
                ("axis_id", &axis),
            ],
            "problem",
            "validation.required",
        ),
        (
            vec![
                ("title", "T"),
                ("problem", "P"),
                ("solution", "S"),
                ("axis_id", ""),
            ],
            "axis_id",
            "validation.choice",
        ),
        (
            vec![
                ("title", "T"),
                ("problem", "P"),
                ("solution", "S"),
                ("axis_id", &foreign),
            ],
            "axis_id",
            "validation.choice",
        ),
        (
            vec![
                ("title", "T"),
                ("problem", "P"),
                ("solution", "S"),
                ("axis_id", &axis),
                ("organization_id", "1"),
            ],
            "organization_id",
            "validation.choice",
        ),
    ];
    for (mut form, field, key) in cases {
        form.push(("slug", &slug));
        let r = ana.call("submit_proposal", &form).await;
        assert_eq!(
            r.field_error(field).as_deref(),
            Some(key),
            "{field}: {}",
            r.body
        );
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM proposals").await, 0);

    // Markup is kept as typed and shown as text; emoji and right-to-left text survive.
    let title = "</title><script>alert('x')</script> 🌳 شجرة";
    let id = ana
        .submit_proposal(
            &slug,
            title,
            axes[0],
            &[("problem", "<img src=x onerror=alert(1)>")],
        )
        .await;
    assert_eq!(detail(&ana, id).await["summary"]["title"], title);
    let (_, html) = app.visitor().get(&format!("/proposals/{id}")).await;
    assert!(
        !html.contains("<script>alert") && !html.contains("<img src=x"),
        "{html}"
    );
    assert!(html.contains("🌳 شجرة"));
    let missing = app.visitor().call("proposal", &[("id", "999999")]).await;
    assert_eq!(missing.status, 404);
    assert_eq!(app.visitor().get("/proposals/999999").await.0, 404);
}

async fn credit_respects_consent(app: TestApp) {
    let (slug, axes) = app.open_process("Plan abierto", &["Ambiente"]).await;
    let ana = app
        .participant("Ana Secreta", "ana.secreta@example.org")
        .await;
    let hidden = ana.submit_proposal(&slug, "Sin nombre", axes[0], &[]).await;
    let shown = ana
        .submit_proposal(&slug, "Con nombre", axes[0], &[("show_name", "on")])
        .await;
    let v = app.visitor();
    let h = v.call("proposal", &[("id", &hidden.to_string())]).await;
    assert!(h.ok()["summary"]["credit"]["author_name"].is_null());
    assert!(!h.body.to_string().contains("Ana Secreta"));
    let s = v.call("proposal", &[("id", &shown.to_string())]).await;
    assert_eq!(s.ok()["summary"]["credit"]["author_name"], "Ana Secreta");
    let (_, page) = v.get(&format!("/proposals/{hidden}")).await;
    assert!(page.contains("Un vecino o vecina") && !page.contains("Ana Secreta"));
    let (_, list_page) = v.get(&format!("/processes/{slug}/proposals")).await;
    assert!(!list_page.contains("ana.secreta@example.org"));
}

async fn similar_proposals_are_pointed_out_before_submitting(app: TestApp) {
    let (slug, axes) = app.open_process("Plan abierto", &["Ambiente"]).await;
    let ana = app.participant("Ana", "ana@example.org").await;
    ana.submit_proposal(&slug, "Mapa abierto del arbolado urbano", axes[0], &[])
        .await;
    let beto = app.participant("Beto", "beto@example.org").await;
    let axis = axes[0].to_string();
    let form = [
        ("slug", slug.as_str()),
        ("title", "Censo del arbolado"),
        ("problem", "No sabemos qué árboles hay."),
        ("solution", "Contarlos."),
        ("axis_id", axis.as_str()),
    ];
    // Without JavaScript: the form comes back listing the look-alike, with what was typed.
    let res = beto
        .post_form(
            "submit_proposal",
            &form,
            &format!("/processes/{slug}/proposals/new"),
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
    let page = beto.follow(&back).await;
    assert!(page.contains("Encontramos propuestas parecidas"), "{page}");
    assert!(page.contains("Mapa abierto del arbolado urbano"));
    assert!(page.contains("value=\"Censo del arbolado\""));
    assert!(page.contains("name=\"confirm_similar\""));
    assert_eq!(app.count("SELECT COUNT(*) FROM proposals").await, 1);
    // Confirmed: it is submitted.
    let mut confirmed = form.to_vec();
    confirmed.push(("confirm_similar", "on"));
    beto.call("submit_proposal", &confirmed).await.ok();
    assert_eq!(app.count("SELECT COUNT(*) FROM proposals").await, 2);
    // Proposals with nothing in common go through at once.
    let other = [
        ("slug", slug.as_str()),
        ("title", "Bicisendas seguras"),
        ("problem", "Choques frecuentes."),
        ("solution", "Separadores."),
        ("axis_id", axis.as_str()),
    ];
    beto.call("submit_proposal", &other).await.ok();
}
