//! `content/media/`: photos, logos and graphics (and documents such as PDFs) with their
//! sidecars `<stem>.yaml` and `<stem>.<lang>.yaml`.
//!
//! Files are listed with their size; an image is read once to inspect it and hash it
//! (then its bytes are dropped), and the result is kept in the [`FileCache`] by
//! modification time, size and inode, so a rebuild reads only new or changed files.
//! A one-off build finds the same in the media cache's [`ScanIndex`], saved by the
//! last build. The build reads a file again ([`read_media`]) only when it processes it.

use super::files::{
    blank_controls, blanked_warning, read_regular, read_text, slash_path, user_files,
};
use super::raw::{RawSidecar, RawSidecarTranslation};
use super::{RawDoc, SourceFile, Stamp, yaml};
use crate::diagnostics::{Code, Diagnostic, relative};
use crate::media::cache::{FileStamp, ScanIndex};
use crate::media::{MediaInfo, MediaProblem};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The folder under `content/`.
pub(crate) const MEDIA_FOLDER: &str = "media";

/// Larger files are refused before they are read: no press photo comes near it, and
/// inspecting must not hold gigabytes.
const MAX_MEDIA_BYTES: u64 = 256 * 1024 * 1024;

/// Extensions of the files treated as images (checked against their bytes by
/// `media::inspect`); every other file is a document, published as is when linked.
const IMAGE_EXTENSIONS: [&str; 7] = ["jpg", "jpeg", "png", "webp", "gif", "svg", "avif"];

/// A file in `content/media/`, without its bytes.
#[derive(Debug, Clone)]
pub(crate) struct RawMediaFile {
    /// The path under `content/media/` with `/` separators: the file's id.
    pub(crate) path: String,
    /// Size in bytes.
    pub(crate) len: u64,
    /// `None` for a document (not an image by its extension); else what inspecting
    /// its bytes found.
    pub(crate) scan: Option<Result<MediaScan, MediaProblem>>,
}

/// An image's header facts and content hash.
#[derive(Debug, Clone)]
pub(crate) struct MediaScan {
    pub(crate) info: MediaInfo,
    pub(crate) hash: String,
    /// The file's stamp when it was read, saved with the scan for the next load.
    pub(crate) stamp: Option<FileStamp>,
}

/// What the loader found in `content/media/`.
#[derive(Debug, Clone, Default)]
pub(crate) struct RawMedia {
    /// Sorted by path.
    pub(crate) files: Vec<RawMediaFile>,
    /// `<stem>.yaml`, the id being the path of the stem (`2025/unterzeichnung`).
    pub(crate) sidecars: Vec<RawDoc<RawSidecar>>,
    /// `<stem>.<lang>.yaml`.
    pub(crate) sidecar_translations: Vec<RawDoc<RawSidecarTranslation>>,
    /// Stems whose sidecar exists but did not parse (its error is reported; uses do not
    /// report the missing alt or credit again).
    pub(crate) broken_sidecars: Vec<String>,
}

/// Whether `name` has an image extension.
pub(crate) fn is_image_name(name: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(_, ext)| IMAGE_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()))
}

/// Reads a media file's bytes for processing; `id` is a path the loader listed.
pub(crate) fn read_media(root: &Path, id: &str) -> std::io::Result<Vec<u8>> {
    read_regular(&root.join("content").join(MEDIA_FOLDER).join(id))
}

/// Lists `content/media/` (languages: the site's, to tell `x.en.yaml` from `x.yaml`),
/// inspecting new or changed images and reusing `cache` for the rest.
pub(crate) fn load_media(
    root: &Path,
    languages: &[String],
    cache: &mut HashMap<PathBuf, (Stamp, RawMediaFile)>,
    diags: &mut Vec<Diagnostic>,
) -> RawMedia {
    let dir = root.join("content").join(MEDIA_FOLDER);
    let mut media = RawMedia::default();
    if !dir.is_dir() {
        return media;
    }
    let mut found = Vec::new();
    for entry in user_files(&dir, root, diags) {
        let rel = relative(root, entry.path());
        let id = slash_path(entry.path(), &dir);
        if let Some(stem) = id.strip_suffix(".yaml") {
            sidecar(root, entry.path(), stem, languages, &mut media, diags);
        } else if id.ends_with(".yml") {
            diags.push(
                Diagnostic::warning(Code::IgnoredFile, rel, "not read as a sidecar; ignored")
                    .with_help("sidecars end in `.yaml`: rename the file"),
            );
        } else {
            found.push((entry.path().to_path_buf(), id));
        }
    }
    let previous = std::mem::take(cache);
    let saved = ScanIndex::open(root);
    let scanned: Vec<(PathBuf, Option<Stamp>, Result<RawMediaFile, Diagnostic>)> = found
        .into_par_iter()
        .map(|(path, id)| {
            let stamp = Stamp::of(&path);
            let file = match previous.get(&path) {
                Some((s, f)) if stamp.as_ref() == Some(s) && f.path == id => Ok(f.clone()),
                _ => scan(root, &path, id, &saved),
            };
            (path, stamp, file)
        })
        .collect();
    for (path, stamp, file) in scanned {
        match file {
            Ok(file) => {
                if let Some(stamp) = stamp {
                    cache.insert(path, (stamp, file.clone()));
                }
                media.files.push(file);
            }
            Err(d) => diags.push(d),
        }
    }
    media
}

/// Lists one file, reading and inspecting it when it is an image that `saved` does
/// not know unchanged.
fn scan(
    root: &Path,
    path: &Path,
    id: String,
    saved: &ScanIndex,
) -> Result<RawMediaFile, Diagnostic> {
    let io_error = |e: std::io::Error| {
        Diagnostic::error(Code::Io, relative(root, path), format!("cannot read: {e}"))
    };
    let meta = std::fs::metadata(path).map_err(io_error)?;
    let len = meta.len();
    if !is_image_name(&id) {
        return Ok(RawMediaFile {
            path: id,
            len,
            scan: None,
        });
    }
    let stamp = file_stamp(&meta, &id);
    let known = stamp.as_ref().and_then(|stamp| saved.known(stamp));
    let scan = if let Some(record) = known {
        Ok(MediaScan {
            info: record.info,
            hash: record.hash.clone(),
            stamp,
        })
    } else if len > MAX_MEDIA_BYTES {
        Err(MediaProblem {
            message: format!(
                "the file is {} MB, more than the {} MB an image may have",
                len / 1_000_000,
                MAX_MEDIA_BYTES / 1_000_000
            ),
            help: "export a smaller version (a press photo needs at most 50 MB)".to_owned(),
        })
    } else {
        let bytes = read_regular(path).map_err(io_error)?;
        crate::media::inspect(&bytes).map(|info| MediaScan {
            info,
            hash: crate::media::content_hash(&bytes),
            stamp,
        })
    };
    Ok(RawMediaFile {
        path: id,
        len,
        scan: Some(scan),
    })
}

/// What identifies this version of the file without reading it.
fn file_stamp(meta: &std::fs::Metadata, id: &str) -> Option<FileStamp> {
    let modified = meta.modified().ok()?;
    let modified_nanos = modified
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_nanos();
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(meta);
    #[cfg(not(unix))]
    let inode = 0;
    Some(FileStamp {
        path: id.to_owned(),
        size: meta.len(),
        modified_nanos,
        inode,
    })
}

/// Reads and parses a sidecar; `stem` is its path under `content/media/` without
/// `.yaml`, ending in `.<lang>` for a translation.
fn sidecar(
    root: &Path,
    path: &Path,
    stem: &str,
    languages: &[String],
    media: &mut RawMedia,
    diags: &mut Vec<Diagnostic>,
) {
    let rel = relative(root, path);
    let (base, lang) = match stem.rsplit_once('.') {
        Some((base, lang)) if languages.iter().any(|l| l == lang) => {
            (base.to_owned(), Some(lang.to_owned()))
        }
        _ => (stem.to_owned(), None),
    };
    let mut text = match read_text(path, &rel) {
        Ok(t) => t,
        Err(d) => {
            diags.push(*d);
            media.broken_sidecars.push(base);
            return;
        }
    };
    let blanked = blank_controls(&mut text);
    let source = SourceFile {
        blanked,
        front_matter: 0..text.len(),
        body_start: text.len(),
        path: rel.clone(),
        text,
    };
    diags.extend(blanked_warning(&source));
    let source = Arc::new(source);
    let parsed = match &lang {
        None => yaml::parse::<RawSidecar>(&rel, &source.text, source.yaml(), 0).map(|front| {
            media.sidecars.push(RawDoc {
                id: base.clone(),
                lang: None,
                source: source.clone(),
                front,
            })
        }),
        Some(_) => yaml::parse::<RawSidecarTranslation>(&rel, &source.text, source.yaml(), 0).map(
            |front| {
                media.sidecar_translations.push(RawDoc {
                    id: base.clone(),
                    lang: lang.clone(),
                    source: source.clone(),
                    front,
                })
            },
        ),
    };
    if let Err(d) = parsed {
        diags.push(*d);
        media.broken_sidecars.push(base);
    }
}
