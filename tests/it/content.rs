//! What the content turns into: drafts, partner pages of a three-partner partnership,
//! translations, timelines, localised dates and numbers.

use crate::harness::{SPEC_SITE, build, build_with, in_lang, selector};
use scraper::Html;

/// The draft in the spec-site: its title, summary and body carry this marker.
const DRAFT_MARKER: &str = "DRAFTMARKER";
const DRAFT_ID: &str = "2024-03-15-jahresbericht-vorschau";
const DRAFT_SLUG: &str = "jahresbericht-vorschau";
/// The draft's only topic ("Entwurfsthema Ölförderung"), used by nothing else.
const DRAFT_TOPIC_SLUG: &str = "entwurfsthema-oelfoerderung";

/// The leap-day release of the three-partner partnership `drei-partner`.
const LEAP_RELEASE: &str = "nachrichten/register-schaltjahr/";
const THREE_PARTNERS: [&str; 3] = [
    "klinikum-suedhoehe",
    "uniklinik-saalestadt",
    "institut-gefaessforschung",
];

#[test]
fn drafts_are_absent_everywhere() {
    let site = build(SPEC_SITE);
    let mut found = Vec::new();
    for (file, bytes) in site.tree() {
        let text = String::from_utf8_lossy(&bytes);
        for needle in [DRAFT_MARKER, DRAFT_SLUG, "Entwurfsthema", DRAFT_TOPIC_SLUG] {
            if text.contains(needle) {
                found.push(format!("{file} contains `{needle}`"));
            }
        }
        if file.contains(DRAFT_SLUG) || file.contains(DRAFT_TOPIC_SLUG) {
            found.push(format!("{file} exists"));
        }
    }
    assert!(found.is_empty(), "the draft leaked:\n{}", found.join("\n"));
}

#[test]
fn drafts_are_built_when_asked() {
    let site = build_with(SPEC_SITE, |o| o.drafts = true);
    assert!(
        site.read(&format!("nachrichten/{DRAFT_SLUG}/"))
            .contains(DRAFT_MARKER)
    );
    assert!(site.exists(&format!("en/news/{DRAFT_SLUG}/")));
    assert!(site.exists(&format!("themen/{DRAFT_TOPIC_SLUG}/")));
    assert!(site.read("api/news.json").contains(DRAFT_ID));
}

#[test]
fn a_three_partner_release_appears_on_all_three_partner_pages() {
    let site = build(SPEC_SITE);
    for prefix in ["", "en/"] {
        let href = format!("/sub/path/{}", in_lang(prefix, LEAP_RELEASE));
        for id in THREE_PARTNERS {
            let page = in_lang(prefix, &format!("partner/{id}/"));
            let doc = Html::parse_fragment(&site.main(&page));
            let links = doc
                .select(&selector(&format!("a[href=\"{href}\"]")))
                .count();
            assert!(
                links > 0,
                "{page} does not link the leap-day release `{href}`"
            );
            let feed = site.read(&in_lang(prefix, &format!("partner/{id}/atom.xml")));
            assert!(
                feed.contains(&format!(
                    "<id>https://example.org/sub/path/{}</id>",
                    in_lang(prefix, LEAP_RELEASE)
                )),
                "{} lacks the leap-day release",
                in_lang(prefix, &format!("partner/{id}/atom.xml"))
            );
        }
    }
}

#[test]
fn a_release_is_absent_from_pages_of_uninvolved_partners() {
    let site = build(SPEC_SITE);
    for id in ["fachklinik-grossweissach", "gesundheitsamt-tannenfeld"] {
        let main = site.main(&format!("partner/{id}/"));
        assert!(
            !main.contains(&format!("/sub/path/{LEAP_RELEASE}\"")),
            "partner/{id}/ lists the leap-day release"
        );
    }
}

/// `<link rel="alternate" hreflang=…>` targets in a page's head.
fn hreflang_links(doc: &Html) -> Vec<(String, String)> {
    doc.select(&selector("link[rel=\"alternate\"][hreflang]"))
        .map(|l| {
            (
                l.value().attr("hreflang").unwrap().to_owned(),
                l.value().attr("href").unwrap_or("").to_owned(),
            )
        })
        .collect()
}

#[test]
fn translations_link_each_other() {
    let site = build(SPEC_SITE);
    let de_url = format!("https://example.org/sub/path/{LEAP_RELEASE}");
    let en_url = format!(
        "https://example.org/sub/path/{}",
        in_lang("en/", LEAP_RELEASE)
    );
    let de = site.html(LEAP_RELEASE);
    let en = site.html(&in_lang("en/", LEAP_RELEASE));
    assert!(
        hreflang_links(&de).contains(&("en".into(), en_url.clone())),
        "de page: no hreflang=en → {en_url}"
    );
    assert!(
        hreflang_links(&en).contains(&("de".into(), de_url.clone())),
        "en page: no hreflang=de → {de_url}"
    );
    // The visible language switch.
    let switch_to_en = format!(
        "a[hreflang=\"en\"][href=\"/sub/path/{}\"]",
        in_lang("en/", LEAP_RELEASE)
    );
    let switch_to_de = format!("a[hreflang=\"de\"][href=\"/sub/path/{LEAP_RELEASE}\"]");
    assert_eq!(
        de.select(&selector(&switch_to_en)).count(),
        1,
        "de page: no language switch to en"
    );
    assert_eq!(
        en.select(&selector(&switch_to_de)).count(),
        1,
        "en page: no language switch to de"
    );
    // The English page really is the translation.
    assert!(
        site.main(&in_lang("en/", LEAP_RELEASE))
            .contains("Southern Vascular Network analyses its registry")
    );
}

#[test]
fn translated_institutions_link_each_other() {
    let site = build(SPEC_SITE);
    let de = site.html("partner/klinikum-suedhoehe/");
    let en = site.html("en/partners/klinikum-suedhoehe/");
    assert!(hreflang_links(&de).contains(&(
        "en".into(),
        "https://example.org/sub/path/en/partners/klinikum-suedhoehe/".into()
    )));
    assert!(hreflang_links(&en).contains(&(
        "de".into(),
        "https://example.org/sub/path/partner/klinikum-suedhoehe/".into()
    )));
    assert!(
        site.main("en/partners/klinikum-suedhoehe/")
            .contains("Südhöhe Hospital Würzburg")
    );
}

/// The `datetime` values of every `<time>` in each `.timeline` of a page.
fn timelines(html: &str) -> Vec<Vec<String>> {
    let doc = Html::parse_document(html);
    doc.select(&selector("main .timeline"))
        .map(|t| {
            t.select(&selector("time[datetime]"))
                .map(|e| e.value().attr("datetime").unwrap().to_owned())
                .collect()
        })
        .collect()
}

#[test]
fn timelines_are_in_date_order() {
    let site = build(SPEC_SITE);
    let mut with_timeline = Vec::new();
    for file in site.files().into_iter().filter(|f| f.ends_with(".html")) {
        for dates in timelines(&site.read(&file)) {
            with_timeline.push(file.clone());
            let unordered: Vec<_> = dates.windows(2).filter(|w| w[0] > w[1]).collect();
            assert!(
                unordered.is_empty(),
                "{file}: timeline out of order at {unordered:?} in {dates:?}"
            );
        }
    }
    for page in [
        "chronik/index.html",
        "en/timeline/index.html",
        "partner/klinikum-suedhoehe/index.html",
    ] {
        assert!(
            with_timeline.iter().any(|f| f == page),
            "{page} has no `.timeline`"
        );
    }
}

#[test]
fn the_global_timeline_holds_every_event_kind() {
    let site = build(SPEC_SITE);
    let dates = timelines(&site.read("chronik/")).concat();
    // signed, milestone with a full date, year-month, year, release, ended
    for d in [
        "2015-04-01",
        "2019-05-15",
        "2020-02-29",
        "2021",
        "2022-10",
        "2023-12-20",
        "2023-12-31",
        "2024-02-29",
        "2024-06-10",
    ] {
        assert!(
            dates.iter().any(|x| x == d),
            "chronik/ lacks an event dated {d}: {dates:?}"
        );
    }
    assert!(
        !dates.iter().any(|x| x == "2024-03-15"),
        "the draft is on the timeline"
    );
}

#[test]
fn a_partner_timeline_holds_only_its_own_events() {
    let site = build(SPEC_SITE);
    let dates = timelines(&site.read("partner/gesundheitsamt-tannenfeld/")).concat();
    assert!(
        dates.contains(&"2015-04-01".to_owned()) && dates.contains(&"2023-12-31".to_owned()),
        "{dates:?}"
    );
    assert!(
        !dates.contains(&"2019-05-15".to_owned()),
        "Tannenfeld's timeline shows drei-partner's signing"
    );
}

#[test]
fn leap_day_is_localised() {
    let site = build(SPEC_SITE);
    let de = site.main(LEAP_RELEASE);
    let en = site.main(&in_lang("en/", LEAP_RELEASE));
    assert!(
        de.contains("<time datetime=\"2024-02-29\">29. Februar 2024</time>"),
        "de release: no localised leap day"
    );
    assert!(
        en.contains("<time datetime=\"2024-02-29\">February 29, 2024</time>"),
        "en release: no localised leap day"
    );
}

/// The text of the value cell in the fact table row labelled `label`.
fn fact_value(html: &str, label: &str) -> Option<String> {
    let doc = Html::parse_document(html);
    doc.select(&selector("table.facts tr")).find_map(|row| {
        let th: String = row.select(&selector("th")).next()?.text().collect();
        th.starts_with(label).then(|| {
            row.select(&selector("td"))
                .next()
                .map(|td| td.text().collect::<String>().trim().to_owned())
        })?
    })
}

#[test]
fn numbers_are_formatted_per_language() {
    let site = build(SPEC_SITE);
    let de = site.read("partner/uniklinik-saalestadt/faktenblatt/");
    let en = site.read("en/partners/uniklinik-saalestadt/factsheet/");
    // `beds: 1200, approx: true`
    assert_eq!(fact_value(&de, "Planbetten").as_deref(), Some("rund 1.200"));
    assert_eq!(fact_value(&en, "Beds").as_deref(), Some("about 1,200"));
    // `staff: 2300, approx: true`; `international_staff_share: 12.5 %`
    let de = site.read("partner/klinikum-suedhoehe/faktenblatt/");
    let en = site.read("en/partners/klinikum-suedhoehe/factsheet/");
    assert_eq!(
        fact_value(&de, "Mitarbeitende").as_deref(),
        Some("rund 2.300")
    );
    assert_eq!(fact_value(&en, "Staff").as_deref(), Some("about 2,300"));
    assert!(fact_value(&de, "Anteil internationaler").is_some_and(|v| v.starts_with("12,5")));
    assert!(fact_value(&en, "Share of international").is_some_and(|v| v.starts_with("12.5")));
}

#[test]
fn every_fact_shows_its_as_of_and_links_its_source() {
    let site = build(SPEC_SITE);
    for prefix in ["", "en/"] {
        let page = in_lang(prefix, "partner/klinikum-suedhoehe/faktenblatt/");
        let doc = site.html(&page);
        let rows: Vec<_> = doc.select(&selector("table.facts tbody tr")).collect();
        assert_eq!(rows.len(), 5, "{page}: five facts expected");
        for row in rows {
            assert!(
                row.select(&selector("time[datetime]")).next().is_some(),
                "{page}: a fact without as_of"
            );
            assert!(
                row.select(&selector("a[href]")).next().is_some(),
                "{page}: a fact without a source link"
            );
        }
        // A release as source links the release page in the same language.
        let src = format!("a[href=\"/sub/path/{}\"]", in_lang(prefix, LEAP_RELEASE));
        assert!(
            doc.select(&selector(&src)).next().is_some(),
            "{page}: the leap-day release is not linked as a source"
        );
    }
}

/// The partner pages linked from the prose (the Markdown body) of a release page.
fn prose_links(site: &crate::harness::Site, route: &str) -> Vec<String> {
    let doc = Html::parse_fragment(&site.main(route));
    doc.select(&selector(".prose a[href]"))
        .map(|a| a.value().attr("href").unwrap().to_owned())
        // The press kit's download sits with the contacts, not in the text.
        .filter(|href| !href.ends_with(".zip"))
        .collect()
}

#[test]
fn each_partner_is_autolinked_at_its_first_mention() {
    // The de leap-day release names all three partners; the third name wraps across a
    // line of the Markdown source ("Institut für⏎Gefäßforschung Erlbach"), which is
    // still one mention in the rendered text.
    let site = build(SPEC_SITE);
    let links = prose_links(&site, LEAP_RELEASE);
    for id in THREE_PARTNERS {
        let href = format!("/sub/path/partner/{id}/");
        assert_eq!(
            links.iter().filter(|l| **l == href).count(),
            1,
            "{id} is not autolinked exactly once: {links:?}"
        );
    }
}

#[test]
fn autolink_false_links_no_names() {
    let site = build(SPEC_SITE);
    let links = prose_links(&site, "nachrichten/ohne-autolink/");
    assert!(
        !links.iter().any(|l| l.contains("/partner/")),
        "autolink: false, yet names are linked: {links:?}"
    );
    assert_eq!(
        links.len(),
        3,
        "the three written links should stay: {links:?}"
    );
}

#[test]
fn fact_labels_notes_and_text_values_are_translated() {
    let site = build(SPEC_SITE);
    let de = site.main("partner/klinikum-suedhoehe/faktenblatt/");
    let en = site.main("en/partners/klinikum-suedhoehe/factsheet/");
    assert!(de.contains("Hubschrauberlandeplatz") && de.contains("rund um die Uhr"));
    assert!(de.contains("Angabe der Klinik"));
    assert!(
        en.contains("Helipad") && en.contains("around the clock"),
        "{en}"
    );
    assert!(en.contains("also operated at night"));
    assert!(!en.contains("rund um die Uhr") && !en.contains("Angabe der Klinik"));
    assert!(
        en.contains("about 2,300") && de.contains("rund 2.300"),
        "numbers stay numbers"
    );
}

/// A translation that repeats its original's language-independent fields unchanged (as
/// a translator copying the whole file writes it) builds, and builds the same site.
#[test]
fn translations_may_repeat_language_independent_fields_unchanged() {
    let plain = build(SPEC_SITE);
    let repeating = crate::harness::Fixture::copy(SPEC_SITE);
    let repeat = |rel: &str, first: &str, fields: &str| {
        repeating.edit(
            rel,
            &format!("---\n{first}"),
            &format!("---\n{fields}{first}"),
        );
    };
    repeat(
        "content/news/2024-02-29-register-schaltjahr.en.md",
        "title:",
        "date: 2024-02-29\npartnership: drei-partner\npartners: []\ndraft: false\nautolink: true\n",
    );
    repeat(
        "content/partnerships/drei-partner.en.md",
        "title:",
        "partners: [klinikum-suedhoehe, uniklinik-saalestadt, institut-gefaessforschung]\nkind: network\nstatus: active\nsigned: 2019-05-15\n",
    );
    repeat(
        "content/institutions/klinikum-suedhoehe.en.md",
        "name:",
        "kind: hospital\ncity: Würzburg\nregion: Bayern\nwebsite: https://example.org/kliniken/suedhoehe/\nlocations:\n  - { name: Hauptstandort Südhöhe, lat: 49.77, lon: 9.93 }\n  - { name: Tagesklinik Äußere Pleich }\n",
    );
    repeat("content/pages/kontakt.en.md", "title:", "weight: 1\n");
    repeating.edit(
        "content/partnerships/drei-partner.en.md",
        "  - { title: First joint registry goes live }\n  - { title: Analysis",
        "  - { date: 2020-02-29, title: First joint registry goes live }\n  - { date: 2021, title: Analysis",
    );
    let repeating = repeating.build();
    assert!(
        repeating.report.diagnostics.len() == plain.report.diagnostics.len(),
        "{:#?}",
        repeating.report.diagnostics
    );
    assert!(plain.tree() == repeating.tree(), "the output changed");
}
