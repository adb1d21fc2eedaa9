//! The plan's endorsements: the public list, and for a representative the form
//! to endorse for their organization or withdraw. Works without JavaScript.
use super::api::*;
use super::model::*;
use crate::i18n::{t, use_locale};
use crate::ui::*;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn EndorsementsPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let endorse = form_action::<EndorsePlan>();
    let withdraw = form_action::<WithdrawEndorsement>();
    let data = Resource::new(
        move || (slug(), endorse.version().get(), withdraw.version().get()),
        |(slug, ..)| list_endorsements(slug),
    );
    view! {
        <Transition fallback=|| view! { <p>{t("status.loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                    Ok(e) => view! { <EndorsementsView e endorse withdraw /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn EndorsementsView(
    e: Endorsements,
    endorse: ServerAction<EndorsePlan>,
    withdraw: ServerAction<WithdrawEndorsement>,
) -> impl IntoView {
    let locale = use_locale();
    let title = locale.tf("endorsement.title", &[("process", &e.process_title)]);
    let error = action_error(endorse);
    let withdraw_error = action_error(withdraw);
    let slug = e.process_slug.clone();
    view! {
        <PageTitle text=title.clone() />
        <p><a href=format!("/processes/{slug}")>{e.process_title.clone()}</a></p>
        <h1>{title}</h1>
        <p>{t("endorsement.intro")}</p>
        {e.items.is_empty().then(|| view! { <p>{t("endorsement.none")}</p> })}
        <ul class="endorsements">
            {e.items.into_iter().map(|x| view! {
                <li class="card">
                    <h2 class="card-title">{x.organization}</h2>
                    <p class="meta">
                        {(!x.person.is_empty()).then(|| format!("{}, {} · ", x.person, x.role))}
                        {locale.date(&x.on)}
                    </p>
                </li>
            }).collect_view()}
        </ul>
        {(!e.mine.is_empty()).then(|| view! {
            <section aria-labelledby="endorse-h">
                <h2 id="endorse-h">{t("endorsement.yours")}</h2>
                <FormMessage error />
                <FormMessage error=withdraw_error />
                {e.mine.into_iter().map(|(id, name, endorsed)| {
                    let slug = slug.clone();
                    let prefix = format!("org{id}-");
                    if endorsed {
                        view! {
                            <ActionForm action=withdraw>
                                <input type="hidden" name="slug" value=slug />
                                <input type="hidden" name="organization_id" value=id />
                                <p>{locale.tf("endorsement.endorsed_as", &[("organization", &name)])}</p>
                                <button type="submit">{locale.tf("endorsement.withdraw", &[("organization", &name)])}</button>
                            </ActionForm>
                        }.into_any()
                    } else if e.plan_final {
                        view! {
                            <ActionForm action=endorse>
                                <input type="hidden" name="slug" value=slug />
                                <input type="hidden" name="organization_id" value=id />
                                <TextField name="role" label="endorsement.role" hint="endorsement.role_hint" required=true error id_prefix=prefix />
                                <button type="submit">{locale.tf("endorsement.endorse", &[("organization", &name)])}</button>
                            </ActionForm>
                        }.into_any()
                    } else {
                        view! { <p>{t("endorsement.plan_not_final")}</p> }.into_any()
                    }
                }).collect_view()}
            </section>
        }.into_any())}
        {e.plan_final.then(|| {
            let id = e.process_id;
            let comments = crate::comments::pages::Comments::new(crate::comments::model::SubjectKind::Plan, move || id);
            view! {
                <p>{t("plan.comments_intro")}</p>
                <crate::comments::pages::CommentsSection comments subject_id=id open=true signed_in=e.signed_in />
            }
        })}
    }
}
