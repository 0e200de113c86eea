//! The illustrations of the project's own newsroom (`content/media/*.jpg`), drawn here so
//! that no photo comes from the seeds or the web: flat scenes (a signing, the hospitals'
//! buildings) with film grain, 2400 × 1600 JPEGs like a press office's originals.
//! Deterministic: `cargo run --release --example project_photos -- content/media`.
use image::{Rgb, RgbImage};

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> f32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % 10_000) as f32 / 10_000.0
    }
}

fn lerp(a: [f32; 3], b: [f32; 3], t: f32) -> [f32; 3] {
    [
        a[0] + (b[0] - a[0]) * t,
        a[1] + (b[1] - a[1]) * t,
        a[2] + (b[2] - a[2]) * t,
    ]
}

fn put(img: &mut RgbImage, x: u32, y: u32, c: [f32; 3], rng: &mut Rng, grain: f32) {
    let n = (rng.next() - 0.5) * grain;
    let px = [c[0] + n, c[1] + n, c[2] + n].map(|v| v.clamp(0.0, 255.0) as u8);
    img.put_pixel(x, y, Rgb(px));
}

/// A building: rows of lit windows on a facade.
fn building(img: &mut RgbImage, x0: u32, y0: u32, w: u32, h: u32, facade: [f32; 3], rng: &mut Rng) {
    let (iw, ih) = img.dimensions();
    for y in y0..(y0 + h).min(ih) {
        for x in x0..(x0 + w).min(iw) {
            let fx = (x - x0) % 60;
            let fy = (y - y0) % 80;
            let window = fx > 14 && fx < 46 && fy > 20 && fy < 62 && y > y0 + 30;
            let shade = 1.0 - 0.25 * ((x - x0) as f32 / w as f32);
            let c = if window {
                let lit = ((x - x0) / 60 * 7 + (y - y0) / 80 * 3).is_multiple_of(5);
                if lit {
                    [236.0, 214.0, 150.0]
                } else {
                    [70.0, 92.0, 120.0]
                }
            } else {
                facade.map(|v| v * shade)
            };
            put(img, x, y, c, rng, 10.0);
        }
    }
}

fn sky(img: &mut RgbImage, top: [f32; 3], bottom: [f32; 3], horizon: u32, rng: &mut Rng) {
    let (w, _) = img.dimensions();
    for y in 0..horizon {
        let c = lerp(top, bottom, y as f32 / horizon as f32);
        for x in 0..w {
            put(img, x, y, c, rng, 6.0);
        }
    }
}

fn ground(img: &mut RgbImage, from: u32, near: [f32; 3], far: [f32; 3], rng: &mut Rng) {
    let (w, h) = img.dimensions();
    for y in from..h {
        let c = lerp(far, near, (y - from) as f32 / (h - from) as f32);
        for x in 0..w {
            put(img, x, y, c, rng, 14.0);
        }
    }
}

/// Hills along the horizon (the Harz behind Wernigerode).
fn hills(img: &mut RgbImage, base: u32, colour: [f32; 3], rng: &mut Rng) {
    let (w, _) = img.dimensions();
    for x in 0..w {
        let t = x as f32 / w as f32;
        let top = base as f32 - 180.0 * (t * 5.3).sin().abs() - 90.0 * (t * 13.0 + 1.0).sin();
        for y in (top.max(0.0) as u32)..base {
            put(img, x, y, colour, rng, 12.0);
        }
    }
}

fn signing(rng: &mut Rng) -> RgbImage {
    let mut img = RgbImage::new(2400, 1600);
    // A wall, a window and a long table seen from the front.
    sky(
        &mut img,
        [214.0, 208.0, 196.0],
        [190.0, 184.0, 172.0],
        1600,
        rng,
    );
    for y in 200..800 {
        for x in 1500..2200 {
            let c = lerp(
                [182.0, 210.0, 232.0],
                [226.0, 236.0, 242.0],
                (y - 200) as f32 / 600.0,
            );
            put(&mut img, x, y, c, rng, 5.0);
        }
    }
    for y in 1000..1600 {
        for x in 0..2400 {
            let c = if y < 1040 {
                [92.0, 60.0, 40.0]
            } else {
                [120.0, 80.0, 52.0]
            };
            put(&mut img, x, y, c, rng, 16.0);
        }
    }
    // Two people (shoulders and heads) behind the table, two sheets of paper, a pen.
    for (cx, suit) in [(780.0f32, [40.0, 52.0, 78.0]), (1620.0, [64.0, 64.0, 70.0])] {
        for y in 420..1000u32 {
            for x in 0..2400u32 {
                let dx = x as f32 - cx;
                let dy = y as f32;
                let head = (dx * dx) / (110.0 * 110.0)
                    + ((dy - 520.0) * (dy - 520.0)) / (140.0 * 140.0)
                    < 1.0;
                let body = dy > 680.0 && dx.abs() < 300.0 - (1000.0 - dy) * 0.35;
                if head {
                    put(&mut img, x, y, [222.0, 180.0, 150.0], rng, 8.0);
                } else if body {
                    put(&mut img, x, y, suit, rng, 10.0);
                }
            }
        }
    }
    for (x0, x1) in [(620u32, 960u32), (1460, 1800)] {
        for y in 1060..1300u32 {
            for x in x0..x1 {
                put(&mut img, x, y, [246.0, 246.0, 240.0], rng, 4.0);
            }
        }
    }
    img
}

fn campus(rng: &mut Rng) -> RgbImage {
    let mut img = RgbImage::new(2400, 1600);
    sky(
        &mut img,
        [96.0, 150.0, 210.0],
        [196.0, 222.0, 240.0],
        1100,
        rng,
    );
    ground(
        &mut img,
        1100,
        [92.0, 130.0, 70.0],
        [130.0, 160.0, 96.0],
        rng,
    );
    building(&mut img, 200, 420, 900, 680, [228.0, 226.0, 220.0], rng);
    building(&mut img, 1180, 300, 1020, 800, [200.0, 196.0, 186.0], rng);
    img
}

fn harz(rng: &mut Rng) -> RgbImage {
    let mut img = RgbImage::new(2400, 1600);
    sky(
        &mut img,
        [150.0, 180.0, 214.0],
        [236.0, 222.0, 200.0],
        1120,
        rng,
    );
    hills(&mut img, 1120, [70.0, 98.0, 76.0], rng);
    ground(
        &mut img,
        1120,
        [104.0, 136.0, 84.0],
        [140.0, 160.0, 110.0],
        rng,
    );
    building(&mut img, 700, 560, 1000, 560, [236.0, 232.0, 222.0], rng);
    img
}

fn dessau(rng: &mut Rng) -> RgbImage {
    let mut img = RgbImage::new(2400, 1600);
    sky(
        &mut img,
        [120.0, 160.0, 200.0],
        [214.0, 226.0, 236.0],
        1150,
        rng,
    );
    ground(
        &mut img,
        1150,
        [150.0, 150.0, 146.0],
        [176.0, 176.0, 170.0],
        rng,
    );
    building(&mut img, 300, 380, 1800, 770, [214.0, 206.0, 190.0], rng);
    img
}

fn main() {
    let out = std::path::PathBuf::from(std::env::args().nth(1).expect("output folder"));
    std::fs::create_dir_all(&out).unwrap();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for (name, img) in [
        ("unterzeichnung-dessau.jpg", signing(&mut rng)),
        ("campus-magdeburg.jpg", campus(&mut rng)),
        ("harzklinikum-wernigerode.jpg", harz(&mut rng)),
        ("klinikum-dessau.jpg", dessau(&mut rng)),
    ] {
        let file = std::fs::File::create(out.join(name)).unwrap();
        let mut enc =
            image::codecs::jpeg::JpegEncoder::new_with_quality(std::io::BufWriter::new(file), 86);
        enc.encode_image(&img).unwrap();
    }
}
