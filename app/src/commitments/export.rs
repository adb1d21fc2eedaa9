//! (ssr) A commitment sheet as Markdown, JSON and DOCX, in the template's order
//! with its Spanish headings (the plan is published in Spanish).
use super::model::*;
use crate::documents::{paragraphs, word};
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

/// One sheet's paragraphs, headed by its code and title in `title_style`.
fn sheet_body(d: &CommitmentDetail, title_style: &str) -> String {
    let s = &d.sheet;
    let mut body = paragraphs(&format!("{} · {}", d.code, s.title), Some(title_style));
    body += &paragraphs(
        &format!(
            "{} · {}",
            ES.t(&format!("commitment.state.{}", d.state.as_str())),
            ES.tf("commitment.version", &[("number", &d.version.to_string())])
        ),
        None,
    );
    for (section, fields) in sections() {
        body += &paragraphs(&ES.t(section), Some("Heading1"));
        for f in fields {
            body += &paragraphs(&ES.t(f.label), Some("Heading2"));
            let text = s.text(f.name).unwrap_or("");
            if f.long {
                for p in crate::markdown::to_plain_paragraphs(text) {
                    body += &paragraphs(&p, None);
                }
            } else {
                body += &paragraphs(text, None);
            }
        }
        if section == "sheet.section.analysis" {
            body += &paragraphs(&ES.t("sheet.values"), Some("Heading2"));
            body += &paragraphs(&values_text(s), None);
        }
    }
    body += &paragraphs(&ES.t("sheet.milestones"), Some("Heading1"));
    for m in &s.milestones {
        body += &paragraphs(&milestone_line(m), None);
    }
    body
}

/// The sheet as a Word document.
pub fn docx(d: &CommitmentDetail) -> Vec<u8> {
    word(&sheet_body(d, "Title"))
}

/// The whole action plan: its title, then every sheet, each from a new page.
pub fn plan_docx(process_title: &str, sheets: &[CommitmentDetail]) -> Vec<u8> {
    let mut body = paragraphs(process_title, Some("Title"));
    body += &paragraphs(&ES.t("plan.title"), None);
    for d in sheets {
        body += "<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>";
        body += &sheet_body(d, "Title");
    }
    word(&body)
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
