//! Heading ids: unique slugs of the heading text (or the `{#id}` given, or the
//! original's id by position in a translation), given in linear time.

use super::OPTIONS;
use crate::slug::slugify;
use pulldown_cmark::{CowStr, Event, Parser, Tag, TagEnd};
use std::collections::{HashMap, HashSet};

/// A heading whose events are held back until its text (and so its id) is known.
pub(super) struct OpenHeading<'a> {
    pub(super) level: pulldown_cmark::HeadingLevel,
    pub(super) id: Option<CowStr<'a>>,
    pub(super) classes: Vec<CowStr<'a>>,
    pub(super) attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
    pub(super) inner: Vec<Event<'a>>,
}

pub(super) fn count_headings(markdown: &str) -> usize {
    Parser::new_ext(markdown, OPTIONS)
        .filter(|e| matches!(e, Event::Start(Tag::Heading { .. })))
        .count()
}

/// The ids given so far on a page, and for each base the next suffix to try, so a page
/// of many equal headings costs linear time (a scan of the list per candidate was cubic).
#[derive(Default)]
pub(super) struct HeadingIds {
    pub(super) order: Vec<String>,
    pub(super) taken: HashSet<String>,
    next_suffix: HashMap<String, usize>,
}

impl HeadingIds {
    /// `base` if it is free, else the first free `base-N`: the suffixes below the one
    /// remembered for `base` were taken, and ids are never given back.
    pub(super) fn claim(&mut self, base: String) -> String {
        let id = if self.taken.contains(&base) {
            let n = self.next_suffix.entry(base.clone()).or_insert(1);
            while self.taken.contains(&format!("{base}-{n}")) {
                *n += 1;
            }
            *n += 1;
            format!("{base}-{}", *n - 1)
        } else {
            base
        };
        self.taken.insert(id.clone());
        self.order.push(id.clone());
        id
    }
}

pub(super) fn close_heading<'a>(
    h: OpenHeading<'a>,
    inherited: Option<&[String]>,
    ids: &mut HeadingIds,
    events: &mut Vec<Event<'a>>,
) {
    let base = match (h.id, inherited.and_then(|i| i.get(ids.order.len()))) {
        (Some(id), _) => id.to_string(),
        (None, Some(id)) if !ids.taken.contains(id) => id.clone(),
        (None, _) => {
            let text: String = h
                .inner
                .iter()
                .filter_map(|e| match e {
                    Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                    _ => None,
                })
                .collect();
            slugify(&text)
        }
    };
    let id = ids.claim(base);
    events.push(Event::Start(Tag::Heading {
        level: h.level,
        id: Some(CowStr::from(id)),
        classes: h.classes,
        attrs: h.attrs,
    }));
    events.extend(h.inner);
    events.push(Event::End(TagEnd::Heading(h.level)));
}
