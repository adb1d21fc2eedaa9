//! The documents handed out as DOCX and PDF (a sheet, the whole plan, the
//! co-creation report), made from one document model, opened by independent
//! readers: Python's `zipfile`, python-docx and pypdf. The DOCX is a clean,
//! deflated zip whose headings are Word's Title / Heading 1 / Heading 2
//! styles; the PDF holds the same headings in the same order as text that
//! extracts with its accents and ñ, numbers its pages "Página N de M", is
//! tagged (marked, in es-AR, with a structure of Title, H1, H2 and P) and
//! titled; and a draft is no more a PDF for the public than a DOCX.
use crate::commitments::{editor, form_of, save, sheet, with};
use crate::roundtables::fixture;
use serde_json::Value;
use std::path::{Path, PathBuf};
use tests::{on_both_engines, TestApp, Visitor};

on_both_engines!(
    the_demo_documents_open_in_independent_readers,
    a_draft_sheet_is_no_more_a_pdf_than_a_docx
);

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const PLAN: &str = "plan-accion-caba-2021-2023";

/// What the readers make of each file: for a DOCX, whether the zip tests
/// clean and every entry is deflated, its paragraphs as (style, text), those
/// that start a page, its core title and language and its footer; for a PDF, its pages' text, its
/// catalog's /MarkInfo and /Lang, its title and its structure types in order.
const READ: &str = r#"
import json, sys, zipfile
import docx, pypdf
from pypdf.generic import ArrayObject, DictionaryObject

def structure(node, out):
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, ArrayObject):
        for child in node:
            structure(child, out)
    elif isinstance(node, DictionaryObject):
        if "/S" in node:
            out.append(str(node["/S"]))
        if "/K" in node:
            structure(node["/K"], out)

out = {}
for path in sys.argv[1:]:
    if path.endswith(".docx"):
        z = zipfile.ZipFile(path)
        files = [i for i in z.infolist() if not i.is_dir()]
        d = docx.Document(path)
        out[path] = {
            "testzip": z.testzip(),
            "deflated": all(i.compress_type == zipfile.ZIP_DEFLATED for i in files),
            "paragraphs": [[p.style.name, p.text] for p in d.paragraphs],
            "page_breaks": [p.text for p in d.paragraphs if p.paragraph_format.page_break_before],
            "title": d.core_properties.title,
            "language": d.core_properties.language,
            "footer": " ".join(p.text for p in d.sections[0].footer.paragraphs),
        }
    else:
        r = pypdf.PdfReader(path)
        root = r.trailer["/Root"].get_object()
        mark = root.get("/MarkInfo")
        kinds = []
        if "/StructTreeRoot" in root:
            structure(root["/StructTreeRoot"].get_object().get("/K"), kinds)
        out[path] = {
            "pages": [p.extract_text() for p in r.pages],
            "marked": bool(mark.get_object().get("/Marked")) if mark is not None else False,
            "lang": str(root.get("/Lang")),
            "title": r.metadata.title if r.metadata else None,
            "structure": kinds,
        }
print(json.dumps(out))
"#;

/// Downloads `path` into `dir` after checking its type and its name.
async fn download(who: &Visitor, dir: &Path, path: &str, kind: &str, name: &str) -> PathBuf {
    let res = who.response(path).await;
    assert_eq!(res.status().as_u16(), 200, "{path}");
    let headers = res.headers().clone();
    assert_eq!(headers["content-type"], kind, "{path}");
    assert_eq!(
        headers["content-disposition"],
        format!("attachment; filename=\"{name}\""),
        "{path}"
    );
    let bytes = res.bytes().await.unwrap();
    let file = dir.join(name);
    std::fs::write(&file, &bytes).unwrap();
    file
}

/// Each file as the readers see it (see `READ`).
fn read(files: &[&PathBuf]) -> Value {
    let python = concat!(env!("CARGO_MANIFEST_DIR"), "/../.ci/venv/bin/python");
    let out = std::process::Command::new(python)
        .arg("-c")
        .arg(READ)
        .args(files)
        .output()
        .unwrap_or_else(|e| panic!("{python} (made by .ci/setup): {e}"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let read: Value = serde_json::from_slice(&out.stdout).unwrap();
    Value::Object(
        files
            .iter()
            .map(|f| {
                let key = f.to_str().unwrap();
                (key.to_string(), read[key].clone())
            })
            .collect(),
    )
}

/// Whitespace made single spaces, so lines wrapped in the PDF compare.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The DOCX's headings as (style, text), checked to be clean and deflated.
fn docx_headings(docx: &Value) -> Vec<(String, String)> {
    assert!(docx["testzip"].is_null(), "{docx}");
    assert_eq!(docx["deflated"], true);
    assert!(docx["footer"].as_str().unwrap().starts_with("Página "));
    docx["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p[0].as_str().unwrap().to_string(),
                p[1].as_str().unwrap().to_string(),
            )
        })
        .filter(|(style, _)| matches!(style.as_str(), "Title" | "Heading 1" | "Heading 2"))
        .collect()
}

/// Checks the PDF against its DOCX: the same headings in the same order,
/// numbered pages, tagged in Spanish with the same title. Its whole text.
fn same_document(pdf: &Value, docx: &Value) -> String {
    let headings = docx_headings(docx);
    assert!(headings.len() > 1, "{headings:?}");
    let pages: Vec<String> = pdf["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_string())
        .collect();
    let n = pages.len();
    for (i, page) in pages.iter().enumerate() {
        let footer = format!("Página {} de {n}", i + 1);
        assert!(page.contains(&footer), "{footer} in {page}");
    }
    let text = flat(&pages.join("\n"));
    let mut at = 0;
    for (style, heading) in &headings {
        let heading = flat(heading);
        match text[at..].find(&heading) {
            Some(i) => at += i + heading.len(),
            None => panic!("{style} {heading:?} is not in the PDF after byte {at}: {text}"),
        }
    }
    assert_eq!(pdf["marked"], true);
    assert_eq!(pdf["lang"], "es-AR");
    assert_eq!(pdf["title"], docx["title"]);
    assert_eq!(docx["language"], "es-AR");
    let structure: Vec<&str> = pdf["structure"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert_eq!(structure.first(), Some(&"/Document"), "{structure:?}");
    assert_eq!(structure.get(1), Some(&"/Title"), "{structure:?}");
    for kind in ["/H1", "/P"] {
        assert!(structure.contains(&kind), "{kind} in {structure:?}");
    }
    // One structure element a heading or paragraph: as many headings as the DOCX.
    let heading_tags = structure
        .iter()
        .filter(|s| matches!(**s, "/Title" | "/H1" | "/H2"))
        .count();
    assert_eq!(heading_tags, headings.len(), "{structure:?}");
    text
}

async fn the_demo_documents_open_in_independent_readers(app: TestApp) {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../seeds");
    server::seed::load_demo(&app.db, &seeds).await.unwrap();
    let id = app
        .count("SELECT MIN(id) FROM commitments WHERE code = 'CABA0001'")
        .await;
    let public = app.visitor();
    let dir = app.dir();
    let sheet_docx = download(
        &public,
        dir,
        &format!("/commitments/{id}/sheet.docx"),
        DOCX,
        "CABA0001.docx",
    )
    .await;
    let sheet_pdf = download(
        &public,
        dir,
        &format!("/commitments/{id}/sheet.pdf"),
        "application/pdf",
        "CABA0001.pdf",
    )
    .await;
    let plan_docx = download(
        &public,
        dir,
        &format!("/processes/{PLAN}/plan.docx"),
        DOCX,
        &format!("{PLAN}-plan.docx"),
    )
    .await;
    let plan_pdf = download(
        &public,
        dir,
        &format!("/processes/{PLAN}/plan.pdf"),
        "application/pdf",
        &format!("{PLAN}-plan.pdf"),
    )
    .await;
    let report_docx = download(
        &public,
        dir,
        &format!("/processes/{PLAN}/report.docx"),
        DOCX,
        &format!("{PLAN}-informe.docx"),
    )
    .await;
    let report_pdf = download(
        &public,
        dir,
        &format!("/processes/{PLAN}/report.pdf"),
        "application/pdf",
        &format!("{PLAN}-informe.pdf"),
    )
    .await;
    let files = [
        &sheet_docx,
        &sheet_pdf,
        &plan_docx,
        &plan_pdf,
        &report_docx,
        &report_pdf,
    ];
    let r = read(&files);
    let at = |f: &PathBuf| r[f.to_str().unwrap()].clone();

    // The sheet: its code and title, the template's sections and fields.
    let headings = docx_headings(&at(&sheet_docx));
    assert_eq!(
        headings[0],
        (
            "Title".to_string(),
            "CABA0001 · Trámites en lenguaje claro probados con usuarios".to_string()
        )
    );
    for (style, text) in [
        ("Heading 1", "Definición del problema"),
        ("Heading 1", "Descripción del compromiso"),
        ("Heading 2", "Valores de OGP que promueve"),
        ("Heading 1", "Hitos"),
    ] {
        assert!(
            headings.contains(&(style.to_string(), text.to_string())),
            "{style} {text}: {headings:?}"
        );
    }
    let text = same_document(&at(&sheet_pdf), &at(&sheet_docx));
    assert!(text.contains("Descripción del compromiso"));
    assert!(text.contains("Guía de lenguaje claro publicada"), "{text}");

    // The plan: every published sheet, each from a new page.
    let plan = docx_headings(&at(&plan_docx));
    assert_eq!(plan[0].0, "Title");
    assert!(plan[0].1.starts_with("3.er Plan de Acción"), "{plan:?}");
    let titles: Vec<&str> = plan
        .iter()
        .filter(|(style, _)| style == "Title")
        .map(|(_, t)| t.as_str())
        .collect();
    assert_eq!(titles.len(), 3, "{titles:?}");
    assert!(titles[1].starts_with("CABA0001 · ") && titles[2].starts_with("CABA0002 · "));
    // Each sheet starts a page.
    assert_eq!(
        at(&plan_docx)["page_breaks"],
        serde_json::json!(titles[1..])
    );
    let text = same_document(&at(&plan_pdf), &at(&plan_docx));
    let pages = at(&plan_pdf)["pages"].as_array().unwrap().len();
    assert!(pages >= 3, "{pages} pages");
    assert!(text.contains(&format!("Página {pages} de {pages}")));

    // The report: its sections, and the axes by name (ñ included).
    let report = docx_headings(&at(&report_docx));
    assert!(
        report[0].1.starts_with("Informe de co-creación"),
        "{report:?}"
    );
    let text = same_document(&at(&report_pdf), &at(&report_docx));
    assert!(
        text.contains("Niñez, adolescencia y participación"),
        "{text}"
    );
}

async fn a_draft_sheet_is_no_more_a_pdf_than_a_docx(app: TestApp) {
    let f = fixture(&app).await;
    let (id, _) = sheet(&app, &f).await;
    let form = form_of(&editor(&f.team, &id).await);
    save(
        &f.team,
        &with(
            &form,
            &[(
                "sheet[problem]",
                "Los años de la niñez: el ñandú y el pingüino. ¿Dónde están?",
            )],
        ),
    )
    .await
    .ok();
    // A draft is the team's, in every format alike; an unknown sheet is none.
    let rita = app.participant("Rita2", "rita2@example.org").await;
    for who in [&app.visitor(), &rita] {
        for n in [id.as_str(), "999999"] {
            let docx = who
                .get_status(&format!("/commitments/{n}/sheet.docx"))
                .await;
            let pdf = who.get_status(&format!("/commitments/{n}/sheet.pdf")).await;
            assert_eq!(pdf, docx, "{n}");
            assert!(!pdf.is_success(), "{n}: {pdf}");
        }
    }
    assert_eq!(
        app.visitor()
            .get_status(&format!("/commitments/{id}/sheet.pdf"))
            .await
            .as_u16(),
        401
    );
    assert_eq!(
        app.visitor()
            .get_status("/commitments/999999/sheet.pdf")
            .await
            .as_u16(),
        404
    );
    // The team reads it, accents and ñ as written.
    let dir = app.dir();
    let pdf = download(
        &f.team,
        dir,
        &format!("/commitments/{id}/sheet.pdf"),
        "application/pdf",
        "ARBA0005.pdf",
    )
    .await;
    let docx = download(
        &f.team,
        dir,
        &format!("/commitments/{id}/sheet.docx"),
        DOCX,
        "ARBA0005.docx",
    )
    .await;
    let r = read(&[&pdf, &docx]);
    let text = same_document(&r[pdf.to_str().unwrap()], &r[docx.to_str().unwrap()]);
    assert!(
        text.contains("Los años de la niñez: el ñandú y el pingüino. ¿Dónde están?"),
        "{text}"
    );
    // The plan leaves the draft out, as a PDF too.
    let plan = download(
        &app.visitor(),
        dir,
        &format!("/processes/{}/plan.pdf", f.slug),
        "application/pdf",
        &format!("{}-plan.pdf", f.slug),
    )
    .await;
    let r = read(&[&plan]);
    let pages = r[plan.to_str().unwrap()]["pages"].to_string();
    assert!(pages.contains("Página 1 de 1"), "{pages}");
    assert!(!pages.contains("ARBA0005"), "{pages}");
}
