//! Server functions for accounts: sign-up, login, logout, password reset and the
//! administrators' management of users, roles, organizations and agencies.
use super::model::*;
use crate::error::AppError;
use crate::paging::Page;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{rules, secrets, store},
    crate::{ctx, error::AppResult, validate::Form},
};

/// Cookie holding the session token.
pub const SESSION_COOKIE: &str = "cocrea_session";

#[server(prefix = "/api", endpoint = "whoami")]
pub async fn whoami() -> Result<Option<CurrentUser>, AppError> {
    Ok(ctx::user())
}

#[cfg(feature = "ssr")]
pub(crate) fn session_cookie(token: &str, max_age: i64) -> String {
    let secure = ctx::state()
        .map(|s| s.settings.secure_cookies)
        .unwrap_or(false);
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{}",
        if secure { "; Secure" } else { "" }
    )
}

#[cfg(feature = "ssr")]
async fn start_session(state: &ctx::AppState, user_id: i64) -> AppResult<()> {
    let token = secrets::new_token();
    store::create_session(&state.db, user_id, &secrets::token_hash(&token)).await?;
    ctx::append_header(
        http::header::SET_COOKIE,
        &session_cookie(&token, store::SESSION_SECONDS),
    );
    Ok(())
}

#[server(prefix = "/api", endpoint = "signup")]
pub async fn signup(
    display_name: String,
    email: String,
    password: String,
    password_confirm: String,
    accept_privacy: Option<String>,
) -> Result<(), AppError> {
    let state = ctx::state()?;
    let mut form = Form::new();
    let display_name = form.required("display_name", &display_name, NAME_MAX);
    let email = form.email("email", &email);
    let password = form.password("password", &password);
    if password != password_confirm {
        form.error("password_confirm", "validation.password_mismatch");
    }
    if accept_privacy.is_none() {
        form.error("accept_privacy", "validation.accept_privacy");
    }
    if !form.has_error("email") && store::email_taken(&state.db, &email).await? {
        form.error("email", "validation.email_taken");
    }
    form.finish()?;
    let hash = secrets::hash_password(password).await;
    let Some(id) = store::create_user(
        &state.db,
        &email,
        &display_name,
        &hash,
        Role::Participant,
        Some(PRIVACY_VERSION),
    )
    .await?
    else {
        // Someone registered the same address in the meantime.
        let mut form = Form::new();
        form.required("display_name", &display_name, NAME_MAX);
        form.email("email", &email);
        form.error("email", "validation.email_taken");
        return form.finish();
    };
    // Emails and notifications reach the person in the language they signed up in,
    // once the address is confirmed: the confirmation is the first mail it gets.
    let locale = ctx::request_info().map(|r| r.locale).unwrap_or_default();
    store::set_locale(&state.db, id, locale).await?;
    send_confirmation(&state, id, &email, locale).await?;
    start_session(&state, id).await?;
    leptos_axum::redirect("/");
    Ok(())
}

/// Attempts allowed in `THROTTLE_WINDOW` seconds for one account from one
/// address, and from one address in all. Counting an account at an address (not
/// the account alone) means a stranger failing from elsewhere cannot lock its
/// owner out; the address limit is high so many people behind one address are not.
#[cfg(feature = "ssr")]
const ACCOUNT_LIMIT: i64 = 8;
#[cfg(feature = "ssr")]
const ADDRESS_LIMIT: i64 = 100;
#[cfg(feature = "ssr")]
const THROTTLE_WINDOW: i64 = 15 * 60;

#[server(prefix = "/api", endpoint = "login")]
pub async fn login(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    let state = ctx::state()?;
    let email = email.trim().to_lowercase();
    let mut form = Form::new();
    form.required("email", &email, 254);
    if password.is_empty() {
        form.error("password", "validation.required");
    }
    if form.has_error("email") || form.has_error("password") {
        return form.finish();
    }

    // Each attempt is counted before the password is checked (and given back if
    // it succeeds), so a burst in parallel cannot pass the limit.
    let (account_key, address_key) = count_password_attempt(&state, &email).await?;
    let creds = store::credentials(&state.db, &email).await?;
    let ok =
        secrets::verify_password(password, creds.as_ref().map(|c| c.password_hash.clone())).await;
    match creds {
        Some(c) if ok && c.active => {
            store::forgive_attempt(&state.db, &[&account_key, &address_key]).await?;
            start_session(&state, c.id).await?;
            leptos_axum::redirect(&crate::redirect::safe_target(next.as_deref()));
            Ok(())
        }
        // One message whether the email exists or not.
        _ => Err(form.refuse("auth.login_failed")),
    }
}

/// Sends a link that confirms `email` for the account (its own address, or the
/// new one it asks for); the address is the account's once the link is used.
#[cfg(feature = "ssr")]
pub async fn send_confirmation(
    state: &ctx::AppState,
    user_id: i64,
    email: &str,
    locale: crate::i18n::Locale,
) -> AppResult<()> {
    let token = secrets::new_token();
    if !store::create_confirmation(&state.db, user_id, email, &secrets::token_hash(&token)).await? {
        return Err(AppError::RateLimited);
    }
    let link = format!("{}/confirm-email?token={token}", state.settings.base_url);
    let body = locale.tf("mail.confirm.body", &[("link", &link)]);
    crate::mail::enqueue_secret(state, email, &locale.t("mail.confirm.subject"), &body).await
}

/// The keys under which attempts at `email`'s password are counted: the account
/// at the client's address (the address kept only as a hash), and the address.
#[cfg(feature = "ssr")]
pub(crate) fn attempt_keys(email: &str) -> (String, String) {
    let ip = ctx::client_ip();
    let account = secrets::token_hash(email);
    (format!("account:{account}@{ip}"), format!("address:{ip}"))
}

/// Counts an attempt at a password (a login, or the current password asked
/// again before a change): over the limit, refused before any hashing.
#[cfg(feature = "ssr")]
pub(crate) async fn count_password_attempt(
    state: &ctx::AppState,
    email: &str,
) -> AppResult<(String, String)> {
    let (account_key, address_key) = attempt_keys(email);
    let account = store::count_attempt(&state.db, &account_key, THROTTLE_WINDOW).await?;
    let address = store::count_attempt(&state.db, &address_key, THROTTLE_WINDOW).await?;
    if account > ACCOUNT_LIMIT || address > ADDRESS_LIMIT {
        return Err(AppError::RateLimited);
    }
    Ok((account_key, address_key))
}

#[server(prefix = "/api", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    let state = ctx::state()?;
    if let Some(hash) = ctx::request_info().and_then(|r| r.session_hash) {
        store::delete_session(&state.db, &hash).await?;
    }
    ctx::append_header(http::header::SET_COOKIE, &session_cookie("", 0));
    leptos_axum::redirect("/");
    Ok(())
}

#[server(prefix = "/api", endpoint = "request_password_reset")]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    let state = ctx::state()?;
    let mut form = Form::new();
    let email = form.email("email", &email);
    form.finish()?;
    // The answer is the same whether or not the address has an account.
    leptos_axum::redirect("/forgot-password?sent=1");
    let Some(creds) = store::credentials(&state.db, &email).await? else {
        return Ok(());
    };
    let recent = store::last_reset_at(&state.db, creds.id).await?;
    if recent.is_some_and(|t| crate::db::now() - t < 60) {
        return Ok(());
    }
    let token = secrets::new_token();
    store::create_reset(&state.db, creds.id, &secrets::token_hash(&token)).await?;
    let locale = ctx::request_info().map(|r| r.locale).unwrap_or_default();
    let link = format!("{}/reset-password?token={token}", state.settings.base_url);
    let body = locale.tf("mail.reset.body", &[("link", &link)]);
    crate::mail::enqueue_secret(&state, &email, &locale.t("mail.reset.subject"), &body).await?;
    Ok(())
}

#[server(prefix = "/api", endpoint = "reset_password")]
pub async fn reset_password(
    token: String,
    password: String,
    password_confirm: String,
) -> Result<(), AppError> {
    let state = ctx::state()?;
    let mut form = Form::new();
    let password = form.password("password", &password);
    if password != password_confirm {
        form.error("password_confirm", "validation.password_mismatch");
    }
    form.finish()?;
    let token_hash = secrets::token_hash(token.trim());
    // The costly hash only for a token that can be used.
    if let refused @ (store::ResetUse::Unknown
    | store::ResetUse::Expired
    | store::ResetUse::AlreadyUsed) = store::reset_status(&state.db, &token_hash).await?
    {
        return Err(reset_refusal(refused));
    }
    let hash = secrets::hash_password(password).await;
    match store::use_reset(&state.db, &token_hash).await? {
        store::ResetUse::Used(user_id) => {
            store::set_password(&state.db, user_id, &hash).await?;
            // The link came to the address: it is confirmed.
            store::mark_confirmed(&state.db, user_id).await?;
            // A reset signs out every other device.
            store::delete_user_sessions(&state.db, user_id).await?;
            leptos_axum::redirect("/login?reset=done");
            Ok(())
        }
        refused => Err(reset_refusal(refused)),
    }
}

#[cfg(feature = "ssr")]
fn reset_refusal(status: store::ResetUse) -> AppError {
    AppError::refused(match status {
        store::ResetUse::Expired => "auth.reset_expired",
        store::ResetUse::AlreadyUsed | store::ResetUse::Used(_) => "auth.reset_used",
        store::ResetUse::Unknown => "auth.reset_unknown",
    })
}

// --- administration -------------------------------------------------------

#[server(prefix = "/api", endpoint = "admin_users")]
pub async fn admin_users(page: i64, query: String) -> Result<Page<UserAdminRow>, AppError> {
    let state = ctx::state()?;
    rules::manage_accounts(ctx::user().as_ref())?;
    store::list_users(&state.db, page, &query).await
}

#[server(prefix = "/api", endpoint = "directory")]
pub async fn list_directory() -> Result<Directory, AppError> {
    let state = ctx::state()?;
    store::directory(&state.db).await
}

#[server(prefix = "/api", endpoint = "admin_set_role")]
pub async fn admin_set_role(user_id: i64, role: String) -> Result<(), AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    let actor = rules::manage_accounts(user.as_ref())?;
    let mut form = Form::new();
    form.choice("role", &role, &["participant", "facilitator", "admin"]);
    form.finish()?;
    rules::change_role(actor, user_id)?;
    let role = Role::parse(&role).ok_or(AppError::BadRequest)?;
    if !store::set_role(&state.db, user_id, role).await? {
        return Err(AppError::NotFound);
    }
    store::audit(
        &state.db,
        Some(actor.id),
        "user.role",
        &format!("user:{user_id}"),
        role.as_str(),
    )
    .await?;
    Ok(())
}

/// Adds or removes a person's membership of an agency or an organization.
#[server(prefix = "/api", endpoint = "admin_membership")]
pub async fn admin_membership(
    user_id: i64,
    kind: String,
    group_id: i64,
    remove: Option<String>,
) -> Result<(), AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    let actor = rules::manage_accounts(user.as_ref())?;
    let membership = GroupKind::parse(&kind).ok_or(AppError::BadRequest)?;
    if !store::user_exists(&state.db, user_id).await? {
        return Err(AppError::NotFound);
    }
    let action = if remove.is_some() {
        store::remove_member(&state.db, membership, user_id, group_id).await?;
        "membership.remove"
    } else {
        if !store::add_member(&state.db, membership, user_id, group_id).await? {
            return Err(AppError::NotFound);
        }
        "membership.add"
    };
    store::audit(
        &state.db,
        Some(actor.id),
        action,
        &format!("user:{user_id}"),
        &format!("{kind}:{group_id}"),
    )
    .await?;
    Ok(())
}

/// Creates (no `id`) or updates an organization or an agency. `detail` is an
/// organization's sector or an agency's description.
#[server(prefix = "/api", endpoint = "admin_save_group")]
pub async fn admin_save_group(
    kind: String,
    id: Option<i64>,
    name: String,
    detail: String,
) -> Result<(), AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    let actor = rules::manage_accounts(user.as_ref())?;
    let kind = GroupKind::parse(&kind).ok_or(AppError::BadRequest)?;
    let mut form = Form::new();
    let name = form.required("name", &name, ORG_NAME_MAX);
    let detail = match kind {
        GroupKind::Organization => {
            let sectors: Vec<&str> = Sector::ALL.iter().map(|s| s.as_str()).collect();
            form.choice("detail", &detail, &sectors)
        }
        GroupKind::Agency => form
            .optional("detail", &detail, DESCRIPTION_MAX)
            .unwrap_or_default(),
    };
    form.finish()?;
    let Some(saved) = store::save_group(&state.db, kind, id, &name, &detail).await? else {
        let mut form = Form::new();
        form.required("name", &name, ORG_NAME_MAX);
        let key = match id {
            Some(_) => "validation.name_taken_or_missing",
            None => "validation.name_taken",
        };
        return Err(form.refuse_field("name", key));
    };
    let subject = format!("{}:{saved}", kind.as_str());
    store::audit(&state.db, Some(actor.id), "group.save", &subject, &name).await?;
    Ok(())
}
