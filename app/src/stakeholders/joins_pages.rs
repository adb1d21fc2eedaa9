//! Pages for joining an organization: the representatives' page (requests to
//! decide on, invitations to send and follow) and the page a personal
//! invitation link opens. Plain forms: both work without JavaScript.
use super::joins_api::*;
use super::model::*;
use crate::i18n::{t, use_locale};
use crate::ui::*;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn MyOrganizationsPage() -> impl IntoView {
    let accept = form_action::<AcceptJoinRequest>();
    let decline = form_action::<DeclineJoinRequest>();
    let invite = form_action::<InviteToOrganization>();
    let data = Resource::new(
        move || {
            (
                accept.version().get(),
                decline.version().get(),
                invite.version().get(),
            )
        },
        |_| my_organizations(),
    );
    let actions = JoinActions {
        accept,
        decline,
        invite,
    };
    view! {
        <PageTitle text=t("directory.mine_link") />
        <p><a href="/organizations">{t("directory.title")}</a></p>
        <h1>{t("directory.mine_link")}</h1>
        <FormMessage error=action_error(accept) />
        <FormMessage error=action_error(decline) />
        <Notice show=action_done(accept) key="directory.join_approved" />
        <Notice show=action_done(decline) key="directory.join_rejected" />
        <Notice show=action_done(invite) key="directory.invited" />
        <Transition fallback=|| view! { <p>{t("status.loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p>{t("directory.represent_none")}</p> }.into_any(),
                    Ok(list) => list.into_iter().map(|o| view! { <RepresentedView o actions /> }).collect_view().into_any(),
                }
            })}
        </Transition>
    }
}

#[derive(Clone, Copy)]
struct JoinActions {
    accept: ServerAction<AcceptJoinRequest>,
    decline: ServerAction<DeclineJoinRequest>,
    invite: ServerAction<InviteToOrganization>,
}

#[component]
fn RepresentedView(o: Represented, actions: JoinActions) -> impl IntoView {
    let locale = use_locale();
    let heading = format!("org-{}-h", o.id);
    let labelled = heading.clone();
    let prefix = format!("org{}-", o.id);
    let error = action_error(actions.invite);
    view! {
        <section aria-labelledby=labelled>
            <h2 id=heading>{o.name.clone()}</h2>
            <h3>{t("directory.requests")}</h3>
            {o.requests.is_empty().then(|| view! { <p>{t("directory.requests_none")}</p> })}
            <ul class="directory">
                {o.requests.into_iter().map(|r| {
                    let accept_label = locale.tf("directory.join_approve", &[("name", &r.person)]);
                    let decline_label = locale.tf("directory.join_reject", &[("name", &r.person)]);
                    view! {
                        <li class="card">
                            <p>{locale.tf("directory.request_from", &[("name", &r.person), ("date", &locale.date(&r.on))])}</p>
                            <ActionForm action=actions.accept attr:class="inline-form">
                                <input type="hidden" name="join_id" value=r.id />
                                <button type="submit">{accept_label}</button>
                            </ActionForm>
                            " "
                            <ActionForm action=actions.decline attr:class="inline-form">
                                <input type="hidden" name="join_id" value=r.id />
                                <button type="submit" class="secondary">{decline_label}</button>
                            </ActionForm>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <h3>{t("directory.invitations")}</h3>
            <ActionForm action=actions.invite>
                <input type="hidden" name="organization_id" value=o.id />
                <TextField name="email" label="directory.invite_email" kind="email" hint="directory.invite_hint" required=true error id_prefix=prefix />
                <button type="submit">{t("directory.invite")}</button>
            </ActionForm>
            {(!o.invitations.is_empty()).then(|| view! {
                <ul>
                    {o.invitations.into_iter().map(|i| view! {
                        <li>
                            {i.to.clone()}" · "{locale.date(&i.on)}" · "
                            <strong>{t(&format!("directory.join_status.{}", i.status.as_str()))}</strong>
                        </li>
                    }).collect_view()}
                </ul>
            })}
        </section>
    }
}

/// Where a personal invitation link leads: the organization, and the button
/// that joins it (for someone signed in).
#[component]
pub fn JoinOrganizationPage() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let accept = form_action::<AcceptInvitation>();
    let data = Resource::new(
        move || (token(), accept.version().get()),
        |(token, _)| organization_invitation(token),
    );
    view! {
        <PageTitle text=t("directory.invitation_title") />
        <h1>{t("directory.invitation_title")}</h1>
        <FormMessage error=action_error(accept) />
        {move || action_done(accept).get().then(|| view! {
            <p class="message message-ok" role="status">{t("directory.invitation_accepted")}" "<a href="/organizations/mine">{t("directory.mine_link")}</a></p>
        })}
        <Transition fallback=|| view! { <p>{t("status.loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(_) if action_done(accept).get_untracked() => ().into_any(),
                    Err(e) => view! { <p class="message message-error" role="alert">{t(e.message_key())}</p> }.into_any(),
                    Ok(i) if !i.signed_in => view! {
                        <p>{use_locale().tf("directory.invitation_to", &[("name", &i.organization)])}</p>
                        <p>{t("directory.invitation_sign_in")}" "<a href="/login">{t("nav.login")}</a>" · "<a href="/signup">{t("nav.signup")}</a></p>
                    }.into_any(),
                    Ok(i) => view! {
                        <p>{use_locale().tf("directory.invitation_to", &[("name", &i.organization)])}</p>
                        <ActionForm action=accept>
                            <input type="hidden" name="token" value=token() />
                            <button type="submit">{use_locale().tf("directory.join", &[("name", &i.organization)])}</button>
                        </ActionForm>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}
