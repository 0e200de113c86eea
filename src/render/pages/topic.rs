//! The topics page and each topic's page.

use super::shared::{MetaInput, Page, PageEnv};
use crate::model::TopicId;
use crate::render::routes::PageRoute;
use crate::render::views::*;
use serde::Serialize;

/// `topics.html`.
#[derive(Debug, Serialize)]
pub(crate) struct TopicsPage {
    pub topics: Vec<TopicCard>,
}

pub(crate) fn topics(env: &PageEnv) -> Page<TopicsPage> {
    let title = env.links.lang.t("title.topics");
    Page {
        page: env.meta(PageRoute::Topics, MetaInput::new("topics", title)),
        body: TopicsPage {
            topics: env.site.topics.iter().map(|t| env.topic_card(t)).collect(),
        },
    }
}

/// `topic.html`.
#[derive(Debug, Serialize)]
pub(crate) struct TopicPage<'a> {
    pub topic: TopicCard,
    pub partnerships: Vec<&'a Shared<PartnershipCard>>,
    pub releases: Vec<&'a Shared<ReleaseCard>>,
    pub timeline: Vec<TimelineYear<'a>>,
    pub timeline_releases_omitted: bool,
}

pub(crate) fn topic<'a>(env: &PageEnv<'a>, id: TopicId) -> Page<TopicPage<'a>> {
    let t = &env.site.topics[id.0];
    let title = t.name.get(env.code()).clone();
    let (timeline, timeline_releases_omitted) = env
        .shared
        .timeline_of(env.site, &env.site.timeline_index.topics[id.0]);
    let mut page = env.meta(PageRoute::Topic(&t.slug), MetaInput::new("topic", title));
    page.feed_url = Some(env.path(&env.routes.topic_feed(env.code(), &t.slug)));
    Page {
        page,
        body: TopicPage {
            topic: env.topic_card(t),
            partnerships: env.shared.partnerships(&t.partnerships),
            releases: env.shared.releases(&t.releases),
            timeline,
            timeline_releases_omitted,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::super::kind::LangIdx;
    use super::super::tests::with_spec_site;
    use crate::model::TopicId;

    #[test]
    fn topic_page_lists_the_topics_releases() {
        with_spec_site(|r| {
            let env = r.env(LangIdx(0));
            let t = &env.site.topics[0];
            let page = super::topic(&env, TopicId(0));
            assert_eq!(page.body.topic.release_count, t.releases.len());
            assert_eq!(page.body.releases.len(), t.releases.len());
            assert_eq!(super::topics(&env).body.topics.len(), env.site.topics.len());
        });
    }
}
