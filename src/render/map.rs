//! Institution locations as an inline SVG map, made at build time (pure, no I/O).
//!
//! No tiles and no requests: points on a plain background. The projection is
//! equirectangular with x scaled by cos(mean latitude), so distances look right near the
//! points, fitted with padding to the points' bounding box; a single point (or several
//! at one place) sits in the middle of a small area. Each point is a circle with a label,
//! linked to the institution's page when it has a `url`. Labels point towards the
//! middle (right of points in the left half, left in the right half), so none runs off
//! the edge, and move to the other side or a line up or down to clear earlier labels and
//! other circles.
//!
//! Like `network.rs`: `role="group"` named by its `<title>` and described by its
//! `<desc>` (not `role="img"`, whose children are presentational, so links inside would
//! be hidden from assistive technology), prefixed ids, everything escaped, same input
//! same output. The page's location lists are the text equivalent.

use super::network::escape;
use std::fmt::Write;

/// One location on the map.
#[derive(Debug, Clone)]
pub(super) struct Point {
    pub lat: f64,
    pub lon: f64,
    /// Drawn beside the circle.
    pub label: String,
    /// Tooltip (accessible name of the link).
    pub title: String,
    /// The institution's page; `None` draws the point without a link.
    pub url: Option<String>,
}

/// Accessible name and description, and the prefix that keeps ids unique per page.
pub(super) struct Labels<'a> {
    pub id_prefix: &'a str,
    pub title: &'a str,
    pub desc: &'a str,
}

pub(super) const WIDTH: f64 = 640.0;
pub(super) const HEIGHT: f64 = 400.0;
/// Room at the edges for a circle and half a label's height.
const PAD: f64 = 28.0;
const RADIUS: f64 = 6.0;
const FONT: f64 = 13.0;
const LABEL_CHARS: usize = 30;
/// Points whose label is placed clear of the others; later ones go towards the middle
/// unchecked. A 640-pixel map cannot show more apart anyway, and checking every label
/// against every other took seconds per map with thousands of locations.
const PLACED_LABELS: usize = 200;
/// The smallest area shown, in degrees, so one point is not blown up to a continent.
const MIN_SPAN: f64 = 0.5;

fn valid(lat: f64, lon: f64) -> bool {
    lat.is_finite() && lon.is_finite() && lat.abs() <= 90.0 && lon.abs() <= 180.0
}

/// Projects `(lat, lon)` pairs into the `WIDTH` × `HEIGHT` box with `PAD` on every side.
pub(super) fn project(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    if points.is_empty() {
        return Vec::new();
    }
    let mean_lat = points.iter().map(|p| p.0).sum::<f64>() / points.len() as f64;
    let k = mean_lat.to_radians().cos().max(0.1);
    let xy: Vec<(f64, f64)> = points.iter().map(|&(lat, lon)| (lon * k, -lat)).collect();
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for &(x, y) in &xy {
        x0 = x0.min(x);
        x1 = x1.max(x);
        y0 = y0.min(y);
        y1 = y1.max(y);
    }
    let span_x = (x1 - x0).max(MIN_SPAN);
    let span_y = (y1 - y0).max(MIN_SPAN);
    let scale = ((WIDTH - 2.0 * PAD) / span_x).min((HEIGHT - 2.0 * PAD) / span_y);
    let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
    xy.iter()
        .map(|&(x, y)| {
            (
                WIDTH / 2.0 + (x - cx) * scale,
                HEIGHT / 2.0 + (y - cy) * scale,
            )
        })
        .collect()
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

fn f(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if r == 0.0 {
        "0".to_owned()
    } else {
        format!("{r}")
    }
}

/// A box `(x0, y0, x1, y1)`.
type Rect = (f64, f64, f64, f64);

fn overlaps(a: Rect, b: Rect) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// Where each label goes: `(x, y, text-anchor)`. Greedy, in input order: towards the
/// middle first, then the other side, then a line lower or higher, taking the first
/// place inside the view box that hits no circle and no label placed before; if there
/// is none, towards the middle (inside the view box all the same).
fn place_labels(pos: &[(f64, f64)], texts: &[String]) -> Vec<(f64, f64, &'static str)> {
    let circles: Vec<Rect> = pos
        .iter()
        .map(|&(x, y)| (x - RADIUS, y - RADIUS, x + RADIUS, y + RADIUS))
        .collect();
    let mut placed: Vec<Rect> = Vec::new();
    let mut out = Vec::new();
    for (i, (&(x, y), text)) in pos.iter().zip(texts).enumerate() {
        let w = text.chars().count() as f64 * FONT * 0.62;
        let gap = RADIUS + 4.0;
        let sides = if x <= WIDTH / 2.0 {
            [(x + gap, "start"), (x - gap, "end")]
        } else {
            [(x - gap, "end"), (x + gap, "start")]
        };
        let rect = |tx: f64, ty: f64, anchor: &str| -> Rect {
            let x0 = if anchor == "start" { tx } else { tx - w };
            (x0, ty - FONT * 0.6, x0 + w, ty + FONT * 0.6)
        };
        let mut choice = None;
        'search: for dy in [0.0, FONT, -FONT, 2.0 * FONT, -2.0 * FONT]
            .into_iter()
            .filter(|_| i < PLACED_LABELS)
        {
            for &(tx, anchor) in &sides {
                let r = rect(tx, y + dy, anchor);
                let inside = r.0 >= 0.0 && r.2 <= WIDTH && r.1 >= 0.0 && r.3 <= HEIGHT;
                let free = circles
                    .iter()
                    .enumerate()
                    .all(|(j, c)| j == i || !overlaps(r, *c))
                    && placed.iter().all(|p| !overlaps(r, *p));
                if inside && free {
                    choice = Some((tx, y + dy, anchor));
                    break 'search;
                }
            }
        }
        let (tx, ty, anchor) = choice.unwrap_or((sides[0].0, y, sides[0].1));
        placed.push(rect(tx, ty, anchor));
        out.push((tx, ty, anchor));
    }
    out
}

/// The map as one `<svg>` element, or an empty string when no point has valid
/// coordinates.
pub(super) fn render(points: &[Point], labels: &Labels) -> String {
    let points: Vec<&Point> = points.iter().filter(|p| valid(p.lat, p.lon)).collect();
    if points.is_empty() {
        return String::new();
    }
    let pos = project(&points.iter().map(|p| (p.lat, p.lon)).collect::<Vec<_>>());
    let p = escape(labels.id_prefix);
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"map-svg\" role=\"group\" \
         aria-labelledby=\"{p}-title\" aria-describedby=\"{p}-desc\" viewBox=\"0 0 {} {}\" \
         width=\"{}\" height=\"{}\"><title id=\"{p}-title\">{}</title><desc id=\"{p}-desc\">{}</desc>\
         <g class=\"map-points\">",
        f(WIDTH),
        f(HEIGHT),
        f(WIDTH),
        f(HEIGHT),
        escape(labels.title),
        escape(labels.desc),
    );
    let texts: Vec<String> = points
        .iter()
        .map(|p| truncate(&p.label, LABEL_CHARS))
        .collect();
    let places = place_labels(&pos, &texts);
    for ((pt, &(x, y)), (text, &(tx, ty, anchor))) in
        points.iter().zip(&pos).zip(texts.iter().zip(&places))
    {
        let body = format!(
            "<title>{}</title><circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"currentColor\" \
             stroke=\"#fff\" stroke-width=\"2\"/><text x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\" \
             dominant-baseline=\"middle\" font-size=\"{}\" fill=\"currentColor\">{}</text>",
            escape(&pt.title),
            f(x),
            f(y),
            f(RADIUS),
            f(tx),
            f(ty),
            f(FONT),
            escape(text),
        );
        match &pt.url {
            Some(url) => {
                let _ = write!(
                    s,
                    "<a class=\"map-point\" href=\"{}\">{body}</a>",
                    escape(url)
                );
            }
            None => {
                let _ = write!(s, "<g class=\"map-point\">{body}</g>");
            }
        }
    }
    s.push_str("</g></svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pt(lat: f64, lon: f64, label: &str) -> Point {
        Point {
            lat,
            lon,
            label: label.into(),
            title: format!("{label} (title)"),
            url: Some(format!("/partners/{label}/")),
        }
    }

    fn labels() -> Labels<'static> {
        Labels {
            id_prefix: "map-partners",
            title: "Locations",
            desc: "Institution locations",
        }
    }

    fn parse(svg: &str) -> roxmltree::Document<'_> {
        roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("not well-formed: {e}\n{svg}"))
    }

    fn inside(p: (f64, f64)) -> bool {
        p.0 - RADIUS >= 0.0
            && p.0 + RADIUS <= WIDTH
            && p.1 - RADIUS >= 0.0
            && p.1 + RADIUS <= HEIGHT
    }

    #[test]
    fn projection_fits_inside_the_view_box() {
        let sets: Vec<Vec<(f64, f64)>> = vec![
            vec![(49.77, 9.93), (50.93, 11.59), (52.52, 13.4), (48.14, 11.58)],
            vec![(-33.9, 151.2), (64.1, -21.9), (0.0, 0.0)],
            vec![(89.9, 179.9), (-89.9, -179.9)],
            vec![(50.0, 10.0), (50.0, 10.0001)],
        ];
        for set in sets {
            let pos = project(&set);
            assert_eq!(pos.len(), set.len());
            assert!(pos.iter().all(|&p| inside(p)), "{set:?} → {pos:?}");
            // The fit uses the room: the points span most of one side.
            if set.len() > 2 {
                let xs = pos.iter().map(|p| p.0);
                let ys = pos.iter().map(|p| p.1);
                let w = xs.clone().fold(f64::MIN, f64::max) - xs.fold(f64::MAX, f64::min);
                let h = ys.clone().fold(f64::MIN, f64::max) - ys.fold(f64::MAX, f64::min);
                assert!(
                    (w - (WIDTH - 2.0 * PAD)).abs() < 1e-6
                        || (h - (HEIGHT - 2.0 * PAD)).abs() < 1e-6
                );
            }
        }
    }

    #[test]
    fn north_is_up_and_east_is_right() {
        let pos = project(&[(50.0, 10.0), (52.0, 13.0)]);
        assert!(pos[1].0 > pos[0].0);
        assert!(pos[1].1 < pos[0].1);
    }

    #[test]
    fn a_single_point_and_identical_points_sit_in_the_middle() {
        assert_eq!(project(&[(49.77, 9.93)]), vec![(WIDTH / 2.0, HEIGHT / 2.0)]);
        let pos = project(&[(49.77, 9.93), (49.77, 9.93)]);
        assert_eq!(pos, vec![(WIDTH / 2.0, HEIGHT / 2.0); 2]);
        let svg = render(&[pt(49.77, 9.93, "One")], &labels());
        assert_eq!(svg.matches("<circle").count(), 1);
        parse(&svg);
    }

    #[test]
    fn same_input_same_svg() {
        let pts = vec![pt(49.77, 9.93, "a"), pt(50.93, 11.59, "b")];
        assert_eq!(render(&pts, &labels()), render(&pts, &labels()));
    }

    #[test]
    fn well_formed_labelled_and_escaped() {
        let mut pts = vec![
            pt(49.77, 9.93, "A&B <x> \"q\" 'y'"),
            pt(50.93, 11.59, "b"),
            pt(f64::NAN, 11.59, "nan"),
            pt(95.0, 11.59, "off"),
        ];
        pts[1].url = None;
        let l = Labels {
            id_prefix: "map-p",
            title: "T & <T>",
            desc: "D's",
        };
        let svg = render(&pts, &l);
        let doc = parse(&svg);
        let root = doc.root_element();
        assert_eq!(root.attribute("role"), Some("group"));
        assert_eq!(root.attribute("aria-labelledby"), Some("map-p-title"));
        assert_eq!(root.attribute("aria-describedby"), Some("map-p-desc"));
        assert_eq!(root.attribute("viewBox"), Some("0 0 640 400"));
        let ids: Vec<&str> = doc
            .descendants()
            .filter_map(|d| d.attribute("id"))
            .collect();
        assert_eq!(ids, ["map-p-title", "map-p-desc"]);
        // Invalid coordinates are left out; one link, one plain point.
        assert_eq!(svg.matches("<circle").count(), 2);
        let links: Vec<_> = doc
            .descendants()
            .filter(|d| d.tag_name().name() == "a")
            .collect();
        assert_eq!(links.len(), 1);
        assert_eq!(
            links[0].attribute("href"),
            Some("/partners/A&B <x> \"q\" 'y'/")
        );
        assert!(svg.contains("A&amp;B &lt;x&gt; &quot;q&quot; &#39;y&#39;"));
        assert_eq!(render(&pts[2..], &l), "");
        assert_eq!(render(&[], &l), "");
    }

    #[test]
    fn labels_stay_inside() {
        // Labels point towards the middle: start-anchored on the left, end on the right.
        let pts = vec![pt(50.0, 5.0, "West"), pt(50.0, 15.0, "East")];
        let svg = render(&pts, &labels());
        let doc = parse(&svg);
        let texts: Vec<_> = doc
            .descendants()
            .filter(|d| d.tag_name().name() == "text")
            .collect();
        assert_eq!(texts[0].attribute("text-anchor"), Some("start"));
        assert_eq!(texts[1].attribute("text-anchor"), Some("end"));
        let max_label = LABEL_CHARS as f64 * FONT * 0.62;
        assert!(max_label + PAD + RADIUS < WIDTH / 2.0 + PAD);
    }

    #[test]
    fn labels_of_close_points_do_not_overlap() {
        // Three points in a row on one latitude, close together, long labels.
        let pos = vec![
            (100.0, 310.0),
            (172.0, 310.0),
            (28.0, 284.0),
            (400.0, 200.0),
        ];
        let texts: Vec<String> = ["Harzklinikum", "Harzklinikum", "Harzklinikum", "X"]
            .map(String::from)
            .to_vec();
        let places = place_labels(&pos, &texts);
        let rects: Vec<Rect> = places
            .iter()
            .zip(&texts)
            .map(|(&(x, y, a), t)| {
                let w = t.chars().count() as f64 * FONT * 0.62;
                let x0 = if a == "start" { x } else { x - w };
                (x0, y - FONT * 0.6, x0 + w, y + FONT * 0.6)
            })
            .collect();
        for (i, a) in rects.iter().enumerate() {
            assert!(a.0 >= 0.0 && a.2 <= WIDTH && a.1 >= 0.0 && a.3 <= HEIGHT);
            for b in &rects[i + 1..] {
                assert!(!overlaps(*a, *b), "{a:?} {b:?}");
            }
            for (j, &(x, y)) in pos.iter().enumerate() {
                let c = (x - RADIUS, y - RADIUS, x + RADIUS, y + RADIUS);
                assert!(j == i || !overlaps(*a, c), "label {i} over circle {j}");
            }
        }
    }

    #[test]
    fn thousands_of_locations_draw_every_point() {
        let points: Vec<Point> = (0..5_000)
            .map(|i| {
                pt(
                    50.0 + (i % 71) as f64 * 0.01,
                    10.0 + (i / 71) as f64 * 0.01,
                    "Standort",
                )
            })
            .collect();
        let svg = render(&points, &labels());
        assert_eq!(
            parse(&svg)
                .descendants()
                .filter(|n| n.has_tag_name("circle"))
                .count(),
            5_000
        );
    }
}
