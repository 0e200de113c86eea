//! The build's media step: every published media file read from `content/media/`,
//! processed (originals without location data, renditions, share images) and handed
//! to the writer at the addresses `render::routes` gives it.
//!
//! Runs after `resolve` and before the pages render, so the link check knows the
//! files; one file's bytes at a time per thread, handed on at once (a `build` writes
//! them and frees them; `serve` keeps them in memory like its pages).

use crate::content;
use crate::diagnostics::{Code, Diagnostic};
use crate::media::{self, MediaFormat, Processed, RenditionKind, Request};
use crate::model::{MediaFile, MediaId, Site};
use crate::render::OutputFile;
use crate::render::routes::Routes;
use rayon::prelude::*;
use std::path::Path;
use std::sync::Arc;

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
    let files = expected_paths(site).into_iter().map(|path| OutputFile {
        path,
        contents: bytes::Bytes::new(),
    });
    MediaOutput {
        files: files.collect(),
        ..MediaOutput::default()
    }
}

fn expected_paths(site: &Site) -> Vec<String> {
    let mut paths = Vec::new();
    for (id, request) in site.media_requests() {
        let Some(file) = site.media_file(&id) else {
            continue;
        };
        paths.push(Routes::media_original(id.as_str()));
        let fallback = match file.info.format {
            MediaFormat::Jpeg => MediaFormat::Jpeg,
            _ => MediaFormat::Png,
        };
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
    }
    let documents = site.media_documents.keys();
    paths.extend(documents.map(|id| Routes::media_original(id.as_str())));
    paths
}

/// Reads, processes and hands on every published media file: to `sink` when given
/// (then only paths are kept), else into [`MediaOutput::files`].
pub(crate) fn publish(
    root: &Path,
    site: &Site,
    sink: Option<crate::render::PageSink>,
) -> MediaOutput {
    let requests = site.media_requests();
    let results: Vec<Result<(Vec<OutputFile>, bool), Diagnostic>> = requests
        .par_iter()
        .map(|(id, request)| {
            let file = site.media_file(id).ok_or_else(|| unknown(id))?;
            let (processed, fresh) = process(root, file, request)?;
            let mut out = vec![OutputFile {
                path: Routes::media_original(id.as_str()),
                contents: bytes::Bytes::from(processed.original.clone()),
            }];
            out.extend(processed.renditions.iter().map(|r| OutputFile {
                path: rendition_path(file, r.kind, r.format),
                contents: bytes::Bytes::from(r.bytes.clone()),
            }));
            Ok((hand_on(out, sink), fresh))
        })
        .collect();
    let documents: Vec<Result<(Vec<OutputFile>, bool), Diagnostic>> = (site.media_documents)
        .par_iter()
        .map(|(id, _)| {
            let bytes = content::read_media(root, id.as_str()).map_err(|e| read_error(id, &e))?;
            let out = vec![OutputFile {
                path: Routes::media_original(id.as_str()),
                contents: bytes.into(),
            }];
            Ok((hand_on(out, sink), false))
        })
        .collect();
    let mut output = MediaOutput::default();
    for result in results.into_iter().chain(documents) {
        match result {
            Ok((files, fresh)) => {
                if fresh {
                    output.processed += 1;
                } else {
                    output.reused += 1;
                }
                output.files.extend(files);
            }
            Err(d) => output.diagnostics.push(d),
        }
    }
    output.reused -= site.media_documents.len().min(output.reused);
    output.files.sort_by(|a, b| a.path.cmp(&b.path));
    output
}

/// Writes `files` through `sink` (keeping only their paths), or keeps them.
fn hand_on(files: Vec<OutputFile>, sink: Option<crate::render::PageSink>) -> Vec<OutputFile> {
    match sink {
        Some(sink) => files
            .into_iter()
            .map(|f| {
                sink(&f);
                OutputFile {
                    path: f.path,
                    contents: bytes::Bytes::new(),
                }
            })
            .collect(),
        None => files,
    }
}

/// One image processed (through the cache once it exists); `true` when it was
/// processed in this run rather than taken from the cache.
fn process(
    root: &Path,
    file: &MediaFile,
    request: &Request,
) -> Result<(Arc<Processed>, bool), Diagnostic> {
    let id = &file.id;
    let bytes = content::read_media(root, id.as_str()).map_err(|e| read_error(id, &e))?;
    // The model's URLs carry the hash read at load time; a file replaced since then
    // would be published under the old version's name.
    if media::content_hash(&bytes) != file.hash {
        return Err(Diagnostic::error(
            Code::Io,
            media_path(id),
            "the file changed while the site was being built",
        )
        .with_help("build again"));
    }
    let processed = media::process(&bytes, request).map_err(|p| {
        Diagnostic::error(Code::InvalidMedia, media_path(id), p.message).with_help(p.help)
    })?;
    Ok((Arc::new(processed), true))
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
