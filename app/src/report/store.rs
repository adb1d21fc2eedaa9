//! (ssr) The report's figures, gathered from each stage's store functions:
//! a fixed number of queries however large the process.
use super::model::*;
use crate::accounts::model::Sector;
use crate::db::Db;
use crate::error::AppResult;
use crate::monitoring::model::Progress;
use crate::processes::model::ProcessDetail;
use std::collections::{BTreeSet, HashMap};

pub async fn report(db: &Db, p: &ProcessDetail, today: &str) -> AppResult<Report> {
    let received = crate::proposals::store::received(db, p.id).await?;
    let figures = crate::processes::store::figures(db, p.id).await?;
    let followups = crate::monitoring::store::followup_count(db, p.id).await?;
    let agencies = crate::feasibility::store::verdicts_by_agency(db, p.id)
        .await?
        .into_iter()
        .map(|(agency, assigned, verdicts)| AgencyFigures {
            agency,
            assigned,
            verdicts,
        })
        .collect();

    // Who took part, and for which organizations.
    let (mut people, mut orgs) = crate::proposals::store::participants(db, p.id).await?;
    let attendees = crate::roundtables::store::attendees_in(db, p.id).await?;
    let (endorsers, endorsing) = crate::endorsements::store::endorsers(db, p.id).await?;
    people.extend(crate::commitments::consultation_store::commenters(db, p.id).await?);
    people.extend(attendees.iter().copied());
    people.extend(endorsers);
    let people: BTreeSet<i64> = people.into_iter().collect();
    // The memberships of the people who took part (few people belong to an
    // organization: one query, whatever the size of the process).
    let memberships: Vec<(i64, i64)> = crate::accounts::store::memberships(db)
        .await?
        .into_iter()
        .filter(|(user, _)| people.contains(user))
        .collect();
    // A member who attended a roundtable brought their organization to it.
    orgs.extend(
        memberships
            .iter()
            .filter(|(user, _)| attendees.contains(user))
            .map(|(_, org)| *org),
    );
    orgs.extend(endorsing);
    let directory = crate::accounts::store::directory(db).await?.organizations;
    let sector: HashMap<i64, Sector> = directory.iter().map(|o| (o.id, o.sector)).collect();
    let mut sectors_of: HashMap<i64, Vec<Sector>> = HashMap::new();
    for (user, org) in &memberships {
        if let Some(s) = sector.get(org) {
            sectors_of.entry(*user).or_default().push(*s);
        }
    }
    let groups: Vec<Group> = directory
        .iter()
        .filter(|o| orgs.contains(&o.id))
        .map(|o| Group {
            name: o.name.clone(),
            sector: o.sector,
        })
        .collect();

    let tally = crate::commitments::consultation_store::process_tally(db, p.id).await?;
    let plan = crate::commitments::store::plan(db, p.id).await?;
    let finals: Vec<_> = plan
        .into_iter()
        .filter(|c| c.state == crate::commitments::model::SheetState::Final)
        .collect();
    let ids: Vec<i64> = finals.iter().map(|c| c.id).collect();
    let statuses = crate::monitoring::store::published_statuses(db, &ids).await?;
    let mut last: HashMap<(i64, &str), Progress> = HashMap::new();
    for (commitment, key, progress, _) in &statuses {
        last.insert((*commitment, key.as_str()), *progress);
    }
    let mut milestones: HashMap<Progress, i64> = HashMap::new();
    for c in &finals {
        for m in &c.sheet.milestones {
            let status = last
                .get(&(c.id, m.key.as_str()))
                .copied()
                .unwrap_or(Progress::NoEvidence);
            *milestones.entry(status).or_default() += 1;
        }
    }

    let mut proposals_by_side: Vec<(Side, i64)> = received
        .by_sector
        .into_iter()
        .map(|(s, n)| {
            let side = s
                .as_deref()
                .and_then(Sector::parse)
                .map_or(Side::Individual, Side::Sector);
            (side, n)
        })
        .collect();
    // Engines sort a missing sector differently: sectors first, then people.
    proposals_by_side.sort();

    Ok(Report {
        process_slug: p.slug.clone(),
        process_title: p.title.clone(),
        computed_on: today.to_string(),
        proposals: received.total,
        proposals_by_axis: received.by_axis,
        proposals_by_side,
        answered: figures.answered,
        agencies,
        roundtables_held: figures.public_meetings - followups,
        followup_meetings: followups,
        attendees: figures.attendees,
        groups,
        people: people.len() as i64,
        people_by_side: by_side(
            people
                .iter()
                .map(|u| side_of(sectors_of.get(u).map(Vec::as_slice).unwrap_or(&[]))),
        ),
        draft_comments: tally.received,
        draft_comments_by_outcome: tally.answered,
        draft_comments_unanswered: tally.unanswered,
        commitments: finals.len() as i64,
        milestones_by_status: Progress::ALL
            .iter()
            .map(|p| (*p, milestones.get(p).copied().unwrap_or(0)))
            .collect(),
    })
}

/// (open data) The co-creation report's figures, one per row, as its CSV
/// gives them (in Spanish, the plan's language; `section` is stable).
pub const OPEN_DATA: &[crate::dataset::Dataset] = {
    use crate::dataset::{field, Dataset, Kind::*, Source};
    &[Dataset {
        name: "figures",
        fields: &[
            field("id", Integer),
            field("section", Text),
            field("item", Text),
            field("value", Text),
        ],
        filters: &[],
        modified: "",
        source: Source::Built(open_figures),
    }]
};

fn open_figures(s: crate::dataset::Scope<'_>) -> crate::dataset::Rows<'_> {
    Box::pin(async move {
        let r = report(s.db, s.process, s.today).await?;
        Ok(super::export::rows(&r, crate::i18n::Locale::EsAr)
            .into_iter()
            .enumerate()
            .map(|(i, (section, item, value))| {
                let mut row = crate::dataset::Record::new();
                row.insert("id".into(), (i as i64 + 1).into());
                row.insert("section".into(), section.into());
                row.insert("item".into(), item.into());
                row.insert("value".into(), value.into());
                row
            })
            .collect())
    })
}
