//! Page assembly: one job per output page, each turned into a template context and
//! rendered. Cards and timeline items shared by many pages are built once per language.

use super::i18n::Language;
use super::map;
use super::metadata::{self, JsonLd};
use super::network;
use super::routes::Routes;
use super::templates;
use super::views::*;
use super::{Bodies, OutputFile, RenderedSite};
use crate::diagnostics::Diagnostic;
use crate::model::*;
use crate::timings::{TemplateTiming, Timings};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;
use tera::{Context, Tera, Value};

/// Releases in the site feed and in each partner's feed.
const FEED_ENTRIES: usize = 20;
/// Releases on the home page.
const HOME_RELEASES: usize = 5;
/// Timeline events on the home page.
const HOME_EVENTS: usize = 8;
/// Up to this many events, `/timeline/` shows the whole timeline; beyond, it shows the
/// partnership events (signatures, ends, milestones) and leaves each year's releases to
/// its year page, so the page stays readable (10,000 releases made it 5 MB).
const TIMELINE_COMPLETE_MAX: usize = 300;
/// Up to this many events, a partner's, partnership's or topic's timeline shows them all;
/// beyond, it leaves out the releases, which the same page lists already (a topic of a
/// 10,000-release site had 500 of them, most of its 0.8 MB).
const ENTITY_TIMELINE_MAX: usize = 100;
/// The sections a page can belong to: the navigation marks the current one ("" for
/// none). `site` is built once per section and language, not once per page.
const SECTIONS: [&str; 8] = [
    "",
    "home",
    "news",
    "partners",
    "partnerships",
    "topics",
    "timeline",
    "search",
];
/// Bytes reserved for a rendered page before it grows.
const PAGE_CAPACITY: usize = 8 * 1024;

pub struct Renderer<'a> {
    site: &'a Site,
    routes: &'a Routes,
    tera: &'a Tera,
    bodies: &'a Bodies,
    langs: Vec<LangViews<'a>>,
    /// Pages and shared values of the previous build (watch and serve).
    previous: &'a PageCache,
    /// This build's pages, for the next one; `None` for one-off builds.
    fresh: Option<Mutex<HashMap<String, CachedPage>>>,
    reused: AtomicUsize,
    rendered: AtomicUsize,
    /// Per template: pages rendered and time taken (`build --timings`).
    template_times: Mutex<HashMap<&'static str, TemplateTiming>>,
    /// The years with timeline events, oldest first, and how many events each has.
    timeline_years: Vec<(i16, usize)>,
    budget: templates::BuildBudget,
}

/// What the next build (watch, serve) reuses: the pages with their contexts, and the
/// values shared by many pages (cards, timeline items, `site`, `t`) by language and key.
/// A new shared value equal to the previous one is replaced by it, so comparing a
/// page's context with the cached one stops at pointer equality (`Arc::ptr_eq`, which
/// `Arc`'s `==` tries first) instead of walking every card of every list again.
#[derive(Debug, Default)]
pub struct PageCache {
    pages: HashMap<String, CachedPage>,
    shared: HashMap<String, Value>,
}

impl PageCache {
    /// Replaces each of `views`' shared values by the previous build's under the same
    /// key, where the two are equal.
    fn adopt_equal(&self, views: &mut LangViews, site: &Site) {
        if self.shared.is_empty() {
            return;
        }
        views.for_each_shared(site, |key, value| {
            if let Some(old) = self.shared.get(&key).filter(|old| **old == *value) {
                *value = old.clone();
            }
        });
    }
}

/// A rendered page with everything its output depends on: the template's name and
/// the full context. The theme's templates are compared separately (`PageCache`).
#[derive(Debug, Clone)]
pub struct CachedPage {
    template: String,
    context: Context,
    output: bytes::Bytes,
}

/// What every page of one language shares, built once.
struct LangViews<'a> {
    lang: &'a Language,
    site_value: Value,
    /// `site` with the navigation marked for each of [`SECTIONS`].
    site_by_section: Vec<(&'static str, Value)>,
    t_value: Value,
    release_cards: Vec<Value>,
    institution_cards: Vec<Value>,
    partnership_cards: Vec<Value>,
    timeline: Vec<TimelineItem>,
    /// The same items as template values, shared by every page that lists them.
    timeline_values: Vec<Value>,
    /// The "today" marker, when the build knows its date: (year, marker).
    today: Option<(i16, Value)>,
}

#[derive(Debug, Clone, Copy)]
enum Job {
    Home(usize),
    News(usize, usize),
    Release(usize, usize),
    Partners(usize),
    Partner(usize, usize),
    PartnerFactsheet(usize, usize),
    PartnerFeed(usize, usize),
    Partnerships(usize),
    Partnership(usize, usize),
    PartnershipFactsheet(usize, usize),
    Topics(usize),
    Topic(usize, usize),
    Timeline(usize),
    TimelineYear(usize, i16),
    Page(usize, usize),
    Feed(usize),
    Search(usize),
    NotFound,
}

impl Job {
    /// The label under which the build summary counts this job.
    fn count_as(self) -> &'static str {
        match self {
            Job::Home(_) => "home pages",
            Job::News(..) => "news lists",
            Job::Release(..) => "releases",
            Job::Partners(_) | Job::Partner(..) => "partner pages",
            Job::PartnerFactsheet(..) | Job::PartnershipFactsheet(..) => "fact sheets",
            Job::Partnerships(_) | Job::Partnership(..) => "partnership pages",
            Job::Topics(_) | Job::Topic(..) => "topic pages",
            Job::Timeline(_) | Job::TimelineYear(..) => "timelines",
            Job::Page(..) => "free pages",
            Job::Feed(_) | Job::PartnerFeed(..) => "feeds",
            Job::Search(_) | Job::NotFound => "other files",
        }
    }
}

/// The years of a timeline (sorted by date) with their number of events.
fn year_counts(timeline: &[TimelineEvent]) -> Vec<(i16, usize)> {
    let mut years: Vec<(i16, usize)> = Vec::new();
    for e in timeline {
        match years.last_mut() {
            Some((y, n)) if *y == e.date.year => *n += 1,
            _ => years.push((e.date.year, 1)),
        }
    }
    years
}

/// A timeline event's identity across builds: its kind and what it belongs to.
fn event_key(site: &Site, e: &TimelineEvent) -> String {
    format!(
        "event/{:?}/{}/{}/{:?}",
        e.kind,
        e.partnership
            .map_or("", |p| site.partnerships[p.0].id.as_str()),
        e.release.map_or("", |r| site.releases[r.0].id.as_str()),
        e.milestone
    )
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
}

impl LangViews<'_> {
    /// Calls `f` with every shared value and its key (`PageCache`): `site` and `site`
    /// per section, `t`, the cards by content id, the timeline items by event.
    fn for_each_shared(&mut self, site: &Site, mut f: impl FnMut(String, &mut Value)) {
        let lang = self.lang.code.as_str();
        let key = |k: &dyn std::fmt::Display| format!("{lang}|{k}");
        f(key(&"site"), &mut self.site_value);
        f(key(&"t"), &mut self.t_value);
        for (section, v) in &mut self.site_by_section {
            f(key(&format_args!("site/{section}")), v);
        }
        for (r, v) in site.releases.iter().zip(&mut self.release_cards) {
            f(key(&format_args!("release/{}", r.id)), v);
        }
        for (i, v) in site.institutions.iter().zip(&mut self.institution_cards) {
            f(key(&format_args!("institution/{}", i.id)), v);
        }
        for (p, v) in site.partnerships.iter().zip(&mut self.partnership_cards) {
            f(key(&format_args!("partnership/{}", p.id)), v);
        }
        for (e, v) in site.timeline.iter().zip(&mut self.timeline_values) {
            f(key(&event_key(site, e)), v);
        }
    }

    /// The shared cards of `ids`, as one template list.
    fn release_list(&self, ids: &[ReleaseId]) -> Value {
        Value::from(
            ids.iter()
                .map(|r| self.release_cards[r.0].clone())
                .collect::<Vec<_>>(),
        )
    }

    fn partnership_list(&self, ids: &[PartnershipId]) -> Value {
        Value::from(
            ids.iter()
                .map(|p| self.partnership_cards[p.0].clone())
                .collect::<Vec<_>>(),
        )
    }

    /// Inserts `timeline`: the events at `indices` (into the site's timeline), grouped by
    /// year. Beyond [`ENTITY_TIMELINE_MAX`] events the releases are left out (the page
    /// lists them already) and `timeline_releases_omitted` is set.
    fn insert_timeline_of(&self, ctx: &mut Context, site: &Site, indices: &[usize]) {
        let omit = indices.len() > ENTITY_TIMELINE_MAX;
        let events = indices
            .iter()
            .filter(|&&i| !omit || site.timeline[i].kind != TimelineEventKind::Release)
            .map(|&i| (site.timeline[i].date.year, i));
        ctx.insert_value("timeline", self.years(events, None));
        ctx.insert("timeline_releases_omitted", &omit);
    }

    /// Timeline items (by index) grouped by year: a list of `{year, events}`. A
    /// non-empty timeline gets the "today" marker after its past events, a timeline of
    /// `one_year` only when that is the current year.
    fn years(&self, items: impl Iterator<Item = (i16, usize)>, one_year: Option<i16>) -> Value {
        let mut by_year: BTreeMap<i16, Vec<Value>> = BTreeMap::new();
        // Per year, how many of its events are not in the future.
        let mut past: BTreeMap<i16, usize> = BTreeMap::new();
        for (year, i) in items {
            by_year
                .entry(year)
                .or_default()
                .push(self.timeline_values[i].clone());
            if !self.timeline[i].future {
                *past.entry(year).or_default() += 1;
            }
        }
        let marked = self
            .today
            .as_ref()
            .filter(|(year, _)| !by_year.is_empty() && one_year.is_none_or(|y| y == *year));
        if let Some((year, marker)) = marked {
            let at = past.get(year).copied().unwrap_or(0);
            by_year.entry(*year).or_default().insert(at, marker.clone());
        }
        let groups: Vec<Value> = by_year
            .into_iter()
            .map(|(year, events)| {
                Value::from(BTreeMap::from([
                    ("year", Value::from(year)),
                    ("events", Value::from(events)),
                ]))
            })
            .collect();
        Value::from(groups)
    }
}

impl<'a> Renderer<'a> {
    pub fn new(
        site: &'a Site,
        routes: &'a Routes,
        tera: &'a Tera,
        languages: &'a [Language],
        bodies: &'a Bodies,
        previous: &'a PageCache,
        keep: bool,
    ) -> Self {
        let mut r = Renderer {
            site,
            routes,
            tera,
            bodies,
            langs: Vec::new(),
            previous,
            fresh: keep.then(|| Mutex::new(HashMap::new())),
            reused: AtomicUsize::new(0),
            rendered: AtomicUsize::new(0),
            template_times: Mutex::new(HashMap::new()),
            timeline_years: year_counts(&site.timeline),
            budget: templates::BuildBudget::default(),
        };
        r.langs = languages.iter().map(|l| r.lang_views(l)).collect();
        r
    }

    fn jobs(&self) -> Vec<Job> {
        let s = self.site;
        let mut jobs = Vec::new();
        for l in 0..self.langs.len() {
            jobs.push(Job::Home(l));
            let pages = s.releases.len().div_ceil(s.config.news_per_page).max(1);
            jobs.extend((1..=pages).map(|p| Job::News(l, p)));
            jobs.extend((0..s.releases.len()).map(|i| Job::Release(l, i)));
            jobs.push(Job::Partners(l));
            for i in 0..s.institutions.len() {
                jobs.extend([
                    Job::Partner(l, i),
                    Job::PartnerFactsheet(l, i),
                    Job::PartnerFeed(l, i),
                ]);
            }
            jobs.push(Job::Partnerships(l));
            for i in 0..s.partnerships.len() {
                jobs.extend([Job::Partnership(l, i), Job::PartnershipFactsheet(l, i)]);
            }
            jobs.push(Job::Topics(l));
            jobs.extend((0..s.topics.len()).map(|i| Job::Topic(l, i)));
            jobs.push(Job::Timeline(l));
            jobs.extend(
                self.timeline_years
                    .iter()
                    .map(|&(y, _)| Job::TimelineYear(l, y)),
            );
            jobs.extend((0..s.pages.len()).map(|i| Job::Page(l, i)));
            jobs.push(Job::Feed(l));
            jobs.push(Job::Search(l));
        }
        jobs.push(Job::NotFound);
        jobs
    }

    /// This build's pages and shared values for the next build, and how many pages were
    /// rendered and reused.
    pub fn into_cache(mut self) -> (PageCache, super::RenderStats) {
        let mut cache = PageCache::default();
        match self.fresh {
            Some(fresh) => {
                cache.pages = fresh.into_inner().unwrap_or_else(|e| e.into_inner());
                for lv in &mut self.langs {
                    lv.for_each_shared(self.site, |key, value| {
                        cache.shared.insert(key, value.clone());
                    });
                }
            }
            None => crate::drop_later(
                self.langs
                    .into_iter()
                    .map(|lv| (lv.release_cards, lv.timeline_values, lv.timeline))
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
            timings: Timings {
                stages: Vec::new(),
                templates: templates
                    .into_iter()
                    .map(|(name, t)| (name.to_owned(), t))
                    .collect(),
            },
        };
        (cache, stats)
    }

    /// Renders every page; with a `sink`, each page goes to it right away and only its
    /// path is kept.
    pub fn render_all(
        &self,
        sink: Option<super::PageSink>,
    ) -> Result<RenderedSite, Vec<Diagnostic>> {
        let results: Vec<Result<Rendered, Diagnostic>> = self
            .jobs()
            .par_iter()
            .map(|&job| {
                let mut page = self.render(job)?;
                if let Some(sink) = sink {
                    sink(&page.file);
                    page.file.contents = bytes::Bytes::new();
                    page.streamed = true;
                }
                Ok(page)
            })
            .collect();
        let mut out = RenderedSite::default();
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
        errors.dedup_by(|a, b| a.message == b.message);
        if !errors.is_empty() {
            return Err(errors);
        }
        let lv = &self.langs[0];
        let mut ctx = self.base_context(lv);
        ctx.insert("entries", &sitemap);
        out.files.push(
            self.render_file("sitemap.xml", "sitemap.xml", ctx)
                .map_err(|d| vec![d])?,
        );
        let mut ctx = self.base_context(lv);
        ctx.insert("sitemap_url", &self.routes.permalink("sitemap.xml"));
        out.files.push(
            self.render_file("robots.txt", "robots.txt", ctx)
                .map_err(|d| vec![d])?,
        );
        *out.counts.entry("other files").or_default() += 2;
        Ok(out)
    }

    /// Renders `template` with `ctx` into `path`, or reuses the previous build's output
    /// when template and context are the same: the output depends on nothing else.
    fn render_file(
        &self,
        template: &'static str,
        path: &str,
        ctx: Context,
    ) -> Result<OutputFile, Diagnostic> {
        if let Some(prev) = self.previous.pages.get(path)
            && prev.template == template
            && prev.context == ctx
        {
            self.reused.fetch_add(1, Ordering::Relaxed);
            if let Some(fresh) = &self.fresh {
                fresh
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(path.to_owned(), prev.clone());
            }
            return Ok(OutputFile {
                path: path.to_owned(),
                contents: prev.output.clone(),
            });
        }
        self.rendered.fetch_add(1, Ordering::Relaxed);
        let start = Instant::now();
        // Straight into bytes: `Tera::render` would check the finished page is UTF-8,
        // which it is by construction. Most pages are several KB, hence the start size.
        let result = templates::render_page(
            self.tera,
            template,
            &ctx,
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
                if let Some(fresh) = &self.fresh {
                    let page = CachedPage {
                        template: template.to_owned(),
                        context: ctx,
                        output: contents.clone(),
                    };
                    fresh
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .insert(path.to_owned(), page);
                }
                OutputFile {
                    path: path.to_owned(),
                    contents,
                }
            })
            .map_err(|e| e.diagnostic(&self.site.theme, template, path))
    }

    fn lang_views(&self, lang: &'a Language) -> LangViews<'a> {
        let s = self.site;
        let l = lang.code.as_str();
        let routes = self.routes;
        let site_view = SiteView {
            title: s.config.title.get(l).clone(),
            description: s.config.description.get(l).clone(),
            lang: l.to_owned(),
            default_lang: s.config.default_language.clone(),
            base_url: s.config.base_url.clone(),
            base_path: s.config.base_path.clone(),
            home_url: routes.path(&routes.home(l)),
            feed_url: routes.path(&routes.feed(l)),
            stylesheet_url: routes.asset("style.css"),
            urls: SectionUrls {
                news: routes.path(&routes.news(l, 1)),
                partners: routes.path(&routes.partners(l)),
                partnerships: routes.path(&routes.partnerships(l)),
                topics: routes.path(&routes.topics(l)),
                timeline: routes.path(&routes.timeline(l)),
            },
            nav: Vec::new(),
            footer_pages: s
                .pages
                .iter()
                .map(|p| Link {
                    title: p.title.get(l).clone(),
                    url: routes.path(&routes.page(l, &p.id)),
                })
                .collect(),
            extra: s.config.extra.clone(),
        };
        let site_by_section = SECTIONS
            .iter()
            .map(|&section| {
                let mut view = site_view.clone();
                view.nav = self.nav(lang, section);
                (section, Value::from_serializable(&view))
            })
            .collect();
        let mut lv = LangViews {
            lang,
            site_value: Value::from_serializable(&site_view),
            site_by_section,
            t_value: Value::from_serializable(&lang.raw.strings),
            release_cards: Vec::new(),
            institution_cards: Vec::new(),
            partnership_cards: Vec::new(),
            timeline: Vec::new(),
            timeline_values: Vec::new(),
            today: s.today.map(|d| {
                let date = PartialDate::from_date(d);
                let marker = TodayMarker {
                    date: date.to_string(),
                    date_display: lang.partial_date(&date),
                    kind: "today",
                    label: lang.t("timeline.today"),
                };
                (d.year(), Value::from_serializable(&marker))
            }),
        };
        lv.release_cards = (0..s.releases.len())
            .map(|i| Value::from_serializable(&self.release_card(&lv, i)))
            .collect();
        lv.institution_cards = s
            .institutions
            .iter()
            .map(|inst| Value::from_serializable(&self.institution_card(&lv, inst)))
            .collect();
        lv.partnership_cards = (0..s.partnerships.len())
            .map(|i| Value::from_serializable(&self.partnership_card(&lv, i)))
            .collect();
        lv.timeline = s
            .timeline
            .iter()
            .map(|e| self.timeline_item(&lv, e))
            .collect();
        lv.timeline_values = lv.timeline.iter().map(Value::from_serializable).collect();
        self.previous.adopt_equal(&mut lv, s);
        lv
    }

    fn nav(&self, lang: &Language, section: &str) -> Vec<NavItem> {
        let l = lang.code.as_str();
        let r = self.routes;
        [
            ("home", r.home(l)),
            ("news", r.news(l, 1)),
            ("partners", r.partners(l)),
            ("partnerships", r.partnerships(l)),
            ("topics", r.topics(l)),
            ("timeline", r.timeline(l)),
            ("search", r.search_page(l)),
        ]
        .into_iter()
        .map(|(key, route)| NavItem {
            label: lang.t(&format!("nav.{key}")),
            url: r.path(&route),
            current: key == section,
        })
        .collect()
    }

    fn base_context(&self, lv: &LangViews) -> Context {
        let mut ctx = Context::new();
        ctx.insert_value("site", lv.site_value.clone());
        ctx.insert_value("t", lv.t_value.clone());
        ctx
    }

    /// Context with `site` (nav marked for `section`), `t` and `page`.
    fn page_context(&self, lv: &LangViews, section: &str, meta: &PageMeta) -> Context {
        let mut ctx = Context::new();
        let site = &lv
            .site_by_section
            .iter()
            .find(|(s, _)| *s == section)
            .unwrap_or(&lv.site_by_section[0])
            .1;
        ctx.insert_value("site", site.clone());
        ctx.insert_value("t", lv.t_value.clone());
        ctx.insert("page", meta);
        ctx
    }

    fn meta(
        &self,
        lv: &LangViews,
        kind: &'static str,
        title: String,
        description: Option<String>,
        route_of: &dyn Fn(&str) -> String,
        translated: bool,
    ) -> PageMeta {
        let s = self.site;
        let l = lv.lang.code.as_str();
        let route = route_of(l);
        let alternates = self
            .langs
            .iter()
            .map(|other| {
                let r = route_of(&other.lang.code);
                Alternate {
                    lang: other.lang.code.clone(),
                    name: other.lang.raw.language_name.clone(),
                    url: self.routes.path(&r),
                    permalink: self.routes.permalink(&r),
                    locale: metadata::og_locale(&other.lang.code),
                    current: other.lang.code == l,
                }
            })
            .collect();
        let content_lang = if translated || l == s.config.default_language {
            l.to_owned()
        } else {
            s.config.default_language.clone()
        };
        PageMeta {
            kind,
            title,
            description: description
                .filter(|d| !d.is_empty())
                .unwrap_or_else(|| s.config.description.get(l).clone()),
            url: self.routes.path(&route),
            permalink: self.routes.permalink(&route),
            lang: l.to_owned(),
            untranslated: content_lang != l,
            content_lang,
            alternates,
            feed_url: None,
            locale: metadata::og_locale(l),
            og_type: if kind == "release" {
                "article"
            } else {
                "website"
            },
            published_time: None,
            json_ld: None,
        }
    }

    fn render(&self, job: Job) -> Result<Rendered, Diagnostic> {
        let s = self.site;
        let r = self.routes;
        let (template, section, mut meta, extra): (&'static str, &str, PageMeta, Context) =
            match job {
                Job::Home(l) => {
                    let lv = &self.langs[l];
                    let meta = self.meta(
                        lv,
                        "home",
                        s.config.title.get(&lv.lang.code).clone(),
                        None,
                        &|x| r.home(x),
                        true,
                    );
                    let mut ctx = Context::new();
                    ctx.insert("lede", s.config.description.get(&lv.lang.code));
                    ctx.insert_value("partnerships", Value::from(lv.partnership_cards.clone()));
                    ctx.insert_value("institutions", Value::from(lv.institution_cards.clone()));
                    ctx.insert_value(
                        "network_svg",
                        Value::safe_string(&self.network_svg(lv, None)),
                    );
                    ctx.insert_value(
                        "latest",
                        Value::from(
                            lv.release_cards
                                .iter()
                                .take(HOME_RELEASES)
                                .cloned()
                                .collect::<Vec<_>>(),
                        ),
                    );
                    let start = s.timeline.len().saturating_sub(HOME_EVENTS);
                    let recent = s.timeline.iter().enumerate().skip(start);
                    ctx.insert_value(
                        "timeline",
                        lv.years(recent.map(|(i, e)| (e.date.year, i)), None),
                    );
                    ("index.html", "home", meta, ctx)
                }
                Job::News(l, page) => {
                    let lv = &self.langs[l];
                    let per = s.config.news_per_page;
                    let total = s.releases.len().div_ceil(per).max(1);
                    let mut title = lv.lang.t("title.news");
                    if page > 1 {
                        title = format!(
                            "{title} – {}",
                            lv.lang.t_with("title.page_n", "n", &page.to_string())
                        );
                    }
                    let meta = self.meta(lv, "news", title, None, &|x| r.news(x, page), true);
                    let mut ctx = Context::new();
                    let cards: Vec<Value> = lv
                        .release_cards
                        .iter()
                        .skip((page - 1) * per)
                        .take(per)
                        .cloned()
                        .collect();
                    ctx.insert_value("releases", Value::from(cards));
                    let link = |p: usize| r.path(&r.news(&lv.lang.code, p));
                    ctx.insert("pagination", &Pagination::new(page, total, link));
                    ("news_list.html", "news", meta, ctx)
                }
                Job::Release(l, i) => self.release_page(l, i),
                Job::Partners(l) => {
                    let lv = &self.langs[l];
                    let meta = self.meta(
                        lv,
                        "partners",
                        lv.lang.t("title.partners"),
                        None,
                        &|x| r.partners(x),
                        true,
                    );
                    let mut ctx = Context::new();
                    ctx.insert_value("institutions", Value::from(lv.institution_cards.clone()));
                    ctx.insert_value("map_svg", Value::safe_string(&self.map_svg(lv, None)));
                    ("partners.html", "partners", meta, ctx)
                }
                Job::Partner(l, i) => self.partner_page(l, i),
                Job::PartnerFactsheet(l, i) => self.institution_factsheet(l, i),
                Job::PartnerFeed(l, i) => return self.partner_feed(l, i),
                Job::Partnerships(l) => {
                    let lv = &self.langs[l];
                    let meta = self.meta(
                        lv,
                        "partnerships",
                        lv.lang.t("title.partnerships"),
                        None,
                        &|x| r.partnerships(x),
                        true,
                    );
                    let mut ctx = Context::new();
                    ctx.insert_value("partnerships", Value::from(lv.partnership_cards.clone()));
                    ("partnerships.html", "partnerships", meta, ctx)
                }
                Job::Partnership(l, i) => self.partnership_page(l, i),
                Job::PartnershipFactsheet(l, i) => self.partnership_factsheet(l, i),
                Job::Topics(l) => {
                    let lv = &self.langs[l];
                    let meta = self.meta(
                        lv,
                        "topics",
                        lv.lang.t("title.topics"),
                        None,
                        &|x| r.topics(x),
                        true,
                    );
                    let mut ctx = Context::new();
                    let cards: Vec<TopicCard> =
                        s.topics.iter().map(|t| self.topic_card(lv, t)).collect();
                    ctx.insert("topics", &cards);
                    ("topics.html", "topics", meta, ctx)
                }
                Job::Topic(l, i) => self.topic_page(l, i),
                Job::Timeline(l) => self.timeline_page(l, None),
                Job::TimelineYear(l, year) => self.timeline_page(l, Some(year)),
                Job::Page(l, i) => {
                    let lv = &self.langs[l];
                    let p = &s.pages[i];
                    let code = lv.lang.code.as_str();
                    let meta = self.meta(
                        lv,
                        "page",
                        p.title.get(code).clone(),
                        p.summary.get(code).clone(),
                        &|x| r.page(x, &p.id),
                        p.body.is_translated(code),
                    );
                    let mut ctx = Context::new();
                    ctx.insert_value("content", Value::safe_string(&self.bodies.pages[l][i]));
                    ("page.html", "", meta, ctx)
                }
                Job::Feed(l) => return self.site_feed(l),
                Job::Search(l) => {
                    let lv = &self.langs[l];
                    let code = lv.lang.code.as_str();
                    let meta = self.meta(
                        lv,
                        "search",
                        lv.lang.t("title.search"),
                        None,
                        &|x| r.search_page(x),
                        true,
                    );
                    let mut ctx = Context::new();
                    ctx.insert("search_index_url", &r.path(&r.search_index(code)));
                    ctx.insert("search_script_url", &r.asset("search.js"));
                    ("search.html", "search", meta, ctx)
                }
                Job::NotFound => {
                    let lv = &self.langs[0];
                    let mut meta = self.meta(
                        lv,
                        "404",
                        lv.lang.t("title.not_found"),
                        None,
                        &|_| "404.html".to_owned(),
                        true,
                    );
                    meta.alternates.retain(|a| a.current);
                    ("404.html", "", meta, Context::new())
                }
            };
        let lv = match job {
            Job::NotFound => &self.langs[0],
            _ => self
                .langs
                .iter()
                .find(|x| x.lang.code == meta.lang)
                .unwrap_or(&self.langs[0]),
        };
        meta.json_ld = self.json_ld(job, lv, &meta);
        let mut ctx = self.page_context(lv, section, &meta);
        ctx.extend(extra);
        let path = if meta.kind == "404" {
            "404.html".to_owned()
        } else {
            Routes::file(&meta.url[self.site.config.base_path.len()..])
        };
        let sitemap = (meta.kind != "404").then(|| SitemapEntry {
            loc: meta.permalink.clone(),
            lastmod: match job {
                Job::Release(_, i) => Some(s.releases[i].date.to_string()),
                _ => None,
            },
            alternates: if meta.alternates.len() > 1 {
                meta.alternates.clone()
            } else {
                Vec::new()
            },
        });
        let file = self.render_file(template, &path, ctx)?;
        Ok(Rendered {
            file,
            source: self.body_source(job),
            sitemap,
            kind: job.count_as(),
            streamed: false,
        })
    }

    /// The page's schema.org JSON-LD (`render/metadata.rs`), serialised for a script.
    fn json_ld(&self, job: Job, lv: &LangViews, meta: &PageMeta) -> Option<String> {
        let ld = JsonLd {
            site: self.site,
            routes: self.routes,
            lang: lv.lang,
        };
        let value = match job {
            Job::Home(_) => Some(ld.home()),
            Job::Release(_, i) => Some(ld.release(i, &meta.content_lang)),
            Job::Partner(_, i) => Some(ld.institution(i)),
            Job::Partnership(_, i) => ld.partnership(i),
            Job::Timeline(_) => ld.timeline(&meta.title),
            _ => None,
        };
        value.as_ref().map(metadata::script_json)
    }

    /// The content file whose body a page shows.
    fn body_source(&self, job: Job) -> Option<Arc<crate::content::SourceFile>> {
        let s = self.site;
        let (l, body) = match job {
            Job::Release(l, i) => (l, &s.releases[i].body),
            Job::Partner(l, i) => (l, &s.institutions[i].profile),
            Job::Partnership(l, i) => (l, &s.partnerships[i].body),
            Job::Page(l, i) => (l, &s.pages[i].body),
            _ => return None,
        };
        Some(body.get(&self.langs[l].lang.code).source.clone())
    }

    /// `/timeline/` (`year` `None`): everything, or for a long timeline the partnership
    /// events only; `/timeline/<year>/`: every event of that year. Both link every year.
    fn timeline_page(
        &self,
        l: usize,
        year: Option<i16>,
    ) -> (&'static str, &'static str, PageMeta, Context) {
        let lv = &self.langs[l];
        let s = self.site;
        let r = self.routes;
        let title = match year {
            None => lv.lang.t("title.timeline"),
            Some(y) => lv
                .lang
                .t_with("title.timeline_year", "year", &y.to_string()),
        };
        let route = |x: &str| match year {
            None => r.timeline(x),
            Some(y) => r.timeline_year(x, y),
        };
        let meta = self.meta(lv, "timeline", title, None, &route, true);
        let complete = s.timeline.len() <= TIMELINE_COMPLETE_MAX;
        // The timeline is sorted by date, so a year's events are one run of it.
        let range = match year {
            Some(y) => {
                s.timeline.partition_point(|e| e.date.year < y)
                    ..s.timeline.partition_point(|e| e.date.year <= y)
            }
            None => 0..s.timeline.len(),
        };
        let events = s.timeline[range.clone()]
            .iter()
            .zip(range)
            .filter(|(e, _)| complete || year.is_some() || e.kind != TimelineEventKind::Release);
        let years: Vec<TimelineYearLink> = self
            .timeline_years
            .iter()
            .map(|&(y, count)| TimelineYearLink {
                year: y,
                url: r.path(&r.timeline_year(&lv.lang.code, y)),
                count,
                current: year == Some(y),
            })
            .collect();
        let mut ctx = Context::new();
        ctx.insert_value(
            "timeline",
            lv.years(events.map(|(e, i)| (e.date.year, i)), year),
        );
        ctx.insert("years", &years);
        ctx.insert("year", &year);
        ctx.insert("complete", &(complete || year.is_some()));
        ctx.insert("overview_url", &r.path(&r.timeline(&lv.lang.code)));
        ("timeline.html", "timeline", meta, ctx)
    }

    fn release_page(&self, l: usize, i: usize) -> (&'static str, &'static str, PageMeta, Context) {
        let lv = &self.langs[l];
        let code = lv.lang.code.as_str();
        let rel = &self.site.releases[i];
        let mut meta = self.meta(
            lv,
            "release",
            rel.title.get(code).clone(),
            rel.summary.get(code).clone(),
            &|x| self.routes.release(x, &rel.slug),
            rel.body.is_translated(code),
        );
        meta.published_time = Some(rel.date.to_string());
        let view = ReleaseView {
            status: self.release_status(lv, rel),
            title: rel.title.get(code).clone(),
            date: rel.date.to_string(),
            date_display: lv.lang.date(rel.date),
            summary: rel.summary.get(code).clone(),
            body: self.bodies.releases[l][i].clone(),
            partners: rel
                .partners
                .iter()
                .map(|&p| self.institution_link(lv, p))
                .collect(),
            partnership: rel.partnership.map(|p| self.partnership_link(lv, p)),
            topics: rel.topics.iter().map(|&t| self.topic_link(lv, t)).collect(),
            source: rel.source.get(code).as_ref().map(|src| SourceView {
                publisher: src.publisher.clone(),
                url: src.url.clone(),
                date_display: src
                    .date
                    .as_ref()
                    .and_then(|d| {
                        crate::model::dates::parse_partial(&crate::content::raw::Scalar::Text(
                            d.clone(),
                        ))
                        .ok()
                    })
                    .map(|d| lv.lang.partial_date(&d)),
            }),
            contacts: rel
                .contacts
                .iter()
                .map(|&p| self.release_person(lv, p))
                .collect(),
            quotes: rel
                .quotes
                .iter()
                .map(|q| QuoteView {
                    text: q.text.clone(),
                    lang: self.site.config.default_language.clone(),
                    by: self.release_person(lv, q.by),
                })
                .collect(),
            about: rel
                .partners
                .iter()
                .filter_map(|&p| {
                    let inst = &self.site.institutions[p.0];
                    let text = inst.boilerplate.get(code).clone()?;
                    let lang = if inst.boilerplate.is_translated(code) {
                        code.to_owned()
                    } else {
                        self.site.config.default_language.clone()
                    };
                    Some(AboutView {
                        heading: lv.lang.t_with("release.about", "name", inst.name.get(code)),
                        institution: self.institution_link(lv, p),
                        text,
                        lang,
                    })
                })
                .collect(),
        };
        let mut ctx = Context::new();
        let mut v = Value::from_serializable(&view)
            .into_map()
            .unwrap_or_default();
        v.insert("body".into(), Value::safe_string(&view.body));
        ctx.insert("release", &v);
        let related: Vec<Value> = match rel.partnership {
            Some(p) => self.site.partnerships[p.0]
                .releases
                .iter()
                .filter(|r| r.0 != i)
                .take(5)
                .map(|r| lv.release_cards[r.0].clone())
                .collect(),
            None => Vec::new(),
        };
        ctx.insert_value("related", Value::from(related));
        ("release.html", "news", meta, ctx)
    }

    fn partner_page(&self, l: usize, i: usize) -> (&'static str, &'static str, PageMeta, Context) {
        let lv = &self.langs[l];
        let code = lv.lang.code.as_str();
        let inst = &self.site.institutions[i];
        let summary = inst
            .city
            .as_ref()
            .map(|c| format!("{} – {}", lv.lang.t(&format!("kind.{}", inst.kind)), c));
        let mut meta = self.meta(
            lv,
            "partner",
            inst.name.get(code).clone(),
            summary,
            &|x| self.routes.partner(x, &inst.id),
            inst.profile.is_translated(code),
        );
        meta.feed_url = Some(self.routes.path(&self.routes.partner_feed(code, &inst.id)));
        let view = self.institution_view(lv, l, i);
        let mut v = Value::from_serializable(&view)
            .into_map()
            .unwrap_or_default();
        v.insert("profile".into(), Value::safe_string(&view.profile));
        let (facts, sources) = self.fact_views(lv, &[&inst.facts]);
        let mut ctx = Context::new();
        ctx.insert("institution", &v);
        ctx.insert("facts", &facts.concat());
        ctx.insert("sources", &sources);
        ctx.insert(
            "partners",
            &inst
                .partners
                .iter()
                .map(|&p| self.institution_link(lv, p))
                .collect::<Vec<_>>(),
        );
        ctx.insert_value("partnerships", lv.partnership_list(&inst.partnerships));
        ctx.insert_value("releases", lv.release_list(&inst.releases));
        ctx.insert_value(
            "network_svg",
            Value::safe_string(&self.network_svg(lv, Some(i))),
        );
        ctx.insert_value("map_svg", Value::safe_string(&self.map_svg(lv, Some(i))));
        let id = InstitutionId(i);
        lv.insert_timeline_of(
            &mut ctx,
            self.site,
            &self.site.timeline_index.institutions[id.0],
        );
        ("partner.html", "partners", meta, ctx)
    }

    fn partnership_page(
        &self,
        l: usize,
        i: usize,
    ) -> (&'static str, &'static str, PageMeta, Context) {
        let lv = &self.langs[l];
        let code = lv.lang.code.as_str();
        let p = &self.site.partnerships[i];
        let meta = self.meta(
            lv,
            "partnership",
            p.title.get(code).clone(),
            p.summary.get(code).clone(),
            &|x| self.routes.partnership(x, &p.id),
            p.body.is_translated(code),
        );
        let card = self.partnership_card(lv, i);
        let view = PartnershipView {
            id: p.id.clone(),
            title: card.title,
            summary: card.summary,
            kind_label: card.kind_label,
            status: card.status,
            status_label: card.status_label,
            signed: card.signed,
            signed_display: card.signed_display,
            ended: p.ended.map(|d| d.to_string()),
            ended_display: p.ended.map(|d| lv.lang.date(d)),
            partners: card.partners,
            focus: card.focus,
            body: self.bodies.partnerships[l][i].clone(),
            factsheet_url: self
                .routes
                .path(&self.routes.partnership_factsheet(code, &p.id)),
            extra: p.extra.clone(),
        };
        let mut v = Value::from_serializable(&view)
            .into_map()
            .unwrap_or_default();
        v.insert("body".into(), Value::safe_string(&view.body));
        let (facts, sources) = self.fact_views(lv, &[&p.facts]);
        let mut ctx = Context::new();
        ctx.insert("partnership", &v);
        ctx.insert("facts", &facts.concat());
        ctx.insert("sources", &sources);
        ctx.insert_value("releases", lv.release_list(&p.releases));
        let id = PartnershipId(i);
        lv.insert_timeline_of(
            &mut ctx,
            self.site,
            &self.site.timeline_index.partnerships[id.0],
        );
        ("partnership.html", "partnerships", meta, ctx)
    }

    fn topic_page(&self, l: usize, i: usize) -> (&'static str, &'static str, PageMeta, Context) {
        let lv = &self.langs[l];
        let code = lv.lang.code.as_str();
        let t = &self.site.topics[i];
        let meta = self.meta(
            lv,
            "topic",
            t.name.get(code).clone(),
            None,
            &|x| self.routes.topic(x, &t.slug),
            true,
        );
        let mut ctx = Context::new();
        ctx.insert("topic", &self.topic_card(lv, t));
        ctx.insert_value("partnerships", lv.partnership_list(&t.partnerships));
        ctx.insert_value("releases", lv.release_list(&t.releases));
        let id = TopicId(i);
        lv.insert_timeline_of(&mut ctx, self.site, &self.site.timeline_index.topics[id.0]);
        ("topic.html", "topics", meta, ctx)
    }

    fn institution_factsheet(
        &self,
        l: usize,
        i: usize,
    ) -> (&'static str, &'static str, PageMeta, Context) {
        let lv = &self.langs[l];
        let code = lv.lang.code.as_str();
        let inst = &self.site.institutions[i];
        let name = inst.name.get(code).clone();
        let meta = self.meta(
            lv,
            "partner_factsheet",
            lv.lang.t_with("title.factsheet", "name", &name),
            None,
            &|x| self.routes.partner_factsheet(x, &inst.id),
            true,
        );
        let view = self.institution_view(lv, l, i);
        let mut rows = MetaRows::default();
        rows.add(lv.lang.t("meta.kind"), &view.kind_label, None);
        if let Some(c) = &inst.city {
            rows.add(lv.lang.t("meta.city"), c, None);
        }
        if let Some(r) = &inst.region {
            rows.add(lv.lang.t("meta.region"), r, None);
        }
        if let Some(w) = &inst.website {
            rows.add(lv.lang.t("meta.website"), w, Some(w.clone()));
        }
        for p in &inst.partnerships {
            let link = self.partnership_link(lv, *p);
            rows.add(lv.lang.t("nav.partnerships"), &link.title, Some(link.url));
        }
        let (facts, sources) = self.fact_views(lv, &[&inst.facts]);
        let sheet = FactSheetView {
            subject: "institution",
            title: name.clone(),
            subtitle: inst.short_name.get(code).clone(),
            url: self.routes.path(&self.routes.partner(code, &inst.id)),
            meta: rows.0,
            groups: facts
                .into_iter()
                .map(|facts| FactGroup {
                    heading: name.clone(),
                    url: self.routes.path(&self.routes.partner(code, &inst.id)),
                    facts,
                })
                .filter(|g| !g.facts.is_empty())
                .collect(),
            locations: view.locations,
            people: view.people,
            milestones: Vec::new(),
            sources,
        };
        let mut ctx = Context::new();
        ctx.insert("sheet", &sheet);
        ("factsheet.html", "partners", meta, ctx)
    }

    fn partnership_factsheet(
        &self,
        l: usize,
        i: usize,
    ) -> (&'static str, &'static str, PageMeta, Context) {
        let lv = &self.langs[l];
        let code = lv.lang.code.as_str();
        let p = &self.site.partnerships[i];
        let title = p.title.get(code).clone();
        let meta = self.meta(
            lv,
            "partnership_factsheet",
            lv.lang.t_with("title.factsheet", "name", &title),
            None,
            &|x| self.routes.partnership_factsheet(x, &p.id),
            true,
        );
        let card = self.partnership_card(lv, i);
        let mut rows = MetaRows::default();
        rows.add(lv.lang.t("meta.kind"), &card.kind_label, None);
        rows.add(lv.lang.t("meta.status"), &card.status_label, None);
        if let Some(d) = &card.signed_display {
            rows.add(lv.lang.t("meta.signed"), d, None);
        }
        if let Some(d) = p.ended {
            rows.add(lv.lang.t("meta.ended"), &lv.lang.date(d), None);
        }
        for x in &card.partners {
            rows.add(lv.lang.t("meta.partners"), &x.title, Some(x.url.clone()));
        }
        for f in &card.focus {
            rows.add(lv.lang.t("meta.focus"), &f.title, Some(f.url.clone()));
        }
        let mut lists: Vec<&[Fact]> = vec![&p.facts];
        lists.extend(
            p.partners
                .iter()
                .map(|&x| self.site.institutions[x.0].facts.as_slice()),
        );
        let (facts, sources) = self.fact_views(lv, &lists);
        let mut headings = vec![(
            title.clone(),
            self.routes.path(&self.routes.partnership(code, &p.id)),
        )];
        headings.extend(
            card.partners
                .iter()
                .map(|x| (x.title.clone(), x.url.clone())),
        );
        let id = PartnershipId(i);
        let sheet = FactSheetView {
            subject: "partnership",
            title,
            subtitle: Some(card.kind_label.clone()),
            url: card.url.clone(),
            meta: rows.0,
            groups: facts
                .into_iter()
                .zip(headings)
                .map(|(facts, (heading, url))| FactGroup {
                    heading,
                    url,
                    facts,
                })
                .filter(|g| !g.facts.is_empty())
                .collect(),
            locations: Vec::new(),
            people: Vec::new(),
            milestones: self
                .site
                .timeline
                .iter()
                .zip(&lv.timeline)
                .filter(|(e, _)| e.partnership == Some(id) && e.kind != TimelineEventKind::Release)
                .map(|(_, t)| t.clone())
                .collect(),
            sources,
        };
        let mut ctx = Context::new();
        ctx.insert("sheet", &sheet);
        ("factsheet.html", "partnerships", meta, ctx)
    }

    fn site_feed(&self, l: usize) -> Result<Rendered, Diagnostic> {
        let lv = &self.langs[l];
        let code = lv.lang.code.as_str();
        let ids: Vec<usize> = (0..self.site.releases.len()).take(FEED_ENTRIES).collect();
        let feed = self.feed_view(
            lv,
            l,
            self.site.config.title.get(code).clone(),
            (self.routes.feed(code), self.routes.home(code)),
            &ids,
            true,
        );
        let mut ctx = self.base_context(lv);
        ctx.insert("feed", &feed);
        let file = self.render_file("atom.xml", &self.routes.feed(code), ctx)?;
        Ok(Rendered {
            file,
            source: None,
            sitemap: None,
            kind: "feeds",
            streamed: false,
        })
    }

    fn partner_feed(&self, l: usize, i: usize) -> Result<Rendered, Diagnostic> {
        let lv = &self.langs[l];
        let code = lv.lang.code.as_str();
        let inst = &self.site.institutions[i];
        let ids: Vec<usize> = inst
            .releases
            .iter()
            .take(FEED_ENTRIES)
            .map(|r| r.0)
            .collect();
        let title = lv
            .lang
            .t_with("title.feed_partner", "name", inst.name.get(code));
        let feed = self.feed_view(
            lv,
            l,
            title,
            (
                self.routes.partner_feed(code, &inst.id),
                self.routes.partner(code, &inst.id),
            ),
            &ids,
            false,
        );
        let mut ctx = self.base_context(lv);
        ctx.insert("feed", &feed);
        let file = self.render_file("atom.xml", &self.routes.partner_feed(code, &inst.id), ctx)?;
        Ok(Rendered {
            file,
            source: None,
            sitemap: None,
            kind: "feeds",
            streamed: false,
        })
    }

    fn feed_view(
        &self,
        lv: &LangViews,
        l: usize,
        title: String,
        (self_route, alternate_route): (String, String),
        releases: &[usize],
        with_content: bool,
    ) -> FeedView {
        let code = lv.lang.code.as_str();
        let s = self.site;
        let stamp = |d: jiff::civil::Date| {
            d.to_zoned_datetime(s.config.timezone.clone())
                .map(|z| z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string())
                .unwrap_or_else(|_| format!("{d}T00:00:00Z"))
        };
        let entries: Vec<FeedEntry> = releases
            .iter()
            .map(|&i| {
                let r = &s.releases[i];
                FeedEntry {
                    title: r.title.get(code).clone(),
                    url: self.routes.permalink(&self.routes.release(code, &r.slug)),
                    published: stamp(r.date),
                    updated: stamp(r.date),
                    summary: r.summary.get(code).clone(),
                    content: with_content.then(|| self.bodies.releases[l][i].clone()),
                    categories: r
                        .topics
                        .iter()
                        .map(|t| s.topics[t.0].name.get(code).clone())
                        .collect(),
                }
            })
            .collect();
        FeedView {
            title,
            subtitle: s.config.description.get(code).clone(),
            lang: code.to_owned(),
            self_url: self.routes.permalink(&self_route),
            alternate_url: self.routes.permalink(&alternate_route),
            updated: entries
                .iter()
                .map(|e| e.updated.clone())
                .max()
                .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_owned()),
            entries,
        }
    }

    // ----- shared pieces -----

    /// The partnership network as inline SVG (`network_svg`): the whole site's on the
    /// home page (`focus` `None`); on a partner page the partner, its direct partners
    /// and every partnership among them. Empty when there is no partnership to draw.
    fn network_svg(&self, lv: &LangViews, focus: Option<usize>) -> String {
        let s = self.site;
        let code = lv.lang.code.as_str();
        // Site index → node index.
        let members: Vec<usize> = match focus {
            None => (0..s.institutions.len()).collect(),
            Some(i) => std::iter::once(i)
                .chain(s.institutions[i].partners.iter().map(|p| p.0))
                .collect(),
        };
        let node_of: HashMap<usize, usize> =
            members.iter().enumerate().map(|(n, &i)| (i, n)).collect();
        // A partnership drawn has a member among its partners, so on a partner page
        // only the members' partnerships are candidates (not every partnership of the
        // site for every partner page).
        let candidates: Vec<usize> = match focus {
            None => (0..s.partnerships.len()).collect(),
            Some(_) => {
                let mut ids: Vec<usize> = members
                    .iter()
                    .flat_map(|&i| s.institutions[i].partnerships.iter().map(|p| p.0))
                    .collect();
                ids.sort_unstable();
                ids.dedup();
                ids
            }
        };
        let groups: Vec<network::Group> = candidates
            .into_iter()
            .map(|p| &s.partnerships[p])
            .filter_map(|p| {
                let inside: Vec<usize> = p
                    .partners
                    .iter()
                    .filter_map(|x| node_of.get(&x.0).copied())
                    .collect();
                (inside.len() >= 2).then(|| network::Group {
                    title: p.title.get(code).clone(),
                    kind: p.kind.clone(),
                    status: p.status.clone(),
                    note: format!(
                        "{}, {}",
                        lv.lang.t(&format!("partnership_kind.{}", p.kind)),
                        lv.lang.t(&format!("status.{}", p.status))
                    ),
                    members: inside,
                })
            })
            .collect();
        if groups.is_empty() {
            return String::new();
        }
        let nodes = members
            .iter()
            .map(|&i| {
                let inst = &s.institutions[i];
                let name = inst.name.get(code).clone();
                network::Node {
                    label: inst.short_name.get(code).clone().unwrap_or(name.clone()),
                    name,
                    url: self.routes.path(&self.routes.partner(code, &inst.id)),
                }
            })
            .collect::<Vec<_>>();
        let (id_prefix, title) = match focus {
            None => ("net-home", lv.lang.t("network.title")),
            Some(i) => (
                "net-partner",
                lv.lang.t_with(
                    "network.title_partner",
                    "name",
                    s.institutions[i].name.get(code),
                ),
            ),
        };
        let desc = lv
            .lang
            .t("network.desc")
            .replace("{institutions}", &lv.lang.number(nodes.len() as f64))
            .replace("{partnerships}", &lv.lang.number(groups.len() as f64));
        let net = network::Network {
            nodes,
            groups,
            focus: focus.map(|_| 0),
        };
        network::render(
            &net,
            &network::Labels {
                id_prefix,
                title: &title,
                desc: &desc,
            },
        )
    }

    /// The location map as inline SVG (`map_svg`): every institution's locations on the
    /// partners page (`only` `None`, labelled with the short name, linked to the
    /// partner page), one institution's on its page (labelled with the location's
    /// name). Empty when no location has coordinates.
    fn map_svg(&self, lv: &LangViews, only: Option<usize>) -> String {
        let s = self.site;
        let code = lv.lang.code.as_str();
        let mut points = Vec::new();
        let shown = only.map_or(0..s.institutions.len(), |o| o..o + 1);
        for i in shown {
            let inst = &s.institutions[i];
            let name = inst.name.get(code);
            let short = inst.short_name.get(code).clone().unwrap_or(name.clone());
            for loc in &inst.locations {
                let (Some(lat), Some(lon)) = (loc.lat, loc.lon) else {
                    continue;
                };
                points.push(map::Point {
                    lat,
                    lon,
                    label: if only.is_some() {
                        loc.name.clone()
                    } else {
                        short.clone()
                    },
                    title: format!("{name} – {}", loc.name),
                    url: only
                        .is_none()
                        .then(|| self.routes.path(&self.routes.partner(code, &inst.id))),
                });
            }
        }
        let (id_prefix, title) = match only {
            None => ("map-partners", lv.lang.t("map.title")),
            Some(i) => (
                "map-partner",
                lv.lang.t_with(
                    "map.title_partner",
                    "name",
                    s.institutions[i].name.get(code),
                ),
            ),
        };
        let desc = lv
            .lang
            .t("map.desc")
            .replace("{locations}", &lv.lang.number(points.len() as f64));
        map::render(
            &points,
            &map::Labels {
                id_prefix,
                title: &title,
                desc: &desc,
            },
        )
    }

    fn release_person(&self, lv: &LangViews, p: PersonRef) -> ReleasePersonView {
        let inst = &self.site.institutions[p.institution.0];
        let person = &inst.people.get(&lv.lang.code)[p.index];
        // Contact details are the same in every language: from the original.
        let base = &inst.people.base[p.index];
        ReleasePersonView {
            name: person.name.clone(),
            role: person.role.clone(),
            institution: self.institution_link(lv, p.institution),
            email: base.email.clone(),
            phone: base.phone.clone(),
            phone_link: base
                .phone
                .as_deref()
                .map(|p| format!("tel:{}", crate::model::dialable(p))),
        }
    }

    fn institution_link(&self, lv: &LangViews, id: InstitutionId) -> Link {
        let inst = &self.site.institutions[id.0];
        Link {
            title: inst.name.get(&lv.lang.code).clone(),
            url: self
                .routes
                .path(&self.routes.partner(&lv.lang.code, &inst.id)),
        }
    }

    fn partnership_link(&self, lv: &LangViews, id: PartnershipId) -> Link {
        let p = &self.site.partnerships[id.0];
        Link {
            title: p.title.get(&lv.lang.code).clone(),
            url: self
                .routes
                .path(&self.routes.partnership(&lv.lang.code, &p.id)),
        }
    }

    fn topic_link(&self, lv: &LangViews, id: TopicId) -> Link {
        let t = &self.site.topics[id.0];
        Link {
            title: t.name.get(&lv.lang.code).clone(),
            url: self.routes.path(&self.routes.topic(&lv.lang.code, &t.slug)),
        }
    }

    fn release_card(&self, lv: &LangViews, i: usize) -> ReleaseCard {
        let code = lv.lang.code.as_str();
        let r = &self.site.releases[i];
        ReleaseCard {
            title: r.title.get(code).clone(),
            url: self.routes.path(&self.routes.release(code, &r.slug)),
            date: r.date.to_string(),
            date_display: lv.lang.date(r.date),
            summary: r.summary.get(code).clone(),
            partners: r
                .partners
                .iter()
                .map(|&p| self.institution_link(lv, p))
                .collect(),
            topics: r.topics.iter().map(|&t| self.topic_link(lv, t)).collect(),
            partnership: r.partnership.map(|p| self.partnership_link(lv, p)),
            status: self.release_status(lv, r),
        }
    }

    /// The mark of a release that a `--drafts` build shows before it is published.
    fn release_status(&self, lv: &LangViews, r: &Release) -> Option<String> {
        if let Some(until) = r.embargoed_until {
            let local = until.to_zoned_datetime(self.site.config.timezone.clone());
            let when = format!("{} {}", lv.lang.date(local.date()), local.strftime("%H:%M"));
            Some(lv.lang.t_with("status.embargoed", "until", &when))
        } else {
            r.draft.then(|| lv.lang.t("status.draft"))
        }
    }

    fn institution_card(&self, lv: &LangViews, inst: &Institution) -> InstitutionCard {
        let code = lv.lang.code.as_str();
        InstitutionCard {
            id: inst.id.clone(),
            name: inst.name.get(code).clone(),
            short_name: inst.short_name.get(code).clone(),
            kind_label: lv.lang.t(&format!("kind.{}", inst.kind)),
            city: inst.city.clone(),
            url: self.routes.path(&self.routes.partner(code, &inst.id)),
            partnership_count: inst.partnerships.len(),
            release_count: inst.releases.len(),
        }
    }

    fn institution_view(&self, lv: &LangViews, l: usize, i: usize) -> InstitutionView {
        let code = lv.lang.code.as_str();
        let inst = &self.site.institutions[i];
        InstitutionView {
            id: inst.id.clone(),
            name: inst.name.get(code).clone(),
            short_name: inst.short_name.get(code).clone(),
            aliases: inst.aliases.clone(),
            kind_label: lv.lang.t(&format!("kind.{}", inst.kind)),
            city: inst.city.clone(),
            region: inst.region.clone(),
            website: inst.website.clone(),
            locations: inst
                .locations
                .iter()
                .map(|x| location_view(lv.lang, x))
                .collect(),
            people: inst
                .people
                .get(code)
                .iter()
                .map(|p| PersonView {
                    name: p.name.clone(),
                    role: p.role.clone(),
                })
                .collect(),
            profile: self.bodies.institutions[l][i].clone(),
            factsheet_url: self
                .routes
                .path(&self.routes.partner_factsheet(code, &inst.id)),
            feed_url: self.routes.path(&self.routes.partner_feed(code, &inst.id)),
            extra: inst.extra.clone(),
        }
    }

    fn partnership_card(&self, lv: &LangViews, i: usize) -> PartnershipCard {
        let code = lv.lang.code.as_str();
        let p = &self.site.partnerships[i];
        PartnershipCard {
            id: p.id.clone(),
            title: p.title.get(code).clone(),
            url: self.routes.path(&self.routes.partnership(code, &p.id)),
            summary: p.summary.get(code).clone(),
            kind_label: lv.lang.t(&format!("partnership_kind.{}", p.kind)),
            status: p.status.clone(),
            status_label: lv.lang.t(&format!("status.{}", p.status)),
            signed: p.signed.map(|d| d.to_string()),
            signed_display: p.signed.map(|d| lv.lang.date(d)),
            partners: p
                .partners
                .iter()
                .map(|&x| self.institution_link(lv, x))
                .collect(),
            focus: p.focus.iter().map(|&t| self.topic_link(lv, t)).collect(),
        }
    }

    fn topic_card(&self, lv: &LangViews, t: &Topic) -> TopicCard {
        TopicCard {
            name: t.name.get(&lv.lang.code).clone(),
            url: self.routes.path(&self.routes.topic(&lv.lang.code, &t.slug)),
            release_count: t.releases.len(),
            partnership_count: t.partnerships.len(),
        }
    }

    fn timeline_item(&self, lv: &LangViews, e: &TimelineEvent) -> TimelineItem {
        let code = lv.lang.code.as_str();
        let partnership = e.partnership.map(|p| self.partnership_link(lv, p));
        let (kind, title, url) = match e.kind {
            TimelineEventKind::Release => {
                let r = &self.site.releases[e.release.map_or(0, |r| r.0)];
                (
                    "release",
                    r.title.get(code).clone(),
                    self.routes.path(&self.routes.release(code, &r.slug)),
                )
            }
            TimelineEventKind::Milestone => {
                let p = &self.site.partnerships[e.partnership.map_or(0, |p| p.0)];
                let m = &p.events[e.milestone.unwrap_or(0)];
                (
                    "milestone",
                    m.title.get(code).clone(),
                    self.routes.path(&self.routes.partnership(code, &p.id)),
                )
            }
            TimelineEventKind::Signed | TimelineEventKind::Ended => {
                let link = partnership.clone().unwrap_or(Link {
                    title: String::new(),
                    url: String::new(),
                });
                let kind = if e.kind == TimelineEventKind::Signed {
                    "signed"
                } else {
                    "ended"
                };
                (kind, link.title, link.url)
            }
        };
        TimelineItem {
            date: e.date.to_string(),
            date_display: lv.lang.partial_date(&e.date),
            kind,
            kind_label: lv.lang.t(&format!("event.{kind}")),
            title,
            url,
            partnership,
            future: self
                .site
                .today
                .is_some_and(|t| e.date > PartialDate::from_date(t)),
        }
    }

    /// Views of several fact lists, numbering their sources in one shared list.
    fn fact_views(
        &self,
        lv: &LangViews,
        lists: &[&[Fact]],
    ) -> (Vec<Vec<FactView>>, Vec<FactSourceView>) {
        let mut sources: Vec<FactSourceView> = Vec::new();
        let code = lv.lang.code.as_str();
        let lang = lv.lang;
        let views = lists
            .iter()
            .map(|facts| {
                facts
                    .iter()
                    .map(|f| {
                        let mut value = match f.value.get(code) {
                            FactValue::Number(n) => lang.number(*n),
                            FactValue::Text(t) => t.clone(),
                        };
                        if f.over {
                            value = format!("{} {value}", lang.t("over"));
                        } else if f.approx {
                            value = format!("{} {value}", lang.t("approx"));
                        }
                        if let Some(unit) = &f.unit {
                            value = format!("{value}\u{a0}{unit}");
                        }
                        let source = f.source.as_ref().map(|s| {
                            let (title, url, permalink, external) = match s {
                                FactSource::Release(r) => {
                                    let r = &self.site.releases[r.0];
                                    let route = self.routes.release(code, &r.slug);
                                    (
                                        r.title.get(code).clone(),
                                        self.routes.path(&route),
                                        self.routes.permalink(&route),
                                        false,
                                    )
                                }
                                FactSource::Url(u) => (url_host(u), u.clone(), u.clone(), true),
                            };
                            let number = match sources.iter().position(|x| x.url == url) {
                                Some(n) => n + 1,
                                None => {
                                    sources.push(FactSourceView {
                                        title: title.clone(),
                                        url: url.clone(),
                                        permalink: permalink.clone(),
                                        external,
                                        number: sources.len() + 1,
                                    });
                                    sources.len()
                                }
                            };
                            FactSourceView {
                                title,
                                url,
                                permalink,
                                external,
                                number,
                            }
                        });
                        FactView {
                            key: f.key.clone(),
                            label: f
                                .label
                                .get(code)
                                .clone()
                                .unwrap_or_else(|| lang.t(&format!("fact.{}", f.key))),
                            value_display: value,
                            unit: f.unit.clone(),
                            note: f.note.get(code).clone(),
                            as_of: f.as_of.map(|d| d.to_string()),
                            as_of_display: f.as_of.map(|d| lang.partial_date(&d)),
                            source,
                        }
                    })
                    .collect()
            })
            .collect();
        (views, sources)
    }
}

/// Label–value rows of a fact sheet; consecutive values under one label share a row.
#[derive(Default)]
struct MetaRows(Vec<MetaRow>);

impl MetaRows {
    fn add(&mut self, label: String, text: &str, url: Option<String>) {
        let item = MetaItem {
            text: text.to_owned(),
            url,
        };
        match self.0.last_mut() {
            Some(row) if row.label == label => row.items.push(item),
            _ => self.0.push(MetaRow {
                label,
                items: vec![item],
            }),
        }
    }
}

/// Coordinates as precise as the content gives them, with the language's decimal mark.
fn location_view(lang: &Language, l: &Location) -> LocationView {
    let degrees = |v: f64, pos: &str, neg: &str| {
        let text = v
            .abs()
            .to_string()
            .replace('.', &lang.raw.decimal_separator);
        format!("{text}° {}", if v >= 0.0 { pos } else { neg })
    };
    let coordinates = match (l.lat, l.lon) {
        (Some(lat), Some(lon)) => {
            let separator = if lang.raw.decimal_separator == "," {
                "; "
            } else {
                ", "
            };
            format!(
                "{}{separator}{}",
                degrees(lat, "N", "S"),
                degrees(lon, "E", "W")
            )
        }
        _ => String::new(),
    };
    LocationView {
        name: l.name.clone(),
        lat: l.lat,
        lon: l.lon,
        coordinates,
    }
}

fn url_host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split(['/', '?', '#'])
        .next()
        .unwrap_or(rest)
        .to_owned()
}
