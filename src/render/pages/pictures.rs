//! The pictures of pages, from the model's image uses: lead figures, card thumbnails,
//! logos, and the share image of `og:image` (a page's own photo; the generated card
//! or the site's default come in `pages/mod.rs`).

use super::links::Links;
use crate::model::{ImageUse, MediaFile};
use crate::render::images::{ImageSource, SIZES_COLUMN};
use crate::render::routes::Routes;
use crate::render::views::*;

/// A share image narrower than this gets the small card (`twitter:card` `summary`).
const LARGE_CARD_WIDTH: u32 = 600;

impl<'a> Links<'a> {
    fn source(&self, image: &ImageUse) -> Option<ImageSource<'a>> {
        self.site.media_file(&image.media).map(ImageSource::of)
    }

    /// A use as a figure: the picture in the text column with its caption, credit,
    /// licence and the original's download.
    pub(crate) fn figure(&self, image: &ImageUse) -> Option<FigureView> {
        let src = self.source(image)?;
        let code = self.code();
        let default = &self.site.config.default_language;
        let translated = image.caption.is_translated(code) || image.license.is_translated(code);
        Some(FigureView {
            text_lang: (code != default && !translated).then(|| default.clone()),
            picture: src.picture(self.routes, image.alt.get(code), SIZES_COLUMN),
            caption: image.caption.get(code).clone(),
            credit: image.credit.clone(),
            license: image.license.get(code).clone(),
            download: src.download(self.routes, self.lang),
        })
    }

    /// A use's smallest rendition for a card, decorative there (`alt` empty).
    pub(crate) fn thumbnail(&self, image: Option<&ImageUse>) -> Option<PictureView> {
        Some(self.source(image?)?.thumbnail(self.routes))
    }

    /// A logo at a small size; `alt` empty where the institution's name stands beside it.
    pub(crate) fn logo(&self, image: Option<&ImageUse>, with_alt: bool) -> Option<PictureView> {
        let image = image?;
        let mut picture = self.source(image)?.thumbnail(self.routes);
        if with_alt {
            picture.alt = image.alt.get(self.code()).clone();
        }
        Some(picture)
    }

    /// A page's own photo as its share image, when the build made one for it (a
    /// raster file; an SVG has none). A page without one gets a generated card
    /// (`render/cards`), else the site's default ([`Links::default_share_image`]).
    pub(crate) fn own_share_image(&self, image: Option<&ImageUse>) -> Option<ShareImage> {
        self.share_image_of(image?)
    }

    /// The site's default share image (`image:` in `site.yaml`).
    pub(crate) fn default_share_image(&self) -> Option<ShareImage> {
        self.own_share_image(self.site.config.share_image.as_ref())
    }

    fn share_image_of(&self, image: &ImageUse) -> Option<ShareImage> {
        let file: &MediaFile = self.site.media_file(&image.media)?;
        if !file.info.format.is_raster() || !self.site.media_uses.shared.contains(&file.id) {
            return None;
        }
        let (width, height) = crate::media::share_size(&file.info);
        let route = Routes::media_share(file.id.as_str(), &file.hash);
        Some(ShareImage {
            url: self.routes.permalink(&route),
            alt: image.alt.get(self.code()).clone(),
            width,
            height,
            large: width >= LARGE_CARD_WIDTH,
        })
    }
}
