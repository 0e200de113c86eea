//! A link checker for a built site: every internal `href`/`src` in every page, every
//! URL in the feeds, the sitemap and the JSON files must lead to a file of the output,
//! and every `#fragment` to an `id` in the target page. "Internal" means the site's
//! own host and base path; a root-relative link outside the base path is an error of
//! its own (it works on `localhost` and breaks on a sub-path deployment).

use crate::harness::{SPEC_BASE_URL, Site, build_with, selector};
use scraper::Html;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// What is wrong with one link.
#[derive(Debug)]
pub struct Problem {
    pub file: String,
    pub url: String,
    pub what: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: `{}`: {}", self.file, self.url, self.what)
    }
}

/// A link checker over one output folder.
pub struct Checker<'a> {
    out: &'a Path,
    /// `https://example.org/sub/path/`
    base_url: String,
    /// `/sub/path/`
    base_path: String,
    /// Ids per HTML file, filled on demand.
    ids: BTreeMap<String, BTreeSet<String>>,
    pub problems: Vec<Problem>,
    /// How many internal links were followed (so a test can tell it checked something).
    pub checked: usize,
}

impl<'a> Checker<'a> {
    pub fn new(out: &'a Path, base_url: &str) -> Self {
        let after_scheme = base_url
            .split_once("://")
            .map_or(base_url, |(_, rest)| rest);
        let base_path = after_scheme
            .find('/')
            .map_or("/", |i| &after_scheme[i..])
            .to_owned();
        assert!(
            base_path.ends_with('/'),
            "base_url must end with `/`: {base_url}"
        );
        Self {
            out,
            base_url: base_url.to_owned(),
            base_path,
            ids: BTreeMap::new(),
            problems: Vec::new(),
            checked: 0,
        }
    }

    /// Checks every HTML, XML and JSON file of the output.
    pub fn check_all(mut self) -> Self {
        for file in crate::harness::tree(self.out).into_keys() {
            let text = || std::fs::read_to_string(self.out.join(&file)).expect("read output file");
            if file.ends_with(".html") {
                let doc = Html::parse_document(&text());
                for (attr, url) in html_urls(&doc) {
                    self.check(&file, &url, attr);
                }
            } else if file.ends_with(".xml") {
                for url in xml_urls(&text()) {
                    self.check(&file, &url, "xml");
                }
            } else if file.ends_with(".json") {
                let value: serde_json::Value = serde_json::from_str(&text())
                    .unwrap_or_else(|e| panic!("{file} is not valid JSON: {e}"));
                let mut urls = Vec::new();
                json_strings(&value, &mut urls);
                urls.retain(|u| u.starts_with(&self.base_url));
                for url in urls {
                    self.check(&file, &url, "json");
                }
            }
        }
        self
    }

    fn problem(&mut self, file: &str, url: &str, what: impl Into<String>) {
        self.problems.push(Problem {
            file: file.to_owned(),
            url: url.to_owned(),
            what: what.into(),
        });
    }

    /// Checks one URL found in `file` (an output path like `nachrichten/x/index.html`).
    fn check(&mut self, file: &str, url: &str, attr: &str) {
        let url = url.trim();
        let lower = url.to_ascii_lowercase();
        if ["mailto:", "tel:", "data:"]
            .iter()
            .any(|s| lower.starts_with(s))
        {
            return;
        }
        if lower.starts_with("javascript:") {
            return self.problem(file, url, "javascript: URL");
        }
        // Resolve to a root-relative path on the site's host.
        let path = if let Some(rest) = url.strip_prefix(&self.base_url) {
            format!("{}{rest}", self.base_path)
        } else if let Some(fragment) = url.strip_prefix('#') {
            self.checked += 1;
            return self.check_fragment(file, file, fragment, url);
        } else if url.starts_with("//")
            || lower.starts_with("http://")
            || lower.starts_with("https://")
        {
            if attr == "load" {
                self.problem(
                    file,
                    url,
                    "third-party request: the page loads it from another host",
                );
            }
            return;
        } else if url.starts_with('/') {
            url.to_owned()
        } else if url.contains(':') && !url.contains('/') {
            return self.problem(file, url, "unknown URL scheme");
        } else {
            // Relative to the page's own folder.
            let dir = file.rsplit_once('/').map_or("", |(d, _)| d);
            let joined = if dir.is_empty() {
                url.to_owned()
            } else {
                format!("{dir}/{url}")
            };
            format!("{}{}", self.base_path, normalize(&joined))
        };
        self.checked += 1;
        let Some(inside) = path.strip_prefix(&self.base_path) else {
            return self.problem(
                file,
                url,
                format!("escapes the base path `{}`", self.base_path),
            );
        };
        let (inside, fragment) = match inside.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (inside, None),
        };
        let inside = inside.split_once('?').map_or(inside, |(p, _)| p);
        let inside = percent_decode(inside);
        let target = crate::harness::route_file(&inside);
        let target_path = self.out.join(&target);
        if !target_path.is_file() {
            let what = if target_path.is_dir() {
                "names a folder without a trailing `/`".to_owned()
            } else {
                format!("no such file `{target}` in the output")
            };
            return self.problem(file, url, what);
        }
        if let Some(fragment) = fragment {
            self.check_fragment(file, &target, fragment, url);
        }
    }

    fn check_fragment(&mut self, file: &str, target: &str, fragment: &str, url: &str) {
        if fragment.is_empty() {
            return;
        }
        if !target.ends_with(".html") {
            return self.problem(file, url, "fragment on a non-HTML file");
        }
        let fragment = percent_decode(fragment);
        let out = self.out;
        let ids = self.ids.entry(target.to_owned()).or_insert_with(|| {
            let text = std::fs::read_to_string(out.join(target)).expect("read target page");
            ids_of(&Html::parse_document(&text)).into_iter().collect()
        });
        if !ids.contains(&fragment) {
            self.problem(
                file,
                url,
                format!("`{target}` has no element with id `{fragment}`"),
            );
        }
    }
}

/// Every URL in a page, with how it is used: `"load"` for what a browser fetches by
/// itself (`src`, stylesheets, icons, preloads), `"href"` for what a reader follows.
pub fn html_urls(doc: &Html) -> Vec<(&'static str, String)> {
    let mut urls = Vec::new();
    for el in doc.select(&selector(
        "[href], [src], [srcset], [poster], [action], [data]",
    )) {
        let el = el.value();
        let navigational_link = el.attr("rel").is_some_and(|rel| {
            rel.split_whitespace()
                .any(|r| ["alternate", "canonical", "author", "license", "help", "me"].contains(&r))
        });
        for attr in ["href", "src", "poster", "action", "data"] {
            if let Some(v) = el.attr(attr) {
                let loads = match attr {
                    "href" => el.name() == "link" && !navigational_link,
                    "action" => false,
                    _ => true,
                };
                urls.push((if loads { "load" } else { "href" }, v.to_owned()));
            }
        }
        for candidate in el.attr("srcset").unwrap_or_default().split(',') {
            if let Some(u) = candidate.split_whitespace().next() {
                urls.push(("load", u.to_owned()));
            }
        }
    }
    urls
}

/// Every `id` (and `<a name>`) in a page, in document order, duplicates kept.
pub fn ids_of(doc: &Html) -> Vec<String> {
    let mut ids: Vec<String> = doc
        .select(&selector("[id]"))
        .filter_map(|e| e.value().id().map(str::to_owned))
        .collect();
    ids.extend(
        doc.select(&selector("a[name]"))
            .filter_map(|e| e.value().attr("name").map(str::to_owned)),
    );
    ids
}

/// URLs in Atom feeds and the sitemap: `href="…"`, `<loc>…</loc>`, and the links inside
/// escaped HTML content (`href=&quot;…&quot;`).
pub fn xml_urls(xml: &str) -> Vec<String> {
    let mut urls = Vec::new();
    for (open, close) in [
        ("href=\"", "\""),
        ("<loc>", "</loc>"),
        ("href=&quot;", "&quot;"),
        ("src=&quot;", "&quot;"),
    ] {
        let mut rest = xml;
        while let Some(i) = rest.find(open) {
            rest = &rest[i + open.len()..];
            let end = rest.find(close).unwrap_or(rest.len());
            urls.push(unescape_xml(&rest[..end]));
            rest = &rest[end..];
        }
    }
    urls
}

fn unescape_xml(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

fn json_strings(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|x| json_strings(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| json_strings(x, out)),
        _ => {}
    }
}

/// `a/./b/../c` → `a/c` (keeps a trailing `/`).
fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        if let (b'%', Some(Ok(b))) = (bytes[i], hex.map(|h| u8::from_str_radix(h, 16))) {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Runs the checker over a built site and asserts that nothing is broken and that at
/// least `min_checked` internal links were followed.
pub fn assert_links_resolve_in(site: &Site, base_url: &str, min_checked: usize) {
    let checker = Checker::new(&site.out, base_url).check_all();
    let problems: Vec<String> = checker.problems.iter().map(ToString::to_string).collect();
    assert!(
        problems.is_empty(),
        "{} broken links:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(
        checker.checked >= min_checked,
        "only {} internal links checked; is the checker blind?",
        checker.checked
    );
}

#[test]
fn every_internal_link_and_anchor_resolves_under_a_sub_path() {
    let site = crate::harness::build(crate::harness::SPEC_SITE);
    assert_links_resolve_in(&site, SPEC_BASE_URL, 500);
}

#[test]
fn every_internal_link_resolves_in_the_project_site() {
    let site = crate::harness::Fixture::project_site().build();
    assert_links_resolve_in(&site, "https://partnerpress.example.org/", 500);
}

#[test]
fn every_internal_link_resolves_in_the_project_site_on_a_sub_path() {
    let fixture = crate::harness::Fixture::project_site();
    let mut opts = fixture.options();
    opts.base_url = Some("https://preview.example.net/pr/42/".into());
    let site = fixture.build_with(&opts);
    assert_links_resolve_in(&site, "https://preview.example.net/pr/42/", 500);
}

#[test]
fn ids_are_unique_within_each_page() {
    let site = crate::harness::build(crate::harness::SPEC_SITE);
    let mut duplicates = Vec::new();
    for file in site.files().into_iter().filter(|f| f.ends_with(".html")) {
        let mut seen = BTreeSet::new();
        for id in ids_of(&site.html(&file)) {
            if !seen.insert(id.clone()) {
                duplicates.push(format!("{file}: #{id}"));
            }
        }
    }
    assert!(
        duplicates.is_empty(),
        "duplicate ids:\n{}",
        duplicates.join("\n")
    );
}

#[test]
fn the_checker_finds_broken_links_and_escapes() {
    // The checker itself, on a hand-made output: a test that cannot fail proves nothing.
    let dir = tempfile::tempdir().unwrap();
    let page = |path: &str, body: &str| {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(
            p,
            format!("<!DOCTYPE html><html><body>{body}</body></html>"),
        )
        .unwrap();
    };
    page(
        "index.html",
        r##"<main id="m"><a href="/s/a/#x">ok</a><a href="/s/a/#nope">bad anchor</a><a href="/a/">escapes</a><a href="/s/missing/">missing</a><a href="https://h.test/s/a/">abs ok</a><img src="https://cdn.test/x.png"><a href="/s/a">folder</a><a href="#m">self</a></main>"##,
    );
    page("a/index.html", r#"<h2 id="x">x</h2><a href="../">up</a>"#);
    let checker = Checker::new(dir.path(), "https://h.test/s/").check_all();
    let found: Vec<String> = checker.problems.iter().map(|p| p.url.clone()).collect();
    assert_eq!(
        found,
        [
            "/s/a/#nope",
            "/a/",
            "/s/missing/",
            "https://cdn.test/x.png",
            "/s/a"
        ]
    );
    assert_eq!(
        checker.checked, 8,
        "seven links on the first page and `../` on the second"
    );
}

#[test]
fn a_base_url_override_at_the_root_rewrites_every_link() {
    let site = build_with("root-base-url", |o| {
        o.base_url = Some("https://preview.example.net/".into())
    });
    assert_links_resolve_in(&site, "https://preview.example.net/", 50);
    for (file, bytes) in site.tree() {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("example.com"),
            "{file} still names the site.yaml host"
        );
        assert!(
            !text.contains("/deep/prefix"),
            "{file} still uses the site.yaml base path"
        );
    }
    assert!(
        site.read("robots.txt")
            .contains("https://preview.example.net/sitemap.xml")
    );
}

#[test]
fn a_base_url_override_to_another_sub_path_rewrites_every_link() {
    let site = build_with("root-base-url", |o| {
        o.base_url = Some("https://preview.example.net/pr-7".into())
    });
    assert_links_resolve_in(&site, "https://preview.example.net/pr-7/", 50);
    let home = site.read("");
    assert!(
        home.contains("href=\"/pr-7/nachrichten/\""),
        "home does not link /pr-7/nachrichten/"
    );
}

#[test]
fn the_site_yaml_base_path_is_honoured_without_override() {
    let site = crate::harness::build("root-base-url");
    assert_links_resolve_in(&site, "https://example.com/deep/prefix/", 50);
}
