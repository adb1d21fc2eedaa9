//! Commitment sheets: drafted from a roundtable's board 2, every save a version,
//! a stale save refused without losing anything, versions compared per field.
use crate::boards::{add, board, column};
use crate::roundtables::{fixture, register, schedule};
use serde_json::Value;
use tests::{on_both_engines, TestApp, Visitor};

on_both_engines!(
    a_sheet_starts_from_board_2_and_every_save_is_a_version,
    a_stale_save_is_refused_and_shows_what_changed,
    bad_input_is_refused_and_drafts_stay_with_the_team
);

/// A roundtable with notes on board 2 and a sheet created from it: (sheet id, roundtable id).
pub async fn sheet(app: &TestApp, f: &crate::roundtables::Fixture) -> (String, String) {
    let id = schedule(app, f, "10").await;
    let rita = app.participant("Rita", "rita@example.org").await;
    register(&rita, &id).await;
    let b = board(&rita, &id).await;
    add(&rita, &column(&b, 2, 0), "Nadie sabe qué árboles hay.")
        .await
        .ok();
    add(&rita, &column(&b, 2, 5), "Publicar el censo en 2025")
        .await
        .ok();
    create(f, &id, "arba0005").await.ok();
    (
        app.count("SELECT MAX(id) FROM commitments")
            .await
            .to_string(),
        id,
    )
}

/// The team starts a sheet from a roundtable.
pub async fn create(f: &crate::roundtables::Fixture, roundtable: &str, code: &str) -> tests::Reply {
    f.team
        .call(
            "create_commitment",
            &[
                ("slug", &f.slug),
                ("roundtable_id", roundtable),
                ("code", code),
            ],
        )
        .await
}

/// Adds a milestone with only its title, as a version made from `base`.
pub async fn add_milestone(team: &Visitor, id: &str, base: &str, title: &str) -> tests::Reply {
    team.call(
        "save_milestone",
        &[
            ("id", id),
            ("base_version", base),
            ("key", ""),
            ("title", title),
            ("output", ""),
            ("starts_on", ""),
            ("ends_on", ""),
            ("responsible", ""),
        ],
    )
    .await
}

pub async fn editor(who: &Visitor, id: &str) -> Value {
    who.call("commitment_editor", &[("id", id)])
        .await
        .ok()
        .clone()
}

/// The editor's form as it would post: every field as it is now.
pub fn form_of(e: &Value) -> Vec<(String, String)> {
    let sheet = &e["detail"]["sheet"];
    let mut form = vec![
        ("id".to_string(), e["detail"]["id"].to_string()),
        (
            "base_version".to_string(),
            e["detail"]["version"].to_string(),
        ),
        ("change_note".to_string(), String::new()),
    ];
    for (k, v) in sheet.as_object().unwrap() {
        if let Some(text) = v.as_str() {
            form.push((format!("sheet[{k}]"), text.to_string()));
        }
    }
    form
}

pub fn with(form: &[(String, String)], changes: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = form
        .iter()
        .filter(|(k, _)| !changes.iter().any(|(c, _)| c == k))
        .cloned()
        .collect();
    out.extend(changes.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    out
}

pub async fn save(who: &Visitor, form: &[(String, String)]) -> tests::Reply {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    who.call("save_commitment", &pairs).await
}

async fn a_sheet_starts_from_board_2_and_every_save_is_a_version(app: TestApp) {
    let f = fixture(&app).await;
    let (id, roundtable) = sheet(&app, &f).await;
    let e = editor(&f.team, &id).await;
    assert_eq!(e["detail"]["code"], "ARBA0005");
    assert_eq!(e["detail"]["version"], 1);
    // Title from the roundtable (no topic chosen), agencies and proposals linked.
    assert_eq!(e["detail"]["sheet"]["title"], "Mesa de Ambiente");
    assert_eq!(
        e["detail"]["sheet"]["lead_agency"],
        "Restauración Ecológica"
    );
    assert_eq!(e["detail"]["proposals"][0][1], "Arbolado abierto");
    assert_eq!(e["detail"]["roundtable"][0].to_string(), roundtable);
    // Board 2's notes, with the column each comes from.
    let notes = e["notes"].as_array().unwrap();
    assert_eq!(notes.len(), 2);
    assert_eq!(notes[0]["column"], 0);
    assert_eq!(notes[1]["column"], 5);
    let (problem_note, milestone_note) = (notes[0]["id"].to_string(), notes[1]["id"].to_string());
    // What not everyone may read of board 2 never feeds a sheet, in its editor or
    // on its page: a note the team hid, and one written while writing is private.
    let offered = e["notes"].clone();
    let b = board(&f.team, &roundtable).await;
    let board_2 = b["boards"][1]["id"].to_string();
    add(&f.team, &column(&b, 2, 1), "Nota que el equipo oculta")
        .await
        .ok();
    let hidden = board(&f.team, &roundtable).await["boards"][1]["notes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["body"] == "Nota que el equipo oculta")
        .unwrap()["id"]
        .to_string();
    f.team.call("hide_note", &[("note_id", &hidden)]).await.ok();
    crate::boards::set_control(&f.team, &board_2, "private_writing", true).await;
    add(&f.team, &column(&b, 2, 2), "Nota aún privada")
        .await
        .ok();
    let e = editor(&f.team, &id).await;
    assert_eq!(e["notes"], offered, "{}", e["notes"]);
    let page = f.team.call("commitment", &[("id", &id)]).await;
    let origin = &page.ok()["origin"]["notes"];
    assert_eq!(origin, &offered, "{origin}");

    // One action inserts a note into its field, keeping what was typed.
    let form = form_of(&e);
    save(
        &f.team,
        &with(
            &form,
            &[
                ("sheet[causes]", "Datos dispersos."),
                ("insert", &format!("problem:{problem_note}")),
                ("change_note", "Problema desde el tablero"),
            ],
        ),
    )
    .await
    .ok();
    let e = editor(&f.team, &id).await;
    assert_eq!(e["detail"]["version"], 2);
    assert_eq!(
        e["detail"]["sheet"]["problem"],
        "Nadie sabe qué árboles hay."
    );
    assert_eq!(e["detail"]["sheet"]["causes"], "Datos dispersos.");
    // A milestone note becomes a milestone; then the milestone is completed.
    save(
        &f.team,
        &with(
            &form_of(&e),
            &[("insert", &format!("milestone:{milestone_note}"))],
        ),
    )
    .await
    .ok();
    let e = editor(&f.team, &id).await;
    let key = e["detail"]["sheet"]["milestones"][0]["key"]
        .as_str()
        .unwrap()
        .to_string();
    f.team
        .call(
            "save_milestone",
            &[
                ("id", &id),
                ("base_version", "3"),
                ("key", &key),
                ("title", "Censo publicado"),
                ("output", "Datos abiertos del censo"),
                ("starts_on", "2025-01-01"),
                ("ends_on", "2025-06-30"),
                ("responsible", "Restauración Ecológica"),
            ],
        )
        .await
        .ok();

    // Versions: who, when, why; any two compared field by field.
    let c = app
        .visitor()
        .call(
            "compare_versions",
            &[("id", &id), ("from", "1"), ("to", "4")],
        )
        .await;
    assert_eq!(c.status.as_u16(), 401, "a draft is the team's");
    let c = f
        .team
        .call(
            "compare_versions",
            &[("id", &id), ("from", "1"), ("to", "4")],
        )
        .await;
    let c = c.ok();
    let keys: Vec<&str> = c["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["sheet.problem", "sheet.causes", "sheet.milestone"]);
    assert_eq!(c["fields"][2]["name"], "Censo publicado");
    assert_eq!(
        c["fields"][0]["changes"][0]["Added"],
        "Nadie sabe qué árboles hay."
    );
    let versions = c["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 4);
    assert_eq!(versions[2]["note"], "Problema desde el tablero");
    assert_eq!(versions[0]["author"], "facilitator");
    assert_eq!(versions[0]["note"], "Hito modificado");
    // The default comparison is the current version against the one before.
    let last = f
        .team
        .call(
            "compare_versions",
            &[("id", &id), ("from", "0"), ("to", "0")],
        )
        .await;
    assert_eq!(last.ok()["from"]["number"], 3);
    assert_eq!(last.ok()["to"]["number"], 4);
}

async fn a_stale_save_is_refused_and_shows_what_changed(app: TestApp) {
    let f = fixture(&app).await;
    let (id, _) = sheet(&app, &f).await;
    let other = app.user_with_role("facilitator", "otra@example.org").await;
    // Both open the editor at version 1.
    let mine = form_of(&editor(&f.team, &id).await);
    let theirs = form_of(&editor(&other, &id).await);
    save(
        &other,
        &with(&theirs, &[("sheet[problem]", "Versión de la otra persona")]),
    )
    .await
    .ok();
    let late = save(&f.team, &with(&mine, &[("sheet[problem]", "Mi versión")])).await;
    assert_eq!(late.field_error("").as_deref(), Some("commitment.stale"));
    let e = editor(&f.team, &id).await;
    assert_eq!(e["detail"]["version"], 2);
    assert_eq!(
        e["detail"]["sheet"]["problem"],
        "Versión de la otra persona"
    );
    // What they changed since the version the late save started from.
    let c = f
        .team
        .call(
            "compare_versions",
            &[("id", &id), ("from", "1"), ("to", "0")],
        )
        .await;
    assert_eq!(c.ok()["fields"][0]["key"], "sheet.problem");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM commitment_versions").await,
        2
    );
    // Saving again from the current version works.
    save(
        &f.team,
        &with(&form_of(&e), &[("sheet[problem]", "Mi versión")]),
    )
    .await
    .ok();
    assert_eq!(
        editor(&f.team, &id).await["detail"]["sheet"]["problem"],
        "Mi versión"
    );
}

async fn bad_input_is_refused_and_drafts_stay_with_the_team(app: TestApp) {
    let f = fixture(&app).await;
    let (id, roundtable) = sheet(&app, &f).await;
    let form = form_of(&editor(&f.team, &id).await);
    for (field, value, key) in [
        ("sheet[title]", "  ", "validation.required"),
        (
            "sheet[contact]",
            "juan@example.org",
            "commitment.contact_no_email",
        ),
        ("sheet[starts_on]", "2025-13-40", "validation.date"),
    ] {
        let r = save(&f.team, &with(&form, &[(field, value)])).await;
        assert_eq!(r.field_error(field).as_deref(), Some(key), "{field}");
    }
    let r = save(
        &f.team,
        &with(
            &form,
            &[
                ("sheet[starts_on]", "2025-06-01"),
                ("sheet[ends_on]", "2025-01-01"),
            ],
        ),
    )
    .await;
    assert_eq!(
        r.field_error("sheet[ends_on]").as_deref(),
        Some("validation.end_before_start")
    );
    let r = save(&f.team, &with(&form, &[("values[]", "everything")])).await;
    assert_eq!(
        r.field_error("values").as_deref(),
        Some("validation.choice")
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM commitment_versions").await,
        1,
        "nothing saved"
    );
    // The same code twice in a process is refused.
    let again = create(&f, &roundtable, "ARBA0005").await;
    assert_eq!(
        again.field_error("code").as_deref(),
        Some("commitment.code_taken")
    );
    // 100 milestones.
    for n in 1..=100 {
        add_milestone(&f.team, &id, &n.to_string(), &format!("Hito {n}"))
            .await
            .ok();
    }
    let e = editor(&f.team, &id).await;
    assert_eq!(
        e["detail"]["sheet"]["milestones"].as_array().unwrap().len(),
        100
    );
    assert_eq!(e["detail"]["sheet"]["milestones"][99]["key"], "m100");
    // A draft is the team's: not listed, not readable by others.
    let rita = app.participant("Otra", "otra@example.org").await;
    assert_eq!(
        rita.call("commitment", &[("id", &id)])
            .await
            .status
            .as_u16(),
        403
    );
    let listed = app
        .visitor()
        .call("commitments", &[("slug", &f.slug)])
        .await;
    assert!(listed.ok()["items"].as_array().unwrap().is_empty());
    let listed = f.team.call("commitments", &[("slug", &f.slug)]).await;
    assert_eq!(listed.ok()["items"][0]["code"], "ARBA0005");
    assert_eq!(listed.ok()["items"][0]["version"], 101);
    let (status, page) = f.team.get(&format!("/commitments/{id}")).await;
    assert_eq!(status.as_u16(), 200);
    assert!(page.contains("ARBA0005"));
}

on_both_engines!(exports_follow_the_template_and_keep_text_as_text);

async fn exports_follow_the_template_and_keep_text_as_text(app: TestApp) {
    let f = fixture(&app).await;
    let (id, _) = sheet(&app, &f).await;
    let form = form_of(&editor(&f.team, &id).await);
    save(
        &f.team,
        &with(
            &form,
            &[
                (
                    "sheet[problem]",
                    "<script>alert(1)</script> y [enlace](javascript:alert(1))",
                ),
                (
                    "sheet[solution]",
                    "Reescribir los trámites.\nProbarlos con vecinas.",
                ),
            ],
        ),
    )
    .await
    .ok();
    // A draft's exports are the team's.
    let (status, _) = app
        .visitor()
        .get(&format!("/commitments/{id}/sheet.md"))
        .await;
    assert_eq!(status.as_u16(), 401);
    let (status, md) = f.team.get(&format!("/commitments/{id}/sheet.md")).await;
    assert_eq!(status.as_u16(), 200);
    assert!(md.starts_with("# ARBA0005 · Mesa de Ambiente\n"));
    assert!(md.contains("## Definición del problema"));
    // Long fields are Markdown: raw HTML stays text, a `javascript:` link is no link.
    assert!(md.contains("&lt;script>alert(1)&lt;/script> y "), "{md}");
    assert!(!md.contains("[enlace](javascript"), "{md}");
    let (_, json) = f.team.get(&format!("/commitments/{id}/sheet.json")).await;
    let json: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["code"], "ARBA0005");
    assert_eq!(
        json["sheet"]["solution"],
        "Reescribir los trámites.\nProbarlos con vecinas."
    );
    // The DOCX opens as a zip with valid checksums, and its document holds the
    // template's headings and the text, escaped.
    let document = docx_text(&f.team, &format!("/commitments/{id}/sheet.docx")).await;
    for heading in [
        "Definición del problema",
        "Descripción del compromiso",
        "Hitos",
    ] {
        assert!(document.contains(heading), "{heading}");
    }
    assert!(document.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(document.contains("Probarlos con vecinas."));
    assert!(!document.contains("<script>"));
}

/// The text of `word/document.xml` in the DOCX at `path`, after Python's
/// `zipfile` has opened it and checked every checksum.
pub async fn docx_text(who: &Visitor, path: &str) -> String {
    let res = who
        .client
        .get(format!("{}{path}", who.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200, "{path}");
    let bytes = res.bytes().await.unwrap();
    // One file per server and path (both engines run at once in this process).
    let port = who.base.rsplit(':').next().unwrap_or("0").to_string();
    let name: String = path
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let file = std::env::temp_dir().join(format!("cocrea-{port}{name}"));
    std::fs::write(&file, &bytes).unwrap();
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(
            "import sys, zipfile\n\
             z = zipfile.ZipFile(sys.argv[1])\n\
             assert z.testzip() is None\n\
             assert '[Content_Types].xml' in z.namelist()\n\
             sys.stdout.write(z.read('word/document.xml').decode())",
        )
        .arg(&file)
        .output()
        .expect("python3");
    let _ = std::fs::remove_file(&file);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}
