//! Routes: the one place that maps the model to URLs and output paths.
//!
//! Every route is a path relative to the site root: a directory (`news/harz/`, served
//! as `news/harz/index.html`) or a file (`atom.xml`). The default language lives at
//! the root, every other language under `/<lang>/`.

/// Builds URLs for one site.
#[derive(Debug, Clone)]
pub struct Routes {
    base_url: String,
    base_path: String,
    default_lang: String,
}

impl Routes {
    pub fn new(base_url: &str, base_path: &str, default_lang: &str) -> Self {
        Self {
            base_url: base_url.to_owned(),
            base_path: base_path.to_owned(),
            default_lang: default_lang.to_owned(),
        }
    }

    fn prefix(&self, lang: &str) -> String {
        if lang == self.default_lang {
            String::new()
        } else {
            format!("{lang}/")
        }
    }

    pub fn home(&self, lang: &str) -> String {
        self.prefix(lang)
    }
    /// Page 1 is `news/`, page k is `news/page/k/`.
    pub fn news(&self, lang: &str, page: usize) -> String {
        match page {
            0 | 1 => format!("{}news/", self.prefix(lang)),
            k => format!("{}news/page/{k}/", self.prefix(lang)),
        }
    }
    pub fn release(&self, lang: &str, slug: &str) -> String {
        format!("{}news/{slug}/", self.prefix(lang))
    }
    pub fn partners(&self, lang: &str) -> String {
        format!("{}partners/", self.prefix(lang))
    }
    pub fn partner(&self, lang: &str, id: &str) -> String {
        format!("{}partners/{id}/", self.prefix(lang))
    }
    pub fn partner_factsheet(&self, lang: &str, id: &str) -> String {
        format!("{}partners/{id}/factsheet/", self.prefix(lang))
    }
    pub fn partner_feed(&self, lang: &str, id: &str) -> String {
        format!("{}partners/{id}/atom.xml", self.prefix(lang))
    }
    pub fn partnerships(&self, lang: &str) -> String {
        format!("{}partnerships/", self.prefix(lang))
    }
    pub fn partnership(&self, lang: &str, id: &str) -> String {
        format!("{}partnerships/{id}/", self.prefix(lang))
    }
    pub fn partnership_factsheet(&self, lang: &str, id: &str) -> String {
        format!("{}partnerships/{id}/factsheet/", self.prefix(lang))
    }
    pub fn topics(&self, lang: &str) -> String {
        format!("{}topics/", self.prefix(lang))
    }
    pub fn topic(&self, lang: &str, slug: &str) -> String {
        format!("{}topics/{slug}/", self.prefix(lang))
    }
    pub fn timeline(&self, lang: &str) -> String {
        format!("{}timeline/", self.prefix(lang))
    }
    /// One year of the timeline, complete.
    pub fn timeline_year(&self, lang: &str, year: i16) -> String {
        format!("{}timeline/{year}/", self.prefix(lang))
    }
    /// The search page; its index is [`Routes::search_index`].
    pub fn search_page(&self, lang: &str) -> String {
        format!("{}search/", self.prefix(lang))
    }
    /// The search index `search.js` fetches (`render/search.rs`).
    pub fn search_index(&self, lang: &str) -> String {
        format!("{}search/index.json", self.prefix(lang))
    }
    pub fn page(&self, lang: &str, id: &str) -> String {
        format!("{}{id}/", self.prefix(lang))
    }
    pub fn feed(&self, lang: &str) -> String {
        format!("{}atom.xml", self.prefix(lang))
    }
    pub fn asset(&self, file: &str) -> String {
        self.path(file)
    }

    /// Root-relative URL path, honouring the base path (`/sub/news/x/`).
    pub fn path(&self, route: &str) -> String {
        format!("{}{route}", self.base_path)
    }
    /// Absolute URL (`https://example.org/sub/news/x/`).
    pub fn permalink(&self, route: &str) -> String {
        format!("{}{route}", self.base_url)
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
            r.timeline("de"),
            r.timeline_year("de", 2024),
            r.search_page("de"),
            r.search_index("de"),
        ] {
            let first = route.split('/').next().unwrap_or_default();
            assert!(
                crate::slug::RESERVED_PAGE_IDS.contains(&first),
                "`{first}` of `{route}`"
            );
        }
        assert_eq!(r.page("de", "impressum"), "impressum/");
    }
}
