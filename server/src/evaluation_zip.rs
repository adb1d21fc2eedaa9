//! The whole of a process for its monitoring body: one zip with a CSV
//! and a JSON file per dataset (each stage names its own, see the
//! `EVALUATOR_DATA` of their stores), the co-creation report and a README.
//! Names only as published; no email address anywhere.
use app::db::Db;
use app::error::AppResult;
use app::i18n::Locale;
use app::processes::model::ProcessDetail;

/// Every stage's datasets, in the order of the process.
const DATASETS: &[&[(&str, &str)]] = &[
    app::proposals::store::EVALUATOR_DATA,
    app::feasibility::store::EVALUATOR_DATA,
    app::roundtables::store::EVALUATOR_DATA,
    app::boards::store::EVALUATOR_DATA,
    app::commitments::store::EVALUATOR_DATA,
    app::commitments::consultation_store::EVALUATOR_DATA,
    app::monitoring::store::EVALUATOR_DATA,
    app::endorsements::store::EVALUATOR_DATA,
    app::evaluation::store::EVALUATOR_DATA,
];

pub async fn build(db: &Db, p: &ProcessDetail, today: &str, locale: Locale) -> AppResult<Vec<u8>> {
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut readme = locale.tf(
        "evaluation.readme",
        &[("process", &p.title), ("date", today)],
    );
    for (name, sql) in DATASETS.iter().flat_map(|d| d.iter()) {
        let rows = app::db::json_rows(db, sql, p.id).await?;
        let header: Vec<String> = rows
            .first()
            .map(|r| r.keys().cloned().collect())
            .unwrap_or_default();
        let cell = |v: &serde_json::Value| match v {
            serde_json::Value::Null => String::new(),
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let csv = app::documents::csv(
            std::iter::once(header.clone()).chain(
                rows.iter()
                    .map(|r| header.iter().map(|h| cell(&r[h])).collect::<Vec<_>>()),
            ),
        );
        readme += &format!("\n- {name}.csv / {name}.json ({})", rows.len());
        files.push((format!("{name}.csv"), csv.into_bytes()));
        files.push((
            format!("{name}.json"),
            serde_json::to_vec_pretty(&rows).unwrap_or_default(),
        ));
    }
    let report = app::report::store::report(db, p, today).await?;
    files.push((
        "informe.json".into(),
        app::report::export::json(&report).into_bytes(),
    ));
    files.push(("LEEME.txt".into(), readme.into_bytes()));
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    Ok(app::documents::zip(&refs))
}
