//! The timeline: one event per partnership signature and end, per milestone and per
//! release, oldest first. Views filter it per partner, partnership and topic.

use super::{InstitutionId, PartialDate, Partnership, PartnershipId, Release, ReleaseId, TopicId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TimelineEventKind {
    Signed,
    Milestone,
    Release,
    Ended,
}

#[derive(Debug, Clone)]
pub struct TimelineEvent {
    pub date: PartialDate,
    pub kind: TimelineEventKind,
    pub partnership: Option<PartnershipId>,
    pub release: Option<ReleaseId>,
    /// Index into the partnership's `events` for milestones.
    pub milestone: Option<usize>,
    pub institutions: Vec<InstitutionId>,
    pub topics: Vec<TopicId>,
}

/// The events that concern each institution, partnership and topic, as indices into
/// the site's timeline (oldest first), so their pages need not scan the whole timeline:
/// that scan made a site's partner pages quadratic in its size.
#[derive(Debug, Clone, Default)]
pub struct TimelineIndex {
    pub institutions: Vec<Vec<usize>>,
    pub partnerships: Vec<Vec<usize>>,
    pub topics: Vec<Vec<usize>>,
}

impl TimelineIndex {
    pub fn new(
        events: &[TimelineEvent],
        institutions: usize,
        partnerships: usize,
        topics: usize,
    ) -> Self {
        let mut index = Self {
            institutions: vec![Vec::new(); institutions],
            partnerships: vec![Vec::new(); partnerships],
            topics: vec![Vec::new(); topics],
        };
        // An event names an institution or topic at most once in its list.
        let add = |lists: &mut Vec<Vec<usize>>, of: usize, event: usize| {
            if let Some(list) = lists.get_mut(of)
                && list.last() != Some(&event)
            {
                list.push(event);
            }
        };
        for (i, e) in events.iter().enumerate() {
            for inst in &e.institutions {
                add(&mut index.institutions, inst.0, i);
            }
            if let Some(p) = e.partnership {
                add(&mut index.partnerships, p.0, i);
            }
            for t in &e.topics {
                add(&mut index.topics, t.0, i);
            }
        }
        index
    }
}

/// All events of the site, sorted by date, then kind, then source order.
pub fn build(partnerships: &[Partnership], releases: &[Release]) -> Vec<TimelineEvent> {
    let mut events = Vec::new();
    for (i, p) in partnerships.iter().enumerate() {
        let base = TimelineEvent {
            date: PartialDate {
                year: 0,
                month: None,
                day: None,
            },
            kind: TimelineEventKind::Signed,
            partnership: Some(PartnershipId(i)),
            release: None,
            milestone: None,
            institutions: p.partners.clone(),
            topics: p.focus.clone(),
        };
        if let Some(d) = p.signed {
            events.push(TimelineEvent {
                date: PartialDate::from_date(d),
                ..base.clone()
            });
        }
        if let Some(d) = p.ended {
            events.push(TimelineEvent {
                date: PartialDate::from_date(d),
                kind: TimelineEventKind::Ended,
                ..base.clone()
            });
        }
        for (m, milestone) in p.events.iter().enumerate() {
            events.push(TimelineEvent {
                date: milestone.date,
                kind: TimelineEventKind::Milestone,
                milestone: Some(m),
                ..base.clone()
            });
        }
    }
    for (i, r) in releases.iter().enumerate() {
        events.push(TimelineEvent {
            date: PartialDate::from_date(r.date),
            kind: TimelineEventKind::Release,
            partnership: r.partnership,
            release: Some(ReleaseId(i)),
            milestone: None,
            institutions: r.partners.clone(),
            topics: r.topics.clone(),
        });
    }
    let key = |e: &TimelineEvent| {
        (
            e.date,
            e.kind,
            e.partnership.map(|p| p.0),
            e.milestone,
            e.release.map(|r| std::cmp::Reverse(r.0)),
        )
    };
    events.sort_by_key(key);
    events
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(year: i16, institutions: &[usize], partnership: Option<usize>) -> TimelineEvent {
        TimelineEvent {
            date: PartialDate {
                year,
                month: None,
                day: None,
            },
            kind: TimelineEventKind::Release,
            partnership: partnership.map(PartnershipId),
            release: None,
            milestone: None,
            institutions: institutions.iter().copied().map(InstitutionId).collect(),
            topics: vec![TopicId(0)],
        }
    }

    #[test]
    fn index_lists_each_entitys_events_once_in_timeline_order() {
        let events = [
            event(2020, &[0, 1], Some(0)),
            event(2021, &[1, 1], None),
            event(2022, &[2, 0], Some(1)),
        ];
        let index = TimelineIndex::new(&events, 4, 2, 1);
        assert_eq!(
            index.institutions,
            [vec![0, 2], vec![0, 1], vec![2], vec![]]
        );
        assert_eq!(index.partnerships, [vec![0], vec![2]]);
        assert_eq!(index.topics, [vec![0, 1, 2]]);
    }
}
