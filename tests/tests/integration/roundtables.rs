//! Scheduling roundtables, registration with capacity and waitlist, and who gets
//! the video-call link and the calendar file.
use tests::{day, on_both_engines, TestApp, Visitor};

on_both_engines!(
    scheduling_offers_only_presentable_proposals,
    capacity_waitlist_and_promotion,
    concurrent_registrations_never_exceed_capacity,
    link_only_for_those_who_may_join,
    finished_roundtable_takes_no_registrations,
    seat_holders_are_reminded_the_day_before_once,
    the_team_changes_and_cancels_a_roundtable_telling_those_affected,
    followers_of_an_axis_hear_of_its_roundtables
);

pub struct Fixture {
    pub slug: String,
    pub team: Visitor,
    pub agency: String,
    pub member: Visitor,
    /// Found feasible by the agency, which is willing to present it.
    pub presentable: String,
    /// Still waiting for the agency's answer.
    pub pending: String,
}

pub async fn fixture(app: &TestApp) -> Fixture {
    let (slug, axes) = app.open_process("Plan con mesas", &["Ambiente"]).await;
    let author = app.participant("Ana", "ana@example.org").await;
    let presentable = author
        .submit_proposal(&slug, "Arbolado abierto", axes[0], &[])
        .await
        .to_string();
    let pending = author
        .submit_proposal(&slug, "Huertas comunitarias", axes[0], &[])
        .await
        .to_string();
    let team = app
        .user_with_role("facilitator", "equipo@example.org")
        .await;
    let member = app
        .participant("Restauración Ecológica", "area@example.org")
        .await;
    sqlx::query("INSERT INTO agencies (name, description, created_at) VALUES ('Restauración Ecológica', '', 0)")
        .execute(&app.db.pool)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO agency_members (user_id, agency_id) SELECT u.id, a.id FROM users u, agencies a \
         WHERE u.email = 'area@example.org'",
    )
    .execute(&app.db.pool)
    .await
    .unwrap();
    let agency = app.count("SELECT id FROM agencies").await.to_string();
    let due = day(5);
    team.call(
        "assign_proposals",
        &[
            ("slug", &slug),
            ("proposal_ids[]", &presentable),
            ("proposal_ids[]", &pending),
            ("agency_ids[]", &agency),
            ("due_on", &due),
            ("note", ""),
        ],
    )
    .await
    .ok();
    member
        .call(
            "answer_proposal",
            &[
                ("proposal_id", &presentable),
                ("agency_id", &agency),
                ("verdict", "feasible"),
                ("willing", "yes"),
                ("public_answer", "Factible."),
                ("private_notes", ""),
                ("version", "0"),
            ],
        )
        .await
        .ok();
    Fixture {
        slug,
        team,
        agency,
        member,
        presentable,
        pending,
    }
}

/// Schedules a roundtable in three days at 18:00 (UTC−3); returns its id.
pub async fn schedule(app: &TestApp, f: &Fixture, capacity: &str) -> String {
    schedule_on(app, f, capacity, "").await
}

/// `schedule`, on axis `axis` (`""` for none).
async fn schedule_on(app: &TestApp, f: &Fixture, capacity: &str, axis: &str) -> String {
    let date = day(3);
    let r = f
        .team
        .call(
            "create_roundtable",
            &[
                ("slug", &f.slug),
                ("title", "Mesa de Ambiente"),
                ("axis_id", axis),
                ("description", "Arbolado y espacios verdes."),
                ("date", &date),
                ("time", "18:00"),
                ("utc_offset", "-180"),
                ("duration_minutes", "90"),
                ("video_url", "https://meet.example.org/ambiente"),
                ("capacity", capacity),
                ("agency_ids[]", &f.agency),
                ("proposal_ids[]", &f.presentable),
            ],
        )
        .await;
    r.ok();
    let _ = app;
    let location = r.headers["location"].to_str().unwrap().to_string();
    location.trim_start_matches("/roundtables/").to_string()
}

async fn detail(who: &Visitor, id: &str) -> serde_json::Value {
    who.call("roundtable", &[("id", id)]).await.ok().clone()
}

pub async fn register(who: &Visitor, id: &str) -> String {
    who.call("register_roundtable", &[("id", id)])
        .await
        .ok()
        .as_str()
        .unwrap()
        .to_string()
}

async fn scheduling_offers_only_presentable_proposals(app: TestApp) {
    let f = fixture(&app).await;
    let form = f.team.call("roundtable_form", &[("slug", &f.slug)]).await;
    let eligible: Vec<String> = form.ok()["eligible"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].to_string())
        .collect();
    assert_eq!(eligible, [f.presentable.clone()]);
    let attempt = |fields: Vec<(&'static str, String)>| {
        let mut form: Vec<(&str, String)> = vec![
            ("slug", f.slug.clone()),
            ("title", "Mesa".into()),
            ("axis_id", "".into()),
            ("description", "".into()),
            ("date", day(3)),
            ("time", "18:00".into()),
            ("utc_offset", "-180".into()),
            ("duration_minutes", "90".into()),
            ("video_url", "https://meet.example.org/x".into()),
            ("capacity", "30".into()),
            ("agency_ids[]", f.agency.clone()),
        ];
        for (k, v) in fields {
            match form.iter_mut().find(|(name, _)| *name == k) {
                Some(slot) => slot.1 = v,
                None => form.push((k, v)),
            }
        }
        let team = f.team.clone();
        async move {
            let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            team.call("create_roundtable", &pairs).await
        }
    };
    let r = attempt(vec![("proposal_ids[]", f.pending.clone())]).await;
    assert_eq!(
        r.field_error("proposal_ids").as_deref(),
        Some("roundtable.not_presentable")
    );
    let r = attempt(vec![("date", day(-1))]).await;
    assert_eq!(
        r.field_error("date").as_deref(),
        Some("validation.date_past")
    );
    let r = attempt(vec![
        ("time", "25:00".into()),
        ("video_url", "http://x".into()),
        ("capacity", "0".into()),
    ])
    .await;
    assert_eq!(r.field_error("time").as_deref(), Some("validation.time"));
    assert_eq!(
        r.field_error("video_url").as_deref(),
        Some("validation.https")
    );
    assert_eq!(
        r.field_error("capacity").as_deref(),
        Some("validation.number")
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM roundtables").await, 0);

    let id = schedule(&app, &f, "30").await;
    let d = detail(&app.visitor(), &id).await;
    assert_eq!(d["summary"]["when"]["date"].as_str().unwrap(), day(3));
    assert_eq!(d["summary"]["when"]["time"], "18:00");
    assert_eq!(d["summary"]["when"]["zone"], "UTC−03:00");
    assert_eq!(d["agencies"][0], "Restauración Ecológica");
    assert_eq!(d["proposals"][0][1], "Arbolado abierto");
    let list = app
        .visitor()
        .call("roundtables", &[("slug", &f.slug), ("page", "1")])
        .await;
    assert_eq!(list.ok()["page"]["total"], 1);
    // Stored in UTC: 18:00 at UTC−3 is 21:00 UTC.
    let starts_at = app.count("SELECT starts_at FROM roundtables").await;
    assert_eq!(starts_at % 86400, 21 * 3600);
}

async fn capacity_waitlist_and_promotion(app: TestApp) {
    let f = fixture(&app).await;
    let id = schedule(&app, &f, "2").await;
    let ana = app.participant("Ana R", "ana.r@example.org").await;
    let beto = app.participant("Beto", "beto@example.org").await;
    let caro = app.participant("Caro", "caro@example.org").await;
    assert_eq!(register(&ana, &id).await, "Registered");
    assert_eq!(register(&beto, &id).await, "Registered");
    assert_eq!(register(&caro, &id).await, "Waitlisted");
    // Registering twice changes nothing.
    assert_eq!(register(&ana, &id).await, "Registered");
    let d = detail(&caro, &id).await;
    assert_eq!(d["my_status"], "Waitlisted");
    assert_eq!(d["my_place"], 1);
    assert!(d["video_url"].is_null());
    assert_eq!(d["summary"]["seats_taken"], 2);
    assert_eq!(d["summary"]["waitlist"], 1);
    // The registered get the link and the calendar file by email.
    let mail = app.smtp.wait_for("ana.r@example.org").await;
    assert!(
        mail.contains("mesa.ics") && mail.contains("text/calendar"),
        "{mail}"
    );
    assert!(tests::smtp::body_of(&mail).contains("https://meet.example.org/ambiente"));
    let mail = app.smtp.wait_for("caro@example.org").await;
    assert!(
        !mail.contains("meet.example.org"),
        "no link on the waitlist"
    );
    // Ana cancels: Caro moves up and is told, with the link.
    ana.call("cancel_registration", &[("id", &id)]).await.ok();
    let d = detail(&caro, &id).await;
    assert_eq!(d["my_status"], "Registered");
    assert_eq!(d["video_url"], "https://meet.example.org/ambiente");
    assert_eq!(d["summary"]["seats_taken"], 2);
    assert_eq!(d["summary"]["waitlist"], 0);
    let mut promoted = false;
    for _ in 0..100 {
        let to_caro: Vec<String> = app
            .smtp
            .messages()
            .into_iter()
            .filter(|m| m.contains("caro@example.org"))
            .collect();
        if to_caro.iter().any(|m| m.contains("mesa.ics")) {
            promoted = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(promoted, "the promoted person gets the calendar file");
    // Beto cancels with nobody waiting: the seat is free again.
    beto.call("cancel_registration", &[("id", &id)]).await.ok();
    assert_eq!(detail(&caro, &id).await["summary"]["seats_taken"], 1);
    let again = beto.call("cancel_registration", &[("id", &id)]).await;
    assert_eq!(
        again.refused_key().as_deref(),
        Some("roundtable.not_registered")
    );
    // And can register again.
    assert_eq!(register(&beto, &id).await, "Registered");
}

async fn concurrent_registrations_never_exceed_capacity(app: TestApp) {
    let f = fixture(&app).await;
    let id = schedule(&app, &f, "5").await;
    let mut people = Vec::new();
    for i in 0..20 {
        people.push(app.participant("P", &format!("p{i}@example.org")).await);
    }
    let mut calls = tokio::task::JoinSet::new();
    for p in people {
        let id = id.clone();
        calls.spawn(async move { register(&p, &id).await });
    }
    let statuses: Vec<String> = calls.join_all().await;
    assert_eq!(statuses.iter().filter(|s| *s == "Registered").count(), 5);
    assert_eq!(statuses.iter().filter(|s| *s == "Waitlisted").count(), 15);
    assert_eq!(app.count("SELECT seats_taken FROM roundtables").await, 5);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM roundtable_registrations WHERE status = 'registered'")
            .await,
        5
    );
}

async fn link_only_for_those_who_may_join(app: TestApp) {
    let f = fixture(&app).await;
    let id = schedule(&app, &f, "10").await;
    let calendar = format!("/roundtables/{id}/calendar.ics");
    let outsider = app.participant("Otra", "otra@example.org").await;
    assert!(detail(&outsider, &id).await["video_url"].is_null());
    assert!(detail(&app.visitor(), &id).await["video_url"].is_null());
    assert_eq!(outsider.get(&calendar).await.0.as_u16(), 403);
    assert_eq!(app.visitor().get(&calendar).await.0.as_u16(), 401);
    // The public page never carries the link for them.
    let (_, html) = outsider.get(&format!("/roundtables/{id}")).await;
    assert!(!html.contains("meet.example.org"));
    // Registered, presenting agency and team: yes.
    register(&outsider, &id).await;
    let (status, file) = outsider.get(&calendar).await;
    assert_eq!(status.as_u16(), 200);
    assert!(file.starts_with("BEGIN:VCALENDAR\r\n"), "{file}");
    assert!(file.contains("LOCATION:https://meet.example.org/ambiente"));
    assert!(!detail(&f.member, &id).await["video_url"].is_null());
    assert!(!detail(&f.team, &id).await["video_url"].is_null());
    let (_, html) = outsider.get(&format!("/roundtables/{id}")).await;
    assert!(html.contains("https://meet.example.org/ambiente"));
}

async fn finished_roundtable_takes_no_registrations(app: TestApp) {
    let f = fixture(&app).await;
    let id = schedule(&app, &f, "10").await;
    sqlx::query("UPDATE roundtables SET starts_at = starts_at - 10 * 86400")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let late = app.participant("Tarde", "tarde@example.org").await;
    let r = late.call("register_roundtable", &[("id", &id)]).await;
    assert_eq!(r.refused_key().as_deref(), Some("roundtable.finished"));
    assert_eq!(detail(&late, &id).await["summary"]["past"], true);
}

/// Reminders sent to `to` so far (the scheduled job runs every second in tests).
fn reminders_to(app: &TestApp, to: &str) -> Vec<String> {
    app.smtp
        .messages()
        .into_iter()
        .filter(|m| m.contains(to) && m.contains("Recordatorio"))
        .collect()
}

async fn seat_holders_are_reminded_the_day_before_once(app: TestApp) {
    let f = fixture(&app).await;
    let id = schedule(&app, &f, "1").await;
    let seated = app.participant("Sara", "sara@example.org").await;
    let waiting = app.participant("Walter", "walter@example.org").await;
    let late = app.participant("Lola", "lola@example.org").await;
    assert_eq!(register(&seated, &id).await, "Registered");
    assert_eq!(register(&waiting, &id).await, "Waitlisted");
    // Three days ahead: nobody is reminded yet.
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    assert!(reminders_to(&app, "sara@example.org").is_empty());
    // It now starts in twelve hours; the seat was taken days ago.
    sqlx::query(&format!(
        "UPDATE roundtables SET starts_at = {} WHERE id = {id}",
        now() + 12 * 3600
    ))
    .execute(&app.db.pool)
    .await
    .unwrap();
    sqlx::query("UPDATE roundtable_registrations SET updated_at = updated_at - 259200, created_at = created_at - 259200")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let mut mail = None;
    for _ in 0..100 {
        if let Some(m) = reminders_to(&app, "sara@example.org").pop() {
            mail = Some(m);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let mail = mail.expect("the seat holder is reminded");
    let body = tests::smtp::body_of(&mail);
    assert!(
        body.contains("Mesa de Ambiente") && body.contains("https://meet.example.org/ambiente"),
        "{body}"
    );
    assert!(
        mail.contains("BEGIN:VCALENDAR") || mail.contains("text/calendar"),
        "the calendar file: {mail}"
    );
    assert!(mail.contains("List-Unsubscribe"));
    let notices = seated
        .call("notifications", &[("page", "1")])
        .await
        .ok()
        .to_string();
    assert!(notices.contains("RoundtableReminder"), "{notices}");
    // Someone who takes a seat now (the same day) got the confirmation instead.
    sqlx::query(&format!(
        "UPDATE roundtables SET capacity = 3 WHERE id = {id}"
    ))
    .execute(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(register(&late, &id).await, "Registered");
    // Once: the job keeps running, and the waitlist and the latecomer get none.
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    assert_eq!(reminders_to(&app, "sara@example.org").len(), 1);
    assert!(reminders_to(&app, "walter@example.org").is_empty());
    assert!(reminders_to(&app, "lola@example.org").is_empty());
    assert_eq!(
        app.count("SELECT COUNT(*) FROM roundtable_registrations WHERE reminded_at IS NOT NULL")
            .await,
        1
    );
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// The change form as the edit page fills it, with `changes` made.
fn setup_form<'a>(
    f: &'a Fixture,
    id: &'a str,
    changes: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("id", id),
        ("title", "Mesa de Ambiente"),
        ("description", "Arbolado y espacios verdes."),
        ("date", ""),
        ("time", "18:00"),
        ("utc_offset", "-180"),
        ("duration_minutes", "90"),
        ("video_url", "https://meet.example.org/ambiente"),
        ("capacity", "2"),
        ("agency_ids[]", f.agency.as_str()),
    ];
    for (k, v) in changes {
        match form.iter_mut().find(|(name, _)| name == k) {
            Some(slot) => slot.1 = v,
            None => form.push((k, v)),
        }
    }
    form
}

/// Notifications of `kind` that the person with `email` got.
async fn notices(app: &TestApp, email: &str, kind: &str) -> i64 {
    app.count(&format!(
        "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id \
         WHERE u.email = '{email}' AND n.kind = '{kind}'"
    ))
    .await
}

async fn the_team_changes_and_cancels_a_roundtable_telling_those_affected(app: TestApp) {
    let f = fixture(&app).await;
    let id = schedule(&app, &f, "2").await;
    let sara = app.participant("Sara", "sara@example.org").await;
    let tomas = app.participant("Tomás", "tomas@example.org").await;
    let uma = app.participant("Uma", "uma@example.org").await;
    assert_eq!(register(&sara, &id).await, "Registered");
    assert_eq!(register(&tomas, &id).await, "Registered");
    assert_eq!(register(&uma, &id).await, "Waitlisted");
    let setup = f.team.call("roundtable_settings", &[("id", &id)]).await;
    assert_eq!(setup.ok()["registered"], 2);
    assert_eq!(setup.ok()["date"], day(3).as_str());
    assert_eq!(
        sara.call("roundtable_settings", &[("id", &id)])
            .await
            .status,
        403
    );
    let audited = "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'roundtable.%'";

    // Refused: people outside the team, fewer seats than people holding one,
    // a time in the past. Nothing changes.
    let (three, yesterday, four) = (day(3), day(-1), day(4));
    let unchanged = setup_form(&f, &id, &[("date", &three), ("title", "Otra mesa")]);
    assert_eq!(sara.call("edit_roundtable", &unchanged).await.status, 403);
    assert_eq!(
        app.visitor()
            .call("edit_roundtable", &unchanged)
            .await
            .status,
        401
    );
    let smaller = setup_form(&f, &id, &[("date", &three), ("capacity", "1")]);
    let r = f.team.call("edit_roundtable", &smaller).await;
    assert_eq!(
        r.field_error("capacity").as_deref(),
        Some("roundtable.capacity_below_seats")
    );
    let past = setup_form(&f, &id, &[("date", &yesterday)]);
    let r = f.team.call("edit_roundtable", &past).await;
    assert_eq!(
        r.field_error("date").as_deref(),
        Some("validation.date_past")
    );
    let d = detail(&f.team, &id).await;
    assert_eq!(d["summary"]["title"], "Mesa de Ambiente");
    assert_eq!(d["summary"]["capacity"], 2);
    assert_eq!(app.count(audited).await, 0);

    // Moved a day later, an hour later, in a larger room: the waitlist moves
    // up, and everyone else is told the new time with a calendar file.
    let moved = setup_form(
        &f,
        &id,
        &[
            ("date", &four),
            ("time", "19:00"),
            ("capacity", "3"),
            ("video_url", "https://meet.example.org/nueva"),
        ],
    );
    let r = f.team.call("edit_roundtable", &moved).await;
    assert!(
        r.status.is_success() || r.status.is_redirection(),
        "{:?}",
        r.body
    );
    let d = detail(&f.team, &id).await;
    assert_eq!(d["summary"]["when"]["date"], four.as_str());
    assert_eq!(d["summary"]["when"]["time"], "19:00");
    assert_eq!(d["summary"]["capacity"], 3);
    assert_eq!(detail(&uma, &id).await["my_status"], "Registered");
    for email in ["sara@example.org", "tomas@example.org"] {
        assert_eq!(
            notices(&app, email, "roundtable_rescheduled").await,
            1,
            "{email}"
        );
    }
    assert_eq!(
        notices(&app, "uma@example.org", "roundtable_rescheduled").await,
        0
    );
    let mail = app.smtp.wait_for("tomas@example.org").await;
    let mail = app
        .smtp
        .messages()
        .into_iter()
        .find(|m| m.contains("tomas@example.org") && m.contains("mesa.ics") && m.contains("19:00"))
        .unwrap_or(mail);
    assert!(mail.contains("mesa.ics"), "{mail}");
    let detail_text: String = sqlx::query_scalar::<_, String>(
        "SELECT detail FROM audit_log WHERE action = 'roundtable.edit'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert!(
        detail_text.contains("time") && detail_text.contains("capacity"),
        "{detail_text}"
    );
    // The reminder goes again, for the new day.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM roundtable_registrations WHERE roundtable_id = {id} \
             AND reminded_at IS NOT NULL"
        ))
        .await,
        0
    );

    // Cancelled with a reason: everyone with a seat is told; it takes no one
    // and changes no more.
    assert_eq!(
        sara.call("cancel_roundtable", &[("id", &id), ("reason", "x")])
            .await
            .status,
        403
    );
    let blank = f
        .team
        .call("cancel_roundtable", &[("id", &id), ("reason", " ")])
        .await;
    assert_eq!(
        blank.field_error("reason").as_deref(),
        Some("validation.required")
    );
    let r = f
        .team
        .call(
            "cancel_roundtable",
            &[("id", &id), ("reason", "Feriado no previsto")],
        )
        .await;
    assert!(
        r.status.is_success() || r.status.is_redirection(),
        "{:?}",
        r.body
    );
    for email in ["sara@example.org", "tomas@example.org", "uma@example.org"] {
        assert_eq!(
            notices(&app, email, "roundtable_cancelled").await,
            1,
            "{email}"
        );
    }
    let d = detail(&app.visitor(), &id).await;
    assert_eq!(d["summary"]["cancelled"], "Feriado no previsto");
    assert_eq!(d["summary"]["past"], true);
    let late = app.participant("Vera", "vera@example.org").await;
    assert!(late
        .call("register_roundtable", &[("id", &id)])
        .await
        .error_kind()
        .is_some());
    let again = f.team.call("edit_roundtable", &moved).await;
    assert_eq!(
        again.refused_key().as_deref(),
        Some("roundtable.over_no_change")
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'roundtable.cancel'")
            .await,
        1
    );
}

async fn followers_of_an_axis_hear_of_its_roundtables(app: TestApp) {
    let f = fixture(&app).await;
    let axis = app
        .count("SELECT id FROM process_axes WHERE name = 'Ambiente'")
        .await
        .to_string();
    let (_, other_axes) = app.open_process("Otro plan", &["Salud"]).await;
    let lia = app.participant("Lía", "lia@example.org").await;
    let _quiet = app.participant("Quieto", "quieto@example.org").await;
    let follow = |ids: Vec<String>| {
        let (lia, slug) = (lia.clone(), f.slug.clone());
        async move {
            let mut form = vec![("slug", slug.clone())];
            form.extend(ids.into_iter().map(|id| ("axis_ids[]", id)));
            let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            lia.call("follow_axes", &pairs).await
        }
    };
    // Not signed in: refused. An axis of another process: refused.
    assert_eq!(
        app.visitor()
            .call("follow_axes", &[("slug", &f.slug), ("axis_ids[]", &axis)])
            .await
            .status,
        401
    );
    let wrong = follow(vec![other_axes[0].to_string()]).await;
    assert_eq!(
        wrong.field_error("axis_ids").as_deref(),
        Some("validation.choice")
    );
    follow(vec![axis.clone()]).await.ok();
    let mine = lia.call("followed_axes", &[("slug", &f.slug)]).await;
    assert_eq!(
        mine.ok()["followed"],
        serde_json::json!([axis.parse::<i64>().unwrap()])
    );

    // A roundtable on the axis: she is told, in the app and by mail; others not.
    let id = schedule_on(&app, &f, "10", &axis).await;
    assert_eq!(notices(&app, "lia@example.org", "axis_roundtable").await, 1);
    assert_eq!(
        notices(&app, "quieto@example.org", "axis_roundtable").await,
        0
    );
    let mail = tests::smtp::body_of(&app.smtp.wait_for("lia@example.org").await);
    assert!(mail.contains(&format!("/roundtables/{id}")), "{mail}");
    // A roundtable on no axis tells no one; after she stops following, neither
    // does the next one on it.
    schedule(&app, &f, "10").await;
    follow(vec![]).await.ok();
    schedule_on(&app, &f, "10", &axis).await;
    assert_eq!(notices(&app, "lia@example.org", "axis_roundtable").await, 1);
}
