//! Press-release anatomy: media `contacts`, `quotes` by people of the concerned
//! institutions, and an "About …" section per concerned institution with a `boilerplate`.

use crate::harness::{Fixture, SPEC_SITE};

const RELEASE: &str = "content/news/2024-02-29-register-schaltjahr.md";

fn anatomy_site() -> Fixture {
    let fixture = Fixture::copy(SPEC_SITE);
    fixture.edit(
        RELEASE,
        "topics: [",
        "contacts: [klinikum-suedhoehe/uemran-oeztuerk]\n\
         quotes:\n  - { by: uniklinik-saalestadt/prof-dr-anna-gross, text: \"Das Register zeigt uns, wo wir besser werden.\" }\n\
         topics: [",
    );
    fixture.edit(
        "content/institutions/klinikum-suedhoehe.md",
        "  - { name: Ümran Öztürk, role: Pflegedirektorin }",
        "  - { name: Ümran Öztürk, role: Pflegedirektorin, email: presse@suedhoehe.example, phone: +49 931 0000-0 }\n\
         boilerplate: Das Klinikum Südhöhe versorgt die Region Würzburg.",
    );
    fixture.edit(
        "content/institutions/klinikum-suedhoehe.en.md",
        "people:",
        "boilerplate: Südhöhe Hospital serves the Würzburg region.\npeople:",
    );
    fixture.edit(
        "content/institutions/uniklinik-saalestadt.md",
        "kind: university-hospital",
        "kind: university-hospital\nboilerplate: Das UKS ist das Universitätsklinikum der Saalestadt.",
    );
    fixture
}

#[test]
fn contacts_quotes_and_about_sections_render() {
    let site = anatomy_site().build();
    let de = site.main("nachrichten/register-schaltjahr/");
    // Contact: name, role, institution link, email, phone.
    assert!(
        de.contains("<h2 id=\"sec-contacts\">Pressekontakt</h2>"),
        "{de}"
    );
    assert!(
        de.contains(
            "<li class=\"contact-card\"><strong>Ümran Öztürk</strong>, Pflegedirektorin, <a href=\"/sub/path/partner/klinikum-suedhoehe/\">Klinikum Südhöhe Würzburg</a>"
        ),
        "{de}"
    );
    assert!(
        de.contains("href=\"mailto:presse@suedhoehe.example\""),
        "{de}"
    );
    assert!(
        de.contains("<a href=\"tel:+4993100000\">+49 931 0000-0</a>"),
        "a phone number a journalist can tap: {de}"
    );
    // Quote with its author's role and institution.
    assert!(
        de.contains("<blockquote lang=\"de\"><p>Das Register zeigt uns, wo wir besser werden.</p></blockquote>"),
        "{de}"
    );
    assert!(
        de.contains(
            "<figcaption>Prof. Dr. Anna Groß, Vorstandsvorsitzende, <a href=\"/sub/path/partner/uniklinik-saalestadt/\">Universitätsklinikum Saalestadt</a></figcaption>"
        ),
        "{de}"
    );
    // One About section per concerned institution with a boilerplate.
    assert!(de.contains(">Über Klinikum Südhöhe Würzburg</h2>"), "{de}");
    assert!(
        de.contains("Das Klinikum Südhöhe versorgt die Region Würzburg."),
        "{de}"
    );
    assert!(
        de.contains(">Über Universitätsklinikum Saalestadt</h2>"),
        "{de}"
    );
    assert!(!de.contains("Über Institut für Gefäßforschung"), "{de}");
    assert_eq!(de.matches("class=\"release-about\"").count(), 2, "{de}");

    // English: translated role and boilerplate; an untranslated one keeps its language.
    let en = site.main("en/news/register-schaltjahr/");
    assert!(
        en.contains("<h2 id=\"sec-contacts\">Media contacts</h2>"),
        "{en}"
    );
    assert!(
        en.contains("Ümran Öztürk</strong>, Director of Nursing"),
        "{en}"
    );
    assert!(
        en.contains("href=\"mailto:presse@suedhoehe.example\""),
        "{en}"
    );
    assert!(en.contains(">About Südhöhe Hospital Würzburg</h2>"), "{en}");
    assert!(
        en.contains("<p lang=\"en\">Südhöhe Hospital serves the Würzburg region.</p>"),
        "{en}"
    );
    assert!(
        en.contains("<p lang=\"de\">Das UKS ist das Universitätsklinikum der Saalestadt.</p>"),
        "{en}"
    );
    assert!(en.contains("<blockquote lang=\"de\">"), "{en}");
}

#[test]
fn releases_without_anatomy_are_unchanged() {
    let site = Fixture::copy(SPEC_SITE).build();
    let de = site.main("nachrichten/register-schaltjahr/");
    assert!(!de.contains("sec-contacts"), "{de}");
    assert!(!de.contains("release-about"), "{de}");
    assert!(!de.contains("<figure class=\"quote\">"), "{de}");
}

/// The one error of `tests/fixtures/<case>/`, a small site with one problem, built
/// in-process.
fn the_error_of(case: &str) -> partnerpress::diagnostics::Diagnostic {
    let fixture = Fixture::copy(case);
    let report = fixture.build_report(&fixture.options());
    crate::harness::only_error(&report).clone()
}

#[test]
fn unknown_contact_is_a_located_error_with_a_suggestion() {
    let contact = the_error_of("invalid-contact");
    assert_eq!(contact.code, "unknown-id");
    assert!(
        contact.message.contains("uemran-oeztuerck"),
        "{}",
        contact.render()
    );
    assert_eq!(
        contact.location(),
        "content/news/2024-02-29-register.md:5:12",
        "{}",
        contact.render()
    );
    assert_eq!(
        contact.help.as_deref(),
        Some("did you mean `klinikum-suedhoehe/uemran-oeztuerk`?")
    );
}

#[test]
fn a_quote_by_a_person_of_an_unconcerned_institution_is_a_located_error() {
    let quote = the_error_of("invalid-quote-author");
    assert_eq!(quote.code, "unknown-id");
    assert!(
        quote.message.contains("dr-lutz-haeberle"),
        "{}",
        quote.render()
    );
    assert_eq!(
        quote.location(),
        "content/news/2024-02-29-register.md:6:11",
        "{}",
        quote.render()
    );
}

/// A vCard's unfolded content lines, checking the framing a contacts app needs.
fn vcard_lines(card: &str) -> Vec<String> {
    assert!(card.ends_with("\r\n"), "lines end in CRLF");
    for line in card.split("\r\n") {
        assert!(line.len() <= 75, "a line over 75 octets: {line:?}");
    }
    let lines: Vec<String> = card
        .replace("\r\n ", "")
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    assert_eq!(lines.first().map(String::as_str), Some("BEGIN:VCARD"));
    assert_eq!(lines.get(1).map(String::as_str), Some("VERSION:4.0"));
    assert_eq!(lines.last().map(String::as_str), Some("END:VCARD"));
    lines
}

#[test]
fn media_contacts_come_with_a_vcard_in_every_language() {
    let site = anatomy_site().build();
    let de = site.main("nachrichten/register-schaltjahr/");
    let link = "<a href=\"/sub/path/partner/klinikum-suedhoehe/uemran-oeztuerk.vcf\" download>Kontakt speichern (vCard)</a>";
    assert!(de.contains(link), "{de}");
    let card = site.read("partner/klinikum-suedhoehe/uemran-oeztuerk.vcf");
    let lines = vcard_lines(&card);
    for expected in [
        "FN:Ümran Öztürk",
        "N:Öztürk;Ümran;;;",
        "ORG:Klinikum Südhöhe Würzburg",
        "TITLE:Pflegedirektorin",
        "EMAIL;TYPE=work:presse@suedhoehe.example",
        "TEL;VALUE=uri;TYPE=\"work,voice\":tel:+4993100000",
        "URL:https://example.org/sub/path/partner/klinikum-suedhoehe/",
    ] {
        assert!(
            lines.iter().any(|l| l == expected),
            "{expected} in {lines:?}"
        );
    }
    let en = site.read("en/partners/klinikum-suedhoehe/uemran-oeztuerk.vcf");
    assert!(
        vcard_lines(&en)
            .iter()
            .any(|l| l.starts_with("URL:https://example.org/sub/path/en/"))
    );
    // A quote's author is no media contact, and has no address to save.
    assert!(!site.exists("partner/uniklinik-saalestadt/prof-dr-anna-gross.vcf"));
}

#[test]
fn releases_without_contacts_name_the_press_office_with_its_vcard() {
    let fixture = anatomy_site();
    fixture.edit(
        "content/site.yaml",
        "theme: default\n",
        "theme: default\npress_office: { name: Presseteam des Testnetzes, email: presse@example.org, phone: \"+49 931 1234-0\" }\n",
    );
    let site = fixture.build();
    let plain = site.main("nachrichten/ohne-autolink/");
    assert!(
        plain.contains("<li class=\"contact-card\"><strong>Presseteam des Testnetzes</strong><br>"),
        "{plain}"
    );
    assert!(plain.contains("<a href=\"tel:+4993112340\">+49 931 1234-0</a>"));
    assert!(plain.contains("<a href=\"/sub/path/press-office.vcf\" download>"));
    let lines = vcard_lines(&site.read("press-office.vcf"));
    assert!(
        lines
            .iter()
            .any(|l| l == "EMAIL;TYPE=work:presse@example.org")
    );
    assert!(site.exists("en/press-office.vcf"));
    // A release that names its contacts shows them, not the press office.
    let named = site.main("nachrichten/register-schaltjahr/");
    assert!(!named.contains("Presseteam des Testnetzes"), "{named}");
}

#[test]
fn a_press_office_without_a_way_to_reach_it_is_a_located_error() {
    let fixture = Fixture::copy(SPEC_SITE);
    fixture.edit(
        "content/site.yaml",
        "theme: default\n",
        "theme: default\npress_office: { name: Pressestelle }\n",
    );
    let report = fixture.check_report();
    let error = crate::harness::only_error(&report);
    assert_eq!(error.code, "invalid-value");
    assert_eq!(
        fixture.locate("content/site.yaml", "press_office"),
        format!("content/site.yaml:{}:{}", error.line, error.column)
    );
}

#[test]
fn a_contact_without_address_or_phone_is_joined_by_the_press_office() {
    let fixture = anatomy_site();
    fixture.edit(
        "content/site.yaml",
        "theme: default\n",
        "theme: default\npress_office: { name: Presseteam des Testnetzes, email: presse@example.org }\n",
    );
    fixture.edit(
        RELEASE,
        "contacts: [klinikum-suedhoehe/uemran-oeztuerk]",
        "contacts: [uniklinik-saalestadt/prof-dr-anna-gross]",
    );
    let site = fixture.build();
    let de = site.main("nachrichten/register-schaltjahr/");
    let named = de
        .find("<strong>Prof. Dr. Anna Groß</strong>")
        .expect("the named contact");
    let office = de
        .find("<strong>Presseteam des Testnetzes</strong>")
        .expect("the press office, reachable");
    assert!(named < office, "the named contact first: {de}");
}

#[test]
fn the_dateline_names_the_issuers_city_and_its_boilerplate_comes_first() {
    let fixture = anatomy_site();
    fixture.edit(
        RELEASE,
        "topics: [",
        "issuer: klinikum-suedhoehe\ntopics: [",
    );
    fixture.edit(
        "content/institutions/uniklinik-saalestadt.md",
        "kind: university-hospital",
        "kind: university-hospital\narticle: das",
    );
    fixture.edit(
        "content/institutions/klinikum-suedhoehe.md",
        "boilerplate:",
        "about_title: Über das Klinikum auf der Südhöhe\nboilerplate:",
    );
    let site = fixture.build();
    let de = site.main("nachrichten/register-schaltjahr/");
    assert!(
        de.contains("<p class=\"kicker\">Pressemitteilung <span class=\"dateline\">Würzburg, <time datetime=\"2024-02-29\">29. Februar 2024</time></span></p>"),
        "{de}"
    );
    let issuer = de
        .find(">Über das Klinikum auf der Südhöhe</h2>")
        .expect("about_title");
    let partner = de
        .find(">Über das Universitätsklinikum Saalestadt</h2>")
        .expect("article");
    assert!(issuer < partner, "the issuer's boilerplate first: {de}");
    assert!(
        de.contains(
            "<dt>Herausgegeben von</dt><dd><a href=\"/sub/path/partner/klinikum-suedhoehe/\">"
        ),
        "{de}"
    );
    // English strings take no article, and a German about_title is not shown on English pages.
    let en = site.main("en/news/register-schaltjahr/");
    assert!(
        en.contains(">About Universitätsklinikum Saalestadt</h2>")
            || en.contains(">About University Hospital Saalestadt</h2>"),
        "{en}"
    );
    assert!(!en.contains("Über das Klinikum auf der Südhöhe"), "{en}");
}

#[test]
fn an_unknown_issuer_is_an_error_at_its_line_with_the_nearest_id() {
    let fixture = anatomy_site();
    fixture.edit(RELEASE, "topics: [", "issuer: klinikum-suedhoe\ntopics: [");
    let report = fixture.check_report();
    let error = crate::harness::only_error(&report);
    let at = fixture.locate(RELEASE, "klinikum-suedhoe\n");
    let shown = format!("{}:{}:{}", error.path.display(), error.line, error.column);
    assert_eq!(shown, at, "{error:?}");
    assert!(error.message.contains("klinikum-suedhoe"), "{error:?}");
    assert!(
        error
            .help
            .as_deref()
            .unwrap_or("")
            .contains("klinikum-suedhoehe"),
        "{error:?}"
    );
}
