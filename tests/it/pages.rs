//! Every page kind of SPEC §4 is written, in every language, at its URL.

use crate::harness::{SPEC_SITE, build, in_lang, selector};

/// The routes of one language of the spec-site, relative to the language's root.
const ROUTES: &[&str] = &[
    "",
    "nachrichten/",
    "nachrichten/seite/2/",
    "nachrichten/register-schaltjahr/",
    "partner/",
    "partner/klinikum-suedhoehe/",
    "partner/klinikum-suedhoehe/faktenblatt/",
    "partner/klinikum-suedhoehe/atom.xml",
    "partnerschaften/",
    "partnerschaften/drei-partner/",
    "partnerschaften/drei-partner/faktenblatt/",
    "themen/",
    "themen/gefaesschirurgie/",
    "themen/strassenverkehr-und-notfaelle/",
    "chronik/",
    "kontakt/",
    "hinweise/",
    "atom.xml",
];

/// Files that exist once for the whole site.
const SITE_FILES: &[&str] = &[
    "sitemap.xml",
    "robots.txt",
    "404.html",
    "api/institutions.json",
    "api/partnerships.json",
    "api/news.json",
];

#[test]
fn every_page_kind_exists_in_both_languages() {
    let site = build(SPEC_SITE);
    let mut missing = Vec::new();
    for prefix in ["", "en/"] {
        for route in ROUTES {
            let route = in_lang(prefix, route);
            if !site.exists(&route) {
                missing.push(route);
            }
        }
    }
    missing.extend(
        SITE_FILES
            .iter()
            .filter(|f| !site.exists(f))
            .map(|f| f.to_string()),
    );
    assert!(missing.is_empty(), "missing output: {missing:?}");
}

#[test]
fn every_institution_partnership_and_release_has_its_pages() {
    let site = build(SPEC_SITE);
    let institutions = [
        "fachklinik-grossweissach",
        "gesundheitsamt-tannenfeld",
        "institut-gefaessforschung",
        "klinikum-suedhoehe",
        "uniklinik-saalestadt",
    ];
    let partnerships = ["drei-partner", "tannenfeld-beendet", "uebergang-geplant"];
    let releases = [
        "vereinbarung-endet",
        "register-schaltjahr",
        "amt-und-klinik",
        "ohne-autolink",
    ];
    for prefix in ["", "en/"] {
        for id in institutions {
            for route in ["", "faktenblatt/", "atom.xml"] {
                assert!(
                    site.exists(&in_lang(prefix, &format!("partner/{id}/{route}"))),
                    "{}",
                    in_lang(prefix, &format!("partner/{id}/{route}"))
                );
            }
        }
        for id in partnerships {
            for route in ["", "faktenblatt/"] {
                assert!(
                    site.exists(&in_lang(prefix, &format!("partnerschaften/{id}/{route}"))),
                    "{}",
                    in_lang(prefix, &format!("partnerschaften/{id}/{route}"))
                );
            }
        }
        for slug in releases {
            assert!(
                site.exists(&in_lang(prefix, &format!("nachrichten/{slug}/"))),
                "{}",
                in_lang(prefix, &format!("nachrichten/{slug}/"))
            );
        }
    }
}

#[test]
fn news_is_paginated_by_news_per_page() {
    // Four published releases, two per page: exactly two pages, newest first.
    let site = build(SPEC_SITE);
    assert!(site.exists("nachrichten/seite/2/"));
    assert!(
        !site.exists("nachrichten/seite/3/"),
        "a third news page for four releases at two per page"
    );
    assert!(
        !site.exists("nachrichten/seite/1/"),
        "page 1 is /nachrichten/, not /nachrichten/seite/1/"
    );
    let page1 = site.main("nachrichten/");
    let page2 = site.main("nachrichten/seite/2/");
    let pos = |html: &str, slug: &str| html.find(&format!("/sub/path/nachrichten/{slug}/\""));
    assert!(
        pos(&page1, "ohne-autolink") < pos(&page1, "amt-und-klinik"),
        "page 1 not newest first"
    );
    assert!(pos(&page1, "ohne-autolink").is_some() && pos(&page1, "amt-und-klinik").is_some());
    assert!(
        pos(&page2, "register-schaltjahr").is_some() && pos(&page2, "vereinbarung-endet").is_some()
    );
    assert!(
        pos(&page1, "register-schaltjahr").is_none(),
        "page 1 lists a page-2 release"
    );
    assert!(
        page1.contains("href=\"/sub/path/nachrichten/seite/2/\""),
        "page 1 does not link to page 2"
    );
}

#[test]
fn topic_slugs_transliterate_umlauts_and_eszett() {
    let site = build(SPEC_SITE);
    let topics = site.main("themen/");
    for slug in [
        "gefaesschirurgie",
        "kuenstliche-intelligenz",
        "qualitaetsberichte",
        "uebergangspflege",
        "strassenverkehr-und-notfaelle",
    ] {
        assert!(
            topics.contains(&format!("href=\"/sub/path/themen/{slug}/\"")),
            "themen/ does not link {slug}"
        );
        assert!(site.exists(&format!("themen/{slug}/")));
    }
    let files = site.files();
    let bad: Vec<&String> = files.iter().filter(|f| !f.is_ascii()).collect();
    assert!(bad.is_empty(), "non-ASCII output paths: {bad:?}");
}

#[test]
fn every_html_page_has_one_main_a_title_and_its_language() {
    let site = build(SPEC_SITE);
    for file in site.files().into_iter().filter(|f| f.ends_with(".html")) {
        let doc = site.html(&file);
        assert_eq!(
            doc.select(&selector("main")).count(),
            1,
            "{file}: not exactly one <main>"
        );
        let title = doc
            .select(&selector("title"))
            .next()
            .map(|t| t.text().collect::<String>());
        assert!(
            title.is_some_and(|t| !t.trim().is_empty()),
            "{file}: no <title>"
        );
        let lang = doc
            .select(&selector("html"))
            .next()
            .and_then(|h| h.value().attr("lang").map(str::to_owned));
        let expected = if file.starts_with("en/") { "en" } else { "de" };
        assert_eq!(lang.as_deref(), Some(expected), "{file}: wrong <html lang>");
    }
}

#[test]
fn feeds_and_open_data_are_well_formed() {
    let site = build(SPEC_SITE);
    for file in site.files() {
        if file.ends_with(".json") {
            let v: serde_json::Value =
                serde_json::from_str(&site.read(&file)).unwrap_or_else(|e| panic!("{file}: {e}"));
            assert!(v.is_array() || v.is_object(), "{file}");
        }
        if file.ends_with(".xml") {
            let xml = site.read(&file);
            assert!(xml.starts_with("<?xml"), "{file} has no XML declaration");
        }
    }
    let news: serde_json::Value = serde_json::from_str(&site.read("api/news.json")).unwrap();
    assert_eq!(
        news.as_array().map(Vec::len),
        Some(4),
        "api/news.json should list the four published releases"
    );
    let feed = site.read("atom.xml");
    assert_eq!(
        feed.matches("<entry>").count(),
        4,
        "atom.xml should hold the four published releases"
    );
    assert!(
        feed.contains("<id>https://example.org/sub/path/nachrichten/register-schaltjahr/</id>")
    );
    assert_eq!(
        feed.matches("<content type=\"html\">").count(),
        4,
        "the site feed carries the full text"
    );
    let partner_feed = site.read("partner/klinikum-suedhoehe/atom.xml");
    assert!(
        partner_feed.contains("<entry>") && partner_feed.contains("<summary>"),
        "{partner_feed}"
    );
    assert!(
        !partner_feed.contains("<content"),
        "partner feeds link to the full text instead of repeating it"
    );
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains(
        "<loc>https://example.org/sub/path/en/partners/klinikum-suedhoehe/factsheet/</loc>"
    ));
    assert!(
        site.read("robots.txt")
            .contains("Sitemap: https://example.org/sub/path/sitemap.xml")
    );
}

#[test]
fn a_minimal_site_still_builds_every_list_page() {
    // site.yaml and one institution: no partnership, no release, no topic, no page.
    let site = build("minimal");
    for prefix in ["", "en/"] {
        for route in [
            "",
            "nachrichten/",
            "partner/",
            "partner/einzelklinik/",
            "partner/einzelklinik/faktenblatt/",
            "partnerschaften/",
            "themen/",
            "chronik/",
            "atom.xml",
        ] {
            assert!(
                site.exists(&in_lang(prefix, route)),
                "minimal site: no {prefix}{route}"
            );
        }
    }
    for file in [
        "sitemap.xml",
        "robots.txt",
        "404.html",
        "api/institutions.json",
        "api/partnerships.json",
        "api/news.json",
    ] {
        assert!(site.exists(file), "minimal site: no {file}");
    }
    crate::links::assert_links_resolve_in(&site, "https://example.org/mini/", 20);
}

#[test]
fn the_report_counts_what_was_written() {
    let site = build(SPEC_SITE);
    assert_eq!(
        site.report.files,
        site.files().len(),
        "report.files disagrees with the output folder"
    );
    assert_eq!(
        site.report.counts.get("releases"),
        Some(&8),
        "four published releases in two languages: {:?}",
        site.report.counts
    );
    let errors: Vec<String> = site
        .report
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.render())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
}

/// The spec site built with one edit of one of its files.
fn spec_site_with(file: &str, from: &str, to: &str) -> crate::harness::Site {
    let fixture = crate::harness::Fixture::copy(SPEC_SITE);
    fixture.edit(file, from, to);
    fixture.build()
}

#[test]
fn a_fact_note_that_repeats_its_label_is_not_printed_and_sheets_say_how_current_they_are() {
    let site = spec_site_with(
        "content/institutions/klinikum-suedhoehe.md",
        "{ key: beds, value: 612,",
        "{ key: beds, value: 612, note: Planbetten,",
    );
    let sheet = site.main("partner/klinikum-suedhoehe/faktenblatt/");
    assert!(
        !sheet.contains("<span class=\"fact-note\">Planbetten</span>"),
        "{sheet}"
    );
    assert!(
        sheet.contains("Stand der Angaben: Februar 2024</p>"),
        "the newest as_of"
    );
    let en = site.main("en/partners/klinikum-suedhoehe/factsheet/");
    assert!(en.contains("Figures as of February 2024</p>"), "{en}");
}

#[test]
fn a_planned_partnership_says_when_signing_is_planned_not_that_it_was_signed() {
    let site = spec_site_with(
        "content/partnerships/uebergang-geplant.md",
        "status: planned\n",
        "status: planned\nsigned: 2026-03-01\n",
    );
    let planned = site.main("partnerschaften/uebergang-geplant/");
    assert!(
        planned.contains("<dt>Unterzeichnung geplant</dt>"),
        "{planned}"
    );
    assert!(!planned.contains("<dt>Unterzeichnet</dt>"));
    let en = site.main("en/partnerships/uebergang-geplant/");
    assert!(en.contains("<dt>Signing planned</dt>"), "{en}");
    let active = site.main("partnerschaften/drei-partner/");
    assert!(active.contains("<dt>Unterzeichnet</dt>"));
}
