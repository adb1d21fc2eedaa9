//! cocrea: the Leptos application, rendered on the server; its islands (live
//! boards, similar proposals) are hydrated in the browser.
pub mod accounts;
pub mod announcements;
pub mod boards;
pub mod carryover;
pub mod comments;
pub mod commitments;
pub mod endorsements;
pub mod error;
pub mod evaluation;
pub mod feasibility;
pub mod i18n;
pub mod invitations;
pub mod irm;
pub mod markdown;
pub mod moderation;
pub mod monitoring;
pub mod notifications;
pub mod opendata;
pub mod paging;
pub mod privacy;
pub mod processes;
pub mod proposals;
pub mod report;
pub mod roundtables;
pub mod search;
pub mod stakeholders;
pub mod survey;
pub mod trajectory;
pub mod ui;
pub mod validate;

#[cfg(feature = "ssr")]
pub mod ctx;
#[cfg(feature = "ssr")]
pub mod dataset;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod db_counts;
#[cfg(feature = "ssr")]
pub mod db_pool;
#[cfg(feature = "ssr")]
pub mod documents;
#[cfg(feature = "ssr")]
pub mod mail;
#[cfg(feature = "ssr")]
pub mod redirect;

use i18n::use_locale;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

/// The file names of the browser bundle, the styles and the icon in `/pkg/`:
/// the build names each after a hash of its content, so that browsers may keep
/// them for good (`bundle` is the stem of `<bundle>.js` and `<bundle>_bg.wasm`;
/// `live` keeps a visitor's board current without the WebAssembly; `preview`
/// is the image a shared link shows).
#[derive(Clone, Debug, serde::Deserialize)]
#[serde(default)]
pub struct Assets {
    pub bundle: String,
    pub css: String,
    pub icon: String,
    pub live: String,
    pub preview: String,
}

impl Default for Assets {
    /// The names of a build that did not hash them.
    fn default() -> Self {
        Assets {
            bundle: "cocrea".into(),
            css: "cocrea.css".into(),
            icon: "favicon.svg".into(),
            live: "board-live.js".into(),
            preview: "preview.png".into(),
        }
    }
}

/// The HTML document around the app (server only); `options` name `assets.bundle`.
pub fn shell(options: LeptosOptions, assets: &Assets) -> impl IntoView {
    let locale = use_locale();
    // Only islands hydrate: the rest of the page is written without the marks
    // and data hydration would need. A page with an island adds the script.
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    provide_context(ui::island::IslandScriptOptions(options));
    provide_context(assets.clone());
    let css = format!("/pkg/{}", assets.css);
    let icon = format!("/pkg/{}", assets.icon);
    view! {
        <!DOCTYPE html>
        <html lang=locale.tag()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="stylesheet" href=css />
                <link rel="icon" href=icon type="image/svg+xml" />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Router>
            <Page />
        </Router>
    }
}

/// The frame and the routes. It sits inside the router because the signed-in
/// person is re-read on navigation.
#[component]
fn Page() -> impl IntoView {
    ui::provide_session();
    view! {
            <ui::Header />
        <main id="main" tabindex="-1">
            <Routes fallback=NotFound>
                <Route path=path!("/") view=processes::pages::HomePage ssr=SsrMode::Async />
                <Route path=path!("/login") view=accounts::pages::LoginPage ssr=SsrMode::Async />
                <Route path=path!("/signup") view=accounts::pages::SignupPage ssr=SsrMode::Async />
                <Route path=path!("/forgot-password") view=accounts::pages::ForgotPasswordPage ssr=SsrMode::Async />
                <Route path=path!("/reset-password") view=accounts::pages::ResetPasswordPage ssr=SsrMode::Async />
                <Route path=path!("/privacy") view=accounts::pages::PrivacyPage ssr=SsrMode::Async />
                <Route path=path!("/account") view=privacy::pages::AccountPage ssr=SsrMode::Async />
                <Route path=path!("/confirm-email") view=privacy::pages::ConfirmEmailPage ssr=SsrMode::Async />
                <Route path=path!("/organizations") view=stakeholders::pages::DirectoryPage ssr=SsrMode::Async />
                <Route path=path!("/organizations/register") view=stakeholders::pages::RegisterOrganizationPage ssr=SsrMode::Async />
                <Route path=path!("/organizations/review") view=stakeholders::pages::ReviewOrganizationsPage ssr=SsrMode::Async />
                <Route path=path!("/organizations/mine") view=stakeholders::joins_pages::MyOrganizationsPage ssr=SsrMode::Async />
                <Route path=path!("/organizations/join") view=stakeholders::joins_pages::JoinOrganizationPage ssr=SsrMode::Async />
                <Route path=path!("/processes/:slug/survey") view=survey::pages::SurveyDeskPage ssr=SsrMode::Async />
                <Route path=path!("/surveys/:id") view=survey::pages::SurveyPage ssr=SsrMode::Async />
                <Route path=path!("/processes/:slug/invitations") view=invitations::pages::InvitationDeskPage ssr=SsrMode::Async />
                <Route path=path!("/processes/:slug/announcements") view=announcements::pages::AnnouncementDeskPage ssr=SsrMode::Async />
                <Route path=path!("/calls") view=announcements::pages::JoinCallsPage ssr=SsrMode::Async />
                <Route path=path!("/calls/confirm") view=announcements::pages::ConfirmContactPage ssr=SsrMode::Async />
                <Route path=path!("/invitations/open") view=invitations::pages::OpenInvitationPage ssr=SsrMode::Async />
                <Route path=path!("/surveys/:id/answers") view=survey::pages::SurveyAnswersPage ssr=SsrMode::Async />
                <Route path=path!("/processes/new") view=processes::pages::NewProcessPage ssr=SsrMode::Async />
                <Route path=path!("/roundtables/:id/edit") view=roundtables::setup_pages::EditRoundtablePage ssr=SsrMode::Async />
                <Route path=path!("/organizations/edit") view=stakeholders::edit_pages::EditOrganizationPage ssr=SsrMode::Async />
                <Route path=path!("/processes/:slug/edit") view=processes::pages::EditProcessPage ssr=SsrMode::Async />
                <Route path=path!("/processes/:slug") view=|| view! { <processes::pages::ProcessPage /><invitations::pages::OutreachFigures /> } ssr=SsrMode::Async />
                <Route path=path!("/processes/:slug/proposals") view=proposals::pages::ProposalsPage ssr=SsrMode::Async />
                <Route path=path!("/processes/:slug/report") view=report::pages::ReportPage ssr=SsrMode::Async />
                <Route path=path!("/processes/:slug/data") view=opendata::pages::OpenDataPage ssr=SsrMode::Async />
                <Route path=path!("/developers") view=opendata::pages::ApiReferencePage ssr=SsrMode::Async />
                <Route path=path!("/processes/:slug/monitoring-body") view=evaluation::pages::MonitoringBodyPage ssr=SsrMode::Async />
                <Route path=path!("/processes/:slug/carry-over") view=carryover::pages::CarryOverPage ssr=SsrMode::Async />
                <Route path=path!("/commitments/:id/evaluation") view=evaluation::pages::EvaluationPage ssr=SsrMode::Async />
                <Route path=path!("/evaluation") view=evaluation::pages::EvaluatorDeskPage ssr=SsrMode::Async />
                <Route path=path!("/processes/:slug/proposals/new") view=proposals::pages::NewProposalPage ssr=SsrMode::Async />
                <Route path=path!("/proposals/:id") view=|| view! { <proposals::pages::ProposalPage trail=trajectory::pages::proposal_trail() /> } ssr=SsrMode::Async />
                <Route path=path!("/proposals/:id/trajectory") view=trajectory::pages::TrajectoryPage ssr=SsrMode::Async />
                <Route path=path!("/proposals/:id/edit") view=proposals::pages::EditProposalPage ssr=SsrMode::Async />
                <Route path=path!("/processes/:slug/feasibility") view=feasibility::pages::RoutingPage ssr=SsrMode::Async />
                <Route path=path!("/processes/:slug/feasibility/agencies/:agency_id") view=feasibility::pages::AgencyPage ssr=SsrMode::Async />
                <Route path=path!("/proposals/:id/feasibility") view=feasibility::pages::ReviewPage ssr=SsrMode::Async />
                <Route path=path!("/feasibility") view=feasibility::pages::QueuePage ssr=SsrMode::Async />
                <Route path=path!("/notifications") view=notifications::pages::NotificationsPage ssr=SsrMode::Async />
                <Route path=path!("/processes/:slug/roundtables") view=roundtables::pages::RoundtablesPage ssr=SsrMode::Async />
                <Route path=path!("/processes/:slug/roundtables/new") view=roundtables::pages::NewRoundtablePage ssr=SsrMode::Async />
                <Route path=path!("/roundtables/:id") view=roundtables::pages::RoundtablePage ssr=SsrMode::Async />
                <Route path=path!("/roundtables/:id/board") view=boards::pages::BoardPage ssr=SsrMode::Async />
                <Route path=path!("/processes/:slug/commitments") view=commitments::pages::CommitmentsPage ssr=SsrMode::Async />
                <Route path=path!("/commitments/:id") view=|| view! { <commitments::pages::CommitmentPage /><evaluation::pages::EvaluationSummary /> } ssr=SsrMode::Async />
                <Route path=path!("/commitments/:id/edit") view=commitments::pages::EditCommitmentPage ssr=SsrMode::Async />
                <Route path=path!("/commitments/:id/versions") view=commitments::pages::VersionsPage ssr=SsrMode::Async />
                <Route path=path!("/commitments/:id/monitoring") view=monitoring::pages::MonitoringPage ssr=SsrMode::Async />
                <Route path=path!("/monitoring") view=monitoring::pages::MonitoringOverviewPage ssr=SsrMode::Async />
                <Route path=path!("/processes/:slug/endorsements") view=endorsements::pages::EndorsementsPage ssr=SsrMode::Async />
                <Route path=path!("/processes/:slug/panel") view=monitoring::pages::PanelPage ssr=SsrMode::Async />
                <Route path=path!("/commitments/:id/comments") view=commitments::consultation_pages::SheetCommentsPage ssr=SsrMode::Async />
                <Route path=path!("/moderation") view=moderation::pages::ModerationPage ssr=SsrMode::Async />
                <Route path=path!("/admin/audit") view=moderation::pages::AuditPage ssr=SsrMode::Async />
                <Route path=path!("/admin/users") view=accounts::admin_pages::AdminUsersPage ssr=SsrMode::Async />
                <Route path=path!("/admin/organizations") view=accounts::admin_pages::AdminOrganizationsPage ssr=SsrMode::Async />
                <Route path=path!("/admin/agencies") view=accounts::admin_pages::AdminAgenciesPage ssr=SsrMode::Async />
            </Routes>
        </main>
        <ui::Footer />
    }
}

#[component]
fn NotFound() -> impl IntoView {
    view! { <ui::PageError error=error::AppError::NotFound /> }
}

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Only the islands run in the browser (`ui::island`); the script that loads
    // this hydrates each of them next.
    leptos::mount::hydrate_islands();
    ui::island::hydrated::mark_if_all();
}
