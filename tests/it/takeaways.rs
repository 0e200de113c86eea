//! Take-aways for journalists: share cards on every page kind, press kits per release,
//! the press contacts page, and the partnerships' and topics' Atom feeds.

use crate::harness::{Fixture, SPEC_BASE_URL, SPEC_SITE, Site};
use crate::media_photos;
use partnerpress::{Mode, Session};
use std::collections::BTreeMap;
use std::io::Read;

/// The content of `<meta property="{property}" content="…">` in `html`.
fn meta<'h>(html: &'h str, property: &str) -> Option<&'h str> {
    let tag = format!("<meta property=\"{property}\" content=\"");
    let at = html.find(&tag)? + tag.len();
    Some(&html[at..at + html[at..].find('"')?])
}

fn spec_with_press_office() -> Fixture {
    let fixture = Fixture::copy(SPEC_SITE);
    fixture.edit(
        "content/site.yaml",
        "theme: default\n",
        "theme: default\npress_office: { name: Pressestelle & Presseteam, role: Kommunikation, email: presse@example.org, phone: \"+49 931 1234-0\" }\n",
    );
    fixture
}

#[test]
fn every_page_kind_shares_a_1200_by_630_png_card() {
    let site = spec_with_press_office().build();
    let pages: Vec<String> = site
        .files()
        .into_iter()
        .filter(|f| f.ends_with("index.html"))
        // The news list's later pages, the timeline's years and the media library get
        // no card.
        .filter(|f| {
            ![
                "nachrichten/seite/",
                "en/news/page/",
                "chronik/2",
                "en/timeline/2",
            ]
            .iter()
            .any(|later| f.starts_with(later))
        })
        .filter(|f| !f.ends_with("medien/index.html") && !f.ends_with("en/media/index.html"))
        .collect();
    assert!(pages.len() > 40, "{pages:?}");
    let mut kinds = std::collections::BTreeSet::new();
    for page in &pages {
        let html = site.read(page);
        let url = meta(&html, "og:image").unwrap_or_else(|| panic!("no og:image in {page}"));
        let path = url
            .strip_prefix(SPEC_BASE_URL)
            .expect("an address of the site");
        let png = std::fs::read(site.file(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        let image = image::load_from_memory_with_format(&png, image::ImageFormat::Png)
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!((image.width(), image.height()), (1200, 630), "{path}");
        assert_eq!(meta(&html, "og:image:width"), Some("1200"));
        assert_eq!(meta(&html, "og:image:height"), Some("630"));
        assert!(
            !meta(&html, "og:image:alt").unwrap_or("").is_empty(),
            "{page}"
        );
        assert!(html.contains("<meta name=\"twitter:card\" content=\"summary_large_image\">"));
        let kind = html
            .split("<body class=\"kind-")
            .nth(1)
            .and_then(|k| k.split('"').next());
        kinds.insert(kind.unwrap_or_default().to_owned());
    }
    for kind in [
        "home",
        "release",
        "partner",
        "partnership",
        "topic",
        "news",
        "page",
        "press",
    ] {
        assert!(kinds.contains(kind), "no page of kind {kind}: {kinds:?}");
    }
    // A release's card names its kind and partners; its date stands in the alt text.
    let release = site.read("nachrichten/register-schaltjahr/index.html");
    let alt = meta(&release, "og:image:alt").expect("alt");
    assert!(alt.starts_with("Pressemitteilung – "), "{alt}");
    assert!(alt.contains("2024"), "{alt}");
}

/// Every card and press kit of a clean build of `fixture`, by path.
fn cards_and_kits(site: &Site) -> BTreeMap<String, Vec<u8>> {
    let mut files = site.tree();
    files.retain(|path, _| path.ends_with(".png") || path.ends_with(".zip"));
    files
}

#[test]
fn two_clean_builds_make_the_same_cards_and_kits_and_a_warm_one_draws_and_zips_none() {
    let first = cards_and_kits(&media_photos::build(media_photos::fixture()));
    let fixture = media_photos::fixture();
    let opts = media_photos::options(&fixture);
    let mut session = Session::new(opts.clone());
    session.run(Mode::Build).expect("build");
    let second = partnerpress_tree(&opts.output_dir());
    assert!(first.keys().any(|p| p.ends_with(".zip")));
    assert!(
        first
            .keys()
            .any(|p| p.contains("/share.") && p.ends_with(".png"))
    );
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &first {
        assert!(second[path] == *bytes, "{path} differs between two builds");
    }
    let again = Session::once(opts.clone()).run(Mode::Build).expect("build");
    assert_eq!(again.cards_drawn, 0, "a warm build draws no card");
    assert!(again.cards_reused > 0);
    assert_eq!(again.kits_zipped, 0, "a warm build zips no kit");
    assert!(again.kits_reused > 0);
    assert_eq!(partnerpress_tree(&opts.output_dir()), second);

    // The cache finds a kit by what its text is made from: an edited body is a new kit.
    fixture.edit(
        "content/news/2025-06-24-unterzeichnung.md",
        "haben ihren Rahmenvertrag unterzeichnet.",
        "haben ihren Rahmenvertrag heute unterzeichnet.",
    );
    let edited = Session::once(opts.clone()).run(Mode::Build).expect("build");
    assert_eq!(
        (edited.kits_zipped, edited.kits_reused),
        (1, again.kits_reused - 1)
    );
    let kit = "nachrichten/unterzeichnung/press-kit-unterzeichnung.zip";
    let kit = std::fs::read(opts.output_dir().join(kit)).unwrap();
    let text = &unzip(&kit)[1].1;
    assert!(String::from_utf8_lossy(text).contains("Rahmenvertrag heute unterzeichnet"));
}

fn partnerpress_tree(dir: &std::path::Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = crate::harness::tree(dir);
    files.retain(|path, _| path.ends_with(".png") || path.ends_with(".zip"));
    files
}

/// The entries of a ZIP by name, in the archive's order.
fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a ZIP");
    (0..archive.len())
        .map(|i| {
            let mut entry = archive.by_index(i).expect("entry");
            let mut data = Vec::new();
            entry.read_to_end(&mut data).expect("read");
            (entry.name().expect("a UTF-8 name").to_string(), data)
        })
        .collect()
}

#[test]
fn a_press_kit_holds_text_photos_credits_facts_and_contacts() {
    let fixture = media_photos::fixture();
    fixture.edit(
        "content/news/2025-06-24-unterzeichnung.md",
        "haben ihren Rahmenvertrag unterzeichnet.",
        "haben ihren Rahmenvertrag unterzeichnet.\n\n> Ein „guter“ Tag & mehr.\n\n![Die Station](@/media/2025/station.jpg)",
    );
    fixture.edit(
        "content/institutions/klinikum-suedhoehe.md",
        "kind: hospital",
        "kind: hospital\nfacts:\n  - { key: beds, value: 480, as_of: 2024, source: https://example.org/bericht }",
    );
    fixture.edit(
        "content/site.yaml",
        "logo: logos/suedhoehe.svg",
        "logo: logos/suedhoehe.svg\npress_office: { name: Pressestelle, email: presse@example.org, phone: \"+49 931 1234-0\" }",
    );
    let site = media_photos::build(fixture);
    let page = site.main("nachrichten/unterzeichnung/");
    let href = "/sub/path/nachrichten/unterzeichnung/press-kit-unterzeichnung.zip";
    assert!(
        page.contains(&format!(
            "<a href=\"{href}\" download type=\"application/zip\">Pressemappe (ZIP, "
        )),
        "{page}"
    );
    let zip = std::fs::read(site.file("nachrichten/unterzeichnung/press-kit-unterzeichnung.zip"))
        .unwrap();
    let size = if zip.len() >= 1_000_000 {
        format!("{:.1} MB", zip.len() as f64 / 1e6).replace('.', ",")
    } else {
        format!("{} kB", zip.len().div_ceil(1000))
    };
    assert!(
        page.contains(&format!("Pressemappe (ZIP, {size})")),
        "{size}: {page}"
    );
    let entries = unzip(&zip);
    let names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "unterzeichnung/unterzeichnung.md",
            "unterzeichnung/unterzeichnung.txt",
            "unterzeichnung/photos/2025/unterzeichnung.jpg",
            "unterzeichnung/photos/2025/station.jpg",
            "unterzeichnung/credits.txt",
            "unterzeichnung/factsheets/klinikum-suedhoehe.csv",
            "unterzeichnung/contacts/press-office.vcf",
        ]
    );
    let file = |name: &str| &entries.iter().find(|(n, _)| n.ends_with(name)).unwrap().1;
    let text = |name: &str| String::from_utf8(file(name).clone()).unwrap();
    let md = text("unterzeichnung.md");
    assert!(
        md.starts_with("# Rahmenvertrag unterzeichnet\n\n24. Juni 2025\n\n"),
        "{md}"
    );
    assert!(md.contains("> Ein „guter“ Tag & mehr."), "{md}");
    assert!(
        md.contains("<https://example.org/sub/path/nachrichten/unterzeichnung/>"),
        "{md}"
    );
    assert!(!md.contains("<p>") && !text("unterzeichnung.txt").contains("**"));
    let credits = text("credits.txt");
    assert_eq!(
        credits
            .matches("Foto: Klinikum Südhöhe / Max Muster")
            .count(),
        2,
        "{credits}"
    );
    let photo = file("photos/2025/unterzeichnung.jpg");
    assert!(
        !media_photos::has_gps(photo),
        "the kit's photo carries no location"
    );
    assert_eq!(
        *photo,
        std::fs::read(site.file("media/2025/unterzeichnung.jpg")).unwrap()
    );
    assert!(
        text("klinikum-suedhoehe.csv").contains(",beds,"),
        "{}",
        text("klinikum-suedhoehe.csv")
    );
    let card = text("press-office.vcf");
    assert!(card.starts_with("BEGIN:VCARD\r\nVERSION:4.0\r\n") && card.ends_with("END:VCARD\r\n"));
    assert!(
        card.contains("\r\nFN:Pressestelle\r\n") && card.contains("TEL;VALUE=uri"),
        "{card}"
    );
    // Fixed times and permissions: the release's date, 0644.
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&zip)).unwrap();
    let entry = archive.by_index(0).unwrap();
    let time = entry.last_modified().expect("a time");
    assert_eq!(
        (time.year(), time.month(), time.day(), time.hour()),
        (2025, 6, 24, 0)
    );
    assert_eq!(entry.unix_mode().map(|m| m & 0o777), Some(0o644));
}

#[test]
fn the_press_contacts_page_lists_the_press_office_first_and_is_linked_and_found() {
    let fixture = spec_with_press_office();
    fixture.edit(
        "content/news/2024-02-29-register-schaltjahr.md",
        "topics: [",
        "contacts: [klinikum-suedhoehe/uemran-oeztuerk]\ntopics: [",
    );
    fixture.edit(
        "content/institutions/klinikum-suedhoehe.md",
        "  - { name: Ümran Öztürk, role: Pflegedirektorin }",
        "  - { name: Ümran Öztürk, role: Pflegedirektorin, email: presse@suedhoehe.example, phone: +49 931 0000-0 }",
    );
    // A contact without e-mail or phone is named on the release, not on the press page.
    fixture.edit(
        "content/news/2024-06-10-ohne-autolink.md",
        "topics: [",
        "contacts: [uniklinik-saalestadt/prof-dr-anna-gross]\ntopics: [",
    );
    let site = fixture.build();
    let page = site.main("presse/");
    assert!(
        !page.contains("Anna Groß"),
        "an unreachable contact: {page}"
    );
    assert!(
        site.main("nachrichten/ohne-autolink/")
            .contains("Anna Groß")
    );
    let office = page
        .find("Pressestelle &amp; Presseteam")
        .expect("the press office");
    let contact = page.find("Ümran Öztürk").expect("a media contact");
    assert!(office < contact, "the press office first: {page}");
    assert!(page.contains("<a href=\"mailto:presse@example.org\">presse@example.org</a>"));
    assert!(
        page.contains("<a href=\"tel:+4993112340\">+49 931 1234-0</a>"),
        "{page}"
    );
    assert!(page.contains("<a href=\"tel:+4993100000\">+49 931 0000-0</a>"));
    assert!(page.contains("<a href=\"/sub/path/press-office.vcf\" download>"));
    assert!(site.exists("press-office.vcf"));
    assert!(page.contains("href=\"/sub/path/partner/klinikum-suedhoehe/\">Klinikum Südhöhe"));
    let en = site.read("en/press/index.html");
    assert!(en.contains("<h1>Press contacts</h1>"), "{en}");
    let home = site.read("index.html");
    assert!(home.contains("<li><a href=\"/sub/path/presse/\">Pressekontakte</a></li>"));
    assert!(
        site.read("sitemap.xml")
            .contains("<loc>https://example.org/sub/path/presse/</loc>")
    );
    let index = crate::search::Index::read(&site, "suche/");
    let press = index.number("/sub/path/presse/");
    assert_eq!(index.docs[press as usize]["k"], "press");
    assert!(
        index.finds("oeztuerk", press),
        "the press page is found by a contact's name"
    );
}

#[test]
fn partnerships_and_topics_have_feeds_that_parse_and_are_linked() {
    let site = Fixture::copy(SPEC_SITE).build();
    for (page, feed) in [
        (
            "partnerschaften/drei-partner/",
            "partnerschaften/drei-partner/atom.xml",
        ),
        (
            "en/partnerships/drei-partner/",
            "en/partnerships/drei-partner/atom.xml",
        ),
    ] {
        let html = site.read(&format!("{page}index.html"));
        let href = format!("href=\"/sub/path/{feed}\"");
        assert!(
            html.contains("<link rel=\"alternate\" type=\"application/atom+xml\" title=")
                && html.contains(&href),
            "{html}"
        );
        assert!(
            site.main(page)
                .contains(&format!("<a {href} type=\"application/atom+xml\">"))
        );
        let xml = site.read(feed);
        let doc = roxmltree::Document::parse(&xml).expect("the feed parses");
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "feed");
        assert!(root.children().any(|n| n.has_tag_name("entry")), "{xml}");
    }
    let topics: Vec<String> = site
        .files()
        .into_iter()
        .filter(|f| f.starts_with("themen/") && f.ends_with("/atom.xml"))
        .collect();
    assert!(!topics.is_empty());
    for feed in &topics {
        let page = feed.trim_end_matches("atom.xml");
        assert!(
            site.read(&format!("{page}index.html"))
                .contains(&format!("href=\"/sub/path/{feed}\""))
        );
        roxmltree::Document::parse(&site.read(feed)).expect("the feed parses");
    }
}
