//! The partners page (every institution and the map) and each partner's page.

use super::graphics::{map_svg, network_svg};
use super::links::location_view;
use super::shared::{MetaInput, Page, PageEnv};
use crate::model::InstitutionId;
use crate::render::routes::PageRoute;
use crate::render::views::*;
use serde::Serialize;

/// `partners.html`.
#[derive(Debug, Serialize)]
pub(crate) struct PartnersPage<'a> {
    /// By name, as readers look for one.
    pub institutions: Vec<&'a Shared<InstitutionCard>>,
    pub map_svg: SafeHtml<'a>,
}

pub(crate) fn partners<'a>(env: &PageEnv<'a>) -> Page<PartnersPage<'a>> {
    let title = env.links.lang.t("title.partners");
    Page {
        page: env.meta(PageRoute::Partners, MetaInput::new("partners", title)),
        body: PartnersPage {
            institutions: by_name(&env.shared.institution_cards),
            map_svg: SafeHtml::trusted(map_svg(env.links, None)),
        },
    }
}

/// The cards in alphabetical order of their names (umlauts as their base letter,
/// case ignored; the id breaks ties), not of their ids.
fn by_name(cards: &[Shared<InstitutionCard>]) -> Vec<&Shared<InstitutionCard>> {
    let mut sorted: Vec<&Shared<InstitutionCard>> = cards.iter().collect();
    sorted.sort_by_cached_key(|c| {
        (
            crate::slug::slugify(c.text("name")),
            c.text("id").to_owned(),
        )
    });
    sorted
}

/// `partner.html`.
#[derive(Debug, Serialize)]
pub(crate) struct PartnerPage<'a> {
    pub institution: InstitutionView<'a>,
    pub facts: Vec<FactView>,
    pub sources: Vec<FactSourceView>,
    /// The institutions it has a partnership with.
    pub partners: Vec<Link>,
    pub partnerships: Vec<&'a Shared<PartnershipCard>>,
    pub releases: Vec<&'a Shared<ReleaseCard>>,
    pub network_svg: SafeHtml<'a>,
    pub map_svg: SafeHtml<'a>,
    pub timeline: Vec<TimelineYear<'a>>,
    pub timeline_releases_omitted: bool,
}

pub(crate) fn partner<'a>(env: &PageEnv<'a>, id: InstitutionId) -> Page<PartnerPage<'a>> {
    let code = env.code();
    let lang = env.links.lang;
    let inst = &env.site.institutions[id.0];
    let summary = inst
        .city
        .get(code)
        .as_ref()
        .map(|c| format!("{} – {}", lang.t(&format!("kind.{}", inst.kind)), c));
    let mut page = env.meta(
        PageRoute::Partner(&inst.id),
        MetaInput {
            description: summary,
            translated: inst.profile.is_translated(code),
            ..MetaInput::new("partner", inst.name.get(code).clone())
        },
    );
    page.feed_url = Some(env.path(&env.routes.partner_feed(code, &inst.id)));
    page.json_ld = env.json_ld(|ld| Some(ld.institution(id.0)));
    page.share_image = env.own_share_image(inst.image.as_ref());
    let (facts, sources) = env.fact_views(&[&inst.facts]);
    let (timeline, timeline_releases_omitted) = env
        .shared
        .timeline_of(env.site, &env.site.timeline_index.institutions[id.0]);
    Page {
        page,
        body: PartnerPage {
            institution: institution_view(env, id),
            facts: facts.concat(),
            sources,
            partners: inst
                .partners
                .iter()
                .map(|&p| env.institution_link(p))
                .collect(),
            partnerships: env.shared.partnerships(&inst.partnerships),
            releases: env.shared.releases(&inst.releases),
            network_svg: SafeHtml::trusted(network_svg(env.links, Some(id.0))),
            map_svg: SafeHtml::trusted(map_svg(env.links, Some(id.0))),
            timeline,
            timeline_releases_omitted,
        },
    }
}

/// The institution as its page and fact sheet show it.
pub(crate) fn institution_view<'a>(env: &PageEnv<'a>, id: InstitutionId) -> InstitutionView<'a> {
    let code = env.code();
    let lang = env.links.lang;
    let inst = &env.site.institutions[id.0];
    InstitutionView {
        image: inst.image.as_ref().and_then(|i| env.figure(i)),
        logo: env.logo(inst.logo.as_ref(), true),
        id: inst.id.clone(),
        name: inst.name.get(code).clone(),
        short_name: inst.short_name.get(code).clone(),
        aliases: inst.aliases.clone(),
        kind_label: lang.t(&format!("kind.{}", inst.kind)),
        city: inst.city.get(code).clone(),
        region: inst.region.get(code).clone(),
        website: inst.website.clone(),
        locations: inst
            .locations
            .iter()
            .map(|x| location_view(lang, x))
            .collect(),
        people: inst
            .people
            .get(code)
            .iter()
            .map(|p| PersonView {
                name: p.name.clone(),
                role: p.role.clone(),
            })
            .collect(),
        profile: SafeHtml::trusted(&*env.bodies.institutions[env.lang.0][id.0]),
        factsheet_url: env.path(&env.routes.partner_factsheet(code, &inst.id)),
        feed_url: env.path(&env.routes.partner_feed(code, &inst.id)),
        extra: inst.extra.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::kind::LangIdx;
    use super::super::tests::with_spec_site;
    use crate::model::InstitutionId;

    #[test]
    fn partner_page_shows_its_partnership_cards_and_releases() {
        with_spec_site(|r| {
            let env = r.env(LangIdx(0));
            let (i, inst) = env
                .site
                .institutions
                .iter()
                .enumerate()
                .find(|(_, inst)| !inst.partnerships.is_empty())
                .expect("a partner with a partnership");
            let page = super::partner(&env, InstitutionId(i));
            assert_eq!(page.body.partnerships.len(), inst.partnerships.len());
            let first = &env.site.partnerships[inst.partnerships[0].0];
            assert_eq!(
                page.body.partnerships[0].text("title"),
                *first.title.get(env.code())
            );
            assert_eq!(page.body.releases.len(), inst.releases.len());
            assert!(page.page.feed_url.is_some());
            let partners = super::partners(&env);
            assert_eq!(
                partners.body.institutions.len(),
                env.site.institutions.len()
            );
        });
    }
}
