//! The resolved site: every id checked, every reference an index, every relation known
//! in both directions.
//!
//! `resolve` turns a `RawSite` into a [`Site`] plus diagnostics. The model does no I/O
//! and knows nothing of URLs or templates; `render` derives those from it. Collections
//! are sorted once here (releases newest first, timeline oldest first, everything else
//! by id) so every later stage iterates deterministically.

pub(crate) mod dates;
pub(crate) mod media;
mod now;
mod resolve;
pub(crate) mod segments;
pub(crate) mod timeline;
mod values;
pub(crate) mod vocabulary;

use crate::content::{ContentKey, RawTheme, SourceFile, StaticFile};
pub(crate) use dates::PartialDate;
use jiff::civil::Date;
pub(crate) use media::{
    ImageUse, MediaDocument, MediaFile, MediaId, MediaRights, MediaRole, MediaUser, MediaUses,
};
pub use now::Now;
pub(crate) use resolve::body_media_links;
pub use resolve::{ResolveOptions, resolve};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;
pub(crate) use timeline::{TimelineEvent, TimelineEventKind, TimelineIndex};
pub use values::base_url;
pub(crate) use values::dialable;
pub(crate) use vocabulary::{Article, InstitutionKind, PartnershipKind, PartnershipStatus};

/// A value in the default language with optional translations; reading a language
/// without a translation falls back to the default.
#[derive(Debug, Clone, Default)]
pub(crate) struct Localized<T> {
    pub(crate) base: T,
    pub(crate) translations: BTreeMap<String, T>,
}

impl<T> Localized<T> {
    pub(crate) fn new(base: T) -> Self {
        Self {
            base,
            translations: BTreeMap::new(),
        }
    }

    pub(crate) fn get(&self, lang: &str) -> &T {
        self.translations.get(lang).unwrap_or(&self.base)
    }

    pub(crate) fn is_translated(&self, lang: &str) -> bool {
        self.translations.contains_key(lang)
    }
}

/// Markdown text with the file it came from, so rendering can locate broken links.
#[derive(Debug, Clone)]
pub(crate) struct Body {
    pub(crate) source: Arc<SourceFile>,
}

impl Body {
    pub(crate) fn markdown(&self) -> &str {
        self.source.body()
    }
}

/// An old address of a page (`redirect_from:`): a route, and where it is written in
/// the page's file.
#[derive(Debug, Clone)]
pub(crate) struct Alias {
    pub(crate) route: String,
    pub(crate) at: usize,
}

/// The validated `site.yaml`.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    pub(crate) title: Localized<String>,
    pub(crate) description: Localized<String>,
    /// Absolute, always ending in `/`.
    pub(crate) base_url: String,
    /// The path part of `base_url`, always starting and ending in `/`.
    pub(crate) base_path: String,
    pub(crate) default_language: String,
    /// The default language first, then the others in the order given.
    pub(crate) languages: Vec<String>,
    pub(crate) timezone: jiff::tz::TimeZone,
    pub(crate) raw_html: bool,
    pub(crate) news_per_page: usize,
    /// The site's logo (`logo:`).
    pub(crate) logo: Option<ImageUse>,
    /// The share image of pages without a photo of their own (`image:`).
    pub(crate) share_image: Option<ImageUse>,
    /// The media contact of releases that name none (`press_office:`).
    pub(crate) press_office: Option<Person>,
    pub(crate) extra: serde_json::Value,
    /// Each language's URL segments (the theme's defaults, `segments:` over them).
    pub(crate) segments: BTreeMap<String, segments::Segments>,
    /// The segments a language's pages were published under before (`former_segments:`),
    /// whose addresses get redirect pages.
    pub(crate) former_segments: BTreeMap<String, segments::Segments>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct InstitutionId(pub usize);
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PartnershipId(pub usize);
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ReleaseId(pub usize);
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TopicId(pub usize);

#[derive(Debug, Clone)]
pub(crate) struct Institution {
    pub(crate) id: String,
    pub(crate) name: Localized<String>,
    pub(crate) short_name: Localized<Option<String>>,
    /// Every other name used for it in texts, in all languages (autolinking).
    pub(crate) aliases: Vec<String>,
    pub(crate) kind: InstitutionKind,
    pub(crate) city: Localized<Option<String>>,
    pub(crate) region: Localized<Option<String>>,
    pub(crate) website: Option<String>,
    pub(crate) locations: Vec<Location>,
    pub(crate) facts: Vec<Fact>,
    pub(crate) people: Localized<Vec<Person>>,
    /// The "About …" text shown at the end of its releases (none without one).
    pub(crate) boilerplate: Localized<Option<String>>,
    pub(crate) article: Localized<Option<Article>>,
    /// The boilerplate's heading, when given (else made from the name and article).
    pub(crate) about_title: Localized<Option<String>>,
    /// A photo of the institution (its building, its people).
    pub(crate) image: Option<ImageUse>,
    pub(crate) logo: Option<ImageUse>,
    pub(crate) profile: Localized<Body>,
    pub(crate) extra: serde_json::Value,
    pub(crate) partnerships: Vec<PartnershipId>,
    /// Newest first.
    pub(crate) releases: Vec<ReleaseId>,
    /// Institutions it shares a partnership with, by id.
    pub(crate) partners: Vec<InstitutionId>,
    /// Old addresses (`redirect_from:`), each a redirect page to this one.
    pub(crate) redirect_from: Vec<Alias>,
}

impl Institution {
    /// Person `index` in `lang`: the translated name and role with the original's
    /// contact details, which are the same in every language.
    pub(crate) fn person_in(&self, lang: &str, index: usize) -> Person {
        let details = &self.people.base[index];
        Person {
            email: details.email.clone(),
            phone: details.phone.clone(),
            ..self.people.get(lang)[index].clone()
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Location {
    pub(crate) name: String,
    pub(crate) lat: Option<f64>,
    pub(crate) lon: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Person {
    pub(crate) name: String,
    pub(crate) role: Option<String>,
    /// Media contact details: shown on releases that list the person under
    /// `contacts`, left out of the open data (its schema has no place for them).
    #[serde(skip)]
    pub(crate) email: Option<String>,
    #[serde(skip)]
    pub(crate) phone: Option<String>,
}

/// A person of an institution: the institution and the index into its `people`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PersonRef {
    pub(crate) institution: InstitutionId,
    pub(crate) index: usize,
}

#[derive(Debug, Clone)]
pub(crate) struct Quote {
    pub(crate) by: PersonRef,
    pub(crate) text: String,
}

/// One figure of a fact sheet with its provenance.
#[derive(Debug, Clone)]
pub(crate) struct Fact {
    pub(crate) key: String,
    pub(crate) label: Localized<Option<String>>,
    pub(crate) value: Localized<FactValue>,
    pub(crate) approx: bool,
    pub(crate) over: bool,
    pub(crate) unit: Option<String>,
    pub(crate) note: Localized<Option<String>>,
    pub(crate) as_of: Option<PartialDate>,
    pub(crate) source: Option<FactSource>,
}

#[derive(Debug, Clone)]
pub(crate) enum FactValue {
    Number(f64),
    Text(String),
}

#[derive(Debug, Clone)]
pub(crate) enum FactSource {
    Release(ReleaseId),
    Url(String),
}

#[derive(Debug, Clone)]
pub(crate) struct Partnership {
    pub(crate) id: String,
    pub(crate) title: Localized<String>,
    pub(crate) summary: Localized<Option<String>>,
    pub(crate) partners: Vec<InstitutionId>,
    pub(crate) kind: PartnershipKind,
    pub(crate) status: PartnershipStatus,
    pub(crate) signed: Option<Date>,
    pub(crate) ended: Option<Date>,
    pub(crate) focus: Vec<TopicId>,
    pub(crate) events: Vec<Milestone>,
    pub(crate) facts: Vec<Fact>,
    pub(crate) image: Option<ImageUse>,
    pub(crate) body: Localized<Body>,
    pub(crate) extra: serde_json::Value,
    /// Newest first.
    pub(crate) releases: Vec<ReleaseId>,
    /// Old addresses (`redirect_from:`), each a redirect page to this one.
    pub(crate) redirect_from: Vec<Alias>,
}

#[derive(Debug, Clone)]
pub(crate) struct Milestone {
    pub(crate) date: PartialDate,
    pub(crate) title: Localized<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct Release {
    pub(crate) id: String,
    /// The id without its date prefix; the URL segment.
    pub(crate) slug: String,
    pub(crate) date: Date,
    pub(crate) partnership: Option<PartnershipId>,
    /// Explicit partners and those implied by the partnership, in id order.
    pub(crate) partners: Vec<InstitutionId>,
    pub(crate) topics: Vec<TopicId>,
    pub(crate) title: Localized<String>,
    pub(crate) summary: Localized<Option<String>>,
    pub(crate) source: Localized<Option<ReleaseSource>>,
    pub(crate) autolink: bool,
    pub(crate) draft: bool,
    /// The embargo, when it has not lifted yet at the build's "now"; such a release is
    /// in the site only with `--drafts`, and views may mark it.
    pub(crate) embargoed_until: Option<jiff::Timestamp>,
    pub(crate) body: Localized<Body>,
    /// Media contacts, in the order given.
    pub(crate) contacts: Vec<PersonRef>,
    /// Quotes, in the original language only.
    pub(crate) quotes: Vec<Quote>,
    /// The lead photo.
    pub(crate) image: Option<ImageUse>,
    /// Who issues it: `issuer:`, else the first partner named.
    pub(crate) issuer: Option<InstitutionId>,
    /// The dateline's place: `place:`, else the issuer's city (resolved by the views).
    pub(crate) place: Localized<Option<String>>,
    /// Old addresses (`redirect_from:`), each a redirect page to this one.
    pub(crate) redirect_from: Vec<Alias>,
}

#[derive(Debug, Clone)]
pub(crate) struct ReleaseSource {
    pub(crate) publisher: Option<String>,
    pub(crate) url: Option<String>,
    pub(crate) date: Option<PartialDate>,
}

#[derive(Debug, Clone)]
pub(crate) struct Page {
    pub(crate) id: String,
    pub(crate) title: Localized<String>,
    pub(crate) summary: Localized<Option<String>>,
    pub(crate) weight: i64,
    pub(crate) body: Localized<Body>,
    /// Old addresses (`redirect_from:`), each a redirect page to this one.
    pub(crate) redirect_from: Vec<Alias>,
}

/// A focus area or release topic; one page per topic, shared by all languages.
#[derive(Debug, Clone)]
pub(crate) struct Topic {
    pub(crate) slug: String,
    pub(crate) name: Localized<String>,
    pub(crate) partnerships: Vec<PartnershipId>,
    /// Newest first.
    pub(crate) releases: Vec<ReleaseId>,
}

/// The whole resolved site, ready to render.
#[allow(dead_code)] // the media fields until the renderer reads them (issue 14)
#[derive(Debug, Clone)]
pub struct Site {
    pub(crate) config: Config,
    pub(crate) institutions: Vec<Institution>,
    pub(crate) partnerships: Vec<Partnership>,
    /// Newest first (date, then id descending), drafts only with `--drafts`.
    pub(crate) releases: Vec<Release>,
    /// By weight, then id.
    pub(crate) pages: Vec<Page>,
    pub(crate) topics: Vec<Topic>,
    /// Oldest first.
    pub(crate) timeline: Vec<TimelineEvent>,
    /// Each institution's, partnership's and topic's events in `timeline`.
    pub(crate) timeline_index: TimelineIndex,
    pub(crate) static_files: Vec<StaticFile>,
    /// The images in `content/media/` that published content uses (with `--drafts`,
    /// drafts and embargoed releases count as published).
    pub(crate) media: BTreeMap<MediaId, MediaFile>,
    /// The other files in `content/media/` (PDFs) that published bodies link to.
    pub(crate) media_documents: BTreeMap<MediaId, MediaDocument>,
    /// Who uses each published media file, and which are shared (`og:image`).
    pub(crate) media_uses: MediaUses,
    /// Every path in `content/media/`, published or not, for did-you-mean.
    pub(crate) media_known: Vec<MediaId>,
    /// Files in `content/media/` whose problem is already reported (not a readable or
    /// safe image): a link to one is silent.
    pub(crate) media_refused: std::collections::BTreeSet<MediaId>,
    /// What the loader learnt of every readable image in `content/media/` (used or
    /// not), saved with the media cache so the next build reads only changed files.
    pub(crate) media_scans: Vec<crate::media::cache::ScanRecord>,
    pub(crate) theme: RawTheme,
    /// Content files that exist but are not part of the site, so a link to one is
    /// explained rather than reported as missing.
    pub(crate) left_out: BTreeMap<ContentKey, LeftOut>,
    /// The earliest embargo still to lift (release id, moment) among releases that are
    /// not drafts, so a scheduled rebuild can publish it; ties go to the smaller id.
    pub(crate) next_embargo: Option<(String, jiff::Timestamp)>,
    /// The build's "now" as a date in the site's time zone (timeline: today, future
    /// events); `None` when resolved without a "now". Render never reads the clock.
    pub(crate) today: Option<Date>,
}

/// What benchmarks and reports read of a site; everything else is the renderer's.
impl Site {
    /// "N releases, N institutions, N partnerships".
    pub fn describe(&self) -> String {
        format!(
            "{} releases, {} institutions, {} partnerships",
            self.releases.len(),
            self.institutions.len(),
            self.partnerships.len()
        )
    }

    /// Each release's Markdown in the default language, and whether institution names
    /// in it are linked: the input of the Markdown stage for releases.
    pub fn release_markdown(&self) -> Vec<(&str, bool)> {
        let releases = self.releases.iter();
        releases
            .map(|r| (r.body.base.markdown(), r.autolink))
            .collect()
    }

    /// Bytes of Markdown in every body of every kind in every language: all the
    /// Markdown stage reads.
    pub fn markdown_bytes(&self) -> u64 {
        let per_lang = |body: &Localized<Body>| -> u64 {
            let languages = self.config.languages.iter();
            languages.map(|l| body.get(l).markdown().len() as u64).sum()
        };
        let institutions = self.institutions.iter().map(|x| per_lang(&x.profile));
        let partnerships = self.partnerships.iter().map(|x| per_lang(&x.body));
        let releases = self.releases.iter().map(|x| per_lang(&x.body));
        let pages = self.pages.iter().map(|x| per_lang(&x.body));
        institutions
            .chain(partnerships)
            .chain(releases)
            .chain(pages)
            .sum()
    }

    /// The site's default language (`languages.default`).
    pub fn default_language(&self) -> &str {
        &self.config.default_language
    }

    /// How many drafts and embargoed releases this run leaves out (none with `--drafts`).
    pub fn hidden(&self) -> crate::Hidden {
        let mut hidden = crate::Hidden::default();
        for why in self.left_out.values() {
            match why {
                LeftOut::Draft => hidden.drafts += 1,
                LeftOut::Embargoed => hidden.embargoed += 1,
                LeftOut::Invalid => {}
            }
        }
        hidden
    }

    /// Whether raw HTML in Markdown is kept (`markdown: { raw_html: true }`).
    pub fn allows_raw_html(&self) -> bool {
        self.config.raw_html
    }
}

/// Why a content file is not part of the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LeftOut {
    /// `draft: true`; built only with `--drafts`.
    Draft,
    /// An `embargo` not yet lifted; built only with `--drafts`.
    Embargoed,
    /// It has errors of its own, reported where they are.
    Invalid,
}
