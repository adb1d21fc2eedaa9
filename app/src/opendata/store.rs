//! (ssr) Reading the stages' public datasets: a page at a time in `id` order
//! (keyset: complete, no duplicates, whatever is added meanwhile), narrowed by
//! their filters, shaped by their fields.
use super::model::*;
use super::rules::BadParam;
use crate::dataset::{Dataset, Filter, Kind, Record, Scope, Source};
use crate::db::{param, Arg};
use crate::error::AppResult;
use serde_json::Value;

/// Every public dataset, in the order of the process.
pub const DATASETS: &[&[Dataset]] = &[
    crate::proposals::store::OPEN_DATA,
    crate::feasibility::store::OPEN_DATA,
    crate::roundtables::store::OPEN_DATA,
    crate::boards::store::OPEN_DATA,
    crate::commitments::store::OPEN_DATA,
    crate::commitments::consultation_store::OPEN_DATA,
    crate::monitoring::store::OPEN_DATA,
    crate::endorsements::store::OPEN_DATA,
    crate::evaluation::store::OPEN_DATA,
    crate::report::store::OPEN_DATA,
];

pub fn all() -> impl Iterator<Item = &'static Dataset> {
    DATASETS.iter().flat_map(|d| d.iter())
}

pub fn find(name: &str) -> Option<&'static Dataset> {
    all().find(|d| d.name == name)
}

pub fn kind_name(k: Kind) -> &'static str {
    match k {
        Kind::Integer => "integer",
        Kind::Text => "text",
        Kind::Boolean => "boolean",
        Kind::DateTime => "date-time",
        Kind::Date => "date",
        Kind::Ids => "ids",
        Kind::Texts => "texts",
    }
}

/// What the pages say of a dataset; `stats` (rows, last change) on a process's.
pub fn info(d: &Dataset, stats: Option<(i64, Option<String>)>) -> DatasetInfo {
    let (rows, modified) = stats.map_or((None, None), |(n, m)| (Some(n), m));
    DatasetInfo {
        name: d.name.to_string(),
        fields: d
            .fields
            .iter()
            .map(|f| FieldInfo {
                name: f.name.to_string(),
                kind: kind_name(f.kind).to_string(),
                nullable: f.nullable,
                values: f.values.iter().map(|v| v.to_string()).collect(),
            })
            .collect(),
        filters: d.filters.iter().map(|f| f.param().to_string()).collect(),
        rows,
        modified,
    }
}

/// A filter as a request set it.
#[derive(Clone, Debug)]
pub enum Narrow {
    Id(&'static str, i64),
    Value(&'static str, String),
    Words(&'static str, String),
}

/// The dataset's filters a request sets, from its query pairs; a value a
/// filter cannot take is refused.
pub fn narrowing(d: &Dataset, pairs: &[(String, String)]) -> Result<Vec<Narrow>, BadParam> {
    let mut out = Vec::new();
    for f in d.filters {
        let Some((_, v)) = pairs.iter().find(|(k, _)| k == f.param()) else {
            continue;
        };
        out.push(match *f {
            Filter::Id { param, column } => {
                Narrow::Id(column, super::rules::number(param, v, 1, i64::MAX)?)
            }
            Filter::Value { param, column } => {
                let values = d.field(column).map(|f| f.values).unwrap_or(&[]);
                Narrow::Value(column, super::rules::one_of(param, v, values)?)
            }
            Filter::Words { table } => Narrow::Words(table, super::rules::words(v)?),
        });
    }
    Ok(out)
}

/// Up to `limit` rows after id `after`, in id order, shaped by the dataset's fields.
pub async fn page(
    s: Scope<'_>,
    d: &Dataset,
    narrow: &[Narrow],
    after: i64,
    limit: i64,
) -> AppResult<Vec<Record>> {
    let rows = match d.source {
        Source::Sql(sql) => {
            let mut args = vec![Arg::Int(s.process.id)];
            let mut conditions = vec![format!("d.id > {}", param(&mut args, Arg::Int(after)))];
            for n in narrow {
                conditions.push(match n {
                    Narrow::Id(column, v) => {
                        format!("d.{column} = {}", param(&mut args, Arg::Int(*v)))
                    }
                    Narrow::Value(column, v) => {
                        format!("d.{column} = {}", param(&mut args, Arg::Text(v.clone())))
                    }
                    Narrow::Words(table, v) => {
                        let terms = crate::search::terms(v);
                        if terms.is_empty() {
                            continue;
                        }
                        let p = param(&mut args, Arg::Text(s.db.text_query(&terms, false)));
                        s.db.text_match(table, "d.id", &p)
                    }
                });
            }
            let sql = format!(
                "SELECT * FROM ({sql}) d WHERE {} ORDER BY d.id LIMIT {limit}",
                conditions.join(" AND ")
            );
            crate::db::json_rows_with(s.db, &sql, &args).await?
        }
        Source::Built(build) => build(s)
            .await?
            .into_iter()
            .filter(|r| id_of(r) > after && narrow.iter().all(|n| matches(r, n)))
            .take(limit as usize)
            .collect(),
    };
    Ok(rows.into_iter().map(|r| shaped(d, r)).collect())
}

fn id_of(r: &Record) -> i64 {
    r.get("id").and_then(Value::as_i64).unwrap_or(0)
}

/// Whether a built row passes a filter (built datasets have no text search).
fn matches(r: &Record, n: &Narrow) -> bool {
    match n {
        Narrow::Id(column, v) => r.get(*column).and_then(Value::as_i64) == Some(*v),
        Narrow::Value(column, v) => r.get(*column).and_then(Value::as_str) == Some(v.as_str()),
        Narrow::Words(..) => true,
    }
}

/// A row with exactly the dataset's fields, in order, each as its kind says.
fn shaped(d: &Dataset, mut r: Record) -> Record {
    d.fields
        .iter()
        .map(|f| {
            let v = r.remove(f.name).unwrap_or(Value::Null);
            let v = match (f.kind, v) {
                (_, Value::Null) => Value::Null,
                (Kind::Boolean, v) => {
                    Value::Bool(v.as_i64().map_or(v == Value::Bool(true), |n| n != 0))
                }
                (Kind::DateTime, Value::Number(n)) => n
                    .as_i64()
                    .and_then(rfc3339)
                    .map_or(Value::Null, Value::String),
                (Kind::Integer, Value::String(s)) => {
                    s.parse::<i64>().map_or(Value::Null, Value::from)
                }
                (_, v) => v,
            };
            (f.name.to_string(), v)
        })
        .collect()
}

/// UTC seconds as RFC 3339 (`2021-05-03T14:00:00Z`).
pub fn rfc3339(seconds: i64) -> Option<String> {
    time::OffsetDateTime::from_unix_timestamp(seconds)
        .ok()?
        .format(&time::format_description::well_known::Rfc3339)
        .ok()
}

/// How many rows a dataset has and when it last changed.
pub async fn stats(s: Scope<'_>, d: &Dataset) -> AppResult<(i64, Option<String>)> {
    let modified_kind = d.field(d.modified).map(|f| f.kind);
    let (rows, latest) = match d.source {
        Source::Sql(sql) => {
            // Kept for a moment (`count_recent`): the page, the API and the
            // catalogue all ask, and many may ask at once.
            let args = [Arg::Int(s.process.id)];
            let rows = crate::db::count_recent(
                s.db,
                &format!("SELECT COUNT(*) AS n FROM ({sql}) d"),
                &args,
            )
            .await?;
            let latest = match modified_kind {
                Some(_) => {
                    crate::db::count_recent(
                        s.db,
                        &format!(
                            "SELECT COALESCE(MAX(d.{}), -1) AS n FROM ({sql}) d",
                            d.modified
                        ),
                        &args,
                    )
                    .await?
                }
                None => -1,
            };
            (rows, (latest >= 0).then_some(Value::from(latest)))
        }
        Source::Built(build) => {
            let rows = build(s).await?;
            let latest = rows
                .iter()
                .filter_map(|r| r.get(d.modified).and_then(Value::as_i64))
                .max();
            (rows.len() as i64, latest.map(Value::from))
        }
    };
    let modified = match (modified_kind, latest) {
        (Some(Kind::DateTime), Some(Value::Number(n))) => n.as_i64().and_then(rfc3339),
        _ => None,
    };
    Ok((rows, modified))
}

/// A value as a CSV cell: lists joined (ids by spaces, words by `; `),
/// booleans as `true`/`false`, nothing as an empty cell.
pub fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) => {
            let texts = items.iter().any(Value::is_string);
            items
                .iter()
                .map(cell)
                .collect::<Vec<_>>()
                .join(if texts { "; " } else { " " })
        }
        other => other.to_string(),
    }
}

/// Every dataset of a process with its rows and last change.
pub async fn described(s: Scope<'_>) -> AppResult<Vec<DatasetInfo>> {
    let mut out = Vec::new();
    for d in all() {
        out.push(info(d, Some(stats(s, d).await?)));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;

    #[test]
    fn every_dataset_is_described_in_both_languages() {
        let mut names = std::collections::BTreeSet::new();
        for d in all() {
            assert!(names.insert(d.name), "{} twice", d.name);
            assert_eq!(d.fields[0].name, "id", "{}: id first", d.name);
            let mut keys = vec![format!("data.{}", d.name), format!("data.{}.about", d.name)];
            keys.extend(
                d.fields
                    .iter()
                    .map(|f| format!("data.{}.{}", d.name, f.name)),
            );
            for l in [Locale::EsAr, Locale::En] {
                for k in &keys {
                    assert!(l.catalog().contains_key(k.as_str()), "{k} in {l:?}");
                }
            }
            for f in d.filters {
                if let Filter::Value { column, .. } = f {
                    assert!(!d.field(column).unwrap().values.is_empty(), "{column}");
                }
            }
            assert!(
                d.modified.is_empty() || d.field(d.modified).is_some(),
                "{}",
                d.name
            );
        }
    }

    #[test]
    fn sector_names_are_the_sectors() {
        use crate::accounts::model::Sector;
        assert_eq!(Sector::ALL.map(|s| s.as_str()), Sector::NAMES);
    }

    #[test]
    fn cells_read_plainly() {
        assert_eq!(cell(&serde_json::json!([1, 2, 3])), "1 2 3");
        assert_eq!(cell(&serde_json::json!(["a", "b"])), "a; b");
        assert_eq!(cell(&Value::Null), "");
        assert_eq!(cell(&serde_json::json!(true)), "true");
        assert_eq!(rfc3339(1_620_050_400).unwrap(), "2021-05-03T14:00:00Z");
    }
}
