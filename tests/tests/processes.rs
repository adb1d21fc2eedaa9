//! Creating processes and showing where each one stands.
use tests::{on_both_engines, TestApp};

on_both_engines!(
    facilitator_creates_a_process,
    bad_process_forms_change_nothing,
    home_shows_current_and_next_stage
);

fn process_form<'a>(title: &'a str, overrides: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("title", title),
        ("description", "Cocreación del plan."),
        ("axes", "Datos abiertos\nAmbiente\n\n"),
        ("intake_start", "2030-01-01"),
        ("intake_end", "2030-01-31"),
        ("feasibility_start", "2030-02-01"),
        ("feasibility_end", "2030-02-28"),
        ("roundtables_start", "2030-03-01"),
        ("roundtables_end", "2030-03-31"),
        ("drafting_start", "2030-04-01"),
        ("drafting_end", "2030-04-30"),
        ("comment_start", "2030-05-01"),
        ("comment_end", "2030-05-31"),
        ("monitoring_start", "2030-06-01"),
        ("monitoring_end", "2031-06-30"),
    ];
    for (k, v) in overrides {
        if let Some(slot) = form.iter_mut().find(|(name, _)| name == k) {
            slot.1 = v;
        } else {
            form.push((k, v));
        }
    }
    form
}

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

fn time_today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
        - 3 * 3600;
    civil(secs.div_euclid(86400))
}

fn shift(date: &str, days: i64) -> String {
    civil(days_of(date) + days)
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date (Howard Hinnant's algorithm).
fn days_of(date: &str) -> i64 {
    let y: i64 = date[0..4].parse().unwrap();
    let m: i64 = date[5..7].parse().unwrap();
    let d: i64 = date[8..10].parse().unwrap();
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

fn civil(z: i64) -> String {
    let z = z + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    format!("{y:04}-{m:02}-{d:02}")
}
