//! The registry of diagnostic codes: every problem partnerpress reports has one, so
//! tests and documentation name problems by code and never by message text.

use std::fmt;

/// Declares [`Code`] with each variant's stable kebab-case name, written once.
macro_rules! codes {
    ($($(#[$doc:meta])* $variant:ident = $name:literal,)*) => {
        /// A stable identifier of a kind of problem, shown as `error[unknown-id]`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($(#[$doc])* $variant,)*
        }

        impl Code {
            /// Every code, in declaration order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The kebab-case name users see and tests compare with.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)*
                }
            }
        }
    };
}

codes! {
    /// A link's `#anchor` names no heading of its target page.
    BrokenAnchor = "broken-anchor",
    /// An `@/` link or a body link names content that does not exist or is not published.
    BrokenLink = "broken-link",
    /// A rendered page links to a file or `#anchor` the output does not contain, or
    /// embeds an image it does not contain (`build`, `serve`, `check`).
    BrokenOutputLink = "broken-output-link",
    /// An invisible control character in a text file, replaced by a space.
    ControlCharacter = "control-character",
    /// A release's `date:` differs from the date in its file name.
    DateMismatch = "date-mismatch",
    /// A second file for one id: a translation into the default language.
    DuplicateId = "duplicate-id",
    /// A partnership lists the same institution twice.
    DuplicatePartner = "duplicate-partner",
    /// An institution lists the same person twice.
    DuplicatePerson = "duplicate-person",
    /// Two pages would be written to the same address.
    DuplicateUrl = "duplicate-url",
    /// A content file is empty.
    EmptyFile = "empty-file",
    /// A fact without `as_of`.
    FactWithoutDate = "fact-without-date",
    /// A fact without `source`.
    FactWithoutSource = "fact-without-source",
    /// A `redirect_from:` address that is not a path of the site (a scheme, a host, `..`),
    /// or that a page or another redirect already has.
    InvalidRedirect = "invalid-redirect",
    /// A URL segment in `site.yaml` (`segments:`, `former_segments:`) that is not a lowercase
    /// word, or that a language, a fixed address or another segment already takes.
    InvalidSegment = "invalid-segment",
    /// A file or folder in the content tree that is not read (not Markdown, a sub-folder, a
    /// pipe or device).
    IgnoredFile = "ignored-file",
    /// A date, time or time zone offset that does not parse or does not exist.
    InvalidDate = "invalid-date",
    /// A file in `content/media/` that is not a readable, safe image (truncated,
    /// mislabelled, too many pixels, an SVG with scripts), or a document used as an image.
    InvalidMedia = "invalid-media",
    /// An id (file name) that is not a valid slug, or is reserved.
    InvalidId = "invalid-id",
    /// A text file that is not valid UTF-8.
    NotUtf8 = "not-utf8",
    /// A release file name without the `YYYY-MM-DD-` prefix.
    InvalidReleaseName = "invalid-release-name",
    /// `theme:` is not a theme name.
    InvalidTheme = "invalid-theme",
    /// A topic name that cannot become an address.
    InvalidTopic = "invalid-topic",
    /// A URL, e-mail address or phone number that is refused.
    InvalidUrl = "invalid-url",
    /// A value outside its allowed set or range.
    InvalidValue = "invalid-value",
    /// A file that cannot be read, or a site that cannot be written.
    Io = "io",
    /// A content file without front matter.
    MissingFrontMatter = "missing-front-matter",
    /// A photo, logo or graphic without alt text in its use or sidecar, or with an empty
    /// one or a file name (`IMG_4711.jpg`) instead of a description.
    MissingAlt = "missing-alt",
    /// A photo without a credit in its use or sidecar (logos and SVG graphics may omit it).
    MissingCredit = "missing-credit",
    /// A required field is missing or blank.
    MissingField = "missing-field",
    /// The site's i18n file lacks an interface string.
    MissingString = "missing-string",
    /// No `content/site.yaml`.
    NoConfig = "no-config",
    /// No `content/` folder.
    NoContent = "no-content",
    /// A release concerns no institution.
    NoInstitution = "no-institution",
    /// A content path that should be a folder is a file.
    NotAFolder = "not-a-folder",
    /// A sidecar (`content/media/<stem>.yaml`) without a media file of that stem.
    OrphanSidecar = "orphan-sidecar",
    /// A translation whose original does not exist.
    OrphanTranslation = "orphan-translation",
    /// Raw HTML in Markdown, dropped because the site does not allow it.
    RawHtmlDropped = "raw-html-dropped",
    /// A symbolic link that is broken, loops, or leads into system files.
    Symlink = "symlink",
    /// A theme template that does not compile or fails while rendering.
    Template = "template",
    /// A page not rendered because its template already failed on another page
    /// (dropped from the report so one template mistake gives one error).
    TemplateSkipped = "template-skipped",
    /// A partnership with fewer than two partners.
    TooFewPartners = "too-few-partners",
    /// A file over the size limit.
    TooLarge = "too-large",
    /// Two topic names that share an address.
    TopicClash = "topic-clash",
    /// A translation that differs from its original where it must not (number of people or
    /// facts, a translated number, a repeated language-independent field such as `date`
    /// with another value).
    TranslationMismatch = "translation-mismatch",
    /// A fact key without a label.
    UnknownFactKey = "unknown-fact-key",
    /// A reference to an id that does not exist.
    UnknownId = "unknown-id",
    /// A language the site does not publish or the theme has no interface strings for.
    UnknownLanguage = "unknown-language",
    /// A key under `segments:` or `former_segments:` that names no URL segment.
    UnknownSegment = "unknown-segment",
    /// An `image:` or `logo:` names no file in `content/media/`.
    UnknownMedia = "unknown-media",
    /// A `theme:` that does not exist.
    UnknownTheme = "unknown-theme",
    /// A time zone name that is not in the tz database.
    UnknownTimezone = "unknown-timezone",
    /// Front matter that starts with `---` and never ends.
    UnterminatedFrontMatter = "unterminated-front-matter",
    /// YAML that does not parse, or a field that is unknown or of the wrong type.
    Yaml = "yaml",
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Lets tests and callers compare with the name users see: `d.code == "unknown-id"`.
impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_kebab_case() {
        let mut seen = std::collections::BTreeSet::new();
        for code in Code::ALL {
            let name = code.as_str();
            assert!(seen.insert(name), "{name} twice");
            assert!(
                name.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{name}"
            );
        }
    }

    #[test]
    /// `template-skipped` never reaches the user (the renderer drops it).
    fn the_readme_explains_every_code() {
        let readme = include_str!("../../README.md");
        for code in Code::ALL.iter().filter(|c| **c != Code::TemplateSkipped) {
            let row = format!("| `{code}` | ");
            assert!(readme.contains(&row), "README lacks a row for `{code}`");
        }
    }
}
