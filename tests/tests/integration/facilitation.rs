//! Running a roundtable (columns, clusters, countdown, phases, candidate topics
//! from board 1) and the record it leaves (attendance, public boards and vote,
//! exports, the process's figures).
use crate::boards::{add, board, column, notes, vote};
use crate::roundtables::{fixture, register, schedule};
use serde_json::Value;
use tests::{on_both_engines, TestApp, Visitor};

on_both_engines!(
    the_team_edits_columns_and_clusters_notes,
    countdown_and_phases_are_shared_and_closing_locks_everything,
    candidate_topics_come_from_clusters_notes_and_typed_lines,
    the_record_is_public_respects_anonymity_and_exports
);

fn titles(b: &Value, number: usize) -> Vec<String> {
    b["boards"][number - 1]["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["title"].as_str().unwrap().to_string())
        .collect()
}

/// The team opens a vote on "Podas" and "Datos", one dot each.
async fn open_vote(team: &Visitor, id: &str) {
    team.call(
        "open_vote",
        &[
            ("roundtable_id", id),
            ("options", "Podas\nDatos"),
            ("per_person", "1"),
        ],
    )
    .await
    .ok();
}

fn board_id(b: &Value, number: usize) -> String {
    b["boards"][number - 1]["id"].to_string()
}

async fn the_team_edits_columns_and_clusters_notes(app: TestApp) {
    let f = fixture(&app).await;
    let id = schedule(&app, &f, "10").await;
    let rita = app.participant("Rita", "rita@example.org").await;
    register(&rita, &id).await;
    let b = board(&rita, &id).await;
    let board1 = board_id(&b, 1);
    let board2 = board_id(&b, 2);
    let questions = column(&b, 1, 1);
    add(&rita, &questions, "¿Incluye plazas?").await.ok();
    let note = board(&rita, &id).await["boards"][0]["notes"][0]["id"].to_string();

    // Participants do not run the board.
    for (endpoint, form) in [
        (
            "add_column",
            vec![("board_id", board1.as_str()), ("title", "X")],
        ),
        (
            "rename_column",
            vec![("column_id", questions.as_str()), ("title", "X")],
        ),
        ("remove_column", vec![("column_id", questions.as_str())]),
        (
            "add_cluster",
            vec![("board_id", board1.as_str()), ("label", "X")],
        ),
        (
            "group_note",
            vec![("note_id", note.as_str()), ("cluster_id", "")],
        ),
    ] {
        assert_eq!(
            rita.call(endpoint, &form).await.status.as_u16(),
            403,
            "{endpoint}"
        );
    }

    // Columns: add, rename; a column with notes is kept; an empty one goes.
    let bad = f
        .team
        .call("add_column", &[("board_id", &board1), ("title", "  ")])
        .await;
    assert_eq!(
        bad.refused_key().as_deref(),
        Some("board.column_title_invalid")
    );
    f.team
        .call(
            "add_column",
            &[("board_id", &board1), ("title", "Dudas legales")],
        )
        .await
        .ok();
    let b = board(&rita, &id).await;
    assert_eq!(
        titles(&b, 1),
        [
            "Arbolado abierto",
            "Preguntas",
            "Otros aportes",
            "Dudas legales"
        ]
    );
    let legal = column(&b, 1, 3);
    f.team
        .call(
            "rename_column",
            &[("column_id", &legal), ("title", "Aspectos legales")],
        )
        .await
        .ok();
    let kept = f
        .team
        .call("remove_column", &[("column_id", &questions)])
        .await;
    assert_eq!(
        kept.refused_key().as_deref(),
        Some("board.column_not_empty")
    );
    assert_eq!(titles(&board(&rita, &id).await, 1)[3], "Aspectos legales");
    f.team
        .call("remove_column", &[("column_id", &legal)])
        .await
        .ok();
    assert_eq!(titles(&board(&rita, &id).await, 1).len(), 3);
    assert_eq!(notes(&board(&rita, &id).await, 1), ["¿Incluye plazas?"]);

    // Clusters: a note joins a cluster of its own board, never another board's.
    f.team
        .call(
            "add_cluster",
            &[("board_id", &board1), ("label", "Alcance")],
        )
        .await
        .ok();
    f.team
        .call(
            "add_cluster",
            &[("board_id", &board2), ("label", "Otro tablero")],
        )
        .await
        .ok();
    let b = board(&rita, &id).await;
    let alcance = b["boards"][0]["clusters"][0]["id"].to_string();
    let elsewhere = b["boards"][1]["clusters"][0]["id"].to_string();
    assert_eq!(b["boards"][0]["clusters"][0]["label"], "Alcance");
    let wrong = f
        .team
        .call(
            "group_note",
            &[("note_id", &note), ("cluster_id", &elsewhere)],
        )
        .await;
    assert_eq!(
        wrong.refused_key().as_deref(),
        Some("board.cluster_other_board")
    );
    f.team
        .call(
            "group_note",
            &[("note_id", &note), ("cluster_id", &alcance)],
        )
        .await
        .ok();
    let b = board(&rita, &id).await;
    assert_eq!(
        b["boards"][0]["notes"][0]["cluster_id"].to_string(),
        alcance
    );
    f.team
        .call("group_note", &[("note_id", &note), ("cluster_id", "")])
        .await
        .ok();
    assert!(board(&rita, &id).await["boards"][0]["notes"][0]["cluster_id"].is_null());
}

async fn countdown_and_phases_are_shared_and_closing_locks_everything(app: TestApp) {
    let f = fixture(&app).await;
    let id = schedule(&app, &f, "10").await;
    let rita = app.participant("Rita", "rita@example.org").await;
    register(&rita, &id).await;
    let b = board(&rita, &id).await;
    assert_eq!(b["phase"], "part_a");
    assert!(b["timer_left"].is_null());
    let timer = |minutes: &'static str| {
        vec![
            ("roundtable_id", id.clone()),
            ("minutes", minutes.to_string()),
        ]
    };
    let call = |who: &Visitor, endpoint: &'static str, form: Vec<(&'static str, String)>| {
        let who = who.clone();
        async move {
            let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            who.call(endpoint, &pairs).await
        }
    };
    assert_eq!(
        call(&rita, "board_timer", timer("5")).await.status.as_u16(),
        403
    );
    for bad in ["0", "181", "cinco"] {
        let r = call(&f.team, "board_timer", timer(bad)).await;
        assert_eq!(
            r.refused_key().as_deref(),
            Some("board.timer_invalid"),
            "{bad}"
        );
    }
    call(&f.team, "board_timer", timer("5")).await.ok();
    // Everyone gets the same time left, counted on the server.
    let left = board(&rita, &id).await["timer_left"].as_i64().unwrap();
    assert!((290..=300).contains(&left), "{left}");
    call(
        &f.team,
        "board_timer",
        vec![("roundtable_id", id.clone()), ("stop", "1".into())],
    )
    .await
    .ok();
    assert!(board(&rita, &id).await["timer_left"].is_null());

    // Part (a) → vote → part (b) → closed; only the team moves it.
    let phase = |p: &'static str| vec![("roundtable_id", id.clone()), ("phase", p.to_string())];
    assert_eq!(
        call(&rita, "roundtable_phase", phase("vote"))
            .await
            .status
            .as_u16(),
        403
    );
    assert_eq!(
        call(&f.team, "roundtable_phase", phase("later"))
            .await
            .status
            .as_u16(),
        400
    );
    open_vote(&f.team, &id).await;
    for p in ["vote", "part_b"] {
        call(&f.team, "roundtable_phase", phase(p)).await.ok();
        assert_eq!(board(&rita, &id).await["phase"], p);
    }
    let option = vote(&rita, &id).await["vote"]["options"][1]["id"].to_string();
    rita.call("cast_dot", &[("option_id", &option)]).await.ok();
    call(&f.team, "board_timer", timer("3")).await.ok();
    call(&f.team, "roundtable_phase", phase("closed"))
        .await
        .ok();
    let b = board(&rita, &id).await;
    assert_eq!(b["phase"], "closed");
    assert_eq!(b["boards"][0]["locked"], true);
    assert_eq!(b["boards"][1]["locked"], true);
    assert!(b["timer_left"].is_null(), "closing stops the countdown");
    let v = vote(&rita, &id).await;
    assert_eq!(v["vote"]["closed"], true);
    assert_eq!(v["chosen_topic"], "Datos");
    let r = add(&rita, &column(&b, 2, 0), "Tarde").await;
    assert_eq!(r.refused_key().as_deref(), Some("board.locked"));
    // The roundtable page says it is closed, and it takes no more registrations.
    let detail = app.visitor().call("roundtable", &[("id", &id)]).await;
    assert_eq!(detail.ok()["phase"], "closed");
    assert_eq!(detail.ok()["finished"], true);
    let late = app.participant("Tarde", "tarde@example.org").await;
    let r = late.call("register_roundtable", &[("id", &id)]).await;
    assert_eq!(r.refused_key().as_deref(), Some("roundtable.finished"));
}

async fn candidate_topics_come_from_clusters_notes_and_typed_lines(app: TestApp) {
    let f = fixture(&app).await;
    let id = schedule(&app, &f, "10").await;
    let rita = app.participant("Rita", "rita@example.org").await;
    register(&rita, &id).await;
    let b = board(&rita, &id).await;
    let board1 = board_id(&b, 1);
    add(&rita, &column(&b, 1, 0), "Publicar el censo de árboles")
        .await
        .ok();
    add(&rita, &column(&b, 2, 0), "Nota del tablero 2")
        .await
        .ok();
    f.team
        .call(
            "add_cluster",
            &[("board_id", &board1), ("label", "Datos del arbolado")],
        )
        .await
        .ok();
    // The team is offered board 1's clusters and visible notes, not board 2's.
    let offered = vote(&f.team, &id).await;
    let clusters = offered["cluster_choices"].as_array().unwrap();
    let notes = offered["note_choices"].as_array().unwrap();
    assert_eq!(clusters.len(), 1);
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0][1], "Publicar el censo de árboles");
    assert!(vote(&rita, &id).await["note_choices"]
        .as_array()
        .unwrap()
        .is_empty());
    let cluster = clusters[0][0].to_string();
    let note = notes[0][0].to_string();
    let too_few = f
        .team
        .call(
            "open_vote",
            &[
                ("roundtable_id", &id),
                ("options", ""),
                ("per_person", "2"),
                ("note_ids[]", &note),
            ],
        )
        .await;
    assert_eq!(
        too_few.field_error("options").as_deref(),
        Some("vote.options_invalid")
    );
    f.team
        .call(
            "open_vote",
            &[
                ("roundtable_id", &id),
                ("options", "Podas"),
                ("per_person", "2"),
                ("cluster_ids[]", &cluster),
                ("note_ids[]", &note),
            ],
        )
        .await
        .ok();
    let labels: Vec<String> = vote(&rita, &id).await["vote"]["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["label"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        labels,
        [
            "Datos del arbolado",
            "Publicar el censo de árboles",
            "Podas"
        ]
    );
}

async fn the_record_is_public_respects_anonymity_and_exports(app: TestApp) {
    let f = fixture(&app).await;
    let id = schedule(&app, &f, "10").await;
    let rita = app.participant("Rita Pública", "rita@example.org").await;
    // She chose to sign her notes (off unless chosen).
    rita.call(
        "save_profile",
        &[
            ("display_name", "Rita Pública"),
            ("locale", "es-AR"),
            ("show_name_on_boards", "on"),
        ],
    )
    .await
    .ok();
    let otro = app.participant("Otro Anónimo", "otro@example.org").await;
    register(&rita, &id).await;
    register(&otro, &id).await;
    let b = board(&rita, &id).await;
    let (board1, board2) = (board_id(&b, 1), board_id(&b, 2));
    let questions = column(&b, 1, 1);
    add(&rita, &questions, "=HYPERLINK(\"x\"), con coma")
        .await
        .ok();
    add(&otro, &questions, "Nota ocultada").await.ok();
    f.team
        .call(
            "board_control",
            &[("board_id", &board2), ("control", "anonymous"), ("on", "1")],
        )
        .await
        .ok();
    add(&otro, &column(&b, 2, 0), "Problema sin firma")
        .await
        .ok();
    f.team
        .call(
            "board_control",
            &[
                ("board_id", &board1),
                ("control", "private_writing"),
                ("on", "1"),
            ],
        )
        .await
        .ok();
    add(&otro, &questions, "Nunca revelada").await.ok();
    let hidden = board(&f.team, &id).await["boards"][0]["notes"][1]["id"].to_string();
    f.team.call("hide_note", &[("note_id", &hidden)]).await.ok();
    open_vote(&f.team, &id).await;
    let option = vote(&rita, &id).await["vote"]["options"][0]["id"].to_string();
    rita.call("cast_dot", &[("option_id", &option)]).await.ok();

    // Attendance: the team only, among the registered people.
    let people = f.team.call("roundtable", &[("id", &id)]).await;
    let attendees = people.ok()["attendance"].as_array().unwrap().clone();
    assert_eq!(attendees.len(), 2);
    assert!(rita.call("roundtable", &[("id", &id)]).await.ok()["attendance"].is_null());
    let rita_id = attendees
        .iter()
        .find(|a| a["name"] == "Rita Pública")
        .unwrap()["user_id"]
        .to_string();
    assert_eq!(
        rita.call(
            "roundtable_attendance",
            &[("id", &id), ("attended[]", &rita_id)]
        )
        .await
        .status
        .as_u16(),
        403
    );
    f.team
        .call(
            "roundtable_attendance",
            &[("id", &id), ("attended[]", &rita_id)],
        )
        .await
        .ok();
    // No record before it is over.
    assert!(app.visitor().call("roundtable", &[("id", &id)]).await.ok()["record"].is_null());
    f.team
        .call(
            "roundtable_phase",
            &[("roundtable_id", &id), ("phase", "closed")],
        )
        .await
        .ok();

    let d = app.visitor().call("roundtable", &[("id", &id)]).await;
    let record = &d.ok()["record"];
    assert_eq!(record["attended"], 1);
    assert_eq!(record["registered"], 2);
    assert_eq!(record["chosen_topic"], "Podas");
    assert_eq!(record["vote"][0], serde_json::json!(["Podas", 1]));
    let public = serde_json::to_string(record).unwrap();
    assert!(public.contains("HYPERLINK"));
    assert!(public.contains("Problema sin firma"));
    for secret in [
        "Nota ocultada",
        "Nunca revelada",
        "Otro Anónimo",
        "@example.org",
    ] {
        assert!(!public.contains(secret), "{secret} in the public record");
    }
    assert!(public.contains("Rita Pública"));

    // Exports: the same content, as anyone may read it.
    let get = |format: &str| {
        let v = app.visitor();
        let url = format!("{}/roundtables/{id}/record.{format}", v.base);
        async move {
            let res = v.client.get(url).send().await.unwrap();
            assert_eq!(res.status().as_u16(), 200);
            let kind = res.headers()["content-type"].to_str().unwrap().to_string();
            (kind, res.text().await.unwrap())
        }
    };
    let (kind, csv) = get("csv").await;
    assert!(kind.starts_with("text/csv"));
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("tipo,tablero,columna,agrupamiento,texto,autoría,votos")
    );
    assert!(csv.contains("nota,1,Preguntas,,\"'=HYPERLINK(\"\"x\"\"), con coma\",Rita Pública,"));
    assert!(csv.contains("nota,2,"));
    assert!(csv.contains("Problema sin firma,,"));
    assert!(csv.contains("tema,,,,Podas,,1"));
    let (kind, json) = get("json").await;
    assert!(kind.starts_with("application/json"));
    let json: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["attended"], 1);
    assert_eq!(json["chosen_topic"], "Podas");
    assert_eq!(json["notes"].as_array().unwrap().len(), 2);
    assert!(json["notes"][1]["author"].is_null());
    let (kind, md) = get("md").await;
    assert!(kind.starts_with("text/markdown"));
    assert!(md.starts_with("# Mesa de Ambiente\n"));
    assert!(md.contains("## Tablero 1"));
    assert!(md.contains("Asistieron 1 de 2 personas inscriptas."));
    assert!(md.contains("**Tema elegido: Podas**"));
    for export in [&csv, &md, &json.to_string()] {
        for secret in [
            "Nota ocultada",
            "Nunca revelada",
            "Otro Anónimo",
            "@example.org",
        ] {
            assert!(!export.contains(secret), "{secret} exported");
        }
    }
    assert_eq!(
        app.visitor()
            .get("/roundtables/999999/record.csv")
            .await
            .0
            .as_u16(),
        404
    );

    // The process counts it as a public meeting, with its attendance.
    let p = app.visitor().call("process", &[("slug", &f.slug)]).await;
    assert_eq!(p.ok()["figures"]["public_meetings"], 1);
    assert_eq!(p.ok()["figures"]["attendees"], 1);
}
