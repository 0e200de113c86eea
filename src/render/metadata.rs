//! Page metadata beyond title, description and alternates: OpenGraph values and
//! JSON-LD (schema.org).
//!
//! JSON-LD is built here as `serde_json` values (object keys sorted: the default `Map`
//! is a `BTreeMap`), serialised once per page into `PageMeta::json_ld` and emitted by
//! `base.html` with `safe`; [`script_json`] escapes `<`, `>` and `&` so no text from the
//! content can end the `<script>` element. Only absolute URLs of this site appear; the
//! `@context` string names the vocabulary and is never fetched.

use super::i18n::Language;
use super::routes::Routes;
use crate::model::*;
use serde_json::{Map, Value, json};

const CONTEXT: &str = "https://schema.org";

/// OpenGraph locale of a language code: `de` → `de_DE`, `en` → `en_US`, `pt-BR` →
/// `pt_BR`, any other `xx` → `xx_XX`.
pub(super) fn og_locale(lang: &str) -> String {
    match lang {
        "de" => "de_DE".to_owned(),
        "en" => "en_US".to_owned(),
        other => {
            let (language, region) = other.split_once(['-', '_']).unwrap_or((other, other));
            format!("{}_{}", language.to_lowercase(), region.to_uppercase())
        }
    }
}

/// A JSON value as the text of a `<script type="application/ld+json">`: `<`, `>` and
/// `&` (which JSON allows only inside strings) become `\u003c`, `\u003e`, `\u0026`,
/// so the text cannot close the element or open a comment, and parses to the same value.
pub(super) fn script_json(value: &Value) -> String {
    let text = value.to_string();
    // Pushing it character by character was 1 % of a build (every page has JSON-LD):
    // most texts need no escape, the others are copied in runs between the escapes.
    if memchr::memchr3(b'<', b'>', b'&', text.as_bytes()).is_none() {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for (i, b) in text.bytes().enumerate() {
        let escaped = match b {
            b'<' => "\\u003c",
            b'>' => "\\u003e",
            b'&' => "\\u0026",
            _ => continue,
        };
        out.push_str(&text[copied..i]);
        out.push_str(escaped);
        copied = i + 1;
    }
    out.push_str(&text[copied..]);
    out
}

/// schema.org type of an institution kind.
pub(super) fn institution_type(kind: InstitutionKind) -> &'static str {
    match kind {
        InstitutionKind::UniversityHospital | InstitutionKind::Hospital => "Hospital",
        InstitutionKind::PublicBody => "GovernmentOrganization",
        InstitutionKind::Research | InstitutionKind::Other => "Organization",
    }
}

/// JSON-LD of the pages of one language.
pub(super) struct JsonLd<'a> {
    pub site: &'a Site,
    pub routes: &'a Routes,
    pub lang: &'a Language,
}

impl JsonLd<'_> {
    fn code(&self) -> &str {
        &self.lang.code
    }

    /// The site as the publisher of everything on it.
    fn publisher(&self) -> Value {
        let mut publisher = json!({
            "@type": "Organization",
            "name": self.site.config.title.get(self.code()),
            "url": self.routes.permalink(&self.routes.home(self.code())),
        });
        if let Some(logo) = self.image(self.site.config.logo.as_ref()) {
            publisher["logo"] = logo;
        }
        publisher
    }

    /// An institution by name and page, as a release's subject.
    fn institution_ref(&self, id: InstitutionId) -> Value {
        let inst = &self.site.institutions[id.0];
        json!({
            "@type": institution_type(inst.kind),
            "name": inst.name.get(self.code()),
            "url": self.routes.permalink(&self.routes.partner(self.code(), &inst.id)),
        })
    }

    /// The absolute URL of a use's original (the full-resolution file, GPS removed).
    fn image(&self, image: Option<&ImageUse>) -> Option<Value> {
        let file = self.site.media_file(&image?.media)?;
        let route = Routes::media_original(file.id.as_str());
        Some(self.routes.permalink(&route).into())
    }

    /// The home page: the site itself.
    pub(super) fn home(&self) -> Value {
        json!({
            "@context": CONTEXT,
            "@type": "WebSite",
            "name": self.site.config.title.get(self.code()),
            "description": self.site.config.description.get(self.code()),
            "inLanguage": self.code(),
            "url": self.routes.permalink(&self.routes.home(self.code())),
        })
    }

    /// A release as a `NewsArticle`; `content_lang` is the language its text is in.
    pub(super) fn release(&self, i: usize, content_lang: &str) -> Value {
        let code = self.code();
        let r = &self.site.releases[i];
        let mut v = Map::new();
        v.insert("@context".into(), CONTEXT.into());
        v.insert("@type".into(), "NewsArticle".into());
        v.insert("headline".into(), r.title.get(code).as_str().into());
        v.insert("datePublished".into(), r.date.to_string().into());
        v.insert("inLanguage".into(), content_lang.into());
        let url = self.routes.permalink(&self.routes.release(code, &r.slug));
        v.insert("mainEntityOfPage".into(), url.clone().into());
        v.insert("url".into(), url.into());
        if let Some(summary) = r.summary.get(code) {
            v.insert("description".into(), summary.as_str().into());
        }
        v.insert("publisher".into(), self.publisher());
        if let Some(image) = self.image(r.image.as_ref()) {
            v.insert("image".into(), image);
        }
        if !r.partners.is_empty() {
            let about = r.partners.iter().map(|&p| self.institution_ref(p));
            v.insert("about".into(), about.collect());
        }
        if let Some(p) = r.partnership {
            let p = &self.site.partnerships[p.0];
            v.insert(
                "isPartOf".into(),
                json!({
                    "@type": "WebPage",
                    "name": p.title.get(code),
                    "url": self.routes.permalink(&self.routes.partnership(code, &p.id)),
                }),
            );
        }
        Value::Object(v)
    }

    /// An institution as a `Hospital`, `GovernmentOrganization` or `Organization`.
    pub(super) fn institution(&self, i: usize) -> Value {
        let code = self.code();
        let inst = &self.site.institutions[i];
        let page = self.routes.permalink(&self.routes.partner(code, &inst.id));
        let mut v = Map::new();
        v.insert("@context".into(), CONTEXT.into());
        v.insert("@type".into(), institution_type(inst.kind).into());
        v.insert("name".into(), inst.name.get(code).as_str().into());
        let mut alternate: Vec<&str> = Vec::new();
        for name in inst.short_name.get(code).iter().chain(&inst.aliases) {
            if !alternate.contains(&name.as_str()) && name != inst.name.get(code) {
                alternate.push(name);
            }
        }
        if !alternate.is_empty() {
            v.insert("alternateName".into(), alternate.into());
        }
        v.insert("mainEntityOfPage".into(), page.clone().into());
        if let Some(image) = self.image(inst.image.as_ref().or(inst.logo.as_ref())) {
            v.insert("image".into(), image);
        }
        if let Some(logo) = self.image(inst.logo.as_ref()) {
            v.insert("logo".into(), logo);
        }
        match &inst.website {
            Some(w) => {
                v.insert("url".into(), w.as_str().into());
                v.insert("sameAs".into(), w.as_str().into());
            }
            None => {
                v.insert("url".into(), page.into());
            }
        }
        let mut address = Map::new();
        if let Some(city) = inst.city.get(code) {
            address.insert("addressLocality".into(), city.as_str().into());
        }
        if let Some(region) = inst.region.get(code) {
            address.insert("addressRegion".into(), region.as_str().into());
        }
        if !address.is_empty() {
            address.insert("@type".into(), "PostalAddress".into());
            v.insert("address".into(), Value::Object(address));
        }
        let coordinates = inst.locations.iter().find_map(|l| l.lat.zip(l.lon));
        if let Some((lat, lon)) = coordinates {
            v.insert(
                "geo".into(),
                json!({"@type": "GeoCoordinates", "latitude": lat, "longitude": lon}),
            );
        }
        if let Some(beds) = beds(&inst.facts, code) {
            v.insert("numberOfBeds".into(), beds.into());
        }
        Value::Object(v)
    }

    /// A partnership's events (signed, milestones, ended) as a list of `Event`s;
    /// `None` when it has none.
    pub(super) fn partnership(&self, i: usize) -> Option<Value> {
        let id = PartnershipId(i);
        let p = &self.site.partnerships[i];
        let url = self
            .routes
            .permalink(&self.routes.partnership(self.code(), &p.id));
        let events = self.site.timeline_index.partnerships[id.0]
            .iter()
            .map(|&e| &self.site.timeline[e]);
        self.event_list(p.title.get(self.code()), &url, events)
    }

    /// Every partnership event of the site, oldest first, as a list of `Event`s.
    pub(super) fn timeline(&self, title: &str) -> Option<Value> {
        let url = self.routes.permalink(&self.routes.timeline(self.code()));
        self.event_list(title, &url, self.site.timeline.iter())
    }

    fn event_list<'e>(
        &self,
        name: &str,
        url: &str,
        events: impl Iterator<Item = &'e TimelineEvent>,
    ) -> Option<Value> {
        let items: Vec<Value> = events
            .filter(|e| !e.kind.is_release())
            .filter_map(|e| self.event(e))
            .enumerate()
            .map(|(n, item)| json!({"@type": "ListItem", "position": n + 1, "item": item}))
            .collect();
        (!items.is_empty()).then(|| {
            json!({
                "@context": CONTEXT,
                "@type": "ItemList",
                "name": name,
                "url": url,
                "numberOfItems": items.len(),
                "itemListElement": items,
            })
        })
    }

    /// One partnership event as an `Event` with the partners as organisers.
    fn event(&self, e: &TimelineEvent) -> Option<Value> {
        let code = self.code();
        let p = &self.site.partnerships[e.partnership()?.0];
        let title = p.title.get(code);
        let name = match e.kind {
            TimelineEventKind::Milestone { milestone, .. } => {
                p.events.get(milestone)?.title.get(code).clone()
            }
            TimelineEventKind::Signed { .. } => {
                format!("{}: {title}", self.lang.t("event.signed"))
            }
            TimelineEventKind::Ended { .. } => format!("{}: {title}", self.lang.t("event.ended")),
            TimelineEventKind::Release { .. } => return None,
        };
        let organizers: Vec<Value> = p
            .partners
            .iter()
            .map(|&x| self.institution_ref(x))
            .collect();
        Some(json!({
            "@type": "Event",
            "name": name,
            "startDate": e.date.to_string(),
            "url": self.routes.permalink(&self.routes.partnership(code, &p.id)),
            "organizer": organizers,
        }))
    }
}

/// The number of beds when a `beds` fact gives it as a number (approximate is fine,
/// a lower bound is not).
fn beds(facts: &[Fact], lang: &str) -> Option<u64> {
    let fact = facts.iter().find(|f| f.key == "beds" && !f.over)?;
    match fact.value.get(lang) {
        FactValue::Number(n) if *n >= 0.0 && n.fract() == 0.0 && *n < 1e15 => Some(*n as u64),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_the_script_element() {
        let value = json!({"headline": "A </script><!-- & <b>bold</b> -->"});
        let text = script_json(&value);
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'));
        assert!(text.contains(r"\u003c/script\u003e\u003c!-- \u0026"));
        let back: Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(back, value);
    }

    #[test]
    fn script_json_keeps_other_text_and_sorts_keys() {
        let value = json!({"b": "Größe \"x\"", "a": 1});
        assert_eq!(script_json(&value), r#"{"a":1,"b":"Größe \"x\""}"#);
    }

    #[test]
    fn locales_and_types() {
        assert_eq!(og_locale("de"), "de_DE");
        assert_eq!(og_locale("en"), "en_US");
        assert_eq!(og_locale("fr"), "fr_FR");
        assert_eq!(og_locale("pt-BR"), "pt_BR");
        assert_eq!(
            institution_type(InstitutionKind::UniversityHospital),
            "Hospital"
        );
        assert_eq!(institution_type(InstitutionKind::Hospital), "Hospital");
        assert_eq!(
            institution_type(InstitutionKind::PublicBody),
            "GovernmentOrganization"
        );
        assert_eq!(institution_type(InstitutionKind::Research), "Organization");
        assert_eq!(institution_type(InstitutionKind::Other), "Organization");
    }
}
