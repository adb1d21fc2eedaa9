//! (ssr) The record of a roundtable once it is over: attendance, both boards as
//! anyone may read them, and the vote; and its exports as CSV, JSON and Markdown.
use super::model::*;
use crate::boards::model::Viewer;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::i18n::Locale;
use sqlx::Row as _;

/// The record as anyone may read it (no viewer: nothing private, hidden or
/// written anonymously carries an author).
pub async fn record(db: &Db, id: i64) -> AppResult<RoundtableRecord> {
    let counts = sqlx::query(
        "SELECT COUNT(*) AS registered, \
         (SELECT COUNT(*) FROM roundtable_registrations a WHERE a.roundtable_id = $1 \
          AND a.status = 'registered' AND a.attended = 1) AS attended \
         FROM roundtable_registrations WHERE roundtable_id = $1 AND status = 'registered'",
    )
    .bind(id)
    .fetch_one(&db.pool)
    .await?;
    let boards = crate::boards::store::snapshot(db, id, Viewer::default())
        .await?
        .ok_or(AppError::NotFound)?
        .boards;
    let crate::boards::vote_store::VoteRead {
        vote, chosen_topic, ..
    } = crate::boards::vote_store::view(db, id, None).await?;
    Ok(RoundtableRecord {
        attended: counts.get("attended"),
        registered: counts.get("registered"),
        chosen_topic,
        vote: vote
            .map(|v| v.options.into_iter().map(|o| (o.label, o.dots)).collect())
            .unwrap_or_default(),
        boards,
    })
}

/// One note of the record, flat, as the exports list it.
#[derive(serde::Serialize)]
struct NoteLine<'a> {
    board: i64,
    column: &'a str,
    cluster: Option<&'a str>,
    text: &'a str,
    author: Option<&'a str>,
}

fn note_lines(r: &RoundtableRecord) -> Vec<NoteLine<'_>> {
    let mut lines = Vec::new();
    for b in &r.boards {
        for c in &b.columns {
            for n in b.notes.iter().filter(|n| n.column_id == c.id) {
                lines.push(NoteLine {
                    board: b.number,
                    column: &c.title,
                    cluster: n
                        .cluster_id
                        .and_then(|id| b.clusters.iter().find(|k| k.id == id))
                        .map(|k| k.label.as_str()),
                    text: &n.body,
                    author: n.author.as_deref(),
                });
            }
        }
    }
    lines
}

/// The record as JSON.
pub fn json(d: &RoundtableDetail, r: &RoundtableRecord) -> String {
    let value = serde_json::json!({
        "id": d.summary.id,
        "title": d.summary.title,
        "process": d.process_title,
        "axis": d.summary.axis,
        "date": d.summary.when.date,
        "time": d.summary.when.time,
        "zone": d.summary.when.zone,
        "duration_minutes": d.summary.when.duration_minutes,
        "agencies": d.agencies,
        "proposals": d.proposals.iter().map(|(id, title)| serde_json::json!({"id": id, "title": title})).collect::<Vec<_>>(),
        "registered": r.registered,
        "attended": r.attended,
        "chosen_topic": r.chosen_topic,
        "vote": r.vote.iter().map(|(topic, dots)| serde_json::json!({"topic": topic, "dots": dots})).collect::<Vec<_>>(),
        "notes": note_lines(r),
    });
    serde_json::to_string_pretty(&value).unwrap_or_default()
}

/// The record as CSV: one row per note, then one per candidate topic.
pub fn csv(r: &RoundtableRecord, locale: Locale) -> String {
    let headings = [
        "export.kind",
        "export.board",
        "export.column",
        "export.cluster",
        "export.text",
        "export.author",
        "export.dots",
    ];
    let mut rows: Vec<Vec<String>> = vec![headings.iter().map(|k| locale.t(k)).collect()];
    let note = locale.t("export.note");
    for n in note_lines(r) {
        rows.push(vec![
            note.clone(),
            n.board.to_string(),
            n.column.to_string(),
            n.cluster.unwrap_or("").to_string(),
            n.text.to_string(),
            n.author.unwrap_or("").to_string(),
            String::new(),
        ]);
    }
    let topic = locale.t("export.topic");
    for (label, dots) in &r.vote {
        let dots = dots.map(|d| d.to_string()).unwrap_or_default();
        rows.push(vec![
            topic.clone(),
            String::new(),
            String::new(),
            String::new(),
            label.clone(),
            String::new(),
            dots,
        ]);
    }
    crate::documents::csv(rows)
}

/// One line of Markdown text: no line breaks, and no leading characters that
/// would turn it into a heading, list or quote.
fn md_line(v: &str) -> String {
    let flat = v.split_whitespace().collect::<Vec<_>>().join(" ");
    crate::markdown::escape(&flat)
        .trim_start_matches(['#', '>', '-', '+'])
        .to_string()
}

/// The record as Markdown, in the reader's language.
pub fn markdown(d: &RoundtableDetail, r: &RoundtableRecord, locale: Locale) -> String {
    let s = &d.summary;
    let mut out = format!("# {}\n\n", md_line(&s.title));
    out += &format!(
        "{} · {} {} ({}) · {}\n\n",
        md_line(&d.process_title),
        s.when.date,
        s.when.time,
        s.when.zone,
        locale.tf(
            "export.attendance",
            &[
                ("attended", &r.attended.to_string()),
                ("registered", &r.registered.to_string())
            ]
        )
    );
    if !d.agencies.is_empty() {
        out += &format!("## {}\n\n", locale.t("roundtable.agencies"));
        for a in &d.agencies {
            out += &format!("- {}\n", md_line(a));
        }
        out += "\n";
    }
    for b in &r.boards {
        out += &format!("## {}\n\n", locale.t(&format!("board.number.{}", b.number)));
        for c in &b.columns {
            out += &format!("### {}\n\n", md_line(&c.title));
            let notes: Vec<_> = b.notes.iter().filter(|n| n.column_id == c.id).collect();
            if notes.is_empty() {
                out += &format!("{}\n\n", locale.t("export.no_notes"));
                continue;
            }
            for n in notes {
                let cluster = n
                    .cluster_id
                    .and_then(|id| b.clusters.iter().find(|k| k.id == id))
                    .map(|k| format!(" [{}]", md_line(&k.label)))
                    .unwrap_or_default();
                let author = n
                    .author
                    .as_deref()
                    .map(|a| format!(" — {}", md_line(a)))
                    .unwrap_or_default();
                out += &format!("- {}{cluster}{author}\n", md_line(&n.body));
            }
            out += "\n";
        }
    }
    out += &format!("## {}\n\n", locale.t("vote.title"));
    if r.vote.is_empty() {
        out += &format!("{}\n", locale.t("vote.none"));
    }
    for (label, dots) in &r.vote {
        let dots = dots
            .map(|d| locale.plural("vote.dots", d))
            .unwrap_or_default();
        out += &format!("- {}: {dots}\n", md_line(label));
    }
    if let Some(topic) = &r.chosen_topic {
        out += &format!(
            "\n**{}**\n",
            md_line(&locale.tf("vote.chosen", &[("topic", topic)]))
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_lines_stay_text() {
        assert_eq!(md_line("# title\nnext"), " title next");
        assert_eq!(
            md_line("<script>*x*</script>"),
            "&lt;script>\\*x\\*&lt;/script>"
        );
    }
}
