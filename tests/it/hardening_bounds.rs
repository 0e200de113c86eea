//! Hardening against unbounded work (issue 11, items 10 and 12): content and theme code
//! that used to run for minutes or take gigabytes of memory now finish promptly, with a
//! located error where the input is at fault.

use crate::harness::Fixture;
use partnerpress::diagnostics::Diagnostic;
use std::time::Instant;

/// The error diagnostics of building `fixture`, rendered as the binary prints them.
fn errors(fixture: &Fixture) -> Vec<Diagnostic> {
    let report = fixture.build_report(&fixture.options());
    report
        .diagnostics
        .into_iter()
        .filter(|d| d.is_error())
        .collect()
}

#[test]
fn twenty_thousand_identical_headings_render_with_unique_ids() {
    const COUNT: usize = 20_000;
    let fixture = Fixture::copy("minimal");
    fixture.write(
        "content/pages/viele.md",
        &format!("---\ntitle: Viele\n---\n\n{}", "## Ziele\n\n".repeat(COUNT)),
    );
    let start = Instant::now();
    let site = fixture.build();
    eprintln!("{COUNT} identical headings built in {:?}", start.elapsed());
    let page = site.read("viele/");
    assert!(page.contains(r#"<h2 id="ziele">"#));
    assert!(page.contains(&format!(r#"<h2 id="ziele-{}">"#, COUNT - 1)));
    let ids: std::collections::HashSet<&str> = page
        .split(r#"<h2 id=""#)
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    assert_eq!(ids.len(), COUNT, "every heading has its own id");
}

/// The site's `partners.html` replaced by `body` inside the built-in layout.
fn with_partners_template(body: &str) -> Fixture {
    let fixture = Fixture::copy("minimal");
    fixture.write(
        "themes/default/templates/partners.html",
        &format!("{{% extends \"base.html\" %}}{{% block main %}}{body}{{% endblock main %}}"),
    );
    fixture
}

/// The one error of a build that must fail on `partners.html`, which names it.
fn partners_error(fixture: &Fixture) -> Diagnostic {
    let start = Instant::now();
    let errors = errors(fixture);
    eprintln!("stopped after {:?}", start.elapsed());
    let error = errors
        .into_iter()
        .find(|d| d.code == "template")
        .expect("a template error");
    eprintln!("{}", error.render());
    assert!(
        error.path.ends_with("templates/partners.html") || error.message.contains("partners.html"),
        "{}",
        error.render()
    );
    assert!(!fixture.output().exists(), "nothing is written");
    error
}

#[test]
fn a_self_including_template_is_a_located_error() {
    let fixture = with_partners_template("{% include \"partners.html\" %}");
    let error = partners_error(&fixture);
    assert!(error.message.contains("include"), "{}", error.render());
}

#[test]
fn templates_including_each_other_are_a_located_error() {
    let fixture = with_partners_template("{% include \"partials/ping.html\" %}");
    fixture.write(
        "themes/default/templates/partials/ping.html",
        "{% include \"partials/pong.html\" %}",
    );
    fixture.write(
        "themes/default/templates/partials/pong.html",
        "{% include \"partials/ping.html\" %}",
    );
    let errors = errors(&fixture);
    let error = errors
        .iter()
        .find(|d| d.code == "template")
        .expect("a template error");
    assert!(
        error.message.contains("ping.html") && error.message.contains("include"),
        "{}",
        error.render()
    );
}

#[test]
fn a_nested_loop_fan_out_is_stopped_with_the_template_named() {
    let fixture = with_partners_template(&format!(
        "{{% for a in range(end=100000) %}}{{% for b in range(end=100000) %}}<p>{{{{ a }}}}/{{{{ b }}}}{}</p>{{% endfor %}}{{% endfor %}}",
        "x".repeat(1000)
    ));
    let error = partners_error(&fixture);
    assert!(
        error.message.contains("partners/index.html`") && error.message.contains("MB"),
        "{}",
        error.render()
    );
}

#[test]
fn a_component_calling_itself_several_times_is_refused_at_its_definition() {
    let fixture = with_partners_template("{{ <fan n={18}/> }}");
    fixture.write(
        "themes/default/templates/partials/fan.html",
        "{% component fan(n) %}{% if n > 0 %}{{ <fan n={n-1}/> }}{{ <fan n={n-1}/> }}{{ <fan n={n-1}/> }}{% endif %}<i>{{ n }}</i>{% endcomponent fan %}",
    );
    let error = errors(&fixture)
        .into_iter()
        .find(|d| d.code == "template")
        .expect("a template error");
    assert!(
        error.path.ends_with("templates/partials/fan.html")
            && error.line == 1
            && error.message.contains("`fan`"),
        "{}",
        error.render()
    );
}

/// `partials/f0.html` … `partials/f{levels-1}.html`, each including the next `width`
/// times, the last writing `leaf`.
fn include_chain(fixture: &Fixture, levels: usize, width: usize, leaf: &str) {
    for level in 0..levels {
        let body = match level + 1 < levels {
            true => format!("{{% include \"partials/f{}.html\" %}}\n", level + 1).repeat(width),
            false => leaf.to_owned(),
        };
        fixture.write(
            &format!("themes/default/templates/partials/f{level}.html"),
            &body,
        );
    }
}

/// The template error of building `fixture`, which must name a `partials/f…` template.
fn chain_error(fixture: &Fixture) -> Diagnostic {
    let error = errors(fixture)
        .into_iter()
        .find(|d| d.code == "template")
        .expect("a template error");
    eprintln!("{}", error.render());
    assert!(
        error
            .path
            .to_string_lossy()
            .contains("templates/partials/f")
            && error.line >= 1,
        "{}",
        error.render()
    );
    assert!(!fixture.output().exists(), "nothing is written");
    error
}

#[test]
fn an_include_fan_out_writing_nothing_is_refused() {
    let fixture = with_partners_template("{% include \"partials/f0.html\" %}");
    include_chain(&fixture, 30, 3, "");
    let error = chain_error(&fixture);
    assert!(error.message.contains("expands to"), "{}", error.render());
}

#[test]
fn includes_nested_too_deep_are_refused_instead_of_overflowing_the_stack() {
    let fixture = with_partners_template("{% include \"partials/f0.html\" %}");
    include_chain(&fixture, 60, 1, "<p>leaf</p>");
    let error = chain_error(&fixture);
    assert!(error.message.contains("deep"), "{}", error.render());
}

#[test]
fn includes_nested_within_the_limit_still_render() {
    let fixture = with_partners_template("{% include \"partials/f0.html\" %}");
    include_chain(&fixture, 12, 2, "<p>leaf</p>");
    let site = fixture.build();
    assert_eq!(
        site.read("partner/").matches("<p>leaf</p>").count(),
        1 << 11
    );
}

#[test]
fn a_fan_out_in_the_layout_is_reported_once_not_on_every_page() {
    let fixture = Fixture::copy("minimal");
    let layout = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/themes/default/templates/base.html"
    ))
    .unwrap();
    fixture.write(
        "themes/default/templates/base.html",
        &format!(
            "{{% for a in range(end=100000) %}}{{% for b in range(end=100000) %}}{{% endfor %}}{{% endfor %}}{layout}"
        ),
    );
    let start = Instant::now();
    let errors = errors(&fixture);
    eprintln!("{} errors after {:?}", errors.len(), start.elapsed());
    assert!(!errors.is_empty());
    assert!(
        errors.len() <= std::thread::available_parallelism().map_or(4, |n| n.get()) + 1,
        "{}",
        errors
            .iter()
            .map(Diagnostic::render)
            .collect::<Vec<_>>()
            .join("\n")
    );
    for e in &errors {
        assert!(
            e.code == "template" && e.message.contains("range") && e.line == 1,
            "{}",
            e.render()
        );
    }
}

#[test]
fn thousands_of_broken_anchors_into_thousands_of_headings_are_reported_briefly() {
    const COUNT: usize = 2_000;
    let fixture = Fixture::copy("minimal");
    fixture.write(
        "content/pages/viele.md",
        &format!("---\ntitle: Viele\n---\n\n{}", "## Ziele\n\n".repeat(COUNT)),
    );
    let links: String = (0..COUNT)
        .map(|i| format!("[x](@/pages/viele.md#nope-{i})\n"))
        .collect();
    fixture.write(
        "content/pages/links.md",
        &format!("---\ntitle: Links\n---\n\n{links}"),
    );
    let start = Instant::now();
    let errors = errors(&fixture);
    eprintln!(
        "{} broken anchors reported in {:?}",
        errors.len(),
        start.elapsed()
    );
    assert_eq!(errors.len(), COUNT);
    for e in &errors {
        assert_eq!(e.code, "broken-anchor");
        let help = e.help.as_deref().unwrap_or("");
        assert!(help.len() < 300, "{help:.300}");
    }
}

/// Nine levels of ten aliases each ("billion laughs"), under `extra`, which takes any value.
fn laughs() -> String {
    let mut yaml = String::from(
        "extra:\n  l0: &l0 [\"ha\", \"ha\", \"ha\", \"ha\", \"ha\", \"ha\", \"ha\", \"ha\", \"ha\", \"ha\"]\n",
    );
    for i in 1..10 {
        let p = i - 1;
        yaml.push_str(&format!(
            "  l{i}: &l{i} [*l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}]\n"
        ));
    }
    yaml
}

#[test]
fn a_billion_laughs_in_front_matter_is_a_prompt_located_error() {
    let fixture = Fixture::copy("minimal");
    fixture.write(
        "content/institutions/einzelklinik.md",
        &format!("---\nname: Einzelklinik\n{}---\n\nText.\n", laughs()),
    );
    let start = Instant::now();
    let errors = errors(&fixture);
    eprintln!("billion laughs rejected in {:?}", start.elapsed());
    let error = errors.first().expect("an error");
    eprintln!("{}", error.render());
    assert!(
        error.path.ends_with("institutions/einzelklinik.md") && error.line >= 1,
        "{}",
        error.render()
    );
}

#[test]
fn deeply_nested_markdown_builds() {
    let shapes = [
        format!("{} Zitat\n", ">".repeat(50_000)),
        format!("{}Text{}\n", "[".repeat(50_000), "]".repeat(50_000)),
        format!("{}Text{}\n", "*".repeat(50_000), "*".repeat(50_000)),
        (0..2_000)
            .map(|i| format!("{}- Punkt\n", "  ".repeat(i)))
            .collect(),
        format!("{}Text\n", "1. ".repeat(20_000)),
    ];
    for (i, body) in shapes.iter().enumerate() {
        let fixture = Fixture::copy("minimal");
        fixture.write(
            "content/pages/tief.md",
            &format!("---\ntitle: Tief\n---\n\n{body}"),
        );
        let start = Instant::now();
        let site = fixture.build();
        eprintln!("nesting shape {i}: {:?}", start.elapsed());
        assert!(site.exists("tief/"));
    }
}
