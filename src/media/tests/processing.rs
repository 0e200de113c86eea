//! `process` on photos made in the test: what is published, and what is not.

use super::photos::*;
use crate::media::*;
use exif::{Context, Tag};

fn decoded_size(bytes: &[u8]) -> (u32, u32) {
    let image = image::load_from_memory(bytes).unwrap();
    (image.width(), image.height())
}

#[test]
fn the_original_keeps_credits_and_loses_every_position() {
    let photo = photo_with_gps(640, 480);
    assert!(
        exif_fields(&photo)
            .iter()
            .any(|field| field.tag.context() == Context::Gps)
    );
    let processed = process(&photo, &Request::default()).unwrap();
    let original = &processed.original;

    assert_no_position_but_credits(original);
    let fields = exif_fields(original);
    assert!(
        ascii_value(&fields, Tag::Copyright)
            .unwrap()
            .contains("Magdeburg")
    );
    assert!(fields.iter().any(|field| field.tag == Tag::Orientation));

    assert!(contains(
        original,
        "Universitätsmedizin Magdeburg".as_bytes()
    ));
    assert!(contains(original, b"Iptc4xmpExt:City"));
    // IPTC is kept, the second EXIF block in the Photoshop resources is not.
    assert!(contains(original, &[0x1C, 2, 80, 0, 10]));
    assert!(contains(original, b"Photoshop 3.0\0"));
    assert_eq!(
        original
            .windows(6)
            .filter(|window| window == b"Exif\0\0")
            .count(),
        1
    );
    // The trailer after the end marker is gone: the file ends at the image's own end.
    assert!(original.ends_with(&[0xFF, 0xD9]));
    assert!(original.len() < photo.len());
    assert_eq!(decoded_size(original), (640, 480));
}

#[test]
fn derivatives_carry_no_metadata() {
    let processed = process(&photo_with_gps(900, 600), &Request { share: true }).unwrap();
    for rendition in &processed.renditions {
        assert!(
            exif_fields(&rendition.bytes).is_empty(),
            "{:?}",
            rendition.kind
        );
        assert!(!contains(&rendition.bytes, b"http://ns.adobe.com/xap/1.0/"));
        assert!(!contains(&rendition.bytes, b"Photoshop 3.0"));
        assert!(!contains(&rendition.bytes, b"Max Muster"));
    }
}

#[test]
fn renditions_match_the_widths_in_their_real_pixels() {
    let photo = plain_jpeg(2600, 1400);
    let info = inspect(&photo).unwrap();
    let processed = process(&photo, &Request { share: true }).unwrap();
    let widths = rendition_widths(&info);
    assert_eq!(widths, vec![480, 800, 1200, 1600, 2400]);
    for width in &widths {
        let made: Vec<_> = processed
            .renditions
            .iter()
            .filter(|rendition| rendition.kind == RenditionKind::Width(*width))
            .collect();
        let formats: Vec<_> = made.iter().map(|rendition| rendition.format).collect();
        assert_eq!(formats, vec![MediaFormat::Webp, MediaFormat::Jpeg]);
        for rendition in made {
            assert_eq!(MediaFormat::sniff(&rendition.bytes), Some(rendition.format));
            let expected = (*width, rendition_height(&info, *width));
            assert_eq!((rendition.width, rendition.height), expected);
            assert_eq!(decoded_size(&rendition.bytes), expected);
        }
    }
    let share = processed
        .renditions
        .iter()
        .find(|r| r.kind == RenditionKind::Share)
        .unwrap();
    assert_eq!(share.format, MediaFormat::Jpeg);
    assert_eq!(decoded_size(&share.bytes), SHARE_SIZE);
}

#[test]
fn a_small_photo_is_never_upscaled() {
    let processed = process(&plain_jpeg(600, 400), &Request { share: true }).unwrap();
    for rendition in &processed.renditions {
        let (width, height) = decoded_size(&rendition.bytes);
        assert!(
            width <= 600 && height <= 400,
            "{:?} is {width}×{height}",
            rendition.kind
        );
    }
    let kinds: Vec<_> = processed
        .renditions
        .iter()
        .map(|rendition| rendition.kind)
        .collect();
    assert_eq!(
        kinds,
        [
            RenditionKind::Width(480),
            RenditionKind::Width(480),
            RenditionKind::Width(600),
            RenditionKind::Width(600),
            RenditionKind::Share
        ]
    );
}

#[test]
fn orientation_6_turns_a_landscape_stored_photo_to_portrait() {
    let exif = [b"Exif\0\0".as_slice(), &exif_block(6, false)].concat();
    let photo = with_segments(&plain_jpeg(600, 400), &[(0xE1, exif)]);
    let info = inspect(&photo).unwrap();
    assert_eq!((info.width, info.height), (400, 600));
    let processed = process(&photo, &Request::default()).unwrap();
    assert_eq!(processed.info, info);
    let largest = processed
        .renditions
        .iter()
        .find(|rendition| rendition.kind == RenditionKind::Width(400))
        .unwrap();
    let image = image::load_from_memory(&largest.bytes).unwrap().into_rgb8();
    assert_eq!(image.dimensions(), (400, 600));
    // Turned a quarter clockwise, the stored top-left (red) is at the top right.
    let [red, _, blue] = image.get_pixel(350, 50).0;
    assert!(red > 200 && blue < 60, "top right is {red},{blue}");
    let [red, _, blue] = image.get_pixel(50, 50).0;
    assert!(red < 60 && blue > 200, "top left is {red},{blue}");
    // The download keeps its bytes and so its orientation tag.
    let fields = exif_fields(&processed.original);
    let orientation = fields
        .iter()
        .find(|field| field.tag == Tag::Orientation)
        .unwrap();
    assert_eq!(orientation.value.get_uint(0), Some(6));
}

#[test]
fn a_truncated_jpeg_is_a_problem_not_a_panic() {
    let photo = plain_jpeg(800, 600);
    for cut in [photo.len() / 2, photo.len() - 2, 40, 3] {
        let result = process(&photo[..cut], &Request { share: true });
        assert!(result.is_err(), "cut at {cut} of {}", photo.len());
    }
}

#[test]
fn a_jpeg_bomb_header_is_refused_before_decoding() {
    let mut photo = plain_jpeg(16, 16);
    // The frame header (SOF0): marker, length, precision, then height and width.
    let sof = photo
        .windows(2)
        .position(|window| window == [0xFF, 0xC0])
        .unwrap();
    photo[sof + 5..sof + 7].copy_from_slice(&30_000u16.to_be_bytes());
    photo[sof + 7..sof + 9].copy_from_slice(&30_000u16.to_be_bytes());
    let problem = inspect(&photo).unwrap_err();
    assert!(problem.message.contains("larger"), "{problem:?}");
    assert!(process(&photo, &Request::default()).is_err());
}

#[test]
fn transparent_images_fall_back_to_png() {
    let processed = process(&transparent_png(1000, 500), &Request { share: true }).unwrap();
    let formats: Vec<_> = processed
        .renditions
        .iter()
        .map(|rendition| rendition.format)
        .collect();
    assert_eq!(
        formats,
        [
            MediaFormat::Webp,
            MediaFormat::Png,
            MediaFormat::Webp,
            MediaFormat::Png,
            MediaFormat::Webp,
            MediaFormat::Png,
            MediaFormat::Jpeg
        ]
    );
    let fallback = image::load_from_memory(&processed.renditions[1].bytes).unwrap();
    assert!(fallback.color().has_alpha());
}

#[test]
fn fallbacks_follow_the_original_format_alone() {
    // An opaque PNG still gets PNG fallbacks: markup knows the format from the header.
    let png = super::png(600, 300);
    let processed = process(&png, &Request::default()).unwrap();
    let fallback = &processed.renditions[1];
    assert_eq!(fallback.format, fallback_format(MediaFormat::Png));
    assert_eq!(MediaFormat::sniff(&fallback.bytes), Some(MediaFormat::Png));
    assert!(
        !image::load_from_memory(&fallback.bytes)
            .unwrap()
            .color()
            .has_alpha()
    );
    assert_eq!(fallback_format(MediaFormat::Jpeg), MediaFormat::Jpeg);
}

#[test]
fn an_svg_is_published_as_it_is() {
    let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 20 10\"/>";
    let processed = process(svg, &Request { share: true }).unwrap();
    assert_eq!(processed.original, svg);
    assert!(processed.renditions.is_empty());
    assert_eq!((processed.info.width, processed.info.height), (20, 10));
}
