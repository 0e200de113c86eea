//! Renditions from one decode: each width resized from the full image (Lanczos3, with
//! premultiplied alpha), encoded as lossy WebP and as a JPEG (PNG when transparent)
//! fallback; the share image a centred crop. Encoders write no metadata, and the
//! pixels are already sRGB, so derivatives carry nothing but pixels.

use super::decode::Pixels;
use super::{
    MediaFormat, MediaInfo, MediaProblem, Rendition, RenditionKind, Request, fallback_format,
    rendition_height, rendition_widths, share_size,
};
use fast_image_resize::images::{Image, ImageRef};
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::ExtendedColorType;
use image::ImageEncoder;
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType as PngFilter, PngEncoder};

/// WebP quality: visually close to the original at a third of a JPEG's size.
const WEBP_QUALITY: f32 = 80.0;
/// Fallback JPEG quality, for the browsers and apps without WebP.
const JPEG_QUALITY: u8 = 82;
/// The share image is shown large in link previews.
const SHARE_QUALITY: u8 = 85;
/// libwebp's limit on either side.
const WEBP_MAX_SIDE: u32 = 16_383;

/// Every rendition `request` asks for, from the decoded pixels of `info`'s file.
pub(super) fn renditions(
    pixels: &Pixels,
    info: &MediaInfo,
    request: &Request,
) -> Result<Vec<Rendition>, MediaProblem> {
    // The decoded size is what is resized, should a header have promised another.
    let info = &MediaInfo {
        width: pixels.width,
        height: pixels.height,
        ..*info
    };
    let source = ImageRef::new(
        pixels.width,
        pixels.height,
        &pixels.data,
        pixel_type(pixels),
    )
    .map_err(|error| failed(&error.to_string()))?;
    let mut resizer = Resizer::new();
    let mut renditions = Vec::new();
    for width in rendition_widths(info) {
        let height = rendition_height(info, width);
        let resized = resize(&mut resizer, &source, width, height, false)?;
        let kind = RenditionKind::Width(width);
        renditions.push(webp(kind, &resized, pixels.alpha)?);
        renditions.push(fallback(kind, &resized, pixels.alpha, info.format)?);
    }
    if request.share {
        let (width, height) = share_size(info);
        let cropped = resize(&mut resizer, &source, width, height, true)?;
        let bytes = jpeg(&cropped, pixels.alpha, SHARE_QUALITY)?;
        renditions.push(Rendition {
            kind: RenditionKind::Share,
            format: MediaFormat::Jpeg,
            width,
            height,
            bytes,
        });
    }
    Ok(renditions)
}

fn pixel_type(pixels: &Pixels) -> PixelType {
    if pixels.alpha {
        PixelType::U8x4
    } else {
        PixelType::U8x3
    }
}

/// `source` resized to `width` × `height`; with `crop`, the centred part of the
/// source in those proportions (cover), else the whole source.
fn resize(
    resizer: &mut Resizer,
    source: &ImageRef<'_>,
    width: u32,
    height: u32,
    crop: bool,
) -> Result<Image<'static>, MediaProblem> {
    let mut target = Image::new(width, height, source.pixel_type());
    let mut options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    if crop {
        options = options.fit_into_destination(Some((0.5, 0.5)));
    }
    resizer
        .resize(source, &mut target, &options)
        .map_err(|error| failed(&error.to_string()))?;
    Ok(target)
}

fn webp(kind: RenditionKind, image: &Image<'_>, alpha: bool) -> Result<Rendition, MediaProblem> {
    let (width, height) = (image.width(), image.height());
    if width > WEBP_MAX_SIDE || height > WEBP_MAX_SIDE {
        return Err(MediaProblem::new(
            format!("this image is too long and narrow for WebP ({width} × {height} pixels)"),
            format!("WebP images may be at most {WEBP_MAX_SIDE} pixels on a side; crop the image"),
        ));
    }
    let layout = if alpha {
        webp::PixelLayout::Rgba
    } else {
        webp::PixelLayout::Rgb
    };
    let bytes = webp::Encoder::new(image.buffer(), layout, width, height)
        .encode_simple(false, WEBP_QUALITY)
        .map_err(|error| failed(&format!("{error:?}")))?
        .to_vec();
    Ok(Rendition {
        kind,
        format: MediaFormat::Webp,
        width,
        height,
        bytes,
    })
}

/// The rendition for browsers without WebP, in the [`fallback_format`].
fn fallback(
    kind: RenditionKind,
    image: &Image<'_>,
    alpha: bool,
    original: MediaFormat,
) -> Result<Rendition, MediaProblem> {
    let format = fallback_format(original);
    let bytes = if format == MediaFormat::Png {
        png(image, alpha)?
    } else {
        jpeg(image, alpha, JPEG_QUALITY)?
    };
    Ok(Rendition {
        kind,
        format,
        width: image.width(),
        height: image.height(),
        bytes,
    })
}

/// A baseline JPEG; transparent pixels (a share image of a logo) are put on white.
fn jpeg(image: &Image<'_>, alpha: bool, quality: u8) -> Result<Vec<u8>, MediaProblem> {
    let flattened;
    let rgb = if alpha {
        flattened = on_white(image.buffer());
        &flattened
    } else {
        image.buffer()
    };
    let mut bytes = Vec::new();
    JpegEncoder::new_with_quality(&mut bytes, quality)
        .write_image(rgb, image.width(), image.height(), ExtendedColorType::Rgb8)
        .map_err(|error| failed(&error.to_string()))?;
    Ok(bytes)
}

fn png(image: &Image<'_>, alpha: bool) -> Result<Vec<u8>, MediaProblem> {
    let color = if alpha {
        ExtendedColorType::Rgba8
    } else {
        ExtendedColorType::Rgb8
    };
    let mut bytes = Vec::new();
    PngEncoder::new_with_quality(&mut bytes, CompressionType::Fast, PngFilter::Adaptive)
        .write_image(image.buffer(), image.width(), image.height(), color)
        .map_err(|error| failed(&error.to_string()))?;
    Ok(bytes)
}

/// RGBA pixels composited on white, as RGB.
fn on_white(rgba: &[u8]) -> Vec<u8> {
    let mut rgb = Vec::with_capacity(rgba.len() / 4 * 3);
    for pixel in rgba.chunks_exact(4) {
        let alpha = u16::from(pixel[3]);
        for &channel in &pixel[..3] {
            let mixed = (u16::from(channel) * alpha + 255 * (255 - alpha) + 127) / 255;
            rgb.push(u8::try_from(mixed).unwrap_or(u8::MAX));
        }
    }
    rgb
}

fn failed(why: &str) -> MediaProblem {
    MediaProblem::new(
        format!("this image could not be converted: {why}"),
        "export the image again as a plain JPEG or PNG",
    )
}
