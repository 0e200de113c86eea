//! The output as a whole: deterministic, atomic, untouched by a failed build; and the
//! command line's exit codes and messages.

use crate::harness::{Fixture, SPEC_SITE, cli, tree};
use std::collections::BTreeMap;

/// The file broken by the failure tests, and what breaks it: an unknown partner id.
const BROKEN_FILE: &str = "content/news/2024-05-06-amt-und-klinik.md";
const GOOD_LINE: &str = "partners: [gesundheitsamt-tannenfeld, klinikum-suedhoehe]";
const BAD_LINE: &str = "partners: [gesundheitsamt-tannenfeld, klinikum-suedhoeh]";

/// Breaks `BROKEN_FILE` in `fixture`; returns where the error must point: the unknown id.
fn break_partner_id(fixture: &Fixture) -> String {
    fixture.edit(BROKEN_FILE, GOOD_LINE, BAD_LINE);
    fixture.locate(BROKEN_FILE, "klinikum-suedhoeh]")
}

fn differences(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let mut diff = Vec::new();
    for (file, bytes) in a {
        match b.get(file) {
            None => diff.push(format!("only in the first: {file}")),
            Some(other) if other != bytes => diff.push(format!("differs: {file}")),
            Some(_) => {}
        }
    }
    diff.extend(
        b.keys()
            .filter(|f| !a.contains_key(*f))
            .map(|f| format!("only in the second: {f}")),
    );
    diff
}

#[test]
fn two_builds_are_byte_identical() {
    // Two copies in two different temporary folders: the output must not depend on
    // where the site lives, on thread scheduling or on the order files are found.
    let first = crate::harness::build(SPEC_SITE).tree();
    let second = crate::harness::build(SPEC_SITE).tree();
    assert!(first.len() > 80, "only {} files", first.len());
    let diff = differences(&first, &second);
    assert!(diff.is_empty(), "two builds differ:\n{}", diff.join("\n"));
}

#[test]
fn rebuilding_in_place_is_byte_identical() {
    let fixture = Fixture::copy(SPEC_SITE);
    let opts = fixture.options();
    assert!(fixture.build_report(&opts).published);
    let first = tree(&fixture.output());
    assert!(fixture.build_report(&opts).published);
    let diff = differences(&first, &tree(&fixture.output()));
    assert!(diff.is_empty(), "a rebuild differs:\n{}", diff.join("\n"));
}

#[test]
fn a_failed_build_reports_the_file_and_line_and_keeps_the_previous_output() {
    let fixture = Fixture::copy(SPEC_SITE);
    let opts = fixture.options();
    assert!(fixture.build_report(&opts).published);
    let before = tree(&fixture.output());

    let bad_location = break_partner_id(&fixture);
    let report = fixture.build_report(&opts);
    assert!(
        report.has_errors(),
        "an unknown partner id did not fail the build"
    );
    assert!(!report.published);
    let error = report
        .diagnostics
        .iter()
        .find(|d| d.is_error() && d.path.ends_with("news/2024-05-06-amt-und-klinik.md"))
        .unwrap_or_else(|| panic!("no error names the broken file: {:#?}", report.diagnostics));
    assert_eq!(error.location(), bad_location, "{}", error.render());
    assert!(
        error
            .help
            .as_deref()
            .is_some_and(|h| h.contains("klinikum-suedhoehe")),
        "no suggestion: {}",
        error.render()
    );

    let diff = differences(&before, &tree(&fixture.output()));
    assert!(
        diff.is_empty(),
        "the failed build changed the output:\n{}",
        diff.join("\n")
    );
    let leftovers: Vec<_> = std::fs::read_dir(fixture.output().parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "site" && n != "public")
        .collect();
    assert!(
        leftovers.is_empty(),
        "the failed build left files beside the output: {leftovers:?}"
    );
}

/// The files named by the errors of a build, in report order, each once.
fn files_with_errors(report: &partnerpress::BuildReport) -> Vec<String> {
    let mut files: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.path.to_string_lossy().replace('\\', "/"))
        .collect();
    files.dedup();
    files
}

#[test]
fn errors_in_several_files_are_reported_in_one_run() {
    let fixture = Fixture::copy(SPEC_SITE);
    fixture.edit(BROKEN_FILE, GOOD_LINE, BAD_LINE);
    fixture.edit(
        "content/partnerships/uebergang-geplant.md",
        "fachklinik-grossweissach]",
        "fachklinik-grosweissach]",
    );
    let report = fixture.build_report(&fixture.options());
    assert_eq!(
        files_with_errors(&report),
        [
            "content/news/2024-05-06-amt-und-klinik.md",
            "content/partnerships/uebergang-geplant.md"
        ],
        "{:#?}",
        report.diagnostics
    );
}

#[test]
fn link_errors_are_reported_alongside_front_matter_errors() {
    // SPEC §5: every problem at once. A broken `@/…#anchor` in one file must not hide
    // behind an unknown id in another (anchors are checked while rendering).
    let fixture = Fixture::copy(SPEC_SITE);
    fixture.edit(
        "content/news/2024-06-10-ohne-autolink.md",
        "#naechste-schritte",
        "#naechste-schrite",
    );
    let alone = fixture.build_report(&fixture.options());
    assert_eq!(
        files_with_errors(&alone),
        ["content/news/2024-06-10-ohne-autolink.md"],
        "{:#?}",
        alone.diagnostics
    );

    fixture.edit(BROKEN_FILE, GOOD_LINE, BAD_LINE);
    let both = fixture.build_report(&fixture.options());
    assert_eq!(
        files_with_errors(&both),
        [
            "content/news/2024-05-06-amt-und-klinik.md",
            "content/news/2024-06-10-ohne-autolink.md"
        ],
        "{:#?}",
        both.diagnostics
    );
}

#[test]
fn cli_build_prints_a_summary_and_exits_0() {
    let fixture = Fixture::copy(SPEC_SITE);
    let out = cli()
        .arg("build")
        .arg("--root")
        .arg(fixture.root())
        .arg("--output")
        .arg(fixture.output())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let first = stdout.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("built ") && first.contains(" files in ") && first.contains(" ms"),
        "summary: {stdout}"
    );
    assert!(
        first.contains("releases"),
        "the summary does not count releases: {first}"
    );
    assert!(
        out.stderr.is_empty(),
        "a clean build printed to stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(fixture.output().join("index.html").is_file());
}

#[test]
fn cli_build_timings_lists_every_stage_and_template() {
    let fixture = Fixture::copy(SPEC_SITE);
    let out = cli()
        .args(["build", "--timings", "--root"])
        .arg(fixture.root())
        .arg("--output")
        .arg(fixture.output())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let row = |name: &str| {
        stdout
            .lines()
            .find(|l| l.split_whitespace().next() == Some(name))
            .unwrap_or_else(|| panic!("no `{name}` row in:\n{stdout}"))
            .to_owned()
    };
    let stages = [
        "load",
        "resolve",
        "markdown",
        "pages",
        "data files",
        "write",
        "total",
    ];
    let positions: Vec<usize> = stages
        .iter()
        .map(|s| stdout.find(&format!("\n{s} ")).unwrap_or(usize::MAX))
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "stages missing or out of pipeline order:\n{stdout}"
    );
    // The spec-site has four published releases per language, two languages.
    let release: Vec<String> = row("release.html")
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    assert_eq!(release[1], "8", "release.html count: {stdout}");
    let (total, mean, max): (f64, f64, f64) = (
        release[2].parse().unwrap(),
        release[3].parse().unwrap(),
        release[4].parse().unwrap(),
    );
    assert!(total > 0.0 && mean <= max && max <= total, "{stdout}");
    row("partner.html");
    row("atom.xml");
}

#[test]
fn cli_content_error_exits_1_with_path_line_column() {
    let fixture = Fixture::copy(SPEC_SITE);
    let root = fixture.root();
    cli()
        .arg("build")
        .arg("--root")
        .arg(&root)
        .arg("--output")
        .arg(fixture.output())
        .assert()
        .success();
    let index_before = std::fs::read(fixture.output().join("index.html")).unwrap();
    let bad_location = break_partner_id(&fixture);
    let out = cli()
        .arg("build")
        .arg("--root")
        .arg(&root)
        .arg("--output")
        .arg(fixture.output())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
    assert!(
        stderr.contains(&bad_location),
        "stderr lacks `{bad_location}`: {stderr}"
    );
    assert!(
        stderr.contains("klinikum-suedhoehe"),
        "stderr lacks the suggestion: {stderr}"
    );
    assert_eq!(
        std::fs::read(fixture.output().join("index.html")).unwrap(),
        index_before
    );
}

#[test]
fn cli_check_reports_errors_without_writing() {
    let fixture = Fixture::copy(SPEC_SITE);
    let bad_location = break_partner_id(&fixture);
    let out = cli()
        .arg("check")
        .arg("--root")
        .arg(fixture.root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains(&bad_location));
    assert!(
        !fixture.root().join("public").exists(),
        "check wrote output"
    );
}

#[test]
fn cli_output_equal_to_the_root_exits_2() {
    let fixture = Fixture::copy(SPEC_SITE);
    let root = fixture.root();
    let out = cli()
        .arg("build")
        .arg("--root")
        .arg(&root)
        .arg("--output")
        .arg(&root)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        root.join("content/site.yaml").is_file(),
        "the site's sources were touched"
    );
}

#[test]
fn cli_usage_error_exits_2() {
    let out = cli().arg("build").arg("--no-such-option").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn cli_base_url_override_reaches_every_link() {
    let fixture = Fixture::copy("root-base-url");
    cli()
        .arg("build")
        .arg("--root")
        .arg(fixture.root())
        .arg("--output")
        .arg(fixture.output())
        .args(["--base-url", "https://preview.example.net/"])
        .assert()
        .success();
    let home = std::fs::read_to_string(fixture.output().join("index.html")).unwrap();
    assert!(
        home.contains("href=\"/nachrichten/\""),
        "home does not link /nachrichten/ at the root"
    );
    assert!(!home.contains("/deep/prefix/"));
}

#[test]
fn cli_new_writes_a_release_the_site_builds_with_and_never_overwrites() {
    let fixture = Fixture::copy(SPEC_SITE);
    let new = || {
        cli()
            .args([
                "new",
                "news",
                "Neues Gefäßzentrum: Start",
                "--partners",
                "klinikum-suedhoehe",
            ])
            .args(["--date", "2024-03-01", "--root"])
            .arg(fixture.root())
            .output()
            .unwrap()
    };
    let first = new();
    assert_eq!(
        first.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let file = fixture
        .root()
        .join("content/news/2024-03-01-neues-gefaesszentrum-start.md");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("title: \"Neues Gefäßzentrum: Start\""),
        "{text}"
    );
    let second = new();
    assert_eq!(
        second.status.code(),
        Some(2),
        "a second `new` must not overwrite"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
    let mut opts = fixture.options();
    opts.drafts = true;
    let site = fixture.build_with(&opts);
    assert!(site.exists("nachrichten/neues-gefaesszentrum-start/"));
}
