//! Markdown → HTML for bodies, with the site's rules applied in one pass.
//!
//! `@/` links become page URLs (unresolved ones are reported with their byte offset),
//! headings get stable ids, institution names are autolinked on first mention, raw HTML
//! is dropped unless the site allows it, and script URLs are neutralised. Pure: the
//! caller supplies link resolution and the autolinker, and collects what is returned.

mod figures;
mod headings;

use aho_corasick::{AhoCorasick, AhoCorasickKind, Anchored, Input, MatchKind, StartKind};
use figures::{Captured, Figures};
use headings::{HeadingIds, OpenHeading, close_heading, count_headings};
use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};
use std::collections::HashSet;
use std::ops::Range;

/// Where an `@/` link points: the page URL and the key identifying the target body
/// (`news/2024-07-23-x`) for anchor checks.
#[derive(Debug, Clone)]
pub struct LinkTarget {
    /// The target page's root-relative URL.
    pub url: String,
    /// The target's content key (`news/<id>`), for anchor checks.
    pub key: String,
}

/// What an `@/` path names.
#[derive(Debug, Clone)]
pub enum Resolution {
    /// A published page.
    Found(LinkTarget),
    /// No such content file.
    Missing,
    /// A draft, left out of this build.
    Draft,
    /// Under an embargo that has not lifted, left out of this build.
    Embargoed,
    /// A file with errors of its own; the link is not reported again.
    Invalid,
    /// A file that is published as is (`@/static/…`, `@/media/…`): its root-relative
    /// URL. Anchors are not checked (a PDF's `#page=2` is the viewer's business).
    File(String),
    /// No such file under `content/<folder>/`; the nearest path, if one is close.
    MissingFile {
        /// `static`, `media` or a content folder (`news`, `institutions`, …).
        folder: &'static str,
        /// A path that exists and is close to the one written.
        nearest: Option<String>,
    },
}

/// A file path as a Markdown link destination may hold it: a space ends one, so it is
/// written `%20` (links are percent-decoded before they are resolved).
pub(crate) fn link_destination(path: &str) -> String {
    path.replace(' ', "%20")
}

/// An image in Markdown whose source is `@/media/…`, as written.
#[derive(Debug, Clone, Copy)]
pub struct MediaImage<'t> {
    /// The path after `@/media/`.
    pub path: &'t str,
    /// The alt text (`![alt]`), as plain text.
    pub alt: &'t str,
    /// The title (`"caption"`), which becomes the caption.
    pub title: &'t str,
}

/// A media image's markup: a `<figure>` where it stands alone in its paragraph, the
/// picture with its credit where it stands in running text (a figure cannot).
#[derive(Debug, Clone)]
pub struct MediaMarkup {
    /// The figure: picture, caption, credit, licence, download.
    pub block: String,
    /// The picture and credit only, for inside a paragraph, link or heading.
    pub inline: String,
}

/// Turns a media image into markup, or says what is wrong with it (`None`: nothing
/// to add, the file's own problem is reported where it is).
pub type MediaRenderer<'a> = &'a dyn Fn(&MediaImage) -> Result<MediaMarkup, Option<BodyProblem>>;

/// A resolved `@/` link with an anchor, to be checked once all bodies are rendered.
#[derive(Debug, Clone)]
pub struct AnchorLink {
    /// The target's content key, as in [`LinkTarget::key`].
    pub target_key: String,
    /// The anchor without `#`.
    pub anchor: String,
    /// Byte offset of the link in the body.
    pub offset: usize,
    /// The link as the author wrote it, for the message.
    pub written: String,
}

/// A problem found while rendering, relative to the body text.
#[derive(Debug, Clone)]
pub struct BodyProblem {
    /// Which problem it is (a broken link, an image without alt text, …).
    pub code: crate::diagnostics::Code,
    /// Byte offset in the body.
    pub offset: usize,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it, if known.
    pub help: Option<String>,
}

/// One body rendered: its HTML and what the link and anchor checks need.
#[derive(Debug, Clone, Default)]
pub struct RenderedMarkdown {
    /// The HTML, safe to insert into a page; shared, since a `serve` session's body
    /// cache and the bodies of its last render hold the same texts.
    pub html: std::sync::Arc<str>,
    /// The ids of its headings, in order, unique.
    pub heading_ids: Vec<String>,
    /// Its `@/` links with an anchor, to check against the target's headings.
    pub anchor_links: Vec<AnchorLink>,
    /// Its links that lead nowhere.
    pub broken_links: Vec<BodyProblem>,
    /// Offset of the first raw HTML block that was dropped.
    pub dropped_html: Option<usize>,
}

/// Names and aliases of institutions, found where words start: an anchored search
/// runs only where no letter or digit precedes a byte some name begins with, instead
/// of the automaton reading every byte of the text.
#[derive(Debug)]
pub struct Autolinker {
    matcher: Option<AhoCorasick>,
    /// Institution index for each pattern.
    owners: Vec<usize>,
    /// Whether some name starts with this byte.
    first_bytes: [bool; 256],
}

impl Autolinker {
    /// `names`: (institution index, name or alias). Longer names win over shorter ones.
    pub fn new(names: Vec<(usize, String)>) -> Self {
        let names: Vec<(usize, String)> = names
            .into_iter()
            .filter(|(_, n)| n.chars().count() >= 3)
            .collect();
        let mut first_bytes = [false; 256];
        for (_, name) in &names {
            first_bytes[usize::from(name.as_bytes()[0])] = true;
        }
        let matcher = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Anchored)
            .kind(Some(AhoCorasickKind::DFA))
            .build(names.iter().map(|(_, n)| n.as_str()))
            .ok();
        Self {
            matcher,
            owners: names.into_iter().map(|(i, _)| i).collect(),
            first_bytes,
        }
    }

    /// Mentions in `text` as (byte range, institution): the longest name starting
    /// where no letter or digit precedes, kept when none follows either; the next one
    /// is sought after it.
    fn mentions<'t>(&'t self, text: &'t str) -> impl Iterator<Item = (Range<usize>, usize)> + 't {
        let bytes = text.as_bytes();
        let mut at = 0;
        std::iter::from_fn(move || {
            let matcher = self.matcher.as_ref()?;
            while at < bytes.len() {
                let start = at;
                at += 1;
                // A byte some name starts with is never inside a UTF-8 sequence: names
                // start at a character.
                if !self.first_bytes[usize::from(bytes[start])]
                    || text[..start]
                        .chars()
                        .next_back()
                        .is_some_and(char::is_alphanumeric)
                {
                    continue;
                }
                let input = Input::new(text)
                    .span(start..text.len())
                    .anchored(Anchored::Yes);
                let Some(found) = matcher.find(input) else {
                    continue;
                };
                let next = text[found.end()..].chars().next();
                if next.is_none_or(|c| !c.is_alphanumeric()) {
                    at = found.end();
                    return Some((found.range(), self.owners[found.pattern().as_usize()]));
                }
            }
            None
        })
    }
}

/// What rendering needs from the rest of the site.
pub struct MarkdownContext<'a> {
    /// Resolves the path after `@/` (`news/2024-07-23-x.md`) for this page's language.
    pub resolve: &'a dyn Fn(&str) -> Resolution,
    /// Autolinking of institution names, with each institution's URL; `None` disables.
    pub autolink: Option<(&'a Autolinker, &'a dyn Fn(usize) -> String)>,
    /// Keep raw HTML (`markdown: { raw_html: true }`); else it is dropped.
    pub raw_html: bool,
    /// Heading ids of the original when this is a translation: reused by position when
    /// both have as many headings, so `#anchors` work in every language.
    pub original_heading_ids: Option<&'a [String]>,
    /// Images from `content/media/` (`![alt](@/media/x.jpg "caption")`) as figures;
    /// `None` leaves them plain images (problems' offsets are set by `render`).
    pub media: Option<MediaRenderer<'a>>,
}

const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_TASKLISTS)
    .union(Options::ENABLE_HEADING_ATTRIBUTES);

/// Renders one body: CommonMark with tables, footnotes, strikethrough and task lists;
/// `@/` links resolved, heading ids made unique, script URLs neutralised, raw HTML
/// dropped unless allowed.
pub fn render(markdown: &str, ctx: &MarkdownContext) -> RenderedMarkdown {
    let mut out = RenderedMarkdown::default();
    let mut events: Vec<Event> = Vec::new();
    let mut heading: Option<OpenHeading> = None;
    let mut linked: HashSet<usize> = HashSet::new();
    let mut heading_ids = HeadingIds::default();
    let mut in_link = 0usize;
    let mut in_code = false;
    // Running text is collected across soft line breaks (as `\n`) so a name that
    // wraps onto the next source line is still found; it renders the same.
    let mut prose = String::new();
    let inherited = ctx
        .original_heading_ids
        .filter(|ids| ids.len() == count_headings(markdown));

    let mut figures = Figures::default();
    for (event, range) in Parser::new_ext(markdown, OPTIONS).into_offset_iter() {
        let event = without_controls(event);
        let event = match figures.capture(event, markdown, &range, ctx) {
            Captured::Taken => continue,
            Captured::Done(done) => {
                let marker = figures.finish(done, ctx, &mut out);
                match heading.as_mut() {
                    Some(h) => h.inner.extend(marker),
                    None => {
                        autolink_prose(&mut prose, ctx, &mut linked, &mut events);
                        if let Some(m) = marker {
                            figures.at.push(events.len());
                            events.push(m);
                        }
                    }
                }
                continue;
            }
            Captured::Not(event) => event,
        };
        let event = match event {
            Event::Html(_) | Event::InlineHtml(_) if !ctx.raw_html => {
                out.dropped_html.get_or_insert(range.start);
                continue;
            }
            Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
                in_link += 1;
                Event::Start(rewrite_link(tag, markdown, &range, ctx, &mut out))
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                in_link = in_link.saturating_sub(1);
                event
            }
            Event::Start(Tag::CodeBlock(_)) => {
                in_code = true;
                event
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code = false;
                event
            }
            other => other,
        };
        match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                autolink_prose(&mut prose, ctx, &mut linked, &mut events);
                heading = Some(OpenHeading {
                    level,
                    id,
                    classes,
                    // `{onclick=…}` would be raw HTML by another name.
                    attrs: if ctx.raw_html { attrs } else { Vec::new() },
                    inner: Vec::new(),
                });
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(h) = heading.take() {
                    close_heading(h, inherited, &mut heading_ids, &mut events);
                }
            }
            e if heading.is_some() => {
                if let Some(h) = heading.as_mut() {
                    h.inner.push(e);
                }
            }
            Event::Text(text) if in_link == 0 && !in_code => prose.push_str(&text),
            Event::SoftBreak if in_link == 0 && !in_code && !prose.is_empty() => prose.push('\n'),
            e => {
                autolink_prose(&mut prose, ctx, &mut linked, &mut events);
                events.push(e);
            }
        }
    }
    autolink_prose(&mut prose, ctx, &mut linked, &mut events);
    out.heading_ids = heading_ids.order;
    let events = figures.place(events);
    // Sized for the usual HTML of a text; the `Arc` holds it at its exact length
    // (thousands of bodies are held until their pages are rendered).
    let mut html = String::with_capacity(markdown.len() + markdown.len() / 4);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    out.html = html.into();
    out
}

/// Text with the control characters a character reference can make (`&#1;`) removed:
/// the loader already replaced raw ones, and they would make feeds ill-formed XML.
fn without_controls(event: Event<'_>) -> Event<'_> {
    let clean = |t: &str| -> CowStr<'static> {
        CowStr::from(t.replace(crate::content::is_forbidden_char, ""))
    };
    match event {
        Event::Text(t) if crate::content::may_have_forbidden_char(&t) => Event::Text(clean(&t)),
        Event::Code(t) if crate::content::may_have_forbidden_char(&t) => Event::Code(clean(&t)),
        other => other,
    }
}

/// Where a link's destination is written: inside `[text](dest)` when it is there
/// (inline links), else the start of the link.
fn destination_offset(markdown: &str, link: &Range<usize>, dest: &str) -> usize {
    let Some(text) = markdown.get(link.clone()) else {
        return link.start;
    };
    match text
        .find(&format!("]({dest}"))
        .or_else(|| text.find(&format!("](<{dest}")))
    {
        Some(i) => link.start + i + text[i..].find(dest).unwrap_or(0),
        None => link.start,
    }
}

/// A link or image with its destination resolved (`@/`) or neutralised (scripts).
fn rewrite_link<'a>(
    tag: Tag<'a>,
    markdown: &str,
    range: &Range<usize>,
    ctx: &MarkdownContext,
    out: &mut RenderedMarkdown,
) -> Tag<'a> {
    let rewrite = |dest: CowStr<'a>, out: &mut RenderedMarkdown| {
        let at = destination_offset(markdown, range, &dest);
        rewrite_url(dest, at, ctx, out)
    };
    match tag {
        Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        } => Tag::Link {
            link_type,
            dest_url: rewrite(dest_url, out),
            title,
            id,
        },
        Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        } => Tag::Image {
            link_type,
            dest_url: rewrite(dest_url, out),
            title,
            id,
        },
        other => other,
    }
}

/// Resolves `@/` links and neutralises script URLs.
fn rewrite_url<'a>(
    dest: CowStr<'a>,
    offset: usize,
    ctx: &MarkdownContext,
    out: &mut RenderedMarkdown,
) -> CowStr<'a> {
    if let Some(path) = dest.strip_prefix("@/") {
        let (file, anchor) = match path.split_once('#') {
            Some((f, a)) => (f, Some(a)),
            None => (path, None),
        };
        let problem = |message: String, help: &str| BodyProblem {
            code: crate::diagnostics::Code::BrokenLink,
            offset,
            message,
            help: Some(help.to_owned()),
        };
        return match (ctx.resolve)(file) {
            Resolution::Found(target) => {
                if let Some(anchor) = anchor {
                    out.anchor_links.push(AnchorLink {
                        target_key: target.key,
                        anchor: anchor.to_owned(),
                        offset,
                        written: dest.to_string(),
                    });
                    CowStr::from(format!("{}#{anchor}", target.url))
                } else {
                    CowStr::from(target.url)
                }
            }
            Resolution::Missing => {
                out.broken_links.push(problem(
                    format!("broken link `{dest}`: no such content file"),
                    "`@/` links name a file under content/ with its folder: `@/news/….md`, `@/institutions/….md`, `@/partnerships/….md`, `@/pages/….md` (a translation: `….en.md`), `@/media/…` or `@/static/…`",
                ));
                CowStr::Borrowed("#")
            }
            Resolution::Draft => {
                out.broken_links.push(problem(
                    format!("broken link `{dest}`: the target is a draft and is not published"),
                    "remove `draft: true` from the target, or build with `--drafts`",
                ));
                CowStr::Borrowed("#")
            }
            Resolution::Embargoed => {
                out.broken_links.push(problem(
                    format!(
                        "broken link `{dest}`: the target is under an embargo that has not lifted"
                    ),
                    "link to it once it is published, or build with `--drafts` to preview both",
                ));
                CowStr::Borrowed("#")
            }
            Resolution::File(url) => match anchor {
                Some(anchor) => CowStr::from(format!("{url}#{anchor}")),
                None => CowStr::from(url),
            },
            Resolution::MissingFile { folder, nearest } => {
                let help = match nearest {
                    Some(n) => format!("did you mean `@/{folder}/{}`?", link_destination(&n)),
                    None => format!("`@/{folder}/…` names a file under content/{folder}/"),
                };
                out.broken_links.push(problem(
                    format!("broken link `{dest}`: no such file in content/{folder}/"),
                    &help,
                ));
                CowStr::Borrowed("#")
            }
            Resolution::Invalid => CowStr::Borrowed("#"),
        };
    }
    if is_script_url(&dest) {
        CowStr::Borrowed("#")
    } else {
        dest
    }
}

/// `javascript:`, `vbscript:` and non-image `data:` URLs, however disguised by case,
/// whitespace or control characters.
pub(crate) fn is_script_url(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    cleaned.starts_with("javascript:")
        || cleaned.starts_with("vbscript:")
        || (cleaned.starts_with("data:") && !cleaned.starts_with("data:image/"))
}

/// Splits a text event around first mentions of institutions, linking each once.
/// Emits the collected running text, linking the first mention of each institution.
fn autolink_prose(
    prose: &mut String,
    ctx: &MarkdownContext,
    linked: &mut HashSet<usize>,
    events: &mut Vec<Event<'_>>,
) {
    if prose.is_empty() {
        return;
    }
    let text = std::mem::take(prose);
    let Some((autolinker, url_of)) = ctx.autolink else {
        events.push(Event::Text(CowStr::from(text)));
        return;
    };
    // Same byte length, so match ranges index `text` directly.
    let searchable = text.replace('\n', " ");
    let mut last = 0;
    for (range, owner) in autolinker.mentions(&searchable) {
        if !linked.insert(owner) {
            continue;
        }
        if range.start > last {
            events.push(Event::Text(CowStr::from(
                text[last..range.start].to_owned(),
            )));
        }
        events.push(Event::Start(Tag::Link {
            link_type: LinkType::Inline,
            dest_url: CowStr::from(url_of(owner)),
            title: CowStr::Borrowed(""),
            id: CowStr::Borrowed(""),
        }));
        events.push(Event::Text(CowStr::from(text[range.clone()].to_owned())));
        events.push(Event::End(TagEnd::Link));
        last = range.end;
    }
    if last < text.len() {
        events.push(Event::Text(CowStr::from(text[last..].to_owned())));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(path: &str) -> Resolution {
        match path {
            "partnerships/harz.md" => Resolution::Found(LinkTarget {
                url: "/p/harz/".into(),
                key: "partnerships/harz".into(),
            }),
            "news/draft.md" => Resolution::Draft,
            "news/broken.md" => Resolution::Invalid,
            _ => Resolution::Missing,
        }
    }

    fn render_with(md: &str, autolink: bool, raw_html: bool) -> RenderedMarkdown {
        let linker = Autolinker::new(vec![
            (0, "Harzklinikum".into()),
            (1, "Universitätsklinikum Magdeburg".into()),
            (1, "UKMD".into()),
        ]);
        let url = |i: usize| format!("/partners/{i}/");
        let ctx = MarkdownContext {
            resolve: &resolve,
            autolink: autolink.then_some((&linker, &url as &dyn Fn(usize) -> String)),
            raw_html,
            original_heading_ids: None,
            media: None,
        };
        render(md, &ctx)
    }

    #[test]
    fn resolves_at_links_and_reports_broken_ones_with_offsets() {
        let md = "See [it](@/partnerships/harz.md#ziele) and [x](@/news/missing.md).";
        let r = render_with(md, false, false);
        assert!(r.html.contains(r#"href="/p/harz/#ziele""#), "{}", r.html);
        assert_eq!(r.anchor_links[0].anchor, "ziele");
        assert_eq!(r.broken_links.len(), 1);
        assert_eq!(
            r.broken_links[0].offset,
            md.find("@/news/missing.md").unwrap()
        );
    }

    #[test]
    fn names_are_found_only_as_whole_words() {
        let linker = Autolinker::new(vec![
            (0, "Klinikum".into()),
            (1, "Klinikum Süd".into()),
            (2, "Ärztehaus".into()),
        ]);
        let found = |text: &str| -> Vec<String> {
            let mentions = linker.mentions(text);
            mentions.map(|(r, i)| format!("{}:{i}", &text[r])).collect()
        };
        assert_eq!(
            found("Das Klinikum Süd, das Klinikum."),
            ["Klinikum Süd:1", "Klinikum:0"]
        );
        assert!(found("Uniklinikum, Klinikums, Klinikum Südost").is_empty());
        assert_eq!(
            found("(Ärztehaus) und „Klinikum“"),
            ["Ärztehaus:2", "Klinikum:0"]
        );
        assert!(found("ÄÄrztehaus 1Klinikum").is_empty());
    }

    #[test]
    fn autolinks_first_mention_only_and_never_in_links_headings_or_code() {
        let md = "## Harzklinikum\n\nDas Harzklinikum und das Harzklinikum. [Harzklinikum](https://x.org) `UKMD`\n\n```\nUKMD\n```\n\nDie UKMD-Klinik, das Universitätsklinikum Magdeburg.\n";
        let r = render_with(md, true, false);
        assert_eq!(
            r.html.matches(r#"<a href="/partners/0/">"#).count(),
            1,
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains(r#"<h2 id="harzklinikum">Harzklinikum</h2>"#)
        );
        assert!(r.html.contains("<code>UKMD</code>"));
        assert!(
            r.html.contains(r#"<a href="/partners/1/">UKMD</a>-Klinik"#),
            "{}",
            r.html
        );
        assert!(
            !r.html
                .contains(r#"<a href="/partners/1/">Universitätsklinikum"#)
        );
    }

    #[test]
    fn names_wrapped_onto_the_next_line_are_found_and_render_unchanged() {
        let r = render_with(
            "Mit dem Universitätsklinikum\nMagdeburg und\nanderen.\n",
            true,
            false,
        );
        assert!(
            r.html.contains(
                "<a href=\"/partners/1/\">Universitätsklinikum\nMagdeburg</a> und\nanderen."
            ),
            "{}",
            r.html
        );
        let plain = render_with("Eine Zeile\nund noch eine \\[x\\].\n", false, false);
        assert_eq!(&*plain.html, "<p>Eine Zeile\nund noch eine [x].</p>\n");
    }

    #[test]
    fn links_to_drafts_are_explained_and_links_to_broken_files_not_reported_twice() {
        let r = render_with("[a](@/news/draft.md) [b](@/news/broken.md)", false, false);
        assert_eq!(r.broken_links.len(), 1);
        assert!(r.broken_links[0].message.contains("is a draft"));
    }

    #[test]
    fn whole_words_only() {
        let r = render_with("Die Harzklinikums-Gruppe und XHarzklinikum.", true, false);
        assert!(!r.html.contains("<a"), "{}", r.html);
    }

    #[test]
    fn drops_raw_html_unless_allowed_and_neutralises_script_urls() {
        let md = "<script>alert(1)</script>\n\nText <b>bold</b> [a](javascript:alert(1)) [b]( JaVaScRiPt:x) ![i](data:image/png;base64,AA)\n";
        let r = render_with(md, false, false);
        assert!(
            !r.html.contains("<script") && !r.html.contains("<b>"),
            "{}",
            r.html
        );
        assert!(!r.html.to_lowercase().contains("javascript:"));
        assert!(r.html.contains("data:image/png"));
        assert_eq!(r.dropped_html, Some(0));
        assert!(render_with(md, false, true).html.contains("<b>bold</b>"));
    }

    #[test]
    fn heading_ids_are_unique_slugs() {
        let r = render_with(
            "## Nächste Schritte\n\n## Nächste Schritte\n\n## Eigene {#eigen}\n",
            false,
            false,
        );
        assert_eq!(
            r.heading_ids,
            ["naechste-schritte", "naechste-schritte-1", "eigen"]
        );
    }

    #[test]
    fn translations_inherit_heading_ids_by_position_when_counts_match() {
        let original = vec!["ziele".to_owned(), "ausblick".to_owned()];
        let ctx = |ids| MarkdownContext {
            resolve: &resolve,
            autolink: None,
            raw_html: false,
            original_heading_ids: Some(ids),
            media: None,
        };
        let r = render("## Goals\n\n## Outlook\n", &ctx(&original));
        assert_eq!(r.heading_ids, ["ziele", "ausblick"]);
        assert!(r.html.contains(r#"<h2 id="ausblick">Outlook</h2>"#));
        let r = render("## Goals\n\n## Extra\n\n## Outlook\n", &ctx(&original));
        assert_eq!(r.heading_ids, ["goals", "extra", "outlook"]);
    }

    #[test]
    fn links_to_files_keep_their_anchor_unchecked() {
        let resolve = |path: &str| match path {
            "static/x.pdf" => Resolution::File("/sub/x.pdf".into()),
            _ => Resolution::MissingFile {
                folder: "static",
                nearest: Some("x.pdf".into()),
            },
        };
        let ctx = MarkdownContext {
            resolve: &resolve,
            autolink: None,
            raw_html: false,
            original_heading_ids: None,
            media: None,
        };
        let r = render("[a](@/static/x.pdf#page=2) [b](@/static/y.pdf)", &ctx);
        assert!(r.html.contains(r#"href="/sub/x.pdf#page=2""#), "{}", r.html);
        assert!(r.anchor_links.is_empty());
        assert_eq!(
            r.broken_links[0].help.as_deref(),
            Some("did you mean `@/static/x.pdf`?")
        );
    }
}
