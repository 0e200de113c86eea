//! Embargoes: a release with `embargo:` in the future is absent from every output file,
//! the report names it as the next embargo, it appears once the embargo has lifted, and
//! `--drafts` shows it. "Now" is fixed through `BuildOptions::now`.

use crate::harness::{Fixture, SPEC_SITE, cli};
use partnerpress::BuildOptions;

const ID: &str = "2026-11-30-geheime-fusion";
const SLUG: &str = "geheime-fusion";
const MARKER: &str = "EMBARGOMARKER";
const EMBARGO: &str = "2026-12-01T10:00:00+01:00";

fn release(embargo: &str) -> String {
    format!(
        "---\ntitle: {MARKER} Klinikum Südhöhe fusioniert\ndate: 2026-11-30\npartners: [klinikum-suedhoehe]\nsummary: Noch geheim {MARKER}.\ntopics: [Sperrfristthema]\nembargo: {embargo}\n---\n\nDer Text {MARKER}.\n"
    )
}

fn fixture(embargo: &str) -> Fixture {
    let fixture = Fixture::copy(SPEC_SITE);
    fixture.write(&format!("content/news/{ID}.md"), &release(embargo));
    fixture
}

fn at(fixture: &Fixture, now: &str, drafts: bool) -> BuildOptions {
    BuildOptions {
        now: Some(now.parse().expect("timestamp")),
        drafts,
        ..fixture.options()
    }
}

/// Every output file (HTML, XML, JSON, text) that mentions the release, or is named after it.
fn mentions(site: &crate::harness::Site) -> Vec<String> {
    let mut found = Vec::new();
    for (file, bytes) in site.tree() {
        let text = String::from_utf8_lossy(&bytes);
        for needle in [ID, SLUG, MARKER, "Sperrfristthema", "sperrfristthema"] {
            if text.contains(needle) || file.contains(needle) {
                found.push(format!("{file}: `{needle}`"));
            }
        }
    }
    found
}

#[test]
fn an_embargoed_release_is_in_no_output_file_and_is_the_next_embargo() {
    let fixture = fixture(EMBARGO);
    // One second before the embargo (09:00:00Z).
    let opts = at(&fixture, "2026-12-01T08:59:59Z", false);
    let site = fixture.build_with(&opts);
    let found = mentions(&site);
    assert!(
        found.is_empty(),
        "embargoed release leaked:\n{}",
        found.join("\n")
    );
    assert!(site.files().len() > 20, "the rest of the site was built");
    assert_eq!(
        site.report.next_embargo,
        Some((ID.to_owned(), EMBARGO.to_owned())),
        "in the site's time zone, Europe/Berlin"
    );
}

#[test]
fn the_earliest_embargo_is_named_and_a_draft_is_not() {
    let fixture = fixture(EMBARGO);
    fixture.write(
        "content/news/2026-11-29-spaeter.md",
        "---\ntitle: Später\ndate: 2026-11-29\npartners: [klinikum-suedhoehe]\nembargo: 2027-01-01\n---\n",
    );
    fixture.write(
        "content/news/2026-11-28-entwurf-frueher.md",
        "---\ntitle: Entwurf\ndate: 2026-11-28\npartners: [klinikum-suedhoehe]\nembargo: 2026-11-30T00:00:00Z\ndraft: true\n---\n",
    );
    let opts = at(&fixture, "2026-11-01T00:00:00Z", false);
    let report = fixture.build_report(&opts);
    assert!(!report.has_errors(), "{:#?}", report.diagnostics);
    assert_eq!(
        report.next_embargo,
        Some((ID.to_owned(), EMBARGO.to_owned()))
    );
}

#[test]
fn after_the_embargo_the_release_is_published() {
    let fixture = fixture(EMBARGO);
    let opts = at(&fixture, "2026-12-01T09:00:00Z", false);
    let site = fixture.build_with(&opts);
    assert!(site.exists(&format!("nachrichten/{SLUG}/")));
    assert!(site.main(&format!("nachrichten/{SLUG}/")).contains(MARKER));
    assert!(
        site.read("nachrichten/").contains(MARKER),
        "in the news list"
    );
    assert!(site.read("sitemap.xml").contains(SLUG));
    assert_eq!(site.report.next_embargo, None);
}

#[test]
fn a_date_alone_lifts_at_midnight_in_the_sites_time_zone() {
    let fixture = fixture("2026-12-01");
    // 23:00 UTC on 30 November is midnight in Berlin (CET).
    let before = at(&fixture, "2026-11-30T22:59:59Z", false);
    let report = fixture.build_report(&before);
    assert_eq!(
        report.next_embargo,
        Some((ID.to_owned(), "2026-12-01T00:00:00+01:00".to_owned()))
    );
    let after = at(&fixture, "2026-11-30T23:00:00Z", false);
    let site = fixture.build_with(&after);
    assert!(site.exists(&format!("nachrichten/{SLUG}/")));
}

#[test]
fn drafts_show_embargoed_releases() {
    let fixture = fixture(EMBARGO);
    let opts = at(&fixture, "2026-11-01T00:00:00Z", true);
    let site = fixture.build_with(&opts);
    assert!(site.main(&format!("nachrichten/{SLUG}/")).contains(MARKER));
    assert_eq!(
        site.report.next_embargo,
        Some((ID.to_owned(), EMBARGO.to_owned()))
    );
}

#[test]
fn an_invalid_embargo_is_a_located_error() {
    let fixture = fixture("2026-12-01T25:00:00");
    let report = fixture.build_report(&at(&fixture, "2026-11-01T00:00:00Z", false));
    let d = crate::harness::only_error(&report);
    assert_eq!(d.code, "invalid-date");
    assert_eq!(
        d.path,
        std::path::Path::new("content/news").join(format!("{ID}.md"))
    );
    // `embargo: ` is line 7; the value starts in column 10.
    assert_eq!((d.line, d.column), (7, 10), "{}", d.render());
    assert!(d.message.contains("is not a time"), "{}", d.message);
    assert!(d.help.as_deref().unwrap_or_default().contains("+01:00"));
    assert!(!report.published);
}

#[test]
fn the_binary_prints_the_next_embargo_and_takes_partnerpress_now() {
    let fixture = fixture(EMBARGO);
    let out = cli()
        .args(["build", "--root"])
        .arg(fixture.root())
        .arg("--output")
        .arg(fixture.output())
        .env("PARTNERPRESS_NOW", "2026-11-01T00:00:00Z")
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains(&format!("next embargo: {ID} at {EMBARGO}")),
        "{stdout}"
    );
    let out = cli()
        .args(["build", "--now", "2026-12-02T00:00:00Z", "--root"])
        .arg(fixture.root())
        .arg("--output")
        .arg(fixture.output())
        .env("PARTNERPRESS_NOW", "2026-11-01T00:00:00Z")
        .output()
        .expect("run");
    assert!(out.status.success());
    assert!(!String::from_utf8_lossy(&out.stdout).contains("next embargo"));
    let out = cli()
        .args(["build", "--root"])
        .arg(fixture.root())
        .env("PARTNERPRESS_NOW", "soon")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn drafts_builds_mark_embargoed_and_draft_releases_as_such() {
    let fixture = fixture(EMBARGO);
    let opts = at(&fixture, "2026-11-01T00:00:00Z", true);
    let site = fixture.build_with(&opts);
    let page = site.main(&format!("nachrichten/{SLUG}/"));
    assert!(
        page.contains("Sperrfrist bis 1. Dezember 2026 10:00"),
        "{page}"
    );
    let en = site.main(&format!("en/news/{SLUG}/"));
    assert!(
        en.contains("Embargoed until December 1, 2026 10:00"),
        "{en}"
    );
    let draft = site.main("nachrichten/jahresbericht-vorschau/");
    assert!(draft.contains(">Entwurf<"), "{draft}");
    assert!(
        site.read("nachrichten/").contains("Sperrfrist bis"),
        "cards are marked too"
    );
}

#[test]
fn published_releases_carry_no_mark() {
    let fixture = fixture(EMBARGO);
    let opts = at(&fixture, "2026-12-02T00:00:00Z", false);
    let site = fixture.build_with(&opts);
    assert!(
        !site
            .main(&format!("nachrichten/{SLUG}/"))
            .contains("status-unpublished")
    );
}

/// `embargo: 2026-12-07 10:00` (or `2026-07-07T10:00`) without an offset is that time
/// on the clocks of the site's `timezone`: CET in winter, CEST in summer.
#[test]
fn an_embargo_without_offset_lifts_at_that_time_in_the_sites_time_zone() {
    for (id, lifts, shown) in [
        (
            "2026-12-07-winterzeit",
            "2026-12-07T09:00:00Z",
            "2026-12-07T10:00:00+01:00",
        ),
        (
            "2026-07-07-sommerzeit",
            "2026-07-07T08:00:00Z",
            "2026-07-07T10:00:00+02:00",
        ),
    ] {
        let lifts: jiff::Timestamp = lifts.parse().expect("timestamp");
        let before = (lifts - jiff::SignedDuration::from_secs(1)).to_string();
        let fixture = Fixture::copy("embargo-local-time");
        let report = fixture.build_report(&at(&fixture, &before, false));
        assert!(!report.has_errors(), "{:#?}", report.diagnostics);
        assert_eq!(
            report.next_embargo,
            Some((id.to_owned(), shown.to_owned())),
            "one second before {lifts}"
        );
        let after = at(&fixture, &lifts.to_string(), false);
        let site = fixture.build_with(&after);
        let slug = &id[11..];
        assert!(
            site.exists(&format!("nachrichten/{slug}/")),
            "{id} at {lifts}"
        );
    }
}

/// What one run of the binary with `args` wrote to stderr, asserting exit code 2.
fn usage_error(args: &[&str], now_env: Option<&str>) -> String {
    let mut cmd = cli();
    cmd.args(args).env_remove("PARTNERPRESS_NOW");
    if let Some(now) = now_env {
        cmd.env("PARTNERPRESS_NOW", now);
    }
    let out = cmd.output().expect("run");
    assert_eq!(out.status.code(), Some(2), "{args:?}");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_bad_now_or_date_says_what_to_write() {
    let root = Fixture::copy("embargo-local-time");
    let root = root.root().to_str().expect("utf-8 path").to_owned();
    let day_first = usage_error(
        &["check", "--root", &root, "--now", "07.12.2026 10:00"],
        None,
    );
    assert!(
        day_first.contains("write the date year first: `2026-12-07 10:00`"),
        "{day_first}"
    );
    assert!(!day_first.contains("four digit integer"), "{day_first}");
    let env = usage_error(&["check", "--root", &root], Some("soon"));
    assert!(env.contains("PARTNERPRESS_NOW=`soon`"), "{env}");
    assert!(
        env.contains("`2026-12-07 10:00` (the time in the site's `timezone`)"),
        "{env}"
    );
    let date = usage_error(
        &[
            "new",
            "news",
            "Neue Meldung",
            "--root",
            &root,
            "--date",
            "23.07.2025",
        ],
        None,
    );
    assert!(
        date.contains("write the date as YYYY-MM-DD: `2025-07-23`"),
        "{date}"
    );
    assert!(!date.contains("four digit integer"), "{date}");
}

#[test]
fn a_fact_citing_an_embargoed_release_says_it_is_under_embargo() {
    let fixture = fixture(EMBARGO);
    fixture.edit(
        "content/institutions/klinikum-suedhoehe.md",
        "source: 2024-02-29-register-schaltjahr",
        &format!("source: {ID}"),
    );
    let report = fixture.build_report(&at(&fixture, "2026-11-30T12:00:00+01:00", false));
    let d = crate::harness::only_error(&report);
    assert_eq!(
        d.location(),
        "content/institutions/klinikum-suedhoehe.md:15:72"
    );
    assert!(
        d.message
            .contains("is under an embargo that has not lifted"),
        "{}",
        d.render()
    );
    assert!(!d.message.contains("unknown release"), "{}", d.render());
    let after = fixture.build_report(&at(&fixture, "2026-12-01T10:00:00+01:00", false));
    assert!(after.published, "{:#?}", after.diagnostics);
}

/// `--now 2026-12-07 10:00` (or `PARTNERPRESS_NOW` without an offset) is that time on
/// the site's clocks, like an embargo written the same way: one minute before, the
/// release is held back; at that minute it is published.
#[test]
fn now_without_offset_is_the_sites_local_time() {
    let fixture = Fixture::copy("embargo-local-time");
    let build = |now: &str| {
        let out = cli()
            .args(["build", "--now", now, "--root"])
            .arg(fixture.root())
            .env_remove("PARTNERPRESS_NOW")
            .output()
            .expect("run");
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "--now {now}: {stderr}");
        fixture
            .root()
            .join("public/nachrichten/winterzeit/index.html")
            .exists()
    };
    assert!(!build("2026-12-07 09:59"), "published a minute early");
    assert!(
        build("2026-12-07 10:00"),
        "held back at the embargo's minute"
    );
    assert!(
        !build("2026-12-07T09:59"),
        "published a minute early (T form)"
    );
}

/// A `--now` the clocks skip (the spring change) names no moment: an error at the
/// site's `timezone`, with the two offsets that would say which moment is meant.
#[test]
fn now_in_a_clock_change_gap_is_an_error_at_the_time_zone() {
    let fixture = Fixture::copy("embargo-local-time");
    let report = fixture.build_report(&BuildOptions {
        now: Some("2026-03-29 02:30".parse().expect("a local time")),
        ..fixture.options()
    });
    let d = report
        .diagnostics
        .iter()
        .find(|d| d.code.as_str() == "invalid-date")
        .expect("an invalid-date error");
    assert_eq!(
        (d.path.to_str(), d.line),
        (Some("content/site.yaml"), 4),
        "{}",
        d.render()
    );
    assert!(
        d.message
            .contains("--now: `2026-03-29 02:30` does not exist in Europe/Berlin"),
        "{}",
        d.render()
    );
    assert!(
        d.help
            .as_deref()
            .is_some_and(|h| h.contains("2026-03-29T02:30:00+02:00")),
        "{}",
        d.render()
    );
    assert_eq!(report.diagnostics.len(), 1, "{:#?}", report.diagnostics);
}
