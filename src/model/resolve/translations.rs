//! Translations (`<id>.<lang>.md`): each overrides only the language-dependent fields
//! of its original; lists (people, facts, events, topics) must match the original's
//! length, since they are translated by position.

use super::*;

/// The translation files, by kind of original.
pub(super) struct RawTranslations {
    pub institutions: Vec<RawDoc<RawInstitutionTranslation>>,
    pub partnerships: Vec<RawDoc<RawPartnershipTranslation>>,
    pub releases: Vec<RawDoc<RawReleaseTranslation>>,
    pub pages: Vec<RawDoc<RawPageTranslation>>,
}

/// What translations apply to.
pub(super) struct Originals<'a> {
    pub institutions: &'a mut [Institution],
    pub partnerships: &'a mut [Partnership],
    pub raw_partnerships: &'a [RawPartnershipFile],
    pub releases: &'a mut [Release],
    pub release_topics: &'a [Vec<String>],
    pub pages: &'a mut [Page],
}

/// The site's languages as a translation sees them.
struct Languages<'a> {
    default: &'a str,
    /// Those a translation may be in.
    others: BTreeSet<&'a str>,
}

impl Resolver<'_> {
    /// Applies every translation to its original; returns the translated topic names
    /// (focus and release topics), which name topics once all are known.
    pub(super) fn translations(
        &mut self,
        raw: RawTranslations,
        to: Originals,
        index: &Index,
        config: &Config,
    ) -> TopicTranslations {
        let langs = Languages {
            default: &config.default_language,
            others: config
                .languages
                .iter()
                .skip(1)
                .map(String::as_str)
                .collect(),
        };
        let mut topics = TopicTranslations::default();
        for doc in raw.institutions {
            let target = self.translation_target(
                &doc,
                &index.institutions,
                &langs,
                ContentKind::Institution,
                |i| i.0,
            );
            if let Some((i, lang)) = target {
                self.translate_institution(&mut to.institutions[i], doc, lang);
            }
        }
        for doc in raw.partnerships {
            let target = self.translation_target(
                &doc,
                &index.partnerships,
                &langs,
                ContentKind::Partnership,
                |p| p.0,
            );
            if let Some((i, lang)) = target {
                let (raw_p, _) = &to.raw_partnerships[i];
                let p = &mut to.partnerships[i];
                if let Some(f) = self.translate_partnership(p, raw_p, doc, &lang) {
                    topics.focus.insert((i, lang), f);
                }
            }
        }
        for doc in raw.releases {
            if index.drafts.contains(&doc.id) {
                continue;
            }
            let target =
                self.translation_target(&doc, &index.releases, &langs, ContentKind::Release, |r| {
                    r.0
                });
            if let Some((i, lang)) = target {
                let count = to.release_topics[i].len();
                if let Some(t) = self.translate_release(&mut to.releases[i], count, doc, &lang) {
                    topics.topics.insert((i, lang), t);
                }
            }
        }
        self.translate_pages(raw.pages, to.pages, &langs);
        topics
    }

    fn translate_pages(
        &mut self,
        docs: Vec<RawDoc<RawPageTranslation>>,
        pages: &mut [Page],
        langs: &Languages,
    ) {
        let page_index: HashMap<String, usize> = pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.clone(), i))
            .collect();
        for mut doc in docs {
            let target =
                self.translation_target(&doc, &page_index, langs, ContentKind::Page, |p| *p);
            let Some((i, lang)) = target else { continue };
            let title = self.translated_text(&doc.source, "title", doc.front.title.take());
            let page = &mut pages[i];
            if let Some(t) = title {
                page.title.translations.insert(lang.clone(), t);
            }
            page.summary.translations.insert(
                lang.clone(),
                doc.front.summary.or_else(|| page.summary.base.clone()),
            );
            page.body
                .translations
                .insert(lang, Body { source: doc.source });
        }
    }

    /// Which original a translation belongs to, or a warning why it is ignored.
    fn translation_target<T, I: Copy>(
        &mut self,
        doc: &RawDoc<T>,
        ids: &HashMap<String, I>,
        langs: &Languages,
        kind: ContentKind,
        to_index: impl Fn(&I) -> usize,
    ) -> Option<(usize, String)> {
        let lang = doc.lang.clone()?;
        let src = &doc.source;
        if lang == langs.default {
            self.diags.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    src.path.clone(),
                    format!("a second file for `{}`: `{lang}` is the default language, so `{}.md` is already the `{lang}` version", doc.id, doc.id),
                )
                .with_help(format!("merge this file into `{}.md` and delete it", doc.id)),
            );
            return None;
        }
        if !langs.others.contains(lang.as_str()) {
            let list: Vec<&str> = langs.others.iter().copied().collect();
            self.diags.push(
                Diagnostic::warning(
                    Code::UnknownLanguage,
                    src.path.clone(),
                    format!("translation into `{lang}`, which the site does not publish; ignored"),
                )
                .with_help(if list.is_empty() {
                    "add the language under `languages.others` in site.yaml".to_owned()
                } else {
                    format!("the site's other languages: {}", list.join(", "))
                }),
            );
            return None;
        }
        match ids.get(&doc.id) {
            Some(i) => Some((to_index(i), lang)),
            None if self.is_invalid(kind, &doc.id) => None,
            None => {
                let kind = kind.noun();
                let (_, help) = unknown(kind, &doc.id, ids.keys());
                self.diags.push(
                    Diagnostic::warning(
                        Code::OrphanTranslation,
                        src.path.clone(),
                        format!(
                            "translation without an original: there is no {kind} `{}`",
                            doc.id
                        ),
                    )
                    .with_help(
                        help.unwrap_or_else(|| {
                            format!("create `{}.md` or rename this file", doc.id)
                        }),
                    ),
                );
                None
            }
        }
    }

    fn translate_institution(
        &mut self,
        inst: &mut Institution,
        mut doc: RawDoc<RawInstitutionTranslation>,
        lang: String,
    ) {
        if let Some(n) = self.translated_text(&doc.source, "name", doc.front.name.take()) {
            inst.name.translations.insert(lang.clone(), n);
        }
        let f = doc.front;
        inst.short_name.translations.insert(
            lang.clone(),
            f.short_name.or_else(|| inst.short_name.base.clone()),
        );
        for alias in f.aliases {
            if !inst.aliases.contains(&alias) {
                inst.aliases.push(alias);
            }
        }
        self.translate_facts(&mut inst.facts, f.facts, &doc.source, &lang);
        let original = inst.profile.base.source.path.clone();
        for (field, used, raw) in [
            ("image", &mut inst.image, f.image.as_ref()),
            ("logo", &mut inst.logo, f.logo.as_ref()),
        ] {
            self.translate_image(used, &doc.source, field, raw, (&original, &lang));
        }
        for (field, value) in [
            (&mut inst.boilerplate, f.boilerplate),
            (&mut inst.about_title, f.about_title),
            (&mut inst.city, f.city),
            (&mut inst.region, f.region),
        ] {
            if let Some(text) = value {
                field.translations.insert(lang.clone(), Some(text));
            }
        }
        if let Some(a) = &f.article {
            let article = self.one_of(&doc.source, "article", Some(a), Article::Das);
            inst.article
                .translations
                .insert(lang.clone(), Some(article));
        }
        if let Some(people) = f.people {
            if people.len() == inst.people.base.len() {
                let people = self.people(&doc.source, people);
                inst.people.translations.insert(lang.clone(), people);
            } else {
                let at = doc.source.locate_key("people");
                self.error(
                    &doc.source,
                    Code::TranslationMismatch,
                    at,
                    format!(
                        "the translation lists {} people, the original {}",
                        people.len(),
                        inst.people.base.len()
                    ),
                    Some("list the same people in the same order".into()),
                );
            }
        }
        inst.profile
            .translations
            .insert(lang, Body { source: doc.source });
    }

    /// Returns the translated focus names, applied to topics later.
    fn translate_partnership(
        &mut self,
        p: &mut Partnership,
        raw: &RawPartnership,
        mut doc: RawDoc<RawPartnershipTranslation>,
        lang: &str,
    ) -> Option<Vec<String>> {
        if let Some(t) = self.translated_text(&doc.source, "title", doc.front.title.take()) {
            p.title.translations.insert(lang.to_owned(), t);
        }
        let f = doc.front;
        p.summary.translations.insert(
            lang.to_owned(),
            f.summary.or_else(|| p.summary.base.clone()),
        );
        if let Some(events) = f.events {
            if events.len() == p.events.len() {
                for (m, e) in p.events.iter_mut().zip(events) {
                    m.title.translations.insert(lang.to_owned(), e.title);
                }
            } else {
                let at = doc.source.locate_key("events");
                self.error(
                    &doc.source,
                    Code::TranslationMismatch,
                    at,
                    format!(
                        "the translation lists {} events, the original {}",
                        events.len(),
                        p.events.len()
                    ),
                    Some("translate every event, in the same order".into()),
                );
            }
        }
        self.translate_facts(&mut p.facts, f.facts, &doc.source, lang);
        let original = p.body.base.source.path.clone();
        let image = f.image.as_ref();
        self.translate_image(&mut p.image, &doc.source, "image", image, (&original, lang));
        let focus = f.focus.and_then(|focus| {
            if focus.len() == raw.focus.len() {
                self.translated_topics(&doc.source, "focus", focus)
            } else {
                let at = doc.source.locate_key("focus");
                self.error(
                    &doc.source,
                    Code::TranslationMismatch,
                    at,
                    format!(
                        "the translation lists {} focus topics, the original {}",
                        focus.len(),
                        raw.focus.len()
                    ),
                    Some("translate every topic, in the same order".into()),
                );
                None
            }
        });
        p.body
            .translations
            .insert(lang.to_owned(), Body { source: doc.source });
        focus
    }

    fn translate_release(
        &mut self,
        r: &mut Release,
        topic_count: usize,
        mut doc: RawDoc<RawReleaseTranslation>,
        lang: &str,
    ) -> Option<Vec<String>> {
        if let Some(t) = self.translated_text(&doc.source, "title", doc.front.title.take()) {
            r.title.translations.insert(lang.to_owned(), t);
        }
        let f = doc.front;
        r.summary.translations.insert(
            lang.to_owned(),
            f.summary.or_else(|| r.summary.base.clone()),
        );
        if let Some(s) = &f.source {
            let s = self.release_source(&doc.source, s);
            r.source.translations.insert(lang.to_owned(), Some(s));
        }
        if let Some(place) = f.place {
            r.place.translations.insert(lang.to_owned(), Some(place));
        }
        let original = r.body.base.source.path.clone();
        let image = f.image.as_ref();
        self.translate_image(&mut r.image, &doc.source, "image", image, (&original, lang));
        let topics = f.topics.and_then(|t| {
            if t.len() == topic_count {
                self.translated_topics(&doc.source, "topics", t)
            } else {
                let at = doc.source.locate_key("topics");
                self.error(
                    &doc.source,
                    Code::TranslationMismatch,
                    at,
                    format!(
                        "the translation lists {} topics, the original {topic_count}",
                        t.len()
                    ),
                    Some("translate every topic, in the same order".into()),
                );
                None
            }
        });
        r.body
            .translations
            .insert(lang.to_owned(), Body { source: doc.source });
        topics
    }
}
