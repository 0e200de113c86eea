//! `/api/media.json`: every published photo, logo and graphic with its rights in the
//! default language, the absolute URLs of its original and derivatives, and the ids of
//! what uses it. Unpublished files are not in `Site::media`, so never here.

use super::images::MediaTexts;
use super::routes::{PageRoute, Routes};
use crate::media::{MediaFormat, rendition_widths};
use crate::model::{MediaFile, MediaUser, Site};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Serialize)]
pub(super) struct MediaRecord<'a> {
    id: &'a str,
    format: &'static str,
    width: u32,
    height: u32,
    bytes: u64,
    alt: Option<String>,
    caption: Option<String>,
    credit: Option<String>,
    license: Option<String>,
    original: String,
    renditions: Vec<RenditionRecord>,
    share_image: Option<String>,
    releases: Vec<&'a str>,
    institutions: Vec<&'a str>,
    partnerships: Vec<&'a str>,
    library: BTreeMap<&'a str, String>,
}

#[derive(Serialize)]
struct RenditionRecord {
    width: u32,
    format: &'static str,
    url: String,
}

/// The open data's name of a format.
fn format_name(format: MediaFormat) -> &'static str {
    match format {
        MediaFormat::Jpeg => "jpeg",
        MediaFormat::Png => "png",
        MediaFormat::Webp => "webp",
        MediaFormat::Gif => "gif",
        MediaFormat::Svg => "svg",
    }
}

pub(super) fn records<'a>(site: &'a Site, routes: &Routes) -> Vec<MediaRecord<'a>> {
    site.media
        .values()
        .map(|f| record(site, routes, f))
        .collect()
}

fn record<'a>(site: &'a Site, routes: &Routes, file: &'a MediaFile) -> MediaRecord<'a> {
    let texts = MediaTexts::of(site, file, &site.config.default_language);
    let source = super::images::ImageSource::of(file);
    let mut renditions = Vec::new();
    if let super::images::Published::Raster { fallback } = source.published {
        for width in rendition_widths(&file.info) {
            for (ext, format) in [("webp", "webp"), (fallback, fallback_name(fallback))] {
                let route = Routes::media_rendition(file.id.as_str(), width, &file.hash, ext);
                renditions.push(RenditionRecord {
                    width,
                    format,
                    url: routes.permalink(&route),
                });
            }
        }
    }
    let shared = file.info.format.is_raster() && site.media_uses.shared.contains(&file.id);
    let users = site.uses_of(&file.id);
    let ids = |pick: &dyn Fn(MediaUser) -> Option<&'a str>| -> Vec<&'a str> {
        users.iter().filter_map(|u| pick(*u)).collect()
    };
    MediaRecord {
        id: file.id.as_str(),
        format: format_name(file.info.format),
        width: file.info.width,
        height: file.info.height,
        bytes: file.bytes,
        alt: texts.alt,
        caption: texts.caption,
        credit: texts.credit,
        license: texts.license,
        original: routes.permalink(&Routes::media_original(file.id.as_str())),
        renditions,
        share_image: shared
            .then(|| routes.permalink(&Routes::media_share(file.id.as_str(), &file.hash))),
        releases: ids(&|u| match u {
            MediaUser::Release(r) => Some(site.releases[r.0].id.as_str()),
            _ => None,
        }),
        institutions: ids(&|u| match u {
            MediaUser::Institution(i) => Some(site.institutions[i.0].id.as_str()),
            _ => None,
        }),
        partnerships: ids(&|u| match u {
            MediaUser::Partnership(p) => Some(site.partnerships[p.0].id.as_str()),
            _ => None,
        }),
        library: library_urls(site, routes, file),
    }
}

fn fallback_name(ext: &str) -> &'static str {
    if ext == "jpg" { "jpeg" } else { "png" }
}

/// The file's entry in the library of every language.
fn library_urls<'a>(
    site: &'a Site,
    routes: &Routes,
    file: &MediaFile,
) -> BTreeMap<&'a str, String> {
    let anchor = super::pages::media_anchor(file.id.as_str());
    super::api::urls(site, routes, PageRoute::Media)
        .into_iter()
        .map(|(lang, url)| (lang, format!("{url}#{anchor}")))
        .collect()
}
