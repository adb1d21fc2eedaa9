//! The team's page to change a roundtable that has not happened (time,
//! room, video link, presenting agencies) or cancel it with a reason. Plain
//! forms: both work without JavaScript.
use super::api::*;
use super::model::*;
use crate::accounts::model::CurrentUser;
use crate::i18n::{t, use_locale};
use crate::ui::*;
use leptos::prelude::*;

#[component]
pub fn EditRoundtablePage() -> impl IntoView {
    let id = path_id("id");
    let setup = Resource::new(id, roundtable_settings);
    view! {
        <Gate allowed=CurrentUser::is_facilitator>
            <Transition fallback=|| view! { <p>{t("status.loading")}</p> }>
                {move || Suspend::new(async move {
                    match setup.await {
                        Err(e) => view! { <PageError error=e /> }.into_any(),
                        Ok(s) => view! { <SetupView s /> }.into_any(),
                    }
                })}
            </Transition>
        </Gate>
    }
}

#[component]
fn SetupView(s: RoundtableSetup) -> impl IntoView {
    let locale = use_locale();
    let edit = form_action::<EditRoundtable>();
    let cancel = form_action::<CancelRoundtable>();
    let (edit_error, cancel_error) = (action_error(edit), action_error(cancel));
    let title = locale.tf("roundtable.edit_title", &[("title", &s.title)]);
    let back_title = s.title.clone();
    let back = view! { <p><a href=format!("/roundtables/{}", s.id)>{back_title}</a></p> };
    if s.past {
        return view! {
            <PageTitle text=title.clone() />
            <section class="narrow">{back}<h1>{title}</h1><p>{t("roundtable.over_no_change")}</p></section>
        }
        .into_any();
    }
    let zones: Vec<(String, String)> = zone_choices()
        .into_iter()
        .map(|z| (z.to_string(), zone_label(z)))
        .collect();
    let people = locale.tf(
        "roundtable.edit_people",
        &[
            ("registered", &locale.number(s.registered)),
            ("waitlisted", &locale.number(s.waitlisted)),
        ],
    );
    let id = s.id;
    view! {
        <PageTitle text=title.clone() />
        <section class="narrow">
            {back}
            <h1>{title}</h1>
            <p>{t("roundtable.edit_intro")}</p>
            <p><strong>{people}</strong></p>
            <FormMessage error=edit_error />
            <ActionForm action=edit>
                <input type="hidden" name="id" value=id />
                <TextField name="title" label="field.title" required=true value=s.title.clone() error=edit_error />
                <TextArea name="description" label="field.description" value=s.description.clone() error=edit_error />
                <TextField name="date" label="roundtable.date" kind="date" required=true value=s.date.clone() error=edit_error />
                <TextField name="time" label="roundtable.time" kind="time" required=true hint="roundtable.time_hint" value=s.time.clone() error=edit_error />
                <SelectField name="utc_offset" label="roundtable.zone" options=zones value=s.utc_offset_minutes.to_string() error=edit_error />
                <TextField name="duration_minutes" label="roundtable.duration" kind="number" required=true value=s.duration_minutes.to_string() error=edit_error />
                <TextField name="video_url" label="roundtable.video_url" kind="url" required=true hint="roundtable.video_url_hint" value=s.video_url.clone() error=edit_error />
                <TextField name="capacity" label="roundtable.capacity" kind="number" required=true hint="roundtable.capacity_hint" value=s.capacity.to_string() error=edit_error />
                <CheckList name="agency_ids[]" legend="roundtable.agencies" items=s.agencies.clone() checked=s.agency_ids.clone() error=edit_error />
                <button type="submit">{t("action.save")}</button>
            </ActionForm>
        </section>
        <section class="narrow" aria-labelledby="cancel-h">
            <h2 id="cancel-h">{t("roundtable.cancel_title")}</h2>
            <p>{t("roundtable.cancel_intro")}</p>
            <FormMessage error=cancel_error />
            <ActionForm action=cancel>
                <input type="hidden" name="id" value=id />
                <TextArea name="reason" label="roundtable.cancel_reason" required=true rows=3 id_prefix="cancel-" error=cancel_error />
                <button type="submit" class="secondary">{t("roundtable.cancel_roundtable")}</button>
            </ActionForm>
        </section>
    }
    .into_any()
}
