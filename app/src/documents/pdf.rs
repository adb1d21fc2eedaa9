//! (ssr) A [`Doc`] as an accessible PDF, written by `krilla` (the PDF library
//! of the Typst project): A4 pages, the text in DejaVu Sans embedded (subset)
//! so accents and ñ draw and copy out as text, lines wrapped to the page with
//! the font's own advances (read by `skrifa`, the font reader krilla uses),
//! a new page when one fills, and "Página 3 de 7" in each footer.
//!
//! It is a tagged PDF checked by krilla against PDF/UA-1: every line belongs
//! to its block's structure element (Title, H1, H2 or P, in reading order),
//! the footer is an artifact, the catalog has the title, the language (es-AR
//! or en) and an outline of the headings. Should the check ever refuse a
//! document, the same tagged PDF is written without the check rather than
//! none (and the refusal logged).
use super::{Block, Doc};
use krilla::color::rgb;
use krilla::configure::{Accessibility, Configuration, ConfigurationBuilder};
use krilla::destination::XyzDestination;
use krilla::geom::Point;
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::Fill;
use krilla::tagging::{Artifact, ArtifactType, ContentTag, SpanTag, Tag, TagGroup, TagTree};
use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla::{Data, Document, SerializeSettings};
use skrifa::charmap::Charmap;
use skrifa::instance::{LocationRef, Size};
use skrifa::metrics::GlyphMetrics;
use skrifa::{FontRef, MetadataProvider};
use std::num::NonZeroU16;

/// DejaVu Sans (Bitstream Vera licence, see `app/fonts/LICENSE`).
static REGULAR: &[u8] = include_bytes!("../../fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../../fonts/DejaVuSans-Bold.ttf");

/// A4, in points.
const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const MARGIN_X: f32 = 64.0;
const TOP: f32 = 64.0;
/// Where the text of a page ends.
const BOTTOM: f32 = PAGE_H - 72.0;
const FOOTER_BASELINE: f32 = PAGE_H - 36.0;
const FOOTER_SIZE: f32 = 9.0;
const WIDTH: f32 = PAGE_W - 2.0 * MARGIN_X;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Title,
    H1,
    H2,
    P,
}

struct Style {
    size: f32,
    bold: bool,
    /// Line height, in sizes.
    leading: f32,
    before: f32,
    after: f32,
}

fn style(kind: Kind) -> Style {
    let (size, bold, leading, before, after) = match kind {
        Kind::Title => (19.0, true, 1.25, 0.0, 10.0),
        Kind::H1 => (14.5, true, 1.3, 16.0, 6.0),
        Kind::H2 => (11.5, true, 1.3, 10.0, 3.0),
        Kind::P => (10.5, false, 1.45, 0.0, 5.0),
    };
    Style {
        size,
        bold,
        leading,
        before,
        after,
    }
}

impl Style {
    fn line_height(&self) -> f32 {
        self.size * self.leading
    }
}

/// The glyphs and widths of one embedded face.
struct Face {
    charmap: Charmap<'static>,
    metrics: GlyphMetrics<'static>,
    units_per_em: f32,
    /// Above the baseline and below it, in ems.
    ascent: f32,
    descent: f32,
}

impl Face {
    fn new(data: &'static [u8]) -> Face {
        // The fonts are part of the program: a test opens both.
        let font = FontRef::new(data).expect("embedded font");
        let metrics = font.metrics(Size::unscaled(), LocationRef::default());
        let units_per_em = f32::from(metrics.units_per_em);
        Face {
            charmap: font.charmap(),
            metrics: font.glyph_metrics(Size::unscaled(), LocationRef::default()),
            units_per_em,
            ascent: metrics.ascent / units_per_em,
            descent: -metrics.descent / units_per_em,
        }
    }

    fn glyph(&self, c: char) -> Option<skrifa::GlyphId> {
        self.charmap.map(c).filter(|g| g.to_u32() != 0)
    }

    /// `text` as this face can draw it: invisible format characters dropped,
    /// a character it has no glyph for shown as U+FFFD (never an empty box
    /// that reads as nothing).
    fn drawable(&self, text: &str) -> String {
        text.chars()
            .filter(|c| {
                !matches!(*c as u32, 0x200B..=0x200F | 0x2060..=0x2064 | 0xFE00..=0xFE0F | 0xFEFF)
            })
            .map(|c| {
                if self.glyph(c).is_some() {
                    c
                } else if self.glyph('\u{FFFD}').is_some() {
                    '\u{FFFD}'
                } else {
                    '?'
                }
            })
            .collect()
    }

    /// One glyph per character, each mapped to its character (so the text
    /// copies and reads out as written), advances in ems.
    fn glyphs(&self, text: &str) -> Vec<KrillaGlyph> {
        text.char_indices()
            .map(|(i, c)| {
                let g = self.glyph(c).unwrap_or_default();
                let advance = self.metrics.advance_width(g).unwrap_or(0.0) / self.units_per_em;
                KrillaGlyph::new(
                    GlyphId::new(g.to_u32()),
                    advance,
                    0.0,
                    0.0,
                    0.0,
                    i..i + c.len_utf8(),
                    None,
                )
            })
            .collect()
    }

    fn width(&self, text: &str, size: f32) -> f32 {
        text.chars()
            .map(|c| {
                let g = self.glyph(c).unwrap_or_default();
                self.metrics.advance_width(g).unwrap_or(0.0)
            })
            .sum::<f32>()
            / self.units_per_em
            * size
    }
}

struct Faces {
    regular: Face,
    bold: Face,
}

impl Faces {
    fn new() -> Faces {
        Faces {
            regular: Face::new(REGULAR),
            bold: Face::new(BOLD),
        }
    }

    fn of(&self, bold: bool) -> &Face {
        if bold {
            &self.bold
        } else {
            &self.regular
        }
    }
}

/// `text` in lines no wider than `width`: greedy, at spaces; a word wider
/// than a line is cut where the line fills.
fn wrap(face: &Face, text: &str, size: f32, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if face.width(&candidate, size) <= width {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        let mut rest = word;
        while face.width(rest, size) > width {
            let mut cut = 0;
            for (i, c) in rest.char_indices() {
                let end = i + c.len_utf8();
                if face.width(&rest[..end], size) > width {
                    break;
                }
                cut = end;
            }
            // At least one character a line, however narrow the page.
            let cut = cut.max(rest.chars().next().map_or(1, char::len_utf8));
            lines.push(rest[..cut].to_string());
            rest = &rest[cut..];
        }
        line = rest.to_string();
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// One line of text where it goes on its page.
#[derive(Debug)]
struct Line {
    /// The index of its block in the document.
    block: usize,
    kind: Kind,
    text: String,
    /// Its baseline, from the top of the page.
    baseline: f32,
}

/// A heading, for the outline.
#[derive(Debug)]
struct Mark {
    level: usize,
    text: String,
    page: usize,
    top: f32,
}

#[derive(Debug)]
struct Layout {
    pages: Vec<Vec<Line>>,
    marks: Vec<Mark>,
}

/// The document's blocks in lines on pages, in the document's order.
fn layout(doc: &Doc, faces: &Faces) -> Layout {
    let mut pages: Vec<Vec<Line>> = vec![Vec::new()];
    let mut marks = Vec::new();
    let mut y = TOP;
    let body = style(Kind::P).line_height();
    for (i, block) in doc.blocks.iter().enumerate() {
        let (kind, text) = match block {
            Block::Title(t) => (Kind::Title, t),
            Block::Heading1(t) => (Kind::H1, t),
            Block::Heading2(t) => (Kind::H2, t),
            Block::Paragraph(t) => (Kind::P, t),
            Block::PageBreak => {
                if y > TOP {
                    pages.push(Vec::new());
                    y = TOP;
                }
                continue;
            }
        };
        let st = style(kind);
        let face = faces.of(st.bold);
        let text = face.drawable(text);
        let lines = wrap(face, &text, st.size, WIDTH);
        let height = st.line_height();
        if lines.is_empty() {
            // An empty paragraph: a blank line.
            if y > TOP {
                y = (y + height + st.after).min(BOTTOM);
            }
            continue;
        }
        // A heading stays with the first lines under it; a paragraph's first
        // two lines stay together.
        let keep = match kind {
            Kind::P => lines.len().min(2) as f32 * height,
            _ => lines.len() as f32 * height + 2.0 * body,
        };
        let mut before = if y > TOP { st.before } else { 0.0 };
        if y > TOP && y + before + keep > BOTTOM {
            pages.push(Vec::new());
            y = TOP;
            before = 0.0;
        }
        y += before;
        if kind != Kind::P {
            marks.push(Mark {
                level: kind as usize,
                text: text.clone(),
                page: pages.len() - 1,
                top: y,
            });
        }
        let pad = (height - (face.ascent + face.descent) * st.size) / 2.0;
        for line in lines {
            if y + height > BOTTOM && y > TOP {
                pages.push(Vec::new());
                y = TOP;
            }
            pages.last_mut().expect("a page").push(Line {
                block: i,
                kind,
                text: line,
                baseline: y + pad + face.ascent * st.size,
            });
            y += height;
        }
        y += st.after;
    }
    if pages.len() > 1 && pages.last().is_some_and(Vec::is_empty) {
        pages.pop();
    }
    Layout { pages, marks }
}

fn ink(r: u8, g: u8, b: u8) -> Fill {
    Fill {
        paint: rgb::Color::new(r, g, b).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }
}

/// The structure element of each block (none for a page break).
fn tag_of(block: &Block) -> Option<TagGroup> {
    let level = |n| NonZeroU16::new(n).expect("a heading level");
    match block {
        Block::Title(_) => Some(TagGroup::new(Tag::Title)),
        Block::Heading1(t) => Some(TagGroup::new(Tag::Hn(level(1), Some(t.clone())))),
        Block::Heading2(t) => Some(TagGroup::new(Tag::Hn(level(2), Some(t.clone())))),
        Block::Paragraph(_) => Some(TagGroup::new(Tag::P)),
        Block::PageBreak => None,
    }
}

/// The headings as nested bookmarks: title, then heading 1, then heading 2.
fn outline(marks: &[Mark]) -> Outline {
    let mut outline = Outline::new();
    let mut open: Vec<(usize, OutlineNode)> = Vec::new();
    let close = |open: &mut Vec<(usize, OutlineNode)>, outline: &mut Outline| {
        if let Some((_, node)) = open.pop() {
            match open.last_mut() {
                Some((_, parent)) => parent.push_child(node),
                None => outline.push_child(node),
            }
        }
    };
    for m in marks {
        while open.last().is_some_and(|(level, _)| *level >= m.level) {
            close(&mut open, &mut outline);
        }
        let to = XyzDestination::new(m.page, Point::from_xy(MARGIN_X, m.top));
        open.push((m.level, OutlineNode::new(m.text.clone(), to)));
    }
    while !open.is_empty() {
        close(&mut open, &mut outline);
    }
    outline
}

fn write(
    doc: &Doc,
    laid: &Layout,
    faces: &Faces,
    configuration: Configuration,
) -> Result<Vec<u8>, String> {
    let mut document = Document::new_with(SerializeSettings {
        configuration,
        enable_tagging: true,
        ..SerializeSettings::default()
    });
    let regular = Font::new(Data::from(REGULAR), 0).ok_or("font")?;
    let bold = Font::new(Data::from(BOLD), 0).ok_or("font")?;
    let mut groups: Vec<Option<TagGroup>> = doc.blocks.iter().map(tag_of).collect();
    let total = laid.pages.len();
    for (n, lines) in laid.pages.iter().enumerate() {
        let settings = PageSettings::from_wh(PAGE_W, PAGE_H).ok_or("page size")?;
        let mut page = document.start_page_with(settings);
        let mut surface = page.surface();
        surface.set_fill(Some(ink(0x1a, 0x1a, 0x1a)));
        for line in lines {
            let st = style(line.kind);
            let (face, font) = if st.bold {
                (&faces.bold, &bold)
            } else {
                (&faces.regular, &regular)
            };
            let id = surface.start_tagged(ContentTag::Span(SpanTag::empty()));
            surface.draw_glyphs(
                Point::from_xy(MARGIN_X, line.baseline),
                &face.glyphs(&line.text),
                font.clone(),
                &line.text,
                st.size,
                false,
            );
            surface.end_tagged();
            if let Some(group) = groups[line.block].as_mut() {
                group.push(id);
            }
        }
        let footer = faces.regular.drawable(&doc.page_footer(n + 1, total));
        let width = faces.regular.width(&footer, FOOTER_SIZE);
        surface.set_fill(Some(ink(0x55, 0x55, 0x55)));
        surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(
            ArtifactType::Footer,
        )));
        surface.draw_glyphs(
            Point::from_xy((PAGE_W - width) / 2.0, FOOTER_BASELINE),
            &faces.regular.glyphs(&footer),
            regular.clone(),
            &footer,
            FOOTER_SIZE,
            false,
        );
        surface.end_tagged();
        surface.finish();
        page.finish();
    }
    let mut tree = TagTree::new().with_lang(Some(doc.locale.tag().to_string()));
    for group in groups.into_iter().flatten() {
        if !group.children.is_empty() {
            tree.push(group);
        }
    }
    document.set_tag_tree(tree);
    document.set_outline(outline(&laid.marks));
    document.set_metadata(
        Metadata::new()
            .title(doc.title.clone())
            .language(doc.locale.tag().to_string())
            .creator("cocrea".to_string()),
    );
    document.finish().map_err(|e| format!("{e:?}"))
}

/// PDF/UA-1, checked by krilla as it writes.
fn accessible() -> Result<Configuration, String> {
    ConfigurationBuilder::new()
        .with_accessibility_validator(Accessibility::UA1)
        .finish()
        .map_err(|e| format!("{e:?}"))
}

/// The document as a PDF.
pub fn render(doc: &Doc) -> Result<Vec<u8>, String> {
    let faces = Faces::new();
    let laid = layout(doc, &faces);
    write(doc, &laid, &faces, accessible()?).or_else(|refused| {
        tracing::warn!(%refused, "PDF/UA-1 check refused a document; writing it unchecked");
        write(doc, &laid, &faces, Configuration::default())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;

    fn sample(paragraphs: usize) -> Doc {
        let mut d = Doc::new("Plan de acción", Locale::EsAr);
        d.title("Plan de acción").heading1("Descripción");
        for i in 0..paragraphs {
            d.heading2(&format!("Sección {i}")).paragraphs(
                &"Compromiso de diseño y participación ciudadana en la niñez. ".repeat(12),
            );
        }
        d
    }

    #[test]
    fn both_fonts_draw_spanish_and_the_symbols_the_exports_use() {
        let faces = Faces::new();
        for face in [&faces.regular, &faces.bold] {
            for c in "áéíóúüñÁÉÍÓÚÜÑ¿¡ºª€·—–→“”‘’…•\u{FFFD}".chars()
            {
                assert!(face.glyph(c).is_some(), "{c}");
            }
        }
        assert_eq!(faces.regular.drawable("a\u{200B}b中"), "ab\u{FFFD}");
    }

    #[test]
    fn long_text_wraps_within_the_line_and_keeps_every_word() {
        let faces = Faces::new();
        let text = "La participación ciudadana es parte del diseño. ".repeat(20);
        let lines = wrap(&faces.regular, text.trim(), 10.5, WIDTH);
        assert!(lines.len() > 5);
        for l in &lines {
            assert!(faces.regular.width(l, 10.5) <= WIDTH, "{l}");
        }
        assert_eq!(lines.join(" "), text.trim());
        // A word wider than the line is cut, not lost.
        let word = "ñ".repeat(200);
        let cut = wrap(&faces.regular, &word, 10.5, WIDTH);
        assert!(cut.len() > 1);
        assert_eq!(cut.concat(), word);
    }

    #[test]
    fn pages_fill_then_break_and_keep_the_order() {
        let faces = Faces::new();
        let mut d = sample(30);
        d.page_break().heading1("Hitos").page_break();
        let laid = layout(&d, &faces);
        assert!(laid.pages.len() > 2, "{}", laid.pages.len());
        let mut last = 0;
        for page in &laid.pages {
            for line in page {
                assert!(line.baseline < BOTTOM && line.baseline > TOP);
                assert!(line.block >= last);
                last = line.block;
            }
        }
        // The page break put "Hitos" at the top of the last page, which the
        // trailing break left alone.
        let final_page = laid.pages.last().unwrap();
        assert_eq!(final_page.len(), 1);
        assert_eq!(final_page[0].text, "Hitos");
        // A heading is never the last line of a page.
        for page in &laid.pages {
            assert_eq!(page.last().unwrap().kind == Kind::H2, false);
        }
        assert_eq!(laid.marks[0].level, 0);
        assert_eq!(laid.marks.last().unwrap().text, "Hitos");
    }

    #[test]
    fn the_pdf_passes_pdf_ua_1_and_is_tagged() {
        let faces = Faces::new();
        // Text the font lacks, and invisible characters, pass the check too.
        let mut d = sample(30);
        d.paragraphs("漢字 \u{200B}\u{FEFF}emoji 😀 fin");
        let laid = layout(&d, &faces);
        let pdf = write(&d, &laid, &faces, accessible().unwrap()).expect("PDF/UA-1");
        assert_eq!(d.pdf().unwrap(), pdf);
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.starts_with("%PDF-1.7"));
        for needle in [
            "/StructTreeRoot",
            "/Marked true",
            "/Lang(es-AR)",
            "/Outlines",
            "/DisplayDocTitle true",
            "pdfuaid:part",
        ] {
            assert!(text.contains(needle), "{needle}");
        }
        assert_eq!(laid.pages.len(), 8);
        assert!(pdf.len() < 100_000, "{}", pdf.len());
    }
}
