//! Every server function × every role, both halves: a role the table allows
//! gets its call through and its effect is there afterwards; any other role is
//! refused (401 / 403) and nothing changed. Each role plays in a world of its
//! own, so what one role did never decides what the next one may do.
use std::collections::HashMap;

use tests::{day, on_both_engines_with, TestApp, Visitor};

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Who {
    Anonymous,
    Participant,
    AgencyMember,
    /// A member of the world's process's independent monitoring body.
    Evaluator,
    Facilitator,
    Admin,
}

const EVERYONE: &[Who] = &[
    Who::Anonymous,
    Who::Participant,
    Who::AgencyMember,
    Who::Evaluator,
    Who::Facilitator,
    Who::Admin,
];
const SIGNED_IN: &[Who] = &[
    Who::Participant,
    Who::AgencyMember,
    Who::Evaluator,
    Who::Facilitator,
    Who::Admin,
];
/// The monitoring body of the process.
const EVALUATOR: &[Who] = &[Who::Evaluator];
/// The team, and (reading only) the process's monitoring body.
const TEAM_AND_EVALUATOR: &[Who] = &[Who::Evaluator, Who::Facilitator, Who::Admin];
const TEAM: &[Who] = &[Who::Facilitator, Who::Admin];
/// Only the proposal's or the note's author, who is none of the people trying.
const AUTHOR_ONLY: &[Who] = &[];
const ADMINS: &[Who] = &[Who::Admin];
const AGENCY: &[Who] = &[Who::AgencyMember];
/// Representatives of an organization, for it: none of the people trying
/// (`endorsements.rs` has a representative's side).
const REPRESENTATIVES: &[Who] = &[];
/// The team, and members of the agency the proposal was assigned to.
const TEAM_AND_AGENCY: &[Who] = &[Who::AgencyMember, Who::Facilitator, Who::Admin];

/// What an allowed call is seen to do.
#[derive(Clone, Copy, Debug)]
pub enum Effect {
    /// A read: its answer holds this text.
    Shows(&'static str),
    /// A read of the caller's own things, empty for a new account: it answers.
    Answers,
    /// A write: this query's value differs afterwards (and is the same after a
    /// refusal).
    Changes(&'static str),
    /// The same visitor then calls this endpoint and its answer holds the text.
    Then(&'static str, &'static str),
}

/// What the visitor does first, so the call has something to act on.
#[derive(Clone, Copy, Debug)]
pub enum Before {
    Nothing,
    /// Calls a server function (anonymous visitors are refused it: no matter).
    Call(&'static str, &'static [(&'static str, &'static str)]),
    /// Runs SQL about the signed-in visitor (`{me}`).
    Sql(&'static [&'static str]),
    /// Runs SQL whoever the visitor is, anonymous too.
    SqlForAnyone(&'static [&'static str]),
    /// A password reset for the target, whose link holds `{token}`.
    ResetToken,
    /// An email change for the signed-in visitor, whose link holds `{token}`.
    ConfirmToken,
    /// An invitation to the world's organization, whose link holds `{token}`.
    InvitationToken,
    /// The team's invitation of the world's organization to its process (a
    /// roundtable of its own each time), whose link holds `{token}`.
    ThemeInvitationToken,
}

pub struct Row {
    pub endpoint: &'static str,
    pub allowed: &'static [Who],
    pub form: Vec<(&'static str, &'static str)>,
    pub effect: Effect,
    pub before: Before,
}

fn row(
    endpoint: &'static str,
    allowed: &'static [Who],
    form: Vec<(&'static str, &'static str)>,
    effect: Effect,
) -> Row {
    Row {
        endpoint,
        allowed,
        form,
        effect,
        before: Before::Nothing,
    }
}

impl Row {
    fn after(mut self, before: Before) -> Row {
        self.before = before;
        self
    }
}

use Effect::{Answers, Changes, Shows, Then};

/// The world's organization waiting in the directory for the team.
const PENDING_ENTRY: &str =
    "INSERT INTO directory_entries (organization_id, contact_email, status, registered_at) \
     VALUES ({organization}, 'c@x.example', 'pending', 0) \
     ON CONFLICT (organization_id) DO UPDATE SET status = 'pending'";
/// The world's organization listed in the directory.
const APPROVED_ENTRY: &str =
    "INSERT INTO directory_entries (organization_id, contact_email, status, registered_at) \
     VALUES ({organization}, 'c@x.example', 'approved', 0) \
     ON CONFLICT (organization_id) DO UPDATE SET status = 'approved'";
/// A request by the target to join the world's organization (a negative id made
/// from the organization's: each world has its own, and the ids SQLite and PostgreSQL
/// hand out never meet it).
const JOIN_REQUEST: &str = "INSERT INTO organization_joins (id, organization_id, kind, status, user_id, created_at) \
     VALUES (-{organization}, {organization}, 'request', 'pending', {target}, 0) ON CONFLICT DO NOTHING";

/// Every server function: who may call it, a valid form, what it does. `{…}`
/// names a thing of the world the role plays in (see `world`), or of the call:
/// `{me}` the caller's id, `{unique}` a fresh word, `{version}` the draft
/// sheet's current version, `{token}` the link made by `Before`.
pub fn table() -> Vec<Row> {
    vec![
        row("whoami", EVERYONE, vec![], Answers),
        row(
            "signup",
            EVERYONE,
            vec![
                ("display_name", "N"),
                ("email", "{unique}@example.org"),
                ("password", "a-long-password"),
                ("password_confirm", "a-long-password"),
                ("accept_privacy", "on"),
            ],
            Changes("SELECT COUNT(*) FROM users WHERE email = '{unique}@example.org'"),
        ),
        row(
            "login",
            EVERYONE,
            vec![
                ("email", "{target_email}"),
                ("password", "a-long-password"),
            ],
            Changes("SELECT COUNT(*) FROM sessions WHERE user_id = {target}"),
        ),
        row("logout", EVERYONE, vec![], Then("whoami", "null")),
        row(
            "request_password_reset",
            EVERYONE,
            vec![("email", "{target_email}")],
            Changes("SELECT COUNT(*) FROM password_resets WHERE user_id = {target}"),
        ),
        row(
            "reset_password",
            EVERYONE,
            vec![
                ("token", "{token}"),
                ("password", "a-long-password"),
                ("password_confirm", "a-long-password"),
            ],
            Changes("SELECT COUNT(*) FROM password_resets WHERE used_at IS NOT NULL"),
        )
        .after(Before::ResetToken),
        row("directory", EVERYONE, vec![], Shows("Área {tag}")),
        row(
            "open_processes",
            EVERYONE,
            vec![("page", "1")],
            Shows("{slug}"),
        ),
        row("process", EVERYONE, vec![("slug", "{slug}")], Shows("{slug}")),
        row(
            "admin_users",
            ADMINS,
            vec![("page", "1"), ("query", "target")],
            Shows("{target_email}"),
        ),
        row(
            "admin_set_role",
            ADMINS,
            vec![("user_id", "{other}"), ("role", "facilitator")],
            Changes("SELECT role FROM users WHERE id = {other}"),
        ),
        row(
            "admin_membership",
            ADMINS,
            vec![
                ("user_id", "{other}"),
                ("kind", "agency"),
                ("group_id", "{agency}"),
            ],
            Changes("SELECT COUNT(*) FROM agency_members WHERE user_id = {other}"),
        ),
        row(
            "admin_save_group",
            ADMINS,
            vec![
                ("kind", "organization"),
                ("name", "Org {unique}"),
                ("detail", "academia"),
            ],
            Changes("SELECT COUNT(*) FROM organizations WHERE name = 'Org {unique}'"),
        ),
        row(
            "create_process",
            TEAM,
            tests::process_form("Proceso {unique}", &[]),
            Changes("SELECT COUNT(*) FROM processes"),
        ),
        row(
            "proposal_form",
            EVERYONE,
            vec![("slug", "{slug}")],
            Shows("Eje {tag}"),
        ),
        row(
            "proposals",
            EVERYONE,
            vec![
                ("slug", "{slug}"),
                ("query[q]", "mapa"),
                ("query[sort]", "newest"),
                ("query[page]", "1"),
            ],
            Shows("Mapa"),
        ),
        row(
            "similar_proposals",
            EVERYONE,
            vec![("slug", "{slug}"), ("text", "mapa")],
            Shows("Mapa"),
        ),
        row("proposal", EVERYONE, vec![("id", "{proposal}")], Shows("Mapa")),
        row(
            "proposal_trajectory",
            EVERYONE,
            vec![("id", "{proposal}")],
            Shows("Mapa"),
        ),
        row(
            "submit_proposal",
            SIGNED_IN,
            vec![
                ("slug", "{slug}"),
                ("title", "Título nuevo {unique}"),
                ("problem", "P"),
                ("solution", "S"),
                ("axis_id", "{axis}"),
            ],
            Changes("SELECT COUNT(*) FROM proposals"),
        ),
        row(
            "edit_proposal",
            AUTHOR_ONLY,
            vec![
                ("id", "{proposal}"),
                ("title", "T"),
                ("problem", "P"),
                ("solution", "S"),
                ("axis_id", "{axis}"),
            ],
            Changes("SELECT title FROM proposals WHERE id = {proposal}"),
        ),
        row(
            "withdraw_proposal",
            AUTHOR_ONLY,
            vec![("id", "{proposal}")],
            Changes("SELECT state FROM proposals WHERE id = {proposal}"),
        ),
        row(
            "support_proposal",
            SIGNED_IN,
            vec![("id", "{proposal}")],
            Changes("SELECT COUNT(*) FROM proposal_supports WHERE proposal_id = {proposal}"),
        ),
        row(
            "comments",
            EVERYONE,
            vec![
                ("kind", "proposal"),
                ("subject_id", "{proposal}"),
                ("page", "1"),
            ],
            Shows("Primer comentario"),
        ),
        row(
            "post_comment",
            SIGNED_IN,
            vec![
                ("kind", "proposal"),
                ("subject_id", "{proposal}"),
                ("body", "Hola"),
            ],
            Changes("SELECT COUNT(*) FROM comments"),
        ),
        row(
            "report",
            SIGNED_IN,
            vec![
                ("kind", "proposal"),
                ("id", "{proposal}"),
                ("reason", "spam"),
            ],
            Changes("SELECT COUNT(*) FROM reports"),
        ),
        row(
            "moderation_queue",
            TEAM,
            vec![("page", "1")],
            Shows("Propuesta denunciada"),
        ),
        row(
            "moderate",
            TEAM,
            vec![("kind", "proposal"), ("id", "{reported}"), ("hide", "on")],
            Changes("SELECT hidden FROM proposals WHERE id = {reported}"),
        ),
        row(
            "audit_log",
            ADMINS,
            vec![("page", "1")],
            // What the administrator hid just above.
            Shows("proposal:{reported}"),
        ),
        row(
            "routing_board",
            TEAM,
            vec![
                ("slug", "{slug}"),
                ("query[status]", "all"),
                ("query[page]", "1"),
            ],
            Shows("Sin asignar"),
        ),
        row(
            "assign_proposals",
            TEAM,
            vec![
                ("slug", "{slug}"),
                ("proposal_ids[]", "{unassigned}"),
                ("agency_ids[]", "{agency}"),
                ("due_on", "{future}"),
                ("note", ""),
            ],
            Changes("SELECT COUNT(*) FROM feasibility_assignments WHERE proposal_id = {unassigned}"),
        ),
        row(
            "reassign_proposal",
            TEAM,
            vec![
                ("assignment_id", "{assignment}"),
                ("agency_id", "{agency2}"),
                ("due_on", "{future}"),
                ("note", ""),
            ],
            Changes("SELECT COUNT(*) FROM feasibility_assignments WHERE agency_id = {agency2}"),
        ),
        row(
            "agency_queue",
            AGENCY,
            vec![("query[status]", "pending"), ("query[page]", "1")],
            Shows("Mapa"),
        ),
        row(
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
            Changes("SELECT COUNT(*) FROM feasibility_assignments WHERE verdict IS NOT NULL"),
        ),
        row(
            "set_answer_publication",
            TEAM,
            vec![("slug", "{slug}"), ("held", "on")],
            Changes("SELECT answers_held FROM processes WHERE id = {process}"),
        ),
        row(
            "publish_answers",
            TEAM,
            vec![("slug", "{slug}")],
            Changes("SELECT COUNT(*) FROM feasibility_assignments WHERE published_at IS NOT NULL"),
        ),
        row(
            "feasibility_review",
            TEAM_AND_AGENCY,
            vec![("proposal_id", "{proposal}")],
            Shows("Mapa"),
        ),
        row(
            "agency_overview",
            TEAM_AND_AGENCY,
            vec![("slug", "{slug}"), ("agency_id", "{agency}"), ("page", "1")],
            Shows("Área {tag}"),
        ),
        row(
            "log_meeting",
            TEAM,
            vec![
                ("slug", "{slug}"),
                ("agency_id", "{agency}"),
                ("held_on", "{today}"),
                ("attendees", "A"),
                ("minutes", "M"),
            ],
            Changes("SELECT COUNT(*) FROM feasibility_meetings"),
        ),
        row(
            "notifications",
            SIGNED_IN,
            vec![("page", "1")],
            Shows("Aviso para {me}"),
        )
        .after(Before::Sql(&[
            "INSERT INTO notifications (user_id, kind, subject_id, subject_title, created_at) \
             VALUES ({me}, 'answer_published', {proposal}, 'Aviso para {me}', 0)",
        ])),
        row(
            "roundtables",
            EVERYONE,
            vec![("slug", "{slug}"), ("page", "1")],
            Shows("Mesa {tag}"),
        ),
        row(
            "roundtable",
            EVERYONE,
            vec![("id", "{roundtable}")],
            Shows("Mesa {tag}"),
        ),
        row(
            "roundtable_form",
            TEAM,
            vec![("slug", "{slug}")],
            Shows("Área {tag}"),
        ),
        row(
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
            Changes("SELECT COUNT(*) FROM roundtables"),
        ),
        row(
            "register_roundtable",
            SIGNED_IN,
            vec![("id", "{roundtable}")],
            Changes("SELECT COUNT(*) FROM roundtable_registrations WHERE status = 'registered'"),
        ),
        row(
            "cancel_registration",
            SIGNED_IN,
            vec![("id", "{roundtable}")],
            Changes("SELECT COUNT(*) FROM roundtable_registrations WHERE status = 'cancelled'"),
        )
        .after(Before::Call("register_roundtable", &[("id", "{roundtable}")])),
        row(
            "board",
            EVERYONE,
            vec![("roundtable_id", "{roundtable}")],
            Shows("Nota {tag}"),
        ),
        // Facilitators, and members of the agency when it presents: here it does not.
        row(
            "add_note",
            TEAM,
            vec![("column_id", "{column}"), ("body", "Nota")],
            Changes("SELECT COUNT(*) FROM board_notes"),
        ),
        row(
            "edit_note",
            AUTHOR_ONLY,
            vec![("note_id", "{note}"), ("body", "Otra")],
            Changes("SELECT body FROM board_notes WHERE id = {note}"),
        ),
        row(
            "delete_note",
            AUTHOR_ONLY,
            vec![("note_id", "{note}")],
            Changes("SELECT COUNT(*) FROM board_notes WHERE id = {note}"),
        ),
        row(
            "board_control",
            TEAM,
            vec![("board_id", "{board}"), ("control", "anonymous"), ("on", "on")],
            Changes("SELECT anonymous FROM boards WHERE id = {board}"),
        ),
        row(
            "group_note",
            TEAM,
            vec![("note_id", "{note}"), ("cluster_id", "{cluster}")],
            Changes("SELECT COUNT(*) FROM board_notes WHERE cluster_id = {cluster}"),
        ),
        row(
            "hide_note",
            TEAM,
            vec![("note_id", "{note2}")],
            Changes("SELECT hidden FROM board_notes WHERE id = {note2}"),
        ),
        row(
            "vote",
            EVERYONE,
            vec![("roundtable_id", "{roundtable}")],
            Shows("Tema {tag}"),
        ),
        row(
            "open_vote",
            TEAM,
            vec![
                ("roundtable_id", "{roundtable2}"),
                ("options", "A\nB"),
                ("per_person", "2"),
            ],
            Changes("SELECT COUNT(*) FROM topic_votes WHERE roundtable_id = {roundtable2}"),
        ),
        row(
            "cast_dot",
            TEAM,
            vec![("option_id", "{option}")],
            Changes("SELECT COUNT(*) FROM vote_dots"),
        ),
        row(
            "close_vote",
            TEAM,
            vec![("roundtable_id", "{roundtable}")],
            Changes("SELECT COUNT(*) FROM topic_votes WHERE closed_at IS NOT NULL"),
        ),
        row(
            "add_column",
            TEAM,
            vec![("board_id", "{board}"), ("title", "Columna {unique}")],
            Changes("SELECT COUNT(*) FROM board_columns"),
        ),
        row(
            "rename_column",
            TEAM,
            vec![("column_id", "{column}"), ("title", "Preguntas {unique}")],
            Changes("SELECT title FROM board_columns WHERE id = {column}"),
        ),
        row(
            "remove_column",
            TEAM,
            vec![("column_id", "{empty_column}")],
            Changes("SELECT COUNT(*) FROM board_columns WHERE id = {empty_column}"),
        ),
        row(
            "add_cluster",
            TEAM,
            vec![("board_id", "{board}"), ("label", "Grupo")],
            Changes("SELECT COUNT(*) FROM board_clusters"),
        ),
        row(
            "board_timer",
            TEAM,
            vec![("roundtable_id", "{roundtable}"), ("minutes", "5")],
            Changes("SELECT COALESCE(timer_ends_at, 0) FROM roundtables WHERE id = {roundtable}"),
        ),
        row(
            "roundtable_phase",
            TEAM,
            vec![("roundtable_id", "{roundtable}"), ("phase", "vote")],
            Changes("SELECT phase FROM roundtables WHERE id = {roundtable}"),
        ),
        row(
            "roundtable_attendance",
            TEAM,
            vec![("id", "{roundtable}"), ("attended[]", "{target}")],
            Changes("SELECT COUNT(*) FROM roundtable_registrations WHERE attended = 1"),
        ),
        row(
            "commitments",
            EVERYONE,
            vec![("slug", "{slug}")],
            Shows("Ficha en consulta"),
        ),
        row(
            "create_commitment",
            TEAM,
            vec![
                ("slug", "{slug}"),
                ("roundtable_id", "{roundtable}"),
                ("code", "{unique}"),
            ],
            Changes("SELECT COUNT(*) FROM commitments"),
        ),
        // A draft: the team's only.
        row(
            "commitment",
            TEAM_AND_EVALUATOR,
            vec![("id", "{commitment}")],
            Shows("Ficha {tag}"),
        ),
        row(
            "commitment_editor",
            TEAM,
            vec![("id", "{commitment}")],
            Shows("Ficha {tag}"),
        ),
        row(
            "save_commitment",
            TEAM,
            vec![
                ("id", "{commitment}"),
                ("base_version", "{version}"),
                ("change_note", ""),
                ("sheet[title]", "Ficha {tag}"),
                ("sheet[problem]", "Problema"),
            ],
            Changes("SELECT current_version FROM commitments WHERE id = {commitment}"),
        ),
        row(
            "save_milestone",
            TEAM,
            vec![
                ("id", "{commitment}"),
                ("base_version", "{version}"),
                ("key", ""),
                ("title", "Hito nuevo"),
                ("output", ""),
                ("starts_on", ""),
                ("ends_on", ""),
                ("responsible", ""),
            ],
            Changes("SELECT current_version FROM commitments WHERE id = {commitment}"),
        ),
        row(
            "remove_milestone",
            TEAM,
            vec![
                ("id", "{commitment}"),
                ("base_version", "{version}"),
                ("key", "m1"),
            ],
            Changes("SELECT current_version FROM commitments WHERE id = {commitment}"),
        ),
        row(
            "compare_versions",
            TEAM_AND_EVALUATOR,
            vec![("id", "{commitment}"), ("from", "1"), ("to", "{version}")],
            Shows("Ficha {tag}"),
        ),
        // In its comment period: everyone reads the comments.
        row(
            "list_sheet_comments",
            EVERYONE,
            vec![("id", "{consulted}"), ("page", "1")],
            Shows("Comentario a la ficha"),
        ),
        row(
            "publish_for_comment",
            TEAM,
            vec![
                ("id", "{commitment}"),
                ("opens_on", "{today}"),
                ("closes_on", "{future}"),
            ],
            Changes("SELECT state FROM commitments WHERE id = {commitment}"),
        ),
        row(
            "respond_to_comment",
            TEAM,
            vec![
                ("id", "{consulted}"),
                ("comment_id", "{sheet_comment}"),
                ("outcome", "out_of_scope"),
                ("reason", "Motivo"),
            ],
            Changes("SELECT COUNT(*) FROM comment_responses"),
        ),
        row(
            "publish_final",
            TEAM,
            vec![("id", "{consulted}")],
            Changes("SELECT state FROM commitments WHERE id = {consulted}"),
        ),
        row(
            "monitoring",
            EVERYONE,
            vec![("id", "{final}")],
            Shows("Ficha final {tag}"),
        ),
        row(
            "tracking_panel",
            EVERYONE,
            vec![("slug", "{slug}"), ("status", "")],
            Shows("Ficha final {tag}"),
        ),
        row(
            "review_update",
            TEAM,
            vec![("id", "{update}"), ("decision", "publish"), ("reason", "")],
            Changes("SELECT state FROM milestone_updates WHERE id = {update}"),
        ),
        row(
            "monitoring_overview",
            TEAM_AND_AGENCY,
            vec![],
            Shows("FIN{tag}"),
        ),
        row(
            "set_reminder_cadence",
            TEAM,
            vec![("slug", "{slug}"), ("days", "7")],
            Changes("SELECT COUNT(*) FROM monitoring_settings WHERE process_id = {process}"),
        ),
        row(
            "log_followup",
            TEAM,
            vec![
                ("id", "{final}"),
                ("held_on", "{today}"),
                ("attendees", "12"),
                ("organizations", "ACIJ"),
                ("minutes", "Minuta"),
            ],
            Changes("SELECT COUNT(*) FROM followup_meetings WHERE commitment_id = {final}"),
        ),
        row(
            "endorsements",
            EVERYONE,
            vec![("slug", "{slug}")],
            Shows("Proceso {tag}"),
        ),
        row(
            "cocreation_report",
            EVERYONE,
            vec![("slug", "{slug}")],
            Shows("Proceso {tag}"),
        ),
        row(
            "open_data",
            EVERYONE,
            vec![("slug", "{slug}")],
            Shows("Proceso {tag}"),
        ),
        row("api_reference", EVERYONE, vec![], Shows("board_notes")),
        row(
            "monitoring_body",
            TEAM,
            vec![("slug", "{slug}")],
            Shows("Evaluadora {tag}"),
        ),
        row(
            "appoint_evaluator",
            TEAM,
            vec![("slug", "{slug}"), ("email", "{other_email}"), ("body", "Universidad")],
            Changes("SELECT COUNT(*) FROM process_evaluators"),
        ),
        row(
            "remove_evaluator",
            TEAM,
            vec![("slug", "{slug}"), ("user_id", "{evaluator}")],
            Changes("SELECT COUNT(*) FROM process_evaluators"),
        ),
        row(
            "commitment_evaluation",
            EVERYONE,
            vec![("id", "{final}")],
            Shows("FIN{tag}"),
        ),
        row(
            "evaluate_commitment",
            EVALUATOR,
            vec![
                ("id", "{final}"),
                ("verifiable", "yes"),
                ("potential", "modest"),
                ("completion", "limited"),
                ("opened_government", "marginal"),
                ("reasoning", "Según el tablero y las evidencias."),
                ("publish", "1"),
            ],
            Changes("SELECT COUNT(*) FROM commitment_evaluations"),
        ),
        row("evaluator_desk", EVALUATOR, vec![], Shows("FIN{tag}")),
        row(
            "carry_over_candidates",
            TEAM,
            vec![("slug", "{next}"), ("from", "{slug}")],
            Shows("Sin asignar"),
        ),
        row(
            "carry_over",
            TEAM,
            vec![
                ("slug", "{next}"),
                ("from", "{slug}"),
                ("proposal_ids[]", "{unassigned}"),
                ("axis_id", "{next_axis}"),
            ],
            Changes("SELECT COUNT(*) FROM proposal_carryovers"),
        ),
        row(
            "endorse_plan",
            REPRESENTATIVES,
            vec![("slug", "{slug}"), ("organization_id", "{organization}"), ("role", "Directora")],
            Changes("SELECT COUNT(*) FROM endorsements"),
        ),
        row(
            "withdraw_endorsement",
            REPRESENTATIVES,
            vec![("slug", "{slug}"), ("organization_id", "{organization}")],
            Changes("SELECT COUNT(*) FROM endorsements WHERE withdrawn_at IS NOT NULL"),
        ),
        row(
            "stakeholder_directory",
            EVERYONE,
            vec![("sector", ""), ("axis", "0"), ("page", "1")],
            Shows("by_sector"),
        ),
        row("directory_registration", EVERYONE, vec![], Shows("signed_in")),
        row(
            "register_organization",
            SIGNED_IN,
            vec![
                ("name", "Org reg {unique}"),
                ("sector", "academia"),
                ("territory", "Comuna 1"),
                ("website", "https://ejemplo.org"),
                ("description", ""),
                ("contact_email", "c@x.example"),
            ],
            Changes("SELECT COUNT(*) FROM directory_entries"),
        ),
        row("directory_review", TEAM, vec![("page", "1")], Shows("Org {tag}"))
            .after(Before::Sql(&[PENDING_ENTRY])),
        row(
            "approve_organization",
            TEAM,
            vec![("organization_id", "{organization}")],
            Changes("SELECT COUNT(*) FROM directory_entries WHERE status = 'approved'"),
        )
        .after(Before::Sql(&[PENDING_ENTRY])),
        row(
            "reject_organization",
            TEAM,
            vec![("organization_id", "{organization}"), ("reason", "Fuera de la ciudad")],
            Changes("SELECT COUNT(*) FROM directory_entries WHERE status = 'rejected'"),
        )
        .after(Before::Sql(&[PENDING_ENTRY])),
        row(
            "request_to_join",
            SIGNED_IN,
            vec![("organization_id", "{organization}")],
            Changes("SELECT COUNT(*) FROM organization_joins WHERE kind = 'request'"),
        )
        .after(Before::Sql(&[
            "INSERT INTO directory_entries (organization_id, contact_email, status, registered_at) \
             VALUES ({organization}, 'c@x.example', 'approved', 0) \
             ON CONFLICT (organization_id) DO UPDATE SET status = 'approved'",
        ])),
        row("my_organizations", SIGNED_IN, vec![], Answers),
        row(
            "accept_join_request",
            REPRESENTATIVES,
            vec![("join_id", "-{organization}")],
            Changes("SELECT COUNT(*) FROM organization_joins WHERE status = 'approved'"),
        )
        .after(Before::Sql(&[JOIN_REQUEST])),
        row(
            "decline_join_request",
            REPRESENTATIVES,
            vec![("join_id", "-{organization}")],
            Changes("SELECT COUNT(*) FROM organization_joins WHERE status = 'rejected'"),
        )
        .after(Before::Sql(&[JOIN_REQUEST])),
        row(
            "invite_to_organization",
            REPRESENTATIVES,
            vec![("organization_id", "{organization}"), ("email", "inv-{unique}@example.org")],
            Changes("SELECT COUNT(*) FROM organization_joins WHERE kind = 'invitation'"),
        ),
        row(
            "organization_invitation",
            EVERYONE,
            vec![("token", "{token}")],
            Shows("Org {tag}"),
        )
        .after(Before::InvitationToken),
        row(
            "accept_invitation",
            SIGNED_IN,
            vec![("token", "{token}")],
            Changes("SELECT COUNT(*) FROM organization_joins WHERE status = 'approved'"),
        )
        .after(Before::InvitationToken),
        row(
            "survey_desk",
            TEAM,
            vec![("slug", "{slug}"), ("sector", ""), ("axis", "0"), ("page", "1"), ("sent_page", "1")],
            Shows("Pregunta {tag}"),
        ),
        row(
            "save_survey",
            TEAM,
            vec![("slug", "{slug}"), ("intro", "Hola {unique}"), ("closes_on", "{future}")],
            Changes("SELECT COUNT(*) FROM surveys WHERE intro = 'Hola {unique}'"),
        ),
        row(
            "add_survey_question",
            TEAM,
            vec![("slug", "{slug}"), ("kind", "long"), ("prompt", "¿Algo más?"), ("options", "")],
            Changes("SELECT COUNT(*) FROM survey_questions"),
        ),
        row(
            "remove_survey_question",
            TEAM,
            vec![("slug", "{slug}"), ("question_id", "{question}")],
            Changes("SELECT COUNT(*) FROM survey_questions"),
        ),
        row(
            "send_survey",
            TEAM,
            vec![("slug", "{slug}"), ("organization_ids[]", "{organization}")],
            Changes("SELECT COUNT(*) FROM survey_recipients"),
        )
        .after(Before::Sql(&[APPROVED_ENTRY])),
        row("survey_form", EVERYONE, vec![("id", "{survey}")], Shows("Proceso {tag}")),
        row(
            "answer_survey",
            REPRESENTATIVES,
            vec![("id", "{survey}"), ("organization_id", "{organization}")],
            Changes("SELECT COUNT(*) FROM survey_responses"),
        )
        .after(Before::Sql(&[
            APPROVED_ENTRY,
            "INSERT INTO survey_recipients (survey_id, organization_id, sent_at) \
             VALUES ({survey}, {organization}, 0) ON CONFLICT DO NOTHING",
        ])),
        row(
            "invitation_desk",
            TEAM,
            vec![("slug", "{slug}"), ("sector", ""), ("axis", "0"), ("page", "1"), ("sent_page", "1")],
            Shows("by_state"),
        ),
        row(
            "send_invitations",
            TEAM,
            vec![("slug", "{slug}"), ("roundtable_id", "{roundtable}"), ("organization_ids[]", "{organization}")],
            Changes("SELECT COUNT(*) FROM theme_invitations"),
        )
        .after(Before::Sql(&[APPROVED_ENTRY])),
        row("open_invitation", EVERYONE, vec![("token", "{token}")], Shows("Org {tag}"))
            .after(Before::ThemeInvitationToken),
        row(
            "take_up_invitation",
            SIGNED_IN,
            vec![("token", "{token}")],
            Changes("SELECT COUNT(*) FROM theme_invitations WHERE registered_at IS NOT NULL AND registered_by = {me}"),
        )
        .after(Before::ThemeInvitationToken),
        row("roundtable_settings", TEAM, vec![("id", "{roundtable}")], Shows("registered")),
        row(
            "edit_roundtable",
            TEAM,
            vec![
                ("id", "{roundtable}"),
                ("title", "Mesa {tag}"),
                ("description", "Mesa {unique}"),
                ("date", "{in_five_days}"),
                ("time", "18:00"),
                ("utc_offset", "-180"),
                ("duration_minutes", "90"),
                ("video_url", "https://meet.example.org/x"),
                ("capacity", "30"),
                ("agency_ids[]", "{agency}"),
            ],
            Changes("SELECT description FROM roundtables WHERE id = {roundtable}"),
        ),
        row(
            "directory_entry",
            TEAM,
            vec![("organization_id", "{organization}")],
            Shows("c@x.example"),
        )
        .after(Before::SqlForAnyone(&[APPROVED_ENTRY])),
        row(
            "edit_directory_entry",
            TEAM,
            vec![
                ("organization_id", "{organization}"),
                ("name", "Org {tag}"),
                ("sector", "academia"),
                ("territory", "Barrio {unique}"),
                ("website", ""),
                ("description", ""),
                ("contact_email", "c@x.example"),
            ],
            Changes("SELECT territory FROM directory_entries WHERE organization_id = {organization}"),
        )
        .after(Before::SqlForAnyone(&[APPROVED_ENTRY])),
        row("followed_axes", EVERYONE, vec![("slug", "{slug}")], Shows("Eje {tag}")),
        row(
            "follow_axes",
            SIGNED_IN,
            vec![("slug", "{slug}"), ("axis_ids[]", "{axis}")],
            Changes("SELECT COUNT(*) FROM axis_followers WHERE user_id = {me}"),
        ),
        row(
            "edit_process",
            TEAM,
            vec![
                ("slug", "{slug}"),
                ("title", "Proceso {tag}"),
                ("description", "Descripción {unique}."),
                ("axis_ids[]", "{axis}"),
                ("axis_names[]", "Eje {tag}"),
                ("new_axes", ""),
                ("intake_start", "{intake_start}"),
                ("intake_end", "{intake_end}"),
                ("feasibility_start", "{feasibility_start}"),
                ("feasibility_end", "{feasibility_end}"),
                ("roundtables_start", "{roundtables_start}"),
                ("roundtables_end", "{roundtables_end}"),
                ("drafting_start", "{drafting_start}"),
                ("drafting_end", "{drafting_end}"),
                ("comment_start", "{comment_start}"),
                ("comment_end", "{comment_end}"),
                ("monitoring_start", "{monitoring_start}"),
                ("monitoring_end", "{monitoring_end}"),
            ],
            Changes("SELECT description FROM processes WHERE id = {process}"),
        ),
        row(
            "announcement_desk",
            TEAM,
            vec![("slug", "{slug}"), ("page", "1")],
            Shows("subscribers"),
        ),
        row(
            "send_announcement",
            TEAM,
            vec![("slug", "{slug}"), ("stage", ""), ("subject", "Anuncio {unique}"), ("body", "Texto")],
            Changes("SELECT COUNT(*) FROM announcements"),
        )
        .after(Before::SqlForAnyone(&[
            "INSERT INTO contacts (email, locale, token, created_at, asked_at, confirmed_at) \
             VALUES ('base-{tag}@example.org', 'es-AR', 'base-{tag}', 0, 0, 0) ON CONFLICT DO NOTHING",
        ])),
        row(
            "join_contact_base",
            EVERYONE,
            vec![("email", "{unique}-{tag}@example.org")],
            Changes("SELECT COUNT(*) FROM contacts"),
        ),
        row(
            "confirm_contact",
            EVERYONE,
            vec![("token", "{token}")],
            Changes("SELECT COUNT(*) FROM contacts WHERE confirmed_at IS NOT NULL"),
        )
        .after(Before::SqlForAnyone(&[
            "INSERT INTO contacts (email, locale, token, created_at, asked_at) \
             VALUES ('{unique}-{tag}@example.org', 'es-AR', '{token}', 0, 0)",
        ])),
        row("outreach_figures", EVERYONE, vec![("slug", "{slug}")], Shows("took_part")),
        row("survey_answers", TEAM, vec![("id", "{survey}"), ("page", "1")], Shows("responses")),
        row(
            "mark_notifications_read",
            SIGNED_IN,
            vec![],
            Changes("SELECT COUNT(*) FROM notifications WHERE read_at IS NULL AND user_id = {me}"),
        )
        .after(Before::Sql(&[
            "INSERT INTO notifications (user_id, kind, subject_id, subject_title, created_at) \
             VALUES ({me}, 'answer_published', {proposal}, 'Mapa', 0)",
        ])),
        row("my_account", SIGNED_IN, vec![], Shows("{me_email}")),
        row(
            "save_profile",
            SIGNED_IN,
            vec![("display_name", "Otro nombre"), ("locale", "en")],
            Changes("SELECT display_name FROM users WHERE id = {me}"),
        ),
        row(
            "save_email_kinds",
            SIGNED_IN,
            vec![("kinds[]", "answer_published")],
            Changes("SELECT COUNT(*) FROM email_optouts"),
        ),
        row(
            "change_email",
            SIGNED_IN,
            vec![
                ("email", "{unique}-nuevo@example.org"),
                ("current_password", "a-long-password"),
            ],
            Changes("SELECT COUNT(*) FROM email_confirmations WHERE email = '{unique}-nuevo@example.org'"),
        ),
        row(
            "change_password",
            SIGNED_IN,
            vec![
                ("current_password", "a-long-password"),
                ("password", "another long password"),
                ("password_confirm", "another long password"),
            ],
            Changes("SELECT password_hash FROM users WHERE id = {me}"),
        ),
        row(
            "resend_confirmation",
            SIGNED_IN,
            vec![],
            Changes("SELECT COUNT(*) FROM email_confirmations WHERE user_id = {me}"),
        )
        // Unconfirmed, and the mail sent at sign-up more than a minute ago.
        .after(Before::Sql(&[
            "UPDATE users SET email_confirmed_at = NULL WHERE id = {me}",
            "UPDATE email_confirmations SET created_at = created_at - 120 WHERE user_id = {me}",
        ])),
        row(
            "confirm_email",
            SIGNED_IN,
            vec![("token", "{token}")],
            Changes("SELECT email FROM users WHERE id = {me}"),
        )
        .after(Before::ConfirmToken),
        // Near the end: it leaves the world's roundtable cancelled.
        row(
            "cancel_roundtable",
            TEAM,
            vec![("id", "{roundtable}"), ("reason", "Motivo {unique}")],
            Changes("SELECT COUNT(*) FROM roundtables WHERE cancelled_at IS NOT NULL"),
        ),
        row(
            "delete_account",
            SIGNED_IN,
            vec![("current_password", "a-long-password"), ("confirm", "on")],
            Changes("SELECT COUNT(*) FROM users WHERE deleted_at IS NOT NULL"),
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
        table().iter().map(|r| r.endpoint.to_string()).collect();
    assert_eq!(
        registered, covered,
        "permission table is missing server functions"
    );

    let mut n = 0;
    for who in EVERYONE {
        let world = world(&app, *who).await;
        for row in table() {
            n += 1;
            let (visitor, me) = visitor_as(&app, *who, n, &world).await;
            let mut names = world.clone();
            names.insert("unique", format!("u{n}"));
            names.insert("token", format!("token-{n}-{}", world["tag"]));
            names.insert(
                "version",
                scalar(
                    &app,
                    &fill(
                        "SELECT current_version FROM commitments WHERE id = {commitment}",
                        &names,
                    ),
                )
                .await,
            );
            // Nobody's id for an anonymous visitor.
            let (id, email) = me.unwrap_or_else(|| ("0".into(), String::new()));
            names.insert("me", id);
            names.insert("me_email", email);
            prepare(&app, &visitor, row.before, &names).await;

            let form: Vec<(String, String)> = row
                .form
                .iter()
                .map(|(k, v)| (k.to_string(), fill(v, &names)))
                .collect();
            let pairs: Vec<(&str, &str)> =
                form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let before = match row.effect {
                Changes(sql) => Some(scalar(&app, &fill(sql, &names)).await),
                _ => None,
            };
            let reply = visitor.call(row.endpoint, &pairs).await;
            let after = match row.effect {
                Changes(sql) => Some(scalar(&app, &fill(sql, &names)).await),
                _ => None,
            };
            let endpoint = row.endpoint;
            if row.allowed.contains(who) {
                assert!(
                    reply.status.is_success() || reply.status.is_redirection(),
                    "{who:?} should get {endpoint} through: {} {}",
                    reply.status,
                    reply.body
                );
                match row.effect {
                    Shows(text) => {
                        let text = fill(text, &names);
                        assert!(
                            reply.body.to_string().contains(&text),
                            "{who:?}: {endpoint} should show {text:?}: {}",
                            reply.body
                        );
                    }
                    Answers => {}
                    Changes(sql) => assert_ne!(
                        before, after,
                        "{who:?}: {endpoint} answered {} but changed nothing ({sql})",
                        reply.status
                    ),
                    Then(next, text) => {
                        let next = visitor.call(next, &[]).await;
                        assert!(
                            next.body.to_string().contains(text),
                            "{who:?}: after {endpoint}, {} should show {text:?}",
                            next.body
                        );
                    }
                }
            } else {
                let expected = if *who == Who::Anonymous { 401 } else { 403 };
                assert_eq!(
                    reply.status.as_u16(),
                    expected,
                    "{who:?} must be refused {endpoint}: {}",
                    reply.body
                );
                assert_eq!(
                    before, after,
                    "{who:?} was refused {endpoint} but it changed"
                );
            }
        }
    }
}

/// `text` with every `{name}` replaced.
fn fill(text: &str, names: &HashMap<&'static str, String>) -> String {
    names.iter().fold(text.to_string(), |t, (k, v)| {
        t.replace(&format!("{{{k}}}"), v)
    })
}

/// The first column of the first row, whatever its type.
async fn scalar(app: &TestApp, sql: &str) -> String {
    use sqlx::Row;
    let Some(row) = sqlx::query(sql)
        .fetch_optional(&app.db.pool)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
    else {
        return "no row".into();
    };
    let value = match row.try_get::<Option<i64>, _>(0) {
        Ok(v) => v.map(|v| v.to_string()),
        Err(_) => row.get::<Option<String>, _>(0),
    };
    value.unwrap_or_else(|| "NULL".into())
}

async fn exec(app: &TestApp, sql: &str) {
    sqlx::query(sql)
        .execute(&app.db.pool)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

async fn prepare(
    app: &TestApp,
    visitor: &Visitor,
    before: Before,
    names: &HashMap<&'static str, String>,
) {
    let token_hash = || app::accounts::secrets::token_hash(&names["token"]);
    match before {
        Before::Nothing => {}
        Before::Call(endpoint, form) => {
            let form: Vec<(&str, String)> =
                form.iter().map(|(k, v)| (*k, fill(v, names))).collect();
            let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            visitor.call(endpoint, &pairs).await;
        }
        Before::SqlForAnyone(sql) => {
            for sql in sql {
                exec(app, &fill(sql, names)).await;
            }
        }
        Before::Sql(sql) => {
            if names["me"] != "0" {
                for sql in sql {
                    exec(app, &fill(sql, names)).await;
                }
            }
        }
        Before::ResetToken => {
            let target: i64 = names["target"].parse().unwrap();
            app::accounts::store::create_reset(&app.db, target, &token_hash())
                .await
                .unwrap();
        }
        Before::InvitationToken => {
            exec(
                app,
                &fill(
                    &format!(
                        "INSERT INTO organization_joins (organization_id, kind, status, email, token_hash, created_at) \
                         VALUES ({{organization}}, 'invitation', 'pending', 'inv-{{unique}}@example.org', '{}', 0)",
                        token_hash()
                    ),
                    names,
                ),
            )
            .await;
        }
        Before::ThemeInvitationToken => {
            exec(
                app,
                &fill(
                    &format!(
                        "INSERT INTO theme_invitations (process_id, organization_id, token_hash, sent_at) \
                         SELECT {{process}}, {{organization}}, '{}', 0 WHERE NOT EXISTS \
                         (SELECT 1 FROM theme_invitations WHERE process_id = {{process}} \
                          AND organization_id = {{organization}} AND roundtable_id IS NULL)",
                        token_hash()
                    ),
                    names,
                ),
            )
            .await;
            exec(
                app,
                &fill(
                    &format!(
                        "UPDATE theme_invitations SET token_hash = '{}', registered_at = NULL, \
                         registered_by = NULL WHERE process_id = {{process}} AND organization_id = {{organization}} \
                         AND roundtable_id IS NULL",
                        token_hash()
                    ),
                    names,
                ),
            )
            .await;
        }
        Before::ConfirmToken => {
            if let Some(me) = names.get("me").filter(|me| *me != "0") {
                let email = format!("nuevo-{}@example.org", names["unique"]);
                let made = app::accounts::store::create_confirmation(
                    &app.db,
                    me.parse().unwrap(),
                    &email,
                    &token_hash(),
                )
                .await
                .unwrap();
                assert!(made);
            }
        }
    }
}

/// A process with everything the table acts on, for one role to play in:
/// proposals in each routing state, a roundtable with a board, notes and a
/// vote, a draft sheet and one in its comment period with a comment.
async fn world(app: &TestApp, who: Who) -> HashMap<&'static str, String> {
    let tag = format!("{who:?}").to_lowercase();
    let mut w: HashMap<&'static str, String> = HashMap::new();
    let id = |sql: String| async move { app.count(&sql).await.to_string() };
    w.insert("tag", tag.clone());
    w.insert("today", day(0));
    w.insert("future", "2999-12-31".into());

    let target_email = format!("target-{tag}@example.org");
    let target = app.participant("Target", &target_email).await;
    w.insert(
        "target",
        id(format!(
            "SELECT id FROM users WHERE email = '{target_email}'"
        ))
        .await,
    );
    w.insert("target_email", target_email);
    app.participant("Otra", &format!("other-{tag}@example.org"))
        .await;
    w.insert("other_email", format!("other-{tag}@example.org"));
    w.insert(
        "other",
        id(format!(
            "SELECT id FROM users WHERE email = 'other-{tag}@example.org'"
        ))
        .await,
    );
    for (name, key) in [
        (format!("Área {tag}"), "agency"),
        (format!("Otra área {tag}"), "agency2"),
    ] {
        exec(
            app,
            &format!(
                "INSERT INTO agencies (name, description, created_at) VALUES ('{name}', '', 0)"
            ),
        )
        .await;
        w.insert(
            key,
            id(format!("SELECT id FROM agencies WHERE name = '{name}'")).await,
        );
    }

    let (slug, axes) = app
        .open_process(&format!("Proceso {tag}"), &[&format!("Eje {tag}")])
        .await;
    w.insert(
        "process",
        id(format!("SELECT id FROM processes WHERE slug = '{slug}'")).await,
    );
    w.insert("slug", slug.clone());
    w.insert("axis", axes[0].to_string());
    // The stage dates `open_process` gives, as the change form carries them.
    let later = day(11);
    w.insert("intake_start", day(-3));
    w.insert("intake_end", day(10));
    for field in [
        "feasibility_start",
        "feasibility_end",
        "roundtables_start",
        "roundtables_end",
        "drafting_start",
        "drafting_end",
        "comment_start",
        "comment_end",
    ] {
        w.insert(field, later.clone());
    }
    w.insert("monitoring_start", later);
    w.insert("monitoring_end", day(400));
    w.insert("in_five_days", day(5));
    // The next co-creation instance, where proposals are carried over.
    let (next, next_axes) = app
        .open_process(
            &format!("Segunda instancia {tag}"),
            &[&format!("Eje nuevo {tag}")],
        )
        .await;
    w.insert("next", next);
    w.insert("next_axis", next_axes[0].to_string());
    let author = app
        .participant("Autora", &format!("autora-{tag}@example.org"))
        .await;
    for (title, key) in [
        ("Mapa", "proposal"),
        ("Propuesta denunciada", "reported"),
        ("Sin asignar", "unassigned"),
        ("Para reasignar", "to_reassign"),
        ("Respondida", "answered"),
    ] {
        let p = author.submit_proposal(&slug, title, axes[0], &[]).await;
        w.insert(key, p.to_string());
    }
    let agency = w["agency"].clone();
    let assign = |proposal: &str, extra: &str| {
        format!(
            "INSERT INTO feasibility_assignments (proposal_id, agency_id, due_on, assigned_at{}) \
             VALUES ({proposal}, {agency}, '2999-01-01', 0{extra})",
            if extra.is_empty() {
                ""
            } else {
                ", status, verdict, willing, public_answer, answered_at"
            },
        )
    };
    exec(app, &assign(&w["proposal"], "")).await;
    exec(app, &assign(&w["to_reassign"], "")).await;
    w.insert(
        "assignment",
        id("SELECT MAX(id) FROM feasibility_assignments".into()).await,
    );
    exec(
        app,
        &assign(&w["answered"], ", 'answered', 'feasible', 1, 'Sí', 0"),
    )
    .await;
    author
        .call(
            "post_comment",
            &[
                ("kind", "proposal"),
                ("subject_id", &w["proposal"]),
                ("body", "Primer comentario"),
            ],
        )
        .await
        .ok();
    target
        .call(
            "report",
            &[
                ("kind", "proposal"),
                ("id", &w["reported"]),
                ("reason", "spam"),
            ],
        )
        .await
        .ok();

    let process = w["process"].clone();
    for (title, key) in [
        (format!("Mesa {tag}"), "roundtable"),
        (format!("Mesa sin votación {tag}"), "roundtable2"),
    ] {
        exec(app, &format!(
            "INSERT INTO roundtables (process_id, title, starts_at, utc_offset_minutes, duration_minutes, video_url, capacity, created_at) \
             VALUES ({process}, '{title}', 32503680000, -180, 90, 'https://meet.example.org/x', 100, 0)"
        )).await;
        w.insert(
            key,
            id(format!(
                "SELECT id FROM roundtables WHERE title = '{title}'"
            ))
            .await,
        );
    }
    target
        .call("register_roundtable", &[("id", &w["roundtable"])])
        .await
        .ok();
    let roundtable = w["roundtable"].clone();
    exec(
        app,
        &format!("INSERT INTO boards (roundtable_id, number) VALUES ({roundtable}, 1)"),
    )
    .await;
    let board = id(format!(
        "SELECT id FROM boards WHERE roundtable_id = {roundtable}"
    ))
    .await;
    for (title, key) in [("Preguntas", "column"), ("Vacía", "empty_column")] {
        exec(app, &format!("INSERT INTO board_columns (board_id, title, position) VALUES ({board}, '{title}', 0)")).await;
        w.insert(
            key,
            id(format!(
                "SELECT MAX(id) FROM board_columns WHERE board_id = {board}"
            ))
            .await,
        );
    }
    for key in ["note", "note2"] {
        exec(app, &format!(
            "INSERT INTO board_notes (board_id, column_id, author_id, body, created_at, updated_at) \
             VALUES ({board}, {}, {}, 'Nota {tag}', 0, 0)",
            w["column"], w["target"]
        )).await;
        w.insert(key, id("SELECT MAX(id) FROM board_notes".into()).await);
    }
    exec(
        app,
        &format!(
            "INSERT INTO board_clusters (board_id, label, created_at) VALUES ({board}, 'Grupo', 0)"
        ),
    )
    .await;
    w.insert(
        "cluster",
        id(format!(
            "SELECT MAX(id) FROM board_clusters WHERE board_id = {board}"
        ))
        .await,
    );
    w.insert("board", board);
    exec(app, &format!(
        "INSERT INTO topic_votes (roundtable_id, per_person, show_live, opened_at) VALUES ({roundtable}, 100, 1, 0)"
    )).await;
    exec(app, &format!(
        "INSERT INTO vote_options (vote_id, label, position) SELECT id, 'Tema {tag}', 0 FROM topic_votes WHERE roundtable_id = {roundtable}"
    )).await;
    w.insert(
        "option",
        id("SELECT MAX(id) FROM vote_options".into()).await,
    );

    for (title, key, code) in [
        (format!("Ficha {tag}"), "commitment", "BORR"),
        ("Ficha en consulta".to_string(), "consulted", "CONS"),
    ] {
        exec(app, &format!(
            "INSERT INTO commitments (process_id, roundtable_id, code, current_version, created_at) \
             VALUES ({process}, {roundtable}, '{code}{tag}', 1, 0)"
        )).await;
        let c = id(format!(
            "SELECT id FROM commitments WHERE code = '{code}{tag}'"
        ))
        .await;
        exec(app, &format!(
            "INSERT INTO commitment_versions (commitment_id, number, sheet, created_at) \
             VALUES ({c}, 1, '{{\"title\":\"{title}\",\"milestones\":[{{\"key\":\"m1\",\"title\":\"Hito\",\"output\":\"\",\"starts_on\":\"\",\"ends_on\":\"\",\"responsible\":\"\"}}]}}', 0)"
        )).await;
        w.insert(key, c);
    }
    // A final sheet from a roundtable where the agency presented, its
    // milestone overdue, with an update the agency filed, waiting for the team.
    exec(
        app,
        &format!(
            "INSERT INTO roundtables (process_id, title, starts_at, utc_offset_minutes, duration_minutes, video_url, capacity, created_at) \
             VALUES ({process}, 'Mesa pasada {tag}', 0, -180, 90, '', 10, 0)"
        ),
    )
    .await;
    let past = id(format!(
        "SELECT id FROM roundtables WHERE title = 'Mesa pasada {tag}'"
    ))
    .await;
    exec(
        app,
        &format!(
            "INSERT INTO roundtable_agencies (roundtable_id, agency_id) VALUES ({past}, {})",
            w["agency"]
        ),
    )
    .await;
    exec(
        app,
        &format!(
            "INSERT INTO commitments (process_id, roundtable_id, code, state, current_version, created_at) \
             VALUES ({process}, {past}, 'FIN{tag}', 'final', 1, 0)"
        ),
    )
    .await;
    let done = id(format!(
        "SELECT id FROM commitments WHERE code = 'FIN{tag}'"
    ))
    .await;
    exec(
        app,
        &format!(
            "INSERT INTO commitment_versions (commitment_id, number, sheet, created_at) \
             VALUES ({done}, 1, '{{\"title\":\"Ficha final {tag}\",\"milestones\":[{{\"key\":\"m1\",\"title\":\"Hito\",\"output\":\"\",\"starts_on\":\"\",\"ends_on\":\"2000-01-01\",\"responsible\":\"\"}}]}}', 0)"
        ),
    )
    .await;
    exec(
        app,
        &format!(
            "INSERT INTO milestone_updates (commitment_id, milestone_key, progress, narrative, created_at) \
             VALUES ({done}, 'm1', 'limited', 'Avance', 0)"
        ),
    )
    .await;
    w.insert(
        "update",
        id("SELECT MAX(id) FROM milestone_updates".into()).await,
    );
    w.insert("final", done);
    // An organization, endorsing the plan.
    exec(
        app,
        &format!("INSERT INTO organizations (name, sector, created_at) VALUES ('Org {tag}', 'academia', 0)"),
    )
    .await;
    let organization = id(format!(
        "SELECT id FROM organizations WHERE name = 'Org {tag}'"
    ))
    .await;
    exec(
        app,
        &format!(
            "INSERT INTO endorsements (process_id, organization_id, person, role, endorsed_at) \
             VALUES ({process}, {organization}, 'Ana', 'Directora', 0)"
        ),
    )
    .await;
    // The process's survey, with one question, sent to nobody yet.
    exec(
        app,
        &format!(
            "INSERT INTO surveys (process_id, intro, closes_on, created_at) \
             VALUES ({process}, '', '2999-12-31', 0)"
        ),
    )
    .await;
    let survey = id(format!(
        "SELECT id FROM surveys WHERE process_id = {process}"
    ))
    .await;
    exec(
        app,
        &format!(
            "INSERT INTO survey_questions (survey_id, position, kind, prompt) \
             VALUES ({survey}, 1, 'short', 'Pregunta {tag}')"
        ),
    )
    .await;
    w.insert(
        "question",
        id(format!(
            "SELECT id FROM survey_questions WHERE survey_id = {survey}"
        ))
        .await,
    );
    w.insert("survey", survey);
    w.insert("organization", organization);
    // The process's monitoring body, one member.
    let evaluator_email = format!("evaluadora-{tag}@example.org");
    app.participant(&format!("Evaluadora {tag}"), &evaluator_email)
        .await;
    let evaluator = id(format!(
        "SELECT id FROM users WHERE email = '{evaluator_email}'"
    ))
    .await;
    exec(
        app,
        &format!(
            "INSERT INTO process_evaluators (process_id, user_id, body, appointed_at) \
             VALUES ({process}, {evaluator}, 'Universidad', 0)"
        ),
    )
    .await;
    w.insert("evaluator", evaluator);
    let team = app
        .user_with_role("facilitator", &format!("equipo-{tag}@example.org"))
        .await;
    let future = w["future"].clone();
    team.call(
        "publish_for_comment",
        &[
            ("id", &w["consulted"]),
            ("opens_on", &day(0)),
            ("closes_on", &future),
        ],
    )
    .await
    .ok();
    target
        .call(
            "post_comment",
            &[
                ("kind", "commitment"),
                ("subject_id", &w["consulted"]),
                ("body", "Comentario a la ficha"),
                ("anchor", "title"),
            ],
        )
        .await
        .ok();
    w.insert(
        "sheet_comment",
        id("SELECT MAX(id) FROM comments WHERE subject_kind = 'commitment'".into()).await,
    );
    w
}

/// A new visitor playing `who` (an agency member of the world's agency), and
/// for a signed-in one their id and address.
async fn visitor_as(
    app: &TestApp,
    who: Who,
    n: usize,
    world: &HashMap<&'static str, String>,
) -> (Visitor, Option<(String, String)>) {
    let email = format!("{who:?}{n}@example.org").to_lowercase();
    let visitor = match who {
        Who::Anonymous => return (app.visitor(), None),
        Who::Participant => app.participant("P", &email).await,
        Who::AgencyMember => {
            let v = app.participant("A", &email).await;
            sqlx::query("INSERT INTO agency_members (user_id, agency_id) SELECT id, $1 FROM users WHERE email = $2")
                .bind(world["agency"].parse::<i64>().unwrap())
                .bind(&email)
                .execute(&app.db.pool)
                .await
                .unwrap();
            v
        }
        Who::Evaluator => {
            let v = app.participant("E", &email).await;
            sqlx::query(
                "INSERT INTO process_evaluators (process_id, user_id, body, appointed_at) \
                 SELECT $1, id, 'Universidad', 0 FROM users WHERE email = $2",
            )
            .bind(world["process"].parse::<i64>().unwrap())
            .bind(&email)
            .execute(&app.db.pool)
            .await
            .unwrap();
            v
        }
        Who::Facilitator => app.user_with_role("facilitator", &email).await,
        Who::Admin => app.user_with_role("admin", &email).await,
    };
    let id = app
        .count(&format!("SELECT id FROM users WHERE email = '{email}'"))
        .await
        .to_string();
    (visitor, Some((id, email)))
}
