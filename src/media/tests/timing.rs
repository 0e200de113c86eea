//! A plain timing of `process` on a camera-sized photo (not a timed test: it asserts
//! nothing about speed). Run it optimised:
//! `cargo test --release --lib media::tests::timing -- --ignored --nocapture`.
#![allow(clippy::print_stdout, reason = "a timing prints its figures")]

use crate::media::*;
use image::{ExtendedColorType, ImageEncoder, RgbImage};
use std::time::Instant;

/// A 3000 × 2000 JPEG at quality 90 with gradients, edges and noise, so the encoders
/// have a photo's amount of detail to work on.
fn camera_photo() -> Vec<u8> {
    let mut state: u32 = 0x9E37_79B9;
    let image = RgbImage::from_fn(3000, 2000, |x, y| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let noise = (state % 24) as u8;
        let stripe = if (x / 150 + y / 100) % 2 == 0 { 40 } else { 0 };
        image::Rgb([
            (x * 200 / 3000) as u8 + noise + stripe,
            (y * 200 / 2000) as u8 + noise,
            ((x + y) * 100 / 5000) as u8 + noise + stripe,
        ])
    });
    let mut bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 90)
        .write_image(image.as_raw(), 3000, 2000, ExtendedColorType::Rgb8)
        .unwrap();
    bytes
}

#[test]
#[ignore = "a timing to run by hand, optimised"]
fn process_a_3000_by_2000_photo() {
    let photo = camera_photo();
    let runs = 5;
    let mut total = std::time::Duration::ZERO;
    for _ in 0..runs {
        let start = Instant::now();
        let processed = process(&photo, &Request { share: true }).unwrap();
        total += start.elapsed();
        assert_eq!(processed.renditions.len(), 11);
    }
    let per_photo = total.as_secs_f64() * 1000.0 / f64::from(runs);
    println!(
        "process: {per_photo:.0} ms per 3000x2000 photo ({} KB)",
        photo.len() / 1024
    );
    let start = Instant::now();
    let pixels = super::super::decode::decode(&photo, MediaFormat::Jpeg).unwrap();
    println!("  decode: {:.0} ms", start.elapsed().as_secs_f64() * 1000.0);
    let info = inspect(&photo).unwrap();
    let start = Instant::now();
    super::super::encode::renditions(&pixels, &info, &Request { share: true }).unwrap();
    println!(
        "  resize + encode: {:.0} ms",
        start.elapsed().as_secs_f64() * 1000.0
    );
    let start = Instant::now();
    super::super::original::without_location(&photo, MediaFormat::Jpeg).unwrap();
    println!(
        "  original: {:.1} ms",
        start.elapsed().as_secs_f64() * 1000.0
    );
    let site = tempfile::tempdir().unwrap();
    let cache = cache::MediaCache::open(site.path());
    cache
        .get_or_process(&photo, &Request { share: true })
        .unwrap();
    let start = Instant::now();
    cache
        .get_or_process(&photo, &Request { share: true })
        .unwrap();
    println!(
        "  cache hit: {:.1} ms",
        start.elapsed().as_secs_f64() * 1000.0
    );
}

#[test]
#[ignore = "a timing to run by hand, optimised"]
fn encoders_on_a_2400_by_1600_rendition() {
    use fast_image_resize::images::{Image, ImageRef};
    use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
    let photo = camera_photo();
    let pixels = super::super::decode::decode(&photo, MediaFormat::Jpeg).unwrap();
    let source = ImageRef::new(3000, 2000, &pixels.data, PixelType::U8x3).unwrap();
    let mut target = Image::new(2400, 1600, PixelType::U8x3);
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    let start = Instant::now();
    Resizer::new()
        .resize(&source, &mut target, &options)
        .unwrap();
    println!(
        "resize to 2400: {:.0} ms",
        start.elapsed().as_secs_f64() * 1000.0
    );
    for method in [0, 2, 4] {
        let mut config = webp::WebPConfig::new().unwrap();
        config.quality = 80.0;
        config.method = method;
        let start = Instant::now();
        let encoded = webp::Encoder::from_rgb(target.buffer(), 2400, 1600)
            .encode_advanced(&config)
            .unwrap();
        println!(
            "webp method {method}: {:.0} ms, {} KB",
            start.elapsed().as_secs_f64() * 1000.0,
            encoded.len() / 1024
        );
    }
    let start = Instant::now();
    let mut bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 82)
        .write_image(target.buffer(), 2400, 1600, ExtendedColorType::Rgb8)
        .unwrap();
    println!(
        "image's jpeg: {:.0} ms, {} KB",
        start.elapsed().as_secs_f64() * 1000.0,
        bytes.len() / 1024
    );
}
