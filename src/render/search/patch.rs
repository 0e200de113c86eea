//! The search index after an edit of release texts (`render::patch`), in time
//! proportional to the edit: each edited release's entry is made from its text before
//! and after, and only the `terms` files of the words it gained or lost and the `docs`
//! file of its hit text are read back, changed and written again. The result is the
//! files a full [`super::files`] would make; where it cannot be (a word that would
//! open or empty a shard, which changes `index.json`), the caller makes them all.

use super::shards::{Postings, differences, file_name, shard_of, sums};
use super::{Doc, Entry, institution_entry, partnership_entry, release_entry};
use crate::model::Site;
use crate::render::BodyOf;
use crate::render::i18n::Language;
use crate::render::patch::Shown;
use crate::render::routes::Routes;
use crate::render::{OutputFile, RenderedSite};
use std::collections::{BTreeMap, BTreeSet};

/// One edited text in one language: before and after (rendered HTML), and a release's
/// title and summary before when they changed (the model has them after).
pub(crate) struct EditedText<'a> {
    pub of: BodyOf,
    pub lang: usize,
    pub before: &'a str,
    pub after: &'a str,
    pub shown_before: Option<&'a Shown>,
}

/// The index files that change with `edits`, made from the files in `rendered`;
/// `None` when the edit changes which shards exist (or the files are not as expected).
pub(crate) fn patched_files(
    site: &Site,
    routes: &Routes,
    languages: &[Language],
    rendered: &RenderedSite,
    edits: &[EditedText],
) -> Option<Vec<OutputFile>> {
    let mut changed: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for edit in edits {
        let l = languages.get(edit.lang)?.code.as_str();
        let Some((before, after, from_end)) = entries(site, routes, l, edit) else {
            continue;
        };
        let manifest: serde_json::Value = serde_json::from_slice(read(
            rendered,
            &changed,
            &Routes::file(&routes.search_index(l)),
        )?)
        .ok()?;
        let count = usize::try_from(manifest.get("count")?.as_u64()?).ok()?;
        let prefix = usize::try_from(manifest.get("prefix")?.as_u64()?).ok()?;
        let chunk = usize::try_from(manifest.get("chunk")?.as_u64()?)
            .ok()
            .filter(|&c| c > 0)?;
        let n = match from_end {
            Some(i) => count.checked_sub(site.releases.len())? + i,
            None => entry_number(site, edit.of)?,
        };
        let file = |name: &str| Routes::file(&routes.search_file(l, name));
        for shard in touched_shards(&before, &after, prefix) {
            let path = file(&format!("terms/{}.json", file_name(&shard)));
            let terms = read(rendered, &changed, &path)?;
            let terms = move_entry(terms, &before, &after, &shard, prefix, n)?;
            changed.insert(path, terms);
        }
        if before.doc != after.doc {
            let path = file(&format!("docs/{}.json", n / chunk));
            let mut docs: Vec<Doc> =
                serde_json::from_slice(read(rendered, &changed, &path)?).ok()?;
            *docs.get_mut(n % chunk)? = after.doc;
            changed.insert(path, serde_json::to_vec(&docs).ok()?);
        }
    }
    Some(
        changed
            .into_iter()
            .map(|(path, bytes)| OutputFile {
                path,
                contents: bytes.into(),
            })
            .collect(),
    )
}

/// The entry of an edited text before and after, and for a release its number among
/// the releases, which the index numbers after every undated entry; `None` for a text
/// the index has no entry of (a free page).
fn entries(
    site: &Site,
    routes: &Routes,
    l: &str,
    edit: &EditedText,
) -> Option<(Entry, Entry, Option<usize>)> {
    Some(match edit.of {
        BodyOf::Release(i) => (
            release_entry(site, routes, (l, i), edit.before, edit.shown_before),
            release_entry(site, routes, (l, i), edit.after, None),
            Some(i),
        ),
        BodyOf::Institution(i) => (
            institution_entry(site, routes, (l, i), edit.before),
            institution_entry(site, routes, (l, i), edit.after),
            None,
        ),
        BodyOf::Partnership(i) => (
            partnership_entry(site, routes, (l, i), edit.before),
            partnership_entry(site, routes, (l, i), edit.after),
            None,
        ),
        BodyOf::Page(_) => return None,
    })
}

/// The number of an undated entry (`super::undated`: institutions, then partnerships).
fn entry_number(site: &Site, of: BodyOf) -> Option<usize> {
    match of {
        BodyOf::Institution(i) => Some(i),
        BodyOf::Partnership(i) => Some(site.institutions.len() + i),
        BodyOf::Release(_) | BodyOf::Page(_) => None,
    }
}

/// A file as this patch left it, else as the site has it.
fn read<'a>(
    rendered: &'a RenderedSite,
    changed: &'a BTreeMap<String, Vec<u8>>,
    path: &str,
) -> Option<&'a [u8]> {
    if let Some(bytes) = changed.get(path) {
        return Some(bytes);
    }
    (rendered.files.iter())
        .find(|f| f.path == path)
        .map(|f| &f.contents[..])
}

/// The shards of the words the entry has in one list and not in the other.
fn touched_shards(before: &Entry, after: &Entry, prefix: usize) -> BTreeSet<String> {
    let lists = |e: &Entry| -> BTreeSet<(usize, String)> {
        let title = e.words.title.iter().map(|w| (0, w.clone()));
        title
            .chain(e.words.other.iter().map(|w| (1, w.clone())))
            .collect()
    };
    let (b, a) = (lists(before), lists(after));
    (b.symmetric_difference(&a))
        .map(|(_, w)| shard_of(w, prefix))
        .collect()
}

/// `terms` (a shard's file) with entry `n` moved from the words of `before` to those
/// of `after` that belong to `shard`; `None` when a word of the shard would be left
/// without entries in a way that empties the shard (its file and the manifest change).
fn move_entry(
    terms: &[u8],
    before: &Entry,
    after: &Entry,
    shard: &str,
    prefix: usize,
    n: usize,
) -> Option<Vec<u8>> {
    let n = u32::try_from(n).ok()?;
    let mut words: BTreeMap<String, Postings> = serde_json::from_slice(terms).ok()?;
    for postings in words.values_mut() {
        postings.iter_mut().for_each(|list| sums(list));
    }
    let in_shard = |w: &&String| shard_of(w, prefix) == shard;
    for (kind, list) in [(0, &before.words.title), (1, &before.words.other)] {
        for w in list.iter().filter(in_shard) {
            let postings = words.get_mut(w)?;
            postings[kind].retain(|&m| m != n);
            if postings.iter().all(Vec::is_empty) {
                words.remove(w);
            }
        }
    }
    for (kind, list) in [(0, &after.words.title), (1, &after.words.other)] {
        for w in list.iter().filter(in_shard) {
            let numbers = &mut words.entry(w.clone()).or_default()[kind];
            if let Err(at) = numbers.binary_search(&n) {
                numbers.insert(at, n);
            }
        }
    }
    if words.is_empty() {
        return None;
    }
    for postings in words.values_mut() {
        postings.iter_mut().for_each(|list| differences(list));
    }
    serde_json::to_vec(&words).ok()
}

#[cfg(test)]
mod tests {
    use super::super::{EntryWords, shards};
    use super::*;

    fn entry(n: usize, body: &str) -> Entry {
        let title = format!(
            "Kooperation {} Nummer {n}",
            ["Harz", "Dessau", "Stendal"][n % 3]
        );
        Entry {
            words: std::sync::Arc::new(EntryWords::new(&title, &["Klinikum"], body)),
            doc: Doc {
                k: "release".into(),
                t: title,
                u: format!("/news/{n}/"),
                d: None,
                x: body.to_owned(),
            },
        }
    }

    /// A site of `count` entries, entry 7 with `body`: its index files by name.
    fn index(count: usize, body: &str) -> BTreeMap<String, Vec<u8>> {
        let entries: Vec<Entry> = (0..count)
            .map(|n| {
                entry(
                    n,
                    if n == 7 {
                        body
                    } else {
                        "Pflege und Ausbildung"
                    },
                )
            })
            .collect();
        shards::files("de", &entries).into_iter().collect()
    }

    #[test]
    fn moving_an_entry_gives_the_files_a_full_index_makes() {
        for count in [50, 600] {
            let prefix = if count > 500 { 2 } else { 0 };
            let (old, new) = ("Pflege und Ausbildung", "Ausbildung der Notfallsanitäter");
            let before = index(count, old);
            let after = index(count, new);
            let (b, a) = (entry(7, old), entry(7, new));
            let touched = touched_shards(&b, &a, prefix);
            assert!(!touched.is_empty());
            for shard in &touched {
                let name = format!("terms/{}.json", file_name(shard));
                let Some(terms) = before.get(&name) else {
                    assert!(count > 500, "a new shard is refused, not made");
                    continue;
                };
                let moved = move_entry(terms, &b, &a, shard, prefix, 7);
                match after.get(&name) {
                    Some(expected) => assert_eq!(moved.as_ref(), Some(expected), "{name}"),
                    None => assert_eq!(moved, None, "{name} is emptied"),
                }
            }
            let changed = |name: &String| {
                touched
                    .iter()
                    .any(|s| *name == format!("terms/{}.json", file_name(s)))
            };
            for (name, bytes) in &after {
                if !changed(name) && !name.starts_with("docs/") && name != "index.json" {
                    assert_eq!(before.get(name), Some(bytes), "{name} is untouched");
                }
            }
        }
    }

    /// The spec site's index after `edit` (a text's new HTML, or a release's title),
    /// patched and made again: the patch gives every file that changed, as made again.
    #[test]
    fn patching_institutions_partnerships_and_release_titles_gives_a_full_index() {
        use crate::render::Bodies;
        use crate::render::pages::tests::{fixture_site, rendered_bodies};
        let site = fixture_site("spec-site");
        let (routes, languages, bodies) = rendered_bodies(&site);
        let full = |site: &Site, bodies: &Bodies| -> BTreeMap<String, Vec<u8>> {
            (super::super::files(site, &routes, &languages, (bodies, None))
                .0
                .into_iter())
            .map(|f| (f.path, f.contents.to_vec()))
            .collect()
        };
        let before = full(&site, &bodies);
        let rendered = RenderedSite {
            files: (before.iter())
                .map(|(path, bytes)| OutputFile {
                    path: path.clone(),
                    contents: bytes.clone().into(),
                })
                .collect(),
            ..RenderedSite::default()
        };
        let new_text = "<p>Kardiologie und Notfallsanitäter im Verbund</p>";
        for of in [
            BodyOf::Institution(1),
            BodyOf::Partnership(0),
            BodyOf::Release(1),
        ] {
            let mut after_bodies = bodies.clone();
            let mut after_site = site.clone();
            let shown: Vec<crate::render::patch::Shown> = (languages.iter())
                .map(|l| crate::render::patch::Shown {
                    title: site.releases[1].title.get(&l.code).clone(),
                    summary: site.releases[1].summary.get(&l.code).clone(),
                })
                .collect();
            match of {
                BodyOf::Release(i) => after_site.releases[i].title.base = "Notfallsanitäter".into(),
                BodyOf::Institution(i) => after_bodies.institutions[0][i] = new_text.into(),
                _ => after_bodies.partnerships[0][0] = new_text.into(),
            }
            let edits: Vec<EditedText> = (0..languages.len())
                .map(|lang| EditedText {
                    of,
                    lang,
                    before: bodies.get(lang, of),
                    after: after_bodies.get(lang, of),
                    shown_before: matches!(of, BodyOf::Release(_)).then_some(&shown[lang]),
                })
                .collect();
            let patched = patched_files(&after_site, &routes, &languages, &rendered, &edits)
                .expect("no shard opens or empties");
            let expected = full(&after_site, &after_bodies);
            let changed: Vec<&String> = (expected.iter())
                .filter(|(path, bytes)| before.get(*path) != Some(*bytes))
                .map(|(path, _)| path)
                .collect();
            assert!(!changed.is_empty(), "{of:?} changes the index");
            for path in changed {
                let file = patched.iter().find(|f| f.path == *path);
                let file = file.unwrap_or_else(|| panic!("{of:?}: {path} not patched"));
                assert_eq!(&file.contents[..], &expected[path][..], "{of:?}: {path}");
            }
        }
    }
}
