//! (ssr) The report as CSV (one row per figure: section, item, value), JSON,
//! DOCX and PDF, in the reader's language. The DOCX and the PDF render one
//! [`Doc`], built here once.
use super::model::*;
use crate::documents::Doc;
use crate::i18n::Locale;

/// Every figure of the report as (section key, item, value), in page order.
pub fn rows(r: &Report, l: Locale) -> Vec<(&'static str, String, String)> {
    let n = |v: i64| v.to_string();
    let mut out = vec![
        (
            "cocreation.q.groups",
            l.t("cocreation.q.groups"),
            n(r.groups.len() as i64),
        ),
        (
            "cocreation.q.meetings",
            l.t("cocreation.q.meetings"),
            n(r.public_meetings()),
        ),
        (
            "cocreation.q.people",
            l.t("cocreation.q.people"),
            n(r.people),
        ),
        (
            "cocreation.proposals",
            l.t("cocreation.proposals_received"),
            n(r.proposals),
        ),
        (
            "cocreation.proposals",
            l.t("cocreation.proposals_answered"),
            n(r.answered),
        ),
    ];
    for (axis, count) in &r.proposals_by_axis {
        out.push(("cocreation.by_axis", axis.clone(), n(*count)));
    }
    for (side, count) in &r.proposals_by_side {
        out.push(("cocreation.by_side", l.t(&side.key()), n(*count)));
    }
    for a in &r.agencies {
        out.push((
            "cocreation.agencies",
            format!("{} · {}", a.agency, l.t("cocreation.assigned")),
            n(a.assigned),
        ));
        for (v, count) in &a.verdicts {
            out.push((
                "cocreation.agencies",
                format!("{} · {}", a.agency, l.t(&v.label_key())),
                n(*count),
            ));
        }
    }
    out.push((
        "cocreation.meetings",
        l.t("cocreation.roundtables_held"),
        n(r.roundtables_held),
    ));
    out.push((
        "cocreation.meetings",
        l.t("cocreation.followup_meetings"),
        n(r.followup_meetings),
    ));
    out.push((
        "cocreation.meetings",
        l.t("cocreation.attendees"),
        n(r.attendees),
    ));
    for (side, count) in &r.people_by_side {
        out.push(("cocreation.people_by_side", l.t(&side.key()), n(*count)));
    }
    for g in &r.groups {
        out.push((
            "cocreation.groups",
            g.name.clone(),
            l.t(&g.sector.label_key()),
        ));
    }
    out.push((
        "cocreation.draft_comments",
        l.t("cocreation.comments_received"),
        n(r.draft_comments),
    ));
    for (o, count) in &r.draft_comments_by_outcome {
        out.push((
            "cocreation.draft_comments",
            l.t(&format!("outcome.{}", o.as_str())),
            n(*count),
        ));
    }
    out.push((
        "cocreation.draft_comments",
        l.t("cocreation.unanswered"),
        n(r.draft_comments_unanswered),
    ));
    out.push((
        "cocreation.milestones",
        l.t("cocreation.commitments_final"),
        n(r.commitments),
    ));
    for (p, count) in &r.milestones_by_status {
        out.push(("cocreation.milestones", l.t(&p.key()), n(*count)));
    }
    out
}

pub fn csv(r: &Report, l: Locale) -> String {
    let heading = vec![
        l.t("cocreation.csv.section"),
        l.t("cocreation.csv.item"),
        l.t("cocreation.csv.value"),
    ];
    crate::documents::csv(
        std::iter::once(heading).chain(
            rows(r, l)
                .into_iter()
                .map(|(section, item, value)| vec![l.t(section), item, value]),
        ),
    )
}

pub fn json(r: &Report) -> String {
    serde_json::to_string_pretty(r).unwrap_or_default()
}

/// The report as a document (for DOCX and PDF): its title, then each
/// section's figures.
pub fn document(r: &Report, l: Locale) -> Doc {
    let title = l.tf("cocreation.title", &[("process", &r.process_title)]);
    let mut doc = Doc::new(&title, l);
    doc.title(&title).paragraphs(&l.tf(
        "cocreation.computed_on",
        &[("date", &l.date(&r.computed_on))],
    ));
    let mut section = "";
    for (key, item, value) in rows(r, l) {
        if key != section {
            doc.heading1(&l.t(key));
            section = key;
        }
        doc.paragraphs(&format!("{item}: {value}"));
    }
    doc
}
