//! A readable comparison of two versions of a sheet: per field, the words kept,
//! removed and added (longest common subsequence of words).
use super::model::*;

/// Words with the spaces after them, so the pieces join back into the text.
fn words(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_space = false;
    for (i, c) in s.char_indices() {
        if c.is_whitespace() {
            in_space = true;
        } else if in_space {
            out.push(&s[start..i]);
            start = i;
            in_space = false;
        }
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

/// Above this many word pairs a field is shown as replaced whole (bounded work).
const MAX_CELLS: usize = 4_000_000;

/// The changes from `old` to `new`, adjacent pieces of one kind joined.
pub fn diff_text(old: &str, new: &str) -> Vec<Change> {
    let (a, b) = (words(old), words(new));
    let mut out: Vec<Change> = Vec::new();
    let mut push = |c: Change| match (out.last_mut(), c) {
        (Some(Change::Same(x)), Change::Same(y))
        | (Some(Change::Removed(x)), Change::Removed(y))
        | (Some(Change::Added(x)), Change::Added(y)) => x.push_str(&y),
        (_, c) => out.push(c),
    };
    if a.len() * b.len() > MAX_CELLS {
        if !old.is_empty() {
            push(Change::Removed(old.to_string()));
        }
        if !new.is_empty() {
            push(Change::Added(new.to_string()));
        }
        return out;
    }
    // lcs[i][j]: length of the common subsequence of a[i..] and b[j..].
    let w = b.len() + 1;
    let mut lcs = vec![0u32; (a.len() + 1) * w];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i * w + j] = if a[i] == b[j] {
                lcs[(i + 1) * w + j + 1] + 1
            } else {
                lcs[(i + 1) * w + j].max(lcs[i * w + j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            push(Change::Same(a[i].to_string()));
            i += 1;
            j += 1;
        } else if lcs[(i + 1) * w + j] >= lcs[i * w + j + 1] {
            push(Change::Removed(a[i].to_string()));
            i += 1;
        } else {
            push(Change::Added(b[j].to_string()));
            j += 1;
        }
    }
    for x in &a[i..] {
        push(Change::Removed(x.to_string()));
    }
    for y in &b[j..] {
        push(Change::Added(y.to_string()));
    }
    out
}

fn milestone_text(m: &Milestone) -> String {
    format!(
        "{} — {} ({} → {}) · {}",
        m.title, m.output, m.starts_on, m.ends_on, m.responsible
    )
}

/// Every field that differs between two sheets, in the template's order;
/// milestones matched by their key.
pub fn compare(a: &Sheet, b: &Sheet) -> Vec<FieldDiff> {
    let mut fields = Vec::new();
    let mut field = |key: String, name: Option<String>, old: &str, new: &str| {
        if old != new {
            fields.push(FieldDiff {
                key,
                name,
                changes: diff_text(old, new),
            });
        }
    };
    for f in TEXT_FIELDS {
        field(
            f.label.to_string(),
            None,
            a.text(f.name).unwrap_or(""),
            b.text(f.name).unwrap_or(""),
        );
    }
    field(
        "sheet.values".into(),
        None,
        &a.values.join(", "),
        &b.values.join(", "),
    );
    let find = |s: &Sheet, key: &str| s.milestones.iter().find(|m| m.key == key).cloned();
    for m in &b.milestones {
        let old = find(a, &m.key)
            .map(|o| milestone_text(&o))
            .unwrap_or_default();
        field(
            "sheet.milestone".into(),
            Some(m.title.clone()),
            &old,
            &milestone_text(m),
        );
    }
    for m in a.milestones.iter().filter(|m| find(b, &m.key).is_none()) {
        field(
            "sheet.milestone".into(),
            Some(m.title.clone()),
            &milestone_text(m),
            "",
        );
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_kept_removed_and_added() {
        let d = diff_text("reescribir diez trámites", "reescribir los veinte trámites");
        assert_eq!(
            d,
            [
                Change::Same("reescribir ".into()),
                Change::Removed("diez ".into()),
                Change::Added("los veinte ".into()),
                Change::Same("trámites".into()),
            ]
        );
    }

    #[test]
    fn only_changed_fields_and_milestones_by_key() {
        let mut a = Sheet {
            title: "Lenguaje claro".into(),
            ..Default::default()
        };
        a.milestones.push(Milestone {
            key: "m1".into(),
            title: "Guía".into(),
            ..Default::default()
        });
        let mut b = a.clone();
        b.problem = "Trámites difíciles".into();
        b.milestones[0].output = "Guía publicada".into();
        let d = compare(&a, &b);
        let keys: Vec<&str> = d.iter().map(|f| f.key.as_str()).collect();
        assert_eq!(keys, ["sheet.problem", "sheet.milestone"]);
        assert_eq!(d[1].name.as_deref(), Some("Guía"));
    }
}
