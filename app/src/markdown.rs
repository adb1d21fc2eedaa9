//! Markdown, both ways. `escape` turns plain text into Markdown that stays
//! text. `parse` reads user-written Markdown into a small tree of allowed
//! nodes; the `Markdown` component, `to_markdown` and `to_plain_paragraphs`
//! show or export only that tree, so raw HTML, images, headings and links to
//! anything but http(s) never get through.

use leptos::prelude::*;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// `text` with Markdown's inline markup and HTML neutralised.
pub fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('<', "&lt;")
        .replace('*', "\\*")
        .replace('_', "\\_")
        .replace('`', "\\`")
        .replace('[', "\\[")
}

/// Lists and quotes nested deeper than this become plain text, and inline
/// markup deeper than this is dropped, so hostile input can't make the
/// recursive parse and render blow the stack.
const MAX_DEPTH: usize = 8;

/// A block of user Markdown, limited to what is safe to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    Paragraph(Vec<Inline>),
    /// `start` is the first number of an ordered list (1 for bullets). A
    /// `tight` list shows its items' paragraphs without `<p>`.
    List {
        ordered: bool,
        start: u64,
        tight: bool,
        items: Vec<Vec<Block>>,
    },
    Quote(Vec<Block>),
    Code(String),
}

/// Inline content of a paragraph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Inline {
    /// May hold `\n` where the source had a soft line break.
    Text(String),
    Strong(Vec<Inline>),
    Emphasis(Vec<Inline>),
    Code(String),
    /// `href` is always an `http://` or `https://` URL.
    Link {
        href: String,
        children: Vec<Inline>,
    },
    Break,
}

type Events<'a> = std::iter::Peekable<Parser<'a>>;

/// `src` as a tree of allowed nodes (see the module doc).
pub fn parse(src: &str) -> Vec<Block> {
    // No extensions: tables, footnotes, task lists, strikethrough etc. stay text.
    let mut events = Parser::new_ext(src, Options::empty()).peekable();
    let mut blocks = Vec::new();
    loop {
        blocks.extend(parse_blocks(&mut events, 0).0);
        // `parse_blocks` stops only at an `End` or the end of input.
        if events.next().is_none() {
            return blocks;
        }
    }
}

/// The href to keep for a link, or `None` to show the link as plain text.
fn safe_href(url: &str) -> Option<String> {
    let url = url.trim();
    let b = url.as_bytes();
    let http = (b.len() >= 8 && b[..8].eq_ignore_ascii_case(b"https://"))
        || (b.len() >= 7 && b[..7].eq_ignore_ascii_case(b"http://"));
    if !http || url.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return None;
    }
    Some(url.to_string())
}

fn is_inline_tag(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

fn is_inline_end(end: &TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

fn is_block_start(event: &Event) -> bool {
    match event {
        Event::Start(tag) => !is_inline_tag(tag),
        Event::Rule => true,
        _ => false,
    }
}

/// Consumes the `End` that closes the element whose content was just read.
fn close(ev: &mut Events) {
    if matches!(ev.peek(), Some(Event::End(_))) {
        ev.next();
    }
}

/// The text of everything up to and including the `End` matching an
/// already consumed `Start`, without markup. Iterative, so depth is no issue.
fn plain_until_end(ev: &mut Events) -> String {
    let mut s = String::new();
    let mut open = 1usize;
    for event in ev.by_ref() {
        match event {
            Event::Start(_) => open += 1,
            Event::End(end) => {
                open -= 1;
                if open == 0 {
                    break;
                }
                if !is_inline_end(&end) && !s.ends_with('\n') {
                    s.push('\n');
                }
            }
            Event::Text(t)
            | Event::Code(t)
            | Event::Html(t)
            | Event::InlineHtml(t)
            | Event::InlineMath(t)
            | Event::DisplayMath(t)
            | Event::FootnoteReference(t) => s.push_str(&t),
            Event::SoftBreak | Event::HardBreak => s.push('\n'),
            Event::Rule | Event::TaskListMarker(_) => {}
        }
    }
    s
}

fn push_paragraph(out: &mut Vec<Block>, inlines: Vec<Inline>) {
    if !inlines.is_empty() {
        out.push(Block::Paragraph(inlines));
    }
}

fn push_plain(out: &mut Vec<Block>, text: &str) {
    let text = text.trim_matches('\n');
    if !text.is_empty() {
        out.push(Block::Paragraph(vec![Inline::Text(text.to_string())]));
    }
}

/// Blocks up to (not including) the next unmatched `End`. The flag tells
/// whether a paragraph was explicit, which pulldown-cmark only emits in loose
/// lists.
fn parse_blocks(ev: &mut Events, depth: usize) -> (Vec<Block>, bool) {
    let mut out = Vec::new();
    let mut loose = false;
    while let Some(event) = ev.peek() {
        if matches!(event, Event::End(_)) {
            break;
        }
        if !is_block_start(event) {
            // Inline content straight in a container: a tight list item.
            let inlines = parse_inlines(ev, 0);
            push_paragraph(&mut out, inlines);
            continue;
        }
        let Some(Event::Start(tag)) = ev.next() else {
            continue; // a rule: not part of the allowed subset
        };
        match tag {
            Tag::Paragraph => {
                loose = true;
                let inlines = parse_inlines(ev, 0);
                close(ev);
                push_paragraph(&mut out, inlines);
            }
            // Headings would break the page's own heading outline.
            Tag::Heading { .. } => {
                let inlines = parse_inlines(ev, 0);
                close(ev);
                if !inlines.is_empty() {
                    out.push(Block::Paragraph(vec![Inline::Strong(inlines)]));
                }
            }
            Tag::BlockQuote(_) if depth < MAX_DEPTH => {
                let (blocks, _) = parse_blocks(ev, depth + 1);
                close(ev);
                out.push(Block::Quote(blocks));
            }
            Tag::List(first) if depth < MAX_DEPTH => {
                out.extend(parse_list(ev, first, depth));
            }
            Tag::Item if depth < MAX_DEPTH => {
                let (blocks, _) = parse_blocks(ev, depth + 1);
                close(ev);
                out.extend(blocks);
            }
            Tag::CodeBlock(_) => {
                let code = plain_until_end(ev);
                let code = code.strip_suffix('\n').unwrap_or(&code);
                out.push(Block::Code(code.to_string()));
            }
            // Raw HTML, anything too deep and anything unknown: its text.
            _ => push_plain(&mut out, &plain_until_end(ev)),
        }
    }
    (out, loose)
}

/// The items of a list whose `Start` was just consumed, and its `End`.
/// Empty items are dropped: written back, a lone `-` after a line of text
/// would make that line a heading.
fn parse_list(ev: &mut Events, first: Option<u64>, depth: usize) -> Option<Block> {
    let mut items = Vec::new();
    let mut loose = false;
    loop {
        match ev.next() {
            Some(Event::Start(Tag::Item)) => {
                let (blocks, item_loose) = parse_blocks(ev, depth + 1);
                close(ev);
                loose |= item_loose;
                if !blocks.is_empty() {
                    items.push(blocks);
                }
            }
            Some(Event::Start(_)) => {
                plain_until_end(ev);
            }
            Some(Event::End(_)) | None => break,
            Some(_) => {}
        }
    }
    (!items.is_empty()).then(|| Block::List {
        ordered: first.is_some(),
        start: first.unwrap_or(1),
        tight: !loose,
        items,
    })
}

fn push_text(out: &mut Vec<Inline>, text: &str) {
    if text.is_empty() {
        return;
    }
    match out.last_mut() {
        Some(Inline::Text(last)) => last.push_str(text),
        _ => out.push(Inline::Text(text.to_string())),
    }
}

/// Inline content up to (not including) the next unmatched `End` or block.
fn parse_inlines(ev: &mut Events, depth: usize) -> Vec<Inline> {
    let mut out = Vec::new();
    // Elements shown as their bare content, whose `End` is still to come.
    let mut unwrapped = 0usize;
    while let Some(event) = ev.peek() {
        if is_block_start(event) {
            break;
        }
        if matches!(event, Event::End(_)) {
            if unwrapped == 0 {
                break;
            }
            unwrapped -= 1;
            ev.next();
            continue;
        }
        let Some(event) = ev.next() else { break };
        match event {
            // Raw HTML is shown as the text it is, never interpreted.
            Event::Text(t)
            | Event::Html(t)
            | Event::InlineHtml(t)
            | Event::InlineMath(t)
            | Event::DisplayMath(t) => push_text(&mut out, &t),
            Event::FootnoteReference(t) => push_text(&mut out, &format!("[^{t}]")),
            Event::Code(t) => out.push(Inline::Code(t.into_string())),
            Event::SoftBreak => push_text(&mut out, "\n"),
            Event::HardBreak => out.push(Inline::Break),
            Event::Start(Tag::Emphasis) if depth < MAX_DEPTH => {
                let children = parse_inlines(ev, depth + 1);
                close(ev);
                if !children.is_empty() {
                    out.push(Inline::Emphasis(children));
                }
            }
            Event::Start(Tag::Strong) if depth < MAX_DEPTH => {
                let children = parse_inlines(ev, depth + 1);
                close(ev);
                if !children.is_empty() {
                    out.push(Inline::Strong(children));
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) if depth < MAX_DEPTH => {
                match safe_href(&dest_url) {
                    Some(href) => {
                        let mut children = parse_inlines(ev, depth + 1);
                        close(ev);
                        if children.is_empty() {
                            children.push(Inline::Text(href.clone()));
                        }
                        out.push(Inline::Link { href, children });
                    }
                    None => unwrapped += 1,
                }
            }
            // Images would make the reader's browser fetch from anywhere.
            Event::Start(Tag::Image { .. }) => push_text(&mut out, &plain_until_end(ev)),
            Event::Start(_) => unwrapped += 1,
            Event::End(_) | Event::Rule | Event::TaskListMarker(_) => {}
        }
    }
    out
}

/// User-written Markdown shown as ordinary elements (never `inner_html`), so
/// nothing typed can become markup.
#[component]
pub fn Markdown(text: String) -> impl IntoView {
    let blocks = parse(&text);
    view! { <div class="prose markdown">{render_blocks(blocks, false)}</div> }
}

fn render_blocks(blocks: Vec<Block>, tight: bool) -> AnyView {
    blocks
        .into_iter()
        .map(|block| render_block(block, tight))
        .collect_view()
        .into_any()
}

fn render_block(block: Block, tight: bool) -> AnyView {
    match block {
        Block::Paragraph(inlines) if tight => render_inlines(inlines),
        Block::Paragraph(inlines) => view! { <p>{render_inlines(inlines)}</p> }.into_any(),
        Block::Quote(blocks) => {
            view! { <blockquote>{render_blocks(blocks, false)}</blockquote> }.into_any()
        }
        Block::Code(code) => view! { <pre><code>{code}</code></pre> }.into_any(),
        Block::List {
            ordered,
            start,
            tight,
            items,
        } => {
            let items = items
                .into_iter()
                .map(|item| view! { <li>{render_blocks(item, tight)}</li> })
                .collect_view();
            if ordered {
                let start = (start != 1).then_some(start);
                view! { <ol start=start>{items}</ol> }.into_any()
            } else {
                view! { <ul>{items}</ul> }.into_any()
            }
        }
    }
}

fn render_inlines(inlines: Vec<Inline>) -> AnyView {
    inlines
        .into_iter()
        .map(render_inline)
        .collect_view()
        .into_any()
}

fn render_inline(inline: Inline) -> AnyView {
    match inline {
        Inline::Text(text) => text.into_any(),
        Inline::Strong(c) => view! { <strong>{render_inlines(c)}</strong> }.into_any(),
        Inline::Emphasis(c) => view! { <em>{render_inlines(c)}</em> }.into_any(),
        Inline::Code(code) => view! { <code>{code}</code> }.into_any(),
        Inline::Link { href, children } => view! {
            <a href=href rel="nofollow noopener noreferrer ugc">
                {render_inlines(children)}
            </a>
        }
        .into_any(),
        Inline::Break => view! { <br /> }.into_any(),
    }
}

/// `src` written back as Markdown with only the allowed constructs, for a
/// `.md` export: whatever `parse` dropped (raw HTML, images, headings, unsafe
/// links) stays dropped or comes back as escaped text.
pub fn to_markdown(src: &str) -> String {
    md_blocks(&parse(src), false)
}

fn md_blocks(blocks: &[Block], tight: bool) -> String {
    let mut parts: Vec<String> = Vec::new();
    // Two lists in a row would merge unless their markers differ.
    let mut alt_marker = false;
    let mut prev_list: Option<bool> = None;
    for block in blocks {
        let part = match block {
            Block::Paragraph(inlines) => {
                let mut w = MdWriter::default();
                w.inlines(inlines);
                w.out
            }
            Block::Code(code) => {
                let fence = "`".repeat((longest_run(code, '`') + 1).max(3));
                if code.is_empty() {
                    format!("{fence}\n{fence}")
                } else {
                    format!("{fence}\n{code}\n{fence}")
                }
            }
            Block::Quote(blocks) => prefix_lines(&md_blocks(blocks, false), "> ", "> "),
            Block::List {
                ordered,
                start,
                tight,
                items,
            } => {
                alt_marker = prev_list == Some(*ordered) && !alt_marker;
                let mut list = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    let marker = match (ordered, alt_marker) {
                        (true, false) => format!("{}.", start.saturating_add(i as u64)),
                        (true, true) => format!("{})", start.saturating_add(i as u64)),
                        (false, false) => "-".to_string(),
                        (false, true) => "+".to_string(),
                    };
                    let body = md_blocks(item, *tight);
                    let indent = " ".repeat(marker.len() + 1);
                    list.push(prefix_lines(&body, &format!("{marker} "), &indent));
                }
                list.join(if *tight { "\n" } else { "\n\n" })
            }
        };
        prev_list = match block {
            Block::List { ordered, .. } => Some(*ordered),
            _ => None,
        };
        parts.push(part);
    }
    parts.join(if tight { "\n" } else { "\n\n" })
}

/// `first` before the first line and `rest` before the others; blank lines
/// get the prefix trimmed, so there is no trailing whitespace.
fn prefix_lines(body: &str, first: &str, rest: &str) -> String {
    if body.is_empty() {
        return first.trim_end().to_string();
    }
    body.split('\n')
        .enumerate()
        .map(|(i, line)| {
            let prefix = if i == 0 { first } else { rest };
            if line.is_empty() {
                prefix.trim_end().to_string()
            } else {
                format!("{prefix}{line}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn longest_run(s: &str, c: char) -> usize {
    let (mut longest, mut run) = (0, 0);
    for ch in s.chars() {
        run = if ch == c { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

/// Writes inlines as Markdown, tracking line starts where block syntax
/// (`#`, `>`, `-`, `1.` …) would otherwise be recognised.
struct MdWriter {
    out: String,
    line_start: bool,
}

impl Default for MdWriter {
    fn default() -> Self {
        MdWriter {
            out: String::new(),
            line_start: true,
        }
    }
}

impl MdWriter {
    fn raw(&mut self, s: &str) {
        self.out.push_str(s);
        self.line_start = false;
    }

    fn inlines(&mut self, inlines: &[Inline]) {
        for inline in inlines {
            match inline {
                Inline::Text(t) => self.text(t),
                Inline::Strong(c) => self.wrapped("**", c),
                Inline::Emphasis(c) => self.wrapped("*", c),
                Inline::Code(code) => {
                    let code = code.as_str();
                    let fence = "`".repeat(longest_run(code, '`') + 1);
                    // A space each side is stripped again when read back.
                    let pad = code.starts_with('`')
                        || code.ends_with('`')
                        || (code.starts_with(' ')
                            && code.ends_with(' ')
                            && !code.trim().is_empty());
                    let pad = if pad { " " } else { "" };
                    self.raw(&format!("{fence}{pad}{code}{pad}{fence}"));
                }
                Inline::Link { href, children } => {
                    // `!` right before `[` would make an image.
                    if self.out.ends_with('!') {
                        self.out.pop();
                        self.out.push_str("&#33;");
                    }
                    self.raw("[");
                    self.inlines(children);
                    self.raw("](");
                    self.raw(&md_destination(href));
                    self.raw(")");
                }
                Inline::Break => {
                    self.out.push_str("\\\n");
                    self.line_start = true;
                }
            }
        }
    }

    /// `children` between `delim`s. Delimiters next to whitespace would not
    /// read back as emphasis, so edge whitespace goes outside.
    fn wrapped(&mut self, delim: &str, children: &[Inline]) {
        let mut c = children.to_vec();
        let mut lead = String::new();
        let mut trail = String::new();
        if let Some(Inline::Text(t)) = c.first_mut() {
            let kept = t.trim_start().len();
            lead = t.split_off(t.len() - kept);
            std::mem::swap(&mut lead, t);
        }
        if let Some(Inline::Text(t)) = c.last_mut() {
            let kept = t.trim_end().len();
            trail = t.split_off(kept);
        }
        c.retain(|i| !matches!(i, Inline::Text(t) if t.is_empty()));
        self.text(&lead);
        if !c.is_empty() {
            self.raw(delim);
            self.inlines(&c);
            self.raw(delim);
        }
        self.text(&trail);
    }

    fn text(&mut self, text: &str) {
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                let kept = self.out.trim_end_matches([' ', '\t']).len();
                self.out.truncate(kept);
                // An empty line would end the paragraph.
                if !self.out.is_empty() && !self.out.ends_with('\n') {
                    self.out.push('\n');
                }
                self.line_start = true;
            }
            // Leading blanks could turn a line into a code block.
            let line = if self.line_start {
                line.trim_start_matches([' ', '\t'])
            } else {
                line
            };
            if line.is_empty() {
                continue;
            }
            let escaped = escape(&line.replace('&', "&amp;")).replace(']', "\\]");
            if self.line_start {
                self.out.push_str(&escape_line_start(&escaped));
            } else {
                self.out.push_str(&escaped);
            }
            self.line_start = false;
        }
    }
}

/// `line` (already escaped) with a backslash where it would start a heading,
/// quote, list, setext underline or fence, or, for renderers with extensions,
/// a table row or definition.
fn escape_line_start(line: &str) -> String {
    if line.starts_with(['#', '>', '-', '+', '=', '~', '|', ':']) {
        return format!("\\{line}");
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && line[digits..].starts_with(['.', ')']) {
        return format!("{}\\{}", &line[..digits], &line[digits..]);
    }
    line.to_string()
}

/// A link destination that reads back as `href`.
fn md_destination(href: &str) -> String {
    let mut s = String::with_capacity(href.len());
    for c in href.chars() {
        if matches!(c, '\\' | '(' | ')' | '<' | '>' | '&') {
            s.push('\\');
        }
        s.push(c);
    }
    s
}

/// One plain-text string per paragraph, list item or code block, for the
/// DOCX export. List items start with `• ` or `1. `, nested lists are
/// indented by two spaces per level.
pub fn to_plain_paragraphs(src: &str) -> Vec<String> {
    let mut out = Vec::new();
    plain_blocks(&parse(src), 0, &mut out);
    out
}

fn plain_blocks(blocks: &[Block], level: usize, out: &mut Vec<String>) {
    for block in blocks {
        match block {
            Block::Paragraph(inlines) => {
                let mut s = String::new();
                plain_inlines(inlines, &mut s);
                out.push(s);
            }
            Block::Code(code) => out.push(code.clone()),
            Block::Quote(blocks) => plain_blocks(blocks, level, out),
            Block::List {
                ordered,
                start,
                items,
                ..
            } => {
                for (i, item) in items.iter().enumerate() {
                    let marker = if *ordered {
                        format!("{}. ", start.saturating_add(i as u64))
                    } else {
                        "• ".to_string()
                    };
                    plain_item(item, level, &marker, out);
                }
            }
        }
    }
}

/// A list item's own text as one string after `marker`; its nested lists
/// follow as strings of their own, one level deeper.
fn plain_item(item: &[Block], level: usize, marker: &str, out: &mut Vec<String>) {
    let indent = "  ".repeat(level);
    let mut text: Vec<String> = Vec::new();
    let mut marked = false;
    let flush = |text: &mut Vec<String>, marked: &mut bool, out: &mut Vec<String>| {
        if *marked && text.is_empty() {
            return;
        }
        let lead = if *marked {
            " ".repeat(marker.chars().count())
        } else {
            marker.to_string()
        };
        out.push(
            format!("{indent}{lead}{}", text.join("\n"))
                .trim_end()
                .to_string(),
        );
        text.clear();
        *marked = true;
    };
    for block in item {
        if let Block::List { .. } = block {
            flush(&mut text, &mut marked, out);
            plain_blocks(std::slice::from_ref(block), level + 1, out);
        } else {
            let mut parts = Vec::new();
            plain_blocks(std::slice::from_ref(block), level + 1, &mut parts);
            text.push(parts.join("\n"));
        }
    }
    flush(&mut text, &mut marked, out);
}

fn plain_inlines(inlines: &[Inline], s: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text(t) | Inline::Code(t) => s.push_str(t),
            Inline::Strong(c) | Inline::Emphasis(c) | Inline::Link { children: c, .. } => {
                plain_inlines(c, s)
            }
            Inline::Break => s.push('\n'),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Inline {
        Inline::Text(s.to_string())
    }

    fn para(inlines: Vec<Inline>) -> Block {
        Block::Paragraph(inlines)
    }

    /// Every link in the tree, depth first.
    fn hrefs(blocks: &[Block]) -> Vec<String> {
        fn inl(inlines: &[Inline], out: &mut Vec<String>) {
            for i in inlines {
                match i {
                    Inline::Link { href, children } => {
                        out.push(href.clone());
                        inl(children, out);
                    }
                    Inline::Strong(c) | Inline::Emphasis(c) => inl(c, out),
                    _ => {}
                }
            }
        }
        let mut out = Vec::new();
        for b in blocks {
            match b {
                Block::Paragraph(i) => inl(i, &mut out),
                Block::Quote(bs) => out.extend(hrefs(bs)),
                Block::List { items, .. } => items.iter().for_each(|it| out.extend(hrefs(it))),
                Block::Code(_) => {}
            }
        }
        out
    }

    fn depth(blocks: &[Block]) -> usize {
        blocks
            .iter()
            .map(|b| match b {
                Block::Quote(bs) => 1 + depth(bs),
                Block::List { items, .. } => 1 + items.iter().map(|i| depth(i)).max().unwrap_or(0),
                _ => 0,
            })
            .max()
            .unwrap_or(0)
    }

    const HOSTILE: &[&str] = &[
        "<script>alert(1)</script>",
        "a <script>alert(1)</script> b",
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](java&#09;script:alert(1))",
        "[x](javascript&#58;alert(1))",
        "[x]( javascript:alert(1) )",
        "[x](data:text/html,<script>alert(1)</script>)",
        "[x](vbscript:msgbox)",
        "[x](//evil.example)",
        "[x](/relative)",
        "[x](mailto:a@b.example)",
        "<javascript:alert(1)>",
        "[x][r]\n\n[r]: javascript:alert(1)",
        "![alt](https://evil.example/x.png)",
        "![alt][i]\n\n[i]: https://evil.example/x.png",
        "<img src=x onerror=alert(1)>",
        "text <img src=x onerror=alert(1)> text",
        "!<b>[x](https://example.org)</b>",
        "&lt;script&gt;alert(1)&lt;/script&gt;",
    ];

    #[test]
    fn raw_html_stays_literal_text() {
        assert_eq!(
            parse("<script>alert(1)</script>"),
            vec![para(vec![text("<script>alert(1)</script>")])]
        );
        assert_eq!(
            parse("a <b>bold</b>"),
            vec![para(vec![text("a <b>bold</b>")])]
        );
        assert_eq!(
            parse("<img src=x onerror=alert(1)>"),
            vec![para(vec![text("<img src=x onerror=alert(1)>")])]
        );
    }

    #[test]
    fn unsafe_links_lose_their_link() {
        for src in [
            "[x](javascript:alert(1))",
            "[x](JaVaScRiPt:alert(1))",
            "[x](java&#09;script:alert(1))",
            "[x](javascript&#58;alert(1))",
            "[x](data:text/html,<script>alert(1)</script>)",
            "[x](vbscript:msgbox)",
            "[x](//evil.example)",
            "[x](/relative)",
            "[x](mailto:a@b.example)",
            "[x](<https://a b>)",
        ] {
            assert_eq!(parse(src), vec![para(vec![text("x")])], "{src}");
        }
        // Link text that is itself marked up keeps its markup.
        assert_eq!(
            parse("[*x*](javascript:alert(1))"),
            vec![para(vec![Inline::Emphasis(vec![text("x")])])]
        );
        assert_eq!(hrefs(&parse("<javascript:alert(1)>")), Vec::<String>::new());
        assert_eq!(
            hrefs(&parse("[x][r]\n\n[r]: javascript:alert(1)")),
            Vec::<String>::new()
        );
    }

    #[test]
    fn http_links_are_kept() {
        assert_eq!(
            parse("[ok](https://example.org)"),
            vec![para(vec![Inline::Link {
                href: "https://example.org".into(),
                children: vec![text("ok")],
            }])]
        );
        assert_eq!(
            hrefs(&parse("[ok](HTTP://example.org/a?b=1&amp;c=2)")),
            ["HTTP://example.org/a?b=1&c=2"]
        );
        assert_eq!(
            hrefs(&parse("<https://example.org>")),
            ["https://example.org"]
        );
    }

    #[test]
    fn images_become_their_alt_text() {
        assert_eq!(
            parse("![alt](https://evil.example/x.png)"),
            vec![para(vec![text("alt")])]
        );
        assert_eq!(
            parse("see ![a *b*](https://evil.example/x.png) here"),
            vec![para(vec![text("see a b here")])]
        );
        assert_eq!(parse("![](https://evil.example/x.png)"), vec![]);
    }

    #[test]
    fn headings_become_strong_paragraphs() {
        assert_eq!(
            parse("# Title\n\nbody"),
            vec![
                para(vec![Inline::Strong(vec![text("Title")])]),
                para(vec![text("body")])
            ]
        );
        assert_eq!(
            parse("Setext\n===="),
            vec![para(vec![Inline::Strong(vec![text("Setext")])])]
        );
    }

    #[test]
    fn basic_constructs_parse() {
        assert_eq!(
            parse("a *em* **strong** `code`  \nnext\nsoft"),
            vec![para(vec![
                text("a "),
                Inline::Emphasis(vec![text("em")]),
                text(" "),
                Inline::Strong(vec![text("strong")]),
                text(" "),
                Inline::Code("code".into()),
                Inline::Break,
                text("next\nsoft"),
            ])]
        );
        assert_eq!(
            parse("> quoted\n> more"),
            vec![Block::Quote(vec![para(vec![text("quoted\nmore")])])]
        );
        assert_eq!(
            parse("```rust\nfn x() {}\n```"),
            vec![Block::Code("fn x() {}".into())]
        );
        assert_eq!(parse("    indented"), vec![Block::Code("indented".into())]);
        assert_eq!(parse(""), vec![]);
        assert_eq!(
            parse("a\n\n---\n\nb"),
            vec![para(vec![text("a")]), para(vec![text("b")])]
        );
    }

    #[test]
    fn lists_parse_with_nesting() {
        assert_eq!(
            parse("- a\n- b\n  - c\n\n3. x\n4. y"),
            vec![
                Block::List {
                    ordered: false,
                    start: 1,
                    tight: true,
                    items: vec![
                        vec![para(vec![text("a")])],
                        vec![
                            para(vec![text("b")]),
                            Block::List {
                                ordered: false,
                                start: 1,
                                tight: true,
                                items: vec![vec![para(vec![text("c")])]],
                            },
                        ],
                    ],
                },
                Block::List {
                    ordered: true,
                    start: 3,
                    tight: true,
                    items: vec![vec![para(vec![text("x")])], vec![para(vec![text("y")])]],
                },
            ]
        );
        let loose = parse("- a\n\n- b");
        assert!(
            matches!(&loose[..], [Block::List { tight: false, .. }]),
            "{loose:?}"
        );
    }

    #[test]
    fn unknown_extensions_stay_text() {
        // Tables, footnotes, task lists and strikethrough are not enabled.
        assert_eq!(parse("~~x~~"), vec![para(vec![text("~~x~~")])]);
        assert_eq!(
            parse("| a | b |\n|---|---|"),
            vec![para(vec![text("| a | b |\n|---|---|")])]
        );
    }

    #[test]
    fn deep_nesting_is_flattened() {
        for n in [100, 5_000] {
            let quotes = parse(&format!("{} deep", ">".repeat(n)));
            assert!(depth(&quotes) <= MAX_DEPTH, "{n}");
            assert!(to_markdown(&">".repeat(n)).len() < 100);
            let lists: String = (0..n.min(300))
                .map(|i| format!("{}- x\n", "  ".repeat(i)))
                .collect();
            assert!(depth(&parse(&lists)) <= MAX_DEPTH);
            let mixed = "> - ".repeat(n);
            assert!(depth(&parse(&mixed)) <= MAX_DEPTH);
            let stars = format!("{}x{}", "*".repeat(n), "*".repeat(n));
            let _ = to_markdown(&stars);
            let _ = to_plain_paragraphs(&stars);
            let brackets = format!("{}x{}", "[".repeat(n), "](https://a)".repeat(n));
            let _ = to_markdown(&brackets);
        }
        // The deepest quote's text survives as text.
        assert!(to_plain_paragraphs(&format!("{} deep", ">".repeat(100)))
            .concat()
            .contains("deep"));
    }

    #[test]
    fn to_markdown_round_trips_allowed_content() {
        for src in [
            "plain *em* **strong** `co`de` [link](https://example.org/a_(b)) end",
            "line one  \nline two\nsoft",
            "- a\n- b\n  - c\n\n1. x\n2. y",
            "- a\n\n  more\n\n- b",
            "> quote\n>\n> - item\n\n```\ncode ``` here\n```",
            "# Heading\n\n* x\n\n+ y\n\n3) z",
            "\\# not heading\n\n1\\. not list\n\n\\- no\n\n\\> no\n\n2020\\) no",
            "a\\\nb",
            "text with \\<b> &amp;lt; \\[x] \\* \\_",
            "`` `tick` ``",
            "!<b>[x](https://example.org)</b>",
            "wow\\![x](https://example.org) \\\\![y](https://example.org)",
        ] {
            let tree = parse(src);
            let md = to_markdown(src);
            assert_eq!(parse(&md), tree, "{src:?} -> {md:?}");
            // Writing again is stable.
            assert_eq!(to_markdown(&md), md, "{src:?}");
        }
        assert_eq!(to_markdown("# T\n\nsome *text*"), "**T**\n\nsome *text*");
        assert_eq!(to_markdown("- a\n- b"), "- a\n- b");
        // Emphasis only reads back when no whitespace is inside its delimiters.
        let mut w = MdWriter::default();
        w.inlines(&[text("x"), Inline::Strong(vec![text(" a\t")]), text("y")]);
        assert_eq!(w.out, "x **a**\ty");
        assert_eq!(to_markdown(""), "");
    }

    #[test]
    fn to_markdown_never_lets_dropped_content_back() {
        for src in HOSTILE {
            let md = to_markdown(src);
            assert!(!md.contains("<script"), "{src:?} -> {md:?}");
            assert!(!md.contains("<img"), "{src:?} -> {md:?}");
            assert!(!md.contains("!["), "{src:?} -> {md:?}");
            assert!(!md.contains("](javascript"), "{src:?} -> {md:?}");
            assert!(!md.contains("](data"), "{src:?} -> {md:?}");
            let reparsed = parse(&md);
            assert!(
                hrefs(&reparsed).iter().all(|h| h.starts_with("https://")),
                "{src:?} -> {md:?}"
            );
            assert_eq!(reparsed, parse(src), "{src:?} -> {md:?}");
        }
    }

    #[test]
    fn exported_markdown_has_no_dropped_constructs() {
        // Found by fuzzing: an empty nested item once came back as a lone `-`
        // under a line of text, which reads as a heading underline.
        let fuzzed = "3) [r]: javascript:z\n**+ ><https://q.r>\n\\\\x\n\t+ [r]: javascript:z\n";
        assert_eq!(parse("-\n\n*\n"), vec![]);
        for src in HOSTILE
            .iter()
            .copied()
            .chain([fuzzed, "a\n\n---\n\n# h\n\n|a|\n|-|"])
        {
            let md = to_markdown(src);
            for event in Parser::new_ext(&md, Options::all()) {
                match event {
                    Event::Start(Tag::Link { dest_url, .. }) => {
                        assert!(safe_href(&dest_url).is_some(), "{src:?} -> {md:?}")
                    }
                    Event::Start(
                        Tag::Heading { .. } | Tag::Image { .. } | Tag::HtmlBlock | Tag::Table(_),
                    )
                    | Event::Html(_)
                    | Event::InlineHtml(_)
                    | Event::Rule => panic!("{event:?} in {src:?} -> {md:?}"),
                    _ => {}
                }
            }
        }
    }

    #[test]
    fn plain_paragraphs() {
        assert_eq!(
            to_plain_paragraphs("Intro **bold** [l](https://e.org)\n\n- a\n- b\n  1. c\n  2. d\n\n> q\n\n```\nx\ny\n```"),
            vec!["Intro bold l", "• a", "• b", "  1. c", "  2. d", "q", "x\ny"]
        );
        assert_eq!(
            to_plain_paragraphs("- a\n\n  more\n- b"),
            vec!["• a\nmore", "• b"]
        );
        assert_eq!(to_plain_paragraphs("7. - x"), vec!["7.", "  • x"]);
        assert_eq!(to_plain_paragraphs(""), Vec::<String>::new());
        for src in HOSTILE {
            let plain = to_plain_paragraphs(src).concat();
            assert!(!plain.contains("https://evil"), "{src:?} -> {plain:?}");
        }
        assert_eq!(
            to_plain_paragraphs("<script>alert(1)</script>"),
            vec!["<script>alert(1)</script>"]
        );
    }

    #[cfg(feature = "ssr")]
    fn html(src: &str) -> String {
        let text = src.to_string();
        view! { <Markdown text=text /> }.to_html()
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn component_renders_only_safe_elements() {
        for src in HOSTILE {
            let out = html(src);
            assert!(!out.contains("<script"), "{src:?} -> {out}");
            assert!(!out.contains("<img"), "{src:?} -> {out}");
            assert!(!out.contains("<b>"), "{src:?} -> {out}");
            assert!(!out.contains("href=\"javascript"), "{src:?} -> {out}");
            assert!(!out.contains("href=\"data"), "{src:?} -> {out}");
            assert!(!out.contains("evil.example/x.png"), "{src:?} -> {out}");
        }
        let out = html("[ok](https://example.org/?a=1&b=\"2\") and *em*\n\n- x\n\n3. y");
        assert!(
            out.contains(r#"<a href="https://example.org/?a=1&amp;b=&quot;2&quot;" rel="nofollow noopener noreferrer ugc">ok"#),
            "{out}"
        );
        assert!(out.contains("<em>em"), "{out}");
        assert!(out.contains("<ul><li>x"), "{out}");
        assert!(out.contains("<ol start=\"3\"><li>y"), "{out}");
        assert!(out.starts_with("<div class=\"prose markdown\">"), "{out}");
        assert!(html("<script>x</script>").contains("&lt;script&gt;x&lt;/script&gt;"));
        let empty = html("");
        assert!(!empty.contains("<p"), "{empty}");
    }
}
