//! Administration: users and their roles and memberships, organizations, agencies.
use super::api::{admin_users, list_directory, AdminMembership, AdminSaveGroup, AdminSetRole};
use super::model::*;
use crate::i18n::t;
use crate::ui::*;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_query_map};

#[component]
fn AdminTabs() -> impl IntoView {
    let here = use_location().pathname.get_untracked();
    view! {
        <nav class="tabs" aria-label=t("admin.sections")>
            {nav_link("/admin/users", &here, t("admin.users"))}
            {nav_link("/admin/organizations", &here, t("admin.organizations"))}
            {nav_link("/admin/agencies", &here, t("admin.agencies"))}
            {nav_link("/admin/audit", &here, t("audit.title"))}
        </nav>
    }
}

#[component]
pub fn AdminUsersPage() -> impl IntoView {
    view! { <Gate allowed=CurrentUser::is_admin><InnerAdminUsersPage /></Gate> }
}

#[component]
fn InnerAdminUsersPage() -> impl IntoView {
    let query = use_query_map();
    let page = page_param();
    let q = move || query.read().get("q").unwrap_or_default();
    let set_role = form_action::<AdminSetRole>();
    let membership = form_action::<AdminMembership>();
    let users = Resource::new(
        move || {
            (
                page(),
                q(),
                set_role.version().get(),
                membership.version().get(),
            )
        },
        |(page, q, _, _)| admin_users(page, q),
    );
    let dir = Resource::new(|| (), |_| list_directory());
    let role_error = action_error(set_role);
    let membership_error = action_error(membership);
    view! {
        <PageTitle text=t("admin.users") />
        <h1>{t("admin.title")}</h1>
        <AdminTabs />
        <h2>{t("admin.users")}</h2>
        <form method="get" action="/admin/users" class="search-form" role="search">
            <label for="user-search">{t("admin.search_users")}</label>
            <input id="user-search" type="search" name="q" value=q />
            <button type="submit">{t("action.search")}</button>
        </form>
        <FormMessage error=role_error />
        <FormMessage error=membership_error />
        <Transition fallback=|| view! { <p>{t("status.loading")}</p> }>
            {move || Suspend::new(async move {
                let dir = match dir.await {
                    Ok(d) => d,
                    Err(e) => return view! { <PageError error=e /> }.into_any(),
                };
                match users.await {
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                    Ok(list) => {
                        let q = q();
                        view! {
                            <table class="data-table">
                                <caption>{crate::i18n::use_locale().plural("admin.user_count", list.total)}</caption>
                                <thead><tr>
                                    <th scope="col">{t("field.display_name")}</th>
                                    <th scope="col">{t("field.email")}</th>
                                    <th scope="col">{t("field.role")}</th>
                                    <th scope="col">{t("admin.agencies")}</th>
                                    <th scope="col">{t("admin.organizations")}</th>
                                </tr></thead>
                                <tbody>
                                    {list.items.clone().into_iter().map(|u| view! { <UserRow user=u dir=dir.clone() set_role membership /> }).collect_view()}
                                </tbody>
                            </table>
                            <Pager page=list href=move |p| format!("/admin/users?page={p}&q={}", urlencode(&q)) />
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn UserRow(
    user: UserAdminRow,
    dir: Directory,
    set_role: ServerAction<AdminSetRole>,
    membership: ServerAction<AdminMembership>,
) -> impl IntoView {
    let id = user.id;
    let prefix = format!("u{id}-");
    let agency_prefix = prefix.clone();
    let org_prefix = prefix.clone();
    let roles = choices(&Role::ALL, Role::as_str, Role::label_key);
    let agencies: Vec<(i64, String)> = dir
        .agencies
        .iter()
        .map(|a| (a.id, a.name.clone()))
        .collect();
    let orgs: Vec<(i64, String)> = dir
        .organizations
        .iter()
        .map(|o| (o.id, o.name.clone()))
        .collect();
    view! {
        <tr>
            <th scope="row">{user.display_name.clone()}</th>
            <td>{user.email.clone()}</td>
            <td>
                <ActionForm action=set_role attr:class="inline-form">
                    <input type="hidden" name="user_id" value=id />
                    <SelectField name="role" label="field.role" error=Signal::derive(|| None) options=roles value=user.role.as_str() id_prefix=prefix.clone() />
                    <button type="submit">{t("action.save")}</button>
                </ActionForm>
            </td>
            <td><Memberships user_id=id kind="agency" current=user.agencies all=agencies membership prefix=agency_prefix /></td>
            <td><Memberships user_id=id kind="organization" current=user.organizations all=orgs membership prefix=org_prefix /></td>
        </tr>
    }
}

/// The agencies (or organizations) of one person, each removable, and a list to add one.
#[component]
fn Memberships(
    user_id: i64,
    kind: &'static str,
    current: Vec<(i64, String)>,
    all: Vec<(i64, String)>,
    membership: ServerAction<AdminMembership>,
    prefix: String,
) -> impl IntoView {
    let addable: Vec<(String, String)> = all
        .into_iter()
        .filter(|(id, _)| !current.iter().any(|(c, _)| c == id))
        .map(|(id, name)| (id.to_string(), name))
        .collect();
    let has_addable = !addable.is_empty();
    let select_label = if kind == "agency" {
        "admin.add_agency"
    } else {
        "admin.add_organization"
    };
    view! {
        <ul class="chips">
            {current.into_iter().map(|(gid, name)| {
                let remove_label = crate::i18n::use_locale().tf("admin.remove_named", &[("name", &name)]);
                view! {
                    <li>
                        {name.clone()}
                        <ActionForm action=membership attr:class="inline-form">
                            <input type="hidden" name="user_id" value=user_id />
                            <input type="hidden" name="kind" value=kind />
                            <input type="hidden" name="group_id" value=gid />
                            <input type="hidden" name="remove" value="1" />
                            <button type="submit" class="link-button" aria-label=remove_label>{t("action.remove")}</button>
                        </ActionForm>
                    </li>
                }
            }).collect_view()}
        </ul>
        {has_addable.then(|| view! {
            <ActionForm action=membership attr:class="inline-form">
                <input type="hidden" name="user_id" value=user_id />
                <input type="hidden" name="kind" value=kind />
                <SelectField name="group_id" label=select_label error=Signal::derive(|| None) options=addable id_prefix=format!("{prefix}{kind}-") />
                <button type="submit">{t("action.add")}</button>
            </ActionForm>
        })}
    }
}

fn sector_options() -> Vec<(String, String)> {
    choices(&Sector::ALL, Sector::as_str, Sector::label_key)
}

#[component]
pub fn AdminOrganizationsPage() -> impl IntoView {
    view! { <Gate allowed=CurrentUser::is_admin><GroupsPage kind=GroupKind::Organization /></Gate> }
}

#[component]
pub fn AdminAgenciesPage() -> impl IntoView {
    view! { <Gate allowed=CurrentUser::is_admin><GroupsPage kind=GroupKind::Agency /></Gate> }
}

/// The list of organizations or agencies, each editable, and a form for a new one.
#[component]
fn GroupsPage(kind: GroupKind) -> impl IntoView {
    let create = form_action::<AdminSaveGroup>();
    let edit = form_action::<AdminSaveGroup>();
    let dir = Resource::new(
        move || (create.version().get(), edit.version().get()),
        |_| list_directory(),
    );
    let create_error = action_error(create);
    let edit_error = action_error(edit);
    let (title, new_title) = match kind {
        GroupKind::Organization => ("admin.organizations", "admin.new_organization"),
        GroupKind::Agency => ("admin.agencies", "admin.new_agency"),
    };
    view! {
        <PageTitle text=t(title) />
        <h1>{t("admin.title")}</h1>
        <AdminTabs />
        <h2>{t(new_title)}</h2>
        <FormMessage error=create_error />
        <ActionForm action=create>
            <GroupFields kind id=None name=String::new() detail=String::new() error=create_error prefix=String::new() />
            <button type="submit">{t("action.create")}</button>
        </ActionForm>
        <h2>{t(title)}</h2>
        <FormMessage error=edit_error />
        <Transition fallback=|| view! { <p>{t("status.loading")}</p> }>
            {move || Suspend::new(async move {
                match dir.await {
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                    Ok(d) => {
                        let rows: Vec<(i64, String, String)> = match kind {
                            GroupKind::Organization => d.organizations.into_iter().map(|o| (o.id, o.name, o.sector.as_str().to_string())).collect(),
                            GroupKind::Agency => d.agencies.into_iter().map(|a| (a.id, a.name, a.description)).collect(),
                        };
                        view! {
                            <ul class="plain-list">
                                {rows.into_iter().map(|(id, name, detail)| view! {
                                    <li>
                                        <ActionForm action=edit attr:class="inline-form">
                                            <GroupFields kind id=Some(id) name detail error=Signal::derive(|| None) prefix=format!("g{id}-") />
                                            <button type="submit">{t("action.save")}</button>
                                        </ActionForm>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// Name and sector (organizations) or description (agencies).
#[component]
fn GroupFields(
    kind: GroupKind,
    id: Option<i64>,
    name: String,
    detail: String,
    error: Signal<Option<crate::error::AppError>>,
    prefix: String,
) -> impl IntoView {
    let detail_field = match kind {
        GroupKind::Organization => view! {
            <SelectField name="detail" label="field.sector" error options=sector_options() value=detail id_prefix=prefix.clone() />
        }
        .into_any(),
        GroupKind::Agency => view! {
            <TextField name="detail" label="field.description" value=detail error id_prefix=prefix.clone() />
        }
        .into_any(),
    };
    view! {
        <input type="hidden" name="kind" value=kind.as_str() />
        {id.map(|id| view! { <input type="hidden" name="id" value=id /> })}
        <TextField name="name" label="field.name" required=true value=name error id_prefix=prefix />
        {detail_field}
    }
}
