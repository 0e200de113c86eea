//! The press contacts page of each language: the site's press office first, then the
//! media contacts of each institution, with phone, e-mail and vCard.
//!
//! A media contact is a person a published release names under `contacts:` with an
//! e-mail address or phone number: the people the newsroom itself puts forward, each
//! with a vCard already; listing every person of an institution would mix in quote
//! authors and directors.

use super::shared::{MetaInput, Page, PageEnv};
use crate::model::{InstitutionId, PersonRef, Site};
use crate::render::routes::PageRoute;
use crate::render::vcard::media_contacts;
use crate::render::views::*;
use serde::Serialize;

/// Whether the site has a press contacts page: it has a press office or a release
/// names a contact who can be reached.
pub(crate) fn has_page(site: &Site) -> bool {
    site.config.press_office.is_some() || reachable(site).next().is_some()
}

/// The media contacts with an e-mail address or a phone number: a journalist can do
/// nothing with a name alone (such a contact is still named on its releases).
fn reachable(site: &Site) -> impl Iterator<Item = (usize, usize)> + '_ {
    media_contacts(site)
        .into_iter()
        .filter(|&(institution, index)| {
            let person = &site.institutions[institution].people.base[index];
            person.email.is_some() || person.phone.is_some()
        })
}

/// `press.html`.
#[derive(Debug, Serialize)]
pub(crate) struct PressPage {
    pub office: Option<ReleasePersonView>,
    /// Institutions with media contacts, by name.
    pub institutions: Vec<PressContacts>,
}

/// One institution's media contacts.
#[derive(Debug, Serialize)]
pub(crate) struct PressContacts {
    pub institution: Link,
    pub contacts: Vec<ReleasePersonView>,
}

pub(crate) fn press(env: &PageEnv) -> Page<PressPage> {
    let title = env.links.lang.t("title.press");
    let mut institutions: Vec<PressContacts> = Vec::new();
    let mut last = None;
    for (institution, index) in reachable(env.site) {
        let person = PersonRef {
            institution: InstitutionId(institution),
            index,
        };
        let contact = env.media_contact(person);
        match institutions.last_mut() {
            Some(group) if last == Some(institution) => group.contacts.push(contact),
            _ => institutions.push(PressContacts {
                institution: env.institution_link(InstitutionId(institution)),
                contacts: vec![contact],
            }),
        }
        last = Some(institution);
    }
    institutions.sort_by_cached_key(|g| g.institution.title.to_lowercase());
    Page {
        page: env.meta(PageRoute::Press, MetaInput::new("press", title)),
        body: PressPage {
            office: env.press_office(),
            institutions,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::super::kind::LangIdx;
    use super::super::tests::with_spec_site;

    #[test]
    fn the_press_office_comes_first_and_contacts_are_grouped_by_institution() {
        with_spec_site(|r| {
            let env = r.env(LangIdx(0));
            let page = super::press(&env).body;
            assert_eq!(
                page.office.is_some(),
                env.site.config.press_office.is_some()
            );
            let names: Vec<&str> = (page.institutions.iter())
                .map(|g| g.institution.title.as_str())
                .collect();
            let mut sorted = names.clone();
            sorted.sort_by_key(|n| n.to_lowercase());
            assert_eq!(names, sorted);
            assert!(page.institutions.iter().all(|g| !g.contacts.is_empty()));
        });
    }
}
