//! The resolved site: every id checked, every reference an index, every relation known
//! in both directions.
//!
//! `resolve` turns a `RawSite` into a [`Site`] plus diagnostics. The model does no I/O
//! and knows nothing of URLs or templates; `render` derives those from it. Collections
//! are sorted once here (releases newest first, timeline oldest first, everything else
//! by id) so every later stage iterates deterministically.

pub mod dates;
mod resolve;
pub mod timeline;
mod values;
pub mod vocabulary;

use crate::content::{ContentKey, RawTheme, SourceFile, StaticFile};
pub use dates::PartialDate;
use jiff::civil::Date;
pub use resolve::{ResolveOptions, resolve};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;
pub use timeline::{TimelineEvent, TimelineEventKind, TimelineIndex};
pub use values::{base_url, dialable};
pub use vocabulary::{InstitutionKind, PartnershipKind, PartnershipStatus};

/// A value in the default language with optional translations; reading a language
/// without a translation falls back to the default.
#[derive(Debug, Clone, Default)]
pub struct Localized<T> {
    pub base: T,
    pub translations: BTreeMap<String, T>,
}

impl<T> Localized<T> {
    pub fn new(base: T) -> Self {
        Self {
            base,
            translations: BTreeMap::new(),
        }
    }

    pub fn get(&self, lang: &str) -> &T {
        self.translations.get(lang).unwrap_or(&self.base)
    }

    pub fn is_translated(&self, lang: &str) -> bool {
        self.translations.contains_key(lang)
    }
}

/// Markdown text with the file it came from, so rendering can locate broken links.
#[derive(Debug, Clone)]
pub struct Body {
    pub source: Arc<SourceFile>,
}

impl Body {
    pub fn markdown(&self) -> &str {
        self.source.body()
    }
}

/// The validated `site.yaml`.
#[derive(Debug, Clone)]
pub struct Config {
    pub title: Localized<String>,
    pub description: Localized<String>,
    /// Absolute, always ending in `/`.
    pub base_url: String,
    /// The path part of `base_url`, always starting and ending in `/`.
    pub base_path: String,
    pub default_language: String,
    /// The default language first, then the others in the order given.
    pub languages: Vec<String>,
    pub timezone: jiff::tz::TimeZone,
    pub timezone_name: String,
    pub raw_html: bool,
    pub news_per_page: usize,
    pub extra: serde_json::Value,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InstitutionId(pub usize);
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartnershipId(pub usize);
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReleaseId(pub usize);
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TopicId(pub usize);

#[derive(Debug, Clone)]
pub struct Institution {
    pub id: String,
    pub name: Localized<String>,
    pub short_name: Localized<Option<String>>,
    /// Every other name used for it in texts, in all languages (autolinking).
    pub aliases: Vec<String>,
    pub kind: InstitutionKind,
    pub city: Option<String>,
    pub region: Option<String>,
    pub website: Option<String>,
    pub locations: Vec<Location>,
    pub facts: Vec<Fact>,
    pub people: Localized<Vec<Person>>,
    /// The "About …" text shown at the end of its releases (none without one).
    pub boilerplate: Localized<Option<String>>,
    pub profile: Localized<Body>,
    pub extra: serde_json::Value,
    pub partnerships: Vec<PartnershipId>,
    /// Newest first.
    pub releases: Vec<ReleaseId>,
    /// Institutions it shares a partnership with, by id.
    pub partners: Vec<InstitutionId>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Location {
    pub name: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Person {
    pub name: String,
    pub role: Option<String>,
    /// Media contact details: shown on releases that list the person under
    /// `contacts`, left out of the open data (its schema has no place for them).
    #[serde(skip)]
    pub email: Option<String>,
    #[serde(skip)]
    pub phone: Option<String>,
}

/// A person of an institution: the institution and the index into its `people`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PersonRef {
    pub institution: InstitutionId,
    pub index: usize,
}

#[derive(Debug, Clone)]
pub struct Quote {
    pub by: PersonRef,
    pub text: String,
}

/// One figure of a fact sheet with its provenance.
#[derive(Debug, Clone)]
pub struct Fact {
    pub key: String,
    pub label: Localized<Option<String>>,
    pub value: Localized<FactValue>,
    pub approx: bool,
    pub over: bool,
    pub unit: Option<String>,
    pub note: Localized<Option<String>>,
    pub as_of: Option<PartialDate>,
    pub source: Option<FactSource>,
}

#[derive(Debug, Clone)]
pub enum FactValue {
    Number(f64),
    Text(String),
}

#[derive(Debug, Clone)]
pub enum FactSource {
    Release(ReleaseId),
    Url(String),
}

#[derive(Debug, Clone)]
pub struct Partnership {
    pub id: String,
    pub title: Localized<String>,
    pub summary: Localized<Option<String>>,
    pub partners: Vec<InstitutionId>,
    pub kind: PartnershipKind,
    pub status: PartnershipStatus,
    pub signed: Option<Date>,
    pub ended: Option<Date>,
    pub focus: Vec<TopicId>,
    pub events: Vec<Milestone>,
    pub facts: Vec<Fact>,
    pub body: Localized<Body>,
    pub extra: serde_json::Value,
    /// Newest first.
    pub releases: Vec<ReleaseId>,
}

#[derive(Debug, Clone)]
pub struct Milestone {
    pub date: PartialDate,
    pub title: Localized<String>,
}

#[derive(Debug, Clone)]
pub struct Release {
    pub id: String,
    /// The id without its date prefix; the URL segment.
    pub slug: String,
    pub date: Date,
    pub partnership: Option<PartnershipId>,
    /// Explicit partners and those implied by the partnership, in id order.
    pub partners: Vec<InstitutionId>,
    pub topics: Vec<TopicId>,
    pub title: Localized<String>,
    pub summary: Localized<Option<String>>,
    pub source: Localized<Option<ReleaseSource>>,
    pub autolink: bool,
    pub draft: bool,
    /// The embargo, when it has not lifted yet at the build's "now"; such a release is
    /// in the site only with `--drafts`, and views may mark it.
    pub embargoed_until: Option<jiff::Timestamp>,
    pub body: Localized<Body>,
    /// Media contacts, in the order given.
    pub contacts: Vec<PersonRef>,
    /// Quotes, in the original language only.
    pub quotes: Vec<Quote>,
    pub extra: serde_json::Value,
}

#[derive(Debug, Clone)]
pub struct ReleaseSource {
    pub publisher: Option<String>,
    pub url: Option<String>,
    pub date: Option<PartialDate>,
}

#[derive(Debug, Clone)]
pub struct Page {
    pub id: String,
    pub title: Localized<String>,
    pub summary: Localized<Option<String>>,
    pub weight: i64,
    pub body: Localized<Body>,
    pub extra: serde_json::Value,
}

/// A focus area or release topic; one page per topic, shared by all languages.
#[derive(Debug, Clone)]
pub struct Topic {
    pub slug: String,
    pub name: Localized<String>,
    pub partnerships: Vec<PartnershipId>,
    /// Newest first.
    pub releases: Vec<ReleaseId>,
}

/// The whole resolved site, ready to render.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: Config,
    pub institutions: Vec<Institution>,
    pub partnerships: Vec<Partnership>,
    /// Newest first (date, then id descending), drafts only with `--drafts`.
    pub releases: Vec<Release>,
    /// By weight, then id.
    pub pages: Vec<Page>,
    pub topics: Vec<Topic>,
    /// Oldest first.
    pub timeline: Vec<TimelineEvent>,
    /// Each institution's, partnership's and topic's events in `timeline`.
    pub timeline_index: TimelineIndex,
    pub static_files: Vec<StaticFile>,
    pub theme: RawTheme,
    /// Content files that exist but are not part of the site, so a link to one is
    /// explained rather than reported as missing.
    pub left_out: BTreeMap<ContentKey, LeftOut>,
    /// The earliest embargo still to lift (release id, moment) among releases that are
    /// not drafts, so a scheduled rebuild can publish it; ties go to the smaller id.
    pub next_embargo: Option<(String, jiff::Timestamp)>,
    /// The build's "now" as a date in the site's time zone (timeline: today, future
    /// events); `None` when resolved without a "now". Render never reads the clock.
    pub today: Option<Date>,
}

/// Why a content file is not part of the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeftOut {
    /// `draft: true`; built only with `--drafts`.
    Draft,
    /// An `embargo` not yet lifted; built only with `--drafts`.
    Embargoed,
    /// It has errors of its own, reported where they are.
    Invalid,
}

impl Site {
    pub fn institution(&self, id: InstitutionId) -> &Institution {
        &self.institutions[id.0]
    }
    pub fn partnership(&self, id: PartnershipId) -> &Partnership {
        &self.partnerships[id.0]
    }
    pub fn release(&self, id: ReleaseId) -> &Release {
        &self.releases[id.0]
    }
    pub fn topic(&self, id: TopicId) -> &Topic {
        &self.topics[id.0]
    }
}
