//! The independent monitoring body: the team appoints it per process; its
//! members read everything of their process (private notes, held answers,
//! drafts) and of no other, download it whole as a zip of CSV and JSON with no
//! email address in it, write nothing but their evaluation, and publish it on
//! the IRM's scales — then it shows on the sheet, its monitoring page and the
//! tracking panel.
use crate::monitoring::final_commitment;
use crate::roundtables::fixture;
use reqwest::StatusCode;
use tests::{emails_in, on_both_engines, TestApp, Visitor};

on_both_engines!(the_monitoring_body_reads_everything_of_its_process_and_publishes_its_evaluation);

/// The zip's files as (name, text), read by Python's `zipfile`.
fn unzip(app: &TestApp, bytes: &[u8]) -> Vec<(String, String)> {
    let path = app.dir().join("evaluation.zip");
    std::fs::write(&path, bytes).unwrap();
    let out = std::process::Command::new("python3")
        .args([
            "-c",
            "import sys, zipfile, json\n\
             z = zipfile.ZipFile(sys.argv[1])\n\
             assert z.testzip() is None\n\
             print(json.dumps([[n, z.read(n).decode('utf-8')] for n in z.namelist()]))",
            path.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

async fn zip_status(who: &Visitor, slug: &str) -> StatusCode {
    who.get_status(&format!("/processes/{slug}/evaluation.zip"))
        .await
}

async fn the_monitoring_body_reads_everything_of_its_process_and_publishes_its_evaluation(
    app: TestApp,
) {
    let f = fixture(&app).await;
    let (id, _) = final_commitment(&app, &f).await;
    let roundtable = app
        .count("SELECT roundtable_id FROM commitments LIMIT 1")
        .await
        .to_string();
    // Private things: a note not yet revealed, the agency's internal notes, a draft.
    for sql in [
        "UPDATE board_notes SET revealed = 0 WHERE body = 'Nadie sabe qué árboles hay.'",
        "UPDATE feasibility_assignments SET private_notes = 'Nota interna del área'",
    ] {
        sqlx::query(sql).execute(&app.db.pool).await.unwrap();
    }
    crate::commitments::create(&f, &roundtable, "borr0001")
        .await
        .ok();
    let draft = app
        .count("SELECT MAX(id) FROM commitments")
        .await
        .to_string();

    // The team appoints; nobody else can, and only an existing account.
    let eva = app.participant("Eva", "eva@universidad.example.org").await;
    let appoint = |email: &'static str| {
        let slug = f.slug.clone();
        move |who: Visitor| async move {
            who.call(
                "appoint_evaluator",
                &[
                    ("slug", &slug),
                    ("email", email),
                    ("body", "Universidad del Sur"),
                ],
            )
            .await
        }
    };
    assert_eq!(
        appoint("eva@universidad.example.org")(eva.clone())
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        appoint("nadie@example.org")(f.team.clone())
            .await
            .field_error("email")
            .as_deref(),
        Some("evaluation.no_account")
    );
    appoint("eva@universidad.example.org")(f.team.clone())
        .await
        .ok();
    // Her session knows it at once (read with her memberships in one query).
    assert_eq!(
        eva.call("whoami", &[]).await.ok()["evaluator_of"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );

    // Eva reads the draft; a resident does not.
    let resident = app.participant("Vecina", "vecina@example.org").await;
    assert_eq!(
        eva.call("commitment", &[("id", &draft)]).await.status,
        StatusCode::OK
    );
    assert_eq!(
        resident.call("commitment", &[("id", &draft)]).await.status,
        StatusCode::FORBIDDEN
    );

    // The whole process, zipped: private things in, no email anywhere.
    for (who, status) in [
        (&app.visitor(), StatusCode::UNAUTHORIZED),
        (&resident, StatusCode::FORBIDDEN),
        (&f.member, StatusCode::FORBIDDEN),
    ] {
        assert_eq!(zip_status(who, &f.slug).await, status);
    }
    let files = unzip(
        &app,
        &eva.bytes(&format!("/processes/{}/evaluation.zip", f.slug))
            .await,
    );
    let file = |name: &str| {
        files
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| {
                panic!(
                    "{name} in {:?}",
                    files.iter().map(|f| &f.0).collect::<Vec<_>>()
                )
            })
            .1
            .clone()
    };
    assert!(file("notas_tableros.csv").contains("Nadie sabe qué árboles hay."));
    assert!(file("derivaciones.csv").contains("Nota interna del área"));
    assert!(file("compromisos.csv").contains("BORR0001"));
    let proposals: serde_json::Value = serde_json::from_str(&file("propuestas.json")).unwrap();
    assert_eq!(proposals.as_array().unwrap().len(), 2);
    assert!(file("LEEME.txt").contains("Plan con mesas"));
    for (name, text) in &files {
        assert!(emails_in(text).is_empty(), "{name}: {:?}", emails_in(text));
    }
    // The team downloads it too; the body of another process does not.
    assert_eq!(zip_status(&f.team, &f.slug).await, StatusCode::OK);
    let (other, _) = app.open_process("Otro plan", &["Datos"]).await;
    let olga = app.participant("Olga", "olga@example.org").await;
    f.team
        .call(
            "appoint_evaluator",
            &[
                ("slug", &other),
                ("email", "olga@example.org"),
                ("body", "Otra universidad"),
            ],
        )
        .await
        .ok();
    assert_eq!(zip_status(&olga, &f.slug).await, StatusCode::FORBIDDEN);
    assert_eq!(zip_status(&olga, &other).await, StatusCode::OK);
    assert_eq!(
        olga.call("commitment", &[("id", &draft)]).await.status,
        StatusCode::FORBIDDEN
    );

    // Eva writes nothing but her evaluation.
    let first_update = [("id", id.as_str()), ("decision", "publish"), ("reason", "")];
    for (endpoint, form) in [
        ("publish_final", vec![("id", draft.as_str())]),
        ("review_update", first_update.to_vec()),
        ("assign_proposals", vec![("slug", f.slug.as_str())]),
    ] {
        let status = eva.call(endpoint, &form).await.status;
        assert!(
            status == StatusCode::FORBIDDEN || status == StatusCode::BAD_REQUEST,
            "{endpoint}: {status}"
        );
    }
    let evaluate = |publish: bool, reasoning: &'static str, completion: &'static str| {
        let id = id.clone();
        move |who: Visitor| async move {
            let mut form = vec![
                ("id", id.as_str()),
                ("verifiable", "yes"),
                ("potential", "substantial"),
                ("completion", completion),
                ("opened_government", "major"),
                ("reasoning", reasoning),
            ];
            if publish {
                form.push(("publish", "1"));
            }
            who.call("evaluate_commitment", &form).await
        }
    };
    assert_eq!(
        evaluate(true, "x", "limited")(f.team.clone()).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        evaluate(true, "x", "limited")(olga.clone()).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        evaluate(true, "x", "done")(eva.clone())
            .await
            .field_error("completion")
            .as_deref(),
        Some("validation.choice")
    );
    assert_eq!(
        evaluate(true, " ", "limited")(eva.clone())
            .await
            .field_error("reasoning")
            .as_deref(),
        Some("validation.required")
    );
    // Only a final sheet is evaluated: the draft is not found to evaluate.
    let on_draft = eva
        .call(
            "evaluate_commitment",
            &[
                ("id", draft.as_str()),
                ("verifiable", "yes"),
                ("potential", "substantial"),
                ("completion", "limited"),
                ("opened_government", "major"),
                ("reasoning", "x"),
            ],
        )
        .await;
    assert_eq!(on_draft.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM commitment_evaluations")
            .await,
        0
    );
    // A draft stays Eva's.
    evaluate(false, "Borrador de la evaluación.", "limited")(eva.clone())
        .await
        .ok();
    let public = app.visitor();
    let seen = public
        .call("commitment_evaluation", &[("id", &id)])
        .await
        .ok()
        .clone();
    assert!(seen["evaluation"].is_null());
    let mine = eva
        .call("commitment_evaluation", &[("id", &id)])
        .await
        .ok()
        .clone();
    assert_eq!(
        mine["evaluation"]["reasoning"],
        "Borrador de la evaluación."
    );
    assert_eq!(mine["can_evaluate"], true);

    // Published: on the sheet, its monitoring page and the panel.
    let reasoning = "Los hitos tienen productos verificables; el censo ya es público.";
    evaluate(true, reasoning, "substantial")(eva.clone())
        .await
        .ok();
    let seen = public
        .call("commitment_evaluation", &[("id", &id)])
        .await
        .ok()
        .clone();
    assert_eq!(seen["evaluation"]["reasoning"], reasoning);
    assert_eq!(seen["evaluation"]["body"], "Universidad del Sur");
    assert_eq!(seen["can_evaluate"], false);
    for path in [
        format!("/commitments/{id}"),
        format!("/commitments/{id}/monitoring"),
    ] {
        let (_, page) = public.get(&path).await;
        assert!(page.contains(reasoning), "{path}");
    }
    let panel = public
        .call("tracking_panel", &[("slug", &f.slug), ("status", "")])
        .await
        .ok()
        .clone();
    let card = panel["columns"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c[1].as_array().unwrap().clone())
        .find(|c| c["id"].to_string() == id)
        .unwrap();
    assert_eq!(
        card["evaluation"],
        serde_json::json!(["substantial", "major", "Universidad del Sur"])
    );

    // Removed from the body, Eva reads no more.
    let eva_id = app
        .count("SELECT id FROM users WHERE email = 'eva@universidad.example.org'")
        .await
        .to_string();
    f.team
        .call(
            "remove_evaluator",
            &[("slug", &f.slug), ("user_id", &eva_id)],
        )
        .await
        .ok();
    assert_eq!(zip_status(&eva, &f.slug).await, StatusCode::FORBIDDEN);
    assert_eq!(
        eva.call("commitment", &[("id", &draft)]).await.status,
        StatusCode::FORBIDDEN
    );
}
