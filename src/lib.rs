//! partnerpress: a static site generator for partnership news and fact sheets.
//!
//! The pipeline, one module per stage:
//! `content::load` (reads the tree) → `model::resolve` (checks and links) →
//! `render::render_site` (pages in memory) → `output::Staging` (atomic swap), all run
//! by a [`Session`] in one of its [`Mode`]s.
//! Every stage returns diagnostics instead of stopping at the first problem; the
//! library never prints — the binary decides what the user sees.

#![deny(clippy::print_stdout, clippy::print_stderr)]
#![warn(unreachable_pub, missing_docs)]

pub(crate) mod card_output;
pub mod content;
pub mod diagnostics;
pub(crate) mod edits;
pub mod init;
pub(crate) mod kit_output;
pub(crate) mod linkcheck;
pub(crate) mod media;
pub(crate) mod media_output;
pub mod model;
pub mod output;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod slug;
pub(crate) mod timings;

use crate::diagnostics::Code;
use crate::media::derived_cache::DerivedCache;
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

/// What becomes of the large values a run is done with.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum Disposal {
    /// Freed on another thread ([`drop_later`]): the process goes on.
    #[default]
    Free,
    /// Left to the operating system, which reclaims the whole process at its exit
    /// right after the run: freeing them took 3 % of a 10,000-release build's CPU
    /// time, on a core the build needed.
    AtExit,
}

impl Disposal {
    pub(crate) fn dispose<T: Send + 'static>(self, value: T) {
        match self {
            Disposal::Free => drop_later(value),
            Disposal::AtExit => std::mem::forget(value),
        }
    }
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
    pub now: Option<model::Now>,
    /// Treat every warning as an error, so nothing with a warning is published
    /// (`--deny-warnings`, for CI).
    pub deny_warnings: bool,
    /// `build` and `serve` without following the rendered site's internal links and
    /// images (`--no-link-check`); `check` always follows them.
    pub no_link_check: bool,
}

impl BuildOptions {
    /// The output folder: `--output`, else `public/` inside the site root.
    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

/// What a run of a [`Session`] does with the site it renders. Every mode loads,
/// resolves and renders the same way and reports in one [`BuildReport`]; only the last
/// step differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Writes the site into the output folder (`build`, `build --watch`): each page as
    /// it is rendered, into a staging folder swapped in when the site has no errors.
    Build,
    /// Renders in memory and follows every internal link and anchor; publishes nothing.
    Check,
    /// Keeps the site in memory (`serve`), handed over in [`BuildReport::site`].
    Serve,
}

/// The outcome of one run: every diagnostic, and what was made of the site.
#[derive(Debug, Default)]
pub struct BuildReport {
    /// Every problem found, sorted by place.
    pub diagnostics: Vec<Diagnostic>,
    /// Pages and files per kind, when rendering succeeded.
    pub counts: BTreeMap<&'static str, usize>,
    /// How many files the site has.
    pub files: usize,
    /// Wall time of the run.
    pub elapsed: Duration,
    /// True when the site was published: the output folder replaced (`Build`) or the
    /// site handed over in `site` (`Serve`). Never with errors.
    pub published: bool,
    /// The earliest embargo still to lift: release id and moment
    /// (`2026-12-01T10:00:00+01:00`, in the site's time zone), for a scheduled rebuild.
    pub next_embargo: Option<(String, String)>,
    /// Drafts and embargoed releases left out of the site (none with `--drafts`).
    pub hidden: Hidden,
    /// The site's default language, once `site.yaml` was read (for messages to the writer).
    pub language: String,
    /// Time per stage and per template (`build --timings`).
    pub timings: timings::Timings,
    /// Pages rendered in this run (the rest were reused).
    pub pages_rendered: usize,
    /// Pages taken unchanged from the previous run (watch, serve).
    pub pages_reused: usize,
    /// Images of `content/media/` processed in this run (`build`, `serve`).
    pub media_processed: usize,
    /// Images whose processed files came from the cache instead.
    pub media_reused: usize,
    /// Share cards drawn in this run (`build`, `serve`).
    pub cards_drawn: usize,
    /// Share cards taken from the cache instead.
    pub cards_reused: usize,
    /// Press kits zipped in this run (`build`, `serve`).
    pub kits_zipped: usize,
    /// Press kits taken from the cache instead.
    pub kits_reused: usize,
    /// `Serve`: the published site, in memory.
    pub site: Option<render::RenderedSite>,
    /// On a rebuild, each file made again and why (`--timings`): a patch (`serve` after
    /// edits of release texts only) names the change each file shows; a full rebuild
    /// says whether a page is new or what it shows changed.
    pub remade: Vec<String>,
    /// A rebuild after changes that was not patched: why the whole site was rendered.
    pub full_because: Option<String>,
}

/// What a run without `--drafts` leaves out, so a writer who misses a page learns why.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Hidden {
    /// Releases and pages with `draft: true`.
    pub drafts: usize,
    /// Releases whose embargo has not lifted (drafts among them are counted as drafts).
    pub embargoed: usize,
}

impl Hidden {
    /// "2 drafts and 1 embargoed release hidden (--drafts shows them)" in English, or in
    /// German for a site in German; `None` when nothing is hidden.
    pub fn note(&self, lang: &str) -> Option<String> {
        let (drafts, embargoed) = (self.drafts, self.embargoed);
        let count = |n: usize, one: &str, many: &str| {
            (n > 0).then(|| format!("{n} {}", if n == 1 { one } else { many }))
        };
        let (parts, and, end) = if lang == "de" {
            let parts = [
                count(drafts, "Entwurf", "Entwürfe"),
                count(
                    embargoed,
                    "Meldung unter Sperrfrist",
                    "Meldungen unter Sperrfrist",
                ),
            ];
            (
                parts,
                " und ",
                "ausgeblendet (mit --drafts sichtbar)".to_owned(),
            )
        } else {
            let them = if drafts + embargoed == 1 {
                "it"
            } else {
                "them"
            };
            let parts = [
                count(drafts, "draft", "drafts"),
                count(embargoed, "embargoed release", "embargoed releases"),
            ];
            (parts, " and ", format!("hidden (--drafts shows {them})"))
        };
        let parts: Vec<String> = parts.into_iter().flatten().collect();
        (!parts.is_empty()).then(|| format!("{} {end}", parts.join(and)))
    }
}

impl BuildReport {
    /// Whether any diagnostic is an error (then nothing was published).
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Builds, checks or previews a site. A session made with [`Session::new`] remembers
/// what it read and rendered, for `build --watch` and `serve`: after an edit only
/// changed files are parsed, and only bodies and pages whose inputs changed are
/// rendered again. The result is always what a clean run would give.
#[derive(Debug)]
pub struct Session {
    opts: BuildOptions,
    files: content::FileCache,
    cache: render::RenderCache,
    /// The media files made by the last run, reused while their photo is unchanged.
    media: media_output::MadeFiles,
    /// Whether this run's bodies and pages are kept for the next run.
    keep: bool,
    disposal: Disposal,
    /// The files the watcher says changed before the next run (`serve`, not polling).
    changed: Option<Vec<PathBuf>>,
    /// The last `serve` run without diagnostics, which edits of release texts patch.
    last: Option<edits::LastRun>,
    /// This run's model and media files, until the run turns out to be a `last`.
    pending: Option<(model::Site, Vec<render::OutputFile>, DerivedCache)>,
}

impl Session {
    /// A session for many runs, keeping its caches between them.
    pub fn new(opts: BuildOptions) -> Self {
        Self {
            opts,
            files: content::FileCache::default(),
            cache: render::RenderCache::default(),
            media: media_output::MadeFiles::default(),
            keep: true,
            disposal: Disposal::Free,
            changed: None,
            last: None,
            pending: None,
        }
    }

    /// The files that changed since the last run, as the watcher saw them: the next
    /// `serve` run may patch the last one instead of rendering the whole site
    /// (`edits.rs`), after checking that each is what it seems. Absolute paths under
    /// the canonical site root.
    pub fn changed(&mut self, paths: Vec<PathBuf>) {
        self.changed = Some(paths);
    }

    /// Whether every one of `paths` (the watcher's, absolute under the canonical site
    /// root) is a content file the last run read, unchanged since (the same modification
    /// time, size and inode): a late report of a change that run already built. A
    /// polling watcher reports a save that renames over the file in two polls when a
    /// poll falls between the write and the rename (first the folder, then the file).
    pub fn already_built(&self, paths: &[PathBuf]) -> bool {
        self.files.all_as_read(&self.opts.root, paths)
    }

    /// A session for one run (`build`, `check`): keeps nothing for a next one, so the
    /// rendered pages are freed as soon as they are written.
    pub fn once(opts: BuildOptions) -> Self {
        Self {
            keep: false,
            files: content::FileCache::once(),
            ..Self::new(opts)
        }
    }

    /// A session for the last run of the process (the `build` and `check` commands):
    /// as [`Session::once`], and what the run is done with (model, bodies, views) is
    /// not freed but left to the operating system, which reclaims it when the process
    /// exits right after.
    pub fn last(opts: BuildOptions) -> Self {
        Self {
            disposal: Disposal::AtExit,
            ..Self::once(opts)
        }
    }

    /// The options every run of this session uses.
    pub fn options(&self) -> &BuildOptions {
        &self.opts
    }

    /// Runs the pipeline once in `mode`. I/O failures (disk full, refused output
    /// folder) are `Err`; problems in the site are diagnostics in the report.
    pub fn run(&mut self, mode: Mode) -> anyhow::Result<BuildReport> {
        self.run_waiting(mode, &|_| {})
    }

    /// `run`, calling `on_wait` (with the other build's process, when known) before a
    /// `Build` waits for another build of the same output folder to finish.
    pub fn run_waiting(
        &mut self,
        mode: Mode,
        on_wait: &dyn Fn(&str),
    ) -> anyhow::Result<BuildReport> {
        let start = Instant::now();
        let mut full_because = None;
        if mode == Mode::Serve && self.keep {
            match self.changed.take() {
                Some(changed) => match self.patch_edits(&changed, !self.opts.no_link_check) {
                    Ok(report) => return Ok(report),
                    Err(why) => full_because = Some(why.into_owned()),
                },
                None if self.last.is_some() => {
                    full_because = Some("no list of changed files (a polling watcher)".into());
                }
                None => {}
            }
        }
        self.changed = None;
        self.disposal.dispose(self.last.take());
        // Checked before every build: between two runs of a session the output may have
        // been replaced (by a file, a link, a repository) that must not go.
        let staging = match mode {
            Mode::Build => {
                let output = self.opts.output_dir();
                output::check_output_dir(&self.opts.root, &output)?;
                Some(output::Staging::new_waiting(&output, on_wait)?)
            }
            Mode::Check | Mode::Serve => None,
        };
        // Pages are written into the staging folder as they are rendered; the rest of
        // the files follow, and the folder replaces the output only when the build
        // succeeded (a dropped `Staging` removes itself).
        let write_page = |page: &render::OutputFile| {
            if let Some(staging) = &staging {
                staging.write_file(page);
            }
        };
        let sink = staging.is_some().then_some(&write_page as render::PageSink);
        let check_links = mode == Mode::Check || !self.opts.no_link_check;
        let (rendered, mut report) = self.render((sink, staging.as_ref()), check_links, mode);
        if let Some(site) = &rendered {
            report.files = site.files.len() + site.streamed.len() + site.on_disk.len();
            report.counts = site.counts.clone();
        }
        if self.opts.deny_warnings {
            diagnostics::deny_warnings(&mut report.diagnostics);
        }
        // The one place that decides: a site with errors is never published.
        let publishable = rendered.filter(|_| !report.has_errors());
        match (publishable, staging) {
            (Some(site), Some(staging)) => {
                let start = Instant::now();
                staging.write_all(&site.files)?;
                staging.commit()?;
                report.timings.stages.push(("write", start.elapsed()));
                report.published = true;
                self.disposal.dispose(site);
            }
            (Some(site), None) if mode == Mode::Serve => {
                match self
                    .pending
                    .take()
                    .filter(|_| report.diagnostics.is_empty())
                {
                    Some((model, media, kit_cache)) => {
                        let last = edits::LastRun::new(model, site, (media, kit_cache), &report);
                        report.site = Some(last.served());
                        self.last = Some(last);
                    }
                    None => report.site = Some(site),
                }
                report.published = true;
            }
            (site, _) => self.disposal.dispose(site),
        }
        self.disposal.dispose(self.pending.take());
        report.full_because = full_because;
        report.elapsed = start.elapsed();
        Ok(report)
    }

    /// Loads, resolves and renders, reusing what is unchanged, handing each page to
    /// `sink` (when given) as soon as it is rendered. The site comes back even with
    /// errors in bodies, so `check` can follow its other links.
    fn render(
        &mut self,
        (sink, staging): (Option<render::PageSink>, Option<&output::Staging>),
        check_links: bool,
        mode: Mode,
    ) -> (Option<render::RenderedSite>, BuildReport) {
        let opts = &self.opts;
        let mut report = BuildReport::default();
        let (raw, mut diags) = report
            .timings
            .time("load", || content::load_cached(&opts.root, &mut self.files));
        let resolve_opts = model::ResolveOptions {
            drafts: opts.drafts,
            base_url: opts.base_url.clone(),
            local_origin: opts.local_origin.clone(),
            now: Some(opts.now.unwrap_or_else(|| jiff::Timestamp::now().into())),
        };
        let mut rendered = None;
        if !diags
            .iter()
            .any(|d| d.is_error() && d.code == Code::NoContent)
        {
            // Resolving consumes the theme; this copy of its templates (a few KB) is
            // checked when site.yaml is too broken to resolve.
            let templates = content::RawTheme {
                name: raw.theme.name.clone(),
                templates: raw.theme.templates.clone(),
                site_templates: raw.theme.site_templates.clone(),
                ..content::RawTheme::default()
            };
            let (site, mut more) = report
                .timings
                .time("resolve", || model::resolve(raw, &resolve_opts));
            diags.append(&mut more);
            if let Some(site) = &site {
                report.hidden = site.hidden();
                report.language = site.default_language().to_owned();
                report.next_embargo = site.next_embargo.as_ref().map(|(id, t)| {
                    let at = model::dates::format_timestamp(*t, &site.config.timezone);
                    (id.clone(), at)
                });
            }
            match site {
                Some(site) if !diags.iter().any(Diagnostic::is_error) => {
                    let made = (self.keep && mode == Mode::Serve).then_some(&mut self.media);
                    let media = media_files(&opts.root, &site, (staging, made), mode, &mut report);
                    // A run whose media failed publishes nothing: its kits are not made
                    // (a missing photo would be a second error for one mistake).
                    let media_failed = media.diagnostics.iter().any(Diagnostic::is_error);
                    diags.extend(media.diagnostics);
                    let kit_writer = kit_output::KitWriter::new(&opts.root, staging, &media.files);
                    let write_kit = |kit: &render::PressKit| kit_writer.write(kit);
                    let kits = (mode != Mode::Check && !media_failed)
                        .then_some(&write_kit as render::KitSink);
                    let (mut site_files, mut more, mut stats) = render::render_site_cached(
                        &site,
                        &mut self.cache,
                        render::RenderRun {
                            keep: self.keep,
                            disposal: self.disposal,
                            sink,
                            check_links,
                            media: &media.files,
                            kits,
                        },
                    );
                    (report.kits_zipped, report.kits_reused) = kit_writer.counts();
                    // Every kit of the site went through the writer: the cache can
                    // forget the others.
                    let (kits_in_cache, kit_cache) = if staging.is_some()
                        && kits.is_some()
                        && !more.iter().any(Diagnostic::is_error)
                    {
                        kit_writer.prune();
                        (Vec::new(), None)
                    } else {
                        let (files, cache) = kit_writer.into_cache_files();
                        (files, Some(cache))
                    };
                    if mode != Mode::Serve {
                        self.cache.forget_kept(self.disposal);
                    }
                    let media_files = media.files;
                    report.timings.extend(std::mem::take(&mut stats.timings));
                    if let Some(rendered) = site_files.as_mut()
                        && mode != Mode::Check
                        && !more.iter().any(Diagnostic::is_error)
                    {
                        let cards = share_cards(&opts.root, rendered, staging, &mut report);
                        more.extend(cards);
                        kits_from_cache(rendered, kits_in_cache);
                    }
                    report.pages_rendered = stats.pages_rendered;
                    report.pages_reused = stats.pages_reused;
                    report.remade = std::mem::take(&mut stats.remade);
                    report.remade.sort();
                    diags.append(&mut more);
                    if self.keep
                        && mode == Mode::Serve
                        && let Some(kit_cache) = kit_cache
                    {
                        self.pending = Some((site, media_files, kit_cache));
                    } else {
                        self.disposal.dispose((site, media_files));
                    }
                    rendered = site_files;
                }
                Some(site) => {
                    diags.extend(render::check_bodies(&site));
                    diags.extend(render::check_templates(&site.theme));
                }
                None => diags.extend(render::check_templates(&templates)),
            }
        }
        diagnostics::sort(&mut diags);
        diags.dedup();
        report.diagnostics = diags;
        (rendered, report)
    }
}

/// The media step of a run: `check` only lists the files, `build` and `serve` make them
/// (a build puts them into `staging` at once).
fn media_files(
    root: &std::path::Path,
    site: &model::Site,
    (staging, made): (
        Option<&output::Staging>,
        Option<&mut media_output::MadeFiles>,
    ),
    mode: Mode,
    report: &mut BuildReport,
) -> media_output::MediaOutput {
    if site.media.is_empty() && site.media_documents.is_empty() {
        return media_output::MediaOutput::default();
    }
    let media = report.timings.time("media", || match mode {
        Mode::Check => media_output::expected(site),
        Mode::Build | Mode::Serve => media_output::publish(root, site, staging, made),
    });
    report.media_processed = media.processed;
    report.media_reused = media.reused;
    media
}

/// `serve`: the press kits are served from their cache folder, not held in memory;
/// the render listed them as written elsewhere.
fn kits_from_cache(rendered: &mut render::RenderedSite, kits: Vec<(String, PathBuf)>) {
    if kits.is_empty() {
        return;
    }
    {
        let paths: std::collections::HashSet<&str> = kits.iter().map(|(p, _)| p.as_str()).collect();
        rendered.streamed.retain(|p| !paths.contains(p.as_str()));
    }
    rendered.on_disk.extend(kits);
}

/// The share cards the rendered pages link to, made after the render (`card_output`):
/// linked into `staging` (a build) or kept in the site's files (`serve`).
fn share_cards(
    root: &std::path::Path,
    rendered: &mut render::RenderedSite,
    staging: Option<&output::Staging>,
    report: &mut BuildReport,
) -> Vec<Diagnostic> {
    let cards = std::mem::take(&mut rendered.cards);
    if cards.is_empty() {
        return Vec::new();
    }
    let made = report.timings.time("share cards", || {
        card_output::publish(root, &cards, staging)
    });
    *rendered.counts.entry("share cards").or_default() += made.files.len() + made.on_disk.len();
    report.cards_drawn = made.drawn;
    report.cards_reused = made.reused;
    rendered
        .streamed
        .extend(made.files.into_iter().map(|f| f.path));
    rendered.on_disk.extend(made.on_disk);
    made.diagnostics
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

/// Creates a new site for `partnerpress init` in `root`; returns the files made.
/// Refuses a folder with anything in it unless `force`, and even then every file it
/// would write must be new: nothing is written when one exists.
pub fn init(
    root: &std::path::Path,
    opts: &init::InitOptions,
    force: bool,
) -> anyhow::Result<Vec<PathBuf>> {
    let files = init::site_files(opts).map_err(anyhow::Error::msg)?;
    let occupied = std::fs::read_dir(root).is_ok_and(|mut entries| entries.next().is_some());
    if occupied && !force {
        anyhow::bail!(
            "`{}` is not empty\n  = help: run `partnerpress init` in a new or empty folder, e.g. `partnerpress init newsroom`, or pass `--force` to add the site's files beside what is there (existing files are never overwritten)",
            root.display()
        );
    }
    if let Some((rel, _)) = files.iter().find(|(rel, _)| root.join(rel).exists()) {
        anyhow::bail!(
            "`{}` already exists; nothing was written\n  = help: `init` never overwrites a file: move it away or start in an empty folder",
            root.join(rel).display()
        );
    }
    let mut made = Vec::with_capacity(files.len());
    for (rel, text) in files {
        let path = root.join(rel);
        output::create_file(&path, &text)?;
        made.push(path);
    }
    Ok(made)
}
