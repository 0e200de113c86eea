//! Releases: name (date prefix and slug), date, embargo, partnership and partners,
//! media contacts and quote authors among the concerned institutions' people, source;
//! newest first, each at its own URL.

use super::*;

/// The releases in the site, newest first, with their raw topic names (resolved into
/// topics once translations are known).
pub(super) struct Resolved {
    pub releases: Vec<Release>,
    pub topics: Vec<Vec<String>>,
    /// See `Site::next_embargo`.
    pub next_embargo: Option<(String, jiff::Timestamp)>,
}

/// The institutions a release concerns, for its `contacts` and quote authors.
struct Concerned<'a> {
    institutions: &'a [usize],
    /// False when a partnership or partner it names has errors of its own.
    all_known: bool,
}

impl Resolver<'_> {
    /// Resolves the releases that are published (drafts and embargoed ones only with
    /// `--drafts`) and indexes them newest first.
    pub(super) fn releases(
        &mut self,
        docs: Vec<RawDoc<RawRelease>>,
        tz: &jiff::tz::TimeZone,
        index: &mut Index,
        institutions: &[Institution],
        partnerships: &[Partnership],
    ) -> Resolved {
        let mut resolved = Vec::new();
        let mut next_embargo = None;
        for doc in docs {
            let id = doc.id.clone();
            if doc.front.draft && !self.opts.drafts {
                index.drafts.insert(id.clone());
                self.leave_out(ContentKind::Release, &id, LeftOut::Draft);
                continue;
            }
            let Ok(embargo) = self.embargo(&doc, tz) else {
                self.leave_out(ContentKind::Release, &id, LeftOut::Invalid);
                continue;
            };
            let embargoed = embargo.filter(|&t| self.now.is_none_or(|now| now < t));
            if let Some(t) = embargoed
                && !doc.front.draft
                && next_embargo
                    .as_ref()
                    .is_none_or(|(next, n): &(String, jiff::Timestamp)| (t, &id) < (*n, next))
            {
                next_embargo = Some((id.clone(), t));
            }
            if embargoed.is_some() && !self.opts.drafts {
                index.drafts.insert(id.clone());
                self.leave_out(ContentKind::Release, &id, LeftOut::Embargoed);
                continue;
            }
            if let Some((mut rel, topics)) = self.release(doc, index, institutions, partnerships) {
                rel.embargoed_until = embargoed;
                resolved.push((rel, topics));
            } else {
                self.leave_out(ContentKind::Release, &id, LeftOut::Invalid);
            }
        }
        resolved.sort_by(|(a, _), (b, _)| (b.date, &b.id).cmp(&(a.date, &a.id)));
        let (releases, topics): (Vec<Release>, Vec<Vec<String>>) = resolved.into_iter().unzip();
        self.check_slugs(&releases);
        for (i, r) in releases.iter().enumerate() {
            index.releases.insert(r.id.clone(), ReleaseId(i));
        }
        Resolved {
            releases,
            topics,
            next_embargo,
        }
    }

    /// A release's `embargo`, if any; `Err` after reporting an invalid one (the release
    /// is then left out rather than published early).
    fn embargo(
        &mut self,
        doc: &RawDoc<RawRelease>,
        tz: &jiff::tz::TimeZone,
    ) -> Result<Option<jiff::Timestamp>, ()> {
        let Some(value) = &doc.front.embargo else {
            return Ok(None);
        };
        parse_embargo(value, tz).map(Some).map_err(|e| {
            let at = doc.source.locate("embargo", &value.as_text());
            self.error(&doc.source, Code::InvalidDate, at, e.message, Some(e.help));
        })
    }

    fn release(
        &mut self,
        doc: RawDoc<RawRelease>,
        index: &Index,
        institutions: &[Institution],
        partnerships: &[Partnership],
    ) -> Option<(Release, Vec<String>)> {
        let source = doc.source.clone();
        let src = &*source;
        let f = &doc.front;
        let title = self.required_text(src, "title", &f.title);
        let date = self
            .required(src, "date", &f.date)
            .and_then(|d| self.date(src, "date", &d));
        let slug = self.release_slug(&doc.id, src, title.as_deref(), date)?;
        let (partnership, partners) = self.release_partners(src, f, index, partnerships);
        if f.partnership.is_none() && f.partners.is_empty() {
            let at = src.locate_key("title");
            self.warn(
                src,
                Code::NoInstitution,
                at,
                "this release concerns no institution",
                Some("add `partnership:` or `partners:` so it appears on partner pages".into()),
            );
        }
        let source = f.source.as_ref().map(|s| self.release_source(src, s));
        let issuer = self.issuer(src, f, index, partnerships);
        let concerned: Vec<usize> = partners.iter().copied().collect();
        // With an unknown or broken partnership or partner (or a partnership with such a
        // partner), the concerned institutions
        // are not all known: an unknown person would be a follow-up error, not one of
        // its own (the unknown id is reported once, above).
        let all_known = f.partnership.as_deref().is_none_or(|p| {
            index.partnerships.contains_key(p) && !self.partial_partnerships.contains(p)
        }) && f
            .partners
            .iter()
            .all(|p| index.institutions.contains_key(p));
        let concerned = Concerned {
            institutions: &concerned,
            all_known,
        };
        let (contacts, quotes) = self.release_people(src, f, institutions, &concerned);
        let image =
            (f.image.as_ref()).and_then(|i| self.image_use(src, "image", i, UseKind::Image));
        let (title, date) = (title?, date?);
        let topics = f.topics.clone();
        let f = doc.front;
        // Checked like every `extra`, though no page shows a release's yet.
        self.extra(src, f.extra);
        Some((
            Release {
                slug,
                id: doc.id.clone(),
                date,
                partnership,
                partners: partners.into_iter().map(InstitutionId).collect(),
                topics: Vec::new(),
                title: Localized::new(title),
                summary: Localized::new(f.summary),
                source: Localized::new(source),
                autolink: f.autolink.unwrap_or(true),
                draft: f.draft,
                embargoed_until: None,
                body: Localized::new(Body { source: doc.source }),
                contacts,
                quotes,
                image,
                issuer,
                place: Localized::new(f.place),
                redirect_from: self.redirect_from(src, &f.redirect_from),
            },
            topics,
        ))
    }

    /// The URL segment: the id without its date prefix. A file name without a date or
    /// a name after it is an error (the release is left out); a date differing from
    /// the file name's is a warning.
    fn release_slug(
        &mut self,
        id: &str,
        src: &SourceFile,
        title: Option<&str>,
        date: Option<Date>,
    ) -> Option<String> {
        let Some((file_date, slug)) = split_release_id(id) else {
            let dated = id
                .get(..10)
                .is_some_and(|p| parse_full(&Scalar::Text(p.to_owned())).is_ok());
            let rest = if dated { &id[10..] } else { id };
            let mut slug = rest.trim_matches('-').to_owned();
            if slug.is_empty() {
                slug = title.map_or_else(|| "meldung".to_owned(), slugify);
            }
            let message = if dated {
                format!("`{id}` has a date but no name after it")
            } else {
                format!("`{id}` does not start with a date")
            };
            self.diags.push(
                Diagnostic::error(Code::InvalidReleaseName, src.path.clone(), message).with_help(
                    format!(
                        "name release files `YYYY-MM-DD-<slug>.md`, e.g. `{}-{slug}.md`",
                        date.map_or("2024-07-23".to_owned(), |d| d.to_string()),
                    ),
                ),
            );
            return None;
        };
        if let (Some(d), Some(fd)) = (date, file_date)
            && d != fd
        {
            let at = src.locate("date", &d.to_string());
            self.warn(
                src,
                Code::DateMismatch,
                at,
                format!("`date: {d}` differs from the date in the file name ({fd})"),
                Some("the front matter date is used".into()),
            );
        }
        Some(slug.to_owned())
    }

    /// The release's partnership and the institutions it concerns: the partnership's
    /// partners and those listed under `partners:` (as indices, in id order).
    fn release_partners(
        &mut self,
        src: &SourceFile,
        f: &RawRelease,
        index: &Index,
        partnerships: &[Partnership],
    ) -> (Option<PartnershipId>, BTreeSet<usize>) {
        let mut partners = BTreeSet::new();
        let mut partnership = None;
        if let Some(pid) = &f.partnership {
            match index.partnerships.get(pid) {
                Some(&p) => {
                    partnership = Some(p);
                    partners.extend(partnerships[p.0].partners.iter().map(|i| i.0));
                }
                None if self.is_invalid(ContentKind::Partnership, pid) => {}
                None => {
                    let (msg, help) = unknown("partnership", pid, index.partnerships.keys());
                    let at = src.locate("partnership", pid);
                    self.error(src, Code::UnknownId, at, msg, help);
                }
            }
        }
        for id in &f.partners {
            match index.institutions.get(id) {
                Some(&i) => {
                    partners.insert(i.0);
                }
                None if self.is_invalid(ContentKind::Institution, id) => {}
                None => {
                    let (msg, help) = unknown("institution", id, index.institutions.keys());
                    let at = src.locate("partners", id);
                    self.error(src, Code::UnknownId, at, msg, help);
                }
            }
        }
        (partnership, partners)
    }

    /// `issuer:` (any known institution), else the first partner named: under
    /// `partners:`, else the partnership's first.
    fn issuer(
        &mut self,
        src: &SourceFile,
        f: &RawRelease,
        index: &Index,
        partnerships: &[Partnership],
    ) -> Option<InstitutionId> {
        let Some(id) = &f.issuer else {
            let named = f.partners.iter().find_map(|p| index.institutions.get(p));
            let first_of_partnership = || {
                let p = index.partnerships.get(f.partnership.as_ref()?)?;
                partnerships[p.0].partners.first()
            };
            return named.or_else(first_of_partnership).copied();
        };
        match index.institutions.get(id) {
            Some(&i) => Some(i),
            None if self.is_invalid(ContentKind::Institution, id) => None,
            None => {
                let (msg, help) = unknown("institution", id, index.institutions.keys());
                let at = src.locate("issuer", id);
                self.error(src, Code::UnknownId, at, msg, help);
                None
            }
        }
    }

    /// `contacts` and quotes, their people found among the concerned institutions'.
    fn release_people(
        &mut self,
        src: &SourceFile,
        f: &RawRelease,
        institutions: &[Institution],
        concerned: &Concerned,
    ) -> (Vec<PersonRef>, Vec<Quote>) {
        let contacts = f
            .contacts
            .iter()
            .filter_map(|c| self.person_ref(src, "contacts", c, institutions, concerned))
            .collect();
        let quotes = f
            .quotes
            .iter()
            .filter_map(|q| {
                self.person_ref(src, "by", &q.by, institutions, concerned)
                    .map(|by| Quote {
                        by,
                        text: q.text.clone(),
                    })
            })
            .collect();
        (contacts, quotes)
    }

    /// `<institution-id>/<person-name-slug>` → the person; the institution must be one
    /// the release concerns.
    fn person_ref(
        &mut self,
        src: &SourceFile,
        field: &str,
        key: &str,
        institutions: &[Institution],
        concerned: &Concerned,
    ) -> Option<PersonRef> {
        let mut known = Vec::new();
        for &i in concerned.institutions {
            let inst = &institutions[i];
            for (n, p) in inst.people.base.iter().enumerate() {
                let k = format!("{}/{}", inst.id, crate::slug::slugify(&p.name));
                if k == key {
                    return Some(PersonRef {
                        institution: InstitutionId(i),
                        index: n,
                    });
                }
                known.push(k);
            }
        }
        let institution = key.split('/').next().unwrap_or_default();
        if self.is_invalid(ContentKind::Institution, institution) || !concerned.all_known {
            return None;
        }
        let (msg, mut help) = unknown("person", key, &known);
        if help.is_none() {
            help = Some(
                "write `<institution-id>/<name-slug>` for a person listed under `people:` \
                 of an institution this release concerns"
                    .into(),
            );
        }
        let at = src.locate(field, key);
        self.error(src, Code::UnknownId, at, msg, help);
        None
    }

    pub(super) fn release_source(
        &mut self,
        src: &SourceFile,
        s: &RawReleaseSource,
    ) -> ReleaseSource {
        let date = s.date.as_ref().and_then(|d| match parse_partial(d) {
            Ok(p) => Some(p),
            Err(msg) => {
                let at = src.locate("date", &d.as_text());
                self.error(src, Code::InvalidDate, at, msg, None);
                None
            }
        });
        ReleaseSource {
            publisher: s.publisher.clone(),
            url: s
                .url
                .as_ref()
                .and_then(|u| self.checked(src, "url", u, values::web_address)),
            date,
        }
    }

    fn check_slugs(&mut self, releases: &[Release]) {
        let mut seen: HashMap<&str, &Release> = HashMap::new();
        for r in releases.iter().rev() {
            if let Some(first) = seen.get(r.slug.as_str()) {
                let src = &r.body.base.source;
                self.error(
                    src,
                    Code::DuplicateUrl,
                    0,
                    format!(
                        "`{}` and `{}` both publish at /{}/{}/",
                        first.id,
                        r.id,
                        self.words.get(crate::model::segments::Segment::News),
                        r.slug
                    ),
                    Some("change the part of one file name after the date".into()),
                );
            } else {
                seen.insert(&r.slug, r);
            }
        }
    }
}

/// `2024-07-23-harz` → (2024-07-23, `harz`); `None` without a date prefix or slug.
fn split_release_id(id: &str) -> Option<(Option<Date>, &str)> {
    let (prefix, slug) = (id.get(..10)?, id.get(11..)?);
    if id.as_bytes().get(10) != Some(&b'-') || slug.is_empty() {
        return None;
    }
    let date = parse_full(&Scalar::Text(prefix.to_owned())).ok()?;
    Some((Some(date), slug))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn release_ids_split_into_date_and_slug() {
        let (d, s) = split_release_id("2024-02-29-schaltjahr").unwrap();
        assert_eq!(d.unwrap().to_string(), "2024-02-29");
        assert_eq!(s, "schaltjahr");
        assert!(split_release_id("harz-partnerschaft").is_none());
        assert!(split_release_id("2024-07-23").is_none());
        assert!(split_release_id("2024-02-30-x").is_none());
    }
}
