//! What the pages hand journalists beyond the page: the share card of a page without a
//! photo of its own, and a release's press kit.

use super::*;

impl Renderer<'_> {
    /// The share image of a page without a photo of its own: its generated card
    /// (kept for the PNG step after the render), else the site's default.
    pub(super) fn share_card(
        &self,
        job: Job,
        env: &PageEnv,
        meta: &PageMeta,
    ) -> Option<ShareImage> {
        let Some(text) = share_card::text(self.site, job, env, meta) else {
            return env.links.default_share_image();
        };
        let route = self.routes.route(env.code(), job.route(self.site));
        let alt = [
            Some(&text.kind),
            Some(&text.title),
            text.byline.as_ref(),
            text.date.as_ref(),
        ]
        .into_iter()
        .flatten()
        .filter(|t| !t.is_empty())
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(" – ");
        let card = cards::Card::new(&route, text, self.palette.clone());
        let image = ShareImage {
            url: self.routes.permalink(&card.path),
            alt,
            width: cards::WIDTH,
            height: cards::HEIGHT,
            large: true,
        };
        self.cards
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(card);
        Some(image)
    }

    /// The release's press kit, handed to the kit sink (zipped and written at once in
    /// a build), and the link to it with its size.
    pub(super) fn press_kit(&self, env: &PageEnv, id: ReleaseId) -> Result<Link, Diagnostic> {
        let body = &self.bodies.releases[env.lang.0][id.0];
        let photos = &self.release_photos[id.0];
        let kit = crate::render::press_kit::press_kit(
            self.site,
            self.routes,
            env.links.lang,
            (id, body),
            (photos, &self.fact_sheets),
        );
        let url = self.routes.path(&kit.path);
        let (file, bytes) = match self.kit_sink {
            Some(sink) => sink(&kit)?,
            None => {
                let bytes = kit.size();
                let file = OutputFile {
                    path: kit.path,
                    contents: bytes::Bytes::new(),
                };
                (file, bytes)
            }
        };
        let size = crate::render::images::file_size(env.links.lang, bytes);
        let link = Link {
            title: env.links.lang.t_with("release.press_kit", "size", &size),
            url,
        };
        self.kits
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(file);
        Ok(link)
    }
}

/// Each release's published photos: its lead photo, then those its text shows.
pub(super) fn release_photos(site: &Site) -> Vec<Vec<MediaId>> {
    let mut photos: Vec<Vec<MediaId>> = vec![Vec::new(); site.releases.len()];
    for (id, users) in &site.media_uses.users {
        if site.media_file(id).is_none() {
            continue;
        }
        for user in users {
            if let MediaUser::Release(r) = user {
                photos[r.0].push(id.clone());
            }
        }
    }
    for (r, list) in site.releases.iter().zip(&mut photos) {
        if let Some(lead) = &r.image
            && let Some(at) = list.iter().position(|m| *m == lead.media)
        {
            let lead = list.remove(at);
            list.insert(0, lead);
        }
        list.dedup();
    }
    photos
}

/// The theme's header colours from its stylesheet, for the share cards.
pub(super) fn theme_palette(site: &Site) -> cards::Palette {
    let css = site
        .theme
        .static_files
        .iter()
        .find(|f| f.output_path == "style.css");
    css.and_then(|f| std::str::from_utf8(&f.bytes).ok())
        .map_or_else(cards::Palette::default, cards::Palette::from_css)
}
