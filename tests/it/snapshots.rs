//! insta snapshots of the `<main>` of key pages. A change to these pages shows up as a
//! reviewable diff (`cargo insta review`, or `INSTA_UPDATE=always cargo test --test it`
//! and `git diff tests/it/snapshots`).

use crate::harness::{SPEC_SITE, build};

#[test]
fn release_page_main() {
    let site = build(SPEC_SITE);
    insta::assert_snapshot!(
        "release_de_register_schaltjahr",
        site.main("news/register-schaltjahr/")
    );
}

#[test]
fn institution_factsheet_main() {
    let site = build(SPEC_SITE);
    insta::assert_snapshot!(
        "factsheet_de_klinikum_suedhoehe",
        site.main("partners/klinikum-suedhoehe/factsheet/")
    );
}

#[test]
fn output_file_list() {
    let site = build(SPEC_SITE);
    insta::assert_snapshot!("files_spec_site", site.files().join("\n"));
}
