//! (ssr) The documents the platform hands out, made with maintained crates:
//! zip archives (`zip`, deflated), CSV (`csv`, with formulas defused), and
//! the sheets, the plan and the report as one small document model ([`Doc`])
//! that is built once and rendered to Word (`word.rs`, by `docx-rs`) and to an
//! accessible, tagged PDF (`pdf.rs`, by `krilla`).
use crate::i18n::Locale;
use std::io::Write as _;

pub mod pdf;
pub mod word;

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

/// A document in reading order: what the Word and PDF renderers both walk.
/// Built once per download by the exports (the sheet, the plan, the report).
#[derive(Clone, Debug, PartialEq)]
pub struct Doc {
    /// The title in the file's metadata (the PDF's and the DOCX's own).
    pub title: String,
    /// The language it is written in: its metadata and its footer's words.
    pub locale: Locale,
    pub blocks: Vec<Block>,
}

/// One block of a [`Doc`]. Headings become Word's Title / Heading 1 /
/// Heading 2 styles and the PDF's Title / H1 / H2 tags; paragraphs, `P`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    Title(String),
    Heading1(String),
    Heading2(String),
    Paragraph(String),
    /// What follows starts a new page.
    PageBreak,
}

impl Block {
    /// The block's text (none for a page break).
    pub fn text(&self) -> Option<&str> {
        match self {
            Block::Title(t) | Block::Heading1(t) | Block::Heading2(t) | Block::Paragraph(t) => {
                Some(t)
            }
            Block::PageBreak => None,
        }
    }
}

/// Text as a document holds it: no control characters (which XML forbids and
/// no font draws), a tab as a space, and no line breaks (a block is one line
/// of thought; `Doc::paragraphs` splits lines into blocks).
fn clean(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\t' | '\n' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

impl Doc {
    pub fn new(title: &str, locale: Locale) -> Doc {
        Doc {
            title: clean(title),
            locale,
            blocks: Vec::new(),
        }
    }

    pub fn title(&mut self, text: &str) -> &mut Doc {
        self.blocks.push(Block::Title(clean(text)));
        self
    }

    pub fn heading1(&mut self, text: &str) -> &mut Doc {
        self.blocks.push(Block::Heading1(clean(text)));
        self
    }

    pub fn heading2(&mut self, text: &str) -> &mut Doc {
        self.blocks.push(Block::Heading2(clean(text)));
        self
    }

    /// One paragraph per line of `text` (an empty text is one empty paragraph).
    pub fn paragraphs(&mut self, text: &str) -> &mut Doc {
        for line in text.split('\n') {
            self.blocks.push(Block::Paragraph(clean(line)));
        }
        self
    }

    pub fn page_break(&mut self) -> &mut Doc {
        self.blocks.push(Block::PageBreak);
        self
    }

    /// The footer of page `page` of `pages`: "Página 3 de 7".
    pub fn page_footer(&self, page: usize, pages: usize) -> String {
        self.locale.tf(
            "document.page_of",
            &[("page", &page.to_string()), ("pages", &pages.to_string())],
        )
    }

    /// The document as Word (Office Open XML).
    pub fn docx(&self) -> Vec<u8> {
        word::render(self)
    }

    /// The document as a tagged PDF; `Err` only if the PDF library fails.
    pub fn pdf(&self) -> Result<Vec<u8>, String> {
        pdf::render(self)
    }
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

    #[test]
    fn a_doc_holds_clean_blocks_in_order() {
        let mut d = Doc::new("Plan\u{7}", Locale::EsAr);
        d.title("Título")
            .heading1("Sección")
            .paragraphs("uno\tdos\ntres\r")
            .page_break()
            .heading2("Año");
        assert_eq!(d.title, "Plan");
        assert_eq!(
            d.blocks,
            [
                Block::Title("Título".into()),
                Block::Heading1("Sección".into()),
                Block::Paragraph("uno dos".into()),
                Block::Paragraph("tres".into()),
                Block::PageBreak,
                Block::Heading2("Año".into()),
            ]
        );
        assert_eq!(d.page_footer(3, 7), "Página 3 de 7");
        assert_eq!(Doc::new("x", Locale::En).page_footer(1, 2), "Page 1 of 2");
    }
}
