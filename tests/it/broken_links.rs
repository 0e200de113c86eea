//! `build` follows every internal link and image of the site it renders and stops
//! (exit 1, nothing published) on a broken one, located where it was written: plain
//! Markdown links and images, raw HTML, template links; feed entries are
//! self-contained. `serve` and `build --watch` report the same.

use crate::harness::{Fixture, SPEC_SITE, cli};
use crate::serve::{CHANGE_TIMEOUT, RELEASE, Server, build_watch};

/// Builds `tests/fixtures/<case>`: exit 1, its one error at `location`, with `help`,
/// and nothing published.
fn assert_broken(case: &str, location: &str, message: &str, help: &str) {
    let fixture = Fixture::copy(case);
    let (code, stderr) = fixture.build_cli(&[]);
    assert_eq!(code, 1, "exit code; stderr:\n{stderr}");
    for expected in [
        &format!("--> {location}\n"),
        message,
        &format!("= help: {help}"),
        "1 error, 0 warnings",
    ] {
        assert!(
            stderr.contains(expected),
            "stderr lacks `{expected}`:\n{stderr}"
        );
    }
    assert!(
        !fixture.output().exists(),
        "a site with a broken link was published"
    );
}

#[test]
fn a_plain_markdown_link_to_a_missing_page_stops_the_build() {
    assert_broken(
        "invalid-plain-link",
        "content/news/2024-05-06-bilanz.md:7:26",
        "`/sub/path/nachrichten/plam/` does not resolve to a page or file of the site",
        "did you mean `@/news/2024-06-10-plan.md`?",
    );
}

#[test]
fn a_mistyped_image_path_names_the_static_file() {
    assert_broken(
        "invalid-image-path",
        "content/news/2024-05-06-bilanz.md:7:17",
        "the image `/sub/path/bilder/foto.jpeg` is not a file of the site",
        "did you mean `/sub/path/bilder/foto.jpg`?",
    );
}

#[test]
fn a_broken_link_in_raw_html_is_located_in_the_body() {
    assert_broken(
        "invalid-raw-html-link",
        "content/pages/hinweise.md:5:21",
        "`/sub/path/partners/klinikum-sudhoehe/` does not resolve",
        "did you mean `@/institutions/klinikum-suedhoehe.md`?",
    );
}

#[test]
fn a_broken_relative_link_is_located_in_the_body() {
    assert_broken(
        "invalid-relative-link",
        "content/news/2024-05-06-bilanz.md:7:26",
        "`../plam/` does not resolve",
        "did you mean `@/news/2024-06-10-plan.md`?",
    );
}

#[test]
fn a_broken_link_in_a_theme_override_names_the_template_and_line() {
    let fixture = Fixture::copy("invalid-plain-link");
    fixture.edit(
        "content/news/2024-05-06-bilanz.md",
        "(/sub/path/nachrichten/plam/)",
        "(@/news/2024-06-10-plan.md)",
    );
    let base = include_str!("../../themes/default/templates/base.html");
    let line = base[..base.find("</body>").expect("</body>")]
        .matches('\n')
        .count()
        + 1;
    fixture.write(
        "themes/default/templates/base.html",
        &base.replacen(
            "</body>",
            "<a href=\"{{ site.base_path }}impressum/\">Impressum</a></body>",
            1,
        ),
    );
    let (code, stderr) = fixture.build_cli(&[]);
    assert_eq!(code, 1, "{stderr}");
    // The link's text after `{{ site.base_path }}`, 1-based.
    let column = base
        .lines()
        .nth(line - 1)
        .map_or(0, |l| l.find("</body>").unwrap_or(0))
        + "<a href=\"{{ site.base_path }}".len()
        + 1;
    let location = format!("--> themes/default/templates/base.html:{line}:{column}\n");
    assert!(
        stderr.contains(&location),
        "stderr lacks `{location}`:\n{stderr}"
    );
    assert!(
        stderr.contains("`/sub/path/impressum/` does not resolve"),
        "{stderr}"
    );
    assert!(
        stderr.contains("= help: the link is in this template"),
        "{stderr}"
    );
    assert!(stderr.contains("1 error, 0 warnings"), "{stderr}");
}

#[test]
fn no_link_check_publishes_a_site_with_broken_links() {
    let fixture = Fixture::copy("invalid-plain-link");
    let (code, stderr) = fixture.build_cli(&["--no-link-check"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        fixture
            .output()
            .join("nachrichten/bilanz/index.html")
            .is_file()
    );
}

#[test]
fn a_broken_link_in_a_copied_static_html_file_is_a_warning_at_its_line() {
    let fixture = Fixture::copy("invalid-plain-link");
    fixture.edit(
        "content/news/2024-05-06-bilanz.md",
        "(/sub/path/nachrichten/plam/)",
        "(@/news/2024-06-10-plan.md)",
    );
    fixture.write(
        "content/static/archiv/alt.html",
        "<!doctype html>\n<title>Archiv</title>\n<p><a href=\"/sub/path/nachrichten/plam/\">alt</a>\n",
    );
    let (code, stderr) = fixture.build_cli(&[]);
    assert_eq!(code, 0, "copied HTML stopped the build:\n{stderr}");
    for expected in [
        "--> content/static/archiv/alt.html:3:13\n",
        "`/sub/path/nachrichten/plam/` does not resolve",
        "this HTML file is copied as is",
        "did you mean `/sub/path/nachrichten/plan/`?",
        "warning[broken-output-link]",
    ] {
        assert!(
            stderr.contains(expected),
            "stderr lacks `{expected}`:\n{stderr}"
        );
    }
    assert!(fixture.output().join("archiv/alt.html").is_file());
    let (code, stderr) = fixture.build_cli(&["--deny-warnings"]);
    assert_eq!(code, 1, "--deny-warnings let it pass:\n{stderr}");
}

#[test]
fn check_reports_what_build_reports() {
    let fixture = Fixture::copy("invalid-image-path");
    let out = cli()
        .arg("check")
        .arg("--root")
        .arg(fixture.root())
        .output()
        .expect("run partnerpress");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("--> content/news/2024-05-06-bilanz.md:7:17\n"),
        "{stderr}"
    );
}

#[test]
fn feed_entries_link_and_embed_with_absolute_urls_under_the_base_path() {
    let fixture = Fixture::copy(SPEC_SITE);
    let release = "content/news/2024-06-10-ohne-autolink.md";
    let text = std::fs::read_to_string(fixture.root().join(release)).expect("read");
    fixture.write(
        release,
        &format!("{text}\nSiehe [Bilanz](../amt-und-klinik/) und [oben](#top).\n"),
    );
    let (code, stderr) = fixture.build_cli(&["--now", "2026-11-30T12:00:00+01:00"]);
    assert_eq!(code, 0, "{stderr}");
    let feed = std::fs::read_to_string(fixture.output().join("atom.xml")).expect("atom.xml");
    assert!(
        feed.contains("href=&quot;https://example.org/sub/path/nachrichten/amt-und-klinik/&quot;"),
        "{feed}"
    );
    assert!(
        feed.contains(
            "href=&quot;https://example.org/sub/path/nachrichten/ohne-autolink/#top&quot;"
        ),
        "{feed}"
    );
    assert!(!feed.contains("href=&quot;../"), "{feed}");
    let page = std::fs::read_to_string(
        fixture
            .output()
            .join("nachrichten/ohne-autolink/index.html"),
    )
    .expect("page");
    assert!(
        page.contains("href=\"../amt-und-klinik/\""),
        "pages keep the link as written"
    );
}

#[test]
fn serve_shows_a_broken_link_in_its_error_page() {
    let fixture = Fixture::copy(SPEC_SITE);
    let text = std::fs::read_to_string(fixture.root().join(RELEASE)).expect("read");
    fixture.write(RELEASE, &format!("{text}\nGröße: [weg](../nirgendwo/)\n"));
    let location = fixture.locate(RELEASE, "../nirgendwo/");
    let server = Server::start(&fixture);
    let reply = crate::serve::request("GET", &server.url);
    assert_eq!(reply.status, 503, "{}", reply.body);
    assert!(reply.body.contains(&location), "{}", reply.body);
}

#[test]
fn build_watch_reports_a_broken_link_and_keeps_the_output() {
    let fixture = Fixture::copy(SPEC_SITE);
    let out = fixture.output();
    let mut watch = build_watch(&fixture, &out);
    watch.wait_for_good_build(0);
    let before = watch.failed_builds();
    let text = std::fs::read_to_string(fixture.root().join(RELEASE)).expect("read");
    fixture.write(RELEASE, &format!("{text}\n![Bild](../bild.jpeg)\n"));
    let location = fixture.locate(RELEASE, "../bild.jpeg");
    watch.wait_until("report of the failed build", CHANGE_TIMEOUT, |r| {
        r.failed_builds() > before
    });
    assert!(
        watch.stderr().iter().any(|l| l.contains(&location)),
        "{}",
        watch.transcript()
    );
}
