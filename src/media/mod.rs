//! The image pipeline for press photos, logos and graphics (`content/media/`): what a
//! file is and how large it shows ([`inspect`], from the header only), the widths it is
//! published in ([`rendition_widths`], pure, so markup never waits for pixels), and the
//! published files themselves ([`process`]: derivatives without any metadata, a share
//! image, and the original for download without location data). Everything here is
//! pure except [`cache`], which keeps processed files under the site root so a rebuild
//! does no image work for unchanged files.

pub(crate) mod cache;
mod color;
mod decode;
pub(crate) mod derived_cache;
mod encode;
mod location;
mod original;
mod svg;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The kind of file, from its bytes (magic numbers), never from its extension: a PNG
/// named `.jpg` is a PNG.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum MediaFormat {
    Jpeg,
    Png,
    Webp,
    Gif,
    Svg,
}

impl MediaFormat {
    /// The format the bytes start like, or `None` for anything else (a PDF, a TIFF, text
    /// that is not SVG).
    pub(crate) fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Self::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Self::Png)
        } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
            Some(Self::Webp)
        } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            Some(Self::Gif)
        } else if svg::looks_like_svg(bytes) {
            Some(Self::Svg)
        } else {
            None
        }
    }

    /// The usual file extension, without the dot.
    pub(crate) fn extension(self) -> &'static str {
        match self {
            Self::Jpeg => "jpg",
            Self::Png => "png",
            Self::Webp => "webp",
            Self::Gif => "gif",
            Self::Svg => "svg",
        }
    }

    /// The name readers know, as in "Download original (JPEG, 6000 × 4000)".
    pub(crate) fn label(self) -> &'static str {
        match self {
            Self::Jpeg => "JPEG",
            Self::Png => "PNG",
            Self::Webp => "WebP",
            Self::Gif => "GIF",
            Self::Svg => "SVG",
        }
    }

    /// Whether the file is pixels (resized into renditions) rather than a vector graphic
    /// (published as it is, once checked).
    pub(crate) fn is_raster(self) -> bool {
        self != Self::Svg
    }
}

/// What the page markup needs, read cheaply (header only, no full decode): the size as
/// displayed, i.e. after EXIF orientation (a portrait photo stored landscape with
/// orientation 6 reports width < height). An SVG's size comes from `width`/`height`,
/// else its `viewBox`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct MediaInfo {
    pub(crate) format: MediaFormat,
    pub(crate) width: u32,
    pub(crate) height: u32,
}

/// A refusal, with a plain message and a help line; the caller locates it at the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MediaProblem {
    pub(crate) message: String,
    pub(crate) help: String,
}

impl MediaProblem {
    pub(crate) fn new(message: impl Into<String>, help: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            help: help.into(),
        }
    }
}

/// The largest image accepted, in pixels (after which decoding alone would need 400 MB).
pub(crate) const MAX_PIXELS: u64 = 100_000_000;
/// The longest side accepted, in pixels.
pub(crate) const MAX_SIDE: u32 = 20_000;

/// The kind of file and its displayed size, from the header only, within the bounds
/// ([`MAX_PIXELS`], [`MAX_SIDE`]); an SVG is also checked for scripts, event handlers
/// and external references.
pub(crate) fn inspect(bytes: &[u8]) -> Result<MediaInfo, MediaProblem> {
    match MediaFormat::sniff(bytes) {
        Some(MediaFormat::Svg) => svg::inspect(bytes),
        Some(format) => decode::inspect(bytes, format),
        None => Err(MediaProblem::new(
            "this file is not an image partnerpress can publish",
            "media files must be JPEG, PNG, WebP, GIF or SVG (recognised by their content, not \
             their name); put other files such as PDFs in content/static/",
        )),
    }
}

/// The widths a raster photo is published in, below the largest of which nothing is
/// upscaled.
pub(crate) const STANDARD_WIDTHS: [u32; 5] = [480, 800, 1200, 1600, 2400];

/// The widths a raster photo is published in (pure, so markup can be rendered without
/// processing): the standard widths below the original width, plus the original width
/// if it is below the largest standard width. An SVG has none: it scales by itself.
pub(crate) fn rendition_widths(info: &MediaInfo) -> Vec<u32> {
    if !info.format.is_raster() || info.width == 0 {
        return Vec::new();
    }
    let largest = STANDARD_WIDTHS[STANDARD_WIDTHS.len() - 1];
    let mut widths: Vec<u32> = STANDARD_WIDTHS
        .iter()
        .copied()
        .filter(|&width| width < info.width)
        .collect();
    if info.width < largest {
        widths.push(info.width);
    } else if !widths.contains(&largest) {
        widths.push(largest);
    }
    widths
}

/// The format of a raster file's fallback renditions (beside WebP), from its format
/// alone so markup is written without decoding: JPEG for a JPEG, PNG for the formats
/// that may be transparent (a PNG, WebP or GIF without transparency gets an opaque PNG).
pub(crate) fn fallback_format(format: MediaFormat) -> MediaFormat {
    match format {
        MediaFormat::Jpeg => MediaFormat::Jpeg,
        _ => MediaFormat::Png,
    }
}

/// The height of a rendition `width` pixels wide, in the original's proportions (at
/// least one pixel).
pub(crate) fn rendition_height(info: &MediaInfo, width: u32) -> u32 {
    if info.width == 0 {
        return 0;
    }
    let height = (u64::from(width) * u64::from(info.height) + u64::from(info.width) / 2)
        / u64::from(info.width);
    u32::try_from(height.max(1)).unwrap_or(u32::MAX)
}

/// The size of the image shared on social networks and in messengers (`og:image`).
pub(crate) const SHARE_SIZE: (u32, u32) = (1200, 630);

/// The size of the share image of a photo: [`SHARE_SIZE`], or for a photo too small for
/// it, the largest crop of the same proportions the photo holds (never upscaled).
pub(crate) fn share_size(info: &MediaInfo) -> (u32, u32) {
    let (share_width, share_height) = SHARE_SIZE;
    if info.width >= share_width && info.height >= share_height {
        return SHARE_SIZE;
    }
    let by_width = (
        info.width,
        rendition_height(
            &MediaInfo {
                width: share_width,
                height: share_height,
                ..*info
            },
            info.width,
        ),
    );
    if by_width.1 <= info.height {
        return by_width;
    }
    let width = u64::from(info.height) * u64::from(share_width) / u64::from(share_height);
    (u32::try_from(width.max(1)).unwrap_or(1), info.height.max(1))
}

/// Which derived file a [`Rendition`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum RenditionKind {
    /// One of [`rendition_widths`], for `srcset`.
    Width(u32),
    /// The [`SHARE_SIZE`] crop for `og:image`.
    Share,
}

/// One derived file: no metadata at all, in sRGB.
#[derive(Debug, Clone)]
pub(crate) struct Rendition {
    pub(crate) kind: RenditionKind,
    /// WebP for every width, plus the [`fallback_format`]; the share image is a JPEG.
    pub(crate) format: MediaFormat,
    pub(crate) width: u32,
    pub(crate) height: u32,
    pub(crate) bytes: Vec<u8>,
}

/// Everything published for one media file.
#[derive(Debug, Clone)]
pub(crate) struct Processed {
    pub(crate) info: MediaInfo,
    /// The download: the file's own bytes without location data (GPS), credits kept.
    pub(crate) original: Vec<u8>,
    /// Per width a WebP and its fallback, then the share image if requested; none for
    /// an SVG.
    pub(crate) renditions: Vec<Rendition>,
}

/// Which renditions are needed beyond the widths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub(crate) struct Request {
    /// A [`SHARE_SIZE`] crop for `og:image`.
    pub(crate) share: bool,
}

/// Decodes once (within the bounds, EXIF orientation applied, converted to sRGB) and
/// makes every rendition from that one decode; the original is cleaned of location
/// data. An SVG is checked and published as it is.
pub(crate) fn process(bytes: &[u8], request: &Request) -> Result<Processed, MediaProblem> {
    let info = inspect(bytes)?;
    if info.format == MediaFormat::Svg {
        return Ok(Processed {
            info,
            original: bytes.to_vec(),
            renditions: Vec::new(),
        });
    }
    let original = original::without_location(bytes, info.format)?;
    let pixels = decode::decode(bytes, info.format)?;
    let renditions = encode::renditions(&pixels, &info, request)?;
    Ok(Processed {
        info,
        original,
        renditions,
    })
}

/// A file name part that changes with content, for cache-busting derivative URLs and
/// cache keys: 16 hex digits of the SHA-256 of the bytes (URLs may use the first 8).
pub(crate) fn content_hash(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes)[..8])
}

/// Bytes as lowercase hex, two digits each.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        let _ = write!(text, "{byte:02x}");
    }
    text
}

#[cfg(test)]
mod tests;
