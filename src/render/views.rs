//! Template views: what templates see, and nothing else.
//!
//! Views are plain serialisable structs made from the model by `render::pages` (each
//! page's own struct, with every key its template reads, lives in its page module); all
//! URLs, localised labels and formatted dates/numbers are final strings here, so
//! templates contain layout only. Lists shared by many pages (release cards, timeline
//! items) are converted to `tera::Value` once per language ([`Shared`]) and shared by
//! reference.

use serde::{Serialize, Serializer};
use std::borrow::Cow;
use tera::Value;

/// HTML that is already escaped: rendered Markdown (`render::markdown`) or markup built
/// by trusted code (the inline SVGs). Templates print it as is.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct SafeHtml<'a>(Cow<'a, str>);

impl<'a> SafeHtml<'a> {
    /// Only for HTML whose every text was escaped when it was made.
    pub(crate) fn trusted(html: impl Into<Cow<'a, str>>) -> Self {
        Self(html.into())
    }

    #[cfg(test)]
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl Serialize for SafeHtml<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Value::safe_string(&self.0).serialize(serializer)
    }
}

/// A view that many pages show, with its template value made once: a page that lists
/// it serialises to a clone of that value (an `Arc`), not to a copy of the view, and
/// a page's fingerprint uses the value's hash, made once. Only the value is kept: the
/// view's strings again, for every release card and timeline item of a large site,
/// were tens of MiB that nothing read.
#[derive(Debug)]
pub(crate) struct Shared<T> {
    value: Value,
    view: std::marker::PhantomData<fn() -> T>,
}

impl<T: Serialize> Shared<T> {
    pub(crate) fn new(view: T) -> Self {
        Self {
            value: Value::from_serializable(&view),
            view: std::marker::PhantomData,
        }
    }
}

impl<T> Shared<T> {
    /// The value, whose hash the pages' fingerprints use (`render::pages`).
    pub(crate) fn value(&self) -> &Value {
        &self.value
    }

    /// A text field of the view (`"url"`, `"title"`), for the few places that sort or
    /// compare by one; empty when the view has no such text.
    pub(crate) fn text<'s>(&'s self, field: &'s str) -> &'s str {
        self.value
            .get_from_path(field)
            .and_then(Value::as_str)
            .unwrap_or("")
    }

    /// A yes/no field of the view; false when the view has no such field.
    pub(crate) fn flag(&self, field: &str) -> bool {
        self.value
            .get_from_path(field)
            .and_then(Value::as_bool)
            .unwrap_or(false)
    }
}

impl<T> Serialize for Shared<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}

/// `site` in every template: the same for every page of one language.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SiteView {
    pub title: String,
    pub description: String,
    /// Language of this page tree (`de`, `en`).
    pub lang: String,
    pub default_lang: String,
    /// Absolute URL of the site root, ending in `/`.
    pub base_url: String,
    /// Path of the site root (`/` or `/sub/path/`); prefix for theme assets.
    pub base_path: String,
    /// Home page of this language (path).
    pub home_url: String,
    /// This language's site feed (path).
    pub feed_url: String,
    /// The press contacts page, when the site has a press office or media contacts.
    pub press_url: Option<String>,
    /// Stylesheet path (with the base path).
    pub stylesheet_url: String,
    /// The site's logo (`logo:` in `site.yaml`) beside its name, `alt` empty.
    pub logo: Option<PictureView>,
    /// The section index pages of this language.
    pub urls: SectionUrls,
    pub nav: Vec<NavItem>,
    /// Free pages for the footer, by weight.
    pub footer_pages: Vec<Link>,
    pub extra: serde_json::Value,
}

/// Paths of the section index pages, so templates never build URLs themselves.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SectionUrls {
    pub news: String,
    pub partners: String,
    pub partnerships: String,
    pub topics: String,
    pub timeline: String,
    pub media: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct NavItem {
    pub label: String,
    pub url: String,
    /// The section the current page belongs to (for `aria-current`).
    pub current: bool,
}

/// `page` in every HTML template: what differs per page.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PageMeta {
    /// home | news | release | partners | partner | partner_factsheet | partnerships |
    /// partnership | partnership_factsheet | topics | topic | timeline | page | 404
    pub kind: &'static str,
    pub title: String,
    /// For `<meta name="description">`; never empty.
    pub description: String,
    /// Path of this page.
    pub url: String,
    /// Absolute URL (canonical).
    pub permalink: String,
    pub lang: String,
    /// Language the main text is written in: differs from `lang` when a page has no
    /// translation and shows the original text.
    pub content_lang: String,
    /// True when `content_lang != lang` (templates may show a notice).
    pub untranslated: bool,
    /// The same page in every language of the site (including this one).
    pub alternates: Vec<Alternate>,
    /// Feed of this page's subject (partner pages), if any (path).
    pub feed_url: Option<String>,
    /// `og:image` and its alt, size and card type; `None` when neither the page nor the
    /// site has a picture.
    pub share_image: Option<ShareImage>,
    /// OpenGraph locale of `lang` (`de_DE`, `en_US`); each alternate has its own.
    pub locale: String,
    /// `og:type`: `article` for releases, `website` otherwise.
    pub og_type: &'static str,
    /// ISO date for `article:published_time` (releases).
    pub published_time: Option<String>,
    /// schema.org JSON-LD of the page, serialised with `<`, `>` and `&` escaped, for
    /// `<script type="application/ld+json">{{ page.json_ld | safe }}</script>`.
    pub json_ld: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Alternate {
    pub lang: String,
    /// Language name in its own language ("Deutsch", "English").
    pub name: String,
    /// Path, for the language switcher.
    pub url: String,
    /// Absolute URL, for `hreflang`.
    pub permalink: String,
    /// OpenGraph locale (`de_DE`), for `og:locale:alternate`.
    pub locale: String,
    pub current: bool,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Link {
    pub title: String,
    pub url: String,
}

/// A photo, logo or graphic as a `<picture>`: the WebP `<source>`, the JPEG/PNG
/// fallback `<img>`, and the displayed size, so the page does not shift as it loads.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct PictureView {
    /// `srcset` of `<source type="image/webp">`; `None` for SVG, which is served as is.
    pub webp_srcset: Option<String>,
    pub src: String,
    pub srcset: Option<String>,
    pub sizes: String,
    pub width: u32,
    pub height: u32,
    pub alt: String,
}

/// A photo with what must be visible beside it: caption, credit (the photographer's
/// right to be named), terms of use and the original for journalists.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct FigureView {
    pub picture: PictureView,
    pub caption: Option<String>,
    pub credit: Option<String>,
    pub license: Option<String>,
    /// The language of caption and licence where it is not the page's (untranslated).
    pub text_lang: Option<String>,
    pub download: DownloadView,
}

/// The original of a media file: "Original herunterladen (JPEG, 6000 × 4000, 8,4 MB)".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct DownloadView {
    pub url: String,
    pub label: String,
}

/// The picture a shared link shows (`og:image`): the 1200×630 share image of the
/// page's photo, else the institution's image or logo, else the site's default.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct ShareImage {
    /// Absolute URL.
    pub url: String,
    pub alt: String,
    pub width: u32,
    pub height: u32,
    /// `twitter:card`: a large picture only for a real share image (1200×630).
    pub large: bool,
}

/// A release in lists, feeds of cards and related lists.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ReleaseCard {
    pub title: String,
    pub url: String,
    /// ISO date for `<time datetime>`.
    pub date: String,
    pub date_display: String,
    pub summary: Option<String>,
    pub partners: Vec<Link>,
    pub topics: Vec<Link>,
    pub partnership: Option<Link>,
    /// "Entwurf" / "Sperrfrist bis …" when a `--drafts` build shows an unpublished
    /// release; `None` for published ones.
    pub status: Option<String>,
    /// The lead photo's smallest rendition (`alt` empty: the card's title names it).
    pub thumb: Option<PictureView>,
}

/// The full release page.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ReleaseView<'a> {
    /// As on `ReleaseCard`.
    pub status: Option<String>,
    /// What the item is ("Pressemitteilung"), above the headline.
    pub kind_label: String,
    /// The dateline's place: `place:`, else the issuer's city.
    pub place: Option<String>,
    pub issuer: Option<Link>,
    pub title: String,
    pub date: String,
    pub date_display: String,
    pub summary: Option<String>,
    pub body: SafeHtml<'a>,
    pub partners: Vec<Link>,
    pub partnership: Option<Link>,
    pub topics: Vec<Link>,
    pub source: Option<SourceView>,
    pub contacts: Vec<ReleasePersonView>,
    pub quotes: Vec<QuoteView>,
    /// One "About …" section per institution with a `boilerplate`: the issuer's
    /// first, then the other concerned institutions'.
    pub about: Vec<AboutView>,
    /// The lead photo, above the text.
    pub image: Option<FigureView>,
}

/// A person of an institution as a release names them (contact or quote author).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ReleasePersonView {
    pub name: String,
    pub role: Option<String>,
    /// `None` for the site's press office.
    pub institution: Option<Link>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// The phone number for a `tel:` link (`+493916715162`), so a journalist on a
    /// phone can call with one tap.
    pub phone_link: Option<String>,
    /// The contact's vCard, for media contacts.
    pub vcard: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct QuoteView {
    pub text: String,
    /// Quotes are not translated: always the site's default language.
    pub lang: String,
    pub by: ReleasePersonView,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct AboutView {
    /// The translated "About {name}" heading.
    pub heading: String,
    pub institution: Link,
    pub text: String,
    pub lang: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct SourceView {
    pub publisher: Option<String>,
    pub url: Option<String>,
    pub date_display: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct InstitutionCard {
    pub id: String,
    pub name: String,
    pub short_name: Option<String>,
    pub kind_label: String,
    pub city: Option<String>,
    pub url: String,
    pub partnership_count: usize,
    pub release_count: usize,
    /// The institution's logo (`alt` empty: the card's title is its name).
    pub logo: Option<PictureView>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct InstitutionView<'a> {
    pub id: String,
    pub name: String,
    pub short_name: Option<String>,
    pub aliases: Vec<String>,
    pub kind_label: String,
    pub city: Option<String>,
    pub region: Option<String>,
    pub website: Option<String>,
    pub locations: Vec<LocationView>,
    pub people: Vec<PersonView>,
    pub profile: SafeHtml<'a>,
    pub logo: Option<PictureView>,
    pub image: Option<FigureView>,
    pub factsheet_url: String,
    pub feed_url: String,
    pub extra: serde_json::Value,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct LocationView {
    pub name: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// e.g. "51.79° N, 11.15° E", empty without coordinates.
    pub coordinates: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct PersonView {
    pub name: String,
    pub role: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct PartnershipCard {
    pub id: String,
    pub title: String,
    pub url: String,
    pub summary: Option<String>,
    pub kind_label: String,
    pub status: String,
    pub status_label: String,
    pub signed: Option<String>,
    pub signed_display: Option<String>,
    /// "Unterzeichnet", or "Unterzeichnung geplant" for a planned partnership.
    pub signed_label: String,
    pub partners: Vec<Link>,
    pub focus: Vec<Link>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct PartnershipView<'a> {
    pub id: String,
    pub title: String,
    pub summary: Option<String>,
    pub kind_label: String,
    pub status: String,
    pub status_label: String,
    pub signed: Option<String>,
    pub signed_display: Option<String>,
    pub signed_label: String,
    pub ended: Option<String>,
    pub ended_display: Option<String>,
    pub partners: Vec<Link>,
    pub focus: Vec<Link>,
    pub body: SafeHtml<'a>,
    pub image: Option<FigureView>,
    pub factsheet_url: String,
    pub extra: serde_json::Value,
}

/// One figure with its provenance, fully formatted.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FactView {
    pub key: String,
    pub label: String,
    /// Number formatted per language, with "rund"/"über" and unit: "rund 1.050".
    pub value_display: String,
    pub unit: Option<String>,
    pub note: Option<String>,
    pub as_of: Option<String>,
    pub as_of_display: Option<String>,
    pub source: Option<FactSourceView>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct FactSourceView {
    /// Release title or the URL's host.
    pub title: String,
    pub url: String,
    /// Absolute URL, for the printed reference.
    pub permalink: String,
    /// True for URLs outside the site.
    pub external: bool,
    /// 1-based number in the fact sheet's list of sources.
    pub number: usize,
}

/// A group of figures on a fact sheet (an institution's, or a partnership's own).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FactGroup {
    pub heading: String,
    pub url: String,
    pub facts: Vec<FactView>,
}

/// The partners' figures side by side: one row per figure, one column per partner,
/// so "beds" of three hospitals scan in one line instead of three tables.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FactComparison {
    pub columns: Vec<Link>,
    pub rows: Vec<ComparisonRow>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct ComparisonRow {
    pub label: String,
    /// One per column; `None` where that partner has no such figure.
    pub cells: Vec<Option<FactView>>,
}

/// One label of a fact sheet's overview with its values (several partners, say).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct MetaRow {
    pub label: String,
    pub items: Vec<MetaItem>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct MetaItem {
    pub text: String,
    pub url: Option<String>,
}

/// The printable fact sheet of an institution or a partnership.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FactSheetView<'a> {
    /// institution | partnership
    pub subject: &'static str,
    pub title: String,
    pub subtitle: Option<String>,
    /// The institution's logo, printed at the top (partners' logos on a partnership's).
    pub logos: Vec<PictureView>,
    /// The subject's full page.
    pub url: String,
    pub meta: Vec<MetaRow>,
    pub groups: Vec<FactGroup>,
    /// A partnership's partners' figures side by side.
    pub comparison: Option<FactComparison>,
    pub locations: Vec<LocationView>,
    pub people: Vec<PersonView>,
    pub milestones: Vec<&'a Shared<TimelineItem>>,
    /// Numbered list of every source cited on the sheet.
    pub sources: Vec<FactSourceView>,
    /// "Stand der Angaben: Juli 2024": the newest `as_of` of its figures, so a printed sheet says how
    /// current it is (the build date would change the sheet every day).
    pub as_of: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct TimelineItem {
    /// ISO (as precise as known): `2024`, `2024-07`, `2024-07-01`.
    pub date: String,
    pub date_display: String,
    /// signed | ended | milestone | release
    pub kind: &'static str,
    pub kind_label: String,
    pub title: String,
    pub url: String,
    pub partnership: Option<Link>,
    /// After the build's "today" (planned).
    pub future: bool,
}

/// The "today" marker between past and future events of a timeline (`kind` `today`).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TodayMarker {
    pub date: String,
    pub date_display: String,
    pub kind: &'static str,
    pub label: String,
}

/// Each `timeline` entry in templates: a year's events, the shared items.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TimelineYear<'a> {
    pub year: i16,
    pub events: Vec<TimelineEntry<'a>>,
    /// On a long overview, the link to the year's page with all of its events.
    pub more: Option<Link>,
}

/// An event of a timeline, or the "today" marker between past and future ones.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(untagged)]
pub(crate) enum TimelineEntry<'a> {
    Event(&'a Shared<TimelineItem>),
    Today(&'a Shared<TodayMarker>),
}

/// `years` on the timeline pages: one link per year with events.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TimelineYearLink {
    pub year: i16,
    pub url: String,
    /// Events in that year.
    pub count: usize,
    pub current: bool,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct TopicCard {
    pub name: String,
    pub url: String,
    pub release_count: usize,
    pub partnership_count: usize,
}

/// Links of a paginated list: previous, next and a window of page numbers (the first,
/// the last and two on each side of the current one, with gaps between), so every page
/// carries a constant number of links however long the list grows.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Pagination {
    pub current: usize,
    pub total: usize,
    pub prev_url: Option<String>,
    pub next_url: Option<String>,
    pub pages: Vec<PageLink>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct PageLink {
    pub number: usize,
    pub url: String,
    pub current: bool,
    /// Stands for the pages left out between two links (shown as "…").
    pub gap: bool,
}

impl Pagination {
    /// Pages on each side of the current one that get a link.
    const WINDOW: usize = 2;

    /// Page `current` of `total` (1-based); `link` gives a page's URL.
    pub(crate) fn new(current: usize, total: usize, link: impl Fn(usize) -> String) -> Self {
        let shown = |p: usize| p == 1 || p == total || p.abs_diff(current) <= Self::WINDOW;
        let mut pages = Vec::new();
        let mut p = 1;
        while p <= total {
            // A gap of a single page is shown as that page: "…" would be no shorter.
            if shown(p) || (p > 1 && p < total && shown(p - 1) && shown(p + 1)) {
                pages.push(PageLink {
                    number: p,
                    url: link(p),
                    current: p == current,
                    gap: false,
                });
                p += 1;
            } else {
                pages.push(PageLink {
                    number: p,
                    url: String::new(),
                    current: false,
                    gap: true,
                });
                p = (p..=total).find(|&q| shown(q)).unwrap_or(total + 1);
            }
        }
        Self {
            current,
            total,
            prev_url: (current > 1).then(|| link(current - 1)),
            next_url: (current < total).then(|| link(current + 1)),
            pages,
        }
    }
}

/// `feed` in `atom.xml`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FeedView {
    pub title: String,
    pub subtitle: String,
    pub lang: String,
    /// Absolute URL of the feed itself (also its id).
    pub self_url: String,
    /// Absolute URL of the HTML page the feed belongs to.
    pub alternate_url: String,
    /// RFC 3339; the newest entry's date (or a fixed epoch for empty feeds).
    pub updated: String,
    pub entries: Vec<FeedEntry>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct FeedEntry {
    pub title: String,
    pub url: String,
    pub published: String,
    pub updated: String,
    pub summary: Option<String>,
    /// Rendered HTML body (escaped by the template); only in the site feed, so the
    /// partner feeds, which repeat the same releases, stay small.
    pub content: Option<String>,
    pub categories: Vec<String>,
    /// The lead photo, for feed readers that show a picture beside the entry.
    pub image: Option<FeedImage>,
}

/// A release's lead photo in a feed (`media:content`, `enclosure`): the picture a page
/// shows browsers without `srcset`, at its absolute URL.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FeedImage {
    pub url: String,
    /// Its MIME type.
    pub kind: String,
    pub alt: String,
    pub credit: Option<String>,
}

/// One `<url>` of `sitemap.xml`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SitemapEntry {
    pub loc: String,
    pub lastmod: Option<String>,
    pub alternates: Vec<Alternate>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(current: usize, total: usize) -> String {
        Pagination::new(current, total, |p| format!("/news/page/{p}/"))
            .pages
            .iter()
            .map(|p| match (p.gap, p.current) {
                (true, _) => "…".to_owned(),
                (false, true) => format!("[{}]", p.number),
                (false, false) => p.number.to_string(),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn pagination_links_a_window_around_the_current_page() {
        assert_eq!(shown(1, 1), "[1]");
        assert_eq!(shown(2, 5), "1 [2] 3 4 5");
        assert_eq!(shown(1, 1000), "[1] 2 3 … 1000");
        assert_eq!(shown(500, 1000), "1 … 498 499 [500] 501 502 … 1000");
        assert_eq!(shown(1000, 1000), "1 … 998 999 [1000]");
        // A gap of one page shows the page instead.
        assert_eq!(shown(5, 9), "1 2 3 4 [5] 6 7 8 9");
        assert_eq!(shown(6, 12), "1 … 4 5 [6] 7 8 … 12");
    }

    #[test]
    fn pagination_links_stay_few_however_long_the_list() {
        for total in [1, 7, 100, 10_000] {
            for current in [1, total / 2 + 1, total] {
                let p = Pagination::new(current, total, |p| p.to_string());
                assert!(p.pages.len() <= 9, "{current}/{total}: {}", p.pages.len());
                assert_eq!(p.prev_url.is_some(), current > 1);
                assert_eq!(p.next_url.is_some(), current < total);
            }
        }
    }
}
