//! Server functions for the "Datos abiertos" page of a process and the API
//! reference: what each dataset holds (and, for a process, its size and age).
use super::model::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {super::store, crate::ctx};

#[server(prefix = "/api", endpoint = "open_data")]
pub async fn open_data(slug: String) -> Result<DataCatalog, AppError> {
    let state = ctx::state()?;
    let p = crate::processes::store::require(&state, &slug).await?;
    let today = ctx::today(&state.settings);
    let scope = crate::dataset::Scope {
        db: &state.db,
        process: &p,
        today: &today,
    };
    let datasets = store::described(scope).await?;
    Ok(DataCatalog {
        process: Some((p.slug.clone(), p.title.clone())),
        datasets,
    })
}

#[server(prefix = "/api", endpoint = "api_reference")]
pub async fn api_reference() -> Result<DataCatalog, AppError> {
    Ok(DataCatalog {
        process: None,
        datasets: store::all().map(|d| store::info(d, None)).collect(),
    })
}
