use super::*;

fn pt(lat: f64, lon: f64, place: &str, institution: &str) -> Point {
    Point {
        lat,
        lon,
        place: place.into(),
        institution: institution.into(),
        url: Some(format!("/partners/{institution}/")),
    }
}

fn labels() -> Labels<'static> {
    Labels {
        id_prefix: "map-partners",
        title: "Locations",
        desc: "Institution locations",
        name_institutions: true,
    }
}

fn parse(html: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(html).unwrap_or_else(|e| panic!("not well-formed: {e}\n{html}"))
}

fn project_all(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let view = View::fit(points);
    points
        .iter()
        .map(|&(lat, lon)| view.project(lat, lon))
        .collect()
}

#[test]
fn projection_fits_inside_the_padding() {
    let sets: Vec<Vec<(f64, f64)>> = vec![
        vec![(49.77, 9.93), (50.93, 11.59), (52.52, 13.4), (48.14, 11.58)],
        vec![(-33.9, 151.2), (64.1, -21.9), (0.0, 0.0)],
        vec![(89.9, 179.9), (-89.9, -179.9)],
        vec![(50.0, 10.0), (50.0, 10.0001)],
    ];
    for set in sets {
        let pos = project_all(&set);
        assert!(
            pos.iter()
                .all(|&(x, y)| (PAD_X - 1e-6..=WIDTH - PAD_X + 1e-6).contains(&x)
                    && (PAD_Y - 1e-6..=HEIGHT - PAD_Y + 1e-6).contains(&y)),
            "{set:?} → {pos:?}"
        );
    }
}

#[test]
fn north_is_up_east_is_right_and_a_region_shows_around_close_towns() {
    let pos = project_all(&[(50.0, 10.0), (52.0, 13.0)]);
    assert!(pos[1].0 > pos[0].0);
    assert!(pos[1].1 < pos[0].1);
    // Two towns 0.1° apart: the map still spans MIN_SPAN, so they are close together.
    let pos = project_all(&[(51.8, 11.0), (51.8, 11.1)]);
    assert!((pos[1].0 - pos[0].0) < WIDTH / 4.0);
}

#[test]
fn points_are_grouped_by_place() {
    let points = [
        pt(52.13, 11.63, "Magdeburg", "UKMD"),
        pt(52.12, 11.62, "Magdeburg", "Land"),
        pt(51.84, 12.24, "Dessau-Roßlau", "Dessau"),
        pt(52.13, 11.63, "Magdeburg", "UKMD"),
    ];
    let places = places(&points);
    assert_eq!(places.len(), 2);
    assert_eq!(places[0].name, "Magdeburg");
    assert_eq!(places[0].members.len(), 2);
    assert!((places[0].lat - (52.13 * 2.0 + 52.12) / 3.0).abs() < 1e-9);
    let html = format!("<root>{}</root>", render(&points, &labels()));
    let doc = parse(&html);
    assert_eq!(
        doc.descendants()
            .filter(|d| d.has_tag_name("circle"))
            .count(),
        2
    );
    let names: Vec<String> = doc
        .descendants()
        .filter(|d| {
            d.attribute("class")
                .is_some_and(|c| c.starts_with("map-label "))
        })
        .map(|li| {
            li.descendants()
                .filter(|t| t.is_text())
                .filter_map(|t| t.text())
                .collect()
        })
        .collect();
    assert_eq!(names, ["Magdeburg: UKMD, Land", "Dessau-Roßlau: Dessau"]);
}

#[test]
fn one_place_is_not_a_map() {
    let points = [
        pt(52.13, 11.63, "Magdeburg", "UKMD"),
        pt(52.13, 11.63, "Magdeburg", "Land"),
    ];
    assert_eq!(render(&points, &labels()), "");
    assert_eq!(render(&[], &labels()), "");
}

#[test]
fn same_input_same_html() {
    let pts = vec![pt(49.77, 9.93, "a", "A"), pt(50.93, 11.59, "b", "B")];
    assert_eq!(render(&pts, &labels()), render(&pts, &labels()));
}

#[test]
fn well_formed_labelled_and_escaped_with_outlines() {
    let mut pts = vec![
        pt(52.13, 11.63, "A&B <x> \"q\" 'y'", "I & J"),
        pt(51.84, 12.24, "b", "K"),
        pt(f64::NAN, 11.59, "nan", "N"),
        pt(95.0, 11.59, "off", "O"),
    ];
    pts[1].url = None;
    let l = Labels {
        id_prefix: "map-p",
        title: "T & <T>",
        desc: "D's",
        name_institutions: false,
    };
    let html = render(&pts, &l);
    let wrapped = format!("<root>{html}</root>");
    let doc = parse(&wrapped);
    let svg = doc.descendants().find(|d| d.has_tag_name("svg")).unwrap();
    assert_eq!(svg.attribute("role"), Some("img"));
    assert_eq!(svg.attribute("aria-labelledby"), Some("map-p-title"));
    assert_eq!(svg.attribute("viewBox"), Some("0 0 640 400"));
    let ids: Vec<&str> = doc
        .descendants()
        .filter_map(|d| d.attribute("id"))
        .collect();
    assert_eq!(ids, ["map-p-title", "map-p-desc"]);
    // Invalid coordinates are left out; one link, one plain name.
    assert_eq!(html.matches("<circle").count(), 2);
    let links: Vec<_> = doc.descendants().filter(|d| d.has_tag_name("a")).collect();
    assert_eq!(links.len(), 1);
    assert_eq!(links[0].attribute("href"), Some("/partners/I & J/"));
    assert!(html.contains("A&amp;B &lt;x&gt; &quot;q&quot; &#39;y&#39;"));
    assert!(!html.contains("visually-hidden"));
    // Saxony-Anhalt: Germany emphasised, Länder lines, all inside the frame.
    let home = doc
        .descendants()
        .find(|d| d.attribute("class") == Some("map-land map-home"))
        .expect("the country holding the places");
    assert!(home.attribute("d").unwrap().starts_with('M'));
    let states = doc
        .descendants()
        .find(|d| d.attribute("class") == Some("map-states"))
        .expect("state lines");
    assert!(states.attribute("d").unwrap().len() > 100);
    assert!(html.len() < 40_000, "{} bytes", html.len());
}

#[test]
fn names_sit_at_their_dots_in_percent() {
    let pts = vec![pt(52.0, 10.0, "West", "A"), pt(52.0, 13.0, "East", "B")];
    let html = render(&pts, &labels());
    assert!(html.contains("class=\"map-label at-e\" style=\"left:"));
    assert!(html.contains("class=\"map-label at-w\""));
    assert!(html.contains("%;top:"));
}
