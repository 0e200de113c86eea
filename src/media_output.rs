//! The build's media step: every published media file read from `content/media/`,
//! processed (originals without location data, renditions, share images) and handed
//! to the writer at the addresses `render::routes` gives it.
//!
//! Runs after `resolve` and before the pages render, so the link check knows the
//! files. A `build` links each file of the media cache into the staging folder (no
//! bytes pass through memory); `serve` reads them into memory like its pages.

use crate::content;
use crate::diagnostics::{Code, Diagnostic};
use crate::media::cache::{CacheError, CachedMedia, MediaCache, ScanIndex};
use crate::media::{self, MediaFormat, RenditionKind, Request};
use crate::model::{MediaFile, MediaId, Site};
use crate::output::Staging;
use crate::render::OutputFile;
use crate::render::routes::Routes;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// The files made of each image in earlier runs of a session (`serve`, `build
/// --watch`), by path, content hash and request: an unchanged photo is neither read
/// nor processed again. Only what the last run used is kept.
#[derive(Debug, Default)]
pub(crate) struct MadeFiles {
    files: HashMap<(MediaId, String, Request), Arc<[OutputFile]>>,
}

/// What the media step made.
#[derive(Debug, Default)]
pub(crate) struct MediaOutput {
    /// Every media file: with its bytes when no sink took them (`serve`), else only
    /// its path (its bytes were written and freed).
    pub(crate) files: Vec<OutputFile>,
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// Images processed in this run, and taken from the cache.
    pub(crate) processed: usize,
    pub(crate) reused: usize,
}

/// The extension of a rendition or original in `format`.
fn extension(format: MediaFormat) -> &'static str {
    format.extension()
}

/// The output path of each file made of `file`, from what processing returned.
fn rendition_path(file: &MediaFile, kind: RenditionKind, format: MediaFormat) -> String {
    let path = file.id.as_str();
    match kind {
        RenditionKind::Width(w) => Routes::media_rendition(path, w, &file.hash, extension(format)),
        RenditionKind::Share => Routes::media_share(path, &file.hash),
    }
}

/// The files the media step would write, without contents, from the model alone (for
/// `check`, which processes nothing): each original, WebP and fallback per width,
/// share images.
pub(crate) fn expected(site: &Site) -> MediaOutput {
    MediaOutput {
        files: expected_paths(site).into_iter().map(path_only).collect(),
        ..MediaOutput::default()
    }
}

fn expected_paths(site: &Site) -> Vec<String> {
    let mut paths = Vec::new();
    for (id, request) in site.media_requests() {
        if let Some(file) = site.media_file(&id) {
            paths.extend(paths_of(file, &request));
        }
    }
    let documents = site.media_documents.keys();
    paths.extend(documents.map(|id| Routes::media_original(id.as_str())));
    paths
}

/// The output paths of the files made of one image for `request`.
fn paths_of(file: &MediaFile, request: &Request) -> Vec<String> {
    let mut paths = vec![Routes::media_original(file.id.as_str())];
    let fallback = media::fallback_format(file.info.format);
    for w in media::rendition_widths(&file.info) {
        for format in [MediaFormat::Webp, fallback] {
            paths.push(rendition_path(file, RenditionKind::Width(w), format));
        }
    }
    if request.share {
        paths.push(rendition_path(
            file,
            RenditionKind::Share,
            MediaFormat::Jpeg,
        ));
    }
    paths
}

/// Reads, processes (through the site's `media::cache::MediaCache`) and hands on every
/// published media file: into `staging` when given (a build: then only paths are
/// kept), else into [`MediaOutput::files`]. `made` (when given: `serve`) holds the
/// files of earlier runs and receives this run's. A build that made every file prunes
/// the cache's unused entries.
pub(crate) fn publish(
    root: &Path,
    site: &Site,
    staging: Option<&Staging>,
    made: Option<&mut MadeFiles>,
) -> MediaOutput {
    let cache = MediaCache::open(root);
    let requests = site.media_requests();
    let earlier = made.as_ref().map(|m| &m.files);
    let results: Vec<Result<Made, Diagnostic>> = requests
        .par_iter()
        .with_max_len(1)
        .map(|(id, request)| {
            let file = site.media_file(id).ok_or_else(|| unknown(id))?;
            let key = (id.clone(), file.hash.clone(), *request);
            if let Some(files) = earlier.and_then(|m| m.get(&key)) {
                return Ok((files.clone(), false));
            }
            let cached = cached_entry(root, &cache, file, request)?;
            let files = match staging {
                Some(staging) => linked(staging, file, &cached),
                None => loaded(file, &cached)?,
            };
            Ok((files, true))
        })
        .collect();
    let mut output = MediaOutput::default();
    let mut kept = HashMap::new();
    let mut all_made = true;
    for ((id, request), result) in requests.iter().zip(results) {
        match result {
            Ok((files, fresh)) => {
                all_made &= fresh;
                output.reused += usize::from(!fresh);
                output.files.extend(files.iter().cloned());
                if let (Some(file), true) = (site.media_file(id), made.is_some()) {
                    kept.insert((id.clone(), file.hash.clone(), *request), files);
                }
            }
            Err(d) => {
                all_made = false;
                output.diagnostics.push(d);
                // The run fails on `d`; its pages' links to this image are not
                // reported again (one mistake, one error), as if it had been made.
                if let Some(file) = site.media_file(id) {
                    output
                        .files
                        .extend(paths_of(file, request).into_iter().map(path_only));
                }
            }
        }
    }
    let stats = cache.stats();
    output.processed = stats.misses;
    output.reused += stats.hits;
    if let Some(made) = made {
        made.files = kept;
    }
    if all_made && staging.is_some() {
        // Entries of photos no longer used; a failure only leaves them for later.
        let _ = cache.prune(&site.media_scans);
    }
    publish_documents(root, site, staging, &mut output);
    output.files.sort_by(|a, b| a.path.cmp(&b.path));
    output
}

fn path_only(path: String) -> OutputFile {
    OutputFile {
        path,
        contents: bytes::Bytes::new(),
    }
}

/// Copies the documents (PDFs) published bodies link to.
fn publish_documents(
    root: &Path,
    site: &Site,
    staging: Option<&Staging>,
    output: &mut MediaOutput,
) {
    let documents: Vec<Result<OutputFile, Diagnostic>> = (site.media_documents)
        .par_iter()
        .map(|(id, _)| {
            let bytes = content::read_media(root, id.as_str()).map_err(|e| read_error(id, &e))?;
            let file = OutputFile {
                path: Routes::media_original(id.as_str()),
                contents: bytes.into(),
            };
            Ok(match staging {
                Some(staging) => {
                    staging.write_file(&file);
                    path_only(file.path)
                }
                None => file,
            })
        })
        .collect();
    for result in documents {
        match result {
            Ok(file) => output.files.push(file),
            Err(d) => output.diagnostics.push(d),
        }
    }
}

/// The files of one image, and whether they were made (or read from the cache) in
/// this run rather than kept from the last.
type Made = (Arc<[OutputFile]>, bool);

/// The cache's entry for one image, processed now if it is not there (the file is
/// read only then).
fn cached_entry(
    root: &Path,
    cache: &MediaCache,
    file: &MediaFile,
    request: &Request,
) -> Result<CachedMedia, Diagnostic> {
    let id = &file.id;
    let read = || content::read_media(root, id.as_str());
    let cached = cache
        .get_or_process_known(&file.hash, request, read)
        .map_err(|e| match e {
            CacheError::Problem(p) => {
                Diagnostic::error(Code::InvalidMedia, media_path(id), p.message).with_help(p.help)
            }
            CacheError::Read(e) => read_error(id, &e),
            CacheError::Io(e) => Diagnostic::error(
                Code::Io,
                media_path(id),
                format!("cannot use the media cache (.partnerpress/cache/): {e}"),
            )
            .with_help("check the disk space and the permissions of the site folder"),
        })?;
    // The model's URLs carry the hash read at load time; a file replaced since then
    // would be published under the old version's name.
    if cached.content_hash != file.hash {
        ScanIndex::forget(root);
        return Err(Diagnostic::error(
            Code::Io,
            media_path(id),
            "the file changed while the site was being built",
        )
        .with_help("build again"));
    }
    Ok(cached)
}

/// The output path of each of the entry's files, with the file in the cache.
fn addresses<'c>(
    file: &MediaFile,
    cached: &'c CachedMedia,
) -> impl Iterator<Item = (String, &'c Path)> {
    let original = (Routes::media_original(file.id.as_str()), &*cached.original);
    let renditions = cached.renditions.iter().map(|r| {
        let path = rendition_path(file, r.kind, r.format);
        (path, &*r.path)
    });
    std::iter::once(original).chain(renditions)
}

/// The image's files linked into the staging folder; only their paths are kept.
fn linked(staging: &Staging, file: &MediaFile, cached: &CachedMedia) -> Arc<[OutputFile]> {
    addresses(file, cached)
        .map(|(path, from)| {
            staging.link_file(&path, from);
            path_only(path)
        })
        .collect()
}

/// The image's files read from the cache into memory (`serve`).
fn loaded(file: &MediaFile, cached: &CachedMedia) -> Result<Arc<[OutputFile]>, Diagnostic> {
    let processed = cached.load().map_err(|e| {
        Diagnostic::error(
            Code::Io,
            media_path(&file.id),
            format!("cannot read from the media cache: {e}"),
        )
    })?;
    let original = OutputFile {
        path: Routes::media_original(file.id.as_str()),
        contents: processed.original.into(),
    };
    let renditions = processed.renditions.into_iter().map(|r| OutputFile {
        path: rendition_path(file, r.kind, r.format),
        contents: r.bytes.into(),
    });
    Ok(std::iter::once(original).chain(renditions).collect())
}

fn media_path(id: &MediaId) -> String {
    format!("content/{}/{id}", content::MEDIA_FOLDER)
}

fn read_error(id: &MediaId, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(Code::Io, media_path(id), format!("cannot read: {e}"))
}

fn unknown(id: &MediaId) -> Diagnostic {
    Diagnostic::error(Code::Io, media_path(id), "not in the site's media")
}
