//! Server functions for joining an organization: asking, the representatives'
//! page (requests to decide on, invitations to send), and taking up an
//! invitation through its personal link.
use super::model::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{joins, rules},
    crate::{ctx, validate::Form},
};

/// A signed-in person asks to join a listed organization they are not in.
#[server(prefix = "/api", endpoint = "request_to_join")]
pub async fn request_to_join(organization_id: i64) -> Result<(), AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    let user = rules::register(user.as_ref())?;
    if !joins::listed(&state.db, organization_id).await? {
        return Err(AppError::NotFound);
    }
    if user.organization_ids.contains(&organization_id) {
        return Err(AppError::refused("directory.already_member"));
    }
    if !joins::request(&state.db, organization_id, user.id).await? {
        return Err(AppError::refused("directory.already_requested"));
    }
    Ok(())
}

/// The organizations the viewer represents, with who asks to join and whom
/// they invited.
#[server(prefix = "/api", endpoint = "my_organizations")]
pub async fn my_organizations() -> Result<Vec<Represented>, AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    let user = rules::register(user.as_ref())?;
    joins::represented(
        &state.db,
        &user.organization_ids,
        state.settings.utc_offset_minutes,
    )
    .await
}

#[server(prefix = "/api", endpoint = "accept_join_request")]
pub async fn accept_join_request(join_id: i64) -> Result<(), AppError> {
    decide_request(join_id, true).await
}

#[server(prefix = "/api", endpoint = "decline_join_request")]
pub async fn decline_join_request(join_id: i64) -> Result<(), AppError> {
    decide_request(join_id, false).await
}

/// Only a representative of the organization asked to join decides.
#[cfg(feature = "ssr")]
async fn decide_request(join_id: i64, approve: bool) -> Result<(), AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    rules::register(user.as_ref())?;
    let organization = joins::request_organization(&state.db, join_id)
        .await?
        .ok_or_else(|| AppError::refused("directory.no_such_request"))?;
    let user = rules::represent(user.as_ref(), organization)?;
    match joins::decide(&state.db, join_id, approve, &user.organization_ids, user.id).await? {
        Some(_) => Ok(()),
        None => Err(AppError::refused("directory.no_such_request")),
    }
}

/// A representative invites someone by email: the mail carries a personal
/// link, good once.
#[server(prefix = "/api", endpoint = "invite_to_organization")]
pub async fn invite_to_organization(organization_id: i64, email: String) -> Result<(), AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    let user = rules::represent(user.as_ref(), organization_id)?;
    let mut form = Form::new();
    let email = form.email("email", &email);
    form.check()?;
    let token = crate::accounts::secrets::new_token();
    let hash = crate::accounts::secrets::token_hash(&token);
    let locale = ctx::request_info().map(|r| r.locale).unwrap_or_default();
    let link = format!(
        "{}/organizations/join?token={token}",
        state.settings.base_url
    );
    let mail = |organization: &str| {
        let args = [
            ("organization", organization),
            ("person", user.display_name.as_str()),
            ("link", link.as_str()),
        ];
        (
            locale.tf("mail.invitation.subject", &args),
            locale.tf("mail.invitation.body", &args),
        )
    };
    if !joins::invite(&state.db, organization_id, &email, &hash, user.id, mail).await? {
        return Err(form.refuse_field("email", "directory.already_invited"));
    }
    state.mail_queued();
    Ok(())
}

/// The organization a personal link invites to.
#[server(prefix = "/api", endpoint = "organization_invitation")]
pub async fn organization_invitation(token: String) -> Result<Invitation, AppError> {
    let state = ctx::state()?;
    let hash = crate::accounts::secrets::token_hash(&token);
    let (_, organization) = joins::invitation(&state.db, &hash)
        .await?
        .ok_or_else(|| AppError::refused("directory.invitation_unknown"))?;
    Ok(Invitation {
        organization,
        signed_in: ctx::user().is_some(),
    })
}

/// The signed-in person takes up the invitation and joins.
#[server(prefix = "/api", endpoint = "accept_invitation")]
pub async fn accept_invitation(token: String) -> Result<(), AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    let user = rules::register(user.as_ref())?;
    let hash = crate::accounts::secrets::token_hash(&token);
    match joins::accept(&state.db, &hash, user.id).await? {
        Some(_) => Ok(()),
        None => Err(AppError::refused("directory.invitation_unknown")),
    }
}
