//! Which pages get a generated share card (`render/cards`), and what it says: the
//! page's kind, title, the partners or the place, and a date.

use super::kind::Job;
use super::shared::PageEnv;
use crate::model::{InstitutionId, Site};
use crate::render::cards::CardText;
use crate::render::views::PageMeta;

/// What `job`'s card says; `None` for a page that gets no card: the 404 page (shared
/// by every wrong address), the media library (`media/` holds only the published
/// files of `content/media/`), and the news list's later pages and the timeline's years,
/// which nobody shares and which would add a card per ten releases (a card costs about
/// 5 ms; see BENCHMARKS.md).
pub(crate) fn text(site: &Site, job: Job, env: &PageEnv, meta: &PageMeta) -> Option<CardText> {
    let lang = env.links.lang;
    let code = env.code();
    let partners = |ids: &[InstitutionId]| {
        let names: Vec<&str> = ids
            .iter()
            .map(|i| site.institutions[i.0].name.get(code).as_str())
            .collect();
        (!names.is_empty()).then(|| names.join(" · "))
    };
    let brand = site.config.title.get(code).clone();
    let section = job.descriptor().section.key();
    let section_label = || (!section.is_empty()).then(|| lang.t(&format!("nav.{section}")));
    let mut card = CardText {
        kind: section_label().unwrap_or_default(),
        title: meta.title.clone(),
        byline: None,
        date: None,
        brand,
    };
    match job {
        Job::NotFound | Job::Media { .. } | Job::TimelineYear { .. } => return None,
        Job::News { page, .. } if page > 1 => return None,
        Job::Home { .. } => {
            card.kind = String::new();
            // The site's name is the title here; its address stands above it instead.
            let address = site
                .config
                .base_url
                .split_once("://")
                .map_or("", |(_, a)| a);
            card.brand = address.trim_end_matches('/').to_owned();
            card.byline = Some(site.config.description.get(code).clone()).filter(|d| !d.is_empty());
        }
        Job::Release { release, .. } => {
            let r = &site.releases[release.0];
            card.kind = lang.t("release.kind");
            card.byline = partners(&r.partners);
            card.date = Some(lang.date(r.date));
        }
        Job::Partnership { partnership, .. } => {
            let p = &site.partnerships[partnership.0];
            card.kind = lang.t(&format!("partnership_kind.{}", p.kind));
            card.byline = partners(&p.partners);
            card.date = p.signed.map(|d| lang.date(d));
        }
        Job::Topic { .. } => card.kind = lang.t("search.kind_topic"),
        Job::Partner { institution, .. } => {
            let inst = &site.institutions[institution.0];
            card.kind = lang.t(&format!("kind.{}", inst.kind));
            card.byline = inst.city.get(code).clone();
        }
        _ => {}
    }
    Some(card)
}
