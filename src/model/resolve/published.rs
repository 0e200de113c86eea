//! Which media files are published: those that published content uses, through a
//! field (`image:`, `logo:`) or a body link (`@/media/…`). Content left out (drafts,
//! embargoed releases) was never resolved, so its files are not here.

use super::*;
use crate::media::cache::ScanRecord;

/// The model's view of `content/media/` after resolution.
pub(super) struct PublishedMedia {
    pub files: BTreeMap<MediaId, MediaFile>,
    pub documents: BTreeMap<MediaId, MediaDocument>,
    pub uses: MediaUses,
    pub known: Vec<MediaId>,
    pub refused: BTreeSet<MediaId>,
    pub scans: Vec<ScanRecord>,
}

/// The content whose uses count.
pub(super) struct Users<'a> {
    pub config: &'a Config,
    pub institutions: &'a [Institution],
    pub partnerships: &'a [Partnership],
    pub releases: &'a [Release],
    pub pages: &'a [Page],
}

/// The paths under `content/media/` that `@/media/…` links in `markdown` name (before
/// any `#anchor` or `?query`, percent-decoded).
pub(crate) fn body_media_links(markdown: &str) -> Vec<String> {
    const PREFIX: &str = "@/media/";
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(i) = memchr::memmem::find(&markdown.as_bytes()[from..], PREFIX.as_bytes()) {
        let start = from + i + PREFIX.len();
        let angle = markdown[..from + i].ends_with('<');
        let rest = &markdown[start..];
        let end = rest
            .find(|c: char| {
                if angle {
                    c == '>' || c == '\n'
                } else {
                    c.is_whitespace() || matches!(c, ')' | '"' | '\'' | '>' | ']' | '<')
                }
            })
            .unwrap_or(rest.len());
        let link = &rest[..end];
        let path = link.split(['#', '?']).next().unwrap_or(link);
        if !path.is_empty() {
            let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
            found.push(decoded.into_owned());
        }
        from = start + end;
    }
    found
}

impl Resolver<'_> {
    /// Collects the uses of every published item, in a stable order, and reports a
    /// refused file a body links to (once, at the file).
    pub(super) fn published_media(&mut self, users: Users) -> PublishedMedia {
        let mut uses = MediaUses::default();
        let mut documents = BTreeMap::new();
        let add = |uses: &mut MediaUses, image: &Option<ImageUse>, user, shared: bool| {
            if let Some(image) = image {
                let list = uses.users.entry(image.media.clone()).or_default();
                if !list.contains(&user) {
                    list.push(user);
                }
                if shared {
                    uses.shared.insert(image.media.clone());
                }
            }
        };
        add(&mut uses, &users.config.logo, MediaUser::Site, false);
        add(&mut uses, &users.config.share_image, MediaUser::Site, true);
        let mut bodies: Vec<(MediaUser, &Localized<Body>)> = Vec::new();
        for (i, inst) in users.institutions.iter().enumerate() {
            let user = MediaUser::Institution(InstitutionId(i));
            add(&mut uses, &inst.image, user, true);
            add(&mut uses, &inst.logo, user, false);
            bodies.push((user, &inst.profile));
        }
        for (i, p) in users.partnerships.iter().enumerate() {
            let user = MediaUser::Partnership(PartnershipId(i));
            add(&mut uses, &p.image, user, true);
            bodies.push((user, &p.body));
        }
        for (i, r) in users.releases.iter().enumerate() {
            let user = MediaUser::Release(ReleaseId(i));
            add(&mut uses, &r.image, user, true);
            bodies.push((user, &r.body));
        }
        for (i, p) in users.pages.iter().enumerate() {
            bodies.push((MediaUser::Page(i), &p.body));
        }
        for (user, body) in bodies {
            let texts = std::iter::once(&body.base).chain(body.translations.values());
            for path in texts.flat_map(|b| body_media_links(b.markdown())) {
                let Some(file) = self.media.files.get(&path) else {
                    continue;
                };
                let id = MediaId(file.path.clone());
                match &file.scan {
                    None => {
                        let bytes = file.len;
                        documents.insert(id.clone(), MediaDocument { id, bytes });
                    }
                    Some(Ok(_)) => {
                        let list = uses.users.entry(id).or_default();
                        if !list.contains(&user) {
                            list.push(user);
                        }
                    }
                    Some(Err(_)) => self.report_refused(&id),
                }
            }
        }
        let files = (uses.users.keys())
            .filter_map(|id| self.media_file(id))
            .map(|f| (f.id.clone(), f))
            .collect();
        PublishedMedia {
            files,
            documents,
            uses,
            known: self
                .media
                .files
                .keys()
                .map(|p| MediaId(p.clone()))
                .collect(),
            refused: std::mem::take(&mut self.media.refused),
            scans: self.media.files.values().filter_map(scan_record).collect(),
        }
    }
}

/// What the next load may take from the media cache instead of reading `file` again.
fn scan_record(file: &crate::content::RawMediaFile) -> Option<ScanRecord> {
    let Some(Ok(scan)) = &file.scan else {
        return None;
    };
    Some(ScanRecord {
        stamp: scan.stamp.clone()?,
        hash: scan.hash.clone(),
        info: scan.info,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_links_to_media_are_found_in_every_markdown_form() {
        let md = "![Zwei](@/media/2025/a.jpg \"Titel\") and [PDF](@/media/bericht.pdf#page=2), \
                  <@/media/mit%20leer.pdf> [x](<@/media/b c.png>) @/media/";
        assert_eq!(
            body_media_links(md),
            ["2025/a.jpg", "bericht.pdf", "mit leer.pdf", "b c.png"]
        );
    }
}
