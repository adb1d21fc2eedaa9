//! The "Datos abiertos" page of a process (each dataset: what it holds, its
//! fields, licence, size and last change, its downloads) and the API reference
//! (how to read the same datasets through `/api/v1`).
use super::api::*;
use super::model::*;
use super::rules::{DEFAULT_LIMIT, LICENCE_NAME, LICENCE_URL, MAX_LIMIT};
use crate::i18n::{t, use_locale};
use crate::ui::*;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn OpenDataPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let data = Resource::new(slug, open_data);
    view! {
        <Transition fallback=|| view! { <p>{t("status.loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                    Ok(d) => view! { <OpenDataView d /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn OpenDataView(d: DataCatalog) -> impl IntoView {
    let locale = use_locale();
    let (slug, process_title) = d.process.clone().unwrap_or_default();
    let title = locale.tf("data.title", &[("process", &process_title)]);
    let datasets = d
        .datasets
        .into_iter()
        .map(|info| {
            let base = format!("/processes/{slug}/data/{}", info.name);
            let api = format!("/api/v1/processes/{slug}/{}", info.name);
            let modified = info
                .modified
                .as_deref()
                .map(|m| locale.date(m.get(..10).unwrap_or(m)))
                .unwrap_or_else(|| t("data.never"));
            let size = format!(
                "{} · {}",
                locale.plural("data.rows", info.rows.unwrap_or(0)),
                locale.tf("data.modified", &[("date", &modified)])
            );
            let links = view! {
                <p class="meta">{size}</p>
                <p class="downloads">
                    {t("data.download")}" "
                    <a href=format!("{base}.csv") download=format!("{slug}-{}.csv", info.name)>"CSV"</a>" · "
                    <a href=format!("{base}.json") download=format!("{slug}-{}.json", info.name)>"JSON"</a>" · "
                    <a href=api>{t("data.api_link")}</a>
                </p>
            };
            view! { <DatasetSection info links=links.into_any() /> }
        })
        .collect_view();
    view! {
        <PageTitle text=title.clone() description=t("data.intro") />
        <article class="open-data">
            <p><a href=format!("/processes/{slug}")>{process_title}</a></p>
            <h1>{title}</h1>
            <p>{t("data.intro")}</p>
            <p>
                {t("data.licence")}" "<a href=LICENCE_URL rel="license">{LICENCE_NAME}</a>". "
                <a href="/data/catalog.jsonld">{t("data.catalog")}</a>" · "
                <a href="/developers">{t("data.reference_link")}</a>
            </p>
            {datasets}
        </article>
    }
}

/// A dataset: its name, what it holds, `links`, and its fields in a table.
#[component]
fn DatasetSection(info: DatasetInfo, links: AnyView) -> impl IntoView {
    let heading = format!("dataset-{}", info.name);
    let name = info.name.clone();
    let filters = (!info.filters.is_empty()).then(|| {
        let list = info
            .filters
            .iter()
            .map(|f| format!("{f}="))
            .collect::<Vec<_>>()
            .join(", ");
        view! { <p>{t("data.filters")}" "<code>{list}</code></p> }
    });
    let fields = info
        .fields
        .into_iter()
        .map(|f| {
            let mut kind = t(&format!("data.kind.{}", f.kind));
            if !f.values.is_empty() {
                kind = format!("{kind}: {}", f.values.join(", "));
            }
            if f.nullable {
                kind = format!("{kind} ({})", t("data.nullable"));
            }
            view! {
                <tr>
                    <th scope="row"><code>{f.name.clone()}</code></th>
                    <td>{kind}</td>
                    <td>{t(&format!("data.{name}.{}", f.name))}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="dataset" aria-labelledby=heading.clone()>
            <h2 id=heading.clone()>{t(&format!("data.{}", info.name))}" "<code>{info.name.clone()}</code></h2>
            <p>{t(&format!("data.{}.about", info.name))}</p>
            {links}
            {filters}
            <details>
                <summary>{t("data.fields")}</summary>
                <div class="table-scroll">
                    <table>
                        <thead><tr>
                            <th scope="col">{t("data.field")}</th>
                            <th scope="col">{t("data.kind")}</th>
                            <th scope="col">{t("data.description")}</th>
                        </tr></thead>
                        <tbody>{fields}</tbody>
                    </table>
                </div>
            </details>
        </section>
    }
}

#[component]
pub fn ApiReferencePage() -> impl IntoView {
    let data = Resource::new(|| (), |_| api_reference());
    view! {
        <Transition fallback=|| view! { <p>{t("status.loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                    Ok(d) => view! { <ApiReferenceView d /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ApiReferenceView(d: DataCatalog) -> impl IntoView {
    let locale = use_locale();
    let limits = locale.tf(
        "api.ref.paging",
        &[
            ("default", &DEFAULT_LIMIT.to_string()),
            ("max", &MAX_LIMIT.to_string()),
        ],
    );
    let datasets = d
        .datasets
        .into_iter()
        .map(|info| {
            let path = format!("GET /api/v1/processes/{{slug}}/{}", info.name);
            let links = view! { <p><code>{path}</code></p> };
            view! { <DatasetSection info links=links.into_any() /> }
        })
        .collect_view();
    view! {
        <PageTitle text=t("api.ref.title") description=t("api.ref.intro") />
        <article class="open-data">
            <h1>{t("api.ref.title")}</h1>
            <p>{t("api.ref.intro")}</p>
            <p><a href="/api/v1/openapi.json">{t("api.ref.openapi")}</a>" · "<a href="/data/catalog.jsonld">{t("data.catalog")}</a></p>
            <section aria-labelledby="api-endpoints">
                <h2 id="api-endpoints">{t("api.ref.endpoints")}</h2>
                <dl>
                    <dt><code>"GET /api/v1/processes"</code></dt><dd>{t("api.ref.processes")}</dd>
                    <dt><code>"GET /api/v1/processes/{slug}"</code></dt><dd>{t("api.ref.process")}</dd>
                    <dt><code>"GET /api/v1/processes/{slug}/{dataset}"</code></dt><dd>{t("api.ref.dataset")}</dd>
                </dl>
            </section>
            <section aria-labelledby="api-conventions">
                <h2 id="api-conventions">{t("api.ref.conventions")}</h2>
                <ul>
                    <li>{limits}</li>
                    <li>{t("api.ref.filters")}</li>
                    <li>{t("api.ref.etag")}</li>
                    <li>{t("api.ref.cors")}</li>
                    <li>{t("api.ref.errors")}</li>
                    <li>{t("api.ref.rate")}</li>
                    <li>{t("data.licence")}" "<a href=LICENCE_URL rel="license">{LICENCE_NAME}</a></li>
                </ul>
            </section>
            {datasets}
        </article>
    }
}
