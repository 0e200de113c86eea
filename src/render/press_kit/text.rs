//! A press kit's texts: the release as Markdown and as plain text, made from its
//! rendered body (links already absolute, figures left out: the photos are files of
//! their own), and the credit lines of its photos.

use crate::model::{MediaFile, Release};
use crate::render::i18n::Language;

/// What the release's text files say: kept as the page has it, and converted only
/// when the kit is zipped (a kit in the cache is found by these fields alone).
#[derive(Debug, Clone, Hash)]
pub(crate) struct ReleaseText {
    pub(crate) title: String,
    pub(crate) date: String,
    pub(crate) summary: Option<String>,
    /// The rendered body, its links as the page has them.
    pub(crate) body: String,
    /// The page's address, against which the body's links are made absolute.
    pub(crate) url: String,
}

/// One of a kit's two text files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TextFile {
    Markdown,
    Plain,
}

impl ReleaseText {
    /// The contents of `file`.
    pub(crate) fn file(&self, file: TextFile) -> String {
        let body = match url::Url::parse(&self.url) {
            Ok(base) => crate::render::hrefs::absolutize(&self.body, &base),
            Err(_) => self.body.clone(),
        };
        match file {
            TextFile::Markdown => self.markdown(&body),
            TextFile::Plain => self.plain(&body),
        }
    }

    /// At least as many bytes as either file has, for estimates.
    pub(crate) fn size(&self) -> usize {
        let summary = self.summary.as_ref().map_or(0, String::len);
        self.title.len() * 2 + self.date.len() + summary + self.body.len() * 2 + self.url.len() + 16
    }

    fn markdown(&self, body: &str) -> String {
        let mut out = format!("# {}\n\n{}\n\n", self.title, self.date);
        if let Some(summary) = &self.summary {
            out.push_str(&format!("**{summary}**\n\n"));
        }
        out.push_str(convert(body, Style::Markdown).trim());
        out.push_str(&format!("\n\n<{}>\n", self.url));
        out
    }

    fn plain(&self, body: &str) -> String {
        let rule = "=".repeat(self.title.chars().count().min(72));
        let mut out = format!("{}\n{rule}\n\n{}\n\n", self.title, self.date);
        if let Some(summary) = &self.summary {
            out.push_str(&format!("{summary}\n\n"));
        }
        out.push_str(convert(body, Style::Plain).trim());
        out.push_str(&format!("\n\n{}\n", self.url));
        out
    }
}

/// The lines of `credits.txt` for one photo: its name in the kit, caption, credit and
/// licence (the release's lead photo with the release's texts, others with their
/// sidecar's).
pub(super) fn credit_lines(
    lang: &Language,
    name: &str,
    release: &Release,
    file: &MediaFile,
) -> String {
    let code = lang.code.as_str();
    let lead = release.image.as_ref().filter(|i| i.media == file.id);
    let (caption, credit, license) = match lead {
        Some(use_) => (
            use_.caption.get(code).clone(),
            use_.credit.clone(),
            use_.license.get(code).clone(),
        ),
        None => (
            file.sidecar.caption.get(code).clone(),
            file.sidecar.credit.clone(),
            file.sidecar.license.get(code).clone(),
        ),
    };
    let mut out = format!("{name}\n");
    for (key, value) in [
        ("media.caption", caption),
        ("media.credit", credit),
        ("media.license", license),
    ] {
        if let Some(value) = value {
            out.push_str(&format!("  {}: {value}\n", lang.t(key)));
        }
    }
    out.push('\n');
    out
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    Markdown,
    Plain,
}

/// Rendered body HTML (pulldown-cmark's, raw HTML dropped) as Markdown or plain text:
/// paragraphs, headings, lists, quotes, emphasis and links; figures left out.
fn convert(html: &str, style: Style) -> String {
    let md = style == Style::Markdown;
    let mut out = String::with_capacity(html.len());
    let mut links: Vec<String> = Vec::new();
    // The text before each open quote, which is collected apart and then indented.
    let mut outer: Vec<String> = Vec::new();
    let mut rest = html;
    while !rest.is_empty() {
        if let Some(tag_end) = rest.strip_prefix('<').and_then(|r| r.find('>')) {
            let tag = &rest[1..=tag_end];
            rest = &rest[tag_end + 2..];
            let name = tag
                .trim_start_matches('/')
                .split(|c: char| c.is_whitespace() || c == '/')
                .next()
                .unwrap_or("");
            let closing = tag.starts_with('/');
            match (name, closing) {
                ("figure", false) => {
                    rest = rest.find("</figure>").map_or("", |i| &rest[i + 9..]);
                }
                ("p" | "ul" | "ol" | "pre", false) => {}
                ("p" | "ul" | "ol" | "h2" | "h3" | "h4" | "h5" | "h6" | "pre", true) => {
                    out.push_str("\n\n")
                }
                ("h2" | "h3" | "h4" | "h5" | "h6", false) if md => {
                    let level = name[1..].parse::<usize>().unwrap_or(2);
                    out.push_str(&"#".repeat(level));
                    out.push(' ');
                }
                ("li", false) => out.push_str(if md { "- " } else { "• " }),
                ("li", true) => out.push('\n'),
                ("blockquote", false) => outer.push(std::mem::take(&mut out)),
                ("blockquote", true) => {
                    let quoted = std::mem::replace(&mut out, outer.pop().unwrap_or_default());
                    out.truncate(out.trim_end_matches(' ').len());
                    for line in quoted.trim().lines() {
                        let mark = if md { ">" } else { "   " };
                        out.push_str(&format!("{mark} {line}\n").replace("> \n", ">\n"));
                    }
                    out.push('\n');
                }
                ("br", _) => out.push_str(if md { "  \n" } else { "\n" }),
                ("strong" | "b", _) if md => out.push_str("**"),
                ("em" | "i", _) if md => out.push('_'),
                ("a", false) => {
                    links.push(attribute(tag, "href").unwrap_or_default());
                    if md {
                        out.push('[');
                    }
                }
                ("a", true) => {
                    let href = links.pop().unwrap_or_default();
                    if md {
                        out.push_str(&format!("]({href})"));
                    } else if !href.is_empty() && !href.starts_with('#') {
                        out.push_str(&format!(" ({href})"));
                    }
                }
                _ => {}
            }
            continue;
        }
        let first = rest.chars().next().map_or(1, char::len_utf8);
        let next = rest[first..].find('<').map_or(rest.len(), |i| i + first);
        let text = crate::render::hrefs::decode(&rest[..next]);
        for (i, part) in text.split('\n').enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(part);
        }
        rest = &rest[next..];
    }
    // No more than one empty line between blocks.
    let mut tidy = String::with_capacity(out.len());
    for line in out.lines().map(str::trim_end) {
        if line.is_empty() && (tidy.is_empty() || tidy.ends_with("\n\n")) {
            continue;
        }
        tidy.push_str(if line.starts_with("   ") {
            line
        } else {
            line.trim_start()
        });
        tidy.push('\n');
    }
    tidy
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let at = tag.find(&format!("{name}=\""))? + name.len() + 2;
    let end = tag[at..].find('"')? + at;
    Some(decode(&tag[at..end]))
}

/// Text and attribute values of the rendered HTML, their character references decoded
/// by the link scanner's decoder.
fn decode(text: &str) -> String {
    crate::render::hrefs::decode(text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = "<p>Die <strong>Kliniken</strong> &amp; <a href=\"https://example.org/x/\">Partner</a>.</p>\n<figure><img src=\"a.jpg\" alt=\"\"><figcaption>Foto</figcaption></figure>\n<h2 id=\"a\">Ziele</h2>\n<ul>\n<li>eins</li>\n<li>zwei</li>\n</ul>\n<blockquote>\n<p>Zitat</p>\n</blockquote>\n";

    #[test]
    fn the_body_becomes_markdown_with_absolute_links_and_without_figures() {
        assert_eq!(
            convert(BODY, Style::Markdown),
            "Die **Kliniken** & [Partner](https://example.org/x/).\n\n## Ziele\n\n- eins\n- zwei\n\n> Zitat\n\n"
        );
    }

    #[test]
    fn the_body_becomes_plain_text_with_each_link_written_out() {
        assert_eq!(
            convert(BODY, Style::Plain),
            "Die Kliniken & Partner (https://example.org/x/).\n\nZiele\n\n• eins\n• zwei\n\n    Zitat\n\n"
        );
    }
}
