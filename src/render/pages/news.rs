//! The news list, paginated: release cards, newest first.

use super::shared::{MetaInput, Page, PageEnv};
use crate::render::routes::PageRoute;
use crate::render::views::*;
use serde::Serialize;

/// `news_list.html`.
#[derive(Debug, Serialize)]
pub(crate) struct NewsPage<'a> {
    pub releases: &'a [Shared<ReleaseCard>],
    pub pagination: Pagination,
}

/// How many pages the news list has (one even without releases).
pub(crate) fn page_count(env_releases: usize, per_page: usize) -> usize {
    env_releases.div_ceil(per_page).max(1)
}

/// Page `number` (1-based) of the news list.
pub(crate) fn news<'a>(env: &PageEnv<'a>, number: usize) -> Page<NewsPage<'a>> {
    let s = env.site;
    let lang = env.links.lang;
    let per = s.config.news_per_page;
    let total = page_count(s.releases.len(), per);
    let mut title = lang.t("title.news");
    if number > 1 {
        let n = lang.t_with("title.page_n", "n", &number.to_string());
        title = format!("{title} – {n}");
    }
    let page = env.meta(PageRoute::News(number), MetaInput::new("news", title));
    let cards = &env.shared.release_cards;
    let from = ((number - 1) * per).min(cards.len());
    let to = (from + per).min(cards.len());
    let link = |p: usize| env.path(&env.routes.news(env.code(), p));
    Page {
        page,
        body: NewsPage {
            releases: &cards[from..to],
            pagination: Pagination::new(number, total, link),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::super::kind::LangIdx;
    use super::super::tests::with_spec_site;

    #[test]
    fn first_news_page_lists_the_newest_releases() {
        with_spec_site(|r| {
            let env = r.env(LangIdx(0));
            let page = super::news(&env, 1);
            assert_eq!(page.body.pagination.current, 1);
            assert!(page.body.pagination.prev_url.is_none());
            assert_eq!(
                page.body.releases[0].view.url,
                env.shared.release_cards[0].view.url
            );
        });
    }
}
