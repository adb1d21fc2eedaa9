//! Every server function × every role: allowed or refused, checked on the server.
use tests::{on_both_engines_with, TestApp, Visitor};

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Who {
    Anonymous,
    Participant,
    AgencyMember,
    Facilitator,
    Admin,
}

const EVERYONE: &[Who] = &[
    Who::Anonymous,
    Who::Participant,
    Who::AgencyMember,
    Who::Facilitator,
    Who::Admin,
];
const SIGNED_IN: &[Who] = &[
    Who::Participant,
    Who::AgencyMember,
    Who::Facilitator,
    Who::Admin,
];
const TEAM: &[Who] = &[Who::Facilitator, Who::Admin];
/// Only the proposal's author, who is none of the people trying.
const AUTHOR_ONLY: &[Who] = &[];
const ADMINS: &[Who] = &[Who::Admin];
const AGENCY: &[Who] = &[Who::AgencyMember];
/// The team, and members of the agency the proposal was assigned to.
const TEAM_AND_AGENCY: &[Who] = &[Who::AgencyMember, Who::Facilitator, Who::Admin];

/// (endpoint, who may call it, a valid form for it). `{target}` is replaced by
/// the id of a participant the action can apply to.
pub fn table() -> Vec<(
    &'static str,
    &'static [Who],
    Vec<(&'static str, &'static str)>,
)> {
    vec![
        ("whoami", EVERYONE, vec![]),
        (
            "signup",
            EVERYONE,
            vec![
                ("display_name", "N"),
                ("email", "{unique}@example.org"),
                ("password", "a-long-password"),
                ("password_confirm", "a-long-password"),
                ("accept_privacy", "on"),
            ],
        ),
        (
            "login",
            EVERYONE,
            vec![
                ("email", "target@example.org"),
                ("password", "a-long-password"),
            ],
        ),
        ("logout", EVERYONE, vec![]),
        (
            "request_password_reset",
            EVERYONE,
            vec![("email", "target@example.org")],
        ),
        (
            "reset_password",
            EVERYONE,
            vec![
                ("token", "unknown"),
                ("password", "a-long-password"),
                ("password_confirm", "a-long-password"),
            ],
        ),
        ("directory", EVERYONE, vec![]),
        ("open_processes", EVERYONE, vec![("page", "1")]),
        ("process", EVERYONE, vec![("slug", "demo")]),
        ("admin_users", ADMINS, vec![("page", "1"), ("query", "")]),
        (
            "admin_set_role",
            ADMINS,
            vec![("user_id", "{target}"), ("role", "participant")],
        ),
        (
            "admin_membership",
            ADMINS,
            vec![
                ("user_id", "{target}"),
                ("kind", "agency"),
                ("group_id", "{agency}"),
            ],
        ),
        (
            "admin_save_group",
            ADMINS,
            vec![
                ("kind", "organization"),
                ("name", "Org {unique}"),
                ("detail", "academia"),
            ],
        ),
        (
            "create_process",
            TEAM,
            tests::process_form("Proceso {unique}", &[]),
        ),
        ("proposal_form", EVERYONE, vec![("slug", "{slug}")]),
        (
            "proposals",
            EVERYONE,
            vec![
                ("slug", "{slug}"),
                ("query[q]", "mapa"),
                ("query[sort]", "newest"),
                ("query[page]", "1"),
            ],
        ),
        (
            "similar_proposals",
            EVERYONE,
            vec![("slug", "{slug}"), ("text", "mapa")],
        ),
        ("proposal", EVERYONE, vec![("id", "{proposal}")]),
        (
            "submit_proposal",
            SIGNED_IN,
            vec![
                ("slug", "{slug}"),
                ("title", "T"),
                ("problem", "P"),
                ("solution", "S"),
                ("axis_id", "{axis}"),
            ],
        ),
        (
            "edit_proposal",
            AUTHOR_ONLY,
            vec![
                ("id", "{proposal}"),
                ("title", "T"),
                ("problem", "P"),
                ("solution", "S"),
                ("axis_id", "{axis}"),
            ],
        ),
        ("withdraw_proposal", AUTHOR_ONLY, vec![("id", "{proposal}")]),
        ("support_proposal", SIGNED_IN, vec![("id", "{proposal}")]),
        (
            "comments",
            EVERYONE,
            vec![
                ("kind", "proposal"),
                ("subject_id", "{proposal}"),
                ("page", "1"),
            ],
        ),
        (
            "post_comment",
            SIGNED_IN,
            vec![
                ("kind", "proposal"),
                ("subject_id", "{proposal}"),
                ("body", "Hola"),
            ],
        ),
        (
            "report",
            SIGNED_IN,
            vec![
                ("kind", "proposal"),
                ("id", "{proposal}"),
                ("reason", "spam"),
            ],
        ),
        ("moderation_queue", TEAM, vec![("page", "1")]),
        (
            "moderate",
            TEAM,
            vec![("kind", "proposal"), ("id", "{proposal}")],
        ),
        ("audit_log", ADMINS, vec![("page", "1")]),
        (
            "routing_board",
            TEAM,
            vec![
                ("slug", "{slug}"),
                ("query[status]", "all"),
                ("query[page]", "1"),
            ],
        ),
        (
            "assign_proposals",
            TEAM,
            vec![
                ("slug", "{slug}"),
                ("proposal_ids[]", "{proposal}"),
                ("agency_ids[]", "{agency}"),
                ("due_on", "{future}"),
                ("note", ""),
            ],
        ),
        (
            "reassign_proposal",
            TEAM,
            vec![
                ("assignment_id", "{assignment}"),
                ("agency_id", "{agency}"),
                ("due_on", "{future}"),
                ("note", ""),
            ],
        ),
        (
            "answer_proposal",
            AGENCY,
            vec![
                ("proposal_id", "{proposal}"),
                ("agency_id", "{agency}"),
                ("verdict", "feasible"),
                ("willing", "yes"),
                ("public_answer", "Sí"),
                ("private_notes", ""),
                ("version", "0"),
            ],
        ),
        ("set_answer_publication", TEAM, vec![("slug", "{slug}")]),
        ("publish_answers", TEAM, vec![("slug", "{slug}")]),
        (
            "feasibility_review",
            TEAM_AND_AGENCY,
            vec![("proposal_id", "{proposal}")],
        ),
        (
            "agency_queue",
            AGENCY,
            vec![("query[status]", "pending"), ("query[page]", "1")],
        ),
        (
            "agency_overview",
            TEAM_AND_AGENCY,
            vec![("slug", "{slug}"), ("agency_id", "{agency}"), ("page", "1")],
        ),
        (
            "log_meeting",
            TEAM,
            vec![
                ("slug", "{slug}"),
                ("agency_id", "{agency}"),
                ("held_on", "{future}"),
                ("attendees", "A"),
                ("minutes", "M"),
            ],
        ),
        ("notifications", SIGNED_IN, vec![("page", "1")]),
        (
            "roundtables",
            EVERYONE,
            vec![("slug", "{slug}"), ("page", "1")],
        ),
        ("roundtable", EVERYONE, vec![("id", "{roundtable}")]),
        ("roundtable_form", TEAM, vec![("slug", "{slug}")]),
        (
            "create_roundtable",
            TEAM,
            vec![
                ("slug", "{slug}"),
                ("title", "Mesa"),
                ("axis_id", ""),
                ("description", ""),
                ("date", "{future}"),
                ("time", "18:00"),
                ("utc_offset", "-180"),
                ("duration_minutes", "90"),
                ("video_url", "https://meet.example.org/x"),
                ("capacity", "30"),
                ("agency_ids[]", "{agency}"),
            ],
        ),
        (
            "register_roundtable",
            SIGNED_IN,
            vec![("id", "{roundtable}")],
        ),
        ("board", EVERYONE, vec![("roundtable_id", "{roundtable}")]),
        // Facilitators, and members of the agency when it presents: here it does not.
        (
            "add_note",
            TEAM,
            vec![("column_id", "{column}"), ("body", "Nota")],
        ),
        (
            "edit_note",
            AUTHOR_ONLY,
            vec![("note_id", "{note}"), ("body", "Nota")],
        ),
        ("delete_note", AUTHOR_ONLY, vec![("note_id", "{note}")]),
        (
            "board_control",
            TEAM,
            vec![("board_id", "{board}"), ("control", "anonymous")],
        ),
        ("hide_note", TEAM, vec![("note_id", "{note}")]),
        ("vote", EVERYONE, vec![("roundtable_id", "{roundtable}")]),
        (
            "open_vote",
            TEAM,
            vec![
                ("roundtable_id", "{roundtable}"),
                ("options", "A\nB"),
                ("per_person", "2"),
            ],
        ),
        ("cast_dot", TEAM, vec![("option_id", "{option}")]),
        ("close_vote", TEAM, vec![("roundtable_id", "{roundtable}")]),
        (
            "add_column",
            TEAM,
            vec![("board_id", "{board}"), ("title", "Columna {unique}")],
        ),
        (
            "rename_column",
            TEAM,
            vec![("column_id", "{column}"), ("title", "Preguntas")],
        ),
        // Refused for holding a note, but only after the role check.
        ("remove_column", TEAM, vec![("column_id", "{column}")]),
        (
            "add_cluster",
            TEAM,
            vec![("board_id", "{board}"), ("label", "Grupo")],
        ),
        (
            "group_note",
            TEAM,
            vec![("note_id", "{note}"), ("cluster_id", "")],
        ),
        (
            "board_timer",
            TEAM,
            vec![("roundtable_id", "{roundtable}"), ("minutes", "5")],
        ),
        (
            "roundtable_phase",
            TEAM,
            vec![("roundtable_id", "{roundtable}"), ("phase", "vote")],
        ),
        ("roundtable_attendance", TEAM, vec![("id", "{roundtable}")]),
        ("commitments", EVERYONE, vec![("slug", "{slug}")]),
        (
            "create_commitment",
            TEAM,
            vec![
                ("slug", "{slug}"),
                ("roundtable_id", "{roundtable}"),
                ("code", "{unique}"),
            ],
        ),
        // A draft: the team's only.
        ("commitment", TEAM, vec![("id", "{commitment}")]),
        ("commitment_editor", TEAM, vec![("id", "{commitment}")]),
        (
            "save_commitment",
            TEAM,
            vec![
                ("id", "{commitment}"),
                ("base_version", "1"),
                ("change_note", ""),
                ("sheet[title]", "Ficha"),
            ],
        ),
        (
            "save_milestone",
            TEAM,
            vec![
                ("id", "{commitment}"),
                ("base_version", "1"),
                ("key", ""),
                ("title", "Hito"),
                ("output", ""),
                ("starts_on", ""),
                ("ends_on", ""),
                ("responsible", ""),
            ],
        ),
        (
            "remove_milestone",
            TEAM,
            vec![("id", "{commitment}"), ("base_version", "1"), ("key", "m9")],
        ),
        (
            "compare_versions",
            TEAM,
            vec![("id", "{commitment}"), ("from", "0"), ("to", "0")],
        ),
        // Still a draft when those refused try; the team publishes it below.
        (
            "list_sheet_comments",
            TEAM,
            vec![("id", "{commitment}"), ("page", "1")],
        ),
        (
            "publish_for_comment",
            TEAM,
            vec![
                ("id", "{commitment}"),
                ("opens_on", "{future}"),
                ("closes_on", "{future}"),
            ],
        ),
        (
            "respond_to_comment",
            TEAM,
            vec![
                ("id", "{commitment}"),
                ("comment_id", "999999"),
                ("outcome", "out_of_scope"),
                ("reason", "Motivo"),
            ],
        ),
        ("publish_final", TEAM, vec![("id", "{commitment}")]),
        (
            "cancel_registration",
            SIGNED_IN,
            vec![("id", "{roundtable}")],
        ),
        ("mark_notifications_read", SIGNED_IN, vec![]),
        ("my_account", SIGNED_IN, vec![]),
        (
            "save_profile",
            SIGNED_IN,
            vec![("display_name", "Otro nombre"), ("locale", "en")],
        ),
        (
            "save_email_kinds",
            SIGNED_IN,
            vec![("kinds[]", "answer_published")],
        ),
        (
            "change_email",
            SIGNED_IN,
            vec![
                ("email", "{unique}-nuevo@example.org"),
                ("current_password", "a-long-password"),
            ],
        ),
        (
            "change_password",
            SIGNED_IN,
            vec![
                ("current_password", "a-long-password"),
                ("password", "another long password"),
                ("password_confirm", "another long password"),
            ],
        ),
        ("resend_confirmation", SIGNED_IN, vec![]),
        ("confirm_email", SIGNED_IN, vec![("token", "made-up")]),
        (
            "delete_account",
            SIGNED_IN,
            vec![("current_password", "a-long-password"), ("confirm", "on")],
        ),
    ]
}

on_both_engines_with!(without_rate_limits; every_server_function_checks_the_role);

/// The table signs up a person per role and server function from one address:
/// many more than any budget allows, and not what this test is about.
fn without_rate_limits(cfg: &mut server::config::ServeConfig) {
    cfg.rate_limits = server::limits::scaled(1000);
}

async fn every_server_function_checks_the_role(app: TestApp) {
    // The table covers every server function the app registers.
    let registered: std::collections::BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/api/").to_string())
        .collect();
    let covered: std::collections::BTreeSet<String> =
        table().iter().map(|(e, _, _)| e.to_string()).collect();
    assert_eq!(
        registered, covered,
        "permission table is missing server functions"
    );

    app.participant("Target", "target@example.org").await;
    let target = app
        .count("SELECT id FROM users WHERE email = 'target@example.org'")
        .await
        .to_string();
    sqlx::query("INSERT INTO agencies (name, description, created_at) VALUES ('Área', '', 0)")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let agency = app
        .count("SELECT id FROM agencies WHERE name = 'Área'")
        .await
        .to_string();

    let (slug, axes) = app.open_process("Proceso abierto", &["Eje"]).await;
    let axis = axes[0].to_string();
    let author = app.participant("Autora", "autora@example.org").await;
    let submitted = author
        .call(
            "submit_proposal",
            &[
                ("slug", &slug),
                ("title", "Mapa"),
                ("problem", "P"),
                ("solution", "S"),
                ("axis_id", &axis),
                ("confirm_similar", "on"),
            ],
        )
        .await;
    submitted.ok();
    let proposal = app.count("SELECT MAX(id) FROM proposals").await.to_string();
    // The proposal is assigned to the agency, so its members may review it.
    sqlx::query(
        "INSERT INTO feasibility_assignments (proposal_id, agency_id, due_on, assigned_at) VALUES ($1, $2, '2999-01-01', 0)",
    )
    .bind(proposal.parse::<i64>().unwrap())
    .bind(agency.parse::<i64>().unwrap())
    .execute(&app.db.pool)
    .await
    .unwrap();
    let assignment = app
        .count("SELECT MAX(id) FROM feasibility_assignments")
        .await
        .to_string();
    let future = "2999-12-31";
    sqlx::query(
        "INSERT INTO roundtables (process_id, title, starts_at, utc_offset_minutes, duration_minutes, video_url, capacity, created_at) \
         SELECT id, 'Mesa', 32503680000, -180, 90, 'https://meet.example.org/x', 100, 0 FROM processes",
    )
    .execute(&app.db.pool)
    .await
    .unwrap();
    let roundtable = app
        .count("SELECT MAX(id) FROM roundtables")
        .await
        .to_string();
    for sql in [
        "INSERT INTO boards (roundtable_id, number) SELECT MAX(id), 1 FROM roundtables",
        "INSERT INTO board_columns (board_id, title, position) SELECT MAX(id), 'Preguntas', 0 FROM boards",
        "INSERT INTO board_notes (board_id, column_id, author_id, body, created_at, updated_at) \
         SELECT (SELECT MAX(id) FROM boards), (SELECT MAX(id) FROM board_columns), id, 'Nota', 0, 0 \
         FROM users WHERE email = 'target@example.org'",
    ] {
        sqlx::query(sql).execute(&app.db.pool).await.unwrap();
    }
    let board = app.count("SELECT MAX(id) FROM boards").await.to_string();
    let column = app
        .count("SELECT MAX(id) FROM board_columns")
        .await
        .to_string();
    let note = app
        .count("SELECT MAX(id) FROM board_notes")
        .await
        .to_string();
    for sql in [
        "INSERT INTO topic_votes (roundtable_id, per_person, show_live, opened_at) SELECT MAX(id), 100, 1, 0 FROM roundtables",
        "INSERT INTO vote_options (vote_id, label, position) SELECT MAX(id), 'Tema', 0 FROM topic_votes",
    ] {
        sqlx::query(sql).execute(&app.db.pool).await.unwrap();
    }
    let option = app
        .count("SELECT MAX(id) FROM vote_options")
        .await
        .to_string();
    for sql in [
        "INSERT INTO commitments (process_id, roundtable_id, code, current_version, created_at) \
         SELECT process_id, id, 'ARBA0001', 1, 0 FROM roundtables WHERE id = (SELECT MAX(id) FROM roundtables)",
        "INSERT INTO commitment_versions (commitment_id, number, sheet, created_at) \
         SELECT MAX(id), 1, '{\"title\":\"Ficha\"}', 0 FROM commitments",
    ] {
        sqlx::query(sql).execute(&app.db.pool).await.unwrap();
    }
    let commitment = app
        .count("SELECT MAX(id) FROM commitments")
        .await
        .to_string();

    let mut n = 0;
    for who in EVERYONE {
        for (endpoint, allowed, form) in table() {
            n += 1;
            let visitor = visitor_as(&app, *who, n).await;
            let unique = format!("u{n}");
            let form: Vec<(String, String)> = form
                .iter()
                .map(|(k, v)| {
                    (
                        k.to_string(),
                        v.replace("{target}", &target)
                            .replace("{agency}", &agency)
                            .replace("{unique}", &unique)
                            .replace("{slug}", &slug)
                            .replace("{axis}", &axis)
                            .replace("{proposal}", &proposal)
                            .replace("{assignment}", &assignment)
                            .replace("{future}", future)
                            .replace("{roundtable}", &roundtable)
                            .replace("{board}", &board)
                            .replace("{column}", &column)
                            .replace("{note}", &note)
                            .replace("{option}", &option)
                            .replace("{commitment}", &commitment),
                    )
                })
                .collect();
            let pairs: Vec<(&str, &str)> =
                form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let reply = visitor.call(endpoint, &pairs).await;
            let refused = matches!(reply.status.as_u16(), 401 | 403);
            if allowed.contains(who) {
                assert!(
                    !refused,
                    "{who:?} should be allowed {endpoint}: {} {}",
                    reply.status, reply.body
                );
            } else {
                let expected = if *who == Who::Anonymous { 401 } else { 403 };
                assert_eq!(
                    reply.status.as_u16(),
                    expected,
                    "{who:?} must be refused {endpoint}: {}",
                    reply.body
                );
            }
        }
    }
}

async fn visitor_as(app: &TestApp, who: Who, n: usize) -> Visitor {
    let email = format!("{who:?}{n}@example.org").to_lowercase();
    match who {
        Who::Anonymous => app.visitor(),
        Who::Participant => app.participant("P", &email).await,
        Who::AgencyMember => {
            let v = app.participant("A", &email).await;
            sqlx::query("INSERT INTO agency_members (user_id, agency_id) SELECT u.id, a.id FROM users u, agencies a WHERE u.email = $1")
                .bind(&email)
                .execute(&app.db.pool)
                .await
                .unwrap();
            v
        }
        Who::Facilitator => app.user_with_role("facilitator", &email).await,
        Who::Admin => app.user_with_role("admin", &email).await,
    }
}
