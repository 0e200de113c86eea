//! The theme: the built-in one serves any site; a site's own `themes/<name>/` overrides
//! single templates, static files and interface strings; a bad theme or language is a
//! located error.

use crate::harness::Fixture;

#[test]
fn a_site_template_overrides_only_that_template() {
    let fixture = Fixture::copy("minimal");
    fixture.write(
        "themes/default/templates/partners.html",
        "{% extends \"base.html\" %}{% block main %}<h1>OWN-PARTNERS-TEMPLATE</h1>{% endblock main %}",
    );
    let site = fixture.build();
    assert!(site.read("partner/").contains("OWN-PARTNERS-TEMPLATE"));
    assert!(!site.read("chronik/").contains("OWN-PARTNERS-TEMPLATE"));
    assert!(
        site.read("chronik/").contains("<main id=\"main\">"),
        "other pages keep the built-in layout"
    );
}

#[test]
fn a_site_static_file_replaces_the_built_in_one() {
    let fixture = Fixture::copy("minimal");
    fixture.write("themes/default/static/style.css", "/* OWN-STYLE */\n");
    let site = fixture.build();
    assert_eq!(site.read("style.css"), "/* OWN-STYLE */\n");
}

#[test]
fn a_site_can_replace_interface_strings() {
    let fixture = Fixture::copy("minimal");
    let built_in = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/themes/default/i18n/de.yaml"
    ))
    .unwrap();
    let nav = built_in
        .lines()
        .find(|l| l.contains("\"nav.partners\""))
        .expect("nav.partners in de.yaml");
    fixture.write(
        "themes/default/i18n/de.yaml",
        &built_in.replace(nav, "  \"nav.partners\": Einrichtungen-EIGEN"),
    );
    let site = fixture.build();
    assert!(site.read("").contains("Einrichtungen-EIGEN"));
}

#[test]
fn a_template_syntax_error_names_the_template() {
    let fixture = Fixture::copy("minimal");
    fixture.write(
        "themes/default/templates/partners.html",
        "{% extends \"base.html\" %}{% block main %}{{ oops( }}{% endblock main %}",
    );
    let report = fixture.build_report(&fixture.options());
    let error = report
        .diagnostics
        .iter()
        .find(|d| d.is_error())
        .expect("an error");
    assert_eq!(error.code, "template");
    assert!(
        error.message.contains("partners.html"),
        "{}",
        error.render()
    );
    assert!(!fixture.output().exists(), "nothing is written");
}

#[test]
fn an_unknown_theme_is_an_error_in_site_yaml() {
    let fixture = Fixture::copy("minimal");
    fixture.edit(
        "content/site.yaml",
        "title: Minimalnetz",
        "title: Minimalnetz\ntheme: fancy",
    );
    let report = fixture.build_report(&fixture.options());
    let error = report
        .diagnostics
        .iter()
        .find(|d| d.code == "unknown-theme")
        .expect("unknown-theme");
    assert!(error.message.contains("`fancy`"));
    assert_eq!(
        error.location(),
        "content/site.yaml:2:8",
        "{}",
        error.render()
    );
}

#[test]
fn an_unknown_language_is_located_in_site_yaml() {
    let fixture = Fixture::copy("minimal");
    fixture.edit("content/site.yaml", "others: [en]", "others: [en, fr]");
    let report = fixture.build_report(&fixture.options());
    let error = report
        .diagnostics
        .iter()
        .find(|d| d.code == "unknown-language")
        .expect("unknown-language");
    assert!(
        error.location().starts_with("content/site.yaml:"),
        "{}",
        error.render()
    );
    assert!(error.line > 0 && error.column > 0, "{}", error.render());
    assert!(error.source_line.as_deref().unwrap_or("").contains("fr"));
}

#[test]
fn the_stylesheet_stays_under_40_kb_and_pages_run_no_script() {
    let site = crate::harness::build(crate::harness::SPEC_SITE);
    let css = site.read("style.css");
    // One request for every page; about 8 KB compressed at 32 KB (issue 15 added the release
    // anatomy, the comparison table, filters and chips).
    assert!(css.len() < 40 * 1024, "style.css is {} bytes", css.len());
    for page in ["", "nachrichten/", "partner/", "chronik/"] {
        let html = site.read(page);
        let data = html
            .matches("<script type=\"application/ld+json\">")
            .count();
        assert_eq!(
            html.matches("<script").count(),
            data,
            "{page} loads a script"
        );
    }
}
