//! The search: per language an index (`search/index.json`, `en/search/index.json`) with
//! every published release, institution, partnership and topic under the base path, no
//! draft; a search page with a working form and a fallback without JavaScript.

use crate::harness::{SPEC_SITE, build, selector};
use std::collections::BTreeSet;

const BASE_PATH: &str = "/sub/path/";

/// `(kind, url)` of every entry of an index file.
fn entries(index: &serde_json::Value) -> BTreeSet<(String, String)> {
    index["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| {
            (
                e["k"].as_str().expect("kind").to_owned(),
                e["u"].as_str().expect("url").to_owned(),
            )
        })
        .collect()
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
        ("de", "search/index.json", "topics/"),
        ("en", "en/search/index.json", "en/topics/"),
    ] {
        let text = site.read(index_file);
        assert!(!text.contains("DRAFTMARKER"), "{index_file} has a draft");
        let index: serde_json::Value = serde_json::from_str(&text).expect("index is JSON");
        assert_eq!(index["lang"], lang);
        let got = entries(&index);
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
        for e in index["entries"].as_array().expect("entries") {
            assert_eq!(
                e.get("d").is_some(),
                e["k"] == "release",
                "only releases have a date: {e}"
            );
            let terms = e["s"].as_str().expect("terms");
            assert_eq!(terms, terms.to_lowercase(), "terms are folded: {e}");
            assert!(
                !terms.contains(['ä', 'ö', 'ü', 'ß']),
                "terms are folded: {e}"
            );
        }
    }
}

#[test]
fn the_index_folds_german_so_ascii_spellings_match() {
    let site = build(SPEC_SITE);
    let index: serde_json::Value =
        serde_json::from_str(&site.read("search/index.json")).expect("JSON");
    let release = index["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .find(|e| e["u"] == "/sub/path/news/register-schaltjahr/")
        .expect("the leap-day release");
    assert_eq!(release["d"], "2024-02-29");
    assert!(release["t"].as_str().expect("title").contains("Gefäßnetz"));
    let terms: Vec<&str> = release["s"].as_str().expect("terms").split(' ').collect();
    // The topic `Gefäßchirurgie`, in neither title nor text, is among the terms.
    assert!(terms.contains(&"gefaesschirurgie"), "{terms:?}");
}

#[test]
fn the_search_page_has_a_form_and_a_fallback_without_javascript() {
    let site = build(SPEC_SITE);
    for (route, index, fallback) in [
        (
            "search/",
            "/sub/path/search/index.json",
            "braucht JavaScript",
        ),
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
