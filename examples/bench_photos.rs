//! Photo-like JPEGs for the photo corpus of `bench/compare.sh` (`PHOTOS=N`): outdoor
//! scenes (sky with clouds, hills, buildings, people) with texture and sensor grain, so
//! that they compress like camera photos (about 2 MB at 3000 × 2000, quality 90) rather
//! than flat colours that cost a codec nothing. Each carries EXIF with a camera and a GPS
//! position, like a phone's photo, so partnerpress's location cleaning does its real work.
//! Deterministic: photo `i` depends only on the seed and `i`, so a larger count keeps the
//! smaller count's files.
//! `cargo run --release --example bench_photos -- OUT_DIR COUNT [SEED]` writes
//! `OUT_DIR/p001.jpg` … in parallel.
use exif::experimental::Writer;
use exif::{Field, In, Rational, Tag, Value};
use image::codecs::jpeg::JpegEncoder;
use image::{ImageEncoder, Rgb, RgbImage};
use rayon::prelude::*;

const WIDTH: u32 = 3000;
const HEIGHT: u32 = 2000;
const QUALITY: u8 = 90;

/// SplitMix64: a seedable generator whose streams for neighbouring seeds are unrelated.
struct Rng(u64);
impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f32 {
        (self.next_u64() >> 40) as f32 / (1u64 << 24) as f32
    }
    fn range(&mut self, lo: f32, hi: f32) -> f32 {
        lo + (hi - lo) * self.unit()
    }
    fn colour(&mut self, base: [f32; 3], spread: f32) -> [f32; 3] {
        base.map(|c| (c + self.range(-spread, spread)).clamp(0.0, 255.0))
    }
}

/// Smooth random variation (bilinear value noise) for clouds, foliage and pavement.
struct ValueNoise {
    cell: f32,
    cols: usize,
    values: Vec<f32>,
}
impl ValueNoise {
    fn new(rng: &mut Rng, cell: f32) -> Self {
        let cols = (WIDTH as f32 / cell) as usize + 2;
        let rows = (HEIGHT as f32 / cell) as usize + 2;
        let values = (0..cols * rows).map(|_| rng.unit()).collect();
        Self { cell, cols, values }
    }
    fn at(&self, x: u32, y: u32) -> f32 {
        let (fx, fy) = (x as f32 / self.cell, y as f32 / self.cell);
        let (cx, cy) = (fx as usize, fy as usize);
        let (tx, ty) = (smooth(fx - cx as f32), smooth(fy - cy as f32));
        let v = |c: usize, r: usize| self.values[r * self.cols + c];
        let top = v(cx, cy) + (v(cx + 1, cy) - v(cx, cy)) * tx;
        let bottom = v(cx, cy + 1) + (v(cx + 1, cy + 1) - v(cx, cy + 1)) * tx;
        top + (bottom - top) * ty
    }
}

fn smooth(t: f32) -> f32 {
    t * t * (3.0 - 2.0 * t)
}

fn lerp(a: [f32; 3], b: [f32; 3], t: f32) -> [f32; 3] {
    [0, 1, 2].map(|i| a[i] + (b[i] - a[i]) * t)
}

fn scale(c: [f32; 3], f: f32) -> [f32; 3] {
    c.map(|v| v * f)
}

/// A scene in linear float RGB, one value per pixel, drawn layer over layer.
struct Canvas(Vec<[f32; 3]>);
impl Canvas {
    fn fill(
        &mut self,
        x0: u32,
        y0: u32,
        x1: u32,
        y1: u32,
        paint: impl Fn(u32, u32) -> Option<[f32; 3]>,
    ) {
        for y in y0..y1.min(HEIGHT) {
            for x in x0..x1.min(WIDTH) {
                if let Some(c) = paint(x, y) {
                    self.0[(y * WIDTH + x) as usize] = c;
                }
            }
        }
    }
}

fn sky_and_ground(canvas: &mut Canvas, rng: &mut Rng, horizon: u32) {
    let zenith = rng.colour([80.0, 130.0, 200.0], 40.0);
    let haze = rng.colour([215.0, 220.0, 228.0], 25.0);
    let clouds = ValueNoise::new(rng, 170.0);
    let wisps = ValueNoise::new(rng, 45.0);
    let cover = rng.range(0.35, 0.75);
    canvas.fill(0, 0, WIDTH, horizon, |x, y| {
        let c = lerp(zenith, haze, (y as f32 / horizon as f32).powf(0.7));
        let density =
            ((clouds.at(x, y) * 0.8 + wisps.at(x, y) * 0.2 - cover) * 3.0).clamp(0.0, 1.0);
        Some(lerp(c, [245.0, 245.0, 242.0], density))
    });
    let far = rng.colour([120.0, 150.0, 95.0], 30.0);
    let near = rng.colour([70.0, 105.0, 55.0], 25.0);
    let texture = ValueNoise::new(rng, 24.0);
    let blades = ValueNoise::new(rng, 4.0);
    let patches = ValueNoise::new(rng, 260.0);
    canvas.fill(0, horizon, WIDTH, HEIGHT, |x, y| {
        let t = (y - horizon) as f32 / (HEIGHT - horizon) as f32;
        let shade = 0.7 + 0.3 * patches.at(x, y) + 0.15 * texture.at(x, y) + 0.15 * blades.at(x, y);
        Some(scale(lerp(far, near, t), shade))
    });
}

fn hills(canvas: &mut Canvas, rng: &mut Rng, horizon: u32) {
    for layer in 0..2 {
        let colour = rng.colour(
            if layer == 0 {
                [105.0, 125.0, 140.0]
            } else {
                [70.0, 95.0, 70.0]
            },
            20.0,
        );
        let (f1, f2, p) = (
            rng.range(2.0, 6.0),
            rng.range(9.0, 17.0),
            rng.range(0.0, 6.0),
        );
        let height = rng.range(120.0, 320.0) / (layer + 1) as f32;
        let trees = ValueNoise::new(rng, 14.0);
        canvas.fill(0, horizon.saturating_sub(400), WIDTH, horizon, |x, y| {
            let t = x as f32 / WIDTH as f32;
            let ridge =
                horizon as f32 - height * (0.6 + 0.4 * (t * f1 + p).sin()) - 30.0 * (t * f2).sin();
            (y as f32 >= ridge).then(|| scale(colour, 0.85 + 0.3 * trees.at(x, y)))
        });
    }
}

fn buildings(canvas: &mut Canvas, rng: &mut Rng, horizon: u32) {
    let count = (rng.unit() * 4.0) as u32 + 1;
    for _ in 0..count {
        let w = rng.range(350.0, 1100.0) as u32;
        let h = rng.range(300.0, 900.0) as u32;
        let x0 = rng.range(-200.0, WIDTH as f32 - 200.0).max(0.0) as u32;
        let y0 = horizon + rng.range(0.0, 120.0) as u32 - h;
        let facade = rng.colour([205.0, 195.0, 180.0], 20.0);
        let glass = rng.colour([80.0, 100.0, 125.0], 25.0);
        let (pitch_x, pitch_y) = (rng.range(45.0, 80.0) as u32, rng.range(60.0, 100.0) as u32);
        let weathering = ValueNoise::new(rng, 30.0);
        let seed = rng.next_u64();
        canvas.fill(x0, y0, x0 + w, y0 + h, |x, y| {
            let (fx, fy) = ((x - x0) % pitch_x, (y - y0) % pitch_y);
            let window = fx > pitch_x / 4
                && fx < pitch_x * 3 / 4
                && fy > pitch_y / 4
                && fy < pitch_y * 4 / 5;
            let light = 1.0 - 0.3 * (x - x0) as f32 / w as f32;
            Some(if window && y > y0 + pitch_y / 2 {
                let cell = ((x - x0) / pitch_x) as u64 * 131 + ((y - y0) / pitch_y) as u64;
                let lit = (cell.wrapping_mul(seed | 1) >> 61) == 0;
                let reflection = lerp(
                    glass,
                    [190.0, 205.0, 220.0],
                    (fy as f32 / pitch_y as f32) * 0.6,
                );
                if lit {
                    [235.0, 210.0, 150.0]
                } else {
                    reflection
                }
            } else {
                scale(facade, light * (0.88 + 0.2 * weathering.at(x, y)))
            })
        });
    }
}

fn people(canvas: &mut Canvas, rng: &mut Rng, horizon: u32) {
    let count = (rng.unit() * 5.0) as u32 + 2;
    for _ in 0..count {
        let size = rng.range(0.7, 1.4);
        let cx = rng.range(150.0, WIDTH as f32 - 150.0);
        let feet = rng.range(horizon as f32 + 250.0, HEIGHT as f32 + 100.0);
        let (head_r, body_h) = (60.0 * size, 520.0 * size);
        let shoulders = feet - body_h;
        let skin = rng.colour([215.0, 170.0, 140.0], 15.0);
        let coat = rng.colour([70.0, 70.0, 85.0], 60.0);
        let folds = ValueNoise::new(rng, 18.0);
        let top = (shoulders - 2.4 * head_r).max(0.0) as u32;
        let (x0, x1) = (
            (cx - 200.0 * size).max(0.0) as u32,
            (cx + 200.0 * size) as u32,
        );
        canvas.fill(x0, top, x1, feet as u32, |x, y| {
            let (dx, dy) = (x as f32 - cx, y as f32);
            let head_y = shoulders - 1.2 * head_r;
            if (dx / head_r).powi(2) + ((dy - head_y) / (1.25 * head_r)).powi(2) < 1.0 {
                return Some(scale(skin, 0.8 + 0.4 * (1.0 - dx / head_r).min(1.0) * 0.5));
            }
            let half = 150.0 * size - (dy - shoulders) * 0.08;
            (dy > shoulders && dx.abs() < half).then(|| scale(coat, 0.8 + 0.35 * folds.at(x, y)))
        });
    }
}

/// Vignetting and per-pixel sensor grain (luminance and a little chroma), then 8 bits.
fn develop(canvas: &Canvas, rng: &mut Rng) -> RgbImage {
    let grain = rng.range(11.0, 15.0);
    let seed = rng.next_u64();
    let mut img = RgbImage::new(WIDTH, HEIGHT);
    let (cx, cy) = (WIDTH as f32 / 2.0, HEIGHT as f32 / 2.0);
    for (i, (x, y, px)) in img.enumerate_pixels_mut().enumerate() {
        let r2 = ((x as f32 - cx) / cx).powi(2) + ((y as f32 - cy) / cy).powi(2);
        let vignette = 1.0 - 0.18 * r2;
        let mut noise = Rng(seed ^ (i as u64).wrapping_mul(0xD6E8_FEB8_6659_FD93));
        let n = (noise.unit() + noise.unit() - 1.0) * grain;
        let c = canvas.0[i].map(|v| {
            (v * vignette + n + (noise.unit() - 0.5) * grain * 0.5).clamp(0.0, 255.0) as u8
        });
        *px = Rgb(c);
    }
    img
}

fn photo(seed: u64, index: u32) -> RgbImage {
    let mut rng = Rng(seed ^ u64::from(index).wrapping_mul(0xA076_1D64_78BD_642F));
    let horizon = rng.range(0.45, 0.68) * HEIGHT as f32;
    let horizon = horizon as u32;
    let mut canvas = Canvas(vec![[0.0; 3]; (WIDTH * HEIGHT) as usize]);
    sky_and_ground(&mut canvas, &mut rng, horizon);
    hills(&mut canvas, &mut rng, horizon);
    buildings(&mut canvas, &mut rng, horizon);
    people(&mut canvas, &mut rng, horizon);
    develop(&canvas, &mut rng)
}

fn rational(value: f64) -> Rational {
    Rational {
        num: (value * 10_000.0).round() as u32,
        denom: 10_000,
    }
}

/// EXIF as a phone writes it: camera, and where the photo was taken (in Saxony-Anhalt).
fn exif(rng: &mut Rng) -> Vec<u8> {
    let (lat, lon) = (rng.range(51.0, 52.9) as f64, rng.range(10.6, 12.9) as f64);
    let dms = |v: f64| {
        let minutes = v.fract() * 60.0;
        vec![
            rational(v.trunc()),
            rational(minutes.trunc()),
            rational(minutes.fract() * 60.0),
        ]
    };
    let fields = [
        Field {
            tag: Tag::Make,
            ifd_num: In::PRIMARY,
            value: Value::Ascii(vec![b"Benchcam".to_vec()]),
        },
        Field {
            tag: Tag::Model,
            ifd_num: In::PRIMARY,
            value: Value::Ascii(vec![b"PB-3000".to_vec()]),
        },
        Field {
            tag: Tag::Artist,
            ifd_num: In::PRIMARY,
            value: Value::Ascii(vec![b"Bench Photographer".to_vec()]),
        },
        Field {
            tag: Tag::GPSLatitudeRef,
            ifd_num: In::PRIMARY,
            value: Value::Ascii(vec![b"N".to_vec()]),
        },
        Field {
            tag: Tag::GPSLatitude,
            ifd_num: In::PRIMARY,
            value: Value::Rational(dms(lat)),
        },
        Field {
            tag: Tag::GPSLongitudeRef,
            ifd_num: In::PRIMARY,
            value: Value::Ascii(vec![b"E".to_vec()]),
        },
        Field {
            tag: Tag::GPSLongitude,
            ifd_num: In::PRIMARY,
            value: Value::Rational(dms(lon)),
        },
    ];
    let mut writer = Writer::new();
    for field in &fields {
        writer.push_field(field);
    }
    let mut out = std::io::Cursor::new(Vec::new());
    writer.write(&mut out, true).expect("EXIF");
    out.into_inner()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let usage = "usage: bench_photos OUT_DIR COUNT [SEED]";
    let out = std::path::PathBuf::from(args.next().expect(usage));
    let count: u32 = args.next().expect(usage).parse().expect(usage);
    let seed: u64 = args.next().map_or(20_260_101, |s| s.parse().expect(usage));
    std::fs::create_dir_all(&out).unwrap();
    (1..=count).into_par_iter().for_each(|index| {
        let img = photo(seed, index);
        let mut rng = Rng(seed.wrapping_add(u64::from(index)));
        let mut bytes = Vec::new();
        let mut encoder = JpegEncoder::new_with_quality(&mut bytes, QUALITY);
        encoder.set_exif_metadata(exif(&mut rng)).unwrap();
        encoder
            .write_image(img.as_raw(), WIDTH, HEIGHT, image::ExtendedColorType::Rgb8)
            .unwrap();
        std::fs::write(out.join(format!("p{index:03}.jpg")), bytes).unwrap();
    });
}
