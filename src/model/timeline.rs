//! The timeline: one event per partnership signature and end, per milestone and per
//! release, oldest first. Views filter it per partner, partnership and topic.

use super::{InstitutionId, PartialDate, Partnership, PartnershipId, Release, ReleaseId, TopicId};

/// What happened, with what it happened to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TimelineEventKind {
    Signed {
        partnership: PartnershipId,
    },
    Milestone {
        partnership: PartnershipId,
        /// Index into the partnership's `events`.
        milestone: usize,
    },
    Release {
        release: ReleaseId,
        partnership: Option<PartnershipId>,
    },
    Ended {
        partnership: PartnershipId,
    },
}

impl TimelineEventKind {
    /// The partnership it belongs to (a release's only when it names one).
    pub(crate) fn partnership(&self) -> Option<PartnershipId> {
        match *self {
            Self::Signed { partnership }
            | Self::Milestone { partnership, .. }
            | Self::Ended { partnership } => Some(partnership),
            Self::Release { partnership, .. } => partnership,
        }
    }

    /// The release, for a release's event.
    pub(crate) fn release(&self) -> Option<ReleaseId> {
        match *self {
            Self::Release { release, .. } => Some(release),
            _ => None,
        }
    }

    /// The index into the partnership's `events`, for a milestone.
    pub(crate) fn milestone(&self) -> Option<usize> {
        match *self {
            Self::Milestone { milestone, .. } => Some(milestone),
            _ => None,
        }
    }

    pub(crate) fn is_release(&self) -> bool {
        matches!(self, Self::Release { .. })
    }

    /// The kind as the output spells it: CSS classes, `event.*` interface strings,
    /// calendar and open-data ids.
    pub(crate) fn slug(&self) -> &'static str {
        match self {
            Self::Signed { .. } => "signed",
            Self::Milestone { .. } => "milestone",
            Self::Release { .. } => "release",
            Self::Ended { .. } => "ended",
        }
    }

    /// Order on one day: signing first, an end last.
    fn rank(&self) -> u8 {
        match self {
            Self::Signed { .. } => 0,
            Self::Milestone { .. } => 1,
            Self::Release { .. } => 2,
            Self::Ended { .. } => 3,
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct TimelineEvent {
    pub date: PartialDate,
    pub kind: TimelineEventKind,
    pub institutions: Vec<InstitutionId>,
    pub topics: Vec<TopicId>,
}

impl TimelineEvent {
    pub(crate) fn partnership(&self) -> Option<PartnershipId> {
        self.kind.partnership()
    }
}

/// The events that concern each institution, partnership and topic, as indices into
/// the site's timeline (oldest first), so their pages need not scan the whole timeline:
/// that scan made a site's partner pages quadratic in its size.
#[derive(Debug, Clone, Default)]
pub(crate) struct TimelineIndex {
    pub institutions: Vec<Vec<usize>>,
    pub partnerships: Vec<Vec<usize>>,
    pub topics: Vec<Vec<usize>>,
}

impl TimelineIndex {
    pub(crate) fn new(
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
            if let Some(p) = e.partnership() {
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
pub(crate) fn build(partnerships: &[Partnership], releases: &[Release]) -> Vec<TimelineEvent> {
    let mut events = Vec::new();
    for (i, p) in partnerships.iter().enumerate() {
        let partnership = PartnershipId(i);
        let event = |date, kind| TimelineEvent {
            date,
            kind,
            institutions: p.partners.clone(),
            topics: p.focus.clone(),
        };
        if let Some(d) = p.signed {
            let kind = TimelineEventKind::Signed { partnership };
            events.push(event(PartialDate::from_date(d), kind));
        }
        if let Some(d) = p.ended {
            let kind = TimelineEventKind::Ended { partnership };
            events.push(event(PartialDate::from_date(d), kind));
        }
        for (milestone, m) in p.events.iter().enumerate() {
            let kind = TimelineEventKind::Milestone {
                partnership,
                milestone,
            };
            events.push(event(m.date, kind));
        }
    }
    for (i, r) in releases.iter().enumerate() {
        events.push(TimelineEvent {
            date: PartialDate::from_date(r.date),
            kind: TimelineEventKind::Release {
                release: ReleaseId(i),
                partnership: r.partnership,
            },
            institutions: r.partners.clone(),
            topics: r.topics.clone(),
        });
    }
    let key = |e: &TimelineEvent| {
        (
            e.date,
            e.kind.rank(),
            e.partnership().map(|p| p.0),
            e.kind.milestone(),
            e.kind.release().map(|r| std::cmp::Reverse(r.0)),
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
            kind: TimelineEventKind::Release {
                release: ReleaseId(0),
                partnership: partnership.map(PartnershipId),
            },
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
