//! "Mi cuenta" and the page that confirms an email address.
use super::api::*;
use super::model::Account;
use crate::i18n::{t, use_locale, Locale};
use crate::ui::*;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The forms of the account page, made by the page component (outside any
/// `Transition`).
#[derive(Clone, Copy)]
struct Forms {
    profile: ServerAction<SaveProfile>,
    kinds: ServerAction<SaveEmailKinds>,
    email: ServerAction<ChangeEmail>,
    resend: ServerAction<ResendConfirmation>,
    password: ServerAction<ChangePassword>,
    delete: ServerAction<DeleteAccount>,
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let forms = Forms {
        profile: form_action(),
        kinds: form_action(),
        email: form_action(),
        resend: form_action(),
        password: form_action(),
        delete: form_action(),
    };
    let query = use_query_map();
    let saved = move || query.read().get("saved").unwrap_or_default();
    let account = Resource::new(saved, |_| my_account());
    view! {
        <PageTitle text=t("account.title") />
        <Gate allowed=|_| true>
            <Transition fallback=|| view! { <p>{t("status.loading")}</p> }>
                {move || Suspend::new(async move {
                    match account.await {
                        Err(e) => view! { <PageError error=e /> }.into_any(),
                        Ok(a) => view! { <AccountView a forms saved=saved() /> }.into_any(),
                    }
                })}
            </Transition>
        </Gate>
    }
}

#[component]
fn AccountView(a: Account, forms: Forms, saved: String) -> impl IntoView {
    let notice = match saved.as_str() {
        "profile" | "email_kinds" | "email" | "resent" | "password" | "confirmed" => {
            Some(format!("account.saved.{saved}"))
        }
        _ => None,
    };
    let profile_error = action_error(forms.profile);
    let kinds_error = action_error(forms.kinds);
    let email_error = action_error(forms.email);
    let password_error = action_error(forms.password);
    let delete_error = action_error(forms.delete);
    let languages: Vec<(String, String)> = Locale::ALL
        .iter()
        .map(|l| (l.tag().to_string(), l.t("locale.name")))
        .collect();
    let locale = use_locale();
    view! {
        <section class="narrow account">
            <h1>{t("account.title")}</h1>
            {notice.map(|key| view! { <p class="message message-ok" role="status">{t(&key)}</p> })}

            <h2 id="profile">{t("account.profile")}</h2>
            <FormMessage error=profile_error />
            <ActionForm action=forms.profile>
                <TextField name="display_name" label="field.display_name" autocomplete="name" required=true value=a.display_name.clone() error=profile_error />
                <SelectField name="locale" label="account.language" options=languages value=a.locale.clone() error=profile_error />
                <div class="field field-check">
                    <input type="checkbox" id="f-show_name_on_boards" name="show_name_on_boards" value="on" checked=a.show_name_on_boards />
                    <label for="f-show_name_on_boards">{t("account.show_name_on_boards")}</label>
                </div>
                <button type="submit">{t("action.save")}</button>
            </ActionForm>

            <h2 id="email">{t("account.email")}</h2>
            <p>{locale.tf("account.email_now", &[("email", &a.email)])}</p>
            {(!a.confirmed).then(|| view! {
                <p class="message">{t("account.unconfirmed")}</p>
                <ActionForm action=forms.resend>
                    <button type="submit" class="secondary">{t("account.resend")}</button>
                </ActionForm>
            })}
            {a.pending_email.clone().map(|p| view! { <p class="hint">{locale.tf("account.pending", &[("email", &p)])}</p> })}
            <FormMessage error=email_error />
            <ActionForm action=forms.email>
                <TextField name="email" label="account.new_email" kind="email" autocomplete="email" required=true error=email_error id_prefix="email-" />
                <TextField name="current_password" label="account.current_password" kind="password" autocomplete="current-password" required=true error=email_error id_prefix="email-" />
                <button type="submit">{t("account.change_email")}</button>
            </ActionForm>

            <h2 id="password">{t("account.password")}</h2>
            <FormMessage error=password_error />
            <ActionForm action=forms.password>
                <TextField name="current_password" label="account.current_password" kind="password" autocomplete="current-password" required=true error=password_error id_prefix="pw-" />
                <TextField name="password" label="account.new_password" kind="password" autocomplete="new-password" required=true hint="signup.password_hint" error=password_error id_prefix="pw-" />
                <TextField name="password_confirm" label="field.password_confirm" kind="password" autocomplete="new-password" required=true error=password_error id_prefix="pw-" />
                <button type="submit">{t("account.change_password")}</button>
            </ActionForm>

            <h2 id="notices">{t("account.email_kinds")}</h2>
            <FormMessage error=kinds_error />
            <ActionForm action=forms.kinds>
                <fieldset class="check-list">
                    <legend>{t("account.email_kinds_legend")}</legend>
                    {a.email_kinds.iter().map(|(kind, on)| {
                        let id = format!("f-kind-{kind}");
                        view! {
                            <div class="field-check">
                                <input type="checkbox" id=id.clone() name="kinds[]" value=kind.clone() checked=*on />
                                <label for=id>{t(&format!("unsubscribe.kind.{kind}"))}</label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <button type="submit">{t("action.save")}</button>
            </ActionForm>

            <h2 id="data">{t("account.data")}</h2>
            {a.consent.clone().map(|(date, version)| view! {
                <p>{locale.tf("account.consent", &[("date", &date), ("version", &version)])}" "<a href="/privacy">{t("footer.privacy")}</a></p>
            })}
            <p><a href="/account/data.json" download="" rel="external">{t("account.download")}</a></p>

            <h2 id="delete">{t("account.delete")}</h2>
            <p>{t("account.delete_explained")}</p>
            <FormMessage error=delete_error />
            <ActionForm action=forms.delete>
                <TextField name="current_password" label="account.current_password" kind="password" autocomplete="current-password" required=true error=delete_error id_prefix="del-" />
                <CheckField name="confirm" error=delete_error>{t("account.delete_confirm")}</CheckField>
                <button type="submit" class="danger">{t("account.delete_submit")}</button>
            </ActionForm>
        </section>
    }
}

/// The link in a confirmation mail leads here; the button confirms (opening a
/// link changes nothing).
#[component]
pub fn ConfirmEmailPage() -> impl IntoView {
    let action = form_action::<ConfirmEmail>();
    let error = action_error(action);
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    view! {
        <PageTitle text=t("confirm.title") />
        <section class="narrow">
            <h1>{t("confirm.title")}</h1>
            <p>{t("confirm.intro")}</p>
            <FormMessage error />
            <ActionForm action>
                <input type="hidden" name="token" value=token />
                <button type="submit">{t("confirm.submit")}</button>
            </ActionForm>
        </section>
    }
}
