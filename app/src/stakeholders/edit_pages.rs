//! The team's page to change what an organization of the directory says
//! about itself. A plain form: it works without JavaScript.
use super::api::*;
use super::model::*;
use crate::accounts::model::{CurrentUser, Sector};
use crate::i18n::{t, use_locale};
use crate::ui::*;
use leptos::prelude::*;

#[component]
pub fn EditOrganizationPage() -> impl IntoView {
    let id = query_number("id", 0);
    let sheet = Resource::new(id, directory_entry);
    view! {
        <Gate allowed=CurrentUser::is_facilitator>
            <Transition fallback=|| view! { <p>{t("status.loading")}</p> }>
                {move || Suspend::new(async move {
                    match sheet.await {
                        Err(e) => view! { <PageError error=e /> }.into_any(),
                        Ok(s) => view! { <SheetForm s /> }.into_any(),
                    }
                })}
            </Transition>
        </Gate>
    }
}

#[component]
fn SheetForm(s: EntrySheet) -> impl IntoView {
    let locale = use_locale();
    let action = form_action::<EditDirectoryEntry>();
    let error = action_error(action);
    let title = locale.tf("directory.edit_title", &[("name", &s.name)]);
    let sectors = choices(&Sector::ALL, Sector::as_str, Sector::label_key);
    let axes: Vec<(i64, String)> = s.axes.iter().map(|a| (a.id, a.label.clone())).collect();
    view! {
        <PageTitle text=title.clone() />
        <section class="narrow">
            <p><a href="/organizations">{t("directory.title")}</a></p>
            <h1>{title}</h1>
            <p>{t("directory.edit_intro")}</p>
            <Notice show=action_done(action) key="directory.edited" />
            <FormMessage error />
            <ActionForm action>
                <input type="hidden" name="organization_id" value=s.organization_id />
                <TextField name="name" label="directory.name" required=true value=s.name.clone() error />
                <SelectField name="sector" label="field.sector" error options=sectors value=s.sector.as_str() />
                <TextField name="territory" label="directory.territory" hint="directory.territory_hint" value=s.territory.clone() error />
                <TextField name="website" label="directory.website" kind="url" hint="directory.website_hint" value=s.website.clone() error />
                <TextArea name="description" label="directory.description" rows=4 value=s.description.clone() error />
                <TextField name="contact_email" label="directory.contact_email" kind="email" hint="directory.contact_email_hint" required=true value=s.contact_email.clone() error />
                {(!axes.is_empty()).then(|| view! {
                    <CheckList name="axis_ids[]" legend="directory.interests" items=axes checked=s.axis_ids.clone() error />
                })}
                <button type="submit">{t("action.save")}</button>
            </ActionForm>
        </section>
    }
}
