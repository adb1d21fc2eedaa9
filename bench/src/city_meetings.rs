//! The meetings of a city-sized process, for `city`: roundtables with notes on
//! their boards, and commitment sheets out for comment with their comments,
//! written through the app's store functions.
use anyhow::{Context, Result};
use app::comments::model::SubjectKind;
use app::db::Db;
use std::time::{SystemTime, UNIX_EPOCH};

pub const ROUNDTABLES: usize = 50;
pub const NOTES_PER_BOARD: usize = 40;
pub const COMMITMENTS: usize = 10;
pub const COMMENTS_PER_SHEET: usize = 100;

/// One roundtable and one sheet to measure.
pub struct Meetings {
    pub roundtable: i64,
    pub commitment: i64,
}

/// `proposals` are (id, author) of the process's proposals; `people` write the
/// notes and comments; `team` creates the roundtables and sheets.
pub async fn fill(
    db: &Db,
    process_id: i64,
    proposals: &[(i64, i64)],
    people: &[i64],
    team: i64,
) -> Result<Meetings> {
    let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs() as i64;
    let err = |e: app::error::AppError| anyhow::anyhow!("{e:?}");
    let mut roundtables = Vec::with_capacity(ROUNDTABLES);
    for i in 0..ROUNDTABLES {
        let presented = [
            proposals[i * 7 % proposals.len()].0,
            proposals[(i * 7 + 3) % proposals.len()].0,
        ];
        let new = app::roundtables::store::NewRoundtable {
            process_id,
            axis_id: None,
            title: format!("Mesa de trabajo {}", i + 1),
            description: "Mesa temática del benchmark.".into(),
            starts_at: now - (ROUNDTABLES - i) as i64 * 86_400,
            utc_offset_minutes: -180,
            duration_minutes: 120,
            video_url: String::new(),
            capacity: 60,
            agency_ids: vec![],
            proposal_ids: presented.to_vec(),
        };
        // No one follows the generated axes: the address only goes into notifications.
        let id = app::roundtables::store::create(db, "http://127.0.0.1", &new, team)
            .await
            .map_err(err)?;
        // Board 1's questions column.
        let column: i64 = sqlx::query_scalar(
            "SELECT c.id FROM board_columns c JOIN boards b ON b.id = c.board_id \
             WHERE b.roundtable_id = $1 AND b.number = 1 ORDER BY c.position LIMIT 1 OFFSET 1",
        )
        .bind(id)
        .fetch_one(&db.pool)
        .await?;
        for n in 0..NOTES_PER_BOARD {
            let author = people[(i * NOTES_PER_BOARD + n) % people.len()];
            let body = format!(
                "Pregunta {n} de la mesa {}: ¿cómo se mide el avance?",
                i + 1
            );
            app::boards::store::add_note(db, column, author, &body, None)
                .await
                .map_err(err)?;
        }
        roundtables.push(id);
    }
    let mut sheets = Vec::with_capacity(COMMITMENTS);
    for (i, &roundtable) in roundtables.iter().take(COMMITMENTS).enumerate() {
        use app::commitments::{consultation_store as consultation, store};
        let id = store::create_from_roundtable(db, roundtable, &format!("C{}", i + 1), team)
            .await
            .map_err(err)?
            .context("commitment code taken")?;
        let mut sheet = store::sheet_at(db, id, 1)
            .await
            .map_err(err)?
            .context("sheet")?;
        sheet.set_text(
            "solution",
            "Publicar los datos en formatos abiertos, con una mesa de seguimiento.".into(),
        );
        let version = match store::save(db, id, 1, &sheet, "Primera redacción", team)
            .await
            .map_err(err)?
        {
            store::Saved::Version(n) => n,
            store::Saved::Stale(_) => anyhow::bail!("sheet {id} changed while filling"),
        };
        let day = |at: i64| {
            let d = time::OffsetDateTime::from_unix_timestamp(at).map(|t| t.date());
            d.map(|d| format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day()))
        };
        let (opens, closes) = (now - 86_400, now + 30 * 86_400);
        consultation::publish_for_comment(
            db,
            "http://127.0.0.1",
            id,
            version,
            opens,
            closes,
            (&day(opens)?, &day(closes)?),
        )
        .await
        .map_err(err)?;
        for c in 0..COMMENTS_PER_SHEET {
            let body = format!("Comentario {c}: sugiero sumar un indicador de uso de los datos.");
            let new = app::comments::store::NewComment {
                kind: SubjectKind::Commitment,
                subject_id: id,
                parent: None,
                author_id: people[(i * COMMENTS_PER_SHEET + c) % people.len()],
                body: &body,
                show_author_name: c % 2 == 0,
                anchor: Some(if c % 3 == 0 { "title" } else { "solution" }),
                version: Some(version),
            };
            app::comments::store::create(db, &new).await.map_err(err)?;
        }
        sheets.push(id);
    }
    Ok(Meetings {
        roundtable: roundtables[ROUNDTABLES / 2],
        commitment: sheets[COMMITMENTS / 2],
    })
}
