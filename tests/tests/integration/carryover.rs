//! Carry-over to the next co-creation instance: the team brings in proposals
//! of an earlier process that were not taken up, chosen by verdict, axis or
//! lack of an answer; a proposal that fed a sheet, a hidden one, or one already
//! carried never comes; each new proposal keeps its author and links to its
//! history both ways; its author is told in the app and by email.
use crate::roundtables::fixture;
use reqwest::StatusCode;
use serde_json::Value;
use tests::{on_both_engines, TestApp, Visitor};

on_both_engines!(proposals_not_taken_up_carry_over_with_their_history);

async fn candidates(who: &Visitor, to: &str, from: &str, filter: &[(&str, &str)]) -> Vec<String> {
    let mut form = vec![("slug", to), ("from", from)];
    form.extend_from_slice(filter);
    who.call("carry_over_candidates", &form).await.ok()["candidates"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["title"].as_str().unwrap().to_string())
        .collect()
}

async fn history(who: &Visitor, id: &str) -> Vec<Value> {
    who.call("proposal", &[("id", id)]).await.ok()["history"]
        .as_array()
        .unwrap()
        .clone()
}

async fn proposals_not_taken_up_carry_over_with_their_history(app: TestApp) {
    let f = fixture(&app).await;
    // The presentable proposal fed a sheet; another was found not feasible;
    // another was hidden by moderation; "Huertas comunitarias" has no answer.
    let (_, roundtable) = crate::commitments::sheet(&app, &f).await;
    let _ = roundtable;
    let ana = app.participant("Ana B", "ana.b@example.org").await;
    let axis = app.count("SELECT MIN(id) FROM process_axes").await;
    let rejected = ana
        .submit_proposal(&f.slug, "Bicicletas compartidas", axis, &[])
        .await
        .to_string();
    let hidden = ana
        .submit_proposal(&f.slug, "Propuesta oculta", axis, &[])
        .await
        .to_string();
    sqlx::query("UPDATE proposals SET hidden = 1 WHERE id = $1")
        .bind(hidden.parse::<i64>().unwrap())
        .execute(&app.db.pool)
        .await
        .unwrap();
    f.team
        .call(
            "assign_proposals",
            &[
                ("slug", &f.slug),
                ("proposal_ids[]", &rejected),
                ("agency_ids[]", &f.agency),
                ("due_on", &tests::day(5)),
                ("note", ""),
            ],
        )
        .await
        .ok();
    f.member
        .call(
            "answer_proposal",
            &[
                ("proposal_id", &rejected),
                ("agency_id", &f.agency),
                ("verdict", "not_feasible"),
                ("willing", "no"),
                ("public_answer", "No es posible este año."),
                ("private_notes", ""),
                ("version", "0"),
            ],
        )
        .await
        .ok();
    let (next, next_axes) = app
        .open_process("Segunda instancia", &["Gobierno abierto"])
        .await;
    let next_axis = next_axes[0].to_string();

    // Only the team; candidates are what was not taken up.
    let resident = app.participant("Vecina", "vecina@example.org").await;
    for who in [&resident, &f.member] {
        let r = who
            .call(
                "carry_over_candidates",
                &[("slug", &next), ("from", &f.slug)],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    }
    let mut all = candidates(&f.team, &next, &f.slug, &[]).await;
    all.sort();
    assert_eq!(all, ["Bicicletas compartidas", "Huertas comunitarias"]);
    assert_eq!(
        candidates(&f.team, &next, &f.slug, &[("verdict", "not_feasible")]).await,
        ["Bicicletas compartidas"]
    );
    assert_eq!(
        candidates(&f.team, &next, &f.slug, &[("unanswered", "on")]).await,
        ["Huertas comunitarias"]
    );

    // Carried: the taken-up and the hidden ones are left where they are.
    let carry = |ids: Vec<String>| {
        let (next, slug, axis) = (next.clone(), f.slug.clone(), next_axis.clone());
        let team = f.team.clone();
        async move {
            let mut form = vec![
                ("slug", next.as_str()),
                ("from", slug.as_str()),
                ("axis_id", axis.as_str()),
            ];
            for id in &ids {
                form.push(("proposal_ids[]", id.as_str()));
            }
            team.call("carry_over", &form).await
        }
    };
    let r = carry(vec![
        rejected.clone(),
        f.presentable.clone(),
        hidden.clone(),
    ])
    .await;
    assert_eq!(r.ok(), &serde_json::json!(1));
    assert_eq!(
        carry(vec![rejected.clone()]).await.ok(),
        &serde_json::json!(0),
        "never twice"
    );
    assert_eq!(
        candidates(&f.team, &next, &f.slug, &[]).await,
        ["Huertas comunitarias"]
    );
    let carried = app
        .count(&format!(
            "SELECT to_id FROM proposal_carryovers WHERE from_id = {rejected}"
        ))
        .await
        .to_string();
    let public = app.visitor();
    let new = public
        .call("proposal", &[("id", &carried)])
        .await
        .ok()
        .clone();
    assert_eq!(new["summary"]["title"], "Bicicletas compartidas");
    assert_eq!(new["process_slug"], next.as_str());
    assert_eq!(
        app.count(&format!(
            "SELECT author_id FROM proposals WHERE id = {carried}"
        ))
        .await,
        app.count("SELECT id FROM users WHERE email = 'ana.b@example.org'")
            .await
    );
    // Linked both ways in the public histories, and on the trajectory.
    let events = history(&public, &carried).await;
    assert!(events
        .iter()
        .any(|e| e["event"] == "carried_in" && e["detail"] == rejected.as_str()));
    let events = history(&public, &rejected).await;
    assert!(events
        .iter()
        .any(|e| e["event"] == "carried_over" && e["detail"] == carried.as_str()));
    let (_, page) = public.get(&format!("/proposals/{rejected}")).await;
    assert!(page.contains(&format!("href=\"/proposals/{carried}\"")));
    let (_, page) = public
        .get(&format!("/proposals/{carried}/trajectory"))
        .await;
    assert!(page.contains(&format!("href=\"/proposals/{rejected}\"")));
    // The author is told, in the app and by email.
    let notices = ana
        .call("notifications", &[("page", "1")])
        .await
        .ok()
        .to_string();
    assert!(
        notices.contains("CarriedOver") && notices.contains("Segunda instancia"),
        "{notices}"
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM outbox WHERE to_addr = 'ana.b@example.org' \
             AND subject LIKE '%Segunda instancia%'"
        )
        .await,
        1
    );
    // A bad axis or nothing chosen is refused and carries nothing.
    let r = f
        .team
        .call(
            "carry_over",
            &[
                ("slug", &next),
                ("from", &f.slug),
                ("axis_id", &axis.to_string()),
            ],
        )
        .await;
    assert_eq!(
        r.field_error("axis_id").as_deref(),
        Some("validation.choice")
    );
    assert_eq!(
        r.field_error("proposal_ids").as_deref(),
        Some("carryover.none_chosen")
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM proposal_carryovers").await,
        1
    );
}
