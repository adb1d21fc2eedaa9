//! (ssr) The documents the platform hands out, made with maintained crates:
//! zip archives (`zip`, deflated), CSV (`csv`, with formulas defused) and Word
//! documents (WordprocessingML parts in a zip).
use std::io::Write as _;

/// A zip archive of `files`, deflated.
pub fn zip(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut archive = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in files {
        // Writing to memory fails only on a broken archive state, which the
        // calls above never leave.
        archive.start_file(*name, options).expect("zip entry");
        archive.write_all(data).expect("zip data");
    }
    archive.finish().expect("zip").into_inner()
}

/// A CSV field a spreadsheet will show as text: a leading `=`, `+`, `-` or `@`
/// is defused so no cell runs as a formula.
fn defused(v: &str) -> std::borrow::Cow<'_, str> {
    if v.starts_with(['=', '+', '-', '@']) {
        format!("'{v}").into()
    } else {
        v.into()
    }
}

/// Rows as CSV (CRLF line ends, quoted where needed, formulas defused).
pub fn csv<R, F>(rows: R) -> String
where
    R: IntoIterator<Item = Vec<F>>,
    F: AsRef<str>,
{
    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .flexible(true)
        .from_writer(Vec::new());
    for row in rows {
        let fields: Vec<std::borrow::Cow<'_, str>> =
            row.iter().map(|f| defused(f.as_ref())).collect();
        // Writing to memory cannot fail.
        out.write_record(fields.iter().map(|f| f.as_bytes()))
            .expect("csv row");
    }
    String::from_utf8(out.into_inner().unwrap_or_default()).unwrap_or_default()
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
pub fn paragraphs(text: &str, style: Option<&str>) -> String {
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

/// A Word document (Office Open XML) of `body`.
pub fn word(body: &str) -> Vec<u8> {
    zip(&[
        ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ("_rels/.rels", RELS.as_bytes()),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS.as_bytes()),
        ("word/document.xml", document_xml(body).as_bytes()),
        ("word/styles.xml", styles_xml().as_bytes()),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read as _;

    #[test]
    fn csv_fields_are_quoted_and_defused() {
        let out = csv([vec![
            "=1+1",
            "a,b",
            "dijo \"hola\"",
            "línea\nnueva",
            "-2",
            "ok",
        ]]);
        assert_eq!(
            out,
            "'=1+1,\"a,b\",\"dijo \"\"hola\"\"\",\"línea\nnueva\",'-2,ok\r\n"
        );
    }

    #[test]
    fn a_zip_opens_and_holds_its_files() {
        let bytes = zip(&[("a.txt", "ñandú".as_bytes()), ("b/c.json", b"{}")]);
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut text = String::new();
        archive
            .by_name("a.txt")
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, "ñandú");
        assert_eq!(archive.len(), 2);
    }
}
