use serde::{Deserialize, Serialize};

/// One field of a dataset, as the pages describe it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldInfo {
    pub name: String,
    /// "integer", "text", "boolean", "date-time", "date", "ids" or "texts".
    pub kind: String,
    pub nullable: bool,
    pub values: Vec<String>,
}

/// A dataset of a process: what it holds and, on a process's page, how many
/// rows and when it last changed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DatasetInfo {
    pub name: String,
    pub fields: Vec<FieldInfo>,
    /// The query parameters that narrow it.
    pub filters: Vec<String>,
    pub rows: Option<i64>,
    /// UTC, RFC 3339.
    pub modified: Option<String>,
}

/// The "Datos abiertos" page of a process, or the API reference (no process).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DataCatalog {
    pub process: Option<(String, String)>,
    pub datasets: Vec<DatasetInfo>,
}
