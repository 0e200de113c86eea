//! insta snapshots of the `<main>` of key pages. A change to these pages shows up as a
//! reviewable diff (`cargo insta review`, or `INSTA_UPDATE=always cargo test --test it`
//! and `git diff tests/it/snapshots`).

use crate::harness::{SPEC_SITE, Site, build, build_with};

/// The spec-site built at a fixed moment, for pages that mark "today" (timelines).
fn build_fixed_now() -> Site {
    let now = "2026-01-15T12:00:00Z".parse().expect("a timestamp");
    build_with(SPEC_SITE, |o| o.now = Some(now))
}

#[test]
fn release_page_main() {
    let site = build(SPEC_SITE);
    insta::assert_snapshot!(
        "release_de_register_schaltjahr",
        site.main("nachrichten/register-schaltjahr/")
    );
}

#[test]
fn institution_factsheet_main() {
    let site = build(SPEC_SITE);
    insta::assert_snapshot!(
        "factsheet_de_klinikum_suedhoehe",
        site.main("partner/klinikum-suedhoehe/faktenblatt/")
    );
}

#[test]
fn output_file_list() {
    let site = build(SPEC_SITE);
    insta::assert_snapshot!("files_spec_site", site.files().join("\n"));
}

#[test]
fn home_page_main() {
    let site = build_fixed_now();
    insta::assert_snapshot!("home_de", site.main(""));
}

/// A partner in three partnerships (one planned, one ended), with a translation.
#[test]
fn partner_page_main() {
    let site = build_fixed_now();
    insta::assert_snapshot!(
        "partner_en_klinikum_suedhoehe",
        site.main("en/partners/klinikum-suedhoehe/")
    );
}

/// A partnership of three partners with figures, milestones and releases.
#[test]
fn partnership_page_main() {
    let site = build_fixed_now();
    insta::assert_snapshot!(
        "partnership_de_drei_partner",
        site.main("partnerschaften/drei-partner/")
    );
}

#[test]
fn timeline_page_main() {
    let site = build_fixed_now();
    insta::assert_snapshot!("timeline_de", site.main("chronik/"));
}
