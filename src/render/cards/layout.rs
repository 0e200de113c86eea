//! A card's drawing: where its texts go, long titles wrapped at word boundaries and
//! cut with "…" after a bounded number of lines, every text escaped for XML.

use super::{FAMILY, HEIGHT, WIDTH};
use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};
use std::fmt::Write;

/// What a card says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CardText {
    /// The site's name, at the top.
    pub(crate) brand: String,
    /// The kind of page ("Pressemitteilung", "Partnerschaft"); may be empty.
    pub(crate) kind: String,
    pub(crate) title: String,
    /// The partners (or the place) under the title.
    pub(crate) byline: Option<String>,
    pub(crate) date: Option<String>,
}

/// The theme's header colours, which the card takes so it looks like the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Palette {
    pub(crate) background: String,
    pub(crate) text: String,
    pub(crate) muted: String,
    pub(crate) accent: String,
}

impl Default for Palette {
    /// The default theme's header (`--header-bg`, `--header-text`, `--header-muted`,
    /// `--header-focus`).
    fn default() -> Self {
        Palette {
            background: "#123a57".into(),
            text: "#ffffff".into(),
            muted: "#d6e4ef".into(),
            accent: "#ffcf5c".into(),
        }
    }
}

impl Palette {
    /// The palette of a stylesheet: the first value of each header colour property
    /// that is a plain `#rgb`/`#rrggbb` colour (the light scheme's), else the default's.
    pub(crate) fn from_css(css: &str) -> Self {
        let pick = |name: &str, fallback: String| {
            let at = css.find(&format!("{name}:"));
            let value = at.map(|i| css[i + name.len() + 1..].split(';').next().unwrap_or(""));
            value
                .map(str::trim)
                .filter(|v| is_hex_colour(v))
                .map_or(fallback, str::to_owned)
        };
        let d = Palette::default();
        Palette {
            background: pick("--header-bg", d.background),
            text: pick("--header-text", d.text),
            muted: pick("--header-muted", d.muted),
            accent: pick("--header-focus", d.accent),
        }
    }
}

fn is_hex_colour(v: &str) -> bool {
    let hex = v.strip_prefix('#').unwrap_or("");
    matches!(hex.len(), 3 | 6) && hex.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Text widths from the bundled fonts' advances (no kerning: a little room is left).
pub(crate) struct Measure {
    regular: FontRef<'static>,
    bold: FontRef<'static>,
    /// The advances of the first [`TABLED`] characters at each size the layout uses,
    /// regular and bold: wrapping a title measures every candidate line again, and a
    /// glyph lookup per character was most of a card's layout time. Same `f32`s as
    /// the font's metrics give, so the same lines.
    tables: Vec<(f32, bool, Vec<f32>)>,
}

/// Characters below U+0250 (Latin, with its extensions A and B) have a table entry.
const TABLED: u32 = 0x250;
/// Every size [`svg`] sets text at.
const SIZES: [f32; 4] = [TITLE_SIZES[0].0, TITLE_SIZES[1].0, 32.0, 30.0];

impl Measure {
    pub(crate) fn new(regular: &'static [u8], bold: &'static [u8]) -> Self {
        let mut measure = Measure {
            regular: FontRef::new(regular).expect("the bundled font parses"),
            bold: FontRef::new(bold).expect("the bundled font parses"),
            tables: Vec::new(),
        };
        let mut tables = Vec::new();
        for px in SIZES {
            for bold in [false, true] {
                let advances = (0..TABLED)
                    .map(|c| char::from_u32(c).map_or(0.0, |c| measure.advance(c, px, bold)))
                    .collect();
                tables.push((px, bold, advances));
            }
        }
        measure.tables = tables;
        measure
    }

    fn advance(&self, c: char, px: f32, bold: bool) -> f32 {
        let font = if bold { &self.bold } else { &self.regular };
        let glyph = font.charmap().map(c).unwrap_or_default();
        let metrics = font.glyph_metrics(Size::new(px), LocationRef::default());
        metrics.advance_width(glyph).unwrap_or(px * 0.5)
    }

    /// The width of `text` at `px` pixels.
    fn width(&self, text: &str, px: f32, bold: bool) -> f32 {
        let table = self
            .tables
            .iter()
            .find(|(p, b, _)| *p == px && *b == bold)
            .map(|(_, _, t)| t.as_slice());
        text.chars()
            .map(|c| match table.and_then(|t| t.get(c as usize)) {
                Some(&advance) => advance,
                None => self.advance(c, px, bold),
            })
            .sum()
    }
}

const MARGIN: f32 = 80.0;
const TEXT_WIDTH: f32 = WIDTH as f32 - 2.0 * MARGIN;
/// Title sizes tried in turn, with the lines each may take; the last one cuts.
const TITLE_SIZES: [(f32, usize); 2] = [(68.0, 3), (56.0, 4)];
const TITLE_TOP: f32 = 262.0;

/// The card's SVG.
pub(super) fn svg(text: &CardText, palette: &Palette, measure: &Measure) -> String {
    let mut out = String::with_capacity(2048);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{HEIGHT}\" viewBox=\"0 0 {WIDTH} {HEIGHT}\">\
<rect width=\"{WIDTH}\" height=\"{HEIGHT}\" fill=\"{bg}\"/>\
<rect width=\"{WIDTH}\" height=\"14\" fill=\"{accent}\"/>\
<rect x=\"{MARGIN}\" y=\"{rule}\" width=\"96\" height=\"6\" fill=\"{accent}\"/>",
        bg = palette.background,
        accent = palette.accent,
        rule = HEIGHT as f32 - 150.0,
    );
    let brand = fit(measure, &text.brand, 32.0, false);
    line(
        &mut out,
        (MARGIN, 112.0),
        32.0,
        false,
        &palette.muted,
        &brand,
    );
    if !text.kind.is_empty() {
        let kind = fit(measure, &text.kind, 30.0, true);
        line(
            &mut out,
            (MARGIN, 186.0),
            30.0,
            true,
            &palette.accent,
            &kind,
        );
    }
    let (px, lines) = title_lines(measure, &text.title);
    for (i, l) in lines.iter().enumerate() {
        let y = TITLE_TOP + px * 1.12 * i as f32;
        line(&mut out, (MARGIN, y), px, true, &palette.text, l);
    }
    if let Some(byline) = &text.byline {
        let byline = fit(measure, byline, 32.0, false);
        line(
            &mut out,
            (MARGIN, HEIGHT as f32 - 88.0),
            32.0,
            false,
            &palette.text,
            &byline,
        );
    }
    if let Some(date) = &text.date {
        let date = fit(measure, date, 30.0, false);
        line(
            &mut out,
            (MARGIN, HEIGHT as f32 - 44.0),
            30.0,
            false,
            &palette.muted,
            &date,
        );
    }
    out.push_str("</svg>");
    out
}

fn line(out: &mut String, (x, y): (f32, f32), px: f32, bold: bool, fill: &str, text: &str) {
    let weight = if bold { 700 } else { 400 };
    let _ = write!(
        out,
        "<text x=\"{x}\" y=\"{y}\" font-family=\"{FAMILY}\" font-size=\"{px}\" font-weight=\"{weight}\" fill=\"{fill}\">{}</text>",
        escape(text)
    );
}

/// The title at the largest size that shows it whole, else cut at the smallest.
fn title_lines(measure: &Measure, title: &str) -> (f32, Vec<String>) {
    let mut last = (0.0, Vec::new());
    for (px, max_lines) in TITLE_SIZES {
        let (lines, cut) = wrap(title, max_lines, |s| {
            measure.width(s, px, true) <= TEXT_WIDTH
        });
        if !cut {
            return (px, lines);
        }
        last = (px, lines);
    }
    last
}

/// `text` on one line, cut with "…" when it is too wide.
fn fit(measure: &Measure, text: &str, px: f32, bold: bool) -> String {
    let (mut lines, _) = wrap(text, 1, |s| measure.width(s, px, bold) <= TEXT_WIDTH);
    lines.pop().unwrap_or_default()
}

/// `text` in at most `max_lines` lines that each `fits`, broken between words (a word
/// wider than a line between characters); when it does not all fit, the last line ends
/// in "…". Returns the lines and whether text was cut.
pub(super) fn wrap(
    text: &str,
    max_lines: usize,
    fits: impl Fn(&str) -> bool,
) -> (Vec<String>, bool) {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut words = text.split_whitespace().peekable();
    while let Some(word) = words.next() {
        let candidate = if current.is_empty() {
            word.to_owned()
        } else {
            format!("{current} {word}")
        };
        if fits(&candidate) {
            current = candidate;
            continue;
        }
        if !current.is_empty() {
            lines.push(std::mem::take(&mut current));
        }
        // A word too wide for a line of its own is broken between characters.
        let mut rest = word;
        while !fits(rest) && lines.len() < max_lines {
            let split = longest_prefix(rest, &fits);
            lines.push(rest[..split].to_owned());
            rest = &rest[split..];
        }
        current = rest.to_owned();
        if lines.len() >= max_lines {
            let cut = !current.is_empty() || words.peek().is_some();
            return (ellipsize(lines, max_lines, cut, &fits), cut);
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    let cut = lines.len() > max_lines;
    (ellipsize(lines, max_lines, cut, &fits), cut)
}

/// The byte length of the longest prefix of `word` that fits (at least one character).
fn longest_prefix(word: &str, fits: &impl Fn(&str) -> bool) -> usize {
    let mut end = word.chars().next().map_or(word.len(), char::len_utf8);
    for (i, c) in word.char_indices().skip(1) {
        if !fits(&word[..i + c.len_utf8()]) {
            break;
        }
        end = i + c.len_utf8();
    }
    end
}

fn ellipsize(
    mut lines: Vec<String>,
    max_lines: usize,
    cut: bool,
    fits: &impl Fn(&str) -> bool,
) -> Vec<String> {
    lines.truncate(max_lines);
    if cut && let Some(last) = lines.last_mut() {
        loop {
            let candidate = format!("{}…", last.trim_end_matches([' ', ',', ';', ':', '-', '–']));
            if fits(&candidate) || last.is_empty() {
                *last = candidate;
                break;
            }
            match last.rfind(' ') {
                Some(space) => last.truncate(space),
                None => {
                    last.pop();
                }
            }
        }
    }
    lines
}

/// Text for an SVG element's content or attribute.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ten characters a line.
    fn ten(s: &str) -> bool {
        s.chars().count() <= 10
    }

    #[test]
    fn tabled_widths_are_the_fonts_own() {
        let m = Measure::new(super::super::REGULAR, super::super::BOLD);
        let text = "Größere Schritte – für Ärztinnen & Ärzte „Ω“ 中";
        for px in [68.0, 32.0, 20.0] {
            for bold in [false, true] {
                let direct: f32 = text.chars().map(|c| m.advance(c, px, bold)).sum();
                assert_eq!(m.width(text, px, bold).to_bits(), direct.to_bits());
            }
        }
    }

    #[test]
    fn words_wrap_and_a_long_text_ends_in_an_ellipsis() {
        let (lines, cut) = wrap("eins zwei drei vier fünf sechs", 2, ten);
        assert!(cut);
        assert_eq!(lines, ["eins zwei", "drei vier…"]);
        let (lines, cut) = wrap("eins zwei", 2, ten);
        assert!(!cut);
        assert_eq!(lines, ["eins zwei"]);
    }

    #[test]
    fn a_word_wider_than_a_line_is_broken_between_characters() {
        let (lines, cut) = wrap("Transplantationsmedizin", 3, ten);
        assert_eq!(lines, ["Transplant", "ationsmedi", "zin"]);
        assert!(!cut);
        let (lines, cut) = wrap("Transplantationsmedizin heute", 2, ten);
        assert!(cut);
        assert_eq!(lines, ["Transplant", "ationsmed…"]);
    }

    #[test]
    fn text_is_escaped_for_xml() {
        assert_eq!(
            escape("Ärzte & <Pflege> \"Süß\" 'ß'"),
            "Ärzte &amp; &lt;Pflege&gt; &quot;Süß&quot; &apos;ß&apos;"
        );
    }

    #[test]
    fn the_palette_comes_from_the_stylesheet_and_ignores_what_is_not_a_colour() {
        let css = ":root { --header-bg: #101010; --header-text: var(--x); }\n@media (prefers-color-scheme: dark) { :root { --header-bg: #000; } }";
        let p = Palette::from_css(css);
        assert_eq!(p.background, "#101010");
        assert_eq!(p.text, Palette::default().text);
    }
}
