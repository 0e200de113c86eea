//! Page metadata in `<head>`: OpenGraph and Twitter card tags on every HTML page, and
//! schema.org JSON-LD that parses as JSON (releases, partners, partnerships, timeline).

use crate::harness::{Fixture, SPEC_BASE_URL, SPEC_SITE, Site, build, selector};
use serde_json::Value;

/// Every `<script type="application/ld+json">` of `route`, parsed.
fn json_ld(site: &Site, route: &str) -> Vec<Value> {
    let html = site.html(route);
    html.select(&selector(r#"script[type="application/ld+json"]"#))
        .map(|s| {
            let text: String = s.text().collect();
            serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("JSON-LD of `{route}` does not parse: {e}\n{text}"))
        })
        .collect()
}

/// The one JSON-LD object of `route`.
fn the_json_ld(site: &Site, route: &str) -> Value {
    let mut all = json_ld(site, route);
    assert_eq!(all.len(), 1, "`{route}` should have one JSON-LD script");
    let v = all.remove(0);
    assert_eq!(v["@context"], "https://schema.org", "{route}");
    v
}

fn url(route: &str) -> String {
    format!("{SPEC_BASE_URL}{route}")
}

fn names(list: &Value) -> Vec<&str> {
    list.as_array()
        .expect("a list")
        .iter()
        .map(|x| x["name"].as_str().expect("a name"))
        .collect()
}

#[test]
fn a_release_is_a_news_article_about_its_institutions() {
    let site = build(SPEC_SITE);
    let ld = the_json_ld(&site, "nachrichten/register-schaltjahr/");
    assert_eq!(ld["@type"], "NewsArticle");
    assert_eq!(
        ld["headline"],
        "Gefäßnetz Süd wertet Register am Schalttag aus"
    );
    assert_eq!(ld["datePublished"], "2024-02-29");
    assert_eq!(ld["inLanguage"], "de");
    assert_eq!(ld["url"], url("nachrichten/register-schaltjahr/"));
    assert_eq!(ld["publisher"]["@type"], "Organization");
    assert_eq!(ld["publisher"]["name"], "Testnetz Klinikpartnerschaften");
    let mut about = names(&ld["about"]);
    about.sort_unstable();
    assert_eq!(
        about,
        [
            "Institut für Gefäßforschung Erlbach",
            "Klinikum Südhöhe Würzburg",
            "Universitätsklinikum Saalestadt",
        ]
    );
    assert!(
        ld["about"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["url"] == url("partner/klinikum-suedhoehe/") && x["@type"] == "Hospital")
    );
    assert_eq!(ld["isPartOf"]["name"], "Gefäßnetz Süd – drei Partner");
    assert_eq!(ld["isPartOf"]["url"], url("partnerschaften/drei-partner/"));

    let en = the_json_ld(&site, "en/news/register-schaltjahr/");
    assert_eq!(
        en["headline"],
        "Southern Vascular Network analyses its registry on leap day"
    );
    assert_eq!(en["inLanguage"], "en");
    assert_eq!(en["url"], url("en/news/register-schaltjahr/"));
    assert!(names(&en["about"]).contains(&"Südhöhe Hospital Würzburg"));

    // A release without a partnership: about its own partners, no isPartOf.
    let ld = the_json_ld(&site, "nachrichten/amt-und-klinik/");
    assert_eq!(ld["datePublished"], "2024-05-06");
    let mut about = names(&ld["about"]);
    about.sort_unstable();
    assert_eq!(
        about,
        ["Gesundheitsamt Tannenfeld", "Klinikum Südhöhe Würzburg"]
    );
    assert!(ld.get("isPartOf").is_none());
}

#[test]
fn institutions_have_their_type_address_geo_and_beds() {
    let site = build(SPEC_SITE);
    let ld = the_json_ld(&site, "partner/klinikum-suedhoehe/");
    assert_eq!(ld["@type"], "Hospital");
    assert_eq!(ld["name"], "Klinikum Südhöhe Würzburg");
    assert_eq!(ld["address"]["addressLocality"], "Würzburg");
    assert_eq!(ld["address"]["addressRegion"], "Bayern");
    assert_eq!(ld["geo"]["latitude"], 49.77);
    assert_eq!(ld["geo"]["longitude"], 9.93);
    assert_eq!(ld["numberOfBeds"], 612);
    assert_eq!(ld["url"], "https://example.org/kliniken/suedhoehe/");
    assert_eq!(ld["sameAs"], "https://example.org/kliniken/suedhoehe/");

    // Approximate beds still count; no website: the page is the URL.
    let ld = the_json_ld(&site, "partner/uniklinik-saalestadt/");
    assert_eq!(ld["@type"], "Hospital");
    assert_eq!(ld["numberOfBeds"], 1200);
    assert_eq!(ld["geo"]["latitude"], 50.93);
    assert_eq!(ld["url"], url("partner/uniklinik-saalestadt/"));
    assert!(ld.get("sameAs").is_none());

    let ld = the_json_ld(&site, "partner/gesundheitsamt-tannenfeld/");
    assert_eq!(ld["@type"], "GovernmentOrganization");
    assert_eq!(ld["address"]["addressLocality"], "Tannenfeld");
    assert!(ld.get("geo").is_none() && ld.get("numberOfBeds").is_none());

    assert_eq!(
        the_json_ld(&site, "partner/institut-gefaessforschung/")["@type"],
        "Organization"
    );
    // Only a name: no address at all.
    let ld = the_json_ld(&site, "partner/fachklinik-grossweissach/");
    assert_eq!(ld["@type"], "Organization");
    assert!(ld.get("address").is_none());

    assert_eq!(
        the_json_ld(&site, "en/partners/klinikum-suedhoehe/")["name"],
        "Südhöhe Hospital Würzburg"
    );
}

/// The `Event`s of an `ItemList`, as (name, startDate) pairs, checking positions.
fn events(list: &Value) -> Vec<(String, String)> {
    assert_eq!(list["@type"], "ItemList");
    let items = list["itemListElement"].as_array().expect("items");
    assert_eq!(list["numberOfItems"], items.len());
    items
        .iter()
        .enumerate()
        .map(|(n, item)| {
            assert_eq!(item["@type"], "ListItem");
            assert_eq!(item["position"], n + 1);
            let e = &item["item"];
            assert_eq!(e["@type"], "Event");
            assert!(e["url"].as_str().unwrap().starts_with(SPEC_BASE_URL));
            (
                e["name"].as_str().unwrap().to_owned(),
                e["startDate"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn a_partnership_lists_its_milestones_as_events() {
    let site = build(SPEC_SITE);
    let ld = the_json_ld(&site, "partnerschaften/drei-partner/");
    assert_eq!(ld["url"], url("partnerschaften/drei-partner/"));
    let events = events(&ld);
    let dates: Vec<&str> = events.iter().map(|(_, d)| d.as_str()).collect();
    assert_eq!(dates, ["2019-05-15", "2020-02-29", "2021", "2022-10"]);
    assert!(events[0].0.contains("Gefäßnetz Süd – drei Partner"));
    assert_eq!(events[1].0, "Erstes gemeinsames Register freigeschaltet");
    let first = &ld["itemListElement"][0]["item"];
    assert_eq!(first["url"], url("partnerschaften/drei-partner/"));
    assert_eq!(first["organizer"].as_array().unwrap().len(), 3);

    // A planned partnership without a date has no events and no JSON-LD.
    assert!(json_ld(&site, "partnerschaften/uebergang-geplant/").is_empty());
}

#[test]
fn the_timeline_lists_every_partnership_event() {
    let site = build(SPEC_SITE);
    let ld = the_json_ld(&site, "chronik/");
    assert_eq!(ld["url"], url("chronik/"));
    let events = events(&ld);
    let dates: Vec<&str> = events.iter().map(|(_, d)| d.as_str()).collect();
    for date in ["2015-04-01", "2019-05-15", "2021", "2023-12-31"] {
        assert!(dates.contains(&date), "no event on {date}: {dates:?}");
    }
    // Releases are articles, not events.
    assert!(!dates.contains(&"2024-02-29"));
    let mut sorted = dates.clone();
    sorted.sort_unstable();
    assert_eq!(dates, sorted, "oldest first");
    let en = the_json_ld(&site, "en/timeline/");
    assert_eq!(en["url"], url("en/timeline/"));
}

#[test]
fn every_html_page_has_opengraph_and_twitter_tags() {
    let site = build(SPEC_SITE);
    let pages: Vec<String> = site
        .files()
        .into_iter()
        .filter(|f| f.ends_with(".html"))
        .collect();
    assert!(pages.len() > 40, "{pages:?}");
    let meta = |html: &scraper::Html, attr: &str, key: &str| -> Vec<String> {
        html.select(&selector(&format!(r#"meta[{attr}="{key}"]"#)))
            .map(|m| m.value().attr("content").unwrap_or_default().to_owned())
            .collect()
    };
    for page in &pages {
        let html = site.html(page);
        for key in [
            "og:title",
            "og:description",
            "og:url",
            "og:site_name",
            "og:locale",
            "og:type",
        ] {
            let values = meta(&html, "property", key);
            assert_eq!(values.len(), 1, "{page}: {key} {values:?}");
            assert!(!values[0].is_empty(), "{page}: empty {key}");
        }
        // A page without a card (the 404 page, later news pages, the timeline's years)
        // and without a site default image gets the small card type.
        let card = match meta(&html, "property", "og:image").is_empty() {
            true => "summary",
            false => "summary_large_image",
        };
        assert_eq!(meta(&html, "name", "twitter:card"), [card], "{page}");
        let canonical = html
            .select(&selector(r#"link[rel="canonical"]"#))
            .next()
            .and_then(|l| l.value().attr("href"))
            .unwrap_or_else(|| panic!("{page}: no canonical"))
            .to_owned();
        assert_eq!(meta(&html, "property", "og:url"), [canonical], "{page}");
        let lang = html
            .select(&selector("html"))
            .next()
            .and_then(|h| h.value().attr("lang"))
            .expect("html lang")
            .to_owned();
        let (locale, other) = match lang.as_str() {
            "de" => ("de_DE", "en_US"),
            "en" => ("en_US", "de_DE"),
            l => panic!("{page}: unexpected language {l}"),
        };
        assert_eq!(meta(&html, "property", "og:locale"), [locale], "{page}");
        if page != "404.html" {
            assert_eq!(
                meta(&html, "property", "og:locale:alternate"),
                [other],
                "{page}"
            );
        }
        let release = (page.starts_with("nachrichten/") || page.starts_with("en/news/"))
            && !page.ends_with("news/index.html")
            && !page.ends_with("nachrichten/index.html")
            && !page.contains("/seite/")
            && !page.contains("/page/");
        let expected = if release { "article" } else { "website" };
        assert_eq!(meta(&html, "property", "og:type"), [expected], "{page}");
        assert_eq!(
            meta(&html, "property", "article:published_time").len(),
            usize::from(release),
            "{page}"
        );
        for script in json_ld(&site, page) {
            assert_eq!(script["@context"], "https://schema.org", "{page}");
        }
    }
    let release = site.html("nachrichten/register-schaltjahr/");
    assert_eq!(
        meta(&release, "property", "article:published_time"),
        ["2024-02-29"]
    );
    assert_eq!(
        meta(&release, "property", "og:title"),
        ["Gefäßnetz Süd wertet Register am Schalttag aus"]
    );
}

#[test]
fn json_ld_text_cannot_close_its_script() {
    let fixture = Fixture::copy(SPEC_SITE);
    let nasty = r#"Bilanz </script><script>alert(1)</script> & <!-- "Zitat""#;
    fixture.edit(
        "content/news/2024-05-06-amt-und-klinik.md",
        "title: Gesundheitsamt und Klinikum Südhöhe ziehen Bilanz",
        &format!("title: '{nasty}'"),
    );
    let site = fixture.build();
    let text = site.read("nachrichten/amt-und-klinik/");
    let start = text
        .find(r#"<script type="application/ld+json">"#)
        .expect("a JSON-LD script");
    let body = &text[start + r#"<script type="application/ld+json">"#.len()..];
    let body = &body[..body.find("</script>").expect("closed")];
    assert!(
        !body.contains('<') && !body.contains('>') && !body.contains('&'),
        "{body}"
    );
    let ld: Value = serde_json::from_str(body).expect("parses");
    assert_eq!(ld["headline"], nasty);
    assert_eq!(json_ld(&site, "nachrichten/amt-und-klinik/").len(), 1);
}
