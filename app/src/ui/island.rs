//! Islands: the few parts of a page that run in the browser (live boards, the
//! similar proposals while typing). The rest of every page is plain HTML from
//! the server, its forms posting without JavaScript.
use leptos::prelude::*;
/// Gives an island in the browser what the server's page gave it: the page's
/// locale and the document head. Each island calls it first.
pub fn island_context() {
    #[cfg(feature = "hydrate")]
    {
        provide_context(crate::i18n::locale_from_document());
        leptos_meta::provide_meta_context();
        super::form_result::provide_failure_in_address();
        Effect::new(|_| hydrated::one_more());
    }
}

/// Browser tests wait for `body[data-hydrated]` before they interact: it is
/// set once every island on the page has hydrated (at once on a page with none).
#[cfg(feature = "hydrate")]
pub mod hydrated {
    use std::sync::atomic::{AtomicU32, Ordering};

    static DONE: AtomicU32 = AtomicU32::new(0);

    /// Called by each island once it has hydrated.
    pub fn one_more() {
        DONE.fetch_add(1, Ordering::Relaxed);
        mark_if_all();
    }

    /// Sets the mark when as many islands hydrated as the page has.
    pub fn mark_if_all() {
        let document = leptos::prelude::document();
        let islands = document
            .query_selector_all("leptos-island")
            .map(|l| l.length())
            .unwrap_or(0);
        if DONE.load(Ordering::Relaxed) >= islands {
            if let Some(body) = document.body() {
                let _ = body.set_attribute("data-hydrated", "true");
            }
        }
    }
}

/// The site's options, for the island script.
#[derive(Clone)]
pub struct IslandScriptOptions(pub LeptosOptions);

/// The script that loads the WebAssembly and hydrates the page's islands. A
/// page with islands places it once, after them (not behind a flag: a
/// `Suspense` may render its content more than once before the page is sent),
/// so a page without any downloads no WebAssembly at all.
#[component]
pub fn IslandScripts() -> impl IntoView {
    use_context::<IslandScriptOptions>()
        .map(|IslandScriptOptions(options)| view! { <HydrationScripts options islands=true /> })
}
