//! Images from `content/media/` in Markdown bodies (`![alt](@/media/x.jpg "caption")`):
//! the use's alt text and caption over the sidecar's, checked like every other use
//! (alt text present and not a file name, a credit for a photo), rendered as a figure
//! with the credit, licence and the original's download.

use super::i18n::Language;
use super::images::{self, ImageSource, SIZES_COLUMN};
use super::markdown::{BodyProblem, MediaImage, MediaMarkup};
use super::routes::Routes;
use super::views::FigureView;
use crate::diagnostics::Code;
use crate::model::media::looks_like_file_name;
use crate::model::{MediaId, Site};

/// Renders the media images of one language's bodies.
pub(super) struct BodyMedia<'s> {
    pub site: &'s Site,
    pub routes: &'s Routes,
    pub lang: &'s Language,
}

fn problem(code: Code, message: String, help: String) -> Option<BodyProblem> {
    Some(BodyProblem {
        code,
        offset: 0,
        message,
        help: Some(help),
    })
}

impl BodyMedia<'_> {
    pub(super) fn markup(&self, image: &MediaImage) -> Result<MediaMarkup, Option<BodyProblem>> {
        let site = self.site;
        let code = self.lang.code.as_str();
        let id = MediaId(image.path.to_owned());
        let Some(file) = site.media_file(&id) else {
            if site.media_refused.contains(&id) {
                return Err(None);
            }
            let known = site.media_known.iter().map(MediaId::as_str);
            let help = match crate::diagnostics::nearest(image.path, known) {
                Some(near) => format!(
                    "did you mean `@/media/{}`?",
                    super::markdown::link_destination(near)
                ),
                None => "`@/media/…` names an image under content/media/".to_owned(),
            };
            let message = format!("`@/media/{}`: no such image in content/media/", image.path);
            return Err(problem(Code::UnknownMedia, message, help));
        };
        let rights = &file.sidecar;
        let alt = match image.alt {
            "" => rights.alt.get(code).clone().unwrap_or_default(),
            given => given.to_owned(),
        };
        if alt.trim().is_empty() || looks_like_file_name(&alt) {
            let message = match alt.trim() {
                "" => format!("the image `@/media/{}` has no alt text", image.path),
                name => format!(
                    "the alt text of `@/media/{}` is a file name (`{name}`)",
                    image.path
                ),
            };
            let help = "describe what the picture shows in `![…]` or as `alt:` in its sidecar";
            return Err(problem(Code::MissingAlt, message, help.to_owned()));
        }
        if file.info.format.is_raster() && rights.credit.is_none() {
            let message = format!("the photo `@/media/{}` has no credit", image.path);
            let help = format!(
                "name the photographer as `credit:` in its sidecar, content/media/{}.yaml",
                id.stem()
            );
            return Err(problem(Code::MissingCredit, message, help));
        }
        let caption = match image.title {
            "" => rights.caption.get(code).clone(),
            given => Some(given.to_owned()),
        };
        let source = ImageSource::of(file);
        let figure = FigureView {
            picture: source.picture(self.routes, &alt, SIZES_COLUMN),
            caption,
            credit: rights.credit.clone(),
            license: rights.license.get(code).clone(),
            // A body's figure stands in the body's text, which carries its language.
            text_lang: None,
            download: source.download(self.routes, self.lang),
        };
        Ok(MediaMarkup {
            block: images::figure_html(&figure),
            inline: images::inline_html(&figure),
        })
    }
}
