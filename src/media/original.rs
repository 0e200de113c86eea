//! The original journalists download: the file's own bytes (no re-encoding, so no loss),
//! with every metadata block that can hold a position cleaned (`location.rs`) or
//! dropped. JPEG is walked segment by segment here, scans included, because
//! `img-parts` keeps everything after the first scan as one opaque block: segments
//! between progressive scans and the images appended after the end marker (MPF
//! previews, with their own EXIF) would pass unchecked. PNG and WebP chunks go
//! through `img-parts`, which keeps checksums and the WebP feature flags right.

use super::location::{clean_exif, clean_photoshop_resources, clean_xmp};
use super::{MediaFormat, MediaProblem};
use img_parts::png::{Png, PngChunk};
use img_parts::riff::{RiffChunk, RiffContent};
use img_parts::webp::WebP;
use img_parts::{Bytes, ImageEXIF};

const EXIF_PREFIX: &[u8] = b"Exif\0\0";
const XMP_PREFIX: &[u8] = b"http://ns.adobe.com/xap/1.0/\0";
const ICC_PREFIX: &[u8] = b"ICC_PROFILE\0";
const PHOTOSHOP_PREFIX: &[u8] = b"Photoshop 3.0\0";
/// A JPEG segment's largest payload (its length field counts itself).
const MAX_SEGMENT: usize = 65_533;

/// The file's bytes without location data.
pub(super) fn without_location(bytes: &[u8], format: MediaFormat) -> Result<Vec<u8>, MediaProblem> {
    match format {
        MediaFormat::Jpeg => jpeg(bytes),
        MediaFormat::Png => png(bytes),
        MediaFormat::Webp => webp(bytes),
        MediaFormat::Gif => gif(bytes),
        MediaFormat::Svg => Ok(bytes.to_vec()),
    }
}

fn damaged(format: MediaFormat) -> MediaProblem {
    MediaProblem::new(
        format!(
            "this {} cannot be read: its structure is damaged",
            format.label()
        ),
        "the file may be truncated or damaged; export it again from the original",
    )
}

/// What to do with one JPEG marker segment.
enum Keep {
    /// Copied as it is.
    Same,
    /// Replaced by this payload.
    Cleaned(Vec<u8>),
    /// Left out.
    Dropped,
}

/// Keeps the image data, JFIF, ICC profiles, Adobe colour information and comments;
/// cleans EXIF, XMP and Photoshop resources; drops every other application segment
/// (extended XMP, MPF, FlashPix, vendor blocks) and anything after the end marker.
fn jpeg_segment(marker: u8, payload: &[u8]) -> Keep {
    const APP0: u8 = 0xE0;
    const APP1: u8 = 0xE1;
    const APP2: u8 = 0xE2;
    const APP13: u8 = 0xED;
    const APP14: u8 = 0xEE;
    let cleaned = |prefix: &[u8], body: Option<Vec<u8>>| match body {
        Some(body) if prefix.len() + body.len() <= MAX_SEGMENT => {
            Keep::Cleaned([prefix, &body[..]].concat())
        }
        _ => Keep::Dropped,
    };
    match marker {
        APP0 | APP14 => Keep::Same,
        APP1 if payload.starts_with(EXIF_PREFIX) => {
            cleaned(EXIF_PREFIX, clean_exif(&payload[EXIF_PREFIX.len()..]))
        }
        APP1 if payload.starts_with(XMP_PREFIX) => {
            let text = std::str::from_utf8(&payload[XMP_PREFIX.len()..]).ok();
            let xmp = text.and_then(clean_xmp).map(String::into_bytes);
            cleaned(XMP_PREFIX, xmp)
        }
        APP2 if payload.starts_with(ICC_PREFIX) => Keep::Same,
        APP13 if payload.starts_with(PHOTOSHOP_PREFIX) => cleaned(
            PHOTOSHOP_PREFIX,
            clean_photoshop_resources(&payload[PHOTOSHOP_PREFIX.len()..]),
        ),
        0xE0..=0xEF => Keep::Dropped,
        _ => Keep::Same,
    }
}

fn jpeg(bytes: &[u8]) -> Result<Vec<u8>, MediaProblem> {
    let damaged = || damaged(MediaFormat::Jpeg);
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&bytes[..2]);
    let mut position = 2;
    loop {
        // Entropy-coded data runs up to the next marker that is not a stuffed 0xFF
        // byte or a restart marker.
        let start = position;
        while position < bytes.len() {
            let is_marker = bytes[position] == 0xFF
                && bytes
                    .get(position + 1)
                    .is_some_and(|&next| !matches!(next, 0x00 | 0xD0..=0xD7 | 0xFF));
            if is_marker {
                break;
            }
            position += 1;
        }
        out.extend_from_slice(&bytes[start..position]);
        let Some(&marker) = bytes.get(position + 1) else {
            // Decoders show a JPEG without its end marker with a grey or smeared lower
            // part; the photo desk should send the whole file.
            return Err(MediaProblem::new(
                "this JPEG cannot be read: it ends too early (no end marker)",
                "the file is truncated, perhaps by an interrupted copy or download; copy it again",
            ));
        };
        if marker == 0xD9 {
            out.extend_from_slice(&[0xFF, 0xD9]);
            return Ok(out);
        }
        if marker == 0x01 {
            out.extend_from_slice(&[0xFF, marker]);
            position += 2;
            continue;
        }
        let length_bytes = bytes.get(position + 2..position + 4).ok_or_else(damaged)?;
        let length = usize::from(u16::from_be_bytes([length_bytes[0], length_bytes[1]]));
        let payload = length
            .checked_sub(2)
            .and_then(|size| bytes.get(position + 4..position + 4 + size))
            .ok_or_else(damaged)?;
        match jpeg_segment(marker, payload) {
            Keep::Same => out.extend_from_slice(&bytes[position..position + 2 + length]),
            Keep::Cleaned(payload) => {
                let length = u16::try_from(payload.len() + 2).map_err(|_| damaged())?;
                out.extend_from_slice(&[0xFF, marker]);
                out.extend_from_slice(&length.to_be_bytes());
                out.extend_from_slice(&payload);
            }
            Keep::Dropped => {}
        }
        position += 2 + length;
    }
}

const XMP_KEYWORD: &[u8] = b"XML:com.adobe.xmp";

/// The keyword of a PNG text chunk (`tEXt`, `zTXt`, `iTXt`).
fn text_keyword(contents: &[u8]) -> &[u8] {
    let end = contents.iter().position(|&byte| byte == 0).unwrap_or(0);
    &contents[..end]
}

/// An `iTXt` XMP chunk with its packet cleaned; `None` (dropped) when it is compressed
/// or unreadable.
fn clean_png_xmp(contents: &[u8]) -> Option<Vec<u8>> {
    let after_keyword = XMP_KEYWORD.len() + 1;
    if *contents.get(after_keyword)? != 0 {
        return None;
    }
    // Compression method, then the language tag and the translated keyword, each ended
    // by a zero byte.
    let mut text_start = after_keyword + 2;
    for _ in 0..2 {
        text_start += contents
            .get(text_start..)?
            .iter()
            .position(|&byte| byte == 0)?
            + 1;
    }
    let text = std::str::from_utf8(&contents[text_start..]).ok()?;
    let cleaned = clean_xmp(text)?;
    Some([&contents[..text_start], cleaned.as_bytes()].concat())
}

fn png(bytes: &[u8]) -> Result<Vec<u8>, MediaProblem> {
    let mut png =
        Png::from_bytes(Bytes::copy_from_slice(bytes)).map_err(|_| damaged(MediaFormat::Png))?;
    let chunks = std::mem::take(png.chunks_mut());
    for chunk in chunks {
        let kind = chunk.kind();
        let contents = chunk.contents();
        let kept = match &kind {
            b"eXIf" => clean_exif(contents).map(|exif| PngChunk::new(kind, exif.into())),
            b"iTXt" if text_keyword(contents) == XMP_KEYWORD => {
                clean_png_xmp(contents).map(|text| PngChunk::new(kind, text.into()))
            }
            // ImageMagick's hex dumps of EXIF, XMP and Photoshop blocks.
            b"tEXt" | b"zTXt" | b"iTXt"
                if text_keyword(contents).starts_with(b"Raw profile type")
                    && text_keyword(contents) != b"Raw profile type iptc" =>
            {
                None
            }
            _ => Some(chunk),
        };
        png.chunks_mut().extend(kept);
    }
    Ok(png.encoder().bytes().to_vec())
}

fn webp(bytes: &[u8]) -> Result<Vec<u8>, MediaProblem> {
    let mut webp =
        WebP::from_bytes(Bytes::copy_from_slice(bytes)).map_err(|_| damaged(MediaFormat::Webp))?;
    let exif = webp.exif().and_then(|exif| clean_exif(&exif));
    let xmp = webp
        .chunk_by_id(*b"XMP ")
        .and_then(|chunk| chunk.content().data())
        .and_then(|data| std::str::from_utf8(data).ok())
        .and_then(clean_xmp);
    webp.remove_chunks_by_id(*b"XMP ");
    if let Some(xmp) = xmp {
        let chunk = RiffChunk::new(*b"XMP ", RiffContent::Data(xmp.into_bytes().into()));
        webp.chunks_mut().push(chunk);
    }
    // Last, as it also sets the feature flags to the chunks present.
    webp.set_exif(exif.map(Bytes::from));
    Ok(webp.encoder().bytes().to_vec())
}

/// GIF blocks: application extensions other than the looping ones (an XMP packet is
/// one) are dropped; images, comments and control blocks are kept.
fn gif(bytes: &[u8]) -> Result<Vec<u8>, MediaProblem> {
    let damaged = || damaged(MediaFormat::Gif);
    let flags = *bytes.get(10).ok_or_else(damaged)?;
    let color_table = |flags: u8| {
        if flags & 0x80 != 0 {
            3 << ((flags & 0x07) + 1)
        } else {
            0
        }
    };
    let mut position = 13 + color_table(flags);
    let mut out = bytes.get(..position).ok_or_else(damaged)?.to_vec();
    loop {
        let start = position;
        match *bytes.get(position).ok_or_else(damaged)? {
            0x3B => {
                out.push(0x3B);
                return Ok(out);
            }
            0x21 => {
                let label = *bytes.get(position + 1).ok_or_else(damaged)?;
                position = skip_sub_blocks(bytes, position + 2).ok_or_else(damaged)?;
                let application = bytes.get(start + 3..start + 14);
                let looping = matches!(application, Some(b"NETSCAPE2.0" | b"ANIMEXTS1.0"));
                if label != 0xFF || looping {
                    out.extend_from_slice(&bytes[start..position]);
                }
            }
            0x2C => {
                let flags = *bytes.get(position + 9).ok_or_else(damaged)?;
                // Descriptor, local colour table, then the LZW code size.
                position += 10 + color_table(flags) + 1;
                position = skip_sub_blocks(bytes, position).ok_or_else(damaged)?;
                out.extend_from_slice(bytes.get(start..position).ok_or_else(damaged)?);
            }
            _ => return Err(damaged()),
        }
    }
}

/// The position after a chain of data sub-blocks (each a length byte and as many
/// bytes, the chain ended by a zero length).
fn skip_sub_blocks(bytes: &[u8], mut position: usize) -> Option<usize> {
    loop {
        let length = usize::from(*bytes.get(position)?);
        position += 1 + length;
        if length == 0 {
            return (position <= bytes.len()).then_some(position);
        }
    }
}
