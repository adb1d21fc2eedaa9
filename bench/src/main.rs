//! Load benchmark of a roundtable's live boards: N participants on one board
//! post notes and cast dots while each follows the live stream; reports how
//! long events take to reach the others, and the server's memory.
//! See bench/README.md.
mod abuse;
mod boards;
mod city;
mod city_meetings;
mod city_submissions;
mod client;
mod live;
mod load;
mod report;
mod server;
mod votes;

use anyhow::{ensure, Result};
use clap::Parser;
use std::fmt::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Parser, Debug, Clone)]
#[command(name = "bench", about = "Load benchmark of the live roundtable boards")]
struct Args {
    /// The `cocrea` binary to run.
    #[arg(long, default_value = "target/release/cocrea")]
    server: PathBuf,
    /// Simulated participants on the board (each with its own session and stream).
    #[arg(long, short = 'n', default_value_t = 25)]
    participants: usize,
    /// Boards live at once on the one server, each a roundtable of its own with
    /// `--participants` people, all loaded at the same time. See src/boards.rs.
    #[arg(long, default_value_t = 1)]
    boards: usize,
    #[arg(long, default_value_t = 5)]
    notes_per_participant: usize,
    /// Dots each participant casts in the topic vote (at most 10).
    #[arg(long, default_value_t = 3)]
    dots_per_participant: usize,
    /// Candidate topics of the vote.
    #[arg(long, default_value_t = 5)]
    topics: usize,
    /// Notes (and then dots) per second per participant.
    #[arg(long, default_value_t = 0.5)]
    rate: f64,
    /// Only read the streams; by default each participant also fetches the board
    /// and/or the vote again after changes, as the boards page does.
    #[arg(long)]
    no_refetch: bool,
    /// Also read the board (after `add_note`) or the vote (after `cast_dot`)
    /// again on the author's own page when its POST returns, as the page's
    /// action versions make it do. Off by default.
    #[arg(long)]
    author_reads: bool,
    /// Sign-ups at a time during setup (each hashes a password).
    #[arg(long, default_value_t = 4)]
    setup_parallel: usize,
    /// How long to wait for the streams to receive the last event.
    #[arg(long, default_value_t = 120)]
    drain_timeout_secs: u64,
    /// Keep the temporary folder (database, server.log) instead of deleting it.
    #[arg(long)]
    keep: bool,
    /// Instead of the board load: what one hostile address can do (300
    /// password-hashing requests at once, then 2,000 idle live streams),
    /// with the latency of a normal page meanwhile. See src/abuse.rs.
    #[arg(long)]
    abuse: bool,
    /// Instead of the board load: fill a city-sized process for each size in
    /// `--sizes` and measure its pages with wrk beside a static page of the same
    /// size. See src/city.rs.
    #[arg(long)]
    city: bool,
    /// Also measure the city-sized runs on PostgreSQL: the URL of a database on
    /// the server to use (each size gets a database of its own beside it).
    #[arg(long)]
    postgres: Option<String>,
    /// Proposals of each city-sized run.
    #[arg(long, value_delimiter = ',', default_value = "1000,20000")]
    sizes: Vec<usize>,
    /// Comments per proposal in the city-sized runs.
    #[arg(long, default_value_t = 5)]
    comments_per_proposal: usize,
    /// Seconds of wrk per page in the city-sized runs.
    #[arg(long, default_value_t = 5)]
    seconds: u64,
    /// Connections wrk keeps open in the city-sized runs.
    #[arg(long, default_value_t = 32)]
    connections: usize,
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse();
    ensure!(args.participants >= 2, "at least 2 participants");
    ensure!(
        (1..=10).contains(&args.dots_per_participant),
        "1 to 10 dots"
    );
    ensure!(args.rate > 0.0, "rate must be positive");
    let dir = server::temp_dir()?;
    let result = if args.abuse {
        abuse::run(&args.server, &dir).await
    } else if args.city {
        let options = city::Options {
            server: &args.server,
            postgres: args.postgres.as_deref(),
            sizes: &args.sizes,
            comments_per_proposal: args.comments_per_proposal,
            seconds: args.seconds,
            connections: args.connections,
        };
        city::run(&options, &dir).await
    } else {
        run(&args, &dir).await
    };
    if args.keep || result.is_err() {
        eprintln!("files kept in {}", dir.display());
    } else {
        let _ = std::fs::remove_dir_all(&dir);
    }
    print!("{}", result?);
    Ok(())
}

/// One board's open streams and simulated pages.
struct Opened {
    streams: Vec<live::Stream>,
    refetchers: Vec<live::Refetcher>,
    start_seq: i64,
}

/// Opens every participant's stream (and page) on the board of `s`.
async fn open_board(args: &Args, s: &client::Setup) -> Result<Opened> {
    let mut streams = Vec::with_capacity(s.participants.len());
    let mut refetchers = Vec::with_capacity(s.participants.len());
    for p in &s.participants {
        let marks = (!args.no_refetch).then(|| Arc::new(live::Marks::default()));
        let stream = live::Stream::open(p, s.roundtable_id, marks.clone()).await?;
        refetchers.extend(
            marks.map(|m| {
                live::Refetcher::spawn(p.clone(), s.roundtable_id, m, stream.seen.clone())
            }),
        );
        streams.push(stream);
    }
    let start_seq = load::current_seq(s).await?;
    ensure!(
        streams.iter().all(|x| x.start_seq == start_seq),
        "a stream started at another seq"
    );
    Ok(Opened {
        streams,
        refetchers,
        start_seq,
    })
}

/// What one board's load did, and what its streams and pages saw.
struct Loaded {
    posts: Vec<load::Post>,
    logs: Vec<live::StreamLog>,
    views: Vec<Vec<live::View>>,
    start_seq: i64,
    end_seq: i64,
    notes_took: Duration,
    dots_took: Duration,
    notes_drain: Option<Duration>,
    drain: Option<Duration>,
    views_drain: Option<Duration>,
    attributed: Result<()>,
}

impl Loaded {
    fn receivers(&self) -> Vec<report::Receiver<'_>> {
        receivers(&self.logs, &self.views)
    }
}

/// Each participant's stream, with their page's fetches if simulated.
fn receivers<'a>(
    logs: &'a [live::StreamLog],
    views: &'a [Vec<live::View>],
) -> Vec<report::Receiver<'a>> {
    logs.iter()
        .enumerate()
        .map(|(i, l)| report::Receiver {
            stream: l,
            views: views.get(i).map(|v| v.as_slice()),
        })
        .collect()
}

/// The notes phase, the vote's opening and the dots phase on one board, then
/// its streams closed and its dots paired with their events.
async fn load_board(
    args: &Args,
    s: &client::Setup,
    o: Opened,
    database_url: &str,
) -> Result<Loaded> {
    let stream_seen: Vec<_> = o.streams.iter().map(|x| &*x.seen).collect();
    let view_seen: Vec<_> = o.refetchers.iter().map(|x| &x.marks.screen).collect();
    // The pages that read again after their own POSTs, by participant.
    let own = (args.author_reads && !o.refetchers.is_empty()).then(|| {
        Arc::new(
            o.refetchers
                .iter()
                .map(|r| r.marks.clone())
                .collect::<Vec<_>>(),
        )
    });
    let limit = Duration::from_secs(args.drain_timeout_secs);
    let began = Instant::now();
    let mut posts = load::notes(s, args.notes_per_participant, args.rate, own.clone()).await?;
    let notes_took = began.elapsed();
    let notes_drain = load::wait_for(&stream_seen, load::current_seq(s).await?, limit).await;
    load::wait_for(&view_seen, load::current_seq(s).await?, limit).await;

    let (steps, options) = load::open_vote(s, args.topics, args.dots_per_participant).await?;
    posts.extend(steps);
    load::wait_for(&stream_seen, load::current_seq(s).await?, limit).await;
    let dots_from = load::current_seq(s).await?;
    let dots_began = Instant::now();
    let mut dots = load::dots(
        s,
        &options,
        args.dots_per_participant,
        args.rate,
        own.clone(),
    )
    .await?;
    let dots_took = dots_began.elapsed();
    let end_seq = load::current_seq(s).await?;
    let drain = load::wait_for(&stream_seen, end_seq, limit).await;
    let views_drain = load::wait_for(&view_seen, end_seq, limit).await;
    o.streams.iter().for_each(live::Stream::close);
    o.refetchers.iter().for_each(live::Refetcher::close);
    let attributed =
        votes::attribute(database_url, s.roundtable_id, s.first, dots_from, &mut dots).await;
    posts.extend(dots);
    let logs = o
        .streams
        .iter()
        .map(|x| std::mem::take(&mut *x.log.lock().unwrap()))
        .collect();
    let views = o
        .refetchers
        .iter()
        .map(|x| std::mem::take(&mut *x.log.lock().unwrap()))
        .collect();
    let mut loaded = Loaded {
        posts,
        logs,
        views,
        start_seq: o.start_seq,
        end_seq,
        notes_took,
        dots_took,
        notes_drain,
        drain,
        views_drain,
        attributed,
    };
    let receivers = receivers(&loaded.logs, &loaded.views);
    report::attribute_notes(&mut loaded.posts, &receivers);
    Ok(loaded)
}

async fn run(args: &Args, dir: &std::path::Path) -> Result<String> {
    if args.boards > 1 {
        return boards::run(args, dir).await;
    }
    let n = args.participants;
    let began = Instant::now();
    let (srv, memory) =
        server::Server::start_watched(&args.server, dir, &format!("{n} participants")).await?;
    let s = client::setup(&srv.base, n, args.setup_parallel).await?;
    let setup_took = began.elapsed();
    let idle = server::memory(srv.pid).unwrap_or_default();
    let opened = open_board(args, &s).await?;
    let with_streams = server::memory(srv.pid).unwrap_or_default();
    eprintln!("{n} streams open; posting notes, then opening the vote and casting dots");

    let load_began = Instant::now();
    let pid = srv.pid.to_string();
    let cpu_began = (server::cpu_seconds(&pid), server::cpu_seconds("self"));
    let loaded = load_board(args, &s, opened, &srv.database_url).await?;
    let load_took = load_began.elapsed();
    let cpu = |who: &str, began: Option<f64>| Some(server::cpu_seconds(who)? - began?);
    let (server_cpu, bench_cpu) = (cpu(&pid, cpu_began.0), cpu("self", cpu_began.1));
    let end = server::memory(srv.pid).unwrap_or_default();
    let peak = memory.peak_since(load_began);
    srv.stop().await;

    let Loaded {
        ref posts,
        start_seq,
        end_seq,
        notes_took,
        dots_took,
        notes_drain,
        drain,
        views_drain,
        ref attributed,
        ..
    } = loaded;
    // As `load_board` decides: only pages that are simulated read again.
    let own = (args.author_reads && !args.no_refetch).then_some(());
    let receivers = loaded.receivers();
    let views: Vec<&Vec<live::View>> = loaded.views.iter().collect();
    let d = report::deliveries(&receivers, start_seq, end_seq);

    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(w, "\n## {n} participants\n");
    let _ = writeln!(
        w,
        "{} notes + {} dots per participant at {}/s each, {} topics; page simulated \
         (notes applied from the stream, board/vote fetched after other changes): {}; \
         author's page reads again after its own POST: {}.",
        args.notes_per_participant,
        args.dots_per_participant,
        args.rate,
        args.topics,
        if args.no_refetch { "no" } else { "yes" },
        if own.is_some() { "yes" } else { "no" }
    );
    let failed: Vec<String> = ["add_note", "cast_dot", "open_vote", "roundtable_phase"]
        .iter()
        .filter_map(|e| {
            let bad = posts.iter().filter(|p| p.endpoint == *e && !p.ok()).count();
            (bad > 0).then(|| format!("{e}: {bad}"))
        })
        .collect();
    let _ = writeln!(
        w,
        "\nEvents {} (seq {}..={}); deliveries {} of {} expected, **missed {}**, \
         duplicate/out of order {}; failed POSTs: {}; stream errors: {}.",
        d.events,
        start_seq + 1,
        end_seq,
        d.received,
        d.expected,
        d.expected - d.received.min(d.expected),
        d.disordered,
        if failed.is_empty() {
            "none".into()
        } else {
            failed.join(", ")
        },
        d.stream_errors.len()
    );
    if let Err(e) = &attributed {
        let _ = writeln!(w, "\nDots could not be paired with their events: {e}.");
    }
    let unmatched = posts.iter().filter(|p| p.ok() && p.seq.is_none()).count();
    if unmatched > 0 {
        let _ = writeln!(
            w,
            "\n{unmatched} successful POSTs whose event no stream received."
        );
    }
    let secs = |d: Duration| d.as_secs_f64();
    let count = |e: &str| posts.iter().filter(|p| p.endpoint == e && p.ok()).count();
    let (notes_ok, dots_ok) = (count("add_note"), count("cast_dot"));
    let _ = writeln!(
        w,
        "\nNotes phase {:.1} s ({:.1} notes/s), dots phase {:.1} s ({:.1} dots/s); \
         whole load {:.1} s, {:.0} deliveries/s. Last note reached every stream {} after the \
         last POST returned; last dot {}{}. Setup {:.1} s.",
        secs(notes_took),
        notes_ok as f64 / secs(notes_took),
        secs(dots_took),
        dots_ok as f64 / secs(dots_took),
        secs(load_took),
        d.received as f64 / secs(load_took),
        fmt_wait(notes_drain),
        fmt_wait(drain),
        if args.no_refetch {
            String::new()
        } else {
            format!(", on every page's screen {}", fmt_wait(views_drain))
        },
        secs(setup_took),
    );

    let _ = writeln!(
        w,
        "\nCPU during the load: server {:.1} s, bench {:.1} s, in {:.1} s on {} cores \
         (the bench runs on the same machine).",
        server_cpu.unwrap_or(f64::NAN),
        bench_cpu.unwrap_or(f64::NAN),
        secs(load_took),
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    let _ = writeln!(w, "\n### Latency\n");
    report::header(w);
    for (label, endpoint, part, shown_on) in [
        ("note", "add_note", None, "screen (applied from the stream)"),
        (
            "dot",
            "cast_dot",
            None,
            "screen (tally applied from the stream)",
        ),
    ] {
        let ps: Vec<&load::Post> = posts.iter().filter(|p| p.endpoint == endpoint).collect();
        let (sent, returned, shown, never) = report::fan_out(&ps, &receivers, part);
        w.push_str(&sent.row(&format!("{label}: POST sent → event on each other stream")));
        w.push_str(&returned.row(&format!(
            "{label}: POST returned → event on each other stream"
        )));
        if !args.no_refetch {
            w.push_str(&shown.row(&format!("{label}: POST sent → on each other's {shown_on}")));
            if never > 0 {
                let _ = writeln!(w, "| {label}: never on a {shown_on} | {never} | | | | |");
            }
            if endpoint == "add_note" {
                let wiped = report::wiped(&ps, &receivers);
                let _ = writeln!(
                    w,
                    "| {label}: under an older board fetch, applied again over it (pairs) | {} | | | | |",
                    wiped.reapplied
                );
                let _ = writeln!(
                    w,
                    "| {label}: taken off the screen by an older board fetch (pairs; never back: {}) | {} | | | | |",
                    wiped.never, wiped.count
                );
                if wiped.count > 0 {
                    w.push_str(&wiped.off.row(&format!(
                        "{label}: off the screen until a board fetch included it"
                    )));
                }
            }
        }
        let ok: Vec<&load::Post> = ps.iter().copied().filter(|p| p.ok()).collect();
        w.push_str(&report::post_latency(&ok).row(&format!("POST /api/{endpoint}")));
    }
    let facilitator: Vec<&load::Post> = posts.iter().filter(|p| p.author.is_none()).collect();
    let (sent, ..) = report::fan_out(&facilitator, &receivers, Some(live::Part::Board));
    w.push_str(&sent.row("facilitator (phase, open vote): POST sent → event on each stream"));
    if !args.no_refetch {
        // Samples = fetches made, so the coalescing shows in the counts.
        for (name, samples) in live::fetch_rows(views.iter().flat_map(|v| v.iter())) {
            w.push_str(&samples.row(&name));
        }
        for (part, name) in [(live::Part::Board, "board"), (live::Part::Vote, "vote")] {
            let bad = views
                .iter()
                .flat_map(|v| v.iter())
                .filter(|x| x.part == part && !x.ok)
                .count();
            if bad > 0 {
                let _ = writeln!(w, "| /api/{name} fetches that failed | {bad} | | | | |");
            }
        }
    }

    report::memory_table(w, n, idle, with_streams, peak, end);
    Ok(out)
}

fn fmt_wait(d: Option<Duration>) -> String {
    match d {
        Some(d) => format!("{:.0} ms", d.as_secs_f64() * 1000.0),
        None => "NEVER (timed out)".into(),
    }
}
