//! Originals of every raster format lose their positions and keep their credits;
//! colours are converted from other profiles to sRGB.

use super::photos::*;
use crate::media::location::{clean_photoshop_resources, clean_xmp};
use crate::media::*;
use image::{ExtendedColorType, ImageEncoder, RgbImage};
use img_parts::png::{Png, PngChunk};
use img_parts::riff::{RiffChunk, RiffContent};
use img_parts::webp::WebP;
use img_parts::{Bytes, ImageEXIF};

fn png_text_chunk(kind: &[u8; 4], keyword: &str, text: &str) -> PngChunk {
    let contents = if kind == b"iTXt" {
        [keyword.as_bytes(), b"\0\0\0\0\0", text.as_bytes()].concat()
    } else {
        [keyword.as_bytes(), b"\0", text.as_bytes()].concat()
    };
    PngChunk::new(*kind, contents.into())
}

#[test]
fn a_png_loses_its_positions_and_keeps_its_credits() {
    let mut png = Png::from_bytes(transparent_png(64, 32).into()).unwrap();
    let chunks = png.chunks_mut();
    chunks.insert(1, PngChunk::new(*b"eXIf", exif_block(1, true).into()));
    chunks.insert(
        2,
        png_text_chunk(b"iTXt", "XML:com.adobe.xmp", XMP_WITH_GPS),
    );
    chunks.insert(
        3,
        png_text_chunk(b"tEXt", "Raw profile type exif", "GPSLatitude"),
    );
    chunks.insert(4, png_text_chunk(b"tEXt", "Author", "Max Muster"));
    let photo = png.encoder().bytes().to_vec();
    assert!(contains(&photo, b"GPS"));

    let original = process(&photo, &Request::default()).unwrap().original;
    assert_no_position_but_credits(&original);
    assert!(contains(&original, b"Author\0Max Muster"));
    let image = image::load_from_memory(&original).unwrap();
    assert_eq!((image.width(), image.height()), (64, 32));
}

#[test]
fn a_webp_loses_its_positions_and_keeps_its_credits() {
    let pixels = RgbImage::from_pixel(64, 32, image::Rgb([10, 120, 200]));
    let encoded = webp::Encoder::from_rgb(pixels.as_raw(), 64, 32).encode(80.0);
    let mut webp = WebP::from_bytes(Bytes::copy_from_slice(&encoded)).unwrap();
    let xmp = RiffChunk::new(
        *b"XMP ",
        RiffContent::Data(XMP_WITH_GPS.as_bytes().to_vec().into()),
    );
    webp.chunks_mut().push(xmp);
    webp.set_exif(Some(exif_block(1, true).into()));
    let photo = webp.encoder().bytes().to_vec();
    assert!(contains(&photo, b"GPS"));

    let original = process(&photo, &Request::default()).unwrap().original;
    assert_no_position_but_credits(&original);
    let image = image::load_from_memory(&original).unwrap();
    assert_eq!((image.width(), image.height()), (64, 32));
}

#[test]
fn a_gif_loses_an_xmp_application_block() {
    let frame = image::RgbaImage::from_pixel(16, 8, image::Rgba([200, 0, 0, 255]));
    let mut gif = Vec::new();
    image::codecs::gif::GifEncoder::new(&mut gif)
        .encode(frame.as_raw(), 16, 8, ExtendedColorType::Rgba8)
        .unwrap();
    let flags = gif[10];
    let table = if flags & 0x80 != 0 {
        3 << ((flags & 7) + 1)
    } else {
        0
    };
    let mut block = vec![0x21, 0xFF, 11];
    block.extend_from_slice(b"XMP DataXMP");
    let text = b"<x:xmpmeta exif:GPSLatitude=\"52,7N\"/>";
    block.push(u8::try_from(text.len()).unwrap());
    block.extend_from_slice(text);
    block.push(0);
    let at = 13 + table;
    let photo = [&gif[..at], &block[..], &gif[at..]].concat();
    assert!(image::load_from_memory(&photo).is_ok());

    let original = process(&photo, &Request::default()).unwrap().original;
    assert!(!contains(&original, b"GPS"));
    assert_eq!(original, gif);
}

#[test]
fn xmp_loses_position_properties_as_attributes_and_elements() {
    let cleaned = clean_xmp(XMP_WITH_GPS).unwrap();
    assert!(!cleaned.contains("GPS"), "{cleaned}");
    for kept in [
        "photoshop:Credit=",
        "<dc:creator>",
        "Iptc4xmpExt:City",
        "<?xpacket end",
    ] {
        assert!(cleaned.contains(kept), "{kept} missing in {cleaned}");
    }
    assert_eq!(clean_xmp("<x:xmpmeta>unclosed"), None);
    let doctype = "<!DOCTYPE x [<!ENTITY e \"GPS\">]><x:xmpmeta xmlns:x=\"adobe:ns:meta/\"/>";
    assert_eq!(clean_xmp(doctype), None);
}

#[test]
fn photoshop_resources_keep_only_iptc() {
    let resources = photoshop_resources();
    let cleaned = clean_photoshop_resources(&resources[b"Photoshop 3.0\0".len()..]).unwrap();
    assert!(cleaned.starts_with(b"8BIM\x04\x04"));
    assert!(contains(&cleaned, b"Max Muster"));
    assert!(!contains(&cleaned, b"Exif"));
    assert_eq!(clean_photoshop_resources(b"8BIM\x04"), None);
}

fn jpeg_with_profile(profile: Option<Vec<u8>>) -> Vec<u8> {
    let image = RgbImage::from_pixel(32, 32, image::Rgb([180, 120, 60]));
    let mut bytes = Vec::new();
    let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 100);
    if let Some(profile) = profile {
        encoder.set_icc_profile(profile).unwrap();
    }
    encoder
        .write_image(image.as_raw(), 32, 32, ExtendedColorType::Rgb8)
        .unwrap();
    bytes
}

fn centre_pixel(bytes: &[u8]) -> [u8; 3] {
    let pixels = crate::media::decode::decode(bytes, MediaFormat::Jpeg).unwrap();
    let at = (16 * 32 + 16) * 3;
    [pixels.data[at], pixels.data[at + 1], pixels.data[at + 2]]
}

#[test]
fn colours_in_another_profile_are_converted_to_srgb() {
    let plain = centre_pixel(&jpeg_with_profile(None));
    let srgb = moxcms::ColorProfile::new_srgb().encode().unwrap();
    assert_eq!(centre_pixel(&jpeg_with_profile(Some(srgb))), plain);
    let p3 = moxcms::ColorProfile::new_display_p3().encode().unwrap();
    let converted = centre_pixel(&jpeg_with_profile(Some(p3)));
    // Display P3's orange is more saturated than the same numbers in sRGB.
    assert!(converted[0] > plain[0] + 5, "{converted:?} from {plain:?}");
    assert!(converted[2] < plain[2], "{converted:?} from {plain:?}");
}

/// Small files of every raster format, with metadata blocks to walk.
fn samples() -> Vec<Vec<u8>> {
    let jpeg = photo_with_gps(40, 30);
    let mut png = Png::from_bytes(transparent_png(20, 10).into()).unwrap();
    png.chunks_mut()
        .insert(1, PngChunk::new(*b"eXIf", exif_block(6, true).into()));
    let pixels = RgbImage::from_pixel(16, 8, image::Rgb([1, 2, 3]));
    let encoded = webp::Encoder::from_rgb(pixels.as_raw(), 16, 8).encode(80.0);
    let mut webp = WebP::from_bytes(Bytes::copy_from_slice(&encoded)).unwrap();
    webp.set_exif(Some(exif_block(1, true).into()));
    let frame = image::RgbaImage::from_pixel(8, 8, image::Rgba([1, 2, 3, 255]));
    let mut gif = Vec::new();
    image::codecs::gif::GifEncoder::new(&mut gif)
        .encode(frame.as_raw(), 8, 8, ExtendedColorType::Rgba8)
        .unwrap();
    vec![
        jpeg,
        png.encoder().bytes().to_vec(),
        webp.encoder().bytes().to_vec(),
        gif,
    ]
}

#[test]
fn damaged_files_are_problems_never_panics() {
    for sample in samples() {
        let step = (sample.len() / 60).max(1);
        for cut in (3..sample.len()).step_by(step) {
            let _ = process(&sample[..cut], &Request { share: true });
        }
        for position in (0..sample.len()).step_by(step) {
            for value in [0x00, 0xFF, 0x7F] {
                let mut damaged = sample.clone();
                damaged[position] = value;
                let _ = process(&damaged, &Request { share: true });
            }
        }
    }
}
