//! Property tests (proptest) for id/slug generation, heading ids, `@/` link resolution,
//! script-URL neutralising and routes. Each case is cheap; proptest's default of 256
//! cases per property keeps the file well under a second or two.

mod slug;

use partnerpress::render::markdown::{
    Autolinker, LinkTarget, MarkdownContext, RenderedMarkdown, Resolution, render,
};
use partnerpress::render::routes::Routes;
use partnerpress::slug::{is_valid_id, slugify};
use proptest::prelude::*;

// ---------------------------------------------------------------------------------
// Generators and helpers
// ---------------------------------------------------------------------------------

const FOLDERS: [&str; 4] = ["institutions", "partnerships", "news", "pages"];

pub(crate) fn id() -> impl Strategy<Value = String> {
    "[a-z0-9-]{1,20}"
}

fn folder() -> impl Strategy<Value = &'static str> {
    prop::sample::select(&FOLDERS[..])
}

/// Plain running text that cannot open or close any Markdown construct, so the
/// position of what follows it is known.
fn plain_text() -> impl Strategy<Value = String> {
    "([a-zA-Zäöü][a-zA-Z0-9äöüÄÖÜß ,.]{0,29})?(\n\n)?"
}

/// Any Markdown-ish text: arbitrary strings mixed with the characters and snippets
/// that make structure, so generated inputs reach links, headings, lists and HTML.
fn markdownish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        any::<String>(),
        "[ \n#*_`>\\-+\\[\\]()!<>{}|:=\"'&;\\\\a-zA-Z0-9äöü@/.]{0,40}",
        Just("[x](@/institutions/known.md)".to_owned()),
        Just("[y](@/news/missing.md#a)".to_owned()),
        Just("\n## Harzklinikum {#h .c}\n".to_owned()),
        Just("\n- item\n  ## head\n".to_owned()),
        Just("<b>UKMD</b>".to_owned()),
        Just("\n```\ncode\n```\n".to_owned()),
        Just("\n| a | b |\n|---|---|\n| Harzklinikum | [^1] |\n\n[^1]: n\n".to_owned()),
        Just("\n[r]: @/institutions/known.md\n".to_owned()),
        Just("Universitätsklinikum\nMagdeburg".to_owned()),
    ];
    prop::collection::vec(piece, 0..8).prop_map(|v| v.concat())
}

fn linker() -> Autolinker {
    Autolinker::new(vec![
        (0, "Harzklinikum".into()),
        (1, "Universitätsklinikum Magdeburg".into()),
        (1, "UKMD".into()),
        (2, "Klinikum".into()),
    ])
}

fn url_of(i: usize) -> String {
    format!("/sub/partners/{i}/")
}

/// Renders with a resolver that knows exactly `known` (→ `url`, key `key`), and
/// optionally autolinking and raw HTML.
fn render_md(
    md: &str,
    known: &str,
    url: &str,
    key: &str,
    autolink: bool,
    raw_html: bool,
) -> RenderedMarkdown {
    let resolve = |path: &str| {
        if path == known {
            Resolution::Found(LinkTarget {
                url: url.to_owned(),
                key: key.to_owned(),
            })
        } else {
            Resolution::Missing
        }
    };
    let linker = linker();
    let ctx = MarkdownContext {
        resolve: &resolve,
        autolink: autolink.then_some((&linker, &url_of as &dyn Fn(usize) -> String)),
        raw_html,
        original_heading_ids: None,
        media: None,
    };
    render(md, &ctx)
}

fn render_plain(md: &str) -> RenderedMarkdown {
    render_md(
        md,
        "institutions/known.md",
        "/sub/partners/known/",
        "institutions/known",
        true,
        false,
    )
}

/// Every start tag in `html` as (name, [(attribute, value)]), values entity-decoded.
/// Good enough for pulldown-cmark's output, which always quotes with `"`.
fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        if rest.starts_with('/') || rest.starts_with('!') {
            continue;
        }
        let name_end = rest
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .unwrap_or(rest.len());
        let name = rest[..name_end].to_ascii_lowercase();
        let mut attrs = Vec::new();
        let mut tail = &rest[name_end..];
        loop {
            tail = tail.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
            if tail.is_empty() || tail.starts_with('>') {
                break;
            }
            let attr_end = tail
                .find(|c: char| c.is_whitespace() || c == '=' || c == '>')
                .unwrap_or(tail.len());
            let attr = tail[..attr_end].to_ascii_lowercase();
            tail = &tail[attr_end..];
            let mut value = String::new();
            if let Some(after) = tail.strip_prefix("=\"") {
                let end = after.find('"').unwrap_or(after.len());
                value = decode_entities(&after[..end]);
                tail = after.get(end + 1..).unwrap_or("");
            }
            attrs.push((attr, value));
        }
        out.push((name, attrs));
    }
    out
}

fn decode_entities(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

/// The scheme a browser sees in a URL attribute: leading and trailing C0 controls and
/// spaces stripped, tabs and newlines removed anywhere (WHATWG URL parsing), lowercased.
fn browser_scheme(url: &str) -> Option<String> {
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

fn urls(html: &str) -> Vec<String> {
    tags(html)
        .into_iter()
        .flat_map(|(_, attrs)| attrs)
        .filter(|(a, _)| a == "href" || a == "src")
        .map(|(_, v)| v)
        .collect()
}

fn hrefs(html: &str) -> Vec<String> {
    tags(html)
        .into_iter()
        .filter(|(name, _)| name == "a")
        .flat_map(|(_, attrs)| attrs)
        .filter(|(a, _)| a == "href")
        .map(|(_, v)| v)
        .collect()
}

/// `javascript:` with its letters in random case and tabs, newlines, spaces or control
/// characters sprinkled in and around it: what `is_script_url` must see through.
fn disguised_javascript() -> impl Strategy<Value = String> {
    let junk = "[ \t\n\r\u{1}\u{8}\u{b}\u{c}\u{1f}]{0,2}";
    (
        "[ \t\u{1}\u{1f}]{0,3}",
        prop::collection::vec((any::<bool>(), junk), 10),
        "[a-z0-9()';/ ]{0,12}",
    )
        .prop_map(|(lead, letters, tail)| {
            let mut s = lead;
            for (c, (upper, junk)) in "javascript".chars().zip(letters) {
                s.push(if upper { c.to_ascii_uppercase() } else { c });
                s.push_str(&junk);
            }
            s.push(':');
            s.push_str(&tail);
            s
        })
}

/// Default case count; no failure files (they would land beside this file).
pub(crate) fn config() -> ProptestConfig {
    ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------------
// Heading ids
// ---------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config())]
    /// Headings without an explicit `{#id}` get ids that are valid, unique and the
    /// slug of their text (with `-1`, `-2`, … on repeats).
    #[test]
    fn generated_heading_ids_are_unique_slugs(
        texts in prop::collection::vec("[a-zA-Zäöü0-9 ]{1,12}", 1..8),
    ) {
        let md: String = texts.iter().map(|t| format!("## {t}\n\n")).collect();
        let r = render_plain(&md);
        prop_assert_eq!(r.heading_ids.len(), texts.len(), "{}", md);
        let mut seen = std::collections::HashSet::new();
        for (id, text) in r.heading_ids.iter().zip(&texts) {
            prop_assert!(is_valid_id(id), "{:?}", id);
            prop_assert!(seen.insert(id.clone()), "duplicate id {:?} in {:?}", id, r.heading_ids);
            let base = slugify(text.trim());
            prop_assert!(
                *id == base || id.strip_prefix(&format!("{base}-")).is_some_and(|n| n.parse::<u32>().is_ok()),
                "{:?} for {:?}", id, text
            );
            prop_assert!(r.html.contains(&format!("<h2 id=\"{id}\">")), "{}", r.html);
        }
    }

    /// Every heading id in the page is unique, also when some headings name their own
    /// id with `{#id}`: an anchor must point at one place.
    #[test]
    fn heading_ids_are_unique_with_explicit_ids(
        heads in prop::collection::vec(("[a-c]{1,2}", any::<bool>()), 1..6),
    ) {
        let md: String = heads
            .iter()
            .map(|(t, explicit)| if *explicit { format!("## x {{#{t}}}\n\n") } else { format!("## {t}\n\n") })
            .collect();
        let r = render_plain(&md);
        let mut seen = std::collections::HashSet::new();
        for id in &r.heading_ids {
            prop_assert!(seen.insert(id), "duplicate id {:?} in {:?} for {:?}", id, r.heading_ids, md);
        }
    }

    /// Many repeats, mixed with headings whose text or `{#id}` is literally a suffixed
    /// id (`a-1`): one unique id per heading, and exactly the ids of the plain rule
    /// "the base, else the first free `base-N`, in document order".
    #[test]
    fn many_duplicate_headings_get_the_first_free_suffix(
        heads in prop::collection::vec(
            (prop::sample::select(&["a", "a 1", "a-1", "a-1-1", "a 2", "b"][..]), any::<bool>()),
            1..400,
        ),
    ) {
        let md: String = heads
            .iter()
            .map(|(t, explicit)| match explicit {
                true => format!("## x {{#{}}}\n\n", slugify(t)),
                false => format!("## {t}\n\n"),
            })
            .collect();
        let r = render_plain(&md);
        prop_assert_eq!(r.heading_ids.len(), heads.len());
        let mut expected: Vec<String> = Vec::new();
        for (t, _) in &heads {
            let base = slugify(t);
            let id = std::iter::once(base.clone())
                .chain((1..).map(|n| format!("{base}-{n}")))
                .find(|id| !expected.contains(id))
                .unwrap();
            expected.push(id);
        }
        prop_assert_eq!(&r.heading_ids, &expected);
    }

    /// A translation inheriting the original's ids stays unique even when those ids
    /// repeat (an original edited by hand, or older rules).
    #[test]
    fn inherited_heading_ids_stay_unique(
        original in prop::collection::vec(prop::sample::select(&["a", "a-1", "b"][..]), 1..60),
    ) {
        let original: Vec<String> = original.into_iter().map(str::to_owned).collect();
        let md = "## a\n\n".repeat(original.len());
        let resolve = |_: &str| Resolution::Missing;
        let ctx = MarkdownContext {
            resolve: &resolve,
            autolink: None,
            raw_html: false,
            original_heading_ids: Some(&original),
            media: None,
        };
        let r = render(&md, &ctx);
        prop_assert_eq!(r.heading_ids.len(), original.len());
        let unique: std::collections::HashSet<&String> = r.heading_ids.iter().collect();
        prop_assert_eq!(unique.len(), original.len(), "{:?}", r.heading_ids);
        prop_assert_eq!(&r.heading_ids[0], &original[0]);
    }
}

// ---------------------------------------------------------------------------------
// `@/` links
// ---------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config())]
    /// A link to a path the resolver knows becomes exactly the resolver's URL.
    #[test]
    fn known_at_link_becomes_the_target_url(
        folder in folder(), id in id(), before in plain_text(), text in "[a-zA-Z ]{1,10}",
    ) {
        let path = format!("{folder}/{id}.md");
        let url = format!("/sub/{folder}/{id}/");
        let md = format!("{before}[{text}](@/{path}) after");
        let r = render_md(&md, &path, &url, &format!("{folder}/{id}"), false, false);
        prop_assert!(r.broken_links.is_empty(), "{:?}", r.broken_links);
        prop_assert!(r.anchor_links.is_empty());
        prop_assert_eq!(hrefs(&r.html), vec![url], "{}", r.html);
    }

    /// The same with an anchor: the URL gets the anchor and the link is recorded for
    /// the anchor check, with its target's key and the offset of its destination.
    #[test]
    fn known_at_link_with_anchor_is_recorded(
        folder in folder(), id in id(), anchor in "[a-z0-9-]{1,12}", before in plain_text(),
    ) {
        let path = format!("{folder}/{id}.md");
        let url = format!("/sub/{folder}/{id}/");
        let key = format!("{folder}/{id}");
        let written = format!("@/{path}#{anchor}");
        let md = format!("{before}[x]({written})");
        let r = render_md(&md, &path, &url, &key, false, false);
        prop_assert!(r.broken_links.is_empty(), "{:?}", r.broken_links);
        prop_assert_eq!(r.anchor_links.len(), 1);
        let a = &r.anchor_links[0];
        prop_assert_eq!(&a.anchor, &anchor);
        prop_assert_eq!(&a.target_key, &key);
        prop_assert_eq!(&a.written, &written);
        prop_assert_eq!(a.offset, before.len() + "[x](".len());
        prop_assert_eq!(hrefs(&r.html), vec![format!("{url}#{anchor}")], "{}", r.html);
    }

    /// Reference-style links resolve the same way.
    #[test]
    fn known_at_link_by_reference(folder in folder(), id in id(), label in "[a-z]{1,8}") {
        let path = format!("{folder}/{id}.md");
        let url = format!("/sub/{folder}/{id}/");
        let md = format!("See [{label}] and [x][{label}].\n\n[{label}]: @/{path}\n");
        let r = render_md(&md, &path, &url, &format!("{folder}/{id}"), false, false);
        prop_assert!(r.broken_links.is_empty(), "{:?}", r.broken_links);
        prop_assert_eq!(hrefs(&r.html), vec![url.clone(), url], "{}", r.html);
    }

    /// Any other path is exactly one broken link, located where its destination is
    /// written (inline links), and the link goes nowhere (`#`).
    #[test]
    fn unknown_at_link_is_one_broken_link_at_its_destination(
        folder in folder(),
        id in id(),
        other in "[^\\s\\p{Cc}()<>#\\\\&\\[\\]`*_\"]{0,30}",
        anchor in prop::option::of("[a-z]{1,5}"),
        image in any::<bool>(),
        title in prop::option::of("[a-zA-Z ]{0,10}"),
        before in plain_text(),
    ) {
        let known = format!("{folder}/{id}.md");
        prop_assume!(other != known);
        let anchor = anchor.map(|a| format!("#{a}")).unwrap_or_default();
        let bang = if image { "!" } else { "" };
        let title = title.map(|t| format!(" \"{t}\"")).unwrap_or_default();
        let md = format!("{before}{bang}[x](@/{other}{anchor}{title}) after");
        let r = render_md(&md, &known, "/sub/x/", "x", false, false);
        prop_assert_eq!(r.broken_links.len(), 1, "{:?}", md);
        prop_assert_eq!(r.broken_links[0].offset, before.len() + bang.len() + "[x](".len(), "{:?}", md);
        let written = format!("@/{other}");
        prop_assert!(r.broken_links[0].message.contains(&written), "{:?}", r.broken_links);
        prop_assert!(r.anchor_links.is_empty());
        prop_assert_eq!(urls(&r.html), vec!["#".to_owned()], "{}", r.html);
    }

    /// A broken reference-style link is located at its use (`[x][r]`), the place the
    /// reader sees, or at the destination in the definition line.
    #[test]
    fn unknown_reference_link_is_located(label in "[a-z]{1,8}", other in "[a-z]{1,8}", before in plain_text()) {
        let md = format!("{before}[x][{label}]\n\n[{label}]: @/news/{other}.md\n");
        let r = render_md(&md, "institutions/known.md", "/k/", "k", false, false);
        prop_assert_eq!(r.broken_links.len(), 1, "{:?}", md);
        let offset = r.broken_links[0].offset;
        let definition = md.rfind("@/").unwrap();
        prop_assert!(offset == before.len() || offset == definition, "{} in {:?}", offset, md);
    }

    /// Draft targets are reported as drafts; invalid targets are not reported again.
    #[test]
    fn draft_and_invalid_targets(folder in folder(), id in id(), before in plain_text()) {
        let draft = format!("{folder}/{id}.md");
        let resolve = |p: &str| if p == draft { Resolution::Draft } else { Resolution::Invalid };
        let ctx = MarkdownContext {
            resolve: &resolve,
            autolink: None,
            raw_html: false,
            original_heading_ids: None,
            media: None,
        };
        let md = format!("{before}[d](@/{draft}) [i](@/{folder}/other-{id}.md)");
        let r = render(&md, &ctx);
        prop_assert_eq!(r.broken_links.len(), 1, "{:?}", r.broken_links);
        prop_assert_eq!(r.broken_links[0].offset, before.len() + "[d](".len());
        prop_assert!(r.broken_links[0].message.contains("draft"));
        prop_assert_eq!(hrefs(&r.html), vec!["#".to_owned(), "#".to_owned()]);
    }
}

// ---------------------------------------------------------------------------------
// Arbitrary Markdown: no panics, consistent results, no script URLs
// ---------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config())]
    /// Rendering never panics, with or without autolinking and raw HTML, and what it
    /// reports points into the body.
    #[test]
    fn rendering_arbitrary_markdown_is_total(
        md in markdownish(), autolink in any::<bool>(), raw_html in any::<bool>(),
    ) {
        let r = render_md(
            &md, "institutions/known.md", "/sub/partners/known/", "institutions/known",
            autolink, raw_html,
        );
        for p in &r.broken_links {
            prop_assert!(md.is_char_boundary(p.offset) && p.offset < md.len());
            // At the written destination, or at the start of the link.
            prop_assert!(
                md[p.offset..].starts_with("@/") || matches!(md.as_bytes()[p.offset], b'[' | b'!'),
                "{:?} in {:?}", p, md
            );
        }
        for a in &r.anchor_links {
            prop_assert!(md.is_char_boundary(a.offset) && a.offset < md.len());
        }
        if let Some(offset) = r.dropped_html {
            prop_assert!(!raw_html && offset < md.len());
        }
        for id in &r.heading_ids {
            prop_assert!(!id.is_empty());
        }
    }

    /// Autolinking only adds links: with the `<a>` tags it made removed, the page is
    /// the same as without autolinking.
    #[test]
    fn autolinking_only_adds_links(md in markdownish()) {
        let with = render_md(&md, "institutions/known.md", "/k/", "k", true, false).html;
        let without = render_md(&md, "institutions/known.md", "/k/", "k", false, false).html;
        let mut stripped = with.to_string();
        for i in 0..3 {
            let open = format!("<a href=\"{}\">", url_of(i));
            while let Some(start) = stripped.find(&open) {
                let close = stripped[start..].find("</a>").map(|e| start + e).unwrap();
                let inner = stripped[start + open.len()..close].to_owned();
                stripped.replace_range(start..close + 4, &inner);
            }
        }
        prop_assert_eq!(&*stripped, &*without, "{:?}", md);
    }

    /// No `href` or `src` the renderer emits is a `javascript:` URL as a browser would
    /// parse it, whatever the link's destination, in every kind of link.
    #[test]
    fn script_urls_never_reach_href_or_src(
        dest in prop_oneof![disguised_javascript(), any::<String>()],
        autolink in any::<bool>(),
    ) {
        // Angle brackets allow spaces; newlines and brackets end the destination.
        let inline: String = dest.chars().filter(|c| !matches!(c, '\n' | '\r' | '<' | '>')).collect();
        let escaped = inline.replace('\\', "\\\\");
        let docs = [
            format!("[x](<{escaped}>)"),
            format!("![x](<{escaped}>)"),
            format!("[x]\n\n[x]: <{escaped}>\n"),
            format!("<{}>", inline.replace([' ', '\t', '\u{b}', '\u{c}'], "")),
            format!("[x]({})", escaped.replace([' ', '\t', '(', ')'], "")),
        ];
        for md in &docs {
            let r = render_md(md, "institutions/known.md", "/k/", "k", autolink, false);
            for url in urls(&r.html) {
                let scheme = browser_scheme(&url);
                prop_assert!(
                    !matches!(scheme.as_deref(), Some("javascript" | "vbscript")),
                    "{:?} rendered as {}", md, r.html
                );
            }
        }
    }

    /// The lowercase check of the issue: for disguised `javascript:` destinations the
    /// text `javascript:` appears nowhere in the output, in any case.
    #[test]
    fn disguised_javascript_links_are_neutralised(dest in disguised_javascript()) {
        let dest: String = dest.chars().filter(|c| !matches!(c, '\n' | '\r')).collect();
        let md = format!("[x](<{}>)", dest.replace('\\', "\\\\"));
        let r = render_md(&md, "institutions/known.md", "/k/", "k", true, false);
        prop_assert!(!r.html.to_ascii_lowercase().contains("javascript:"), "{:?} → {}", md, r.html);
        prop_assert_eq!(hrefs(&r.html), vec!["#".to_owned()], "{:?} → {}", md, r.html);
    }

    /// With raw HTML off, no element in the output carries an event-handler attribute
    /// (`onclick`, `onmouseover`, …): otherwise a content file can run script.
    #[test]
    fn no_event_handler_attributes_without_raw_html(
        md in prop_oneof![
            markdownish(),
            ("[a-z ]{1,8}", "on[a-z]{2,8}", "[a-z0-9()]{0,8}")
                .prop_map(|(t, a, v)| format!("## {t} {{{a}={v}}}\n")),
        ],
    ) {
        let r = render_md(&md, "institutions/known.md", "/k/", "k", true, false);
        for (tag, attrs) in tags(&r.html) {
            for (attr, _) in attrs {
                prop_assert!(!attr.starts_with("on"), "<{} {}=…> from {:?}", tag, attr, md);
            }
        }
    }

    /// Text keeps its order: a tight list item's text comes before a heading that
    /// follows it in the same item.
    #[test]
    fn text_before_a_heading_in_a_list_item_stays_before_it(
        word in "[a-z]{3,8}", head in "[A-Z]{3,8}",
    ) {
        let md = format!("- {word}\n  ## {head}\n");
        let r = render_md(&md, "institutions/known.md", "/k/", "k", false, false);
        let w = r.html.find(&word);
        let h = r.html.find(&head);
        prop_assert!(w.is_some() && h.is_some() && w < h, "{:?} → {}", md, r.html);
    }
}

// ---------------------------------------------------------------------------------
// Routes
// ---------------------------------------------------------------------------------

fn lang() -> impl Strategy<Value = String> {
    "[a-z]{2}"
}

proptest! {
    #![proptest_config(config())]
    /// Page routes are directories served as `index.html`; the default language lives
    /// at the root, every other language under its prefix.
    #[test]
    fn page_routes_are_index_files_under_the_language(
        id in id(), default in lang(), lang in lang(), page in 0usize..20,
    ) {
        let routes = Routes::new("https://example.org/sub/", "/sub/", &default);
        let prefix = if lang == default { String::new() } else { format!("{lang}/") };
        let all = [
            routes.partner(&lang, &id),
            routes.partner_factsheet(&lang, &id),
            routes.partnership(&lang, &id),
            routes.partnership_factsheet(&lang, &id),
            routes.release(&lang, &id),
            routes.page(&lang, &id),
            routes.topic(&lang, &id),
            routes.news(&lang, page),
            routes.partners(&lang),
            routes.partnerships(&lang),
            routes.topics(&lang),
            routes.timeline(&lang),
        ];
        for route in &all {
            let file = Routes::file(route);
            prop_assert!(file.ends_with("/index.html"), "{} → {}", route, file);
            prop_assert!(file.starts_with(&prefix), "{} lacks {}", file, prefix);
            prop_assert!(!file.starts_with('/') && !file.contains("//"), "{}", file);
            prop_assert_eq!(routes.path(route), format!("/sub/{route}"));
            prop_assert_eq!(routes.permalink(route), format!("https://example.org/sub/{route}"));
        }
        prop_assert_eq!(routes.partner(&lang, &id), format!("{prefix}partners/{id}/"));
        prop_assert_eq!(Routes::file(&routes.home(&lang)), format!("{prefix}index.html"));
        let feed = Routes::file(&routes.feed(&lang));
        prop_assert_eq!(feed, format!("{prefix}atom.xml"));
        prop_assert_eq!(Routes::file(&routes.partner_feed(&lang, &id)), format!("{prefix}partners/{id}/atom.xml"));
    }

    /// Different ids never share a route, in any language.
    #[test]
    fn routes_of_different_ids_differ(a in id(), b in id(), lang in lang()) {
        prop_assume!(a != b);
        let routes = Routes::new("https://example.org/", "/", "de");
        prop_assert_ne!(routes.partner(&lang, &a), routes.partner(&lang, &b));
        prop_assert_ne!(routes.page(&lang, &a), routes.page(&lang, &b));
        prop_assert_ne!(routes.release(&lang, &a), routes.release(&lang, &b));
    }
}
