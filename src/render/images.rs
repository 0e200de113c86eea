//! Photos, logos and graphics as pages show them (pure): a `<picture>` with a WebP
//! `srcset` and a JPEG/PNG fallback at the widths `media` publishes, the displayed
//! size (so nothing shifts while it loads), and a figure's caption, credit, licence and
//! download link. Body images (`render/markdown.rs`) get the same markup from
//! [`figure_html`] that `partials/figure.html` writes for lead photos.

use super::i18n::Language;
use super::network::escape;
use super::routes::Routes;
use super::views::{DownloadView, FigureView, PictureView};
use crate::media::MediaFormat;
use crate::model::{ImageUse, MediaFile, MediaUser, Site};

/// `sizes` of a photo in the text column (`--measure` is 42rem; 2rem of padding below it).
pub(crate) const SIZES_COLUMN: &str = "(min-width: 46rem) 42rem, calc(100vw - 2rem)";
/// `sizes` of a photo in a library entry (a grid of columns at least 18rem wide).
pub(crate) const SIZES_CARD: &str = "(min-width: 40rem) 20rem, calc(100vw - 2rem)";
/// `sizes` of a card's thumbnail (12rem beside the text from 40rem on, see the CSS).
const SIZES_THUMB: &str = "(min-width: 40rem) 12rem, calc(100vw - 2rem)";

/// How the published files of a media file are encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Published {
    /// Renditions in WebP and, for browsers without it, in this format (`jpg`, `png`).
    Raster { fallback: &'static str },
    /// The original only (SVG): it scales by itself.
    Vector,
}

/// What the markup needs of one media file, whatever the model holds besides.
#[derive(Debug, Clone)]
pub(crate) struct ImageSource<'a> {
    /// Its path under `content/media/` (`2025/unterzeichnung.jpg`).
    pub path: &'a str,
    /// `media::content_hash` of its bytes, for the derivatives' names.
    pub hash: &'a str,
    pub published: Published,
    /// The original's format as people know it ("JPEG", "PNG", "SVG").
    pub format_name: &'static str,
    /// As displayed (after EXIF orientation).
    pub width: u32,
    pub height: u32,
    /// The original's size in bytes.
    pub bytes: u64,
    /// The rendition widths (`media::rendition_widths`), smallest first.
    pub widths: Vec<u32>,
}

impl<'a> ImageSource<'a> {
    /// A published media file as the markup needs it.
    pub(crate) fn of(file: &'a MediaFile) -> Self {
        let format = file.info.format;
        ImageSource {
            path: file.id.as_str(),
            hash: &file.hash,
            published: match format {
                MediaFormat::Svg => Published::Vector,
                other => Published::Raster {
                    fallback: crate::media::fallback_format(other).extension(),
                },
            },
            format_name: format.label(),
            width: file.info.width,
            height: file.info.height,
            bytes: file.bytes,
            widths: crate::media::rendition_widths(&file.info),
        }
    }

    fn srcset(&self, routes: &Routes, widths: &[u32], ext: &str) -> String {
        let one = |w: &u32| {
            let route = Routes::media_rendition(self.path, *w, self.hash, ext);
            format!("{} {w}w", routes.path(&route))
        };
        widths.iter().map(one).collect::<Vec<_>>().join(", ")
    }

    fn original(&self, routes: &Routes) -> String {
        routes.path(&Routes::media_original(self.path))
    }

    /// The fallback `<img src>` for browsers without `srcset`: the largest width up
    /// to 1200 pixels, the original for vector graphics.
    fn fallback_src(&self, routes: &Routes, widths: &[u32]) -> String {
        let Published::Raster { fallback } = self.published else {
            return self.original(routes);
        };
        let pick = widths.iter().rev().find(|w| **w <= 1200).or(widths.first());
        match pick {
            Some(w) => routes.path(&Routes::media_rendition(self.path, *w, self.hash, fallback)),
            None => self.original(routes),
        }
    }

    /// The picture at every published width, for a text column or a card (`sizes`).
    pub(crate) fn picture(&self, routes: &Routes, alt: &str, sizes: &str) -> PictureView {
        self.picture_of(routes, &self.widths, alt, sizes)
    }

    /// The smallest rendition only, for cards and lists. Its `alt` is empty: where a
    /// thumbnail stands beside a link naming the release, the picture adds nothing a
    /// screen reader should read out again.
    pub(crate) fn thumbnail(&self, routes: &Routes) -> PictureView {
        let smallest = &self.widths[..self.widths.len().min(1)];
        self.picture_of(routes, smallest, "", SIZES_THUMB)
    }

    fn picture_of(&self, routes: &Routes, widths: &[u32], alt: &str, sizes: &str) -> PictureView {
        let (webp_srcset, srcset) = match self.published {
            Published::Raster { fallback } if !widths.is_empty() => (
                Some(self.srcset(routes, widths, "webp")),
                Some(self.srcset(routes, widths, fallback)),
            ),
            _ => (None, None),
        };
        PictureView {
            webp_srcset,
            src: self.fallback_src(routes, widths),
            srcset,
            sizes: sizes.to_owned(),
            width: self.width,
            height: self.height,
            alt: alt.to_owned(),
        }
    }

    /// "Original herunterladen (JPEG, 6000 × 4000, 8,4 MB)" and the original's URL.
    pub(crate) fn download(&self, routes: &Routes, lang: &Language) -> DownloadView {
        let label = lang
            .t("media.download")
            .replace("{format}", self.format_name)
            .replace("{width}", &self.width.to_string())
            .replace("{height}", &self.height.to_string())
            .replace("{size}", &file_size(lang, self.bytes));
        DownloadView {
            url: self.original(routes),
            label,
        }
    }
}

/// A media file's texts in one language, for the library and the open data: its
/// sidecar's, else those of its first use that gives them.
#[derive(Debug, Clone, Default)]
pub(crate) struct MediaTexts {
    pub alt: Option<String>,
    pub caption: Option<String>,
    pub credit: Option<String>,
    pub license: Option<String>,
}

impl MediaTexts {
    pub(crate) fn of(site: &Site, file: &MediaFile, lang: &str) -> Self {
        let rights = &file.sidecar;
        let mut texts = MediaTexts {
            alt: rights.alt.get(lang).clone(),
            caption: rights.caption.get(lang).clone(),
            credit: rights.credit.clone(),
            license: rights.license.get(lang).clone(),
        };
        for image in site
            .uses_of(&file.id)
            .iter()
            .filter_map(|u| use_of(site, *u, file))
        {
            let fill = |slot: &mut Option<String>, value: Option<&String>| {
                if slot.is_none() {
                    *slot = value.cloned();
                }
            };
            fill(&mut texts.alt, Some(image.alt.get(lang)));
            fill(&mut texts.caption, image.caption.get(lang).as_ref());
            fill(&mut texts.credit, image.credit.as_ref());
            fill(&mut texts.license, image.license.get(lang).as_ref());
        }
        texts
    }
}

/// The `image:` or `logo:` field through which `user` shows `file` (none for a body).
fn use_of<'s>(site: &'s Site, user: MediaUser, file: &MediaFile) -> Option<&'s ImageUse> {
    let fields: [Option<&ImageUse>; 2] = match user {
        MediaUser::Site => [site.config.logo.as_ref(), site.config.share_image.as_ref()],
        MediaUser::Release(r) => [site.releases[r.0].image.as_ref(), None],
        MediaUser::Institution(i) => {
            let inst = &site.institutions[i.0];
            [inst.image.as_ref(), inst.logo.as_ref()]
        }
        MediaUser::Partnership(p) => [site.partnerships[p.0].image.as_ref(), None],
        MediaUser::Page(_) => [None, None],
    };
    fields.into_iter().flatten().find(|u| u.media == file.id)
}

/// "8,4 MB" / "8.4 MB", "420 kB": decimal units, as file managers show them.
pub(crate) fn file_size(lang: &Language, bytes: u64) -> String {
    if bytes >= 1_000_000 {
        let tenths = (bytes as f64 / 100_000.0).round() / 10.0;
        format!("{} MB", lang.number(tenths))
    } else {
        format!("{} kB", bytes.div_ceil(1000).max(1))
    }
}

/// A figure as HTML, for images in Markdown bodies; the same markup as
/// `partials/figure.html` writes for lead photos, always loaded lazily (the lead photo
/// is the page's first picture, never a body's).
pub(crate) fn figure_html(figure: &FigureView) -> String {
    let mut out = String::from("<figure class=\"photo\">");
    out.push_str(&picture_html(&figure.picture));
    out.push_str("<figcaption>");
    let mut parts = Vec::new();
    if let Some(caption) = &figure.caption {
        parts.push(format!(
            "<span class=\"caption\">{}</span>",
            escape(caption)
        ));
    }
    if let Some(credit) = &figure.credit {
        parts.push(format!("<span class=\"credit\">{}</span>", escape(credit)));
    }
    if let Some(license) = &figure.license {
        parts.push(format!(
            "<span class=\"license\">{}</span>",
            escape(license)
        ));
    }
    parts.push(format!(
        "<a class=\"download\" href=\"{}\" download>{}</a>",
        escape(&figure.download.url),
        escape(&figure.download.label)
    ));
    out.push_str(&parts.join(" "));
    out.push_str("</figcaption></figure>");
    out
}

/// A body image inside running text, where a figure cannot stand: the picture and its
/// credit (the download is on the media library page).
pub(crate) fn inline_html(figure: &FigureView) -> String {
    let mut out = picture_html(&figure.picture);
    if let Some(credit) = &figure.credit {
        out.push_str(&format!(
            " <small class=\"credit\">{}</small>",
            escape(credit)
        ));
    }
    out
}

/// A `<picture>` loaded lazily, for a body (see [`figure_html`]).
pub(crate) fn picture_html(p: &PictureView) -> String {
    let mut out = String::from("<picture>");
    let sizes = escape(&p.sizes);
    if let Some(webp) = &p.webp_srcset {
        out.push_str(&format!(
            "<source type=\"image/webp\" srcset=\"{}\" sizes=\"{sizes}\">",
            escape(webp)
        ));
    }
    out.push_str(&format!("<img src=\"{}\"", escape(&p.src)));
    if let Some(srcset) = &p.srcset {
        out.push_str(&format!(" srcset=\"{}\" sizes=\"{sizes}\"", escape(srcset)));
    }
    out.push_str(&format!(
        " width=\"{}\" height=\"{}\" alt=\"{}\" loading=\"lazy\" decoding=\"async\"></picture>",
        p.width,
        p.height,
        escape(&p.alt)
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn photo() -> ImageSource<'static> {
        ImageSource {
            path: "2025/unterzeichnung.jpg",
            hash: "0123456789abcdef",
            published: Published::Raster { fallback: "jpg" },
            format_name: "JPEG",
            width: 6000,
            height: 4000,
            bytes: 8_400_000,
            widths: vec![480, 800, 1200, 1600, 2400],
        }
    }

    fn lang(code: &str) -> Language {
        let root =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/spec-site");
        let (raw, _) = crate::content::load(&root);
        Language::new(code, raw.theme.i18n[code].clone())
    }

    #[test]
    fn a_photo_has_a_webp_source_a_fallback_and_its_displayed_size() {
        let routes = Routes::new("https://example.org/sub/", "/sub/", "de");
        let p = photo().picture(&routes, "Zwei Personen", SIZES_COLUMN);
        let webp = p.webp_srcset.as_deref().unwrap_or_default();
        assert!(webp.starts_with("/sub/media/2025/unterzeichnung.480w.01234567.webp 480w, "));
        assert!(webp.ends_with(".2400w.01234567.webp 2400w"));
        assert_eq!(p.src, "/sub/media/2025/unterzeichnung.1200w.01234567.jpg");
        assert_eq!((p.width, p.height), (6000, 4000));
        let html = picture_html(&p);
        assert!(html.contains(r#"alt="Zwei Personen" loading="lazy" decoding="async""#));
        let thumb = photo().thumbnail(&routes);
        assert_eq!(thumb.alt, "");
        assert_eq!(
            thumb.srcset.as_deref(),
            Some("/sub/media/2025/unterzeichnung.480w.01234567.jpg 480w")
        );
    }

    #[test]
    fn the_download_names_format_size_and_bytes_in_the_page_language() {
        let routes = Routes::new("https://example.org/", "/", "de");
        let de = photo().download(&routes, &lang("de"));
        assert_eq!(de.url, "/media/2025/unterzeichnung.jpg");
        assert_eq!(
            de.label,
            "Original herunterladen (JPEG, 6000 × 4000, 8,4 MB)"
        );
        let en = photo().download(&routes, &lang("en"));
        assert_eq!(en.label, "Download original (JPEG, 6000 × 4000, 8.4 MB)");
        assert_eq!(file_size(&lang("en"), 420_100), "421 kB");
    }

    #[test]
    fn a_vector_graphic_is_its_original() {
        let routes = Routes::new("https://example.org/", "/", "de");
        let logo = ImageSource {
            published: Published::Vector,
            format_name: "SVG",
            widths: Vec::new(),
            ..photo()
        };
        let p = logo.picture(&routes, "Logo", SIZES_CARD);
        assert_eq!(p.src, "/media/2025/unterzeichnung.jpg");
        assert!(p.webp_srcset.is_none() && p.srcset.is_none());
    }
}
