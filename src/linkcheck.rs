//! Follows every internal link, image and `#anchor` of the rendered site: `build`,
//! `build --watch`, `serve` and `check` stop on one the output does not have.
//!
//! Each page's links and ids are collected as it is rendered (`render::hrefs`, so a
//! build never parses its output again); this resolves them against the output's paths
//! at the end and reports each problem where it was written: the content file's line
//! and column, else the template's. `@/` links are checked while bodies render; this
//! catches plain links, images, raw HTML and template links. Pure.

use crate::content::{RawTheme, SourceFile};
use crate::diagnostics::{Code, Diagnostic, nearest};
use crate::render::RenderedSite;
use crate::render::hrefs::{self, LinkKind, PageLinks};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::HashMap;

/// Problems with the internal links of `site`, whose templates come from `theme`.
pub(crate) fn check(site: &RenderedSite, theme: &RawTheme) -> Vec<Diagnostic> {
    check_only(site, theme, None)
}

/// Problems with the links of `pages` only, against the whole of `site`: a patch
/// render's pages (`render::patch`), whose ids the others' links found as they were.
pub(crate) fn check_pages(
    site: &RenderedSite,
    theme: &RawTheme,
    pages: &[String],
) -> Vec<Diagnostic> {
    check_only(site, theme, Some(pages))
}

fn check_only(site: &RenderedSite, theme: &RawTheme, only: Option<&[String]>) -> Vec<Diagnostic> {
    // Static HTML files are not rendered, so their links are read here.
    let copied: HashMap<&str, PageLinks> = site
        .files
        .par_iter()
        .filter(|f| f.path.ends_with(".html") && !site.links.contains_key(&f.path))
        .map(|f| (f.path.as_str(), hrefs::scan(&f.contents)))
        .collect();
    let mut pages: FxHashMap<&str, &PageLinks> =
        site.links.iter().map(|(p, l)| (p.as_str(), &**l)).collect();
    pages.extend(copied.iter().map(|(p, l)| (*p, l)));
    let files: FxHashSet<&str> = site
        .files
        .iter()
        .map(|f| f.path.as_str())
        .chain(site.streamed.iter().map(String::as_str))
        .chain(site.cards.iter().map(|c| c.path.as_str()))
        .chain(site.on_disk.iter().map(|(path, _)| path.as_str()))
        .collect();
    let folders = files
        .iter()
        .filter_map(|f| f.strip_suffix("index.html"))
        .filter(|f| f.is_empty() || f.ends_with('/'))
        .collect();
    let checker = Checker {
        site,
        theme,
        files,
        folders,
        pages,
    };
    let mut found: Vec<Diagnostic> = match only {
        None => (checker.pages.par_iter())
            .flat_map_iter(|(page, links)| checker.page(page, links))
            .collect(),
        Some(only) => (only.iter())
            .filter_map(|page| Some((page, *checker.pages.get(page.as_str())?)))
            .flat_map(|(page, links)| checker.page(page, links))
            .collect(),
    };
    crate::diagnostics::sort(&mut found);
    found.dedup();
    found
}

struct Checker<'a> {
    site: &'a RenderedSite,
    theme: &'a RawTheme,
    files: FxHashSet<&'a str>,
    /// Output folders with an `index.html` (`news/x/`, `` for the root).
    folders: FxHashSet<&'a str>,
    pages: FxHashMap<&'a str, &'a PageLinks>,
}

/// What is wrong with one link.
enum Problem {
    OutsideBase,
    /// No file at this output path (percent-decoded, no leading `/`).
    Missing(String),
    /// The target file exists (this one) but has no element with this id.
    NoAnchor(String, String),
}

impl Checker<'_> {
    /// The problems of one page's links (each href once, as the scan keeps them).
    fn page(&self, page: &str, links: &PageLinks) -> Vec<Diagnostic> {
        let mut found = Vec::new();
        for (kind, href) in links.links() {
            let Some(problem) = self.problem(page, href) else {
                continue;
            };
            let source = self.site.sources.get(page);
            if source.is_some_and(|src| is_checked_anchor(src, href)) {
                continue;
            }
            let found_here = match self.copied_html(page) {
                Some(file) => self.in_copied_html(page, file, kind, href, problem),
                None => self.diagnostic(page, source, kind, href, problem),
            };
            found.push(found_here);
        }
        found
    }

    fn problem(&self, page: &str, href: &str) -> Option<Problem> {
        // Most links are plain addresses of the site's pages: one lookup, no allocation.
        let site = self.site;
        if let Some(rest) = href
            .strip_prefix(site.base_path.as_str())
            .or_else(|| href.strip_prefix(site.base_url.as_str()))
            && !rest.contains(['%', '#', '?'])
            && (self.folders.contains(rest) || self.files.contains(rest))
        {
            return None;
        }
        let (target, fragment) =
            internal_target(href, page, &self.site.base_url, &self.site.base_path)?;
        let Target::File(path) = target else {
            return Some(Problem::OutsideBase);
        };
        let file = if path.is_empty() || path.ends_with('/') {
            format!("{path}index.html")
        } else {
            path.clone()
        };
        let file = if self.files.contains(file.as_str()) {
            file
        } else {
            let dir = format!("{path}/index.html");
            if !self.files.contains(dir.as_str()) {
                return Some(Problem::Missing(path));
            }
            dir
        };
        let fragment = fragment.filter(|f| !is_top(f))?;
        match self.pages.get(file.as_str()) {
            Some(p) if !p.has_id(&fragment) => Some(Problem::NoAnchor(file, fragment)),
            _ => None,
        }
    }

    /// The bytes of a static HTML file, copied as is rather than rendered.
    fn copied_html(&self, page: &str) -> Option<&[u8]> {
        if self.site.links.contains_key(page) {
            return None;
        }
        let file = self.site.files.iter().find(|f| f.path == page)?;
        Some(&file.contents)
    }

    /// A broken link in a static HTML file is a warning at its line there: the file is
    /// published as the user wrote it (an archived page, a verification file), and
    /// partnerpress cannot know whether the target is served by something else.
    fn in_copied_html(
        &self,
        page: &str,
        contents: &[u8],
        kind: LinkKind,
        href: &str,
        problem: Problem,
    ) -> Diagnostic {
        let message = self.message(kind, href, &problem);
        let help = self.help(kind, &problem, false);
        let in_theme = self
            .theme
            .static_files
            .iter()
            .any(|f| f.output_path == page);
        let file = if in_theme {
            format!("themes/{}/static/{page}", self.theme.name)
        } else {
            format!("content/static/{page}")
        };
        let text = String::from_utf8_lossy(contents);
        let warning = Diagnostic::warning(Code::BrokenOutputLink, file, message).with_help(
            format!("this HTML file is copied as is, so the build goes on; {help}"),
        );
        match quoted_at(&text, href) {
            Some(at) => warning.at_offset(&text, at),
            None => warning,
        }
    }

    fn message(&self, kind: LinkKind, href: &str, problem: &Problem) -> String {
        match problem {
            Problem::OutsideBase => format!(
                "`{href}` leaves the site's base path `{}`",
                self.site.base_path
            ),
            Problem::Missing(_) if kind == LinkKind::Image => {
                format!("the image `{href}` is not a file of the site")
            }
            Problem::Missing(_) => {
                format!("`{href}` does not resolve to a page or file of the site")
            }
            Problem::NoAnchor(_, fragment) => {
                format!("`{href}`: the target page has no element with id `{fragment}`")
            }
        }
    }

    fn diagnostic(
        &self,
        page: &str,
        source: Option<&std::sync::Arc<SourceFile>>,
        kind: LinkKind,
        href: &str,
        problem: Problem,
    ) -> Diagnostic {
        let message = self.message(kind, href, &problem);
        let help = self.help(kind, &problem, true);
        if let Some(src) = source
            && let Some(at) = written_at(src.body(), href)
        {
            return src
                .error_at(Code::BrokenOutputLink, src.body_start + at, message)
                .with_help(help);
        }
        match self.in_template(href) {
            Some((file, text, at)) => Diagnostic::error(Code::BrokenOutputLink, file, message)
                .at_offset(text, at)
                .with_help(format!("the link is in this template; {help}")),
            None => {
                let at =
                    source.map_or_else(|| format!("<output>/{page}").into(), |s| s.path.clone());
                Diagnostic::error(Code::BrokenOutputLink, at, message).with_help(format!(
                    "the link comes from a template of the theme; {help}"
                ))
            }
        }
    }

    /// What would work instead: the static file an image or file should be (did-you-mean
    /// over the site's files), the `@/` link of the content page meant (its address
    /// when `at_links` is false: in copied HTML, `@/` links are not resolved), the id meant.
    fn help(&self, kind: LinkKind, problem: &Problem, at_links: bool) -> String {
        let base = &self.site.base_path;
        match problem {
            Problem::OutsideBase => format!(
                "the site is published under `{base}`: link other content with `@/folder/file.md`, which follows the base URL"
            ),
            Problem::Missing(path) if kind != LinkKind::Link || is_file_path(path) => {
                let files = self.site.files.iter().map(|f| f.path.as_str());
                match nearest_path(path, files.filter(|p| !p.ends_with(".html"))) {
                    Some(file) => format!("did you mean `{base}{file}`?"),
                    None => format!(
                        "a file is linked as `{base}<path>` for `content/static/<path>`; put it there or fix the path"
                    ),
                }
            }
            Problem::Missing(path) => {
                let wanted = format!("{}/index.html", path.trim_end_matches('/'));
                let pages = self
                    .files
                    .iter()
                    .copied()
                    .filter(|p| p.ends_with("index.html"));
                let nearest = nearest_path(&wanted, pages);
                match nearest.map(|p| (p, self.site.sources.get(p).filter(|_| at_links))) {
                    Some((_, Some(src))) => format!(
                        "did you mean `{}`? Link content with `@/folder/file.md`, which is checked and follows the base URL",
                        at_link(src)
                    ),
                    Some((page, None)) => format!(
                        "did you mean `{base}{}`?",
                        page.strip_suffix("index.html").unwrap_or(page)
                    ),
                    None => "link other content with `@/folder/file.md`, which is checked and follows the base URL".to_owned(),
                }
            }
            Problem::NoAnchor(file, fragment) => {
                let page = self.pages.get(file.as_str());
                match page.and_then(|p| nearest(fragment, p.ids())) {
                    Some(id) => format!("did you mean `#{id}`?"),
                    None => "link to an id the page has (a heading's id is made from its text)"
                        .to_owned(),
                }
            }
        }
    }

    /// The template (the site's own first) that writes `href`, as
    /// `(path, text, offset)`: found by its text, or its text after the base path.
    fn in_template(&self, href: &str) -> Option<(std::path::PathBuf, &str, usize)> {
        let site = &self.site;
        let needles: Vec<&str> = [
            Some(href),
            href.strip_prefix(site.base_url.as_str()),
            href.strip_prefix(site.base_path.as_str()),
        ]
        .into_iter()
        .flatten()
        .filter(|n| n.len() > 1)
        .collect();
        let mut templates: Vec<(&String, &String)> = self.theme.templates.iter().collect();
        templates.sort_by_key(|(name, _)| !self.theme.site_templates.contains(*name));
        needles.iter().find_map(|needle| {
            templates.iter().find_map(|(name, text)| {
                let at = quoted_at(text, needle)?;
                Some((self.theme.template_path(name), text.as_str(), at))
            })
        })
    }
}

/// The candidate path nearest to `wanted`: by file name among those in the same folder
/// (a common prefix would make any two paths look alike), else, when that folder has
/// none, by the whole path.
fn nearest_path<'a>(wanted: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let split = |p: &'a str| -> (&'a str, &'a str) {
        let p = p.strip_suffix("/index.html").unwrap_or(p);
        p.rsplit_once('/').unwrap_or(("", p))
    };
    let (dir, name) = {
        let w = wanted.strip_suffix("/index.html").unwrap_or(wanted);
        w.rsplit_once('/').unwrap_or(("", w))
    };
    let candidates: Vec<&'a str> = candidates.collect();
    let near: HashMap<&str, &'a str> = candidates
        .iter()
        .map(|c| (split(c), *c))
        .filter(|((d, _), _)| *d == dir)
        .map(|((_, n), c)| (n, c))
        .collect();
    if near.is_empty() {
        nearest(wanted, candidates)
    } else {
        nearest(name, near.keys().copied()).map(|n| near[n])
    }
}

/// Where `needle` starts in `text` as the start of an attribute value (`="…`, `='…`)
/// or right after a template expression (`="{{ site.base_path }}…`).
fn quoted_at(text: &str, needle: &str) -> Option<usize> {
    text.match_indices(needle)
        .map(|(at, _)| at)
        .find(|at| ["=\"", "='", "}}"].iter().any(|b| text[..*at].ends_with(b)))
}

/// Where a Markdown body writes `href`: as a link or image destination, a reference
/// definition, an autolink or an attribute of raw HTML.
fn written_at(body: &str, href: &str) -> Option<usize> {
    ["](", "]: ", "<", "href=\"", "src=\"", "href='", "src='"]
        .iter()
        .find_map(|before| {
            body.match_indices(&format!("{before}{href}"))
                .next()
                .map(|(at, _)| at + before.len())
        })
}

/// `@/folder/file.md` for a content file (a translation's original).
fn at_link(src: &SourceFile) -> String {
    let path = src.path.to_string_lossy().replace('\\', "/");
    let path = path.strip_prefix("content/").unwrap_or(&path);
    let original = match path.strip_suffix(".md").and_then(|p| p.rsplit_once('.')) {
        Some((stem, lang)) if lang.len() == 2 && !stem.ends_with('/') => format!("{stem}.md"),
        _ => path.to_owned(),
    };
    format!("@/{original}")
}

/// Whether a path names a file (`x.pdf`), not a page (`x/`).
fn is_file_path(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or("");
    last.contains('.') && !last.ends_with(".html")
}

/// `#` and `#top` point at the top of the page, which always exists (HTML's rules for
/// fragments); a broken `@/` link renders as `#`, already reported where it is written.
fn is_top(fragment: &str) -> bool {
    fragment.is_empty() || fragment.eq_ignore_ascii_case("top")
}

/// Whether `href` is what an `@/…#anchor` link of the body became (not written as is,
/// with that anchor): rendering checked those anchors, at the link.
fn is_checked_anchor(src: &SourceFile, href: &str) -> bool {
    let Some((_, fragment)) = href.split_once('#') else {
        return false;
    };
    let body = src.body();
    if body.contains(&format!("]({href}")) {
        return false;
    }
    body.match_indices("@/").any(|(at, _)| {
        let dest = &body[at..];
        let end = dest
            .find(|c: char| c.is_whitespace() || matches!(c, ')' | '>' | '"'))
            .unwrap_or(dest.len());
        dest[..end]
            .split_once('#')
            .is_some_and(|(_, anchor)| anchor == fragment)
    })
}

enum Target {
    /// Path inside the output folder (no leading `/`), percent-decoded.
    File(String),
    OutsideBase,
}

/// Where an `href` of `page` points inside the site, with its fragment; `None` for
/// links to other sites, `mailto:` and the like.
fn internal_target(
    href: &str,
    page: &str,
    base_url: &str,
    base_path: &str,
) -> Option<(Target, Option<String>)> {
    let (url, fragment) = match href.split_once('#') {
        Some((u, f)) => (u, Some(decode(f))),
        None => (href, None),
    };
    let url = url.split('?').next().unwrap_or(url);
    let path = if let Some(rest) = url.strip_prefix(base_url) {
        rest.to_owned()
    } else if url.contains("://")
        || url.starts_with("//")
        || url.contains(':') && !url.starts_with('/')
    {
        return None;
    } else if url.starts_with('/') {
        match url.strip_prefix(base_path) {
            Some(rest) => rest.to_owned(),
            None if format!("{url}/") == base_path => String::new(),
            None => return Some((Target::OutsideBase, fragment)),
        }
    } else if url.is_empty() {
        page.to_owned()
    } else {
        let dir = page.rsplit_once('/').map_or("", |(d, _)| d);
        normalize(&format!("{dir}/{url}"))
    };
    Some((Target::File(decode(&path)), fragment))
}

fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// `a/b/../c/./d` → `a/c/d`, keeping a trailing `/`.
fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    let mut out = parts.join("/");
    if path.ends_with('/') && !out.is_empty() {
        out.push('/');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::OutputFile;

    fn site(files: &[(&str, &str)]) -> RenderedSite {
        RenderedSite {
            files: files
                .iter()
                .map(|(p, c)| OutputFile {
                    path: p.to_string(),
                    contents: c.as_bytes().to_vec().into(),
                })
                .collect(),
            base_url: "https://example.org/sub/".into(),
            base_path: "/sub/".into(),
            ..RenderedSite::default()
        }
    }

    fn problems(files: &[(&str, &str)]) -> Vec<String> {
        check(&site(files), &RawTheme::default())
            .into_iter()
            .map(|d| d.message)
            .collect()
    }

    #[test]
    fn resolves_directories_files_fragments_and_relative_links() {
        let ok = problems(&[
            (
                "index.html",
                r##"<a href="/sub/news/">n</a><a href="/sub/news/#x">x</a><a href="https://example.org/sub/style.css">s</a><a href="news/">r</a><a href="#top">t</a><a href="#">h</a><a href="https://other.org/">e</a><a href="mailto:a@b">m</a><a href="/sub">root</a>"##,
            ),
            (
                "news/index.html",
                r#"<h2 id="x">X</h2><a href="../index.html">up</a><a href="../news">dir</a>"#,
            ),
            ("style.css", ""),
        ]);
        assert!(ok.is_empty(), "{ok:?}");
    }

    #[test]
    fn reports_missing_pages_anchors_images_and_escapes() {
        let bad = problems(&[
            (
                "index.html",
                r##"<a href="/sub/nope/">a</a><a href="/sub/#missing">b</a><a href="/elsewhere/">c</a><img src="/sub/x%20y.png" alt=""><img src="/sub/x%20y.jpg" alt="">"##,
            ),
            ("x y.png", ""),
        ]);
        assert_eq!(bad.len(), 4, "{bad:?}");
        assert!(
            bad.iter()
                .any(|m| m.contains("/sub/nope/") && m.contains("does not resolve"))
        );
        assert!(
            bad.iter()
                .any(|m| m.contains("no element with id `missing`"))
        );
        assert!(
            bad.iter()
                .any(|m| m.contains("leaves the site's base path"))
        );
        assert!(bad.iter().any(|m| m.contains("the image `/sub/x%20y.jpg`")));
    }

    #[test]
    fn suggests_the_generated_page_meant() {
        let site = site(&[
            ("index.html", r#"<a href="/sub/topics/kardiologe/">k</a>"#),
            ("topics/kardiologie/index.html", ""),
            ("topics/onkologie/index.html", ""),
        ]);
        let found = check(&site, &RawTheme::default());
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            found[0]
                .help
                .as_deref()
                .map(|h| h.ends_with("did you mean `/sub/topics/kardiologie/`?")),
            Some(true),
            "{found:?}"
        );
    }

    #[test]
    fn names_the_at_link_of_a_translation_by_its_original() {
        let src = SourceFile {
            path: "content/news/2024-05-06-x.en.md".into(),
            text: String::new(),
            front_matter: 0..0,
            body_start: 0,
            blanked: None,
        };
        assert_eq!(at_link(&src), "@/news/2024-05-06-x.md");
    }
}
