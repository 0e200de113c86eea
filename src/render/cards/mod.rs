//! Share cards: the 1200×630 picture a link to a page shows in social networks and
//! messengers when the page has no photo of its own, with the page's kind, title,
//! partners and date in the theme's header colours (pure: SVG text, then PNG bytes).
//!
//! Drawn with the bundled Source Sans 3 (SIL Open Font License, `fonts/LICENSE.md`)
//! through a font database that holds only it: no system font can change a card, so
//! every build makes the same bytes.

use std::sync::{Arc, OnceLock};

mod encode;
mod layout;

pub(crate) use layout::{CardText, Palette};

/// The card's size in pixels: what Open Graph and X show as a large picture.
pub(crate) const WIDTH: u32 = 1200;
pub(crate) const HEIGHT: u32 = 630;

/// Part of every card's cache key, which is made from the card's text, not from its
/// drawing (laying a card out is work a cached card should not need): a new renderer,
/// font, layout (any change to `layout.rs`) or PNG encoding must change it, and
/// `tests::the_drawing_of_a_sample_card_is_pinned` fails until it does.
pub(crate) const RENDERER: &str = "resvg-0.49/source-sans-3.052/cards-4";

const FAMILY: &str = "Source Sans 3";
const REGULAR: &[u8] = include_bytes!("fonts/SourceSans3-Regular.ttf");
const BOLD: &[u8] = include_bytes!("fonts/SourceSans3-Bold.ttf");

/// One card to make: its output path and what it shows, drawn only when the cache
/// does not have it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Card {
    pub(crate) path: String,
    text: CardText,
    palette: Arc<Palette>,
    /// Hex SHA-256 of the renderer, the colours and the text: the card's cache key.
    pub(crate) hash: String,
}

impl Card {
    pub(crate) fn new(route: &str, text: CardText, palette: Arc<Palette>) -> Self {
        use sha2::Digest;
        let mut hasher = sha2::Sha256::new();
        hasher.update(RENDERER.as_bytes());
        let p = &*palette;
        let t = &text;
        let fields = [
            &p.background,
            &p.text,
            &p.muted,
            &p.accent,
            &t.brand,
            &t.kind,
        ];
        let optional = [Some(&t.title), t.byline.as_ref(), t.date.as_ref()];
        for field in fields.map(Some).into_iter().chain(optional) {
            hasher.update(field.map_or(u64::MAX, |f| f.len() as u64).to_le_bytes());
            hasher.update(field.map_or("", String::as_str));
        }
        let hash = crate::media::hex(&hasher.finalize());
        Card {
            path: format!("{route}share.{}.png", &hash[..8]),
            text,
            palette,
            hash,
        }
    }

    /// The card's drawing.
    pub(crate) fn svg(&self) -> String {
        svg(&self.text, &self.palette)
    }
}

/// The drawing of `text` in `palette`.
pub(crate) fn svg(text: &CardText, palette: &Palette) -> String {
    layout::svg(text, palette, &Fonts::get().measure)
}

/// The PNG of a card's drawing.
pub(crate) fn png(svg: &str) -> Result<Vec<u8>, String> {
    let fonts = Fonts::get();
    let options = resvg::usvg::Options {
        font_family: FAMILY.to_owned(),
        fontdb: fonts.db.clone(),
        ..resvg::usvg::Options::default()
    };
    let tree = resvg::usvg::Tree::from_str(svg, &options).map_err(|e| e.to_string())?;
    let mut pixmap =
        resvg::tiny_skia::Pixmap::new(WIDTH, HEIGHT).ok_or("the card has no pixels")?;
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::default(),
        &mut pixmap.as_mut(),
    );
    match encode::palette_png(&pixmap) {
        Some(png) => Ok(png),
        None => pixmap.encode_png().map_err(|e| e.to_string()),
    }
}

/// The bundled fonts, loaded once per process.
struct Fonts {
    db: Arc<resvg::usvg::fontdb::Database>,
    measure: layout::Measure,
}

impl Fonts {
    fn get() -> &'static Fonts {
        static FONTS: OnceLock<Fonts> = OnceLock::new();
        FONTS.get_or_init(|| {
            let mut db = resvg::usvg::fontdb::Database::new();
            db.load_font_data(REGULAR.to_vec());
            db.load_font_data(BOLD.to_vec());
            db.set_sans_serif_family(FAMILY);
            Fonts {
                db: Arc::new(db),
                measure: layout::Measure::new(REGULAR, BOLD),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(title: &str) -> CardText {
        CardText {
            brand: "Partnernetz Harz".into(),
            kind: "Pressemitteilung".into(),
            title: title.into(),
            byline: Some("Klinikum A · Klinikum B".into()),
            date: Some("23. Juli 2024".into()),
        }
    }

    #[test]
    fn a_card_is_a_1200_by_630_png_and_the_same_every_time() {
        let svg = svg(
            &text("Größere Schritte für Ärztinnen & Ärzte"),
            &Palette::default(),
        );
        let a = png(&svg).unwrap();
        assert_eq!(&a[..8], b"\x89PNG\r\n\x1a\n");
        assert_eq!(u32::from_be_bytes(a[16..20].try_into().unwrap()), WIDTH);
        assert_eq!(u32::from_be_bytes(a[20..24].try_into().unwrap()), HEIGHT);
        assert_eq!(a, png(&svg).unwrap());
    }

    #[test]
    fn a_card_is_a_small_palette_png_that_looks_like_its_drawing() {
        let svg = svg(
            &text("Größere Schritte für Ärztinnen & Ärzte"),
            &Palette::default(),
        );
        let png = png(&svg).unwrap();
        // Bit depth 4, colour type 3: indexed.
        assert_eq!((png[24], png[25]), (4, 3), "a card is a 4-bit palette PNG");
        let tree = resvg::usvg::Tree::from_str(
            &svg,
            &resvg::usvg::Options {
                font_family: FAMILY.to_owned(),
                fontdb: Fonts::get().db.clone(),
                ..resvg::usvg::Options::default()
            },
        )
        .unwrap();
        let mut pixmap = resvg::tiny_skia::Pixmap::new(WIDTH, HEIGHT).unwrap();
        resvg::render(
            &tree,
            resvg::tiny_skia::Transform::default(),
            &mut pixmap.as_mut(),
        );
        let decoded = image::load_from_memory(&png).unwrap().to_rgba8();
        let mut exact = 0;
        let mut error = 0u64;
        for (got, drawn) in decoded.pixels().zip(pixmap.pixels()) {
            let c = drawn.demultiply();
            let want = [c.red(), c.green(), c.blue(), c.alpha()];
            let off: Vec<u8> = got.0.iter().zip(want).map(|(a, b)| a.abs_diff(b)).collect();
            assert!(off.iter().all(|&d| d <= 40), "{:?} for {want:?}", got.0);
            exact += usize::from(got.0 == want);
            error += off.iter().map(|&d| u64::from(d)).sum::<u64>();
        }
        let pixels = (WIDTH * HEIGHT) as usize;
        assert!(exact * 100 >= pixels * 99, "{exact} of {pixels} exact");
        assert!(error < pixels as u64 / 4, "total channel error {error}");
    }

    #[test]
    fn the_path_carries_the_hash_of_the_text_and_colours() {
        let palette = Arc::new(Palette::default());
        let a = Card::new("news/x/", text("Titel"), palette.clone());
        assert!(a.path.starts_with("news/x/share."), "{}", a.path);
        assert!(a.path.ends_with(".png"));
        assert_eq!(
            a.hash,
            Card::new("news/y/", text("Titel"), palette.clone()).hash
        );
        assert_ne!(
            a.hash,
            Card::new("news/x/", text("Titel!"), palette.clone()).hash
        );
        let mut no_date = text("Titel");
        no_date.date = None;
        assert_ne!(a.hash, Card::new("news/x/", no_date, palette).hash);
        let other = Palette {
            accent: "#000000".into(),
            ..Palette::default()
        };
        assert_ne!(
            a.hash,
            Card::new("news/x/", text("Titel"), Arc::new(other)).hash
        );
    }

    /// A cached card is found by its text, so a change of the drawing or of its PNG
    /// encoding must come with a new [`RENDERER`], or sites keep cards made the old way.
    #[test]
    fn the_drawing_of_a_sample_card_is_pinned() {
        use sha2::Digest;
        let drawing = svg(
            &text("Ein Titel, der umbricht, weil er lang genug ist"),
            &Palette::default(),
        );
        let hash = crate::media::hex(&sha2::Sha256::digest(drawing.as_bytes()));
        let file = crate::media::hex(&sha2::Sha256::digest(png(&drawing).unwrap()));
        assert_eq!(
            (RENDERER, &hash[..16], &file[..16]),
            (
                "resvg-0.49/source-sans-3.052/cards-4",
                "a46ddff4ccdfbeb5",
                "3fb8fc79540601a9"
            ),
            "the card's drawing or encoding changed: give RENDERER a new value, then pin all three here"
        );
    }
}
