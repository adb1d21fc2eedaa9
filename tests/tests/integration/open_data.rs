//! Open data: every dataset, through the API and the downloads alike, holds
//! what the public pages show and nothing else (no hidden, withdrawn, private
//! or unpublished content, no email address); the API pages through a large
//! list completely, answers 304 to a matching ETag, reads from any origin, and
//! its OpenAPI document validates and every path in it answers; schemathesis
//! then checks the whole contract against a seeded server.
use crate::monitoring::{final_commitment, progress_with_one_published};
use crate::roundtables::fixture;
use reqwest::StatusCode;
use serde_json::Value;
use std::collections::BTreeSet;
use tests::{on_both_engines, TestApp, Visitor};

on_both_engines!(datasets_hold_what_the_public_sees);
on_both_engines!(the_api_pages_caches_and_documents_itself);

/// A GET's status, headers and JSON (scanned for email addresses).
async fn api(who: &Visitor, path: &str) -> (StatusCode, reqwest::header::HeaderMap, Value) {
    let res = who.response(path).await;
    let (status, headers) = (res.status(), res.headers().clone());
    let text = res.text().await.unwrap();
    tests::scan_for_emails(path, path, &text);
    (
        status,
        headers,
        serde_json::from_str(&text).unwrap_or(Value::Null),
    )
}

/// Every row of a dataset through the API, following `links.next`.
async fn walk(who: &Visitor, base: &str, first: &str) -> Vec<Value> {
    let (mut rows, mut next) = (Vec::new(), Some(format!("{base}{first}")));
    while let Some(url) = next {
        let path = url.strip_prefix(base).unwrap().to_string();
        let (status, _, page) = api(who, &path).await;
        assert_eq!(status, StatusCode::OK, "{path}: {page}");
        rows.extend(page["data"].as_array().unwrap().iter().cloned());
        next = page["links"]["next"].as_str().map(String::from);
        assert!(rows.len() < 100_000, "the walk ends");
    }
    rows
}

fn ids(rows: &[Value]) -> Vec<i64> {
    rows.iter().map(|r| r["id"].as_i64().unwrap()).collect()
}

async fn exec(app: &TestApp, sql: &str) {
    sqlx::query(sql).execute(&app.db.pool).await.unwrap();
}

async fn datasets_hold_what_the_public_sees(app: TestApp) {
    let f = fixture(&app).await;
    let (id, keys) = final_commitment(&app, &f).await;
    progress_with_one_published(&app, &f, &id, &keys).await;
    let axis = app.count("SELECT MIN(id) FROM process_axes").await;
    let carla = app.participant("Carla", "carla@example.org").await;
    let hidden = carla
        .submit_proposal(&f.slug, "Spam escondido", axis, &[])
        .await;
    let withdrawn = carla
        .submit_proposal(&f.slug, "Propuesta retirada", axis, &[])
        .await;
    let named = carla
        .submit_proposal(&f.slug, "Plazas con sombra", axis, &[])
        .await;
    exec(
        &app,
        &format!("UPDATE proposals SET hidden = 1 WHERE id = {hidden}"),
    )
    .await;
    exec(
        &app,
        &format!("UPDATE proposals SET state = 'withdrawn' WHERE id = {withdrawn}"),
    )
    .await;
    exec(
        &app,
        &format!("UPDATE proposals SET show_author_name = 1 WHERE id = {named}"),
    )
    .await;
    exec(
        &app,
        "UPDATE feasibility_assignments SET private_notes = 'Nota interna reservada'",
    )
    .await;
    // Board notes: one public, one still private, one hidden by the team.
    let board = app.count("SELECT MIN(id) FROM boards").await;
    let column = app
        .count(&format!(
            "SELECT MIN(id) FROM board_columns WHERE board_id = {board}"
        ))
        .await;
    let author = app.count("SELECT MIN(id) FROM users").await;
    for (body, revealed, hidden) in [
        ("Nota pública del tablero", 1, 0),
        ("Nota privada sin revelar", 0, 0),
        ("Nota oculta por moderación", 1, 1),
    ] {
        exec(
            &app,
            &format!(
                "INSERT INTO board_notes (board_id, column_id, author_id, body, revealed, hidden, \
                 created_at, updated_at) VALUES ({board}, {column}, {author}, '{body}', {revealed}, {hidden}, 1, 1)"
            ),
        )
        .await;
    }
    // The author shows their name on boards, except on an anonymous note.
    exec(
        &app,
        &format!("UPDATE users SET show_name_on_boards = 1 WHERE id = {author}"),
    )
    .await;
    exec(
        &app,
        &format!(
            "INSERT INTO board_notes (board_id, column_id, author_id, body, anonymous, created_at, \
             updated_at) VALUES ({board}, {column}, {author}, 'Nota anónima', 1, 1, 1)"
        ),
    )
    .await;
    // A withdrawn endorsement, an unpublished evaluation, a hidden comment.
    exec(&app, "INSERT INTO organizations (name, sector, created_at) VALUES ('Fundación Retirada', 'academia', 0)").await;
    exec(
        &app,
        &format!(
            "INSERT INTO endorsements (process_id, organization_id, person, role, endorsed_at, withdrawn_at) \
             SELECT c.process_id, o.id, 'Persona Retirada', 'Directora', 1, 2 FROM commitments c, organizations o \
             WHERE c.id = {id} AND o.name = 'Fundación Retirada'"
        ),
    )
    .await;
    exec(
        &app,
        &format!(
            "INSERT INTO commitment_evaluations (commitment_id, body, verifiable, potential, completion, \
             opened_government, reasoning, updated_at) VALUES ({id}, 'Evaluación sin publicar', 1, 'modest', \
             'limited', 'marginal', 'Razones sin publicar', 1)"
        ),
    )
    .await;
    exec(
        &app,
        &format!(
            "INSERT INTO comments (subject_kind, subject_id, thread_id, depth, author_id, body, hidden, created_at) \
             VALUES ('commitment', {id}, 0, 0, {author}, 'Comentario oculto en la ficha', 1, 1)"
        ),
    )
    .await;
    // A sheet still in draft is nobody's business yet.
    exec(
        &app,
        &format!(
            "INSERT INTO commitments (process_id, code, state, current_version, created_at) \
             SELECT process_id, 'BORRADOR9', 'draft', 1, 0 FROM commitments WHERE id = {id}"
        ),
    )
    .await;
    exec(
        &app,
        "INSERT INTO commitment_versions (commitment_id, number, sheet, created_at) \
         SELECT id, 1, '{\"title\": \"Compromiso en borrador\"}', 0 FROM commitments WHERE code = 'BORRADOR9'",
    )
    .await;

    let public = app.visitor();
    let (status, headers, process) = api(&public, &format!("/api/v1/processes/{}", f.slug)).await;
    assert_eq!(status, StatusCode::OK, "{process}");
    assert_eq!(headers["access-control-allow-origin"], "*");
    let sets = process["datasets"].as_array().unwrap();
    assert_eq!(sets.len(), 14, "{sets:?}");
    let forbidden = [
        "Spam escondido",
        "Propuesta retirada",
        "Nota interna reservada",
        "Nota privada sin revelar",
        "Nota oculta por moderación",
        "Compromiso en borrador",
        "BORRADOR9",
        "Fundación Retirada",
        "Persona Retirada",
        "Evaluación sin publicar",
        "Comentario oculto en la ficha",
        "@example.org",
    ];
    for set in sets {
        let name = set["name"].as_str().unwrap();
        let rows = walk(
            &public,
            &app.base,
            &format!("/api/v1/processes/{}/{name}?limit=2", f.slug),
        )
        .await;
        assert_eq!(
            set["rows"].as_i64().unwrap(),
            rows.len() as i64,
            "{name}: rows as counted"
        );
        // The downloads hold the same rows.
        let (status, json) = public
            .get(&format!("/processes/{}/data/{name}.json", f.slug))
            .await;
        assert_eq!(status, StatusCode::OK);
        let json: Vec<Value> =
            serde_json::from_str(&json).unwrap_or_else(|e| panic!("{name}: {e}: {json}"));
        assert_eq!(json, rows, "{name}: the JSON download is the API's rows");
        let (status, csv) = public
            .get(&format!("/processes/{}/data/{name}.csv", f.slug))
            .await;
        assert_eq!(status, StatusCode::OK);
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        let fields: BTreeSet<String> = rows
            .first()
            .map(|r| r.as_object().unwrap().keys().cloned().collect())
            .unwrap_or_else(|| header.iter().cloned().collect());
        assert_eq!(header[0], "id");
        assert_eq!(
            header.iter().cloned().collect::<BTreeSet<_>>(),
            fields,
            "{name}: CSV columns are the fields"
        );
        let csv_ids: Vec<i64> = reader
            .records()
            .map(|r| r.unwrap()[0].parse().unwrap())
            .collect();
        assert_eq!(csv_ids, ids(&rows), "{name}: the CSV has the same rows");
        let all = format!("{rows:?}{csv}");
        for text in forbidden {
            assert!(!all.contains(text), "{name} shows {text}");
        }
    }

    // Proposals: exactly the public list's published, visible ones.
    let listed = public
        .call(
            "proposals",
            &[
                ("slug", &f.slug),
                ("query[q]", ""),
                ("query[sort]", "newest"),
                ("query[page]", "1"),
            ],
        )
        .await
        .ok()["page"]
        .clone();
    let visible: BTreeSet<i64> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| {
            p["hidden"] == false
                && !p["state"]
                    .as_str()
                    .unwrap()
                    .eq_ignore_ascii_case("withdrawn")
        })
        .map(|p| p["id"].as_i64().unwrap())
        .collect();
    let rows = walk(
        &public,
        &app.base,
        &format!("/api/v1/processes/{}/proposals", f.slug),
    )
    .await;
    assert_eq!(ids(&rows).into_iter().collect::<BTreeSet<_>>(), visible);
    let shade = rows.iter().find(|r| r["id"] == named).unwrap();
    assert_eq!(shade["author"], "Carla", "named by consent");
    assert!(rows
        .iter()
        .filter(|r| r["id"] != named)
        .all(|r| r["author"].is_null()));
    // Filters match the pages'.
    let found = walk(
        &public,
        &app.base,
        &format!("/api/v1/processes/{}/proposals?q=sombra", f.slug),
    )
    .await;
    assert_eq!(ids(&found), [named]);
    let found = walk(
        &public,
        &app.base,
        &format!("/api/v1/processes/{}/proposals?axis={axis}", f.slug),
    )
    .await;
    assert_eq!(found.len(), rows.len());
    let answers = walk(
        &public,
        &app.base,
        &format!("/api/v1/processes/{}/answers?agency={}", f.slug, f.agency),
    )
    .await;
    assert!(
        !answers.is_empty()
            && answers
                .iter()
                .all(|a| a["agency"] == "Restauración Ecológica")
    );
    assert!(answers.iter().all(|a| a.get("private_notes").is_none()));
    // Only the published progress; the board's public note only.
    let updates = walk(
        &public,
        &app.base,
        &format!("/api/v1/processes/{}/progress_updates", f.slug),
    )
    .await;
    assert_eq!(updates.len(), 1);
    let milestones = walk(
        &public,
        &app.base,
        &format!("/api/v1/processes/{}/milestones", f.slug),
    )
    .await;
    assert_eq!(milestones.len(), 2);
    assert_eq!(
        milestones
            .iter()
            .filter(|m| m["progress"] == "complete")
            .count(),
        1
    );
    let notes = walk(
        &public,
        &app.base,
        &format!("/api/v1/processes/{}/board_notes", f.slug),
    )
    .await;
    let note = |body: &str| notes.iter().find(|n| n["body"] == body).unwrap().clone();
    let name: String = sqlx::query_scalar(&format!(
        "SELECT display_name FROM users WHERE id = {author}"
    ))
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(note("Nota pública del tablero")["author"], name.as_str());
    assert!(
        note("Nota anónima")["author"].is_null(),
        "never named in anonymous mode"
    );
    let commitments = walk(
        &public,
        &app.base,
        &format!("/api/v1/processes/{}/commitments", f.slug),
    )
    .await;
    assert_eq!(ids(&commitments), [id.parse::<i64>().unwrap()]);

    // The pages and the catalogue describe them.
    let (status, page) = public.get(&format!("/processes/{}/data", f.slug)).await;
    assert_eq!(status, StatusCode::OK);
    for text in [
        "Datos abiertos",
        "Propuestas",
        "Creative Commons",
        "proposals.csv",
        "Respuestas de las áreas",
    ] {
        assert!(page.contains(text), "{text}");
    }
    let (status, catalog) = public.get("/data/catalog.jsonld").await;
    assert_eq!(status, StatusCode::OK);
    let catalog: Value = serde_json::from_str(&catalog).unwrap();
    assert_eq!(catalog["@type"], "dcat:Catalog");
    let entries = catalog["dcat:dataset"].as_array().unwrap();
    assert_eq!(entries.len(), sets.len());
    let proposals = entries
        .iter()
        .find(|d| d["dct:identifier"] == format!("{}/proposals", f.slug))
        .unwrap();
    assert!(proposals["dct:modified"]["@value"]
        .as_str()
        .unwrap()
        .ends_with('Z'));
    assert_eq!(proposals["dcat:distribution"].as_array().unwrap().len(), 2);
    let (status, _) = public.get("/developers").await;
    assert_eq!(status, StatusCode::OK);
}

async fn the_api_pages_caches_and_documents_itself(app: TestApp) {
    let (slug, axes) = app
        .open_process("Plan grande", &["Ambiente", "Salud"])
        .await;
    let author = app.count("SELECT MIN(id) FROM users").await;
    let process = app
        .count(&format!("SELECT id FROM processes WHERE slug = '{slug}'"))
        .await;
    for n in 0..230 {
        let axis = axes[n % 2];
        exec(
            &app,
            &format!(
                "INSERT INTO proposals (process_id, axis_id, author_id, title, problem, solution, \
                 search_text, created_at, updated_at) VALUES ({process}, {axis}, {author}, \
                 'Propuesta {n}', 'p', 's', 'propuesta {n}', {n}, {n})"
            ),
        )
        .await;
    }
    let public = app.visitor();
    let path = format!("/api/v1/processes/{slug}/proposals?limit=37");
    let rows = walk(&public, &app.base, &path).await;
    let got = ids(&rows);
    let unique: BTreeSet<i64> = got.iter().copied().collect();
    assert_eq!(got.len(), 230, "every row");
    assert_eq!(unique.len(), 230, "no duplicates");
    assert!(
        got.windows(2).all(|w| w[0] < w[1]),
        "in id order, no gaps between pages"
    );
    let one_axis = walk(&public, &app.base, &format!("{path}&axis={}", axes[1])).await;
    assert_eq!(one_axis.len(), 115);

    // ETag and 304; CORS for any origin, preflight included.
    let res = public.response(&path).await;
    assert_eq!(res.status(), StatusCode::OK);
    let etag = res.headers()["etag"].to_str().unwrap().to_string();
    assert_eq!(
        res.headers()["cache-control"],
        "no-cache",
        "kept, and revalidated"
    );
    assert!(res.headers()["vary"]
        .to_str()
        .unwrap()
        .contains("Accept-Language"));
    assert!(res.headers()["link"]
        .to_str()
        .unwrap()
        .contains("rel=\"next\""));
    let signed_in = app.participant("Dora", "dora@example.org").await;
    let theirs = signed_in.response(&path).await;
    assert_eq!(
        theirs.headers()["cache-control"],
        "no-cache",
        "the same for everyone"
    );
    assert_eq!(theirs.headers()["etag"].to_str().unwrap(), etag);
    let again = public
        .client
        .get(format!("{}{path}", app.base))
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert!(again.text().await.unwrap().is_empty());
    let other = public
        .client
        .get(format!("{}{path}", app.base))
        .header("If-None-Match", "\"nothing-like-it\"")
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), StatusCode::OK);
    let preflight = public
        .client
        .request(reqwest::Method::OPTIONS, format!("{}{path}", app.base))
        .header("Origin", "https://periodista.example")
        .header("Access-Control-Request-Method", "GET")
        .send()
        .await
        .unwrap();
    assert!(preflight.status().is_success());
    assert_eq!(preflight.headers()["access-control-allow-origin"], "*");

    // Errors are problem documents, in the reader's language.
    for (bad, status) in [
        (format!("/api/v1/processes/{slug}/proposals?limit=0"), 400),
        (format!("/api/v1/processes/{slug}/proposals?after=-3"), 400),
        (format!("/api/v1/processes/{slug}/proposals?axis=abc"), 400),
        (
            format!("/api/v1/processes/{slug}/answers?verdict=maybe"),
            400,
        ),
        (format!("/api/v1/processes/{slug}/nonsense"), 404),
        ("/api/v1/processes/no-such-plan/proposals".to_string(), 404),
        (
            "/processes/no-such-plan/data/proposals.csv".to_string(),
            404,
        ),
        (format!("/processes/{slug}/data/proposals.xml"), 404),
        (
            format!("/api/v1/processes/{slug}/answers?verdcit=feasible"),
            400,
        ),
        (format!("/api/v1/processes/{slug}/proposals?agency=1"), 400),
        ("/api/v1/no/such/address/here".to_string(), 404),
        ("/data/catalog.jsonld?page=99".to_string(), 404),
        ("/data/catalog.jsonld?pagina=1".to_string(), 400),
    ] {
        let res = public.response(&bad).await;
        assert_eq!(res.status().as_u16(), status, "{bad}");
        assert_eq!(
            res.headers()["content-type"],
            "application/problem+json",
            "{bad}"
        );
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["status"], status);
        assert!(!body["title"].as_str().unwrap().is_empty());
    }
    let res = public
        .client
        .get(format!(
            "{}/api/v1/processes/{slug}/proposals?limit=5000",
            app.base
        ))
        .header("Accept-Language", "en")
        .send()
        .await
        .unwrap();
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["detail"], "limit is out of the allowed range.");

    // The OpenAPI document validates, and every path in it answers.
    let (status, _, doc) = api(&public, "/api/v1/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let dir = app.dir().join("openapi.json");
    std::fs::write(&dir, doc.to_string()).unwrap();
    let check = std::process::Command::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../.ci/venv/bin/python"
    ))
    .args([
        "-c",
        "import json, sys; from openapi_spec_validator import validate; \
             validate(json.load(open(sys.argv[1]))); print('valid')",
    ])
    .arg(&dir)
    .output()
    .expect("the Python venv of .ci/setup");
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let paths = doc["paths"].as_object().unwrap();
    assert_eq!(paths.len(), 16, "{:?}", paths.keys());
    for path in paths.keys() {
        let path = path.replace("{slug}", &slug);
        let (status, _, body) = api(&public, &path).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
    }
}
