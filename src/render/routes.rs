//! Routes: the one place that maps the model to URLs and output paths.
//!
//! Every route is a path relative to the site root: a directory (`news/harz/`, served
//! as `news/harz/index.html`) or a file (`atom.xml`). The default language lives at
//! the root, every other language under `/<lang>/`. The words of generated addresses
//! are each language's `Segments` (`news/` or `nachrichten/`); machine addresses (open
//! data under `api/`, feeds, media files, the sitemap) are the same in every language.

use crate::model::segments::{Segment, Segments};
use std::collections::BTreeMap;

const API: &str = "api";
/// Media files keep one address in every language (journalists cite it); only the
/// media library page's segment is a word of the language.
const MEDIA_FILES: &str = "media";

/// One generated file, typed: which page of which entity. `Routes::route` turns it into
/// the route of one language.
#[derive(Debug, Clone, Copy)]
pub(crate) enum PageRoute<'a> {
    Home,
    /// 1-based page of the news list.
    News(usize),
    Release(&'a str),
    Partners,
    Partner(&'a str),
    PartnerFactsheet(&'a str),
    PartnerFeed(&'a str),
    Partnerships,
    Partnership(&'a str),
    PartnershipFactsheet(&'a str),
    PartnershipFeed(&'a str),
    Topics,
    Topic(&'a str),
    TopicFeed(&'a str),
    /// The press office and every media contact.
    Press,
    Timeline,
    TimelineYear(i16),
    Page(&'a str),
    Feed,
    Search,
    /// The media library: every published photo with its rights and download.
    Media,
    /// The same file for every language.
    NotFound,
    Sitemap,
    Robots,
}

/// Builds URLs for one site.
#[derive(Debug, Clone)]
pub struct Routes {
    base_url: String,
    base_path: String,
    default_lang: String,
    /// Each language's words; a language without an entry has the English ones.
    segments: BTreeMap<String, Segments>,
}

impl Routes {
    /// Routes under `base_url` (absolute) and its path `base_path`; pages in
    /// `default_lang` have no language prefix.
    pub fn new(base_url: &str, base_path: &str, default_lang: &str) -> Self {
        Self {
            base_url: base_url.to_owned(),
            base_path: base_path.to_owned(),
            default_lang: default_lang.to_owned(),
            segments: BTreeMap::new(),
        }
    }

    /// The routes of a resolved site, with its languages' segments.
    pub(crate) fn of_site(config: &crate::model::Config) -> Self {
        let mut routes = Routes::new(
            &config.base_url,
            &config.base_path,
            &config.default_language,
        );
        routes.segments = config.segments.clone();
        routes
    }

    /// These routes with `lang`'s segments replaced by its former ones
    /// (`former_segments:`), to find the old address of a page that moved.
    pub(crate) fn former(&self, lang: &str, former: &Segments) -> Self {
        let mut routes = self.clone();
        routes.segments.insert(lang.to_owned(), former.clone());
        routes
    }

    /// `lang`'s word for `segment`.
    pub(crate) fn word(&self, lang: &str, segment: Segment) -> &str {
        match self.segments.get(lang) {
            Some(words) => words.get(segment),
            None => segment.key(),
        }
    }

    /// The prefix of `lang` followed by its word for `segment` (`en/news`).
    fn under(&self, lang: &str, segment: Segment) -> String {
        format!("{}{}", self.prefix(lang), self.word(lang, segment))
    }

    fn prefix(&self, lang: &str) -> String {
        if lang == self.default_lang {
            String::new()
        } else {
            format!("{lang}/")
        }
    }

    /// The route of `page` in `lang`.
    pub(crate) fn route(&self, lang: &str, page: PageRoute) -> String {
        match page {
            PageRoute::Home => self.home(lang),
            PageRoute::News(n) => self.news(lang, n),
            PageRoute::Release(slug) => self.release(lang, slug),
            PageRoute::Partners => self.partners(lang),
            PageRoute::Partner(id) => self.partner(lang, id),
            PageRoute::PartnerFactsheet(id) => self.partner_factsheet(lang, id),
            PageRoute::PartnerFeed(id) => self.partner_feed(lang, id),
            PageRoute::Partnerships => self.partnerships(lang),
            PageRoute::Partnership(id) => self.partnership(lang, id),
            PageRoute::PartnershipFactsheet(id) => self.partnership_factsheet(lang, id),
            PageRoute::PartnershipFeed(id) => self.partnership_feed(lang, id),
            PageRoute::Topics => self.topics(lang),
            PageRoute::Topic(slug) => self.topic(lang, slug),
            PageRoute::TopicFeed(slug) => self.topic_feed(lang, slug),
            PageRoute::Press => self.press(lang),
            PageRoute::Timeline => self.timeline(lang),
            PageRoute::TimelineYear(y) => self.timeline_year(lang, y),
            PageRoute::Page(id) => self.page(lang, id),
            PageRoute::Feed => self.feed(lang),
            PageRoute::Search => self.search_page(lang),
            PageRoute::Media => self.media_library(lang),
            PageRoute::NotFound => "404.html".to_owned(),
            PageRoute::Sitemap => "sitemap.xml".to_owned(),
            PageRoute::Robots => "robots.txt".to_owned(),
        }
    }

    /// The home page.
    pub fn home(&self, lang: &str) -> String {
        self.prefix(lang)
    }
    /// Page 1 is `news/`, page k is `news/page/k/`.
    pub fn news(&self, lang: &str, page: usize) -> String {
        match page {
            0 | 1 => format!("{}/", self.under(lang, Segment::News)),
            k => format!(
                "{}/{}/{k}/",
                self.under(lang, Segment::News),
                self.word(lang, Segment::Page)
            ),
        }
    }
    /// A release's page, by its slug.
    pub fn release(&self, lang: &str, slug: &str) -> String {
        format!("{}/{slug}/", self.under(lang, Segment::News))
    }
    /// The list of partners.
    pub fn partners(&self, lang: &str) -> String {
        format!("{}/", self.under(lang, Segment::Partners))
    }
    /// An institution's partner page.
    pub fn partner(&self, lang: &str, id: &str) -> String {
        format!("{}/{id}/", self.under(lang, Segment::Partners))
    }
    /// An institution's fact sheet.
    pub fn partner_factsheet(&self, lang: &str, id: &str) -> String {
        format!(
            "{}/{id}/{}/",
            self.under(lang, Segment::Partners),
            self.word(lang, Segment::Factsheet)
        )
    }
    /// The feed of the releases concerning an institution.
    pub fn partner_feed(&self, lang: &str, id: &str) -> String {
        format!("{}/{id}/atom.xml", self.under(lang, Segment::Partners))
    }
    /// The list of partnerships.
    pub fn partnerships(&self, lang: &str) -> String {
        format!("{}/", self.under(lang, Segment::Partnerships))
    }
    /// A partnership's page.
    pub fn partnership(&self, lang: &str, id: &str) -> String {
        format!("{}/{id}/", self.under(lang, Segment::Partnerships))
    }
    /// A partnership's fact sheet.
    pub fn partnership_factsheet(&self, lang: &str, id: &str) -> String {
        format!(
            "{}/{id}/{}/",
            self.under(lang, Segment::Partnerships),
            self.word(lang, Segment::Factsheet)
        )
    }
    /// The feed of a partnership's releases.
    pub fn partnership_feed(&self, lang: &str, id: &str) -> String {
        format!("{}/{id}/atom.xml", self.under(lang, Segment::Partnerships))
    }
    /// The list of topics.
    pub fn topics(&self, lang: &str) -> String {
        format!("{}/", self.under(lang, Segment::Topics))
    }
    /// A topic's page.
    pub fn topic(&self, lang: &str, slug: &str) -> String {
        format!("{}/{slug}/", self.under(lang, Segment::Topics))
    }
    /// The feed of a topic's releases.
    pub fn topic_feed(&self, lang: &str, slug: &str) -> String {
        format!("{}/{slug}/atom.xml", self.under(lang, Segment::Topics))
    }
    /// The press contacts page: the press office and every media contact.
    pub fn press(&self, lang: &str) -> String {
        format!("{}/", self.under(lang, Segment::Press))
    }
    /// The timeline's overview.
    pub fn timeline(&self, lang: &str) -> String {
        format!("{}/", self.under(lang, Segment::Timeline))
    }
    /// One year of the timeline, complete.
    pub(crate) fn timeline_year(&self, lang: &str, year: i16) -> String {
        format!("{}/{year}/", self.under(lang, Segment::Timeline))
    }
    /// The search page; its index is [`Routes::search_index`].
    pub(crate) fn search_page(&self, lang: &str) -> String {
        format!("{}/", self.under(lang, Segment::Search))
    }
    /// The search index `search.js` fetches first (`render/search/`): what the
    /// index holds and where its parts are ([`Routes::search_file`]).
    pub(crate) fn search_index(&self, lang: &str) -> String {
        self.search_file(lang, "index.json")
    }
    /// A file of the search index, `name` under the search page's folder.
    pub(crate) fn search_file(&self, lang: &str, name: &str) -> String {
        format!("{}/{name}", self.under(lang, Segment::Search))
    }
    /// A free page (imprint, privacy, …).
    pub fn page(&self, lang: &str, id: &str) -> String {
        format!("{}{id}/", self.prefix(lang))
    }
    /// The site's Atom feed.
    pub fn feed(&self, lang: &str) -> String {
        format!("{}atom.xml", self.prefix(lang))
    }
    /// `api/<name>.json`, the open data (`render/api.rs`).
    pub(crate) fn api_data(name: &str) -> String {
        format!("{API}/{name}.json")
    }
    /// `api/schema/<name>.schema.json`, the JSON Schema of `api/<name>.json`.
    pub(crate) fn api_schema(name: &str) -> String {
        format!("{API}/schema/{name}.schema.json")
    }
    /// Every fact sheet figure as CSV (`render/opendata.rs`).
    pub(crate) fn facts_csv() -> String {
        format!("{API}/facts.csv")
    }
    /// The timeline as a calendar (`render/opendata.rs`).
    pub(crate) fn timeline_ics() -> String {
        "timeline.ics".to_owned()
    }
    /// The media library page (`media/`, `en/media/`).
    pub(crate) fn media_library(&self, lang: &str) -> String {
        format!("{}/", self.under(lang, Segment::Media))
    }
    /// A media file's original, the same in every language: `media/<path under
    /// content/media>`, a stable address journalists can cite.
    pub(crate) fn media_original(path: &str) -> String {
        format!("{MEDIA_FILES}/{path}")
    }
    /// A derivative of a media file at `width` pixels: `media/<stem>.<width>w.<hash8>.<ext>`.
    /// The content hash in the name changes with the photo, so caches never serve a
    /// replaced photo under an old address.
    pub(crate) fn media_rendition(path: &str, width: u32, hash: &str, ext: &str) -> String {
        format!(
            "{MEDIA_FILES}/{}.{width}w.{}.{ext}",
            stem(path),
            hash8(hash)
        )
    }
    /// The 1200×630 share image of a media file: `media/<stem>.share.<hash8>.jpg`.
    pub(crate) fn media_share(path: &str, hash: &str) -> String {
        format!("{MEDIA_FILES}/{}.share.{}.jpg", stem(path), hash8(hash))
    }
    /// A file of `content/static/` (`docs/x.pdf`), which is published at the root.
    pub(crate) fn static_file(path: &str) -> String {
        path.to_owned()
    }
    pub(crate) fn asset(&self, file: &str) -> String {
        self.path(file)
    }

    /// Root-relative URL path, honouring the base path (`/sub/news/x/`).
    pub fn path(&self, route: &str) -> String {
        format!("{}{}", self.base_path, url_encoded(route))
    }
    /// Absolute URL (`https://example.org/sub/news/x/`).
    pub fn permalink(&self, route: &str) -> String {
        format!("{}{}", self.base_url, url_encoded(route))
    }
    /// Output file for a route: directories get `index.html`.
    pub fn file(route: &str) -> String {
        if route.is_empty() || route.ends_with('/') {
            format!("{route}index.html")
        } else {
            route.to_owned()
        }
    }
}

/// A media path without its extension (`2025/unterzeichnung`).
fn stem(path: &str) -> &str {
    let name_at = path.rfind('/').map_or(0, |i| i + 1);
    match path[name_at..].rfind('.') {
        Some(dot) if dot > 0 => &path[..name_at + dot],
        _ => path,
    }
}

/// The first eight characters of a content hash: enough to tell versions of one file apart.
fn hash8(hash: &str) -> &str {
    hash.get(..8).unwrap_or(hash)
}

/// What a route's file names may hold that a URL may not (spaces, non-ASCII letters,
/// quotes: `Foto 1 Ü.jpg` from `content/media/`), percent-encoded; `#`, `?` and `%`
/// are kept, as routes may carry a fragment.
const NOT_IN_URL: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'<')
    .add(b'>')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'|')
    .add(b'\\')
    .add(b'^');

fn url_encoded(route: &str) -> std::borrow::Cow<'_, str> {
    percent_encoding::utf8_percent_encode(route, NOT_IN_URL).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_language_at_root_others_prefixed() {
        let r = Routes::new("https://example.org/sub/", "/sub/", "de");
        assert_eq!(r.path(&r.release("de", "harz")), "/sub/news/harz/");
        assert_eq!(r.path(&r.release("en", "harz")), "/sub/en/news/harz/");
        assert_eq!(r.permalink(&r.home("en")), "https://example.org/sub/en/");
        assert_eq!(r.news("de", 1), "news/");
        assert_eq!(r.news("de", 3), "news/page/3/");
        assert_eq!(Routes::file(&r.home("de")), "index.html");
        assert_eq!(
            Routes::file(&r.partner_factsheet("en", "x")),
            "en/partners/x/factsheet/index.html"
        );
        assert_eq!(Routes::file(&r.feed("en")), "en/atom.xml");
        assert_eq!(
            r.path(&r.timeline_year("en", 2024)),
            "/sub/en/timeline/2024/"
        );
        assert_eq!(r.path(&r.search_page("de")), "/sub/search/");
        assert_eq!(Routes::file(&r.search_index("en")), "en/search/index.json");
        assert_eq!(r.path(&r.media_library("en")), "/sub/en/media/");
    }

    #[test]
    fn media_originals_keep_their_path_and_derivatives_carry_width_and_hash() {
        let photo = "2025/unterzeichnung.jpg";
        assert_eq!(
            Routes::media_original(photo),
            "media/2025/unterzeichnung.jpg"
        );
        assert_eq!(
            Routes::media_rendition(photo, 800, "0123456789abcdef", "webp"),
            "media/2025/unterzeichnung.800w.01234567.webp"
        );
        assert_eq!(
            Routes::media_share("logo.v2.png", "abcdef0123"),
            "media/logo.v2.share.abcdef01.jpg"
        );
        assert_eq!(
            Routes::media_rendition(".hidden", 480, "ab", "png"),
            "media/.hidden.480w.ab.png"
        );
    }

    #[test]
    fn free_pages_cannot_take_the_first_segment_of_a_site_route() {
        let r = Routes::new("https://example.org/", "/", "de");
        for route in [
            r.news("de", 2),
            r.release("de", "x"),
            r.partners("de"),
            r.partner_feed("de", "x"),
            r.partnerships("de"),
            r.partnership_factsheet("de", "x"),
            r.topics("de"),
            r.topic("de", "x"),
            r.topic_feed("de", "x"),
            r.partnership_feed("de", "x"),
            r.press("de"),
            r.timeline("de"),
            r.timeline_year("de", 2024),
            r.search_page("de"),
            r.search_index("de"),
            r.media_library("de"),
            Routes::media_original("2025/x.jpg"),
            Routes::media_share("x.jpg", "0123456789"),
        ] {
            let first = route.split('/').next().unwrap_or_default();
            let english = [&Segments::default()];
            assert!(
                crate::model::segments::reserved_page(first, english).is_some(),
                "`{first}` of `{route}`"
            );
        }
        assert_eq!(r.page("de", "impressum"), "impressum/");
    }
}
