//! Creating processes, showing where each one stands, and the team changing
//! what it set up.
use tests::{day, on_both_engines, process_form, TestApp, Visitor};

on_both_engines!(
    facilitator_creates_a_process,
    bad_process_forms_change_nothing,
    home_shows_current_and_next_stage,
    the_team_changes_a_process_without_breaking_its_work
);

async fn facilitator_creates_a_process(app: TestApp) {
    let f = app.user_with_role("facilitator", "team@example.org").await;
    let r = f
        .call(
            "create_process",
            &process_form("Plan de Acción 2030 — Ciudad", &[]),
        )
        .await;
    r.ok();
    assert_eq!(
        r.headers.get("serverfnredirect").is_some() || r.headers.get("location").is_some(),
        true
    );
    let p = f
        .call("process", &[("slug", "plan-de-accion-2030-ciudad")])
        .await;
    let p = p.ok();
    assert_eq!(p["title"], "Plan de Acción 2030 — Ciudad");
    assert_eq!(p["description"], "Cocreación del plan.");
    assert_eq!(
        axis_names(p),
        ["Datos abiertos", "Ambiente"],
        "in the order given"
    );
    // The stages come by their dates, whatever order they were stored in.
    let stages: Vec<(&str, &str)> = p["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["stage"].as_str().unwrap(),
                s["starts_on"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        stages,
        [
            ("Intake", "2030-01-01"),
            ("Feasibility", "2030-02-01"),
            ("Roundtables", "2030-03-01"),
            ("Drafting", "2030-04-01"),
            ("Comment", "2030-05-01"),
            ("Monitoring", "2030-06-01")
        ]
    );
    // The public page renders it, in both languages.
    let (status, html) = app
        .visitor()
        .get("/processes/plan-de-accion-2030-ciudad")
        .await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Recepción de propuestas") && html.contains("1 de enero de 2030"),
        "{html}"
    );
    let missing = app.visitor().call("process", &[("slug", "nope")]).await;
    assert_eq!(missing.status, 404);
    let (status, _) = app.visitor().get("/processes/nope").await;
    assert_eq!(status, 404);
}

async fn bad_process_forms_change_nothing(app: TestApp) {
    let f = app.user_with_role("facilitator", "team@example.org").await;
    f.call(
        "create_process",
        &process_form("Existente", &[("slug", "existente")]),
    )
    .await
    .ok();
    let before = app.count("SELECT COUNT(*) FROM processes").await;
    let long = "t".repeat(201);
    let cases: Vec<(Vec<(&str, &str)>, &str, &str)> = vec![
        (process_form("   ", &[]), "title", "validation.required"),
        (process_form(&long, &[]), "title", "validation.too_long"),
        (
            process_form("X", &[("axes", " \n ")]),
            "axes",
            "validation.required",
        ),
        (
            process_form("X", &[("axes", "Uno\nuno")]),
            "axes",
            "validation.axis_duplicate",
        ),
        (
            process_form("X", &[("intake_end", "2029-12-31")]),
            "intake_end",
            "validation.end_before_start",
        ),
        (
            process_form("X", &[("comment_start", "2030-02-30")]),
            "comment_start",
            "validation.date",
        ),
        (
            process_form("X", &[("monitoring_end", "")]),
            "monitoring_end",
            "validation.required",
        ),
        (
            process_form("Existente", &[("slug", "EXISTENTE")]),
            "slug",
            "validation.slug_taken",
        ),
        (
            process_form("X", &[("slug", "¡¡!!")]),
            "slug",
            "validation.slug",
        ),
    ];
    for (form, field, key) in cases {
        let r = f.call("create_process", &form).await;
        assert_eq!(r.status, 400, "{field}: {}", r.body);
        assert_eq!(
            r.field_error(field).as_deref(),
            Some(key),
            "{field}: {}",
            r.body
        );
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM processes").await, before);
    assert_eq!(app.count("SELECT COUNT(*) FROM process_axes").await, 2);
}

async fn home_shows_current_and_next_stage(app: TestApp) {
    let f = app.user_with_role("facilitator", "team@example.org").await;
    // Dates around today (UTC-3) so the process is open now.
    let today = time_today();
    let (a, b, c, d) = (
        shift(&today, -5),
        shift(&today, 5),
        shift(&today, 6),
        shift(&today, 20),
    );
    let far = shift(&today, 400);
    let form = process_form(
        "Proceso vigente",
        &[
            ("intake_start", &a),
            ("intake_end", &b),
            ("feasibility_start", &c),
            ("feasibility_end", &d),
            ("roundtables_start", &far),
            ("roundtables_end", &far),
            ("drafting_start", &far),
            ("drafting_end", &far),
            ("comment_start", &far),
            ("comment_end", &far),
            ("monitoring_start", &far),
            ("monitoring_end", &far),
        ],
    );
    f.call("create_process", &form).await.ok();
    // A finished process is not listed.
    f.call(
        "create_process",
        &process_form(
            "Proceso terminado",
            &[
                ("intake_start", "2001-01-01"),
                ("intake_end", "2001-01-02"),
                ("feasibility_start", "2001-01-03"),
                ("feasibility_end", "2001-01-04"),
                ("roundtables_start", "2001-01-05"),
                ("roundtables_end", "2001-01-06"),
                ("drafting_start", "2001-01-07"),
                ("drafting_end", "2001-01-08"),
                ("comment_start", "2001-01-09"),
                ("comment_end", "2001-01-10"),
                ("monitoring_start", "2001-01-11"),
                ("monitoring_end", "2001-01-12"),
            ],
        ),
    )
    .await
    .ok();
    let list = app.visitor().call("open_processes", &[("page", "1")]).await;
    let items = list.ok()["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0]["timeline"]["current"]["stage"], "Intake");
    assert_eq!(items[0]["timeline"]["next"]["stage"], "Feasibility");
    let (_, html) = app.visitor().get("/").await;
    assert!(html.contains("Proceso vigente") && !html.contains("Proceso terminado"));
    assert!(html.contains("Ahora: Recepción de propuestas"), "{html}");
}

/// Today in Buenos Aires (UTC-3), the server's default.
fn time_today() -> String {
    let offset = time::UtcOffset::from_hms(-3, 0, 0).unwrap();
    app::ctx::iso_date(time::OffsetDateTime::now_utc().to_offset(offset).date())
}

fn shift(date: &str, days: i64) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    app::ctx::iso_date(time::Date::parse(date, &format).unwrap() + time::Duration::days(days))
}

/// The change form as the edit page fills it, with `changes` made.
fn change_form(
    slug: &str,
    axes: &[(i64, &str)],
    changes: &[(&str, &str)],
) -> Vec<(String, String)> {
    let (start, end, later, last) = (day(-3), day(10), day(11), day(400));
    let mut form: Vec<(String, String)> = vec![
        ("slug".into(), slug.into()),
        ("title".into(), "Plan editable".into()),
        ("description".into(), "Cocreación del plan.".into()),
        ("new_axes".into(), String::new()),
        ("intake_start".into(), start),
        ("intake_end".into(), end),
    ];
    for stage in ["feasibility", "roundtables", "drafting", "comment"] {
        form.push((format!("{stage}_start"), later.clone()));
        form.push((format!("{stage}_end"), later.clone()));
    }
    form.push(("monitoring_start".into(), later));
    form.push(("monitoring_end".into(), last));
    for (k, v) in changes {
        match form.iter_mut().find(|(name, _)| name == k) {
            Some(slot) => slot.1 = v.to_string(),
            None => form.push((k.to_string(), v.to_string())),
        }
    }
    for (id, name) in axes {
        form.push(("axis_ids[]".into(), id.to_string()));
        form.push(("axis_names[]".into(), name.to_string()));
    }
    form
}

async fn change(who: &Visitor, form: &[(String, String)]) -> tests::Reply {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    who.call("edit_process", &pairs).await
}

async fn the_team_changes_a_process_without_breaking_its_work(app: TestApp) {
    let (slug, axes) = app
        .open_process("Plan editable", &["Ambiente", "Datos"])
        .await;
    let (ambiente, datos) = (axes[0], axes[1]);
    let author = app.participant("Ana", "ana@example.org").await;
    author
        .submit_proposal(&slug, "Más árboles", ambiente, &[])
        .await;
    let team = app
        .user_with_role("facilitator", "equipo@example.org")
        .await;
    let same = [(ambiente, "Ambiente"), (datos, "Datos")];
    let title_now = || async {
        let p = app.visitor().call("process", &[("slug", &slug)]).await;
        p.ok()["title"].as_str().unwrap().to_string()
    };
    let audited = "SELECT COUNT(*) FROM audit_log WHERE action = 'process.edit'";

    // Only the team.
    let retitled = change_form(&slug, &same, &[("title", "Otro título")]);
    assert_eq!(change(&author, &retitled).await.status, 403);
    assert_eq!(change(&app.visitor(), &retitled).await.status, 401);
    // A date that has passed stays; a new one cannot be in the past; an axis
    // with a proposal cannot go. Each refusal changes nothing at all.
    let yesterday = day(-1);
    let refusals = [
        (
            change_form(
                &slug,
                &same,
                &[("title", "Otro título"), ("intake_start", &day(-2))],
            ),
            "intake_start",
            "process.date_passed",
        ),
        (
            change_form(
                &slug,
                &same,
                &[("title", "Otro título"), ("feasibility_start", &yesterday)],
            ),
            "feasibility_start",
            "process.date_before_today",
        ),
        (
            change_form(&slug, &[(datos, "Datos")], &[("title", "Otro título")]),
            "axes",
            "process.axis_in_use",
        ),
        (
            change_form(&slug, &[(ambiente, "Ambiente"), (datos, "ambiente")], &[]),
            "axes",
            "validation.axis_duplicate",
        ),
    ];
    for (form, field, key) in refusals {
        let r = change(&team, &form).await;
        assert_eq!(r.field_error(field).as_deref(), Some(key), "{:?}", r.body);
    }
    assert_eq!(title_now().await, "Plan editable");
    assert_eq!(app.count(audited).await, 0);

    // Renamed, added, retitled and given more time: audited.
    let later_end = day(12);
    let form = change_form(
        &slug,
        &[(ambiente, "Ambiente y clima"), (datos, "Datos abiertos")],
        &[
            ("title", "Plan cambiado"),
            ("new_axes", "Salud\n"),
            ("intake_end", &later_end),
        ],
    );
    let r = change(&team, &form).await;
    assert!(
        r.status.is_success() || r.status.is_redirection(),
        "{:?}",
        r.body
    );
    let p = app.visitor().call("process", &[("slug", &slug)]).await;
    let p = p.ok();
    assert_eq!(p["title"], "Plan cambiado");
    assert_eq!(
        axis_names(p),
        ["Ambiente y clima", "Datos abiertos", "Salud"]
    );
    let intake = p["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["stage"] == "Intake")
        .unwrap();
    assert_eq!(intake["ends_on"], later_end.as_str());
    // The proposal keeps its axis, under the new name.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM proposals WHERE axis_id = {ambiente}"
        ))
        .await,
        1
    );
    assert_eq!(app.count(audited).await, 1);
    let detail: String = sqlx::query_scalar::<_, String>(
        "SELECT detail FROM audit_log WHERE action = 'process.edit'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert!(
        detail.contains("title") && detail.contains("intake_end"),
        "{detail}"
    );

    // An axis nothing uses can go.
    let salud = p["axes"][2]["id"].as_i64().unwrap();
    let form = change_form(
        &slug,
        &[
            (ambiente, "Ambiente y clima"),
            (datos, "Datos abiertos"),
            (salud, ""),
        ],
        &[("title", "Plan cambiado"), ("intake_end", &later_end)],
    );
    let r = change(&team, &form).await;
    assert!(
        r.status.is_success() || r.status.is_redirection(),
        "{:?}",
        r.body
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM process_axes WHERE id = {salud}"
        ))
        .await,
        0
    );
}

/// A process's axes by name, in the order it gives them.
fn axis_names(process: &serde_json::Value) -> Vec<&str> {
    process["axes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect()
}
