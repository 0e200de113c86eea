//! Press kits written: each kit the render describes (`render::PressKit`) zipped at
//! once, on the render's thread, and handed to the staging folder (`build`) or kept
//! in memory (`serve`), so no more than one kit per thread is held at a time.
//!
//! Reproducible byte for byte: entries stored (photos are compressed already) in the
//! kit's order, each with the release's date at midnight as its time (1980-01-01 for
//! older releases, the ZIP format's first day) and permissions 0644; no extra fields.

use crate::diagnostics::{Code, Diagnostic};
use crate::output::Staging;
use crate::render::{KitContents, OutputFile, PressKit};
use std::collections::HashMap;
use std::io::{self, Write};
use zip::write::SimpleFileOptions;

/// Zips press kits and hands them on.
pub(crate) struct KitWriter<'a> {
    staging: Option<&'a Staging>,
    /// `serve`: the media files in memory, by output path.
    media: HashMap<&'a str, &'a bytes::Bytes>,
}

impl<'a> KitWriter<'a> {
    /// A writer into `staging`, reading photos from there; without one, from `media`.
    pub(crate) fn new(staging: Option<&'a Staging>, media: &'a [OutputFile]) -> Self {
        let media = match staging {
            Some(_) => HashMap::new(),
            None => media
                .iter()
                .map(|f| (f.path.as_str(), &f.contents))
                .collect(),
        };
        KitWriter { staging, media }
    }

    /// Zips `kit` and writes it (a build: only its path comes back) or returns it.
    pub(crate) fn write(&self, kit: &PressKit) -> Result<OutputFile, Diagnostic> {
        let read = |path: &str| match self.staging {
            Some(staging) => staging.read_file(path),
            None => (self.media.get(path).map(|b| b.to_vec()))
                .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, path.to_owned())),
        };
        let bytes = zip(kit, read).map_err(|e| {
            Diagnostic::error(
                Code::Io,
                format!("<output>/{}", kit.path),
                format!("cannot make the press kit: {e}"),
            )
        })?;
        let file = OutputFile {
            path: kit.path.clone(),
            contents: bytes.into(),
        };
        Ok(match self.staging {
            Some(staging) => {
                staging.write_file(&file);
                OutputFile {
                    path: file.path,
                    contents: bytes::Bytes::new(),
                }
            }
            None => file,
        })
    }
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
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .last_modified_time(time)
        .unix_permissions(0o644)
        .large_file(false);
    for entry in &kit.entries {
        zip.start_file(entry.name.as_str(), options)
            .map_err(io::Error::other)?;
        match &entry.contents {
            KitContents::Bytes(bytes) => zip.write_all(bytes)?,
            KitContents::Published { path, .. } => zip.write_all(&read(path)?)?,
        }
    }
    Ok(zip.finish().map_err(io::Error::other)?.into_inner())
}
