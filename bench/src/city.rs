//! A city-sized process, and the load on its busiest pages. `fill` writes the
//! data through the app's own store functions (organizations, which only an
//! administrator's form makes, by the same INSERT); `run` then serves it with
//! the release server and measures each page with `wrk`, beside a static page
//! of the same size served by a bare axum handler in the same run, for each
//! size asked (by default 1,000 and 20,000 proposals).
use anyhow::{bail, ensure, Context, Result};
use app::accounts::model::Role;
use app::comments::model::SubjectKind;
use app::db::Db;
use app::processes::model::{Stage, StageDates};
use app::proposals::store::ProposalFields;
use std::fmt::Write;
use std::path::Path;
use std::time::Instant;

/// Words of the proposals' titles and texts: a search for one matches a few
/// percent of them, as a real search would.
const WORDS: &[&str] = &[
    "arbolado",
    "datos",
    "transparencia",
    "presupuesto",
    "barrio",
    "salud",
    "escuelas",
    "ciclovias",
    "residuos",
    "agua",
    "plazas",
    "compras",
    "licitaciones",
    "accesibilidad",
    "genero",
    "juventud",
    "vivienda",
    "transporte",
    "seguridad",
    "cultura",
    "empleo",
    "innovacion",
    "participacion",
    "contratos",
    "obras",
    "energia",
    "clima",
    "mapas",
    "turismo",
    "deporte",
    "veredas",
    "luminarias",
];
const AXES: usize = 10;
const AUTHORS: usize = 500;
const SECTORS: &[&str] = &app::accounts::model::Sector::NAMES;

pub struct Options<'a> {
    pub server: &'a Path,
    /// A PostgreSQL server's URL: each size is also measured there, in a
    /// database of its own made beside the one named.
    pub postgres: Option<&'a str>,
    pub sizes: &'a [usize],
    pub comments_per_proposal: usize,
    pub seconds: u64,
    pub connections: usize,
}

/// A cheap deterministic sequence (the same data on every run).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % below.max(1)
    }
}

struct Filled {
    slug: String,
    axis_id: i64,
    middle_proposal: i64,
    meetings: crate::city_meetings::Meetings,
    /// Authors who can sign in (with the bench's password).
    submitters: Vec<String>,
    took_secs: f64,
}

/// People who submit proposals during the submission load, 5 each.
const SUBMITTERS: usize = 200;
const SUBMISSIONS_EACH: usize = 5;

fn day(offset: i64) -> String {
    let d = time::OffsetDateTime::now_utc().date() + time::Duration::days(offset);
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// Fills `url`'s database with one process of `proposals` proposals.
async fn fill(url: &str, proposals: usize, comments_per: usize) -> Result<Filled> {
    let began = Instant::now();
    let db = Db::connect(url).await?;
    db.migrate().await?;
    let stages = Stage::ALL
        .iter()
        .enumerate()
        .map(|(i, &stage)| StageDates {
            stage,
            starts_on: day(i as i64 * 60 - 10),
            ends_on: day(i as i64 * 60 + 49),
        })
        .collect();
    let slug = "ciudad-grande".to_string();
    let process_id = app::processes::store::create(
        &db,
        &app::processes::store::NewProcess {
            slug: slug.clone(),
            title: "Plan de una ciudad grande".into(),
            description: "Datos de carga del benchmark.".into(),
            axes: (1..=AXES).map(|i| format!("Eje {i}")).collect(),
            stages,
        },
        None,
    )
    .await?
    .context("process slug taken")?;
    let axes: Vec<i64> = sqlx::query_scalar::<_, i64>(
        "SELECT id FROM process_axes WHERE process_id = $1 ORDER BY position",
    )
    .bind(process_id)
    .fetch_all(&db.pool)
    .await?;
    let mut organizations = Vec::new();
    for (i, sector) in SECTORS.iter().cycle().take(20).enumerate() {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO organizations (name, sector, created_at) VALUES ($1, $2, 0) RETURNING id",
        )
        .bind(format!("Organización {i}"))
        .bind(*sector)
        .fetch_one(&db.pool)
        .await?;
        organizations.push(id);
    }
    // One hash for everyone: the submitters sign in with the bench's password.
    let hash = app::accounts::secrets::hash_password(crate::server::PASSWORD.into()).await;
    let email = |i: usize| format!("vecina{i}@city.bench.example.org");
    let mut authors = Vec::with_capacity(AUTHORS);
    for i in 0..AUTHORS {
        let id = app::accounts::store::create_user(
            &db,
            &email(i),
            &format!("Vecina {i}"),
            &hash,
            Role::Participant,
            Some("1"),
        )
        .await?
        .context("author exists")?;
        authors.push(id);
    }
    let team = app::accounts::store::create_user(
        &db,
        "equipo@city.bench.example.org",
        "Equipo de gobierno abierto",
        &hash,
        Role::Facilitator,
        Some("1"),
    )
    .await?
    .context("team exists")?;
    let mut rng = Lcg(20211203);
    let mut ids = Vec::with_capacity(proposals);
    for i in 0..proposals {
        let mut words = || WORDS[rng.next(WORDS.len())];
        let fields = ProposalFields {
            axis_id: axes[i % axes.len()],
            organization_id: (i % 4 == 0).then(|| organizations[i % organizations.len()]),
            title: format!("Propuesta {i}: {} y {}", words(), words()),
            problem: format!(
                "Hoy faltan {} y {} en el barrio {}.",
                words(),
                words(),
                i % 48
            ),
            solution: format!("Proponemos {} abiertos con {}.", words(), words()),
            show_author_name: i % 2 == 0,
        };
        let author = authors[rng.next(authors.len())];
        let id = app::proposals::store::create(&db, process_id, author, &fields).await?;
        ids.push((id, author));
        if i % 100 == 99 {
            app::proposals::store::withdraw(&db, id, author).await?;
        }
        if (i + 1) % 5000 == 0 {
            eprintln!("  {} proposals", i + 1);
        }
    }
    for c in 0..proposals * comments_per {
        // Comments gather on some proposals, as they do.
        let (subject, _) = ids[rng.next(ids.len()).min(rng.next(ids.len()))];
        app::comments::store::create(
            &db,
            &app::comments::store::NewComment {
                kind: SubjectKind::Proposal,
                subject_id: subject,
                parent: None,
                author_id: authors[rng.next(authors.len())],
                body: &format!("Comentario {c} sobre {}", WORDS[c % WORDS.len()]),
                show_author_name: true,
                anchor: None,
                version: None,
            },
        )
        .await?;
        if (c + 1) % 20000 == 0 {
            eprintln!("  {} comments", c + 1);
        }
    }
    for _ in 0..proposals / 2 {
        let (id, _) = ids[rng.next(ids.len())];
        app::proposals::store::set_support(&db, id, authors[rng.next(authors.len())], true).await?;
    }
    let meetings = crate::city_meetings::fill(&db, process_id, &ids, &authors, team).await?;
    if db.engine == app::db::Engine::Postgres {
        // As autovacuum leaves a settled database: statistics for the planner,
        // and the visibility map that lets a count read the index alone.
        sqlx::query("VACUUM ANALYZE").execute(&db.pool).await?;
    }
    db.pool.close().await;
    Ok(Filled {
        slug,
        axis_id: axes[3],
        middle_proposal: ids[ids.len() / 2].0,
        meetings,
        submitters: (0..SUBMITTERS.min(AUTHORS)).map(email).collect(),
        took_secs: began.elapsed().as_secs_f64(),
    })
}

#[derive(Clone, Copy, Default)]
struct Load {
    per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    failed: u64,
    requests: u64,
    /// CPU (user + system) the answering process spent per request, in µs:
    /// steadier than the rate on a shared machine (NaN when not measured).
    cpu_us: f64,
}

/// `wrk` as below, with the CPU per request of the process that answers
/// (`pid`, or `"self"` for the floor, which this process serves).
async fn wrk_cpu(
    pid: &str,
    url: &str,
    seconds: u64,
    connections: usize,
    headers: &[&str],
) -> Result<Load> {
    let before = crate::server::cpu_seconds(pid);
    let mut load = wrk(url, seconds, connections, headers).await?;
    if let (Some(before), Some(after)) = (before, crate::server::cpu_seconds(pid)) {
        load.cpu_us = (after - before) * 1e6 / load.requests.max(1) as f64;
    }
    Ok(load)
}

/// `wrk --latency` against `url`, sending `headers` (`Name: value`).
async fn wrk(url: &str, seconds: u64, connections: usize, headers: &[&str]) -> Result<Load> {
    let mut args = vec![
        "-t2".to_string(),
        format!("-c{connections}"),
        format!("-d{seconds}s"),
        "--latency".to_string(),
    ];
    for h in headers {
        args.extend(["-H".to_string(), h.to_string()]);
    }
    args.push(url.to_string());
    let out = tokio::process::Command::new("wrk")
        .args(&args)
        .output()
        .await
        .context("cannot run wrk (Debian: apt install wrk)")?;
    ensure!(
        out.status.success(),
        "wrk failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let ms = |v: &str| -> Option<f64> {
        let (n, unit) = v.split_at(v.find(|c: char| c.is_ascii_alphabetic())?);
        let n: f64 = n.parse().ok()?;
        Some(match unit {
            "us" => n / 1000.0,
            "ms" => n,
            "s" => n * 1000.0,
            "m" => n * 60_000.0,
            _ => return None,
        })
    };
    let mut load = Load {
        cpu_us: f64::NAN,
        ..Load::default()
    };
    for line in text.lines().map(str::trim) {
        let parts: Vec<&str> = line.split_whitespace().collect();
        match parts.as_slice() {
            ["50%", v] => load.p50_ms = ms(v).unwrap_or(f64::NAN),
            ["99%", v] => load.p99_ms = ms(v).unwrap_or(f64::NAN),
            ["Requests/sec:", v] => load.per_second = v.parse().unwrap_or(0.0),
            [n, "requests", "in", ..] => load.requests = n.parse().unwrap_or(0),
            ["Non-2xx", "or", "3xx", "responses:", n] => load.failed += n.parse().unwrap_or(0),
            _ if line.starts_with("Socket errors:") => {
                load.failed += line
                    .split(|c: char| !c.is_ascii_digit())
                    .filter_map(|n| n.parse::<u64>().ok())
                    .sum::<u64>()
            }
            _ => {}
        }
    }
    if load.per_second == 0.0 {
        bail!("wrk printed no rate:\n{text}");
    }
    Ok(load)
}

/// A bare axum handler answering `size` bytes of HTML: the floor a page is
/// compared with.
async fn static_page(size: usize) -> Result<String> {
    let body = axum::body::Bytes::from(vec![b'x'; size]);
    let app = axum::Router::new().route(
        "/",
        axum::routing::get(move || {
            let body = body.clone();
            async move { ([("content-type", "text/html; charset=utf-8")], body) }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(url)
}

/// A fresh database for `n` proposals: a file under `here`, or a database of
/// its own on the PostgreSQL server at `postgres` (dropped first if it exists).
async fn fresh_database(postgres: Option<&str>, here: &Path, n: usize) -> Result<String> {
    let Some(base) = postgres else {
        return Ok(format!("sqlite://{}/cocrea.db?mode=rwc", here.display()));
    };
    let name = format!("cocrea_bench_city_{n}");
    let admin = Db::connect(base).await?;
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
        .execute(&admin.pool)
        .await?;
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&admin.pool)
        .await?;
    admin.pool.close().await;
    let (server, _) = base
        .rsplit_once('/')
        .context("a PostgreSQL URL ends in /database")?;
    Ok(format!("{server}/{name}"))
}

/// One page: its size, then a visitor's load (pages kept for visitors), a
/// signed-in person's (rendered on every request), and the static floor.
struct Row {
    name: &'static str,
    bytes: usize,
    visitor: Load,
    signed_in: Load,
    floor: Load,
}

/// A signed-in session of `email`, as a `Cookie` header for wrk.
async fn session_cookie(base: &str, email: &str) -> Result<String> {
    let res = reqwest::Client::new()
        .post(format!("{base}/api/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .header("origin", base)
        .body(crate::client::encode_form(&[
            ("email", email),
            ("password", crate::server::PASSWORD),
        ]))
        .send()
        .await?;
    let prefix = format!("{}=", app::accounts::api::SESSION_COOKIE);
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with(&prefix))
        .context("login set no session cookie")?;
    Ok(format!(
        "Cookie: {}",
        cookie.split(';').next().unwrap_or_default()
    ))
}

/// What one size measured on one engine.
struct Measured {
    size: usize,
    rows: Vec<Row>,
    submitted: crate::city_submissions::Submitted,
    started_in: f64,
    filled_secs: f64,
    peak_kib: u64,
}

pub async fn run(o: &Options<'_>, dir: &Path) -> Result<String> {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\n## City-sized process\n\n{} comments per proposal, 500 authors, 10 axes, 20 organizations, \
         {} roundtables with {} notes each, {} sheets out for comment with {} comments each; \
         wrk -t2 -c{} -d{}s per row; \"static\" is a bare axum handler answering the same number of \
         bytes in the same run. Each page is measured as a visitor (not signed in: \
         pages kept for visitors) and as a signed-in person (rendered on every request); the last \
         row asks for a compressed page as a browser does. Then {} people signed in submit {} proposals each, {} at a time.",
        o.comments_per_proposal,
        crate::city_meetings::ROUNDTABLES,
        crate::city_meetings::NOTES_PER_BOARD,
        crate::city_meetings::COMMITMENTS,
        crate::city_meetings::COMMENTS_PER_SHEET,
        o.connections,
        o.seconds,
        SUBMITTERS,
        SUBMISSIONS_EACH,
        o.connections
    );
    let engines =
        std::iter::once(("SQLite", None)).chain(o.postgres.map(|url| ("PostgreSQL", Some(url))));
    for (engine, postgres) in engines {
        let mut by_size = Vec::new();
        for &n in o.sizes {
            let m = measure(o, dir, postgres, n).await?;
            report_size(&mut out, engine, &m);
            by_size.push(m);
        }
        report_growth(&mut out, engine, &by_size);
    }
    Ok(out)
}

/// Fills a database with `n` proposals, serves it, and measures every page
/// and then the submissions.
async fn measure(
    o: &Options<'_>,
    dir: &Path,
    postgres: Option<&str>,
    n: usize,
) -> Result<Measured> {
    let here = dir.join(format!(
        "n{n}-{}",
        if postgres.is_some() { "pg" } else { "sqlite" }
    ));
    std::fs::create_dir_all(&here)?;
    let url = fresh_database(postgres, &here, n).await?;
    eprintln!("filling {n} proposals ({url})");
    let f = fill(&url, n, o.comments_per_proposal).await?;
    let srv = crate::server::Server::start_on(o.server, &here, url.clone()).await?;
    let memory = crate::server::MemoryLog::spawn(srv.pid);
    let pages = (n / 20).max(1);
    let list = format!("{}/processes/{}/proposals", srv.base, f.slug);
    let (roundtable, sheet) = (f.meetings.roundtable, f.meetings.commitment);
    let targets = [
        ("list, newest", list.clone()),
        ("list, most supported", format!("{list}?sort=supported")),
        ("list, most commented", format!("{list}?sort=commented")),
        ("list, one axis", format!("{list}?axis={}", f.axis_id)),
        (
            "list, one axis, most supported",
            format!("{list}?axis={}&sort=supported", f.axis_id),
        ),
        ("list, withdrawn", format!("{list}?state=withdrawn")),
        ("list, academia", format!("{list}?sector=academia")),
        ("list, search \"arbolado\"", format!("{list}?q=arbolado")),
        ("list, middle page", format!("{list}?page={}", pages / 2)),
        ("list, last page", format!("{list}?page={pages}")),
        (
            "a proposal",
            format!("{}/proposals/{}", srv.base, f.middle_proposal),
        ),
        (
            "a roundtable",
            format!("{}/roundtables/{roundtable}", srv.base),
        ),
        (
            "a roundtable's boards",
            format!("{}/roundtables/{roundtable}/board", srv.base),
        ),
        ("a sheet", format!("{}/commitments/{sheet}", srv.base)),
        (
            "a sheet's comments",
            format!("{}/commitments/{sheet}/comments", srv.base),
        ),
        // No query of its own: what the frame, the session and a render cost.
        ("the privacy notice", format!("{}/privacy", srv.base)),
    ];
    let client = reqwest::Client::new();
    let session = session_cookie(&srv.base, &f.submitters[0]).await?;
    let pid = srv.pid.to_string();
    let mut rows = Vec::new();
    let began = Instant::now();
    for (name, url) in &targets {
        let from = Instant::now();
        let res = client.get(url).send().await?;
        ensure!(res.status().is_success(), "{url}: {}", res.status());
        let bytes = res.bytes().await?.len();
        let (s, c) = (o.seconds, o.connections);
        let visitor = wrk_cpu(&pid, url, s, c, &[]).await?;
        let signed_in = wrk_cpu(&pid, url, s, c, &[&session]).await?;
        let floor = wrk_cpu("self", &static_page(bytes).await?, s, c, &[]).await?;
        // Where the peak comes, for finding what raises it.
        eprintln!(
            "  {name}: {:.0}/s, signed in {:.0}/s ({:.0} µs of server CPU each; static {:.0}/s); \
             RSS up to {:.1} MiB",
            visitor.per_second,
            signed_in.per_second,
            signed_in.cpu_us,
            floor.per_second,
            memory.peak_since(from) as f64 / 1024.0
        );
        rows.push(Row {
            name,
            bytes,
            visitor,
            signed_in,
            floor,
        });
    }
    // As a browser asks: compressed (a visitor's kept page was gzipped once,
    // when kept; a signed-in person's is compressed anew).
    const BROWSER: &str = "gzip, deflate, br, zstd";
    let accept = format!("Accept-Encoding: {BROWSER}");
    let visitor = wrk_cpu(&pid, &list, o.seconds, o.connections, &[&accept]).await?;
    let signed_in = wrk_cpu(&pid, &list, o.seconds, o.connections, &[&accept, &session]).await?;
    // The second of two answers: the first keeps the page (the one a visitor
    // then gets) after the signed-in load let it expire.
    let mut bytes = 0;
    for _ in 0..2 {
        bytes = client
            .get(&list)
            .header("accept-encoding", BROWSER)
            .send()
            .await?
            .bytes()
            .await?
            .len();
    }
    let floor = wrk_cpu(
        "self",
        &static_page(bytes).await?,
        o.seconds,
        o.connections,
        &[],
    )
    .await?;
    rows.push(Row {
        name: "list, newest, compressed",
        bytes,
        visitor,
        signed_in,
        floor,
    });
    let submitting = Instant::now();
    let submitted = crate::city_submissions::run(
        &srv.base,
        &url,
        &f.slug,
        f.axis_id,
        &f.submitters,
        SUBMISSIONS_EACH,
        o.connections,
    )
    .await?;
    let peak = memory.peak_since(began);
    let started_in = srv.started_in.as_secs_f64();
    srv.stop().await;
    eprintln!(
        "  submissions: {:.0}/s, {} acknowledged, {} stored; RSS up to {:.1} MiB in them, peak {:.1} MiB",
        submitted.per_second,
        submitted.acknowledged,
        submitted.stored,
        memory.peak_since(submitting) as f64 / 1024.0,
        peak as f64 / 1024.0
    );
    Ok(Measured {
        size: n,
        rows,
        submitted,
        started_in,
        filled_secs: f.took_secs,
        peak_kib: peak,
    })
}

fn report_size(w: &mut String, engine: &str, m: &Measured) {
    let _ = writeln!(
        w,
        "\n### {engine}: {} proposals (filled in {:.0} s through the store; server started in {:.2} s, \
         peak RSS {:.1} MiB)\n",
        m.size,
        m.filled_secs,
        m.started_in,
        m.peak_kib as f64 / 1024.0
    );
    let _ = writeln!(
        w,
        "| page | bytes | req/s | p50 ms | p99 ms | ratio | signed in req/s | p50 ms | p99 ms | ratio | failed | static req/s | static p99 ms | server CPU µs/req: visitor / signed in / static |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    );
    for r in &m.rows {
        let (v, i, s) = (&r.visitor, &r.signed_in, &r.floor);
        let _ = writeln!(
            w,
            "| {} | {} | {:.0} | {:.2} | {:.2} | {:.3} | {:.0} | {:.2} | {:.2} | {:.3} | {} | {:.0} | {:.2} | {:.0} / {:.0} / {:.0} |",
            r.name,
            r.bytes,
            v.per_second,
            v.p50_ms,
            v.p99_ms,
            v.per_second / s.per_second,
            i.per_second,
            i.p50_ms,
            i.p99_ms,
            i.per_second / s.per_second,
            v.failed + i.failed,
            s.per_second,
            s.p99_ms,
            v.cpu_us,
            i.cpu_us,
            s.cpu_us,
        );
    }
    let s = &m.submitted;
    let _ = writeln!(
        w,
        "\nSubmissions: {:.0} per second, p50 {:.1} ms, p99 {:.1} ms; {} acknowledged, {} refused, \
         {} in the database afterwards{}.",
        s.per_second,
        s.p50_ms,
        s.p99_ms,
        s.acknowledged,
        s.refused,
        s.stored,
        if s.stored as usize == s.acknowledged { "" } else { " (LOST SOME)" }
    );
}

/// Time per request at each size relative to the first size.
fn report_growth(w: &mut String, engine: &str, by_size: &[Measured]) {
    let [first, rest @ ..] = by_size else { return };
    if rest.is_empty() {
        return;
    }
    let _ = writeln!(
        w,
        "\n### {engine}: cost as the data grows (time per signed-in request, rendered every time, relative to {} proposals)\n",
        first.size
    );
    let header: Vec<String> = rest.iter().map(|m| m.size.to_string()).collect();
    let _ = writeln!(
        w,
        "| page | {} |\n|---|{}",
        header.join(" | "),
        "---:|".repeat(header.len())
    );
    for (i, row) in first.rows.iter().enumerate() {
        let ratios: Vec<String> = rest
            .iter()
            .map(|m| {
                format!(
                    "{:.2}×",
                    row.signed_in.per_second / m.rows[i].signed_in.per_second
                )
            })
            .collect();
        let _ = writeln!(w, "| {} | {} |", row.name, ratios.join(" | "));
    }
}
