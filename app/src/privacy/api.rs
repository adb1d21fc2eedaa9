//! Server functions of the account page: each acts on the signed-in person's
//! own account only. Changing the address, the password or deleting the
//! account asks for the password again.
use super::model::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{rules, store},
    crate::accounts::{model::NAME_MAX, secrets, store as accounts},
    crate::ctx,
    crate::error::AppResult,
    crate::i18n::Locale,
    crate::notifications::model::NotificationKind,
    crate::validate::Form,
};

#[server(prefix = "/api", endpoint = "my_account")]
pub async fn my_account() -> Result<Account, AppError> {
    let state = ctx::state()?;
    let user = rules::own(ctx::user().as_ref())?.clone();
    let own = accounts::own(&state.db, user.id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let locale = ctx::request_info().map(|r| r.locale).unwrap_or_default();
    let consent = own
        .consent_at
        .zip(own.consent_version)
        .map(|(at, version)| {
            let date = ctx::local_date(at, state.settings.utc_offset_minutes);
            (locale.date(&date), version)
        });
    Ok(Account {
        display_name: own.display_name,
        email: own.email,
        pending_email: accounts::pending_email(&state.db, user.id).await?,
        confirmed: own.confirmed,
        locale: own.locale,
        show_name_on_boards: own.show_name_on_boards,
        email_kinds: NotificationKind::ALL
            .iter()
            .map(|k| {
                (
                    k.as_str().to_string(),
                    !own.optouts.iter().any(|o| o == k.as_str()),
                )
            })
            .collect(),
        consent,
    })
}

/// The person's password, checked again before a change that matters.
#[cfg(feature = "ssr")]
async fn check_password(state: &ctx::AppState, user_id: i64, password: String) -> AppResult<()> {
    let own = accounts::own(&state.db, user_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    // Guesses count against the same limits as logins.
    let keys = crate::accounts::api::count_password_attempt(state, &own.email).await?;
    if secrets::verify_password(password, Some(own.password_hash)).await {
        accounts::forgive_attempt(&state.db, &[&keys.0, &keys.1]).await?;
        Ok(())
    } else {
        let mut form = Form::new();
        form.error("current_password", "account.password_wrong");
        form.finish()
    }
}

#[server(prefix = "/api", endpoint = "save_profile")]
pub async fn save_profile(
    display_name: String,
    locale: String,
    show_name_on_boards: Option<String>,
) -> Result<(), AppError> {
    let state = ctx::state()?;
    let user = rules::own(ctx::user().as_ref())?.clone();
    let mut form = Form::new();
    let name = form.required("display_name", &display_name, NAME_MAX);
    let tags: Vec<&str> = Locale::ALL.iter().map(|l| l.tag()).collect();
    let locale = form.choice("locale", &locale, &tags);
    form.finish()?;
    let locale = Locale::from_tag(&locale).ok_or(AppError::BadRequest)?;
    accounts::save_profile(
        &state.db,
        user.id,
        &name,
        locale,
        show_name_on_boards.is_some(),
    )
    .await?;
    leptos_axum::redirect("/account?saved=profile");
    Ok(())
}

/// Which kinds of notification also come by email: the ones ticked.
#[server(prefix = "/api", endpoint = "save_email_kinds")]
pub async fn save_email_kinds(kinds: Option<Vec<String>>) -> Result<(), AppError> {
    let state = ctx::state()?;
    let user = rules::own(ctx::user().as_ref())?.clone();
    let wanted = kinds.unwrap_or_default();
    if wanted.len() > NotificationKind::ALL.len()
        || wanted.iter().any(|k| NotificationKind::parse(k).is_none())
    {
        return Err(AppError::BadRequest);
    }
    let off: Vec<&str> = NotificationKind::ALL
        .iter()
        .map(|k| k.as_str())
        .filter(|k| !wanted.iter().any(|w| w == k))
        .collect();
    accounts::set_optouts(&state.db, user.id, &off).await?;
    leptos_axum::redirect("/account?saved=email_kinds");
    Ok(())
}

#[server(prefix = "/api", endpoint = "change_email")]
pub async fn change_email(email: String, current_password: String) -> Result<(), AppError> {
    let state = ctx::state()?;
    let user = rules::own(ctx::user().as_ref())?.clone();
    let mut form = Form::new();
    let email = form.email("email", &email);
    if current_password.is_empty() {
        form.error("current_password", "validation.required");
    }
    if !form.has_error("email") && accounts::email_taken(&state.db, &email).await? {
        form.error("email", "validation.email_taken");
    }
    form.finish()?;
    check_password(&state, user.id, current_password).await?;
    let locale = ctx::request_info().map(|r| r.locale).unwrap_or_default();
    crate::accounts::api::send_confirmation(&state, user.id, &email, locale).await?;
    leptos_axum::redirect("/account?saved=email");
    Ok(())
}

#[server(prefix = "/api", endpoint = "resend_confirmation")]
pub async fn resend_confirmation() -> Result<(), AppError> {
    let state = ctx::state()?;
    let user = rules::own(ctx::user().as_ref())?.clone();
    let own = accounts::own(&state.db, user.id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    if !own.confirmed {
        let locale = ctx::request_info().map(|r| r.locale).unwrap_or_default();
        crate::accounts::api::send_confirmation(&state, user.id, &own.email, locale).await?;
    }
    leptos_axum::redirect("/account?saved=resent");
    Ok(())
}

#[server(prefix = "/api", endpoint = "confirm_email")]
pub async fn confirm_email(token: String) -> Result<(), AppError> {
    let state = ctx::state()?;
    // Only the account the link was made for, signed in, can use it: nobody
    // makes another account's address theirs by getting its owner to click.
    let user = rules::own(ctx::user().as_ref())?.clone();
    match accounts::confirm_email(&state.db, &secrets::token_hash(token.trim()), user.id).await? {
        accounts::Confirmed::Done => {
            leptos_axum::redirect("/account?saved=confirmed");
            Ok(())
        }
        accounts::Confirmed::Expired => Err(AppError::refused("account.confirm_expired")),
        accounts::Confirmed::Taken => Err(AppError::refused("validation.email_taken")),
        accounts::Confirmed::Unknown => Err(AppError::refused("account.confirm_unknown")),
    }
}

#[server(prefix = "/api", endpoint = "change_password")]
pub async fn change_password(
    current_password: String,
    password: String,
    password_confirm: String,
) -> Result<(), AppError> {
    let state = ctx::state()?;
    let user = rules::own(ctx::user().as_ref())?.clone();
    let mut form = Form::new();
    let password = form.password("password", &password);
    if password != password_confirm {
        form.error("password_confirm", "validation.password_mismatch");
    }
    if current_password.is_empty() {
        form.error("current_password", "validation.required");
    }
    form.finish()?;
    check_password(&state, user.id, current_password).await?;
    let hash = secrets::hash_password(password).await;
    accounts::set_password(&state.db, user.id, &hash).await?;
    // Every other device is signed out; this one goes on.
    let current = ctx::request_info().and_then(|r| r.session_hash);
    accounts::delete_other_sessions(&state.db, user.id, current.as_deref().unwrap_or("")).await?;
    leptos_axum::redirect("/account?saved=password");
    Ok(())
}

#[server(prefix = "/api", endpoint = "delete_account")]
pub async fn delete_account(
    current_password: String,
    confirm: Option<String>,
) -> Result<(), AppError> {
    let state = ctx::state()?;
    let user = rules::own(ctx::user().as_ref())?.clone();
    let mut form = Form::new();
    if current_password.is_empty() {
        form.error("current_password", "validation.required");
    }
    if confirm.is_none() {
        form.error("confirm", "account.delete_confirm_required");
    }
    form.finish()?;
    check_password(&state, user.id, current_password).await?;
    store::delete(&state.db, user.id).await?;
    ctx::append_header(
        http::header::SET_COOKIE,
        &crate::accounts::api::session_cookie("", 0),
    );
    leptos_axum::redirect("/?account=deleted");
    Ok(())
}
