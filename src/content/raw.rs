//! Raw types: the front matter exactly as the user wrote it.
//!
//! These mirror the YAML one to one (serde, unknown fields rejected except under
//! `extra`). Nothing here is validated beyond YAML types; required fields are `Option`
//! so a missing one becomes a located diagnostic in `model::resolve` rather than an
//! opaque serde error, and so translations can reuse the shapes. A translation also
//! accepts its original's language-independent fields, which `model::resolve` checks
//! are repeated unchanged.

use serde::Deserialize;
use std::collections::BTreeMap;

/// A YAML scalar whose meaning is decided later: dates (`2024`, `2024-07`,
/// `2024-07-23`) and fact values (`1050`, `"über 300"`) are written both ways.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Scalar {
    Integer(i64),
    Float(f64),
    Text(String),
}

/// By hand rather than `#[serde(untagged)]`, whose error ("did not match any variant")
/// tells the user nothing.
impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Scalar;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number, a date such as 2024-07-23, or a short text")
            }
            fn visit_i64<E>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar::Integer(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Scalar, E> {
                i64::try_from(v)
                    .map(Scalar::Integer)
                    .map_err(|_| E::custom("number too large"))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar::Float(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar::Text(v.to_owned()))
            }
        }
        d.deserialize_any(Visitor)
    }
}

impl Scalar {
    /// The scalar as the user typed it (for messages and date parsing).
    pub(crate) fn as_text(&self) -> String {
        match self {
            Scalar::Integer(i) => i.to_string(),
            Scalar::Float(f) => f.to_string(),
            Scalar::Text(s) => s.clone(),
        }
    }
}

pub(crate) type Extra = serde_json::Value;

/// A use of a file in `content/media/`: `image: unterzeichnung.jpg`, or a map giving
/// the texts at the use (`{ src, alt, caption, credit, license }`), which override the
/// file's sidecar. A translation may give only the language-dependent texts.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct RawImage {
    pub src: Option<String>,
    pub alt: Option<String>,
    pub caption: Option<String>,
    pub credit: Option<String>,
    pub license: Option<String>,
}

/// The map form of [`RawImage`], with unknown keys refused (did-you-mean from serde).
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawImageFields {
    src: Option<String>,
    alt: Option<String>,
    caption: Option<String>,
    credit: Option<String>,
    license: Option<String>,
}

/// By hand rather than `#[serde(untagged)]`, so an unknown key in the map form keeps
/// its own message.
impl<'de> Deserialize<'de> for RawImage {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = RawImage;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a file under content/media/, or a map with `src`, `alt`, `caption`, `credit`, `license`")
            }
            fn visit_str<E>(self, v: &str) -> Result<RawImage, E> {
                Ok(RawImage {
                    src: Some(v.to_owned()),
                    ..RawImage::default()
                })
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<RawImage, A::Error> {
                let f =
                    RawImageFields::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(RawImage {
                    src: f.src,
                    alt: f.alt,
                    caption: f.caption,
                    credit: f.credit,
                    license: f.license,
                })
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// `content/media/<stem>.yaml`: a file's rights and default texts.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSidecar {
    pub alt: Option<String>,
    pub caption: Option<String>,
    pub credit: Option<String>,
    pub license: Option<String>,
}

/// `content/media/<stem>.<lang>.yaml`: the language-dependent texts (a credit names a
/// person or institution and is the same in every language).
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSidecarTranslation {
    pub alt: Option<String>,
    pub caption: Option<String>,
    pub license: Option<String>,
}

/// `content/site.yaml`.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawConfig {
    pub title: Option<String>,
    pub description: Option<String>,
    pub base_url: Option<String>,
    pub theme: Option<String>,
    pub languages: Option<RawLanguages>,
    pub timezone: Option<String>,
    pub markdown: Option<RawMarkdown>,
    pub news_per_page: Option<usize>,
    /// The site's logo (a file under `content/media/`).
    pub logo: Option<RawImage>,
    /// The default share image, for pages without a photo of their own.
    pub image: Option<RawImage>,
    /// The press office: the media contact of releases that name none.
    pub press_office: Option<RawPerson>,
    #[serde(default)]
    pub translations: BTreeMap<String, RawSiteTranslation>,
    pub extra: Option<Extra>,
    /// Per language, words of generated addresses (`news: nachrichten`).
    #[serde(default)]
    pub segments: BTreeMap<String, BTreeMap<String, String>>,
    /// Per language, the words pages were published under before: their old addresses
    /// get redirect pages.
    #[serde(default)]
    pub former_segments: BTreeMap<String, BTreeMap<String, String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLanguages {
    pub default: String,
    #[serde(default)]
    pub others: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMarkdown {
    #[serde(default)]
    pub raw_html: bool,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSiteTranslation {
    pub title: Option<String>,
    pub description: Option<String>,
}

/// `content/institutions/<id>.md`.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawInstitution {
    pub name: Option<String>,
    pub short_name: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub kind: Option<String>,
    pub city: Option<String>,
    pub region: Option<String>,
    pub website: Option<String>,
    #[serde(default)]
    pub locations: Vec<RawLocation>,
    #[serde(default)]
    pub facts: Vec<RawFact>,
    #[serde(default)]
    pub people: Vec<RawPerson>,
    /// The "About …" text at the end of the releases concerning it (plain text).
    pub boilerplate: Option<String>,
    /// The grammatical article of `name` (`der`, `die`, `das`), for "Über das …".
    pub article: Option<String>,
    /// The heading of the boilerplate, when the article alone does not make it right.
    pub about_title: Option<String>,
    pub image: Option<RawImage>,
    pub logo: Option<RawImage>,
    pub extra: Option<Extra>,
    /// Old addresses of this page (`/news/old-title/`): each gets a redirect page.
    #[serde(default)]
    pub redirect_from: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLocation {
    pub name: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFact {
    pub key: String,
    pub value: Scalar,
    pub as_of: Option<Scalar>,
    pub source: Option<String>,
    #[serde(default)]
    pub approx: bool,
    #[serde(default)]
    pub over: bool,
    pub unit: Option<String>,
    pub label: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPerson {
    pub name: String,
    pub role: Option<String>,
    /// Media contact details, shown when a release lists the person under `contacts`.
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// `content/institutions/<id>.<lang>.md`: what differs by language, and the
/// language-independent fields a translator may repeat (checked equal to the original's).
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawInstitutionTranslation {
    pub name: Option<String>,
    pub short_name: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub people: Option<Vec<RawPerson>>,
    pub boilerplate: Option<String>,
    pub article: Option<String>,
    pub about_title: Option<String>,
    /// Same length and order as the original's facts.
    pub facts: Option<Vec<RawFactTranslation>>,
    pub kind: Option<String>,
    pub city: Option<String>,
    pub region: Option<String>,
    pub website: Option<String>,
    pub locations: Option<Vec<RawLocation>>,
    /// Texts of the original's uses in this language; `src` and `credit` repeated.
    pub image: Option<RawImage>,
    pub logo: Option<RawImage>,
}

/// The language-dependent parts of a fact: its label, note, or a text value.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFactTranslation {
    pub label: Option<String>,
    pub note: Option<String>,
    pub value: Option<String>,
}

/// `content/partnerships/<id>.md`.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPartnership {
    pub title: Option<String>,
    pub partners: Option<Vec<String>>,
    pub kind: Option<String>,
    pub status: Option<String>,
    pub signed: Option<Scalar>,
    pub ended: Option<Scalar>,
    pub summary: Option<String>,
    #[serde(default)]
    pub focus: Vec<String>,
    #[serde(default)]
    pub events: Vec<RawEvent>,
    #[serde(default)]
    pub facts: Vec<RawFact>,
    pub image: Option<RawImage>,
    pub extra: Option<Extra>,
    /// Old addresses of this page (`/news/old-title/`): each gets a redirect page.
    /// `aliases:` as Hugo and Zola call them works too.
    #[serde(default, alias = "aliases")]
    pub redirect_from: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawEvent {
    pub date: Scalar,
    pub title: String,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPartnershipTranslation {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub focus: Option<Vec<String>>,
    pub events: Option<Vec<RawEventTranslation>>,
    /// Same length and order as the original's facts.
    pub facts: Option<Vec<RawFactTranslation>>,
    /// Language-independent, repeated from the original (checked equal).
    pub partners: Option<Vec<String>>,
    pub kind: Option<String>,
    pub status: Option<String>,
    pub signed: Option<Scalar>,
    pub ended: Option<Scalar>,
    /// Texts of the original's use in this language; `src` and `credit` repeated.
    pub image: Option<RawImage>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawEventTranslation {
    pub title: String,
    /// Language-independent: accepted when equal to the original event's date.
    pub date: Option<Scalar>,
}

/// `content/news/<YYYY-MM-DD>-<slug>.md`.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRelease {
    pub title: Option<String>,
    pub date: Option<Scalar>,
    pub partnership: Option<String>,
    #[serde(default)]
    pub partners: Vec<String>,
    pub summary: Option<String>,
    #[serde(default)]
    pub topics: Vec<String>,
    pub source: Option<RawReleaseSource>,
    #[serde(default)]
    pub draft: bool,
    /// `2026-12-01T10:00:00+01:00` (or a date, midnight in the site's time zone): the
    /// release is left out of every output until then. Parsed in `model::resolve`.
    pub embargo: Option<Scalar>,
    pub autolink: Option<bool>,
    /// Media contacts: `<institution-id>/<person-name-slug>`.
    #[serde(default)]
    pub contacts: Vec<String>,
    #[serde(default)]
    pub quotes: Vec<RawQuote>,
    /// The lead photo.
    pub image: Option<RawImage>,
    /// The institution that issues it (an institution id); its "About" text comes first.
    pub issuer: Option<String>,
    /// The dateline's place; by default the issuer's city.
    pub place: Option<String>,
    pub extra: Option<Extra>,
    /// Old addresses of this page (`/news/old-title/`): each gets a redirect page.
    /// `aliases:` as Hugo and Zola call them works too.
    #[serde(default, alias = "aliases")]
    pub redirect_from: Vec<String>,
}

/// A quote in a release, `by` a person as in `contacts`; kept in the original language.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawQuote {
    pub by: String,
    pub text: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawReleaseSource {
    pub publisher: Option<String>,
    pub url: Option<String>,
    pub date: Option<Scalar>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawReleaseTranslation {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub topics: Option<Vec<String>>,
    pub source: Option<RawReleaseSource>,
    /// Language-independent, repeated from the original (checked equal).
    pub date: Option<Scalar>,
    pub partnership: Option<String>,
    pub partners: Option<Vec<String>>,
    pub draft: Option<bool>,
    pub embargo: Option<Scalar>,
    pub autolink: Option<bool>,
    pub contacts: Option<Vec<String>>,
    pub quotes: Option<Vec<RawQuote>>,
    /// Texts of the original's lead photo in this language; `src` and `credit` repeated.
    pub image: Option<RawImage>,
    pub issuer: Option<String>,
    pub place: Option<String>,
}

/// `content/pages/<id>.md`.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPage {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub weight: Option<i64>,
    #[serde(default)]
    pub draft: bool,
    pub extra: Option<Extra>,
    /// Old addresses of this page (`/news/old-title/`): each gets a redirect page.
    /// `aliases:` as Hugo and Zola call them works too.
    #[serde(default, alias = "aliases")]
    pub redirect_from: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPageTranslation {
    pub title: Option<String>,
    pub summary: Option<String>,
    /// Language-independent, repeated from the original (checked equal).
    pub weight: Option<i64>,
    pub draft: Option<bool>,
}

/// `themes/<name>/i18n/<lang>.yaml`: interface strings and formats of one language.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawI18n {
    /// Language name in that language ("Deutsch"), for the language switcher.
    pub language_name: String,
    /// Twelve month names.
    pub months: Vec<String>,
    /// e.g. `{day}. {month} {year}` or `{month} {day}, {year}`.
    pub date_format: String,
    /// e.g. `{month} {year}`.
    pub month_format: String,
    pub thousands_separator: String,
    pub decimal_separator: String,
    pub strings: BTreeMap<String, String>,
    /// Words of generated addresses in this language (`news: nachrichten`).
    #[serde(default)]
    pub segments: BTreeMap<String, String>,
}
