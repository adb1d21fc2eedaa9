//! Plain text put into a Markdown export: markup characters and raw HTML are
//! escaped, so a note or a field never turns into links, emphasis or tags.

/// `text` with Markdown's inline markup and HTML neutralised.
pub fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('<', "&lt;")
        .replace('*', "\\*")
        .replace('_', "\\_")
        .replace('`', "\\`")
        .replace('[', "\\[")
}
