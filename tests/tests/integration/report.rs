//! The co-creation report: every figure equals a count made here, straight
//! from the database; what the public may not see is not counted (hidden
//! proposals, held answers, unpublished progress); its CSV, JSON and DOCX
//! downloads hold the same figures and open in an independent reader.
use crate::monitoring::final_commitment;
use crate::roundtables::fixture;
use reqwest::StatusCode;
use serde_json::Value;
use tests::{day, on_both_engines, TestApp};

on_both_engines!(the_report_counts_what_the_data_holds);

async fn the_report_counts_what_the_data_holds(app: TestApp) {
    let f = fixture(&app).await;
    let (id, keys) = final_commitment(&app, &f).await;
    let process = app
        .count(&format!(
            "SELECT id FROM processes WHERE slug = '{}'",
            f.slug
        ))
        .await;
    let axis = app
        .count(&format!(
            "SELECT MIN(id) FROM process_axes WHERE process_id = {process}"
        ))
        .await;
    // The roundtable met last week; Rita attended.
    sqlx::query("UPDATE roundtables SET starts_at = starts_at - 7 * 86400")
        .execute(&app.db.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE roundtable_registrations SET attended = 1")
        .execute(&app.db.pool)
        .await
        .unwrap();
    // A university writes a proposal; another one is hidden by moderation.
    sqlx::query(
        "INSERT INTO organizations (name, sector, created_at) VALUES ('Universidad del Sur', 'academia', 0)",
    )
    .execute(&app.db.pool)
    .await
    .unwrap();
    let org = app
        .count("SELECT id FROM organizations WHERE name = 'Universidad del Sur'")
        .await
        .to_string();
    let carla = app.participant("Carla", "carla@example.org").await;
    sqlx::query(
        "INSERT INTO organization_members (user_id, organization_id) \
         SELECT id, $1 FROM users WHERE email = 'carla@example.org'",
    )
    .bind(org.parse::<i64>().unwrap())
    .execute(&app.db.pool)
    .await
    .unwrap();
    carla
        .submit_proposal(
            &f.slug,
            "Datos de movilidad",
            axis,
            &[("organization_id", &org)],
        )
        .await;
    let hidden = carla
        .submit_proposal(&f.slug, "Spam escondido", axis, &[])
        .await;
    sqlx::query("UPDATE proposals SET hidden = 1 WHERE id = $1")
        .bind(hidden)
        .execute(&app.db.pool)
        .await
        .unwrap();
    // A follow-up meeting; progress published on one milestone, filed on the other.
    f.team
        .call(
            "log_followup",
            &[
                ("id", &id),
                ("held_on", &day(-1)),
                ("attendees", "9"),
                ("organizations", "Universidad del Sur"),
                ("minutes", "Se revisó el censo."),
            ],
        )
        .await
        .ok();
    crate::monitoring::progress_with_one_published(&app, &f, &id, &keys).await;

    let public = app.visitor();
    let r = public
        .call("cocreation_report", &[("slug", &f.slug)])
        .await
        .ok()
        .clone();
    let count = |sql: String| {
        let app = &app;
        async move { app.count(&sql).await }
    };
    let p = process;
    assert_eq!(
        r["proposals"],
        count(format!(
            "SELECT COUNT(*) FROM proposals WHERE process_id = {p} AND state = 'published' AND hidden = 0"
        ))
        .await
    );
    assert_eq!(r["proposals"], 3, "the hidden one is not counted");
    let by_side: Vec<(String, i64)> = r["proposals_by_side"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s[0].as_str().unwrap().to_string(), s[1].as_i64().unwrap()))
        .collect();
    assert_eq!(by_side, [("academia".into(), 1), ("individual".into(), 2)]);
    assert_eq!(
        r["answered"],
        count(format!(
            "SELECT COUNT(DISTINCT a.proposal_id) FROM feasibility_assignments a JOIN proposals p \
             ON p.id = a.proposal_id WHERE p.process_id = {p} AND a.published_at IS NOT NULL"
        ))
        .await
    );
    let agency = &r["agencies"][0];
    assert_eq!(agency["agency"], "Restauración Ecológica");
    assert_eq!(agency["assigned"], 2);
    assert_eq!(agency["verdicts"][0], serde_json::json!(["Feasible", 1]));
    assert_eq!(
        r["roundtables_held"],
        count(format!(
            "SELECT COUNT(*) FROM roundtables WHERE process_id = {p} AND starts_at < {}",
            now()
        ))
        .await
    );
    assert_eq!(r["followup_meetings"], 1);
    assert_eq!(r["roundtables_held"], 1);
    // People: the proposals' authors and the roundtable's attendees.
    let people = count(format!(
        "SELECT COUNT(*) FROM (SELECT author_id AS u FROM proposals WHERE process_id = {p} \
         UNION SELECT g.user_id FROM roundtable_registrations g JOIN roundtables t ON t.id = g.roundtable_id \
         WHERE t.process_id = {p} AND g.attended = 1) x"
    ))
    .await;
    assert_eq!(r["people"], people);
    assert_eq!(people, 3, "Ana, Carla and Rita");
    let groups: Vec<&str> = r["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["name"].as_str().unwrap())
        .collect();
    assert_eq!(groups, ["Universidad del Sur"]);
    assert_eq!(r["commitments"], 1);
    let milestones: Vec<(String, i64)> = r["milestones_by_status"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m[1].as_i64().unwrap() > 0)
        .map(|m| (m[0].as_str().unwrap().to_string(), m[1].as_i64().unwrap()))
        .collect();
    assert_eq!(
        milestones,
        [("no_evidence".to_string(), 1), ("complete".to_string(), 1)],
        "the filed but unpublished update does not count"
    );
    assert_eq!(
        r["draft_comments"],
        count(format!(
            "SELECT COUNT(*) FROM comments WHERE subject_kind = 'commitment' AND depth = 0 AND hidden = 0 \
             AND subject_id IN (SELECT id FROM commitments WHERE process_id = {p})"
        ))
        .await
    );

    // The page answers the plan's questions.
    let (status, page) = public.get(&format!("/processes/{}/report", f.slug)).await;
    assert_eq!(status, StatusCode::OK);
    for text in [
        "¿Cuántos grupos participaron?",
        "Universidad del Sur",
        "Restauración Ecológica",
    ] {
        assert!(page.contains(text), "{text}");
    }
    assert!(!page.contains("Spam escondido"));

    // The downloads hold the same figures.
    let (status, json) = public
        .get(&format!("/processes/{}/report.json", f.slug))
        .await;
    assert_eq!(status, StatusCode::OK);
    let json: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["people"], r["people"]);
    assert_eq!(json["groups"], r["groups"]);
    let (_, csv) = public
        .get(&format!("/processes/{}/report.csv", f.slug))
        .await;
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let groups_row = rows
        .iter()
        .find(|r| &r[1] == "¿Cuántos grupos participaron?")
        .unwrap();
    assert_eq!(&groups_row[2], "1");
    let people_row = rows
        .iter()
        .find(|r| &r[1] == "Propuestas recibidas")
        .unwrap();
    assert_eq!(&people_row[2], "3");
    let docx = app.dir().join("report.docx");
    let bytes = public
        .bytes(&format!("/processes/{}/report.docx", f.slug))
        .await;
    std::fs::write(&docx, bytes).unwrap();
    let out = std::process::Command::new("python3")
        .args([
            "-c",
            "import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read('word/document.xml').decode())",
            docx.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let xml = String::from_utf8_lossy(&out.stdout);
    assert!(
        xml.contains("Informe de co-creación"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(xml.contains("Universidad del Sur"));
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}
