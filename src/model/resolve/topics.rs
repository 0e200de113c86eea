//! Topics: focus areas of partnerships and topics of releases, one per slug of the
//! default-language name, sorted by slug; translated names are positional.

use super::*;

/// Translated topic names, keyed by (item index, language).
#[derive(Default)]
pub(super) struct TopicTranslations {
    /// Partnerships' `focus`.
    pub focus: HashMap<(usize, String), Vec<String>>,
    /// Releases' `topics`.
    pub topics: HashMap<(usize, String), Vec<String>>,
}

impl Resolver<'_> {
    /// Checks every topic name of the partnerships' focus and the releases' topics.
    pub(super) fn check_topics(
        &mut self,
        partnerships: &[RawPartnershipFile],
        releases: &[Release],
        release_topics: &[Vec<String>],
    ) {
        let named: Vec<(&SourceFile, &'static str, &[String])> = partnerships
            .iter()
            .map(|(p, src)| (&**src, "focus", p.focus.as_slice()))
            .chain(
                releases
                    .iter()
                    .zip(release_topics)
                    .map(|(r, t)| (&*r.body.base.source, "topics", t.as_slice())),
            )
            .collect();
        self.check_topic_names(&named);
    }
}

/// Translated topic lists by item (partnership or release index): each topic looks up
/// only its own item's translations instead of scanning all of them.
type TranslationsByItem<'a> = HashMap<usize, Vec<(&'a String, &'a Vec<String>)>>;

fn translations_by_item(tr: &HashMap<(usize, String), Vec<String>>) -> TranslationsByItem<'_> {
    let mut by_item: TranslationsByItem = HashMap::new();
    for ((i, lang), list) in tr {
        by_item.entry(*i).or_default().push((lang, list));
    }
    by_item
}

/// Builds topics from focus areas and release topics (slug-keyed, sorted) and stores
/// each item's topic ids.
pub(super) fn assign(
    partnerships: &mut [Partnership],
    focus: Vec<Vec<String>>,
    releases: &mut [Release],
    release_topics: Vec<Vec<String>>,
    translated: &TopicTranslations,
) -> Vec<Topic> {
    let mut names: BTreeMap<String, Localized<String>> = BTreeMap::new();
    let (focus_tr, topics_tr) = (
        translations_by_item(&translated.focus),
        translations_by_item(&translated.topics),
    );
    let mut add = |name: &str, i: usize, k: usize, tr: &TranslationsByItem| {
        let slug = slugify(name);
        let entry = names
            .entry(slug.clone())
            .or_insert_with(|| Localized::new(name.to_owned()));
        for (lang, list) in tr.get(&i).into_iter().flatten() {
            entry
                .translations
                .entry((*lang).clone())
                .or_insert_with(|| list[k].clone());
        }
        slug
    };
    let focus_slugs: Vec<Vec<String>> = focus
        .iter()
        .enumerate()
        .map(|(i, list)| {
            list.iter()
                .enumerate()
                .map(|(k, n)| add(n, i, k, &focus_tr))
                .collect()
        })
        .collect();
    let release_slugs: Vec<Vec<String>> = release_topics
        .iter()
        .enumerate()
        .map(|(i, list)| {
            list.iter()
                .enumerate()
                .map(|(k, n)| add(n, i, k, &topics_tr))
                .collect()
        })
        .collect();
    let ids: HashMap<String, TopicId> = names
        .keys()
        .enumerate()
        .map(|(i, s)| (s.clone(), TopicId(i)))
        .collect();
    let mut topics: Vec<Topic> = names
        .into_iter()
        .map(|(slug, name)| Topic {
            slug,
            name,
            partnerships: Vec::new(),
            releases: Vec::new(),
        })
        .collect();
    for (i, (p, slugs)) in partnerships.iter_mut().zip(focus_slugs).enumerate() {
        p.focus = dedup(slugs.iter().map(|s| ids[s]));
        for t in &p.focus {
            topics[t.0].partnerships.push(PartnershipId(i));
        }
    }
    for (i, (r, slugs)) in releases.iter_mut().zip(release_slugs).enumerate() {
        r.topics = dedup(slugs.iter().map(|s| ids[s]));
        for t in &r.topics {
            topics[t.0].releases.push(ReleaseId(i));
        }
    }
    topics
}

fn dedup<T: PartialEq>(items: impl Iterator<Item = T>) -> Vec<T> {
    let mut out = Vec::new();
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}
