//! The Atom feeds: the site's (with the releases' text) and each partner's,
//! partnership's and topic's, so a journalist follows one cooperation or one subject.

use super::shared::PageEnv;
use crate::model::{InstitutionId, PartnershipId, ReleaseId, TopicId};
use crate::render::hrefs::absolutize;
use crate::render::images::figure_html;
use crate::render::routes::PageRoute;
use crate::render::views::*;
use serde::Serialize;

/// Releases in the site feed and in each partner's, partnership's and topic's feed.
pub(super) const FEED_ENTRIES: usize = 20;

/// `atom.xml`.
#[derive(Debug, Serialize)]
pub(crate) struct FeedPage {
    pub feed: FeedView,
}

pub(crate) fn site_feed(env: &PageEnv) -> FeedPage {
    let n = env.site.releases.len().min(FEED_ENTRIES);
    let ids: Vec<usize> = (0..n).collect();
    let title = env.site.config.title.get(env.code()).clone();
    FeedPage {
        feed: feed_view(env, title, (PageRoute::Feed, PageRoute::Home), &ids, true),
    }
}

pub(crate) fn partner_feed(env: &PageEnv, id: InstitutionId) -> FeedPage {
    let inst = &env.site.institutions[id.0];
    let name = inst.name.get(env.code());
    let routes = (
        PageRoute::PartnerFeed(&inst.id),
        PageRoute::Partner(&inst.id),
    );
    FeedPage {
        feed: entity_feed(env, name, routes, &inst.releases),
    }
}

pub(crate) fn partnership_feed(env: &PageEnv, id: PartnershipId) -> FeedPage {
    let p = &env.site.partnerships[id.0];
    let title = p.title.get(env.code());
    let routes = (
        PageRoute::PartnershipFeed(&p.id),
        PageRoute::Partnership(&p.id),
    );
    FeedPage {
        feed: entity_feed(env, title, routes, &p.releases),
    }
}

pub(crate) fn topic_feed(env: &PageEnv, id: TopicId) -> FeedPage {
    let t = &env.site.topics[id.0];
    let title = t.name.get(env.code());
    let routes = (PageRoute::TopicFeed(&t.slug), PageRoute::Topic(&t.slug));
    FeedPage {
        feed: entity_feed(env, title, routes, &t.releases),
    }
}

/// The feed of one partner's, partnership's or topic's releases (newest first), without text.
fn entity_feed(
    env: &PageEnv,
    name: &str,
    routes: (PageRoute, PageRoute),
    releases: &[ReleaseId],
) -> FeedView {
    let ids: Vec<usize> = releases.iter().take(FEED_ENTRIES).map(|r| r.0).collect();
    let title = env.links.lang.t_with("title.feed_partner", "name", name);
    feed_view(env, title, routes, &ids, false)
}

/// A feed of `releases`; `with_content` adds their text, its links made absolute
/// against the release's address so the entry is self-contained.
fn feed_view(
    env: &PageEnv,
    title: String,
    (self_route, alternate_route): (PageRoute, PageRoute),
    releases: &[usize],
    with_content: bool,
) -> FeedView {
    let code = env.code();
    let s = env.site;
    let stamp = |d: jiff::civil::Date| {
        d.to_zoned_datetime(s.config.timezone.clone())
            .map(|z| z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string())
            .unwrap_or_else(|_| format!("{d}T00:00:00Z"))
    };
    let entries: Vec<FeedEntry> = releases
        .iter()
        .map(|&i| {
            let r = &s.releases[i];
            let url = env.routes.permalink(&env.routes.release(code, &r.slug));
            let base = url::Url::parse(&url).ok();
            let figure = r.image.as_ref().and_then(|image| env.figure(image));
            let content = with_content.then(|| {
                let body = &env.bodies.releases[env.lang.0][i];
                let lead = figure.as_ref().map(figure_html).unwrap_or_default();
                match &base {
                    Some(base) => absolutize(&(lead + body), base),
                    None => body.to_string(),
                }
            });
            let image = figure
                .zip(base.as_ref())
                .map(|(f, base)| feed_image(f, base));
            FeedEntry {
                title: r.title.get(code).clone(),
                url,
                published: stamp(r.date),
                updated: stamp(r.date),
                summary: r.summary.get(code).clone(),
                content,
                categories: r
                    .topics
                    .iter()
                    .map(|t| s.topics[t.0].name.get(code).clone())
                    .collect(),
                image,
            }
        })
        .collect();
    FeedView {
        title,
        subtitle: s.config.description.get(code).clone(),
        lang: code.to_owned(),
        self_url: env.routes.permalink(&env.routes.route(code, self_route)),
        alternate_url: env
            .routes
            .permalink(&env.routes.route(code, alternate_route)),
        updated: entries
            .iter()
            .map(|e| e.updated.clone())
            .max()
            .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_owned()),
        entries,
    }
}

/// The lead photo's fallback picture at its absolute URL.
fn feed_image(figure: FigureView, base: &url::Url) -> FeedImage {
    let src = &figure.picture.src;
    FeedImage {
        url: base.join(src).map_or_else(|_| src.clone(), String::from),
        kind: mime_guess::from_path(src)
            .first_or_octet_stream()
            .essence_str()
            .to_owned(),
        alt: figure.picture.alt,
        credit: figure.credit,
    }
}

#[cfg(test)]
mod tests {
    use super::super::kind::LangIdx;
    use super::super::tests::with_spec_site;
    use crate::model::InstitutionId;

    #[test]
    fn site_feed_has_text_and_partner_feeds_do_not() {
        with_spec_site(|r| {
            let env = r.env(LangIdx(0));
            let feed = super::site_feed(&env).feed;
            assert!(!feed.entries.is_empty());
            assert!(feed.entries.iter().all(|e| e.content.is_some()));
            let feed = super::partner_feed(&env, InstitutionId(0)).feed;
            assert!(feed.entries.iter().all(|e| e.content.is_none()));
            assert!(feed.self_url.ends_with("atom.xml"));
        });
    }
}
