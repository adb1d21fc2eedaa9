//! The UI catalog. Every string a person reads comes from `locales/<tag>.json`;
//! es-AR is the default. The locale is chosen per request on the server (cookie,
//! then Accept-Language) and read back from `<html lang>` in the browser.
use leptos::prelude::*;
use std::collections::HashMap;
use std::sync::LazyLock;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Locale {
    #[default]
    EsAr,
    En,
}

pub const COOKIE: &str = "cocrea_lang";

/// The server has every string; the browser only the islands' part (build.rs).
#[cfg(not(feature = "hydrate"))]
macro_rules! catalog {
    ($tag:literal) => {
        include_str!(concat!("../locales/", $tag, ".json"))
    };
}
#[cfg(feature = "hydrate")]
macro_rules! catalog {
    ($tag:literal) => {
        include_str!(concat!(env!("OUT_DIR"), "/islands-", $tag, ".json"))
    };
}

static ES_AR: LazyLock<HashMap<String, String>> = LazyLock::new(|| parse(catalog!("es-AR")));
static EN: LazyLock<HashMap<String, String>> = LazyLock::new(|| parse(catalog!("en")));

fn parse(json: &str) -> HashMap<String, String> {
    serde_json::from_str(json).expect("locale catalog is valid JSON of strings")
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::EsAr, Locale::En];

    pub fn tag(self) -> &'static str {
        match self {
            Locale::EsAr => "es-AR",
            Locale::En => "en",
        }
    }

    /// Parses a tag such as `es-AR`, `es`, `en-US`.
    pub fn from_tag(tag: &str) -> Option<Locale> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "es" => Some(Locale::EsAr),
            "en" => Some(Locale::En),
            _ => None,
        }
    }

    /// Picks the best supported locale from an Accept-Language header, by q-value.
    pub fn from_accept_language(header: &str) -> Option<Locale> {
        let mut best: Option<(f32, Locale)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or("");
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            if let Some(locale) = Locale::from_tag(tag) {
                if best.is_none_or(|(bq, _)| q > bq) {
                    best = Some((q, locale));
                }
            }
        }
        best.map(|(_, l)| l)
    }

    pub fn catalog(self) -> &'static HashMap<String, String> {
        match self {
            Locale::EsAr => &ES_AR,
            Locale::En => &EN,
        }
    }

    /// The text for `key`; the key itself if the catalog lacks it (a test checks none do).
    pub fn t(self, key: &str) -> String {
        self.catalog()
            .get(key)
            .cloned()
            .unwrap_or_else(|| key.to_string())
    }

    /// The text for `key` with `{name}` placeholders filled in.
    pub fn tf(self, key: &str, args: &[(&str, &str)]) -> String {
        let mut text = self.t(key);
        for (name, value) in args {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        text
    }

    /// The text for `key` that fits `count` (`key:one`, `key:other`, ... as the
    /// language's CLDR plural rules pick, through `intl_pluralrules`; `:other`
    /// when the catalog has no form for the category), with `{count}` written
    /// in the locale's digits: "1 nota", "2 notas"; "1 comment", "3 comments".
    pub fn plural(self, key: &str, count: i64) -> String {
        let form = format!("{key}:{}", self.plural_category(count));
        let key = if self.catalog().contains_key(&form) {
            form
        } else {
            format!("{key}:other")
        };
        self.tf(&key, &[("count", &self.number(count))])
    }

    /// The CLDR plural category of `n` in this language ("one", "other", ...).
    #[cfg(feature = "ssr")]
    fn plural_category(self, n: i64) -> String {
        use intl_pluralrules::{PluralCategory, PluralRuleType, PluralRules};
        use std::sync::LazyLock;
        fn rules(tag: &str) -> Option<PluralRules> {
            let lang: unic_langid::LanguageIdentifier = tag.parse().ok()?;
            PluralRules::create(lang, PluralRuleType::CARDINAL).ok()
        }
        static ES: LazyLock<Option<PluralRules>> = LazyLock::new(|| rules("es"));
        static EN: LazyLock<Option<PluralRules>> = LazyLock::new(|| rules("en"));
        let rules = match self {
            Locale::EsAr => &*ES,
            Locale::En => &*EN,
        };
        match rules.as_ref().and_then(|r| r.select(n).ok()) {
            Some(PluralCategory::ZERO) => "zero",
            Some(PluralCategory::ONE) => "one",
            Some(PluralCategory::TWO) => "two",
            Some(PluralCategory::FEW) => "few",
            Some(PluralCategory::MANY) => "many",
            _ => "other",
        }
        .to_string()
    }

    /// The same category from the browser's own `Intl.PluralRules` (the same
    /// CLDR rules, nothing more to download).
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    fn plural_category(self, n: i64) -> String {
        let locales = js_sys::Array::of1(&self.tag().into());
        let rules = js_sys::Intl::PluralRules::new(&locales, &js_sys::Object::new());
        rules.select(n as f64).into()
    }

    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    fn plural_category(self, _n: i64) -> String {
        "other".to_string()
    }

    /// A calendar date (`YYYY-MM-DD`) in the locale's long format.
    pub fn date(self, iso: &str) -> String {
        let mut parts = iso.splitn(3, '-');
        let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else {
            return iso.to_string();
        };
        let (Ok(month), Ok(day)) = (m.parse::<u32>(), d.get(..2).unwrap_or(d).parse::<u32>())
        else {
            return iso.to_string();
        };
        let month_name = self.t(&format!("month.{month}"));
        self.tf(
            "format.date",
            &[
                ("day", &day.to_string()),
                ("month", &month_name),
                ("year", y),
            ],
        )
    }

    /// A whole number with the locale's thousands separator.
    pub fn number(self, n: i64) -> String {
        let sep = match self {
            Locale::EsAr => '.',
            Locale::En => ',',
        };
        let digits = n.unsigned_abs().to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(sep);
            }
            out.push(c);
        }
        if n < 0 {
            out.insert(0, '-');
        }
        out
    }
}

/// The locale of the page being rendered.
pub fn use_locale() -> Locale {
    use_context::<Locale>().unwrap_or_default()
}

/// Shorthand used by every view: the catalog text for `key` in the page's locale.
pub fn t(key: &str) -> String {
    use_locale().t(key)
}

/// In the browser the server's choice is read back from `<html lang>`.
#[cfg(feature = "hydrate")]
pub fn locale_from_document() -> Locale {
    leptos::prelude::document()
        .document_element()
        .and_then(|e| e.get_attribute("lang"))
        .and_then(|lang| Locale::from_tag(&lang))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogs_have_the_same_keys() {
        let es: std::collections::BTreeSet<_> = Locale::EsAr.catalog().keys().collect();
        let en: std::collections::BTreeSet<_> = Locale::En.catalog().keys().collect();
        let only_es: Vec<_> = es.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&es).collect();
        assert!(only_es.is_empty(), "missing in en: {only_es:?}");
        assert!(only_en.is_empty(), "missing in es-AR: {only_en:?}");
    }

    #[test]
    fn counts_read_right_in_both_languages() {
        let es = Locale::EsAr;
        assert_eq!(es.plural("board.cluster_notes", 1), "1 nota");
        assert_eq!(es.plural("board.cluster_notes", 2), "2 notas");
        assert_eq!(es.plural("board.cluster_notes", 0), "0 notas");
        assert_eq!(es.plural("proposals.count", 1500), "1.500 propuestas");
        assert_eq!(es.plural("vote.left", 1), "Te queda 1 voto.");
        let en = Locale::En;
        assert_eq!(en.plural("proposal.comments", 1), "1 comment");
        assert_eq!(en.plural("proposal.comments", 3), "3 comments");
        assert_eq!(en.plural("proposals.count", 1500), "1,500 proposals");
    }

    /// A plural message (`key:other`) has the forms Spanish and English pick
    /// (`one`, `other`) and no plain message by the same name.
    #[test]
    fn every_plural_message_has_its_forms() {
        for locale in Locale::ALL {
            let catalog = locale.catalog();
            for key in catalog.keys() {
                if let Some(base) = key.strip_suffix(":other") {
                    assert!(
                        catalog.contains_key(&format!("{base}:one")),
                        "{base}:one missing in {}",
                        locale.tag()
                    );
                    assert!(!catalog.contains_key(base), "{base} is also plain");
                }
            }
        }
    }

    /// Every catalog key written in the source exists in both catalogs.
    #[test]
    fn keys_used_in_the_source_exist() {
        let prefixes = catalog_prefixes();
        let mut missing = Vec::new();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = vec![root.join("src"), root.join("../server/src")];
        while let Some(path) = files.pop() {
            if path.is_dir() {
                files.extend(
                    std::fs::read_dir(&path)
                        .unwrap()
                        .flatten()
                        .map(|e| e.path()),
                );
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            for literal in keys_written_in(&text, &prefixes) {
                let catalog = Locale::EsAr.catalog();
                // A plural message is its forms: `key:one`, `key:other`, ...
                let plural = catalog.contains_key(&format!("{literal}:other"));
                if !catalog.contains_key(literal) && !plural {
                    missing.push(format!("{}: {literal}", path.display()));
                }
            }
        }
        assert!(
            missing.is_empty(),
            "keys missing from the catalog: {missing:#?}"
        );
    }

    /// The first parts of the catalog's keys, each with its dot (`board.`).
    fn catalog_prefixes() -> std::collections::BTreeSet<String> {
        Locale::EsAr
            .catalog()
            .keys()
            .filter_map(|k| k.split('.').next().map(|p| format!("{p}.")))
            .collect()
    }

    /// The string literals in `text` that look like catalog keys.
    fn keys_written_in<'a>(
        text: &'a str,
        prefixes: &'a std::collections::BTreeSet<String>,
    ) -> impl Iterator<Item = &'a str> {
        text.split('"').skip(1).step_by(2).filter(|literal| {
            prefixes.iter().any(|p| literal.starts_with(p.as_str()))
                && literal
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '_')
                && !literal.ends_with('.')
        })
    }

    /// The browser's bundle holds only the prefixes in `locales/islands.txt`:
    /// the code that runs there (the islands, the board's files, the messages
    /// and errors they show) may use no other, or a person would read a key.
    #[test]
    fn islands_use_only_the_catalog_part_they_carry() {
        let all = catalog_prefixes();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let listed = std::fs::read_to_string(root.join("locales/islands.txt")).unwrap();
        let carried: Vec<String> = listed
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .map(|l| format!("{}.", l.trim()))
            .collect();
        let read = |path: &str| std::fs::read_to_string(root.join(path)).unwrap();
        // Whole files that run in the browser, then every island's own body.
        let mut code: Vec<(String, String)> = std::fs::read_dir(root.join("src/boards"))
            .unwrap()
            .flatten()
            .map(|e| {
                (
                    e.path().display().to_string(),
                    std::fs::read_to_string(e.path()).unwrap(),
                )
            })
            .collect();
        for path in [
            "src/error.rs",
            "src/validate.rs",
            "src/ui/mod.rs",
            "src/ui/form_result.rs",
        ] {
            code.push((path.to_string(), read(path)));
        }
        for path in ["src/proposals/pages.rs"] {
            let text = read(path);
            for island in text.split("#[island]").skip(1) {
                let body = island.split("#[component]").next().unwrap_or(island);
                code.push((path.to_string(), body.to_string()));
            }
        }
        let mut outside = Vec::new();
        for (path, text) in &code {
            for key in keys_written_in(text, &all) {
                if !carried.iter().any(|p| key.starts_with(p.as_str())) {
                    outside.push(format!("{path}: {key}"));
                }
            }
        }
        assert!(
            outside.is_empty(),
            "keys the browser's catalog lacks: {outside:#?}"
        );
        let islands = std::fs::read_dir(root.join("src"))
            .unwrap()
            .flatten()
            .flat_map(|e| std::fs::read_dir(e.path()).into_iter().flatten().flatten())
            .filter(|e| std::fs::read_to_string(e.path()).is_ok_and(|t| t.contains("#[island]")))
            .map(|e| e.path())
            .filter(|p| !p.starts_with(root.join("src/boards")))
            .collect::<Vec<_>>();
        assert_eq!(
            islands,
            vec![root.join("src/proposals/pages.rs")],
            "a new island's file must be read by this test"
        );
    }

    #[test]
    fn accept_language_prefers_highest_q() {
        assert_eq!(
            Locale::from_accept_language("en-US,en;q=0.9,es;q=0.8"),
            Some(Locale::En)
        );
        assert_eq!(
            Locale::from_accept_language("fr, es-AR;q=0.5, en;q=0.4"),
            Some(Locale::EsAr)
        );
        assert_eq!(Locale::from_accept_language("fr"), None);
    }

    #[test]
    fn numbers_and_dates_follow_the_locale() {
        assert_eq!(Locale::EsAr.number(1234567), "1.234.567");
        assert_eq!(Locale::En.number(-1234), "-1,234");
        assert_eq!(Locale::EsAr.date("2021-09-01"), "1 de septiembre de 2021");
        assert_eq!(Locale::En.date("2021-09-01"), "September 1, 2021");
    }
}
