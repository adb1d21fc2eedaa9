//! The personalized call's survey: the team writes it and sends it to chosen
//! organizations; only a member of an invited organization answers, once per
//! organization, editable until the survey closes; the team reads the answers
//! and downloads them as CSV; an answer about axes updates the organization's
//! interests.
use tests::{day, on_both_engines, TestApp, Visitor};

on_both_engines!(invited_organizations_answer_once_until_the_survey_closes);

/// An organization registered by `rep` and approved by `team`; its id.
pub async fn approved_organization(
    app: &TestApp,
    team: &Visitor,
    rep: &Visitor,
    name: &str,
    sector: &str,
    contact: &str,
    axes: &[i64],
) -> String {
    let axes: Vec<String> = axes.iter().map(i64::to_string).collect();
    let mut form = vec![
        ("name", name),
        ("sector", sector),
        ("territory", ""),
        ("website", ""),
        ("description", ""),
        ("contact_email", contact),
    ];
    form.extend(axes.iter().map(|a| ("axis_ids[]", a.as_str())));
    rep.call("register_organization", &form).await.ok();
    let id = app
        .count(&format!(
            "SELECT id FROM organizations WHERE name = '{name}'"
        ))
        .await
        .to_string();
    team.call("approve_organization", &[("organization_id", &id)])
        .await
        .ok();
    id
}

async fn invited_organizations_answer_once_until_the_survey_closes(app: TestApp) {
    let (slug, axes) = app
        .open_process("Plan 2025", &["Datos abiertos", "Ambiente"])
        .await;
    let team = app
        .user_with_role("facilitator", "equipo@example.org")
        .await;
    let rep = app.participant("Renata Paz", "renata@example.org").await;
    let other = app.participant("Omar Gil", "omar@example.org").await;
    let acij = approved_organization(
        &app,
        &team,
        &rep,
        "ACIJ",
        "civil_society",
        "c@acij.example",
        &[],
    )
    .await;
    let huesped = approved_organization(
        &app,
        &team,
        &other,
        "Huésped",
        "civil_society",
        "c@h.example",
        &[],
    )
    .await;

    // Only the team writes the survey.
    let settings = [
        ("slug", slug.as_str()),
        ("intro", "Contanos de tu organización."),
        ("closes_on", &day(10)),
    ];
    assert_eq!(rep.call("save_survey", &settings).await.status, 403);
    assert_eq!(
        app.visitor().call("save_survey", &settings).await.status,
        401
    );
    let add = |kind: &'static str, prompt: &'static str, options: &'static str, required: bool| {
        let slug = slug.clone();
        let team = team.clone();
        async move {
            let mut form = vec![
                ("slug", slug.as_str()),
                ("kind", kind),
                ("prompt", prompt),
                ("options", options),
            ];
            if required {
                form.push(("required", "on"));
            }
            team.call("add_survey_question", &form).await
        }
    };
    assert_eq!(
        add("short", "¿Quién responde?", "", true)
            .await
            .refused_key()
            .as_deref(),
        Some("survey.write_first")
    );
    team.call("save_survey", &settings).await.ok();
    add("short", "¿Quién responde?", "", true).await.ok();
    add("one", "¿Tamaño?", "Chica\nMediana\nGrande", false)
        .await
        .ok();
    add("axes", "¿En qué ejes trabajan?", "", false).await.ok();
    assert_eq!(
        add("many", "¿Cuáles?", "Sola", false)
            .await
            .field_error("options")
            .as_deref(),
        Some("survey.options_needed")
    );
    assert_eq!(
        add("essay", "¿Qué?", "", false)
            .await
            .field_error("kind")
            .as_deref(),
        Some("validation.choice")
    );
    let desk = |page: &'static str| {
        let (team, slug) = (team.clone(), slug.clone());
        async move {
            team.call(
                "survey_desk",
                &[
                    ("slug", slug.as_str()),
                    ("sector", ""),
                    ("axis", "0"),
                    ("page", page),
                    ("sent_page", "1"),
                ],
            )
            .await
            .ok()
            .clone()
        }
    };
    let d = desk("1").await;
    let questions = d["questions"].as_array().unwrap().clone();
    assert_eq!(questions.len(), 3);
    let q: Vec<String> = questions
        .iter()
        .map(|q| format!("answers[q{}][]", q["id"]))
        .collect();
    let survey = d["survey"]["id"].as_i64().unwrap().to_string();
    assert_eq!(d["candidates"]["total"], 2);
    assert_eq!(
        rep.call(
            "survey_desk",
            &[
                ("slug", slug.as_str()),
                ("sector", ""),
                ("axis", "0"),
                ("page", "1"),
                ("sent_page", "1")
            ]
        )
        .await
        .status,
        403
    );

    // Sent to ACIJ only: its representative is told, its contact gets a mail.
    assert_eq!(
        rep.call(
            "send_survey",
            &[("slug", slug.as_str()), ("organization_ids[]", &acij)]
        )
        .await
        .status,
        403
    );
    let sent = team
        .call(
            "send_survey",
            &[("slug", slug.as_str()), ("organization_ids[]", &acij)],
        )
        .await;
    assert_eq!(sent.ok(), 1);
    let again = team
        .call(
            "send_survey",
            &[("slug", slug.as_str()), ("organization_ids[]", &acij)],
        )
        .await;
    assert_eq!(again.ok(), 0);
    assert_eq!(
        add("long", "¿Algo más?", "", false)
            .await
            .refused_key()
            .as_deref(),
        Some("survey.already_sent")
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE to_addr = 'c@acij.example'")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE to_addr = 'c@h.example'")
            .await,
        0
    );
    let notices = rep
        .call("notifications", &[("page", "1")])
        .await
        .ok()
        .to_string();
    assert!(notices.contains("SurveySent"), "{notices}");

    // Only an invited organization's member answers, with valid answers.
    let datos = axes[0].to_string();
    let answer =
        |who: Visitor, org: String, name: &'static str, size: &'static str, axis: String| {
            let (survey, q) = (survey.clone(), q.clone());
            async move {
                let form = vec![
                    ("id", survey.as_str()),
                    ("organization_id", org.as_str()),
                    (q[0].as_str(), name),
                    (q[1].as_str(), size),
                    (q[2].as_str(), axis.as_str()),
                    ("update_interests", "on"),
                ];
                who.call("answer_survey", &form).await
            }
        };
    assert_eq!(
        answer(app.visitor(), acij.clone(), "X", "Chica", datos.clone())
            .await
            .status,
        401
    );
    assert_eq!(
        answer(other.clone(), huesped.clone(), "X", "Chica", datos.clone())
            .await
            .status,
        403
    );
    assert_eq!(
        answer(other.clone(), acij.clone(), "X", "Chica", datos.clone())
            .await
            .status,
        403
    );
    let r = answer(rep.clone(), acij.clone(), " ", "Enorme", "999999".into()).await;
    assert_eq!(
        r.field_error(&format!("q{}", questions[0]["id"]))
            .as_deref(),
        Some("validation.required")
    );
    assert_eq!(
        r.field_error(&format!("q{}", questions[1]["id"]))
            .as_deref(),
        Some("validation.choice")
    );
    assert_eq!(
        r.field_error(&format!("q{}", questions[2]["id"]))
            .as_deref(),
        Some("validation.choice")
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM survey_responses").await, 0);
    answer(rep.clone(), acij.clone(), "Renata", "Chica", datos.clone())
        .await
        .ok();
    answer(
        rep.clone(),
        acij.clone(),
        "Renata Paz",
        "Mediana",
        datos.clone(),
    )
    .await
    .ok();
    assert_eq!(app.count("SELECT COUNT(*) FROM survey_responses").await, 1);
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM directory_interests WHERE organization_id = {acij} AND axis_id = {datos}")).await,
        1
    );
    let form = rep
        .call("survey_form", &[("id", survey.as_str())])
        .await
        .ok()
        .clone();
    assert_eq!(form["organizations"][0]["name"], "ACIJ");
    assert!(form["organizations"][0]["answers"]
        .to_string()
        .contains("Renata Paz"));

    // The team reads them, and downloads them as CSV; nobody else does.
    let read = team
        .call("survey_answers", &[("id", survey.as_str()), ("page", "1")])
        .await
        .ok()
        .clone();
    assert_eq!(read["responses"]["total"], 1);
    assert_eq!(
        read["responses"]["items"][0]["answers"],
        serde_json::json!(["Renata Paz", "Mediana", "Datos abiertos"])
    );
    assert_eq!(
        rep.call("survey_answers", &[("id", survey.as_str()), ("page", "1")])
            .await
            .status,
        403
    );
    let (status, csv) = team.get(&format!("/surveys/{survey}/answers.csv")).await;
    assert_eq!(status, 200);
    assert!(
        csv.contains("¿Quién responde?")
            && csv.contains("ACIJ,Sociedad civil")
            && csv.contains("Renata Paz,Mediana,Datos abiertos"),
        "{csv}"
    );
    assert_eq!(
        rep.get(&format!("/surveys/{survey}/answers.csv")).await.0,
        403
    );
    assert_eq!(
        app.visitor()
            .get(&format!("/surveys/{survey}/answers.csv"))
            .await
            .0,
        401
    );
    let d = desk("1").await;
    assert_eq!(d["answered"], 1);
    assert_eq!(d["recipients"]["items"][0]["answered"], true);

    // Pages: the form for the representative, the desk and answers for the team.
    let (status, page) = rep.get(&format!("/surveys/{survey}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("¿Tamaño?") && page.contains("Renata Paz"));
    let (status, page) = team.get(&format!("/processes/{slug}/survey")).await;
    assert_eq!(status, 200);
    assert!(page.contains("ACIJ"));
    let (status, page) = team.get(&format!("/surveys/{survey}/answers")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Mediana"));

    // Closed: answers are kept and can no longer change.
    team.call(
        "save_survey",
        &[
            ("slug", slug.as_str()),
            ("intro", ""),
            ("closes_on", &day(-1)),
        ],
    )
    .await
    .ok();
    let late = answer(rep.clone(), acij.clone(), "Otra", "Grande", datos.clone()).await;
    assert_eq!(late.refused_key().as_deref(), Some("survey.closed"));
    let read = team
        .call("survey_answers", &[("id", survey.as_str()), ("page", "1")])
        .await
        .ok()
        .clone();
    assert_eq!(read["responses"]["items"][0]["answers"][1], "Mediana");
    assert!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'survey.%'")
            .await
            >= 5
    );
}
