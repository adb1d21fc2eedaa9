//! One error type for every server function. It carries catalog keys, never raw
//! internal details, so the browser can show it in the user's language.
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// A problem with one form field: the field's name and a catalog key. An empty
/// field name means the form as a whole (e.g. wrong email or password).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub key: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// Validation failed. `values` echoes what was typed (never passwords) so a form
    /// re-rendered without JavaScript keeps it.
    #[error("invalid input")]
    Invalid {
        errors: Vec<FieldError>,
        values: Vec<(String, String)>,
    },
    #[error("login required")]
    Unauthenticated,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("too many attempts")]
    RateLimited,
    /// A refusal that the user can understand, named by its catalog key.
    #[error("refused: {0}")]
    Refused(String),
    #[error("internal error")]
    Internal,
    /// The request itself was malformed (bad encoding, missing fields).
    #[error("bad request")]
    BadRequest,
    /// (browser) The server could not be reached: the request may be sent again.
    #[error("server unreachable")]
    Unreachable,
}

impl AppError {
    pub fn refused(key: &str) -> Self {
        AppError::Refused(key.to_string())
    }

    /// HTTP status that the server sends with this error.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Invalid { .. } | AppError::BadRequest => 400,
            AppError::Unauthenticated => 401,
            AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::Refused(_) => 409,
            AppError::RateLimited => 429,
            AppError::Internal => 500,
            AppError::Unreachable => 503,
        }
    }

    /// Catalog key of the general message shown above a form.
    pub fn message_key(&self) -> &str {
        match self {
            AppError::Invalid { errors, .. } => errors
                .iter()
                .find(|e| e.field.is_empty())
                .map(|e| e.key.as_str())
                .unwrap_or("error.invalid"),
            AppError::Unauthenticated => "error.unauthenticated",
            AppError::Forbidden => "error.forbidden",
            AppError::NotFound => "error.not_found",
            AppError::RateLimited => "error.rate_limited",
            AppError::Refused(key) => key,
            AppError::Internal => "error.internal",
            AppError::BadRequest => "error.bad_request",
            AppError::Unreachable => "error.unreachable",
        }
    }

    /// The catalog key of the error for one field, if any.
    pub fn field_key(&self, field: &str) -> Option<&str> {
        match self {
            AppError::Invalid { errors, .. } => errors
                .iter()
                .find(|e| e.field == field)
                .map(|e| e.key.as_str()),
            _ => None,
        }
    }

    /// What the user had typed in `field` when validation failed.
    pub fn echoed(&self, field: &str) -> Option<&str> {
        match self {
            AppError::Invalid { values, .. } => values
                .iter()
                .find(|(name, _)| name == field)
                .map(|(_, v)| v.as_str()),
            _ => None,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::Deserialization(_)
            | ServerFnErrorErr::MissingArg(_) => AppError::BadRequest,
            ServerFnErrorErr::Request(_) => AppError::Unreachable,
            _ => AppError::Internal,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        // PostgreSQL refuses text it cannot store (a NUL character): the
        // request was malformed, not the server.
        if let sqlx::Error::Database(db) = &e {
            if matches!(db.code().as_deref(), Some("22021" | "22P05")) {
                return AppError::BadRequest;
            }
        }
        tracing::error!(error = %e, "database error");
        AppError::Internal
    }
}

pub type AppResult<T> = Result<T, AppError>;
