//! A card's pixels as a small PNG. A card is flat colours and anti-aliased text, so a
//! palette of sixteen of its own colours shows it as well as all of them: half the
//! bytes of an 8-bit palette to deflate, and a file about a quarter smaller (share
//! cards are the biggest part of a site's output: 23 against 17 kB each).

use resvg::tiny_skia::Pixmap;
use rustc_hash::FxHashMap;

/// The most colours a 4-bit palette holds.
const SMALL_PALETTE: usize = 16;

/// The card as a 4-bit palette PNG of at most sixteen of its own colours, or `None`
/// when it has more than 256 (a drawing that is not flat colour; the caller then
/// writes every pixel as it is).
pub(super) fn palette_png(pixmap: &Pixmap) -> Option<Vec<u8>> {
    let colours = Colours::of(pixmap)?;
    let kept = colours.keep(SMALL_PALETTE);
    let nearest: Vec<u8> = colours
        .list
        .iter()
        .map(|c| nearest(c, &kept, &colours.list))
        .collect();
    let width = pixmap.width() as usize;
    let mut packed = Vec::with_capacity(colours.indices.len() / 2 + 1);
    for row in colours.indices.chunks(width) {
        let pairs = row.chunks_exact(2);
        let odd = pairs
            .remainder()
            .first()
            .map(|&i| nearest[usize::from(i)] << 4);
        packed.extend(pairs.map(|p| nearest[usize::from(p[0])] << 4 | nearest[usize::from(p[1])]));
        packed.extend(odd);
    }
    let palette: Vec<[u8; 4]> = kept.iter().map(|&i| colours.list[i]).collect();
    encode(pixmap, &palette, &packed)
}

/// Every colour of a drawing (at most 256), how many pixels have it, and each
/// pixel's colour as an index into the list, in the order first met (a run of equal
/// pixels, as most of a card is, looked up once).
struct Colours {
    list: Vec<[u8; 4]>,
    counts: Vec<u64>,
    indices: Vec<u8>,
}

impl Colours {
    fn of(pixmap: &Pixmap) -> Option<Colours> {
        let mut list: Vec<[u8; 4]> = Vec::new();
        let mut counts: Vec<u64> = Vec::new();
        let mut known: FxHashMap<[u8; 4], u8> = FxHashMap::default();
        let mut indices = Vec::with_capacity(pixmap.data().len() / 4);
        for run in pixmap.pixels().chunk_by(|a, b| a == b) {
            let c = run[0].demultiply();
            let colour = [c.red(), c.green(), c.blue(), c.alpha()];
            let at = match known.get(&colour) {
                Some(&i) => i,
                None => {
                    let i = u8::try_from(list.len()).ok()?;
                    list.push(colour);
                    counts.push(0);
                    known.insert(colour, i);
                    i
                }
            };
            counts[usize::from(at)] += run.len() as u64;
            indices.resize(indices.len() + run.len(), at);
        }
        Some(Colours {
            list,
            counts,
            indices,
        })
    }

    /// The indices of the `n` colours that stand for the rest: the commonest first
    /// (the background), then each time the colour whose pixels are worst served by
    /// those chosen (count × squared distance), so every ink's solid colour is kept
    /// exactly and the anti-aliasing steps between them are spread evenly.
    fn keep(&self, n: usize) -> Vec<usize> {
        let Some(first) = (0..self.list.len()).max_by_key(|&i| (self.counts[i], usize::MAX - i))
        else {
            return Vec::new();
        };
        let mut kept = vec![first];
        let mut gap: Vec<u64> = self
            .list
            .iter()
            .map(|c| distance(c, &self.list[first]))
            .collect();
        while kept.len() < n.min(self.list.len()) {
            let next = (0..self.list.len())
                .max_by_key(|&i| (self.counts[i] * gap[i], usize::MAX - i))
                .filter(|&i| gap[i] > 0);
            let Some(next) = next else { break };
            kept.push(next);
            for (i, c) in self.list.iter().enumerate() {
                gap[i] = gap[i].min(distance(c, &self.list[next]));
            }
        }
        kept
    }
}

/// The position in `kept` of the kept colour nearest to `colour` (the first of equals).
fn nearest(colour: &[u8; 4], kept: &[usize], list: &[[u8; 4]]) -> u8 {
    let at = (0..kept.len())
        .min_by_key(|&k| distance(colour, &list[kept[k]]))
        .unwrap_or(0);
    u8::try_from(at).unwrap_or(0)
}

fn distance(a: &[u8; 4], b: &[u8; 4]) -> u64 {
    a.iter()
        .zip(b)
        .map(|(&x, &y)| u64::from(x.abs_diff(y)).pow(2))
        .sum()
}

/// Rows unfiltered, as the PNG specification advises for palette images, with zlib's
/// default level (`Balanced`); level 9 saves 6 % more at about eight times the cost.
fn encode(pixmap: &Pixmap, palette: &[[u8; 4]], packed: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    encoder.set_color(png::ColorType::Indexed);
    encoder.set_depth(png::BitDepth::Four);
    encoder.set_palette(
        palette
            .iter()
            .flat_map(|c| [c[0], c[1], c[2]])
            .collect::<Vec<u8>>(),
    );
    if palette.iter().any(|c| c[3] != 255) {
        encoder.set_trns(palette.iter().map(|c| c[3]).collect::<Vec<u8>>());
    }
    encoder.set_compression(png::Compression::Balanced);
    encoder.set_filter(png::Filter::NoFilter);
    let mut writer = encoder.write_header().ok()?;
    writer.write_image_data(packed).ok()?;
    writer.finish().ok()?;
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pixmap(width: u32, colours: &[[u8; 4]]) -> Pixmap {
        let mut p = Pixmap::new(width, 1).unwrap();
        for (px, c) in p.pixels_mut().iter_mut().zip(colours) {
            *px = resvg::tiny_skia::ColorU8::from_rgba(c[0], c[1], c[2], c[3]).premultiply();
        }
        p
    }

    fn decoded(png: &[u8]) -> Vec<[u8; 4]> {
        image::load_from_memory(png)
            .unwrap()
            .to_rgba8()
            .pixels()
            .map(|p| p.0)
            .collect()
    }

    #[test]
    fn a_drawing_of_sixteen_colours_or_fewer_is_kept_exactly() {
        let colours: Vec<[u8; 4]> = (0..16u8).map(|i| [i * 16, 255 - i, i, 255]).collect();
        let mut row = colours.clone();
        row.push(colours[3]);
        let png = palette_png(&pixmap(17, &row)).unwrap();
        assert_eq!(png[24], 4, "4-bit");
        assert_eq!(decoded(&png), row);
    }

    #[test]
    fn more_colours_keep_the_commonest_and_the_farthest_exactly() {
        let background = [20, 40, 80, 255];
        let ink = [255, 255, 255, 255];
        let accent = [250, 200, 80, 255];
        let mut row = vec![background; 200];
        row.extend([ink; 40]);
        row.extend([accent; 20]);
        let steps: Vec<[u8; 4]> = (1..40u8)
            .map(|i| [20 + i * 5, 40 + i * 5, 80 + i * 4, 255])
            .collect();
        row.extend(&steps);
        let png = palette_png(&pixmap(row.len() as u32, &row)).unwrap();
        let out = decoded(&png);
        assert_eq!(&out[..260], &row[..260], "solid colours are exact");
        for (got, want) in out[260..].iter().zip(&steps) {
            assert!(distance(got, want) <= 3 * 12 * 12, "{got:?} for {want:?}");
        }
    }

    #[test]
    fn a_drawing_of_more_than_256_colours_is_left_to_the_caller() {
        let row: Vec<[u8; 4]> = (0..300u32)
            .map(|i| [(i % 256) as u8, (i / 256) as u8, 0, 255])
            .collect();
        assert!(palette_png(&pixmap(300, &row)).is_none());
    }
}
