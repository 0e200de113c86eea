//! The map's boundaries: Natural Earth's countries and Germany's Länder (public
//! domain), simplified by `tools/map_outlines.py` and compiled in (`outlines.bin`,
//! about 210 KB; see `OUTLINES.md`), so a build makes no request and needs no file.
//! Here they are decoded once, and for each map the shapes meeting its frame are
//! projected, clipped to it and simplified again to the map's scale (pure).

use std::sync::LazyLock;

/// What a shape is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ShapeKind {
    /// A closed ring of a country's area.
    Country,
    /// An open line between two states or provinces.
    StateLine,
}

/// One shape in degrees: `(lon, lat)` points and their bounding box.
#[derive(Debug, Clone)]
pub(super) struct Shape {
    pub kind: ShapeKind,
    pub points: Vec<(f64, f64)>,
    /// `(lon0, lat0, lon1, lat1)`.
    pub bounds: (f64, f64, f64, f64),
}

static DATA: &[u8] = include_bytes!("outlines.bin");
const MAGIC: &[u8] = b"PPOUTLN1";

/// Every shape of the embedded data, decoded on first use.
pub(super) static SHAPES: LazyLock<Vec<Shape>> = LazyLock::new(|| decode(DATA));

/// Decodes the format `tools/map_outlines.py` writes; a truncated or foreign file
/// gives the shapes read so far (the map then just shows fewer boundaries).
pub(super) fn decode(data: &[u8]) -> Vec<Shape> {
    let mut shapes = Vec::new();
    let Some(mut rest) = data.strip_prefix(MAGIC) else {
        return shapes;
    };
    while let Some((&kind, tail)) = rest.split_first() {
        rest = tail;
        let kind = match kind {
            0 => ShapeKind::Country,
            1 => ShapeKind::StateLine,
            _ => break,
        };
        let Some(count) = varint(&mut rest) else {
            break;
        };
        let mut points = Vec::with_capacity(count.min(1 << 16) as usize);
        let (mut x, mut y) = (0i64, 0i64);
        for _ in 0..count {
            let (Some(dx), Some(dy)) = (varint(&mut rest), varint(&mut rest)) else {
                return shapes;
            };
            x += unzigzag(dx);
            y += unzigzag(dy);
            points.push((x as f64 / 1000.0, y as f64 / 1000.0));
        }
        if points.is_empty() {
            continue;
        }
        let bounds = points.iter().fold(
            (f64::MAX, f64::MAX, f64::MIN, f64::MIN),
            |(a, b, c, d), &(x, y)| (a.min(x), b.min(y), c.max(x), d.max(y)),
        );
        shapes.push(Shape {
            kind,
            points,
            bounds,
        });
    }
    shapes
}

fn varint(data: &mut &[u8]) -> Option<u64> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let (&byte, rest) = data.split_first()?;
        *data = rest;
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

fn unzigzag(n: u64) -> i64 {
    (n >> 1) as i64 ^ -((n & 1) as i64)
}

/// A rectangle `(x0, y0, x1, y1)` in map units.
pub(super) type Rect = (f64, f64, f64, f64);

/// Whether `(lon, lat)` lies inside the ring (even–odd rule).
pub(super) fn contains(ring: &[(f64, f64)], (px, py): (f64, f64)) -> bool {
    let mut inside = false;
    let mut j = ring.len().wrapping_sub(1);
    for i in 0..ring.len() {
        let ((xi, yi), (xj, yj)) = (ring[i], ring[j]);
        if (yi > py) != (yj > py) && px < (xj - xi) * (py - yi) / (yj - yi) + xi {
            inside = !inside;
        }
        j = i;
    }
    inside
}

/// A closed ring clipped to `r` (Sutherland–Hodgman: the rectangle is convex, so one
/// pass per edge gives one ring, with edges along the frame where the shape leaves it).
pub(super) fn clip_ring(ring: &[(f64, f64)], r: Rect) -> Vec<(f64, f64)> {
    type Inside = fn((f64, f64), Rect) -> bool;
    let edges: [(Inside, usize); 4] = [
        (|p, r| p.0 >= r.0, 0),
        (|p, r| p.0 <= r.2, 0),
        (|p, r| p.1 >= r.1, 1),
        (|p, r| p.1 <= r.3, 1),
    ];
    let limits = [r.0, r.2, r.1, r.3];
    let mut out: Vec<(f64, f64)> = ring.to_vec();
    for (k, (inside, axis)) in edges.into_iter().enumerate() {
        let input = std::mem::take(&mut out);
        let Some(&last) = input.last() else {
            break;
        };
        let mut prev = last;
        for &cur in &input {
            let (pin, cin) = (inside(prev, r), inside(cur, r));
            if cin != pin {
                out.push(cross(prev, cur, axis, limits[k]));
            }
            if cin {
                out.push(cur);
            }
            prev = cur;
        }
    }
    out
}

/// Where the segment `a`–`b` crosses the line `axis = at` (0: x, 1: y).
fn cross(a: (f64, f64), b: (f64, f64), axis: usize, at: f64) -> (f64, f64) {
    let (a0, b0) = if axis == 0 { (a.0, b.0) } else { (a.1, b.1) };
    let t = if b0 == a0 { 0.0 } else { (at - a0) / (b0 - a0) };
    (a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1))
}

/// An open line clipped to `r`: the pieces inside, each at least two points.
pub(super) fn clip_line(line: &[(f64, f64)], r: Rect) -> Vec<Vec<(f64, f64)>> {
    let mut pieces = Vec::new();
    let mut piece: Vec<(f64, f64)> = Vec::new();
    for pair in line.windows(2) {
        match clip_segment(pair[0], pair[1], r) {
            Some((a, b)) => {
                if piece.last() != Some(&a) {
                    if piece.len() >= 2 {
                        pieces.push(std::mem::take(&mut piece));
                    }
                    piece.clear();
                    piece.push(a);
                }
                piece.push(b);
            }
            None => {
                if piece.len() >= 2 {
                    pieces.push(std::mem::take(&mut piece));
                }
                piece.clear();
            }
        }
    }
    if piece.len() >= 2 {
        pieces.push(piece);
    }
    pieces
}

/// Liang–Barsky: the part of `a`–`b` inside `r`, if any.
fn clip_segment(a: (f64, f64), b: (f64, f64), r: Rect) -> Option<((f64, f64), (f64, f64))> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [
        (-dx, a.0 - r.0),
        (dx, r.2 - a.0),
        (-dy, a.1 - r.1),
        (dy, r.3 - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    (t0 <= t1).then_some((
        (a.0 + t0 * dx, a.1 + t0 * dy),
        (a.0 + t1 * dx, a.1 + t1 * dy),
    ))
}

/// Douglas–Peucker: the points that keep the line within `tolerance` of the original
/// (the first and last always kept). Iterative, so long lines cannot overflow the stack.
pub(super) fn simplify(points: &[(f64, f64)], tolerance: f64) -> Vec<(f64, f64)> {
    if points.len() < 3 {
        return points.to_vec();
    }
    let mut keep = vec![false; points.len()];
    keep[0] = true;
    keep[points.len() - 1] = true;
    let mut todo = vec![(0, points.len() - 1)];
    while let Some((a, b)) = todo.pop() {
        let (pa, pb) = (points[a], points[b]);
        let (dx, dy) = (pb.0 - pa.0, pb.1 - pa.1);
        let norm = dx.hypot(dy);
        let mut best = (0.0, 0);
        for (i, &p) in points.iter().enumerate().take(b).skip(a + 1) {
            let d = if norm == 0.0 {
                (p.0 - pa.0).hypot(p.1 - pa.1)
            } else {
                (dy * (p.0 - pa.0) - dx * (p.1 - pa.1)).abs() / norm
            };
            if d > best.0 {
                best = (d, i);
            }
        }
        if best.0 > tolerance {
            keep[best.1] = true;
            todo.push((a, best.1));
            todo.push((best.1, b));
        }
    }
    points
        .iter()
        .zip(keep)
        .filter_map(|(&p, k)| k.then_some(p))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_data_decodes_and_covers_germany_and_the_world() {
        let shapes = &*SHAPES;
        assert!(shapes.len() > 1000, "{} shapes", shapes.len());
        let magdeburg = (11.63, 52.13);
        let germany = shapes
            .iter()
            .filter(|s| s.kind == ShapeKind::Country && contains(&s.points, magdeburg))
            .count();
        assert_eq!(germany, 1, "one country around Magdeburg");
        // Länder: lines near Saxony-Anhalt.
        assert!(shapes.iter().any(|s| s.kind == ShapeKind::StateLine
            && s.bounds.0 < 12.0
            && s.bounds.2 > 11.0
            && s.bounds.1 < 52.5
            && s.bounds.3 > 51.5));
        // And somewhere else: Sydney lies in a country.
        assert!(
            shapes
                .iter()
                .any(|s| s.kind == ShapeKind::Country && contains(&s.points, (151.2, -33.9)))
        );
        // Rings are small: most a few hundred points, the longest coasts (Norway's,
        // Russia's) under 10,000; a map keeps only what meets its frame.
        assert!(shapes.iter().all(|s| s.points.len() < 10_000));
    }

    #[test]
    fn a_foreign_or_cut_file_gives_what_it_has() {
        assert!(decode(b"nothing").is_empty());
        let cut = &DATA[..DATA.len() / 2];
        let partial = decode(cut);
        assert!(!partial.is_empty() && partial.len() < SHAPES.len());
    }

    #[test]
    fn douglas_peucker_keeps_corners_and_drops_what_is_within_tolerance() {
        let line = [
            (0.0, 0.0),
            (1.0, 0.1),
            (2.0, -0.1),
            (3.0, 5.0),
            (4.0, 6.0),
            (5.0, 7.0),
        ];
        assert_eq!(
            simplify(&line, 0.5),
            [(0.0, 0.0), (2.0, -0.1), (3.0, 5.0), (5.0, 7.0)]
        );
        assert_eq!(simplify(&line, 100.0), [(0.0, 0.0), (5.0, 7.0)]);
        // At zero only the point exactly on its neighbours' line goes.
        assert_eq!(simplify(&line, 0.0).len(), line.len() - 1);
        assert_eq!(simplify(&line[..2], 1.0), &line[..2]);
    }

    #[test]
    fn rings_are_clipped_to_the_frame() {
        let square = [(-5.0, -5.0), (5.0, -5.0), (5.0, 5.0), (-5.0, 5.0)];
        let clipped = clip_ring(&square, (0.0, 0.0, 10.0, 10.0));
        let mut sorted = clipped.clone();
        sorted.sort_by(|a, b| a.partial_cmp(b).unwrap());
        sorted.dedup();
        assert_eq!(sorted, [(0.0, 0.0), (0.0, 5.0), (5.0, 0.0), (5.0, 5.0)]);
        assert!(clip_ring(&square, (20.0, 20.0, 30.0, 30.0)).is_empty());
    }

    #[test]
    fn lines_are_cut_into_the_pieces_inside() {
        let line = [
            (-1.0, 1.0),
            (1.0, 1.0),
            (2.0, 1.0),
            (2.0, 19.0),
            (3.0, 18.0),
            (3.0, 2.0),
        ];
        let pieces = clip_line(&line, (0.0, 0.0, 10.0, 10.0));
        assert_eq!(
            pieces,
            [
                vec![(0.0, 1.0), (1.0, 1.0), (2.0, 1.0), (2.0, 10.0)],
                vec![(3.0, 10.0), (3.0, 2.0)],
            ]
        );
    }

    #[test]
    fn point_in_ring() {
        let tri = [(0.0, 0.0), (10.0, 0.0), (0.0, 10.0)];
        assert!(contains(&tri, (2.0, 2.0)));
        assert!(!contains(&tri, (8.0, 8.0)));
    }
}
