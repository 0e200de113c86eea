//! partnerpress: a static site generator for partnership news and fact sheets.
//!
//! The pipeline, one module per stage:
//! `content::load` (reads the tree) → `model::resolve` (checks and links) →
//! `render::render_site` (pages in memory) → `output::write` (atomic swap).
//! Every stage returns diagnostics instead of stopping at the first problem; the
//! library never prints — the binary decides what the user sees.

#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod content;
pub mod diagnostics;
pub mod linkcheck;
pub mod model;
pub mod output;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod slug;
pub mod timings;

use crate::diagnostics::Code;
use diagnostics::Diagnostic;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Frees a large value (a site's views, bodies, rendered files) on another thread, off
/// the build's critical path: freeing tens of thousands of strings takes a tenth of a
/// second on the 10,000-release benchmark. When a one-off build exits first, the
/// operating system reclaims the memory wholesale.
pub(crate) fn drop_later<T: Send + 'static>(value: T) {
    let spawned = std::thread::Builder::new()
        .name("partnerpress-drop".into())
        .spawn(move || drop(value));
    // When no thread can be started, `spawn` drops the closure, and the value with it,
    // right here.
    drop(spawned);
}

/// What to build and how.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The site root, holding `content/` (and optionally `themes/`).
    pub root: PathBuf,
    /// Output folder; `public` inside the root when `None`.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` of site.yaml.
    pub base_url: Option<String>,
    /// Include drafts.
    pub drafts: bool,
    /// For previews (`serve`): replaces the scheme and host of `base_url`, keeping its
    /// path, e.g. `http://127.0.0.1:1111`.
    pub local_origin: Option<String>,
    /// The moment embargoes are compared with; `None` reads the clock once per build.
    /// Set for tests and reproducible builds (`PARTNERPRESS_NOW`, `--now`).
    pub now: Option<jiff::Timestamp>,
}

impl BuildOptions {
    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

/// The outcome of a build or check: every diagnostic, and the site if it could be made.
#[derive(Debug, Default)]
pub struct BuildReport {
    pub diagnostics: Vec<Diagnostic>,
    /// Pages and files per kind, when rendering succeeded.
    pub counts: BTreeMap<&'static str, usize>,
    pub files: usize,
    pub elapsed: Duration,
    /// True when the output folder was replaced.
    pub written: bool,
    /// The earliest embargo still to lift: release id and moment
    /// (`2026-12-01T10:00:00+01:00`, in the site's time zone), for a scheduled rebuild.
    pub next_embargo: Option<(String, String)>,
    /// Time per stage and per template (`build --timings`).
    pub timings: timings::Timings,
}

impl BuildReport {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Loads, resolves and renders the site in memory.
pub fn render(opts: &BuildOptions) -> (Option<render::RenderedSite>, Vec<Diagnostic>) {
    let (rendered, diags, _) = Session::new(opts.clone()).render_once();
    (rendered, diags)
}

/// `render` for one-off builds, with the report's embargo and timings filled in; with a
/// `sink`, pages go to it as they are rendered.
fn render_for_report(
    opts: &BuildOptions,
    sink: Option<render::PageSink>,
) -> (Option<render::RenderedSite>, BuildReport) {
    let mut session = Session::new(opts.clone());
    session.keep = false;
    let (rendered, diagnostics, stats) = session.render_into(sink);
    let report = BuildReport {
        diagnostics,
        next_embargo: session.next_embargo,
        timings: stats.timings,
        ..BuildReport::default()
    };
    (rendered, report)
}

/// A build that remembers what it read and rendered, for `build --watch` and `serve`:
/// after an edit only changed files are parsed, and only bodies and pages whose inputs
/// changed are rendered again. The result is always what a clean build would give.
#[derive(Debug)]
pub struct Session {
    opts: BuildOptions,
    files: content::FileCache,
    cache: render::RenderCache,
    keep: bool,
    next_embargo: Option<(String, String)>,
}

impl Session {
    pub fn new(opts: BuildOptions) -> Self {
        Self {
            opts,
            files: content::FileCache::default(),
            cache: render::RenderCache::default(),
            keep: true,
            next_embargo: None,
        }
    }

    pub fn options(&self) -> &BuildOptions {
        &self.opts
    }

    /// The earliest embargo still to lift as of the last render (release id, moment).
    pub fn next_embargo(&self) -> Option<&(String, String)> {
        self.next_embargo.as_ref()
    }

    /// One render without keeping anything for later (plain `build` and `check`).
    fn render_once(
        mut self,
    ) -> (
        Option<render::RenderedSite>,
        Vec<Diagnostic>,
        render::RenderStats,
    ) {
        self.keep = false;
        self.render()
    }

    /// Loads, resolves and renders in memory, reusing what is unchanged.
    pub fn render(
        &mut self,
    ) -> (
        Option<render::RenderedSite>,
        Vec<Diagnostic>,
        render::RenderStats,
    ) {
        self.render_into(None)
    }

    /// `render`, handing each page to `sink` (when given) as soon as it is rendered.
    fn render_into(
        &mut self,
        sink: Option<render::PageSink>,
    ) -> (
        Option<render::RenderedSite>,
        Vec<Diagnostic>,
        render::RenderStats,
    ) {
        let opts = &self.opts;
        let mut timings = timings::Timings::default();
        let (raw, mut diags) =
            timings.time("load", || content::load_cached(&opts.root, &mut self.files));
        let resolve_opts = model::ResolveOptions {
            drafts: opts.drafts,
            base_url: opts.base_url.clone(),
            local_origin: opts.local_origin.clone(),
            now: Some(opts.now.unwrap_or_else(jiff::Timestamp::now)),
        };
        self.next_embargo = None;
        let mut stats = render::RenderStats::default();
        let rendered = if diags
            .iter()
            .any(|d| d.is_error() && d.code == Code::NoContent)
        {
            None
        } else {
            // Resolving consumes the theme; this copy of its templates (a few KB) is
            // checked when site.yaml is too broken to resolve.
            let templates = content::RawTheme {
                name: raw.theme.name.clone(),
                templates: raw.theme.templates.clone(),
                site_templates: raw.theme.site_templates.clone(),
                ..content::RawTheme::default()
            };
            let (site, mut more) = timings.time("resolve", || model::resolve(raw, &resolve_opts));
            diags.append(&mut more);
            if let Some(site) = &site {
                self.next_embargo = site.next_embargo.as_ref().map(|(id, t)| {
                    let at = model::dates::format_timestamp(*t, &site.config.timezone);
                    (id.clone(), at)
                });
            }
            match site {
                Some(site) if !diags.iter().any(Diagnostic::is_error) => {
                    let (rendered, mut more, mut s) =
                        render::render_site_cached(&site, &mut self.cache, self.keep, sink);
                    timings.extend(std::mem::take(&mut s.timings));
                    stats = s;
                    diags.append(&mut more);
                    drop_later(site);
                    rendered
                }
                Some(site) => {
                    diags.extend(render::check_bodies(&site));
                    diags.extend(render::check_templates(&site.theme));
                    None
                }
                None => {
                    diags.extend(render::check_templates(&templates));
                    None
                }
            }
        };
        diagnostics::sort(&mut diags);
        diags.dedup();
        stats.timings = timings;
        (rendered, diags, stats)
    }
}

/// Builds the site into the output folder. I/O failures (disk full, refused output
/// folder) are `Err`; problems in the site are diagnostics in the report.
pub fn build(opts: &BuildOptions) -> anyhow::Result<BuildReport> {
    build_waiting(opts, &|_| {})
}

/// `build`, calling `on_wait` (with the other build's process, when known) before it
/// waits for another build of the same output folder to finish.
pub fn build_waiting(opts: &BuildOptions, on_wait: &dyn Fn(&str)) -> anyhow::Result<BuildReport> {
    let start = Instant::now();
    let output = opts.output_dir();
    output::check_output_dir(&opts.root, &output)?;
    // Pages are written into the staging folder as they are rendered; the rest of the
    // files follow, and the folder replaces the output only when the build succeeded
    // (a dropped `Staging` removes itself).
    let staging = output::Staging::new_waiting(&output, on_wait)?;
    let (rendered, mut report) = render_for_report(
        opts,
        Some(&|page: &render::OutputFile| staging.write_file(page)),
    );
    if let Some(site) = rendered.filter(|_| !report.has_errors()) {
        let start = Instant::now();
        staging.write_all(&site.files)?;
        staging.commit()?;
        report.timings.stages.push(("write", start.elapsed()));
        report.files = site.files.len() + site.streamed.len();
        report.counts = site.counts.clone();
        report.written = true;
        drop_later(site);
    }
    report.elapsed = start.elapsed();
    Ok(report)
}

/// Everything `build` checks, plus the rendered pages' internal links and anchors;
/// writes nothing.
pub fn check(opts: &BuildOptions) -> BuildReport {
    let start = Instant::now();
    let (rendered, mut report) = render_for_report(opts, None);
    if let Some(site) = rendered {
        let links = report
            .timings
            .time("link check", || linkcheck::check(&site));
        report.diagnostics.extend(links);
        diagnostics::sort(&mut report.diagnostics);
        report.diagnostics.dedup();
        report.files = site.files.len();
        report.counts = site.counts;
    }
    report.elapsed = start.elapsed();
    report
}

/// Creates a new content file for `partnerpress new`; returns its path.
/// Only inside a site (a folder with `content/site.yaml`), so a mistyped `--root` or
/// the wrong folder does not get a `content/` tree of its own.
pub fn create(root: &std::path::Path, request: &scaffold::NewFile) -> anyhow::Result<PathBuf> {
    if !root.join("content/site.yaml").is_file() {
        anyhow::bail!(
            "no site at `{}`: there is no `content/site.yaml`\n  = help: run `partnerpress new` in a site folder or pass `--root DIR`",
            root.display()
        );
    }
    let known = content::known_ids(root);
    let (rel, text) = scaffold::scaffold(request, &known).map_err(anyhow::Error::msg)?;
    let path = root.join(&rel);
    if path.exists() {
        anyhow::bail!(
            "`{}` already exists\n  = help: pass another id with `--id`",
            rel.display()
        );
    }
    output::create_file(&path, &text)?;
    Ok(path)
}
