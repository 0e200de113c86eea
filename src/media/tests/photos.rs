//! Photos made in the test: JPEGs with EXIF, XMP and IPTC blocks, a trailer after the
//! end marker, and the readers that check what came out.

use exif::{Context, Field, Tag};
use image::{ExtendedColorType, ImageEncoder, RgbImage, RgbaImage};
use std::io::Cursor;

/// A JPEG of `width` × `height` whose top-left quarter is red, the rest blue.
pub(super) fn plain_jpeg(width: u32, height: u32) -> Vec<u8> {
    let image = RgbImage::from_fn(width, height, |x, y| {
        if x < width / 2 && y < height / 2 {
            image::Rgb([255, 0, 0])
        } else {
            image::Rgb([0, 0, 255])
        }
    });
    let mut bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 90)
        .write_image(image.as_raw(), width, height, ExtendedColorType::Rgb8)
        .unwrap();
    bytes
}

/// A PNG with a transparent left half.
pub(super) fn transparent_png(width: u32, height: u32) -> Vec<u8> {
    let image = RgbaImage::from_fn(width, height, |x, _| {
        image::Rgba([0, 128, 0, if x < width / 2 { 0 } else { 255 }])
    });
    let mut bytes = Vec::new();
    image::codecs::png::PngEncoder::new(&mut bytes)
        .write_image(image.as_raw(), width, height, ExtendedColorType::Rgba8)
        .unwrap();
    bytes
}

/// An EXIF block with credits, an orientation and, if asked, a position in Magdeburg;
/// shared with the integration tests.
#[path = "../../../tests/support/exif.rs"]
mod exif_support;
pub(super) use exif_support::exif_block;

/// An XMP packet naming the creator and credit line, with a position as attributes
/// and as elements.
pub(super) const XMP_WITH_GPS: &str = r#"<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"
    xmlns:exif="http://ns.adobe.com/exif/1.0/"
    xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
    photoshop:Credit="Universitätsmedizin Magdeburg"
    exif:GPSLatitude="52,7.2333N" exif:GPSLongitude="11,37.7333E">
   <dc:creator><rdf:Seq><rdf:li>Max Muster</rdf:li></rdf:Seq></dc:creator>
   <exif:GPSAltitude>50/1</exif:GPSAltitude>
   <Iptc4xmpExt:LocationCreated><rdf:Bag><rdf:li rdf:parseType="Resource">
    <Iptc4xmpExt:City>Magdeburg</Iptc4xmpExt:City>
    <exif:GPSLatitude>52,7.2333N</exif:GPSLatitude>
   </rdf:li></rdf:Bag></Iptc4xmpExt:LocationCreated>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"#;

/// Photoshop resources: IPTC (a by-line) and a second EXIF block (resource 0x0422).
pub(super) fn photoshop_resources() -> Vec<u8> {
    let resource = |id: u16, data: &[u8]| {
        let mut bytes = b"8BIM".to_vec();
        bytes.extend_from_slice(&id.to_be_bytes());
        bytes.extend_from_slice(&[0, 0]);
        bytes.extend_from_slice(&u32::try_from(data.len()).unwrap().to_be_bytes());
        bytes.extend_from_slice(data);
        if data.len() % 2 == 1 {
            bytes.push(0);
        }
        bytes
    };
    // IPTC record 2, dataset 80 (By-line).
    let mut iptc = vec![0x1C, 2, 80, 0, 10];
    iptc.extend_from_slice(b"Max Muster");
    let mut resources = b"Photoshop 3.0\0".to_vec();
    resources.extend(resource(0x0404, &iptc));
    resources.extend(resource(
        0x0422,
        &[b"Exif\0\0".as_slice(), &exif_block(1, true)].concat(),
    ));
    resources
}

fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
    let mut bytes = vec![0xFF, marker];
    bytes.extend_from_slice(&u16::try_from(payload.len() + 2).unwrap().to_be_bytes());
    bytes.extend_from_slice(payload);
    bytes
}

/// `jpeg` with `segments` inserted after its start marker.
pub(super) fn with_segments(jpeg: &[u8], segments: &[(u8, Vec<u8>)]) -> Vec<u8> {
    let mut bytes = jpeg[..2].to_vec();
    for (marker, payload) in segments {
        bytes.extend(segment(*marker, payload));
    }
    bytes.extend_from_slice(&jpeg[2..]);
    bytes
}

/// A press photo as cameras and photo desks leave it: EXIF with GPS, XMP with GPS,
/// IPTC beside a second EXIF, and a trailer after the end marker that repeats the EXIF
/// (as MPF previews do).
pub(super) fn photo_with_gps(width: u32, height: u32) -> Vec<u8> {
    let exif = [b"Exif\0\0".as_slice(), &exif_block(1, true)].concat();
    let xmp = [
        b"http://ns.adobe.com/xap/1.0/\0".as_slice(),
        XMP_WITH_GPS.as_bytes(),
    ]
    .concat();
    let mut bytes = with_segments(
        &plain_jpeg(width, height),
        &[
            (0xE1, exif.clone()),
            (0xE1, xmp),
            (0xED, photoshop_resources()),
        ],
    );
    bytes.extend(with_segments(&plain_jpeg(8, 8), &[(0xE1, exif)]));
    bytes
}

/// The EXIF fields of a file, or none when it has no EXIF.
pub(super) fn exif_fields(bytes: &[u8]) -> Vec<Field> {
    match exif::Reader::new().read_from_container(&mut Cursor::new(bytes)) {
        Ok(exif) => exif.fields().cloned().collect(),
        Err(_) => Vec::new(),
    }
}

pub(super) fn ascii_value(fields: &[Field], tag: Tag) -> Option<String> {
    fields
        .iter()
        .find(|field| field.tag == tag)
        .map(|field| field.display_value().to_string())
}

pub(super) fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

/// The published original has no GPS field or property left and still names the photographer.
pub(super) fn assert_no_position_but_credits(original: &[u8]) {
    let fields = exif_fields(original);
    assert!(
        !fields
            .iter()
            .any(|field| field.tag.context() == Context::Gps),
        "{fields:?}"
    );
    assert_eq!(
        ascii_value(&fields, Tag::Artist).as_deref(),
        Some("\"Max Muster\"")
    );
    assert!(!contains(original, b"GPS"), "a GPS property is left");
    assert!(contains(original, b"<rdf:li>Max Muster</rdf:li>"));
}
