//! Page assembly: one job per output page; each page's module turns the model into
//! its typed view (`Page<…>`), which is serialised once into the template context,
//! rendered with Tera in parallel (rayon) and cached by template and context.

mod factsheet;
mod feed;
mod fingerprint;
mod graphics;
mod home;
mod kind;
mod links;
mod media;
mod misc;
mod news;
mod partner;
mod partnership;
mod patch;
mod pictures;
mod press;
mod redirect_pages;
mod release;
mod remade;
mod share_card;
mod shared;
mod takeaways;
mod timeline;
mod topic;

pub(crate) use fingerprint::SharedHashes;
pub(super) use kind::LangIdx;
pub(super) use media::anchor as media_anchor;
pub(super) use patch::PatchedPages;
pub(super) use press::has_page as has_press_page;
pub(super) use shared::LangViews;

use super::cards;
use super::i18n::Language;
use super::redirects;
use super::routes::{PageRoute, Routes};
use super::templates;
use super::views::{Link, PageMeta, ShareImage, SitemapEntry};
use super::{Bodies, OutputFile, RenderedSite};
use crate::diagnostics::Diagnostic;
use crate::model::*;
use crate::timings::{TemplateTiming, Timings};
use fingerprint::Fingerprint;
use kind::Job;
use links::Links;
use rayon::prelude::*;
use serde::Serialize;
use shared::{Page, PageEnv};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;
use tera::{Context, Tera, Value};

/// Bytes reserved for a rendered page before it grows.
const PAGE_CAPACITY: usize = 16 * 1024;

pub(super) struct Renderer<'a> {
    site: &'a Site,
    routes: &'a Routes,
    tera: &'a Tera,
    bodies: &'a Bodies,
    languages: &'a [Language],
    langs: Vec<LangViews>,
    /// Pages of the previous build (watch and serve).
    previous: &'a PageCache,
    /// Each release's number in the previous build, which cached pages' `Shows` use;
    /// found when a page made again needs them (`remade.rs`).
    previous_numbers: std::sync::OnceLock<Vec<Option<u32>>>,
    /// This build's pages, for the next one; `None` for one-off builds.
    fresh: Option<Mutex<HashMap<String, CachedPage>>>,
    reused: AtomicUsize,
    rendered: AtomicUsize,
    /// On a rebuild, the pages rendered again and why (`serve --timings`).
    remade: Mutex<Vec<String>>,
    /// Per template: pages rendered and time taken (`build --timings`).
    template_times: Mutex<HashMap<&'static str, TemplateTiming>>,
    /// The years with timeline events, oldest first, and how many events each has.
    timeline_years: Vec<(i16, usize)>,
    budget: templates::BuildBudget,
    /// The theme's header colours, for the share cards.
    palette: std::sync::Arc<cards::Palette>,
    /// The share cards of the pages rendered so far, made into PNGs after the render.
    cards: Mutex<Vec<cards::Card>>,
    /// Zips and writes each release's press kit.
    kit_sink: Option<super::KitSink<'a>>,
    /// The press kits made so far (only their paths when written).
    kits: Mutex<Vec<OutputFile>>,
    /// Each release's photos for its press kit: the lead photo, then those of its text.
    release_photos: Vec<Vec<MediaId>>,
    /// Each partner's facts as CSV for the press kits, made once.
    fact_sheets: crate::render::press_kit::FactSheets,
}

/// What the next build (watch, serve) reuses: the pages with their contexts'
/// fingerprints.
#[derive(Debug, Default)]
pub(super) struct PageCache {
    pages: HashMap<String, CachedPage>,
    /// What the pages' releases showed, to say why a page was made again.
    shown: remade::ShownBefore,
}

/// A rendered page with what its output depends on: the template's name and the
/// fingerprint of its context. The theme's templates are compared separately. Its job
/// and the releases whose cards or timeline items it shows tell a patch of a
/// release's title or summary which pages to make again (`render::patch`).
#[derive(Debug, Clone)]
pub(super) struct CachedPage {
    template: String,
    fingerprint: Fingerprint,
    output: bytes::Bytes,
    job: Option<Job>,
    shows: fingerprint::Shows,
    /// The links and ids of `output`, once a build that checks links has read them:
    /// a rebuild reuses them with the page instead of reading 13,000 pages again.
    links: Option<Arc<super::hrefs::PageLinks>>,
}

/// A page's template context, with its fingerprint and the releases it shows when the
/// page is kept for the next build.
struct PageContext {
    context: Context,
    fingerprint: Option<Fingerprint>,
    shows: fingerprint::Shows,
}

/// What [`Renderer::shared_views`] builds for the renderer: the views every page of a
/// language shares, and the previous build's pages.
pub(super) struct SharedViews<'a> {
    languages: &'a [Language],
    langs: Vec<LangViews>,
    previous: &'a PageCache,
}

/// A template context: `site` and `t` of the page's language and the page's own keys.
#[derive(Serialize)]
struct Framed<'v, P> {
    site: &'v Value,
    t: &'v Value,
    #[serde(flatten)]
    page: &'v P,
}

/// A rendered page, with its sitemap entry if it belongs in the sitemap.
struct Rendered {
    file: OutputFile,
    /// The content file the page's text comes from.
    source: Option<Arc<crate::content::SourceFile>>,
    sitemap: Option<SitemapEntry>,
    kind: &'static str,
    /// Handed to the page sink; `file` keeps only its path.
    streamed: bool,
    /// The page's links and ids: when links are checked, or when they came with a
    /// reused page.
    links: Option<Arc<super::hrefs::PageLinks>>,
}

impl<'a> Renderer<'a> {
    /// The views every page of a language shares, per language. They do not read the
    /// bodies, so they are built while the bodies render.
    pub(super) fn shared_views(
        site: &'a Site,
        routes: &'a Routes,
        languages: &'a [Language],
        previous: &'a PageCache,
    ) -> SharedViews<'a> {
        let langs = languages
            .iter()
            .map(|lang| LangViews::new(Links { site, routes, lang }))
            .collect();
        SharedViews {
            languages,
            langs,
            previous,
        }
    }

    pub(super) fn new(
        site: &'a Site,
        routes: &'a Routes,
        tera: &'a Tera,
        bodies: &'a Bodies,
        shared: SharedViews<'a>,
        (keep, kit_sink): (bool, Option<super::KitSink<'a>>),
    ) -> Self {
        let SharedViews {
            languages,
            mut langs,
            previous,
        } = shared;
        if keep {
            for views in langs.iter_mut().filter(|v| v.hashes.is_empty()) {
                views.hash_shared(&site.timeline);
            }
        }
        Renderer {
            site,
            routes,
            tera,
            bodies,
            languages,
            langs,
            previous,
            previous_numbers: std::sync::OnceLock::new(),
            fresh: keep.then(|| Mutex::new(HashMap::new())),
            reused: AtomicUsize::new(0),
            rendered: AtomicUsize::new(0),
            remade: Mutex::new(Vec::new()),
            template_times: Mutex::new(HashMap::new()),
            timeline_years: timeline::year_counts(&site.timeline),
            budget: templates::BuildBudget::default(),
            palette: std::sync::Arc::new(takeaways::theme_palette(site)),
            cards: Mutex::new(Vec::new()),
            kit_sink,
            kits: Mutex::new(Vec::new()),
            release_photos: takeaways::release_photos(site),
            fact_sheets: crate::render::press_kit::FactSheets::new(site),
        }
    }

    /// What the page functions of language `lang` are given.
    fn env(&self, lang: LangIdx) -> PageEnv<'_> {
        let shared = &self.langs[lang.0];
        PageEnv {
            links: Links {
                site: self.site,
                routes: self.routes,
                lang: &shared.lang,
            },
            shared,
            bodies: self.bodies,
            lang,
            languages: self.languages,
        }
    }

    fn jobs(&self) -> Vec<Job> {
        let s = self.site;
        let mut jobs = Vec::new();
        for lang in (0..self.langs.len()).map(LangIdx) {
            jobs.push(Job::Home { lang });
            let pages = news::page_count(s.releases.len(), s.config.news_per_page);
            jobs.extend((1..=pages).map(|page| Job::News { lang, page }));
            jobs.extend((0..s.releases.len()).map(|i| Job::Release {
                lang,
                release: ReleaseId(i),
            }));
            jobs.push(Job::Partners { lang });
            for institution in (0..s.institutions.len()).map(InstitutionId) {
                jobs.extend([
                    Job::Partner { lang, institution },
                    Job::PartnerFactsheet { lang, institution },
                    Job::PartnerFeed { lang, institution },
                ]);
            }
            jobs.push(Job::Partnerships { lang });
            for partnership in (0..s.partnerships.len()).map(PartnershipId) {
                jobs.extend([
                    Job::Partnership { lang, partnership },
                    Job::PartnershipFactsheet { lang, partnership },
                    Job::PartnershipFeed { lang, partnership },
                ]);
            }
            jobs.push(Job::Topics { lang });
            for topic in (0..s.topics.len()).map(TopicId) {
                jobs.extend([Job::Topic { lang, topic }, Job::TopicFeed { lang, topic }]);
            }
            if press::has_page(s) {
                jobs.push(Job::Press { lang });
            }
            jobs.push(Job::Timeline { lang });
            jobs.extend(
                self.timeline_years
                    .iter()
                    .map(|&(year, _)| Job::TimelineYear { lang, year }),
            );
            jobs.extend((0..s.pages.len()).map(|page| Job::Page { lang, page }));
            jobs.push(Job::Feed { lang });
            jobs.push(Job::Media { lang });
            jobs.push(Job::Search { lang });
        }
        jobs.push(Job::NotFound);
        jobs
    }

    /// This build's pages and shared views for the next build, and how many pages were
    /// rendered and reused.
    pub(super) fn into_cache(
        self,
        disposal: crate::Disposal,
    ) -> (PageCache, super::RenderStats, Option<Vec<LangViews>>) {
        let mut cache = PageCache::default();
        let mut langs = None;
        match self.fresh {
            Some(fresh) => {
                cache.pages = fresh.into_inner().unwrap_or_else(|e| e.into_inner());
                cache.shown = remade::ShownBefore::of(self.site, &self.langs);
                langs = Some(self.langs);
            }
            None => disposal.dispose(
                self.langs
                    .into_iter()
                    .map(|lv| (lv.release_cards, lv.timeline))
                    .collect::<Vec<_>>(),
            ),
        }
        let templates = self
            .template_times
            .into_inner()
            .unwrap_or_else(|e| e.into_inner());
        let stats = super::RenderStats {
            pages_rendered: self.rendered.into_inner(),
            pages_reused: self.reused.into_inner(),
            remade: self.remade.into_inner().unwrap_or_else(|e| e.into_inner()),
            timings: Timings {
                stages: Vec::new(),
                alongside: Vec::new(),
                templates: templates
                    .into_iter()
                    .map(|(name, t)| (name.to_owned(), t))
                    .collect(),
            },
        };
        (cache, stats, langs)
    }

    /// Renders every page; with a `sink`, each page goes to it right away and only its
    /// path is kept. With `check_links`, each page's links and ids are read before it
    /// goes, for `linkcheck`.
    pub(super) fn render_all(
        &self,
        sink: Option<super::PageSink>,
        check_links: bool,
    ) -> Result<RenderedSite, Vec<Diagnostic>> {
        let results: Vec<Result<Rendered, Diagnostic>> = self
            .jobs()
            .par_iter()
            .map(|&job| {
                let mut page = self.render(job)?;
                match check_links {
                    false => page.links = None,
                    true if page.links.is_none() => {
                        let links = Arc::new(super::hrefs::scan(&page.file.contents));
                        self.keep_links(&page.file, &links);
                        page.links = Some(links);
                    }
                    true => {}
                }
                if let Some(sink) = sink {
                    sink(&page.file);
                    page.file.contents = bytes::Bytes::new();
                    page.streamed = true;
                }
                Ok(page)
            })
            .collect();
        let mut out = RenderedSite::default();
        let cards = std::mem::take(&mut *self.cards.lock().unwrap_or_else(|e| e.into_inner()));
        out.cards = cards;
        out.cards.sort_by(|a, b| a.path.cmp(&b.path));
        let mut kits = std::mem::take(&mut *self.kits.lock().unwrap_or_else(|e| e.into_inner()));
        kits.sort_by(|a, b| a.path.cmp(&b.path));
        *out.counts.entry("press kits").or_default() += kits.len();
        for kit in kits {
            match self.kit_sink {
                Some(_) if kit.contents.is_empty() => out.streamed.push(kit.path),
                _ => out.files.push(kit),
            }
        }
        let mut errors = Vec::new();
        let mut sitemap = Vec::new();
        for r in results {
            match r {
                Ok(r) => {
                    *out.counts.entry(r.kind).or_default() += 1;
                    sitemap.extend(r.sitemap);
                    if let Some(src) = r.source {
                        out.sources.insert(r.file.path.clone(), src);
                    }
                    if let Some(links) = r.links {
                        out.links.insert(r.file.path.clone(), links);
                    }
                    if r.streamed {
                        out.streamed.push(r.file.path);
                    } else {
                        out.files.push(r.file);
                    }
                }
                Err(d) => errors.push(d),
            }
        }
        errors.retain(|d| d.code != templates::SKIPPED);
        errors.dedup();
        if !errors.is_empty() {
            return Err(errors);
        }
        let env = self.env(LangIdx(0));
        let site_wide = [
            (
                PageRoute::Sitemap,
                "sitemap.xml",
                self.plain_context(&env, &misc::SitemapPage { entries: sitemap }),
            ),
            (
                PageRoute::Robots,
                "robots.txt",
                self.plain_context(&env, &misc::robots(&env)),
            ),
        ];
        for (route, template, ctx) in site_wide {
            let path = Routes::file(&self.routes.route(env.code(), route));
            out.files.push(
                self.render_file((template, None), &path, ctx)
                    .map_err(|d| vec![d])?
                    .0,
            );
        }
        *out.counts.entry("other files").or_default() += 2;
        self.redirect_pages(&mut out, sink, check_links)?;
        Ok(out)
    }

    /// Puts the links and ids read from `file` into the cached page made of it, for the
    /// next build to reuse with the page.
    fn keep_links(&self, file: &OutputFile, links: &Arc<super::hrefs::PageLinks>) {
        let Some(fresh) = &self.fresh else { return };
        let mut fresh = fresh.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(page) = fresh.get_mut(&file.path)
            && page.output.as_ptr() == file.contents.as_ptr()
            && page.output.len() == file.contents.len()
        {
            page.links = Some(links.clone());
        }
    }

    /// Renders `template` with `ctx` into `path`, or reuses the previous build's output
    /// when template and context are the same: the output depends on nothing else.
    /// A reused page comes with its links and ids when a build read them.
    fn render_file(
        &self,
        (template, job): (&'static str, Option<Job>),
        path: &str,
        ctx: PageContext,
    ) -> Result<(OutputFile, Option<Arc<super::hrefs::PageLinks>>), Diagnostic> {
        if let Some(prev) = self.previous.pages.get(path)
            && prev.template == template
            && Some(prev.fingerprint) == ctx.fingerprint
        {
            self.reused.fetch_add(1, Ordering::Relaxed);
            if let Some(fresh) = &self.fresh {
                let page = CachedPage {
                    job,
                    shows: ctx.shows,
                    ..prev.clone()
                };
                fresh
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(path.to_owned(), page);
            }
            let file = OutputFile {
                path: path.to_owned(),
                contents: prev.output.clone(),
            };
            return Ok((file, prev.links.clone()));
        }
        self.rendered.fetch_add(1, Ordering::Relaxed);
        if !self.previous.pages.is_empty() {
            let why = match self.previous.pages.get(path) {
                None => "a new page, or the templates changed".to_owned(),
                Some(prev) => self.why_remade(prev, &ctx.shows, job),
            };
            let mut remade = self.remade.lock().unwrap_or_else(|e| e.into_inner());
            remade.push(format!("{path}: {why}"));
        }
        let start = Instant::now();
        // Straight into bytes: `Tera::render` would check the finished page is UTF-8,
        // which it is by construction. Most pages are several KB, hence the start size.
        let result = templates::render_page(
            self.tera,
            template,
            &ctx.context,
            PAGE_CAPACITY,
            (templates::PAGE_BUDGET, &self.budget),
        );
        self.template_times
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(template)
            .or_default()
            .add(start.elapsed());
        result
            .map(|html| {
                let contents = bytes::Bytes::from(html);
                if let (Some(fresh), Some(fingerprint)) = (&self.fresh, ctx.fingerprint) {
                    let page = CachedPage {
                        template: template.to_owned(),
                        fingerprint,
                        output: contents.clone(),
                        job,
                        shows: ctx.shows,
                        links: None,
                    };
                    fresh
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .insert(path.to_owned(), page);
                }
                let file = OutputFile {
                    path: path.to_owned(),
                    contents,
                };
                (file, None)
            })
            .map_err(|e| e.diagnostic(&self.site.theme, template, path))
    }
    /// Builds the job's view with its page module and renders it.
    fn render(&self, job: Job) -> Result<Rendered, Diagnostic> {
        let env = self.env(job.lang());
        let e = &env;
        match job {
            Job::Home { .. } => self.html(job, e, home::home(e)),
            Job::News { page, .. } => self.html(job, e, news::news(e, page)),
            Job::Release { release, .. } => {
                let kit = self.press_kit(e, release)?;
                self.html(job, e, release::release(e, release, kit))
            }
            Job::Partners { .. } => self.html(job, e, partner::partners(e)),
            Job::Partner { institution, .. } => self.html(job, e, partner::partner(e, institution)),
            Job::PartnerFactsheet { institution, .. } => {
                self.html(job, e, factsheet::partner_factsheet(e, institution))
            }
            Job::PartnerFeed { institution, .. } => {
                self.plain(job, e, &feed::partner_feed(e, institution))
            }
            Job::Partnerships { .. } => self.html(job, e, partnership::partnerships(e)),
            Job::Partnership { partnership, .. } => {
                self.html(job, e, partnership::partnership(e, partnership))
            }
            Job::PartnershipFactsheet { partnership, .. } => {
                self.html(job, e, factsheet::partnership_factsheet(e, partnership))
            }
            Job::PartnershipFeed { partnership, .. } => {
                self.plain(job, e, &feed::partnership_feed(e, partnership))
            }
            Job::Topics { .. } => self.html(job, e, topic::topics(e)),
            Job::Topic { topic, .. } => self.html(job, e, topic::topic(e, topic)),
            Job::TopicFeed { topic, .. } => self.plain(job, e, &feed::topic_feed(e, topic)),
            Job::Press { .. } => self.html(job, e, press::press(e)),
            Job::Timeline { .. } => {
                self.html(job, e, timeline::timeline(e, &self.timeline_years, None))
            }
            Job::TimelineYear { year, .. } => {
                let view = timeline::timeline(e, &self.timeline_years, Some(year));
                self.html(job, e, view)
            }
            Job::Page { page, .. } => self.html(job, e, misc::free_page(e, page)),
            Job::Feed { .. } => self.plain(job, e, &feed::site_feed(e)),
            Job::Search { .. } => self.html(job, e, misc::search(e)),
            Job::Media { .. } => self.html(job, e, media::library(e)),
            Job::NotFound => self.html(job, e, misc::not_found(e)),
        }
    }

    /// Renders an HTML page: `site` with the navigation marking the page's section.
    fn html<B: Serialize>(
        &self,
        job: Job,
        env: &PageEnv,
        mut page: Page<B>,
    ) -> Result<Rendered, Diagnostic> {
        if page.page.share_image.is_none() {
            page.page.share_image = self.share_card(job, env, &page.page);
        }
        let page = &page;
        let descriptor = job.descriptor();
        let ctx = self.context(
            env,
            &Framed {
                site: env.shared.site_in(descriptor.section),
                t: &env.shared.t_value,
                page,
            },
        );
        let meta = &page.page;
        let sitemap = descriptor.in_sitemap.then(|| SitemapEntry {
            loc: meta.permalink.clone(),
            lastmod: job.lastmod(self.site),
            alternates: if meta.alternates.len() > 1 {
                meta.alternates.clone()
            } else {
                Vec::new()
            },
        });
        let mut rendered = self.finish(job, env, ctx)?;
        rendered.sitemap = sitemap;
        rendered.source = self.body_source(job);
        Ok(rendered)
    }

    /// Renders a file without `page` (the feeds).
    fn plain<B: Serialize>(
        &self,
        job: Job,
        env: &PageEnv,
        body: &B,
    ) -> Result<Rendered, Diagnostic> {
        let ctx = self.plain_context(env, body);
        self.finish(job, env, ctx)
    }

    fn plain_context<B: Serialize>(&self, env: &PageEnv, body: &B) -> PageContext {
        let framed = Framed {
            site: &env.shared.site_value,
            t: &env.shared.t_value,
            page: body,
        };
        self.context(env, &framed)
    }

    /// The template context of a view, serialised once (shared values inside it stay
    /// shared: `Shared` serialises to its `Arc`'d value), and its fingerprint when the
    /// page is kept for the next build.
    fn context<T: Serialize>(&self, env: &PageEnv, view: &T) -> PageContext {
        let expect = "page views serialise to a map";
        if self.fresh.is_none() {
            let context = Context::from_serialize(view).expect(expect);
            return PageContext {
                context,
                fingerprint: None,
                shows: Box::default(),
            };
        }
        let value = Value::from_serializable(view);
        let (fingerprint, shows) = env.shared.hashes.fingerprint(&value);
        PageContext {
            fingerprint: Some(fingerprint),
            shows,
            context: Context::from_serialize(&value).expect(expect),
        }
    }

    /// Renders the job's template with `ctx` into the job's output file.
    fn finish(&self, job: Job, env: &PageEnv, ctx: PageContext) -> Result<Rendered, Diagnostic> {
        let descriptor = job.descriptor();
        let route = self.routes.route(env.code(), job.route(self.site));
        let (file, links) =
            self.render_file((descriptor.template, Some(job)), &Routes::file(&route), ctx)?;
        Ok(Rendered {
            file,
            source: None,
            sitemap: None,
            kind: descriptor.summary,
            streamed: false,
            links,
        })
    }

    /// The content file whose body a page shows.
    fn body_source(&self, job: Job) -> Option<Arc<crate::content::SourceFile>> {
        let s = self.site;
        let (lang, body) = match job {
            Job::Release { lang, release } => (lang, &s.releases[release.0].body),
            Job::Partner { lang, institution } => (lang, &s.institutions[institution.0].profile),
            Job::Partnership { lang, partnership } => (lang, &s.partnerships[partnership.0].body),
            Job::Page { lang, page } => (lang, &s.pages[page].body),
            _ => return None,
        };
        Some(body.get(&self.langs[lang.0].lang.code).source.clone())
    }
}

#[cfg(test)]
pub(crate) mod tests;
