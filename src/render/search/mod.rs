//! The search index, per language under the search page's folder (`search/`,
//! `en/search/`), in parts so that a query downloads only what it needs (`search.js`;
//! the layout is in [`shards`]). Pure.
//!
//! Each entry (release, institution, partnership, topic, the press page) has a number:
//! the entries without a date first (institutions, partnerships, topics, the press
//! page, in site order), then the releases, newest first. The client ranks hits by
//! how many query words start a word of the title, then by that number, which is the
//! order "pages without a date, then newer releases" without a date to compare.
//! An entry's words: the folded ([`fold`]) words of its title, its short text, partner,
//! partnership and topic names, and the first [`BODY_WORDS`] words of its body.

mod patch;
mod shards;

pub(super) use patch::{EditedText, patched_files};

use super::i18n::Language;
use super::routes::Routes;
use super::{Bodies, OutputFile};
use crate::model::Site;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// Characters of the short text shown with a hit.
const TEXT_CHARS: usize = 160;
/// Words of a body that go into its terms, so 10,000 releases stay a few MB.
const BODY_WORDS: usize = 60;

/// What a hit shows: kind, title, URL path (with the base path), date (releases
/// only) and a short plain text (the summary, or the start of the body). Read back
/// when an edit patches the index (`patch.rs`).
#[derive(Serialize, Deserialize, PartialEq)]
struct Doc {
    k: Cow<'static, str>,
    t: String,
    u: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    d: Option<String>,
    x: String,
}

/// An entry: what it shows and the words it is found by.
struct Entry {
    doc: Doc,
    words: Arc<EntryWords>,
}

/// The short texts and words of the last index's release entries, for a rebuild to
/// reuse: reading a body's first words and folding them was a tenth of a full
/// rebuild's CPU at 10,000 releases, and most rebuilds change one release.
#[derive(Default)]
pub(crate) struct SearchCache {
    /// By the address of the body's HTML (which the entry holds, so the address is
    /// not reused) and a hash of the entry's other inputs in its language.
    releases: rustc_hash::FxHashMap<CacheKey, CachedEntry>,
}

/// The address of a body's HTML and the hash of an entry's other inputs.
type CacheKey = (usize, u64);

impl std::fmt::Debug for SearchCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SearchCache({} release entries)", self.releases.len())
    }
}

/// What an entry made of `body` read from it.
struct CachedEntry {
    body: Arc<str>,
    text: String,
    words: Arc<EntryWords>,
}

/// The index's parts for every language, and with `cache` (a run that keeps one) the
/// cache for the next run.
pub(super) fn files(
    site: &Site,
    routes: &Routes,
    languages: &[Language],
    (bodies, cache): (&Bodies, Option<&SearchCache>),
) -> (Vec<OutputFile>, Option<SearchCache>) {
    let mut next = cache.map(|_| SearchCache::default());
    let files = languages
        .iter()
        .enumerate()
        .flat_map(|(li, lang)| {
            let l = lang.code.as_str();
            let mut entries = undated(site, routes, l, li, bodies);
            entries.extend(press_entry(site, routes, lang));
            let (found, kept) = releases(site, routes, (l, li), bodies, cache);
            entries.extend(found);
            if let Some(next) = &mut next {
                next.releases.extend(kept);
            }
            shards::files(l, &entries)
                .into_iter()
                .map(|(name, bytes)| OutputFile {
                    path: Routes::file(&routes.search_file(l, &name)),
                    contents: bytes::Bytes::from(bytes),
                })
                .collect::<Vec<_>>()
        })
        .collect();
    (files, next)
}

/// Whether a body's entry reads the same words from both renderings: the index reads
/// only the first words of a text, so an edit further down leaves it as it was.
pub(super) fn same_words(before: &str, after: &str) -> bool {
    plain_text(before, BODY_WORDS * 2) == plain_text(after, BODY_WORDS * 2)
}

/// The release entries in language `l`, each with what `cache` keeps of it (when
/// the run keeps a cache).
fn releases(
    site: &Site,
    routes: &Routes,
    (l, li): (&str, usize),
    bodies: &Bodies,
    cache: Option<&SearchCache>,
) -> (Vec<Entry>, Vec<(CacheKey, CachedEntry)>) {
    let (entries, kept): (Vec<_>, Vec<_>) = (0..site.releases.len())
        .into_par_iter()
        .map(|i| {
            let body = &bodies.releases[li][i];
            let Some(cache) = cache else {
                return (release_entry(site, routes, (l, i), body, None), None);
            };
            let inputs = ReleaseInputs::of(site, (l, i), None);
            let key = (Arc::as_ptr(body).cast::<u8>() as usize, inputs.hash());
            let (text, words) = match cache.releases.get(&key) {
                Some(c) if Arc::ptr_eq(&c.body, body) => (c.text.clone(), c.words.clone()),
                _ => inputs.read(body),
            };
            let kept = CachedEntry {
                body: body.clone(),
                text: text.clone(),
                words: words.clone(),
            };
            (
                inputs.entry(site, routes, (l, i), (text, words)),
                Some((key, kept)),
            )
        })
        .unzip();
    (entries, kept.into_iter().flatten().collect())
}

/// The entry of release `i` in language `l`, whose body renders to `body_html`, with
/// its title and summary as `shown` when given (as they were before an edit), else
/// as the model has them.
fn release_entry(
    site: &Site,
    routes: &Routes,
    (l, i): (&str, usize),
    body_html: &str,
    shown: Option<&crate::render::patch::Shown>,
) -> Entry {
    let inputs = ReleaseInputs::of(site, (l, i), shown);
    let read = inputs.read(body_html);
    inputs.entry(site, routes, (l, i), read)
}

/// What a release's entry reads besides its body: title, summary, and the names of its
/// partners, topics and partnership.
struct ReleaseInputs<'a> {
    title: &'a str,
    summary: Option<&'a str>,
    extra: Vec<&'a str>,
}

impl<'a> ReleaseInputs<'a> {
    fn of(
        site: &'a Site,
        (l, i): (&str, usize),
        shown: Option<&'a crate::render::patch::Shown>,
    ) -> Self {
        let inst_name = |i: crate::model::InstitutionId| site.institutions[i.0].name.get(l);
        let topic_name = |t: crate::model::TopicId| site.topics[t.0].name.get(l);
        let r = &site.releases[i];
        let (title, summary) = match shown {
            Some(shown) => (&shown.title, &shown.summary),
            None => (r.title.get(l), r.summary.get(l)),
        };
        let mut extra: Vec<&str> = r.partners.iter().map(|&p| inst_name(p).as_str()).collect();
        extra.extend(r.topics.iter().map(|&t| topic_name(t).as_str()));
        extra.extend(
            r.partnership
                .map(|p| site.partnerships[p.0].title.get(l).as_str()),
        );
        Self {
            title,
            summary: summary.as_deref(),
            extra,
        }
    }

    fn hash(&self) -> u64 {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (self.title, self.summary, &self.extra).hash(&mut h);
        h.finish()
    }

    /// The short text and the words, from the body's first words (all the short text,
    /// 160 characters, and the terms need).
    fn read(&self, body_html: &str) -> (String, Arc<EntryWords>) {
        let body = plain_text(body_html, BODY_WORDS * 2);
        let text = short_text(self.summary, &body);
        let words = EntryWords::new(self.title, &[&text, &self.extra.join(" ")], &body);
        (text, Arc::new(words))
    }

    fn entry(
        &self,
        site: &Site,
        routes: &Routes,
        (l, i): (&str, usize),
        (text, words): (String, Arc<EntryWords>),
    ) -> Entry {
        let r = &site.releases[i];
        Entry {
            words,
            doc: Doc {
                k: Cow::Borrowed("release"),
                t: self.title.to_owned(),
                u: routes.path(&routes.release(l, &r.slug)),
                d: Some(r.date.to_string()),
                x: text,
            },
        }
    }
}

fn undated(site: &Site, routes: &Routes, l: &str, li: usize, bodies: &Bodies) -> Vec<Entry> {
    let mut out = Vec::new();
    for i in 0..site.institutions.len() {
        out.push(institution_entry(
            site,
            routes,
            (l, i),
            &bodies.institutions[li][i],
        ));
    }
    for i in 0..site.partnerships.len() {
        out.push(partnership_entry(
            site,
            routes,
            (l, i),
            &bodies.partnerships[li][i],
        ));
    }
    for t in &site.topics {
        let url = routes.path(&routes.topic(l, &t.slug));
        out.push(undated_entry(
            "topic",
            t.name.get(l).clone(),
            (String::new(), Vec::new()),
            "",
            url,
        ));
    }
    out
}

/// An entry without a date: kind, title, short text and other words, body, URL.
fn undated_entry(
    k: &'static str,
    title: String,
    (text, extra): (String, Vec<&str>),
    body: &str,
    u: String,
) -> Entry {
    Entry {
        words: Arc::new(EntryWords::new(&title, &[&text, &extra.join(" ")], body)),
        doc: Doc {
            k: Cow::Borrowed(k),
            t: title,
            u,
            d: None,
            x: text,
        },
    }
}

/// The entry of institution `i` in language `l`, whose profile renders to `body_html`.
fn institution_entry(
    site: &Site,
    routes: &Routes,
    (l, i): (&str, usize),
    body_html: &str,
) -> Entry {
    let inst = &site.institutions[i];
    let body = plain_text(body_html, BODY_WORDS * 2);
    let text = short_text(None, &body);
    let mut extra: Vec<&str> = inst.aliases.iter().map(String::as_str).collect();
    extra.extend(inst.short_name.get(l).as_deref());
    extra.extend(inst.city.get(l).as_deref());
    let url = routes.path(&routes.partner(l, &inst.id));
    undated_entry(
        "institution",
        inst.name.get(l).clone(),
        (text, extra),
        &body,
        url,
    )
}

/// The entry of partnership `i` in language `l`, whose text renders to `body_html`.
fn partnership_entry(
    site: &Site,
    routes: &Routes,
    (l, i): (&str, usize),
    body_html: &str,
) -> Entry {
    let inst_name = |i: crate::model::InstitutionId| site.institutions[i.0].name.get(l).as_str();
    let topic_name = |t: crate::model::TopicId| site.topics[t.0].name.get(l).as_str();
    let p = &site.partnerships[i];
    let body = plain_text(body_html, BODY_WORDS * 2);
    let text = short_text(p.summary.get(l).as_deref(), &body);
    let mut extra: Vec<&str> = p.partners.iter().map(|&x| inst_name(x)).collect();
    extra.extend(p.focus.iter().map(|&t| topic_name(t)));
    let url = routes.path(&routes.partnership(l, &p.id));
    undated_entry(
        "partnership",
        p.title.get(l).clone(),
        (text, extra),
        &body,
        url,
    )
}

/// The press contacts page, found by the names, roles and institutions it lists.
fn press_entry(site: &Site, routes: &Routes, lang: &Language) -> Option<Entry> {
    let l = lang.code.as_str();
    if !crate::render::pages::has_press_page(site) {
        return None;
    }
    let mut names: Vec<String> = site
        .config
        .press_office
        .iter()
        .map(|p| p.name.clone())
        .collect();
    for (institution, index) in crate::render::vcard::media_contacts(site) {
        let inst = &site.institutions[institution];
        let person = inst.person_in(l, index);
        names.push(person.name);
        names.extend(person.role);
        names.push(inst.name.get(l).clone());
    }
    let title = lang.t("title.press");
    Some(Entry {
        words: Arc::new(EntryWords::new(&title, &[&names.join(" ")], "")),
        doc: Doc {
            k: Cow::Borrowed("press"),
            t: title,
            u: routes.path(&routes.press(l)),
            d: None,
            x: String::new(),
        },
    })
}

/// Lowercase, German umlauts transliterated (`ä` → `ae`, `ß` → `ss`), other accents
/// dropped, so `Gefäßchirurgie`, `Gefässchirurgie` and `gefaess` meet. `search.js`
/// folds queries the same way.
pub(super) fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        // Most characters are ASCII; the Unicode tables are only for the rest.
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            c.to_lowercase().for_each(|c| push_folded(&mut out, c));
        }
    }
    out
}

/// Pushes lowercase `c` with its umlaut transliterated or its accent dropped (the same
/// letters as slugs, `slug::strip_accent`).
fn push_folded(out: &mut String, c: char) {
    let s = match c {
        'ä' => "ae",
        'ö' => "oe",
        'ü' => "ue",
        'ß' => "ss",
        _ => match crate::slug::strip_accent(c) {
            Some(s) => s,
            None => {
                out.push(c);
                return;
            }
        },
    };
    out.push_str(s);
}

/// The folded words an entry is found by: those of its title, and the others (a word
/// of the title is not repeated there). Words of one letter are left out (a query
/// needs two), and so is a word that starts another word of the same list, or of the
/// title for the others: a prefix search finds the entry through the longer word.
#[derive(Debug, PartialEq, Eq)]
struct EntryWords {
    title: Vec<String>,
    other: Vec<String>,
}

impl EntryWords {
    fn new(title: &str, texts: &[&str], body: &str) -> Self {
        let title = fold(title);
        let texts = fold(&texts.join(" "));
        let body = fold(body);
        let long = |w: &&str| w.chars().nth(1).is_some();
        let mut title_words: Vec<&str> = words(&title).filter(long).collect();
        title_words.sort_unstable();
        title_words.dedup();
        let mut all = title_words.clone();
        all.extend(words(&texts).filter(long));
        all.extend(words(&body).take(BODY_WORDS).filter(long));
        all.sort_unstable();
        all.dedup();
        let other = all
            .iter()
            .enumerate()
            .filter(|&(i, w)| !starts_next(&all, i) && title_words.binary_search(w).is_err())
            .map(|(_, w)| (*w).to_owned())
            .collect();
        let title = (0..title_words.len())
            .filter(|&i| !starts_next(&title_words, i))
            .map(|i| title_words[i].to_owned())
            .collect();
        EntryWords { title, other }
    }
}

/// Whether the word at `i` of sorted, distinct `words` starts another one (which
/// then follows it directly).
fn starts_next(words: &[&str], i: usize) -> bool {
    words
        .get(i + 1)
        .is_some_and(|next| next.starts_with(words[i]))
}

/// The runs of letters and digits of folded text.
fn words(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// The summary, or the start of the body cut at a word boundary.
fn short_text(summary: Option<&str>, body: &str) -> String {
    if let Some(s) = summary.filter(|s| !s.trim().is_empty()) {
        return s.trim().to_owned();
    }
    if body.chars().count() <= TEXT_CHARS {
        return body.to_owned();
    }
    let cut: String = body.chars().take(TEXT_CHARS).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > TEXT_CHARS / 2 => &cut[..i],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', ' ']))
}

/// Rendered HTML → plain text, up to `max_words` words: tags dropped (block ends
/// become spaces), the entities pulldown-cmark writes decoded, whitespace collapsed.
/// One pass that stops early, since the index needs only the start of a body; figures
/// (body images) are left out.
pub(super) fn plain_text(html: &str, max_words: usize) -> String {
    const ENTITIES: [(&str, char); 5] = [
        ("&lt;", '<'),
        ("&gt;", '>'),
        ("&quot;", '"'),
        ("&#39;", '\''),
        ("&amp;", '&'),
    ];
    let mut out = String::with_capacity(html.len().min(max_words * 12));
    let mut words = 0;
    let mut space = false;
    let mut in_tag = false;
    let mut rest = html;
    while let Some(c) = rest.chars().next() {
        let mut len = c.len_utf8();
        let text = match c {
            // A figure's caption, credit and download label are not the text's words.
            '<' if rest.starts_with("<figure") => {
                len = rest
                    .find("</figure>")
                    .map_or(rest.len(), |end| end + "</figure>".len());
                None
            }
            '<' => {
                in_tag = true;
                None
            }
            '>' if in_tag => {
                in_tag = false;
                None
            }
            _ if in_tag => None,
            '&' => match ENTITIES.iter().find(|(e, _)| rest.starts_with(e)) {
                Some((e, decoded)) => {
                    len = e.len();
                    Some(*decoded)
                }
                None => Some('&'),
            },
            c => Some(c),
        };
        rest = &rest[len..];
        match text {
            None => space = true,
            Some(c) if c.is_whitespace() => space = true,
            Some(c) => {
                // Inline tags split words from their punctuation: `<em>x</em>.` → `x.`
                let joins = matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | ')');
                if space && !out.is_empty() && !joins && !out.ends_with('(') {
                    words += 1;
                    if words >= max_words {
                        break;
                    }
                    out.push(' ');
                }
                space = false;
                out.push(c);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    /// A rebuild's index made with the last run's cache equals one made without: an
    /// entry whose body or other inputs changed is read again, the others are reused.
    #[test]
    fn an_index_made_with_the_last_run_s_cache_equals_one_made_without() {
        use crate::render::pages::tests::{fixture_site, rendered_bodies};
        let site = fixture_site("spec-site");
        let (routes, languages, bodies) = rendered_bodies(&site);
        let index = |site: &Site, bodies: &Bodies, cache: Option<&SearchCache>| {
            let (files, next) = files(site, &routes, &languages, (bodies, cache));
            let files: Vec<(String, Vec<u8>)> = (files.into_iter())
                .map(|f| (f.path, f.contents.to_vec()))
                .collect();
            (files, next)
        };
        let (clean, none) = index(&site, &bodies, None);
        assert!(none.is_none(), "a run without a cache keeps none");
        let (first, cache) = index(&site, &bodies, Some(&SearchCache::default()));
        assert_eq!(first, clean);
        let cache = cache.expect("a cache for the next run");
        assert_eq!(
            cache.releases.len(),
            site.releases.len() * languages.len(),
            "one entry per release and language"
        );

        let mut edited = site.clone();
        edited.releases[0].title.base = "Kardiologie im Verbund".into();
        let mut edited_bodies = bodies.clone();
        edited_bodies.releases[0][1] = Arc::from("<p>Notfallsanitäter üben gemeinsam</p>");
        let (with_cache, _) = index(&edited, &edited_bodies, Some(&cache));
        let (without, _) = index(&edited, &edited_bodies, None);
        assert_ne!(without, clean, "the edits change the index");
        assert_eq!(with_cache, without);
    }

    #[test]
    fn folds_german_and_accents() {
        assert_eq!(fold("Gefäßchirurgie"), "gefaesschirurgie");
        assert_eq!(fold("Gefässchirurgie"), "gefaesschirurgie");
        assert_eq!(fold("ÖSTERREICH Über"), "oesterreich ueber");
        assert_eq!(fold("Café Señor"), "cafe senor");
    }

    fn tokens(text: &str) -> Vec<String> {
        words(&fold(text)).map(str::to_owned).collect()
    }

    #[test]
    fn tokens_split_on_punctuation() {
        assert_eq!(
            tokens("Herz-Zentrum: Ärzte (2024), Köln!"),
            ["herz", "zentrum", "aerzte", "2024", "koeln"]
        );
        assert!(tokens(" – … ").is_empty());
    }

    #[test]
    fn an_entry_is_found_by_its_longest_words_with_the_title_apart() {
        let w = EntryWords::new("Herz Herzzentrum", &["herz Köln a"], "Köln Bonn");
        assert_eq!(w.title, ["herzzentrum"]);
        assert_eq!(w.other, ["bonn", "koeln"]);
        let w = EntryWords::new("Bonn", &["Bonner Köln"], "");
        assert_eq!(
            (w.title, w.other),
            (
                vec!["bonn".into()],
                vec!["bonner".to_owned(), "koeln".into()]
            )
        );
        let many = (0..500)
            .map(|i| format!("w{i}x"))
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(EntryWords::new("", &[], &many).other.len(), BODY_WORDS);
    }

    #[test]
    fn plain_text_drops_tags_and_decodes() {
        assert_eq!(
            plain_text(
                "<h2 id=\"a\">Titel</h2>\n<p>A &amp; <em>B</em>, &lt;c&gt;. (<em>d</em>) &amp</p>",
                100
            ),
            "Titel A & B, <c>. (d) &amp"
        );
        assert_eq!(
            plain_text("<p>eins zwei</p><p>drei vier</p>", 3),
            "eins zwei drei"
        );
        assert_eq!(
            plain_text(
                "<p>vor</p><figure class=\"photo\"><figcaption>Foto: X <a>Original herunterladen</a></figcaption></figure><p>nach</p>",
                10
            ),
            "vor nach"
        );
    }

    #[test]
    fn short_text_prefers_the_summary_and_cuts_at_a_word() {
        assert_eq!(short_text(Some(" Kurz "), "lang"), "Kurz");
        let long = "wort ".repeat(100);
        let s = short_text(None, long.trim());
        assert!(
            s.ends_with("wort…") && s.chars().count() <= TEXT_CHARS + 1,
            "{s}"
        );
    }
}
