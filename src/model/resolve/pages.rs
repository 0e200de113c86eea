//! Pages: title, weight, and ids that do not collide with the site's own routes.

use super::*;

impl Resolver<'_> {
    pub(super) fn pages(
        &mut self,
        docs: Vec<RawDoc<RawPage>>,
        languages: &[String],
        segments: &BTreeMap<String, crate::model::segments::Segments>,
    ) -> Vec<Page> {
        let mut pages = Vec::new();
        for doc in docs {
            if doc.front.draft && !self.opts.drafts {
                self.leave_out(ContentKind::Page, &doc.id, LeftOut::Draft);
                continue;
            }
            let src = &doc.source;
            let reserved = if languages.contains(&doc.id) {
                Some("the site's pages in that language")
            } else {
                crate::model::segments::reserved_page(&doc.id, segments.values())
            };
            if let Some(owner) = reserved {
                self.diags.push(
                    src.error_at(
                        Code::DuplicateUrl,
                        0,
                        format!(
                            "the page id `{}` collides with a generated page: /{}/ holds {owner}",
                            doc.id, doc.id
                        ),
                    )
                    .with_help(format!(
                        "choose another id: rename the file, e.g. `{}-info.md`",
                        doc.id
                    )),
                );
                self.leave_out(ContentKind::Page, &doc.id, LeftOut::Invalid);
                continue;
            }
            let Some(title) = self.required_text(src, "title", &doc.front.title) else {
                self.leave_out(ContentKind::Page, &doc.id, LeftOut::Invalid);
                continue;
            };
            // Checked like every `extra`, though no page shows a free page's yet.
            self.extra(&doc.source, doc.front.extra);
            pages.push(Page {
                id: doc.id,
                title: Localized::new(title),
                summary: Localized::new(doc.front.summary),
                weight: doc.front.weight.unwrap_or(0),
                redirect_from: self.redirect_from(src, &doc.front.redirect_from),
                body: Localized::new(Body { source: doc.source }),
            });
        }
        pages.sort_by(|a, b| (a.weight, &a.id).cmp(&(b.weight, &b.id)));
        pages
    }
}
