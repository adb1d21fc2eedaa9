//! Sign-up, login, password reset and privacy pages.
use super::api::{Login, RequestPasswordReset, ResetPassword, Signup};
use crate::i18n::t;
use crate::ui::*;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let action = form_action::<Login>();
    let error = action_error(action);
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let reset_done = move || query.read().get("reset").is_some_and(|v| v == "done");
    view! {
        <PageTitle text=t("login.title") />
        <section class="narrow">
            <h1>{t("login.title")}</h1>
            {move || reset_done().then(|| view! { <p class="message message-ok" role="status">{t("reset.done")}</p> })}
            <FormMessage error />
            <ActionForm action>
                <input type="hidden" name="next" value=next />
                <TextField name="email" label="field.email" kind="email" autocomplete="email" required=true error />
                <TextField name="password" label="field.password" kind="password" autocomplete="current-password" required=true error />
                <button type="submit">{t("login.submit")}</button>
            </ActionForm>
            <p><a href="/forgot-password">{t("login.forgot")}</a></p>
            <p>{t("login.no_account")}" "<a href="/signup">{t("nav.signup")}</a></p>
        </section>
    }
}

#[component]
pub fn SignupPage() -> impl IntoView {
    let action = form_action::<Signup>();
    let error = action_error(action);
    view! {
        <PageTitle text=t("signup.title") />
        <section class="narrow">
            <h1>{t("signup.title")}</h1>
            <p>{t("signup.intro")}</p>
            <FormMessage error />
            <ActionForm action>
                <TextField name="display_name" label="field.display_name" autocomplete="name" required=true hint="signup.name_hint" error />
                <TextField name="email" label="field.email" kind="email" autocomplete="email" required=true hint="signup.email_hint" error />
                <TextField name="password" label="field.password" kind="password" autocomplete="new-password" required=true hint="signup.password_hint" error />
                <TextField name="password_confirm" label="field.password_confirm" kind="password" autocomplete="new-password" required=true error />
                <CheckField name="accept_privacy" error>
                    {t("signup.accept_privacy")}" "<a href="/privacy">{t("footer.privacy")}</a>
                </CheckField>
                <button type="submit">{t("signup.submit")}</button>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let action = form_action::<RequestPasswordReset>();
    let error = action_error(action);
    let done = action_done(action);
    let sent_no_js = move || use_query_map().read().get("sent").is_some();
    view! {
        <PageTitle text=t("forgot.title") />
        <section class="narrow">
            <h1>{t("forgot.title")}</h1>
            <p>{t("forgot.intro")}</p>
            <Notice show=Signal::derive(move || done.get() || sent_no_js()) key="forgot.sent" />
            <FormMessage error />
            <ActionForm action>
                <TextField name="email" label="field.email" kind="email" autocomplete="email" required=true error />
                <button type="submit">{t("forgot.submit")}</button>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let action = form_action::<ResetPassword>();
    let error = action_error(action);
    let token = move || use_query_map().read().get("token").unwrap_or_default();
    view! {
        <PageTitle text=t("reset.title") />
        <section class="narrow">
            <h1>{t("reset.title")}</h1>
            <FormMessage error />
            <ActionForm action>
                <input type="hidden" name="token" value=token />
                <TextField name="password" label="field.new_password" kind="password" autocomplete="new-password" required=true hint="signup.password_hint" error />
                <TextField name="password_confirm" label="field.password_confirm" kind="password" autocomplete="new-password" required=true error />
                <button type="submit">{t("reset.submit")}</button>
            </ActionForm>
            <p><a href="/forgot-password">{t("reset.ask_again")}</a></p>
        </section>
    }
}

/// What is collected and why (Ley 25.326 and Ley 1.845).
#[component]
pub fn PrivacyPage() -> impl IntoView {
    view! {
        <PageTitle text=t("privacy.title") />
        <section class="narrow prose">
            <h1>{t("privacy.title")}</h1>
            <p>{t("privacy.what")}</p>
            <p>{t("privacy.why")}</p>
            <p>{t("privacy.public")}</p>
            <p>{t("privacy.rights")}</p>
        </section>
    }
}
