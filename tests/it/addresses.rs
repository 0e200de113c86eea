//! Addresses per language: the theme's German and English words, `segments:` over them,
//! and redirect pages from old addresses (`former_segments:`, `redirect_from:`).

use crate::harness::{Fixture, SPEC_SITE, build};

#[test]
fn a_german_site_has_german_addresses_and_english_ones_under_en() {
    let site = build(SPEC_SITE);
    for route in [
        "nachrichten/register-schaltjahr/",
        "nachrichten/seite/2/",
        "partner/klinikum-suedhoehe/faktenblatt/",
        "partnerschaften/drei-partner/",
        "themen/",
        "chronik/2024/",
        "suche/index.json",
        "medien/",
        "en/news/register-schaltjahr/",
        "en/news/page/2/",
        "en/partners/klinikum-suedhoehe/factsheet/",
        "en/partnerships/drei-partner/",
        "en/timeline/2024/",
        "en/search/index.json",
        "en/media/",
    ] {
        assert!(site.exists(route), "no {route}");
    }
    for english_at_root in ["news/", "partners/", "timeline/", "search/"] {
        assert!(
            !site.exists(english_at_root),
            "{english_at_root} at the root"
        );
    }
    let de = site.read("nachrichten/register-schaltjahr/");
    assert!(
        de.contains(
            "hreflang=\"en\" href=\"https://example.org/sub/path/en/news/register-schaltjahr/\""
        ),
        "the German page names its English alternate"
    );
    assert!(de.contains("href=\"/sub/path/partner/klinikum-suedhoehe/\""));
    let en = site.read("en/news/register-schaltjahr/");
    assert!(en.contains("href=\"/sub/path/en/partners/klinikum-suedhoehe/\""));
    let sitemap = site.read("sitemap.xml");
    for loc in [
        "sub/path/nachrichten/register-schaltjahr/",
        "sub/path/en/news/register-schaltjahr/",
    ] {
        assert!(sitemap.contains(loc), "sitemap lacks {loc}");
    }
    crate::search::Index::read(&site, "suche/")
        .number("/sub/path/nachrichten/register-schaltjahr/");
    crate::search::Index::read(&site, "en/search/")
        .number("/sub/path/en/news/register-schaltjahr/");
    assert!(
        site.read("api/news.json")
            .contains("https://example.org/sub/path/nachrichten/register-schaltjahr/")
    );
}

#[test]
fn segments_in_site_yaml_replace_the_theme_words_of_their_language() {
    let fixture = Fixture::copy("minimal");
    fixture.edit(
        "content/site.yaml",
        "languages:",
        "segments:\n  de: { partners: einrichtungen, factsheet: steckbrief }\n  en: { partners: members }\nlanguages:",
    );
    let site = fixture.build();
    assert!(site.exists("einrichtungen/einzelklinik/steckbrief/"));
    assert!(site.exists("en/members/einzelklinik/factsheet/"));
    assert!(
        site.exists("nachrichten/"),
        "the other words stay the theme's"
    );
    assert!(!site.exists("partner/"));
}

#[test]
fn former_segments_and_redirect_from_answer_old_addresses_with_redirect_pages() {
    let fixture = Fixture::copy("minimal");
    fixture.edit(
        "content/site.yaml",
        "languages:",
        "former_segments:\n  de: { partners: partners, factsheet: factsheet }\nlanguages:",
    );
    fixture.write(
        "content/pages/impressum.md",
        "---\ntitle: Impressum\nredirect_from: [/kontakt/impressum/, alt/impressum.html]\n---\n\nAngaben.\n",
    );
    let site = fixture.build();
    let redirect = site.read("partners/einzelklinik/factsheet/");
    for part in [
        "<meta http-equiv=\"refresh\" content=\"0; url=/mini/partner/einzelklinik/faktenblatt/\">",
        "<link rel=\"canonical\" href=\"https://example.org/mini/partner/einzelklinik/faktenblatt/\">",
        "<meta name=\"robots\" content=\"noindex\">",
        "<a href=\"/mini/partner/einzelklinik/faktenblatt/\">",
        "<html lang=\"de\">",
    ] {
        assert!(redirect.contains(part), "lacks {part}:\n{redirect}");
    }
    assert!(site.read("partners/").contains("url=/mini/partner/\""));
    assert!(
        !site.exists("en/partner/") && !site.exists("news/"),
        "only the segments declared as former get redirects"
    );
    for old in ["kontakt/impressum/", "alt/impressum.html"] {
        assert!(site.read(old).contains("url=/mini/impressum/\""), "{old}");
    }
    let sitemap = site.read("sitemap.xml");
    assert!(!sitemap.contains("mini/partners/") && !sitemap.contains("kontakt/"));
}

/// `aliases:`, as Hugo and Zola users write it, is `redirect_from:` on a page, a
/// partnership or a release (an institution's `aliases:` are its other names).
#[test]
fn aliases_as_hugo_and_zola_write_them_redirect_too() {
    let fixture = Fixture::copy("minimal");
    fixture.write(
        "content/pages/impressum.md",
        "---\ntitle: Impressum\naliases: [/kontakt/impressum/]\n---\n\nAngaben.\n",
    );
    let site = fixture.build();
    assert!(
        site.read("kontakt/impressum/")
            .contains("url=/mini/impressum/\""),
        "{}",
        site.read("kontakt/impressum/")
    );
}

#[test]
fn the_project_site_keeps_its_old_english_addresses_as_redirects() {
    let site = Fixture::project_site().build();
    let news = site.read("news/");
    assert!(news.contains("url=/nachrichten/\""), "{news}");
    let any_release = site
        .files()
        .into_iter()
        .find(|f| {
            f.starts_with("nachrichten/") && f.matches('/').count() == 2 && !f.contains("seite")
        })
        .expect("a release");
    let old = any_release.replacen("nachrichten/", "news/", 1);
    assert!(site.read(&old).contains(&format!(
        "url=/{}\"",
        any_release.trim_end_matches("index.html")
    )));
}
