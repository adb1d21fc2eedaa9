//! Administrators manage roles, memberships, organizations and agencies.
use tests::{on_both_engines, TestApp};

on_both_engines!(
    admin_manages_people_and_groups,
    admin_bad_input_changes_nothing
);

async fn admin_manages_people_and_groups(app: TestApp) {
    let admin = app.user_with_role("admin", "admin@example.org").await;
    let ana = app.participant("Ana", "ana@example.org").await;
    let ana_id = app
        .count("SELECT id FROM users WHERE email = 'ana@example.org'")
        .await
        .to_string();

    admin
        .call(
            "admin_save_group",
            &[
                ("kind", "organization"),
                ("name", "Democracia en Red"),
                ("detail", "civil_society"),
            ],
        )
        .await
        .ok();
    admin
        .call(
            "admin_save_group",
            &[
                ("kind", "agency"),
                ("name", "Restauración Ecológica"),
                ("detail", "Arbolado"),
            ],
        )
        .await
        .ok();
    let dir = admin.call("directory", &[]).await;
    let org_id = dir.ok()["organizations"][0]["id"].to_string();
    let agency_id = dir.ok()["agencies"][0]["id"].to_string();
    assert_eq!(dir.ok()["organizations"][0]["sector"], "CivilSociety");

    admin
        .call(
            "admin_set_role",
            &[("user_id", &ana_id), ("role", "facilitator")],
        )
        .await
        .ok();
    admin
        .call(
            "admin_membership",
            &[
                ("user_id", &ana_id),
                ("kind", "agency"),
                ("group_id", &agency_id),
            ],
        )
        .await
        .ok();
    admin
        .call(
            "admin_membership",
            &[
                ("user_id", &ana_id),
                ("kind", "organization"),
                ("group_id", &org_id),
            ],
        )
        .await
        .ok();
    // Adding twice is harmless.
    admin
        .call(
            "admin_membership",
            &[
                ("user_id", &ana_id),
                ("kind", "agency"),
                ("group_id", &agency_id),
            ],
        )
        .await
        .ok();

    // The change applies to Ana's current session at once.
    let me = ana.call("whoami", &[]).await;
    assert_eq!(me.ok()["role"], "Facilitator");
    assert_eq!(me.ok()["agency_ids"].as_array().unwrap().len(), 1);
    assert_eq!(me.ok()["organization_ids"].as_array().unwrap().len(), 1);

    let list = admin
        .call("admin_users", &[("page", "1"), ("query", "ana")])
        .await;
    let rows = list.ok()["items"].as_array().unwrap().clone();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["agencies"][0][1], "Restauración Ecológica");
    assert_eq!(rows[0]["organizations"][0][1], "Democracia en Red");

    admin
        .call(
            "admin_membership",
            &[
                ("user_id", &ana_id),
                ("kind", "agency"),
                ("group_id", &agency_id),
                ("remove", "1"),
            ],
        )
        .await
        .ok();
    assert!(ana.call("whoami", &[]).await.ok()["agency_ids"]
        .as_array()
        .unwrap()
        .is_empty());

    // Renaming keeps the id; every change is in the audit log.
    admin
        .call(
            "admin_save_group",
            &[
                ("kind", "agency"),
                ("id", &agency_id),
                ("name", "Restauración Ecológica y Arbolado"),
                ("detail", ""),
            ],
        )
        .await
        .ok();
    let dir = admin.call("directory", &[]).await;
    assert_eq!(
        dir.ok()["agencies"][0]["name"],
        "Restauración Ecológica y Arbolado"
    );
    assert!(app.count("SELECT COUNT(*) FROM audit_log").await >= 6);

    // Lists are paginated.
    for i in 0..25 {
        sqlx::query("INSERT INTO users (email, password_hash, display_name, created_at) VALUES ($1, 'x', $2, 0)")
            .bind(format!("bulk{i}@example.org"))
            .bind(format!("Bulk {i}"))
            .execute(&app.db.pool)
            .await
            .unwrap();
    }
    let p1 = admin
        .call("admin_users", &[("page", "1"), ("query", "")])
        .await;
    let p2 = admin
        .call("admin_users", &[("page", "2"), ("query", "")])
        .await;
    assert_eq!(p1.ok()["items"].as_array().unwrap().len(), 20);
    assert_eq!(p1.ok()["total"], 27);
    assert_eq!(p2.ok()["items"].as_array().unwrap().len(), 7);
}

async fn admin_bad_input_changes_nothing(app: TestApp) {
    let admin = app.user_with_role("admin", "admin@example.org").await;
    let admin_id = app
        .count("SELECT id FROM users WHERE email = 'admin@example.org'")
        .await
        .to_string();
    admin
        .call(
            "admin_save_group",
            &[
                ("kind", "organization"),
                ("name", "ACIJ"),
                ("detail", "civil_society"),
            ],
        )
        .await
        .ok();

    let dup = admin
        .call(
            "admin_save_group",
            &[
                ("kind", "organization"),
                ("name", "ACIJ"),
                ("detail", "academia"),
            ],
        )
        .await;
    assert_eq!(
        dup.field_error("name").as_deref(),
        Some("validation.name_taken")
    );
    let bad_sector = admin
        .call(
            "admin_save_group",
            &[
                ("kind", "organization"),
                ("name", "Otra"),
                ("detail", "government"),
            ],
        )
        .await;
    assert_eq!(
        bad_sector.field_error("detail").as_deref(),
        Some("validation.choice")
    );
    let empty = admin
        .call(
            "admin_save_group",
            &[("kind", "agency"), ("name", "  "), ("detail", "")],
        )
        .await;
    assert_eq!(
        empty.field_error("name").as_deref(),
        Some("validation.required")
    );
    let own = admin
        .call(
            "admin_set_role",
            &[("user_id", &admin_id), ("role", "participant")],
        )
        .await;
    assert_eq!(
        own.refused_key().as_deref(),
        Some("admin.cannot_change_own_role")
    );
    let bad_role = admin
        .call("admin_set_role", &[("user_id", "999999"), ("role", "king")])
        .await;
    assert_eq!(
        bad_role.field_error("role").as_deref(),
        Some("validation.choice")
    );
    let ghost = admin
        .call(
            "admin_set_role",
            &[("user_id", "999999"), ("role", "admin")],
        )
        .await;
    assert_eq!(ghost.status, 404);
    let no_group = admin
        .call(
            "admin_membership",
            &[
                ("user_id", &admin_id),
                ("kind", "agency"),
                ("group_id", "999999"),
            ],
        )
        .await;
    assert_eq!(no_group.status, 404);
    let bad_kind = admin
        .call(
            "admin_membership",
            &[("user_id", &admin_id), ("kind", "club"), ("group_id", "1")],
        )
        .await;
    assert_eq!(bad_kind.status, 400);
    let xss = admin
        .call(
            "admin_save_group",
            &[
                ("kind", "agency"),
                ("name", "<script>alert(1)</script>"),
                ("detail", "<img src=x onerror=alert(1)>"),
            ],
        )
        .await;
    xss.ok();

    assert_eq!(app.count("SELECT COUNT(*) FROM organizations").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM agency_members").await, 0);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE role = 'admin'")
            .await,
        1
    );
    // Markup typed into a name is shown as text.
    let (_, html) = admin.get("/admin/agencies").await;
    assert!(!html.contains("<script>alert(1)</script>"));
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "escaped name"
    );
    // The section's tab says it is the current one, and only it.
    assert!(
        html.contains("<a href=\"/admin/agencies\" aria-current=\"page\">"),
        "{html}"
    );
    assert_eq!(html.matches("aria-current=\"page\"").count(), 1);
}
