//! Images from `content/media/` in Markdown: each `![alt](@/media/x.jpg "caption")`
//! is read to its end (its alt text may hold emphasis or code) and handed to the
//! context's media renderer; a paragraph of nothing but such images becomes their
//! figures, an image in running text keeps its inline markup (a figure cannot stand
//! inside a paragraph).

use super::{BodyProblem, MarkdownContext, MediaImage, MediaMarkup, RenderedMarkdown};
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use std::collections::{HashMap, HashSet};
use std::ops::Range;

/// The media images of a body: the one being read (its alt text collected until the
/// image ends) and, once rendered, where each stands among the events.
#[derive(Default)]
pub(super) struct Figures {
    open: Option<OpenImage>,
    /// Event indices of the finished images' markers, in order.
    pub(super) at: Vec<usize>,
    /// Each finished image's markup, in the same order.
    markup: Vec<MediaMarkup>,
}

pub(super) struct OpenImage {
    path: String,
    title: String,
    alt: String,
    offset: usize,
}

pub(super) enum Captured<'a> {
    /// Part of a media image being read.
    Taken,
    /// A media image read to its end.
    Done(OpenImage),
    /// Anything else, unchanged.
    Not(Event<'a>),
}

impl Figures {
    /// Takes the events of a `@/media/…` image (when the context renders them).
    pub(super) fn capture<'a>(
        &mut self,
        event: Event<'a>,
        markdown: &str,
        range: &Range<usize>,
        ctx: &MarkdownContext,
    ) -> Captured<'a> {
        if let Some(open) = self.open.as_mut() {
            return match event {
                Event::End(TagEnd::Image) => {
                    self.open.take().map_or(Captured::Taken, Captured::Done)
                }
                Event::Text(t) | Event::Code(t) => {
                    open.alt.push_str(&t);
                    Captured::Taken
                }
                Event::SoftBreak | Event::HardBreak => {
                    open.alt.push(' ');
                    Captured::Taken
                }
                _ => Captured::Taken,
            };
        }
        match event {
            Event::Start(Tag::Image {
                ref dest_url,
                ref title,
                ..
            }) if ctx.media.is_some() && dest_url.starts_with("@/media/") => {
                self.open = Some(OpenImage {
                    path: percent_encoding::percent_decode_str(&dest_url["@/media/".len()..])
                        .decode_utf8_lossy()
                        .into_owned(),
                    title: title.to_string(),
                    alt: String::new(),
                    offset: super::destination_offset(markdown, range, dest_url),
                });
                Captured::Taken
            }
            other => Captured::Not(other),
        }
    }

    /// Renders a finished image; its marker event, or `None` (and a problem) when it
    /// cannot be shown.
    pub(super) fn finish(
        &mut self,
        image: OpenImage,
        ctx: &MarkdownContext,
        out: &mut RenderedMarkdown,
    ) -> Option<Event<'static>> {
        let render = ctx.media?;
        let written = MediaImage {
            path: &image.path,
            alt: image.alt.trim(),
            title: image.title.trim(),
        };
        match render(&written) {
            Ok(markup) => {
                let marker = Event::InlineHtml(CowStr::from(markup.inline.clone()));
                self.markup.push(markup);
                Some(marker)
            }
            Err(problem) => {
                out.broken_links.extend(problem.map(|p| BodyProblem {
                    offset: image.offset,
                    ..p
                }));
                None
            }
        }
    }

    /// A paragraph holding nothing but media images (and white space) becomes their
    /// figures; anywhere else an image keeps its inline markup.
    pub(super) fn place(self, events: Vec<Event<'_>>) -> Vec<Event<'_>> {
        if self.at.is_empty() {
            return events;
        }
        let block_at: HashMap<usize, usize> =
            self.at.iter().enumerate().map(|(i, &e)| (e, i)).collect();
        let is_blank = |e: &Event| match e {
            Event::Text(t) => t.trim().is_empty(),
            Event::SoftBreak | Event::HardBreak => true,
            _ => false,
        };
        let mut keep = vec![true; events.len()];
        let mut as_block = HashSet::new();
        let mut start = None;
        for (i, e) in events.iter().enumerate() {
            match e {
                Event::Start(Tag::Paragraph) => start = Some(i),
                Event::End(TagEnd::Paragraph) => {
                    if let Some(s) = start.take() {
                        let inner = s + 1..i;
                        let only_figures = inner.clone().any(|j| block_at.contains_key(&j))
                            && inner
                                .clone()
                                .all(|j| block_at.contains_key(&j) || is_blank(&events[j]));
                        if only_figures {
                            keep[s] = false;
                            keep[i] = false;
                            for j in inner {
                                keep[j] = block_at.contains_key(&j);
                                as_block.insert(j);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        let mut markup = self.markup;
        events
            .into_iter()
            .enumerate()
            .filter(|(i, _)| keep[*i])
            .map(|(i, e)| match block_at.get(&i) {
                Some(&f) if as_block.contains(&i) => {
                    Event::Html(CowStr::from(std::mem::take(&mut markup[f].block)))
                }
                _ => e,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Resolution, render};
    use super::*;

    #[test]
    fn media_images_alone_in_a_paragraph_become_figures_and_inline_ones_stay_inline() {
        let media = |img: &MediaImage| -> Result<MediaMarkup, Option<BodyProblem>> {
            match img.path {
                "x.jpg" => Ok(MediaMarkup {
                    block: format!("<figure>{}|{}</figure>", img.alt, img.title),
                    inline: format!("<picture>{}</picture>", img.alt),
                }),
                _ => Err(Some(BodyProblem {
                    code: crate::diagnostics::Code::BrokenLink,
                    offset: 0,
                    message: "no such photo".into(),
                    help: None,
                })),
            }
        };
        let ctx = MarkdownContext {
            resolve: &|_| Resolution::Missing,
            autolink: None,
            raw_html: false,
            original_heading_ids: None,
            media: Some(&media),
        };
        let md = "Text.\n\n![Zwei *Personen*](@/media/x.jpg \"Die Unterzeichnung\")\n\nSiehe ![klein](@/media/x.jpg) hier.\n\n![weg](@/media/y.jpg)\n";
        let r = render(md, &ctx);
        assert!(
            r.html
                .contains("<p>Text.</p>\n<figure>Zwei Personen|Die Unterzeichnung</figure>"),
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains("<p>Siehe <picture>klein</picture> hier.</p>"),
            "{}",
            r.html
        );
        assert_eq!(r.broken_links.len(), 1);
        assert_eq!(r.broken_links[0].offset, md.find("@/media/y.jpg").unwrap());
        assert!(!r.html.contains("weg"), "{}", r.html);
    }
}
