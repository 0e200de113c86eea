//! Institution locations as HTML with an inline SVG map, made at build time (pure, no
//! I/O).
//!
//! No tiles and no requests: the boundaries come compiled in (`outline.rs`, Natural
//! Earth). The projection is equirectangular with x scaled by cos(mean latitude), so
//! distances look right near the points, fitted with padding to the places' bounding
//! box and never zoomed in closer than [`MIN_SPAN`] across, so a region shows around
//! its towns. The
//! countries meeting that frame are drawn (the ones holding a place emphasised),
//! Germany's Länder as lines; each shape clipped to the frame and simplified to the
//! map's scale.
//!
//! Points are grouped by place (their location's name): one dot and one name for
//! "Magdeburg", however many institutions are there; the names of those institutions
//! go into the name's tooltip and, for assistive technology, its text. A map of one
//! place says nothing a sentence does not, so it is not drawn. The SVG scales with the
//! column; the names are HTML over it, positioned in percent with a 13 px font, so
//! they keep their size at every width; `labels.rs` picks each name's side so that it
//! stays clear of the others and of the dots from a phone's width to a desktop's.
//!
//! The SVG is `role="img"` named by its `<title>` and described by its `<desc>`
//! (nothing in it is interactive), prefixed ids, everything escaped, same input same
//! output; the list of names is the text equivalent, with the page's location lists.

mod labels;
mod outline;

use super::network::{escape, f, truncate};
use outline::{Rect, SHAPES, ShapeKind};
use std::fmt::Write;

/// One location of an institution.
#[derive(Debug, Clone)]
pub(super) struct Point {
    pub lat: f64,
    pub lon: f64,
    /// The location's name: points of one name are one place.
    pub place: String,
    /// The institution there.
    pub institution: String,
    /// The institution's page; `None` draws the place without a link.
    pub url: Option<String>,
}

/// Accessible name and description, and the prefix that keeps ids unique per page.
pub(super) struct Labels<'a> {
    pub id_prefix: &'a str,
    pub title: &'a str,
    pub desc: &'a str,
    /// Whether a place's name says which institutions are there (not on the page of
    /// the one institution).
    pub name_institutions: bool,
}

/// The view box, in map units; shown at most this many CSS pixels wide.
pub(super) const WIDTH: f64 = 640.0;
pub(super) const HEIGHT: f64 = 400.0;
/// Room at the edges around the places.
const PAD_X: f64 = 56.0;
const PAD_Y: f64 = 44.0;
/// A dot's radius.
pub(super) const RADIUS: f64 = 7.0;
const LABEL_CHARS: usize = 28;
/// The least shown from west to east, in degrees of latitude's length (so a town's
/// region shows around it).
const MIN_SPAN: f64 = 1.2;
/// How far a shape is clipped outside the frame, and the simplification tolerance,
/// in map units.
const BLEED: f64 = 4.0;
const TOLERANCE: f64 = 0.5;

fn valid(lat: f64, lon: f64) -> bool {
    lat.is_finite() && lon.is_finite() && lat.abs() <= 90.0 && lon.abs() <= 180.0
}

/// A place: its name, the mean position of its points and who is there.
#[derive(Debug, Clone)]
pub(super) struct Place {
    pub name: String,
    pub lat: f64,
    pub lon: f64,
    /// Institution names and pages, each once, in input order.
    pub members: Vec<(String, Option<String>)>,
}

/// Groups points by place name (in order of first appearance).
pub(super) fn places(points: &[Point]) -> Vec<Place> {
    let mut out: Vec<(Place, usize)> = Vec::new();
    for p in points.iter().filter(|p| valid(p.lat, p.lon)) {
        let name = p.place.trim();
        let at = match out.iter().position(|(q, _)| q.name == name) {
            Some(at) => at,
            None => {
                out.push((
                    Place {
                        name: name.to_owned(),
                        lat: 0.0,
                        lon: 0.0,
                        members: Vec::new(),
                    },
                    0,
                ));
                out.len() - 1
            }
        };
        let (place, n) = &mut out[at];
        place.lat += p.lat;
        place.lon += p.lon;
        *n += 1;
        if !place.members.iter().any(|(m, _)| *m == p.institution) {
            place.members.push((p.institution.clone(), p.url.clone()));
        }
    }
    out.into_iter()
        .map(|(mut p, n)| {
            p.lat /= n as f64;
            p.lon /= n as f64;
            p
        })
        .collect()
}

/// The projection of one map: `(lat, lon)` → map units.
#[derive(Debug, Clone, Copy)]
pub(super) struct View {
    /// cos(mean latitude): x is longitude times this.
    k: f64,
    scale: f64,
    cx: f64,
    cy: f64,
}

impl View {
    /// Fitted to the points with padding, at least [`MIN_SPAN`] across.
    pub(super) fn fit(points: &[(f64, f64)]) -> Self {
        let n = points.len().max(1) as f64;
        let mean_lat = points.iter().map(|p| p.0).sum::<f64>() / n;
        let k = mean_lat.to_radians().cos().max(0.1);
        let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for &(lat, lon) in points {
            x0 = x0.min(lon * k);
            x1 = x1.max(lon * k);
            y0 = y0.min(-lat);
            y1 = y1.max(-lat);
        }
        if points.is_empty() {
            (x0, x1, y0, y1) = (0.0, 0.0, 0.0, 0.0);
        }
        // Fitted to the points, but never zoomed in so far that less than `MIN_SPAN`
        // shows across.
        let (inner_w, inner_h) = (WIDTH - 2.0 * PAD_X, HEIGHT - 2.0 * PAD_Y);
        let scale = (inner_w / (x1 - x0).max(1e-9))
            .min(inner_h / (y1 - y0).max(1e-9))
            .min(inner_w / MIN_SPAN);
        View {
            k,
            scale,
            cx: (x0 + x1) / 2.0,
            cy: (y0 + y1) / 2.0,
        }
    }

    pub(super) fn project(&self, lat: f64, lon: f64) -> (f64, f64) {
        (
            WIDTH / 2.0 + (lon * self.k - self.cx) * self.scale,
            HEIGHT / 2.0 + (-lat - self.cy) * self.scale,
        )
    }

    /// The frame in degrees, `(lon0, lat0, lon1, lat1)`, grown by `bleed` units.
    fn bounds(&self, bleed: f64) -> (f64, f64, f64, f64) {
        let lon = |x: f64| ((x - WIDTH / 2.0) / self.scale + self.cx) / self.k;
        let lat = |y: f64| -((y - HEIGHT / 2.0) / self.scale + self.cy);
        (
            lon(-bleed),
            lat(HEIGHT + bleed),
            lon(WIDTH + bleed),
            lat(-bleed),
        )
    }
}

/// The map as HTML (the SVG and the places' names over it), or an empty string when
/// fewer than two places have valid coordinates.
pub(super) fn render(points: &[Point], labels: &Labels) -> String {
    let places = places(points);
    if places.len() < 2 {
        return String::new();
    }
    let view = View::fit(&places.iter().map(|p| (p.lat, p.lon)).collect::<Vec<_>>());
    let pos: Vec<(f64, f64)> = places.iter().map(|p| view.project(p.lat, p.lon)).collect();
    let p = escape(labels.id_prefix);
    let mut s = String::new();
    let _ = write!(
        s,
        "<div class=\"map-chart\"><svg xmlns=\"http://www.w3.org/2000/svg\" class=\"map-svg\" \
         role=\"img\" aria-labelledby=\"{p}-title\" aria-describedby=\"{p}-desc\" \
         viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\">\
         <title id=\"{p}-title\">{}</title><desc id=\"{p}-desc\">{}</desc>",
        escape(labels.title),
        escape(labels.desc),
        w = f(WIDTH),
        h = f(HEIGHT),
    );
    write_outlines(&mut s, &view, &places);
    s.push_str("<g class=\"map-points\">");
    for &(x, y) in &pos {
        let _ = write!(
            s,
            "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"currentColor\" stroke=\"#fff\" stroke-width=\"2\"/>",
            f(x),
            f(y),
            f(RADIUS),
        );
    }
    s.push_str("</g></svg>");
    write_names(&mut s, &places, &pos, labels);
    s.push_str("</div>");
    s
}

/// The countries meeting the frame (those holding a place emphasised), then the
/// state lines, each clipped and simplified.
fn write_outlines(s: &mut String, view: &View, places: &[Place]) {
    let (lon0, lat0, lon1, lat1) = view.bounds(BLEED);
    let frame: Rect = (-BLEED, -BLEED, WIDTH + BLEED, HEIGHT + BLEED);
    let meets = |b: (f64, f64, f64, f64)| b.0 <= lon1 && b.2 >= lon0 && b.1 <= lat1 && b.3 >= lat0;
    let mut land = String::new();
    let mut home = String::new();
    let mut lines = String::new();
    for shape in SHAPES.iter().filter(|sh| meets(sh.bounds)) {
        let projected: Vec<(f64, f64)> = shape
            .points
            .iter()
            .map(|&(lon, lat)| view.project(lat, lon))
            .collect();
        match shape.kind {
            ShapeKind::Country => {
                let ring = outline::simplify(&outline::clip_ring(&projected, frame), TOLERANCE);
                if ring.len() < 3 {
                    continue;
                }
                let holds = places
                    .iter()
                    .any(|p| outline::contains(&shape.points, (p.lon, p.lat)));
                path(if holds { &mut home } else { &mut land }, &ring, true);
            }
            ShapeKind::StateLine => {
                for piece in outline::clip_line(&projected, frame) {
                    path(&mut lines, &outline::simplify(&piece, TOLERANCE), false);
                }
            }
        }
    }
    s.push_str("<g class=\"map-outlines\" aria-hidden=\"true\">");
    for (class, d, fill) in [
        ("map-land", &land, true),
        ("map-land map-home", &home, true),
        ("map-states", &lines, false),
    ] {
        if !d.is_empty() {
            let paint = if fill {
                "fill=\"#eee\" stroke=\"#999\" stroke-width=\"1\" fill-rule=\"evenodd\""
            } else {
                "fill=\"none\" stroke=\"#999\" stroke-width=\"1\""
            };
            let _ = write!(s, "<path class=\"{class}\" d=\"{d}\" {paint}/>");
        }
    }
    s.push_str("</g>");
}

/// Appends a subpath (`M`, then relative `l` steps in tenths, closed with `Z`).
fn path(d: &mut String, points: &[(f64, f64)], closed: bool) {
    let round = |v: f64| (v * 10.0).round() as i64;
    let Some(&(x, y)) = points.first() else {
        return;
    };
    let (mut px, mut py) = (round(x), round(y));
    let _ = write!(d, "M{} {}", f(px as f64 / 10.0), f(py as f64 / 10.0));
    for &(x, y) in &points[1..] {
        let (qx, qy) = (round(x), round(y));
        if (qx, qy) != (px, py) {
            let _ = write!(
                d,
                "l{} {}",
                f((qx - px) as f64 / 10.0),
                f((qy - py) as f64 / 10.0)
            );
            (px, py) = (qx, qy);
        }
    }
    if closed {
        d.push('Z');
    }
}

/// The places' names: HTML over the SVG at percent positions, on the side `labels.rs`
/// chose; a place of one institution with a page links to it.
fn write_names(s: &mut String, places: &[Place], pos: &[(f64, f64)], labels: &Labels) {
    let texts: Vec<String> = places
        .iter()
        .map(|p| truncate(&p.name, LABEL_CHARS))
        .collect();
    let widths: Vec<f64> = texts.iter().map(|t| labels::label_width(t)).collect();
    let sides = labels::place(pos, &widths);
    s.push_str("<ul class=\"map-labels\">");
    for ((place, &(x, y)), (text, side)) in places.iter().zip(pos).zip(texts.iter().zip(sides)) {
        let who = place
            .members
            .iter()
            .map(|(n, _)| n.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let at = position(x, y);
        let _ = write!(
            s,
            "<li class=\"map-label {}\" style=\"{at}\">",
            side.class()
        );
        match &place.members[..] {
            [(name, Some(url))] => {
                let _ = write!(
                    s,
                    "<a href=\"{}\" title=\"{}\">{}</a>",
                    escape(url),
                    escape(name),
                    escape(text)
                );
            }
            _ => {
                let _ = write!(
                    s,
                    "<span title=\"{}\">{}</span>",
                    escape(&who),
                    escape(text)
                );
            }
        }
        if labels.name_institutions {
            let _ = write!(
                s,
                "<span class=\"visually-hidden\">: {}</span>",
                escape(&who)
            );
        }
        s.push_str("</li>");
    }
    s.push_str("</ul>");
}

/// The CSS position of a name's anchor, the dot, in percent of the map (the class
/// moves the name off the dot by the same `GAP` as `labels.rs`).
fn position(x: f64, y: f64) -> String {
    let pct = |v: f64, of: f64| format!("{:.2}%", v / of * 100.0);
    format!("left:{};top:{}", pct(x, WIDTH), pct(y, HEIGHT))
}

#[cfg(test)]
mod tests;
