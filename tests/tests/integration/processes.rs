//! Creating processes and showing where each one stands.
use tests::{on_both_engines, process_form, TestApp};

on_both_engines!(
    facilitator_creates_a_process,
    bad_process_forms_change_nothing,
    home_shows_current_and_next_stage
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
    assert_eq!(p["axes"].as_array().unwrap().len(), 2);
    assert_eq!(p["stages"].as_array().unwrap().len(), 6);
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
