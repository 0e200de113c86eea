//! Raster files read within bounds: the header first (format, size, orientation), so an
//! image bomb is refused before a pixel buffer is allocated; then one full decode with
//! the orientation applied and the colours converted to sRGB.

use super::{MAX_PIXELS, MAX_SIDE, MediaFormat, MediaInfo, MediaProblem};
use image::metadata::Orientation;
use image::{ImageDecoder, ImageError, ImageFormat, ImageReader, Limits};
use std::io::Cursor;

/// Memory one decoder may allocate: a 100-megapixel RGBA image and some working space.
const MAX_ALLOC: u64 = MAX_PIXELS * 4 + 64 * 1024 * 1024;

fn limits() -> Limits {
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    limits
}

fn image_format(format: MediaFormat) -> Option<ImageFormat> {
    match format {
        MediaFormat::Jpeg => Some(ImageFormat::Jpeg),
        MediaFormat::Png => Some(ImageFormat::Png),
        MediaFormat::Webp => Some(ImageFormat::WebP),
        MediaFormat::Gif => Some(ImageFormat::Gif),
        MediaFormat::Svg => None,
    }
}

/// A decoder that has read the header and accepted the size.
fn open(bytes: &[u8], format: MediaFormat) -> Result<impl ImageDecoder + '_, MediaProblem> {
    let Some(image_format) = image_format(format) else {
        return Err(unreadable(format, "it is not a raster image"));
    };
    let mut reader = ImageReader::with_format(Cursor::new(bytes), image_format);
    reader.limits(limits());
    let decoder = reader
        .into_decoder()
        .map_err(|error| problem(format, &error))?;
    let (width, height) = decoder.dimensions();
    check_size(format, width, height)?;
    Ok(decoder)
}

/// The displayed size: width and height swap for the orientations that turn the image
/// by a quarter.
fn displayed_size(width: u32, height: u32, orientation: Orientation) -> (u32, u32) {
    match orientation {
        Orientation::Rotate90
        | Orientation::Rotate270
        | Orientation::Rotate90FlipH
        | Orientation::Rotate270FlipH => (height, width),
        _ => (width, height),
    }
}

/// Format, displayed size and bounds from the header alone.
pub(super) fn inspect(bytes: &[u8], format: MediaFormat) -> Result<MediaInfo, MediaProblem> {
    let mut decoder = open(bytes, format)?;
    let (width, height) = decoder.dimensions();
    // A damaged EXIF block only loses its orientation: the pixels are still readable.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let (width, height) = displayed_size(width, height, orientation);
    Ok(MediaInfo {
        format,
        width,
        height,
    })
}

fn check_size(format: MediaFormat, width: u32, height: u32) -> Result<(), MediaProblem> {
    if width == 0 || height == 0 {
        return Err(unreadable(format, "it has no pixels"));
    }
    let pixels = u64::from(width) * u64::from(height);
    if width > MAX_SIDE || height > MAX_SIDE || pixels > MAX_PIXELS {
        return Err(MediaProblem::new(
            format!(
                "this {} is {width} × {height} pixels, larger than partnerpress processes",
                format.label()
            ),
            format!(
                "images may be at most {MAX_SIDE} pixels on a side and {} megapixels; export a \
                 smaller version",
                MAX_PIXELS / 1_000_000
            ),
        ));
    }
    Ok(())
}

fn unreadable(format: MediaFormat, why: &str) -> MediaProblem {
    MediaProblem::new(
        format!("this {} cannot be read: {why}", format.label()),
        "the file may be truncated or damaged; export it again from the original",
    )
}

/// A decoder's error in the user's words; a size limit is named as such.
fn problem(format: MediaFormat, error: &ImageError) -> MediaProblem {
    match error {
        ImageError::Limits(_) => MediaProblem::new(
            format!(
                "this {} is larger than partnerpress processes",
                format.label()
            ),
            format!(
                "images may be at most {MAX_SIDE} pixels on a side and {} megapixels; export a \
                 smaller version",
                MAX_PIXELS / 1_000_000
            ),
        ),
        ImageError::IoError(_) => unreadable(format, "it ends too early"),
        other => unreadable(format, &other.to_string()),
    }
}

/// The pixels as displayed, in 8-bit sRGB: RGB, or RGBA when any pixel is not fully
/// opaque (only those need a PNG fallback and alpha-aware resizing).
pub(super) struct Pixels {
    pub(super) width: u32,
    pub(super) height: u32,
    pub(super) alpha: bool,
    /// Rows of `width` pixels of 3 bytes (4 with `alpha`).
    pub(super) data: Vec<u8>,
}

/// One full decode within the bounds: orientation applied, converted to sRGB.
pub(super) fn decode(bytes: &[u8], format: MediaFormat) -> Result<Pixels, MediaProblem> {
    let mut decoder = open(bytes, format)?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    // An unreadable profile is ignored, as browsers do: the pixels are taken as sRGB.
    let profile = decoder.icc_profile().ok().flatten();
    let mut image =
        image::DynamicImage::from_decoder(decoder).map_err(|error| problem(format, &error))?;
    image.apply_orientation(orientation);
    let alpha = image.color().has_alpha() && !is_opaque(&image);
    let (width, height) = (image.width(), image.height());
    let mut data = if alpha {
        image.into_rgba8().into_raw()
    } else {
        image.into_rgb8().into_raw()
    };
    if let Some(profile) = profile {
        super::color::to_srgb(&mut data, alpha, &profile);
    }
    Ok(Pixels {
        width,
        height,
        alpha,
        data,
    })
}

fn is_opaque(image: &image::DynamicImage) -> bool {
    match image {
        image::DynamicImage::ImageRgba8(buffer) => buffer.pixels().all(|pixel| pixel[3] == 255),
        image::DynamicImage::ImageLumaA8(buffer) => buffer.pixels().all(|pixel| pixel[1] == 255),
        image::DynamicImage::ImageRgba16(buffer) => {
            buffer.pixels().all(|pixel| pixel[3] == u16::MAX)
        }
        image::DynamicImage::ImageLumaA16(buffer) => {
            buffer.pixels().all(|pixel| pixel[1] == u16::MAX)
        }
        _ => !image.color().has_alpha(),
    }
}
