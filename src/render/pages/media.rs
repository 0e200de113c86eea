//! The media library: every published photo, logo and graphic with its thumbnail,
//! caption, credit, terms of use, the pages that use it and its download.

use super::shared::{MetaInput, Page, PageEnv};
use crate::model::{MediaFile, MediaUser};
use crate::render::images::{ImageSource, MediaTexts, SIZES_CARD};
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
    pub used_in: Vec<UsedIn>,
    pub download: DownloadView,
}

pub(crate) fn library(env: &PageEnv) -> Page<MediaPage> {
    let title = env.links.lang.t("title.media");
    Page {
        page: env.meta(PageRoute::Media, MetaInput::new("media", title)),
        body: MediaPage {
            items: env.site.media.values().map(|f| item(env, f)).collect(),
            api_url: env.path(&Routes::api_data("media")),
        },
    }
}

fn item(env: &PageEnv, file: &MediaFile) -> MediaItemView {
    let code = env.code();
    let texts = MediaTexts::of(env.site, file, code);
    let source = ImageSource::of(file);
    let alt = texts.alt.clone().unwrap_or_default();
    MediaItemView {
        id: file.id.to_string(),
        anchor: anchor(file.id.as_str()),
        picture: source.picture(env.routes, &alt, SIZES_CARD),
        caption: texts.caption,
        credit: texts.credit,
        license: texts.license,
        used_in: env
            .site
            .uses_of(&file.id)
            .iter()
            .filter_map(|u| user_link(env, *u))
            .collect(),
        download: source.download(env.routes, env.links.lang),
    }
}

/// A page that shows a media file, as the template reads it (`title`, `url`).
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub(crate) enum UsedIn {
    /// A release, by its shared card (the same value, not a copy: the page cache then
    /// knows that the library shows the release's title).
    Release(tera::Value),
    Page(Link),
}

/// The page that shows a file (the site's logo and default image have none).
fn user_link(env: &PageEnv, user: MediaUser) -> Option<UsedIn> {
    let link = match user {
        MediaUser::Site => return None,
        MediaUser::Release(r) => {
            return Some(UsedIn::Release(
                env.shared.release_cards[r.0].value().clone(),
            ));
        }
        MediaUser::Institution(i) => env.institution_link(i),
        MediaUser::Partnership(p) => env.partnership_link(p),
        MediaUser::Page(i) => {
            let page = &env.site.pages[i];
            Link {
                title: page.title.get(env.code()).clone(),
                url: env.path(&env.routes.page(env.code(), &page.id)),
            }
        }
    };
    Some(UsedIn::Page(link))
}

/// An element id for a media path, one per path (`media/2025/unterzeichnung.jpg`): an
/// id may hold any character but white space, which is percent-encoded (with `%`).
pub(crate) fn anchor(path: &str) -> String {
    let mut id = String::from("media/");
    for c in path.chars() {
        match c {
            '%' => id.push_str("%25"),
            c if c.is_whitespace() => id.push_str(&format!("%{:02X}", u32::from(c))),
            c => id.push(c),
        }
    }
    id
}

#[cfg(test)]
mod tests {
    use super::super::kind::LangIdx;
    use super::super::tests::with_spec_site;

    #[test]
    fn anchors_are_one_per_path() {
        assert_eq!(super::anchor("2025/a.jpg"), "media/2025/a.jpg");
        assert_eq!(super::anchor("a b%.jpg"), "media/a%20b%25.jpg");
        assert_ne!(super::anchor("a b.jpg"), super::anchor("a%20b.jpg"));
    }

    #[test]
    fn a_site_without_media_has_an_empty_library() {
        with_spec_site(|r| {
            let env = r.env(LangIdx(1));
            let page = super::library(&env);
            assert!(page.body.items.is_empty());
            assert_eq!(page.page.url, "/sub/path/en/media/");
            assert_eq!(page.body.api_url, "/sub/path/api/media.json");
        });
    }
}
