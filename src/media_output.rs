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
/// (then only paths are kept), else into [`MediaOutput::files`]. `made` (when given)
/// holds the files of earlier runs and receives this run's.
pub(crate) fn publish(
    root: &Path,
    site: &Site,
    sink: Option<crate::render::PageSink>,
    made: Option<&mut MadeFiles>,
) -> MediaOutput {
    let requests = site.media_requests();
    let earlier = made.as_ref().map(|m| &m.files);
    let results: Vec<Result<Made, Diagnostic>> = requests
        .par_iter()
        .map(|(id, request)| {
            let file = site.media_file(id).ok_or_else(|| unknown(id))?;
            let key = (id.clone(), file.hash.clone(), *request);
            let (files, fresh) = match earlier.and_then(|m| m.get(&key)) {
                Some(files) => (files.clone(), false),
                None => (made_of(root, file, request)?, true),
            };
            if let Some(sink) = sink {
                files.iter().for_each(sink);
            }
            Ok((files, fresh))
        })
        .collect();
    let mut output = MediaOutput::default();
    let mut kept = HashMap::new();
    for ((id, request), result) in requests.iter().zip(results) {
        match result {
            Ok((files, fresh)) => {
                *(if fresh {
                    &mut output.processed
                } else {
                    &mut output.reused
                }) += 1;
                output.files.extend(kept_or_paths(&files, sink));
                if let Some(file) = site.media_file(id) {
                    kept.insert((id.clone(), file.hash.clone(), *request), files);
                }
            }
            Err(d) => output.diagnostics.push(d),
        }
    }
    if let Some(made) = made {
        made.files = kept;
    }
    let documents: Vec<Result<OutputFile, Diagnostic>> = (site.media_documents)
        .par_iter()
        .map(|(id, _)| {
            let bytes = content::read_media(root, id.as_str()).map_err(|e| read_error(id, &e))?;
            let file = OutputFile {
                path: Routes::media_original(id.as_str()),
                contents: bytes.into(),
            };
            if let Some(sink) = sink {
                sink(&file);
            }
            Ok(file)
        })
        .collect();
    for result in documents {
        match result {
            Ok(file) => output.files.extend(kept_or_paths(&[file], sink)),
            Err(d) => output.diagnostics.push(d),
        }
    }
    output.files.sort_by(|a, b| a.path.cmp(&b.path));
    output
}

/// The files of one image, and whether they were made in this run.
type Made = (Arc<[OutputFile]>, bool);

/// The files made of one image: its original and its renditions at their addresses.
fn made_of(
    root: &Path,
    file: &MediaFile,
    request: &Request,
) -> Result<Arc<[OutputFile]>, Diagnostic> {
    let processed = process(root, file, request)?;
    let mut out = vec![OutputFile {
        path: Routes::media_original(file.id.as_str()),
        contents: bytes::Bytes::from(processed.original.clone()),
    }];
    out.extend(processed.renditions.iter().map(|r| OutputFile {
        path: rendition_path(file, r.kind, r.format),
        contents: bytes::Bytes::from(r.bytes.clone()),
    }));
    Ok(out.into())
}

/// The files to report: themselves, or only their paths once a sink wrote them.
fn kept_or_paths(files: &[OutputFile], sink: Option<crate::render::PageSink>) -> Vec<OutputFile> {
    files
        .iter()
        .map(|f| OutputFile {
            path: f.path.clone(),
            contents: match sink {
                Some(_) => bytes::Bytes::new(),
                None => f.contents.clone(),
            },
        })
        .collect()
}

/// One image processed (through the cache once it exists).
fn process(root: &Path, file: &MediaFile, request: &Request) -> Result<Arc<Processed>, Diagnostic> {
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
    Ok(Arc::new(processed))
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
