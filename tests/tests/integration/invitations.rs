//! Invitations by theme: the team picks organizations by axis of interest and
//! sector and invites them to a roundtable or the process; each gets a mail
//! with a personal link good for one person; the team follows each from sent
//! to opened to registered, and the figures by sector say how many were
//! invited and took part.
use crate::roundtables::{fixture, schedule};
use crate::survey::approved_organization;
use tests::{on_both_engines, TestApp, Visitor};

on_both_engines!(the_team_invites_by_theme_and_follows_each_invitation);

async fn desk(team: &Visitor, slug: &str, sector: &str, axis: &str) -> tests::Reply {
    team.call(
        "invitation_desk",
        &[
            ("slug", slug),
            ("sector", sector),
            ("axis", axis),
            ("page", "1"),
            ("sent_page", "1"),
        ],
    )
    .await
}

fn names(d: &serde_json::Value, list: &str, field: &str) -> Vec<String> {
    let mut v: Vec<String> = d[list]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o[field].as_str().unwrap().to_string())
        .collect();
    v.sort();
    v
}

/// The state of the invitation of `organization`.
fn state_of(d: &serde_json::Value, organization: &str) -> String {
    d["invitations"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["organization"] == organization)
        .map(|i| i["state"].as_str().unwrap().to_string())
        .unwrap_or_default()
}

async fn the_team_invites_by_theme_and_follows_each_invitation(app: TestApp) {
    let f = fixture(&app).await;
    let roundtable = schedule(&app, &f, "10").await;
    let axis = app
        .count("SELECT id FROM process_axes WHERE name = 'Ambiente'")
        .await;
    let team = f.team.clone();
    let rep = app.participant("Renata Paz", "renata@example.org").await;
    let acij = approved_organization(
        &app,
        &team,
        &rep,
        "ACIJ",
        "civil_society",
        "c@acij.example",
        &[axis],
    )
    .await;
    let uni = approved_organization(
        &app,
        &team,
        &rep,
        "Universidad",
        "academia",
        "c@uni.example",
        &[axis],
    )
    .await;
    approved_organization(
        &app,
        &team,
        &rep,
        "Otra",
        "private_sector",
        "c@otra.example",
        &[],
    )
    .await;
    let axis = axis.to_string();

    // Picked by interest and by sector; only the team.
    let d = desk(&team, &f.slug, "", &axis).await.ok().clone();
    assert_eq!(names(&d, "candidates", "name"), ["ACIJ", "Universidad"]);
    let d = desk(&team, &f.slug, "academia", &axis).await.ok().clone();
    assert_eq!(names(&d, "candidates", "name"), ["Universidad"]);
    assert_eq!(desk(&rep, &f.slug, "", "0").await.status, 403);
    assert_eq!(desk(&app.visitor(), &f.slug, "", "0").await.status, 401);
    let send = |who: Visitor, target: String, orgs: Vec<String>| {
        let slug = f.slug.clone();
        async move {
            let mut form = vec![("slug", slug.clone()), ("roundtable_id", target)];
            form.extend(orgs.into_iter().map(|o| ("organization_ids[]", o)));
            let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            who.call("send_invitations", &pairs).await
        }
    };
    assert_eq!(
        send(rep.clone(), roundtable.clone(), vec![acij.clone()])
            .await
            .status,
        403
    );
    assert_eq!(
        send(team.clone(), "999999".into(), vec![acij.clone()])
            .await
            .refused_key()
            .as_deref(),
        Some("invitations.unknown_roundtable")
    );
    let both = vec![acij.clone(), uni.clone()];
    assert_eq!(
        send(team.clone(), roundtable.clone(), both.clone())
            .await
            .ok(),
        2
    );
    assert_eq!(send(team.clone(), roundtable.clone(), both).await.ok(), 0);
    assert_eq!(
        send(team.clone(), "0".into(), vec![acij.clone()])
            .await
            .ok(),
        1
    );

    // Each gets its own link; the outbox keeps none once sent.
    let mail = app.smtp.wait_for("c@uni.example").await;
    let body = tests::smtp::body_of(&mail);
    assert!(
        body.contains("Universidad") && body.contains("Mesa de Ambiente"),
        "{body}"
    );
    let token = body
        .split("token=")
        .nth(1)
        .and_then(|t| t.split_whitespace().next())
        .expect("the personal link")
        .to_string();
    let mut sent = String::new();
    for _ in 0..100 {
        sent = state_of(desk(&team, &f.slug, "", "0").await.ok(), "Universidad");
        if sent == "Sent" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(sent, "Sent");
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM outbox WHERE to_addr = 'c@uni.example' AND body LIKE '%token=%'"
        )
        .await,
        0
    );

    // A guessed link does nothing; opening the real one is recorded.
    let guessed = "A".repeat(token.len());
    let visitor = app.visitor();
    for endpoint in ["open_invitation", "take_up_invitation"] {
        let r = rep.call(endpoint, &[("token", &guessed)]).await;
        assert_eq!(
            r.refused_key().as_deref(),
            Some("invitations.unknown"),
            "{endpoint}"
        );
    }
    let opened = visitor.call("open_invitation", &[("token", &token)]).await;
    assert_eq!(opened.ok()["organization"], "Universidad");
    assert_eq!(opened.ok()["roundtable"][1], "Mesa de Ambiente");
    assert_eq!(
        state_of(desk(&team, &f.slug, "", "0").await.ok(), "Universidad"),
        "Opened"
    );
    let (status, page) = visitor
        .get(&format!("/invitations/open?token={token}"))
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("Universidad"));
    assert_eq!(
        visitor
            .call("take_up_invitation", &[("token", &token)])
            .await
            .status,
        401
    );

    // One person registers through it (a seat at the roundtable); the link is
    // then spent for anyone else.
    let pia = app.participant("Pía", "pia@example.org").await;
    let went = pia.call("take_up_invitation", &[("token", &token)]).await;
    assert_eq!(
        went.ok(),
        &serde_json::json!(format!("/roundtables/{roundtable}"))
    );
    assert_eq!(
        pia.call("take_up_invitation", &[("token", &token)])
            .await
            .status,
        200
    );
    let seats = "SELECT COUNT(*) FROM roundtable_registrations g JOIN users u ON u.id = g.user_id \
                 WHERE u.email = '{who}' AND g.status = 'registered'";
    assert_eq!(
        app.count(&seats.replace("{who}", "pia@example.org")).await,
        1
    );
    let quique = app.participant("Quique", "quique@example.org").await;
    let reused = quique
        .call("take_up_invitation", &[("token", &token)])
        .await;
    assert_eq!(reused.refused_key().as_deref(), Some("invitations.unknown"));
    assert_eq!(
        app.count(&seats.replace("{who}", "quique@example.org"))
            .await,
        0
    );

    let d = desk(&team, &f.slug, "", "0").await.ok().clone();
    assert_eq!(state_of(&d, "Universidad"), "Registered");
    assert_eq!(d["invitations"]["total"], 3);
    let by_state: Vec<(String, i64)> = d["by_state"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s[0].as_str().unwrap().to_string(), s[1].as_i64().unwrap()))
        .collect();
    assert!(by_state.contains(&("Registered".into(), 1)), "{by_state:?}");

    // Figures by sector, on the team's page and the public process page.
    let figures = visitor
        .call("outreach_figures", &[("slug", &f.slug)])
        .await
        .ok()
        .clone();
    let row = |sector: serde_json::Value| {
        figures
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["sector"] == sector)
            .map(|r| {
                (
                    r["invited"].as_i64().unwrap(),
                    r["took_part"].as_i64().unwrap(),
                )
            })
    };
    assert_eq!(row(serde_json::json!("Academia")), Some((1, 1)));
    assert_eq!(row(serde_json::json!("CivilSociety")), Some((1, 0)));
    assert_eq!(row(serde_json::json!("PrivateSector")), None);
    assert_eq!(row(serde_json::Value::Null), Some((2, 1)));
    assert_eq!(d["by_sector"], figures);
    let (_, page) = visitor.get(&format!("/processes/{}", f.slug)).await;
    assert!(
        page.contains("¿Quiénes participaron?"),
        "the public figures"
    );
    let (status, page) = team
        .get(&format!("/processes/{}/invitations", f.slug))
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("Se registraron") && page.contains("Universidad"));
    assert!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'invitation.send'")
            .await
            >= 3
    );
}
