//! Redirect pages: a page that moved still answers at its old address, with a page that
//! sends the reader on (`<meta http-equiv="refresh">`, works on any static host), names
//! the new address as canonical for search engines, is `noindex` and never in the
//! sitemap, and shows a link for readers whose browser does not follow the refresh.
//!
//! Old addresses come from two places: `former_segments:` in `site.yaml` (every page of
//! a language whose words changed, e.g. `news/…` → `nachrichten/…`) and `redirect_from:`
//! in a content file (one page renamed or moved).

use super::OutputFile;
use super::i18n::Language;
use super::routes::{PageRoute, Routes};
use crate::content::SourceFile;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::{Alias, Site};
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

/// One old address and the route it sends readers to.
pub(crate) struct Redirect {
    /// The old address, a route (`news/x/`).
    pub(crate) from: String,
    /// The new address, a route in `lang`.
    pub(crate) to: String,
    pub(crate) lang: String,
    /// Where `redirect_from:` names it; `None` for a moved segment.
    pub(crate) written: Option<(Arc<SourceFile>, usize)>,
}

/// The old addresses of `pages` (each in its language) in languages with
/// `former_segments:`.
pub(crate) fn moved_segments(
    site: &Site,
    routes: &Routes,
    pages: &[(&str, PageRoute)],
) -> Vec<Redirect> {
    let mut formers: BTreeMap<&str, Routes> = BTreeMap::new();
    for (lang, former) in &site.config.former_segments {
        formers.insert(lang, routes.former(lang, former));
    }
    let mut out = Vec::new();
    for &(lang, page) in pages {
        let Some(former) = formers.get(lang) else {
            continue;
        };
        let to = routes.route(lang, page);
        if !to.ends_with('/') {
            continue;
        }
        let from = former.route(lang, page);
        if from != to {
            out.push(Redirect {
                from,
                to,
                lang: lang.to_owned(),
                written: None,
            });
        }
    }
    out
}

/// The `redirect_from:` addresses of every published page, to its page in the default
/// language.
pub(crate) fn aliases(site: &Site, routes: &Routes) -> Vec<Redirect> {
    let lang = &site.config.default_language;
    let mut out = Vec::new();
    let mut add = |aliases: &[Alias], source: &Arc<SourceFile>, page: PageRoute| {
        for alias in aliases {
            out.push(Redirect {
                from: alias.route.clone(),
                to: routes.route(lang, page),
                lang: lang.clone(),
                written: Some((source.clone(), alias.at)),
            });
        }
    };
    for i in &site.institutions {
        add(
            &i.redirect_from,
            &i.profile.base.source,
            PageRoute::Partner(&i.id),
        );
    }
    for p in &site.partnerships {
        add(
            &p.redirect_from,
            &p.body.base.source,
            PageRoute::Partnership(&p.id),
        );
    }
    for r in &site.releases {
        add(
            &r.redirect_from,
            &r.body.base.source,
            PageRoute::Release(&r.slug),
        );
    }
    for p in &site.pages {
        add(
            &p.redirect_from,
            &p.body.base.source,
            PageRoute::Page(&p.id),
        );
    }
    out
}

/// The redirects whose old address is free: one that a page has, or an earlier redirect,
/// is an error where `redirect_from:` names it (a moved segment whose old address is a
/// page now is left out silently: the page wins).
pub(crate) fn keep_free(
    redirects: Vec<Redirect>,
    pages: &HashSet<String>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Redirect> {
    let mut taken: HashSet<String> = HashSet::new();
    let mut kept = Vec::new();
    for r in redirects {
        let file = Routes::file(&r.from);
        let problem = if pages.contains(&file) {
            Some("a page of the site is published there")
        } else if taken.contains(&file) {
            Some("another page already redirects from there")
        } else {
            None
        };
        match (problem, &r.written) {
            (None, _) => {
                taken.insert(file);
                kept.push(r);
            }
            (Some(why), Some((source, at))) => diags.push(
                source
                    .error_at(
                        Code::InvalidRedirect,
                        *at,
                        format!("cannot redirect from `/{}`: {why}", r.from),
                    )
                    .with_help("remove this address from `redirect_from:`"),
            ),
            (Some(_), None) => {}
        }
    }
    kept
}

/// The redirect page at its address, in the words of `lang`.
pub(crate) fn file(routes: &Routes, redirect: &Redirect, lang: &Language) -> OutputFile {
    let (title, text) = (lang.t("redirect.title"), lang.t("redirect.text"));
    OutputFile {
        path: Routes::file(&redirect.from),
        contents: bytes::Bytes::from(page(routes, redirect, &title, &text)),
    }
}

/// The redirect page's HTML: sends the reader on to `to`.
fn page(routes: &Routes, redirect: &Redirect, title: &str, text: &str) -> String {
    let esc = super::network::escape;
    let path = esc(&routes.path(&redirect.to));
    let permalink = esc(&routes.permalink(&redirect.to));
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{title}</title>\n<meta name=\"robots\" content=\"noindex\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <link rel=\"canonical\" href=\"{permalink}\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={path}\">\n</head>\n<body>\n\
         <main>\n<h1>{title}</h1>\n<p>{text} <a href=\"{path}\">{permalink}</a></p>\n\
         </main>\n</body>\n</html>\n",
        lang = esc(&redirect.lang),
        title = esc(title),
        text = esc(text),
    )
}
