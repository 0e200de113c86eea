//! Press photos through the whole build: photos made in the test (one with a GPS
//! position in its EXIF, one stored landscape with EXIF orientation 6, a truncated one)
//! in a copy of the `media` fixture. No published file carries a location; the
//! derivatives' pixel sizes match the widths in their names; an embargoed release's
//! photo is in no output; a second build processes nothing and unused cache entries
//! are pruned.

use crate::harness::{Fixture, Site};
use exif::Tag;
use image::{ExtendedColorType, ImageEncoder, RgbImage};
use partnerpress::{BuildOptions, Mode, Session};
use std::io::Cursor;

const BEFORE: &str = "2026-01-01T00:00:00Z";
const RELEASE: &str = "content/news/2025-06-24-unterzeichnung.md";
const EMBARGOED: &str = "content/news/2025-07-01-neubau.md";
const INSTITUTION: &str = "content/institutions/uniklinik-saalestadt.md";

#[path = "../support/exif.rs"]
mod exif_support;

/// A JPEG of `width` × `height` pixels as stored, with EXIF: credits, `orientation`
/// and, if asked, a position in Magdeburg.
pub(crate) fn photo(width: u32, height: u32, orientation: u16, gps: bool) -> Vec<u8> {
    let image = RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
    });
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 85)
        .write_image(image.as_raw(), width, height, ExtendedColorType::Rgb8)
        .expect("encode");
    let payload = [
        b"Exif\0\0".as_slice(),
        &exif_support::exif_block(orientation, gps),
    ]
    .concat();
    let mut bytes = jpeg[..2].to_vec();
    bytes.extend_from_slice(&[0xFF, 0xE1]);
    bytes.extend_from_slice(&u16::try_from(payload.len() + 2).unwrap().to_be_bytes());
    bytes.extend_from_slice(&payload);
    bytes.extend_from_slice(&jpeg[2..]);
    bytes
}

pub(crate) fn has_gps(bytes: &[u8]) -> bool {
    exif::Reader::new()
        .read_from_container(&mut Cursor::new(bytes))
        .is_ok_and(|exif| {
            exif.fields()
                .any(|f| matches!(f.tag, Tag::GPSLatitude | Tag::GPSLongitude))
        })
}

/// The `media` fixture with photos: the release's lead photo has GPS, the second
/// institution's photo is stored landscape with orientation 6, the embargoed release
/// has a photo of its own.
pub(crate) fn fixture() -> Fixture {
    let fixture = Fixture::copy("media");
    let media = |name: &str, bytes: Vec<u8>| {
        let path = fixture.root().join("content/media").join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    };
    media("2025/unterzeichnung.jpg", photo(1000, 600, 1, true));
    media("2025/station.jpg", photo(900, 600, 6, false));
    media("2025/neubau.jpg", photo(700, 500, 1, true));
    let credit = "credit: \"Foto: Klinikum Südhöhe / Max Muster\"\n";
    for (stem, alt) in [
        (
            "2025/unterzeichnung",
            "Zwei Personen unterzeichnen einen Vertrag",
        ),
        ("2025/station", "Die neue Station im Hochformat"),
        ("2025/neubau", "Die Baustelle des Neubaus"),
    ] {
        fixture.write(
            &format!("content/media/{stem}.yaml"),
            &format!("alt: {alt}\n{credit}"),
        );
    }
    fixture.edit(
        RELEASE,
        "image: grafiken/netzwerk.svg",
        "image: 2025/unterzeichnung.jpg",
    );
    fixture.edit(
        EMBARGOED,
        "image: grafiken/neubau.svg",
        "image: 2025/neubau.jpg",
    );
    fixture.edit(
        INSTITUTION,
        "kind: university-hospital",
        "kind: university-hospital\nimage: 2025/station.jpg",
    );
    fixture
}

pub(crate) fn options(fixture: &Fixture) -> BuildOptions {
    BuildOptions {
        now: Some(BEFORE.parse().expect("timestamp")),
        ..fixture.options()
    }
}

pub(crate) fn build(fixture: Fixture) -> Site {
    let opts = options(&fixture);
    fixture.build_with(&opts)
}

#[test]
fn no_published_file_carries_a_location_and_derivatives_have_their_widths() {
    let site = build(fixture());
    let tree = site.tree();
    let photos: Vec<&String> = tree
        .keys()
        .filter(|f| f.starts_with("media/2025/"))
        .collect();
    assert!(
        tree.contains_key("media/2025/unterzeichnung.jpg"),
        "the original keeps its path: {photos:?}"
    );
    assert!(
        photos.iter().all(|f| !f.contains("neubau")),
        "embargoed: {photos:?}"
    );
    for (path, bytes) in &tree {
        assert!(!has_gps(bytes), "`{path}` carries a GPS position");
    }
    let mut derivatives = 0;
    for path in photos {
        let name = path.rsplit('/').next().unwrap();
        let Some(width) = name
            .split('.')
            .find_map(|part| part.strip_suffix('w')?.parse::<u32>().ok())
        else {
            continue;
        };
        let (w, h) = image::load_from_memory(&tree[path])
            .map(|i| (i.width(), i.height()))
            .unwrap_or_else(|e| panic!("`{path}` does not decode: {e}"));
        assert_eq!(w, width, "`{path}` is {w} pixels wide");
        if name.starts_with("station.") {
            assert!(h > w, "`{path}` is not upright ({w}×{h})");
        }
        derivatives += 1;
    }
    assert!(derivatives >= 4, "few derivatives");
}

#[test]
fn a_truncated_photo_is_one_error_naming_it() {
    let fixture = fixture();
    let path = fixture.root().join("content/media/2025/unterzeichnung.jpg");
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() / 3]).unwrap();
    let report = fixture.build_report(&options(&fixture));
    let error = crate::harness::only_error(&report);
    assert_eq!(error.code, "invalid-media");
    assert_eq!(
        error.path.to_string_lossy(),
        "content/media/2025/unterzeichnung.jpg"
    );
}

#[test]
fn a_second_build_processes_nothing_and_unused_entries_are_pruned() {
    let fixture = fixture();
    let opts = options(&fixture);
    let first = Session::once(opts.clone()).run(Mode::Build).expect("first");
    assert!(first.published, "{:?}", first.diagnostics);
    // The logo (SVG) and the two published photos; not the embargoed release's.
    assert_eq!((first.media_processed, first.media_reused), (3, 0));
    let cache = fixture.root().join(".partnerpress/cache/media");
    let entries = || {
        std::fs::read_dir(&cache).map_or(0, |d| {
            d.filter(|e| e.as_ref().is_ok_and(|e| e.path().is_dir()))
                .count()
        })
    };
    assert_eq!(entries(), 3);
    let before = crate::harness::tree(&fixture.output());
    let second = Session::once(opts.clone())
        .run(Mode::Build)
        .expect("second");
    assert_eq!((second.media_processed, second.media_reused), (0, 3));
    assert!(
        before == crate::harness::tree(&fixture.output()),
        "a rebuild from the cache changes the output"
    );
    assert_linked_from_the_cache(&fixture.output().join("media/2025/unterzeichnung.jpg"));

    // A photo replaced under the same name is read and processed again.
    let replaced = fixture.root().join("content/media/2025/unterzeichnung.jpg");
    std::fs::write(&replaced, photo(800, 600, 1, false)).unwrap();
    let again = Session::once(opts.clone()).run(Mode::Build).expect("again");
    assert_eq!((again.media_processed, again.media_reused), (1, 2));
    let files = crate::harness::tree(&fixture.output());
    let widths: Vec<&String> = (files.keys())
        .filter(|f| f.starts_with("media/2025/unterzeichnung.") && f.ends_with(".webp"))
        .collect();
    assert_eq!(widths.len(), 2, "the new photo's widths: {widths:?}");
    fixture.edit(INSTITUTION, "image: 2025/station.jpg\n", "");
    let third = Session::once(opts).run(Mode::Build).expect("third");
    assert!(third.published);
    assert_eq!(entries(), 2, "the unused photo's entry is pruned");
}

#[test]
fn a_photo_changed_under_an_unchanged_stamp_fails_once_then_builds() {
    let fixture = fixture();
    let opts = options(&fixture);
    Session::once(opts.clone()).run(Mode::Build).expect("first");
    // Other bytes of the same length, the old modification time, the same inode.
    let path = fixture.root().join("content/media/2025/station.jpg");
    let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
    let mut bytes = std::fs::read(&path).unwrap();
    let last = bytes.len() - 3;
    bytes[last] ^= 0x55;
    let file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    std::io::Write::write_all(&mut &file, &bytes).unwrap();
    file.set_modified(modified).unwrap();
    drop(file);
    // The processed files are gone, the saved scans are not.
    let cache = fixture.root().join(".partnerpress/cache/media");
    let scans = std::fs::read(cache.join("scans.json")).expect("scans saved");
    std::fs::remove_dir_all(&cache).unwrap();
    std::fs::create_dir_all(&cache).unwrap();
    std::fs::write(cache.join("scans.json"), scans).unwrap();
    let stale = Session::once(opts.clone()).run(Mode::Build).expect("stale");
    assert!(!stale.published);
    let changed = stale
        .diagnostics
        .iter()
        .find(|d| d.message.contains("changed"));
    assert!(changed.is_some(), "{:?}", stale.diagnostics);
    // The next build reads every file again instead of trusting the same scan.
    let again = Session::once(opts).run(Mode::Build).expect("again");
    assert!(again.published, "{:?}", again.diagnostics);
}

/// A rebuild moves no photo bytes: the output's file is the cache's.
#[cfg(unix)]
fn assert_linked_from_the_cache(path: &std::path::Path) {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path).unwrap();
    assert_eq!(meta.nlink(), 2, "`{}` is not linked", path.display());
}

#[cfg(not(unix))]
fn assert_linked_from_the_cache(_path: &std::path::Path) {}

#[test]
fn check_lists_the_files_the_build_writes_without_processing() {
    let fixture = fixture();
    let opts = options(&fixture);
    let check = Session::once(opts.clone()).run(Mode::Check).expect("check");
    assert!(!check.has_errors(), "{:?}", check.diagnostics);
    assert_eq!(check.media_processed, 0);
    assert!(!fixture.root().join(".partnerpress").exists());
    let listed = check.counts.get("media files").copied();
    let site = fixture.build_with(&opts);
    let written = site
        .files()
        .iter()
        .filter(|f| f.starts_with("media/") && !f.ends_with(".html"))
        .count();
    assert_eq!(listed, Some(written));
}

#[test]
fn an_opaque_png_photo_gets_png_fallbacks_the_markup_links() {
    let fixture = fixture();
    let png = {
        let img = image::RgbImage::from_fn(640, 400, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
        });
        let mut bytes = std::io::Cursor::new(Vec::new());
        img.write_to(&mut bytes, image::ImageFormat::Png)
            .expect("encode PNG");
        bytes.into_inner()
    };
    std::fs::write(fixture.root().join("content/media/2025/grafik.png"), png).unwrap();
    fixture.write(
        "content/media/2025/grafik.yaml",
        "alt: Eine Fläche mit Farbverlauf\ncredit: \"Grafik: Klinikum Südhöhe\"\n",
    );
    fixture.edit(
        RELEASE,
        "image: 2025/unterzeichnung.jpg",
        "image: 2025/grafik.png",
    );
    // The build's link check follows every srcset entry the markup wrote.
    let site = build(fixture);
    let tree = site.tree();
    assert!(
        tree.keys()
            .any(|f| f.starts_with("media/2025/grafik.480w.") && f.ends_with(".png")),
        "no PNG fallback: {:?}",
        tree.keys()
            .filter(|f| f.contains("grafik"))
            .collect::<Vec<_>>()
    );
}
