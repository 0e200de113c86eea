//! Issue 11, items 18, 20 and 21: theme files (i18n gaps, broken and non-UTF-8 files,
//! template paths), every problem in one run (templates beside content errors, plain
//! links beside `@/` anchors), and `partnerpress new` (ids from any title, reserved ids,
//! long titles, only inside a site).

use crate::harness::{Fixture, cli};
use partnerpress::diagnostics::Diagnostic;

const BUILT_IN_DE: &str = include_str!("../../themes/default/i18n/de.yaml");
const BUILT_IN_EN: &str = include_str!("../../themes/default/i18n/en.yaml");

/// `text` without the line that defines string `key`.
fn without_string(text: &str, key: &str) -> String {
    let needle = format!("\"{key}\":");
    let out: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim_start().starts_with(&needle))
        .collect();
    assert_ne!(out.len(), text.lines().count(), "no string `{key}`");
    out.join("\n") + "\n"
}

fn errors(report: &partnerpress::BuildReport) -> Vec<&Diagnostic> {
    report.diagnostics.iter().filter(|d| d.is_error()).collect()
}

fn rendered(diags: &[&Diagnostic]) -> String {
    diags.iter().map(|d| d.render()).collect()
}

#[test]
fn an_i18n_file_missing_a_string_builds_with_the_built_in_string_and_a_warning() {
    let fixture = Fixture::copy("minimal");
    fixture.write(
        "themes/default/i18n/de.yaml",
        &without_string(BUILT_IN_DE, "nav.partners"),
    );
    let report = fixture.build_report(&fixture.options());
    assert!(errors(&report).is_empty(), "{}", rendered(&errors(&report)));
    assert!(report.published);
    let warning = report
        .diagnostics
        .iter()
        .find(|d| d.code == "missing-string")
        .expect("a missing-string warning");
    assert!(!warning.is_error());
    assert!(
        warning.message.contains("`nav.partners`"),
        "{}",
        warning.render()
    );
    assert!(
        warning
            .location()
            .starts_with("themes/default/i18n/de.yaml:"),
        "{}",
        warning.render()
    );
    let home = std::fs::read_to_string(fixture.output().join("index.html")).unwrap();
    assert!(home.contains(">Partner</a>"), "the built-in German string");
}

#[test]
fn a_language_the_built_in_theme_lacks_shows_the_key_of_a_missing_string() {
    let fixture = Fixture::copy("minimal");
    fixture.edit("content/site.yaml", "others: [en]", "others: [en, fr]");
    let french = without_string(BUILT_IN_EN, "nav.partners")
        .replace("language_name: English", "language_name: Français");
    fixture.write("themes/default/i18n/fr.yaml", &french);
    let report = fixture.build_report(&fixture.options());
    assert!(errors(&report).is_empty(), "{}", rendered(&errors(&report)));
    let warning = report
        .diagnostics
        .iter()
        .find(|d| d.code == "missing-string")
        .expect("a missing-string warning");
    assert!(
        warning
            .location()
            .starts_with("themes/default/i18n/fr.yaml:")
            && warning.message.contains("`nav.partners`"),
        "{}",
        warning.render()
    );
    let home = std::fs::read_to_string(fixture.output().join("fr/index.html")).unwrap();
    assert!(home.contains(">nav.partners</a>"), "the key is shown");
}

#[test]
fn a_broken_i18n_file_is_one_located_yaml_error_not_a_missing_language() {
    let fixture = Fixture::copy("minimal");
    fixture.write(
        "themes/default/i18n/de.yaml",
        &BUILT_IN_DE.replace(
            "\"nav.news\": Pressemitteilungen",
            "\"nav.news\": [Pressemitteilungen",
        ),
    );
    let report = fixture.build_report(&fixture.options());
    let errors = errors(&report);
    assert_eq!(errors.len(), 1, "{}", rendered(&errors));
    assert_eq!(errors[0].code, "yaml");
    assert_eq!(
        errors[0].location(),
        "themes/default/i18n/de.yaml:10:15",
        "{}",
        errors[0].render()
    );
    assert!(!fixture.output().exists());
}

#[test]
fn an_i18n_file_with_too_few_month_names_is_located() {
    let fixture = Fixture::copy("minimal");
    fixture.write(
        "themes/default/i18n/de.yaml",
        &BUILT_IN_DE.replace(", Dezember]", "]"),
    );
    let report = fixture.build_report(&fixture.options());
    let error = report
        .diagnostics
        .iter()
        .find(|d| d.is_error())
        .expect("an error");
    assert!(error.message.contains("11"), "{}", error.render());
    assert!(
        error
            .location()
            .starts_with("themes/default/i18n/de.yaml:2:"),
        "{}",
        error.render()
    );
}

#[test]
fn non_utf8_bytes_in_a_template_or_an_i18n_file_are_located_errors() {
    let fixture = Fixture::copy("minimal");
    let root = fixture.root();
    std::fs::create_dir_all(root.join("themes/default/templates")).unwrap();
    std::fs::create_dir_all(root.join("themes/default/i18n")).unwrap();
    std::fs::write(
        root.join("themes/default/templates/page.html"),
        b"{% extends \"base.html\" %}\n{% block main %}Gr\xfc\xdfe{% endblock main %}",
    )
    .unwrap();
    let mut de = BUILT_IN_DE.as_bytes().to_vec();
    let at = BUILT_IN_DE.find("Pressemitteilungen").unwrap();
    de[at] = 0xff;
    std::fs::write(root.join("themes/default/i18n/de.yaml"), de).unwrap();
    let report = fixture.build_report(&fixture.options());
    let located: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| d.code == "not-utf8")
        .map(Diagnostic::location)
        .collect();
    assert_eq!(
        located,
        [
            "themes/default/i18n/de.yaml:10:15",
            "themes/default/templates/page.html:2:19"
        ],
        "{}",
        rendered(&errors(&report))
    );
    assert!(!fixture.output().exists());
}

#[test]
fn a_template_error_names_a_file_that_exists() {
    let fixture = Fixture::copy("minimal");
    fixture.write(
        "themes/default/templates/partners.html",
        "{% extends \"base.html\" %}{% block main %}{{ no_such_value.x }}{% endblock main %}",
    );
    let base = include_str!("../../themes/default/templates/base.html");
    fixture.write(
        "themes/default/templates/base.html",
        &base.replacen("</head>", "{{ no_such_value.y }}</head>", 1),
    );
    let report = fixture.build_report(&fixture.options());
    let errors = errors(&report);
    assert!(
        errors.iter().any(|d| d.code == "template"),
        "{}",
        rendered(&errors)
    );
    for error in errors.iter().filter(|d| d.code == "template") {
        let path = error.path.to_string_lossy();
        assert!(
            path.starts_with("<built-in theme>/templates/")
                || fixture.root().join(&error.path).is_file(),
            "{}",
            error.render()
        );
    }
}

const BROKEN_TEMPLATE: &str =
    "{% extends \"base.html\" %}{% block main %}{{ oops( }}{% endblock main %}";

#[test]
fn a_template_error_is_reported_in_the_same_run_as_content_errors() {
    let fixture = Fixture::copy("minimal");
    fixture.write("themes/default/templates/partners.html", BROKEN_TEMPLATE);
    fixture.edit(
        "content/institutions/einzelklinik.md",
        "name: Einzelklinik Ohnepartner",
        "name: Einzelklinik Ohnepartner\nkind: castle",
    );
    let report = fixture.build_report(&fixture.options());
    let codes: Vec<&str> = errors(&report).iter().map(|d| d.code.as_str()).collect();
    assert!(codes.contains(&"template"), "{codes:?}");
    assert!(codes.len() >= 2, "the content error too: {codes:?}");
}

#[test]
fn a_template_error_is_reported_in_the_same_run_as_an_unusable_site_yaml() {
    let fixture = Fixture::copy("minimal");
    fixture.write("themes/default/templates/partners.html", BROKEN_TEMPLATE);
    fixture.edit(
        "content/site.yaml",
        "base_url: https://example.org/mini/",
        "base_url: not a url",
    );
    let report = fixture.build_report(&fixture.options());
    let errors = errors(&report);
    assert!(
        errors.iter().any(|d| d.code == "template"),
        "{}",
        rendered(&errors)
    );
    assert!(
        errors
            .iter()
            .any(|d| d.location().starts_with("content/site.yaml")),
        "{}",
        rendered(&errors)
    );
}

#[test]
fn a_template_error_is_reported_in_the_same_run_as_a_broken_at_link() {
    let fixture = Fixture::copy("spec-site");
    fixture.edit(
        "content/news/2024-05-06-amt-und-klinik.md",
        "(@/institutions/klinikum-suedhoehe.md)",
        "(@/institutions/klinikum-nirgendwo.md)",
    );
    let base = include_str!("../../themes/default/templates/base.html");
    fixture.write(
        "themes/default/templates/base.html",
        &base.replacen("</head>", "{{ no_such_value.y }}</head>", 1),
    );
    let report = fixture.build_report(&fixture.options());
    let errors = errors(&report);
    let codes: Vec<&str> = errors.iter().map(|d| d.code.as_str()).collect();
    assert!(
        codes.contains(&"broken-link") && codes.contains(&"template"),
        "{}",
        rendered(&errors)
    );
    assert!(!fixture.output().exists(), "nothing is published");
}

#[test]
fn check_lists_plain_broken_links_beside_broken_at_links_and_anchors() {
    let fixture = Fixture::copy("invalid-links-of-three-kinds");
    let report = fixture.check_report();
    let errors = errors(&report);
    let found: Vec<(String, &str)> = errors
        .iter()
        .map(|d| (d.location(), d.code.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "content/news/2024-05-06-bilanz.md:7:29".to_owned(),
                "broken-output-link"
            ),
            (
                "content/news/2024-05-06-bilanz.md:7:64".to_owned(),
                "broken-link"
            ),
            (
                "content/news/2024-06-10-plan.md:7:31".to_owned(),
                "broken-anchor"
            ),
        ],
        "{}",
        rendered(&errors)
    );
}

/// Runs `partnerpress new <args> --root <root>`: exit code, stdout, stderr.
fn new_in(root: &std::path::Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = cli()
        .arg("new")
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn pages_in(fixture: &Fixture) -> Vec<String> {
    match std::fs::read_dir(fixture.root().join("content/pages")) {
        Ok(dir) => dir
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect(),
        Err(_) => Vec::new(),
    }
}

#[test]
fn new_refuses_a_title_without_letters_and_takes_an_id_instead() {
    let fixture = Fixture::copy("minimal");
    for title in ["!!!", "🎉🚀", "…"] {
        let (code, _, err) = new_in(&fixture.root(), &["page", title]);
        assert_eq!(code, Some(2), "{title}: {err}");
        assert!(err.contains("--id"), "{title}: {err}");
    }
    assert!(pages_in(&fixture).is_empty(), "{:?}", pages_in(&fixture));
    let (code, out, err) = new_in(&fixture.root(), &["page", "🎉🚀", "--id", "feier"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("content/pages/feier.md"), "{out}");
    let (code, _, err) = new_in(&fixture.root(), &["page", "Fest", "--id", "Fest!"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("not a valid id"), "{err}");
}

#[test]
fn new_refuses_reserved_page_ids_that_would_break_the_build() {
    let fixture = Fixture::copy("minimal");
    for title in [
        "Search", "News", "Partners", "Timeline", "API", "EN", "404", "Topics",
    ] {
        let (code, _, err) = new_in(&fixture.root(), &["page", title]);
        assert_eq!(code, Some(2), "{title}: {err}");
        assert!(
            err.contains("reserved") && err.contains("--id"),
            "{title}: {err}"
        );
    }
    assert!(pages_in(&fixture).is_empty(), "{:?}", pages_in(&fixture));
    let (code, _, err) = new_in(&fixture.root(), &["page", "Search", "--id", "search"]);
    assert_eq!(code, Some(2), "`--id` is checked too: {err}");
}

#[test]
fn new_cuts_a_long_title_to_a_short_id_at_a_word() {
    let fixture = Fixture::copy("minimal");
    let title = "Gemeinsame Erklärung zur Versorgung ".repeat(9);
    assert!(title.len() > 300);
    let (code, out, err) = new_in(&fixture.root(), &["page", &title]);
    assert_eq!(code, Some(0), "{err}");
    let pages = pages_in(&fixture);
    assert_eq!(pages.len(), 1, "{out}");
    let stem = pages[0].strip_suffix(".md").unwrap();
    assert!(stem.len() <= 60, "{stem}");
    assert!(title.to_lowercase().replace(' ', "-").len() > 60);
    assert!(!stem.ends_with('-'), "{stem}");
    let (code, _, err) = new_in(
        &fixture.root(),
        &["news", &"Ä".repeat(300), "--date", "2024-03-01"],
    );
    assert_eq!(code, Some(0), "{err}");
    let mut opts = fixture.options();
    opts.drafts = true;
    fixture.build_with(&opts);
}

#[test]
fn new_outside_a_site_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = new_in(dir.path(), &["page", "Impressum"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("content/site.yaml") && err.contains("--root"),
        "{err}"
    );
    assert!(!dir.path().join("content").exists(), "no content/ tree");
}

#[test]
fn a_free_page_with_a_reserved_id_is_located_on_its_file() {
    for (id, route, owner) in [
        ("search", "/search/", "the search page"),
        ("en", "/en/", "in that language"),
        ("timeline", "/timeline/", "the timeline"),
        ("nachrichten", "/nachrichten/", "the news list"),
        (
            "media",
            "/media/",
            "the media library and the published photos",
        ),
    ] {
        let fixture = Fixture::copy("minimal");
        fixture.write(
            &format!("content/pages/{id}.md"),
            "---\ntitle: Eine Seite\n---\n\nText.\n",
        );
        let report = fixture.build_report(&fixture.options());
        let errors = errors(&report);
        assert_eq!(errors.len(), 1, "{id}: {}", rendered(&errors));
        assert_eq!(errors[0].location(), format!("content/pages/{id}.md:1:1"));
        assert!(errors[0].message.contains(route), "{}", errors[0].render());
        assert!(errors[0].message.contains(owner), "{}", errors[0].render());
        let help = errors[0].help.as_deref().unwrap_or_default();
        assert!(help.contains("another id"), "{}", errors[0].render());
        assert!(!fixture.output().exists());
    }
}
