//! The partnership network: an inline SVG on the home page (the whole network) and on
//! each partner page (the partner and its direct partners), with a title, links to
//! partner pages, planned partnerships dashed, a legend; a table above 12 institutions. Two builds being identical is covered
//! by `output/`.

use crate::harness::{SPEC_BASE_URL, SPEC_SITE, build, selector};
use scraper::Html;

/// The one network drawing's `<svg>` of `route`, as source text.
fn network_svg(html: &str) -> &str {
    const OPEN: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" class="network-svg""#;
    let start = html.find(OPEN).expect("a network <svg> on the page");
    let end = html[start..].find("</svg>").expect("a closing </svg>") + start + 6;
    assert_eq!(html.matches(OPEN).count(), 1, "one network per page");
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
            .all(|l| l.starts_with(&format!("{base}partner/")))
    );
    assert!(links.contains(&format!("{base}partner/klinikum-suedhoehe/")));
    // The planned partnership is dashed; the three-partner one is a triangle.
    assert!(svg.contains("net-status-planned"));
    assert!(svg.contains(r#"stroke-dasharray="6 4""#));
    assert_eq!(svg.matches("net-kind-network").count(), 3);
    // No partnership's title is drawn; the legend names the kinds and "planned".
    assert!(!svg.contains("<text class=\"net-label"));
    let legend: Vec<String> = doc
        .select(&selector("figure.network ul.net-legend li"))
        .map(|li| li.text().collect())
        .collect();
    assert!(legend.contains(&"geplant".to_owned()), "{legend:?}");
    assert!(legend.contains(&"Netzwerk".to_owned()), "{legend:?}");
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
    let html = site.read("partner/institut-gefaessforschung/");
    let svg = network_svg(&html);
    assert!(svg.contains(r#"<title id="net-partner-title">"#));
    assert!(svg.contains("net-node net-focus"));
    // The partner and its two partners of the three-partner partnership, nothing else.
    assert_eq!(svg.matches("<circle").count(), 3);
    assert!(svg.contains("/sub/path/partner/klinikum-suedhoehe/"));
    assert!(svg.contains("/sub/path/partner/uniklinik-saalestadt/"));
    assert!(!svg.contains("/sub/path/partner/fachklinik-grossweissach/"));
    // English pages link to English partner pages.
    let en = site.read("en/partners/institut-gefaessforschung/");
    assert!(network_svg(&en).contains("/sub/path/en/partners/klinikum-suedhoehe/"));
}

#[test]
fn ids_in_the_network_are_unique_on_the_page() {
    let site = build(SPEC_SITE);
    for route in ["", "partner/uniklinik-saalestadt/"] {
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

#[test]
fn fifty_institutions_are_a_table_of_partnerships_not_a_drawing() {
    let site = build("fifty");
    let doc = site.html("");
    assert_eq!(
        doc.select(&selector("figure.network svg.network-svg"))
            .count(),
        0
    );
    let rows = doc
        .select(&selector("figure.network table.net-table tbody tr"))
        .count();
    assert!(rows >= 10, "{rows} rows");
    // Each row: the partnership (a link) as its header, then its partners as links.
    for row in doc.select(&selector("figure.network table.net-table tbody tr")) {
        assert_eq!(row.select(&selector("th[scope=row] > a")).count(), 1);
        assert!(row.select(&selector("td li a")).count() >= 2);
    }
}
