//! The printable fact sheets of a partner and of a partnership.

use super::links::MetaRows;
use super::partner::institution_view;
use super::shared::{MetaInput, Page, PageEnv};
use crate::model::{Fact, InstitutionId, Partnership, PartnershipId};
use crate::render::routes::PageRoute;
use crate::render::views::*;
use serde::Serialize;

/// `factsheet.html`.
#[derive(Debug, Serialize)]
pub(crate) struct FactSheetPage<'a> {
    pub sheet: FactSheetView<'a>,
}

pub(crate) fn partner_factsheet<'a>(
    env: &PageEnv<'a>,
    id: InstitutionId,
) -> Page<FactSheetPage<'a>> {
    let code = env.code();
    let lang = env.links.lang;
    let inst = &env.site.institutions[id.0];
    let name = inst.name.get(code).clone();
    let title = lang.t_with("title.factsheet", "name", &name);
    let page = env.meta(
        PageRoute::PartnerFactsheet(&inst.id),
        MetaInput::new("partner_factsheet", title),
    );
    let view = institution_view(env, id);
    let mut rows = MetaRows::default();
    rows.add(lang.t("meta.kind"), &view.kind_label, None);
    if let Some(c) = inst.city.get(env.code()) {
        rows.add(lang.t("meta.city"), c, None);
    }
    if let Some(r) = inst.region.get(env.code()) {
        rows.add(lang.t("meta.region"), r, None);
    }
    if let Some(w) = &inst.website {
        rows.add(lang.t("meta.website"), w, Some(w.clone()));
    }
    for p in &inst.partnerships {
        let link = env.partnership_link(*p);
        rows.add(lang.t("nav.partnerships"), &link.title, Some(link.url));
    }
    let (facts, sources) = env.fact_views(&[&inst.facts]);
    let url = env.path(&env.routes.partner(code, &inst.id));
    let sheet = FactSheetView {
        logos: env.logo(inst.logo.as_ref(), true).into_iter().collect(),
        subject: "institution",
        title: name.clone(),
        subtitle: inst.short_name.get(code).clone(),
        url: url.clone(),
        meta: rows.0,
        groups: facts
            .into_iter()
            .map(|facts| FactGroup {
                heading: name.clone(),
                url: url.clone(),
                facts,
            })
            .filter(|g| !g.facts.is_empty())
            .collect(),
        comparison: None,
        locations: view.locations,
        people: view.people,
        milestones: Vec::new(),
        sources,
        as_of: newest_as_of(env, &[&inst.facts]),
    };
    Page {
        page,
        body: FactSheetPage { sheet },
    }
}

pub(crate) fn partnership_factsheet<'a>(
    env: &PageEnv<'a>,
    id: PartnershipId,
) -> Page<FactSheetPage<'a>> {
    let code = env.code();
    let lang = env.links.lang;
    let p = &env.site.partnerships[id.0];
    let title = p.title.get(code).clone();
    let page = env.meta(
        PageRoute::PartnershipFactsheet(&p.id),
        MetaInput::new(
            "partnership_factsheet",
            lang.t_with("title.factsheet", "name", &title),
        ),
    );
    let card = env.partnership_card(id.0);
    let mut rows = MetaRows::default();
    rows.add(lang.t("meta.kind"), &card.kind_label, None);
    rows.add(lang.t("meta.status"), &card.status_label, None);
    if let Some(d) = &card.signed_display {
        rows.add(card.signed_label.clone(), d, None);
    }
    if let Some(d) = p.ended {
        rows.add(lang.t("meta.ended"), &lang.date(d), None);
    }
    for x in &card.partners {
        rows.add(lang.t("meta.partners"), &x.title, Some(x.url.clone()));
    }
    for f in &card.focus {
        rows.add(lang.t("meta.focus"), &f.title, Some(f.url.clone()));
    }
    let figures = partnership_facts(env, p, card.partners.clone());
    // The partnership's own events from its index, not a scan of the whole timeline.
    let milestones = env.site.timeline_index.partnerships[id.0]
        .iter()
        .filter(|&&i| !env.site.timeline[i].kind.is_release())
        .map(|&i| &env.shared.timeline[i])
        .collect();
    let sheet = FactSheetView {
        logos: p
            .partners
            .iter()
            .filter_map(|x| env.logo(env.site.institutions[x.0].logo.as_ref(), true))
            .collect(),
        subject: "partnership",
        title: title.clone(),
        subtitle: Some(card.kind_label.clone()),
        url: card.url.clone(),
        meta: rows.0,
        groups: (!figures.own.is_empty())
            .then(|| FactGroup {
                heading: title.clone(),
                url: card.url.clone(),
                facts: figures.own,
            })
            .into_iter()
            .collect(),
        comparison: figures.comparison,
        locations: Vec::new(),
        people: Vec::new(),
        milestones,
        sources: figures.sources,
        as_of: newest_as_of(env, &figures.lists),
    };
    Page {
        page,
        body: FactSheetPage { sheet },
    }
}

/// A partnership's figures as its page and its fact sheet show them: its own, its
/// partners' side by side, the sources they cite (numbered in that order), and the
/// lists they came from.
pub(crate) struct PartnershipFacts<'a> {
    pub own: Vec<FactView>,
    pub comparison: Option<FactComparison>,
    pub sources: Vec<FactSourceView>,
    pub lists: Vec<&'a [Fact]>,
}

/// `partners`: the links of the partnership's partners, in its order (the columns).
pub(crate) fn partnership_facts<'a>(
    env: &PageEnv<'a>,
    p: &'a Partnership,
    partners: Vec<Link>,
) -> PartnershipFacts<'a> {
    let mut lists: Vec<&[Fact]> = vec![&p.facts];
    lists.extend(
        p.partners
            .iter()
            .map(|&x| env.site.institutions[x.0].facts.as_slice()),
    );
    let (mut facts, sources) = env.fact_views(&lists);
    let comparison = comparison(partners, facts.split_off(1));
    PartnershipFacts {
        own: facts.concat(),
        comparison,
        sources,
        lists,
    }
}

/// The partners' facts (one list per column, as `fact_views` made them) as one table:
/// rows in the order figures first appear, a label's row shared by equal keys. `None`
/// when no partner has a figure.
fn comparison(columns: Vec<Link>, facts: Vec<Vec<FactView>>) -> Option<FactComparison> {
    let mut rows: Vec<(String, ComparisonRow)> = Vec::new();
    let width = columns.len();
    for (col, list) in facts.into_iter().enumerate() {
        for fact in list {
            let at = match rows.iter().position(|(key, _)| *key == fact.key) {
                Some(at) => at,
                None => {
                    let row = ComparisonRow {
                        label: fact.label.clone(),
                        cells: vec![None; width],
                    };
                    rows.push((fact.key.clone(), row));
                    rows.len() - 1
                }
            };
            let cell = &mut rows[at].1.cells[col];
            if cell.is_none() {
                *cell = Some(fact);
            }
        }
    }
    (!rows.is_empty()).then(|| FactComparison {
        columns,
        rows: rows.into_iter().map(|(_, row)| row).collect(),
    })
}

/// The newest date as of which a figure on the sheet holds, for its "as of" line.
fn newest_as_of(env: &PageEnv, lists: &[&[Fact]]) -> Option<String> {
    let dates = lists
        .iter()
        .flat_map(|facts| facts.iter().filter_map(|f| f.as_of));
    let lang = env.links.lang;
    let newest = dates.max()?;
    Some(lang.t_with("factsheet.as_of", "date", &lang.partial_date(&newest)))
}

#[cfg(test)]
mod tests {
    use super::super::kind::LangIdx;
    use super::super::tests::with_spec_site;
    use crate::model::{InstitutionId, PartnershipId};

    #[test]
    fn fact_sheets_list_overview_rows_and_the_partnerships_milestones() {
        with_spec_site(|r| {
            let env = r.env(LangIdx(0));
            let sheet = super::partner_factsheet(&env, InstitutionId(0)).body.sheet;
            assert_eq!(sheet.subject, "institution");
            assert!(!sheet.meta.is_empty());
            let sheet = super::partnership_factsheet(&env, PartnershipId(0))
                .body
                .sheet;
            let own = env
                .site
                .timeline
                .iter()
                .filter(|e| e.partnership() == Some(PartnershipId(0)) && !e.kind.is_release());
            assert_eq!(sheet.milestones.len(), own.count());
            assert!(sheet.milestones.iter().all(|m| m.text("kind") != "release"));
        });
    }
}
