//! The pieces many pages share, made from the model for one language: links, cards,
//! timeline items, people, locations and figures.

use crate::model::*;
use crate::render::i18n::Language;
use crate::render::routes::Routes;
use crate::render::views::*;

/// Builds the shared pieces of one language's pages.
#[derive(Clone, Copy)]
pub(crate) struct Links<'a> {
    pub site: &'a Site,
    pub routes: &'a Routes,
    pub lang: &'a Language,
}

impl<'a> Links<'a> {
    /// The language code of these pages.
    pub(crate) fn code(&self) -> &'a str {
        &self.lang.code
    }

    /// Root-relative URL of a route.
    pub(crate) fn path(&self, route: &str) -> String {
        self.routes.path(route)
    }

    pub(crate) fn release_person(&self, p: PersonRef) -> ReleasePersonView {
        let inst = &self.site.institutions[p.institution.0];
        let person = inst.person_in(&self.lang.code, p.index);
        person_view(person, Some(self.institution_link(p.institution)))
    }

    /// The site's press office, the contact of releases that name none.
    pub(crate) fn press_office(&self) -> Option<ReleasePersonView> {
        let office = self.site.config.press_office.clone()?;
        let route = crate::render::vcard::press_office_route(self.routes, &self.lang.code);
        Some(ReleasePersonView {
            vcard: Some(self.routes.path(&route)),
            ..person_view(office, None)
        })
    }

    /// A media contact: the person with their vCard.
    pub(crate) fn media_contact(&self, p: PersonRef) -> ReleasePersonView {
        let route = crate::render::vcard::route(self.site, self.routes, &self.lang.code, p);
        ReleasePersonView {
            vcard: route.map(|r| self.routes.path(&r)),
            ..self.release_person(p)
        }
    }

    pub(crate) fn institution_link(&self, id: InstitutionId) -> Link {
        let inst = &self.site.institutions[id.0];
        Link {
            title: inst.name.get(&self.lang.code).clone(),
            url: self
                .routes
                .path(&self.routes.partner(&self.lang.code, &inst.id)),
        }
    }

    pub(crate) fn partnership_link(&self, id: PartnershipId) -> Link {
        let p = &self.site.partnerships[id.0];
        Link {
            title: p.title.get(&self.lang.code).clone(),
            url: self
                .routes
                .path(&self.routes.partnership(&self.lang.code, &p.id)),
        }
    }

    pub(crate) fn topic_link(&self, id: TopicId) -> Link {
        let t = &self.site.topics[id.0];
        Link {
            title: t.name.get(&self.lang.code).clone(),
            url: self
                .routes
                .path(&self.routes.topic(&self.lang.code, &t.slug)),
        }
    }

    pub(crate) fn release_card(&self, i: usize) -> ReleaseCard {
        let code = self.lang.code.as_str();
        let r = &self.site.releases[i];
        ReleaseCard {
            thumb: self.thumbnail(r.image.as_ref()),
            title: r.title.get(code).clone(),
            url: self.routes.path(&self.routes.release(code, &r.slug)),
            date: r.date.to_string(),
            date_display: self.lang.date(r.date),
            summary: r.summary.get(code).clone(),
            partners: r
                .partners
                .iter()
                .map(|&p| self.institution_link(p))
                .collect(),
            topics: r.topics.iter().map(|&t| self.topic_link(t)).collect(),
            partnership: r.partnership.map(|p| self.partnership_link(p)),
            status: self.release_status(r),
        }
    }

    /// The mark of a release that a `--drafts` build shows before it is published.
    pub(crate) fn release_status(&self, r: &Release) -> Option<String> {
        if let Some(until) = r.embargoed_until {
            let local = until.to_zoned_datetime(self.site.config.timezone.clone());
            let when = format!(
                "{} {}",
                self.lang.date(local.date()),
                local.strftime("%H:%M")
            );
            Some(self.lang.t_with("status.embargoed", "until", &when))
        } else {
            r.draft.then(|| self.lang.t("status.draft"))
        }
    }

    pub(crate) fn institution_card(&self, inst: &Institution) -> InstitutionCard {
        let code = self.lang.code.as_str();
        InstitutionCard {
            logo: self.logo(inst.logo.as_ref(), false),
            id: inst.id.clone(),
            name: inst.name.get(code).clone(),
            short_name: inst.short_name.get(code).clone(),
            kind_label: self.lang.t(&format!("kind.{}", inst.kind)),
            city: inst.city.get(code).clone(),
            url: self.routes.path(&self.routes.partner(code, &inst.id)),
            partnership_count: inst.partnerships.len(),
            release_count: inst.releases.len(),
        }
    }

    pub(crate) fn partnership_card(&self, i: usize) -> PartnershipCard {
        let code = self.lang.code.as_str();
        let p = &self.site.partnerships[i];
        PartnershipCard {
            id: p.id.clone(),
            title: p.title.get(code).clone(),
            url: self.routes.path(&self.routes.partnership(code, &p.id)),
            summary: p.summary.get(code).clone(),
            kind_label: self.lang.t(&format!("partnership_kind.{}", p.kind)),
            status: p.status.to_string(),
            status_label: self.lang.t(&format!("status.{}", p.status)),
            signed: p.signed.map(|d| d.to_string()),
            signed_display: p.signed.map(|d| self.lang.date(d)),
            signed_label: self.lang.t(match p.status {
                PartnershipStatus::Planned => "meta.signing_planned",
                _ => "meta.signed",
            }),
            partners: p
                .partners
                .iter()
                .map(|&x| self.institution_link(x))
                .collect(),
            focus: p.focus.iter().map(|&t| self.topic_link(t)).collect(),
        }
    }

    pub(crate) fn topic_card(&self, t: &Topic) -> TopicCard {
        TopicCard {
            name: t.name.get(&self.lang.code).clone(),
            url: self
                .routes
                .path(&self.routes.topic(&self.lang.code, &t.slug)),
            release_count: t.releases.len(),
            partnership_count: t.partnerships.len(),
        }
    }

    pub(crate) fn timeline_item(&self, e: &TimelineEvent) -> TimelineItem {
        let code = self.lang.code.as_str();
        let partnership = e.partnership().map(|p| self.partnership_link(p));
        let kind = e.kind.slug();
        let (title, url) = match e.kind {
            TimelineEventKind::Release { release, .. } => {
                let r = &self.site.releases[release.0];
                let url = self.routes.path(&self.routes.release(code, &r.slug));
                (r.title.get(code).clone(), url)
            }
            TimelineEventKind::Milestone {
                partnership,
                milestone,
            } => {
                let p = &self.site.partnerships[partnership.0];
                let m = &p.events[milestone];
                let url = self.routes.path(&self.routes.partnership(code, &p.id));
                (m.title.get(code).clone(), url)
            }
            TimelineEventKind::Signed { .. } | TimelineEventKind::Ended { .. } => {
                let link = partnership.clone().unwrap_or(Link {
                    title: String::new(),
                    url: String::new(),
                });
                (link.title, link.url)
            }
        };
        TimelineItem {
            date: e.date.to_string(),
            date_display: self.lang.partial_date(&e.date),
            kind,
            kind_label: self.lang.t(&format!("event.{kind}")),
            title,
            url,
            partnership,
            future: self
                .site
                .today
                .is_some_and(|t| e.date > PartialDate::from_date(t)),
        }
    }

    /// Views of several fact lists, numbering their sources in one shared list.
    pub(crate) fn fact_views(
        &self,
        lists: &[&[Fact]],
    ) -> (Vec<Vec<FactView>>, Vec<FactSourceView>) {
        let mut sources: Vec<FactSourceView> = Vec::new();
        let code = self.lang.code.as_str();
        let lang = self.lang;
        let views = lists
            .iter()
            .map(|facts| {
                facts
                    .iter()
                    .map(|f| {
                        let mut value = match f.value.get(code) {
                            // A year is written without a thousands separator ("1903").
                            FactValue::Number(n) if f.key == "founded" && n.fract() == 0.0 => {
                                n.to_string()
                            }
                            FactValue::Number(n) => lang.number(*n),
                            FactValue::Text(t) => t.clone(),
                        };
                        if f.over {
                            value = format!("{} {value}", lang.t("over"));
                        } else if f.approx {
                            value = format!("{} {value}", lang.t("approx"));
                        }
                        if let Some(unit) = &f.unit {
                            value = format!("{value}\u{a0}{unit}");
                        }
                        let source = f.source.as_ref().map(|s| {
                            let (title, url, permalink, external) = match s {
                                FactSource::Release(r) => {
                                    let r = &self.site.releases[r.0];
                                    let route = self.routes.release(code, &r.slug);
                                    (
                                        r.title.get(code).clone(),
                                        self.routes.path(&route),
                                        self.routes.permalink(&route),
                                        false,
                                    )
                                }
                                FactSource::Url(u) => (url_host(u), u.clone(), u.clone(), true),
                            };
                            let number = match sources.iter().position(|x| x.url == url) {
                                Some(n) => n + 1,
                                None => {
                                    sources.push(FactSourceView {
                                        title: title.clone(),
                                        url: url.clone(),
                                        permalink: permalink.clone(),
                                        external,
                                        number: sources.len() + 1,
                                    });
                                    sources.len()
                                }
                            };
                            FactSourceView {
                                title,
                                url,
                                permalink,
                                external,
                                number,
                            }
                        });
                        let label = (f.label.get(code).clone())
                            .unwrap_or_else(|| lang.t(&format!("fact.{}", f.key)));
                        // A note that only repeats the label ("Planbetten") says nothing.
                        let note = (f.note.get(code).clone())
                            .filter(|n| !n.trim().eq_ignore_ascii_case(label.trim()));
                        FactView {
                            key: f.key.clone(),
                            label,
                            value_display: value,
                            unit: f.unit.clone(),
                            note,
                            as_of: f.as_of.map(|d| d.to_string()),
                            as_of_display: f.as_of.map(|d| lang.partial_date(&d)),
                            source,
                        }
                    })
                    .collect()
            })
            .collect();
        (views, sources)
    }
}

/// A person as a release names them, without a vCard.
fn person_view(person: Person, institution: Option<Link>) -> ReleasePersonView {
    ReleasePersonView {
        phone_link: (person.phone.as_deref()).map(|p| format!("tel:{}", crate::model::dialable(p))),
        name: person.name,
        role: person.role,
        institution,
        email: person.email,
        phone: person.phone,
        vcard: None,
    }
}

/// Label–value rows of a fact sheet; consecutive values under one label share a row.
#[derive(Default)]
pub(crate) struct MetaRows(pub Vec<MetaRow>);

impl MetaRows {
    pub(crate) fn add(&mut self, label: String, text: &str, url: Option<String>) {
        let item = MetaItem {
            text: text.to_owned(),
            url,
        };
        match self.0.last_mut() {
            Some(row) if row.label == label => row.items.push(item),
            _ => self.0.push(MetaRow {
                label,
                items: vec![item],
            }),
        }
    }
}

/// Coordinates as precise as the content gives them, with the language's decimal mark.
pub(crate) fn location_view(lang: &Language, l: &Location) -> LocationView {
    let degrees = |v: f64, pos: &str, neg: &str| {
        let text = v
            .abs()
            .to_string()
            .replace('.', &lang.raw.decimal_separator);
        format!("{text}° {}", if v >= 0.0 { pos } else { neg })
    };
    let coordinates = match (l.lat, l.lon) {
        (Some(lat), Some(lon)) => {
            let separator = if lang.raw.decimal_separator == "," {
                "; "
            } else {
                ", "
            };
            format!(
                "{}{separator}{}",
                degrees(lat, "N", "S"),
                degrees(lon, "E", "W")
            )
        }
        _ => String::new(),
    };
    LocationView {
        name: l.name.clone(),
        lat: l.lat,
        lon: l.lon,
        coordinates,
    }
}

fn url_host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split(['/', '?', '#'])
        .next()
        .unwrap_or(rest)
        .to_owned()
}
