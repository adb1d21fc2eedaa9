//! Server functions for the open call: joining the contact base (with a
//! confirmation by mail), and the team's page to announce a process or a
//! stage opening and follow its sending.
use super::model::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{rules, store},
    crate::{ctx, i18n::Locale, processes::model::Stage, validate::Form},
};

/// The team's page of announcements of process `slug` (page `page`).
#[server(prefix = "/api", endpoint = "announcement_desk")]
pub async fn announcement_desk(slug: String, page: i64) -> Result<Desk, AppError> {
    let state = ctx::state()?;
    rules::announce(ctx::user().as_ref())?;
    let p = crate::processes::store::require(&state, &slug).await?;
    let locale = ctx::request_info().map(|r| r.locale).unwrap_or_default();
    let link = format!("{}/processes/{}", state.settings.base_url, p.slug);
    let args = [("title", p.title.as_str()), ("link", link.as_str())];
    Ok(Desk {
        subscribers: store::subscribers(&state.db).await?,
        stages: p.stages.iter().map(|s| s.stage).collect(),
        draft_subject: locale.tf("announcements.draft_subject", &args),
        draft_body: locale.tf("announcements.draft_body", &args),
        announcements: store::list(&state.db, p.id, page, state.settings.utc_offset_minutes)
            .await?,
        process_slug: p.slug,
        process_title: p.title,
    })
}

/// Announces process `slug` (or the opening of one of its stages) to
/// everyone in the contact base now. Returns how many it goes to; the
/// announcement job sends it.
#[server(prefix = "/api", endpoint = "send_announcement")]
pub async fn send_announcement(
    slug: String,
    stage: String,
    subject: String,
    body: String,
) -> Result<i64, AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    let user = rules::announce(user.as_ref())?;
    let p = crate::processes::store::require(&state, &slug).await?;
    let mut form = Form::new();
    let mut stages = vec![""];
    stages.extend(p.stages.iter().map(|s| s.stage.as_str()));
    let stage = Stage::parse(&form.choice("stage", &stage, &stages));
    let subject = form.required("subject", &subject, SUBJECT_MAX);
    let body = form.required("body", &body, BODY_MAX);
    form.finish()?;
    if store::subscribers(&state.db).await? == 0 {
        return Err(AppError::refused("announcements.nobody"));
    }
    if store::sending(&state.db, p.id, &subject).await? {
        return Err(AppError::refused("announcements.already_sending"));
    }
    let new = store::NewAnnouncement {
        process_id: p.id,
        stage,
        subject: &subject,
        body: &body,
        actor: user.id,
    };
    let (_, total) = store::create(&state.db, &new).await?;
    Ok(total)
}

/// Asks to join the contact base with `email`: a mail with a link confirms
/// it. The answer is the same whether or not the address was in the base.
#[server(prefix = "/api", endpoint = "join_contact_base")]
pub async fn join_contact_base(email: String) -> Result<(), AppError> {
    let state = ctx::state()?;
    let mut form = Form::new();
    let email = form.email("email", &email);
    form.finish()?;
    let locale = ctx::request_info().map(|r| r.locale).unwrap_or_default();
    if let store::Joined::Confirm(token) = store::join(&state.db, &email, locale.tag()).await? {
        let link = format!("{}/calls/confirm?token={token}", state.settings.base_url);
        crate::mail::enqueue_secret(
            &state,
            &email,
            &locale.t("mail.join_calls.subject"),
            &locale.tf("mail.join_calls.body", &[("link", &link)]),
        )
        .await?;
    }
    Ok(())
}

/// Confirms an address from the link mailed to it.
#[server(prefix = "/api", endpoint = "confirm_contact")]
pub async fn confirm_contact(token: String) -> Result<(), AppError> {
    let state = ctx::state()?;
    if store::confirm(&state.db, &token).await? {
        Ok(())
    } else {
        Err(AppError::refused("calls.unknown_link"))
    }
}

/// The mail of an announcement to one person, in the language they joined
/// in: (subject, body, the address that takes them out of the base).
#[cfg(feature = "ssr")]
pub fn letter(
    base_url: &str,
    process_slug: &str,
    batch: &store::Batch,
    to: &store::Recipient,
) -> (String, String, String) {
    let locale = Locale::from_tag(&to.locale).unwrap_or_default();
    let leave = format!("{base_url}/unsubscribe/calls/{}", to.token);
    let link = format!("{base_url}/processes/{process_slug}");
    let footer = locale.tf("mail.announcement.footer", &[("link", &leave)]);
    let body = format!("{}\n\n{link}\n\n-- \n{footer}\n", batch.body);
    (batch.subject.clone(), body, leave)
}
