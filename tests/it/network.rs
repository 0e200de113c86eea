//! The partnership network: an inline SVG on the home page (the whole network) and on
//! each partner page (the partner and its direct partners), with a title, links to
//! partner pages, planned partnerships dashed. Two builds being identical is covered
//! by `output.rs`.

use crate::harness::{SPEC_BASE_URL, SPEC_SITE, build, selector};
use scraper::Html;

/// The one network figure's `<svg>` of `route`, as source text.
fn network_svg(html: &str) -> &str {
    let start = html.find("<svg").expect("an <svg> on the page");
    let end = html[start..].find("</svg>").expect("a closing </svg>") + start + 6;
    assert_eq!(html.matches("<svg").count(), 1, "one network per page");
    &html[start..end]
}

#[test]
fn the_home_page_shows_the_whole_network() {
    let site = build(SPEC_SITE);
    let html = site.read("");
    let svg = network_svg(&html);
    assert!(svg.contains(r#"role="group""#));
    assert!(svg.contains(r#"<title id="net-home-title">"#));
    assert!(svg.contains(r#"<desc id="net-home-desc">"#));
    // Every institution is a node linking to its partner page under the base path.
    let doc = Html::parse_document(&html);
    let links: Vec<String> = doc
        .select(&selector("figure.network svg a"))
        .filter_map(|a| a.value().attr("href").map(str::to_owned))
        .collect();
    assert!(links.len() >= 5, "{links:?}");
    let base = "/sub/path/";
    assert!(SPEC_BASE_URL.ends_with(base));
    assert!(
        links
            .iter()
            .all(|l| l.starts_with(&format!("{base}partners/")))
    );
    assert!(links.contains(&format!("{base}partners/klinikum-suedhoehe/")));
    // The planned partnership is dashed; the three-partner one is a triangle.
    assert!(svg.contains("net-status-planned"));
    assert!(svg.contains(r#"stroke-dasharray="6 4""#));
    assert_eq!(svg.matches("net-kind-network").count(), 3);
    // The figure has a caption, and the lists stay as the text equivalent.
    assert_eq!(
        doc.select(&selector("figure.network figcaption")).count(),
        1
    );
    assert!(doc.select(&selector("ul.institutions a")).count() >= 5);
}

#[test]
fn a_partner_page_shows_its_own_network() {
    let site = build(SPEC_SITE);
    let html = site.read("partners/institut-gefaessforschung/");
    let svg = network_svg(&html);
    assert!(svg.contains(r#"<title id="net-partner-title">"#));
    assert!(svg.contains("net-node net-focus"));
    // The partner and its two partners of the three-partner partnership, nothing else.
    assert_eq!(svg.matches("<circle").count(), 3);
    assert!(svg.contains("/sub/path/partners/klinikum-suedhoehe/"));
    assert!(svg.contains("/sub/path/partners/uniklinik-saalestadt/"));
    assert!(!svg.contains("/sub/path/partners/fachklinik-grossweissach/"));
    // English pages link to English partner pages.
    let en = site.read("en/partners/institut-gefaessforschung/");
    assert!(network_svg(&en).contains("/sub/path/en/partners/klinikum-suedhoehe/"));
}

#[test]
fn ids_in_the_network_are_unique_on_the_page() {
    let site = build(SPEC_SITE);
    for route in ["", "partners/uniklinik-saalestadt/"] {
        let doc = site.html(route);
        let mut ids: Vec<&str> = doc
            .select(&selector("[id]"))
            .filter_map(|e| e.value().attr("id"))
            .collect();
        let n = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), n, "duplicate ids on `{route}`");
    }
}
