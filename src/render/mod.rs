//! Rendering: model → output files, in memory.
//!
//! Renders every body's Markdown once per language (in parallel), checks `@/` anchors
//! against the headings found, builds the views shared by many pages once per language,
//! then renders every page, feed and data file in parallel. Pure: returns files and
//! diagnostics, writes nothing.

mod api;
pub mod i18n;
mod map;
pub mod markdown;
mod metadata;
mod network;
mod opendata;
mod pages;
pub mod routes;
mod search;
mod templates;
pub mod views;

use crate::content::{ContentKey, ContentKind};
use crate::diagnostics::Code;
use crate::diagnostics::Diagnostic;
use crate::model::{LeftOut, Site};
use crate::timings::Timings;
use i18n::Language;
use markdown::{Autolinker, LinkTarget, MarkdownContext, RenderedMarkdown, Resolution};
use rayon::prelude::*;
use routes::Routes;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

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
pub type PageSink<'s> = &'s (dyn Fn(&OutputFile) + Sync);

/// The finished site and how many pages of each kind it has.
#[derive(Debug, Clone, Default)]
pub struct RenderedSite {
    pub files: Vec<OutputFile>,
    /// Paths of the pages handed to a [`PageSink`] instead of kept in `files`.
    pub streamed: Vec<String>,
    pub counts: BTreeMap<&'static str, usize>,
    /// The content file each page's text comes from, by output path, so problems found
    /// in the output can be reported where they were written.
    pub sources: HashMap<String, Arc<crate::content::SourceFile>>,
    /// `base_url` and its path, which internal links start with.
    pub base_url: String,
    pub base_path: String,
}

/// Only the problems in Markdown bodies (broken `@/` links and anchors), for a site
/// that already has errors elsewhere: the build stops anyway, but every problem is
/// reported in the same run.
pub fn check_bodies(site: &Site) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let routes = Routes::new(
        &site.config.base_url,
        &site.config.base_path,
        &site.config.default_language,
    );
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
pub fn check_templates(theme: &crate::content::RawTheme) -> Option<Diagnostic> {
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
    let (rendered, diags, _) = render_site_cached(site, &mut RenderCache::default(), false, None);
    (rendered, diags)
}

/// Renders `site`, reusing what `cache` holds from the previous render and, when
/// `keep` is set, leaving this render's pages and bodies in it for the next one. With a
/// `sink`, pages go to it as they are rendered instead of into the result's `files`.
/// The site comes back even when a body has an error (a broken `@/` link), so `check`
/// can follow its other links; only a site without errors may be published.
pub fn render_site_cached(
    site: &Site,
    cache: &mut RenderCache,
    keep: bool,
    sink: Option<PageSink>,
) -> (Option<RenderedSite>, Vec<Diagnostic>, RenderStats) {
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
    let routes = Routes::new(
        &site.config.base_url,
        &site.config.base_path,
        &site.config.default_language,
    );
    let languages = languages(site);
    cache.bodies.keep = keep;
    // Pages are rendered even when a body has a broken link (it then links to `#`), so
    // one run also reports template errors and, in `check`, every other broken link.
    let bodies = timings.time("markdown", || {
        Bodies::render(site, &routes, &languages, &mut diags, &mut cache.bodies)
    });
    if cache.templates != site.theme.templates {
        cache.pages = pages::PageCache::default();
        cache.templates = site.theme.templates.clone();
    }
    let renderer = timings.time("shared views", || {
        pages::Renderer::new(
            site,
            &routes,
            &tera,
            &languages,
            &bodies,
            &cache.pages,
            keep,
        )
    });
    let result = timings.time("pages", || {
        templates::on_render_threads(|| renderer.render_all(sink))
    });
    let (fresh, mut stats) = renderer.into_cache();
    if keep && result.is_ok() {
        cache.pages = fresh;
    }
    timings.templates = std::mem::take(&mut stats.timings.templates);
    stats.timings = timings;
    let outcome = match result {
        Ok(mut rendered) => {
            rendered.base_url = site.config.base_url.clone();
            rendered.base_path = site.config.base_path.clone();
            let (open_data, index) = stats.timings.time("data files", || {
                rayon::join(
                    || api::files(site, &routes),
                    || search::files(site, &routes, &languages, &bodies),
                )
            });
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
            let collisions = collisions(&rendered, site);
            if collisions.is_empty() {
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
    crate::drop_later(bodies);
    outcome
}

/// Two files for one output path: a static file (theme or `content/static/`) that
/// shadows a generated page or a theme file, blamed on that static file; else two
/// generated pages, which resolve's checks (ids, reserved page ids) should prevent.
fn collisions(rendered: &RenderedSite, site: &Site) -> Vec<Diagnostic> {
    let mut seen = std::collections::HashSet::new();
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
pub struct RenderCache {
    bodies: BodyCache,
    pages: pages::PageCache,
    /// The theme's templates the cached pages were rendered with.
    templates: BTreeMap<String, String>,
}

/// How much of the last render was reused, and where its time went.
#[derive(Debug, Clone, Default)]
pub struct RenderStats {
    pub pages_rendered: usize,
    pub pages_reused: usize,
    pub timings: Timings,
}

#[derive(Debug, Default)]
struct BodyCache {
    /// Whether to remember this render's bodies (off for one-off builds).
    keep: bool,
    bodies: HashMap<(String, ContentKey), CachedBody>,
}

/// A rendered body with its inputs: its file, the link environment (every id and URL
/// a link or an autolink can reach) and the heading ids it inherited.
#[derive(Debug, Clone)]
struct CachedBody {
    source: Arc<crate::content::SourceFile>,
    environment: u64,
    inherited: Option<Vec<String>>,
    rendered: RenderedMarkdown,
}

/// A fingerprint of everything outside a body that its rendering reads: base URL,
/// languages, the ids and slugs links resolve to, left-out files, institution names.
fn link_environment(site: &Site) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (
        &site.config.base_url,
        &site.config.languages,
        site.config.raw_html,
    )
        .hash(&mut h);
    for i in &site.institutions {
        (&i.id, &i.name.base, &i.name.translations, &i.aliases).hash(&mut h);
    }
    site.partnerships.iter().for_each(|p| p.id.hash(&mut h));
    site.releases
        .iter()
        .for_each(|r| (&r.id, &r.slug).hash(&mut h));
    site.pages.iter().for_each(|p| p.id.hash(&mut h));
    for (key, why) in &site.left_out {
        (key, *why as u8).hash(&mut h);
    }
    h.finish()
}

/// The automaton that links first mentions of institutions in release bodies: every
/// name, translated name and alias, each pointing at its institution's index.
pub fn institution_autolinker(site: &Site) -> Autolinker {
    let mut names = Vec::new();
    for (i, inst) in site.institutions.iter().enumerate() {
        names.push((i, inst.name.base.clone()));
        names.extend(inst.name.translations.values().map(|n| (i, n.clone())));
        names.extend(inst.aliases.iter().map(|a| (i, a.clone())));
    }
    Autolinker::new(names)
}

/// Rendered HTML of every body, per language (index = position in `languages`).
pub struct Bodies {
    pub institutions: Vec<Vec<String>>,
    pub partnerships: Vec<Vec<String>>,
    pub releases: Vec<Vec<String>>,
    pub pages: Vec<Vec<String>>,
}

#[derive(Clone, Copy)]
enum BodyOf {
    Institution(usize),
    Partnership(usize),
    Release(usize),
    Page(usize),
}

impl Bodies {
    fn render(
        site: &Site,
        routes: &Routes,
        languages: &[Language],
        diags: &mut Vec<Diagnostic>,
        cache: &mut BodyCache,
    ) -> Bodies {
        let ids = ContentIds::new(site);
        let environment = link_environment(site);
        let previous = std::mem::take(&mut cache.bodies);
        let autolinker = institution_autolinker(site);

        // Originals first, so translations can reuse their heading ids.
        let mut originals = Vec::new();
        let mut translations = Vec::new();
        for (li, lang) in languages.iter().enumerate() {
            let code = lang.code.as_str();
            let mut add = |of: BodyOf, translated: bool| {
                if translated {
                    translations.push((li, of))
                } else {
                    originals.push((li, of))
                }
            };
            site.institutions
                .iter()
                .enumerate()
                .for_each(|(i, x)| add(BodyOf::Institution(i), x.profile.is_translated(code)));
            site.partnerships
                .iter()
                .enumerate()
                .for_each(|(i, x)| add(BodyOf::Partnership(i), x.body.is_translated(code)));
            site.releases
                .iter()
                .enumerate()
                .for_each(|(i, x)| add(BodyOf::Release(i), x.body.is_translated(code)));
            site.pages
                .iter()
                .enumerate()
                .for_each(|(i, x)| add(BodyOf::Page(i), x.body.is_translated(code)));
        }
        let render_job = |&(li, of): &(usize, BodyOf), original_ids: Option<&[String]>| {
            let lang = languages[li].code.as_str();
            let (body, autolink) = match of {
                BodyOf::Institution(i) => (site.institutions[i].profile.get(lang), false),
                BodyOf::Partnership(i) => (site.partnerships[i].body.get(lang), false),
                BodyOf::Release(i) => (site.releases[i].body.get(lang), site.releases[i].autolink),
                BodyOf::Page(i) => (site.pages[i].body.get(lang), false),
            };
            let inherited = original_ids.map(<[String]>::to_vec);
            if let Some(hit) = previous.get(&(lang.to_owned(), ids.key(site, of)))
                && hit.environment == environment
                && hit.inherited == inherited
                && (Arc::ptr_eq(&hit.source, &body.source) || hit.source.text == body.source.text)
            {
                return (li, of, body, inherited, hit.rendered.clone());
            }
            let resolve = |path: &str| ids.resolve(site, routes, lang, path);
            let url_of = |i: usize| routes.path(&routes.partner(lang, &site.institutions[i].id));
            let ctx = MarkdownContext {
                resolve: &resolve,
                autolink: autolink.then_some((&autolinker, &url_of as &dyn Fn(usize) -> String)),
                raw_html: site.config.raw_html,
                original_heading_ids: original_ids,
            };
            (
                li,
                of,
                body,
                inherited,
                markdown::render(body.markdown(), &ctx),
            )
        };
        let mut rendered: Vec<_> = originals
            .par_iter()
            .map(|job| render_job(job, None))
            .collect();
        let original_ids: HashMap<ContentKey, &[String]> = rendered
            .iter()
            .filter(|(li, ..)| *li == 0)
            .map(|(_, of, _, _, r)| (ids.key(site, *of), r.heading_ids.as_slice()))
            .collect();
        let translated: Vec<_> = translations
            .par_iter()
            .map(|job| render_job(job, original_ids.get(&ids.key(site, job.1)).copied()))
            .collect();
        rendered.extend(translated);
        if cache.keep {
            for (li, of, body, inherited, r) in &rendered {
                cache.bodies.insert(
                    (languages[*li].code.clone(), ids.key(site, *of)),
                    CachedBody {
                        source: body.source.clone(),
                        environment,
                        inherited: inherited.clone(),
                        rendered: r.clone(),
                    },
                );
            }
        }

        // `@/` links name their target by the key's text (`markdown` keeps it opaque).
        let mut headings: HashMap<(usize, String), Headings> = HashMap::new();
        for (li, of, _, _, r) in &rendered {
            let set = r.heading_ids.iter().map(String::as_str).collect();
            headings.insert((*li, ids.key(site, *of).to_string()), (&r.heading_ids, set));
        }
        let mut first_html: Option<Diagnostic> = None;
        for (li, _, body, _, r) in &rendered {
            let src = &body.source;
            for p in &r.broken_links {
                let mut d = src.error_at(
                    Code::BrokenLink,
                    src.body_start + p.offset,
                    p.message.clone(),
                );
                d.help = p.help.clone();
                diags.push(d);
            }
            for link in &r.anchor_links {
                let target = headings.get(&(*li, link.target_key.clone()));
                if !target.is_some_and(|(_, set)| set.contains(link.anchor.as_str())) {
                    let known = target.map_or(&[][..], |(ids, _)| *ids);
                    let mut d = src.error_at(
                        Code::BrokenAnchor,
                        src.body_start + link.offset,
                        format!(
                            "broken link `{}`: the target has no heading `#{}`",
                            link.written, link.anchor
                        ),
                    );
                    d.help = Some(anchor_help(&link.anchor, known));
                    diags.push(d);
                }
            }
            if let (Some(offset), None) = (r.dropped_html, &first_html) {
                first_html = Some(
                    src.warning_at(
                        Code::RawHtmlDropped,
                        src.body_start + offset,
                        "raw HTML is dropped from Markdown",
                    )
                    .with_help(
                        "set `markdown: { raw_html: true }` in site.yaml if you trust every author",
                    ),
                );
            }
        }
        diags.extend(first_html);
        crate::diagnostics::sort(diags);
        diags.dedup();

        let n = languages.len();
        let mut bodies = Bodies {
            institutions: vec![vec![String::new(); site.institutions.len()]; n],
            partnerships: vec![vec![String::new(); site.partnerships.len()]; n],
            releases: vec![vec![String::new(); site.releases.len()]; n],
            pages: vec![vec![String::new(); site.pages.len()]; n],
        };
        for (li, of, _, _, r) in rendered {
            let slot = match of {
                BodyOf::Institution(i) => &mut bodies.institutions[li][i],
                BodyOf::Partnership(i) => &mut bodies.partnerships[li][i],
                BodyOf::Release(i) => &mut bodies.releases[li][i],
                BodyOf::Page(i) => &mut bodies.pages[li][i],
            };
            *slot = r.html;
        }
        bodies
    }
}

/// Content ids by folder, for resolving `@/folder/id.md` links.
struct ContentIds {
    institutions: HashMap<String, usize>,
    partnerships: HashMap<String, usize>,
    releases: HashMap<String, usize>,
    pages: HashMap<String, usize>,
}

impl ContentIds {
    fn new(site: &Site) -> Self {
        let index = |ids: Vec<&String>| {
            ids.into_iter()
                .enumerate()
                .map(|(i, id)| (id.clone(), i))
                .collect()
        };
        Self {
            institutions: index(site.institutions.iter().map(|x| &x.id).collect()),
            partnerships: index(site.partnerships.iter().map(|x| &x.id).collect()),
            releases: index(site.releases.iter().map(|x| &x.id).collect()),
            pages: index(site.pages.iter().map(|x| &x.id).collect()),
        }
    }

    fn key(&self, site: &Site, of: BodyOf) -> ContentKey {
        let (kind, id) = match of {
            BodyOf::Institution(i) => (ContentKind::Institution, &site.institutions[i].id),
            BodyOf::Partnership(i) => (ContentKind::Partnership, &site.partnerships[i].id),
            BodyOf::Release(i) => (ContentKind::Release, &site.releases[i].id),
            BodyOf::Page(i) => (ContentKind::Page, &site.pages[i].id),
        };
        ContentKey::new(kind, id.clone())
    }

    /// `news/2024-07-23-x.md` (or a translation, `news/2024-07-23-x.en.md`) → its page.
    fn resolve(&self, site: &Site, routes: &Routes, lang: &str, path: &str) -> Resolution {
        let Some((kind, id, lang)) = Self::split(site, path, lang) else {
            return Resolution::Missing;
        };
        let index = match kind {
            ContentKind::Institution => &self.institutions,
            ContentKind::Partnership => &self.partnerships,
            ContentKind::Release => &self.releases,
            ContentKind::Page => &self.pages,
        };
        let key = ContentKey::new(kind, id);
        let Some(&i) = index.get(id) else {
            return match site.left_out.get(&key) {
                Some(LeftOut::Draft) => Resolution::Draft,
                Some(LeftOut::Embargoed) => Resolution::Embargoed,
                Some(LeftOut::Invalid) => Resolution::Invalid,
                None => Resolution::Missing,
            };
        };
        let route = match kind {
            ContentKind::Institution => routes.partner(lang, &site.institutions[i].id),
            ContentKind::Partnership => routes.partnership(lang, &site.partnerships[i].id),
            ContentKind::Release => routes.release(lang, &site.releases[i].slug),
            ContentKind::Page => routes.page(lang, &site.pages[i].id),
        };
        Resolution::Found(LinkTarget {
            url: routes.path(&route),
            key: key.to_string(),
        })
    }

    /// `news/x.en.md` → (releases, `x`, `en`); the page's language when none is given.
    fn split<'p>(
        site: &Site,
        path: &'p str,
        lang: &'p str,
    ) -> Option<(ContentKind, &'p str, &'p str)> {
        let (folder, file) = path.split_once('/')?;
        let kind = ContentKind::from_folder(folder)?;
        let stem = file.strip_suffix(".md")?;
        match stem.split_once('.') {
            Some((id, l)) if site.config.languages.iter().any(|x| x == l) => Some((kind, id, l)),
            Some(_) => None,
            None => Some((kind, stem, lang)),
        }
    }
}

/// A body's heading ids in order (for help) and as a set (to check anchors).
type Headings<'a> = (&'a [String], HashSet<&'a str>);

/// Help for a broken `#anchor`: the nearest heading id, else the first few ids. Both
/// look at a bounded number of ids: with thousands of headings and of broken links, a
/// full search per link (or a list of every id in each message) took minutes.
fn anchor_help(anchor: &str, known: &[String]) -> String {
    const SEARCHED: usize = 200;
    const LISTED: usize = 10;
    let near = crate::diagnostics::nearest(anchor, known.iter().take(SEARCHED).map(String::as_str));
    match near {
        Some(n) => format!("did you mean `#{n}`?"),
        None if known.is_empty() => "the target has no headings".to_owned(),
        None => {
            let listed: Vec<String> = known.iter().take(LISTED).map(|k| format!("#{k}")).collect();
            let more = match known.len() > LISTED {
                true => format!(", … ({} in all)", known.len()),
                false => String::new(),
            };
            format!("its headings: {}{more}", listed.join(", "))
        }
    }
}
