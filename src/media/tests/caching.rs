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
fn prune_removes_what_the_build_did_not_use() {
    let site = tempfile::tempdir().unwrap();
    let kept = plain_jpeg(500, 400);
    let dropped = plain_jpeg(600, 400);
    let first = MediaCache::open(site.path());
    let sources = [source("kept.jpg", &kept), source("dropped.jpg", &dropped)];
    let results = first.get_or_process_all(&sources);
    assert!(results.iter().all(Result::is_ok));
    assert_eq!(first.stats().misses, 2);
    fs::create_dir(site.path().join(CACHE_FOLDER).join(".tmp-left-over")).unwrap();

    let second = MediaCache::open(site.path());
    let entry = second
        .get_or_process(&kept, &Request { share: true })
        .unwrap();
    assert_eq!(second.prune().unwrap(), 2);
    assert_eq!(
        entries(site.path()),
        vec![entry.key, "stamps.json".to_owned()]
    );
}

/// A source file in memory with a stamp made from its name and bytes.
struct Source<'a> {
    path: &'static str,
    bytes: &'a [u8],
    reads: std::sync::atomic::AtomicUsize,
}

fn source<'a>(path: &'static str, bytes: &'a [u8]) -> Source<'a> {
    Source {
        path,
        bytes,
        reads: std::sync::atomic::AtomicUsize::new(0),
    }
}

impl MediaSource for Source<'_> {
    fn stamp(&self) -> Option<FileStamp> {
        Some(FileStamp {
            path: self.path.to_owned(),
            size: self.bytes.len() as u64,
            modified_nanos: u128::from(self.bytes[self.bytes.len() / 2]),
            inode: 7,
        })
    }

    fn read(&self) -> std::io::Result<Vec<u8>> {
        self.reads
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(self.bytes.to_vec())
    }

    fn request(&self) -> Request {
        Request { share: true }
    }
}

#[test]
fn an_unchanged_stamp_is_a_hit_without_reading_the_file() {
    let site = tempfile::tempdir().unwrap();
    let photo = plain_jpeg(500, 300);
    let first = MediaCache::open(site.path());
    let made = first
        .get_or_process_source(&source("a.jpg", &photo))
        .unwrap();
    first.prune().unwrap();

    let second = MediaCache::open(site.path());
    let unchanged = source("a.jpg", &photo);
    assert_eq!(second.get_or_process_source(&unchanged).unwrap(), made);
    assert_eq!(unchanged.reads.into_inner(), 0);
    assert_eq!(second.stats(), CacheStats { hits: 1, misses: 0 });
    second.prune().unwrap();

    // Another file at the same path is read and processed.
    let other = plain_jpeg(500, 200);
    let third = MediaCache::open(site.path());
    let replaced = source("a.jpg", &other);
    let remade = third.get_or_process_source(&replaced).unwrap();
    assert_eq!(replaced.reads.into_inner(), 1);
    assert_eq!(remade.info.height, 200);
    assert_eq!(third.stats(), CacheStats { hits: 0, misses: 1 });
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
