//! The stakeholder directory: an organization registers itself, the team
//! approves it (its registrant becomes its representative) or turns it down with
//! a reason (audited, the registrant told), and the public directory lists the
//! approved ones by sector and interest, never a contact's email.
use tests::{on_both_engines, TestApp, Visitor};

on_both_engines!(
    organizations_register_and_the_team_decides,
    hostile_registrations_change_nothing,
    people_join_by_request_or_invitation,
    the_team_changes_an_organization_of_the_directory
);

async fn register(
    who: &Visitor,
    name: &str,
    sector: &str,
    email: &str,
    axes: &[&str],
) -> tests::Reply {
    let mut form = vec![
        ("name", name),
        ("sector", sector),
        ("territory", "Comuna 4"),
        ("website", "https://ejemplo.org.ar"),
        ("description", "Trabajamos por la igualdad."),
        ("contact_email", email),
    ];
    form.extend(axes.iter().map(|a| ("axis_ids[]", *a)));
    who.call("register_organization", &form).await
}

async fn directory(who: &Visitor, sector: &str, axis: &str) -> serde_json::Value {
    who.call(
        "stakeholder_directory",
        &[("sector", sector), ("axis", axis), ("page", "1")],
    )
    .await
    .ok()
    .clone()
}

fn names(d: &serde_json::Value) -> Vec<String> {
    d["listed"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap().to_string())
        .collect()
}

async fn organizations_register_and_the_team_decides(app: TestApp) {
    let (_, axes) = app
        .open_process("Plan 2025", &["Datos abiertos", "Ambiente"])
        .await;
    let (datos, ambiente) = (axes[0].to_string(), axes[1].to_string());
    let rep = app.participant("Renata Paz", "renata@example.org").await;
    let team = app
        .user_with_role("facilitator", "equipo@example.org")
        .await;
    let visitor = app.visitor();

    // Only someone signed in registers.
    let r = register(
        &visitor,
        "ACIJ",
        "civil_society",
        "contacto@acij.example",
        &[],
    )
    .await;
    assert_eq!(r.status, 401);
    register(
        &rep,
        "ACIJ",
        "civil_society",
        "contacto@acij.example",
        &[&datos],
    )
    .await
    .ok();
    register(
        &rep,
        "Universidad X",
        "academia",
        "uni@uni.example",
        &[&ambiente],
    )
    .await
    .ok();
    let acij = app
        .count("SELECT id FROM organizations WHERE name = 'ACIJ'")
        .await
        .to_string();
    let uni = app
        .count("SELECT id FROM organizations WHERE name = 'Universidad X'")
        .await
        .to_string();

    // Waiting for the team: listed nowhere public, and only the team reviews.
    assert_eq!(directory(&visitor, "", "0").await["listed"]["total"], 0);
    assert_eq!(
        rep.call("directory_review", &[("page", "1")]).await.status,
        403
    );
    assert_eq!(
        visitor
            .call("directory_review", &[("page", "1")])
            .await
            .status,
        401
    );
    assert_eq!(
        rep.call("approve_organization", &[("organization_id", &acij)])
            .await
            .status,
        403
    );
    assert_eq!(
        rep.call(
            "reject_organization",
            &[("organization_id", &uni), ("reason", "no")]
        )
        .await
        .status,
        403
    );
    let pending = team.call("directory_review", &[("page", "1")]).await;
    let items = pending.ok()["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["contact_email"], "contacto@acij.example");
    assert_eq!(items[0]["registered_by"], "Renata Paz");
    assert_eq!(
        items[0]["listed"]["interests"],
        serde_json::json!(["Datos abiertos"])
    );

    // Approved: listed, and its registrant represents it. Turned down: a reason
    // is required, and the registrant reads it.
    team.call("approve_organization", &[("organization_id", &acij)])
        .await
        .ok();
    let again = team
        .call("approve_organization", &[("organization_id", &acij)])
        .await;
    assert_eq!(
        again.refused_key().as_deref(),
        Some("directory.not_pending")
    );
    let blank = team
        .call(
            "reject_organization",
            &[("organization_id", &uni), ("reason", " ")],
        )
        .await;
    assert_eq!(
        blank.field_error("reason").as_deref(),
        Some("validation.required")
    );
    team.call(
        "reject_organization",
        &[
            ("organization_id", &uni),
            ("reason", "No trabaja en la ciudad"),
        ],
    )
    .await
    .ok();
    let mine = rep.call("directory_registration", &[]).await.ok().clone();
    let statuses: Vec<(String, String)> = mine["mine"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["name"].as_str().unwrap().into(),
                m["status"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert!(
        statuses.contains(&("ACIJ".into(), "Approved".into())),
        "{statuses:?}"
    );
    assert!(statuses.contains(&("Universidad X".into(), "Rejected".into())));
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM organization_members m JOIN users u ON u.id = m.user_id \
             WHERE u.email = 'renata@example.org' AND m.organization_id = {acij}"
        ))
        .await,
        1
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM organization_members WHERE organization_id = {uni}"
        ))
        .await,
        0
    );
    let notices = rep
        .call("notifications", &[("page", "1")])
        .await
        .ok()
        .to_string();
    assert!(
        notices.contains("OrganizationReviewed") && notices.contains("No trabaja en la ciudad"),
        "{notices}"
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM outbox WHERE to_addr = 'renata@example.org' \
             AND subject LIKE '%directorio%'"
        )
        .await,
        2
    );
    for action in [
        "organization.register",
        "organization.approved",
        "organization.rejected",
    ] {
        assert!(
            app.count(&format!(
                "SELECT COUNT(*) FROM audit_log WHERE action = '{action}'"
            ))
            .await
                >= 1,
            "{action}"
        );
    }

    // The public directory: by sector and interest, never the contact.
    let all = directory(&visitor, "", "0").await;
    assert_eq!(names(&all), ["ACIJ"]);
    assert_eq!(
        all["listed"]["items"][0]["interests"],
        serde_json::json!(["Datos abiertos"])
    );
    assert!(!all.to_string().contains("contacto@acij.example"));
    assert_eq!(all["by_sector"][0], serde_json::json!(["CivilSociety", 1]));
    assert_eq!(
        names(&directory(&visitor, "civil_society", &datos).await),
        ["ACIJ"]
    );
    assert!(names(&directory(&visitor, "academia", "0").await).is_empty());
    assert!(names(&directory(&visitor, "", &ambiente).await).is_empty());
    assert!(names(&directory(&visitor, "everything", "0").await).is_empty());
    // Pages are scanned for any email address by `get`.
    let (status, page) = visitor.get("/organizations").await;
    assert_eq!(status, 200);
    assert!(page.contains("ACIJ") && !page.contains("Universidad X"));
    let (status, page) = visitor
        .get(&format!("/organizations?axis={ambiente}"))
        .await;
    assert_eq!(status, 200);
    assert!(!page.contains("ACIJ"));
    let (_, review) = rep.get("/organizations/review").await;
    assert!(!review.contains("@"));

    // The registrant's data lists what they registered; deleting the account
    // keeps the organization, without them or a contact that was theirs.
    register(&rep, "Club Y", "civil_society", "renata@example.org", &[])
        .await
        .ok();
    let data = rep
        .client
        .get(format!("{}/account/data.json", rep.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        data.contains("\"organizations_registered\"") && data.contains("Club Y"),
        "{data}"
    );
    rep.call(
        "delete_account",
        &[("current_password", "a-long-password"), ("confirm", "on")],
    )
    .await
    .ok();
    assert_eq!(
        app.count("SELECT COUNT(*) FROM directory_entries WHERE registered_by IS NOT NULL")
            .await,
        0
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM directory_entries WHERE contact_email = 'renata@example.org'"
        )
        .await,
        0
    );
    assert_eq!(names(&directory(&visitor, "", "0").await), ["ACIJ"]);
}

async fn hostile_registrations_change_nothing(app: TestApp) {
    let (_, axes) = app.open_process("Plan 2025", &["Datos abiertos"]).await;
    let datos = axes[0].to_string();
    let rep = app.participant("Renata Paz", "renata@example.org").await;
    register(&rep, "ACIJ", "civil_society", "a@acij.example", &[&datos])
        .await
        .ok();
    let before = app.count("SELECT COUNT(*) FROM directory_entries").await;
    let long = "x".repeat(161);
    let many: Vec<String> = (1..=51).map(|i| i.to_string()).collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    for (reply, field, key) in [
        (
            register(&rep, &long, "civil_society", "a@b.example", &[]).await,
            "name",
            "validation.too_long",
        ),
        (
            register(&rep, "Otra", "everything", "a@b.example", &[]).await,
            "sector",
            "validation.choice",
        ),
        (
            register(&rep, "Otra", "academia", "not-an-email", &[]).await,
            "contact_email",
            "validation.email",
        ),
        (
            register(&rep, "Otra", "academia", "a@b.example", &["999999"]).await,
            "axis_ids",
            "validation.choice",
        ),
        (
            register(&rep, "Otra", "academia", "a@b.example", &many).await,
            "axis_ids",
            "directory.too_many_interests",
        ),
        (
            register(&rep, "ACIJ", "academia", "a@b.example", &[]).await,
            "name",
            "directory.name_taken",
        ),
    ] {
        assert_eq!(reply.status, 400, "{field}: {}", reply.body);
        assert_eq!(
            reply.field_error(field).as_deref(),
            Some(key),
            "{}",
            reply.body
        );
    }
    for bad in [
        "javascript:alert(1)",
        "https://x.org/\"onclick=",
        "ftp://x.org",
    ] {
        let r = rep
            .call(
                "register_organization",
                &[
                    ("name", "Otra"),
                    ("sector", "academia"),
                    ("territory", ""),
                    ("website", bad),
                    ("description", ""),
                    ("contact_email", "a@b.example"),
                ],
            )
            .await;
        assert_eq!(
            r.field_error("website").as_deref(),
            Some("validation.web_address"),
            "{bad}"
        );
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM directory_entries").await,
        before
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM organizations WHERE name = 'Otra'")
            .await,
        0
    );
    // Deciding on what does not exist, or with a made-up id, is refused.
    let team = app
        .user_with_role("facilitator", "equipo@example.org")
        .await;
    let r = team
        .call("approve_organization", &[("organization_id", "999999")])
        .await;
    assert_eq!(r.refused_key().as_deref(), Some("directory.not_pending"));
    let r = team
        .call("approve_organization", &[("organization_id", "nine")])
        .await;
    assert_eq!(r.status, 400);
}

/// An approved organization with Renata as its representative: (id, Renata).
async fn listed_organization(app: &TestApp) -> (String, Visitor) {
    let rep = app.participant("Renata Paz", "renata@example.org").await;
    let team = app
        .user_with_role("facilitator", "equipo@example.org")
        .await;
    register(&rep, "ACIJ", "civil_society", "contacto@acij.example", &[])
        .await
        .ok();
    let acij = app
        .count("SELECT id FROM organizations WHERE name = 'ACIJ'")
        .await
        .to_string();
    team.call("approve_organization", &[("organization_id", &acij)])
        .await
        .ok();
    (acij, rep)
}

async fn people_join_by_request_or_invitation(app: TestApp) {
    let (acij, rep) = listed_organization(&app).await;
    let pablo = app.participant("Pablo Ruiz", "pablo@example.org").await;
    let other = app.participant("Otra Persona", "otra@example.org").await;
    let members = |email: &'static str| {
        let app = &app;
        let acij = acij.clone();
        async move {
            app.count(&format!(
                "SELECT COUNT(*) FROM organization_members m JOIN users u ON u.id = m.user_id \
                 WHERE u.email = '{email}' AND m.organization_id = {acij}"
            ))
            .await
        }
    };

    // A request: once, only to a listed organization, decided by its representatives.
    assert_eq!(
        app.visitor()
            .call("request_to_join", &[("organization_id", &acij)])
            .await
            .status,
        401
    );
    pablo
        .call("request_to_join", &[("organization_id", &acij)])
        .await
        .ok();
    let again = pablo
        .call("request_to_join", &[("organization_id", &acij)])
        .await;
    assert_eq!(
        again.refused_key().as_deref(),
        Some("directory.already_requested")
    );
    assert_eq!(
        pablo
            .call("request_to_join", &[("organization_id", "999999")])
            .await
            .status,
        404
    );
    let mine = rep.call("my_organizations", &[]).await.ok().clone();
    assert_eq!(mine[0]["name"], "ACIJ");
    let request = mine[0]["requests"][0]["id"].as_i64().unwrap().to_string();
    assert_eq!(mine[0]["requests"][0]["person"], "Pablo Ruiz");
    // Someone who does not represent it may not decide; a made-up request is none.
    let r = other
        .call("accept_join_request", &[("join_id", &request)])
        .await;
    assert_eq!(r.status, 403);
    let r = rep
        .call("accept_join_request", &[("join_id", "999999")])
        .await;
    assert_eq!(
        r.refused_key().as_deref(),
        Some("directory.no_such_request")
    );
    assert_eq!(
        other.call("my_organizations", &[]).await.ok(),
        &serde_json::json!([])
    );
    assert_eq!(members("pablo@example.org").await, 0);
    rep.call("accept_join_request", &[("join_id", &request)])
        .await
        .ok();
    assert_eq!(members("pablo@example.org").await, 1);
    let twice = rep
        .call("decline_join_request", &[("join_id", &request)])
        .await;
    assert_eq!(
        twice.refused_key().as_deref(),
        Some("directory.no_such_request")
    );
    let member = pablo
        .call("request_to_join", &[("organization_id", &acij)])
        .await;
    assert_eq!(
        member.refused_key().as_deref(),
        Some("directory.already_member")
    );

    // An invitation: sent by a representative only, a personal link good once.
    let r = other
        .call(
            "invite_to_organization",
            &[("organization_id", &acij), ("email", "lucia@example.org")],
        )
        .await;
    assert_eq!(r.status, 403);
    rep.call(
        "invite_to_organization",
        &[("organization_id", &acij), ("email", "lucia@example.org")],
    )
    .await
    .ok();
    let dup = rep
        .call(
            "invite_to_organization",
            &[("organization_id", &acij), ("email", "Lucia@example.org")],
        )
        .await;
    assert_eq!(
        dup.field_error("email").as_deref(),
        Some("directory.already_invited")
    );
    let mail = app.smtp.wait_for("lucia@example.org").await;
    let body = tests::smtp::body_of(&mail);
    assert!(
        body.contains("ACIJ") && body.contains("Renata Paz"),
        "{body}"
    );
    let token = body
        .split("token=")
        .nth(1)
        .and_then(|t| t.split_whitespace().next())
        .expect("the personal link")
        .to_string();
    let guessed = "A".repeat(token.len());
    for who in [&other, &app.visitor()] {
        let r = who
            .call("organization_invitation", &[("token", &guessed)])
            .await;
        assert_eq!(
            r.refused_key().as_deref(),
            Some("directory.invitation_unknown")
        );
    }
    let shown = app
        .visitor()
        .call("organization_invitation", &[("token", &token)])
        .await;
    assert_eq!(shown.ok()["organization"], "ACIJ");
    let (status, page) = app
        .visitor()
        .get(&format!("/organizations/join?token={token}"))
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("ACIJ"));
    assert_eq!(
        app.visitor()
            .call("accept_invitation", &[("token", &token)])
            .await
            .status,
        401
    );
    let lucia = app.participant("Lucía Gómez", "lucia@example.org").await;
    let r = lucia
        .call("accept_invitation", &[("token", &guessed)])
        .await;
    assert_eq!(
        r.refused_key().as_deref(),
        Some("directory.invitation_unknown")
    );
    lucia
        .call("accept_invitation", &[("token", &token)])
        .await
        .ok();
    assert_eq!(members("lucia@example.org").await, 1);
    // Used once: the same link does nothing for anyone else.
    let reused = other.call("accept_invitation", &[("token", &token)]).await;
    assert_eq!(
        reused.refused_key().as_deref(),
        Some("directory.invitation_unknown")
    );
    assert_eq!(members("otra@example.org").await, 0);
    let mine = rep.call("my_organizations", &[]).await.ok().clone();
    assert_eq!(mine[0]["invitations"][0]["status"], "Approved");
    assert_eq!(mine[0]["invitations"][0]["to"], "Lucía Gómez");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM organization_joins WHERE token_hash IS NOT NULL")
            .await,
        0
    );
    for action in [
        "organization.join_approved",
        "organization.invite",
        "organization.join_invited",
    ] {
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM audit_log WHERE action = '{action}'"
            ))
            .await,
            1,
            "{action}"
        );
    }
    // The directory tells each person where they stand.
    let d = directory(&pablo, "", "0").await;
    assert_eq!(
        d["member_of"],
        serde_json::json!([acij.parse::<i64>().unwrap()])
    );
}

async fn the_team_changes_an_organization_of_the_directory(app: TestApp) {
    let (acij, rep) = listed_organization(&app).await;
    let (_, axes) = app.open_process("Plan del directorio", &["Justicia"]).await;
    let team = app
        .user_with_role("facilitator", "equipo2@example.org")
        .await;
    register(&rep, "Otra", "academia", "c@otra.example", &[])
        .await
        .ok();
    let axis = axes[0].to_string();
    let form = |name: &'static str, email: &'static str| {
        let (acij, axis) = (acij.clone(), axis.clone());
        move || {
            vec![
                ("organization_id".to_string(), acij.clone()),
                ("name".to_string(), name.to_string()),
                ("sector".to_string(), "academia".to_string()),
                ("territory".to_string(), "Comuna 8".to_string()),
                ("website".to_string(), "https://acij.org.ar".to_string()),
                (
                    "description".to_string(),
                    "Justicia e igualdad.".to_string(),
                ),
                ("contact_email".to_string(), email.to_string()),
                ("axis_ids[]".to_string(), axis.clone()),
            ]
        }
    };
    let send = |who: Visitor, form: Vec<(String, String)>| async move {
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        who.call("edit_directory_entry", &pairs).await
    };
    let good = form("ACIJ Asociación Civil", "nuevo@acij.example");
    // Only the team; a representative cannot change the directory's record.
    assert_eq!(send(rep.clone(), good()).await.status, 403);
    assert_eq!(
        team.call("directory_entry", &[("organization_id", &acij)])
            .await
            .ok()["contact_email"],
        "contacto@acij.example"
    );
    assert_eq!(
        rep.call("directory_entry", &[("organization_id", &acij)])
            .await
            .status,
        403
    );
    // A name another organization has, or a bad address: nothing changes.
    let taken = send(team.clone(), form("Otra", "nuevo@acij.example")()).await;
    assert_eq!(
        taken.field_error("name").as_deref(),
        Some("directory.name_taken")
    );
    let bad = send(
        team.clone(),
        form("ACIJ Asociación Civil", "no-es-correo")(),
    )
    .await;
    assert_eq!(
        bad.field_error("contact_email").as_deref(),
        Some("validation.email")
    );
    assert_eq!(names(&directory(&app.visitor(), "", "0").await), ["ACIJ"]);

    let r = send(team.clone(), good()).await;
    assert!(r.status.is_success(), "{:?}", r.body);
    let d = directory(&app.visitor(), "academia", &axis).await;
    assert_eq!(names(&d), ["ACIJ Asociación Civil"]);
    assert_eq!(d["listed"]["items"][0]["territory"], "Comuna 8");
    assert!(!d.to_string().contains("nuevo@acij.example"));
    let (_, page) = app.visitor().get("/organizations").await;
    assert!(page.contains("ACIJ Asociación Civil") && !page.contains("@acij.example"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'organization.edit'")
            .await,
        1
    );
}
