//! Where the places' names go (pure). The map scales with its column (at most
//! [`WIDTH`] CSS pixels wide, at least [`MIN_DISPLAY`] on a phone) while its names stay
//! 13 px, so a place is chosen that is free at every width between: the name inside
//! the map, clear of every dot and of every name placed before. Between two widths
//! each gap changes linearly, so checking a few widths across the range suffices in
//! practice; the browser test measures the real boxes at 390 and 1280 px.

use super::{HEIGHT, RADIUS, WIDTH};

/// The narrowest the map is shown, in CSS pixels (a 360 px phone less its margins).
pub(super) const MIN_DISPLAY: f64 = 320.0;
/// A name's box: 13 px text, a line of 1.25, padding; widths are an estimate on the
/// generous side (0.62 em a character), so real names fit inside.
const FONT: f64 = 13.0;
const CHAR_WIDTH: f64 = 0.62;
const PADDING: f64 = 8.0;
pub(super) const LINE: f64 = 18.0;
/// Between a dot's centre and its name, in CSS pixels (the CSS uses the same).
pub(super) const GAP: f64 = 11.0;
/// Between a dot's centre and a name diagonal to it, on each axis (the CSS uses the
/// same).
pub(super) const DIAGONAL_GAP: f64 = 9.0;
/// The displayed widths checked.
const SCALES: [f64; 5] = [MIN_DISPLAY / WIDTH, 0.625, 0.75, 0.875, 1.0];

/// Where a name sits relative to its dot (the CSS class `at-…`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Side {
    East,
    West,
    North,
    South,
    NorthEast,
    NorthWest,
    SouthEast,
    SouthWest,
}

impl Side {
    pub(super) fn class(self) -> &'static str {
        match self {
            Side::East => "at-e",
            Side::West => "at-w",
            Side::North => "at-n",
            Side::South => "at-s",
            Side::NorthEast => "at-ne",
            Side::NorthWest => "at-nw",
            Side::SouthEast => "at-se",
            Side::SouthWest => "at-sw",
        }
    }
}

/// The estimated width of a name's box in CSS pixels.
pub(super) fn label_width(text: &str) -> f64 {
    text.chars().count() as f64 * FONT * CHAR_WIDTH + PADDING
}

/// A box `(x0, y0, x1, y1)` in CSS pixels.
pub(super) type Rect = (f64, f64, f64, f64);

fn overlaps(a: Rect, b: Rect) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// The box of a name of width `w` on `side` of the dot at `(x, y)` (map units) when
/// the map is shown at `scale` CSS pixels per unit.
pub(super) fn label_box((x, y): (f64, f64), w: f64, side: Side, scale: f64) -> Rect {
    let (px, py) = (x * scale, y * scale);
    // Diagonal: clear of the dot's corner at full size (radius 7 and its edge).
    let d = DIAGONAL_GAP;
    let (x0, y0) = match side {
        Side::East => (px + GAP, py - LINE / 2.0),
        Side::West => (px - GAP - w, py - LINE / 2.0),
        Side::North => (px - w / 2.0, py - GAP - LINE),
        Side::South => (px - w / 2.0, py + GAP),
        Side::NorthEast => (px + d, py - d - LINE),
        Side::NorthWest => (px - d - w, py - d - LINE),
        Side::SouthEast => (px + d, py + d),
        Side::SouthWest => (px - d - w, py + d),
    };
    (x0, y0, x0 + w, y0 + LINE)
}

fn dot_box((x, y): (f64, f64), scale: f64) -> Rect {
    let r = RADIUS * scale + 1.0;
    (x * scale - r, y * scale - r, x * scale + r, y * scale + r)
}

/// The sides tried for a dot at `x`: towards the middle first, so names stay inside.
fn preference(x: f64) -> [Side; 8] {
    use Side::*;
    if x <= WIDTH / 2.0 {
        [
            East, West, North, South, NorthEast, SouthEast, NorthWest, SouthWest,
        ]
    } else {
        [
            West, East, North, South, NorthWest, SouthWest, NorthEast, SouthEast,
        ]
    }
}

/// How many partial placements the search tries before it settles for the greedy one.
const SEARCH_BUDGET: usize = 20_000;

/// A side per dot: a choice where every name is inside the map and clear of every dot
/// and every other name at every scale, found by a depth-first search over each
/// name's free sides (in order of preference, so the first found keeps names towards
/// the middle); when none is found within [`SEARCH_BUDGET`] steps (many crowded
/// places), greedily the first side clear of the names placed before, else the
/// preferred one.
pub(super) fn place(pos: &[(f64, f64)], widths: &[f64]) -> Vec<Side> {
    let fits = |i: usize, side: Side| {
        SCALES.iter().all(|&s| {
            let b = label_box(pos[i], widths[i], side, s);
            b.0 >= 0.0
                && b.1 >= 0.0
                && b.2 <= WIDTH * s
                && b.3 <= HEIGHT * s
                && pos.iter().all(|&q| !overlaps(b, dot_box(q, s)))
        })
    };
    let clear = |i: usize, a: Side, j: usize, b: Side| {
        SCALES.iter().all(|&s| {
            !overlaps(
                label_box(pos[i], widths[i], a, s),
                label_box(pos[j], widths[j], b, s),
            )
        })
    };
    let options: Vec<Vec<Side>> = pos
        .iter()
        .enumerate()
        .map(|(i, p)| {
            preference(p.0)
                .into_iter()
                .filter(|&s| fits(i, s))
                .collect()
        })
        .collect();
    if let Some(found) = search(&options, clear) {
        return found;
    }
    let mut sides: Vec<Side> = Vec::with_capacity(pos.len());
    for (i, p) in pos.iter().enumerate() {
        let free = options[i]
            .iter()
            .copied()
            .find(|&a| sides.iter().enumerate().all(|(j, &b)| clear(i, a, j, b)));
        sides.push(free.unwrap_or(preference(p.0)[0]));
    }
    sides
}

/// Depth-first: one option per name, each clear of those chosen before.
fn search(
    options: &[Vec<Side>],
    clear: impl Fn(usize, Side, usize, Side) -> bool,
) -> Option<Vec<Side>> {
    let n = options.len();
    // `next[i]`: the option of name i to try next.
    let mut next = vec![0usize; n];
    let mut chosen: Vec<Side> = Vec::with_capacity(n);
    let mut budget = SEARCH_BUDGET;
    while chosen.len() < n {
        let i = chosen.len();
        budget = budget.checked_sub(1)?;
        let pick = options[i][next[i]..]
            .iter()
            .position(|&a| chosen.iter().enumerate().all(|(j, &b)| clear(i, a, j, b)));
        match pick {
            Some(k) => {
                chosen.push(options[i][next[i] + k]);
                next[i] += k + 1;
            }
            None => {
                // Back up: name i starts over, the one before tries its next option.
                next[i] = 0;
                chosen.pop()?;
            }
        }
    }
    Some(chosen)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(pos: &[(f64, f64)], texts: &[&str]) {
        let widths: Vec<f64> = texts.iter().map(|t| label_width(t)).collect();
        let sides = place(pos, &widths);
        for &s in &SCALES {
            let boxes: Vec<Rect> = (0..pos.len())
                .map(|i| label_box(pos[i], widths[i], sides[i], s))
                .collect();
            for (i, a) in boxes.iter().enumerate() {
                assert!(a.0 >= 0.0 && a.2 <= WIDTH * s && a.1 >= 0.0 && a.3 <= HEIGHT * s);
                for b in &boxes[i + 1..] {
                    assert!(!overlaps(*a, *b), "at {s}: {a:?} {b:?}");
                }
                for (j, &q) in pos.iter().enumerate() {
                    assert!(!overlaps(*a, dot_box(q, s)), "name {i} on dot {j}");
                }
            }
        }
    }

    #[test]
    fn names_point_towards_the_middle() {
        let widths = [label_width("West"), label_width("East")];
        let sides = place(&[(100.0, 200.0), (540.0, 200.0)], &widths);
        assert_eq!(sides, [Side::East, Side::West]);
    }

    #[test]
    fn close_dots_get_names_that_clear_each_other_at_every_width() {
        // Harz: three towns within 20 km, in a row.
        check(
            &[
                (200.0, 250.0),
                (160.0, 240.0),
                (240.0, 250.0),
                (420.0, 120.0),
            ],
            &["Quedlinburg", "Wernigerode", "Blankenburg", "Magdeburg"],
        );
        // Two dots on top of each other.
        check(
            &[(320.0, 200.0), (320.0, 215.0)],
            &["Halle (Saale)", "Leuna"],
        );
    }

    #[test]
    fn saxony_anhalts_five_places_are_named_clear_of_each_other() {
        // The project's partners page: three towns of the Harz within 25 km, Dessau
        // and Magdeburg; greedy in input order would put Dessau-Roßlau's name on
        // Blankenburg's.
        let places = [
            (51.79, 11.14),
            (51.83, 10.78),
            (51.79, 10.96),
            (51.84, 12.24),
            (52.13, 11.63),
        ];
        let view = super::super::View::fit(&places);
        let pos: Vec<(f64, f64)> = places.iter().map(|&(a, o)| view.project(a, o)).collect();
        check(
            &pos,
            &[
                "Quedlinburg",
                "Wernigerode",
                "Blankenburg",
                "Dessau-Roßlau",
                "Magdeburg",
            ],
        );
    }

    #[test]
    fn with_no_solution_every_dot_still_gets_a_side() {
        let pos = vec![(320.0, 200.0); 12];
        let widths = vec![label_width("Somewhere long"); 12];
        assert_eq!(place(&pos, &widths).len(), 12);
    }

    #[test]
    fn the_box_follows_the_side() {
        let b = label_box((100.0, 100.0), 50.0, Side::East, 1.0);
        assert_eq!(
            b,
            (
                100.0 + GAP,
                100.0 - LINE / 2.0,
                150.0 + GAP,
                100.0 + LINE / 2.0
            )
        );
        let b = label_box((100.0, 100.0), 50.0, Side::North, 0.5);
        assert_eq!(b, (25.0, 50.0 - GAP - LINE, 75.0, 50.0 - GAP));
    }
}
