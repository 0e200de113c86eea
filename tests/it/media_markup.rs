//! Press photos in pages: the figure of a lead photo (WebP and fallback `srcset`s at
//! the published widths, displayed size, credit, download), card thumbnails, logos,
//! share tags and JSON-LD, body images, the media library and `api/media.json`, and
//! `@/static/…` and `@/media/…` links in every language and in the feed under a
//! sub-path `base_url`. Photos are made in the test.

use crate::harness::{Fixture, SPEC_BASE_URL, SPEC_SITE, Site};
use std::io::Cursor;

const RELEASE: &str = "content/news/2024-05-06-amt-und-klinik.md";
const DRAFT: &str = "content/news/2024-03-15-jahresbericht-vorschau.md";
const INSTITUTION: &str = "content/institutions/klinikum-suedhoehe.md";
const CREDIT: &str = "Foto: Klinikum Südhöhe / Max Muster";

/// A photo `width` × `height` pixels in `format`, with some structure in it.
fn picture(width: u32, height: u32, format: image::ImageFormat) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, ((x + y) % 256) as u8])
    });
    let mut bytes = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut Cursor::new(&mut bytes), format)
        .expect("encode test picture");
    bytes
}

fn write_bytes(fixture: &Fixture, rel: &str, bytes: &[u8]) {
    let path = fixture.root().join(rel);
    std::fs::create_dir_all(path.parent().expect("a folder")).expect("create folders");
    std::fs::write(path, bytes).expect("write media file");
}

/// The spec site with a lead photo on a release, a logo on an institution and a photo
/// used only by a draft; returns the photo's size in bytes.
fn with_photos(fixture: &Fixture) -> u64 {
    let photo = picture(1600, 1067, image::ImageFormat::Jpeg);
    write_bytes(fixture, "content/media/2024/unterzeichnung.jpg", &photo);
    fixture.write(
        "content/media/2024/unterzeichnung.yaml",
        &format!(
            "alt: Zwei Personen unterzeichnen einen Vertrag an einem Tisch\n\
             caption: Unterzeichnung im Gesundheitsamt\n\
             credit: \"{CREDIT}\"\n\
             license: Honorarfrei zur Berichterstattung bei Nennung der Quelle\n"
        ),
    );
    fixture.write(
        "content/media/2024/unterzeichnung.en.yaml",
        "alt: Two people sign a contract at a table\ncaption: Signing at the health office\nlicense: Free for news coverage with credit\n",
    );
    fixture.edit(
        RELEASE,
        "date: 2024-05-06\n",
        "date: 2024-05-06\nimage: 2024/unterzeichnung.jpg\n",
    );
    write_bytes(
        fixture,
        "content/media/logos/suedhoehe.png",
        &logo(400, 200),
    );
    fixture.write(
        "content/media/logos/suedhoehe.yaml",
        "alt: Logo des Klinikums Südhöhe\n",
    );
    fixture.edit(
        INSTITUTION,
        "kind: hospital\n",
        "kind: hospital\nlogo: logos/suedhoehe.png\n",
    );
    write_bytes(
        fixture,
        "content/media/geheim.jpg",
        &picture(900, 600, image::ImageFormat::Jpeg),
    );
    fixture.write(
        "content/media/geheim.yaml",
        "alt: Ein noch geheimes Foto\ncredit: \"Foto: DRAFTMARKER\"\n",
    );
    fixture.edit(DRAFT, "draft: true\n", "draft: true\nimage: geheim.jpg\n");
    photo.len() as u64
}

/// The first 8 characters after `prefix` in `html` (a derivative's content hash).
fn hash_after(html: &str, prefix: &str) -> String {
    let at = html.find(prefix).unwrap_or_else(|| panic!("no `{prefix}`")) + prefix.len();
    html[at..at + 8].to_owned()
}

/// The widths of a `srcset`'s `w` descriptors.
fn widths(srcset: &str) -> Vec<u32> {
    srcset
        .split(", ")
        .map(|c| c.rsplit_once(' ').expect("url and width").1)
        .map(|w| w.trim_end_matches('w').parse().expect("a width"))
        .collect()
}

fn attribute<'h>(html: &'h str, tag_start: &str, name: &str) -> &'h str {
    let tag = &html[html
        .find(tag_start)
        .unwrap_or_else(|| panic!("no `{tag_start}`"))..];
    let tag = &tag[..tag.find('>').expect("tag end")];
    let at = tag
        .find(&format!(" {name}=\""))
        .unwrap_or_else(|| panic!("no {name} in {tag}"));
    let value = &tag[at + name.len() + 3..];
    &value[..value.find('"').expect("closing quote")]
}

/// Builds `fixture`, following every link: each derivative the markup names must be
/// a file the build wrote.
fn build(fixture: Fixture) -> Site {
    fixture.build()
}

/// A logo: a PNG with transparent corners.
fn logo(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbaImage::from_fn(width, height, |x, y| {
        let corner = (x < 20 || x >= width - 20) && (y < 20 || y >= height - 20);
        image::Rgba([15, 92, 82, if corner { 0 } else { 255 }])
    });
    let mut bytes = Vec::new();
    image::DynamicImage::ImageRgba8(img)
        .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png)
        .expect("encode test logo");
    bytes
}

fn build_with_photos() -> (Site, u64) {
    let fixture = Fixture::copy(SPEC_SITE);
    let bytes = with_photos(&fixture);
    (build(fixture), bytes)
}

#[test]
fn a_lead_photo_is_a_figure_with_srcsets_its_size_credit_and_download() {
    let (site, bytes) = build_with_photos();
    let html = site.read("nachrichten/amt-und-klinik/");
    let hash = hash_after(&html, "media/2024/unterzeichnung.480w.");
    let figure = &html[html
        .find("<figure class=\"photo lead-photo\">")
        .expect("a lead figure")..];
    let figure = &figure[..figure.find("</figure>").expect("figure end")];
    let webp = attribute(figure, "<source", "srcset");
    assert_eq!(
        widths(webp),
        [480, 800, 1200, 1600],
        "never wider than the original"
    );
    assert!(webp.starts_with(&format!(
        "/sub/path/media/2024/unterzeichnung.480w.{hash}.webp 480w"
    )));
    assert_eq!(attribute(figure, "<source", "type"), "image/webp");
    let fallback = attribute(figure, "<img", "srcset");
    assert_eq!(widths(fallback), [480, 800, 1200, 1600]);
    assert!(fallback.contains(&format!("unterzeichnung.800w.{hash}.jpg 800w")));
    assert_eq!(attribute(figure, "<img", "width"), "1600");
    assert_eq!(attribute(figure, "<img", "height"), "1067");
    assert_eq!(
        attribute(figure, "<img", "alt"),
        "Zwei Personen unterzeichnen einen Vertrag an einem Tisch"
    );
    assert_eq!(attribute(figure, "<img", "fetchpriority"), "high");
    assert!(
        !figure.contains("loading=\"lazy\""),
        "the lead photo is not lazy"
    );
    // The lead photo is what the reader sees first: painted as soon as it is decoded.
    assert!(!figure.contains("decoding=\"async\""));
    assert!(figure.contains(&format!("<span class=\"credit\">{CREDIT}</span>")));
    assert!(figure.contains("<span class=\"caption\">Unterzeichnung im Gesundheitsamt</span>"));
    let kb = bytes.div_ceil(1000);
    assert!(
        figure.contains(&format!(
            "<a class=\"download\" href=\"/sub/path/media/2024/unterzeichnung.jpg\" download>Original herunterladen (JPEG, 1600 × 1067, {kb} kB)</a>"
        )),
        "{figure}"
    );
    let en = site.read("en/news/amt-und-klinik/");
    assert!(en.contains(&format!("Download original (JPEG, 1600 × 1067, {kb} kB)")));
    assert!(en.contains("alt=\"Two people sign a contract at a table\""));
    assert!(en.contains(&format!("<span class=\"credit\">{CREDIT}</span>")));
}

#[test]
fn share_tags_and_json_ld_carry_absolute_image_urls() {
    let (site, _) = build_with_photos();
    let html = site.read("nachrichten/amt-und-klinik/");
    let hash = hash_after(&html, "media/2024/unterzeichnung.480w.");
    let share = format!("{SPEC_BASE_URL}media/2024/unterzeichnung.share.{hash}.jpg");
    assert!(
        html.contains(&format!("<meta property=\"og:image\" content=\"{share}\">")),
        "{share}"
    );
    assert!(html.contains("<meta property=\"og:image:width\" content=\"1200\">"));
    assert!(html.contains("<meta property=\"og:image:height\" content=\"630\">"));
    assert!(html.contains(
        "<meta property=\"og:image:alt\" content=\"Zwei Personen unterzeichnen einen Vertrag an einem Tisch\">"
    ));
    assert!(html.contains("<meta name=\"twitter:card\" content=\"summary_large_image\">"));
    let original = format!("{SPEC_BASE_URL}media/2024/unterzeichnung.jpg");
    assert!(
        html.contains(&format!("\"image\":\"{original}\"")),
        "JSON-LD image"
    );
    let partner = site.read("partner/klinikum-suedhoehe/");
    assert!(partner.contains(&format!(
        "\"logo\":\"{SPEC_BASE_URL}media/logos/suedhoehe.png\""
    )));
    let plain = site.read("nachrichten/ohne-autolink/");
    assert!(
        plain.contains(&format!(
            "<meta property=\"og:image\" content=\"{SPEC_BASE_URL}nachrichten/ohne-autolink/share."
        )),
        "a page without a picture shares its generated card"
    );
    assert!(plain.contains("<meta name=\"twitter:card\" content=\"summary_large_image\">"));
}

#[test]
fn cards_show_a_decorative_thumbnail_and_partners_their_logo() {
    let (site, _) = build_with_photos();
    let news = site.read("nachrichten/");
    let card = &news[news
        .find("<div class=\"card-thumb\">")
        .expect("a thumbnail")..];
    assert_eq!(attribute(card, "<img", "alt"), "");
    assert_eq!(attribute(card, "<img", "loading"), "lazy");
    assert_eq!(widths(attribute(card, "<img", "srcset")), [480]);
    let partners = site.read("partner/");
    let logo = &partners[partners.find("<div class=\"card-logo\">").expect("a logo")..];
    assert!(attribute(logo, "<img", "src").contains("media/logos/suedhoehe.400w."));
    let sheet = site.read("partner/klinikum-suedhoehe/faktenblatt/");
    assert!(sheet.contains("<div class=\"sheet-logos\">"));
    assert!(sheet.contains("alt=\"Logo des Klinikums Südhöhe\""));
}

#[test]
fn the_library_lists_published_photos_only_and_api_media_matches_its_schema() {
    let (site, _) = build_with_photos();
    for (page, used_in) in [("medien/", "Verwendet in"), ("en/media/", "Used in")] {
        let html = site.read(page);
        assert!(
            html.contains("id=\"media/2024/unterzeichnung.jpg\""),
            "{page}"
        );
        assert!(html.contains(used_in), "{page}");
        assert!(html.contains(CREDIT), "{page}");
        assert!(
            !html.contains("DRAFTMARKER") && !html.contains("geheim"),
            "{page}"
        );
    }
    let nav = site.read("index.html");
    assert!(nav.contains("<a href=\"/sub/path/medien/\">Medien</a>"));
    let data: serde_json::Value = serde_json::from_str(&site.read("api/media.json")).expect("json");
    let schema: serde_json::Value =
        serde_json::from_str(&site.read("api/schema/media.schema.json")).expect("schema");
    let validator = jsonschema::draft202012::new(&schema).expect("a valid schema");
    let errors: Vec<String> = validator
        .iter_errors(&data)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let ids: Vec<&str> = data
        .as_array()
        .expect("array")
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["2024/unterzeichnung.jpg", "logos/suedhoehe.png"]);
    assert_eq!(data[0]["releases"][0], "2024-05-06-amt-und-klinik");
    assert_eq!(data[0]["credit"], CREDIT);
    assert!(
        data[0]["original"]
            .as_str()
            .unwrap()
            .starts_with(SPEC_BASE_URL)
    );
    assert!(
        !site.files().iter().any(|f| f.contains("geheim")),
        "nothing of the draft's photo"
    );
}

#[test]
fn body_images_become_figures_and_media_links_work_in_every_language_and_the_feed() {
    let fixture = Fixture::copy(SPEC_SITE);
    with_photos(&fixture);
    fixture.write("content/static/docs/bilanz.pdf", "%PDF-1.4\n");
    fixture.write("content/media/bericht.pdf", "%PDF-1.4\n");
    fixture.edit(
        RELEASE,
        "zurück.",
        "zurück ([Bilanz](@/static/docs/bilanz.pdf#page=2), [Bericht](@/media/bericht.pdf)).\n\n\
         ![Die Unterzeichnung im Saal](@/media/2024/unterzeichnung.jpg \"Der Moment der Unterschrift\")\n\n",
    );
    let site = build(fixture);
    for page in ["nachrichten/amt-und-klinik/", "en/news/amt-und-klinik/"] {
        let html = site.read(page);
        assert!(
            html.contains("<a href=\"/sub/path/docs/bilanz.pdf#page=2\">Bilanz</a>"),
            "{page}"
        );
        assert!(
            html.contains("<a href=\"/sub/path/media/bericht.pdf\">Bericht</a>"),
            "{page}"
        );
        let body = &html[html
            .find("Der Moment der Unterschrift")
            .expect("the caption")..];
        assert!(
            html.contains("alt=\"Die Unterzeichnung im Saal\" loading=\"lazy\""),
            "{page}"
        );
        assert!(body.contains(CREDIT), "{page}");
    }
    let feed = site.read("atom.xml");
    for absolute in [
        format!("{SPEC_BASE_URL}docs/bilanz.pdf#page=2"),
        format!("{SPEC_BASE_URL}media/bericht.pdf"),
        format!("{SPEC_BASE_URL}media/2024/unterzeichnung.jpg"),
    ] {
        assert!(feed.contains(&absolute), "the feed links {absolute}");
    }
    assert!(site.exists("docs/bilanz.pdf"));
}

#[test]
fn a_body_image_without_alt_text_and_a_missing_file_are_located_errors() {
    let fixture = Fixture::copy(SPEC_SITE);
    with_photos(&fixture);
    fixture.write("content/static/docs/bilanz.pdf", "%PDF-1.4\n");
    fixture.edit(
        RELEASE,
        "zurück.",
        "zurück ([PDF](@/static/docs/bilanz.pfd)).\n\n![IMG_4711.jpg](@/media/geheim.jpg)\n\n![Saal](@/media/2024/unterzeichnug.jpg)\n",
    );
    let report = fixture.check_report();
    let find = |needle: &str| {
        report
            .diagnostics
            .iter()
            .find(|d| d.message.contains(needle))
            .unwrap_or_else(|| panic!("no error about {needle}: {:?}", report.diagnostics))
    };
    let pdf = find("bilanz.pfd");
    assert_eq!(
        pdf.location(),
        fixture.locate(RELEASE, "@/static/docs/bilanz.pfd")
    );
    assert_eq!(
        pdf.help.as_deref(),
        Some("did you mean `@/static/docs/bilanz.pdf`?")
    );
    let alt = find("is a file name");
    assert_eq!(alt.code.to_string(), "missing-alt");
    assert_eq!(
        alt.location(),
        fixture.locate(RELEASE, "@/media/geheim.jpg")
    );
    let missing = find("unterzeichnug.jpg");
    assert_eq!(
        missing.location(),
        fixture.locate(RELEASE, "@/media/2024/unterzeichnug.jpg")
    );
    assert_eq!(
        missing.help.as_deref(),
        Some("did you mean `@/media/2024/unterzeichnung.jpg`?")
    );
}

#[test]
fn the_site_default_image_is_shared_where_a_page_has_no_card_and_its_logo_heads_every_page() {
    let fixture = Fixture::copy(SPEC_SITE);
    with_photos(&fixture);
    fixture.edit(
        "content/site.yaml",
        "theme: default\n",
        "theme: default\nlogo: logos/suedhoehe.png\nimage: 2024/unterzeichnung.jpg\n",
    );
    let site = build(fixture);
    let home = site.read("index.html");
    let not_found = site.read("404.html");
    let hash = hash_after(&home, "media/2024/unterzeichnung.480w.");
    assert!(not_found.contains(&format!(
        "<meta property=\"og:image\" content=\"{SPEC_BASE_URL}media/2024/unterzeichnung.share.{hash}.jpg\">"
    )), "the one page without a card shares the site's default");
    assert!(home.contains("<span class=\"site-logo\"><picture>"));
    let header = &home[home.find("<span class=\"site-logo\">").expect("logo")..];
    assert_eq!(
        attribute(header, "<img", "alt"),
        "",
        "the site's name is the link text"
    );
    let logo = &header[..header.find("</span>").expect("logo end")];
    assert!(!logo.contains("loading=\"lazy\""), "above the fold: {logo}");
    let plain = site.read("en/news/ohne-autolink/");
    assert!(
        plain.contains(&format!("{SPEC_BASE_URL}en/news/ohne-autolink/share.")),
        "a page's own card comes before the site's default"
    );
}

#[test]
fn a_release_without_a_photo_shares_its_card_and_feeds_carry_the_lead_photo() {
    let (site, _) = build_with_photos();
    let register = site.read("nachrichten/register-schaltjahr/");
    assert!(
        register.contains(&format!(
            "<meta property=\"og:image\" content=\"{SPEC_BASE_URL}nachrichten/register-schaltjahr/share."
        )),
        "a release without a photo of its own shares its card, not a partner's logo: {}",
        register
            .lines()
            .filter(|l| l.contains("og:image"))
            .collect::<Vec<_>>()
            .join("\n")
    );

    let feed = site.read("atom.xml");
    let entry = &feed[feed
        .find("nachrichten/amt-und-klinik/</id>")
        .expect("entry")..];
    let entry = &entry[..entry.find("</entry>").expect("entry end")];
    let hash = hash_after(entry, "media/2024/unterzeichnung.1200w.");
    let url = format!("{SPEC_BASE_URL}media/2024/unterzeichnung.1200w.{hash}.jpg");
    assert!(entry.contains(&format!(
        "<link rel=\"enclosure\" type=\"image/jpeg\" href=\"{url}\"/>"
    )));
    assert!(entry.contains(&format!(
        "<media:content url=\"{url}\" medium=\"image\" type=\"image/jpeg\">"
    )));
    assert!(entry.contains(&format!("<media:credit>{CREDIT}</media:credit>")));
    let content = &entry[entry.find("<content type=\"html\">").expect("content")..];
    assert!(
        content.starts_with("<content type=\"html\">&lt;figure class=&quot;photo&quot;&gt;"),
        "the text opens with the photo"
    );
    assert!(content.contains(&format!("&lt;span class=&quot;credit&quot;&gt;{CREDIT}")));
    let partner_feed = site.read("partner/klinikum-suedhoehe/atom.xml");
    assert!(
        partner_feed.contains(&format!("<media:content url=\"{url}\"")),
        "partner feeds carry the photo too"
    );
}

#[test]
fn file_names_with_spaces_and_umlauts_are_linked_percent_encoded() {
    let fixture = Fixture::copy(SPEC_SITE);
    with_photos(&fixture);
    let photo = picture(900, 600, image::ImageFormat::Jpeg);
    write_bytes(
        &fixture,
        "content/media/2024/Blick über den Hof.jpg",
        &photo,
    );
    fixture.write(
        "content/media/2024/Blick über den Hof.yaml",
        &format!("alt: Ein Innenhof mit Bäumen\ncredit: \"{CREDIT}\"\n"),
    );
    fixture.write("content/static/docs/Bilanz 2024.pdf", "%PDF-1.4\n");
    fixture.edit(
        RELEASE,
        "zurück.",
        "zurück ([Bilanz](@/static/docs/Bilanz%202024.pdf)).\n\n\
         ![Der Hof](@/media/2024/Blick%20über%20den%20Hof.jpg)\n\n",
    );
    // The build's own link check follows every encoded address to its file.
    let site = build(fixture);
    let html = site.read("nachrichten/amt-und-klinik/");
    assert!(html.contains("<a href=\"/sub/path/docs/Bilanz%202024.pdf\">Bilanz</a>"));
    let encoded = "/sub/path/media/2024/Blick%20%C3%BCber%20den%20Hof.";
    let src = attribute(&html, "<img src=\"/sub/path/media/2024/Blick", "src");
    assert!(src.starts_with(encoded), "{src}");
    let srcset = attribute(
        &html,
        "<source type=\"image/webp\" srcset=\"/sub/path/media/2024/Blick",
        "srcset",
    );
    assert_eq!(widths(srcset), [480, 800, 900], "{srcset}");
    assert!(site.exists("media/2024/Blick über den Hof.jpg"));
}
