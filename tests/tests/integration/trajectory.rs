//! Traceability both ways: a proposal's trajectory shows, with dates, its
//! agency's answer, the roundtable where it was presented and the topic chosen
//! there, the commitment it fed, that sheet's consultation and publication and
//! the progress published on it — and nothing the public may not see (held
//! answers, drafts, unpublished progress, a hidden proposal). A commitment shows
//! the proposals, roundtable, board notes and vote it came from.
use crate::boards::{option_ids, vote};
use crate::monitoring::final_commitment;
use crate::roundtables::{fixture, register};
use reqwest::StatusCode;
use serde_json::Value;
use tests::{on_both_engines, TestApp, Visitor};

on_both_engines!(
    a_proposal_shows_its_whole_path_with_dates,
    a_commitment_shows_where_it_came_from
);

async fn trajectory(who: &Visitor, id: &str) -> Value {
    who.call("proposal_trajectory", &[("id", id)])
        .await
        .ok()
        .clone()
}

/// The kind of each step, in order.
fn kinds(t: &Value) -> Vec<String> {
    t["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let (kind, body) = s.as_object().unwrap().iter().next().unwrap();
            match kind.as_str() {
                "Proposal" => format!("proposal.{}", body["event"].as_str().unwrap()),
                other => other.to_string(),
            }
        })
        .collect()
}

fn dates(t: &Value) -> Vec<String> {
    t["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let body = s.as_object().unwrap().values().next().unwrap();
            body["on"].as_str().unwrap().to_string()
        })
        .collect()
}

async fn a_proposal_shows_its_whole_path_with_dates(app: TestApp) {
    let f = fixture(&app).await;
    let (id, keys) = final_commitment(&app, &f).await;
    // The proposal came in and was answered last month; the roundtable met last week.
    for sql in [
        "UPDATE proposal_events SET at = at - 30 * 86400",
        "UPDATE roundtables SET starts_at = starts_at - 7 * 86400",
    ] {
        sqlx::query(sql).execute(&app.db.pool).await.unwrap();
    }
    // A second sheet from the same roundtable, still the team's draft.
    let roundtable = app
        .count("SELECT roundtable_id FROM commitments LIMIT 1")
        .await
        .to_string();
    crate::commitments::create(&f, &roundtable, "borr0001")
        .await
        .ok();
    // Progress on both milestones; only the first is published.
    crate::monitoring::progress_with_one_published(&app, &f, &id, &keys).await;

    let public = app.visitor();
    let t = trajectory(&public, &f.presentable).await;
    assert_eq!(t["title"], "Arbolado abierto");
    assert_eq!(
        kinds(&t),
        [
            "proposal.submitted",
            "proposal.assigned",
            "proposal.answered",
            "Presented",
            "CommentPeriod",
            "Final",
            "Milestone"
        ]
    );
    let mut sorted = dates(&t);
    sorted.sort();
    assert_eq!(dates(&t), sorted, "steps run by date");
    let milestone = &t["steps"][6]["Milestone"];
    assert_eq!(milestone["progress"], "complete");
    assert_eq!(milestone["milestone"], "Censo publicado");
    assert_eq!(t["roundtables"][0]["title"], "Mesa de Ambiente");
    assert_eq!(t["roundtables"][0]["held"], true);
    // The draft stays the team's; the final sheet carries its progress.
    let commitments = t["commitments"].as_array().unwrap();
    assert_eq!(commitments.len(), 1);
    assert_eq!(commitments[0]["code"], "ARBA0005");
    assert_eq!(commitments[0]["state"], "final");
    assert_eq!(commitments[0]["standing"]["reported"], 1);
    assert_eq!(commitments[0]["standing"]["percent"], 50);
    // The proposal page's summary asks for where it stands alone: the same
    // roundtables and commitments, without the dated steps.
    let standing = public
        .call(
            "proposal_trajectory",
            &[("id", f.presentable.as_str()), ("depth", "standing")],
        )
        .await
        .ok()
        .clone();
    assert!(standing["steps"].as_array().unwrap().is_empty());
    assert_eq!(standing["roundtables"], t["roundtables"]);
    assert_eq!(standing["commitments"], t["commitments"]);
    assert_eq!(
        public
            .call(
                "proposal_trajectory",
                &[("id", f.presentable.as_str()), ("depth", "everything")],
            )
            .await
            .status,
        StatusCode::BAD_REQUEST
    );

    // The proposal page links its path: the roundtable, the commitment, the trajectory.
    let (status, page) = public.get(&format!("/proposals/{}", f.presentable)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&format!("/proposals/{}/trajectory", f.presentable)));
    assert!(page.contains("ARBA0005"));
    assert!(page.contains("Mesa de Ambiente"));
    assert!(!page.contains("BORR0001"));
    let (status, page) = public
        .get(&format!("/proposals/{}/trajectory", f.presentable))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Censo publicado"));
    assert!(
        !page.contains("Datos abiertos del arbolado: "),
        "unpublished progress stays out"
    );

    // A proposal still waiting for its answer has walked only the first steps.
    let t = trajectory(&public, &f.pending).await;
    assert_eq!(kinds(&t), ["proposal.submitted", "proposal.assigned"]);
    assert!(t["commitments"].as_array().unwrap().is_empty());

    // Hidden by moderation: nothing of it, on either page.
    sqlx::query("UPDATE proposals SET hidden = 1 WHERE id = $1")
        .bind(f.presentable.parse::<i64>().unwrap())
        .execute(&app.db.pool)
        .await
        .unwrap();
    for depth in ["steps", "standing"] {
        let t = public
            .call(
                "proposal_trajectory",
                &[("id", f.presentable.as_str()), ("depth", depth)],
            )
            .await
            .ok()
            .clone();
        assert_eq!(t["hidden"], true);
        assert_eq!(t["title"], "");
        assert!(t["steps"].as_array().unwrap().is_empty());
        assert!(t["commitments"].as_array().unwrap().is_empty());
        assert!(t["roundtables"].as_array().unwrap().is_empty());
    }
    let (_, page) = public
        .get(&format!("/proposals/{}/trajectory", f.presentable))
        .await;
    assert!(!page.contains("Arbolado abierto"));
    assert_eq!(
        public
            .call("proposal_trajectory", &[("id", "999999")])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

async fn a_commitment_shows_where_it_came_from(app: TestApp) {
    let f = fixture(&app).await;
    let (id, _) = final_commitment(&app, &f).await;
    let roundtable = app
        .count("SELECT roundtable_id FROM commitments LIMIT 1")
        .await
        .to_string();
    // The roundtable votes its topic: one participant, one dot on "Datos".
    f.team
        .call(
            "open_vote",
            &[
                ("roundtable_id", roundtable.as_str()),
                ("options", "Podas\nDatos"),
                ("per_person", "1"),
            ],
        )
        .await
        .ok();
    let phase = |p: &'static str| {
        [
            ("roundtable_id", roundtable.clone()),
            ("phase", p.to_string()),
        ]
    };
    for p in ["vote", "closed"] {
        if p == "closed" {
            let bruno = app.participant("Bruno", "bruno@example.org").await;
            register(&bruno, &roundtable).await;
            let options = option_ids(&vote(&bruno, &roundtable).await);
            bruno
                .call("cast_dot", &[("option_id", &options[1])])
                .await
                .ok();
        }
        let form = phase(p);
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        f.team.call("roundtable_phase", &form).await.ok();
    }

    let public = app.visitor();
    let c = public.call("commitment", &[("id", &id)]).await.ok().clone();
    assert_eq!(c["roundtable"][1], "Mesa de Ambiente");
    assert_eq!(c["proposals"][0][1], "Arbolado abierto");
    let origin = &c["origin"];
    assert_eq!(origin["chosen_topic"], "Datos");
    assert!(origin["roundtable_on"].as_str().unwrap().len() == 10);
    let notes: Vec<&str> = origin["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["body"].as_str().unwrap())
        .collect();
    assert!(notes.contains(&"Nadie sabe qué árboles hay."), "{notes:?}");
    let (status, page) = public.get(&format!("/commitments/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    for text in [
        "Nadie sabe qué árboles hay.",
        "Tema elegido: Datos",
        "Arbolado abierto",
        &format!("/proposals/{}/trajectory", f.presentable),
    ] {
        assert!(page.contains(text), "{text}");
    }
}
