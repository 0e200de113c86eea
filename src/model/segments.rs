//! URL segments: the words generated pages live under (`news/`, `nachrichten/`), one
//! set per language. The theme's i18n files give each language's defaults, `site.yaml`'s
//! `segments:` overrides them; machine addresses (`api/`, feeds, media files) are not
//! words a reader reads and stay the same in every language, so links to them and
//! scripts that fetch them never break.

use std::collections::BTreeMap;

/// A reader-facing word of generated addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Segment {
    News,
    Partners,
    Partnerships,
    Topics,
    Timeline,
    Search,
    /// The media library page (`media/`); the files themselves stay under `media/`.
    Media,
    Press,
    /// Later pages of the news list: `news/page/2/`.
    Page,
    /// An institution's or partnership's fact sheet: `partners/<id>/factsheet/`.
    Factsheet,
}

impl Segment {
    pub(crate) const ALL: [Segment; 10] = [
        Segment::News,
        Segment::Partners,
        Segment::Partnerships,
        Segment::Topics,
        Segment::Timeline,
        Segment::Search,
        Segment::Media,
        Segment::Press,
        Segment::Page,
        Segment::Factsheet,
    ];

    /// The key in `site.yaml` and the i18n files, which is also the English word.
    pub(crate) fn key(self) -> &'static str {
        match self {
            Segment::News => "news",
            Segment::Partners => "partners",
            Segment::Partnerships => "partnerships",
            Segment::Topics => "topics",
            Segment::Timeline => "timeline",
            Segment::Search => "search",
            Segment::Media => "media",
            Segment::Press => "press",
            Segment::Page => "page",
            Segment::Factsheet => "factsheet",
        }
    }

    pub(crate) fn from_key(key: &str) -> Option<Segment> {
        Segment::ALL.into_iter().find(|s| s.key() == key)
    }

    /// Whether the word starts an address (`/news/…`), so that a free page's id may
    /// not take it; `page` and `factsheet` only follow another segment.
    pub(crate) fn is_first(self) -> bool {
        !matches!(self, Segment::Page | Segment::Factsheet)
    }

    /// What the pages under the word are, for messages.
    pub(crate) fn owner(self) -> &'static str {
        match self {
            Segment::News => "the news list and the releases",
            Segment::Partners => "the partner pages",
            Segment::Partnerships => "the partnership pages",
            Segment::Topics => "the topic pages",
            Segment::Timeline => "the timeline",
            Segment::Search => "the search page",
            Segment::Media => "the media library",
            Segment::Press => "the press contacts page",
            Segment::Page => "the later pages of the news list",
            Segment::Factsheet => "the fact sheets",
        }
    }
}

/// First segments that are the same in every language: machine addresses and the
/// theme's files.
pub(crate) const FIXED_SEGMENTS: [(&str, &str); 5] = [
    ("api", "the open data"),
    ("media", "the media library and the published photos"),
    ("static", "the theme's static files"),
    ("css", "the theme's stylesheets"),
    ("404", "the page for unknown addresses"),
];

/// One language's words, every segment present.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Segments([String; Segment::ALL.len()]);

impl Default for Segments {
    /// The English words, which are the keys.
    fn default() -> Self {
        Segments(Segment::ALL.map(|s| s.key().to_owned()))
    }
}

impl Segments {
    pub(crate) fn get(&self, segment: Segment) -> &str {
        &self.0[segment as usize]
    }

    pub(crate) fn set(&mut self, segment: Segment, word: &str) {
        word.clone_into(&mut self.0[segment as usize]);
    }

    /// The English words overlaid with `words` (keys that are no segment are skipped:
    /// the resolver reports them).
    pub(crate) fn from_words<'a>(
        words: impl IntoIterator<Item = (&'a String, &'a String)>,
    ) -> Segments {
        let mut segments = Segments::default();
        for (key, word) in words {
            if let Some(segment) = Segment::from_key(key) {
                segments.set(segment, word);
            }
        }
        segments
    }

    /// The segment a first path segment `word` belongs to, if any.
    pub(crate) fn first_owner(&self, word: &str) -> Option<Segment> {
        Segment::ALL
            .into_iter()
            .find(|&s| s.is_first() && self.get(s) == word)
    }
}

/// What owns `/<id>/` in some language when a generated page does: a free page with
/// that id (it exists in every language) would collide with it.
pub(crate) fn reserved_page<'a>(
    id: &str,
    languages: impl IntoIterator<Item = &'a Segments>,
) -> Option<&'static str> {
    if let Some((_, owner)) = FIXED_SEGMENTS.iter().find(|(word, _)| *word == id) {
        return Some(owner);
    }
    languages
        .into_iter()
        .find_map(|s| s.first_owner(id))
        .map(Segment::owner)
}

/// Each language's segments: English, overlaid by the theme's i18n file's
/// `segments:`, overlaid by `site.yaml`'s (already checked).
pub(crate) fn site_segments(
    languages: &[String],
    theme: &BTreeMap<String, BTreeMap<String, String>>,
    site: &BTreeMap<String, BTreeMap<String, String>>,
) -> BTreeMap<String, Segments> {
    languages
        .iter()
        .map(|lang| {
            let words = theme.get(lang).into_iter().chain(site.get(lang)).flatten();
            (lang.clone(), Segments::from_words(words))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_words_are_the_keys_and_overrides_replace_them() {
        let s = Segments::default();
        assert_eq!(s.get(Segment::News), "news");
        let de: BTreeMap<String, String> = [("news".to_owned(), "nachrichten".to_owned())].into();
        let s = Segments::from_words(&de);
        assert_eq!(s.get(Segment::News), "nachrichten");
        assert_eq!(s.get(Segment::Partners), "partners");
        assert_eq!(
            reserved_page("nachrichten", [&s]),
            Some("the news list and the releases")
        );
        assert_eq!(reserved_page("news", [&s]), None);
        assert_eq!(reserved_page("api", [&s]), Some("the open data"));
        assert_eq!(reserved_page("page", [&s]), None);
    }
}
