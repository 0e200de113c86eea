//! The links and ids of rendered HTML, found by a scanner over its tags (no DOM, no
//! rewriting): cheap enough to run on every page as it is rendered, so `build` checks
//! every internal link for a small part of what rendering costs. Pure.

use rustc_hash::FxHashSet;
use std::borrow::Cow;
use std::ops::Range;

/// What a link attribute loads, which decides the help for a broken one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum LinkKind {
    /// `href` of `a`, `link`, `area`: a page or a file.
    Link,
    /// `src` of `img` and `source`: an image.
    Image,
    /// `src` of `script` and `iframe`.
    Embed,
}

/// One page's anchors (`id`, `a name`) and outgoing links, as written in its HTML.
#[derive(Debug, Clone, Default)]
pub(crate) struct PageLinks {
    /// The ids' and links' text, one after the other: one allocation per page, not one
    /// per id and link (thousands of pages hold them until the check at the end).
    text: String,
    ids: Vec<Span>,
    links: Vec<(LinkKind, Span)>,
}

/// Where an id or link is in [`PageLinks::text`]: half the size of a `Range<usize>`,
/// for the tens of thousands a large site holds until its check.
#[derive(Debug, Clone, Copy, Default)]
struct Span {
    start: u32,
    end: u32,
}

impl PageLinks {
    /// The page's anchors, in the order of the page.
    pub(crate) fn ids(&self) -> impl Iterator<Item = &str> {
        self.ids.iter().map(|r| self.at(*r))
    }

    /// Whether the page has the anchor `id` (a page has tens of ids, and few links
    /// carry a fragment: a scan beats building a set for every page).
    pub(crate) fn has_id(&self, id: &str) -> bool {
        self.ids().any(|x| x == id)
    }

    /// Each link once, in the order of the page.
    pub(crate) fn links(&self) -> impl Iterator<Item = (LinkKind, &str)> {
        self.links.iter().map(|(k, r)| (*k, self.at(*r)))
    }

    fn at(&self, span: Span) -> &str {
        &self.text[span.start as usize..span.end as usize]
    }
}

/// The ids and links of one page.
pub(crate) fn scan(html: &[u8]) -> PageLinks {
    // The page is scanned as bytes (tags and attribute names are ASCII); only the values
    // kept are read as text, so the whole page is never validated as UTF-8 again.
    let mut found = PageLinks::default();
    // Lists repeat their links (a home page has thousands, many twice); each is kept once.
    let mut seen: FxHashSet<(LinkKind, &[u8])> = FxHashSet::default();
    walk(html, |tag, name, value| {
        let bytes = &html[value];
        // Beyond 4 GiB of links and ids (a copied static file could be that large; no
        // rendered page is), the rest of a page is not kept.
        let keep = |text: &mut String| {
            let start = text.len();
            text.push_str(&decode(&String::from_utf8_lossy(bytes)));
            match (u32::try_from(start), u32::try_from(text.len())) {
                (Ok(start), Ok(end)) => Some(Span { start, end }),
                _ => {
                    text.truncate(start);
                    None
                }
            }
        };
        if name.eq_ignore_ascii_case(b"id") || name.eq_ignore_ascii_case(b"name") && is(tag, "a") {
            found.ids.extend(keep(&mut found.text));
        } else if let Some(kind) = link_kind(tag, name)
            && seen.insert((kind, bytes))
        {
            found
                .links
                .extend(keep(&mut found.text).map(|link| (kind, link)));
        }
    });
    // Kept until the check at the end of the build, thousands of them: without the
    // slack of their growth.
    found.text.shrink_to_fit();
    found.ids.shrink_to_fit();
    found.links.shrink_to_fit();
    found
}

/// Whether attribute `name` of element `tag` is a link the check follows.
pub(crate) fn link_kind(tag: &[u8], name: &[u8]) -> Option<LinkKind> {
    if name.eq_ignore_ascii_case(b"href") {
        ["a", "link", "area"]
            .iter()
            .any(|t| is(tag, t))
            .then_some(LinkKind::Link)
    } else if name.eq_ignore_ascii_case(b"src") {
        if is(tag, "img") || is(tag, "source") {
            Some(LinkKind::Image)
        } else if is(tag, "script") || is(tag, "iframe") {
            Some(LinkKind::Embed)
        } else {
            None
        }
    } else {
        None
    }
}

fn is(tag: &[u8], name: &str) -> bool {
    tag.eq_ignore_ascii_case(name.as_bytes())
}

/// Calls `on_attr(tag, attribute, value)` for every attribute with a value in `html`,
/// the value as a byte range of `html` (still entity-encoded). Comments, `<!…>` and the
/// text of `script` and `style` are skipped.
pub(crate) fn walk(html: &[u8], mut on_attr: impl FnMut(&[u8], &[u8], Range<usize>)) {
    let b = html;
    let mut i = 0;
    while let Some(lt) = memchr::memchr(b'<', &b[i..]) {
        i += lt + 1;
        if b[i..].starts_with(b"!--") {
            i = find(b, i + 3, b"-->").map_or(b.len(), |end| end + 3);
            continue;
        }
        if !b.get(i).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let tag_start = i;
        while i < b.len() && (b[i].is_ascii_alphanumeric() || matches!(b[i], b'-' | b':')) {
            i += 1;
        }
        let tag = &html[tag_start..i];
        i = attributes(html, i, |name, value| on_attr(tag, name, value));
        if is(tag, "script") || is(tag, "style") {
            let close = if is(tag, "script") {
                &b"</script"[..]
            } else {
                b"</style"
            };
            i = find(b, i, close).unwrap_or(b.len());
        }
    }
}

/// Reads the attributes of a start tag from `i` to its `>`; returns the index after it.
fn attributes(html: &[u8], mut i: usize, mut on_attr: impl FnMut(&[u8], Range<usize>)) -> usize {
    let b = html;
    let skip_space = |mut i: usize| {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        i
    };
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() {
            return i;
        }
        if b[i] == b'>' {
            return i + 1;
        }
        let name_start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let name = &html[name_start..i];
        i = skip_space(i);
        if b.get(i) != Some(&b'=') {
            continue;
        }
        i = skip_space(i + 1);
        let value = match b.get(i) {
            Some(&q @ (b'"' | b'\'')) => {
                let end = memchr::memchr(q, &b[i + 1..]).map_or(b.len(), |e| i + 1 + e);
                let value = i + 1..end;
                i = (end + 1).min(b.len());
                value
            }
            _ => {
                let start = i;
                while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                    i += 1;
                }
                start..i
            }
        };
        on_attr(name, value);
    }
}

fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(b.get(from..)?, needle).map(|at| from + at)
}

/// `html` with every relative link and image made absolute against `base` (a page's
/// permalink), so it means the same wherever it is shown: in a feed, a reader resolves
/// relative URLs against the feed's `xml:base`, not against the page they were
/// written for.
pub(crate) fn absolutize(html: &str, base: &url::Url) -> String {
    let mut out = String::with_capacity(html.len() + 256);
    let mut copied = 0;
    walk(html.as_bytes(), |tag, name, value| {
        if name.eq_ignore_ascii_case(b"srcset") && (is(tag, "img") || is(tag, "source")) {
            out.push_str(&html[copied..value.start]);
            out.push_str(&absolute_srcset(&decode(&html[value.clone()]), base));
            copied = value.end;
            return;
        }
        if link_kind(tag, name).is_none() {
            return;
        }
        let raw = &html[value.clone()];
        let href = decode(raw);
        if matches!(
            url::Url::parse(&href),
            Err(url::ParseError::RelativeUrlWithoutBase)
        ) && let Ok(absolute) = base.join(&href)
        {
            out.push_str(&html[copied..value.start]);
            out.push_str(
                &absolute
                    .as_str()
                    .replace('&', "&amp;")
                    .replace('"', "&quot;"),
            );
            copied = value.end;
        }
    });
    out.push_str(&html[copied..]);
    out
}

/// A `srcset` (`/a.480w.webp 480w, /a.800w.webp 800w`) with each URL made absolute,
/// escaped for an attribute.
fn absolute_srcset(srcset: &str, base: &url::Url) -> String {
    let candidates = srcset.split(',').map(|candidate| {
        let candidate = candidate.trim();
        let (url, descriptor) = candidate.split_once(' ').unwrap_or((candidate, ""));
        let url = base.join(url).map_or(url.to_owned(), |u| u.to_string());
        format!("{url} {}", descriptor.trim()).trim_end().to_owned()
    });
    candidates
        .collect::<Vec<_>>()
        .join(", ")
        .replace('&', "&amp;")
        .replace('"', "&quot;")
}

/// An attribute value with its character references decoded (`&amp;`, `&#39;`, …).
pub(crate) fn decode(raw: &str) -> Cow<'_, str> {
    if !raw.contains('&') {
        return Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = rest.find(';').and_then(|semi| {
            let c = match &rest[1..semi] {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                n => n.strip_prefix('#').and_then(|n| {
                    match n.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok(),
                        None => n.parse().ok(),
                    }
                    .and_then(char::from_u32)
                }),
            }?;
            Some((c, semi + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_links_images_and_ids_but_not_in_comments_or_scripts() {
        let html = r#"<!doctype html><html><body id=top><!-- <a href="/c/"> -->
<a class="x" href="/a/?q=1&amp;r=2">A</a><IMG alt='' src='/i.jpg'/><h2 id="h&#39;s">H</h2>
<script type="application/ld+json">{"x":"<a href=\"/s/\">"}</script><a name=n href=b/>
<p>a &lt;a href="/t/"&gt; b</p><link rel="stylesheet" href="/style.css"></body></html>"#;
        let found = scan(html.as_bytes());
        assert_eq!(
            found.links().collect::<Vec<_>>(),
            vec![
                (LinkKind::Link, "/a/?q=1&r=2"),
                (LinkKind::Image, "/i.jpg"),
                (LinkKind::Link, "b/"),
                (LinkKind::Link, "/style.css"),
            ]
        );
        let mut ids: Vec<_> = found.ids().collect();
        ids.sort();
        assert_eq!(ids, ["h's", "n", "top"]);
    }

    #[test]
    fn absolutizes_relative_links_and_images_only() {
        let base = url::Url::parse("https://example.org/sub/path/news/x/").unwrap();
        let html = r##"<p><a href="../other/">o</a><img src="../../img.jpg" alt=""><a href="/sub/path/">r</a><a href="#h">h</a><a href="https://else.org/">e</a><a href="mailto:a@b.org">m</a><a href="?a=1&amp;b=2">q</a></p>"##;
        assert_eq!(
            absolutize(html, &base),
            r##"<p><a href="https://example.org/sub/path/news/other/">o</a><img src="https://example.org/sub/path/img.jpg" alt=""><a href="https://example.org/sub/path/">r</a><a href="https://example.org/sub/path/news/x/#h">h</a><a href="https://else.org/">e</a><a href="mailto:a@b.org">m</a><a href="https://example.org/sub/path/news/x/?a=1&amp;b=2">q</a></p>"##
        );
    }

    #[test]
    fn decodes_character_references() {
        assert_eq!(decode("a&amp;b&#x41;&#66;&bogus"), "a&bAB&bogus");
    }

    #[test]
    fn absolutizes_every_candidate_of_a_srcset() {
        let base = url::Url::parse("https://example.org/sub/").unwrap();
        let html = r#"<picture><source type="image/webp" srcset="/sub/media/a.480w.1.webp 480w, /sub/media/a.800w.1.webp 800w"><img src="/sub/media/a.480w.1.jpg" srcset="/sub/media/a.480w.1.jpg 480w" alt=""></picture>"#;
        let out = absolutize(html, &base);
        assert!(out.contains(r#"srcset="https://example.org/sub/media/a.480w.1.webp 480w, https://example.org/sub/media/a.800w.1.webp 800w""#), "{out}");
        assert!(out.contains(r#"src="https://example.org/sub/media/a.480w.1.jpg" srcset="https://example.org/sub/media/a.480w.1.jpg 480w""#), "{out}");
    }
}
