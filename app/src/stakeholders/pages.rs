//! The stakeholder directory's pages: the public directory, an organization's
//! registration, and the team's review. Plain forms: all work without JavaScript.
use super::api::*;
use super::model::*;
use crate::accounts::model::Sector;
use crate::i18n::{t, use_locale};
use crate::ui::*;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn DirectoryPage() -> impl IntoView {
    let query = use_query_map();
    let sector = move || query.read().get("sector").unwrap_or_default();
    let axis = query_number("axis", 0);
    let page = page_param();
    let join = form_action::<super::joins_api::RequestToJoin>();
    let data = Resource::new(
        move || (sector(), axis(), page(), join.version().get()),
        |(sector, axis, page, _)| stakeholder_directory(sector, axis, page),
    );
    view! {
        <FormMessage error=action_error(join) />
        <Notice show=action_done(join) key="directory.join_requested" />
        <Transition fallback=|| view! { <p>{t("status.loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                    Ok(d) => view! { <DirectoryView d join /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn DirectoryView(
    d: Directory,
    join: ServerAction<super::joins_api::RequestToJoin>,
) -> impl IntoView {
    let locale = use_locale();
    let axes: Vec<(i64, String)> = d.axes.iter().map(|a| (a.id, a.label.clone())).collect();
    let sector = d.sector.map(|s| s.as_str().to_string()).unwrap_or_default();
    let axis = d.axis.map(|a| a.to_string()).unwrap_or_default();
    let (pager_sector, pager_axis) = (sector.clone(), axis.clone());
    let count = locale.plural("directory.count", d.listed.total);
    view! {
        <PageTitle text=t("directory.title") />
        <h1>{t("directory.title")}</h1>
        <p>{t("directory.intro")}</p>
        <p>
            <a href="/organizations/register" class="button-link">{t("directory.register")}</a>
            {d.can_review.then(|| view! { " "<a href="/organizations/review">{t("directory.review")}</a> })}
            {(!d.member_of.is_empty()).then(|| view! { " "<a href="/organizations/mine">{t("directory.mine_link")}</a> })}
        </p>
        <section aria-labelledby="by-sector-h">
            <h2 id="by-sector-h">{t("directory.by_sector")}</h2>
            <dl class="figures">
                {d.by_sector.iter().map(|(s, n)| view! {
                    <div><dt>{t(&s.label_key())}</dt><dd>{locale.number(*n)}</dd></div>
                }).collect_view()}
            </dl>
        </section>
        <OrganizationFilter action="/organizations" axes sector=d.sector axis=d.axis />
        <p role="status">{count}</p>
        <ul class="directory">
            {d.listed.items.clone().into_iter().map(|o| {
                let id = o.id;
                let label = locale.tf("directory.join", &[("name", &o.name)]);
                let state = if !d.signed_in {
                    None
                } else if d.member_of.contains(&id) {
                    Some(view! { <p class="meta">{t("directory.you_are_member")}</p> }.into_any())
                } else if d.requested.contains(&id) {
                    Some(view! { <p class="meta">{t("directory.join_waiting")}</p> }.into_any())
                } else {
                    Some(view! {
                        <ActionForm action=join attr:class="inline-form">
                            <input type="hidden" name="organization_id" value=id />
                            <button type="submit" class="secondary">{label}</button>
                        </ActionForm>
                    }.into_any())
                };
                let edit_label = locale.tf("directory.edit_link", &[("name", &o.name)]);
                let edit = d.can_review.then(|| view! {
                    <p><a href=format!("/organizations/edit?id={id}")>{edit_label}</a></p>
                });
                view! { <ListedCard o>{state}{edit}</ListedCard> }
            }).collect_view()}
        </ul>
        <Pager page=d.listed href=move |p| format!("/organizations?sector={pager_sector}&axis={pager_axis}&page={p}") />
    }
}

/// The GET form that picks organizations of a sector working on an axis (the
/// directory's, and the team's when it sends a survey or invitations).
#[component]
pub fn OrganizationFilter(
    #[prop(into)] action: String,
    /// The axes one may pick (id, label).
    axes: Vec<(i64, String)>,
    sector: Option<Sector>,
    axis: Option<i64>,
) -> impl IntoView {
    let none = Signal::derive(|| None);
    let mut sectors = vec![(String::new(), t("directory.all_sectors"))];
    sectors.extend(choices(&Sector::ALL, Sector::as_str, Sector::label_key));
    let mut axis_options = vec![(String::new(), t("directory.all_axes"))];
    axis_options.extend(axes.into_iter().map(|(id, label)| (id.to_string(), label)));
    let sector = sector.map(|s| s.as_str().to_string()).unwrap_or_default();
    let axis = axis.map(|a| a.to_string()).unwrap_or_default();
    view! {
        <form method="get" action=action class="filters" role="search">
            <SelectField name="sector" label="field.sector" error=none options=sectors value=sector />
            <SelectField name="axis" label="directory.interest" error=none options=axis_options value=axis />
            <button type="submit">{t("action.search")}</button>
        </form>
    }
}

/// An organization as the public reads it (never its contact), and what the
/// team adds to it when reviewing.
#[component]
fn ListedCard(o: Listed, #[prop(optional)] children: Option<Children>) -> impl IntoView {
    view! {
        <li class="card">
            <h2 class="card-title">{o.name.clone()}</h2>
            <p class="meta">
                {t(&o.sector.label_key())}
                {(!o.territory.is_empty()).then(|| format!(" · {}", o.territory))}
            </p>
            {(!o.description.is_empty()).then(|| view! { <p class="prose">{o.description.clone()}</p> })}
            {(!o.interests.is_empty()).then(|| view! {
                <p class="meta">{t("directory.interests")}": "{o.interests.join(", ")}</p>
            })}
            {(!o.website.is_empty()).then(|| view! {
                <p><a href=o.website.clone() rel="nofollow ugc noopener">{o.website.clone()}</a></p>
            })}
            {children.map(|c| c())}
        </li>
    }
}

#[component]
pub fn RegisterOrganizationPage() -> impl IntoView {
    let register = form_action::<RegisterOrganization>();
    let data = Resource::new(
        move || register.version().get(),
        |_| directory_registration(),
    );
    view! {
        <PageTitle text=t("directory.register") />
        <h1>{t("directory.register")}</h1>
        <Transition fallback=|| view! { <p>{t("status.loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                    Ok(f) if !f.signed_in => view! {
                        <p>{t("directory.sign_in_to_register")}" "<a href="/login">{t("nav.login")}</a></p>
                    }.into_any(),
                    Ok(f) => view! { <RegistrationView f register /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn RegistrationView(
    f: RegistrationForm,
    register: ServerAction<RegisterOrganization>,
) -> impl IntoView {
    let error = action_error(register);
    let mut sectors = vec![(String::new(), t("directory.choose_sector"))];
    sectors.extend(choices(&Sector::ALL, Sector::as_str, Sector::label_key));
    let axes: Vec<(i64, String)> = f.axes.iter().map(|a| (a.id, a.label.clone())).collect();
    view! {
        {(!f.mine.is_empty()).then(|| view! {
            <section aria-labelledby="mine-h">
                <h2 id="mine-h">{t("directory.mine")}</h2>
                <ul>
                    {f.mine.iter().map(|m| view! {
                        <li>
                            {m.name.clone()}": "<strong>{t(&format!("directory.status.{}", m.status.as_str()))}</strong>
                            {(!m.reason.is_empty()).then(|| format!(" · {}", m.reason))}
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        <p>{t("directory.register_intro")}</p>
        <Notice show=action_done(register) key="directory.registered" />
        <FormMessage error />
        <ActionForm action=register>
            <TextField name="name" label="directory.name" required=true error />
            <SelectField name="sector" label="field.sector" error options=sectors />
            <TextField name="territory" label="directory.territory" hint="directory.territory_hint" error />
            <TextField name="website" label="directory.website" kind="url" hint="directory.website_hint" error />
            <TextArea name="description" label="directory.description" rows=4 error />
            <TextField name="contact_email" label="directory.contact_email" kind="email" autocomplete="email" hint="directory.contact_email_hint" required=true error />
            {(!axes.is_empty()).then(|| view! {
                <CheckList name="axis_ids[]" legend="directory.interests" items=axes error />
            })}
            <button type="submit">{t("directory.send")}</button>
        </ActionForm>
    }
}

#[component]
pub fn ReviewOrganizationsPage() -> impl IntoView {
    let approve = form_action::<ApproveOrganization>();
    let reject = form_action::<RejectOrganization>();
    let page = page_param();
    let data = Resource::new(
        move || (page(), approve.version().get(), reject.version().get()),
        |(page, ..)| directory_review(page),
    );
    view! {
        <PageTitle text=t("directory.review") />
        <p><a href="/organizations">{t("directory.title")}</a></p>
        <h1>{t("directory.review")}</h1>
        <FormMessage error=action_error(approve) />
        <FormMessage error=action_error(reject) />
        <Notice show=action_done(approve) key="directory.approved" />
        <Notice show=action_done(reject) key="directory.rejected" />
        <Transition fallback=|| view! { <p>{t("status.loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                    Ok(p) => view! {
                        {p.items.is_empty().then(|| view! { <p>{t("directory.none_pending")}</p> })}
                        <ul class="directory">
                            {p.items.clone().into_iter().map(|x| view! { <PendingCard x approve reject /> }).collect_view()}
                        </ul>
                        <Pager page=p href=|n| format!("/organizations/review?page={n}") />
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn PendingCard(
    x: Pending,
    approve: ServerAction<ApproveOrganization>,
    reject: ServerAction<RejectOrganization>,
) -> impl IntoView {
    let locale = use_locale();
    let id = x.listed.id;
    let name = x.listed.name.clone();
    let approve_label = locale.tf("directory.approve", &[("name", &name)]);
    let reject_label = locale.tf("directory.reject", &[("name", &name)]);
    let prefix = format!("org{id}-");
    let error = action_error(reject);
    view! {
        <ListedCard o=x.listed>
            <p class="meta">
                {locale.tf("directory.registered_by", &[("name", &x.registered_by), ("date", &locale.date(&x.registered_on))])}
            </p>
            <p>{t("directory.contact_email")}": "{x.contact_email.clone()}</p>
            <ActionForm action=approve attr:class="inline-form">
                <input type="hidden" name="organization_id" value=id />
                <button type="submit">{approve_label}</button>
            </ActionForm>
            <details>
                <summary>{reject_label}</summary>
                <ActionForm action=reject>
                    <input type="hidden" name="organization_id" value=id />
                    <TextArea name="reason" label="directory.reason" rows=2 required=true error id_prefix=prefix />
                    <button type="submit">{t("directory.reject_send")}</button>
                </ActionForm>
            </details>
        </ListedCard>
    }
}
