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
    let de = site.main("news/register-schaltjahr/");
    // Contact: name, role, institution link, email, phone.
    assert!(
        de.contains("<h2 id=\"sec-contacts\">Pressekontakt</h2>"),
        "{de}"
    );
    assert!(
        de.contains(
            "<li><strong>Ümran Öztürk</strong>, Pflegedirektorin, <a href=\"/sub/path/partners/klinikum-suedhoehe/\">Klinikum Südhöhe Würzburg</a>"
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
            "<figcaption>Prof. Dr. Anna Groß, Vorstandsvorsitzende, <a href=\"/sub/path/partners/uniklinik-saalestadt/\">Universitätsklinikum Saalestadt</a></figcaption>"
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
    let de = site.main("news/register-schaltjahr/");
    assert!(!de.contains("sec-contacts"), "{de}");
    assert!(!de.contains("release-about"), "{de}");
    assert!(!de.contains("<figure class=\"quote\">"), "{de}");
}

/// The one error of `tests/fixtures/<case>/`, a small site with one problem, built
/// in-process.
fn the_error_of(case: &str) -> partnerpress::diagnostics::Diagnostic {
    let fixture = Fixture::copy(case);
    let report = fixture.build_report(&fixture.options());
    let mut errors: Vec<_> = report
        .diagnostics
        .into_iter()
        .filter(|d| d.is_error())
        .collect();
    assert_eq!(errors.len(), 1, "`{case}`: {errors:#?}");
    errors.remove(0)
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
