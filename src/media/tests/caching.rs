//! The cache: a second use is a hit that processes nothing, a damaged entry is a miss
//! and replaced, unused entries are pruned.

use super::photos::plain_jpeg;
use crate::media::cache::*;
use crate::media::*;
use std::fs;

fn entries(site: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(site.join(CACHE_FOLDER))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_second_build_is_a_hit_and_processes_nothing() {
    let site = tempfile::tempdir().unwrap();
    let photo = plain_jpeg(900, 600);
    let request = Request { share: true };
    let first = MediaCache::open(site.path());
    let made = first.get_or_process(&photo, &request).unwrap();
    assert_eq!(first.stats(), CacheStats { hits: 0, misses: 1 });
    assert_eq!(made.content_hash, content_hash(&photo));
    assert_eq!(made.info, inspect(&photo).unwrap());
    assert_eq!(
        fs::read(&made.original).unwrap().len() as u64,
        made.original_size
    );
    // 480, 800 and 900 wide, each as WebP and JPEG, and the share image.
    assert_eq!(made.renditions.len(), 3 * 2 + 1);
    for rendition in &made.renditions {
        let image = image::open(&rendition.path).unwrap();
        assert_eq!(
            (image.width(), image.height()),
            (rendition.width, rendition.height)
        );
    }

    let second = MediaCache::open(site.path());
    let again = second.get_or_process(&photo, &request).unwrap();
    assert_eq!(second.stats(), CacheStats { hits: 1, misses: 0 });
    assert_eq!(again, made);
    let loaded = again.load().unwrap();
    let processed = process(&photo, &request).unwrap();
    assert_eq!(loaded.original, processed.original);
    let bytes = |all: &[Rendition]| all.iter().map(|r| r.bytes.clone()).collect::<Vec<_>>();
    assert_eq!(bytes(&loaded.renditions), bytes(&processed.renditions));
    // Another request is another entry.
    second
        .get_or_process(&photo, &Request { share: false })
        .unwrap();
    assert_eq!(second.stats(), CacheStats { hits: 1, misses: 1 });
    assert_eq!(entries(site.path()).len(), 2);
}

#[test]
fn a_damaged_entry_is_a_miss_and_replaced() {
    let site = tempfile::tempdir().unwrap();
    let photo = plain_jpeg(700, 500);
    let request = Request::default();
    let made = MediaCache::open(site.path())
        .get_or_process(&photo, &request)
        .unwrap();

    // A rendition cut short, as by a build killed while copying by hand.
    let rendition = &made.renditions[0].path;
    let bytes = fs::read(rendition).unwrap();
    fs::write(rendition, &bytes[..bytes.len() / 2]).unwrap();
    let cache = MediaCache::open(site.path());
    let again = cache.get_or_process(&photo, &request).unwrap();
    assert_eq!(cache.stats(), CacheStats { hits: 0, misses: 1 });
    assert_eq!(fs::read(&again.renditions[0].path).unwrap(), bytes);

    // A manifest that does not parse.
    fs::write(made.original.with_file_name("manifest.json"), b"{ not json").unwrap();
    let cache = MediaCache::open(site.path());
    cache.get_or_process(&photo, &request).unwrap();
    assert_eq!(cache.stats(), CacheStats { hits: 0, misses: 1 });
    let cache = MediaCache::open(site.path());
    cache.get_or_process(&photo, &request).unwrap();
    assert_eq!(cache.stats(), CacheStats { hits: 1, misses: 0 });
}

#[test]
fn prune_removes_what_the_build_did_not_use_and_saves_the_scans() {
    let site = tempfile::tempdir().unwrap();
    let kept = plain_jpeg(500, 400);
    let dropped = plain_jpeg(600, 400);
    let request = Request { share: true };
    let first = MediaCache::open(site.path());
    for photo in [&kept, &dropped] {
        first.get_or_process(photo, &request).unwrap();
    }
    assert_eq!(first.stats().misses, 2);
    fs::create_dir(site.path().join(CACHE_FOLDER).join(".tmp-left-over")).unwrap();

    let second = MediaCache::open(site.path());
    let entry = second.get_or_process(&kept, &request).unwrap();
    let scan = record("kept.jpg", &kept);
    assert_eq!(second.prune(std::slice::from_ref(&scan)).unwrap(), 2);
    assert_eq!(
        entries(site.path()),
        vec![entry.key, "scans.json".to_owned()]
    );
    let saved = ScanIndex::open(site.path());
    assert_eq!(saved.known(&scan.stamp), Some(&scan));
    let touched = FileStamp {
        modified_nanos: scan.stamp.modified_nanos + 1,
        ..scan.stamp.clone()
    };
    assert_eq!(saved.known(&touched), None);
}

/// The scan the loader would record for `bytes` at `path`.
fn record(path: &str, bytes: &[u8]) -> ScanRecord {
    ScanRecord {
        stamp: FileStamp {
            path: path.to_owned(),
            size: bytes.len() as u64,
            modified_nanos: 1_700_000_000_123_456_789,
            inode: 7,
        },
        hash: content_hash(bytes),
        info: inspect(bytes).unwrap(),
    }
}

#[test]
fn a_known_hash_is_a_hit_without_reading_the_file() {
    let site = tempfile::tempdir().unwrap();
    let photo = plain_jpeg(500, 300);
    let request = Request { share: true };
    let made = MediaCache::open(site.path())
        .get_or_process(&photo, &request)
        .unwrap();

    let second = MediaCache::open(site.path());
    let hash = content_hash(&photo);
    let unread = second.get_or_process_known(&hash, &request, || panic!("read"));
    assert_eq!(unread.unwrap(), made);
    assert_eq!(second.stats(), CacheStats { hits: 1, misses: 0 });

    // A missing entry reads the file; a file that cannot be read says so.
    let other = plain_jpeg(500, 200);
    let hash = content_hash(&other);
    let remade = second.get_or_process_known(&hash, &request, || Ok(other.clone()));
    assert_eq!(remade.unwrap().info.height, 200);
    let gone = plain_jpeg(400, 200);
    let missing = second.get_or_process_known(&content_hash(&gone), &request, || {
        Err(std::io::Error::from(std::io::ErrorKind::NotFound))
    });
    assert!(matches!(missing, Err(CacheError::Read(_))), "{missing:?}");
    assert_eq!(second.stats(), CacheStats { hits: 1, misses: 1 });
}

#[test]
fn a_refused_file_is_a_problem_and_leaves_no_entry() {
    let site = tempfile::tempdir().unwrap();
    let cache = MediaCache::open(site.path());
    let photo = plain_jpeg(300, 200);
    let result = cache.get_or_process(&photo[..photo.len() / 2], &Request::default());
    assert!(matches!(result, Err(CacheError::Problem(_))), "{result:?}");
    assert!(!site.path().join(CACHE_FOLDER).exists());
}
