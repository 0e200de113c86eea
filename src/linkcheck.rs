//! Checks the rendered site in memory: every internal link and `#anchor` of every
//! page must resolve to a file and an `id` of the output.
//!
//! Markdown `@/` links are checked while rendering; this catches what they cannot:
//! plain links an author wrote (`[x](/partners/nope/)`, `[y](#missing)`) and links
//! from templates. Pure: works on `OutputFile`s, reads and writes nothing.

use crate::diagnostics::Code;
use crate::diagnostics::Diagnostic;
use crate::render::{OutputFile, RenderedSite};
use lol_html::{RewriteStrSettings, element, rewrite_str};
use rayon::prelude::*;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};

/// One page's anchors and outgoing links, as found in its HTML.
#[derive(Default)]
struct PageLinks {
    ids: HashSet<String>,
    links: Vec<String>,
}

/// Problems with the internal links of `site`.
pub(crate) fn check(site: &RenderedSite) -> Vec<Diagnostic> {
    let (base_url, base_path) = (site.base_url.as_str(), site.base_path.as_str());
    let files: HashSet<&str> = site.files.iter().map(|f| f.path.as_str()).collect();
    let pages: HashMap<&str, PageLinks> = site
        .files
        .par_iter()
        .filter(|f| f.path.ends_with(".html"))
        .map(|f| (f.path.as_str(), scan(f)))
        .collect();
    let mut problems: BTreeMap<(String, String), Diagnostic> = BTreeMap::new();
    let mut paths: Vec<&&str> = pages.keys().collect();
    paths.sort();
    for page in paths {
        for href in &pages[*page].links {
            let Some((target, fragment)) = internal_target(href, page, base_url, base_path) else {
                continue;
            };
            let problem = match target {
                Target::OutsideBase => Some(format!(
                    "`{href}` leaves the site's base path `{base_path}`"
                )),
                Target::File(path) => {
                    let file = if path.is_empty() || path.ends_with('/') {
                        format!("{path}index.html")
                    } else {
                        path.clone()
                    };
                    let file = if files.contains(file.as_str()) {
                        Some(file)
                    } else if files.contains(format!("{path}/index.html").as_str()) {
                        Some(format!("{path}/index.html"))
                    } else {
                        None
                    };
                    match (file, fragment) {
                        (None, _) => Some(format!(
                            "`{href}` does not resolve to a page or file of the site"
                        )),
                        (Some(f), Some(frag)) if !is_top(&frag) => match pages.get(f.as_str()) {
                            Some(p) if !p.ids.contains(&frag) => Some(format!(
                                "`{href}`: the target page has no element with id `{frag}`"
                            )),
                            _ => None,
                        },
                        _ => None,
                    }
                }
            };
            let Some(message) = problem else {
                continue;
            };
            let diag = match site.sources.get(*page) {
                Some(src) if is_checked_anchor(src, href) => continue,
                Some(src) => locate_in_source(src, href, message),
                None => {
                    Diagnostic::error(Code::BrokenOutputLink, format!("<output>/{page}"), message)
                        .with_help("the link comes from a template of the theme")
                }
            };
            problems
                .entry((page.to_string(), href.clone()))
                .or_insert(diag);
        }
    }
    problems.into_values().collect()
}

/// `#` and `#top` point at the top of the page, which always exists (HTML's rules for
/// fragments); a broken `@/` link renders as `#`, already reported where it is written.
fn is_top(fragment: &str) -> bool {
    fragment.is_empty() || fragment.eq_ignore_ascii_case("top")
}

/// Whether `href` is what an `@/…#anchor` link of the body became (not written as is,
/// with that anchor): rendering checked those anchors, at the link.
fn is_checked_anchor(src: &crate::content::SourceFile, href: &str) -> bool {
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

/// A problem in a page made from a content file: pointed at the link in the file when
/// the author wrote it there, else at the file.
fn locate_in_source(src: &crate::content::SourceFile, href: &str, message: String) -> Diagnostic {
    let written = format!("]({href}");
    match src.body().find(&written) {
        Some(at) => src
            .error_at(Code::BrokenOutputLink, src.body_start + at + 2, message)
            .with_help("link other content with `@/folder/file.md`, which is checked and follows the base URL"),
        None => Diagnostic::error(Code::BrokenOutputLink, src.path.clone(), message)
            .with_help("the link comes from the theme's template for this page"),
    }
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
    } else if let Some(abs) = url.strip_prefix('/') {
        match format!("/{abs}").strip_prefix(base_path) {
            Some(rest) => rest.to_owned(),
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

/// The ids and link targets of one HTML page.
fn scan(file: &OutputFile) -> PageLinks {
    let found = RefCell::new(PageLinks::default());
    let html = String::from_utf8_lossy(&file.contents);
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(element!("[id]", |el| {
            if let Some(id) = el.get_attribute("id") {
                found.borrow_mut().ids.insert(id);
            }
            Ok(())
        }))
        .append_element_content_handler(element!("a[name]", |el| {
            if let Some(name) = el.get_attribute("name") {
                found.borrow_mut().ids.insert(name);
            }
            Ok(())
        }))
        .append_element_content_handler(element!("a[href], link[href], area[href]", |el| {
            if let Some(href) = el.get_attribute("href") {
                found.borrow_mut().links.push(href);
            }
            Ok(())
        }))
        .append_element_content_handler(element!(
            "img[src], script[src], source[src], iframe[src]",
            |el| {
                if let Some(src) = el.get_attribute("src") {
                    found.borrow_mut().links.push(src);
                }
                Ok(())
            }
        ));
    let _ = rewrite_str(&html, settings);
    found.into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

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
        check(&site(files)).into_iter().map(|d| d.message).collect()
    }

    #[test]
    fn resolves_directories_files_fragments_and_relative_links() {
        let ok = problems(&[
            (
                "index.html",
                r##"<a href="/sub/news/">n</a><a href="/sub/news/#x">x</a><a href="https://example.org/sub/style.css">s</a><a href="news/">r</a><a href="#top">t</a><a href="#">h</a><a href="https://other.org/">e</a><a href="mailto:a@b">m</a>"##,
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
    fn reports_missing_pages_anchors_and_escapes() {
        let bad = problems(&[
            (
                "index.html",
                r##"<a href="/sub/nope/">a</a><a href="/sub/#missing">b</a><a href="/elsewhere/">c</a><img src="/sub/x%20y.png" alt="">"##,
            ),
            ("x y.png", ""),
        ]);
        assert_eq!(bad.len(), 3, "{bad:?}");
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
    }
}
