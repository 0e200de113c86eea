//! The interface's promises, on images made in the test.

mod caching;
mod originals;
mod photos;
mod processing;
mod timing;

use super::*;
use image::{ImageEncoder, RgbImage};

pub(super) fn png(width: u32, height: u32) -> Vec<u8> {
    let image = RgbImage::from_fn(width, height, |x, y| image::Rgb([x as u8, y as u8, 128]));
    let mut bytes = Vec::new();
    image::codecs::png::PngEncoder::new(&mut bytes)
        .write_image(
            image.as_raw(),
            width,
            height,
            image::ExtendedColorType::Rgb8,
        )
        .unwrap();
    bytes
}

/// PNG's chunk checksum (CRC-32, ISO 3309), bit by bit: the tests' chunks are tiny.
pub(super) fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = u32::MAX;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn inspect_reads_format_and_size_from_the_header() {
    let info = inspect(&png(300, 200)).unwrap();
    assert_eq!(
        info,
        MediaInfo {
            format: MediaFormat::Png,
            width: 300,
            height: 200
        }
    );
}

#[test]
fn a_huge_png_header_is_refused_without_decoding() {
    let mut bytes = png(4, 4);
    // IHDR's width and height follow the signature, the chunk length and its type.
    bytes[16..20].copy_from_slice(&30_000u32.to_be_bytes());
    bytes[20..24].copy_from_slice(&30_000u32.to_be_bytes());
    let crc = crc32(&bytes[12..29]);
    bytes[29..33].copy_from_slice(&crc.to_be_bytes());
    let problem = inspect(&bytes).unwrap_err();
    assert!(problem.message.contains("larger"), "{problem:?}");
}

#[test]
fn a_file_that_is_no_image_is_refused() {
    assert!(inspect(b"%PDF-1.7 not an image").is_err());
    assert!(inspect(b"").is_err());
}

#[test]
fn rendition_widths_never_exceed_the_original() {
    let info = |width| MediaInfo {
        format: MediaFormat::Jpeg,
        width,
        height: 100,
    };
    assert_eq!(
        rendition_widths(&info(3000)),
        vec![480, 800, 1200, 1600, 2400]
    );
    assert_eq!(
        rendition_widths(&info(2400)),
        vec![480, 800, 1200, 1600, 2400]
    );
    assert_eq!(rendition_widths(&info(1000)), vec![480, 800, 1000]);
    assert_eq!(rendition_widths(&info(480)), vec![480]);
    assert_eq!(rendition_widths(&info(300)), vec![300]);
    let svg = MediaInfo {
        format: MediaFormat::Svg,
        width: 3000,
        height: 100,
    };
    assert!(rendition_widths(&svg).is_empty());
}

#[test]
fn share_size_is_a_crop_never_an_upscale() {
    let info = |width, height| MediaInfo {
        format: MediaFormat::Jpeg,
        width,
        height,
    };
    assert_eq!(share_size(&info(3000, 2000)), SHARE_SIZE);
    assert_eq!(share_size(&info(800, 600)), (800, 420));
    assert_eq!(share_size(&info(1000, 300)), (571, 300));
}

#[test]
fn content_hash_is_short_hex_and_follows_the_bytes() {
    let hash = content_hash(b"photo");
    assert_eq!(hash.len(), 16);
    assert!(hash.bytes().all(|byte| byte.is_ascii_hexdigit()));
    assert_ne!(hash, content_hash(b"photo2"));
    assert_eq!(hash, content_hash(b"photo"));
}

#[test]
fn svg_size_comes_from_width_height_or_view_box() {
    let size = |svg: &str| inspect(svg.as_bytes()).map(|info| (info.width, info.height));
    let ns = "xmlns=\"http://www.w3.org/2000/svg\"";
    assert_eq!(
        size(&format!("<svg {ns} width=\"120\" height=\"40\"/>")),
        Ok((120, 40))
    );
    assert_eq!(
        size(&format!("<svg {ns} viewBox=\"0 0 300 100\"/>")),
        Ok((300, 100))
    );
    assert_eq!(
        size(&format!(
            "<svg {ns} width=\"150\" viewBox=\"0 0 300 100\"/>"
        )),
        Ok((150, 50))
    );
    assert!(size(&format!("<svg {ns}/>")).is_err());
}

#[test]
fn unsafe_svgs_are_refused_naming_what_and_where() {
    let ns = "xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\"";
    let refused = |body: &str| {
        let svg = format!("<svg {ns} viewBox=\"0 0 10 10\">\n{body}\n</svg>");
        inspect(svg.as_bytes()).unwrap_err().message
    };
    assert!(refused("<script>alert(1)</script>").contains("<script> element on line 2"));
    assert!(refused("<rect onclick=\"alert(1)\"/>").contains("onclick"));
    assert!(refused("<image href=\"https://tracker.example/x.png\"/>").contains("href"));
    assert!(refused("<use xlink:href=\"other.svg#logo\"/>").contains("href"));
    assert!(refused("<a href=\"javascript:alert(1)\"><rect/></a>").contains("href"));
    assert!(refused("<image href=\"data:text/html;base64,AAAA\"/>").contains("href"));
    assert!(refused("<foreignObject><div/></foreignObject>").contains("foreignObject"));
    assert!(refused("<style>@import url(https://x.example/a.css);</style>").contains("@import"));
    assert!(refused("<rect style=\"fill: url(https://x.example/p.svg#a)\"/>").contains("url("));
    let doctype = "<!DOCTYPE svg [<!ENTITY a \"b\">]><svg xmlns=\"http://www.w3.org/2000/svg\"/>";
    assert!(
        inspect(doctype.as_bytes())
            .unwrap_err()
            .message
            .contains("DOCTYPE")
    );
}

#[test]
fn safe_svgs_with_internal_references_pass() {
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" \
               viewBox=\"0 0 10 10\"><defs><linearGradient id=\"g\"/></defs>\
               <rect fill=\"url(#g)\" style=\"fill: url('#g')\"/><use xlink:href=\"#g\"/>\
               <image href=\"data:image/png;base64,iVBORw0KGgo=\"/></svg>";
    assert!(inspect(svg.as_bytes()).is_ok());
}
