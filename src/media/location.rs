//! Location data taken out of the metadata blocks an original carries, everything else
//! (credit, copyright, caption, orientation) left in: EXIF without its GPS directory,
//! thumbnail and maker notes; XMP without any GPS, latitude or longitude property;
//! Photoshop resources reduced to IPTC (whose fields name no coordinates). A block that
//! cannot be read is dropped whole, since what it holds cannot be checked.

use exif::experimental::Writer;
use exif::{Context, Field, In, Reader, Tag, Value};
use roxmltree::{Document, Node, ParsingOptions};
use std::io::Cursor;
use std::ops::Range;

/// TIFF tags that point into the EXIF block by offset: kept, they would point at
/// whatever the rewritten block holds there.
const OFFSET_TAGS: &[u16] = &[
    0x0111, // StripOffsets
    0x0117, // StripByteCounts
    0x0144, // TileOffsets
    0x0145, // TileByteCounts
    0x014A, // SubIFDs
    0x0201, // JPEGInterchangeFormat
    0x0202, // JPEGInterchangeFormatLength
];

/// An EXIF block (a TIFF structure, without the `Exif\0\0` prefix) rewritten without
/// GPS, maker notes (vendor formats that can hold a position) and the thumbnail
/// directory; `None` when nothing is left or it cannot be read.
pub(super) fn clean_exif(tiff: &[u8]) -> Option<Vec<u8>> {
    let exif = Reader::new().read_raw(tiff.to_vec()).ok()?;
    let kept: Vec<&Field> = exif
        .fields()
        .filter(|field| field.ifd_num == In::PRIMARY)
        .filter(|field| field.tag.context() != Context::Gps)
        .filter(|field| field.tag != Tag::MakerNote)
        .filter(|field| {
            !(field.tag.context() == Context::Tiff && OFFSET_TAGS.contains(&field.tag.number()))
        })
        .filter(|field| !matches!(field.value, Value::Unknown(..)))
        .collect();
    if kept.is_empty() {
        return None;
    }
    let mut writer = Writer::new();
    for field in kept {
        writer.push_field(field);
    }
    let mut out = Cursor::new(Vec::new());
    writer.write(&mut out, exif.little_endian()).ok()?;
    Some(out.into_inner())
}

/// Whether an XMP property (or structure) holds a position.
fn is_location_property(local_name: &str) -> bool {
    let lower = local_name.to_ascii_lowercase();
    lower.starts_with("gps") || lower.contains("latitude") || lower.contains("longitude")
}

/// An XMP packet without its location properties, as elements or as attributes;
/// `None` when it is not well-formed XML (or has a DOCTYPE).
pub(super) fn clean_xmp(text: &str) -> Option<String> {
    let options = || ParsingOptions {
        allow_dtd: false,
        ..ParsingOptions::default()
    };
    let document = Document::parse_with_options(text, options()).ok()?;
    let mut removed: Vec<Range<usize>> = Vec::new();
    collect_location_ranges(document.root(), &mut removed);
    if removed.is_empty() {
        return Some(text.to_owned());
    }
    removed.sort_by_key(|range| range.start);
    let mut cleaned = String::with_capacity(text.len());
    let mut position = 0;
    for range in removed {
        // A range inside one already removed (an attribute of a removed element).
        if range.start < position {
            continue;
        }
        cleaned.push_str(&text[position..range.start]);
        position = range.end;
    }
    cleaned.push_str(&text[position..]);
    Document::parse_with_options(&cleaned, options()).ok()?;
    Some(cleaned)
}

fn collect_location_ranges(node: Node<'_, '_>, removed: &mut Vec<Range<usize>>) {
    for child in node.children().filter(Node::is_element) {
        if is_location_property(child.tag_name().name()) {
            removed.push(child.range());
            continue;
        }
        for attribute in child.attributes() {
            if is_location_property(attribute.name()) {
                removed.push(attribute.range());
            }
        }
        collect_location_ranges(child, removed);
    }
}

/// The Photoshop resource holding IPTC-IIM records (creator, credit line, copyright).
const IPTC_RESOURCE: u16 = 0x0404;
/// Resources that are about rights and go with IPTC: the IPTC digest, the copyright
/// flag and the copyright URL.
const RIGHTS_RESOURCES: &[u16] = &[0x0425, 0x040A, 0x040B];

/// Photoshop image resources (APP13 after `Photoshop 3.0\0`) reduced to IPTC and the
/// rights resources: others can embed a second EXIF or XMP block. `None` when nothing
/// is left or the resources cannot be read.
pub(super) fn clean_photoshop_resources(data: &[u8]) -> Option<Vec<u8>> {
    let mut kept = Vec::new();
    let mut rest = data;
    while !rest.is_empty() {
        let signature = rest.get(..4)?;
        if !matches!(signature, b"8BIM" | b"MeSa" | b"PHUT" | b"AgHg" | b"DCSR") {
            return None;
        }
        let id = u16::from_be_bytes(rest.get(4..6)?.try_into().ok()?);
        let name_length = usize::from(*rest.get(6)?);
        // The name is a Pascal string padded to an even length, its length byte included.
        let name_end = 6 + (name_length + 1).next_multiple_of(2);
        let size_bytes: [u8; 4] = rest.get(name_end..name_end + 4)?.try_into().ok()?;
        let size = usize::try_from(u32::from_be_bytes(size_bytes)).ok()?;
        let data_start = name_end + 4;
        let end = data_start.checked_add(size)?;
        let padded_end = end.next_multiple_of(2).min(rest.len());
        let resource = rest.get(..end)?;
        if id == IPTC_RESOURCE || RIGHTS_RESOURCES.contains(&id) {
            kept.extend_from_slice(resource);
            if end % 2 == 1 {
                kept.push(0);
            }
        }
        rest = &rest[padded_end..];
    }
    (!kept.is_empty()).then_some(kept)
}
