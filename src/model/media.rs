//! Photos, logos and graphics from `content/media/`: the files published content uses,
//! their rights (credit, licence) and texts (alt, caption) per language, and each use.
//!
//! Only files that published content uses are in `Site::media`: a photo of an
//! embargoed or draft release is in no output until the release is (`--drafts`
//! includes it).

use super::{InstitutionId, Localized, PartnershipId, ReleaseId, Site};
use crate::media::{MediaFormat, MediaInfo, Request};
use std::collections::BTreeMap;

/// A file under `content/media/`, by its path there (`2025/unterzeichnung.jpg`): its id
/// in `image:` fields and `@/media/…` links, and the stable part of its URLs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct MediaId(pub(crate) String);

impl MediaId {
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    /// The path without its extension (`2025/unterzeichnung`): derivative names.
    pub(crate) fn stem(&self) -> &str {
        match self.0.rsplit_once('.') {
            Some((stem, _)) if !stem.is_empty() && !stem.ends_with('/') => stem,
            _ => &self.0,
        }
    }
}

impl std::fmt::Display for MediaId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a use shows: a photo needs a credit; a logo or an SVG graphic does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MediaRole {
    Photo,
    Logo,
    Graphic,
}

impl MediaRole {
    /// Whether a use in this role must name its author.
    pub(crate) fn needs_credit(self) -> bool {
        self == MediaRole::Photo
    }
}

/// A published image with its sidecar's defaults.
#[allow(dead_code)]
#[derive(Debug, Clone)]
pub(crate) struct MediaFile {
    pub(crate) id: MediaId,
    /// Format and displayed size (after EXIF orientation), from `media::inspect`.
    pub(crate) info: MediaInfo,
    /// Size of the original in bytes, for "Download original (JPEG, 6000 × 4000, 8.4 MB)".
    pub(crate) bytes: u64,
    /// `media::content_hash` of the original: the cache-busting part of derivative URLs.
    pub(crate) hash: String,
    /// Defaults from `<stem>.yaml` and `<stem>.<lang>.yaml`.
    pub(crate) sidecar: MediaRights,
}

/// A file in `content/media/` that is not an image (a PDF): published as is when a
/// published body links to it with `@/media/…`.
#[allow(dead_code)]
#[derive(Debug, Clone)]
pub(crate) struct MediaDocument {
    pub(crate) id: MediaId,
    pub(crate) bytes: u64,
}

/// Rights and texts of a file; every text per language (a language without its own
/// falls back to the default language's, shown with its `lang`).
#[derive(Debug, Clone, Default)]
pub(crate) struct MediaRights {
    pub(crate) alt: Localized<Option<String>>,
    pub(crate) caption: Localized<Option<String>>,
    /// The same in every language ("Foto: Universitätsmedizin Magdeburg / M. Muster").
    pub(crate) credit: Option<String>,
    pub(crate) license: Localized<Option<String>>,
}

/// One use of a media file, with the sidecar's defaults applied and checked: alt text
/// present and not a file name, a credit for a photo.
#[allow(dead_code)]
#[derive(Debug, Clone)]
pub(crate) struct ImageUse {
    pub(crate) media: MediaId,
    pub(crate) role: MediaRole,
    pub(crate) alt: Localized<String>,
    pub(crate) caption: Localized<Option<String>>,
    pub(crate) credit: Option<String>,
    pub(crate) license: Localized<Option<String>>,
}

/// Who uses a media file (the library page lists them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MediaUser {
    /// `site.yaml`'s `logo:` or `image:`.
    Site,
    Release(ReleaseId),
    Institution(InstitutionId),
    Partnership(PartnershipId),
    /// A free page's body, by index into `Site::pages`.
    Page(usize),
}

/// Every published media file's users and the renditions the build makes of it.
#[derive(Debug, Clone, Default)]
pub(crate) struct MediaUses {
    /// Each file's users in order of first use (site, institutions, partnerships,
    /// releases newest first, pages), each once.
    pub(crate) users: BTreeMap<MediaId, Vec<MediaUser>>,
    /// Files that some page shows as its share image (`og:image`): release,
    /// partnership and institution images, the site's default image (pages without
    /// one get a generated card).
    pub(crate) shared: std::collections::BTreeSet<MediaId>,
}

// The renderer (media markup, library page, share images) reads these.
#[allow(dead_code)]
impl Site {
    /// A published image, for body images and links (`@/media/…`).
    pub(crate) fn media_file(&self, id: &MediaId) -> Option<&MediaFile> {
        self.media.get(id)
    }

    /// Who uses a published media file (empty for one that is not published).
    pub(crate) fn uses_of(&self, id: &MediaId) -> &[MediaUser] {
        self.media_uses.users.get(id).map_or(&[], Vec::as_slice)
    }

    /// What the build processes: every published image with the renditions it needs
    /// beyond the widths (a share image for raster photos that a page shares).
    pub(crate) fn media_requests(&self) -> Vec<(MediaId, Request)> {
        self.media
            .values()
            .map(|f| {
                let share =
                    f.info.format != MediaFormat::Svg && self.media_uses.shared.contains(&f.id);
                (f.id.clone(), Request { share })
            })
            .collect()
    }
}

/// Whether `text` looks like a file name rather than a description: `IMG_4711.jpg`,
/// `DSC01234`, anything ending in an image extension.
pub(crate) fn looks_like_file_name(text: &str) -> bool {
    let t = text.trim();
    if crate::content::is_image_name(t) && !t.contains(' ') {
        return true;
    }
    let lower = t.to_ascii_lowercase();
    if [
        ".jpg", ".jpeg", ".png", ".webp", ".gif", ".svg", ".avif", ".tif", ".tiff", ".heic",
    ]
    .iter()
    .any(|ext| lower.ends_with(ext))
    {
        return true;
    }
    // A camera's name: letters, an optional `_` or `-`, then digits only.
    let letters = t.trim_end_matches(|c: char| c.is_ascii_digit());
    let digits = t.len() - letters.len();
    let prefix = letters.trim_end_matches(['_', '-']);
    digits >= 3
        && !prefix.is_empty()
        && prefix.len() <= 5
        && prefix.chars().all(|c| c.is_ascii_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_not_descriptions() {
        for name in [
            "IMG_4711.jpg",
            "DSC01234",
            "foto.PNG",
            "IMG-20250624",
            "P1010203",
        ] {
            assert!(looks_like_file_name(name), "{name}");
        }
        for text in [
            "Zwei Personen unterzeichnen einen Vertrag",
            "Logo",
            "Station 4",
            "A4 sheet of paper with text: report.pdf",
        ] {
            assert!(!looks_like_file_name(text), "{text}");
        }
    }

    #[test]
    fn a_stem_is_the_path_without_its_extension() {
        assert_eq!(MediaId("2025/a.b.jpg".into()).stem(), "2025/a.b");
        assert_eq!(MediaId("plain".into()).stem(), "plain");
    }
}
