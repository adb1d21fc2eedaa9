//! (ssr) A public dataset of a process: what its open-data downloads, the read-only
//! API (`/api/v1`) and the DCAT catalogue serve. Each stage declares its own in
//! its store (`OPEN_DATA`), holding only rows anyone may read — nothing hidden,
//! withdrawn, draft or private, names only as their people chose to publish
//! them and never an email address; `opendata` puts them together.
//!
//! Its fields describe it once: the CSV header, the JSON schema of the API's
//! OpenAPI document and the "Datos abiertos" page all read them.

/// What a field holds, as the API's schema and the CSV write it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Integer,
    Text,
    /// 0 or 1 in the database; `true`/`false` in the data.
    Boolean,
    /// UTC seconds in the database; RFC 3339 (`2021-05-03T14:00:00Z`) in the data.
    DateTime,
    /// `YYYY-MM-DD`.
    Date,
    /// A list of ids (space-separated in the CSV).
    Ids,
    /// A list of words (`;`-separated in the CSV).
    Texts,
}

/// One field of a dataset; its description is the catalog's `data.<dataset>.<name>`.
#[derive(Clone, Copy, Debug)]
pub struct Field {
    pub name: &'static str,
    pub kind: Kind,
    pub nullable: bool,
    /// The values it may take, when it is one of a few (for the schema).
    pub values: &'static [&'static str],
}

/// A field that is always there.
pub const fn field(name: &'static str, kind: Kind) -> Field {
    Field {
        name,
        kind,
        nullable: false,
        values: &[],
    }
}

/// A field that may be empty (`null`).
pub const fn optional(name: &'static str, kind: Kind) -> Field {
    Field {
        name,
        kind,
        nullable: true,
        values: &[],
    }
}

/// A text field that is one of `values`.
pub const fn one_of(name: &'static str, values: &'static [&'static str], nullable: bool) -> Field {
    Field {
        name,
        kind: Kind::Text,
        nullable,
        values,
    }
}

/// A query parameter that narrows a dataset, as the pages' filters do.
#[derive(Clone, Copy, Debug)]
pub enum Filter {
    /// `?<param>=<id>`: rows whose `column` is that id.
    Id {
        param: &'static str,
        column: &'static str,
    },
    /// `?<param>=<value>`: rows whose `column` is that value (one of the field's values).
    Value {
        param: &'static str,
        column: &'static str,
    },
    /// `?q=<words>`: rows whose text holds every word, through `table`'s full-text index.
    Words { table: &'static str },
}

impl Filter {
    pub fn param(&self) -> &'static str {
        match self {
            Filter::Id { param, .. } | Filter::Value { param, .. } => param,
            Filter::Words { .. } => "q",
        }
    }
}

/// One row, field by field.
pub type Record = serde_json::Map<String, serde_json::Value>;

/// Rows on their way: what a `Built` source returns.
pub type Rows<'a> = std::pin::Pin<
    Box<dyn std::future::Future<Output = crate::error::AppResult<Vec<Record>>> + Send + 'a>,
>;

/// What a `Built` source reads: the process, and today's date there.
#[derive(Clone, Copy)]
pub struct Scope<'a> {
    pub db: &'a crate::db::Db,
    pub process: &'a crate::processes::model::ProcessDetail,
    pub today: &'a str,
}

pub type Built = for<'a> fn(Scope<'a>) -> Rows<'a>;

/// Where a dataset's rows come from.
#[derive(Clone, Copy)]
pub enum Source {
    /// A query of a process's public rows (`$1`: the process id) with an `id`
    /// column; it is read page by page in `id` order.
    Sql(&'static str),
    /// A few rows made in Rust (a sheet's milestones live in its JSON), in `id` order.
    Built(Built),
}

#[derive(Clone, Copy)]
pub struct Dataset {
    /// Its name in addresses (`/api/v1/processes/{slug}/{name}`, `{name}.csv`).
    pub name: &'static str,
    /// Every field, in order; the first is `id`, unique and stable.
    pub fields: &'static [Field],
    pub filters: &'static [Filter],
    /// The field whose latest value says when it last changed.
    pub modified: &'static str,
    pub source: Source,
}

impl Dataset {
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }
}

/// Puts on each row, as `field`, the ids that `pairs` — a query of (row id,
/// id) pairs of the process `$1`, in their order — gives its id.
pub async fn attach_ids(
    db: &crate::db::Db,
    rows: &mut [Record],
    field: &str,
    pairs: &str,
    process_id: i64,
) -> crate::error::AppResult<()> {
    use sqlx::Row as _;
    let mut by_row: std::collections::HashMap<i64, Vec<serde_json::Value>> = Default::default();
    for r in sqlx::query(pairs)
        .bind(process_id)
        .fetch_all(&db.pool)
        .await?
    {
        by_row
            .entry(r.get(0))
            .or_default()
            .push(r.get::<i64, _>(1).into());
    }
    for row in rows {
        let id = row
            .get("id")
            .and_then(serde_json::Value::as_i64)
            .unwrap_or(0);
        row.insert(field.into(), by_row.remove(&id).unwrap_or_default().into());
    }
    Ok(())
}
