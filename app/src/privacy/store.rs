//! (ssr) The person's data from every module, and its deletion in one
//! transaction. Each module reads and forgets its own tables.
use crate::db::Db;
use crate::error::AppResult;

/// Everything stored about the person and everything they wrote, as one JSON
/// document (never a password hash or a token).
pub async fn export(db: &Db, user_id: i64) -> AppResult<serde_json::Value> {
    Ok(serde_json::json!({
        "format": "cocrea personal data, version 1",
        "generated_at": crate::db::now(),
        "account": crate::accounts::store::personal_data(db, user_id).await?,
        "proposals": crate::proposals::store::personal_data(db, user_id).await?,
        "comments": crate::comments::store::personal_data(db, user_id).await?,
        "roundtables": crate::roundtables::store::personal_data(db, user_id).await?,
        "boards": crate::boards::store::personal_data(db, user_id).await?,
        "reports": crate::moderation::store::personal_data(db, user_id).await?,
        "notifications": crate::notifications::store::personal_data(db, user_id).await?,
        "endorsements": crate::endorsements::store::personal_data(db, user_id).await?,
        "monitoring_bodies": crate::evaluation::store::personal_data(db, user_id).await?,
        "organizations_registered": crate::stakeholders::store::personal_data(db, user_id).await?,
        "survey_responses": crate::survey::store::personal_data(db, user_id).await?,
        "followed_axes": crate::processes::store::personal_data(db, user_id).await?,
    }))
}

/// Deletes the account's personal data; what the public record needs
/// (proposals with their answers, comments, notes, attendance) stays, shown as
/// written by an anonymous person. The audit log records the deletion without
/// the data.
pub async fn delete(db: &Db, user_id: i64) -> AppResult<()> {
    let mut tx = db.begin_write().await?;
    crate::proposals::store::forget(&mut tx, user_id).await?;
    crate::comments::store::forget(&mut tx, user_id).await?;
    crate::notifications::store::forget(&mut tx, user_id).await?;
    let addresses = crate::accounts::store::addresses(&mut tx, user_id).await?;
    crate::mail::forget(&mut tx, &addresses).await?;
    crate::stakeholders::store::forget(&mut tx, user_id, &addresses).await?;
    crate::survey::store::forget(&mut tx, user_id).await?;
    crate::invitations::store::forget(&mut tx, user_id).await?;
    crate::announcements::store::forget(&mut tx, &addresses).await?;
    crate::processes::store::forget(&mut tx, user_id).await?;
    crate::accounts::store::forget(&mut tx, user_id).await?;
    crate::boards::store::forget(&mut tx, user_id).await?;
    crate::endorsements::store::forget(&mut tx, user_id).await?;
    crate::evaluation::store::forget(&mut tx, user_id).await?;
    let subject = format!("user:{user_id}");
    crate::accounts::store::audit_with(&mut *tx, Some(user_id), "account.delete", &subject, "")
        .await?;
    tx.commit().await?;
    Ok(())
}
