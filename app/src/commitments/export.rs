//! (ssr) A commitment sheet as Markdown, JSON, DOCX and PDF, in the template's
//! order with its Spanish headings (the plan is published in Spanish). The
//! DOCX and the PDF render one [`Doc`], built here once.
use super::model::*;
use crate::documents::Doc;
use crate::i18n::Locale;

const ES: Locale = Locale::EsAr;

fn values_text(s: &Sheet) -> String {
    s.values
        .iter()
        .map(|v| ES.t(&format!("ogp.{v}")))
        .collect::<Vec<_>>()
        .join(", ")
}

fn milestone_line(m: &Milestone) -> String {
    format!(
        "{} — {}: {} · {}: {} → {} · {}: {}",
        m.title,
        ES.t("milestone.output"),
        m.output,
        ES.t("milestone.starts_on"),
        m.starts_on,
        m.ends_on,
        ES.t("milestone.responsible"),
        m.responsible
    )
}

/// Text made safe as Markdown: no raw HTML, no markup characters taking effect.
fn md(v: &str) -> String {
    crate::markdown::escape(v).replace('#', "\\#")
}

pub fn markdown(d: &CommitmentDetail) -> String {
    let s = &d.sheet;
    let mut out = format!("# {} · {}\n\n", md(&d.code), md(&s.title));
    out += &format!(
        "{} · {}\n",
        ES.t(&format!("commitment.state.{}", d.state.as_str())),
        ES.tf("commitment.version", &[("number", &d.version.to_string())])
    );
    for (section, fields) in sections() {
        out += &format!("\n## {}\n", ES.t(section));
        for f in fields {
            let text = s.text(f.name).unwrap_or("");
            // Long fields are Markdown already: written back in the safe subset.
            let text = if f.long {
                crate::markdown::to_markdown(text)
            } else {
                md(text)
            };
            out += &format!("\n### {}\n\n{}\n", ES.t(f.label), text);
        }
        if section == "sheet.section.analysis" {
            out += &format!(
                "\n### {}\n\n{}\n",
                ES.t("sheet.values"),
                md(&values_text(s))
            );
        }
    }
    out += &format!("\n## {}\n\n", ES.t("sheet.milestones"));
    for m in &s.milestones {
        out += &format!("- {}\n", md(&milestone_line(m)));
    }
    out
}

pub fn json(d: &CommitmentDetail) -> String {
    serde_json::to_string_pretty(&serde_json::json!({
        "id": d.id,
        "code": d.code,
        "process": d.process_title,
        "state": d.state.as_str(),
        "version": d.version,
        "roundtable": d.roundtable.as_ref().map(|(id, title)| serde_json::json!({"id": id, "title": title})),
        "proposals": d.proposals.iter().map(|(id, title)| serde_json::json!({"id": id, "title": title})).collect::<Vec<_>>(),
        "sheet": d.sheet,
    }))
    .unwrap_or_default()
}

/// One sheet's blocks, from its code and title to its milestones.
fn sheet_blocks(doc: &mut Doc, d: &CommitmentDetail) {
    let s = &d.sheet;
    doc.title(&format!("{} · {}", d.code, s.title));
    doc.paragraphs(&format!(
        "{} · {}",
        ES.t(&format!("commitment.state.{}", d.state.as_str())),
        ES.tf("commitment.version", &[("number", &d.version.to_string())])
    ));
    for (section, fields) in sections() {
        doc.heading1(&ES.t(section));
        for f in fields {
            doc.heading2(&ES.t(f.label));
            let text = s.text(f.name).unwrap_or("");
            if f.long {
                for p in crate::markdown::to_plain_paragraphs(text) {
                    doc.paragraphs(&p);
                }
            } else {
                doc.paragraphs(text);
            }
        }
        if section == "sheet.section.analysis" {
            doc.heading2(&ES.t("sheet.values"));
            doc.paragraphs(&values_text(s));
        }
    }
    doc.heading1(&ES.t("sheet.milestones"));
    for m in &s.milestones {
        doc.paragraphs(&milestone_line(m));
    }
}

/// The sheet as a document (for DOCX and PDF).
pub fn document(d: &CommitmentDetail) -> Doc {
    let mut doc = Doc::new(&format!("{} · {}", d.code, d.sheet.title), ES);
    sheet_blocks(&mut doc, d);
    doc
}

/// The whole action plan: its title, then every sheet, each from a new page.
pub fn plan_document(process_title: &str, sheets: &[CommitmentDetail]) -> Doc {
    let mut doc = Doc::new(&format!("{process_title} · {}", ES.t("plan.title")), ES);
    doc.title(process_title).paragraphs(&ES.t("plan.title"));
    for d in sheets {
        doc.page_break();
        sheet_blocks(&mut doc, d);
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_keeps_text_as_text() {
        assert_eq!(md("<script>*x*</script>"), "&lt;script>\\*x\\*&lt;/script>");
        assert_eq!(md("[a](javascript:alert(1))"), "\\[a](javascript:alert(1))");
    }
}
