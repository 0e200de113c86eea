//! The search: per language an index (`suche/index.json`, `en/search/index.json`) with
//! every published release, institution, partnership and topic under the base path, no
//! draft; a search page with a working form and a fallback without JavaScript.

use crate::harness::{SPEC_SITE, build, selector};
use std::collections::{BTreeMap, BTreeSet};

const BASE_PATH: &str = "/sub/path/";

/// A language's search index put back together from its files (`index.json`, the
/// `terms/` shards, the `docs/` chunks): what each entry shows, and per word the
/// numbers of the entries that have it in the title and elsewhere.
pub(crate) struct Index {
    pub(crate) lang: String,
    pub(crate) docs: Vec<serde_json::Value>,
    pub(crate) words: BTreeMap<String, [Vec<u64>; 2]>,
}

impl Index {
    pub(crate) fn read(site: &crate::harness::Site, folder: &str) -> Index {
        let manifest: serde_json::Value =
            serde_json::from_str(&site.read(&format!("{folder}index.json"))).expect("JSON");
        let count = manifest["count"].as_u64().expect("count");
        let chunk = manifest["chunk"].as_u64().expect("chunk");
        let mut docs = Vec::new();
        for n in 0..count.div_ceil(chunk) {
            let part: serde_json::Value =
                serde_json::from_str(&site.read(&format!("{folder}docs/{n}.json"))).expect("docs");
            docs.extend(
                part.as_array()
                    .expect("a docs file is a list")
                    .iter()
                    .cloned(),
            );
        }
        assert_eq!(docs.len() as u64, count, "{folder}: entries");
        let mut words = BTreeMap::new();
        for shard in manifest["shards"].as_array().expect("shards") {
            let shard = shard.as_str().expect("shard");
            let name = if shard.is_empty() {
                "_".to_owned()
            } else {
                shard.to_owned()
            };
            let terms: BTreeMap<String, [Vec<u64>; 2]> =
                serde_json::from_str(&site.read(&format!("{folder}terms/{name}.json")))
                    .expect("terms");
            for (word, lists) in terms {
                assert!(word.starts_with(shard), "{word} in shard {shard}");
                words.insert(
                    word,
                    lists.map(|l| {
                        l.iter()
                            .scan(0, |n, d| {
                                *n += d;
                                Some(*n)
                            })
                            .collect()
                    }),
                );
            }
        }
        Index {
            lang: manifest["lang"].as_str().expect("lang").to_owned(),
            docs,
            words,
        }
    }

    /// The number of the entry at `url`.
    pub(crate) fn number(&self, url: &str) -> u64 {
        self.docs
            .iter()
            .position(|d| d["u"] == url)
            .unwrap_or_else(|| panic!("no entry for {url}")) as u64
    }

    /// Whether entry `n` has a word that starts with `prefix`.
    pub(crate) fn finds(&self, prefix: &str, n: u64) -> bool {
        self.words
            .range(prefix.to_owned()..)
            .take_while(|(w, _)| w.starts_with(prefix))
            .any(|(_, [title, other])| title.contains(&n) || other.contains(&n))
    }

    /// `(kind, url)` of every entry.
    fn entries(&self) -> BTreeSet<(String, String)> {
        self.docs
            .iter()
            .map(|e| {
                (
                    e["k"].as_str().expect("kind").to_owned(),
                    e["u"].as_str().expect("url").to_owned(),
                )
            })
            .collect()
    }
}

/// `https://example.org/sub/path/x/` → `/sub/path/x/`.
fn path_of(url: &str) -> String {
    url.strip_prefix("https://example.org")
        .unwrap_or_else(|| panic!("unexpected URL {url}"))
        .to_owned()
}

#[test]
fn the_index_lists_everything_published_in_both_languages() {
    let site = build(SPEC_SITE);
    for (lang, index_file, topics_page) in [
        ("de", "suche/", "themen/"),
        ("en", "en/search/", "en/topics/"),
    ] {
        let index = Index::read(&site, index_file);
        assert!(
            !format!("{:?}{:?}", index.docs, index.words).contains("draftmarker"),
            "{index_file} has a draft"
        );
        assert_eq!(index.lang, lang);
        let got = index.entries();
        let mut want = BTreeSet::new();
        for (api, kind) in [
            ("api/news.json", "release"),
            ("api/institutions.json", "institution"),
            ("api/partnerships.json", "partnership"),
        ] {
            let records: serde_json::Value = serde_json::from_str(&site.read(api)).expect(api);
            for r in records.as_array().expect(api) {
                let url = r["urls"][lang].as_str().expect("url in api");
                want.insert((kind.to_owned(), path_of(url)));
            }
        }
        let topics = site.html(topics_page);
        for a in topics.select(&selector(".topic-list a")) {
            let href = a.value().attr("href").expect("href");
            want.insert(("topic".to_owned(), href.to_owned()));
        }
        assert!(want.iter().any(|(k, _)| k == "topic"), "no topics found");
        assert_eq!(got, want, "{index_file}");
        for (_, url) in &got {
            assert!(
                url.starts_with(BASE_PATH),
                "{url} is not under the base path"
            );
            let route = &url[BASE_PATH.len()..];
            assert!(site.exists(route), "{url} of {index_file} has no page");
        }
        let dated = index.docs.iter().position(|e| e.get("d").is_some());
        for (n, e) in index.docs.iter().enumerate() {
            assert_eq!(
                e.get("d").is_some(),
                e["k"] == "release",
                "only releases have a date: {e}"
            );
            assert_eq!(
                e.get("d").is_some(),
                dated.is_some_and(|d| n >= d),
                "entries without a date come first: {e}"
            );
        }
        let releases: Vec<&str> = index.docs.iter().filter_map(|e| e["d"].as_str()).collect();
        assert!(
            releases.is_sorted_by(|a, b| a >= b),
            "newest first: {releases:?}"
        );
        for word in index.words.keys() {
            assert_eq!(*word, word.to_lowercase(), "words are folded");
            assert!(
                !word.contains(['ä', 'ö', 'ü', 'ß']),
                "words are folded: {word}"
            );
            assert!(
                word.chars().nth(1).is_some(),
                "a word of one letter: {word}"
            );
        }
    }
}

#[test]
fn the_index_folds_german_so_ascii_spellings_match() {
    let site = build(SPEC_SITE);
    let index = Index::read(&site, "suche/");
    let n = index.number("/sub/path/nachrichten/register-schaltjahr/");
    let release = &index.docs[n as usize];
    assert_eq!(release["d"], "2024-02-29");
    assert!(release["t"].as_str().expect("title").contains("Gefäßnetz"));
    // The title's word, found by its ASCII spelling and as a title word.
    assert!(
        index.words["gefaessnetz"][0].contains(&n),
        "{:?}",
        index.words.get("gefaessnetz")
    );
    // The topic `Gefäßchirurgie`, in neither title nor text, is among the words.
    assert!(index.finds("gefaesschir", n));
    assert!(!index.finds("gefaesschirurgien", n));
}

#[test]
fn the_search_page_has_a_form_and_a_fallback_without_javascript() {
    let site = build(SPEC_SITE);
    for (route, index, fallback) in [
        ("suche/", "/sub/path/suche/index.json", "braucht JavaScript"),
        (
            "en/search/",
            "/sub/path/en/search/index.json",
            "needs JavaScript",
        ),
    ] {
        let page = site.html(route);
        let form = page
            .select(&selector("form[role=search]"))
            .next()
            .unwrap_or_else(|| panic!("{route}: no search form"));
        assert_eq!(
            form.value().attr("action"),
            Some(&*format!("/sub/path/{route}"))
        );
        assert_eq!(form.value().attr("method"), Some("get"));
        assert_eq!(form.value().attr("data-index"), Some(index));
        let input = page
            .select(&selector("form[role=search] input[type=search][name=q]"))
            .next()
            .expect("search input");
        let id = input.value().attr("id").expect("input id");
        assert!(
            page.select(&selector(&format!("label[for={id}]")))
                .next()
                .is_some(),
            "{route}: the input has no label"
        );
        assert!(
            page.select(&selector("[aria-live=polite]"))
                .next()
                .is_some()
        );
        let main = site.main(route);
        assert!(main.contains(fallback), "{route}: no fallback text");
        assert!(
            main.contains("href=\"/sub/path/"),
            "{route}: no fallback links"
        );
        assert!(main.contains("<script src=\"/sub/path/search.js\" defer>"));
        let nav = page
            .select(&selector(".site-nav a[aria-current=page]"))
            .next()
            .expect("the search page is current in the navigation");
        assert_eq!(
            nav.value().attr("href"),
            Some(&*format!("/sub/path/{route}"))
        );
    }
    assert!(site.exists("search.js"));
    assert!(
        !site.read("").contains("search.js"),
        "only the search page loads it"
    );
}
