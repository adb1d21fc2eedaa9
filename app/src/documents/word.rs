//! (ssr) A [`Doc`] as a Word document, written by `docx-rs`.
//!
//! Why `docx-rs` and not hand-written WordprocessingML: it is maintained, its
//! parts are validated by its own tests, and on this workspace it adds little
//! (`cargo tree`: its `quick-xml` 0.41, `base64`, `crc32fast` and `thiserror`
//! were here already; its `zip` 8 is the one `documents::zip` uses too, so
//! there is a single `zip`). Two things it does not do are done here: it
//! stores its parts uncompressed, so they are deflated again with `zip`, and it
//! has no setter for the title and language of `docProps/core.xml`, which is
//! written here.
use super::{Block, Doc};
use docx_rs::{
    AlignmentType, Docx, Footer, LineSpacing, NumPages, PageNum, Paragraph, Run, RunFonts, Style,
    StyleType,
};
use std::io::Read as _;

/// A paragraph style with Word's own id and name (`Heading1` / "heading 1"),
/// so Word's navigation pane, outline and readers see a real heading.
fn heading_style(id: &str, name: &str, half_points: usize, before: u32, level: usize) -> Style {
    Style::new(id, StyleType::Paragraph)
        .name(name)
        .based_on("Normal")
        .next("Normal")
        .q_format(true)
        .bold()
        .size(half_points)
        .line_spacing(LineSpacing::new().before(before).after(120))
        .outline_lvl(level)
}

fn text(t: &str) -> Run {
    Run::new().add_text(t)
}

/// "Página {page} de {pages}" with Word's PAGE and NUMPAGES fields in place
/// of the numbers.
fn page_numbers(doc: &Doc) -> Paragraph {
    const PAGE: char = '\u{1}';
    const PAGES: char = '\u{2}';
    let template = doc.locale.tf(
        "document.page_of",
        &[("page", &PAGE.to_string()), ("pages", &PAGES.to_string())],
    );
    let mut p = Paragraph::new()
        .style("Normal")
        .align(AlignmentType::Center)
        .size(18);
    for piece in template.split_inclusive([PAGE, PAGES]) {
        let (words, field) = match piece.strip_suffix(PAGE) {
            Some(words) => (words, Some(PAGE)),
            None => match piece.strip_suffix(PAGES) {
                Some(words) => (words, Some(PAGES)),
                None => (piece, None),
            },
        };
        if !words.is_empty() {
            p = p.add_run(text(words));
        }
        p = match field {
            Some(PAGE) => p.add_page_num(PageNum::new()),
            Some(_) => p.add_num_pages(NumPages::new()),
            None => p,
        };
    }
    p
}

/// Text as XML character data (`Doc` has dropped the control characters).
fn xml(v: &str) -> String {
    v.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn core_properties(doc: &Doc) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
         xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
         <dc:title>{}</dc:title><dc:language>{}</dc:language><dc:creator>cocrea</dc:creator>\
         </cp:coreProperties>",
        xml(&doc.title),
        doc.locale.tag()
    )
}

/// The document as a `.docx`.
pub fn render(doc: &Doc) -> Vec<u8> {
    let mut docx = Docx::new()
        .default_size(22)
        .default_fonts(
            RunFonts::new()
                .ascii("DejaVu Sans")
                .hi_ansi("DejaVu Sans")
                .cs("DejaVu Sans"),
        )
        .add_style(heading_style("Title", "Title", 36, 0, 0))
        .add_style(heading_style("Heading1", "heading 1", 30, 360, 0))
        .add_style(heading_style("Heading2", "heading 2", 24, 240, 1))
        .footer(Footer::new().add_paragraph(page_numbers(doc)));
    let mut new_page = false;
    for block in &doc.blocks {
        let (style, t) = match block {
            Block::Title(t) => ("Title", t),
            Block::Heading1(t) => ("Heading1", t),
            Block::Heading2(t) => ("Heading2", t),
            // Named, as docx-rs does not mark its Normal style the default.
            Block::Paragraph(t) => ("Normal", t),
            Block::PageBreak => {
                new_page = true;
                continue;
            }
        };
        let mut p = Paragraph::new().add_run(text(t)).style(style);
        if new_page {
            p = p.page_break_before(true);
            new_page = false;
        }
        if style != "Normal" {
            p = p.keep_next(true);
        }
        docx = docx.add_paragraph(p);
    }
    let mut packed = std::io::Cursor::new(Vec::new());
    // Writing to memory fails only on a broken archive state, which docx-rs
    // never leaves.
    docx.build().pack(&mut packed).expect("docx");
    let core = core_properties(doc);
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(packed.into_inner())).expect("docx zip");
    let mut parts: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).expect("docx part");
        if file.is_dir() {
            continue;
        }
        let name = file.name().to_string();
        let mut data = Vec::new();
        file.read_to_end(&mut data).expect("docx part");
        if name == "docProps/core.xml" {
            data = core.clone().into_bytes();
        }
        parts.push((name, data));
    }
    let refs: Vec<(&str, &[u8])> = parts
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_slice()))
        .collect();
    super::zip(&refs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;

    fn part(bytes: &[u8], name: &str) -> String {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut file = archive.by_name(name).unwrap();
        assert_eq!(file.compression(), zip::CompressionMethod::Deflated);
        let mut text = String::new();
        file.read_to_string(&mut text).unwrap();
        text
    }

    #[test]
    fn headings_are_word_styles_and_text_is_escaped() {
        let mut d = Doc::new("Plan <1> & ñandú", Locale::EsAr);
        d.title("Plan <1>")
            .heading1("Sección")
            .paragraphs("a < b & c")
            .page_break()
            .heading2("Año");
        let bytes = d.docx();
        let body = part(&bytes, "word/document.xml");
        let title = body.find("w:val=\"Title\"").unwrap();
        let h1 = body.find("w:val=\"Heading1\"").unwrap();
        let h2 = body.find("w:val=\"Heading2\"").unwrap();
        assert!(title < h1 && h1 < h2);
        assert!(body.contains("a &lt; b &amp; c"));
        assert!(body.contains("<w:pageBreakBefore />"), "{body}");
        let styles = part(&bytes, "word/styles.xml");
        assert!(styles.contains("heading 1") && styles.contains("heading 2"));
        let core = part(&bytes, "docProps/core.xml");
        assert!(core.contains("<dc:title>Plan &lt;1&gt; &amp; ñandú</dc:title>"));
        assert!(core.contains("<dc:language>es-AR</dc:language>"));
        let footer = part(&bytes, "word/footer1.xml");
        assert!(footer.contains("Página ") && footer.contains(" de "));
        assert!(footer.contains("PAGE") && footer.contains("NUMPAGES"));
    }
}
