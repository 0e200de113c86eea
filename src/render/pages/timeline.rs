//! The timeline: `/timeline/` and one page per year.

use super::shared::{MetaInput, Page, PageEnv};
use crate::model::TimelineEvent;
use crate::render::routes::PageRoute;
use crate::render::views::*;
use serde::Serialize;

/// Up to this many events, `/timeline/` shows the whole timeline; beyond, it shows the
/// partnership events (signatures, ends, milestones) and leaves each year's releases to
/// its year page, so the page stays readable (10,000 releases made it 5 MB).
const TIMELINE_COMPLETE_MAX: usize = 60;

/// On a long timeline's overview, each year shows this many of its partnership events,
/// then a link to the year's page, so the overview reads in one screen per year.
const OVERVIEW_PER_YEAR: usize = 6;

/// `timeline.html`.
#[derive(Debug, Serialize)]
pub(crate) struct TimelinePage<'a> {
    pub timeline: Vec<TimelineYear<'a>>,
    /// Every year with events, linked.
    pub years: Vec<TimelineYearLink>,
    /// The year of a year page; `None` on `/timeline/`.
    pub year: Option<i16>,
    /// False when `/timeline/` leaves the releases to the year pages.
    pub complete: bool,
    pub overview_url: String,
}

/// The years of a timeline (sorted by date) with their number of events.
pub(crate) fn year_counts(timeline: &[TimelineEvent]) -> Vec<(i16, usize)> {
    let mut years: Vec<(i16, usize)> = Vec::new();
    for e in timeline {
        match years.last_mut() {
            Some((y, n)) if *y == e.date.year => *n += 1,
            _ => years.push((e.date.year, 1)),
        }
    }
    years
}

/// `/timeline/` (`year` `None`): everything, or for a long timeline the partnership
/// events only; `/timeline/<year>/`: every event of that year. Both link every year
/// (`years`, from [`year_counts`]).
pub(crate) fn timeline<'a>(
    env: &PageEnv<'a>,
    years: &[(i16, usize)],
    year: Option<i16>,
) -> Page<TimelinePage<'a>> {
    let s = env.site;
    let r = env.routes;
    let lang = env.links.lang;
    let (title, route) = match year {
        None => (lang.t("title.timeline"), PageRoute::Timeline),
        Some(y) => (
            lang.t_with("title.timeline_year", "year", &y.to_string()),
            PageRoute::TimelineYear(y),
        ),
    };
    let mut page = env.meta(route, MetaInput::new("timeline", title));
    if year.is_none() {
        page.json_ld = env.json_ld(|ld| ld.timeline(&page.title));
    }
    let complete = s.timeline.len() <= TIMELINE_COMPLETE_MAX;
    // The timeline is sorted by date, so a year's events are one run of it.
    let range = match year {
        Some(y) => {
            s.timeline.partition_point(|e| e.date.year < y)
                ..s.timeline.partition_point(|e| e.date.year <= y)
        }
        None => 0..s.timeline.len(),
    };
    let events = s.timeline[range.clone()]
        .iter()
        .zip(range)
        .filter(|(e, _)| complete || year.is_some() || !e.kind.is_release());
    let links: Vec<TimelineYearLink> = years
        .iter()
        .map(|&(y, count)| TimelineYearLink {
            year: y,
            url: env.path(&r.timeline_year(env.code(), y)),
            count,
            current: year == Some(y),
        })
        .collect();
    let mut timeline = env
        .shared
        .years(events.map(|(e, i)| (e.date.year, i)), year);
    if !complete && year.is_none() {
        for y in &mut timeline {
            shorten_year(env, y, &links);
        }
    }
    Page {
        page,
        body: TimelinePage {
            timeline,
            years: links,
            year,
            complete: complete || year.is_some(),
            overview_url: env.path(&r.timeline(env.code())),
        },
    }
}

/// Cuts an overview's year to [`OVERVIEW_PER_YEAR`] events and links its page, which
/// has all of them (its count from the year links).
fn shorten_year(env: &PageEnv, year: &mut TimelineYear, links: &[TimelineYearLink]) {
    if year.events.len() <= OVERVIEW_PER_YEAR {
        return;
    }
    year.events.truncate(OVERVIEW_PER_YEAR);
    let Some(link) = links.iter().find(|l| l.year == year.year) else {
        return;
    };
    let lang = env.links.lang;
    let title = lang
        .t_with("timeline.year_all", "n", &link.count.to_string())
        .replace("{year}", &year.year.to_string());
    year.more = Some(Link {
        title,
        url: link.url.clone(),
    });
}

#[cfg(test)]
mod tests {
    use super::super::kind::LangIdx;
    use super::super::tests::with_spec_site;

    #[test]
    fn timeline_groups_events_by_year_and_links_every_year() {
        with_spec_site(|r| {
            let env = r.env(LangIdx(0));
            let years = super::year_counts(&env.site.timeline);
            let page = super::timeline(&env, &years, None);
            let shown: Vec<i16> = page.body.timeline.iter().map(|y| y.year).collect();
            let linked: Vec<i16> = page.body.years.iter().map(|y| y.year).collect();
            // Every year with events is shown and linked (the "today" marker may add one).
            assert!(
                linked.iter().all(|y| shown.contains(y)),
                "{shown:?} {linked:?}"
            );
            assert!(page.body.complete);
            let (first, count) = years[0];
            let one = super::timeline(&env, &years, Some(first));
            assert_eq!(one.body.timeline.len(), 1);
            assert!(one.body.timeline[0].events.len() >= count);
            assert!(one.body.years.iter().any(|y| y.current && y.year == first));
        });
    }
}
