//! What every page of one language shares, built once per language, and what a page
//! function is given: the model, the shared views and the rendered bodies.

use super::kind::{LangIdx, Section};
use super::links::Links;
use crate::model::*;
use crate::render::Bodies;
use crate::render::i18n::Language;
use crate::render::metadata;
use crate::render::routes::{PageRoute, Routes};
use crate::render::views::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::ops::Deref;
use tera::Value;

/// Up to this many events, a partner's, partnership's or topic's timeline shows them all,
/// its releases between the signing and the milestones; beyond, it leaves out the
/// releases, which the same page lists already as cards: on a 10,000-release site they
/// were half the bytes of partner pages (a topic's 500 of them most of its 0.8 MB).
const ENTITY_TIMELINE_MAX: usize = 24;

/// What every page of one language shares, built once: `site` (once per navigation
/// section), `t`, the cards and the timeline items.
pub(crate) struct LangViews {
    /// Owned (a few KB of strings), so a `serve` session keeps the views between runs.
    pub lang: Language,
    pub site_value: Value,
    /// `site` with the navigation marked for each of [`Section::ALL`], in that order.
    pub site_by_section: Vec<Value>,
    pub t_value: Value,
    pub release_cards: Vec<Shared<ReleaseCard>>,
    pub institution_cards: Vec<Shared<InstitutionCard>>,
    pub partnership_cards: Vec<Shared<PartnershipCard>>,
    /// The site's timeline, item by event.
    pub timeline: Vec<Shared<TimelineItem>>,
    /// The "today" marker, when the build knows its date: (year, marker).
    pub today: Option<(i16, Shared<TodayMarker>)>,
    /// The hashes of the shared values, for the fingerprints of pages kept for the
    /// next build; empty until [`LangViews::hash_shared`].
    pub hashes: super::SharedHashes,
    /// Per release, its card's and timeline items' hashes added up: what tells the
    /// next build which release's card a page made again shows differently.
    pub release_hashes: Vec<u128>,
}

impl LangViews {
    pub(crate) fn new(links: Links) -> Self {
        let s = links.site;
        let lang = links.lang;
        let site_view = site_view(links);
        let site_by_section = Section::ALL
            .iter()
            .map(|&section| {
                let mut view = site_view.clone();
                view.nav = nav(links, section);
                Value::from_serializable(&view)
            })
            .collect();
        LangViews {
            lang: lang.clone(),
            site_value: Value::from_serializable(&site_view),
            site_by_section,
            t_value: Value::from_serializable(&lang.raw.strings),
            release_cards: (0..s.releases.len())
                .map(|i| Shared::new(links.release_card(i)))
                .collect(),
            institution_cards: s
                .institutions
                .iter()
                .map(|inst| Shared::new(links.institution_card(inst)))
                .collect(),
            partnership_cards: (0..s.partnerships.len())
                .map(|i| Shared::new(links.partnership_card(i)))
                .collect(),
            timeline: s
                .timeline
                .iter()
                .map(|e| Shared::new(links.timeline_item(e)))
                .collect(),
            today: s.today.map(|d| {
                let date = PartialDate::from_date(d);
                let marker = TodayMarker {
                    date: date.to_string(),
                    date_display: lang.partial_date(&date),
                    kind: "today",
                    label: lang.t("timeline.today"),
                };
                (d.year(), Shared::new(marker))
            }),
            hashes: super::SharedHashes::default(),
            release_hashes: Vec::new(),
        }
    }

    /// `site` with the navigation marking `section`.
    pub(crate) fn site_in(&self, section: Section) -> &Value {
        let at = Section::ALL.iter().position(|s| *s == section);
        &self.site_by_section[at.unwrap_or(0)]
    }

    /// Hashes every shared value once (`site` and `site` per section, `t`, the cards,
    /// the timeline items, the "today" marker), for the pages' fingerprints; a release's
    /// card and the items of `timeline` that are releases are hashed with their release.
    pub(crate) fn hash_shared(&mut self, timeline: &[TimelineEvent]) {
        let mut hashes = std::mem::take(&mut self.hashes);
        let mut by_release = vec![0u128; self.release_cards.len()];
        let releases = (self.release_cards.iter().enumerate())
            .map(|(i, card)| (card.value(), Some(ReleaseId(i))))
            .chain(
                (self.timeline.iter().zip(timeline))
                    .map(|(item, event)| (item.value(), event.kind.release())),
            );
        let others = (self.institution_cards.iter().map(Shared::value))
            .chain(self.partnership_cards.iter().map(Shared::value))
            .chain(self.today.iter().map(|(_, marker)| marker.value()))
            .chain([&self.site_value, &self.t_value])
            .chain(&self.site_by_section)
            .map(|value| (value, None));
        for (value, release) in releases.chain(others) {
            let hash = hashes.add(value, release);
            if let (Some(hash), Some(r)) = (hash, release.and_then(|r| by_release.get_mut(r.0))) {
                *r = r.wrapping_add(hash);
            }
        }
        self.hashes = hashes;
        self.release_hashes = by_release;
    }

    /// Makes release `id`'s card and timeline items again after an edit of its title or
    /// summary (`render::patch`), hashed for the pages that will show them.
    pub(crate) fn remake_release(&mut self, site: &Site, routes: &Routes, id: ReleaseId) {
        let links = Links {
            site,
            routes,
            lang: &self.lang,
        };
        let card = Shared::new(links.release_card(id.0));
        let items: Vec<(usize, Shared<TimelineItem>)> = (site.timeline.iter().enumerate())
            .filter(|(_, e)| e.kind.release() == Some(id))
            .map(|(i, e)| (i, Shared::new(links.timeline_item(e))))
            .collect();
        let mut hash = self.hashes.add(card.value(), Some(id)).unwrap_or(0);
        self.release_cards[id.0] = card;
        for (i, item) in items {
            let item_hash = self.hashes.add(item.value(), Some(id)).unwrap_or(0);
            hash = hash.wrapping_add(item_hash);
            self.timeline[i] = item;
        }
        if let Some(slot) = self.release_hashes.get_mut(id.0) {
            *slot = hash;
        }
    }

    pub(crate) fn releases(&self, ids: &[ReleaseId]) -> Vec<&Shared<ReleaseCard>> {
        ids.iter().map(|r| &self.release_cards[r.0]).collect()
    }

    pub(crate) fn partnerships(&self, ids: &[PartnershipId]) -> Vec<&Shared<PartnershipCard>> {
        ids.iter().map(|p| &self.partnership_cards[p.0]).collect()
    }

    /// Timeline items (by index into the site's timeline) grouped by year. A non-empty
    /// timeline gets the "today" marker after its past events, a timeline of `one_year`
    /// only when that is the current year.
    pub(crate) fn years(
        &self,
        items: impl Iterator<Item = (i16, usize)>,
        one_year: Option<i16>,
    ) -> Vec<TimelineYear<'_>> {
        let mut by_year: BTreeMap<i16, Vec<TimelineEntry>> = BTreeMap::new();
        // Per year, how many of its events are not in the future.
        let mut past: BTreeMap<i16, usize> = BTreeMap::new();
        for (year, i) in items {
            let item = &self.timeline[i];
            by_year
                .entry(year)
                .or_default()
                .push(TimelineEntry::Event(item));
            if !item.flag("future") {
                *past.entry(year).or_default() += 1;
            }
        }
        let marked = self
            .today
            .as_ref()
            .filter(|(year, _)| !by_year.is_empty() && one_year.is_none_or(|y| y == *year));
        if let Some((year, marker)) = marked {
            let at = past.get(year).copied().unwrap_or(0);
            by_year
                .entry(*year)
                .or_default()
                .insert(at, TimelineEntry::Today(marker));
        }
        by_year
            .into_iter()
            .map(|(year, events)| TimelineYear {
                year,
                events,
                more: None,
            })
            .collect()
    }

    /// The timeline of an entity: the events at `indices` (from `TimelineIndex`). Beyond
    /// [`ENTITY_TIMELINE_MAX`] events the releases are left out (the page lists them
    /// already); the flag says so.
    pub(crate) fn timeline_of(
        &self,
        site: &Site,
        indices: &[usize],
    ) -> (Vec<TimelineYear<'_>>, bool) {
        let omit = indices.len() > ENTITY_TIMELINE_MAX;
        let events = indices
            .iter()
            .filter(|&&i| !omit || !site.timeline[i].kind.is_release())
            .map(|&i| (site.timeline[i].date.year, i));
        (self.years(events, None), omit)
    }
}

fn site_view(links: Links) -> SiteView {
    let s = links.site;
    let l = links.code();
    let routes = links.routes;
    SiteView {
        title: s.config.title.get(l).clone(),
        description: s.config.description.get(l).clone(),
        lang: l.to_owned(),
        default_lang: s.config.default_language.clone(),
        base_url: s.config.base_url.clone(),
        base_path: s.config.base_path.clone(),
        home_url: routes.path(&routes.home(l)),
        feed_url: routes.path(&routes.feed(l)),
        press_url: super::press::has_page(s).then(|| routes.path(&routes.press(l))),
        stylesheet_url: routes.asset("style.css"),
        logo: links.logo(s.config.logo.as_ref(), false),
        urls: SectionUrls {
            news: routes.path(&routes.news(l, 1)),
            partners: routes.path(&routes.partners(l)),
            partnerships: routes.path(&routes.partnerships(l)),
            topics: routes.path(&routes.topics(l)),
            timeline: routes.path(&routes.timeline(l)),
            media: routes.path(&routes.media_library(l)),
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
    }
}

fn nav(links: Links, current: Section) -> Vec<NavItem> {
    Section::ALL
        .iter()
        .filter_map(|&section| {
            let route = section.index()?;
            Some(NavItem {
                label: links.lang.t(&format!("nav.{}", section.key())),
                url: links.path(&links.routes.route(links.code(), route)),
                current: section == current,
            })
        })
        .collect()
}

/// What a page function is given: the model and routes for its language, the
/// language's shared views and the rendered bodies.
#[derive(Clone, Copy)]
pub(crate) struct PageEnv<'a> {
    pub links: Links<'a>,
    pub shared: &'a LangViews,
    pub bodies: &'a Bodies,
    pub lang: LangIdx,
    /// Every language of the site, for the alternates of each page.
    pub languages: &'a [Language],
}

impl<'a> Deref for PageEnv<'a> {
    type Target = Links<'a>;
    fn deref(&self) -> &Links<'a> {
        &self.links
    }
}

/// A page: its `page` metadata and its own keys.
#[derive(Debug, Serialize)]
pub(crate) struct Page<B> {
    pub page: PageMeta,
    #[serde(flatten)]
    pub body: B,
}

/// What a page's `page` needs besides its route.
pub(crate) struct MetaInput {
    pub kind: &'static str,
    pub title: String,
    pub description: Option<String>,
    /// Whether the page's text exists in this language (else the original is shown).
    pub translated: bool,
}

impl MetaInput {
    pub(crate) fn new(kind: &'static str, title: String) -> Self {
        Self {
            kind,
            title,
            description: None,
            translated: true,
        }
    }
}

impl<'a> PageEnv<'a> {
    /// The page's `page`: title, description, URLs and its alternates in every language.
    pub(crate) fn meta(&self, route: PageRoute, input: MetaInput) -> PageMeta {
        let s = self.site;
        let l = self.code();
        let routes: &Routes = self.routes;
        let alternates = self
            .languages
            .iter()
            .map(|other| {
                let r = routes.route(&other.code, route);
                Alternate {
                    lang: other.code.clone(),
                    name: other.raw.language_name.clone(),
                    url: routes.path(&r),
                    permalink: routes.permalink(&r),
                    locale: metadata::og_locale(&other.code),
                    current: other.code == l,
                }
            })
            .collect();
        let content_lang = if input.translated || l == s.config.default_language {
            l.to_owned()
        } else {
            s.config.default_language.clone()
        };
        let own = routes.route(l, route);
        PageMeta {
            share_image: None,
            kind: input.kind,
            title: input.title,
            description: input
                .description
                .filter(|d| !d.is_empty())
                .unwrap_or_else(|| s.config.description.get(l).clone()),
            url: routes.path(&own),
            permalink: routes.permalink(&own),
            lang: l.to_owned(),
            untranslated: content_lang != l,
            content_lang,
            alternates,
            feed_url: None,
            locale: metadata::og_locale(l),
            og_type: if input.kind == "release" {
                "article"
            } else {
                "website"
            },
            published_time: None,
            json_ld: None,
        }
    }

    /// The page's schema.org JSON-LD (`render/metadata.rs`), serialised for a script.
    pub(crate) fn json_ld(
        &self,
        make: impl FnOnce(&metadata::JsonLd) -> Option<serde_json::Value>,
    ) -> Option<String> {
        let ld = metadata::JsonLd {
            site: self.site,
            routes: self.routes,
            lang: self.links.lang,
        };
        make(&ld).as_ref().map(metadata::script_json)
    }
}
