//! Partnerships: title, partners (known institutions, at least two, each once), kind,
//! dates and the status they imply, milestones. Focus topics and facts come later.

use super::*;

/// A partnership's raw front matter (focus, facts, events for translations) and file.
pub(super) type RawPartnershipFile = (RawPartnership, Arc<SourceFile>);

impl Resolver<'_> {
    /// The valid partnerships, indexed as they are added; each with its raw file.
    pub(super) fn partnerships(
        &mut self,
        docs: Vec<RawDoc<RawPartnership>>,
        index: &mut Index,
    ) -> (Vec<Partnership>, Vec<RawPartnershipFile>) {
        let mut partnerships = Vec::new();
        let mut raw = Vec::new();
        for doc in docs {
            let id = doc.id.clone();
            if let Some((p, raw_p, src)) = self.partnership(doc, index) {
                index
                    .partnerships
                    .insert(p.id.clone(), PartnershipId(partnerships.len()));
                partnerships.push(p);
                raw.push((raw_p, src));
            } else {
                self.leave_out(ContentKind::Partnership, &id, LeftOut::Invalid);
            }
        }
        (partnerships, raw)
    }

    fn partnership(
        &mut self,
        doc: RawDoc<RawPartnership>,
        index: &Index,
    ) -> Option<(Partnership, RawPartnership, Arc<SourceFile>)> {
        let source = doc.source.clone();
        let src = &*source;
        let f = &doc.front;
        let title = self.required_text(src, "title", &f.title);
        let partners = self.partners(src, f, index);
        let named = f.partners.iter().flatten();
        if named.clone().any(|p| !index.institutions.contains_key(p)) {
            self.partial_partnerships.insert(doc.id.clone());
        }
        let kind = self.one_of(src, "kind", f.kind.as_ref(), PartnershipKind::Cooperation);
        let (signed, ended) = self.term(src, f);
        let default_status = if ended.is_some() {
            PartnershipStatus::Ended
        } else if signed.is_some() {
            PartnershipStatus::Active
        } else {
            PartnershipStatus::Planned
        };
        let status = self.one_of(src, "status", f.status.as_ref(), default_status);
        let events = self.milestones(src, &f.events);
        let title = title?;
        let source_copy = doc.source.clone();
        let f = doc.front;
        Some((
            Partnership {
                id: doc.id,
                title: Localized::new(title),
                summary: Localized::new(f.summary.clone()),
                partners,
                kind,
                status,
                signed,
                ended,
                focus: Vec::new(),
                events,
                facts: Vec::new(),
                image: (f.image.as_ref())
                    .and_then(|i| self.image_use(src, "image", i, UseKind::Image)),
                body: Localized::new(Body { source: doc.source }),
                extra: self.extra(src, f.extra.clone()),
                releases: Vec::new(),
                redirect_from: self.redirect_from(src, &f.redirect_from),
            },
            f,
            source_copy,
        ))
    }

    /// `partners:`: known institutions, each once, at least two of them.
    fn partners(
        &mut self,
        src: &SourceFile,
        f: &RawPartnership,
        index: &Index,
    ) -> Vec<InstitutionId> {
        let raw_partners = self
            .required(src, "partners", &f.partners)
            .unwrap_or_default();
        let mut partners = Vec::new();
        for id in &raw_partners {
            match index.institutions.get(id) {
                Some(&i) if partners.contains(&i) => {
                    let at = src.locate("partners", id);
                    self.error(
                        src,
                        Code::DuplicatePartner,
                        at,
                        format!("`{id}` is listed twice"),
                        None,
                    );
                }
                Some(&i) => partners.push(i),
                None if self.is_invalid(ContentKind::Institution, id) => {}
                None => {
                    let (msg, help) = unknown("institution", id, index.institutions.keys());
                    let at = src.locate("partners", id);
                    self.error(src, Code::UnknownId, at, msg, help);
                }
            }
        }
        if f.partners.is_some() && raw_partners.len() < 2 {
            let at = src.locate_value("partners");
            self.error(
                src,
                Code::TooFewPartners,
                at,
                format!(
                    "a partnership needs at least two partners, this one has {}",
                    raw_partners.len()
                ),
                Some("list every institution of the partnership under `partners:`".into()),
            );
        }
        partners
    }

    /// `signed` and `ended`; an end before the signature is an error.
    fn term(&mut self, src: &SourceFile, f: &RawPartnership) -> (Option<Date>, Option<Date>) {
        let signed = f.signed.as_ref().and_then(|d| self.date(src, "signed", d));
        let ended = f.ended.as_ref().and_then(|d| self.date(src, "ended", d));
        if let (Some(from), Some(to)) = (signed, ended)
            && to < from
        {
            let at = src.locate(
                "ended",
                &f.ended.as_ref().map(Scalar::as_text).unwrap_or_default(),
            );
            self.error(
                src,
                Code::InvalidDate,
                at,
                format!("`ended` ({to}) is before `signed` ({from})"),
                Some("check both dates; a partnership ends after it was signed".into()),
            );
        }
        (signed, ended)
    }

    /// `events:` with valid (partial) dates; the others are errors and left out.
    fn milestones(&mut self, src: &SourceFile, raw: &[RawEvent]) -> Vec<Milestone> {
        let mut events = Vec::new();
        for e in raw {
            match parse_partial(&e.date) {
                Ok(date) => events.push(Milestone {
                    date,
                    title: Localized::new(e.title.clone()),
                }),
                Err(msg) => {
                    let at = src.locate("date", &e.date.as_text());
                    self.error(src, Code::InvalidDate, at, msg, None);
                }
            }
        }
        events
    }
}
