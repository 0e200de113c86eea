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
//! megabytes): `scans.json` remembers, per source path, the file's size, modification
//! time and inode with its hash and header facts ([`ScanIndex`], read by the loader).
//! The entry of a file whose stamp is unchanged is found by that hash, unread.
//!
//! This is the one module outside `content/` and `output/` that does I/O.

use super::{
    MediaFormat, MediaInfo, MediaProblem, Processed, RenditionKind, Request, content_hash, hex,
    process,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeSet, HashMap};
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
/// The scan index, beside the entries (prune rewrites it).
const SCANS: &str = "scans.json";

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

/// The loader's facts about one image, saved after a build (`scans.json`) so that the
/// next load knows an unchanged file's hash and size without reading it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ScanRecord {
    pub(crate) stamp: FileStamp,
    /// [`content_hash`] of the file's bytes.
    pub(crate) hash: String,
    pub(crate) info: MediaInfo,
}

/// The scans saved by the last build, by path: read once per load.
#[derive(Debug, Default)]
pub(crate) struct ScanIndex {
    records: HashMap<String, ScanRecord>,
}

impl ScanIndex {
    /// The index of the site at `site_root`; empty when there is none or it does not parse.
    pub(crate) fn open(site_root: &Path) -> Self {
        let Ok(json) = fs::read(site_root.join(CACHE_FOLDER).join(SCANS)) else {
            return Self::default();
        };
        let records: Vec<ScanRecord> = serde_json::from_slice(&json).unwrap_or_default();
        let records = records
            .into_iter()
            .map(|record| (record.stamp.path.clone(), record))
            .collect();
        Self { records }
    }

    /// Drops the saved scans, so that the next load reads every image: for a file
    /// whose bytes changed under an unchanged stamp (a clock set back, a copy that
    /// kept the time), which the index would otherwise vouch for again and again.
    pub(crate) fn forget(site_root: &Path) {
        let _ = fs::remove_file(site_root.join(CACHE_FOLDER).join(SCANS));
    }

    /// What was saved for the file with `stamp`, if the file is unchanged since.
    pub(crate) fn known(&self, stamp: &FileStamp) -> Option<&ScanRecord> {
        self.records
            .get(&stamp.path)
            .filter(|record| record.stamp == *stamp)
    }
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
    /// The source file could not be read.
    Read(io::Error),
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
    hits: AtomicUsize,
    misses: AtomicUsize,
    /// Tells temporary folders of one process apart.
    next_temporary: AtomicU64,
}

impl MediaCache {
    /// The cache of the site at `site_root`; nothing is created until an entry is.
    pub(crate) fn open(site_root: &Path) -> Self {
        Self {
            folder: site_root.join(CACHE_FOLDER),
            used: Mutex::new(BTreeSet::new()),
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

    /// The entry for the file whose content hash is `hash` (as the loader saw it),
    /// reading it with `read` only when the entry is missing or damaged.
    pub(crate) fn get_or_process_known(
        &self,
        hash: &str,
        request: &Request,
        read: impl FnOnce() -> io::Result<Vec<u8>>,
    ) -> Result<CachedMedia, CacheError> {
        let key = entry_key(hash, request);
        if let Some(cached) = read_entry(&self.folder.join(&key), &key) {
            self.mark_used(&key);
            self.hits.fetch_add(1, Ordering::Relaxed);
            return Ok(cached);
        }
        let bytes = read().map_err(CacheError::Read)?;
        self.get_or_process(&bytes, request)
    }

    /// Hits and misses since the cache was opened.
    pub(crate) fn stats(&self) -> CacheStats {
        CacheStats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
        }
    }

    /// Removes every entry (and leftover temporary folder) this build did not use, and
    /// saves `scans` (the loader's, of every readable image) for the next load; returns
    /// how many entries were removed. Call it after a build that processed every media
    /// file the site publishes.
    pub(crate) fn prune(&self, scans: &[ScanRecord]) -> io::Result<usize> {
        let removed = self.remove_unused()?;
        if scans.is_empty() && !self.folder.join(SCANS).exists() {
            return Ok(removed);
        }
        let mut scans: Vec<&ScanRecord> = scans.iter().collect();
        scans.sort_by(|a, b| a.stamp.path.cmp(&b.stamp.path));
        let json = serde_json::to_vec(&scans).map_err(io::Error::other)?;
        fs::create_dir_all(&self.folder)?;
        let temporary = self
            .folder
            .join(format!(".tmp-{SCANS}-{}", std::process::id()));
        fs::write(&temporary, json)?;
        fs::rename(&temporary, self.folder.join(SCANS))?;
        Ok(removed)
    }

    fn remove_unused(&self) -> io::Result<usize> {
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
            if used.contains(name.as_ref()) || name == SCANS {
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
