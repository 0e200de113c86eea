//! A release's page: the text with its partners, contacts, quotes, "About" sections
//! and the partnership's other releases.

use super::shared::{MetaInput, Page, PageEnv};
use crate::model::{Institution, Release, ReleaseId};
use crate::render::routes::PageRoute;
use crate::render::views::*;
use serde::Serialize;

/// Other releases of the same partnership shown under a release.
const RELATED: usize = 5;

/// `release.html`.
#[derive(Debug, Serialize)]
pub(crate) struct ReleasePage<'a> {
    pub release: ReleaseView<'a>,
    /// The press kit (ZIP) with its size in the label.
    pub press_kit: Link,
    pub related: Vec<&'a Shared<ReleaseCard>>,
}

pub(crate) fn release<'a>(
    env: &PageEnv<'a>,
    id: ReleaseId,
    press_kit: Link,
) -> Page<ReleasePage<'a>> {
    let code = env.code();
    let rel = &env.site.releases[id.0];
    let mut page = env.meta(
        PageRoute::Release(&rel.slug),
        MetaInput {
            description: rel.summary.get(code).clone(),
            translated: rel.body.is_translated(code),
            ..MetaInput::new("release", rel.title.get(code).clone())
        },
    );
    page.published_time = Some(rel.date.to_string());
    page.share_image = env.own_share_image(rel.image.as_ref());
    page.json_ld = env.json_ld(|ld| Some(ld.release(id.0, &page.content_lang)));
    let related = match rel.partnership {
        Some(p) => env.site.partnerships[p.0]
            .releases
            .iter()
            .filter(|r| **r != id)
            .take(RELATED)
            .map(|r| &env.shared.release_cards[r.0])
            .collect(),
        None => Vec::new(),
    };
    Page {
        page,
        body: ReleasePage {
            release: release_view(env, id, rel),
            press_kit,
            related,
        },
    }
}

fn release_view<'a>(env: &PageEnv<'a>, id: ReleaseId, rel: &Release) -> ReleaseView<'a> {
    let code = env.code();
    let lang = env.links.lang;
    let issuer = rel.issuer.map(|i| &env.site.institutions[i.0]);
    let issuer_city = issuer.and_then(|i| i.city.get(code).clone());
    ReleaseView {
        image: rel.image.as_ref().and_then(|i| env.figure(i)),
        status: env.release_status(rel),
        kind_label: lang.t("release.kind"),
        place: rel.place.get(code).clone().or(issuer_city),
        issuer: rel.issuer.map(|i| env.institution_link(i)),
        title: rel.title.get(code).clone(),
        date: rel.date.to_string(),
        date_display: lang.date(rel.date),
        summary: rel.summary.get(code).clone(),
        body: SafeHtml::trusted(&*env.bodies.releases[env.lang.0][id.0]),
        partners: rel
            .partners
            .iter()
            .map(|&p| env.institution_link(p))
            .collect(),
        partnership: rel.partnership.map(|p| env.partnership_link(p)),
        topics: rel.topics.iter().map(|&t| env.topic_link(t)).collect(),
        source: rel.source.get(code).as_ref().map(|src| SourceView {
            publisher: src.publisher.clone(),
            url: src.url.clone(),
            date_display: src.date.as_ref().map(|d| lang.partial_date(d)),
        }),
        contacts: contacts(env, rel),
        quotes: rel
            .quotes
            .iter()
            .map(|q| QuoteView {
                text: q.text.clone(),
                lang: env.site.config.default_language.clone(),
                by: env.release_person(q.by),
            })
            .collect(),
        about: about(env, rel),
    }
}

/// The release's media contacts, and the site's press office when none of them can be
/// reached (no contact named, or none with an e-mail address or phone number).
fn contacts(env: &PageEnv, rel: &Release) -> Vec<ReleasePersonView> {
    let mut contacts: Vec<_> = rel.contacts.iter().map(|&p| env.media_contact(p)).collect();
    if !contacts
        .iter()
        .any(|c| c.email.is_some() || c.phone.is_some())
    {
        contacts.extend(env.press_office());
    }
    contacts
}

/// One "About …" section per institution with a boilerplate: the issuer's first, then
/// the other concerned institutions'.
fn about(env: &PageEnv, rel: &Release) -> Vec<AboutView> {
    let code = env.code();
    let others = rel.partners.iter().filter(|&&p| Some(p) != rel.issuer);
    rel.issuer
        .iter()
        .chain(others)
        .filter_map(|&p| {
            let inst = &env.site.institutions[p.0];
            let text = inst.boilerplate.get(code).clone()?;
            let lang = if inst.boilerplate.is_translated(code) {
                code.to_owned()
            } else {
                env.site.config.default_language.clone()
            };
            Some(AboutView {
                heading: about_heading(env, inst),
                institution: env.institution_link(p),
                text,
                lang,
            })
        })
        .collect()
}

/// `about_title:`, else "Über das …" with the name's article where the language's
/// strings have one ("Über {name}" without).
fn about_heading(env: &PageEnv, inst: &Institution) -> String {
    let code = env.code();
    let own_title =
        code == env.site.config.default_language || inst.about_title.is_translated(code);
    if let Some(title) = inst.about_title.get(code).as_ref().filter(|_| own_title) {
        return title.clone();
    }
    let key = match inst.article.get(code) {
        Some(article) => format!("release.about_{article}"),
        None => "release.about".to_owned(),
    };
    env.links.lang.t_with(&key, "name", inst.name.get(code))
}

#[cfg(test)]
mod tests {
    use super::super::kind::LangIdx;
    use super::super::tests::with_fixture;
    use crate::model::ReleaseId;

    #[test]
    fn release_names_its_quote_authors_and_contacts() {
        with_fixture("fifty", |r| {
            let env = r.env(LangIdx(0));
            let (i, rel) = env
                .site
                .releases
                .iter()
                .enumerate()
                .find(|(_, rel)| !rel.quotes.is_empty())
                .expect("a release with a quote");
            let kit = crate::render::views::Link {
                title: String::new(),
                url: String::new(),
            };
            let page = super::release(&env, ReleaseId(i), kit);
            let quote = &page.body.release.quotes[0];
            assert!(!quote.by.name.is_empty());
            assert_eq!(quote.text, rel.quotes[0].text);
            assert_eq!(page.page.og_type, "article");
            assert!(page.page.json_ld.is_some());
            assert!(
                page.body
                    .related
                    .iter()
                    .all(|c| c.text("url") != page.page.url)
            );
        });
    }
}
