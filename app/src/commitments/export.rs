//! (ssr) A commitment sheet as Markdown, JSON and DOCX, in the template's order
//! with its Spanish headings (the plan is published in Spanish).
use super::model::*;
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

/// Text as XML character data; control characters XML does not allow are dropped.
fn xml(v: &str) -> String {
    let v: String = v
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
        .collect();
    v.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// WordprocessingML paragraphs: one per line of `text`, in `style` if any.
fn paragraphs(text: &str, style: Option<&str>) -> String {
    let style = style
        .map(|s| format!("<w:pPr><w:pStyle w:val=\"{s}\"/></w:pPr>"))
        .unwrap_or_default();
    text.split('\n')
        .map(|line| {
            format!(
                "<w:p>{style}<w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
                xml(line)
            )
        })
        .collect()
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

fn document_xml(body: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
         <w:body>{body}<w:sectPr/></w:body></w:document>"
    )
}

const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>\
</Types>";

const RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
</Relationships>";

const DOCUMENT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>\
</Relationships>";

fn style(id: &str, name: &str, size: u32) -> String {
    format!(
        "<w:style w:type=\"paragraph\" w:styleId=\"{id}\"><w:name w:val=\"{name}\"/><w:basedOn w:val=\"Normal\"/>\
         <w:next w:val=\"Normal\"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before=\"240\" w:after=\"120\"/></w:pPr>\
         <w:rPr><w:b/><w:sz w:val=\"{size}\"/></w:rPr></w:style>"
    )
}

fn styles_xml() -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
         <w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/>\
         <w:pPr><w:spacing w:after=\"120\"/></w:pPr><w:rPr><w:sz w:val=\"22\"/></w:rPr></w:style>\
         {}{}{}</w:styles>",
        style("Title", "Title", 36),
        style("Heading1", "heading 1", 30),
        style("Heading2", "heading 2", 24)
    )
}

/// A Word document (Office Open XML) of `body`, in a plain (stored) zip.
fn word(body: &str) -> Vec<u8> {
    zip(&[
        ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ("_rels/.rels", RELS.as_bytes()),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS.as_bytes()),
        ("word/document.xml", document_xml(body).as_bytes()),
        ("word/styles.xml", styles_xml().as_bytes()),
    ])
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

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= byte as u32;
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A zip archive of `files`, stored without compression (every reader opens it).
fn zip(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in files {
        let offset = out.len() as u32;
        let (crc, size) = (crc32(data), data.len() as u32);
        let header = |signature: u32, central: bool| {
            let mut h = Vec::new();
            h.extend_from_slice(&signature.to_le_bytes());
            if central {
                h.extend_from_slice(&20u16.to_le_bytes()); // made by
            }
            h.extend_from_slice(&20u16.to_le_bytes()); // needed to extract
            h.extend_from_slice(&0x0800u16.to_le_bytes()); // names in UTF-8
            h.extend_from_slice(&0u16.to_le_bytes()); // stored
            h.extend_from_slice(&0u32.to_le_bytes()); // time and date
            h.extend_from_slice(&crc.to_le_bytes());
            h.extend_from_slice(&size.to_le_bytes());
            h.extend_from_slice(&size.to_le_bytes());
            h.extend_from_slice(&(name.len() as u16).to_le_bytes());
            h.extend_from_slice(&0u16.to_le_bytes()); // extra
            if central {
                h.extend_from_slice(&0u16.to_le_bytes()); // comment
                h.extend_from_slice(&0u16.to_le_bytes()); // disk
                h.extend_from_slice(&0u16.to_le_bytes()); // internal attributes
                h.extend_from_slice(&0u32.to_le_bytes()); // external attributes
                h.extend_from_slice(&offset.to_le_bytes());
            }
            h.extend_from_slice(name.as_bytes());
            h
        };
        out.extend(header(0x0403_4b50, false));
        out.extend_from_slice(data);
        central.extend(header(0x0201_4b50, true));
    }
    let central_offset = out.len() as u32;
    let central_size = central.len() as u32;
    out.extend(central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]); // disk numbers
    out.extend_from_slice(&(files.len() as u16).to_le_bytes());
    out.extend_from_slice(&(files.len() as u16).to_le_bytes());
    out.extend_from_slice(&central_size.to_le_bytes());
    out.extend_from_slice(&central_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes()); // comment
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_of_a_known_text() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn markdown_keeps_text_as_text() {
        assert_eq!(md("<script>*x*</script>"), "&lt;script>\\*x\\*&lt;/script>");
        assert_eq!(md("[a](javascript:alert(1))"), "\\[a](javascript:alert(1))");
    }
}
