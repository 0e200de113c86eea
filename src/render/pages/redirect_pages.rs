//! The redirect pages, made after every page (`render/redirects.rs` says which).

use super::*;

impl Renderer<'_> {
    /// The redirect pages of moved segments and `redirect_from:` addresses
    /// (`render/redirects.rs`), after every page, whose addresses they may not take.
    pub(super) fn redirect_pages(
        &self,
        out: &mut RenderedSite,
        sink: Option<crate::render::PageSink>,
        check_links: bool,
    ) -> Result<(), Vec<Diagnostic>> {
        let pages: Vec<(&str, PageRoute)> = match self.site.config.former_segments.is_empty() {
            true => Vec::new(),
            false => (self.jobs().into_iter())
                .map(|job| {
                    (
                        self.langs[job.lang().0].lang.code.as_str(),
                        job.route(self.site),
                    )
                })
                .collect(),
        };
        let mut all = redirects::moved_segments(self.site, self.routes, &pages);
        all.extend(redirects::aliases(self.site, self.routes));
        let pages: std::collections::HashSet<String> = (out.files.iter().map(|f| f.path.clone()))
            .chain(out.streamed.iter().cloned())
            .collect();
        let mut diags = Vec::new();
        let kept = redirects::keep_free(all, &pages, &mut diags);
        if !diags.is_empty() {
            return Err(diags);
        }
        for redirect in kept {
            let Some(views) = self.langs.iter().find(|l| l.lang.code == redirect.lang) else {
                continue;
            };
            let file = redirects::file(self.routes, &redirect, &views.lang);
            if check_links {
                out.links.insert(
                    file.path.clone(),
                    std::sync::Arc::new(crate::render::hrefs::scan(&file.contents)),
                );
            }
            *out.counts.entry("redirects").or_default() += 1;
            match sink {
                Some(sink) => {
                    sink(&file);
                    out.streamed.push(file.path);
                }
                None => out.files.push(file),
            }
        }
        Ok(())
    }
}
