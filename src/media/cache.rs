//! Processed media kept between builds under `<site root>/.partnerpress/cache/media/`,
//! so a rebuild, and every `serve` rebuild, does no image work for unchanged files.
//! An entry is a folder named by its key (the file's content hash, and a hash of the
//! request and [`PIPELINE_VERSION`]) holding the original, the renditions and a
//! `manifest.json` with their sizes. It is written in a temporary folder beside it and
//! renamed into place, so a reader sees a whole entry or none; one whose manifest does
//! not parse or whose files are missing or of another size is a miss, and replaced.
//! With `prune`, folders the build did not use are removed.
//!
//! A warm rebuild should not even read and hash every photo again (hundreds of
//! megabytes): `stamps.json` remembers, per source path and request, the file's size,
//! modification time and inode with the entry they led to, as `content::FileCache`
//! does for text files. A file whose stamp is unchanged is a hit without being read.
//!
//! This is the one module outside `content/` and `output.rs` that does I/O.

use super::{
    MediaFormat, MediaInfo, MediaProblem, Processed, RenditionKind, Request, content_hash, hex,
    process,
};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

/// Changes whenever processing would give other bytes (sizes, qualities, encoders), so
/// older entries are missed and pruned rather than published.
pub(crate) const PIPELINE_VERSION: u32 = 1;

/// The cache's folder under the site root.
pub(crate) const CACHE_FOLDER: &str = ".partnerpress/cache/media";

const MANIFEST: &str = "manifest.json";
/// The stamp index, beside the entries (prune keeps it).
const STAMPS: &str = "stamps.json";

/// What identifies a version of a source file without reading it: its size,
/// modification time and inode (a file replaced by a rename has another inode). The
/// caller (`content/`, which reads the source tree) takes it from the file's metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct FileStamp {
    /// The path under `content/media/`, with `/` separators.
    pub(crate) path: String,
    pub(crate) size: u64,
    pub(crate) modified_nanos: u128,
    pub(crate) inode: u64,
}

/// A media file to have processed: where its bytes come from is the caller's business.
pub(crate) trait MediaSource {
    /// The file's stamp, or `None` when it cannot be had (the file is then read and
    /// hashed every time).
    fn stamp(&self) -> Option<FileStamp>;
    /// The file's bytes.
    fn read(&self) -> io::Result<Vec<u8>>;
    /// Which renditions it needs.
    fn request(&self) -> Request;
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct StampRecord {
    stamp: FileStamp,
    share: bool,
    key: String,
}

/// A processed file in the cache: what the markup and the output need, and where the
/// bytes are (not the bytes: a site's photos do not all fit in memory).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CachedMedia {
    /// The entry's folder name.
    pub(crate) key: String,
    /// [`content_hash`] of the file's bytes.
    pub(crate) content_hash: String,
    pub(crate) info: MediaInfo,
    /// The download (without location data).
    pub(crate) original: PathBuf,
    /// Its size in bytes, for "Download original (JPEG, 6000 × 4000, 8.4 MB)".
    pub(crate) original_size: u64,
    pub(crate) renditions: Vec<CachedRendition>,
}

impl CachedMedia {
    /// The entry's files read back as a [`Processed`], for a caller that hands bytes on
    /// (the writer, `serve`'s memory); the reading stays in this module.
    pub(crate) fn load(&self) -> io::Result<Processed> {
        let renditions = self
            .renditions
            .iter()
            .map(|rendition| {
                Ok(super::Rendition {
                    kind: rendition.kind,
                    format: rendition.format,
                    width: rendition.width,
                    height: rendition.height,
                    bytes: fs::read(&rendition.path)?,
                })
            })
            .collect::<io::Result<Vec<_>>>()?;
        Ok(Processed {
            info: self.info,
            original: fs::read(&self.original)?,
            renditions,
        })
    }
}

/// One rendition in the cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CachedRendition {
    pub(crate) kind: RenditionKind,
    pub(crate) format: MediaFormat,
    pub(crate) width: u32,
    pub(crate) height: u32,
    pub(crate) size: u64,
    pub(crate) path: PathBuf,
}

/// Why a file could not be had from the cache: the file itself (the user's to fix), or
/// the cache folder (the machine's: disk full, no permission).
#[derive(Debug)]
pub(crate) enum CacheError {
    Problem(MediaProblem),
    Io(io::Error),
}

impl From<io::Error> for CacheError {
    fn from(error: io::Error) -> Self {
        Self::Io(error)
    }
}

/// How much work a build's media took, for `--timings` and the tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct CacheStats {
    pub(crate) hits: usize,
    pub(crate) misses: usize,
}

/// The media cache of one site, for one build: it records which entries the build used,
/// so `prune` can remove the rest.
#[derive(Debug)]
pub(crate) struct MediaCache {
    folder: PathBuf,
    used: Mutex<BTreeSet<String>>,
    /// By source path and `Request::share`.
    stamps: Mutex<BTreeMap<(String, bool), StampRecord>>,
    hits: AtomicUsize,
    misses: AtomicUsize,
    /// Tells temporary folders of one process apart.
    next_temporary: AtomicU64,
}

impl MediaCache {
    /// The cache of the site at `site_root`; nothing is created until an entry is.
    pub(crate) fn open(site_root: &Path) -> Self {
        let folder = site_root.join(CACHE_FOLDER);
        let stamps = read_stamps(&folder);
        Self {
            folder,
            used: Mutex::new(BTreeSet::new()),
            stamps: Mutex::new(stamps),
            hits: AtomicUsize::new(0),
            misses: AtomicUsize::new(0),
            next_temporary: AtomicU64::new(0),
        }
    }

    /// The entry for `bytes` processed as `request`, made now if it is missing or
    /// damaged.
    pub(crate) fn get_or_process(
        &self,
        bytes: &[u8],
        request: &Request,
    ) -> Result<CachedMedia, CacheError> {
        let hash = content_hash(bytes);
        let key = entry_key(&hash, request);
        self.mark_used(&key);
        let entry = self.folder.join(&key);
        if let Some(cached) = read_entry(&entry, &key) {
            self.hits.fetch_add(1, Ordering::Relaxed);
            return Ok(cached);
        }
        self.misses.fetch_add(1, Ordering::Relaxed);
        let processed = process(bytes, request).map_err(CacheError::Problem)?;
        self.write_entry(&entry, &key, &hash, &processed)?;
        read_entry(&entry, &key).ok_or_else(|| {
            CacheError::Io(io::Error::other(format!(
                "the media cache entry {} was not readable after writing it",
                entry.display()
            )))
        })
    }

    /// The entry for `source`: without reading it when its stamp is the one recorded
    /// for an entry that is still whole, else read, hashed and, on a miss, processed.
    pub(crate) fn get_or_process_source(
        &self,
        source: &impl MediaSource,
    ) -> Result<CachedMedia, CacheError> {
        let request = source.request();
        let stamp = source.stamp();
        if let Some(stamp) = &stamp
            && let Some(cached) = self.by_stamp(stamp, &request)
        {
            self.hits.fetch_add(1, Ordering::Relaxed);
            return Ok(cached);
        }
        let bytes = source.read()?;
        let cached = self.get_or_process(&bytes, &request)?;
        if let Some(stamp) = stamp {
            let mut stamps = lock(&self.stamps);
            let record = StampRecord {
                stamp,
                share: request.share,
                key: cached.key.clone(),
            };
            stamps.insert((record.stamp.path.clone(), request.share), record);
        }
        Ok(cached)
    }

    fn by_stamp(&self, stamp: &FileStamp, request: &Request) -> Option<CachedMedia> {
        let key = {
            let stamps = lock(&self.stamps);
            let record = stamps.get(&(stamp.path.clone(), request.share))?;
            (record.stamp == *stamp).then(|| record.key.clone())?
        };
        let cached = read_entry(&self.folder.join(&key), &key)?;
        self.mark_used(&key);
        Some(cached)
    }

    /// Every source's entry, processed in parallel across cores: each file is read,
    /// hashed and, on a miss, decoded once; at most one decoded image per thread is
    /// alive, and no processed bytes are kept in memory.
    pub(crate) fn get_or_process_all<S: MediaSource + Sync>(
        &self,
        sources: &[S],
    ) -> Vec<Result<CachedMedia, CacheError>> {
        sources
            .par_iter()
            .with_max_len(1)
            .map(|source| self.get_or_process_source(source))
            .collect()
    }

    /// Hits and misses since the cache was opened.
    pub(crate) fn stats(&self) -> CacheStats {
        CacheStats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
        }
    }

    /// Removes every entry (and leftover temporary folder) this build did not use, and
    /// saves the stamps of the entries it did; returns how many entries were removed.
    /// Call it after a build that processed every media file the site publishes.
    pub(crate) fn prune(&self) -> io::Result<usize> {
        let used = lock(&self.used);
        let entries = match fs::read_dir(&self.folder) {
            Ok(entries) => entries,
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(0),
            Err(error) => return Err(error),
        };
        let mut removed = 0;
        for entry in entries {
            let entry = entry?;
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if used.contains(name.as_ref()) || name == STAMPS {
                continue;
            }
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                fs::remove_dir_all(&path)?;
            } else {
                fs::remove_file(&path)?;
            }
            removed += 1;
        }
        let mut stamps = lock(&self.stamps);
        stamps.retain(|_, record| used.contains(&record.key));
        let records: Vec<&StampRecord> = stamps.values().collect();
        let json = serde_json::to_vec(&records).map_err(io::Error::other)?;
        let temporary = self
            .folder
            .join(format!(".tmp-{STAMPS}-{}", std::process::id()));
        fs::write(&temporary, json)?;
        fs::rename(&temporary, self.folder.join(STAMPS))?;
        Ok(removed)
    }

    fn mark_used(&self, key: &str) {
        let mut used = self
            .used
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        used.insert(key.to_owned());
    }

    /// Writes the entry into a temporary folder beside its place and renames it there,
    /// replacing a damaged entry.
    fn write_entry(
        &self,
        entry: &Path,
        key: &str,
        hash: &str,
        processed: &Processed,
    ) -> io::Result<()> {
        fs::create_dir_all(&self.folder)?;
        let number = self.next_temporary.fetch_add(1, Ordering::Relaxed);
        let temporary = self
            .folder
            .join(format!(".tmp-{key}-{}-{number}", std::process::id()));
        let _ = fs::remove_dir_all(&temporary);
        fs::create_dir(&temporary)?;
        let written = write_files(&temporary, key, hash, processed);
        let renamed = written.and_then(|()| {
            if entry.exists() {
                fs::remove_dir_all(entry)?;
            }
            fs::rename(&temporary, entry)
        });
        if renamed.is_err() {
            let _ = fs::remove_dir_all(&temporary);
            // Another build may have put the same entry in place meanwhile.
            if read_entry(entry, key).is_some() {
                return Ok(());
            }
        }
        renamed
    }
}

/// A lock whose holder panicked still guards whole values: each is replaced in one step.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The stamp index as last saved; empty when missing or unreadable.
fn read_stamps(folder: &Path) -> BTreeMap<(String, bool), StampRecord> {
    let Ok(json) = fs::read(folder.join(STAMPS)) else {
        return BTreeMap::new();
    };
    let records: Vec<StampRecord> = serde_json::from_slice(&json).unwrap_or_default();
    records
        .into_iter()
        .map(|record| ((record.stamp.path.clone(), record.share), record))
        .collect()
}

/// The entry's name: the content hash and a hash of everything else that decides the
/// output.
fn entry_key(content_hash: &str, request: &Request) -> String {
    let parameters = format!(
        "pipeline {PIPELINE_VERSION}; widths {:?}; share {:?} {}",
        super::STANDARD_WIDTHS,
        super::SHARE_SIZE,
        request.share
    );
    format!(
        "{content_hash}-{}",
        hex(&Sha256::digest(parameters.as_bytes())[..4])
    )
}

#[derive(Serialize, Deserialize)]
struct Manifest {
    pipeline: u32,
    key: String,
    content_hash: String,
    format: MediaFormat,
    width: u32,
    height: u32,
    original: ManifestFile,
    renditions: Vec<ManifestRendition>,
}

#[derive(Serialize, Deserialize)]
struct ManifestFile {
    name: String,
    size: u64,
}

#[derive(Serialize, Deserialize)]
struct ManifestRendition {
    kind: RenditionKind,
    format: MediaFormat,
    width: u32,
    height: u32,
    file: ManifestFile,
}

fn rendition_name(kind: RenditionKind, format: MediaFormat) -> String {
    match kind {
        RenditionKind::Width(width) => format!("{width}w.{}", format.extension()),
        RenditionKind::Share => format!("share.{}", format.extension()),
    }
}

fn write_files(folder: &Path, key: &str, hash: &str, processed: &Processed) -> io::Result<()> {
    let file = |name: String, bytes: &[u8]| -> io::Result<ManifestFile> {
        fs::write(folder.join(&name), bytes)?;
        Ok(ManifestFile {
            name,
            size: bytes.len() as u64,
        })
    };
    let original = file(
        format!("original.{}", processed.info.format.extension()),
        &processed.original,
    )?;
    let renditions = processed
        .renditions
        .iter()
        .map(|rendition| {
            Ok(ManifestRendition {
                kind: rendition.kind,
                format: rendition.format,
                width: rendition.width,
                height: rendition.height,
                file: file(
                    rendition_name(rendition.kind, rendition.format),
                    &rendition.bytes,
                )?,
            })
        })
        .collect::<io::Result<Vec<_>>>()?;
    let manifest = Manifest {
        pipeline: PIPELINE_VERSION,
        key: key.to_owned(),
        content_hash: hash.to_owned(),
        format: processed.info.format,
        width: processed.info.width,
        height: processed.info.height,
        original,
        renditions,
    };
    let json = serde_json::to_vec_pretty(&manifest).map_err(io::Error::other)?;
    // Last: an entry without its manifest is a miss.
    fs::write(folder.join(MANIFEST), json)
}

/// The entry in `folder` if it is whole: its manifest parses, names this key and
/// pipeline, and lists files that exist with the sizes it records.
fn read_entry(folder: &Path, key: &str) -> Option<CachedMedia> {
    let json = fs::read(folder.join(MANIFEST)).ok()?;
    let manifest: Manifest = serde_json::from_slice(&json).ok()?;
    if manifest.pipeline != PIPELINE_VERSION || manifest.key != key {
        return None;
    }
    let checked = |file: &ManifestFile| -> Option<PathBuf> {
        let is_plain_name = !file.name.contains(['/', '\\']) && !file.name.starts_with('.');
        let path = folder.join(&file.name);
        let size = fs::metadata(&path).ok()?.len();
        (is_plain_name && size == file.size).then_some(path)
    };
    let original = checked(&manifest.original)?;
    let renditions = manifest
        .renditions
        .iter()
        .map(|rendition| {
            Some(CachedRendition {
                kind: rendition.kind,
                format: rendition.format,
                width: rendition.width,
                height: rendition.height,
                size: rendition.file.size,
                path: checked(&rendition.file)?,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    Some(CachedMedia {
        key: manifest.key,
        content_hash: manifest.content_hash,
        info: MediaInfo {
            format: manifest.format,
            width: manifest.width,
            height: manifest.height,
        },
        original,
        original_size: manifest.original.size,
        renditions,
    })
}
