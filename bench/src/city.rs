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
const SECTORS: &[&str] = &[
    "civil_society",
    "academia",
    "private_sector",
    "public_sector",
    "multilateral",
];

pub struct Options<'a> {
    pub server: &'a Path,
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
    took_secs: f64,
}

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
    let mut authors = Vec::with_capacity(AUTHORS);
    for i in 0..AUTHORS {
        let id = app::accounts::store::create_user(
            &db,
            &format!("vecina{i}@city.bench.example.org"),
            &format!("Vecina {i}"),
            "not-a-password-hash",
            Role::Participant,
            Some("1"),
        )
        .await?
        .context("author exists")?;
        authors.push(id);
    }
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
    db.pool.close().await;
    Ok(Filled {
        slug,
        axis_id: axes[3],
        middle_proposal: ids[ids.len() / 2].0,
        took_secs: began.elapsed().as_secs_f64(),
    })
}

#[derive(Clone, Copy, Default)]
struct Load {
    per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    failed: u64,
}

/// `wrk --latency` against `url`.
async fn wrk(url: &str, seconds: u64, connections: usize) -> Result<Load> {
    let out = tokio::process::Command::new("wrk")
        .args([
            "-t2",
            &format!("-c{connections}"),
            &format!("-d{seconds}s"),
            "--latency",
            url,
        ])
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
    let mut load = Load::default();
    for line in text.lines().map(str::trim) {
        let parts: Vec<&str> = line.split_whitespace().collect();
        match parts.as_slice() {
            ["50%", v] => load.p50_ms = ms(v).unwrap_or(f64::NAN),
            ["99%", v] => load.p99_ms = ms(v).unwrap_or(f64::NAN),
            ["Requests/sec:", v] => load.per_second = v.parse().unwrap_or(0.0),
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

pub async fn run(o: &Options<'_>, dir: &Path) -> Result<String> {
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(
        w,
        "\n## City-sized process\n\n{} comments per proposal, 500 authors, 10 axes, 20 organizations; \
         wrk -t2 -c{} -d{}s per row; \"static\" is a bare axum handler answering the same number of \
         bytes in the same run.",
        o.comments_per_proposal, o.connections, o.seconds
    );
    let mut by_size = Vec::new();
    for &n in o.sizes {
        let here = dir.join(format!("n{n}"));
        std::fs::create_dir_all(&here)?;
        let url = format!("sqlite://{}/cocrea.db?mode=rwc", here.display());
        eprintln!("filling {n} proposals");
        let f = fill(&url, n, o.comments_per_proposal).await?;
        let srv = crate::server::Server::start(o.server, &here).await?;
        let memory = crate::server::MemoryLog::spawn(srv.pid);
        let pages = (n / 20).max(1);
        let list = format!("{}/processes/{}/proposals", srv.base, f.slug);
        let targets = [
            ("list, newest", list.clone()),
            ("list, most supported", format!("{list}?sort=supported")),
            ("list, most commented", format!("{list}?sort=commented")),
            ("list, one axis", format!("{list}?axis={}", f.axis_id)),
            ("list, withdrawn", format!("{list}?state=withdrawn")),
            ("list, academia", format!("{list}?sector=academia")),
            ("list, search \"arbolado\"", format!("{list}?q=arbolado")),
            ("list, middle page", format!("{list}?page={}", pages / 2)),
            ("list, last page", format!("{list}?page={pages}")),
            (
                "a proposal",
                format!("{}/proposals/{}", srv.base, f.middle_proposal),
            ),
        ];
        let client = reqwest::Client::new();
        let mut rows = Vec::new();
        let began = Instant::now();
        for (name, url) in &targets {
            let res = client.get(url).send().await?;
            ensure!(res.status().is_success(), "{url}: {}", res.status());
            let size = res.bytes().await?.len();
            let load = wrk(url, o.seconds, o.connections).await?;
            let floor = wrk(&static_page(size).await?, o.seconds, o.connections).await?;
            eprintln!(
                "  {name}: {:.0}/s (static {:.0}/s)",
                load.per_second, floor.per_second
            );
            rows.push((*name, size, load, floor));
        }
        let peak = memory.peak_since(began);
        srv.stop().await;
        let _ = writeln!(
            w,
            "\n### {n} proposals, {} comments (filled in {:.0} s through the store; server peak RSS {:.1} MiB)\n",
            n * o.comments_per_proposal,
            f.took_secs,
            peak as f64 / 1024.0
        );
        let _ = writeln!(
            w,
            "| page | bytes | req/s | p50 ms | p99 ms | failed | static req/s | static p99 ms | ratio |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|"
        );
        for (name, size, l, s) in &rows {
            let _ = writeln!(
                w,
                "| {name} | {size} | {:.0} | {:.2} | {:.2} | {} | {:.0} | {:.2} | {:.3} |",
                l.per_second,
                l.p50_ms,
                l.p99_ms,
                l.failed,
                s.per_second,
                s.p99_ms,
                l.per_second / s.per_second
            );
        }
        by_size.push((n, rows));
    }
    if by_size.len() > 1 {
        let (small, first) = &by_size[0];
        let _ = writeln!(
            w,
            "\n### Cost as the data grows (time per request relative to {small} proposals)\n"
        );
        let header: Vec<String> = by_size[1..].iter().map(|(n, _)| format!("{n}")).collect();
        let _ = writeln!(
            w,
            "| page | {} |\n|---|{}",
            header.join(" | "),
            "---:|".repeat(header.len())
        );
        for (i, (name, ..)) in first.iter().enumerate() {
            let ratios: Vec<String> = by_size[1..]
                .iter()
                .map(|(_, rows)| format!("{:.2}×", first[i].2.per_second / rows[i].2.per_second))
                .collect();
            let _ = writeln!(w, "| {name} | {} |", ratios.join(" | "));
        }
    }
    Ok(out)
}
