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

impl TimelineEvent {
    pub fn concerns_institution(&self, id: InstitutionId) -> bool {
        self.institutions.contains(&id)
    }
    pub fn concerns_topic(&self, id: TopicId) -> bool {
        self.topics.contains(&id)
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
