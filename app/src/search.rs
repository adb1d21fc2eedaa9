//! Text normalisation for full-text search: lower case, no accents, words only.
//! The database indexes the normalised text, so "información" finds "informacion"
//! on both engines.

/// Lower-cases and strips Spanish (and other Latin) accents; anything that is not a
/// letter or digit becomes a space.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        let base = match c {
            'á' | 'à' | 'ä' | 'â' | 'ã' | 'å' => 'a',
            'é' | 'è' | 'ë' | 'ê' => 'e',
            'í' | 'ì' | 'ï' | 'î' => 'i',
            'ó' | 'ò' | 'ö' | 'ô' | 'õ' => 'o',
            'ú' | 'ù' | 'ü' | 'û' => 'u',
            'ñ' => 'n',
            'ç' => 'c',
            c if c.is_alphanumeric() => c,
            _ => ' ',
        };
        out.push(base);
    }
    out
}

/// The words of a search query worth looking for (at most 8, two letters or more).
pub fn terms(query: &str) -> Vec<String> {
    let mut terms: Vec<String> = Vec::new();
    for word in normalize(query).split_whitespace() {
        if word.chars().count() >= 2 && !terms.iter().any(|t| t == word) {
            terms.push(word.to_string());
        }
    }
    terms.truncate(8);
    terms
}

/// Common Spanish and English words that say nothing about a proposal's topic.
const STOPWORDS: &[&str] = &[
    "para", "como", "pero", "porque", "esta", "este", "estos", "estas", "entre", "cuando", "sobre",
    "tambien", "hasta", "donde", "desde", "todo", "todos", "todas", "durante", "contra", "otros",
    "otras", "otro", "otra", "ante", "ellos", "ellas", "esto", "antes", "algunos", "algunas",
    "unos", "unas", "tanto", "mucho", "muchos", "quienes", "nada", "cual", "poco", "estar", "algo",
    "nosotros", "vecinos", "vecinas", "ciudad", "hace", "tienen", "tiene", "puede", "pueden",
    "hacer", "sean", "that", "this", "with", "from", "have", "there", "their", "what", "which",
    "about", "would",
];

/// The words of `text` that say what it is about: four letters or more, no
/// common words. Used to find proposals that look alike.
pub fn significant_terms(text: &str) -> Vec<String> {
    let mut terms: Vec<String> = Vec::new();
    for word in normalize(text).split_whitespace() {
        if word.chars().count() >= 4
            && !STOPWORDS.contains(&word)
            && !terms.iter().any(|t| t == word)
        {
            terms.push(word.to_string());
        }
    }
    terms.truncate(12);
    terms
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_case_and_symbols_go() {
        assert_eq!(
            normalize("Información PÚBLICA, ¿ñandú?"),
            "informacion publica   nandu "
        );
        assert_eq!(terms("  Árbol árbol a \"; DROP--"), vec!["arbol", "drop"]);
        assert_eq!(
            significant_terms("Información sobre las obras en mi barrio"),
            vec!["informacion", "obras", "barrio"]
        );
    }
}
