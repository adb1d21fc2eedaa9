//! A sheet's consultation: published for comment with dates (and everyone who
//! took part notified), comments anchored to a field or milestone and refused
//! outside the dates, kept across versions, a reasoned response to each, and the
//! final sheet (with unanswered comments only when the team confirms).
use crate::commitments::{add_milestone, create, docx_text, editor, form_of, save, sheet, with};
use crate::roundtables::fixture;
use serde_json::Value;
use tests::{day, on_both_engines, TestApp, Visitor};

on_both_engines!(
    publishing_for_comment_tells_everyone_who_took_part,
    comments_are_refused_before_opening_and_after_closing,
    comments_keep_their_field_across_versions,
    every_comment_is_answered_before_the_final_sheet,
    no_comment_slips_past_the_final_publication,
    fields_render_a_safe_subset_of_markdown
);

/// Publishes the sheet's current version for comment.
async fn publish(team: &Visitor, id: &str, opens: &str, closes: &str) -> tests::Reply {
    team.call(
        "publish_for_comment",
        &[("id", id), ("opens_on", opens), ("closes_on", closes)],
    )
    .await
}

async fn comment(who: &Visitor, id: &str, anchor: &str, body: &str) -> tests::Reply {
    who.call(
        "post_comment",
        &[
            ("kind", "commitment"),
            ("subject_id", id),
            ("body", body),
            ("anchor", anchor),
        ],
    )
    .await
}

async fn comments(who: &Visitor, id: &str, anchor: &str) -> Value {
    who.call(
        "list_sheet_comments",
        &[("id", id), ("anchor", anchor), ("page", "1")],
    )
    .await
    .ok()
    .clone()
}

/// The body of the first email to `to` whose text holds `needle`.
async fn mail_with(app: &TestApp, to: &str, needle: &str) -> String {
    for _ in 0..200 {
        if let Some(m) = app
            .smtp
            .messages()
            .into_iter()
            .filter(|m| m.contains(to))
            .map(|m| tests::smtp::body_of(&m))
            .find(|b| b.contains(needle))
        {
            return m;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no message to {to} with {needle}");
}

async fn publishing_for_comment_tells_everyone_who_took_part(app: TestApp) {
    let f = fixture(&app).await;
    let (id, _) = sheet(&app, &f).await;
    // Bad dates change nothing.
    let r = publish(&f.team, &id, &day(3), &day(1)).await;
    assert_eq!(
        r.field_error("closes_on").as_deref(),
        Some("validation.end_before_start")
    );
    let r = publish(&f.team, &id, &day(-9), &day(-2)).await;
    assert_eq!(
        r.field_error("closes_on").as_deref(),
        Some("commitment.closes_in_past")
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM commitments WHERE state = 'draft'")
            .await,
        1
    );
    // Only the team publishes.
    let rita = app.participant("Rita 2", "rita2@example.org").await;
    assert_eq!(
        publish(&rita, &id, &day(0), &day(7)).await.status.as_u16(),
        403
    );

    publish(&f.team, &id, &day(0), &day(7)).await.ok();
    // Rita registered for the roundtable; Ana wrote the proposal it presented.
    for (email, name) in [("rita@example.org", "rita"), ("ana@example.org", "ana")] {
        let mail = mail_with(&app, email, &format!("/commitments/{id}")).await;
        assert!(mail.contains("ARBA0005"), "{name}: {mail}");
        assert!(
            mail.contains(&app::i18n::Locale::EsAr.tf(
                "consultation.period_span",
                &[
                    ("from", &app::i18n::Locale::EsAr.date(&day(0))),
                    ("to", &app::i18n::Locale::EsAr.date(&day(7)))
                ]
            )),
            "{name}: the period"
        );
    }
    let notified = app
        .count(
            "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id \
             WHERE n.kind = 'comment_period_opened' AND u.email IN ('rita@example.org', 'ana@example.org')",
        )
        .await;
    assert_eq!(notified, 2);
    // Now public, with its period.
    let public = app.visitor().call("commitment", &[("id", &id)]).await;
    let public = public.ok();
    assert_eq!(public["state"], "comment");
    assert_eq!(public["consultation"]["period"]["status"], "Open");
    assert_eq!(public["consultation"]["period"]["closes_on"], day(7));
    // Changing the dates tells nobody again.
    publish(&f.team, &id, &day(0), &day(9)).await.ok();
    assert_eq!(
        app.count("SELECT COUNT(*) FROM notifications WHERE kind = 'comment_period_opened'")
            .await,
        2
    );
    let public = app.visitor().call("commitment", &[("id", &id)]).await;
    assert_eq!(public.ok()["consultation"]["period"]["closes_on"], day(9));
}

async fn comments_are_refused_before_opening_and_after_closing(app: TestApp) {
    let f = fixture(&app).await;
    let (id, _) = sheet(&app, &f).await;
    let rita = app.participant("Rita 2", "rita2@example.org").await;
    // A draft takes no comments (and is not even there for others).
    assert_eq!(
        comment(&rita, &id, "problem", "Hola").await.status.as_u16(),
        404
    );
    publish(&f.team, &id, &day(2), &day(5)).await.ok();
    let r = comment(&rita, &id, "problem", "Demasiado pronto").await;
    assert_eq!(
        r.refused_key().as_deref(),
        Some("commitment.comments_not_open")
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM comments").await, 0);
    // The opening date arrives.
    sqlx::query("UPDATE commitments SET comment_opens_at = comment_opens_at - 864000")
        .execute(&app.db.pool)
        .await
        .unwrap();
    comment(&rita, &id, "problem", "Falta el censo de 2019.")
        .await
        .ok();
    // Signed out, an unknown field, a reply, or an empty body: refused, nothing saved.
    assert_eq!(
        comment(&app.visitor(), &id, "problem", "x")
            .await
            .status
            .as_u16(),
        401
    );
    let r = comment(&rita, &id, "nowhere", "x").await;
    assert_eq!(
        r.refused_key().as_deref(),
        Some("commitment.anchor_unknown")
    );
    let r = comment(&rita, &id, "problem", "  ").await;
    assert_eq!(
        r.field_error("body").as_deref(),
        Some("validation.required")
    );
    let first = app.count("SELECT MAX(id) FROM comments").await.to_string();
    let r = rita
        .call(
            "post_comment",
            &[
                ("kind", "commitment"),
                ("subject_id", &id),
                ("parent_id", &first),
                ("body", "Respuesta"),
                ("anchor", "problem"),
            ],
        )
        .await;
    assert_eq!(r.status.as_u16(), 400);
    assert_eq!(app.count("SELECT COUNT(*) FROM comments").await, 1);
    // The closing date passes.
    sqlx::query("UPDATE commitments SET comment_closes_at = comment_opens_at + 1")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let r = comment(&rita, &id, "problem", "Demasiado tarde").await;
    assert_eq!(
        r.refused_key().as_deref(),
        Some("commitment.comments_closed")
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM comments").await, 1);
    let public = app.visitor().call("commitment", &[("id", &id)]).await;
    assert_eq!(public.ok()["consultation"]["period"]["status"], "Closed");
}

async fn comments_keep_their_field_across_versions(app: TestApp) {
    let f = fixture(&app).await;
    let (id, _) = sheet(&app, &f).await;
    add_milestone(&f.team, &id, "1", "Censo publicado")
        .await
        .ok();
    publish(&f.team, &id, &day(0), &day(7)).await.ok();
    let rita = app.participant("Rita 2", "rita2@example.org").await;
    comment(&rita, &id, "m1", "¿Con qué frecuencia se actualiza?")
        .await
        .ok();
    comment(&rita, &id, "problem", "Falta el censo de 2019.")
        .await
        .ok();
    // The team edits the problem (v3) and removes the milestone (v4).
    let form = form_of(&editor(&f.team, &id).await);
    save(
        &f.team,
        &with(
            &form,
            &[("sheet[problem]", "Nadie sabe qué árboles hay desde 2019.")],
        ),
    )
    .await
    .ok();
    f.team
        .call(
            "remove_milestone",
            &[("id", &id), ("base_version", "3"), ("key", "m1")],
        )
        .await
        .ok();
    // A new milestone never takes the removed one's key (nor its comments).
    add_milestone(&f.team, &id, "4", "Informe anual").await.ok();
    let e = editor(&f.team, &id).await;
    assert_eq!(e["detail"]["sheet"]["milestones"][0]["key"], "m2");
    let all = comments(&app.visitor(), &id, "").await;
    assert_eq!(all["version"], 5);
    assert_eq!(all["page"]["total"], 2);
    let items = all["page"]["items"].as_array().unwrap();
    let on_milestone = &items[0];
    assert_eq!(on_milestone["comment"]["anchor"], "m1");
    assert_eq!(on_milestone["comment"]["version"], 2);
    assert_eq!(on_milestone["removed"], true);
    assert_eq!(on_milestone["milestone"], "Censo publicado");
    let on_problem = &items[1];
    assert_eq!(on_problem["comment"]["version"], 2);
    // Made on version 2, it cannot have been taken in by version 1.
    let r = f
        .team
        .call(
            "respond_to_comment",
            &[
                ("id", &id),
                ("comment_id", &on_problem["comment"]["id"].to_string()),
                ("outcome", "incorporated"),
                ("reason", "Ya estaba."),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(
        r.field_error("version").as_deref(),
        Some("response.version_before_comment")
    );
    // Sheet comments are read only through the sheet (which checks who may).
    let r = app
        .visitor()
        .call(
            "list_comments",
            &[("kind", "commitment"), ("subject_id", &id), ("page", "1")],
        )
        .await;
    assert_eq!(r.status.as_u16(), 404);
    assert_eq!(on_problem["field_label"], "sheet.problem");
    assert_eq!(on_problem["removed"], false);
    // One field's comments, and the count beside it on the sheet.
    let only = comments(&app.visitor(), &id, "problem").await;
    assert_eq!(only["page"]["total"], 1);
    let public = app.visitor().call("commitment", &[("id", &id)]).await;
    let counts = public.ok()["consultation"]["counts"]
        .as_array()
        .unwrap()
        .clone();
    assert!(
        counts.contains(&serde_json::json!(["problem", 1])),
        "{counts:?}"
    );
    // A comment on a removed milestone is kept and listed as such on the page.
    let (_, page) = app
        .visitor()
        .get(&format!("/commitments/{id}/comments"))
        .await;
    assert!(
        page.contains("Hito eliminado: Censo publicado"),
        "removed milestone shown"
    );
    assert!(page.contains("¿Con qué frecuencia se actualiza?"));
}

async fn every_comment_is_answered_before_the_final_sheet(app: TestApp) {
    let f = fixture(&app).await;
    let (id, roundtable) = sheet(&app, &f).await;
    publish(&f.team, &id, &day(0), &day(7)).await.ok();
    let rita = app.participant("Rita 2", "rita2@example.org").await;
    comment(&rita, &id, "problem", "Falta el censo de 2019.")
        .await
        .ok();
    comment(&rita, &id, "values", "También es participación.")
        .await
        .ok();
    let ids: Vec<String> = comments(&f.team, &id, "").await["page"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["comment"]["id"].to_string())
        .collect();
    // Unanswered comments stop the final sheet.
    let r = f.team.call("publish_final", &[("id", &id)]).await;
    assert_eq!(r.refused_key().as_deref(), Some("commitment.unanswered"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM commitments WHERE state = 'comment'")
            .await,
        1
    );
    // A response needs a reason, and (incorporated) the version that did it.
    let respond =
        |comment: String, outcome: &'static str, reason: &'static str, version: &'static str| {
            let team = &f.team;
            let id = id.clone();
            async move {
                team.call(
                    "respond_to_comment",
                    &[
                        ("id", &id),
                        ("comment_id", &comment),
                        ("outcome", outcome),
                        ("reason", reason),
                        ("version", version),
                    ],
                )
                .await
            }
        };
    let r = respond(ids[0].clone(), "incorporated", " ", "1").await;
    assert_eq!(
        r.field_error("reason").as_deref(),
        Some("validation.required")
    );
    // The error names the comment, so the page shows it at that comment's form.
    assert_eq!(r.body["Invalid"]["values"][0][1], ids[0].as_str());
    let r = respond(ids[0].clone(), "incorporated", "Se agregó.", "").await;
    assert_eq!(
        r.field_error("version").as_deref(),
        Some("response.version_required")
    );
    let r = respond(ids[0].clone(), "maybe", "Se agregó.", "1").await;
    assert_eq!(
        r.field_error("outcome").as_deref(),
        Some("validation.choice")
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM comment_responses").await, 0);
    // Not the commenter's to answer.
    assert_eq!(respond_as(&rita, &id, &ids[0]).await.status.as_u16(), 403);
    respond(
        ids[0].clone(),
        "incorporated",
        "Se agregó el censo de 2019.",
        "1",
    )
    .await
    .ok();
    // The commenter is told, in the app and by email.
    let mail = mail_with(
        &app,
        "rita2@example.org",
        &format!("/commitments/{id}/comments"),
    )
    .await;
    assert!(mail.contains("ARBA0005"), "{mail}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM notifications WHERE kind = 'comment_answered'")
            .await,
        1
    );
    // Changing a response tells nobody again.
    respond(ids[0].clone(), "partly", "Se agregó en parte.", "1")
        .await
        .ok();
    assert_eq!(
        app.count("SELECT COUNT(*) FROM notifications WHERE kind = 'comment_answered'")
            .await,
        1
    );
    // One still unanswered: refused unless the team confirms, and that is recorded.
    let r = f.team.call("publish_final", &[("id", &id)]).await;
    assert_eq!(r.refused_key().as_deref(), Some("commitment.unanswered"));
    f.team
        .call(
            "publish_final",
            &[("id", &id), ("confirm_unanswered", "on")],
        )
        .await
        .ok();
    let public = app.visitor().call("commitment", &[("id", &id)]).await;
    let public = public.ok();
    assert_eq!(public["state"], "final");
    // Publishing the final sheet ends the comment period.
    assert_eq!(public["consultation"]["period"]["status"], "Closed");
    assert_eq!(public["consultation"]["final_publication"]["unanswered"], 1);
    assert_eq!(public["consultation"]["tally"]["received"], 2);
    assert_eq!(public["consultation"]["tally"]["unanswered"], 1);
    assert!(public["consultation"]["tally"]["answered"]
        .as_array()
        .unwrap()
        .contains(&serde_json::json!(["partly", 1])));
    // The response is public with its reason; the final sheet takes no more.
    let listed = comments(&app.visitor(), &id, "problem").await;
    let response = &listed["page"]["items"][0]["response"];
    assert_eq!(response["outcome"], "partly");
    assert_eq!(response["reason"], "Se agregó en parte.");
    assert_eq!(response["version"], 1);
    let r = comment(&rita, &id, "problem", "¿Y ahora?").await;
    assert_eq!(
        r.refused_key().as_deref(),
        Some("commitment.comments_closed")
    );
    let r = respond(ids[1].clone(), "out_of_scope", "No corresponde.", "").await;
    assert_eq!(r.refused_key().as_deref(), Some("response.closed"));
    // The whole plan in one DOCX, from the process page (drafts stay out).
    create(&f, &roundtable, "arba0006").await.ok();
    let (_, process) = app.visitor().get(&format!("/processes/{}", f.slug)).await;
    assert!(process.contains(&format!("/processes/{}/plan.docx", f.slug)));
    assert!(process.contains(&format!("/processes/{}/plan.pdf", f.slug)));
    assert!(process.contains("ARBA0005"));
    let plan = docx_text(&app.visitor(), &format!("/processes/{}/plan.docx", f.slug)).await;
    assert!(plan.contains("Plan con mesas"));
    assert!(plan.contains("ARBA0005 · Mesa de Ambiente"));
    assert!(plan.contains("Definición del problema"));
    assert!(!plan.contains("ARBA0006"), "a draft is the team's");
}

async fn respond_as(who: &Visitor, id: &str, comment: &str) -> tests::Reply {
    who.call(
        "respond_to_comment",
        &[
            ("id", id),
            ("comment_id", comment),
            ("outcome", "out_of_scope"),
            ("reason", "x"),
        ],
    )
    .await
}

async fn fields_render_a_safe_subset_of_markdown(app: TestApp) {
    let f = fixture(&app).await;
    let (id, _) = sheet(&app, &f).await;
    let form = form_of(&editor(&f.team, &id).await);
    let hostile = "**Arbolado** sin *datos*.\n\n- uno\n- dos\n\n<script>alert(1)</script>\n\n\
                   [malo](javascript:alert(1)) [otro](JaVaScRiPt:alert(2)) [bueno](https://example.org/censo)\n\n\
                   ![foto](https://evil.example/x.png) <img src=x onerror=alert(3)>";
    save(&f.team, &with(&form, &[("sheet[problem]", hostile)]))
        .await
        .ok();
    publish(&f.team, &id, &day(0), &day(7)).await.ok();
    let (status, page) = app.visitor().get(&format!("/commitments/{id}")).await;
    assert_eq!(status.as_u16(), 200);
    let page = without_own_scripts(&page);
    // (Leptos marks the end of each text with `<!>` for hydration.)
    assert!(page.contains("<strong>Arbolado"), "bold rendered");
    assert!(page.contains("<em>datos"));
    assert!(page.contains("<li>uno"));
    assert!(page.contains("href=\"https://example.org/censo\""));
    for bad in [
        "<script>alert",
        "javascript:",
        "JaVaScRiPt:",
        "<img",
        "evil.example",
        "onerror=alert(3)>",
    ] {
        assert!(!page.contains(bad), "{bad} must not be in the page");
    }
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "raw HTML shown as text"
    );
}

/// The page without the app's own scripts (they carry the nonce and hold the
/// data for hydration as JSON); a script that came from user text has no nonce
/// and stays, so the checks below would see it.
fn without_own_scripts(page: &str) -> String {
    let mut out = String::new();
    let mut rest = page;
    while let Some(at) = rest.find("<script") {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let open_end = tail.find('>').unwrap_or(tail.len());
        if tail[..open_end].contains("nonce=") {
            let end = tail.find("</script>").map(|e| e + 9).unwrap_or(tail.len());
            rest = &tail[end..];
        } else {
            out.push_str("<script");
            rest = &tail[7..];
        }
    }
    out.push_str(rest);
    out
}

async fn no_comment_slips_past_the_final_publication(app: TestApp) {
    let f = fixture(&app).await;
    let (id, _) = sheet(&app, &f).await;
    publish(&f.team, &id, &day(0), &day(7)).await.ok();
    let mut people = Vec::new();
    for n in 0..12 {
        people.push(
            app.participant(&format!("P{n}"), &format!("p{n}@example.org"))
                .await,
        );
    }
    // Twelve comments race the final publication (confirmed with whatever is
    // unanswered): each is either counted as unanswered or refused.
    let mut racing = tokio::task::JoinSet::new();
    for p in people {
        let id = id.clone();
        racing.spawn(async move {
            let r = comment(&p, &id, "problem", "A último momento.").await;
            (r.status.is_success(), r.refused_key())
        });
    }
    let (team, sheet_id) = (f.team.clone(), id.clone());
    let finish = tokio::spawn(async move {
        team.call(
            "publish_final",
            &[("id", &sheet_id), ("confirm_unanswered", "on")],
        )
        .await
        .status
        .is_success()
    });
    let replies = racing.join_all().await;
    assert!(finish.await.unwrap(), "the final publication went through");
    let accepted = replies.iter().filter(|(ok, _)| *ok).count() as i64;
    for (_, key) in replies.iter().filter(|(ok, _)| !ok) {
        assert_eq!(key.as_deref(), Some("commitment.comments_closed"));
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM comments").await, accepted);
    assert_eq!(
        app.count("SELECT final_unanswered FROM commitments WHERE state = 'final'")
            .await,
        accepted
    );
}
