//! Labelled form fields that show their server-side error and keep what was typed.
use crate::error::AppError;
use crate::i18n::t;
use leptos::prelude::*;

/// The `id` of a field's error message, for `aria-describedby`.
fn error_id(id: &str) -> String {
    format!("{id}-error")
}

/// The `aria-describedby` of a field: its hint, and its error when it has one.
fn described_by(
    id: String,
    has_hint: bool,
    invalid: impl Fn() -> bool + Send + Sync + 'static,
) -> impl Fn() -> Option<String> + Send + Sync + 'static {
    move || {
        let mut ids = Vec::new();
        if has_hint {
            ids.push(format!("{id}-hint"));
        }
        if invalid() {
            ids.push(error_id(&id));
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}

/// The value a field starts with: what was typed before a failed submit, else
/// `initial`. It sets the default value only: with JavaScript the browser keeps
/// whatever the person has typed since.
fn start_value(
    error: Signal<Option<AppError>>,
    name: &'static str,
    initial: String,
) -> Signal<String> {
    Signal::derive(move || {
        error
            .get()
            .and_then(|e| e.echoed(name).map(str::to_string))
            .unwrap_or_else(|| initial.clone())
    })
}

/// The error of one field (or of a group of checkboxes), when it has one.
#[component]
pub fn FieldError(
    id: String,
    name: &'static str,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    move || {
        error
            .get()
            .and_then(|e| e.field_key(name).map(str::to_string))
            .map(|key| {
                view! { <p class="field-error" id=error_id(&id)>{t(&key)}</p> }
            })
    }
}

/// A single-line input.
#[component]
pub fn TextField(
    name: &'static str,
    label: &'static str,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(optional, into)] value: String,
    #[prop(optional)] hint: Option<&'static str>,
    /// Distinguishes fields when several forms on a page share names.
    #[prop(optional, into)]
    id_prefix: String,
) -> impl IntoView {
    let id = format!("{id_prefix}f-{name}");
    let invalid = move || error.get().is_some_and(|e| e.field_key(name).is_some());
    let described = described_by(id.clone(), hint.is_some(), invalid);
    // Passwords are never put back into the page.
    let value = if kind == "password" {
        Signal::derive(String::new)
    } else {
        start_value(error, name, value)
    };
    view! {
        <div class="field">
            <label for=id.clone()>{t(label)}{required.then(|| view! { <span class="required-mark" aria-hidden="true">" *"</span> })}</label>
            {hint.map(|h| view! { <p class="hint" id=format!("{id}-hint")>{t(h)}</p> })}
            <input
                id=id.clone()
                name=name
                type=kind
                autocomplete=autocomplete
                required=required
                aria-invalid=move || invalid().then_some("true")
                aria-describedby=described
                value=value
            />
            <FieldError id=id name error />
        </div>
    }
}

/// A multi-line input.
#[component]
pub fn TextArea(
    name: &'static str,
    label: &'static str,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(optional)] required: bool,
    #[prop(optional, into)] value: String,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(default = 5)] rows: u32,
    #[prop(optional, into)] id_prefix: String,
) -> impl IntoView {
    let id = format!("{id_prefix}f-{name}");
    let invalid = move || error.get().is_some_and(|e| e.field_key(name).is_some());
    let described = described_by(id.clone(), hint.is_some(), invalid);
    let value = start_value(error, name, value);
    view! {
        <div class="field">
            <label for=id.clone()>{t(label)}{required.then(|| view! { <span class="required-mark" aria-hidden="true">" *"</span> })}</label>
            {hint.map(|h| view! { <p class="hint" id=format!("{id}-hint")>{t(h)}</p> })}
            <textarea
                id=id.clone()
                name=name
                rows=rows
                required=required
                aria-invalid=move || invalid().then_some("true")
                aria-describedby=described
            >
                {value.get_untracked()}
            </textarea>
            <FieldError id=id name error />
        </div>
    }
}

/// A drop-down list of (value, catalog key or plain label) options.
#[component]
pub fn SelectField(
    name: &'static str,
    label: &'static str,
    #[prop(into)] error: Signal<Option<AppError>>,
    options: Vec<(String, String)>,
    #[prop(optional, into)] value: String,
    #[prop(optional, into)] id_prefix: String,
) -> impl IntoView {
    let id = format!("{id_prefix}f-{name}");
    let selected = start_value(error, name, value);
    let invalid = move || error.get().is_some_and(|e| e.field_key(name).is_some());
    view! {
        <div class="field">
            <label for=id.clone()>{t(label)}</label>
            <select
                id=id.clone()
                name=name
                aria-invalid=move || invalid().then_some("true")
                aria-describedby={
                    let id = id.clone();
                    move || invalid().then(|| error_id(&id))
                }
            >
                {options
                    .into_iter()
                    .map(|(v, text)| {
                        let is_selected = {
                            let v = v.clone();
                            move || selected.get() == v
                        };
                        view! { <option value=v selected=is_selected>{text}</option> }
                    })
                    .collect_view()}
            </select>
            <FieldError id=id name error />
        </div>
    }
}

/// A checkbox whose label may hold a link.
#[component]
pub fn CheckField(
    name: &'static str,
    #[prop(into)] error: Signal<Option<AppError>>,
    children: Children,
) -> impl IntoView {
    let id = format!("f-{name}");
    let invalid = move || error.get().is_some_and(|e| e.field_key(name).is_some());
    view! {
        <div class="field field-check">
            <input
                type="checkbox"
                id=id.clone()
                name=name
                value="on"
                aria-invalid=move || invalid().then_some("true")
                aria-describedby={
                    let id = id.clone();
                    move || invalid().then(|| error_id(&id))
                }
            />
            <label for=id.clone()>{children()}</label>
            <FieldError id=id name error />
        </div>
    }
}

/// A group of checkboxes, one per (id, label), under a legend; the server gets
/// the checked ids as `name` (e.g. `agency_ids[]`).
#[component]
pub fn CheckList(
    name: &'static str,
    legend: &'static str,
    items: Vec<(i64, String)>,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(optional, into)] id_prefix: String,
    /// The ids ticked to start with.
    #[prop(optional)]
    checked: Vec<i64>,
) -> impl IntoView {
    let field = name.trim_end_matches("[]");
    let error_id = format!("{id_prefix}f-{field}");
    view! {
        <fieldset class="check-list">
            <legend>{t(legend)}</legend>
            {items.into_iter().map(|(id, label)| {
                let input_id = format!("{id_prefix}{field}-{id}");
                let ticked = checked.contains(&id);
                view! {
                    <div class="field-check">
                        <input type="checkbox" id=input_id.clone() name=name value=id checked=ticked />
                        <label for=input_id>{label}</label>
                    </div>
                }
            }).collect_view()}
            <FieldError id=error_id name=field error />
        </fieldset>
    }
}
