//! Routing proposals to agencies, verdicts, publication of answers, meetings and
//! the notifications they cause.
use serde_json::Value;
use tests::{day, on_both_engines, TestApp, Visitor};

on_both_engines!(
    bulk_assignment_notifies_the_agency,
    unread_notifications_are_counted_up_to_a_hundred,
    agency_members_act_for_their_own_agencies_only,
    verdict_needs_a_public_answer_and_outside_remit_returns_it,
    answer_published_at_once_notifies_the_author,
    held_answers_become_public_only_at_publication,
    held_answers_are_published_when_the_stage_closes,
    stale_answer_form_does_not_overwrite,
    bad_routing_input_changes_nothing,
    meetings_are_logged_on_the_agency_page,
    forms_work_without_javascript
);

/// A process with `n` proposals by one author, two agencies with a member each,
/// and a facilitator.
pub struct Fixture {
    pub slug: String,
    pub proposals: Vec<String>,
    pub author: Visitor,
    pub team: Visitor,
    /// (agency id, a member)
    pub a: (String, Visitor),
    pub b: (String, Visitor),
}

async fn agency(app: &TestApp, name: &str, member_email: &str) -> (String, Visitor) {
    let member = app.participant(name, member_email).await;
    sqlx::query("INSERT INTO agencies (name, description, created_at) VALUES ($1, '', 0)")
        .bind(name)
        .execute(&app.db.pool)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO agency_members (user_id, agency_id) SELECT u.id, a.id FROM users u, agencies a \
         WHERE u.email = $1 AND a.name = $2",
    )
    .bind(member_email)
    .bind(name)
    .execute(&app.db.pool)
    .await
    .unwrap();
    let id = app
        .count(&format!("SELECT id FROM agencies WHERE name = '{name}'"))
        .await;
    (id.to_string(), member)
}

pub async fn fixture(app: &TestApp, n: usize) -> Fixture {
    let (slug, axes) = app
        .open_process("Plan de factibilidad", &["Ambiente"])
        .await;
    let author = app.participant("Ana Autora", "autora@example.org").await;
    let mut proposals = Vec::new();
    for i in 0..n {
        let id = author
            .submit_proposal(&slug, &format!("Propuesta número {i}"), axes[0], &[])
            .await;
        proposals.push(id.to_string());
    }
    Fixture {
        slug,
        proposals,
        author,
        team: app
            .user_with_role("facilitator", "equipo@example.org")
            .await,
        a: agency(app, "Restauración Ecológica", "area-a@example.org").await,
        b: agency(app, "Cultura", "area-b@example.org").await,
    }
}

/// The team asks to assign `proposals` to `agency`, due on `due`.
pub async fn try_assign(f: &Fixture, proposals: &[&str], agency: &str, due: &str) -> tests::Reply {
    let mut form = vec![
        ("slug", f.slug.as_str()),
        ("due_on", due),
        ("note", "Por favor, dictaminar."),
        ("agency_ids[]", agency),
    ];
    for p in proposals {
        form.push(("proposal_ids[]", p));
    }
    f.team.call("assign_proposals", &form).await
}

/// Assigns `proposals` to `agency` due in ten days; returns how many were made.
pub async fn assign(f: &Fixture, proposals: &[&str], agency: &str) -> i64 {
    try_assign(f, proposals, agency, &day(10))
        .await
        .ok()
        .as_i64()
        .unwrap()
}

async fn answer(
    who: &Visitor,
    proposal: &str,
    agency: &str,
    verdict: &str,
    version: &str,
) -> tests::Reply {
    who.call(
        "answer_proposal",
        &[
            ("proposal_id", proposal),
            ("agency_id", agency),
            ("verdict", verdict),
            ("willing", "yes"),
            (
                "public_answer",
                "Es factible: lo incluimos en el plan 2022.",
            ),
            ("private_notes", "Coordinar con Datos."),
            ("version", version),
        ],
    )
    .await
}

async fn review(who: &Visitor, proposal: &str) -> Value {
    who.call("feasibility_review", &[("proposal_id", proposal)])
        .await
        .ok()
        .clone()
}

async fn public(who: &Visitor, proposal: &str) -> Value {
    who.call("proposal", &[("id", proposal)]).await.ok().clone()
}

fn events(v: &Value) -> Vec<String> {
    v["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap().to_string())
        .collect()
}

async fn board(f: &Fixture, status: &str) -> Value {
    f.team
        .call(
            "routing_board",
            &[
                ("slug", &f.slug),
                ("query[q]", ""),
                ("query[status]", status),
                ("query[page]", "1"),
            ],
        )
        .await
        .ok()
        .clone()
}

async fn unread(who: &Visitor) -> i64 {
    who.call("whoami", &[]).await.ok()["unread_notifications"]
        .as_i64()
        .unwrap()
}

/// The menu's count reads at most a hundred unread notifications per request,
/// however many a person has; reading them clears it.
async fn unread_notifications_are_counted_up_to_a_hundred(app: TestApp) {
    let who = app.participant("Lectora", "lectora@example.org").await;
    let add = |n: i64, read: bool| {
        let pool = app.db.pool.clone();
        async move {
            sqlx::query(
                "INSERT INTO notifications (user_id, kind, subject_id, subject_title, created_at, read_at) \
                 SELECT u.id, 'answer_published', 1, 'Una propuesta', 1, $2 FROM users u \
                 JOIN (SELECT 1 AS k UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 \
                       UNION ALL SELECT 5) five ON 1 = 1 \
                 WHERE u.email = 'lectora@example.org' AND five.k <= $1",
            )
            .bind(n)
            .bind(read.then_some(1i64))
            .execute(&pool)
            .await
            .unwrap();
        }
    };
    add(5, true).await;
    assert_eq!(unread(&who).await, 0, "read ones are not counted");
    add(3, false).await;
    assert_eq!(unread(&who).await, 3);
    let (_, page) = who.get("/privacy").await;
    assert!(page.contains("Notificaciones (3 sin leer)"), "{page}");
    for _ in 0..30 {
        add(5, false).await;
    }
    assert_eq!(unread(&who).await, 100, "153 unread, counted up to 100");
    let (_, page) = who.get("/privacy").await;
    assert!(page.contains("Notificaciones (99+ sin leer)"), "{page}");
    who.call("mark_notifications_read", &[]).await.ok();
    assert_eq!(unread(&who).await, 0);
}

async fn bulk_assignment_notifies_the_agency(app: TestApp) {
    let f = fixture(&app, 4).await;
    let three: Vec<&str> = f.proposals[..3].iter().map(String::as_str).collect();
    assert_eq!(assign(&f, &three, &f.a.0).await, 3);
    // Assigning again skips what the agency already has.
    assert_eq!(assign(&f, &three, &f.a.0).await, 0);
    let b = board(&f, "all").await;
    let load = b["load"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["agency_id"].as_i64().unwrap().to_string() == f.a.0)
        .unwrap()
        .clone();
    assert_eq!(load["pending"], 3);
    assert_eq!(load["answered"], 0);
    assert_eq!(board(&f, "unassigned").await["page"]["total"], 1);
    assert_eq!(board(&f, "pending").await["page"]["total"], 3);
    assert_eq!(b["unanswered"], 4);
    // One notification and one email for the bulk, not one per proposal.
    assert_eq!(unread(&f.a.1).await, 1);
    let mail = app.smtp.wait_for("area-a@example.org").await;
    assert!(
        tests::smtp::body_of(&mail).contains("/feasibility"),
        "{mail}"
    );
    assert_eq!(unread(&f.b.1).await, 0);
    // The public history shows the routing.
    assert!(events(&public(&f.author, &f.proposals[0]).await).contains(&"assigned".to_string()));
    // Overdue: a due date that has passed since.
    sqlx::query("UPDATE feasibility_assignments SET due_on = $1 WHERE proposal_id = $2")
        .bind(day(-1))
        .bind(f.proposals[0].parse::<i64>().unwrap())
        .execute(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(board(&f, "overdue").await["page"]["total"], 1);
    let queue =
        f.a.1
            .call(
                "agency_queue",
                &[("query[status]", "overdue"), ("query[page]", "1")],
            )
            .await;
    assert_eq!(queue.ok()["total"], 1);
}

async fn agency_members_act_for_their_own_agencies_only(app: TestApp) {
    let f = fixture(&app, 2).await;
    assign(&f, &[&f.proposals[0]], &f.a.0).await;
    assign(&f, &[&f.proposals[1]], &f.b.0).await;
    let (a, b) = (&f.a, &f.b);
    // B cannot read A's proposal review, its agency page, or answer for A.
    let r =
        b.1.call("feasibility_review", &[("proposal_id", &f.proposals[0])])
            .await;
    assert_eq!(r.status.as_u16(), 403);
    let r =
        b.1.call(
            "agency_overview",
            &[("slug", &f.slug), ("agency_id", &a.0), ("page", "1")],
        )
        .await;
    assert_eq!(r.status.as_u16(), 403);
    let r = answer(&b.1, &f.proposals[0], &a.0, "feasible", "0").await;
    assert_eq!(r.status.as_u16(), 403);
    // Answering for B a proposal B does not have.
    let r = answer(&b.1, &f.proposals[0], &b.0, "feasible", "0").await;
    assert_eq!(r.refused_key().as_deref(), Some("feasibility.not_assigned"));
    // Nothing changed.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM feasibility_assignments WHERE verdict IS NOT NULL")
            .await,
        0
    );
    // B's queue lists only B's proposal; A's private notes never reach B.
    let q =
        b.1.call(
            "agency_queue",
            &[("query[status]", "pending"), ("query[page]", "1")],
        )
        .await;
    let items = q.ok()["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 1);
    assert_eq!(
        items[0]["proposal_id"].as_i64().unwrap().to_string(),
        f.proposals[1]
    );
    answer(&a.1, &f.proposals[0], &a.0, "feasible", "0")
        .await
        .ok();
    let public_view = public(&f.author, &f.proposals[0]).await;
    assert!(!public_view.to_string().contains("Coordinar con Datos"));
    assert_eq!(public_view["can_review"], false);
    // The routing page and the queue are refused to the wrong people.
    let r =
        a.1.call(
            "routing_board",
            &[
                ("slug", &f.slug),
                ("query[status]", "all"),
                ("query[page]", "1"),
            ],
        )
        .await;
    assert_eq!(r.status.as_u16(), 403, "{}", r.body);
    let r = f
        .author
        .call(
            "agency_queue",
            &[("query[status]", "pending"), ("query[page]", "1")],
        )
        .await;
    assert_eq!(r.status.as_u16(), 403);
    // A's member reads the review, with notes, and is offered the form.
    let rv = review(&a.1, &f.proposals[0]).await;
    assert_eq!(
        rv["assignments"][0]["private_notes"],
        "Coordinar con Datos."
    );
    assert_eq!(rv["assignments"][0]["can_answer"], true);
    assert_eq!(rv["can_route"], false);
}

async fn verdict_needs_a_public_answer_and_outside_remit_returns_it(app: TestApp) {
    let f = fixture(&app, 1).await;
    let p = &f.proposals[0];
    assign(&f, &[p], &f.a.0).await;
    let r =
        f.a.1
            .call(
                "answer_proposal",
                &[
                    ("proposal_id", p),
                    ("agency_id", &f.a.0),
                    ("verdict", "feasible"),
                    ("willing", "yes"),
                    ("public_answer", "   "),
                    ("private_notes", ""),
                    ("version", "0"),
                ],
            )
            .await;
    assert_eq!(
        r.field_error("public_answer").as_deref(),
        Some("validation.required")
    );
    let r = answer(&f.a.1, p, &f.a.0, "maybe", "0").await;
    assert_eq!(
        r.field_error("verdict").as_deref(),
        Some("validation.choice")
    );
    assert_eq!(
        app.count("SELECT version FROM feasibility_assignments")
            .await,
        0,
        "a refused verdict changes nothing"
    );
    // Outside the agency's remit: back to the team.
    answer(&f.a.1, p, &f.a.0, "outside_remit", "0").await.ok();
    assert_eq!(board(&f, "returned").await["page"]["total"], 1);
    let rv = review(&f.team, p).await;
    let id = rv["assignments"][0]["id"].as_i64().unwrap().to_string();
    assert_eq!(rv["assignments"][0]["status"], "Returned");
    // Re-routed to B.
    let due = day(7);
    let r = f
        .team
        .call(
            "reassign_proposal",
            &[
                ("assignment_id", &id),
                ("agency_id", &f.b.0),
                ("due_on", &due),
                ("note", ""),
            ],
        )
        .await;
    r.ok();
    let again = f
        .team
        .call(
            "reassign_proposal",
            &[
                ("assignment_id", &id),
                ("agency_id", &f.b.0),
                ("due_on", &due),
                ("note", ""),
            ],
        )
        .await;
    assert_eq!(
        again.refused_key().as_deref(),
        Some("feasibility.not_reassignable")
    );
    let rv = review(&f.team, p).await;
    assert_eq!(rv["assignments"][0]["status"], "Reassigned");
    assert_eq!(rv["assignments"][1]["status"], "Pending");
    assert_eq!(
        rv["assignments"][1]["agency_id"]
            .as_i64()
            .unwrap()
            .to_string(),
        f.b.0
    );
    // Every step is in the history, with who took it (team view).
    assert_eq!(
        events(&rv),
        [
            "submitted",
            "assigned",
            "answered",
            "reassigned",
            "assigned"
        ]
    );
    let actors: Vec<&str> = rv["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["actor"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(actors[1], "facilitator");
    assert_eq!(actors[2], "Restauración Ecológica");
    // The public history has no names.
    let pv = public(&f.author, p).await;
    assert!(pv["history"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["actor"].is_null()));
    // B now has it in its queue; B's member can read the review (A's too, as involved).
    assert_eq!(
        review(&f.b.1, p).await["assignments"][1]["can_answer"],
        true
    );
    assert_eq!(
        review(&f.a.1, p).await["assignments"][0]["can_answer"],
        false
    );
}

async fn answer_published_at_once_notifies_the_author(app: TestApp) {
    let f = fixture(&app, 1).await;
    let p = &f.proposals[0];
    assign(&f, &[p], &f.a.0).await;
    assert_eq!(unread(&f.author).await, 0);
    answer(&f.a.1, p, &f.a.0, "partly_feasible", "0").await.ok();
    let pv = public(&app.visitor(), p).await;
    let answers = pv["answers"].as_array().unwrap();
    assert_eq!(answers.len(), 1);
    assert_eq!(answers[0]["agency"], "Restauración Ecológica");
    assert_eq!(answers[0]["verdict"], "PartlyFeasible");
    assert_eq!(
        answers[0]["answer"],
        "Es factible: lo incluimos en el plan 2022."
    );
    assert_eq!(answers[0]["on"].as_str().unwrap(), day(0));
    // In the app ...
    assert_eq!(unread(&f.author).await, 1);
    let list = f.author.call("notifications", &[("page", "1")]).await;
    let n = &list.ok()["page"]["items"][0];
    assert_eq!(n["kind"], "AnswerPublished");
    assert_eq!(n["subject_title"], "Propuesta número 0");
    assert_eq!(n["detail"], "Restauración Ecológica");
    f.author.call("mark_notifications_read", &[]).await.ok();
    assert_eq!(unread(&f.author).await, 0);
    // ... and by email, with a link to the proposal.
    let mail = tests::smtp::body_of(&app.smtp.wait_for("autora@example.org").await);
    assert!(mail.contains("Propuesta número 0"), "{mail}");
    assert!(mail.contains(&format!("/proposals/{p}")), "{mail}");
    // The routing page now counts it as answered.
    assert_eq!(board(&f, "unpublished").await["page"]["total"], 0);
}

async fn held_answers_become_public_only_at_publication(app: TestApp) {
    let f = fixture(&app, 2).await;
    f.team
        .call(
            "set_answer_publication",
            &[("slug", &f.slug), ("held", "1")],
        )
        .await
        .ok();
    let ps: Vec<&str> = f.proposals.iter().map(String::as_str).collect();
    assign(&f, &ps, &f.a.0).await;
    answer(&f.a.1, ps[0], &f.a.0, "feasible", "0").await.ok();
    answer(&f.a.1, ps[1], &f.a.0, "not_feasible", "0")
        .await
        .ok();
    for p in &ps {
        let pv = public(&app.visitor(), p).await;
        assert_eq!(pv["answers"].as_array().unwrap().len(), 0);
        assert!(!events(&pv).contains(&"answered".to_string()));
    }
    assert_eq!(unread(&f.author).await, 0);
    let b = board(&f, "unpublished").await;
    assert_eq!(b["held"], 2);
    assert_eq!(b["page"]["total"], 2);
    // The team's view shows the held answer.
    assert_eq!(
        review(&f.team, ps[0]).await["assignments"][0]["published_on"],
        Value::Null
    );
    let n = f
        .team
        .call("publish_answers", &[("slug", &f.slug)])
        .await
        .ok()
        .as_i64();
    assert_eq!(n, Some(2));
    for p in &ps {
        let pv = public(&app.visitor(), p).await;
        assert_eq!(pv["answers"].as_array().unwrap().len(), 1);
        let ev = events(&pv);
        assert!(
            ev.contains(&"answered".to_string()) && ev.contains(&"answer_published".to_string())
        );
    }
    assert_eq!(unread(&f.author).await, 2);
    assert_eq!(board(&f, "unpublished").await["held"], 0);
}

async fn held_answers_are_published_when_the_stage_closes(app: TestApp) {
    let f = fixture(&app, 1).await;
    f.team
        .call(
            "set_answer_publication",
            &[("slug", &f.slug), ("held", "1")],
        )
        .await
        .ok();
    assign(&f, &[&f.proposals[0]], &f.a.0).await;
    answer(&f.a.1, &f.proposals[0], &f.a.0, "feasible", "0")
        .await
        .ok();
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(
        public(&f.author, &f.proposals[0]).await["answers"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    // The feasibility stage closed yesterday: the scheduled job publishes.
    sqlx::query(
        "UPDATE process_stages SET starts_on = $1, ends_on = $1 WHERE stage = 'feasibility'",
    )
    .bind(day(-1))
    .execute(&app.db.pool)
    .await
    .unwrap();
    let mut published = false;
    for _ in 0..50 {
        if !public(&f.author, &f.proposals[0]).await["answers"]
            .as_array()
            .unwrap()
            .is_empty()
        {
            published = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert!(
        published,
        "held answer not published after the stage closed"
    );
    app.smtp.wait_for("autora@example.org").await;
}

async fn stale_answer_form_does_not_overwrite(app: TestApp) {
    let f = fixture(&app, 1).await;
    let p = &f.proposals[0];
    assign(&f, &[p], &f.a.0).await;
    let colleague = app.participant("Colega", "colega@example.org").await;
    sqlx::query(
        "INSERT INTO agency_members (user_id, agency_id) SELECT id, $1 FROM users WHERE email = 'colega@example.org'",
    )
    .bind(f.a.0.parse::<i64>().unwrap())
    .execute(&app.db.pool)
    .await
    .unwrap();
    // Both open the form at version 0; the first one saves.
    let version = review(&colleague, p).await["assignments"][0]["version"].to_string();
    assert_eq!(version, "0");
    answer(&f.a.1, p, &f.a.0, "feasible", "0").await.ok();
    let late = colleague
        .call(
            "answer_proposal",
            &[
                ("proposal_id", p),
                ("agency_id", &f.a.0),
                ("verdict", "not_feasible"),
                ("willing", "no"),
                ("public_answer", "No es factible por presupuesto."),
                ("private_notes", ""),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(late.field_error("").as_deref(), Some("feasibility.stale"));
    // What the second person typed comes back to them ...
    assert!(late
        .body
        .to_string()
        .contains("No es factible por presupuesto."));
    // ... and the current answer is the first one, which they now see.
    let rv = review(&colleague, p).await;
    assert_eq!(rv["assignments"][0]["verdict"], "Feasible");
    assert_eq!(
        rv["assignments"][0]["answered_by"],
        "Restauración Ecológica"
    );
    assert_eq!(rv["assignments"][0]["version"], 1);
    // Sent again knowingly, with the version they have now seen, it replaces it.
    answer(&colleague, p, &f.a.0, "not_feasible", "1")
        .await
        .ok();
    let rv = review(&f.team, p).await;
    assert_eq!(rv["assignments"][0]["verdict"], "NotFeasible");
    assert!(events(&rv).contains(&"answer_changed".to_string()));
}

async fn bad_routing_input_changes_nothing(app: TestApp) {
    let f = fixture(&app, 2).await;
    let (p0, p1, a) = (
        f.proposals[0].as_str(),
        f.proposals[1].as_str(),
        f.a.0.as_str(),
    );
    let r = try_assign(&f, &[p0], a, &day(-1)).await;
    assert_eq!(
        r.field_error("due_on").as_deref(),
        Some("validation.date_past")
    );
    let r = try_assign(&f, &[], a, &day(3)).await;
    assert_eq!(
        r.field_error("proposal_ids").as_deref(),
        Some("feasibility.choose_proposals")
    );
    let r = try_assign(&f, &[p0], "999999", &day(3)).await;
    assert_eq!(
        r.field_error("agency_ids").as_deref(),
        Some("feasibility.choose_agencies")
    );
    // A withdrawn proposal cannot be routed.
    f.author.call("withdraw_proposal", &[("id", p1)]).await.ok();
    let r = try_assign(&f, &[p1], a, &day(3)).await;
    assert_eq!(r.refused_key().as_deref(), Some("feasibility.not_standing"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM feasibility_assignments")
            .await,
        0
    );
    // Re-routing checks its fields too.
    let r = f
        .team
        .call(
            "reassign_proposal",
            &[
                ("assignment_id", "1"),
                ("agency_id", "x"),
                ("due_on", "mañana"),
                ("note", ""),
            ],
        )
        .await;
    assert_eq!(r.field_error("due_on").as_deref(), Some("validation.date"));
    assert_eq!(
        r.field_error("agency_id").as_deref(),
        Some("validation.choice")
    );
}

async fn meetings_are_logged_on_the_agency_page(app: TestApp) {
    let f = fixture(&app, 2).await;
    assign(&f, &[&f.proposals[0]], &f.a.0).await;
    let r = f
        .team
        .call(
            "log_meeting",
            &[
                ("slug", &f.slug),
                ("agency_id", &f.a.0),
                ("held_on", "ayer"),
                ("attendees", ""),
                ("minutes", "Minuta"),
            ],
        )
        .await;
    assert_eq!(r.field_error("held_on").as_deref(), Some("validation.date"));
    assert_eq!(
        r.field_error("attendees").as_deref(),
        Some("validation.required")
    );
    f.team
        .call(
            "log_meeting",
            &[
                ("slug", &f.slug),
                ("agency_id", &f.a.0),
                ("held_on", &day(-1)),
                ("attendees", "Equipo GA, Restauración Ecológica"),
                (
                    "minutes",
                    "Se revisó la propuesta; es factible con el censo 2020.",
                ),
                ("proposal_ids[]", &f.proposals[0]),
            ],
        )
        .await
        .ok();
    let o =
        f.a.1
            .call(
                "agency_overview",
                &[("slug", &f.slug), ("agency_id", &f.a.0), ("page", "1")],
            )
            .await;
    let o = o.ok();
    assert_eq!(o["meetings"]["total"], 1);
    let m = &o["meetings"]["items"][0];
    assert_eq!(m["held_on"].as_str().unwrap(), day(-1));
    assert_eq!(m["proposals"][0][1], "Propuesta número 0");
    assert_eq!(m["logged_by"], "facilitator");
    assert_eq!(o["can_log"], false);
    assert_eq!(o["load"]["pending"], 1);
    let page = f
        .team
        .get(&format!(
            "/processes/{}/feasibility/agencies/{}",
            f.slug, f.a.0
        ))
        .await;
    assert!(
        page.1.contains("Se revisó la propuesta"),
        "meeting on the agency page"
    );
}

/// Agency A's member posts a verdict on the first proposal as a browser without
/// JavaScript does.
async fn answer_without_js(f: &Fixture, referer: &str, public_answer: &str) -> reqwest::Response {
    f.a.1
        .post_form(
            "answer_proposal",
            &[
                ("proposal_id", &f.proposals[0]),
                ("agency_id", &f.a.0),
                ("verdict", "feasible"),
                ("willing", "yes"),
                ("public_answer", public_answer),
                ("private_notes", ""),
                ("version", "0"),
            ],
            referer,
        )
        .await
}

/// The routing and answer forms posted by a browser without JavaScript, and the
/// pages that show the result.
async fn forms_work_without_javascript(app: TestApp) {
    let f = fixture(&app, 3).await;
    let routing_page = format!("/processes/{}/feasibility", f.slug);
    let due = day(5);
    let res = f
        .team
        .post_form(
            "assign_proposals",
            &[
                ("slug", &f.slug),
                ("proposal_ids[]", &f.proposals[0]),
                ("proposal_ids[]", &f.proposals[1]),
                ("proposal_ids[]", &f.proposals[2]),
                ("agency_ids[]", &f.a.0),
                ("due_on", &due),
                ("note", ""),
            ],
            &routing_page,
        )
        .await;
    assert_eq!(res.status().as_u16(), 302, "back to the routing page");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM feasibility_assignments")
            .await,
        3
    );
    let (status, html) = f.team.get(&routing_page).await;
    assert_eq!(status.as_u16(), 200);
    assert!(html.contains("Propuesta número 2"));
    // The agency member answers from the review page.
    let review_page = format!("/proposals/{}/feasibility", f.proposals[0]);
    let (status, html) = f.a.1.get(&review_page).await;
    assert_eq!(status.as_u16(), 200);
    assert!(html.contains("name=\"public_answer\""));
    let res = answer_without_js(&f, &review_page, "").await;
    // Refused: back to the form with the error in the URL, shown in Spanish.
    let location = res.headers()["location"].to_str().unwrap().to_string();
    let location = location.trim_start_matches(&app.base).to_string();
    assert!(location.contains("__err"), "{location}");
    let (_, html) = f.a.1.get(&location).await;
    assert!(html.contains("Este campo es obligatorio."), "error shown");
    answer_without_js(&f, &review_page, "Factible en 2022.").await;
    // The resident sees the answer on the public page and the notification.
    let (_, html) = f
        .author
        .get(&format!("/proposals/{}", f.proposals[0]))
        .await;
    assert!(html.contains("Factible en 2022."));
    let (_, html) = f.author.get("/notifications").await;
    assert!(
        html.contains("Restauración Ecológica respondió tu propuesta"),
        "{html}"
    );
    // The review page is not for visitors.
    let (status, html) = app.visitor().get(&review_page).await;
    assert_eq!(status.as_u16(), 401);
    assert!(!html.contains("Factible en 2022."));
}
