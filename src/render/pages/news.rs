//! The news list, paginated: release cards, newest first.

use super::shared::{MetaInput, Page, PageEnv};
use crate::model::{InstitutionId, TopicId};
use crate::render::routes::PageRoute;
use crate::render::views::*;
use serde::Serialize;

/// `news_list.html`.
#[derive(Debug, Serialize)]
pub(crate) struct NewsPage<'a> {
    pub releases: &'a [Shared<ReleaseCard>],
    pub pagination: Pagination,
    /// Ways into the releases by year, partner and topic: pages that exist anyway (a
    /// year of the timeline, a partner's or topic's page), so they work without
    /// JavaScript. On the first page only, which is where readers start.
    pub filters: Option<NewsFilters>,
}

#[derive(Debug, Serialize)]
pub(crate) struct NewsFilters {
    pub years: Vec<FilterLink>,
    pub partners: Vec<FilterLink>,
    pub topics: Vec<FilterLink>,
}

/// A link to a filtered list with the number of releases it shows.
#[derive(Debug, Serialize)]
pub(crate) struct FilterLink {
    pub title: String,
    pub url: String,
    pub count: usize,
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
            filters: (number == 1 && !s.releases.is_empty()).then(|| filters(env)),
        },
    }
}

fn filters(env: &PageEnv) -> NewsFilters {
    let s = env.site;
    let code = env.code();
    let mut years = std::collections::BTreeMap::<i16, usize>::new();
    for r in &s.releases {
        *years.entry(r.date.year()).or_default() += 1;
    }
    let years = years.into_iter().rev().map(|(year, count)| FilterLink {
        title: year.to_string(),
        url: env.path(&env.routes.timeline_year(code, year)),
        count,
    });
    let partners = (0..s.institutions.len()).filter_map(|i| {
        let count = s.institutions[i].releases.len();
        let link = env.institution_link(InstitutionId(i));
        (count > 0).then(|| FilterLink {
            title: link.title,
            url: format!("{}#sec-news", link.url),
            count,
        })
    });
    let topics = (0..s.topics.len()).filter_map(|i| {
        let count = s.topics[i].releases.len();
        let link = env.topic_link(TopicId(i));
        (count > 0).then_some(FilterLink {
            title: link.title,
            url: link.url,
            count,
        })
    });
    NewsFilters {
        years: years.collect(),
        partners: by_title(partners.collect()),
        topics: by_title(topics.collect()),
    }
}

/// Alphabetical as readers expect (umlauts as their base letter, case ignored).
fn by_title(mut links: Vec<FilterLink>) -> Vec<FilterLink> {
    links.sort_by_cached_key(|l| crate::slug::slugify(&l.title));
    links
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
                page.body.releases[0].text("url"),
                env.shared.release_cards[0].text("url")
            );
        });
    }
}
