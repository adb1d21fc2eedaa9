//! The roundtable boards: who writes, locking, and the live stream with its
//! snapshot and replay of missed events.
use crate::roundtables::{fixture, register, schedule, Fixture};
use serde_json::Value;
use std::time::Duration;
use tests::{on_both_engines, TestApp, Visitor};

on_both_engines!(
    registered_agency_and_team_write_others_do_not,
    a_locked_board_refuses_writes,
    reconnect_receives_exactly_the_missed_events,
    private_anonymous_and_hidden_content_is_never_sent_to_others,
    vote_limit_holds_under_concurrent_clicks_and_close_records_the_topic,
    a_live_vote_sends_every_dot_as_a_tally_the_last_one_holding,
    a_dot_cast_as_the_vote_closes_is_counted_by_the_closing_or_refused,
    a_note_or_dot_sent_again_with_its_key_is_done_once
);

pub async fn board(who: &Visitor, id: &str) -> Value {
    who.call("board", &[("roundtable_id", id)])
        .await
        .ok()
        .clone()
}

/// The id of board `number`'s column `index`.
pub fn column(b: &Value, number: usize, index: usize) -> String {
    b["boards"][number - 1]["columns"][index]["id"].to_string()
}

pub async fn add(who: &Visitor, column: &str, body: &str) -> tests::Reply {
    who.call("add_note", &[("column_id", column), ("body", body)])
        .await
}

/// Turns one of a board's controls on or off, as the team.
pub async fn set_control(team: &Visitor, board_id: &str, control: &str, on: bool) {
    let mut form = vec![("board_id", board_id), ("control", control)];
    if on {
        form.push(("on", "1"));
    }
    team.call("board_control", &form).await.ok();
}

pub fn notes(b: &Value, number: usize) -> Vec<String> {
    b["boards"][number - 1]["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["body"].as_str().unwrap().to_string())
        .collect()
}

async fn registered_agency_and_team_write_others_do_not(app: TestApp) {
    let f = fixture(&app).await;
    let id = schedule(&app, &f, "10").await;
    let b = board(&app.visitor(), &id).await;
    // Board 1: the presented proposal, questions, other contributions; board 2: the template.
    let titles: Vec<&str> = b["boards"][0]["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Arbolado abierto", "Preguntas", "Otros aportes"]);
    assert_eq!(b["boards"][1]["columns"].as_array().unwrap().len(), 7);
    assert_eq!(b["can_write"], false);
    let questions = column(&b, 1, 1);

    let outsider = app.participant("Otra", "otra@example.org").await;
    assert_eq!(
        add(&outsider, &questions, "Hola").await.status.as_u16(),
        403
    );
    assert_eq!(
        add(&app.visitor(), &questions, "Hola")
            .await
            .status
            .as_u16(),
        401
    );
    let rita = app.participant("Rita", "rita@example.org").await;
    register(&rita, &id).await;
    assert_eq!(board(&rita, &id).await["can_write"], true);
    add(&rita, &questions, "¿Incluye plazas?").await.ok();
    add(&f.member, &questions, "Sí, en una segunda etapa.")
        .await
        .ok();
    add(
        &f.team,
        &column(&b, 2, 0),
        "Falta información pública sobre el arbolado.",
    )
    .await
    .ok();
    let empty = add(&rita, &questions, "   ").await;
    assert_eq!(
        empty.field_error("body").as_deref(),
        Some("validation.required")
    );
    let b = board(&rita, &id).await;
    assert_eq!(
        notes(&b, 1),
        ["¿Incluye plazas?", "Sí, en una segunda etapa."]
    );
    assert_eq!(
        notes(&b, 2),
        ["Falta información pública sobre el arbolado."]
    );
    let mine: Vec<bool> = b["boards"][0]["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["mine"].as_bool().unwrap())
        .collect();
    assert_eq!(mine, [true, false]);
    // Only the author edits or deletes.
    let rita_note = b["boards"][0]["notes"][0]["id"].to_string();
    let member_note = b["boards"][0]["notes"][1]["id"].to_string();
    let r = rita
        .call(
            "edit_note",
            &[("note_id", &member_note), ("body", "cambiado")],
        )
        .await;
    assert_eq!(r.status.as_u16(), 403);
    let r = rita.call("delete_note", &[("note_id", &member_note)]).await;
    assert_eq!(r.status.as_u16(), 403);
    rita.call(
        "edit_note",
        &[
            ("note_id", &rita_note),
            ("body", "¿Incluye plazas y parques?"),
        ],
    )
    .await
    .ok();
    f.member
        .call("delete_note", &[("note_id", &member_note)])
        .await
        .ok();
    assert_eq!(
        notes(&board(&f.team, &id).await, 1),
        ["¿Incluye plazas y parques?"]
    );
    // Cancelling the registration takes the right to write away.
    rita.call("cancel_registration", &[("id", &id)]).await.ok();
    assert_eq!(add(&rita, &questions, "Otra").await.status.as_u16(), 403);
}

async fn a_locked_board_refuses_writes(app: TestApp) {
    let f = fixture(&app).await;
    let id = schedule(&app, &f, "10").await;
    let rita = app.participant("Rita", "rita@example.org").await;
    register(&rita, &id).await;
    let b = board(&rita, &id).await;
    let board_1 = b["boards"][0]["id"].to_string();
    let questions = column(&b, 1, 1);
    add(&rita, &questions, "Antes del bloqueo").await.ok();
    let note = board(&rita, &id).await["boards"][0]["notes"][0]["id"].to_string();
    let r = rita
        .call(
            "board_control",
            &[("board_id", &board_1), ("control", "locked"), ("on", "1")],
        )
        .await;
    assert_eq!(r.status.as_u16(), 403, "only the team locks");
    f.team
        .call(
            "board_control",
            &[("board_id", &board_1), ("control", "locked"), ("on", "1")],
        )
        .await
        .ok();
    let r = add(&rita, &questions, "Durante el bloqueo").await;
    assert_eq!(r.refused_key().as_deref(), Some("board.locked"));
    let r = rita
        .call("edit_note", &[("note_id", &note), ("body", "cambio")])
        .await;
    assert_eq!(r.refused_key().as_deref(), Some("board.locked"));
    let r = rita.call("delete_note", &[("note_id", &note)]).await;
    assert_eq!(r.refused_key().as_deref(), Some("board.locked"));
    // Board 2 stays open.
    add(&rita, &column(&b, 2, 0), "En el tablero 2").await.ok();
    let b = board(&rita, &id).await;
    assert_eq!(b["boards"][0]["locked"], true);
    assert_eq!(notes(&b, 1), ["Antes del bloqueo"]);
    f.team
        .call(
            "board_control",
            &[("board_id", &board_1), ("control", "locked")],
        )
        .await
        .ok();
    add(&rita, &questions, "Después").await.ok();
    assert_eq!(notes(&board(&rita, &id).await, 1).len(), 2);
}

/// One server-sent event.
#[derive(Debug)]
pub struct Sse {
    pub id: i64,
    pub event: String,
    pub data: Value,
}

/// Reads server-sent events from `path` until `n` have arrived (or 10 s pass).
pub struct Stream {
    res: reqwest::Response,
    buffer: String,
}

impl Stream {
    pub async fn open(who: &Visitor, path: &str, last_event_id: Option<i64>) -> Stream {
        let mut req = who
            .client
            .get(format!("{}{path}", who.base))
            .header("accept", "text/event-stream")
            .timeout(Duration::from_secs(60));
        if let Some(id) = last_event_id {
            req = req.header("last-event-id", id.to_string());
        }
        let res = req.send().await.unwrap();
        assert_eq!(res.status().as_u16(), 200);
        Stream {
            res,
            buffer: String::new(),
        }
    }

    pub async fn next(&mut self) -> Option<Sse> {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let mut sse = Sse {
                    id: 0,
                    event: String::new(),
                    data: Value::Null,
                };
                let mut data = String::new();
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("id:") {
                        sse.id = v.trim().parse().unwrap_or(0);
                    } else if let Some(v) = line.strip_prefix("event:") {
                        sse.event = v.trim().to_string();
                    } else if let Some(v) = line.strip_prefix("data:") {
                        data.push_str(v.trim_start());
                    }
                }
                if data.is_empty() {
                    continue; // a keep-alive comment
                }
                tests::scan_for_emails("live stream", "", &data);
                sse.data = serde_json::from_str(&data).unwrap();
                return Some(sse);
            }
            let chunk = tokio::time::timeout(Duration::from_secs(10), self.res.chunk())
                .await
                .ok()?
                .ok()??;
            self.buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    }
}

async fn reconnect_receives_exactly_the_missed_events(app: TestApp) {
    let f = fixture(&app).await;
    let id = schedule(&app, &f, "10").await;
    let path = format!("/roundtables/{id}/live");
    let rita = app.participant("Rita", "rita@example.org").await;
    register(&rita, &id).await;
    let questions = column(&board(&rita, &id).await, 1, 1);
    // A first connection gets the snapshot, then what happens next.
    let mut first = Stream::open(&rita, &path, None).await;
    let snap = first.next().await.unwrap();
    assert_eq!(snap.event, "snapshot");
    let start = snap.id;
    for i in 1..=5 {
        add(&f.member, &questions, &format!("Nota {i}")).await.ok();
    }
    for i in 1..=5 {
        let e = first.next().await.unwrap();
        assert_eq!(e.event, "change");
        assert_eq!(e.id, start + i);
        assert_eq!(e.data["event"]["note"]["body"], format!("Nota {i}"));
        assert_eq!(e.data["event"]["note"]["mine"], false);
    }
    // The connection drops after the second note was seen; on reconnect with
    // Last-Event-ID the browser gets exactly notes 3, 4 and 5, then new ones.
    drop(first);
    let mut again = Stream::open(&rita, &path, Some(start + 2)).await;
    let mut seen = Vec::new();
    for _ in 0..3 {
        let e = again.next().await.unwrap();
        assert_eq!(e.event, "change");
        seen.push((
            e.id,
            e.data["event"]["note"]["body"]
                .as_str()
                .unwrap()
                .to_string(),
        ));
    }
    assert_eq!(
        seen,
        [
            (start + 3, "Nota 3".to_string()),
            (start + 4, "Nota 4".to_string()),
            (start + 5, "Nota 5".to_string())
        ]
    );
    add(&rita, &questions, "Mía").await.ok();
    let e = again.next().await.unwrap();
    assert_eq!(e.id, start + 6);
    assert_eq!(e.data["event"]["note"]["mine"], true);
    // `?after=` works the same for clients that cannot set the header.
    let mut by_query = Stream::open(&rita, &format!("{path}?after={}", start + 5), None).await;
    assert_eq!(by_query.next().await.unwrap().id, start + 6);
    // A new connection without a number starts from a snapshot holding all six.
    let mut fresh = Stream::open(&app.visitor(), &path, None).await;
    let snap = fresh.next().await.unwrap();
    assert_eq!(snap.id, start + 6);
    assert_eq!(snap.data["boards"][0]["notes"].as_array().unwrap().len(), 6);
}

/// Everything another participant is sent: the snapshot, a fresh stream's
/// snapshot and the replay of every event since the start.
pub async fn sent_to(who: &Visitor, id: &str, path: &str, events: usize) -> String {
    let mut sent = board(who, id).await.to_string();
    let mut fresh = Stream::open(who, path, None).await;
    sent.push_str(&fresh.next().await.unwrap().data.to_string());
    let mut replay = Stream::open(who, path, Some(0)).await;
    for _ in 0..events {
        match tokio::time::timeout(Duration::from_millis(500), replay.next()).await {
            Ok(Some(e)) => sent.push_str(&e.data.to_string()),
            _ => break,
        }
    }
    sent
}

async fn private_anonymous_and_hidden_content_is_never_sent_to_others(app: TestApp) {
    let f = fixture(&app).await;
    let id = schedule(&app, &f, "10").await;
    let path = format!("/roundtables/{id}/live");
    let rita = app.participant("Rita Secreta", "rita@example.org").await;
    // She chose to sign her notes (off unless chosen).
    rita.call(
        "save_profile",
        &[
            ("display_name", "Rita Secreta"),
            ("locale", "es-AR"),
            ("show_name_on_boards", "on"),
        ],
    )
    .await
    .ok();
    let otro = app.participant("Otro", "otro@example.org").await;
    register(&rita, &id).await;
    register(&otro, &id).await;
    let b = board(&rita, &id).await;
    let board_1 = b["boards"][0]["id"].to_string();
    let questions = column(&b, 1, 1);
    let control = |name: &'static str, on: bool| set_control(&f.team, &board_1, name, on);
    // Private writing: Rita's note reaches Rita and the team only.
    control("private_writing", true).await;
    add(&rita, &questions, "Texto privado de Rita").await.ok();
    assert!(board(&rita, &id)
        .await
        .to_string()
        .contains("Texto privado de Rita"));
    assert!(board(&f.team, &id)
        .await
        .to_string()
        .contains("Texto privado de Rita"));
    let seen = sent_to(&otro, &id, &path, 10).await;
    assert!(!seen.contains("Texto privado de Rita"), "{seen}");
    // Anonymous mode: the author's name is never sent, not even to the team.
    control("anonymous", true).await;
    add(&rita, &questions, "Nota anónima").await.ok();
    // A facilitator hides one note before the reveal.
    add(&rita, &questions, "Nota a ocultar").await.ok();
    let hidden = board(&rita, &id).await["boards"][0]["notes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["body"] == "Nota a ocultar")
        .unwrap()["id"]
        .to_string();
    let r = rita.call("hide_note", &[("note_id", &hidden)]).await;
    assert_eq!(r.status.as_u16(), 403, "only the team hides");
    f.team.call("hide_note", &[("note_id", &hidden)]).await.ok();
    // Reveal: the private notes reach everyone, the hidden one does not.
    control("private_writing", false).await;
    let seen = sent_to(&otro, &id, &path, 30).await;
    assert!(seen.contains("Texto privado de Rita"));
    assert!(seen.contains("Nota anónima"));
    assert!(
        !seen.contains("Nota a ocultar"),
        "hidden content sent: {seen}"
    );
    let notes = board(&otro, &id).await["boards"][0]["notes"].clone();
    let anonymous = notes
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["body"] == "Nota anónima")
        .unwrap()
        .clone();
    assert!(anonymous["author"].is_null());
    // The name of the author of the anonymous notes appears only on the note she
    // wrote before anonymous mode, never beside the anonymous ones.
    let named: Vec<&Value> = notes
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["author"] == "Rita Secreta")
        .collect();
    assert_eq!(named.len(), 1);
    assert_eq!(named[0]["body"], "Texto privado de Rita");
    let team_view = board(&f.team, &id).await.to_string();
    assert!(
        team_view.contains("Nota a ocultar"),
        "the team keeps the hidden note"
    );
    let rita_view = board(&rita, &id).await;
    let mine = rita_view["boards"][0]["notes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["body"] == "Nota anónima")
        .unwrap()
        .clone();
    assert_eq!(mine["mine"], true, "Rita still knows it is hers");
    assert!(mine["author"].is_null());
}

/// The ids of a vote's topics, in order.
pub fn option_ids(vote: &Value) -> Vec<String> {
    vote["vote"]["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].to_string())
        .collect()
}

pub async fn vote(who: &Visitor, id: &str) -> Value {
    who.call("vote", &[("roundtable_id", id)])
        .await
        .ok()
        .clone()
}

/// A roundtable with Rita and Otro registered for it.
async fn two_registered(app: &TestApp) -> (Fixture, String, Visitor, Visitor) {
    let f = fixture(app).await;
    let id = schedule(app, &f, "10").await;
    let rita = app.participant("Rita", "rita@example.org").await;
    let otro = app.participant("Otro", "otro@example.org").await;
    register(&rita, &id).await;
    register(&otro, &id).await;
    (f, id, rita, otro)
}

async fn vote_limit_holds_under_concurrent_clicks_and_close_records_the_topic(app: TestApp) {
    let (f, id, rita, otro) = two_registered(&app).await;
    let outsider = app.participant("Afuera", "afuera@example.org").await;
    let form = [
        ("roundtable_id", id.as_str()),
        ("options", "Datos del arbolado\nPodas\n\nEspacios verdes"),
        ("per_person", "3"),
    ];
    assert_eq!(rita.call("open_vote", &form).await.status.as_u16(), 403);
    let bad = f
        .team
        .call(
            "open_vote",
            &[
                ("roundtable_id", &id),
                ("options", "Uno"),
                ("per_person", "99"),
            ],
        )
        .await;
    assert_eq!(
        bad.field_error("options").as_deref(),
        Some("vote.options_invalid")
    );
    assert_eq!(
        bad.field_error("per_person").as_deref(),
        Some("validation.number")
    );
    let mut watching = Stream::open(&otro, &format!("/roundtables/{id}/live"), None).await;
    assert_eq!(watching.next().await.unwrap().event, "snapshot");
    f.team.call("open_vote", &form).await.ok();
    let v = vote(&rita, &id).await;
    assert_eq!(v["can_vote"], true);
    let options = option_ids(&v);
    assert_eq!(options.len(), 3, "blank lines are not topics");
    // The opening reaches every page with the vote as anyone reads it, so
    // no page needs to read it then; results hidden, nobody's dots in it.
    let opened = watching.next().await.unwrap();
    assert_eq!(opened.data["event"]["type"], "vote");
    let public = &opened.data["event"]["public"];
    assert_eq!(public["vote"]["seq"], opened.id);
    assert_eq!(
        public["vote"]["options"],
        vote(&app.visitor(), &id).await["vote"]["options"]
    );
    assert!(public["vote"]["options"][0]["dots"].is_null());
    assert_eq!(
        (
            public["vote"]["left"].as_i64(),
            public["vote"]["closed"].as_bool()
        ),
        (Some(3), Some(false))
    );
    // 50 clicks at once on one topic: exactly 3 count (the others are refused
    // by the vote's limit, or by the rate limit before they reach it).
    let mut clicks = tokio::task::JoinSet::new();
    for _ in 0..50 {
        let (rita, option) = (rita.clone(), options[0].clone());
        clicks.spawn(async move {
            let reply = rita.call("cast_dot", &[("option_id", &option)]).await;
            match reply.status.as_u16() {
                429 => Some("rate limited".to_string()),
                _ => reply.refused_key(),
            }
        });
    }
    let results = clicks.join_all().await;
    assert_eq!(results.iter().filter(|r| r.is_none()).count(), 3);
    let by_the_vote = results.iter().flatten().filter(|k| *k == "vote.limit");
    assert!(by_the_vote.count() >= 20, "{results:?}");
    assert!(results
        .iter()
        .flatten()
        .all(|k| k == "vote.limit" || k == "rate limited"));
    assert_eq!(app.count("SELECT COUNT(*) FROM vote_dots").await, 3);
    assert_eq!(vote(&rita, &id).await["vote"]["left"], 0);
    // Results are hidden until the vote closes; people see only their own dots.
    let seen = vote(&otro, &id).await;
    assert!(seen["vote"]["options"][0]["dots"].is_null());
    assert_eq!(seen["vote"]["options"][0]["mine"], 0);
    assert_eq!(
        outsider
            .call("cast_dot", &[("option_id", &options[1])])
            .await
            .status
            .as_u16(),
        403
    );
    // Rita moves one dot (once the burst's budget has come back); Otro puts
    // all three on "Podas".
    tokio::time::sleep(Duration::from_secs(2)).await;
    rita.call("cast_dot", &[("option_id", &options[0]), ("remove", "1")])
        .await
        .ok();
    rita.call("cast_dot", &[("option_id", &options[2])])
        .await
        .ok();
    for _ in 0..3 {
        otro.call("cast_dot", &[("option_id", &options[1])])
            .await
            .ok();
    }
    // A dot while results are hidden changes nothing anyone sees: the streams
    // are sent nothing for it.
    let quiet = tokio::time::timeout(Duration::from_millis(500), watching.next()).await;
    assert!(quiet.is_err(), "{quiet:?}");
    assert_eq!(
        rita.call("close_vote", &[("roundtable_id", &id)])
            .await
            .status
            .as_u16(),
        403
    );
    f.team
        .call("close_vote", &[("roundtable_id", &id)])
        .await
        .ok();
    let e = watching.next().await.unwrap();
    assert_eq!(e.data["event"]["type"], "vote");
    let closed = vote(&app.visitor(), &id).await;
    assert_eq!(closed["chosen_topic"], "Podas");
    // The closing carries the counts and the chosen topic, as anyone reads them.
    let public = &e.data["event"]["public"];
    assert_eq!(public["chosen_topic"], "Podas");
    assert_eq!(public["vote"]["options"], closed["vote"]["options"]);
    assert_eq!(
        (
            public["vote"]["seq"].as_i64(),
            public["vote"]["closed"].as_bool()
        ),
        (Some(e.id), Some(true))
    );
    let dots: Vec<i64> = closed["vote"]["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["dots"].as_i64().unwrap())
        .collect();
    assert_eq!(dots, [2, 3, 1]);
    let late = otro.call("cast_dot", &[("option_id", &options[0])]).await;
    assert_eq!(late.refused_key().as_deref(), Some("vote.closed"));
}

/// Dots cast while the facilitator closes the vote: each is either counted in
/// the closing (its event's counts and the chosen topic) or refused as closed,
/// never stored after the count (on PostgreSQL the two were transactions that
/// could interleave). Three rounds of 60 dots with the closing among them.
async fn a_dot_cast_as_the_vote_closes_is_counted_by_the_closing_or_refused(app: TestApp) {
    let f = fixture(&app).await;
    let mut people = Vec::new();
    for i in 0..6 {
        people.push(
            app.participant(&format!("P{i}"), &format!("p{i}@example.org"))
                .await,
        );
    }
    for round in 0..3 {
        let id = schedule(&app, &f, "10").await;
        for p in &people {
            register(p, &id).await;
        }
        let form = [
            ("roundtable_id", id.as_str()),
            ("options", "Podas\nVeredas\nPlazas"),
            ("per_person", "10"),
            ("show_live", "on"),
        ];
        f.team.call("open_vote", &form).await.ok();
        let options = option_ids(&vote(&people[0], &id).await);
        let mut watching = Stream::open(&people[0], &format!("/roundtables/{id}/live"), None).await;
        assert_eq!(watching.next().await.unwrap().event, "snapshot");
        let mut dots = tokio::task::JoinSet::new();
        for (i, p) in people.iter().enumerate() {
            for k in 0..10 {
                let (p, option) = (p.clone(), options[(i + k) % 3].clone());
                dots.spawn(async move {
                    let reply = p.call("cast_dot", &[("option_id", &option)]).await;
                    (reply.status.as_u16(), reply.refused_key())
                });
            }
        }
        tokio::time::sleep(Duration::from_millis(5 + 10 * round)).await;
        f.team
            .call("close_vote", &[("roundtable_id", &id)])
            .await
            .ok();
        for (status, refused) in dots.join_all().await {
            assert!(
                status == 200 || refused.as_deref() == Some("vote.closed"),
                "{status} {refused:?}"
            );
        }
        let closing = loop {
            let e = watching.next().await.expect("the closing's event");
            if e.data["event"]["type"] == "vote" {
                break e;
            }
        };
        let public = &closing.data["event"]["public"];
        let read = vote(&app.visitor(), &id).await;
        assert_eq!(
            public["vote"]["options"], read["vote"]["options"],
            "round {round}: every dot stored is in the closing's counts"
        );
        assert_eq!(public["chosen_topic"], read["chosen_topic"]);
    }
}

/// The dots of every option, as a tally event carries them.
fn tally(e: &Sse) -> Vec<i64> {
    assert_eq!(e.event, "change");
    assert_eq!(e.data["event"]["type"], "tally", "{:?}", e.data);
    e.data["event"]["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["dots"].as_i64().unwrap())
        .collect()
}

/// While results show live, each dot cast or taken back reaches the streams
/// with every option's dots, numbered so that a page keeps the latest; a read
/// of the vote says which event its counts include.
async fn a_live_vote_sends_every_dot_as_a_tally_the_last_one_holding(app: TestApp) {
    let (f, id, rita, otro) = two_registered(&app).await;
    let form = [
        ("roundtable_id", id.as_str()),
        ("options", "Podas\nVeredas"),
        ("per_person", "2"),
        ("show_live", "on"),
    ];
    f.team.call("open_vote", &form).await.ok();
    let options = option_ids(&vote(&rita, &id).await);
    let mut watching = Stream::open(&otro, &format!("/roundtables/{id}/live"), None).await;
    let start = watching.next().await.unwrap().id;
    rita.call("cast_dot", &[("option_id", &options[0])])
        .await
        .ok();
    let e = watching.next().await.unwrap();
    assert_eq!((e.id, tally(&e)), (start + 1, vec![1, 0]));
    let read = vote(&app.visitor(), &id).await;
    assert_eq!(read["vote"]["seq"], start + 1);
    assert_eq!(read["vote"]["options"][0]["dots"], 1);
    rita.call("cast_dot", &[("option_id", &options[0]), ("remove", "1")])
        .await
        .ok();
    assert_eq!(tally(&watching.next().await.unwrap()), [0, 0]);
    // Dots cast at once: each tally counts every dot before it, so the last
    // one is the vote as it stands.
    let mut at_once = tokio::task::JoinSet::new();
    for (who, option) in [
        (&rita, &options[1]),
        (&otro, &options[1]),
        (&otro, &options[0]),
    ] {
        let (who, option) = (who.clone(), option.clone());
        at_once.spawn(async move {
            who.call("cast_dot", &[("option_id", &option)]).await.ok();
        });
    }
    at_once.join_all().await;
    let mut tallies = Vec::new();
    for _ in 0..3 {
        let e = watching.next().await.unwrap();
        tallies.push((e.id, tally(&e)));
    }
    assert!(tallies.windows(2).all(|w| w[0].0 < w[1].0), "{tallies:?}");
    assert_eq!(tallies[2].1, [1, 2]);
    let totals: Vec<i64> = tallies.iter().map(|(_, t)| t.iter().sum()).collect();
    assert_eq!(totals, [1, 2, 3], "each tally adds the dot before it");
    let read = vote(&app.visitor(), &id).await;
    assert_eq!(read["vote"]["seq"], tallies[2].0);
}

/// A phone that lost its connection sends its waiting notes and dots again with
/// the keys its page gave them: each is done once, per person; a refused one
/// keeps no receipt; a malformed key changes nothing.
async fn a_note_or_dot_sent_again_with_its_key_is_done_once(app: TestApp) {
    let f = fixture(&app).await;
    let id = schedule(&app, &f, "10").await;
    let rita = app.participant("Rita", "rita@example.org").await;
    let otro = app.participant("Otro", "otro@example.org").await;
    register(&rita, &id).await;
    register(&otro, &id).await;
    let b = board(&rita, &id).await;
    let board_1 = b["boards"][0]["id"].to_string();
    let questions = column(&b, 1, 1);
    let keyed = |who: &Visitor, body: &'static str, key: &'static str| {
        let (who, questions) = (who.clone(), questions.clone());
        async move {
            who.call(
                "add_note",
                &[("column_id", &questions), ("body", body), ("key", key)],
            )
            .await
        }
    };
    let events = "SELECT COUNT(*) FROM board_events";
    let before = app.count(events).await;
    keyed(&rita, "¿Incluye plazas?", "k1-note-a").await.ok();
    keyed(&rita, "¿Incluye plazas?", "k1-note-a").await.ok();
    assert_eq!(notes(&board(&rita, &id).await, 1), ["¿Incluye plazas?"]);
    assert_eq!(
        app.count(events).await,
        before + 1,
        "the second one made no event"
    );
    // Keys are per person: Otro's note with the same key is Otro's own.
    keyed(&otro, "¿Y las veredas?", "k1-note-a").await.ok();
    assert_eq!(notes(&board(&rita, &id).await, 1).len(), 2);
    for bad in [
        "short",
        "has spaces in it",
        "<script>x</script>",
        &"x".repeat(65),
    ] {
        let r = rita
            .call(
                "add_note",
                &[("column_id", &questions), ("body", "Otra"), ("key", bad)],
            )
            .await;
        assert_eq!(r.status.as_u16(), 400, "{bad}");
    }
    assert_eq!(notes(&board(&rita, &id).await, 1).len(), 2);
    // Locked: the one that came before still stands; a new one is refused and
    // keeps no receipt, so it goes through once the board is open again.
    let lock = |on: bool| set_control(&f.team, &board_1, "locked", on);
    lock(true).await;
    keyed(&rita, "¿Incluye plazas?", "k1-note-a").await.ok();
    let r = keyed(&rita, "Durante el bloqueo", "k1-note-b").await;
    assert_eq!(r.refused_key().as_deref(), Some("board.locked"));
    lock(false).await;
    keyed(&rita, "Durante el bloqueo", "k1-note-b").await.ok();
    keyed(&rita, "Durante el bloqueo", "k1-note-b").await.ok();
    assert_eq!(notes(&board(&rita, &id).await, 1).len(), 3);

    f.team
        .call(
            "open_vote",
            &[
                ("roundtable_id", id.as_str()),
                ("options", "Datos del arbolado\nPodas"),
                ("per_person", "2"),
            ],
        )
        .await
        .ok();
    let options = option_ids(&vote(&rita, &id).await);
    let dot = |key: &'static str, option: usize, remove: bool| {
        let (rita, option) = (rita.clone(), options[option].clone());
        async move {
            let mut form = vec![("option_id", option.as_str()), ("key", key)];
            if remove {
                form.push(("remove", "1"));
            }
            rita.call("cast_dot", &form).await
        }
    };
    let dots = "SELECT COUNT(*) FROM vote_dots";
    dot("k1-dot-a", 0, false).await.ok();
    dot("k1-dot-a", 0, false).await.ok();
    assert_eq!(app.count(dots).await, 1);
    assert_eq!(vote(&rita, &id).await["vote"]["left"], 1);
    dot("k1-dot-b", 1, false).await.ok();
    // At the limit: refused, no receipt; after a take-back (sent twice) it counts.
    let r = dot("k1-dot-c", 1, false).await;
    assert_eq!(r.refused_key().as_deref(), Some("vote.limit"));
    dot("k1-back-a", 0, true).await.ok();
    dot("k1-back-a", 0, true).await.ok();
    assert_eq!(app.count(dots).await, 1, "one take-back, not two");
    dot("k1-dot-c", 1, false).await.ok();
    dot("k1-dot-c", 1, false).await.ok();
    assert_eq!(app.count(dots).await, 2);
    assert_eq!(vote(&rita, &id).await["vote"]["options"][1]["mine"], 2);
}
