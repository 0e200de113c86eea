//! Raw → model: checks every id and reference, merges translations, derives topics,
//! back-links and the timeline. Each problem becomes a located diagnostic and the
//! offending item is skipped or defaulted, so one run reports all of them.
//!
//! `resolve` only orchestrates; each kind of content is resolved in its own module.

mod checks;
mod config;
mod facts;
mod institutions;
mod media;
mod pages;
mod partnerships;
mod published;
pub(crate) use published::body_media_links;
mod redirects;
mod releases;
mod repeated;
mod segments;
mod topics;
mod translations;

use checks::after;

use super::values;
use super::vocabulary::Term;
use super::*;
use crate::content::raw::*;
use crate::content::{ContentKind, RawDoc, RawSite};
use crate::diagnostics::{Code, Diagnostic, nearest};
use crate::model::dates::{parse_embargo, parse_full, parse_partial};
use crate::slug::slugify;
use media::UseKind;
use partnerships::RawPartnershipFile;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use topics::TopicTranslations;

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
    pub now: Option<crate::model::Now>,
}

/// Resolves `raw`. Returns `None` only when site.yaml is unusable (no URLs can be made).
pub fn resolve(raw: RawSite, opts: &ResolveOptions) -> (Option<Site>, Vec<Diagnostic>) {
    let mut r = Resolver {
        diags: Vec::new(),
        opts,
        left_out: BTreeMap::new(),
        partial_partnerships: HashSet::new(),
        media: media::MediaIndex::default(),
        words: Default::default(),
        now: None,
    };
    let site = r.site(raw);
    (site, r.diags)
}

struct Resolver<'a> {
    diags: Vec<Diagnostic>,
    opts: &'a ResolveOptions,
    left_out: BTreeMap<ContentKey, LeftOut>,
    /// Partnerships that name a partner which is unknown or has errors of its own: the
    /// people of their releases cannot all be checked without follow-up errors.
    partial_partnerships: HashSet<String>,
    /// `content/media/`, its sidecars, and which of its problems are reported.
    media: media::MediaIndex,
    /// The default language's URL words, for messages that name an address.
    words: crate::model::segments::Segments,
    /// `opts.now` as a moment, once the site's time zone is known.
    now: Option<jiff::Timestamp>,
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
    fn is_invalid(&self, kind: ContentKind, id: &str) -> bool {
        self.left_out.get(&ContentKey::new(kind, id)) == Some(&LeftOut::Invalid)
    }

    fn leave_out(&mut self, kind: ContentKind, id: &str, why: LeftOut) {
        self.left_out.insert(ContentKey::new(kind, id), why);
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

    /// The build's moment in the site's time zone `tz`; a `--now` the clocks skip or
    /// show twice is reported at `timezone:` in site.yaml, which makes it ambiguous.
    fn now_in(
        &mut self,
        tz: &jiff::tz::TimeZone,
        config: Option<&SourceFile>,
    ) -> Option<jiff::Timestamp> {
        let now = self.opts.now?;
        match now.moment(tz) {
            Ok(t) => Some(t),
            Err(e) => {
                let message = format!("--now: {}", e.message);
                let d = match config {
                    Some(src) => {
                        src.error_at(Code::InvalidDate, src.locate_key("timezone"), message)
                    }
                    None => Diagnostic::error(Code::InvalidDate, "content/site.yaml", message),
                };
                self.diags.push(Diagnostic {
                    help: Some(e.help),
                    ..d
                });
                None
            }
        }
    }

    fn site(&mut self, mut raw: RawSite) -> Option<Site> {
        let broken = raw.broken.iter().map(|k| (k.clone(), LeftOut::Invalid));
        self.left_out.extend(broken);
        self.media_index(std::mem::take(&mut raw.media));
        let mut config = self.config(&raw)?;
        self.now = self.now_in(&config.timezone, raw.config_source.as_ref());
        if let Some(words) = config.segments.get(&config.default_language) {
            self.words = words.clone();
        }
        if let Some(src) = &raw.config_source {
            let c = &raw.config;
            config.logo =
                (c.logo.as_ref()).and_then(|i| self.image_use(src, "logo", i, UseKind::Logo));
            config.share_image =
                (c.image.as_ref()).and_then(|i| self.image_use(src, "image", i, UseKind::Image));
            config.press_office = (c.press_office.clone()).and_then(|p| self.press_office(src, p));
        }
        self.check_repeated_fields(&raw, &config);
        let known_facts = facts::known_keys(&raw.theme, &config.default_language);
        let mut index = Index::default();
        let (mut institutions, institution_facts) = self.institutions(raw.institutions, &mut index);
        let (mut partnerships, raw_partnerships) = self.partnerships(raw.partnerships, &mut index);
        let releases::Resolved {
            mut releases,
            topics: release_topics,
            next_embargo,
        } = self.releases(
            raw.releases,
            &config.timezone,
            &mut index,
            &institutions,
            &partnerships,
        );
        for (inst, (facts, src)) in institutions.iter_mut().zip(&institution_facts) {
            inst.facts = self.facts(facts, src, &index, &known_facts);
        }
        for (p, (raw_p, src)) in partnerships.iter_mut().zip(&raw_partnerships) {
            p.facts = self.facts(&raw_p.facts, src, &index, &known_facts);
        }
        let mut pages = self.pages(raw.pages, &config.languages, &config.segments);
        let translated_topics = self.translations(
            translations::RawTranslations {
                institutions: raw.institution_translations,
                partnerships: raw.partnership_translations,
                releases: raw.release_translations,
                pages: raw.page_translations,
            },
            translations::Originals {
                institutions: &mut institutions,
                partnerships: &mut partnerships,
                raw_partnerships: &raw_partnerships,
                releases: &mut releases,
                release_topics: &release_topics,
                pages: &mut pages,
            },
            &index,
            &config,
        );
        self.check_topics(&raw_partnerships, &releases, &release_topics);
        let topics = topics::assign(
            &mut partnerships,
            raw_partnerships
                .iter()
                .map(|(p, _)| p.focus.clone())
                .collect(),
            &mut releases,
            release_topics,
            &translated_topics,
        );
        institutions::link_both_ways(&mut institutions, &mut partnerships, &releases);
        let timeline = timeline::build(&partnerships, &releases);
        let timeline_index = timeline::TimelineIndex::new(
            &timeline,
            institutions.len(),
            partnerships.len(),
            topics.len(),
        );
        let today = (self.now).map(|t| t.to_zoned_datetime(config.timezone.clone()).date());
        let media = self.published_media(published::Users {
            config: &config,
            institutions: &institutions,
            partnerships: &partnerships,
            releases: &releases,
            pages: &pages,
        });
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
            media: media.files,
            media_documents: media.documents,
            media_uses: media.uses,
            media_known: media.known,
            media_refused: media.refused,
            media_scans: media.scans,
            theme: raw.theme,
            left_out: std::mem::take(&mut self.left_out),
            next_embargo,
            today,
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

    /// The term `value` spells, else `default`: an unknown spelling is an error at the
    /// value with the nearest spelling (or all of them) as help.
    fn one_of<T: Term>(
        &mut self,
        src: &SourceFile,
        field: &str,
        value: Option<&String>,
        default: T,
    ) -> T {
        let Some(v) = value else {
            return default;
        };
        T::parse(v).unwrap_or_else(|help| {
            let at = src.locate(field, v);
            self.error(
                src,
                Code::InvalidValue,
                at,
                format!("`{v}` is not a valid `{field}`"),
                Some(help),
            );
            default
        })
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
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolver(opts: &ResolveOptions) -> Resolver<'_> {
        Resolver {
            diags: Vec::new(),
            opts,
            left_out: BTreeMap::new(),
            partial_partnerships: HashSet::new(),
            media: media::MediaIndex::default(),
            words: Default::default(),
            now: None,
        }
    }

    fn source(front: &str) -> SourceFile {
        let text = format!("---\n{front}---\nBody\n");
        SourceFile::split("content/institutions/x.md".into(), text).unwrap()
    }

    #[test]
    fn a_term_is_read_from_its_spelling_and_defaults_when_absent() {
        let opts = ResolveOptions::default();
        let mut r = resolver(&opts);
        let src = source("kind: public-body\n");
        let given = Some("public-body".to_owned());
        let kind = r.one_of(&src, "kind", given.as_ref(), InstitutionKind::Other);
        assert_eq!(kind, InstitutionKind::PublicBody);
        let status = r.one_of(&src, "status", None, PartnershipStatus::Planned);
        assert_eq!(status, PartnershipStatus::Planned);
        assert!(r.diags.is_empty());
    }

    #[test]
    fn an_unknown_term_is_an_error_at_its_value_with_the_nearest_spelling() {
        let opts = ResolveOptions::default();
        let mut r = resolver(&opts);
        let src = source("name: X\nkind: univerity-hospital\n");
        let given = Some("univerity-hospital".to_owned());
        let kind = r.one_of(&src, "kind", given.as_ref(), InstitutionKind::Other);
        assert_eq!(kind, InstitutionKind::Other);
        let [d] = &r.diags[..] else {
            panic!("one diagnostic: {:?}", r.diags)
        };
        assert_eq!(d.code, "invalid-value");
        assert_eq!((d.line, d.column), (3, 7));
        assert_eq!(d.message, "`univerity-hospital` is not a valid `kind`");
        assert_eq!(
            d.help.as_deref(),
            Some("did you mean `university-hospital`?")
        );
    }

    #[test]
    fn an_unknown_term_far_from_all_lists_them() {
        let opts = ResolveOptions::default();
        let mut r = resolver(&opts);
        let src = source("status: xyzzy-quux\n");
        let given = Some("xyzzy-quux".to_owned());
        let status = r.one_of(&src, "status", given.as_ref(), PartnershipStatus::Active);
        assert_eq!(status, PartnershipStatus::Active);
        assert_eq!(
            r.diags[0].help.as_deref(),
            Some("one of: planned, active, ended")
        );
    }
}
