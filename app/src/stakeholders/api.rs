//! Server functions for the stakeholder directory: the public list, a
//! registration and its form, and the team's review.
use super::model::*;
use crate::error::AppError;
use crate::paging::Page;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{rules, store},
    crate::{accounts::model::Sector, ctx, validate::Form},
};

/// The approved organizations, of a sector (`""` for all) and working on an
/// axis (0 for any).
#[server(prefix = "/api", endpoint = "stakeholder_directory")]
pub async fn stakeholder_directory(
    sector: String,
    axis: i64,
    page: i64,
) -> Result<Directory, AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    // An unknown sector or axis lists nothing rather than everything.
    let (sector, known_sector) = match sector.as_str() {
        "" => (None, true),
        s => (Sector::parse(s), Sector::parse(s).is_some()),
    };
    let axis = (axis > 0).then_some(axis);
    let listed = if known_sector {
        store::list(&state.db, sector, axis, page).await?
    } else {
        Page::new(vec![], 1, 0)
    };
    let requested = match &user {
        Some(u) => super::joins::requested_by(&state.db, u.id).await?,
        None => vec![],
    };
    Ok(Directory {
        listed,
        sector,
        axis,
        axes: axis_choices(&state).await?,
        by_sector: store::by_sector(&state.db).await?,
        can_review: rules::review(user.as_ref()).is_ok(),
        signed_in: user.is_some(),
        member_of: user
            .as_ref()
            .map(|u| u.organization_ids.clone())
            .unwrap_or_default(),
        requested,
    })
}

#[cfg(feature = "ssr")]
async fn axis_choices(state: &ctx::AppState) -> crate::error::AppResult<Vec<AxisChoice>> {
    Ok(crate::processes::store::axis_choices(&state.db)
        .await?
        .into_iter()
        .map(|(id, axis, process)| AxisChoice {
            id,
            label: format!("{axis} ({process})"),
        })
        .collect())
}

#[server(prefix = "/api", endpoint = "directory_registration")]
pub async fn directory_registration() -> Result<RegistrationForm, AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    let mine = match &user {
        Some(u) => store::mine(&state.db, u.id).await?,
        None => vec![],
    };
    Ok(RegistrationForm {
        signed_in: user.is_some(),
        axes: axis_choices(&state).await?,
        mine,
    })
}

/// An organization registers itself; it is listed once the team approves it.
#[server(prefix = "/api", endpoint = "register_organization")]
#[allow(clippy::too_many_arguments)]
pub async fn register_organization(
    name: String,
    sector: String,
    territory: String,
    website: String,
    description: String,
    contact_email: String,
    axis_ids: Option<Vec<i64>>,
) -> Result<(), AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    let user = rules::register(user.as_ref())?;
    let mut form = Form::new();
    let typed = Typed {
        name,
        sector,
        territory,
        website,
        description,
        contact_email,
        axis_ids,
    };
    let e = checked_entry(&mut form, &state, typed).await?;
    match store::register(&state.db, &e.name, e.sector, &e.entry(), user.id).await? {
        Some(_) => Ok(()),
        None => Err(form.refuse_field("name", "directory.name_taken")),
    }
}

/// What a registration or a change of one holds, as typed.
#[cfg(feature = "ssr")]
struct Typed {
    name: String,
    sector: String,
    territory: String,
    website: String,
    description: String,
    contact_email: String,
    axis_ids: Option<Vec<i64>>,
}

/// The same, checked.
#[cfg(feature = "ssr")]
struct Checked {
    name: String,
    sector: Sector,
    territory: String,
    website: String,
    description: String,
    contact_email: String,
    axis_ids: Vec<i64>,
}

#[cfg(feature = "ssr")]
impl Checked {
    fn entry(&self) -> store::Entry<'_> {
        store::Entry {
            territory: &self.territory,
            website: &self.website,
            description: &self.description,
            contact_email: &self.contact_email,
            axis_ids: &self.axis_ids,
        }
    }
}

/// Checks what an organization tells about itself: a name, a sector, an
/// address that is one, a web address people can follow, known axes.
#[cfg(feature = "ssr")]
async fn checked_entry(
    form: &mut Form,
    state: &ctx::AppState,
    t: Typed,
) -> Result<Checked, AppError> {
    let name = form.required("name", &t.name, NAME_MAX);
    let sector = form.choice("sector", &t.sector, &Sector::ALL.map(|s| s.as_str()));
    let territory = form.optional("territory", &t.territory, TERRITORY_MAX);
    let website = form.optional("website", &t.website, WEBSITE_MAX);
    if website.as_deref().is_some_and(|w| !is_web_address(w)) {
        form.error("website", "validation.web_address");
    }
    let description = form.optional("description", &t.description, DESCRIPTION_MAX);
    let contact_email = form.email("contact_email", &t.contact_email);
    let mut axis_ids = t.axis_ids.unwrap_or_default();
    axis_ids.sort_unstable();
    axis_ids.dedup();
    if axis_ids.len() > INTERESTS_MAX {
        form.error("axis_ids", "directory.too_many_interests");
    }
    form.check()?;
    let known = crate::processes::store::axis_names(&state.db, &axis_ids).await?;
    if known.len() != axis_ids.len() {
        form.error("axis_ids", "validation.choice");
        form.check()?;
    }
    Ok(Checked {
        name,
        sector: Sector::parse(&sector).unwrap_or(Sector::CivilSociety),
        territory: territory.unwrap_or_default(),
        website: website.unwrap_or_default(),
        description: description.unwrap_or_default(),
        contact_email,
        axis_ids,
    })
}

/// An organization of the directory as the team changes it, with its contact.
#[server(prefix = "/api", endpoint = "directory_entry")]
pub async fn directory_entry(organization_id: i64) -> Result<EntrySheet, AppError> {
    let state = ctx::state()?;
    rules::review(ctx::user().as_ref())?;
    let mut sheet = store::entry(&state.db, organization_id)
        .await?
        .ok_or(AppError::NotFound)?;
    sheet.axes = axis_choices(&state).await?;
    Ok(sheet)
}

/// The team changes what an organization of the directory says about itself
/// (a wrong sector, a new contact, a name that changed). Audited.
#[server(prefix = "/api", endpoint = "edit_directory_entry")]
#[allow(clippy::too_many_arguments)]
pub async fn edit_directory_entry(
    organization_id: i64,
    name: String,
    sector: String,
    territory: String,
    website: String,
    description: String,
    contact_email: String,
    axis_ids: Option<Vec<i64>>,
) -> Result<(), AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    let user = rules::review(user.as_ref())?;
    store::entry(&state.db, organization_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut form = Form::new();
    let typed = Typed {
        name,
        sector,
        territory,
        website,
        description,
        contact_email,
        axis_ids,
    };
    let e = checked_entry(&mut form, &state, typed).await?;
    let change = store::EntryChange {
        organization_id,
        name: &e.name,
        sector: e.sector,
        entry: e.entry(),
    };
    if !store::update(&state.db, &change, user.id).await? {
        return Err(form.refuse_field("name", "directory.name_taken"));
    }
    Ok(())
}

/// A web address people can follow: http(s) with a host that has a domain
/// (parsed as monitoring's evidence links are), and nothing a browser would
/// quietly rewrite or that would break out of an attribute.
#[cfg(feature = "ssr")]
fn is_web_address(v: &str) -> bool {
    url::Url::parse(v).is_ok_and(|u| {
        matches!(u.scheme(), "http" | "https")
            && u.host_str()
                .is_some_and(|h| h.contains('.') && !h.starts_with('.'))
    }) && !v
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || "\"'<>\\`".contains(c))
}

/// The registrations waiting for the team, with their contacts.
#[server(prefix = "/api", endpoint = "directory_review")]
pub async fn directory_review(page: i64) -> Result<Page<Pending>, AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    rules::review(user.as_ref())?;
    store::pending(&state.db, page, state.settings.utc_offset_minutes).await
}

#[server(prefix = "/api", endpoint = "approve_organization")]
pub async fn approve_organization(organization_id: i64) -> Result<(), AppError> {
    decide(organization_id, true, String::new()).await
}

/// Turned down, with a reason the registrant reads.
#[server(prefix = "/api", endpoint = "reject_organization")]
pub async fn reject_organization(organization_id: i64, reason: String) -> Result<(), AppError> {
    let mut form = Form::new();
    let reason = form.required("reason", &reason, REASON_MAX);
    form.check()?;
    decide(organization_id, false, reason).await
}

#[cfg(feature = "ssr")]
async fn decide(organization_id: i64, approve: bool, reason: String) -> Result<(), AppError> {
    let state = ctx::state()?;
    let user = ctx::user();
    let user = rules::review(user.as_ref())?;
    let base = state.settings.base_url.clone();
    if store::decide(&state.db, &base, organization_id, approve, &reason, user.id).await? {
        Ok(())
    } else {
        Err(AppError::refused("directory.not_pending"))
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::is_web_address;

    #[test]
    fn web_addresses_are_http_with_a_host_and_nothing_else() {
        for ok in ["https://acij.org.ar", "http://www.ejemplo.com/a?b=c#d"] {
            assert!(is_web_address(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "https://",
            "https://localhost",
            "ftp://x.org",
            "https://x.org/\"onmouseover=",
            "https://x.org/ a",
            "//x.org",
        ] {
            assert!(!is_web_address(bad), "{bad}");
        }
    }
}
