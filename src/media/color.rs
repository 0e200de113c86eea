//! Colours to sRGB: a photo exported with another ICC profile (Adobe RGB, Display P3)
//! looks washed out or garish once its derivatives lose the profile, so its pixels are
//! converted (moxcms, the colour engine `image` already builds). An sRGB profile, an
//! unreadable one or one for another colour model (CMYK, grey) leaves them as they are.

use moxcms::{ColorProfile, DataColorSpace, Layout, ToneReprCurve, TransformOptions};

/// Pixels converted per call, so the conversion needs no second full-size buffer.
const CHUNK_PIXELS: usize = 64 * 1024;

/// Converts 8-bit RGB (or RGBA with `alpha`) pixels described by `profile` to sRGB in
/// place.
pub(super) fn to_srgb(data: &mut [u8], alpha: bool, profile: &[u8]) {
    let Ok(source) = ColorProfile::new_from_slice(profile) else {
        return;
    };
    let srgb = ColorProfile::new_srgb();
    if source.color_space != DataColorSpace::Rgb || is_srgb(&source, &srgb) {
        return;
    }
    let layout = if alpha { Layout::Rgba } else { Layout::Rgb };
    let Ok(transform) =
        source.create_transform_8bit(layout, &srgb, layout, TransformOptions::default())
    else {
        return;
    };
    let channels = if alpha { 4 } else { 3 };
    let mut converted = vec![0; CHUNK_PIXELS * channels];
    for chunk in data.chunks_mut(CHUNK_PIXELS * channels) {
        let out = &mut converted[..chunk.len()];
        if transform.transform(chunk, out).is_ok() {
            chunk.copy_from_slice(out);
        }
    }
}

/// Whether a profile describes sRGB: its primaries (after chromatic adaptation to D50,
/// as profiles store them) and the middle of its tone curves match sRGB's.
fn is_srgb(profile: &ColorProfile, srgb: &ColorProfile) -> bool {
    let close = |a: f64, b: f64| (a - b).abs() < 0.002;
    let colorants = [
        (profile.red_colorant, srgb.red_colorant),
        (profile.green_colorant, srgb.green_colorant),
        (profile.blue_colorant, srgb.blue_colorant),
    ];
    let primaries = colorants
        .iter()
        .all(|(a, b)| close(a.x, b.x) && close(a.y, b.y) && close(a.z, b.z));
    let curves = [&profile.red_trc, &profile.green_trc, &profile.blue_trc];
    primaries
        && curves.iter().all(|curve| {
            curve
                .as_ref()
                .and_then(middle)
                .is_some_and(|value| (value - SRGB_MIDDLE).abs() < 0.01)
        })
}

/// sRGB's linear value at a signal of one half.
const SRGB_MIDDLE: f64 = 0.214_041;

/// A tone curve's linear value at a signal of one half.
fn middle(curve: &ToneReprCurve) -> Option<f64> {
    match curve {
        ToneReprCurve::Lut(table) if table.is_empty() => Some(0.5),
        ToneReprCurve::Lut(table) if table.len() == 1 => {
            Some(0.5f64.powf(f64::from(table[0]) / 256.0))
        }
        ToneReprCurve::Lut(table) => {
            let position = (table.len() - 1) as f64 / 2.0;
            let below = table[position.floor() as usize];
            let above = table[position.ceil() as usize];
            Some((f64::from(below) + f64::from(above)) / 2.0 / 65535.0)
        }
        ToneReprCurve::Parametric(params) => parametric(params, 0.5),
    }
}

/// ICC parametric curves (types 0 to 4) at `x`.
fn parametric(params: &[f32], x: f64) -> Option<f64> {
    let p: Vec<f64> = params.iter().copied().map(f64::from).collect();
    let value = match p[..] {
        [g] => x.powf(g),
        [g, a, b] => {
            if x >= -b / a {
                (a * x + b).powf(g)
            } else {
                0.0
            }
        }
        [g, a, b, c] => {
            if x >= -b / a {
                (a * x + b).powf(g) + c
            } else {
                c
            }
        }
        [g, a, b, c, d] | [g, a, b, c, d, _, _] => {
            let (e, f) = if p.len() == 7 {
                (p[5], p[6])
            } else {
                (0.0, 0.0)
            };
            if x >= d {
                (a * x + b).powf(g) + e
            } else {
                c * x + f
            }
        }
        _ => return None,
    };
    value.is_finite().then_some(value)
}
