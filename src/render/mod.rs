//! Rendering: model → output files, in memory.
//!
//! Renders every body's Markdown once per language (in parallel), checks `@/` anchors
//! against the headings found, builds the views shared by many pages once per language,
//! then renders every page, feed and data file in parallel. Pure: returns files and
//! diagnostics, writes nothing.

mod api;
mod api_media;
mod bodies;
mod body_media;
pub(crate) mod cards;
mod content_lines;
pub(crate) mod hrefs;
pub(crate) mod i18n;
mod images;
mod map;
pub mod markdown;
mod metadata;
mod network;
mod opendata;
mod pages;
pub(crate) mod patch;
mod press_kit;
mod redirects;
pub mod routes;
mod search;
mod templates;
pub(crate) mod vcard;
pub(crate) mod views;

use crate::diagnostics::Code;
use crate::diagnostics::Diagnostic;
use crate::model::Site;
use crate::timings::Timings;
use i18n::Language;
use routes::Routes;
use std::collections::BTreeMap;
use std::sync::Arc;

pub(crate) use bodies::{Bodies, BodyCache, BodyOf};
pub use bodies::{institution_autolinker, institution_paths};

/// One file of the finished site.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Path inside the output folder, `/`-separated.
    pub path: String,
    /// Shared, so unchanged pages move between rebuilds without copying.
    pub contents: bytes::Bytes,
}

/// Receives each page as soon as it is rendered: `build` writes it at once, so the
/// page's bytes are freed while the rest of the site renders.
pub(crate) type PageSink<'s> = &'s (dyn Fn(&OutputFile) + Sync);

/// Receives each release's press kit as the render describes it and gives back its
/// file: `build` zips and writes it at once (only its path comes back), `serve` keeps
/// its bytes; without one (`check`) only the path is listed.
pub(crate) type KitSink<'s> =
    &'s (dyn Fn(&press_kit::PressKit) -> Result<(OutputFile, u64), Diagnostic> + Sync);

pub(crate) use press_kit::{KitContents, PressKit};

/// The finished site and how many pages of each kind it has.
#[derive(Debug, Clone, Default)]
pub struct RenderedSite {
    /// Every file kept in memory (all of them without a sink).
    pub files: Vec<OutputFile>,
    /// Paths of the pages handed to a [`PageSink`] instead of kept in `files`.
    pub streamed: Vec<String>,
    /// `serve`: files kept in the site's caches (share cards), by output path and
    /// file, read when they are asked for instead of held in memory.
    pub on_disk: Vec<(String, std::path::PathBuf)>,
    /// Files per kind ("releases", "feeds", …), for the summary line.
    pub counts: BTreeMap<&'static str, usize>,
    /// The content file each page's text comes from, by output path, so problems found
    /// in the output can be reported where they were written.
    pub sources: rustc_hash::FxHashMap<String, Arc<crate::content::SourceFile>>,
    /// `base_url` and its path, which internal links start with.
    pub base_url: String,
    /// The path of `base_url`, starting and ending in `/`.
    pub base_path: String,
    /// Each rendered page's links and ids by output path, when links are checked;
    /// shared with the page cache.
    pub(crate) links: rustc_hash::FxHashMap<String, std::sync::Arc<hrefs::PageLinks>>,
    /// The share cards the pages link to, by path: drawn, but made into PNGs (and
    /// cached) after the render by `card_output`, which does the I/O.
    pub(crate) cards: Vec<cards::Card>,
}

/// Only the problems in Markdown bodies (broken `@/` links and anchors), for a site
/// that already has errors elsewhere: the build stops anyway, but every problem is
/// reported in the same run.
pub fn check_bodies(site: &Site) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let routes = Routes::of_site(&site.config);
    let languages = languages(site);
    Bodies::render(
        site,
        &routes,
        &languages,
        &mut diags,
        &mut BodyCache::default(),
    );
    diags
}

/// The theme's template syntax errors, for a site that already has errors elsewhere
/// (reported in the same run, not after the content is fixed).
pub(crate) fn check_templates(theme: &crate::content::RawTheme) -> Option<Diagnostic> {
    templates::compile(theme).err().map(|d| *d)
}

fn languages(site: &Site) -> Vec<Language> {
    site.config
        .languages
        .iter()
        .filter_map(|l| {
            site.theme
                .i18n
                .get(l)
                .map(|raw| Language::new(l, raw.clone()))
        })
        .collect()
}

/// Renders `site`. `None` when an error prevents a complete site; a site that comes with
/// errors (see [`render_site_cached`]) is for checking, not for publishing.
pub fn render_site(site: &Site) -> (Option<RenderedSite>, Vec<Diagnostic>) {
    let (rendered, diags, _) =
        render_site_cached(site, &mut RenderCache::default(), RenderRun::default());
    (rendered, diags)
}

/// How one render runs, besides the site and the cache.
#[derive(Default, Clone, Copy)]
pub(crate) struct RenderRun<'s> {
    /// Leave this render's pages and bodies in the cache for the next one.
    pub keep: bool,
    /// Receives each page as it is rendered instead of the result's `files`.
    pub sink: Option<PageSink<'s>>,
    /// Collect each page's links as it is rendered and follow them at the end
    /// (`linkcheck`).
    pub check_links: bool,
    /// The media files of `content/media/`, made before the pages: handed to the
    /// sink already when there is one (then only their paths count), else kept.
    pub media: &'s [OutputFile],
    /// What becomes of the bodies, views and links once the site is rendered.
    pub disposal: crate::Disposal,
    /// Zips and writes each press kit.
    pub kits: Option<KitSink<'s>>,
}

/// Renders `site`, reusing what `cache` holds from the previous render (see
/// [`RenderRun`]). The site comes back even when a body has an error (a broken `@/`
/// link), so `check` can follow its other links; only a site without errors may be
/// published.
pub(crate) fn render_site_cached(
    site: &Site,
    cache: &mut RenderCache,
    run: RenderRun,
) -> (Option<RenderedSite>, Vec<Diagnostic>, RenderStats) {
    let RenderRun {
        keep,
        sink,
        check_links,
        media,
        disposal,
        kits,
    } = run;
    let mut diags = Vec::new();
    let mut timings = Timings::default();
    let tera = match timings.time("templates", || templates::compile(&site.theme)) {
        Ok(t) => t,
        Err(d) => {
            let mut diags = check_bodies(site);
            diags.push(*d);
            return (None, diags, RenderStats::default());
        }
    };
    let routes = Routes::of_site(&site.config);
    let languages = languages(site);
    // What the last render kept for a patch describes another site now.
    disposal.dispose(cache.kept.take());
    cache.bodies.keep = keep;
    if cache.templates != site.theme.templates {
        cache.pages = pages::PageCache::default();
        cache.templates = site.theme.templates.clone();
    }
    // Pages are rendered even when a body has a broken link (it then links to `#`), so
    // one run also reports template errors and, in `check`, every other broken link.
    // The shared views do not read the bodies: they are built on one core while the
    // bodies render on the others.
    let (bodies, (shared, shared_took)) = timings.time("markdown", || {
        rayon::join(
            || Bodies::render(site, &routes, &languages, &mut diags, &mut cache.bodies),
            || timed(|| pages::Renderer::shared_views(site, &routes, &languages, &cache.pages)),
        )
    });
    timings.alongside("shared views", shared_took);
    let renderer = pages::Renderer::new(site, &routes, &tera, &bodies, shared, (keep, kits));
    // The data files (search index, open data) do not read the pages: they are made
    // on the same threads while the pages render, so no core waits for the slowest page.
    let search_cache = keep.then_some(&cache.search);
    let (result, ((open_data, (index, search)), data_took)) = timings.time("pages", || {
        templates::on_render_threads(|| {
            rayon::join(
                || renderer.render_all(sink, check_links),
                || timed(|| data_files(site, &routes, &languages, (&bodies, search_cache))),
            )
        })
    });
    timings.alongside("data files", data_took);
    if let Some(search) = search {
        disposal.dispose(std::mem::replace(&mut cache.search, search));
    }
    let (fresh, mut stats, langs) = renderer.into_cache(disposal);
    if keep && result.is_ok() {
        cache.pages = fresh;
    }
    timings.templates = std::mem::take(&mut stats.timings.templates);
    stats.timings = timings;
    let outcome = match result {
        Ok(mut rendered) => {
            rendered.base_url = site.config.base_url.clone();
            rendered.base_path = site.config.base_path.clone();
            rendered.files.extend(open_data);
            rendered.files.extend(index);
            for f in site.theme.static_files.iter().chain(&site.static_files) {
                rendered.files.push(OutputFile {
                    path: f.output_path.clone(),
                    contents: f.bytes.clone(),
                });
            }
            *rendered.counts.entry("static files").or_default() +=
                site.theme.static_files.len() + site.static_files.len();
            if !media.is_empty() {
                match sink {
                    Some(_) => (rendered.streamed).extend(media.iter().map(|f| f.path.clone())),
                    None => rendered.files.extend_from_slice(media),
                }
                *rendered.counts.entry("media files").or_default() += media.len();
            }
            let collisions = collisions(&rendered, site);
            if collisions.is_empty() {
                if check_links {
                    let broken = stats.timings.time("link check", || {
                        crate::linkcheck::check(&rendered, &site.theme)
                    });
                    diags.extend(broken);
                    if !keep {
                        disposal.dispose(std::mem::take(&mut rendered.links));
                    }
                }
                if let Some(langs) = langs.filter(|_| keep) {
                    cache.kept = Some(patch::Kept::new(bodies, langs, tera));
                    return (Some(rendered), diags, stats);
                }
                (Some(rendered), diags, stats)
            } else {
                diags.extend(collisions);
                (None, diags, stats)
            }
        }
        Err(mut errs) => {
            diags.append(&mut errs);
            (None, diags, stats)
        }
    };
    disposal.dispose(bodies);
    outcome
}

/// The open data files with the contacts' vCards, and the search index (with the
/// search cache for the next run, when `search` holds one), made in parallel.
fn data_files(
    site: &Site,
    routes: &Routes,
    languages: &[Language],
    search: (&Bodies, Option<&search::SearchCache>),
) -> (
    Vec<OutputFile>,
    (Vec<OutputFile>, Option<search::SearchCache>),
) {
    rayon::join(
        || {
            let mut files = api::files(site, routes);
            files.extend(vcard::files(site, routes));
            files
        },
        || search::files(site, routes, languages, search),
    )
}

/// `text` with the one occurrence of `old` replaced by `new` (an open data file's
/// record patched by its old text); `None` when `old` is not there exactly once.
fn replace_once(text: &[u8], old: &[u8], new: &[u8]) -> Option<Vec<u8>> {
    let finder = memchr::memmem::Finder::new(old);
    let at = finder.find(text).filter(|_| !old.is_empty())?;
    if finder.find(&text[at + 1..]).is_some() {
        return None;
    }
    Some([&text[..at], new, &text[at + old.len()..]].concat())
}

/// Runs `f` and measures it, for a stage that runs alongside another.
fn timed<T>(f: impl FnOnce() -> T) -> (T, std::time::Duration) {
    let start = std::time::Instant::now();
    (f(), start.elapsed())
}

/// Two files for one output path: a static file (theme or `content/static/`) that
/// shadows a generated page or a theme file, blamed on that static file; else two
/// generated pages, which resolve's checks (ids, reserved page ids) should prevent.
fn collisions(rendered: &RenderedSite, site: &Site) -> Vec<Diagnostic> {
    let mut seen = rustc_hash::FxHashSet::default();
    seen.reserve(rendered.files.len() + rendered.streamed.len());
    let mut dups: Vec<&str> = rendered
        .files
        .iter()
        .map(|f| f.path.as_str())
        .chain(rendered.streamed.iter().map(String::as_str))
        .filter(|p| !seen.insert(*p))
        .collect();
    dups.sort_unstable();
    dups.dedup();
    let is_in =
        |files: &[crate::content::StaticFile], p: &str| files.iter().any(|f| f.output_path == p);
    dups.into_iter()
        .map(|p| {
            let file = if is_in(&site.static_files, p) {
                Some(format!("content/static/{p}"))
            } else if is_in(&site.theme.static_files, p) {
                Some(format!("themes/{}/static/{p}", site.theme.name))
            } else {
                None
            };
            match file {
                Some(file) => Diagnostic::error(
                    Code::DuplicateUrl,
                    file,
                    format!(
                        "`{p}` is written twice: a static file has the path of a generated file"
                    ),
                )
                .with_help("rename or move the static file"),
                None => Diagnostic::error(
                    Code::DuplicateUrl,
                    format!("<output>/{p}"),
                    format!("`{p}` is written twice: two generated pages have this path"),
                )
                .with_help("rename one of the content files whose page this is"),
            }
        })
        .collect()
}

/// What a rebuild reuses from the previous one (watch and serve): rendered bodies
/// and pages. Each entry is kept with everything it depends on and reused only when
/// all of that is equal, so an incremental build equals a clean one.
#[derive(Debug, Default)]
pub(crate) struct RenderCache {
    bodies: BodyCache,
    pages: pages::PageCache,
    /// The theme's templates the cached pages were rendered with.
    templates: BTreeMap<String, String>,
    /// What the last complete render leaves a patch render (`serve` sessions).
    kept: Option<patch::Kept>,
    /// What the search index read from each release's text.
    search: search::SearchCache,
}

impl RenderCache {
    /// Frees what a patch render would start from, for runs that never patch
    /// (`build --watch`).
    pub(crate) fn forget_kept(&mut self, disposal: crate::Disposal) {
        disposal.dispose(self.kept.take());
    }
}

/// How much of the last render was reused, and where its time went.
#[derive(Debug, Clone, Default)]
pub(crate) struct RenderStats {
    pub pages_rendered: usize,
    pub pages_reused: usize,
    /// On a rebuild, each page rendered again and why.
    pub remade: Vec<String>,
    pub timings: Timings,
}
