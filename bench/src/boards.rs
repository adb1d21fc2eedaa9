//! `--boards B`: B roundtables live at once on one server, as when a city holds
//! its thematic roundtables at the same hour. Each has `--participants` people of
//! its own on its own streams; every board goes through the notes phase, the
//! vote's opening and the dots phase at the same time as the others, and the
//! latencies are reported over every board together.
use crate::{client, load_board, open_board, report, server, Args, Loaded};
use anyhow::Result;
use std::fmt::Write;
use std::sync::Arc;
use std::time::Instant;

pub async fn run(args: &Args, dir: &std::path::Path) -> Result<String> {
    let (boards, n) = (args.boards, args.participants);
    let began = Instant::now();
    let (srv, memory) = server::Server::start_watched(
        &args.server,
        dir,
        &format!("{boards} boards of {n} participants"),
    )
    .await?;
    let setups = client::setup_boards(&srv.base, boards, n, args.setup_parallel).await?;
    let setup_took = began.elapsed();
    let idle = server::memory(srv.pid).unwrap_or_default();
    let mut opened = Vec::with_capacity(boards);
    for s in &setups {
        opened.push(open_board(args, s).await?);
    }
    let with_streams = server::memory(srv.pid).unwrap_or_default();
    eprintln!(
        "{} streams open on {boards} boards; loading them all at once",
        boards * n
    );

    let load_began = Instant::now();
    let pid = srv.pid.to_string();
    let cpu_began = (server::cpu_seconds(&pid), server::cpu_seconds("self"));
    let shared = Arc::new(args.clone());
    let mut joins = tokio::task::JoinSet::new();
    for (i, (s, o)) in setups.into_iter().zip(opened).enumerate() {
        let (args, url) = (shared.clone(), srv.database_url.clone());
        joins.spawn(async move { (i, load_board(&args, &s, o, &url).await) });
    }
    let mut loaded: Vec<Option<Loaded>> = (0..boards).map(|_| None).collect();
    while let Some(done) = joins.join_next().await {
        let (i, board) = done?;
        loaded[i] = Some(board?);
    }
    let loaded: Vec<Loaded> = loaded.into_iter().flatten().collect();
    let load_took = load_began.elapsed();
    let cpu = |who: &str, began: Option<f64>| Some(server::cpu_seconds(who)? - began?);
    let (server_cpu, bench_cpu) = (cpu(&pid, cpu_began.0), cpu("self", cpu_began.1));
    let end = server::memory(srv.pid).unwrap_or_default();
    let peak = memory.peak_since(load_began);
    srv.stop().await;

    let (mut expected, mut received, mut disordered, mut errors, mut unpaired) = (0, 0, 0, 0, 0);
    let mut rows: Vec<(String, Vec<report::Samples>)> = Vec::new();
    let mut add =
        |name: String, samples: report::Samples| match rows.iter_mut().find(|(n, _)| *n == name) {
            Some((_, all)) => all.push(samples),
            None => rows.push((name, vec![samples])),
        };
    for board in &loaded {
        let receivers = board.receivers();
        let d = report::deliveries(&receivers, board.start_seq, board.end_seq);
        (expected, received) = (expected + d.expected, received + d.received);
        disordered += d.disordered;
        errors += d.stream_errors.len();
        unpaired += board.attributed.is_err() as usize;
        for (label, endpoint) in [("note", "add_note"), ("dot", "cast_dot")] {
            let posts: Vec<_> = board
                .posts
                .iter()
                .filter(|p| p.endpoint == endpoint)
                .collect();
            let (sent, returned, shown, _) = report::fan_out(&posts, &receivers, None);
            add(
                format!("{label}: POST sent → event on each other stream"),
                sent,
            );
            add(
                format!("{label}: POST returned → event on each other stream"),
                returned,
            );
            if !args.no_refetch {
                add(
                    format!("{label}: POST sent → on each other's screen"),
                    shown,
                );
            }
            let ok: Vec<_> = posts.iter().copied().filter(|p| p.ok()).collect();
            add(format!("POST /api/{endpoint}"), report::post_latency(&ok));
        }
        for (name, samples) in crate::live::fetch_rows(board.views.iter().flatten()) {
            add(name, samples);
        }
    }
    let failed: usize = loaded
        .iter()
        .map(|b| b.posts.iter().filter(|p| !p.ok()).count())
        .sum();

    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(
        w,
        "\n## {boards} boards of {n} participants, live at once\n"
    );
    let _ = writeln!(
        w,
        "{} notes + {} dots per participant at {}/s each, {} topics, on every board at the same time; \
         page simulated: {}.",
        args.notes_per_participant,
        args.dots_per_participant,
        args.rate,
        args.topics,
        if args.no_refetch { "no" } else { "yes" },
    );
    let _ = writeln!(
        w,
        "\nDeliveries {received} of {expected} expected, **missed {}**, duplicate/out of order \
         {disordered}; failed POSTs {failed}; stream errors {errors}; boards whose dots could not \
         be paired with their events {unpaired}. Whole load {:.1} s; setup {:.1} s.",
        expected - received.min(expected),
        load_took.as_secs_f64(),
        setup_took.as_secs_f64(),
    );
    let _ = writeln!(
        w,
        "\nCPU during the load: server {:.1} s, bench {:.1} s, in {:.1} s on {} cores.",
        server_cpu.unwrap_or(f64::NAN),
        bench_cpu.unwrap_or(f64::NAN),
        load_took.as_secs_f64(),
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    let _ = writeln!(w, "\n### Latency, every board together\n");
    report::header(w);
    for (name, samples) in rows {
        w.push_str(&report::Samples::merge(samples).row(&name));
    }
    report::memory_table(w, boards * n, idle, with_streams, peak, end);
    Ok(out)
}
