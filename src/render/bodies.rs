//! Markdown bodies: every institution profile, partnership, release and free page
//! rendered once per language, `@/` links resolved, anchors checked against the
//! headings found, and each body reused on a rebuild when nothing it reads changed.

use super::i18n::Language;
use super::markdown::{
    self, Autolinker, LinkTarget, MarkdownContext, MediaImage, RenderedMarkdown, Resolution,
};
use super::routes::Routes;
use crate::content::{ContentKey, ContentKind};
use crate::diagnostics::{Code, Diagnostic};
use crate::model::{Body, LeftOut, MediaId, Site};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// The bodies of the last render, for a rebuild to reuse.
#[derive(Debug, Default)]
pub(crate) struct BodyCache {
    /// Whether to remember this render's bodies (off for one-off builds).
    pub(crate) keep: bool,
    bodies: HashMap<(String, ContentKey), CachedBody>,
}

/// A rendered body with its inputs: its file, the link environment (every id and URL
/// a link or an autolink can reach) and the heading ids it inherited.
#[derive(Debug, Clone)]
struct CachedBody {
    source: Arc<crate::content::SourceFile>,
    environment: u64,
    inherited: Option<Vec<String>>,
    rendered: RenderedMarkdown,
}

/// A fingerprint of everything outside a body that its rendering reads: base URL,
/// languages and their URL segments, the ids and slugs links resolve to, left-out files,
/// institution names.
fn link_environment(site: &Site) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (
        &site.config.base_url,
        &site.config.languages,
        &site.config.segments,
        site.config.raw_html,
    )
        .hash(&mut h);
    for i in &site.institutions {
        (&i.id, &i.name.base, &i.name.translations, &i.aliases).hash(&mut h);
    }
    site.partnerships.iter().for_each(|p| p.id.hash(&mut h));
    site.releases
        .iter()
        .for_each(|r| (&r.id, &r.slug).hash(&mut h));
    site.pages.iter().for_each(|p| p.id.hash(&mut h));
    site.static_files
        .iter()
        .for_each(|f| f.output_path.hash(&mut h));
    // A body's figures show each file's size, hash (in URLs) and sidecar texts.
    for (id, f) in &site.media {
        (id.as_str(), &f.hash, f.bytes, f.info.width, f.info.height).hash(&mut h);
        format!("{:?}", f.sidecar).hash(&mut h);
    }
    for id in site.media_documents.keys().chain(&site.media_known) {
        id.as_str().hash(&mut h);
    }
    for (key, why) in &site.left_out {
        (key, *why as u8).hash(&mut h);
    }
    h.finish()
}

/// Each institution's partner-page path in the default language, by index: where an
/// autolinked name points.
pub fn institution_paths(site: &Site) -> Vec<String> {
    let routes = Routes::of_site(&site.config);
    let lang = site.config.default_language.as_str();
    let paths = site.institutions.iter();
    paths
        .map(|x| routes.path(&routes.partner(lang, &x.id)))
        .collect()
}

/// The automaton that links first mentions of institutions in release bodies: every
/// name, translated name and alias, each pointing at its institution's index.
pub fn institution_autolinker(site: &Site) -> Autolinker {
    let mut names = Vec::new();
    for (i, inst) in site.institutions.iter().enumerate() {
        names.push((i, inst.name.base.clone()));
        names.extend(inst.name.translations.values().map(|n| (i, n.clone())));
        names.extend(inst.aliases.iter().map(|a| (i, a.clone())));
    }
    Autolinker::new(names)
}

/// Rendered HTML of every body, per language (index = position in `languages`).
#[derive(Clone)]
pub(crate) struct Bodies {
    pub institutions: Vec<Vec<Arc<str>>>,
    pub partnerships: Vec<Vec<Arc<str>>>,
    pub releases: Vec<Vec<Arc<str>>>,
    pub pages: Vec<Vec<Arc<str>>>,
}

/// Whose body: a content file's text, by kind and index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum BodyOf {
    Institution(usize),
    Partnership(usize),
    Release(usize),
    Page(usize),
}

impl Bodies {
    /// Renders every body in every language: originals first, in parallel, then the
    /// translations, which reuse their original's heading ids so `#anchors` work in
    /// every language. Broken links and anchors go to `diags`.
    pub(crate) fn render(
        site: &Site,
        routes: &Routes,
        languages: &[Language],
        diags: &mut Vec<Diagnostic>,
        cache: &mut BodyCache,
    ) -> Bodies {
        let previous = std::mem::take(&mut cache.bodies);
        let renderer = BodyRenderer::new((site, routes, languages), previous);
        let (originals, translations) = jobs(site, languages);
        let mut rendered: Vec<RenderedBody> = originals
            .par_iter()
            .map(|&job| renderer.render(job, None))
            .collect();
        let original_ids: HashMap<ContentKey, &[String]> = rendered
            .iter()
            .filter(|r| r.lang == 0)
            .map(|r| (renderer.key(r.of), r.html.heading_ids.as_slice()))
            .collect();
        let translated: Vec<RenderedBody> = translations
            .par_iter()
            .map(|&job| renderer.render(job, original_ids.get(&renderer.key(job.1)).copied()))
            .collect();
        rendered.extend(translated);
        if cache.keep {
            renderer.remember(&rendered, &mut cache.bodies);
        }
        renderer.report(&rendered, diags);
        renderer.into_bodies(rendered)
    }
}

/// Why an edited body cannot be patched in alone, so the full rebuild runs.
pub(crate) type NotAlone = &'static str;

impl Bodies {
    /// The rendered body of `of` in language `li`.
    pub(crate) fn get(&self, li: usize, of: BodyOf) -> &Arc<str> {
        match of {
            BodyOf::Institution(i) => &self.institutions[li][i],
            BodyOf::Partnership(i) => &self.partnerships[li][i],
            BodyOf::Release(i) => &self.releases[li][i],
            BodyOf::Page(i) => &self.pages[li][i],
        }
    }

    fn get_mut(&mut self, li: usize, of: BodyOf) -> &mut Arc<str> {
        match of {
            BodyOf::Institution(i) => &mut self.institutions[li][i],
            BodyOf::Partnership(i) => &mut self.partnerships[li][i],
            BodyOf::Release(i) => &mut self.releases[li][i],
            BodyOf::Page(i) => &mut self.pages[li][i],
        }
    }

    /// Renders the bodies `edited` again, in every language, after an edit of their
    /// text only (`render::patch`). Refuses (and changes nothing) when more than these
    /// bodies would need redoing or reporting: heading ids that differ from the last
    /// render's (other bodies' `#anchors` and the translations' inherited ids read
    /// them), a broken link or anchor, or dropped raw HTML (a diagnostic).
    pub(crate) fn rerender(
        &mut self,
        (site, routes, languages): (&Site, &Routes, &[Language]),
        edited: &[BodyOf],
        cache: &mut BodyCache,
    ) -> Result<(), NotAlone> {
        let renderer = BodyRenderer::new((site, routes, languages), HashMap::new());
        let mut rendered = Vec::new();
        for &of in edited {
            let translated = |li: usize| {
                let code = languages[li].code.as_str();
                localized(site, of).is_translated(code)
            };
            let originals: Vec<RenderedBody> = (0..languages.len())
                .filter(|&li| !translated(li))
                .map(|li| renderer.render((li, of), None))
                .collect();
            let ids = originals
                .iter()
                .find(|r| r.lang == 0)
                .map(|r| r.html.heading_ids.clone())
                .ok_or("a text without a body in the default language")?;
            rendered.extend(originals);
            rendered.extend(
                (0..languages.len())
                    .filter(|&li| translated(li))
                    .map(|li| renderer.render((li, of), Some(&ids))),
            );
        }
        for r in &rendered {
            renderer.alone(r, cache)?;
        }
        renderer.remember(&rendered, &mut cache.bodies);
        for r in rendered {
            *self.get_mut(r.lang, r.of) = r.html.html;
        }
        Ok(())
    }
}

/// The texts of `of` in every language.
fn localized(site: &Site, of: BodyOf) -> &crate::model::Localized<Body> {
    match of {
        BodyOf::Institution(i) => &site.institutions[i].profile,
        BodyOf::Partnership(i) => &site.partnerships[i].body,
        BodyOf::Release(i) => &site.releases[i].body,
        BodyOf::Page(i) => &site.pages[i].body,
    }
}

/// One body to render: the language's index and whose body it is.
type BodyJob = (usize, BodyOf);

/// Every body in every language, split into originals and translations.
fn jobs(site: &Site, languages: &[Language]) -> (Vec<BodyJob>, Vec<BodyJob>) {
    let mut originals = Vec::new();
    let mut translations = Vec::new();
    for (li, lang) in languages.iter().enumerate() {
        let code = lang.code.as_str();
        let mut add = |of: BodyOf, translated: bool| match translated {
            true => translations.push((li, of)),
            false => originals.push((li, of)),
        };
        for (i, x) in site.institutions.iter().enumerate() {
            add(BodyOf::Institution(i), x.profile.is_translated(code));
        }
        for (i, x) in site.partnerships.iter().enumerate() {
            add(BodyOf::Partnership(i), x.body.is_translated(code));
        }
        for (i, x) in site.releases.iter().enumerate() {
            add(BodyOf::Release(i), x.body.is_translated(code));
        }
        for (i, x) in site.pages.iter().enumerate() {
            add(BodyOf::Page(i), x.body.is_translated(code));
        }
    }
    (originals, translations)
}

/// One rendered body with what it was rendered from.
struct RenderedBody<'s> {
    lang: usize,
    of: BodyOf,
    body: &'s Body,
    inherited: Option<Vec<String>>,
    html: RenderedMarkdown,
}

/// What rendering any body needs: the site, its routes and ids, the autolinker, and
/// the previous render's bodies to reuse.
struct BodyRenderer<'s> {
    site: &'s Site,
    routes: &'s Routes,
    languages: &'s [Language],
    ids: ContentIds,
    environment: u64,
    previous: HashMap<(String, ContentKey), CachedBody>,
    autolinker: Autolinker,
}

impl<'s> BodyRenderer<'s> {
    /// A renderer for `site`, reusing the bodies of `previous` whose inputs are equal.
    fn new(
        (site, routes, languages): (&'s Site, &'s Routes, &'s [Language]),
        previous: HashMap<(String, ContentKey), CachedBody>,
    ) -> Self {
        BodyRenderer {
            site,
            routes,
            languages,
            ids: ContentIds::new(site),
            environment: link_environment(site),
            previous,
            autolinker: institution_autolinker(site),
        }
    }

    fn key(&self, of: BodyOf) -> ContentKey {
        self.ids.key(self.site, of)
    }

    /// Renders one body, or reuses the previous render's when all its inputs are equal.
    fn render(&self, (li, of): BodyJob, original_ids: Option<&[String]>) -> RenderedBody<'s> {
        let site = self.site;
        let lang = self.languages[li].code.as_str();
        let body = localized(site, of).get(lang);
        let autolink = matches!(of, BodyOf::Release(i) if site.releases[i].autolink);
        let inherited = original_ids.map(<[String]>::to_vec);
        let done = |html| RenderedBody {
            lang: li,
            of,
            body,
            inherited: inherited.clone(),
            html,
        };
        if let Some(hit) = self.previous.get(&(lang.to_owned(), self.key(of)))
            && hit.environment == self.environment
            && hit.inherited == inherited
            && (Arc::ptr_eq(&hit.source, &body.source) || hit.source.text == body.source.text)
        {
            return done(hit.rendered.clone());
        }
        let resolve = |path: &str| self.ids.resolve(site, self.routes, lang, path);
        let media = super::body_media::BodyMedia {
            site,
            routes: self.routes,
            lang: &self.languages[li],
        };
        let media_markup = |image: &MediaImage| media.markup(image);
        let url_of = |i: usize| {
            let route = self.routes.partner(lang, &site.institutions[i].id);
            self.routes.path(&route)
        };
        let ctx = MarkdownContext {
            resolve: &resolve,
            autolink: autolink.then_some((&self.autolinker, &url_of as &dyn Fn(usize) -> String)),
            raw_html: site.config.raw_html,
            original_heading_ids: original_ids,
            media: Some(&media_markup),
        };
        done(markdown::render(body.markdown(), &ctx))
    }

    /// Whether a body rendered again after an edit affects nothing but itself: it reports
    /// nothing, and its heading ids, which others' anchors and its translations read,
    /// are those of the last render.
    fn alone(&self, r: &RenderedBody, cache: &BodyCache) -> Result<(), NotAlone> {
        let code = &self.languages[r.lang].code;
        let html = &r.html;
        if !html.broken_links.is_empty() || html.dropped_html.is_some() {
            return Err("the edited text has a broken link or raw HTML (a diagnostic)");
        }
        let before = cache.bodies.get(&(code.clone(), self.key(r.of)));
        if before.is_none_or(|b| b.rendered.heading_ids != html.heading_ids) {
            return Err("the edited text's headings changed (anchors link to them)");
        }
        for link in &html.anchor_links {
            let target = (link.target_key.split_once('/'))
                .and_then(|(folder, id)| {
                    Some(ContentKey::new(ContentKind::from_folder(folder)?, id))
                })
                .and_then(|key| cache.bodies.get(&(code.clone(), key)));
            if !target.is_some_and(|t| t.rendered.heading_ids.contains(&link.anchor)) {
                return Err("the edited text links to an anchor that may be missing");
            }
        }
        Ok(())
    }

    /// Keeps this render's bodies with their inputs, for the next rebuild.
    fn remember(
        &self,
        rendered: &[RenderedBody],
        cache: &mut HashMap<(String, ContentKey), CachedBody>,
    ) {
        for r in rendered {
            cache.insert(
                (self.languages[r.lang].code.clone(), self.key(r.of)),
                CachedBody {
                    source: r.body.source.clone(),
                    environment: self.environment,
                    inherited: r.inherited.clone(),
                    rendered: r.html.clone(),
                },
            );
        }
    }

    /// Broken `@/` links and `#anchors` as errors at their place in the body, and the
    /// first dropped raw-HTML block of the site as a warning.
    fn report(&self, rendered: &[RenderedBody], diags: &mut Vec<Diagnostic>) {
        // `@/` links name their target by the key's text (`markdown` keeps it opaque).
        let mut headings: HashMap<(usize, String), Headings> = HashMap::new();
        for r in rendered {
            let set = r.html.heading_ids.iter().map(String::as_str).collect();
            let key = self.key(r.of).to_string();
            headings.insert((r.lang, key), (&r.html.heading_ids, set));
        }
        let mut first_html: Option<Diagnostic> = None;
        for r in rendered {
            let src = &r.body.source;
            for p in &r.html.broken_links {
                let mut d = src.error_at(p.code, src.body_start + p.offset, &p.message);
                d.help = p.help.clone();
                diags.push(d);
            }
            for link in &r.html.anchor_links {
                let target = headings.get(&(r.lang, link.target_key.clone()));
                if !target.is_some_and(|(_, set)| set.contains(link.anchor.as_str())) {
                    let known = target.map_or(&[][..], |(ids, _)| *ids);
                    let message = format!(
                        "broken link `{}`: the target has no heading `#{}`",
                        link.written, link.anchor
                    );
                    let d = src.error_at(Code::BrokenAnchor, src.body_start + link.offset, message);
                    diags.push(d.with_help(anchor_help(&link.anchor, known)));
                }
            }
            if let (Some(offset), None) = (r.html.dropped_html, &first_html) {
                let d = src.warning_at(
                    Code::RawHtmlDropped,
                    src.body_start + offset,
                    "raw HTML is dropped from Markdown",
                );
                first_html = Some(d.with_help(
                    "set `markdown: { raw_html: true }` in site.yaml if you trust every author",
                ));
            }
        }
        diags.extend(first_html);
        crate::diagnostics::sort(diags);
        diags.dedup();
    }

    /// The rendered HTML in its place: per language, per kind, per index.
    fn into_bodies(self, rendered: Vec<RenderedBody>) -> Bodies {
        let site = self.site;
        let n = self.languages.len();
        let empty: Arc<str> = Arc::from("");
        let mut bodies = Bodies {
            institutions: vec![vec![empty.clone(); site.institutions.len()]; n],
            partnerships: vec![vec![empty.clone(); site.partnerships.len()]; n],
            releases: vec![vec![empty.clone(); site.releases.len()]; n],
            pages: vec![vec![empty; site.pages.len()]; n],
        };
        for r in rendered {
            *bodies.get_mut(r.lang, r.of) = r.html.html;
        }
        bodies
    }
}

/// Content ids by folder, for resolving `@/folder/id.md` links.
struct ContentIds {
    institutions: HashMap<String, usize>,
    partnerships: HashMap<String, usize>,
    releases: HashMap<String, usize>,
    pages: HashMap<String, usize>,
    /// Paths under `content/static/`, which `@/static/…` links name.
    static_files: HashSet<String>,
}

impl ContentIds {
    fn new(site: &Site) -> Self {
        let index = |ids: Vec<&String>| {
            ids.into_iter()
                .enumerate()
                .map(|(i, id)| (id.clone(), i))
                .collect()
        };
        Self {
            institutions: index(site.institutions.iter().map(|x| &x.id).collect()),
            partnerships: index(site.partnerships.iter().map(|x| &x.id).collect()),
            releases: index(site.releases.iter().map(|x| &x.id).collect()),
            pages: index(site.pages.iter().map(|x| &x.id).collect()),
            static_files: site
                .static_files
                .iter()
                .map(|f| f.output_path.clone())
                .collect(),
        }
    }

    fn key(&self, site: &Site, of: BodyOf) -> ContentKey {
        let (kind, id) = match of {
            BodyOf::Institution(i) => (ContentKind::Institution, &site.institutions[i].id),
            BodyOf::Partnership(i) => (ContentKind::Partnership, &site.partnerships[i].id),
            BodyOf::Release(i) => (ContentKind::Release, &site.releases[i].id),
            BodyOf::Page(i) => (ContentKind::Page, &site.pages[i].id),
        };
        ContentKey::new(kind, id.clone())
    }

    /// `news/2024-07-23-x.md` (or a translation, `news/2024-07-23-x.en.md`) → its page.
    fn resolve(&self, site: &Site, routes: &Routes, lang: &str, path: &str) -> Resolution {
        let decoded = || percent_encoding::percent_decode_str(path).decode_utf8_lossy();
        if path.starts_with("static/") {
            return self.resolve_static(routes, &decoded()["static/".len()..]);
        }
        if path.starts_with("media/") {
            return resolve_media(site, routes, &decoded()["media/".len()..]);
        }
        let Some((kind, id, lang)) = Self::split(site, path, lang) else {
            return Resolution::Missing;
        };
        let index = self.index(kind);
        let key = ContentKey::new(kind, id);
        let Some(&i) = index.get(id) else {
            return match site.left_out.get(&key) {
                Some(LeftOut::Draft) => Resolution::Draft,
                Some(LeftOut::Embargoed) => Resolution::Embargoed,
                Some(LeftOut::Invalid) => Resolution::Invalid,
                None => self.missing(kind, id, path),
            };
        };
        let route = match kind {
            ContentKind::Institution => routes.partner(lang, &site.institutions[i].id),
            ContentKind::Partnership => routes.partnership(lang, &site.partnerships[i].id),
            ContentKind::Release => routes.release(lang, &site.releases[i].slug),
            ContentKind::Page => routes.page(lang, &site.pages[i].id),
        };
        Resolution::Found(LinkTarget {
            url: routes.path(&route),
            key: key.to_string(),
        })
    }

    fn index(&self, kind: ContentKind) -> &HashMap<String, usize> {
        match kind {
            ContentKind::Institution => &self.institutions,
            ContentKind::Partnership => &self.partnerships,
            ContentKind::Release => &self.releases,
            ContentKind::Page => &self.pages,
        }
    }

    /// A content file that does not exist, with the file of its folder whose id is
    /// nearest (`news/2024-07-23-x.en.md` keeps its `.en.md`).
    fn missing(&self, kind: ContentKind, id: &str, path: &str) -> Resolution {
        let known = self.index(kind).keys().map(String::as_str);
        let nearest = crate::diagnostics::nearest(id, known).map(|n| {
            let file = &path[kind.folder().len() + 1..];
            format!("{n}{}", &file[id.len()..])
        });
        Resolution::MissingFile {
            folder: kind.folder(),
            nearest,
        }
    }

    /// `@/static/docs/x.pdf` → the file's address, the same in every language.
    fn resolve_static(&self, routes: &Routes, file: &str) -> Resolution {
        if self.static_files.contains(file) {
            return Resolution::File(routes.path(&Routes::static_file(file)));
        }
        let known = self.static_files.iter().map(String::as_str);
        Resolution::MissingFile {
            folder: "static",
            nearest: crate::diagnostics::nearest(file, known).map(str::to_owned),
        }
    }

    /// `news/x.en.md` → (releases, `x`, `en`); the page's language when none is given.
    fn split<'p>(
        site: &Site,
        path: &'p str,
        lang: &'p str,
    ) -> Option<(ContentKind, &'p str, &'p str)> {
        let (folder, file) = path.split_once('/')?;
        let kind = ContentKind::from_folder(folder)?;
        let stem = file.strip_suffix(".md")?;
        match stem.split_once('.') {
            Some((id, l)) if site.config.languages.iter().any(|x| x == l) => Some((kind, id, l)),
            Some(_) => None,
            None => Some((kind, stem, lang)),
        }
    }
}

/// `@/media/2025/x.jpg` or `@/media/bericht.pdf` → the published original, the same in
/// every language.
fn resolve_media(site: &Site, routes: &Routes, file: &str) -> Resolution {
    let id = MediaId(file.to_owned());
    if site.media.contains_key(&id) || site.media_documents.contains_key(&id) {
        return Resolution::File(routes.path(&Routes::media_original(file)));
    }
    if site.media_refused.contains(&id) {
        return Resolution::Invalid;
    }
    let known = site.media_known.iter().map(MediaId::as_str);
    Resolution::MissingFile {
        folder: "media",
        nearest: crate::diagnostics::nearest(file, known).map(str::to_owned),
    }
}

/// A body's heading ids in order (for help) and as a set (to check anchors).
type Headings<'a> = (&'a [String], HashSet<&'a str>);

/// Help for a broken `#anchor`: the nearest heading id, else the first few ids. Both
/// look at a bounded number of ids: with thousands of headings and of broken links, a
/// full search per link (or a list of every id in each message) took minutes.
fn anchor_help(anchor: &str, known: &[String]) -> String {
    const SEARCHED: usize = 200;
    const LISTED: usize = 10;
    let near = crate::diagnostics::nearest(anchor, known.iter().take(SEARCHED).map(String::as_str));
    match near {
        Some(n) => format!("did you mean `#{n}`?"),
        None if known.is_empty() => "the target has no headings".to_owned(),
        None => {
            let listed: Vec<String> = known.iter().take(LISTED).map(|k| format!("#{k}")).collect();
            let more = match known.len() > LISTED {
                true => format!(", … ({} in all)", known.len()),
                false => String::new(),
            };
            format!("its headings: {}{more}", listed.join(", "))
        }
    }
}
