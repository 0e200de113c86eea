//! The location map (inline SVG on the partners page and on partner pages with two
//! places or more) and the timeline's "today" marker and planned events. Projection,
//! outlines, name placement, escaping and well-formedness are unit tests in
//! `src/render/map/`.

use crate::harness::{Fixture, SPEC_SITE, build, selector};
use partnerpress::BuildOptions;
use scraper::Html;

/// The map's `<svg>` of a page, as source text, if there is one.
fn map_svg(html: &str) -> Option<&str> {
    let start = html.find(r#"<svg xmlns="http://www.w3.org/2000/svg" class="map-svg""#)?;
    let end = html[start..].find("</svg>").expect("a closing </svg>") + start + 6;
    Some(&html[start..end])
}

#[test]
fn the_partners_page_maps_every_place_with_coordinates() {
    let site = build(SPEC_SITE);
    let html = site.read("partner/");
    let svg = map_svg(&html).expect("a map on the partners page");
    assert!(svg.contains(r#"role="img""#));
    assert!(svg.contains(r#"<title id="map-partners-title">"#));
    assert!(svg.contains(r#"<desc id="map-partners-desc">"#));
    // Two locations have coordinates (Südhöhe's Hauptstandort, Saalestadt's Campus Nord);
    // the one without is not drawn.
    assert_eq!(svg.matches("<circle").count(), 2);
    // Boundaries: the country holding the places, drawn from the embedded outlines.
    assert!(svg.contains(r#"class="map-land map-home""#));
    // The names are HTML over the map, each linking to the institution at that place.
    let doc = Html::parse_document(&html);
    let links: Vec<(String, String)> = doc
        .select(&selector("figure.map .map-labels a"))
        .map(|a| {
            let href = a.value().attr("href").unwrap_or_default().to_owned();
            (href, a.text().collect())
        })
        .collect();
    assert_eq!(
        links,
        [
            (
                "/sub/path/partner/klinikum-suedhoehe/".to_owned(),
                "Hauptstandort Südhöhe".to_owned()
            ),
            (
                "/sub/path/partner/uniklinik-saalestadt/".to_owned(),
                "Campus Nord".to_owned()
            ),
        ]
    );
    assert_eq!(doc.select(&selector("figure.map figcaption")).count(), 1);
    // No tiles, nothing from another host.
    assert!(
        !svg.replace("http://www.w3.org/2000/svg", "")
            .contains("http")
    );
}

#[test]
fn a_partner_page_maps_its_own_places_only_when_it_has_two() {
    let site = build(SPEC_SITE);
    // Südhöhe: two locations, one with coordinates: one point is no map.
    let html = site.read("partner/klinikum-suedhoehe/");
    assert!(map_svg(&html).is_none(), "a map of one point");
    // The location list stays as the text equivalent.
    let doc = Html::parse_document(&html);
    assert_eq!(doc.select(&selector("ul.locations li")).count(), 2);
    for without in [
        "partner/institut-gefaessforschung/",
        "partner/gesundheitsamt-tannenfeld/",
    ] {
        let html = site.read(without);
        assert!(map_svg(&html).is_none(), "{without} has a map");
        assert!(!html.contains(r#"class="map""#), "{without}");
    }
    // With coordinates for the second location, the page maps both, unlinked.
    let fixture = Fixture::copy(SPEC_SITE);
    fixture.edit(
        "content/institutions/klinikum-suedhoehe.md",
        "{ name: Tagesklinik Äußere Pleich }",
        "{ name: Tagesklinik Äußere Pleich, lat: 49.8, lon: 9.94 }",
    );
    let html = fixture.build().read("partner/klinikum-suedhoehe/");
    let svg = map_svg(&html).expect("a map on Südhöhe's page");
    assert!(svg.contains(r#"<title id="map-partner-title">"#));
    assert_eq!(svg.matches("<circle").count(), 2);
    let doc = Html::parse_document(&html);
    let names: Vec<String> = doc
        .select(&selector("figure.map .map-label"))
        .map(|li| li.text().collect())
        .collect();
    assert_eq!(
        names,
        ["Hauptstandort Südhöhe", "Tagesklinik Äußere Pleich"]
    );
    assert_eq!(doc.select(&selector("figure.map .map-label a")).count(), 0);
}

fn at(fixture: &Fixture, now: &str) -> BuildOptions {
    BuildOptions {
        now: Some(now.parse().expect("timestamp")),
        ..fixture.options()
    }
}

#[test]
fn the_timeline_marks_today_between_past_and_planned_events() {
    let fixture = Fixture::copy(SPEC_SITE);
    fixture.edit(
        "content/partnerships/drei-partner.md",
        "date: 2022-10, title: Viertes",
        "date: 2030-05, title: Viertes",
    );
    let opts = at(&fixture, "2026-11-25T12:00:00Z");
    let site = fixture.build_with(&opts);
    for (route, label) in [("chronik/", "Heute"), ("en/timeline/", "Today")] {
        let main = site.main(route);
        let doc = Html::parse_fragment(&main);
        let today: Vec<_> = doc.select(&selector("li.event-today")).collect();
        assert_eq!(today.len(), 1, "{route}");
        let time = today[0].select(&selector("time")).next().expect("a <time>");
        assert_eq!(time.value().attr("datetime"), Some("2026-11-25"));
        assert!(today[0].text().any(|t| t.contains(label)), "{route}");
        let future: Vec<_> = doc.select(&selector("li.event-future")).collect();
        assert_eq!(future.len(), 1, "{route}");
        assert!(future[0].value().classes().any(|c| c == "event-milestone"));
        // Past events first, then today, then the planned one; the 2030 one is future.
        let at_today = main.find("event-today").unwrap();
        let at_future = main.find("event-future").unwrap();
        assert!(at_today < at_future);
        assert!(main[at_future..].contains("2030-05"));
        let past = main[..at_today].matches("<li class=\"event ").count();
        // The marker is not an event (`li.event` counts events, as `timeline.ics` does).
        assert_eq!(doc.select(&selector("li.event.event-today")).count(), 0);
        assert!(past >= 3, "{route}");
        assert!(!main[..at_today].contains("event-future"));
    }
    // The partnership's own timeline shows the same.
    let main = site.main("partnerschaften/drei-partner/");
    assert_eq!(main.matches("event-today").count(), 1);
    assert_eq!(main.matches("event-future").count(), 1);
}

#[test]
fn without_planned_events_today_comes_last_and_nothing_is_future() {
    let fixture = Fixture::copy(SPEC_SITE);
    let opts = at(&fixture, "2026-11-25T12:00:00Z");
    let site = fixture.build_with(&opts);
    let main = site.main("chronik/");
    assert!(!main.contains("event-future"));
    let doc = Html::parse_fragment(&main);
    let items: Vec<_> = doc.select(&selector("ol.timeline-events > li")).collect();
    let last = items.last().expect("events");
    assert!(last.value().classes().any(|c| c == "event-today"));
    // Any moment of the same day in the site's time zone (Berlin) gives the same page.
    let again = {
        let fixture = Fixture::copy(SPEC_SITE);
        let opts = at(&fixture, "2026-11-25T22:59:00Z");
        fixture.build_with(&opts).main("chronik/")
    };
    assert_eq!(main, again);
}
