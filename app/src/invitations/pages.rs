//! Invitation pages: the team's (figures by sector, pick organizations by
//! sector and interest, invite them to the process or a roundtable, follow
//! each invitation), the page a personal link opens, and the process's
//! "who took part" figures. Plain forms: all work without JavaScript.
use super::api::*;
use super::model::*;
use crate::i18n::{t, use_locale};
use crate::stakeholders::pages::OrganizationFilter;
use crate::ui::*;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn InvitationDeskPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let send = form_action::<SendInvitations>();
    let (axis, page, sent_page) = (
        query_number("axis", 0),
        page_param(),
        query_number("sent", 1),
    );
    let data = Resource::new(
        move || {
            (
                params.read().get("slug").unwrap_or_default(),
                query.read().get("sector").unwrap_or_default(),
                (axis(), page(), sent_page()),
                send.version().get(),
            )
        },
        |(slug, sector, (axis, page, sent), _)| invitation_desk(slug, sector, axis, page, sent),
    );
    view! {
        <Transition fallback=|| view! { <p>{t("status.loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                    Ok(d) => view! { <DeskView d send /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn DeskView(d: Desk, send: ServerAction<SendInvitations>) -> impl IntoView {
    let locale = use_locale();
    let title = locale.tf("invitations.desk_title", &[("process", &d.process_title)]);
    let slug = d.process_slug.clone();
    let none = Signal::derive(|| None);
    let mut targets = vec![(
        "0".to_string(),
        locale.tf("invitations.to_process", &[("title", &d.process_title)]),
    )];
    targets.extend(d.roundtables.iter().map(|(id, title)| {
        (
            id.to_string(),
            locale.tf("invitations.to_roundtable", &[("title", title)]),
        )
    }));
    let sector = d.sector.map(|s| s.as_str().to_string()).unwrap_or_default();
    let axis = d.axis.map(|a| a.to_string()).unwrap_or_default();
    let candidates_href = {
        let (slug, sector, axis) = (slug.clone(), sector.clone(), axis.clone());
        move |p| format!("/processes/{slug}/invitations?sector={sector}&axis={axis}&page={p}")
    };
    let sent_href = {
        let slug = slug.clone();
        move |p| format!("/processes/{slug}/invitations?sent={p}")
    };
    let items: Vec<(i64, String)> = d
        .candidates
        .items
        .iter()
        .map(|o| (o.id, format!("{} · {}", o.name, t(&o.sector.label_key()))))
        .collect();
    let ticked: Vec<i64> = items.iter().map(|i| i.0).collect();
    let sent = Signal::derive(move || send.value().get().and_then(Result::ok));
    let form_slug = slug.clone();
    let send_form = if items.is_empty() {
        view! { <p>{t("survey.no_candidates")}</p> }.into_any()
    } else {
        view! {
            <ActionForm action=send>
                <input type="hidden" name="slug" value=form_slug />
                <SelectField name="roundtable_id" label="invitations.target" error=none options=targets />
                <CheckList name="organization_ids[]" legend="invitations.choose" items checked=ticked error=none />
                <button type="submit">{t("invitations.send")}</button>
            </ActionForm>
        }
        .into_any()
    };
    view! {
        <PageTitle text=title.clone() />
        <p><a href=format!("/processes/{slug}")>{d.process_title.clone()}</a></p>
        <h1>{title}</h1>
        <p>{t("invitations.desk_intro")}</p>
        <FiguresTable figures=d.by_sector.clone() />
        <section aria-labelledby="invite-h">
            <h2 id="invite-h">{t("invitations.invite")}</h2>
            <OrganizationFilter action=format!("/processes/{slug}/invitations") axes=d.axes.clone() sector=d.sector axis=d.axis />
            <FormMessage error=action_error(send) />
            {move || sent.get().map(|n| view! {
                <p class="notice" role="status">{locale.tf("invitations.sent", &[("count", &locale.number(n as i64))])}</p>
            })}
            {send_form}
            <Pager page=d.candidates.clone() href=candidates_href />
        </section>
        <section aria-labelledby="followed-h">
            <h2 id="followed-h">{t("invitations.followed")}</h2>
            <ul class="figures-inline">
                {d.by_state.iter().map(|(s, n)| view! {
                    <li>{t(&s.label_key())}": "<strong>{locale.number(*n)}</strong></li>
                }).collect_view()}
            </ul>
            {d.invitations.items.is_empty().then(|| view! { <p>{t("invitations.none")}</p> })}
            {(!d.invitations.items.is_empty()).then(|| view! {
                <table>
                    <caption>{t("invitations.followed")}</caption>
                    <thead><tr>
                        <th scope="col">{t("directory.name")}</th>
                        <th scope="col">{t("field.sector")}</th>
                        <th scope="col">{t("invitations.target")}</th>
                        <th scope="col">{t("invitations.sent_on")}</th>
                        <th scope="col">{t("invitations.state")}</th>
                    </tr></thead>
                    <tbody>
                        {d.invitations.items.iter().map(|i| view! {
                            <tr>
                                <th scope="row">{i.organization.clone()}</th>
                                <td>{t(&i.sector.label_key())}</td>
                                <td>{i.roundtable.clone().unwrap_or_else(|| t("invitations.the_process"))}</td>
                                <td>{locale.date(&i.sent_on)}</td>
                                <td>{t(&i.state.label_key())}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
            <Pager page=d.invitations.clone() href=sent_href />
        </section>
    }
}

/// Per sector: invited, answered the survey, took part.
#[component]
fn FiguresTable(figures: Vec<SectorFigures>) -> impl IntoView {
    let locale = use_locale();
    view! {
        <table>
            <caption>{t("invitations.figures")}</caption>
            <thead><tr>
                <th scope="col">{t("field.sector")}</th>
                <th scope="col">{t("invitations.invited")}</th>
                <th scope="col">{t("invitations.answered")}</th>
                <th scope="col">{t("invitations.took_part")}</th>
            </tr></thead>
            <tbody>
                {figures.into_iter().map(|f| view! {
                    <tr>
                        <th scope="row">{f.sector.map(|s| t(&s.label_key())).unwrap_or_else(|| t("invitations.total"))}</th>
                        <td>{locale.number(f.invited)}</td>
                        <td>{locale.number(f.answered)}</td>
                        <td>{locale.number(f.took_part)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// The process page's "who took part": organizations by sector.
#[component]
pub fn OutreachFigures() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || params.read().get("slug").unwrap_or_default(),
        outreach_figures,
    );
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    // Invited by no one yet: nothing to tell.
                    Ok(f) if f.iter().any(|x| x.invited + x.took_part > 0) => view! {
                        <section aria-labelledby="outreach-h" class="process">
                            <h2 id="outreach-h">{t("invitations.who_took_part")}</h2>
                            <FiguresTable figures=f />
                        </section>
                    }.into_any(),
                    _ => ().into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
pub fn OpenInvitationPage() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let take = form_action::<TakeUpInvitation>();
    let data = Resource::new(token, open_invitation);
    view! {
        <PageTitle text=t("invitations.open_title") />
        <h1>{t("invitations.open_title")}</h1>
        <Transition fallback=|| view! { <p>{t("status.loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                    Ok(o) => view! { <OpenedView o token=token() take /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn OpenedView(o: Opened, token: String, take: ServerAction<TakeUpInvitation>) -> impl IntoView {
    let locale = use_locale();
    let what = match &o.roundtable {
        Some((_, title, date)) => locale.tf(
            "invitations.to_roundtable_on",
            &[("title", title), ("date", &locale.date(date))],
        ),
        None => locale.tf("invitations.to_process", &[("title", &o.process_title)]),
    };
    let went = Signal::derive(move || take.value().get().and_then(Result::ok));
    let here = format!("/invitations/open?token={}", urlencode(&token));
    let token = StoredValue::new(token);
    let action = if !o.signed_in {
        view! {
            <p>
                {t("invitations.sign_in_first")}" "
                <a href=format!("/login?next={}", urlencode(&here))>{t("nav.login")}</a>" · "
                <a href="/signup">{t("nav.signup")}</a>
            </p>
        }
        .into_any()
    } else {
        view! {
            <FormMessage error=action_error(take) />
            {move || match went.get() {
                Some(next) => view! {
                    <p class="notice" role="status">{t("invitations.registered")}" "<a href=next>{t("invitations.go")}</a></p>
                }.into_any(),
                None => view! {
                    <ActionForm action=take>
                        <input type="hidden" name="token" value=token.get_value() />
                        <button type="submit">{t("invitations.take_up")}</button>
                    </ActionForm>
                }.into_any(),
            }}
        }
        .into_any()
    };
    view! {
        <p>{locale.tf("invitations.open_intro", &[("organization", &o.organization), ("what", &what)])}</p>
        <p><a href=format!("/processes/{}", o.process_slug)>{o.process_title.clone()}</a></p>
        {o.registered.then(|| view! { <p class="meta">{t("invitations.already_registered")}</p> })}
        {action}
    }
}
