//! Institutions: name, kind, locations, people, contact details; their facts are
//! resolved later, once release ids are known. Also the back-links that make every
//! relation known in both directions.

use super::*;

/// An institution's raw facts with its file, resolved once release ids are known.
pub(super) type PendingFacts = (Vec<RawFact>, Arc<SourceFile>);

impl Resolver<'_> {
    /// The valid institutions, indexed as they are added; each with its pending facts.
    pub(super) fn institutions(
        &mut self,
        docs: Vec<RawDoc<RawInstitution>>,
        index: &mut Index,
    ) -> (Vec<Institution>, Vec<PendingFacts>) {
        let mut institutions = Vec::new();
        let mut pending = Vec::new();
        for doc in docs {
            let id = doc.id.clone();
            if let Some((inst, facts, src)) = self.institution(doc) {
                index
                    .institutions
                    .insert(inst.id.clone(), InstitutionId(institutions.len()));
                institutions.push(inst);
                pending.push((facts, src));
            } else {
                self.leave_out(ContentKind::Institution, &id, LeftOut::Invalid);
            }
        }
        (institutions, pending)
    }

    fn institution(
        &mut self,
        doc: RawDoc<RawInstitution>,
    ) -> Option<(Institution, Vec<RawFact>, Arc<SourceFile>)> {
        let source = doc.source.clone();
        let src = &*source;
        let f = &doc.front;
        let name = self.required_text(src, "name", &f.name);
        let kind = self.one_of(src, "kind", f.kind.as_ref(), InstitutionKind::Other);
        let article =
            (f.article.as_ref()).map(|a| self.one_of(src, "article", Some(a), Article::Das));
        let facts = f.facts.clone();
        for path in f.aliases.iter().filter(|a| a.starts_with('/')) {
            let at = src.locate("aliases", path);
            let msg = format!(
                "`{path}` looks like an old address, but an institution's `aliases:` are its other names"
            );
            let help = format!("list old addresses of its page under `redirect_from: [{path}]`");
            self.error(src, Code::InvalidRedirect, at, msg, Some(help));
        }
        let source_copy = doc.source.clone();
        let f = doc.front;
        Some((
            Institution {
                id: doc.id,
                name: Localized::new(name?),
                short_name: Localized::new(f.short_name),
                aliases: f
                    .aliases
                    .into_iter()
                    .filter(|a| !a.starts_with('/'))
                    .collect(),
                kind,
                city: Localized::new(f.city),
                region: Localized::new(f.region),
                website: f
                    .website
                    .as_ref()
                    .and_then(|w| self.checked(src, "website", w, values::web_address)),
                locations: self.locations(src, f.locations),
                facts: Vec::new(),
                people: Localized::new(self.people(src, f.people)),
                boilerplate: Localized::new(f.boilerplate),
                article: Localized::new(article),
                about_title: Localized::new(f.about_title),
                image: (f.image.as_ref())
                    .and_then(|i| self.image_use(src, "image", i, UseKind::Image)),
                logo: (f.logo.as_ref()).and_then(|i| self.image_use(src, "logo", i, UseKind::Logo)),
                profile: Localized::new(Body { source: doc.source }),
                extra: self.extra(src, f.extra),
                partnerships: Vec::new(),
                releases: Vec::new(),
                partners: Vec::new(),
                redirect_from: self.redirect_from(src, &f.redirect_from),
            },
            facts,
            source_copy,
        ))
    }
}

/// Fills the reverse relations: institution → partnerships, releases, partners;
/// partnership → releases.
pub(super) fn link_both_ways(
    institutions: &mut [Institution],
    partnerships: &mut [Partnership],
    releases: &[Release],
) {
    for (pi, p) in partnerships.iter().enumerate() {
        for &i in &p.partners {
            institutions[i.0].partnerships.push(PartnershipId(pi));
            for &other in &p.partners {
                if other != i && !institutions[i.0].partners.contains(&other) {
                    institutions[i.0].partners.push(other);
                }
            }
        }
    }
    for inst in institutions.iter_mut() {
        inst.partners.sort_by_key(|i| i.0);
    }
    for (ri, r) in releases.iter().enumerate() {
        for &i in &r.partners {
            institutions[i.0].releases.push(ReleaseId(ri));
        }
        if let Some(p) = r.partnership {
            partnerships[p.0].releases.push(ReleaseId(ri));
        }
    }
}
