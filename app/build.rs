//! Writes the islands' part of each catalog (the prefixes in
//! `locales/islands.txt`) for the browser's bundle: the whole catalogs are
//! ~110 KB that every visitor of a live board would otherwise download.
use std::collections::BTreeMap;

fn main() {
    println!("cargo::rerun-if-changed=locales");
    let prefixes = std::fs::read_to_string("locales/islands.txt").expect("locales/islands.txt");
    let prefixes: Vec<&str> = prefixes
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    for tag in ["es-AR", "en"] {
        let text = std::fs::read_to_string(format!("locales/{tag}.json")).expect("catalog");
        let catalog: BTreeMap<String, String> =
            serde_json::from_str(&text).expect("catalog is JSON of strings");
        let part: BTreeMap<_, _> = catalog
            .into_iter()
            .filter(|(key, _)| prefixes.contains(&key.split('.').next().unwrap_or("")))
            .collect();
        let json = serde_json::to_string(&part).expect("serializable");
        std::fs::write(out.join(format!("islands-{tag}.json")), json).expect("written");
    }
}
