//! The media library: every published photo, logo and graphic with its thumbnail,
//! caption, credit, terms of use, the pages that use it and its download.

use super::shared::{MetaInput, Page, PageEnv};
use crate::render::routes::{PageRoute, Routes};
use crate::render::views::*;
use serde::Serialize;

/// `media.html`.
#[derive(Debug, Serialize)]
pub(crate) struct MediaPage {
    pub items: Vec<MediaItemView>,
    /// The same records as open data (`api/media.json`).
    pub api_url: String,
}

/// One media file in the library.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct MediaItemView {
    /// Its path under `content/media/`, also its anchor on the page.
    pub id: String,
    pub anchor: String,
    pub picture: PictureView,
    pub caption: Option<String>,
    pub credit: Option<String>,
    pub license: Option<String>,
    /// The releases, institutions and partnerships that show it.
    pub used_in: Vec<Link>,
    pub download: DownloadView,
}

pub(crate) fn library(env: &PageEnv) -> Page<MediaPage> {
    let title = env.links.lang.t("title.media");
    Page {
        page: env.meta(PageRoute::Media, MetaInput::new("media", title)),
        body: MediaPage {
            items: Vec::new(),
            api_url: env.path(&Routes::api_data("media")),
        },
    }
}
