//! The home page: the site's lede, its partnerships, partners and network, the latest
//! releases and the most recent timeline events.

use super::graphics::network_svg;
use super::shared::{MetaInput, Page, PageEnv};
use crate::render::routes::PageRoute;
use crate::render::views::*;
use serde::Serialize;

/// Releases on the home page.
const HOME_RELEASES: usize = 5;
/// Timeline events on the home page.
const HOME_EVENTS: usize = 8;

/// `index.html`.
#[derive(Debug, Serialize)]
pub(crate) struct HomePage<'a> {
    pub lede: &'a str,
    pub partnerships: &'a [Shared<PartnershipCard>],
    pub institutions: &'a [Shared<InstitutionCard>],
    pub network_svg: SafeHtml<'a>,
    pub latest: &'a [Shared<ReleaseCard>],
    pub timeline: Vec<TimelineYear<'a>>,
}

pub(crate) fn home<'a>(env: &PageEnv<'a>) -> Page<HomePage<'a>> {
    let s = env.site;
    let shared = env.shared;
    let title = s.config.title.get(env.code()).clone();
    let mut page = env.meta(PageRoute::Home, MetaInput::new("home", title));
    page.json_ld = env.json_ld(|ld| Some(ld.home()));
    let start = s.timeline.len().saturating_sub(HOME_EVENTS);
    let recent = s.timeline.iter().enumerate().skip(start);
    let releases = &shared.release_cards;
    Page {
        page,
        body: HomePage {
            lede: s.config.description.get(env.code()),
            partnerships: &shared.partnership_cards,
            institutions: &shared.institution_cards,
            network_svg: SafeHtml::trusted(network_svg(env.links, None)),
            latest: &releases[..releases.len().min(HOME_RELEASES)],
            timeline: shared.years(recent.map(|(i, e)| (e.date.year, i)), None),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::with_spec_site;

    #[test]
    fn home_shows_the_latest_releases_and_recent_events() {
        with_spec_site(|r| {
            let env = r.env(super::super::kind::LangIdx(0));
            let page = super::home(&env);
            assert_eq!(page.page.kind, "home");
            assert!(!page.body.latest.is_empty() && page.body.latest.len() <= 5);
            assert_eq!(
                page.body.latest[0].text("title"),
                env.shared.release_cards[0].text("title")
            );
            let events: usize = page.body.timeline.iter().map(|y| y.events.len()).sum();
            assert!((1..=9).contains(&events), "{events}");
            assert!(page.body.network_svg.as_str().contains("<svg"));
        });
    }
}
