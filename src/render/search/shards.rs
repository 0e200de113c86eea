//! The search index's files, so that a query downloads kilobytes however large the
//! site (like Pagefind's fragments):
//!
//! - `index.json`: `{"lang", "count", "chunk", "prefix", "shards": [...]}`, the number
//!   of entries, how many entries a `docs` file holds, how many first letters name a
//!   shard, and the shards that exist;
//! - `terms/<shard>.json`: every word that starts with the shard's letters, with the
//!   numbers of the entries whose title has it and of those that have it elsewhere:
//!   `{"word": [[title…], [other…]]}`, each list ascending and written as differences
//!   (small numbers, which compress well);
//! - `docs/<n>.json`: what hits `n·chunk` to `(n+1)·chunk − 1` show.
//!
//! A query word needs one shard (a word shorter than `prefix` letters, every shard that
//! starts with it); a page of hits needs the `docs` files of its entries. A small site
//! has one shard (`prefix` 0): fewer files for the same download.

use super::Entry;
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;

/// Entries per `docs` file: a page of hits usually needs a few of these files.
const CHUNK: usize = 20;
/// How many first letters name a shard, by the number of entries: one shard up to 500,
/// then two letters, and three above 20,000, so that a shard stays under about 25 kB
/// compressed at 10,000 releases and a query word's download does not grow with the
/// site. A word shorter than that is in the shard of all its letters.
fn prefix_letters(entries: usize) -> usize {
    match entries {
        0..=500 => 0,
        501..=20_000 => 2,
        _ => 3,
    }
}

/// An entry's number in the index.
type Number = u32;

/// Per word: the entries whose title has it, and those that have it elsewhere.
pub(super) type Postings = [Vec<Number>; 2];

/// The index's files of one language: `(name under the search folder, bytes)`.
pub(super) fn files(lang: &str, entries: &[Entry]) -> Vec<(String, Vec<u8>)> {
    let prefix = prefix_letters(entries.len());
    let mut words: FxHashMap<&str, Postings> = FxHashMap::default();
    for (n, entry) in entries.iter().enumerate() {
        let n = Number::try_from(n).unwrap_or(Number::MAX);
        for (list, kind) in [(&entry.words.title, 0), (&entry.words.other, 1)] {
            for w in list {
                words.entry(w.as_str()).or_default()[kind].push(n);
            }
        }
    }
    let mut shards: BTreeMap<String, BTreeMap<&str, Postings>> = BTreeMap::new();
    for (word, mut postings) in words {
        postings.iter_mut().for_each(|list| differences(list));
        let shard = shard_of(word, prefix);
        shards.entry(shard).or_default().insert(word, postings);
    }
    let manifest = serde_json::json!({
        "lang": lang,
        "count": entries.len(),
        "chunk": CHUNK,
        "prefix": prefix,
        "shards": shards.keys().collect::<Vec<_>>(),
    });
    let mut out = vec![("index.json".to_owned(), manifest.to_string().into_bytes())];
    for (shard, words) in &shards {
        let json = serde_json::to_vec(words).unwrap_or_default();
        out.push((format!("terms/{}.json", file_name(shard)), json));
    }
    for (n, chunk) in entries.chunks(CHUNK).enumerate() {
        let docs: Vec<&super::Doc> = chunk.iter().map(|e| &e.doc).collect();
        let json = serde_json::to_vec(&docs).unwrap_or_default();
        out.push((format!("docs/{n}.json"), json));
    }
    out
}

/// Ascending numbers as the first one and the differences to the next, in place (as a
/// `terms` file writes them).
pub(super) fn differences(numbers: &mut [Number]) {
    let mut last = 0;
    for x in numbers.iter_mut() {
        let n = *x;
        *x = n - last;
        last = n;
    }
}

/// Differences as [`differences`] makes them → the numbers again, in place.
pub(super) fn sums(numbers: &mut [Number]) {
    let mut total: Number = 0;
    for x in numbers.iter_mut() {
        total = total.saturating_add(*x);
        *x = total;
    }
}

/// The shard a word is in: its first `prefix` letters.
pub(super) fn shard_of(word: &str, prefix: usize) -> String {
    word.chars().take(prefix).collect()
}

/// A shard's file name: its letters when they are ASCII letters or digits, else `_`
/// and the hex of their UTF-8 bytes (`_` alone for the one shard of a small index), so
/// every name is safe in a URL. `search.js` names them the same way.
pub(super) fn file_name(shard: &str) -> String {
    if !shard.is_empty()
        && shard
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    {
        return shard.to_owned();
    }
    format!("_{}", crate::media::hex(shard.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn larger_indexes_have_more_letters_per_shard() {
        assert_eq!(prefix_letters(50), 0);
        assert_eq!(prefix_letters(10_000), 2);
        assert_eq!(prefix_letters(50_000), 3);
    }

    fn entry(n: usize) -> Entry {
        let word = [
            "Ambulanz",
            "Bettenhaus",
            "Chirurgie",
            "Dialyse",
            "Zentrallabor",
        ][n % 5];
        let title = format!("{word} Nummer {n}");
        Entry {
            words: std::sync::Arc::new(super::super::EntryWords::new(
                &title,
                &["Ärztehaus"],
                "Text",
            )),
            doc: super::super::Doc {
                k: "release".into(),
                t: title,
                u: format!("/news/{n}/"),
                d: Some("2020-01-01".into()),
                x: String::new(),
            },
        }
    }

    /// `(shard names, word → the title and other lists of entry numbers)`.
    fn read_back(files: &[(String, Vec<u8>)]) -> (Vec<String>, BTreeMap<String, Postings>) {
        let manifest: serde_json::Value = serde_json::from_slice(&files[0].1).unwrap();
        let shards: Vec<String> = serde_json::from_value(manifest["shards"].clone()).unwrap();
        let mut words = BTreeMap::new();
        for (name, bytes) in files.iter().filter(|(n, _)| n.starts_with("terms/")) {
            let shard: BTreeMap<String, Postings> = serde_json::from_slice(bytes).unwrap();
            for (word, lists) in shard {
                let letters: String = word.chars().take(2).collect();
                assert_eq!(*name, format!("terms/{}.json", file_name(&letters)));
                let sums = lists.map(|l| {
                    l.iter()
                        .scan(0, |n, d| {
                            *n += d;
                            Some(*n)
                        })
                        .collect()
                });
                words.insert(word, sums);
            }
        }
        (shards, words)
    }

    #[test]
    fn a_large_index_has_a_shard_per_two_first_letters_and_finds_every_entry() {
        let entries: Vec<Entry> = (0..600).map(entry).collect();
        let files = files("de", &entries);
        let (shards, words) = read_back(&files);
        assert!(shards.len() > 20 && shards.iter().all(|s| s.chars().count() == 2));
        assert_eq!(
            words["ambulanz"][0].len(),
            120,
            "a title word, in every fifth"
        );
        assert_eq!(
            words["aerztehaus"][1].len(),
            600,
            "another word, everywhere"
        );
        assert_eq!(words["599"], [vec![599], vec![]]);
        let docs = files.iter().filter(|(n, _)| n.starts_with("docs/")).count();
        assert_eq!(docs, 30, "20 entries a file");
        let last: serde_json::Value = serde_json::from_slice(&files.last().unwrap().1).unwrap();
        assert_eq!(last[19]["t"], "Zentrallabor Nummer 599");
    }

    #[test]
    fn a_small_index_is_one_shard() {
        let entries: Vec<Entry> = (0..30).map(entry).collect();
        let files = files("de", &entries);
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            ["index.json", "terms/_.json", "docs/0.json", "docs/1.json"]
        );
    }

    #[test]
    fn numbers_become_differences() {
        let mut numbers = vec![3, 4, 10];
        differences(&mut numbers);
        assert_eq!(numbers, [3, 1, 6]);
        sums(&mut numbers);
        assert_eq!(numbers, [3, 4, 10]);
        let mut none: Vec<Number> = Vec::new();
        differences(&mut none);
        assert!(none.is_empty());
    }

    #[test]
    fn shard_names_are_safe_in_urls() {
        assert_eq!(file_name("ko"), "ko");
        assert_eq!(file_name("20"), "20");
        assert_eq!(file_name(""), "_");
        assert_eq!(file_name("зд"), "_d0b7d0b4");
    }
}
