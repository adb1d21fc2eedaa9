//! Server functions for invitations by theme: the team's page (pick, send,
//! follow, figures by sector), the page a personal link opens, and
//! registering through it.
use super::model::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{rules, store},
    crate::{accounts::model::Sector, ctx},
};

/// The team's page of process `slug`: organizations of the directory to
/// invite, of a sector (`""` for all) and interested in an axis (0 for any);
/// the invitations sent (page `sent_page`) and the figures by sector.
#[server(prefix = "/api", endpoint = "invitation_desk")]
pub async fn invitation_desk(
    slug: String,
    sector: String,
    axis: i64,
    page: i64,
    sent_page: i64,
) -> Result<Desk, AppError> {
    let state = ctx::state()?;
    rules::invite(ctx::user().as_ref())?;
    let p = crate::processes::store::require(&state, &slug).await?;
    let sector = Sector::parse(&sector);
    let axis = (axis > 0).then_some(axis);
    let offset = state.settings.utc_offset_minutes;
    let (invitations, by_state) = store::follow(&state.db, p.id, sent_page, offset).await?;
    Ok(Desk {
        roundtables: crate::roundtables::store::titles(&state.db, p.id).await?,
        axes: p.axes.iter().map(|a| (a.id, a.name.clone())).collect(),
        candidates: crate::stakeholders::store::list(&state.db, sector, axis, page).await?,
        by_sector: store::figures(&state.db, p.id).await?,
        process_slug: p.slug,
        process_title: p.title,
        sector,
        axis,
        invitations,
        by_state,
    })
}

/// Invites the chosen organizations to the process (`roundtable_id` 0) or to
/// one of its roundtables. Returns how many were invited now (those invited
/// to it before are skipped).
#[server(prefix = "/api", endpoint = "send_invitations")]
pub async fn send_invitations(
    slug: String,
    roundtable_id: i64,
    organization_ids: Option<Vec<i64>>,
) -> Result<usize, AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    let user = rules::invite(user.as_ref())?;
    let p = crate::processes::store::require(&state, &slug).await?;
    let roundtables = crate::roundtables::store::titles(&state.db, p.id).await?;
    let roundtable = match roundtable_id {
        0 => None,
        id => Some(
            roundtables
                .iter()
                .find(|r| r.0 == id)
                .cloned()
                .ok_or_else(|| AppError::refused("invitations.unknown_roundtable"))?,
        ),
    };
    // A roundtable that is over takes no one.
    if let Some((id, _)) = &roundtable {
        let facts = crate::roundtables::store::facts(&state.db, *id)
            .await?
            .ok_or(AppError::NotFound)?;
        if facts.past() {
            return Err(AppError::refused("invitations.roundtable_over"));
        }
    }
    let mut ids = organization_ids.unwrap_or_default();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Err(AppError::refused("invitations.choose_organizations"));
    }
    if ids.len() > SEND_MAX {
        return Err(AppError::refused("invitations.too_many"));
    }
    let locale = ctx::request_info().map(|r| r.locale).unwrap_or_default();
    let what = match &roundtable {
        Some((_, title)) => locale.tf("invitations.to_roundtable", &[("title", title)]),
        None => locale.tf("invitations.to_process", &[("title", &p.title)]),
    };
    let base = state.settings.base_url.clone();
    let mail = |organization: &str, token: &str| {
        let link = format!("{base}/invitations/open?token={token}");
        let args = [
            ("organization", organization),
            ("what", what.as_str()),
            ("link", link.as_str()),
        ];
        (
            locale.tf("mail.theme_invitation.subject", &args),
            locale.tf("mail.theme_invitation.body", &args),
        )
    };
    let invite = store::Invite {
        process_id: p.id,
        roundtable_id: roundtable.map(|r| r.0),
        organization_ids: &ids,
        actor: user.id,
    };
    let n = store::send(&state.db, &invite, mail).await?;
    state.mail_queued();
    Ok(n)
}

/// What a personal link invites to; opening it is recorded.
#[server(prefix = "/api", endpoint = "open_invitation")]
pub async fn open_invitation(token: String) -> Result<Opened, AppError> {
    let state = ctx::state()?;
    let hash = crate::accounts::secrets::token_hash(&token);
    let (process_id, roundtable_id, organization_id, registered) = store::open(&state.db, &hash)
        .await?
        .ok_or_else(|| AppError::refused("invitations.unknown"))?;
    let p = crate::processes::store::require_id(&state, process_id).await?;
    let organization = crate::accounts::store::organizations_by_id(&state.db, &[organization_id])
        .await?
        .remove(&organization_id)
        .map(|o| o.name)
        .unwrap_or_default();
    let roundtable = match roundtable_id {
        Some(id) => crate::roundtables::store::detail(&state.db, id)
            .await?
            .map(|(d, _)| (id, d.summary.title, d.summary.when.date)),
        None => None,
    };
    Ok(Opened {
        organization,
        process_slug: p.slug,
        process_title: p.title,
        roundtable,
        signed_in: ctx::user().is_some(),
        registered,
    })
}

/// The signed-in person registers through the link: for a roundtable, a seat
/// (or the waitlist). A link someone else used, or an unknown one, does
/// nothing. Returns where to go next.
#[server(prefix = "/api", endpoint = "take_up_invitation")]
pub async fn take_up_invitation(token: String) -> Result<String, AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    let user = rules::take_up(user.as_ref())?;
    let hash = crate::accounts::secrets::token_hash(&token);
    // A roundtable that is over takes no one: checked before the link is spent.
    if let Some((_, Some(roundtable), _, _)) = store::open(&state.db, &hash).await? {
        let facts = crate::roundtables::store::facts(&state.db, roundtable)
            .await?
            .ok_or(AppError::NotFound)?;
        if facts.past() {
            return Err(AppError::refused("invitations.roundtable_over"));
        }
    }
    let (process_id, roundtable) = store::take_up(&state.db, &hash, user.id)
        .await?
        .ok_or_else(|| AppError::refused("invitations.unknown"))?;
    match roundtable {
        Some(id) => {
            let base = state.settings.base_url.clone();
            crate::roundtables::store::register(&state.db, &base, id, user.id).await?;
            state.mail_queued();
            Ok(format!("/roundtables/{id}"))
        }
        None => {
            let p = crate::processes::store::require_id(&state, process_id).await?;
            Ok(format!("/processes/{}", p.slug))
        }
    }
}

/// The process's figures by sector, for its public page.
#[server(prefix = "/api", endpoint = "outreach_figures")]
pub async fn outreach_figures(slug: String) -> Result<Vec<SectorFigures>, AppError> {
    let state = ctx::state()?;
    let p = crate::processes::store::require(&state, &slug).await?;
    store::figures(&state.db, p.id).await
}
