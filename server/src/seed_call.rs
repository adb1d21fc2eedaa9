//! Demo data for the personalized call: the first process's survey, sent to
//! organizations of the directory, with answers; and invitations by theme in
//! every state; and a few addresses in the open call's contact base (confirmed,
//! as if they had followed the mail's link). Loaded once: skipped when the
//! process has a survey already.
use anyhow::Context as _;
use app::db::Db;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct SeedCall {
    survey: SeedSurvey,
    #[serde(default)]
    invitations: Vec<SeedInvitation>,
    /// Addresses in the contact base, with the language they joined in.
    #[serde(default)]
    contacts: Vec<(String, String)>,
}

#[derive(Deserialize)]
struct SeedSurvey {
    intro: String,
    /// `today+N`.
    closes: String,
    questions: Vec<SeedQuestion>,
    /// Organizations, by name.
    recipients: Vec<String>,
    answers: Vec<SeedAnswer>,
}

#[derive(Deserialize)]
struct SeedQuestion {
    kind: String,
    prompt: String,
    #[serde(default)]
    options: Vec<String>,
    #[serde(default)]
    required: bool,
}

#[derive(Deserialize)]
struct SeedAnswer {
    organization: String,
    /// The member who answered (by email), if any.
    by: Option<String>,
    /// Per question: its values (axes by name).
    values: Vec<Vec<String>>,
}

#[derive(Deserialize)]
struct SeedInvitation {
    organization: String,
    /// A roundtable of the process, by title; none for the process itself.
    roundtable: Option<String>,
    /// `sent` (left to the mail job), `opened` or `registered`.
    state: String,
    /// Who registered through it (by email).
    registered_by: Option<String>,
}

async fn user_id(db: &Db, email: &Option<String>) -> anyhow::Result<Option<i64>> {
    Ok(match email {
        Some(email) => Some(
            app::accounts::store::credentials(db, email)
                .await
                .map_err(crate::seed::err)?
                .with_context(|| format!("account {email}"))?
                .id,
        ),
        None => None,
    })
}

pub async fn load(db: &Db, call: &SeedCall, process_id: i64, actor: i64) -> anyhow::Result<()> {
    use app::survey::{model::QuestionKind, store};
    let err = crate::seed::err;
    if store::of_process(db, process_id)
        .await
        .map_err(err)?
        .is_some()
    {
        return Ok(());
    }
    for (email, locale) in &call.contacts {
        let joined = app::announcements::store::join(db, email, locale)
            .await
            .map_err(err)?;
        if let app::announcements::store::Joined::Confirm(token) = joined {
            app::announcements::store::confirm(db, &token)
                .await
                .map_err(err)?;
        }
    }
    let s = &call.survey;
    let closes = crate::seed::resolve_date(&s.closes, time::OffsetDateTime::now_utc().date())?;
    let survey = store::save(db, process_id, &s.intro, &closes, actor)
        .await
        .map_err(err)?;
    for q in &s.questions {
        let kind = QuestionKind::parse(&q.kind).with_context(|| format!("kind {}", q.kind))?;
        store::add_question(db, survey, kind, &q.prompt, &q.options, q.required, actor)
            .await
            .map_err(err)?;
    }
    let mut recipients = vec![];
    for name in &s.recipients {
        recipients.push(crate::seed::id_by_name(db, "organizations", name).await?);
    }
    let title = app::processes::store::all_titles(db)
        .await
        .map_err(err)?
        .into_iter()
        .find(|p| p.0 == process_id)
        .map(|p| p.2)
        .unwrap_or_default();
    let mail = |org: &str| {
        (
            format!("Encuesta para {org}"),
            format!("{title}: encuesta para {org}."),
        )
    };
    store::send(
        db,
        crate::seed::DEMO_BASE_URL,
        survey,
        &title,
        &recipients,
        actor,
        mail,
    )
    .await
    .map_err(err)?;
    let questions = store::questions(db, survey).await.map_err(err)?;
    let axes = app::processes::store::axis_choices(db).await.map_err(err)?;
    for a in &s.answers {
        let org = crate::seed::id_by_name(db, "organizations", &a.organization).await?;
        let mut answers = vec![];
        let mut interests = vec![];
        for (q, values) in questions.iter().zip(&a.values) {
            let values: Vec<String> = if q.kind == QuestionKind::Axes {
                let ids: Vec<i64> = values
                    .iter()
                    .filter_map(|v| axes.iter().find(|x| &x.1 == v && x.2 == title).map(|x| x.0))
                    .collect();
                interests.extend(&ids);
                ids.iter().map(i64::to_string).collect()
            } else {
                values.clone()
            };
            answers.push((q.id, values));
        }
        let by = user_id(db, &a.by).await?;
        store::answer(db, survey, org, by, &answers, &interests)
            .await
            .map_err(err)?;
    }
    load_invitations(db, &call.invitations, process_id, actor).await
}

async fn load_invitations(
    db: &Db,
    invitations: &[SeedInvitation],
    process_id: i64,
    actor: i64,
) -> anyhow::Result<()> {
    use app::invitations::store;
    let err = crate::seed::err;
    let roundtables = app::roundtables::store::titles(db, process_id)
        .await
        .map_err(err)?;
    for i in invitations {
        let org = crate::seed::id_by_name(db, "organizations", &i.organization).await?;
        let roundtable = match &i.roundtable {
            Some(title) => Some(
                roundtables
                    .iter()
                    .find(|r| &r.1 == title)
                    .with_context(|| format!("roundtable {title}"))?
                    .0,
            ),
            None => None,
        };
        let invite = store::Invite {
            process_id,
            roundtable_id: roundtable,
            organization_ids: &[org],
            actor,
        };
        // The demo's links go nowhere: nobody holds them.
        let mail = |o: &str, _: &str| {
            (
                format!("Invitación para {o}"),
                format!("Invitación para {o}."),
            )
        };
        store::send(db, &invite, mail).await.map_err(err)?;
        let registered_by = user_id(db, &i.registered_by).await?;
        match i.state.as_str() {
            "sent" => {}
            "opened" | "registered" => {
                store::seed_progress(db, process_id, roundtable, org, registered_by)
                    .await
                    .map_err(err)?;
                if let (Some(r), Some(u)) = (roundtable, registered_by) {
                    app::roundtables::store::register(db, crate::seed::DEMO_BASE_URL, r, u)
                        .await
                        .map_err(err)?;
                }
            }
            other => anyhow::bail!("invitation state {other}"),
        }
    }
    Ok(())
}
