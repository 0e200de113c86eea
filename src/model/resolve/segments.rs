//! `segments:` and `former_segments:` of `site.yaml`: each language's words of generated
//! addresses over the theme's defaults, checked where they are written.

use super::*;
use crate::model::segments::{FIXED_SEGMENTS, Segment, Segments, site_segments};

/// Per language, segment key → word, as written in `site.yaml`.
type Words = BTreeMap<String, BTreeMap<String, String>>;

impl Resolver<'_> {
    /// Each language's segments, and the former ones of languages that declare them.
    /// A refused word is reported at its place and the default is kept.
    pub(super) fn segments(
        &mut self,
        src: &SourceFile,
        c: &RawConfig,
        languages: &[String],
        theme: &crate::content::RawTheme,
    ) -> (BTreeMap<String, Segments>, BTreeMap<String, Segments>) {
        let theme_words: Words = theme
            .i18n
            .iter()
            .map(|(lang, i18n)| (lang.clone(), i18n.segments.clone()))
            .collect();
        let own = self.accepted_words(src, "segments", &c.segments, languages);
        let defaults = site_segments(languages, &theme_words, &Words::new());
        let mut segments = site_segments(languages, &theme_words, &own);
        for (lang, words) in &own {
            if let (Some(s), Some(default)) = (segments.get_mut(lang), defaults.get(lang)) {
                self.refuse_duplicates(src, lang, words, s, default);
            }
        }
        let former = self.accepted_words(src, "former_segments", &c.former_segments, languages);
        let former = former
            .iter()
            .filter_map(|(lang, words)| {
                let mut old = segments.get(lang)?.clone();
                for (key, word) in words {
                    if let Some(segment) = Segment::from_key(key) {
                        old.set(segment, word);
                    }
                }
                Some((lang.clone(), old))
            })
            .collect();
        (segments, former)
    }

    /// The words of `field` whose language, key and spelling are valid and not taken by
    /// a language or a fixed address; each other one is an error at its place.
    fn accepted_words(
        &mut self,
        src: &SourceFile,
        field: &str,
        words: &Words,
        languages: &[String],
    ) -> Words {
        let mut accepted = Words::new();
        for (lang, entries) in words {
            if !languages.contains(lang) {
                let at = src.locate(field, lang);
                let (msg, help) = unknown("language", lang, languages);
                self.error(src, Code::UnknownLanguage, at, msg, help);
                continue;
            }
            for (key, word) in entries {
                let at = src.locate_path(&[field, lang, key]);
                let Some(segment) = Segment::from_key(key) else {
                    let key_at = src.text[..at].rfind(key.as_str()).unwrap_or(at);
                    let (msg, help) = unknown("URL segment", key, Segment::ALL.map(Segment::key));
                    self.error(src, Code::UnknownSegment, key_at, msg, help);
                    continue;
                };
                if let Some((msg, help)) = refusal(segment, word, languages) {
                    self.error(src, Code::InvalidSegment, at, msg, Some(help));
                    continue;
                }
                accepted
                    .entry(lang.clone())
                    .or_default()
                    .insert(key.clone(), word.clone());
            }
        }
        accepted
    }

    /// Two segments of one language with the same word would share an address: a word
    /// `site.yaml` gives that an earlier segment of the language (or, when that one is
    /// `site.yaml`'s too, a later one) has is an error, and the segment keeps its default.
    fn refuse_duplicates(
        &mut self,
        src: &SourceFile,
        lang: &str,
        words: &BTreeMap<String, String>,
        segments: &mut Segments,
        default: &Segments,
    ) {
        let firsts: Vec<Segment> = Segment::ALL.into_iter().filter(|s| s.is_first()).collect();
        for (i, &a) in firsts.iter().enumerate() {
            for &b in &firsts[i + 1..] {
                if segments.get(a) != segments.get(b) {
                    continue;
                }
                let (blamed, other) = if words.contains_key(b.key()) {
                    (b, a)
                } else {
                    (a, b)
                };
                let word = segments.get(blamed).to_owned();
                let at = src.locate_path(&["segments", lang, blamed.key()]);
                self.error(
                    src,
                    Code::InvalidSegment,
                    at,
                    format!(
                        "the URL segment `{word}` is given twice in `{lang}`: for {} and for {}",
                        blamed.owner(),
                        other.owner()
                    ),
                    Some(format!(
                        "give `{}` and `{}` different words",
                        blamed.key(),
                        other.key()
                    )),
                );
                segments.set(blamed, default.get(blamed));
            }
        }
    }
}

/// Why `word` cannot be `segment`'s word, with help; `None` when it can.
fn refusal(segment: Segment, word: &str, languages: &[String]) -> Option<(String, String)> {
    let valid = crate::slug::is_valid_id(word) && !word.starts_with('-') && !word.ends_with('-');
    if !valid {
        let slug = crate::slug::slugify(word);
        return Some((
            format!("`{word}` is not a URL segment"),
            format!(
                "write it in lowercase letters, digits and `-`, e.g. `{}`",
                slug.trim_matches('-')
            ),
        ));
    }
    if !segment.is_first() {
        return None;
    }
    let owner = if languages.iter().any(|l| l == word) {
        Some(format!(
            "`/{word}/` holds the site's pages in that language"
        ))
    } else {
        FIXED_SEGMENTS
            .iter()
            .find(|(fixed, _)| *fixed == word && !(segment == Segment::Media && *fixed == "media"))
            .map(|(_, owner)| format!("`/{word}/` holds {owner}, the same in every language"))
    };
    owner.map(|owner| {
        (
            format!(
                "the URL segment `{word}` for {} is taken: {owner}",
                segment.owner()
            ),
            "choose another word".to_owned(),
        )
    })
}
