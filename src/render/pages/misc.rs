//! The remaining pages: free pages (`content/pages/`), search, 404, and the site-wide
//! `sitemap.xml` and `robots.txt`.

use super::shared::{MetaInput, Page, PageEnv};
use crate::render::routes::PageRoute;
use crate::render::views::*;
use serde::Serialize;

/// `page.html`.
#[derive(Debug, Serialize)]
pub(crate) struct FreePage<'a> {
    pub content: SafeHtml<'a>,
}

/// Free page `index` (into the site's pages).
pub(crate) fn free_page<'a>(env: &PageEnv<'a>, index: usize) -> Page<FreePage<'a>> {
    let code = env.code();
    let p = &env.site.pages[index];
    let page = env.meta(
        PageRoute::Page(&p.id),
        MetaInput {
            description: p.summary.get(code).clone(),
            translated: p.body.is_translated(code),
            ..MetaInput::new("page", p.title.get(code).clone())
        },
    );
    Page {
        page,
        body: FreePage {
            content: SafeHtml::trusted(&*env.bodies.pages[env.lang.0][index]),
        },
    }
}

/// `search.html`: the page; `search.js` fetches the index.
#[derive(Debug, Serialize)]
pub(crate) struct SearchPage {
    pub search_index_url: String,
    pub search_script_url: String,
    /// Month names (comma-separated) and date formats, for dates in the results.
    pub months: String,
    pub date_format: String,
    pub month_format: String,
}

pub(crate) fn search(env: &PageEnv) -> Page<SearchPage> {
    let title = env.links.lang.t("title.search");
    let (months, date_format, month_format) = env.links.lang.date_formats();
    Page {
        page: env.meta(PageRoute::Search, MetaInput::new("search", title)),
        body: SearchPage {
            search_index_url: env.path(&env.routes.search_index(env.code())),
            search_script_url: env.routes.asset("search.js"),
            months,
            date_format: date_format.to_owned(),
            month_format: month_format.to_owned(),
        },
    }
}

/// `404.html`: the frame in the default language, then the message again in each
/// other language (one file serves every wrong address, whatever its language).
#[derive(Debug, Serialize)]
pub(crate) struct NotFoundPage {
    pub others: Vec<NotFoundText>,
}

/// The 404 message in one more language, with links to its main pages.
#[derive(Debug, Serialize)]
pub(crate) struct NotFoundText {
    pub lang: String,
    pub title: String,
    pub text: String,
    pub links: Vec<Link>,
}

/// The one 404 page, in the default language (`env`'s) and without alternates.
pub(crate) fn not_found(env: &PageEnv) -> Page<NotFoundPage> {
    let title = env.links.lang.t("title.not_found");
    let mut page = env.meta(PageRoute::NotFound, MetaInput::new("404", title));
    page.alternates.retain(|a| a.current);
    let others = env.languages.iter().filter(|l| l.code != env.code());
    let others = others
        .map(|lang| {
            let link = |key: &str, route: PageRoute| Link {
                title: lang.t(key),
                url: env.path(&env.routes.route(&lang.code, route)),
            };
            NotFoundText {
                lang: lang.code.clone(),
                title: lang.t("title.not_found"),
                text: lang.t("not_found.text"),
                links: vec![
                    link("nav.home", PageRoute::Home),
                    link("nav.news", PageRoute::News(1)),
                    link("nav.partners", PageRoute::Partners),
                ],
            }
        })
        .collect();
    Page {
        page,
        body: NotFoundPage { others },
    }
}

/// `sitemap.xml`.
#[derive(Debug, Serialize)]
pub(crate) struct SitemapPage {
    pub entries: Vec<SitemapEntry>,
}

/// `robots.txt`.
#[derive(Debug, Serialize)]
pub(crate) struct RobotsPage {
    pub sitemap_url: String,
}

pub(crate) fn robots(env: &PageEnv) -> RobotsPage {
    let sitemap = env.routes.route(env.code(), PageRoute::Sitemap);
    RobotsPage {
        sitemap_url: env.routes.permalink(&sitemap),
    }
}

#[cfg(test)]
mod tests {
    use super::super::kind::LangIdx;
    use super::super::tests::with_spec_site;

    #[test]
    fn search_404_and_free_pages() {
        with_spec_site(|r| {
            let env = r.env(LangIdx(0));
            let search = super::search(&env);
            assert!(search.body.search_index_url.ends_with("suche/index.json"));
            let missing = super::not_found(&env);
            assert_eq!(missing.page.alternates.len(), 1);
            let [english] = &missing.body.others[..] else {
                panic!("the message once more, in English")
            };
            assert_eq!(english.lang, "en");
            assert!(english.links[0].url.ends_with("/en/"));
            assert!(missing.page.url.ends_with("404.html"));
            let page = super::free_page(&env, 0);
            assert!(!page.body.content.as_str().is_empty());
            assert!(super::robots(&env).sitemap_url.ends_with("/sitemap.xml"));
        });
    }
}
