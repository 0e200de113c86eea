//! An EXIF block (TIFF structure) for photos made in tests: credits, an orientation
//! and, if asked, a position in Magdeburg. Shared by the media unit tests
//! (`src/media/tests/photos.rs`) and the integration tests (`tests/it`), which each
//! include this file as a module.

use exif::experimental::Writer;
use exif::{Field, In, Rational, Tag, Value};
use std::io::Cursor;

fn ascii(tag: Tag, text: &str) -> Field {
    Field {
        tag,
        ifd_num: In::PRIMARY,
        value: Value::Ascii(vec![text.as_bytes().to_vec()]),
    }
}

/// An EXIF block (TIFF structure) with credits, an orientation and, if asked, a
/// position in Magdeburg.
pub(crate) fn exif_block(orientation: u16, gps: bool) -> Vec<u8> {
    let degrees = |value: u32| Rational {
        num: value,
        denom: 1,
    };
    let mut fields = vec![
        Field {
            tag: Tag::Orientation,
            ifd_num: In::PRIMARY,
            value: Value::Short(vec![orientation]),
        },
        ascii(Tag::Artist, "Max Muster"),
        ascii(Tag::Copyright, "Universitätsmedizin Magdeburg"),
        ascii(Tag::ImageDescription, "Unterzeichnung"),
    ];
    if gps {
        fields.push(ascii(Tag::GPSLatitudeRef, "N"));
        fields.push(Field {
            tag: Tag::GPSLatitude,
            ifd_num: In::PRIMARY,
            value: Value::Rational(vec![degrees(52), degrees(7), degrees(14)]),
        });
        fields.push(ascii(Tag::GPSLongitudeRef, "E"));
        fields.push(Field {
            tag: Tag::GPSLongitude,
            ifd_num: In::PRIMARY,
            value: Value::Rational(vec![degrees(11), degrees(37), degrees(44)]),
        });
    }
    let mut writer = Writer::new();
    for field in &fields {
        writer.push_field(field);
    }
    let mut out = Cursor::new(Vec::new());
    writer.write(&mut out, false).unwrap();
    out.into_inner()
}
