//! vCards (RFC 6350) of the media contacts: one `.vcf` per person that a published
//! release lists under `contacts`, in every language (roles and institution names are
//! translated), so a journalist saves name, role, phone and e-mail with one tap.
//! Deterministic: no revision stamp, no generated id.

use super::OutputFile;
use super::content_lines::{ContentLines, escape_text};
use super::routes::PageRoute;
use super::routes::Routes;
use crate::model::{InstitutionId, Person, PersonRef, Site};
use std::collections::BTreeSet;

/// The vCard of `person` in `lang`: `partners/<institution>/<slug of the name>.vcf`
/// beside the institution's page; none for a person without e-mail or phone (there is
/// nothing to save).
pub(crate) fn route(site: &Site, routes: &Routes, lang: &str, person: PersonRef) -> Option<String> {
    let inst = &site.institutions[person.institution.0];
    let details = &inst.people.base[person.index];
    if details.email.is_none() && details.phone.is_none() {
        return None;
    }
    Some(format!(
        "{}{}.vcf",
        routes.partner(lang, &inst.id),
        crate::slug::slugify(&details.name)
    ))
}

/// The press office's vCard in `lang`, at the language's root.
pub(crate) fn press_office_route(routes: &Routes, lang: &str) -> String {
    let home = routes.route(lang, PageRoute::Home);
    format!("{home}press-office.vcf")
}

/// The people published releases name as media contacts.
pub(crate) fn media_contacts(site: &Site) -> BTreeSet<(usize, usize)> {
    let contacts = site.releases.iter().flat_map(|r| &r.contacts);
    contacts.map(|p| (p.institution.0, p.index)).collect()
}

/// Every media contact's vCard in every language.
pub(super) fn files(site: &Site, routes: &Routes) -> Vec<OutputFile> {
    let contacts = media_contacts(site);
    let mut files = Vec::with_capacity(contacts.len() * site.config.languages.len());
    for lang in &site.config.languages {
        if let Some(office) = &site.config.press_office {
            let home = routes.permalink(&routes.route(lang, PageRoute::Home));
            let org = site.config.title.get(lang);
            files.push(OutputFile {
                path: Routes::file(&press_office_route(routes, lang)),
                contents: card(office, org, &home).into_bytes().into(),
            });
        }
        for &(institution, index) in &contacts {
            let person = PersonRef {
                institution: InstitutionId(institution),
                index,
            };
            if let Some(route) = route(site, routes, lang, person) {
                files.push(OutputFile {
                    path: Routes::file(&route),
                    contents: contact_card(site, routes, lang, person).into_bytes().into(),
                });
            }
        }
    }
    files
}

/// The vCards a release's press kit carries, by file name: its media contacts' (those
/// with a way to reach them), else the press office's.
pub(crate) fn release_cards(
    site: &Site,
    routes: &Routes,
    lang: &str,
    release: &crate::model::Release,
) -> Vec<(String, String)> {
    let mut cards: Vec<(String, String)> = release
        .contacts
        .iter()
        .filter(|&&p| route(site, routes, lang, p).is_some())
        .map(|&p| {
            let name = &site.institutions[p.institution.0].people.base[p.index].name;
            let card = contact_card(site, routes, lang, p);
            (crate::slug::slugify(name), card)
        })
        .collect();
    if release.contacts.is_empty()
        && let Some(office) = &site.config.press_office
    {
        let home = routes.permalink(&routes.route(lang, PageRoute::Home));
        let org = site.config.title.get(lang);
        cards.push(("press-office".into(), card(office, org, &home)));
    }
    cards.dedup_by(|a, b| a.0 == b.0);
    cards
}

/// The vCard of an institution's person in `lang`.
fn contact_card(site: &Site, routes: &Routes, lang: &str, p: PersonRef) -> String {
    let inst = &site.institutions[p.institution.0];
    let page = routes.permalink(&routes.partner(lang, &inst.id));
    card(&inst.person_in(lang, p.index), inst.name.get(lang), &page)
}

/// One vCard, lines ending in CRLF.
fn card(person: &Person, org: &str, url: &str) -> String {
    let (given, family) = split_name(&person.name);
    let mut card = ContentLines::default();
    card.line("BEGIN:VCARD");
    card.line("VERSION:4.0");
    card.line(&format!("FN:{}", escape_text(&person.name)));
    card.line(&format!(
        "N:{};{};;;",
        escape_text(family),
        escape_text(given)
    ));
    card.line(&format!("ORG:{}", escape_text(org)));
    if let Some(role) = &person.role {
        card.line(&format!("TITLE:{}", escape_text(role)));
    }
    if let Some(email) = &person.email {
        card.line(&format!("EMAIL;TYPE=work:{}", escape_text(email)));
    }
    if let Some(phone) = &person.phone {
        let dial = crate::model::dialable(phone);
        card.line(&format!("TEL;VALUE=uri;TYPE=\"work,voice\":tel:{dial}"));
    }
    card.line(&format!("URL:{url}"));
    card.line("END:VCARD");
    card.into_string()
}

/// Given names and family name, the family name being the last word: right for the
/// names of a German or English press office, and only used for sorting (`FN` is
/// what is shown).
fn split_name(name: &str) -> (&str, &str) {
    match name.trim().rsplit_once(' ') {
        Some((given, family)) => (given.trim(), family),
        None => ("", name.trim()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_family_name_is_the_last_word() {
        assert_eq!(split_name("Marco Bohn"), ("Marco", "Bohn"));
        assert_eq!(
            split_name("Prof. Dr. Anna Maria Weiß"),
            ("Prof. Dr. Anna Maria", "Weiß")
        );
        assert_eq!(split_name("Pressestelle"), ("", "Pressestelle"));
    }
}
