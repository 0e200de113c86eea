//! Press kits written: each kit the render describes (`render::PressKit`) zipped on
//! the render's thread through the kit cache (`media::derived_cache`, by a hash of what
//! its entries are made from, so a warm build zips only kits that changed), and
//! hard-linked into the staging folder (`build`) or served from the cache (`serve`, which
//! so holds no kit in memory: 60 MB at 10,000 releases).
//!
//! Reproducible byte for byte: text entries deflated (zlib-rs, level 6), photos stored
//! (they are compressed already), in the kit's order, each with the release's date at
//! midnight as its time (1980-01-01 for older releases, the ZIP format's first day) and
//! permissions 0644; no extra fields, no comment.

use crate::diagnostics::{Code, Diagnostic};
use crate::media::derived_cache::{Derived, DerivedCache};
use crate::output::Staging;
use crate::render::{KitContents, OutputFile, PressKit};
use std::collections::{BTreeSet, HashMap};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use zip::write::SimpleFileOptions;

/// What the kit cache's hash covers besides the kit's inputs: a new value makes every
/// kit again. The build's version and commit stand for the code that turns the body
/// into the text files.
const KIT_FORMAT: &str = concat!("press kit 2 (deflate 6), ", env!("PARTNERPRESS_VERSION"));

/// Zips press kits and hands them on.
pub(crate) struct KitWriter<'a> {
    staging: Option<&'a Staging>,
    /// `serve`: the media files in memory, by output path.
    media: HashMap<&'a str, &'a bytes::Bytes>,
    cache: DerivedCache,
    /// The cache entries of this run's kits.
    used: Mutex<Vec<String>>,
    /// `serve`: each kit's output path and its file in the cache.
    in_cache: Mutex<Vec<(String, PathBuf)>>,
    zipped: AtomicUsize,
}

impl<'a> KitWriter<'a> {
    /// A writer into `staging`, reading photos from there; without one, from `media`.
    pub(crate) fn new(root: &Path, staging: Option<&'a Staging>, media: &'a [OutputFile]) -> Self {
        Self::with_cache(DerivedCache::open(root, Derived::Kit), staging, media)
    }

    /// A writer with a cache opened before (`serve` keeps the last run's, whose listing
    /// of the folder a patch of one release then does not repeat).
    pub(crate) fn with_cache(
        cache: DerivedCache,
        staging: Option<&'a Staging>,
        media: &'a [OutputFile],
    ) -> Self {
        let media = match staging {
            Some(_) => HashMap::new(),
            None => media
                .iter()
                .map(|f| (f.path.as_str(), &f.contents))
                .collect(),
        };
        KitWriter {
            staging,
            media,
            cache,
            used: Mutex::new(Vec::new()),
            in_cache: Mutex::new(Vec::new()),
            zipped: AtomicUsize::new(0),
        }
    }

    /// Zips `kit` (or finds it in the cache) and writes it (a build) or notes where it
    /// is in the cache (`serve`, [`KitWriter::into_cache_files`]); only its path comes
    /// back, with the ZIP's size for the page's link.
    pub(crate) fn write(&self, kit: &PressKit) -> Result<(OutputFile, u64), Diagnostic> {
        let read = |path: &str| match self.staging {
            Some(staging) => staging.read_file(path),
            None => (self.media.get(path).map(|b| b.to_vec()))
                .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, path.to_owned())),
        };
        let hash = cache_key(kit);
        let error = |e: io::Error| {
            Diagnostic::error(
                Code::Io,
                format!("<output>/{}", kit.path),
                format!("cannot make the press kit: {e}"),
            )
            .with_help("check the disk space and the permissions of the site folder (.partnerpress/cache/kits/)")
        };
        let cached = self
            .cache
            .get_or_make(&hash, || zip(kit, read))
            .map_err(error)?;
        if cached.made {
            self.zipped.fetch_add(1, Ordering::Relaxed);
        }
        self.used
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(hash);
        match self.staging {
            Some(staging) => match self.cache.handle() {
                Some(folder) => staging.link_from(&kit.path, folder, &cached.name),
                None => staging.link_file(&kit.path, &cached.path),
            },
            None => (self.in_cache.lock().unwrap_or_else(|e| e.into_inner()))
                .push((kit.path.clone(), cached.path)),
        }
        let file = OutputFile {
            path: kit.path.clone(),
            contents: bytes::Bytes::new(),
        };
        Ok((file, cached.len))
    }

    /// `serve`: each kit's output path and its file in the cache, to be served from
    /// there; and the cache, for the next patch.
    pub(crate) fn into_cache_files(self) -> (Vec<(String, PathBuf)>, DerivedCache) {
        let files = self
            .in_cache
            .into_inner()
            .unwrap_or_else(|e| e.into_inner());
        (files, self.cache)
    }

    /// How many kits were zipped, and how many taken from the cache.
    pub(crate) fn counts(&self) -> (usize, usize) {
        let all = self.used.lock().unwrap_or_else(|e| e.into_inner()).len();
        let zipped = self.zipped.load(Ordering::Relaxed);
        (zipped, all - zipped)
    }

    /// Removes the cached kits this run did not use; only after a run that made every
    /// kit of the site (a build without errors). A failure leaves them for later.
    pub(crate) fn prune(self) {
        let used = self.used.into_inner().unwrap_or_else(|e| e.into_inner());
        let used: BTreeSet<&str> = used.iter().map(String::as_str).collect();
        let _ = self.cache.prune(&used);
    }
}

/// The kit cache's hash: the format, the date, the text's fields (from which its files
/// are made) and every entry's name and contents (a photo by its output path and the
/// hash of its source, which with the media pipeline's version decides the published
/// original's bytes).
fn cache_key(kit: &PressKit) -> String {
    use sha2::Digest;
    let mut hasher = sha2::Sha256::new();
    let pipeline = crate::media::cache::PIPELINE_VERSION;
    hasher.update(format!("{KIT_FORMAT}; pipeline {pipeline}; {}\0", kit.date));
    let text = &kit.text;
    let summary = text.summary.as_deref();
    for field in [
        Some(&*text.title),
        Some(&*text.date),
        summary,
        Some(&*text.body),
    ] {
        hasher.update((field.map_or(u64::MAX, |f| f.len() as u64)).to_le_bytes());
        hasher.update(field.unwrap_or_default());
    }
    hasher.update(text.url.as_bytes());
    hasher.update(b"\0");
    for entry in &kit.entries {
        hasher.update(entry.name.as_bytes());
        match &entry.contents {
            KitContents::Bytes(bytes) => {
                hasher.update(b"\0b");
                hasher.update((bytes.len() as u64).to_le_bytes());
                hasher.update(bytes);
            }
            KitContents::Text(file) => hasher.update(format!("\0t{file:?}")),
            KitContents::Published { path, hash, .. } => {
                hasher.update(b"\0p");
                hasher.update(path.as_bytes());
                hasher.update(b"\0");
                hasher.update(hash.as_bytes());
            }
        }
        hasher.update(b"\0");
    }
    crate::media::hex(&hasher.finalize())
}

/// The ZIP of `kit`, photos read with `read` (by output path).
pub(crate) fn zip(
    kit: &PressKit,
    read: impl Fn(&str) -> io::Result<Vec<u8>>,
) -> io::Result<Vec<u8>> {
    let capacity = usize::try_from(kit.size()).unwrap_or(0);
    let mut zip = zip::ZipWriter::new(io::Cursor::new(Vec::with_capacity(capacity)));
    let date = kit.date;
    let time = if date.year() < 1980 {
        zip::DateTime::default()
    } else {
        zip::DateTime::from_date_and_time(
            date.year() as u16,
            date.month() as u8,
            date.day() as u8,
            0,
            0,
            0,
        )
        .unwrap_or_default()
    };
    let stored = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .last_modified_time(time)
        .unix_permissions(0o644)
        .large_file(false);
    let deflated = stored
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(6));
    for entry in &kit.entries {
        match &entry.contents {
            KitContents::Bytes(bytes) => {
                zip.start_file(entry.name.as_str(), deflated)
                    .map_err(io::Error::other)?;
                zip.write_all(bytes)?;
            }
            KitContents::Text(file) => {
                zip.start_file(entry.name.as_str(), deflated)
                    .map_err(io::Error::other)?;
                zip.write_all(kit.text.file(*file).as_bytes())?;
            }
            KitContents::Published { path, .. } => {
                zip.start_file(entry.name.as_str(), stored)
                    .map_err(io::Error::other)?;
                zip.write_all(&read(path)?)?;
            }
        }
    }
    Ok(zip.finish().map_err(io::Error::other)?.into_inner())
}
