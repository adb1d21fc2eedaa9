//! What a page tells social networks and messaging apps when its address is
//! shared (Open Graph and Twitter card tags: title, description, preview image,
//! address), and the links that share it. Written by the server: a page's
//! preview never depends on JavaScript.
use crate::i18n::{t, use_locale, Locale};
use leptos::prelude::*;

/// The site's address as it is reached from outside, without a final `/`.
fn site() -> String {
    #[cfg(feature = "ssr")]
    return crate::ctx::state()
        .map(|s| s.settings.base_url.trim_end_matches('/').to_string())
        .unwrap_or_default();
    #[cfg(not(feature = "ssr"))]
    String::new()
}

/// The page's full address (its query left out: it may carry a form's answer).
fn page_url() -> String {
    let path = leptos_router::hooks::use_location()
        .pathname
        .get_untracked();
    format!("{}{path}", site())
}

/// The preview image's full address.
fn image_url() -> String {
    let preview = use_context::<crate::Assets>().unwrap_or_default().preview;
    format!("{}/pkg/{preview}", site())
}

/// The longest description a preview shows.
const DESCRIPTION_CHARS: usize = 200;

/// A page's own text (Markdown allowed) as a preview's description: plain,
/// on one line, cut at a word near `DESCRIPTION_CHARS`.
fn describe(text: &str) -> Option<String> {
    let plain = crate::markdown::to_plain_paragraphs(text).join(" ");
    let words: Vec<&str> = plain.split_whitespace().collect();
    let mut out = String::new();
    for word in words {
        if out.chars().count() + word.chars().count() + 1 > DESCRIPTION_CHARS {
            out.push('…');
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    (!out.is_empty()).then_some(out)
}

/// The tags for a page titled `title`, described by its own text when it has
/// one, else by the site's line (server only; nothing in the page's body).
#[component]
pub fn ShareTags(title: String, description: Option<String>) -> impl IntoView {
    use leptos_meta::Meta;
    let description = description
        .as_deref()
        .and_then(describe)
        .unwrap_or_else(|| t("share.description"));
    let image = image_url();
    let locale = match use_locale() {
        Locale::EsAr => "es_AR",
        Locale::En => "en_US",
    };
    view! {
        <Meta name="description" content=description.clone() />
        <Meta property="og:site_name" content=t("app.name") />
        <Meta property="og:type" content="website" />
        <Meta property="og:locale" content=locale />
        <Meta property="og:title" content=title.clone() />
        <Meta property="og:description" content=description.clone() />
        <Meta property="og:url" content=page_url() />
        <Meta property="og:image" content=image.clone() />
        <Meta property="og:image:width" content="1200" />
        <Meta property="og:image:height" content="630" />
        <Meta property="og:image:alt" content=t("share.image_alt") />
        <Meta name="twitter:card" content="summary_large_image" />
        <Meta name="twitter:title" content=title />
        <Meta name="twitter:description" content=description />
        <Meta name="twitter:image" content=image />
    }
}

/// Links that share the page (plain links: they work without JavaScript and
/// load nothing from the networks until followed).
#[component]
pub fn ShareLinks() -> impl IntoView {
    let url = page_url();
    (!url.is_empty()).then(|| {
        let encoded: String = form_urlencoded::byte_serialize(url.as_bytes()).collect();
        let links = [
            ("share.whatsapp", format!("https://wa.me/?text={encoded}")),
            ("share.x", format!("https://twitter.com/intent/tweet?url={encoded}")),
            ("share.facebook", format!("https://www.facebook.com/sharer/sharer.php?u={encoded}")),
            ("share.linkedin", format!("https://www.linkedin.com/sharing/share-offsite/?url={encoded}")),
            ("share.email", format!("mailto:?body={encoded}")),
        ];
        view! {
            <nav class="share" aria-label=t("share.label")>
                <span>{t("share.label")}": "</span>
                <ul class="nav-list">
                    {links.into_iter().map(|(label, href)| view! {
                        <li><a href=href rel="noopener noreferrer" target="_blank">{t(label)}<span class="visually-hidden">{t("share.new_window")}</span></a></li>
                    }).collect_view()}
                </ul>
            </nav>
        }
    })
}
