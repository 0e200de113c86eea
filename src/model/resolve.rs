//! Raw → model: checks every id and reference, merges translations, derives topics,
//! back-links and the timeline. Each problem becomes a located diagnostic and the
//! offending item is skipped or defaulted, so one run reports all of them.

mod checks;

use crate::diagnostics::Code;
use checks::after;

use super::values;
use super::*;
use crate::content::raw::*;
use crate::content::{RawDoc, RawSite};
use crate::diagnostics::{Diagnostic, nearest};
use crate::model::dates::{parse_embargo, parse_full, parse_partial};
use crate::slug::slugify;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What the command line changes about resolution.
#[derive(Debug, Clone, Default)]
pub struct ResolveOptions {
    /// Include releases and pages marked `draft: true`.
    pub drafts: bool,
    /// Replaces `base_url` from site.yaml (previews on another host or sub-path).
    pub base_url: Option<String>,
    /// Replaces only the scheme and host of the base URL (the local preview server).
    pub local_origin: Option<String>,
    /// The moment embargoes are compared with, passed in so resolution stays pure
    /// (`lib.rs` reads the clock once per build). `None`: no embargo has lifted.
    pub now: Option<jiff::Timestamp>,
}

const INSTITUTION_KINDS: [&str; 5] = [
    "university-hospital",
    "hospital",
    "research",
    "public-body",
    "other",
];
const PARTNERSHIP_KINDS: [&str; 4] = [
    "strategic-partnership",
    "framework-agreement",
    "cooperation",
    "network",
];
/// The largest figure a fact may state: every whole number up to it is exact in an
/// `f64` and formats without rounding (a quadrillion is far beyond any bed count).
const MAX_FACT_VALUE: f64 = 1e15;
const STATUSES: [&str; 3] = ["planned", "active", "ended"];

/// Resolves `raw`. Returns `None` only when site.yaml is unusable (no URLs can be made).
pub fn resolve(raw: RawSite, opts: &ResolveOptions) -> (Option<Site>, Vec<Diagnostic>) {
    let mut r = Resolver {
        diags: Vec::new(),
        opts,
        left_out: BTreeMap::new(),
    };
    let site = r.site(raw);
    (site, r.diags)
}

struct Resolver<'a> {
    diags: Vec<Diagnostic>,
    opts: &'a ResolveOptions,
    left_out: BTreeMap<String, LeftOut>,
}

/// The institutions a release concerns, for its `contacts` and quote authors.
struct Concerned<'a> {
    institutions: &'a [usize],
    /// False when a partnership or partner it names has errors of its own.
    all_known: bool,
}

/// Ids known so far, for references and did-you-mean suggestions.
#[derive(Default)]
struct Index {
    institutions: HashMap<String, InstitutionId>,
    partnerships: HashMap<String, PartnershipId>,
    releases: HashMap<String, ReleaseId>,
    drafts: BTreeSet<String>,
}

fn unknown(
    kind: &str,
    wanted: &str,
    known: impl IntoIterator<Item = impl AsRef<str>>,
) -> (String, Option<String>) {
    let known: Vec<String> = known.into_iter().map(|k| k.as_ref().to_owned()).collect();
    let help =
        nearest(wanted, known.iter().map(String::as_str)).map(|n| format!("did you mean `{n}`?"));
    (format!("unknown {kind} `{wanted}`"), help)
}

impl Resolver<'_> {
    /// A file that exists but has errors of its own: references to it are not
    /// reported again.
    fn is_invalid(&self, folder: &str, id: &str) -> bool {
        self.left_out.get(&format!("{folder}/{id}")) == Some(&LeftOut::Invalid)
    }

    fn error(
        &mut self,
        src: &SourceFile,
        code: Code,
        at: usize,
        msg: impl Into<String>,
        help: Option<String>,
    ) {
        let mut d = src.error_at(code, at, msg);
        d.help = help;
        self.diags.push(d);
    }

    fn warn(
        &mut self,
        src: &SourceFile,
        code: Code,
        at: usize,
        msg: impl Into<String>,
        help: Option<String>,
    ) {
        let mut d = src.warning_at(code, at, msg);
        d.help = help;
        self.diags.push(d);
    }

    fn site(&mut self, raw: RawSite) -> Option<Site> {
        for key in &raw.broken {
            self.left_out.insert(key.clone(), LeftOut::Invalid);
        }
        let config = self.config(&raw)?;
        let known_facts: BTreeSet<String> = raw
            .theme
            .i18n
            .get(&config.default_language)
            .map(|i| {
                i.strings
                    .keys()
                    .filter_map(|k| k.strip_prefix("fact."))
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        let mut index = Index::default();

        let mut institutions = Vec::new();
        let mut pending_inst_facts = Vec::new();
        for doc in raw.institutions {
            let key = format!("institutions/{}", doc.id);
            if let Some((inst, facts, src)) = self.institution(doc) {
                index
                    .institutions
                    .insert(inst.id.clone(), InstitutionId(institutions.len()));
                institutions.push(inst);
                pending_inst_facts.push((facts, src));
            } else {
                self.left_out.insert(key, LeftOut::Invalid);
            }
        }

        let mut partnerships = Vec::new();
        let mut pending_ps = Vec::new();
        for doc in raw.partnerships {
            let key = format!("partnerships/{}", doc.id);
            if let Some((p, raw_p, src)) = self.partnership(doc, &index) {
                index
                    .partnerships
                    .insert(p.id.clone(), PartnershipId(partnerships.len()));
                partnerships.push(p);
                pending_ps.push((raw_p, src));
            } else {
                self.left_out.insert(key, LeftOut::Invalid);
            }
        }

        let mut releases = Vec::new();
        let mut release_topics = Vec::new();
        let mut next_embargo = None;
        for doc in raw.releases {
            let key = format!("news/{}", doc.id);
            if doc.front.draft && !self.opts.drafts {
                index.drafts.insert(doc.id.clone());
                self.left_out.insert(key, LeftOut::Draft);
                continue;
            }
            let embargo = match self.embargo(&doc, &config.timezone) {
                Ok(e) => e,
                Err(()) => {
                    self.left_out.insert(key, LeftOut::Invalid);
                    continue;
                }
            };
            let embargoed = embargo.filter(|&t| self.opts.now.is_none_or(|now| now < t));
            if let Some(t) = embargoed
                && !doc.front.draft
                && next_embargo
                    .as_ref()
                    .is_none_or(|(id, n): &(String, jiff::Timestamp)| (t, &doc.id) < (*n, id))
            {
                next_embargo = Some((doc.id.clone(), t));
            }
            if embargoed.is_some() && !self.opts.drafts {
                index.drafts.insert(doc.id.clone());
                self.left_out.insert(key, LeftOut::Embargoed);
                continue;
            }
            if let Some((mut rel, topics)) = self.release(doc, &index, &institutions, &partnerships)
            {
                rel.embargoed_until = embargoed;
                releases.push(rel);
                release_topics.push(topics);
            } else {
                self.left_out.insert(key, LeftOut::Invalid);
            }
        }
        let mut order: Vec<usize> = (0..releases.len()).collect();
        order.sort_by(|&a, &b| {
            (releases[b].date, &releases[b].id).cmp(&(releases[a].date, &releases[a].id))
        });
        let mut sorted = Vec::with_capacity(releases.len());
        let mut sorted_topics = Vec::with_capacity(releases.len());
        let mut slots: Vec<Option<(Release, Vec<String>)>> =
            releases.into_iter().zip(release_topics).map(Some).collect();
        for i in order {
            let (rel, topics) = slots[i].take().expect("each index once");
            sorted.push(rel);
            sorted_topics.push(topics);
        }
        let mut releases = sorted;
        self.check_slugs(&releases);
        for (i, r) in releases.iter().enumerate() {
            index.releases.insert(r.id.clone(), ReleaseId(i));
        }

        for (inst, (facts, src)) in institutions.iter_mut().zip(&pending_inst_facts) {
            inst.facts = self.facts(facts, src, &index, &known_facts);
        }
        for (p, (raw_p, src)) in partnerships.iter_mut().zip(&pending_ps) {
            p.facts = self.facts(&raw_p.facts, src, &index, &known_facts);
        }

        let mut pages = self.pages(raw.pages, &config.languages);

        let langs: BTreeSet<&str> = config
            .languages
            .iter()
            .skip(1)
            .map(String::as_str)
            .collect();
        let mut focus_tr: HashMap<(usize, String), Vec<String>> = HashMap::new();
        let mut topics_tr: HashMap<(usize, String), Vec<String>> = HashMap::new();
        for doc in raw.institution_translations {
            if let Some((i, lang)) = self.translation_target(
                &doc,
                &index.institutions,
                &langs,
                &config.default_language,
                "institution",
                |i| i.0,
            ) {
                self.translate_institution(&mut institutions[i], doc, lang);
            }
        }
        for doc in raw.partnership_translations {
            if let Some((i, lang)) = self.translation_target(
                &doc,
                &index.partnerships,
                &langs,
                &config.default_language,
                "partnership",
                |p| p.0,
            ) && let Some(f) =
                self.translate_partnership(&mut partnerships[i], &pending_ps[i].0, doc, &lang)
            {
                focus_tr.insert((i, lang), f);
            }
        }
        for doc in raw.release_translations {
            if index.drafts.contains(&doc.id) {
                continue;
            }
            if let Some((i, lang)) = self.translation_target(
                &doc,
                &index.releases,
                &langs,
                &config.default_language,
                "release",
                |r| r.0,
            ) && let Some(t) =
                self.translate_release(&mut releases[i], sorted_topics[i].len(), doc, &lang)
            {
                topics_tr.insert((i, lang), t);
            }
        }
        let page_index: HashMap<String, usize> = pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.clone(), i))
            .collect();
        for mut doc in raw.page_translations {
            if let Some((i, lang)) = self.translation_target(
                &doc,
                &page_index,
                &langs,
                &config.default_language,
                "page",
                |p| *p,
            ) {
                let title = self.translated_text(&doc.source, "title", doc.front.title.take());
                let page = &mut pages[i];
                if let Some(t) = title {
                    page.title.translations.insert(lang.clone(), t);
                }
                page.summary.translations.insert(
                    lang.clone(),
                    doc.front.summary.or_else(|| page.summary.base.clone()),
                );
                page.body
                    .translations
                    .insert(lang, Body { source: doc.source });
            }
        }

        let named: Vec<(&SourceFile, &'static str, &[String])> = pending_ps
            .iter()
            .map(|(p, src)| (&**src, "focus", p.focus.as_slice()))
            .chain(
                releases
                    .iter()
                    .zip(&sorted_topics)
                    .map(|(r, t)| (&*r.body.base.source, "topics", t.as_slice())),
            )
            .collect();
        self.check_topic_names(&named);
        let topics = assign_topics(
            &mut partnerships,
            pending_ps.iter().map(|(p, _)| p.focus.clone()).collect(),
            &focus_tr,
            &mut releases,
            sorted_topics,
            &topics_tr,
        );
        link_both_ways(&mut institutions, &mut partnerships, &releases);
        let timeline = timeline::build(&partnerships, &releases);
        let timeline_index = timeline::TimelineIndex::new(
            &timeline,
            institutions.len(),
            partnerships.len(),
            topics.len(),
        );
        let today = self
            .opts
            .now
            .map(|t| t.to_zoned_datetime(config.timezone.clone()).date());
        Some(Site {
            config,
            institutions,
            partnerships,
            releases,
            pages,
            topics,
            timeline,
            timeline_index,
            static_files: raw.static_files,
            theme: raw.theme,
            left_out: std::mem::take(&mut self.left_out),
            next_embargo,
            today,
        })
    }

    fn config(&mut self, raw: &RawSite) -> Option<Config> {
        let Some(src) = raw.config_source.as_ref() else {
            self.diags.push(
                Diagnostic::error(
                    Code::NoConfig,
                    "content/site.yaml",
                    "missing `content/site.yaml`",
                )
                .with_help("create it with at least `title:` and `base_url:`"),
            );
            return None;
        };
        if raw.config_broken {
            return None;
        }
        let c = &raw.config;
        let title = c
            .title
            .clone()
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| {
                self.error(
                    src,
                    Code::MissingField,
                    0,
                    "missing required field `title`",
                    Some("add `title: <site title>`".into()),
                );
                String::new()
            });
        let (base_url, base_path) = self.base_url(src, c.base_url.as_deref());
        let base_url = match &self.opts.local_origin {
            Some(origin) => format!("{}{base_path}", origin.trim_end_matches('/')),
            None => base_url,
        };
        let (default_language, others) = match &c.languages {
            Some(l) => (l.default.clone(), l.others.clone()),
            None => ("de".to_owned(), Vec::new()),
        };
        let mut languages = vec![default_language.clone()];
        for lang in others {
            if !languages.contains(&lang) {
                languages.push(lang);
            }
        }
        let available: Vec<&String> = raw.theme.i18n.keys().collect();
        let mut usable = true;
        for lang in &languages {
            if !raw.theme.i18n.contains_key(lang) {
                let at = src.locate("languages", lang);
                let list = available
                    .iter()
                    .map(|l| format!("`{l}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                self.error(
                    src,
                    Code::UnknownLanguage,
                    at,
                    format!("unknown language `{lang}`: the theme has no `i18n/{lang}.yaml`"),
                    Some(format!("languages with interface strings: {list}")),
                );
                usable = false;
            }
        }
        if !crate::slug::is_valid_id(&raw.theme.name) {
            let at = src.locate_value("theme");
            self.error(
                src,
                Code::InvalidTheme,
                at,
                format!(
                    "`theme: {}` is not a theme name",
                    raw.theme.name.escape_debug()
                ),
                Some(
                    "a theme is a folder name under `themes/` in lowercase letters, digits and `-` \
                     (e.g. `theme: klinikum`), or `default` for the built-in theme"
                        .into(),
                ),
            );
        } else if !raw.theme.in_site && raw.theme.name != "default" {
            let at = src.locate("theme", &raw.theme.name);
            self.error(
                src,
                Code::UnknownTheme,
                at,
                format!(
                    "theme `{}` not found: there is no `themes/{}/`",
                    raw.theme.name, raw.theme.name
                ),
                Some("use `theme: default` (built in) or create the theme folder".into()),
            );
        }
        let timezone_name = c.timezone.clone().unwrap_or_else(|| "UTC".to_owned());
        let timezone = match jiff::tz::TimeZone::get(&timezone_name) {
            Ok(tz) => tz,
            Err(_) => {
                let at = src.locate("timezone", &timezone_name);
                self.error(
                    src,
                    Code::UnknownTimezone,
                    at,
                    format!("unknown time zone `{timezone_name}`"),
                    Some("use an IANA name such as `Europe/Berlin`".into()),
                );
                jiff::tz::TimeZone::UTC
            }
        };
        let mut title_l = Localized::new(title);
        let mut description = Localized::new(c.description.clone().unwrap_or_default());
        for (lang, t) in &c.translations {
            if !languages[1..].contains(lang) {
                let at = src.locate("translations", lang);
                self.error(
                    src,
                    Code::UnknownLanguage,
                    at,
                    format!("translation for `{lang}`, which is not among `languages.others`"),
                    None,
                );
                continue;
            }
            if let Some(v) = &t.title {
                title_l.translations.insert(lang.clone(), v.clone());
            }
            if let Some(v) = &t.description {
                description.translations.insert(lang.clone(), v.clone());
            }
        }
        let news_per_page = c.news_per_page.unwrap_or(10);
        if news_per_page == 0 {
            let at = src.locate_key("news_per_page");
            self.error(
                src,
                Code::InvalidValue,
                at,
                "`news_per_page` must be at least 1",
                None,
            );
        }
        usable.then(|| Config {
            title: title_l,
            description,
            base_url,
            base_path,
            default_language,
            languages,
            timezone,
            timezone_name,
            raw_html: c.markdown.as_ref().is_some_and(|m| m.raw_html),
            news_per_page: news_per_page.max(1),
            extra: self.extra(src, c.extra.clone()),
        })
    }

    fn required<T: Clone>(
        &mut self,
        src: &SourceFile,
        field: &str,
        value: &Option<T>,
    ) -> Option<T> {
        if value.is_none() {
            self.error(
                src,
                Code::MissingField,
                src.front_matter.start,
                format!("missing required field `{field}`"),
                Some(format!("add `{field}:` to the front matter")),
            );
        }
        value.clone()
    }

    /// A required text that also must not be blank: an empty title would publish a
    /// page without a heading and a feed entry without a title.
    fn required_text(
        &mut self,
        src: &SourceFile,
        field: &str,
        value: &Option<String>,
    ) -> Option<String> {
        let text = self.required(src, field, value)?;
        self.non_blank(
            src,
            field,
            text,
            format!("write the {field} after `{field}:`"),
        )
    }

    /// `text`, unless it is blank: then an error at `field` with `help`.
    fn non_blank(
        &mut self,
        src: &SourceFile,
        field: &str,
        text: String,
        help: String,
    ) -> Option<String> {
        if !text.trim().is_empty() {
            return Some(text);
        }
        let at = src.locate_key(field);
        self.error(
            src,
            Code::MissingField,
            at,
            format!("`{field}` is empty"),
            Some(help),
        );
        None
    }

    /// A translation's title or name: absent keeps the original; blank is an error
    /// (the page would have no heading in that language).
    fn translated_text(
        &mut self,
        src: &SourceFile,
        field: &str,
        value: Option<String>,
    ) -> Option<String> {
        let help =
            format!("write the translated {field}, or remove `{field}:` to show the original");
        self.non_blank(src, field, value?, help)
    }

    fn one_of(
        &mut self,
        src: &SourceFile,
        field: &str,
        value: Option<&String>,
        allowed: &[&str],
        default: &str,
    ) -> String {
        let Some(v) = value else {
            return default.to_owned();
        };
        if allowed.contains(&v.as_str()) {
            return v.clone();
        }
        let at = src.locate(field, v);
        let help = match nearest(v, allowed.iter().copied()) {
            Some(n) => format!("did you mean `{n}`?"),
            None => format!("one of: {}", allowed.join(", ")),
        };
        self.error(
            src,
            Code::InvalidValue,
            at,
            format!("`{v}` is not a valid `{field}`"),
            Some(help),
        );
        default.to_owned()
    }

    fn date(&mut self, src: &SourceFile, field: &str, value: &Scalar) -> Option<Date> {
        parse_full(value)
            .map_err(|e| {
                let at = src.locate(field, &value.as_text());
                let help = e
                    .contains("not a date")
                    .then(|| "write dates as YYYY-MM-DD".to_owned());
                self.error(src, Code::InvalidDate, at, e, help);
            })
            .ok()
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
            self.error(
                &doc.source,
                Code::InvalidDate,
                at,
                e,
                Some(
                    "write `embargo: 2026-12-01T10:00:00+01:00` (date, time, offset from UTC), or a date `2026-12-01` for midnight in the site's time zone"
                        .into(),
                ),
            );
        })
    }

    fn institution(
        &mut self,
        doc: RawDoc<RawInstitution>,
    ) -> Option<(Institution, Vec<RawFact>, Arc<SourceFile>)> {
        let source = doc.source.clone();
        let src = &*source;
        let f = &doc.front;
        let name = self.required_text(src, "name", &f.name);
        let kind = self.one_of(src, "kind", f.kind.as_ref(), &INSTITUTION_KINDS, "other");
        let facts = f.facts.clone();
        let source_copy = doc.source.clone();
        let f = doc.front;
        Some((
            Institution {
                id: doc.id,
                name: Localized::new(name?),
                short_name: Localized::new(f.short_name),
                aliases: f.aliases,
                kind,
                city: f.city,
                region: f.region,
                website: f
                    .website
                    .as_ref()
                    .and_then(|w| self.checked(src, "website", w, values::web_address)),
                locations: self.locations(src, f.locations),
                facts: Vec::new(),
                people: Localized::new(self.people(src, f.people)),
                boilerplate: Localized::new(f.boilerplate),
                profile: Localized::new(Body { source: doc.source }),
                extra: self.extra(src, f.extra),
                partnerships: Vec::new(),
                releases: Vec::new(),
                partners: Vec::new(),
            },
            facts,
            source_copy,
        ))
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
                None if self.is_invalid("institutions", id) => {}
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
        let kind = self.one_of(
            src,
            "kind",
            f.kind.as_ref(),
            &PARTNERSHIP_KINDS,
            "cooperation",
        );
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
        let default_status = if ended.is_some() {
            "ended"
        } else if signed.is_some() {
            "active"
        } else {
            "planned"
        };
        let status = self.one_of(src, "status", f.status.as_ref(), &STATUSES, default_status);
        let mut events = Vec::new();
        for e in &f.events {
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
                body: Localized::new(Body { source: doc.source }),
                extra: self.extra(src, f.extra.clone()),
                releases: Vec::new(),
            },
            f,
            source_copy,
        ))
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
        let Some((file_date, slug)) = split_release_id(&doc.id) else {
            let dated = doc
                .id
                .get(..10)
                .is_some_and(|p| parse_full(&Scalar::Text(p.to_owned())).is_ok());
            let rest = if dated { &doc.id[10..] } else { &doc.id[..] };
            let mut slug = rest.trim_matches('-').to_owned();
            if slug.is_empty() {
                slug = title
                    .as_deref()
                    .map_or_else(|| "meldung".to_owned(), slugify);
            }
            let message = if dated {
                format!("`{}` has a date but no name after it", doc.id)
            } else {
                format!("`{}` does not start with a date", doc.id)
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
        let mut partners = BTreeSet::new();
        let mut partnership = None;
        if let Some(pid) = &f.partnership {
            match index.partnerships.get(pid) {
                Some(&p) => {
                    partnership = Some(p);
                    partners.extend(partnerships[p.0].partners.iter().map(|i| i.0));
                }
                None if self.is_invalid("partnerships", pid) => {}
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
                None if self.is_invalid("institutions", id) => {}
                None => {
                    let (msg, help) = unknown("institution", id, index.institutions.keys());
                    let at = src.locate("partners", id);
                    self.error(src, Code::UnknownId, at, msg, help);
                }
            }
        }
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
        let concerned: Vec<usize> = partners.iter().copied().collect();
        // With a broken partnership or partner, the concerned institutions are not all
        // known: an unknown person would be a follow-up error, not one of its own.
        let all_known = f
            .partnership
            .as_deref()
            .is_none_or(|p| !self.is_invalid("partnerships", p))
            && f.partners
                .iter()
                .all(|p| !self.is_invalid("institutions", p));
        let concerned = Concerned {
            institutions: &concerned,
            all_known,
        };
        let contacts = f
            .contacts
            .iter()
            .filter_map(|c| self.person_ref(src, "contacts", c, institutions, &concerned))
            .collect();
        let quotes = f
            .quotes
            .iter()
            .filter_map(|q| {
                self.person_ref(src, "by", &q.by, institutions, &concerned)
                    .map(|by| Quote {
                        by,
                        text: q.text.clone(),
                    })
            })
            .collect();
        let (title, date) = (title?, date?);
        let topics = f.topics.clone();
        let f = doc.front;
        Some((
            Release {
                slug: slug.to_owned(),
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
                extra: self.extra(src, f.extra),
            },
            topics,
        ))
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
        if self.is_invalid("institutions", institution) || !concerned.all_known {
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

    fn release_source(&mut self, src: &SourceFile, s: &RawReleaseSource) -> ReleaseSource {
        let date = s.date.as_ref().and_then(|d| match parse_partial(d) {
            Ok(p) => Some(p.to_string()),
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
                        "`{}` and `{}` both publish at /news/{}/",
                        first.id, r.id, r.slug
                    ),
                    Some("change the part of one file name after the date".into()),
                );
            } else {
                seen.insert(&r.slug, r);
            }
        }
    }

    fn facts(
        &mut self,
        raw: &[RawFact],
        src: &SourceFile,
        index: &Index,
        known: &BTreeSet<String>,
    ) -> Vec<Fact> {
        let mut out = Vec::new();
        for f in raw {
            if f.label.is_none() && !known.contains(&f.key) {
                let at = src.locate("key", &f.key);
                let (msg, help) = unknown("fact key", &f.key, known);
                self.error(
                    src,
                    Code::UnknownFactKey,
                    at,
                    format!("{msg} without a `label`"),
                    Some(help.map_or_else(
                        || "add `label:` to name the figure".to_owned(),
                        |h| format!("{h} Or add `label:` to name the figure"),
                    )),
                );
                continue;
            }
            let as_of = f.as_of.as_ref().and_then(|d| match parse_partial(d) {
                Ok(p) => Some(p),
                Err(msg) => {
                    let at = src.locate("as_of", &d.as_text());
                    self.error(src, Code::InvalidDate, at, msg, None);
                    None
                }
            });
            if f.as_of.is_none() {
                let at = src.locate("key", &f.key);
                self.warn(
                    src,
                    Code::FactWithoutDate,
                    at,
                    format!("fact `{}` has no `as_of`", f.key),
                    Some("add `as_of: YYYY-MM` so readers know how current it is".into()),
                );
            }
            let source = match &f.source {
                None => {
                    let at = src.locate("key", &f.key);
                    self.warn(
                        src,
                        Code::FactWithoutSource,
                        at,
                        format!("fact `{}` has no `source`", f.key),
                        Some("add `source:` with a release id or a URL".into()),
                    );
                    None
                }
                Some(s) if s.contains(':') || s.starts_with("//") => self
                    .checked(src, "source", s, values::web_address)
                    .map(FactSource::Url),
                Some(s) => match index.releases.get(s) {
                    Some(&r) => Some(FactSource::Release(r)),
                    None if self.is_invalid("news", s) => None,
                    None => {
                        let at = src.locate("source", s);
                        let (msg, mut help) = unknown("release", s, index.releases.keys());
                        if index.drafts.contains(s) {
                            help = Some(format!(
                                "`{s}` is a draft; publish it or build with `--drafts`"
                            ));
                        }
                        self.error(src, Code::UnknownId, at, format!("fact source: {msg}"), help.or_else(|| Some("a source is a release id (its file name without `.md`) or an http(s) URL".into())));
                        None
                    }
                },
            };
            let value = match &f.value {
                Scalar::Integer(i) => FactValue::Number(*i as f64),
                Scalar::Float(x) => FactValue::Number(*x),
                Scalar::Text(t) => FactValue::Text(t.clone()),
            };
            if let FactValue::Number(x) = value
                && !(x.is_finite() && x.abs() <= MAX_FACT_VALUE)
            {
                let at = after(src, &f.key, "value");
                self.error(
                    src,
                    Code::InvalidValue,
                    at,
                    format!(
                        "fact `{}`: `{}` is not a figure that can be published",
                        f.key,
                        f.value.as_text()
                    ),
                    Some(format!(
                        "write a number between -{MAX_FACT_VALUE:e} and {MAX_FACT_VALUE:e}, or a short text in quotes"
                    )),
                );
                continue;
            }
            out.push(Fact {
                key: f.key.clone(),
                label: Localized::new(f.label.clone()),
                value: Localized::new(value),
                approx: f.approx,
                over: f.over,
                unit: f.unit.clone(),
                note: Localized::new(f.note.clone()),
                as_of,
                source,
            });
        }
        out
    }

    fn pages(&mut self, docs: Vec<RawDoc<RawPage>>, languages: &[String]) -> Vec<Page> {
        let mut pages = Vec::new();
        for doc in docs {
            let key = format!("pages/{}", doc.id);
            if doc.front.draft && !self.opts.drafts {
                self.left_out.insert(key, LeftOut::Draft);
                continue;
            }
            let src = &doc.source;
            let reserved = if languages.contains(&doc.id) {
                Some("the site's pages in that language")
            } else {
                crate::render::routes::reserved_page(&doc.id)
            };
            if let Some(owner) = reserved {
                self.diags.push(
                    src.error_at(
                        Code::DuplicateUrl,
                        0,
                        format!(
                            "the page id `{}` collides with a generated page: /{}/ holds {owner}",
                            doc.id, doc.id
                        ),
                    )
                    .with_help(format!(
                        "choose another id: rename the file, e.g. `{}-info.md`",
                        doc.id
                    )),
                );
                self.left_out.insert(key, LeftOut::Invalid);
                continue;
            }
            let Some(title) = self.required_text(src, "title", &doc.front.title) else {
                self.left_out.insert(key, LeftOut::Invalid);
                continue;
            };
            let extra = self.extra(&doc.source, doc.front.extra);
            pages.push(Page {
                id: doc.id,
                title: Localized::new(title),
                summary: Localized::new(doc.front.summary),
                weight: doc.front.weight.unwrap_or(0),
                body: Localized::new(Body { source: doc.source }),
                extra,
            });
        }
        pages.sort_by(|a, b| (a.weight, &a.id).cmp(&(b.weight, &b.id)));
        pages
    }

    /// Which original a translation belongs to, or a warning why it is ignored.
    fn translation_target<T, I: Copy>(
        &mut self,
        doc: &RawDoc<T>,
        ids: &HashMap<String, I>,
        langs: &BTreeSet<&str>,
        default_lang: &str,
        kind: &str,
        to_index: impl Fn(&I) -> usize,
    ) -> Option<(usize, String)> {
        let lang = doc.lang.clone()?;
        let src = &doc.source;
        let folder = match kind {
            "institution" => "institutions",
            "partnership" => "partnerships",
            "release" => "news",
            _ => "pages",
        };
        if lang == default_lang {
            self.diags.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    src.path.clone(),
                    format!("a second file for `{}`: `{lang}` is the default language, so `{}.md` is already the `{lang}` version", doc.id, doc.id),
                )
                .with_help(format!("merge this file into `{}.md` and delete it", doc.id)),
            );
            return None;
        }
        if !langs.contains(lang.as_str()) {
            let list: Vec<&str> = langs.iter().copied().collect();
            self.diags.push(
                Diagnostic::warning(
                    Code::UnknownLanguage,
                    src.path.clone(),
                    format!("translation into `{lang}`, which the site does not publish; ignored"),
                )
                .with_help(if list.is_empty() {
                    "add the language under `languages.others` in site.yaml".to_owned()
                } else {
                    format!("the site's other languages: {}", list.join(", "))
                }),
            );
            return None;
        }
        match ids.get(&doc.id) {
            Some(i) => Some((to_index(i), lang)),
            None if self.is_invalid(folder, &doc.id) => None,
            None => {
                let (_, help) = unknown(kind, &doc.id, ids.keys());
                self.diags.push(
                    Diagnostic::warning(
                        Code::OrphanTranslation,
                        src.path.clone(),
                        format!(
                            "translation without an original: there is no {kind} `{}`",
                            doc.id
                        ),
                    )
                    .with_help(
                        help.unwrap_or_else(|| {
                            format!("create `{}.md` or rename this file", doc.id)
                        }),
                    ),
                );
                None
            }
        }
    }

    fn translate_institution(
        &mut self,
        inst: &mut Institution,
        mut doc: RawDoc<RawInstitutionTranslation>,
        lang: String,
    ) {
        if let Some(n) = self.translated_text(&doc.source, "name", doc.front.name.take()) {
            inst.name.translations.insert(lang.clone(), n);
        }
        let f = doc.front;
        inst.short_name.translations.insert(
            lang.clone(),
            f.short_name.or_else(|| inst.short_name.base.clone()),
        );
        for alias in f.aliases {
            if !inst.aliases.contains(&alias) {
                inst.aliases.push(alias);
            }
        }
        self.translate_facts(&mut inst.facts, f.facts, &doc.source, &lang);
        if let Some(b) = f.boilerplate {
            inst.boilerplate.translations.insert(lang.clone(), Some(b));
        }
        if let Some(people) = f.people {
            if people.len() == inst.people.base.len() {
                let people = self.people(&doc.source, people);
                inst.people.translations.insert(lang.clone(), people);
            } else {
                let at = doc.source.locate_key("people");
                self.error(
                    &doc.source,
                    Code::TranslationMismatch,
                    at,
                    format!(
                        "the translation lists {} people, the original {}",
                        people.len(),
                        inst.people.base.len()
                    ),
                    Some("list the same people in the same order".into()),
                );
            }
        }
        inst.profile
            .translations
            .insert(lang, Body { source: doc.source });
    }

    /// Applies a translation's `facts` (same length and order as the original's).
    fn translate_facts(
        &mut self,
        facts: &mut [Fact],
        tr: Option<Vec<RawFactTranslation>>,
        src: &SourceFile,
        lang: &str,
    ) {
        let Some(tr) = tr else { return };
        if tr.len() != facts.len() {
            let at = src.locate_key("facts");
            self.error(
                src,
                Code::TranslationMismatch,
                at,
                format!(
                    "the translation lists {} facts, the original {}",
                    tr.len(),
                    facts.len()
                ),
                Some(
                    "translate every fact, in the same order (`{}` for one that needs nothing)"
                        .into(),
                ),
            );
            return;
        }
        for (fact, t) in facts.iter_mut().zip(tr) {
            if let Some(label) = t.label {
                fact.label.translations.insert(lang.to_owned(), Some(label));
            }
            if let Some(note) = t.note {
                fact.note.translations.insert(lang.to_owned(), Some(note));
            }
            match (t.value, &fact.value.base) {
                (Some(v), FactValue::Text(_)) => {
                    fact.value
                        .translations
                        .insert(lang.to_owned(), FactValue::Text(v));
                }
                (Some(v), FactValue::Number(_)) => {
                    let at = src.locate("value", &v);
                    self.error(
                        src,
                        Code::TranslationMismatch,
                        at,
                        format!("fact `{}` is a number; numbers are formatted per language, not translated", fact.key),
                        Some("remove `value:` here".into()),
                    );
                }
                (None, _) => {}
            }
        }
    }

    /// Returns the translated focus names, applied to topics later.
    fn translate_partnership(
        &mut self,
        p: &mut Partnership,
        raw: &RawPartnership,
        mut doc: RawDoc<RawPartnershipTranslation>,
        lang: &str,
    ) -> Option<Vec<String>> {
        if let Some(t) = self.translated_text(&doc.source, "title", doc.front.title.take()) {
            p.title.translations.insert(lang.to_owned(), t);
        }
        let f = doc.front;
        p.summary.translations.insert(
            lang.to_owned(),
            f.summary.or_else(|| p.summary.base.clone()),
        );
        if let Some(events) = f.events {
            if events.len() == p.events.len() {
                for (m, e) in p.events.iter_mut().zip(events) {
                    m.title.translations.insert(lang.to_owned(), e.title);
                }
            } else {
                let at = doc.source.locate_key("events");
                self.error(
                    &doc.source,
                    Code::TranslationMismatch,
                    at,
                    format!(
                        "the translation lists {} events, the original {}",
                        events.len(),
                        p.events.len()
                    ),
                    Some("translate every event, in the same order".into()),
                );
            }
        }
        self.translate_facts(&mut p.facts, f.facts, &doc.source, lang);
        let focus = f.focus.and_then(|focus| {
            if focus.len() == raw.focus.len() {
                self.translated_topics(&doc.source, "focus", focus)
            } else {
                let at = doc.source.locate_key("focus");
                self.error(
                    &doc.source,
                    Code::TranslationMismatch,
                    at,
                    format!(
                        "the translation lists {} focus topics, the original {}",
                        focus.len(),
                        raw.focus.len()
                    ),
                    Some("translate every topic, in the same order".into()),
                );
                None
            }
        });
        p.body
            .translations
            .insert(lang.to_owned(), Body { source: doc.source });
        focus
    }

    fn translate_release(
        &mut self,
        r: &mut Release,
        topic_count: usize,
        mut doc: RawDoc<RawReleaseTranslation>,
        lang: &str,
    ) -> Option<Vec<String>> {
        if let Some(t) = self.translated_text(&doc.source, "title", doc.front.title.take()) {
            r.title.translations.insert(lang.to_owned(), t);
        }
        let f = doc.front;
        r.summary.translations.insert(
            lang.to_owned(),
            f.summary.or_else(|| r.summary.base.clone()),
        );
        if let Some(s) = &f.source {
            let s = self.release_source(&doc.source, s);
            r.source.translations.insert(lang.to_owned(), Some(s));
        }
        let topics = f.topics.and_then(|t| {
            if t.len() == topic_count {
                self.translated_topics(&doc.source, "topics", t)
            } else {
                let at = doc.source.locate_key("topics");
                self.error(
                    &doc.source,
                    Code::TranslationMismatch,
                    at,
                    format!(
                        "the translation lists {} topics, the original {topic_count}",
                        t.len()
                    ),
                    Some("translate every topic, in the same order".into()),
                );
                None
            }
        });
        r.body
            .translations
            .insert(lang.to_owned(), Body { source: doc.source });
        topics
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

/// Translated topic lists by item (partnership or release index): each topic looks up
/// only its own item's translations instead of scanning all of them.
type TranslationsByItem<'a> = HashMap<usize, Vec<(&'a String, &'a Vec<String>)>>;

fn translations_by_item(tr: &HashMap<(usize, String), Vec<String>>) -> TranslationsByItem<'_> {
    let mut by_item: TranslationsByItem = HashMap::new();
    for ((i, lang), list) in tr {
        by_item.entry(*i).or_default().push((lang, list));
    }
    by_item
}

/// Builds topics from focus areas and release topics (slug-keyed, sorted) and stores
/// each item's topic ids.
fn assign_topics(
    partnerships: &mut [Partnership],
    focus: Vec<Vec<String>>,
    focus_tr: &HashMap<(usize, String), Vec<String>>,
    releases: &mut [Release],
    release_topics: Vec<Vec<String>>,
    topics_tr: &HashMap<(usize, String), Vec<String>>,
) -> Vec<Topic> {
    let mut names: BTreeMap<String, Localized<String>> = BTreeMap::new();
    let (focus_tr, topics_tr) = (
        translations_by_item(focus_tr),
        translations_by_item(topics_tr),
    );
    let mut add = |name: &str, i: usize, k: usize, tr: &TranslationsByItem| {
        let slug = slugify(name);
        let entry = names
            .entry(slug.clone())
            .or_insert_with(|| Localized::new(name.to_owned()));
        for (lang, list) in tr.get(&i).into_iter().flatten() {
            entry
                .translations
                .entry((*lang).clone())
                .or_insert_with(|| list[k].clone());
        }
        slug
    };
    let focus_slugs: Vec<Vec<String>> = focus
        .iter()
        .enumerate()
        .map(|(i, list)| {
            list.iter()
                .enumerate()
                .map(|(k, n)| add(n, i, k, &focus_tr))
                .collect()
        })
        .collect();
    let release_slugs: Vec<Vec<String>> = release_topics
        .iter()
        .enumerate()
        .map(|(i, list)| {
            list.iter()
                .enumerate()
                .map(|(k, n)| add(n, i, k, &topics_tr))
                .collect()
        })
        .collect();
    let ids: HashMap<String, TopicId> = names
        .keys()
        .enumerate()
        .map(|(i, s)| (s.clone(), TopicId(i)))
        .collect();
    let mut topics: Vec<Topic> = names
        .into_iter()
        .map(|(slug, name)| Topic {
            slug,
            name,
            partnerships: Vec::new(),
            releases: Vec::new(),
        })
        .collect();
    for (i, (p, slugs)) in partnerships.iter_mut().zip(focus_slugs).enumerate() {
        p.focus = dedup(slugs.iter().map(|s| ids[s]));
        for t in &p.focus {
            topics[t.0].partnerships.push(PartnershipId(i));
        }
    }
    for (i, (r, slugs)) in releases.iter_mut().zip(release_slugs).enumerate() {
        r.topics = dedup(slugs.iter().map(|s| ids[s]));
        for t in &r.topics {
            topics[t.0].releases.push(ReleaseId(i));
        }
    }
    topics
}

fn dedup<T: PartialEq>(items: impl Iterator<Item = T>) -> Vec<T> {
    let mut out = Vec::new();
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

/// Fills the reverse relations: institution → partnerships, releases, partners;
/// partnership → releases.
fn link_both_ways(
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
