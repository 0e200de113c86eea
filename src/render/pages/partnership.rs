//! The partnerships page and each partnership's page.

use super::shared::{MetaInput, Page, PageEnv};
use crate::model::{PartnershipId, PartnershipStatus};
use crate::render::routes::PageRoute;
use crate::render::views::*;
use serde::Serialize;

/// `partnerships.html`.
#[derive(Debug, Serialize)]
pub(crate) struct PartnershipsPage<'a> {
    pub partnerships: &'a [Shared<PartnershipCard>],
    /// The partnerships by status (active, planned, ended), each by name: sections
    /// the page's anchors filter to without JavaScript.
    pub groups: Vec<StatusGroup<'a>>,
}

#[derive(Debug, Serialize)]
pub(crate) struct StatusGroup<'a> {
    /// The status's spelling, for the section's id.
    pub status: &'static str,
    pub label: String,
    pub cards: Vec<&'a Shared<PartnershipCard>>,
}

pub(crate) fn partnerships<'a>(env: &PageEnv<'a>) -> Page<PartnershipsPage<'a>> {
    let title = env.links.lang.t("title.partnerships");
    let cards = &env.shared.partnership_cards;
    let order = [
        PartnershipStatus::Active,
        PartnershipStatus::Planned,
        PartnershipStatus::Ended,
    ];
    let groups = order
        .into_iter()
        .map(|status| {
            let mut cards: Vec<_> = (env.site.partnerships.iter().zip(cards))
                .filter(|(p, _)| p.status == status)
                .map(|(_, card)| card)
                .collect();
            cards.sort_by_cached_key(|c| {
                (
                    crate::slug::slugify(c.text("title")),
                    c.text("id").to_owned(),
                )
            });
            StatusGroup {
                status: status.as_str(),
                label: env.links.lang.t(&format!("status_group.{status}")),
                cards,
            }
        })
        .filter(|g| !g.cards.is_empty())
        .collect();
    Page {
        page: env.meta(
            PageRoute::Partnerships,
            MetaInput::new("partnerships", title),
        ),
        body: PartnershipsPage {
            partnerships: cards,
            groups,
        },
    }
}

/// `partnership.html`.
#[derive(Debug, Serialize)]
pub(crate) struct PartnershipPage<'a> {
    pub partnership: PartnershipView<'a>,
    pub facts: Vec<FactView>,
    /// The partners' figures side by side (as on the fact sheet).
    pub comparison: Option<FactComparison>,
    pub sources: Vec<FactSourceView>,
    pub releases: Vec<&'a Shared<ReleaseCard>>,
    pub timeline: Vec<TimelineYear<'a>>,
    pub timeline_releases_omitted: bool,
}

pub(crate) fn partnership<'a>(env: &PageEnv<'a>, id: PartnershipId) -> Page<PartnershipPage<'a>> {
    let code = env.code();
    let lang = env.links.lang;
    let p = &env.site.partnerships[id.0];
    let mut page = env.meta(
        PageRoute::Partnership(&p.id),
        MetaInput {
            description: p.summary.get(code).clone(),
            translated: p.body.is_translated(code),
            ..MetaInput::new("partnership", p.title.get(code).clone())
        },
    );
    page.json_ld = env.json_ld(|ld| ld.partnership(id.0));
    page.feed_url = Some(env.path(&env.routes.partnership_feed(code, &p.id)));
    page.share_image = env.own_share_image(p.image.as_ref());
    let card = env.partnership_card(id.0);
    let view = PartnershipView {
        image: p.image.as_ref().and_then(|i| env.figure(i)),
        id: p.id.clone(),
        title: card.title,
        summary: card.summary,
        kind_label: card.kind_label,
        status: card.status,
        status_label: card.status_label,
        signed: card.signed,
        signed_display: card.signed_display,
        signed_label: card.signed_label,
        ended: p.ended.map(|d| d.to_string()),
        ended_display: p.ended.map(|d| lang.date(d)),
        partners: card.partners,
        focus: card.focus,
        body: SafeHtml::trusted(&*env.bodies.partnerships[env.lang.0][id.0]),
        factsheet_url: env.path(&env.routes.partnership_factsheet(code, &p.id)),
        extra: p.extra.clone(),
    };
    let figures = super::factsheet::partnership_facts(env, p, view.partners.clone());
    let (timeline, timeline_releases_omitted) = env
        .shared
        .timeline_of(env.site, &env.site.timeline_index.partnerships[id.0]);
    Page {
        page,
        body: PartnershipPage {
            partnership: view,
            facts: figures.own,
            comparison: figures.comparison,
            sources: figures.sources,
            releases: env.shared.releases(&p.releases),
            timeline,
            timeline_releases_omitted,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::super::kind::LangIdx;
    use super::super::tests::with_spec_site;
    use crate::model::PartnershipId;

    #[test]
    fn partnership_page_lists_its_partners_releases_and_events() {
        with_spec_site(|r| {
            let env = r.env(LangIdx(0));
            let p = &env.site.partnerships[0];
            let page = super::partnership(&env, PartnershipId(0));
            assert_eq!(page.body.partnership.partners.len(), p.partners.len());
            assert_eq!(page.body.releases.len(), p.releases.len());
            let events: usize = page.body.timeline.iter().map(|y| y.events.len()).sum();
            assert!(events >= env.site.timeline_index.partnerships[0].len());
            let list = super::partnerships(&env);
            assert_eq!(list.body.partnerships.len(), env.site.partnerships.len());
        });
    }
}
