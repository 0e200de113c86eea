//! Stage benchmarks for profiling: each pipeline stage alone, with its input prepared
//! outside the timed code, the whole build end to end, and an incremental rebuild.
//!
//! `cargo bench --bench stages` (`-- markdown` for one group; `cargo test --bench
//! stages` runs each benchmark once, as a smoke test). The site is a synthetic corpus
//! of `PARTNERPRESS_BENCH_N` releases (default 1,000) written once by
//! `../shared/bench/gen_corpus.py` into
//! `target/bench-corpus/<N>` and reused after that; `PARTNERPRESS_BENCH_SITE=/path`
//! benchmarks an existing site instead. Without python3 or the generator, the
//! `tests/fixtures/fifty` fixture is used. The build's "now" is fixed, so every run sees
//! the same embargoes.

use criterion::{BatchSize, Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use partnerpress::content::{self, RawSite};
use partnerpress::model::{self, ResolveOptions, Site};
use partnerpress::render::markdown::{self, MarkdownContext, Resolution};
use partnerpress::render::{self, RenderedSite};
use partnerpress::{BuildOptions, Mode, output};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

#[path = "../tests/support/tree.rs"]
mod tree;
use tree::copy_dir;

const DEFAULT_N: usize = 1000;
const SEED: &str = "20260101";
/// After the corpus' last release (2026-10-31), so no embargo or date is in the future.
const NOW: &str = "2026-11-01T12:00:00Z";

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn now() -> jiff::Timestamp {
    NOW.parse().expect("NOW is a valid timestamp")
}

fn resolve_options() -> ResolveOptions {
    ResolveOptions {
        now: Some(now().into()),
        ..ResolveOptions::default()
    }
}

/// The site root to benchmark, chosen (and generated if needed) once per run.
fn site_root() -> &'static Path {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        let root = choose_site();
        eprintln!("partnerpress bench site: {}", root.display());
        root
    })
}

fn choose_site() -> PathBuf {
    if let Some(site) = std::env::var_os("PARTNERPRESS_BENCH_SITE") {
        let site = PathBuf::from(site);
        assert!(
            site.join("content").is_dir(),
            "PARTNERPRESS_BENCH_SITE={} has no content/ folder",
            site.display()
        );
        eprintln!("using PARTNERPRESS_BENCH_SITE");
        return site;
    }
    let n = match std::env::var("PARTNERPRESS_BENCH_N") {
        Ok(v) => v
            .parse::<usize>()
            .ok()
            .filter(|&n| n > 0)
            .unwrap_or_else(|| panic!("PARTNERPRESS_BENCH_N={v:?} is not a positive number")),
        Err(_) => DEFAULT_N,
    };
    let dir = manifest_dir()
        .join("target/bench-corpus")
        .join(n.to_string());
    if dir.join("content/site.yaml").is_file() {
        eprintln!("reusing the generated corpus of {n} releases");
        return dir;
    }
    match generate(n, &dir) {
        Ok(()) => {
            eprintln!("generated a corpus of {n} releases");
            dir
        }
        Err(why) => {
            eprintln!("cannot generate the corpus ({why}); using tests/fixtures/fifty instead");
            manifest_dir().join("tests/fixtures/fifty")
        }
    }
}

/// Runs gen_corpus.py into a scratch folder and renames it into place only when it
/// succeeded, so an interrupted run never leaves a half-written corpus to be reused.
fn generate(n: usize, dir: &Path) -> Result<(), String> {
    let script = manifest_dir().join("../shared/bench/gen_corpus.py");
    if !script.is_file() {
        return Err(format!("{} not found", script.display()));
    }
    let partial = dir.with_extension("partial");
    let status = Command::new("python3")
        .arg(&script)
        .args(["--news", &n.to_string(), "--tool", "partnerpress"])
        .args(["--seed", SEED, "--force", "--out"])
        .arg(&partial)
        .status()
        .map_err(|e| format!("cannot run python3: {e}"))?;
    if !status.success() {
        return Err(format!("gen_corpus.py failed: {status}"));
    }
    std::fs::rename(&partial, dir).map_err(|e| format!("cannot move the corpus in place: {e}"))
}

/// The stages' inputs, each made once by the stage before it.
struct Inputs {
    root: PathBuf,
    raw: RawSite,
    site: Site,
    rendered: RenderedSite,
}

fn inputs() -> &'static Inputs {
    static INPUTS: OnceLock<Inputs> = OnceLock::new();
    INPUTS.get_or_init(|| {
        let root = site_root().to_path_buf();
        let (raw, mut diags) = content::load(&root);
        let (site, more) = model::resolve(raw.clone(), &resolve_options());
        diags.extend(more);
        let site = site.expect("site.yaml of the bench site is usable");
        let (rendered, more) = render::render_site(&site);
        diags.extend(more);
        let errors: Vec<_> = diags.iter().filter(|d| d.is_error()).collect();
        assert!(
            errors.is_empty(),
            "the bench site has errors, so the stages would not do their normal work: {errors:#?}"
        );
        let rendered = rendered.expect("a site without errors renders");
        eprintln!(
            "{}; {} output files, {} MB",
            site.describe(),
            rendered.files.len(),
            rendered
                .files
                .iter()
                .map(|f| f.contents.len())
                .sum::<usize>()
                / 1_000_000
        );
        Inputs {
            root,
            raw,
            site,
            rendered,
        }
    })
}

/// A fresh scratch folder under target/ for the output of `write` and `build`.
fn scratch_dir(name: &str) -> tempfile::TempDir {
    let parent = manifest_dir().join("target/bench-out");
    std::fs::create_dir_all(&parent).expect("cannot create target/bench-out");
    tempfile::Builder::new()
        .prefix(name)
        .tempdir_in(parent)
        .expect("cannot create a scratch folder under target/bench-out")
}

/// Few samples of equal size, short measurements: whole-site stages take milliseconds
/// to a second, and `cargo bench --bench stages` has to stay quick on a 2-core machine.
/// `seconds` is enough for 10 runs of the stage at 1,000 releases.
fn slow_group<'c>(
    c: &'c mut Criterion,
    name: &str,
    seconds: u64,
) -> criterion::BenchmarkGroup<'c, criterion::measurement::WallTime> {
    let mut group = c.benchmark_group(name);
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(seconds));
    group
}

fn bench_load(c: &mut Criterion) {
    let root = &inputs().root;
    let mut group = slow_group(c, "load", 5);
    group.bench_function("content::load", |b| {
        b.iter_with_large_drop(|| content::load(black_box(root)))
    });
    group.finish();
}

fn bench_resolve(c: &mut Criterion) {
    let raw = &inputs().raw;
    let opts = resolve_options();
    let mut group = slow_group(c, "resolve", 3);
    group.bench_function("model::resolve", |b| {
        b.iter_batched(
            || raw.clone(),
            |raw| model::resolve(raw, black_box(&opts)),
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

fn bench_markdown(c: &mut Criterion) {
    let site = &inputs().site;
    let paths = render::institution_paths(site);
    let autolinker = render::institution_autolinker(site);
    // The synthetic corpus has no `@/` links; `all_bodies_check_bodies` below measures
    // the real resolution.
    let resolve = |_: &str| Resolution::Missing;
    let url_of = |i: usize| paths[i].clone();
    let ctx = |autolink: bool| MarkdownContext {
        resolve: &resolve,
        autolink: autolink.then_some((&autolinker, &url_of as &dyn Fn(usize) -> String)),
        raw_html: site.allows_raw_html(),
        original_heading_ids: None,
        media: None,
    };
    let bodies: Vec<(&str, bool)> = site.release_markdown();
    // The release of median length stands for a typical one.
    let mut by_len = bodies.clone();
    by_len.sort_by_key(|(text, _)| text.len());
    let Some(&(typical, typical_autolink)) = by_len.get(by_len.len() / 2) else {
        eprintln!("the bench site has no releases; markdown skipped");
        return;
    };

    let mut group = c.benchmark_group("markdown");
    group
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    group.throughput(Throughput::Bytes(typical.len() as u64));
    let one = ctx(typical_autolink);
    group.bench_function("one_release", |b| {
        b.iter_with_large_drop(|| markdown::render(black_box(typical), &one))
    });

    let (plain, linked) = (ctx(false), ctx(true));
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs(4))
        .throughput(Throughput::Bytes(
            bodies.iter().map(|(text, _)| text.len() as u64).sum(),
        ));
    group.bench_function("all_releases_sequential", |b| {
        b.iter_with_large_drop(|| {
            bodies
                .iter()
                .map(|&(text, autolink)| {
                    let ctx = if autolink { &linked } else { &plain };
                    markdown::render(black_box(text), ctx)
                })
                .collect::<Vec<_>>()
        })
    });
    // What render_site does with bodies: every body of every kind in every language, in
    // parallel, plus the anchor checks (the public entry point to it).
    group.throughput(Throughput::Bytes(site.markdown_bytes()));
    group.bench_function("all_bodies_check_bodies", |b| {
        b.iter_with_large_drop(|| render::check_bodies(black_box(site)))
    });
    group.finish();
}

fn bench_render(c: &mut Criterion) {
    let site = &inputs().site;
    let mut group = slow_group(c, "render", 8);
    group.bench_function("render::render_site", |b| {
        b.iter_with_large_drop(|| render::render_site(black_box(site)))
    });
    group.finish();
}

fn bench_write(c: &mut Criterion) {
    let files = &inputs().rendered.files;
    let scratch = scratch_dir("write-");
    let out = scratch.path().join("public");
    let mut group = slow_group(c, "write", 8);
    // Into an empty place: only the new tree is written.
    group.bench_function("output::write_fresh", |b| {
        b.iter_batched(
            || {
                let _ = std::fs::remove_dir_all(&out);
            },
            |()| output::write(black_box(files), &out).expect("output::write"),
            BatchSize::PerIteration,
        )
    });
    // Over the previous build, as every rebuild does: includes removing the old tree.
    output::write(files, &out).expect("output::write");
    group.bench_function("output::write_replace", |b| {
        b.iter(|| output::write(black_box(files), &out).expect("output::write"))
    });
    group.finish();
}

fn bench_build(c: &mut Criterion) {
    let scratch = scratch_dir("build-");
    let opts = BuildOptions {
        root: inputs().root.clone(),
        output: Some(scratch.path().join("public")),
        now: Some(now().into()),
        ..BuildOptions::default()
    };
    let mut group = slow_group(c, "build", 9);
    group.bench_function("lib::build", |b| {
        b.iter(|| {
            let report = partnerpress::Session::once(black_box(&opts).clone())
                .run(Mode::Build)
                .expect("build");
            assert!(report.published, "the build wrote nothing");
            report
        })
    });
    group.finish();
}

/// What `serve` does after a save: the site is copied into a scratch folder, rendered
/// once by a `Session`, then each iteration changes one release's title (alternating
/// lengths, so the file cache sees the change) and renders again, reusing what it can.
fn bench_rebuild(c: &mut Criterion) {
    let scratch = scratch_dir("rebuild-");
    let root = scratch.path().join("site");
    copy_dir(&inputs().root.join("content"), &root.join("content"));
    let news = root.join("content/news");
    let mut releases: Vec<PathBuf> = std::fs::read_dir(&news)
        .expect("content/news")
        .map(|e| e.expect("entry").path())
        .collect();
    releases.sort();
    let Some(release) = releases.get(releases.len() / 2).cloned() else {
        eprintln!("the bench site has no releases; rebuild skipped");
        return;
    };
    let original = std::fs::read_to_string(&release).expect("read a release");
    let mut session = partnerpress::Session::new(BuildOptions {
        root: root.clone(),
        now: Some(now().into()),
        ..BuildOptions::default()
    });
    let _ = session.run(Mode::Serve);
    let mut group = slow_group(c, "rebuild", 8);
    let mut edit = 0usize;
    group.bench_function("title_edit", |b| {
        b.iter(|| {
            edit += 1;
            let retitled = original.replacen(
                "title: ",
                &format!("title: {} ", "x".repeat(edit % 2 + 1)),
                1,
            );
            std::fs::write(&release, retitled).expect("edit a release");
            let report = session.run(Mode::Serve).expect("render in memory");
            assert!(
                report.site.is_some() && report.pages_reused > 0,
                "{:?}",
                report.diagnostics
            );
            report
        })
    });
    group.finish();
}

criterion_group!(
    stages,
    bench_load,
    bench_resolve,
    bench_markdown,
    bench_render,
    bench_write,
    bench_build,
    bench_rebuild
);
criterion_main!(stages);
