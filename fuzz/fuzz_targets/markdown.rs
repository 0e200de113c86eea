//! Fast in-memory fuzz target for the Markdown stage alone: `@/` links (found, missing,
//! draft, invalid), autolinking, heading ids (with and without inherited ids) and
//! raw-HTML dropping. The first byte picks the options; the rest is the body.
//! Besides "no panic" it checks that reported offsets lie inside the body on a char
//! boundary and that no `href`/`src` comes out as a script URL.

#![no_main]

use libfuzzer_sys::fuzz_target;
use partnerpress::render::markdown::{Autolinker, LinkTarget, MarkdownContext, Resolution, render};
use std::sync::OnceLock;

fn resolve(path: &str) -> Resolution {
    match path {
        "institutions/a.md" | "institutions/a.en.md" => Resolution::Found(LinkTarget {
            url: "/sub/partners/a/".into(),
            key: "institutions/a".into(),
        }),
        "news/2024-01-02-n.md" => Resolution::Found(LinkTarget {
            url: "/sub/news/n/".into(),
            key: "news/2024-01-02-n".into(),
        }),
        "news/draft.md" => Resolution::Draft,
        "pages/broken.md" => Resolution::Invalid,
        _ => Resolution::Missing,
    }
}

fn linker() -> &'static Autolinker {
    static LINKER: OnceLock<Autolinker> = OnceLock::new();
    LINKER.get_or_init(|| {
        Autolinker::new(vec![
            (0, "Harzklinikum".into()),
            (1, "Universitätsklinikum Magdeburg".into()),
            (1, "UKMD".into()),
            (2, "Klinikum".into()),
            (3, "ab".into()),
            (4, "Ärzte Ökö".into()),
        ])
    })
}

/// The values of the `href` and `src` attributes of the start tags in `html`, entities
/// decoded. Text cannot fake one: `<` in text is always escaped as `&lt;`.
fn urls(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let end = rest.find('>').unwrap_or(rest.len());
        let mut tag = &rest[..end];
        while let Some(eq) = tag.find("=\"") {
            let name = tag[..eq].rsplit(char::is_whitespace).next().unwrap_or("");
            let value = &tag[eq + 2..];
            let close = value.find('"').unwrap_or(value.len());
            if name == "href" || name == "src" {
                out.push(
                    value[..close]
                        .replace("&quot;", "\"")
                        .replace("&lt;", "<")
                        .replace("&gt;", ">")
                        .replace("&#39;", "'")
                        .replace("&#x27;", "'")
                        .replace("&amp;", "&"),
                );
            }
            tag = value.get(close + 1..).unwrap_or("");
        }
    }
    out
}

/// The scheme a browser would see in `url` (an attribute value, entities decoded):
/// leading and trailing C0 controls and spaces stripped, tabs and newlines removed.
fn scheme(url: &str) -> Option<String> {
    let url = url.trim_matches(|c: char| c <= ' ');
    let url: String = url
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let (scheme, _) = url.split_once(':')?;
    let mut chars = scheme.chars();
    (chars.next()?.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then(|| scheme.to_ascii_lowercase())
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, body)) = data.split_first() else {
        return;
    };
    let Ok(markdown) = std::str::from_utf8(body) else {
        return;
    };
    let url_of = |i: usize| format!("/sub/partners/{i}/");
    let inherited = ["ziele".to_owned(), "ausblick".to_owned(), "-".to_owned()];
    let ctx = MarkdownContext {
        resolve: &resolve,
        autolink: (flags & 1 != 0).then_some((linker(), &url_of as &dyn Fn(usize) -> String)),
        raw_html: flags & 2 != 0,
        original_heading_ids: (flags & 4 != 0).then_some(&inherited[..(flags as usize >> 3) % 4]),
        media: None,
    };
    let r = render(markdown, &ctx);

    for p in &r.broken_links {
        assert!(p.offset < markdown.len() && markdown.is_char_boundary(p.offset));
        assert!(
            // At the written destination, or at the start of the link.
            markdown[p.offset..].starts_with("@/")
                || matches!(markdown.as_bytes()[p.offset], b'[' | b'!'),
            "{p:?}"
        );
    }
    for a in &r.anchor_links {
        assert!(a.offset < markdown.len() && markdown.is_char_boundary(a.offset));
    }
    if let Some(offset) = r.dropped_html {
        assert!(!ctx.raw_html && offset < markdown.len());
    }
    if !ctx.raw_html {
        for url in urls(&r.html) {
            let scheme = scheme(&url);
            assert!(
                !matches!(scheme.as_deref(), Some("javascript" | "vbscript")),
                "script URL {url:?} in {}",
                r.html
            );
        }
    }
});
