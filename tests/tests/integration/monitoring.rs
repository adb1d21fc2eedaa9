//! Monitoring a final commitment: its lead agency files progress with evidence,
//! the team publishes it or sends it back, and only published progress reaches
//! the public (page, panel, feed, evidence downloads). Evidence files are judged
//! by their bytes; a refused upload stores nothing.
use crate::commitments::{add_milestone, sheet};
use crate::roundtables::{fixture, Fixture};
use reqwest::multipart::{Form, Part};
use reqwest::StatusCode;
use serde_json::Value;
use tests::{day, on_both_engines, TestApp, Visitor};

on_both_engines!(
    lead_agencies_file_and_the_team_publishes,
    evidence_files_are_judged_by_their_bytes,
    reminders_reach_the_lead_agency_once_per_period,
    followup_meetings_are_public_and_count_as_meetings
);

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n";

/// A final commitment born at a roundtable where the fixture's agency
/// presented, with two milestones; returns its id and the milestones' keys.
pub async fn final_commitment(app: &TestApp, f: &Fixture) -> (String, Vec<String>) {
    let (id, _) = sheet(app, f).await;
    for title in ["Censo publicado", "Datos abiertos del arbolado"] {
        let version = app
            .count(&format!(
                "SELECT current_version FROM commitments WHERE id = {id}"
            ))
            .await
            .to_string();
        add_milestone(&f.team, &id, &version, title).await.ok();
    }
    f.team
        .call(
            "publish_for_comment",
            &[("id", &id), ("opens_on", &day(0)), ("closes_on", &day(7))],
        )
        .await
        .ok();
    f.team.call("publish_final", &[("id", &id)]).await.ok();
    let m = monitoring(&f.team, &id).await;
    let keys = m["milestones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|ms| ms["key"].as_str().unwrap().to_string())
        .collect();
    (id, keys)
}

/// A member of "Otra área", an agency that leads nothing.
async fn other_agency_member(app: &TestApp) -> Visitor {
    let member = app.participant("Otra área", "otra@example.org").await;
    sqlx::query("INSERT INTO agencies (name, description, created_at) VALUES ('Otra área', '', 0)")
        .execute(&app.db.pool)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO agency_members (user_id, agency_id) SELECT u.id, a.id FROM users u, agencies a \
         WHERE u.email = 'otra@example.org' AND a.name = 'Otra área'",
    )
    .execute(&app.db.pool)
    .await
    .unwrap();
    member
}

pub async fn monitoring(who: &Visitor, id: &str) -> Value {
    who.call("monitoring", &[("id", id)]).await.ok().clone()
}

/// An update's form: milestone, status, narrative, and evidence files.
pub fn update(key: &str, progress: &str, narrative: &str, files: &[(&str, &[u8])]) -> Form {
    let mut form = Form::new()
        .text("milestone_key", key.to_string())
        .text("progress", progress.to_string())
        .text("narrative", narrative.to_string())
        .text("link_title", "Resolución publicada")
        .text("link_url", "https://boletinoficial.example.org/res-12")
        .text("link_date", day(-2))
        .text("file_title", "")
        .text("file_date", "");
    for (name, bytes) in files {
        form = form.part(
            "files",
            Part::bytes(bytes.to_vec()).file_name(name.to_string()),
        );
    }
    form
}

/// The lead agency reports progress on both milestones (the first complete,
/// the second limited); the team publishes only the first.
pub async fn progress_with_one_published(app: &TestApp, f: &Fixture, id: &str, keys: &[String]) {
    for (key, progress) in [(&keys[0], "complete"), (&keys[1], "limited")] {
        let (status, _) = file(
            &f.member,
            id,
            update(key, progress, "Avance informado.", &[]),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
    }
    let first = app
        .count("SELECT MIN(id) FROM milestone_updates")
        .await
        .to_string();
    f.team
        .call(
            "review_update",
            &[("id", &first), ("decision", "publish"), ("reason", "")],
        )
        .await
        .ok();
}

async fn file(who: &Visitor, id: &str, form: Form) -> (StatusCode, String) {
    let (status, _, body) = who
        .post_multipart(&format!("/commitments/{id}/updates"), form, false)
        .await;
    (status, body)
}

async fn panel(who: &Visitor, slug: &str, filter: &[(&str, &str)]) -> Value {
    let mut form = vec![("slug", slug)];
    form.extend_from_slice(filter);
    who.call("tracking_panel", &form).await.ok().clone()
}

/// The codes of the panel's cards in the column of `status`.
fn column(panel: &Value, status: &str) -> Vec<String> {
    panel["columns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c[0] == status)
        .map(|c| {
            c[1].as_array()
                .unwrap()
                .iter()
                .map(|card| card["code"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

async fn lead_agencies_file_and_the_team_publishes(app: TestApp) {
    let f = fixture(&app).await;
    let (id, keys) = final_commitment(&app, &f).await;
    let public = app.visitor();
    let narrative = "Se publicó el censo de arbolado de las comunas 1 a 8.";

    // Only the lead agency (and the team) files progress.
    let resident = app.participant("Vecina", "vecina@example.org").await;
    let other_member = other_agency_member(&app).await;
    for (who, status) in [
        (&public, StatusCode::UNAUTHORIZED),
        (&resident, StatusCode::FORBIDDEN),
        (&other_member, StatusCode::FORBIDDEN),
    ] {
        let (s, _) = file(
            who,
            &id,
            update(&keys[0], "complete", narrative, &[("informe.pdf", PDF)]),
        )
        .await;
        assert_eq!(s, status);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM milestone_updates").await, 0);

    let (s, body) = file(
        &f.member,
        &id,
        update(&keys[0], "substantial", narrative, &[("informe.pdf", PDF)]),
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM update_evidence").await,
        2,
        "the link and the file"
    );
    let file_id = app
        .count("SELECT id FROM update_evidence WHERE stored_as IS NOT NULL")
        .await;

    // Not published: the public sees nothing of it anywhere.
    let m = monitoring(&public, &id).await;
    assert!(!m.to_string().contains(narrative), "{m}");
    assert_eq!(m["pending"], Value::Array(vec![]));
    assert_eq!(m["milestones"][0]["progress"], Value::Null);
    let (s, _) = public.get(&format!("/evidence/{file_id}")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (_, page) = public.get(&format!("/commitments/{id}/monitoring")).await;
    assert!(!page.contains(narrative));
    let (_, feed) = public
        .get(&format!("/processes/{}/updates.atom", f.slug))
        .await;
    assert!(!feed.contains(narrative));
    let code = m["code"].as_str().unwrap().to_string();
    assert_eq!(
        column(&panel(&public, &f.slug, &[]).await, "no_evidence"),
        vec![code.clone()]
    );
    // The agency and the team see it waiting.
    let mine = monitoring(&f.member, &id).await;
    assert_eq!(mine["pending"][0]["state"], "submitted");
    assert!(mine["can_file"].as_bool().unwrap());
    assert!(!mine["can_review"].as_bool().unwrap());
    let res = f
        .member
        .client
        .get(format!("{}/evidence/{file_id}", f.member.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert!(res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment; filename=\"informe.pdf\""));
    assert_eq!(res.bytes().await.unwrap().as_ref(), PDF);

    // Only the team reviews; a return needs a reason.
    let update_id = mine["pending"][0]["id"].to_string();
    for who in [&f.member, &resident] {
        let r = who
            .call(
                "review_update",
                &[("id", &update_id), ("decision", "publish"), ("reason", "")],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    }
    let r = f
        .team
        .call(
            "review_update",
            &[("id", &update_id), ("decision", "return"), ("reason", " ")],
        )
        .await;
    assert_eq!(
        r.field_error("reason").as_deref(),
        Some("validation.required")
    );
    f.team
        .call(
            "review_update",
            &[("id", &update_id), ("decision", "publish"), ("reason", "")],
        )
        .await
        .ok();

    // Published: on the page, the panel, the feed; the file downloads.
    let m = monitoring(&public, &id).await;
    assert_eq!(m["milestones"][0]["progress"], "substantial");
    assert_eq!(m["milestones"][0]["history"][0]["narrative"], narrative);
    assert_eq!(
        m["milestones"][0]["history"][0]["filed_by"],
        "Restauración Ecológica"
    );
    // One of two milestones substantial: a third of the way, limited.
    assert_eq!(
        (m["completion"].as_str(), m["percent"].as_i64()),
        (Some("limited"), Some(33))
    );
    let (s, _) = public.get(&format!("/evidence/{file_id}")).await;
    assert_eq!(s, StatusCode::OK);
    let (_, page) = public.get(&format!("/commitments/{id}/monitoring")).await;
    assert!(page.contains(narrative));
    let (_, feed) = public
        .get(&format!("/processes/{}/updates.atom", f.slug))
        .await;
    assert!(feed.contains(narrative) && feed.contains("<feed"), "{feed}");
    let p = panel(&public, &f.slug, &[]).await;
    assert_eq!(column(&p, "limited"), vec![code.clone()]);
    assert!(column(&p, "no_evidence").is_empty());
    assert_eq!(p["over_time"][0][1], 33);
    let agency = f.agency.as_str();
    let filtered = panel(&public, &f.slug, &[("agency", agency)]).await;
    assert_eq!(column(&filtered, "limited"), vec![code.clone()]);
    let other_agency = app
        .count("SELECT id FROM agencies WHERE name = 'Otra área'")
        .await
        .to_string();
    for filter in [("agency", other_agency.as_str()), ("status", "complete")] {
        let p = panel(&public, &f.slug, &[filter]).await;
        assert!(
            p["columns"]
                .as_array()
                .unwrap()
                .iter()
                .all(|c| c[1] == Value::Array(vec![])),
            "{filter:?}"
        );
    }
    let (_, panel_page) = public.get(&format!("/processes/{}/panel", f.slug)).await;
    assert!(panel_page.contains(&code));

    // Reviewed once: a published update is never rewritten.
    let r = f
        .team
        .call(
            "review_update",
            &[
                ("id", &update_id),
                ("decision", "return"),
                ("reason", "Otra cosa"),
            ],
        )
        .await;
    assert_eq!(
        r.field_error("").as_deref(),
        Some("monitoring.already_reviewed")
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM milestone_updates WHERE state = 'published' AND return_reason = ''")
            .await,
        1
    );

    // Sent back: its agency sees why; the public never sees it.
    let second = "Avance sin respaldo suficiente.";
    file(&f.member, &id, update(&keys[1], "complete", second, &[])).await;
    let pending = monitoring(&f.team, &id).await["pending"][0]["id"].to_string();
    f.team
        .call(
            "review_update",
            &[
                ("id", &pending),
                ("decision", "return"),
                ("reason", "Falta la evidencia."),
            ],
        )
        .await
        .ok();
    let mine = monitoring(&f.member, &id).await;
    assert_eq!(mine["pending"][0]["state"], "returned");
    assert_eq!(mine["pending"][0]["return_reason"], "Falta la evidencia.");
    let m = monitoring(&public, &id).await;
    assert!(!m.to_string().contains(second));
    assert_eq!(m["milestones"][1]["progress"], Value::Null);
}

async fn evidence_files_are_judged_by_their_bytes(app: TestApp) {
    let f = fixture(&app).await;
    let (id, keys) = final_commitment(&app, &f).await;
    let files_dir = app.dir().join("files");
    let big = vec![b'%'; 10 * 1024 * 1024 + 1];
    for (name, bytes, key) in [
        // A page with a script, claiming to be a PDF.
        (
            "informe.pdf",
            b"<html><script>alert(1)</script></html>".as_slice(),
            "evidence.bad_type",
        ),
        // A PDF claiming to be a picture.
        ("foto.png", PDF, "evidence.bad_type"),
        ("../../etc/informe.pdf", PDF, "evidence.bad_name"),
        ("..\\informe.pdf", PDF, "evidence.bad_name"),
        ("grande.pdf", big.as_slice(), "evidence.too_big"),
    ] {
        let (s, body) = file(
            &f.member,
            &id,
            update(&keys[0], "limited", "Avance", &[(name, bytes)]),
        )
        .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{name}: {body}");
        assert!(body.contains(key), "{name}: {body}");
    }
    // Four files are one too many.
    let four = [
        ("a.pdf", PDF),
        ("b.pdf", PDF),
        ("c.pdf", PDF),
        ("d.pdf", PDF),
    ];
    let (s, body) = file(&f.member, &id, update(&keys[0], "limited", "Avance", &four)).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(body.contains("evidence.too_many"), "{body}");
    // Bad fields too, and a sheet that is not final.
    let (s, _) = file(&f.member, &id, update("m99", "limited", "Avance", &[])).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, _) = file(&f.member, &id, update(&keys[0], "done", "Avance", &[])).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, _) = file(&f.member, &id, update(&keys[0], "limited", " ", &[])).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let roundtable = app
        .count("SELECT MAX(id) FROM roundtables")
        .await
        .to_string();
    crate::commitments::create(&f, &roundtable, "borr0001")
        .await
        .ok();
    let draft = app
        .count("SELECT MAX(id) FROM commitments")
        .await
        .to_string();
    let (s, _) = file(&f.team, &draft, update(&keys[0], "limited", "Avance", &[])).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // Nothing was stored by any of them.
    assert_eq!(app.count("SELECT COUNT(*) FROM milestone_updates").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM update_evidence").await, 0);
    let stored = std::fs::read_dir(&files_dir)
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(stored, 0, "no file kept");

    // A browser is sent back to the page, which says what was wrong.
    let (s, headers, _) = f
        .member
        .post_multipart(
            &format!("/commitments/{id}/updates"),
            update(&keys[0], "limited", "Avance", &[("foto.png", PDF)]),
            true,
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let location = headers["location"].to_str().unwrap().to_string();
    assert!(location.contains("error=evidence.bad_type"), "{location}");
    let (_, page) = f.member.get(&location).await;
    assert!(page.contains("Ese tipo de archivo no se acepta"));
    // A good file is kept under the files folder, by a name of its own.
    let (s, _) = file(
        &f.member,
        &id,
        update(&keys[0], "limited", "Avance", &[("informe.pdf", PDF)]),
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let kept: Vec<_> = std::fs::read_dir(&files_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(kept.len(), 1);
    assert!(!kept[0].to_string_lossy().contains("informe"));
}

/// Reminders sent so far to `to`.
fn reminders(app: &TestApp, to: &str) -> usize {
    app.smtp
        .messages()
        .iter()
        .filter(|m| m.contains(to) && tests::smtp::body_of(m).contains("necesitan un avance"))
        .count()
}

async fn wait_for_reminders(app: &TestApp, to: &str, n: usize) {
    for _ in 0..200 {
        if reminders(app, to) >= n {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("{to} did not get {n} reminders");
}

async fn reminders_reach_the_lead_agency_once_per_period(app: TestApp) {
    let f = fixture(&app).await;
    // Another agency, which leads nothing, and its member.
    let other = other_agency_member(&app).await;
    let (id, keys) = final_commitment(&app, &f).await;

    // Neither milestone has progress: the lead agency is written to, once.
    wait_for_reminders(&app, "area@example.org", 1).await;
    let mail = app
        .smtp
        .messages()
        .into_iter()
        .find(|m| {
            m.contains("area@example.org")
                && tests::smtp::body_of(m).contains("necesitan un avance")
        })
        .unwrap();
    let body = tests::smtp::body_of(&mail);
    assert!(body.contains("/monitoring"), "{body}");
    assert!(
        body.contains("0 hitos vencidos, 0 por vencer y 2 sin avances recientes"),
        "{body}"
    );
    assert!(mail.contains("List-Unsubscribe"), "{mail}");
    // The scheduled job runs every second: still one, and none to the other agency.
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    assert_eq!(reminders(&app, "area@example.org"), 1);
    assert_eq!(reminders(&app, "otra@example.org"), 0);
    let n = f.member.call("notifications", &[("page", "1")]).await;
    assert!(n.ok().to_string().contains("MonitoringDue"), "{}", n.body);
    // The next period, it is written to again.
    sqlx::query("UPDATE monitoring_reminders SET period = period - 1")
        .execute(&app.db.pool)
        .await
        .unwrap();
    wait_for_reminders(&app, "area@example.org", 2).await;
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    assert_eq!(reminders(&app, "area@example.org"), 2);

    // The overview: the agency sees its milestones; the team also sees who is silent.
    let mine = f.member.call("monitoring_overview", &[]).await;
    let items = mine.ok()["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 2);
    assert!(items
        .iter()
        .all(|i| i["attention"] == "stale" && i["commitment_id"].to_string() == id));
    assert_eq!(
        other.call("monitoring_overview", &[]).await.ok()["items"],
        Value::Array(vec![])
    );
    let resident = app.participant("Vecina", "vecina@example.org").await;
    assert_eq!(
        resident.call("monitoring_overview", &[]).await.status,
        StatusCode::FORBIDDEN
    );
    let team = f.team.call("monitoring_overview", &[]).await;
    let team = team.ok();
    assert_eq!(team["silent_agencies"][0][0], "Restauración Ecológica");
    assert_eq!(team["cadences"][0][2], 30);

    // Progress complete on both: nothing left to remind of.
    for key in &keys {
        file(&f.member, &id, update(key, "complete", "Hecho.", &[])).await;
    }
    let pending: Vec<String> = monitoring(&f.team, &id).await["pending"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].to_string())
        .collect();
    for u in pending {
        f.team
            .call(
                "review_update",
                &[("id", &u), ("decision", "publish"), ("reason", "")],
            )
            .await
            .ok();
    }
    let mine = f.member.call("monitoring_overview", &[]).await;
    assert_eq!(mine.ok()["items"], Value::Array(vec![]));

    // The team sets the cadence; nonsense is refused.
    let r = f
        .team
        .call("set_reminder_cadence", &[("slug", &f.slug), ("days", "0")])
        .await;
    assert_eq!(r.field_error("days").as_deref(), Some("validation.number"));
    f.team
        .call("set_reminder_cadence", &[("slug", &f.slug), ("days", "7")])
        .await
        .ok();
    assert_eq!(
        f.team.call("monitoring_overview", &[]).await.ok()["cadences"][0][2],
        7
    );
}

async fn followup_meetings_are_public_and_count_as_meetings(app: TestApp) {
    let f = fixture(&app).await;
    let (id, _) = final_commitment(&app, &f).await;
    let public = app.visitor();
    let figures = |v: Value| v["figures"].clone();
    let before = figures(
        public
            .call("process", &[("slug", &f.slug)])
            .await
            .ok()
            .clone(),
    );
    let meeting = |held_on: String, attendees: &'static str, minutes: &'static str| {
        vec![
            ("id".to_string(), id.clone()),
            ("held_on".to_string(), held_on),
            ("attendees".to_string(), attendees.to_string()),
            (
                "organizations".to_string(),
                "ACIJ, Directorio Legislativo".to_string(),
            ),
            ("minutes".to_string(), minutes.to_string()),
        ]
    };
    let call = |who: &Visitor, form: Vec<(String, String)>| {
        let who = who.clone();
        async move {
            let pairs: Vec<(&str, &str)> =
                form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            who.call("log_followup", &pairs).await
        }
    };
    let good = meeting(
        day(-3),
        "14",
        "Se revisó el avance del censo con las organizaciones.",
    );
    // Only the team logs them; a date to come, a count that is not one, and
    // empty minutes are refused.
    assert_eq!(
        call(&f.member, good.clone()).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        call(&public, good.clone()).await.status,
        StatusCode::UNAUTHORIZED
    );
    let r = call(&f.team, meeting(day(2), "14", "Minuta")).await;
    assert_eq!(
        r.field_error("held_on").as_deref(),
        Some("followup.not_yet")
    );
    let r = call(&f.team, meeting(day(-3), "-1", "Minuta")).await;
    assert_eq!(
        r.field_error("attendees").as_deref(),
        Some("validation.number")
    );
    let r = call(&f.team, meeting(day(-3), "14", " ")).await;
    assert_eq!(
        r.field_error("minutes").as_deref(),
        Some("validation.required")
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM followup_meetings").await, 0);
    call(&f.team, good).await.ok();

    // Public on the commitment, and counted with the process's public meetings.
    let m = monitoring(&public, &id).await;
    assert_eq!(m["followups"][0]["attendees"], 14);
    assert_eq!(
        m["followups"][0]["organizations"],
        "ACIJ, Directorio Legislativo"
    );
    let after = figures(
        public
            .call("process", &[("slug", &f.slug)])
            .await
            .ok()
            .clone(),
    );
    assert_eq!(
        after["public_meetings"].as_i64().unwrap(),
        before["public_meetings"].as_i64().unwrap() + 1
    );
    assert_eq!(
        after["attendees"].as_i64().unwrap(),
        before["attendees"].as_i64().unwrap() + 14
    );
    let (_, page) = public.get(&format!("/commitments/{id}/monitoring")).await;
    assert!(page.contains("Se revisó el avance del censo"));
}
